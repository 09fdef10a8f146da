#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/icmp.sh - ICMP and ICMPv6 echo in both modes (pasta
# joining a namespace, passt through the relay helper): ping from the guest
# to the remote namespace and to the gateway address (the host's loopback),
# large echo requests, several concurrent pings each keeping its identifier
# (busybox ping counts only replies that carry its own); --no-icmp (no
# reply, UDP still works); with ping sockets forbidden by
# net.ipv4.ping_group_range, one warning in the log for IPv4 and IPv6
# requests together.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"

MODES="pasta passt"
CASES=""
for m in $MODES; do
	for c in ping4 ping6 ping_gw4 ping_gw6 ping_large4 ping_large6 \
		 ping_concurrent4 ping_concurrent6 no_icmp4 no_icmp6 \
		 forbidden_warn_once; do
		CASES="$CASES icmp_${m}_$c"
	done
done

HAVE_BB=1
need_pkg busybox busybox:ping || HAVE_BB=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
[ "$HAVE_BB" = 1 ] || { skip_all "busybox ping not available" $CASES; exit 0; }
l4_ping_allow || {
	skip_all "can't allow ping sockets in the sandbox" $CASES
	exit 0
}

R4=$SANDBOX_OUTSIDE4
R6=$SANDBOX_OUTSIDE6

# A UDP echo server shows that a guest without ICMP is otherwise connected
for a in "$R4" "$R6"; do
	bg_start "$TESTDIR/echo-$a.log" ip netns exec remote "$UDPTOOL" echo \
		"$a" 7777
done

# ping_ok() - Run busybox ping in the guest, all replies must come
# $1:	case name
# $@:	ping arguments (count is -c 3 unless given)
ping_ok() {
	local name="$1" out
	shift
	out=$(timeout 30 ip netns exec "$L4_GUEST" busybox ping -W 2 "$@" 2>&1)
	if echo "$out" | grep -q ' 0% packet loss'; then
		pass "$name"
	else
		fail "$name" "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
	fi
}

# ping_concurrent() - Four pings at once, each must get all its replies
# $1:	case name
# $2:	destination
# $@:	further ping arguments
ping_concurrent() {
	local name="$1" dst="$2" i pids="" bad=""
	shift 2
	for i in 1 2 3 4; do
		timeout 30 ip netns exec "$L4_GUEST" busybox ping -c 10 \
			-i 0.1 -W 2 "$@" "$dst" >"$TESTDIR/conc-$i.out" 2>&1 &
		pids="$pids $!"
	done
	for i in $pids; do
		wait "$i"
	done
	for i in 1 2 3 4; do
		grep -q '10 packets received' "$TESTDIR/conc-$i.out" ||
			bad="$bad ping$i: $(tail -n 2 "$TESTDIR/conc-$i.out" |
					    tr '\n' ' ')"
	done
	if [ -z "$bad" ]; then
		pass "$name"
	else
		fail "$name" "$bad"
	fi
}

# run_mode() - Every case for one mode
# $1:	pasta or passt
run_mode() {
	local m="$1"
	if ! l4_guest_up "$m"; then
		fail "icmp_${m}_setup" "guest not usable: $(log_tail "$L4_LOG")"
		l4_guest_down
		return
	fi

	ping_ok "icmp_${m}_ping4" -c 3 "$R4"
	ping_ok "icmp_${m}_ping6" -6 -c 3 "$R6"
	ping_ok "icmp_${m}_ping_gw4" -c 3 "$SANDBOX_GW4"
	ping_ok "icmp_${m}_ping_gw6" -6 -c 3 -I "$GUEST_IF" "$SANDBOX_GW6"
	ping_ok "icmp_${m}_ping_large4" -c 3 -s 30000 "$R4"
	ping_ok "icmp_${m}_ping_large6" -6 -c 3 -s 30000 "$R6"
	ping_concurrent "icmp_${m}_ping_concurrent4" "$R4"
	ping_concurrent "icmp_${m}_ping_concurrent6" "$R6" -6

	l4_alive || fail "icmp_${m}_alive" "$m died: $(log_tail "$L4_LOG")"
	l4_guest_down
}

for m in $MODES; do
	run_mode "$m"
done

# --no-icmp: no echo reply, while UDP goes through
for m in $MODES; do
	if ! l4_guest_up "$m" --no-icmp; then
		fail "icmp_${m}_no_icmp4" "guest not usable: $(log_tail "$L4_LOG")"
		fail "icmp_${m}_no_icmp6" "guest not usable"
		l4_guest_down
		continue
	fi
	for v in 4 6; do
		r=$R4; [ "$v" = 6 ] && r=$R6
		out=$(timeout 20 ip netns exec "$L4_GUEST" busybox ping -"$v" \
		      -c 2 -W 1 "$r" 2>&1)
		udp=$(timeout 20 ip netns exec "$L4_GUEST" "$UDPTOOL" send -c 5 \
		      "$r" 7777 2>&1)
		if echo "$out" | grep -q ' 0 packets received' &&
		   echo "$udp" | grep -q 'received=5 '; then
			pass "icmp_${m}_no_icmp$v"
		else
			fail "icmp_${m}_no_icmp$v" "ping: $(echo "$out" |
				tail -n 1) udp: $udp"
		fi
	done
	l4_guest_down
done

# --- Ping sockets forbidden: requests dropped, one warning for all

sysctl -qw net.ipv4.ping_group_range="1 0"
for m in $MODES; do
	if l4_guest_up "$m"; then
		for i in 1 2; do
			timeout 10 ip netns exec "$L4_GUEST" busybox ping -c 2 \
				-W 1 "$R4" >/dev/null 2>&1
		done
		timeout 10 ip netns exec "$L4_GUEST" busybox ping -6 -c 2 -W 1 \
			"$R6" >/dev/null 2>&1
		n=$(grep -c 'ping sockets not allowed' "$L4_LOG")
		check_eq "icmp_${m}_forbidden_warn_once" 1 "$n"
		l4_guest_down
	else
		fail "icmp_${m}_forbidden_warn_once" "guest not usable"
	fi
done

test_finish
