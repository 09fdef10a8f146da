// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conf.c - Command line, defaults taken from the host, port-forwarding specs
 *
 * This file owns everything between argv and a filled struct ctx: parsing of
 * every option documented in passt.1 (both modes), validation with one-line
 * errors naming the offending option, the port specification grammar of
 * -t/-u/-T/-U (conf_ports_parse()), defaults read from the host (routes,
 * addresses and MAC through netlink, resolvers and search list from
 * /etc/resolv.conf) and the start-up summary (conf_print()).
 *
 * Order inside conf(): parse options left to right (syntax of each value is
 * checked right away), then the positional arguments (pasta), then conflicts
 * between options; only then the host is queried.  So any mistake on the
 * command line is reported before anything touches the network.
 *
 * The namespace target of pasta ends up in c->netns_path as:
 *   - a PID, as given (digits only): join /proc/PID/ns/{net,user};
 *   - an absolute or relative path to a namespace file (nsfs), with a NAME
 *     already resolved against the nsrun directory; c->netns_dir and
 *     c->netns_base are then the directory and the file name, for the watch.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "conf.h"
#include "fwd.h"
#include "log.h"
#include "netlink.h"
#include "passt.h"

#ifndef PASST_VERSION
#define PASST_VERSION	VERSION
#endif

#ifndef NSFS_MAGIC
#define NSFS_MAGIC	0x6e736673	/* statfs() f_type of namespace files */
#endif

#define CONF_RESOLV_PATH	"/etc/resolv.conf"
#define CONF_RESOLV_MAX		(64 * 1024)	/* larger files: rest ignored */
#define CONF_MTU_MIN		68		/* RFC 791 */
#define CONF_MTU_MIN6		1280		/* RFC 8200 */
#define CONF_BUSY_POLL_DEFAULT	50		/* µs, see busypoll.c */
#define CONF_BUSY_POLL_MAX	1000
#define CONF_NETNS_FALLBACK	"/run/netns"	/* ip-netns(8) directory */

/* Used towards the guest when the host interface has no usable MAC address:
 * locally administered (bit 1 of the first byte), unicast (bit 0 clear)
 */
static const unsigned char conf_mac_default[ETH_ADDR_LEN] = {
	0x9a, 0x55, 0x9a, 0x55, 0x9a, 0x55
};

/* Values returned by getopt_long() for options without a short form */
enum conf_long_opt {
	OPT_TRACE = 256,
	OPT_RUNAS,
	OPT_VERSION,
	OPT_DNS_FORWARD,
	OPT_NO_DHCP_DNS,
	OPT_DHCP_DNS,
	OPT_NO_DHCP_SEARCH,
	OPT_DHCP_SEARCH,
	OPT_NO_TCP,
	OPT_NO_UDP,
	OPT_NO_ICMP,
	OPT_NO_DHCP,
	OPT_NO_NDP,
	OPT_NO_DHCPV6,
	OPT_NO_RA,
	OPT_NO_MAP_GW,
	OPT_USERNS,
	OPT_NETNS,
	OPT_NETNS_ONLY,
	OPT_NO_NETNS_QUIT,
	OPT_NSRUN_DIR,
	OPT_CONFIG_NET,
	OPT_NS_MAC_ADDR,
	OPT_LOG_SIZE,
	OPT_FQDN,
	OPT_MAP_GUEST_ADDR,
	OPT_MAP_HOST_LO,
	OPT_HOST_LO_TO_NS_LO,
	OPT_NO_SPLICE,
	OPT_OUTBOUND_IF4,
	OPT_OUTBOUND_IF6,
	OPT_DNS_HOST,
	OPT_BUSY_POLL,
};

/* Leading '+': stop at the first non-option, the command's own options
 * (pasta [OPTION]... COMMAND [ARG]...) must not be parsed as ours.
 */
static const char conf_optstring[] =
	"+dqfehs:1p:P:m:a:n:M:g:i:D:S:t:u:T:U:I:46F:l:H:o:";

static const struct option conf_longopts[] = {
	{ "debug",		no_argument,		NULL, 'd' },
	{ "trace",		no_argument,		NULL, OPT_TRACE },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "foreground",		no_argument,		NULL, 'f' },
	{ "stderr",		no_argument,		NULL, 'e' },
	{ "runas",		required_argument,	NULL, OPT_RUNAS },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "pcap",		required_argument,	NULL, 'p' },
	{ "pid",		required_argument,	NULL, 'P' },
	{ "mtu",		required_argument,	NULL, 'm' },
	{ "address",		required_argument,	NULL, 'a' },
	{ "netmask",		required_argument,	NULL, 'n' },
	{ "mac-addr",		required_argument,	NULL, 'M' },
	{ "gateway",		required_argument,	NULL, 'g' },
	{ "interface",		required_argument,	NULL, 'i' },
	{ "dns",		required_argument,	NULL, 'D' },
	{ "dns-forward",	required_argument,	NULL, OPT_DNS_FORWARD },
	{ "search",		required_argument,	NULL, 'S' },
	{ "no-dhcp-dns",	no_argument,		NULL, OPT_NO_DHCP_DNS },
	{ "dhcp-dns",		no_argument,		NULL, OPT_DHCP_DNS },
	{ "no-dhcp-search",	no_argument,		NULL, OPT_NO_DHCP_SEARCH },
	{ "dhcp-search",	no_argument,		NULL, OPT_DHCP_SEARCH },
	{ "no-tcp",		no_argument,		NULL, OPT_NO_TCP },
	{ "no-udp",		no_argument,		NULL, OPT_NO_UDP },
	{ "no-icmp",		no_argument,		NULL, OPT_NO_ICMP },
	{ "no-dhcp",		no_argument,		NULL, OPT_NO_DHCP },
	{ "no-ndp",		no_argument,		NULL, OPT_NO_NDP },
	{ "no-dhcpv6",		no_argument,		NULL, OPT_NO_DHCPV6 },
	{ "no-ra",		no_argument,		NULL, OPT_NO_RA },
	{ "no-map-gw",		no_argument,		NULL, OPT_NO_MAP_GW },
	{ "ipv4-only",		no_argument,		NULL, '4' },
	{ "ipv6-only",		no_argument,		NULL, '6' },
	{ "socket",		required_argument,	NULL, 's' },
	{ "one-off",		no_argument,		NULL, '1' },
	{ "tcp-ports",		required_argument,	NULL, 't' },
	{ "udp-ports",		required_argument,	NULL, 'u' },
	{ "tcp-ns",		required_argument,	NULL, 'T' },
	{ "udp-ns",		required_argument,	NULL, 'U' },
	{ "ns-ifname",		required_argument,	NULL, 'I' },
	{ "userns",		required_argument,	NULL, OPT_USERNS },
	{ "netns",		required_argument,	NULL, OPT_NETNS },
	{ "netns-only",		no_argument,		NULL, OPT_NETNS_ONLY },
	{ "no-netns-quit",	no_argument,		NULL, OPT_NO_NETNS_QUIT },
	{ "nsrun-dir",		required_argument,	NULL, OPT_NSRUN_DIR },
	{ "config-net",		no_argument,		NULL, OPT_CONFIG_NET },
	{ "ns-mac-addr",	required_argument,	NULL, OPT_NS_MAC_ADDR },
	{ "fd",			required_argument,	NULL, 'F' },
	{ "log-file",		required_argument,	NULL, 'l' },
	{ "log-size",		required_argument,	NULL, OPT_LOG_SIZE },
	{ "hostname",		required_argument,	NULL, 'H' },
	{ "fqdn",		required_argument,	NULL, OPT_FQDN },
	{ "map-guest-addr",	required_argument,	NULL, OPT_MAP_GUEST_ADDR },
	{ "map-host-loopback",	required_argument,	NULL, OPT_MAP_HOST_LO },
	{ "host-lo-to-ns-lo",	no_argument,		NULL, OPT_HOST_LO_TO_NS_LO },
	{ "no-splice",		no_argument,		NULL, OPT_NO_SPLICE },
	{ "outbound",		required_argument,	NULL, 'o' },
	{ "outbound-if4",	required_argument,	NULL, OPT_OUTBOUND_IF4 },
	{ "outbound-if6",	required_argument,	NULL, OPT_OUTBOUND_IF6 },
	{ "dns-host",		required_argument,	NULL, OPT_DNS_HOST },
	{ "busy-poll",		required_argument,	NULL, OPT_BUSY_POLL },
	{ NULL,			0,			NULL, 0 },
};

/* Options valid in one mode only: the value getopt_long() returns */
static const int conf_passt_only[] = { 's', '1' };
static const int conf_pasta_only[] = {
	'T', 'U', 'I', OPT_USERNS, OPT_NETNS, OPT_NETNS_ONLY,
	OPT_NO_NETNS_QUIT, OPT_NSRUN_DIR, OPT_CONFIG_NET, OPT_NS_MAC_ADDR,
	OPT_HOST_LO_TO_NS_LO, OPT_NO_SPLICE,
};

static const char conf_usage_common[] =
"  -d, --debug		Debug messages, stay in foreground, log to stderr\n"
"      --trace		Packet-level messages too (implies --debug)\n"
"  -q, --quiet		Only warnings and errors\n"
"  -f, --foreground	Don't run in background\n"
"  -e, --stderr		Accepted for compatibility, no effect\n"
"  -l, --log-file PATH	Log to PATH instead of the system logger\n"
"      --log-size SIZE	Largest size of the log file, bytes (default 1 MiB)\n"
"      --runas USER|UID[:GROUP|GID]	Run as this user after set-up\n"
"  -h, --help		Show this help and exit\n"
"      --version	Show the version and exit\n"
"  -p, --pcap FILE	Capture guest-side frames to FILE\n"
"  -P, --pid FILE	Write the process ID to FILE once ready\n"
"  -m, --mtu MTU	MTU given to the guest (68-65520)\n"
"      --busy-poll USEC	Longest spin for events before sleeping (0-1000,\n"
"			default 50, 0 with one CPU)\n"
"  -a, --address ADDR	IPv4 or IPv6 address for the guest\n"
"  -n, --netmask MASK	IPv4 netmask, dotted or prefix length\n"
"  -M, --mac-addr ADDR	Our MAC address towards the guest\n"
"  -g, --gateway ADDR	IPv4 or IPv6 gateway for the guest\n"
"  -i, --interface NAME	Host interface for defaults\n"
"  -D, --dns ADDR	Resolver for the guest (repeat; 'none': none)\n"
"      --dns-forward ADDR	Forward DNS to ADDR to the host's resolver\n"
"  -S, --search LIST	Search domains for the guest ('none': none)\n"
"      --no-dhcp-dns, --dhcp-dns	Send or don't send resolvers\n"
"      --no-dhcp-search, --dhcp-search	Send or don't send the search list\n"
"      --no-tcp, --no-udp, --no-icmp	Disable a protocol\n"
"      --no-dhcp, --no-ndp, --no-dhcpv6, --no-ra	Disable a service\n"
"      --no-map-gw	Don't map the gateway address to the host\n"
"      --map-host-loopback ADDR|none	Guest address for the host's loopback\n"
"      --map-guest-addr ADDR	Guest address for the host's own address\n"
"      --dns-host ADDR	Where DNS queries to the forwarded address go\n"
"  -o, --outbound ADDR	Source address of outbound sockets\n"
"      --outbound-if4 NAME, --outbound-if6 NAME	Outbound interface\n"
"  -H, --hostname NAME	Host name for the guest (DHCP option 12)\n"
"      --fqdn NAME	FQDN for the guest (DHCP option 81, DHCPv6 option 39)\n"
"  -F, --fd FD		Use FD: connected socket (passt), tap device (pasta)\n"
"  -4, --ipv4-only	Enable IPv4 only\n"
"  -6, --ipv6-only	Enable IPv6 only\n";

static const char conf_usage_passt_head[] =
"Usage: passt [OPTION]...\n"
"User-mode networking for a virtual machine, through a UNIX domain socket.\n"
"\n";

static const char conf_usage_passt_tail[] =
"  -s, --socket PATH	UNIX domain socket (default: /tmp/passt_N.socket)\n"
"  -1, --one-off		Quit once the first guest disconnects\n"
"  -t, --tcp-ports SPEC	TCP ports forwarded to the guest (default: none)\n"
"  -u, --udp-ports SPEC	UDP ports forwarded to the guest (default: as -t)\n"
"	SPEC: none | all | [ADDR[%IF]/]ITEM[,ITEM]...\n"
"	ITEM: [~]PORT[-PORT][:PORT[-PORT]]\n"
"\n"
"See passt(1) for details.\n";

static const char conf_usage_pasta_head[] =
"Usage: pasta [OPTION]... [PID|PATH|NAME]\n"
"       pasta [OPTION]... [--] [COMMAND [ARG]...]\n"
"User-mode networking for a network namespace, through a tap device.\n"
"\n";

