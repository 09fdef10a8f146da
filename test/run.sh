#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/run.sh - Run every unit test binary and integration script, count the
# PASS/FAIL/SKIP lines they print, end with "N passed, N failed, N skipped".
#
# A test prints one line per case: "PASS name", "FAIL name (why)" or
# "SKIP name: why".  A test that exits non-zero without printing a FAIL line
# (crash, timeout) counts as one failure.  TESTS=pattern selects scripts.

cd "$(dirname "$0")/.." || exit 1

pass=0; fail=0; skip=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

run_one() {
	local name="$1"; shift
	local limit="${TEST_TIMEOUT:-600}"
	echo "=== $name"
	timeout -k 10 "$limit" "$@" >"$out" 2>&1
	local rc=$?
	cat "$out"
	local p f s
	p=$(grep -c '^PASS ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	s=$(grep -c '^SKIP ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name (exit status $rc)"
		f=1
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}

for t in test/unit/*_test; do
	[ -x "$t" ] || continue
	case "$t" in *"${TESTS:-}"*) ;; *) continue ;; esac
	run_one "$t" "$t"
done

for t in test/integration/*.sh; do
	[ -f "$t" ] || continue
	case "$t" in *"${TESTS:-}"*) ;; *) continue ;; esac
	run_one "$t" bash "$t"
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
