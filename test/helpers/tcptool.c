// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test/helpers/tcptool.c - TCP peers for the TCP tests and the benchmark:
 * a server and a client that move deterministic pseudo-random streams of
 * any length and check them byte by byte, and by hash on both ends, with
 * half-closed connections in either direction, resets in either direction
 * (SO_LINGER with a zero timeout), many concurrent connections, and a
 * connection attempt that tells how it failed.
 *
 * Usage: tcptool MODE [OPTIONS] ADDR PORT
 *
 *   server [-r READY] ADDR PORT
 *	Accept connections until killed, one thread each.  For every
 *	connection, print one line when it ends:
 *	  conn id=ID peer=ADDR up=N post=N rst=ok|eof|... status=ok|fail
 *	  [why=...]
 *
 *   client [-s SRC] [-i ID] [-u N] [-d N] [-p N] [-H] [-S] [-R] [-A MS]
 *	    [-W MS] [-n CONNS] [-z] [-t SEC] ADDR PORT
 *	One connection (or CONNS at once), each doing, in order:
 *	  - send a header: ID, sizes and flags (the server does its part);
 *	  - with -W, wait MS ms (the connection stays open, idle);
 *	  - upload N bytes (-u), then a trailer (count, hash); with -H, shut
 *	    down the writing side right after (half-close by the client);
 *	  - read the server's verdict on the upload (its count and hash);
 *	  - download N bytes (-d) and their trailer, check them;
 *	  - then, with -R: the server resets the connection, expect
 *	    ECONNRESET; with -A MS: wait MS ms and reset it ourselves (the
 *	    server expects ECONNRESET); with -S: the server shuts down its
 *	    writing side after the download, expect end of stream, then
 *	    send N bytes (-p) more, which the server checks (and reports
 *	    only in its own output); otherwise send our verdict on the
 *	    download, shut down, and expect the server to close.
 *	-n CONNS connects CONNS sockets first, all at once, then runs the
 *	exchange on all of them concurrently, with IDs ID, ID+1, ...; -z
 *	makes each size vary between 1 and the given size, by ID.  Prints
 *	one line "client conns=N ok=N failed=N ms=N up_mbps=X down_mbps=X",
 *	preceded by one line per failed connection (at most 20).  Exit 0 if
 *	every connection did what was expected, 1 otherwise.
 *
 *   echo [-r READY] ADDR PORT
 *	Accept connections until killed, one thread each, and send back
 *	everything received until end of stream, then close.
 *
 *   rr [-s SRC] [-d SEC] [-c] [-t SEC] ADDR PORT
 *	1-byte request/response against an echo server for SEC seconds
 *	(default 5), print "rate=N count=N" (transactions per second); with
 *	-c, each transaction on a new connection: connect, request,
 *	response, close.  Exit 1 on any error.
 *
 *   connect [-s SRC] [-t SEC] ADDR PORT
 *	Try to connect, print "result=connected|refused|timeout|
 *	unreachable|ERRNO-NAME ms=N", exit 0.
 *
 * Sizes take K, M and G suffixes (powers of 1024).  -t bounds every
 * connect, read and write (default 60 s).  ADDR is numeric, IPv4 or IPv6
 * (fe80::1%eth0 for link-local).  The stream of each direction is
 * splitmix64 output keyed by the connection's ID and the direction, so
 * either end can recompute any byte of it.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAGIC		0x54435054U	/* "TCPT" */
#define HDR_LEN		48
#define TRAILER_LEN	16
#define VERDICT_LEN	24
#define BUF_LEN		(128 * 1024)
#define FAIL_LINES_MAX	20

/* Header flags */
#define F_HALF_C	(1U << 0)	/* client shuts down after upload */
#define F_HALF_S	(1U << 1)	/* server shuts down after download */
#define F_RST_S		(1U << 2)	/* server resets after download */
#define F_WAIT_RST	(1U << 3)	/* client resets after download */

/* Direction tags for the stream keys */
#define DIR_UP		0x7570U
#define DIR_DOWN	0x646fU
#define DIR_POST	0x706fU

/**
 * struct req - What a connection does, as sent in the header
 * @flags:	F_* flags
 * @abort_ms:	client side only: wait before resetting (F_WAIT_RST)
 * @idle_ms:	client side only: wait after the header
 * @id:		connection ID, key of its streams
 * @up:		bytes client to server
 * @down:	bytes server to client
 * @post:	bytes client to server after the server's shutdown (F_HALF_S)
 */
struct req {
	uint32_t flags;
	uint32_t abort_ms;
	uint32_t idle_ms;
	uint64_t id;
	uint64_t up;
	uint64_t down;
	uint64_t post;
};

/**
 * struct hash - Running 64-bit hash of a byte stream, word at a time
 * @h:		state
 * @carry:	bytes not yet making a whole word
 * @nc:		number of bytes in @carry
 * @count:	bytes hashed
 */
