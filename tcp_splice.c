// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp_splice.c - pasta's loopback bypass for TCP: connections between the
 * host and the namespace moved socket to socket with splice(2), no frames
 *
 * This file owns the spliced connections (their table, sockets and pipes),
 * the pool of sockets pre-opened inside the namespace, and the epoll
 * references of type EPOLL_TYPE_TCP_SPLICE.
 *
 * Theory of operation
 *
 * tcp.c accepts connections on forwarding listeners and offers each one to
 * tcp_splice_conn_from_sock() first.  We take:
 *
 * - on a host-side listener (-t), connections coming from a loopback address
 *   (127.0.0.0/8, ::1): they are connected to the namespace's loopback, same
 *   address family, at the forwarded port (after -t translation);
 * - on a namespace-side listener (-T), every connection: it is connected to
 *   the host's loopback at the forwarded port (after -T translation).
 *
 * Anything else goes back to tcp.c and takes the tap path.  A connection we
 * can't take (table full, no socket, no pipe, connection refused) is closed
 * with an RST: the client has already been accepted.
 *
 * A connection has two sockets, s[0] (accepted) and s[1] (the one we
 * connected), and two pipes: data read from s[d] goes through pipe[d] to
 * s[!d], with splice(2) at both ends (SPLICE_F_MOVE | SPLICE_F_NONBLOCK), so
 * pages go from one socket to the other without a copy into user space.
 * Pipes are made 256 KiB, or as large as the kernel lets us down to 64 KiB
 * (F_SETPIPE_SZ): pipe buffers are accounted per user, so under load later
 * pipes may stay smaller, and the size we try first goes back up every
 * second.  Larger pipes (1 MiB) measured no faster, and pin four times the
 * memory per connection.
 *
 * Throughput: what a spliced connection costs is mostly per TCP segment, in
 * the kernel (sending, loopback delivery, ACKs, timers), not per byte or per
 * system call.  So, in a burst, each read fills the pipe and each write
 * empties it, in a loop, without going back to epoll as long as the source
 * fills the pipe again; the tail that wouldn't make a whole segment waits
 * in the pipe for the next read, and goes when the burst is over
 * (tcp_splice_out()).  Both our sockets use the "reno" congestion control,
 * which doesn't pace: a pacing one (BBR) on this extra hop roughly halved the
 * throughput (tcp_splice_sockopts()).
 *
 * Back-pressure: when the destination socket doesn't take what the pipe
 * holds, the direction is stalled: we stop watching EPOLLIN on its source
 * (so that level-triggered epoll doesn't spin on unread data) and watch
 * EPOLLOUT on its destination; EPOLLOUT resumes the direction.
 *
 * Half-close: end of stream read from s[d], once pipe[d] is empty, becomes
 * shutdown(SHUT_WR) on s[!d].  A socket that has both received and sent its
 * FIN leaves the epoll set (it would report EPOLLHUP forever), and the
 * connection is closed once both directions are done, with a plain close()
 * that lets the kernel deliver what is still queued.
 *
 * Resets: an error on either socket (EPOLLERR, ECONNRESET or EPIPE from a
 * splice) closes both sockets, the other one with SO_LINGER set to zero, so
 * that its peer sees an RST too.
 *
 * Sockets in the namespace: the main process stays in the host's network
 * namespace, and opening a socket in the namespace means cloning a task that
 * joins it (ns_call()).  A pool of unconnected sockets per address family is
 * opened there in one call, refilled by tcp_splice_timer() every second, and
 * on the spot when a burst empties it, so that most connections don't pay
 * for a namespace switch.  Sockets towards the host are opened directly.
 * The task cloned by ns_call() ends with exit(2), not exit_group(2): it's
 * in the seccomp allow-list for that reason.
 *
 * Epoll reference: data holds the connection index, and TCP_SPLICE_REF_B
 * for s[1].  Connections live in a static table with a free-index stack.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "busypoll.h"
#include "fwd.h"
#include "log.h"
#include "passt.h"
#include "tcp.h"
#include "tcp_splice.h"
#include "util.h"

/* #syscalls:pasta splice pipe2 fcntl socket connect shutdown setsockopt
 * #syscalls:pasta getsockopt close epoll_ctl
 * #syscalls:pasta clone wait4 setns exit
 */

#define TCP_SPLICE_MAX		8192	/* spliced connections */
#define TCP_SPLICE_POOL		32	/* namespace sockets, per family */
#define TCP_SPLICE_PIPE_MAX	(256 * 1024)
#define TCP_SPLICE_PIPE_MIN	(64 * 1024)
#define TCP_SPLICE_ROUNDS	32	/* read/write rounds per event */
#define TCP_SPLICE_CONNECT_S	10	/* connect() timeout */
#define TCP_SPLICE_REF_B	(1U << 31)	/* ref.data: s[1] */

/* Connection flags */
#define SPLICE_CONNECTING	(1U << 0)	/* s[1] connecting */
#define SPLICE_FIN_RCVD(i)	(1U << (1 + (i)))	/* EOF from s[i] */
#define SPLICE_FIN_SENT(i)	(1U << (3 + (i)))	/* s[i] shut, WR */
#define SPLICE_STALLED(d)	(1U << (5 + (d)))	/* s[!d] is full */

#define SPLICE_EPOLL_NONE	0xffffffffU	/* not in the epoll set */

/**
 * struct tcp_splice_conn - One spliced connection
 * @s:		sockets: [0] accepted, [1] connected by us; s[0] -1: free
 * @pipe:	pipe[d]: read end [0], write end [1], from s[d] to s[!d]
 * @pending:	bytes in pipe[d]
 * @pipe_size:	capacity of pipe[d]
 * @mss:	MSS of s[i] as last read, 0 if unknown: data spliced to s[i]
 *		goes in whole segments while more follows
 * @ev:		epoll events of s[i], SPLICE_EPOLL_NONE if not registered
 * @flags:	SPLICE_* flags
 * @started:	CLOCK_MONOTONIC seconds at accept(), for the connect timeout
 */
struct tcp_splice_conn {
	int s[2];
	int pipe[2][2];
	uint32_t pending[2];
	uint32_t pipe_size[2];
	uint32_t mss[2];
	uint32_t ev[2];
	uint32_t flags;
	time_t started;
};

static struct tcp_splice_conn tcp_splice_conns[TCP_SPLICE_MAX];
static uint32_t tcp_splice_free[TCP_SPLICE_MAX];	/* free-index stack */
static unsigned int tcp_splice_free_count;
static unsigned int tcp_splice_active;

/* Unconnected sockets opened in the namespace, [IPv6][n] */
static int tcp_splice_pool[2][TCP_SPLICE_POOL];
static int tcp_splice_pool_count[2];

/* Pipe size tried first: halved on refusal, reset every second */
static int tcp_splice_pipe_try = TCP_SPLICE_PIPE_MAX;

/**
 * struct tcp_splice_pool_arg - What the namespace task fills
 * @c:		execution context
 */
struct tcp_splice_pool_arg {
	const struct ctx *c;
};

/**
 * tcp_splice_pool_fill_ns() - Fill the socket pools, inside the namespace
 * @arg:	struct tcp_splice_pool_arg
 *
 * Return: 0
 */
static int tcp_splice_pool_fill_ns(void *arg)
{
	const struct tcp_splice_pool_arg *a = arg;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		if ((!v6 && !a->c->ifi4) || (v6 && !a->c->ifi6))
			continue;
		while (tcp_splice_pool_count[v6] < TCP_SPLICE_POOL) {
			int s = socket(v6 ? AF_INET6 : AF_INET,
				       SOCK_STREAM | SOCK_NONBLOCK |
				       SOCK_CLOEXEC, IPPROTO_TCP);

			if (s < 0)
				break;
			if (s >= (1 << 24)) {
				close(s);
				break;
			}
			tcp_splice_pool[v6][tcp_splice_pool_count[v6]++] = s;
		}
	}
	return 0;
}

