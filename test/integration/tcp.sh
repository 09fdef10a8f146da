#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/tcp.sh - TCP bulk transfers in both modes (pasta joining
# a namespace, passt through the relay helper), IPv4 and IPv6, each checked
# byte by byte and by hash on both ends (test/helpers/tcptool):
#   - outbound: the guest connects to a server in the remote namespace,
#     uploads, then downloads;
#   - inbound through -t: to the forwarded port of the host, from the remote
#     namespace, from the host itself (its own, non-loopback address) and
#     from the host's loopback; the guest's server must see the remote's
#     address for the first, and the gateway address for the others (for
#     the loopback, pasta may splice the connection instead: then the
#     guest sees its own loopback address);
#   - zero retransmission timeouts on the guest's side (TcpExtTCPTimeouts
#     of the guest namespace) while the guest sends in bulk, outbound and
#     inbound;
#   - the same at a guest MTU of 1500 (TCP_SMALL1500, default 64M): upload
#     and download, IPv4 and IPv6, the guest's retransmission timeouts
#     reported; in pasta, the tap device's queue holds a whole window of
#     such frames and drops none of them.
#
# Sizes: TCP_BIG (default 256M) for the outbound and remote-inbound
# transfers, IPv4 and IPv6, TCP_SMALL (default 64M) for the others (from
# the host's own address and loopback), to keep the run short on small
# machines.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/tcp.sh"

MODES=${TCP_MODES:-pasta passt}
BIG=${TCP_BIG:-256M}
SMALL=${TCP_SMALL:-64M}
SMALL1500=${TCP_SMALL1500:-64M}
XFER_SECS=${TCP_XFER_SECS:-150}
export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-580}

CASES=""
for m in $MODES; do
	for v in 4 6; do
		for c in out_up out_down in_remote_up in_remote_down \
			 in_remote_peer in_host_up in_host_down in_host_peer \
			 in_lo_up in_lo_down in_lo_peer rto_out rto_in; do
			CASES="$CASES tcp_${m}_$c$v"
		done
		for c in up down; do
			CASES="$CASES tcp_${m}_mtu1500_$c$v"
		done
	done
	[ "$m" = pasta ] && CASES="$CASES tcp_pasta_mtu1500_txqueue"
done

[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; tcp_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
tcp_build || { skip_all "test/helpers/tcptool not built" $CASES; exit 0; }

PORT_OUT=9000		# servers in the remote namespace
PORT_FWD=9100		# forwarded by -t, servers in the guest
T0=$(date +%s)

for a in "$SANDBOX_OUTSIDE4" "$SANDBOX_OUTSIDE6"; do
	tcp_server remote "$a" "$PORT_OUT" || die "remote server on $a"
done
RLOG4="$TESTDIR/srv-remote-${SANDBOX_OUTSIDE4//[:%]/_}-$PORT_OUT.log"
RLOG6="$TESTDIR/srv-remote-${SANDBOX_OUTSIDE6//[:%]/_}-$PORT_OUT.log"

# size_of() - Transfer size of a case
# $1:	IP version
# $2:	out, in_remote, in_host or in_lo
size_of() {
	case "$1$2" in
	4out|4in_remote|6out|6in_remote) echo "$BIG" ;;
	*) echo "$SMALL" ;;
	esac
}

# rate_note() - Note the throughput of the last transfer
# $1:	case name
rate_note() {
	local r
	r=$(echo "$XFER_OUT" | sed -n 's/.*up_mbps=\([0-9.]*\) down_mbps=\([0-9.]*\).*/up \1 down \2 Mbit\/s/p')
	note "$1: $r"
}

# peer_check() - The guest's server saw the expected peer address
# $1:	case name
# $2:	expected address (a prefix of the peer field)
peer_check() {
	local peer
	peer=$(echo "$XFER_LINE" | sed -n 's/.* peer=\([^ ]*\) .*/\1/p')
	case "$peer" in
	"$2"|"$2%"*) pass "$1" ;;
	*) fail "$1" "guest saw peer '${peer:-none}', expected $2" ;;
	esac
}

# rto_check() - The guest's retransmission timeouts during a transfer
# $1:	case name
# $2:	counter before
# $3:	counter after
# $4:	retransmitted segments before
# $5:	retransmitted segments after
# $6:	whether the transfer itself passed (0) or not
rto_check() {
	local to=$(($3 - $2)) rs=$(($5 - $4))
	if [ "$6" -ne 0 ]; then
		fail "$1" "transfer failed ($to timeouts, $rs segments retransmitted)"
	elif [ "$to" -eq 0 ]; then
		pass "$1"
		note "$1: 0 timeouts, $rs segments retransmitted"
	else
		fail "$1" "$to retransmission timeouts in the guest, $rs segments retransmitted"
	fi
}