struct hash {
	uint64_t h;
	uint64_t carry;
	unsigned int nc;
	uint64_t count;
};

/**
 * struct check - Receiving side of a stream: hash and comparison
 * @hash:	hash of what arrived
 * @key:	key of the expected stream
 * @bad_at:	offset of the first byte that differs, UINT64_MAX if none
 */
struct check {
	struct hash hash;
	uint64_t key;
	uint64_t bad_at;
};

/**
 * struct conn - One connection of the client, or of the server
 * @fd:		socket
 * @req:	what it does
 * @ok:		everything as expected
 * @why:	reason of the failure
 * @peer:	peer address (server)
 * @up_ms:	time of the upload, as the client saw it
 * @down_ms:	time of the download
 * @buf:	data buffer
 * @exp:	expected data buffer
 */
struct conn {
	int fd;
	struct req req;
	int ok;
	char why[160];
	char peer[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	double up_ms;
	double down_ms;
	unsigned char *buf;
	unsigned char *exp;
};

static int timeout_s = 60;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* Start barrier of the client's concurrent connections */
static pthread_mutex_t bar_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bar_cond = PTHREAD_COND_INITIALIZER;
static unsigned int bar_waiting, bar_total;

/**
 * die_usage() - Print usage and exit
 */
static void die_usage(void)
{
	fprintf(stderr,
		"Usage: tcptool server|echo [-r READY] ADDR PORT\n"
		"       tcptool client [-s SRC] [-i ID] [-u N] [-d N] [-p N] "
		"[-H] [-S] [-R] [-A MS] [-W MS] [-n CONNS] [-z] [-t SEC] "
		"ADDR PORT\n"
		"       tcptool rr [-s SRC] [-d SEC] [-c] [-t SEC] ADDR PORT\n"
		"       tcptool connect [-s SRC] [-t SEC] ADDR PORT\n");
	exit(2);
}

/**
 * now_ms() - Monotonic time in milliseconds
 *
 * Return: milliseconds
 */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/**
 * parse_size() - Parse a size with an optional K, M or G suffix
 * @s:		string
 *
 * Return: bytes, exits on a bad value
 */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end || end == s) {
		fprintf(stderr, "tcptool: bad size %s\n", s);
		exit(2);
	}
	return v;
}

/**
 * put64() - Store a 64-bit value, big-endian
 * @p:		destination
 * @v:		value
 */
static void put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

/**
 * get64() - Load a 64-bit big-endian value
 * @p:		source
 *
 * Return: value
 */
static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/**
 * splitmix64() - One output of splitmix64 for a counter value
 * @x:		counter
 *
 * Return: pseudo-random 64-bit value
 */
static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/**
 * stream_key() - Key of a stream
 * @id:		connection ID
 * @dir:	DIR_* tag
 *
 * Return: key
 */
static uint64_t stream_key(uint64_t id, uint64_t dir)
{
	return splitmix64(id * 0x100000001b3ULL ^ dir << 48);
}

/**
 * stream_fill() - Bytes of a stream at a given offset
 * @key:	stream key
 * @off:	offset in the stream
 * @p:		destination
 * @len:	number of bytes
 *
 * Byte i of the stream is byte (i % 8) of splitmix64(key + i / 8), least
 * significant first.
 */
static void stream_fill(uint64_t key, uint64_t off, unsigned char *p,
			size_t len)
{
	uint64_t w;

	while (len && (off & 7)) {
		w = splitmix64(key + (off >> 3));
		*p++ = (unsigned char)(w >> ((off & 7) * 8));
		off++;
		len--;
	}
	while (len >= 8) {
		int i;

		w = splitmix64(key + (off >> 3));
		for (i = 0; i < 8; i++, w >>= 8)
			p[i] = (unsigned char)w;
		p += 8;
		off += 8;
		len -= 8;
	}
	while (len) {
		w = splitmix64(key + (off >> 3));
		*p++ = (unsigned char)(w >> ((off & 7) * 8));
		off++;
		len--;
	}
}

/**
 * hash_init() - Start a hash
 * @h:		hash
 */
static void hash_init(struct hash *h)
{
	memset(h, 0, sizeof(*h));
	h->h = 0xcbf29ce484222325ULL;
}

/**
 * hash_word() - Mix one 64-bit word into a hash
 * @h:		hash
 * @w:		word
 */
static inline void hash_word(struct hash *h, uint64_t w)
{
	h->h = (h->h ^ w) * 0x100000001b3ULL;
	h->h ^= h->h >> 29;
}

/**
 * hash_update() - Hash more bytes
 * @h:		hash
 * @p:		bytes
 * @len:	number of bytes
 */
