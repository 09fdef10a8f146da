// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dhcp.c - DHCP server for the guest (RFC 2131, RFC 2132, RFC 3397, RFC 4702,
 * RFC 6842)
 *
 * Owns: answering the guest's DHCP messages, and the encoder of domain names
 * in DNS wire format (RFC 1035, 3.1) that NDP (DNSSL) and DHCPv6 (domain
 * list) share with the domain search option.
 *
 * Theory of operation: there is exactly one client and one address to give,
 * c->ip4.addr, so the server keeps no state at all.  Each message from the
 * guest is checked (BOOTREQUEST, Ethernet hardware address, magic cookie),
 * its options are indexed by code (first occurrence wins; option overload,
 * option 52, is followed into the file and sname fields), and the reply is
 * built in one static buffer:
 *
 *   DISCOVER -> OFFER	yiaddr = c->ip4.addr, full option set
 *   REQUEST  -> ACK	if the requested address (option 50, else ciaddr) is
 *			c->ip4.addr, NAK otherwise; ignored if option 54 names
 *			another server
 *   INFORM   -> ACK	options only, no address, no lease time
 *   DECLINE, RELEASE	ignored: the address is the host's, it can't change
 *
 * Options sent: 53 message type, 54 server identifier (the gateway, see
 * dhcp_server_addr()), 61 client identifier echoed (RFC 6842), 51 lease time
 * (0xffffffff, infinite: the address never changes while we run), 1 subnet
 * mask, 3 router, 26 interface MTU (only with -m), 6 DNS servers, 15 domain
 * name and 119 domain search (uncompressed, split into 255-byte pieces as
 * RFC 3396 allows), 12 host name (-H), 81 client FQDN (--fqdn, RFC 4702:
 * only to clients that send option 81 or ask for it in option 55, in the
 * encoding the client used, flags N=1: we don't update DNS; O=1 if the
 * client asked us to, with S=1).  Everything else we have is sent whatever
 * option 55 asks for;
 * options that don't fit the size the client accepts (576 bytes, or option
 * 57) are left out, search list first.  Replies are padded to the 300-byte
 * BOOTP minimum and broadcast unless the client has an address (ciaddr) and
 * did not set the broadcast flag.
 *
 * Every read of the guest's message goes through packet_get(): a field or
 * option that doesn't lie inside the message drops the message.
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dhcp.h"
#include "log.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"
#include "util.h"

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68

#define BOOTREQUEST		1
#define BOOTREPLY		2
#define HTYPE_ETHER		1

/* Offsets of the fixed BOOTP fields (RFC 2131, 2) */
#define DHCP_OFF_OP		0
#define DHCP_OFF_HTYPE		1
#define DHCP_OFF_HLEN		2
#define DHCP_OFF_XID		4
#define DHCP_OFF_FLAGS		10
#define DHCP_OFF_CIADDR		12
#define DHCP_OFF_YIADDR		16
#define DHCP_OFF_GIADDR		24
#define DHCP_OFF_CHADDR		28
#define DHCP_OFF_SNAME		44
#define DHCP_OFF_FILE		108
#define DHCP_OFF_COOKIE		236
#define DHCP_OFF_OPTS		240

#define DHCP_SNAME_LEN		64
#define DHCP_FILE_LEN		128
#define DHCP_CHADDR_LEN		16
#define DHCP_FLAG_BROADCAST	0x8000

#define DHCP_MSG_MIN		300	/* BOOTP minimum message (RFC 1542) */
#define DHCP_MSG_DEFAULT_MAX	548	/* 576 - IPv4 and UDP headers */
#define DHCP_MSG_MAX		1472	/* 1500 - IPv4 and UDP headers */
#define DHCP_IPUDP_HDR		28	/* IPv4 + UDP headers, for option 57 */

#define DHCP_LEASE_INFINITE	0xffffffffU

/* Option codes (RFC 2132) */
#define OPT_PAD			0
#define OPT_MASK		1
#define OPT_ROUTER		3
#define OPT_DNS			6
#define OPT_HOSTNAME		12
#define OPT_DOMAIN_NAME		15
#define OPT_MTU			26
#define OPT_REQ_ADDR		50
#define OPT_LEASE_TIME		51
#define OPT_OVERLOAD		52
#define OPT_MSG_TYPE		53
#define OPT_SERVER_ID		54
#define OPT_PARAM_LIST		55
#define OPT_MAX_SIZE		57
#define OPT_CLIENT_ID		61
#define OPT_CLIENT_FQDN		81
#define OPT_SEARCH		119
#define OPT_END			255

