#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/udp_opts.sh - UDP options in both modes (pasta joining a
# namespace, passt through the relay helper), IPv4 and IPv6, each shown by
# datagrams that do or don't come back:
#   - -u port specs: a range with an exclusion, a translated range, an IPv4
#     address (IPv4 only), the IPv6 unspecified address (IPv4 too), an IPv6
#     address (IPv6 only), an interface (not from loopback); pasta's "auto"
#     forwards a port bound only by an IPv6 socket for IPv4 too;
#   - without -u, the ports of -t, untranslated; -u none with -t;
#   - the gateway address is the host's loopback, and with --no-map-gw the
#     gateway itself (a responder on each side answers differently); passt
#     drops datagrams from the host's loopback with --no-map-gw;
#   - --dns-forward goes to the first resolver of each IP version;
#   - datagrams longer than -m allows are dropped, never cut, those that fit
#     arrive;
#   - --no-udp: nothing goes through (ping does), -u is refused.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"

MODES="pasta passt"
CASES=""
for m in $MODES; do
	for c in spec_range4 spec_range6 spec_excluded4 spec_excluded6 \
		 spec_xlate4 spec_xlate6 spec_addr4 spec_addr4_not6 \
		 spec_any6_4 spec_any6_6 spec_addr6 spec_addr6_not4 \
		 spec_iface spec_iface_not_lo follow_tcp4 follow_tcp6 \
		 follow_tcp_untranslated follow_tcp_none map_gw4 map_gw6 \
		 no_map_gw4 no_map_gw6 dns_first4 dns_first6 mtu_fits4 \
		 mtu_fits6 mtu_drop4 mtu_drop6 mtu_logged no_udp4 no_udp6 \
		 no_udp_ping no_udp_refused; do
		CASES="$CASES udp_${m}_$c"
	done
done
CASES="$CASES udp_passt_no_map_gw_lo_dropped udp_pasta_auto_v6_bound4"

HAVE_BB=1; HAVE_PY=1
need_pkg busybox busybox:ping || HAVE_BB=0
need_pkg python3 python3 || HAVE_PY=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
l4_build || { skip_all "test/helpers/udptool not built" $CASES; exit 0; }
l4_ping_allow || HAVE_BB=0

R4=$SANDBOX_OUTSIDE4
R6=$SANDBOX_OUTSIDE6
A4=$SANDBOX_ADDR4
A6=$SANDBOX_ADDR6
LO4=203.0.113.11		# answers of the host's loopback responder
LO6=2001:db8:11::1
GWR4=203.0.113.22		# answers of the gateway's (remote namespace)
GWR6=2001:db8:22::1
FIRST4=203.0.113.33		# answers of the first resolvers
FIRST6=2001:db8:33::1
DNS_FWD4=203.0.113.53
DNS_FWD6=2001:db8:5::53

# --- Peers

in_remote ip addr add 198.51.100.54/32 dev lo
in_remote ip -6 addr add 2001:db8:1::54/128 dev lo nodad
for a in "$R4" "$R6"; do
	bg_start "$TESTDIR/echo-$a.log" ip netns exec remote "$UDPTOOL" echo \
		"$a" 7777
done
bg_start "$TESTDIR/lo4.log" "$UDPTOOL" dns 127.0.0.1 5353 "$LO4" "$LO6"
bg_start "$TESTDIR/lo6.log" "$UDPTOOL" dns ::1 5353 "$LO4" "$LO6"
bg_start "$TESTDIR/gw4.log" ip netns exec remote "$UDPTOOL" dns 0.0.0.0 5353 \
	"$GWR4" "$GWR6"
# Bound to fe80::2, the gateway: bound to ::, replies would come from the
# remote's other link-local address
bg_start "$TESTDIR/gw6.log" ip netns exec remote "$UDPTOOL" dns \
	"$SANDBOX_GW6%$SANDBOX_REMOTE_IF" 5353 "$GWR4" "$GWR6"
bg_start "$TESTDIR/first4.log" ip netns exec remote "$UDPTOOL" dns \
	198.51.100.54 53 "$FIRST4" "$FIRST6"
bg_start "$TESTDIR/first6.log" ip netns exec remote "$UDPTOOL" dns \
	2001:db8:1::54 53 "$FIRST4" "$FIRST6"
