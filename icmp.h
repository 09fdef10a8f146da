/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * icmp.h - ICMP and ICMPv6 echo through ping sockets
 */

#ifndef ICMP_H
#define ICMP_H

#include <stdint.h>
#include <time.h>

#include "packet.h"
#include "passt.h"

void icmp_init(struct ctx *c);
void icmp_tap_handler(struct ctx *c, int af, const void *saddr,
		      const void *daddr, const struct pool *p,
		      const struct timespec *now);
void icmp_sock_handler(struct ctx *c, union epoll_ref ref);
void icmp_timer(struct ctx *c, const struct timespec *now);

#endif /* ICMP_H */
