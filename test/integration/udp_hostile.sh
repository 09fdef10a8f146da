#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/udp_hostile.sh - Hostile UDP and ICMP frames from the
# guest, both modes: frames written with a packet socket on the guest's
# interface (so they reach pasta or passt exactly as built), with UDP and
# IP lengths that disagree, truncated headers, ports 0, broadcast,
# multicast and loopback destinations, ICMP types other than echo request,
# and a few thousand randomised frames.  None of the crafted UDP datagrams
# (all to port 9 of the remote namespace) may come out there, the program
# must survive and keep working: UDP round trips and ping still succeed
# afterwards.  Also: an echo identifier already taken by a ping socket of
# the host is translated back for the guest (IPv4 and IPv6).

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"

MODES="pasta passt"
CASES=""
for m in $MODES; do
	for c in inject none_out alive udp_after ping_after icmp_id_taken \
		 icmp_id_taken6; do
		CASES="$CASES udp_hostile_${m}_$c"
	done
done

HAVE_BB=1; HAVE_PY=1
need_pkg busybox busybox:ping || HAVE_BB=0
need_pkg python3 python3 || HAVE_PY=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
if [ "$HAVE_PY$HAVE_BB" != 11 ] || ! l4_build; then
	skip_all "python3, busybox or udptool missing" $CASES
	exit 0
fi
l4_ping_allow || { skip_all "can't allow ping sockets" $CASES; exit 0; }

R4=$SANDBOX_OUTSIDE4
R6=$SANDBOX_OUTSIDE6
PY=$TESTDIR/hostile.py

bg_start "$TESTDIR/echo.log" ip netns exec remote "$UDPTOOL" echo "$R4" 7777

cat >"$PY" <<'EOF'
# Hostile UDP/ICMP frames on a packet socket: hostile.py IFACE SRCMAC DSTMAC
# or, to check echo identifiers: hostile.py --echo-id ID DST
# or, to count datagrams to port 9: hostile.py --sink OUT ADDR...
import random, socket, struct, sys

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ip4(src, dst, proto, l4, tot=None, ihl=5):
    tot = 20 + len(l4) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot & 0xffff, 0, 0x4000,
                    64, proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + l4

def ip6(src, dst, nh, l4, plen=None):
    plen = len(l4) if plen is None else plen
    return struct.pack("!IHBB16s16s", 6 << 28, plen & 0xffff, nh, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + l4

def udp(sport, dport, data, ulen=None):
    ulen = 8 + len(data) if ulen is None else ulen
    return struct.pack("!HHHH", sport, dport, ulen & 0xffff, 0) + data

def icmp(t, code, ident, seq, data=b"x" * 16):
    m = struct.pack("!BBHHH", t, code, 0, ident, seq) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]

