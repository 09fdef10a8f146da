// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - Messages to syslog or a log file and, when in the foreground, to
 * standard error
 *
 * Nothing here allocates: messages are formatted into a static buffer and
 * sent with one send() to /dev/log (RFC 3164 framing, no timestamp: the
 * daemon adds it) and one write() to stderr.  The socket to /dev/log is
 * opened by log_init(), before the sandbox hides the filesystem, and is
 * reconnected never: if syslog goes away, messages are simply lost.
 *
 * With --log-file, messages go to that file instead of syslog, each line
 * starting with the seconds elapsed since start.  The file is opened (and
 * truncated) at start; it never grows beyond --log-size: when a line would
 * not fit, the older half of the file is dropped, by moving the newer half
 * (from a line start) to the beginning, through a small static buffer, and
 * truncating.  No rename, no second file: the sandbox leaves us no access
 * to the filesystem.
 *
 * Levels: default up to LOG_INFO, -q up to LOG_WARNING, -d up to LOG_DEBUG,
 * --trace adds LOG_TRACE, which is never sent to syslog.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"


/* #syscalls write writev sendto clock_gettime getpid */
/* #syscalls pread64 pwrite64 ftruncate */

#define LOG_BUF_SIZE	1024

static const char *log_ident = "passt";
static int log_sock = -1;
static int log_to_stderr = 1;
static int log_level = LOG_INFO;
static struct timespec log_start;
static char log_buf[LOG_BUF_SIZE];

static int log_file_fd = -1;
static size_t log_file_size;	/* --log-size */
static size_t log_file_used;	/* bytes in the file */
static char log_file_move[4096];

/**
 * log_init() - Set identity and verbosity, connect to the syslog socket
 * @ident:	"passt" or "pasta"
 * @to_stderr:	also print messages on standard error
 * @debug:	print debug messages
 * @trace:	print trace messages too
 * @quiet:	print warnings and errors only
 */
void log_init(const char *ident, int to_stderr, int debug, int trace,
	      int quiet)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	log_ident = ident;
	log_to_stderr = to_stderr;
	if (trace)
		log_level = LOG_TRACE;
	else if (debug)
		log_level = LOG_DEBUG;
	else if (quiet)
		log_level = LOG_WARNING;
	else
		log_level = LOG_INFO;
	clock_gettime(CLOCK_MONOTONIC, &log_start);

	if (log_sock >= 0)
		return;
	log_sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  0);
	if (log_sock < 0)
		return;
	strncpy(addr.sun_path, "/dev/log", sizeof(addr.sun_path) - 1);
	if (connect(log_sock, (struct sockaddr *)&addr, sizeof(addr))) {
		close(log_sock);
		log_sock = -1;
	}
}

/**
 * log_file_open() - Open (create, truncate) the log file
 * @path:	--log-file
 * @size:	--log-size, at least LOG_FILE_SIZE_MIN
 *
 * Return: 0 on success, -1 with errno set on failure
 */
int log_file_open(const char *path, size_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (log_file_fd >= 0)
		close(log_file_fd);
	log_file_fd = fd;
	log_file_size = size < LOG_FILE_SIZE_MIN ? LOG_FILE_SIZE_MIN : size;
	log_file_used = 0;
	return 0;
}

/**
 * log_file_cut() - Drop the older half of the log file, keep whole lines
 *
 * Return: 0 on success, -1 if the file can't be read or written
 */
static int log_file_cut(void)
{
	size_t from = log_file_used - log_file_size / 2, to = 0;
	ssize_t n;
	char *nl;

	/* Start at the first line beginning after the cut point */
	n = pread(log_file_fd, log_file_move, sizeof(log_file_move),
		  (off_t)from);
	if (n <= 0)
		return -1;
	nl = memchr(log_file_move, '\n', (size_t)n);
	if (nl)
		from += (size_t)(nl - log_file_move) + 1;

	while (from < log_file_used) {
		n = pread(log_file_fd, log_file_move,
			  MIN(sizeof(log_file_move), log_file_used - from),
			  (off_t)from);
		if (n <= 0 || pwrite(log_file_fd, log_file_move, (size_t)n,
				     (off_t)to) != n)
			return -1;
		from += (size_t)n;
		to += (size_t)n;
	}

	log_file_used = to;
	return ftruncate(log_file_fd, (off_t)to);
}

