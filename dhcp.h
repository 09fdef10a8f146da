/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * dhcp.h - DHCP server for the guest (RFC 2131, RFC 2132), and the encoder
 * of domain names in DNS wire format shared with NDP and DHCPv6
 */

#ifndef DHCP_H
#define DHCP_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "passt.h"

int dhcp(const struct ctx *c, const struct pool *p);

size_t dhcp_dns_name_encode(const char *name, uint8_t *buf, size_t size);
size_t dhcp_dns_list_encode(const struct fqdn *list, size_t n, uint8_t *buf,
			    size_t size);

#endif /* DHCP_H */
