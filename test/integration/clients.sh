#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/clients.sh - The command lines that our users' tools
# pass, verbatim, accepted and working, without the tools themselves:
#
# - libvirt: passt --one-off --socket --pid --mtu --interface --log-file
#   --hostname --fqdn --address --netmask --tcp-ports --udp-ports, ready
#   (socket listening, pid file written) when the starting process exits 0,
#   a guest served, exit when it leaves; a socket path that can't be used
#   fails with status 1 and no pid file;
# - podman: pasta --config-net --pid ... --dns-forward 169.254.1.1 -t none
#   -u none -T none -U none --no-map-gw --quiet --netns PATH
#   --map-guest-addr 169.254.1.2 (and the same with port options): the
#   namespace is configured on return, DNS through 169.254.1.1 reaches the
#   host's resolver, 169.254.1.2 reaches the host; unknown options fail with
#   getopt's message and status 1 (podman retries without them); a missing
#   namespace fails with status 1;
# - rootlesskit: the probe "pasta --host-lo-to-ns-lo --version", then
#   --stderr --ns-ifname --mtu --config-net --netns --userns (--opt=value);
# - -F/--fd: passt on an inherited connected socket (one-off), pasta on an
#   inherited tap device;
# - --log-file and --log-size: messages in the file, size bounded;
# - qrap's argument plumbing, with a stand-in for qemu.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

CASES="libvirt_ready libvirt_pidfile libvirt_logfile libvirt_lease
libvirt_one_off libvirt_bad_socket libvirt_tcp_port_busy podman_ready podman_addresses
podman_pidfile podman_dns podman_guest_addr podman_ports podman_unknown
podman_missing_netns rootlesskit_probe rootlesskit_ready
rootlesskit_config fd_passt_lease fd_passt_one_off fd_pasta_tap
log_size_bound qrap_append qrap_replace qrap_json qrap_unchanged
qrap_no_passt"

HAVE_BB=1; HAVE_PY=1
need_pkg busybox busybox:udhcpc || HAVE_BB=0
need_pkg python3 python3 || HAVE_PY=0
if [ -z "${PASST_TEST_SANDBOX:-}" ]; then
	build_helpers
	for h in udptool tcptool; do
		[ -x "$REPO/test/helpers/$h" ] ||
			make -s -C "$REPO" "test/helpers/$h" >/dev/null 2>&1
	done
	[ -x "$REPO/qrap" ] || make -s -C "$REPO" qrap >/dev/null 2>&1
fi

sandbox_enter "$@"
require_binaries --helpers $CASES
if [ "$HAVE_BB$HAVE_PY" != 11 ]; then
	skip_all "busybox or python3 missing" $CASES
	exit 0
fi

UDPTOOL="$REPO/test/helpers/udptool"
TCPTOOL="$REPO/test/helpers/tcptool"
QRAP="$REPO/qrap"
T=20
ns_add guest

# --- libvirt: passt, daemonised, waited for

S=$TESTDIR/libvirt.sock
P=$TESTDIR/libvirt.pid
L=$TESTDIR/libvirt.log
timeout "$T" "$PASST" --one-off --socket "$S" --pid "$P" --mtu 1500 \
	--interface veth0 --log-file "$L" --hostname vm1 \
	--fqdn vm1.example.org --address 192.0.2.1 --netmask 24 \
	--tcp-ports 2222:22 --udp-ports 5353 >"$TESTDIR/libvirt.out" 2>&1
rc=$?
sock_now=0; [ -S "$S" ] && sock_now=1
check libvirt_ready "status $rc, socket $sock_now: $(log_tail "$TESTDIR/libvirt.out")" \
	test "$rc" = 0 -a "$sock_now" = 1
LV_PID=""
track_pidfile "$P" && LV_PID=$BG_PID
check libvirt_pidfile "pid file doesn't name a running passt" pid_alive "$LV_PID"
check libvirt_logfile "log file: $(log_tail "$L")" \
	grep -q "UNIX domain socket bound at $S" "$L"

if relay_start guest "$S" eth0; then
	in_ns guest bash "$CLIENTS" udhcpc eth0 "$TESTDIR/lv-udhcpc"
	check_lease libvirt_lease "$TESTDIR/lv-udhcpc" ip=192.0.2.1 \
		subnet=255.255.255.0 router=$SANDBOX_GW4 mtu=1500
	relay_stop
