/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * log.h - Logging to syslog, a log file and standard error, without
 * allocating
 */

#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <syslog.h>

#define LOG_FILE_SIZE_MIN	4096		/* --log-size, bytes */
#define LOG_FILE_SIZE_DEFAULT	(1024 * 1024)

void log_msg(int pri, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_init(const char *ident, int to_stderr, int debug, int trace,
	      int quiet);
void log_set_stderr(int to_stderr);
int log_file_open(const char *path, size_t size);
int log_trace_enabled(void);
void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#define err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
/* LOG_DEBUG + 1 is never passed to syslog: trace messages go to stderr only */
#define LOG_TRACE	(LOG_DEBUG + 1)
#define trace(...)						\
	do {							\
		if (log_trace_enabled())			\
			log_msg(LOG_TRACE, __VA_ARGS__);	\
	} while (0)

#endif /* LOG_H */
