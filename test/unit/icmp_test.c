// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * icmp_test.c - Unit tests for icmp.c with real ping sockets and a clock we
 * move by hand: echo replies carry the guest's identifier and sequence, the
 * ping socket is bound to the guest's identifier (or, when the host holds
 * it, to another one, translated back; the same identifier over IPv4 and
 * IPv6 at once), sockets close after ICMP_TIMEOUT_S
 * seconds without a request (not before), a full table drops requests that
 * need a new socket while the others are still answered, and forbidden ping
 * sockets are reported once.
 *
 * icmp.c is compiled in here, so its tables can be inspected.  Everything
 * runs in new user and network namespaces with only loopback (the gateway
 * address is mapped to it, so the kernel of the namespace answers), with
 * net.ipv4.ping_group_range set there; frames for the guest go to a
 * socketpair standing for pasta's tap device.  Without namespaces, cases
 * are skipped.
 */

#include "../../icmp.c"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>

#include "unit.h"
#include "unit_ns.h"

#define ID_A		1234		/* identifiers used by the cases */
#define ID_TAKEN	2345
#define ID_FILL		10000		/* first of those filling the table */
#define ID_FULL		30000		/* the one identifier too many */

static struct ctx c;
static int tap_end;			/* our end of the "tap device" */
static char frame[TAP_FRAME_MAX];

/* Guest-side addresses: the guest, and the gateway (host's loopback) */
static struct in_addr g4, gw4;
static struct in6_addr g6, gw6;

/**
 * setup() - Context of a pasta-like instance with a guest at 192.0.2.1 and
 *	     2001:db8::1, gateway 192.0.2.2 and fe80::2 mapped to loopback
 *
 * Return: 0 on success, -1 if the socketpair or epoll instance failed
 */
static int setup(void)
{
	if (unit_pasta_ctx(&c, &tap_end))
		return -1;
	g4 = c.ip4.addr;
	gw4 = c.ip4.gw;
	g6 = c.ip6.addr;
	gw6 = c.ip6.gw;
	icmp_init(&c);
	return 0;
}

/**
 * timer_at() - Run icmp_timer() at a point in time
 * @s:		seconds after the start of the tests
 */
static void timer_at(time_t s)
{
	struct timespec t = unit_at(s);

	icmp_timer(&c, &t);
}

/**
 * guest_ping() - An echo request from the guest to the gateway
 * @af:		AF_INET or AF_INET6
 * @id:		echo identifier
 * @seq:	sequence number
 * @s:		seconds after the start of the tests
 */
static void guest_ping(int af, uint16_t id, uint16_t seq, time_t s)
{
	static uint8_t msg[ICMP_ECHO_HDR_LEN + 8];
	struct timespec now = unit_at(s);
	PACKET_POOL_DECL(p, 1, msg, sizeof(msg));

	memset(msg, 0, sizeof(msg));
	msg[0] = af == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	msg[4] = (uint8_t)(id >> 8);
	msg[5] = (uint8_t)id;
	msg[6] = (uint8_t)(seq >> 8);
	msg[7] = (uint8_t)seq;
	memcpy(msg + ICMP_ECHO_HDR_LEN, "passtest", 8);
	packet_add(&p, sizeof(msg), (const char *)msg);
	if (af == AF_INET)
		icmp_tap_handler(&c, af, &g4, &gw4, &p, &now);
	else
		icmp_tap_handler(&c, af, &g6, &gw6, &p, &now);
}

/**
 * dispatch() - Hand pending ping socket events to icmp.c
 * @ms:		milliseconds to wait for the first event
 */
static void dispatch(int ms)
{
	struct epoll_event ev[64];
	int n, i;

	while ((n = epoll_wait(c.epollfd, ev, 64, ms)) > 0) {
		for (i = 0; i < n; i++) {
			union epoll_ref ref = { .u64 = ev[i].data.u64 };

			if (ref.type == EPOLL_TYPE_PING)
				icmp_sock_handler(&c, ref);
		}
		ms = 0;
	}
}

