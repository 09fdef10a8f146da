// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp.c - TCP translation between guest segments and host sockets
 *
 * Theory of operation
 *
 * The guest's TCP stack talks to an ordinary TCP socket of the host.  We
 * don't run a TCP of our own: we mirror what each side can observe of the
 * other, and keep no data buffers.
 *
 * Host to guest: data stays in the socket's receive queue until the guest
 * acknowledges it.  We read it with MSG_PEEK, and SO_PEEK_OFF makes every
 * peek start after what was already sent, straight into the payload area of
 * frames whose headers we then fill in.  A guest ACK discards exactly the
 * acknowledged bytes (recv() with MSG_TRUNC).  On a retransmission timeout or
 * three duplicate ACKs, the peek offset goes back to zero, which is the last
 * acknowledged byte, and we send again from there.
 *
 * Guest to host: payloads are written to the socket from the tap buffer.  The
 * guest is acknowledged only for what the socket took, and the window we
 * announce is what the socket can still absorb (send buffer minus its queue),
 * so that a burst from the guest never exceeds it.  If a write still comes
 * back short, we watch for EPOLLOUT and, once the socket drains, send a
 * window update followed by three duplicate ACKs: the guest's fast
 * retransmit resends the rest at once instead of waiting for its RTO.
 *
 * Connections live in a static table, with an open-addressing hash index on
 * the guest's four-tuple (SipHash, secret key), and a free-slot stack: when
 * the table is full, new connections are refused with an RST.  Each
 * connection has a timerfd, created on first use, for handshake,
 * retransmission and idle timeouts.  Frames for the guest are queued and
 * sent once per event loop iteration (tcp_flush()).
 *
 * System calls are the cost of a small exchange, so none is made that the
 * state already answers: the timer is re-armed only when it must fire
 * earlier, the socket's free buffer is estimated from what we wrote since
 * we last read it, a read returning less than asked ends the reading, and
 * the ACK of a short message from the guest waits up to a millisecond for
 * the reply to carry it.  A request/response exchange then takes seven: tap
 * read, discard of the acknowledged reply, socket write; socket peek, tap
 * write; and the two waits (see busypoll.c).
 *
 * Initial sequence numbers follow RFC 6528: a keyed hash of the four-tuple
 * plus a 4 µs clock.  We announce an MSS from our MTU and window scaling
 * (RFC 7323) when the guest offers it; no SACK, no timestamps.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "checksum.h"
#include "fwd.h"
#include "log.h"
#include "passt.h"
#include "siphash.h"
#include "tap.h"
#include "tcp.h"
#include "tcp_splice.h"
#include "util.h"

/* #syscalls socket connect accept4 bind listen getsockopt setsockopt
 * #syscalls recvmsg recvfrom sendmsg shutdown close ioctl getsockname
 * #syscalls timerfd_create timerfd_settime epoll_ctl read getrandom
 * #syscalls getrlimit setrlimit prlimit64
 */

#define TCP_CONN_MAX		(128 * 1024)
#define TCP_HASH_SIZE		(TCP_CONN_MAX * 2)	/* power of two */
#define TCP_DATA_FRAMES		128	/* data frames queued per iteration */
#define TCP_CTRL_FRAMES		256	/* frames without payload queued */
#define TCP_PAYLOAD_OFF		128	/* headroom for Ethernet/IP/TCP */
#define TCP_PAYLOAD_MAX		65535
/* Payload of a frame the kernel segments: the IP length field's limit */
#define TCP_GSO_MAX		(65535 - 40 - 20)
#define TCP_OPT_LEN_MAX		20
#define TCP_WS_TO_TAP		8	/* window scale we announce */
#define TCP_WND_MAX		(65535U << TCP_WS_TO_TAP)
#define TCP_MSS_DEFAULT4	536	/* RFC 9293, 3.7.1 */
#define TCP_MSS_DEFAULT6	1220	/* RFC 8200, 8.3 */
#define TCP_SYN_TIMEOUT_MS	10000
#define TCP_RTO_MS		1000
#define TCP_RETRANS_MAX		8
#define TCP_IDLE_TIMEOUT_MS	(7200 * 1000)
#define TCP_DUP_ACKS		3
#define TCP_DISCARD_MAX		(4 * 1024 * 1024) /* without SO_PEEK_OFF */
#define TCP_WND_POLL_MS		10	/* recheck a low window this often */
#define TCP_ACK_DELAY_US	1000	/* a pure ACK waits this long for data */
#define TCP_ACK_DELAYED_MAX	4096	/* delayed ACKs queued at once */

/* Connection events: what has been seen on either side */
#undef TCP_ESTABLISHED	/* a macro in musl's <netinet/tcp.h> */
#define TCP_TAP_SYN_RCVD	(1U << 0)	/* guest SYN, connecting out */
#define TCP_SOCK_ACCEPTED	(1U << 1)	/* accepted, SYN to guest sent */
#define TCP_ESTABLISHED		(1U << 2)	/* handshake complete both sides */
#define TCP_SOCK_FIN_RCVD	(1U << 3)	/* end of stream from socket */
#define TCP_TAP_FIN_SENT	(1U << 4)	/* ...and FIN sent to guest */
#define TCP_TAP_FIN_RCVD	(1U << 5)	/* FIN from guest, socket shut */
#define TCP_SYNACK_SENT		(1U << 6)	/* outbound: SYN-ACK to guest */

/* Connection flags: things to do */
#define TCP_STALLED		(1U << 0)	/* short write, waiting EPOLLOUT */
#define TCP_ACK_DUE		(1U << 1)	/* guest needs an ACK */
#define TCP_WND_LOW		(1U << 2)	/* small window, EPOLLOUT watched */
#define TCP_TIMER_ARMED		(1U << 3)	/* timerfd set to expire at timer_at */
#define TCP_SOCK_PENDING	(1U << 4)	/* socket may hold unsent data */
#define TCP_SOCK_HUP		(1U << 5)	/* end of stream signalled by epoll */
#define TCP_ACK_DELAYED		(1U << 6)	/* in the delayed ACK queue */

/* TCP header flags, as in the 14th byte of the header */
#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10

/**
 * struct tcp_conn - One translated connection
 * @sock:		host socket, -1 if the slot is free
 * @timer:		timerfd, -1 until first needed
 * @af:			AF_INET or AF_INET6
 * @events:		TCP_* events seen
 * @flags:		TCP_* things to do
 * @ws_from_tap:	window scale the guest announced
 * @ws_to_tap:		window scale we announced
 * @retrans:		retransmissions since the last ACK progress
 * @dup_acks:		duplicate ACKs counted
 * @epoll_out:		EPOLLOUT is in the socket's epoll mask
 * @ack_gen:		number of the connection's latest delayed ACK entry
 * @mss:		largest segment the guest takes
 * @gport:		guest's port
 * @rport:		remote port, as the guest sees it
 * @gaddr:		guest's address (IPv4 in the first four bytes)
 * @raddr:		remote address, as the guest sees it
 * @seq_to_tap:		next sequence number we send
 * @seq_ack_from_tap:	last sequence number the guest acknowledged
 * @seq_from_tap:	next sequence number expected from the guest
 * @seq_ack_to_tap:	last sequence number we acknowledged to the guest
 * @wnd_from_tap:	guest's window, scaled
 * @wnd_to_tap:		last window we announced, scaled
 * @ts_ack:		when the guest last acknowledged new data (ms)
 * @ts_active:		when anything last happened on the connection (ms)
 * @timer_at:		when the armed timer expires (ms), if TCP_TIMER_ARMED
 * @sock_full:		window of an empty send buffer, 0 until first read
 * @sock_outq:		send queue of the socket when last read, plus what
 *			was written since: never less than the real queue
 */
struct tcp_conn {
	int sock;
	int timer;
	uint8_t af;
	uint8_t events;
	uint8_t flags;
	uint8_t ws_from_tap;
	uint8_t ws_to_tap;
	uint8_t retrans;
	uint8_t dup_acks;
	uint8_t epoll_out;
	uint8_t ack_gen;
	uint16_t mss;
	uint16_t gport;
	uint16_t rport;
	struct in6_addr gaddr;
	struct in6_addr raddr;
	uint32_t seq_to_tap;
	uint32_t seq_ack_from_tap;
	uint32_t seq_from_tap;
	uint32_t seq_ack_to_tap;
	uint32_t wnd_from_tap;
	uint32_t wnd_to_tap;
	uint32_t ts_ack;
	uint32_t ts_active;
	uint32_t timer_at;
	uint32_t sock_full;
	uint32_t sock_outq;
};

/**
 * struct tcp_key - What identifies a connection from the guest's side
 * @af:		AF_INET or AF_INET6
 * @gport:	guest's port
 * @rport:	remote port
 * @gaddr:	guest's address
 * @raddr:	remote address
 */
struct tcp_key {
	uint32_t af;
	uint16_t gport;
	uint16_t rport;
	struct in6_addr gaddr;
	struct in6_addr raddr;
};

/**
 * struct tcp_seg - A parsed segment from the guest
 * @th:		TCP header (copied: frames may be unaligned)
 * @flags:	header flags
 * @seq:	sequence number
 * @ack:	acknowledgement number
 * @wnd:	window field, unscaled
 * @payload:	payload, inside the tap buffer
 * @len:	payload length
 * @opts:	options, inside the tap buffer
 * @optlen:	options length
 */
struct tcp_seg {
	struct tcphdr th;
	uint8_t flags;
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd;
	const char *payload;
	size_t len;
	const uint8_t *opts;
	size_t optlen;
};

