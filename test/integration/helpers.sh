#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/helpers.sh - Self-test of the test helpers, without the
# product: two relay helpers joined by socat make a virtual cable between tap
# devices in two namespaces; busybox udhcpd and the kernel on one end answer
# the probes of frames.py (sent with the inject helper) and the DHCP client
# wrappers of clients.sh on the other end.  When this passes, a failing
# passt/pasta test points at the product, not at the harness.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

CASES="helpers_build helpers_inject_probe_arp helpers_inject_probe_ns
helpers_inject_probe_dhcp helpers_frames_gen helpers_relay_udhcpc
helpers_relay_udhcpc_values helpers_relay_dhclient4
helpers_relay_dhclient4_values helpers_relay_ping helpers_relay_eof"

have_bb=1; have_socat=1; have_dhclient=1; have_py=1
need_pkg busybox busybox:udhcpc busybox:udhcpd busybox:ping || have_bb=0
need_pkg socat socat || have_socat=0
need_pkg isc-dhcp-client dhclient || have_dhclient=0
need_pkg python3 python3 || have_py=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && build_helpers

sandbox_enter "$@"

if [ -x "$RELAY" ] && [ -x "$INJECT" ]; then
	pass helpers_build
else
	fail helpers_build "test/helpers/relay or inject not built"
	exit 1
fi
if [ "$have_bb$have_socat$have_py" != 111 ]; then
	skip_all "busybox, socat or python3 missing" $CASES
	exit 0
fi

ns_add srv
ns_add cli

# srv_start() - socat joining two socket paths, relay + udhcpd on the srv
# side (tap0: 192.0.2.2/24, fe80::2)
# $1:	socket path the other end connects to
srv_start() {
	local front="$1" back="$TESTDIR/back.sock"
	rm -f "$front" "$back"
	bg_start "$TESTDIR/socat.log" socat -b 131072 \
		"UNIX-LISTEN:$front" "UNIX-LISTEN:$back"
	SOCAT_PID=$BG_PID
	wait_for 5 test -S "$front" || return 1
	rm -f "$TESTDIR/srv.ready"
	# Not relay_start: this one connects only once the front is taken
	bg_start "$TESTDIR/relay-srv.log" ip netns exec srv "$RELAY" \
		-r "$TESTDIR/srv.ready" -m 02:00:00:00:0b:02 -t 20 "$back" tap0
	SRV_RELAY_PID=$BG_PID
}

# srv_configure() - Addresses and DHCP server on the srv end, once it exists
srv_configure() {
	wait_for 20 test -e "$TESTDIR/srv.ready" || return 1
	in_ns srv ip addr add 192.0.2.2/24 dev tap0 || return 1
	in_ns srv ip -6 addr add fe80::2/64 dev tap0 nodad || return 1
	cat >"$TESTDIR/udhcpd.conf" <<EOF
start 192.0.2.1
end 192.0.2.1
interface tap0
lease_file $TESTDIR/udhcpd.leases
option subnet 255.255.255.0
option router 192.0.2.2
option dns 198.51.100.53
option domain example.org
option search example.org
option mtu 1400
option lease 3600
EOF
	: >"$TESTDIR/udhcpd.leases"
	bg_start "$TESTDIR/udhcpd.log" ip netns exec srv \
		busybox udhcpd -f -a 100 "$TESTDIR/udhcpd.conf"
	UDHCPD_PID=$BG_PID
	sleep 0.3
}

# --- Probes through inject

front="$TESTDIR/front.sock"
srv_start "$front"
# inject connects first: socat then accepts the relay on the other end
$PYTHON "$FRAMES" gen probe_arp probe_ns probe_dhcp >"$TESTDIR/probes.bin"
(sleep 1.5; cat "$TESTDIR/probes.bin") |
	"$INJECT" -w 4000 "$front" >"$TESTDIR/answers.bin" 2>"$TESTDIR/inject.log" &
inj=$!
srv_configure || fail helpers_srv "could not configure the server end"
wait "$inj"
for p in arp ns dhcp; do
	check "helpers_inject_probe_$p" "no reply to probe_$p: $(
		$PYTHON "$FRAMES" dump <"$TESTDIR/answers.bin" | tr '\n' ' ' |
		cut -c1-300)" \
		eval "$PYTHON '$FRAMES' expect probe_$p <'$TESTDIR/answers.bin'"
done

total=$($PYTHON "$FRAMES" gen $($PYTHON "$FRAMES" list | awk '{ print $1 }') |
	wc -c)
check helpers_frames_gen "frames.py gen produced $total bytes" \
	test "$total" -gt 100000

kill_pid "$UDHCPD_PID"
kill_pid "$SOCAT_PID"
wait_for 5 eval '! ip netns exec srv ip link show tap0 >/dev/null 2>&1'

# --- DHCP clients through two relays

srv_start "$front"
relay_start cli "$front" eth0 -m 02:00:00:00:0b:01 ||
	fail helpers_relay "client relay did not connect: $(log_tail "$TESTDIR/relay-cli-eth0.log")"
cli_relay=$RELAY_PID
srv_configure || fail helpers_srv "could not configure the server end"

out="$TESTDIR/udhcpc.out"
if in_ns cli bash "$CLIENTS" udhcpc eth0 "$out"; then
	pass helpers_relay_udhcpc
	v="$(lease_get "$out" ip) $(lease_get "$out" subnet) $(lease_get "$out" router)"
	v="$v $(lease_get "$out" dns) $(lease_get "$out" search) $(lease_get "$out" mtu)"
	check_eq helpers_relay_udhcpc_values \
		"192.0.2.1 255.255.255.0 192.0.2.2 198.51.100.53 example.org 1400" "$v"
else
	fail helpers_relay_udhcpc "no lease: $(log_tail "$out.log")"
	skip helpers_relay_udhcpc_values "no lease"
fi

if [ "$have_dhclient" = 1 ]; then
	out="$TESTDIR/dhclient4.out"
	if in_ns cli bash "$CLIENTS" dhclient4 eth0 "$out"; then
		pass helpers_relay_dhclient4
		v="$(lease_get "$out" new_ip_address) $(lease_get "$out" new_subnet_mask)"
		v="$v $(lease_get "$out" new_routers) $(lease_get "$out" new_domain_name_servers)"
		v="$v $(lease_get "$out" new_domain_search) $(lease_get "$out" new_interface_mtu)"
		check_eq helpers_relay_dhclient4_values \
			"192.0.2.1 255.255.255.0 192.0.2.2 198.51.100.53 example.org. 1400" "$v"
	else
		fail helpers_relay_dhclient4 "no lease: $(log_tail "$out.log")"
		skip helpers_relay_dhclient4_values "no lease"
	fi
else
	skip_all "dhclient not available" helpers_relay_dhclient4 \
		helpers_relay_dhclient4_values
fi

in_ns cli ip addr add 192.0.2.1/24 dev eth0
in_ns cli ip link set eth0 mtu 9000 2>/dev/null
in_ns srv ip link set tap0 mtu 9000 2>/dev/null
check helpers_relay_ping "no ping reply across the relays" \
	eval 'in_ns cli busybox ping -c 3 -s 8000 -W 2 192.0.2.2 >/dev/null 2>&1'

# Closing the far end must make the relay exit
kill_pid "$SOCAT_PID"
if wait_for 5 eval '! pid_alive '"$cli_relay"; then
	pass helpers_relay_eof
else
	fail helpers_relay_eof "relay still running after the socket closed"
fi

test_finish
