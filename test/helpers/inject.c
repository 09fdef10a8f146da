// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test/helpers/inject.c - Test helper for hostile input: connect to passt's
 * UNIX stream socket, send raw bytes exactly as given (length prefixes
 * included, so malformed streams can be sent), then keep reading what passt
 * answers for a while and copy it to standard output.
 *
 * Usage: inject [-f FILE] [-t SECONDS] [-w MS] [-s] SOCKPATH
 *
 *	-f FILE		send the content of FILE (default: standard input)
 *	-t SECONDS	keep retrying the connection this long (default 5)
 *	-w MS		after sending, read answers for MS milliseconds
 *			(default 0), or until passt closes the connection
 *	-s		shut down the sending side once everything is sent
 *
 * Exit status: 0 if every byte was sent, 3 if passt closed the connection
 * (or reset it) before all bytes were sent, 2 if it could not connect, 1 on
 * other errors.  Passt closing the connection after garbage is legitimate,
 * so tests decide what status they expect.  A line "inject: ..." on
 * standard error tells how many bytes were sent and received.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "unix_connect.h"

#define CHUNK	65536

static unsigned char out[CHUNK];
static unsigned char in[CHUNK];

/**
 * usage() - Print usage and exit
 * @name:	program name
 */
static void usage(const char *name)
{
	fprintf(stderr,
		"Usage: %s [-f FILE] [-t SECONDS] [-w MS] [-s] SOCKPATH\n",
		name);
	exit(1);
}

/**
 * write_all() - Write a whole buffer to a blocking file descriptor
 * @fd:		file descriptor
 * @buf:	data
 * @len:	length
 *
 * Return: 0 on success, -1 on error
 */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	options and socket path
 *
 * Return: see the file comment
 */
int main(int argc, char **argv)
{
	size_t out_len = 0, out_off = 0, sent = 0, rcvd = 0;
	int timeout_s = 5, wait_ms = 0, shut = 0, src = 0;
	int opt, s, src_eof = 0, peer_closed = 0, rc = 0;
	long long deadline = -1;

	while ((opt = getopt(argc, argv, "f:t:w:s")) != -1) {
		switch (opt) {
		case 'f':
			src = open(optarg, O_RDONLY | O_CLOEXEC);
			if (src < 0) {
				perror("inject: input file");
				return 1;
			}
			break;
		case 't':
			timeout_s = atoi(optarg);
			break;
		case 'w':
			wait_ms = atoi(optarg);
			break;
		case 's':
			shut = 1;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc - optind != 1)
		usage(argv[0]);

	signal(SIGPIPE, SIG_IGN);
	s = sock_connect("inject", argv[optind], timeout_s);

	for (;;) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		int ms = -1;

		/* Refill from the source once the previous chunk is sent */
		if (!src_eof && out_off == out_len) {
			ssize_t n = read(src, out, sizeof(out));

			if (n < 0) {
				if (errno == EINTR)
					continue;
				perror("inject: read input");
				return 1;
			}
			if (n == 0) {
				src_eof = 1;
				if (shut)
					shutdown(s, SHUT_WR);
				deadline = now_ms() + wait_ms;
			}
			out_len = (size_t)n;
			out_off = 0;
		}

		if (out_off < out_len)
			pfd.events |= POLLOUT;

		if (src_eof) {
			ms = (int)(deadline - now_ms());
			if (ms <= 0)
				break;
		}

		if (poll(&pfd, 1, ms) < 0) {
			if (errno == EINTR)
				continue;
			perror("inject: poll");
			return 1;
		}

		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = recv(s, in, sizeof(in), 0);

			if (n > 0) {
				if (write_all(1, in, (size_t)n)) {
					perror("inject: write output");
					return 1;
				}
				rcvd += (size_t)n;
			} else if (n == 0 || (errno != EAGAIN &&
					      errno != EINTR)) {
				peer_closed = 1;
				break;
			}
		}

		if (out_off < out_len && (pfd.revents & POLLOUT)) {
			ssize_t n = send(s, out + out_off, out_len - out_off,
					 MSG_NOSIGNAL);

			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				peer_closed = 1;
				break;
			}
			if (n > 0) {
				out_off += (size_t)n;
				sent += (size_t)n;
			}
		}
	}

	if (peer_closed && (!src_eof || out_off < out_len))
		rc = 3;

	fprintf(stderr, "inject: sent %zu bytes, received %zu bytes%s%s\n",
		sent, rcvd, peer_closed ? ", closed by peer" : "",
		rc == 3 ? " before all was sent" : "");
	close(s);
	return rc;
}
