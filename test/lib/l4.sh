# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/lib/l4.sh - Shared set-up of the UDP and ICMP tests: a guest
# namespace connected either by pasta (joining it with --config-net) or by
# passt through the relay helper (addresses set by hand), and peers in the
# remote namespace.  Source after common.sh, sandbox.sh and passt.sh.
#
#   l4_guest_up MODE [OPTIONS]	start pasta or passt (L4_PASTA: another
#				pasta binary; L4_DEBUG: "-f" instead of
#				"-d" for no debug log) for the namespace
#				"guest" with OPTIONS, wait until it's usable;
#				sets L4_PID, L4_LOG, GUEST_IF
#   l4_guest_down		stop what l4_guest_up started
#   l4_ping_allow		allow ping sockets in the sandbox (per netns)
#   in_guest CMD...		run a command in the guest namespace
#
# Guest side, both modes: 192.0.2.1/24 and 2001:db8::1/64, gateways
# 192.0.2.2 and fe80::2 (the host's, as in the sandbox), MTU 65520.

UDPTOOL="$REPO/test/helpers/udptool"
L4_GUEST=guest
L4_GUEST_MAC=02:00:00:00:0c:01
L4_MTU=65520

# l4_build() - Build the udptool helper if missing
l4_build() {
	[ -x "$UDPTOOL" ] ||
		make -s -C "$REPO" test/helpers/udptool >/dev/null 2>&1
	[ -x "$UDPTOOL" ]
}

# in_guest() - Run a command in the guest namespace
in_guest() {
	ip netns exec "$L4_GUEST" "$@"
}

# l4_ping_allow() - Let every group of the sandbox open ping sockets
# Return: 0 on success
l4_ping_allow() {
	local r
	for r in "0 2147483647" "0 65535" "0 0"; do
		sysctl -qw net.ipv4.ping_group_range="$r" 2>/dev/null &&
			return 0
	done
	return 1
}

# l4_guest_ready() - Guest interface up, addresses usable
l4_guest_ready() {
	in_guest ip -o -4 addr show dev "$GUEST_IF" 2>/dev/null |
		grep -q 192.0.2.1/ || return 1
	in_guest ip -o -6 addr show dev "$GUEST_IF" 2>/dev/null |
		grep -q 'fe80' || return 1
	in_guest ip -o -6 addr show dev "$GUEST_IF" 2>/dev/null |
		grep -q tentative && return 1
	return 0
}

# l4_guest_up() - Connect the guest namespace with pasta or passt
# $1:	pasta or passt
# $@:	further options of the program
# Return: 0 once the guest is usable
l4_guest_up() {
	local mode="$1" sock="$TESTDIR/l4.sock"
	shift
	[ -e "/run/netns/$L4_GUEST" ] || ns_add "$L4_GUEST" || return 1
	L4_LOG="$TESTDIR/l4-$mode.log"

	if [ "$mode" = pasta ]; then
		GUEST_IF=$SANDBOX_IF
		bg_start "$L4_LOG" "${L4_PASTA:-$PASTA}" "${L4_DEBUG:--d}" \
			--config-net --netns-only \
			--netns "/run/netns/$L4_GUEST" "$@"
		L4_PID=$BG_PID
		wait_for 10 l4_guest_ready
		return
	fi

	GUEST_IF=tap0
	passt_start "$sock" "${L4_DEBUG:--d}" "$@" || return 1
	L4_PID=$PASST_PID
	L4_LOG="$sock.log"
	relay_start "$L4_GUEST" "$sock" tap0 -m "$L4_GUEST_MAC" || return 1
	L4_RELAY_PID=$RELAY_PID
	in_guest ip link set tap0 mtu "$L4_MTU" || return 1
	in_guest ip addr add 192.0.2.1/24 dev tap0 || return 1
	in_guest ip -6 addr add 2001:db8::1/64 dev tap0 nodad || return 1
	in_guest ip route add default via 192.0.2.2 dev tap0 || return 1
	in_guest ip -6 route add default via fe80::2 dev tap0 || return 1
	wait_for 10 l4_guest_ready
}

# l4_guest_down() - Stop pasta, or passt and its relay
l4_guest_down() {
	if [ -n "${L4_RELAY_PID:-}" ]; then
		kill_pid "$L4_RELAY_PID"
		untrack_pid "$L4_RELAY_PID"
		L4_RELAY_PID=
	fi
	if [ -n "${L4_PID:-}" ]; then
		kill_pid "$L4_PID"
		untrack_pid "$L4_PID"
		L4_PID=
	fi
	PASST_PID=
	RELAY_PID=
	wait_for 5 eval '! in_guest ip link show "$GUEST_IF" >/dev/null 2>&1'
}

# l4_alive() - The program under test still runs
l4_alive() {
	pid_alive "$L4_PID"
}
