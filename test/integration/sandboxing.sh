#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/sandboxing.sh - The sandbox of isolation.c, seen from
# outside while passt and pasta serve real clients:
#   - a full session in each mode (DHCP with udhcpc, SLAAC, ICMP, UDP and TCP
#     traffic, pasta's spliced loopback forwarding, whatever of it works)
#     with the seccomp filter on: the program must survive it, and the
#     kernel must have logged no seccomp kill;
#   - every kind of traffic tried in a session went through;
#   - /proc/PID/status: no capabilities (pasta: only CAP_SYS_ADMIN,
#     CAP_NET_ADMIN, CAP_NET_BIND_SERVICE, in its own user namespace),
#     NoNewPrivs 1, Seccomp 2; /proc/PID/root is empty, and the only mount
#     of its mount namespace is a read-only tmpfs; its mount, IPC and UTS
#     namespaces are not the test's; no core dumps (RLIMIT_CORE 0);
#   - under strace: the filter is installed before the first guest frame
#     is read (passt: before the first accept4() on its socket; pasta:
#     before the first read() of the tap device);
#   - pasta's command is not sandboxed: it sees the filesystem, has no
#     filter, no_new_privs is off;
#   - daemonised, passt is PID 1 of its own PID namespace, its PID file
#     names it as seen from outside, and SIGTERM ends it;
#   - pasta daemonised on a namespace path or PID still quits when the
#     namespace goes away (the watch is set up before the sandbox);
#   - started as root in the initial user namespace (outside the sandbox,
#     in a network namespace of the test's own with a veth pair, UNIX
#     sockets in a private directory): passt runs as nobody, or as the
#     --runas user, and refuses --runas root; pasta (a command in a
#     namespace) runs as nobody or the --runas user too, with its
#     capabilities only in the command's user namespace, still able to
#     open sockets there at run time (a spliced -t connection), and
#     joining a namespace whose user namespace doesn't map nobody, it
#     refuses to start rather than run as root there; started
#     by an ordinary user there, passt is sandboxed and pasta runs a
#     command in a namespace of its own.
#
# A seccomp kill shows up as SIGSYS (exit status 159) and in the kernel log
# as an audit record (type=1326) with the number of the syscall that is
# missing from the annotations: the after hook prints its name.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"
. "$(dirname "$0")/../lib/l4.sh"

UNPRIV_CASES="sandboxing_unprivileged_passt sandboxing_unprivileged_pasta"
ROOT_PASTA_CASES="sandboxing_root_pasta_nobody sandboxing_root_pasta_userns
sandboxing_root_pasta_splice sandboxing_root_pasta_runas"
ROOT_JOIN_CASES="sandboxing_root_pasta_join_unmapped_refused"
ROOT_CASES="sandboxing_root_nobody sandboxing_root_nobody_sandboxed
sandboxing_root_runas sandboxing_root_runas_root_refused $ROOT_PASTA_CASES
$ROOT_JOIN_CASES $UNPRIV_CASES"
CASES="sandboxing_passt_session sandboxing_passt_dhcp sandboxing_passt_alive
sandboxing_passt_status sandboxing_passt_empty_root sandboxing_passt_userns
sandboxing_passt_traffic sandboxing_passt_namespaces
sandboxing_passt_readonly_root sandboxing_passt_no_core
sandboxing_passt_not_killed sandboxing_pasta_session sandboxing_pasta_dhcp
sandboxing_pasta_alive sandboxing_pasta_status sandboxing_pasta_empty_root
sandboxing_pasta_traffic sandboxing_pasta_namespaces
sandboxing_pasta_readonly_root sandboxing_pasta_no_core
sandboxing_pasta_not_killed sandboxing_pasta_command_unaffected
sandboxing_passt_filter_first sandboxing_pasta_filter_first
sandboxing_daemon_pidfile sandboxing_daemon_pidns sandboxing_daemon_status
sandboxing_daemon_empty_root sandboxing_daemon_namespaces
sandboxing_daemon_readonly_root sandboxing_daemon_no_core
sandboxing_daemon_dhcp sandboxing_daemon_sigterm
sandboxing_pasta_quit_path sandboxing_pasta_quit_pid sandboxing_syslog_runtime
sandboxing_syslog_alive sandboxing_syslog_not_killed"

HAVE_BB=1; HAVE_SOCAT=1; HAVE_STRACE=1
need_pkg busybox busybox:udhcpc busybox:ping || HAVE_BB=0
need_pkg socat socat || HAVE_SOCAT=0
need_pkg strace strace || HAVE_STRACE=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; l4_build; }

# sanitizer_build() - Whether passt was built by "make asan": no filter,
# filesystem view kept
sanitizer_build() {
	grep -qa __asan_init "$PASST" 2>/dev/null
}

# status_field() - One field of /proc/PID/status, tabs as spaces
# $1:	PID
# $2:	field name
status_field() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null |
		tr '\t' ' '
}

