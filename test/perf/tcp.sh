#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/perf/tcp.sh - TCP benchmark, not part of "make check": throughput
# guest -> outside and outside -> guest (iperf3, the remote namespace of the
# sandbox as the outside, "outside -> guest" as iperf3 -R on the guest's
# connection), 1-byte request/response and connect/request/close rates
# (tcptool rr), CPU seconds of the translating process per GiB moved,
# system calls per request/response transaction (perf's raw_syscalls
# tracepoint from outside the sandbox, else strace -c -f), and the
# guest's retransmission timeouts while it sends, for:
#   kernel   the client in the host namespace itself, over the veth: the
#            physical limit
#   ours     our pasta, joining the guest namespace (--config-net)
#   debian   Debian's pasta, /usr/bin/pasta (package passt), the same way
#   slirp    slirp4netns --configure
# at the guest MTUs of MTUS (default "65520 1500"), IPv4 and IPv6.  Prints
# a table of medians over RUNS runs, and the ratios of ours to the others.
#
# Environment: RUNS (default 3), SECS per throughput run (default 5), RR_SECS
# per rate run (default 3), MTUS, IMPLS (default "kernel ours debian slirp").
#
# Usage: bash test/perf/tcp.sh   (as root: installs iperf3, passt, slirp4netns)

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/tcp.sh"

RUNS=${RUNS:-3}
SECS=${SECS:-5}
RR_SECS=${RR_SECS:-3}
MTUS=${MTUS:-65520 1500}
IMPLS=${IMPLS:-kernel ours debian slirp}
export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-5400}

need_pkg iperf3 iperf3 || { echo "iperf3 not available"; exit 1; }
need_pkg passt /usr/bin/pasta || echo "# Debian's pasta not available"
need_pkg slirp4netns slirp4netns || echo "# slirp4netns not available"
need_pkg strace strace || echo "# strace not available: no system call counts"
[ -z "${PASST_TEST_SANDBOX:-}" ] && { make -s -C "$REPO" >/dev/null; tcp_build; }

# System calls are counted with perf's raw_syscalls tracepoint where the
# machine allows it: strace stops the process at every call, and so
# changes what it measures (busy polling, delayed ACKs).  Tracepoints can't
# be opened from the sandbox's user namespace: a service outside does it,
# asked over two FIFOs on descriptors 7 (requests) and 8 (answers).

# sc_host_pid() - PID outside the sandbox of a process seen inside it
# $1:	PID in the sandbox
sc_host_pid() {
	local st
	for st in /proc/[0-9]*/status; do
		awk -v p="$1" '$1 == "NSpid:" && NF >= 3 && $3 == p { f = 1 }
			       END { exit !f }' "$st" 2>/dev/null || continue
		st=${st#/proc/}
		echo "${st%/status}"
		return
	done
}

# sc_service() - Answer "start PID" (count its system calls from now) with
# "ok" or "-", and "stop" with the count or "-"
sc_service() {
	local cmd arg hp perf_pid=
	while read -r cmd arg <&7; do
		case "$cmd" in
		start)
			hp=$(sc_host_pid "$arg")
			rm -f "$SC_DIR/count"
			if [ -z "$hp" ]; then
				echo "-" >&8
				continue
			fi
			perf stat -x, -e raw_syscalls:sys_enter -p "$hp" \
				-o "$SC_DIR/count" 2>/dev/null &
			perf_pid=$!
			sleep 0.5
			echo ok >&8
			;;
		stop)
			[ -n "$perf_pid" ] && kill -INT "$perf_pid" 2>/dev/null
			[ -n "$perf_pid" ] && wait "$perf_pid" 2>/dev/null
			perf_pid=
			awk -F, '/raw_syscalls:sys_enter/ { n = $1 }
				 END { print n ~ /^[0-9]+$/ ? n : "-" }' \
				"$SC_DIR/count" 2>/dev/null >&8 || echo "-" >&8
			;;
		esac
	done
}

if [ -z "${PASST_TEST_SANDBOX:-}" ] && [ "$(id -u)" = 0 ] &&
   have_cmd perf && perf stat -x, -e raw_syscalls:sys_enter true \
		    >/dev/null 2>&1; then
	SC_DIR=$(mktemp -d)
	mkfifo "$SC_DIR/req" "$SC_DIR/ans"
	exec 7<>"$SC_DIR/req" 8<>"$SC_DIR/ans"
	sc_service &
	SC_PID=$!
	export SC_PERF=1
	# sandbox_after_hook() - Stop the service, called by sandbox_enter
	sandbox_after_hook() {
		kill_pid "$SC_PID"
		rm -rf "$SC_DIR"
		return "$1"
	}