static void hash_update(struct hash *h, const unsigned char *p, size_t len)
{
	uint64_t w;

	h->count += len;
	while (len && h->nc) {
		h->carry |= (uint64_t)*p++ << (h->nc * 8);
		len--;
		if (++h->nc == 8) {
			hash_word(h, h->carry);
			h->carry = 0;
			h->nc = 0;
		}
	}
	while (len >= 8) {
		w = (uint64_t)p[0] | (uint64_t)p[1] << 8 |
		    (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
		    (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
		    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
		hash_word(h, w);
		p += 8;
		len -= 8;
	}
	while (len--) {
		h->carry |= (uint64_t)*p++ << (h->nc * 8);
		h->nc++;
	}
}

/**
 * hash_final() - Value of a hash, including bytes not yet in a word
 * @h:		hash
 *
 * Return: hash value
 */
static uint64_t hash_final(const struct hash *h)
{
	struct hash t = *h;

	hash_word(&t, t.carry ^ (uint64_t)t.nc << 59 ^ t.count);
	return splitmix64(t.h);
}

/**
 * fail_why() - Record why a connection failed (the first reason only)
 * @c:		connection
 * @fmt:	format
 */
__attribute__((format(printf, 2, 3)))
static void fail_why(struct conn *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->ok)
		return;
	c->ok = 0;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

/**
 * set_timeouts() - Bound every blocking read and write of a socket
 * @fd:		socket
 */
static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = timeout_s };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/**
 * err_name() - Short name of an error of a socket call
 * @e:		errno value
 *
 * Return: name
 */
static const char *err_name(int e)
{
	switch (e) {
	case 0:			return "eof";
	case ECONNRESET:	return "reset";
	case ECONNREFUSED:	return "refused";
	case EAGAIN:		return "timeout";
	case ETIMEDOUT:		return "timeout";
	case EPIPE:		return "broken-pipe";
	case EHOSTUNREACH:	return "unreachable";
	case ENETUNREACH:	return "unreachable";
	default:		return strerror(e);
	}
}

/**
 * send_all() - Write all bytes, or fail
 * @c:		connection
 * @p:		bytes
 * @len:	number of bytes
 * @what:	what is sent, for the failure reason
 *
 * Return: 0 on success, -1 on failure (recorded)
 */
static int send_all(struct conn *c, const void *p, size_t len,
		    const char *what)
{
	const unsigned char *b = p;

	while (len) {
		ssize_t n = send(c->fd, b, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail_why(c, "sending %s: %s", what,
				 err_name(n < 0 ? errno : 0));
			return -1;
		}
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * recv_all() - Read exactly len bytes, or fail
 * @c:		connection
 * @p:		destination
 * @len:	number of bytes
 * @what:	what is read, for the failure reason
 *
 * Return: 0 on success, -1 on failure (recorded)
 */
static int recv_all(struct conn *c, void *p, size_t len, const char *what)
{
	unsigned char *b = p;

	while (len) {
		ssize_t n = recv(c->fd, b, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail_why(c, "reading %s: %s", what,
				 err_name(n < 0 ? errno : 0));
			return -1;
		}
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * expect_eof() - The peer must have shut down its writing side: no more data
 * @c:		connection
 * @what:	when, for the failure reason
 *
 * Return: 0 on end of stream, -1 otherwise (recorded)
 */
static int expect_eof(struct conn *c, const char *what)
{
	unsigned char b[64];
	ssize_t n;

	do
		n = recv(c->fd, b, sizeof(b), 0);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	if (n > 0)
		fail_why(c, "%s: %zd bytes more instead of end of stream",
			 what, n);
	else
		fail_why(c, "%s: %s instead of end of stream", what,
			 err_name(errno));
	return -1;
}

/**
 * expect_reset() - Read until an error: it must be ECONNRESET
 * @c:		connection
 * @what:	when, for the failure reason
 *
 * Return: 0 if the connection was reset, -1 otherwise (recorded)
 */
static int expect_reset(struct conn *c, const char *what)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->buf, BUF_LEN, 0);

		if (n > 0 || (n < 0 && errno == EINTR))
			continue;
		if (n < 0 && errno == ECONNRESET)
			return 0;
		fail_why(c, "%s: %s instead of a reset", what,
			 err_name(n < 0 ? errno : 0));
		return -1;
	}
}

/**
 * send_stream() - Send a stream and its trailer (byte count and hash)
 * @c:		connection
 * @key:	stream key
 * @len:	length
 * @what:	name of the stream, for the failure reason
 *
 * Return: 0 on success, -1 on failure (recorded)
 */
static int send_stream(struct conn *c, uint64_t key, uint64_t len,
		       const char *what)
{
	unsigned char t[TRAILER_LEN];
	uint64_t off = 0;
	struct hash h;

	hash_init(&h);
	while (off < len) {
		size_t n = len - off < BUF_LEN ? (size_t)(len - off) : BUF_LEN;

		stream_fill(key, off, c->buf, n);
		hash_update(&h, c->buf, n);
		if (send_all(c, c->buf, n, what))
			return -1;
		off += n;
	}
	put64(t, h.count);
	put64(t + 8, hash_final(&h));
	return send_all(c, t, sizeof(t), what);
}

/**
 * recv_stream() - Receive a stream and its trailer, check both
 * @c:		connection
 * @key:	stream key
 * @len:	length
 * @what:	name of the stream, for the failure reason
 * @hv:		set to the hash of what was received
 *
 * Return: 0 if everything matched, -1 otherwise (recorded)
 */
static int recv_stream(struct conn *c, uint64_t key, uint64_t len,
		       const char *what, uint64_t *hv)
{
	unsigned char t[TRAILER_LEN];
	struct check k = { .key = key, .bad_at = UINT64_MAX };
	uint64_t off = 0;

	hash_init(&k.hash);
	while (off < len) {
		size_t want = len - off < BUF_LEN ? (size_t)(len - off) :
						    BUF_LEN;
		ssize_t n = recv(c->fd, c->buf, want, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail_why(c, "%s: %s after %" PRIu64 " of %" PRIu64
				 " bytes", what, err_name(n < 0 ? errno : 0),
				 off, len);
			return -1;
		}
		hash_update(&k.hash, c->buf, (size_t)n);
		if (k.bad_at == UINT64_MAX) {
			stream_fill(key, off, c->exp, (size_t)n);
			if (memcmp(c->buf, c->exp, (size_t)n)) {
				size_t i = 0;

				while (c->buf[i] == c->exp[i])
					i++;
				k.bad_at = off + i;
			}
		}
		off += (uint64_t)n;
	}
	*hv = hash_final(&k.hash);
	if (recv_all(c, t, sizeof(t), what))
		return -1;
	if (k.bad_at != UINT64_MAX) {
		fail_why(c, "%s: corrupt from byte %" PRIu64, what, k.bad_at);
		return -1;
	}
	if (get64(t) != len || get64(t + 8) != *hv) {
		fail_why(c, "%s: sender's count/hash %" PRIu64 "/%016" PRIx64
			 " differ from ours %" PRIu64 "/%016" PRIx64, what,
			 get64(t), get64(t + 8), len, *hv);
		return -1;
	}
	return 0;
}

/**
 * verdict_send() - Tell the peer how its stream arrived
 * @c:		connection
 * @status:	0 if intact
 * @hv:		hash of what arrived
 *
 * Return: 0 on success, -1 on failure
 */
static int verdict_send(struct conn *c, uint32_t status, uint64_t hv)
{
	unsigned char v[VERDICT_LEN] = { 0 };

	put64(v, MAGIC);
	put64(v + 8, status);
	put64(v + 16, hv);
	return send_all(c, v, sizeof(v), "verdict");
}

/**
 * verdict_recv() - Read the peer's verdict on our stream
 * @c:		connection
 * @what:	name of our stream
 *
 * Return: 0 if the peer found it intact, -1 otherwise (recorded)
 */
static int verdict_recv(struct conn *c, const char *what)
{
	unsigned char v[VERDICT_LEN];

	if (recv_all(c, v, sizeof(v), "verdict"))
		return -1;
	if (get64(v) != MAGIC) {
		fail_why(c, "verdict on %s: garbage", what);
		return -1;
	}
	if (get64(v + 8)) {
		fail_why(c, "peer says %s arrived damaged", what);
		return -1;
	}
	return 0;
}

/**
 * abort_close() - Close with a reset: SO_LINGER with a zero timeout
 * @fd:		socket
 */
static void abort_close(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/**
 * conn_bufs() - Allocate a connection's buffers
 * @c:		connection
 *
 * Return: 0 on success, -1 if out of memory
 */
static int conn_bufs(struct conn *c)
{
	c->buf = malloc(BUF_LEN);
	c->exp = malloc(BUF_LEN);
	if (!c->buf || !c->exp) {
		fail_why(c, "out of memory");
		return -1;
	}
	return 0;
}

/**
 * conn_free() - Free a connection's buffers
 * @c:		connection
 */
static void conn_free(struct conn *c)
{
	free(c->buf);
	free(c->exp);
	c->buf = c->exp = NULL;
}

/* Server */

/**
 * server_conn() - Handle one accepted connection, print its result
 * @arg:	struct conn, allocated by the accepting thread
 *
 * Return: NULL
 */
static void *server_conn(void *arg)
{
	struct conn *c = arg;
	unsigned char h[HDR_LEN];
	char rst[32] = "-";
	uint64_t hv = 0;
	int closed = 0;

	c->ok = 1;
	set_timeouts(c->fd);
	if (conn_bufs(c) || recv_all(c, h, sizeof(h), "header"))
		goto out;
	if (get64(h) != MAGIC) {
		fail_why(c, "bad header");
		goto out;
	}
	c->req.flags = (uint32_t)get64(h + 8);
	c->req.id = get64(h + 16);
	c->req.up = get64(h + 24);
	c->req.down = get64(h + 32);
	c->req.post = get64(h + 40);

	if (recv_stream(c, stream_key(c->req.id, DIR_UP), c->req.up,
			"upload", &hv)) {
		verdict_send(c, 1, hv);
		goto out;
	}
	if ((c->req.flags & F_HALF_C) && expect_eof(c, "after upload"))
		goto out;
	if (verdict_send(c, 0, hv) ||
	    send_stream(c, stream_key(c->req.id, DIR_DOWN), c->req.down,
			"download"))
		goto out;

	if (c->req.flags & F_RST_S) {
		/* Let the data reach the client before the reset */
		usleep(200 * 1000);
		abort_close(c->fd);
		closed = 1;
		snprintf(rst, sizeof(rst), "sent");
	} else if (c->req.flags & F_WAIT_RST) {
		ssize_t n;

		do
			n = recv(c->fd, c->buf, BUF_LEN, 0);
		while (n > 0 || (n < 0 && errno == EINTR));
		if (n < 0 && errno == ECONNRESET) {
			snprintf(rst, sizeof(rst), "ok");
		} else {
			snprintf(rst, sizeof(rst), "%s",
				 err_name(n < 0 ? errno : 0));
			fail_why(c, "%s instead of a reset",
				 err_name(n < 0 ? errno : 0));
		}
	} else if (c->req.flags & F_HALF_S) {
		if (shutdown(c->fd, SHUT_WR)) {
			fail_why(c, "shutdown: %s", strerror(errno));
			goto out;
		}
		if (recv_stream(c, stream_key(c->req.id, DIR_POST),
				c->req.post, "post", &hv))
			goto out;
		expect_eof(c, "after post");
	} else if (!(c->req.flags & F_HALF_C)) {
		/* A client that shut down already can't send its verdict */
		if (verdict_recv(c, "download"))
			goto out;
		expect_eof(c, "after the client's verdict");
	}

out:
	pthread_mutex_lock(&out_lock);
	printf("conn id=%" PRIu64 " peer=%s up=%" PRIu64 " down=%" PRIu64
	       " post=%" PRIu64 " rst=%s status=%s%s%s\n", c->req.id, c->peer,
	       c->req.up, c->req.down, c->req.post, rst,
	       c->ok ? "ok" : "fail", c->ok ? "" : " why=",
	       c->ok ? "" : c->why);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	if (!closed)
		close(c->fd);
	conn_free(c);
	free(c);
	return NULL;
}

/**
 * echo_conn() - Echo one accepted connection until end of stream
 * @arg:	struct conn, allocated by the accepting thread
 *
 * Return: NULL
 */
static void *echo_conn(void *arg)
{
	struct conn *c = arg;
	ssize_t n;

	c->ok = 1;
	set_timeouts(c->fd);
	if (!conn_bufs(c)) {
		while ((n = recv(c->fd, c->buf, BUF_LEN, 0)) > 0 ||
		       (n < 0 && errno == EINTR)) {
			if (n > 0 && send_all(c, c->buf, (size_t)n, "echo"))
				break;
		}
	}
	close(c->fd);
	conn_free(c);
	free(c);
	return NULL;
}

/**
 * addr_str() - Numeric form of a socket address, with the scope if any
 * @sa:		address
 * @buf:	destination
 * @len:	size of @buf
 */
static void addr_str(const struct sockaddr_storage *sa, char *buf, size_t len)
{
	if (getnameinfo((const struct sockaddr *)sa, sizeof(*sa), buf,
			(socklen_t)len, NULL, 0, NI_NUMERICHOST))
		snprintf(buf, len, "?");
}

/**
 * sock_addr() - Resolve a numeric address and port
 * @addr:	numeric address, %scope allowed
 * @port:	port
 * @sa:		filled in
 * @sl:		set to its length
 *
 * Return: address family, exits on failure
 */
static int sock_addr(const char *addr, const char *port,
		     struct sockaddr_storage *sa, socklen_t *sl)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *ai;
	int rc = getaddrinfo(addr, port, &hints, &ai), af;

	if (rc) {
		fprintf(stderr, "tcptool: %s %s: %s\n", addr, port,
			gai_strerror(rc));
		exit(2);
	}
	memcpy(sa, ai->ai_addr, ai->ai_addrlen);
	*sl = ai->ai_addrlen;
	af = ai->ai_family;
	freeaddrinfo(ai);
	return af;
}

/**
 * mode_server() - Accept connections until killed
 * @addr:	address to bind
 * @port:	port
 * @ready_path:	file to create once listening, or NULL
 * @fn:		thread function handling each connection
 *
 * Return: 1 on failure (never returns otherwise)
 */
static int mode_server(const char *addr, const char *port,
		       const char *ready_path, void *(*fn)(void *))
{
	struct sockaddr_storage sa;
	pthread_attr_t attr;
	int fd, one = 1, af;
	socklen_t sl;

	af = sock_addr(addr, port, &sa, &sl);
	fd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("tcptool: socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (af == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sl) || listen(fd, 4096)) {
		fprintf(stderr, "tcptool: bind/listen %s %s: %s\n", addr, port,
			strerror(errno));
		return 1;
	}
	if (ready_path) {
		int r = open(ready_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (r >= 0)
			close(r);
	}

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof(peer);
		struct conn *c;
		pthread_t t;
		int s;

		s = accept4(fd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
		if (s < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE) {
				if (errno == EMFILE || errno == ENFILE)
					usleep(10000);
				continue;
			}
			perror("tcptool: accept");
			return 1;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(s);
			continue;
		}
		c->fd = s;
		addr_str(&peer, c->peer, sizeof(c->peer));
		if (pthread_create(&t, &attr, fn, c)) {
			close(s);
			free(c);
		}
	}
}

/* Client */

/**
 * connect_timeout() - Connect a new socket, within timeout_s seconds
 * @sa:		destination
 * @sl:		its length
 * @src:	source address to bind first, or NULL
 * @err:	set to the errno value on failure
 *
 * Return: blocking socket, or -1 with @err set
 */
static int connect_timeout(const struct sockaddr_storage *sa, socklen_t sl,
			   const char *src, int *err)
{
	struct pollfd pfd;
	socklen_t el = sizeof(*err);
	int fd, rc, fl;

	fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (src) {
		struct sockaddr_storage ss;
		socklen_t ssl;

		sock_addr(src, "0", &ss, &ssl);
		if (bind(fd, (struct sockaddr *)&ss, ssl)) {
			*err = errno;
			close(fd);
			return -1;
		}
	}
	rc = connect(fd, (const struct sockaddr *)sa, sl);
	if (rc && errno != EINPROGRESS) {
		*err = errno;
		close(fd);
		return -1;
	}
	if (rc) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do
			rc = poll(&pfd, 1, timeout_s * 1000);
		while (rc < 0 && errno == EINTR);
		if (rc == 0) {
			*err = ETIMEDOUT;
			close(fd);
			return -1;
		}
		*err = 0;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &el) || *err) {
			close(fd);
			return -1;
		}
	}
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	set_timeouts(fd);
	return fd;
}

