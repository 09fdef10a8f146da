#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/lib/frames.py - Build and parse the byte streams of passt's UNIX socket
# (frames preceded by a 32-bit big-endian length) for hostile-input tests.
# Standard library only.
#
#   frames.py list                     names of the streams "gen" can build
#   frames.py gen NAME...              write the named streams to stdout:
#                                      hostile cases (see list), probe_KIND
#                                      (see probes), dhcp_request (for
#                                      192.0.2.1), dhcp_request_wrong
#   frames.py expect KIND [--xid N]    read a stream on stdin, exit 0 if it
#                                      holds a reply of KIND (dhcp_offer,
#                                      dhcp_ack, dhcp_nak, ra, na, arp_reply,
#                                      dhcpv6_advertise, dhcpv6_reply)
#   frames.py dump                     describe the frames of a stream on stdin
#   frames.py session SOCK CASE PROBE [SECONDS]
#                                      connect to passt's socket, send the
#                                      hostile stream CASE ("none": nothing)
#                                      then the probe frame PROBE, and wait
#                                      for the probe's reply; exit 0 if it
#                                      came, 2 if passt closed the connection
#                                      first, 1 on timeout, 3 if connecting
#                                      failed
#   frames.py pieces SOCK [SECONDS]    connect to passt's socket and send
#                                      the DHCP, NS, DHCPv6 and ARP probes
#                                      as one stream cut into pieces (inside
#                                      a length prefix, inside a frame,
#                                      several frames and a partial one
#                                      together), a pause between pieces;
#                                      exit 0 if every probe was answered
#                                      on that connection, 1 otherwise
#   frames.py capture IFACE SECONDS [KIND]
#                                      capture frames on an interface (raw
#                                      packet socket, needs CAP_NET_RAW) to
#                                      stdout as a stream; stop early once a
#                                      frame of KIND was seen
#   frames.py ra                       print the options of the first router
#                                      advertisement of a stream on stdin,
#                                      one "key=value" per line
#
# Every probe and hostile frame comes from the made-up guest MAC
# 02:00:00:00:66:66 and its link-local address fe80::ff:fe00:6666.  Probes
# use fixed transaction IDs so that replies can be matched.

import random
import select
import socket
import struct
import sys
import time

GUEST_MAC = bytes.fromhex("020000006666")
BCAST_MAC = b"\xff" * 6
GUEST_LL = bytes.fromhex("fe80000000000000000000fffe006666")
ALL_ROUTERS = bytes.fromhex("ff020000000000000000000000000002")
DHCPV6_SERVERS = bytes.fromhex("ff020000000000000000000000010002")
GW_LL = bytes.fromhex("fe800000000000000000000000000002")
ADDR4 = bytes([192, 0, 2, 1])
GW4 = bytes([192, 0, 2, 2])
ZERO4 = bytes(4)
BCAST4 = b"\xff" * 4

PROBE_XID = 0x7e57cafe
PROBE_XID6 = 0x7e57c6

FRAME_MAX = 65535 + 14


# --- Building blocks


def csum(data):
    """Internet checksum of data (ones' complement of the ones' sum)"""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def prefix(frame):
    """Length-prefixed form of one frame, as on passt's socket"""
    return struct.pack("!I", len(frame)) + frame


def eth(payload, ethertype, dst=BCAST_MAC, src=GUEST_MAC):
    return dst + src + struct.pack("!H", ethertype) + payload


def ipv4(payload, proto, src=ZERO4, dst=BCAST4, ihl=5, options=b"",
         tot_len=None, version=4, frag=0, ttl=64, bad_csum=False):
    """IPv4 packet; ihl and tot_len may lie on purpose"""
    if tot_len is None:
        tot_len = 20 + len(options) + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", (version << 4) | (ihl & 0xF), 0,
                      tot_len & 0xFFFF, 0x1234, frag, ttl, proto, 0, src, dst)
    hdr += options
    c = csum(hdr)
    if bad_csum:
        c ^= 0x5555
    hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
    return hdr + payload


def udp4(payload, sport, dport, src=ZERO4, dst=BCAST4, length=None):
    if length is None:
        length = 8 + len(payload)
    hdr = struct.pack("!HHHH", sport, dport, length & 0xFFFF, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, 8 + len(payload))
    c = csum(pseudo + hdr + payload) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + payload


def ipv6(payload, nh, src=GUEST_LL, dst=ALL_ROUTERS, plen=None, hlim=255,
         version=6):
    if plen is None:
        plen = len(payload)
    return struct.pack("!IHBB", version << 28, plen & 0xFFFF, nh, hlim) + \
        src + dst + payload


