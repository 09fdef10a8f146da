// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwd.c - Address translation between the guest's view and the host's
 *
 * With default options there is no NAT: the guest has the host's address and
 * talks to the world with it.  The exceptions, described in passt.1, NOTES:
 *
 * - the gateway address (--map-host-loopback), as a destination from the
 *   guest, means the host itself: it becomes the host's loopback address
 *   (unless --no-map-gw); --map-guest-addr ADDR becomes the host's own
 *   address; --dns-forward ADDR, port 53, becomes the host's resolver
 *   (--dns-host);
 * - for flows started on the host side (port forwarding), a source that the
 *   guest could not answer to (loopback, or the guest's own address, which
 *   is also the host's) is shown to the guest as the gateway, or, for the
 *   host's own address, as the --map-guest-addr address if given.
 *
 * Flows remember both views, so replies need no translation here.
 *
 * The second part of this file is pasta's automatic forwarding ("auto", the
 * default for -t, -u, -T and -U): ports bound on one side are forwarded from
 * the other side.  Bound sockets are read from /proc/net/tcp, tcp6, udp and
 * udp6 of each side: TCP sockets in state LISTEN (0A), UDP sockets that are
 * not connected (07).  The files of the host are opened directly; those of
 * the namespace are opened as /proc/self/net/... by a task that joined it
 * (ns_call()): a file of /proc/PID/net keeps showing the network namespace
 * of the task that opened it after that task is gone, and it stays open
 * once the sandbox empties our view of the filesystem.  Each scan seeks back
 * to the start and reads the file again.
 *
 * TCP is scanned at start and every second (from tcp_splice_timer()): a port
 * listening on one side gets our listeners on the other side (tcp_listen()),
 * and loses them (tcp_unlisten()) once nothing listens on it any longer.
 * Two rules keep forwarding from looping or stealing ports:
 *
 * - a port counts as "listening on a side" only if the listener isn't ours:
 *   our own listeners (opened for "auto" or for an explicit spec) show up in
 *   the same files, and must not be forwarded back to where they came from;
 * - a port isn't bound on a side if something else there listens on it.
 *
 * A port that can't be bound (privileged, or in use in a way the scan can't
 * see) isn't tried again until it disappears from the other side.  UDP is
 * scanned once at start, by udp_init(), with fwd_scan_ports().
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fwd.h"
#include "log.h"
#include "passt.h"
#include "tcp.h"
#include "util.h"

/* #syscalls:pasta lseek read openat clone wait4 setns */

#define DNS_PORT	53

/**
 * fwd_nat_from_guest() - Host-side destination for a flow the guest starts
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @dst:	destination as the guest sent it (struct in_addr/in6_addr)
 * @dport:	destination port, host order (ICMP: 0)
 * @out:	host-side destination, same type as @dst; may alias @dst
 */
void fwd_nat_from_guest(const struct ctx *c, int af, const void *dst,
			uint16_t dport, void *out)
{
	if (af == AF_INET) {
		struct in_addr a;

		memcpy(&a, dst, sizeof(a));
		if (dport == DNS_PORT && c->ip4.dns_match.s_addr &&
		    a.s_addr == c->ip4.dns_match.s_addr)
			a = c->ip4.dns_host;
		else if (c->ip4.map_host_lo.s_addr &&
			 a.s_addr == c->ip4.map_host_lo.s_addr)
			a.s_addr = htonl(INADDR_LOOPBACK);
		else if (c->ip4.map_guest_addr.s_addr &&
			 a.s_addr == c->ip4.map_guest_addr.s_addr)
			a = c->ip4.addr;
		memcpy(out, &a, sizeof(a));
		return;
	}

	{
		struct in6_addr a;

		memcpy(&a, dst, sizeof(a));
		if (dport == DNS_PORT &&
		    !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.dns_match) &&
		    IN6_ARE_ADDR_EQUAL(&a, &c->ip6.dns_match))
			a = c->ip6.dns_host;
		else if (!IN6_IS_ADDR_UNSPECIFIED(&c->ip6.map_host_lo) &&
			 IN6_ARE_ADDR_EQUAL(&a, &c->ip6.map_host_lo))
			a = in6addr_loopback;
		else if (!IN6_IS_ADDR_UNSPECIFIED(&c->ip6.map_guest_addr) &&
			 IN6_ARE_ADDR_EQUAL(&a, &c->ip6.map_guest_addr))
			a = c->ip6.addr;
		memcpy(out, &a, sizeof(a));
	}
}

