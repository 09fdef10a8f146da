// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dhcpv6_test.c - Unit tests for the DHCPv6 server (dhcpv6.c)
 *
 * Client messages are built by hand and handed to dhcpv6() through a pool
 * whose packet ends at the end of a static buffer; replies are captured by a
 * stub of tap_udp6_send() and parsed back.
 */

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "dhcpv6.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"

#include "unit.h"

static struct ctx c;

static uint8_t sent[65536];
static size_t sent_len;
static int sent_count;
static struct in6_addr sent_src, sent_dst;
static uint16_t sent_sport, sent_dport;

void tap_udp6_send(const struct ctx *ctx, const struct in6_addr *src,
		   uint16_t sport, const struct in6_addr *dst, uint16_t dport,
		   const void *payload, size_t len)
{
	(void)ctx;
	sent_count++;
	sent_src = *src;
	sent_dst = *dst;
	sent_sport = sport;
	sent_dport = dport;
	sent_len = len < sizeof(sent) ? len : sizeof(sent);
	memcpy(sent, payload, sent_len);
}

void tap_udp4_send(const struct ctx *ctx, struct in_addr src, uint16_t sport,
		   struct in_addr dst, uint16_t dport,
		   const void *payload, size_t len)
{
	(void)ctx; (void)src; (void)sport; (void)dst; (void)dport;
	(void)payload; (void)len;
}

void tap_icmp6_send(const struct ctx *ctx, const struct in6_addr *src,
		    const struct in6_addr *dst, const void *m, size_t len)
{
	(void)ctx; (void)src; (void)dst; (void)m; (void)len;
}

void tap_eth_send(const struct ctx *ctx, const unsigned char *dst_mac,
		  uint16_t ethertype, const void *payload, size_t len)
{
	(void)ctx; (void)dst_mac; (void)ethertype; (void)payload; (void)len;
}

static const unsigned char our_mac[6] = { 0x9a, 0x55, 0x9a, 0x55, 0x9a, 0x55 };
static const uint8_t our_duid[10] = { 0, 3, 0, 1,
				      0x9a, 0x55, 0x9a, 0x55, 0x9a, 0x55 };
static const uint8_t client_duid[14] = { 0, 1, 0, 1, 0x2c, 0x3d, 0x4e, 0x5f,
					 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

static uint8_t msg[2048];
static size_t mlen;
static char rxbuf[4096];
static struct in6_addr guest_ll;

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

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
	return dhcpv6(&c, &guest_ll, &p);
}

static int run_msg(void)
{
	return run(msg, mlen);
}

static void ctx_init(void)
{
	memset(&c, 0, sizeof(c));
	memcpy(c.our_tap_mac, our_mac, 6);
	c.ifi6 = 1;
	c.ip6.addr = a6("2001:db8:1:2::10");
	c.ip6.prefix_len = 64;
	c.ip6.our_tap_ll = a6("fe80::1");
	c.ip6.dns[0] = a6("2001:db8::53");
	c.ip6.dns[1] = a6("2001:db8::5353");
	strcpy(c.dns_search[0].n, "example.org");
	strcpy(c.dns_search[1].n, "lan");
	guest_ll = a6("fe80::5054:ff:fe12:3456");
}

static void msg_start(uint8_t type)
{
	memset(msg, 0, sizeof(msg));
	msg[0] = type;
	msg[1] = 0xab; msg[2] = 0xcd; msg[3] = 0xef;
	mlen = 4;
}

static void msg_opt(uint16_t code, uint16_t len, const void *data)
{
	msg[mlen] = (uint8_t)(code >> 8);
	msg[mlen + 1] = (uint8_t)code;
	msg[mlen + 2] = (uint8_t)(len >> 8);
	msg[mlen + 3] = (uint8_t)len;
	if (len)
		memcpy(msg + mlen + 4, data, len);
	mlen += 4 + (size_t)len;
}

static void msg_ia_na(const char *addr)
{
	uint8_t ia[12 + 28] = { 1, 2, 3, 4 };
	struct in6_addr a;

	if (!addr) {
		msg_opt(3, 12, ia);
		return;
	}
	a = a6(addr);
	ia[12] = 0; ia[13] = 5; ia[14] = 0; ia[15] = 24;
	memcpy(ia + 16, &a, 16);
	msg_opt(3, sizeof(ia), ia);
}

