#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/guest_addr.sh - The guest's observed addresses: a guest
# that configured other addresses than the ones we assign (192.0.2.50 and
# 2001:db8::50 instead of 192.0.2.1 and 2001:db8::1, nothing else) sends
# one frame from each; then datagrams to a -u forwarded port of the host
# reach it at those addresses, which only works if the source addresses
# seen in its frames were recorded.  When the guest moves to yet another
# address, the latest one seen counts.  Both modes: pasta joining a
# namespace (without --config-net), passt through the relay helper.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"

CASES="guest_addr_pasta_4 guest_addr_pasta_6 guest_addr_pasta_4_latest
guest_addr_passt_4 guest_addr_passt_6"

HAVE_BB=1
need_pkg busybox busybox:ping || HAVE_BB=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
l4_build || { skip_all "test/helpers/udptool not built" $CASES; exit 0; }
[ "$HAVE_BB" = 1 ] || { skip_all "busybox ping not available" $CASES; exit 0; }

PORT=5000
A4=192.0.2.50
A6=2001:db8::50
A4_NEXT=192.0.2.60

# guest_setup() - Our addresses only, echo servers on them, one frame from
# each address to the gateway
# $1:	namespace
# $2:	interface
# Return: 0 if the echo servers run
guest_setup() {
	local ns="$1" ifn="$2" a
	in_ns "$ns" ip link set "$ifn" up || return 1
	in_ns "$ns" ip addr add "$A4/24" dev "$ifn" || return 1
	in_ns "$ns" ip -6 addr add "$A6/64" dev "$ifn" nodad || return 1
	in_ns "$ns" ip route add default via "$SANDBOX_GW4" dev "$ifn" ||
		return 1
	in_ns "$ns" ip -6 route add default via "$SANDBOX_GW6" dev "$ifn" ||
		return 1
	for a in "$A4" "$A6"; do
		bg_start "$TESTDIR/echo-$ns-$a.log" \
			ip netns exec "$ns" "$UDPTOOL" echo "$a" "$PORT"
	done
	sleep 0.3
	in_ns "$ns" busybox ping -c 1 -W 1 "$SANDBOX_GW4" >/dev/null 2>&1
	in_ns "$ns" busybox ping -6 -c 1 -W 1 -I "$A6" 2001:db8::2 \
		>/dev/null 2>&1
	return 0
}

# inbound() - Datagrams from the remote namespace (from beyond the gateway:
# the gateway's own address would mean the host's loopback to the guest) to
# the host's address and the forwarded port, echoed by the guest
# $1:	case name
# $2:	remote source address
# $3:	host address
inbound() {
	local out
	out=$(timeout 30 ip netns exec remote "$UDPTOOL" send -s "$2" -c 20 \
		-W 500 -L 0 "$3" "$PORT" 2>&1)
	# What this checks is where the datagrams go: all 20 must come back
	# intact.  Their order isn't asserted here (udp.sh reports it)
	check "$1" "from $2 to $3 port $PORT: $out" \
		eval 'echo "$out" | grep -q "received=20 lost=0 corrupt=0 "'
}

# --- pasta

ns_add gp
bg_start "$TESTDIR/pasta.log" "$PASTA" -f -q --netns-only --netns /run/netns/gp \
	-u "$PORT" -t none -T none -U none
P=$BG_PID
# tap_there() - pasta created its interface in the namespace
tap_there() {
	in_ns gp ip link show "$SANDBOX_IF" >/dev/null 2>&1
}
if wait_for 10 tap_there && guest_setup gp "$SANDBOX_IF"; then
	inbound guest_addr_pasta_4 "$SANDBOX_OUTSIDE4" "$SANDBOX_ADDR4"
	inbound guest_addr_pasta_6 "$SANDBOX_OUTSIDE6" "$SANDBOX_ADDR6"

	# The guest moves to another address: the latest one seen counts
	in_ns gp ip addr flush dev "$SANDBOX_IF" scope global
	in_ns gp ip addr add "$A4_NEXT/24" dev "$SANDBOX_IF"
	in_ns gp ip route add default via "$SANDBOX_GW4" dev "$SANDBOX_IF"
	bg_start "$TESTDIR/echo-gp-$A4_NEXT.log" \
		ip netns exec gp "$UDPTOOL" echo "$A4_NEXT" "$PORT"
	sleep 0.3
	in_ns gp busybox ping -c 1 -W 1 "$SANDBOX_GW4" >/dev/null 2>&1
	inbound guest_addr_pasta_4_latest "$SANDBOX_OUTSIDE4" "$SANDBOX_ADDR4"
else
	skip_all "pasta did not set the namespace up: $(log_tail "$TESTDIR/pasta.log")" \
		guest_addr_pasta_4 guest_addr_pasta_6 guest_addr_pasta_4_latest
	fail guest_addr_pasta_setup "no guest"
fi
kill_pid "$P"

# --- passt

ns_add gs
if passt_start "$TESTDIR/passt.sock" -q -u "$PORT" &&
   relay_start gs "$TESTDIR/passt.sock" tap0 && guest_setup gs tap0; then
	inbound guest_addr_passt_4 "$SANDBOX_OUTSIDE4" "$SANDBOX_ADDR4"
	inbound guest_addr_passt_6 "$SANDBOX_OUTSIDE6" "$SANDBOX_ADDR6"
else
	skip_all "passt or the relay did not start: $(log_tail "$TESTDIR/passt.sock.log")" \
		guest_addr_passt_4 guest_addr_passt_6
	fail guest_addr_passt_setup "no guest"
fi
relay_stop
passt_stop

test_finish
