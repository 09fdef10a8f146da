# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/lib/common.sh - Shared shell support for integration tests: result
# lines counted by test/run.sh, dependency installation (or skipping), bounded
# waits, background processes recorded by PID, and a cleanup trap that ends
# those processes, and only those.
#
# Source it with bash:  . "$(dirname "$0")/../lib/common.sh"
#
# Result lines (exact formats, counted by test/run.sh):
#	pass NAME		-> "PASS NAME"
#	fail NAME WHY...	-> "FAIL NAME (WHY)"
#	skip NAME WHY...	-> "SKIP NAME: WHY"

# Sbin directories hold ip, dhclient, tcpdump: make sure they are searched
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH="$PATH:/usr/sbin:/sbin" ;;
esac
export PATH

# Absolute path of the repository, and of the running test script
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TEST_SCRIPT="$(readlink -f "$0")"
TEST_NAME="$(basename "$0" .sh)"

TEST_FAILED=0
TEST_BG_PIDS=""
TEST_EXIT_HOOKS=()

# Verbose diagnostics to stderr when PASST_TEST_VERBOSE=1
info() {
	[ "${PASST_TEST_VERBOSE:-0}" = 1 ] && echo "# $*" >&2
	return 0
}

# note() - Diagnostic line on stdout, never mistaken for a result line
note() {
	echo "# $*"
}

pass() {
	echo "PASS $1"
}

fail() {
	local name="$1"
	shift
	echo "FAIL $name (${*:-failed})"
	TEST_FAILED=1
}

skip() {
	local name="$1"
	shift
	echo "SKIP $name: ${*:-skipped}"
}

# skip_all() - Skip several cases for one reason
# $1:	reason
# $@:	case names
skip_all() {
	local why="$1" n
	shift
	for n; do
		skip "$n" "$why"
	done
}

# check() - Run a command, report PASS if it succeeds, FAIL otherwise
# $1:	case name
# $2:	reason printed on failure
# $@:	command
check() {
	local name="$1" why="$2"
	shift 2
	if "$@"; then
		pass "$name"
	else
		fail "$name" "$why"
	fi
}

# check_eq() - Compare two strings
# $1:	case name
# $2:	expected value
# $3:	actual value
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

# die() - Abort the whole test with one failure line
die() {
	fail "$TEST_NAME" "$*"
	exit 1
}

# wait_for() - Wait until a command succeeds, polling every 0.1 s
# $1:	timeout in seconds (may be fractional: 0.5)
# $@:	command
# Return: 0 once the command succeeded, 1 on timeout
wait_for() {
	local limit="$1" n=0 max
	shift
	max=$(awk -v s="$limit" 'BEGIN { printf "%d", s * 10 }')
	while :; do
		"$@" && return 0
		[ "$n" -ge "$max" ] && return 1
		sleep 0.1
		n=$((n + 1))
	done
}

# pid_alive() - Whether a process exists and is not a zombie
# $1:	PID
pid_alive() {
	local st
	[ -n "$1" ] || return 1
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	case "$st" in
	""|Z|X|x) return 1 ;;
	esac
	return 0
}

# track_pid() - Record a PID to be ended at cleanup
track_pid() {
	local p
	for p; do
		case "$p" in
		''|*[!0-9]*) continue ;;
		esac
		TEST_BG_PIDS="$TEST_BG_PIDS $p"
	done
}

# track_pidfile() - Record the PID written in a pid file, if any
# $1:	pid file path
# Return: 0 if a PID was read, with BG_PID set to it
track_pidfile() {
	local p
	[ -s "$1" ] || return 1
	p=$(tr -dc '0-9' <"$1")
	[ -n "$p" ] || return 1
	track_pid "$p"
	BG_PID="$p"
	return 0
}

# bg_start() - Start a command in the background, record its PID
# $1:	log file for its standard output and error
# $@:	command
# Set: BG_PID
bg_start() {
	local log="$1"
	shift
	"$@" >"$log" 2>&1 </dev/null &
	BG_PID=$!
	track_pid "$BG_PID"
}

