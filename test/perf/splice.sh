#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/perf/splice.sh - Benchmark of pasta's TCP loopback bypass, not part of
# "make check": throughput from the host's loopback to a server in the
# namespace, through a -t forwarded port, for our pasta and for Debian's
# pasta (/usr/bin/pasta, package passt), side by side with the kernel's own
# loopback between two processes of one namespace (the physical limit).
# Prints the median of RUNS runs of SECS seconds for each, and the ratios.
#
# Peers: iperf3, one stream, client on the host's loopback (127.0.0.1 or
# ::1), server in the namespace; -R measures the other direction (the
# server sends).  Each implementation serves a namespace of its own, and
# every round measures all of them in turn.  Environment: RUNS (default
# 5), SECS (default 5), DIRS (default "up down"), IPS (default "4 6"),
# IPERF_OPTS (more iperf3 client options, default none).
#
# The peers use the system's default congestion control.  Where that is BBR,
# which paces, both native and spliced loopback stop at the pacing rate
# (about 14 Gbit/s on a 2-CPU test machine); IPERF_OPTS="-C reno" shows what
# the CPUs can do instead (several times more, for both).
#
# Usage: bash test/perf/splice.sh   (as root: installs passt and iperf3)

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"

RUNS=${RUNS:-5}
SECS=${SECS:-5}
DIRS=${DIRS:-up down}
IPS=${IPS:-4 6}
PORT=5201
export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-1800}

need_pkg passt /usr/bin/pasta || echo "# Debian's pasta not available"
need_pkg iperf3 iperf3 || { echo "iperf3 not available"; exit 1; }
[ -z "${PASST_TEST_SANDBOX:-}" ] && make -s -C "$REPO" >/dev/null

sandbox_enter "$@"
[ -x "$PASTA" ] || { echo "build first"; exit 1; }

# iperf_gbps() - One iperf3 run, receiver's throughput in Gbit/s
# $1:	namespace of the client, "" for the host
# $2:	address
# $3:	up (client sends) or down (-R, server sends)
iperf_gbps() {
	local r=""
	[ "$3" = down ] && r=-R
	# shellcheck disable=SC2086
	ns_run "$1" timeout $((SECS + 20)) iperf3 -c "$2" -p "$PORT" \
		-t "$SECS" -f m $r ${IPERF_OPTS:-} 2>/dev/null |
		awk '/receiver/ { for (i = 1; i < NF; i++)
				  if ($(i + 1) == "Mbits/sec")
					  printf "%.2f\n", $i / 1000 }'
}

# median() - Median of numbers given as arguments
median() {
	printf '%s\n' "$@" | sort -n |
		awk '{ v[NR] = $1 } END { if (!NR) { print "n/a"; exit }
		      if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ns_run() - Run a command in a namespace, or here if the name is empty
ns_run() {
	local ns="$1"
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# pasta_up() - Start a pasta for a namespace, forwarding PORT with -t
# $1:	pasta binary
# $2:	namespace
# Return: 0 once the host's port listens
pasta_up() {
	bg_start "$TESTDIR/pasta-$2.log" "$1" -f -q --netns-only \
		--netns "/run/netns/$2" -t "$PORT" -T none -u none -U none
	wait_for 10 eval 'ss -Htln "sport = :$PORT" | grep -q .'
}

# One namespace per implementation, each with its own iperf3 server; the
# native figure is measured inside the first one.  Our pasta and Debian's
# take turns with the native run in every round, so that the noise of a
# shared machine spreads over all three.
IMPLS="native ours"
for ns in sp_ours sp_deb; do
	ns_add "$ns" || die "namespace $ns"
	ip netns exec "$ns" ip link set lo up
	bg_start "$TESTDIR/iperf3-$ns.log" ip netns exec "$ns" \
		iperf3 -s -p "$PORT"
done
pasta_up "$PASTA" sp_ours ||
	die "our pasta: $(log_tail "$TESTDIR/pasta-sp_ours.log")"
OURS_PID=$BG_PID
PORT_DEB=$((PORT + 1))
if [ -x /usr/bin/pasta ]; then
	ip netns exec sp_deb iperf3 -s -p "$PORT_DEB" >/dev/null 2>&1 &
	track_pid $!
	PORT=$PORT_DEB pasta_up /usr/bin/pasta sp_deb &&
		IMPLS="$IMPLS debian"
fi
sleep 0.5

# run_one() - One measurement of one implementation
# $1:	native, ours or debian
# $2:	address
# $3:	direction
run_one() {
	case "$1" in
	native) iperf_gbps sp_ours "$2" "$3" ;;
	ours) iperf_gbps "" "$2" "$3" ;;
	debian) PORT=$PORT_DEB iperf_gbps "" "$2" "$3" ;;
	esac
}

declare -A VALS R
for ((i = 0; i < RUNS; i++)); do
	for v in $IPS; do
		lo=127.0.0.1
		[ "$v" = 6 ] && lo=::1
		for d in $DIRS; do
			for impl in $IMPLS; do
				g=$(run_one "$impl" "$lo" "$d")
				VALS[$impl-$v-$d]="${VALS[$impl-$v-$d]} $g"
			done
		done
	done
done
for k in "${!VALS[@]}"; do
	# shellcheck disable=SC2086
	R[$k]=$(median ${VALS[$k]})
	note "$k runs:${VALS[$k]}"
done
pid_alive "$OURS_PID" || echo "# our pasta died during the runs"

# ratio() - A / B with two decimals, n/a if either is missing
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0)
		printf "%.2f", a / b; else printf "n/a" }'
}

echo
echo "TCP loopback throughput, Gbit/s, median of $RUNS runs of ${SECS}s"
echo "(iperf3${IPERF_OPTS:+ $IPERF_OPTS}, one stream, host loopback ->" \
	"namespace through -t;"
echo " native: both ends in one namespace)"
printf '%-8s %-5s %8s %8s %8s %12s %12s\n' ip dir native ours debian \
	ours/native ours/debian
for v in $IPS; do
	for d in $DIRS; do
		n=${R[native-$v-$d]:-n/a}; o=${R[ours-$v-$d]:-n/a}
		b=${R[debian-$v-$d]:-n/a}
		printf '%-8s %-5s %8s %8s %8s %12s %12s\n' "IPv$v" "$d" \
			"$n" "$o" "$b" "$(ratio "$o" "$n")" "$(ratio "$o" "$b")"
	done
done