def pseudo6(src, dst, length, nh):
    return src + dst + struct.pack("!IxxxB", length, nh)


def icmp6(body, itype, code=0, src=GUEST_LL, dst=ALL_ROUTERS):
    msg = struct.pack("!BBH", itype, code, 0) + body
    c = csum(pseudo6(src, dst, len(msg), 58) + msg)
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def udp6(payload, sport, dport, src=GUEST_LL, dst=DHCPV6_SERVERS,
         length=None):
    if length is None:
        length = 8 + len(payload)
    hdr = struct.pack("!HHHH", sport, dport, length & 0xFFFF, 0)
    c = csum(pseudo6(src, dst, 8 + len(payload), 17) + hdr + payload) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + payload


def mcast_mac(addr6):
    return b"\x33\x33" + addr6[12:]


def v4_frame(ip_packet, dst=BCAST_MAC):
    return eth(ip_packet, 0x0800, dst=dst)


def v6_frame(ip_packet, dst_ip):
    return eth(ip_packet, 0x86DD, dst=mcast_mac(dst_ip))


# --- DHCP


def dhcp_opt(code, data):
    return bytes([code, len(data)]) + data


def bootp(options, xid=PROBE_XID, op=1, hlen=6, chaddr=GUEST_MAC,
          magic=True, sname=b"", file=b"", ciaddr=ZERO4):
    msg = struct.pack("!BBBBIHH4s4s4s4s", op, 1, hlen, 0, xid, 0, 0x8000,
                      ciaddr, ZERO4, ZERO4, ZERO4)
    msg += chaddr.ljust(16, b"\0")[:16]
    msg += sname.ljust(64, b"\0")[:64] + file.ljust(128, b"\0")[:128]
    if magic:
        msg += bytes([99, 130, 83, 99])
    return msg + options


def dhcp_frame(msg, udp_length=None, **ipkw):
    return v4_frame(ipv4(udp4(msg, 68, 67, length=udp_length), 17, **ipkw))


def dhcp_discover(xid=PROBE_XID):
    opts = dhcp_opt(53, b"\x01") + dhcp_opt(55, bytes([1, 3, 6, 15, 26, 119]))
    return dhcp_frame(bootp(opts + b"\xff", xid=xid))


def dhcp_request(addr=ADDR4, server=GW4, xid=PROBE_XID):
    opts = dhcp_opt(53, b"\x03") + dhcp_opt(50, addr) + \
        dhcp_opt(54, server) + dhcp_opt(55, bytes([1, 3, 6, 15, 26, 119]))
    return dhcp_frame(bootp(opts + b"\xff", xid=xid))


# --- NDP and DHCPv6


def rs(options=b"", hlim=255):
    body = b"\0" * 4 + options
    return v6_frame(ipv6(icmp6(body, 133), 58, hlim=hlim), ALL_ROUTERS)


def ns(target=GW_LL, options=None, hlim=255):
    snm = bytes.fromhex("ff0200000000000000000001ff") + target[13:]
    if options is None:
        options = b"\x01\x01" + GUEST_MAC
    body = b"\0" * 4 + target + options
    return v6_frame(ipv6(icmp6(body, 135, dst=snm), 58, dst=snm, hlim=hlim),
                    snm)


def d6opt(code, data, length=None):
    if length is None:
        length = len(data)
    return struct.pack("!HH", code, length & 0xFFFF) + data


DUID = struct.pack("!HH", 3, 1) + GUEST_MAC


def dhcpv6(msg_type, options, xid=PROBE_XID6):
    return struct.pack("!I", (msg_type << 24) | xid)[0:4] + options


def dhcpv6_frame(msg, udp_length=None):
    return v6_frame(ipv6(udp6(msg, 546, 547, length=udp_length), 17,
                         dst=DHCPV6_SERVERS), DHCPV6_SERVERS)


def dhcpv6_solicit(xid=PROBE_XID6):
    opts = d6opt(1, DUID) + d6opt(3, struct.pack("!III", 1, 0, 0)) + \
        d6opt(8, b"\0\0") + d6opt(6, struct.pack("!HH", 23, 24))
    return dhcpv6_frame(dhcpv6(1, opts, xid))


def arp_request(target=GW4, sender=ADDR4, hlen=6, plen=4, short=False):
    body = struct.pack("!HHBBH", 1, 0x0800, hlen, plen, 1)
    if short:
        return eth(body, 0x0806)
    body += GUEST_MAC + sender + b"\0" * 6 + target
    return eth(body, 0x0806)


