// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arp_test.c - Unit tests for the ARP responder (arp.c)
 *
 * Requests are built by hand and handed to arp() through a pool whose
 * packet ends at the end of a static buffer; replies are captured by a stub
 * of tap_eth_send().
 */

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "arp.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"

#include "unit.h"

static struct ctx c;

static uint8_t sent[2048];
static size_t sent_len;
static int sent_count;
static uint8_t sent_mac[6];
static uint16_t sent_type;

void tap_eth_send(const struct ctx *ctx, const unsigned char *dst_mac,
		  uint16_t ethertype, const void *payload, size_t len)
{
	(void)ctx;
	sent_count++;
	memcpy(sent_mac, dst_mac, 6);
	sent_type = ethertype;
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

void tap_udp6_send(const struct ctx *ctx, const struct in6_addr *src,
		   uint16_t sport, const struct in6_addr *dst, uint16_t dport,
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

static const unsigned char our_mac[6] = { 0x9a, 0x55, 0x9a, 0x55, 0x9a, 0x55 };
static const unsigned char guest_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

static uint8_t msg[64];
static char rxbuf[256];

static int run(size_t len)
{
	struct iovec iov[1];
	struct pool p = { .buf = rxbuf, .buf_size = sizeof(rxbuf),
			  .pkt = iov, .size = 1, .count = 0 };
	char *start = rxbuf + sizeof(rxbuf) - len;

	memmove(start, msg, len);
	packet_add(&p, len, start);
	sent_count = 0;
	return arp(&c, &p);
}

/**
 * req() - Build an ARP request
 * @spa:	sender address
 * @tpa:	target address
 */
static void req(const char *spa, const char *tpa)
{
	memset(msg, 0, sizeof(msg));
	msg[1] = 1;			/* Ethernet */
	msg[2] = 0x08;			/* IPv4 */
	msg[4] = 6;
	msg[5] = 4;
	msg[7] = 1;			/* request */
	memcpy(msg + 8, guest_mac, 6);
	inet_pton(AF_INET, spa, msg + 14);
	inet_pton(AF_INET, tpa, msg + 24);
}

static int addr_at(const uint8_t *p, const char *a)
{
	struct in_addr x;

	inet_pton(AF_INET, a, &x);
	return !memcmp(p, &x, 4);
}

int main(void)
{
	memset(&c, 0, sizeof(c));
	memcpy(c.our_tap_mac, our_mac, 6);
	c.ifi4 = 1;
	inet_pton(AF_INET, "192.0.2.10", &c.ip4.addr);
	c.ip4.prefix_len = 24;
	inet_pton(AF_INET, "192.0.2.1", &c.ip4.gw);

	req("192.0.2.10", "192.0.2.1");
	CHECK(run(28) == 1 && sent_count == 1, "request for gateway: reply");
	CHECK(sent_len == 28 && sent_type == 0x0806, "reply: ARP, 28 bytes");
	CHECK(!memcmp(sent_mac, guest_mac, 6), "reply: to requester's MAC");
	CHECK(!memcmp(sent, "\0\1\x08\0\6\4\0\2", 8),
	      "reply: Ethernet/IPv4, opcode 2");
	CHECK(!memcmp(sent + 8, our_mac, 6), "reply: sender MAC is ours");
	CHECK(addr_at(sent + 14, "192.0.2.1"), "reply: sender IP is target");
	CHECK(!memcmp(sent + 18, guest_mac, 6), "reply: target MAC");
	CHECK(addr_at(sent + 24, "192.0.2.10"), "reply: target IP");

	req("192.0.2.10", "198.51.100.7");
	CHECK(run(46) == 1 && sent_count == 1 &&
	      addr_at(sent + 14, "198.51.100.7"),
	      "request for remote address, padded frame: reply");

	req("192.0.2.10", "192.0.2.99");
	CHECK(run(28) == 1 && sent_count == 1, "request for neighbour: reply");

	req("192.0.2.1", "192.0.2.10");
	CHECK(run(28) == 0 && sent_count == 0,
	      "request for guest's own address: ignored");

	req("192.0.2.10", "192.0.2.10");
	CHECK(run(28) == 0 && sent_count == 0, "gratuitous ARP: ignored");

	req("0.0.0.0", "192.0.2.10");
	CHECK(run(28) == 0 && sent_count == 0, "probe for guest address");
	req("0.0.0.0", "192.0.2.77");
	CHECK(run(28) == 0 && sent_count == 0, "probe for other address");

	req("192.0.2.10", "0.0.0.0");
	CHECK(run(28) == 0 && sent_count == 0, "target 0.0.0.0 ignored");
	req("192.0.2.10", "224.0.0.1");
	CHECK(run(28) == 0 && sent_count == 0, "multicast target ignored");
	req("192.0.2.10", "255.255.255.255");
	CHECK(run(28) == 0 && sent_count == 0, "broadcast target ignored");

	req("192.0.2.10", "192.0.2.1");
	CHECK(run(27) == 0 && sent_count == 0, "27-byte packet ignored");
	CHECK(run(0) == 0 && sent_count == 0, "empty packet ignored");

	req("192.0.2.10", "192.0.2.1");
	msg[7] = 2;
	CHECK(run(28) == 0 && sent_count == 0, "ARP reply ignored");

	req("192.0.2.10", "192.0.2.1");
	msg[4] = 16;
	CHECK(run(28) == 0 && sent_count == 0, "hardware length 16 ignored");

	req("192.0.2.10", "192.0.2.1");
	msg[2] = 0x86;
	msg[3] = 0xdd;
	CHECK(run(28) == 0 && sent_count == 0, "protocol IPv6 ignored");

	req("192.0.2.10", "192.0.2.1");
	msg[1] = 6;
	CHECK(run(28) == 0 && sent_count == 0, "hardware type 6 ignored");

	return UNIT_RESULT();
}
