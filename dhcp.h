/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * dhcp.h - DHCP server for the guest (RFC 2131, RFC 2132)
 */

#ifndef DHCP_H
#define DHCP_H

#include "packet.h"
#include "passt.h"

int dhcp(const struct ctx *c, const struct pool *p);

#endif /* DHCP_H */
