#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/tcp_conn.sh - TCP connection life cycle in both modes
# (pasta joining a namespace, passt through the relay helper), IPv4 and
# IPv6, with test/helpers/tcptool:
#   - many concurrent connections (TCP_CONNS, default 1000, outbound; half
#     of that inbound), each with its own payload both ways, all intact;
#     afterwards the program holds no more descriptors than before;
#   - half-close: the guest shuts down its writing side and still receives
#     (as client and as server), the remote peer does the same;
#   - the guest's FIN is acknowledged when the guest closes last: no
#     retransmission timeout, no socket left in LAST-ACK;
#   - refused destination: ECONNREFUSED quickly; unreachable (ICMP) and
#     black-holed destinations: refusal or timeout, bounded, never a hang;
#   - resets: from the remote peer to the guest's application
#     (ECONNRESET), from the guest (SO_LINGER 0) to the remote peer, for
#     outbound and inbound connections;
#   - the gateway address reaches the host's loopback, --no-map-gw sends
#     it to the gateway itself;
#   - --no-tcp: guest connections don't get through, -t is refused;
#   - the forwarding listeners' backlog is the largest the kernel allows
#     (at most 4096), so that bursts of inbound connections aren't dropped.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/tcp.sh"

MODES=${TCP_MODES:-pasta passt}
CONNS=${TCP_CONNS:-1000}
export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-580}

CASES=""
for m in $MODES; do
	for v in 4 6; do
		for c in many_out many_in half_guest_out half_guest_in \
			 half_remote_out half_remote_in close_last_out \
			 close_last_in refused unreach blackhole \
			 rst_from_remote_out rst_from_guest_out \
			 rst_from_remote_in rst_from_guest_in gw no_map_gw \
			 no_tcp backlog; do
			CASES="$CASES tcp_${m}_$c$v"
		done
	done
	CASES="$CASES tcp_${m}_no_leak tcp_${m}_no_tcp_fwd"
done

