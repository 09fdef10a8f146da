// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test/fuzz/fuzz_tap.c - libFuzzer harness: arbitrary guest input through
 * the tap parsing path into every handler (ARP, DHCP, NDP, DHCPv6, TCP, UDP,
 * ICMP), in both modes, with sockets stubbed at the syscall boundary
 *
 * Each input is a byte stream as passt reads it from its UNIX socket:
 * frames, each preceded by a 32-bit big-endian length (garbage included).
 * It is handed to tap_handler_passt() through recv(), then, split at the
 * length prefixes, to tap_handler_pasta() one frame per read(), as from the
 * tap device.  The end-of-iteration work of the event loop follows
 * (tcp_flush()), and, every few inputs, the periodic timers.
 *
 * The product's calls to socket functions are redirected at link time
 * (-Wl,--wrap=NAME, see FUZZ_WRAP in the Makefile) to the stubs below:
 * sockets, pipes and timers are fake descriptors, sends succeed, receives
 * find nothing, so nothing reaches any network, and what the handlers
 * decide is still fully exercised.  read(), write(), close() and fcntl()
 * pass through, except on fake descriptors.  The run is wrapped in a network namespace of its
 * own by test/fuzz/run.sh all the same.
 *
 * Build: make fuzz (clang, -fsanitize=fuzzer,address,undefined)
 * Run:   make fuzz-run FUZZ_TIME=SECONDS, or test/fuzz/run.sh SECONDS
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "icmp.h"
#include "log.h"
#include "ndp.h"
#include "passt.h"
#include "tap.h"
#include "tcp.h"
#include "udp.h"

#define FUZZ_TIMER_EVERY	16	/* inputs between timer runs */
#define FUZZ_FD_BASE		(1 << 20)	/* fake descriptors: no real */
#define FUZZ_FD_COUNT		(1 << 16)	/* one has such numbers */

static struct ctx c;
static int fuzz_tap = -1;	/* guest side descriptor */
static uint8_t fuzz_fd_used[FUZZ_FD_COUNT / 8];
static unsigned int fuzz_fd_next;

/* What the guest "sends" in the current iteration */
static const uint8_t *fuzz_data;
static size_t fuzz_len, fuzz_off;

/* Real functions, for descriptors that are not ours */
ssize_t __real_read(int fd, void *buf, size_t len);
ssize_t __real_write(int fd, const void *buf, size_t len);
int __real_close(int fd);
int __real_fcntl(int fd, int cmd, ...);

/**
 * fuzz_fake_fd() - A new descriptor standing for a socket, pipe or timer
 *
 * Fake descriptors are numbers no real one has, so that the handlers can
 * keep thousands of "sockets" without the process running out of real ones.
 *
 * Return: descriptor, or -1 with EMFILE if all are in use
 */
static int fuzz_fake_fd(void)
{
	unsigned int i, n;

	for (i = 0; i < FUZZ_FD_COUNT; i++) {
		n = (fuzz_fd_next + i) % FUZZ_FD_COUNT;
		if (!(fuzz_fd_used[n / 8] & (1U << (n % 8)))) {
			fuzz_fd_used[n / 8] |= (uint8_t)(1U << (n % 8));
			fuzz_fd_next = n + 1;
			return FUZZ_FD_BASE + (int)n;
		}
	}
	errno = EMFILE;
	return -1;
}

/**
 * fuzz_is_fake() - Tell if a descriptor is one of ours
 * @fd:		descriptor
 *
 * Return: true if it was returned by fuzz_fake_fd()
 */
static bool fuzz_is_fake(int fd)
{
	return fd >= FUZZ_FD_BASE && fd < FUZZ_FD_BASE + FUZZ_FD_COUNT;
}

/* --- Stubs: socket creation and set-up always succeed */

int __wrap_socket(int domain, int type, int protocol)
{
	(void)domain; (void)type; (void)protocol;
	return fuzz_fake_fd();
}

int __wrap_bind(int fd, const struct sockaddr *a, socklen_t l)
{
	(void)fd; (void)a; (void)l;
	return 0;
}

int __wrap_listen(int fd, int backlog)
{
	(void)fd; (void)backlog;
	return 0;
}

int __wrap_connect(int fd, const struct sockaddr *a, socklen_t l)
{
	(void)fd; (void)a; (void)l;
	return 0;
}

int __wrap_accept4(int fd, struct sockaddr *a, socklen_t *l, int flags)
{
	(void)fd; (void)a; (void)l; (void)flags;
	errno = EAGAIN;
	return -1;
}

int __wrap_setsockopt(int fd, int level, int name, const void *v,
		      socklen_t l)
{
	(void)fd; (void)level; (void)name; (void)v; (void)l;
	return 0;
}

