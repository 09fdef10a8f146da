// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * icmp.c - ICMP echo (not implemented yet: messages are dropped)
 */

#include "icmp.h"
#include "log.h"

/**
 * icmp_init() - Set up (nothing yet)
 * @c:		execution context
 */
void icmp_init(struct ctx *c)
{
	(void)c;
}

/**
 * icmp_tap_handler() - Messages from the guest: dropped for now
 * @c:		execution context
 * @af:		address family
 * @saddr:	source address
 * @daddr:	destination address
 * @p:		one ICMP message
 * @now:	current time
 */
void icmp_tap_handler(struct ctx *c, int af, const void *saddr,
		      const void *daddr, const struct pool *p,
		      const struct timespec *now)
{
	(void)c; (void)af; (void)saddr; (void)daddr; (void)p; (void)now;
	debug("ICMP echo not implemented yet: message dropped");
}

/**
 * icmp_sock_handler() - Socket events (none registered yet)
 * @c:		execution context
 * @ref:	epoll reference
 */
void icmp_sock_handler(struct ctx *c, union epoll_ref ref)
{
	(void)c; (void)ref;
}

/**
 * icmp_timer() - Periodic work (none yet)
 * @c:		execution context
 * @now:	current time
 */
void icmp_timer(struct ctx *c, const struct timespec *now)
{
	(void)c; (void)now;
}
