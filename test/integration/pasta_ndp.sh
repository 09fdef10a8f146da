#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/pasta_ndp.sh - IPv6 address services in pasta mode,
# without --config-net: the kernel configures SLAAC from our router
# advertisement (prefix, router, MTU with -m, RDNSS/DNSSL only with
# --dhcp-dns/--dhcp-search), neighbour solicitations for the gateway are
# answered, ISC dhclient -6 gets the host's address by DHCPv6; router
# advertisements come unsolicited too, to a guest that never solicits; and
# -4, -6, --no-dhcp, --no-ndp, --no-ra, --no-dhcpv6 each switch their part
# off.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

CASES="ndp_slaac_addr ndp_slaac_router ndp_ra_prefix ndp_ra_slla
ndp_ra_no_dns_default ndp_ns_gw ndp_dhcpv6 ndp_dhcpv6_no_dns_default
ndp_ra_mtu ndp_slaac_mtu ndp_ra_rdnss_dnssl ndp_dhcpv6_dns_search
ndp_no_ra ndp_no_ra_ns_answered ndp_no_ndp ndp_no_ndp_ns ndp_no_dhcpv6
ndp_no_dhcpv6_slaac ndp_ipv4_only ndp_ipv6_only ndp_no_dhcp
ndp_unsolicited_ra"

HAVE_BB=1; HAVE_DHCLIENT=1; HAVE_PY=1
need_pkg busybox busybox:udhcpc busybox:ping || HAVE_BB=0
need_pkg isc-dhcp-client dhclient || HAVE_DHCLIENT=0
need_pkg python3 python3 || HAVE_PY=0

sandbox_enter "$@"
require_binaries $CASES
if [ "$HAVE_BB$HAVE_DHCLIENT$HAVE_PY" != 111 ]; then
	skip_all "busybox, ISC dhclient or python3 missing" $CASES
	exit 0
fi

# run_ns() - Run clients in a pasta namespace, all at the same time
# $1:	name (results in $TESTDIR/NAME/)
# $2:	seconds: client and capture timeouts (short for negative cases)
# $3:	clients to run: any of "slaac dhcpv6 dhcp"
# $@:	pasta options
# Results: cap.bin (frames seen, until the first RA), slaac, dhclient6,
# udhcpc (see clients.sh), ndp_gw (neighbour entry of fe80::2)
run_ns() {
	local name="$1" secs="$2" what="$3"
	shift 3
	pasta_guest "$name" "$@" <<EOF
D=\$1; C=\$2
export CLIENT_TIMEOUT=$secs
"$PYTHON" "$FRAMES" capture veth0 $secs ra >"\$D/cap.bin" 2>"\$D/cap.log" &
case " $what " in *" slaac "*)
	bash "\$C" slaac veth0 "\$D/slaac" $secs & ;;
esac
case " $what " in *" dhcpv6 "*)
	bash "\$C" dhclient6 veth0 "\$D/dhclient6" & ;;
esac
case " $what " in *" dhcp "*)
	bash "\$C" udhcpc veth0 "\$D/udhcpc" & ;;
esac
(
	bash "\$C" linkup veth0
	busybox ping -6 -c 1 -W 1 -I veth0 fe80::2 >/dev/null 2>&1
	ip -6 neigh show fe80::2 dev veth0 >"\$D/ndp_gw"
) &
wait
"$PYTHON" "$FRAMES" ra <"\$D/cap.bin" >"\$D/ra"
exit 0
EOF
}

# ns_resolved() - The gateway's link-layer address was resolved by NDP
ns_resolved() {
	grep -Eq 'lladdr .*(REACHABLE|STALE|DELAY|PROBE)' "$1" 2>/dev/null
}

# capture_ok() - The capture in the namespace worked (saw our own frames)
capture_ok() {
	[ -s "$1/cap.bin" ] && return 0
	echo "# capture saw nothing: $(log_tail "$1/cap.log")"
	return 1
}

# solicited() - dhclient -6 ran and sent a SOLICIT
solicited() {
	grep -q 'XMT: *Solicit' "$1/dhclient6.log" 2>/dev/null && return 0
	echo "# dhclient -6 did not solicit: $(log_tail "$1/dhclient6.log")"
	return 1
}

# --- Defaults

run_ns default 15 "slaac dhcpv6"
D=$TESTDIR/default
addr=$(lease_get "$D/slaac" addr)
case "$addr" in
2001:db8::*/64) pass ndp_slaac_addr ;;
*) fail ndp_slaac_addr "SLAAC address '$addr' not in 2001:db8::/64" ;;
esac
router=$(lease_get "$D/slaac" router)
case "$router" in
fe80::*) pass ndp_slaac_router ;;
*) fail ndp_slaac_router "default router '$router' is not link-local" ;;
esac
if [ -s "$D/ra" ]; then
	check_lease ndp_ra_prefix "$D/ra" prefix=2001:db8::/64 \
		prefix_flags_la=11
	check_lease ndp_ra_slla "$D/ra" slla=$SANDBOX_MAC
	check_lease ndp_ra_no_dns_default "$D/ra" rdnss= dnssl=
else
	fail ndp_ra_prefix "no router advertisement seen"
	skip_all "no router advertisement seen" ndp_ra_slla \
		ndp_ra_no_dns_default
fi
check ndp_ns_gw "fe80::2 not resolved: $(cat "$D/ndp_gw" 2>/dev/null)" \
	ns_resolved "$D/ndp_gw"
check_lease ndp_dhcpv6 "$D/dhclient6" new_ip6_address=2001:db8::1 ||
	note "dhclient -6: $(log_tail "$D/dhclient6.log")"
