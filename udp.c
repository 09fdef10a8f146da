// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp.c - UDP translation between guest datagrams and host sockets
 *
 * This file owns every UDP socket of the program: the sockets opened on
 * demand for datagrams the guest sends ("tap flows"), the listening sockets
 * of -u port forwarding, and the frames built for the guest from what they
 * receive.
 *
 * Theory of operation
 *
 * Guest to host.  tap.c hands over consecutive datagrams of one flow (same
 * addresses and ports) as one pool.  The flow's socket is found by the
 * guest's source port: if that port is the destination of a -u forwarding,
 * the forwarding socket is used, so that replies of a server in the guest
 * leave from the port its clients talk to; otherwise a socket of the host
 * bound to the same port (or, if that is taken, to an ephemeral one) is
 * looked up in, or added to, a static table indexed by family and guest
 * port.  Sockets are not connected: one socket serves every destination the
 * guest talks to from that port, with sendmmsg() and one destination per
 * batch, translated by fwd_nat_from_guest() (gateway to loopback,
 * --dns-forward address to the host's resolver).
 *
 * Host to guest.  A readable socket is drained with recvmmsg() straight into
 * the payload area of frames whose Ethernet, IP and UDP headers are then
 * written in front of the payload, and the batch goes to tap_send_frames().
 * The source the guest sees is the peer, shown through fwd_nat_to_guest()
 * (loopback and the host's own address become the gateway), except for
 * replies of the host's resolver to a query the guest sent to the
 * --dns-forward address: those come from that address again.  Datagrams
 * longer than the guest's MTU allows are dropped and counted, never cut:
 * MSG_TRUNC tells us.
 *
 * Tap flows expire after UDP_TIMEOUT_S seconds without traffic in either
 * direction, and their sockets close.  When the table is full, datagrams
 * that would need a new flow are dropped, with a debug message.
 *
 * pasta's loopback bypass.  Datagrams from a loopback address of the host to
 * a -u socket, and every datagram to a -U socket (bound in the namespace),
 * don't become frames: they go socket to socket, to the loopback address of
 * the other side, at the forwarded port.  A bypass flow is keyed by the side
 * the client is on, the family and the client's port: its socket on the
 * other side is bound to the loopback address and, if it's free there, the
 * client's own port, so the server sees a familiar peer.  Replies reaching
 * that socket from port Q go back to the client from the forwarding socket
 * whose destination is Q (the reverse map of -u or -U), so they come from the
 * port the client sent to.  Datagrams are received with recvmmsg() into the
 * frame slots and sent on with sendmmsg(), batched per socket; bypass flows
 * expire like tap flows, and when their table is full datagrams that need a
 * new one are dropped.  Sockets in the namespace are opened by a task that
 * joins it (ns_call()).
 *
 * "auto" for UDP (pasta): ports bound in the namespace at start (unconnected
 * sockets in /proc/net/udp and udp6, read by fwd_scan_ports()) are forwarded
 * from the host (-u), ports bound on the host are forwarded from the
 * namespace (-U), except those bound on both sides.  Both sides are scanned
 * before any socket of ours is opened, so none of ours is taken for a port
 * to forward.
 *
 * The epoll reference of a UDP socket carries, in its data field, either the
 * index of a tap flow, UDP_REF_LISTEN with the family and bound port of a -u
 * socket, UDP_REF_NS with the family and bound port of a -U socket, or
 * UDP_REF_SPLICE with the index of a bypass flow.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checksum.h"
#include "fwd.h"
#include "log.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"
#include "tcp.h"
#include "udp.h"
#include "util.h"

/* #syscalls recvmmsg sendmmsg socket bind close setsockopt getsockopt */
/* #syscalls:pasta clone wait4 setns epoll_ctl */

#define UDP_FLOWS		2048	/* tap flows, entry 0 unused */
#define UDP_TIMEOUT_S		180	/* idle tap flows are closed */
#define UDP_BATCH		64	/* datagrams per recvmmsg() */
#define UDP_READS_MAX		4	/* recvmmsg() calls per event */
#define UDP_SEND_BATCH		256	/* datagrams per sendmmsg() */
#define UDP_SOCK_BUF		(4 * 1024 * 1024)	/* wished buffer size */

#define UDP_HDR_LEN		((size_t)sizeof(struct udphdr))
#define IP4_HDR_LEN		((size_t)sizeof(struct iphdr))
#define IP6_HDR_LEN		((size_t)sizeof(struct ip6_hdr))
/* Payload offset in a frame slot: room for the longest headers in front */
#define UDP_PAYLOAD_OFF		(ETH_HDR_LEN + IP6_HDR_LEN + UDP_HDR_LEN)
#define UDP_PAYLOAD_MAX		(TAP_MTU_MAX - IP4_HDR_LEN - UDP_HDR_LEN)
#define UDP_SLOT_SIZE		(UDP_PAYLOAD_OFF + UDP_PAYLOAD_MAX)

#define UDP_REF_LISTEN		(1U << 31)	/* data: forwarding socket */
#define UDP_REF_NS		(1U << 30)	/* data: -U socket (pasta) */
#define UDP_REF_SPLICE		(1U << 29)	/* data: bypass flow (pasta) */
#define UDP_REF_V6		(1U << 16)	/* data: IPv6 forwarding socket */

#define UDP_SPLICE_FLOWS	1024	/* bypass flows, entry 0 unused */

#define DNS_PORT		53

/**
 * struct udp_flow - A host socket for datagrams the guest sends from a port
 * @fd:		socket, -1 if the entry is free
 * @v6:		IPv6 socket
 * @gport:	guest port the flow belongs to, host order
 * @next_free:	next free entry (free entries only), 0 for none
 * @last:	CLOCK_MONOTONIC seconds of the last datagram either way
 * @gaddr:	guest address that last sent from @gport (IPv4: 4 bytes)
 */
struct udp_flow {
	int fd;
	uint8_t v6;
	uint16_t gport;
	uint16_t next_free;
	time_t last;
	struct in6_addr gaddr;
};

static struct udp_flow udp_flows[UDP_FLOWS];
static uint16_t udp_free;			/* first free entry */
static uint16_t udp_by_port[2][NUM_PORTS];	/* guest port -> flow */

/* Forwarding sockets (fd + 1, 0: none) by family and bound port, and for
 * each guest port that is a forwarding destination, the bound port
 */
static int udp_listen_fd[2][NUM_PORTS];
static uint16_t udp_rev_port[2][NUM_PORTS];
static uint8_t udp_rev_set[2][NUM_PORTS / 8];

/* -U sockets in the namespace (fd + 1) by family and bound port, and for
 * each host port that is a -U destination, the bound port
 */
static int udp_ns_fd[2][NUM_PORTS];
static uint16_t udp_ns_rev_port[2][NUM_PORTS];
static uint8_t udp_ns_rev_set[2][NUM_PORTS / 8];

/**
 * struct udp_splice_flow - A bypass flow: a client on one side, our socket
 *			    on the other side
 * @fd:		socket on the other side, -1 if the entry is free
 * @v6:		IPv6 flow
 * @from_ns:	the client is in the namespace (-U), not on the host (-u)
 * @cport:	client's port, host order
 * @caddr:	client's address (IPv4: struct in_addr at the start)
 * @next_free:	next free entry (free entries only), 0 for none
 * @last:	CLOCK_MONOTONIC seconds of the last datagram either way
 */
struct udp_splice_flow {
	int fd;
	uint8_t v6;
	uint8_t from_ns;
	uint16_t cport;
	struct in6_addr caddr;
	uint16_t next_free;
	time_t last;
};

static struct udp_splice_flow udp_splice[UDP_SPLICE_FLOWS];
static uint16_t udp_splice_free;
static uint16_t udp_splice_by_port[2][2][NUM_PORTS]; /* [from_ns][v6][cport] */

/* Bypass datagrams queued for one socket, each with its destination */
static struct sockaddr_in6 udp_sdst[UDP_SEND_BATCH];
static unsigned int udp_sn;
static int udp_sfd = -1;

/* Guest port whose last datagram to the host's resolver went to the
 * --dns-forward address: replies from the resolver show that address
 */
static uint8_t udp_dns_mapped[2][NUM_PORTS / 8];

/* Frames to the guest: headers are written in front of the payload */
static char udp_slots[UDP_BATCH][UDP_SLOT_SIZE];
static struct mmsghdr udp_rmsg[UDP_BATCH];
static struct iovec udp_riov[UDP_BATCH];
static struct sockaddr_in6 udp_rpeer[UDP_BATCH];	/* fits sockaddr_in */
static struct iovec udp_frames[UDP_BATCH];

/* Datagrams to the host */
static struct mmsghdr udp_smsg[UDP_SEND_BATCH];
static struct iovec udp_siov[UDP_SEND_BATCH];

/**
 * struct udp_stats - Counters of datagrams we dropped, for debug messages
 * @oversize:	from the host, longer than the guest's MTU allows
 * @unmapped:	from the host, from a source the guest can't answer to
 * @send_fail:	to the host, refused by the socket
 * @no_flow:	from the guest, no socket could be had
 * @no_splice:	through the bypass, no flow or no way back
 */
static struct udp_stats {
	unsigned long oversize;
	unsigned long unmapped;
	unsigned long send_fail;
	unsigned long no_flow;
	unsigned long no_splice;
} udp_stats;

/**
 * udp_v6() - Index for per-family tables
 * @af:		AF_INET or AF_INET6
 *
 * Return: 0 for IPv4, 1 for IPv6
 */
static inline int udp_v6(int af)
{
	return af == AF_INET6;
}

/**
 * udp_sockaddr() - Fill a socket address
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @addr:	address (struct in_addr or struct in6_addr)
 * @port:	port, host order
 * @sa:		socket address to fill, room for a struct sockaddr_in6
 *
 * A link-local IPv6 destination can only be the gateway: it is reached
 * through the host's interface for IPv6.
 *
 * Return: length of the socket address
 */
static socklen_t udp_sockaddr(const struct ctx *c, int af, const void *addr,
			      uint16_t port, struct sockaddr_in6 *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (af == AF_INET) {
		struct sockaddr_in *a4 = (struct sockaddr_in *)sa;

		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		memcpy(&a4->sin_addr, addr, sizeof(a4->sin_addr));
		return sizeof(*a4);
	}
	sa->sin6_family = AF_INET6;
	sa->sin6_port = htons(port);
	memcpy(&sa->sin6_addr, addr, sizeof(sa->sin6_addr));
	if (IN6_IS_ADDR_LINKLOCAL(&sa->sin6_addr))
		sa->sin6_scope_id = c->ifi6;
	return sizeof(*sa);
}

/**
 * udp_dst_ok() - Can the guest send to this destination through us?
 * @af:		AF_INET or AF_INET6
 * @dst:	destination as the guest sent it
 * @dport:	destination port, host order
 *
 * Broadcast and multicast have no single host socket to go to, and the
 * guest must not reach the host's loopback but through the gateway address.
 *
 * Return: true if the datagrams may be sent
 */
static bool udp_dst_ok(int af, const void *dst, uint16_t dport)
{
	if (!dport)
		return false;

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
 * udp_sock_bufs() - Ask for large socket buffers: bursts from either side
 *		     wait there instead of being dropped
 * @fd:		socket
 */
static void udp_sock_bufs(int fd)
{
	int v = UDP_SOCK_BUF;

	/* Capped by net.core.[rw]mem_max: best effort */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
}

/**
 * udp_flow_get() - Find or open the tap flow socket for a guest port
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @gport:	guest source port, host order
 * @now:	current time
 *
 * Return: socket, or -1 if the datagrams have to be dropped
 */
static int udp_flow_get(const struct ctx *c, int af, uint16_t gport,
			const struct timespec *now)
{
	union epoll_ref ref = { .type = EPOLL_TYPE_UDP };
	int v6 = udp_v6(af), fd;
	const char *ifname;
	struct udp_flow *f;
	const void *out;
	uint16_t idx;

	idx = udp_by_port[v6][gport];
	if (idx) {
		udp_flows[idx].last = now->tv_sec;
		return udp_flows[idx].fd;
	}

	idx = udp_free;
	if (!idx) {
		debug("UDP: flow table full (%d), dropping datagrams from "
		      "guest port %u", UDP_FLOWS - 1, gport);
		return -1;
	}

	/* Replies come back to the guest's port: bind it if the host lets
	 * us, or any port otherwise (the flow remembers the guest's)
	 */
	ref.data = idx;
	out = fwd_outbound(c, af, &ifname);
	fd = sock_l4(c, af, IPPROTO_UDP, out, ifname, gport, ref);
	if (fd < 0)
		fd = sock_l4(c, af, IPPROTO_UDP, out, ifname, 0, ref);
	if (fd < 0) {
		debug("UDP: no socket for guest port %u: %s", gport,
		      strerror(-fd));
		return -1;
	}
	udp_sock_bufs(fd);

	f = &udp_flows[idx];
	udp_free = f->next_free;
	f->fd = fd;
	f->v6 = (uint8_t)v6;
	f->gport = gport;
	f->next_free = 0;
	f->last = now->tv_sec;
	udp_by_port[v6][gport] = idx;
	trace("UDP: flow %u for guest port %u (IPv%d)", idx, gport,
	      v6 ? 6 : 4);
	return fd;
}

/**
 * udp_flow_close() - Close a tap flow and return its entry to the free list
 * @idx:	flow index
 */
static void udp_flow_close(uint16_t idx)
{
	struct udp_flow *f = &udp_flows[idx];

	close(f->fd);	/* also leaves the epoll set */
	udp_by_port[f->v6][f->gport] = 0;
	f->fd = -1;
	f->next_free = udp_free;
	udp_free = idx;
}

/**
 * udp_tap_sock() - Socket for datagrams from a guest port
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @gport:	guest source port, host order
 * @now:	current time
 *
 * Return: socket, or -1 if the datagrams have to be dropped
 */
static int udp_tap_sock(const struct ctx *c, int af, uint16_t gport,
			const struct timespec *now)
{
	int v6 = udp_v6(af);

	if (bitmap_isset(udp_rev_set[v6], gport)) {
		int fd = udp_listen_fd[v6][udp_rev_port[v6][gport]] - 1;

		if (fd >= 0)
			return fd;
	}
	return udp_flow_get(c, af, gport, now);
}

/**
 * udp_dns_mark() - Remember whether a guest port's queries to the host's
 *		    resolver were sent to the --dns-forward address
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @gport:	guest source port, host order
 * @gdst:	destination as the guest sent it
 * @hdst:	destination on the host side
 * @dport:	destination port, host order
 */
static void udp_dns_mark(const struct ctx *c, int af, uint16_t gport,
			 const void *gdst, const void *hdst, uint16_t dport)
{
	size_t alen = af == AF_INET ? sizeof(struct in_addr) :
				      sizeof(struct in6_addr);
	const void *host = af == AF_INET ? (const void *)&c->ip4.dns_host :
					   (const void *)&c->ip6.dns_host;
	int v6 = udp_v6(af);

	if (dport != DNS_PORT || memcmp(hdst, host, alen))
		return;
	if (memcmp(gdst, hdst, alen))
		bitmap_set(udp_dns_mapped[v6], gport);
	else
		bitmap_clear(udp_dns_mapped[v6], gport);
}

/**
 * udp_send_batch() - Send datagrams to the host, dropping what can't go
 * @fd:		socket
 * @n:		datagrams prepared in udp_smsg
 */
static void udp_send_batch(int fd, unsigned int n)
{
	unsigned int i = 0;

	while (i < n) {
		int r = sendmmsg(fd, udp_smsg + i, n - i, MSG_DONTWAIT);

		if (r > 0) {
			i += (unsigned int)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			/* Socket buffer full: like a congested link */
			udp_stats.send_fail += n - i;
			trace("UDP: %u datagrams dropped: %s", n - i,
			      strerror(errno));
			return;
		}
		/* This datagram is refused (unreachable, too large...) */
		udp_stats.send_fail++;
		debug("UDP: datagram to host dropped: %s (%lu so far)",
		      strerror(errno), udp_stats.send_fail);
		i++;
	}
}

/**
 * udp_flow_gaddr_set() - Remember which guest address uses a guest port
 * @af:		AF_INET or AF_INET6
 * @gport:	guest port, with an open flow
 * @saddr:	guest's source address
 */
static void udp_flow_gaddr_set(int af, uint16_t gport, const void *saddr)
{
	struct udp_flow *f = &udp_flows[udp_by_port[af == AF_INET6][gport]];

	memset(&f->gaddr, 0, sizeof(f->gaddr));
	memcpy(&f->gaddr, saddr, af == AF_INET ? 4 : 16);
}

/**
 * udp_flow_gaddr() - Send replies to the guest address that used the port
 * @af:		AF_INET or AF_INET6
 * @gport:	guest port a datagram goes to
 * @gsrc:	source the guest will see
 * @gdst:	guest address, replaced by the flow's if the scopes match
 *
 * A guest may have several addresses (SLAAC and DHCPv6, say): the latest
 * one seen is not necessarily the one a flow uses.
 */
static void udp_flow_gaddr(int af, uint16_t gport, const void *gsrc,
			   void *gdst)
{
	uint16_t idx = udp_by_port[af == AF_INET6][gport];
	const struct udp_flow *f = &udp_flows[idx];

	if (!idx || f->fd < 0)
		return;
	if (af == AF_INET) {
		if (f->gaddr.s6_addr32[0])
			memcpy(gdst, &f->gaddr, sizeof(struct in_addr));
		return;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&f->gaddr) ||
	    IN6_IS_ADDR_LINKLOCAL(&f->gaddr) !=
	    IN6_IS_ADDR_LINKLOCAL((const struct in6_addr *)gsrc))
		return;
	memcpy(gdst, &f->gaddr, sizeof(struct in6_addr));
}

/**
 * udp_tap_handler() - Datagrams of one flow from the guest to the host
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @saddr:	source address (struct in_addr or struct in6_addr)
 * @daddr:	destination address, same type
 * @p:		datagrams (UDP header and payload), all of one flow
 * @now:	current time
 */
void udp_tap_handler(struct ctx *c, int af, const void *saddr,
		     const void *daddr, const struct pool *p,
		     const struct timespec *now)
{
	struct sockaddr_in6 sa;
	struct in6_addr hdst;
	uint16_t sport, dport;
	struct udphdr uh;
	unsigned int n = 0;
	socklen_t sl;
	const void *h;
	size_t i;
	int fd;

	h = packet_get(p, 0, 0, UDP_HDR_LEN, NULL);
	if (!h) {
		debug("UDP: datagram from guest without header");
		return;
	}
	memcpy(&uh, h, sizeof(uh));
	sport = ntohs(uh.source);
	dport = ntohs(uh.dest);
	if (!sport || !udp_dst_ok(af, daddr, dport)) {
		debug("UDP: datagrams from guest port %u to port %u of an "
		      "address we don't send to: dropped", sport, dport);
		return;
	}

	fwd_nat_from_guest(c, af, daddr, dport, &hdst);
	fd = udp_tap_sock(c, af, sport, now);
	if (fd >= 0)
		udp_flow_gaddr_set(af, sport, saddr);
	if (fd < 0) {
		udp_stats.no_flow += p->count;
		return;
	}
	udp_dns_mark(c, af, sport, daddr, &hdst, dport);
	sl = udp_sockaddr(c, af, &hdst, dport, &sa);

	for (i = 0; i < p->count; i++) {
		size_t ulen, left;
		void *data;

		h = packet_get(p, i, 0, UDP_HDR_LEN, &left);
		if (!h) {
			debug("UDP: datagram from guest without header");
			continue;
		}
		memcpy(&uh, h, sizeof(uh));
		ulen = ntohs(uh.len);
		if (ulen < UDP_HDR_LEN || ulen - UDP_HDR_LEN > left ||
		    uh.source != htons(sport) || uh.dest != htons(dport)) {
			debug("UDP: datagram from guest with bad length or "
			      "ports: dropped");
			continue;
		}
		data = packet_get(p, i, UDP_HDR_LEN, ulen - UDP_HDR_LEN,
				  NULL);
		if (!data)
			continue;

		udp_siov[n].iov_base = data;
		udp_siov[n].iov_len = ulen - UDP_HDR_LEN;
		udp_smsg[n].msg_hdr = (struct msghdr){
			.msg_name = &sa, .msg_namelen = sl,
			.msg_iov = &udp_siov[n], .msg_iovlen = 1,
		};
		if (++n == UDP_SEND_BATCH) {
			udp_send_batch(fd, n);
			n = 0;
		}
	}
	if (n)
		udp_send_batch(fd, n);
}

/**
 * udp_gdst6() - Guest address an IPv6 datagram goes to, given its source
 * @c:		execution context
 * @src:	source the guest sees
 * @dst:	guest address to use
 *
 * The guest answers link-local sources from its link-local address.
 */
static void udp_gdst6(const struct ctx *c, const struct in6_addr *src,
		      struct in6_addr *dst)
{
	if (IN6_IS_ADDR_LINKLOCAL(src) &&
	    !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.addr_ll_seen))
		*dst = c->ip6.addr_ll_seen;
	else if (!IN6_IS_ADDR_UNSPECIFIED(&c->ip6.addr_seen))
		*dst = c->ip6.addr_seen;
	else
		*dst = c->ip6.addr;
}

/**
 * udp_guest_addrs() - Guest-side addresses for a datagram from the host
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @gport:	guest port the datagram goes to, host order
 * @peer:	sender, as received
 * @gsrc:	source the guest sees (struct in_addr or struct in6_addr)
 * @gdst:	guest address, same type
 *
 * Return: 0 on success, -1 if the guest couldn't answer to the sender
 */
static int udp_guest_addrs(const struct ctx *c, int af, uint16_t gport,
			   const struct sockaddr_in6 *peer, void *gsrc,
			   void *gdst)
{
	if (af == AF_INET) {
		const struct sockaddr_in *p4 = (const struct sockaddr_in *)peer;

		if (p4->sin_port == htons(DNS_PORT) &&
		    bitmap_isset(udp_dns_mapped[0], gport) &&
		    p4->sin_addr.s_addr == c->ip4.dns_host.s_addr) {
			struct in_addr d = c->ip4.addr_seen.s_addr ?
					   c->ip4.addr_seen : c->ip4.addr;

			memcpy(gsrc, &c->ip4.dns_match, sizeof(struct in_addr));
			memcpy(gdst, &d, sizeof(d));
			return 0;
		}
		return fwd_nat_to_guest(c, af, &p4->sin_addr, gsrc, gdst);
	}

	if (peer->sin6_port == htons(DNS_PORT) &&
	    bitmap_isset(udp_dns_mapped[1], gport) &&
	    IN6_ARE_ADDR_EQUAL(&peer->sin6_addr, &c->ip6.dns_host)) {
		struct in6_addr d;

		udp_gdst6(c, &c->ip6.dns_match, &d);
		memcpy(gsrc, &c->ip6.dns_match, sizeof(struct in6_addr));
		memcpy(gdst, &d, sizeof(d));
		return 0;
	}
	return fwd_nat_to_guest(c, af, &peer->sin6_addr, gsrc, gdst);
}

/**
 * udp_frame() - Write headers in front of a received payload
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @slot:	frame slot, payload at UDP_PAYLOAD_OFF
 * @len:	payload length
 * @gsrc:	source address the guest sees
 * @sport:	source port, host order
 * @gdst:	guest address
 * @dport:	guest port, host order
 * @frame:	set to the frame: start and length
 *
 * IPv4 datagrams go without UDP checksum (zero, RFC 768): the guest gets
 * them over a link that doesn't corrupt them, and summing up to 64 KiB per
 * datagram would cost more than everything else on this path.  IPv6 needs
 * the checksum (RFC 8200, 8.1).
 */
static void udp_frame(const struct ctx *c, int af, char *slot, size_t len,
		      const void *gsrc, uint16_t sport, const void *gdst,
		      uint16_t dport, struct iovec *frame)
{
	size_t l4len = UDP_HDR_LEN + len, l2l3 = TAP_L2L3_LEN(af);
	char *l4 = slot + UDP_PAYLOAD_OFF - UDP_HDR_LEN;
	char *start = l4 - l2l3;
	struct udphdr uh = {
		.source = htons(sport), .dest = htons(dport),
		.len = htons((uint16_t)l4len),
	};

	tap_l2l3_hdr(c, start, af, gsrc, gdst, IPPROTO_UDP, l4len);
	memcpy(l4, &uh, sizeof(uh));
	if (af == AF_INET6) {
		uh.check = csum(l4, l4len, csum_pseudo6(gsrc, gdst,
							 IPPROTO_UDP, l4len));
		if (!uh.check)
			uh.check = 0xffff;
		memcpy(l4 + offsetof(struct udphdr, check), &uh.check,
		       sizeof(uh.check));
	}
	frame->iov_base = start;
	frame->iov_len = l2l3 + l4len;
}

/**
 * udp_payload_max() - Longest payload the guest's MTU allows
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 *
 * Return: bytes of UDP payload
 */
static size_t udp_payload_max(const struct ctx *c, int af)
{
	size_t mtu = c->mtu ? (size_t)c->mtu : TAP_MTU_MAX;
	size_t hdrs = (af == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN) + UDP_HDR_LEN;

	return mtu > hdrs ? MIN(mtu - hdrs, UDP_PAYLOAD_MAX) : 0;
}

/**
 * udp_recv_batch() - Receive up to UDP_BATCH datagrams into frame slots
 * @fd:		socket
 * @plen:	longest payload accepted
 *
 * Return: number of datagrams, 0 if none (or on error)
 */
static unsigned int udp_recv_batch(int fd, size_t plen)
{
	int i, n;

	for (i = 0; i < UDP_BATCH; i++) {
		udp_riov[i].iov_base = udp_slots[i] + UDP_PAYLOAD_OFF;
		udp_riov[i].iov_len = plen;
		udp_rmsg[i].msg_hdr = (struct msghdr){
			.msg_name = &udp_rpeer[i],
			.msg_namelen = sizeof(udp_rpeer[i]),
			.msg_iov = &udp_riov[i], .msg_iovlen = 1,
		};
	}

	do
		n = recvmmsg(fd, udp_rmsg, UDP_BATCH, MSG_DONTWAIT, NULL);
	while (n < 0 && errno == EINTR);
	return n > 0 ? (unsigned int)n : 0;
}

/**
 * udp_is_loopback() - Is the sender of a datagram a loopback address?
 * @af:		AF_INET or AF_INET6
 * @peer:	sender, as received
 *
 * Return: true for 127.0.0.0/8 and ::1
 */
static bool udp_is_loopback(int af, const struct sockaddr_in6 *peer)
{
	if (af == AF_INET) {
		const struct sockaddr_in *p4 = (const struct sockaddr_in *)peer;

		return ntohl(p4->sin_addr.s_addr) >> 24 == IN_LOOPBACKNET;
	}
	return IN6_IS_ADDR_LOOPBACK(&peer->sin6_addr);
}

/**
 * udp_loopback() - Loopback address of a family
 * @af:		AF_INET or AF_INET6
 *
 * Return: pointer to a struct in_addr or struct in6_addr
 */
static const void *udp_loopback(int af)
{
	static struct in_addr lo4;

	lo4.s_addr = htonl(INADDR_LOOPBACK);
	if (af == AF_INET)
		return &lo4;
	return &in6addr_loopback;
}

/**
 * udp_sock_side() - Open, bind and register a socket on one side
 * @c:		execution context
 * @ns:		inside the namespace (pasta), instead of here
 * @af:		address family
 * @addr:	address to bind to, NULL for any
 * @ifname:	interface to bind to, NULL for none
 * @port:	port to bind to, 0 for any
 * @ref:	epoll reference
 *
 * Return: socket, or negative error code
 */
static int udp_sock_side(const struct ctx *c, bool ns, int af,
			 const void *addr, const char *ifname, uint16_t port,
			 union epoll_ref ref)
{
	int fd;

	if (ns)
		fd = sock_l4_ns(c, af, IPPROTO_UDP, addr, ifname, port, ref);
	else
		fd = sock_l4(c, af, IPPROTO_UDP, addr, ifname, port, ref);
	if (fd >= 0)
		udp_sock_bufs(fd);
	return fd;
}

/**
 * udp_splice_flush() - Send the datagrams queued for the bypass
 */
static void udp_splice_flush(void)
{
	if (udp_sn)
		udp_send_batch(udp_sfd, udp_sn);
	udp_sn = 0;
}

/**
 * udp_splice_queue() - Queue one received datagram for a socket
 * @c:		execution context
 * @fd:		socket to send from
 * @af:		AF_INET or AF_INET6
 * @addr:	destination address (struct in_addr or struct in6_addr)
 * @port:	destination port, host order
 * @i:		index of the datagram in udp_rmsg
 */
static void udp_splice_queue(const struct ctx *c, int fd, int af,
			     const void *addr, uint16_t port, unsigned int i)
{
	socklen_t sl;

	if (udp_sn && (fd != udp_sfd || udp_sn == UDP_SEND_BATCH))
		udp_splice_flush();
	udp_sfd = fd;
	sl = udp_sockaddr(c, af, addr, port, &udp_sdst[udp_sn]);
	udp_siov[udp_sn].iov_base = udp_slots[i] + UDP_PAYLOAD_OFF;
	udp_siov[udp_sn].iov_len = udp_rmsg[i].msg_len;
	udp_smsg[udp_sn].msg_hdr = (struct msghdr){
		.msg_name = &udp_sdst[udp_sn], .msg_namelen = sl,
		.msg_iov = &udp_siov[udp_sn], .msg_iovlen = 1,
	};
	udp_sn++;
}

/**
 * udp_splice_flow_get() - Find or open the bypass flow of a client
 * @c:		execution context
 * @from_ns:	the client is in the namespace
 * @af:		AF_INET or AF_INET6
 * @peer:	client's address and port, as received
 * @now:	current time
 *
 * Return: flow index, 0 if the datagram has to be dropped
 */
static uint16_t udp_splice_flow_get(const struct ctx *c, bool from_ns, int af,
				    const struct sockaddr_in6 *peer,
				    const struct timespec *now)
{
	union epoll_ref ref = { .type = EPOLL_TYPE_UDP };
	uint16_t cport = ntohs(peer->sin6_port), idx;
	const void *lo = udp_loopback(af);
	int v6 = udp_v6(af), fd;
	struct udp_splice_flow *f;

	idx = udp_splice_by_port[from_ns][v6][cport];
	if (!idx) {
		idx = udp_splice_free;
		if (!idx) {
			debug("UDP: bypass flow table full (%d)",
			      UDP_SPLICE_FLOWS - 1);
			return 0;
		}
		ref.data = UDP_REF_SPLICE | idx;
		fd = udp_sock_side(c, !from_ns, af, lo, NULL, cport, ref);
		if (fd < 0)
			fd = udp_sock_side(c, !from_ns, af, lo, NULL, 0, ref);
		if (fd < 0) {
			debug("UDP: no bypass socket for port %u: %s", cport,
			      strerror(-fd));
			return 0;
		}
		f = &udp_splice[idx];
		udp_splice_free = f->next_free;
		f->fd = fd;
		f->v6 = (uint8_t)v6;
		f->from_ns = from_ns;
		f->cport = cport;
		f->next_free = 0;
		udp_splice_by_port[from_ns][v6][cport] = idx;
		trace("UDP: bypass flow %u for port %u (%s, IPv%d)", idx,
		      cport, from_ns ? "namespace" : "host", v6 ? 6 : 4);
	}

	f = &udp_splice[idx];
	f->last = now->tv_sec;
	if (af == AF_INET)
		memcpy(&f->caddr, &((const struct sockaddr_in *)peer)->sin_addr,
		       sizeof(struct in_addr));
	else
		f->caddr = peer->sin6_addr;
	return idx;
}

/**
 * udp_splice_flow_close() - Close a bypass flow
 * @idx:	flow index
 */
static void udp_splice_flow_close(uint16_t idx)
{
	struct udp_splice_flow *f = &udp_splice[idx];

	close(f->fd);
	udp_splice_by_port[f->from_ns][f->v6][f->cport] = 0;
	f->fd = -1;
	f->next_free = udp_splice_free;
	udp_splice_free = idx;
}

/**
 * udp_splice_fwd() - Queue a datagram from a client through the bypass
 * @c:		execution context
 * @from_ns:	the client is in the namespace (-U), or on the host (-u)
 * @af:		AF_INET or AF_INET6
 * @port:	port the client sent to (the forwarding socket's), host order
 * @i:		index of the datagram in udp_rmsg
 * @now:	current time
 */
static void udp_splice_fwd(const struct ctx *c, bool from_ns, int af,
			   uint16_t port, unsigned int i,
			   const struct timespec *now)
{
	const struct fwd_ports *fwd = from_ns ? &c->udp_out : &c->udp_in;
	uint16_t idx = udp_splice_flow_get(c, from_ns, af, &udp_rpeer[i], now);

	if (!idx) {
		udp_stats.no_splice++;
		return;
	}
	udp_splice_queue(c, udp_splice[idx].fd, af, udp_loopback(af),
			 fwd_port_dest(fwd, port), i);
}

/**
 * udp_splice_origin() - Forwarding socket a reply goes back to its client by
 * @from_ns:	the client is in the namespace
 * @v6:		IPv6
 * @sport:	port the reply comes from (a forwarding destination)
 *
 * Return: socket, -1 if @sport is no forwarding destination
 */
static int udp_splice_origin(bool from_ns, int v6, uint16_t sport)
{
	if (from_ns) {
		if (!bitmap_isset(udp_ns_rev_set[v6], sport))
			return -1;
		return udp_ns_fd[v6][udp_ns_rev_port[v6][sport]] - 1;
	}
	if (!bitmap_isset(udp_rev_set[v6], sport))
		return -1;
	return udp_listen_fd[v6][udp_rev_port[v6][sport]] - 1;
}

/**
 * udp_splice_reply() - Datagrams on a bypass flow socket: back to the client
 * @c:		execution context
 * @fd:		socket
 * @idx:	flow index
 * @now:	current time
 */
static void udp_splice_reply(struct ctx *c, int fd, uint32_t idx,
			     const struct timespec *now)
{
	struct udp_splice_flow *f;
	unsigned int r, i, n;
	int af;

	if (!idx || idx >= UDP_SPLICE_FLOWS || udp_splice[idx].fd != fd)
		return;
	f = &udp_splice[idx];
	f->last = now->tv_sec;
	af = f->v6 ? AF_INET6 : AF_INET;

	for (r = 0; r < UDP_READS_MAX; r++) {
		n = udp_recv_batch(fd, UDP_PAYLOAD_MAX);
		for (i = 0; i < n; i++) {
			uint16_t sport = ntohs(udp_rpeer[i].sin6_port);
			int out = udp_splice_origin(f->from_ns, f->v6, sport);

			if (out < 0 || (udp_rmsg[i].msg_hdr.msg_flags &
					MSG_TRUNC)) {
				udp_stats.no_splice++;
				continue;
			}
			udp_splice_queue(c, out, af, &f->caddr, f->cport, i);
		}
		udp_splice_flush();
		if (n < UDP_BATCH)
			break;
	}
}

/**
 * udp_splice_from_ns() - Datagrams on a -U socket: to the host's loopback
 * @c:		execution context
 * @fd:		socket
 * @data:	epoll reference data: family flag and bound port
 * @now:	current time
 */
static void udp_splice_from_ns(struct ctx *c, int fd, uint32_t data,
			       const struct timespec *now)
{
	int af = (data & UDP_REF_V6) ? AF_INET6 : AF_INET;
	uint16_t port = (uint16_t)data;
	unsigned int r, i, n;

	for (r = 0; r < UDP_READS_MAX; r++) {
		n = udp_recv_batch(fd, UDP_PAYLOAD_MAX);
		for (i = 0; i < n; i++) {
			if (udp_rmsg[i].msg_hdr.msg_flags & MSG_TRUNC) {
				udp_stats.no_splice++;
				continue;
			}
			udp_splice_fwd(c, true, af, port, i, now);
		}
		udp_splice_flush();
		if (n < UDP_BATCH)
			break;
	}
}

/**
 * udp_sock_to_guest() - Move datagrams from a socket to the guest
 * @c:		execution context
 * @fd:		socket
 * @af:		AF_INET or AF_INET6
 * @gport:	guest port they go to, host order
 * @lport:	bound port of a -u socket in pasta, whose datagrams from
 *		loopback take the bypass; -1 otherwise
 * @now:	current time
 *
 * Return: number of datagrams received
 */
static unsigned int udp_sock_to_guest(struct ctx *c, int fd, int af,
				      uint16_t gport, int lport,
				      const struct timespec *now)
{
	size_t plen = lport >= 0 ? UDP_PAYLOAD_MAX : udp_payload_max(c, af);
	unsigned int i, n, nf = 0;

	n = udp_recv_batch(fd, plen);
	for (i = 0; i < n; i++) {
		const struct msghdr *mh = &udp_rmsg[i].msg_hdr;
		struct in6_addr gsrc, gdst;

		if (lport >= 0 && udp_is_loopback(af, &udp_rpeer[i])) {
			if (mh->msg_flags & MSG_TRUNC)
				udp_stats.no_splice++;
			else
				udp_splice_fwd(c, false, af, (uint16_t)lport,
					       i, now);
			continue;
		}
		if (udp_rmsg[i].msg_len > udp_payload_max(c, af))
			udp_rmsg[i].msg_hdr.msg_flags |= MSG_TRUNC;

		if (mh->msg_flags & MSG_TRUNC) {
			udp_stats.oversize++;
			debug("UDP: datagram longer than %zu bytes for guest "
			      "port %u dropped (%lu so far)", plen, gport,
			      udp_stats.oversize);
			continue;
		}
		if (udp_guest_addrs(c, af, gport, &udp_rpeer[i], &gsrc,
				    &gdst)) {
			udp_stats.unmapped++;
			debug("UDP: datagram from an address the guest can't "
			      "answer to dropped (%lu so far)",
			      udp_stats.unmapped);
			continue;
		}
		udp_flow_gaddr(af, gport, &gsrc, &gdst);
		udp_frame(c, af, udp_slots[i], udp_rmsg[i].msg_len, &gsrc,
			  ntohs(udp_rpeer[i].sin6_port), &gdst, gport,
			  &udp_frames[nf++]);
	}
	udp_splice_flush();
	if (nf)
		tap_send_frames(c, udp_frames, nf);
	return n;
}

/**
 * udp_sock_handler() - A UDP socket is readable (or has an error)
 * @c:		execution context
 * @ref:	epoll reference: tap flow index, or forwarding socket
 * @events:	epoll events
 * @now:	current time
 */
void udp_sock_handler(struct ctx *c, union epoll_ref ref, uint32_t events,
		      const struct timespec *now)
{
	int fd = (int)ref.fd, af, i, lport = -1;
	uint16_t gport;

	if (events & EPOLLERR) {
		int e;
		socklen_t sl = sizeof(e);

		/* Clear it, or level-triggered epoll reports it forever */
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl);
	}
	if (!(events & EPOLLIN))
		return;

	if (ref.data & UDP_REF_SPLICE) {
		udp_splice_reply(c, fd, ref.data & ~UDP_REF_SPLICE, now);
		return;
	}
	if (ref.data & UDP_REF_NS) {
		udp_splice_from_ns(c, fd, ref.data, now);
		return;
	}
	if (ref.data & UDP_REF_LISTEN) {
		af = (ref.data & UDP_REF_V6) ? AF_INET6 : AF_INET;
		gport = fwd_port_dest(&c->udp_in, (uint16_t)ref.data);
		if (c->mode == MODE_PASTA)
			lport = (uint16_t)ref.data;
	} else {
		struct udp_flow *f;

		if (ref.data >= UDP_FLOWS || udp_flows[ref.data].fd != fd)
			return;
		f = &udp_flows[ref.data];
		f->last = now->tv_sec;
		af = f->v6 ? AF_INET6 : AF_INET;
		gport = f->gport;
	}

	for (i = 0; i < UDP_READS_MAX; i++) {
		if (udp_sock_to_guest(c, fd, af, gport, lport, now) <
		    UDP_BATCH)
			break;
	}
}

