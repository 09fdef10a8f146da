// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pasta.c - pasta's namespaces: create one around a command or join one,
 * configure it (--config-net), and quit when it goes away
 *
 * Theory of operation
 *
 * Without a target, pasta forks a child that unshares a user and a network
 * namespace, maps its user to root there, tells us it is ready and waits.
 * Started as root of the machine, we write the maps instead, adding the
 * user we will switch to (isolate_runas()), so that we can become that user
 * inside the namespace and keep the capabilities we need there.
 * We open its namespace files, join its user namespace (which gives us the
 * capabilities to configure its network), create the tap device and
 * configure it, write the PID file, and only then let the child exec the
 * command: the command starts with a working network.  pasta stays in the
 * foreground and exits with the command's status.
 *
 * With a target (PID, path, or name under --nsrun-dir), we open its network
 * namespace and join the user namespace that owns it (--userns overrides,
 * --netns-only skips), then watch it: the owning process's pidfd for a PID,
 * the directory of the namespace file for a path, so that we quit when the
 * namespace disappears (unless --no-netns-quit).
 *
 * We never move the main process into the target network namespace: code
 * that must run there goes through ns_call() (util.c).
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "isolation.h"
#include "log.h"
#include "netlink.h"
#include "pasta.h"
#include "passt.h"
#include "tap.h"
#include "util.h"

/* Only the handlers below run under the seccomp filter, see seccomp.sh */
/* #syscalls:pasta read wait4 exit_group rt_sigreturn */

#define PASTA_LO_IFI	1	/* loopback is always ifindex 1 */

static int pasta_go_fd = -1;	/* write end: lets the child exec */
static int pasta_nl_ns = -1;	/* netlink socket in the namespace */

/**
 * pasta_child() - Body of the spawned child: new namespaces, then exec
 * @argv:	command to run
 * @ready_fd:	written once the namespaces exist
 * @go_fd:	readable (one byte) once the network is configured
 * @self_map:	map our user and group to root ourselves (else the parent
 *		does, before it writes to @go_fd)
 */
static void __attribute__((noreturn)) pasta_child(char **argv, int ready_fd,
						  int go_fd, bool self_map)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char buf[64];

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
		dprintf(STDERR_FILENO, "pasta: can't create namespaces: %s\n",
			strerror(errno));
		_exit(EXIT_FAILURE);
	}

	snprintf(buf, sizeof(buf), "0 %u 1", uid);
	if (self_map && (write_file("/proc/self/uid_map", buf) ||
			 write_file("/proc/self/setgroups", "deny"))) {
		dprintf(STDERR_FILENO, "pasta: can't map user: %s\n",
			strerror(errno));
		_exit(EXIT_FAILURE);
	}
	snprintf(buf, sizeof(buf), "0 %u 1", gid);
	if (self_map && write_file("/proc/self/gid_map", buf)) {
		dprintf(STDERR_FILENO, "pasta: can't map group: %s\n",
			strerror(errno));
		_exit(EXIT_FAILURE);
	}

	if (write(ready_fd, "r", 1) != 1 || read(go_fd, buf, 1) != 1)
		_exit(EXIT_FAILURE);	/* pasta failed and said why */

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "pasta: can't run %s: %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

/* The handler needs the child's PID: kept here, set before it can fire */
static volatile pid_t pasta_child_pid;

/**
 * pasta_sigchld() - SIGCHLD handler: exit with the command's exit status
 * @signum:	SIGCHLD
 *
 * Only the spawned command is reaped here: ns_call() waits for its own
 * short-lived tasks by PID.
 */
