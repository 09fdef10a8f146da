#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/integration/build.sh - Build and layout, without networking: the
# default make target gives passt and the pasta link; one epoll_wait() and
# one dispatch switch on the epoll reference type; the flags are C11
# with GNU extensions and -Wall -Wextra -Werror, and clang accepts every
# source with them too; the passt binary imports no allocator and no stdio
# stream function (nm -D --undefined-only); the mode comes from the
# basename of argv[0] and nothing else; "man ./passt.1" renders; README.md
# says what the program is and how to build, run and test it; .ci/run
# calls make check.

. "$(dirname "$0")/../lib/common.sh"

PASST="$REPO/passt"
PASTA="$REPO/pasta"
OUT="$(mktemp)"
ERR="$(mktemp)"
trap 'rm -f "$OUT" "$ERR"' EXIT

if [ ! -x "$PASST" ] || [ ! -e "$PASTA" ]; then
	fail build_binaries "passt/pasta not built (run make)"
	exit 1
fi

# --- Default target: passt, and pasta as a link to it

check build_pasta_link "pasta is not a symbolic link to passt: $(ls -l "$PASTA")" \
	test -L "$PASTA" -a "$(readlink "$PASTA")" = passt

# The first target of the Makefile (not a special one) is the default goal;
# make itself isn't run, so nothing is rebuilt or rewritten here
rule=$(awk '/^[A-Za-z0-9_\/-][^=]*:([^=]|$)/ { print; exit }' "$REPO/Makefile")
default=${rule%%:*}
deps=" ${rule#*:} "
check build_default_target "default goal '$default' builds '$deps'" \
	eval 'case "$deps" in *" passt "*) ;; *) false ;; esac &&
	      case "$deps" in *" pasta "*) ;; *) false ;; esac'

# --- Flags: C11 + GNU, warnings are errors (as recorded by the last build
# in .build-flags); clang takes them as well

flags=$(cat "$REPO/.build-flags" 2>/dev/null)
missing=""
for f in -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror; do
	case " $flags " in *" $f "*) ;; *) missing="$missing $f" ;; esac
done
check build_flags "the last build's flags lack$missing: $flags" \
	test -n "$flags" -a -z "$missing"

if command -v clang >/dev/null; then
	bad=""
	for f in "$REPO"/*.c; do
		clang -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wformat=2 \
			-Wshadow -Wno-missing-field-initializers \
			-DPASST_VERSION='"test"' -I"$REPO" -fsyntax-only "$f" \
			>>"$ERR" 2>&1 || bad="$bad $(basename "$f")"
	done
	check build_clang_clean "clang -Werror rejects$bad: $(head -c 300 "$ERR")" \
		test -z "$bad"
else
	skip build_clang_clean "clang not installed"
fi

# --- No dynamic memory, no stdio streams: what the binary imports

if command -v nm >/dev/null; then
	nm -D --undefined-only "$PASST" >"$OUT" 2>"$ERR"
	# Plain symbol names, without version suffixes
	syms=$(awk '{ print $NF }' "$OUT" | sed 's/@.*//' | sort -u)
	# The list must be real: an empty one would pass anything
	if ! echo "$syms" | grep -qx epoll_wait; then
		fail build_no_malloc "nm found no epoll_wait import: $(head -c 200 "$ERR")"
	else
		bad=$(echo "$syms" | grep -Ex '(__libc_)?(malloc|calloc|realloc|reallocarray|free|strdup|strndup|__strdup|aligned_alloc|posix_memalign|memalign|valloc|pvalloc|asprintf|vasprintf|__asprintf_chk|__vasprintf_chk|getline|getdelim|__getdelim|open_memstream|getaddrinfo)' |
		      tr '\n' ' ')
		check build_no_malloc "passt imports: $bad" test -z "$bad"
		bad=$(echo "$syms" | grep -Ex '(stdin|stdout|stderr|_IO_.*|f[a-z]*open(64)?|fclose|fflush|f(get|put)(s|c|wc|ws)(_unlocked)?|_?_?(v?f?printf|v?f?scanf|fread|fwrite|perror|puts|putchar|getchar|setvbuf|setbuf|popen|pclose|tmpfile)(_chk|_unlocked)?|__(v?f?printf|fread|fgets)_chk|__isoc99_v?f?scanf|__uflow|__overflow)' |
		      tr '\n' ' ')
		check build_no_stdio "passt imports stdio stream functions: $bad" \
			test -z "$bad"
	fi
