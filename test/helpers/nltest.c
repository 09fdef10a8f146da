// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test/helpers/nltest.c - Command line driver for netlink.c, used by
 * test/integration/netlink.sh inside a throwaway network namespace
 *
 * netlink.c is compiled in directly (the helpers are not linked with
 * libpasst.a), with small stand-ins for the logging functions it uses.
 *
 * Usage: nltest CMD [ARGS]; IF is an interface name, or @N for index N
 *   ext_if 4|6			print the index of the default route's link
 *   gw IF 4|6			print the default gateway on IF
 *   addr IF 4|6		print ADDR/PREFIX, plus the link-local for 6
 *   ll IF			print the IPv6 link-local address only
 *   mac IF | mtu IF		print the MAC address or the MTU
 *   addr_set IF ADDR/PREFIX	add an address
 *   route_set IF 4|6 GW|none	add a default route
 *   up IF MTU			bring IF up, MTU 0 leaves it alone
 *   mac_set IF MAC		set the MAC address
 *   selftest			feed malformed replies to the parsers
 *
 * Queries print their result and exit 0, or print "none" and exit 2 when
 * nothing was found.  Setters print the return value (0 or a negative errno
 * and its name) and exit 0 on success, 1 otherwise.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../netlink.c"

/* Log stand-ins: debug messages only with NLTEST_DEBUG set */

void log_msg(int pri, const char *fmt, ...)
{
	va_list ap;

	if (pri >= LOG_DEBUG && !getenv("NLTEST_DEBUG"))
		return;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int log_trace_enabled(void)
{
	return 0;
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: nltest CMD [ARGS] (see nltest.c)\n");
	exit(1);
}

static unsigned int parse_if(const char *s)
{
	unsigned int ifi;

	if (s[0] == '@')
		return (unsigned int)strtoul(s + 1, NULL, 10);

	ifi = if_nametoindex(s);
	if (!ifi) {
		fprintf(stderr, "no interface %s\n", s);
		exit(1);
	}
	return ifi;
}

static sa_family_t parse_af(const char *s)
{
	if (!strcmp(s, "4"))
		return AF_INET;
	if (!strcmp(s, "6"))
		return AF_INET6;
	usage();
	return AF_UNSPEC;
}

static int parse_mac(const char *s, unsigned char *mac)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (unsigned char)b[i];
	return 0;
}

static const char *ntop(sa_family_t af, const void *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return inet_ntop(af, a, buf, sizeof(buf));
}

static int none(void)
{
	printf("none\n");
	return 2;
}

static int set_result(int rc)
{
	if (rc)
		printf("%i %s\n", rc, strerror(-rc));
	else
		printf("0\n");
	return rc ? 1 : 0;
}

static int cmd_addr(int s, unsigned int ifi, sa_family_t af)
{
	unsigned char a[16], ll[16];
	int plen = -1, rc;

	memset(ll, 0, sizeof(ll));
	rc = nl_addr_get(s, ifi, af, a, &plen, af == AF_INET6 ? ll : NULL);
	if (rc)
		return none();

	printf("%s/%i", ntop(af, a), plen);
	if (af == AF_INET6)
		printf(" %s", ntop(af, ll));
	printf("\n");
	return 0;
}

static int cmd_route_set(int s, unsigned int ifi, sa_family_t af,
			 const char *gw_s)
{
	unsigned char gw[16];

	if (!strcmp(gw_s, "none"))
		return set_result(nl_route_set_def(s, ifi, af, NULL));
	if (inet_pton(af, gw_s, gw) != 1)
		usage();
	return set_result(nl_route_set_def(s, ifi, af, gw));
}

static int cmd_addr_set(int s, unsigned int ifi, const char *arg)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	unsigned char a[16];
	sa_family_t af;

	snprintf(buf, sizeof(buf), "%s", arg);
	slash = strchr(buf, '/');
	if (!slash)
		usage();
	*slash = 0;
	af = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, buf, a) != 1)
		usage();

	return set_result(nl_addr_set(s, ifi, af, a, atoi(slash + 1)));
}

/* Self test: replies built by hand, malformed on purpose */

static int st_failed;