for a in "$SANDBOX_DNS4" "$SANDBOX_DNS6"; do
	bg_start "$TESTDIR/second-$a.log" ip netns exec remote "$UDPTOOL" dns \
		"$a" 53 203.0.113.99 2001:db8:99::1
done
sleep 0.3

# rt_ok() - Round trips that must all come back
# $1:	case name
# $2:	namespace to send from: "guest", "remote", or "" for the sandbox
# $@:	udptool send arguments
rt_ok() {
	local name="$1" ns="$2" out
	shift 2
	out=$(ns_run "$ns" timeout 30 "$UDPTOOL" send "$@" 2>&1)
	check "$name" "$out" eval 'echo "$out" | grep -q " lost=0 corrupt=0 "'
}

# rt_none() - Datagrams that must get no answer at all, nor a corrupt one
# $1:	case name
# $2:	namespace, as for rt_ok()
# $@:	udptool send arguments
rt_none() {
	local name="$1" ns="$2" out
	shift 2
	out=$(ns_run "$ns" timeout 30 "$UDPTOOL" send -W 500 "$@" 2>&1)
	check "$name" "$out" \
		eval 'echo "$out" | grep -q " received=0 .*corrupt=0 "'
}

# sink_case() - Datagrams of one size from the remote namespace to a sink
# in the guest, which must count exactly so many, none corrupt (cut)
# $1:	case name
# $2:	guest's bind address (0.0.0.0 or ::)
# $3:	remote's source address
# $4:	destination (the host's address)
# $5:	port
# $6:	payload size
# $7:	datagrams expected at the sink: 10 or 0
sink_case() {
	local name="$1" want="$7" out pid
	rm -f "$TESTDIR/sink.out"
	bg_start "$TESTDIR/sink.out" ip netns exec "$L4_GUEST" "$UDPTOOL" sink \
		-i 1000 -t 3 "$2" "$5"
	pid=$BG_PID
	sleep 0.3
	timeout 10 ip netns exec remote "$UDPTOOL" blast -c 10 -m "$6" -s "$3" \
		"$4" "$5" >/dev/null 2>&1
	wait_for 5 eval '! pid_alive "$pid"'
	untrack_pid "$pid"
	out=$(cat "$TESTDIR/sink.out")
	check "$name" "$out" \
		eval 'echo "$out" | grep -q "^received=$want .*corrupt=0 "'
}

# guest_echo() - Echo servers in the guest, IPv4 and IPv6, on some ports
# $@:	ports
# Sets GUEST_PIDS
guest_echo() {
	local p a
	GUEST_PIDS=""
	for p; do
		for a in 0.0.0.0 ::; do
			bg_start "$TESTDIR/gecho-$a-$p.log" \
				ip netns exec "$L4_GUEST" "$UDPTOOL" echo "$a" "$p"
			GUEST_PIDS="$GUEST_PIDS $BG_PID"
		done
	done
	sleep 0.3
}

# guest_done() - Stop the guest's echo servers, then pasta or passt
guest_done() {
	local p
	for p in $GUEST_PIDS; do
		kill_pid "$p"
		untrack_pid "$p"
	done
	GUEST_PIDS=""
	l4_guest_down
}

# up() - Start a guest for the cases named, fail them if that doesn't work
# $1:	mode
# $2:	case names (space-separated, without the udp_MODE_ prefix)
# $@:	options
# Return: 0 if the guest is usable
up() {
	local m="$1" cases="$2" c
	shift 2
	l4_guest_up "$m" "$@" && return 0
	for c in $cases; do
		fail "udp_${m}_$c" "guest not usable: $(log_tail "$L4_LOG")"
	done
	l4_guest_down
	return 1
}

# query() - Ask a responder for an address from the guest
# $1:	-4 or -6
# $2:	address
# $3:	port
query() {
	local six=""
	[ "$1" = -6 ] && six=-6
	timeout 10 ip netns exec "$L4_GUEST" "$UDPTOOL" query $six "$2" "$3" \
		www.example.org 2>&1
}