static void pasta_sigchld(int signum)
{
	int status;

	(void)signum;
	if (waitpid(pasta_child_pid, &status, WNOHANG) != pasta_child_pid)
		return;
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	_exit(128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
}

/**
 * pasta_map_runas() - Map root and the user we'll switch to, as root
 * @pid:	child that created the command's user namespace
 * @uid:	user we will switch to (isolate_runas()), not root
 * @gid:	group we will switch to
 *
 * Maps with more than one line need CAP_SETUID and CAP_SETGID in the parent
 * namespace, which the child no longer has: we write them.  Root is mapped
 * to root, as the child would have done, so the command is unaffected;
 * setgroups stays allowed, as it is for a namespace that root creates.
 */
static void pasta_map_runas(pid_t pid, uid_t uid, gid_t gid)
{
	char path[64], map[64];

	snprintf(path, sizeof(path), "/proc/%i/uid_map", pid);
	snprintf(map, sizeof(map), "0 0 1\n%u %u 1\n", uid, uid);
	if (write_file(path, map))
		die("Can't map users in the command's namespace: %s",
		    strerror(errno));

	snprintf(path, sizeof(path), "/proc/%i/gid_map", pid);
	if (gid)
		snprintf(map, sizeof(map), "0 0 1\n%u %u 1\n", gid, gid);
	else
		snprintf(map, sizeof(map), "0 0 1\n");
	if (write_file(path, map))
		die("Can't map groups in the command's namespace: %s",
		    strerror(errno));
}

/**
 * pasta_spawn() - Create namespaces around the command, not started yet
 * @c:		execution context
 */
static void pasta_spawn(struct ctx *c)
{
	static char *shell_argv[2];
	struct sigaction sa = { .sa_handler = pasta_sigchld,
				.sa_flags = SA_RESTART | SA_NOCLDSTOP };
	int ready[2], go[2];
	char path[64], **argv = c->pasta_argv;
	bool parent_map;
	uid_t uid;
	gid_t gid;
	pid_t pid;

	/* Before the fork: an invalid --runas stops us here */
	parent_map = isolate_runas(c, &uid, &gid);

	if (!argv || !argv[0]) {
		const char *sh = getenv("SHELL");

		shell_argv[0] = (char *)(sh && *sh ? sh : "/bin/sh");
		argv = shell_argv;
	}

	if (pipe2(ready, O_CLOEXEC) || pipe2(go, O_CLOEXEC))
		die("pipe: %s", strerror(errno));

	sigaction(SIGCHLD, &sa, NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		close(ready[0]);
		close(go[1]);
		pasta_child(argv, ready[1], go[0], !parent_map);
	}
	pasta_child_pid = pid;
	c->pasta_child_pid = pid;
	close(ready[1]);
	close(go[0]);
	pasta_go_fd = go[1];

	/* While the command runs, ^C is the command's business */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);

	if (read(ready[0], path, 1) != 1)
		die("Failed to create the namespace for the command");
	close(ready[0]);
	if (parent_map)
		pasta_map_runas(pid, uid, gid);

	snprintf(path, sizeof(path), "/proc/%i/ns/net", pid);
	c->pasta_netns_fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%i/ns/user", pid);
	c->pasta_userns_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->pasta_netns_fd < 0 || c->pasta_userns_fd < 0)
		die("Can't open the namespaces of the command: %s",
		    strerror(errno));
}

/**
 * pasta_open_target() - Open the network namespace given as target
 * @c:		execution context
 *
 * Return: 1 if the target was a PID, 0 if a path or name
 */
static int pasta_open_target(struct ctx *c)
{
	char path[PATH_MAX];
	unsigned long pid;

	if (!parse_uint(c->netns_path, INT_MAX, &pid)) {
		snprintf(path, sizeof(path), "/proc/%lu/ns/net", pid);
		c->pasta_netns_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (c->pasta_netns_fd < 0)
			die("Can't open network namespace of PID %lu: %s",
			    pid, strerror(errno));
		return 1;
	}

	if (strchr(c->netns_path, '/')) {
		snprintf(path, sizeof(path), "%s", c->netns_path);
	} else if (snprintf(path, sizeof(path), "%s/%s", c->netns_dir,
			    c->netns_path) >= (int)sizeof(path)) {
		die("--netns: path too long");
	}
	c->pasta_netns_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->pasta_netns_fd < 0)
		die("Can't open network namespace %s: %s", path,
		    strerror(errno));
	snprintf(c->netns_path, sizeof(c->netns_path), "%s", path);
	return 0;
}

/**
 * pasta_same_ns() - Tell if two namespace fds refer to the same namespace
 * @a:		namespace file descriptor
 * @b:		namespace file descriptor
 *
 * Return: true if they are the same
 */