/* A client message with Client ID, Elapsed Time, ORO, IA_NA */
static void msg_client(uint8_t type, bool with_sid)
{
	msg_start(type);
	msg_opt(1, sizeof(client_duid), client_duid);
	if (with_sid)
		msg_opt(2, sizeof(our_duid), our_duid);
	msg_opt(8, 2, "\0\0");
	msg_opt(6, 4, "\0\x17\0\x18");
	msg_ia_na(NULL);
}

/**
 * opt_find() - Find an option in an area of the captured reply
 * @code:	option code
 * @start:	offset of the area
 * @end:	end of the area
 * @len:	option data length, set if found
 *
 * Return: offset of the option data, 0 if absent or malformed
 */
static size_t opt_find(uint16_t code, size_t start, size_t end, size_t *len)
{
	size_t off = start;

	while (off + 4 <= end) {
		uint16_t oc = (uint16_t)(sent[off] << 8 | sent[off + 1]);
		size_t ol = (size_t)(sent[off + 2] << 8 | sent[off + 3]);

		if (off + 4 + ol > end)
			return 0;
		if (oc == code) {
			*len = ol;
			return off + 4;
		}
		off += 4 + ol;
	}
	return 0;
}

static size_t ropt(uint16_t code, size_t *len)
{
	return opt_find(code, 4, sent_len, len);
}

static int reply_wellformed(void)
{
	size_t off = 4;

	while (off + 4 <= sent_len)
		off += 4 + (size_t)(sent[off + 2] << 8 | sent[off + 3]);
	return sent_len >= 4 && off == sent_len;
}

static int status_is(size_t start, size_t end, int code)
{
	size_t len, o = opt_find(13, start, end, &len);

	if (!o)
		return code == 0 ? 2 : 0;	/* absent: success implied */
	return len >= 2 && sent[o] == 0 && sent[o + 1] == code;
}

/**
 * check_ia_na() - Check the IA_NA of the reply holds our address
 * Return: offset of the IA_NA data, 0 on failure
 */
static size_t check_ia_na(void)
{
	struct in6_addr a = c.ip6.addr;
	size_t len, alen, o = ropt(3, &len), ao;

	if (!o || len < 12 + 28)
		return 0;
	if (memcmp(sent + o, "\1\2\3\4", 4) ||
	    memcmp(sent + o + 4, "\xff\xff\xff\xff\xff\xff\xff\xff", 8))
		return 0;
	ao = opt_find(5, o + 12, o + len, &alen);
	if (!ao || alen < 24 || memcmp(sent + ao, &a, 16) ||
	    memcmp(sent + ao + 16, "\xff\xff\xff\xff\xff\xff\xff\xff", 8))
		return 0;
	return o;
}

static void test_solicit(void)
{
	struct in6_addr d0 = a6("2001:db8::53"), d1 = a6("2001:db8::5353");
	size_t len, o;

	ctx_init();
	msg_client(1, false);
	CHECK(run_msg() == 1 && sent_count == 1, "SOLICIT: answered");
	CHECK(reply_wellformed() && sent[0] == 2, "ADVERTISE: type");
	CHECK(!memcmp(sent + 1, "\xab\xcd\xef", 3), "ADVERTISE: transaction id");
	CHECK(IN6_ARE_ADDR_EQUAL(&sent_src, &c.ip6.our_tap_ll) &&
	      IN6_ARE_ADDR_EQUAL(&sent_dst, &guest_ll) &&
	      sent_sport == 547 && sent_dport == 546,
	      "ADVERTISE: addresses and ports");
	o = ropt(1, &len);
	CHECK(o && len == sizeof(client_duid) &&
	      !memcmp(sent + o, client_duid, len), "ADVERTISE: client id");
	o = ropt(2, &len);
	CHECK(o && len == 10 && !memcmp(sent + o, our_duid, 10),
	      "ADVERTISE: server DUID-LL");
	o = ropt(7, &len);
	CHECK(o && len == 1 && sent[o] == 255, "ADVERTISE: preference 255");
	CHECK(check_ia_na(), "ADVERTISE: IA_NA with our address, infinite");
	o = ropt(23, &len);
	CHECK(o && len == 32 && !memcmp(sent + o, &d0, 16) &&
	      !memcmp(sent + o + 16, &d1, 16), "ADVERTISE: DNS servers");
	o = ropt(24, &len);
	CHECK(o && len == 18 &&
	      !memcmp(sent + o, "\7example\3org\0\3lan\0", 18),
	      "ADVERTISE: domain list");
	CHECK(!ropt(14, &len), "ADVERTISE: no rapid commit");

	msg_opt(14, 0, NULL);
	CHECK(run_msg() == 1 && sent[0] == 7 && ropt(14, &len) && !len &&
	      check_ia_na() && !ropt(7, &len), "SOLICIT + rapid commit: REPLY");

	msg_start(1);
	msg_opt(1, sizeof(client_duid), client_duid);
	CHECK(run_msg() == 1 && sent[0] == 2 && !ropt(3, &len) &&
	      status_is(4, sent_len, 2) == 1,
	      "SOLICIT without IA_NA: NoAddrsAvail");

	ctx_init();
	c.no_dhcp_dns = 1;
	msg_client(1, false);
	run_msg();
	CHECK(reply_wellformed() && !ropt(23, &len) && ropt(24, &len),
	      "--no-dhcp-dns: no DNS servers");
	ctx_init();
	c.no_dhcp_dns_search = 1;
	run_msg();
	CHECK(reply_wellformed() && ropt(23, &len) && !ropt(24, &len),
	      "--no-dhcp-search: no domain list");
}

