#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/perf/udp.sh - UDP benchmark, not part of "make check": throughput and
# loss from the guest to the outside (the remote namespace of the sandbox),
# and the rate of a 1-byte request/response ping-pong, for our pasta,
# Debian's pasta (/usr/bin/pasta, package passt) and slirp4netns, each
# connecting the same namespace.  Prints a table of medians over RUNS runs
# and the ratios of ours to the others.
#
# Throughput is measured twice: with iperf3 -u (datagrams of SIZES bytes at
# IPERF_RATE, default 0: unlimited; iperf3's own control connection is TCP)
# and with udptool blast (as fast as it can) and udptool sink counting what
# arrives, checked.  udptool rr times the ping-pong.  Environment: RUNS
# (default 3), SECS per run (default 5), SIZES (default "1400 16000").
#
# Usage: bash test/perf/udp.sh   (as root: installs iperf3, passt and
# slirp4netns)

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"

RUNS=${RUNS:-3}
SECS=${SECS:-5}
SIZES=${SIZES:-1400 16000}
export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-1800}

need_pkg iperf3 iperf3 || echo "# iperf3 not available"
need_pkg passt /usr/bin/pasta || echo "# Debian's pasta not available"
need_pkg slirp4netns slirp4netns || echo "# slirp4netns not available"
[ -z "${PASST_TEST_SANDBOX:-}" ] && { make -s -C "$REPO" >/dev/null; l4_build; }

sandbox_enter "$@"
[ -x "$PASTA" ] && l4_build || { echo "build first"; exit 1; }

R4=$SANDBOX_OUTSIDE4
bg_start "$TESTDIR/echo.log" ip netns exec remote "$UDPTOOL" echo "$R4" 9001
HAVE_IPERF=0
if command -v iperf3 >/dev/null; then
	bg_start "$TESTDIR/iperf.log" ip netns exec remote iperf3 -s -B "$R4" \
		-p 5201
	HAVE_IPERF=1
fi

# impl_up() - Connect the guest namespace with one implementation
# $1:	ours, debian or slirp
# Set: IMPL_PID, DST (address of the remote peer as the guest reaches it)
impl_up() {
	DST=$R4
	case "$1" in
	ours)
		L4_DEBUG=-f l4_guest_up pasta || return 1
		IMPL_PID=$L4_PID
		;;
	debian)
		L4_DEBUG=-f L4_PASTA=/usr/bin/pasta l4_guest_up pasta \
			-q || return 1
		IMPL_PID=$L4_PID
		;;
	slirp)
		[ -e /run/netns/guest ] || ns_add guest || return 1
		bg_start "$TESTDIR/slirp.log" slirp4netns --configure \
			--mtu=65520 --netns-type=path /run/netns/guest tap0
		IMPL_PID=$BG_PID
		GUEST_IF=tap0
		wait_for 10 eval 'in_guest ip -o -4 addr show dev tap0 |
				   grep -q 10.0.2.100'
		;;
	esac
}

# impl_down() - Stop it
impl_down() {
	kill_pid "$IMPL_PID"
	untrack_pid "$IMPL_PID"
	L4_PID=
	wait_for 5 eval '! in_guest ip link show "$GUEST_IF" >/dev/null 2>&1'
}

# median() - Median of numbers on standard input
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# kv() - Value of KEY in a KEY=VALUE line
kv() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# throughput() - One run: blast for SECS, count at the sink
# $1:	datagram size
# Print: "received_mbit loss_percent sent_mbit"
throughput() {
	local size="$1" sink out snd
	rm -f "$TESTDIR/sink.out"
	ip netns exec remote "$UDPTOOL" sink -i 1000 -t $((SECS + 20)) \
		"$R4" 9000 >"$TESTDIR/sink.out" 2>&1 &
	sink=$!
	sleep 0.2
	snd=$(timeout $((SECS + 10)) ip netns exec guest "$UDPTOOL" blast \
	      -d "$SECS" -m "$size" "$DST" 9000 2>&1)
	wait "$sink"
	out=$(cat "$TESTDIR/sink.out")
	awk -v r="$(kv received "$out")" -v s="$(kv sent "$snd")" \
	    -v rm="$(kv bytes "$out")" -v sm="$(kv mbit "$snd")" \
	    -v secs="$SECS" 'BEGIN {
		if (s + 0 == 0) { print "- - -"; exit }
		printf "%.1f %.2f %.1f\n", rm * 8 / secs / 1e6,
		       (s - r) * 100 / s, sm }'
}