# check_sandboxed() - Capabilities, no_new_privs, seccomp, empty read-only
# root, detached namespaces, no core dumps of a running instance
# $1:	case name prefix (sandboxing_passt ...)
# $2:	PID
# $3:	capabilities expected, as in /proc/PID/status (hexadecimal)
check_sandboxed() {
	local name="$1" pid="$2" caps="$3" got root ns mine theirs
	# Done before the sandbox proper (isolate_prefork()): sanitizer
	# builds too
	got=""
	for ns in mnt ipc uts; do
		mine=$(readlink "/proc/self/ns/$ns")
		theirs=$(readlink "/proc/$pid/ns/$ns")
		[ -n "$theirs" ] && [ -n "$mine" ] && [ "$theirs" != "$mine" ] ||
			got="$got $ns:${theirs:-unreadable}"
	done
	check "${name}_namespaces" "same as the test's:$got" test -z "$got"
	got=$(awk '/^Max core file size/ { print $5, $6 }' "/proc/$pid/limits" 2>/dev/null)
	check_eq "${name}_no_core" "0 0" "$got"

	if sanitizer_build; then
		skip_all "sanitizer build: no filter, filesystem kept" \
			"${name}_status" "${name}_empty_root" \
			"${name}_readonly_root"
		return
	fi
	got="eff=$(status_field "$pid" CapEff) prm=$(status_field "$pid" CapPrm)"
	got="$got bnd=$(status_field "$pid" CapBnd) amb=$(status_field "$pid" CapAmb)"
	got="$got inh=$(status_field "$pid" CapInh)"
	got="$got nnp=$(status_field "$pid" NoNewPrivs) seccomp=$(status_field "$pid" Seccomp)"
	check_eq "${name}_status" \
		"eff=$caps prm=$caps bnd=$caps amb=0000000000000000 inh=0000000000000000 nnp=1 seccomp=2" \
		"$got"
	# ls, not a test in this shell: as PID 1 of the sandbox's PID
	# namespace, the test shell itself gets EACCES on /proc/PID/root
	root=$(ls -A "/proc/$pid/root/" 2>&1)
	if [ $? -eq 0 ] && [ -z "$root" ]; then
		pass "${name}_empty_root"
	else
		fail "${name}_empty_root" "/proc/$pid/root: $(echo "$root" |
			tr '\n' ' ' | cut -c1-200)"
	fi
	# One mount left, the tmpfs on /, read-only: "ID PARENT DEV ROOT
	# MOUNTPOINT OPTIONS ... - FSTYPE SOURCE SUPEROPTIONS"
	got=$(cat "/proc/$pid/mountinfo" 2>&1 | awk '
		{ n++; sep = 0
		  for (i = 7; i <= NF; i++) if ($i == "-") { sep = i; break }
		  line = $5 " " $6 " " (sep ? $(sep + 1) : "?") }
		END { print n + 0, line }')
	case "$got" in
	"1 / ro,"*" tmpfs"|"1 / ro tmpfs") pass "${name}_readonly_root" ;;
	*) fail "${name}_readonly_root" "mounts, last mount point, options, type: $got" ;;
	esac
}

# check_not_killed() - A process we started did not die of SIGSYS
# $1:	case name
# $2:	PID, still ours to wait for
# $3:	log file, for the failure reason
check_not_killed() {
	local name="$1" pid="$2" log="$3" rc
	if pid_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		wait_for 3 eval '! pid_alive '"$pid"
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	untrack_pid "$pid"
	if [ "$rc" -eq 159 ]; then
		fail "$name" "killed by SIGSYS: a syscall is missing from the annotations (see the kernel log): $(log_tail "$log")"
	else
		pass "$name"
	fi
}

# --- Outside the sandbox: started as real root, passt and pasta switch user

# root_netns() - A network namespace of our own for the cases started as
# root of the machine (which need the initial user namespace, so not the
# sandbox): a veth pair with documentation addresses and default routes,
# enough for passt and pasta to find a host set-up.  Nothing else is there.
# $1:	directory for the log
# Set: ROOT_NS (PID of the process holding the namespace)
# Return: 0 on success
root_netns() {
	bg_start "$1/holder.log" unshare --net sleep 600
	ROOT_NS=$BG_PID
	wait_for 5 eval '[ -n "$(readlink /proc/'"$ROOT_NS"'/ns/net)" ] &&
		[ "$(readlink /proc/'"$ROOT_NS"'/ns/net)" != "$(readlink /proc/self/ns/net)" ]' ||
		return 1
	in_root_ns ip link set lo up &&
	in_root_ns ip link add veth0 type veth peer name veth1 &&
	in_root_ns ip link set veth1 up &&
	in_root_ns ip link set veth0 up &&
	in_root_ns ip addr add 192.0.2.1/24 dev veth0 &&
	in_root_ns ip route add default via 192.0.2.2 &&
	in_root_ns ip -6 addr add 2001:db8::1/64 dev veth0 nodad &&
	in_root_ns ip -6 route add default via 2001:db8::2 dev veth0
}

# in_root_ns() - Run a command in the network namespace of root_netns(),
# staying in the initial user namespace.  For bg_start, use nsenter
# directly: it execs the command, whose PID is then BG_PID.
in_root_ns() {
	nsenter -t "$ROOT_NS" -n "$@"
}