/**
 * tcp_splice_pool_fill() - Top up the namespace socket pools
 * @c:		execution context
 */
static void tcp_splice_pool_fill(const struct ctx *c)
{
	struct tcp_splice_pool_arg a = { .c = c };

	if ((!c->ifi4 || tcp_splice_pool_count[0] == TCP_SPLICE_POOL) &&
	    (!c->ifi6 || tcp_splice_pool_count[1] == TCP_SPLICE_POOL))
		return;
	if (ns_call(c, tcp_splice_pool_fill_ns, &a))
		debug("TCP splice: can't enter the namespace for sockets");
}

/**
 * tcp_splice_pool_get() - Take a socket of the namespace from the pool
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 *
 * Return: socket, or -1 if none could be had
 */
static int tcp_splice_pool_get(const struct ctx *c, int af)
{
	int v6 = af == AF_INET6;

	if (!tcp_splice_pool_count[v6])
		tcp_splice_pool_fill(c);
	if (!tcp_splice_pool_count[v6])
		return -1;
	return tcp_splice_pool[v6][--tcp_splice_pool_count[v6]];
}

/**
 * tcp_splice_is_loopback() - Is a peer address a loopback address?
 * @sa:		socket address (AF_INET or AF_INET6)
 *
 * Return: true for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104
 */