static const char conf_usage_pasta_tail[] =
"  -I, --ns-ifname NAME	Tap interface name in the namespace\n"
"  -t, --tcp-ports SPEC	TCP ports forwarded to the namespace (default: auto)\n"
"  -u, --udp-ports SPEC	UDP ports forwarded to the namespace (default: as -t)\n"
"  -T, --tcp-ns SPEC	TCP ports forwarded to the host (default: auto)\n"
"  -U, --udp-ns SPEC	UDP ports forwarded to the host (default: as -T)\n"
"	SPEC: none | auto | [ADDR[%IF]/]ITEM[,ITEM]...\n"
"	ITEM: [~]PORT[-PORT][:PORT[-PORT]]\n"
"      --userns PATH	User namespace to join with the target\n"
"      --netns PATH|NAME	Network namespace to join\n"
"      --netns-only	Join the network namespace only\n"
"      --no-netns-quit	Keep running when the namespace goes away\n"
"      --nsrun-dir PATH	Directory of named namespaces\n"
"      --config-net	Configure addresses and routes in the namespace\n"
"      --ns-mac-addr ADDR	MAC address of the tap interface\n"
"      --no-splice	No loopback bypass between host and namespace\n"
"      --host-lo-to-ns-lo	Host loopback traffic comes from the\n"
"			namespace's loopback\n"
"\n"
"See pasta(1) for details.\n";

/**
 * struct conf_opts - Option state that is not stored in struct ctx as such
 * @v4_only:		-4 given
 * @v6_only:		-6 given
 * @addr4_set:		-a with an IPv4 address given
 * @addr6_set:		-a with an IPv6 address given
 * @gw4_set:		-g with an IPv4 address given
 * @gw6_set:		-g with an IPv6 address given
 * @prefix4_set:	-n given
 * @mac_set:		-M given
 * @ifi:		-i: interface index, 0 if not given
 * @dns_set:		-D given: the host's resolvers are not used
 * @n_dns4:		IPv4 resolvers from -D in c->ip4.dns
 * @n_dns6:		IPv6 resolvers from -D in c->ip6.dns
 * @dnsfwd4_set:	--dns-forward with an IPv4 address given
 * @dnsfwd6_set:	--dns-forward with an IPv6 address given
 * @search_set:		-S given: the host's search list is not used
 * @n_search:		domains in c->dns_search from -S
 * @dhcp_dns:		1: --dhcp-dns, 0: --no-dhcp-dns, -1: neither
 * @dhcp_search:	1: --dhcp-search, 0: --no-dhcp-search, -1: neither
 * @nsrun_dir_set:	--nsrun-dir given
 * @netns_opt:		--netns argument, NULL if not given
 * @userns_set:		--userns given
 * @ifname_set:		-I given
 * @log_size_set:	--log-size given
 * @maplo4_set:		--map-host-loopback with an IPv4 address given
 * @maplo6_set:		--map-host-loopback with an IPv6 address given
 * @maplo_none:		--map-host-loopback none given
 * @mapguest4_set:	--map-guest-addr with an IPv4 address given
 * @mapguest6_set:	--map-guest-addr with an IPv6 address given
 * @dnshost4_set:	--dns-host with an IPv4 address given
 * @dnshost6_set:	--dns-host with an IPv6 address given
 * @out4_set:		-o with an IPv4 address given
 * @out6_set:		-o with an IPv6 address given
 * @busy_poll_set:	--busy-poll given
 */
struct conf_opts {
	int v4_only;
	int v6_only;
	int addr4_set;
	int addr6_set;
	int gw4_set;
	int gw6_set;
	int prefix4_set;
	int mac_set;
	unsigned int ifi;
	int dns_set;
	int n_dns4;
	int n_dns6;
	int dnsfwd4_set;
	int dnsfwd6_set;
	int search_set;
	int n_search;
	int dhcp_dns;
	int dhcp_search;
	int nsrun_dir_set;
	const char *netns_opt;
	int userns_set;
	int ifname_set;
	int log_size_set;
	int maplo4_set;
	int maplo6_set;
	int maplo_none;
	int mapguest4_set;
	int mapguest6_set;
	int dnshost4_set;
	int dnshost6_set;
	int out4_set;
	int out6_set;
	int busy_poll_set;
};

/**
 * conf_write_str() - Write a whole string to a file descriptor
 * @fd:		file descriptor
 * @s:		NUL-terminated string
 *
 * Return: 0 on success, -1 on error
 */
static int conf_write_str(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * conf_usage() - Print the usage text of the current mode (--help), exit 0
 * @c:		execution context (for the mode)
 */
static void __attribute__((noreturn)) conf_usage(const struct ctx *c)
{
	int pasta = c->mode == MODE_PASTA;

	conf_write_str(STDOUT_FILENO, pasta ? conf_usage_pasta_head
					    : conf_usage_passt_head);
	conf_write_str(STDOUT_FILENO, conf_usage_common);
	conf_write_str(STDOUT_FILENO, pasta ? conf_usage_pasta_tail
					    : conf_usage_passt_tail);
	exit(EXIT_SUCCESS);
}

/**
 * conf_mode_name() - Name of the program in the current mode
 * @c:		execution context
 *
 * Return: "passt" or "pasta"
 */
static const char *conf_mode_name(const struct ctx *c)
{
	return c->mode == MODE_PASTA ? "pasta" : "passt";
}

/**
 * conf_in_list() - Is a value in an array of option values?
 * @list:	array
 * @n:		entries in @list
 * @opt:	value returned by getopt_long()
 *
 * Return: 1 if found, 0 otherwise
 */
static int conf_in_list(const int *list, size_t n, int opt)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (list[i] == opt)
			return 1;
	}
	return 0;
}

/**
 * conf_check_mode() - Refuse an option that belongs to the other mode
 * @c:		execution context
 * @opt:	value returned by getopt_long()
 * @name:	option as the user spelt it, for the message
 */
static void conf_check_mode(const struct ctx *c, int opt, const char *name)
{
	size_t np = sizeof(conf_passt_only) / sizeof(conf_passt_only[0]);
	size_t na = sizeof(conf_pasta_only) / sizeof(conf_pasta_only[0]);

	if (c->mode == MODE_PASTA && conf_in_list(conf_passt_only, np, opt))
		die("%s: option only valid in passt mode", name);
	if (c->mode == MODE_PASST && conf_in_list(conf_pasta_only, na, opt))
		die("%s: option only valid in pasta mode", name);
}

/**
 * conf_parse_ulong() - Parse a decimal number with an upper bound
 * @s:		string, digits only (no sign, no spaces)
 * @max:	largest value accepted
 * @out:	parsed value
 *
 * Return: 0 on success, -1 if @s is not a number or is above @max
 */
static int conf_parse_ulong(const char *s, unsigned long max,
			    unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned long d = (unsigned long)(*s - '0');

		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - d) / 10)		/* v * 10 + d > max, no wrap */
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/**
 * conf_parse_mac() - Parse a MAC address in the xx:xx:xx:xx:xx:xx form
 * @s:		string
 * @mac:	parsed address
 *
 * Return: 0 on success, -1 on malformed input or a non-unicast or all-zero
 *	   address (neither can be used as a source address)
 */
static int conf_parse_mac(const char *s, unsigned char *mac)
{
	int i, j, any = 0;

	for (i = 0; i < ETH_ADDR_LEN; i++) {
		unsigned int byte = 0;

		for (j = 0; j < 2; j++, s++) {
			char ch = *s;

			byte <<= 4;
			if (ch >= '0' && ch <= '9')
				byte |= (unsigned int)(ch - '0');
			else if (ch >= 'a' && ch <= 'f')
				byte |= (unsigned int)(ch - 'a' + 10);
			else if (ch >= 'A' && ch <= 'F')
				byte |= (unsigned int)(ch - 'A' + 10);
			else
				return -1;
		}
		if (*s != (i == ETH_ADDR_LEN - 1 ? '\0' : ':'))
			return -1;
		s++;
		mac[i] = (unsigned char)byte;
		any |= byte;
	}

	if (!any || (mac[0] & 1))
		return -1;
	return 0;
}

/**
 * conf_parse_addr() - Parse an IPv4 or IPv6 address
 * @s:		string
 * @a4:		IPv4 result
 * @a6:		IPv6 result
 *
 * Return: AF_INET or AF_INET6 for the family parsed, 0 if neither
 */
static int conf_parse_addr(const char *s, struct in_addr *a4,
			   struct in6_addr *a6)
{
	if (inet_pton(AF_INET, s, a4) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, a6) == 1)
		return AF_INET6;
	return 0;
}

/**
 * conf_addr4_bad() - Is an IPv4 address unusable as a guest or gateway one?
 * @a:		address
 *
 * Return: reason, or NULL if the address is usable
 */
static const char *conf_addr4_bad(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	if (!h)
		return "unspecified address";
	if ((h >> 24) == 127)
		return "loopback address";
	if ((h >> 28) == 0xe)
		return "multicast address";
	if (h == 0xffffffff)
		return "broadcast address";
	return NULL;
}

/**
 * conf_addr6_bad() - Is an IPv6 address unusable as a guest or gateway one?
 * @a:		address
 *
 * Return: reason, or NULL if the address is usable
 */
static const char *conf_addr6_bad(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_UNSPECIFIED(a))
		return "unspecified address";
	if (IN6_IS_ADDR_LOOPBACK(a))
		return "loopback address";
	if (IN6_IS_ADDR_MULTICAST(a))
		return "multicast address";
	if (IN6_IS_ADDR_V4MAPPED(a))
		return "IPv4-mapped address";
	return NULL;
}

/**
 * conf_parse_netmask() - Parse an IPv4 netmask, dotted or as prefix length
 * @s:		string: "255.255.255.0" or "24"
 * @prefix_len:	prefix length, 1 to 32
 *
 * Return: 0 on success, -1 on malformed or non-contiguous masks
 */
static int conf_parse_netmask(const char *s, int *prefix_len)
{
	struct in_addr mask;
	unsigned long v;
	uint32_t h;
	int len = 0;

	if (!conf_parse_ulong(s, 32, &v)) {
		if (!v)
			return -1;
		*prefix_len = (int)v;
		return 0;
	}

	if (inet_pton(AF_INET, s, &mask) != 1)
		return -1;

	h = ntohl(mask.s_addr);
	while (h & 0x80000000U) {
		len++;
		h <<= 1;
	}
	if (h || !len)		/* bits left after the leading ones: holes */
		return -1;

	*prefix_len = len;
	return 0;
}

/**
 * conf_prefix_mask() - IPv4 netmask for a prefix length
 * @prefix_len:	0 to 32
 *
 * Return: mask, network order
 */
static struct in_addr conf_prefix_mask(int prefix_len)
{
	struct in_addr m;

	m.s_addr = prefix_len ? htonl(0xffffffffU << (32 - prefix_len)) : 0;
	return m;
}

/* Port specifications
 *
 *   SPEC	:= "none" | "all" | "auto" | [BIND "/"] ITEM ["," ITEM]...
 *   BIND	:= ADDR | ADDR "%" IFNAME | "%" IFNAME
 *   ITEM	:= ["~"] RANGE [":" RANGE]
 *   RANGE	:= PORT ["-" PORT]		PORT: 1 to 65535
 *
 * A spec made of exclusions only means every port but those: "all" in passt,
 * "auto" restricted to the other ports in pasta.  Exclusions apply to the
 * whole direction, whatever the order of options and items.
 */

/**
 * struct conf_port_item - One parsed ITEM of a port specification
 * @excl:	'~': the range is excluded
 * @first:	first port of the range on the listening side
 * @last:	last port of the range on the listening side
 * @target:	port that @first is forwarded to (== @first without ':')
 */
struct conf_port_item {
	int excl;
	unsigned int first;
	unsigned int last;
	unsigned int target;
};

/**
 * conf_port_keyword() - Is a string one of the keywords none, all, auto?
 * @s:		start of the string
 * @len:	length of the string
 *
 * Return: 1 if it is, 0 otherwise
 */
static int conf_port_keyword(const char *s, size_t len)
{
	static const char *const kw[] = { "none", "all", "auto" };
	size_t i;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		if (strlen(kw[i]) == len && !strncmp(s, kw[i], len))
			return 1;
	}
	return 0;
}

/**
 * conf_port_num() - Parse one port number
 * @p:		cursor, moved past the digits
 * @end:	end of the item
 * @port:	parsed port
 *
 * Return: 0 on success, -1 if there are no digits, -2 if the number is 0 or
 *	   above 65535
 */
static int conf_port_num(const char **p, const char *end, unsigned int *port)
{
	unsigned long v = 0;
	const char *s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return -1;

	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v <= 65535)		/* stop growing, still eat digits */
			v = v * 10 + (unsigned long)(*s - '0');
	}
	*p = s;
	if (!v || v > 65535)
		return -2;

	*port = (unsigned int)v;
	return 0;
}

/**
 * conf_port_range() - Parse PORT[-PORT]
 * @p:		cursor, moved past the range
 * @end:	end of the item
 * @first:	first port
 * @last:	last port (== @first for a single port)
 *
 * Return: 0 on success, -1 on malformed input, -2 on a port out of range,
 *	   -3 on a reversed range
 */