/* Flags of option 81 (RFC 4702, 2.1) */
#define FQDN_S			0x01	/* server updates the A RR */
#define FQDN_O			0x02	/* server overrides the client's S */
#define FQDN_E			0x04	/* canonical wire format encoding */
#define FQDN_N			0x08	/* server does no update at all */
#define FQDN_RCODE_SERVER	255	/* RCODE1, RCODE2 sent by servers */

/* Values of option 52 */
#define OVERLOAD_FILE		1
#define OVERLOAD_SNAME		2

/* Message types, option 53 */
#define DHCPDISCOVER		1
#define DHCPOFFER		2
#define DHCPREQUEST		3
#define DHCPDECLINE		4
#define DHCPACK			5
#define DHCPNAK			6
#define DHCPRELEASE		7
#define DHCPINFORM		8

static const uint8_t dhcp_cookie[4] = { 99, 130, 83, 99 };

/**
 * struct dhcp_opts - Index of the options found in a message
 * @off:	offset of the option's data in the message, 0 if absent
 * @len:	length of the option's data
 */
struct dhcp_opts {
	uint16_t off[256];
	uint8_t len[256];
};

/**
 * struct dhcp_out - Reply under construction
 * @b:		message buffer
 * @len:	bytes used in @b
 * @max:	largest message the client accepts, at most sizeof(@b)
 */
struct dhcp_out {
	uint8_t b[DHCP_MSG_MAX];
	size_t len;
	size_t max;
};

static struct dhcp_out dhcp_out;

/**
 * dhcp_dns_name_encode() - Encode a domain name in DNS wire format
 * @name:	name in presentation form, "example.org" or "example.org."
 * @buf:	output buffer
 * @size:	size of @buf
 *
 * Labels are 1 to 63 bytes, the whole name at most 255 bytes, no
 * compression (RFC 1035, 3.1).
 *
 * Return: length written, 0 if the name is empty, invalid or doesn't fit
 */
size_t dhcp_dns_name_encode(const char *name, uint8_t *buf, size_t size)
{
	size_t n = 0, lab;
	const char *s = name;

	if (!*s)
		return 0;

	while (*s) {
		const char *dot = strchr(s, '.');

		lab = dot ? (size_t)(dot - s) : strlen(s);
		if (!lab || lab > 63)
			return 0;
		if (n + 1 + lab + 1 > size || n + 1 + lab + 1 > 255)
			return 0;

		buf[n++] = (uint8_t)lab;
		memcpy(buf + n, s, lab);
		n += lab;
		s += lab;
		if (*s)
			s++;	/* dot; a trailing one just ends the name */
	}

	buf[n++] = 0;
	return n;
}

/**
 * dhcp_dns_list_encode() - Encode a list of domain names, as many as fit
 * @list:	names, the list ends at the first empty one or after @n
 * @n:		number of entries in @list
 * @buf:	output buffer
 * @size:	bytes available in @buf
 *
 * Invalid names are skipped; encoding stops at the first name that doesn't
 * fit, so that the result is a prefix of the list, in order.
 *
 * Return: total length written, 0 if nothing
 */
size_t dhcp_dns_list_encode(const struct fqdn *list, size_t n, uint8_t *buf,
			    size_t size)
{
	size_t i, len = 0;

	for (i = 0; i < n && list[i].n[0]; i++) {
		uint8_t tmp[256];
		size_t l;

		l = dhcp_dns_name_encode(list[i].n, tmp, sizeof(tmp));
		if (!l) {
			debug("DNS: skipping invalid domain name '%s'",
			      list[i].n);
			continue;
		}
		if (l > size - len)
			break;

		memcpy(buf + len, tmp, l);
		len += l;
	}

	return len;
}

/**
 * dhcp_byte() - Read one byte of the message
 * @p:		pool with the message at index 0
 * @off:	offset
 * @v:		value, set on success
 *
 * Return: 0 on success, -1 if @off is beyond the message
 */
