/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * unit_ns.h - Helpers for unit tests that open real sockets: a private user
 * and network namespace with only the loopback interface (so nothing a test
 * sends can leave it, and no port of the machine is taken), descriptor
 * counts, and probes of whether a UDP port or an echo identifier is free.
 */

#ifndef UNIT_NS_H
#define UNIT_NS_H

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/**
 * unit_at() - A point in time, seconds after the start of the tests
 * @s:		seconds
 *
 * Return: timespec for the handlers' timers
 */
static inline struct timespec unit_at(time_t s)
{
	struct timespec t = { .tv_sec = 1000 + s };

	return t;
}

/**
 * unit_write() - Write a string to a file
 * @path:	file
 * @s:		string
 *
 * Return: 0 on success, -1 on failure
 */
static inline int unit_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/**
 * unit_netns() - Enter new user and network namespaces, bring up loopback
 *
 * Return: 0 on success, -1 if namespaces can't be used here
 */
static inline int unit_netns(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	unsigned int uid = getuid(), gid = getgid();
	char map[64];
	int fd, rc;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return -1;
	unit_write("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (unit_write("/proc/self/uid_map", map))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", gid);
	if (unit_write("/proc/self/gid_map", map))
		return -1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	rc = rc ? rc : ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
	return rc ? -1 : 0;
}

/**
 * unit_pasta_ctx() - Context of a pasta-like instance: a guest at 192.0.2.1
 *		      and 2001:db8::1, gateway 192.0.2.2 and fe80::2 mapped to
 *		      the host's loopback, an epoll instance, and frames for
 *		      the guest going to a socketpair that stands for the tap
 *		      device (include this after the module's source, for
 *		      struct ctx)
 * @c:		context, filled in
 * @tap_end:	our end of the "tap device", set on success
 *
 * Return: 0 on success, -1 if the socketpair or epoll instance failed
 */
static inline int unit_pasta_ctx(struct ctx *c, int *tap_end)
{
	int sp[2], buf = 4 << 20;

	c->mode = MODE_PASTA;
	c->ifi4 = c->ifi6 = 1;
	inet_pton(AF_INET, "192.0.2.1", &c->ip4.addr);
	inet_pton(AF_INET, "192.0.2.2", &c->ip4.gw);
	c->ip4.map_host_lo = c->ip4.gw;
	inet_pton(AF_INET6, "2001:db8::1", &c->ip6.addr);
	inet_pton(AF_INET6, "fe80::2", &c->ip6.gw);
	c->ip6.map_host_lo = c->ip6.gw;
	c->epollfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epollfd < 0 ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp))
		return -1;
	setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	setsockopt(sp[1], SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	fcntl(sp[0], F_SETFL, O_NONBLOCK);
	c->fd_tap = sp[0];
	*tap_end = sp[1];
	return 0;
}

/**
 * unit_ping_range() - Set net.ipv4.ping_group_range of our namespace
 * @range:	"LOW HIGH"
 *
 * Return: 0 on success, -1 on failure
 */
static inline int unit_ping_range(const char *range)
{
	return unit_write("/proc/sys/net/ipv4/ping_group_range", range);
}

/**
 * unit_fd_count() - Number of open descriptors of this process
 *
 * Return: count, the directory stream's own descriptor excluded
 */
static inline int unit_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3;	/* ".", ".." and the stream's descriptor */
}

/**
 * unit_nofile() - Raise the descriptor limit to at least @n
 * @n:		descriptors needed
 *
 * Return: 0 if the limit is now at least @n, -1 otherwise
 */
static inline int unit_nofile(rlim_t n)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r))
		return -1;
	if (r.rlim_cur >= n)
		return 0;
	if (r.rlim_max < n)
		return -1;
	r.rlim_cur = n;
	return setrlimit(RLIMIT_NOFILE, &r) ? -1 : 0;
}

/**
 * unit_bind_free() - Can a socket of this kind bind to @port right now?
 * @af:		AF_INET or AF_INET6
 * @type:	SOCK_DGRAM
 * @proto:	0 (UDP), IPPROTO_ICMP or IPPROTO_ICMPV6 (echo identifier)
 * @port:	port or identifier, host order
 *
 * Return: 1 if it can, 0 if it's taken (EADDRINUSE), -1 on other errors
 */
static inline int unit_bind_free(int af, int type, int proto, uint16_t port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd = socket(af, type | SOCK_CLOEXEC, proto), rc, one = 1;

	if (fd < 0)
		return -1;
	if (af == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (af == AF_INET)
		rc = bind(fd, (struct sockaddr *)&a4, sizeof(a4));
	else
		rc = bind(fd, (struct sockaddr *)&a6, sizeof(a6));
	close(fd);
	if (!rc)
		return 1;
	return errno == EADDRINUSE ? 0 : -1;
}

#endif /* UNIT_NS_H */
