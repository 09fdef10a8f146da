// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * busypoll_test.c - Unit tests for busypoll.c: the delay of the first look
 * converging to the 7/8 quantile of when events come, spinning stopping
 * where events come later than the limit and starting again where they
 * come sooner, and waits with a real epoll instance and an eventfd: events
 * never missed or held back past the first look, no spin after moving more
 * than a few KiB, none with no limit.
 */

#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "busypoll.h"
#include "unit.h"
#include "util.h"

#define LIMIT_US	50

/**
 * test_quantile() - Events spread evenly over 5 to 15 µs: the first look
 * settles near 13.75 µs, where 7/8 of them have come
 */
static void test_quantile(void)
{
	long lo = 0, hi = 0, sum = 0;
	struct busy_poll bp;
	int i;

	busy_poll_init(&bp, LIMIT_US);
	CHECK(bp.first_ns == LIMIT_US * 1000L, "busy-poll: starts not spinning");
	for (i = 0; i < 200000; i++) {
		long at = 5000 + (long)((i * 7919L) % 10000);

		busy_poll_learn(&bp, at <= bp.first_ns);
		if (i == 100000)
			lo = hi = bp.first_ns;
		if (i > 100000) {
			lo = MIN(lo, bp.first_ns);
			hi = MAX(hi, bp.first_ns);
			sum += bp.first_ns;
		}
	}
	sum /= 200000 - 100001;
	printf("# first look between %ld and %ld ns, mean %ld\n", lo, hi, sum);
	CHECK(sum > 13250 && sum < 14250 && lo > 11500 && hi < 16000,
	      "busy-poll: first look at the 7/8 quantile");
}

/**
 * test_limits() - Late events stop the spin, early ones restart it, and
 * the delay stays within its bounds
 */
static void test_limits(void)
{
	long max = LIMIT_US * 1000L + BUSY_POLL_MISS_STEPS * BUSY_POLL_STEP_NS;
	struct busy_poll bp;
	int i;

	busy_poll_init(&bp, LIMIT_US);
	for (i = 0; i < 1000; i++)
		busy_poll_learn(&bp, false);
	CHECK(bp.first_ns == max, "busy-poll: late events: no spin, bounded");

	for (i = 0; i < 1000; i++)
		busy_poll_learn(&bp, true);
	CHECK(bp.first_ns == 0, "busy-poll: immediate events: look at once");

	busy_poll_init(&bp, LIMIT_US);
	busy_poll_learn(&bp, true);
	CHECK(bp.first_ns < LIMIT_US * 1000L,
	      "busy-poll: one early event restarts the spin");

	busy_poll_init(&bp, 0);
	busy_poll_learn(&bp, true);
	CHECK(bp.limit_ns == 0 && bp.first_ns == 0,
	      "busy-poll: no limit, nothing learnt");
}

/**
 * now_ns() - Monotonic clock, nanoseconds
 *
 * Return: current time
 */
static long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

/**
 * test_wait() - Waits on an epoll instance with an eventfd
 */
static void test_wait(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	int ep = epoll_create1(0), efd = eventfd(0, EFD_NONBLOCK);
	uint64_t one = 1;
	struct busy_poll bp;
	long t0, t1;
	int n;

	if (ep < 0 || efd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev)) {
		printf("SKIP busy-poll: waits: no epoll or eventfd\n");
		return;
	}

	/* Not spinning: a pending event comes back at once, and counts as
	 * soon, so that the spin can start
	 */
	busy_poll_init(&bp, LIMIT_US);
	if (write(efd, &one, sizeof(one)) != sizeof(one))
		return;
	n = busy_poll_wait(&bp, ep, out, 4, 1000);
	CHECK(n == 1 && bp.first_ns == LIMIT_US * 1000L - BUSY_POLL_STEP_NS,
	      "busy-poll: sleep ending early brings the first look down");

	/* Spinning: the first look comes at the learnt delay, not before,
	 * and catches the pending event: a catch, the delay goes down
	 */
	bp.first_ns = 20000;
	t0 = now_ns();
	n = busy_poll_wait(&bp, ep, out, 4, 1000);
	t1 = now_ns();
	CHECK(n == 1 && t1 - t0 >= 20000 && t1 - t0 < 500000000L &&
	      bp.first_ns == 20000 - BUSY_POLL_STEP_NS,
	      "busy-poll: pending event caught at the first look");

	/* After moving more than a few KiB: no spin, nothing learnt */
	busy_poll_moved(BUSY_POLL_SMALL_BYTES + 1);
	n = busy_poll_wait(&bp, ep, out, 4, 1000);
	CHECK(n == 1 && bp.first_ns == 20000 - BUSY_POLL_STEP_NS,
	      "busy-poll: bulk work before: plain wait");
	busy_poll_moved(BUSY_POLL_SMALL_BYTES);
	n = busy_poll_wait(&bp, ep, out, 4, 1000);
	CHECK(n == 1 && bp.first_ns == 20000 - 2 * BUSY_POLL_STEP_NS,
	      "busy-poll: small work before: spin");

	/* Spinning, no event: looks until twice the delay, then sleeps for
	 * the whole wait, and counts a miss
	 */
	if (read(efd, &one, sizeof(one)) != sizeof(one))
		return;
	bp.first_ns = 10000;
	t0 = now_ns();
	n = busy_poll_wait(&bp, ep, out, 4, 20);
	t1 = now_ns();
	CHECK(n == 0 && t1 - t0 >= 20000000L &&
	      bp.first_ns == 10000 + BUSY_POLL_MISS_STEPS * BUSY_POLL_STEP_NS,
	      "busy-poll: no event: spin, then sleep the whole wait");

	/* No limit: no spin at all, a zero wait doesn't block */
	busy_poll_init(&bp, 0);
	t0 = now_ns();
	n = busy_poll_wait(&bp, ep, out, 4, 0);
	t1 = now_ns();
	CHECK(n == 0 && t1 - t0 < 500000000L, "busy-poll: off: zero wait returns");
	n = busy_poll_wait(&bp, ep, out, 4, 5);
	CHECK(n == 0 && bp.first_ns == 0, "busy-poll: off: plain sleep");

	close(efd);
	close(ep);
}

/**
 * main() - Run the cases
 *
 * Return: 0 if all passed
 */
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_quantile();
	test_limits();
	test_wait();
	return UNIT_RESULT();
}