/**
 * fwd_nat_to_guest4() - Guest-side addresses for an IPv4 flow from the host
 * @c:		execution context
 * @src:	source of the flow on the host side
 * @gsrc:	source the guest will see
 * @gdst:	guest address the flow goes to
 *
 * Return: 0 on success, -1 if the guest could not answer to the source
 */
static int fwd_nat_to_guest4(const struct ctx *c, const struct in_addr *src,
			     struct in_addr *gsrc, struct in_addr *gdst)
{
	struct in_addr s = *src;

	*gdst = c->ip4.addr_seen.s_addr ? c->ip4.addr_seen : c->ip4.addr;
	if ((s.s_addr == c->ip4.addr.s_addr || s.s_addr == gdst->s_addr) &&
	    c->ip4.map_guest_addr.s_addr) {
		s = c->ip4.map_guest_addr;
	} else if ((ntohl(s.s_addr) >> 24) == IN_LOOPBACKNET ||
		   s.s_addr == c->ip4.addr.s_addr ||
		   s.s_addr == gdst->s_addr || !s.s_addr) {
		if (!c->ip4.map_host_lo.s_addr)
			return -1;
		s = c->ip4.map_host_lo;
	}
	*gsrc = s;
	return 0;
}

/**
 * fwd_nat_to_guest6() - Guest-side addresses for an IPv6 flow from the host
 * @c:		execution context
 * @src:	source of the flow on the host side
 * @gsrc:	source the guest will see
 * @gdst:	guest address the flow goes to: link-local if the source is
 *
 * Return: 0 on success, -1 if the guest could not answer to the source
 */
static int fwd_nat_to_guest6(const struct ctx *c, const struct in6_addr *src,
			     struct in6_addr *gsrc, struct in6_addr *gdst)
{
	struct in6_addr s = *src;

	*gdst = IN6_IS_ADDR_UNSPECIFIED(&c->ip6.addr_seen) ? c->ip6.addr :
							      c->ip6.addr_seen;
	if ((IN6_ARE_ADDR_EQUAL(&s, &c->ip6.addr) ||
	     IN6_ARE_ADDR_EQUAL(&s, gdst)) &&
	    !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.map_guest_addr)) {
		s = c->ip6.map_guest_addr;
	} else if (IN6_IS_ADDR_LOOPBACK(&s) || IN6_IS_ADDR_UNSPECIFIED(&s) ||
		   IN6_ARE_ADDR_EQUAL(&s, &c->ip6.addr) ||
		   IN6_ARE_ADDR_EQUAL(&s, gdst)) {
		if (IN6_IS_ADDR_UNSPECIFIED(&c->ip6.map_host_lo))
			return -1;
		s = c->ip6.map_host_lo;
	}
	if (IN6_IS_ADDR_LINKLOCAL(&s) &&
	    !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.addr_ll_seen))
		*gdst = c->ip6.addr_ll_seen;
	*gsrc = s;
	return 0;
}

/**
 * fwd_nat_to_guest() - Guest-side addresses for a flow from the host side
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @src:	source of the flow on the host side (in_addr/in6_addr)
 * @gsrc:	source the guest will see, same type
 * @gdst:	guest address the flow goes to, same type
 *
 * Return: 0 on success, -1 if the flow can't be shown to the guest
 */
int fwd_nat_to_guest(const struct ctx *c, int af, const void *src,
		     void *gsrc, void *gdst)
{
	if (af == AF_INET)
		return fwd_nat_to_guest4(c, src, gsrc, gdst);
	return fwd_nat_to_guest6(c, src, gsrc, gdst);
}

/* Automatic forwarding ("auto", pasta) */

