#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/fuzz/run.sh - Run the fuzz harness for a bounded time, in a network
# namespace of its own (nothing can leave the machine, even if a stub were
# missing), starting from the seed corpus; exit non-zero on any crash,
# sanitizer report, timeout or unexpected exit of the harness.  First, the
# seed corpus alone must reach the tap parsing of both modes and every
# handler (FUZZ_HANDLERS): a harness or corpus that stops feeding one of
# them fails, rather than fuzzing less without a word.
#
# Usage: test/fuzz/run.sh [SECONDS] [LIBFUZZER_OPTIONS...]
#
# New inputs found go to a temporary corpus, not into the repository; a
# crashing input is kept as test/fuzz/crash-* (git ignores it) and printed
# in hex.  Reproduce with: test/fuzz/fuzz_tap test/fuzz/crash-...

cd "$(dirname "$0")/../.." || exit 1

SECONDS_MAX="${1:-60}"
shift
BIN=test/fuzz/fuzz_tap
[ -x "$BIN" ] || { echo "$BIN not built: make fuzz" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/corpus"

NS=""
if unshare --user --map-root-user --net true 2>/dev/null; then
	NS="unshare --user --map-root-user --net"
else
	echo "run.sh: can't create a network namespace, refusing to fuzz" >&2
	exit 1
fi

# Functions the seed corpus must cover: tap parsing (passt, pasta), then
# ARP, DHCP, NDP, DHCPv6, TCP, UDP, ICMP
FUZZ_HANDLERS="tap_handler_passt tap_handler_pasta arp dhcp ndp dhcpv6
tcp_tap_handler udp_tap_handler icmp_tap_handler"

timeout -k 10 120 $NS "$BIN" -runs=0 -print_coverage=1 test/fuzz/corpus \
	>"$WORK/coverage" 2>&1
missing=""
for f in $FUZZ_HANDLERS; do
	awk -v f="$f" '$1 == "COVERED_FUNC:" && $(NF - 1) == f { found = 1 }
		       END { exit !found }' "$WORK/coverage" ||
		missing="$missing $f"
done
if [ -n "$missing" ]; then
	echo "fuzz: the seed corpus does not reach:$missing"
	tail -n 20 "$WORK/coverage"
	exit 1
fi
echo "fuzz: the seed corpus reaches $(echo $FUZZ_HANDLERS | tr ' ' ',')"

timeout -k 10 $((SECONDS_MAX + 60)) $NS "$BIN" \
	-max_total_time="$SECONDS_MAX" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$WORK/" "$@" \
	"$WORK/corpus" test/fuzz/corpus >"$WORK/log" 2>&1
rc=$?

grep -E '^#[0-9]+ +DONE|^stat::number_of_executed_units|^stat::new_units_added|^Done' \
	"$WORK/log"
for f in "$WORK"/crash-* "$WORK"/leak-* "$WORK"/timeout-* "$WORK"/oom-*; do
	[ -e "$f" ] || continue
	cp "$f" test/fuzz/
	echo "fuzz: failing input kept as test/fuzz/$(basename "$f"):"
	od -A x -t x1z "$f" | head -40
	rc=1
done
if [ "$rc" -ne 0 ]; then
	echo "fuzz: FAILED (exit status $rc), last lines of the log:"
	tail -n 60 "$WORK/log"
	exit 1
fi
echo "fuzz: no crash in ${SECONDS_MAX} s"
