#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/pasta_join.sh - pasta's namespaces: running a command in
# a new one (exit status, 128 + signal number, arguments, default shell,
# nothing left behind), and joining an existing one by PID, path, --netns,
# --userns and name (positional or --netns, with --nsrun-dir or in the
# default directories): ready when the starting process exits, pid file,
# quitting when the namespace goes away (or not, with --no-netns-quit), -f,
# bad targets (status 1, one line).

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

CASES="cmd_exit_status_7 cmd_exit_status_0 cmd_exit_status_1
cmd_exit_status_config_net cmd_exit_status_signal cmd_default_shell cmd_new_namespaces cmd_args
cmd_no_leftover join_pid_exit join_pid_ready join_pid_routes
join_pid_pidfile join_pid_dhcp join_pid_quit join_path_exit join_path_ready
join_path_quit join_netns_opt join_userns_opt join_name join_netns_name
join_name_default_dir join_no_netns_quit
join_foreground join_bad_path join_bad_pid join_bad_name"

HAVE_BB=1
need_pkg busybox busybox:udhcpc || HAVE_BB=0

sandbox_enter "$@"
require_binaries $CASES

T=${PASTA_TIMEOUT:-30}

# pasta_procs() - PIDs of running pasta/passt processes in the sandbox
pasta_procs() {
	local p exe
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "$exe" = "$(readlink -f "$PASST")" ] || continue
		pid_alive "${p#/proc/}" && echo "${p#/proc/}"
	done
}

# --- Running a command

timeout "$T" "$PASTA" -q -- sh -c 'exit 7' >/dev/null 2>&1
check_eq cmd_exit_status_7 7 "$?"
timeout "$T" "$PASTA" -q -- true >/dev/null 2>&1
check_eq cmd_exit_status_0 0 "$?"
timeout "$T" "$PASTA" -q -- false >/dev/null 2>&1
check_eq cmd_exit_status_1 1 "$?"
timeout "$T" "$PASTA" -q --config-net -- sh -c 'exit 3' >/dev/null 2>&1
check_eq cmd_exit_status_config_net 3 "$?"
timeout "$T" "$PASTA" -q -- sh -c 'kill -TERM $$' >/dev/null 2>&1
check_eq cmd_exit_status_signal 143 "$?"
echo 'exit 5' | SHELL=/bin/sh timeout "$T" "$PASTA" -q >/dev/null 2>&1
check_eq cmd_default_shell 5 "$?"

out=$(timeout "$T" "$PASTA" -q -- sh -c \
	'readlink /proc/self/ns/net; readlink /proc/self/ns/user' 2>/dev/null |
	tr '\n' ' ')
ours="$(readlink /proc/self/ns/net) $(readlink /proc/self/ns/user) "
net=${out%% *}
user=$(echo "$out" | awk '{ print $2 }')
if [ -n "$net" ] && [ "$net" != "$(readlink /proc/self/ns/net)" ] &&
   [ -n "$user" ] && [ "$user" != "$(readlink /proc/self/ns/user)" ]; then
	pass cmd_new_namespaces
else
	fail cmd_new_namespaces "command namespaces '$out', ours '$ours'"
fi

out=$(timeout "$T" "$PASTA" -q -- printf '%s|' 'a b' "c'd" '' '--x' 2>/dev/null)
check_eq cmd_args "a b|c'd||--x|" "$out"

left=$(pasta_procs | tr '\n' ' ')
check_eq cmd_no_leftover "" "$left"

# --- Joining by PID (user and network namespace of the process)

unshare --user --map-root-user --net sleep 300 &
TPID=$!
track_pid "$TPID"
# own_netns() - The process has its own network namespace already
own_netns() {
	[ "$(readlink "/proc/$1/ns/net" 2>/dev/null)" != \
	  "$(readlink /proc/self/ns/net)" ]
}
wait_for 5 own_netns "$TPID"

timeout "$T" "$PASTA" --config-net -P "$TESTDIR/pid.pid" "$TPID" \
	>"$TESTDIR/pid.log" 2>&1
rc=$?
# Read the target immediately: pasta must be done when it returns
a4=$(nsenter -t "$TPID" -U -n --preserve-credentials \
	ip -o -4 addr show dev veth0 2>/dev/null | awk '{ print $4 }')
