/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pcap.h - Capture of guest-side frames to a pcap file (--pcap)
 */

#ifndef PCAP_H
#define PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

void pcap_init(const char *path);
bool pcap_active(void);
void pcap_frame(const void *frame, size_t len);
void pcap_framev(const struct iovec *iov, size_t n);

#endif /* PCAP_H */
