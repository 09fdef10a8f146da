#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/pcap.sh - --pcap FILE in both modes: the file is a pcap
# capture of Ethernet frames that tcpdump -r reads, with plausible,
# non-decreasing timestamps, holding the DHCP exchange and the router
# solicitation/advertisement in both directions.

. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/passt.sh"
. "$(dirname "$0")/../lib/clients.sh"

CASES=""
for m in pasta passt; do
	CASES="$CASES pcap_${m}_header pcap_${m}_tcpdump pcap_${m}_timestamps
	       pcap_${m}_dhcp_request pcap_${m}_dhcp_reply pcap_${m}_rs
	       pcap_${m}_ra"
done

HAVE_BB=1; HAVE_TCPDUMP=1
need_pkg busybox busybox:udhcpc || HAVE_BB=0
need_pkg tcpdump tcpdump || HAVE_TCPDUMP=0
[ -z "${PASST_TEST_SANDBOX:-}" ] && build_helpers

sandbox_enter "$@"
require_binaries --helpers $CASES
if [ "$HAVE_BB" != 1 ]; then
	skip_all "busybox udhcpc not available" $CASES
	exit 0
fi

# tcpdump drops privileges to its own user: that needs it mapped in the
# sandbox's user namespace (the sandbox maps 65536 IDs when run as root)
TCPDUMP_WHY=""
if [ "$HAVE_TCPDUMP" != 1 ]; then
	TCPDUMP_WHY="tcpdump not available"
else
	printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\001\000\000\000' \
		>"$TESTDIR/empty.pcap"
	tcpdump -r "$TESTDIR/empty.pcap" >/dev/null 2>"$TESTDIR/tcpdump.err" ||
		TCPDUMP_WHY="tcpdump cannot run here: $(head -c 100 "$TESTDIR/tcpdump.err")"
fi

# pcap_header() - Magic number (either byte order, us or ns) and Ethernet
# link type of a capture file
# $1:	file
pcap_header() {
	local h magic link
	h=$(od -An -tx1 -N24 "$1" 2>/dev/null | tr -d ' \n')
	magic=${h:0:8}
	case "$magic" in
	d4c3b2a1|4d3cb2a1) link=${h:40:8} ;;	# little endian
	a1b2c3d4|a1b23c4d) link=$(echo "${h:46:2}${h:44:2}${h:42:2}${h:40:2}") ;;
	*) echo "bad magic '$magic'"; return 1 ;;
	esac
	[ "$link" = 01000000 ] || { echo "link type not Ethernet: $link"; return 1; }
	return 0
}

# check_pcap() - All checks on one capture file
# $1:	mode (pasta or passt), for case names
# $2:	file
check_pcap() {
	local m="$1" f="$2" why out now
	if [ ! -s "$f" ]; then
		skip_all "no capture file" pcap_${m}_tcpdump pcap_${m}_timestamps \
			pcap_${m}_dhcp_request pcap_${m}_dhcp_reply pcap_${m}_rs \
			pcap_${m}_ra
		fail "pcap_${m}_header" "capture file $f missing or empty"
		return
	fi
	if why=$(pcap_header "$f"); then
		pass "pcap_${m}_header"
	else
		fail "pcap_${m}_header" "$why"
	fi
	if [ -n "$TCPDUMP_WHY" ]; then
		skip_all "$TCPDUMP_WHY" pcap_${m}_tcpdump pcap_${m}_timestamps \
			pcap_${m}_dhcp_request pcap_${m}_dhcp_reply pcap_${m}_rs \
			pcap_${m}_ra
		return
	fi
	out="$f.txt"
	if tcpdump -r "$f" -nn -tt -e >"$out" 2>"$f.err"; then
		pass "pcap_${m}_tcpdump"
	else
		fail "pcap_${m}_tcpdump" "tcpdump -r failed: $(head -c 200 "$f.err")"
	fi
	now=$(date +%s)
	why=$(awk -v now="$now" '
		{ t = $1 + 0
		  if (t < now - 3600 || t > now + 60) { print "implausible time " $1; exit }
		  if (t < last) { print "time goes back at " $1; exit }
		  last = t }' "$out")
	if [ -z "$why" ] && [ -s "$out" ]; then
		pass "pcap_${m}_timestamps"
	else
		fail "pcap_${m}_timestamps" "${why:-no frames}"
	fi
	check "pcap_${m}_dhcp_request" "no DHCP request in the capture" \
		grep -q 'BOOTP/DHCP, Request' "$out"
	check "pcap_${m}_dhcp_reply" "no DHCP reply in the capture" \
		grep -q '192.0.2.2.67 > .*BOOTP/DHCP, Reply' "$out"
	check "pcap_${m}_rs" "no router solicitation in the capture" \
		grep -q 'router solicitation' "$out"
	check "pcap_${m}_ra" "no router advertisement in the capture" \
		grep -q 'router advertisement' "$out"
}

# --- pasta

pasta_guest pcap --pcap "$TESTDIR/pasta.pcap" <<'EOF'
bash "$2" slaac veth0 "$1/slaac"
bash "$2" udhcpc veth0 "$1/udhcpc"
exit 0
EOF
check_pcap pasta "$TESTDIR/pasta.pcap"

# --- passt

SOCK=$TESTDIR/passt.sock
if passt_start "$SOCK" --pcap "$TESTDIR/passt.pcap"; then
	ns_add guest
	relay_start guest "$SOCK" eth0
	in_ns guest bash "$CLIENTS" slaac eth0 "$TESTDIR/slaac"
	in_ns guest bash "$CLIENTS" udhcpc eth0 "$TESTDIR/udhcpc"
	relay_stop
	passt_stop
	check_pcap passt "$TESTDIR/passt.pcap"
else
	fail pcap_passt_header "passt does not start: $(log_tail "$SOCK.log")"
	skip_all "passt does not start" pcap_passt_tcpdump pcap_passt_timestamps \
		pcap_passt_dhcp_request pcap_passt_dhcp_reply pcap_passt_rs \
		pcap_passt_ra
fi

test_finish