/**
 * client_run() - The exchange on one connected client socket
 * @c:		connection, connected
 */
static void client_run(struct conn *c)
{
	const struct req *r = &c->req;
	unsigned char h[HDR_LEN] = { 0 };
	uint64_t hv = 0;
	double t0;

	put64(h, MAGIC);
	put64(h + 8, r->flags);
	put64(h + 16, r->id);
	put64(h + 24, r->up);
	put64(h + 32, r->down);
	put64(h + 40, r->post);
	if (conn_bufs(c) || send_all(c, h, sizeof(h), "header"))
		return;
	if (r->idle_ms)
		usleep(r->idle_ms * 1000);

	t0 = now_ms();
	if (send_stream(c, stream_key(r->id, DIR_UP), r->up, "upload"))
		return;
	if ((r->flags & F_HALF_C) && shutdown(c->fd, SHUT_WR)) {
		fail_why(c, "shutdown: %s", strerror(errno));
		return;
	}
	if (verdict_recv(c, "upload"))
		return;
	c->up_ms = now_ms() - t0;

	t0 = now_ms();
	if (recv_stream(c, stream_key(r->id, DIR_DOWN), r->down, "download",
			&hv))
		return;
	c->down_ms = now_ms() - t0;

	if (r->flags & F_RST_S) {
		expect_reset(c, "after download");
	} else if (r->flags & F_WAIT_RST) {
		usleep(r->abort_ms * 1000);
		abort_close(c->fd);
		c->fd = -1;
	} else if (r->flags & F_HALF_S) {
		if (expect_eof(c, "after download"))
			return;
		if (send_stream(c, stream_key(r->id, DIR_POST), r->post,
				"post"))
			return;
		if (shutdown(c->fd, SHUT_WR)) {
			fail_why(c, "shutdown: %s", strerror(errno));
			return;
		}
		expect_eof(c, "after post");
	} else {
		if (!(r->flags & F_HALF_C)) {
			if (verdict_send(c, 0, hv))
				return;
			if (shutdown(c->fd, SHUT_WR)) {
				fail_why(c, "shutdown: %s", strerror(errno));
				return;
			}
		}
		expect_eof(c, "at the end");
	}
}

