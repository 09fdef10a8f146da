#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/sandbox.sh - Self-test of the test sandbox: namespaces,
# addresses, routes, reachability of the remote namespace, the private
# resolv.conf, and that nothing of the machine is visible or changed.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"

BB=1
need_pkg busybox busybox:ping || BB=0

if [ -z "${PASST_TEST_SANDBOX:-}" ]; then
	# Outside: remember what the machine looks like
	OUTER_RESOLV_SUM=$(sha256sum /etc/resolv.conf 2>/dev/null | cut -c1-64)
	OUTER_LINKS=$(ip -o link show 2>/dev/null | awk -F': ' '{ print $2 }' |
		      sed 's/@.*//' | sort | tr '\n' ' ')
	OUTER_ROUTES=$(ip route show 2>/dev/null; ip -6 route show 2>/dev/null)
	OUTER_RUN_NETNS=$(ls /run/netns 2>/dev/null | tr '\n' ' ')
	SLEEPER_MARK="sandbox-selftest-sleeper-$$-$RANDOM"
	export OUTER_LINKS SLEEPER_MARK

	# sandbox_after_hook() - Checks done outside once the sandbox is gone
	sandbox_after_hook() {
		local rc="$1" now
		now=$(sha256sum /etc/resolv.conf 2>/dev/null | cut -c1-64)
		check_eq sandbox_real_resolv_unchanged "$OUTER_RESOLV_SUM" "$now"
		now=$(ip -o link show 2>/dev/null | awk -F': ' '{ print $2 }' |
		      sed 's/@.*//' | sort | tr '\n' ' ')
		check_eq sandbox_real_links_unchanged "$OUTER_LINKS" "$now"
		now=$(ip route show 2>/dev/null; ip -6 route show 2>/dev/null)
		if [ "$now" = "$OUTER_ROUTES" ]; then
			pass sandbox_real_routes_unchanged
		else
			fail sandbox_real_routes_unchanged "routes changed"
		fi
		now=$(ls /run/netns 2>/dev/null | tr '\n' ' ')
		check_eq sandbox_real_run_unchanged "$OUTER_RUN_NETNS" "$now"
		if grep -qs "$SLEEPER_MARK" /proc/[0-9]*/cmdline; then
			fail sandbox_cleanup "a process started inside survived"
		else
			pass sandbox_cleanup
		fi
		[ "$rc" -eq 0 ] && [ "$TEST_FAILED" -eq 0 ]
	}
fi

sandbox_enter "$@"

# --- Inside the sandbox

check sandbox_netns "same network namespace as outside" \
	test "$(readlink /proc/self/ns/net)" != "$PASST_TEST_OUTER_NETNS"

check sandbox_root "not uid 0 in the user namespace" test "$(id -u)" = 0

if [ "$PASST_TEST_SANDBOX" = map ]; then
	check_eq sandbox_idmap "0 0 65536 / 0 0 65536" \
		"$(xargs <"/proc/self/uid_map") / $(xargs <"/proc/self/gid_map")"
else
	check_eq sandbox_idmap "0 $PASST_TEST_OUTER_UID 1" \
		"$(xargs <"/proc/self/uid_map")"
fi

check sandbox_pidns "test script is not PID 1" test "$$" = 1

links=$(ip -o link show | awk -F': ' '{ print $2 }' | sed 's/@.*//' | sort |
	tr '\n' ' ')
check_eq sandbox_links "lo veth0 " "$links"

sysnet=$(ls /sys/class/net | sort | tr '\n' ' ')
check_eq sandbox_sysfs "lo veth0 " "$sysnet"

leak=""
for l in $OUTER_LINKS; do
	[ "$l" = lo ] && continue
	ip link show dev "$l" >/dev/null 2>&1 && leak="$leak $l"
	[ -e "/sys/class/net/$l" ] && leak="$leak $l(sysfs)"
done
check_eq sandbox_real_links_hidden "" "$leak"

check_eq sandbox_resolv "$(sandbox_resolv_text)" "$(cat /etc/resolv.conf)"

r4=$(ip route show default | xargs)
check_eq sandbox_route4 "default via 192.0.2.2 dev veth0" "$r4"
r6=$(ip -6 route show default | sed 's/ proto [a-z]*//; s/ metric.*//')
check_eq sandbox_route6 "default via fe80::2 dev veth0" "$r6"

a4=$(ip -o -4 addr show dev veth0 | awk '{ print $4 }')
check_eq sandbox_addr4 "192.0.2.1/24" "$a4"
a6=$(ip -o -6 addr show dev veth0 scope global | awk '{ print $4 }')
check_eq sandbox_addr6 "2001:db8::1/64" "$a6"
check_eq sandbox_mtu "1500" "$(cat /sys/class/net/veth0/mtu)"

ra4=$(in_remote ip -o -4 addr show | awk '{ print $4 }' | sort | tr '\n' ' ')
check_eq sandbox_remote_addr4 "127.0.0.1/8 192.0.2.2/24 198.51.100.1/32 " \
	"$ra4"
check sandbox_remote_no_default "remote namespace has a default route" \
	test -z "$(in_remote ip route show default)$(in_remote ip -6 route show default)"

if [ "$BB" = 1 ]; then
	p() { timeout 5 busybox ping -c 1 -W 2 "$@" >/dev/null 2>&1; }
	check sandbox_ping4_remote "no reply from 192.0.2.2" p 192.0.2.2
	check sandbox_ping6_remote "no reply from 2001:db8::2" p 2001:db8::2
	check sandbox_ping6_gw_ll "no reply from fe80::2%veth0" \
		p -I veth0 fe80::2
	check sandbox_ping4_outside "no reply from 198.51.100.1" \
		p 198.51.100.1
	check sandbox_ping6_outside "no reply from 2001:db8:1::1" \
		p 2001:db8:1::1
	check sandbox_ping4_back "remote cannot reach 192.0.2.1" \
		eval 'in_remote busybox ping -c 1 -W 2 192.0.2.1 >/dev/null' 
	check sandbox_ping4_unreachable "off-sandbox address answered" \
		eval '! p -w 1 203.0.113.1'
else
	skip_all "busybox ping not available" sandbox_ping4_remote \
		sandbox_ping6_remote sandbox_ping6_gw_ll sandbox_ping4_outside \
		sandbox_ping6_outside sandbox_ping4_back \
		sandbox_ping4_unreachable
fi

# Library self-checks
start=$SECONDS
wait_for 0.5 false
rc=$?
check sandbox_wait_for_timeout "wait_for false did not fail in time" \
	test "$rc" = 1 -a $((SECONDS - start)) -le 2
check sandbox_wait_for_ok "wait_for true failed" wait_for 1 true

bg_start "$TESTDIR/sleeper.log" bash -c "exec -a $SLEEPER_MARK sleep 300"
sleeper=$BG_PID
check sandbox_bg_start "background process not running" \
	wait_for 2 pid_alive "$sleeper"

test_finish
