#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/libvirt.sh - Debian's libvirt starts a domain whose
# interface is <interface type='user'><backend type='passt'/>, and runs our
# passt for it: libvirt's session daemon (qemu:///session) runs as an
# unprivileged user of the sandbox, with a directory holding a "passt" that
# logs its arguments and execs ours first in its PATH.  The domain is the
# guest of qemu.sh (Debian's kernel, a busybox initramfs, TCG).  Checked:
# the passt libvirt started is ours, with libvirt's options (--one-off
# --socket --pid --interface --log-file --address --netmask --tcp-ports
# --udp-ports, printed); its log file; the UDP ports it listens on for a
# portForward with an address, a translated range and an exclusion; the
# guest's lease (the address given in <ip>), SLAAC, ping, fetches from the
# remote namespace (sha256 compared) and its port 80 forwarded from the
# host's 8080 (v4, v6); a second domain whose passt can't bind its UDP port
# isn't started, with passt's message in libvirt's error, and leaves no
# passt behind; "virsh destroy" ends our passt.
#
# Debian 12's own libvirt (9.0.0) has passt support disabled by a Debian
# patch and rejects the domain; test/lib/libvirt.sh then uses the libvirt
# of bookworm-backports (11.3.0), unpacked into a cache and mounted over the
# installed one in the sandbox only.  Needs qemu, a kernel, busybox and
# libvirt (installed when allowed, else SKIP).

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/vm.sh"
. "$(dirname "$0")/../lib/libvirt.sh"

export PASST_TEST_TIMEOUT=${PASST_TEST_TIMEOUT:-300}

CHECKS="boot dhcp4 slaac ping4 ping6 fetch4 fetch6 fwd4 fwd6"
CASES="libvirt_create libvirt_passt_ours libvirt_logfile libvirt_udp_ports"
for c in $CHECKS; do CASES="$CASES libvirt_$c"; done
CASES="$CASES libvirt_passt_fails libvirt_destroy"

HAVE_VM=1
vm_need || HAVE_VM=0
HAVE_LV=1
[ "$HAVE_VM" = 1 ] && { lv_need || HAVE_LV=0; }

sandbox_enter "$@"
require_binaries $CASES
if [ "$HAVE_VM" != 1 ]; then
	skip_all "$VM_WHY" $CASES
	exit 0
fi
if [ "$HAVE_LV" != 1 ]; then
	skip_all "$LV_WHY" $CASES
	exit 0
fi
if [ "$PASST_TEST_SANDBOX" != map ]; then
	skip_all "libvirt's session daemon runs as a user of the sandbox: needs IDs 0-65535 mapped (run as root)" $CASES
	exit 0
fi

# --- Which libvirt: the system's, or the backports' if the system's
# rejects the passt back-end

LV_VERSION=$(virsh --version 2>/dev/null)
if ! lv_probe; then
	note "the system's libvirt $LV_VERSION rejects the passt back-end: $LV_ERR"
	SYS_ERR=$LV_ERR
	[ "$LV_SUITE" = bookworm-backports ] &&
		SYS_ERR="$SYS_ERR (Debian 12 builds libvirt with passt support disabled)"
	if ! lv_overlay; then
		skip_all "libvirt $LV_VERSION rejects <backend type='passt'/>: $SYS_ERR; no libvirt from ${LV_SUITE:-backports} in $LV_CACHE (fetched there when run as root)" $CASES
		exit 0
	fi
	LV_VERSION=$(virsh --version 2>/dev/null)
	if ! lv_probe; then
		skip_all "libvirt $LV_VERSION from $LV_SUITE rejects <backend type='passt'/> too: $LV_ERR" $CASES
		exit 0
	fi
	note "using libvirt $LV_VERSION from $LV_SUITE ($(lv_bpo_root)), mounted over the system's in the sandbox"
fi

