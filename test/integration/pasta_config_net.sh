#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/pasta_config_net.sh - pasta --config-net: the namespace
# gets the host's addresses, prefix lengths, default routes and MTU 65520 on
# an interface named like the host's outbound one, lo is up, and ARP/NDP
# for the gateway are answered; the start-up summary (nothing with -q); the
# user's shell in a connected namespace, as README.md shows.
# Also -I, --ns-mac-addr (a random MAC without it), -a/-n/-g, -4, -6, -i,
# and lo up without --config-net.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

CASES="config_net_exit config_net_new_netns config_net_ifname config_net_link_up
config_net_lo_up config_net_addr4 config_net_addr6 config_net_route4
config_net_route6 config_net_mtu config_net_arp_gw config_net_arp_other
config_net_arp_own_unanswered config_net_ndp_gw config_net_ifname_opt
config_net_ns_mac config_net_addr_opts config_net_ipv4_only
config_net_ipv6_only config_net_summary config_net_quiet config_net_random_mac
config_net_lo_up_without config_net_shell config_net_interface_opt"

HAVE_BB=1
need_pkg busybox busybox:arping busybox:ping || HAVE_BB=0

sandbox_enter "$@"
require_binaries $CASES

# --- Default run: everything observed from one guest script

pasta_guest basic --config-net <<'EOF'
D=$1
readlink /proc/self/ns/net >"$D/netns"
ip -o link show >"$D/links"
ip -o link show dev lo >"$D/lo"
ip -o addr show dev lo >>"$D/lo"
ip -o -4 addr show dev veth0 >"$D/addr4"
ip -o -6 addr show dev veth0 scope global >"$D/addr6"
ip -4 route show default >"$D/route4"
ip -6 route show default >"$D/route6"
# /sys shows the sandbox's interfaces, not ours: use ip(8)
ip -o link show dev veth0 | sed -n 's/.* mtu \([0-9]*\) .*/\1/p' >"$D/mtu"
ip -o link show dev veth0 >"$D/link"
ip -o link show dev veth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\) .*/\1/p' >"$D/mac"
if command -v busybox >/dev/null; then
	busybox arping -c 1 -w 2 -I veth0 192.0.2.2 >"$D/arp_gw" 2>&1
	echo "rc=$?" >>"$D/arp_gw"
	busybox arping -c 1 -w 2 -I veth0 192.0.2.77 >"$D/arp_other" 2>&1
	echo "rc=$?" >>"$D/arp_other"
	busybox arping -c 1 -w 2 -I veth0 192.0.2.1 >"$D/arp_own" 2>&1
	echo "rc=$?" >>"$D/arp_own"
	# Wait for our link-local address, then resolve the gateway's
	n=50
	while [ $n -gt 0 ] && { ! ip -6 addr show dev veth0 scope link |
				grep -q fe80 ||
			      ip -6 addr show dev veth0 | grep -q tentative; }
	do
		sleep 0.1; n=$((n - 1))
	done
	busybox ping -6 -c 1 -W 2 -I veth0 fe80::2 >/dev/null 2>&1
	ip -6 neigh show fe80::2 dev veth0 >"$D/ndp_gw"
fi
exit 0
EOF
rc=$?
D=$TESTDIR/basic
check config_net_exit "pasta exited with $rc: $(log_tail "$D/pasta.log")" \
	test "$rc" -eq 0

if [ ! -s "$D/netns" ]; then
	skip_all "the guest script did not run" $(echo "$CASES" |
		tr ' ' '\n' | grep -v config_net_exit | sed -n '1,13p')
