#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/auto.sh - pasta's automatic forwarding ("auto", the
# default of -t, -u, -T and -U):
#   - a TCP server started in the namespace once pasta runs is reachable
#     from the host's loopback within 2 s (IPv4 and IPv6), and the host's
#     port is released within 2 s after the server stops; the same from the
#     host to the namespace (-T auto);
#   - no loop: a port forwarded one way is not forwarded back (the other
#     side has only the server's listeners on it), also after it stops;
#   - a port bound on both sides at start is not forwarded either way;
#   - UDP ports bound at start are forwarded both ways;
#   - exclusions with auto (-t ~PORT): that port is not followed, others are.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/tcp.sh"

CASES=""
for v in 4 6; do
	CASES="$CASES auto_in_appear$v auto_in_xfer$v auto_in_release$v
	       auto_out_appear$v auto_out_xfer$v auto_out_release$v"
done
CASES="$CASES auto_no_loop_in auto_no_loop_out auto_no_loop_after
auto_both_host auto_both_ns auto_udp_in auto_udp_out auto_excl
auto_excl_other auto_alive"

[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; tcp_build; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
{ tcp_build && l4_build; } ||
	{ skip_all "test/helpers/tcptool or udptool not built" $CASES; exit 0; }

# listeners() - Number of TCP listening sockets on a port
# $1:	namespace, "" for the host
# $2:	port
listeners() {
	ns_run "$1" ss -Htln "sport = :$2" 2>/dev/null | wc -l
}

# conn_ok() - A connection to ADDR PORT from a namespace succeeds
# $1:	namespace, "" for the host
# $2:	address
# $3:	port
conn_ok() {
	ns_run "$1" timeout 5 "$TCPTOOL" connect -t 2 "$2" "$3" 2>&1 |
		grep -q '^result=connected'
}

# now_ms() - Monotonic-enough time in milliseconds
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# appear_release() - A server started on one side shows up on the other
# $1:	in (server in the namespace, -t auto) or out (on the host, -T auto)
# $2:	4 or 6
# $3:	port
appear_release() {
	local d="$1" v="$2" port="$3" lo=127.0.0.1 any=0.0.0.0 srv_ns cli_ns
	local t0 ms
	[ "$v" = 6 ] && { lo=::1; any=::; }
	if [ "$d" = in ]; then
		srv_ns=$L4_GUEST; cli_ns=""
	else
		srv_ns=""; cli_ns=$L4_GUEST; any=$lo
	fi

	tcp_server "$srv_ns" "$any" "$port" || die "server $d $port"
	t0=$(now_ms)
	if wait_for 3 conn_ok "$cli_ns" "$lo" "$port"; then
		ms=$(($(now_ms) - t0))
		check "auto_${d}_appear$v" "reachable after $ms ms" \
			test "$ms" -le 2000
		note "auto_${d}_appear$v: reachable after $ms ms"
	else
		fail "auto_${d}_appear$v" "not reachable after 3 s"
	fi
	tcp_xfer "auto_${d}_xfer$v" "$cli_ns" "$SRV_LOG" 60 -t 20 \
		-u 8M -d 8M "$lo" "$port"

	kill_pid "$SRV_PID"
	untrack_pid "$SRV_PID"
	t0=$(now_ms)
	if wait_for 3 eval '[ "$(listeners "$cli_ns" "$port")" -eq 0 ]'; then
		ms=$(($(now_ms) - t0))
		check "auto_${d}_release$v" "released after $ms ms" \
			test "$ms" -le 2000
		note "auto_${d}_release$v: released after $ms ms"
	else
		fail "auto_${d}_release$v" "still listening after 3 s"
	fi
}

# --- Before pasta starts: bound on both sides, UDP servers

tcp_server "" 127.0.0.1 11500 || die "host server 11500"
BOTH_HOST_LOG=$SRV_LOG
ns_add "$L4_GUEST" || die "namespace"
tcp_server "$L4_GUEST" 0.0.0.0 11500 || die "guest server 11500"
BOTH_NS_LOG=$SRV_LOG
bg_start "$TESTDIR/uecho-guest.log" \
	ip netns exec "$L4_GUEST" "$UDPTOOL" echo 0.0.0.0 12001
bg_start "$TESTDIR/uecho-host.log" "$UDPTOOL" echo 127.0.0.1 22001
sleep 0.3

L4_DEBUG=-f l4_guest_up pasta ||
	die "pasta not usable: $(log_tail "$L4_LOG")"
sleep 1.2	# one scan at least

# --- TCP, both ways, both IP versions

appear_release in 4 11001
appear_release in 6 11002
appear_release out 4 21001
appear_release out 6 21002

# --- No loop: forwarded one way, never back

tcp_server "$L4_GUEST" 0.0.0.0 11003 || die "guest server 11003"
LOOP_PID=$SRV_PID
wait_for 3 conn_ok "" 127.0.0.1 11003
sleep 2.2	# two more scans
check_eq auto_no_loop_in "host 2 ns 1" \
	"host $(listeners "" 11003) ns $(listeners "$L4_GUEST" 11003)"
tcp_server "" 127.0.0.1 21003 || die "host server 21003"
wait_for 3 conn_ok "$L4_GUEST" 127.0.0.1 21003
sleep 2.2
check_eq auto_no_loop_out "host 1 ns 2" \
	"host $(listeners "" 21003) ns $(listeners "$L4_GUEST" 21003)"
kill_pid "$LOOP_PID"
untrack_pid "$LOOP_PID"
sleep 2.5
check_eq auto_no_loop_after "host 0 ns 0" \
	"host $(listeners "" 11003) ns $(listeners "$L4_GUEST" 11003)"

# --- Bound on both sides at start: each side reaches its own server

tcp_xfer auto_both_host "" "$BOTH_HOST_LOG" 30 -t 10 -u 64k -d 64k \
	127.0.0.1 11500
tcp_xfer auto_both_ns "$L4_GUEST" "$BOTH_NS_LOG" 30 -t 10 -u 64k -d 64k \
	127.0.0.1 11500

# --- UDP, scanned at start

out=$(timeout 30 "$UDPTOOL" send -c 200 127.0.0.1 12001 2>&1)
check auto_udp_in "$out" test $? -eq 0
out=$(timeout 30 ip netns exec "$L4_GUEST" "$UDPTOOL" send -c 200 \
      127.0.0.1 22001 2>&1)
check auto_udp_out "$out" test $? -eq 0

check auto_alive "pasta died: $(log_tail "$L4_LOG")" l4_alive
l4_guest_down

# --- Exclusions: -t ~11010 follows every port but 11010

L4_DEBUG=-f l4_guest_up pasta -t ~11010 -T none -u none -U none ||
	die "pasta (exclusions) not usable: $(log_tail "$L4_LOG")"
tcp_server "$L4_GUEST" 0.0.0.0 11010 || die "guest server 11010"
tcp_server "$L4_GUEST" 0.0.0.0 11011 || die "guest server 11011"
check auto_excl_other "11011 not forwarded" \
	wait_for 3 conn_ok "" 127.0.0.1 11011
sleep 1.2
check_eq auto_excl 0 "$(listeners "" 11010)"
l4_guest_down

test_finish