/**
 * guest_reply() - Next frame the guest got: an echo reply from the gateway?
 * @af:		AF_INET or AF_INET6
 * @id:		set to its identifier
 * @seq:	set to its sequence number
 *
 * Return: 0 for a well-formed echo reply from the gateway to the guest,
 *	   with our payload and a valid checksum; -1 otherwise or if none came
 */
static int guest_reply(int af, uint16_t *id, uint16_t *seq)
{
	size_t l2l3 = TAP_L2L3_LEN(af), len;
	const uint8_t *m;
	ssize_t n;

	n = recv(tap_end, frame, sizeof(frame), MSG_DONTWAIT);
	if (n != (ssize_t)(l2l3 + ICMP_ECHO_HDR_LEN + 8))
		return -1;
	m = (const uint8_t *)frame + l2l3;
	len = (size_t)n - l2l3;
	if (af == AF_INET) {
		struct iphdr ip;

		memcpy(&ip, frame + ETH_HDR_LEN, sizeof(ip));
		if (ip.protocol != IPPROTO_ICMP || ip.saddr != gw4.s_addr ||
		    ip.daddr != g4.s_addr || m[0] != ICMP_ECHOREPLY ||
		    csum(m, len, 0))
			return -1;
	} else {
		struct ip6_hdr ip6;

		memcpy(&ip6, frame + ETH_HDR_LEN, sizeof(ip6));
		if (ip6.ip6_nxt != IPPROTO_ICMPV6 ||
		    !IN6_ARE_ADDR_EQUAL(&ip6.ip6_src, &gw6) ||
		    !IN6_ARE_ADDR_EQUAL(&ip6.ip6_dst, &g6) ||
		    m[0] != ICMP6_ECHO_REPLY ||
		    csum(m, len, csum_pseudo6(&gw6, &g6, IPPROTO_ICMPV6, len)))
			return -1;
	}
	if (memcmp(m + ICMP_ECHO_HDR_LEN, "passtest", 8))
		return -1;
	*id = (uint16_t)(m[4] << 8 | m[5]);
	*seq = (uint16_t)(m[6] << 8 | m[7]);
	return 0;
}

/**
 * ping_ok() - One echo request from the guest, its reply back
 * @af:		AF_INET or AF_INET6
 * @id:		echo identifier
 * @seq:	sequence number
 * @s:		seconds after the start of the tests
 *
 * Return: true if the guest got exactly its identifier and sequence back
 */
static bool ping_ok(int af, uint16_t id, uint16_t seq, time_t s)
{
	uint16_t rid, rseq;

	guest_ping(af, id, seq, s);
	dispatch(1000);
	return !guest_reply(af, &rid, &rseq) && rid == id && rseq == seq;
}

/**
 * proto_of() - Ping socket protocol of a family
 * @af:		AF_INET or AF_INET6
 *
 * Return: IPPROTO_ICMP or IPPROTO_ICMPV6
 */
static int proto_of(int af)
{
	return af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
}

/**
 * holder_ping() - A ping socket of the host pings loopback, gets its reply
 * @af:		AF_INET or AF_INET6
 * @fd:		the host's ping socket
 *
 * Return: true if the reply reached @fd, and nothing reached the guest
 */
static bool holder_ping(int af, int fd)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	uint8_t msg[ICMP_ECHO_HDR_LEN] = { 0 }, r[64];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	msg[0] = af == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	msg[7] = 99;
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (af == AF_INET)
		n = sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&a4,
			   sizeof(a4));
	else
		n = sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&a6,
			   sizeof(a6));
	if (n != sizeof(msg) || poll(&pfd, 1, 1000) != 1)
		return false;
	n = recv(fd, r, sizeof(r), MSG_DONTWAIT);
	dispatch(100);
	return n == sizeof(msg) && r[7] == 99 &&
	       recv(tap_end, frame, sizeof(frame), MSG_DONTWAIT) < 0;
}