# root_case() - Start passt as root with options, check its Uid and Gid
# $1:	directory for the socket and log
# $2:	expected "UID GID"
# $@:	further passt options
# Set: ROOT_STATUS (Uid Gid Seccomp NoNewPrivs CapEff of the running passt)
root_case() {
	local dir="$1" want="$2" pid
	shift 2
	ROOT_STATUS=""
	rm -f "$dir/s.sock"
	bg_start "$dir/passt.log" nsenter -t "$ROOT_NS" -n "$PASST" -f -s "$dir/s.sock" \
		-t none -u none "$@"
	pid=$BG_PID
	if wait_for 5 test -S "$dir/s.sock" &&
	   wait_for 5 eval '[ "$(status_field '"$pid"' Seccomp)" = 2 ] || sanitizer_build'; then
		ROOT_STATUS="$(status_field "$pid" Uid | awk '{ print $2 }')"
		ROOT_STATUS="$ROOT_STATUS $(status_field "$pid" Gid | awk '{ print $2 }')"
		ROOT_STATUS="$ROOT_STATUS $(status_field "$pid" Seccomp)"
		ROOT_STATUS="$ROOT_STATUS $(status_field "$pid" NoNewPrivs)"
		ROOT_STATUS="$ROOT_STATUS $(status_field "$pid" CapEff)"
	else
		ROOT_STATUS="not running: $(log_tail "$dir/passt.log")"
	fi
	kill_pid "$pid"
	untrack_pid "$pid"
}

# root_pasta_case() - Start pasta as root with a command that serves TCP
# echo on the namespace's loopback, check who pasta runs as, where its
# capabilities are, and that a connection from the host's loopback to the
# -t port reaches the command (spliced: pasta opens the socket inside the
# namespace at run time, which needs the capabilities it kept)
# $1:	directory
# $2:	case name for the IDs
# $3:	expected "UID GID"
# $@:	further pasta options
root_pasta_case() {
	local dir="$1" name="$2" want="$3" pid port=7790 got userns
	shift 3
	rm -f "$dir/pasta.ready" "$dir/pasta.release"
	bg_start "$dir/pasta.log" nsenter -t "$ROOT_NS" -n "$PASTA" -f --config-net \
		-t "$port" -u none -T none -U none "$@" -- sh -c "
		socat TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork EXEC:cat &
		touch '$dir/pasta.ready'
		n=300
		while [ ! -e '$dir/pasta.release' ] && [ \$n -gt 0 ]; do
			sleep 0.1; n=\$((n - 1))
		done
		kill \$!"
	pid=$BG_PID
	if ! wait_for 10 test -e "$dir/pasta.ready" ||
	   ! wait_for 5 eval '[ "$(status_field '"$pid"' Seccomp)" = 2 ] || sanitizer_build'; then
		fail "$name" "not running: $(log_tail "$dir/pasta.log")"
		kill_pid "$pid"
		untrack_pid "$pid"
		return 1
	fi
	got="$(status_field "$pid" Uid | awk '{ print $2 }') $(
		status_field "$pid" Gid | awk '{ print $2 }')"
	check_eq "$name" "$want" "$got"
	if [ "$name" = sandboxing_root_pasta_nobody ]; then
		# Capabilities, if any, only in a user namespace that isn't the
		# machine's: the command's
		userns=$(readlink "/proc/$pid/ns/user")
		got="caps=$(status_field "$pid" CapEff) groups=$(
			status_field "$pid" Groups | tr -d ' ')"
		[ -n "$userns" ] && [ "$userns" != "$(readlink /proc/self/ns/user)" ] &&
			got="$got own_userns" || got="$got initial_userns"
		check_eq sandboxing_root_pasta_userns \
			"caps=0000000000201400 groups= own_userns" "$got"
		got=$(echo sandboxing | in_root_ns timeout 10 socat -T 5 - \
			TCP4:127.0.0.1:$port 2>&1)
		check_eq sandboxing_root_pasta_splice sandboxing "$got"
	fi
	touch "$dir/pasta.release"
	wait_for 10 eval '! pid_alive '"$pid"
	kill_pid "$pid"
	untrack_pid "$pid"
}

