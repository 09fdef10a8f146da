# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034 # LV_WHY, LV_ERR: for the test
#
# test/lib/libvirt.sh - Debian's libvirt for test/integration/libvirt.sh.
# Source after common.sh, sandbox.sh and passt.sh.
#
# Debian 12's libvirt (9.0.0) has passt support disabled by a Debian patch
# ("Disable passt support": the domain XML parser rejects
# <backend type='passt'/>).  Where the system's libvirt rejects it, the
# libvirt packages of the release's backports suite (bookworm-backports:
# 11.3.0, built for Debian 12) are downloaded with apt-get into a cache
# directory, with a private sources list, and unpacked there without being
# installed.  Inside the sandbox, its files are bind-mounted over those of
# the installed libvirt, in the sandbox's own mount namespace: the machine
# keeps its packages.
#
#   lv_need		outside the sandbox: install Debian's libvirt client,
#			daemon and QEMU driver; if that libvirt rejects the
#			passt backend, fetch the backports' (when allowed);
#			sets LV_WHY when something is missing
#   lv_probe		whether the libvirt in use accepts the passt backend
#			(the in-process test driver, no daemon): sets LV_ERR
#			to libvirt's message otherwise
#   lv_overlay		inside the sandbox: mount the backports' libvirt over
#			the system's, if it was fetched
#   lv_user		inside the sandbox: a user for the session daemon
#			(LV_USER, LV_UID), in private copies of /etc/passwd and
#			/etc/group
#   lv_as_user CMD...	run CMD as that user, with HOME and XDG_* in LV_HOME

LV_BPO_PKGS="libvirt0 libvirt-common libvirt-daemon libvirt-daemon-common
libvirt-daemon-driver-qemu libvirt-daemon-log libvirt-clients"
LV_CACHE=${PASST_TEST_CACHE:-/var/cache/passt-test}
LV_WHY=""
LV_ERR=""
LV_USER=passt-lvtest
LV_UID=4242
LV_HOME=""
LV_SUITE=""

# lv_suite() - The backports suite of this Debian release, e.g.
# bookworm-backports
# Return: 1 if this is not Debian with a code name
lv_suite() {
	local id="" codename=""
	[ -r /etc/os-release ] || return 1
	id=$(. /etc/os-release && echo "${ID:-}")
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ "$id" = debian ] && [ -n "$codename" ] || return 1
	echo "$codename-backports"
}

# lv_qemu_driver() - Whether libvirt's QEMU driver module is installed
lv_qemu_driver() {
	compgen -G '/usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so' \
		>/dev/null
}

# lv_probe_xml() - A domain for the test driver with a passt interface
lv_probe_xml() {
	cat <<'EOF'
<domain type='test'>
  <name>probe</name>
  <memory unit='MiB'>64</memory>
  <os><type>hvm</type></os>
  <devices>
    <interface type='user'><backend type='passt'/></interface>
  </devices>
</domain>
EOF
}

# lv_probe() - Does this libvirt's domain parser take the passt back-end?
# Uses the test driver, which runs inside virsh: no daemon, nothing
# written but a temporary directory (removed)
# Set: LV_ERR, libvirt's error message if not
# Return: 0 if accepted
lv_probe() {
	local d out rc
	d=$(mktemp -d) || return 1
	lv_probe_xml >"$d/probe.xml"
	out=$(HOME="$d" XDG_CONFIG_HOME="$d/config" XDG_CACHE_HOME="$d/cache" \
	      XDG_RUNTIME_DIR="$d/run" timeout 30 virsh -q -c test:///default \
	      "define $d/probe.xml; dumpxml probe" 2>&1)
	rc=$?
	rm -rf "$d"
	if [ "$rc" = 0 ] && echo "$out" | grep -q "<backend type='passt'/>"; then
		LV_ERR=""
		return 0
	fi
	# The parser's message, without virsh's own lines around it
	LV_ERR=$(echo "$out" | grep -v -e '^$' -e 'Failed to define domain' \
		 -e 'failed to get domain' | tr '\n' ' ' | sed 's/ *$//')
	[ -n "$LV_ERR" ] || LV_ERR="virsh exited with status $rc"
	return 1
}

# lv_bpo_root() - Where the backports' libvirt is unpacked
lv_bpo_root() {
	echo "$LV_CACHE/libvirt-$LV_SUITE/root"
}

