// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ndp_test.c - Unit tests for the NDP responder and router advertisements
 * (ndp.c)
 *
 * Solicitations are built by hand and handed to ndp() through a pool whose
 * packet ends at the end of a static buffer; what ndp() sends is captured
 * by a stub of tap_icmp6_send() and parsed back.  Checksums are not ndp.c's
 * business (tap_icmp6_send() computes them), so they must be left zero.
 */

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "ndp.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"

#include "unit.h"

static struct ctx c;

static uint8_t sent[65536];
static size_t sent_len;
static int sent_count;
static struct in6_addr sent_src, sent_dst;

void tap_icmp6_send(const struct ctx *ctx, const struct in6_addr *src,
		    const struct in6_addr *dst, const void *m, size_t len)
{
	(void)ctx;
	sent_count++;
	sent_src = *src;
	sent_dst = *dst;
	sent_len = len < sizeof(sent) ? len : sizeof(sent);
	memcpy(sent, m, sent_len);
}

void tap_udp4_send(const struct ctx *ctx, struct in_addr src, uint16_t sport,
		   struct in_addr dst, uint16_t dport,
		   const void *payload, size_t len)
{
	(void)ctx; (void)src; (void)sport; (void)dst; (void)dport;
	(void)payload; (void)len;
}

void tap_udp6_send(const struct ctx *ctx, const struct in6_addr *src,
		   uint16_t sport, const struct in6_addr *dst, uint16_t dport,
		   const void *payload, size_t len)
{
	(void)ctx; (void)src; (void)sport; (void)dst; (void)dport;
	(void)payload; (void)len;
}

void tap_eth_send(const struct ctx *ctx, const unsigned char *dst_mac,
		  uint16_t ethertype, const void *payload, size_t len)
{
	(void)ctx; (void)dst_mac; (void)ethertype; (void)payload; (void)len;
}

static uint8_t msg[2048];
static size_t mlen;
static char rxbuf[4096];
static struct in6_addr guest_ll, unspec, all_nodes;

static const unsigned char our_mac[6] = { 0x9a, 0x55, 0x9a, 0x55, 0x9a, 0x55 };

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static int run(const struct in6_addr *saddr, const void *data, size_t len)
{
	struct iovec iov[1];
	struct pool p = { .buf = rxbuf, .buf_size = sizeof(rxbuf),
			  .pkt = iov, .size = 1, .count = 0 };
	char *start = rxbuf + sizeof(rxbuf) - len;

	memmove(start, data, len);
	packet_add(&p, len, start);
	sent_count = 0;
	sent_len = 0;
	return ndp(&c, saddr, &p);
}

static int run_msg(const struct in6_addr *saddr)
{
	return run(saddr, msg, mlen);
}

static void ctx_init(void)
{
	memset(&c, 0, sizeof(c));
	memcpy(c.our_tap_mac, our_mac, 6);
	c.ifi6 = 1;
	c.ip6.addr = a6("2001:db8:1:2::10");
	c.ip6.prefix_len = 64;
	c.ip6.gw = a6("fe80::1");
	c.ip6.our_tap_ll = a6("fe80::1");
	c.ip6.addr_ll_seen = a6("fe80::5054:ff:fe12:3456");
	c.ip6.dns[0] = a6("2001:db8::53");
	c.ip6.dns[1] = a6("2001:db8::5353");
	strcpy(c.dns_search[0].n, "example.org");
	strcpy(c.dns_search[1].n, "lan");
	guest_ll = c.ip6.addr_ll_seen;
	all_nodes = a6("ff02::1");
}

static void ns_build(const char *target)
{
	struct in6_addr t = a6(target);

	memset(msg, 0, sizeof(msg));
	msg[0] = 135;
	memcpy(msg + 8, &t, 16);
	mlen = 24;
}

static void msg_opt(uint8_t type, uint8_t len8, const void *data,
		    size_t dlen)
{
	msg[mlen] = type;
	msg[mlen + 1] = len8;
	memset(msg + mlen + 2, 0, (size_t)len8 * 8 - 2);
	memcpy(msg + mlen + 2, data, dlen);
	mlen += (size_t)len8 * 8;
}

static void rs_build(void)
{
	memset(msg, 0, sizeof(msg));
	msg[0] = 133;
	mlen = 8;
}

/**
 * ra_opt() - Find an option in the captured RA, checking the option chain
 * @type:	option type
 * @len:	length in bytes (whole option), set if found
 *
 * Return: pointer to the option (its type byte), NULL if absent
 */
static const uint8_t *ra_opt(uint8_t type, size_t *len)
{
	size_t off = 16;

	while (off + 2 <= sent_len) {
		size_t l = (size_t)sent[off + 1] * 8;

		if (!l || off + l > sent_len)
			return NULL;
		if (sent[off] == type) {
			*len = l;
			return sent + off;
		}
		off += l;
	}
	return NULL;
}

