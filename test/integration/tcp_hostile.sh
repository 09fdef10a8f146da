#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/tcp_hostile.sh - Hostile TCP segments from the guest, both
# modes: frames written with a packet socket on the guest's interface (so
# they reach pasta or passt exactly as built), while a "victim" connection
# of the guest's own kernel stays open to an echo server:
#   - segments of the victim's flow with sequence numbers far outside the
#     window (2^31 away, 10 MiB ahead), old data with other content,
#     acknowledgements of data never sent, bad data offsets, a SYN with
#     garbage options: the victim's stream must stay intact;
#   - truncated headers, data offsets below 5 or beyond the segment, SYNs
#     with garbage options (zero and overrunning lengths, huge window
#     scale, MSS 0), odd flag combinations, RST/ACK/FIN/data for unknown
#     flows, a few thousand randomised segments;
#   - a SYN flood (TCP_SYN_FLOOD, default 3000) towards a black hole, which
#     keeps that many handshakes pending at once, while a connection opened
#     before moves data, and a new one is opened;
# then the program must be alive, the victim intact, bulk transfers must
# work in both directions, and once the flood has timed out the program
# must hold no more descriptors than before.  TCP_SYN_FLOOD=140000 goes
# beyond the connection table (128k entries): slow, not the default.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/tcp.sh"

MODES=${TCP_MODES:-pasta passt}
FLOOD=${TCP_SYN_FLOOD:-3000}
export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-580}

CASES=""
for m in $MODES; do
	for c in victim_setup inject victim_intact alive flood \
		 during_flood4 open_before_flood after_up4 after_down4 after_up6 after_down6 \
		 no_leak; do
		CASES="$CASES tcp_hostile_${m}_$c"
	done
done

HAVE_PY=1
need_pkg python3 python3 || HAVE_PY=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; tcp_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
if [ "$HAVE_PY" != 1 ] || ! tcp_build; then
	skip_all "python3 or tcptool missing" $CASES
	exit 0
fi

R4=$SANDBOX_OUTSIDE4
R6=$SANDBOX_OUTSIDE6
PORT_OUT=9000		# tcptool servers, remote namespace
PORT_ECHO=9300		# echo server of the victim connection
PORT_CLOSED=9999
BLACKHOLE4=203.0.113.129
PY=$TESTDIR/tcp_hostile.py
T0=$(date +%s)

ulimit -n 65536 2>/dev/null

tcp_server remote "$R4" "$PORT_OUT" || die "remote server"
RLOG4=$SRV_LOG
tcp_server remote "$R6" "$PORT_OUT" || die "remote server (IPv6)"
RLOG6=$SRV_LOG
tcp_server remote "$R4" "$PORT_ECHO" echo || die "echo server"
in_remote ip route add blackhole 203.0.113.128/26

cat >"$PY" <<'EOF'
# Hostile TCP segments on a packet socket of the guest's interface, with a
# victim connection of the guest's kernel kept open to an echo server.
# Usage: tcp_hostile.py IFACE R4 R6 ECHO_PORT CLOSED_PORT OPEN_PORT
#	 STATUS_FILE
# or:    tcp_hostile.py --flood IFACE N DST PORT  (SYNs from the guest's
#	 address, after learning the MACs from a connection attempt)
import os, random, select, socket, struct, sys, time

ETH_P_ALL = 3
PACKET_OUTGOING = 4
S4, S6 = "192.0.2.1", "2001:db8::1"

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def tcp_hdr(sport, dport, seq, ack, flags, wnd=65535, opts=b"", doff=None,
            data=b"", src=None, dst=None, v6=False):
    """TCP segment, checksum right unless doff lies (then it's garbage)"""
    if len(opts) % 4:
        opts += b"\0" * (4 - len(opts) % 4)
    d = (20 + len(opts)) // 4 if doff is None else doff
    h = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff,
                    ack & 0xffffffff, (d & 0xf) << 4, flags & 0xff,
                    wnd & 0xffff, 0, 0) + opts
    seg = h + data
    if v6:
        ps = socket.inet_pton(socket.AF_INET6, src) + \
             socket.inet_pton(socket.AF_INET6, dst) + \
             struct.pack("!IxxxB", len(seg), 6)
    else:
        ps = socket.inet_aton(src) + socket.inet_aton(dst) + \
             struct.pack("!BBH", 0, 6, len(seg))
    c = csum(ps + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]