static int conf_port_range(const char **p, const char *end,
			   unsigned int *first, unsigned int *last)
{
	int rc = conf_port_num(p, end, first);

	if (rc)
		return rc;

	*last = *first;
	if (*p < end && **p == '-') {
		(*p)++;
		rc = conf_port_num(p, end, last);
		if (rc)
			return rc;
	}

	return *last < *first ? -3 : 0;
}

/**
 * conf_port_item_parse() - Parse one ITEM of a port specification
 * @s:		start of the item
 * @end:	end of the item (comma or end of string)
 * @it:		parsed item
 * @errbuf:	reason on failure
 * @errlen:	size of @errbuf
 *
 * Return: 0 on success, -1 on failure with @errbuf set
 */
static int conf_port_item_parse(const char *s, const char *end,
				struct conf_port_item *it, char *errbuf,
				size_t errlen)
{
	static const char *const why[] = {
		"", "invalid port item", "port numbers must be 1 to 65535",
		"reversed port range",
	};
	int len = (int)(end - s > 64 ? 64 : end - s);
	unsigned int tfirst = 0, tlast = 0;
	const char *p = s;
	int rc;

	if (s == end) {
		snprintf(errbuf, errlen, "empty item in port list");
		return -1;
	}
	if (conf_port_keyword(s, (size_t)(end - s))) {
		snprintf(errbuf, errlen, "'%.*s' can't be combined with "
			 "anything else", len, s);
		return -1;
	}

	it->excl = *p == '~';
	p += it->excl;

	rc = conf_port_range(&p, end, &it->first, &it->last);
	it->target = it->first;
	if (!rc && p < end && *p == ':') {
		if (it->excl) {
			snprintf(errbuf, errlen, "excluded ports can't be "
				 "translated: '%.*s'", len, s);
			return -1;
		}
		p++;
		rc = conf_port_range(&p, end, &tfirst, &tlast);
		if (!rc && tlast - tfirst != it->last - it->first) {
			snprintf(errbuf, errlen, "translated range has a "
				 "different length: '%.*s'", len, s);
			return -1;
		}
		it->target = tfirst;
	}
	if (!rc && p != end)
		rc = -1;

	if (rc) {
		snprintf(errbuf, errlen, "%s: '%.*s'", why[-rc], len, s);
		return -1;
	}
	return 0;
}

/**
 * conf_port_bind_parse() - Parse the BIND part before '/' of a spec
 * @s:		start of the bind part
 * @len:	its length
 * @b:		parsed bind address and/or interface
 * @errbuf:	reason on failure
 * @errlen:	size of @errbuf
 *
 * Return: 0 on success, -1 on failure with @errbuf set
 */
static int conf_port_bind_parse(const char *s, size_t len,
				struct fwd_bind *b, char *errbuf,
				size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + IFNAMSIZ + 1];
	char *pct;

	memset(b, 0, sizeof(*b));
	if (!len || len >= sizeof(buf)) {
		snprintf(errbuf, errlen, "invalid bind address '%.*s'",
			 (int)(len > 64 ? 64 : len), s);
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';

	pct = strchr(buf, '%');
	if (pct) {
		*pct++ = '\0';
		if (!*pct || strlen(pct) >= IFNAMSIZ ||
		    strpbrk(pct, " \t\n%:")) {
			snprintf(errbuf, errlen, "invalid interface name "
				 "'%s'", pct);
			return -1;
		}
		strcpy(b->ifname, pct);
	}

	b->af = AF_UNSPEC;
	if (!*buf && pct)	/* %IFNAME/ */
		return 0;

	b->af = conf_parse_addr(buf, &b->addr4, &b->addr6);
	if (!b->af) {
		snprintf(errbuf, errlen, "invalid bind address '%s'", buf);
		return -1;
	}
	return 0;
}

/**
 * conf_port_bind_idx() - Find or add a bind address in a forwarding table
 * @fwd:	forwarding table
 * @b:		bind address, NULL for any address (index 0)
 * @errbuf:	reason on failure
 * @errlen:	size of @errbuf
 *
 * Return: index into @fwd->binds, -1 if the table is full
 */
static int conf_port_bind_idx(struct fwd_ports *fwd, const struct fwd_bind *b,
			      char *errbuf, size_t errlen)
{
	int i;

	if (!b)
		return 0;

	for (i = 1; i < fwd->n_binds; i++) {
		const struct fwd_bind *e = &fwd->binds[i];

		if (e->af == b->af && !strcmp(e->ifname, b->ifname) &&
		    e->addr4.s_addr == b->addr4.s_addr &&
		    IN6_ARE_ADDR_EQUAL(&e->addr6, &b->addr6))
			return i;
	}

	if (fwd->n_binds >= FWD_BIND_MAX) {
		snprintf(errbuf, errlen, "too many bind addresses (at most %d)",
			 FWD_BIND_MAX - 1);
		return -1;
	}
	fwd->binds[fwd->n_binds] = *b;
	return fwd->n_binds++;
}

/**
 * conf_port_excl_any() - Does a forwarding table have any excluded port?
 * @fwd:	forwarding table
 *
 * Return: 1 if at least one port is excluded, 0 otherwise
 */
static int conf_port_excl_any(const struct fwd_ports *fwd)
{
	size_t i;

	for (i = 0; i < sizeof(fwd->excl); i++) {
		if (fwd->excl[i])
			return 1;
	}
	return 0;
}

/**
 * conf_port_set() - Mark one port forwarded, with its delta and bind index
 * @fwd:	forwarding table
 * @port:	port
 * @delta:	translation (target - port, modulo 2^16)
 * @bind:	index into @fwd->binds
 */
static void conf_port_set(struct fwd_ports *fwd, unsigned int port,
			  uint16_t delta, int bind)
{
	fwd->map[port / 8] |= (uint8_t)(1U << (port % 8));
	fwd->delta[port] = delta;
	fwd->bind[port] = (uint8_t)bind;
}

/**
 * conf_port_clear() - Unmark one port, dropping its delta and bind index
 * @fwd:	forwarding table
 * @port:	port
 */
static void conf_port_clear(struct fwd_ports *fwd, unsigned int port)
{
	fwd->map[port / 8] &= (uint8_t)~(1U << (port % 8));
	fwd->delta[port] = 0;
	fwd->bind[port] = 0;
}

/**
 * conf_port_fill() - Mark every port (1 to 65535) forwarded, no translation
 * @fwd:	forwarding table
 * @bind:	index into @fwd->binds for every port
 */
static void conf_port_fill(struct fwd_ports *fwd, int bind)
{
	unsigned int port;

	for (port = 1; port < NUM_PORTS; port++)
		conf_port_set(fwd, port, 0, bind);
}

/**
 * conf_port_apply_excl() - Unmark every excluded port
 * @fwd:	forwarding table
 */
static void conf_port_apply_excl(struct fwd_ports *fwd)
{
	unsigned int port;

	for (port = 1; port < NUM_PORTS; port++) {
		if (fwd->excl[port / 8] & (1U << (port % 8)))
			conf_port_clear(fwd, port);
	}
}

/**
 * conf_port_include() - Add an included ITEM to a forwarding table
 * @fwd:	forwarding table
 * @it:		parsed item, not an exclusion
 * @bind:	index into @fwd->binds
 * @errbuf:	reason on failure
 * @errlen:	size of @errbuf
 *
 * Return: 0 on success, -1 if a port is already forwarded elsewhere
 */
static int conf_port_include(struct fwd_ports *fwd,
			     const struct conf_port_item *it, int bind,
			     char *errbuf, size_t errlen)
{
	uint16_t delta = (uint16_t)(it->target - it->first);
	unsigned int port;

	for (port = it->first; port <= it->last; port++) {
		int is_set = fwd->map[port / 8] & (1U << (port % 8));

		if (is_set && fwd->delta[port] != delta) {
			snprintf(errbuf, errlen, "port %u already forwarded to "
				 "port %u", port,
				 (port + fwd->delta[port]) & 0xffff);
			return -1;
		}
		if (is_set && fwd->bind[port] != bind) {
			snprintf(errbuf, errlen, "port %u already forwarded "
				 "with another bind address", port);
			return -1;
		}
		conf_port_set(fwd, port, delta, bind);
	}
	return 0;
}

/**
 * conf_port_exclude() - Add an excluded ITEM to a forwarding table
 * @fwd:	forwarding table
 * @it:		parsed item, an exclusion
 */
static void conf_port_exclude(struct fwd_ports *fwd,
			      const struct conf_port_item *it)
{
	unsigned int port;

	for (port = it->first; port <= it->last; port++)
		fwd->excl[port / 8] |= (uint8_t)(1U << (port % 8));
}

/**
 * conf_ports_keyword() - Apply a spec that is a keyword: none, all, auto
 * @c:		execution context (for the mode)
 * @spec:	"none", "all" or "auto"
 * @fwd:	forwarding table
 * @errbuf:	reason on failure
 * @errlen:	size of @errbuf
 *
 * Return: 0 on success, -1 on failure with @errbuf set
 */
static int conf_ports_keyword(const struct ctx *c, const char *spec,
			      struct fwd_ports *fwd, char *errbuf,
			      size_t errlen)
{
	if (fwd->mode != FWD_UNSET) {
		snprintf(errbuf, errlen, "'%s' can't be combined with other "
			 "port specifications", spec);
		return -1;
	}

	if (!strcmp(spec, "none")) {
		fwd->mode = FWD_NONE;
		return 0;
	}

	if (!strcmp(spec, "all")) {
		if (c->mode != MODE_PASST) {
			snprintf(errbuf, errlen, "'all' is only valid in "
				 "passt mode");
			return -1;
		}
		fwd->mode = FWD_ALL;
		conf_port_fill(fwd, 0);
		return 0;
	}

	if (c->mode != MODE_PASTA) {
		snprintf(errbuf, errlen, "'auto' is only valid in pasta mode");
		return -1;
	}
	fwd->mode = FWD_AUTO;
	conf_port_fill(fwd, 0);
	return 0;
}

/**
 * conf_port_first_bind() - Bind index of the first forwarded port
 * @fwd:	forwarding table
 *
 * In a table holding exclusions only, every forwarded port shares one bind
 * index, so the first one tells which it is.
 *
 * Return: bind index, 0 if no port is forwarded
 */
static int conf_port_first_bind(const struct fwd_ports *fwd)
{
	unsigned int port;

	for (port = 1; port < NUM_PORTS; port++) {
		if (fwd->map[port / 8] & (1U << (port % 8)))
			return fwd->bind[port];
	}
	return 0;
}

/**
 * conf_ports_merge_mode() - Settle the mode of a table before adding a spec
 * @c:		execution context (for the mode)
 * @fwd:	forwarding table
 * @included:	the new spec forwards ports (not exclusions only)
 * @bind:	bind index of the new spec
 * @errbuf:	reason on failure
 * @errlen:	size of @errbuf
 *
 * A table that holds only exclusions ("all but ...") turns into a list as
 * soon as a spec lists ports; a bind address can only go with one of the two.
 *
 * Return: 0 on success, -1 on failure with @errbuf set
 */
static int conf_ports_merge_mode(const struct ctx *c, struct fwd_ports *fwd,
				 int included, int bind, char *errbuf,
				 size_t errlen)
{
	static const char combine[] = "exclusions with a bind address can't "
				      "be combined with a port list";
	int excl_only = (fwd->mode == FWD_ALL || fwd->mode == FWD_AUTO) &&
			conf_port_excl_any(fwd);

	if (fwd->mode == FWD_UNSET) {
		fwd->mode = included ? FWD_SPEC :
			    (c->mode == MODE_PASST ? FWD_ALL : FWD_AUTO);
		if (!included)
			conf_port_fill(fwd, bind);
		return 0;
	}

	if (fwd->mode != FWD_SPEC && !excl_only) {
		snprintf(errbuf, errlen, "'%s' can't be combined with other "
			 "port specifications",
			 fwd->mode == FWD_NONE ? "none" :
			 fwd->mode == FWD_ALL ? "all" : "auto");
		return -1;
	}

	if (fwd->mode == FWD_SPEC) {
		if (!included && bind) {
			snprintf(errbuf, errlen, "%s", combine);
			return -1;
		}
		return 0;
	}

	/* Exclusions only so far */
	if (included) {
		if (conf_port_first_bind(fwd)) {
			snprintf(errbuf, errlen, "%s", combine);
			return -1;
		}
		memset(fwd->map, 0, sizeof(fwd->map));
		memset(fwd->bind, 0, sizeof(fwd->bind));
		fwd->mode = FWD_SPEC;
		return 0;
	}

	if (bind && conf_port_first_bind(fwd) != bind) {
		snprintf(errbuf, errlen, "conflicting bind addresses for "
			 "exclusions");
		return -1;
	}
	return 0;
}

/**
 * conf_ports_parse() - Parse one port forwarding specification into a table
 * @c:		execution context (the mode decides about "all" and "auto")
 * @optname:	option character: 't', 'u', 'T' or 'U'
 * @spec:	specification, see passt.1, section PORT SPECIFICATIONS
 * @fwd:	forwarding table to add to (repeated options accumulate)
 * @errbuf:	one-line reason on failure (without the option name)
 * @errlen:	size of @errbuf
 *
 * Syntax is checked for the whole spec before anything is added, so a
 * malformed spec leaves @fwd alone; a conflict with ports already in @fwd
 * may leave it partially updated (conf() exits on any failure anyway).
 *
 * Return: 0 on success, -1 on failure with @errbuf set
 */
