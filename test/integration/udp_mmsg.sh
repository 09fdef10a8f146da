#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/udp_mmsg.sh - UDP sockets are only read with recvmmsg()
# and written with sendmmsg(), on every path, in both modes: pasta and
# passt run under strace while datagrams go from the guest to the remote
# namespace (and back), to the --dns-forward address, from the remote
# namespace to a -u port (and back), and, in pasta, from the host's loopback
# to a -u port and from the namespace's loopback to a -U port (the bypass,
# both ways).  Every UDP socket is followed from socket() to close(): no
# read, write, send, recv, sendto, recvfrom, sendmsg, recvmsg, readv or
# writev may name one, and both batch calls must have been used.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"

MODES="pasta passt"
CASES=""
for m in $MODES; do
	for c in traffic only_mmsg used_mmsg; do
		CASES="$CASES udp_mmsg_${m}_$c"
	done
done

HAVE=1
need_pkg strace strace || HAVE=0
need_pkg python3 python3 || HAVE=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && { build_helpers; l4_build; }

sandbox_enter "$@"
require_binaries --helpers $CASES
if [ "$HAVE" != 1 ] || ! l4_build; then
	skip_all "strace, python3 or udptool missing" $CASES
	exit 0
fi

R4=$SANDBOX_OUTSIDE4
R6=$SANDBOX_OUTSIDE6
A4=$SANDBOX_ADDR4
A6=$SANDBOX_ADDR6
DNS_FWD4=203.0.113.53

in_remote ip addr add "$SANDBOX_DNS4/32" dev lo
for a in "$R4" "$R6"; do
	bg_start "$TESTDIR/echo-$a.log" ip netns exec remote "$UDPTOOL" echo \
		"$a" 7777
done
bg_start "$TESTDIR/dns.log" ip netns exec remote "$UDPTOOL" dns \
	"$SANDBOX_DNS4" 53 203.0.113.7 2001:db8:7::7
bg_start "$TESTDIR/echo-lo.log" "$UDPTOOL" echo 127.0.0.1 5005

# strace wrappers: the program's own name is kept (pasta or passt), and a
# SIGTERM to strace reaches the program too
for m in $MODES; do
	bin=$PASST; [ "$m" = pasta ] && bin=$PASTA
	cat >"$TESTDIR/strace-$m" <<EOF
#!/bin/sh
exec strace -f -qq -e verbose=none -o "$TESTDIR/strace-$m.out" \\
	-e trace=socket,close,read,write,readv,writev,sendto,recvfrom,sendmsg,recvmsg,sendmmsg,recvmmsg \\
	"$bin" "\$@"
EOF
	chmod +x "$TESTDIR/strace-$m"
done

cat >"$TESTDIR/scan.py" <<'EOF'
# scan.py STRACE_OUT: follow UDP sockets, print "bad=N mmsg_send=N
# mmsg_recv=N" and up to 5 offending lines
import re, sys

call = re.compile(r"^\s*(\d+\s+)?(\w+)\((\d+)?(.*)\)\s+=\s+(-?\d+)")
udp, bad, snd, rcv, lines = set(), 0, 0, 0, []
plain = {"read", "write", "readv", "writev", "sendto", "recvfrom",
         "sendmsg", "recvmsg"}
for line in open(sys.argv[1]):
    m = call.match(line)
    if not m:
        continue
    name, fd, rest, ret = m.group(2), m.group(3), m.group(4), int(m.group(5))
    if name == "socket":
        if ret >= 0 and "SOCK_DGRAM" in line and \
           ("IPPROTO_UDP" in line or "IPPROTO_IP)" in line) and \
           ("AF_INET," in line or "AF_INET6," in line):
            udp.add(ret)
        else:
            udp.discard(ret)
        continue
    if fd is None:
        continue
    fd = int(fd)
    if name == "close":
        udp.discard(fd)
    elif fd in udp and name in plain:
        bad += 1
        lines.append(line.strip())
    elif fd in udp and name == "sendmmsg":
        snd += 1
    elif fd in udp and name == "recvmmsg":
        rcv += 1
print("bad=%d mmsg_send=%d mmsg_recv=%d" % (bad, snd, rcv))
for l in lines[:5]:
    print("# " + l[:200])
EOF

# traced_stop() - End the program strace runs, then strace (l4_guest_down):
# strace 6.1 doesn't always pass SIGTERM on
traced_stop() {
	local p
	for p in $(cat /proc/"$L4_PID"/task/*/children 2>/dev/null); do
		kill_pid "$p"
	done
	l4_guest_down
}

# traffic() - Datagrams on every path of a mode
# $1:	pasta or passt
# Return: 0 if every exchange worked
traffic() {
	local m="$1" rc=0
	in_guest timeout 20 "$UDPTOOL" send -c 50 "$R4" 7777 >/dev/null || rc=1
	in_guest timeout 20 "$UDPTOOL" send -c 50 "$R6" 7777 >/dev/null || rc=1
	in_guest timeout 20 "$UDPTOOL" query "$DNS_FWD4" 53 www.example.org \
		>/dev/null || rc=1
	ip netns exec remote timeout 20 "$UDPTOOL" send -c 50 -s "$R4" \
		"$A4" 5001 >/dev/null || rc=1
	ip netns exec remote timeout 20 "$UDPTOOL" send -c 50 -s "$R6" \
		"$A6" 5001 >/dev/null || rc=1
	if [ "$m" = pasta ]; then
		timeout 20 "$UDPTOOL" send -c 50 127.0.0.1 5001 >/dev/null || rc=1
		timeout 20 "$UDPTOOL" send -c 50 ::1 5001 >/dev/null || rc=1
		in_guest timeout 20 "$UDPTOOL" send -c 50 127.0.0.1 5005 \
			>/dev/null || rc=1
	fi
	return $rc
}

for m in $MODES; do
	opts="-u 5001 --dns-forward $DNS_FWD4"
	[ "$m" = pasta ] && opts="$opts -U 5005"
	# shellcheck disable=SC2086
	if [ "$m" = pasta ]; then
		L4_PASTA="$TESTDIR/strace-pasta" l4_guest_up pasta $opts
	else
		PASST="$TESTDIR/strace-passt" l4_guest_up passt $opts
	fi
	rc=$?
	if [ "$rc" -ne 0 ]; then
		for c in traffic only_mmsg used_mmsg; do
			fail "udp_mmsg_${m}_$c" "guest not usable: $(log_tail "$L4_LOG")"
		done
		traced_stop
		continue
	fi
	pids=""
	for a in 0.0.0.0 ::; do
		bg_start "$TESTDIR/gecho-$m-$a.log" \
			ip netns exec "$L4_GUEST" "$UDPTOOL" echo "$a" 5001
		pids="$pids $BG_PID"
	done
	sleep 0.5
	check "udp_mmsg_${m}_traffic" "an exchange failed" traffic "$m"
	for p in $pids; do
		kill_pid "$p"
		untrack_pid "$p"
	done
	traced_stop

	out=$(python3 "$TESTDIR/scan.py" "$TESTDIR/strace-$m.out")
	note "udp_mmsg_$m: $(echo "$out" | head -n 1)"
	check "udp_mmsg_${m}_only_mmsg" "$(echo "$out" | tr '\n' ' ')" \
		eval 'echo "$out" | grep -q "^bad=0 "'
	check "udp_mmsg_${m}_used_mmsg" "$(echo "$out" | head -n 1)" \
		eval 'echo "$out" | grep -q "mmsg_send=[1-9].* mmsg_recv=[1-9]"'
done

test_finish
