// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test/helpers/udptool.c - UDP peers for the UDP tests and the benchmark:
 * an echo server, a tiny DNS responder, a round-trip checker that sends
 * numbered, hashed datagrams of mixed sizes and verifies what comes back,
 * a paced sender and a counting receiver, a 1-byte request/response timer
 * and a DNS query.
 *
 * Usage: udptool MODE [OPTIONS] ADDR PORT [ARGS]
 *
 *   echo  [-r READY] ADDR PORT		echo every datagram to its sender
 *   dns   [-r READY] ADDR PORT A4 A6	answer A/AAAA queries for any name
 *					with A4/A6, NXDOMAIN for other types
 *   send  [-c N] [-m MAX] [-M MIN] [-w WIN] [-W MS] [-L PCT] ADDR PORT
 *					send N datagrams (sizes MIN..MAX,
 *					mixed) to an echo server, at most WIN
 *					outstanding, each echo checked (hash,
 *					length, order); lost after MS ms.
 *					Exit 0 if nothing is corrupt or out
 *					of order and loss <= PCT percent
 *   blast [-c N] [-d SEC] [-m SIZE] [-b MBIT] ADDR PORT
 *					send numbered datagrams of SIZE bytes
 *					at MBIT Mbit/s for SEC s or N of them
 *   sink  [-r READY] [-i MS] [-t SEC] ADDR PORT
 *					count and check datagrams until none
 *					came for MS ms (after the first one)
 *   rr    [-d SEC] ADDR PORT		1-byte request/response for SEC s,
 *					against an echo server
 *   query [-6] ADDR PORT NAME		ask for NAME (A, or AAAA with -6),
 *					print the first address answered
 *
 * ADDR is numeric, IPv4 or IPv6 (fe80::1%eth0 for link-local).  Clients
 * take -s SRC to bind to a source address first, and connect() their socket, so only datagrams from ADDR PORT are accepted:
 * a reply from any other source counts as lost.  Results are printed as
 * KEY=VALUE pairs on one line.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC		0x50545354U	/* "PTST" */
#define HDR_LEN		16		/* magic, seq, len, hash */
#define DGRAM_MAX	65535
#define MIN_(a, b)	((a) < (b) ? (a) : (b))

static unsigned char buf[DGRAM_MAX + 1];
static unsigned char out[DGRAM_MAX + 1];

/**
 * die_usage() - Print usage and exit
 */
static void die_usage(void)
{
	fprintf(stderr, "Usage: udptool echo|dns|send|blast|sink|rr|query "
		"[OPTIONS] ADDR PORT [ARGS]\n");
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
 * sock_open() - Open a UDP socket bound or connected to ADDR PORT
 * @addr:	numeric address, with %scope for link-local
 * @port:	port
 * @server:	bind instead of connect
 * @src:	for clients, source address to bind to first, or NULL
 *
 * Return: socket, exits on failure
 */
static int sock_open(const char *addr, const char *port, int server,
		     const char *src)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	int fd, v = 4 * 1024 * 1024, one = 1, rc;
	struct addrinfo *ai;

	rc = getaddrinfo(addr, port, &hints, &ai);
	if (rc) {
		fprintf(stderr, "udptool: %s %s: %s\n", addr, port,
			gai_strerror(rc));
		exit(1);
	}
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udptool: socket");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (!server && src) {
		struct addrinfo *sai;

		if (getaddrinfo(src, "0", &hints, &sai) ||
		    bind(fd, sai->ai_addr, sai->ai_addrlen)) {
			fprintf(stderr, "udptool: bad source %s\n", src);
			exit(1);
		}
		freeaddrinfo(sai);
	}
	rc = server ? bind(fd, ai->ai_addr, ai->ai_addrlen)
		    : connect(fd, ai->ai_addr, ai->ai_addrlen);
	if (rc) {
		fprintf(stderr, "udptool: %s %s %s: %s\n",
			server ? "bind" : "connect", addr, port,
			strerror(errno));
		exit(1);
	}
	freeaddrinfo(ai);
	return fd;
}

/**
 * ready() - Create the ready file, if any
 * @path:	path or NULL
 */
