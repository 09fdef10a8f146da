// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwd.c - Address translation between the guest's view and the host's
 *
 * With default options there is no NAT: the guest has the host's address and
 * talks to the world with it.  Two exceptions, described in passt.1, NOTES:
 *
 * - the gateway address, as a destination from the guest, means the host
 *   itself: it becomes the host's loopback address (unless --no-map-gw), and
 *   --dns-forward ADDR, port 53, becomes the host's first resolver;
 * - for flows started on the host side (port forwarding), a source that the
 *   guest could not answer to (loopback, or the guest's own address, which
 *   is also the host's) is shown to the guest as the gateway.
 *
 * Flows remember both views, so replies need no translation here.
 */

#include <arpa/inet.h>
#include <string.h>

#include "fwd.h"
#include "passt.h"

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
		else if (!c->no_map_gw && a.s_addr == c->ip4.gw.s_addr)
			a.s_addr = htonl(INADDR_LOOPBACK);
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
		else if (!c->no_map_gw && IN6_ARE_ADDR_EQUAL(&a, &c->ip6.gw))
			a = in6addr_loopback;
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
	if ((ntohl(s.s_addr) >> 24) == IN_LOOPBACKNET ||
	    s.s_addr == c->ip4.addr.s_addr || s.s_addr == gdst->s_addr ||
	    !s.s_addr) {
		if (c->no_map_gw)
			return -1;
		s = c->ip4.gw;
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
	if (IN6_IS_ADDR_LOOPBACK(&s) || IN6_IS_ADDR_UNSPECIFIED(&s) ||
	    IN6_ARE_ADDR_EQUAL(&s, &c->ip6.addr) ||
	    IN6_ARE_ADDR_EQUAL(&s, gdst)) {
		if (c->no_map_gw)
			return -1;
		s = c->ip6.gw;
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