def ip4(src, dst, l4, tot=None):
    tot = 20 + len(l4) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot & 0xffff, 0, 0x4000, 64, 6,
                    0, socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + l4

def ip6(src, dst, l4, plen=None):
    plen = len(l4) if plen is None else plen
    return struct.pack("!IHBB16s16s", 6 << 28, plen & 0xffff, 6, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + l4

class Wire:
    """Packet socket on the guest's interface: send frames, sniff"""
    def __init__(self, ifname):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                               socket.htons(ETH_P_ALL))
        self.s.bind((ifname, 0))
        self.s.setblocking(False)
        self.src = self.dst = None
        self.sent = 0

    def frames(self):
        """Drain what was seen: (outgoing, frame)"""
        out = []
        while True:
            try:
                f, a = self.s.recvfrom(70000)
            except BlockingIOError:
                return out
            out.append((a[2] == PACKET_OUTGOING, f))

    def send4(self, l3):
        self.s.send(self.dst + self.src + b"\x08\x00" + l3)
        self.sent += 1

    def send6(self, l3):
        self.s.send(self.dst + self.src + b"\x86\xdd" + l3)
        self.sent += 1

def parse_tcp4(f):
    """(src, dst, sport, dport, seq, ack, flags, wnd, payload len) or None"""
    if len(f) < 34 or f[12:14] != b"\x08\x00" or f[23] != 6:
        return None
    ihl = (f[14] & 0xf) * 4
    tot = struct.unpack("!H", f[16:18])[0]
    t = f[14 + ihl:14 + tot]
    if len(t) < 20:
        return None
    sp, dp, seq, ack, off, fl, wnd = struct.unpack("!HHIIBBH", t[:16])
    return (socket.inet_ntoa(f[26:30]), socket.inet_ntoa(f[30:34]), sp, dp,
            seq, ack, fl, wnd, len(t) - (off >> 4) * 4)

def learn(wire, victim, raddr, rport):
    """Sequence state of the victim flow from sniffed frames"""
    lport = victim.getsockname()[1]
    st = {}
    for outgoing, f in wire.frames():
        p = parse_tcp4(f)
        if not p:
            continue
        src, dst, sp, dp, seq, ack, fl, wnd, plen = p
        if outgoing and dst == raddr and sp == lport and dp == rport:
            wire.src, wire.dst = f[6:12], f[0:6]
            end = (seq + plen + (1 if fl & 1 else 0)) & 0xffffffff
            st["snd_nxt"], st["rcv_nxt"], st["wnd"] = end, ack, wnd
        elif not outgoing and src == raddr and sp == rport and dp == lport:
            st["peer_nxt"] = (seq + plen) & 0xffffffff
    return st

def echo_round(sock, rnd, n):
    data = bytes(rnd.getrandbits(8) for _ in range(n))
    sock.sendall(data)
    got = b""
    sock.settimeout(10)
    while len(got) < n:
        b = sock.recv(n - len(got))
        if not b:
            raise RuntimeError("echo: end of stream after %d bytes" % len(got))
        got += b
    if got != data:
        i = next(i for i in range(n) if got[i] != data[i])
        raise RuntimeError("echo: corrupt from byte %d" % i)

