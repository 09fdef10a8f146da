// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ndp.c - NDP responder and router advertisements (RFC 4861, RFC 4862,
 *	   RFC 8106)
 *
 * Owns: answering the guest's Neighbour and Router Solicitations, and
 * sending it periodic unsolicited Router Advertisements.
 *
 * Theory of operation: we are the only other node on the guest's link and
 * every destination is behind us, so
 *
 * - a Neighbour Solicitation for any target, except the guest's own
 *   addresses, gets a Neighbour Advertisement from that target address with
 *   flags Router, Solicited and Override and our MAC as Target Link-Layer
 *   Address.  Solicitations from the unspecified address (Duplicate Address
 *   Detection, RFC 4862) are never answered: the guest is checking an
 *   address it wants to use and an answer would mean a conflict;
 *
 * - a Router Solicitation gets a Router Advertisement (unless --no-ra), sent
 *   to the solicitor (or to all-nodes if it has no address yet) from our
 *   link-local address, carrying:
 *     Source Link-Layer Address (our MAC),
 *     MTU, only with -m and if it's at least 1280,
 *     Prefix Information for the /64 of c->ip6.addr, flags L and A (SLAAC),
 *       valid and preferred lifetimes infinite,
 *     RDNSS (c->ip6.dns) unless --no-dhcp-dns, lifetime infinite,
 *     DNSSL (c->dns_search) unless --no-dhcp-search, lifetime infinite,
 *   with router lifetime NDP_ROUTER_LIFETIME (1800 s), flags M and O when
 *   DHCPv6 is enabled, hop limit 64, reachable time and retransmission timer
 *   unspecified (0).  The RA is kept within 1232 bytes (IPv6 minimum MTU).
 *
 * - ndp_timer() sends the same RA, unsolicited, to all-nodes, but only once
 *   a link-local address of the guest has been seen (there is nobody to
 *   tell before): right away, then every NDP_RA_MIN_S..NDP_RA_MAX_S (10 to
 *   30 s, random), the first NDP_INITIAL_RAS intervals capped at 16 s
 *   (RFC 4861, 6.2.4).  A new guest link-local address starts over.
 *
 * Other ICMPv6 NDP types from the guest (RA, NA, Redirect) are ignored.  A
 * message whose options are malformed (zero length, or running past its end)
 * is dropped as RFC 4861 requires.  Checksum and hop limit 255 of what we
 * send are set by tap_icmp6_send().
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "dhcp.h"
#include "log.h"
#include "ndp.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"
#include "util.h"

/* ICMPv6 types (RFC 4861, 4.) */
#define NDP_RS			133
#define NDP_RA			134
#define NDP_NS			135
#define NDP_NA			136

/* Option types */
#define NDP_OPT_SLLAO		1
#define NDP_OPT_TLLAO		2
#define NDP_OPT_PIO		3
#define NDP_OPT_MTU		5
#define NDP_OPT_RDNSS		25
#define NDP_OPT_DNSSL		31

#define NDP_RA_MANAGED		0x80
#define NDP_RA_OTHER		0x40
#define NDP_PIO_ONLINK		0x80
#define NDP_PIO_AUTO		0x40
#define NDP_NA_ROUTER		0x80000000U
#define NDP_NA_SOLICITED	0x40000000U
#define NDP_NA_OVERRIDE		0x20000000U

#define NDP_HOP_LIMIT		64
#define NDP_ROUND_UP_8(x)	(((x) + 7) & ~(size_t)7)
#define NDP_ROUTER_LIFETIME	1800		/* s, at most 9000 */
#define NDP_LIFETIME_INFINITE	0xffffffffU
#define NDP_PREFIX_LEN		64
#define NDP_IPV6_MIN_MTU	1280
#define NDP_RA_MAX_LEN		(NDP_IPV6_MIN_MTU - 40)

#define NDP_RA_MIN_S		10		/* MinRtrAdvInterval */
#define NDP_RA_MAX_S		30		/* MaxRtrAdvInterval */
#define NDP_INITIAL_RAS		3		/* MAX_INITIAL_RTR_ADVERTISEMENTS */
#define NDP_INITIAL_MAX_S	16		/* MAX_INITIAL_RTR_ADVERT_INTERVAL */

/**
 * struct ndp_na - Neighbour Advertisement with Target Link-Layer Address
 * @type:	NDP_NA
 * @code:	0
 * @csum:	checksum, set by tap_icmp6_send()
 * @flags:	Router, Solicited, Override, network order
 * @target:	target address
 * @opt_type:	NDP_OPT_TLLAO
 * @opt_len:	1 (8 bytes)
 * @mac:	our MAC address
 */
