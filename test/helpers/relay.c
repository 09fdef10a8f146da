// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test/helpers/relay.c - Test helper for passt mode without a VM: create a
 * tap device in the current network namespace, connect to passt's UNIX
 * stream socket, and move Ethernet frames between the two, so that the
 * namespace's kernel (and any DHCP client run there) acts as the guest.
 *
 * Usage: relay [-d] [-m MAC] [-r READYFILE] [-t SECONDS] SOCKPATH TAPNAME
 *
 *	-d		leave the tap device down (default: bring it up)
 *	-m MAC		set the tap device's MAC address
 *	-r READYFILE	create READYFILE once connected and set up
 *	-t SECONDS	keep retrying the connection this long (default 5)
 *
 * On the socket, each frame is preceded by its length as a 32-bit
 * big-endian integer.  Frames from the socket may be split across reads and
 * many may come in one read.  The helper exits 0 when passt closes the
 * connection, 1 on errors, 2 if it could not connect.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "unix_connect.h"

#define FRAME_MAX	(65535 + 14)	/* largest frame passt may send */
#define IN_BUF_SIZE	(FRAME_MAX * 4)
#define OUT_BUF_SIZE	(FRAME_MAX * 4)

static unsigned char in_buf[IN_BUF_SIZE];	/* socket -> tap stream */
static size_t in_len;
static unsigned char out_buf[OUT_BUF_SIZE];	/* tap -> socket stream */
static size_t out_len;
static unsigned char frame[FRAME_MAX];

/**
 * usage() - Print usage and exit
 * @name:	program name
 */
static void usage(const char *name)
{
	fprintf(stderr,
		"Usage: %s [-d] [-m MAC] [-r READYFILE] [-t SECONDS] "
		"SOCKPATH TAPNAME\n", name);
	exit(1);
}

/**
 * parse_mac() - Parse a MAC address in the aa:bb:cc:dd:ee:ff form
 * @s:		string
 * @mac:	six bytes, filled on success
 *
 * Return: 0 on success, -1 on malformed input
 */
static int parse_mac(const char *s, unsigned char *mac)
{
	unsigned int b[6];
	char end;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c",
		   &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (unsigned char)b[i];
	}
	return 0;
}

/**
 * tap_open() - Create a tap device and configure it
 * @name:	interface name
 * @up:		bring the link up
 * @mac:	MAC address to set, NULL to keep the kernel's
 *
 * Return: tap file descriptor, exits on failure
 */
static int tap_open(const char *name, int up, const unsigned char *mac)
{
	struct ifreq ifr;
	int fd, s;

	if (strlen(name) >= IFNAMSIZ) {
		fprintf(stderr, "relay: interface name too long: %s\n", name);
		exit(1);
	}

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		perror("relay: /dev/net/tun");
		exit(1);
	}

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("relay: TUNSETIFF");
		exit(1);
	}

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		perror("relay: socket");
		exit(1);
	}

	if (mac) {
		memset(&ifr.ifr_hwaddr, 0, sizeof(ifr.ifr_hwaddr));
		ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
		memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
		if (ioctl(s, SIOCSIFHWADDR, &ifr) < 0) {
			perror("relay: SIOCSIFHWADDR");
			exit(1);
		}
	}

	if (up) {
		if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
			perror("relay: SIOCGIFFLAGS");
			exit(1);
		}
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
			perror("relay: SIOCSIFFLAGS");
			exit(1);
		}
	}

	close(s);
	return fd;
}

/**
 * tap_to_out() - Read frames from the tap device into the output stream
 * @tap:	tap file descriptor
 *
 * Return: 0 on success, -1 on fatal tap error
 */
