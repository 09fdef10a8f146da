/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * dhcpv6.h - DHCPv6 server for the guest (RFC 8415, RFC 3646)
 */

#ifndef DHCPV6_H
#define DHCPV6_H

#include <netinet/in.h>

#include "packet.h"
#include "passt.h"

int dhcpv6(const struct ctx *c, const struct in6_addr *saddr,
	   const struct pool *p);

#endif /* DHCPV6_H */