else
	check config_net_new_netns "command ran in the sandbox's namespace" \
		test "$(cat "$D/netns")" != "$(readlink /proc/self/ns/net)"
	links=$(awk -F': ' '{ print $2 }' "$D/links" | sed 's/@.*//' | sort |
		tr '\n' ' ')
	check_eq config_net_ifname "lo veth0 " "$links"
	check config_net_link_up "veth0 not up: $(cat "$D/link")" \
		grep -q '[<,]UP[,>]' "$D/link"
	check config_net_lo_up "lo not up: $(head -c 200 "$D/lo")" \
		eval "grep -q '[<,]UP[,>]' '$D/lo' && grep -q '127.0.0.1/8' '$D/lo'"
	check_eq config_net_addr4 "192.0.2.1/24" \
		"$(awk '{ print $4 }' "$D/addr4" | tr '\n' ' ' | xargs)"
	check_eq config_net_addr6 "2001:db8::1/64" \
		"$(awk '{ print $4 }' "$D/addr6" | tr '\n' ' ' | xargs)"
	check_eq config_net_route4 "default via 192.0.2.2 dev veth0" \
		"$(sed 's/ proto [a-z]*//; s/ metric [0-9]*//' "$D/route4" | xargs)"
	check_eq config_net_route6 "default via fe80::2 dev veth0" \
		"$(sed 's/ proto [a-z]*//; s/ metric.*//' "$D/route6" | xargs)"
	check_eq config_net_mtu 65520 "$(cat "$D/mtu")"

	if [ "$HAVE_BB" = 1 ]; then
		check config_net_arp_gw "no ARP reply for 192.0.2.2: $(
			tr '\n' ' ' <"$D/arp_gw")" \
			grep -q 'reply from 192.0.2.2' "$D/arp_gw"
		check config_net_arp_other "no ARP reply for 192.0.2.77: $(
			tr '\n' ' ' <"$D/arp_other")" \
			grep -q 'reply from 192.0.2.77' "$D/arp_other"
		if grep -q 'reply from' "$D/arp_gw"; then
			check config_net_arp_own_unanswered \
				"ARP request for the guest's own address answered" \
				eval "! grep -q 'reply from' '$D/arp_own'"
		else
			skip config_net_arp_own_unanswered \
				"ARP not answered at all"
		fi
		check config_net_ndp_gw "fe80::2 not resolved: $(
			cat "$D/ndp_gw")" \
			grep -Eq 'lladdr .*(REACHABLE|STALE|DELAY|PROBE)' \
			"$D/ndp_gw"
	else
		skip_all "busybox arping/ping not available" \
			config_net_arp_gw config_net_arp_other \
			config_net_arp_own_unanswered config_net_ndp_gw
	fi
fi

# --- Start-up summary; nothing with -q

why=$(lines_in_order "$D/pasta.log" <<EOF
Outbound interface: veth0
Namespace interface: veth0
MAC:
    host: $SANDBOX_MAC
ARP/DHCP:
    address: 192.0.2.1
    mask: 255.255.255.0
    router: 192.0.2.2
NDP/RA/DHCPv6:
    address: 2001:db8::1/64
    router: fe80::2
    our link-local: fe80::2
EOF
) && pass config_net_summary || fail config_net_summary "$why"

out=$(timeout 30 "$PASTA" -q --config-net -- true 2>&1)
rc=$?
check config_net_quiet "status $rc, output: $(echo "$out" | head -c 200)" \
	test "$rc" = 0 -a -z "$out"

# README.md's "make && ./pasta --config-net": a shell (SHELL, reading its
# standard input here) in a connected namespace
out=$(echo 'ip -o -4 addr show dev veth0; ip -4 route show default' |
	SHELL=/bin/sh timeout 30 "$PASTA" --config-net 2>&1)
check config_net_shell "shell output: $(echo "$out" | tail -n 3 | tr '\n' '|')" \
	eval 'echo "$out" | grep -q "veth0 *inet 192.0.2.1/24" &&
	      echo "$out" | grep -q "^default via 192.0.2.2 dev veth0"'

# --- -I: interface name in the namespace

pasta_guest ifname --config-net -I tap9 <<'EOF'
ip -o -4 addr show dev tap9 >"$1/addr4"
EOF
check_eq config_net_ifname_opt "192.0.2.1/24" \
	"$(awk '{ print $4 }' "$TESTDIR/ifname/addr4" 2>/dev/null | xargs)"

# --- --ns-mac-addr: MAC of the namespace interface

pasta_guest nsmac --config-net --ns-mac-addr 02:00:00:00:0c:01 <<'EOF'
ip -o link show dev veth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\) .*/\1/p' >"$1/mac"
EOF
check_eq config_net_ns_mac "02:00:00:00:0c:01" \
	"$(cat "$TESTDIR/nsmac/mac" 2>/dev/null)"

# Without it: the kernel's random address, unicast and locally
# administered, not the host's, another one in the next namespace
pasta_guest mac2 <<'EOF'
ip -o link show dev veth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\) .*/\1/p' >"$1/mac"
ip -o link show dev lo >"$1/lo"
ip -o addr show dev lo >>"$1/lo"
EOF
m1=$(cat "$TESTDIR/basic/mac" 2>/dev/null)
m2=$(cat "$TESTDIR/mac2/mac" 2>/dev/null)
check config_net_random_mac "MACs '$m1' and '$m2' (host $SANDBOX_MAC)" \
	eval '[ -n "$m1" ] && [ -n "$m2" ] && [ "$m1" != "$m2" ] &&
	      [ "$m1" != "$SANDBOX_MAC" ] &&
	      [ $((0x${m1%%:*} & 3)) = 2 ] && [ $((0x${m2%%:*} & 3)) = 2 ]'