int conf_ports_parse(struct ctx *c, char optname, const char *spec,
		     struct fwd_ports *fwd, char *errbuf, size_t errlen)
{
	struct conf_port_item it;
	const char *ports, *slash, *p, *end;
	struct fwd_bind b;
	int bind = 0, included = 0;

	if (fwd->n_binds < 1)
		fwd->n_binds = 1;

	if ((optname == 'T' || optname == 'U') && c->mode != MODE_PASTA) {
		snprintf(errbuf, errlen, "only valid in pasta mode");
		return -1;
	}
	if (!*spec) {
		snprintf(errbuf, errlen, "empty port specification");
		return -1;
	}
	if (conf_port_keyword(spec, strlen(spec)))
		return conf_ports_keyword(c, spec, fwd, errbuf, errlen);

	ports = spec;
	slash = strchr(spec, '/');
	if (slash) {
		if (conf_port_bind_parse(spec, (size_t)(slash - spec), &b,
					 errbuf, errlen))
			return -1;
		ports = slash + 1;
	}

	/* First pass: syntax only, and does the spec forward anything? */
	for (p = ports; ; p = end + 1) {
		end = strchrnul(p, ',');
		if (conf_port_item_parse(p, end, &it, errbuf, errlen))
			return -1;
		included |= !it.excl;
		if (!*end)
			break;
	}

	if (slash) {
		bind = conf_port_bind_idx(fwd, &b, errbuf, errlen);
		if (bind < 0)
			return -1;
	}
	if (conf_ports_merge_mode(c, fwd, included, bind, errbuf, errlen))
		return -1;

	/* Second pass: apply, exclusions last so that order doesn't matter */
	for (p = ports; ; p = end + 1) {
		end = strchrnul(p, ',');
		conf_port_item_parse(p, end, &it, errbuf, errlen);
		if (it.excl)
			conf_port_exclude(fwd, &it);
		else if (conf_port_include(fwd, &it, bind, errbuf, errlen))
			return -1;
		if (!*end)
			break;
	}

	conf_port_apply_excl(fwd);
	return 0;
}

/**
 * conf_opt_copy() - Copy an option value into a fixed-size field
 * @dst:	destination
 * @size:	size of @dst
 * @name:	option as spelt, for messages
 * @arg:	value
 */
static void conf_opt_copy(char *dst, size_t size, const char *name,
			  const char *arg)
{
	if (!*arg)
		die("%s: empty argument", name);
	if (strlen(arg) >= size)
		die("%s: too long (at most %zu characters)", name, size - 1);
	strcpy(dst, arg);
}

/**
 * conf_opt_ifname() - Check an interface name given as option value
 * @name:	option as spelt, for messages
 * @arg:	interface name
 *
 * The kernel refuses empty names, "." and "..", names of IFNAMSIZ
 * characters or more, and names with '/', ':' or white space.
 */
static void conf_opt_ifname(const char *name, const char *arg)
{
	if (!*arg || strlen(arg) >= IFNAMSIZ || !strcmp(arg, ".") ||
	    !strcmp(arg, "..") || strpbrk(arg, "/: \t\n"))
		die("%s: invalid interface name '%s'", name, arg);
}

/**
 * conf_opt_address() - Handle -a/--address
 * @c:		execution context
 * @o:		option state
 * @name:	option as spelt
 * @arg:	IPv4 or IPv6 address
 */
static void conf_opt_address(struct ctx *c, struct conf_opts *o,
			     const char *name, const char *arg)
{
	struct in6_addr a6;
	struct in_addr a4;
	const char *bad;

	switch (conf_parse_addr(arg, &a4, &a6)) {
	case AF_INET:
		if (o->addr4_set)
			die("%s: IPv4 address given twice", name);
		if ((bad = conf_addr4_bad(a4)))
			die("%s: can't use %s %s", name, bad, arg);
		c->ip4.addr = a4;
		o->addr4_set = 1;
		return;
	case AF_INET6:
		if (o->addr6_set)
			die("%s: IPv6 address given twice", name);
		if ((bad = conf_addr6_bad(&a6)))
			die("%s: can't use %s %s", name, bad, arg);
		if (IN6_IS_ADDR_LINKLOCAL(&a6))
			die("%s: can't use link-local address %s", name, arg);
		c->ip6.addr = a6;
		o->addr6_set = 1;
		return;
	default:
		die("%s: invalid address '%s'", name, arg);
	}
}

/**
 * conf_opt_gateway() - Handle -g/--gateway
 * @c:		execution context
 * @o:		option state
 * @name:	option as spelt
 * @arg:	IPv4 or IPv6 address
 */
static void conf_opt_gateway(struct ctx *c, struct conf_opts *o,
			     const char *name, const char *arg)
{
	struct in6_addr a6;
	struct in_addr a4;
	const char *bad;

	switch (conf_parse_addr(arg, &a4, &a6)) {
	case AF_INET:
		if (o->gw4_set)
			die("%s: IPv4 gateway given twice", name);
		if ((bad = conf_addr4_bad(a4)))
			die("%s: can't use %s %s", name, bad, arg);
		c->ip4.gw = a4;
		o->gw4_set = 1;
		return;
	case AF_INET6:
		if (o->gw6_set)
			die("%s: IPv6 gateway given twice", name);
		if ((bad = conf_addr6_bad(&a6)))
			die("%s: can't use %s %s", name, bad, arg);
		c->ip6.gw = a6;
		o->gw6_set = 1;
		return;
	default:
		die("%s: invalid address '%s'", name, arg);
	}
}

/**
 * conf_opt_dns() - Handle -D/--dns: add a resolver, or "none" to clear
 * @c:		execution context
 * @o:		option state
 * @name:	option as spelt
 * @arg:	IPv4 or IPv6 address, or "none"
 */
static void conf_opt_dns(struct ctx *c, struct conf_opts *o,
			 const char *name, const char *arg)
{
	struct in6_addr a6;
	struct in_addr a4;
	int i;

	o->dns_set = 1;
	if (!strcmp(arg, "none")) {
		memset(c->ip4.dns, 0, sizeof(c->ip4.dns));
		memset(c->ip6.dns, 0, sizeof(c->ip6.dns));
		o->n_dns4 = o->n_dns6 = 0;
		return;
	}

	switch (conf_parse_addr(arg, &a4, &a6)) {
	case AF_INET:
		if (!a4.s_addr || (ntohl(a4.s_addr) >> 28) == 0xe)
			die("%s: can't use %s as resolver", name, arg);
		for (i = 0; i < o->n_dns4; i++) {
			if (c->ip4.dns[i].s_addr == a4.s_addr)
				return;
		}
		if (o->n_dns4 >= MAXNS)
			die("%s: too many IPv4 resolvers (at most %d)", name,
			    MAXNS);
		c->ip4.dns[o->n_dns4++] = a4;
		return;
	case AF_INET6:
		if (IN6_IS_ADDR_UNSPECIFIED(&a6) ||
		    IN6_IS_ADDR_MULTICAST(&a6))
			die("%s: can't use %s as resolver", name, arg);
		for (i = 0; i < o->n_dns6; i++) {
			if (IN6_ARE_ADDR_EQUAL(&c->ip6.dns[i], &a6))
				return;
		}
		if (o->n_dns6 >= MAXNS)
			die("%s: too many IPv6 resolvers (at most %d)", name,
			    MAXNS);
		c->ip6.dns[o->n_dns6++] = a6;
		return;
	default:
		die("%s: invalid address '%s'", name, arg);
	}
}

/**
 * conf_opt_dns_forward() - Handle --dns-forward
 * @c:		execution context
 * @o:		option state
 * @name:	option as spelt
 * @arg:	IPv4 or IPv6 address the guest sends DNS queries to
 */
static void conf_opt_dns_forward(struct ctx *c, struct conf_opts *o,
				 const char *name, const char *arg)
{
	struct in6_addr a6;
	struct in_addr a4;
	const char *bad;

	switch (conf_parse_addr(arg, &a4, &a6)) {
	case AF_INET:
		if (o->dnsfwd4_set)
			die("%s: IPv4 address given twice", name);
		if ((bad = conf_addr4_bad(a4)))
			die("%s: can't use %s %s", name, bad, arg);
		c->ip4.dns_match = a4;
		o->dnsfwd4_set = 1;
		return;
	case AF_INET6:
		if (o->dnsfwd6_set)
			die("%s: IPv6 address given twice", name);
		if ((bad = conf_addr6_bad(&a6)))
			die("%s: can't use %s %s", name, bad, arg);
		c->ip6.dns_match = a6;
		o->dnsfwd6_set = 1;
		return;
	default:
		die("%s: invalid address '%s'", name, arg);
	}
}

/**
 * conf_domain_ok() - Check a domain name for the search list
 * @s:		name, without trailing dot
 * @len:	its length
 *
 * Labels of 1 to 63 letters, digits, '-' or '_', at most 253 characters in
 * all (RFC 1035, with the underscore some sites use).
 *
 * Return: 1 if the name is acceptable, 0 otherwise
 */
static int conf_domain_ok(const char *s, size_t len)
{
	size_t i, label = 0;

	if (!len || len > 253)
		return 0;

	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '.') {
			if (!label)
				return 0;
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0;
}

/**
 * conf_search_add() - Append a domain to a search list, skipping duplicates
 * @list:	search list, MAXDNSRCH entries plus an empty terminator
 * @n:		entries in use, updated
 * @s:		domain, possibly with a trailing dot
 * @len:	its length
 *
 * Return: 0 on success (or duplicate), -1 on an invalid name, -2 if full
 */
static int conf_search_add(struct fqdn *list, int *n, const char *s,
			   size_t len)
{
	int i;

	if (len > 1 && s[len - 1] == '.')
		len--;
	if (!conf_domain_ok(s, len))
		return -1;

	for (i = 0; i < *n; i++) {
		if (strlen(list[i].n) == len && !strncmp(list[i].n, s, len))
			return 0;
	}
	if (*n >= MAXDNSRCH)
		return -2;

	memcpy(list[*n].n, s, len);
	list[*n].n[len] = '\0';
	(*n)++;
	return 0;
}

/**
 * conf_opt_search() - Handle -S/--search: domains separated by spaces or
 *		       commas, repeated options append, "none" clears
 * @c:		execution context
 * @o:		option state
 * @name:	option as spelt
 * @arg:	list of domains, or "none"
 */
static void conf_opt_search(struct ctx *c, struct conf_opts *o,
			    const char *name, const char *arg)
{
	const char *p = arg;

	o->search_set = 1;
	if (!strcmp(arg, "none")) {
		memset(c->dns_search, 0, sizeof(c->dns_search));
		o->n_search = 0;
		return;
	}

	while (*p) {
		size_t len = strcspn(p, " ,\t");
		int rc;

		if (!len) {
			p++;
			continue;
		}
		rc = conf_search_add(c->dns_search, &o->n_search, p, len);
		if (rc == -1)
			die("%s: invalid domain name '%.*s'", name,
			    (int)(len > 64 ? 64 : len), p);
		if (rc == -2)
			die("%s: too many search domains (at most %d)", name,
			    MAXDNSRCH);
		p += len;
	}

	if (!o->n_search)
		die("%s: empty search list (use 'none' for no list)", name);
}

/**
 * conf_opt_runas() - Handle --runas USER|UID[:GROUP|GID]
 * @c:		execution context
 * @name:	option as spelt
 * @arg:	user and optional group
 *
 * A user name gives its primary group unless a group is given; a numeric
 * UID that has no account gets the same number as GID.
 */
static void conf_opt_runas(struct ctx *c, const char *name, const char *arg)
{
	char user[LOGIN_NAME_MAX + 1];
	const char *group = strchr(arg, ':');
	size_t ulen = group ? (size_t)(group - arg) : strlen(arg);
	const struct passwd *pw;
	unsigned long v;

	if (!ulen || ulen >= sizeof(user) || (group && !group[1]))
		die("%s: invalid user '%s'", name, arg);
	memcpy(user, arg, ulen);
	user[ulen] = '\0';

	if (!conf_parse_ulong(user, UINT32_MAX - 1, &v)) {
		pw = getpwuid((uid_t)v);
		c->runas_uid = (uid_t)v;
		c->runas_gid = pw ? pw->pw_gid : (gid_t)v;
	} else {
		pw = getpwnam(user);
		if (!pw)
			die("%s: no such user '%s'", name, user);
		c->runas_uid = pw->pw_uid;
		c->runas_gid = pw->pw_gid;
	}

	if (group) {
		const struct group *gr;

		group++;
		if (!conf_parse_ulong(group, UINT32_MAX - 1, &v)) {
			c->runas_gid = (gid_t)v;
		} else {
			gr = getgrnam(group);
			if (!gr)
				die("%s: no such group '%s'", name, group);
			c->runas_gid = gr->gr_gid;
		}
	}
	c->runas_set = 1;
}

