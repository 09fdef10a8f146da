/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * unix_connect.h - What the test helpers connecting to passt's UNIX socket
 * share: a monotonic clock in milliseconds and a retrying connect().
 * Included by each helper (they are single-file programs).
 */

#ifndef UNIX_CONNECT_H
#define UNIX_CONNECT_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/**
 * now_ms() - Monotonic time in milliseconds
 *
 * Return: milliseconds since an arbitrary point
 */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/**
 * sock_connect() - Connect to a UNIX stream socket, retrying
 * @prog:	program name, for messages
 * @path:	socket path
 * @timeout_s:	seconds to keep trying
 *
 * Return: connected, non-blocking socket, exits with status 2 on failure
 */
static int sock_connect(const char *prog, const char *path, int timeout_s)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	long long deadline = now_ms() + (long long)timeout_s * 1000;
	int fd;

	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "%s: socket path too long: %s\n", prog, path);
		exit(1);
	}
	memcpy(a.sun_path, path, strlen(path));

	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			fprintf(stderr, "%s: socket: %s\n", prog, strerror(errno));
			exit(1);
		}
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
			break;
		close(fd);
		if (now_ms() >= deadline) {
			fprintf(stderr, "%s: cannot connect to %s: %s\n",
				prog, path, strerror(errno));
			exit(2);
		}
		usleep(100 * 1000);
	}

	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		fprintf(stderr, "%s: fcntl: %s\n", prog, strerror(errno));
		exit(1);
	}
	return fd;
}

#endif /* UNIX_CONNECT_H */
