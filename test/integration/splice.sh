#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/splice.sh - pasta's loopback bypass (tcp_splice.c, and the
# bypass of udp.c), with explicit port specs:
#   - TCP from the host's loopback (127.0.0.1, ::1) through -t to a server in
#     the namespace, and from the namespace's loopback through -T to a server
#     on the host's loopback: SPLICE_BIG (default 1G) each way, checked by
#     hash on both ends (test/helpers/tcptool); the servers must see a
#     loopback peer (spliced, not translated through the tap device);
#   - half-close by either end, reset by either end, both directions;
#   - translation (-t 10002:10003, -T 20002:20003), a range with an
#     exclusion (10010-10020,~10015), bind addresses (127.0.0.1/, ::1/, the
#     host's own address, which takes the tap path);
#   - 1000 concurrent spliced connections each way, all intact, and then
#     no pipe left and as many sockets as before in pasta's descriptors;
#   - UDP round trips through -u and -U, with translation, IPv4 and IPv6.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/tcp.sh"

BIG=${SPLICE_BIG:-1G}
MANY=${SPLICE_MANY:-1000}
XFER_SECS=${SPLICE_XFER_SECS:-150}
export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-580}

CASES=""
for d in in out; do
	for v in 4 6; do
		for c in big peer half_c half_s rst_srv rst_cli xlate; do
			CASES="$CASES splice_${d}_$c$v"
		done
		CASES="$CASES splice_udp_${d}$v splice_udp_${d}_xlate$v"
	done
	CASES="$CASES splice_${d}_many splice_${d}_many_fds"
done
CASES="$CASES splice_range_in splice_range_excl splice_bind_lo4
splice_bind_lo4_only splice_bind_lo6 splice_bind_lo6_only splice_bind_addr splice_bind_addr_only
splice_alive"