static struct tcp_conn tcp_conns[TCP_CONN_MAX];
static int32_t tcp_hash[TCP_HASH_SIZE];
static uint32_t tcp_free[TCP_CONN_MAX];
static uint32_t tcp_free_count;
static uint8_t tcp_secret[16];
static int tcp_peek_off_ok;

/* Frames queued for the guest, sent by tcp_flush() */
static char tcp_data_buf[TCP_DATA_FRAMES][TCP_PAYLOAD_OFF + TCP_PAYLOAD_MAX]
	__attribute__((aligned(64)));
static char tcp_ctrl_buf[TCP_CTRL_FRAMES][TCP_PAYLOAD_OFF]
	__attribute__((aligned(64)));
static struct iovec tcp_out[TCP_DATA_FRAMES + TCP_CTRL_FRAMES];
/* For each frame in tcp_out: segment size, if it carries more than one */
static uint16_t tcp_out_gso[TCP_DATA_FRAMES + TCP_CTRL_FRAMES];
static size_t tcp_out_count;
static size_t tcp_data_used;
static size_t tcp_ctrl_used;
static char tcp_discard[TCP_DISCARD_MAX];

/**
 * struct tcp_ack_wait - A connection whose ACK waits for data to carry it
 * @idx:	connection index
 * @gen:	the connection's @ack_gen when queued: a later entry, or an ACK
 *		carried by data since, makes this one stale
 * @due:	when the ACK goes out alone, CLOCK_MONOTONIC microseconds
 */
struct tcp_ack_wait {
	uint32_t idx;
	uint8_t gen;
	uint64_t due;
};

/* Delayed ACKs, oldest first (all wait equally long): a ring */
static struct tcp_ack_wait tcp_ack_waits[TCP_ACK_DELAYED_MAX];
static size_t tcp_ack_waits_head;
static size_t tcp_ack_waits_count;

/* Forwarding listeners: [side][IPv4, IPv6][port], -1 where none */
static int tcp_listen_fds[TCP_SIDES][2][NUM_PORTS];

/**
 * tcp_now_ms() - Coarse monotonic clock for connection timestamps
 *
 * Return: milliseconds, wrapping every 49 days (compare with differences)
 */
static uint32_t tcp_now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	return (uint32_t)((uint64_t)now.tv_sec * 1000 +
			  (uint64_t)now.tv_nsec / 1000000);
}

/**
 * tcp_seq_lt() - Sequence number comparison, modulo 2^32 (RFC 9293, 3.4)
 * @a:		sequence number
 * @b:		sequence number
 *
 * Return: true if @a comes before @b
 */
static inline bool tcp_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/**
 * tcp_seq_le() - Sequence number comparison, modulo 2^32
 * @a:		sequence number
 * @b:		sequence number
 *
 * Return: true if @a comes before @b or is @b
 */
static inline bool tcp_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

/**
 * tcp_key_of() - Build the lookup key of a connection
 * @conn:	connection
 * @k:		key to fill
 */
static void tcp_key_of(const struct tcp_conn *conn, struct tcp_key *k)
{
	memset(k, 0, sizeof(*k));
	k->af = conn->af;
	k->gport = conn->gport;
	k->rport = conn->rport;
	k->gaddr = conn->gaddr;
	k->raddr = conn->raddr;
}

/**
 * tcp_key_hash() - Bucket of a key in the hash index
 * @k:		key
 *
 * Return: bucket index
 */
static size_t tcp_key_hash(const struct tcp_key *k)
{
	return siphash(tcp_secret, k, sizeof(*k)) & (TCP_HASH_SIZE - 1);
}

/**
 * tcp_lookup() - Find a connection by its guest-side four-tuple
 * @k:		key
 *
 * Return: connection, or NULL
 */
static struct tcp_conn *tcp_lookup(const struct tcp_key *k)
{
	size_t b = tcp_key_hash(k);

	for (; tcp_hash[b] >= 0; b = (b + 1) & (TCP_HASH_SIZE - 1)) {
		struct tcp_conn *conn = &tcp_conns[tcp_hash[b]];
		struct tcp_key ck;

		tcp_key_of(conn, &ck);
		if (!memcmp(&ck, k, sizeof(ck)))
			return conn;
	}
	return NULL;
}

/**
 * tcp_hash_insert() - Add a connection to the hash index
 * @conn:	connection, with its four-tuple set
 */
static void tcp_hash_insert(const struct tcp_conn *conn)
{
	struct tcp_key k;
	size_t b;

	tcp_key_of(conn, &k);
	for (b = tcp_key_hash(&k); tcp_hash[b] >= 0;
	     b = (b + 1) & (TCP_HASH_SIZE - 1))
		;
	tcp_hash[b] = (int32_t)(conn - tcp_conns);
}

/**
 * tcp_hash_remove() - Remove a connection from the hash index
 * @conn:	connection
 *
 * Linear probing: entries after the hole that would no longer be found
 * from their home bucket are shifted back into it.
 */
static void tcp_hash_remove(const struct tcp_conn *conn)
{
	int32_t idx = (int32_t)(conn - tcp_conns);
	struct tcp_key k;
	size_t b, hole, home;

	tcp_key_of(conn, &k);
	for (b = tcp_key_hash(&k); tcp_hash[b] != idx;
	     b = (b + 1) & (TCP_HASH_SIZE - 1)) {
		if (tcp_hash[b] < 0)
			return;
	}

	hole = b;
	tcp_hash[hole] = -1;
	for (b = (hole + 1) & (TCP_HASH_SIZE - 1); tcp_hash[b] >= 0;
	     b = (b + 1) & (TCP_HASH_SIZE - 1)) {
		tcp_key_of(&tcp_conns[tcp_hash[b]], &k);
		home = tcp_key_hash(&k);
		/* Move it if its home is not in (hole, b], cyclically */
		if (((b - home) & (TCP_HASH_SIZE - 1)) >=
		    ((b - hole) & (TCP_HASH_SIZE - 1))) {
			tcp_hash[hole] = tcp_hash[b];
			tcp_hash[b] = -1;
			hole = b;
		}
	}
}

/**
 * tcp_conn_alloc() - Take a free connection slot
 *
 * Return: connection, or NULL if the table is full
 */
static struct tcp_conn *tcp_conn_alloc(void)
{
	struct tcp_conn *conn;

	if (!tcp_free_count)
		return NULL;
	conn = &tcp_conns[tcp_free[--tcp_free_count]];
	memset(conn, 0, sizeof(*conn));
	conn->sock = conn->timer = -1;
	conn->flags = TCP_SOCK_PENDING;	/* nothing read from it yet */
	conn->ts_ack = conn->ts_active = tcp_now_ms();
	return conn;
}

/**
 * tcp_isn() - Initial sequence number, RFC 6528
 * @conn:	connection, with its four-tuple set
 *
 * Return: ISN
 */
static uint32_t tcp_isn(const struct tcp_conn *conn)
{
	struct timespec now;
	struct tcp_key k;
	uint64_t us;

	tcp_key_of(conn, &k);
	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
	return (uint32_t)siphash(tcp_secret, &k, sizeof(k)) + (uint32_t)(us / 4);
}

/**
 * tcp_sock_setup() - Options for a connection's socket: peek offset on
 * @conn:	connection, with its socket
 *
 * SO_PEEK_OFF is off (-1) on new sockets: setting it to zero makes every
 * MSG_PEEK start after the bytes previous peeks returned.
 */
static void tcp_sock_setup(const struct tcp_conn *conn)
{
	int zero = 0;

	if (tcp_peek_off_ok &&
	    setsockopt(conn->sock, SOL_SOCKET, SO_PEEK_OFF, &zero,
		       sizeof(zero)))
		debug("TCP: SO_PEEK_OFF: %s", strerror(errno));
}

/**
 * tcp_epoll_ctl() - Register or update a connection's socket with epoll
 * @c:		execution context
 * @conn:	connection
 * @op:		EPOLL_CTL_ADD or EPOLL_CTL_MOD
 */
static void tcp_epoll_ctl(const struct ctx *c, struct tcp_conn *conn, int op)
{
	union epoll_ref ref = { .type = EPOLL_TYPE_TCP,
				.fd = (uint32_t)conn->sock,
				.data = (uint32_t)(conn - tcp_conns) };
	struct epoll_event ev = { .data.u64 = ref.u64 };

	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
	if (conn->epoll_out)
		ev.events |= EPOLLOUT;
	if (epoll_ctl(c->epollfd, op, conn->sock, &ev))
		debug("TCP: epoll_ctl: %s", strerror(errno));
}

/**
 * tcp_want_out() - Watch for EPOLLOUT on a connection's socket, or stop
 * @c:		execution context
 * @conn:	connection
 * @on:		watch if true
 */
static void tcp_want_out(const struct ctx *c, struct tcp_conn *conn, bool on)
{
	if (conn->epoll_out == on)
		return;
	conn->epoll_out = on;
	tcp_epoll_ctl(c, conn, EPOLL_CTL_MOD);
}

/**
 * tcp_timer_arm() - Arm the connection's timer, creating it if needed
 * @c:		execution context
 * @conn:	connection
 * @ms:		timeout in milliseconds
 *
 * Return: 0 on success, -1 if the timer couldn't be created or set
 */
