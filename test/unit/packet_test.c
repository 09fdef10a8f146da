// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * packet_test.c - Unit tests for packet.c: the bounds checks of the packet
 * pool.  packet_add() must only store packets that lie entirely inside the
 * pool's buffer, and packet_get() must only hand out ranges that lie
 * entirely inside a stored packet, whatever the offsets and lengths (guest
 * frames carry hostile lengths, and sums of them can wrap around).
 *
 * The pool's buffer is the middle of a larger array, so that packets that
 * start before it or run past its end are still valid pointers to compare.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "packet.h"
#include "unit.h"

#define BUF_OFF		64
#define BUF_SIZE	128

static char mem[BUF_OFF + BUF_SIZE + 64];
static char *const buf = mem + BUF_OFF;

/**
 * test_add() - packet_add() accepts packets inside the buffer only
 */
static void test_add(void)
{
	PACKET_POOL_DECL(p, 4, buf, BUF_SIZE);
	size_t i;

	CHECK(p.count == 0 && p.size == 4 && p.buf == buf &&
	      p.buf_size == BUF_SIZE, "pool: declared empty");

	CHECK(!packet_add(&p, 10, buf) && p.count == 1 &&
	      p.pkt[0].iov_base == buf && p.pkt[0].iov_len == 10,
	      "add: packet at the start of the buffer");
	CHECK(!packet_add(&p, 16, buf + BUF_SIZE - 16) && p.count == 2,
	      "add: packet ending at the end of the buffer");
	CHECK(!packet_add(&p, BUF_SIZE, buf) && p.count == 3,
	      "add: packet as large as the buffer");
	CHECK(!packet_add(&p, 0, buf + BUF_SIZE) && p.count == 4,
	      "add: empty packet at the end of the buffer");

	pool_flush(&p);
	CHECK(p.count == 0 && !pool_full(&p), "flush: pool empty again");

	CHECK(packet_add(&p, 16, buf + BUF_SIZE - 15) == -1 && p.count == 0,
	      "add: packet one byte past the end refused");
	CHECK(packet_add(&p, BUF_SIZE + 1, buf) == -1 && p.count == 0,
	      "add: packet larger than the buffer refused");
	CHECK(packet_add(&p, 10, buf - 1) == -1 && p.count == 0,
	      "add: packet starting before the buffer refused");
	CHECK(packet_add(&p, 1, buf + BUF_SIZE) == -1 && p.count == 0,
	      "add: packet starting at the end refused");
	CHECK(packet_add(&p, 1, mem + sizeof(mem) - 1) == -1 && p.count == 0,
	      "add: packet after the buffer refused");
	CHECK(packet_add(&p, SIZE_MAX, buf) == -1 && p.count == 0,
	      "add: length SIZE_MAX refused");
	CHECK(packet_add(&p, SIZE_MAX - 8, buf + 16) == -1 && p.count == 0,
	      "add: offset plus length wrapping around refused");

	for (i = 0; i < 4; i++)
		packet_add(&p, 1, buf + i);
	CHECK(p.count == 4 && pool_full(&p), "full: four descriptors used");
	CHECK(packet_add(&p, 1, buf + 10) == -1 && p.count == 4,
	      "full: fifth packet refused");
	CHECK(p.pkt[3].iov_base == buf + 3,
	      "full: stored descriptors untouched");
}

/**
 * test_get() - packet_get() hands out ranges inside a packet only
 */
static void test_get(void)
{
	PACKET_POOL_DECL(p, 2, buf, BUF_SIZE);
	size_t left = 12345;
	char *r;

	packet_add(&p, 40, buf + 8);		/* packet 0: buf[8..47] */
	packet_add(&p, 0, buf + 100);		/* packet 1: empty */

	r = packet_get(&p, 0, 0, 40, &left);
	CHECK(r == buf + 8 && left == 0, "get: whole packet");
	r = packet_get(&p, 0, 10, 20, &left);
	CHECK(r == buf + 18 && left == 10, "get: range inside, bytes left");
	CHECK(packet_get(&p, 0, 10, 20, NULL) == buf + 18,
	      "get: NULL for left accepted");
	r = packet_get(&p, 0, 40, 0, &left);
	CHECK(r == buf + 48 && left == 0, "get: empty range at the end");
	CHECK(packet_get(&p, 1, 0, 0, &left) == buf + 100 && left == 0,
	      "get: empty range of an empty packet");

	left = 12345;
	CHECK(!packet_get(&p, 0, 30, 11, &left) && left == 12345,
	      "get: range one byte past the end refused, left untouched");
	CHECK(!packet_get(&p, 0, 41, 0, NULL),
	      "get: offset past the end refused");
	CHECK(!packet_get(&p, 0, 0, 41, NULL), "get: length past the end refused");
	CHECK(!packet_get(&p, 1, 0, 1, NULL), "get: byte of an empty packet refused");
	CHECK(!packet_get(&p, 0, 1, SIZE_MAX, NULL),
	      "get: offset plus length wrapping around refused");
	CHECK(!packet_get(&p, 0, SIZE_MAX, 2, NULL),
	      "get: offset SIZE_MAX refused");
	CHECK(!packet_get(&p, 0, SIZE_MAX - 10, 20, NULL),
	      "get: large offset, sum wrapping around refused");
	CHECK(!packet_get(&p, 2, 0, 0, NULL), "get: index past count refused");
	CHECK(!packet_get(&p, SIZE_MAX, 0, 0, NULL),
	      "get: index SIZE_MAX refused");

	CHECK(packet_len(&p, 0) == 40 && packet_len(&p, 1) == 0,
	      "len: stored lengths");
	CHECK(packet_len(&p, 2) == 0 && packet_len(&p, SIZE_MAX) == 0,
	      "len: index past count is 0");

	pool_flush(&p);
	CHECK(!packet_get(&p, 0, 0, 0, NULL) && packet_len(&p, 0) == 0,
	      "get: nothing after flush");
}

/**
 * main() - Run all tests
 *
 * Return: 0 if every check passed, 1 otherwise
 */
int main(void)
{
	memset(mem, 0, sizeof(mem));
	test_add();
	test_get();

	return UNIT_RESULT();
}
