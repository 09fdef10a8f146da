/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * util.h - Small shared helpers: bitmaps, sizes, namespace calls, files
 */

#ifndef UTIL_H
#define UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "passt.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define MIN(x, y)		(((x) < (y)) ? (x) : (y))
#define MAX(x, y)		(((x) > (y)) ? (x) : (y))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define SOCK_LISTEN_BACKLOG	4096	/* listen(): capped by somaxconn */
#define STRINGIFY(x)		#x
#define STR(x)			STRINGIFY(x)

#define NS_CALL_STACK_SIZE	(64 * 1024)

/**
 * bitmap_set() - Set a bit in a bitmap of bytes
 * @map:	bitmap
 * @bit:	bit number
 */
static inline void bitmap_set(uint8_t *map, unsigned int bit)
{
	map[bit / 8] |= (uint8_t)(1U << (bit % 8));
}

/**
 * bitmap_clear() - Clear a bit in a bitmap of bytes
 * @map:	bitmap
 * @bit:	bit number
 */
static inline void bitmap_clear(uint8_t *map, unsigned int bit)
{
	map[bit / 8] &= (uint8_t)~(1U << (bit % 8));
}

/**
 * bitmap_isset() - Test a bit in a bitmap of bytes
 * @map:	bitmap
 * @bit:	bit number
 *
 * Return: true if set
 */
static inline bool bitmap_isset(const uint8_t *map, unsigned int bit)
{
	return map[bit / 8] & (1U << (bit % 8));
}

/**
 * cpu_relax() - Tell the CPU we are spinning: it may save power, or give
 *		 way to the other thread of the core
 */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

int ns_call(const struct ctx *c, int (*fn)(void *arg), void *arg);
int ns_enter(const struct ctx *c);
long timespec_diff_ms(const struct timespec *a, const struct timespec *b);
long timespec_diff_ns(const struct timespec *a, const struct timespec *b);
int write_all(int fd, const void *buf, size_t len);
ssize_t read_file(const char *path, char *buf, size_t size);
int write_file(const char *path, const char *s);
int pidfile_open(const char *path);
void pidfile_write(int fd, pid_t pid);
int fd_set_nonblock(int fd);
int parse_uint(const char *s, unsigned long max, unsigned long *out);
int sock_l4(const struct ctx *c, int af, uint8_t proto, const void *bind_addr,
	    const char *ifname, uint16_t port, union epoll_ref ref);
int sock_l4_ns(const struct ctx *c, int af, uint8_t proto,
	       const void *bind_addr, const char *ifname, uint16_t port,
	       union epoll_ref ref);

#endif /* UTIL_H */
