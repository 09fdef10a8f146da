// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * isolation_test.c - The sandbox of isolation.c, applied for real in child
 * processes: after isolate_initial(), isolate_user(), isolate_prefork() and
 * isolate_postfork(), exactly as main() calls them, a child may write to a
 * pipe, but dies of SIGSYS on any allocation that needs memory from the
 * kernel (brk, mmap), on a syscall that no annotation allows, and on a
 * syscall of a foreign ABI.  The generated allow-lists are also checked for
 * the absence of syscalls that map or allocate memory.  After
 * isolate_prefork() alone, a child checks what it set up: mount, IPC and UTS
 * namespaces of its own (and a PID namespace for its children only when
 * daemonising: its next child is PID 1), no_new_privs, not dumpable, no core
 * dumps, not root.
 *
 * Started as root in the initial user namespace (make check on CI), the
 * children also go through the switch to "nobody".  Sanitizer builds install
 * no filter: the cases that need it are skipped.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "isolation.h"
#include "passt.h"
#include "seccomp.h"

#include "unit.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/**
 * filter_allows() - Tell if a filter compares the syscall number with @nr
 * @f:		filter
 * @len:	number of instructions
 * @nr:		syscall number
 *
 * Return: 1 if some instruction after the number is loaded compares with it
 */
static int filter_allows(const struct sock_filter *f, size_t len, long nr)
{
	size_t i;

	for (i = 4; i < len; i++) {	/* 0..3: architecture check, load */
		if (f[i].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
		    f[i].k == (uint32_t)nr)
			return 1;
	}
	return 0;
}

/**
 * check_no_mm() - No syscall that maps or allocates memory in either list
 */
static void check_no_mm(void)
{
	static const long mm[] = {
		__NR_brk, __NR_mmap, __NR_munmap, __NR_mremap, __NR_mprotect,
		__NR_madvise, __NR_shmget, __NR_shmat, __NR_memfd_create,
#ifdef __NR_mmap2
		__NR_mmap2,
#endif
#ifdef __NR_remap_file_pages
		__NR_remap_file_pages,
#endif
#ifdef __NR_pkey_mprotect
		__NR_pkey_mprotect,
#endif
	};
	int found = 0;
	size_t i;

	for (i = 0; i < ARRAY_LEN(mm); i++) {
		found |= filter_allows(seccomp_filter_passt,
				       ARRAY_LEN(seccomp_filter_passt), mm[i]);
		found |= filter_allows(seccomp_filter_pasta,
				       ARRAY_LEN(seccomp_filter_pasta), mm[i]);
	}
	CHECK(!found, "isolation_filters_have_no_brk_mmap");
	CHECK(filter_allows(seccomp_filter_passt,
			    ARRAY_LEN(seccomp_filter_passt), __NR_write) &&
	      filter_allows(seccomp_filter_pasta,
			    ARRAY_LEN(seccomp_filter_pasta), __NR_write),
	      "isolation_filters_allow_write");
}

/**
 * sandbox() - Apply the whole sandbox to this (child) process
 * @mode:	MODE_PASST or MODE_PASTA
 */
static void sandbox(enum passt_mode mode)
{
	static struct ctx c;

	c.mode = mode;
	c.foreground = 1;
	c.fd_tap = c.fd_tap_listen = c.epollfd = -1;
	c.pasta_netns_fd = c.pasta_userns_fd = -1;

	isolate_initial();
	c.runas_uid = geteuid();	/* as conf() does without --runas */
	c.runas_gid = getegid();
	isolate_user(&c);
	if (isolate_prefork(&c))
		_exit(2);
	isolate_postfork(&c);
}

/**
 * try_large_alloc() - Allocation beyond the mmap threshold
 */
static void try_large_alloc(void)
{
	volatile char *p = malloc(8 << 20);

	if (p)
		p[0] = 1;
}

/**
 * try_small_allocs() - Many small allocations, as a leak in the loop would
 */
static void try_small_allocs(void)
{
	int i;

	for (i = 0; i < 1 << 20; i++) {
		volatile char *p = malloc(4096);

		if (p)
			p[0] = 1;
	}
}

/**
 * try_brk() - Grow the heap directly
 */
static void try_brk(void)
{
	syscall(SYS_brk, (char *)sbrk(0) + (1 << 20));
}

/**
 * try_unlisted() - A syscall that no annotation lists
 */
static void try_unlisted(void)
{
	syscall(SYS_getppid);
}

/**
 * try_foreign_abi() - write() through the x32 ABI of x86_64
 */
static void try_foreign_abi(void)
{
#ifdef SECCOMP_FOREIGN_NR
	syscall(SECCOMP_FOREIGN_NR | __NR_write, STDOUT_FILENO, "", 0);
#else
	syscall(SYS_getppid);	/* no foreign ABI here: same expectation */
#endif
}

/**
 * try_nothing() - Only the allowed write() that every case does
 */
static void try_nothing(void)
{
}

/**
 * run_case() - Sandbox a child, let it report, then try something
 * @name:	case name
 * @mode:	MODE_PASST or MODE_PASTA
 * @fn:		what the child tries once sandboxed
 * @expect_sig:	signal expected to end the child, 0 for a normal exit 0
 */