static int ra_wellformed(void)
{
	size_t off = 16;

	if (sent_len < 16 || sent[0] != 134 || sent[1] || sent[2] || sent[3])
		return 0;
	while (off < sent_len) {
		size_t l;

		if (off + 2 > sent_len)
			return 0;
		l = (size_t)sent[off + 1] * 8;
		if (!l || off + l > sent_len)
			return 0;
		off += l;
	}
	return off == sent_len;
}

static void test_ns(void)
{
	struct in6_addr t;

	ctx_init();

	ns_build("fe80::1");
	CHECK(run_msg(&guest_ll) == 1 && sent_count == 1,
	      "NS for gateway: answered");
	t = a6("fe80::1");
	CHECK(sent_len == 32 && sent[0] == 136 && sent[1] == 0,
	      "NA: type, code, length");
	CHECK(!sent[2] && !sent[3], "NA: checksum left to tap");
	CHECK(sent[4] == 0xe0 && !sent[5] && !sent[6] && !sent[7],
	      "NA: Router, Solicited, Override");
	CHECK(!memcmp(sent + 8, &t, 16), "NA: target");
	CHECK(sent[24] == 2 && sent[25] == 1 && !memcmp(sent + 26, our_mac, 6),
	      "NA: target link-layer address option");
	CHECK(IN6_ARE_ADDR_EQUAL(&sent_dst, &guest_ll), "NA: to solicitor");
	CHECK(IN6_ARE_ADDR_EQUAL(&sent_src, &t), "NA: from target");

	ns_build("2001:db8:77::1");
	msg_opt(1, 1, "\x52\x54\x00\x12\x34\x56", 6);
	t = a6("2001:db8:77::1");
	CHECK(run_msg(&c.ip6.addr) == 1 && sent_count == 1 &&
	      !memcmp(sent + 8, &t, 16), "NS for remote, with SLLAO: answered");

	ns_build("2001:db8:1:2::10");
	CHECK(run_msg(&guest_ll) == 1 && sent_count == 0,
	      "NS for guest's address: ignored");
	ns_build("fe80::5054:ff:fe12:3456");
	CHECK(run_msg(&c.ip6.addr) == 1 && sent_count == 0,
	      "NS for guest's link-local: ignored");
	c.ip6.addr_seen = a6("2001:db8:1:2::99");
	ns_build("2001:db8:1:2::99");
	CHECK(run_msg(&guest_ll) == 1 && sent_count == 0,
	      "NS for guest's seen address: ignored");

	ns_build("2001:db8:1:2::abc");
	CHECK(run_msg(&unspec) == 1 && sent_count == 0,
	      "DAD for another address: not answered");
	ns_build("2001:db8:1:2::10");
	CHECK(run_msg(&unspec) == 1 && sent_count == 0,
	      "DAD for guest address: not answered");

	ns_build("ff02::1");
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0,
	      "NS for multicast target: dropped");
	ns_build("fe80::1");
	CHECK(run_msg(&all_nodes) == 0 && sent_count == 0,
	      "NS from multicast source: dropped");
	ns_build("::");
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0,
	      "NS for unspecified target: dropped");

	ns_build("fe80::1");
	msg[1] = 1;
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0, "NS code 1: dropped");

	ns_build("fe80::1");
	CHECK(run(&guest_ll, msg, 23) == 0 && sent_count == 0,
	      "NS truncated: dropped");

	ns_build("fe80::1");
	msg_opt(1, 1, "\x52\x54\x00\x12\x34\x56", 6);
	msg[25] = 0;
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0,
	      "NS option of length 0: dropped, no loop");

	ns_build("fe80::1");
	msg_opt(1, 1, "\x52\x54\x00\x12\x34\x56", 6);
	msg[25] = 2;
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0,
	      "NS option past the end: dropped");

	ns_build("fe80::1");
	msg_opt(1, 1, "\x52\x54\x00\x12\x34\x56", 6);
	CHECK(run(&guest_ll, msg, mlen - 1) == 0 && sent_count == 0,
	      "NS option cut: dropped");
	CHECK(run(&guest_ll, msg, 25) == 0 && sent_count == 0,
	      "NS option header cut: dropped");
}