#define FWD_SIDES	2	/* TCP_SIDE_HOST, TCP_SIDE_NS */
#define FWD_PROC_BUF	(64 * 1024)
#define FWD_STATE_LISTEN	0x0a	/* TCP_LISTEN in /proc/net/tcp */
#define FWD_STATE_UNCONN	0x07	/* TCP_CLOSE: unconnected UDP */

/**
 * enum fwd_proc_file - Files of /proc/net read for automatic forwarding
 */
enum fwd_proc_file {
	FWD_PROC_TCP,
	FWD_PROC_TCP6,
	FWD_PROC_UDP,
	FWD_PROC_UDP6,
	FWD_PROC_FILES,
};

static const char *const fwd_proc_paths[FWD_PROC_FILES] = {
	"/proc/self/net/tcp", "/proc/self/net/tcp6",
	"/proc/self/net/udp", "/proc/self/net/udp6",
};

/* Open files by side, fd + 1 (0: not open) */
static int fwd_proc_fd[FWD_SIDES][FWD_PROC_FILES];
static int fwd_proc_tried;

/* TCP: ports bound on each side (scratch), listeners opened for "auto" on
 * each side, and ports that failed to bind there
 */
static uint8_t fwd_bound[FWD_SIDES][NUM_PORTS / 8];
static uint8_t fwd_auto_open[FWD_SIDES][NUM_PORTS / 8];
static uint8_t fwd_auto_fail[FWD_SIDES][NUM_PORTS / 8];

static char fwd_proc_buf[FWD_PROC_BUF];

/**
 * fwd_proc_open_dir() - Open the /proc/net files of the calling task
 * @arg:	int[FWD_PROC_FILES], filled with fd + 1, 0 on failure
 *
 * Runs in the main process for the host, and inside the namespace (from
 * ns_call()) for the namespace.
 *
 * Return: 0
 */
static int fwd_proc_open_dir(void *arg)
{
	int *fds = arg, i;

	for (i = 0; i < FWD_PROC_FILES; i++) {
		int fd = open(fwd_proc_paths[i], O_RDONLY | O_CLOEXEC);

		fds[i] = fd < 0 ? 0 : fd + 1;
	}
	return 0;
}

/**
 * fwd_proc_open() - Open the /proc/net files of both sides, once
 * @c:		execution context
 *
 * Must run at start-up, before the sandbox leaves us without a filesystem.
 */
static void fwd_proc_open(const struct ctx *c)
{
	if (fwd_proc_tried)
		return;
	fwd_proc_tried = 1;

	fwd_proc_open_dir(fwd_proc_fd[TCP_SIDE_HOST]);
	if (ns_call(c, fwd_proc_open_dir, fwd_proc_fd[TCP_SIDE_NS]))
		warn("Can't read the namespace's bound ports: \"auto\" "
		     "forwards nothing from the host");
}

/**
 * fwd_hex() - Parse hexadecimal digits
 * @p:		cursor, moved past the digits
 * @end:	end of the line
 * @v:		value
 *
 * Return: number of digits
 */
static int fwd_hex(const char **p, const char *end, unsigned long *v)
{
	int n = 0;

	*v = 0;
	for (; *p < end; (*p)++, n++) {
		char ch = **p;
		unsigned int d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned int)(ch - '0');
		else if (ch >= 'A' && ch <= 'F')
			d = (unsigned int)(ch - 'A' + 10);
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned int)(ch - 'a' + 10);
		else
			break;
		*v = (*v << 4) | d;
	}
	return n;
}

/**
 * fwd_skip_spaces() - Move a cursor past spaces
 * @p:		cursor
 * @end:	end of the line
 */
static void fwd_skip_spaces(const char **p, const char *end)
{
	while (*p < end && **p == ' ')
		(*p)++;
}

/**
 * fwd_proc_line() - Parse one line of /proc/net/{tcp,tcp6,udp,udp6}
 * @p:		start of the line
 * @end:	end of the line (newline excluded)
 * @state:	socket state that counts as bound
 * @map:	bitmap of ports, the local port is set if the state matches
 *
 * Format (proc(5)): "sl: local_address rem_address st ...", addresses as
 * hexadecimal ADDRESS:PORT.  The header line doesn't parse, and is skipped.
 */
