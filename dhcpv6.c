// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dhcpv6.c - DHCPv6 server for the guest (RFC 8415, RFC 3646, RFC 4704)
 *
 * Owns: answering the guest's DHCPv6 messages.
 *
 * Theory of operation: like the DHCP server, this one is stateless: there is
 * one client and one address to give, c->ip6.addr.  Our DUID is a DUID-LL
 * (type 3) made of our MAC address.  Each message is indexed (first
 * occurrence of each option wins; any option running past the end drops the
 * message), checked against the rules of RFC 8415, 16 (Client Identifier
 * present and at most 130 bytes; Server Identifier ours where required,
 * absent where forbidden: messages for another server are ignored), and
 * answered from one static buffer:
 *
 *   SOLICIT		-> ADVERTISE, Preference 255 (or REPLY with Rapid
 *			   Commit if the client asked for it)
 *   REQUEST, RENEW,
 *   REBIND		-> REPLY
 *   CONFIRM		-> REPLY, Status Success or NotOnLink (no reply if the
 *			   message holds no address at all)
 *   RELEASE, DECLINE	-> REPLY, Status Success (nothing to release)
 *   INFORMATION-REQUEST -> REPLY without IA (Client Identifier optional)
 *
 * Replies carry Client Identifier (echoed), Server Identifier, then for
 * address requests an IA_NA with the client's IAID, T1 = T2 = 0xffffffff,
 * and an IAADDR with c->ip6.addr, preferred and valid lifetimes infinite
 * (0xffffffff: the address never changes while we run; RFC 8415, 21.4 pairs
 * infinite lifetimes with infinite T1 and T2).  Other addresses the client
 * lists in its IA_NA are returned with zero lifetimes so that it drops them.
 * Only the first IA_NA is answered; IA_TA and IA_PD aren't supported.  Then
 * DNS Recursive Name Servers (23) unless --no-dhcp-dns and Domain Search
 * List (24, uncompressed) unless --no-dhcp-search, whatever the Option
 * Request option says.  With --fqdn, Client FQDN (39, RFC 4704) goes to
 * clients that send it or ask for it in their Option Request option, with
 * flag N (we don't update DNS), and O if the client asked us to (S).
 * Replies fit in 1232 bytes (IPv6 minimum MTU), the search list being cut
 * first.
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dhcp.h"
#include "dhcpv6.h"
#include "log.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"
#include "util.h"

#define DHCPV6_SERVER_PORT	547
#define DHCPV6_CLIENT_PORT	546

/* Message types (RFC 8415, 7.3) */
#define DHCPV6_SOLICIT		1
#define DHCPV6_ADVERTISE	2
#define DHCPV6_REQUEST		3
#define DHCPV6_CONFIRM		4
#define DHCPV6_RENEW		5
#define DHCPV6_REBIND		6
#define DHCPV6_REPLY		7
#define DHCPV6_RELEASE		8
#define DHCPV6_DECLINE		9
#define DHCPV6_INFO_REQUEST	11

/* Option codes (RFC 8415, 21; RFC 3646) */
#define OPT_CLIENTID		1
#define OPT_SERVERID		2
#define OPT_IA_NA		3
#define OPT_IA_TA		4
#define OPT_IAADDR		5
#define OPT_ORO			6
#define OPT_PREFERENCE		7
#define OPT_STATUS_CODE		13
#define OPT_RAPID_COMMIT	14
#define OPT_DNS_SERVERS		23
#define OPT_DOMAIN_LIST		24
#define OPT_IA_PD		25
#define OPT_CLIENT_FQDN		39

/* Flags of the Client FQDN option (RFC 4704, 4.1) */
#define FQDN_S			0x01
#define FQDN_O			0x02
#define FQDN_N			0x04

/* Status codes (RFC 8415, 21.13) */
#define STATUS_SUCCESS		0
#define STATUS_NOADDRSAVAIL	2
#define STATUS_NOTONLINK	4

#define DHCPV6_HDR_LEN		4	/* msg-type, transaction-id */
#define DHCPV6_OPT_HDR		4	/* option-code, option-len */
#define DHCPV6_DUID_MAX		130	/* type code + 128 bytes (RFC 8415, 11.1) */
#define DHCPV6_IA_NA_HDR	12	/* IAID, T1, T2 */
#define DHCPV6_IAADDR_LEN	24	/* address, preferred, valid */
#define DHCPV6_MSG_MAX		(1280 - 40 - 8)
#define DHCPV6_INFINITE		0xffffffffU
#define DHCPV6_FOREIGN_MAX	4	/* other addresses zeroed in a reply */

#define DUID_TYPE_LL		3
#define DUID_HW_ETHER		1
#define DHCPV6_DUID_LL_LEN	(4 + ETH_ADDR_LEN)

/**
 * struct dhcpv6_opt - Location of an option in the message
 * @off:	offset of the option data, 0 if absent
 * @len:	length of the option data
 */
struct dhcpv6_opt {
	size_t off;
	size_t len;
};

/**
 * struct dhcpv6_opts - Options of a client message we look at
 * @client_id:	Client Identifier
 * @server_id:	Server Identifier
 * @ia_na:	first IA_NA
 * @rapid:	Rapid Commit
 * @oro:	Option Request
 * @fqdn:	Client FQDN
 * @ia_other:	an IA_TA or IA_PD is present
 */
struct dhcpv6_opts {
	struct dhcpv6_opt client_id;
	struct dhcpv6_opt server_id;
	struct dhcpv6_opt ia_na;
	struct dhcpv6_opt rapid;
	struct dhcpv6_opt oro;
	struct dhcpv6_opt fqdn;
	bool ia_other;
};

/**
 * struct dhcpv6_out - Reply under construction
 * @b:		message
 * @len:	bytes used in @b
 */
struct dhcpv6_out {
	uint8_t b[DHCPV6_MSG_MAX];
	size_t len;
};

static struct dhcpv6_out dhcpv6_out;

/**
 * dhcpv6_opt_next() - Step to the next option of an area of the message
 * @p:		pool with the message at index 0
 * @off:	offset of the option, moved past it on success
 * @end:	offset just past the area
 * @code:	option code, set on success
 * @opt:	location of the option data, set on success
 *
 * Return: 1 if an option was read, 0 at the end of the area, -1 if the
 *	   option runs past the area or the message
 */
static int dhcpv6_opt_next(const struct pool *p, size_t *off, size_t end,
			   uint16_t *code, struct dhcpv6_opt *opt)
{
	const uint8_t *h;
	size_t len;

	if (*off >= end)
		return 0;
	if (end - *off < DHCPV6_OPT_HDR ||
	    !(h = packet_get(p, 0, *off, DHCPV6_OPT_HDR, NULL)))
		return -1;

	*code = (uint16_t)(h[0] << 8 | h[1]);
	len = (size_t)(h[2] << 8 | h[3]);
	if (len > end - *off - DHCPV6_OPT_HDR ||
	    !packet_get(p, 0, *off + DHCPV6_OPT_HDR, len, NULL))
		return -1;

	opt->off = *off + DHCPV6_OPT_HDR;
	opt->len = len;
	*off += DHCPV6_OPT_HDR + len;
	return 1;
}

/**
 * dhcpv6_opts_index() - Find the options we need in a client message
 * @p:		pool with the message at index 0
 * @o:		index to fill
 *
 * Return: 0 on success, -1 if the message is malformed
 */
static int dhcpv6_opts_index(const struct pool *p, struct dhcpv6_opts *o)
{
	size_t off = DHCPV6_HDR_LEN, end = packet_len(p, 0);
	struct dhcpv6_opt opt;
	uint16_t code;
	int ret;

	memset(o, 0, sizeof(*o));

	while ((ret = dhcpv6_opt_next(p, &off, end, &code, &opt)) > 0) {
		struct dhcpv6_opt *dst = NULL;

		if (code == OPT_CLIENTID)
			dst = &o->client_id;
		else if (code == OPT_SERVERID)
			dst = &o->server_id;
		else if (code == OPT_IA_NA)
			dst = &o->ia_na;
		else if (code == OPT_RAPID_COMMIT)
			dst = &o->rapid;
		else if (code == OPT_ORO)
			dst = &o->oro;
		else if (code == OPT_CLIENT_FQDN)
			dst = &o->fqdn;
		else if (code == OPT_IA_TA || code == OPT_IA_PD)
			o->ia_other = true;

		if (dst && !dst->off)
			*dst = opt;
	}

	return ret;
}

/**
 * dhcpv6_duid() - Our DUID, a DUID-LL from our MAC address
 * @c:		execution context
 * @duid:	output, DHCPV6_DUID_LL_LEN bytes
 */
static void dhcpv6_duid(const struct ctx *c, uint8_t *duid)
{
	duid[0] = 0;
	duid[1] = DUID_TYPE_LL;
	duid[2] = 0;
	duid[3] = DUID_HW_ETHER;
	memcpy(duid + 4, c->our_tap_mac, ETH_ADDR_LEN);
}

/**
 * dhcpv6_server_id_ours() - Tell if a Server Identifier option is ours
 * @c:		execution context
 * @p:		pool with the message at index 0
 * @sid:	location of the option
 *
 * Return: true if it holds our DUID
 */
static bool dhcpv6_server_id_ours(const struct ctx *c, const struct pool *p,
				  const struct dhcpv6_opt *sid)
{
	uint8_t duid[DHCPV6_DUID_LL_LEN];
	const void *v;

	if (sid->len != sizeof(duid))
		return false;
	if (!(v = packet_get(p, 0, sid->off, sid->len, NULL)))
		return false;

	dhcpv6_duid(c, duid);
	return !memcmp(v, duid, sizeof(duid));
}

/**
 * dhcpv6_put() - Append an option to a buffer
 * @buf:	buffer
 * @len:	bytes used in @buf, updated
 * @size:	size of @buf
 * @code:	option code
 * @data:	option data, may be NULL if @dlen is 0
 * @dlen:	length of @data
 *
 * Return: 0 on success, -1 if it doesn't fit
 */
static int dhcpv6_put(uint8_t *buf, size_t *len, size_t size, uint16_t code,
		      const void *data, size_t dlen)
{
	if (dlen > UINT16_MAX || *len > size ||
	    DHCPV6_OPT_HDR + dlen > size - *len)
		return -1;

	buf[*len] = (uint8_t)(code >> 8);
	buf[*len + 1] = (uint8_t)code;
	buf[*len + 2] = (uint8_t)(dlen >> 8);
	buf[*len + 3] = (uint8_t)dlen;
	if (dlen)
		memcpy(buf + *len + DHCPV6_OPT_HDR, data, dlen);
	*len += DHCPV6_OPT_HDR + dlen;
	return 0;
}

/**
 * dhcpv6_put_status() - Append a Status Code option to a buffer
 * @buf:	buffer
 * @len:	bytes used in @buf, updated
 * @size:	size of @buf
 * @status:	status code
 * @msg:	status message
 *
 * Return: 0 on success, -1 if it doesn't fit
 */
static int dhcpv6_put_status(uint8_t *buf, size_t *len, size_t size,
			     uint16_t status, const char *msg)
{
	uint8_t v[64];
	size_t mlen = MIN(strlen(msg), sizeof(v) - 2);

	v[0] = (uint8_t)(status >> 8);
	v[1] = (uint8_t)status;
	memcpy(v + 2, msg, mlen);
	return dhcpv6_put(buf, len, size, OPT_STATUS_CODE, v, 2 + mlen);
}

/**
 * dhcpv6_put_iaaddr() - Append an IA Address option to a buffer
 * @buf:	buffer
 * @len:	bytes used in @buf, updated
 * @size:	size of @buf
 * @addr:	address
 * @lifetime:	preferred and valid lifetime, host order
 *
 * Return: 0 on success, -1 if it doesn't fit
 */
static int dhcpv6_put_iaaddr(uint8_t *buf, size_t *len, size_t size,
			     const struct in6_addr *addr, uint32_t lifetime)
{
	uint8_t v[DHCPV6_IAADDR_LEN];
	uint32_t l = htonl(lifetime);

	memcpy(v, addr, 16);
	memcpy(v + 16, &l, 4);
	memcpy(v + 20, &l, 4);
	return dhcpv6_put(buf, len, size, OPT_IAADDR, v, sizeof(v));
}

/**
 * dhcpv6_ia_na_build() - Build the data of our IA_NA option
 * @c:		execution context
 * @p:		pool with the message at index 0
 * @ia:		the client's IA_NA
 * @zero_others: return other addresses the client lists with lifetime 0
 * @buf:	output
 * @size:	size of @buf
 *
 * Return: length of the IA_NA data, -1 if the client's IA_NA is malformed
 */
static ssize_t dhcpv6_ia_na_build(const struct ctx *c, const struct pool *p,
				  const struct dhcpv6_opt *ia, bool zero_others,
				  uint8_t *buf, size_t size)
{
	size_t off = ia->off + DHCPV6_IA_NA_HDR, end = ia->off + ia->len;
	uint32_t t = htonl(DHCPV6_INFINITE);
	size_t len = DHCPV6_IA_NA_HDR;
	unsigned int others = 0;
	struct dhcpv6_opt sub;
	const void *iaid;
	uint16_t code;
	int ret;

	if (ia->len < DHCPV6_IA_NA_HDR ||
	    !(iaid = packet_get(p, 0, ia->off, 4, NULL)))
		return -1;

	memcpy(buf, iaid, 4);
	memcpy(buf + 4, &t, 4);
	memcpy(buf + 8, &t, 4);

	if (IN6_IS_ADDR_UNSPECIFIED(&c->ip6.addr))
		dhcpv6_put_status(buf, &len, size, STATUS_NOADDRSAVAIL,
				  "no address");
	else
		dhcpv6_put_iaaddr(buf, &len, size, &c->ip6.addr,
				  DHCPV6_INFINITE);

	while ((ret = dhcpv6_opt_next(p, &off, end, &code, &sub)) > 0) {
		const void *a;
		struct in6_addr addr;

		if (code != OPT_IAADDR || sub.len < DHCPV6_IAADDR_LEN)
			continue;
		if (!(a = packet_get(p, 0, sub.off, 16, NULL)))
			return -1;
		memcpy(&addr, a, sizeof(addr));

		if (!zero_others || IN6_ARE_ADDR_EQUAL(&addr, &c->ip6.addr) ||
		    others >= DHCPV6_FOREIGN_MAX)
			continue;
		if (!dhcpv6_put_iaaddr(buf, &len, size, &addr, 0))
			others++;
	}
	if (ret < 0)
		return -1;

	return (ssize_t)len;
}

/**
 * dhcpv6_put_dns() - Append DNS servers and domain list, if enabled
 * @c:		execution context
 * @o:		reply
 */
static void dhcpv6_put_dns(const struct ctx *c, struct dhcpv6_out *o)
{
	uint8_t v[DHCPV6_MSG_MAX];
	size_t i, len;

	if (!c->no_dhcp_dns) {
		for (i = 0; i < MAXNS &&
			    !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.dns[i]); i++)
			memcpy(v + i * 16, &c->ip6.dns[i], 16);
		if (i && dhcpv6_put(o->b, &o->len, sizeof(o->b),
				    OPT_DNS_SERVERS, v, i * 16))
			debug("DHCPv6: no room for DNS servers");
	}

	if (c->no_dhcp_dns_search || !c->dns_search[0].n[0])
		return;
	if (sizeof(o->b) - o->len <= DHCPV6_OPT_HDR)
		return;

	len = dhcp_dns_list_encode(c->dns_search, ARRAY_SIZE(c->dns_search), v,
				   sizeof(o->b) - o->len - DHCPV6_OPT_HDR);
	if (!len || dhcpv6_put(o->b, &o->len, sizeof(o->b), OPT_DOMAIN_LIST,
			       v, len))
		debug("DHCPv6: no room for domain list");
}

