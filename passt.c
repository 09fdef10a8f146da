// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * passt.c - Entry point: mode from argv[0], start-up order, the epoll loop
 * and its single dispatch switch, the periodic timer tick
 *
 * Start-up order matters for the tools that start us: they wait for the
 * starting process to exit, and take exit status 0 to mean "ready".  So every
 * step that can fail (options, host configuration, sockets, tap device,
 * namespace configuration, PID file) happens before we daemonise, and errors
 * leave through die() with a one-line reason and status 1.
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "busypoll.h"
#include "conf.h"
#include "icmp.h"
#include "isolation.h"
#include "log.h"
#include "ndp.h"
#include "pasta.h"
#include "passt.h"
#include "pcap.h"
#include "tap.h"
#include "tcp.h"
#include "tcp_splice.h"
#include "udp.h"
#include "util.h"

/* #syscalls epoll_wait epoll_pwait clock_gettime exit_group rt_sigreturn */

#define EPOLL_EVENTS		8
#define TIMER_INTERVAL_MS	1000

static struct ctx c;

/**
 * passt_timer() - Periodic work of every module, about once a second
 * @now:	current time
 */
static void passt_timer(const struct timespec *now)
{
	if (!c.no_ndp && !c.no_ra && c.ifi6)
		ndp_timer(&c, now);
	if (!c.no_tcp) {
		tcp_timer(&c, now);
		if (c.mode == MODE_PASTA)
			tcp_splice_timer(&c, now);
	}
	if (!c.no_udp)
		udp_timer(&c, now);
	if (!c.no_icmp)
		icmp_timer(&c, now);
}

/**
 * passt_dispatch() - Hand one epoll event to the handler of its type
 * @ev:		epoll event
 * @now:	current time
 */
static void passt_dispatch(const struct epoll_event *ev,
			   const struct timespec *now)
{
	union epoll_ref ref = { .u64 = ev->data.u64 };

	switch (ref.type) {
	case EPOLL_TYPE_TAP_PASST:
		tap_handler_passt(&c, ev->events, now);
		break;
	case EPOLL_TYPE_TAP_PASTA:
		tap_handler_pasta(&c, ev->events, now);
		break;
	case EPOLL_TYPE_TAP_LISTEN:
		tap_listen_handler(&c, ev->events);
		break;
	case EPOLL_TYPE_TCP:
		tcp_sock_handler(&c, ref, ev->events, now);
		break;
	case EPOLL_TYPE_TCP_SPLICE:
		tcp_splice_sock_handler(&c, ref, ev->events);
		break;
	case EPOLL_TYPE_TCP_LISTEN:
		tcp_listen_handler(&c, ref, now);
		break;
	case EPOLL_TYPE_TCP_TIMER:
		tcp_timer_handler(&c, ref);
		break;
	case EPOLL_TYPE_UDP:
		udp_sock_handler(&c, ref, ev->events, now);
		break;
	case EPOLL_TYPE_PING:
		icmp_sock_handler(&c, ref);
		break;
	case EPOLL_TYPE_NSQUIT_INOTIFY:
	case EPOLL_TYPE_NSQUIT_PIDFD:
		pasta_netns_quit_handler(&c, ref);
		break;
	default:
		debug("Unexpected epoll reference type %u", ref.type);
	}
}

/**
 * passt_daemonise() - Detach: the starting process writes the PID file and
 *		       exits 0, which is the readiness signal
 * @pidfile_fd:	PID file, or -1
 */
static void passt_daemonise(int pidfile_fd)
{
	pid_t pid = fork();
	int null;

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid) {
		pidfile_write(pidfile_fd, pid);
		_exit(EXIT_SUCCESS);
	}
	if (pidfile_fd >= 0)
		close(pidfile_fd);

	setsid();
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	log_set_stderr(0);
}

/**
 * passt_loop() - The event loop: never returns
 */
static void __attribute__((noreturn)) passt_loop(void)
{
	struct epoll_event events[EPOLL_EVENTS];
	struct timespec now, last_tick;
	struct busy_poll bp;
	long ack_wait = -1;

	busy_poll_init(&bp, c.busy_poll_us);

	clock_gettime(CLOCK_MONOTONIC, &last_tick);
	for (;;) {
		long wait;
		int i, n;

		/* Wake up for the tick on time, also after early events, and
		 * for the delayed ACKs of TCP
		 */
		clock_gettime(CLOCK_MONOTONIC, &now);
		wait = TIMER_INTERVAL_MS - timespec_diff_ms(&now, &last_tick);
		if (ack_wait >= 0 && ack_wait < wait)
			wait = ack_wait;
		n = busy_poll_wait(&bp, c.epollfd, events, EPOLL_EVENTS, wait);
		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));

		clock_gettime(CLOCK_MONOTONIC, &now);
		for (i = 0; i < n; i++)
			passt_dispatch(&events[i], &now);
		if (!c.no_tcp) {
			ack_wait = tcp_ack_delayed(&c, &now);
			tcp_flush(&c);
		}

		if (timespec_diff_ms(&now, &last_tick) >= TIMER_INTERVAL_MS) {
			passt_timer(&now);
			last_tick = now;
		}
	}
}

/**
 * main() - Set everything up in an order that can fail early, then loop
 * @argc:	argument count
 * @argv:	options, see passt.1
 *
 * Return: never returns on success; exits 1 with a message on failure
 */
int main(int argc, char **argv)
{
	char name[PATH_MAX];
	int pidfile_fd = -1, by_pid = 0;

	snprintf(name, sizeof(name), "%s", argv[0] ? argv[0] : "passt");
	c.mode = strncmp(basename(name), "pasta", strlen("pasta")) ?
		 MODE_PASST : MODE_PASTA;
	c.fd_tap = c.fd_tap_listen = -1;
	c.pasta_netns_fd = c.pasta_userns_fd = -1;

	isolate_initial();
	signal(SIGPIPE, SIG_IGN);
	c.epollfd = epoll_create1(EPOLL_CLOEXEC);
	if (c.epollfd < 0)
		die("epoll_create1: %s", strerror(errno));

	conf(&c, argc, argv);

	pcap_init(c.pcap);

	if (c.mode == MODE_PASTA)
		by_pid = pasta_ns_init(&c);

	tap_sock_init(&c);
	if (c.mode == MODE_PASTA) {
		pasta_ns_conf(&c);
		/* Needs the filesystem and outer PIDs: before the sandbox */
		pasta_netns_quit_init(&c, by_pid);
	}

	if (!c.no_tcp)
		tcp_init(&c);
	if (!c.no_udp)
		udp_init(&c);
	if (!c.no_icmp)
		icmp_init(&c);

	/* Once the guest side and the forwarded ports work: no PID file is
	 * left on a failure
	 */
	if (*c.pid_file)
		pidfile_fd = pidfile_open(c.pid_file);

	conf_print(&c);

	isolate_user(&c);
	if (isolate_prefork(&c))
		die("Failed to sandbox the process");

	if (!c.foreground)
		passt_daemonise(pidfile_fd);
	else
		pidfile_write(pidfile_fd, getpid());

	if (c.mode == MODE_PASTA)
		pasta_start(&c);

	isolate_postfork(&c);
	passt_loop();
}