static void fwd_proc_line(const char *p, const char *end, unsigned long state,
			  uint8_t *map)
{
	unsigned long v, port;

	fwd_skip_spaces(&p, end);
	if (!fwd_hex(&p, end, &v) || p >= end || *p++ != ':')
		return;
	fwd_skip_spaces(&p, end);
	if (!fwd_hex(&p, end, &v) || p >= end || *p++ != ':')
		return;
	if (fwd_hex(&p, end, &port) != 4)
		return;
	fwd_skip_spaces(&p, end);
	if (!fwd_hex(&p, end, &v) || p >= end || *p++ != ':' ||
	    fwd_hex(&p, end, &v) != 4)
		return;
	fwd_skip_spaces(&p, end);
	if (fwd_hex(&p, end, &v) != 2 || v != state || !port)
		return;
	bitmap_set(map, (unsigned int)port);
}

/**
 * fwd_proc_read() - Read a whole /proc/net file, setting bound ports
 * @fd:		file, read again from its start
 * @state:	socket state that counts as bound
 * @map:	bitmap of ports to set
 */
static void fwd_proc_read(int fd, unsigned long state, uint8_t *map)
{
	size_t have = 0;

	if (lseek(fd, 0, SEEK_SET))
		return;
	for (;;) {
		ssize_t n = read(fd, fwd_proc_buf + have,
				 sizeof(fwd_proc_buf) - have);
		const char *p = fwd_proc_buf, *nl, *end;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		have += (size_t)n;
		end = fwd_proc_buf + have;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			fwd_proc_line(p, nl, state, map);
			p = nl + 1;
		}
		have = (size_t)(end - p);
		if (have == sizeof(fwd_proc_buf))
			have = 0;	/* no line is this long: drop it */
		memmove(fwd_proc_buf, p, have);
	}
}

/**
 * fwd_scan_ports() - Ports bound on one side, as /proc/net tells
 * @c:		execution context
 * @side:	TCP_SIDE_HOST or TCP_SIDE_NS
 * @udp:	UDP (unconnected sockets) instead of TCP (listening sockets)
 * @map:	bitmap of ports, cleared, then set for each bound port
 */
void fwd_scan_ports(const struct ctx *c, int side, bool udp, uint8_t *map)
{
	int f = udp ? FWD_PROC_UDP : FWD_PROC_TCP, i;

	memset(map, 0, NUM_PORTS / 8);
	fwd_proc_open(c);
	for (i = f; i <= f + 1; i++) {
		if (fwd_proc_fd[side][i])
			fwd_proc_read(fwd_proc_fd[side][i] - 1,
				      udp ? FWD_STATE_UNCONN :
					    FWD_STATE_LISTEN, map);
	}
}

/**
 * fwd_tcp_table() - Forwarding table of TCP listeners on a side
 * @c:		execution context
 * @side:	TCP_SIDE_HOST (-t) or TCP_SIDE_NS (-T)
 *
 * Return: the table
 */
static const struct fwd_ports *fwd_tcp_table(const struct ctx *c, int side)
{
	return side == TCP_SIDE_NS ? &c->tcp_out : &c->tcp_in;
}

/**
 * fwd_tcp_ours() - Do we listen on a port on a side?
 * @c:		execution context
 * @side:	TCP_SIDE_HOST or TCP_SIDE_NS
 * @port:	port
 *
 * Return: true for ports of an explicit spec, and ports opened for "auto"
 */
static bool fwd_tcp_ours(const struct ctx *c, int side, unsigned int port)
{
	const struct fwd_ports *fwd = fwd_tcp_table(c, side);

	if (bitmap_isset(fwd_auto_open[side], port))
		return true;
	return fwd->mode == FWD_SPEC && bitmap_isset(fwd->map, port);
}

/**
 * fwd_auto_want() - Should we listen on a port on a side, for "auto"?
 * @c:		execution context
 * @side:	side where we would listen
 * @port:	port
 *
 * Return: true if others listen on it on the other side, not on this one,
 *	   and the spec doesn't exclude it
 */