# root_checks() - The cases started as root in the initial user namespace
root_checks() {
	local dir nobody rc owner
	if [ "$(id -u)" != 0 ] || ! in_initial_userns; then
		skip_all "not root in the initial user namespace" $ROOT_CASES
		return
	fi
	if [ ! -x "$PASST" ]; then
		skip_all "passt not built" $ROOT_CASES
		return
	fi
	if ! have_cmd nsenter unshare; then
		skip_all "nsenter or unshare not available" $ROOT_CASES
		return
	fi
	nobody="$(id -u nobody 2>/dev/null) $(id -g nobody 2>/dev/null)"
	dir=$(mktemp -d /tmp/passt-sandboxing.XXXXXX) || {
		skip_all "mktemp failed" $ROOT_CASES
		return
	}
	on_exit "rm -rf '$dir'"
	if ! root_netns "$dir"; then
		skip_all "can't set up a network namespace" $ROOT_CASES
		return
	fi

	root_case "$dir" "$nobody"
	check_eq sandboxing_root_nobody "$nobody" \
		"$(echo "$ROOT_STATUS" | cut -d' ' -f1-2)"
	if sanitizer_build; then
		skip sandboxing_root_nobody_sandboxed "sanitizer build"
	else
		check_eq sandboxing_root_nobody_sandboxed \
			"2 1 0000000000000000" \
			"$(echo "$ROOT_STATUS" | cut -d' ' -f3-)"
	fi

	root_case "$dir" "54321 54321" --runas 54321
	check_eq sandboxing_root_runas "54321 54321" \
		"$(echo "$ROOT_STATUS" | cut -d' ' -f1-2)"

	# An explicit --runas root is refused, with a message saying why
	rm -f "$dir/s.sock"
	in_root_ns timeout 10 "$PASST" -f -s "$dir/s.sock" -t none -u none \
		--runas 0 >"$dir/refused.log" 2>&1
	rc=$?
	check sandboxing_root_runas_root_refused "exit status $rc: $(
		log_tail "$dir/refused.log")" eval \
		'[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] &&
		 grep -q "refusing to keep running as root" "$dir/refused.log"'

	if [ "$HAVE_SOCAT" = 1 ]; then
		root_pasta_case "$dir" sandboxing_root_pasta_nobody "$nobody"
		root_pasta_case "$dir" sandboxing_root_pasta_runas \
			"54321 54322" --runas 54321:54322
	else
		skip_all "socat not available" $ROOT_PASTA_CASES
	fi

	# Joining a namespace whose owner maps only root: nobody can't be
	# switched to there, and staying root is not an option
	bg_start "$dir/owner.log" nsenter -t "$ROOT_NS" -n \
		unshare --user --map-root-user --net sleep 60
	owner=$BG_PID
	wait_for 5 eval '[ "$(readlink /proc/'"$owner"'/ns/user)" != "$(readlink /proc/self/ns/user)" ]'
	in_root_ns timeout 10 "$PASTA" -f -t none -u none -T none -U none \
		"$owner" >"$dir/join.log" 2>&1
	rc=$?
	check sandboxing_root_pasta_join_unmapped_refused "exit status $rc: $(
		log_tail "$dir/join.log")" eval \
		'[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] &&
		 grep -q "Started as root: switching" "$dir/join.log" &&
		 grep -q "not mapped in our user namespace" "$dir/join.log"'
	kill_pid "$owner"
	untrack_pid "$owner"

	unprivileged_checks "$dir"
}

# unprivileged_checks() - An ordinary user in the initial user namespace:
# passt sandboxes itself, pasta runs a command in a namespace of its own
# (the command's namespace: nothing it does leaves the machine)
# $1:	private directory
unprivileged_checks() {
	local dir="$1/nobody" rc
	if ! have_cmd setpriv; then
		skip_all "setpriv not available" $UNPRIV_CASES
		return
	fi
	chmod 755 "$1" && mkdir -p "$dir" && chown nobody "$dir"
	set -- setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" \
		--clear-groups
	"$@" test -x "$PASST" 2>/dev/null || {
		skip_all "nobody can't run $PASST (directory permissions)" \
			$UNPRIV_CASES
		return
	}

	bg_start "$dir/passt.log" nsenter -t "$ROOT_NS" -n "$@" "$PASST" -f \
		-s "$dir/s.sock" -t none -u none
	if wait_for 5 test -S "$dir/s.sock" && ! sanitizer_build &&
	   wait_for 5 eval '[ "$(status_field '"$BG_PID"' Seccomp)" = 2 ]'; then
		check_eq sandboxing_unprivileged_passt \
			"$(id -u nobody) 0000000000000000 1" \
			"$(status_field "$BG_PID" Uid | awk '{ print $2 }') $(
			   status_field "$BG_PID" CapEff) $(
			   status_field "$BG_PID" NoNewPrivs)"
	elif sanitizer_build; then
		skip sandboxing_unprivileged_passt "sanitizer build"
	else
		fail sandboxing_unprivileged_passt "not running: $(
			log_tail "$dir/passt.log")"
	fi
	kill_pid "$BG_PID"
	untrack_pid "$BG_PID"

	(cd "$dir" && in_root_ns timeout 30 "$@" "$PASTA" --config-net -f -- \
		sh -c 'grep -q "^Seccomp:.*2" /proc/$PPID/status' \
		>"$dir/pasta.log" 2>&1)
	rc=$?
	if sanitizer_build; then
		check sandboxing_unprivileged_pasta "exit status $rc: $(
			log_tail "$dir/pasta.log")" test "$rc" -le 1
	else
		check sandboxing_unprivileged_pasta "exit status $rc: $(
			log_tail "$dir/pasta.log")" test "$rc" -eq 0
	fi
}