struct ndp_na {
	uint8_t type;
	uint8_t code;
	uint16_t csum;
	uint32_t flags;
	struct in6_addr target;
	uint8_t opt_type;
	uint8_t opt_len;
	uint8_t mac[ETH_ADDR_LEN];
} __attribute__((packed));

/**
 * struct ndp_ra_out - Router Advertisement under construction
 * @b:		message, from the ICMPv6 type
 * @len:	bytes used in @b
 */
struct ndp_ra_out {
	uint8_t b[NDP_RA_MAX_LEN];
	size_t len;
};

static struct ndp_ra_out ndp_ra_buf;

static const struct in6_addr ndp_all_nodes = {
	.s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }
};

/**
 * struct ndp_timer_state - Schedule of unsolicited Router Advertisements
 * @ll:		guest link-local address we started advertising to
 * @next_ms:	time of the next advertisement, ms
 * @sent:	advertisements sent since @ll was first seen
 * @rnd:	state of the pseudo-random generator for the jitter
 */
static struct ndp_timer_state {
	struct in6_addr ll;
	int64_t next_ms;
	unsigned int sent;
	uint32_t rnd;
} ndp_ts;

/**
 * ndp_opts_check() - Validate the options of an NDP message
 * @p:		pool with the ICMPv6 message at index 0
 * @off:	offset of the first option
 *
 * Return: 0 if every option has a non-zero length and fits, -1 otherwise
 */
static int ndp_opts_check(const struct pool *p, size_t off)
{
	size_t end = packet_len(p, 0);

	while (off < end) {
		const uint8_t *o = packet_get(p, 0, off, 2, NULL);
		size_t len;

		if (!o)
			return -1;
		len = (size_t)o[1] * 8;
		if (!len || !packet_get(p, 0, off, len, NULL))
			return -1;
		off += len;
	}

	return 0;
}

/**
 * ndp_is_guest_addr() - Tell if an address is one the guest uses
 * @c:		execution context
 * @a:		address
 *
 * Return: true for the assigned address and the addresses seen from it
 */
static bool ndp_is_guest_addr(const struct ctx *c, const struct in6_addr *a)
{
	return IN6_ARE_ADDR_EQUAL(a, &c->ip6.addr) ||
	       IN6_ARE_ADDR_EQUAL(a, &c->ip6.addr_seen) ||
	       IN6_ARE_ADDR_EQUAL(a, &c->ip6.addr_ll_seen);
}

/**
 * ndp_ns() - Answer a Neighbour Solicitation
 * @c:		execution context
 * @saddr:	source address of the solicitation
 * @p:		pool with the ICMPv6 message at index 0
 *
 * Return: 1 if handled (answered or deliberately not), 0 if malformed
 */
static int ndp_ns(const struct ctx *c, const struct in6_addr *saddr,
		  const struct pool *p)
{
	const uint8_t *ns = packet_get(p, 0, 0, 24, NULL);
	struct in6_addr target;
	struct ndp_na na;

	if (!ns || ns[1] || ndp_opts_check(p, 24)) {
		debug("NDP: malformed Neighbour Solicitation");
		return 0;
	}
	memcpy(&target, ns + 8, sizeof(target));

	if (IN6_IS_ADDR_MULTICAST(&target) ||
	    IN6_IS_ADDR_UNSPECIFIED(&target)) {
		debug("NDP: Neighbour Solicitation for invalid target");
		return 0;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(saddr)) {
		trace("NDP: Duplicate Address Detection, not answered");
		return 1;
	}
	if (IN6_ARE_ADDR_EQUAL(&target, saddr) ||
	    ndp_is_guest_addr(c, &target)) {
		trace("NDP: solicitation for the guest's own address");
		return 1;
	}

	memset(&na, 0, sizeof(na));
	na.type = NDP_NA;
	na.flags = htonl(NDP_NA_ROUTER | NDP_NA_SOLICITED | NDP_NA_OVERRIDE);
	na.target = target;
	na.opt_type = NDP_OPT_TLLAO;
	na.opt_len = 1;
	memcpy(na.mac, c->our_tap_mac, ETH_ADDR_LEN);

	tap_icmp6_send(c, &target, saddr, &na, sizeof(na));
	return 1;
}

/**
 * ndp_put() - Append an option to the Router Advertisement
 * @o:		RA under construction
 * @type:	option type
 * @data:	option body, after type and length
 * @len:	length of @data; the option is padded to 8 bytes with zeroes
 *
 * Return: 0 on success, -1 if it doesn't fit
 */