static bool tcp_splice_is_loopback(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *a4 = (const struct sockaddr_in *)sa;

		return ntohl(a4->sin_addr.s_addr) >> 24 == IN_LOOPBACKNET;
	}
	if (sa->ss_family == AF_INET6) {
		const struct in6_addr *a6 =
			&((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_LOOPBACK(a6))
			return true;
		return IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127;
	}
	return false;
}

/**
 * tcp_splice_sockopts() - Options for both sockets of a spliced connection
 * @s:		socket, accepted or about to connect
 *
 * TCP_NODELAY: we can't know whether the application wanted small writes
 * to wait, so they don't; segments are kept whole by tcp_splice_out().
 *
 * Congestion control "reno": a loopback hop has no path to estimate and
 * nothing to congest, and the application's own socket already runs the
 * congestion control of its choice on its side of us.  A pacing algorithm
 * (BBR, the default on some systems) would pace this second hop too, with
 * an hrtimer per burst and a rate estimated from what the first hop lets
 * through: measured on loopback, that costs a third to a half of the
 * throughput.  Reno doesn't pace, and it's the one algorithm unprivileged
 * users may always pick.  If the kernel refuses, the default stays.
 */
static void tcp_splice_sockopts(int s)
{
	static const char cc[] = "reno";
	int one = 1;

	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, sizeof(cc) - 1);
}

/**
 * tcp_splice_mss() - Read the current MSS of a socket
 * @conn:	connection
 * @i:		socket index
 *
 * Read again for each burst, not once: right after the handshake the kernel
 * caps the MSS to half the peer's initial window (32 KiB on loopback), and
 * it grows as the window does.  A failure leaves 0: no holding back, see
 * tcp_splice_out().
 */
static void tcp_splice_mss(struct tcp_splice_conn *conn, int i)
{
	socklen_t sl = sizeof(int);
	int mss = 0;

	if (getsockopt(conn->s[i], IPPROTO_TCP, TCP_MAXSEG, &mss, &sl) ||
	    mss < 0)
		mss = 0;
	conn->mss[i] = (uint32_t)mss;
}

/**
 * tcp_splice_rst() - Close a socket so that its peer sees an RST
 * @s:		socket
 */
static void tcp_splice_rst(int s)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(s);
}

/**
 * tcp_splice_close() - Close a connection and free its slot
 * @conn:	connection
 * @rst:	bitmap of sockets (1 << i) to close with an RST
 */
static void tcp_splice_close(struct tcp_splice_conn *conn, unsigned int rst)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (conn->s[i] >= 0) {
			if (rst & (1U << i))
				tcp_splice_rst(conn->s[i]);
			else
				close(conn->s[i]);	/* leaves epoll too */
		}
		if (conn->pipe[i][0] >= 0) {
			close(conn->pipe[i][0]);
			close(conn->pipe[i][1]);
		}
		conn->s[i] = conn->pipe[i][0] = conn->pipe[i][1] = -1;
	}
	tcp_splice_free[tcp_splice_free_count++] =
		(uint32_t)(conn - tcp_splice_conns);
	tcp_splice_active--;
}

/**
 * tcp_splice_abort() - A socket failed: reset the other one's peer, close
 * @conn:	connection
 * @bad:	index of the socket that failed (reset by its peer, or error)
 */
static void tcp_splice_abort(struct tcp_splice_conn *conn, int bad)
{
	debug("TCP splice: connection %u reset on the %s side",
	      (unsigned int)(conn - tcp_splice_conns),
	      bad ? "connected" : "accepted");
	tcp_splice_close(conn, 1U << !bad);
}

