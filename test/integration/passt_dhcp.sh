#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/passt_dhcp.sh - Address services in passt mode: the relay
# helper connects to passt's socket and moves frames to a tap device in a
# namespace, whose kernel and clients play the guest.  busybox udhcpc, ISC
# dhclient (-4 and -6) and the kernel's SLAAC get the host's configuration,
# with DNS and search list by default, also in the RA (--no-dhcp-dns and
# --no-dhcp-search turn them off); DHCP ACK/NAK for right and wrong
# addresses; a second guest is served after the first leaves, and refused
# while it's there; -1/--one-off exits; daemon mode is ready when the
# starting process exits, having printed how to start qemu and the start-up
# summary (nothing with -q); -d and --trace stay in the foreground and add
# timestamped messages; frames split across reads and several in one read;
# the default socket path is the first free /tmp/passt_N.socket (a stale
# socket is reused, a served one or another file skipped and left alone);
# start-up failures (-s, -p, -P) exit 1 with one line naming the option.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

CASES="passt_daemon_ready passt_daemon_pidfile passt_qemu_hint
passt_udhcpc passt_dhclient4 passt_slaac passt_dhclient6 passt_dhcp_ack
passt_dhcp_nak passt_one_guest_at_a_time passt_ra_dns passt_split_frames
passt_second_client passt_no_dhcp_dns passt_no_dhcp_dns_ra
passt_one_off passt_summary passt_quiet passt_debug passt_trace
passt_default_socket
passt_default_socket_next passt_default_socket_file_kept
passt_socket_not_a_socket passt_socket_file_kept passt_pcap_unwritable
passt_pid_unwritable"

HAVE_BB=1; HAVE_DHCLIENT=1; HAVE_PY=1
need_pkg busybox busybox:udhcpc || HAVE_BB=0
need_pkg isc-dhcp-client dhclient || HAVE_DHCLIENT=0
need_pkg python3 python3 || HAVE_PY=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && build_helpers

sandbox_enter "$@"
require_binaries --helpers $CASES
if [ "$HAVE_BB$HAVE_DHCLIENT$HAVE_PY" != 111 ]; then
	skip_all "busybox, ISC dhclient or python3 missing" $CASES
	exit 0
fi

T=${PASST_TIMEOUT:-30}
SOCK=$TESTDIR/passt.sock
ns_add guest

# --- Daemon mode: ready when the starting process returns

timeout "$T" "$PASST" -s "$SOCK" -P "$TESTDIR/passt.pid" \
	>"$TESTDIR/passt.out" 2>&1
rc=$?
sock_now=0; [ -S "$SOCK" ] && sock_now=1
track_pidfile "$TESTDIR/passt.pid"
PASST_PID=${BG_PID:-}
if [ "$rc" -eq 0 ] && [ "$sock_now" = 1 ]; then
	pass passt_daemon_ready
else
	fail passt_daemon_ready "exit status $rc, socket present: $sock_now: $(log_tail "$TESTDIR/passt.out")"
fi
if [ -n "$PASST_PID" ] && pid_alive "$PASST_PID"; then
	pass passt_daemon_pidfile
else
	fail passt_daemon_pidfile "pid file does not name a running passt"
	PASST_PID=
fi
check passt_qemu_hint "no qemu command line for $SOCK: $(log_tail "$TESTDIR/passt.out")" \
	grep -q -- "^    qemu-system-[a-z0-9_]* .*-netdev stream,.*addr.type=unix,addr.path=$SOCK\$" \
	"$TESTDIR/passt.out"
why=$(lines_in_order "$TESTDIR/passt.out" <<EOF
UNIX domain socket bound at $SOCK
Outbound interface: veth0
MAC:
    host: $SANDBOX_MAC
ARP/DHCP:
    address: 192.0.2.1
    mask: 255.255.255.0
    router: 192.0.2.2
    DNS:
        $SANDBOX_DNS4
    search:
        $SANDBOX_SEARCH
NDP/RA/DHCPv6:
    address: 2001:db8::1/64
    router: fe80::2
    our link-local: fe80::2
    DNS:
        $SANDBOX_DNS6
    search:
        $SANDBOX_SEARCH
EOF
) && pass passt_summary || fail passt_summary "$why"

