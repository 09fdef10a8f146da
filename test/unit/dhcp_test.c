// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dhcp_test.c - Unit tests for the DHCP server (dhcp.c) and the domain name
 * encoder it shares with NDP and DHCPv6
 *
 * Messages are built by hand, handed to dhcp() through a pool whose packet
 * ends exactly at the end of a static buffer (so that a read past the
 * message shows up under AddressSanitizer), and replies are captured by a
 * stub of tap_udp4_send() and parsed back.
 */

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "dhcp.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"

#include "unit.h"

static struct ctx c;

/* Captured reply */
static uint8_t sent[65536];
static size_t sent_len;
static int sent_count;
static struct in_addr sent_src, sent_dst;
static uint16_t sent_sport, sent_dport;

void tap_udp4_send(const struct ctx *ctx, struct in_addr src, uint16_t sport,
		   struct in_addr dst, uint16_t dport,
		   const void *payload, size_t len)
{
	(void)ctx;
	sent_count++;
	sent_src = src;
	sent_dst = dst;
	sent_sport = sport;
	sent_dport = dport;
	sent_len = len < sizeof(sent) ? len : sizeof(sent);
	memcpy(sent, payload, sent_len);
}

void tap_udp6_send(const struct ctx *ctx, const struct in6_addr *src,
		   uint16_t sport, const struct in6_addr *dst, uint16_t dport,
		   const void *payload, size_t len)
{
	(void)ctx; (void)src; (void)sport; (void)dst; (void)dport;
	(void)payload; (void)len;
}

void tap_icmp6_send(const struct ctx *ctx, const struct in6_addr *src,
		    const struct in6_addr *dst, const void *msg, size_t len)
{
	(void)ctx; (void)src; (void)dst; (void)msg; (void)len;
}

void tap_eth_send(const struct ctx *ctx, const unsigned char *dst_mac,
		  uint16_t ethertype, const void *payload, size_t len)
{
	(void)ctx; (void)dst_mac; (void)ethertype; (void)payload; (void)len;
}

/* Message under construction */
static uint8_t msg[2048];
static size_t mlen;

static char rxbuf[4096];

/**
 * run() - Hand a message to dhcp(), packet at the very end of rxbuf
 * @data:	message
 * @len:	length
 *
 * Return: value returned by dhcp()
 */
static int run(const void *data, size_t len)
{
	struct iovec iov[1];
	struct pool p = { .buf = rxbuf, .buf_size = sizeof(rxbuf),
			  .pkt = iov, .size = 1, .count = 0 };
	char *start = rxbuf + sizeof(rxbuf) - len;

	memmove(start, data, len);
	packet_add(&p, len, start);
	sent_count = 0;
	sent_len = 0;
	return dhcp(&c, &p);
}

static int run_msg(void)
{
	return run(msg, mlen);
}

static void msg_opt(uint8_t code, uint8_t len, const void *data)
{
	msg[mlen++] = code;
	msg[mlen++] = len;
	memcpy(msg + mlen, data, len);
	mlen += len;
}

