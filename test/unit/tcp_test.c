// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp_test.c - Unit tests for the parts of tcp.c that need no connection
 * with a guest: the hash index (insertion, lookup, backward-shift deletion
 * under random operations), a full connection table refusing a new SYN with
 * an RST, sequence arithmetic, parsing of hostile segments and options, and
 * the delayed ACK queue (an ACK carried by data makes its entry stale).
 *
 * tcp.c is compiled in here, so its static functions can be called; the
 * library's tcp.o is then never pulled in.
 */

#include "../../tcp.c"

#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#define KEYS	4096

/**
 * conn_key_set() - Give a connection slot a four-tuple derived from a number
 * @conn:	connection
 * @n:		number
 */
static void conn_key_set(struct tcp_conn *conn, uint32_t n)
{
	conn->af = (n & 1) ? AF_INET6 : AF_INET;
	conn->gport = (uint16_t)(n * 7919);
	conn->rport = (uint16_t)(n >> 3);
	memset(&conn->gaddr, 0, sizeof(conn->gaddr));
	memset(&conn->raddr, 0, sizeof(conn->raddr));
	memcpy(&conn->gaddr, &n, sizeof(n));
	conn->raddr.s6_addr[3] = (uint8_t)(n >> 24);
}

/**
 * test_hash() - Random inserts and removals keep every live key findable
 */
static void test_hash(void)
{
	static struct tcp_conn *live[KEYS];
	static uint32_t live_n[KEYS];
	int n_live = 0, i, round, bad = 0, ghost = 0;

	memset(tcp_hash, 0xff, sizeof(tcp_hash));
	for (tcp_free_count = 0; tcp_free_count < TCP_CONN_MAX;
	     tcp_free_count++)
		tcp_free[tcp_free_count] = TCP_CONN_MAX - 1 - tcp_free_count;
	memset(tcp_secret, 0x5a, sizeof(tcp_secret));

	srand(1);
	for (round = 0; round < 200000; round++) {
		if (n_live < KEYS && (n_live == 0 || rand() % 3)) {
			struct tcp_conn *conn = tcp_conn_alloc();
			uint32_t n = (uint32_t)round;

			conn_key_set(conn, n);
			tcp_hash_insert(conn);
			live[n_live] = conn;
			live_n[n_live++] = n;
		} else {
			int k = rand() % n_live;
			struct tcp_key key;

			tcp_key_of(live[k], &key);
			tcp_conn_close(NULL, live[k], false);
			if (tcp_lookup(&key))
				ghost++;
			live[k] = live[--n_live];
			live_n[k] = live_n[n_live];
		}
	}

	for (i = 0; i < n_live; i++) {
		struct tcp_conn probe = { 0 };
		struct tcp_key key;

		conn_key_set(&probe, live_n[i]);
		tcp_key_of(&probe, &key);
		if (tcp_lookup(&key) != live[i])
			bad++;
	}
	CHECK(!bad, "tcp hash: every live connection found after 200k ops");
	CHECK(!ghost, "tcp hash: removed connections are not found");
	CHECK(tcp_free_count + (uint32_t)n_live == TCP_CONN_MAX,
	      "tcp hash: no slot leaked");
}

/**
 * test_seq() - Sequence comparisons across the 2^32 wrap
 */
static void test_seq(void)
{
	CHECK(tcp_seq_lt(1, 2), "seq: 1 < 2");
	CHECK(!tcp_seq_lt(2, 2) && tcp_seq_le(2, 2), "seq: 2 == 2");
	CHECK(tcp_seq_lt(0xfffffff0U, 0x10), "seq: before the wrap < after");
	CHECK(!tcp_seq_lt(0x10, 0xfffffff0U), "seq: after the wrap > before");
	CHECK(tcp_seq_le(0xffffffffU, 0), "seq: 2^32-1 <= 0");
}

/**
 * seg_pool() - Make a one-segment pool from bytes at the end of a buffer,
 *		so that any read past them is out of the pool
 * @p:		pool to fill
 * @buf:	backing buffer
 * @size:	buffer size
 * @seg:	segment bytes
 * @len:	their length
 */
static void seg_pool(struct pool *p, char *buf, size_t size, const void *seg,
		     size_t len)
{
	char *start = buf + size - len;

	memcpy(start, seg, len);
	p->buf = start;
	p->buf_size = len;
	p->count = 0;
	packet_add(p, len, start);
}

/**
 * test_parse() - Header and option parsing of hostile segments
 */