T=${VM_TIMEOUT:-150}
MAC=52:54:00:12:34:56
GUEST4=192.0.2.10
LV_HOME=$TESTDIR/lv
RUN=$LV_HOME/run
mkdir -p "$LV_HOME/bin" "$LV_HOME/vm" "$LV_HOME/config/libvirt" \
	"$LV_HOME/cache" "$RUN"
lv_user || die "can't add a user for libvirt"
l4_ping_allow || note "ping sockets not allowed, ping cases will fail"

# libvirt finds "passt" in its PATH: this one records its arguments and runs
# ours (same PID), with LV_PASST_OPTS added if set (to see cases fail:
# LV_PASST_OPTS=--no-dhcp, or another passt with LV_PASST=/usr/bin/passt)
cat >"$LV_HOME/bin/passt" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$LV_HOME/passt.args"
exec "${LV_PASST:-$PASST}" "\$@" ${LV_PASST_OPTS:-}
EOF
chmod 755 "$LV_HOME/bin/passt"
# The QEMU driver writes qemu's output to a file itself (no virtlogd)
echo 'stdio_handler = "file"' >"$LV_HOME/config/libvirt/qemu.conf"

vm_remote_serve "$TESTDIR/www" ||
	die "httpd in the remote namespace doesn't listen"
vm_initramfs "$LV_HOME/vm" "$(vm_guest_conf)" ||
	die "can't build the initramfs"

# domain_xml() - A domain with a passt interface
# $1:	name
# $2:	MAC address
# $3:	portForward elements
domain_xml() {
	cat <<EOF
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$VM_KERNEL</kernel>
    <initrd>$LV_HOME/vm/initramfs.gz</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 loglevel=3</cmdline>
  </os>
  <cpu mode='maximum'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>$(command -v "$VM_QEMU")</emulator>
    <serial type='file'>
      <source path='$LV_HOME/$1.console'/>
      <target port='0'/>
    </serial>
    <interface type='user'>
      <backend type='passt' logFile='$LV_HOME/$1.passt.log'/>
      <mac address='$2'/>
      <source dev='$SANDBOX_IF'/>
      <ip family='ipv4' address='$GUEST4' prefix='24'/>
      <model type='virtio'/>
$3
    </interface>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}

# UDP: 5000-5010 of 192.0.2.1 to 6000-6010 of the guest, but 5005 and 5006
domain_xml passt-test "$MAC" "      <portForward proto='tcp'>
        <range start='8080' to='80'/>
      </portForward>
      <portForward proto='udp' address='$SANDBOX_ADDR4'>
        <range start='5000' end='5010' to='6000'/>
        <range start='5005' end='5006' exclude='yes'/>
      </portForward>" >"$LV_HOME/dom.xml"
# The same UDP port as the first one: its passt can't start
domain_xml passt-test2 52:54:00:12:34:57 "      <portForward proto='udp' address='$SANDBOX_ADDR4'>
        <range start='5000'/>
      </portForward>" >"$LV_HOME/dom2.xml"

chown -R "$LV_UID:$LV_UID" "$LV_HOME"
chmod 700 "$RUN"

# lv_virsh() - virsh on the session daemon (never starting one itself)
lv_virsh() {
	lv_as_user env LIBVIRT_AUTOSTART=0 timeout 60 \
		virsh -q -c qemu:///session "$@"
}

# passt_pids() - PIDs of every running process of our passt binary
passt_pids() {
	local p exe
	exe=$(readlink -f "$PASST")
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$exe" ] &&
			echo "${p#/proc/}"
	done
}

# The session daemon, as libvirt's clients would start it, but ours to end
bg_start "$TESTDIR/libvirtd.log" lv_as_user \
	env PATH="$LV_HOME/bin:$PATH" libvirtd
LV_PID=$BG_PID
wait_for 30 /usr/bin/test -S "$RUN/libvirt/libvirt-sock" ||
	die "libvirtd $LV_VERSION didn't start: $(log_tail "$TESTDIR/libvirtd.log")"