/**
 * tcp_splice_pipe_open() - Open a pipe as large as the kernel allows us
 * @p:		pipe ends, set on success
 * @size:	capacity of the pipe, set on success
 *
 * Return: 0 on success, -1 on failure
 */
static int tcp_splice_pipe_open(int p[2], uint32_t *size)
{
	int sz;

	if (pipe2(p, O_NONBLOCK | O_CLOEXEC))
		return -1;
	for (sz = tcp_splice_pipe_try; sz >= TCP_SPLICE_PIPE_MIN; sz /= 2) {
		int got = fcntl(p[0], F_SETPIPE_SZ, sz);

		if (got >= sz) {
			tcp_splice_pipe_try = sz;
			*size = (uint32_t)got;
			return 0;
		}
	}
	tcp_splice_pipe_try = TCP_SPLICE_PIPE_MIN;
	sz = fcntl(p[0], F_GETPIPE_SZ);
	*size = sz > 0 ? (uint32_t)sz : 4096;
	return 0;
}

/**
 * tcp_splice_events() - Epoll events a socket of a connection needs now
 * @conn:	connection
 * @i:		socket index
 *
 * Return: events, SPLICE_EPOLL_NONE if the socket has nothing left to do
 */
static uint32_t tcp_splice_events(const struct tcp_splice_conn *conn, int i)
{
	uint32_t ev = 0;

	if (conn->flags & SPLICE_CONNECTING)
		return i ? EPOLLOUT : 0;
	if ((conn->flags & SPLICE_FIN_RCVD(i)) &&
	    (conn->flags & SPLICE_FIN_SENT(i)))
		return SPLICE_EPOLL_NONE;
	if (!(conn->flags & (SPLICE_FIN_RCVD(i) | SPLICE_STALLED(i))))
		ev |= EPOLLIN;
	if (conn->flags & SPLICE_STALLED(!i))
		ev |= EPOLLOUT;
	return ev;
}

/**
 * tcp_splice_epoll() - Bring the epoll registration of a socket up to date
 * @c:		execution context
 * @conn:	connection
 * @i:		socket index
 *
 * Return: 0 on success, -1 on failure
 */
static int tcp_splice_epoll(const struct ctx *c, struct tcp_splice_conn *conn,
			    int i)
{
	uint32_t ev = tcp_splice_events(conn, i);
	union epoll_ref ref = { .type = EPOLL_TYPE_TCP_SPLICE,
				.fd = (uint32_t)conn->s[i] };
	struct epoll_event e = { .events = ev };
	int op;

	if (ev == conn->ev[i])
		return 0;
	if (ev == SPLICE_EPOLL_NONE) {
		epoll_ctl(c->epollfd, EPOLL_CTL_DEL, conn->s[i], NULL);
		conn->ev[i] = ev;
		return 0;
	}

	ref.data = (uint32_t)(conn - tcp_splice_conns) |
		   (i ? TCP_SPLICE_REF_B : 0);
	e.data.u64 = ref.u64;
	op = conn->ev[i] == SPLICE_EPOLL_NONE ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
	if (epoll_ctl(c->epollfd, op, conn->s[i], &e))
		return -1;
	conn->ev[i] = ev;
	return 0;
}

/**
 * tcp_splice_update() - Close a finished connection, or update epoll
 * @c:		execution context
 * @conn:	connection
 */
static void tcp_splice_update(const struct ctx *c,
			      struct tcp_splice_conn *conn)
{
	if ((conn->flags & SPLICE_FIN_SENT(0)) &&
	    (conn->flags & SPLICE_FIN_SENT(1))) {
		tcp_splice_close(conn, 0);
		return;
	}
	if (tcp_splice_epoll(c, conn, 0) || tcp_splice_epoll(c, conn, 1)) {
		debug("TCP splice: epoll_ctl: %s", strerror(errno));
		tcp_splice_close(conn, 3);
	}
}

/**
 * tcp_splice_in() - Move data from a socket into its pipe
 * @conn:	connection
 * @d:		direction: source socket index
 *
 * Return: bytes moved, 0 if none (EAGAIN, end of stream), -1 on error
 */