static int dhcp_byte(const struct pool *p, size_t off, uint8_t *v)
{
	const uint8_t *b = packet_get(p, 0, off, 1, NULL);

	if (!b)
		return -1;
	*v = *b;
	return 0;
}

/**
 * dhcp_opts_parse() - Index the options of one area of the message
 * @p:		pool with the message at index 0
 * @start:	offset of the first option
 * @end:	offset just past the area
 * @o:		index, options already present are kept (first wins)
 *
 * Return: 0 on success, -1 if an option runs past the area or the message
 */
static int dhcp_opts_parse(const struct pool *p, size_t start, size_t end,
			   struct dhcp_opts *o)
{
	size_t off = start;

	while (off < end) {
		uint8_t code, len;

		if (dhcp_byte(p, off, &code))
			return -1;
		if (code == OPT_PAD) {
			off++;
			continue;
		}
		if (code == OPT_END)
			return 0;

		if (off + 2 > end || dhcp_byte(p, off + 1, &len))
			return -1;
		if (off + 2 + len > end ||
		    !packet_get(p, 0, off + 2, len, NULL))
			return -1;

		if (!o->off[code]) {
			o->off[code] = (uint16_t)(off + 2);
			o->len[code] = len;
		}
		off += 2 + (size_t)len;
	}

	return 0;
}

/**
 * dhcp_opts_index() - Index every option of a message, following overload
 * @p:		pool with the message at index 0
 * @o:		index to fill
 *
 * Return: 0 on success, -1 if the message is malformed
 */
static int dhcp_opts_index(const struct pool *p, struct dhcp_opts *o)
{
	size_t len = packet_len(p, 0);
	uint8_t ovl;

	memset(o, 0, sizeof(*o));

	if (len > UINT16_MAX) {
		debug("DHCP: message of %zu bytes, too long", len);
		return -1;
	}

	if (dhcp_opts_parse(p, DHCP_OFF_OPTS, len, o)) {
		debug("DHCP: malformed options");
		return -1;
	}

	if (!o->off[OPT_OVERLOAD])
		return 0;

	if (o->len[OPT_OVERLOAD] != 1 ||
	    dhcp_byte(p, o->off[OPT_OVERLOAD], &ovl) || !ovl || ovl > 3) {
		debug("DHCP: invalid option overload");
		return -1;
	}

	/* RFC 2131, 4.1: options field, then file, then sname */
	if ((ovl & OVERLOAD_FILE) &&
	    dhcp_opts_parse(p, DHCP_OFF_FILE, DHCP_OFF_FILE + DHCP_FILE_LEN,
			    o)) {
		debug("DHCP: malformed options in 'file' field");
		return -1;
	}
	if ((ovl & OVERLOAD_SNAME) &&
	    dhcp_opts_parse(p, DHCP_OFF_SNAME, DHCP_OFF_SNAME + DHCP_SNAME_LEN,
			    o)) {
		debug("DHCP: malformed options in 'sname' field");
		return -1;
	}

	return 0;
}

/**
 * dhcp_opt_addr() - Get an option holding exactly one IPv4 address
 * @p:		pool with the message at index 0
 * @o:		option index
 * @code:	option code
 * @addr:	address, set if the option is present and well-formed
 *
 * Return: 1 if found, 0 if absent, -1 if its length is not 4
 */
static int dhcp_opt_addr(const struct pool *p, const struct dhcp_opts *o,
			 uint8_t code, struct in_addr *addr)
{
	const void *v;

	if (!o->off[code])
		return 0;
	if (o->len[code] != 4 || !(v = packet_get(p, 0, o->off[code], 4, NULL)))
		return -1;

	memcpy(&addr->s_addr, v, 4);
	return 1;
}

/**
 * dhcp_server_addr() - Our address as a DHCP server
 * @c:		execution context
 *
 * The gateway, which the guest reaches through us anyway.  Without one, the
 * first address of the guest's subnet that isn't the guest's, or a
 * link-local address for subnets too small to have one.
 *
 * Return: server address, network order
 */
static struct in_addr dhcp_server_addr(const struct ctx *c)
{
	struct in_addr a = c->ip4.gw;
	uint32_t addr, mask, net;

