// SPDX-License-Identifier: GPL-2.0
/* sessha stats: the namespace's counters, "name value" per line. */
#include <inttypes.h>
#include <stdio.h>

#include "sessha.h"
#include "sessha-nl-gen.h"

/*
 * The attribute type in the nest is the counter (enum sessha_stat, names
 * from the spec). A newer kernel may send counters we have no name for:
 * "stat_N", N the type minus one, as counters were numbered from 0 before
 * the spec, so that a script keeps reading the same name.
 */
static int stats_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	const struct nlattr *nla;
	char name[32];
	unsigned int i;
	int rem;

	(void)cmd;
	(void)arg;
	print_open_object(PRINT_JSON, NULL);
	if (tb[SESSHA_A_STATS]) {
		nla_for_each_nested(nla, tb[SESSHA_A_STATS], rem) {
			if (!nla_type(nla) ||
			    nla_len(nla) != (int)sizeof(uint64_t))
				continue;
			i = nla_type(nla);
			if (i < ARRAY_SIZE(sessha_stat_names) &&
			    sessha_stat_names[i])
				snprintf(name, sizeof(name), "%s",
					 sessha_stat_names[i]);
			else
				snprintf(name, sizeof(name), "stat_%u", i - 1);
			print_string(PRINT_FP, NULL, "%s", name);
			print_u64(PRINT_ANY, name, " %" PRIu64 "\n",
				  nla_get_u64(nla));
		}
	}
	print_close_object(PRINT_JSON);
	return 0;
}

static int stats_show(int argc, char **argv)
{
	if (arg_none(&(struct args){ argc, argv }))
		return -1;
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_STATS_GET,
		.reply = stats_print,
		.ctx = "stats",
	});
}

static const struct command stats_cmds[] = {
	{ "show", stats_show },
	{ NULL, NULL },
};

const struct object stats_object = {
	.name = "stats",
	.cmds = stats_cmds,
	.usage = "sessha stats [show]\n",
};
