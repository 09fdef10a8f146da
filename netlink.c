// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netlink.c - Route, address and link queries and configuration (rtnetlink)
 *
 * This file owns every conversation with the kernel over NETLINK_ROUTE:
 * reading the host's default routes, gateways, addresses, MAC addresses and
 * MTUs (defaults for conf.c), and configuring the namespace side in pasta
 * (--config-net: addresses, default routes, MAC, MTU, link up).
 *
 * One request is in flight at a time.  Replies are read into a single static
 * buffer and walked with bounds checks at every level: netlink message
 * headers (NLMSG_OK), family headers (length checked before use), attributes
 * (RTA_OK, payload sizes checked before copying) and multipath next hops.
 * Replies carrying a sequence number other than the one of the current
 * request are stale leftovers of an earlier, failed exchange and are skipped.
 * Sockets get a receive timeout, so a missing answer cannot block us forever.
 */

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "log.h"
#include "netlink.h"

/* #syscalls socket bind setsockopt sendto recvfrom close */

#define NL_BUFSIZE	(64 * 1024)	/* replies: largest dump datagram */
#define NL_REQSIZE	256		/* requests: header plus attributes */
#define NL_TIMEOUT_S	5		/* receive timeout, seconds */
#define NL_MAC_LEN	6		/* Ethernet address length */

/* Replies from the kernel, one datagram at a time */
static _Alignas(struct nlmsghdr) char nl_buf[NL_BUFSIZE];

/* Sequence number of the last request sent, on any socket */
static uint32_t nl_seq;

/**
 * struct nl_req - A request under construction
 * @nh:		netlink header, at the start of @buf
 * @buf:	room for the header, the family header and attributes
 * @overflow:	an attribute did not fit: the request must not be sent
 */
struct nl_req {
	union {
		struct nlmsghdr nh;
		char buf[NL_REQSIZE];
	};
	int overflow;
};

/**
 * typedef nl_cb_t - Handler for one reply message of a request
 * @nh:		message, nh->nlmsg_len is within the received datagram
 * @arg:	caller's state
 *
 * Return: 0 to keep receiving messages, 1 when done (later messages are
 * still drained but not passed on), negative errno on failure
 */
typedef int (*nl_cb_t)(const struct nlmsghdr *nh, void *arg);

/**
 * struct nl_walk - State of the reply to one request
 * @seq:	sequence number of the request
 * @cb:		handler for data messages, may be NULL
 * @arg:	argument for @cb
 * @found:	@cb returned 1
 * @done:	NLMSG_DONE or NLMSG_ERROR (ACK) seen: reply complete
 * @err:	first error, negative errno, from the kernel or from @cb
 */
struct nl_walk {
	uint32_t seq;
	nl_cb_t cb;
	void *arg;
	int found;
	int done;
	int err;
};

/**
 * nl_af_len() - Size of an address of a family
 * @af:		AF_INET or AF_INET6
 *
 * Return: 4, 16, or 0 for any other family
 */
static size_t nl_af_len(sa_family_t af)
{
	if (af == AF_INET)
		return sizeof(struct in_addr);
	if (af == AF_INET6)
		return sizeof(struct in6_addr);
	return 0;
}

/**
 * nl_sock_open() - Open a NETLINK_ROUTE socket in the current namespace
 *
 * Return: socket, or -1 on failure (errno is set)
 */
int nl_sock_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = NL_TIMEOUT_S };
	int s, e;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0)
		return -1;

	if (!bind(s, (struct sockaddr *)&sa, sizeof(sa)) &&
	    !setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return s;

	e = errno;
	close(s);
	errno = e;
	return -1;
}

/**
 * nl_req_init() - Start a request
 * @r:		request to fill
 * @type:	message type (RTM_*)
 * @flags:	flags besides NLM_F_REQUEST (NLM_F_ACK is added by nl_do())
 * @hdrlen:	size of the family header that follows the netlink header
 *
 * Return: pointer to the zeroed family header
 */
static void *nl_req_init(struct nl_req *r, uint16_t type, uint16_t flags,
			 size_t hdrlen)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | flags;

	return NLMSG_DATA(&r->nh);
}