/**
 * dhcpv6_fqdn_wanted() - Did the client send a Client FQDN, or ask for it?
 * @p:		pool with the client message at index 0
 * @o:		index of the client message
 *
 * Return: true if so
 */
static bool dhcpv6_fqdn_wanted(const struct pool *p,
			       const struct dhcpv6_opts *o)
{
	const uint8_t *oro;
	size_t i;

	if (o->fqdn.off)
		return true;
	if (!o->oro.off ||
	    !(oro = packet_get(p, 0, o->oro.off, o->oro.len, NULL)))
		return false;
	for (i = 0; i + 1 < o->oro.len; i += 2) {
		if ((oro[i] << 8 | oro[i + 1]) == OPT_CLIENT_FQDN)
			return true;
	}
	return false;
}

/**
 * dhcpv6_put_fqdn() - Append the Client FQDN option, if given and wanted
 * @c:		execution context
 * @p:		pool with the client message at index 0
 * @o:		index of the client message
 * @r:		reply
 */
static void dhcpv6_put_fqdn(const struct ctx *c, const struct pool *p,
			    const struct dhcpv6_opts *o, struct dhcpv6_out *r)
{
	const uint8_t *cf = NULL;
	uint8_t v[1 + 256];
	size_t len;

	if (!*c->fqdn.n || !dhcpv6_fqdn_wanted(p, o))
		return;

	if (o->fqdn.len >= 1)
		cf = packet_get(p, 0, o->fqdn.off, 1, NULL);
	v[0] = FQDN_N | (cf && (*cf & FQDN_S) ? FQDN_O : 0);
	len = dhcp_dns_name_encode(c->fqdn.n, v + 1, sizeof(v) - 1);
	if (!len || dhcpv6_put(r->b, &r->len, sizeof(r->b), OPT_CLIENT_FQDN,
			       v, 1 + len))
		debug("DHCPv6: no room for client FQDN");
}