/**
 * struct client_job - A client connection's thread
 * @c:		connection
 * @sa:		destination
 * @sl:		its length
 * @src:	source address, or NULL
 */
struct client_job {
	struct conn c;
	struct sockaddr_storage sa;
	socklen_t sl;
	const char *src;
};

/**
 * client_thread() - Connect, wait for the others, run the exchange
 * @arg:	struct client_job
 *
 * Return: NULL
 */
static void *client_thread(void *arg)
{
	struct client_job *j = arg;
	int err = 0;

	j->c.ok = 1;
	j->c.fd = connect_timeout(&j->sa, j->sl, j->src, &err);
	if (j->c.fd < 0)
		fail_why(&j->c, "connect: %s", err_name(err));

	pthread_mutex_lock(&bar_lock);
	if (++bar_waiting == bar_total)
		pthread_cond_broadcast(&bar_cond);
	while (bar_waiting < bar_total)
		pthread_cond_wait(&bar_cond, &bar_lock);
	pthread_mutex_unlock(&bar_lock);

	if (j->c.fd >= 0) {
		client_run(&j->c);
		if (j->c.fd >= 0)
			close(j->c.fd);
	}
	conn_free(&j->c);
	return NULL;
}

/**
 * vary() - A size between 1 and max, depending on an ID
 * @max:	largest size
 * @id:		connection ID
 * @salt:	distinguishes the sizes of one connection
 *
 * Return: size
 */