/**
 * nl_attr_put() - Append an attribute to a request
 * @r:		request
 * @type:	attribute type
 * @data:	payload
 * @len:	payload length
 *
 * If the attribute does not fit, @r is marked and nl_do() refuses to send it.
 */
static void nl_attr_put(struct nl_req *r, unsigned short type,
			const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(r->nh.nlmsg_len);
	struct rtattr *rta;

	if (off + RTA_SPACE(len) > sizeof(r->buf)) {
		r->overflow = 1;
		return;
	}

	rta = (struct rtattr *)(r->buf + off);
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	r->nh.nlmsg_len = off + RTA_SPACE(len);
}

/**
 * nl_attr_put_u32() - Append a 32-bit attribute to a request
 * @r:		request
 * @type:	attribute type
 * @v:		value, host order
 */
static void nl_attr_put_u32(struct nl_req *r, unsigned short type, uint32_t v)
{
	nl_attr_put(r, type, &v, sizeof(v));
}

/**
 * nl_attr_copy() - Copy an attribute payload of an exact size
 * @rta:	attribute, validated by RTA_OK(), or NULL
 * @dst:	destination, may be NULL to only check the size
 * @len:	expected payload length
 *
 * Return: 0 on success, -1 if @rta is NULL or its payload has another size
 */
static int nl_attr_copy(const struct rtattr *rta, void *dst, size_t len)
{
	if (!rta || RTA_PAYLOAD(rta) != len)
		return -1;

	if (dst)
		memcpy(dst, RTA_DATA(rta), len);
	return 0;
}

/**
 * nl_attr_u32() - Read a 32-bit attribute
 * @rta:	attribute, validated by RTA_OK(), or NULL
 * @v:		value, left untouched on failure
 *
 * Return: 0 on success, -1 if missing or of the wrong size
 */
static int nl_attr_u32(const struct rtattr *rta, uint32_t *v)
{
	return nl_attr_copy(rta, v, sizeof(*v));
}

/**
 * nl_attr_index() - Index a run of attributes by type
 * @rta:	first attribute
 * @len:	bytes from @rta to the end of the enclosing message or attribute
 * @tb:		table, zeroed here, tb[type] gets the first attribute of a type
 * @max:	highest type kept
 */
static void nl_attr_index(const struct rtattr *rta, int len,
			  const struct rtattr **tb, unsigned int max)
{
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): table of pointers */
	memset(tb, 0, sizeof(*tb) * (max + 1));

	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		unsigned int type = rta->rta_type & NLA_TYPE_MASK;

		if (type <= max && !tb[type])
			tb[type] = rta;
	}
}

/**
 * nl_attrs() - Check a message's family header and index its attributes
 * @nh:		message, within the received datagram
 * @hdrlen:	size of the family header (struct rtmsg, ifaddrmsg ...)
 * @tb:		table of @max + 1 entries, see nl_attr_index()
 * @max:	highest attribute type kept
 *
 * Return: 0 on success, -1 if the message is too short for its family header
 */
static int nl_attrs(const struct nlmsghdr *nh, size_t hdrlen,
		    const struct rtattr **tb, unsigned int max)
{
	const struct rtattr *rta;

	if (nh->nlmsg_len < NLMSG_SPACE(hdrlen))
		return -1;

	rta = (const struct rtattr *)((const char *)nh + NLMSG_SPACE(hdrlen));
	nl_attr_index(rta, (int)(nh->nlmsg_len - NLMSG_SPACE(hdrlen)), tb, max);
	return 0;
}

/**
 * nl_walk_error() - Handle NLMSG_ERROR: an ACK (error 0) or a failure
 * @w:		reply state
 * @nh:		message
 */
static void nl_walk_error(struct nl_walk *w, const struct nlmsghdr *nh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);

	w->done = 1;
	if (w->err)
		return;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		w->err = -EBADMSG;
	else if (e->error > 0)
		w->err = -EPROTO;
	else
		w->err = e->error;
}

/**
 * nl_walk_done() - Handle NLMSG_DONE, the end of a dump
 * @w:		reply state
 * @nh:		message, may carry the dump's error code
 */