	if (a.s_addr)
		return a;

	if (c->ip4.prefix_len <= 0 || c->ip4.prefix_len > 30) {
		a.s_addr = htonl(0xa9fe0201);	/* 169.254.2.1 */
		return a;
	}

	addr = ntohl(c->ip4.addr.s_addr);
	mask = ~0U << (32 - c->ip4.prefix_len);
	net = addr & mask;
	a.s_addr = htonl(net + 1 == addr ? net + 2 : net + 1);
	return a;
}

/**
 * dhcp_mask() - Subnet mask from the prefix length
 * @prefix_len:	prefix length, clamped to 0..32
 *
 * Return: mask, network order
 */
static uint32_t dhcp_mask(int prefix_len)
{
	if (prefix_len <= 0)
		return 0;
	if (prefix_len >= 32)
		return 0xffffffff;
	return htonl(~0U << (32 - prefix_len));
}

/**
 * dhcp_put() - Append an option to the reply
 * @o:		reply
 * @code:	option code
 * @data:	option data
 * @len:	length of @data, at most 255
 *
 * One byte is always left for the end option.
 *
 * Return: 0 on success, -1 if it doesn't fit
 */
static int dhcp_put(struct dhcp_out *o, uint8_t code, const void *data,
		    size_t len)
{
	if (len > 255 || o->len + 2 + len + 1 > o->max)
		return -1;

	o->b[o->len++] = code;
	o->b[o->len++] = (uint8_t)len;
	memcpy(o->b + o->len, data, len);
	o->len += len;
	return 0;
}

/**
 * dhcp_put_u32() - Append an option holding a 32-bit value
 * @o:		reply
 * @code:	option code
 * @v:		value, network order
 *
 * Return: 0 on success, -1 if it doesn't fit
 */
static int dhcp_put_u32(struct dhcp_out *o, uint8_t code, uint32_t v)
{
	return dhcp_put(o, code, &v, sizeof(v));
}

/**
 * dhcp_put_dns() - Append the DNS servers option (6), if we have servers
 * @c:		execution context
 * @o:		reply
 */
static void dhcp_put_dns(const struct ctx *c, struct dhcp_out *o)
{
	uint8_t v[MAXNS * 4];
	size_t i, n = 0;

	if (c->no_dhcp_dns)
		return;

	for (i = 0; i < MAXNS && c->ip4.dns[i].s_addr; i++, n += 4)
		memcpy(v + n, &c->ip4.dns[i].s_addr, 4);

	if (n && dhcp_put(o, OPT_DNS, v, n))
		debug("DHCP: no room for DNS servers option");
}

/**
 * dhcp_put_search() - Append domain name (15) and domain search (119)
 * @c:		execution context
 * @o:		reply
 *
 * The search list can exceed 255 bytes: it's then split into consecutive
 * options 119, which the client concatenates (RFC 3396, RFC 3397).
 */
static void dhcp_put_search(const struct ctx *c, struct dhcp_out *o)
{
	uint8_t list[DHCP_MSG_MAX];
	size_t avail, budget, len, done;
	const char *first = c->dns_search[0].n;

	if (c->no_dhcp_dns_search || !first[0])
		return;

	len = strnlen(first, sizeof(c->dns_search[0].n));
	if (len && first[len - 1] == '.')
		len--;
	if (len && len <= 255 && dhcp_put(o, OPT_DOMAIN_NAME, first, len))
		debug("DHCP: no room for domain name option");

	if (o->len + 1 >= o->max)
		return;
	avail = o->max - o->len - 1;
	if (avail <= 2)
		return;
	budget = avail - 2 * DIV_ROUND_UP(avail, 255);

	len = dhcp_dns_list_encode(c->dns_search, ARRAY_SIZE(c->dns_search),
				   list, MIN(budget, sizeof(list)));
	if (!len) {
		debug("DHCP: no room for domain search option");
		return;
	}

	for (done = 0; done < len; done += MIN(len - done, 255)) {
		if (dhcp_put(o, OPT_SEARCH, list + done, MIN(len - done, 255)))
			return;		/* can't happen: budget kept room */
	}
}

/**
 * dhcp_fqdn_wanted() - Did the client send option 81, or ask for it?
 * @p:		pool with the request at index 0
 * @o:		option index of the request
 *
 * Return: true if so
 */