/**
 * udp_timer() - Close tap flows and bypass flows idle for UDP_TIMEOUT_S
 * @c:		execution context
 * @now:	current time
 */
void udp_timer(struct ctx *c, const struct timespec *now)
{
	uint16_t i;

	(void)c;
	for (i = 1; i < UDP_FLOWS; i++) {
		if (udp_flows[i].fd < 0 ||
		    now->tv_sec - udp_flows[i].last < UDP_TIMEOUT_S)
			continue;
		trace("UDP: flow %u for guest port %u timed out", i,
		      udp_flows[i].gport);
		udp_flow_close(i);
	}
	for (i = 1; i < UDP_SPLICE_FLOWS; i++) {
		if (udp_splice[i].fd < 0 ||
		    now->tv_sec - udp_splice[i].last < UDP_TIMEOUT_S)
			continue;
		trace("UDP: bypass flow %u timed out", i);
		udp_splice_flow_close(i);
	}
}

/**
 * udp_listen_one() - Open one forwarding socket
 * @c:		execution context
 * @ns:		-U socket in the namespace (pasta), not -u on the host
 * @af:		AF_INET or AF_INET6
 * @addr:	address to bind to, NULL for any
 * @ifname:	interface to bind to, or empty
 * @port:	port, host order
 *
 * Return: 0 on success, negative error code on failure
 */
