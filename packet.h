/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * packet.h - Pools of frame descriptors with bounds-checked access
 */

#ifndef PACKET_H
#define PACKET_H

#include <stddef.h>
#include <sys/uio.h>

/**
 * struct pool - A set of packets stored in one buffer
 * @buf:	start of the buffer that every packet must lie in
 * @buf_size:	size of @buf
 * @pkt:	descriptors: iov_base points into @buf, iov_len is the length
 * @size:	number of descriptors available in @pkt
 * @count:	number of descriptors in use
 */
struct pool {
	const char *buf;
	size_t buf_size;
	struct iovec *pkt;
	size_t size;
	size_t count;
};

/**
 * PACKET_POOL_DECL() - Declare a pool and its descriptor storage
 * @name:	name of the struct pool variable
 * @n:		number of descriptors
 * @b:		buffer packets are stored in
 * @bs:		size of @b
 *
 * Meant for function scope; "static PACKET_POOL_DECL" makes only the
 * descriptor array static, the pool header is rebuilt on each call.
 */
#define PACKET_POOL_DECL(name, n, b, bs)				\
	struct iovec name##_pkt[n];					\
	struct pool name = { .buf = (const char *)(b), .buf_size = (bs), \
			     .pkt = name##_pkt, .size = (n), .count = 0 }

int packet_add(struct pool *p, size_t len, const char *start);
void *packet_get(const struct pool *p, size_t idx, size_t offset, size_t len,
		 size_t *left);
size_t packet_len(const struct pool *p, size_t idx);
void pool_flush(struct pool *p);
int pool_full(const struct pool *p);

#endif /* PACKET_H */