if [ -z "${PASST_TEST_SANDBOX:-}" ]; then
	UPTIME_START=$(cut -d' ' -f1 /proc/uptime)
	root_checks
	dmesg >/dev/null 2>&1 && DMESG_OK=1 || DMESG_OK=0

	# sandbox_after_hook() - Seccomp kills of our binary in the kernel log
	sandbox_after_hook() {
		local rc="$1" kills nr name
		if [ "$DMESG_OK" != 1 ]; then
			skip sandboxing_no_seccomp_kill "kernel log not readable"
		else
			kills=$(dmesg |
				awk -v t="$UPTIME_START" -F'[][]' '$2 + 0 >= t' |
				grep 'type=1326' | grep "exe=\"$REPO/passt\"")
			if [ -z "$kills" ]; then
				pass sandboxing_no_seccomp_kill
			else
				nr=$(echo "$kills" | sed -n 's/.* syscall=\([0-9]*\).*/\1/p' |
				     sort -u | tr '\n' ' ')
				for n in $nr; do
					name="$name $(printf '#include <sys/syscall.h>\n' |
						${CC:-cc} -dM -E - 2>/dev/null |
						awk -v n="$n" '$1 == "#define" && $2 ~ /^__NR_/ && $3 == n { sub(/^__NR_/, "", $2); print $2; exit }')"
				done
				fail sandboxing_no_seccomp_kill \
					"seccomp killed passt/pasta on syscall(s) $nr:$name"
			fi
		fi
		[ "$rc" -eq 0 ] && [ "$TEST_FAILED" -eq 0 ]
	}
fi

sandbox_enter "$@"

# --- Inside the sandbox

require_binaries --helpers $CASES
if [ "$HAVE_BB" != 1 ]; then
	skip_all "busybox udhcpc/ping not available" $CASES
	exit 0
fi
l4_build || note "udptool not built: no UDP traffic in the sessions"
PING_OK=1
l4_ping_allow || { PING_OK=0; note "ping sockets not allowed: no ICMP in the sessions"; }

T=${PASST_TIMEOUT:-30}
R4=$SANDBOX_OUTSIDE4
R6=$SANDBOX_OUTSIDE6
UDP_PORT=7777
TCP_PORT=7778
UDP_LO_PORT=7779	# pasta -U: host loopback peers
TCP_LO_PORT=7780	# pasta -T
UDP_IN_PORT=7781	# pasta -u: peers inside the namespace
TCP_IN_PORT=7782	# pasta -t
# Capabilities pasta keeps: CAP_NET_BIND_SERVICE, CAP_NET_ADMIN, CAP_SYS_ADMIN
PASTA_CAPS=0000000000201400
NO_CAPS=0000000000000000

# Peers in the remote namespace: UDP and TCP echo
if [ -x "$UDPTOOL" ]; then
	for a in "$R4" "$R6"; do
		bg_start "$TESTDIR/udpecho-$a.log" ip netns exec remote \
			"$UDPTOOL" echo "$a" "$UDP_PORT"
	done
fi
if [ "$HAVE_SOCAT" = 1 ]; then
	bg_start "$TESTDIR/tcpecho.log" ip netns exec remote \
		socat TCP6-LISTEN:$TCP_PORT,ipv6only=0,reuseaddr,fork EXEC:cat
	bg_start "$TESTDIR/tcpecho-lo.log" \
		socat TCP4-LISTEN:$TCP_LO_PORT,bind=127.0.0.1,reuseaddr,fork EXEC:cat
fi
[ -x "$UDPTOOL" ] && bg_start "$TESTDIR/udpecho-lo.log" \
	"$UDPTOOL" echo 127.0.0.1 "$UDP_LO_PORT"

# The guest's side of a session, run by pasta as its command or by the test
# in the namespace of the relay: $1 interface, $2 result directory, $3 mode
cat >"$TESTDIR/session.sh" <<EOF
I=\$1; D=\$2
exec >"\$D/session.log" 2>&1
cat /proc/self/status >"\$D/self_status"
ls -A / | wc -l >"\$D/self_root"
bash "$CLIENTS" udhcpc "\$I" "\$D/udhcpc"
ip=\$(sed -n 's/^ip=//p' "\$D/udhcpc")
mask=\$(sed -n 's/^subnet=//p' "\$D/udhcpc")
gw=\$(sed -n 's/^router=//p' "\$D/udhcpc")
if [ -n "\$ip" ]; then
	ip addr add "\$ip/\$mask" dev "\$I"
	[ -n "\$gw" ] && ip route add default via "\$gw" dev "\$I"
fi
bash "$CLIENTS" slaac "\$I" "\$D/slaac" 10
t() {
	local name=\$1; shift
	if timeout 10 "\$@" >"\$D/\$name.out" 2>&1; then
		echo "\$name=ok" >>"\$D/traffic"
	else
		echo "\$name=failed" >>"\$D/traffic"
	fi
}
if [ "$PING_OK" = 1 ]; then
	t ping4 busybox ping -c 2 -W 2 $R4
	t ping6 busybox ping -6 -c 2 -W 2 $R6
fi
if [ -x "$UDPTOOL" ]; then
	t udp4 "$UDPTOOL" send -c 50 -W 1000 $R4 $UDP_PORT
	t udp6 "$UDPTOOL" send -c 50 -W 1000 $R6 $UDP_PORT
fi
if command -v socat >/dev/null; then
	t tcp4 sh -c 'echo sandboxing | socat -T 5 - TCP4:$R4:$TCP_PORT | grep -q sandboxing'
	t tcp6 sh -c 'echo sandboxing | socat -T 5 - TCP6:[$R6]:$TCP_PORT | grep -q sandboxing'
