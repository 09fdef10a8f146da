/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * passt.h - The execution context shared by every module, and the epoll
 * reference that ties each registered file descriptor to its handler.
 *
 * One struct ctx is allocated statically in main(); configuration is written
 * into it once by conf() and the few global fds and observed guest addresses
 * are updated at run time.  Per-protocol state lives inside each module.
 */

#ifndef PASST_H
#define PASST_H

#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#include "fwd.h"

#define VERSION		"0.1"

#define ETH_ADDR_LEN	6
#define MAXNS		3	/* resolvers kept per IP version */
#define MAXDNSRCH	6	/* search domains kept */
#define DNAME_MAX	256	/* domain name in presentation form, with NUL */
#define UNIX_SOCK_MAX	64	/* /tmp/passt_N.socket, N = 1..UNIX_SOCK_MAX */
#define SOCK_PATH_MAX	sizeof(((struct sockaddr_un *)0)->sun_path)
#define TAP_MTU_MAX	65520	/* MTU set in pasta with --config-net */

/**
 * enum passt_mode - Guest side back-end
 * @MODE_PASST:	qemu connects to a UNIX domain stream socket
 * @MODE_PASTA:	tap device in a network namespace
 */
enum passt_mode {
	MODE_PASST,
	MODE_PASTA,
};

/**
 * enum epoll_type - What a registered file descriptor is, for dispatch
 */
enum epoll_type {
	EPOLL_TYPE_NONE = 0,
	EPOLL_TYPE_TAP_PASST,	/* connected qemu socket */
	EPOLL_TYPE_TAP_PASTA,	/* tap device fd */
	EPOLL_TYPE_TAP_LISTEN,	/* listening UNIX socket (passt) */
	EPOLL_TYPE_TCP,		/* TCP socket connected for a tap flow */
	EPOLL_TYPE_TCP_SPLICE,	/* spliced TCP socket (pasta) */
	EPOLL_TYPE_TCP_LISTEN,	/* TCP forwarding listener */
	EPOLL_TYPE_TCP_TIMER,	/* per-connection timerfd */
	EPOLL_TYPE_UDP,		/* UDP socket */
	EPOLL_TYPE_PING,	/* ICMP/ICMPv6 ping socket */
	EPOLL_TYPE_NSQUIT_INOTIFY, /* watch of the namespace directory */
	EPOLL_TYPE_NSQUIT_PIDFD, /* pidfd of the process owning the namespace */
	EPOLL_TYPE_MAX = EPOLL_TYPE_NSQUIT_PIDFD,
};

/**
 * union epoll_ref - 64-bit reference stored with each epoll registration
 * @type:	enum epoll_type, selects the handler in passt.c
 * @fd:		file descriptor number (fds above 2^24 are never registered)
 * @data:	type-specific: connection index, port, namespace flag ...
 * @u64:	the whole reference, as passed in epoll_event.data
 */
union epoll_ref {
	struct {
		uint32_t type:8;
		uint32_t fd:24;
		uint32_t data;
	};
	uint64_t u64;
};

/**
 * struct ip4_ctx - IPv4 configuration and observed state
 * @addr:	address assigned to the guest (the host's, by default)
 * @addr_seen:	latest source address seen from the guest
 * @prefix_len:	prefix length of @addr
 * @gw:		default gateway given to the guest
 * @dns:	resolvers given to the guest, zero-terminated list
 * @dns_match:	--dns-forward address, traffic to it goes to @dns_host
 * @dns_host:	resolver of the host that receives @dns_match traffic
 *		(--dns-host overrides)
 * @map_host_lo:	--map-host-loopback: guest destination that means the
 *		host's loopback (the gateway by default, 0 with "none")
 * @map_guest_addr:	--map-guest-addr: guest destination that means the
 *		host's own address (0 if not given)
 * @addr_out:	-o/--outbound: source address for outbound sockets, or 0
 * @ifname_out:	--outbound-if4: interface outbound sockets bind to
 */