# -q: ready all the same, nothing printed
timeout "$T" "$PASST" -q -s "$TESTDIR/quiet.sock" -P "$TESTDIR/quiet.pid" \
	>"$TESTDIR/quiet.out" 2>&1
rc=$?
track_pidfile "$TESTDIR/quiet.pid" && kill_pid "$BG_PID"
check passt_quiet "status $rc, output: $(log_tail "$TESTDIR/quiet.out")" \
	test "$rc" = 0 -a -S "$TESTDIR/quiet.sock" -a ! -s "$TESTDIR/quiet.out"

if [ -z "$PASST_PID" ]; then
	# Fall back to the foreground to test the rest
	passt_start "$SOCK" || die "passt does not start: $(log_tail "$SOCK.log")"
fi

# --- First guest: udhcpc, dhclient -4, SLAAC, dhclient -6

relay_start guest "$SOCK" eth0 ||
	die "relay does not connect: $(log_tail "$TESTDIR/relay-guest-eth0.log")"

# One guest at a time: another connection is closed at once, unanswered
"$PYTHON" "$FRAMES" session "$SOCK" none dhcp 3 2>"$TESTDIR/second.err"
rc=$?
check passt_one_guest_at_a_time "status $rc: $(cat "$TESTDIR/second.err")" \
	test "$rc" = 2

in_ns guest bash "$CLIENTS" udhcpc eth0 "$TESTDIR/udhcpc"
check_lease passt_udhcpc "$TESTDIR/udhcpc" ip=192.0.2.1 \
	subnet=255.255.255.0 router=192.0.2.2 dns=$SANDBOX_DNS4 \
	search=$SANDBOX_SEARCH ||
	note "udhcpc: $(log_tail "$TESTDIR/udhcpc.log")"

in_ns guest bash "$CLIENTS" dhclient4 eth0 "$TESTDIR/dhclient4"
check_lease passt_dhclient4 "$TESTDIR/dhclient4" \
	new_ip_address=192.0.2.1 new_subnet_mask=255.255.255.0 \
	new_routers=192.0.2.2 new_domain_name_servers=$SANDBOX_DNS4 \
	new_domain_search=$SANDBOX_SEARCH. ||
	note "dhclient: $(log_tail "$TESTDIR/dhclient4.log")"

in_ns guest bash "$CLIENTS" slaac eth0 "$TESTDIR/slaac"
addr=$(lease_get "$TESTDIR/slaac" addr)
case "$addr" in
2001:db8::*/64) pass passt_slaac ;;
*) fail passt_slaac "SLAAC address '$addr' not in 2001:db8::/64" ;;
esac

in_ns guest bash "$CLIENTS" dhclient6 eth0 "$TESTDIR/dhclient6"
check_lease passt_dhclient6 "$TESTDIR/dhclient6" \
	new_ip6_address=2001:db8::1 new_dhcp6_name_servers=$SANDBOX_DNS6 \
	new_dhcp6_domain_search=$SANDBOX_SEARCH. ||
	note "dhclient -6: $(log_tail "$TESTDIR/dhclient6.log")"

relay_stop

# --- Crafted REQUESTs: ACK for our address, NAK for another one

ack=$("$PYTHON" "$FRAMES" gen dhcp_request | "$INJECT" -w 1500 "$SOCK" \
	2>/dev/null | "$PYTHON" "$FRAMES" dump)