# lv_fetch_backports() - Download the libvirt packages of the backports
# suite with apt-get (private sources list and package lists, nothing
# installed) and unpack them into the cache; serialised with pkg_install
# Return: 0 if unpacked (now or before)
lv_fetch_backports() {
	local dir="$LV_CACHE/libvirt-$LV_SUITE"
	local log="${PASST_TEST_APT_LOG:-/tmp/passt-test-apt.log}"
	local lock="/var/lock/passt-test-apt.lock"
	[ -e "$dir/root/.complete" ] && return 0
	[ -z "${PASST_TEST_SANDBOX:-}" ] && can_install || return 1
	command -v dpkg-deb >/dev/null 2>&1 || return 1
	(
		flock -w 600 9 || exit 1
		[ -e "$dir/root/.complete" ] && exit 0
		echo "=== $(date) fetch libvirt from $LV_SUITE"
		mkdir -p "$dir/lists/partial" "$dir/debs" || exit 1
		key=/usr/share/keyrings/debian-archive-keyring.gpg
		opt=""
		[ -r "$key" ] && opt="[signed-by=$key] "
		echo "deb ${opt}http://deb.debian.org/debian $LV_SUITE main" \
			>"$dir/sources.list"
		apt=(apt-get -q -o Dir::Etc::SourceList="$dir/sources.list"
		     -o Dir::Etc::SourceParts=/nonexistent
		     -o Dir::State::Lists="$dir/lists"
		     -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
		     -o APT::Sandbox::User=root)
		timeout 300 "${apt[@]}" update || exit 1
		cd "$dir/debs" || exit 1
		rm -f ./*.deb
		# shellcheck disable=SC2086 # a list of package names
		timeout 300 "${apt[@]}" download $LV_BPO_PKGS || exit 1
		rm -rf "$dir/root.new"
		for d in ./*.deb; do
			dpkg-deb -x "$d" "$dir/root.new" || exit 1
		done
		rm -rf "$dir/root"
		mv "$dir/root.new" "$dir/root" &&
			touch "$dir/root/.complete"
	) 9>>"$lock" >>"$log" 2>&1
}

# lv_need() - Debian's libvirt, and a libvirt that runs passt (outside the
# sandbox)
# Set: LV_WHY if something is missing, LV_SUITE, LV_ERR (see lv_probe)
# Return: 0 if the system's libvirt is there (and runs passt, or the
# backports' does)
lv_need() {
	need_pkg libvirt-clients virsh || {
		LV_WHY="libvirt-clients (virsh) not installed"
		return 1
	}
	need_pkg libvirt-daemon libvirtd || {
		LV_WHY="libvirt-daemon (libvirtd) not installed"
		return 1
	}
	if ! lv_qemu_driver && [ -z "${PASST_TEST_SANDBOX:-}" ] && can_install
	then
		pkg_install libvirt-daemon-driver-qemu
	fi
	lv_qemu_driver || {
		LV_WHY="libvirt-daemon-driver-qemu not installed"
		return 1
	}
	LV_SUITE=$(lv_suite) || LV_SUITE=""
	lv_probe && return 0
	[ -n "$LV_SUITE" ] && lv_fetch_backports
	return 0
}

# lv_overlay() - Inside the sandbox: bind-mount the unpacked backports'
# libvirt over the installed one (daemons, virsh, libraries, driver modules,
# schemas and CPU maps); every target must exist, nothing is created
# Return: 0 if mounted, 1 if not fetched or a mount failed
lv_overlay() {
	local root f rel t
	in_sandbox || return 1
	root=$(lv_bpo_root)
	[ -e "$root/.complete" ] || return 1
	# Shared libraries: the real file over whatever the soname resolves to
	for f in "$root"/usr/lib/*/libvirt*.so.0; do
		[ -e "$f" ] || continue
		rel=${f#"$root"}
		[ -e "$rel" ] || continue
		t=$(readlink -f "$rel")
		mount --bind "$(readlink -f "$f")" "$t" || return 1
	done
	for f in "$root"/usr/lib/*/libvirt "$root/usr/share/libvirt" \
		 "$root"/usr/sbin/* "$root"/usr/bin/* "$root"/usr/lib/libvirt/*; do
		[ -e "$f" ] || continue
		rel=${f#"$root"}
		[ -e "$rel" ] || continue
		mount --bind "$f" "$rel" || return 1
	done
}

# lv_user() - Inside the sandbox: a user for libvirt's session daemon, known
# to getpwuid() (libvirt looks itself up) through private copies of
# /etc/passwd and /etc/group bound over the real ones
# Return: 0 on success
lv_user() {
	local name
	in_sandbox || return 1
	name=$(getent passwd "$LV_UID" | cut -d: -f1)
	if [ -n "$name" ]; then
		LV_USER=$name
		return 0
	fi
	{ cat /etc/passwd
	  echo "$LV_USER:x:$LV_UID:$LV_UID:libvirt test:$LV_HOME:/bin/sh"
	} >"$TESTDIR/passwd" || return 1
	{ cat /etc/group; echo "$LV_USER:x:$LV_UID:"; } >"$TESTDIR/group" ||
		return 1
	mount --bind "$TESTDIR/passwd" /etc/passwd &&
		mount --bind "$TESTDIR/group" /etc/group
}

# lv_as_user() - Run a command as LV_UID, session environment in LV_HOME
# $@:	command
lv_as_user() {
	setpriv --reuid "$LV_UID" --regid "$LV_UID" --clear-groups \
		env HOME="$LV_HOME" USER="$LV_USER" LOGNAME="$LV_USER" \
		XDG_RUNTIME_DIR="$LV_HOME/run" \
		XDG_CONFIG_HOME="$LV_HOME/config" \
		XDG_CACHE_HOME="$LV_HOME/cache" "$@"
}
