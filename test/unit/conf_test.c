// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conf_test.c - Unit tests for conf.c: the port specification grammar
 * (every example of passt.1, malformed specs, limits, mode keywords) and
 * conf() as a whole (bad options exit 1 with one line naming the option;
 * defaults taken from a host set-up made by the test itself).
 *
 * conf() exits on errors, so each conf() case runs in a child process.
 * Cases that need a host set-up run the child in new user, network and
 * mount namespaces with a veth pair carrying documentation addresses and a
 * private /etc/resolv.conf; if namespaces can't be created they are skipped.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "fwd.h"
#include "passt.h"
#include "unit.h"

#define SANDBOX_SKIP	77	/* child exit status: no namespaces here */

static struct ctx c;		/* for conf_ports_parse() tests */
static struct fwd_ports fwd;
static char errbuf[256];

/* ---------------------------------------------------------------------- */
/* Port specifications                                                    */
/* ---------------------------------------------------------------------- */

/**
 * ports_reset() - Start from an empty table in a given mode
 * @mode:	MODE_PASST or MODE_PASTA
 */
static void ports_reset(enum passt_mode mode)
{
	memset(&fwd, 0, sizeof(fwd));
	memset(&c, 0, sizeof(c));
	c.mode = mode;
	errbuf[0] = '\0';
}

/**
 * parse() - Parse one spec into the current table
 * @opt:	option character
 * @spec:	specification
 *
 * Return: conf_ports_parse() result
 */
static int parse(char opt, const char *spec)
{
	return conf_ports_parse(&c, opt, spec, &fwd, errbuf, sizeof(errbuf));
}

/**
 * count_ports() - Number of forwarded ports in the table
 *
 * Return: count
 */
static unsigned int count_ports(void)
{
	unsigned int p, n = 0;

	for (p = 0; p < NUM_PORTS; p++)
		n += !!fwd_port_is_fwd(&fwd, (uint16_t)p);
	return n;
}

/**
 * range_is() - Are exactly the ports first..last forwarded, to first+shift?
 * @first:	first port
 * @last:	last port
 * @shift:	target minus port
 *
 * Return: 1 if so
 */
static int range_is(unsigned int first, unsigned int last, int shift)
{
	unsigned int p;

	if (count_ports() != last - first + 1)
		return 0;
	for (p = first; p <= last; p++) {
		if (!fwd_port_is_fwd(&fwd, (uint16_t)p) ||
		    fwd_port_dest(&fwd, (uint16_t)p) !=
		    (uint16_t)(p + (unsigned int)shift))
			return 0;
	}
	return 1;
}

/**
 * bad() - A spec must be refused with a message, alone in a fresh table
 * @mode:	MODE_PASST or MODE_PASTA
 * @opt:	option character
 * @spec:	specification
 *
 * Return: 1 if refused with a non-empty one-line message
 */
static int bad(enum passt_mode mode, char opt, const char *spec)
{
	ports_reset(mode);
	return parse(opt, spec) == -1 && *errbuf && !strchr(errbuf, '\n');
}

/**
 * test_ports_examples() - Every example of passt.1, PORT SPECIFICATIONS
 */
static void test_ports_examples(void)
{
	struct in6_addr a6;

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "22") && fwd.mode == FWD_SPEC && range_is(22, 22, 0),
	      "ports: -t 22");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "22-80") && range_is(22, 80, 0), "ports: -t 22-80");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "22,80,443") && count_ports() == 3 &&
	      fwd_port_is_fwd(&fwd, 22) && fwd_port_is_fwd(&fwd, 80) &&
	      fwd_port_is_fwd(&fwd, 443), "ports: -t 22,80,443");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "8080:80") && count_ports() == 1 &&
	      fwd_port_dest(&fwd, 8080) == 80, "ports: -t 8080:80");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "10000-10010:20000-20010") &&
	      range_is(10000, 10010, 10000),
	      "ports: -t 10000-10010:20000-20010");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "192.0.2.1/22") && range_is(22, 22, 0) &&
	      fwd.n_binds == 2 && fwd.bind[22] == 1 &&
	      fwd.binds[1].af == AF_INET &&
	      fwd.binds[1].addr4.s_addr == inet_addr("192.0.2.1") &&
	      !*fwd.binds[1].ifname, "ports: -t 192.0.2.1/22");

	ports_reset(MODE_PASST);
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	CHECK(!parse('t', "2001:db8::1/8080") && range_is(8080, 8080, 0) &&
	      fwd.bind[8080] == 1 && fwd.binds[1].af == AF_INET6 &&
	      IN6_ARE_ADDR_EQUAL(&fwd.binds[1].addr6, &a6),
	      "ports: -t 2001:db8::1/8080");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "192.0.2.1%eth0/22") && fwd.bind[22] == 1 &&
	      fwd.binds[1].af == AF_INET &&
	      !strcmp(fwd.binds[1].ifname, "eth0"),
	      "ports: -t 192.0.2.1%eth0/22");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "%eth0/22") && fwd.bind[22] == 1 &&
	      fwd.binds[1].af == AF_UNSPEC &&
	      !strcmp(fwd.binds[1].ifname, "eth0"), "ports: -t %eth0/22");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "~25") && fwd.mode == FWD_ALL &&
	      count_ports() == 65534 && !fwd_port_is_fwd(&fwd, 25) &&
	      !fwd_port_is_fwd(&fwd, 0) && fwd_port_is_fwd(&fwd, 24) &&
	      (fwd.excl[25 / 8] & (1 << (25 % 8))), "ports: passt -t ~25");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "~25-30,~443") && fwd.mode == FWD_ALL &&
	      count_ports() == 65535 - 7 && !fwd_port_is_fwd(&fwd, 443) &&
	      !fwd_port_is_fwd(&fwd, 30) && fwd_port_is_fwd(&fwd, 31),
	      "ports: passt -t ~25-30,~443");

	ports_reset(MODE_PASTA);
	CHECK(!parse('t', "~25") && fwd.mode == FWD_AUTO &&
	      count_ports() == 65534 && !fwd_port_is_fwd(&fwd, 25),
	      "ports: pasta -t ~25 is auto without 25");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "1-1024,~25") && fwd.mode == FWD_SPEC &&
	      count_ports() == 1023 && !fwd_port_is_fwd(&fwd, 25),
	      "ports: -t 1-1024,~25");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "~25,1-1024") && count_ports() == 1023 &&
	      !fwd_port_is_fwd(&fwd, 25), "ports: -t ~25,1-1024 (order)");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "all") && fwd.mode == FWD_ALL &&
	      count_ports() == 65535, "ports: passt -t all");

	ports_reset(MODE_PASST);
	CHECK(!parse('u', "none") && fwd.mode == FWD_NONE &&
	      count_ports() == 0, "ports: -u none");

	ports_reset(MODE_PASTA);
	CHECK(!parse('T', "auto") && fwd.mode == FWD_AUTO &&
	      count_ports() == 65535, "ports: pasta -T auto");

	ports_reset(MODE_PASTA);
	CHECK(!parse('U', "53") && range_is(53, 53, 0), "ports: pasta -U 53");

	/* Section EXAMPLES */
	ports_reset(MODE_PASST);
	CHECK(!parse('t', "2222:22") && count_ports() == 1 &&
	      fwd_port_dest(&fwd, 2222) == 22, "ports: passt -t 2222:22");

	ports_reset(MODE_PASTA);
	CHECK(!parse('t', "8080") && range_is(8080, 8080, 0),
	      "ports: pasta -t 8080");

	ports_reset(MODE_PASTA);
	CHECK(!parse('T', "none") && fwd.mode == FWD_NONE &&
	      count_ports() == 0, "ports: pasta -T none");

	ports_reset(MODE_PASTA);
	CHECK(!parse('u', "auto") && fwd.mode == FWD_AUTO,
	      "ports: pasta -u auto");

	ports_reset(MODE_PASTA);
	CHECK(!parse('U', "auto") && fwd.mode == FWD_AUTO,
	      "ports: pasta -U auto");

	ports_reset(MODE_PASTA);
	CHECK(!parse('t', "~22") && fwd.mode == FWD_AUTO &&
	      count_ports() == 65534 && !fwd_port_is_fwd(&fwd, 22),
	      "ports: pasta -t ~22");
}