static void run_case(const char *name, enum passt_mode mode, void (*fn)(void),
		     int expect_sig)
{
	int p[2], status;
	char buf[16] = { 0 };
	pid_t pid;

	fflush(stdout);
	if (pipe(p) || (pid = fork()) < 0) {
		CHECK(0, name);
		return;
	}
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)	/* "switching to nobody" and similar notes */
			dup2(null, STDERR_FILENO);
		close(p[0]);
		sandbox(mode);
		if (write(p[1], "sandboxed", 9) != 9)
			_exit(3);
		fn();
		_exit(0);
	}

	close(p[1]);
	if (read(p[0], buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(p[0]);
	waitpid(pid, &status, 0);

	if (strcmp(buf, "sandboxed")) {
		printf("SKIP %s: the sandbox could not be set up (status %#x)\n",
		       name, status);
		return;
	}
	if (expect_sig)
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == expect_sig,
		      name);
	else
		CHECK(WIFEXITED(status) && !WEXITSTATUS(status), name);
}

/**
 * ns_link() - Namespace of this process, as readlink() shows it
 * @ns:		"mnt", "ipc" or "uts"
 * @buf:	result, empty on failure
 * @len:	size of @buf
 */
static void ns_link(const char *ns, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	n = readlink(path, buf, len - 1);
	buf[n < 0 ? 0 : n] = '\0';
}

/**
 * prefork_state() - In a child: apply isolate_initial(), isolate_user()
 *		     and isolate_prefork(), report what they did not do
 * @foreground:	as -f: no new PID namespace
 * @out:	what is wrong, empty if nothing is, set on return
 * @len:	size of @out
 */
static void prefork_state(int foreground, char *out, size_t len)
{
	static const char *const ns[] = { "mnt", "ipc", "uts" };
	char before[ARRAY_LEN(ns)][64], after[64];
	static struct ctx c;
	struct rlimit core;
	int status;
	pid_t pid;
	size_t i;

	*out = '\0';
	for (i = 0; i < ARRAY_LEN(ns); i++)
		ns_link(ns[i], before[i], sizeof(before[i]));

	c.mode = MODE_PASST;
	c.foreground = foreground;
	c.fd_tap = c.fd_tap_listen = c.epollfd = -1;
	c.pasta_netns_fd = c.pasta_userns_fd = -1;
	isolate_initial();
	c.runas_uid = geteuid();
	c.runas_gid = getegid();
	isolate_user(&c);
	if (isolate_prefork(&c)) {
		snprintf(out, len, "isolate_prefork() failed");
		return;
	}

	for (i = 0; i < ARRAY_LEN(ns); i++) {
		ns_link(ns[i], after, sizeof(after));
		if (!*after || !strcmp(after, before[i]))
			snprintf(out + strlen(out), len - strlen(out),
				 " %s:same", ns[i]);
	}
	/* Our next child is PID 1 of a new namespace only when daemonising */
	pid = fork();
	if (!pid)
		_exit(getpid() == 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		snprintf(out + strlen(out), len - strlen(out), " fork");
	else if (WEXITSTATUS(status) == foreground)
		snprintf(out + strlen(out), len - strlen(out),
			 " child_pid1:%s", foreground ? "yes" : "no");
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		snprintf(out + strlen(out), len - strlen(out), " nnp:0");
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		snprintf(out + strlen(out), len - strlen(out), " dumpable");
	if (getrlimit(RLIMIT_CORE, &core) || core.rlim_cur || core.rlim_max)
		snprintf(out + strlen(out), len - strlen(out), " core");
	if (!geteuid())
		snprintf(out + strlen(out), len - strlen(out), " root");
}

/**
 * run_state_case() - Check the state isolate_prefork() leaves, in a child
 * @name:	case name
 * @foreground:	as -f
 */
static void run_state_case(const char *name, int foreground)
{
	char buf[256] = { 0 };
	int p[2], status;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	if (pipe(p) || (pid = fork()) < 0) {
		CHECK(0, name);
		return;
	}
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDERR_FILENO);
		close(p[0]);
		prefork_state(foreground, buf, sizeof(buf));
		if (write(p[1], *buf ? buf : "ok", *buf ? strlen(buf) : 2) < 0)
			_exit(3);
		_exit(0);
	}

	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);

	if (!strcmp(buf, "ok") && WIFEXITED(status) && !WEXITSTATUS(status)) {
		printf("PASS %s\n", name);
	} else {
		printf("FAIL %s (%s, status %#x)\n", name,
		       *buf ? buf : "no report", status);
		unit_failed = 1;
	}
}

int main(void)
{
	check_no_mm();
	run_state_case("isolation_prefork_foreground", 1);
	run_state_case("isolation_prefork_daemon", 0);

#ifdef PASST_SANITIZE
	printf("SKIP isolation_seccomp: sanitizer build, no filter\n");
	return UNIT_RESULT();
#endif
	run_case("isolation_passt_allowed_write", MODE_PASST, try_nothing, 0);
	run_case("isolation_pasta_allowed_write", MODE_PASTA, try_nothing, 0);
	run_case("isolation_passt_large_malloc_killed", MODE_PASST,
		 try_large_alloc, SIGSYS);
	run_case("isolation_passt_small_mallocs_killed", MODE_PASST,
		 try_small_allocs, SIGSYS);
	run_case("isolation_pasta_small_mallocs_killed", MODE_PASTA,
		 try_small_allocs, SIGSYS);
	run_case("isolation_passt_brk_killed", MODE_PASST, try_brk, SIGSYS);
	run_case("isolation_passt_unlisted_killed", MODE_PASST, try_unlisted,
		 SIGSYS);
	run_case("isolation_pasta_unlisted_killed", MODE_PASTA, try_unlisted,
		 SIGSYS);
	run_case("isolation_passt_foreign_abi_killed", MODE_PASST,
		 try_foreign_abi, SIGSYS);

	return UNIT_RESULT();
}
