#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/udp.sh - UDP in both modes (pasta joining a namespace,
# passt through the relay helper), IPv4 and IPv6:
#   - echo round trips from the guest to a server in the remote namespace,
#   - a burst of 10 000 numbered, hashed datagrams of mixed sizes up to the
#     guest's MTU, checked on return: intact, in order, loss reported,
#   - the gateway address reaching a server on the host's loopback, replies
#     coming back from the gateway,
#   - DNS through --dns-forward, answered by a responder in the remote
#     namespace (the sandbox's resolver, 198.51.100.53 / 2001:db8:1::53),
#   - -u forwarding from the remote namespace (with and without port
#     translation, and a burst) and from the host's loopback.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"

MODES="pasta passt"
CASES=""
for m in $MODES; do
	for c in echo4 echo6 burst4 burst6 gw4 gw6 dns4 dns6 dns_nslookup \
		 fwd_remote4 fwd_remote6 fwd_xlate fwd_burst4 fwd_burst6 \
		 fwd_loop4 fwd_loop6; do
		CASES="$CASES udp_${m}_$c"
	done
done

HAVE_BB=1
need_pkg busybox busybox:nslookup || HAVE_BB=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
l4_build || { skip_all "test/helpers/udptool not built" $CASES; exit 0; }

R4=$SANDBOX_OUTSIDE4		# remote peer, routed through the gateway
R6=$SANDBOX_OUTSIDE6
DNS_FWD4=203.0.113.53		# --dns-forward addresses the guest uses
DNS_FWD6=2001:db8:5::53
ANS4=203.0.113.7		# what the remote resolver answers
ANS6=2001:db8:7::7
MAX4=$((L4_MTU - 28))		# largest UDP payloads at the guest's MTU
MAX6=$((L4_MTU - 48))
BURST=${UDP_BURST:-10000}

# --- Peers: echo servers (remote, host loopback), resolver (remote)

in_remote ip addr add "$SANDBOX_DNS4/32" dev lo
in_remote ip -6 addr add "$SANDBOX_DNS6/128" dev lo nodad
for a in "$R4" "$R6"; do
	bg_start "$TESTDIR/echo-$a.log" ip netns exec remote "$UDPTOOL" echo "$a" 7777
done
for a in 127.0.0.1 ::1; do
	bg_start "$TESTDIR/echo-$a.log" "$UDPTOOL" echo "$a" 7778
done
for a in "$SANDBOX_DNS4" "$SANDBOX_DNS6"; do
	bg_start "$TESTDIR/dns-$a.log" ip netns exec remote "$UDPTOOL" dns "$a" 53 \
		"$ANS4" "$ANS6"
done
sleep 0.3

# rt() - Round trips: check a udptool "send" run, note its figures
# $1:	case name
# $2:	namespace: "guest", "remote", or "" for the sandbox itself
# $@:	udptool send arguments
rt() {
	local name="$1" ns="$2" out
	shift 2
	if out=$(ns_run "$ns" timeout 120 "$UDPTOOL" send "$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$out"
	fi
	case "$*" in *"-c $BURST"*) note "$name: $out" ;; esac
}

