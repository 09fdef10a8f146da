#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/lib/clients.sh - Run real address-configuration clients on an
# interface and record what they obtained, one KEY=VALUE per line, in a
# result file.  Source it, or run it as a command inside another namespace
# (a pasta child, "ip netns exec"), where shell functions do not exist:
#
#	clients.sh udhcpc IFACE OUT [UDHCPC_ARGS...]	busybox udhcpc
#	clients.sh dhclient4 IFACE OUT			ISC dhclient -4
#	clients.sh dhclient6 IFACE OUT			ISC dhclient -6
#	clients.sh slaac IFACE OUT [SECONDS]		wait for kernel SLAAC
#	clients.sh linkup IFACE				link up, wait for LL
#
# Result files:
#   udhcpc:  reason ip subnet router dns domain search mtu serverid lease
#   dhclient4/6: the dhclient script's variables: reason, new_ip_address,
#            new_subnet_mask, new_routers, new_domain_name_servers,
#            new_domain_search, new_interface_mtu, new_ip6_address,
#            new_ip6_prefixlen, new_dhcp6_name_servers,
#            new_dhcp6_domain_search, ...
#   slaac:   addr (global address with prefix length), router (default route
#            gateway), mtu (interface IPv6 MTU)
# Each command exits 0 if the client got a lease (or address), 1 otherwise.
# Every client runs under timeout(1) and is ended by its PID.

CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-20}

case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH="$PATH:/usr/sbin:/sbin" ;;
esac

# cl_wait() - Poll every 0.1 s until a command succeeds
# $1:	timeout, seconds (integer)
# $@:	command
cl_wait() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	"$@"
}

# cl_ll_ready() - Interface has a usable (non-tentative) link-local address
cl_ll_ready() {
	ip -6 addr show dev "$1" scope link 2>/dev/null | grep -q 'inet6 fe80' ||
		return 1
	! ip -6 addr show dev "$1" scope link 2>/dev/null | grep -q tentative
}

# client_linkup() - Bring an interface up, wait for its link-local address
# $1:	interface
client_linkup() {
	ip link set dev "$1" up || return 1
	cl_wait 5 cl_ll_ready "$1"
}

# client_udhcpc() - Get a DHCP lease with busybox udhcpc (no configuration
# of the interface: the script only records the lease)
# $1:	interface
# $2:	result file
# $@:	extra udhcpc arguments
client_udhcpc() {
	local ifn="$1" out="$2" script
	shift 2
	script="$out.script"
	rm -f "$out"
	cat >"$script" <<EOF
#!/bin/sh
case "\$1" in
bound|renew)
	{
		echo "reason=\$1"
		echo "ip=\$ip"
		echo "subnet=\$subnet"
		echo "router=\$router"
		echo "dns=\$dns"
		echo "domain=\$domain"
		echo "search=\$search"
		echo "mtu=\$mtu"
		echo "serverid=\$serverid"
		echo "lease=\$lease"
		echo "broadcast=\$broadcast"
	} >"$out.tmp" && mv "$out.tmp" "$out"
	;;
esac
exit 0
EOF
	chmod +x "$script"
	ip link set dev "$ifn" up || return 1
	timeout -k 2 "$CLIENT_TIMEOUT" busybox udhcpc -i "$ifn" -f -q -n \
		-t 4 -T 2 -A 1 -s "$script" -O search -O mtu -O dns \
		-O router -O subnet "$@" >"$out.log" 2>&1
	[ -s "$out" ]
}

# cl_dhclient() - Run ISC dhclient in the foreground until it reports a
# lease (or gives up), then end it by PID
# $1:	4 or 6
# $2:	interface
# $3:	result file
cl_dhclient() {
	local v="$1" ifn="$2" out="$3" pid rc=1 limit
	local base="$out.dhclient"
	rm -f "$out" "$base.leases" "$base.pid"
	cat >"$base.script" <<EOF
#!/bin/sh
echo "\$reason" >>"$base.reasons"
case "\$reason" in
BOUND|RENEW|REBIND|REBOOT|BOUND6|RENEW6|REBIND6)
	env | grep -E '^(reason|interface|new_)' | sort >"$out.tmp" &&
		mv "$out.tmp" "$out"
	;;
esac
exit 0
EOF
	chmod +x "$base.script"
	if [ "$v" = 4 ]; then
		cat >"$base.conf" <<EOF
request subnet-mask, broadcast-address, routers, domain-name,
	domain-name-servers, domain-search, interface-mtu;
timeout 15;
retry 1;
EOF
	else
		cat >"$base.conf" <<EOF
request dhcp6.name-servers, dhcp6.domain-search;
timeout 15;
retry 1;
EOF
	fi
	client_linkup "$ifn" || [ "$v" = 4 ] || return 1
	limit=$CLIENT_TIMEOUT
	timeout -k 2 "$limit" dhclient -"$v" -d -v -cf "$base.conf" \
		-sf "$base.script" -lf "$base.leases" -pf "$base.pid" \
		"$ifn" >"$out.log" 2>&1 &
	pid=$!
	cl_wait "$limit" test -s "$out" && rc=0
	# dhclient's own pid file may name a different process: end ours
	kill -TERM "$pid" 2>/dev/null
	cl_wait 3 eval '! kill -0 '"$pid"' 2>/dev/null' ||
		kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return "$rc"
}

client_dhclient4() {
	cl_dhclient 4 "$@"
}

client_dhclient6() {
	cl_dhclient 6 "$@"
}

# cl_slaac_addr() - Global 2001:db8:: address of an interface, if any
cl_slaac_addr() {
	ip -6 -o addr show dev "$1" scope global 2>/dev/null |
		awk '{ print $4 }' | grep -m1 .
}

# client_slaac() - Wait for the kernel to configure an address from an RA
# $1:	interface
# $2:	result file
# $3:	seconds to wait (default 15)
client_slaac() {
	local ifn="$1" out="$2" limit="${3:-15}" addr router
	rm -f "$out"
	client_linkup "$ifn" || return 1
	cl_wait "$limit" cl_slaac_addr "$ifn" >/dev/null || return 1
	cl_wait 5 eval "ip -6 route show default dev $ifn | grep -q via"
	addr=$(cl_slaac_addr "$ifn")
	router=$(ip -6 route show default dev "$ifn" |
		 awk '/via/ { print $3; exit }')
	{
		echo "addr=$addr"
		echo "router=$router"
		echo "mtu=$(cat "/proc/sys/net/ipv6/conf/$ifn/mtu" 2>/dev/null)"
	} >"$out"
	return 0
}

# lease_get() - Value of one key in a result file
# $1:	result file
# $2:	key
lease_get() {
	sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cmd="$1"
	shift
	case "$cmd" in
	udhcpc|dhclient4|dhclient6|slaac|linkup)
		"client_$cmd" "$@"
		exit $?
		;;
	*)
		echo "usage: $0 udhcpc|dhclient4|dhclient6|slaac|linkup ..." >&2
		exit 1
		;;
	esac
fi