static bool fwd_auto_want(const struct ctx *c, int side, unsigned int port)
{
	const struct fwd_ports *fwd = fwd_tcp_table(c, side);
	int other = !side;

	if (!bitmap_isset(fwd->map, port) || bitmap_isset(fwd->excl, port))
		return false;
	if (!bitmap_isset(fwd_bound[other], port) ||
	    fwd_tcp_ours(c, other, port))
		return false;
	return !bitmap_isset(fwd_bound[side], port) ||
	       fwd_tcp_ours(c, side, port);
}

/**
 * fwd_auto_tcp_side() - Open and close "auto" listeners on one side
 * @c:		execution context
 * @side:	TCP_SIDE_HOST (for -t auto) or TCP_SIDE_NS (for -T auto)
 */
static void fwd_auto_tcp_side(struct ctx *c, int side)
{
	unsigned int port;

	for (port = 1; port < NUM_PORTS; port++) {
		bool want, open = bitmap_isset(fwd_auto_open[side], port);

		if (!(port % 8) && !fwd_bound[!side][port / 8] &&
		    !fwd_auto_open[side][port / 8] &&
		    !fwd_auto_fail[side][port / 8]) {
			port += 7;	/* nothing in these 8 ports */
			continue;
		}

		want = fwd_auto_want(c, side, port);
		if (!bitmap_isset(fwd_bound[!side], port))
			bitmap_clear(fwd_auto_fail[side], port);
		if (want && !open &&
		    !bitmap_isset(fwd_auto_fail[side], port)) {
			if (tcp_listen(c, side, (uint16_t)port, true) > 0) {
				bitmap_set(fwd_auto_open[side], port);
				debug("TCP: auto: forwarding port %u %s", port,
				      side == TCP_SIDE_HOST ? "to the namespace"
							    : "to the host");
			} else {
				bitmap_set(fwd_auto_fail[side], port);
			}
		} else if (!want && open) {
			tcp_unlisten(side, (uint16_t)port);
			bitmap_clear(fwd_auto_open[side], port);
			/* It was ours: not a reason to forward it back */
			bitmap_clear(fwd_bound[side], port);
			debug("TCP: auto: port %u no longer forwarded %s", port,
			      side == TCP_SIDE_HOST ? "to the namespace"
						    : "to the host");
		}
	}
}

/**
 * fwd_auto_tcp_scan() - Follow listening TCP sockets of both sides, for
 *			 -t auto and -T auto (pasta); called every second
 * @c:		execution context
 */
void fwd_auto_tcp_scan(struct ctx *c)
{
	if (c->mode != MODE_PASTA ||
	    (c->tcp_in.mode != FWD_AUTO && c->tcp_out.mode != FWD_AUTO))
		return;

	fwd_scan_ports(c, TCP_SIDE_HOST, false, fwd_bound[TCP_SIDE_HOST]);
	fwd_scan_ports(c, TCP_SIDE_NS, false, fwd_bound[TCP_SIDE_NS]);
	if (c->tcp_in.mode == FWD_AUTO)
		fwd_auto_tcp_side(c, TCP_SIDE_HOST);
	if (c->tcp_out.mode == FWD_AUTO)
		fwd_auto_tcp_side(c, TCP_SIDE_NS);
}

/**
 * fwd_outbound() - Source address and interface of sockets that connect or
 *		    send to the outside for the guest (-o, --outbound-if4/6)
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @ifname:	set to the interface to bind to, NULL for none
 *
 * Return: address to bind to, NULL for the one routing picks
 */
const void *fwd_outbound(const struct ctx *c, int af, const char **ifname)
{
	const char *name = af == AF_INET ? c->ip4.ifname_out :
					   c->ip6.ifname_out;

	*ifname = *name ? name : NULL;
	if (af == AF_INET)
		return c->ip4.addr_out.s_addr ? &c->ip4.addr_out : NULL;
	return IN6_IS_ADDR_UNSPECIFIED(&c->ip6.addr_out) ? NULL :
							   &c->ip6.addr_out;
}