fi
# pasta, -T and -U: loopback of the namespace to the host's, spliced (with
# sockets opened inside the namespace at run time)
if [ "\$3" = pasta ]; then
	[ -x "$UDPTOOL" ] && t udp_splice "$UDPTOOL" send -c 50 -W 1000 127.0.0.1 $UDP_LO_PORT
	command -v socat >/dev/null &&
		t tcp_splice sh -c 'echo sandboxing | socat -T 5 - TCP4:127.0.0.1:$TCP_LO_PORT | grep -q sandboxing'
fi
# pasta, -t and -u: the host's loopback to servers in the namespace, spliced
# through sockets that pasta opens in the namespace at run time (ns_call())
pids=""
if [ "\$3" = pasta ]; then
	if command -v socat >/dev/null; then
		socat TCP4-LISTEN:$TCP_IN_PORT,bind=127.0.0.1,reuseaddr,fork EXEC:cat &
		pids="\$pids \$!"
	fi
	if [ -x "$UDPTOOL" ]; then
		"$UDPTOOL" echo 127.0.0.1 $UDP_IN_PORT &
		pids="\$pids \$!"
	fi
	sleep 0.5
fi
touch "\$D/done"
# pasta's command: stay until the test has looked at pasta
n=300
while [ ! -e "\$D/release" ] && [ \$n -gt 0 ]; do sleep 0.1; n=\$((n - 1)); done
for p in \$pids; do kill \$p; wait \$p; done 2>/dev/null
exit 0
EOF

# session_checks() - Results of one session
# $1:	mode
# $2:	result directory
# $3:	PID of the program
session_checks() {
	local m="$1" d="$2" pid="$3"
	check "sandboxing_${m}_session" "the session did not finish: $(
		log_tail "$d/session.log")" test -e "$d/done"
	check_lease "sandboxing_${m}_dhcp" "$d/udhcpc" ip=192.0.2.1 \
		router=192.0.2.2
	note "$m traffic: $(tr '\n' ' ' <"$d/traffic" 2>/dev/null)slaac=$(
		lease_get "$d/slaac" addr)"
	# Whatever the session could try (ICMP, UDP, TCP, splicing: each
	# needs a tool) must have gone through: a path that fails under the
	# filter is not exercised by it
	if [ ! -s "$d/traffic" ]; then
		fail "sandboxing_${m}_traffic" "no traffic was tried"
	elif grep -q '=failed' "$d/traffic"; then
		fail "sandboxing_${m}_traffic" "$(grep '=failed' "$d/traffic" |
			tr '\n' ' ')"
	else
		pass "sandboxing_${m}_traffic"
	fi
	check "sandboxing_${m}_alive" "$m exited during the session" \
		pid_alive "$pid"
}

# --- passt: foreground, through the relay

ns_add guest
SOCK=$TESTDIR/passt.sock
D=$TESTDIR/passt
mkdir -p "$D"
passt_start "$SOCK" -d || note "passt did not start: $(log_tail "$SOCK.log")"
P=$PASST_PID
if relay_start guest "$SOCK" tap0 -m 02:00:00:00:0c:01; then
	timeout 120 ip netns exec guest bash "$TESTDIR/session.sh" tap0 "$D" \
		passt
else
	note "relay did not connect: $(log_tail "$TESTDIR/relay-guest-tap0.log")"
fi
session_checks passt "$D" "$P"
check_sandboxed sandboxing_passt "$P" "$NO_CAPS"
check sandboxing_passt_userns "passt is in the test's user namespace" \
	test "$(readlink "/proc/$P/ns/user")" != "$(readlink /proc/self/ns/user)"
relay_stop
check_not_killed sandboxing_passt_not_killed "$P" "$SOCK.log"
PASST_PID=

# --- passt logging to syslog: messages at run time go to /dev/log too

# A private /dev, in a mount namespace of its own, with the device nodes
# passt needs bound from the real one and a /dev/log socket read by socat
cat >"$TESTDIR/devlog.sh" <<'EOF'
set -e
mkdir -p /run/realdev
mount --rbind /dev /run/realdev
mount -t tmpfs -o mode=0755 tmpfs /dev
for n in null zero random urandom; do
	: >"/dev/$n"
	mount --bind "/run/realdev/$n" "/dev/$n"