static int udp_listen_one(struct ctx *c, bool ns, int af, const void *addr,
			  const char *ifname, uint16_t port)
{
	const struct fwd_ports *fwd = ns ? &c->udp_out : &c->udp_in;
	union epoll_ref ref = { .type = EPOLL_TYPE_UDP };
	uint16_t dport = fwd_port_dest(fwd, port);
	int v6 = udp_v6(af), fd;

	ref.data = (ns ? UDP_REF_NS : UDP_REF_LISTEN) |
		   (v6 ? UDP_REF_V6 : 0) | port;
	fd = udp_sock_side(c, ns, af, addr, ifname, port, ref);
	if (fd < 0)
		return fd;

	if (ns) {
		udp_ns_fd[v6][port] = fd + 1;
		udp_ns_rev_port[v6][dport] = port;
		bitmap_set(udp_ns_rev_set[v6], dport);
		return 0;
	}
	udp_listen_fd[v6][port] = fd + 1;
	udp_rev_port[v6][dport] = port;
	bitmap_set(udp_rev_set[v6], dport);
	return 0;
}

/**
 * udp_listen_port() - Open the forwarding sockets of one port
 * @c:		execution context
 * @ns:		-U sockets in the namespace (pasta), not -u on the host
 * @port:	port, host order
 *
 * A port without bind address, or bound to the IPv6 unspecified address,
 * is forwarded for both IP versions (like a dual-stack socket would be); a
 * specific address is one IP version only.
 *
 * Return: 0 if at least one socket is open, negative error code otherwise
 */