static void test_ra_content(void)
{
	const uint8_t *o;
	struct in6_addr pfx = a6("2001:db8:1:2::"), d0 = a6("2001:db8::53"),
			d1 = a6("2001:db8::5353");
	size_t len;

	ctx_init();
	rs_build();
	msg_opt(1, 1, "\x52\x54\x00\x12\x34\x56", 6);
	CHECK(run_msg(&guest_ll) == 1 && sent_count == 1, "RS: answered");
	CHECK(ra_wellformed(), "RA: well-formed option chain");
	CHECK(IN6_ARE_ADDR_EQUAL(&sent_src, &c.ip6.our_tap_ll),
	      "RA: from our link-local");
	CHECK(IN6_ARE_ADDR_EQUAL(&sent_dst, &guest_ll), "RA: to solicitor");
	CHECK(!sent[2] && !sent[3], "RA: checksum left to tap");
	CHECK(sent[4] == 64, "RA: hop limit 64");
	CHECK(sent[5] == 0xc0, "RA: M and O flags with DHCPv6");
	CHECK(sent[6] == 1800 >> 8 && sent[7] == (1800 & 0xff),
	      "RA: router lifetime 1800 s");
	CHECK(!memcmp(sent + 8, "\0\0\0\0\0\0\0\0", 8),
	      "RA: reachable, retrans unspecified");

	o = ra_opt(1, &len);
	CHECK(o && len == 8 && !memcmp(o + 2, our_mac, 6), "RA: SLLAO");

	o = ra_opt(3, &len);
	CHECK(o && len == 32 && o[2] == 64 && o[3] == 0xc0,
	      "RA: PIO /64, L and A");
	CHECK(o && !memcmp(o + 4, "\xff\xff\xff\xff\xff\xff\xff\xff", 8),
	      "RA: PIO infinite lifetimes");
	CHECK(o && !memcmp(o + 16, &pfx, 16), "RA: PIO prefix, host bits 0");

	o = ra_opt(25, &len);
	CHECK(o && len == 40 && !memcmp(o + 4, "\xff\xff\xff\xff", 4) &&
	      !memcmp(o + 8, &d0, 16) && !memcmp(o + 24, &d1, 16),
	      "RA: RDNSS with both servers");

	o = ra_opt(31, &len);
	CHECK(o && len == 32 && !memcmp(o + 8, "\7example\3org\0\3lan\0", 18),
	      "RA: DNSSL");
	CHECK(o && !memcmp(o + 26, "\0\0\0\0\0\0", 6), "RA: DNSSL zero padding");
	CHECK(!ra_opt(5, &len), "RA: no MTU option without -m");

	rs_build();
	CHECK(run_msg(&unspec) == 1 && sent_count == 1 &&
	      IN6_ARE_ADDR_EQUAL(&sent_dst, &all_nodes),
	      "RS from unspecified: RA to all-nodes");

	c.mtu = 1500;
	run_msg(&guest_ll);
	o = ra_opt(5, &len);
	CHECK(o && len == 8 && !memcmp(o + 4, "\0\0\x05\xdc", 4),
	      "RA: MTU option with -m");
	c.mtu = 1000;
	run_msg(&guest_ll);
	CHECK(ra_wellformed() && !ra_opt(5, &len),
	      "RA: no MTU option below 1280");

	ctx_init();
	c.no_dhcpv6 = 1;
	run_msg(&guest_ll);
	CHECK(sent[5] == 0, "RA: no M, O without DHCPv6");

	ctx_init();
	c.no_dhcp_dns = 1;
	run_msg(&guest_ll);
	CHECK(ra_wellformed() && !ra_opt(25, &len) && ra_opt(31, &len),
	      "RA: no RDNSS with --no-dhcp-dns");

	ctx_init();
	c.no_dhcp_dns_search = 1;
	run_msg(&guest_ll);
	CHECK(ra_wellformed() && ra_opt(25, &len) && !ra_opt(31, &len),
	      "RA: no DNSSL with --no-dhcp-search");

	ctx_init();
	memset(c.ip6.dns, 0, sizeof(c.ip6.dns));
	memset(c.dns_search, 0, sizeof(c.dns_search));
	run_msg(&guest_ll);
	CHECK(ra_wellformed() && !ra_opt(25, &len) && !ra_opt(31, &len),
	      "RA: nothing to send, no RDNSS/DNSSL");

	ctx_init();
	c.no_ra = 1;
	CHECK(run_msg(&guest_ll) == 1 && sent_count == 0, "RS with --no-ra");
}