static void st_check(int cond, const char *name)
{
	if (cond) {
		printf("PASS %s\n", name);
		return;
	}
	printf("FAIL %s (wrong result)\n", name);
	st_failed = 1;
}

/**
 * struct st_buf - A fake datagram from the kernel
 * @buf:	messages, back to back
 * @len:	bytes used
 */
static struct st_buf {
	_Alignas(struct nlmsghdr) char buf[4096];
	size_t len;
} st;

/* Append a message built with nl_req_init()/nl_attr_put() */
static struct nlmsghdr *st_add(struct nl_req *r, uint32_t seq)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(void *)(st.buf + st.len);

	r->nh.nlmsg_seq = seq;
	memcpy(nh, r->buf, r->nh.nlmsg_len);
	st.len += NLMSG_ALIGN(r->nh.nlmsg_len);
	return nh;
}

static struct rtmsg *st_route(struct nl_req *r)
{
	struct rtmsg *rtm = nl_req_init(r, RTM_NEWROUTE, NLM_F_MULTI,
					sizeof(*rtm));

	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_type = RTN_UNICAST;
	return rtm;
}

static void st_done(uint32_t seq, int err)
{
	struct nl_req r;

	nl_req_init(&r, NLMSG_DONE, NLM_F_MULTI, sizeof(int));
	memcpy(NLMSG_DATA(&r.nh), &err, sizeof(err));
	st_add(&r, seq);
}

static int st_walk(struct nl_walk *w, nl_cb_t cb, void *arg)
{
	memset(w, 0, sizeof(*w));
	w->seq = 7;
	w->cb = cb;
	w->arg = arg;
	nl_walk_buf(w, st.buf, st.len);
	return w->found;
}

static void st_routes(void)
{
	struct nl_route_q q = { .af = AF_INET };
	uint32_t gw = htonl(0xc0000202), bad_gw = 1;
	struct nlmsghdr *nh;
	struct nl_walk w;
	struct nl_req r;

	/* Default route in another table, then a host route, then ours */
	st.len = 0;
	st_route(&r)->rtm_table = 100;
	nl_attr_put_u32(&r, RTA_OIF, 3);
	st_add(&r, 7);
	st_route(&r)->rtm_dst_len = 24;
	nl_attr_put_u32(&r, RTA_OIF, 4);
	st_add(&r, 7);
	st_route(&r);
	nl_attr_put_u32(&r, RTA_TABLE, RT_TABLE_MAIN);
	nl_attr_put_u32(&r, RTA_OIF, 5);
	nl_attr_put(&r, RTA_GATEWAY, &gw, 4);
	st_add(&r, 7);
	st_done(7, 0);
	st_check(st_walk(&w, nl_route_cb, &q) == 1 && q.oif == 5 && w.done,
		 "selftest route: skip other table and non-default");

	/* Stale sequence number: ignored entirely, reply not complete */
	memset(&q, 0, sizeof(q));
	q.af = AF_INET;
	st.len = 0;
	st_route(&r);
	nl_attr_put_u32(&r, RTA_OIF, 5);
	st_add(&r, 6);
	st_done(6, 0);
	st_check(!st_walk(&w, nl_route_cb, &q) && !w.done && !q.oif,
		 "selftest stale sequence number skipped");

	/* Gateway of the wrong size is not a gateway */
	q.gw_len = 4;
	st.len = 0;
	st_route(&r);
	nl_attr_put_u32(&r, RTA_OIF, 5);
	nl_attr_put(&r, RTA_GATEWAY, &bad_gw, 3);
	st_add(&r, 7);
	st_check(!st_walk(&w, nl_route_cb, &q), "selftest gateway size");

	/* Attribute claiming more than the message holds: not read */
	st.len = 0;
	st_route(&r);
	nl_attr_put_u32(&r, RTA_OIF, 5);
	nh = st_add(&r, 7);
	((struct rtattr *)(void *)((char *)nh + NLMSG_SPACE(sizeof(struct rtmsg))))->rta_len = 200;
	q.gw_len = 0;
	st_check(!st_walk(&w, nl_route_cb, &q), "selftest attribute overrun");

	/* Message too short for struct rtmsg */
	st.len = 0;
	nl_req_init(&r, RTM_NEWROUTE, NLM_F_MULTI, 4);
	st_add(&r, 7);
	st_check(!st_walk(&w, nl_route_cb, &q), "selftest short family header");

	/* Message longer than the datagram: not parsed */
	st.len = 0;
	st_route(&r);
	nl_attr_put_u32(&r, RTA_OIF, 5);
	st_add(&r, 7);
	st.len -= 4;
	st_check(!st_walk(&w, nl_route_cb, &q), "selftest truncated message");

	/* nlmsg_len smaller than a header: stop, don't loop */
	st.len = 0;
	st_route(&r);
	nh = st_add(&r, 7);
	nh->nlmsg_len = 8;
	st_check(!st_walk(&w, nl_route_cb, &q) && !w.done,
		 "selftest bogus message length");
}