static void nl_walk_done(struct nl_walk *w, const struct nlmsghdr *nh)
{
	int e;

	w->done = 1;
	if (w->err || nh->nlmsg_len < NLMSG_LENGTH(sizeof(e)))
		return;

	memcpy(&e, NLMSG_DATA(nh), sizeof(e));
	if (e < 0)
		w->err = e;
}

/**
 * nl_walk_msg() - Handle one message of a reply
 * @w:		reply state
 * @nh:		message, validated by NLMSG_OK()
 */
static void nl_walk_msg(struct nl_walk *w, const struct nlmsghdr *nh)
{
	int rc;

	if (nh->nlmsg_seq != w->seq || nh->nlmsg_type == NLMSG_NOOP)
		return;

	if (nh->nlmsg_type == NLMSG_ERROR) {
		nl_walk_error(w, nh);
		return;
	}
	if (nh->nlmsg_type == NLMSG_DONE) {
		nl_walk_done(w, nh);
		return;
	}

	if (nh->nlmsg_flags & NLM_F_DUMP_INTR)
		debug("netlink: dump interrupted by a concurrent change");

	if (w->found || w->err || !w->cb)
		return;

	rc = w->cb(nh, w->arg);
	if (rc < 0)
		w->err = rc;
	else if (rc > 0)
		w->found = 1;
}

/**
 * nl_walk_buf() - Handle all messages of one received datagram
 * @w:		reply state
 * @buf:	datagram, aligned for struct nlmsghdr
 * @len:	datagram length
 *
 * Stops after the message that completes the reply, and at the first
 * message whose length is short or runs past the end of @buf.
 */
static void nl_walk_buf(struct nl_walk *w, const char *buf, size_t len)
{
	size_t off = 0;

	while (!w->done && off < len) {
		const struct nlmsghdr *nh;

		nh = (const struct nlmsghdr *)(const void *)(buf + off);
		if (!NLMSG_OK(nh, len - off))
			return;

		nl_walk_msg(w, nh);
		off += NLMSG_ALIGN(nh->nlmsg_len);
	}
}

/**
 * nl_send() - Send a request with a new sequence number
 * @s:		netlink socket
 * @r:		request
 *
 * Return: 0 on success, negative errno on failure
 */
static int nl_send(int s, struct nl_req *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	if (r->overflow)
		return -EMSGSIZE;

	r->nh.nlmsg_seq = ++nl_seq;

	do {
		n = sendto(s, r->buf, r->nh.nlmsg_len, 0,
			   (struct sockaddr *)&sa, sizeof(sa));
	} while (n < 0 && errno == EINTR);

	if (n < 0)
		return -errno;
	if ((size_t)n != r->nh.nlmsg_len)
		return -EIO;
	return 0;
}

/**
 * nl_recv() - Receive datagrams until the reply to a request is complete
 * @s:		netlink socket
 * @w:		reply state
 *
 * Return: 0 once complete, negative errno on a receive error, -ETIMEDOUT if
 * the kernel did not answer, -EMSGSIZE if a datagram did not fit nl_buf
 */
static int nl_recv(int s, struct nl_walk *w)
{
	while (!w->done) {
		ssize_t n;

		do {
			n = recv(s, nl_buf, sizeof(nl_buf), MSG_TRUNC);
		} while (n < 0 && errno == EINTR);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -ETIMEDOUT;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		if ((size_t)n > sizeof(nl_buf)) {
			debug("netlink: reply of %zi bytes truncated", n);
			return -EMSGSIZE;
		}

		nl_walk_buf(w, nl_buf, (size_t)n);
	}

	return 0;
}

/**
 * nl_do() - Send a request and process the whole reply
 * @s:		netlink socket
 * @r:		request: NLM_F_ACK is added unless it is a dump
 * @cb:		handler for data messages of the reply, may be NULL
 * @arg:	argument for @cb
 *
 * Return: 1 if @cb reported it found what it wanted, 0 if the request
 * succeeded otherwise, negative errno from the kernel, from @cb or on failure
 */