static int tcp_timer_arm(const struct ctx *c, struct tcp_conn *conn, long ms)
{
	struct itimerspec it = { .it_value = { .tv_sec = ms / 1000,
					       .tv_nsec = (ms % 1000) * 1000000 } };

	if (conn->timer < 0) {
		union epoll_ref ref = { .type = EPOLL_TYPE_TCP_TIMER,
					.data = (uint32_t)(conn - tcp_conns) };
		int fd = timerfd_create(CLOCK_MONOTONIC,
					TFD_NONBLOCK | TFD_CLOEXEC);

		if (fd < 0 || fd >= (1 << 24)) {
			debug("TCP: timerfd_create: %s", strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		conn->timer = fd;
		passt_epoll_add(c, fd, EPOLLIN, ref);
	}
	if (timerfd_settime(conn->timer, 0, &it, NULL)) {
		debug("TCP: timerfd_settime: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * tcp_rto_ms() - Current retransmission timeout, with exponential back-off
 * @conn:	connection
 *
 * Return: timeout in milliseconds
 */
static long tcp_rto_ms(const struct tcp_conn *conn)
{
	return (long)TCP_RTO_MS << MIN(conn->retrans, 6);
}

/**
 * tcp_timer_update() - Arm the timer for the earliest thing to check
 * @c:		execution context
 * @conn:	connection
 *
 * One timer per connection serves the handshake timeout, retransmission
 * (data or FIN sent and not acknowledged), the poll of a low window (see
 * tcp_wnd_to_tap()) and the idle timeout.  A timer armed to expire earlier
 * than needed is left alone: its handler checks what is really due and
 * arms it again.  So the timer is set about once per timeout, not on every
 * segment (an exchange of data moves the deadline forward each time).
 */
static void tcp_timer_update(const struct ctx *c, struct tcp_conn *conn)
{
	uint32_t now = tcp_now_ms(), due;
	long ms;

	if (!(conn->events & TCP_ESTABLISHED))
		ms = TCP_SYN_TIMEOUT_MS - (long)(now - conn->ts_active);
	else if (conn->seq_to_tap != conn->seq_ack_from_tap)
		ms = tcp_rto_ms(conn) - (long)(now - conn->ts_ack);
	else
		ms = TCP_IDLE_TIMEOUT_MS - (long)(now - conn->ts_active);

	if (conn->flags & TCP_WND_LOW)
		ms = MIN(ms, TCP_WND_POLL_MS);
	ms = MAX(ms, 1);
	due = now + (uint32_t)ms;

	if ((conn->flags & TCP_TIMER_ARMED) &&
	    (int32_t)(conn->timer_at - due) <= 0)
		return;
	if (tcp_timer_arm(c, conn, ms))
		return;
	conn->timer_at = due;
	conn->flags |= TCP_TIMER_ARMED;
}

/**
 * tcp_frame_take() - Get a frame buffer for the guest, flushing if needed
 * @c:		execution context
 * @data:	true for a data frame, false for a frame without payload
 *
 * Return: start of the payload area; headers go before it
 */
static char *tcp_frame_take(struct ctx *c, bool data)
{
	if (tcp_data_used == TCP_DATA_FRAMES || tcp_ctrl_used == TCP_CTRL_FRAMES)
		tcp_flush(c);
	if (data)
		return tcp_data_buf[tcp_data_used++] + TCP_PAYLOAD_OFF;
	return tcp_ctrl_buf[tcp_ctrl_used++] + TCP_PAYLOAD_OFF;
}

/**
 * tcp_wnd_field() - Window field value for a header
 * @conn:	connection
 * @syn:	the segment carries SYN: the window is not scaled
 *
 * Return: window field, host order
 */
static uint16_t tcp_wnd_field(const struct tcp_conn *conn, bool syn)
{
	if (syn)
		return (uint16_t)MIN(conn->wnd_to_tap, 65535U);
	return (uint16_t)MIN(conn->wnd_to_tap >> conn->ws_to_tap, 65535U);
}

/**
 * tcp_frame_queue() - Fill headers in front of a payload and queue the frame
 * @c:		execution context
 * @conn:	connection
 * @payload:	payload area from tcp_frame_take(), payload already there
 * @len:	payload length
 * @seq:	sequence number
 * @flags:	TH_* flags
 * @opts:	TCP options, padded to 4 bytes, or NULL
 * @optlen:	options length
 */
static void tcp_frame_queue(const struct ctx *c, struct tcp_conn *conn,
			    char *payload, size_t len, uint32_t seq,
			    uint8_t flags, const uint8_t *opts, size_t optlen)
{
	size_t thlen = sizeof(struct tcphdr) + optlen;
	size_t hlen = TAP_L2L3_LEN(conn->af);
	char *l4 = payload - thlen, *frame = l4 - hlen;
	struct tcphdr th = { 0 };
	uint32_t sum;

	th.source = htons(conn->rport);
	th.dest = htons(conn->gport);
	th.seq = htonl(seq);
	th.ack_seq = htonl((flags & TH_ACK) ? conn->seq_from_tap : 0);
	if (flags & TH_ACK)
		conn->seq_ack_to_tap = conn->seq_from_tap;
	th.doff = (uint16_t)(thlen / 4);
	th.fin = !!(flags & TH_FIN);
	th.syn = !!(flags & TH_SYN);
	th.rst = !!(flags & TH_RST);
	th.psh = !!(flags & TH_PSH);
	th.ack = !!(flags & TH_ACK);
	th.window = htons(tcp_wnd_field(conn, flags & TH_SYN));
	memcpy(l4, &th, sizeof(th));
	if (optlen)
		memcpy(l4 + sizeof(th), opts, optlen);

	tap_l2l3_hdr(c, frame, conn->af, &conn->raddr, &conn->gaddr,
		     IPPROTO_TCP, thlen + len);
	if (conn->af == AF_INET) {
		struct in_addr s, d;

		memcpy(&s, &conn->raddr, sizeof(s));
		memcpy(&d, &conn->gaddr, sizeof(d));
		sum = csum_pseudo4(s, d, IPPROTO_TCP, thlen + len);
	} else {
		sum = csum_pseudo6(&conn->raddr, &conn->gaddr, IPPROTO_TCP,
				   thlen + len);
	}
	if (tap_offload(c))
		th.check = csum_partial_field(sum);
	else
		th.check = csum(l4, thlen + len, sum);
	memcpy(l4 + offsetof(struct tcphdr, check), &th.check,
	       sizeof(th.check));

	tcp_out_gso[tcp_out_count] = len > conn->mss ? conn->mss : 0;
	tcp_out[tcp_out_count].iov_base = frame;
	tcp_out[tcp_out_count++].iov_len = hlen + thlen + len;
}

/**
 * tcp_sock_wnd() - Window the socket can absorb from the guest
 * @conn:	connection
 * @cap:	if not NULL, set to the window of an empty send buffer
 * @fresh:	read the socket's state even if the estimate is good enough
 *
 * Reading the buffer size and the queue takes two system calls: while the
 * queue we estimate (the one last read, plus what we wrote since) fills
 * less than half of the buffer, the estimate serves.  It can only be too
 * large, as the peer acknowledges data: the window, too small, is safe.
 *
 * Return: bytes the guest may send without overrunning the send buffer
 */
static uint32_t tcp_sock_wnd(struct tcp_conn *conn, uint32_t *cap, bool fresh)
{
	socklen_t sl = sizeof(int);
	int sndbuf = 0, outq = 0;

	if (cap)
		*cap = 0;
	if (conn->events & TCP_TAP_FIN_RCVD)
		return 0;

	if (fresh || !conn->sock_full || conn->sock_outq >= conn->sock_full / 2) {
		if (getsockopt(conn->sock, SOL_SOCKET, SO_SNDBUF, &sndbuf,
			       &sl) ||
		    ioctl(conn->sock, SIOCOUTQ, &outq) || sndbuf <= 0 ||
		    outq < 0)
			return 0;

		/* SO_SNDBUF counts skb overhead too, small for the large
		 * skbs TCP builds from our writes: 7/8 of it is payload.
		 * Filling the buffer beyond the 2/3 the kernel calls
		 * writable is what makes it grow.
		 */
		conn->sock_full = MIN((uint32_t)sndbuf / 8 * 7, TCP_WND_MAX);
		conn->sock_outq = (uint32_t)outq;
	}

	if (cap)
		*cap = conn->sock_full;
	if (conn->sock_outq >= conn->sock_full)
		return 0;
	return conn->sock_full - conn->sock_outq;
}

/**
 * tcp_wnd_to_tap() - Window to announce, and watch the socket if it's low
 * @c:		execution context
 * @conn:	connection
 *
 * A window below the guest's MSS stops its sending side: unless we tell
 * it when the socket drains, it waits for its persist timer (200 ms or
 * more).  The kernel wakes EPOLLOUT only if it found the socket unwritable,
 * which a window well below the buffer size doesn't mean: so while the
 * window is below half of an empty buffer's, both EPOLLOUT and a short
 * timer lead to tcp_sock_drained(), which sends a window update once the
 * window has grown.
 */
static void tcp_wnd_to_tap(const struct ctx *c, struct tcp_conn *conn)
{
	uint32_t cap;

	/* Announce whole units of the window scale, or the guest sees zero */
	conn->wnd_to_tap = tcp_sock_wnd(conn, &cap, false) >> conn->ws_to_tap <<
			   conn->ws_to_tap;
	if (conn->wnd_to_tap < cap / 2 && (conn->events & TCP_ESTABLISHED) &&
	    !(conn->events & TCP_TAP_FIN_RCVD) &&
	    !(conn->flags & TCP_WND_LOW)) {
		conn->flags |= TCP_WND_LOW;
		tcp_want_out(c, conn, true);
		tcp_timer_update(c, conn);
	}
}

/**
 * tcp_ack_sent() - Note that a frame to the guest acknowledged all we took
 * @conn:	connection
 *
 * A delayed ACK queued before is then stale: the next short segment from
 * the guest gets a wait of its own, not what is left of this one.
 */
static void tcp_ack_sent(struct tcp_conn *conn)
{
	conn->flags &= (uint8_t)~(TCP_ACK_DUE | TCP_ACK_DELAYED);
}

/**
 * tcp_send_ctrl() - Queue a frame without payload: ACK, SYN, FIN, RST
 * @c:		execution context
 * @conn:	connection
 * @flags:	TH_* flags
 */
static void tcp_send_ctrl(struct ctx *c, struct tcp_conn *conn, uint8_t flags)
{
	uint8_t opts[TCP_OPT_LEN_MAX];
	size_t optlen = 0;
	uint32_t seq = conn->seq_to_tap;
	char *p;

	if (!(flags & TH_RST))
		tcp_wnd_to_tap(c, conn);

	if (flags & TH_SYN) {
		int mtu = c->mtu ? c->mtu : TAP_MTU_MAX;
		uint16_t mss = (uint16_t)(mtu - (conn->af == AF_INET ? 20 : 40) -
					  (int)sizeof(struct tcphdr));

		seq--;	/* SYN is before the first byte */
		opts[optlen++] = TCPOPT_MAXSEG;
		opts[optlen++] = TCPOLEN_MAXSEG;
		opts[optlen++] = (uint8_t)(mss >> 8);
		opts[optlen++] = (uint8_t)mss;
		if (conn->ws_to_tap || (conn->events & TCP_SOCK_ACCEPTED)) {
			opts[optlen++] = TCPOPT_NOP;
			opts[optlen++] = TCPOPT_WINDOW;
			opts[optlen++] = TCPOLEN_WINDOW;
			opts[optlen++] = TCP_WS_TO_TAP;
		}
	}
	if (flags & TH_FIN)
		seq = conn->seq_to_tap - 1;

	p = tcp_frame_take(c, false);
	tcp_frame_queue(c, conn, p, 0, seq, flags, opts, optlen);
	tcp_ack_sent(conn);
}

/**
 * tcp_send_dup_acks() - Queue duplicate ACKs: same number, same window
 * @c:		execution context
 * @conn:	connection
 * @n:		how many
 *
 * The guest counts an ACK as a duplicate only if nothing changed, window
 * included: so the window isn't recomputed, unlike in tcp_send_ctrl().
 */
static void tcp_send_dup_acks(struct ctx *c, struct tcp_conn *conn, int n)
{
	while (n-- > 0) {
		char *p = tcp_frame_take(c, false);

		tcp_frame_queue(c, conn, p, 0, conn->seq_to_tap, TH_ACK,
				NULL, 0);
	}
}

/**
 * tcp_us() - Microseconds of a time of the event loop's clock
 * @ts:		time, CLOCK_MONOTONIC
 *
 * Return: microseconds
 */
static uint64_t tcp_us(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000 + (uint64_t)ts->tv_nsec / 1000;
}

/**
 * tcp_ack_delay() - Let the ACK of a short segment wait for data to carry it
 * @c:		execution context
 * @conn:	connection, with TCP_ACK_DUE set
 * @now:	current time, CLOCK_MONOTONIC
 *
 * A request from the guest is usually followed by the reply within a
 * fraction of a millisecond: the reply's first segment then acknowledges
 * the request, and the pure ACK, a frame and a system call, is saved.  The
 * wait is far below any delayed ACK timeout a guest expects (RFC 9293,
 * 3.8.6.3, allows 500 ms).  If the queue is full, the ACK goes at once.
 */
static void tcp_ack_delay(struct ctx *c, struct tcp_conn *conn,
			  const struct timespec *now)
{
	struct tcp_ack_wait *w;

	if (conn->flags & TCP_ACK_DELAYED)
		return;	/* unacknowledged data waits already, for less */
	if (tcp_ack_waits_count == TCP_ACK_DELAYED_MAX) {
		tcp_send_ctrl(c, conn, TH_ACK);
		return;
	}
	w = &tcp_ack_waits[(tcp_ack_waits_head + tcp_ack_waits_count++) %
			   TCP_ACK_DELAYED_MAX];
	w->idx = (uint32_t)(conn - tcp_conns);
	w->gen = ++conn->ack_gen;
	w->due = tcp_us(now) + TCP_ACK_DELAY_US;
	conn->flags |= TCP_ACK_DELAYED;
}

/**
 * tcp_ack_delayed() - Send the delayed ACKs that are due, if no data did
 * @c:		execution context
 * @now:	current time, CLOCK_MONOTONIC
 *
 * Return: milliseconds until the next one is due, -1 if none waits
 */
long tcp_ack_delayed(struct ctx *c, const struct timespec *now)
{
	uint64_t t = tcp_us(now);

	while (tcp_ack_waits_count) {
		struct tcp_ack_wait *w = &tcp_ack_waits[tcp_ack_waits_head];
		struct tcp_conn *conn = &tcp_conns[w->idx];

		if (w->due > t)
			return (long)DIV_ROUND_UP(w->due - t, 1000);

		tcp_ack_waits_head = (tcp_ack_waits_head + 1) %
				     TCP_ACK_DELAYED_MAX;
		tcp_ack_waits_count--;
		/* A slot closed, even reused since, has the flag cleared */
		if (conn->sock < 0 || !(conn->flags & TCP_ACK_DELAYED) ||
		    w->gen != conn->ack_gen)
			continue;
		conn->flags &= (uint8_t)~TCP_ACK_DELAYED;
		if (conn->flags & TCP_ACK_DUE)
			tcp_send_ctrl(c, conn, TH_ACK);
	}
	return -1;
}

/**
 * tcp_rst_to_guest_unknown() - Refuse a segment that matches no connection
 * @c:		execution context
 * @af:		address family
 * @saddr:	guest's address
 * @daddr:	remote address
 * @seg:	the segment
 */
static void tcp_rst_to_guest_unknown(struct ctx *c, int af, const void *saddr,
				     const void *daddr,
				     const struct tcp_seg *seg)
{
	struct tcp_conn tmp = { .af = (uint8_t)af };
	uint8_t flags = TH_RST;
	size_t alen = af == AF_INET ? 4 : 16;
	char *p;

	if (seg->flags & TH_RST)
		return;
	memcpy(&tmp.gaddr, saddr, alen);
	memcpy(&tmp.raddr, daddr, alen);
	tmp.gport = ntohs(seg->th.source);
	tmp.rport = ntohs(seg->th.dest);

	/* RFC 9293, 3.10.7.1: RST takes its sequence from the ACK, if any */
	if (seg->flags & TH_ACK) {
		tmp.seq_to_tap = seg->ack;
	} else {
		flags |= TH_ACK;
		tmp.seq_from_tap = seg->seq + (uint32_t)seg->len +
				   !!(seg->flags & TH_SYN) +
				   !!(seg->flags & TH_FIN);
	}
	p = tcp_frame_take(c, false);
	tcp_frame_queue(c, &tmp, p, 0, tmp.seq_to_tap, flags, NULL, 0);
}

/**
 * tcp_conn_close() - Close a connection and free its slot
 * @c:		execution context
 * @conn:	connection
 * @rst:	reset the host side (SO_LINGER with zero timeout) instead of
 *		closing it gracefully
 */
static void tcp_conn_close(const struct ctx *c, struct tcp_conn *conn,
			   bool rst)
{
	(void)c;
	if (rst && conn->sock >= 0) {
		struct linger l = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(conn->sock, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	}
	if (conn->sock >= 0)
		close(conn->sock);
	if (conn->timer >= 0)
		close(conn->timer);
	tcp_hash_remove(conn);
	conn->sock = conn->timer = -1;
	tcp_free[tcp_free_count++] = (uint32_t)(conn - tcp_conns);
}

/**
 * tcp_rst() - Reset a connection on both sides
 * @c:		execution context
 * @conn:	connection
 */
static void tcp_rst(struct ctx *c, struct tcp_conn *conn)
{
	tcp_send_ctrl(c, conn, TH_RST | TH_ACK);
	tcp_conn_close(c, conn, true);
}

/**
 * tcp_seg_parse() - Parse a segment from the guest, checking every length
 * @p:		pool of segments (TCP header and payload)
 * @idx:	index of the segment
 * @seg:	parsed segment
 *
 * Return: 0 on success, -1 if malformed
 */
static int tcp_seg_parse(const struct pool *p, size_t idx, struct tcp_seg *seg)
{
	size_t len = packet_len(p, idx), doff;
	const char *h = packet_get(p, idx, 0, sizeof(struct tcphdr), NULL);

	if (!h)
		return -1;
	memcpy(&seg->th, h, sizeof(seg->th));
	doff = (size_t)seg->th.doff * 4;
	if (doff < sizeof(struct tcphdr) || doff > len)
		return -1;

	seg->flags = (uint8_t)h[13];
	seg->seq = ntohl(seg->th.seq);
	seg->ack = ntohl(seg->th.ack_seq);
	seg->wnd = ntohs(seg->th.window);
	seg->opts = (const uint8_t *)h + sizeof(struct tcphdr);
	seg->optlen = doff - sizeof(struct tcphdr);
	seg->payload = packet_get(p, idx, doff, len - doff, NULL);
	seg->len = len - doff;
	return seg->payload ? 0 : -1;
}

/**
 * tcp_opt_get() - Find an option in a SYN from the guest
 * @seg:	segment
 * @kind:	option kind
 * @olen:	expected option length, including kind and length bytes
 *
 * Return: pointer to the option's data (after kind and length), or NULL
 */
static const uint8_t *tcp_opt_get(const struct tcp_seg *seg, uint8_t kind,
				  uint8_t olen)
{
	size_t i = 0;

	while (i < seg->optlen) {
		uint8_t k = seg->opts[i];

		if (k == TCPOPT_EOL)
			return NULL;
		if (k == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= seg->optlen || seg->opts[i + 1] < 2 ||
		    seg->opts[i + 1] > seg->optlen - i)
			return NULL;
		if (k == kind)
			return seg->opts[i + 1] == olen ? seg->opts + i + 2 :
							  NULL;
		i += seg->opts[i + 1];
	}
	return NULL;
}

/**
 * tcp_syn_opts() - Take MSS and window scaling from the guest's SYN
 * @conn:	connection
 * @seg:	SYN or SYN-ACK from the guest
 */
static void tcp_syn_opts(struct tcp_conn *conn, const struct tcp_seg *seg)
{
	const uint8_t *o;

	conn->mss = conn->af == AF_INET ? TCP_MSS_DEFAULT4 : TCP_MSS_DEFAULT6;
	o = tcp_opt_get(seg, TCPOPT_MAXSEG, TCPOLEN_MAXSEG);
	if (o && (o[0] << 8 | o[1]) >= 64)
		conn->mss = (uint16_t)(o[0] << 8 | o[1]);
	conn->mss = (uint16_t)MIN(conn->mss, TCP_PAYLOAD_MAX);

	o = tcp_opt_get(seg, TCPOPT_WINDOW, TCPOLEN_WINDOW);
	if (o) {
		conn->ws_from_tap = (uint8_t)MIN(o[0], 14);
		conn->ws_to_tap = TCP_WS_TO_TAP;
	} else {
		conn->ws_from_tap = conn->ws_to_tap = 0;
	}
	conn->wnd_from_tap = seg->wnd;	/* never scaled in a SYN */
}

/**
 * tcp_sockaddr() - Build a socket address
 * @af:		address family
 * @addr:	address (in_addr or in6_addr)
 * @port:	port, host order
 * @scope:	interface for link-local IPv6 addresses
 * @sa:		filled in
 *
 * Return: length of the address
 */
static socklen_t tcp_sockaddr(int af, const void *addr, uint16_t port,
			      unsigned int scope, struct sockaddr_storage *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (af == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)sa;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		memcpy(&a->sin_addr, addr, sizeof(a->sin_addr));
		return sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)sa;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		memcpy(&a->sin6_addr, addr, sizeof(a->sin6_addr));
		if (IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr))
			a->sin6_scope_id = scope;
		return sizeof(*a);
	}
}

/**
 * tcp_bind_outbound() - Bind an outbound socket as -o and --outbound-if ask
 * @c:		execution context
 * @conn:	connection, with its socket
 *
 * Return: 0 on success, -1 on failure
 */
static int tcp_bind_outbound(const struct ctx *c, const struct tcp_conn *conn)
{
	const char *ifname;
	const void *addr = fwd_outbound(c, conn->af, &ifname);
	struct sockaddr_storage sa;
	socklen_t sl;

	if (ifname && setsockopt(conn->sock, SOL_SOCKET, SO_BINDTODEVICE,
				 ifname, (socklen_t)strlen(ifname) + 1)) {
		debug("TCP: can't bind to %s: %s", ifname, strerror(errno));
		return -1;
	}
	if (!addr)
		return 0;

	sl = tcp_sockaddr(conn->af, addr, 0, c->ifi6, &sa);
	if (bind(conn->sock, (struct sockaddr *)&sa, sl)) {
		debug("TCP: can't bind outbound address: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * tcp_conn_from_tap() - A SYN from the guest: connect out
 * @c:		execution context
 * @af:		address family
 * @saddr:	guest's address
 * @daddr:	destination address, as the guest sent it
 * @seg:	the SYN
 */
static void tcp_conn_from_tap(struct ctx *c, int af, const void *saddr,
			      const void *daddr, const struct tcp_seg *seg)
{
	size_t alen = af == AF_INET ? 4 : 16;
	struct sockaddr_storage sa;
	union { struct in_addr a4; struct in6_addr a6; } dst;
	struct tcp_conn *conn;
	socklen_t sl;
	int s;

	conn = tcp_conn_alloc();
	if (!conn) {
		debug("TCP: connection table full, refusing");
		tcp_rst_to_guest_unknown(c, af, saddr, daddr, seg);
		return;
	}

	conn->af = (uint8_t)af;
	memcpy(&conn->gaddr, saddr, alen);
	memcpy(&conn->raddr, daddr, alen);
	conn->gport = ntohs(seg->th.source);
	conn->rport = ntohs(seg->th.dest);
	conn->seq_from_tap = seg->seq + 1;
	tcp_syn_opts(conn, seg);
	conn->seq_to_tap = tcp_isn(conn) + 1;	/* SYN takes one */
	conn->seq_ack_from_tap = conn->seq_to_tap;
	conn->events = TCP_TAP_SYN_RCVD;
	tcp_hash_insert(conn);

	fwd_nat_from_guest(c, af, daddr, conn->rport, &dst);
	s = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (s < 0 || s >= (1 << 24)) {
		debug("TCP: socket: %s", strerror(errno));
		if (s >= 0)
			close(s);
		tcp_rst(c, conn);
		return;
	}
	conn->sock = s;
	if (tcp_bind_outbound(c, conn)) {
		tcp_rst(c, conn);
		return;
	}

	sl = tcp_sockaddr(af, &dst, conn->rport, c->ifi6, &sa);
	if (connect(s, (struct sockaddr *)&sa, sl) && errno != EINPROGRESS) {
		debug("TCP: connect: %s", strerror(errno));
		tcp_rst(c, conn);
		return;
	}

	tcp_sock_setup(conn);
	conn->epoll_out = 1;	/* connection completes on EPOLLOUT */
	tcp_epoll_ctl(c, conn, EPOLL_CTL_ADD);
	tcp_timer_update(c, conn);
}

/**
 * tcp_frame_size() - Payload of each data frame to the guest
 * @c:		execution context
 * @conn:	connection
 *
 * Where the kernel of the namespace takes frames to segment (tap_offload()),
 * one frame carries as many whole segments as an IP packet holds: a write,
 * a header and one pass through its stack for up to 64 KiB, at any MTU.
 *
 * Return: payload bytes, a multiple of the MSS
 */
static size_t tcp_frame_size(const struct ctx *c, const struct tcp_conn *conn)
{
	size_t mss = conn->mss ? conn->mss : 1;

	if (!tap_offload(c) || mss * 2 > TCP_GSO_MAX)
		return mss;
	return TCP_GSO_MAX / mss * mss;
}

/**
 * tcp_data_from_sock() - Peek new data from the socket into frames
 * @c:		execution context
 * @conn:	connection, established
 *
 * Sends as much as the guest's window allows, in segments of the guest's
 * MSS, starting after what was already sent and not yet acknowledged.
 *
 * The socket's events are edge-triggered: whatever arrives after a read
 * signals again, so a read that returns less than asked means the queue is
 * empty, and we stop there without another read to see EAGAIN.  Except at
 * the end of the stream: it shows only as a read returning nothing.  If we
 * stop for the guest's window instead, TCP_SOCK_PENDING says so: the
 * guest's next ACK resumes reading.
 */
static void tcp_data_from_sock(struct ctx *c, struct tcp_conn *conn)
{
	size_t fsz = tcp_frame_size(c, conn);
	struct iovec iov[TCP_DATA_FRAMES + 1];
	char *payload[TCP_DATA_FRAMES];

	conn->flags |= TCP_SOCK_PENDING;
	while (!(conn->events & TCP_TAP_FIN_SENT) && conn->sock >= 0) {
		uint32_t inflight = conn->seq_to_tap - conn->seq_ack_from_tap;
		struct msghdr mh = { .msg_iov = iov };
		size_t avail, i, n_frames, skip = 0, asked = 0, got;
		ssize_t n;

		if (inflight >= conn->wnd_from_tap)
			return;
		avail = conn->wnd_from_tap - inflight;

		if (!tcp_peek_off_ok) {
			if (inflight >= TCP_DISCARD_MAX)
				return;
			iov[0].iov_base = tcp_discard;
			iov[0].iov_len = inflight;
			skip = 1;
		}

		if (tcp_data_used == TCP_DATA_FRAMES)
			tcp_flush(c);
		n_frames = MIN(DIV_ROUND_UP(avail, fsz),
			       (size_t)(TCP_DATA_FRAMES - tcp_data_used));
		for (i = 0; i < n_frames; i++) {
			payload[i] = tcp_data_buf[tcp_data_used + i] +
				     TCP_PAYLOAD_OFF;
			iov[skip + i].iov_base = payload[i];
			iov[skip + i].iov_len = MIN(fsz, avail - i * fsz);
			asked += iov[skip + i].iov_len;
		}
		mh.msg_iovlen = skip + n_frames;

		n = recvmsg(conn->sock, &mh, MSG_PEEK | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN)
				conn->flags &= (uint8_t)~TCP_SOCK_PENDING;
			else if (errno != EINTR)
				tcp_rst(c, conn);
			return;
		}
		if (skip)
			n -= (ssize_t)inflight;
		if (n <= 0) {
			/* End of stream.  Without a peek offset, it shows as
			 * no new data: trust it only once all was acked
			 */
			if (n == 0 && (!skip || !inflight)) {
				conn->flags &= (uint8_t)~TCP_SOCK_PENDING;
				conn->events |= TCP_SOCK_FIN_RCVD |
						TCP_TAP_FIN_SENT;
				conn->seq_to_tap++;
				tcp_send_ctrl(c, conn, TH_FIN | TH_ACK);
				if (!inflight)
					conn->ts_ack = tcp_now_ms();
				tcp_timer_update(c, conn);
			}
			return;
		}

		got = (size_t)n;
		tcp_wnd_to_tap(c, conn);
		for (i = 0; n > 0; i++) {
			size_t len = MIN((size_t)n, fsz);
			uint8_t flags = TH_ACK;

			if ((size_t)n == len)
				flags |= TH_PSH;
			tcp_data_used++;
			/* n is at most what the iov holds: payload[i] set */
			/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
			tcp_frame_queue(c, conn, payload[i], len,
					conn->seq_to_tap, flags, NULL, 0);
			conn->seq_to_tap += (uint32_t)len;
			n -= (ssize_t)len;
		}
		tcp_ack_sent(conn);
		if (!inflight) {
			conn->ts_ack = tcp_now_ms();
			tcp_timer_update(c, conn);
		}
		if (got < asked && !(conn->flags & TCP_SOCK_HUP)) {
			conn->flags &= (uint8_t)~TCP_SOCK_PENDING;
			return;
		}
	}
}

/**
 * tcp_discard_acked() - Drop acknowledged bytes from the socket's queue
 * @conn:	connection
 * @len:	bytes the guest acknowledged
 *
 * A read may return less than asked while the kernel moves segments from
 * its backlog to the queue: loop, or the peek offset and our sequence
 * numbers would no longer match.  Acknowledged bytes can't wait in the
 * queue to be dropped in batches: they may pin far more memory than their
 * size (the tail of a large segment holds all of it), the window the peer
 * sees closes, and a download stalls for good.
 */
static void tcp_discard_acked(const struct tcp_conn *conn, uint32_t len)
{
	while (len) {
		ssize_t n = recv(conn->sock, NULL, len,
				 MSG_TRUNC | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			debug("TCP: %u acknowledged bytes not in the queue", len);
			return;
		}
		len -= (uint32_t)n;
	}
}

/**
 * tcp_rewind() - Send again from the last byte the guest acknowledged
 * @c:		execution context
 * @conn:	connection
 */
static void tcp_rewind(struct ctx *c, struct tcp_conn *conn)
{
	if ((conn->events & TCP_TAP_FIN_SENT) &&
	    conn->seq_to_tap != conn->seq_ack_from_tap) {
		conn->events &= (uint8_t)~(TCP_TAP_FIN_SENT | TCP_SOCK_FIN_RCVD);
	}
	conn->seq_to_tap = conn->seq_ack_from_tap;
	tcp_sock_setup(conn);
	tcp_data_from_sock(c, conn);
}

/**
 * tcp_ack_from_tap() - Process the ACK field and window of a guest segment
 * @c:		execution context
 * @conn:	connection, established
 * @seg:	segment with ACK set
 * @dup_ok:	the segment may count as a duplicate ACK (no data, no FIN)
 */
static void tcp_ack_from_tap(struct ctx *c, struct tcp_conn *conn,
			     const struct tcp_seg *seg, bool dup_ok)
{
	uint32_t wnd = (uint32_t)seg->wnd << conn->ws_from_tap;
	uint32_t ack = seg->ack;

	if (tcp_seq_lt(conn->seq_ack_from_tap, ack) &&
	    tcp_seq_le(ack, conn->seq_to_tap)) {
		uint32_t acked = ack - conn->seq_ack_from_tap;

		/* A FIN we sent takes one sequence number, but no data */
		if ((conn->events & TCP_TAP_FIN_SENT) &&
		    ack == conn->seq_to_tap)
			acked--;
		tcp_discard_acked(conn, acked);
		conn->seq_ack_from_tap = ack;
		conn->retrans = 0;
		conn->dup_acks = 0;
		conn->ts_ack = tcp_now_ms();
		tcp_timer_update(c, conn);
	} else if (ack == conn->seq_ack_from_tap && dup_ok &&
		   wnd == conn->wnd_from_tap &&
		   conn->seq_to_tap != conn->seq_ack_from_tap) {
		if (++conn->dup_acks == TCP_DUP_ACKS) {
			conn->wnd_from_tap = wnd;
			tcp_rewind(c, conn);
			return;
		}
	}
	conn->wnd_from_tap = wnd;
}

/**
 * tcp_conn_done() - Close the connection if both directions are finished
 * @c:		execution context
 * @conn:	connection
 *
 * If the guest's FIN was the last thing, its ACK is still to be sent: send
 * it first, or the guest retransmits the FIN until it times out.
 *
 * Return: true if the connection was closed
 */
static bool tcp_conn_done(struct ctx *c, struct tcp_conn *conn)
{
	if ((conn->events & TCP_TAP_FIN_RCVD) &&
	    (conn->events & TCP_TAP_FIN_SENT) &&
	    conn->seq_ack_from_tap == conn->seq_to_tap) {
		if (conn->flags & TCP_ACK_DUE)
			tcp_send_ctrl(c, conn, TH_ACK);
		tcp_conn_close(c, conn, false);
		return true;
	}
	return false;
}

/**
 * tcp_write_from_tap() - Write in-sequence payloads of a batch to the socket
 * @c:		execution context
 * @conn:	connection, established
 * @segs:	parsed segments of the batch
 * @n:		number of segments
 * @ooo:	incremented for each segment beyond a gap (after a loss)
 *
 * Segments may overlap what was already written, or come out of order:
 * only bytes from the next expected sequence number on are taken, gathered
 * from whichever segment holds them.  A FIN is honoured once every byte
 * before it was written.
 *
 * Return: -1 if the connection was reset, 0 otherwise
 */
static int tcp_write_from_tap(struct ctx *c, struct tcp_conn *conn,
			      const struct tcp_seg *segs, size_t n, int *ooo)
{
	struct iovec iov[TAP_SEQ_BATCH];
	struct msghdr mh = { .msg_iov = iov };
	uint32_t next = conn->seq_from_tap;
	size_t total = 0, k = 0, i;
	bool fin = false, progress = true;
	ssize_t w = 0;

	while (progress && k < ARRAY_SIZE(iov)) {
		progress = false;
		for (i = 0; i < n && k < ARRAY_SIZE(iov); i++) {
			const struct tcp_seg *s = &segs[i];
			uint32_t end = s->seq + (uint32_t)s->len;
			uint32_t off;

			if (!s->len || !tcp_seq_le(s->seq, next) ||
			    !tcp_seq_lt(next, end))
				continue;
			off = next - s->seq;
			iov[k].iov_base = (void *)(uintptr_t)(s->payload + off);
			iov[k++].iov_len = s->len - off;
			total += s->len - off;
			next = end;
			progress = true;
		}
	}

	/* Segments beyond a gap: each one owes the guest a duplicate ACK */
	for (i = 0; i < n; i++) {
		if (segs[i].len && tcp_seq_lt(next, segs[i].seq))
			(*ooo)++;
	}

	/* A FIN right after the last byte we have */
	for (i = 0; i < n && !(conn->events & TCP_TAP_FIN_RCVD); i++) {
		if ((segs[i].flags & TH_FIN) &&
		    segs[i].seq + (uint32_t)segs[i].len == next)
			fin = true;
	}

	if (total) {
		mh.msg_iovlen = k;
		w = sendmsg(conn->sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			debug("TCP: write to socket: %s", strerror(errno));
			tcp_rst(c, conn);
			return -1;
		}
		if (w < 0)
			w = 0;
		conn->seq_from_tap += (uint32_t)w;
		conn->sock_outq += (uint32_t)w;
	}

	if ((size_t)w < total) {
		/* The guest will resend the rest: tell it when it can */
		conn->flags |= TCP_STALLED;
		conn->sock_full = 0;	/* the estimate was wrong: read it */
		tcp_want_out(c, conn, true);
		fin = false;
	}
	if (fin) {
		shutdown(conn->sock, SHUT_WR);
		conn->events |= TCP_TAP_FIN_RCVD;
		conn->seq_from_tap++;
	}
	if (total || fin)
		conn->flags |= TCP_ACK_DUE;
	return 0;
}

/**
 * tcp_data_from_tap() - Handle segments of an established connection
 * @c:		execution context
 * @conn:	connection
 * @p:		pool of segments
 * @start:	first segment to handle
 * @now:	current time, CLOCK_MONOTONIC
 */
static void tcp_data_from_tap(struct ctx *c, struct tcp_conn *conn,
			      const struct pool *p, size_t start,
			      const struct timespec *now)
{
	static struct tcp_seg segs[TAP_SEQ_BATCH];
	uint32_t seq0 = conn->seq_from_tap, taken;
	size_t i, n = 0;
	bool old_data = false;
	int ooo = 0;

	conn->ts_active = tcp_now_ms();
	for (i = start; i < p->count && n < ARRAY_SIZE(segs); i++) {
		struct tcp_seg *s = &segs[n];

		if (tcp_seg_parse(p, i, s)) {
			debug("TCP: malformed segment from guest");
			continue;
		}
		if (s->flags & TH_RST) {
			tcp_conn_close(c, conn, true);
			return;
		}
		if (s->flags & TH_SYN) {
			conn->flags |= TCP_ACK_DUE;	/* retransmitted */
			continue;
		}
		if (s->flags & TH_ACK)
			tcp_ack_from_tap(c, conn, s,
					 !s->len && !(s->flags & TH_FIN));
		if (conn->sock < 0)
			return;	/* reset while rewinding */

		/* Old data, a keep-alive or a zero window probe: RFC 9293,
		 * 3.10.7.4, an unacceptable segment gets an ACK
		 */
		if (tcp_seq_lt(s->seq + (uint32_t)s->len, conn->seq_from_tap) ||
		    (!s->len && tcp_seq_lt(s->seq, conn->seq_from_tap)))
			old_data = true;
		n++;
	}

	if (tcp_write_from_tap(c, conn, segs, n, &ooo))
		return;
	if (old_data || ooo)
		conn->flags |= TCP_ACK_DUE;

	if (tcp_conn_done(c, conn))
		return;
	/* The guest's ACK may have opened the window we stopped at */
	if (conn->flags & TCP_SOCK_PENDING)
		tcp_data_from_sock(c, conn);
	if (conn->sock < 0 || !(conn->flags & TCP_ACK_DUE))
		return;

	/* Only the ACK of a short message, with nothing before it left
	 * unacknowledged, and leaving most of the window open, waits: a
	 * sender with more in flight, or held back by the window, needs its
	 * ACK now, and so does anything unusual
	 */
	taken = conn->seq_from_tap - seq0;
	if (taken && taken < conn->mss && taken <= conn->wnd_to_tap / 2 &&
	    seq0 == conn->seq_ack_to_tap && !old_data && !ooo &&
	    !(conn->flags & (TCP_STALLED | TCP_WND_LOW)) &&
	    !(conn->events & TCP_TAP_FIN_RCVD))
		tcp_ack_delay(c, conn, now);
	else
		tcp_send_ctrl(c, conn, TH_ACK);

	/* RFC 5681, 4.2: an immediate duplicate ACK per out-of-order segment,
	 * so that the guest retransmits the missing one at once
	 */
	if (ooo)
		tcp_send_dup_acks(c, conn, MIN(ooo, TCP_DUP_ACKS));
}

/**
 * tcp_handshake_from_tap() - Segments before the connection is established
 * @c:		execution context
 * @conn:	connection
 * @p:		pool of segments
 *
 * Return: index of the first segment left for the data path, or p->count
 */
static size_t tcp_handshake_from_tap(struct ctx *c, struct tcp_conn *conn,
				     const struct pool *p)
{
	size_t i;

	for (i = 0; i < p->count; i++) {
		struct tcp_seg seg;

		if (tcp_seg_parse(p, i, &seg))
			continue;
		if (seg.flags & TH_RST) {
			tcp_conn_close(c, conn, true);
			return p->count;
		}

		if (conn->events & TCP_SOCK_ACCEPTED) {
			/* We sent a SYN: expect SYN-ACK for it */
			if ((seg.flags & (TH_SYN | TH_ACK)) !=
			    (TH_SYN | TH_ACK) || seg.ack != conn->seq_to_tap)
				continue;
			conn->seq_from_tap = seg.seq + 1;
			tcp_syn_opts(conn, &seg);
			conn->seq_ack_from_tap = seg.ack;
			conn->events |= TCP_ESTABLISHED;
			tcp_send_ctrl(c, conn, TH_ACK);
			tcp_timer_update(c, conn);
			tcp_data_from_sock(c, conn);
			return i + 1;
		}

		/* Outbound: the ACK of our SYN-ACK completes it */
		if (!(conn->events & TCP_SYNACK_SENT))
			continue;
		if ((seg.flags & TH_SYN) && !(seg.flags & TH_ACK)) {
			tcp_send_ctrl(c, conn, TH_SYN | TH_ACK); /* resend */
			continue;
		}
		if (!(seg.flags & TH_ACK) || seg.ack != conn->seq_to_tap)
			continue;
		conn->events |= TCP_ESTABLISHED;
		conn->wnd_from_tap = (uint32_t)seg.wnd << conn->ws_from_tap;
		tcp_timer_update(c, conn);
		return i;	/* may carry data: the data path handles it */
	}
	return p->count;
}

/**
 * tcp_tap_handler() - Segments from the guest, all of one flow
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @saddr:	guest's address
 * @daddr:	destination address
 * @p:		pool of segments: TCP header and payload each
 * @now:	current time
 */
void tcp_tap_handler(struct ctx *c, int af, const void *saddr,
		     const void *daddr, const struct pool *p,
		     const struct timespec *now)
{
	size_t alen = af == AF_INET ? 4 : 16, start;
	struct tcp_conn *conn;
	struct tcp_seg seg;
	struct tcp_key k;

	if (tcp_seg_parse(p, 0, &seg)) {
		debug("TCP: malformed segment from guest");
		return;
	}

	memset(&k, 0, sizeof(k));
	k.af = (uint32_t)af;
	memcpy(&k.gaddr, saddr, alen);
	memcpy(&k.raddr, daddr, alen);
	k.gport = ntohs(seg.th.source);
	k.rport = ntohs(seg.th.dest);
	conn = tcp_lookup(&k);

	if (!conn) {
		if ((seg.flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN)
			tcp_conn_from_tap(c, af, saddr, daddr, &seg);
		else
			tcp_rst_to_guest_unknown(c, af, saddr, daddr, &seg);
		return;
	}

	start = 0;
	if (!(conn->events & TCP_ESTABLISHED)) {
		start = tcp_handshake_from_tap(c, conn, p);
		if (start >= p->count || conn->sock < 0)
			return;
	}
	tcp_data_from_tap(c, conn, p, start, now);
}

/**
 * tcp_connect_finish() - The outbound connect() completed: SYN-ACK the guest
 * @c:		execution context
 * @conn:	connection
 */
static void tcp_connect_finish(struct ctx *c, struct tcp_conn *conn)
{
	socklen_t sl = sizeof(int);
	int err = 0;

	if (getsockopt(conn->sock, SOL_SOCKET, SO_ERROR, &err, &sl) || err) {
		debug("TCP: connect failed: %s", strerror(err));
		tcp_rst(c, conn);
		return;
	}
	conn->events |= TCP_SYNACK_SENT;
	tcp_want_out(c, conn, false);
	tcp_send_ctrl(c, conn, TH_SYN | TH_ACK);
}

/**
 * tcp_sock_drained() - The socket's send buffer may have room again
 * @c:		execution context
 * @conn:	connection, established
 *
 * After a short write, the guest must resend what the socket refused: a
 * window update followed by duplicate ACKs triggers its fast retransmit
 * right away.  After a low window, a window update is enough, once the
 * window grew by a quarter of the buffer (at most 64 KiB) or reached half
 * of it; otherwise keep waiting (the event is edge-triggered, the timer is
 * re-armed by its handler: no busy loop).
 */
static void tcp_sock_drained(struct ctx *c, struct tcp_conn *conn)
{
	uint32_t cap, wnd;

	if (conn->flags & TCP_STALLED) {
		conn->flags &= (uint8_t)~(TCP_STALLED | TCP_WND_LOW);
		tcp_want_out(c, conn, false);
		tcp_send_ctrl(c, conn, TH_ACK);
		tcp_send_dup_acks(c, conn, TCP_DUP_ACKS);
		return;
	}
	if (!(conn->flags & TCP_WND_LOW))
		return;

	wnd = tcp_sock_wnd(conn, &cap, true);
	if (wnd < cap / 2 && wnd < conn->wnd_to_tap + MIN(cap / 4, 65536U))
		return;
	conn->flags &= (uint8_t)~TCP_WND_LOW;
	tcp_want_out(c, conn, false);
	tcp_send_ctrl(c, conn, TH_ACK);
}

/**
 * tcp_sock_handler() - Events on a connection's socket
 * @c:		execution context
 * @ref:	epoll reference: connection index in data
 * @events:	epoll events
 * @now:	current time
 */
void tcp_sock_handler(struct ctx *c, union epoll_ref ref, uint32_t events,
		      const struct timespec *now)
{
	struct tcp_conn *conn;

	(void)now;
	if (ref.data >= TCP_CONN_MAX)
		return;
	conn = &tcp_conns[ref.data];
	if (conn->sock != (int)ref.fd)
		return;	/* closed since the event was queued */

	if (!(conn->events & TCP_ESTABLISHED)) {
		if (events & (EPOLLERR | EPOLLHUP)) {
			debug("TCP: connection failed before it was established");
			tcp_rst(c, conn);
			return;
		}
		if ((conn->events & TCP_TAP_SYN_RCVD) &&
		    !(conn->events & TCP_SYNACK_SENT) && (events & EPOLLOUT))
			tcp_connect_finish(c, conn);
		return;
	}

	if (events & EPOLLERR) {
		tcp_rst(c, conn);
		return;
	}

	conn->ts_active = tcp_now_ms();
	if (events & (EPOLLRDHUP | EPOLLHUP))
		conn->flags |= TCP_SOCK_HUP;
	if (events & EPOLLOUT)
		tcp_sock_drained(c, conn);

	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
		tcp_data_from_sock(c, conn);
	if (conn->sock >= 0)
		tcp_conn_done(c, conn);
}

/**
 * tcp_timer_handler() - A connection's timer expired: check what is due
 * @c:		execution context
 * @ref:	epoll reference: connection index in data
 */
void tcp_timer_handler(struct ctx *c, union epoll_ref ref)
{
	struct tcp_conn *conn;
	uint32_t now;
	uint64_t exp;

	if (ref.data >= TCP_CONN_MAX)
		return;
	conn = &tcp_conns[ref.data];
	if (conn->timer != (int)ref.fd)
		return;
	if (read(conn->timer, &exp, sizeof(exp)) < 0)
		return;	/* re-armed meanwhile */
	conn->flags &= (uint8_t)~TCP_TIMER_ARMED;

	now = tcp_now_ms();
	if (!(conn->events & TCP_ESTABLISHED)) {
		if ((long)(now - conn->ts_active) < TCP_SYN_TIMEOUT_MS) {
			tcp_timer_update(c, conn);
			return;
		}
		debug("TCP: handshake timed out");
		tcp_rst(c, conn);
		return;
	}

	if (conn->flags & TCP_WND_LOW)
		tcp_sock_drained(c, conn);

	if (conn->seq_to_tap != conn->seq_ack_from_tap) {
		if ((long)(now - conn->ts_ack) >= tcp_rto_ms(conn)) {
			if (++conn->retrans > TCP_RETRANS_MAX) {
				debug("TCP: too many retransmissions, reset");
				tcp_rst(c, conn);
				return;
			}
			conn->ts_ack = now;
			tcp_rewind(c, conn);
			if (conn->sock < 0)
				return;
		}
	} else if ((long)(now - conn->ts_active) >= TCP_IDLE_TIMEOUT_MS) {
		debug("TCP: idle connection closed");
		tcp_rst(c, conn);
		return;
	}
	tcp_timer_update(c, conn);
}

/**
 * tcp_listen_handler() - Accept connections on a forwarding listener
 * @c:		execution context
 * @ref:	epoll reference: port in the low 16 bits of data, side (host,
 *		or namespace for pasta's -T) in bit 16
 * @now:	current time
 */
void tcp_listen_handler(struct ctx *c, union epoll_ref ref,
			const struct timespec *now)
{
	uint16_t port = (uint16_t)ref.data;
	int side = (int)(ref.data >> 16) & 1;
	struct sockaddr_storage sa;

	(void)now;
	for (;;) {
		socklen_t sl = sizeof(sa);
		union { struct in_addr a4; struct in6_addr a6; } src, gsrc,
								gdst;
		struct tcp_conn *conn;
		int s, af;

		s = accept4((int)ref.fd, (struct sockaddr *)&sa, &sl,
			    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (s < 0)
			return;

		/* pasta: loopback connections, and every connection from the
		 * namespace's side, bypass the tap device
		 */
		if (c->mode == MODE_PASTA && !c->no_splice &&
		    tcp_splice_conn_from_sock(c, side, port, s, &sa))
			continue;
		if (side == TCP_SIDE_NS) {
			close(s);
			continue;
		}

		/* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign) */
		af = sa.ss_family;	/* filled by accept4() */
		if (af == AF_INET)
			src.a4 = ((struct sockaddr_in *)&sa)->sin_addr;
		else
			src.a6 = ((struct sockaddr_in6 *)&sa)->sin6_addr;

		conn = s < (1 << 24) ? tcp_conn_alloc() : NULL;
		if (!conn || fwd_nat_to_guest(c, af, &src, &gsrc, &gdst)) {
			struct linger l = { .l_onoff = 1, .l_linger = 0 };

			debug("TCP: can't forward connection, resetting");
			if (conn) {
				tcp_free[tcp_free_count++] =
					(uint32_t)(conn - tcp_conns);
			}
			setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
			close(s);
			continue;
		}

		conn->af = (uint8_t)af;
		conn->sock = s;
		memcpy(&conn->raddr, &gsrc, af == AF_INET ? 4 : 16);
		memcpy(&conn->gaddr, &gdst, af == AF_INET ? 4 : 16);
		conn->rport = ntohs(af == AF_INET ?
				    ((struct sockaddr_in *)&sa)->sin_port :
				    ((struct sockaddr_in6 *)&sa)->sin6_port);
		conn->gport = fwd_port_dest(&c->tcp_in, port);
		conn->mss = af == AF_INET ? TCP_MSS_DEFAULT4 : TCP_MSS_DEFAULT6;
		conn->events = TCP_SOCK_ACCEPTED;
		conn->seq_to_tap = tcp_isn(conn) + 1;
		conn->seq_ack_from_tap = conn->seq_to_tap - 1;
		conn->ws_to_tap = TCP_WS_TO_TAP;
		tcp_hash_insert(conn);
		tcp_sock_setup(conn);
		tcp_epoll_ctl(c, conn, EPOLL_CTL_ADD);
		tcp_send_ctrl(c, conn, TH_SYN);
		tcp_timer_update(c, conn);
	}
}

/**
 * tcp_ephemeral_min() - Lowest port of the kernel's ephemeral range
 *
 * Return: first ephemeral port, 32768 if unknown
 */
static unsigned int tcp_ephemeral_min(void)
{
	char buf[64];
	unsigned long lo;

	if (read_file("/proc/sys/net/ipv4/ip_local_port_range", buf,
		      sizeof(buf)) < 0)
		return 32768;
	buf[strcspn(buf, " \t")] = 0;
	if (parse_uint(buf, 65535, &lo))
		return 32768;
	return (unsigned int)lo;
}

/**
 * tcp_listen() - Open the listeners for one forwarded port, if not open
 * @c:		execution context
 * @side:	TCP_SIDE_HOST (-t) or TCP_SIDE_NS (pasta's -T, in the namespace)
 * @port:	port, host order
 * @quiet:	don't warn if the port can't be bound ("all", "auto")
 *
 * Return: number of listeners open for the port afterwards (0 to 2)
 */
int tcp_listen(struct ctx *c, int side, uint16_t port, bool quiet)
{
	const struct fwd_ports *fwd = side == TCP_SIDE_NS ? &c->tcp_out :
							    &c->tcp_in;
	const struct fwd_bind *b = &fwd->binds[fwd->bind[port]];
	const char *ifname = *b->ifname ? b->ifname : NULL;
	union epoll_ref ref = { .type = EPOLL_TYPE_TCP_LISTEN,
				.data = (uint32_t)port | (uint32_t)side << 16 };
	int v6, open = 0;

	for (v6 = 0; v6 <= 1; v6++) {
		int af = v6 ? AF_INET6 : AF_INET, fd;
		const void *addr = NULL;

		if (tcp_listen_fds[side][v6][port] >= 0) {
			open++;
			continue;
		}
		if ((!v6 && !c->ifi4) || (v6 && !c->ifi6))
			continue;
		if (fwd->bind[port] && b->af != AF_UNSPEC) {
			if (b->af != af)
				continue;
			addr = v6 ? (const void *)&b->addr6 :
				    (const void *)&b->addr4;
		}

		if (side == TCP_SIDE_NS)
			fd = sock_l4_ns(c, af, IPPROTO_TCP, addr, ifname, port,
					ref);
		else
			fd = sock_l4(c, af, IPPROTO_TCP, addr, ifname, port,
				     ref);
		if (fd < 0) {
			if (!quiet)
				warn("TCP: can't listen on port %u (%s%s): %s",
				     port, v6 ? "IPv6" : "IPv4",
				     side == TCP_SIDE_NS ? ", namespace" : "",
				     strerror(-fd));
			continue;
		}
		tcp_listen_fds[side][v6][port] = fd;
		open++;
	}
	return open;
}

/**
 * tcp_unlisten() - Close the listeners of one port
 * @side:	TCP_SIDE_HOST or TCP_SIDE_NS
 * @port:	port, host order
 */
void tcp_unlisten(int side, uint16_t port)
{
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		if (tcp_listen_fds[side][v6][port] < 0)
			continue;
		close(tcp_listen_fds[side][v6][port]);
		tcp_listen_fds[side][v6][port] = -1;
	}
}

/**
 * tcp_listen_spec() - Open the listeners of an explicit or "all" spec
 * @c:		execution context
 * @side:	TCP_SIDE_HOST or TCP_SIDE_NS
 */
static void tcp_listen_spec(struct ctx *c, int side)
{
	const struct fwd_ports *fwd = side == TCP_SIDE_NS ? &c->tcp_out :
							    &c->tcp_in;
	unsigned int port, eph = tcp_ephemeral_min();

	for (port = 1; port < NUM_PORTS; port++) {
		if (fwd->mode == FWD_ALL) {
			if (port >= eph || bitmap_isset(fwd->excl, port))
				continue;
			tcp_listen(c, side, (uint16_t)port, true);
		} else if (fwd->mode == FWD_SPEC &&
			   fwd_port_is_fwd(fwd, (uint16_t)port) &&
			   !tcp_listen(c, side, (uint16_t)port, false)) {
			/* As for UDP: a port asked for by number must work */
			die("-%c: can't bind TCP port %u%s", side ? 'T' : 't',
			    port, side ? " in the namespace" : "");
		}
	}
}

/**
 * tcp_init() - Key, tables, peek offset support, forwarding listeners
 * @c:		execution context
 */
void tcp_init(struct ctx *c)
{
	struct rlimit nofile;
	int s, zero = 0;

	if (getrandom(tcp_secret, sizeof(tcp_secret), 0) != sizeof(tcp_secret))
		die("TCP: getrandom: %s", strerror(errno));
	memset(tcp_hash, 0xff, sizeof(tcp_hash));
	for (tcp_free_count = 0; tcp_free_count < TCP_CONN_MAX; tcp_free_count++)
		tcp_free[tcp_free_count] = TCP_CONN_MAX - 1 - tcp_free_count;

	/* Each connection takes a socket and a timer */
	if (!getrlimit(RLIMIT_NOFILE, &nofile)) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (s >= 0) {
		tcp_peek_off_ok = !setsockopt(s, SOL_SOCKET, SO_PEEK_OFF,
					      &zero, sizeof(zero));
		close(s);
	}
	debug("TCP: SO_PEEK_OFF %ssupported", tcp_peek_off_ok ? "" : "not ");

	memset(tcp_listen_fds, 0xff, sizeof(tcp_listen_fds));
	tcp_listen_spec(c, TCP_SIDE_HOST);
	if (c->mode == MODE_PASTA)
		tcp_listen_spec(c, TCP_SIDE_NS);
	tcp_splice_init(c);
}

/**
 * tcp_timer() - Periodic work, about once a second (nothing yet)
 * @c:		execution context
 * @now:	current time
 */
void tcp_timer(struct ctx *c, const struct timespec *now)
{
	(void)c;
	(void)now;
}

/**
 * tcp_flush() - Send every frame queued for the guest
 * @c:		execution context
 */
void tcp_flush(struct ctx *c)
{
	if (!tcp_out_count)
		return;
	if (tap_offload(c))
		tap_send_frames_offload(c, tcp_out, tcp_out_gso, tcp_out_count);
	else
		tap_send_frames(c, tcp_out, tcp_out_count);
	tcp_out_count = 0;
	tcp_data_used = 0;
	tcp_ctrl_used = 0;
}