static uint64_t vary(uint64_t max, uint64_t id, uint64_t salt)
{
	if (max <= 1)
		return max;
	return 1 + splitmix64(id * 31 + salt) % max;
}

/**
 * mode_client() - Run one or many client connections
 * @addr:	server address
 * @port:	port
 * @src:	source address, or NULL
 * @tmpl:	what each connection does (ID of the first one)
 * @conns:	number of connections
 * @varied:	vary sizes by ID
 *
 * Return: 0 if every connection did what was expected, 1 otherwise
 */
static int mode_client(const char *addr, const char *port, const char *src,
		       const struct req *tmpl, unsigned int conns, int varied)
{
	double up_bytes = 0, down_bytes = 0, up_ms = 0, down_ms = 0, t0;
	struct client_job *jobs = calloc(conns, sizeof(*jobs));
	pthread_t *threads = calloc(conns, sizeof(*threads));
	unsigned int i, ok = 0, started = 0, shown = 0;
	struct sockaddr_storage sa;
	pthread_attr_t attr;
	socklen_t sl;

	if (!jobs || !threads) {
		fprintf(stderr, "tcptool: out of memory\n");
		return 1;
	}
	sock_addr(addr, port, &sa, &sl);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);

	bar_total = conns;
	t0 = now_ms();
	for (i = 0; i < conns; i++) {
		struct client_job *j = &jobs[i];

		j->c.req = *tmpl;
		j->c.req.id = tmpl->id + i;
		if (varied) {
			j->c.req.up = vary(tmpl->up, j->c.req.id, 1);
			j->c.req.down = vary(tmpl->down, j->c.req.id, 2);
			j->c.req.post = vary(tmpl->post, j->c.req.id, 3);
		}
		j->sa = sa;
		j->sl = sl;
		j->src = src;
		if (pthread_create(&threads[i], &attr, client_thread, j)) {
			j->c.ok = 0;
			snprintf(j->c.why, sizeof(j->c.why),
				 "can't start thread");
			/* count it at the barrier ourselves */
			pthread_mutex_lock(&bar_lock);
			if (++bar_waiting == bar_total)
				pthread_cond_broadcast(&bar_cond);
			pthread_mutex_unlock(&bar_lock);
			threads[i] = 0;
			continue;
		}
		started++;
	}
	for (i = 0; i < conns; i++) {
		if (threads[i])
			pthread_join(threads[i], NULL);
	}
	t0 = now_ms() - t0;

	for (i = 0; i < conns; i++) {
		const struct conn *c = &jobs[i].c;

		if (c->ok) {
			ok++;
			up_bytes += (double)c->req.up;
			down_bytes += (double)c->req.down;
			up_ms += c->up_ms;
			down_ms += c->down_ms;
		} else if (shown++ < FAIL_LINES_MAX) {
			printf("fail id=%" PRIu64 " why=%s\n", c->req.id,
			       c->why);
		}
	}
	(void)started;
	/* Rates: single connection, otherwise aggregate over the run */
	if (conns > 1) {
		up_ms = down_ms = t0;
	}
	printf("client conns=%u ok=%u failed=%u ms=%.0f up_mbps=%.1f "
	       "down_mbps=%.1f\n", conns, ok, conns - ok, t0,
	       up_ms > 0 ? up_bytes * 8 / up_ms / 1000 : 0.0,
	       down_ms > 0 ? down_bytes * 8 / down_ms / 1000 : 0.0);
	fflush(stdout);
	free(jobs);
	free(threads);
	return ok == conns ? 0 : 1;
}