/**
 * test_ids() - Identifiers: bound as the guest's, or translated back
 * @af:		AF_INET or AF_INET6
 */
static void test_ids(int af)
{
	const char *v = af == AF_INET ? "IPv4" : "IPv6";
	union epoll_ref none = { .type = EPOLL_TYPE_NONE };
	char name[128];
	bool ok;
	int holder;

	ok = ping_ok(af, ID_A, 7, 0);
	snprintf(name, sizeof(name), "icmp: echo reply with the guest's "
		 "identifier and sequence (%s)", v);
	CHECK(ok, name);
	snprintf(name, sizeof(name), "icmp: ping socket bound to the guest's "
		 "identifier (%s)", v);
	CHECK(!unit_bind_free(af, SOCK_DGRAM, proto_of(af), ID_A), name);

	holder = sock_l4(&c, af, proto_of(af), NULL, NULL, ID_TAKEN, none);
	ok = holder >= 0 && ping_ok(af, ID_TAKEN, 8, 0) &&
	     ping_ok(af, ID_TAKEN, 9, 0);
	snprintf(name, sizeof(name), "icmp: identifier taken on the host: "
		 "another one, translated back (%s)", v);
	CHECK(ok && icmp_by_id[af == AF_INET6][ID_TAKEN], name);

	snprintf(name, sizeof(name), "icmp: the host's socket with that "
		 "identifier still gets its own replies (%s)", v);
	CHECK(holder >= 0 && holder_ping(af, holder), name);
	if (holder >= 0)
		close(holder);
}

/**
 * test_timeout() - Sockets close ICMP_TIMEOUT_S seconds after the last
 *		    request, not before
 * @af:		AF_INET or AF_INET6
 */
static void test_timeout(int af)
{
	const char *v = af == AF_INET ? "IPv4" : "IPv6";
	int v6 = af == AF_INET6, fds;
	char name[128];
	bool ok;

	/* test_ids() used ID_A and ID_TAKEN at 0; ID_A again at 30 */
	ok = ping_ok(af, ID_A, 10, 30);

	timer_at(ICMP_TIMEOUT_S - 1);
	snprintf(name, sizeof(name), "icmp: idle socket kept until %d s (%s)",
		 ICMP_TIMEOUT_S, v);
	CHECK(ok && icmp_by_id[v6][ID_A] && icmp_by_id[v6][ID_TAKEN], name);

	fds = unit_fd_count();
	timer_at(ICMP_TIMEOUT_S);
	snprintf(name, sizeof(name), "icmp: idle socket closed after %d s, "
		 "a used one kept (%s)", ICMP_TIMEOUT_S, v);
	CHECK(!icmp_by_id[v6][ID_TAKEN] && icmp_by_id[v6][ID_A] &&
	      unit_fd_count() == fds - 1, name);

	timer_at(30 + ICMP_TIMEOUT_S);
	snprintf(name, sizeof(name), "icmp: identifier free again after the "
		 "timeout, and used again on the next request (%s)", v);
	CHECK(!icmp_by_id[v6][ID_A] &&
	      unit_bind_free(af, SOCK_DGRAM, proto_of(af), ID_A) == 1 &&
	      unit_fd_count() == fds - 2 && ping_ok(af, ID_A, 11, 1000) &&
	      !unit_bind_free(af, SOCK_DGRAM, proto_of(af), ID_A), name);
	timer_at(100000);
}

/**
 * test_both() - One identifier used over IPv4 and IPv6 at once: ping sockets
 *		 of both versions share the identifier space, so one of them
 *		 is translated, and both are answered
 */