static void ready(const char *path)
{
	int fd;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
}

/**
 * put32() - Store a 32-bit value, big-endian
 * @p:		destination
 * @v:		value
 */
static void put32(unsigned char *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

/**
 * get32() - Load a 32-bit big-endian value
 * @p:		source
 *
 * Return: value
 */
static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

/**
 * fnv1a() - FNV-1a hash
 * @p:		data
 * @len:	length
 * @h:		initial value
 *
 * Return: hash
 */
static uint32_t fnv1a(const unsigned char *p, size_t len, uint32_t h)
{
	while (len--) {
		h ^= *p++;
		h *= 16777619U;
	}
	return h;
}

/**
 * dgram_size() - Size of datagram @seq: a deterministic mix of small,
 *		  medium and large sizes, the extremes included
 * @seq:	sequence number
 * @min:	smallest size, at least HDR_LEN
 * @max:	largest size
 *
 * Return: size
 */
static size_t dgram_size(uint32_t seq, size_t min, size_t max)
{
	uint32_t r = seq * 2654435761U ^ (seq >> 7);
	size_t span, lo, hi;

	if (seq % 97 == 0)
		return max;
	if (seq % 89 == 0)
		return min;
	switch (r % 3) {
	case 0:	lo = min; hi = MIN_(256, max); break;
	case 1:	lo = MIN_(256, max); hi = MIN_(1500, max); break;
	default: lo = MIN_(1500, max); hi = max; break;
	}
	if (lo < min)
		lo = min;
	if (hi < lo)
		hi = lo;
	span = hi - lo + 1;
	return lo + (r >> 3) % span;
}

/**
 * dgram_build() - Fill a numbered, hashed datagram
 * @p:		buffer
 * @seq:	sequence number
 * @len:	size, at least HDR_LEN
 */
static void dgram_build(unsigned char *p, uint32_t seq, size_t len)
{
	uint32_t x = seq * 2654435761U + 1;
	size_t i;

	for (i = HDR_LEN; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
	put32(p, MAGIC);
	put32(p + 4, seq);
	put32(p + 8, (uint32_t)len);
	put32(p + 12, fnv1a(p + HDR_LEN, len - HDR_LEN, 2166136261U ^ seq));
}

/**
 * dgram_check() - Verify a received datagram
 * @p:		data
 * @len:	length received
 * @seq:	set to its sequence number
 *
 * Return: 0 if intact, -1 if corrupt or cut
 */
static int dgram_check(const unsigned char *p, size_t len, uint32_t *seq)
{
	if (len < HDR_LEN || get32(p) != MAGIC || get32(p + 8) != len)
		return -1;
	*seq = get32(p + 4);
	if (fnv1a(p + HDR_LEN, len - HDR_LEN, 2166136261U ^ *seq) !=
	    get32(p + 12))
		return -1;
	return 0;
}

/**
 * mode_echo() - Echo server
 * @fd:		bound socket
 */
static void mode_echo(int fd)
{
	struct sockaddr_storage sa;

	for (;;) {
		socklen_t sl = sizeof(sa);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&sa, &sl);

		if (n < 0)
			continue;
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&sa, sl);
	}
}

/**
 * dns_answer() - Build a DNS response to the query in buf
 * @n:		query length
 * @a4:		IPv4 answer
 * @a6:		IPv6 answer
 *
 * Return: response length in out, 0 to ignore the query
 */