/**
 * mode_rr() - 1-byte request/response transactions for a while
 * @addr:	address of an echo server
 * @port:	port
 * @src:	source address, or NULL
 * @secs:	duration
 * @crr:	new connection for every transaction
 *
 * Return: 0 on success, 1 on failure
 */
static int mode_rr(const char *addr, const char *port, const char *src,
		   double secs, int crr)
{
	struct sockaddr_storage sa;
	double t0 = now_ms(), end = t0 + secs * 1000, t;
	unsigned long count = 0;
	int fd = -1, err = 0, one = 1;
	unsigned char b = 'x';
	socklen_t sl;

	sock_addr(addr, port, &sa, &sl);
	do {
		ssize_t n;

		if (fd < 0) {
			fd = connect_timeout(&sa, sl, src, &err);
			if (fd < 0) {
				fprintf(stderr, "tcptool: connect: %s\n",
					err_name(err));
				return 1;
			}
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				   sizeof(one));
		}
		if (send(fd, &b, 1, MSG_NOSIGNAL) != 1) {
			fprintf(stderr, "tcptool: send: %s\n", strerror(errno));
			return 1;
		}
		do
			n = recv(fd, &b, 1, 0);
		while (n < 0 && errno == EINTR);
		if (n != 1) {
			fprintf(stderr, "tcptool: recv: %s\n",
				err_name(n < 0 ? errno : 0));
			return 1;
		}
		count++;
		if (crr) {
			close(fd);
			fd = -1;
		}
		t = now_ms();
	} while (t < end);
	if (fd >= 0)
		close(fd);
	printf("rate=%.0f count=%lu\n", count * 1000.0 / (t - t0), count);
	return 0;
}