static void test_both(void)
{
	bool ok4, ok6, again4;

	ok4 = ping_ok(AF_INET, ID_A, 1, 0);
	ok6 = ping_ok(AF_INET6, ID_A, 2, 0);
	again4 = ping_ok(AF_INET, ID_A, 3, 0);
	CHECK(ok4 && ok6 && again4 && icmp_by_id[0][ID_A] &&
	      icmp_by_id[1][ID_A], "icmp: one identifier over IPv4 and IPv6 "
	      "at once, both answered");
	timer_at(100000);
}

/**
 * test_full() - A full table drops requests needing a new socket, cleanly
 */
static void test_full(void)
{
	int fds, i;

	for (i = 0; i < ICMP_FLOWS - 1; i++)
		guest_ping(i % 2 ? AF_INET6 : AF_INET, (uint16_t)(ID_FILL + i),
			   1, 0);
	dispatch(200);
	while (recv(tap_end, frame, sizeof(frame), MSG_DONTWAIT) >= 0)
		;
	CHECK(!icmp_free, "icmp: the table fills up to its size");

	fds = unit_fd_count();
	guest_ping(AF_INET, ID_FULL, 1, 1);
	guest_ping(AF_INET6, ID_FULL, 1, 1);
	dispatch(300);
	CHECK(recv(tap_end, frame, sizeof(frame), MSG_DONTWAIT) < 0 &&
	      unit_fd_count() == fds && !icmp_by_id[0][ID_FULL] &&
	      !icmp_by_id[1][ID_FULL],
	      "icmp: full table: requests needing a new socket dropped, none "
	      "opened");
	CHECK(ping_ok(AF_INET, ID_FILL + 4, 2, 2) &&
	      ping_ok(AF_INET6, ID_FILL + 5, 2, 2),
	      "icmp: full table: existing identifiers still answered");

	timer_at(ICMP_TIMEOUT_S);
	CHECK(ping_ok(AF_INET, ID_FULL, 3, ICMP_TIMEOUT_S),
	      "icmp: full table: room again once idle sockets time out");
	timer_at(100000);
	CHECK(icmp_free && unit_fd_count() == fds - (ICMP_FLOWS - 1),
	      "icmp: every socket closed after its timeout, no descriptor "
	      "left");
}

/**
 * test_forbidden() - Ping sockets refused: requests dropped, said once
 */
static void test_forbidden(void)
{
	char path[] = "/tmp/icmp_test.XXXXXX", buf[4096];
	int fd, saved, n = 0, fds;
	ssize_t len;
	char *s;

	fds = unit_fd_count();
	fd = mkstemp(path);
	if (fd < 0) {
		printf("SKIP icmp: forbidden ping sockets: no temporary file\n");
		return;
	}
	unlink(path);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);

	guest_ping(AF_INET, ID_A, 1, 0);
	guest_ping(AF_INET, ID_A + 1, 1, 0);
	guest_ping(AF_INET6, ID_A, 1, 0);
	dispatch(200);

	dup2(saved, STDERR_FILENO);
	close(saved);
	len = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	buf[len > 0 ? len : 0] = '\0';
	for (s = buf; (s = strstr(s, "ping sockets not allowed")); s++)
		n++;
	CHECK(n == 1 && icmp_warned == 3 && unit_fd_count() == fds &&
	      recv(tap_end, frame, sizeof(frame), MSG_DONTWAIT) < 0,
	      "icmp: ping_group_range forbids ping sockets: said once, "
	      "requests dropped");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (unit_netns() || setup()) {
		printf("SKIP icmp: ping sockets: no user/network namespaces "
		       "here\n");
		return 0;
	}

	/* A new network namespace forbids ping sockets to every group */
	test_forbidden();

	/* Only our own group is mapped in the user namespace */
	if (unit_ping_range("0 0")) {
		printf("SKIP icmp: ping sockets: can't allow them\n");
		return UNIT_RESULT();
	}

	test_ids(AF_INET);
	test_timeout(AF_INET);
	test_ids(AF_INET6);
	test_timeout(AF_INET6);
	test_both();
	test_full();
	return UNIT_RESULT();
}