# run_mode() - Every case for one mode
# $1:	pasta or passt
run_mode() {
	local m="$1" out n

	# Port specs, gateway mapping
	if up "$m" "spec_range4 spec_range6 spec_excluded4 spec_excluded6
		    spec_xlate4 spec_xlate6 spec_addr4 spec_addr4_not6
		    spec_any6_4 spec_any6_6 spec_addr6 spec_addr6_not4
		    spec_iface spec_iface_not_lo map_gw4 map_gw6" \
	      -u 5010-5012,~5011 -u 5020-5021:6020-6021 -u "$A4/5013" \
	      -u ::/5014 -u "$A6/5015" -u "%$SANDBOX_IF/5016"; then
		guest_echo 5010 5011 5012 6020 6021 5013 5014 5015 5016
		rt_ok "udp_${m}_spec_range4" remote -c 20 -s "$R4" "$A4" 5010
		rt_ok "udp_${m}_spec_range6" remote -c 20 -s "$R6" "$A6" 5012
		rt_none "udp_${m}_spec_excluded4" remote -c 3 -s "$R4" "$A4" 5011
		rt_none "udp_${m}_spec_excluded6" remote -c 3 -s "$R6" "$A6" 5011
		rt_ok "udp_${m}_spec_xlate4" remote -c 20 -s "$R4" "$A4" 5021
		rt_ok "udp_${m}_spec_xlate6" remote -c 20 -s "$R6" "$A6" 5020
		rt_ok "udp_${m}_spec_addr4" remote -c 20 -s "$R4" "$A4" 5013
		rt_none "udp_${m}_spec_addr4_not6" remote -c 3 -s "$R6" "$A6" 5013
		rt_ok "udp_${m}_spec_any6_4" remote -c 20 -s "$R4" "$A4" 5014
		rt_ok "udp_${m}_spec_any6_6" remote -c 20 -s "$R6" "$A6" 5014
		rt_ok "udp_${m}_spec_addr6" remote -c 20 -s "$R6" "$A6" 5015
		rt_none "udp_${m}_spec_addr6_not4" remote -c 3 -s "$R4" "$A4" 5015
		rt_ok "udp_${m}_spec_iface" remote -c 20 -s "$R4" "$A4" 5016
		rt_none "udp_${m}_spec_iface_not_lo" "" -c 3 127.0.0.1 5016

		out=$(query -4 "$SANDBOX_GW4" 5353)
		check_eq "udp_${m}_map_gw4" "answer=$LO4" "$out"
		out=$(query -6 "$SANDBOX_GW6%$GUEST_IF" 5353)
		check_eq "udp_${m}_map_gw6" "answer=$LO6" "$out"
		guest_done
	fi

	# UDP follows -t, untranslated; -u none
	if up "$m" "follow_tcp4 follow_tcp6 follow_tcp_untranslated" \
	      -t 5030,5031:6031; then
		guest_echo 5030 5031
		rt_ok "udp_${m}_follow_tcp4" remote -c 20 -s "$R4" "$A4" 5030
		rt_ok "udp_${m}_follow_tcp6" remote -c 20 -s "$R6" "$A6" 5030
		rt_ok "udp_${m}_follow_tcp_untranslated" remote -c 20 -s "$R4" \
			"$A4" 5031
		guest_done
	fi
	if up "$m" "follow_tcp_none" -t 5030 -u none; then
		guest_echo 5030
		rt_none "udp_${m}_follow_tcp_none" remote -c 3 -s "$R4" "$A4" 5030
		guest_done
	fi

	# --no-map-gw: the gateway is the remote namespace; passt can't show
	# the host's loopback to the guest
	if up "$m" "no_map_gw4 no_map_gw6" --no-map-gw -u 5001; then
		out=$(query -4 "$SANDBOX_GW4" 5353)
		check_eq "udp_${m}_no_map_gw4" "answer=$GWR4" "$out"
		out=$(query -6 "$SANDBOX_GW6%$GUEST_IF" 5353)
		check_eq "udp_${m}_no_map_gw6" "answer=$GWR6" "$out"
		if [ "$m" = passt ]; then
			guest_echo 5001
			rt_none udp_passt_no_map_gw_lo_dropped "" -c 3 \
				127.0.0.1 5001
		fi
		guest_done
	fi

	# --dns-forward: the first resolver of each version, whatever the
	# order of versions in resolv.conf
	printf 'nameserver %s\nnameserver %s\nnameserver %s\nnameserver %s\n' \
		2001:db8:1::54 198.51.100.54 "$SANDBOX_DNS4" "$SANDBOX_DNS6" \
		>"$TESTDIR/resolv.conf"
	if up "$m" "dns_first4 dns_first6" --dns-forward "$DNS_FWD4" \
	      --dns-forward "$DNS_FWD6"; then
		out=$(query -4 "$DNS_FWD4" 53)
		check_eq "udp_${m}_dns_first4" "answer=$FIRST4" "$out"
		out=$(query -6 "$DNS_FWD6" 53)
		check_eq "udp_${m}_dns_first6" "answer=$FIRST6" "$out"
		guest_done
	fi
	sandbox_resolv_text >"$TESTDIR/resolv.conf"

	# -m 1500: 1472 (IPv4) and 1452 (IPv6) bytes of payload fit, one more
	# doesn't: dropped, not cut (the sink would count a cut one as corrupt)
	if up "$m" "mtu_fits4 mtu_fits6 mtu_drop4 mtu_drop6 mtu_logged" \
	      -m 1500 -u 5001; then
		sink_case "udp_${m}_mtu_fits4" 0.0.0.0 "$R4" "$A4" 5001 1472 10
		sink_case "udp_${m}_mtu_fits6" :: "$R6" "$A6" 5001 1452 10
		sink_case "udp_${m}_mtu_drop4" 0.0.0.0 "$R4" "$A4" 5001 1473 0
		sink_case "udp_${m}_mtu_drop6" :: "$R6" "$A6" 5001 1453 0
		n=$(grep -c 'datagram longer than' "$L4_LOG")
		check "udp_${m}_mtu_logged" "$n drops logged, 20 expected" \
			test "$n" -eq 20
		guest_done
	fi

	# --no-udp: nothing goes through, ping does; -u is refused
	if up "$m" "no_udp4 no_udp6 no_udp_ping" --no-udp; then
		rt_none "udp_${m}_no_udp4" guest -c 3 "$R4" 7777
		rt_none "udp_${m}_no_udp6" guest -c 3 "$R6" 7777
		if [ "$HAVE_BB" = 1 ]; then
			out=$(timeout 20 ip netns exec "$L4_GUEST" busybox ping \
			      -c 2 -W 2 "$R4" 2>&1)
			check "udp_${m}_no_udp_ping" "$(echo "$out" | tail -n 1)" \
				eval 'echo "$out" | grep -q " 0% packet loss"'
		else
			skip "udp_${m}_no_udp_ping" "busybox ping not usable"
		fi
		guest_done
	fi
	if [ "$m" = passt ]; then
		out=$(timeout 10 "$PASST" -f --no-udp -u 5001 \
		      -s "$TESTDIR/refused.sock" 2>&1 </dev/null)
	else
		out=$(timeout 10 "$PASTA" --no-udp -u 5001 --config-net \
		      -- true 2>&1 </dev/null)
	fi
	n=$?
	check "udp_${m}_no_udp_refused" "status $n: $out" \
		eval '[ "$n" -ne 0 ] && echo "$out" | grep -q -- --no-udp'
}

for m in $MODES; do
	run_mode "$m"
done

# pasta, -u auto: a port bound in the namespace by a dual-stack IPv6 socket
# only (listed in /proc/net/udp6, not udp) is forwarded for IPv4 as well
if [ "$HAVE_PY" = 1 ]; then
	[ -e "/run/netns/$L4_GUEST" ] || ns_add "$L4_GUEST"
	rm -f "$TESTDIR/dual.ready"
	bg_start "$TESTDIR/dual.log" ip netns exec "$L4_GUEST" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 5040))
open(sys.argv[1], "w").close()
while True:
    d, a = s.recvfrom(65535)
    s.sendto(d, a)' "$TESTDIR/dual.ready"
	dual=$BG_PID
	wait_for 5 test -e "$TESTDIR/dual.ready"
	if up pasta auto_v6_bound4; then
		rt_ok udp_pasta_auto_v6_bound4 remote -c 20 -s "$R4" "$A4" 5040
		l4_guest_down
	fi
	kill_pid "$dual"
	untrack_pid "$dual"
else
	skip udp_pasta_auto_v6_bound4 "python3 not available"
fi

test_finish
