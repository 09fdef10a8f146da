// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arp.c - ARP responder (RFC 826)
 *
 * Owns: answering the guest's ARP requests.
 *
 * Theory of operation: every IPv4 address the guest can reach, gateway or
 * not, is behind us, so we answer a request for any target address with our
 * own MAC address, c->our_tap_mac.  The exceptions are requests the guest
 * must not get an answer to:
 *
 * - a target that is the guest's own address (c->ip4.addr): answering would
 *   make the guest think someone else holds it;
 * - gratuitous ARP (sender address == target address), an announcement;
 * - probes (sender address 0.0.0.0, RFC 5227): the guest is checking an
 *   address it wants to use, and an answer would mean a conflict;
 * - unspecified, broadcast or multicast targets, which no host holds.
 *
 * Replies, ARP requests from us and anything that isn't Ethernet/IPv4 are
 * left alone.  The request is read through packet_get() only.
 */

#include <arpa/inet.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "arp.h"
#include "log.h"
#include "packet.h"
#include "passt.h"
#include "tap.h"

#define ARP_ETHERTYPE	0x0806	/* ETH_P_ARP */
#define ARP_PTYPE_IP	0x0800	/* ETH_P_IP */

/**
 * struct arp_msg - ARP packet for Ethernet and IPv4 (RFC 826)
 * @htype:	hardware type, ARPHRD_ETHER
 * @ptype:	protocol type, ETH_P_IP
 * @hlen:	hardware address length, 6
 * @plen:	protocol address length, 4
 * @op:		ARPOP_REQUEST or ARPOP_REPLY
 * @sha:	sender hardware address
 * @spa:	sender protocol address
 * @tha:	target hardware address
 * @tpa:	target protocol address
 */
struct arp_msg {
	uint16_t htype;
	uint16_t ptype;
	uint8_t hlen;
	uint8_t plen;
	uint16_t op;
	uint8_t sha[ETH_ADDR_LEN];
	uint8_t spa[4];
	uint8_t tha[ETH_ADDR_LEN];
	uint8_t tpa[4];
} __attribute__((packed));

/**
 * arp_target_ignored() - Tell if a request must go unanswered
 * @c:		execution context
 * @req:	the request
 *
 * Return: a reason string if the request is to be ignored, NULL otherwise
 */
static const char *arp_target_ignored(const struct ctx *c,
				      const struct arp_msg *req)
{
	struct in_addr spa, tpa;

	memcpy(&spa.s_addr, req->spa, 4);
	memcpy(&tpa.s_addr, req->tpa, 4);

	if (!spa.s_addr)
		return "probe";
	if (spa.s_addr == tpa.s_addr)
		return "gratuitous";
	if (tpa.s_addr == c->ip4.addr.s_addr)
		return "guest's own address";
	if (!tpa.s_addr || tpa.s_addr == INADDR_BROADCAST ||
	    IN_MULTICAST(ntohl(tpa.s_addr)))
		return "invalid target";

	return NULL;
}

/**
 * arp() - Answer an ARP request from the guest
 * @c:		execution context
 * @p:		pool with one packet, the ARP message after the Ethernet header
 *
 * Return: 1 if a reply was sent, 0 if the message was ignored
 */
int arp(const struct ctx *c, const struct pool *p)
{
	const struct arp_msg *in = packet_get(p, 0, 0, sizeof(*in), NULL);
	struct arp_msg req, rep;
	const char *why;

	if (!in) {
		debug("ARP: message of %zu bytes, too short", packet_len(p, 0));
		return 0;
	}
	memcpy(&req, in, sizeof(req));

	if (ntohs(req.htype) != ARPHRD_ETHER ||
	    ntohs(req.ptype) != ARP_PTYPE_IP ||
	    req.hlen != ETH_ADDR_LEN || req.plen != 4) {
		debug("ARP: not Ethernet/IPv4, ignored");
		return 0;
	}
	if (ntohs(req.op) != ARPOP_REQUEST)
		return 0;

	if ((why = arp_target_ignored(c, &req))) {
		trace("ARP: request ignored: %s", why);
		return 0;
	}

	rep.htype = htons(ARPHRD_ETHER);
	rep.ptype = htons(ARP_PTYPE_IP);
	rep.hlen = ETH_ADDR_LEN;
	rep.plen = 4;
	rep.op = htons(ARPOP_REPLY);
	memcpy(rep.sha, c->our_tap_mac, ETH_ADDR_LEN);
	memcpy(rep.spa, req.tpa, 4);
	memcpy(rep.tha, req.sha, ETH_ADDR_LEN);
	memcpy(rep.tpa, req.spa, 4);

	tap_eth_send(c, req.sha, ARP_ETHERTYPE, &rep, sizeof(rep));
	return 1;
}