static ssize_t tcp_splice_in(struct tcp_splice_conn *conn, int d)
{
	ssize_t n;

	if ((conn->flags & SPLICE_FIN_RCVD(d)) ||
	    conn->pending[d] >= conn->pipe_size[d])
		return 0;

	n = splice(conn->s[d], NULL, conn->pipe[d][1], NULL,
		   conn->pipe_size[d] - conn->pending[d],
		   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	if (n > 0) {
		conn->pending[d] += (uint32_t)n;
		busy_poll_moved((size_t)n);
		return n;
	}
	if (!n) {
		conn->flags |= SPLICE_FIN_RCVD(d);
		return 0;
	}
	return errno == EAGAIN || errno == EINTR ? 0 : -1;
}

/**
 * tcp_splice_out() - Move data from a pipe to its destination socket
 * @conn:	connection
 * @d:		direction: source socket index
 * @more:	more data is expected from the source right away
 *
 * With TCP_NODELAY, every splice to the socket ends with a push, and
 * whatever doesn't fill a segment leaves as a short one: a pipe of 256 KiB
 * is four loopback segments and a few hundred bytes.  Each segment costs
 * as much to send and receive as a full one, so while more data follows
 * we leave the odd bytes in the pipe, to start the next segment with what
 * the next read brings.  Without @more everything goes, so that nothing
 * waits.
 *
 * Return: 0 if all we meant to send went, 1 if the socket is full (the
 *	   direction is stalled until EPOLLOUT), -1 on error
 */
static int tcp_splice_out(struct tcp_splice_conn *conn, int d, bool more)
{
	uint32_t len = conn->pending[d], mss = conn->mss[!d];
	ssize_t n;

	if (more && mss && len >= mss)
		len -= len % mss;
	if (!len) {
		conn->flags &= ~SPLICE_STALLED(d);
		return 0;
	}

	n = splice(conn->pipe[d][0], NULL, conn->s[!d], NULL, len,
		   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return -1;
	if (n > 0)
		conn->pending[d] -= (uint32_t)n;
	if (n < (ssize_t)len) {
		conn->flags |= SPLICE_STALLED(d);
		return 1;
	}
	conn->flags &= ~SPLICE_STALLED(d);
	return 0;
}

/**
 * tcp_splice_dir() - Move what can be moved in one direction
 * @conn:	connection
 * @d:		direction: source socket index
 *
 * Read into the pipe, write out of it, and go on as long as reads fill the
 * pipe (so the source may hold more) and the destination takes it all: a
 * read that leaves room in the pipe found the source drained, and level-
 * triggered epoll reports it again when more arrives.  On the way out
 * nothing is left in the pipe unless the destination is full.
 *
 * Return: 0 on success, -1 if the connection was aborted (and closed)
 */
static int tcp_splice_dir(struct tcp_splice_conn *conn, int d)
{
	bool more = false, mss_read = false;
	int r, out = 0;

	if (conn->flags & SPLICE_FIN_SENT(!d))
		return 0;

	for (r = 0; r < TCP_SPLICE_ROUNDS; r++) {
		if (tcp_splice_in(conn, d) < 0) {
			tcp_splice_abort(conn, d);
			return -1;
		}
		more = !(conn->flags & SPLICE_FIN_RCVD(d)) &&
		       conn->pending[d] >= conn->pipe_size[d];
		if (more && !mss_read) {
			tcp_splice_mss(conn, !d);
			mss_read = true;
		}
		out = tcp_splice_out(conn, d, more);
		if (out < 0) {
			tcp_splice_abort(conn, !d);
			return -1;
		}
		if (out || !more)
			break;
	}

	/* Out of rounds: send the odd bytes held back too, as the source
	 * might have nothing more to say and never wake us up again
	 */
	if (more && !out && tcp_splice_out(conn, d, false) < 0) {
		tcp_splice_abort(conn, !d);
		return -1;
	}

	if ((conn->flags & SPLICE_FIN_RCVD(d)) && !conn->pending[d]) {
		shutdown(conn->s[!d], SHUT_WR);
		conn->flags |= SPLICE_FIN_SENT(!d);
	}
	return 0;
}

/**
 * tcp_splice_sock_error() - Error reported on a socket: abort
 * @conn:	connection
 * @i:		socket index
 *
 * An event left over from a closed connection whose slot and descriptor
 * were taken again in the same epoll batch finds no pending error: ignored.
 *
 * Return: true if the connection was aborted (and closed)
 */
static bool tcp_splice_sock_error(struct tcp_splice_conn *conn, int i)
{
	socklen_t sl = sizeof(int);
	int e = 0;

	if (getsockopt(conn->s[i], SOL_SOCKET, SO_ERROR, &e, &sl) || !e)
		return false;
	debug("TCP splice: connection %u, %s socket: %s",
	      (unsigned int)(conn - tcp_splice_conns),
	      i ? "connected" : "accepted", strerror(e));
	tcp_splice_abort(conn, i);
	return true;
}

/**
 * tcp_splice_connected() - connect() of s[1] is over: check, start moving
 * @c:		execution context
 * @conn:	connection
 */
static void tcp_splice_connected(const struct ctx *c,
				 struct tcp_splice_conn *conn)
{
	socklen_t sl = sizeof(int);
	int e = 0;

	if (getsockopt(conn->s[1], SOL_SOCKET, SO_ERROR, &e, &sl) || e) {
		debug("TCP splice: connection %u: connect: %s",
		      (unsigned int)(conn - tcp_splice_conns), strerror(e));
		tcp_splice_close(conn, 1U << 0);
		return;
	}
	conn->flags &= ~SPLICE_CONNECTING;
	tcp_splice_update(c, conn);
}

/**
 * tcp_splice_sock_handler() - Events on a spliced socket
 * @c:		execution context
 * @ref:	epoll reference: connection index, TCP_SPLICE_REF_B for s[1]
 * @events:	epoll events
 */
void tcp_splice_sock_handler(struct ctx *c, union epoll_ref ref,
			     uint32_t events)
{
	uint32_t idx = ref.data & ~TCP_SPLICE_REF_B;
	int i = !!(ref.data & TCP_SPLICE_REF_B);
	struct tcp_splice_conn *conn;

	if (idx >= TCP_SPLICE_MAX)
		return;
	conn = &tcp_splice_conns[idx];
	if (conn->s[i] != (int)ref.fd)
		return;		/* stale event for a closed connection */

	if ((events & EPOLLERR) && tcp_splice_sock_error(conn, i))
		return;
	if (conn->flags & SPLICE_CONNECTING) {
		if (i && (events & (EPOLLOUT | EPOLLHUP)))
			tcp_splice_connected(c, conn);
		return;
	}

	/* EPOLLOUT: the direction towards s[i] can go on */
	if ((events & EPOLLOUT) && tcp_splice_dir(conn, !i))
		return;
	if ((events & (EPOLLIN | EPOLLHUP)) && tcp_splice_dir(conn, i))
		return;
	tcp_splice_update(c, conn);
}

/**
 * tcp_splice_connect() - Open and connect the socket on the other side
 * @c:		execution context
 * @conn:	connection, s[0] set
 * @side:	side of the listener: TCP_SIDE_HOST or TCP_SIDE_NS
 * @af:		address family
 * @port:	destination port, host order
 *
 * Return: 0 if connected or in progress, -1 on failure
 */
static int tcp_splice_connect(const struct ctx *c,
			      struct tcp_splice_conn *conn, int side, int af,
			      uint16_t port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr = { htonl(INADDR_LOOPBACK) } };
	const struct sockaddr *sa = af == AF_INET6 ? (struct sockaddr *)&a6 :
						     (struct sockaddr *)&a4;
	socklen_t sl = af == AF_INET6 ? sizeof(a6) : sizeof(a4);
	int s;

	if (side == TCP_SIDE_HOST)
		s = tcp_splice_pool_get(c, af);
	else
		s = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			   IPPROTO_TCP);
	if (s < 0)
		return -1;
	conn->s[1] = s;
	if (s >= (1 << 24))
		return -1;

	tcp_splice_sockopts(s);
	if (!connect(s, sa, sl))
		return 0;
	if (errno != EINPROGRESS)
		return -1;
	conn->flags |= SPLICE_CONNECTING;
	return 0;
}