static void test_parse(void)
{
	static char buf[256];
	struct iovec pkt[1];
	struct pool p = { .pkt = pkt, .size = 1 };
	uint8_t seg[64] = { 0 };
	struct tcp_seg s;
	const uint8_t *o;

	/* Valid: 20-byte header, MSS and window scale options, 4 bytes data */
	seg[12] = 8 << 4;		/* data offset: 32 bytes */
	seg[13] = TH_SYN;
	seg[20] = TCPOPT_MAXSEG; seg[21] = 4; seg[22] = 0x05; seg[23] = 0xb4;
	seg[24] = TCPOPT_NOP;
	seg[25] = TCPOPT_WINDOW; seg[26] = 3; seg[27] = 7;
	seg[28] = TCPOPT_EOL;
	seg_pool(&p, buf, sizeof(buf), seg, 36);
	CHECK(!tcp_seg_parse(&p, 0, &s) && s.len == 4 && s.optlen == 12,
	      "parse: valid SYN with options and data");
	o = tcp_opt_get(&s, TCPOPT_MAXSEG, TCPOLEN_MAXSEG);
	CHECK(o && (o[0] << 8 | o[1]) == 1460, "parse: MSS option");
	o = tcp_opt_get(&s, TCPOPT_WINDOW, TCPOLEN_WINDOW);
	CHECK(o && o[0] == 7, "parse: window scale option");

	seg_pool(&p, buf, sizeof(buf), seg, 19);
	CHECK(tcp_seg_parse(&p, 0, &s), "parse: truncated header rejected");

	seg[12] = 15 << 4;		/* 60 bytes of header in 36 */
	seg_pool(&p, buf, sizeof(buf), seg, 36);
	CHECK(tcp_seg_parse(&p, 0, &s), "parse: data offset past end rejected");

	seg[12] = 4 << 4;		/* 16 bytes: less than a header */
	seg_pool(&p, buf, sizeof(buf), seg, 36);
	CHECK(tcp_seg_parse(&p, 0, &s), "parse: data offset below 20 rejected");

	/* Option length running past the options */
	seg[12] = 6 << 4;
	seg[20] = TCPOPT_WINDOW; seg[21] = 40;
	seg_pool(&p, buf, sizeof(buf), seg, 24);
	CHECK(!tcp_seg_parse(&p, 0, &s) &&
	      !tcp_opt_get(&s, TCPOPT_WINDOW, TCPOLEN_WINDOW),
	      "options: length past the end ignored");

	/* Zero option length must not loop */
	seg[20] = 30; seg[21] = 0;
	seg_pool(&p, buf, sizeof(buf), seg, 24);
	CHECK(!tcp_seg_parse(&p, 0, &s) &&
	      !tcp_opt_get(&s, TCPOPT_MAXSEG, TCPOLEN_MAXSEG),
	      "options: zero length stops the walk");

	/* Wrong length for a known kind */
	seg[20] = TCPOPT_MAXSEG; seg[21] = 3; seg[22] = 1; seg[23] = 0;
	seg_pool(&p, buf, sizeof(buf), seg, 24);
	CHECK(!tcp_seg_parse(&p, 0, &s) &&
	      !tcp_opt_get(&s, TCPOPT_MAXSEG, TCPOLEN_MAXSEG),
	      "options: MSS with a wrong length ignored");

	/* Kind as the very last byte, no length byte */
	seg[20] = TCPOPT_NOP; seg[21] = TCPOPT_NOP; seg[22] = TCPOPT_NOP;
	seg[23] = TCPOPT_MAXSEG;
	seg_pool(&p, buf, sizeof(buf), seg, 24);
	CHECK(!tcp_seg_parse(&p, 0, &s) &&
	      !tcp_opt_get(&s, TCPOPT_MAXSEG, TCPOLEN_MAXSEG),
	      "options: kind without length at the end ignored");
}

/**
 * test_table_full() - With every slot taken, a SYN gets an RST, and every
 * connection in the table is still found (no socket is opened: the slots
 * are filled directly, as 128k sockets exceed the descriptor limit)
 */
static void test_table_full(void)
{
	static struct ctx c;
	static char buf[256];
	struct in_addr ga = { htonl(0xc0000201) }, ra = { htonl(0xc6336401) };
	struct timespec now = { 0 };
	struct iovec pkt[1];
	struct pool p = { .pkt = pkt, .size = 1 };
	uint8_t seg[20] = { 0 };
	uint32_t n, lost = 0;
	const uint8_t *th;

	memset(tcp_hash, 0xff, sizeof(tcp_hash));
	for (tcp_free_count = 0; tcp_free_count < TCP_CONN_MAX;
	     tcp_free_count++)
		tcp_free[tcp_free_count] = TCP_CONN_MAX - 1 - tcp_free_count;
	for (n = 0; n < TCP_CONN_MAX; n++) {
		struct tcp_conn *conn = tcp_conn_alloc();

		if (!conn)
			break;
		conn_key_set(conn, n);
		tcp_hash_insert(conn);
	}
	CHECK(n == TCP_CONN_MAX && !tcp_conn_alloc(),
	      "table: 128k connections fill it");

	c.fd_tap = -1;
	tcp_out_count = tcp_data_used = tcp_ctrl_used = 0;
	seg[0] = 0x9c; seg[1] = 0x40;	/* source port 40000 */
	seg[2] = 0x00; seg[3] = 0x50;	/* destination port 80 */
	seg[7] = 1;			/* sequence number 1 */
	seg[12] = 5 << 4;
	seg[13] = TH_SYN;
	seg[15] = 0xff;			/* window */
	seg_pool(&p, buf, sizeof(buf), seg, sizeof(seg));
	tcp_tap_handler(&c, AF_INET, &ga, &ra, &p, &now);

	th = tcp_out_count == 1 ? (const uint8_t *)tcp_out[0].iov_base +
				  ETH_HDR_LEN + 20 : NULL;
	CHECK(th && (th[13] & TH_RST) && th[2] == 0x9c && th[3] == 0x40,
	      "table full: the SYN is refused with an RST to its port");
	CHECK(th && th[8] == 0 && th[9] == 0 && th[10] == 0 && th[11] == 2,
	      "table full: the RST acknowledges the SYN");
	tcp_out_count = tcp_data_used = tcp_ctrl_used = 0;

	for (n = 0; n < TCP_CONN_MAX; n++) {
		struct tcp_conn probe = { 0 };
		struct tcp_key key;

		conn_key_set(&probe, n);
		tcp_key_of(&probe, &key);
		if (!tcp_lookup(&key))
			lost++;
	}
	CHECK(!lost && !tcp_free_count,
	      "table full: every connection still there, no slot taken");
}