# --- Named streams


def rnd(seed):
    return random.Random(seed)


def s_random(seed, n):
    return rnd(seed).randbytes(n)


def frames_stream(*frames):
    return b"".join(prefix(f) for f in frames)


def hostile_cases():
    """Name -> (stream bytes, level): level "stream" means the framing itself
    is broken (passt may drop the connection), "frame" means the framing is
    valid and only the content is hostile (passt should keep the connection)
    """
    c = {}
    disc = dhcp_discover()

    # Broken framing
    c["random_4k"] = (s_random(1, 4096), "stream")
    c["random_256k"] = (s_random(2, 256 * 1024), "stream")
    c["random_frames"] = (b"".join(prefix(s_random(i, rnd(i).randint(14, 1600)))
                                   for i in range(200)), "frame")
    c["zero_length"] = (struct.pack("!I", 0) * 4 + prefix(disc), "stream")
    c["length_1"] = (struct.pack("!I", 1) + b"\x01" + prefix(disc), "stream")
    c["length_13"] = (struct.pack("!I", 13) + b"\x02" * 13 + prefix(disc),
                      "stream")
    c["huge_length"] = (struct.pack("!I", 0xFFFFFFFF) + s_random(3, 1000),
                        "stream")
    c["length_2g"] = (struct.pack("!I", 0x80000000) + s_random(4, 1000),
                      "stream")
    c["over_max_length"] = (struct.pack("!I", FRAME_MAX + 1) +
                            s_random(5, FRAME_MAX + 1), "stream")
    c["truncated_frame"] = (struct.pack("!I", 600) + disc[:100], "stream")
    c["truncated_prefix"] = (b"\x00\x00", "stream")
    c["max_length_frame"] = (prefix(eth(s_random(6, FRAME_MAX - 14), 0x0800)),
                             "frame")
    c["many_small_frames"] = (b"".join(prefix(eth(b"", 0x0800 + (i % 3)))
                                       for i in range(2000)), "frame")

    # L2
    c["eth_only"] = (frames_stream(eth(b"", 0x0800), eth(b"", 0x86DD),
                                   eth(b"", 0x0806), eth(b"x", 0x8100),
                                   eth(b"", 0x88CC)), "frame")
    c["arp_short"] = (frames_stream(arp_request(short=True)), "frame")
    c["arp_bad_lengths"] = (frames_stream(arp_request(hlen=255, plen=255),
                                          arp_request(hlen=0, plen=0)),
                            "frame")
    c["arp_for_guest"] = (frames_stream(arp_request(target=ADDR4)), "frame")

    # IPv4 headers
    udp = udp4(bootp(dhcp_opt(53, b"\x01") + b"\xff"), 68, 67)
    c["ipv4_ihl_small"] = (frames_stream(
        *[v4_frame(ipv4(udp, 17, ihl=i)) for i in range(0, 5)]), "frame")
    c["ipv4_ihl_big"] = (frames_stream(
        v4_frame(ipv4(b"\0" * 4, 17, ihl=15)),
        v4_frame(ipv4(udp[:20], 17, ihl=15))), "frame")
    c["ipv4_totlen_big"] = (frames_stream(v4_frame(ipv4(udp, 17,
                                                        tot_len=65535)),
                                          v4_frame(ipv4(udp, 17,
                                                        tot_len=len(udp) + 21)
                                                   )), "frame")
    c["ipv4_totlen_small"] = (frames_stream(
        *[v4_frame(ipv4(udp, 17, tot_len=t)) for t in (0, 1, 19, 20, 27)]),
        "frame")
    c["ipv4_bad_version"] = (frames_stream(v4_frame(ipv4(udp, 17, version=6)),
                                           v4_frame(ipv4(udp, 17, version=0))),
                             "frame")
    c["ipv4_bad_checksum"] = (frames_stream(v4_frame(ipv4(udp, 17,
                                                          bad_csum=True))),
                              "frame")
    c["ipv4_opt_len0"] = (frames_stream(
        v4_frame(ipv4(udp, 17, ihl=6, options=b"\x07\x00\x00\x00")),
        v4_frame(ipv4(udp, 17, ihl=6, options=b"\x44\x00\x05\x00"))), "frame")
    c["ipv4_opt_len_over"] = (frames_stream(
        v4_frame(ipv4(udp, 17, ihl=6, options=b"\x07\x28\x04\x00")),
        v4_frame(ipv4(udp, 17, ihl=15, options=b"\x83\xff" + b"\1" * 38))),
        "frame")
    c["ipv4_fragments"] = (frames_stream(
        v4_frame(ipv4(udp[:16], 17, frag=0x2000)),
        v4_frame(ipv4(udp[16:], 17, frag=0x0002)),
        v4_frame(ipv4(udp, 17, frag=0x1FFF))), "frame")
    c["ipv4_unknown_proto"] = (frames_stream(v4_frame(ipv4(b"x" * 30, 253)),
                                             v4_frame(ipv4(b"", 6)),
                                             v4_frame(ipv4(b"", 1))), "frame")
    c["udp_length_big"] = (frames_stream(dhcp_frame(
        bootp(dhcp_opt(53, b"\x01") + b"\xff"), udp_length=4000)), "frame")
    c["udp_length_small"] = (frames_stream(
        *[dhcp_frame(bootp(dhcp_opt(53, b"\x01") + b"\xff"), udp_length=n)
          for n in (0, 3, 8, 9)]), "frame")

    # DHCP
    c["dhcp_short"] = (frames_stream(dhcp_frame(b"\x01\x01\x06\x00" * 2),
                                     dhcp_frame(b"")), "frame")
    c["dhcp_no_magic"] = (frames_stream(dhcp_frame(
        bootp(dhcp_opt(53, b"\x01") + b"\xff", magic=False))), "frame")
    c["dhcp_no_options"] = (frames_stream(dhcp_frame(bootp(b""))), "frame")
    c["dhcp_no_msgtype"] = (frames_stream(dhcp_frame(
        bootp(dhcp_opt(55, b"\x01\x03") + b"\xff"))), "frame")
    c["dhcp_opt_overrun"] = (frames_stream(
        dhcp_frame(bootp(b"\x35\xc8\x01")),
        dhcp_frame(bootp(dhcp_opt(53, b"\x01") + b"\x37\xff\x01\x03")),
        dhcp_frame(bootp(dhcp_opt(53, b"\x01") + b"\x32"))), "frame")
    c["dhcp_opt_len0"] = (frames_stream(dhcp_frame(bootp(
        b"\x35\x00\x32\x00\x36\x00\x37\x00\x0c\x00\x3d\x00\x33\x00\xff"))),
        "frame")
    c["dhcp_no_end"] = (frames_stream(dhcp_frame(bootp(
        dhcp_opt(53, b"\x01") + b"\0" * 300))), "frame")
    c["dhcp_bad_msgtype"] = (frames_stream(
        *[dhcp_frame(bootp(dhcp_opt(53, bytes([t])) + b"\xff"))
          for t in (0, 2, 4, 5, 6, 7, 8, 9, 200, 255)]), "frame")
    c["dhcp_hlen_big"] = (frames_stream(dhcp_frame(
        bootp(dhcp_opt(53, b"\x01") + b"\xff", hlen=255)),
        dhcp_frame(bootp(dhcp_opt(53, b"\x01") + b"\xff", hlen=0))), "frame")
    c["dhcp_op_reply"] = (frames_stream(dhcp_frame(
        bootp(dhcp_opt(53, b"\x01") + b"\xff", op=2))), "frame")
    c["dhcp_request_bad_opts"] = (frames_stream(dhcp_frame(bootp(
        dhcp_opt(53, b"\x03") + dhcp_opt(50, b"\x01") +
        dhcp_opt(54, b"\x02\x02") + b"\xff")),
        dhcp_frame(bootp(dhcp_opt(53, b"\x03") + dhcp_opt(50, b"\0" * 255) +
                         b"\xff"))), "frame")
    c["dhcp_overload"] = (frames_stream(
        *[dhcp_frame(bootp(dhcp_opt(53, b"\x01") + dhcp_opt(52, bytes([v])) +
                           b"\xff", sname=b"\x35\xff", file=b"\x37\xff\x01"))
          for v in (1, 2, 3, 0, 255)]), "frame")
    c["dhcp_huge_options"] = (frames_stream(dhcp_frame(bootp(
        dhcp_opt(53, b"\x01") +
        b"".join(dhcp_opt(55, bytes(range(255))) for _ in range(200)) +
        dhcp_opt(61, b"\x01" + GUEST_MAC) * 40 + b"\xff"))), "frame")
    c["dhcp_random_options"] = (frames_stream(
        *[dhcp_frame(bootp(dhcp_opt(53, b"\x01") + s_random(100 + i, 300)))
          for i in range(50)]), "frame")

    # IPv6 headers
    icmp_rs = icmp6(b"\0" * 4, 133)
    c["ipv6_short"] = (frames_stream(eth(ipv6(b"", 58)[:20], 0x86DD),
                                     eth(b"\x60", 0x86DD)), "frame")
    c["ipv6_plen_big"] = (frames_stream(v6_frame(ipv6(icmp_rs, 58,
                                                      plen=65535),
                                                 ALL_ROUTERS),
                                        v6_frame(ipv6(icmp_rs, 58,
                                                      plen=len(icmp_rs) + 1),
                                                 ALL_ROUTERS)), "frame")
    c["ipv6_plen_small"] = (frames_stream(
        *[v6_frame(ipv6(icmp_rs, 58, plen=p), ALL_ROUTERS)
          for p in (0, 1, 3, 4)]), "frame")
    c["ipv6_bad_version"] = (frames_stream(v6_frame(ipv6(icmp_rs, 58,
                                                         version=4),
                                                    ALL_ROUTERS)), "frame")
    hbh_over = bytes([58, 255]) + b"\x01\x04" + b"\0" * 4
    c["ipv6_ext_overrun"] = (frames_stream(
        v6_frame(ipv6(hbh_over + icmp_rs, 0), ALL_ROUTERS),
        v6_frame(ipv6(bytes([60, 0]), 0), ALL_ROUTERS),
        v6_frame(ipv6(bytes([44, 0, 0, 1]), 44), ALL_ROUTERS)), "frame")
    chain = b"".join(bytes([60, 0]) + b"\x01\x04" + b"\0" * 4
                     for _ in range(1000))
    c["ipv6_ext_chain"] = (frames_stream(v6_frame(ipv6(chain, 60),
                                                  ALL_ROUTERS)), "frame")
    c["ipv6_unknown_nh"] = (frames_stream(v6_frame(ipv6(b"x" * 40, 253),
                                                   ALL_ROUTERS),
                                          v6_frame(ipv6(b"", 59),
                                                   ALL_ROUTERS)), "frame")

    # NDP
    c["icmp6_short"] = (frames_stream(v6_frame(ipv6(b"\x85", 58),
                                               ALL_ROUTERS),
                                      v6_frame(ipv6(b"\x87\0\0\0", 58),
                                               ALL_ROUTERS)), "frame")
    c["ns_short"] = (frames_stream(ns(options=b"")[:14 + 40 + 8]), "frame")
    c["ns_opt_len0"] = (frames_stream(ns(options=b"\x01\x00" + GUEST_MAC),
                                      ns(options=b"\x0e\x00" + b"\0" * 6)),
                        "frame")
    c["ns_opt_overrun"] = (frames_stream(ns(options=b"\x01\xff" + GUEST_MAC),
                                         ns(options=b"\x01\x01")), "frame")
    c["ns_bad_hoplimit"] = (frames_stream(ns(hlim=1), ns(hlim=0)), "frame")
    c["ns_multicast_target"] = (frames_stream(ns(target=ALL_ROUTERS)),
                                "frame")
    c["rs_opt_len0"] = (frames_stream(rs(options=b"\x01\x00" + GUEST_MAC),
                                      rs(options=b"\x00\x00\x00\x00")),
                        "frame")
    c["rs_opt_overrun"] = (frames_stream(rs(options=b"\x01\xff" + GUEST_MAC),
                                         rs(options=b"\x01")), "frame")
    c["rs_bad_hoplimit"] = (frames_stream(rs(hlim=1)), "frame")
    c["ndp_random"] = (frames_stream(
        *[v6_frame(ipv6(icmp6(s_random(200 + i, 60), 133 + i % 5), 58),
                   ALL_ROUTERS) for i in range(50)]), "frame")

    # DHCPv6
    sol = d6opt(1, DUID) + d6opt(3, struct.pack("!III", 1, 0, 0))
    c["dhcpv6_short"] = (frames_stream(dhcpv6_frame(b""),
                                       dhcpv6_frame(b"\x01"),
                                       dhcpv6_frame(b"\x01\0\0")), "frame")
    c["dhcpv6_opt_overrun"] = (frames_stream(
        dhcpv6_frame(dhcpv6(1, d6opt(1, DUID, length=0xFFFF))),
        dhcpv6_frame(dhcpv6(1, sol + b"\x00\x03\x00")),
        dhcpv6_frame(dhcpv6(1, sol + d6opt(6, b"\0\x17", length=200)))),
        "frame")
    c["dhcpv6_opt_len0"] = (frames_stream(
        dhcpv6_frame(dhcpv6(1, d6opt(1, b"") + d6opt(3, b""))),
        dhcpv6_frame(dhcpv6(3, d6opt(1, DUID) + d6opt(2, b"") +
                            d6opt(3, b"")))), "frame")
    c["dhcpv6_iana_nested"] = (frames_stream(
        dhcpv6_frame(dhcpv6(3, d6opt(1, DUID) + d6opt(3, struct.pack(
            "!III", 1, 0, 0) + d6opt(5, b"\0" * 8, length=0xFFF0)))),
        dhcpv6_frame(dhcpv6(3, d6opt(1, DUID) + d6opt(3, struct.pack(
            "!III", 1, 0, 0) + d6opt(5, b"", length=0)))),
        dhcpv6_frame(dhcpv6(1, d6opt(1, DUID) +
                            d6opt(3, b"\0\0\0\1", length=12)))), "frame")
    c["dhcpv6_no_clientid"] = (frames_stream(
        dhcpv6_frame(dhcpv6(1, d6opt(3, struct.pack("!III", 1, 0, 0)))),
        dhcpv6_frame(dhcpv6(11, b""))), "frame")
    c["dhcpv6_bad_types"] = (frames_stream(
        *[dhcpv6_frame(dhcpv6(t, sol)) for t in (0, 2, 7, 10, 12, 13, 255)]),
        "frame")
    c["dhcpv6_wrong_server"] = (frames_stream(dhcpv6_frame(dhcpv6(
        3, sol + d6opt(2, struct.pack("!HH", 3, 1) + b"\x02\0\0\0\0\x99")))),
        "frame")
    c["dhcpv6_many_options"] = (frames_stream(dhcpv6_frame(dhcpv6(
        1, sol + d6opt(8, b"\0\0") * 4000))), "frame")
    c["dhcpv6_udp_length"] = (frames_stream(
        dhcpv6_frame(dhcpv6(1, sol), udp_length=4000),
        dhcpv6_frame(dhcpv6(1, sol), udp_length=3)), "frame")
    c["dhcpv6_random"] = (frames_stream(
        *[dhcpv6_frame(bytes([1 + i % 11]) + s_random(300 + i, 100))
          for i in range(50)]), "frame")
    return c


