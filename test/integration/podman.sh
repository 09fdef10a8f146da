#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/podman.sh - slirp4netns's command line through the
# wrapper contrib/slirp4netns, as podman 4.3 (Debian 12) and rootlesskit
# drive it: --help probing, -c, --mtu, --cidr (documentation range),
# --disable-host-loopback, --enable-sandbox, --enable-seccomp,
# --netns-type=path, -r ready pipe, -e exit pipe, --api-socket with
# add_hostfwd, list_hostfwd and remove_hostfwd; then Debian's podman itself
# running a container from a busybox root file system built here
# (podman run --rootfs) with network_cmd_path pointing to the wrapper.
# Needs socat and python3; the podman cases need Debian's podman (installed
# when allowed, else SKIP).

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"

CASES="slirp_help slirp_ready slirp_addresses slirp_dns slirp_gw_host
slirp_api_add slirp_api_list slirp_api_remove slirp_exit_fd
podman_run podman_network podman_resolv podman_fetch"

HAVE=1; HAVE_PODMAN=1
need_pkg socat socat || HAVE=0
need_pkg python3 python3 || HAVE=0
need_pkg busybox busybox:wget || HAVE=0
need_pkg podman podman || HAVE_PODMAN=0
[ "$HAVE_PODMAN" = 1 ] && { need_pkg crun crun || need_pkg runc runc ||
	HAVE_PODMAN=0; }
if [ -z "${PASST_TEST_SANDBOX:-}" ]; then
	for h in udptool tcptool; do
		[ -x "$REPO/test/helpers/$h" ] ||
			make -s -C "$REPO" "test/helpers/$h" >/dev/null 2>&1
	done
fi

sandbox_enter "$@"
require_binaries $CASES
if [ "$HAVE" != 1 ]; then
	skip_all "socat, python3 or busybox missing" $CASES
	exit 0
fi

WRAP="$REPO/contrib/slirp4netns"
UDPTOOL="$REPO/test/helpers/udptool"
TCPTOOL="$REPO/test/helpers/tcptool"
export SLIRP4NETNS_PASTA="$PASTA"
CIDR=203.0.113.0/24
CTR=203.0.113.100

in_remote ip addr add "$SANDBOX_DNS4/32" dev lo
bg_start "$TESTDIR/dns.log" ip netns exec remote "$UDPTOOL" dns \
	"$SANDBOX_DNS4" 53 198.51.100.7 2001:db8::7
bg_start "$TESTDIR/lo-tcp.log" "$TCPTOOL" server 127.0.0.1 8097

check slirp_help "--help lacks options podman probes for" eval \
	'"$WRAP" --help | grep -q -- --disable-host-loopback &&
	 "$WRAP" --help | grep -q -- --enable-sandbox &&
	 "$WRAP" --help | grep -q -- --netns-type'

# --- The wrapper, driven like podman drives slirp4netns

ns_add ctr
API=$TESTDIR/slirp.sock
mkdir -p "$TESTDIR/ctr-www"
head -c 200000 /dev/urandom >"$TESTDIR/ctr-www/data"
# Started before the pipes exist, so that it holds none of their ends
bg_start "$TESTDIR/ctr-httpd.log" ip netns exec ctr busybox httpd -f \
	-p 80 -h "$TESTDIR/ctr-www"

# Pipes as podman makes them: we keep the read end of "ready" and the
# write end of "exit", the wrapper gets the other ends only
mkfifo "$TESTDIR/ready" "$TESTDIR/exit"
exec {rfd}<>"$TESTDIR/ready"
exec {rw}>"$TESTDIR/ready"
exec {ew}<>"$TESTDIR/exit"
exec {efd}<"$TESTDIR/exit"
bg_start "$TESTDIR/slirp.log" bash -c "exec $rfd<&- $ew>&-; exec \"\$@\"" _ \
	"$WRAP" --disable-host-loopback --mtu=65520 \
	--enable-sandbox --enable-seccomp -c -r "$rw" -e "$efd" \
	--cidr "$CIDR" --api-socket "$API" --netns-type=path /run/netns/ctr tap0
WRAP_PID=$BG_PID
exec {rw}>&- {efd}<&-
got=""
read -r -t 20 -n 1 -u "$rfd" got
check slirp_ready "ready pipe got '$got': $(log_tail "$TESTDIR/slirp.log")" \
	test "$got" = 1
addr=$(in_ns ctr ip -o -4 addr show tap0 | awk '{ print $4 }')
route=$(in_ns ctr ip -4 route show default | awk '{ print $3 }')
check slirp_addresses "tap0 '$addr' via '$route'" \
	test "$addr" = "$CTR/24" -a "$route" = 203.0.113.2
got=$(in_ns ctr timeout 5 "$UDPTOOL" query 203.0.113.3 53 a.example 2>&1)
check slirp_dns "query through 203.0.113.3: '$got'" \
	eval 'echo "$got" | grep -q 198.51.100.7'