static bool dhcp_fqdn_wanted(const struct pool *p, const struct dhcp_opts *o)
{
	const uint8_t *list;

	if (o->off[OPT_CLIENT_FQDN])
		return true;
	if (!o->off[OPT_PARAM_LIST] ||
	    !(list = packet_get(p, 0, o->off[OPT_PARAM_LIST],
				o->len[OPT_PARAM_LIST], NULL)))
		return false;
	return memchr(list, OPT_CLIENT_FQDN, o->len[OPT_PARAM_LIST]);
}

/**
 * dhcp_put_names() - Append host name (12) and client FQDN (81) options
 * @c:		execution context
 * @p:		pool with the request at index 0
 * @o:		option index of the request
 * @r:		reply
 */
static void dhcp_put_names(const struct ctx *c, const struct pool *p,
			   const struct dhcp_opts *o, struct dhcp_out *r)
{
	const uint8_t *cf = NULL;
	uint8_t v[3 + 256];
	size_t len;

	if (*c->hostname && dhcp_put(r, OPT_HOSTNAME, c->hostname,
				     strnlen(c->hostname, 255)))
		debug("DHCP: no room for host name option");

	if (!*c->fqdn.n || !dhcp_fqdn_wanted(p, o))
		return;

	if (o->len[OPT_CLIENT_FQDN] >= 3)
		cf = packet_get(p, 0, o->off[OPT_CLIENT_FQDN], 1, NULL);

	v[0] = FQDN_N | (cf && (*cf & FQDN_S) ? FQDN_O : 0);
	v[1] = v[2] = FQDN_RCODE_SERVER;
	if (cf && !(*cf & FQDN_E)) {	/* deprecated ASCII form, as asked */
		len = strnlen(c->fqdn.n, sizeof(v) - 3);
		memcpy(v + 3, c->fqdn.n, len);
	} else {
		v[0] |= FQDN_E;
		len = dhcp_dns_name_encode(c->fqdn.n, v + 3, sizeof(v) - 3);
	}

	if (!len || dhcp_put(r, OPT_CLIENT_FQDN, v, 3 + len))
		debug("DHCP: no room for client FQDN option");
}

/**
 * dhcp_reply_init() - Start a reply from the fixed fields of the request
 * @p:		pool with the request at index 0
 * @o:		reply to initialise
 * @max:	largest message the client accepts
 *
 * Return: 0 on success, -1 if the request is too short
 */
static int dhcp_reply_init(const struct pool *p, struct dhcp_out *o,
			   size_t max)
{
	const uint8_t *req = packet_get(p, 0, 0, DHCP_OFF_OPTS, NULL);

	if (!req)
		return -1;

	memset(o->b, 0, sizeof(o->b));
	o->max = max;

	o->b[DHCP_OFF_OP] = BOOTREPLY;
	o->b[DHCP_OFF_HTYPE] = req[DHCP_OFF_HTYPE];
	o->b[DHCP_OFF_HLEN] = req[DHCP_OFF_HLEN];
	memcpy(o->b + DHCP_OFF_XID, req + DHCP_OFF_XID, 4);
	memcpy(o->b + DHCP_OFF_FLAGS, req + DHCP_OFF_FLAGS, 2);
	memcpy(o->b + DHCP_OFF_GIADDR, req + DHCP_OFF_GIADDR, 4);
	memcpy(o->b + DHCP_OFF_CHADDR, req + DHCP_OFF_CHADDR, DHCP_CHADDR_LEN);
	memcpy(o->b + DHCP_OFF_COOKIE, dhcp_cookie, sizeof(dhcp_cookie));
	o->len = DHCP_OFF_OPTS;
	return 0;
}

/**
 * dhcp_max_size() - Largest reply the client accepts
 * @p:		pool with the request at index 0
 * @o:		option index of the request
 *
 * Return: size of the DHCP message, without IP and UDP headers
 */