def probes():
    """Name -> (frame, reply kind, transaction id) of the probes that show
    passt still answers"""
    return {
        "dhcp": (dhcp_discover(), "dhcp_offer", PROBE_XID),
        "rs": (rs(), "ra", None),
        "ns": (ns(), "na", None),
        "dhcpv6": (dhcpv6_solicit(), "dhcpv6_advertise", PROBE_XID6),
        "arp": (arp_request(), "arp_reply", None),
    }


# --- Parsing replies


def split_stream(data):
    """Frames of a length-prefixed stream; a trailing partial frame is
    ignored"""
    out = []
    off = 0
    while off + 4 <= len(data):
        (n,) = struct.unpack("!I", data[off:off + 4])
        if off + 4 + n > len(data):
            break
        out.append(data[off + 4:off + 4 + n])
        off += 4 + n
    return out


def dhcp_options(opts):
    res = {}
    i = 0
    while i < len(opts):
        code = opts[i]
        if code == 255:
            break
        if code == 0:
            i += 1
            continue
        if i + 1 >= len(opts):
            break
        n = opts[i + 1]
        res.setdefault(code, b"")
        res[code] += opts[i + 2:i + 2 + n]
        i += 2 + n
    return res


def describe(f):
    """Dictionary describing one frame, enough to recognise replies"""
    d = {"len": len(f)}
    if len(f) < 14:
        return d
    et = struct.unpack("!H", f[12:14])[0]
    d["ethertype"] = et
    p = f[14:]
    if et == 0x0806 and len(p) >= 28:
        d["kind"] = "arp_reply" if p[7] == 2 else "arp"
        d["arp_sender"] = ".".join(map(str, p[14:18]))
        d["arp_mac"] = p[8:14].hex(":")
    elif et == 0x0800 and len(p) >= 20:
        ihl = (p[0] & 0xF) * 4
        proto = p[9]
        d["src"] = ".".join(map(str, p[12:16]))
        d["dst"] = ".".join(map(str, p[16:20]))
        if proto == 17 and len(p) >= ihl + 8:
            sport, dport = struct.unpack("!HH", p[ihl:ihl + 4])
            u = p[ihl + 8:]
            if sport == 67 and len(u) >= 240 and u[0] == 2:
                opts = dhcp_options(u[240:])
                t = opts.get(53, b"\0")[0]
                d["kind"] = {2: "dhcp_offer", 5: "dhcp_ack",
                             6: "dhcp_nak"}.get(t, "dhcp_%d" % t)
                d["xid"] = struct.unpack("!I", u[4:8])[0]
                d["yiaddr"] = ".".join(map(str, u[16:20]))
                d["options"] = opts
    elif et == 0x86DD and len(p) >= 40:
        nh = p[6]
        u = p[40:]
        d["src"] = socket.inet_ntop(socket.AF_INET6, p[8:24])
        d["dst"] = socket.inet_ntop(socket.AF_INET6, p[24:40])
        if nh == 58 and len(u) >= 4:
            d["kind"] = {134: "ra", 136: "na", 135: "ns",
                         133: "rs"}.get(u[0], "icmp6_%d" % u[0])
            if u[0] == 134 and len(u) >= 16:
                d["ra"] = parse_ra(u)
        elif nh == 17 and len(u) >= 12:
            sport, dport = struct.unpack("!HH", u[:4])
            m = u[8:]
            if sport == 547:
                d["kind"] = {2: "dhcpv6_advertise",
                             7: "dhcpv6_reply"}.get(m[0], "dhcpv6_%d" % m[0])
                d["xid"] = struct.unpack("!I", b"\0" + m[1:4])[0]
    return d