/**
 * conf_opt_ports() - Handle -t, -u, -T, -U
 * @c:		execution context
 * @opt:	option character
 * @name:	option as spelt
 * @arg:	port specification
 */
static void conf_opt_ports(struct ctx *c, int opt, const char *name,
			   const char *arg)
{
	struct fwd_ports *fwd;
	char errbuf[160];

	switch (opt) {
	case 't':
		fwd = &c->tcp_in;
		break;
	case 'u':
		fwd = &c->udp_in;
		break;
	case 'T':
		fwd = &c->tcp_out;
		break;
	default:
		fwd = &c->udp_out;
		break;
	}

	if (conf_ports_parse(c, (char)opt, arg, fwd, errbuf, sizeof(errbuf)))
		die("%s: %s", name, errbuf);
}

/**
 * conf_opt_mtu() - Handle -m/--mtu
 * @c:		execution context
 * @name:	option as spelt
 * @arg:	MTU
 */
static void conf_opt_mtu(struct ctx *c, const char *name, const char *arg)
{
	unsigned long v;

	if (conf_parse_ulong(arg, ULONG_MAX, &v))
		die("%s: invalid MTU '%s'", name, arg);
	if (v < CONF_MTU_MIN || v > TAP_MTU_MAX)
		die("%s: MTU %lu out of range (%d to %d)", name, v,
		    CONF_MTU_MIN, TAP_MTU_MAX);
	c->mtu = (int)v;
}

/**
 * conf_opt_busy_poll() - Handle --busy-poll
 * @c:		execution context
 * @o:		option state
 * @name:	option as spelt
 * @arg:	microseconds
 */
static void conf_opt_busy_poll(struct ctx *c, struct conf_opts *o,
			       const char *name, const char *arg)
{
	unsigned long v;

	if (conf_parse_ulong(arg, CONF_BUSY_POLL_MAX, &v))
		die("%s: invalid time '%s' (0 to %d microseconds)", name, arg,
		    CONF_BUSY_POLL_MAX);
	c->busy_poll_us = (long)v;
	o->busy_poll_set = 1;
}

/**
 * conf_busy_poll_default() - Spin before sleeping only with two CPUs or more
 * @c:		execution context
 *
 * With one CPU, the process that would send us the next event can't run
 * while we spin.
 */
static void conf_busy_poll_default(struct ctx *c)
{
	cpu_set_t set;

	c->busy_poll_us = CONF_BUSY_POLL_DEFAULT;
	if (!sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) < 2)
		c->busy_poll_us = 0;
}

/**
 * conf_opt_addr_af() - Parse an address option given at most once for each
 *			IP version
 * @name:	option as spelt
 * @arg:	IPv4 or IPv6 address
 * @lo:		accept loopback addresses
 * @a4:		IPv4 result
 * @a6:		IPv6 result
 * @set4:	IPv4 address already given, set on success
 * @set6:	IPv6 address already given, set on success
 */
static void conf_opt_addr_af(const char *name, const char *arg, int lo,
			     struct in_addr *a4, struct in6_addr *a6,
			     int *set4, int *set6)
{
	struct in6_addr t6;
	struct in_addr t4;
	const char *bad;

	switch (conf_parse_addr(arg, &t4, &t6)) {
	case AF_INET:
		bad = conf_addr4_bad(t4);
		if (*set4)
			die("%s: IPv4 address given twice", name);
		if (bad && !(lo && (ntohl(t4.s_addr) >> 24) == 127))
			die("%s: can't use %s %s", name, bad, arg);
		*a4 = t4;
		*set4 = 1;
		return;
	case AF_INET6:
		bad = conf_addr6_bad(&t6);
		if (*set6)
			die("%s: IPv6 address given twice", name);
		if (bad && !(lo && IN6_IS_ADDR_LOOPBACK(&t6)))
			die("%s: can't use %s %s", name, bad, arg);
		*a6 = t6;
		*set6 = 1;
		return;
	default:
		die("%s: invalid address '%s'", name, arg);
	}
}

/**
 * conf_opt_map_host_lo() - Handle --map-host-loopback ADDR|none
 * @c:		execution context
 * @o:		option state
 * @name:	option as spelt
 * @arg:	IPv4 or IPv6 address, or "none"
 */
static void conf_opt_map_host_lo(struct ctx *c, struct conf_opts *o,
				 const char *name, const char *arg)
{
	if (!strcmp(arg, "none")) {
		if (o->maplo4_set || o->maplo6_set)
			die("%s: 'none' can't be combined with an address",
			    name);
		memset(&c->ip4.map_host_lo, 0, sizeof(c->ip4.map_host_lo));
		memset(&c->ip6.map_host_lo, 0, sizeof(c->ip6.map_host_lo));
		o->maplo_none = 1;
		c->no_map_gw = 1;
		return;
	}
	if (o->maplo_none)
		die("%s: 'none' can't be combined with an address", name);
	conf_opt_addr_af(name, arg, 0, &c->ip4.map_host_lo,
			 &c->ip6.map_host_lo, &o->maplo4_set, &o->maplo6_set);
}

/**
 * conf_opt_fd() - Handle -F/--fd: a connected socket or a tap device fd
 * @c:		execution context
 * @name:	option as spelt
 * @arg:	file descriptor number
 *
 * In passt, the guest is already connected: there is no listening socket,
 * and we quit when it goes away (as with --one-off).
 */
static void conf_opt_fd(struct ctx *c, const char *name, const char *arg)
{
	unsigned long v;

	if (c->fd_tap_given)
		die("%s: given twice", name);
	if (conf_parse_ulong(arg, INT_MAX, &v))
		die("%s: invalid file descriptor '%s'", name, arg);
	if (fcntl((int)v, F_GETFD) < 0)
		die("%s: %lu is not an open file descriptor", name, v);

	fcntl((int)v, F_SETFD, FD_CLOEXEC);
	c->fd_tap = (int)v;
	c->fd_tap_given = 1;
	if (c->mode == MODE_PASST)
		c->one_off = 1;
}

/**
 * conf_opt_name_value() - Handle -H/--hostname and --fqdn
 * @dst:	destination, DNAME_MAX bytes
 * @name:	option as spelt
 * @arg:	host name or domain name, a trailing dot is dropped
 */
static void conf_opt_name_value(char *dst, const char *name, const char *arg)
{
	size_t len = strlen(arg);

	if (len > 1 && arg[len - 1] == '.')
		len--;
	if (!conf_domain_ok(arg, len) || strchr(arg, '_'))
		die("%s: invalid name '%s'", name, arg);
	memcpy(dst, arg, len);
	dst[len] = '\0';
}

/**
 * conf_opt_client() - Handle the options that clients (libvirt, podman,
 *		       rootlesskit) pass besides the basic ones
 * @c:		execution context
 * @o:		option state
 * @opt:	value returned by getopt_long()
 * @name:	option as spelt
 * @arg:	option value
 */
static void conf_opt_client(struct ctx *c, struct conf_opts *o, int opt,
			    const char *name, const char *arg)
{
	unsigned long v;

	switch (opt) {
	case 'F':	conf_opt_fd(c, name, arg);			break;
	case 'l':	conf_opt_copy(c->log_file, sizeof(c->log_file), name,
				      arg);
			break;
	case OPT_LOG_SIZE:
		if (conf_parse_ulong(arg, SIZE_MAX, &v))
			die("%s: invalid size '%s'", name, arg);
		if (v < LOG_FILE_SIZE_MIN)
			die("%s: at least %d bytes", name, LOG_FILE_SIZE_MIN);
		c->log_size = (size_t)v;
		o->log_size_set = 1;
		break;
	case 'H':	conf_opt_name_value(c->hostname, name, arg);	break;
	case OPT_FQDN:	conf_opt_name_value(c->fqdn.n, name, arg);	break;
	case OPT_MAP_GUEST_ADDR:
		conf_opt_addr_af(name, arg, 0, &c->ip4.map_guest_addr,
				 &c->ip6.map_guest_addr, &o->mapguest4_set,
				 &o->mapguest6_set);
		break;
	case OPT_MAP_HOST_LO:	conf_opt_map_host_lo(c, o, name, arg);	break;
	case OPT_DNS_HOST:
		conf_opt_addr_af(name, arg, 1, &c->ip4.dns_host,
				 &c->ip6.dns_host, &o->dnshost4_set,
				 &o->dnshost6_set);
		break;
	case 'o':
		conf_opt_addr_af(name, arg, 1, &c->ip4.addr_out,
				 &c->ip6.addr_out, &o->out4_set, &o->out6_set);
		break;
	case OPT_OUTBOUND_IF4:
	case OPT_OUTBOUND_IF6:
		conf_opt_ifname(name, arg);
		if (!if_nametoindex(arg))
			die("%s: no such interface '%s'", name, arg);
		strcpy(opt == OPT_OUTBOUND_IF4 ? c->ip4.ifname_out :
						 c->ip6.ifname_out, arg);
		break;
	}
}

/**
 * conf_opt_flag() - Handle an option without value
 * @c:		execution context
 * @o:		option state
 * @opt:	value returned by getopt_long()
 *
 * Return: 1 if @opt was handled here, 0 if it takes a value
 */
static int conf_opt_flag(struct ctx *c, struct conf_opts *o, int opt)
{
	switch (opt) {
	case 'd':		c->debug = 1;			break;
	case OPT_TRACE:		c->debug = c->trace = 1;	break;
	case 'q':		c->quiet = 1;			break;
	case 'f':		c->foreground = 1;		break;
	case 'e':		/* --stderr: no effect, see passt.1 */	break;
	case '1':		c->one_off = 1;			break;
	case '4':		o->v4_only = 1;			break;
	case '6':		o->v6_only = 1;			break;
	case OPT_NO_DHCP_DNS:	o->dhcp_dns = 0;		break;
	case OPT_DHCP_DNS:	o->dhcp_dns = 1;		break;
	case OPT_NO_DHCP_SEARCH: o->dhcp_search = 0;		break;
	case OPT_DHCP_SEARCH:	o->dhcp_search = 1;		break;
	case OPT_NO_TCP:	c->no_tcp = 1;			break;
	case OPT_NO_UDP:	c->no_udp = 1;			break;
	case OPT_NO_ICMP:	c->no_icmp = 1;			break;
	case OPT_NO_DHCP:	c->no_dhcp = 1;			break;
	case OPT_NO_NDP:	c->no_ndp = 1;			break;
	case OPT_NO_DHCPV6:	c->no_dhcpv6 = 1;		break;
	case OPT_NO_RA:		c->no_ra = 1;			break;
	case OPT_NO_MAP_GW:	c->no_map_gw = 1;		break;
	case OPT_NETNS_ONLY:	c->netns_only = 1;		break;
	case OPT_NO_NETNS_QUIT:	c->no_netns_quit = 1;		break;
	case OPT_CONFIG_NET:	c->pasta_conf_ns = 1;		break;
	case OPT_NO_SPLICE:	c->no_splice = 1;		break;
	case OPT_HOST_LO_TO_NS_LO: c->host_lo_to_ns_lo = 1;	break;
	default:
		return 0;
	}
	return 1;
}

/**
 * conf_opt_value() - Handle an option that takes a value
 * @c:		execution context
 * @o:		option state
 * @opt:	value returned by getopt_long()
 * @name:	option as spelt
 * @arg:	option value
 */
static void conf_opt_value(struct ctx *c, struct conf_opts *o, int opt,
			   const char *name, const char *arg)
{
	switch (opt) {
	case OPT_RUNAS:	conf_opt_runas(c, name, arg);		break;
	case 'p':	conf_opt_copy(c->pcap, sizeof(c->pcap), name, arg);
			break;
	case 'P':	conf_opt_copy(c->pid_file, sizeof(c->pid_file), name,
				      arg);
			break;
	case 's':	conf_opt_copy(c->sock_path, sizeof(c->sock_path), name,
				      arg);
			break;
	case 'm':	conf_opt_mtu(c, name, arg);			break;
	case OPT_BUSY_POLL:	conf_opt_busy_poll(c, o, name, arg);	break;
	case 'a':	conf_opt_address(c, o, name, arg);		break;
	case 'n':
		if (conf_parse_netmask(arg, &c->ip4.prefix_len))
			die("%s: invalid netmask '%s'", name, arg);
		o->prefix4_set = 1;
		break;
	case 'M':
		if (conf_parse_mac(arg, c->our_tap_mac))
			die("%s: invalid MAC address '%s'", name, arg);
		o->mac_set = 1;
		break;
	case OPT_NS_MAC_ADDR:
		if (conf_parse_mac(arg, c->guest_mac))
			die("%s: invalid MAC address '%s'", name, arg);
		c->guest_mac_set = 1;
		break;
	case 'g':	conf_opt_gateway(c, o, name, arg);		break;
	case 'i':
		conf_opt_ifname(name, arg);
		o->ifi = if_nametoindex(arg);
		if (!o->ifi)
			die("%s: no such interface '%s'", name, arg);
		break;
	case 'I':
		conf_opt_ifname(name, arg);
		strcpy(c->pasta_ifn, arg);
		o->ifname_set = 1;
		break;
	case 'D':	conf_opt_dns(c, o, name, arg);			break;
	case OPT_DNS_FORWARD: conf_opt_dns_forward(c, o, name, arg);	break;
	case 'S':	conf_opt_search(c, o, name, arg);		break;
	case 't': case 'u': case 'T': case 'U':
			conf_opt_ports(c, opt, name, arg);		break;
	case OPT_USERNS:
		conf_opt_copy(c->userns_path, sizeof(c->userns_path), name,
			      arg);
		o->userns_set = 1;
		break;
	case OPT_NETNS:
		if (o->netns_opt)
			die("%s: given twice", name);
		o->netns_opt = arg;
		break;
	case OPT_NSRUN_DIR:
		conf_opt_copy(c->netns_dir, sizeof(c->netns_dir), name, arg);
		o->nsrun_dir_set = 1;
		break;
	default:
		conf_opt_client(c, o, opt, name, arg);
		break;
	}
}

