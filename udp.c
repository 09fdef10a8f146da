// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp.c - UDP translation (not implemented yet: datagrams are dropped)
 */

#include "log.h"
#include "udp.h"

/**
 * udp_init() - Set up UDP forwarding (nothing yet)
 * @c:		execution context
 */
void udp_init(struct ctx *c)
{
	(void)c;
}

/**
 * udp_tap_handler() - Datagrams from the guest: dropped for now
 * @c:		execution context
 * @af:		address family
 * @saddr:	source address
 * @daddr:	destination address
 * @p:		datagrams of one flow
 * @now:	current time
 */
void udp_tap_handler(struct ctx *c, int af, const void *saddr,
		     const void *daddr, const struct pool *p,
		     const struct timespec *now)
{
	(void)c; (void)af; (void)saddr; (void)daddr; (void)now;
	debug("UDP not implemented yet: %zu datagrams dropped", p->count);
}

/**
 * udp_sock_handler() - Socket events (none registered yet)
 * @c:		execution context
 * @ref:	epoll reference
 * @events:	epoll events
 * @now:	current time
 */
void udp_sock_handler(struct ctx *c, union epoll_ref ref, uint32_t events,
		      const struct timespec *now)
{
	(void)c; (void)ref; (void)events; (void)now;
}

/**
 * udp_timer() - Periodic work (none yet)
 * @c:		execution context
 * @now:	current time
 */
void udp_timer(struct ctx *c, const struct timespec *now)
{
	(void)c; (void)now;
}