/**
 * mode_connect() - Try to connect, tell how it went
 * @addr:	destination address
 * @port:	port
 * @src:	source address, or NULL
 *
 * Return: 0
 */
static int mode_connect(const char *addr, const char *port, const char *src)
{
	struct sockaddr_storage sa;
	double t0 = now_ms();
	int fd, err = 0;
	socklen_t sl;

	sock_addr(addr, port, &sa, &sl);
	fd = connect_timeout(&sa, sl, src, &err);
	if (fd >= 0) {
		close(fd);
		printf("result=connected ms=%.0f\n", now_ms() - t0);
	} else {
		printf("result=%s ms=%.0f\n", err_name(err), now_ms() - t0);
	}
	return 0;
}

/**
 * main() - Parse the mode and options, run it
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: exit status of the mode
 */
int main(int argc, char **argv)
{
	struct req r = { 0 };
	const char *ready_path = NULL, *src = NULL, *mode;
	unsigned int conns = 1;
	int opt, varied = 0, crr = 0;
	double secs = 5;

	if (argc < 2)
		die_usage();
	mode = argv[1];
	argv++;
	argc--;
	r.id = (uint64_t)getpid() << 20 ^ (uint64_t)now_ms();

	while ((opt = getopt(argc, argv, "r:s:i:u:d:p:HSRA:W:n:zt:c")) != -1) {
		switch (opt) {
		case 'c': crr = 1; break;
		case 'r': ready_path = optarg; break;
		case 's': src = optarg; break;
		case 'i': r.id = strtoull(optarg, NULL, 0); break;
		case 'u': r.up = parse_size(optarg); break;
		case 'd':
			/* rr: duration in seconds; client: download size */
			if (!strcmp(mode, "rr"))
				secs = atof(optarg);
			else
				r.down = parse_size(optarg);
			break;
		case 'p': r.post = parse_size(optarg); break;
		case 'H': r.flags |= F_HALF_C; break;
		case 'S': r.flags |= F_HALF_S; break;
		case 'R': r.flags |= F_RST_S; break;
		case 'A':
			r.flags |= F_WAIT_RST;
			r.abort_ms = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'W':
			r.idle_ms = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'n': conns = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'z': varied = 1; break;
		case 't': timeout_s = atoi(optarg); break;
		default: die_usage();
		}
	}
	if (argc - optind != 2 || !conns || timeout_s <= 0)
		die_usage();

	if (!strcmp(mode, "server"))
		return mode_server(argv[optind], argv[optind + 1], ready_path,
				   server_conn);
	if (!strcmp(mode, "echo"))
		return mode_server(argv[optind], argv[optind + 1], ready_path,
				   echo_conn);
	if (!strcmp(mode, "client"))
		return mode_client(argv[optind], argv[optind + 1], src, &r,
				   conns, varied);
	if (!strcmp(mode, "rr"))
		return mode_rr(argv[optind], argv[optind + 1], src, secs, crr);
	if (!strcmp(mode, "connect"))
		return mode_connect(argv[optind], argv[optind + 1], src);
	die_usage();
	return 2;
}