static void st_multipath(void)
{
	struct nl_route_q q = { .af = AF_INET };
	struct {
		struct rtnexthop a;
		struct rtattr a_gw;
		uint32_t a_gw_v;
		struct rtnexthop b;
		struct rtattr b_gw;
		uint32_t b_gw_v;
	} mp = {
		{ sizeof(mp.a) + 8, 0, 0, 9 }, { 8, RTA_GATEWAY }, 0x0100000a,
		{ sizeof(mp.b) + 8, 0, 0, 10 }, { 8, RTA_GATEWAY }, 0x0200000a,
	};
	struct nl_walk w;
	struct nl_req r;

	st.len = 0;
	st_route(&r);
	nl_attr_put(&r, RTA_MULTIPATH, &mp, sizeof(mp));
	st_add(&r, 7);
	st_check(st_walk(&w, nl_route_cb, &q) == 1 && q.oif == 9,
		 "selftest multipath: first next hop");

	memset(&q, 0, sizeof(q));
	q.af = AF_INET;
	q.ifi = 10;
	q.gw_len = 4;
	st_check(st_walk(&w, nl_route_cb, &q) == 1 && q.oif == 10 &&
		 !memcmp(q.gw, &mp.b_gw_v, 4),
		 "selftest multipath: gateway of second next hop");

	mp.b.rtnh_len = 200;
	st.len = 0;
	st_route(&r);
	nl_attr_put(&r, RTA_MULTIPATH, &mp, sizeof(mp));
	st_add(&r, 7);
	st_check(!st_walk(&w, nl_route_cb, &q),
		 "selftest multipath: next hop overrun");
}

static void st_errors(void)
{
	struct nlmsgerr e = { .error = -EPERM };
	struct nl_walk w;
	struct nl_req r;

	st.len = 0;
	nl_req_init(&r, NLMSG_ERROR, 0, sizeof(e));
	memcpy(NLMSG_DATA(&r.nh), &e, sizeof(e));
	st_add(&r, 7);
	st_walk(&w, NULL, NULL);
	st_check(w.done && w.err == -EPERM, "selftest NLMSG_ERROR errno");

	st.len = 0;
	nl_req_init(&r, NLMSG_ERROR, 0, 2);
	st_add(&r, 7);
	st_walk(&w, NULL, NULL);
	st_check(w.done && w.err == -EBADMSG, "selftest short NLMSG_ERROR");

	st.len = 0;
	st_done(7, -EINTR);
	st_walk(&w, NULL, NULL);
	st_check(w.done && w.err == -EINTR, "selftest NLMSG_DONE error");
}