/**
 * test_ports_accumulate() - Repeated options add to the same table
 */
static void test_ports_accumulate(void)
{
	ports_reset(MODE_PASST);
	CHECK(!parse('t', "22") && !parse('t', "80") && count_ports() == 2,
	      "ports: -t 22 -t 80 accumulate");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "22") && !parse('t', "22"), "ports: same port twice");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "192.0.2.1/22") && !parse('t', "198.51.100.1/80") &&
	      !parse('t', "192.0.2.1/443") && fwd.n_binds == 3 &&
	      fwd.bind[22] == 1 && fwd.bind[80] == 2 && fwd.bind[443] == 1,
	      "ports: bind addresses get their own entries");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "1-100") && !parse('t', "~50") &&
	      count_ports() == 99 && !fwd_port_is_fwd(&fwd, 50),
	      "ports: -t 1-100 -t ~50");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "~50") && !parse('t', "1-100") &&
	      fwd.mode == FWD_SPEC && count_ports() == 99 &&
	      !fwd_port_is_fwd(&fwd, 50), "ports: -t ~50 -t 1-100");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "~22") && !parse('t', "~80") &&
	      fwd.mode == FWD_ALL && count_ports() == 65533,
	      "ports: -t ~22 -t ~80");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "~22") && !parse('t', "22") &&
	      !fwd_port_is_fwd(&fwd, 22), "ports: exclusion wins over list");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "80:8080") && parse('t', "80:9090") == -1 &&
	      strstr(errbuf, "80"), "ports: conflicting translation refused");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "192.0.2.1/22") && parse('t', "198.51.100.1/22") &&
	      *errbuf, "ports: same port, two bind addresses refused");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "all") && parse('t', "22") == -1 && *errbuf,
	      "ports: all then 22 refused");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "22") && parse('t', "none") == -1 && *errbuf,
	      "ports: 22 then none refused");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "none") && parse('t', "none") == -1,
	      "ports: none twice refused");

	ports_reset(MODE_PASTA);
	CHECK(!parse('t', "auto") && parse('t', "~22") == -1,
	      "ports: auto then ~22 refused");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "22") && parse('t', "192.0.2.1/~25") == -1,
	      "ports: exclusions with bind address after a list refused");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "192.0.2.1/~25") && parse('t', "80") == -1,
	      "ports: list after exclusions with bind address refused");
}

/**
 * test_ports_bind_max() - At most FWD_BIND_MAX - 1 distinct bind addresses
 */
static void test_ports_bind_max(void)
{
	char spec[64];
	int i, rc = 0;

	ports_reset(MODE_PASST);
	for (i = 1; i < FWD_BIND_MAX && !rc; i++) {
		snprintf(spec, sizeof(spec), "192.0.2.%d/%d", i, 1000 + i);
		rc = parse('t', spec);
	}
	CHECK(!rc && fwd.n_binds == FWD_BIND_MAX, "ports: bind table fills");

	snprintf(spec, sizeof(spec), "192.0.2.200/2000");
	CHECK(parse('t', spec) == -1 && strstr(errbuf, "too many"),
	      "ports: bind table overflow refused");

	snprintf(spec, sizeof(spec), "192.0.2.1/3000");
	CHECK(!parse('t', spec) && fwd.bind[3000] == 1,
	      "ports: known bind address still accepted when full");
}

/**
 * test_ports_limits() - Port 0, 1, 65535, 65536
 */
static void test_ports_limits(void)
{
	ports_reset(MODE_PASST);
	CHECK(!parse('t', "1") && range_is(1, 1, 0), "ports: 1 accepted");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "65535") && range_is(65535, 65535, 0),
	      "ports: 65535 accepted");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "1-65535") && count_ports() == 65535,
	      "ports: 1-65535 accepted");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "65535:1") && fwd_port_dest(&fwd, 65535) == 1,
	      "ports: 65535:1 translation wraps correctly");

	ports_reset(MODE_PASST);
	CHECK(!parse('t', "1:65535") && fwd_port_dest(&fwd, 1) == 65535,
	      "ports: 1:65535 translation");

	CHECK(bad(MODE_PASST, 't', "0"), "ports: 0 refused");
	CHECK(bad(MODE_PASST, 't', "65536"), "ports: 65536 refused");
	CHECK(bad(MODE_PASST, 't', "0-10"), "ports: range from 0 refused");
	CHECK(bad(MODE_PASST, 't', "65530-65536"),
	      "ports: range to 65536 refused");
	CHECK(bad(MODE_PASST, 't', "22:0"), "ports: target 0 refused");
	CHECK(bad(MODE_PASST, 't', "22:65536"), "ports: target 65536 refused");
	CHECK(bad(MODE_PASST, 't', "99999999999999999999999"),
	      "ports: huge number refused");
}

/**
 * test_ports_malformed() - Garbage is refused with a message
 */
