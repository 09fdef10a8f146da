#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/netlink.sh - netlink.c against the real kernel, through
# test/helpers/nltest, inside throwaway user + network namespaces created
# here: real interfaces are never touched and nothing leaves the machine.
#
# Phases, each in a fresh network namespace:
#   get:	host-like set-up (addresses, default routes, decoys), queries
#   set:	what pasta --config-net does, checked with ip(8)
#   onlink:	default route via a gateway outside the address's prefix
# plus "nltest selftest", which feeds malformed replies to the parsers.
#
# One "PASS name" or "FAIL name (why)" line per check.

self=$(readlink -f "$0")
cd "$(dirname "$self")/../.." || exit 1
NLTEST=./test/helpers/nltest

# check() - Compare a result with what was expected
# $1: name, $2: expected, $3: actual
check() {
	if [ "$2" = "$3" ]; then
		echo "PASS netlink: $1"
	else
		echo "FAIL netlink: $1 (expected '$2', got '$3')"
	fi
}

# check_match() - Check that a result matches an extended regular expression
# $1: name, $2: regex, $3: actual
check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		echo "PASS netlink: $1"
	else
		echo "FAIL netlink: $1 ('$3' does not match '$2')"
	fi
}

# nl() - Run the helper, stdout and stderr together
nl() {
	"$NLTEST" "$@" 2>&1
}

# setup() - Run a set-up command, give up on the phase if it fails
setup() {
	if ! out=$("$@" 2>&1); then
		echo "FAIL netlink: set-up '$*' ($out)"
		exit 1
	fi
}

# mklink() - Create an Ethernet-like link: dummy if available, else veth
# $1: name (a veth peer is called ${1}p, and set up so that $1 has carrier)
mklink() {
	ip link add "$1" type dummy 2>/dev/null && return
	setup ip link add "$1" type veth peer name "${1}p"
	setup ip link set dev "${1}p" addrgenmode none
	setup ip link set "${1}p" up
}

# ifindex() - Index of a link, from ip(8): /sys shows the initial namespace
ifindex() {
	ip -o link show dev "$1" | cut -d: -f1
}

# link_field() - A field of "ip -o link show": the word after $2
link_field() {
	ip -o link show dev "$1" | sed -n "s|.* $2 \([^ ]*\).*|\1|p"
}

# link_is_up() - Print "up" or "down" from the administrative IFF_UP flag
link_is_up() {
	if ip -o link show dev "$1" | grep -Eq '<([^>]*,)?UP[,>]'; then
		echo up
	else
		echo down
	fi
}