static size_t dns_answer(size_t n, const struct in_addr *a4,
			 const struct in6_addr *a6)
{
	size_t q = 12, end;
	uint16_t type;
	unsigned char *p;

	if (n < 17 || (buf[2] & 0x80))
		return 0;
	while (q < n && buf[q])		/* uncompressed labels only */
		q += (size_t)buf[q] + 1;
	if (q + 5 > n)
		return 0;
	type = (uint16_t)(buf[q + 1] << 8 | buf[q + 2]);
	end = q + 5;

	memcpy(out, buf, end);
	out[2] = 0x84 | (buf[2] & 0x01);	/* QR, AA, RD copied */
	out[3] = 0x80;				/* RA, no error */
	out[4] = 0; out[5] = 1;			/* one question */
	out[6] = 0; out[7] = 0;
	out[8] = out[9] = out[10] = out[11] = 0;
	if (type != 1 && type != 28) {
		out[3] |= 3;			/* NXDOMAIN */
		return end;
	}
	out[7] = 1;
	p = out + end;
	*p++ = 0xc0; *p++ = 12;			/* name: the question's */
	*p++ = 0; *p++ = (unsigned char)type;
	*p++ = 0; *p++ = 1;			/* class IN */
	*p++ = 0; *p++ = 0; *p++ = 0; *p++ = 60;	/* TTL */
	*p++ = 0; *p++ = type == 1 ? 4 : 16;
	memcpy(p, type == 1 ? (const void *)a4 : (const void *)a6,
	       type == 1 ? 4 : 16);
	p += type == 1 ? 4 : 16;
	return (size_t)(p - out);
}

/**
 * mode_dns() - DNS responder
 * @fd:		bound socket
 * @s4:		IPv4 answer
 * @s6:		IPv6 answer
 */
static void mode_dns(int fd, const char *s4, const char *s6)
{
	struct sockaddr_storage sa;
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, s4, &a4) != 1 ||
	    inet_pton(AF_INET6, s6, &a6) != 1)
		die_usage();
	for (;;) {
		socklen_t sl = sizeof(sa);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&sa, &sl);
		size_t len;

		if (n < 0)
			continue;
		len = dns_answer((size_t)n, &a4, &a6);
		if (len)
			sendto(fd, out, len, 0, (struct sockaddr *)&sa, sl);
	}
}

/**
 * struct rt - Round-trip counters
 */
static struct rt {
	uint32_t sent, received, lost, corrupt, reordered, dup;
	int64_t last;		/* last sequence received, -1 for none */
	uint64_t bytes;
} rt = { .last = -1 };

/**
 * rt_recv() - Receive and check one echo, if one comes within a time
 * @fd:		socket
 * @ms:		timeout
 *
 * Return: 1 if a datagram came, 0 on timeout
 */
static int rt_recv(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint32_t seq;
	ssize_t n;

	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0)
		return errno == ECONNREFUSED ? 0 : 1;
	if (dgram_check(buf, (size_t)n, &seq)) {
		rt.corrupt++;
		return 1;
	}
	if ((int64_t)seq == rt.last) {
		rt.dup++;
		return 1;
	}
	if ((int64_t)seq < rt.last)
		rt.reordered++;
	else
		rt.last = seq;
	rt.received++;
	rt.bytes += (uint64_t)n;
	return 1;
}

/**
 * mode_send() - Windowed round trips of checked datagrams
 * @fd:		connected socket
 * @count:	datagrams to send
 * @min:	smallest size
 * @max:	largest size
 * @win:	most datagrams outstanding
 * @wait_ms:	time after which outstanding datagrams count as lost
 * @loss_pct:	loss allowed for exit status 0
 *
 * Return: exit status
 */
static int mode_send(int fd, uint32_t count, size_t min, size_t max,
		     uint32_t win, int wait_ms, double loss_pct)
{
	double t0 = now_ms(), t;

	while (rt.sent < count) {
		while (rt.sent < count &&
		       rt.sent - rt.received - rt.lost < win) {
			size_t len = dgram_size(rt.sent, min, max);

			dgram_build(out, rt.sent, len);
			if (send(fd, out, len, 0) < 0 && errno != ECONNREFUSED &&
			    errno != ENOBUFS && errno != EAGAIN) {
				perror("udptool: send");
				return 1;
			}
			rt.sent++;
		}
		if (!rt_recv(fd, wait_ms))
			rt.lost = rt.sent - rt.received;	/* all out */
	}
	while (rt.received < rt.sent && rt_recv(fd, wait_ms))
		;
	rt.lost = rt.sent - rt.received;
	t = now_ms() - t0;

	printf("sent=%u received=%u lost=%u corrupt=%u reordered=%u dup=%u "
	       "bytes=%llu ms=%.0f\n", rt.sent, rt.received, rt.lost,
	       rt.corrupt, rt.reordered, rt.dup,
	       (unsigned long long)rt.bytes, t);
	if (rt.corrupt || rt.reordered)
		return 1;
	return rt.lost * 100.0 > loss_pct * rt.sent ? 1 : 0;
}