static bool pasta_same_ns(int a, int b)
{
	struct stat sa, sb;

	if (fstat(a, &sa) || fstat(b, &sb))
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/**
 * pasta_join_userns() - Join the user namespace that owns the target
 * @c:		execution context
 *
 * Joining it gives us the capabilities needed to configure the network
 * namespace, without any on the host.
 */
static void pasta_join_userns(struct ctx *c)
{
	int self;

	if (c->netns_only)
		return;

	if (*c->userns_path) {
		c->pasta_userns_fd = open(c->userns_path, O_RDONLY | O_CLOEXEC);
		if (c->pasta_userns_fd < 0)
			die("--userns: can't open %s: %s", c->userns_path,
			    strerror(errno));
	} else if (c->pasta_userns_fd < 0) {
		c->pasta_userns_fd = ioctl(c->pasta_netns_fd, NS_GET_USERNS);
		if (c->pasta_userns_fd < 0) {
			debug("Can't find the owner of the namespace: %s",
			      strerror(errno));
			return;
		}
	}

	self = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	if (self >= 0 && pasta_same_ns(self, c->pasta_userns_fd)) {
		close(self);
		return;
	}
	if (self >= 0)
		close(self);

	if (setns(c->pasta_userns_fd, CLONE_NEWUSER)) {
		if (*c->userns_path)
			die("--userns: can't join %s: %s", c->userns_path,
			    strerror(errno));
		debug("Can't join the user namespace of the target: %s",
		      strerror(errno));
	}
}

/**
 * pasta_ns_init() - Create or open the target namespace and join its owner
 * @c:		execution context
 *
 * Return: 1 if the target was given as a PID, 0 otherwise
 */
int pasta_ns_init(struct ctx *c)
{
	int by_pid = 0;

	if (*c->netns_path)
		by_pid = pasta_open_target(c);
	else
		pasta_spawn(c);

	pasta_join_userns(c);
	return by_pid;
}

/**
 * pasta_nl_open() - Open a netlink socket, run inside the namespace
 * @arg:	int * to store the socket
 *
 * Return: 0 on success, 1 on failure
 */
static int pasta_nl_open(void *arg)
{
	int *s = arg;

	*s = nl_sock_open();
	return *s < 0;
}

/**
 * pasta_ns_conf() - Configure the namespace: lo up, tap MAC, --config-net
 * @c:		execution context
 */
void pasta_ns_conf(struct ctx *c)
{
	int rc, mtu;

	if (ns_call(c, pasta_nl_open, &pasta_nl_ns) || pasta_nl_ns < 0)
		die("Can't open a netlink socket in the namespace");

	rc = nl_link_up(pasta_nl_ns, PASTA_LO_IFI, 0);
	if (rc)
		die("Can't bring up loopback in the namespace: %s",
		    strerror(-rc));

	if (c->guest_mac_set)
		rc = nl_link_set_mac(pasta_nl_ns, c->pasta_ifi, c->guest_mac);
	else
		rc = nl_link_get_mac(pasta_nl_ns, c->pasta_ifi, c->guest_mac);
	if (rc)
		die("Can't set or read the MAC address of %s: %s",
		    c->pasta_ifn, strerror(rc < 0 ? -rc : EIO));

	/* The tap driver queues frames for us in a ring of txqueuelen
	 * entries and drops what doesn't fit, and the guest's TCP doesn't
	 * see that queue as its own.  With small frames (MTU 1500), a burst
	 * filling the window we announce overflows the default 1000
	 * entries: losses at the tail of a burst end in retransmission
	 * timeouts.  The ioctl (SIOCSIFTXQLEN) needs CAP_NET_ADMIN in the
	 * initial namespace, netlink only in the namespace's owner.
	 */
	rc = nl_link_set_txqlen(pasta_nl_ns, c->pasta_ifi, TAP_TXQUEUELEN);
	if (rc)
		warn("Can't set the queue length of %s: %s", c->pasta_ifn,
		     strerror(-rc));

	if (!c->pasta_conf_ns)
		return;

	mtu = c->mtu ? c->mtu : TAP_MTU_MAX;
	rc = nl_link_up(pasta_nl_ns, c->pasta_ifi, mtu);
	if (rc)
		die("--config-net: can't bring up %s: %s", c->pasta_ifn,
		    strerror(-rc));

	if (c->ifi4) {
		rc = nl_addr_set(pasta_nl_ns, c->pasta_ifi, AF_INET,
				 &c->ip4.addr, c->ip4.prefix_len);
		if (!rc && c->ip4.gw.s_addr)
			rc = nl_route_set_def(pasta_nl_ns, c->pasta_ifi,
					      AF_INET, &c->ip4.gw);
		if (rc)
			die("--config-net: IPv4 set-up failed: %s",
			    strerror(-rc));
	}

	if (c->ifi6) {
		rc = nl_addr_set(pasta_nl_ns, c->pasta_ifi, AF_INET6,
				 &c->ip6.addr, c->ip6.prefix_len);
		if (!rc && !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.gw))
			rc = nl_route_set_def(pasta_nl_ns, c->pasta_ifi,
					      AF_INET6, &c->ip6.gw);
		if (rc)
			die("--config-net: IPv6 set-up failed: %s",
			    strerror(-rc));
	}
}