static void test_ra_limits(void)
{
	size_t len, i;

	ctx_init();
	c.mtu = 9000;
	for (i = 0; i < MAXDNSRCH; i++) {
		memset(c.dns_search[i].n, 'a' + (int)i, 63);
		c.dns_search[i].n[63] = '.';
		memset(c.dns_search[i].n + 64, 'b', 63);
		c.dns_search[i].n[127] = '.';
		memset(c.dns_search[i].n + 128, 'c', 63);
		c.dns_search[i].n[191] = 0;
	}
	rs_build();
	run_msg(&guest_ll);
	CHECK(ra_wellformed() && sent_len <= 1232, "RA: within 1232 bytes");
	CHECK(ra_opt(31, &len) && len > 8, "RA: DNSSL cut to fit");

	rs_build();
	CHECK(run(&guest_ll, msg, 7) == 0 && sent_count == 0,
	      "RS truncated: dropped");
	msg[1] = 3;
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0, "RS code 3: dropped");

	rs_build();
	msg_opt(1, 1, "\x52\x54\x00\x12\x34\x56", 6);
	msg_opt(14, 1, "", 0);
	msg[17] = 0;
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0,
	      "RS option of length 0 after a good one: dropped");

	rs_build();
	msg_opt(1, 255, "", 0);
	CHECK(run(&guest_ll, msg, 100) == 0 && sent_count == 0,
	      "RS option of 2040 bytes in 100: dropped");

	msg[0] = 136;
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0, "NA from guest: ignored");
	msg[0] = 134;
	CHECK(run_msg(&guest_ll) == 0 && sent_count == 0, "RA from guest: ignored");
	CHECK(run(&guest_ll, msg, 0) == 0 && sent_count == 0, "empty: ignored");
}

static void tick(long s)
{
	struct timespec now = { .tv_sec = 1000 + s, .tv_nsec = 123456789 };

	sent_count = 0;
	ndp_timer(&c, &now);
}

static void test_timer(void)
{
	long s, last = -1, min_gap = 1000, max_gap = 0, first_gaps_max = 0;
	int n = 0;

	ctx_init();
	c.ip6.addr_ll_seen = unspec;
	for (s = 0; s < 100; s++) {
		tick(s);
		n += sent_count;
	}
	CHECK(n == 0, "timer: no RA before the guest is seen");

	ctx_init();
	c.no_ra = 1;
	tick(0);
	CHECK(sent_count == 0, "timer: no RA with --no-ra");
	ctx_init();
	c.ifi6 = 0;
	tick(0);
	CHECK(sent_count == 0, "timer: no RA without IPv6");

	ctx_init();
	tick(0);
	CHECK(sent_count == 1 && ra_wellformed() &&
	      IN6_ARE_ADDR_EQUAL(&sent_dst, &all_nodes) &&
	      IN6_ARE_ADDR_EQUAL(&sent_src, &c.ip6.our_tap_ll),
	      "timer: first RA at once, to all-nodes");
	last = 0;
	for (s = 1, n = 1; s < 1000; s++) {
		tick(s);
		if (!sent_count)
			continue;
		if (n <= 3 && s - last > first_gaps_max)
			first_gaps_max = s - last;
		if (s - last < min_gap)
			min_gap = s - last;
		if (s - last > max_gap)
			max_gap = s - last;
		last = s;
		n++;
	}
	CHECK(n >= 1000 / 30 && n <= 1000 / 10 + 1, "timer: RA count sane");
	CHECK(min_gap >= 10 && max_gap <= 30, "timer: 10 to 30 s apart");
	CHECK(first_gaps_max <= 16, "timer: first intervals at most 16 s");

	c.ip6.addr_ll_seen = a6("fe80::99");
	tick(1001);
	CHECK(sent_count == 1, "timer: new guest address, RA at once");
}

static uint32_t rnd_state = 0x9e3779b9;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void test_fuzz(void)
{
	size_t i, j, bad = 0, replies = 0;
	uint8_t m[128];

	ctx_init();
	for (i = 0; i < 200000; i++) {
		size_t len = 8 + rnd() % 120;

		if (i % 2) {
			ns_build("2001:db8:5::1");
		} else {
			rs_build();
		}
		memcpy(m, msg, sizeof(m));
		for (j = mlen; j + 8 <= len; j += 8) {
			m[j] = (uint8_t)(rnd() % 40);
			m[j + 1] = (uint8_t)(rnd() % 16 ? 1 + rnd() % 2 : 0);
		}
		for (j = 0; j < 1 + rnd() % 3; j++)
			m[rnd() % len] = (uint8_t)rnd();

		run(&guest_ll, m, len);
		if (sent_count) {
			replies++;
			if ((sent[0] == 134 && !ra_wellformed()) ||
			    (sent[0] != 134 && sent[0] != 136))
				bad++;
		}
	}
	printf("fuzz: %zu replies out of %zu\n", replies, i);
	CHECK(replies > 0, "fuzz: some mutated messages still answered");
	CHECK(!bad, "fuzz: every reply well-formed");
}

int main(void)
{
	test_ns();
	test_ra_content();
	test_ra_limits();
	test_timer();
	test_fuzz();

	return UNIT_RESULT();
}