struct ip4_ctx {
	struct in_addr addr;
	struct in_addr addr_seen;
	int prefix_len;
	struct in_addr gw;
	struct in_addr dns[MAXNS + 1];
	struct in_addr dns_match;
	struct in_addr dns_host;
	struct in_addr map_host_lo;
	struct in_addr map_guest_addr;
	struct in_addr addr_out;
	char ifname_out[IFNAMSIZ];
};

/**
 * struct ip6_ctx - IPv6 configuration and observed state
 * @addr:	global address assigned to the guest (the host's)
 * @addr_seen:	latest global source address seen from the guest
 * @addr_ll_seen: latest link-local source address seen from the guest
 * @prefix_len:	prefix length of @addr (64 unless the host says otherwise)
 * @gw:		default gateway (usually link-local) given to the guest
 * @our_tap_ll:	our link-local address on the tap side, source of NDP/DHCPv6
 * @dns:	resolvers given to the guest, zero-terminated (::) list
 * @dns_match:	--dns-forward address
 * @dns_host:	resolver of the host that receives @dns_match traffic
 *		(--dns-host overrides)
 * @map_host_lo:	--map-host-loopback (the gateway by default, :: with
 *		"none")
 * @map_guest_addr:	--map-guest-addr, :: if not given
 * @addr_out:	-o/--outbound: source address for outbound sockets, or ::
 * @ifname_out:	--outbound-if6: interface outbound sockets bind to
 */
struct ip6_ctx {
	struct in6_addr addr;
	struct in6_addr addr_seen;
	struct in6_addr addr_ll_seen;
	int prefix_len;
	struct in6_addr gw;
	struct in6_addr our_tap_ll;
	struct in6_addr dns[MAXNS + 1];
	struct in6_addr dns_match;
	struct in6_addr dns_host;
	struct in6_addr map_host_lo;
	struct in6_addr map_guest_addr;
	struct in6_addr addr_out;
	char ifname_out[IFNAMSIZ];
};

/**
 * struct fqdn - A domain name in presentation form ("example.org")
 * @n:		NUL-terminated name, empty when unused
 */
struct fqdn {
	char n[DNAME_MAX];
};

/**
 * struct ctx - Execution context
 * @mode:		passt or pasta
 * @debug:		-d: debug messages, implies foreground and stderr
 * @trace:		--trace: extra verbose packet-level messages
 * @quiet:		-q: only warnings and errors
 * @foreground:		-f: do not daemonise
 * @log_stderr:		messages go to stderr as well (not daemonised)
 * @pid_file:		-P: path of the PID file, empty if none
 * @pcap:		-p: path of the capture file, empty if none
 * @runas_uid:		--runas user, or current uid
 * @runas_gid:		--runas group, or current gid
 * @runas_set:		--runas given
 * @sock_path:		passt: path of the UNIX socket
 * @one_off:		passt: -1, quit once the first guest disconnects
 * @fd_tap_listen:	passt: listening UNIX socket, or -1
 * @fd_tap:		connected qemu socket (passt) or tap fd (pasta), or -1
 * @epollfd:		the epoll instance
 * @our_tap_mac:	MAC address we use towards the guest (the host's)
 * @guest_mac:		guest MAC: seen in its frames (passt) or set (pasta)
 * @mtu:		-m: MTU advertised to the guest, 0 if not given
 * @busy_poll_us:	--busy-poll: longest spin before sleeping, 0: none
 * @ifi4:		host interface index used for IPv4, 0 if IPv4 disabled
 * @ifi6:		host interface index used for IPv6, 0 if IPv6 disabled
 * @ifname4:		name of the interface for @ifi4
 * @ifname6:		name of the interface for @ifi6
 * @ip4:		IPv4 addresses
 * @ip6:		IPv6 addresses
 * @dns_search:		search domains, empty-terminated
 * @no_tcp, @no_udp, @no_icmp:	protocol handlers disabled
 * @no_dhcp, @no_ndp, @no_dhcpv6, @no_ra:	address services disabled
 * @no_dhcp_dns:	do not send resolvers with DHCP/NDP/DHCPv6
 * @no_dhcp_dns_search:	do not send the search list
 * @no_map_gw:		--no-map-gw: gateway address is not the host's loopback
 * @tcp:		TCP forwarding: in = -t, out = -T (pasta)
 * @udp:		UDP forwarding: in = -u, out = -U (pasta)
 * @pasta_ifn:		pasta: tap interface name in the namespace
 * @pasta_ifi:		pasta: tap interface index in the namespace
 * @pasta_conf_ns:	pasta: --config-net
 * @pasta_netns_fd:	pasta: fd of the target network namespace, or -1
 * @pasta_userns_fd:	pasta: fd of the target user namespace, or -1
 * @netns_path:		pasta: target namespace as given (PID/PATH/NAME)
 * @userns_path:	pasta: --userns PATH
 * @netns_dir:		pasta: --nsrun-dir, default /run/user/UID/netns
 * @netns_only:		pasta: --netns-only, do not join a user namespace
 * @no_netns_quit:	pasta: keep running when the namespace goes away
 * @netns_base:		pasta: basename of the namespace file, for the watch
 * @pasta_child_pid:	pasta: PID of the command we spawned, or 0
 * @pasta_argv:		pasta: command to run, NULL-terminated, NULL if none
 * @guest_mac_set:	pasta: --ns-mac-addr given
 * @fd_tap_given:	-F/--fd: @fd_tap was passed to us, already connected
 * @tap_vnet_hdr:	pasta: length of the virtio-net header in front of each
 *			frame on @fd_tap, 0 if none
 * @log_file:		-l/--log-file path, empty if none
 * @log_size:		--log-size: largest log file size in bytes
 * @hostname:		-H/--hostname: DHCP option 12, empty if none
 * @fqdn:		--fqdn: DHCP option 81 and DHCPv6 option 39
 * @no_splice:		--no-splice: pasta's loopback bypass off
 * @host_lo_to_ns_lo:	--host-lo-to-ns-lo: host loopback traffic shows
 *			as coming from the namespace's loopback
 */