static int udp_listen_port(struct ctx *c, bool ns, uint16_t port)
{
	const struct fwd_ports *fwd = ns ? &c->udp_out : &c->udp_in;
	const struct fwd_bind *b = &fwd->binds[fwd->bind[port]];
	const char *ifname = fwd->bind[port] ? b->ifname : NULL;
	int any = !fwd->bind[port] || b->af == AF_UNSPEC;
	int rc4 = -EAFNOSUPPORT, rc6 = -EAFNOSUPPORT;

	if (b->af == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&b->addr6))
		any = 1;

	if (c->ifi4 && (any || b->af == AF_INET))
		rc4 = udp_listen_one(c, ns, AF_INET, any ? NULL : &b->addr4,
				     ifname, port);
	if (c->ifi6 && (any || b->af == AF_INET6))
		rc6 = udp_listen_one(c, ns, AF_INET6, any ? NULL : &b->addr6,
				     ifname, port);

	if (!rc4 || !rc6)
		return 0;
	return rc4 != -EAFNOSUPPORT ? rc4 : rc6;
}

/**
 * udp_listen_all() - Open the forwarding sockets of one direction
 * @c:		execution context
 * @ns:		-U (pasta, sockets in the namespace), instead of -u
 * @bound:	"auto": ports bound on the other side and free on this one
 *
 * Explicit ports that can't be bound are fatal, as any start-up failure;
 * with "all" and "auto", ports that can't be bound are left out.
 */
