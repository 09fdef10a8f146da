/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fwd.h - Parsed port-forwarding specifications (-t -u -T -U)
 *
 * A specification is kept as a bitmap of forwarded ports, a table of port
 * deltas for translations and a per-port index into a small table of bind
 * addresses, so that the data path answers "is port P forwarded, where to,
 * bound to what" in constant time.  The parser lives in conf.c, address
 * translation (NOTES in passt.1) and pasta's "auto" (following bound ports
 * of the other side) in fwd.c.
 */

#ifndef FWD_H
#define FWD_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define NUM_PORTS	(1U << 16)
#define FWD_BIND_MAX	16	/* distinct bind addresses in one direction */

/**
 * enum fwd_mode - How ports are selected for one protocol and direction
 * @FWD_UNSET:	no option given (defaults applied at the end of conf())
 * @FWD_NONE:	"none": nothing forwarded
 * @FWD_SPEC:	explicit ports, ranges, exclusions
 * @FWD_AUTO:	"auto" (pasta): follow listening sockets of the other side
 * @FWD_ALL:	"all" (passt), or exclusions only: every port not excluded
 */
enum fwd_mode {
	FWD_UNSET = 0,
	FWD_NONE,
	FWD_SPEC,
	FWD_AUTO,
	FWD_ALL,
};

/**
 * struct fwd_bind - Address and/or interface a listener binds to
 * @af:		AF_INET, AF_INET6, or AF_UNSPEC when only @ifname is given
 * @addr4:	IPv4 address, with @af AF_INET
 * @addr6:	IPv6 address, with @af AF_INET6
 * @ifname:	interface (ADDR%DEV/ or %DEV/ form), empty if none
 */
struct fwd_bind {
	int af;
	struct in_addr addr4;
	struct in6_addr addr6;
	char ifname[IFNAMSIZ];
};

/**
 * struct fwd_ports - Forwarding for one protocol in one direction
 * @mode:	see enum fwd_mode
 * @map:	bitmap of forwarded ports (for FWD_AUTO: the ports to consider)
 * @excl:	bitmap of ports excluded with '~'
 * @delta:	destination port = port + delta[port] (mod 2^16)
 * @bind:	index into @binds for each port; 0 means any address
 * @binds:	bind addresses, entry 0 unused (any address)
 * @n_binds:	entries used in @binds, including entry 0
 */
struct fwd_ports {
	enum fwd_mode mode;
	uint8_t map[NUM_PORTS / 8];
	uint8_t excl[NUM_PORTS / 8];
	uint16_t delta[NUM_PORTS];
	uint8_t bind[NUM_PORTS];
	struct fwd_bind binds[FWD_BIND_MAX];
	int n_binds;
};

/**
 * fwd_port_is_fwd() - Is a port forwarded in this direction?
 * @f:		forwarding table
 * @port:	port number (host order)
 *
 * Return: non-zero if @port is set in the map
 */
static inline int fwd_port_is_fwd(const struct fwd_ports *f, uint16_t port)
{
	return f->map[port / 8] & (1U << (port % 8));
}

/**
 * fwd_port_dest() - Destination port for a forwarded port
 * @f:		forwarding table
 * @port:	port number on the listening side (host order)
 *
 * Return: port number on the other side, after translation
 */
static inline uint16_t fwd_port_dest(const struct fwd_ports *f, uint16_t port)
{
	return (uint16_t)(port + f->delta[port]);
}

struct ctx;

void fwd_nat_from_guest(const struct ctx *c, int af, const void *dst,
			uint16_t dport, void *out);
int fwd_nat_to_guest(const struct ctx *c, int af, const void *src,
		     void *gsrc, void *gdst);
void fwd_scan_ports(const struct ctx *c, int side, bool udp, uint8_t *map);
void fwd_auto_tcp_scan(struct ctx *c);
const void *fwd_outbound(const struct ctx *c, int af, const char **ifname);

#endif /* FWD_H */