# run_mode() - Every case for one mode
# $1:	pasta or passt
run_mode() {
	local m="$1" v r rlog glog to0 to1 rs0 rs1 rc size gaddr lo
	local t_mode
	t_mode=$(date +%s)
	local opts="-t $PORT_FWD"
	[ "$m" = pasta ] && opts="$opts -T none -U none"
	# shellcheck disable=SC2086
	if ! L4_DEBUG=-f l4_guest_up "$m" $opts; then
		fail "tcp_${m}_setup" "guest not usable: $(log_tail "$L4_LOG")"
		l4_guest_down
		return
	fi
	local gpids=""
	tcp_server "$L4_GUEST" 0.0.0.0 "$PORT_FWD" || fail "tcp_${m}_setup" "guest server"
	gpids="$gpids $SRV_PID"
	local GLOG4=$SRV_LOG
	tcp_server "$L4_GUEST" :: "$PORT_FWD" || fail "tcp_${m}_setup" "guest server (IPv6)"
	gpids="$gpids $SRV_PID"
	local GLOG6=$SRV_LOG

	for v in 4 6; do
		if [ "$v" = 4 ]; then
			r=$SANDBOX_OUTSIDE4; rlog=$RLOG4; glog=$GLOG4
			gaddr=$SANDBOX_ADDR4; lo=127.0.0.1
		else
			r=$SANDBOX_OUTSIDE6; rlog=$RLOG6; glog=$GLOG6
			gaddr=$SANDBOX_ADDR6; lo=::1
		fi

		# Outbound: upload (guest sends: no RTO allowed), download
		size=$(size_of $v out)
		tcp_settle "$L4_GUEST"
		to0=$(tcp_counter "$L4_GUEST" TcpExtTCPTimeouts)
		rs0=$(tcp_counter "$L4_GUEST" TcpRetransSegs)
		tcp_xfer "tcp_${m}_out_up$v" "$L4_GUEST" "$rlog" "$XFER_SECS" \
			-t 30 -u "$size" "$r" "$PORT_OUT"
		rc=$?
		rate_note "tcp_${m}_out_up$v ($size)"
		to1=$(tcp_counter "$L4_GUEST" TcpExtTCPTimeouts)
		rs1=$(tcp_counter "$L4_GUEST" TcpRetransSegs)
		rto_check "tcp_${m}_rto_out$v" "$to0" "$to1" "$rs0" "$rs1" "$rc"
		tcp_xfer "tcp_${m}_out_down$v" "$L4_GUEST" "$rlog" "$XFER_SECS" \
			-t 30 -d "$size" "$r" "$PORT_OUT"
		rate_note "tcp_${m}_out_down$v ($size)"

		# Inbound from the remote namespace: upload is remote -> guest
		size=$(size_of $v in_remote)
		tcp_xfer "tcp_${m}_in_remote_up$v" remote "$glog" "$XFER_SECS" \
			-t 30 -s "$r" -u "$size" "$gaddr" "$PORT_FWD"
		rate_note "tcp_${m}_in_remote_up$v ($size)"
		peer_check "tcp_${m}_in_remote_peer$v" "$r"
		tcp_settle "$L4_GUEST"
		to0=$(tcp_counter "$L4_GUEST" TcpExtTCPTimeouts)
		rs0=$(tcp_counter "$L4_GUEST" TcpRetransSegs)
		# (-S: the guest shuts down first, so that its FIN, answered
		# or not, isn't counted here: tcp_conn.sh checks that)
		tcp_xfer "tcp_${m}_in_remote_down$v" remote "$glog" \
			"$XFER_SECS" -t 30 -s "$r" -S -d "$size" "$gaddr" \
			"$PORT_FWD"
		rc=$?
		rate_note "tcp_${m}_in_remote_down$v ($size)"
		to1=$(tcp_counter "$L4_GUEST" TcpExtTCPTimeouts)
		rs1=$(tcp_counter "$L4_GUEST" TcpRetransSegs)
		rto_check "tcp_${m}_rto_in$v" "$to0" "$to1" "$rs0" "$rs1" "$rc"

		# Inbound from the host itself, its own address: the guest
		# sees the gateway
		size=$(size_of $v in_host)
		tcp_xfer "tcp_${m}_in_host_up$v" "" "$glog" "$XFER_SECS" \
			-t 30 -s "$gaddr" -u "$size" "$gaddr" "$PORT_FWD"
		rate_note "tcp_${m}_in_host_up$v ($size)"
		if [ "$v" = 4 ]; then
			peer_check "tcp_${m}_in_host_peer$v" "$SANDBOX_GW4"
		else
			peer_check "tcp_${m}_in_host_peer$v" "$SANDBOX_GW6"
		fi
		tcp_xfer "tcp_${m}_in_host_down$v" "" "$glog" "$XFER_SECS" \
			-t 30 -s "$gaddr" -d "$size" "$gaddr" "$PORT_FWD"
		rate_note "tcp_${m}_in_host_down$v ($size)"

		# Inbound from the host's loopback: the guest sees the gateway
		# (pasta may splice it: then the guest sees its loopback)
		size=$(size_of $v in_lo)
		tcp_xfer "tcp_${m}_in_lo_up$v" "" "$glog" "$XFER_SECS" \
			-t 30 -u "$size" "$lo" "$PORT_FWD"
		rate_note "tcp_${m}_in_lo_up$v ($size)"
		local gw=$SANDBOX_GW4
		[ "$v" = 6 ] && gw=$SANDBOX_GW6
		if [ "$m" = pasta ] && echo "$XFER_LINE" | grep -q " peer=$lo "; then
			pass "tcp_${m}_in_lo_peer$v"
			note "tcp_${m}_in_lo_peer$v: spliced, the guest saw $lo"
		else
			peer_check "tcp_${m}_in_lo_peer$v" "$gw"
		fi
		tcp_xfer "tcp_${m}_in_lo_down$v" "" "$glog" "$XFER_SECS" \
			-t 30 -d "$size" "$lo" "$PORT_FWD"
		rate_note "tcp_${m}_in_lo_down$v ($size)"
	done

	l4_alive || fail "tcp_${m}_alive" "$m died: $(log_tail "$L4_LOG")"
	for p in $gpids; do
		kill_pid "$p"
		untrack_pid "$p"
	done
	l4_guest_down
	note "tcp_$m: $(( $(date +%s) - t_mode )) s"
}