static int tap_to_out(int tap)
{
	int i;

	/* Read while a whole frame (plus its prefix) still fits */
	for (i = 0; i < 64 && OUT_BUF_SIZE - out_len >= FRAME_MAX + 4; i++) {
		ssize_t n = read(tap, frame, sizeof(frame));
		uint32_t len;

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			perror("relay: tap read");
			return -1;
		}
		if (n == 0)
			return 0;

		len = htonl((uint32_t)n);
		memcpy(out_buf + out_len, &len, 4);
		memcpy(out_buf + out_len + 4, frame, (size_t)n);
		out_len += 4 + (size_t)n;
	}
	return 0;
}

/**
 * out_flush() - Write as much of the output stream to the socket as it takes
 * @s:		socket
 *
 * Return: 0 on success, -1 if the connection is gone
 */
static int out_flush(int s)
{
	while (out_len) {
		ssize_t n = send(s, out_buf, out_len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -1;
		}
		memmove(out_buf, out_buf + n, out_len - (size_t)n);
		out_len -= (size_t)n;
	}
	return 0;
}

/**
 * in_to_tap() - Read from the socket, write every complete frame to the tap
 * @s:		socket
 * @tap:	tap file descriptor
 *
 * Return: 1 on data, 0 on end of stream, -1 on error or malformed stream
 */
static int in_to_tap(int s, int tap)
{
	size_t off = 0;
	ssize_t n;

	n = recv(s, in_buf + in_len, sizeof(in_buf) - in_len, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 1;
		perror("relay: socket read");
		return -1;
	}
	if (n == 0) {
		if (in_len)
			fprintf(stderr, "relay: %zu bytes of partial frame "
				"left at end of stream\n", in_len);
		return 0;
	}
	in_len += (size_t)n;

	while (in_len - off >= 4) {
		uint32_t len;

		memcpy(&len, in_buf + off, 4);
		len = ntohl(len);
		if (len > FRAME_MAX || len < 14) {
			fprintf(stderr, "relay: bad frame length %u from "
				"socket\n", len);
			return -1;
		}
		if (in_len - off - 4 < len)
			break;

		/* Dropped frames (link down, queue full) are not fatal */
		if (write(tap, in_buf + off + 4, len) < 0 && errno != EIO &&
		    errno != EAGAIN && errno != ENOBUFS && errno != EINVAL)
			perror("relay: tap write");
		off += 4 + len;
	}

	memmove(in_buf, in_buf + off, in_len - off);
	in_len -= off;
	return 1;
}

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	options, socket path, tap name
 *
 * Return: 0 when the peer closed the connection, non-zero on errors
 */
int main(int argc, char **argv)
{
	const char *ready = NULL;
	unsigned char mac[6];
	int up = 1, has_mac = 0, timeout_s = 5;
	int opt, tap, s;

	while ((opt = getopt(argc, argv, "dm:r:t:")) != -1) {
		switch (opt) {
		case 'd':
			up = 0;
			break;
		case 'm':
			if (parse_mac(optarg, mac))
				usage(argv[0]);
			has_mac = 1;
			break;
		case 'r':
			ready = optarg;
			break;
		case 't':
			timeout_s = atoi(optarg);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc - optind != 2)
		usage(argv[0]);

	signal(SIGPIPE, SIG_IGN);

	tap = tap_open(argv[optind + 1], up, has_mac ? mac : NULL);
	s = sock_connect("relay", argv[optind], timeout_s);

	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0644);

		if (fd < 0) {
			perror("relay: ready file");
			return 1;
		}
		close(fd);
	}

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = s, .events = POLLIN },
			{ .fd = tap, .events = 0 },
		};

		if (out_len)
			pfd[0].events |= POLLOUT;
		if (OUT_BUF_SIZE - out_len >= FRAME_MAX + 4)
			pfd[1].events |= POLLIN;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("relay: poll");
			return 1;
		}

		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			int rc = in_to_tap(s, tap);

			if (rc == 0)
				return 0;
			if (rc < 0)
				return 1;
		}

		if (pfd[1].revents & POLLIN) {
			if (tap_to_out(tap))
				return 1;
		}

		if (out_len && out_flush(s)) {
			fprintf(stderr, "relay: connection closed by peer\n");
			return 0;
		}
	}
}
