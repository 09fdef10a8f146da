/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * busypoll.h - Waiting for events of the loop: a short spin before sleeping
 */

#ifndef BUSYPOLL_H
#define BUSYPOLL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/epoll.h>

#define BUSY_POLL_STEP_NS	100	/* the delay moves in these steps */
#define BUSY_POLL_MISS_STEPS	7	/* ... up seven, down one: 7/8 quantile */
#define BUSY_POLL_MIN_GAP_NS	500	/* looks after a miss: at most this often */
#define BUSY_POLL_SMALL_BYTES	8192	/* spin only after moving at most this */

/**
 * struct busy_poll - State of the spin before sleeping
 * @limit_ns:	longest spin, 0 for none (--busy-poll)
 * @first_ns:	delay of the first look, learnt; no spin if not below the limit
 */
struct busy_poll {
	long limit_ns;
	long first_ns;
};

void busy_poll_init(struct busy_poll *bp, long limit_us);
void busy_poll_learn(struct busy_poll *bp, bool soon);
void busy_poll_moved(size_t bytes);
int busy_poll_wait(struct busy_poll *bp, int epollfd,
		   struct epoll_event *events, int max, long wait_ms);

#endif /* BUSYPOLL_H */