static void test_request(void)
{
	struct in6_addr foreign = a6("2001:db8:99::1");
	size_t len, o, ia, ialen, off;
	int zeroed = 0, ours = 0;
	uint8_t other[10];

	ctx_init();
	msg_client(3, true);
	CHECK(run_msg() == 1 && sent[0] == 7 && check_ia_na(),
	      "REQUEST: REPLY with IA_NA");
	o = ropt(2, &len);
	CHECK(o && !memcmp(sent + o, our_duid, 10), "REPLY: server id");

	memcpy(other, our_duid, 10);
	other[9] ^= 1;
	msg_start(3);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_opt(2, 10, other);
	msg_ia_na(NULL);
	CHECK(run_msg() == 1 && sent_count == 0,
	      "REQUEST for another server: ignored");

	msg_start(3);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_opt(2, 9, our_duid);
	msg_ia_na(NULL);
	CHECK(run_msg() == 1 && sent_count == 0,
	      "REQUEST with shorter server id: ignored");

	msg_client(3, false);
	CHECK(run_msg() == 0 && sent_count == 0,
	      "REQUEST without server id: dropped");

	msg_client(1, true);
	CHECK(run_msg() == 0 && sent_count == 0,
	      "SOLICIT with server id: dropped");

	msg_start(5);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_opt(2, sizeof(our_duid), our_duid);
	msg_ia_na("2001:db8:99::1");
	CHECK(run_msg() == 1 && sent[0] == 7 && check_ia_na(),
	      "RENEW: REPLY with our address");
	ia = ropt(3, &ialen);
	for (off = ia + 12; ia && off + 4 <= ia + ialen;
	     off += 4 + (size_t)(sent[off + 2] << 8 | sent[off + 3])) {
		if (sent[off + 1] != 5)
			continue;
		if (!memcmp(sent + off + 4, &foreign, 16) &&
		    !memcmp(sent + off + 20, "\0\0\0\0\0\0\0\0", 8))
			zeroed++;
		if (!memcmp(sent + off + 4, &c.ip6.addr, 16))
			ours++;
	}
	CHECK(zeroed == 1 && ours == 1, "RENEW: foreign address, lifetime 0");

	msg_start(6);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_ia_na("2001:db8:1:2::10");
	CHECK(run_msg() == 1 && sent[0] == 7 && check_ia_na(),
	      "REBIND: REPLY");
	msg_opt(2, sizeof(our_duid), our_duid);
	CHECK(run_msg() == 0 && sent_count == 0,
	      "REBIND with server id: dropped");

	msg_start(8);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_opt(2, sizeof(our_duid), our_duid);
	msg_ia_na("2001:db8:1:2::10");
	CHECK(run_msg() == 1 && sent[0] == 7 && status_is(4, sent_len, 0) == 1,
	      "RELEASE: REPLY Success");
}