def victim_frames(st, lport, raddr, rport):
    """Hostile segments within the victim's flow"""
    snd, rcv, wnd = st["snd_nxt"], st["rcv_nxt"], st["wnd"]
    junk = lambda n: b"\xa5" * n
    T = lambda seq, ack, fl, **kw: tcp_hdr(lport, rport, seq, ack, fl,
                                           src=S4, dst=raddr, **kw)
    ACK, PSH, FIN, SYN = 0x10, 0x08, 0x01, 0x02
    l = [
        T(snd + (1 << 31), rcv, ACK | PSH, wnd=wnd, data=junk(100)),
        T(snd + (1 << 31) - 200, rcv, ACK | PSH, wnd=wnd, data=junk(300)),
        T(snd + (1 << 31) + 50, rcv, ACK | PSH, wnd=wnd, data=junk(1400)),
        T(snd + 10 * 1024 * 1024, rcv, ACK | PSH, wnd=wnd, data=junk(1000)),
        T(snd + 0x7fffff00, rcv, ACK | PSH, wnd=wnd, data=junk(1000)),
        T(snd - 1000, rcv, ACK | PSH, wnd=wnd, data=junk(1000)),   # old
        T(snd - 600, rcv, ACK | PSH, wnd=wnd, data=junk(600)),     # old
        T(snd - (1 << 31) + 100, rcv, ACK | PSH, wnd=wnd, data=junk(500)),
        T(snd - 70000, rcv, ACK | PSH, wnd=wnd, data=junk(1400)),
        T(snd, rcv + (1 << 30), ACK, wnd=wnd),           # acks unsent data
        T(snd, rcv + 0x7fffffff, ACK, wnd=wnd),
        T(snd, rcv - (1 << 30), ACK, wnd=wnd),
        T(snd, rcv + 1000000, ACK, wnd=wnd),
        T(snd + (1 << 31), rcv, ACK | FIN, wnd=wnd),     # FIN far away
        T(snd + 5000000, rcv, ACK | FIN, wnd=wnd, data=junk(10)),
        T(snd - 2, rcv, ACK | FIN, wnd=wnd),              # old FIN
        T(snd + 77, rcv, SYN, wnd=wnd,                    # SYN in flow
          opts=b"\x02\x00\x03\x01\xff\x08\x28"),
        T(snd + (1 << 31), rcv, SYN | ACK, wnd=wnd, opts=b"\x03\x03\xff"),
    ]
    seg = T(snd + (1 << 31), rcv, ACK, wnd=wnd, data=junk(40))
    l += [seg[:12] + bytes([0x00]) + seg[13:],          # doff 0
          seg[:12] + bytes([0x40]) + seg[13:],          # doff 4
          seg[:12] + bytes([0xf0]) + seg[13:],          # doff 15 > length
          seg[:10]]                                     # truncated header
    return l

def unknown_frames(raddr, raddr6, closed, open_):
    """Malformed segments and segments of flows that don't exist"""
    l4, l6 = [], []
    ACK, PSH, FIN, SYN, RST, URG = 0x10, 0x08, 0x01, 0x02, 0x04, 0x20
    T = lambda sp, dp, seq, ack, fl, **kw: tcp_hdr(sp, dp, seq, ack, fl,
                                                   src=S4, dst=raddr, **kw)
    T6 = lambda sp, dp, seq, ack, fl, **kw: tcp_hdr(sp, dp, seq, ack, fl,
                                                    src=S6, dst=raddr6,
                                                    v6=True, **kw)
    garbage = [b"\x02\x00", b"\x02\x01", b"\x02\x04\x00\x00",
               b"\x02\x04\x00\x01", b"\x02\x04\xff\xff", b"\x03\x03\xff",
               b"\x03\x02", b"\x03\x04\x07\x07", b"\x08\xff" + b"\x01" * 10,
               b"\xff" * 40, b"\x01" * 40, b"\x00" + b"\x99" * 39,
               b"\x02\x28" + b"\x00" * 38, b"\x04\x0a", b"\x05\x01",
               b"\x08\x0a\x00", b"\x1e\x03\xff", b"\x22\x02",
               b"\x02\x04\x05", b"\x01\x01\x01\x02\x04"]
    sp = 21000
    for o in garbage:
        for dp in (closed, open_):
            sp += 1
            l4.append(T(sp, dp, 1000 + sp, 0, SYN, opts=o))
            l6.append(T6(sp, dp, 1000 + sp, 0, SYN, opts=o))
    # A SYN whose options claim more than the frame holds
    s = T(sp + 1, closed, 5, 0, SYN, opts=b"\x02\x04\x05\xb4")
    l4 += [s[:22], s[:12] + b"\x80" + s[13:22]]
    for fl in (RST, ACK, FIN, RST | ACK, FIN | ACK, PSH | ACK, URG,
               SYN | FIN, SYN | RST, SYN | ACK, 0, 0xff, SYN | FIN | RST):
        for dp in (closed, open_):
            sp += 1
            l4.append(T(sp, dp, 7, 123456, fl, data=b"x" * (fl & 3) * 100))
            l6.append(T6(sp, dp, 7, 123456, fl, data=b"x" * (fl & 3) * 100))
    sp += 1
    l4 += [T(sp, closed, 0xffffffff, 0xffffffff, ACK | PSH, data=b"y" * 1000),
           T(0, closed, 1, 0, SYN), T(sp, 0, 1, 0, SYN)]
    l6 += [T6(0, closed, 1, 0, SYN), T6(sp, 0, 1, 0, SYN)]
    # Malformed headers of unknown flows
    seg = T(sp, closed, 1, 0, SYN)
    for b in (0x00, 0x10, 0x40, 0x60, 0xf0):
        l4.append(seg[:12] + bytes([b]) + seg[13:])
    l4 += [seg[:1], seg[:8], seg[:19]]
    seg6 = T6(sp, closed, 1, 0, SYN)
    for b in (0x00, 0x40, 0xf0):
        l6.append(seg6[:12] + bytes([b]) + seg6[13:])
    l6 += [seg6[:4], seg6[:19]]
    return l4, l6