struct ctx {
	enum passt_mode mode;
	int debug;
	int trace;
	int quiet;
	int foreground;
	int log_stderr;
	char pid_file[PATH_MAX];
	char pcap[PATH_MAX];
	uid_t runas_uid;
	gid_t runas_gid;
	int runas_set;

	char sock_path[SOCK_PATH_MAX];
	int one_off;
	int fd_tap_listen;
	int fd_tap;
	int epollfd;

	unsigned char our_tap_mac[ETH_ADDR_LEN];
	unsigned char guest_mac[ETH_ADDR_LEN];
	int guest_mac_set;
	int mtu;
	long busy_poll_us;

	unsigned int ifi4;
	unsigned int ifi6;
	char ifname4[IFNAMSIZ];
	char ifname6[IFNAMSIZ];
	struct ip4_ctx ip4;
	struct ip6_ctx ip6;
	struct fqdn dns_search[MAXDNSRCH + 1];

	int no_tcp;
	int no_udp;
	int no_icmp;
	int no_dhcp;
	int no_ndp;
	int no_dhcpv6;
	int no_ra;
	int no_dhcp_dns;
	int no_dhcp_dns_search;
	int no_map_gw;

	struct fwd_ports tcp_in;
	struct fwd_ports tcp_out;
	struct fwd_ports udp_in;
	struct fwd_ports udp_out;

	char pasta_ifn[IFNAMSIZ];
	unsigned int pasta_ifi;
	int pasta_conf_ns;
	int pasta_netns_fd;
	int pasta_userns_fd;
	char netns_path[PATH_MAX];
	char userns_path[PATH_MAX];
	char netns_dir[PATH_MAX];
	int netns_only;
	int no_netns_quit;
	char netns_base[PATH_MAX];
	pid_t pasta_child_pid;
	char **pasta_argv;

	int fd_tap_given;
	int tap_vnet_hdr;
	char log_file[PATH_MAX];
	size_t log_size;
	char hostname[DNAME_MAX];
	struct fqdn fqdn;
	int no_splice;
	int host_lo_to_ns_lo;
};

void passt_epoll_add(const struct ctx *c, int fd, uint32_t events,
		     union epoll_ref ref);

#endif /* PASST_H */
