// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp_test.c - Unit tests for the life of udp.c's tap flows, with real
 * sockets and a clock we move by hand: the guest's source port bound on the
 * host (or another port when it's taken, replies still reaching the
 * guest's port), flows released after UDP_TIMEOUT_S seconds without traffic
 * either way (not before), and a full flow table dropping datagrams that
 * need a new flow while existing flows go on working.
 *
 * udp.c is compiled in here, so its tables can be inspected.  Everything
 * runs in new user and network namespaces with only loopback: the "host's
 * service" is a socket on 127.0.0.1/::1, which the guest reaches through
 * the gateway address, and frames for the guest go to a socketpair that
 * stands for pasta's tap device.  Without namespaces, cases are skipped.
 */

#include "../../udp.c"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "unit_ns.h"

#define SRV_PORT	7000		/* the host's service, on loopback */
#define GPORT_A		40001		/* guest ports used by the cases */
#define GPORT_TAKEN	40002
#define GPORT_FULL	30000		/* the one flow too many */
#define GPORT_FILL	20000		/* first of the ports filling the table */

static struct ctx c;
static int tap_end;			/* our end of the "tap device" */
static int srv[2];			/* service sockets: IPv4, IPv6 */
static char frame[TAP_FRAME_MAX];

/* Guest-side addresses: the guest, and the gateway (host's loopback) */
static struct in_addr g4, gw4;
static struct in6_addr g6, gw6;

/**
 * setup() - Context of a pasta-like instance with a guest at 192.0.2.1 and
 *	     2001:db8::1, gateway 192.0.2.2 and fe80::2 mapped to loopback
 *
 * Return: 0 on success, -1 if a socket or the epoll instance failed
 */
static int setup(void)
{
	int i, buf = 4 << 20;

	if (unit_pasta_ctx(&c, &tap_end))
		return -1;
	c.mtu = TAP_MTU_MAX;
	g4 = c.ip4.addr;
	gw4 = c.ip4.gw;
	g6 = c.ip6.addr;
	gw6 = c.ip6.gw;

	for (i = 0; i < 2; i++) {
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
					   .sin6_port = htons(SRV_PORT),
					   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		struct sockaddr_in a4 = { .sin_family = AF_INET,
					  .sin_port = htons(SRV_PORT) };
		int rc;

		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		srv[i] = socket(i ? AF_INET6 : AF_INET,
				SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (srv[i] < 0)
			return -1;
		setsockopt(srv[i], SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
		if (i)
			rc = bind(srv[i], (struct sockaddr *)&a6, sizeof(a6));
		else
			rc = bind(srv[i], (struct sockaddr *)&a4, sizeof(a4));
		if (rc)
			return -1;
	}

	udp_init(&c);
	return 0;
}

/**
 * timer_at() - Run udp_timer() at a point in time
 * @s:		seconds after the start of the tests
 */
static void timer_at(time_t s)
{
	struct timespec t = unit_at(s);

	udp_timer(&c, &t);
}

/**
 * guest_send() - A datagram from the guest to the gateway's SRV_PORT
 * @af:		AF_INET or AF_INET6
 * @sport:	guest's source port
 * @tag:	payload: a number, to recognise it
 * @now:	current time
 */
static void guest_send(int af, uint16_t sport, uint32_t tag,
		       struct timespec now)
{
	static char dgram[UDP_HDR_LEN + sizeof(uint32_t)];
	struct udphdr uh = { .source = htons(sport), .dest = htons(SRV_PORT),
			     .len = htons(sizeof(dgram)) };
	PACKET_POOL_DECL(p, 1, dgram, sizeof(dgram));

	memcpy(dgram, &uh, sizeof(uh));
	memcpy(dgram + UDP_HDR_LEN, &tag, sizeof(tag));
	packet_add(&p, sizeof(dgram), dgram);
	if (af == AF_INET)
		udp_tap_handler(&c, af, &g4, &gw4, &p, &now);
	else
		udp_tap_handler(&c, af, &g6, &gw6, &p, &now);
}

/**
 * srv_recv() - Next datagram at the service, waiting up to @ms
 * @af:		AF_INET or AF_INET6
 * @ms:		milliseconds to wait
 * @tag:	set to the payload's number
 * @from:	set to the sender, for a reply
 *
 * Return: the sender's port, 0 if nothing came
 */
static uint16_t srv_recv(int af, int ms, uint32_t *tag,
			 struct sockaddr_in6 *from)
{
	struct pollfd pfd = { .fd = srv[af == AF_INET6], .events = POLLIN };
	socklen_t sl = sizeof(*from);
	ssize_t n;

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	n = recvfrom(pfd.fd, tag, sizeof(*tag), MSG_DONTWAIT,
		     (struct sockaddr *)from, &sl);
	if (n != (ssize_t)sizeof(*tag))
		return 0;
	return ntohs(from->sin6_port);	/* same offset in sockaddr_in */
}

/**
 * srv_drain() - Throw away whatever waits at both service sockets
 */
static void srv_drain(void)
{
	char b[64];
	int i;

	for (i = 0; i < 2; i++)
		while (recv(srv[i], b, sizeof(b), MSG_DONTWAIT) >= 0)
			;
}

/**
 * srv_recv_from() - Wait for the datagram of one guest port, skipping others
 * @af:		AF_INET or AF_INET6
 * @tag:	payload expected
 * @from:	set to the sender
 *
 * Return: the sender's port, 0 if the datagram didn't come within 1 s
 */
static uint16_t srv_recv_from(int af, uint32_t tag, struct sockaddr_in6 *from)
{
	uint32_t got;
	uint16_t port;

	while ((port = srv_recv(af, 1000, &got, from)))
		if (got == tag)
			return port;
	return 0;
}

/**
 * dispatch() - Hand pending socket events to udp.c, as the main loop does
 * @now:	current time
 * @ms:		milliseconds to wait for the first event
 */
static void dispatch(struct timespec now, int ms)
{
	struct epoll_event ev[64];
	int n, i;

	while ((n = epoll_wait(c.epollfd, ev, 64, ms)) > 0) {
		for (i = 0; i < n; i++) {
			union epoll_ref ref = { .u64 = ev[i].data.u64 };

			if (ref.type == EPOLL_TYPE_UDP)
				udp_sock_handler(&c, ref, ev[i].events, &now);
		}
		ms = 0;
	}
}

/**
 * guest_frame() - Next frame the guest got, as UDP ports and payload tag
 * @af:		AF_INET or AF_INET6 expected
 * @sport:	set to the source port
 * @dport:	set to the destination port
 * @tag:	set to the payload's number
 *
 * Return: 0 if a well-formed frame from the gateway to the guest came
 */
static int guest_frame(int af, uint16_t *sport, uint16_t *dport,
		       uint32_t *tag)
{
	size_t l2l3 = TAP_L2L3_LEN(af);
	struct udphdr uh;
	ssize_t n;

	n = recv(tap_end, frame, sizeof(frame), MSG_DONTWAIT);
	if (n != (ssize_t)(l2l3 + UDP_HDR_LEN + sizeof(*tag)))
		return -1;
	if (af == AF_INET) {
		struct iphdr ip;

		memcpy(&ip, frame + ETH_HDR_LEN, sizeof(ip));
		if (ip.protocol != IPPROTO_UDP || ip.saddr != gw4.s_addr ||
		    ip.daddr != g4.s_addr)
			return -1;
	} else {
		struct ip6_hdr ip6;

		memcpy(&ip6, frame + ETH_HDR_LEN, sizeof(ip6));
		if (ip6.ip6_nxt != IPPROTO_UDP ||
		    !IN6_ARE_ADDR_EQUAL(&ip6.ip6_src, &gw6) ||
		    !IN6_ARE_ADDR_EQUAL(&ip6.ip6_dst, &g6))
			return -1;
	}
	memcpy(&uh, frame + l2l3, sizeof(uh));
	memcpy(tag, frame + l2l3 + UDP_HDR_LEN, sizeof(*tag));
	*sport = ntohs(uh.source);
	*dport = ntohs(uh.dest);
	return 0;
}

/**
 * srv_reply() - The service answers a sender, and the answer is dispatched
 * @af:		AF_INET or AF_INET6
 * @to:		sender to answer
 * @tag:	payload
 * @now:	current time, for the handler
 */
static void srv_reply(int af, const struct sockaddr_in6 *to, uint32_t tag,
		      struct timespec now)
{
	socklen_t sl = af == AF_INET ? sizeof(struct sockaddr_in) :
				       sizeof(*to);

	sendto(srv[af == AF_INET6], &tag, sizeof(tag), 0,
	       (const struct sockaddr *)to, sl);
	dispatch(now, 1000);
}

/**
 * test_bind() - The guest's port on the host, or another one if it's taken
 * @af:		AF_INET or AF_INET6
 */
static void test_bind(int af)
{
	const char *v = af == AF_INET ? "IPv4" : "IPv6";
	uint16_t sport = 0, dport = 0, port;
	struct sockaddr_in6 from;
	uint32_t tag = 0;
	char name[128];
	int holder;

	guest_send(af, GPORT_A, 1, unit_at(0));
	port = srv_recv_from(af, 1, &from);
	snprintf(name, sizeof(name), "udp: the guest's source port is the "
		 "host's source port (%s)", v);
	CHECK(port == GPORT_A &&
	      !unit_bind_free(af, SOCK_DGRAM, 0, GPORT_A), name);

	srv_reply(af, &from, 2, unit_at(0));
	snprintf(name, sizeof(name), "udp: a reply reaches the guest's port "
		 "from the gateway (%s)", v);
	CHECK(!guest_frame(af, &sport, &dport, &tag) && sport == SRV_PORT &&
	      dport == GPORT_A && tag == 2, name);

	/* Another socket of the host holds the port the guest uses */
	holder = sock_l4(&c, af, IPPROTO_UDP, NULL, NULL, GPORT_TAKEN,
			 (union epoll_ref){ .type = EPOLL_TYPE_NONE });
	guest_send(af, GPORT_TAKEN, 3, unit_at(0));
	port = srv_recv_from(af, 3, &from);
	srv_reply(af, &from, 4, unit_at(0));
	snprintf(name, sizeof(name), "udp: guest port taken on the host: "
		 "another port, replies to the guest's (%s)", v);
	CHECK(holder >= 0 && port && port != GPORT_TAKEN &&
	      !guest_frame(af, &sport, &dport, &tag) && sport == SRV_PORT &&
	      dport == GPORT_TAKEN && tag == 4, name);
	if (holder >= 0)
		close(holder);
}

/**
 * test_timeout() - Flows live until UDP_TIMEOUT_S seconds without traffic
 *		    in either direction, then their sockets are closed
 * @af:		AF_INET or AF_INET6
 */
static void test_timeout(int af)
{
	const char *v = af == AF_INET ? "IPv4" : "IPv6";
	int v6 = af == AF_INET6, fds;
	uint16_t sport, dport, port;
	struct sockaddr_in6 from;
	uint32_t tag;
	char name[128];

	/* test_bind() left flows for GPORT_A and GPORT_TAKEN, last used at 0:
	 * one more second and they would expire
	 */
	timer_at(UDP_TIMEOUT_S - 1);
	snprintf(name, sizeof(name), "udp: idle flow kept until %d s (%s)",
		 UDP_TIMEOUT_S, v);
	CHECK(udp_by_port[v6][GPORT_A] &&
	      !unit_bind_free(af, SOCK_DGRAM, 0, GPORT_A), name);

	/* GPORT_A used again, and answered 101 s later: the reply counts as
	 * traffic, GPORT_TAKEN stays idle
	 */
	guest_send(af, GPORT_A, 5, unit_at(UDP_TIMEOUT_S - 1));
	port = srv_recv_from(af, 5, &from);
	srv_reply(af, &from, 6, unit_at(UDP_TIMEOUT_S + 100));
	timer_at(UDP_TIMEOUT_S + 100 + UDP_TIMEOUT_S - 1);
	snprintf(name, sizeof(name), "udp: traffic from the host keeps a flow, "
		 "the idle one is closed (%s)", v);
	CHECK(port == GPORT_A && !guest_frame(af, &sport, &dport, &tag) &&
	      tag == 6 && udp_by_port[v6][GPORT_A] &&
	      !udp_by_port[v6][GPORT_TAKEN] &&
	      unit_bind_free(af, SOCK_DGRAM, 0, GPORT_TAKEN) == 1 &&
	      !unit_bind_free(af, SOCK_DGRAM, 0, GPORT_A), name);

	fds = unit_fd_count();
	timer_at(UDP_TIMEOUT_S + 100 + UDP_TIMEOUT_S);
	snprintf(name, sizeof(name), "udp: idle flow released after %d s, "
		 "its port free again (%s)", UDP_TIMEOUT_S, v);
	CHECK(!udp_by_port[v6][GPORT_A] &&
	      unit_bind_free(af, SOCK_DGRAM, 0, GPORT_A) == 1 &&
	      unit_fd_count() == fds - 1, name);

	guest_send(af, GPORT_A, 7, unit_at(1000));
	port = srv_recv_from(af, 7, &from);
	snprintf(name, sizeof(name), "udp: a released port is bound again on "
		 "next use (%s)", v);
	CHECK(port == GPORT_A && udp_by_port[v6][GPORT_A], name);
	timer_at(100000);
}

/**
 * test_full() - A full table drops datagrams needing a new flow, cleanly
 */
static void test_full(void)
{
	unsigned long dropped;
	struct sockaddr_in6 from;
	uint16_t port, p;
	uint32_t tag;
	int fds, i;

	if (unit_nofile(UDP_FLOWS + 256)) {
		printf("SKIP udp: full flow table: can't have %d descriptors\n",
		       UDP_FLOWS + 256);
		return;
	}

	for (i = 0; i < UDP_FLOWS - 1; i++) {
		guest_send(AF_INET, (uint16_t)(GPORT_FILL + i), 100, unit_at(0));
		if (!(i % 128))
			srv_drain();
	}
	srv_drain();
	CHECK(!udp_free && unit_bind_free(AF_INET, SOCK_DGRAM, 0,
					  GPORT_FILL + UDP_FLOWS - 2) == 0,
	      "udp: the table fills up to its size");

	fds = unit_fd_count();
	dropped = udp_stats.no_flow;
	for (p = GPORT_FULL; p < GPORT_FULL + 3; p++)
		guest_send(p % 2 ? AF_INET6 : AF_INET, p, 200, unit_at(1));
	port = srv_recv(AF_INET, 200, &tag, &from);
	port = port ? port : srv_recv(AF_INET6, 200, &tag, &from);
	CHECK(!port && unit_fd_count() == fds &&
	      udp_stats.no_flow == dropped + 3 &&
	      !udp_by_port[0][GPORT_FULL] && !udp_by_port[1][GPORT_FULL + 1] &&
	      unit_bind_free(AF_INET, SOCK_DGRAM, 0, GPORT_FULL) == 1,
	      "udp: full table: datagrams needing a new flow dropped, no "
	      "socket opened");

	guest_send(AF_INET, GPORT_FILL + 5, 300, unit_at(2));
	port = srv_recv_from(AF_INET, 300, &from);
	CHECK(port == GPORT_FILL + 5, "udp: full table: existing flows still "
	      "carry datagrams");

	/* Only the flow used at 2 s is left after the others' timeout */
	timer_at(UDP_TIMEOUT_S);
	guest_send(AF_INET, GPORT_FULL, 400, unit_at(UDP_TIMEOUT_S));
	port = srv_recv_from(AF_INET, 400, &from);
	CHECK(port == GPORT_FULL && udp_by_port[0][GPORT_FILL + 5] &&
	      !udp_by_port[0][GPORT_FILL + 6], "udp: full table: room again "
	      "once idle flows time out");
	timer_at(100000);
	CHECK(udp_free && unit_fd_count() == fds - (UDP_FLOWS - 1),
	      "udp: every flow closed after its timeout, no descriptor left");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (unit_netns() || setup()) {
		printf("SKIP udp: flows: no user/network namespaces here\n");
		return 0;
	}

	test_bind(AF_INET);
	test_timeout(AF_INET);
	test_bind(AF_INET6);
	test_timeout(AF_INET6);
	test_full();
	return UNIT_RESULT();
}