/**
 * mode_blast() - Paced sender of numbered datagrams
 * @fd:		connected socket
 * @count:	datagrams to send, 0 for no limit
 * @secs:	seconds to send for, 0 for no limit
 * @size:	datagram size
 * @mbit:	rate, Mbit/s, 0 for as fast as possible
 *
 * Return: exit status
 */
static int mode_blast(int fd, uint32_t count, double secs, size_t size,
		      double mbit)
{
	double t0 = now_ms(), per_ms = mbit * 1e3 / 8 / (double)size, t;
	uint32_t seq = 0;
	uint64_t bytes = 0;

	for (;;) {
		t = now_ms() - t0;
		if ((count && seq >= count) || (secs > 0 && t >= secs * 1000))
			break;
		if (mbit > 0 && seq > per_ms * t) {
			struct timespec ts = { 0, 20000 };

			nanosleep(&ts, NULL);
			continue;
		}
		dgram_build(out, seq, size);
		if (send(fd, out, size, 0) < 0) {
			if (errno == ENOBUFS || errno == EAGAIN ||
			    errno == ECONNREFUSED)
				continue;
			perror("udptool: send");
			return 1;
		}
		seq++;
		bytes += size;
	}
	t = now_ms() - t0;
	printf("sent=%u bytes=%llu ms=%.0f mbit=%.1f\n", seq,
	       (unsigned long long)bytes, t, bytes * 8 / 1e3 / t);
	return 0;
}

/**
 * mode_sink() - Count and check datagrams until idle
 * @fd:		bound socket
 * @idle_ms:	stop after this long without a datagram (after the first)
 * @secs:	stop after this long in any case
 *
 * Return: exit status: 0 if nothing was corrupt
 */
static int mode_sink(int fd, int idle_ms, double secs)
{
	double t0 = now_ms(), first = 0, lastt = 0;
	uint32_t max_seq = 0;

	for (;;) {
		int left = (int)(secs * 1000 - (now_ms() - t0));

		if (left <= 0)
			break;
		if (!rt_recv(fd, rt.received ? MIN_(idle_ms, left) : left))
			break;
		if (rt.received == 1 && !first)
			first = now_ms();
		lastt = now_ms();
		if (rt.last > (int64_t)max_seq)
			max_seq = (uint32_t)rt.last;
	}
	rt.lost = rt.received ? max_seq + 1 - rt.received : 0;
	printf("received=%u lost=%u corrupt=%u reordered=%u bytes=%llu "
	       "ms=%.0f mbit=%.1f\n", rt.received, rt.lost, rt.corrupt,
	       rt.reordered, (unsigned long long)rt.bytes, lastt - first,
	       lastt > first ? rt.bytes * 8 / 1e3 / (lastt - first) : 0.0);
	return rt.corrupt ? 1 : 0;
}

/**
 * mode_rr() - 1-byte request/response rate
 * @fd:		connected socket
 * @secs:	duration
 *
 * Return: exit status
 */
static int mode_rr(int fd, double secs)
{
	double t0 = now_ms(), t;
	unsigned long n = 0, lost = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while ((t = now_ms() - t0) < secs * 1000) {
		unsigned char b = 'x';

		if (send(fd, &b, 1, 0) < 0) {
			lost++;
			continue;
		}
		if (poll(&pfd, 1, 1000) <= 0 ||
		    recv(fd, buf, sizeof(buf), 0) != 1) {
			lost++;
			continue;
		}
		n++;
	}
	printf("transactions=%lu lost=%lu ms=%.0f rate=%.0f\n", n, lost, t,
	       n * 1000.0 / t);
	return n ? 0 : 1;
}

/**
 * mode_query() - Ask a DNS question, print the first address answered
 * @fd:		connected socket
 * @name:	name
 * @v6:		ask for AAAA instead of A
 *
 * Return: exit status
 */
