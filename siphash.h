/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * siphash.h - SipHash-2-4, a keyed hash for flow tables and TCP ISNs
 */

#ifndef SIPHASH_H
#define SIPHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t siphash(const uint8_t key[16], const void *data, size_t len);

#endif /* SIPHASH_H */
