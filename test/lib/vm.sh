# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034 # VM_WHY, VM_BLOB: for the test
#
# test/lib/vm.sh - A real qemu guest for the client tests: Debian's kernel
# and a busybox initramfs built here, booted with TCG (no KVM needed) in a
# few seconds.  Source after common.sh, sandbox.sh and passt.sh.
#
#   vm_need			outside the sandbox: install qemu-system-x86,
#				a Debian kernel and busybox if allowed; sets
#				VM_WHY when something is missing
#   vm_initramfs DIR		build DIR/initramfs.gz: busybox, its libraries,
#				the virtio-net modules, and /init (below)
#   vm_start NAME LOG QEMU...	start qemu (the command line given, plus the
#				kernel, initramfs and console options), sets
#				VM_PID; the guest's console goes to LOG
#   vm_wait LOG WORD SECONDS	wait for a "VM-TEST WORD ..." line
#   vm_value LOG WORD		the rest of the first "VM-TEST WORD" line
#   vm_remote_serve DIR		serve DIR/blob (random, 1 MB) on port 8080 of
#				the remote namespace, sets VM_BLOB (sha256)
#   vm_guest_conf		the guest configuration for vm_initramfs:
#				ping and fetch from the remote namespace
#   vm_checks PREFIX LOG	PASS/FAIL lines for what the guest reported
#				(see the VM_* expectations there)
#
# The guest's /init configures eth0 with udhcpc (DHCP), waits for a SLAAC
# address, pings $VM_PING4 and $VM_PING6, fetches $VM_URL4 and $VM_URL6
# with wget, and prints one "VM-TEST ..." line for each result, with
# sha256 sums of what it fetched.  It then serves /www/served (random data,
# its hash printed) with httpd on port 80, says "VM-TEST ready", and
# idles.  Every step is bounded; the guest never waits for the host.

VM_KVER=""
VM_KERNEL=""
VM_MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev
virtio_pci failover net_failover virtio_net"	# in dependency order
VM_QEMU=qemu-system-x86_64
VM_WHY=""

# vm_find_kernel() - Newest Debian kernel with its modules, readable
# Set: VM_KERNEL, VM_KVER
vm_find_kernel() {
	local k v
	VM_KERNEL=""
	for k in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V -r); do
		v=${k#/boot/vmlinuz-}
		[ -r "$k" ] || continue
		[ -e "/lib/modules/$v/kernel/drivers/net/virtio_net.ko" ] ||
		[ -e "/lib/modules/$v/kernel/drivers/net/virtio_net.ko.xz" ] ||
			continue
		VM_KERNEL=$k
		VM_KVER=$v
		return 0
	done
	return 1
}

# vm_need() - Make qemu, a kernel and busybox available (outside the
# sandbox, where packages can be installed)
# Return: 0 if all there, 1 with VM_WHY set otherwise
vm_need() {
	need_pkg qemu-system-x86 "$VM_QEMU" || {
		VM_WHY="qemu-system-x86 not installed"
		return 1
	}
	need_pkg busybox busybox:httpd busybox:udhcpc busybox:wget || {
		VM_WHY="busybox not installed"
		return 1
	}
	need_pkg cpio cpio || {
		VM_WHY="cpio not installed"
		return 1
	}
	if ! vm_find_kernel && [ -z "${PASST_TEST_SANDBOX:-}" ] &&
	   can_install; then
		pkg_install linux-image-amd64
	fi
	vm_find_kernel || {
		VM_WHY="no Debian kernel with virtio_net in /boot (apt-get install linux-image-amd64)"
		return 1
	}
	return 0
}

