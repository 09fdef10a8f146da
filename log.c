// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - Messages to syslog and, when in the foreground, to standard error
 *
 * Nothing here allocates: messages are formatted into a static buffer and
 * sent with one send() to /dev/log (RFC 3164 framing, no timestamp: the
 * daemon adds it) and one write() to stderr.  The socket to /dev/log is
 * opened by log_init(), before the sandbox hides the filesystem, and is
 * reconnected never: if syslog goes away, messages are simply lost.
 *
 * Levels: default up to LOG_INFO, -q up to LOG_WARNING, -d up to LOG_DEBUG,
 * --trace adds LOG_TRACE, which is never sent to syslog.
 */

#include <errno.h>
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

#define LOG_BUF_SIZE	1024

static const char *log_ident = "passt";
static int log_sock = -1;
static int log_to_stderr = 1;
static int log_level = LOG_INFO;
static struct timespec log_start;
static char log_buf[LOG_BUF_SIZE];

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

	if (log_level >= LOG_DEBUG) {
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

	if (log_to_stderr && write(STDERR_FILENO, log_buf, len + 1) < 0)
		errno = saved_errno;

	if (log_sock >= 0 && pri <= LOG_DEBUG) {
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