/**
 * log_file_write() - Append one line to the log file, cutting it if full
 * @line:	line, with its newline
 * @len:	length of @line, less than LOG_FILE_SIZE_MIN / 2
 */
static void log_file_write(const char *line, size_t len)
{
	ssize_t n;

	if (log_file_used + len > log_file_size && log_file_cut()) {
		log_file_used = 0;	/* unusable content: start again */
		if (ftruncate(log_file_fd, 0))
			return;
	}

	n = pwrite(log_file_fd, line, len, (off_t)log_file_used);
	if (n > 0)
		log_file_used += (size_t)n;
}

/**
 * log_set_stderr() - Start or stop printing to standard error
 * @to_stderr:	non-zero to print, zero once stderr points to /dev/null
 */
void log_set_stderr(int to_stderr)
{
	log_to_stderr = to_stderr;
}

/**
 * log_trace_enabled() - Tell if trace messages are printed, so that callers
 *			 can skip formatting them
 *
 * Return: non-zero with --trace
 */
int log_trace_enabled(void)
{
	return log_level >= LOG_TRACE;
}

/**
 * log_vmsg() - Format and emit one message
 * @pri:	LOG_ERR ... LOG_DEBUG, or LOG_TRACE
 * @fmt:	format string
 * @ap:		arguments
 */
__attribute__((format(printf, 2, 0)))
static void log_vmsg(int pri, const char *fmt, va_list ap)
{
	int saved_errno = errno;
	size_t hdr = 0, len;
	int n;

	if (pri > log_level)
		return;

	if (log_level >= LOG_DEBUG || log_file_fd >= 0) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		n = snprintf(log_buf, sizeof(log_buf), "%lli.%04li: ",
			     (long long)(now.tv_sec - log_start.tv_sec) -
			     (now.tv_nsec < log_start.tv_nsec),
			     ((now.tv_nsec - log_start.tv_nsec + 1000000000L) %
			      1000000000L) / 100000);
		hdr = n > 0 ? (size_t)n : 0;
	}

	n = vsnprintf(log_buf + hdr, sizeof(log_buf) - hdr - 1, fmt, ap);
	len = hdr + (n < 0 ? 0 : MIN((size_t)n,
					 sizeof(log_buf) - hdr - 2));
	log_buf[len] = '\n';

	if (log_file_fd >= 0)
		log_file_write(log_buf, len + 1);

	if (log_to_stderr &&
	    write(STDERR_FILENO, log_buf + (log_level >= LOG_DEBUG ? 0 : hdr),
		  len + 1 - (log_level >= LOG_DEBUG ? 0 : hdr)) < 0)
		errno = saved_errno;

	if (log_sock >= 0 && log_file_fd < 0 && pri <= LOG_DEBUG) {
		char msg[LOG_BUF_SIZE + 64];

		n = snprintf(msg, sizeof(msg), "<%i>%s[%i]: %.*s",
			     LOG_DAEMON | pri, log_ident, getpid(),
			     (int)(len - hdr), log_buf + hdr);
		if (n > 0)
			send(log_sock, msg, MIN((size_t)n, sizeof(msg) - 1),
			     MSG_DONTWAIT | MSG_NOSIGNAL);
	}
	errno = saved_errno;
}

/**
 * log_msg() - Emit a message at a given priority, see err(), info() ...
 * @pri:	priority
 * @fmt:	format string
 */
void log_msg(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(pri, fmt, ap);
	va_end(ap);
}

/**
 * die() - Print an error message and exit with status 1
 * @fmt:	format string
 */
void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap);
	va_end(ap);
	_exit(EXIT_FAILURE);
}