/**
 * dhcpv6_reply_init() - Start a reply: header and identifiers
 * @c:		execution context
 * @p:		pool with the client message at index 0
 * @o:		index of the client message
 * @type:	DHCPV6_ADVERTISE or DHCPV6_REPLY
 *
 * Return: the reply, NULL if the client message is malformed
 */
static struct dhcpv6_out *dhcpv6_reply_init(const struct ctx *c,
					    const struct pool *p,
					    const struct dhcpv6_opts *o,
					    uint8_t type)
{
	const uint8_t *xid = packet_get(p, 0, 1, 3, NULL);
	struct dhcpv6_out *r = &dhcpv6_out;
	uint8_t duid[DHCPV6_DUID_LL_LEN];
	const void *cid = NULL;

	if (!xid)
		return NULL;
	if (o->client_id.off &&
	    !(cid = packet_get(p, 0, o->client_id.off, o->client_id.len, NULL)))
		return NULL;

	r->b[0] = type;
	memcpy(r->b + 1, xid, 3);
	r->len = DHCPV6_HDR_LEN;

	if (cid)
		dhcpv6_put(r->b, &r->len, sizeof(r->b), OPT_CLIENTID, cid,
			   o->client_id.len);
	dhcpv6_duid(c, duid);
	dhcpv6_put(r->b, &r->len, sizeof(r->b), OPT_SERVERID, duid,
		   sizeof(duid));
	return r;
}

