// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checksum.c - Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers
 *
 * Sums are accumulated in 32 bits over 16-bit big-endian words and folded
 * once at the end.  Callers compute a transport checksum as
 * csum(l4, len, csum_pseudo4/6(...)) with the checksum field zeroed.
 */

#include <arpa/inet.h>
#include <string.h>

#include "checksum.h"

/**
 * csum_add() - Add a buffer to a partial sum
 * @sum:	partial sum so far (unfolded)
 * @buf:	data, any alignment
 * @len:	length in bytes; an odd trailing byte is padded with zero
 *
 * Return: new partial sum, unfolded
 */
uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t s = sum;

	/* One's complement sums don't care about byte order as long as it's
	 * consistent (RFC 1071, 2.(B)): add native 32-bit words into 64 bits,
	 * then fold and swap back to big-endian order once.
	 */
	if (len >= 8) {
		uint64_t w = 0;

		for (; len >= 4; len -= 4, p += 4) {
			uint32_t v;

			memcpy(&v, p, sizeof(v));
			w += v;
		}
		while (w >> 16)
			w = (w & 0xffff) + (w >> 16);
		s += ntohs((uint16_t)w);
	}

	for (; len > 1; len -= 2, p += 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		s += (uint32_t)(p[0] << 8);

	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

/**
 * csum_fold() - Fold a 32-bit partial sum and complement it
 * @sum:	partial sum
 *
 * Return: checksum in network byte order, ready to store
 */
uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/**
 * csum_partial_field() - Checksum field for a checksum the kernel completes
 * @sum:	partial sum of the pseudo-header
 *
 * A frame handed to the kernel as CHECKSUM_PARTIAL (virtio-net header,
 * VIRTIO_NET_HDR_F_NEEDS_CSUM) carries the folded pseudo-header sum, not
 * complemented: whoever completes it adds the rest of the segment, field
 * included, and complements the result.
 *
 * Return: field value in network byte order
 */
uint16_t csum_partial_field(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)sum);
}

/**
 * csum() - Checksum of a buffer with an initial partial sum
 * @buf:	data
 * @len:	length in bytes
 * @init:	partial sum to start from (pseudo-header), or 0
 *
 * Return: checksum in network byte order
 */
uint16_t csum(const void *buf, size_t len, uint32_t init)
{
	return csum_fold(csum_add(init, buf, len));
}

/**
 * csum_pseudo4() - Partial sum of the IPv4 pseudo-header
 * @src:	source address
 * @dst:	destination address
 * @proto:	IP protocol number
 * @l4len:	length of the transport header and payload
 *
 * Return: partial sum, unfolded
 */
uint32_t csum_pseudo4(struct in_addr src, struct in_addr dst, uint8_t proto,
		      size_t l4len)
{
	uint32_t sum = 0;

	sum = csum_add(sum, &src.s_addr, 4);
	sum = csum_add(sum, &dst.s_addr, 4);
	return sum + proto + (uint32_t)l4len;
}

/**
 * csum_pseudo6() - Partial sum of the IPv6 pseudo-header (RFC 8200, 8.1)
 * @src:	source address
 * @dst:	destination address
 * @proto:	upper-layer protocol number
 * @l4len:	upper-layer packet length
 *
 * Return: partial sum, unfolded
 */
uint32_t csum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
		      uint8_t proto, size_t l4len)
{
	uint32_t sum = 0;

	sum = csum_add(sum, src, 16);
	sum = csum_add(sum, dst, 16);
	sum += (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);
	return sum + proto;
}