/**
 * conf_opt_name() - Spell an option the way the user gave it
 * @opt:	value returned by getopt_long()
 * @idx:	long option index, -1 if the short form was used
 * @buf:	output, "-x" or "--long-name"
 * @size:	size of @buf
 */
static void conf_opt_name(int opt, int idx, char *buf, size_t size)
{
	if (idx >= 0)
		snprintf(buf, size, "--%s", conf_longopts[idx].name);
	else
		snprintf(buf, size, "-%c", opt);
}

/**
 * conf_version() - Print "passt VERSION" or "pasta VERSION", exit 0
 * @c:		execution context
 */
static void __attribute__((noreturn)) conf_version(const struct ctx *c)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s %s\n", conf_mode_name(c),
		 PASST_VERSION);
	conf_write_str(STDOUT_FILENO, buf);
	exit(EXIT_SUCCESS);
}

/**
 * conf_parse_opts() - Parse all options, left to right
 * @c:		execution context
 * @o:		option state
 * @argc:	argument count
 * @argv:	arguments
 *
 * Unknown options and missing values are reported by getopt_long() itself
 * ("unrecognized option '--xyz'"); we add a hint and exit with status 1.
 */
static void conf_parse_opts(struct ctx *c, struct conf_opts *o, int argc,
			    char **argv)
{
	char name[64], hint[96];
	int opt, idx;

	for (;;) {
		idx = -1;
		opt = getopt_long(argc, argv, conf_optstring, conf_longopts,
				  &idx);
		if (opt == -1)
			return;

		if (opt == '?' || opt == ':') {
			snprintf(hint, sizeof(hint),
				 "Try '%s --help' for more information.\n",
				 conf_mode_name(c));
			conf_write_str(STDERR_FILENO, hint);
			exit(EXIT_FAILURE);
		}

		conf_opt_name(opt, idx, name, sizeof(name));
		conf_check_mode(c, opt, name);

		if (opt == 'h')
			conf_usage(c);
		if (opt == OPT_VERSION)
			conf_version(c);
		if (!conf_opt_flag(c, o, opt))
			conf_opt_value(c, o, opt, name, optarg);
	}
}

/**
 * conf_is_nsfs() - Is a path a namespace file (nsfs bind mount or proc link)?
 * @path:	path
 *
 * Return: 1 if it is, 0 if it isn't or doesn't exist
 */
static int conf_is_nsfs(const char *path)
{
	struct statfs sfs;

	if (statfs(path, &sfs))
		return 0;
	return (unsigned long)sfs.f_type == (unsigned long)NSFS_MAGIC;
}

/**
 * conf_ns_path_set() - Store a namespace file as target, with its directory
 *			and base name for the watch
 * @c:		execution context
 * @path:	path of the namespace file
 */
static void conf_ns_path_set(struct ctx *c, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (strlen(path) >= sizeof(c->netns_path))
		die("%s: path too long", path);
	strcpy(c->netns_path, path);

	if (!slash) {
		strcpy(c->netns_dir, ".");
		strcpy(c->netns_base, path);
		return;
	}
	if (slash == path)
		strcpy(c->netns_dir, "/");
	else
		snprintf(c->netns_dir, sizeof(c->netns_dir), "%.*s",
			 (int)(slash - path), path);
	strcpy(c->netns_base, slash + 1);
}

/**
 * conf_ns_pid() - Use a PID as namespace target
 * @c:		execution context
 * @name:	option (or argument) as spelt, for messages
 * @arg:	digits
 */
static void conf_ns_pid(struct ctx *c, const char *name, const char *arg)
{
	char path[64];
	unsigned long pid;

	if (conf_parse_ulong(arg, INT_MAX, &pid) || !pid)
		die("%s: invalid PID '%s'", name, arg);

	snprintf(path, sizeof(path), "/proc/%lu/ns/net", pid);
	if (access(path, F_OK) && errno == ENOENT)
		die("%s: no such process %lu", name, pid);

	snprintf(c->netns_path, sizeof(c->netns_path), "%lu", pid);
	c->netns_base[0] = '\0';
}

/**
 * conf_ns_target() - Recognise a namespace target: PID, PATH or NAME
 * @c:		execution context
 * @o:		option state
 * @name:	option (or the argument itself), for messages
 * @arg:	target as given
 * @must:	1 for --netns (die if not a namespace), 0 for a positional
 *		argument (which may be a command instead)
 *
 * Digits are a PID.  A string with '/' is a path to a namespace file.
 * Anything else is a NAME in the nsrun directory, or, if --nsrun-dir wasn't
 * given, in /run/netns (where ip-netns(8) keeps them) as a fallback.
 *
 * Return: 1 if @arg is a namespace target (stored in @c), 0 otherwise
 */
static int conf_ns_target(struct ctx *c, const struct conf_opts *o,
			  const char *name, const char *arg, int must)
{
	char path[PATH_MAX];

	if (*arg && strspn(arg, "0123456789") == strlen(arg)) {
		conf_ns_pid(c, name, arg);
		return 1;
	}

	if (strchr(arg, '/')) {
		if (conf_is_nsfs(arg)) {
			conf_ns_path_set(c, arg);
			return 1;
		}
		if (must)
			die("%s: '%s' is not a namespace file", name, arg);
		return 0;
	}

	if (*arg && snprintf(path, sizeof(path), "%s/%s", c->netns_dir,
			     arg) < (int)sizeof(path) && conf_is_nsfs(path)) {
		conf_ns_path_set(c, path);
		return 1;
	}
	if (*arg && !o->nsrun_dir_set &&
	    snprintf(path, sizeof(path), "%s/%s", CONF_NETNS_FALLBACK,
		     arg) < (int)sizeof(path) && conf_is_nsfs(path)) {
		conf_ns_path_set(c, path);
		return 1;
	}

	if (must)
		die("%s: no namespace '%s' in %s", name, arg, c->netns_dir);
	return 0;
}

/**
 * conf_positional() - Handle arguments after the options
 * @c:		execution context
 * @o:		option state
 * @argc:	argument count
 * @argv:	arguments, optind points at the first non-option
 *
 * passt takes none.  pasta takes one namespace target, or a command with
 * its arguments ("--" forces a command), or nothing (the user's shell).
 */
static void conf_positional(struct ctx *c, const struct conf_opts *o,
			    int argc, char **argv)
{
	int n = argc - optind;
	int dashdash = optind > 1 && !strcmp(argv[optind - 1], "--");

	if (c->mode == MODE_PASST) {
		if (n > 0)
			die("%s: unexpected argument (passt takes none)",
			    argv[optind]);
		return;
	}

	if (o->netns_opt) {
		if (n > 0)
			die("--netns: can't be combined with a command or "
			    "another target ('%s')", argv[optind]);
		conf_ns_target(c, o, "--netns", o->netns_opt, 1);
		return;
	}

	c->pasta_argv = NULL;
	if (n <= 0)
		return;

	if (!dashdash && n == 1 &&
	    conf_ns_target(c, o, argv[optind], argv[optind], 0))
		return;

	c->pasta_argv = &argv[optind];
}

/**
 * conf_ports_bind_af() - Does a table bind to an address of a family?
 * @fwd:	forwarding table
 * @af:		AF_INET or AF_INET6
 *
 * Return: 1 if at least one bind address is of family @af
 */
static int conf_ports_bind_af(const struct fwd_ports *fwd, int af)
{
	int i;

	for (i = 1; i < fwd->n_binds; i++) {
		if (fwd->binds[i].af == af)
			return 1;
	}
	return 0;
}

/**
 * conf_check_family() - Refuse addresses of a family disabled by -4 or -6
 * @c:		execution context
 * @o:		option state
 */
static void conf_check_family(const struct ctx *c, const struct conf_opts *o)
{
	const char *only = o->v4_only ? "--ipv4-only" : "--ipv6-only";
	int v4 = !o->v6_only, v6 = !o->v4_only;

	if (o->v4_only && o->v6_only)
		die("--ipv6-only: can't be combined with --ipv4-only");

	if ((!v4 && o->addr4_set) || (!v6 && o->addr6_set))
		die("--address: address family disabled by %s", only);
	if ((!v4 && o->gw4_set) || (!v6 && o->gw6_set))
		die("--gateway: address family disabled by %s", only);
	if (!v4 && o->prefix4_set)
		die("--netmask: IPv4 disabled by %s", only);
	if ((!v4 && o->n_dns4) || (!v6 && o->n_dns6))
		die("--dns: address family disabled by %s", only);
	if ((!v4 && o->dnsfwd4_set) || (!v6 && o->dnsfwd6_set))
		die("--dns-forward: address family disabled by %s", only);
	if ((!v4 && (o->maplo4_set || o->mapguest4_set || o->dnshost4_set ||
		     o->out4_set || *c->ip4.ifname_out)) ||
	    (!v6 && (o->maplo6_set || o->mapguest6_set || o->dnshost6_set ||
		     o->out6_set || *c->ip6.ifname_out)))
		die("%s: disables the address family of --map-host-loopback, "
		    "--map-guest-addr, --dns-host, --outbound or "
		    "--outbound-if%c", only, v4 ? '6' : '4');
	if (c->mtu && c->mtu < CONF_MTU_MIN6 && o->v6_only)
		die("--mtu: IPv6 needs an MTU of at least %d", CONF_MTU_MIN6);

	if ((!v4 && conf_ports_bind_af(&c->tcp_in, AF_INET)) ||
	    (!v6 && conf_ports_bind_af(&c->tcp_in, AF_INET6)))
		die("-t: bind address family disabled by %s", only);
	if ((!v4 && conf_ports_bind_af(&c->udp_in, AF_INET)) ||
	    (!v6 && conf_ports_bind_af(&c->udp_in, AF_INET6)))
		die("-u: bind address family disabled by %s", only);
	if ((!v4 && conf_ports_bind_af(&c->tcp_out, AF_INET)) ||
	    (!v6 && conf_ports_bind_af(&c->tcp_out, AF_INET6)))
		die("-T: bind address family disabled by %s", only);
	if ((!v4 && conf_ports_bind_af(&c->udp_out, AF_INET)) ||
	    (!v6 && conf_ports_bind_af(&c->udp_out, AF_INET6)))
		die("-U: bind address family disabled by %s", only);
}

/**
 * conf_check_conflicts() - Refuse options that contradict each other
 * @c:		execution context
 * @o:		option state
 */
static void conf_check_conflicts(const struct ctx *c,
				 const struct conf_opts *o)
{
	int target = c->mode == MODE_PASTA && *c->netns_path;

	conf_check_family(c, o);

	if (c->no_tcp && (c->tcp_in.mode > FWD_NONE ||
			  c->tcp_out.mode > FWD_NONE))
		die("--no-tcp: can't be combined with TCP port forwarding");
	if (c->no_udp && (c->udp_in.mode > FWD_NONE ||
			  c->udp_out.mode > FWD_NONE))
		die("--no-udp: can't be combined with UDP port forwarding");

	if (o->log_size_set && !*c->log_file)
		die("--log-size: needs --log-file");
	if ((o->maplo4_set || o->maplo6_set) && c->no_map_gw)
		die("--map-host-loopback: can't be combined with --no-map-gw");
	if (c->fd_tap_given && *c->sock_path)
		die("--fd: can't be combined with --socket");

	if (c->mode != MODE_PASTA)
		return;

	if (c->fd_tap_given && !target)
		die("--fd: needs a namespace target (PID, PATH or NAME) "
		    "holding the tap device");
	if (o->userns_set && !target)
		die("--userns: needs a namespace target (PID, PATH or NAME)");
	if (c->netns_only && !target)
		die("--netns-only: needs a namespace target (PID, PATH or "
		    "NAME)");
	if (c->netns_only && o->userns_set)
		die("--netns-only: can't be combined with --userns");
	if (c->no_netns_quit && !target)
		die("--no-netns-quit: needs a namespace target (PID, PATH or "
		    "NAME)");
}

/**
 * conf_logging() - Settle foreground and stderr logging, start the log
 * @c:		execution context
 *
 * pasta running a command stays in the foreground: the command's exit is
 * our exit.  Start-up errors must reach whoever started us even if we are
 * about to daemonise, so stderr stays on until the daemon detaches (the
 * daemonising code switches it to c->log_stderr).  The log file, if any, is
 * opened here, before anything else can fail.
 */
