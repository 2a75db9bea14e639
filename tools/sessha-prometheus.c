// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition format, version 0.0.4, for
 * `sessha stats -o prometheus`: what node_exporter's textfile collector
 * parses (with the 0.0.4 parser, not the OpenMetrics one, so there is no
 * "# EOF" and a counter's HELP and TYPE name the sample, "_total" and all).
 * Every metric is one sample without labels or timestamp: the collector
 * refuses files with timestamps, and a scrape is the time of the file.
 */
#include <inttypes.h>
#include <stdio.h>

#include "sessha.h"

/* A HELP text is one line: escape what would end it or read as escape. */
static void prom_help_text(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

static void prom_metric(const char *name, const char *suffix,
			const char *type, const char *help, uint64_t value)
{
	printf("# HELP %s%s ", name, suffix);
	prom_help_text(help);
	printf("\n# TYPE %s%s %s\n", name, suffix, type);
	printf("%s%s %" PRIu64 "\n", name, suffix, value);
}

/* @name without the "_total" that the format wants on every counter */
void prom_counter(const char *name, const char *help, uint64_t value)
{
	prom_metric(name, "_total", "counter", help, value);
}

void prom_gauge(const char *name, const char *help, uint64_t value)
{
	prom_metric(name, "", "gauge", help, value);
}
