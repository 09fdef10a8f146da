// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * busypoll.c - Waiting for events of the loop: a short spin before sleeping
 *
 * Theory of operation
 *
 * A request/response exchange wakes us twice per transaction, and each time
 * the event comes a few microseconds after we went to sleep.  Waking a
 * sleeping process costs the waker an inter-processor interrupt and us the
 * way back from an idle CPU; on a virtual machine, that is more than the
 * rest of our work on the event.  So, when the events of the recent past
 * came that soon, we stay awake for a short while and look again with an
 * epoll_wait() that doesn't block: the kernel's busy polling of sockets,
 * and KVM's halt polling, do the same.
 *
 * Every look is a system call, and a failed one is wasted: the first look
 * is timed to catch most events, not the earliest.  Its delay tracks the
 * 7/8 quantile of the time events take to come (a wait whose event had
 * come by then moves it down one step, any other up seven).  After a miss,
 * we look every quarter of that delay until twice that delay, then sleep.
 *
 * Where events take longer than the limit (--busy-poll), the delay grows
 * past it and we don't spin at all; a sleep that ends sooner than the delay
 * brings it back down.  Idle traffic costs nothing then.  Between looks we
 * spin in user space, the clock read through the vDSO: no system call.
 *
 * Only small exchanges gain: we spin only if the work before the wait moved
 * at most a few KiB (tap frames either way, spliced data: the modules tell
 * busy_poll_moved()).  In a bulk transfer, the guest's and the peer's
 * processes, and the kernel's work on their data, need every CPU there is:
 * a spin would only take one from them.  With a single CPU, the process
 * that would send the event can't run while we spin: conf.c sets no limit
 * then.
 */

#include <time.h>

#include "busypoll.h"
#include "util.h"

/* #syscalls epoll_wait epoll_pwait clock_gettime */

static size_t busy_poll_bytes;	/* moved since the last wait */

/**
 * busy_poll_moved() - Note data moved by this iteration of the loop
 * @bytes:	bytes read or written
 */
void busy_poll_moved(size_t bytes)
{
	busy_poll_bytes += bytes;
}

/**
 * busy_poll_epoll() - The event loop's one epoll_wait()
 * @epollfd:	epoll descriptor
 * @events:	events, set on return
 * @max:	size of @events
 * @wait_ms:	longest wait, milliseconds, 0 or less: don't wait
 *
 * Return: as epoll_wait()
 */
static int busy_poll_epoll(int epollfd, struct epoll_event *events, int max,
			   long wait_ms)
{
	return epoll_wait(epollfd, events, max, wait_ms > 0 ? (int)wait_ms : 0);
}

/**
 * busy_poll_init() - Set the limit, start without spinning
 * @bp:		state
 * @limit_us:	longest spin, microseconds, 0 for none
 */
void busy_poll_init(struct busy_poll *bp, long limit_us)
{
	bp->limit_ns = limit_us * 1000L;
	bp->first_ns = bp->limit_ns;
}

/**
 * busy_poll_learn() - Move the delay of the first look after a wait
 * @bp:		state
 * @soon:	the event had come by that delay
 */
void busy_poll_learn(struct busy_poll *bp, bool soon)
{
	long max = bp->limit_ns + BUSY_POLL_MISS_STEPS * BUSY_POLL_STEP_NS;

	if (soon)
		bp->first_ns -= BUSY_POLL_STEP_NS;
	else
		bp->first_ns += BUSY_POLL_MISS_STEPS * BUSY_POLL_STEP_NS;
	bp->first_ns = MIN(MAX(bp->first_ns, 0L), max);
}

/**
 * busy_poll_spin() - Look for events without sleeping, for a while
 * @bp:		state
 * @epollfd:	epoll descriptor
 * @events:	events, set on return
 * @max:	size of @events
 * @t0:		when we were ready to wait
 *
 * Return: number of events, 0 if none came (or on error)
 */
static int busy_poll_spin(struct busy_poll *bp, int epollfd,
			  struct epoll_event *events, int max,
			  const struct timespec *t0)
{
	long first = bp->first_ns, next = first;
	long end = MIN(bp->limit_ns, 2 * first);
	long gap = MAX(first / 4, (long)BUSY_POLL_MIN_GAP_NS);
	struct timespec t;

	for (;;) {
		long el;
		int n;

		clock_gettime(CLOCK_MONOTONIC, &t);
		el = timespec_diff_ns(&t, t0);
		if (el < next) {
			cpu_relax();
			continue;
		}
		n = busy_poll_epoll(epollfd, events, max, 0);
		if (n > 0) {
			busy_poll_learn(bp, next == first);
			return n;
		}
		if (el >= end)
			return 0;
		next = el + gap;
	}
}

/**
 * busy_poll_wait() - Wait for events, spinning first if they tend to come
 *		      soon, and the work before moved little data
 * @bp:		state
 * @epollfd:	epoll descriptor
 * @events:	events, set on return
 * @max:	size of @events
 * @wait_ms:	longest wait, milliseconds, 0 or less: don't wait
 *
 * Return: number of events, as epoll_wait()
 */
int busy_poll_wait(struct busy_poll *bp, int epollfd,
		   struct epoll_event *events, int max, long wait_ms)
{
	bool small = busy_poll_bytes <= BUSY_POLL_SMALL_BYTES;
	struct timespec t0, t;
	int n;

	busy_poll_bytes = 0;
	if (!bp->limit_ns || !small || wait_ms <= 0)
		return busy_poll_epoll(epollfd, events, max, wait_ms);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bp->first_ns < bp->limit_ns) {
		n = busy_poll_spin(bp, epollfd, events, max, &t0);
		if (n)
			return n;
	}
	n = busy_poll_epoll(epollfd, events, max, wait_ms);
	clock_gettime(CLOCK_MONOTONIC, &t);
	busy_poll_learn(bp, n > 0 && timespec_diff_ns(&t, &t0) <= bp->first_ns);
	return n;
}