static int nl_do(int s, struct nl_req *r, nl_cb_t cb, void *arg)
{
	struct nl_walk w = { .cb = cb, .arg = arg };
	int rc;

	if ((r->nh.nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		r->nh.nlmsg_flags |= NLM_F_ACK;

	rc = nl_send(s, r);
	if (rc < 0)
		return rc;

	w.seq = r->nh.nlmsg_seq;
	rc = nl_recv(s, &w);
	if (rc < 0)
		return rc;
	if (w.err)
		return w.err;
	return w.found;
}

/**
 * nl_route_dump() - Dump the routes of a family, passing each to a handler
 * @s:		netlink socket
 * @af:		AF_INET or AF_INET6
 * @cb:		handler
 * @arg:	argument for @cb
 *
 * Return: see nl_do()
 */
static int nl_route_dump(int s, sa_family_t af, nl_cb_t cb, void *arg)
{
	struct nl_req r;
	struct rtmsg *rtm;

	rtm = nl_req_init(&r, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm));
	rtm->rtm_family = af;

	return nl_do(s, &r, cb, arg);
}

/**
 * struct nl_route_q - Query for a default route
 * @af:		address family
 * @ifi:	interface the next hop must use, 0 for any
 * @gw_len:	if non-zero, the next hop needs a gateway of this size
 * @oif:	result: interface of the matching next hop
 * @gw:		result: gateway of the matching next hop, if @gw_len
 */
struct nl_route_q {
	sa_family_t af;
	unsigned int ifi;
	size_t gw_len;
	unsigned int oif;
	unsigned char gw[sizeof(struct in6_addr)];
};

/**
 * nl_route_nh_match() - Check one next hop against a query, store results
 * @q:		query
 * @oif:	interface of the next hop
 * @tb:		attributes of the next hop (RTA_GATEWAY)
 *
 * Return: 1 on match, 0 otherwise
 */
static int nl_route_nh_match(struct nl_route_q *q, unsigned int oif,
			     const struct rtattr **tb)
{
	if (!oif || (q->ifi && oif != q->ifi))
		return 0;
	if (q->gw_len && nl_attr_copy(tb[RTA_GATEWAY], q->gw, q->gw_len))
		return 0;

	q->oif = oif;
	return 1;
}

/**
 * nl_route_mp_match() - Find the first matching next hop of RTA_MULTIPATH
 * @q:		query
 * @mp:		RTA_MULTIPATH attribute, validated by RTA_OK()
 *
 * Return: 1 on match, 0 otherwise
 */
static int nl_route_mp_match(struct nl_route_q *q, const struct rtattr *mp)
{
	const char *p = RTA_DATA(mp);
	size_t left = RTA_PAYLOAD(mp);

	while (left >= sizeof(struct rtnexthop)) {
		const struct rtnexthop *rtnh = (const struct rtnexthop *)p;
		const struct rtattr *tb[RTA_MAX + 1];
		size_t len = rtnh->rtnh_len, step;

		if (len < sizeof(*rtnh) || len > left)
			return 0;

		nl_attr_index(RTNH_DATA(rtnh), (int)(len - RTNH_LENGTH(0)),
			      tb, RTA_MAX);
		if (rtnh->rtnh_ifindex > 0 &&
		    nl_route_nh_match(q, (unsigned int)rtnh->rtnh_ifindex, tb))
			return 1;

		step = RTNH_ALIGN(len);
		if (step >= left)
			return 0;
		p += step;
		left -= step;
	}

	return 0;
}

/**
 * nl_route_cb() - Handle one route of a dump: look for a default route
 * @nh:		message
 * @arg:	struct nl_route_q
 *
 * Default route: main table, unicast, no destination or source prefix.
 *
 * Return: 1 if the route matches the query, 0 otherwise
 */
static int nl_route_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct rtattr *tb[RTA_MAX + 1];
	struct nl_route_q *q = arg;
	const struct rtmsg *rtm;
	uint32_t table, oif;

	if (nh->nlmsg_type != RTM_NEWROUTE ||
	    nl_attrs(nh, sizeof(*rtm), tb, RTA_MAX))
		return 0;

	rtm = NLMSG_DATA(nh);
	if (rtm->rtm_family != q->af || rtm->rtm_type != RTN_UNICAST ||
	    rtm->rtm_dst_len || rtm->rtm_src_len)
		return 0;

	table = rtm->rtm_table;
	nl_attr_u32(tb[RTA_TABLE], &table);
	if (table != RT_TABLE_MAIN)
		return 0;

	if (tb[RTA_MULTIPATH])
		return nl_route_mp_match(q, tb[RTA_MULTIPATH]);

	if (nl_attr_u32(tb[RTA_OIF], &oif))
		return 0;
	return nl_route_nh_match(q, oif, tb);
}

