/* SPDX-License-Identifier: GPL-2.0 */
/* Counters (stats.c); counting itself is inline in sessha.h. */
#ifndef _SESSHA_STATS_H
#define _SESSHA_STATS_H

#include "sessha.h"

u64 sessha_stat_sum(struct sessha_net *sn, enum sessha_stat stat);

#endif /* _SESSHA_STATS_H */