fi

sandbox_enter "$@"
[ -x "$PASTA" ] && tcp_build || { echo "build first"; exit 1; }

R4=$SANDBOX_OUTSIDE4
R6=$SANDBOX_OUTSIDE6
HZ=$(getconf CLK_TCK)

# Servers in the remote namespace: iperf3 (one per address), echo
bg_start "$TESTDIR/iperf4.log" ip netns exec remote iperf3 -s -B "$R4" -p 5201
bg_start "$TESTDIR/iperf6.log" ip netns exec remote iperf3 -s -B "$R6" -p 5202
tcp_server remote "$R4" 7000 echo || { echo "echo server"; exit 1; }
tcp_server remote "$R6" 7000 echo || { echo "echo server"; exit 1; }
sleep 0.5

# Connect/request/close leaves TIME-WAIT sockets behind: widen the ports,
# and let new connections reuse them
sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
sysctl -qw net.ipv4.tcp_tw_reuse=1

# impl_up() - Connect the guest namespace with one implementation
# $1:	kernel, ours, debian or slirp
# $2:	MTU
# Set: NS (namespace of the clients, "" for the sandbox), D4, D6
#	(destinations), IMPL_PID (translating process, empty for kernel)
impl_up() {
	local impl="$1" mtu="$2"
	NS=$L4_GUEST; D4=$R4; D6=$R6; IMPL_PID=
	case "$impl" in
	kernel)
		NS=
		return 0
		;;
	ours)
		L4_DEBUG=-f l4_guest_up pasta -m "$mtu" || return 1
		IMPL_PID=$L4_PID
		;;
	debian)
		L4_DEBUG=-f L4_PASTA=/usr/bin/pasta l4_guest_up pasta -q \
			-m "$mtu" || return 1
		IMPL_PID=$L4_PID
		;;
	slirp)
		[ -e "/run/netns/$L4_GUEST" ] || ns_add "$L4_GUEST" || return 1
		bg_start "$TESTDIR/slirp.log" slirp4netns --configure \
			--enable-ipv6 --mtu="$mtu" --netns-type=path \
			"/run/netns/$L4_GUEST" tap0
		IMPL_PID=$BG_PID
		GUEST_IF=tap0
		wait_for 10 eval 'in_guest ip -o -4 addr show dev tap0 |
				   grep -q 10.0.2.100' || return 1
		# IPv6 needs the router advertisement
		wait_for 5 eval 'in_guest ip -6 route show default | grep -q .'
		;;
	esac
	in_guest sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
	in_guest sysctl -qw net.ipv4.tcp_tw_reuse=1
	return 0
}

# impl_down() - Disconnect it
impl_down() {
	[ -n "$IMPL_PID" ] || return 0
	kill_pid "$IMPL_PID"
	untrack_pid "$IMPL_PID"
	L4_PID=
	L4_RELAY_PID=
	wait_for 5 eval '! in_guest ip link show "$GUEST_IF" >/dev/null 2>&1'
	# A fresh guest namespace next time: without TCP timestamps, which
	# the translators don't offer, the guest can't reuse the ports of its
	# TIME-WAIT sockets, and rounds of connect/request/close exhaust them
	ip netns del "$L4_GUEST" 2>/dev/null
}

