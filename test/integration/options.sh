#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/options.sh - Command line handling of the real binaries:
# --version and --help exit 0 with their text on stdout; an unknown option
# exits 1 with getopt's "unrecognized option" message; every invalid value or
# combination exits 1 with exactly one line on stderr that starts with the
# option's name.  Only cases rejected while parsing options are used, so no
# networking is ever started; each run is bounded by timeout 10 (and passt
# runs with -f, pasta with stdin from /dev/null, so that a case accepted by
# mistake can't detach or wait).

. "$(dirname "$0")/../lib/common.sh"

PASST="$REPO/passt"
PASTA="$REPO/pasta"
OUT="$(mktemp)"
ERR="$(mktemp)"
trap 'rm -f "$OUT" "$ERR"' EXIT

if [ ! -x "$PASST" ] || [ ! -e "$PASTA" ]; then
	fail options_binaries "passt/pasta not built"
	exit 1
fi

# run() - Run a binary with arguments, bounded, output in $OUT and $ERR
# $1:	passt or pasta
# $@:	arguments
# Sets RC to the exit status
run() {
	local bin="$PASST"
	[ "$1" = pasta ] && bin="$PASTA"
	shift
	timeout -k 2 10 "$bin" "$@" </dev/null >"$OUT" 2>"$ERR"
	RC=$?
}

# lines() - Number of lines in a file
# $1:	file
lines() {
	wc -l <"$1" | tr -d ' '
}

# bad() - An invalid command line: status 1, one line naming the option
# $1:	passt or pasta
# $2:	expected start of the error line (the option as given)
# $@:	arguments
bad() {
	local mode="$1" opt="$2" name
	shift 2
	name="options_${mode}_$(echo "$*" | tr -c 'a-zA-Z0-9\n' '_' |
				   cut -c1-40)"
	if [ "$mode" = passt ]; then
		run passt -f "$@"
	else
		run pasta "$@"
	fi

	if [ "$RC" -ne 1 ]; then
		fail "$name" "exit status $RC, expected 1: $(head -c 200 "$ERR")"
	elif [ "$(lines "$ERR")" != 1 ]; then
		fail "$name" "expected one line on stderr, got: $(cat "$ERR")"
	elif [ "$(head -c ${#opt} "$ERR")" != "$opt" ]; then
		fail "$name" "message doesn't start with '$opt': $(cat "$ERR")"
	elif [ -s "$OUT" ]; then
		fail "$name" "unexpected output on stdout"
	else
		pass "$name"
	fi
}

# --- --version, --help

run passt --version
check options_passt_version "got '$(cat "$OUT")', status $RC" \
	test "$RC" = 0 -a "$(lines "$OUT")" = 1 -a \
	"$(cut -d' ' -f1 "$OUT")" = passt -a -n "$(cut -d' ' -f2 "$OUT")"

run pasta --version
check options_pasta_version "got '$(cat "$OUT")', status $RC" \
	test "$RC" = 0 -a "$(cut -d' ' -f1 "$OUT")" = pasta

run passt --help
check options_passt_help "status $RC" \
	grep -q '^Usage: passt' "$OUT"
[ "$RC" = 0 ] || fail options_passt_help_status "status $RC"

run pasta -h
check options_pasta_help "status $RC" \
	grep -q '^Usage: pasta' "$OUT"
[ "$RC" = 0 ] || fail options_pasta_help_status "status $RC"

# --- Unknown options, missing values

for mode in passt pasta; do
	run "$mode" --xyz
	check "options_${mode}_unknown" "status $RC: $(cat "$ERR")" \
		test "$RC" = 1 -a -n \
		"$(grep "unrecognized option '--xyz'" "$ERR")"

	run "$mode" --mtu
	check "options_${mode}_missing_value" "status $RC: $(cat "$ERR")" \
		test "$RC" = 1 -a -n "$(grep "requires an argument" "$ERR")"
done

# --- Invalid values and combinations, both modes

for mode in passt pasta; do
	bad "$mode" -m		-m 10
	bad "$mode" --mtu	--mtu=99999
	bad "$mode" --busy-poll	--busy-poll 2000
	bad "$mode" -a		-a 1.2.3
	bad "$mode" -a		-a 127.0.0.1
	bad "$mode" -n		-n 255.0.255.0
	bad "$mode" -M		-M zz:00:00:00:00:00
	bad "$mode" -g		-g nowhere
	bad "$mode" -D		-D nowhere
	bad "$mode" -S		-S bad..example
	bad "$mode" --ipv6-only	-4 -6
	bad "$mode" --address	-4 -a 2001:db8::1
	bad "$mode" -t		-t 0
	bad "$mode" -t		-t 70000
	bad "$mode" -t		-t 25-22
	bad "$mode" -u		-u 22,,23
	bad "$mode" -t		-t 80:8080 -t 80:9090
	bad "$mode" --runas	--runas no_such_user_for_options_test
	bad "$mode" -i		-i no_such_if0
	bad "$mode" --no-tcp	--no-tcp -t 22
done

# --- Mode-specific options and keywords

bad passt -t		-t auto
bad passt -I		-I tap0
bad passt --netns	--netns foo
bad passt --config-net	--config-net
bad passt -T		-T 22
bad passt foo		foo
bad pasta -s		-s /tmp/options_test.socket
bad pasta -1		-1
bad pasta -t		-t all
bad pasta --netns-only	--netns-only
bad pasta --userns	--userns /proc/self/ns/user
bad pasta --netns	--netns /nonexistent/netns
bad pasta --netns	--netns /proc/self/ns/net sh
bad pasta -I		-I a/b

# --- The manual page: renders cleanly, documents every option of --help

if command -v groff >/dev/null; then
	groff -man -Tutf8 -ww "$REPO/passt.1" >/dev/null 2>"$ERR"
	check options_manpage_renders "$(head -c 300 "$ERR")" \
		test ! -s "$ERR"
else
	skip options_manpage_renders "groff not installed"
fi

missing=""
for mode in passt pasta; do
	run "$mode" --help
	for o in $(grep -o -- '--[a-z0-9-]*' "$OUT" | sort -u); do
		grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" \
			"$REPO/passt.1" || missing="$missing $o"
	done
done
check options_manpage_documents_help "not in passt.1:$missing" \
	test -z "$missing"

exit "$TEST_FAILED"