static void test_ports_malformed(void)
{
	static const char *const specs[] = {
		"", "abc", "22,", ",22", "22,,23", "25-22", "22-", "-22",
		"22:", ":22", "~22:80", "1-10:20-30", "1-10:20", "1:20-30",
		"22 ", " 22", "22;23", "all,22", "22,none", "auto,22",
		"192.0.2.1/", "300.0.0.1/22", "/22", "%/22", "192.0.2.1%/22",
		"%averyverylongifname/22", "192.0.2.1/all", "192.0.2.1/none",
		"~", "~~22", "22-23-24", "22:23:24", "0x16", "+22", "2 2",
		"1.5", "192.0.2.1/22/23",
	};
	char name[96];
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		snprintf(name, sizeof(name), "ports: malformed '%s' refused",
			 specs[i]);
		CHECK(bad(MODE_PASST, 't', specs[i]), name);
	}

	ports_reset(MODE_PASST);
	CHECK(parse('t', "25-22") == -1 && strstr(errbuf, "reversed"),
	      "ports: reversed range message");
	ports_reset(MODE_PASST);
	CHECK(parse('t', "1-10:20-30") == -1 && strstr(errbuf, "length"),
	      "ports: range length message");
	ports_reset(MODE_PASST);
	CHECK(parse('t', "22,abc") == -1 && count_ports() == 0,
	      "ports: malformed spec leaves the table alone");
}

/**
 * test_ports_modes() - Keywords and options that depend on the mode
 */
static void test_ports_modes(void)
{
	CHECK(bad(MODE_PASST, 't', "auto"), "ports: auto refused in passt");
	CHECK(bad(MODE_PASST, 'u', "auto"), "ports: -u auto refused in passt");
	CHECK(bad(MODE_PASTA, 't', "all"), "ports: all refused in pasta");
	CHECK(bad(MODE_PASTA, 'T', "all"), "ports: -T all refused in pasta");
	CHECK(bad(MODE_PASST, 'T', "22"), "ports: -T refused in passt");
	CHECK(bad(MODE_PASST, 'U', "22"), "ports: -U refused in passt");

	ports_reset(MODE_PASTA);
	CHECK(!parse('t', "auto") && fwd.mode == FWD_AUTO,
	      "ports: auto in pasta");
	ports_reset(MODE_PASTA);
	CHECK(!parse('t', "none") && fwd.mode == FWD_NONE,
	      "ports: none in pasta");
}

/* ---------------------------------------------------------------------- */
/* conf() in a child process                                              */
/* ---------------------------------------------------------------------- */

static char resolv_path[] = "/tmp/conf_test_resolv.XXXXXX";
static const char resolv_text[] =
	"# test resolv.conf\n"
	"nameserver 127.0.0.53\n"
	"nameserver 192.0.2.53\n"
	"nameserver ::1\n"
	"nameserver 2001:db8::53\n"
	"options edns0\n"
	"search example.com test.example\n";

/**
 * struct run - Outcome of one conf() run
 * @status:	exit status, 0 if conf() returned, -1 if killed
 * @out:	what was written on stdout and stderr
 * @ctx:	the context after conf(), valid if @status is 0
 */
static struct run {
	int status;
	char out[8192];
	struct ctx ctx;
} r;

/**
 * write_str() - Write a string to a file
 * @path:	file
 * @s:		contents
 *
 * Return: 0 on success, -1 on failure
 */
static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/**
 * sandbox() - Enter new user, network and mount namespaces
 * @net:	also build the "host" network: veth0 with documentation
 *		addresses and default routes, private resolv.conf
 *
 * Return: 0 on success, -1 if namespaces can't be used here
 */
static int sandbox(int net)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS))
		return -1;
	write_str("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)uid);
	if (write_str("/proc/self/uid_map", map))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)gid);
	if (write_str("/proc/self/gid_map", map))
		return -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	if (mount(resolv_path, "/etc/resolv.conf", NULL, MS_BIND, NULL))
		return -1;
	if (!net)
		return 0;

	return system("PATH=$PATH:/usr/sbin:/sbin; { ip link add veth0 type veth peer name veth1 &&"
		      " ip link set veth1 up && ip link set veth0 up &&"
		      " ip addr add 192.0.2.2/24 dev veth0 &&"
		      " ip route add default via 192.0.2.1 &&"
		      " ip -6 addr add 2001:db8::2/64 dev veth0 nodad &&"
		      " ip -6 route add default via fe80::1 dev veth0;"
		      " } >/dev/null 2>&1") ? -1 : 0;
}

/**
 * read_all() - Read from a descriptor until end of file
 * @fd:		descriptor
 * @buf:	buffer
 * @size:	size of @buf (the excess is read and dropped)
 *
 * Return: bytes stored
 */
static size_t read_all(int fd, char *buf, size_t size)
{
	char sink[4096];
	size_t len = 0;
	ssize_t n;

	for (;;) {
		if (len < size)
			n = read(fd, buf + len, size - len);
		else
			n = read(fd, sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return len;
		if (len < size)
			len += (size_t)n;
	}
}

/**
 * run_conf() - Run conf() with arguments in a child, collect the outcome
 * @mode:	MODE_PASST or MODE_PASTA
 * @ns:		0: current namespaces, 1: sandbox with network, 2: sandbox
 *		without any interface but lo
 * @argv:	arguments, NULL-terminated, argv[0] included
 *
 * Return: 0 if the outcome is in @r, -1 if the sandbox wasn't available
 */
static int run_conf(enum passt_mode mode, int ns, char **argv)
{
	int out[2], res[2], argc = 0, st;
	pid_t pid;

	while (argv[argc])
		argc++;
	memset(&r, 0, sizeof(r));
	if (pipe(out) || pipe(res))
		return -1;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		static struct ctx cc;

		close(out[0]);
		close(res[0]);
		if (ns && sandbox(ns == 1))
			_exit(SANDBOX_SKIP);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		cc.mode = mode;
		cc.fd_tap = cc.fd_tap_listen = -1;
		cc.pasta_netns_fd = cc.pasta_userns_fd = -1;
		conf(&cc, argc, argv);
		if (write(res[1], &cc, sizeof(cc)) != (ssize_t)sizeof(cc))
			_exit(2);
		_exit(0);
	}

	close(out[1]);
	close(res[1]);
	read_all(res[0], (char *)&r.ctx, sizeof(r.ctx));
	r.out[read_all(out[0], r.out, sizeof(r.out) - 1)] = '\0';
	close(out[0]);
	close(res[0]);

	waitpid(pid, &st, 0);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return r.status == SANDBOX_SKIP ? -1 : 0;
}

/**
 * one_line_naming() - Is the output one line starting with a given name?
 * @name:	option name (or other prefix) expected at the start
 *
 * Return: 1 if so
 */
static int one_line_naming(const char *name)
{
	size_t len = strlen(r.out);

	return len && r.out[len - 1] == '\n' && strchr(r.out, '\n') ==
	       r.out + len - 1 && !strncmp(r.out, name, strlen(name));
}

