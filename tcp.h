/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * tcp.h - TCP translation between guest segments and host sockets
 */

#ifndef TCP_H
#define TCP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "packet.h"
#include "passt.h"

/* Where a forwarding listener is: the host, or pasta's namespace (-T) */
#define TCP_SIDE_HOST	0
#define TCP_SIDE_NS	1
#define TCP_SIDES	2

void tcp_init(struct ctx *c);
int tcp_listen(struct ctx *c, int side, uint16_t port, bool quiet);
void tcp_unlisten(int side, uint16_t port);
void tcp_tap_handler(struct ctx *c, int af, const void *saddr,
		     const void *daddr, const struct pool *p,
		     const struct timespec *now);
void tcp_sock_handler(struct ctx *c, union epoll_ref ref, uint32_t events,
		      const struct timespec *now);
void tcp_listen_handler(struct ctx *c, union epoll_ref ref,
			const struct timespec *now);
void tcp_timer_handler(struct ctx *c, union epoll_ref ref);
void tcp_timer(struct ctx *c, const struct timespec *now);
void tcp_flush(struct ctx *c);
long tcp_ack_delayed(struct ctx *c, const struct timespec *now);

#endif /* TCP_H */