/**
 * nl_get_ext_if() - Interface of the first default route of a family
 * @s:		netlink socket
 * @af:		AF_INET or AF_INET6
 *
 * For a multipath route, the interface of its first next hop.
 *
 * Return: interface index, 0 if there is no default route or on failure
 */
unsigned int nl_get_ext_if(int s, sa_family_t af)
{
	struct nl_route_q q = { .af = af };

	if (!nl_af_len(af))
		return 0;

	if (nl_route_dump(s, af, nl_route_cb, &q) != 1)
		return 0;
	return q.oif;
}

/**
 * nl_route_get_def() - Gateway of the default route on an interface
 * @s:		netlink socket
 * @ifi:	interface index
 * @af:		AF_INET or AF_INET6
 * @gw:		gateway (struct in_addr or struct in6_addr), may be NULL,
 *		untouched on failure
 *
 * Uses the first default route of the main table with a next hop through
 * @ifi that has a gateway (also a next hop of a multipath route).
 *
 * Return: 0 on success, -1 if there is none or on failure
 */
int nl_route_get_def(int s, unsigned int ifi, sa_family_t af, void *gw)
{
	struct nl_route_q q = { .af = af, .ifi = ifi, .gw_len = nl_af_len(af) };

	if (!ifi || !q.gw_len)
		return -1;

	if (nl_route_dump(s, af, nl_route_cb, &q) != 1)
		return -1;

	if (gw)
		memcpy(gw, q.gw, q.gw_len);
	return 0;
}

/**
 * nl_route_add() - Add a default route in the main table
 * @s:		netlink socket
 * @ifi:	interface index
 * @af:		AF_INET or AF_INET6
 * @gw:		gateway, NULL for a route to the link itself
 * @flags:	next hop flags (RTNH_F_*)
 *
 * Return: 0 on success, negative errno from the kernel on failure
 */
static int nl_route_add(int s, unsigned int ifi, sa_family_t af,
			const void *gw, unsigned int flags)
{
	struct nl_req r;
	struct rtmsg *rtm;

	rtm = nl_req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
			  sizeof(*rtm));
	rtm->rtm_family = af;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_flags = flags;

	nl_attr_put_u32(&r, RTA_OIF, ifi);
	if (gw)
		nl_attr_put(&r, RTA_GATEWAY, gw, nl_af_len(af));

	return nl_do(s, &r, NULL, NULL);
}

/**
 * nl_route_set_def() - Add a default route through an interface
 * @s:		netlink socket
 * @ifi:	interface index
 * @af:		AF_INET or AF_INET6
 * @gw:		gateway (struct in_addr or struct in6_addr), NULL for a
 *		default route to the link itself
 *
 * If the kernel finds no route to @gw (the address given to the interface
 * has a prefix that does not cover it, e.g. a /32), the route is added again
 * with the gateway marked on-link.  An existing identical route is success.
 *
 * Return: 0 on success, negative errno on failure
 */
int nl_route_set_def(int s, unsigned int ifi, sa_family_t af, const void *gw)
{
	int rc;

	if (!nl_af_len(af))
		return -EAFNOSUPPORT;

	rc = nl_route_add(s, ifi, af, gw, 0);
	if (gw && (rc == -ENETUNREACH || rc == -EHOSTUNREACH))
		rc = nl_route_add(s, ifi, af, gw, RTNH_F_ONLINK);

	return rc == -EEXIST ? 0 : rc;
}

/**
 * struct nl_addr_q - Query for the addresses of an interface
 * @af:		address family
 * @ifi:	interface index
 * @rank:	rank of the global address in @addr, INT_MAX if none yet
 * @rank_ll:	rank of the link-local address in @ll, INT_MAX if none yet
 * @prefix_len:	prefix length of @addr
 * @addr:	best global address so far
 * @ll:		best IPv6 link-local address so far
 */