# kill_pid() - End one process we started: SIGTERM, then SIGKILL after 2 s
# $1:	PID
kill_pid() {
	local p="$1"
	[ -n "$p" ] || return 0
	pid_alive "$p" || { wait "$p" 2>/dev/null; return 0; }
	kill -TERM "$p" 2>/dev/null
	if ! wait_for 2 eval '! pid_alive '"$p"; then
		kill -KILL "$p" 2>/dev/null
		wait_for 2 eval '! pid_alive '"$p"
	fi
	wait "$p" 2>/dev/null
	return 0
}

# untrack_pid() - Forget a PID (after the test ended it itself)
untrack_pid() {
	local p out=""
	for p in $TEST_BG_PIDS; do
		[ "$p" = "$1" ] || out="$out $p"
	done
	TEST_BG_PIDS="$out"
}

# on_exit() - Register a command to run at cleanup (before PIDs are ended)
on_exit() {
	TEST_EXIT_HOOKS+=("$*")
}

# test_cleanup() - EXIT trap: run hooks, end recorded PIDs, latest first
test_cleanup() {
	local rc=$? i p list=""
	trap - EXIT INT TERM
	for ((i = ${#TEST_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
		eval "${TEST_EXIT_HOOKS[$i]}" >/dev/null 2>&1
	done
	for p in $TEST_BG_PIDS; do
		list="$p $list"
	done
	for p in $list; do
		kill_pid "$p"
	done
	exit "$rc"
}

trap test_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# test_finish() - End the test: status 1 if any case failed
test_finish() {
	[ "$TEST_FAILED" -eq 0 ]
	exit $?
}

# in_initial_userns() - Whether we run in the machine's own user namespace
in_initial_userns() {
	[ "$(awk '{ print $1 $2 $3 }' /proc/self/uid_map 2>/dev/null)" = \
	  "004294967295" ]
}

# can_install() - Whether need_pkg may install Debian packages here:
# real root, apt-get present, not disabled with PASST_TEST_NO_INSTALL=1
can_install() {
	[ "${PASST_TEST_NO_INSTALL:-0}" != 1 ] || return 1
	[ "$(id -u)" = 0 ] || return 1
	in_initial_userns || return 1
	command -v apt-get >/dev/null 2>&1 || return 1
	return 0
}

# have_cmd() - Whether every argument is an available command; "busybox:X"
# stands for the busybox applet X
have_cmd() {
	local c
	for c; do
		case "$c" in
		busybox:*)
			command -v busybox >/dev/null 2>&1 || return 1
			busybox --list 2>/dev/null | grep -qx "${c#busybox:}" ||
				return 1
			;;
		*)
			command -v "$c" >/dev/null 2>&1 || return 1
			;;
		esac
	done
	return 0
}

# pkg_install() - apt-get install one Debian package, serialised by a lock,
# with "apt-get update" once if the first attempt fails; logs to a file
# $1:	package name
pkg_install() {
	local log="${PASST_TEST_APT_LOG:-/tmp/passt-test-apt.log}"
	local lock="/var/lock/passt-test-apt.lock"
	(
		flock -w 600 9 || exit 1
		export DEBIAN_FRONTEND=noninteractive
		echo "=== $(date) install $1" >>"$log"
		timeout 300 apt-get install -y --no-install-recommends "$1" \
			>>"$log" 2>&1 && exit 0
		timeout 300 apt-get update >>"$log" 2>&1
		timeout 300 apt-get install -y --no-install-recommends "$1" \
			>>"$log" 2>&1
	) 9>>"$lock"
}

# need_pkg() - Make commands available, installing their Debian package
# when allowed (only outside the sandbox: it has no network); prints nothing,
# the caller reports SKIP for the dependent cases when this fails
# $1:	Debian package
# $@:	commands (or busybox:APPLET) the package provides
# Return: 0 if all commands are available
need_pkg() {
	local pkg="$1"
	shift
	have_cmd "$@" && return 0
	if [ -z "${PASST_TEST_SANDBOX:-}" ] && can_install; then
		info "installing $pkg"
		pkg_install "$pkg"
		hash -r
	fi
	have_cmd "$@"
}