static void test_confirm_info(void)
{
	size_t len;

	ctx_init();
	msg_start(4);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_ia_na("2001:db8:1:2::10");
	CHECK(run_msg() == 1 && sent[0] == 7 && status_is(4, sent_len, 0) == 1,
	      "CONFIRM our address: Success");
	CHECK(!ropt(3, &len), "CONFIRM: no IA in reply");

	msg_start(4);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_ia_na("2001:db8:1:2::abcd");
	CHECK(run_msg() == 1 && status_is(4, sent_len, 0) == 1,
	      "CONFIRM address on link: Success");

	msg_ia_na("2001:db8:99::1");
	CHECK(run_msg() == 1 && status_is(4, sent_len, 4) == 1,
	      "CONFIRM foreign address: NotOnLink");

	msg_start(4);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_ia_na(NULL);
	CHECK(run_msg() == 1 && sent_count == 0,
	      "CONFIRM without addresses: no reply");

	msg_start(11);
	msg_opt(8, 2, "\0\0");
	CHECK(run_msg() == 1 && sent[0] == 7 && reply_wellformed(),
	      "INFORMATION-REQUEST without client id: REPLY");
	CHECK(!ropt(3, &len) && !ropt(1, &len) && ropt(2, &len) &&
	      ropt(23, &len) && ropt(24, &len),
	      "INFORMATION-REQUEST: server id, DNS, no IA");

	msg_opt(1, sizeof(client_duid), client_duid);
	CHECK(run_msg() == 1 && ropt(1, &len), "INFORMATION-REQUEST: client id");

	msg_ia_na(NULL);
	CHECK(run_msg() == 0 && sent_count == 0,
	      "INFORMATION-REQUEST with IA_NA: dropped");
}

static void test_malformed(void)
{
	uint8_t big[200];

	ctx_init();

	CHECK(run(msg, 0) == 0 && sent_count == 0, "empty message");
	msg_client(1, false);
	CHECK(run(msg, 3) == 0 && sent_count == 0, "3-byte message");

	msg_start(1);
	msg_ia_na(NULL);
	CHECK(run_msg() == 0 && sent_count == 0, "missing client id dropped");

	memset(big, 0x42, sizeof(big));
	msg_start(1);
	msg_opt(1, sizeof(big), big);
	msg_ia_na(NULL);
	CHECK(run_msg() == 0 && sent_count == 0, "200-byte client id dropped");

	msg_start(1);
	msg_opt(1, 1, "\1");
	CHECK(run_msg() == 0 && sent_count == 0, "1-byte client id dropped");

	msg_client(1, false);
	msg_opt(23, 16, "0123456789abcdef");
	msg[mlen - 17] = 200;		/* length of the last option: 200 */
	CHECK(run_msg() == 0 && sent_count == 0, "option length past end");

	msg_client(1, false);
	CHECK(run(msg, mlen - 1) == 0 && sent_count == 0, "last option cut");
	msg[mlen++] = 0;
	msg[mlen++] = 1;
	msg[mlen++] = 0;
	CHECK(run_msg() == 0 && sent_count == 0, "3-byte option header");

	msg_start(1);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_opt(3, 8, "\1\2\3\4\0\0\0\0");
	CHECK(run_msg() == 0 && sent_count == 0, "IA_NA shorter than 12 bytes");

	msg_start(3);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_opt(2, sizeof(our_duid), our_duid);
	msg_opt(3, 16, "\1\2\3\4\0\0\0\0\0\0\0\0\0\5\0\x18");
	CHECK(run_msg() == 0 && sent_count == 0, "IAADDR past IA_NA dropped");

	msg_start(4);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_opt(3, 16, "\1\2\3\4\0\0\0\0\0\0\0\0\0\5\0\x18");
	CHECK(run_msg() == 0 && sent_count == 0,
	      "CONFIRM with IAADDR past IA_NA dropped");

	msg_client(2, false);
	CHECK(run_msg() == 0 && sent_count == 0, "ADVERTISE from client");
	msg_client(7, false);
	CHECK(run_msg() == 0 && sent_count == 0, "REPLY from client");
	msg_client(12, false);
	CHECK(run_msg() == 0 && sent_count == 0, "RELAY-FORW dropped");
}