qemu_log() {
	log_tail "$LV_HOME/cache/libvirt/qemu/log/$1.log" 4
}

# --- The domain

out=$(lv_virsh create "$LV_HOME/dom.xml" 2>&1)
rc=$?
if [ "$rc" != 0 ]; then
	fail libvirt_create "virsh create: status $rc: $(echo "$out" | tr '\n' ' ') libvirtd: $(log_tail "$TESTDIR/libvirtd.log") qemu: $(qemu_log passt-test)"
	for c in $CASES; do
		[ "$c" = libvirt_create ] || skip "$c" "no domain"
	done
	test_finish
fi
pass libvirt_create

pidfile=$(find "$RUN" -name '*-passt-test-net0-passt.pid' 2>/dev/null |
	head -n1)
PID=$(cat "$pidfile" 2>/dev/null)
cmdline=""
[ -n "$PID" ] && cmdline=$(tr '\0' ' ' <"/proc/$PID/cmdline" 2>/dev/null)
note "libvirt $LV_VERSION ran: $(cat "$LV_HOME/passt.args" 2>/dev/null)"
check libvirt_passt_ours "PID file '$pidfile' names '$PID': '$(readlink "/proc/$PID/exe" 2>/dev/null)' $cmdline, wrapper saw: '$(cat "$LV_HOME/passt.args" 2>/dev/null)'" \
	eval '[ -n "$PID" ] && pid_alive "$PID" &&
	      [ "$(readlink "/proc/$PID/exe")" = "$(readlink -f "$PASST")" ] &&
	      [ -s "$LV_HOME/passt.args" ]'

check libvirt_logfile "log file: $(log_tail "$LV_HOME/passt-test.passt.log")" \
	grep -q "address: $GUEST4" "$LV_HOME/passt-test.passt.log"

got=$(ss -Huln 2>/dev/null | awk '{ print $4 }' |
	grep -E '^192\.0\.2\.1:50(0[0-9]|1[0-9])$' | sort | tr '\n' ' ')
want=""
for p in 5000 5001 5002 5003 5004 5007 5008 5009 5010; do
	want="$want$SANDBOX_ADDR4:$p "
done
check_eq libvirt_udp_ports "$want" "$got"

# shellcheck disable=SC2034 # for vm_checks
{
	VM_CHECKS=$CHECKS VM_T=$T VM_MAC=$MAC VM_FWD_PORT=8080
	VM_LEASE="ip=$GUEST4 subnet=$SANDBOX_MASK4 router=$SANDBOX_GW4 dns=$SANDBOX_DNS4"
	VM_NAMES=""
}
vm_checks libvirt "$LV_HOME/passt-test.console"

# --- A second domain, whose passt fails: libvirt reports passt's message,
# and no passt is left

out=$(lv_virsh create "$LV_HOME/dom2.xml" 2>&1)
rc=$?
note "libvirt said: $(echo "$out" | tr '\n' ' ')"
others=$(passt_pids | grep -vx "$PID" | tr '\n' ' ')
running=$(lv_virsh list --name 2>/dev/null | tr '\n' ' ')
check libvirt_passt_fails "status $rc, error: $(echo "$out" | tr '\n' ' '), other passt processes: '$others', running: $running" \
	eval '[ "$rc" != 0 ] &&
	      echo "$out" | grep -q "can.t bind UDP port 5000" &&
	      [ -z "$others" ] && ! echo "$running" | grep -q passt-test2'

# --- virsh destroy ends our passt

out=$(lv_virsh destroy passt-test 2>&1)
rc=$?
check libvirt_destroy "status $rc: $out, passt $PID still running: $cmdline" \
	eval '[ "$rc" = 0 ] && [ -n "$PID" ] && wait_for 10 eval "! pid_alive $PID"'

kill_pid "$LV_PID"
untrack_pid "$LV_PID"
test_finish