static void msg_start(uint8_t type)
{
	static const uint8_t chaddr[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

	memset(msg, 0, sizeof(msg));
	msg[0] = 1;
	msg[1] = 1;
	msg[2] = 6;
	msg[4] = 0xde; msg[5] = 0xad; msg[6] = 0xbe; msg[7] = 0xef;
	memcpy(msg + 28, chaddr, 6);
	msg[236] = 99; msg[237] = 130; msg[238] = 83; msg[239] = 99;
	mlen = 240;
	msg_opt(53, 1, &type);
}

static void msg_end(void)
{
	msg[mlen++] = 255;
}

static void msg_set_addr(size_t off, const char *a)
{
	inet_pton(AF_INET, a, msg + off);
}

/**
 * reply_opt() - Find an option in the captured reply (options field only)
 * @code:	option code
 * @len:	length, set if found
 *
 * Return: pointer to the option data, NULL if absent
 */
static const uint8_t *reply_opt(uint8_t code, size_t *len)
{
	size_t off = 240;

	while (off < sent_len) {
		if (sent[off] == 0) {
			off++;
			continue;
		}
		if (sent[off] == 255 || off + 2 > sent_len)
			return NULL;
		if (off + 2 + sent[off + 1] > sent_len)
			return NULL;
		if (sent[off] == code) {
			*len = sent[off + 1];
			return sent + off + 2;
		}
		off += 2 + (size_t)sent[off + 1];
	}
	return NULL;
}

/**
 * reply_opt_concat() - Concatenate every instance of an option (RFC 3396)
 * @code:	option code
 * @out:	output buffer
 *
 * Return: total length
 */
static size_t reply_opt_concat(uint8_t code, uint8_t *out)
{
	size_t off = 240, n = 0;

	while (off + 2 <= sent_len && sent[off] != 255) {
		if (sent[off] == 0) {
			off++;
			continue;
		}
		if (sent[off] == code) {
			memcpy(out + n, sent + off + 2, sent[off + 1]);
			n += sent[off + 1];
		}
		off += 2 + (size_t)sent[off + 1];
	}
	return n;
}

static int reply_is_wellformed(void)
{
	size_t off = 240;

	if (sent_len < 300 || sent[0] != 2 ||
	    memcmp(sent + 236, "\x63\x82\x53\x63", 4))
		return 0;
	while (off < sent_len) {
		if (sent[off] == 0) {
			off++;
			continue;
		}
		if (sent[off] == 255)
			return 1;
		if (off + 2 > sent_len || off + 2 + sent[off + 1] > sent_len)
			return 0;
		off += 2 + (size_t)sent[off + 1];
	}
	return 0;
}

static int reply_type(void)
{
	size_t len;
	const uint8_t *t = reply_opt(53, &len);

	return t && len == 1 ? t[0] : -1;
}

static int reply_addr_is(size_t off, const char *a)
{
	struct in_addr x;

	inet_pton(AF_INET, a, &x);
	return !memcmp(sent + off, &x, 4);
}

static int opt_addr_is(uint8_t code, const char *a)
{
	struct in_addr x;
	size_t len;
	const uint8_t *v = reply_opt(code, &len);

	inet_pton(AF_INET, a, &x);
	return v && len == 4 && !memcmp(v, &x, 4);
}

static void ctx_init(void)
{
	static const unsigned char mac[6] = { 0x9a, 0x55, 0x9a, 0x55, 0x9a, 0x55 };

	memset(&c, 0, sizeof(c));
	memcpy(c.our_tap_mac, mac, 6);
	c.ifi4 = 1;
	inet_pton(AF_INET, "192.0.2.10", &c.ip4.addr);
	c.ip4.prefix_len = 24;
	inet_pton(AF_INET, "192.0.2.1", &c.ip4.gw);
	inet_pton(AF_INET, "192.0.2.53", &c.ip4.dns[0]);
	inet_pton(AF_INET, "198.51.100.53", &c.ip4.dns[1]);
	strcpy(c.dns_search[0].n, "example.org");
	strcpy(c.dns_search[1].n, "lan");
}

static void test_encoder(void)
{
	uint8_t b[300];
	char name[300];
	struct fqdn list[4];

	CHECK(dhcp_dns_name_encode("example.org", b, sizeof(b)) == 13 &&
	      !memcmp(b, "\7example\3org\0", 13), "encode: example.org");
	CHECK(dhcp_dns_name_encode("example.org.", b, sizeof(b)) == 13 &&
	      !memcmp(b, "\7example\3org\0", 13), "encode: trailing dot");
	CHECK(dhcp_dns_name_encode("", b, sizeof(b)) == 0, "encode: empty");
	CHECK(dhcp_dns_name_encode(".", b, sizeof(b)) == 0, "encode: root");
	CHECK(dhcp_dns_name_encode("a..b", b, sizeof(b)) == 0,
	      "encode: empty label");
	CHECK(dhcp_dns_name_encode(".a", b, sizeof(b)) == 0,
	      "encode: leading dot");
	CHECK(dhcp_dns_name_encode("example.org", b, 12) == 0,
	      "encode: doesn't fit");

	memset(name, 'a', 63);
	strcpy(name + 63, ".b");
	CHECK(dhcp_dns_name_encode(name, b, sizeof(b)) == 67,
	      "encode: 63-byte label");
	memset(name, 'a', 64);
	strcpy(name + 64, ".b");
	CHECK(dhcp_dns_name_encode(name, b, sizeof(b)) == 0,
	      "encode: 64-byte label refused");

	/* 4 x 63-byte labels: 4 * 64 + 1 = 257 > 255 */
	memset(name, 'a', 255);
	name[63] = name[127] = name[191] = '.';
	name[255] = 0;
	CHECK(dhcp_dns_name_encode(name, b, sizeof(b)) == 0,
	      "encode: name over 255 bytes refused");

	memset(list, 0, sizeof(list));
	strcpy(list[0].n, "a.b");
	strcpy(list[1].n, "x..y");
	strcpy(list[2].n, "c");
	CHECK(dhcp_dns_list_encode(list, 4, b, sizeof(b)) == 8 &&
	      !memcmp(b, "\1a\1b\0\1c\0", 8), "encode list: invalid skipped");
	CHECK(dhcp_dns_list_encode(list, 4, b, 6) == 5,
	      "encode list: stops when full");
	CHECK(dhcp_dns_list_encode(list, 1, b, sizeof(b)) == 5,
	      "encode list: bounded by n");
}

static void test_discover(void)
{
	uint8_t search[2048];
	size_t len;
	const uint8_t *v;

	ctx_init();
	msg_start(1);
	msg_end();

	CHECK(run_msg() == 1 && sent_count == 1, "DISCOVER: one reply");
	CHECK(reply_is_wellformed(), "OFFER: well-formed, >= 300 bytes");
	CHECK(reply_type() == 2, "OFFER: message type");
	CHECK(!memcmp(sent + 4, "\xde\xad\xbe\xef", 4), "OFFER: xid");
	CHECK(sent[1] == 1 && sent[2] == 6, "OFFER: htype, hlen");
	CHECK(!memcmp(sent + 28, msg + 28, 16), "OFFER: chaddr");
	CHECK(reply_addr_is(16, "192.0.2.10"), "OFFER: yiaddr");
	CHECK(reply_addr_is(12, "0.0.0.0"), "OFFER: ciaddr zero");
	CHECK(sent_dst.s_addr == INADDR_BROADCAST, "OFFER: broadcast");
	CHECK(sent_src.s_addr == c.ip4.gw.s_addr, "OFFER: from gateway");
	CHECK(sent_sport == 67 && sent_dport == 68, "OFFER: ports");
	CHECK(opt_addr_is(54, "192.0.2.1"), "OFFER: server identifier");
	CHECK(opt_addr_is(1, "255.255.255.0"), "OFFER: subnet mask");
	CHECK(opt_addr_is(3, "192.0.2.1"), "OFFER: router");
	v = reply_opt(51, &len);
	CHECK(v && len == 4 && !memcmp(v, "\xff\xff\xff\xff", 4),
	      "OFFER: infinite lease time");
	v = reply_opt(6, &len);
	CHECK(v && len == 8 && !memcmp(v, "\xc0\x00\x02\x35\xc6\x33\x64\x35", 8),
	      "OFFER: DNS servers");
	v = reply_opt(15, &len);
	CHECK(v && len == 11 && !memcmp(v, "example.org", 11),
	      "OFFER: domain name");
	len = reply_opt_concat(119, search);
	CHECK(len == 18 && !memcmp(search, "\7example\3org\0\3lan\0", 18),
	      "OFFER: domain search");
	CHECK(!reply_opt(26, &len), "OFFER: no MTU without -m");
	CHECK(!reply_opt(61, &len), "OFFER: no client id if none sent");
	CHECK(sent_len <= 548, "OFFER: fits default maximum size");

	/* Broadcast flag, client identifier echo */
	msg_start(1);
	msg[10] = 0x80;
	msg_opt(61, 7, "\x01\x52\x54\x00\x12\x34\x56");
	msg_end();
	run_msg();
	v = reply_opt(61, &len);
	CHECK(v && len == 7 && !memcmp(v, "\x01\x52\x54\x00\x12\x34\x56", 7),
	      "OFFER: client identifier echoed");
	CHECK(sent[10] == 0x80, "OFFER: flags echoed");
}

static void test_options_switches(void)
{
	size_t len;
	const uint8_t *v;

	ctx_init();
	c.mtu = 1400;
	msg_start(1);
	msg_end();
	run_msg();
	v = reply_opt(26, &len);
	CHECK(v && len == 2 && v[0] == 1400 >> 8 && v[1] == (1400 & 0xff),
	      "OFFER: MTU with -m");

	ctx_init();
	c.no_dhcp_dns = 1;
	run_msg();
	CHECK(reply_is_wellformed() && !reply_opt(6, &len),
	      "OFFER: no DNS with --no-dhcp-dns");
	CHECK(reply_opt(119, &len), "OFFER: search still there");

	ctx_init();
	c.no_dhcp_dns_search = 1;
	run_msg();
	CHECK(reply_is_wellformed() && !reply_opt(119, &len) &&
	      !reply_opt(15, &len), "OFFER: no search with --no-dhcp-search");
	CHECK(reply_opt(6, &len), "OFFER: DNS still there");

	ctx_init();
	memset(c.ip4.dns, 0, sizeof(c.ip4.dns));
	memset(c.dns_search, 0, sizeof(c.dns_search));
	run_msg();
	CHECK(reply_is_wellformed() && !reply_opt(6, &len) &&
	      !reply_opt(119, &len), "OFFER: nothing to send, no options");

	ctx_init();
	c.ip4.prefix_len = 20;
	run_msg();
	CHECK(opt_addr_is(1, "255.255.240.0"), "OFFER: /20 mask");

	ctx_init();
	c.ip4.gw.s_addr = 0;
	run_msg();
	CHECK(opt_addr_is(54, "192.0.2.1") && !reply_opt(3, &len),
	      "no gateway: server id first subnet address, no router");
	inet_pton(AF_INET, "192.0.2.1", &c.ip4.addr);
	run_msg();
	CHECK(opt_addr_is(54, "192.0.2.2"), "no gateway: skips guest address");
}

static void test_search_sizes(void)
{
	uint8_t search[4096];
	size_t len, i;
	uint16_t max = htons(1500);

	ctx_init();
	for (i = 0; i < MAXDNSRCH; i++) {
		memset(c.dns_search[i].n, 'a' + (int)i, 60);
		strcpy(c.dns_search[i].n + 60, ".example.org");
	}

	msg_start(1);
	msg_end();
	run_msg();
	len = reply_opt_concat(119, search);
	CHECK(reply_is_wellformed() && sent_len <= 548,
	      "long search list: fits 548 bytes");
	CHECK(len && len % 74 == 0 && len < 6 * 74,
	      "long search list: whole names only, truncated");

	msg_start(1);
	msg_opt(57, 2, &max);
	msg_end();
	run_msg();
	len = reply_opt_concat(119, search);
	CHECK(reply_is_wellformed() && sent_len <= 1472,
	      "option 57: larger reply");
	CHECK(len == 6 * 74 && search[0] == 60 && search[74] == 60 &&
	      search[73] == 0, "option 57: whole list, split in pieces");

	max = htons(100);
	msg_start(1);
	msg_opt(57, 2, &max);
	msg_end();
	run_msg();
	CHECK(reply_is_wellformed() && sent_len <= 548,
	      "option 57 below 576 ignored");
}

static void test_request(void)
{
	struct in_addr a;
	size_t len;

	ctx_init();

	/* SELECTING: server id and requested address */
	msg_start(3);
	inet_pton(AF_INET, "192.0.2.1", &a);
	msg_opt(54, 4, &a);
	inet_pton(AF_INET, "192.0.2.10", &a);
	msg_opt(50, 4, &a);
	msg_end();
	CHECK(run_msg() == 1 && sent_count == 1 && reply_type() == 5,
	      "REQUEST right address: ACK");
	CHECK(reply_addr_is(16, "192.0.2.10") && reply_opt(51, &len) &&
	      opt_addr_is(1, "255.255.255.0") && opt_addr_is(3, "192.0.2.1"),
	      "ACK: address, lease, mask, router");
	CHECK(sent_dst.s_addr == INADDR_BROADCAST, "ACK: broadcast");

	/* INIT-REBOOT with a wrong address */
	msg_start(3);
	inet_pton(AF_INET, "192.0.2.99", &a);
	msg_opt(50, 4, &a);
	msg_end();
	CHECK(run_msg() == 1 && sent_count == 1 && reply_type() == 6,
	      "REQUEST wrong address: NAK");
	CHECK(reply_addr_is(16, "0.0.0.0") && !reply_opt(51, &len) &&
	      !reply_opt(1, &len) && opt_addr_is(54, "192.0.2.1"),
	      "NAK: no address, no lease, server id");
	CHECK(sent_dst.s_addr == INADDR_BROADCAST && reply_is_wellformed(),
	      "NAK: broadcast, well-formed");

	/* For another server */
	msg_start(3);
	inet_pton(AF_INET, "192.0.2.200", &a);
	msg_opt(54, 4, &a);
	inet_pton(AF_INET, "192.0.2.10", &a);
	msg_opt(50, 4, &a);
	msg_end();
	CHECK(run_msg() == 1 && sent_count == 0,
	      "REQUEST for another server: ignored");

	/* RENEWING: ciaddr, unicast */
	msg_start(3);
	msg_set_addr(12, "192.0.2.10");
	msg_end();
	CHECK(run_msg() == 1 && reply_type() == 5, "RENEW (ciaddr): ACK");
	CHECK(sent_dst.s_addr == c.ip4.addr.s_addr, "RENEW: unicast reply");
	CHECK(reply_addr_is(12, "192.0.2.10"), "RENEW: ciaddr echoed");

	msg[10] = 0x80;
	run_msg();
	CHECK(sent_dst.s_addr == INADDR_BROADCAST,
	      "RENEW with broadcast flag: broadcast");

	msg_start(3);
	msg_set_addr(12, "192.0.2.77");
	msg_end();
	CHECK(run_msg() == 1 && reply_type() == 6, "RENEW wrong ciaddr: NAK");

	msg_start(3);
	msg_end();
	CHECK(run_msg() == 1 && reply_type() == 6,
	      "REQUEST without any address: NAK");

	msg_start(3);
	msg_opt(50, 3, "\xc0\x00\x02");
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0,
	      "REQUEST with 3-byte option 50: dropped");
}