# median() - Median of numbers on standard input, "-" if none
median() {
	grep -E '^[0-9.]+$' | sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# cpu_ticks() - User and system time of a process, in clock ticks
# $1:	PID, empty for none
cpu_ticks() {
	[ -n "$1" ] || { echo 0; return; }
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null |
		awk '{ print $12 + $13 }'
}

# iperf_run() - One iperf3 run, print "Mbit/s bytes"
# $1:	IP version
# $2:	up (guest -> outside) or down (outside -> guest, -R)
iperf_run() {
	local dst=$D4 port=5201 rev="" json
	[ "$1" = 6 ] && { dst=$D6; port=5202; }
	[ "$2" = down ] && rev=-R
	json=$(ns_run "$NS" timeout $((SECS + 20)) iperf3 -c "$dst" -p "$port" \
	       -t "$SECS" -O 1 $rev -J 2>/dev/null)
	echo "$json" | "$PYTHON" -c '
import json, sys
try:
    e = json.load(sys.stdin)["end"]["sum_received"]
    # bytes of the omitted first second too, for CPU per GiB
    print("%.1f %d" % (e["bits_per_second"] / 1e6,
                       e["bytes"] * (e["seconds"] + 1) / e["seconds"]))
except Exception:
    print("- 0")'
}

# rr_run() - One request/response run, print the rate
# $1:	IP version
# $2:	"" or -c (new connection each time)
rr_run() {
	local dst=$D4
	[ "$1" = 6 ] && dst=$D6
	ns_run "$NS" timeout $((RR_SECS + 20)) "$TCPTOOL" rr -d "$RR_SECS" $2 \
		"$dst" 7000 2>/dev/null | sed -n 's/^rate=\([0-9]*\).*/\1/p'
}

# syscalls_per_rr() - System calls of the translating process per 1-byte
# request/response transaction, counted during one run: by perf outside the
# sandbox (SC_PERF), else by strace -c -f attached (it slows every call)
syscalls_per_rr() {
	local out calls n sp ok
	[ -n "$IMPL_PID" ] || { echo "-"; return; }
	if [ -n "${SC_PERF:-}" ]; then
		echo "start $IMPL_PID" >&7
		read -r -t 10 ok <&8 || ok="-"
		[ "$ok" = ok ] || { echo "-"; return; }
	elif have_cmd strace; then
		timeout $((RR_SECS + 10)) strace -c -f -q -p "$IMPL_PID" \
			-o "$TESTDIR/strace.out" &
		sp=$!
		sleep 1
	else
		echo "-"
		return
	fi
	out=$(ns_run "$NS" timeout $((RR_SECS + 20)) "$TCPTOOL" rr \
	      -d "$RR_SECS" "$D4" 7000 2>/dev/null)
	if [ -n "${SC_PERF:-}" ]; then
		echo stop >&7
		read -r -t 10 calls <&8 || calls="-"
	else
		kill -INT "$sp" 2>/dev/null
		wait "$sp" 2>/dev/null
		calls=$(awk '$NF == "total" { print $(NF - 2) }' \
			"$TESTDIR/strace.out" 2>/dev/null)
	fi
	n=$(echo "$out" | sed -n 's/.*count=\([0-9]*\).*/\1/p')
	if [ -z "$n" ] || [ "${n:-0}" -eq 0 ] || [ -z "$calls" ] ||
	   [ "$calls" = "-" ]; then
		echo "-"
	else
		awk -v c="$calls" -v n="$n" 'BEGIN { printf "%.1f\n", c / n }'
	fi
}

declare -A RES

# measure() - Every figure for one implementation at one MTU
# $1:	implementation
# $2:	MTU
measure() {
	local impl="$1" mtu="$2" k v dir r t0 t1 bytes=0 to0 to1 out
	for v in 4 6; do
		for dir in up down; do
			: >"$TESTDIR/tp"
			to0=$(tcp_counter "$NS" TcpExtTCPTimeouts)
			t0=$(cpu_ticks "$IMPL_PID")
			for r in $(seq "$RUNS"); do
				out=$(iperf_run "$v" "$dir")
				echo "${out% *}" >>"$TESTDIR/tp"
				bytes=$((bytes + ${out#* }))
			done
			t1=$(cpu_ticks "$IMPL_PID")
			to1=$(tcp_counter "$NS" TcpExtTCPTimeouts)
			k="$impl,$mtu,$v,$dir"
			RES[$k]=$(median <"$TESTDIR/tp")
			RES[$k,cpu]=$((t1 - t0))
			[ "$dir" = up ] && RES[$impl,$mtu,$v,rto]=$((to1 - to0))
			RES[$impl,$mtu,ticks]=$(( ${RES[$impl,$mtu,ticks]:-0} + t1 - t0 ))
		done
	done
	RES[$impl,$mtu,bytes]=$bytes
}

# impl_available() - Whether an implementation is installed
# $1:	implementation
impl_available() {
	case $1 in
	debian) [ -x /usr/bin/pasta ] ;;
	slirp) command -v slirp4netns >/dev/null ;;
	*) true ;;
	esac
}

# measure_rates() - Request/response and connect/request/close rates, and
# system calls per request/response, at the first MTU.  Implementations
# take turns, one round of each at a time: the machine's speed drifts over
# minutes, and ratios of figures taken minutes apart would show the drift.
measure_rates() {
	local impl r mtu="${MTUS%% *}"
	for r in $(seq "$RUNS"); do
		for impl in $IMPLS; do
			impl_available "$impl" || continue
			if ! impl_up "$impl" "$mtu"; then
				impl_down
				continue
			fi
			echo "# rates of $impl, round $r" >&2
			rr_run 4 "" >>"$TESTDIR/rr.$impl"
			rr_run 4 -c >>"$TESTDIR/crr.$impl"
			[ "$r" = 1 ] && RES[$impl,sys]=$(syscalls_per_rr)
			impl_down
		done
	done
	for impl in $IMPLS; do
		[ -e "$TESTDIR/rr.$impl" ] || continue
		RES[$impl,rr]=$(median <"$TESTDIR/rr.$impl")
		RES[$impl,crr]=$(median <"$TESTDIR/crr.$impl")
	done
}

for impl in $IMPLS; do
	impl_available "$impl" || continue
	for mtu in $MTUS; do
		if ! impl_up "$impl" "$mtu"; then
			echo "# $impl at MTU $mtu: could not connect the guest"
			impl_down
			continue
		fi
		echo "# measuring $impl, MTU $mtu" >&2
		measure "$impl" "$mtu"
		if [ -n "$IMPL_PID" ] && ! pid_alive "$IMPL_PID"; then
			echo "# $impl died during the run"
		fi
		impl_down
		[ "$impl" = kernel ] && break
	done
done
measure_rates

# ratio() - a / b with two decimals, "-" if either is missing
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0)
			print "-"
		else printf "%.2f\n", a / b }'
}

