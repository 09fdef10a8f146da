/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pasta.h - pasta's namespaces: creation, joining, configuration, watch
 */

#ifndef PASTA_H
#define PASTA_H

#include "passt.h"

int pasta_ns_init(struct ctx *c);
void pasta_ns_conf(struct ctx *c);
void pasta_start(const struct ctx *c);
void pasta_netns_quit_init(const struct ctx *c, int by_pid);
void pasta_netns_quit_handler(const struct ctx *c, union epoll_ref ref);

#endif /* PASTA_H */