static void test_other_types(void)
{
	size_t len;

	ctx_init();
	msg_start(8);
	msg_set_addr(12, "192.0.2.10");
	msg_end();
	CHECK(run_msg() == 1 && reply_type() == 5, "INFORM: ACK");
	CHECK(reply_addr_is(16, "0.0.0.0") && !reply_opt(51, &len),
	      "INFORM: no address, no lease");
	CHECK(reply_opt(6, &len) && reply_opt(1, &len),
	      "INFORM: DNS and mask");
	CHECK(sent_dst.s_addr == c.ip4.addr.s_addr, "INFORM: unicast");

	msg_start(7);
	msg_end();
	CHECK(run_msg() == 1 && sent_count == 0, "RELEASE: ignored");
	msg_start(4);
	msg_end();
	CHECK(run_msg() == 1 && sent_count == 0, "DECLINE: ignored");
	msg_start(2);
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0, "OFFER from client: dropped");
}

static void test_malformed(void)
{
	uint8_t big[1024];

	ctx_init();

	CHECK(run(msg, 0) == 0 && sent_count == 0, "empty message dropped");

	msg_start(1);
	msg_end();
	CHECK(run(msg, 239) == 0 && sent_count == 0, "truncated header");
	CHECK(run(msg, 240) == 0 && sent_count == 0,
	      "no options: no message type");
	CHECK(run(msg, 242) == 0 && sent_count == 0,
	      "message type option cut");
	CHECK(run(msg, 243) == 1 && sent_count == 1, "no end option: accepted");

	msg_start(1);
	msg[236] = 0;
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0, "missing cookie");

	msg_start(1);
	msg[2] = 200;
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0, "huge hlen");

	msg_start(1);
	msg[1] = 6;
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0, "not Ethernet");

	msg_start(1);
	msg[0] = 2;
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0, "BOOTREPLY from client");

	msg_start(1);
	msg[mlen++] = 12;
	msg[mlen++] = 200;
	memcpy(msg + mlen, "host", 4);
	mlen += 4;
	CHECK(run_msg() == 0 && sent_count == 0, "option length past end");

	msg_start(1);
	msg[mlen++] = 12;
	CHECK(run_msg() == 0 && sent_count == 0, "option without length");

	msg_start(1);
	msg_opt(12, 0, "");
	msg_opt(60, 0, "");
	msg_end();
	CHECK(run_msg() == 1 && sent_count == 1, "zero-length options ok");

	msg_start(1);
	memset(msg + mlen, 0, 300);
	mlen += 300;
	CHECK(run_msg() == 1 && sent_count == 1, "trailing pad, no end");

	msg_start(1);
	msg[241] = 2;	/* message type, length 2 */
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0, "message type length 2");

	memset(msg, 0, 240);
	mlen = 240;
	msg[0] = 1; msg[1] = 1; msg[2] = 6;
	memcpy(msg + 236, "\x63\x82\x53\x63", 4);
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0, "BOOTP without type dropped");

	/* Message filling the whole buffer: options until the last byte */
	msg_start(1);
	memset(big, 0, sizeof(big));
	memcpy(big, msg, mlen);
	big[sizeof(big) - 2] = 12;
	big[sizeof(big) - 1] = 1;
	CHECK(run(big, sizeof(big)) == 0 && sent_count == 0,
	      "option cut at the very end");
}

