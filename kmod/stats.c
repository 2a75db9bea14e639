// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters, summed when netlink asks. */
#include <linux/percpu.h>

#include "stats.h"

u64 sessha_stat_sum(struct sessha_net *sn, enum sessha_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(sn->stats, cpu)->cnt[stat]);
	return sum;
}