def frames():
    S4, D4, S6, D6 = "192.0.2.1", "198.51.100.1", "2001:db8::1", \
                     "2001:db8:1::1"
    f4, f6 = [], []
    d = b"hostile!" * 4
    f4 += [ip4(S4, D4, 17, udp(4000, 9, d, 200)),      # UDP len > IP
           ip4(S4, D4, 17, udp(4000, 9, d, 16)),       # UDP len < IP
           ip4(S4, D4, 17, udp(4000, 9, d, 4)),        # UDP len < 8
           ip4(S4, D4, 17, udp(4000, 9, d, 0)),
           ip4(S4, D4, 17, udp(4000, 9, d, 65535)),
           ip4(S4, D4, 17, udp(4000, 9, d)[:4]),       # header cut
           ip4(S4, D4, 17, udp(4000, 9, d), tot=24),   # IP says 4 bytes
           ip4(S4, D4, 17, udp(4000, 9, d), tot=1500), # IP len > frame
           ip4(S4, D4, 17, udp(4000, 9, d), tot=10),   # IP len < header
           ip4(S4, D4, 17, udp(0, 9, d)),              # source port 0
           ip4(S4, D4, 17, udp(4000, 0, d)),           # dest port 0
           ip4(S4, "255.255.255.255", 17, udp(4000, 9, d)),
           ip4(S4, "224.0.0.1", 17, udp(4000, 9, d)),
           ip4(S4, "127.0.0.1", 17, udp(4000, 9, d)),
           ip4(S4, "0.0.0.0", 17, udp(4000, 9, d)),
           ip4(S4, D4, 1, b"\x08\x00"),                # ICMP cut
           ip4(S4, D4, 1, icmp(8, 0, 1, 1)[:6]),
           ip4(S4, D4, 1, icmp(13, 0, 1, 1)),          # timestamp
           ip4(S4, D4, 1, icmp(0, 0, 1, 1)),           # echo reply
           ip4(S4, D4, 1, icmp(3, 3, 1, 1)),           # unreachable
           ip4(S4, D4, 1, icmp(8, 7, 1, 1)),           # echo, bad code
           ip4(S4, "127.0.0.1", 1, icmp(8, 0, 1, 1)),
           ip4(S4, "255.255.255.255", 1, icmp(8, 0, 1, 1)),
           ip4(S4, D4, 1, icmp(8, 0, 1, 1), tot=30),
           ip4(S4, D4, 1, icmp(8, 0, 1, 1), tot=3000)]
    f6 += [ip6(S6, D6, 17, udp(4000, 9, d, 200)),
           ip6(S6, D6, 17, udp(4000, 9, d, 16)),
           ip6(S6, D6, 17, udp(4000, 9, d, 3)),
           ip6(S6, D6, 17, udp(4000, 9, d)[:5]),
           ip6(S6, D6, 17, udp(4000, 9, d), plen=4),
           ip6(S6, D6, 17, udp(4000, 9, d), plen=2000),
           ip6(S6, D6, 17, udp(0, 9, d)),
           ip6(S6, D6, 17, udp(4000, 0, d)),
           ip6(S6, "::1", 17, udp(4000, 9, d)),
           ip6(S6, "ff02::1", 17, udp(4000, 9, d)),
           ip6(S6, "::", 17, udp(4000, 9, d)),
           ip6(S6, "::ffff:127.0.0.1", 17, udp(4000, 9, d)),
           ip6(S6, D6, 58, b"\x80"),
           ip6(S6, D6, 58, icmp(128, 0, 1, 1)[:6]),
           ip6(S6, D6, 58, icmp(1, 4, 1, 1)),
           ip6(S6, D6, 58, icmp(129, 0, 1, 1)),
           ip6(S6, D6, 58, icmp(128, 9, 1, 1)),
           ip6(S6, D6, 58, icmp(143, 0, 1, 1)),
           ip6(S6, "ff02::1", 58, icmp(128, 0, 1, 1)),
           ip6(S6, "::1", 58, icmp(128, 0, 1, 1)),
           ip6(S6, D6, 58, icmp(128, 0, 1, 1), plen=3)]
    rnd = random.Random(4242)
    for i in range(3000):
        v6 = rnd.random() < 0.5
        proto = rnd.choice([17, 1 if not v6 else 58])
        body = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 80)))
        if proto == 17 and rnd.random() < 0.7:
            body = udp(rnd.randrange(65536), rnd.choice([19, 53, 7777, 0]),
                       body, rnd.choice([None, rnd.randrange(65536)]))
        elif proto != 17 and rnd.random() < 0.7:
            t = rnd.choice([8, 128, 0, 129, rnd.randrange(256)])
            body = icmp(t, rnd.choice([0, 0, rnd.randrange(256)]),
                        rnd.randrange(65536), i, body)[:rnd.randrange(4, 90)]
        if v6:
            f6.append(ip6(S6, rnd.choice([D6, "fe80::2", "2001:db8::2"]),
                          proto, body, rnd.choice([None, rnd.randrange(200)])))
        else:
            f4.append(ip4(S4, rnd.choice([D4, "192.0.2.2", "203.0.113.9"]),
                          proto, body,
                          rnd.choice([None, None, rnd.randrange(200)])))
    return [(0x0800, f) for f in f4] + [(0x86dd, f) for f in f6]

def inject(ifname, src, dst):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    n = 0
    for et, f in frames():
        s.send(bytes.fromhex(dst.replace(":", "")) +
               bytes.fromhex(src.replace(":", "")) + struct.pack("!H", et) + f)
        n += 1
    print("sent=%d" % n)

def echo_id(ident, dst):
    v6 = ":" in dst
    if v6:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_ICMPV6)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.settimeout(2)
    req, rep, hl = (128, 129, 0) if v6 else (8, 0, 20)
    got = []
    for seq in (1, 2, 3):
        # The kernel computes ICMPv6 checksums of raw sockets
        s.sendto(icmp(req, 0, ident, seq), (dst, 0))
        try:
            while True:
                p, a = s.recvfrom(65535)
                t, c, _, i, q = struct.unpack("!BBHHH", p[hl:hl + 8])
                if t == rep and a[0] == dst and q == seq:
                    got.append(i)
                    break
        except socket.timeout:
            pass
    print("ids=" + ",".join(str(i) for i in got))
    return 0 if got == [ident] * 3 else 1