[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; tcp_build; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
{ tcp_build && l4_build; } ||
	{ skip_all "test/helpers/tcptool or udptool not built" $CASES; exit 0; }

# Ports: -t in 1xxxx, -T in 2xxxx; UDP uses the same numbers
OPTS="-t 10001,10002:10003,10010-10020,~10015
      -t 127.0.0.1/10030 -t ::1/10031 -t $SANDBOX_ADDR4/10032
      -T 20001,20002:20003 -u 10001,10002:10003 -U 20001,20002:20003"

# Servers on the host's loopback, for -T
declare -A HLOG
for a in 127.0.0.1 ::1; do
	for p in 20001 20003; do
		tcp_server "" "$a" "$p" || die "host server $a $p"
		HLOG[$a-$p]=$SRV_LOG
	done
	bg_start "$TESTDIR/uecho-host-$a.log" "$UDPTOOL" echo "$a" 20001
	bg_start "$TESTDIR/uecho-host-x-$a.log" "$UDPTOOL" echo "$a" 20003
done

# shellcheck disable=SC2086
L4_DEBUG=-f l4_guest_up pasta $OPTS ||
	die "pasta not usable: $(log_tail "$L4_LOG")"
PID=$L4_PID

# Servers in the namespace, for -t
declare -A GLOG
for a in 0.0.0.0 ::; do
	for p in 10001 10003; do
		tcp_server "$L4_GUEST" "$a" "$p" || die "guest server $a $p"
		GLOG[$a-$p]=$SRV_LOG
	done
	bg_start "$TESTDIR/uecho-guest-$a.log" \
		ip netns exec "$L4_GUEST" "$UDPTOOL" echo "$a" 10001
	bg_start "$TESTDIR/uecho-guest-x-$a.log" \
		ip netns exec "$L4_GUEST" "$UDPTOOL" echo "$a" 10003
done
for p in 10014 10015 10016 10030 10032; do
	tcp_server "$L4_GUEST" 0.0.0.0 "$p" || die "guest server $p"
	GLOG[0.0.0.0-$p]=$SRV_LOG
done
tcp_server "$L4_GUEST" :: 10031 || die "guest server :: 10031"
GLOG[::-10031]=$SRV_LOG
sleep 0.3

# peer_is() - Check the peer address the server saw for the last transfer
# $1:	case name
# $2:	expected peer address
peer_is() {
	local peer
	peer=$(echo "$XFER_LINE" | sed -n 's/.* peer=\([^ ]*\) .*/\1/p')
	check_eq "$1" "$2" "$peer"
}

# conn_result() - Outcome of a connection attempt: connected, refused...
# $1:	namespace of the client, "" for the host
# $2:	address
# $3:	port
conn_result() {
	ns_run "$1" timeout 15 "$TCPTOOL" connect -t 5 "$2" "$3" 2>&1 |
		sed -n 's/^result=\([^ ]*\).*/\1/p'
}

# tcp_cases() - Transfers, half-closes and resets in one direction
# $1:	in (host to namespace, -t) or out (namespace to host, -T)
# $2:	4 or 6
tcp_cases() {
	local d="$1" v="$2" ns lo log xlog port xport any
	lo=127.0.0.1; any=0.0.0.0
	[ "$v" = 6 ] && { lo=::1; any=::; }
	if [ "$d" = in ]; then
		ns=""; port=10001; xport=10002
		log=${GLOG[$any-10001]}; xlog=${GLOG[$any-10003]}
	else
		ns=$L4_GUEST; port=20001; xport=20002
		log=${HLOG[$lo-20001]}; xlog=${HLOG[$lo-20003]}
	fi

	local t0=$SECONDS
	tcp_xfer "splice_${d}_big$v" "$ns" "$log" "$XFER_SECS" \
		-t 60 -u "$BIG" -d "$BIG" "$lo" "$port"
	note "splice_${d}_big$v: $BIG each way, $((SECONDS - t0)) s:" \
		"$XFER_OUT"
	peer_is "splice_${d}_peer$v" "$lo"

	tcp_xfer "splice_${d}_half_c$v" "$ns" "$log" 60 -t 20 \
		-H -u 4M -d 4M "$lo" "$port"
	tcp_xfer "splice_${d}_half_s$v" "$ns" "$log" 60 -t 20 \
		-S -u 1k -d 1M -p 4M "$lo" "$port"
	tcp_xfer "splice_${d}_rst_srv$v" "$ns" "$log" 60 -t 20 \
		-R -d 256k "$lo" "$port"
	tcp_xfer "splice_${d}_rst_cli$v" "$ns" "$log" 60 -t 20 \
		-A 200 -u 256k -d 256k "$lo" "$port"
	tcp_xfer "splice_${d}_xlate$v" "$ns" "$xlog" 60 -t 20 \
		-u 1M -d 1M "$lo" "$xport"
}

# udp_cases() - UDP round trips through -u or -U
# $1:	in or out
# $2:	4 or 6
udp_cases() {
	local d="$1" v="$2" ns="" lo=127.0.0.1 port=10001 xport=10002 out
	[ "$v" = 6 ] && lo=::1
	[ "$d" = out ] && { ns=$L4_GUEST; port=20001; xport=20002; }
	out=$(ns_run "$ns" timeout 60 "$UDPTOOL" send -c 1000 -m 16000 \
	      "$lo" "$port" 2>&1)
	check "splice_udp_${d}$v" "$out" test $? -eq 0
	out=$(ns_run "$ns" timeout 60 "$UDPTOOL" send -c 100 "$lo" \
	      "$xport" 2>&1)
	check "splice_udp_${d}_xlate$v" "$out" test $? -eq 0
}

# many_case() - Concurrent connections, then pasta's descriptors
# $1:	in or out
many_case() {
	local d="$1" ns="" log=${GLOG[0.0.0.0-10001]} port=10001
	local socks0 socks1 pipes0 pipes1
	[ "$d" = out ] && { ns=$L4_GUEST; log=${HLOG[127.0.0.1-20001]}; \
			    port=20001; }
	# Let the pool of namespace sockets fill up again (once a second)
	sleep 1.5
	socks0=$(fd_count "$PID" socket)
	pipes0=$(fd_count "$PID" pipe)
	tcp_xfer "splice_${d}_many" "$ns" "$log" 240 -t 120 -n "$MANY" \
		-z -u 256k -d 256k 127.0.0.1 "$port"
	note "splice_${d}_many: $XFER_OUT"
	# Sockets of the namespace pool are refilled once a second
	wait_for 5 eval '[ "$(fd_count "$PID" pipe)" -eq "$pipes0" ] &&
		[ "$(fd_count "$PID" socket)" -eq "$socks0" ]'
	pipes1=$(fd_count "$PID" pipe)
	socks1=$(fd_count "$PID" socket)
	check_eq "splice_${d}_many_fds" "pipes=$pipes0 sockets=$socks0" \
		"pipes=$pipes1 sockets=$socks1"
}

for d in in out; do
	for v in 4 6; do
		tcp_cases "$d" "$v"
		udp_cases "$d" "$v"
	done
	many_case "$d"
done

# Range with an exclusion: 10014 and 10016 forwarded, 10015 not
check_eq splice_range_in "connected connected" \
	"$(conn_result "" 127.0.0.1 10014) $(conn_result "" 127.0.0.1 10016)"
check_eq splice_range_excl refused "$(conn_result "" 127.0.0.1 10015)"

# Bind addresses: only the given address listens on the host
tcp_xfer splice_bind_lo4 "" "${GLOG[0.0.0.0-10030]}" 60 -t 20 -u 1M -d 1M \
	127.0.0.1 10030
check_eq splice_bind_lo4_only refused "$(conn_result "" ::1 10030)"
tcp_xfer splice_bind_lo6 "" "${GLOG[::-10031]}" 60 -t 20 -u 1M -d 1M \
	::1 10031
check_eq splice_bind_lo6_only refused "$(conn_result "" 127.0.0.1 10031)"
tcp_xfer splice_bind_addr "" "${GLOG[0.0.0.0-10032]}" 60 -t 20 -u 1M -d 1M \
	"$SANDBOX_ADDR4" 10032
check_eq splice_bind_addr_only refused "$(conn_result "" 127.0.0.1 10032)"

check splice_alive "pasta died: $(log_tail "$L4_LOG")" l4_alive
l4_guest_down
test_finish