if [ -s "$D/dhclient6" ]; then
	check_lease ndp_dhcpv6_no_dns_default "$D/dhclient6" \
		new_dhcp6_name_servers= new_dhcp6_domain_search=
else
	skip ndp_dhcpv6_no_dns_default "no DHCPv6 lease"
fi

# --- Unsolicited RAs: the guest's kernel sends no RS at all; once we saw
# its link-local address (the NS of a ping to the gateway), an RA comes
# to all-nodes by itself

pasta_guest unsol <<EOF
D=\$1; C=\$2
echo 0 >/proc/sys/net/ipv6/conf/veth0/router_solicitations
"$PYTHON" "$FRAMES" capture veth0 10 ra >"\$D/cap.bin" 2>"\$D/cap.log" &
bash "\$C" linkup veth0
busybox ping -6 -c 1 -W 1 -I veth0 fe80::2 >/dev/null 2>&1
wait
"$PYTHON" "$FRAMES" dump <"\$D/cap.bin" >"\$D/dump"
exit 0
EOF
D=$TESTDIR/unsol
# unsolicited_ok() - An RA to all-nodes was seen, and no RS before it
unsolicited_ok() {
	grep "'kind': 'ra'" "$D/dump" 2>/dev/null | grep -q "'dst': 'ff02::1'" &&
		! grep -q "'kind': 'rs'" "$D/dump"
}
kinds=$(sed -n "s/.*'kind': '\([a-z0-9_]*\)'.*/\1/p" "$D/dump" 2>/dev/null |
	tr '\n' ' ')
check ndp_unsolicited_ra "frames seen: '$kinds' $(log_tail "$D/cap.log")" \
	unsolicited_ok

# --- -m, --dhcp-dns, --dhcp-search

run_ns dns 15 "slaac dhcpv6" -m 1400 --dhcp-dns --dhcp-search
D=$TESTDIR/dns
if [ -s "$D/ra" ]; then
	check_lease ndp_ra_mtu "$D/ra" mtu=1400
	check_lease ndp_ra_rdnss_dnssl "$D/ra" rdnss=$SANDBOX_DNS6 \
		dnssl=$SANDBOX_SEARCH
else
	skip_all "no router advertisement seen" ndp_ra_mtu ndp_ra_rdnss_dnssl
fi
check_lease ndp_slaac_mtu "$D/slaac" mtu=1400
check_lease ndp_dhcpv6_dns_search "$D/dhclient6" \
	new_ip6_address=2001:db8::1 new_dhcp6_name_servers=$SANDBOX_DNS6 \
	new_dhcp6_domain_search=$SANDBOX_SEARCH.

# --- Switching parts off

run_ns no_ra 6 "slaac" --no-ra
D=$TESTDIR/no_ra
check ndp_no_ra "got an RA or SLAAC address: ra: $(tr '\n' ' ' <"$D/ra") slaac: $(
	lease_get "$D/slaac" addr)" \
	eval "test ! -s '$D/ra' -a ! -s '$D/slaac' && capture_ok '$D'"
check ndp_no_ra_ns_answered "fe80::2 not resolved with --no-ra: $(
	cat "$D/ndp_gw" 2>/dev/null)" ns_resolved "$D/ndp_gw"

run_ns no_ndp 6 "slaac" --no-ndp
D=$TESTDIR/no_ndp
check ndp_no_ndp "got an RA or SLAAC address: ra: $(tr '\n' ' ' <"$D/ra") slaac: $(
	lease_get "$D/slaac" addr)" \
	eval "test ! -s '$D/ra' -a ! -s '$D/slaac' && capture_ok '$D'"
check ndp_no_ndp_ns "fe80::2 resolved with --no-ndp: $(
	cat "$D/ndp_gw" 2>/dev/null)" \
	eval "! ns_resolved '$D/ndp_gw' && capture_ok '$D'"

run_ns no_dhcpv6 8 "slaac dhcpv6" --no-dhcpv6
D=$TESTDIR/no_dhcpv6
check ndp_no_dhcpv6 "DHCPv6 lease with --no-dhcpv6: $(
	lease_get "$D/dhclient6" new_ip6_address)" \
	eval "test ! -s '$D/dhclient6' && solicited '$D'"
check ndp_no_dhcpv6_slaac "no SLAAC address with --no-dhcpv6" \
	test -s "$D/slaac"

run_ns ipv4_only 8 "slaac dhcpv6 dhcp" -4
D=$TESTDIR/ipv4_only
got="dhcp:$(lease_get "$D/udhcpc" ip) slaac:$(lease_get "$D/slaac" addr)"
got="$got dhcpv6:$(lease_get "$D/dhclient6" new_ip6_address)"
capture_ok "$D" && solicited "$D" || got="$got (clients did not run)"
check_eq ndp_ipv4_only "dhcp:192.0.2.1 slaac: dhcpv6:" "$got"

run_ns ipv6_only 8 "slaac dhcp" -6
D=$TESTDIR/ipv6_only
addr=$(lease_get "$D/slaac" addr)
got="dhcp:$(lease_get "$D/udhcpc" ip) slaac:${addr%%::*}"
check_eq ndp_ipv6_only "dhcp: slaac:2001:db8" "$got"

run_ns no_dhcp 8 "slaac dhcp" --no-dhcp
D=$TESTDIR/no_dhcp
addr=$(lease_get "$D/slaac" addr)
got="dhcp:$(lease_get "$D/udhcpc" ip) slaac:${addr%%::*}"
check_eq ndp_no_dhcp "dhcp: slaac:2001:db8" "$got"

test_finish
