/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * tap.h - Guest side: frames from and to the guest, both back-ends
 */

#ifndef TAP_H
#define TAP_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/uio.h>
#include <time.h>

#include "passt.h"

/* Largest frame we accept or build: IPv4/IPv6 64 KiB plus Ethernet header */
#define ETH_HDR_LEN		14
#define TAP_FRAME_MAX		(65535 + ETH_HDR_LEN)
/* Most segments of one flow handed to a protocol handler at once */
#define TAP_SEQ_BATCH		256
/* Frames up to this size don't make pasta read its tap device again */
#define TAP_SHORT_FRAME		128
#define TAP_TXQUEUELEN		16384	/* frames pasta's tap device queues */

/* Ethernet and IP headers written by tap_l2l3_hdr() */
#define TAP_L2L3_LEN(af)	(ETH_HDR_LEN + ((af) == AF_INET ? 20 : 40))

void tap_sock_init(struct ctx *c);
void tap_listen_handler(struct ctx *c, uint32_t events);
void tap_handler_passt(struct ctx *c, uint32_t events,
		       const struct timespec *now);
void tap_handler_pasta(struct ctx *c, uint32_t events,
		       const struct timespec *now);

size_t tap_l2l3_hdr(const struct ctx *c, char *buf, int af, const void *src,
		    const void *dst, uint8_t proto, size_t l4len);
void tap_send_frames(const struct ctx *c, const struct iovec *frames,
		     size_t n);
void tap_send_frames_offload(const struct ctx *c, const struct iovec *frames,
			     const uint16_t *gso, size_t n);
bool tap_offload(const struct ctx *c);
void tap_send_frame(const struct ctx *c, const void *frame, size_t len);
void tap_eth_send(const struct ctx *c, const unsigned char *dst_mac,
		  uint16_t ethertype, const void *payload, size_t len);
void tap_udp4_send(const struct ctx *c, struct in_addr src, uint16_t sport,
		   struct in_addr dst, uint16_t dport,
		   const void *payload, size_t len);
void tap_udp6_send(const struct ctx *c, const struct in6_addr *src,
		   uint16_t sport, const struct in6_addr *dst, uint16_t dport,
		   const void *payload, size_t len);
void tap_icmp6_send(const struct ctx *c, const struct in6_addr *src,
		    const struct in6_addr *dst, const void *msg, size_t len);

#endif /* TAP_H */
