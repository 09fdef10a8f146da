#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/tcp_csum.sh - pasta leaves the checksums of the TCP
# segments it sends to the kernel of the namespace (virtio-net header,
# CHECKSUM_PARTIAL), IPv4 and IPv6:
#   - partial: a capture on the guest's tap device shows the segments
#     from pasta carrying only the pseudo-header sum (the kernel delivered
#     them without summing), and the download is intact;
#   - forward: the namespace routes them on to an inner namespace over a
#     veth with transmit checksumming off, so the kernel completes each
#     checksum from pasta's pseudo-header sum, and the inner namespace
#     verifies it: a download there, checked by hash, fails if the sum
#     pasta left is wrong.  The inner namespace's MTU is 1500: pasta sends
#     frames of many segments (GSO), and the kernel cuts them;
#   - gso: at a guest MTU of 1500, the capture on the tap device shows
#     frames longer than the MTU, the download is intact;
#   - tso: the other way, the namespace sends pasta frames longer than its
#     MTU of 1500, with checksums left undone: the upload is intact;
#   - pcap: with --pcap, the capture must show complete frames, so the
#     checksums are ours, and correct;
#   - fd: a tap device given with --fd is used as it was created, with a
#     virtio-net header of 12 bytes (not the default 10) or with none: a
#     download checked by hash in its namespace.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/tcp.sh"

CASES="tcp_csum_partial4 tcp_csum_partial6 tcp_csum_forward4
       tcp_csum_forward6 tcp_csum_gso4 tcp_csum_gso6 tcp_csum_tso4
       tcp_csum_tso6 tcp_csum_pcap
       tcp_csum_fd_vnet12 tcp_csum_fd_plain"
SIZE=${TCP_CSUM_SIZE:-32M}
export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-300}

HAVE_TCPDUMP=1; HAVE_ETHTOOL=1
need_pkg tcpdump tcpdump || HAVE_TCPDUMP=0
need_pkg ethtool ethtool || HAVE_ETHTOOL=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; tcp_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
tcp_build || { skip_all "test/helpers/tcptool not built" $CASES; exit 0; }

PORT=9300
INNER=inner
INNER4=203.0.113.2
INNER6=2001:db8:5::2

for a in "$SANDBOX_OUTSIDE4" "$SANDBOX_OUTSIDE6"; do
	tcp_server remote "$a" "$PORT" || die "remote server on $a"
done
RLOG4="$TESTDIR/srv-remote-${SANDBOX_OUTSIDE4//[:%]/_}-$PORT.log"
RLOG6="$TESTDIR/srv-remote-${SANDBOX_OUTSIDE6//[:%]/_}-$PORT.log"

# remote_of() - Address and server log of the remote server, for a version
# $1:	4 or 6
# Set: R, RLOG
remote_of() {
	R=$SANDBOX_OUTSIDE4; RLOG=$RLOG4
	[ "$1" = 6 ] && { R=$SANDBOX_OUTSIDE6; RLOG=$RLOG6; }
}

# tcpdump drops privileges to its own user: check it can run here
TCPDUMP_WHY=""
if [ "$HAVE_TCPDUMP" != 1 ]; then
	TCPDUMP_WHY="tcpdump not available"
elif ! tcpdump --version >/dev/null 2>&1; then
	TCPDUMP_WHY="tcpdump cannot run here"
fi

# sums_of() - Count TCP checksums tcpdump finds correct and incorrect in
# the segments from a source address
# $1:	capture file
# $2:	source address
# Print: "CORRECT INCORRECT"
sums_of() {
	local out
	out=$(tcpdump -r "$1" -nn -v "tcp and src host $2" 2>/dev/null)
	echo "$(echo "$out" | grep -c 'cksum 0x[0-9a-f]* (correct)')" \
	     "$(echo "$out" | grep -c 'cksum 0x[0-9a-f]* (incorrect')"
}

# longest_of() - Length of the longest TCP frame matching a filter
# $1:	capture file
# $2:	tcpdump filter for the frames, such as "src host ADDR"
longest_of() {
	tcpdump -r "$1" -nn -e "tcp and $2" 2>/dev/null |
		sed -n 's/.*, length \([0-9]*\): .*/\1/p' | sort -n | tail -n 1
}

