#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/pasta_dhcp.sh - DHCP in pasta mode, without --config-net:
# busybox udhcpc and ISC dhclient each get the host's address, netmask and
# gateway; DNS and search domains only with --dhcp-dns/--dhcp-search; -a,
# -n, -g, -M and -m are reflected in the lease (and in ARP replies).

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

UDHCPC_CASES="dhcp_udhcpc_default dhcp_udhcpc_no_dns_default
dhcp_udhcpc_server_lease dhcp_udhcpc_dns_search dhcp_udhcpc_opts
dhcp_arp_our_mac"
DHCLIENT_CASES="dhcp_dhclient_default dhcp_dhclient_no_dns_default
dhcp_dhclient_dns_search dhcp_dhclient_opts"

HAVE_BB=1; HAVE_DHCLIENT=1
need_pkg busybox busybox:udhcpc busybox:arping || HAVE_BB=0
need_pkg isc-dhcp-client dhclient || HAVE_DHCLIENT=0

sandbox_enter "$@"
require_binaries $UDHCPC_CASES $DHCLIENT_CASES

[ "$HAVE_BB" = 1 ] || skip_all "busybox udhcpc not available" $UDHCPC_CASES
[ "$HAVE_DHCLIENT" = 1 ] ||
	skip_all "ISC dhclient not available" $DHCLIENT_CASES

# run_clients() - Run the available DHCP clients in one pasta namespace
# $1:	name (results in $TESTDIR/NAME/udhcpc and .../dhclient)
# $@:	pasta options
run_clients() {
	local name="$1"
	shift
	HAVE_BB=$HAVE_BB HAVE_DHCLIENT=$HAVE_DHCLIENT \
	pasta_guest "$name" "$@" <<EOF
D=\$1; C=\$2
if [ "$HAVE_BB" = 1 ]; then
	bash "\$C" udhcpc veth0 "\$D/udhcpc"
	# ARP for the gateway of the lease: whose MAC answers?
	ip=\$(sed -n 's/^ip=//p' "\$D/udhcpc")
	gw=\$(sed -n 's/^router=//p' "\$D/udhcpc")
	mask=\$(sed -n 's/^subnet=//p' "\$D/udhcpc")
	if [ -n "\$ip" ] && [ -n "\$gw" ]; then
		ip addr add "\$ip/\$mask" dev veth0
		busybox arping -c 1 -w 2 -I veth0 "\$gw" >"\$D/arping" 2>&1
		ip addr flush dev veth0 scope global
	fi
fi
if [ "$HAVE_DHCLIENT" = 1 ]; then
	bash "\$C" dhclient4 veth0 "\$D/dhclient"
fi
exit 0
EOF
}

# --- Defaults: address, mask, router; no DNS, no search list in pasta mode

run_clients default
D=$TESTDIR/default
if [ "$HAVE_BB" = 1 ]; then
	check_lease dhcp_udhcpc_default "$D/udhcpc" ip=192.0.2.1 \
		subnet=255.255.255.0 router=192.0.2.2 ||
		note "udhcpc: $(log_tail "$D/udhcpc.log")"
	if [ -s "$D/udhcpc" ]; then
		check_lease dhcp_udhcpc_no_dns_default "$D/udhcpc" dns= search=
		lease=$(lease_get "$D/udhcpc" lease)
		sid=$(lease_get "$D/udhcpc" serverid)
		check dhcp_udhcpc_server_lease \
			"server id '$sid', lease time '$lease'" \
			test -n "$sid" -a "${lease:-0}" -gt 0
	else
		skip_all "no lease" dhcp_udhcpc_no_dns_default \
			dhcp_udhcpc_server_lease
	fi
fi
if [ "$HAVE_DHCLIENT" = 1 ]; then
	check_lease dhcp_dhclient_default "$D/dhclient" \
		new_ip_address=192.0.2.1 new_subnet_mask=255.255.255.0 \
		new_routers=192.0.2.2 ||
		note "dhclient: $(log_tail "$D/dhclient.log")"
	if [ -s "$D/dhclient" ]; then
		check_lease dhcp_dhclient_no_dns_default "$D/dhclient" \
			new_domain_name_servers= new_domain_search=
	else
		skip dhcp_dhclient_no_dns_default "no lease"
	fi
fi

# --- --dhcp-dns --dhcp-search: resolvers and search list of the host

run_clients dns --dhcp-dns --dhcp-search
D=$TESTDIR/dns
if [ "$HAVE_BB" = 1 ]; then
	check_lease dhcp_udhcpc_dns_search "$D/udhcpc" ip=192.0.2.1 \
		dns=198.51.100.53 search=example.org
fi
if [ "$HAVE_DHCLIENT" = 1 ]; then
	check_lease dhcp_dhclient_dns_search "$D/dhclient" \
		new_ip_address=192.0.2.1 \
		new_domain_name_servers=198.51.100.53 \
		new_domain_search=example.org.
fi

# --- -a -n -g -M -m

run_clients opts -a 192.0.2.77 -n 255.255.255.128 -g 192.0.2.100 \
	-M 02:00:00:00:0d:01 -m 1400
D=$TESTDIR/opts
if [ "$HAVE_BB" = 1 ]; then
	check_lease dhcp_udhcpc_opts "$D/udhcpc" ip=192.0.2.77 \
		subnet=255.255.255.128 router=192.0.2.100 mtu=1400
	if [ -s "$D/arping" ]; then
		check dhcp_arp_our_mac "ARP reply not from -M address: $(
			tr '\n' ' ' <"$D/arping")" \
			grep -qi 'reply from 192.0.2.100 \[02:00:00:00:0d:01\]' \
			"$D/arping"
	else
		skip dhcp_arp_our_mac "no lease to test ARP with"
	fi
fi
if [ "$HAVE_DHCLIENT" = 1 ]; then
	check_lease dhcp_dhclient_opts "$D/dhclient" \
		new_ip_address=192.0.2.77 new_subnet_mask=255.255.255.128 \
		new_routers=192.0.2.100 new_interface_mtu=1400
fi

test_finish