def dns_names(data):
    """Domain names in DNS wire format (no compression), as a list"""
    names = []
    label = []
    i = 0
    while i < len(data):
        n = data[i]
        if n == 0:
            if label:
                names.append(".".join(label))
            label = []
            i += 1
            continue
        label.append(data[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    return names


def parse_ra(u):
    """Router advertisement fields and options, as a dictionary of
    strings"""
    r = {"hop_limit": str(u[4]), "managed": str(u[5] >> 7),
         "other": str((u[5] >> 6) & 1),
         "lifetime": str(struct.unpack("!H", u[6:8])[0])}
    opts = u[16:]
    i = 0
    while i + 2 <= len(opts):
        t, n = opts[i], opts[i + 1] * 8
        if n == 0:
            break
        o = opts[i:i + n]
        if t == 1 and len(o) >= 8:
            r["slla"] = o[2:8].hex(":")
        elif t == 3 and len(o) >= 32:
            r["prefix"] = "%s/%d" % (socket.inet_ntop(socket.AF_INET6,
                                                      o[16:32]), o[2])
            r["prefix_flags_la"] = "%d%d" % (o[3] >> 7, (o[3] >> 6) & 1)
            r["prefix_valid"] = str(struct.unpack("!I", o[4:8])[0])
        elif t == 5 and len(o) >= 8:
            r["mtu"] = str(struct.unpack("!I", o[4:8])[0])
        elif t == 25 and len(o) >= 24:
            addrs = [socket.inet_ntop(socket.AF_INET6, o[j:j + 16])
                     for j in range(8, len(o) - 15, 16)]
            r["rdnss"] = ",".join(addrs)
        elif t == 31 and len(o) >= 16:
            r["dnssl"] = ",".join(dns_names(o[8:]))
        i += n
    return r


def capture(ifname, seconds, kind=None):
    """Write frames seen on an interface to stdout, length-prefixed"""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((ifname, 0))
    out = sys.stdout.buffer
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], left)
        if not r:
            continue
        f = s.recv(FRAME_MAX)
        out.write(prefix(f))
        out.flush()
        if kind and describe(f).get("kind") == kind:
            break
    return 0