/**
 * dhcpv6_send() - Send a reply to the client
 * @c:		execution context
 * @saddr:	client address
 * @r:		reply
 */
static void dhcpv6_send(const struct ctx *c, const struct in6_addr *saddr,
			const struct dhcpv6_out *r)
{
	tap_udp6_send(c, &c->ip6.our_tap_ll, DHCPV6_SERVER_PORT,
		      saddr, DHCPV6_CLIENT_PORT, r->b, r->len);
}

/**
 * dhcpv6_addr_reply() - Answer SOLICIT, REQUEST, RENEW or REBIND
 * @c:		execution context
 * @saddr:	client address
 * @p:		pool with the client message at index 0
 * @o:		index of the client message
 * @type:	type of the client message
 *
 * Return: 1 if handled, 0 if malformed
 */
static int dhcpv6_addr_reply(const struct ctx *c, const struct in6_addr *saddr,
			     const struct pool *p, const struct dhcpv6_opts *o,
			     uint8_t type)
{
	bool rapid = type == DHCPV6_SOLICIT && o->rapid.off;
	uint8_t rtype = DHCPV6_REPLY, ia[DHCPV6_MSG_MAX / 2];
	struct dhcpv6_out *r;
	ssize_t ialen = 0;

	if (type == DHCPV6_SOLICIT && !rapid)
		rtype = DHCPV6_ADVERTISE;

	if (o->ia_na.off) {
		ialen = dhcpv6_ia_na_build(c, p, &o->ia_na,
					   type != DHCPV6_SOLICIT,
					   ia, sizeof(ia));
		if (ialen < 0) {
			debug("DHCPv6: malformed IA_NA");
			return 0;
		}
	}

	if (!(r = dhcpv6_reply_init(c, p, o, rtype)))
		return 0;

	if (rtype == DHCPV6_ADVERTISE) {
		uint8_t pref = 255;	/* RFC 8415, 18.2.1: request right away */

		dhcpv6_put(r->b, &r->len, sizeof(r->b), OPT_PREFERENCE,
			   &pref, 1);
	}
	if (rapid)
		dhcpv6_put(r->b, &r->len, sizeof(r->b), OPT_RAPID_COMMIT,
			   NULL, 0);

	if (o->ia_na.off)
		dhcpv6_put(r->b, &r->len, sizeof(r->b), OPT_IA_NA, ia,
			   (size_t)ialen);
	else
		dhcpv6_put_status(r->b, &r->len, sizeof(r->b),
				  STATUS_NOADDRSAVAIL, "only IA_NA supported");

	dhcpv6_put_fqdn(c, p, o, r);
	dhcpv6_put_dns(c, r);
	dhcpv6_send(c, saddr, r);
	return 1;
}

