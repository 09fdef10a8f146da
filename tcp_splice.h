/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * tcp_splice.h - pasta's loopback bypass for TCP: socket to socket with
 * splice(2), no frames
 */

#ifndef TCP_SPLICE_H
#define TCP_SPLICE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "passt.h"

void tcp_splice_init(struct ctx *c);
bool tcp_splice_conn_from_sock(struct ctx *c, int side, uint16_t port, int s,
			       const struct sockaddr_storage *sa);
void tcp_splice_sock_handler(struct ctx *c, union epoll_ref ref,
			     uint32_t events);
void tcp_splice_timer(struct ctx *c, const struct timespec *now);

#endif /* TCP_SPLICE_H */