struct nl_addr_q {
	sa_family_t af;
	unsigned int ifi;
	int rank;
	int rank_ll;
	int prefix_len;
	unsigned char addr[sizeof(struct in6_addr)];
	unsigned char ll[sizeof(struct in6_addr)];
};

/**
 * nl_addr_rank() - How good an address is, from its flags
 * @flags:	IFA_F_* flags
 *
 * Return: 0 for a plain address, 1 for an IPv4 secondary or IPv6 temporary
 * one, 2 for one that is deprecated or not yet usable (DAD in progress)
 */
static int nl_addr_rank(uint32_t flags)
{
	if (flags & (IFA_F_DEPRECATED | IFA_F_TENTATIVE | IFA_F_OPTIMISTIC))
		return 2;
	if (flags & IFA_F_SECONDARY)	/* same bit as IFA_F_TEMPORARY */
		return 1;
	return 0;
}

/**
 * nl_addr_is_ll() - Is an address an IPv6 link-local one?
 * @af:		address family
 * @a:		address
 *
 * Return: true for fe80::/10
 */
static int nl_addr_is_ll(sa_family_t af, const unsigned char *a)
{
	return af == AF_INET6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/**
 * nl_addr_cb() - Handle one address of a dump: keep the best ones
 * @nh:		message
 * @arg:	struct nl_addr_q
 *
 * The address is IFA_LOCAL when present (the local end when a peer is
 * configured), IFA_ADDRESS otherwise.  Addresses that failed DAD are ignored.
 *
 * Return: 0, so that every address is seen
 */
static int nl_addr_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct rtattr *tb[IFA_MAX + 1], *a;
	struct nl_addr_q *q = arg;
	const struct ifaddrmsg *ifa;
	unsigned char buf[sizeof(struct in6_addr)];
	size_t len = nl_af_len(q->af);
	uint32_t flags;
	int rank;

	if (nh->nlmsg_type != RTM_NEWADDR ||
	    nl_attrs(nh, sizeof(*ifa), tb, IFA_MAX))
		return 0;

	ifa = NLMSG_DATA(nh);
	if (ifa->ifa_family != q->af || ifa->ifa_index != q->ifi)
		return 0;

	flags = ifa->ifa_flags;
	nl_attr_u32(tb[IFA_FLAGS], &flags);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if ((flags & IFA_F_DADFAILED) || nl_attr_copy(a, buf, len))
		return 0;

	rank = nl_addr_rank(flags);
	if (nl_addr_is_ll(q->af, buf)) {
		if (rank < q->rank_ll) {
			q->rank_ll = rank;
			memcpy(q->ll, buf, len);
		}
	} else if (ifa->ifa_scope == RT_SCOPE_UNIVERSE && rank < q->rank) {
		q->rank = rank;
		q->prefix_len = ifa->ifa_prefixlen;
		memcpy(q->addr, buf, len);
	}

	return 0;
}

/**
 * nl_addr_get() - Global address, prefix length and link-local address
 * @s:		netlink socket
 * @ifi:	interface index
 * @af:		AF_INET or AF_INET6
 * @addr:	global address (struct in_addr or in6_addr), may be NULL
 * @prefix_len:	prefix length of @addr, may be NULL
 * @addr_ll:	IPv6 only: link-local address (struct in6_addr), may be NULL
 *
 * The global address is the first one of universe scope, not link-local,
 * preferring plain addresses to IPv4 secondary / IPv6 temporary ones, and
 * those to deprecated or tentative ones.  Outputs for which nothing was found
 * are left untouched.
 *
 * Return: 0 if a global address was found (or, if @addr and @prefix_len are
 * both NULL, a link-local one), -1 otherwise or on failure
 */
