/* SPDX-License-Identifier: GPL-2.0 */
/* sessha apply: a configuration file made the running configuration. */
#ifndef SESSHA_APPLY_H
#define SESSHA_APPLY_H

#include <stdio.h>

#include "sessha-conf.h"

/* sessha-apply-file.c: the file into @want; errors name its lines */
int apply_read_file(FILE *f, struct conf *want);

/* sessha-apply-plan.c: the commands that turn @cur into @want */
void apply_plan(FILE *out, const struct conf *cur, const struct conf *want);

#endif /* SESSHA_APPLY_H */