static void conf_logging(struct ctx *c)
{
	if (c->debug)
		c->foreground = 1;
	if (c->mode == MODE_PASTA && !*c->netns_path)
		c->foreground = 1;
	if (c->debug)
		c->quiet = 0;

	c->log_stderr = c->foreground;
	log_init(conf_mode_name(c), 1, c->debug, c->trace, c->quiet);

	if (!c->log_size)
		c->log_size = LOG_FILE_SIZE_DEFAULT;
	if (*c->log_file && log_file_open(c->log_file, c->log_size))
		die("--log-file: can't open %s: %s", c->log_file,
		    strerror(errno));
}

/**
 * conf_gw4_derive() - Pick a gateway when the host route has none
 * @addr:	guest address
 * @prefix_len:	guest prefix length
 *
 * The first address of the subnet (the second if that is the guest's), or
 * the other address of a /31 or /32.  We answer ARP for any address, so any
 * address in the subnet but the guest's works.
 *
 * Return: gateway address
 */
static struct in_addr conf_gw4_derive(struct in_addr addr, int prefix_len)
{
	uint32_t a = ntohl(addr.s_addr);
	uint32_t mask = ntohl(conf_prefix_mask(prefix_len).s_addr);
	uint32_t g = prefix_len >= 31 ? a ^ 1 : (a & mask) | 1;
	struct in_addr gw;

	if (g == a)
		g = (a & mask) | 2;
	gw.s_addr = htonl(g);
	return gw;
}

/**
 * conf_ext_if() - Host interface to take defaults from, for one IP version
 * @o:		option state
 * @s:		netlink socket
 * @af:		AF_INET or AF_INET6
 *
 * Return: -i interface, else the one of the first default route, 0 if none
 */
static unsigned int conf_ext_if(const struct conf_opts *o, int s, int af)
{
	int r;

	if (o->ifi)
		return o->ifi;
	r = (int)nl_get_ext_if(s, (sa_family_t)af);
	return r > 0 ? (unsigned int)r : 0;
}

/**
 * conf_ip4() - IPv4 defaults from the host, then -a -n -g on top
 * @c:		execution context
 * @o:		option state
 * @s:		netlink socket
 */
static void conf_ip4(struct ctx *c, const struct conf_opts *o, int s)
{
	struct in6_addr ll_unused;	/* in case netlink writes it anyway */
	struct in_addr addr = { 0 }, gw = { 0 };
	unsigned int ifi;
	int plen = 0;

	c->ifi4 = 0;
	if (o->v6_only)
		return;

	ifi = conf_ext_if(o, s, AF_INET);
	if (!ifi) {
		if (o->addr4_set || o->gw4_set)
			die("--address: no IPv4 default route on the host, "
			    "pick an interface with -i");
		info("IPv4: no default route on the host, IPv4 disabled");
		return;
	}

	if (nl_addr_get(s, ifi, AF_INET, &addr, &plen, &ll_unused) < 0)
		addr.s_addr = 0;
	if (!o->addr4_set && !addr.s_addr) {
		info("IPv4: no address on the host interface, IPv4 disabled");
		return;
	}
	if (!o->addr4_set)
		c->ip4.addr = addr;
	if (!o->prefix4_set)
		c->ip4.prefix_len = plen > 0 && plen <= 32 ? plen : 24;

	if (!o->gw4_set) {
		if (nl_route_get_def(s, ifi, AF_INET, &gw) < 0)
			gw.s_addr = 0;
		c->ip4.gw = gw.s_addr ? gw : conf_gw4_derive(c->ip4.addr,
							   c->ip4.prefix_len);
	}
	if (c->ip4.gw.s_addr == c->ip4.addr.s_addr)
		die("--gateway: gateway and guest address are the same");

	if (!if_indextoname(ifi, c->ifname4))
		c->ifname4[0] = '\0';
	c->ip4.addr_seen = c->ip4.addr;
	c->ifi4 = ifi;
}

/**
 * conf_ip6() - IPv6 defaults from the host, then -a -g on top
 * @c:		execution context
 * @o:		option state
 * @s:		netlink socket
 *
 * Our link-local address (source of NDP and DHCPv6, so the router that
 * SLAAC guests route through) is the gateway if that is link-local, as it
 * usually is, so the guest sees the same router as the host; otherwise it is
 * fe80::1.  Without a host gateway, the guest's gateway is that address.
 */
static void conf_ip6(struct ctx *c, const struct conf_opts *o, int s)
{
	struct in6_addr addr = IN6ADDR_ANY_INIT, gw = IN6ADDR_ANY_INIT;
	struct in6_addr ll = IN6ADDR_ANY_INIT;
	unsigned int ifi;
	int plen = 0;

	c->ifi6 = 0;
	if (o->v4_only)
		return;

	ifi = conf_ext_if(o, s, AF_INET6);
	if (!ifi) {
		if (o->addr6_set || o->gw6_set)
			die("--address: no IPv6 default route on the host, "
			    "pick an interface with -i");
		info("IPv6: no default route on the host, IPv6 disabled");
		return;
	}

	if (nl_addr_get(s, ifi, AF_INET6, &addr, &plen, &ll) < 0)
		addr = in6addr_any;
	if (!o->addr6_set && IN6_IS_ADDR_UNSPECIFIED(&addr)) {
		info("IPv6: no global address on the host interface, IPv6 "
		     "disabled");
		return;
	}
	if (!o->addr6_set)
		c->ip6.addr = addr;
	c->ip6.prefix_len = plen > 0 && plen <= 128 ? plen : 64;

	if (!o->gw6_set && nl_route_get_def(s, ifi, AF_INET6, &gw) >= 0)
		c->ip6.gw = gw;

	if (IN6_IS_ADDR_LINKLOCAL(&c->ip6.gw)) {
		c->ip6.our_tap_ll = c->ip6.gw;
	} else {
		inet_pton(AF_INET6, "fe80::1", &c->ip6.our_tap_ll);
		if (IN6_IS_ADDR_UNSPECIFIED(&c->ip6.gw))
			c->ip6.gw = c->ip6.our_tap_ll;
	}
	if (IN6_ARE_ADDR_EQUAL(&c->ip6.gw, &c->ip6.addr))
		die("--gateway: gateway and guest address are the same");

	if (!if_indextoname(ifi, c->ifname6))
		c->ifname6[0] = '\0';
	c->ip6.addr_seen = c->ip6.addr;
	c->ifi6 = ifi;
}

/**
 * conf_mac() - Our MAC towards the guest: -M, else the host interface's
 * @c:		execution context
 * @o:		option state
 * @s:		netlink socket
 */
static void conf_mac(struct ctx *c, const struct conf_opts *o, int s)
{
	static const unsigned char zero[ETH_ADDR_LEN];
	unsigned int ifi = c->ifi4 ? c->ifi4 : c->ifi6;

	if (o->mac_set)
		return;

	memset(c->our_tap_mac, 0, ETH_ADDR_LEN);
	if (ifi && nl_link_get_mac(s, ifi, c->our_tap_mac) < 0)
		memset(c->our_tap_mac, 0, ETH_ADDR_LEN);

	/* tun, ppp, wireguard...: no MAC, or nothing usable as source */
	if (!memcmp(c->our_tap_mac, zero, ETH_ADDR_LEN) ||
	    (c->our_tap_mac[0] & 1))
		memcpy(c->our_tap_mac, conf_mac_default, ETH_ADDR_LEN);
}

/**
 * conf_host() - Read addresses, routes and MAC of the host
 * @c:		execution context
 * @o:		option state
 */
static void conf_host(struct ctx *c, const struct conf_opts *o)
{
	int s = nl_sock_open();

	if (s < 0)
		die("Can't open netlink socket to read the host's "
		    "configuration");

	conf_ip4(c, o, s);
	conf_ip6(c, o, s);
	if (!c->ifi4 && !c->ifi6)
		die("No usable IPv4 or IPv6 set-up on the host: need a default"
		    " route and an address (or give -i and -a)");

	if (c->ifi6 && c->mtu && c->mtu < CONF_MTU_MIN6) {
		info("IPv6 disabled: MTU %d is below %d", c->mtu,
		     CONF_MTU_MIN6);
		c->ifi6 = 0;
		if (!c->ifi4)
			die("--mtu: below %d, and IPv4 is not available",
			    CONF_MTU_MIN6);
	}

	conf_mac(c, o, s);
	close(s);
}

/**
 * conf_map_default() - --map-host-loopback defaults to the gateway, unless
 *			--no-map-gw (or "none")
 * @c:		execution context
 * @o:		option state
 */
static void conf_map_default(struct ctx *c, const struct conf_opts *o)
{
	if (c->no_map_gw)
		return;
	if (!o->maplo4_set && c->ifi4)
		c->ip4.map_host_lo = c->ip4.gw;
	if (!o->maplo6_set && c->ifi6)
		c->ip6.map_host_lo = c->ip6.gw;
}

/**
 * struct conf_resolv - What /etc/resolv.conf of the host says
 * @ns4:	IPv4 nameservers
 * @n4:		entries in @ns4
 * @ns6:	IPv6 nameservers
 * @n6:		entries in @ns6
 * @search:	search list (last "search" or "domain" line wins)
 * @n_search:	entries in @search
 */
struct conf_resolv {
	struct in_addr ns4[MAXNS];
	int n4;
	struct in6_addr ns6[MAXNS];
	int n6;
	struct fqdn search[MAXDNSRCH + 1];
	int n_search;
};

static char conf_resolv_buf[CONF_RESOLV_MAX + 1];

/**
 * conf_resolv_read() - Read /etc/resolv.conf into a static buffer
 *
 * Return: the NUL-terminated contents, empty if the file can't be read
 */
