#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/passt_badinput.sh - Hostile input on passt's socket:
# random bytes, zero, short, huge and over-maximum length prefixes,
# truncated frames, frames with bad IPv4/IPv6 header lengths, option
# lengths and extension header chains, and hostile ARP, DHCP, NDP and
# DHCPv6 messages (test/lib/frames.py builds them).  After each one, passt
# must still be running and answer a probe (a DHCP DISCOVER, an NS, a
# DHCPv6 SOLICIT or an ARP request): on the same connection when the
# framing was valid, at least on a new connection otherwise.  At the end,
# a real DHCP client behind the relay still gets its lease.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

HAVE_BB=1; HAVE_PY=1
need_pkg busybox busybox:udhcpc || HAVE_BB=0
need_pkg python3 python3 || HAVE_PY=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && build_helpers

sandbox_enter "$@"

if [ "$HAVE_PY" != 1 ]; then
	skip badinput "python3 not available"
	exit 0
fi
CASES=$("$PYTHON" "$FRAMES" list | awk '{ print "badinput_" $1 }')
FINAL="badinput_probes_first badinput_real_client badinput_still_running"
require_binaries --helpers $FINAL $CASES

SOCK=$TESTDIR/passt.sock
PROBE_WAIT=${PROBE_WAIT:-3}

# start_passt() - (Re)start passt in the foreground, with a capture file
start_passt() {
	passt_start "$SOCK" ||
		die "passt does not start: $(log_tail "$SOCK.log")"
}

# probe_for() - Probe that shows the part a hostile case aimed at still works
# $1:	case name
probe_for() {
	case "$1" in
	arp_*) echo arp ;;
	dhcpv6_*) echo dhcpv6 ;;
	ipv6_*|icmp6_*|ns_*|rs_*|ndp_*) echo ns ;;
	*) echo dhcp ;;
	esac
}

# fresh_probe() - A probe on a new connection is answered (one retry: passt
# may still be closing the previous connection)
# $1:	probe name
fresh_probe() {
	"$PYTHON" "$FRAMES" session "$SOCK" none "$1" "$PROBE_WAIT" \
		2>>"$TESTDIR/session.log" && return 0
	sleep 0.5
	"$PYTHON" "$FRAMES" session "$SOCK" none "$1" "$PROBE_WAIT" \
		2>>"$TESTDIR/session.log"
}

start_passt

# Before any garbage, every probe must be answered, or the cases below
# would not mean anything
bad=""
for p in dhcp ns dhcpv6 arp; do
	fresh_probe "$p" || bad="$bad $p"
done
if [ -z "$bad" ]; then
	pass badinput_probes_first
else
	fail badinput_probes_first "no reply to probes:$bad"
fi

"$PYTHON" "$FRAMES" list >"$TESTDIR/cases"
while read -r name level; do
	probe=$(probe_for "$name")
	"$PYTHON" "$FRAMES" session "$SOCK" "$name" "$probe" "$PROBE_WAIT" \
		2>"$TESTDIR/session-$name.log"
	rc=$?
	if ! pid_alive "$PASST_PID"; then
		wait "$PASST_PID" 2>/dev/null
		st=$?
		untrack_pid "$PASST_PID"
		fail "badinput_$name" "passt died (status $st): $(log_tail "$SOCK.log")"
		start_passt
		continue
	fi
	if [ "$rc" -eq 0 ]; then
		pass "badinput_$name"
		continue
	fi
	if fresh_probe "$probe"; then
		if [ "$level" = frame ]; then
			note "badinput_$name: framing was valid, but the probe was answered only on a new connection ($(
				cat "$TESTDIR/session-$name.log"))"
		fi
		pass "badinput_$name"
	else
		fail "badinput_$name" "no reply to a $probe probe afterwards, passt hangs? ($(
			cat "$TESTDIR/session-$name.log"))"
		passt_stop
		start_passt
	fi
done <"$TESTDIR/cases"

# A real client, behind the relay
if [ "$HAVE_BB" = 1 ]; then
	ns_add guest
	if relay_start guest "$SOCK" eth0; then
		in_ns guest bash "$CLIENTS" udhcpc eth0 "$TESTDIR/udhcpc"
		check_lease badinput_real_client "$TESTDIR/udhcpc" \
			ip=192.0.2.1 router=192.0.2.2
	else
		fail badinput_real_client "relay does not connect: $(log_tail "$TESTDIR/relay-guest-eth0.log")"
	fi
	relay_stop
else
	skip badinput_real_client "busybox udhcpc not available"
fi

check badinput_still_running "passt is gone: $(log_tail "$SOCK.log")" \
	pid_alive "$PASST_PID"

test_finish
