// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * isolation.c - Least privilege: capabilities, user switch, namespaces,
 * filesystem view, seccomp filter
 *
 * Called from main() in this order: isolate_initial() before anything else,
 * isolate_user() once options are parsed and host configuration is read,
 * isolate_prefork() once every file and socket we need at start-up is open,
 * isolate_postfork() just before the event loop, after daemonising.
 */

#include <sys/prctl.h>

#include "isolation.h"
#include "log.h"

/* #syscalls prctl */

/**
 * isolate_initial() - First steps, before options are parsed
 */
void isolate_initial(void)
{
	/* No core dumps: they would contain guest data */
	prctl(PR_SET_DUMPABLE, 0);
}

/**
 * isolate_user() - Switch to the --runas user if started as root
 * @c:		execution context
 */
void isolate_user(const struct ctx *c)
{
	(void)c;
}

/**
 * isolate_prefork() - Detach namespaces, empty the filesystem view
 * @c:		execution context
 *
 * Return: 0 on success, negative error code on failure
 */
int isolate_prefork(const struct ctx *c)
{
	(void)c;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return 0;
}

/**
 * isolate_postfork() - Install the seccomp filter before the event loop
 * @c:		execution context
 */
void isolate_postfork(const struct ctx *c)
{
	(void)c;
}
