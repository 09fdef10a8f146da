# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/lib/sandbox.sh - Run an integration test inside a private sandbox:
# fresh user, network, mount and PID namespaces made by the test itself, with
# a veth link to a "remote" namespace playing the outside world, documentation
# addresses only, and a private /etc/resolv.conf.  Nothing a test sends can
# leave the machine: the sandbox has no link but the veth pair.
#
# Source after common.sh, then call sandbox_enter "$@" once dependencies are
# installed (need_pkg works only outside the sandbox, where the network is).
#
# Topology:
#
#   sandbox ("host") netns                    "remote" netns
#   lo                                        lo: 198.51.100.1/32
#   veth0 02:00:00:00:0a:01  <------------->  veth1 02:00:00:00:0a:02      2001:db8:1::1/128
#     192.0.2.1/24                              192.0.2.2/24
#     2001:db8::1/64                            2001:db8::2/64, fe80::2/64
#     default via 192.0.2.2                     (no default route)
#     default via fe80::2
#
# /etc/resolv.conf: nameserver 198.51.100.53, nameserver 2001:db8:1::53,
# search example.org.  /run and /tmp are private tmpfs mounts (a repository
# under /tmp is bound back in place), /sys shows the sandbox's interfaces.  The test script
# is PID 1 of the PID namespace, so every process left inside dies with it.
# Run as root of the machine, the sandbox's user namespace maps IDs 0-65535
# to themselves (so tools that switch user, like tcpdump, work); otherwise
# only the caller is mapped, to root.

SANDBOX_IF=veth0
SANDBOX_REMOTE_IF=veth1
SANDBOX_MAC=02:00:00:00:0a:01
SANDBOX_REMOTE_MAC=02:00:00:00:0a:02
SANDBOX_ADDR4=192.0.2.1
SANDBOX_PREFIX4=24
SANDBOX_MASK4=255.255.255.0
SANDBOX_GW4=192.0.2.2
SANDBOX_ADDR6=2001:db8::1
SANDBOX_PREFIX6=64
SANDBOX_GW6=fe80::2
SANDBOX_REMOTE_ADDR6=2001:db8::2
SANDBOX_OUTSIDE4=198.51.100.1
SANDBOX_OUTSIDE6=2001:db8:1::1
SANDBOX_DNS4=198.51.100.53
SANDBOX_DNS6=2001:db8:1::53
SANDBOX_SEARCH=example.org
SANDBOX_MTU=1500

# Private directory for the test's files, on the sandbox's own tmpfs
TESTDIR=/run/passt-test

# sandbox_resolv_text() - Content of the sandbox's /etc/resolv.conf
sandbox_resolv_text() {
	printf 'nameserver %s\nnameserver %s\nsearch %s\n' \
		"$SANDBOX_DNS4" "$SANDBOX_DNS6" "$SANDBOX_SEARCH"
}

# in_sandbox() - Whether this process runs inside the sandbox
in_sandbox() {
	[ -n "${PASST_TEST_SANDBOX:-}" ] &&
	[ "$(readlink /proc/self/ns/net)" != "${PASST_TEST_OUTER_NETNS:-}" ]
}