/**
 * dhcpv6_on_link() - Tell if an address is on the guest's link
 * @c:		execution context
 * @a:		address
 *
 * Return: true if @a is in the prefix of c->ip6.addr
 */
static bool dhcpv6_on_link(const struct ctx *c, const struct in6_addr *a)
{
	int plen = c->ip6.prefix_len, i;

	if (plen <= 0 || plen > 128)
		plen = 64;

	for (i = 0; i < plen; i++) {
		unsigned int mask = 0x80U >> (i % 8);

		if ((a->s6_addr[i / 8] & mask) !=
		    (c->ip6.addr.s6_addr[i / 8] & mask))
			return false;
	}
	return true;
}

/**
 * dhcpv6_confirm_ia() - Check the addresses of one IA_NA for CONFIRM
 * @c:		execution context
 * @p:		pool with the message at index 0
 * @ia:		the IA_NA
 * @n:		count of addresses, incremented
 * @off_link:	set if an address is not on link
 *
 * Return: 0 on success, -1 if malformed
 */
static int dhcpv6_confirm_ia(const struct ctx *c, const struct pool *p,
			     const struct dhcpv6_opt *ia, unsigned int *n,
			     bool *off_link)
{
	size_t off = ia->off + DHCPV6_IA_NA_HDR, end = ia->off + ia->len;
	struct dhcpv6_opt sub;
	uint16_t code;
	int ret;

	if (ia->len < DHCPV6_IA_NA_HDR)
		return -1;

	while ((ret = dhcpv6_opt_next(p, &off, end, &code, &sub)) > 0) {
		struct in6_addr addr;
		const void *a;

		if (code != OPT_IAADDR || sub.len < DHCPV6_IAADDR_LEN)
			continue;
		if (!(a = packet_get(p, 0, sub.off, 16, NULL)))
			return -1;
		memcpy(&addr, a, sizeof(addr));

		(*n)++;
		if (!dhcpv6_on_link(c, &addr))
			*off_link = true;
	}

	return ret;
}

