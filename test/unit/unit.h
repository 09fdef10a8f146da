/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * unit.h - Minimal unit test support: each check prints one PASS/FAIL line
 * that test/run.sh counts.  A test binary exits 1 if any check failed.
 */

#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

static int unit_failed;

/**
 * CHECK() - Record one named check
 * @cond:	expression that must be true
 * @name:	short description, printed on the PASS/FAIL line
 */
#define CHECK(cond, name)						\
	do {								\
		if (cond) {						\
			printf("PASS %s\n", (name));			\
		} else {						\
			printf("FAIL %s (%s:%d: %s)\n", (name),		\
			       __FILE__, __LINE__, #cond);		\
			unit_failed = 1;				\
		}							\
	} while (0)

#define UNIT_RESULT()	(unit_failed ? 1 : 0)

#endif /* UNIT_H */