static void test_overload(void)
{
	size_t len;
	uint8_t v;

	ctx_init();

	/* Message type in 'file', overload = 1 */
	msg_start(1);
	mlen = 240;
	v = 1;
	msg_opt(52, 1, &v);
	msg_end();
	msg[108] = 53; msg[109] = 1; msg[110] = 1; msg[111] = 255;
	CHECK(run_msg() == 1 && reply_type() == 2,
	      "overload: type in file field");

	/* Option in 'sname' overrunning the field */
	v = 3;
	msg[242] = v;
	msg[44] = 12; msg[45] = 100;
	CHECK(run_msg() == 0 && sent_count == 0,
	      "overload: option past sname field dropped");

	msg[44] = 0; msg[45] = 0;
	msg[111] = 12;
	msg[112] = 200;
	CHECK(run_msg() == 0 && sent_count == 0,
	      "overload: option past file field dropped");

	msg[111] = 255;
	msg[242] = 4;
	CHECK(run_msg() == 0 && sent_count == 0, "overload value 4 dropped");
	msg[242] = 0;
	CHECK(run_msg() == 0 && sent_count == 0, "overload value 0 dropped");

	msg_start(1);
	msg_opt(52, 2, "\x01\x01");
	msg_end();
	CHECK(run_msg() == 0 && sent_count == 0, "overload length 2 dropped");

	/* Options in the options field win over 'file' */
	msg_start(1);
	v = 1;
	msg_opt(52, 1, &v);
	msg_end();
	msg[108] = 53; msg[109] = 1; msg[110] = 7; msg[111] = 255;
	CHECK(run_msg() == 1 && reply_type() == 2 && reply_opt(51, &len),
	      "overload: first occurrence wins");
}