def session(path, case, probe, seconds):
    """Send a hostile stream and a probe on one connection, wait for the
    probe's reply"""
    data = b"" if case == "none" else hostile_cases()[case][0]
    frame, kind, xid = probes()[probe]
    data += prefix(frame)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(seconds)
    try:
        s.connect(path)
    except OSError as e:
        sys.stderr.write("session: connect: %s\n" % e)
        return 3
    s.setblocking(False)
    end = time.monotonic() + seconds
    got = b""
    off = 0
    try:
        while True:
            left = end - time.monotonic()
            if left <= 0:
                sys.stderr.write("session: no %s reply, %d/%d bytes "
                                 "sent\n" % (kind, off, len(data)))
                return 1
            w = [s] if off < len(data) else []
            r, w, _ = select.select([s], w, [], left)
            if w:
                try:
                    off += s.send(data[off:off + 65536])
                except BlockingIOError:
                    pass
            if r:
                chunk = s.recv(1 << 20)
                if not chunk:
                    sys.stderr.write("session: closed by passt after "
                                     "%d/%d bytes\n" % (off, len(data)))
                    return 2
                got += chunk
                for f in split_stream(got):
                    d = describe(f)
                    if d.get("kind") == kind and \
                       (xid is None or d.get("xid") == xid):
                        return 0
    except (ConnectionResetError, BrokenPipeError) as e:
        sys.stderr.write("session: %s after %d/%d bytes\n" %
                         (e.strerror, off, len(data)))
        return 2
    finally:
        s.close()


