// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - Small shared helpers: epoll registration, running code inside the
 * target network namespace, time arithmetic, whole-buffer I/O, PID file
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "passt.h"
#include "util.h"

/* #syscalls epoll_ctl clone wait4 read write close openat fcntl
 * #syscalls socket bind listen setsockopt
 */
/* #syscalls:pasta setns exit */	/* exit: end of a clone()d task */

/**
 * passt_epoll_add() - Register a file descriptor with the epoll instance
 * @c:		execution context
 * @fd:		file descriptor, below 2^24
 * @events:	epoll events
 * @ref:	reference: type and type-specific data (fd is filled in here)
 */
void passt_epoll_add(const struct ctx *c, int fd, uint32_t events,
		     union epoll_ref ref)
{
	struct epoll_event ev = { .events = events };

	ref.fd = (uint32_t)fd;
	ev.data.u64 = ref.u64;
	if (epoll_ctl(c->epollfd, EPOLL_CTL_ADD, fd, &ev))
		die("Failed to add fd %i to epoll: %s", fd, strerror(errno));
}

/**
 * struct ns_call_arg - What a namespace call runs, and with which context
 * @c:		execution context, for the namespace fds
 * @fn:		function to run inside the namespace
 * @arg:	its argument
 */
struct ns_call_arg {
	const struct ctx *c;
	int (*fn)(void *arg);
	void *arg;
};

/**
 * ns_call_child() - Body of the cloned task: enter the namespace, run
 * @arg:	struct ns_call_arg
 *
 * Return: exit status of the task: the function's return value, 0..255
 */
static int ns_call_child(void *arg)
{
	const struct ns_call_arg *a = arg;

	if (ns_enter(a->c))
		return 255;
	return a->fn(a->arg) & 0xff;
}

/**
 * ns_call() - Run a function inside the target network namespace
 * @c:		execution context
 * @fn:		function, returns 0..254 (255 means the namespace was not
 *		entered)
 * @arg:	argument to @fn, may be used to pass results back
 *
 * The main process never leaves its own network namespace: it may not be
 * allowed back into it.  Instead, a task sharing our memory and file table is
 * cloned, joins the namespace and runs @fn, so sockets it opens appear in
 * our table.  CLONE_VFORK keeps us stopped until it is done.
 *
 * Return: @fn's return value, or -1 on failure to run it
 */
int ns_call(const struct ctx *c, int (*fn)(void *arg), void *arg)
{
	static char stack[NS_CALL_STACK_SIZE] __attribute__((aligned(16)));
	struct ns_call_arg a = { .c = c, .fn = fn, .arg = arg };
	int status;
	pid_t pid;

	pid = clone(ns_call_child, stack + sizeof(stack),
		    CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, &a);
	if (pid < 0)
		return -1;
	if (waitpid(pid, &status, __WALL) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/**
 * ns_enter() - Join the target network namespace, from a cloned task
 * @c:		execution context
 *
 * Return: 0 on success, -1 on failure
 */
int ns_enter(const struct ctx *c)
{
	if (c->pasta_netns_fd < 0)
		return -1;
	if (setns(c->pasta_netns_fd, CLONE_NEWNET))
		return -1;
	return 0;
}

/**
 * timespec_diff_ms() - Difference between two points in time
 * @a:		later time
 * @b:		earlier time
 *
 * Return: @a - @b in milliseconds
 */
long timespec_diff_ms(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) * 1000L +
	       (a->tv_nsec - b->tv_nsec) / 1000000L;
}

/**
 * timespec_diff_ns() - Difference between two points in time, nanoseconds
 * @a:		later time
 * @b:		earlier time
 *
 * Return: @a - @b in nanoseconds
 */
long timespec_diff_ns(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) * 1000000000L +
	       (a->tv_nsec - b->tv_nsec);
}

/**
 * write_all() - Write a whole buffer, retrying on short writes and EINTR
 * @fd:		file descriptor
 * @buf:	data
 * @len:	length
 *
 * Return: 0 on success, -1 on error
 */
int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * write_file() - Write a string to a file, typically under /proc
 * @path:	file path, opened for writing, not created
 * @s:		string, written whole
 *
 * Return: 0 on success, -1 with errno set on failure
 */
int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = write_all(fd, s, strlen(s));
	close(fd);
	return rc;
}

/**
 * read_file() - Read a small file into a buffer, NUL-terminated
 * @path:	file path
 * @buf:	buffer
 * @size:	size of @buf, one byte is kept for the terminator
 *
 * Return: bytes read, or -1 on error
 */
ssize_t read_file(const char *path, char *buf, size_t size)
{
	size_t total = 0;
	int fd;

	if (!size)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (total < size - 1) {
		ssize_t n = read(fd, buf + total, size - 1 - total);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (!n)
			break;
		total += (size_t)n;
	}
	buf[total] = 0;
	close(fd);
	return (ssize_t)total;
}

/**
 * pidfile_open() - Create (truncate) the PID file before the sandbox is set
 * @path:	path of the file
 *
 * Return: file descriptor, exits on failure
 */
int pidfile_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		die("--pid: failed to open %s: %s", path, strerror(errno));
	return fd;
}

/**
 * pidfile_write() - Write a PID to the PID file and close it
 * @fd:		file descriptor from pidfile_open(), or -1 for none
 * @pid:	PID to write
 */
void pidfile_write(int fd, pid_t pid)
{
	char buf[32];
	int n;

	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%i\n", pid);
	if (write_all(fd, buf, (size_t)n))
		die("--pid: failed to write PID file: %s", strerror(errno));
	close(fd);
}