# txqueue_check() - pasta's tap device queues a whole window of small frames:
# its queue length is 16384 (the default 1000 overflows at MTU 1500, and
# the guest's TCP takes the drops as losses), and it dropped nothing
txqueue_check() {
	local qlen drops
	qlen=$(in_guest cat "/sys/class/net/$GUEST_IF/tx_queue_len" 2>/dev/null)
	drops=$(in_guest cat "/sys/class/net/$GUEST_IF/statistics/tx_dropped" 2>/dev/null)
	if [ "$qlen" = 16384 ] && [ "$drops" = 0 ]; then
		pass tcp_pasta_mtu1500_txqueue
	else
		fail tcp_pasta_mtu1500_txqueue "queue length ${qlen:-unknown} (expected 16384), ${drops:-unknown} frames dropped"
	fi
}

# run_mtu1500() - Outbound transfers at a guest MTU of 1500
# $1:	pasta or passt
run_mtu1500() {
	local m="$1" v r rlog to0 to1 rs0 rs1 rc t_mode
	local opts="-m 1500"
	t_mode=$(date +%s)
	[ "$m" = pasta ] && opts="$opts -t none -T none -u none -U none"
	# shellcheck disable=SC2086
	if ! L4_MTU=1500 L4_DEBUG=-f l4_guest_up "$m" $opts; then
		fail "tcp_${m}_mtu1500_setup" "guest not usable: $(log_tail "$L4_LOG")"
		l4_guest_down
		return
	fi
	note "tcp_${m}_mtu1500: guest MTU $(in_guest cat "/sys/class/net/$GUEST_IF/mtu" 2>/dev/null)"
	for v in 4 6; do
		r=$SANDBOX_OUTSIDE4; rlog=$RLOG4
		[ "$v" = 6 ] && { r=$SANDBOX_OUTSIDE6; rlog=$RLOG6; }
		tcp_settle "$L4_GUEST"
		to0=$(tcp_counter "$L4_GUEST" TcpExtTCPTimeouts)
		rs0=$(tcp_counter "$L4_GUEST" TcpRetransSegs)
		tcp_xfer "tcp_${m}_mtu1500_up$v" "$L4_GUEST" "$rlog" 60 \
			-t 30 -u "$SMALL1500" "$r" "$PORT_OUT"
		rc=$?
		rate_note "tcp_${m}_mtu1500_up$v ($SMALL1500)"
		to1=$(tcp_counter "$L4_GUEST" TcpExtTCPTimeouts)
		rs1=$(tcp_counter "$L4_GUEST" TcpRetransSegs)
		# Issue 3 asks for zero guest RTOs at MTU 65520 (rto_* cases);
		# at 1500 the count is a figure for the benchmark, reported
		[ "$rc" -eq 0 ] && note "tcp_${m}_mtu1500_rto$v: $((to1 - to0)) retransmission timeouts, $((rs1 - rs0)) segments retransmitted (reported, not asserted)"
		tcp_xfer "tcp_${m}_mtu1500_down$v" "$L4_GUEST" "$rlog" 60 \
			-t 30 -d "$SMALL1500" "$r" "$PORT_OUT"
		rate_note "tcp_${m}_mtu1500_down$v ($SMALL1500)"
	done
	[ "$m" = pasta ] && txqueue_check
	l4_alive || fail "tcp_${m}_mtu1500_alive" "$m died: $(log_tail "$L4_LOG")"
	l4_guest_down
	note "tcp_${m}_mtu1500: $(( $(date +%s) - t_mode )) s"
}

for m in $MODES; do
	run_mode "$m"
	run_mtu1500 "$m"
done
note "tcp: $(( $(date +%s) - T0 )) s in all"

test_finish