/**
 * dhcpv6_confirm() - Answer CONFIRM: are the client's addresses on link?
 * @c:		execution context
 * @saddr:	client address
 * @p:		pool with the client message at index 0
 * @o:		index of the client message
 *
 * Return: 1 if handled, 0 if malformed
 */
static int dhcpv6_confirm(const struct ctx *c, const struct in6_addr *saddr,
			  const struct pool *p, const struct dhcpv6_opts *o)
{
	size_t off = DHCPV6_HDR_LEN, end = packet_len(p, 0);
	bool off_link = false;
	struct dhcpv6_opt opt;
	struct dhcpv6_out *r;
	unsigned int n = 0;
	uint16_t code;
	int ret;

	while ((ret = dhcpv6_opt_next(p, &off, end, &code, &opt)) > 0) {
		if (code == OPT_IA_NA &&
		    dhcpv6_confirm_ia(c, p, &opt, &n, &off_link))
			ret = -1;
		if (ret < 0)
			break;
	}
	if (ret < 0) {
		debug("DHCPv6: malformed IA_NA in CONFIRM");
		return 0;
	}
	if (!n) {
		trace("DHCPv6: CONFIRM without addresses, not answered");
		return 1;
	}

	if (!(r = dhcpv6_reply_init(c, p, o, DHCPV6_REPLY)))
		return 0;

	if (off_link)
		dhcpv6_put_status(r->b, &r->len, sizeof(r->b),
				  STATUS_NOTONLINK, "not on link");
	else
		dhcpv6_put_status(r->b, &r->len, sizeof(r->b), STATUS_SUCCESS,
				  "on link");
	dhcpv6_send(c, saddr, r);
	return 1;
}

