/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ndp.h - NDP responder and router advertisements (RFC 4861, RFC 8106)
 */

#ifndef NDP_H
#define NDP_H

#include <netinet/in.h>
#include <time.h>

#include "packet.h"
#include "passt.h"

int ndp(const struct ctx *c, const struct in6_addr *saddr,
	const struct pool *p);
void ndp_timer(const struct ctx *c, const struct timespec *now);

#endif /* NDP_H */
