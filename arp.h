/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * arp.h - ARP responder
 */

#ifndef ARP_H
#define ARP_H

#include "packet.h"
#include "passt.h"

int arp(const struct ctx *c, const struct pool *p);

#endif /* ARP_H */