phase_get() {
	echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad 2>/dev/null
	setup ip link set lo up

	# Decoy link first, so that it has the lower index
	mklink d1
	mklink d0
	setup ip link set dev d0 addrgenmode none
	setup ip link set dev d0 address 02:00:00:00:00:d0 mtu 1400
	setup ip link set d0 up
	setup ip link set d1 up
	local d0i d1i
	d0i=$(ifindex d0)
	d1i=$(ifindex d1)

	check "no default route: ext_if 4" 0 "$(nl ext_if 4)"
	check "no default route: ext_if 6" 0 "$(nl ext_if 6)"
	check "no default route: gw 4" none "$(nl gw d0 4)"
	check "no addresses: addr 4" none "$(nl addr d0 4)"
	check "no addresses: addr 6" none "$(nl addr d0 6)"

	setup ip addr add 192.0.2.1/24 dev d0
	setup ip addr add 192.0.2.50/24 dev d0
	# The deprecated address is added last: it comes first in dumps
	setup ip -6 addr add 2001:db8::1/64 dev d0 nodad
	setup ip -6 addr add 2001:db8::99/64 dev d0 nodad preferred_lft 0
	setup ip -6 addr add fe80::10/64 dev d0 nodad
	setup ip addr add 198.51.100.1/24 dev d1
	setup ip -6 addr add 2001:db8:5::1/64 dev d1 nodad

	setup ip route add default via 198.51.100.2 dev d1 table 100
	setup ip route add default via 198.51.100.2 dev d1 metric 500
	setup ip route add default via 192.0.2.2 dev d0
	setup ip -6 route add default via 2001:db8:5::2 dev d1 table 100
	setup ip -6 route add default via 2001:db8:5::2 dev d1 metric 2000
	setup ip -6 route add default via fe80::1 dev d0

	check "ext_if 4 is d0" "$d0i" "$(nl ext_if 4)"
	check "ext_if 6 is d0" "$d0i" "$(nl ext_if 6)"
	check "gw 4 on d0" 192.0.2.2 "$(nl gw d0 4)"
	check "gw 6 on d0" fe80::1 "$(nl gw d0 6)"
	check "gw 4 on d1 (second default route)" 198.51.100.2 "$(nl gw d1 4)"
	check "gw 6 on d1 (second default route)" 2001:db8:5::2 "$(nl gw d1 6)"
	check "gw 4 on lo" none "$(nl gw lo 4)"

	check "addr 4: primary, prefix" 192.0.2.1/24 "$(nl addr d0 4)"
	check "addr 6: not deprecated, prefix, link-local" \
		"2001:db8::1/64 fe80::10" "$(nl addr d0 6)"
	check "link-local only" fe80::10 "$(nl ll d0)"
	check "addr 4 on d1" 198.51.100.1/24 "$(nl addr d1 4)"
	check "addr 4 on lo: host scope skipped" none "$(nl addr lo 4)"
	check "addr 6 on lo: host scope skipped" none "$(nl addr lo 6)"

	check "mac d0" 02:00:00:00:00:d0 "$(nl mac d0)"
	check "mac d1 matches ip link" "$(link_field d1 link/ether)" \
		"$(nl mac d1)"
	check "mtu d0" 1400 "$(nl mtu d0)"
	check "mtu d1 matches ip link" "$(link_field d1 mtu)" "$(nl mtu d1)"
	check_match "mac of missing link" '^-19 ' "$(nl mac @99999)"
	check "mtu of missing link" none "$(nl mtu @99999)"

	# Multipath: the first next hop gives the interface
	setup ip route del default via 192.0.2.2 dev d0
	setup ip route del default via 198.51.100.2 dev d1 metric 500
	setup ip route add default nexthop via 198.51.100.2 dev d1 \
		nexthop via 192.0.2.2 dev d0
	check "multipath 4: ext_if is first next hop" "$d1i" "$(nl ext_if 4)"
	check "multipath 4: gw on d0" 192.0.2.2 "$(nl gw d0 4)"
	check "multipath 4: gw on d1" 198.51.100.2 "$(nl gw d1 4)"
	setup ip route del default
	setup ip route add default nexthop via 192.0.2.2 dev d0 \
		nexthop via 198.51.100.2 dev d1
	check "multipath 4 reversed: ext_if" "$d0i" "$(nl ext_if 4)"

	setup ip -6 route flush default
	setup ip -6 route add default nexthop via 2001:db8:5::2 dev d1 \
		nexthop via 2001:db8::2 dev d0
	check "multipath 6: ext_if is first next hop" "$d1i" "$(nl ext_if 6)"
	check "multipath 6: gw on d0" 2001:db8::2 "$(nl gw d0 6)"

	setup ip route flush default
	setup ip -6 route flush default
	check "routes gone: ext_if 4" 0 "$(nl ext_if 4)"
	check "routes gone: gw 6" none "$(nl gw d0 6)"
}