# --disable-host-loopback: the gateway doesn't lead to the host's loopback
in_ns ctr timeout 5 "$TCPTOOL" client -u 10 -d 10 203.0.113.2 8097 \
	>"$TESTDIR/gw.log" 2>&1
check slirp_gw_host "connection to the host's loopback went through" \
	test $? != 0

api() {
	printf '%s' "$1" | socat -t 5 - "UNIX-CONNECT:$API" 2>/dev/null
}
r=$(api '{"execute": "add_hostfwd", "arguments": {"proto": "tcp", "host_addr": "0.0.0.0", "host_port": 8096, "guest_addr": "203.0.113.100", "guest_port": 80}}')
id=$(echo "$r" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
want=$(sha256sum <"$TESTDIR/ctr-www/data")
got=$(in_remote timeout 10 busybox wget -q -O - \
	"http://$SANDBOX_ADDR4:8096/data" 2>/dev/null | sha256sum)
check slirp_api_add "reply '$r', fetched through host port 8096: $got" \
	eval '[ -n "$id" ] && [ "$got" = "$want" ]'
r=$(api '{"execute": "list_hostfwd"}')
check slirp_api_list "reply '$r'" eval \
	'echo "$r" | grep -q "\"id\": $id, \"proto\": \"tcp\", \"host_addr\": \"0.0.0.0\", \"host_port\": 8096, \"guest_addr\": \"203.0.113.100\", \"guest_port\": 80"'
r=$(api "{\"execute\": \"remove_hostfwd\", \"arguments\": {\"id\": $id}}")
sleep 0.3
check slirp_api_remove "reply '$r', port 8096 still open" eval \
	'[ "$r" = "{\"return\": {}}" ] && ! ss -ltn | grep -q ":8096 "'

exec {ew}>&-
check slirp_exit_fd "wrapper or pasta still running after the exit pipe closed" \
	eval 'wait_for 5 eval "! pid_alive $WRAP_PID" &&
	      wait_for 5 eval "! in_ns ctr ip link show tap0 >/dev/null 2>&1"'

# --- Debian's podman (4.3: no pasta support), with the wrapper

if [ "$HAVE_PODMAN" != 1 ]; then
	skip_all "podman or an OCI runtime not installed" podman_run \
		podman_network podman_resolv podman_fetch
	test_finish
fi

ROOTFS=$TESTDIR/rootfs
PM=$TESTDIR/podman
mkdir -p "$ROOTFS/bin" "$ROOTFS/etc" "$ROOTFS/proc" "$ROOTFS/sys" \
	"$ROOTFS/dev" "$ROOTFS/tmp" "$PM/root" "$PM/run" "$PM/tmp"
cp "$(command -v busybox)" "$ROOTFS/bin/"
for lib in $(ldd "$(command -v busybox)" | grep -o '/[^ ]*\.so[^ ]*'); do
	mkdir -p "$ROOTFS$(dirname "$lib")"; cp -L "$lib" "$ROOTFS$lib"
done
for a in sh ip wget cat; do ln -sf busybox "$ROOTFS/bin/$a"; done
mkdir -p "$TESTDIR/www"
echo "hello from the remote namespace" >"$TESTDIR/www/hello"
bg_start "$TESTDIR/httpd.log" ip netns exec remote busybox httpd -f \
	-p 8080 -h "$TESTDIR/www"
cat >"$PM/containers.conf" <<EOF
[engine]
network_cmd_path = "$WRAP"
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "crun"
[containers]
netns = "slirp4netns"
EOF
export CONTAINERS_CONF="$PM/containers.conf" TMPDIR="$PM/tmp"
podman_run() {
	# crun needs a cgroup file system, even with --cgroups disabled: a
	# cgroup namespace of our own lets us mount one
	timeout 120 unshare --cgroup sh -c \
		'mount -t cgroup2 none /sys/fs/cgroup && exec "$@"' _ podman --root "$PM/root" --runroot "$PM/run" \
		--storage-driver vfs --cgroup-manager cgroupfs \
		--events-backend file run --rm --cgroups disabled \
		--network "slirp4netns:cidr=$CIDR" --rootfs "$ROOTFS" "$@"
}
out=$(podman_run /bin/sh -c 'ip -o -4 addr show tap0; cat /etc/resolv.conf;
	wget -q -O - http://198.51.100.1:8080/hello' 2>"$TESTDIR/podman.err")
rc=$?
check podman_run "status $rc: $(tail -n 3 "$TESTDIR/podman.err" | tr '\n' '|')" \
	test "$rc" = 0
check podman_network "container: $(echo "$out" | head -n 1)" \
	eval 'echo "$out" | grep -q "inet $CTR/24"'
check podman_resolv "resolv.conf: $(echo "$out" | grep nameserver)" \
	eval 'echo "$out" | grep -q "nameserver 203.0.113.3"'
check podman_fetch "output: $out" \
	eval 'echo "$out" | grep -q "hello from the remote namespace"'

test_finish