else
	fail libvirt_lease "relay can't connect"
fi
check libvirt_one_off "passt still running after the guest left" \
	wait_for 5 eval '! pid_alive "$LV_PID"'

rm -f "$TESTDIR/bad.pid"
timeout "$T" "$PASST" --one-off --socket /nonexistent/dir/passt.sock \
	--pid "$TESTDIR/bad.pid" >"$TESTDIR/bad.out" 2>&1
rc=$?
check libvirt_bad_socket "status $rc, pid file $(ls "$TESTDIR/bad.pid" 2>&1), output: $(cat "$TESTDIR/bad.out")" \
	test "$rc" = 1 -a ! -e "$TESTDIR/bad.pid" -a \
	"$(wc -l <"$TESTDIR/bad.out")" = 1

# A forwarded TCP port asked for by number that can't be bound: like UDP,
# passt fails (libvirt then reports the message and doesn't start the VM)
bg_start "$TESTDIR/busy.log" "$TCPTOOL" server 0.0.0.0 2223
BUSY_PID=$BG_PID
sleep 0.3
rm -f "$TESTDIR/busy.pid"
timeout "$T" "$PASST" --one-off --socket "$TESTDIR/busy.sock" \
	--pid "$TESTDIR/busy.pid" -4 --tcp-ports 2223 \
	>"$TESTDIR/busy.out" 2>&1
rc=$?
check libvirt_tcp_port_busy "status $rc, pid file $(ls "$TESTDIR/busy.pid" 2>&1), output: $(cat "$TESTDIR/busy.out")" \
	test "$rc" = 1 -a ! -e "$TESTDIR/busy.pid" -a \
	"$(grep -c "^-t: can't bind TCP port 2223" "$TESTDIR/busy.out")" = 1
kill_pid "$BUSY_PID"

# --- podman: pasta for a container's namespace

ns_add ctr
in_remote ip addr add "$SANDBOX_DNS4/32" dev lo
bg_start "$TESTDIR/dns.log" ip netns exec remote "$UDPTOOL" dns \
	"$SANDBOX_DNS4" 53 203.0.113.7 2001:db8::7
bg_start "$TESTDIR/host-tcp.log" "$TCPTOOL" server "$SANDBOX_ADDR4" 8099
sleep 0.3

PP=$TESTDIR/podman.pid
timeout "$T" "$PASTA" --config-net --pid "$PP" --dns-forward 169.254.1.1 \
	-t none -u none -T none -U none --no-map-gw --quiet \
	--netns /run/netns/ctr --map-guest-addr 169.254.1.2 \
	>"$TESTDIR/podman.out" 2>&1
rc=$?
addrs=$(in_ns ctr ip -o -4 addr show scope global | awk '{ print $2, $4 }')
check podman_ready "status $rc: $(log_tail "$TESTDIR/podman.out")" \
	test "$rc" = 0 -a ! -s "$TESTDIR/podman.out"
check podman_addresses "addresses right after exit: '$addrs'" \
	test "$addrs" = "veth0 192.0.2.1/24"
PD_PID=""
track_pidfile "$PP" && PD_PID=$BG_PID
check podman_pidfile "pid file doesn't name a running pasta" pid_alive "$PD_PID"
got=$(in_ns ctr timeout 5 "$UDPTOOL" query 169.254.1.1 53 host.example 2>&1)
check podman_dns "query through 169.254.1.1: '$got'" \
	test "$(echo "$got" | tr ' ' '\n' | grep -c 203.0.113.7)" -ge 1
in_ns ctr timeout 10 "$TCPTOOL" client -u 1000 -d 1000 169.254.1.2 8099 \
	>"$TESTDIR/guest-addr.log" 2>&1
check podman_guest_addr "169.254.1.2:8099 (host's 192.0.2.1): $(log_tail "$TESTDIR/guest-addr.log")" \
	test $? = 0
[ -n "$PD_PID" ] && { kill_pid "$PD_PID"; untrack_pid "$PD_PID"; }
wait_for 5 eval '! in_ns ctr ip link show veth0 >/dev/null 2>&1'

