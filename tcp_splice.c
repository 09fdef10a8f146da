// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp_splice.c - pasta's loopback bypass for TCP (not implemented yet:
 * loopback connections take the tap path, -T connections are refused)
 */

#include "tcp_splice.h"

/**
 * tcp_splice_init() - Set up the bypass (nothing yet)
 * @c:		execution context
 */
void tcp_splice_init(struct ctx *c)
{
	(void)c;
}

/**
 * tcp_splice_conn_from_sock() - Take an accepted connection for the bypass
 * @c:		execution context
 * @side:	side of the listener: TCP_SIDE_HOST or TCP_SIDE_NS
 * @port:	listening port
 * @s:		accepted socket
 * @sa:		peer address
 *
 * Return: true if the connection was taken (not yet: never)
 */
bool tcp_splice_conn_from_sock(struct ctx *c, int side, uint16_t port, int s,
			       const struct sockaddr_storage *sa)
{
	(void)c; (void)side; (void)port; (void)s; (void)sa;
	return false;
}

/**
 * tcp_splice_sock_handler() - Events on a spliced socket (none yet)
 * @c:		execution context
 * @ref:	epoll reference
 * @events:	epoll events
 */
void tcp_splice_sock_handler(struct ctx *c, union epoll_ref ref,
			     uint32_t events)
{
	(void)c; (void)ref; (void)events;
}

/**
 * tcp_splice_timer() - Periodic work (none yet)
 * @c:		execution context
 * @now:	current time
 */
void tcp_splice_timer(struct ctx *c, const struct timespec *now)
{
	(void)c; (void)now;
}