[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; tcp_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
tcp_build || { skip_all "test/helpers/tcptool not built" $CASES; exit 0; }

PORT_OUT=9000		# servers in the remote namespace
PORT_FWD=9100		# forwarded by -t, servers in the guest
PORT_GW=9200		# servers on the host's loopback and the remote
PORT_CLOSED=9999	# nothing listens there
UNREACH4=203.0.113.65	# the remote answers "unreachable" (ICMP)
UNREACH6=2001:db8:6::65
BLACKHOLE4=203.0.113.129	# the remote drops it silently
BLACKHOLE6=2001:db8:7::129
T0=$(date +%s)

ulimit -n 65536 2>/dev/null || ulimit -n 16384 2>/dev/null

for a in "$SANDBOX_OUTSIDE4" "$SANDBOX_OUTSIDE6"; do
	tcp_server remote "$a" "$PORT_OUT" || die "remote server on $a"
done
RLOG4="$TESTDIR/srv-remote-${SANDBOX_OUTSIDE4//[:%]/_}-$PORT_OUT.log"
RLOG6="$TESTDIR/srv-remote-${SANDBOX_OUTSIDE6//[:%]/_}-$PORT_OUT.log"
# Gateway mapping: the host's loopback, and the gateway's own addresses
tcp_server "" 127.0.0.1 "$PORT_GW" || die "loopback server"
LLOG4=$SRV_LOG
tcp_server "" ::1 "$PORT_GW" || die "loopback server (IPv6)"
LLOG6=$SRV_LOG
tcp_server remote 0.0.0.0 "$PORT_GW" || die "gateway server"
GWLOG4=$SRV_LOG
tcp_server remote :: "$PORT_GW" || die "gateway server (IPv6)"
GWLOG6=$SRV_LOG

# Without forwarding, a Linux router drops what it has no route for without
# an ICMP error: enable it (the remote namespace has no other link)
in_remote sysctl -qw net.ipv4.ip_forward=1
in_remote ip route add unreachable 203.0.113.64/26
in_remote ip route add blackhole 203.0.113.128/26
in_remote ip -6 route add unreachable 2001:db8:6::/48
in_remote ip -6 route add blackhole 2001:db8:7::/48

# conn_case() - A connection attempt from the guest ends as expected
# $1:	case name
# $2:	destination address
# $3:	port
# $4:	client time limit, seconds
# $5:	accepted results, a regular expression (refused|timeout)
# $6:	at most this many milliseconds
conn_case() {
	local name="$1" out res ms
	out=$(timeout -k 2 $(($4 + 5)) ip netns exec "$L4_GUEST" "$TCPTOOL" \
	      connect -t "$4" "$2" "$3" 2>&1)
	res=$(echo "$out" | sed -n 's/^result=\([^ ]*\) .*/\1/p')
	ms=$(echo "$out" | sed -n 's/.* ms=\([0-9]*\).*/\1/p')
	if ! echo "$res" | grep -Eqx "$5"; then
		fail "$name" "got '${out:-nothing}', expected $5"
	elif [ "${ms:-999999}" -gt "$6" ]; then
		fail "$name" "$res after $ms ms, expected within $6 ms"
	else
		pass "$name"
		note "$name: $res after $ms ms"
	fi
}

# close_last() - The guest closes last: its FIN must be acknowledged, no
# retransmission timeout, no socket left waiting in LAST-ACK
# $1:	case name
# $2:	namespace of the client
# $3:	server log
# $@:	client arguments
close_last() {
	local name="$1" ns="$2" log="$3" to0 to1 left
	shift 3
	tcp_settle "$L4_GUEST"
	to0=$(tcp_counter "$L4_GUEST" TcpExtTCPTimeouts)
	if ! tcp_xfer "$name" "$ns" "$log" 30 "$@" >/dev/null; then
		fail "$name" "exchange failed: $XFER_OUT; server: $XFER_LINE"
		return
	fi
	sleep 1.5
	to1=$(tcp_counter "$L4_GUEST" TcpExtTCPTimeouts)
	left=$(tcp_closing "$L4_GUEST")
	if [ "$to1" -ne "$to0" ] || [ "$left" -ne 0 ]; then
		fail "$name" "$((to1 - to0)) retransmission timeouts in the guest, $left sockets still closing 1.5 s later"
	else
		pass "$name"
	fi
}

# run_mode() - Every case for one mode
# $1:	pasta or passt
run_mode() {
	local m="$1" v r rlog glog gaddr gw pids="" p t_mode base left
	local bh4 bh6 opts="-t $PORT_FWD"
	t_mode=$(date +%s)
	[ "$m" = pasta ] && opts="$opts -T none -U none"
	# shellcheck disable=SC2086
	if ! L4_DEBUG=-f l4_guest_up "$m" $opts; then
		fail "tcp_${m}_setup" "guest not usable: $(log_tail "$L4_LOG")"
		l4_guest_down
		return
	fi
	tcp_server "$L4_GUEST" 0.0.0.0 "$PORT_FWD" || fail "tcp_${m}_setup" "guest server"
	pids="$pids $SRV_PID"
	local GLOG4=$SRV_LOG
	tcp_server "$L4_GUEST" :: "$PORT_FWD" || fail "tcp_${m}_setup" "guest server (IPv6)"
	pids="$pids $SRV_PID"
	local GLOG6=$SRV_LOG

	# Descriptors before any connection
	sleep 0.5
	base=$(fd_count "$L4_PID")

	# The forwarding listeners queue bursts of connections (many_in):
	# ss shows a listener's backlog as its Send-Q
	for v in 4 6; do
		local want got
		want=$(cat /proc/sys/net/core/somaxconn)
		[ "$want" -gt 4096 ] && want=4096
		got=$(ss -Hltn -"$v" "sport = :$PORT_FWD" | awk '{ print $3 }')
		check_eq "tcp_${m}_backlog$v" "$want" "$got"
	done

	for v in 4 6; do
		if [ "$v" = 4 ]; then
			r=$SANDBOX_OUTSIDE4; rlog=$RLOG4; glog=$GLOG4
			gaddr=$SANDBOX_ADDR4
		else
			r=$SANDBOX_OUTSIDE6; rlog=$RLOG6; glog=$GLOG6
			gaddr=$SANDBOX_ADDR6
		fi
		tcp_xfer "tcp_${m}_many_out$v" "$L4_GUEST" "$rlog" 180 -t 60 \
			-n "$CONNS" -z -u 64k -d 64k "$r" "$PORT_OUT"
		note "tcp_${m}_many_out$v: $XFER_OUT"
		tcp_xfer "tcp_${m}_many_in$v" remote "$glog" 180 -t 60 \
			-n $((CONNS / 2)) -z -u 64k -d 64k -s "$r" "$gaddr" \
			"$PORT_FWD"
		note "tcp_${m}_many_in$v: $XFER_OUT"
	done

	# No descriptor left once every connection is closed
	tcp_settle "$L4_GUEST" 10
	if [ "${base:-0}" -lt 3 ]; then
		fail "tcp_${m}_no_leak" "can't read the descriptors of PID $L4_PID"
	elif wait_for 10 eval '[ "$(fd_count "$L4_PID")" -le "$base" ]'; then
		pass "tcp_${m}_no_leak"
	else
		fail "tcp_${m}_no_leak" "$(fd_count "$L4_PID") descriptors, $base before the connections ($(fd_count "$L4_PID" socket) sockets, $(fd_count "$L4_PID" timerfd) timers)"
	fi

	for v in 4 6; do
		if [ "$v" = 4 ]; then
			r=$SANDBOX_OUTSIDE4; rlog=$RLOG4; glog=$GLOG4
			gaddr=$SANDBOX_ADDR4
		else
			r=$SANDBOX_OUTSIDE6; rlog=$RLOG6; glog=$GLOG6
			gaddr=$SANDBOX_ADDR6
		fi

		# Half-close, guest first: as client (outbound), the server
		# sends only after the guest's FIN; as server (inbound), the
		# guest shuts down after its data and then receives
		tcp_xfer "tcp_${m}_half_guest_out$v" "$L4_GUEST" "$rlog" 60 \
			-t 20 -H -u 1M -d 4M "$r" "$PORT_OUT"
		tcp_xfer "tcp_${m}_half_guest_in$v" remote "$glog" 60 \
			-t 20 -s "$r" -S -u 1k -d 1M -p 4M "$gaddr" "$PORT_FWD"
		# Half-close, remote first: the mirror images
		tcp_xfer "tcp_${m}_half_remote_out$v" "$L4_GUEST" "$rlog" 60 \
			-t 20 -S -u 1k -d 1M -p 4M "$r" "$PORT_OUT"
		tcp_xfer "tcp_${m}_half_remote_in$v" remote "$glog" 60 \
			-t 20 -s "$r" -H -u 4M -d 4M "$gaddr" "$PORT_FWD"

		# The guest sends the last FIN: as client after the server's
		# shutdown, as server after the client's
		close_last "tcp_${m}_close_last_out$v" "$L4_GUEST" "$rlog" \
			-t 20 -S -u 1k -d 64k -p 64k "$r" "$PORT_OUT"
		close_last "tcp_${m}_close_last_in$v" remote "$glog" \
			-t 20 -s "$r" -u 64k -d 64k "$gaddr" "$PORT_FWD"
	done

	# Black holes take the longest: in the background meanwhile
	bh4="$TESTDIR/bh4-$m.out"; bh6="$TESTDIR/bh6-$m.out"
	bg_start "$bh4" ip netns exec "$L4_GUEST" "$TCPTOOL" connect -t 40 \
		"$BLACKHOLE4" "$PORT_OUT"
	local bhp4=$BG_PID
	bg_start "$bh6" ip netns exec "$L4_GUEST" "$TCPTOOL" connect -t 40 \
		"$BLACKHOLE6" "$PORT_OUT"
	local bhp6=$BG_PID

	for v in 4 6; do
		if [ "$v" = 4 ]; then
			r=$SANDBOX_OUTSIDE4; rlog=$RLOG4; glog=$GLOG4
			gaddr=$SANDBOX_ADDR4
		else
			r=$SANDBOX_OUTSIDE6; rlog=$RLOG6; glog=$GLOG6
			gaddr=$SANDBOX_ADDR6
		fi

		# Refused and unreachable destinations
		conn_case "tcp_${m}_refused$v" "$r" "$PORT_CLOSED" 10 refused 2000
		if [ "$v" = 4 ]; then
			conn_case "tcp_${m}_unreach$v" "$UNREACH4" "$PORT_OUT" \
				20 'refused|unreachable|timeout' 15000
		else
			conn_case "tcp_${m}_unreach$v" "$UNREACH6" "$PORT_OUT" \
				20 'refused|unreachable|timeout' 15000
		fi

		# Resets both ways: -R, the server resets, the client must
		# see ECONNRESET; -A, the client resets, the server must
		tcp_xfer "tcp_${m}_rst_from_remote_out$v" "$L4_GUEST" "$rlog" \
			30 -t 20 -R -d 256k "$r" "$PORT_OUT"
		tcp_xfer "tcp_${m}_rst_from_guest_out$v" "$L4_GUEST" "$rlog" \
			30 -t 20 -A 200 -u 256k -d 256k "$r" "$PORT_OUT"
		tcp_xfer "tcp_${m}_rst_from_remote_in$v" remote "$glog" 30 \
			-t 20 -s "$r" -A 200 -u 256k -d 256k "$gaddr" "$PORT_FWD"
		tcp_xfer "tcp_${m}_rst_from_guest_in$v" remote "$glog" 30 \
			-t 20 -s "$r" -R -d 256k "$gaddr" "$PORT_FWD"

		# The gateway address is the host's loopback
		if [ "$v" = 4 ]; then
			gw=$SANDBOX_GW4
			tcp_xfer "tcp_${m}_gw$v" "$L4_GUEST" "$LLOG4" 30 -t 10 \
				-u 1M -d 1M "$gw" "$PORT_GW"
		else
			gw="$SANDBOX_GW6%$GUEST_IF"
			tcp_xfer "tcp_${m}_gw$v" "$L4_GUEST" "$LLOG6" 30 -t 10 \
				-u 1M -d 1M "$gw" "$PORT_GW"
		fi
	done

	# Black holes: the translator gives up on the handshake and resets
	# the guest's attempt, long before the guest's own SYN retries would
	# (about two minutes): we wait 40 s
	for v in 4 6; do
		p=$bhp4; out=$bh4
		[ "$v" = 6 ] && { p=$bhp6; out=$bh6; }
		wait_for 45 eval '! pid_alive '"$p"
		local res
		res=$(cat "$out")
		case "$res" in
		result=refused*|result=unreachable*)
			pass "tcp_${m}_blackhole$v"
			note "tcp_${m}_blackhole$v: $res"
			;;
		*)	fail "tcp_${m}_blackhole$v" "got '$res' (40 s limit)" ;;
		esac
	done

	l4_alive || fail "tcp_${m}_alive" "$m died: $(log_tail "$L4_LOG")"
	for p in $pids; do
		kill_pid "$p"
		untrack_pid "$p"
	done
	pids=""
	l4_guest_down

	# --no-map-gw: the gateway address is the gateway (remote namespace)
	# shellcheck disable=SC2086
	if L4_DEBUG=-f l4_guest_up "$m" --no-map-gw; then
		for v in 4 6; do
			local llog=$LLOG4 gwlog=$GWLOG4
			gw=$SANDBOX_GW4
			if [ "$v" = 6 ]; then
				llog=$LLOG6; gwlog=$GWLOG6
				gw="$SANDBOX_GW6%$GUEST_IF"
			fi
			tcp_xfer "tcp_${m}_no_map_gw_conn$v" "$L4_GUEST" \
				"$gwlog" 30 -t 10 -u 64k -d 64k "$gw" \
				"$PORT_GW" >/dev/null
			if [ -n "$(tcp_server_line "$llog" "$XFER_ID")" ]; then
				fail "tcp_${m}_no_map_gw$v" "reached the host's loopback"
			elif [ "$XFER_RC" -eq 0 ] &&
			     echo "$XFER_LINE" | grep -q 'status=ok'; then
				pass "tcp_${m}_no_map_gw$v"
			else
				fail "tcp_${m}_no_map_gw$v" "gateway not reached: $XFER_OUT"
			fi
		done
		l4_guest_down
	else
		fail "tcp_${m}_no_map_gw4" "start: $(log_tail "$L4_LOG")"
		fail "tcp_${m}_no_map_gw6" "start: $(log_tail "$L4_LOG")"
	fi

	# --no-tcp: nothing gets through, -t is refused
	if L4_DEBUG=-f l4_guest_up "$m" --no-tcp; then
		local n4 n6
		n4=$(grep -c . "$RLOG4"); n6=$(grep -c . "$RLOG6")
		conn_case "tcp_${m}_no_tcp4" "$SANDBOX_OUTSIDE4" "$PORT_OUT" 3 \
			'timeout|refused' 5000
		conn_case "tcp_${m}_no_tcp6" "$SANDBOX_OUTSIDE6" "$PORT_OUT" 3 \
			'timeout|refused' 5000
		sleep 0.5
		[ "$(grep -c . "$RLOG4")" = "$n4" ] && [ "$(grep -c . "$RLOG6")" = "$n6" ] ||
			fail "tcp_${m}_no_tcp_server" "the remote server saw a connection"
		l4_guest_down
	else
		fail "tcp_${m}_no_tcp4" "start: $(log_tail "$L4_LOG")"
		fail "tcp_${m}_no_tcp6" "start: $(log_tail "$L4_LOG")"
	fi
	local rc
	if [ "$m" = pasta ]; then
		timeout 10 "$PASTA" -f --no-tcp -t "$PORT_FWD" --config-net \
			--netns-only --netns "/run/netns/$L4_GUEST" \
			>"$TESTDIR/notcp.log" 2>&1
		rc=$?
	else
		timeout 10 "$PASST" -f --no-tcp -t "$PORT_FWD" \
			-s "$TESTDIR/notcp.sock" >"$TESTDIR/notcp.log" 2>&1
		rc=$?
	fi
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
		pass "tcp_${m}_no_tcp_fwd"
	else
		fail "tcp_${m}_no_tcp_fwd" "status $rc: $(log_tail "$TESTDIR/notcp.log")"
	fi
	note "tcp_conn_$m: $(( $(date +%s) - t_mode )) s"
}

for m in $MODES; do
	run_mode "$m"
done
note "tcp_conn: $(( $(date +%s) - T0 )) s in all"

test_finish