# sandbox_enter() - Re-execute the test inside a new sandbox, or, when
# already inside, set the sandbox up and return.  Outside, this does not
# return: it exits with the sandboxed run's status, after calling the
# function sandbox_after_hook (if the test defines one) with that status.
sandbox_enter() {
	if [ -n "${PASST_TEST_SANDBOX:-}" ]; then
		in_sandbox || die "sandbox marker set, but still in the outer network namespace"
		if [ "$PASST_TEST_SANDBOX" = map ]; then
			# The outer process writes our ID maps: wait for them
			wait_for 10 sandbox_mapped ||
				die "no user namespace mapping"
		fi
		sandbox_setup || die "sandbox set-up failed"
		return 0
	fi

	command -v unshare >/dev/null 2>&1 || {
		skip "$TEST_NAME" "unshare(1) not available"
		exit 0
	}
	need_pkg iproute2 ip || {
		skip "$TEST_NAME" "ip(8) not available"
		exit 0
	}
	local limit="${PASST_TEST_TIMEOUT:-500}" rc child map_opt
	PASST_TEST_OUTER_NETNS="$(readlink /proc/self/ns/net)"
	PASST_TEST_OUTER_UID="$(id -u)"
	# As root of the machine, map 65536 IDs (programs that switch to
	# their own user, like tcpdump, work); otherwise map just ourselves
	if can_map_ids; then
		PASST_TEST_SANDBOX=map
		map_opt=""
	else
		PASST_TEST_SANDBOX=root
		map_opt="--map-root-user"
	fi
	export PASST_TEST_OUTER_NETNS PASST_TEST_OUTER_UID PASST_TEST_SANDBOX
	# Keep standard input (background jobs get /dev/null), if we have one
	{ exec 3<&0; } 2>/dev/null || exec 3</dev/null
	timeout -k 5 "$limit" unshare --user $map_opt --net --mount \
		--pid --fork --kill-child --mount-proc \
		bash "$TEST_SCRIPT" "$@" 0<&3 3<&- &
	child=$!
	track_pid "$child"
	if [ "$PASST_TEST_SANDBOX" = map ]; then
		sandbox_write_maps "$child" ||
			echo "# could not write the sandbox's ID maps" >&2
	fi
	wait "$child"
	rc=$?
	untrack_pid "$child"
	unset PASST_TEST_SANDBOX
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "FAIL $TEST_NAME (timed out after ${limit}s)"
	fi
	if declare -f sandbox_after_hook >/dev/null; then
		sandbox_after_hook "$rc"
		rc=$?
	fi
	exit "$rc"
}

# sandbox_mapped() - Our user ID is mapped (to root) in the user namespace
sandbox_mapped() {
	[ "$(id -u)" = 0 ]
}

# can_map_ids() - Whether we may write a 65536-ID map for a child user
# namespace: root in the machine's own user namespace
can_map_ids() {
	[ "$(id -u)" = 0 ] && in_initial_userns
}

# sandbox_write_maps() - Map IDs 0-65535 of the sandbox's user namespace to
# the same IDs outside, once unshare(1) (child of timeout(1)) has created it
# $1:	PID of timeout(1)
sandbox_write_maps() {
	local t="$1" u="" n=0 ours
	ours=$(readlink /proc/self/ns/user)
	while [ "$n" -lt 100 ]; do
		if [ -r "/proc/$t/task/$t/children" ]; then
			u=$(awk '{ print $1 }' "/proc/$t/task/$t/children")
		else
			u=$(pgrep -P "$t" 2>/dev/null | head -n1)
		fi
		if [ -n "$u" ] &&
		   [ "$(readlink "/proc/$u/ns/user" 2>/dev/null)" != "$ours" ]; then
			echo "0 0 65536" >"/proc/$u/uid_map" 2>/dev/null &&
			echo "0 0 65536" >"/proc/$u/gid_map" 2>/dev/null &&
				return 0
		fi
		sleep 0.05
		n=$((n + 1))
	done
	return 1
}

# sandbox_private_resolv() - Bind-mount the private resolv.conf over the
# real one (following a symbolic link, which may point into /run)
# $1:	resolved path of /etc/resolv.conf, taken before /run was replaced
sandbox_private_resolv() {
	local target="$1"
	sandbox_resolv_text >"$TESTDIR/resolv.conf" || return 1
	if [ ! -e "$target" ]; then
		mkdir -p "$(dirname "$target")" && : >"$target" || return 1
	fi
	mount --bind "$TESTDIR/resolv.conf" "$target" || return 1
	[ "$(cat /etc/resolv.conf)" = "$(sandbox_resolv_text)" ]
}