static uint32_t rnd_state = 0x2545f491;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void test_fuzz(void)
{
	uint8_t base[600], m[600];
	size_t blen, i, j, replies = 0, bad = 0;
	struct in_addr a;

	ctx_init();
	msg_start(3);
	msg_opt(61, 7, "\x01\x52\x54\x00\x12\x34\x56");
	inet_pton(AF_INET, "192.0.2.10", &a);
	msg_opt(50, 4, &a);
	msg_opt(55, 5, "\x01\x03\x06\x0f\x77");
	msg_opt(57, 2, "\x05\xdc");
	msg_opt(52, 1, "\x03");
	msg_end();
	memset(msg + 44, 0, 64 + 128);
	msg[44] = 12; msg[45] = 3; memcpy(msg + 46, "abc", 3); msg[49] = 255;
	msg[108] = 255;
	memcpy(base, msg, mlen);
	blen = mlen;

	for (i = 0; i < 200000; i++) {
		size_t len = blen, n = 1 + rnd() % 4;

		memcpy(m, base, blen);
		for (j = 0; j < n; j++) {
			size_t at = 236 + rnd() % (blen - 236);

			if (rnd() % 4 == 0)
				at = rnd() % blen;
			m[at] = (uint8_t)rnd();
		}
		if (rnd() % 3 == 0)
			len = rnd() % (blen + 1);

		run(m, len);
		if (sent_count) {
			replies++;
			if (!reply_is_wellformed() || sent_len > 1472)
				bad++;
		}
	}
	printf("fuzz: %zu replies out of %zu\n", replies, i);
	CHECK(replies > 0, "fuzz: some mutated messages still answered");
	CHECK(!bad, "fuzz: every reply well-formed and bounded");
}