static void udp_listen_all(struct ctx *c, bool ns, const uint8_t *bound)
{
	const struct fwd_ports *fwd = ns ? &c->udp_out : &c->udp_in;
	unsigned int port, done = 0, failed = 0;

	if (fwd->mode != FWD_SPEC && fwd->mode != FWD_ALL &&
	    fwd->mode != FWD_AUTO)
		return;

	for (port = 1; port < NUM_PORTS; port++) {
		int rc;

		if (!fwd_port_is_fwd(fwd, (uint16_t)port) ||
		    bitmap_isset(fwd->excl, port))
			continue;
		if (fwd->mode == FWD_AUTO && !bitmap_isset(bound, port))
			continue;
		rc = udp_listen_port(c, ns, (uint16_t)port);
		if (!rc) {
			done++;
			continue;
		}
		if (fwd->mode == FWD_SPEC)
			die("-%c: can't bind UDP port %u%s: %s", ns ? 'U' : 'u',
			    port, ns ? " in the namespace" : "",
			    strerror(-rc));
		failed++;
		if (rc == -EMFILE || rc == -ENFILE) {
			warn("UDP: out of file descriptors at port %u, "
			     "forwarding stops there", port);
			break;
		}
	}
	if (failed)
		info("UDP: %u ports forwarded%s, %u ports not available",
		     done, ns ? " from the namespace" : "", failed);
}

