/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * isolation.h - Privileges, namespaces, filesystem view, seccomp
 */

#ifndef ISOLATION_H
#define ISOLATION_H

#include "passt.h"

void isolate_initial(void);
bool isolate_runas(const struct ctx *c, uid_t *uid, gid_t *gid);
void isolate_user(const struct ctx *c);
int isolate_prefork(const struct ctx *c);
void isolate_postfork(const struct ctx *c);

#endif /* ISOLATION_H */
