// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * packet.c - Pools of packet descriptors with bounds-checked access
 *
 * A pool describes packets stored in one buffer (the tap receive buffer, or
 * one frame for the address services).  Packets are added only if they lie
 * entirely inside that buffer, and handlers read them only through
 * packet_get(), which hands out a pointer just when the requested range lies
 * inside the packet.  Guest frames are hostile input: this is the single
 * place where their lengths meet our memory.
 */

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "packet.h"

/**
 * packet_add() - Append a packet descriptor to a pool
 * @p:		pool
 * @len:	length of the packet
 * @start:	start of the packet, inside the pool's buffer
 *
 * Return: 0 on success, -1 if the pool is full or the packet is outside
 *	   the buffer
 */
int packet_add(struct pool *p, size_t len, const char *start)
{
	if (p->count >= p->size) {
		trace("packet pool full, dropping packet");
		return -1;
	}
	if (start < p->buf || len > p->buf_size ||
	    (size_t)(start - p->buf) > p->buf_size - len) {
		debug("packet of %zu bytes outside its pool's buffer", len);
		return -1;
	}

	p->pkt[p->count].iov_base = (void *)(uintptr_t)start;
	p->pkt[p->count].iov_len = len;
	p->count++;
	return 0;
}

/**
 * packet_get() - Get a pointer to a range of a packet, if it is all there
 * @p:		pool
 * @idx:	index of the packet in the pool
 * @offset:	offset of the range from the start of the packet
 * @len:	length of the range, may be 0
 * @left:	if not NULL, bytes of the packet after the range, on success
 *
 * Return: pointer to the range, NULL if @idx or the range is out of bounds
 */
void *packet_get(const struct pool *p, size_t idx, size_t offset, size_t len,
		 size_t *left)
{
	size_t plen;

	if (idx >= p->count)
		return NULL;
	plen = p->pkt[idx].iov_len;
	if (offset > plen || len > plen - offset)
		return NULL;
	if (left)
		*left = plen - offset - len;
	return (char *)p->pkt[idx].iov_base + offset;
}

/**
 * packet_len() - Length of a packet in a pool
 * @p:		pool
 * @idx:	index of the packet
 *
 * Return: length in bytes, 0 if @idx is out of range
 */
size_t packet_len(const struct pool *p, size_t idx)
{
	if (idx >= p->count)
		return 0;
	return p->pkt[idx].iov_len;
}

/**
 * pool_flush() - Forget every packet of a pool
 * @p:		pool
 */
void pool_flush(struct pool *p)
{
	p->count = 0;
}

/**
 * pool_full() - Tell if a pool has no free descriptor left
 * @p:		pool
 *
 * Return: non-zero if full
 */
int pool_full(const struct pool *p)
{
	return p->count >= p->size;
}