static int ndp_put(struct ndp_ra_out *o, uint8_t type, const void *data,
		   size_t len)
{
	size_t total = NDP_ROUND_UP_8(len + 2);

	if (total > 255 * 8 || total > sizeof(o->b) - o->len)
		return -1;

	memset(o->b + o->len, 0, total);
	o->b[o->len] = type;
	o->b[o->len + 1] = (uint8_t)(total / 8);
	memcpy(o->b + o->len + 2, data, len);
	o->len += total;
	return 0;
}

/**
 * ndp_put_pio() - Append the Prefix Information option for SLAAC
 * @c:		execution context
 * @o:		RA under construction
 */
static void ndp_put_pio(const struct ctx *c, struct ndp_ra_out *o)
{
	uint32_t lifetime = htonl(NDP_LIFETIME_INFINITE);
	uint8_t v[30] = { NDP_PREFIX_LEN, NDP_PIO_ONLINK | NDP_PIO_AUTO };

	if (IN6_IS_ADDR_UNSPECIFIED(&c->ip6.addr))
		return;

	memcpy(v + 2, &lifetime, 4);		/* valid lifetime */
	memcpy(v + 6, &lifetime, 4);		/* preferred lifetime */
	memcpy(v + 14, &c->ip6.addr, NDP_PREFIX_LEN / 8);	/* rest: 0 */
	ndp_put(o, NDP_OPT_PIO, v, sizeof(v));
}

/**
 * ndp_put_rdnss() - Append the Recursive DNS Server option (RFC 8106)
 * @c:		execution context
 * @o:		RA under construction
 */
static void ndp_put_rdnss(const struct ctx *c, struct ndp_ra_out *o)
{
	uint32_t lifetime = htonl(NDP_LIFETIME_INFINITE);
	uint8_t v[6 + MAXNS * 16] = { 0 };
	size_t i;

	if (c->no_dhcp_dns)
		return;

	memcpy(v + 2, &lifetime, 4);
	for (i = 0; i < MAXNS && !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.dns[i]); i++)
		memcpy(v + 6 + i * 16, &c->ip6.dns[i], 16);

	if (i && ndp_put(o, NDP_OPT_RDNSS, v, 6 + i * 16))
		debug("NDP: no room for RDNSS option");
}

/**
 * ndp_put_dnssl() - Append the DNS Search List option (RFC 8106)
 * @c:		execution context
 * @o:		RA under construction
 */
static void ndp_put_dnssl(const struct ctx *c, struct ndp_ra_out *o)
{
	uint32_t lifetime = htonl(NDP_LIFETIME_INFINITE);
	uint8_t v[NDP_RA_MAX_LEN] = { 0 };
	size_t len, room;

	if (c->no_dhcp_dns_search || !c->dns_search[0].n[0])
		return;

	/* type, length, reserved, lifetime: 8 bytes, then padding */
	if (sizeof(o->b) - o->len < 16)
		return;
	room = ((sizeof(o->b) - o->len) & ~(size_t)7) - 8;

	memcpy(v + 2, &lifetime, 4);
	len = dhcp_dns_list_encode(c->dns_search, ARRAY_SIZE(c->dns_search),
				   v + 6, room);
	if (!len || ndp_put(o, NDP_OPT_DNSSL, v, 6 + len))
		debug("NDP: no room for DNSSL option");
}

/**
 * ndp_ra_build() - Build our Router Advertisement
 * @c:		execution context
 * @o:		output, message from the ICMPv6 type, zero checksum
 */
static void ndp_ra_build(const struct ctx *c, struct ndp_ra_out *o)
{
	uint16_t lifetime = htons(NDP_ROUTER_LIFETIME);
	uint32_t mtu;

	memset(o->b, 0, 16);
	o->b[0] = NDP_RA;
	o->b[4] = NDP_HOP_LIMIT;
	if (!c->no_dhcpv6)
		o->b[5] = NDP_RA_MANAGED | NDP_RA_OTHER;
	memcpy(o->b + 6, &lifetime, 2);
	/* reachable time, retransmission timer: 0, unspecified */
	o->len = 16;

	ndp_put(o, NDP_OPT_SLLAO, c->our_tap_mac, ETH_ADDR_LEN);
	if (c->mtu >= NDP_IPV6_MIN_MTU) {
		uint8_t v[6] = { 0 };

		mtu = htonl((uint32_t)c->mtu);
		memcpy(v + 2, &mtu, 4);
		ndp_put(o, NDP_OPT_MTU, v, sizeof(v));
	}
	ndp_put_pio(c, o);
	ndp_put_rdnss(c, o);
	ndp_put_dnssl(c, o);
}