# captured_xfer() - A transfer in the guest while capturing on its tap device
# $1:	capture file
# $@:	tcp_xfer's arguments, its case name first
# Return: tcp_xfer's status
captured_xfer() {
	local cap="$1" pid rc
	shift
	# -Z root: as its own user, this shell couldn't signal it (the
	# sandbox's shell holds no capabilities)
	bg_start "$cap.log" ip netns exec "$L4_GUEST" tcpdump -Z root \
		--immediate-mode -i "$GUEST_IF" -s 128 -U -w "$cap" \
		"tcp port $PORT"
	pid=$BG_PID
	wait_for 5 grep -q listening "$cap.log"
	tcp_xfer "$@" >/dev/null
	rc=$?
	sleep 0.3
	kill_pid "$pid"
	untrack_pid "$pid"
	return "$rc"
}

# partial_case() - Download in the guest while capturing on its tap device
# $1:	4 or 6
# $2:	case name
# $3:	if given, the MTU: frames must also be longer (many segments each)
partial_case() {
	local v="$1" name="$2" mtu="${3:-}" cap sums long
	[ -n "$TCPDUMP_WHY" ] && { skip "$name" "$TCPDUMP_WHY"; return; }
	remote_of "$v"
	cap="$TESTDIR/$name.pcap"
	captured_xfer "$cap" "$name: download" "$L4_GUEST" "$RLOG" 60 \
		-t 30 -d 4M "$R" "$PORT" ||
		{ fail "$name" "download failed: $XFER_OUT"; return; }
	# -s 128: tcpdump can't sum a truncated segment; count only sizes
	# it could, the handshake and the acknowledgements, and the longer
	# segments as they come (the first ones of a connection are short)
	sums=$(sums_of "$cap" "$R")
	long=$(longest_of "$cap" "src host $R")
	if [ -n "$mtu" ] && [ "${long:-0}" -le $((mtu + 14)) ]; then
		fail "$name" "no frame longer than the MTU: longest ${long:-none}"
	elif [ "${sums#* }" -gt 0 ]; then
		pass "$name"
		note "$name: segments from pasta: ${sums% *} complete sums," \
		     "${sums#* } pseudo-header sums only, longest frame $long"
	else
		fail "$name" "no segment with a pseudo-header sum only (correct, incorrect: $sums)"
	fi
}

# tso_case() - Upload from the guest at a small MTU while capturing on its
# tap device: the namespace hands pasta segments longer than the MTU (TSO)
# with checksums left undone, and pasta must still deliver them intact
# $1:	4 or 6
# $2:	MTU
tso_case() {
	local v="$1" mtu="$2" name="tcp_csum_tso$1" cap long
	[ -n "$TCPDUMP_WHY" ] && { skip "$name" "$TCPDUMP_WHY"; return; }
	remote_of "$v"
	cap="$TESTDIR/$name.pcap"
	captured_xfer "$cap" "$name: upload" "$L4_GUEST" "$RLOG" 60 -t 30 \
		-u "$SIZE" "$R" "$PORT" ||
		{ fail "$name" "upload failed: $XFER_OUT"; return; }
	long=$(longest_of "$cap" "dst host $R")
	if [ "${long:-0}" -le $((mtu + 14)) ]; then
		fail "$name" "no frame from the guest longer than the MTU: longest ${long:-none}"
	else
		pass "$name"
		note "$name: longest frame from the guest: $long"
	fi
}

# inner_up() - An inner namespace behind the guest, over a veth with
# transmit checksumming off on the guest's end
# Return: 0 if ready
inner_up() {
	ns_add "$INNER" || return 1
	in_guest ip link add gi type veth peer name ii netns "$INNER" ||
		return 1
	in_guest ip addr add 203.0.113.1/24 dev gi &&
	in_guest ip -6 addr add 2001:db8:5::1/64 dev gi nodad &&
	in_guest ip link set gi up &&
	in_guest ethtool -K gi tx off >/dev/null 2>&1 &&
	in_guest ethtool -k gi | grep -q '^tx-checksumming: off' &&
	in_guest sysctl -qw net.ipv4.ip_forward=1 &&
	in_guest sysctl -qw net.ipv6.conf.all.forwarding=1 || return 1
	ip netns exec "$INNER" ip link set lo up &&
	ip netns exec "$INNER" ip addr add "$INNER4/24" dev ii &&
	ip netns exec "$INNER" ip -6 addr add "$INNER6/64" dev ii nodad &&
	ip netns exec "$INNER" ip link set ii up &&
	ip netns exec "$INNER" ip route add default via 203.0.113.1 &&
	ip netns exec "$INNER" ip -6 route add default via 2001:db8:5::1
}