done
umount -l /run/realdev
socat -u UNIX-RECV:/dev/log "OPEN:$1/syslog,creat,append" &
echo $! >"$1/socat.pid"
for i in $(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done
shift
exec "$@"
EOF
D=$TESTDIR/syslog
mkdir -p "$D"
SOCK=$D/passt.sock
if [ "$HAVE_SOCAT" = 1 ]; then
	bg_start "$D/passt.log" unshare --mount --propagation private \
		bash "$TESTDIR/devlog.sh" "$D" "$PASST" -f -s "$SOCK"
	P=$BG_PID
	wait_for 5 test -s "$D/socat.pid" && track_pid "$(cat "$D/socat.pid")"
	if wait_for 5 test -S "$SOCK" &&
	   relay_start guest "$SOCK" tap2 -m 02:00:00:00:0c:03; then
		relay_stop
		wait_for 3 grep -q "Client connection closed" "$D/syslog"
	fi
	check sandboxing_syslog_runtime \
		"no run-time message in syslog: $(tail -c 300 "$D/syslog" 2>/dev/null)" \
		grep -q 'passt\[[0-9]*\]: Client connection closed' "$D/syslog"
	check sandboxing_syslog_alive "passt exited after logging to syslog" \
		pid_alive "$P"
	check_not_killed sandboxing_syslog_not_killed "$P" "$D/passt.log"
else
	skip_all "socat not available" sandboxing_syslog_runtime \
		sandboxing_syslog_alive sandboxing_syslog_not_killed
fi

# --- pasta: a command in a new namespace, left running while we look

D=$TESTDIR/pasta
mkdir -p "$D"
bg_start "$D/pasta.log" "$PASTA" -d -T "$TCP_LO_PORT" -U "$UDP_LO_PORT" \
	-t "$TCP_IN_PORT" -u "$UDP_IN_PORT" -- \
	bash "$TESTDIR/session.sh" "$SANDBOX_IF" "$D" pasta
P=$BG_PID
wait_for 120 test -e "$D/done"
# From the host's loopback into the namespace: the other way of splicing
if [ -x "$UDPTOOL" ]; then
	timeout 10 "$UDPTOOL" send -c 50 -W 1000 127.0.0.1 "$UDP_IN_PORT" \
		>"$D/udp_splice_in.out" 2>&1 &&
		echo udp_splice_in=ok >>"$D/traffic" ||
		echo udp_splice_in=failed >>"$D/traffic"
fi
if [ "$HAVE_SOCAT" = 1 ]; then
	echo sandboxing | timeout 10 socat -T 5 - TCP4:127.0.0.1:"$TCP_IN_PORT" \
		2>/dev/null | grep -q sandboxing &&
		echo tcp_splice_in=ok >>"$D/traffic" ||
		echo tcp_splice_in=failed >>"$D/traffic"
fi
session_checks pasta "$D" "$P"
check_sandboxed sandboxing_pasta "$P" "$PASTA_CAPS"
cmd="seccomp=$(sed -n 's/^Seccomp:[[:space:]]*//p' "$D/self_status")"
cmd="$cmd nnp=$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "$D/self_status")"
cmd="$cmd root_entries_nonzero=$([ "$(cat "$D/self_root" 2>/dev/null)" -gt 0 ] 2>/dev/null && echo yes || echo no)"
check_eq sandboxing_pasta_command_unaffected \
	"seccomp=0 nnp=0 root_entries_nonzero=yes" "$cmd"
touch "$D/release"
wait_for 10 eval '! pid_alive '"$P"
check_not_killed sandboxing_pasta_not_killed "$P" "$D/pasta.log"

# --- The filter comes before the first guest frame (strace)

# filter_order() - From an strace -f log, check that the process that
# installed the seccomp filter did so before its first call of a syscall
# on a descriptor
# $1:	case name
# $2:	strace log ("PID syscall(args) = result" lines)
# $3:	extended regular expression of the descriptor's creation; its
#	result (or, for bind(), first argument) is the descriptor
# $4:	syscall that reads guest input from that descriptor
filter_order() {
	local name="$1" log="$2" create="$3" sc="$4" got
	got=$(awk -v create="$create" -v sc="$sc" '
		# The filter, installed by a call that may be cut in two by
		# another process'"'"'s: "<unfinished ...>", "<... resumed>"
		!filt && /PR_SET_SECCOMP|seccomp\(SECCOMP_SET_MODE_FILTER/ {
			if (/ = 0$/) { filt = NR; pid = $1 }
			else if (/<unfinished/) { fline = NR; fpid = $1 }
		}
		!filt && fpid != "" && $1 == fpid && /resumed>/ {
			if (/ = 0$/) { filt = fline; pid = fpid }
			fpid = ""
		}
		# The descriptor: first argument of bind(), else the result,
		# which a call interrupted by another process'"'"'s ends up on a
		# "<... resumed>" line
		fd == "" && wait != "" && $1 == wait && /resumed>/ { fd = $NF }
		fd == "" && wait == "" && $0 ~ create {
			if ($2 ~ /^bind\(/) {
				fd = $2
				sub(/^bind\(/, "", fd)
				sub(/,.*/, "", fd)
			} else if ($NF ~ /^[0-9]+$/) {
				fd = $NF
			} else {
				wait = $1
			}
			next
		}
		# First use of the descriptor by each process
		fd != "" && index($2, sc "(" fd ",") == 1 && !($1 in first) {
			first[$1] = NR
		}
		END {
			if (!filt) { print "no filter installed"; exit }
			if (fd == "") { print "descriptor not found"; exit }
			if (!(pid in first)) {
				print "no " sc "() on descriptor " fd " by " pid
				exit
			}
			if (first[pid] < filt) {
				print sc "() on " fd " at line " first[pid] \
				      ", filter at line " filt
				exit
			}
			print "ok"
		}' "$log" 2>&1)
	check_eq "$name" ok "$got"
}

if [ "$HAVE_STRACE" != 1 ]; then
	skip_all "strace not available" sandboxing_passt_filter_first \
		sandboxing_pasta_filter_first
elif sanitizer_build; then
	skip_all "sanitizer build: no filter" sandboxing_passt_filter_first \
		sandboxing_pasta_filter_first
else
	# passt: the guest connects as soon as the socket exists, and sends
	# DHCP; the first accept4() on the socket must follow the filter
	D=$TESTDIR/strace-passt
	mkdir -p "$D"
	SOCK=$D/passt.sock
	bg_start "$D/out" strace -f -qq -o "$D/strace" \
		-e trace=prctl,seccomp,bind,accept4 "$PASST" -f -s "$SOCK" \
		-P "$D/pid"
	S=$BG_PID
	if wait_for 10 test -S "$SOCK" &&
	   relay_start guest "$SOCK" tap3 -m 02:00:00:00:0c:04; then
		in_ns guest bash "$CLIENTS" udhcpc tap3 "$D/udhcpc" >/dev/null 2>&1
		relay_stop
	fi
	# End passt itself (strace, ended, would let it run on, detached),
	# then strace, which exits with it
	if track_pidfile "$D/pid"; then
		kill_pid "$BG_PID"
		untrack_pid "$BG_PID"
	fi
	wait_for 5 eval '! pid_alive '"$S"
	kill_pid "$S"
	untrack_pid "$S"
	filter_order sandboxing_passt_filter_first "$D/strace" \
		"bind[(][0-9]+, [{]sa_family=AF_UNIX, sun_path=\"$SOCK\"" accept4

	# pasta: the namespace's kernel sends frames (DAD, router
	# solicitations, a ping) from the moment the link is up; the first
	# read() of the tap device must follow the filter
	D=$TESTDIR/strace-pasta
	mkdir -p "$D"
	timeout 60 strace -f -qq -o "$D/strace" \
		-e trace=prctl,seccomp,openat,read "$PASTA" -f --config-net -- \
		sh -c "busybox ping -c 2 -W 2 $R4; sleep 1" >"$D/out" 2>&1
	filter_order sandboxing_pasta_filter_first "$D/strace" \
		'openat[(]AT_FDCWD, "/dev/net/tun"' read
fi

# --- passt daemonised: PID namespace, PID file, SIGTERM

D=$TESTDIR/daemon
mkdir -p "$D"
SOCK=$D/passt.sock
timeout "$T" "$PASST" -s "$SOCK" -P "$D/pid" >"$D/out" 2>&1
P=""
if track_pidfile "$D/pid" && pid_alive "$BG_PID"; then
	P=$BG_PID
	pass sandboxing_daemon_pidfile
else
	fail sandboxing_daemon_pidfile "no running passt in the PID file: $(
		log_tail "$D/out")"
fi
if [ -n "$P" ]; then
	check_eq sandboxing_daemon_pidns "$P 1" "$(status_field "$P" NSpid)"
	check_sandboxed sandboxing_daemon "$P" "$NO_CAPS"
	if relay_start guest "$SOCK" tap1 -m 02:00:00:00:0c:02; then
		in_ns guest bash "$CLIENTS" udhcpc tap1 "$D/udhcpc"
		check_lease sandboxing_daemon_dhcp "$D/udhcpc" ip=192.0.2.1
		relay_stop
	else
		fail sandboxing_daemon_dhcp "relay did not connect"
	fi
	kill -TERM "$P"
	if wait_for 2 eval '! pid_alive '"$P"; then
		pass sandboxing_daemon_sigterm
	else
		fail sandboxing_daemon_sigterm "still running 2 s after SIGTERM"
	fi
	untrack_pid "$P"
else
	skip_all "no daemon" sandboxing_daemon_pidns sandboxing_daemon_status \
		sandboxing_daemon_empty_root sandboxing_daemon_dhcp \
		sandboxing_daemon_sigterm
fi

# --- pasta daemonised on a namespace path, then on a PID: quits with it

ns_add quit
timeout "$T" "$PASTA" --netns-only --netns /run/netns/quit -P "$TESTDIR/q1.pid" \
	>"$TESTDIR/q1.out" 2>&1
if track_pidfile "$TESTDIR/q1.pid" && pid_alive "$BG_PID"; then
	P=$BG_PID
	ip netns del quit
	check sandboxing_pasta_quit_path \
		"pasta still running after its namespace was deleted" \
		wait_for 5 eval '! pid_alive '"$P"
	untrack_pid "$P"
else
	fail sandboxing_pasta_quit_path "pasta did not start: $(
		log_tail "$TESTDIR/q1.out")"
fi

bg_start "$TESTDIR/owner.log" unshare --net sleep 60
OWNER=$BG_PID
wait_for 5 eval '[ "$(readlink /proc/'"$OWNER"'/ns/net)" != "$(readlink /proc/self/ns/net)" ]'
timeout "$T" "$PASTA" --netns-only -P "$TESTDIR/q2.pid" "$OWNER" \
	>"$TESTDIR/q2.out" 2>&1
if track_pidfile "$TESTDIR/q2.pid" && pid_alive "$BG_PID"; then
	P=$BG_PID
	kill_pid "$OWNER"
	untrack_pid "$OWNER"
	check sandboxing_pasta_quit_pid \
		"pasta still running after the namespace owner exited" \
		wait_for 5 eval '! pid_alive '"$P"
	untrack_pid "$P"
else
	fail sandboxing_pasta_quit_pid "pasta did not start: $(
		log_tail "$TESTDIR/q2.out")"
fi

test_finish
