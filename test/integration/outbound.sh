#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/outbound.sh - -o/--outbound and --outbound-if4/6: the
# sockets that connect or send to the outside for the guest take the given
# source address and interface, for TCP, UDP and ICMP echo (pasta joining a
# namespace; the options are the same code in passt).
#
#   - veth0 of the sandbox gets second addresses (192.0.2.3, 2001:db8::3);
#     with -o giving, for each IP version, the one the host's routing
#     doesn't pick, the remote namespace sees that source: TCP (the
#     server's peer address), UDP (a receiver printing the sender) and ICMP
#     echo (a raw socket printing the source of the echo request);
#   - without -o, the source is the one routing picks (so the cases above
#     can fail);
#   - --outbound-if4 and --outbound-if6 naming an interface with no route
#     to the outside: the guest's TCP connections and UDP datagrams
#     don't get out; naming veth0, they do.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/tcp.sh"

export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-240}

CASES=""
for v in 4 6; do
	for c in tcp udp icmp; do
		CASES="$CASES outbound_addr_${c}$v"
	done
	CASES="$CASES outbound_default_tcp$v outbound_if_bad_tcp$v
	       outbound_if_bad_udp$v outbound_if_ok_tcp$v"
done

need_pkg python3 python3 && need_pkg busybox busybox:ping ||
	{ skip_all "python3 or busybox missing" $CASES; exit 0; }
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; tcp_build; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
tcp_build && l4_build || { skip_all "helpers not built" $CASES; exit 0; }
l4_ping_allow

PORT=9300
OUT4=192.0.2.3
OUT6=2001:db8::3
ip addr add 192.0.2.3/24 dev veth0 || die "second IPv4 address"
ip -6 addr add 2001:db8::3/64 dev veth0 nodad || die "second IPv6 address"
# A dead end: a veth pair going nowhere (no dummy driver needed)
ip link add dead0 type veth peer name dead1 && ip link set dead1 up &&
	ip link set dead0 up && ip addr add 203.0.113.1/24 dev dead0 &&
	ip -6 addr add 2001:db8:9::1/64 dev dead0 nodad ||
	die "dead-end interface"

# The source the host's routing picks, and the other address for -o
route_src() {
	ip route get "$1" | sed -n 's/.* src \([^ ]*\).*/\1/p'
}
DEF4=$(route_src "$SANDBOX_OUTSIDE4")
DEF6=$(route_src "$SANDBOX_OUTSIDE6")
[ "$DEF4" = "$OUT4" ] && OUT4=$SANDBOX_ADDR4
[ "$DEF6" = "$OUT6" ] && OUT6=$SANDBOX_ADDR6
note "outbound: routing picks $DEF4 and $DEF6, -o gives $OUT4 and $OUT6"

for a in "$SANDBOX_OUTSIDE4" "$SANDBOX_OUTSIDE6"; do
	tcp_server remote "$a" "$PORT" || die "TCP server on $a"
done
RLOG4="$TESTDIR/srv-remote-${SANDBOX_OUTSIDE4//[:%]/_}-$PORT.log"
RLOG6="$TESTDIR/srv-remote-${SANDBOX_OUTSIDE6//[:%]/_}-$PORT.log"

# The remote's view of UDP and ICMP sources: one line per datagram or echo
# request, "udp ADDR" or "icmp ADDR"
cat >"$TESTDIR/peers.py" <<'EOF'
import select, socket, sys
a4, a6, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
socks = []
for fam, addr in ((socket.AF_INET, a4), (socket.AF_INET6, a6)):
    u = socket.socket(fam, socket.SOCK_DGRAM)
    u.bind((addr, port))
    socks.append(("udp", u))
socks.append(("icmp", socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                    socket.IPPROTO_ICMP)))
socks.append(("icmp", socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                                    socket.IPPROTO_ICMPV6)))
open(sys.argv[4], "w").close()
while True:
    r, _, _ = select.select([s for _, s in socks], [], [])
    for kind, s in socks:
        if s not in r:
            continue
        data, src = s.recvfrom(65535)
        if kind == "icmp":
            # IPv4 raw sockets return the IP header, IPv6 ones don't
            t = data[20] if s.family == socket.AF_INET else data[0]
            if t not in (8, 128):
                continue
        else:
            s.sendto(data, src)
        print(kind, src[0].split("%")[0], flush=True)