# forward_case() - Download in the inner namespace, through the guest's
# forwarding, checked by hash
# $1:	4 or 6
forward_case() {
	local v="$1" name="tcp_csum_forward$1" src=$INNER4
	[ "$HAVE_ETHTOOL" = 1 ] ||
		{ skip "$name" "ethtool not available"; return; }
	[ "$INNER_OK" = 1 ] ||
		{ fail "$name" "inner namespace not set up"; return; }
	remote_of "$v"
	[ "$v" = 6 ] && src=$INNER6
	tcp_xfer "$name" "$INNER" "$RLOG" 60 -t 30 -s "$src" -d "$SIZE" \
		"$R" "$PORT"
}

# Checksums left to the kernel
if ! L4_DEBUG=-f l4_guest_up pasta -T none -U none; then
	for c in $CASES; do
		fail "$c" "guest not usable: $(log_tail "$L4_LOG")"
	done
	exit 1
fi
partial_case 4 tcp_csum_partial4
partial_case 6 tcp_csum_partial6
INNER_OK=0
[ "$HAVE_ETHTOOL" = 1 ] && inner_up && INNER_OK=1
forward_case 4
forward_case 6
l4_alive || fail "tcp_csum_alive" "pasta died: $(log_tail "$L4_LOG")"
l4_guest_down

# At MTU 1500, frames of many segments, cut by the kernel only if forwarded
if ! L4_DEBUG=-f l4_guest_up pasta -m 1500 -T none -U none; then
	for c in tcp_csum_gso4 tcp_csum_gso6 tcp_csum_tso4 tcp_csum_tso6; do
		fail "$c" "guest not usable: $(log_tail "$L4_LOG")"
	done
else
	partial_case 4 tcp_csum_gso4 1500
	partial_case 6 tcp_csum_gso6 1500
	tso_case 4 1500
	tso_case 6 1500
	l4_guest_down
fi

# With a capture, complete checksums
if [ -n "$TCPDUMP_WHY" ]; then
	skip tcp_csum_pcap "$TCPDUMP_WHY"
elif ! L4_DEBUG=-f l4_guest_up pasta -T none -U none \
	--pcap "$TESTDIR/pasta.pcap"; then
	fail tcp_csum_pcap "guest not usable: $(log_tail "$L4_LOG")"
else
	remote_of 4
	if tcp_xfer "tcp_csum_pcap: download" "$L4_GUEST" "$RLOG" 60 -t 30 \
		-d 1M "$R" "$PORT" >/dev/null; then
		sums=$(sums_of "$TESTDIR/pasta.pcap" "$R")
		if [ "${sums% *}" -gt 0 ] && [ "${sums#* }" = 0 ]; then
			pass tcp_csum_pcap
		else
			fail tcp_csum_pcap "checksums in the capture (correct, incorrect): $sums"
		fi
	else
		fail tcp_csum_pcap "download failed: $XFER_OUT"
	fi
	l4_guest_down
fi

# fd_case() - pasta on a tap device it is given, created with or without a
# virtio-net header
# $1:	case name
# $2:	header length, 0 for no header
fd_case() {
	local name="$1" vhl="$2" pid
	ns_add tapns || { fail "$name" "namespace"; return; }
	bg_start "$TESTDIR/$name.log" "$PYTHON" -c '
import ctypes, fcntl, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
home = os.open("/proc/self/ns/net", os.O_RDONLY)
libc.setns(os.open("/run/netns/tapns", os.O_RDONLY), 0x40000000)
fd = os.open("/dev/net/tun", os.O_RDWR)
vhl = int(sys.argv[2])
flags = 0x0002 | 0x1000 | (0x4000 if vhl else 0)	# TAP, NO_PI, VNET_HDR
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", b"tapfd", flags))
if vhl:
    fcntl.ioctl(fd, 0x400454d8, struct.pack("i", vhl))	# TUNSETVNETHDRSZ
libc.setns(home, 0x40000000)
os.set_inheritable(fd, True)
os.execv(sys.argv[1], [sys.argv[1], "-f", "--config-net", "-F", str(fd),
		       "--netns", "/run/netns/tapns", "-T", "none", "-U", "none"])
' "$PASTA" "$vhl"
	pid=$BG_PID
	if ! wait_for 10 eval 'ip netns exec tapns ip -o -4 addr show tapfd \
			       2>/dev/null | grep -q 192.0.2.1/24'; then
		fail "$name" "tapfd not configured: $(log_tail "$TESTDIR/$name.log")"
	else
		remote_of 4
		tcp_xfer "$name" tapns "$RLOG" 60 -t 30 -d 8M "$R" "$PORT"
	fi
	kill_pid "$pid"; untrack_pid "$pid"
	ip netns del tapns
}

fd_case tcp_csum_fd_vnet12 12
fd_case tcp_csum_fd_plain 0

test_finish