int nl_addr_get(int s, unsigned int ifi, sa_family_t af, void *addr,
		int *prefix_len, void *addr_ll)
{
	struct nl_addr_q q = { .af = af, .ifi = ifi,
			       .rank = INT_MAX, .rank_ll = INT_MAX };
	size_t len = nl_af_len(af);
	struct ifaddrmsg *ifa;
	struct nl_req r;

	if (!ifi || !len)
		return -1;

	ifa = nl_req_init(&r, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa));
	ifa->ifa_family = af;
	if (nl_do(s, &r, nl_addr_cb, &q) < 0)
		return -1;

	if (addr_ll && af == AF_INET6 && q.rank_ll != INT_MAX)
		memcpy(addr_ll, q.ll, len);

	if (!addr && !prefix_len)
		return q.rank_ll != INT_MAX ? 0 : -1;
	if (q.rank == INT_MAX)
		return -1;

	if (addr)
		memcpy(addr, q.addr, len);
	if (prefix_len)
		*prefix_len = q.prefix_len;
	return 0;
}

/**
 * nl_addr_set() - Add an address to an interface
 * @s:		netlink socket
 * @ifi:	interface index
 * @af:		AF_INET or AF_INET6
 * @addr:	address (struct in_addr or struct in6_addr)
 * @prefix_len:	prefix length, 0 to 32 or 0 to 128
 *
 * IPv6 addresses skip duplicate address detection so that they are usable
 * at once.  An address already present is success.
 *
 * Return: 0 on success, -EINVAL or -EAFNOSUPPORT on bad arguments, negative
 * errno from the kernel on failure
 */
int nl_addr_set(int s, unsigned int ifi, sa_family_t af, const void *addr,
		int prefix_len)
{
	size_t len = nl_af_len(af);
	struct ifaddrmsg *ifa;
	struct nl_req r;
	int rc;

	if (!len)
		return -EAFNOSUPPORT;
	if (!addr || prefix_len < 0 || (size_t)prefix_len > len * 8)
		return -EINVAL;

	ifa = nl_req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
			  sizeof(*ifa));
	ifa->ifa_family = af;
	ifa->ifa_prefixlen = (unsigned char)prefix_len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifi;

	if (af == AF_INET) {
		nl_attr_put(&r, IFA_LOCAL, addr, len);
	} else {
		ifa->ifa_flags = IFA_F_NODAD;
		nl_attr_put_u32(&r, IFA_FLAGS, IFA_F_NODAD);
	}
	nl_attr_put(&r, IFA_ADDRESS, addr, len);

	rc = nl_do(s, &r, NULL, NULL);
	return rc == -EEXIST ? 0 : rc;
}

/**
 * struct nl_link_q - Query for the attributes of a link
 * @ifi:	interface index
 * @mac:	result: hardware address
 * @has_mac:	@mac holds a 6-byte address
 * @mtu:	result: MTU
 * @has_mtu:	@mtu is valid
 */
struct nl_link_q {
	unsigned int ifi;
	unsigned char mac[NL_MAC_LEN];
	int has_mac;
	uint32_t mtu;
	int has_mtu;
};

/**
 * nl_link_cb() - Handle the reply to RTM_GETLINK
 * @nh:		message
 * @arg:	struct nl_link_q
 *
 * Return: 1 if this is the link asked for, 0 otherwise
 */
static int nl_link_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct rtattr *tb[IFLA_MAX + 1];
	struct nl_link_q *q = arg;
	const struct ifinfomsg *ifm;

	if (nh->nlmsg_type != RTM_NEWLINK ||
	    nl_attrs(nh, sizeof(*ifm), tb, IFLA_MAX))
		return 0;

	ifm = NLMSG_DATA(nh);
	if (ifm->ifi_index < 0 || (unsigned int)ifm->ifi_index != q->ifi)
		return 0;

	q->has_mac = !nl_attr_copy(tb[IFLA_ADDRESS], q->mac, NL_MAC_LEN);
	q->has_mtu = !nl_attr_u32(tb[IFLA_MTU], &q->mtu);
	return 1;
}

/**
 * nl_link_get() - Get the attributes of one link
 * @s:		netlink socket
 * @ifi:	interface index
 * @q:		query, results
 *
 * Return: 0 on success, negative errno on failure, -ENODEV if the kernel
 * answered without describing the link
 */
