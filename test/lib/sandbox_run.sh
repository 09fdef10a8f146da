#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test/lib/sandbox_run.sh - Run one command (default: a shell) inside a fresh
# test sandbox, for debugging tests by hand:
#	bash test/lib/sandbox_run.sh ./pasta --config-net -- ip addr
# The sandbox, and everything started in it, is gone when the command ends.

. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/sandbox.sh"

sandbox_enter "$@"
cd "$REPO" || exit 1
if [ $# -eq 0 ]; then
	bash -i
else
	"$@"
fi
