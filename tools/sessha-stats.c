// SPDX-License-Identifier: GPL-2.0
/*
 * sessha stats: the namespace's counters, "name value" per line, or with
 * -o prometheus as metrics for node_exporter's textfile collector.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sessha.h"
#include "sessha-nl-gen.h"

#define STAT_NAME_LEN 32
#define METRIC_NAME_LEN (sizeof("sessha_") + STAT_NAME_LEN)

enum stats_format {
	STATS_TEXT,		/* text, or JSON with -j */
	STATS_PROMETHEUS,
};

typedef void (*counter_fn)(unsigned int type, const char *name, uint64_t v);

/*
 * The attribute type in the nest is the counter (enum sessha_stat, names
 * from the spec). A newer kernel may send counters we have no name for:
 * "stat_N", N the type minus one, as counters were numbered from 0 before
 * the spec, so that a script keeps reading the same name.
 */
static const char *stat_name(unsigned int type, char buf[STAT_NAME_LEN])
{
	if (type < ARRAY_SIZE(sessha_stat_names) && sessha_stat_names[type])
		snprintf(buf, STAT_NAME_LEN, "%s", sessha_stat_names[type]);
	else
		snprintf(buf, STAT_NAME_LEN, "stat_%u", type - 1);
	return buf;
}

/* Call @fn for each counter in the reply, in the kernel's order. */
static void stats_walk(struct nlattr **tb, counter_fn fn)
{
	const struct nlattr *nla;
	char name[STAT_NAME_LEN];
	int rem;

	if (!tb[SESSHA_A_STATS])
		return;
	nla_for_each_nested(nla, tb[SESSHA_A_STATS], rem) {
		if (!nla_type(nla) || nla_len(nla) != (int)sizeof(uint64_t))
			continue;
		fn(nla_type(nla), stat_name(nla_type(nla), name),
		   nla_get_u64(nla));
	}
}

static void text_counter(unsigned int type, const char *name, uint64_t v)
{
	(void)type;
	print_string(PRINT_FP, NULL, "%s", name);
	print_u64(PRINT_ANY, name, " %" PRIu64 "\n", v);
}

/* The two gauges: how full the table is, and its limit. */
struct stats_gauge {
	int		attr;
	const char	*name;
	const char	*help;
};

static const struct stats_gauge stats_gauges[] = {
	{ SESSHA_A_SESSION_COUNT, "sessions",
	  "session entries held now, owned and replicas" },
	{ SESSHA_A_MAX_SESSIONS, "max_sessions",
	  "the most session entries the table takes (config max-sessions)" },
};

/* Call @fn for each gauge the kernel sent (an older one sends none). */
static void gauges_walk(struct nlattr **tb,
			void (*fn)(const struct stats_gauge *g, uint32_t v))
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stats_gauges); i++) {
		const struct nlattr *nla = tb[stats_gauges[i].attr];

		if (nla && nla_len(nla) >= (int)sizeof(uint32_t))
			fn(&stats_gauges[i], nla_get_u32(nla));
	}
}

static void text_gauge(const struct stats_gauge *g, uint32_t v)
{
	print_string(PRINT_FP, NULL, "%s", g->name);
	print_uint(PRINT_ANY, g->name, " %u\n", v);
}

static int stats_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	print_open_object(PRINT_JSON, NULL);
	stats_walk(tb, text_counter);
	gauges_walk(tb, text_gauge);
	print_close_object(PRINT_JSON);
	return 0;
}

#define STAT_HELP_LEN 48

/* The HELP text: the spec's doc of the counter, if it is one we know. */
static const char *stat_help(unsigned int type, char buf[STAT_HELP_LEN])
{
	if (type < ARRAY_SIZE(sessha_stat_docs) && sessha_stat_docs[type])
		return sessha_stat_docs[type];
	if (type < ARRAY_SIZE(sessha_stat_names) && sessha_stat_names[type])
		return "a sessha counter (the spec has no doc for it)";
	/* a newer module's, as its name says: stat_N */
	snprintf(buf, STAT_HELP_LEN, "counter %u, unknown to this sessha",
		 type - 1);
	return buf;
}

static void prom_stat(unsigned int type, const char *name, uint64_t v)
{
	char metric[METRIC_NAME_LEN], help[STAT_HELP_LEN];

	snprintf(metric, sizeof(metric), "sessha_%s", name);
	prom_counter(metric, stat_help(type, help), v);
}

static void prom_stats_gauge(const struct stats_gauge *g, uint32_t v)
{
	char metric[METRIC_NAME_LEN];

	snprintf(metric, sizeof(metric), "sessha_%s", g->name);
	prom_gauge(metric, g->help, v);
}

/*
 * sessha_up is only ever 1: a run that gets no reply prints nothing and
 * fails, so that "sessha stats -o prometheus >f.$$ && mv f.$$ f" keeps the
 * last good file, whose age node_textfile_mtime_seconds shows.
 */
static int stats_print_prometheus(struct nlattr **tb, uint8_t cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	stats_walk(tb, prom_stat);
	gauges_walk(tb, prom_stats_gauge);
	prom_gauge("sessha_up", "1: the sessha module answered", 1);
	return 0;
}

static int parse_format(const char *s)
{
	if (!strcmp(s, "prometheus"))
		return STATS_PROMETHEUS;
	/* one line however long: a message is found by grep */
	return fail("unknown output format \"%s\" for \"-o\" (try \"prometheus\")",
		    s);
}

/* [-o FORMAT] */
static int stats_parse(struct args *a, enum stats_format *format)
{
	static const char *const kws[] = { "-o", NULL };
	unsigned int seen = 0;
	const char *v;
	int f;

	*format = STATS_TEXT;
	while (a->argc > 0) {
		if (arg_keyword(a, kws, &seen) < 0)
			return -1;
		v = arg_value(a, "-o");
		f = v ? parse_format(v) : -1;
		if (f < 0)
			return -1;
		*format = f;
	}
	if (*format == STATS_PROMETHEUS && print_is_json())
		return fail("\"-o\" and \"-j\" are mutually exclusive");
	return 0;
}

static int stats_show(int argc, char **argv)
{
	struct args a = { argc, argv };
	enum stats_format format;

	if (stats_parse(&a, &format))
		return -1;
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_STATS_GET,
		.reply = format == STATS_PROMETHEUS ? stats_print_prometheus :
						      stats_print,
		.ctx = "stats",
	});
}

static const struct command stats_cmds[] = {
	{ "show", stats_show },
	{ NULL, NULL },
};

/* "sessha stats -o prometheus" is "sessha stats show -o prometheus". */
static int stats_run(int argc, char **argv)
{
	if (argc > 0 && argv[0][0] == '-')
		return stats_show(argc, argv);
	return run_command(stats_cmds, "show", "stats", "stats", argc, argv);
}

const struct object stats_object = {
	.name = "stats",
	.run = stats_run,
	.usage = "sessha stats [show] [-o prometheus]\n",
};
