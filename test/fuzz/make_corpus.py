#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/fuzz/make_corpus.py - Write the seed corpus of the fuzz harness into
# test/fuzz/corpus/: one stream per file, in the format of passt's socket
# (32-bit big-endian length, then the frame).  Seeds are well-formed
# conversations of every protocol the guest side handles (ARP, DHCP, NDP,
# DHCPv6, TCP, UDP, ICMP/ICMPv6, over IPv4 and IPv6), so that mutations
# start deep in each parser, plus the hostile streams of test/lib/frames.py
# that are small enough.  Regenerate after changing either:
#
#	python3 test/fuzz/make_corpus.py
#
# Addresses are those of the test sandbox (documentation ranges only).

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))

import frames as F  # noqa: E402

MAX_SEED = 16384			# hostile streams larger than this: left out
OUR_MAC = bytes.fromhex("02000000000a01")[:6]
GUEST4 = bytes([192, 0, 2, 1])
REMOTE4 = bytes([198, 51, 100, 1])
GW4 = bytes([192, 0, 2, 2])
GUEST6 = bytes.fromhex("20010db8000000000000000000000001")
REMOTE6 = bytes.fromhex("20010db8000100000000000000000001")


def stream(*frames):
    return b"".join(F.prefix(f) for f in frames)


def to_us(ip_packet, ethertype):
    return F.eth(ip_packet, ethertype, dst=OUR_MAC)


def tcp(sport, dport, seq, ack, flags, payload, src, dst, v6):
    """TCP segment with checksum; flags: string of S, A, P, F, R"""
    bits = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}
    f = sum(bits[x] for x in flags)
    opts = b""
    if "S" in flags:
        opts = struct.pack("!BBH", 2, 4, 1460) + b"\x01\x03\x03\x07"
    off = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, f,
                      65535, 0, 0) + opts
    seg = hdr + payload
    if v6:
        pseudo = F.pseudo6(src, dst, len(seg), 6)
    else:
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(seg))
    c = F.csum(pseudo + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def tcp_frame(flags, seq, ack, payload=b"", v6=False, dport=7778):
    if v6:
        seg = tcp(40000, dport, seq, ack, flags, payload, GUEST6, REMOTE6,
                  True)
        return to_us(F.ipv6(seg, 6, src=GUEST6, dst=REMOTE6, hlim=64),
                     0x86DD)
    seg = tcp(40000, dport, seq, ack, flags, payload, GUEST4, REMOTE4, False)
    return to_us(F.ipv4(seg, 6, src=GUEST4, dst=REMOTE4), 0x0800)


def tcp_conversation(v6):
    isn = 1000
    return stream(tcp_frame("S", isn, 0, v6=v6),
                  tcp_frame("A", isn + 1, 1, v6=v6),
                  tcp_frame("PA", isn + 1, 1, b"hello, remote\n", v6=v6),
                  tcp_frame("FA", isn + 15, 1, v6=v6),
                  tcp_frame("R", isn + 16, 0, v6=v6))


def udp_frames(v6, dport=7777, n=3):
    out = []
    for i in range(n):
        payload = b"datagram %d" % i
        if v6:
            u = F.udp6(payload, 40001, dport, src=GUEST6, dst=REMOTE6)
            out.append(to_us(F.ipv6(u, 17, src=GUEST6, dst=REMOTE6,
                                    hlim=64), 0x86DD))
        else:
            u = F.udp4(payload, 40001, dport, src=GUEST4, dst=REMOTE4)
            out.append(to_us(F.ipv4(u, 17, src=GUEST4, dst=REMOTE4),
                             0x0800))
    return stream(*out)


def icmp4_echo(seq):
    body = struct.pack("!BBHHH", 8, 0, 0, 0x1234, seq) + b"ping" * 8
    c = F.csum(body)
    body = body[:2] + struct.pack("!H", c) + body[4:]
    return to_us(F.ipv4(body, 1, src=GUEST4, dst=REMOTE4), 0x0800)


def icmp6_echo(seq):
    body = struct.pack("!HH", 0x1234, seq) + b"ping" * 8
    msg = F.icmp6(body, 128, src=GUEST6, dst=REMOTE6)
    return to_us(F.ipv6(msg, 58, src=GUEST6, dst=REMOTE6, hlim=64), 0x86DD)


def seeds():
    s = {
        "arp_request": stream(F.arp_request()),
        "dhcp_discover_request": stream(F.dhcp_discover(),
                                        F.dhcp_request()),
        "ndp_rs_ns": stream(F.rs(), F.ns()),
        "dhcpv6_solicit": stream(F.dhcpv6_solicit()),
        "tcp4_conversation": tcp_conversation(False),
        "tcp6_conversation": tcp_conversation(True),
        "tcp4_to_gateway": stream(tcp_frame("S", 5, 0, dport=22)),
        "udp4_datagrams": udp_frames(False),
        "udp6_datagrams": udp_frames(True),
        "udp4_dns": udp_frames(False, dport=53, n=1),
        "icmp4_echo": stream(icmp4_echo(1), icmp4_echo(2)),
        "icmp6_echo": stream(icmp6_echo(1), icmp6_echo(2)),
        "everything": stream(F.arp_request(), F.dhcp_discover(), F.rs(),
                             F.ns(), F.dhcpv6_solicit(),
                             tcp_frame("S", 9, 0), icmp4_echo(3),
                             icmp6_echo(3)) + udp_frames(False, n=1),
    }
    for name, (data, _level) in F.hostile_cases().items():
        if len(data) <= MAX_SEED:
            s["hostile_" + name] = data
    return s


def main():
    out = os.path.join(HERE, "corpus")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        os.unlink(os.path.join(out, name))
    for name, data in sorted(seeds().items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
