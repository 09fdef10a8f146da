// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * icmp.c - ICMP and ICMPv6 echo through ping sockets
 *
 * This file owns the ping sockets (SOCK_DGRAM, IPPROTO_ICMP/IPPROTO_ICMPV6)
 * that carry the guest's echo requests, and the echo replies built for the
 * guest from what they receive.
 *
 * Theory of operation
 *
 * Unprivileged programs can't send raw ICMP, but ping sockets (icmp(7),
 * allowed by net.ipv4.ping_group_range) let them send echo requests and
 * receive the matching replies: the socket's "port" is the echo identifier,
 * which the kernel writes into every request it sends, and only replies
 * carrying it are delivered.  So each echo identifier the guest uses, per IP
 * version, gets its own ping socket, bound to that identifier if the host
 * lets us (and to any free one otherwise: see sock_l4() for why an
 * identifier in use is never shared).  Requests go out with sendto(),
 * to the destination translated by fwd_nat_from_guest() (the gateway is the
 * host's loopback); the kernel fills in identifier and checksum.  Replies
 * get the guest's identifier back (the sequence number is untouched), a new
 * checksum, and go to the guest as frames, from the address the guest sent
 * its latest request to and to the address it sent it from: a guest with
 * several addresses gets its replies where it asked.
 *
 * Only echo requests are taken from the guest: any other message is
 * dropped.  Sockets idle for ICMP_TIMEOUT_S seconds are closed.  If the host
 * refuses ping sockets, that is said once, as a warning, and requests are
 * dropped.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_icmp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checksum.h"
#include "fwd.h"
#include "icmp.h"
#include "log.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"
#include "util.h"

/* #syscalls socket bind setsockopt close sendto recvfrom */

#define ICMP_FLOWS		256	/* echo identifiers in use, entry 0 unused */
#define ICMP_TIMEOUT_S		60	/* idle ping sockets are closed */
#define ICMP_READS_MAX		32	/* replies read per event */
#define ICMP_ECHO_HDR_LEN	8	/* type, code, checksum, id, sequence */
#define ICMP_MSG_MAX		(65535 - sizeof(struct iphdr))

/**
 * struct icmp_flow - A ping socket for one echo identifier of the guest
 * @fd:		socket, -1 if the entry is free
 * @v6:		ICMPv6
 * @id:		the guest's echo identifier, host order
 * @next_free:	next free entry (free entries only), 0 for none
 * @last:	CLOCK_MONOTONIC seconds of the last request
 * @gaddr:	guest address of the latest request (IPv4: first 4 bytes)
 * @gpeer:	address the guest sent that request to: replies come from it
 */
struct icmp_flow {
	int fd;
	uint8_t v6;
	uint16_t id;
	uint16_t next_free;
	time_t last;
	struct in6_addr gaddr;
	struct in6_addr gpeer;
};

static struct icmp_flow icmp_flows[ICMP_FLOWS];
static uint16_t icmp_free;			/* first free entry */
static uint16_t icmp_by_id[2][NUM_PORTS];	/* guest id -> flow */
static int icmp_warned;				/* ping sockets refused */

/* One echo reply for the guest, built in place */
static char icmp_frame[ETH_HDR_LEN + sizeof(struct ip6_hdr) + ICMP_MSG_MAX];

/**
 * icmp_dst_ok() - Can an echo request go to this destination?
 * @af:		AF_INET or AF_INET6
 * @dst:	destination as the guest sent it
 *
 * Return: true for unicast addresses other than loopback and unspecified
 */
static bool icmp_dst_ok(int af, const void *dst)
{
	if (af == AF_INET) {
		struct in_addr a;
		uint32_t h;

		memcpy(&a, dst, sizeof(a));
		h = ntohl(a.s_addr);
		return !(h >> 24 == 0 || h >> 24 == IN_LOOPBACKNET ||
			 IN_MULTICAST(h) || h == INADDR_BROADCAST);
	}

	{
		struct in6_addr a;

		memcpy(&a, dst, sizeof(a));
		return !(IN6_IS_ADDR_UNSPECIFIED(&a) ||
			 IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_MULTICAST(&a) ||
			 IN6_IS_ADDR_V4MAPPED(&a));
	}
}

/**
 * icmp_is_mld() - Is this a Multicast Listener Discovery message?
 * @af:		AF_INET or AF_INET6
 * @type:	ICMP type
 *
 * Guests send these routinely; they are dropped without a debug message.
 *
 * Return: true for MLD queries, reports and done messages (RFC 2710, 3810)
 */
static bool icmp_is_mld(int af, uint8_t type)
{
	return af == AF_INET6 &&
	       ((type >= MLD_LISTENER_QUERY && type <= MLD_LISTENER_REDUCTION) ||
		type == 143);
}

/**
 * icmp_sock_fail() - Report a ping socket that couldn't be opened
 * @err:	negative error code from sock_l4()
 * @id:		echo identifier
 */
static void icmp_sock_fail(int err, uint16_t id)
{
	if (err == -EACCES || err == -EPERM) {
		if (!icmp_warned++)
			warn("ICMP: ping sockets not allowed (see sysctl "
			     "net.ipv4.ping_group_range): echo requests from "
			     "the guest are dropped");
		return;
	}
	debug("ICMP: no ping socket for identifier %u: %s", id,
	      strerror(-err));
}

/**
 * icmp_flow_get() - Find or open the ping socket for an echo identifier
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @id:		the guest's echo identifier, host order
 * @now:	current time
 *
 * Return: socket, or -1 if the request has to be dropped
 */
static int icmp_flow_get(const struct ctx *c, int af, uint16_t id,
			 const struct timespec *now)
{
	union epoll_ref ref = { .type = EPOLL_TYPE_PING };
	uint8_t proto = af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int v6 = af == AF_INET6, fd;
	struct icmp_flow *f;
	const char *ifname;
	const void *out;
	uint16_t idx;

	idx = icmp_by_id[v6][id];
	if (idx) {
		icmp_flows[idx].last = now->tv_sec;
		return icmp_flows[idx].fd;
	}

	idx = icmp_free;
	if (!idx) {
		debug("ICMP: flow table full (%d), dropping echo request "
		      "with identifier %u", ICMP_FLOWS - 1, id);
		return -1;
	}

	/* Another socket of the host may hold this identifier: then any */
	ref.data = idx;
	out = fwd_outbound(c, af, &ifname);
	fd = sock_l4(c, af, proto, out, ifname, id, ref);
	if (fd == -EADDRINUSE)
		fd = sock_l4(c, af, proto, out, ifname, 0, ref);
	if (fd < 0) {
		icmp_sock_fail(fd, id);
		return -1;
	}

	f = &icmp_flows[idx];
	icmp_free = f->next_free;
	f->fd = fd;
	f->v6 = (uint8_t)v6;
	f->id = id;
	f->next_free = 0;
	f->last = now->tv_sec;
	icmp_by_id[v6][id] = idx;
	trace("ICMP: ping socket %u for identifier %u (IPv%d)", idx, id,
	      v6 ? 6 : 4);
	return fd;
}

/**
 * icmp_flow_close() - Close a ping socket, return its entry to the free list
 * @idx:	flow index
 */
static void icmp_flow_close(uint16_t idx)
{
	struct icmp_flow *f = &icmp_flows[idx];

	close(f->fd);	/* also leaves the epoll set */
	icmp_by_id[f->v6][f->id] = 0;
	f->fd = -1;
	f->next_free = icmp_free;
	icmp_free = idx;
}

/**
 * icmp_flow_addrs() - Remember who asked and whom, for the replies
 * @af:		AF_INET or AF_INET6
 * @id:		echo identifier, with an open flow
 * @saddr:	guest's source address
 * @daddr:	destination as the guest sent it
 *
 * A guest may have several addresses: replies go back to the one that
 * asked, from the address it asked, whatever the host-side translation.
 */
static void icmp_flow_addrs(int af, uint16_t id, const void *saddr,
			    const void *daddr)
{
	struct icmp_flow *f = &icmp_flows[icmp_by_id[af == AF_INET6][id]];
	size_t alen = af == AF_INET ? 4 : 16;

	memset(&f->gaddr, 0, sizeof(f->gaddr));
	memset(&f->gpeer, 0, sizeof(f->gpeer));
	memcpy(&f->gaddr, saddr, alen);
	memcpy(&f->gpeer, daddr, alen);
}

/**
 * icmp_tap_handler() - An ICMP or ICMPv6 message from the guest
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @saddr:	source address (struct in_addr or struct in6_addr)
 * @daddr:	destination address, same type
 * @p:		one message, from its ICMP header to the end of the IP payload
 * @now:	current time
 */
void icmp_tap_handler(struct ctx *c, int af, const void *saddr,
		      const void *daddr, const struct pool *p,
		      const struct timespec *now)
{
	uint8_t echo = af == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	union { struct sockaddr_in a4; struct sockaddr_in6 a6; } sa;
	const uint8_t *msg;
	struct in6_addr hdst;
	size_t len;
	uint16_t id;
	socklen_t sl;
	int fd;

	len = packet_len(p, 0);
	msg = packet_get(p, 0, 0, len, NULL);
	if (!msg || len < ICMP_ECHO_HDR_LEN) {
		debug("ICMP: message from guest too short (%zu bytes)", len);
		return;
	}
	if (msg[0] != echo || msg[1]) {
		if (icmp_is_mld(af, msg[0]))
			trace("ICMPv6: MLD message from guest dropped");
		else
			debug("ICMP: type %u code %u from guest dropped: echo "
			      "requests only", msg[0], msg[1]);
		return;
	}
	if (!icmp_dst_ok(af, daddr)) {
		debug("ICMP: echo request to an address we don't send to");
		return;
	}

	id = (uint16_t)(msg[4] << 8 | msg[5]);
	fd = icmp_flow_get(c, af, id, now);
	if (fd < 0)
		return;
	icmp_flow_addrs(af, id, saddr, daddr);

	fwd_nat_from_guest(c, af, daddr, 0, &hdst);
	memset(&sa, 0, sizeof(sa));
	if (af == AF_INET) {
		sa.a4.sin_family = AF_INET;
		memcpy(&sa.a4.sin_addr, &hdst, sizeof(sa.a4.sin_addr));
		sl = sizeof(sa.a4);
	} else {
		sa.a6.sin6_family = AF_INET6;
		sa.a6.sin6_addr = hdst;
		if (IN6_IS_ADDR_LINKLOCAL(&hdst))
			sa.a6.sin6_scope_id = c->ifi6;
		sl = sizeof(sa.a6);
	}

	/* The kernel sets identifier and checksum */
	if (sendto(fd, msg, len, MSG_DONTWAIT, (struct sockaddr *)&sa, sl) < 0)
		debug("ICMP: echo request with identifier %u not sent: %s",
		      id, strerror(errno));
}

/**
 * icmp_reply() - Turn a received echo reply into a frame for the guest
 * @c:		execution context
 * @f:		flow the reply belongs to
 * @peer:	sender of the reply
 * @l4:		message, in icmp_frame
 * @len:	its length
 */
static void icmp_reply(const struct ctx *c, const struct icmp_flow *f,
		       const struct sockaddr_in6 *peer, uint8_t *l4,
		       size_t len)
{
	int af = f->v6 ? AF_INET6 : AF_INET;
	uint8_t reply = f->v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY;
	const struct in6_addr *gsrc = &f->gpeer, *gdst = &f->gaddr;
	uint16_t sum;

	(void)peer;	/* the socket only gets replies to what it sent */
	if (len < ICMP_ECHO_HDR_LEN || l4[0] != reply) {
		debug("ICMP: unexpected message on ping socket dropped");
		return;
	}

	/* The guest's identifier back, sequence as is, new checksum */
	l4[4] = (uint8_t)(f->id >> 8);
	l4[5] = (uint8_t)f->id;
	l4[2] = l4[3] = 0;
	if (f->v6)
		sum = csum(l4, len, csum_pseudo6(gsrc, gdst, IPPROTO_ICMPV6,
						 len));
	else
		sum = csum(l4, len, 0);
	memcpy(l4 + 2, &sum, sizeof(sum));

	tap_l2l3_hdr(c, icmp_frame, af, gsrc, gdst,
		     f->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, len);
	tap_send_frame(c, icmp_frame, TAP_L2L3_LEN(af) + len);
}

/**
 * icmp_sock_handler() - A ping socket is readable: echo replies to the guest
 * @c:		execution context
 * @ref:	epoll reference, data is the flow index
 */
void icmp_sock_handler(struct ctx *c, union epoll_ref ref)
{
	const struct icmp_flow *f;
	int i;

	if (ref.data >= ICMP_FLOWS || icmp_flows[ref.data].fd != (int)ref.fd)
		return;
	f = &icmp_flows[ref.data];

	for (i = 0; i < ICMP_READS_MAX; i++) {
		int af = f->v6 ? AF_INET6 : AF_INET;
		uint8_t *l4 = (uint8_t *)icmp_frame + TAP_L2L3_LEN(af);
		size_t room = sizeof(icmp_frame) - TAP_L2L3_LEN(af);
		struct sockaddr_in6 peer;
		socklen_t sl = sizeof(peer);
		ssize_t n;

		/* Room for the largest message an IP packet can carry */
		room = MIN(room, (size_t)ICMP_MSG_MAX);
		n = recvfrom(f->fd, l4, room, MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&peer, &sl);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if ((size_t)n > room) {
			debug("ICMP: echo reply of %zd bytes dropped", n);
			continue;
		}
		icmp_reply(c, f, &peer, l4, (size_t)n);
	}
}

/**
 * icmp_timer() - Close ping sockets idle for ICMP_TIMEOUT_S seconds
 * @c:		execution context
 * @now:	current time
 */
void icmp_timer(struct ctx *c, const struct timespec *now)
{
	uint16_t i;

	(void)c;
	for (i = 1; i < ICMP_FLOWS; i++) {
		if (icmp_flows[i].fd < 0 ||
		    now->tv_sec - icmp_flows[i].last < ICMP_TIMEOUT_S)
			continue;
		trace("ICMP: ping socket for identifier %u timed out",
		      icmp_flows[i].id);
		icmp_flow_close(i);
	}
}

/**
 * icmp_init() - Set up the table of ping sockets
 * @c:		execution context
 */
void icmp_init(struct ctx *c)
{
	uint16_t i;

	(void)c;
	for (i = 1; i < ICMP_FLOWS; i++) {
		icmp_flows[i].fd = -1;
		icmp_flows[i].next_free = i + 1 < ICMP_FLOWS ? i + 1 : 0;
	}
	icmp_free = 1;
}