/**
 * at_us() - A point in time, microseconds after the start of the tests
 * @us:		microseconds
 *
 * Return: timespec for the delayed ACK queue
 */
static struct timespec at_us(long us)
{
	struct timespec t = { .tv_sec = 1000 + us / 1000000,
			      .tv_nsec = us % 1000000 * 1000 };

	return t;
}

/**
 * test_conn_setup() - An established connection in slot 0 over a socket,
 *		       with a large estimated free buffer (no system call to
 *		       compute windows), no frames queued
 * @sock:	socket
 *
 * Return: the connection
 */
static struct tcp_conn *test_conn_setup(int sock)
{
	struct tcp_conn *conn = &tcp_conns[0];

	memset(conn, 0, sizeof(*conn));
	conn->sock = sock;
	conn->timer = -1;
	conn->af = AF_INET;
	conn->mss = 1460;
	conn->events = TCP_ESTABLISHED;
	conn->sock_full = 1 << 20;
	conn->wnd_from_tap = 65535;
	memset(tcp_hash, 0xff, sizeof(tcp_hash));
	tcp_free_count = 0;
	tcp_out_count = tcp_data_used = tcp_ctrl_used = 0;
	tcp_ack_waits_head = tcp_ack_waits_count = 0;
	return conn;
}

/**
 * test_ack_delay() - A request's ACK waits for the reply; a later request
 * doesn't inherit what is left of the earlier one's wait
 */
static void test_ack_delay(void)
{
	static struct ctx c;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct tcp_conn *conn;
	struct timespec t;
	long left;

	if (s < 0) {
		printf("SKIP tcp: delayed ACKs: no socket\n");
		return;
	}
	c.fd_tap = -1;
	conn = test_conn_setup(s);

	/* Request at 0: the ACK waits */
	conn->flags |= TCP_ACK_DUE;
	t = at_us(0);
	tcp_ack_delay(&c, conn, &t);
	t = at_us(500);
	left = tcp_ack_delayed(&c, &t);
	CHECK(!tcp_ctrl_used && left == 1 && (conn->flags & TCP_ACK_DUE),
	      "delayed ACK: waits for the reply");

	/* Reply at 600 carries it; next request at 900 */
	tcp_ack_sent(conn);
	conn->flags |= TCP_ACK_DUE;
	t = at_us(900);
	tcp_ack_delay(&c, conn, &t);

	t = at_us(1100);
	tcp_ack_delayed(&c, &t);
	CHECK(!tcp_ctrl_used && (conn->flags & TCP_ACK_DUE),
	      "delayed ACK: the first wait's end doesn't ACK the second request");

	t = at_us(1950);
	tcp_ack_delayed(&c, &t);
	CHECK(tcp_ctrl_used == 1 && !(conn->flags & TCP_ACK_DUE) &&
	      !tcp_ack_waits_count, "delayed ACK: sent when its own wait ends");

	/* Two requests before a reply: the earlier deadline holds */
	tcp_out_count = tcp_data_used = tcp_ctrl_used = 0;
	conn->flags |= TCP_ACK_DUE;
	t = at_us(3000);
	tcp_ack_delay(&c, conn, &t);
	t = at_us(3500);
	tcp_ack_delay(&c, conn, &t);
	t = at_us(4000);
	tcp_ack_delayed(&c, &t);
	CHECK(tcp_ctrl_used == 1, "delayed ACK: two requests, first deadline");
	close(s);
}

/**
 * main() - Run the tests
 *
 * Return: 0 if every check passed
 */
int main(void)
{
	test_hash();
	test_table_full();
	test_seq();
	test_parse();
	test_ack_delay();
	return UNIT_RESULT();
}