# sandbox_private_tmp() - Mount a private tmpfs on /tmp; if the repository
# lives under /tmp, bind it back to the same path on top
sandbox_private_tmp() {
	case "$REPO" in
	/tmp/*)
		mkdir -p /run/passt-repo &&
		mount --bind "$REPO" /run/passt-repo || return 1
		mount -t tmpfs -o mode=1777 tmpfs /tmp || return 1
		mkdir -p "$REPO" &&
		mount --bind /run/passt-repo "$REPO" || return 1
		;;
	*)
		mount -t tmpfs -o mode=1777 tmpfs /tmp || return 1
		;;
	esac
}

# sandbox_setup() - Build mounts and network inside fresh namespaces
sandbox_setup() {
	local resolv links

	# Safety: a fresh network namespace has nothing but lo
	links=$(ip -o link show | awk -F': ' '{ print $2 }' | tr '\n' ' ')
	[ "$links" = "lo " ] || {
		echo "# refusing to set up: interfaces present: $links" >&2
		return 1
	}

	mount --make-rprivate / || return 1
	resolv=$(readlink -f /etc/resolv.conf)
	[ -n "$resolv" ] || resolv=/etc/resolv.conf
	mount -t tmpfs -o mode=0755 tmpfs /run || return 1
	sandbox_private_tmp || return 1
	mount -t sysfs sysfs /sys 2>/dev/null ||
		echo "# warning: cannot mount sysfs, /sys shows outer interfaces" >&2
	mkdir -p "$TESTDIR" || return 1
	sandbox_private_resolv "$resolv" || return 1

	sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 >/dev/null || return 1
	ip link set lo up || return 1
	ip netns add remote || return 1
	sandbox_remote sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 >/dev/null || return 1
	sandbox_remote ip link set lo up || return 1

	ip link add "$SANDBOX_IF" address "$SANDBOX_MAC" mtu "$SANDBOX_MTU" \
		type veth peer name "$SANDBOX_REMOTE_IF" \
		address "$SANDBOX_REMOTE_MAC" netns remote || return 1

	ip addr add "$SANDBOX_ADDR4/$SANDBOX_PREFIX4" dev "$SANDBOX_IF" ||
		return 1
	ip -6 addr add "$SANDBOX_ADDR6/$SANDBOX_PREFIX6" dev "$SANDBOX_IF" \
		nodad || return 1
	ip link set "$SANDBOX_IF" up || return 1

	sandbox_remote ip addr add "$SANDBOX_GW4/$SANDBOX_PREFIX4" \
		dev "$SANDBOX_REMOTE_IF" || return 1
	sandbox_remote ip -6 addr add "$SANDBOX_REMOTE_ADDR6/64" \
		dev "$SANDBOX_REMOTE_IF" nodad || return 1
	sandbox_remote ip -6 addr add "$SANDBOX_GW6/64" \
		dev "$SANDBOX_REMOTE_IF" nodad || return 1
	sandbox_remote ip addr add "$SANDBOX_OUTSIDE4/32" dev lo || return 1
	sandbox_remote ip -6 addr add "$SANDBOX_OUTSIDE6/128" dev lo nodad ||
		return 1
	sandbox_remote ip link set "$SANDBOX_REMOTE_IF" up || return 1

	ip route add default via "$SANDBOX_GW4" dev "$SANDBOX_IF" || return 1
	ip -6 route add default via "$SANDBOX_GW6" dev "$SANDBOX_IF" ||
		return 1

	# The link-local addresses must be usable before tests start
	wait_for 5 sandbox_ll_ready || return 1
	return 0
}

# sandbox_ll_ready() - Both veth ends have a non-tentative link-local address
sandbox_ll_ready() {
	ip -6 addr show dev "$SANDBOX_IF" scope link 2>/dev/null |
		grep -q 'inet6 fe80' || return 1
	ip -6 addr show dev "$SANDBOX_IF" | grep -q tentative && return 1
	sandbox_remote ip -6 addr show dev "$SANDBOX_REMOTE_IF" |
		grep -q tentative && return 1
	return 0
}

# sandbox_remote() - Run a command in the remote namespace
sandbox_remote() {
	ip netns exec remote "$@"
}

# in_remote() - Run a command in the remote namespace (short name)
in_remote() {
	ip netns exec remote "$@"
}

# ns_add() - Create an empty named network namespace (/run/netns/NAME),
# owned by the sandbox's user namespace, with lo up; deleted at cleanup
# $1:	name
ns_add() {
	ip netns add "$1" || return 1
	on_exit "ip netns del '$1'"
	ip netns exec "$1" ip link set lo up
}

# in_ns() - Run a command in a named network namespace
# $1:	name
# $@:	command
in_ns() {
	local ns="$1"
	shift
	ip netns exec "$ns" "$@"
}

# ns_run() - Run a command in a named namespace, or here if NS is empty
# $1:	namespace name, or ""
# $@:	command
ns_run() {
	local ns="$1"
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# ll_ready() - An interface has a non-tentative link-local address
# $1:	interface
ll_ready() {
	ip -6 addr show dev "$1" scope link 2>/dev/null |
		grep -q 'inet6 fe80' || return 1
	ip -6 addr show dev "$1" 2>/dev/null | grep -q tentative && return 1
	return 0
}