/**
 * tcp_splice_conn_alloc() - Take a free connection slot
 *
 * Return: connection with no socket or pipe yet, NULL if the table is full
 */
static struct tcp_splice_conn *tcp_splice_conn_alloc(void)
{
	struct tcp_splice_conn *conn;

	if (!tcp_splice_free_count)
		return NULL;
	conn = &tcp_splice_conns[tcp_splice_free[--tcp_splice_free_count]];
	memset(conn, 0, sizeof(*conn));
	conn->s[0] = conn->s[1] = -1;
	conn->pipe[0][0] = conn->pipe[0][1] = -1;
	conn->pipe[1][0] = conn->pipe[1][1] = -1;
	conn->ev[0] = conn->ev[1] = SPLICE_EPOLL_NONE;
	tcp_splice_active++;
	return conn;
}

/**
 * tcp_splice_conn_from_sock() - Take an accepted connection for the bypass
 * @c:		execution context
 * @side:	side of the listener: TCP_SIDE_HOST or TCP_SIDE_NS
 * @port:	listening port, host order
 * @s:		accepted socket, non-blocking
 * @sa:		peer address
 *
 * Return: true if the connection was taken (spliced, or refused with an
 *	   RST), false if it's for the tap path
 */
bool tcp_splice_conn_from_sock(struct ctx *c, int side, uint16_t port, int s,
			       const struct sockaddr_storage *sa)
{
	const struct fwd_ports *fwd = side == TCP_SIDE_NS ? &c->tcp_out :
							    &c->tcp_in;
	uint16_t dport = fwd_port_dest(fwd, port);
	struct tcp_splice_conn *conn;
	struct timespec now;

	if (side == TCP_SIDE_HOST && !tcp_splice_is_loopback(sa))
		return false;

	conn = s < (1 << 24) ? tcp_splice_conn_alloc() : NULL;
	if (!conn) {
		debug("TCP splice: no room for a connection to port %u", port);
		tcp_splice_rst(s);
		return true;
	}
	conn->s[0] = s;
	clock_gettime(CLOCK_MONOTONIC, &now);
	conn->started = now.tv_sec;
	tcp_splice_sockopts(s);

	if (tcp_splice_pipe_open(conn->pipe[0], &conn->pipe_size[0]) ||
	    tcp_splice_pipe_open(conn->pipe[1], &conn->pipe_size[1]) ||
	    tcp_splice_connect(c, conn, side, sa->ss_family, dport)) {
		debug("TCP splice: can't connect port %u to %u%s: %s", port,
		      dport, side == TCP_SIDE_NS ? " (host)" : " (namespace)",
		      strerror(errno));
		tcp_splice_close(conn, 3);
		return true;
	}

	trace("TCP splice: connection %u, port %u to %u%s",
	      (unsigned int)(conn - tcp_splice_conns), port, dport,
	      side == TCP_SIDE_NS ? " on the host" : " in the namespace");
	tcp_splice_update(c, conn);
	return true;
}