else
	skip_all "nm not installed" build_no_malloc build_no_stdio
fi

# --- One epoll loop, one dispatch switch on the reference type

# calls() - Lines of the product's sources calling a function, comments out
# $1:	extended regular expression
calls() {
	grep -En "$1" "$REPO"/*.c | grep -Ev '^[^:]*:[0-9]+:\s*(/?\*|//)' |
		grep -v '"'
}
waits=$(calls '\<epoll_p?wait2?\(' | wc -l)
switches=$(calls 'switch \(ref\.type\)' | wc -l)
where=$(calls '\<epoll_p?wait2?\(|switch \(ref\.type\)' |
	cut -d: -f1,2 | xargs -n1 basename | tr '\n' ' ')
# The loop's wait, with its spin before sleeping, is busypoll.c's, called
# from the loop in passt.c and from nowhere else
loops=$(calls '\<busy_poll_wait\(' | grep -v '/busypoll\.c:' | cut -d: -f1 |
	xargs -n1 basename | tr '\n' ' ')
check build_one_loop "epoll_wait calls: $waits, dispatch switches: $switches ($where), busy_poll_wait() called from: $loops" \
	test "$waits" = 1 -a "$switches" = 1 -a \
	"$(calls '\<epoll_p?wait2?\(' | cut -d: -f1 | xargs basename)" = busypoll.c -a \
	"$loops" = "passt.c "

# --- Mode from the basename of argv[0], nothing else

# version_as() - First word of --version, with a given argv[0]
# $1:	argv[0]
# $2:	binary
version_as() {
	bash -c 'exec -a "$1" "$2" --version' _ "$1" "$2" 2>/dev/null |
		cut -d' ' -f1
}
check_eq build_mode_pasta_argv0 pasta "$(version_as /some/where/pasta "$PASST")"
check_eq build_mode_passt_argv0 passt "$(version_as passt "$PASTA")"
check_eq build_mode_basename_only passt \
	"$(version_as /some/pasta/passt "$PASTA")"

# --- The manual page

if command -v man >/dev/null && man --version >/dev/null 2>&1; then
	(cd "$REPO" && MANPAGER=cat PAGER=cat MANWIDTH=100 LC_ALL=C.UTF-8 \
		man ./passt.1) >"$OUT" 2>"$ERR"
	rc=$?
	check build_man_renders "man ./passt.1: status $rc, $(head -c 300 "$ERR")" \
		eval 'test "$rc" = 0 -a ! -s "$ERR" &&
		      grep -q "^SYNOPSIS" "$OUT" &&
		      grep -q "^EXIT STATUS" "$OUT"'
else
	skip build_man_renders "man not installed"
fi

# --- README.md and .ci/run

R="$REPO/README.md"
missing=""
for s in "user-mode networking" "namespaces" "virtual machines" \
	 "make && ./pasta --config-net" "make check" "passt.1"; do
	grep -qF -- "$s" "$R" || missing="$missing '$s'"
done
grep -q '^    make$' "$R" || missing="$missing 'make (build)'"
check build_readme "README.md lacks:$missing" test -z "$missing"

check build_ci_runs_check ".ci/run doesn't run make check" \
	grep -Eq '^[^#]*(make|clean_build)[^#]* check' "$REPO/.ci/run"

test_finish