/**
 * dhcpv6_status_reply() - Answer RELEASE or DECLINE with Status Success
 * @c:		execution context
 * @saddr:	client address
 * @p:		pool with the client message at index 0
 * @o:		index of the client message
 *
 * Return: 1 if handled, 0 if malformed
 */
static int dhcpv6_status_reply(const struct ctx *c,
			       const struct in6_addr *saddr,
			       const struct pool *p,
			       const struct dhcpv6_opts *o)
{
	struct dhcpv6_out *r = dhcpv6_reply_init(c, p, o, DHCPV6_REPLY);

	if (!r)
		return 0;

	dhcpv6_put_status(r->b, &r->len, sizeof(r->b), STATUS_SUCCESS, "ok");
	dhcpv6_send(c, saddr, r);
	return 1;
}

/**
 * dhcpv6_info_reply() - Answer INFORMATION-REQUEST
 * @c:		execution context
 * @saddr:	client address
 * @p:		pool with the client message at index 0
 * @o:		index of the client message
 *
 * Return: 1 if handled, 0 if malformed
 */
static int dhcpv6_info_reply(const struct ctx *c, const struct in6_addr *saddr,
			     const struct pool *p, const struct dhcpv6_opts *o)
{
	struct dhcpv6_out *r = dhcpv6_reply_init(c, p, o, DHCPV6_REPLY);

	if (!r)
		return 0;

	dhcpv6_put_fqdn(c, p, o, r);
	dhcpv6_put_dns(c, r);
	dhcpv6_send(c, saddr, r);
	return 1;
}

/**
 * dhcpv6_check() - Check identifiers and IAs against the message type
 * @c:		execution context
 * @p:		pool with the message at index 0
 * @o:		index of the message
 * @type:	message type
 *
 * RFC 8415, 16: which messages need a Client Identifier, need our Server
 * Identifier, or must not have one.
 *
 * Return: 1 if valid and for us, 0 if valid but for another server, -1 if
 *	   invalid
 */