/**
 * tcp_splice_timer() - Refill the socket pools, time out stuck connects,
 *			follow listening sockets for "auto"
 * @c:		execution context
 * @now:	current time
 */
void tcp_splice_timer(struct ctx *c, const struct timespec *now)
{
	unsigned int i;

	tcp_splice_pipe_try = TCP_SPLICE_PIPE_MAX;
	tcp_splice_pool_fill(c);
	fwd_auto_tcp_scan(c);

	for (i = 0; tcp_splice_active && i < TCP_SPLICE_MAX; i++) {
		struct tcp_splice_conn *conn = &tcp_splice_conns[i];

		if (conn->s[0] < 0 || !(conn->flags & SPLICE_CONNECTING) ||
		    now->tv_sec - conn->started < TCP_SPLICE_CONNECT_S)
			continue;
		debug("TCP splice: connection %u: connect timed out", i);
		tcp_splice_close(conn, 1U << 0);
	}
}

/**
 * tcp_splice_init() - Empty table, fill the namespace socket pools, start
 *		       following listening sockets for "auto"
 * @c:		execution context
 */
void tcp_splice_init(struct ctx *c)
{
	unsigned int i;

	for (i = 0; i < TCP_SPLICE_MAX; i++) {
		struct tcp_splice_conn *conn = &tcp_splice_conns[i];

		conn->s[0] = conn->s[1] = -1;
		conn->pipe[0][0] = conn->pipe[0][1] = -1;
		conn->pipe[1][0] = conn->pipe[1][1] = -1;
		tcp_splice_free[i] = TCP_SPLICE_MAX - 1 - i;
	}
	tcp_splice_free_count = TCP_SPLICE_MAX;

	if (c->mode != MODE_PASTA)
		return;
	tcp_splice_pool_fill(c);
	fwd_auto_tcp_scan(c);
}
