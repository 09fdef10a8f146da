#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/seccomp_lists.sh - The generation of the seccomp
# allow-lists (seccomp.sh, run by make), without networking, in a copy of
# the sources (the tree under test is not rebuilt):
#   - make prints how many syscalls each mode allows, for x86_64 and, with
#     Debian's cross compiler, aarch64; the README's security section gives
#     the same numbers;
#   - an annotation allowing a syscall that maps memory (mmap), or naming a
#     syscall that does not exist, fails the build with a message naming it.

. "$(dirname "$0")/../lib/common.sh"

CASES="seccomp_lists_make_x86_64 seccomp_lists_readme_x86_64
seccomp_lists_make_aarch64 seccomp_lists_readme_aarch64
seccomp_lists_refuse_mmap seccomp_lists_refuse_unknown"

WORK=$(mktemp -d) || { skip_all "mktemp failed" $CASES; exit 0; }
on_exit "rm -rf '$WORK'"

# copy_tree() - What "make seccomp.h" needs, in a fresh directory
# $1:	directory
copy_tree() {
	mkdir -p "$1" &&
	cp "$REPO"/*.c "$REPO"/*.h "$REPO"/Makefile "$REPO"/seccomp.sh "$1/" &&
	rm -f "$1/seccomp.h"
}

# make_counts() - Generate seccomp.h with a compiler, print make's line
# "seccomp: passt allows N syscalls, pasta M (TARGET)"
# $1:	directory
# $2:	compiler
make_counts() {
	make -s -C "$1" CC="$2" VERSION=test seccomp.h 2>&1
}

# readme_counts() - The counts the README gives, "PASST PASTA", for x86_64
# or aarch64.  The sentence: "... on x86_64 passt allows N syscalls and
# pasta M (aarch64: N and M)."
# $1:	x86_64 or aarch64
readme_counts() {
	tr '\n' ' ' <"$REPO/README.md" | tr -s ' ' | awk -v arch="$1" '{
		if (!match($0, /on x86_64 passt allows [0-9]+ syscalls and pasta [0-9]+ \(aarch64: [0-9]+ and [0-9]+\)/))
			exit
		n = split(substr($0, RSTART, RLENGTH), w, /[^0-9]+/)
		# w[]: "", 86, 64, passt, pasta, 64 (aarch64), passt, pasta
		if (arch == "x86_64")
			print w[4], w[5]
		else
			print w[7], w[8]
	}'
}

# counts_case() - make's counts for one architecture, and the README's
# $1:	x86_64 or aarch64
# $2:	compiler for it
counts_case() {
	local arch="$1" cc="$2" dir="$WORK/$1" out got
	copy_tree "$dir" || { fail "seccomp_lists_make_$arch" "copy failed"; return; }
	out=$(make_counts "$dir" "$cc")
	got=$(echo "$out" | sed -n 's/^seccomp: passt allows \([0-9]*\) syscalls, pasta \([0-9]*\) (.*).*/\1 \2/p')
	check "seccomp_lists_make_$arch" "make printed: $(echo "$out" | tr '\n' '|' | cut -c1-300)" \
		eval '[ -n "$got" ] && [ -s "$dir/seccomp.h" ]'
	check_eq "seccomp_lists_readme_$arch" "$got" "$(readme_counts "$arch")"
}

if [ "$(uname -m)" = x86_64 ] && have_cmd "${CC:-cc}"; then
	counts_case x86_64 "${CC:-cc}"
elif have_cmd x86_64-linux-gnu-gcc; then
	counts_case x86_64 x86_64-linux-gnu-gcc
else
	skip_all "no compiler for x86_64" seccomp_lists_make_x86_64 \
		seccomp_lists_readme_x86_64
fi

if have_cmd aarch64-linux-gnu-gcc; then
	counts_case aarch64 aarch64-linux-gnu-gcc
else
	skip_all "aarch64-linux-gnu-gcc not available (gcc-aarch64-linux-gnu)" \
		seccomp_lists_make_aarch64 seccomp_lists_readme_aarch64
fi

# refuse_case() - An added annotation must fail the build, naming it
# $1:	case name
# $2:	syscall name
# $3:	what the message must contain
refuse_case() {
	local name="$1" sc="$2" want="$3" dir="$WORK/$1" out rc
	copy_tree "$dir" || { fail "$name" "copy failed"; return; }
	printf '/* #syscalls %s */\n' "$sc" >>"$dir/util.c"
	out=$(make_counts "$dir" "${CC:-cc}")
	rc=$?
	check "$name" "exit status $rc: $(echo "$out" | tr '\n' '|' | cut -c1-300)" \
		eval '[ "$rc" -ne 0 ] && [ ! -e "$dir/seccomp.h" ] &&
		      echo "$out" | grep -q "$want"'
}

if have_cmd "${CC:-cc}"; then
	refuse_case seccomp_lists_refuse_mmap mmap \
		"util.c:.*mmap: no memory may be mapped"
	refuse_case seccomp_lists_refuse_unknown not_a_syscall \
		"unknown syscall names in annotations: not_a_syscall"
else
	skip_all "no compiler" seccomp_lists_refuse_mmap \
		seccomp_lists_refuse_unknown
fi

test_finish