static void st_addrs(void)
{
	struct nl_addr_q q = { .af = AF_INET6, .ifi = 2,
			       .rank = INT_MAX, .rank_ll = INT_MAX };
	unsigned char dep[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x99 };
	unsigned char good[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	unsigned char peer[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };
	unsigned char ll[16] = { 0xfe, 0x80, [15] = 0x10 };
	struct ifaddrmsg *ifa;
	struct nl_walk w;
	struct nl_req r;

	st.len = 0;
	ifa = nl_req_init(&r, RTM_NEWADDR, NLM_F_MULTI, sizeof(*ifa));
	*ifa = (struct ifaddrmsg){ AF_INET6, 64, IFA_F_DEPRECATED, 0, 2 };
	nl_attr_put(&r, IFA_ADDRESS, dep, 16);
	st_add(&r, 7);
	ifa = nl_req_init(&r, RTM_NEWADDR, NLM_F_MULTI, sizeof(*ifa));
	*ifa = (struct ifaddrmsg){ AF_INET6, 128, 0, RT_SCOPE_LINK, 2 };
	nl_attr_put(&r, IFA_ADDRESS, ll, 16);
	st_add(&r, 7);
	ifa = nl_req_init(&r, RTM_NEWADDR, NLM_F_MULTI, sizeof(*ifa));
	*ifa = (struct ifaddrmsg){ AF_INET6, 56, 0, 0, 2 };
	nl_attr_put(&r, IFA_LOCAL, good, 16);
	nl_attr_put(&r, IFA_ADDRESS, peer, 16);
	st_add(&r, 7);
	ifa = nl_req_init(&r, RTM_NEWADDR, NLM_F_MULTI, sizeof(*ifa));
	*ifa = (struct ifaddrmsg){ AF_INET6, 64, 0, 0, 3 };
	nl_attr_put(&r, IFA_ADDRESS, peer, 16);
	st_add(&r, 7);
	st_done(7, 0);
	st_walk(&w, nl_addr_cb, &q);

	st_check(q.rank == 0 && !memcmp(q.addr, good, 16) &&
		 q.prefix_len == 56,
		 "selftest address: IFA_LOCAL, not deprecated, right link");
	st_check(q.rank_ll == 0 && !memcmp(q.ll, ll, 16),
		 "selftest address: link-local");
}

static int cmd_selftest(void)
{
	st_routes();
	st_multipath();
	st_errors();
	st_addrs();
	return st_failed;
}

static int run(int s, int argc, char **argv)
{
	const char *cmd = argv[1];
	unsigned char buf[16];
	unsigned int ifi;
	int rc;

	if (!strcmp(cmd, "ext_if") && argc == 3) {
		printf("%u\n", nl_get_ext_if(s, parse_af(argv[2])));
		return 0;
	}
	if (argc < 3)
		usage();

	ifi = parse_if(argv[2]);
	if (!strcmp(cmd, "gw") && argc == 4) {
		sa_family_t af = parse_af(argv[3]);

		if (nl_route_get_def(s, ifi, af, buf))
			return none();
		printf("%s\n", ntop(af, buf));
		return 0;
	}
	if (!strcmp(cmd, "addr") && argc == 4)
		return cmd_addr(s, ifi, parse_af(argv[3]));
	if (!strcmp(cmd, "ll") && argc == 3) {
		if (nl_addr_get(s, ifi, AF_INET6, NULL, NULL, buf))
			return none();
		printf("%s\n", ntop(AF_INET6, buf));
		return 0;
	}
	if (!strcmp(cmd, "mac") && argc == 3) {
		rc = nl_link_get_mac(s, ifi, buf);
		if (rc)
			return set_result(rc);
		printf("%02x:%02x:%02x:%02x:%02x:%02x\n",
		       buf[0], buf[1], buf[2], buf[3], buf[4], buf[5]);
		return 0;
	}
	if (!strcmp(cmd, "mtu") && argc == 3) {
		rc = nl_link_get_mtu(s, ifi);
		if (rc < 0)
			return none();
		printf("%i\n", rc);
		return 0;
	}
	if (!strcmp(cmd, "addr_set") && argc == 4)
		return cmd_addr_set(s, ifi, argv[3]);
	if (!strcmp(cmd, "route_set") && argc == 5)
		return cmd_route_set(s, ifi, parse_af(argv[3]), argv[4]);
	if (!strcmp(cmd, "up") && argc == 4)
		return set_result(nl_link_up(s, ifi, atoi(argv[3])));
	if (!strcmp(cmd, "mac_set") && argc == 4) {
		if (parse_mac(argv[3], buf))
			usage();
		return set_result(nl_link_set_mac(s, ifi, buf));
	}

	usage();
	return 1;
}

int main(int argc, char **argv)
{
	int s;

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "selftest"))
		return cmd_selftest();

	s = nl_sock_open();
	if (s < 0) {
		perror("nl_sock_open");
		return 1;
	}
	return run(s, argc, argv);
}