/* Host name (12) and client FQDN (81, RFC 4702) */
static void test_names(void)
{
	static const uint8_t fqdn_wire[] = "\3vm1\7example\3org";
	static const uint8_t cf_ascii[] = { 0x01, 0, 0, 'x' };
	static const uint8_t cf_wire[] = { 0x05, 0, 0, 1, 'x', 0 };
	const uint8_t *v;
	size_t len;

	ctx_init();
	strcpy(c.hostname, "vm1");
	strcpy(c.fqdn.n, "vm1.example.org");

	msg_start(1);
	msg_end();
	CHECK(run_msg() && (v = reply_opt(12, &len)) && len == 3 &&
	      !memcmp(v, "vm1", 3), "names: host name always sent");
	CHECK(!reply_opt(81, &len), "names: FQDN not sent unasked");

	msg_start(1);
	msg_opt(55, 3, "\1\3\x51");
	msg_end();
	CHECK(run_msg() && (v = reply_opt(81, &len)) &&
	      len == 3 + sizeof(fqdn_wire) && v[0] == 0x0c &&
	      v[1] == 255 && v[2] == 255 &&
	      !memcmp(v + 3, fqdn_wire, sizeof(fqdn_wire)),
	      "names: FQDN asked in option 55, wire format, N and E");

	msg_start(3);
	msg_set_addr(12, "192.0.2.10");
	msg_opt(81, sizeof(cf_wire), cf_wire);
	msg_end();
	CHECK(run_msg() && reply_type() == 5 && (v = reply_opt(81, &len)) &&
	      v[0] == (0x08 | 0x04 | 0x02) &&
	      !memcmp(v + 3, fqdn_wire, sizeof(fqdn_wire)),
	      "names: client FQDN with S: O set, no update (N)");

	msg_start(1);
	msg_opt(81, sizeof(cf_ascii), cf_ascii);
	msg_end();
	CHECK(run_msg() && (v = reply_opt(81, &len)) &&
	      len == 3 + strlen("vm1.example.org") && v[0] == (0x08 | 0x02) &&
	      !memcmp(v + 3, "vm1.example.org", len - 3),
	      "names: ASCII encoding answered in kind");

	c.hostname[0] = c.fqdn.n[0] = '\0';
	msg_start(1);
	msg_opt(81, sizeof(cf_wire), cf_wire);
	msg_end();
	CHECK(run_msg() && !reply_opt(12, &len) && !reply_opt(81, &len),
	      "names: nothing without -H and --fqdn");
}

int main(void)
{
	test_encoder();
	test_discover();
	test_options_switches();
	test_search_sizes();
	test_request();
	test_other_types();
	test_malformed();
	test_overload();
	test_names();
	test_fuzz();

	return UNIT_RESULT();
}