int __wrap_getsockopt(int fd, int level, int name, void *v, socklen_t *l)
{
	(void)fd; (void)level; (void)name;
	if (v && l)
		memset(v, 0, *l);
	return 0;
}

int __wrap_getsockname(int fd, struct sockaddr *a, socklen_t *l)
{
	(void)fd;
	if (a && l)
		memset(a, 0, *l);
	return 0;
}

int __wrap_shutdown(int fd, int how)
{
	(void)fd; (void)how;
	return 0;
}

int __wrap_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	(void)epfd; (void)op; (void)fd; (void)ev;
	return 0;
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	int *arg;

	(void)fd; (void)req;
	va_start(ap, req);
	arg = va_arg(ap, int *);
	va_end(ap);
	if (arg)
		*arg = 0;	/* SIOCOUTQ, SIOCINQ: nothing queued */
	return 0;
}

int __wrap_timerfd_create(int clockid, int flags)
{
	(void)clockid; (void)flags;
	return fuzz_fake_fd();
}

int __wrap_timerfd_settime(int fd, int flags, const void *new, void *old)
{
	(void)fd; (void)flags; (void)new; (void)old;
	return 0;
}

int __wrap_pipe2(int fds[2], int flags)
{
	(void)flags;
	fds[0] = fuzz_fake_fd();
	fds[1] = fuzz_fake_fd();
	return 0;
}

ssize_t __wrap_splice(int in, void *off_in, int out, void *off_out,
		      size_t len, unsigned int flags)
{
	(void)in; (void)off_in; (void)out; (void)off_out; (void)len;
	(void)flags;
	errno = EAGAIN;
	return -1;
}

int __wrap_clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	(void)fn; (void)stack; (void)flags; (void)arg;
	errno = ENOSYS;	/* ns_call() fails: no namespace here */
	return -1;
}

int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	nfds_t i;

	(void)timeout;
	for (i = 0; i < n; i++)
		fds[i].revents = fds[i].events;
	return (int)n;
}

/* --- Stubs: sends take everything, receives find nothing */

/**
 * iov_len() - Total length of an I/O vector
 * @iov:	vector
 * @n:		number of entries
 *
 * Return: sum of the lengths
 */
static size_t iov_len(const struct iovec *iov, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	return len;
}

ssize_t __wrap_sendto(int fd, const void *buf, size_t len, int flags,
		      const struct sockaddr *a, socklen_t l)
{
	(void)fd; (void)buf; (void)flags; (void)a; (void)l;
	return (ssize_t)len;
}

ssize_t __wrap_sendmsg(int fd, const struct msghdr *mh, int flags)
{
	(void)fd; (void)flags;
	return (ssize_t)iov_len(mh->msg_iov, mh->msg_iovlen);
}

int __wrap_sendmmsg(int fd, struct mmsghdr *mm, unsigned int n, int flags)
{
	unsigned int i;

	(void)fd; (void)flags;
	for (i = 0; i < n; i++)
		mm[i].msg_len = (unsigned int)iov_len(mm[i].msg_hdr.msg_iov,
						       mm[i].msg_hdr.msg_iovlen);
	return (int)n;
}

ssize_t __wrap_recvfrom(int fd, void *buf, size_t len, int flags,
			struct sockaddr *a, socklen_t *l)
{
	(void)fd; (void)buf; (void)len; (void)flags; (void)a; (void)l;
	errno = EAGAIN;
	return -1;
}

ssize_t __wrap_recvmsg(int fd, struct msghdr *mh, int flags)
{
	(void)fd; (void)mh; (void)flags;
	errno = EAGAIN;
	return -1;
}

int __wrap_recvmmsg(int fd, struct mmsghdr *mm, unsigned int n, int flags,
		    struct timespec *t)
{
	(void)fd; (void)mm; (void)n; (void)flags; (void)t;
	errno = EAGAIN;
	return -1;
}

/**
 * __wrap_recv() - passt's guest socket: the whole input, in one or more reads
 * @fd:		descriptor
 * @buf:	buffer
 * @len:	its size
 * @flags:	ignored
 *
 * Return: bytes copied, or -1 with EAGAIN once the input is consumed
 */
ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags)
{
	(void)flags;
	if (fd != fuzz_tap || fuzz_off >= fuzz_len) {
		errno = EAGAIN;
		return -1;
	}
	if (len > fuzz_len - fuzz_off)
		len = fuzz_len - fuzz_off;
	memcpy(buf, fuzz_data + fuzz_off, len);
	fuzz_off += len;
	return (ssize_t)len;
}

/**
 * __wrap_read() - pasta's tap device: one frame of the input per read
 * @fd:		descriptor
 * @buf:	buffer
 * @len:	its size
 *
 * Return: frame length (cut to @len), -1 with EAGAIN at the end of the input
 */