# row() - One line of the table
# $1:	label
# $2..5: kernel, ours, debian, slirp
row() {
	printf "%-38s %9s %9s %9s %9s %8s %8s %8s\n" "$1" "${2:--}" "${3:--}" \
		"${4:--}" "${5:--}" "$(ratio "$3" "$2")" "$(ratio "$3" "$4")" \
		"$(ratio "$3" "$5")"
}

# gib_cpu() - CPU seconds per GiB moved for an implementation at an MTU
gib_cpu() {
	local t=${RES[$1,$2,ticks]:-} b=${RES[$1,$2,bytes]:-0}
	[ -n "$t" ] && [ "$b" -gt 0 ] && [ "$1" != kernel ] || { echo "-"; return; }
	awk -v t="$t" -v b="$b" -v hz="$HZ" \
		'BEGIN { printf "%.2f\n", t / hz / (b / 1073741824) }'
}

echo
echo "TCP, median of $RUNS runs: iperf3 ${SECS}s (1 s omitted), rates ${RR_SECS}s"
echo "(rates: implementations in turn, round by round, MTU ${MTUS%% *})"
echo "(kernel: client in the host namespace over the veth, MTU $SANDBOX_MTU)"
printf "%-38s %9s %9s %9s %9s %8s %8s %8s\n" "measure" "kernel" "ours" \
	"debian" "slirp" "o/kern" "o/deb" "o/slirp"
for mtu in $MTUS; do
	for v in 4 6; do
		for dir in up down; do
			label="guest->outside"
			[ "$dir" = down ] && label="outside->guest"
			row "IPv$v $label Mbit/s, MTU $mtu" \
				"${RES[kernel,${MTUS%% *},$v,$dir]:-}" \
				"${RES[ours,$mtu,$v,$dir]:-}" \
				"${RES[debian,$mtu,$v,$dir]:-}" \
				"${RES[slirp,$mtu,$v,$dir]:-}"
		done
		row "IPv$v guest RTOs while sending, MTU $mtu" "-" \
			"${RES[ours,$mtu,$v,rto]:-}" "${RES[debian,$mtu,$v,rto]:-}" \
			"${RES[slirp,$mtu,$v,rto]:-}"
	done
	row "CPU s per GiB moved, MTU $mtu" "-" "$(gib_cpu ours "$mtu")" \
		"$(gib_cpu debian "$mtu")" "$(gib_cpu slirp "$mtu")"
done
row "IPv4 1-byte request/response per s" "${RES[kernel,rr]:-}" \
	"${RES[ours,rr]:-}" "${RES[debian,rr]:-}" "${RES[slirp,rr]:-}"
row "IPv4 connect/request/close per s" "${RES[kernel,crr]:-}" \
	"${RES[ours,crr]:-}" "${RES[debian,crr]:-}" "${RES[slirp,crr]:-}"
row "system calls per request/response" "-" "${RES[ours,sys]:-}" \
	"${RES[debian,sys]:-}" "${RES[slirp,sys]:-}"
if [ -n "${SC_PERF:-}" ]; then
	echo "(system calls counted by perf, raw_syscalls tracepoint)"
else
	echo "(system calls counted by strace -c -f)"
fi
exit 0
