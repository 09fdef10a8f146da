// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcap.c - Capture of every guest-side frame, both directions (--pcap)
 *
 * Classic libpcap format (not pcapng): a global header, then one record per
 * frame with a microsecond wall-clock timestamp.  The file is opened before
 * the sandbox is set up; writes that fail are ignored, capture must never
 * disturb the data path.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pcap.h"
#include "tap.h"
#include "util.h"

/* #syscalls writev clock_gettime */

#define PCAP_MAGIC		0xa1b2c3d4	/* microsecond timestamps */
#define PCAP_LINKTYPE_ETHERNET	1
#define PCAP_IOV_MAX		64

/**
 * struct pcap_file_hdr - pcap global header
 * @magic:	PCAP_MAGIC, in host byte order: readers detect the order
 * @major:	format version 2
 * @minor:	format version 4
 * @thiszone:	GMT offset, 0
 * @sigfigs:	timestamp accuracy, 0
 * @snaplen:	largest record
 * @linktype:	PCAP_LINKTYPE_ETHERNET
 */
struct pcap_file_hdr {
	uint32_t magic;
	uint16_t major;
	uint16_t minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

/**
 * struct pcap_rec_hdr - Record header
 * @tv_sec:	seconds
 * @tv_usec:	microseconds
 * @caplen:	bytes stored
 * @len:	bytes of the frame
 */
struct pcap_rec_hdr {
	uint32_t tv_sec;
	uint32_t tv_usec;
	uint32_t caplen;
	uint32_t len;
};

static int pcap_fd = -1;

/**
 * pcap_init() - Create the capture file and write its header
 * @path:	file path, empty for no capture
 */
void pcap_init(const char *path)
{
	struct pcap_file_hdr h = {
		.magic = PCAP_MAGIC, .major = 2, .minor = 4,
		.snaplen = TAP_FRAME_MAX, .linktype = PCAP_LINKTYPE_ETHERNET,
	};

	if (!*path)
		return;
	pcap_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (pcap_fd < 0)
		die("--pcap: cannot open %s: %s", path, strerror(errno));
	if (write(pcap_fd, &h, sizeof(h)) != sizeof(h))
		die("--pcap: cannot write to %s: %s", path, strerror(errno));
	info("Saving packet capture to %s", path);
}

/**
 * pcap_active() - Whether frames are being captured
 *
 * Return: true if --pcap opened a capture file
 */
bool pcap_active(void)
{
	return pcap_fd >= 0;
}

/**
 * pcap_frame() - Record one frame
 * @frame:	Ethernet frame
 * @len:	its length
 */
void pcap_frame(const void *frame, size_t len)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)frame,
			     .iov_len = len };

	pcap_framev(&iov, 1);
}

/**
 * pcap_framev() - Record frames, each given as one iovec entry
 * @iov:	frames
 * @n:		number of frames
 */
void pcap_framev(const struct iovec *iov, size_t n)
{
	static struct pcap_rec_hdr hdr[PCAP_IOV_MAX];
	struct iovec out[PCAP_IOV_MAX * 2];
	struct timespec now;
	size_t i, k = 0;

	if (pcap_fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &now);

	for (i = 0; i < n; i++) {
		hdr[k / 2] = (struct pcap_rec_hdr){
			.tv_sec = (uint32_t)now.tv_sec,
			.tv_usec = (uint32_t)(now.tv_nsec / 1000),
			.caplen = (uint32_t)iov[i].iov_len,
			.len = (uint32_t)iov[i].iov_len,
		};
		out[k].iov_base = &hdr[k / 2];
		out[k++].iov_len = sizeof(hdr[0]);
		out[k++] = iov[i];

		if (k == ARRAY_SIZE(out) || i == n - 1) {
			if (writev(pcap_fd, out, (int)k) < 0)
				trace("pcap: write failed: %s",
				      strerror(errno));
			k = 0;
		}
	}
}