case "$ack" in
*"'kind': 'dhcp_ack'"*"'yiaddr': '192.0.2.1'"*) pass passt_dhcp_ack ;;
*) fail passt_dhcp_ack "no ACK for 192.0.2.1: $(echo "$ack" | head -c 300)" ;;
esac
nak=$("$PYTHON" "$FRAMES" gen dhcp_request_wrong | "$INJECT" -w 1500 "$SOCK" \
	2>/dev/null | "$PYTHON" "$FRAMES" dump)
case "$nak" in
*"'kind': 'dhcp_nak'"*) pass passt_dhcp_nak ;;
*) fail passt_dhcp_nak "no NAK for 192.0.2.99: $(echo "$nak" | head -c 300)" ;;
esac

# --- The RA carries RDNSS and DNSSL by default in passt mode

# ra_dns() - RDNSS and DNSSL of the RA answering an RS on a socket
# $1:	socket
ra_dns() {
	"$PYTHON" "$FRAMES" gen probe_rs | "$INJECT" -w 1500 "$1" 2>/dev/null |
		"$PYTHON" "$FRAMES" ra | grep -E '^(src|rdnss|dnssl)=' |
		sort | tr '\n' ' '
}
check_eq passt_ra_dns "dnssl=$SANDBOX_SEARCH rdnss=$SANDBOX_DNS6 src=fe80::2 " \
	"$(ra_dns "$SOCK")"

# --- Frames split across reads, and several frames in one read

"$PYTHON" "$FRAMES" pieces "$SOCK" 5 2>"$TESTDIR/pieces.err"
rc=$?
check passt_split_frames "status $rc: $(cat "$TESTDIR/pieces.err")" \
	test "$rc" = 0

# --- A second guest, after the first left

relay_start guest "$SOCK" eth1 ||
	fail passt_second_client "relay does not connect: $(log_tail "$TESTDIR/relay-guest-eth1.log")"
in_ns guest bash "$CLIENTS" udhcpc eth1 "$TESTDIR/udhcpc2"
check_lease passt_second_client "$TESTDIR/udhcpc2" ip=192.0.2.1 \
	router=192.0.2.2
relay_stop
passt_stop
[ -n "$PASST_PID" ] && kill_pid "$PASST_PID"

# --- --no-dhcp-dns --no-dhcp-search

passt_start "$TESTDIR/nodns.sock" --no-dhcp-dns --no-dhcp-search ||
	fail passt_no_dhcp_dns "passt does not start: $(log_tail "$TESTDIR/nodns.sock.log")"
relay_start guest "$TESTDIR/nodns.sock" eth2
in_ns guest bash "$CLIENTS" udhcpc eth2 "$TESTDIR/udhcpc3"
check_lease passt_no_dhcp_dns "$TESTDIR/udhcpc3" ip=192.0.2.1 dns= search=
relay_stop
check_eq passt_no_dhcp_dns_ra "src=fe80::2 " "$(ra_dns "$TESTDIR/nodns.sock")"
passt_stop

# --- -1: exit when the guest leaves

passt_start "$TESTDIR/oneoff.sock" -1 ||
	fail passt_one_off "passt does not start: $(log_tail "$TESTDIR/oneoff.sock.log")"
oneoff=$PASST_PID
relay_start guest "$TESTDIR/oneoff.sock" eth3
in_ns guest bash "$CLIENTS" udhcpc eth3 "$TESTDIR/udhcpc4"
relay_stop
if wait_for 5 eval '! pid_alive '"$oneoff"; then
	wait "$oneoff" 2>/dev/null
	rc=$?
	untrack_pid "$oneoff"
	PASST_PID=
	if [ -s "$TESTDIR/udhcpc4" ] && [ "$rc" -eq 0 ]; then
		pass passt_one_off
	else
		fail passt_one_off "exit status $rc, lease: $(lease_get "$TESTDIR/udhcpc4" ip)"
	fi
else
	fail passt_one_off "still running 5 s after the guest left"
	passt_stop
fi

# --- -d and --trace: in the foreground, messages with a timestamp; debug
# messages with -d, packet-level ones only with --trace