timeout "$T" "$PASTA" --config-net --pid "$PP" -t 8081-8082:81-82 \
	-u 5354 --dns-forward 169.254.1.1 -T none -U none --no-map-gw \
	--quiet --netns /run/netns/ctr --map-guest-addr 169.254.1.2 \
	>"$TESTDIR/podman2.out" 2>&1
rc=$?
PD_PID=""
track_pidfile "$PP" && PD_PID=$BG_PID
check podman_ports "status $rc, listening: $(ss -ltn | grep -c ':808[12] ')" \
	test "$rc" = 0 -a "$(ss -ltn | grep -c ':808[12] ')" -ge 2
[ -n "$PD_PID" ] && { kill_pid "$PD_PID"; untrack_pid "$PD_PID"; }

timeout "$T" "$PASTA" --config-net --no-such-option-podman-retries \
	--netns /run/netns/ctr >"$TESTDIR/unknown.out" 2>&1
rc=$?
check podman_unknown "status $rc: $(cat "$TESTDIR/unknown.out")" \
	test "$rc" = 1 -a -n "$(grep "unrecognized option '--no-such-option-podman-retries'" "$TESTDIR/unknown.out")"

timeout "$T" "$PASTA" --config-net --quiet --netns /run/netns/missing \
	>"$TESTDIR/missing.out" 2>&1
rc=$?
check podman_missing_netns "status $rc: $(cat "$TESTDIR/missing.out")" \
	test "$rc" = 1 -a "$(wc -l <"$TESTDIR/missing.out")" = 1

# --- rootlesskit: probe, then its options on a child's namespaces

out=$(timeout "$T" "$PASTA" --host-lo-to-ns-lo --version 2>&1)
rc=$?
check rootlesskit_probe "status $rc: $out" \
	test "$rc" = 0 -a "${out%% *}" = pasta

bg_start "$TESTDIR/rk-child.log" unshare --user --map-root-user --net \
	sleep 120
RK_CHILD=$BG_PID
wait_for 5 eval '[ "$(readlink /proc/$RK_CHILD/ns/net)" != "$(readlink /proc/self/ns/net)" ]'
timeout "$T" "$PASTA" --host-lo-to-ns-lo --stderr --ns-ifname=tap0 \
	--mtu=65520 --config-net --netns="/proc/$RK_CHILD/ns/net" \
	--userns="/proc/$RK_CHILD/ns/user" --pid "$TESTDIR/rk.pid" \
	>"$TESTDIR/rk.out" 2>&1
rc=$?
track_pidfile "$TESTDIR/rk.pid"
check rootlesskit_ready "status $rc: $(log_tail "$TESTDIR/rk.out")" test "$rc" = 0
link=$(nsenter -t "$RK_CHILD" -U -n --preserve-credentials ip -o addr show tap0 2>/dev/null)
check rootlesskit_config "tap0 in the child's namespace: '$link'" \
	eval 'echo "$link" | grep -q "mtu 65520" ||
	      nsenter -t "$RK_CHILD" -U -n --preserve-credentials \
		ip link show tap0 | grep -q "mtu 65520"'
kill_pid "$RK_CHILD"; untrack_pid "$RK_CHILD"

# --- -F/--fd: passt on a connected socket, pasta on a tap device

FS=$TESTDIR/fd.sock
rm -f "$FS"
bg_start "$TESTDIR/fd-passt.log" "$PYTHON" -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[2]); s.listen(1)
c, _ = s.accept(); s.close()
os.set_inheritable(c.fileno(), True)
os.execv(sys.argv[1], [sys.argv[1], "-f", "-F", str(c.fileno())])
' "$PASST" "$FS"
FD_PID=$BG_PID
wait_for 5 test -S "$FS"
if relay_start guest "$FS" eth1; then
	in_ns guest bash "$CLIENTS" udhcpc eth1 "$TESTDIR/fd-udhcpc"
	check_lease fd_passt_lease "$TESTDIR/fd-udhcpc" ip=192.0.2.1 \
		router=$SANDBOX_GW4 || note "$(log_tail "$TESTDIR/fd-passt.log")"
	relay_stop
else
	fail fd_passt_lease "relay can't connect: $(log_tail "$TESTDIR/fd-passt.log")"
fi
check fd_passt_one_off "passt -F still running after the guest left" \
	wait_for 5 eval '! pid_alive "$FD_PID"'