def fuzz(rnd, raddr, raddr6, closed, count):
    l4, l6 = [], []
    for i in range(count):
        v6 = rnd.random() < 0.5
        fl = rnd.choice([0x02, 0x10, 0x18, 0x04, 0x14, 0x11, 0x01,
                         rnd.randrange(256)])
        opts = bytes(rnd.getrandbits(8) for _ in range(rnd.choice([0, 4, 8,
                                                                    20, 40])))
        data = bytes(rnd.getrandbits(8) for _ in range(rnd.choice([0, 0, 10,
                                                                   500])))
        sp = rnd.randrange(20000, 30000)
        dp = rnd.choice([closed, closed, rnd.randrange(1, 65536)])
        if v6:
            seg = tcp_hdr(sp, dp, rnd.getrandbits(32), rnd.getrandbits(32),
                          fl, rnd.getrandbits(16), opts=opts, data=data,
                          src=S6, dst=raddr6, v6=True)
        else:
            seg = tcp_hdr(sp, dp, rnd.getrandbits(32), rnd.getrandbits(32),
                          fl, rnd.getrandbits(16), opts=opts, data=data,
                          src=S4, dst=raddr)
        r = rnd.random()
        if r < 0.15:
            seg = seg[:rnd.randrange(len(seg))]
        elif r < 0.3:
            seg = seg[:12] + bytes([rnd.randrange(256)]) + seg[13:]
        (l6 if v6 else l4).append(seg)
    return l4, l6