def pieces(path, seconds):
    """Send the probes as a stream cut at awkward places, with pauses so
    that each piece is read on its own; wait for every reply"""
    pr = probes()
    order = ["dhcp", "ns", "dhcpv6", "arp"]
    frames = [prefix(pr[k][0]) for k in order]
    data = b"".join(frames)
    a, b, c = len(frames[0]), len(frames[1]), len(frames[2])
    # 1 and 3 bytes of the first prefix, then into the first frame, then
    # the rest of it with 2 bytes of the second prefix, then the rest of
    # the second frame, the whole third one and 5 bytes of the fourth
    cuts = [1, 3, 24, a + 2, a + b + c + 5, len(data)]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(seconds)
    try:
        s.connect(path)
        off = 0
        for cut in cuts:
            s.sendall(data[off:cut])
            off = cut
            time.sleep(0.15)
        want = {pr[k][1]: pr[k][2] for k in order}
        got = b""
        end = time.monotonic() + seconds
        while want and time.monotonic() < end:
            r, _, _ = select.select([s], [], [], end - time.monotonic())
            if not r:
                break
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            got += chunk
            for f in split_stream(got):
                d = describe(f)
                k = d.get("kind")
                if k in want and (want[k] is None or d.get("xid") == want[k]):
                    del want[k]
    except OSError as e:
        sys.stderr.write("pieces: %s\n" % e)
        return 1
    finally:
        s.close()
    if want:
        sys.stderr.write("pieces: no reply of kind %s\n" %
                         " ".join(sorted(want)))
        return 1
    return 0


