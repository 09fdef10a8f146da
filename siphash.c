// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * siphash.c - SipHash-2-4 (Aumasson, Bernstein, 2012)
 *
 * A keyed hash: with a secret key drawn at start-up, neither the guest nor a
 * remote peer can predict where a flow lands in a hash table (so it can't
 * build collisions) nor guess TCP initial sequence numbers (RFC 6528).
 */

#include <string.h>

#include "siphash.h"

/**
 * siphash_rotl() - Rotate a 64-bit word left
 * @x:		word
 * @b:		bits, 1..63
 *
 * Return: rotated word
 */
static inline uint64_t siphash_rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

/**
 * siphash_round() - One SipRound on the state
 * @v:		state, four words
 */
static inline void siphash_round(uint64_t v[4])
{
	v[0] += v[1]; v[1] = siphash_rotl(v[1], 13); v[1] ^= v[0];
	v[0] = siphash_rotl(v[0], 32);
	v[2] += v[3]; v[3] = siphash_rotl(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = siphash_rotl(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = siphash_rotl(v[1], 17); v[1] ^= v[2];
	v[2] = siphash_rotl(v[2], 32);
}

/**
 * siphash_le64() - Load a little-endian 64-bit word, any alignment
 * @p:		eight bytes
 *
 * Return: the word
 */
static inline uint64_t siphash_le64(const uint8_t *p)
{
	uint64_t w = 0;
	int i;

	for (i = 7; i >= 0; i--)
		w = (w << 8) | p[i];
	return w;
}

/**
 * siphash() - SipHash-2-4 of a buffer
 * @key:	128-bit secret key
 * @data:	input
 * @len:	input length in bytes
 *
 * Return: 64-bit hash
 */
uint64_t siphash(const uint8_t key[16], const void *data, size_t len)
{
	uint64_t k0 = siphash_le64(key), k1 = siphash_le64(key + 8);
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL,
	};
	const uint8_t *p = data;
	uint8_t last[8] = { 0 };
	uint64_t m;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		m = siphash_le64(p + i);
		v[3] ^= m;
		siphash_round(v);
		siphash_round(v);
		v[0] ^= m;
	}

	memcpy(last, p + i, len - i);
	last[7] = (uint8_t)len;
	m = siphash_le64(last);
	v[3] ^= m;
	siphash_round(v);
	siphash_round(v);
	v[0] ^= m;

	v[2] ^= 0xff;
	for (i = 0; i < 4; i++)
		siphash_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