def main():
    ifname, r4, r6 = sys.argv[1], sys.argv[2], sys.argv[3]
    echo_port, closed, open_ = map(int, sys.argv[4:7])
    status = sys.argv[7]
    rnd = random.Random(31337)
    res = {}

    wire = Wire(ifname)
    victim = socket.create_connection((r4, echo_port), timeout=10)
    victim.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        for n in (1000, 20000, 3000):
            echo_round(victim, rnd, n)
        time.sleep(0.3)             # the last ACKs are out
        st = learn(wire, victim, r4, echo_port)
        if "snd_nxt" not in st or wire.dst is None:
            raise RuntimeError("victim flow not seen on %s" % ifname)
        res["victim_setup"] = "ok"
    except Exception as e:
        res["victim_setup"] = "error: %s" % e
        res["victim_intact"] = "not run"
        st = None

    lport = victim.getsockname()[1]
    if st:
        for f in victim_frames(st, lport, r4, echo_port):
            wire.send4(ip4(S4, r4, f))
        time.sleep(0.2)
    l4, l6 = unknown_frames(r4, r6, closed, open_)
    f4, f6 = fuzz(rnd, r4, r6, closed, 3000)
    if wire.dst is None:
        wire.src = wire.dst = b"\x02\x00\x00\x00\x00\x01"
    for f in l4 + f4:
        wire.send4(ip4(S4, r4, f))
    for f in l6 + f6:
        wire.send6(ip6(S6, r6, f))
    # IP lengths that disagree with the TCP header
    seg = tcp_hdr(22222, closed, 1, 0, 0x02, src=S4, dst=r4)
    wire.send4(ip4(S4, r4, seg, tot=24))
    wire.send4(ip4(S4, r4, seg, tot=3000))
    wire.send6(ip6(S6, r6, seg, plen=8))
    res["inject"] = "sent=%d" % wire.sent

    if st:
        time.sleep(0.5)
        try:
            for n in (1000, 50000, 7):
                echo_round(victim, rnd, n)
            victim.shutdown(socket.SHUT_WR)
            victim.settimeout(10)
            if victim.recv(10) != b"":
                raise RuntimeError("data after the end of the echo")
            res["victim_intact"] = "ok"
        except Exception as e:
            res["victim_intact"] = "error: %s" % e
    victim.close()
    with open(status, "w") as f:
        for k, v in res.items():
            f.write("%s %s\n" % (k, v))

def flood(ifname, n, dst, port):
    """SYNs from n source ports, as fast as the socket takes them"""
    wire = Wire(ifname)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect((dst, port))      # learn the MACs from the kernel's SYN
    except BlockingIOError:
        pass
    t = time.time() + 5
    while wire.dst is None and time.time() < t:
        select.select([wire.s], [], [], 0.2)
        for outgoing, f in wire.frames():
            p = parse_tcp4(f)
            if outgoing and p and p[1] == dst:
                wire.src, wire.dst = f[6:12], f[0:6]
    s.close()
    if wire.dst is None:
        print("flood: no frame seen")
        return 1
    for i in range(n):
        sp = 1024 + i % 60000
        seq = i // 60000 * 1000003 + 17
        seg = tcp_hdr(sp, port + i // 60000, seq, 0, 0x02,
                      opts=b"\x02\x04\x05\xb4", src=S4, dst=dst)
        while True:
            try:
                wire.send4(ip4(S4, dst, seg))
                break
            except BlockingIOError:
                select.select([], [wire.s], [], 0.1)
            except OSError:
                time.sleep(0.01)
    print("flood: sent=%d" % wire.sent)
    return 0

if sys.argv[1] == "--flood":
    sys.exit(flood(sys.argv[2], int(sys.argv[3]), sys.argv[4],
                   int(sys.argv[5])))
main()
EOF

# status_of() - Value recorded by the injector for a key
# $1:	key
status_of() {
	sed -n "s/^$1 //p" "$TESTDIR/hostile.status" 2>/dev/null
}