r4=$(nsenter -t "$TPID" -U -n --preserve-credentials \
	ip -4 route show default 2>/dev/null | awk '{ print $3 }')
r6=$(nsenter -t "$TPID" -U -n --preserve-credentials \
	ip -6 route show default 2>/dev/null | awk '{ print $3 }')
track_pidfile "$TESTDIR/pid.pid"
PID_DAEMON=$BG_PID
check join_pid_exit "exit status $rc: $(log_tail "$TESTDIR/pid.log")" \
	test "$rc" -eq 0
check_eq join_pid_ready "192.0.2.1/24" "$a4"
check_eq join_pid_routes "192.0.2.2 fe80::2" "$r4 $r6"
if [ -n "${PID_DAEMON:-}" ] && pid_alive "$PID_DAEMON" &&
   [ "$(readlink "/proc/$PID_DAEMON/exe")" = "$(readlink -f "$PASST")" ]; then
	pass join_pid_pidfile
else
	fail join_pid_pidfile "pid file '$(cat "$TESTDIR/pid.pid" 2>/dev/null)' does not name a running pasta"
fi

# DHCP in a joined namespace (a second target, without --config-net)
if [ "$HAVE_BB" = 1 ]; then
	unshare --user --map-root-user --net sleep 300 &
	T2=$!
	track_pid "$T2"
	wait_for 5 own_netns "$T2"
	timeout "$T" "$PASTA" -q -P "$TESTDIR/dhcp.pid" "$T2" \
		>"$TESTDIR/dhcp.log" 2>&1
	track_pidfile "$TESTDIR/dhcp.pid"
	nsenter -t "$T2" -U -n --preserve-credentials \
		bash "$CLIENTS" udhcpc veth0 "$TESTDIR/dhcp.out"
	check_lease join_pid_dhcp "$TESTDIR/dhcp.out" ip=192.0.2.1 \
		router=192.0.2.2
else
	skip join_pid_dhcp "busybox udhcpc not available"
fi

kill_pid "$TPID"
if [ -z "${PID_DAEMON:-}" ]; then
	skip join_pid_quit "no pasta PID"
elif wait_for 10 eval '! pid_alive '"$PID_DAEMON"; then
	pass join_pid_quit
else
	fail join_pid_quit "pasta still running 10 s after the target process ended"
fi

# --- Joining by path (namespace owned by the sandbox: --netns-only)

ns_add tgt
timeout "$T" "$PASTA" --config-net --netns-only -P "$TESTDIR/path.pid" \
	/run/netns/tgt >"$TESTDIR/path.log" 2>&1
rc=$?
a4=$(in_ns tgt ip -o -4 addr show dev veth0 2>/dev/null | awk '{ print $4 }')
track_pidfile "$TESTDIR/path.pid"
PATH_DAEMON=$BG_PID
check join_path_exit "exit status $rc: $(log_tail "$TESTDIR/path.log")" \
	test "$rc" -eq 0
check_eq join_path_ready "192.0.2.1/24" "$a4"
ip netns del tgt
if [ -z "${PATH_DAEMON:-}" ]; then
	skip join_path_quit "no pasta PID"
elif wait_for 10 eval '! pid_alive '"$PATH_DAEMON"; then
	pass join_path_quit
else
	fail join_path_quit "pasta still running 10 s after the namespace was deleted"
fi

ns_add tgt2
timeout "$T" "$PASTA" -q --config-net --netns-only --netns /run/netns/tgt2 \
	-P "$TESTDIR/netns.pid" >"$TESTDIR/netns.log" 2>&1
track_pidfile "$TESTDIR/netns.pid"
a4=$(in_ns tgt2 ip -o -4 addr show dev veth0 2>/dev/null | awk '{ print $4 }')
check_eq join_netns_opt "192.0.2.1/24" "$a4"

unshare --user --map-root-user --net sleep 300 &
T3=$!
track_pid "$T3"
wait_for 5 own_netns "$T3"
timeout "$T" "$PASTA" -q --config-net --userns "/proc/$T3/ns/user" \
	--netns "/proc/$T3/ns/net" -P "$TESTDIR/userns.pid" \
	>"$TESTDIR/userns.log" 2>&1
