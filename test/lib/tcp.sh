# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# test/lib/tcp.sh - Shared parts of the TCP tests: the tcptool helper,
# servers started in a namespace with their logs, transfers checked on both
# ends, the guest's TCP counters, and the descriptors of a process.  Source
# after common.sh, sandbox.sh, passt.sh and l4.sh (the guest namespace and
# the modes come from l4.sh).
#
#   tcp_build			build test/helpers/tcptool if missing
#   tcp_server NS ADDR PORT [MODE]
#				start "tcptool server" (or MODE: echo) in NS
#				("" for the sandbox itself), wait until it
#				listens; sets SRV_PID, SRV_LOG
#   tcp_xfer CASE NS LOG SECS ARGS...
#				run "tcptool client ARGS..." in NS with a new
#				ID, within SECS seconds; PASS if the client
#				exits 0 and the server's line in LOG for that
#				ID says status=ok; sets XFER_OUT, XFER_ID,
#				XFER_LINE (the server's line)
#   tcp_counter NS NAME		value of a counter of /proc/net/netstat or
#				/proc/net/snmp (TcpExtTCPTimeouts,
#				TcpRetransSegs, ...) in NS
#   tcp_settle NS [SECS]		wait until NS has no TCP socket closing
#				(FIN-WAIT-1, CLOSING, LAST-ACK)
#   fd_count PID [KIND]		descriptors of a process (KIND: socket,
#				timerfd, ...: only those)

TCPTOOL="$REPO/test/helpers/tcptool"
TCP_NEXT_ID=$((RANDOM * 1000 + 1))

# tcp_build() - Build the tcptool helper if missing
tcp_build() {
	[ -x "$TCPTOOL" ] ||
		make -s -C "$REPO" test/helpers/tcptool >/dev/null 2>&1
	[ -x "$TCPTOOL" ]
}

# tcp_server() - Start a tcptool server, wait until it listens
# $1:	namespace name, "" for the sandbox
# $2:	address
# $3:	port
# $4:	server (default) or echo
# Set: SRV_PID, SRV_LOG
# Return: 0 once listening (5 s at most)
tcp_server() {
	local ns="$1" addr="$2" port="$3" mode="${4:-server}" ready tag
	tag="${ns:-host}-${addr//[:%]/_}-$port"
	ready="$TESTDIR/srv-$tag.ready"
	SRV_LOG="$TESTDIR/srv-$tag.log"
	rm -f "$ready"
	if [ -n "$ns" ]; then
		bg_start "$SRV_LOG" ip netns exec "$ns" "$TCPTOOL" "$mode" \
			-r "$ready" "$addr" "$port"
	else
		bg_start "$SRV_LOG" "$TCPTOOL" "$mode" -r "$ready" "$addr" \
			"$port"
	fi
	SRV_PID=$BG_PID
	wait_for 5 test -e "$ready"
}

# tcp_server_line() - The server's result line for a connection ID
# $1:	server log
# $2:	ID
tcp_server_line() {
	grep "^conn id=$2 " "$1" 2>/dev/null | head -n 1
}

# tcp_xfer() - One checked client run, reported as one case
# $1:	case name
# $2:	namespace of the client, "" for the sandbox
# $3:	log of the server it talks to
# $4:	time limit, seconds
# $@:	tcptool client arguments (without -i)
# Set: XFER_OUT, XFER_ID, XFER_LINE, XFER_RC
# Return: 0 on PASS
tcp_xfer() {
	local name="$1" ns="$2" log="$3" secs="$4"
	shift 4
	XFER_ID=$TCP_NEXT_ID
	TCP_NEXT_ID=$((TCP_NEXT_ID + 1))
	XFER_OUT=$(ns_run "$ns" timeout -k 2 "$secs" "$TCPTOOL" client \
		   -i "$XFER_ID" "$@" 2>&1)
	XFER_RC=$?
	wait_for 5 eval 'tcp_server_line "$log" "$XFER_ID" | grep -q .'
	XFER_LINE=$(tcp_server_line "$log" "$XFER_ID")
	XFER_OUT=$(echo "$XFER_OUT" | tr '\n' ' ')
	if [ "$XFER_RC" -eq 124 ] || [ "$XFER_RC" -eq 137 ]; then
		fail "$name" "client timed out after ${secs}s; server: ${XFER_LINE:-no line}"
		return 1
	fi
	if [ "$XFER_RC" -ne 0 ]; then
		fail "$name" "client: $XFER_OUT; server: ${XFER_LINE:-no line}"
		return 1
	fi
	case "$XFER_LINE" in
	*" status=ok"*)
		pass "$name"
		return 0
		;;
	esac
	fail "$name" "server: ${XFER_LINE:-no result line}; client: $XFER_OUT"
	return 1
}

# tcp_counter() - A TCP counter of a namespace, 0 if missing
# $1:	namespace name, "" for the sandbox
# $2:	counter, as nstat names it: TcpExtTCPTimeouts, TcpRetransSegs, ...
tcp_counter() {
	ns_run "$1" cat /proc/net/netstat /proc/net/snmp 2>/dev/null |
	awk -v want="$2" '
		{ p = $1; sub(":", "", p) }
		p in names {
			for (i = 2; i <= NF; i++)
				if (p names[p, i] == want) { print $i; found = 1 }
			next
		}
		{ names[p] = 1; for (i = 2; i <= NF; i++) names[p, i] = $i }
		END { if (!found) print 0 }' | head -n 1
}

# fd_count() - Number of open descriptors of a process
# $1:	PID
# $2:	only those whose link contains this (socket, timerfd, ...)
fd_count() {
	local pid="$1" kind="${2:-}"
	find "/proc/$pid/fd" -mindepth 1 -lname "*$kind*" 2>/dev/null | wc -l
}

# tcp_closing() - Sockets of a namespace in a closing state awaiting an ACK
# $1:	namespace name, "" for the sandbox
tcp_closing() {
	ns_run "$1" ss -Htan state fin-wait-1 state closing state last-ack \
		2>/dev/null | grep -c .
}

# tcp_settle() - Wait until no socket of a namespace waits for the ACK of
# its FIN, so that retransmission counters only move for what comes next
# $1:	namespace name, "" for the sandbox
# $2:	time limit in seconds (default 5)
tcp_settle() {
	TCP_SETTLE_NS="$1"
	wait_for "${2:-5}" eval '[ "$(tcp_closing "$TCP_SETTLE_NS")" -eq 0 ]'
}