# run_mode() - Every case for one mode
# $1:	pasta or passt
run_mode() {
	local m="$1" out base v t_mode opts="" st
	t_mode=$(date +%s)
	[ "$m" = pasta ] && opts="-T none -U none"
	# shellcheck disable=SC2086
	if ! L4_DEBUG=-f l4_guest_up "$m" $opts; then
		fail "tcp_hostile_${m}_setup" "guest not usable: $(log_tail "$L4_LOG")"
		l4_guest_down
		return
	fi
	sleep 0.5
	base=$(fd_count "$L4_PID")
	rm -f "$TESTDIR/hostile.status"

	out=$(timeout 120 ip netns exec "$L4_GUEST" "$PYTHON" "$PY" \
	      "$GUEST_IF" "$R4" "$R6" "$PORT_ECHO" "$PORT_CLOSED" "$PORT_OUT" \
	      "$TESTDIR/hostile.status" 2>&1)
	[ -n "$out" ] && note "injector: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	for c in victim_setup inject victim_intact; do
		st=$(status_of "$c")
		case "$st" in
		ok|sent=*) pass "tcp_hostile_${m}_$c"
			   [ "$c" = inject ] && note "tcp_hostile_${m}: $st" ;;
		*) fail "tcp_hostile_${m}_$c" "${st:-no result}" ;;
		esac
	done
	sleep 1
	check "tcp_hostile_${m}_alive" "$m died: $(log_tail "$L4_LOG")" l4_alive

	# SYN flood towards a black hole: the handshakes stay pending (10 s
	# or whatever the handshake timeout is).  A connection opened before
	# the flood moves its data while they are pending, and a new one
	# works too (unless the flood is beyond what the program can hold:
	# then refusing new connections is right)
	rm -f "$TESTDIR/pre.out"
	local pre_id=$TCP_NEXT_ID
	TCP_NEXT_ID=$((TCP_NEXT_ID + 1))
	bg_start "$TESTDIR/pre.out" ip netns exec "$L4_GUEST" "$TCPTOOL" \
		client -i "$pre_id" -t 30 -W $((1500 + FLOOD / 20)) -u 8M \
		-d 8M "$R4" "$PORT_OUT"
	local pre=$BG_PID
	sleep 0.5
	out=$(timeout 300 ip netns exec "$L4_GUEST" "$PYTHON" "$PY" --flood \
	      "$GUEST_IF" "$FLOOD" "$BLACKHOLE4" "$PORT_OUT" 2>&1)
	if echo "$out" | grep -q "^flood: sent=" && l4_alive; then
		pass "tcp_hostile_${m}_flood"
		note "tcp_hostile_${m}_flood: $out, $(fd_count "$L4_PID") descriptors right after"
	else
		fail "tcp_hostile_${m}_flood" "$out; alive: $(l4_alive && echo yes || echo no)"
	fi
	if [ "$FLOOD" -le 5000 ]; then
		tcp_xfer "tcp_hostile_${m}_during_flood4" "$L4_GUEST" "$RLOG4" \
			60 -t 20 -u 8M -d 8M "$R4" "$PORT_OUT"
	else
		skip "tcp_hostile_${m}_during_flood4" "flood of $FLOOD: new connections may be refused"
	fi
	wait_for 60 eval '! pid_alive '"$pre"
	st=$(tcp_server_line "$RLOG4" "$pre_id")
	if grep -q "ok=1 " "$TESTDIR/pre.out" && echo "$st" | grep -q status=ok; then
		pass "tcp_hostile_${m}_open_before_flood"
	else
		fail "tcp_hostile_${m}_open_before_flood" "client: $(tr '\n' ' ' <"$TESTDIR/pre.out"); server: ${st:-no line}"
	fi

	# Normal transfers afterwards
	for v in 4 6; do
		local r=$R4 log=$RLOG4
		[ "$v" = 6 ] && { r=$R6; log=$RLOG6; }
		tcp_xfer "tcp_hostile_${m}_after_up$v" "$L4_GUEST" "$log" 60 \
			-t 20 -u 16M "$r" "$PORT_OUT"
		tcp_xfer "tcp_hostile_${m}_after_down$v" "$L4_GUEST" "$log" 60 \
			-t 20 -d 16M "$r" "$PORT_OUT"
	done

	# Every flow of the flood and of the injection is gone in the end
	tcp_settle "$L4_GUEST" 10
	if [ "${base:-0}" -lt 3 ]; then
		fail "tcp_hostile_${m}_no_leak" "can't read the descriptors of PID $L4_PID"
	elif wait_for 30 eval '[ "$(fd_count "$L4_PID")" -le "$base" ]'; then
		pass "tcp_hostile_${m}_no_leak"
	else
		fail "tcp_hostile_${m}_no_leak" "$(fd_count "$L4_PID") descriptors 30 s after the flood, $base before ($(fd_count "$L4_PID" socket) sockets, $(fd_count "$L4_PID" timerfd) timers)"
	fi
	l4_alive || fail "tcp_hostile_${m}_alive_end" "$m died: $(log_tail "$L4_LOG")"
	l4_guest_down
	note "tcp_hostile_$m: $(( $(date +%s) - t_mode )) s"
}

for m in $MODES; do
	run_mode "$m"
done
note "tcp_hostile: $(( $(date +%s) - T0 )) s in all"

test_finish