/**
 * pasta_start() - Let the spawned command run, now that we are ready
 * @c:		execution context
 */
void pasta_start(const struct ctx *c)
{
	if (pasta_go_fd < 0)
		return;
	if (write(pasta_go_fd, "g", 1) != 1)
		die("Can't start the command: %s", strerror(errno));
	close(pasta_go_fd);
	pasta_go_fd = -1;
	(void)c;
}

/**
 * pasta_netns_quit_init() - Watch the target namespace, to quit with it
 * @c:		execution context
 * @by_pid:	the target was given as a PID
 */
void pasta_netns_quit_init(const struct ctx *c, int by_pid)
{
	union epoll_ref ref = { 0 };
	char dir[PATH_MAX];
	int fd;

	if (c->no_netns_quit || !*c->netns_path || c->pasta_child_pid)
		return;

	if (by_pid) {
		unsigned long pid;

		parse_uint(c->netns_path, INT_MAX, &pid);
		fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
		if (fd < 0)
			die("Can't watch PID %lu: %s", pid, strerror(errno));
		ref.type = EPOLL_TYPE_NSQUIT_PIDFD;
		passt_epoll_add(c, fd, EPOLLIN, ref);
		return;
	}

	snprintf(dir, sizeof(dir), "%s", c->netns_path);
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0 || inotify_add_watch(fd, dirname(dir), IN_DELETE) < 0) {
		warn("Can't watch %s, won't quit when it goes away: %s",
		     c->netns_path, strerror(errno));
		return;
	}
	ref.type = EPOLL_TYPE_NSQUIT_INOTIFY;
	passt_epoll_add(c, fd, EPOLLIN, ref);
}

/**
 * pasta_netns_quit_handler() - The target namespace may be gone: check, quit
 * @c:		execution context
 * @ref:	epoll reference of the watch
 */
void pasta_netns_quit_handler(const struct ctx *c, union epoll_ref ref)
{
	char buf[sizeof(struct inotify_event) + NAME_MAX + 1]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	char base[PATH_MAX];
	const char *name;
	ssize_t n, off;

	if (ref.type == EPOLL_TYPE_NSQUIT_PIDFD) {
		info("Namespace owner exited, exiting");
		exit(EXIT_SUCCESS);
	}

	snprintf(base, sizeof(base), "%s", c->netns_path);
	name = basename(base);
	while ((n = read((int)ref.fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off + (ssize_t)sizeof(struct inotify_event) <= n;) {
			const struct inotify_event *ev;

			ev = (const struct inotify_event *)(buf + off);
			if (ev->len && !strncmp(ev->name, name, ev->len)) {
				info("Namespace %s is gone, exiting",
				     c->netns_path);
				exit(EXIT_SUCCESS);
			}
			off += (ssize_t)sizeof(*ev) + ev->len;
		}
	}
}
