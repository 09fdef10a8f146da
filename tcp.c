// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp.c - TCP translation (not implemented yet: segments are dropped)
 */

#include "log.h"
#include "tcp.h"

/**
 * tcp_init() - Set up TCP forwarding (nothing yet)
 * @c:		execution context
 */
void tcp_init(struct ctx *c)
{
	(void)c;
}

/**
 * tcp_tap_handler() - Datagrams from the guest: dropped for now
 * @c:		execution context
 * @af:		address family
 * @saddr:	source address
 * @daddr:	destination address
 * @p:		segments of one flow
 * @now:	current time
 */
void tcp_tap_handler(struct ctx *c, int af, const void *saddr,
		     const void *daddr, const struct pool *p,
		     const struct timespec *now)
{
	(void)c; (void)af; (void)saddr; (void)daddr; (void)now;
	debug("TCP not implemented yet: %zu segments dropped", p->count);
}

/**
 * tcp_sock_handler() - Socket events (none registered yet)
 * @c:		execution context
 * @ref:	epoll reference
 * @events:	epoll events
 * @now:	current time
 */
void tcp_sock_handler(struct ctx *c, union epoll_ref ref, uint32_t events,
		      const struct timespec *now)
{
	(void)c; (void)ref; (void)events; (void)now;
}

/**
 * tcp_timer() - Periodic work (none yet)
 * @c:		execution context
 * @now:	current time
 */
void tcp_timer(struct ctx *c, const struct timespec *now)
{
	(void)c; (void)now;
}

/**
 * tcp_listen_handler() - Listener events (none registered yet)
 * @c:		execution context
 * @ref:	epoll reference
 * @now:	current time
 */
void tcp_listen_handler(struct ctx *c, union epoll_ref ref,
			const struct timespec *now)
{
	(void)c; (void)ref; (void)now;
}

/**
 * tcp_timer_handler() - Timer events (none registered yet)
 * @c:		execution context
 * @ref:	epoll reference
 */
void tcp_timer_handler(struct ctx *c, union epoll_ref ref)
{
	(void)c; (void)ref;
}

/**
 * tcp_flush() - Send queued frames (none yet)
 * @c:		execution context
 */
void tcp_flush(struct ctx *c)
{
	(void)c;
}