/**
 * struct bad_case - An invalid command line
 * @mode:	MODE_PASST or MODE_PASTA
 * @args:	arguments after argv[0], NULL-terminated
 * @name:	expected start of the error line (the option as spelt)
 * @why:	expected substring of the error line
 */
struct bad_case {
	enum passt_mode mode;
	const char *args[8];
	const char *name;
	const char *why;
};

static const struct bad_case bad_cases[] = {
	{ MODE_PASST, { "--mtu", "67" }, "--mtu", "out of range" },
	{ MODE_PASST, { "-m", "65521" }, "-m", "out of range" },
	{ MODE_PASST, { "-m", "abc" }, "-m", "invalid MTU" },
	{ MODE_PASST, { "-m", "-1" }, "-m", "invalid MTU" },
	{ MODE_PASST, { "-m", "18446744073709553016" }, "-m", "invalid MTU" },
	{ MODE_PASST, { "-m", "1000000" }, "-m", "out of range" },
	{ MODE_PASST, { "--mtu=1500x" }, "--mtu", "invalid MTU" },
	{ MODE_PASST, { "--busy-poll", "1001" }, "--busy-poll", "invalid time" },
	{ MODE_PASTA, { "--busy-poll=-1" }, "--busy-poll", "invalid time" },
	{ MODE_PASST, { "--busy-poll", "5us" }, "--busy-poll", "invalid time" },
	{ MODE_PASST, { "-a", "300.1.1.1" }, "-a", "invalid address" },
	{ MODE_PASST, { "-a", "127.0.0.1" }, "-a", "loopback" },
	{ MODE_PASST, { "-a", "224.0.0.1" }, "-a", "multicast" },
	{ MODE_PASST, { "-a", "0.0.0.0" }, "-a", "unspecified" },
	{ MODE_PASST, { "-a", "fe80::1" }, "-a", "link-local" },
	{ MODE_PASST, { "-a", "::1" }, "-a", "loopback" },
	{ MODE_PASST, { "-a", "192.0.2.1", "--address", "192.0.2.3" },
	  "--address", "twice" },
	{ MODE_PASST, { "-n", "255.0.255.0" }, "-n", "invalid netmask" },
	{ MODE_PASST, { "-n", "33" }, "-n", "invalid netmask" },
	{ MODE_PASST, { "--netmask", "0" }, "--netmask", "invalid netmask" },
	{ MODE_PASST, { "-M", "01:00:00:00:00:01" }, "-M", "invalid MAC" },
	{ MODE_PASST, { "-M", "00:11:22:33:44" }, "-M", "invalid MAC" },
	{ MODE_PASST, { "-M", "00:11:22:33:44:55:66" }, "-M", "invalid MAC" },
	{ MODE_PASST, { "-M", "00:00:00:00:00:00" }, "-M", "invalid MAC" },
	{ MODE_PASST, { "-g", "foo" }, "-g", "invalid address" },
	{ MODE_PASST, { "-g", "2001:db8::1", "-g", "2001:db8::2" }, "-g",
	  "twice" },
	{ MODE_PASST, { "-D", "foo" }, "-D", "invalid address" },
	{ MODE_PASST, { "-D", "0.0.0.0" }, "-D", "resolver" },
	{ MODE_PASST, { "-D", "192.0.2.1", "-D", "192.0.2.2", "-D",
			"192.0.2.3", "--dns", "192.0.2.4" }, "--dns",
	  "too many" },
	{ MODE_PASST, { "--dns-forward", "x" }, "--dns-forward", "invalid" },
	{ MODE_PASST, { "-S", "bad..name" }, "-S", "invalid domain" },
	{ MODE_PASST, { "-S", "a.example,b_c.example,bad!" }, "-S",
	  "invalid domain" },
	{ MODE_PASST, { "-S", "," }, "-S", "empty search list" },
	{ MODE_PASST, { "-S", "a b c d e f g" }, "-S", "too many" },
	{ MODE_PASST, { "-4", "-6" }, "--ipv6-only", "--ipv4-only" },
	{ MODE_PASST, { "-4", "-a", "2001:db8::1" }, "--address",
	  "--ipv4-only" },
	{ MODE_PASST, { "-6", "-g", "192.0.2.1" }, "--gateway",
	  "--ipv6-only" },
	{ MODE_PASST, { "-6", "-D", "192.0.2.1" }, "--dns", "--ipv6-only" },
	{ MODE_PASST, { "-6", "-t", "192.0.2.1/22" }, "-t", "--ipv6-only" },
	{ MODE_PASST, { "-6", "-m", "1000" }, "--mtu", "1280" },
	{ MODE_PASST, { "-I", "foo" }, "-I", "only valid in pasta" },
	{ MODE_PASST, { "--netns", "x" }, "--netns", "only valid in pasta" },
	{ MODE_PASST, { "-T", "22" }, "-T", "only valid in pasta" },
	{ MODE_PASST, { "--config-net" }, "--config-net",
	  "only valid in pasta" },
	{ MODE_PASST, { "--ns-mac-addr", "02:00:00:00:00:01" },
	  "--ns-mac-addr", "only valid in pasta" },
	{ MODE_PASTA, { "-s", "/tmp/x" }, "-s", "only valid in passt" },
	{ MODE_PASTA, { "--one-off" }, "--one-off", "only valid in passt" },
	{ MODE_PASST, { "-t", "auto" }, "-t", "pasta" },
	{ MODE_PASTA, { "-t", "all" }, "-t", "passt" },
	{ MODE_PASST, { "-t", "0" }, "-t", "1 to 65535" },
	{ MODE_PASST, { "--tcp-ports", "65536" }, "--tcp-ports", "65535" },
	{ MODE_PASST, { "-u", "30-25" }, "-u", "reversed" },
	{ MODE_PASST, { "-t", "22:80", "-t", "22:81" }, "-t", "already" },
	{ MODE_PASST, { "foo" }, "foo", "unexpected argument" },
	{ MODE_PASST, { "-f", "--", "foo" }, "foo", "unexpected argument" },
	{ MODE_PASTA, { "--netns-only" }, "--netns-only", "target" },
	{ MODE_PASTA, { "--userns", "/proc/self/ns/user" }, "--userns",
	  "target" },
	{ MODE_PASTA, { "--no-netns-quit" }, "--no-netns-quit", "target" },
	{ MODE_PASTA, { "--netns", "/nonexistent/ns" }, "--netns",
	  "not a namespace" },
	{ MODE_PASTA, { "--netns", "no_such_ns_name" }, "--netns",
	  "no namespace" },
	{ MODE_PASTA, { "--netns", "/proc/self/ns/net", "sh" }, "--netns",
	  "command" },
	{ MODE_PASTA, { "--netns", "x", "--netns", "y" }, "--netns",
	  "twice" },
	{ MODE_PASTA, { "4000000000" }, "4000000000", "invalid PID" },
	{ MODE_PASTA, { "--netns-only", "--userns", "/proc/self/ns/user",
			"/proc/self/ns/net" }, "--netns-only", "--userns" },
	{ MODE_PASST, { "--runas", "no_such_user_xyz" }, "--runas",
	  "no such user" },
	{ MODE_PASST, { "--runas", "0:no_such_group_xyz" }, "--runas",
	  "no such group" },
	{ MODE_PASST, { "--runas", ":0" }, "--runas", "invalid user" },
	{ MODE_PASST, { "--no-tcp", "-t", "22" }, "--no-tcp", "TCP" },
	{ MODE_PASTA, { "--no-udp", "-U", "53" }, "--no-udp", "UDP" },
	{ MODE_PASTA, { "-I", "a/b" }, "-I", "invalid interface" },
	{ MODE_PASTA, { "-I", "abcdefghijklmnop" }, "-I",
	  "invalid interface" },
	{ MODE_PASST, { "-i", "no_such_if0" }, "-i", "no such interface" },
	{ MODE_PASST, { "-p", "" }, "-p", "empty" },
	{ MODE_PASST, { "--fd", "x" }, "--fd", "invalid file descriptor" },
	{ MODE_PASST, { "-F", "999" }, "-F", "not an open file descriptor" },
	{ MODE_PASST, { "-F", "0", "-s", "/tmp/x" }, "--fd", "--socket" },
	{ MODE_PASTA, { "-F", "0" }, "--fd", "target" },
	{ MODE_PASST, { "--log-size", "100" }, "--log-size", "at least" },
	{ MODE_PASST, { "--log-size", "8192" }, "--log-size", "--log-file" },
	{ MODE_PASST, { "-l", "/nonexistent/dir/log" }, "--log-file",
	  "can't open" },
	{ MODE_PASST, { "-H", "bad_name" }, "-H", "invalid name" },
	{ MODE_PASST, { "--fqdn", "a..example" }, "--fqdn", "invalid name" },
	{ MODE_PASST, { "--map-guest-addr", "x" }, "--map-guest-addr",
	  "invalid address" },
	{ MODE_PASST, { "--map-guest-addr", "192.0.2.9", "--map-guest-addr",
			"192.0.2.8" }, "--map-guest-addr", "twice" },
	{ MODE_PASST, { "--map-host-loopback", "none", "--map-host-loopback",
			"192.0.2.9" }, "--map-host-loopback", "none" },
	{ MODE_PASST, { "--no-map-gw", "--map-host-loopback", "192.0.2.9" },
	  "--map-host-loopback", "--no-map-gw" },
	{ MODE_PASST, { "--map-host-loopback", "127.0.0.1" },
	  "--map-host-loopback", "loopback" },
	{ MODE_PASST, { "--host-lo-to-ns-lo" }, "--host-lo-to-ns-lo",
	  "only valid in pasta" },
	{ MODE_PASST, { "--no-splice" }, "--no-splice", "only valid in pasta" },
	{ MODE_PASST, { "--outbound-if4", "no_such_if0" }, "--outbound-if4",
	  "no such interface" },
	{ MODE_PASST, { "-o", "224.0.0.1" }, "-o", "multicast" },
	{ MODE_PASST, { "--outbound", "nowhere" }, "--outbound", "invalid" },
	{ MODE_PASST, { "-6", "--map-guest-addr", "192.0.2.9" },
	  "--ipv6-only", "--map-guest-addr" },
	{ MODE_PASST, { "--dns-host", "0.0.0.0" }, "--dns-host",
	  "unspecified" },
	{ MODE_PASTA, { "--ns-mac-addr", "zz:00:00:00:00:01" },
	  "--ns-mac-addr", "invalid MAC" },
	{ MODE_PASTA, { "--ns-mac-addr", "01:00:5e:00:00:01" },
	  "--ns-mac-addr", "invalid MAC" },
	{ MODE_PASTA, { "--nsrun-dir", "" }, "--nsrun-dir", "empty" },
	{ MODE_PASTA, { "--userns", "" }, "--userns", "empty" },
	{ MODE_PASTA, { "-T", "0" }, "-T", "1 to 65535" },
	{ MODE_PASTA, { "--udp-ns", "53,,54" }, "--udp-ns", "" },
	{ MODE_PASTA, { "-U", "all" }, "-U", "passt" },
	{ MODE_PASST, { "-s", "" }, "-s", "empty" },
	{ MODE_PASST, { "--pid", "" }, "--pid", "empty" },
	{ MODE_PASST, { "--pcap=" }, "--pcap", "empty" },
	{ MODE_PASST, { "-i", "" }, "-i", "invalid interface" },
	{ MODE_PASST, { "--interface=a/b" }, "--interface",
	  "invalid interface" },
	{ MODE_PASST, { "--socket=/tmp/x", "--mtu=abc" }, "--mtu",
	  "invalid MTU" },
	{ MODE_PASST, { "-s", "/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }, "-s", "too long" },
};

/**
 * argv_build() - Make a mutable argv from a bad_case
 * @prog:	argv[0]
 * @args:	arguments, NULL-terminated
 * @argv:	output, room for 10 entries
 */
static void argv_build(const char *prog, const char *const *args,
		       char **argv)
{
	int i;

	argv[0] = (char *)prog;
	for (i = 0; i < 8 && args[i]; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
}

/**
 * test_conf_bad() - Every invalid command line exits 1 with one line
 *		     naming the option
 */
static void test_conf_bad(void)
{
	char name[160], *argv[10];
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *b = &bad_cases[i];
		int j;

		argv_build(b->mode == MODE_PASTA ? "pasta" : "passt",
			   b->args, argv);
		snprintf(name, sizeof(name), "conf: %s", argv[0]);
		for (j = 1; argv[j]; j++) {
			size_t l = strlen(name);

			snprintf(name + l, sizeof(name) - l, " %.24s",
				 argv[j]);
		}

		run_conf(b->mode, 0, argv);
		CHECK(r.status == 1 && one_line_naming(b->name) &&
		      strstr(r.out, b->why), name);
		if (r.status != 1 || !one_line_naming(b->name) ||
		    !strstr(r.out, b->why))
			printf("    status %d, output: %s\n", r.status, r.out);
	}
}

/**
 * test_conf_getopt() - Unknown options, missing values, --help, --version
 */
static void test_conf_getopt(void)
{
	char *a_unknown[] = { "passt", "--xyz", NULL };
	char *a_noarg[] = { "passt", "-m", NULL };
	char *a_flagarg[] = { "passt", "--debug=1", NULL };
	char *a_version[] = { "passt", "--version", NULL };
	char *a_version_pasta[] = { "pasta", "--version", NULL };
	char *a_help[] = { "passt", "-h", NULL };
	char *a_help_pasta[] = { "pasta", "--help", NULL };

	run_conf(MODE_PASST, 0, a_unknown);
	/* getopt's wording differs between glibc and musl */
	CHECK(r.status == 1 && strstr(r.out, "unrecognized option") &&
	      strstr(r.out, "xyz"),
	      "conf: unknown option exits 1 with getopt's message");

	run_conf(MODE_PASST, 0, a_noarg);
	CHECK(r.status == 1 && strstr(r.out, "requires an argument"),
	      "conf: missing value exits 1");

	run_conf(MODE_PASST, 0, a_flagarg);
	CHECK(r.status == 1 && (strstr(r.out, "doesn't allow an argument") ||
				strstr(r.out, "does not take an argument")),
	      "conf: value for a flag exits 1");

	run_conf(MODE_PASST, 0, a_version);
	CHECK(r.status == 0 && !strncmp(r.out, "passt ", 6) &&
	      strchr(r.out, '\n') == r.out + strlen(r.out) - 1,
	      "conf: passt --version");

	run_conf(MODE_PASTA, 0, a_version_pasta);
	CHECK(r.status == 0 && !strncmp(r.out, "pasta ", 6),
	      "conf: pasta --version");

	run_conf(MODE_PASST, 0, a_help);
	CHECK(r.status == 0 && strstr(r.out, "Usage: passt") &&
	      strstr(r.out, "--socket") && !strstr(r.out, "--netns"),
	      "conf: passt -h");

	run_conf(MODE_PASTA, 0, a_help_pasta);
	CHECK(r.status == 0 && strstr(r.out, "Usage: pasta") &&
	      strstr(r.out, "--netns") && !strstr(r.out, "--socket"),
	      "conf: pasta --help");
}

/**
 * addr4_is() - Compare an IPv4 address with a string
 * @a:		address
 * @s:		expected, dotted
 *
 * Return: 1 if equal
 */
static int addr4_is(struct in_addr a, const char *s)
{
	struct in_addr b;

	return inet_pton(AF_INET, s, &b) == 1 && a.s_addr == b.s_addr;
}

/**
 * addr6_is() - Compare an IPv6 address with a string
 * @a:		address
 * @s:		expected
 *
 * Return: 1 if equal
 */
static int addr6_is(const struct in6_addr *a, const char *s)
{
	struct in6_addr b;

	return inet_pton(AF_INET6, s, &b) == 1 && IN6_ARE_ADDR_EQUAL(a, &b);
}

/**
 * test_conf_defaults() - passt and pasta defaults from the sandbox "host"
 *
 * Return: -1 if the sandbox isn't available (the rest is skipped)
 */
static int test_conf_defaults(void)
{
	char *a_passt[] = { "passt", NULL };
	char *a_pasta[] = { "pasta", NULL };
	const struct ctx *x = &r.ctx;

	if (run_conf(MODE_PASST, 1, a_passt))
		return -1;
	CHECK(r.status == 0, "defaults: passt without options");
	if (r.status)
		printf("    output: %s\n", r.out);

	CHECK(x->ifi4 && !strcmp(x->ifname4, "veth0") &&
	      addr4_is(x->ip4.addr, "192.0.2.2") && x->ip4.prefix_len == 24 &&
	      addr4_is(x->ip4.gw, "192.0.2.1"), "defaults: IPv4 from host");
	CHECK(x->ifi6 && !strcmp(x->ifname6, "veth0") &&
	      addr6_is(&x->ip6.addr, "2001:db8::2") &&
	      x->ip6.prefix_len == 64 && addr6_is(&x->ip6.gw, "fe80::1") &&
	      addr6_is(&x->ip6.our_tap_ll, "fe80::1"),
	      "defaults: IPv6 from host");
	CHECK(!(x->our_tap_mac[0] & 1) &&
	      (x->our_tap_mac[0] | x->our_tap_mac[1] | x->our_tap_mac[5]),
	      "defaults: MAC from host");
	CHECK(addr4_is(x->ip4.dns[0], "192.0.2.1") &&
	      addr4_is(x->ip4.dns[1], "192.0.2.53") && !x->ip4.dns[2].s_addr,
	      "defaults: loopback IPv4 resolver becomes the gateway");
	CHECK(addr4_is(x->ip4.dns_match, "192.0.2.1") &&
	      addr4_is(x->ip4.dns_host, "127.0.0.53"),
	      "defaults: DNS to the gateway goes to the loopback resolver");
	CHECK(addr6_is(&x->ip6.dns[0], "fe80::1") &&
	      addr6_is(&x->ip6.dns[1], "2001:db8::53") &&
	      addr6_is(&x->ip6.dns_host, "::1"),
	      "defaults: loopback IPv6 resolver becomes the gateway");
	CHECK(!strcmp(x->dns_search[0].n, "example.com") &&
	      !strcmp(x->dns_search[1].n, "test.example") &&
	      !*x->dns_search[2].n, "defaults: search list from host");
	CHECK(!x->no_dhcp_dns && !x->no_dhcp_dns_search,
	      "defaults: passt sends DNS and search list");
	CHECK(x->tcp_in.mode == FWD_NONE && x->udp_in.mode == FWD_NONE &&
	      x->tcp_out.mode == FWD_NONE && x->udp_out.mode == FWD_NONE,
	      "defaults: passt forwards nothing");
	CHECK(!x->foreground && !x->log_stderr && !x->mtu && !*x->sock_path,
	      "defaults: passt daemonises, no MTU, no socket path");
	CHECK(x->runas_uid == geteuid() && x->runas_gid == getegid(),
	      "defaults: runas is the current user");

	run_conf(MODE_PASTA, 1, a_pasta);
	CHECK(r.status == 0 && x->no_dhcp_dns && x->no_dhcp_dns_search,
	      "defaults: pasta doesn't send DNS and search list");
	CHECK(x->tcp_in.mode == FWD_AUTO && x->udp_in.mode == FWD_AUTO &&
	      x->tcp_out.mode == FWD_AUTO && x->udp_out.mode == FWD_AUTO &&
	      fwd_port_is_fwd(&x->tcp_in, 80),
	      "defaults: pasta forwards auto");
	CHECK(!x->pasta_argv && !*x->netns_path && x->foreground &&
	      !strcmp(x->pasta_ifn, "veth0"),
	      "defaults: pasta runs a shell, in the foreground, on veth0");
	return 0;
}

/**
 * test_conf_options() - Options applied on top of the host's defaults
 */
static void test_conf_options(void)
{
	char *a1[] = { "passt", "-a", "192.0.2.10", "-n", "255.255.0.0",
		       "-g", "192.0.2.254", "-M", "02:00:00:00:00:01",
		       "-m", "1400", "-D", "198.51.100.1", "-S", "foo.example",
		       "-t", "22,80:8080", "--runas", "1234:5678", "-f",
		       "-P", "/tmp/x.pid", NULL };
	char *a2[] = { "passt", "--no-map-gw", NULL };
	char *a3[] = { "passt", "--dns-forward", "192.0.2.99",
		       "--no-dhcp-dns", NULL };
	char *a4[] = { "passt", "-4", NULL };
	char *a5[] = { "passt", "--ipv6-only", "-D", "none", "-S", "none",
		       NULL };
	char *a6[] = { "passt", "-m", "1000", NULL };
	char *a7[] = { "pasta", "-t", "8080", "--dhcp-dns", "-I", "tap7",
		       "--ns-mac-addr", "02:00:00:00:00:07", NULL };
	char *a8[] = { "pasta", "--", "sh", "-c", "exit 3", NULL };
	char *a9[] = { "pasta", "-d", "1", NULL };
	char *a10[] = { "pasta", "/proc/self/ns/net", NULL };
	char *a11[] = { "pasta", "/bin/sh", NULL };
	char *a12[] = { "pasta", "--", "1", NULL };
	char *a13[] = { "passt", "-i", "veth0", "-a", "2001:db8::99",
		       "-g", "2001:db8::1", NULL };
	const struct ctx *x = &r.ctx;

	run_conf(MODE_PASST, 1, a1);
	CHECK(r.status == 0 && addr4_is(x->ip4.addr, "192.0.2.10") &&
	      x->ip4.prefix_len == 16 && addr4_is(x->ip4.gw, "192.0.2.254") &&
	      x->our_tap_mac[0] == 2 && x->our_tap_mac[5] == 1 &&
	      x->mtu == 1400, "options: -a -n -g -M -m");
	CHECK(addr4_is(x->ip4.dns[0], "198.51.100.1") && !x->ip4.dns[1].s_addr &&
	      IN6_IS_ADDR_UNSPECIFIED(&x->ip6.dns[0]) && !x->ip4.dns_host.s_addr,
	      "options: -D replaces host resolvers");
	CHECK(!strcmp(x->dns_search[0].n, "foo.example") &&
	      !*x->dns_search[1].n, "options: -S replaces search list");
	CHECK(x->tcp_in.mode == FWD_SPEC && fwd_port_dest(&x->tcp_in, 80) ==
	      8080 && x->udp_in.mode == FWD_SPEC &&
	      fwd_port_is_fwd(&x->udp_in, 80) &&
	      fwd_port_dest(&x->udp_in, 80) == 80 &&
	      fwd_port_is_fwd(&x->udp_in, 22),
	      "options: UDP follows -t without translation");
	CHECK(x->runas_uid == 1234 && x->runas_gid == 5678 && x->foreground &&
	      !strcmp(x->pid_file, "/tmp/x.pid"), "options: --runas -f -P");

	run_conf(MODE_PASST, 1, a2);
	CHECK(r.status == 0 && addr4_is(x->ip4.dns[0], "192.0.2.53") &&
	      !x->ip4.dns[1].s_addr && !x->ip4.dns_host.s_addr &&
	      addr6_is(&x->ip6.dns[0], "2001:db8::53") &&
	      IN6_IS_ADDR_UNSPECIFIED(&x->ip6.dns[1]),
	      "options: --no-map-gw drops loopback resolvers");

	run_conf(MODE_PASST, 1, a3);
	CHECK(r.status == 0 && addr4_is(x->ip4.dns[0], "192.0.2.99") &&
	      !x->ip4.dns[1].s_addr && addr4_is(x->ip4.dns_match, "192.0.2.99") &&
	      addr4_is(x->ip4.dns_host, "127.0.0.53") && x->no_dhcp_dns,
	      "options: --dns-forward --no-dhcp-dns");

	run_conf(MODE_PASST, 1, a4);
	CHECK(r.status == 0 && x->ifi4 && !x->ifi6, "options: -4");

	run_conf(MODE_PASST, 1, a5);
	CHECK(r.status == 0 && !x->ifi4 && x->ifi6 &&
	      IN6_IS_ADDR_UNSPECIFIED(&x->ip6.dns[0]) && !*x->dns_search[0].n,
	      "options: -6 -D none -S none");

	run_conf(MODE_PASST, 1, a6);
	CHECK(r.status == 0 && x->ifi4 && !x->ifi6 && x->mtu == 1000,
	      "options: MTU below 1280 disables IPv6");

	run_conf(MODE_PASTA, 1, a7);
	CHECK(r.status == 0 && x->tcp_in.mode == FWD_SPEC &&
	      x->udp_in.mode == FWD_SPEC && fwd_port_is_fwd(&x->udp_in, 8080) &&
	      x->tcp_out.mode == FWD_AUTO && !x->no_dhcp_dns &&
	      !strcmp(x->pasta_ifn, "tap7") && x->guest_mac_set &&
	      x->guest_mac[5] == 7, "options: pasta -t --dhcp-dns -I");

	run_conf(MODE_PASTA, 1, a8);
	CHECK(r.status == 0 && x->pasta_argv == &a8[2] && !*x->netns_path,
	      "options: pasta -- COMMAND");

	run_conf(MODE_PASTA, 1, a9);
	CHECK(r.status == 0 && !strcmp(x->netns_path, "1") && !x->pasta_argv &&
	      x->foreground && x->debug, "options: pasta -d PID");

	run_conf(MODE_PASTA, 1, a10);
	CHECK(r.status == 0 && !strcmp(x->netns_path, "/proc/self/ns/net") &&
	      !strcmp(x->netns_base, "net") &&
	      !strcmp(x->netns_dir, "/proc/self/ns") && !x->foreground,
	      "options: pasta PATH");

	run_conf(MODE_PASTA, 1, a11);
	CHECK(r.status == 0 && x->pasta_argv == &a11[1] && !*x->netns_path,
	      "options: pasta /bin/sh is a command");

	run_conf(MODE_PASTA, 1, a12);
	CHECK(r.status == 0 && x->pasta_argv == &a12[2] && !*x->netns_path,
	      "options: pasta -- 1 is a command");

	run_conf(MODE_PASST, 1, a13);
	CHECK(r.status == 0 && addr6_is(&x->ip6.addr, "2001:db8::99") &&
	      addr6_is(&x->ip6.gw, "2001:db8::1") &&
	      addr6_is(&x->ip6.our_tap_ll, "fe80::1"),
	      "options: -i -a -g (IPv6, global gateway)");
}

/**
 * test_conf_busy_poll() - --busy-poll, and its default: none with one CPU
 */
static void test_conf_busy_poll(void)
{
	char *a_def[] = { "passt", NULL };
	char *a_off[] = { "passt", "--busy-poll", "0", NULL };
	char *a_max[] = { "pasta", "--busy-poll=1000", NULL };
	const struct ctx *x = &r.ctx;
	cpu_set_t all, one;

	run_conf(MODE_PASST, 1, a_def);
	if (!sched_getaffinity(0, sizeof(all), &all) && CPU_COUNT(&all) > 1)
		CHECK(r.status == 0 && x->busy_poll_us == 50,
		      "busy-poll: 50 us by default");
	else
		printf("SKIP busy-poll: default with several CPUs: one here\n");

	run_conf(MODE_PASST, 1, a_off);
	CHECK(r.status == 0 && x->busy_poll_us == 0, "busy-poll: 0 turns it off");
	run_conf(MODE_PASTA, 1, a_max);
	CHECK(r.status == 0 && x->busy_poll_us == 1000, "busy-poll: 1000 us");

	/* The child inherits the affinity: one CPU */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() > 0 ? sched_getcpu() : 0, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		printf("SKIP busy-poll: one CPU: can't set affinity\n");
		return;
	}
	run_conf(MODE_PASST, 1, a_def);
	CHECK(r.status == 0 && x->busy_poll_us == 0,
	      "busy-poll: none by default with one CPU");
	run_conf(MODE_PASST, 1, a_max);
	CHECK(r.status == 0 && x->busy_poll_us == 1000,
	      "busy-poll: given, also with one CPU");
	sched_setaffinity(0, sizeof(all), &all);
}

/**
 * test_conf_clients() - Options that libvirt, podman and rootlesskit pass
 */
static void test_conf_clients(void)
{
	char *a1[] = { "passt", "-l", "/tmp/conf_test.log", "--log-size",
		       "8192", "-H", "vm1", "--fqdn", "vm1.example.org.",
		       "--map-guest-addr", "192.0.2.99", "--dns-forward",
		       "192.0.2.97", "--dns-host", "192.0.2.98", "-o",
		       "192.0.2.2", "--outbound-if4", "veth0", "--stderr",
		       "--outbound-if6=veth0", NULL };
	char *a2[] = { "passt", NULL };
	char *a3[] = { "passt", "--map-host-loopback", "none", NULL };
	char *a4[] = { "passt", "--map-host-loopback", "192.0.2.77",
		       "--map-host-loopback", "2001:db8::77", NULL };
	char *a5[] = { "pasta", "--no-splice", "--host-lo-to-ns-lo",
		       "--config-net", NULL };
	char *a6[] = { "passt", "-F", "0", NULL };
	const struct ctx *x = &r.ctx;

	run_conf(MODE_PASST, 1, a1);
	CHECK(r.status == 0 && !strcmp(x->log_file, "/tmp/conf_test.log") &&
	      x->log_size == 8192 && !strcmp(x->hostname, "vm1") &&
	      !strcmp(x->fqdn.n, "vm1.example.org"),
	      "clients: --log-file --log-size -H --fqdn");
	CHECK(addr4_is(x->ip4.map_guest_addr, "192.0.2.99") &&
	      addr4_is(x->ip4.dns_match, "192.0.2.97") &&
	      addr4_is(x->ip4.dns_host, "192.0.2.98") &&
	      addr4_is(x->ip4.addr_out, "192.0.2.2") &&
	      !strcmp(x->ip4.ifname_out, "veth0") &&
	      !strcmp(x->ip6.ifname_out, "veth0") && !x->foreground,
	      "clients: --map-guest-addr --dns-host -o --outbound-if4/6");
	unlink("/tmp/conf_test.log");
	run_conf(MODE_PASST, 1, a2);
	CHECK(r.status == 0 && addr4_is(x->ip4.map_host_lo, "192.0.2.1") &&
	      addr6_is(&x->ip6.map_host_lo, "fe80::1") &&
	      !x->ip4.map_guest_addr.s_addr && !x->fd_tap_given,
	      "clients: --map-host-loopback defaults to the gateway");

	run_conf(MODE_PASST, 1, a3);
	CHECK(r.status == 0 && !x->ip4.map_host_lo.s_addr &&
	      IN6_IS_ADDR_UNSPECIFIED(&x->ip6.map_host_lo) && x->no_map_gw,
	      "clients: --map-host-loopback none implies --no-map-gw");

	run_conf(MODE_PASST, 1, a4);
	CHECK(r.status == 0 && addr4_is(x->ip4.map_host_lo, "192.0.2.77") &&
	      addr6_is(&x->ip6.map_host_lo, "2001:db8::77") && !x->no_map_gw,
	      "clients: --map-host-loopback for both IP versions");

	run_conf(MODE_PASTA, 1, a5);
	CHECK(r.status == 0 && x->no_splice && x->host_lo_to_ns_lo &&
	      x->pasta_conf_ns, "clients: --no-splice --host-lo-to-ns-lo");

	run_conf(MODE_PASST, 1, a6);
	CHECK(r.status == 0 && x->fd_tap == 0 && x->fd_tap_given &&
	      x->one_off, "clients: -F implies --one-off");
}

/**
 * test_conf_no_host() - A host without any route can't be used
 */
static void test_conf_no_host(void)
{
	char *a[] = { "passt", NULL };

	if (run_conf(MODE_PASST, 2, a))
		return;
	CHECK(r.status == 1 && strstr(r.out, "No usable"),
	      "conf: host without routes refused");
}

/**
 * main() - Run all tests
 *
 * Return: 0 if every check passed, 1 otherwise
 */
int main(void)
{
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* no duplicates after fork() */

	test_ports_examples();
	test_ports_accumulate();
	test_ports_bind_max();
	test_ports_limits();
	test_ports_malformed();
	test_ports_modes();

	test_conf_bad();
	test_conf_getopt();

	fd = mkstemp(resolv_path);
	if (fd < 0 || write(fd, resolv_text, strlen(resolv_text)) < 0) {
		printf("SKIP conf: host defaults: can't write %s\n",
		       resolv_path);
		return UNIT_RESULT();
	}
	close(fd);

	if (test_conf_defaults()) {
		printf("SKIP conf: host defaults: no user/network namespaces "
		       "or no 'ip'\n");
	} else {
		test_conf_options();
		test_conf_busy_poll();
		test_conf_clients();
		test_conf_no_host();
	}

	unlink(resolv_path);
	return UNIT_RESULT();
}