/**
 * fd_set_nonblock() - Set O_NONBLOCK on a file descriptor
 * @fd:		file descriptor
 *
 * Return: 0 on success, -1 on error
 */
int fd_set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/**
 * parse_uint() - Parse a whole decimal unsigned number with an upper bound
 * @s:		string
 * @max:	largest accepted value
 * @out:	parsed value, set on success only
 *
 * Return: 0 on success, -1 if @s is empty, not a number, or above @max
 */
int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/**
 * sock_l4() - Open, bind and register a TCP listener, UDP or ping socket
 * @c:		execution context
 * @af:		AF_INET or AF_INET6 (IPv6 sockets are IPv6-only)
 * @proto:	IPPROTO_TCP (listening socket), IPPROTO_UDP, IPPROTO_ICMP or
 *		IPPROTO_ICMPV6 (ping socket, @port is the echo identifier)
 * @bind_addr:	address to bind to (in_addr/in6_addr), NULL for any
 * @ifname:	interface to bind to, NULL or empty for none
 * @port:	port, host order, 0 for any
 * @ref:	epoll reference (the fd is filled in); type NONE: not added
 *
 * Return: socket on success, negative error code on failure
 */
int sock_l4(const struct ctx *c, int af, uint8_t proto, const void *bind_addr,
	    const char *ifname, uint16_t port, union epoll_ref ref)
{
	int type = proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	union {
		struct sockaddr_in a4;
		struct sockaddr_in6 a6;
	} sa;
	socklen_t sl;
	int fd, y = 1;

	fd = socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	if (fd >= (1 << 24)) {
		close(fd);
		return -EBADF;
	}

	if (proto == IPPROTO_TCP)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &y, sizeof(y));
	/* Ping sockets are created with SO_REUSEADDR set: two of them could
	 * then share an echo identifier, and the newer one would take the
	 * replies of the other (a ping of the host, or the guest's).  Without
	 * it, bind() fails on an identifier in use, and we pick another one.
	 */
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		int n = 0;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &n, sizeof(n));
	}
	if (af == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &y, sizeof(y)))
		debug("Failed to set IPV6_V6ONLY: %s", strerror(errno));
	if (ifname && *ifname &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		       (socklen_t)strlen(ifname) + 1)) {
		int err = errno;

		close(fd);
		return -err;
	}

	memset(&sa, 0, sizeof(sa));
	if (af == AF_INET) {
		sa.a4.sin_family = AF_INET;
		sa.a4.sin_port = htons(port);
		if (bind_addr)
			memcpy(&sa.a4.sin_addr, bind_addr, sizeof(struct in_addr));
		sl = sizeof(sa.a4);
	} else {
		sa.a6.sin6_family = AF_INET6;
		sa.a6.sin6_port = htons(port);
		if (bind_addr)
			memcpy(&sa.a6.sin6_addr, bind_addr,
			       sizeof(struct in6_addr));
		sl = sizeof(sa.a6);
	}

	/* A forwarded port may see bursts of connections while we're busy:
	 * an overflowing accept queue drops handshakes, or resets them once
	 * SYN cookies are in play.  The kernel caps this at somaxconn.
	 */
	if (bind(fd, (struct sockaddr *)&sa, sl) ||
	    (proto == IPPROTO_TCP && listen(fd, SOCK_LISTEN_BACKLOG))) {
		int err = errno;

		close(fd);
		return -err;
	}

	if (ref.type != EPOLL_TYPE_NONE)
		passt_epoll_add(c, fd, EPOLLIN, ref);
	return fd;
}

/**
 * struct sock_l4_arg - A socket to open inside the namespace
 * @c:		execution context
 * @af:		address family
 * @proto:	protocol, as for sock_l4()
 * @addr:	bind address, or NULL
 * @ifname:	interface, or NULL
 * @port:	port
 * @ref:	epoll reference
 * @fd:		resulting socket, or negative error code
 */
struct sock_l4_arg {
	const struct ctx *c;
	int af;
	uint8_t proto;
	const void *addr;
	const char *ifname;
	uint16_t port;
	union epoll_ref ref;
	int fd;
};

/**
 * sock_l4_ns_fn() - Body of sock_l4_ns(), run inside the namespace
 * @arg:	struct sock_l4_arg
 *
 * Return: 0
 */
static int sock_l4_ns_fn(void *arg)
{
	struct sock_l4_arg *a = arg;

	a->fd = sock_l4(a->c, a->af, a->proto, a->addr, a->ifname, a->port,
			a->ref);
	return 0;
}

/**
 * sock_l4_ns() - sock_l4(), with the socket opened in pasta's namespace
 * @c:		execution context
 * @af:		address family
 * @proto:	protocol, as for sock_l4()
 * @bind_addr:	address to bind to, NULL for any
 * @ifname:	interface to bind to, NULL or empty for none
 * @port:	port, host order
 * @ref:	epoll reference
 *
 * Return: socket on success, negative error code on failure
 */
int sock_l4_ns(const struct ctx *c, int af, uint8_t proto,
	       const void *bind_addr, const char *ifname, uint16_t port,
	       union epoll_ref ref)
{
	struct sock_l4_arg a = { .c = c, .af = af, .proto = proto,
				 .addr = bind_addr, .ifname = ifname,
				 .port = port, .ref = ref };

	if (ns_call(c, sock_l4_ns_fn, &a))
		return -EIO;
	return a.fd;
}