# --- Command line


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__ if __doc__ else "see the file comment\n")
        return 1
    cmd = argv[1]
    out = sys.stdout.buffer
    if cmd == "list":
        for k, (_, level) in hostile_cases().items():
            print(k, level)
        return 0
    if cmd == "probes":
        for k in probes():
            print(k)
        return 0
    if cmd == "gen":
        cases = hostile_cases()
        pr = probes()
        for name in argv[2:]:
            if name in cases:
                out.write(cases[name][0])
            elif name.startswith("probe_") and name[6:] in pr:
                out.write(prefix(pr[name[6:]][0]))
            elif name == "dhcp_request":
                out.write(prefix(dhcp_request()))
            elif name == "dhcp_request_wrong":
                out.write(prefix(dhcp_request(addr=bytes([192, 0, 2, 99]))))
            else:
                sys.stderr.write("frames.py: unknown stream %s\n" % name)
                return 1
        out.flush()
        return 0
    if cmd == "expect":
        kind = argv[2]
        xid = None
        if len(argv) > 4 and argv[3] == "--xid":
            xid = int(argv[4], 0)
        elif kind.startswith("probe_"):
            _, kind, xid = probes()[kind[6:]]
        data = sys.stdin.buffer.read()
        for f in split_stream(data):
            d = describe(f)
            if d.get("kind") != kind:
                continue
            if xid is not None and d.get("xid") != xid:
                continue
            return 0
        return 1
    if cmd == "session":
        return session(argv[2], argv[3], argv[4],
                       float(argv[5]) if len(argv) > 5 else 3.0)
    if cmd == "pieces":
        return pieces(argv[2], float(argv[3]) if len(argv) > 3 else 5.0)
    if cmd == "capture":
        return capture(argv[2], float(argv[3]),
                       argv[4] if len(argv) > 4 else None)
    if cmd == "ra":
        for f in split_stream(sys.stdin.buffer.read()):
            d = describe(f)
            if d.get("kind") == "ra":
                print("src=%s" % d.get("src"))
                for k, v in d["ra"].items():
                    print("%s=%s" % (k, v))
                return 0
        return 1
    if cmd == "dump":
        data = sys.stdin.buffer.read()
        for f in split_stream(data):
            d = describe(f)
            if "options" in d:
                d["options"] = {k: v.hex() for k, v in d["options"].items()}
            print(d)
        return 0
    sys.stderr.write("frames.py: unknown command %s\n" % cmd)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