track_pidfile "$TESTDIR/userns.pid"
a4=$(nsenter -t "$T3" -U -n --preserve-credentials \
	ip -o -4 addr show dev veth0 2>/dev/null | awk '{ print $4 }')
check_eq join_userns_opt "192.0.2.1/24" "$a4"

ns_add tgt3
timeout "$T" "$PASTA" -q --config-net --netns-only --nsrun-dir /run/netns \
	-P "$TESTDIR/name.pid" tgt3 >"$TESTDIR/name.log" 2>&1
track_pidfile "$TESTDIR/name.pid"
a4=$(in_ns tgt3 ip -o -4 addr show dev veth0 2>/dev/null | awk '{ print $4 }')
check_eq join_name "192.0.2.1/24" "$a4"

# --netns NAME: the same lookup as the positional NAME
ns_add tgt6
timeout "$T" "$PASTA" -q --config-net --netns-only --nsrun-dir /run/netns \
	--netns tgt6 -P "$TESTDIR/name2.pid" >"$TESTDIR/name2.log" 2>&1
track_pidfile "$TESTDIR/name2.pid"
a4=$(in_ns tgt6 ip -o -4 addr show dev veth0 2>/dev/null | awk '{ print $4 }')
check_eq join_netns_name "192.0.2.1/24" "$a4"

# Without --nsrun-dir, a name not in /run/user/UID/netns is looked up in
# /run/netns
ns_add tgt7
timeout "$T" "$PASTA" -q --config-net --netns-only -P "$TESTDIR/name3.pid" \
	tgt7 >"$TESTDIR/name3.log" 2>&1
track_pidfile "$TESTDIR/name3.pid"
a4=$(in_ns tgt7 ip -o -4 addr show dev veth0 2>/dev/null | awk '{ print $4 }')
check_eq join_name_default_dir "192.0.2.1/24" "$a4"

# --- --no-netns-quit

ns_add tgt4
timeout "$T" "$PASTA" -q --netns-only --no-netns-quit -P "$TESTDIR/nq.pid" \
	/run/netns/tgt4 >"$TESTDIR/nq.log" 2>&1
if track_pidfile "$TESTDIR/nq.pid"; then
	nq=$BG_PID
	ip netns del tgt4
	sleep 3
	check join_no_netns_quit "pasta quit although --no-netns-quit" \
		pid_alive "$nq"
else
	fail join_no_netns_quit "no pid file: $(log_tail "$TESTDIR/nq.log")"
fi

# --- -f: stays in the foreground

ns_add tgt5
bg_start "$TESTDIR/fg.log" "$PASTA" -f --config-net --netns-only \
	/run/netns/tgt5
fg=$BG_PID
fgaddr() {
	in_ns tgt5 ip -o -4 addr show dev veth0 2>/dev/null | grep -q 192.0.2.1/24
}
if wait_for 10 fgaddr && pid_alive "$fg"; then
	pass join_foreground
else
	fail join_foreground "not configured, or not running in the foreground: $(log_tail "$TESTDIR/fg.log")"
fi

# --- Targets that do not exist: status 1, one line naming what's wrong, no
# pid file

# bad_target() - pasta exits 1 with one line starting with a given text,
# and writes no pid file
# $1:	case name
# $2:	expected start of the line
# $@:	pasta options
bad_target() {
	local name="$1" start="$2" rc
	shift 2
	timeout "$T" "$PASTA" -P "$TESTDIR/$name.pid" "$@" \
		>"$TESTDIR/$name.out" 2>"$TESTDIR/$name.err"
	rc=$?
	check "$name" "status $rc, pid file $(ls "$TESTDIR/$name.pid" 2>&1), message '$(head -c 200 "$TESTDIR/$name.err")'" \
		eval 'test "$rc" = 1 -a "$(wc -l <"$TESTDIR/$name.err")" = 1 &&
		      grep -q -- "^$start" "$TESTDIR/$name.err" &&
		      test ! -e "$TESTDIR/$name.pid"'
}

bad_target join_bad_path "--netns: " --config-net --netns-only \
	--netns /run/netns/does-not-exist
bad_target join_bad_pid "4194000: " --config-net 4194000
bad_target join_bad_name "--netns: " --config-net --nsrun-dir /run/netns \
	--netns does-not-exist

test_finish