static size_t dhcp_max_size(const struct pool *p, const struct dhcp_opts *o)
{
	const uint8_t *v;
	size_t max;

	if (o->len[OPT_MAX_SIZE] != 2 ||
	    !(v = packet_get(p, 0, o->off[OPT_MAX_SIZE], 2, NULL)))
		return DHCP_MSG_DEFAULT_MAX;

	max = (size_t)(v[0] << 8 | v[1]);
	if (max < 576)
		return DHCP_MSG_DEFAULT_MAX;

	return MIN(max - DHCP_IPUDP_HDR, (size_t)DHCP_MSG_MAX);
}

/**
 * dhcp_send() - Terminate, pad and send the reply
 * @c:		execution context
 * @o:		reply
 * @dst:	destination address
 */
static void dhcp_send(const struct ctx *c, struct dhcp_out *o,
		      struct in_addr dst)
{
	o->b[o->len++] = OPT_END;
	if (o->len < DHCP_MSG_MIN)
		o->len = DHCP_MSG_MIN;	/* buffer was zeroed: pad options */

	tap_udp4_send(c, dhcp_server_addr(c), DHCP_SERVER_PORT,
		      dst, DHCP_CLIENT_PORT, o->b, o->len);
}

/**
 * dhcp_reply() - Build and send OFFER, ACK or NAK
 * @c:		execution context
 * @p:		pool with the request at index 0
 * @o:		option index of the request
 * @type:	DHCPOFFER, DHCPACK or DHCPNAK
 * @lease:	true to give c->ip4.addr with a lease time (not for INFORM)
 *
 * Return: 0 on success, -1 if the request is too short
 */
static int dhcp_reply(const struct ctx *c, const struct pool *p,
		      const struct dhcp_opts *o, uint8_t type, bool lease)
{
	struct in_addr server = dhcp_server_addr(c), dst, ciaddr;
	const uint8_t *req = packet_get(p, 0, 0, DHCP_OFF_OPTS, NULL);
	struct dhcp_out *r = &dhcp_out;
	const void *cid = NULL;
	uint16_t flags, mtu;

	if (!req || dhcp_reply_init(p, r, dhcp_max_size(p, o)))
		return -1;

	memcpy(&flags, req + DHCP_OFF_FLAGS, 2);
	memcpy(&ciaddr.s_addr, req + DHCP_OFF_CIADDR, 4);

	if (o->off[OPT_CLIENT_ID])
		cid = packet_get(p, 0, o->off[OPT_CLIENT_ID],
				 o->len[OPT_CLIENT_ID], NULL);

	dhcp_put(r, OPT_MSG_TYPE, &type, 1);
	dhcp_put(r, OPT_SERVER_ID, &server.s_addr, 4);
	if (cid)
		dhcp_put(r, OPT_CLIENT_ID, cid, o->len[OPT_CLIENT_ID]);

	if (type == DHCPNAK) {
		/* RFC 2131, 4.3.2: NAKs are broadcast, no address fields */
		dst.s_addr = INADDR_BROADCAST;
		dhcp_send(c, r, dst);
		return 0;
	}

	if (type == DHCPACK)
		memcpy(r->b + DHCP_OFF_CIADDR, &ciaddr.s_addr, 4);
	if (lease) {
		memcpy(r->b + DHCP_OFF_YIADDR, &c->ip4.addr.s_addr, 4);
		dhcp_put_u32(r, OPT_LEASE_TIME, htonl(DHCP_LEASE_INFINITE));
	}

	dhcp_put_u32(r, OPT_MASK, dhcp_mask(c->ip4.prefix_len));
	if (c->ip4.gw.s_addr)
		dhcp_put(r, OPT_ROUTER, &c->ip4.gw.s_addr, 4);
	if (c->mtu >= 68 && c->mtu <= UINT16_MAX) {
		mtu = htons((uint16_t)c->mtu);
		dhcp_put(r, OPT_MTU, &mtu, 2);
	}
	dhcp_put_dns(c, r);
	dhcp_put_names(c, p, o, r);
	dhcp_put_search(c, r);

	if ((ntohs(flags) & DHCP_FLAG_BROADCAST) || !ciaddr.s_addr)
		dst.s_addr = INADDR_BROADCAST;
	else
		dst = ciaddr;

	dhcp_send(c, r, dst);
	return 0;
}

/**
 * dhcp_request() - Handle a DHCPREQUEST: ACK our address, NAK anything else
 * @c:		execution context
 * @p:		pool with the request at index 0
 * @o:		option index of the request
 *
 * Return: 1 if handled, 0 if malformed
 */
