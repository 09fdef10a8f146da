// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qrap.c - Connect qemu to passt where qemu has no -netdev stream: connect
 * to passt's UNIX domain socket, hand the connection to qemu as a file
 * descriptor, and exec qemu
 *
 * Usage (see qrap.1):
 *	qrap [-s PATH] FD PROGRAM [ARG]...
 *	qrap [ARG]...		(first argument not a number: "emulator" mode,
 *				 FD 5, PROGRAM from $QRAP_QEMU or
 *				 qemu-system-x86_64)
 *
 * The socket is PATH, else $PASST_SOCKET, else the first of
 * /tmp/passt_1.socket ... /tmp/passt_64.socket that accepts us.  passt
 * serves one guest at a time and closes further connections right after
 * accepting them: a connection that is closed within QRAP_PROBE_MS counts as
 * refused, and the next path is tried.
 *
 * qemu's "socket" network back-end, given a connected stream socket with
 * fd=FD, uses the same framing as passt (each frame preceded by its length,
 * 32 bits, network order).  If the arguments already have a -netdev (or
 * -net) socket back-end with fd=FD, they are passed unchanged.  Otherwise
 * the first -netdev, whatever its type, is replaced by a socket back-end
 * with the same id (in the key=value form or, for libvirt's JSON form, as
 * JSON), and without any -netdev, "-netdev socket,fd=FD,id=qrap0 -device
 * virtio-net-pci,netdev=qrap0" is appended.
 *
 * Nothing here allocates: the new argument vector and the one rewritten
 * argument are static.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define QRAP_ARGS_MAX		4096	/* arguments passed on to qemu */
#define QRAP_FD_DEFAULT		5	/* emulator mode */
#define QRAP_FD_MAX		1023
#define QRAP_SOCK_MAX		64	/* /tmp/passt_N.socket, N = 1..64 */
#define QRAP_PROBE_MS		100	/* a busy passt closes us by then */
#define QRAP_QEMU_DEFAULT	"qemu-system-x86_64"
#define QRAP_NETDEV_ID		"qrap0"

static char *qrap_argv[QRAP_ARGS_MAX + 8];
static char qrap_netdev[512];	/* rewritten or added -netdev value */
static char qrap_fd_opt[32];	/* "fd=N" */

/**
 * qrap_msg() - Print "qrap: MESSAGE" on standard error
 * @fmt:	format string
 */
__attribute__((format(printf, 1, 2)))
static void qrap_msg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "qrap: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, (size_t)n) < 0)
		return;
}

/**
 * qrap_usage() - Print the usage on standard error and exit with status 1
 */
static void __attribute__((noreturn)) qrap_usage(void)
{
	static const char usage[] =
		"Usage: qrap [-s PATH] FD PROGRAM [ARG]...\n"
		"       qrap [ARG]...  (FD 5, $QRAP_QEMU or "
		QRAP_QEMU_DEFAULT ")\n"
		"Connect to passt, pass the connection to PROGRAM (qemu) as "
		"file descriptor FD.\n"
		"See qrap(1).\n";

	if (write(STDERR_FILENO, usage, sizeof(usage) - 1) < 0)
		exit(EXIT_FAILURE);
	exit(EXIT_FAILURE);
}

/**
 * qrap_parse_fd() - Parse a file descriptor number
 * @s:		string
 *
 * Return: the number, -1 if @s isn't a decimal number up to QRAP_FD_MAX
 */
static int qrap_parse_fd(const char *s)
{
	int v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > QRAP_FD_MAX)
			return -1;
	}
	return v;
}

/**
 * qrap_try() - Connect to one socket path and check we are being served
 * @path:	socket path
 *
 * Return: connected socket, or -1 (errno EBUSY if passt closed us)
 */
