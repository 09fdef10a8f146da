/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * netlink.h - Route, address and link queries and configuration (rtnetlink)
 */

#ifndef NETLINK_H
#define NETLINK_H

#include <sys/socket.h>

int nl_sock_open(void);
unsigned int nl_get_ext_if(int s, sa_family_t af);
int nl_route_get_def(int s, unsigned int ifi, sa_family_t af, void *gw);
int nl_route_set_def(int s, unsigned int ifi, sa_family_t af,
		     const void *gw);
int nl_addr_get(int s, unsigned int ifi, sa_family_t af, void *addr,
		int *prefix_len, void *addr_ll);
int nl_addr_set(int s, unsigned int ifi, sa_family_t af, const void *addr,
		int prefix_len);
int nl_link_get_mac(int s, unsigned int ifi, void *mac);
int nl_link_set_mac(int s, unsigned int ifi, const void *mac);
int nl_link_get_mtu(int s, unsigned int ifi);
int nl_link_set_txqlen(int s, unsigned int ifi, uint32_t qlen);
int nl_link_up(int s, unsigned int ifi, int mtu);

#endif /* NETLINK_H */