# log_levels() - Run passt with options, send a DISCOVER and a wrong
# REQUEST; check foreground, the NAK's debug line and the DISCOVER's trace
# line
# $1:	case name
# $2:	1 if the trace line is expected, 0 if not
# $@:	passt options
log_levels() {
	local name="$1" want_trace="$2" sock="$TESTDIR/$1.sock" log pid got
	shift 2
	log="$TESTDIR/$name.log"
	rm -f "$sock"
	bg_start "$log" "$PASST" "$@" -s "$sock"
	pid=$BG_PID
	if ! wait_for 5 test -S "$sock"; then
		fail "$name" "no socket: $(log_tail "$log")"
		return
	fi
	"$PYTHON" "$FRAMES" gen probe_dhcp dhcp_request_wrong |
		"$INJECT" -w 1000 "$sock" >/dev/null 2>&1
	got="debug:$(grep -Ec '^[0-9]+\.[0-9]{4}: DHCP: REQUEST for wrong address, sending NAK$' "$log")"
	got="$got trace:$(grep -Ec '^[0-9]+\.[0-9]{4}: DHCP: DISCOVER, sending OFFER$' "$log")"
	pid_alive "$pid" && got="$got foreground:1" || got="$got foreground:0"
	check_eq "$name" "debug:1 trace:$want_trace foreground:1" "$got"
	kill_pid "$pid"
}
log_levels passt_debug 0 -d
log_levels passt_trace 1 --trace

# --- Default socket path: the first free /tmp/passt_N.socket (/tmp is
# the sandbox's own): passt_1 is a file that isn't a socket, passt_2 a
# socket nobody serves any longer

echo "not a socket" >/tmp/passt_1.socket
"$PYTHON" -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind(sys.argv[1])' \
	/tmp/passt_2.socket
bg_start "$TESTDIR/default.log" "$PASST" -f
dflt=$BG_PID
wait_for 5 grep -q "socket bound at" "$TESTDIR/default.log"
check passt_default_socket "$(log_tail "$TESTDIR/default.log")" \
	grep -qx "UNIX domain socket bound at /tmp/passt_2.socket" \
	"$TESTDIR/default.log"
bg_start "$TESTDIR/default2.log" "$PASST" -f
dflt2=$BG_PID
wait_for 5 grep -q "socket bound at" "$TESTDIR/default2.log"
check passt_default_socket_next "$(log_tail "$TESTDIR/default2.log")" \
	grep -qx "UNIX domain socket bound at /tmp/passt_3.socket" \
	"$TESTDIR/default2.log"
check_eq passt_default_socket_file_kept "not a socket" \
	"$(cat /tmp/passt_1.socket 2>&1)"
kill_pid "$dflt2"
kill_pid "$dflt"

# --- Start-up failures: status 1, one line naming the option

# start_fails() - passt exits 1 with one line starting with a given text
# $1:	case name
# $2:	expected start of the line
# $@:	passt options
start_fails() {
	local name="$1" start="$2" rc
	shift 2
	timeout "$T" "$PASST" "$@" >"$TESTDIR/$name.out" 2>&1
	rc=$?
	check "$name" "status $rc, output: $(log_tail "$TESTDIR/$name.out")" \
		eval 'test "$rc" = 1 -a "$(wc -l <"$TESTDIR/$name.out")" = 1 &&
		      grep -q -- "^$start" "$TESTDIR/$name.out"'
}

start_fails passt_socket_not_a_socket "--socket: " -s /tmp/passt_1.socket
check_eq passt_socket_file_kept "not a socket" \
	"$(cat /tmp/passt_1.socket 2>&1)"
start_fails passt_pcap_unwritable "--pcap: " -q -s "$TESTDIR/f1.sock" \
	-p /nonexistent/dir/f.pcap
start_fails passt_pid_unwritable "--pid: " -q -s "$TESTDIR/f2.sock" \
	-P /nonexistent/dir/f.pid

test_finish