/**
 * ndp_ra_send() - Send a Router Advertisement
 * @c:		execution context
 * @dst:	destination: the solicitor, or all-nodes
 */
static void ndp_ra_send(const struct ctx *c, const struct in6_addr *dst)
{
	ndp_ra_build(c, &ndp_ra_buf);
	tap_icmp6_send(c, &c->ip6.our_tap_ll, dst, ndp_ra_buf.b,
		       ndp_ra_buf.len);
}

/**
 * ndp_rs() - Answer a Router Solicitation
 * @c:		execution context
 * @saddr:	source address of the solicitation
 * @p:		pool with the ICMPv6 message at index 0
 *
 * Return: 1 if handled (answered or deliberately not), 0 if malformed
 */
static int ndp_rs(const struct ctx *c, const struct in6_addr *saddr,
		  const struct pool *p)
{
	const uint8_t *rs = packet_get(p, 0, 0, 8, NULL);

	if (!rs || rs[1] || ndp_opts_check(p, 8)) {
		debug("NDP: malformed Router Solicitation");
		return 0;
	}
	if (c->no_ra) {
		trace("NDP: Router Solicitation ignored, --no-ra");
		return 1;
	}

	if (IN6_IS_ADDR_UNSPECIFIED(saddr))
		ndp_ra_send(c, &ndp_all_nodes);
	else
		ndp_ra_send(c, saddr);
	return 1;
}

/**
 * ndp() - Handle an NDP message from the guest
 * @c:		execution context
 * @saddr:	IPv6 source address of the message
 * @p:		pool with one packet, the ICMPv6 message from its type byte
 *
 * Return: 1 if a solicitation was handled (answered or deliberately not),
 *	   0 if the message was malformed or not a solicitation
 */
int ndp(const struct ctx *c, const struct in6_addr *saddr,
	const struct pool *p)
{
	const uint8_t *type = packet_get(p, 0, 0, 1, NULL);

	if (!type)
		return 0;
	if (IN6_IS_ADDR_MULTICAST(saddr)) {
		debug("NDP: message from a multicast address");
		return 0;
	}

	switch (*type) {
	case NDP_NS:
		return ndp_ns(c, saddr, p);
	case NDP_RS:
		return ndp_rs(c, saddr, p);
	default:
		trace("NDP: ICMPv6 type %u from guest ignored", *type);
		return 0;
	}
}

/**
 * ndp_rand() - Pseudo-random number for the advertisement jitter
 *
 * Return: next value of a xorshift generator, never 0
 */
static uint32_t ndp_rand(void)
{
	uint32_t x = ndp_ts.rnd;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return ndp_ts.rnd = x;
}

/**
 * ndp_timer() - Send unsolicited Router Advertisements when they're due
 * @c:		execution context
 * @now:	current time
 *
 * Called about once a second.  Nothing happens before a link-local address
 * of the guest has been seen, or with IPv6, NDP or RAs disabled.
 */
void ndp_timer(const struct ctx *c, const struct timespec *now)
{
	int64_t now_ms = (int64_t)now->tv_sec * 1000 + now->tv_nsec / 1000000;
	unsigned int interval;

	if (!c->ifi6 || c->no_ndp || c->no_ra ||
	    IN6_IS_ADDR_UNSPECIFIED(&c->ip6.addr_ll_seen))
		return;

	if (!IN6_ARE_ADDR_EQUAL(&ndp_ts.ll, &c->ip6.addr_ll_seen)) {
		ndp_ts.ll = c->ip6.addr_ll_seen;	/* new guest: start over */
		ndp_ts.sent = 0;
		if (!ndp_ts.rnd)
			ndp_ts.rnd = (uint32_t)now->tv_nsec | 1;
	} else if (now_ms < ndp_ts.next_ms) {
		return;
	}

	ndp_ra_send(c, &ndp_all_nodes);

	interval = NDP_RA_MIN_S + ndp_rand() % (NDP_RA_MAX_S - NDP_RA_MIN_S + 1);
	if (ndp_ts.sent < NDP_INITIAL_RAS)
		interval = MIN(interval, NDP_INITIAL_MAX_S);
	ndp_ts.sent++;
	ndp_ts.next_ms = now_ms + (int64_t)interval * 1000;
}