check config_net_lo_up_without "lo without --config-net: $(head -c 200 "$TESTDIR/mac2/lo" 2>/dev/null)" \
	eval "grep -q '[<,]UP[,>]' '$TESTDIR/mac2/lo' &&
	      grep -q '127.0.0.1/8' '$TESTDIR/mac2/lo'"

# --- -a -n -g: what --config-net configures follows the options

pasta_guest opts --config-net -a 192.0.2.77 -n 255.255.255.128 \
	-g 192.0.2.100 <<'EOF'
ip -o -4 addr show dev veth0 | awk '{ print $4 }' >"$1/addr4"
ip -4 route show default | sed 's/ proto [a-z]*//; s/ metric [0-9]*//' \
	>"$1/route4"
EOF
got="$(xargs <"$TESTDIR/opts/addr4" 2>/dev/null) / $(xargs <"$TESTDIR/opts/route4" 2>/dev/null)"
check_eq config_net_addr_opts \
	"192.0.2.77/25 / default via 192.0.2.100 dev veth0" "$got"

# --- -4 and -6

pasta_guest v4only --config-net -4 <<'EOF'
ip -o -4 addr show dev veth0 | awk '{ print $4 }' >"$1/addr4"
ip -o -6 addr show dev veth0 scope global | awk '{ print $4 }' >"$1/addr6"
ip -6 route show default >"$1/route6"
EOF
D=$TESTDIR/v4only
got="4:$(xargs <"$D/addr4" 2>/dev/null) 6:$(xargs <"$D/addr6" 2>/dev/null) r6:$(xargs <"$D/route6" 2>/dev/null)"
check_eq config_net_ipv4_only "4:192.0.2.1/24 6: r6:" "$got"

pasta_guest v6only --config-net -6 <<'EOF'
ip -o -4 addr show dev veth0 | awk '{ print $4 }' >"$1/addr4"
ip -o -6 addr show dev veth0 scope global | awk '{ print $4 }' >"$1/addr6"
ip -4 route show default >"$1/route4"
EOF
D=$TESTDIR/v6only
got="4:$(xargs <"$D/addr4" 2>/dev/null) 6:$(xargs <"$D/addr6" 2>/dev/null) r4:$(xargs <"$D/route4" 2>/dev/null)"
check_eq config_net_ipv6_only "4: 6:2001:db8::1/64 r4:" "$got"

# --- -i: defaults from another interface of the host than the one of the
# first default route (a second veth pair, with a default route of higher
# metric)

ip link add alt0 type veth peer name alt1 &&
ip link set alt1 up && ip link set alt0 up &&
ip addr add 198.51.100.7/24 dev alt0 &&
ip -6 addr add 2001:db8:9::7/64 dev alt0 nodad &&
ip route add default via 198.51.100.1 dev alt0 metric 500 &&
ip -6 route add default via fe80::9 dev alt0 metric 500
pasta_guest iface --config-net -i alt0 <<'EOF'
ip -o link show | awk -F': ' '{ print $2 }' | sed 's/@.*//' | sort | xargs >"$1/links"
ip -o -4 addr show dev alt0 | awk '{ print $4 }' >"$1/addr4"
ip -o -6 addr show dev alt0 scope global | awk '{ print $4 }' >"$1/addr6"
ip -4 route show default | sed 's/ proto [a-z]*//; s/ metric [0-9]*//' >"$1/route4"
ip -6 route show default | sed 's/ proto [a-z]*//; s/ metric.*//' >"$1/route6"
EOF
D=$TESTDIR/iface
got="$(cat "$D/links" 2>/dev/null) / $(xargs <"$D/addr4" 2>/dev/null) $(xargs <"$D/addr6" 2>/dev/null) / $(xargs <"$D/route4" 2>/dev/null) / $(xargs <"$D/route6" 2>/dev/null)"
check_eq config_net_interface_opt \
	"alt0 lo / 198.51.100.7/24 2001:db8:9::7/64 / default via 198.51.100.1 dev alt0 / default via fe80::9 dev alt0" \
	"$got"
ip link del alt0

test_finish