static void test_sizes(void)
{
	size_t i, len;
	uint8_t ia[1000];

	ctx_init();
	for (i = 0; i < MAXDNSRCH; i++) {
		memset(c.dns_search[i].n, 'a' + (int)i, 63);
		c.dns_search[i].n[63] = '.';
		memset(c.dns_search[i].n + 64, 'b', 63);
		c.dns_search[i].n[127] = '.';
		memset(c.dns_search[i].n + 128, 'c', 63);
		c.dns_search[i].n[191] = 0;
	}

	/* Client ID at maximum, IA_NA with many foreign addresses */
	memset(ia, 0, sizeof(ia));
	memcpy(ia, "\1\2\3\4", 4);
	for (i = 0; i < 20; i++) {
		uint8_t *o = ia + 12 + i * 28;

		o[1] = 5;
		o[3] = 24;
		o[4] = 0x20; o[5] = 0x01; o[6] = 0x0d; o[7] = 0xb8;
		o[19] = (uint8_t)i;
	}
	msg_start(5);
	memset(msg + 200, 7, 130);
	msg_opt(1, 130, msg + 200);
	msg_opt(2, sizeof(our_duid), our_duid);
	msg_opt(3, 12 + 20 * 28, ia);
	CHECK(run_msg() == 1 && sent_count == 1 && reply_wellformed() &&
	      sent_len <= 1232, "big RENEW: reply within 1232 bytes");
	CHECK(check_ia_na() && ropt(24, &len), "big RENEW: IA_NA, domains");
}

static uint32_t rnd_state = 0x1234567;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void test_fuzz(void)
{
	static const uint8_t types[] = { 1, 3, 4, 5, 6, 8, 9, 11 };
	size_t i, j, replies = 0, bad = 0;
	uint8_t m[256];

	ctx_init();
	for (i = 0; i < 200000; i++) {
		size_t len;

		msg_client(types[i % sizeof(types)], false);
		if (i % 3)
			msg_opt(2, sizeof(our_duid), our_duid);
		if (i % 5 == 0)
			msg_ia_na("2001:db8:1:2::10");
		memcpy(m, msg, sizeof(m));
		len = mlen;
		for (j = 0; j < 1 + rnd() % 3; j++)
			m[rnd() % len] = (uint8_t)rnd();
		if (rnd() % 3 == 0)
			len = rnd() % (len + 1);

		run(m, len);
		if (sent_count) {
			replies++;
			if (!reply_wellformed() || sent_len > 1232)
				bad++;
		}
	}
	printf("fuzz: %zu replies out of %zu\n", replies, i);
	CHECK(replies > 0, "fuzz: some mutated messages still answered");
	CHECK(!bad, "fuzz: every reply well-formed and bounded");
}

/* Client FQDN (39, RFC 4704) */
static void test_fqdn(void)
{
	static const uint8_t fqdn_wire[] = "\3vm1\7example\3org";
	size_t len, o;

	ctx_init();
	strcpy(c.fqdn.n, "vm1.example.org");

	msg_client(1, false);
	CHECK(run_msg() && !ropt(39, &len), "fqdn: not sent unasked");

	msg_start(1);
	msg_opt(1, sizeof(client_duid), client_duid);
	msg_opt(6, 4, "\0\x17\0\x27");
	msg_ia_na(NULL);
	CHECK(run_msg() && (o = ropt(39, &len)) &&
	      len == 1 + sizeof(fqdn_wire) && sent[o] == 0x04 &&
	      !memcmp(sent + o + 1, fqdn_wire, sizeof(fqdn_wire)) &&
	      reply_wellformed(), "fqdn: asked in ORO, flag N");

	msg_client(1, false);
	msg_opt(39, 3, "\x01\1x");
	CHECK(run_msg() && (o = ropt(39, &len)) && sent[o] == (0x04 | 0x02),
	      "fqdn: client's S answered with O and N");

	msg_start(11);
	msg_opt(6, 2, "\0\x27");
	CHECK(run_msg() && (o = ropt(39, &len)) &&
	      !memcmp(sent + o + 1, fqdn_wire, sizeof(fqdn_wire)),
	      "fqdn: INFORMATION-REQUEST");

	c.fqdn.n[0] = '\0';
	msg_client(1, false);
	msg_opt(39, 3, "\x01\1x");
	CHECK(run_msg() && !ropt(39, &len), "fqdn: nothing without --fqdn");
}

int main(void)
{
	test_solicit();
	test_request();
	test_confirm_info();
	test_malformed();
	test_sizes();
	test_fqdn();
	test_fuzz();

	return UNIT_RESULT();
}
