#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# doc/demo.sh - A short, safe demo of both modes: everything runs inside
# user, network and mount namespaces made here, whose only "outside" is a
# veth pair with documentation addresses (192.0.2.0/24, 2001:db8::/64).
# Nothing can leave the machine.  Run it from the repository after "make":
#
#	bash doc/demo.sh

set -u
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PASTA="$REPO/pasta"
PASST="$REPO/passt"

if [ -z "${PASST_DEMO_INSIDE:-}" ]; then
	[ -x "$PASST" ] || { echo "Build first: make" >&2; exit 1; }
	export PASST_DEMO_INSIDE=1
	exec timeout 60 unshare --user --map-root-user --net --mount \
		bash "$0" "$@"
fi

PATH="$PATH:/usr/sbin:/sbin"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

# A pretend host: a veth pair, documentation addresses, resolv.conf
mount -t tmpfs tmpfs /tmp
mount --make-rprivate /
printf 'nameserver 198.51.100.53\nsearch example.org\n' >/tmp/resolv.conf
mount --bind /tmp/resolv.conf /etc/resolv.conf
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.0.2.1/24 dev veth0
ip -6 addr add 2001:db8::1/64 dev veth0 nodad
ip link set veth1 up
ip link set veth0 up
ip route add default via 192.0.2.2
ip -6 route add default via 2001:db8::2

step "The pretend host"
run ip -br address show veth0
run ip route show

step "pasta: a new namespace, configured like the host (--config-net)"
run "$PASTA" --config-net -q -- sh -c \
	'ip -br address show; ip route show; ip -6 route show default'

step "pasta: the command's exit status is pasta's"
run "$PASTA" -q -- sh -c 'exit 7'
echo "exit status: $?"

step "passt: listening for qemu (-f: in the foreground, for 2 seconds)"
"$PASST" -f -s /tmp/demo.socket -H demo-vm --fqdn demo-vm.example.org &
pid=$!
sleep 2
run ls -l /tmp/demo.socket
kill "$pid"
wait "$pid" 2>/dev/null

step "Done: nothing was left running, nothing left the namespaces"
