/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * conf.h - Command line parsing, defaults from the host, validation
 */

#ifndef CONF_H
#define CONF_H

#include "fwd.h"
#include "passt.h"

void conf(struct ctx *c, int argc, char **argv);
int conf_ports_parse(struct ctx *c, char optname, const char *spec,
		     struct fwd_ports *fwd, char *errbuf, size_t errlen);
void conf_print(const struct ctx *c);

#endif /* CONF_H */
