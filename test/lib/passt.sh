# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/lib/passt.sh - Locations of the binaries under test and of the test
# helpers, and functions to start and stop passt and pasta inside the
# sandbox.  Source after common.sh and sandbox.sh.

PASST="$REPO/passt"
PASTA="$REPO/pasta"
RELAY="$REPO/test/helpers/relay"
INJECT="$REPO/test/helpers/inject"
FRAMES="$REPO/test/lib/frames.py"
CLIENTS="$REPO/test/lib/clients.sh"
PYTHON=${PYTHON:-python3}
[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3

# build_helpers() - Build the C helpers if missing (they need only headers)
build_helpers() {
	local h
	for h in relay inject; do
		[ -x "$REPO/test/helpers/$h" ] && continue
		make -s -C "$REPO" "test/helpers/$h" >/dev/null 2>&1 || return 1
	done
	return 0
}

# require_binaries() - Skip every listed case and exit if passt/pasta are
# not built, or (with --helpers first) the relay/inject helpers cannot be
# built
# $@:	[--helpers] case names of the test
require_binaries() {
	local why="" helpers=0
	if [ "$1" = "--helpers" ]; then
		helpers=1
		shift
	fi
	[ -x "$PASST" ] || why="$PASST not built (run make)"
	[ -z "$why" ] && [ ! -e "$PASTA" ] && why="$PASTA not built (run make)"
	if [ -z "$why" ] && [ "$helpers" = 1 ]; then
		build_helpers
		[ -x "$RELAY" ] || why="test/helpers/relay not built"
		[ -z "$why" ] && [ ! -x "$INJECT" ] &&
			why="test/helpers/inject not built"
	fi
	[ -z "$why" ] && return 0
	skip_all "$why" "$@"
	exit 0
}

# passt_start() - Start passt in the foreground (-f) in the background of
# this shell, wait for its socket
# $1:	socket path
# $@:	further passt options
# Set: PASST_PID
# Return: 0 if the socket appeared within 5 s
passt_start() {
	local sock="$1"
	shift
	rm -f "$sock"
	bg_start "$sock.log" "$PASST" -f -s "$sock" "$@"
	PASST_PID=$BG_PID
	wait_for 5 test -S "$sock"
}

# passt_stop() - End the passt started by passt_start
passt_stop() {
	[ -n "${PASST_PID:-}" ] || return 0
	kill_pid "$PASST_PID"
	untrack_pid "$PASST_PID"
	PASST_PID=
}

# relay_start() - Start the relay helper in a named network namespace
# $1:	namespace name
# $2:	socket path
# $3:	tap interface name
# $@:	further relay options
# Set: RELAY_PID
# Return: 0 once connected and set up (5 s at most)
relay_start() {
	local ns="$1" sock="$2" tap="$3" ready
	shift 3
	ready="$TESTDIR/relay-$ns-$tap.ready"
	rm -f "$ready"
	bg_start "$TESTDIR/relay-$ns-$tap.log" \
		ip netns exec "$ns" "$RELAY" -r "$ready" "$@" "$sock" "$tap"
	RELAY_PID=$BG_PID
	wait_for 6 test -e "$ready"
}

# relay_stop() - End the relay started last by relay_start
relay_stop() {
	[ -n "${RELAY_PID:-}" ] || return 0
	kill_pid "$RELAY_PID"
	untrack_pid "$RELAY_PID"
	RELAY_PID=
}

# log_tail() - Last lines of a log, on one line, for a failure reason
# $1:	log file
log_tail() {
	[ -s "$1" ] || { echo "no output"; return; }
	tail -n "${2:-3}" "$1" | tr '\n' '|' | cut -c1-300
}

# lines_in_order() - Whether a file holds the given lines, in that order
# (other lines may come between them)
# $1:	file
# stdin: expected lines, exactly as in the file
# Return: 0 if all were found; else prints the first missing line
lines_in_order() {
	awk 'BEGIN { n = 0; i = 0 }
	     NR == FNR { want[n++] = $0; next }
	     i < n && $0 == want[i] { i++ }
	     END { if (i < n) { print "missing: \"" want[i] "\""; exit 1 } }' \
		- "$1"
}

# check_lease() - Compare values recorded in a client result file
# $1:	case name
# $2:	result file (see clients.sh)
# $@:	KEY=VALUE pairs; an empty VALUE requires the key to be empty/absent
check_lease() {
	local name="$1" file="$2" kv k v got bad=""
	shift 2
	if [ ! -s "$file" ]; then
		fail "$name" "no lease recorded"
		return 1
	fi
	for kv; do
		k=${kv%%=*}
		v=${kv#*=}
		got=$(lease_get "$file" "$k")
		[ "$got" = "$v" ] || bad="$bad $k='$got' (want '$v')"
	done
	if [ -n "$bad" ]; then
		fail "$name" "${bad# }"
		return 1
	fi
	pass "$name"
}

# pasta_guest() - Run a script as the command of pasta: a new namespace,
# whose files land in $TESTDIR/NAME/
# $1:	name
# $@:	pasta options
# stdin: bash script, run as "bash guest.sh DIR CLIENTS" (DIR: its own
#	 directory for result files, CLIENTS: path of clients.sh)
# Return: pasta's exit status (124 on timeout); log in DIR/pasta.log
pasta_guest() {
	local name="$1" dir
	shift
	dir="$TESTDIR/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	cat >"$dir/guest.sh"
	timeout -k 5 "${GUEST_TIMEOUT:-120}" "$PASTA" "$@" -- \
		bash "$dir/guest.sh" "$dir" "$CLIENTS" >"$dir/pasta.log" 2>&1
}