static int qrap_try(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct pollfd pfd;
	char b;
	int s;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr)))
		goto fail;

	pfd.fd = s;
	pfd.events = POLLIN | POLLRDHUP;
	if (poll(&pfd, 1, QRAP_PROBE_MS) > 0 &&
	    ((pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)) ||
	     recv(s, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0)) {
		errno = EBUSY;
		goto fail;
	}
	return s;

fail:
	{
		int e = errno;

		close(s);
		errno = e;
	}
	return -1;
}

/**
 * qrap_connect() - Connect to the given socket, or to the first free passt
 * @path:	socket path, NULL to probe the default ones
 *
 * Return: connected socket; exits with status 1 on failure
 */
static int qrap_connect(const char *path)
{
	char p[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int i, s;

	if (path) {
		s = qrap_try(path);
		if (s < 0) {
			qrap_msg("can't connect to %s: %s", path,
				 errno == EBUSY ? "passt busy with another "
				 "guest" : strerror(errno));
			exit(EXIT_FAILURE);
		}
		qrap_msg("connected to %s", path);
		return s;
	}

	for (i = 1; i <= QRAP_SOCK_MAX; i++) {
		snprintf(p, sizeof(p), "/tmp/passt_%i.socket", i);
		s = qrap_try(p);
		if (s >= 0) {
			qrap_msg("connected to %s", p);
			return s;
		}
	}
	qrap_msg("no passt accepts connections on /tmp/passt_1.socket to "
		 "/tmp/passt_%i.socket", QRAP_SOCK_MAX);
	exit(EXIT_FAILURE);
}

/**
 * qrap_has_fd() - Does a comma-separated back-end value hold fd=FD?
 * @v:		value, "socket,id=x,fd=5" or JSON
 *
 * Return: 1 if it's a socket back-end using our descriptor
 */
static int qrap_has_fd(const char *v)
{
	char json[40];
	const char *p;
	size_t n = strlen(qrap_fd_opt);

	if (*v == '{') {
		snprintf(json, sizeof(json), "\"fd\":\"%s\"", qrap_fd_opt + 3);
		return strstr(v, "\"socket\"") && strstr(v, json);
	}
	if (strncmp(v, "socket,", strlen("socket,")))
		return 0;
	for (p = v; (p = strstr(p, qrap_fd_opt)); p++) {
		if (p[-1] == ',' && (p[n] == ',' || !p[n]))
			return 1;
	}
	return 0;
}

/**
 * qrap_netdev_id() - Copy the id of a -netdev value
 * @v:		value, key=value form or JSON
 * @id:		output
 * @size:	size of @id
 *
 * Return: 0 if an id was found, -1 otherwise
 */
static int qrap_netdev_id(const char *v, char *id, size_t size)
{
	const char *p = NULL, *end;

	if (*v == '{') {
		p = strstr(v, "\"id\":\"");
		if (p)
			p += strlen("\"id\":\"");
		end = p ? strchr(p, '"') : NULL;
	} else {
		if (!strncmp(v, "id=", 3))
			p = v + 3;
		else if ((p = strstr(v, ",id=")))
			p += 4;
		end = p ? strchrnul(p, ',') : NULL;
	}
	if (!p || !end || end == p || (size_t)(end - p) >= size)
		return -1;
	memcpy(id, p, (size_t)(end - p));
	id[end - p] = '\0';
	return 0;
}

/**
 * qrap_is_opt() - Is an argument the given qemu option (- or -- form)?
 * @arg:	argument
 * @name:	option name without dashes
 *
 * Return: 1 if so
 */
static int qrap_is_opt(const char *arg, const char *name)
{
	if (arg[0] != '-')
		return 0;
	arg += arg[1] == '-' ? 2 : 1;
	return !strcmp(arg, name);
}

/**
 * qrap_plumb() - Make sure the arguments use our descriptor for networking
 * @argc:	number of arguments in qrap_argv, the program included
 *
 * qrap_argv stays NULL-terminated.
 */
static void qrap_plumb(int argc)
{
	int i, first = -1;
	char id[128];

	for (i = 1; i + 1 < argc; i++) {
		if ((qrap_is_opt(qrap_argv[i], "netdev") ||
		     qrap_is_opt(qrap_argv[i], "net")) &&
		    qrap_has_fd(qrap_argv[i + 1]))
			return;
		if (first < 0 && qrap_is_opt(qrap_argv[i], "netdev"))
			first = i + 1;
	}

	if (first >= 0 && !qrap_netdev_id(qrap_argv[first], id, sizeof(id))) {
		if (*qrap_argv[first] == '{')
			snprintf(qrap_netdev, sizeof(qrap_netdev),
				 "{\"type\":\"socket\",\"fd\":\"%s\","
				 "\"id\":\"%s\"}", qrap_fd_opt + 3, id);
		else
			snprintf(qrap_netdev, sizeof(qrap_netdev),
				 "socket,%s,id=%s", qrap_fd_opt, id);
		qrap_msg("replacing -netdev %s with -netdev %s",
			 qrap_argv[first], qrap_netdev);
		qrap_argv[first] = qrap_netdev;
		return;
	}

	snprintf(qrap_netdev, sizeof(qrap_netdev), "socket,%s,id=%s",
		 qrap_fd_opt, QRAP_NETDEV_ID);
	qrap_argv[argc++] = "-netdev";
	qrap_argv[argc++] = qrap_netdev;
	qrap_argv[argc++] = "-device";
	qrap_argv[argc++] = "virtio-net-pci,netdev=" QRAP_NETDEV_ID;
	qrap_argv[argc] = NULL;
}

/**
 * main() - Connect, move the socket to FD, fix the arguments, exec qemu
 * @argc:	argument count
 * @argv:	see the comment at the top
 *
 * Return: doesn't return on success, 1 on failure
 */
int main(int argc, char **argv)
{
	const char *path = getenv("PASST_SOCKET"), *qemu;
	int fd, s, i = 1, n = 0;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		qrap_usage();
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		path = argv[2];
		i = 3;
	}
	if (path && !*path)
		path = NULL;

	fd = i < argc ? qrap_parse_fd(argv[i]) : -1;
	if (fd >= 0) {
		if (i + 1 >= argc)
			qrap_usage();
		qrap_argv[n++] = argv[i + 1];
		i += 2;
	} else if (i < argc && argv[i][0] >= '0' && argv[i][0] <= '9') {
		qrap_msg("invalid file descriptor '%s' (at most %i)", argv[i],
			 QRAP_FD_MAX);
		return EXIT_FAILURE;
	} else {
		fd = QRAP_FD_DEFAULT;
		qemu = getenv("QRAP_QEMU");
		qrap_argv[n++] = (char *)(qemu && *qemu ? qemu :
					  QRAP_QEMU_DEFAULT);
	}
	if (fd <= STDERR_FILENO) {
		qrap_msg("file descriptor %i is standard input, output or "
			 "error", fd);
		return EXIT_FAILURE;
	}
	if (argc - i > QRAP_ARGS_MAX) {
		qrap_msg("too many arguments (at most %i)", QRAP_ARGS_MAX);
		return EXIT_FAILURE;
	}
	for (; i < argc; i++)
		qrap_argv[n++] = argv[i];
	qrap_argv[n] = NULL;

	snprintf(qrap_fd_opt, sizeof(qrap_fd_opt), "fd=%i", fd);
	qrap_plumb(n);

	s = qrap_connect(path);
	if (s != fd) {
		if (dup2(s, fd) < 0) {
			qrap_msg("dup2: %s", strerror(errno));
			return EXIT_FAILURE;
		}
		close(s);
	}
	fcntl(fd, F_SETFD, 0);	/* inherited by qemu */

	execvp(qrap_argv[0], qrap_argv);
	qrap_msg("can't run %s: %s", qrap_argv[0], strerror(errno));
	return EXIT_FAILURE;
}