# iperf_u() - One iperf3 -u run from the guest
# $1:	datagram size
# Print: "received_mbit loss_percent sent_mbit"
iperf_u() {
	timeout $((SECS + 20)) ip netns exec guest iperf3 -u -c "$DST" -p 5201 \
		-t "$SECS" -b "${IPERF_RATE:-0}" -l "$1" -J 2>/dev/null |
		python3 -c '
import json, sys
try:
    e = json.load(sys.stdin)["end"]
    r, s = e["sum_received"], e["sum_sent"]
    print("%.1f %.2f %.1f" % (r["bits_per_second"] / 1e6, r["lost_percent"],
                              s["bits_per_second"] / 1e6))
except Exception:
    print("- - -")'
}

declare -A RES
for impl in ours debian slirp; do
	case $impl in
	debian) [ -x /usr/bin/pasta ] || continue ;;
	slirp) command -v slirp4netns >/dev/null || continue ;;
	esac
	if ! impl_up "$impl"; then
		echo "# $impl: could not connect the guest"
		impl_down
		continue
	fi
	for size in $SIZES; do
		: >"$TESTDIR/t"
		for r in $(seq "$RUNS"); do
			throughput "$size" >>"$TESTDIR/t"
		done
		RES[$impl,mbit,$size]=$(awk '{ print $1 }' "$TESTDIR/t" | median)
		RES[$impl,loss,$size]=$(awk '{ print $2 }' "$TESTDIR/t" | median)
		RES[$impl,sent,$size]=$(awk '{ print $3 }' "$TESTDIR/t" | median)
		[ "$HAVE_IPERF" = 1 ] || continue
		: >"$TESTDIR/t"
		for r in $(seq "$RUNS"); do
			iperf_u "$size" >>"$TESTDIR/t"
		done
		RES[$impl,imbit,$size]=$(awk '$1 != "-" { print $1 }' "$TESTDIR/t" | median)
		RES[$impl,iloss,$size]=$(awk '$2 != "-" { print $2 }' "$TESTDIR/t" | median)
		RES[$impl,isent,$size]=$(awk '$3 != "-" { print $3 }' "$TESTDIR/t" | median)
	done
	: >"$TESTDIR/rr"
	for r in $(seq "$RUNS"); do
		out=$(timeout $((SECS + 10)) ip netns exec guest "$UDPTOOL" rr \
		      -d "$SECS" "$DST" 9001 2>&1)
		kv rate "$out" >>"$TESTDIR/rr"
	done
	RES[$impl,rr]=$(median <"$TESTDIR/rr")
	impl_down
done

# ratio() - a / b with two decimals, "-" if either is missing
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0)
			print "-"
		else printf "%.2f\n", a / b }'
}

echo
echo "UDP guest -> outside, ${SECS}s runs (iperf3 -u -b ${IPERF_RATE:-0}, udptool blast), median of $RUNS runs"
printf "%-38s %12s %12s %12s %9s %9s\n" "measure" "ours" "debian" \
	"slirp4netns" "ours/deb" "ours/slirp"
for size in $SIZES; do
	for k in isent imbit iloss sent mbit loss; do
		case $k in
		isent) label="iperf3 -u sent Mbit/s, ${size} B" ;;
		imbit) label="iperf3 -u received Mbit/s, ${size} B" ;;
		iloss) label="iperf3 -u loss %, ${size} B" ;;
		sent) label="blast sent Mbit/s, ${size} B" ;;
		mbit) label="blast received Mbit/s, ${size} B" ;;
		loss) label="blast loss %, ${size} B" ;;
		esac
		o=${RES[ours,$k,$size]:--}; d=${RES[debian,$k,$size]:--}
		s=${RES[slirp,$k,$size]:--}
		printf "%-38s %12s %12s %12s %9s %9s\n" "$label" "$o" "$d" \
			"$s" "$(ratio "$o" "$d")" "$(ratio "$o" "$s")"
	done
done
o=${RES[ours,rr]:--}; d=${RES[debian,rr]:--}; s=${RES[slirp,rr]:--}
printf "%-38s %12s %12s %12s %9s %9s\n" "1-byte request/response per s" \
	"$o" "$d" "$s" "$(ratio "$o" "$d")" "$(ratio "$o" "$s")"
exit 0