static int dhcpv6_check(const struct ctx *c, const struct pool *p,
			const struct dhcpv6_opts *o, uint8_t type)
{
	bool need_sid = false, no_sid = false;

	if (o->client_id.off &&
	    (o->client_id.len < 2 || o->client_id.len > DHCPV6_DUID_MAX)) {
		debug("DHCPv6: Client Identifier of %zu bytes", o->client_id.len);
		return -1;
	}
	if (!o->client_id.off && type != DHCPV6_INFO_REQUEST) {
		debug("DHCPv6: missing Client Identifier");
		return -1;
	}

	switch (type) {
	case DHCPV6_SOLICIT:
	case DHCPV6_CONFIRM:
	case DHCPV6_REBIND:
		no_sid = true;
		break;
	case DHCPV6_REQUEST:
	case DHCPV6_RENEW:
	case DHCPV6_RELEASE:
	case DHCPV6_DECLINE:
		need_sid = true;
		break;
	case DHCPV6_INFO_REQUEST:
		if (o->ia_na.off || o->ia_other) {
			debug("DHCPv6: INFORMATION-REQUEST with an IA");
			return -1;
		}
		break;
	}

	if (no_sid && o->server_id.off) {
		debug("DHCPv6: unexpected Server Identifier");
		return -1;
	}
	if (need_sid && !o->server_id.off) {
		debug("DHCPv6: missing Server Identifier");
		return -1;
	}
	if (o->server_id.off && !dhcpv6_server_id_ours(c, p, &o->server_id)) {
		trace("DHCPv6: message for another server, ignored");
		return 0;
	}

	return 1;
}

/**
 * dhcpv6() - Handle a DHCPv6 message from the guest
 * @c:		execution context
 * @saddr:	source address of the message
 * @p:		pool with one packet, the UDP payload sent to port 547
 *
 * Return: 1 if the message was valid, answered or deliberately ignored; 0
 *	   if it was malformed or not a client message, and dropped.  Either
 *	   way, the caller must not pass it on.
 */
int dhcpv6(const struct ctx *c, const struct in6_addr *saddr,
	   const struct pool *p)
{
	const uint8_t *hdr = packet_get(p, 0, 0, DHCPV6_HDR_LEN, NULL);
	struct dhcpv6_opts o;
	int ret;

	if (!hdr) {
		debug("DHCPv6: message too short");
		return 0;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(saddr) || IN6_IS_ADDR_MULTICAST(saddr)) {
		debug("DHCPv6: invalid source address");
		return 0;
	}
	if (dhcpv6_opts_index(p, &o)) {
		debug("DHCPv6: malformed options");
		return 0;
	}

	switch (hdr[0]) {
	case DHCPV6_SOLICIT:
	case DHCPV6_REQUEST:
	case DHCPV6_RENEW:
	case DHCPV6_REBIND:
	case DHCPV6_CONFIRM:
	case DHCPV6_RELEASE:
	case DHCPV6_DECLINE:
	case DHCPV6_INFO_REQUEST:
		break;
	default:
		debug("DHCPv6: message type %u not handled", hdr[0]);
		return 0;
	}

	ret = dhcpv6_check(c, p, &o, hdr[0]);
	if (ret < 0)
		return 0;	/* malformed, dropped */
	if (!ret)
		return 1;	/* for another server, ignored */

	switch (hdr[0]) {
	case DHCPV6_CONFIRM:
		return dhcpv6_confirm(c, saddr, p, &o);
	case DHCPV6_RELEASE:
	case DHCPV6_DECLINE:
		return dhcpv6_status_reply(c, saddr, p, &o);
	case DHCPV6_INFO_REQUEST:
		return dhcpv6_info_reply(c, saddr, p, &o);
	default:
		return dhcpv6_addr_reply(c, saddr, p, &o, hdr[0]);
	}
}