static int nl_link_get(int s, unsigned int ifi, struct nl_link_q *q)
{
	struct ifinfomsg *ifm;
	struct nl_req r;
	int rc;

	if (!ifi || ifi > INT_MAX)
		return -EINVAL;

	q->ifi = ifi;
	ifm = nl_req_init(&r, RTM_GETLINK, 0, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifi;

	rc = nl_do(s, &r, nl_link_cb, q);
	if (rc < 0)
		return rc;
	return rc ? 0 : -ENODEV;
}

/**
 * nl_link_get_mac() - Hardware address of a link
 * @s:		netlink socket
 * @ifi:	interface index
 * @mac:	6 bytes, untouched on failure
 *
 * Return: 0 on success, -ENOENT if the link has no 6-byte hardware address,
 * other negative errno on failure (-ENODEV: no such link)
 */
int nl_link_get_mac(int s, unsigned int ifi, void *mac)
{
	struct nl_link_q q = { 0 };
	int rc;

	rc = nl_link_get(s, ifi, &q);
	if (rc < 0)
		return rc;
	if (!q.has_mac)
		return -ENOENT;

	memcpy(mac, q.mac, NL_MAC_LEN);
	return 0;
}

/**
 * nl_link_get_mtu() - MTU of a link
 * @s:		netlink socket
 * @ifi:	interface index
 *
 * Return: MTU, -1 on failure
 */
int nl_link_get_mtu(int s, unsigned int ifi)
{
	struct nl_link_q q = { 0 };

	if (nl_link_get(s, ifi, &q) < 0 || !q.has_mtu || q.mtu > INT_MAX)
		return -1;
	return (int)q.mtu;
}

/**
 * nl_link_change() - Start an RTM_NEWLINK request changing an existing link
 * @r:		request to fill
 * @ifi:	interface index
 * @flags:	value of the interface flags in @change
 * @change:	mask of interface flags to change (IFF_*), 0 for none
 */
static void nl_link_change(struct nl_req *r, unsigned int ifi,
			   unsigned int flags, unsigned int change)
{
	struct ifinfomsg *ifm;

	ifm = nl_req_init(r, RTM_NEWLINK, 0, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifi;
	ifm->ifi_flags = flags;
	ifm->ifi_change = change;
}

/**
 * nl_link_set_mac() - Set the hardware address of a link
 * @s:		netlink socket
 * @ifi:	interface index
 * @mac:	6 bytes
 *
 * Return: 0 on success, negative errno on failure
 */
int nl_link_set_mac(int s, unsigned int ifi, const void *mac)
{
	struct nl_req r;

	if (!ifi || ifi > INT_MAX || !mac)
		return -EINVAL;

	nl_link_change(&r, ifi, 0, 0);
	nl_attr_put(&r, IFLA_ADDRESS, mac, NL_MAC_LEN);

	return nl_do(s, &r, NULL, NULL);
}

/**
 * nl_link_set_txqlen() - Set the transmit queue length of a link
 * @s:		netlink socket
 * @ifi:	interface index
 * @qlen:	queue length, frames
 *
 * Return: 0 on success, negative errno on failure
 */
int nl_link_set_txqlen(int s, unsigned int ifi, uint32_t qlen)
{
	struct nl_req r;

	if (!ifi || ifi > INT_MAX)
		return -EINVAL;

	nl_link_change(&r, ifi, 0, 0);
	nl_attr_put_u32(&r, IFLA_TXQLEN, qlen);

	return nl_do(s, &r, NULL, NULL);
}

/**
 * nl_link_up() - Bring a link up, optionally setting its MTU
 * @s:		netlink socket
 * @ifi:	interface index
 * @mtu:	MTU to set, if greater than zero
 *
 * Return: 0 on success, negative errno on failure (nothing is changed if
 * the MTU is refused)
 */
int nl_link_up(int s, unsigned int ifi, int mtu)
{
	struct nl_req r;

	if (!ifi || ifi > INT_MAX)
		return -EINVAL;

	nl_link_change(&r, ifi, IFF_UP, IFF_UP);
	if (mtu > 0)
		nl_attr_put_u32(&r, IFLA_MTU, (uint32_t)mtu);

	return nl_do(s, &r, NULL, NULL);
}