# vm_init_script() - The guest's /init
vm_init_script() {
	cat <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
r() { echo "VM-TEST $*"; }
for m in $(cat /modules); do insmod "/lib/modules/$m.ko" || r modfail "$m"; done
echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad
echo 0 >/proc/sys/net/ipv6/conf/all/accept_dad
ip link set lo up
ip link set eth0 up
. /etc/vm.conf
r booted "$(ip -o link show eth0 | grep -o 'link/ether [^ ]*')"

udhcpc -i eth0 -n -q -t 5 -T 2 -s /udhcpc.sh -O 81 -x hostname:vmtest \
	>/tmp/udhcpc.log 2>&1
if [ -s /tmp/lease ]; then . /tmp/lease; fi
r dhcp4 "ip=$ip subnet=$subnet router=$router dns=$dns hostname=$hostname opt81=$opt81"

i=0
while [ $i -lt 100 ]; do
	a=$(ip -6 -o addr show dev eth0 scope global | grep -o 'inet6 [^ ]*' | cut -d' ' -f2)
	[ -n "$a" ] && break
	sleep 0.1; i=$((i + 1))
done
r slaac "addr=$a"
r route6 "$(ip -6 route show default | head -n1)"

if ping -c 1 -W 3 "$VM_PING4" >/tmp/ping4.log 2>&1; then r ping4 ok; else r ping4 fail; fi
if ping6 -c 3 -W 3 "$VM_PING6" >/tmp/ping6.log 2>&1; then r ping6 ok; else r ping6 fail; fi

timeout 30 wget -O /tmp/f4 "$VM_URL4" 2>/tmp/wget4.log
r fetch4 "$(sha256sum /tmp/f4 2>/dev/null | cut -d' ' -f1) $(wc -c </tmp/f4 2>/dev/null)"
timeout 30 wget -O /tmp/f6 "$VM_URL6" 2>/tmp/wget6.log
r fetch6 "$(sha256sum /tmp/f6 2>/dev/null | cut -d' ' -f1) $(wc -c </tmp/f6 2>/dev/null)"

mkdir -p /www
head -c 300000 /dev/urandom >/www/served
for f in /tmp/ping4.log /tmp/ping6.log /tmp/wget4.log /tmp/wget6.log; do
	sed "s|^|VM-LOG $f: |" "$f"
done
r served "$(sha256sum /www/served | cut -d' ' -f1)"
httpd -p 80 -h /www
r ready
while :; do sleep 60; done
EOF
}

# vm_udhcpc_script() - udhcpc's event script: record the lease, configure
vm_udhcpc_script() {
	cat <<'EOF'
#!/bin/sh
case "$1" in
bound|renew)
	ip addr add "$ip/$mask" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
	{
		echo "ip='$ip'"; echo "subnet='$subnet'"; echo "router='$router'"
		echo "dns='$dns'"; echo "hostname='$hostname'"
		echo "opt81='$opt81'"
	} >/tmp/lease
	;;
esac
exit 0
EOF
}

# vm_initramfs() - Build the guest's initramfs
# $1:	directory for the tree and the image (DIR/initramfs.gz)
# $2:	guest configuration: shell assignments for /etc/vm.conf
# Return: 0 on success
vm_initramfs() {
	local dir="$1" conf="$2" root lib m f
	root="$dir/root"
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/lib/modules" "$root/etc" "$root/proc" \
		"$root/sys" "$root/dev" "$root/tmp" || return 1
	cp "$(command -v busybox)" "$root/bin/busybox" || return 1
	for f in $("$root/bin/busybox" --list); do
		[ "$f" = busybox ] || ln -s busybox "$root/bin/$f"
	done
	# Shared libraries of busybox, at the same paths
	for lib in $(ldd "$root/bin/busybox" 2>/dev/null |
		     grep -o '/[^ ]*\.so[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib" || return 1
	done
	for m in $VM_MODULES; do
		f=$(find "/lib/modules/$VM_KVER/kernel" -name "$m.ko*" | head -n1)
		[ -n "$f" ] || return 1
		case "$f" in
		*.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" || return 1 ;;
		*.zst) zstd -qdc "$f" >"$root/lib/modules/$m.ko" || return 1 ;;
		*) cp "$f" "$root/lib/modules/$m.ko" || return 1 ;;
		esac
	done
	echo $VM_MODULES >"$root/modules"
	vm_init_script >"$root/init"
	vm_udhcpc_script >"$root/udhcpc.sh"
	printf '%s\n' "$conf" >"$root/etc/vm.conf"
	chmod 755 "$root/init" "$root/udhcpc.sh"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) \
		>"$dir/initramfs.gz"
}

# vm_start() - Boot the guest in the background
# $1:	directory holding initramfs.gz
# $2:	console log
# $@:	command to run: qemu (or a wrapper and qemu) and its network options
# Set: VM_PID
vm_start() {
	local dir="$1" log="$2"
	shift 2
	bg_start "$log.qemu" "$@" -nodefaults -no-user-config -display none \
		-monitor none -serial "file:$log" -no-reboot -m 256 \
		-accel tcg -cpu max -kernel "$VM_KERNEL" \
		-initrd "$dir/initramfs.gz" \
		-append "console=ttyS0 quiet panic=-1 loglevel=3"
	VM_PID=$BG_PID
}

# vm_stop() - End the guest started by vm_start
vm_stop() {
	[ -n "${VM_PID:-}" ] || return 0
	kill_pid "$VM_PID"
	untrack_pid "$VM_PID"
	VM_PID=
}

# vm_wait() - Wait for a result line of the guest
# $1:	console log
# $2:	word after "VM-TEST"
# $3:	timeout, seconds
vm_wait() {
	wait_for "$3" grep -qa "^VM-TEST $2\\b" "$1" 2>/dev/null
}