ssize_t __wrap_read(int fd, void *buf, size_t len)
{
	uint32_t flen;

	if (fd != fuzz_tap && !fuzz_is_fake(fd))
		return __real_read(fd, buf, len);
	if (fd != fuzz_tap) {
		errno = EAGAIN;
		return -1;
	}

	if (fuzz_len - fuzz_off < sizeof(flen)) {
		errno = EAGAIN;
		return -1;
	}
	memcpy(&flen, fuzz_data + fuzz_off, sizeof(flen));
	fuzz_off += sizeof(flen);
	flen = ntohl(flen);
	if (flen > fuzz_len - fuzz_off)
		flen = (uint32_t)(fuzz_len - fuzz_off);
	if (flen > len)
		flen = (uint32_t)len;
	memcpy(buf, fuzz_data + fuzz_off, flen);
	fuzz_off += flen;
	return flen;
}

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
	if (fuzz_is_fake(fd))
		return (ssize_t)len;
	return __real_write(fd, buf, len);
}

int __wrap_close(int fd)
{
	unsigned int n = (unsigned int)(fd - FUZZ_FD_BASE);

	if (!fuzz_is_fake(fd))
		return __real_close(fd);
	if (fd != fuzz_tap)	/* the guest's is "reopened" for each input */
		fuzz_fd_used[n / 8] &= (uint8_t)~(1U << (n % 8));
	return 0;
}

int __wrap_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	if (fuzz_is_fake(fd))
		return cmd == F_GETFL ? O_RDWR : 0;
	return __real_fcntl(fd, cmd, arg);
}

/* --- Set-up: the sandbox's host configuration, as conf() would find it */

/**
 * fuzz_conf() - Fill the context like conf() does on the test sandbox
 */
static void fuzz_conf(void)
{
	static const unsigned char mac[ETH_ADDR_LEN] = { 2, 0, 0, 0, 0xa, 1 };

	c.fd_tap = c.fd_tap_listen = -1;
	c.pasta_netns_fd = c.pasta_userns_fd = -1;
	c.epollfd = fuzz_fake_fd();
	memcpy(c.our_tap_mac, mac, sizeof(mac));
	c.ifi4 = c.ifi6 = 2;
	strcpy(c.ifname4, "veth0");
	strcpy(c.ifname6, "veth0");
	strcpy(c.pasta_ifn, "veth0");

	inet_pton(AF_INET, "192.0.2.1", &c.ip4.addr);
	c.ip4.prefix_len = 24;
	inet_pton(AF_INET, "192.0.2.2", &c.ip4.gw);
	inet_pton(AF_INET, "198.51.100.53", &c.ip4.dns[0]);

	inet_pton(AF_INET6, "2001:db8::1", &c.ip6.addr);
	c.ip6.prefix_len = 64;
	inet_pton(AF_INET6, "fe80::2", &c.ip6.gw);
	inet_pton(AF_INET6, "fe80::2", &c.ip6.our_tap_ll);
	inet_pton(AF_INET6, "2001:db8:1::53", &c.ip6.dns[0]);
	strcpy(c.dns_search[0].n, "example.org");
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * LLVMFuzzerInitialize() - Context and protocol tables, once
 * @argc:	unused
 * @argv:	unused
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;

	fuzz_tap = fuzz_fake_fd();
	log_init("passt", 1, 0, 0, 1);	/* warnings and errors only */
	fuzz_conf();

	c.mode = MODE_PASST;
	tcp_init(&c);
	udp_init(&c);
	icmp_init(&c);
	return 0;
}

/**
 * fuzz_timers() - The periodic work of the event loop
 * @now:	current (simulated) time
 */
static void fuzz_timers(const struct timespec *now)
{
	ndp_timer(&c, now);
	tcp_timer(&c, now);
	udp_timer(&c, now);
	icmp_timer(&c, now);
}

/**
 * LLVMFuzzerTestOneInput() - One stream, through passt's and pasta's paths
 * @data:	stream
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned long runs;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	fuzz_data = data;
	fuzz_len = size;

	c.mode = MODE_PASST;
	c.fd_tap = fuzz_tap;
	fuzz_off = 0;
	tap_handler_passt(&c, EPOLLIN, &now);
	tcp_flush(&c);

	c.mode = MODE_PASTA;
	c.fd_tap = fuzz_tap;
	fuzz_off = 0;
	tap_handler_pasta(&c, EPOLLIN, &now);
	tcp_flush(&c);

	if (!(++runs % FUZZ_TIMER_EVERY)) {
		now.tv_sec += (time_t)(runs / FUZZ_TIMER_EVERY) * 10;
		fuzz_timers(&now);
	}
	return 0;
}