# run_mode() - Every case for one mode
# $1:	pasta or passt
run_mode() {
	local m="$1" out a p
	if ! l4_guest_up "$m" -u 5001,5002:6002 \
		--dns-forward "$DNS_FWD4" --dns-forward "$DNS_FWD6"; then
		fail "udp_${m}_setup" "guest not usable: $(log_tail "$L4_LOG")"
		l4_guest_down
		return
	fi

	# Neighbours resolved before measuring: datagrams queued in the
	# kernel during resolution may leave after later ones
	for a in "$R4" "$R6" "$SANDBOX_GW4" "$SANDBOX_GW6%$GUEST_IF"; do
		p=7777
		case "$a" in "$SANDBOX_GW4"|fe80*) p=7778 ;; esac
		timeout 10 ip netns exec "$L4_GUEST" "$UDPTOOL" send -c 3 -w 1 \
			"$a" "$p" >/dev/null 2>&1
	done

	rt "udp_${m}_echo4" guest -c 100 -m 1400 "$R4" 7777
	rt "udp_${m}_echo6" guest -c 100 -m 1400 "$R6" 7777
	rt "udp_${m}_burst4" guest -c "$BURST" -m "$MAX4" -w 16 -L 1 \
		"$R4" 7777
	rt "udp_${m}_burst6" guest -c "$BURST" -m "$MAX6" -w 16 -L 1 \
		"$R6" 7777
	rt "udp_${m}_gw4" guest -c 100 "$SANDBOX_GW4" 7778
	rt "udp_${m}_gw6" guest -c 100 "$SANDBOX_GW6%$GUEST_IF" 7778

	out=$(timeout 20 ip netns exec "$L4_GUEST" "$UDPTOOL" query "$DNS_FWD4" 53 \
	      www.example.org 2>&1)
	check_eq "udp_${m}_dns4" "answer=$ANS4" "$out"
	out=$(timeout 20 ip netns exec "$L4_GUEST" "$UDPTOOL" query -6 "$DNS_FWD6" 53 \
	      www.example.org 2>&1)
	check_eq "udp_${m}_dns6" "answer=$ANS6" "$out"
	if [ "$HAVE_BB" = 1 ]; then
		out=$(timeout 20 ip netns exec "$L4_GUEST" busybox nslookup www.example.org \
		      "$DNS_FWD4" 2>&1)
		check "udp_${m}_dns_nslookup" "$(echo "$out" | tr '\n' ' ')" \
			eval 'echo "$out" | grep -q "$ANS4"'
	else
		skip "udp_${m}_dns_nslookup" "busybox nslookup not available"
	fi

	# -u: echo servers in the guest, on 5001 and (translated) 6002
	local pids="" p
	for a in 0.0.0.0 ::; do
		for p in 5001 6002; do
			bg_start "$TESTDIR/gecho-$m-$a-$p.log" \
				ip netns exec "$L4_GUEST" "$UDPTOOL" echo "$a" "$p"
			pids="$pids $BG_PID"
		done
	done
	sleep 0.3
	timeout 10 ip netns exec remote "$UDPTOOL" send -c 3 -w 1 -s "$R4" \
		"$SANDBOX_ADDR4" 5001 >/dev/null 2>&1
	timeout 10 ip netns exec remote "$UDPTOOL" send -c 3 -w 1 -s "$R6" \
		"$SANDBOX_ADDR6" 5001 >/dev/null 2>&1
	rt "udp_${m}_fwd_remote4" remote -s "$R4" -c 100 \
		"$SANDBOX_ADDR4" 5001
	rt "udp_${m}_fwd_remote6" remote -s "$R6" -c 100 \
		"$SANDBOX_ADDR6" 5001
	rt "udp_${m}_fwd_xlate" remote -s "$R4" -c 100 \
		"$SANDBOX_ADDR4" 5002
	rt "udp_${m}_fwd_burst4" remote -s "$R4" -c "$BURST" -m "$MAX4" \
		-w 16 -L 1 "$SANDBOX_ADDR4" 5001
	rt "udp_${m}_fwd_burst6" remote -s "$R6" -c "$BURST" -m "$MAX6" \
		-w 16 -L 1 "$SANDBOX_ADDR6" 5001
	rt "udp_${m}_fwd_loop4" "" -c 100 127.0.0.1 5001
	rt "udp_${m}_fwd_loop6" "" -c 100 ::1 5001
	for p in $pids; do
		kill_pid "$p"
		untrack_pid "$p"
	done

	l4_alive || fail "udp_${m}_alive" "$m died: $(log_tail "$L4_LOG")"
	l4_guest_down
}

for m in $MODES; do
	run_mode "$m"
done

test_finish