phase_set() {
	echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad 2>/dev/null
	mklink t0
	local t0i
	t0i=$(ifindex t0)

	check "mac_set" 0 "$(nl mac_set t0 02:11:22:33:44:55)"
	check "mac_set: ip link" 02:11:22:33:44:55 "$(link_field t0 link/ether)"

	check_match "up with bad MTU fails" '^-22 ' "$(nl up t0 70000)"
	check "up with bad MTU: link still down" down "$(link_is_up t0)"
	check "up mtu 65520" 0 "$(nl up t0 65520)"
	check "up: ip link flags" up "$(link_is_up t0)"
	check "up: ip link mtu" 65520 "$(link_field t0 mtu)"
	check "up: nl_link_get_mtu" 65520 "$(nl mtu t0)"
	check "up mtu 0 keeps MTU" 0 "$(nl up t0 0)"
	check "up mtu 0: ip link mtu" 65520 "$(link_field t0 mtu)"

	check "addr_set 4" 0 "$(nl addr_set t0 203.0.113.5/24)"
	check "addr_set 4 again (EEXIST)" 0 "$(nl addr_set t0 203.0.113.5/24)"
	check "addr_set 4: ip addr" "203.0.113.5/24" \
		"$(ip -o -4 addr show dev t0 | awk '{ print $4 }')"
	check "addr_set 6" 0 "$(nl addr_set t0 2001:db8:1::5/64)"
	check "addr_set 6 again (EEXIST)" 0 "$(nl addr_set t0 2001:db8:1::5/64)"
	check_match "addr_set 6: ip addr, no DAD" \
		'inet6 2001:db8:1::5/64 scope global nodad' \
		"$(ip -o -6 addr show dev t0 scope global)"
	check_match "addr_set 4 bad prefix" '^-22 ' \
		"$(nl addr_set t0 203.0.113.6/33)"
	check_match "addr_set 6 bad prefix" '^-22 ' \
		"$(nl addr_set t0 2001:db8:1::6/129)"
	check_match "addr_set on missing link" '^-19 ' \
		"$(nl addr_set @99999 203.0.113.6/24)"
	check "addr_set: read back" 203.0.113.5/24 "$(nl addr t0 4)"

	check "route_set 4" 0 "$(nl route_set t0 4 203.0.113.1)"
	check "route_set 4 again (EEXIST)" 0 "$(nl route_set t0 4 203.0.113.1)"
	check "route_set 4: ip route" "default via 203.0.113.1 dev t0" \
		"$(ip -4 route show default | sed 's/ *$//')"
	check "route_set 6" 0 "$(nl route_set t0 6 2001:db8:1::1)"
	check_match "route_set 6: ip route" '^default via 2001:db8:1::1 dev t0 ' \
		"$(ip -6 route show default)"
	check_match "route_set on missing link" '^-19 ' \
		"$(nl route_set @99999 4 203.0.113.1)"
	check "route_set: ext_if 4" "$t0i" "$(nl ext_if 4)"
	check "route_set: ext_if 6" "$t0i" "$(nl ext_if 6)"
	check "route_set: gw 6" 2001:db8:1::1 "$(nl gw t0 6)"
}

phase_onlink() {
	mklink t1
	setup ip link set t1 up
	setup ip addr add 198.51.100.5/32 dev t1
	setup ip -6 addr add 2001:db8:2::5/128 dev t1 nodad

	check "route_set 4 outside prefix" 0 "$(nl route_set t1 4 198.51.100.1)"
	check_match "route_set 4 outside prefix: onlink" \
		'^default via 198.51.100.1 dev t1 onlink' \
		"$(ip -4 route show default)"
	check "route_set 6 outside prefix" 0 "$(nl route_set t1 6 2001:db8:2::1)"
	check_match "route_set 6 outside prefix: onlink" \
		'^default via 2001:db8:2::1 dev t1 .*onlink' \
		"$(ip -6 route show default)"

	setup ip route del default
	check "route_set 4 without gateway" 0 "$(nl route_set t1 4 none)"
	check "route_set 4 without gateway: ip route" \
		"default dev t1 scope link" \
		"$(ip -4 route show default | sed 's/ *$//')"
}

case "${NLTEST_PHASE:-}" in
get)
	phase_get
	# Further phases in fresh network namespaces, same user namespace
	NLTEST_PHASE=set unshare -n bash "$self"
	NLTEST_PHASE=onlink unshare -n bash "$self"
	exit 0
	;;
set)	phase_set; exit 0 ;;
onlink)	phase_onlink; exit 0 ;;
esac

if [ ! -x "$NLTEST" ]; then
	echo "FAIL netlink: $NLTEST not built (make helpers)"
	exit 1
fi

"$NLTEST" selftest
rc=$?

if ! unshare -Urn true 2>/dev/null; then
	echo "SKIP netlink: cannot create user and network namespaces"
	exit $rc
fi

NLTEST_PHASE=get timeout -k 5 60 unshare -Urn bash "$self" || rc=1
exit $rc