static char *conf_resolv_read(void)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	conf_resolv_buf[0] = '\0';
	fd = open(CONF_RESOLV_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return conf_resolv_buf;

	while (len < CONF_RESOLV_MAX) {
		n = read(fd, conf_resolv_buf + len, CONF_RESOLV_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	conf_resolv_buf[len] = '\0';
	return conf_resolv_buf;
}

/**
 * conf_resolv_ns() - Handle a "nameserver ADDR" line
 * @r:		parsed resolv.conf
 * @arg:	ADDR, NUL-terminated, possibly with a %zone suffix
 */
static void conf_resolv_ns(struct conf_resolv *r, char *arg)
{
	struct in6_addr a6;
	struct in_addr a4;
	char *pct = strchr(arg, '%');

	if (pct)
		*pct = '\0';

	switch (conf_parse_addr(arg, &a4, &a6)) {
	case AF_INET:
		if (r->n4 < MAXNS && a4.s_addr)
			r->ns4[r->n4++] = a4;
		return;
	case AF_INET6:
		if (r->n6 < MAXNS && !IN6_IS_ADDR_UNSPECIFIED(&a6))
			r->ns6[r->n6++] = a6;
		return;
	}
}

/**
 * conf_resolv_search() - Handle a "search" or "domain" line
 * @r:		parsed resolv.conf
 * @p:		rest of the line: domains separated by white space
 *
 * Invalid names are skipped, names beyond MAXDNSRCH are dropped.
 */
static void conf_resolv_search(struct conf_resolv *r, const char *p)
{
	memset(r->search, 0, sizeof(r->search));
	r->n_search = 0;

	while (*p) {
		size_t len = strcspn(p, " \t");

		if (len)
			conf_search_add(r->search, &r->n_search, p, len);
		p += len;
		p += strspn(p, " \t");
	}
}

/**
 * conf_resolv_parse() - Parse resolv.conf contents, see resolv.conf(5)
 * @r:		parsed result
 * @buf:	contents, modified (lines are split in place)
 */
static void conf_resolv_parse(struct conf_resolv *r, char *buf)
{
	char *line, *next, *kw, *arg;

	memset(r, 0, sizeof(*r));

	for (line = buf; *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';

		kw = line + strspn(line, " \t");
		if (*kw == '#' || *kw == ';')
			continue;
		arg = kw + strcspn(kw, " \t");
		if (*arg)
			*arg++ = '\0';
		arg += strspn(arg, " \t");
		arg[strcspn(arg, "#;\r")] = '\0';

		if (!strcmp(kw, "nameserver")) {
			arg[strcspn(arg, " \t")] = '\0';
			conf_resolv_ns(r, arg);
		} else if (!strcmp(kw, "search") || !strcmp(kw, "domain")) {
			conf_resolv_search(r, arg);
		}
	}
}

/**
 * conf_dns4() - IPv4 resolvers for the guest
 * @c:		execution context
 * @o:		option state
 * @r:		host's resolv.conf
 *
 * A loopback resolver of the host (127.0.0.0/8) can't be reached by the
 * guest: the guest gets the gateway address instead, and DNS queries to
 * the gateway go to that resolver (c->ip4.dns_match/dns_host).  With
 * --no-map-gw, loopback resolvers are dropped.
 */
static void conf_dns4(struct ctx *c, const struct conf_opts *o,
		      const struct conf_resolv *r)
{
	int i, j, n = 0;

	if (!c->ifi4)
		return;

	if (o->dnsfwd4_set) {
		if (!r->n4 && !o->dnshost4_set)
			die("--dns-forward: no IPv4 resolver in %s to forward "
			    "to", CONF_RESOLV_PATH);
		if (!o->dnshost4_set)
			c->ip4.dns_host = r->ns4[0];
		if (!o->dns_set)
			c->ip4.dns[0] = c->ip4.dns_match;
		return;
	}
	if (o->dns_set)
		return;

	for (i = 0; i < r->n4 && n < MAXNS; i++) {
		struct in_addr a = r->ns4[i];

		if ((ntohl(a.s_addr) >> 24) == 127) {
			if (c->no_map_gw)
				continue;
			if (!c->ip4.dns_match.s_addr) {
				c->ip4.dns_match = c->ip4.gw;
				if (!o->dnshost4_set)
					c->ip4.dns_host = a;
			}
			a = c->ip4.gw;
		}
		for (j = 0; j < n && c->ip4.dns[j].s_addr != a.s_addr; j++)
			;
		if (j == n)
			c->ip4.dns[n++] = a;
	}
}

/**
 * conf_dns6() - IPv6 resolvers for the guest, as conf_dns4() does for IPv4
 * @c:		execution context
 * @o:		option state
 * @r:		host's resolv.conf
 */
static void conf_dns6(struct ctx *c, const struct conf_opts *o,
		      const struct conf_resolv *r)
{
	int i, j, n = 0;

	if (!c->ifi6)
		return;

	if (o->dnsfwd6_set) {
		if (!r->n6 && !o->dnshost6_set)
			die("--dns-forward: no IPv6 resolver in %s to forward "
			    "to", CONF_RESOLV_PATH);
		if (!o->dnshost6_set)
			c->ip6.dns_host = r->ns6[0];
		if (!o->dns_set)
			c->ip6.dns[0] = c->ip6.dns_match;
		return;
	}
	if (o->dns_set)
		return;

	for (i = 0; i < r->n6 && n < MAXNS; i++) {
		struct in6_addr a = r->ns6[i];

		if (IN6_IS_ADDR_LOOPBACK(&a)) {
			if (c->no_map_gw)
				continue;
			if (IN6_IS_ADDR_UNSPECIFIED(&c->ip6.dns_match)) {
				c->ip6.dns_match = c->ip6.gw;
				if (!o->dnshost6_set)
					c->ip6.dns_host = a;
			}
			a = c->ip6.gw;
		}
		for (j = 0; j < n && !IN6_ARE_ADDR_EQUAL(&c->ip6.dns[j], &a);
		     j++)
			;
		if (j == n)
			c->ip6.dns[n++] = a;
	}
}

/**
 * conf_dns() - Resolvers and search list for the guest, and whether to send
 *		them with DHCP, NDP and DHCPv6
 * @c:		execution context
 * @o:		option state
 */
static void conf_dns(struct ctx *c, const struct conf_opts *o)
{
	static struct conf_resolv r;

	conf_resolv_parse(&r, conf_resolv_read());

	/* -D for one family only: the other family has nothing either */
	if (o->dns_set && !c->ifi4)
		memset(c->ip4.dns, 0, sizeof(c->ip4.dns));
	if (o->dns_set && !c->ifi6)
		memset(c->ip6.dns, 0, sizeof(c->ip6.dns));

	conf_dns4(c, o, &r);
	conf_dns6(c, o, &r);

	if (!o->search_set)
		memcpy(c->dns_search, r.search, sizeof(c->dns_search));

	/* passt: a VM expects DHCP to tell everything; pasta: the namespace
	 * shares the host's /etc/resolv.conf unless told otherwise
	 */
	c->no_dhcp_dns = o->dhcp_dns >= 0 ? !o->dhcp_dns
					  : c->mode == MODE_PASTA;
	c->no_dhcp_dns_search = o->dhcp_search >= 0 ? !o->dhcp_search
						    : c->mode == MODE_PASTA;
}

/**
 * conf_ports_default() - Defaults for one table not set by any option
 * @c:		execution context
 * @fwd:	forwarding table
 * @off:	protocol disabled (--no-tcp, --no-udp)
 */
static void conf_ports_default(const struct ctx *c, struct fwd_ports *fwd,
			       int off)
{
	if (fwd->n_binds < 1)
		fwd->n_binds = 1;
	if (fwd->mode != FWD_UNSET)
		return;

	if (c->mode == MODE_PASTA && !off) {
		fwd->mode = FWD_AUTO;
		conf_port_fill(fwd, 0);
		return;
	}
	fwd->mode = FWD_NONE;
}

/**
 * conf_ports_finish() - UDP follows TCP unless given, then mode defaults
 * @c:		execution context
 *
 * If -u (-U) isn't given but -t (-T) is, UDP forwards the same ports as TCP,
 * with the same bind addresses, without translation.
 */
static void conf_ports_finish(struct ctx *c)
{
	if (!c->no_udp && c->udp_in.mode == FWD_UNSET &&
	    c->tcp_in.mode != FWD_UNSET) {
		c->udp_in = c->tcp_in;
		memset(c->udp_in.delta, 0, sizeof(c->udp_in.delta));
	}
	if (!c->no_udp && c->udp_out.mode == FWD_UNSET &&
	    c->tcp_out.mode != FWD_UNSET) {
		c->udp_out = c->tcp_out;
		memset(c->udp_out.delta, 0, sizeof(c->udp_out.delta));
	}

	conf_ports_default(c, &c->tcp_in, c->no_tcp);
	conf_ports_default(c, &c->tcp_out, c->no_tcp);
	conf_ports_default(c, &c->udp_in, c->no_udp);
	conf_ports_default(c, &c->udp_out, c->no_udp);

	if (c->mode == MODE_PASST)	/* no outbound forwarding in passt */
		c->tcp_out.mode = c->udp_out.mode = FWD_NONE;
}

/**
 * conf() - Fill the execution context from the command line and the host
 * @c:		execution context, c->mode already set, fds set to -1
 * @argc:	argument count
 * @argv:	arguments
 *
 * Exits with status 0 for --help and --version, 1 with a one-line message
 * for any invalid option, value or combination.
 */
void conf(struct ctx *c, int argc, char **argv)
{
	struct conf_opts o;

	memset(&o, 0, sizeof(o));
	o.dhcp_dns = o.dhcp_search = -1;
	c->pasta_argv = NULL;

	conf_parse_opts(c, &o, argc, argv);
	if (!o.nsrun_dir_set)
		snprintf(c->netns_dir, sizeof(c->netns_dir),
			 "/run/user/%u/netns", (unsigned int)getuid());
	conf_positional(c, &o, argc, argv);
	conf_check_conflicts(c, &o);
	conf_logging(c);

	conf_host(c, &o);
	conf_map_default(c, &o);
	conf_dns(c, &o);
	conf_ports_finish(c);
	if (!o.busy_poll_set)
		conf_busy_poll_default(c);

	if (c->mode == MODE_PASTA && !*c->pasta_ifn && !c->fd_tap_given)
		strcpy(c->pasta_ifn, *c->ifname4 ? c->ifname4 :
				     *c->ifname6 ? c->ifname6 : "tap0");

	if (!c->runas_set) {
		c->runas_uid = geteuid();
		c->runas_gid = getegid();
	}
}

/**
 * conf_ntop4() - Format an IPv4 address
 * @a:		address
 * @buf:	output, INET_ADDRSTRLEN bytes at least
 *
 * Return: @buf
 */
static const char *conf_ntop4(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/**
 * conf_ntop6() - Format an IPv6 address
 * @a:		address
 * @buf:	output, INET6_ADDRSTRLEN bytes at least
 *
 * Return: @buf
 */
static const char *conf_ntop6(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/**
 * conf_print_search() - Log the search list, if it is sent to the guest
 * @c:		execution context
 */
static void conf_print_search(const struct ctx *c)
{
	int i;

	if (c->no_dhcp_dns_search || !*c->dns_search[0].n)
		return;

	info("    search:");
	for (i = 0; i < MAXDNSRCH && *c->dns_search[i].n; i++)
		info("        %s", c->dns_search[i].n);
}

/**
 * conf_print4() - Log the IPv4 part of the summary
 * @c:		execution context
 */
static void conf_print4(const struct ctx *c)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int i;

	info("%s:", c->no_dhcp ? "ARP" : "ARP/DHCP");
	info("    address: %s", conf_ntop4(c->ip4.addr, a));
	info("    mask: %s", conf_ntop4(conf_prefix_mask(c->ip4.prefix_len),
				       a));
	info("    router: %s", conf_ntop4(c->ip4.gw, a));

	if (!c->no_dhcp_dns && c->ip4.dns[0].s_addr) {
		info("    DNS:");
		for (i = 0; i < MAXNS && c->ip4.dns[i].s_addr; i++)
			info("        %s", conf_ntop4(c->ip4.dns[i], a));
	}
	if (c->ip4.dns_host.s_addr)
		info("    DNS to %s goes to %s",
		     conf_ntop4(c->ip4.dns_match, a),
		     conf_ntop4(c->ip4.dns_host, b));
	if (!c->no_dhcp)
		conf_print_search(c);
}

/**
 * conf_print6() - Log the IPv6 part of the summary
 * @c:		execution context
 */
static void conf_print6(const struct ctx *c)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int i;

	info("NDP%s%s:", c->no_ra ? "" : "/RA",
	     c->no_dhcpv6 ? "" : "/DHCPv6");
	info("    address: %s/%d", conf_ntop6(&c->ip6.addr, a),
	     c->ip6.prefix_len);
	info("    router: %s", conf_ntop6(&c->ip6.gw, a));
	info("    our link-local: %s", conf_ntop6(&c->ip6.our_tap_ll, a));

	if (!c->no_dhcp_dns && !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.dns[0])) {
		info("    DNS:");
		for (i = 0; i < MAXNS &&
			    !IN6_IS_ADDR_UNSPECIFIED(&c->ip6.dns[i]); i++)
			info("        %s", conf_ntop6(&c->ip6.dns[i], a));
	}
	if (!IN6_IS_ADDR_UNSPECIFIED(&c->ip6.dns_host))
		info("    DNS to %s goes to %s",
		     conf_ntop6(&c->ip6.dns_match, a),
		     conf_ntop6(&c->ip6.dns_host, b));
	if (!c->no_ra || !c->no_dhcpv6)
		conf_print_search(c);
}

/**
 * conf_print_names() - Log the host name and FQDN given to the guest
 * @c:		execution context
 */
static void conf_print_names(const struct ctx *c)
{
	if (*c->hostname)
		info("Host name: %s", c->hostname);
	if (*c->fqdn.n)
		info("FQDN: %s", c->fqdn.n);
}

/**
 * conf_print_disabled() - Log which protocols and services are off
 * @c:		execution context
 */
static void conf_print_disabled(const struct ctx *c)
{
	char buf[128] = "";
	size_t n = 0;

#define CONF_OFF(cond, what)						\
	do {								\
		if ((cond) && n < sizeof(buf))				\
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,	\
					      " %s", (what));		\
	} while (0)

	CONF_OFF(!c->ifi4, "IPv4");
	CONF_OFF(!c->ifi6, "IPv6");
	CONF_OFF(c->no_tcp, "TCP");
	CONF_OFF(c->no_udp, "UDP");
	CONF_OFF(c->no_icmp, "ICMP");
	CONF_OFF(c->ifi4 && c->no_dhcp, "DHCP");
	CONF_OFF(c->ifi6 && c->no_ndp, "NDP");
	CONF_OFF(c->ifi6 && c->no_ra, "RA");
	CONF_OFF(c->ifi6 && c->no_dhcpv6, "DHCPv6");
#undef CONF_OFF

	if (n)
		info("Disabled:%s", buf);
}

/**
 * conf_print() - Log the start-up summary (info level: silent with -q)
 * @c:		execution context
 */
void conf_print(const struct ctx *c)
{
	const unsigned char *m = c->our_tap_mac;

	if (c->ifi4 && c->ifi6 && !strcmp(c->ifname4, c->ifname6))
		info("Outbound interface: %s", c->ifname4);
	else if (c->ifi4 && c->ifi6)
		info("Outbound interfaces: %s (IPv4), %s (IPv6)", c->ifname4,
		     c->ifname6);
	else
		info("Outbound interface: %s (%s only)",
		     c->ifi4 ? c->ifname4 : c->ifname6,
		     c->ifi4 ? "IPv4" : "IPv6");

	if (c->mode == MODE_PASTA)
		info("Namespace interface: %s", c->pasta_ifn);
	info("MAC:");
	info("    host: %02x:%02x:%02x:%02x:%02x:%02x",
	     m[0], m[1], m[2], m[3], m[4], m[5]);
	if (c->mode == MODE_PASTA && c->guest_mac_set) {
		m = c->guest_mac;
		info("    namespace: %02x:%02x:%02x:%02x:%02x:%02x",
		     m[0], m[1], m[2], m[3], m[4], m[5]);
	}
	if (c->mtu)
		info("MTU: %d", c->mtu);

	if (c->ifi4)
		conf_print4(c);
	if (c->ifi6)
		conf_print6(c);
	conf_print_names(c);
	conf_print_disabled(c);
}
