#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/qemu.sh - A real qemu guest (Debian's qemu-system-x86 7.2,
# Debian's kernel, a busybox initramfs built here, TCG) against passt, first
# with "-netdev stream" as the manual says, then, after that qemu went away,
# a second qemu through qrap on the same passt (which must accept it: qemu
# restarted).  Each guest gets its DHCP lease (with -H and --fqdn), its
# SLAAC address, pings the remote namespace over IPv4 and IPv6, fetches a
# file from it over TCP (v4 and v6, sha256 compared), and serves a file on
# a port forwarded with -t, fetched from the remote namespace (v4 and v6).
# Needs qemu, a kernel and busybox (installed when allowed, else SKIP).

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/l4.sh"
. "$(dirname "$0")/../lib/vm.sh"

CHECKS="boot dhcp4 names slaac ping4 ping6 fetch4 fetch6 fwd4 fwd6"
CASES=""
for p in qemu qrap; do
	for c in $CHECKS; do CASES="$CASES ${p}_$c"; done
done
CASES="$CASES qemu_passt_serves_next_guest qrap_plumbing"

HAVE_VM=1
vm_need || HAVE_VM=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && [ "$HAVE_VM" = 1 ] &&
	{ [ -x "$REPO/qrap" ] || make -s -C "$REPO" qrap >/dev/null 2>&1; }

sandbox_enter "$@"
require_binaries $CASES
if [ "$HAVE_VM" != 1 ]; then
	skip_all "$VM_WHY" $CASES
	exit 0
fi
QRAP="$REPO/qrap"

T=${VM_TIMEOUT:-150}
SOCK=/tmp/passt_1.socket
MAC=52:54:00:12:34:56
VMDIR=$TESTDIR/vm
mkdir -p "$VMDIR"
l4_ping_allow || note "ping sockets not allowed, ping cases will fail"

# The remote namespace serves a random file on port 8080
vm_remote_serve "$TESTDIR/www" ||
	die "httpd in the remote namespace doesn't listen"
vm_initramfs "$VMDIR" "$(vm_guest_conf)" || die "can't build the initramfs"

passt_start "$SOCK" ${VM_PASST_OPTS:-} -t 8080:80 -H vmtest --fqdn vm1.example.org ||
	die "passt doesn't start: $(log_tail "$SOCK.log")"

# What vm_checks expects: the host's addresses, the names given with -H and
# --fqdn (option 81: flags N+E, RCODEs 255, "\3vm1\7example\3org\0")
# shellcheck disable=SC2034 # for vm_checks
{
	VM_CHECKS=$CHECKS VM_T=$T VM_MAC=$MAC VM_FWD_PORT=8080
	VM_LEASE="ip=$SANDBOX_ADDR4 subnet=$SANDBOX_MASK4 router=$SANDBOX_GW4 dns=$SANDBOX_DNS4"
	VM_NAMES="vmtest opt81=0cffff03766d31076578616d706c65036f726700"
}

# --- qemu >= 7.2: -netdev stream, as printed by passt

vm_start "$VMDIR" "$VMDIR/qemu.log" "$VM_QEMU" \
	-device "virtio-net-pci,netdev=s,mac=$MAC" \
	-netdev "stream,id=s,server=off,addr.type=unix,addr.path=$SOCK"
vm_checks qemu "$VMDIR/qemu.log"
vm_stop

# --- qemu again, through qrap, on the same passt: the default socket path
# is found, libvirt-style "-netdev user" is replaced by the socket back-end

if ! pid_alive "$PASST_PID"; then
	fail qemu_passt_serves_next_guest "passt exited with the first guest"
	passt_start "$SOCK" -t 8080:80 -H vmtest --fqdn vm1.example.org
else
	pass qemu_passt_serves_next_guest
fi
vm_start "$VMDIR" "$VMDIR/qrap.log" "$QRAP" 5 "$VM_QEMU" \
	-netdev user,id=hostnet0 \
	-device "virtio-net-pci,netdev=hostnet0,mac=$MAC"
vm_checks qrap "$VMDIR/qrap.log"
check qrap_plumbing "qrap said: $(log_tail "$VMDIR/qrap.log.qemu")" \
	grep -q "socket,fd=5,id=hostnet0" "$VMDIR/qrap.log.qemu"
vm_stop

passt_stop
test_finish