static int dhcp_request(const struct ctx *c, const struct pool *p,
			const struct dhcp_opts *o)
{
	struct in_addr server, req;
	const void *ciaddr;
	int ret;

	ret = dhcp_opt_addr(p, o, OPT_SERVER_ID, &server);
	if (ret < 0) {
		debug("DHCP: malformed server identifier in REQUEST");
		return 0;
	}
	if (ret && server.s_addr != dhcp_server_addr(c).s_addr) {
		debug("DHCP: REQUEST for another server, ignored");
		return 1;
	}

	ret = dhcp_opt_addr(p, o, OPT_REQ_ADDR, &req);
	if (ret < 0) {
		debug("DHCP: malformed requested address in REQUEST");
		return 0;
	}
	if (!ret) {
		if (!(ciaddr = packet_get(p, 0, DHCP_OFF_CIADDR, 4, NULL)))
			return 0;
		memcpy(&req.s_addr, ciaddr, 4);
	}

	if (req.s_addr != c->ip4.addr.s_addr || !req.s_addr) {
		debug("DHCP: REQUEST for wrong address, sending NAK");
		return !dhcp_reply(c, p, o, DHCPNAK, false);
	}

	return !dhcp_reply(c, p, o, DHCPACK, true);
}

/**
 * dhcp_check_header() - Validate the fixed part of a message
 * @p:		pool with the message at index 0
 *
 * Return: 0 if it's a BOOTREQUEST from an Ethernet client with the DHCP
 *	   magic cookie, -1 otherwise
 */
static int dhcp_check_header(const struct pool *p)
{
	const uint8_t *m = packet_get(p, 0, 0, DHCP_OFF_OPTS, NULL);

	if (!m) {
		debug("DHCP: message of %zu bytes, too short", packet_len(p, 0));
		return -1;
	}
	if (m[DHCP_OFF_OP] != BOOTREQUEST) {
		debug("DHCP: not a BOOTREQUEST (op %u)", m[DHCP_OFF_OP]);
		return -1;
	}
	if (m[DHCP_OFF_HTYPE] != HTYPE_ETHER || m[DHCP_OFF_HLEN] != 6) {
		debug("DHCP: hardware type %u, length %u: not Ethernet",
		      m[DHCP_OFF_HTYPE], m[DHCP_OFF_HLEN]);
		return -1;
	}
	if (memcmp(m + DHCP_OFF_COOKIE, dhcp_cookie, sizeof(dhcp_cookie))) {
		debug("DHCP: no magic cookie, BOOTP not supported");
		return -1;
	}

	return 0;
}

/**
 * dhcp() - Handle a DHCP message from the guest
 * @c:		execution context
 * @p:		pool with one packet, the UDP payload sent to port 67
 *
 * Return: 1 if the message was a valid DHCP message, answered or
 *	   deliberately ignored; 0 if it was malformed and dropped.  Either
 *	   way, the caller must not pass it on.
 */
int dhcp(const struct ctx *c, const struct pool *p)
{
	struct dhcp_opts o;
	uint8_t type;

	if (dhcp_check_header(p) || dhcp_opts_index(p, &o))
		return 0;

	if (o.len[OPT_MSG_TYPE] != 1 ||
	    dhcp_byte(p, o.off[OPT_MSG_TYPE], &type)) {
		debug("DHCP: missing or malformed message type");
		return 0;
	}

	switch (type) {
	case DHCPDISCOVER:
		trace("DHCP: DISCOVER, sending OFFER");
		return !dhcp_reply(c, p, &o, DHCPOFFER, true);
	case DHCPREQUEST:
		trace("DHCP: REQUEST");
		return dhcp_request(c, p, &o);
	case DHCPINFORM:
		trace("DHCP: INFORM, sending ACK");
		return !dhcp_reply(c, p, &o, DHCPACK, false);
	case DHCPDECLINE:
	case DHCPRELEASE:
		debug("DHCP: %s ignored",
		      type == DHCPDECLINE ? "DECLINE" : "RELEASE");
		return 1;
	default:
		debug("DHCP: unexpected message type %u", type);
		return 0;
	}
}