ns_add tapns
bg_start "$TESTDIR/fd-pasta.log" "$PYTHON" -c '
import ctypes, fcntl, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
home = os.open("/proc/self/ns/net", os.O_RDONLY)
libc.setns(os.open("/run/netns/tapns", os.O_RDONLY), 0x40000000)
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", b"tapfd", 0x0002 | 0x1000))
libc.setns(home, 0x40000000)
os.set_inheritable(fd, True)
os.execv(sys.argv[1], [sys.argv[1], "-f", "--config-net", "-F", str(fd),
		       "--netns", "/run/netns/tapns"])
' "$PASTA"
FDP_PID=$BG_PID
check fd_pasta_tap "tapfd not configured: $(log_tail "$TESTDIR/fd-pasta.log")" \
	wait_for 10 eval 'in_ns tapns ip -o -4 addr show tapfd 2>/dev/null |
			  grep -q 192.0.2.1/24'
kill_pid "$FDP_PID"; untrack_pid "$FDP_PID"

# --- --log-size: the file never grows beyond the size

LS=$TESTDIR/size.sock
passt_start "$LS" --trace -l "$TESTDIR/size.log" --log-size 4096 ||
	fail log_size_bound "passt doesn't start: $(log_tail "$LS.log")"
if relay_start guest "$LS" eth2; then
	for i in 1 2 3; do
		in_ns guest bash "$CLIENTS" udhcpc eth2 "$TESTDIR/size-udhcpc"
	done
	relay_stop
fi
passt_stop
size=$(stat -c %s "$TESTDIR/size.log" 2>/dev/null)
check log_size_bound "size $size, ends: $(tail -c 100 "$TESTDIR/size.log" | tr '\n' '|')" \
	eval '[ "${size:-0}" -gt 1000 ] && [ "$size" -le 4096 ] &&
	      [ "$(tail -c 1 "$TESTDIR/size.log" | od -An -c | tr -d " ")" = "\n" ] &&
	      grep -q "^[0-9]*\.[0-9]*: " "$TESTDIR/size.log"'

# --- qrap: arguments given to qemu, with a stand-in that prints them

QS=$TESTDIR/qrap.sock
passt_start "$QS" || fail qrap_append "passt doesn't start"
FAKE=$TESTDIR/fake-qemu
cat >"$FAKE" <<'EOF'
#!/bin/sh
# Stand-in for qemu: fd 5 must be a socket; print the arguments
case "$(readlink /proc/self/fd/5)" in socket:*) ;; *) echo "no socket on 5"; exit 1 ;; esac
echo "ARGS $*"
EOF
chmod 755 "$FAKE"
qargs() {
	"$QRAP" -s "$QS" "$@" 2>/dev/null | sed -n 's/^ARGS //p'
}
check qrap_append "got '$(qargs 5 "$FAKE" -m 256)'" test \
	"$(qargs 5 "$FAKE" -m 256)" = \
	"-m 256 -netdev socket,fd=5,id=qrap0 -device virtio-net-pci,netdev=qrap0"
check qrap_replace "got '$(qargs 5 "$FAKE" -netdev user,id=n0 -device e1000,netdev=n0)'" \
	test "$(qargs 5 "$FAKE" -netdev user,id=n0 -device e1000,netdev=n0)" = \
	"-netdev socket,fd=5,id=n0 -device e1000,netdev=n0"
j='{"type":"tap","fd":"33","id":"hostnet0"}'
check qrap_json "got '$(qargs 5 "$FAKE" -netdev "$j")'" \
	test "$(qargs 5 "$FAKE" -netdev "$j")" = \
	'-netdev {"type":"socket","fd":"5","id":"hostnet0"}'
check qrap_unchanged "got '$(qargs 5 "$FAKE" -netdev socket,id=x,fd=5)'" \
	test "$(qargs 5 "$FAKE" -netdev socket,id=x,fd=5)" = \
	"-netdev socket,id=x,fd=5"
passt_stop
"$QRAP" 5 "$FAKE" >"$TESTDIR/qrap-none.out" 2>&1
rc=$?
check qrap_no_passt "status $rc: $(cat "$TESTDIR/qrap-none.out")" \
	test "$rc" = 1 -a -n "$(grep 'no passt accepts' "$TESTDIR/qrap-none.out")"

test_finish