/**
 * udp_init() - Set up the flow tables, open -u (and -U) forwarding sockets
 * @c:		execution context
 *
 * For "auto" (pasta), the ports bound on both sides are read before any
 * socket of ours is opened: see the theory of operation above.
 */
void udp_init(struct ctx *c)
{
	static uint8_t bound[TCP_SIDES][NUM_PORTS / 8];
	uint16_t i;

	for (i = 1; i < UDP_FLOWS; i++) {
		udp_flows[i].fd = -1;
		udp_flows[i].next_free = i + 1 < UDP_FLOWS ? i + 1 : 0;
	}
	udp_free = 1;
	for (i = 1; i < UDP_SPLICE_FLOWS; i++) {
		udp_splice[i].fd = -1;
		udp_splice[i].next_free = i + 1 < UDP_SPLICE_FLOWS ? i + 1 : 0;
	}
	udp_splice_free = 1;

	if (c->mode == MODE_PASTA &&
	    (c->udp_in.mode == FWD_AUTO || c->udp_out.mode == FWD_AUTO)) {
		unsigned int b;

		fwd_scan_ports(c, TCP_SIDE_HOST, true, bound[TCP_SIDE_HOST]);
		fwd_scan_ports(c, TCP_SIDE_NS, true, bound[TCP_SIDE_NS]);
		for (b = 0; b < NUM_PORTS / 8; b++) {
			uint8_t both = bound[0][b] & bound[1][b];

			bound[0][b] &= (uint8_t)~both;
			bound[1][b] &= (uint8_t)~both;
		}
	}

	udp_listen_all(c, false, bound[TCP_SIDE_NS]);
	if (c->mode == MODE_PASTA)
		udp_listen_all(c, true, bound[TCP_SIDE_HOST]);
}