def sink(out, *addrs):
    import select
    socks = []
    for a in addrs:
        u = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET,
                          socket.SOCK_DGRAM)
        u.bind((a, 9))
        socks.append(u)
    open(out + ".ready", "w").close()
    while True:
        for u in select.select(socks, [], [])[0]:
            d, a = u.recvfrom(65535)
            with open(out, "a") as f:
                f.write("%s %d %r\n" % (a[0], len(d), d[:16]))

if sys.argv[1] == "--sink":
    sys.exit(sink(*sys.argv[2:]))
if sys.argv[1] == "--echo-id":
    sys.exit(echo_id(int(sys.argv[2]), sys.argv[3]))
inject(*sys.argv[1:4])
EOF

# Whatever reaches port 9 of the remote namespace is written to sink.out
bg_start "$TESTDIR/sink.log" ip netns exec remote python3 "$PY" --sink \
	"$TESTDIR/sink.out" "$R4" "$R6"
wait_for 5 test -e "$TESTDIR/sink.out.ready"

# run_mode() - Every case for one mode
# $1:	pasta or passt
run_mode() {
	local m="$1" mac out holder v dst n name
	if ! l4_guest_up "$m"; then
		fail "udp_hostile_${m}_setup" "guest not usable: $(log_tail "$L4_LOG")"
		l4_guest_down
		return
	fi
	mac=$(in_guest cat "/sys/class/net/$GUEST_IF/address" 2>/dev/null)
	[ -n "$mac" ] || mac=$(in_guest ip -o link show "$GUEST_IF" |
			      sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')

	rm -f "$TESTDIR/sink.out"
	out=$(timeout 60 ip netns exec "$L4_GUEST" python3 "$PY" "$GUEST_IF" \
	      "$mac" "$SANDBOX_MAC" 2>&1)
	check "udp_hostile_${m}_inject" "injector: $out" \
		eval 'echo "$out" | grep -q "^sent="'
	sleep 1
	check "udp_hostile_${m}_none_out" \
		"came out: $(head -c 300 "$TESTDIR/sink.out" 2>/dev/null)" \
		test ! -s "$TESTDIR/sink.out"
	check "udp_hostile_${m}_alive" "$m died: $(log_tail "$L4_LOG")" \
		l4_alive

	out=$(timeout 30 ip netns exec "$L4_GUEST" "$UDPTOOL" send -c 200 \
	      -m 9000 "$R4" 7777 2>&1)
	check "udp_hostile_${m}_udp_after" "$out" \
		eval 'echo "$out" | grep -q "received=200 "'
	out=$(timeout 30 ip netns exec "$L4_GUEST" busybox ping -c 2 -W 2 \
	      "$R4" 2>&1)
	check "udp_hostile_${m}_ping_after" "$(echo "$out" | tail -n 1)" \
		eval 'echo "$out" | grep -q " 0% packet loss"'

	# A ping socket of the host holds identifier 4242 (4243 for IPv6):
	# the guest's requests with that identifier leave with another one,
	# and the replies must carry the guest's again
	for v in 4 6; do
		n=4242; dst=$R4; name="udp_hostile_${m}_icmp_id_taken"
		[ "$v" = 6 ] && { n=4243; dst=$R6; name="${name}6"; }
		rm -f "$TESTDIR/holder.ready"
		bg_start "$TESTDIR/holder.log" python3 -c '
import socket, sys, time
v6 = sys.argv[1] == "6"
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET,
                  socket.SOCK_DGRAM,
                  socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
s.bind(("::" if v6 else "0.0.0.0", int(sys.argv[2])))
open(sys.argv[3], "w").close()
time.sleep(60)' "$v" "$n" "$TESTDIR/holder.ready"
		holder=$BG_PID
		wait_for 5 test -e "$TESTDIR/holder.ready"
		out=$(timeout 30 ip netns exec "$L4_GUEST" python3 "$PY" \
		      --echo-id "$n" "$dst" 2>&1)
		check_eq "$name" "ids=$n,$n,$n" "$out"
		kill_pid "$holder"
		untrack_pid "$holder"
	done
	rm -f "$TESTDIR/holder.ready"

	l4_guest_down
}

for m in $MODES; do
	run_mode "$m"
done

test_finish