# vm_value() - Rest of the first result line with a word
# $1:	console log
# $2:	word after "VM-TEST"
vm_value() {
	grep -a "^VM-TEST $2\\b" "$1" 2>/dev/null | head -n1 |
		sed "s/^VM-TEST $2 *//" | tr -d '\r'
}

# vm_remote_serve() - Serve a random file from the remote namespace
# $1:	directory to create, holding the file "blob"
# Set: VM_BLOB, its sha256
# Return: 0 once busybox httpd listens on port 8080 of the remote namespace
vm_remote_serve() {
	mkdir -p "$1" || return 1
	head -c 1000000 /dev/urandom >"$1/blob" || return 1
	VM_BLOB=$(sha256sum "$1/blob" | cut -d' ' -f1)
	bg_start "$1.httpd.log" ip netns exec remote \
		busybox httpd -f -p 8080 -h "$1"
	wait_for 5 in_remote sh -c 'ss -ltn | grep -q ":8080 "'
}

# vm_guest_conf() - What the guest pings and fetches (vm_remote_serve's file)
vm_guest_conf() {
	printf '%s\n' "VM_PING4=$SANDBOX_OUTSIDE4" "VM_PING6=$SANDBOX_OUTSIDE6" \
		"VM_URL4=http://$SANDBOX_OUTSIDE4:8080/blob" \
		"VM_URL6=http://[$SANDBOX_OUTSIDE6]:8080/blob"
}

# vm_checks() - Check what a guest reported, and its forwarded port
# $1:	case prefix: cases are PREFIX_CHECK for each CHECK in VM_CHECKS
#	(boot dhcp4 names slaac ping4 ping6 fetch4 fetch6 fwd4 fwd6)
# $2:	console log
# Use:	VM_T (seconds to wait for the guest), VM_MAC, VM_BLOB, VM_LEASE
#	("ip=... subnet=... router=... dns=..."), VM_NAMES ("HOSTNAME
#	opt81=HEX", for the names check), VM_FWD_PORT (host port forwarded to
#	the guest's port 80)
vm_checks() {
	local p="$1" log="$2" v got c rest=()
	if ! vm_wait "$log" ready "$VM_T"; then
		fail "${p}_boot" "no 'ready' from the guest within ${VM_T}s: $(grep -a VM-TEST "$log" | tail -n 3 | tr '\n' '|') $(log_tail "$log.qemu")"
		for c in $VM_CHECKS; do
			[ "$c" = boot ] || rest+=("${p}_$c")
		done
		skip_all "guest didn't finish" "${rest[@]}"
		return
	fi
	check "${p}_boot" "guest MAC: $(vm_value "$log" booted)" \
		test "$(vm_value "$log" booted)" = "link/ether $VM_MAC"

	v=$(vm_value "$log" dhcp4)
	check "${p}_dhcp4" "lease: $v" test "${v%% hostname=*}" = "$VM_LEASE"
	case " $VM_CHECKS " in
	*" names "*)
		check "${p}_names" "lease: $v" test "${v#* hostname=}" = \
			"$VM_NAMES"
		;;
	esac

	v=$(vm_value "$log" slaac)
	case "$v" in
	addr=2001:db8::*/64) pass "${p}_slaac" ;;
	*) fail "${p}_slaac" "'$v', route: $(vm_value "$log" route6)" ;;
	esac

	check "${p}_ping4" "ping $SANDBOX_OUTSIDE4 from the guest" \
		test "$(vm_value "$log" ping4)" = ok
	check "${p}_ping6" "ping $SANDBOX_OUTSIDE6 from the guest" \
		test "$(vm_value "$log" ping6)" = ok
	check "${p}_fetch4" "got '$(vm_value "$log" fetch4)'" \
		test "$(vm_value "$log" fetch4)" = "$VM_BLOB 1000000"
	check "${p}_fetch6" "got '$(vm_value "$log" fetch6)'" \
		test "$(vm_value "$log" fetch6)" = "$VM_BLOB 1000000"

	v=$(vm_value "$log" served)
	got=$(in_remote timeout 20 busybox wget -q -O - \
		"http://$SANDBOX_ADDR4:$VM_FWD_PORT/served" 2>/dev/null |
		sha256sum | cut -d' ' -f1)
	check "${p}_fwd4" "served $v, got $got" test "$got" = "$v"
	got=$(in_remote timeout 20 busybox wget -q -O - \
		"http://[$SANDBOX_ADDR6]:$VM_FWD_PORT/served" 2>/dev/null |
		sha256sum | cut -d' ' -f1)
	check "${p}_fwd6" "served $v, got $got" test "$got" = "$v"
}