static int mode_query(int fd, const char *name, int v6)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned char *p = out + 12;
	const char *l = name;
	char addr[INET6_ADDRSTRLEN];
	ssize_t n;
	size_t i;

	memset(out, 0, 12);
	out[0] = 0x12; out[1] = 0x34; out[2] = 0x01; out[5] = 1;
	while (*l) {
		const char *dot = strchr(l, '.');
		size_t len = dot ? (size_t)(dot - l) : strlen(l);

		if (!len || len > 63 || p + len + 6 > out + 512)
			die_usage();
		*p++ = (unsigned char)len;
		memcpy(p, l, len);
		p += len;
		l += len + (dot ? 1 : 0);
	}
	*p++ = 0;
	*p++ = 0; *p++ = v6 ? 28 : 1;
	*p++ = 0; *p++ = 1;

	for (i = 0; i < 3; i++) {
		if (send(fd, out, (size_t)(p - out), 0) < 0)
			continue;
		if (poll(&pfd, 1, 2000) > 0)
			break;
	}
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 12 + (p - out - 12) + 12 || buf[0] != 0x12 || buf[1] != 0x34 ||
	    !buf[7]) {
		printf("answer=none\n");
		return 1;
	}
	/* Our responder's layout: question, then c0 0c TYPE CLASS TTL LEN */
	i = (size_t)(p - out) + 10;
	if ((size_t)n < i + 2 + (v6 ? 16 : 4)) {
		printf("answer=none\n");
		return 1;
	}
	inet_ntop(v6 ? AF_INET6 : AF_INET, buf + i + 2, addr, sizeof(addr));
	printf("answer=%s\n", addr);
	return 0;
}

/**
 * main() - Parse options, run a mode
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: exit status of the mode
 */
int main(int argc, char **argv)
{
	const char *mode, *ready_path = NULL, *src = NULL;
	unsigned long count = 1000, win = 32, min = HDR_LEN, max = 1400;
	double secs = 0, mbit = 0, loss = 0;
	int wait_ms = 500, idle_ms = 2000, v6 = 0, opt, fd;

	if (argc < 2)
		die_usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "r:c:m:M:w:W:L:d:b:i:t:s:6")) != -1) {
		switch (opt) {
		case 'r': ready_path = optarg; break;
		case 'c': count = strtoul(optarg, NULL, 0); break;
		case 'm': max = strtoul(optarg, NULL, 0); break;
		case 'M': min = strtoul(optarg, NULL, 0); break;
		case 'w': win = strtoul(optarg, NULL, 0); break;
		case 'W': wait_ms = atoi(optarg); break;
		case 'L': loss = atof(optarg); break;
		case 'd': secs = atof(optarg); break;
		case 'b': mbit = atof(optarg); break;
		case 'i': idle_ms = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 's': src = optarg; break;
		case '6': v6 = 1; break;
		default: die_usage();
		}
	}
	if (argc - optind < 2 || max > DGRAM_MAX || min < HDR_LEN ||
	    min > max || !win)
		die_usage();

	if (!strcmp(mode, "echo") || !strcmp(mode, "dns") ||
	    !strcmp(mode, "sink")) {
		fd = sock_open(argv[optind], argv[optind + 1], 1, NULL);
		ready(ready_path);
		if (!strcmp(mode, "echo"))
			mode_echo(fd);
		if (!strcmp(mode, "sink"))
			return mode_sink(fd, idle_ms, secs > 0 ? secs : 60);
		if (argc - optind < 4)
			die_usage();
		mode_dns(fd, argv[optind + 2], argv[optind + 3]);
	}

	fd = sock_open(argv[optind], argv[optind + 1], 0, src);
	if (!strcmp(mode, "send"))
		return mode_send(fd, (uint32_t)count, min, max, (uint32_t)win,
				 wait_ms, loss);
	if (!strcmp(mode, "blast"))
		return mode_blast(fd, secs > 0 ? 0 : (uint32_t)count, secs,
				  max, mbit);
	if (!strcmp(mode, "rr"))
		return mode_rr(fd, secs > 0 ? secs : 5);
	if (!strcmp(mode, "query") && argc - optind >= 3)
		return mode_query(fd, argv[optind + 2], v6);
	die_usage();
	return 2;
}