EOF
bg_start "$TESTDIR/peers.log" ip netns exec remote "$PYTHON" -u \
	"$TESTDIR/peers.py" "$SANDBOX_OUTSIDE4" "$SANDBOX_OUTSIDE6" "$PORT" \
	"$TESTDIR/peers.ready"
wait_for 5 test -e "$TESTDIR/peers.ready" || die "UDP/ICMP peer"

# peer_seen() - Whether the remote saw a source for a kind of traffic
# $1:	udp or icmp
# $2:	address
peer_seen() {
	grep -qx "$1 $2" "$TESTDIR/peers.log"
}

# tcp_peer_is() - The remote's TCP server saw the last transfer from ADDR
# $1:	case name
# $2:	address
tcp_peer_is() {
	local peer
	peer=$(echo "$XFER_LINE" | sed -n 's/.* peer=\([^ ]*\) .*/\1/p')
	check_eq "$1" "$2" "$peer"
}

# --- -o: source addresses

l4_guest_up pasta -o "$OUT4" -o "$OUT6" -t none -u none -T none -U none ||
	die "pasta with -o: $(log_tail "$L4_LOG")"
for v in 4 6; do
	r=$SANDBOX_OUTSIDE4; rlog=$RLOG4; out=$OUT4
	[ "$v" = 6 ] && { r=$SANDBOX_OUTSIDE6; rlog=$RLOG6; out=$OUT6; }
	tcp_xfer "outbound_tcp_xfer$v" "$L4_GUEST" "$rlog" 30 -t 10 \
		-u 64k -d 64k "$r" "$PORT" >/dev/null
	tcp_peer_is "outbound_addr_tcp$v" "$out"
	in_guest timeout 10 "$UDPTOOL" send -c 3 -W 2000 "$r" "$PORT" \
		>/dev/null 2>&1
	check "outbound_addr_udp$v" "remote saw: $(tr '\n' ' ' <"$TESTDIR/peers.log")" \
		wait_for 3 peer_seen udp "$out"
	in_guest timeout 10 busybox ping -c 1 -W 2 "$r" >/dev/null 2>&1
	check "outbound_addr_icmp$v" "remote saw: $(tr '\n' ' ' <"$TESTDIR/peers.log")" \
		wait_for 3 peer_seen icmp "$out"
done
l4_guest_down

# --- without -o: the host's own address (what the checks above rule out)

l4_guest_up pasta -t none -u none -T none -U none ||
	die "pasta: $(log_tail "$L4_LOG")"
tcp_xfer outbound_default_xfer4 "$L4_GUEST" "$RLOG4" 30 -t 10 -u 1k -d 1k \
	"$SANDBOX_OUTSIDE4" "$PORT" >/dev/null
tcp_peer_is outbound_default_tcp4 "$DEF4"
tcp_xfer outbound_default_xfer6 "$L4_GUEST" "$RLOG6" 30 -t 10 -u 1k -d 1k \
	"$SANDBOX_OUTSIDE6" "$PORT" >/dev/null
tcp_peer_is outbound_default_tcp6 "$DEF6"
l4_guest_down

# --- --outbound-if4/6: an interface with no way out, then the right one

for ifn in dead0 veth0; do
	l4_guest_up pasta --outbound-if4 "$ifn" --outbound-if6 "$ifn" \
		-t none -u none -T none -U none ||
		die "pasta --outbound-if4/6 $ifn: $(log_tail "$L4_LOG")"
	for v in 4 6; do
		r=$SANDBOX_OUTSIDE4
		[ "$v" = 6 ] && r=$SANDBOX_OUTSIDE6
		in_guest timeout 15 "$TCPTOOL" client -t 10 -u 1k -d 1k \
			"$r" "$PORT" >"$TESTDIR/if-$ifn-$v.out" 2>&1
		rc=$?
		if [ "$ifn" = dead0 ]; then
			check "outbound_if_bad_tcp$v" "connected through dead0: $(cat "$TESTDIR/if-$ifn-$v.out")" \
				test "$rc" -ne 0
			in_guest timeout 10 "$UDPTOOL" send -c 2 -W 1000 \
				"$r" "$PORT" >/dev/null 2>&1
			check "outbound_if_bad_udp$v" "a datagram got out through dead0" \
				test $? -ne 0
		else
			check "outbound_if_ok_tcp$v" "$(cat "$TESTDIR/if-$ifn-$v.out")" \
				test "$rc" -eq 0
		fi
	done
	l4_guest_down
done

test_finish
