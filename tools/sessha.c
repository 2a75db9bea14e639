// SPDX-License-Identifier: GPL-2.0
/*
 * sessha(8): configure and inspect the sessha module.
 *
 *	sessha [-j] [-p] OBJECT COMMAND [ARGS...]
 *
 * This file holds the options and the dispatch table; each object lives
 * in its own file and owns its usage text.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sessha.h"

static const struct object *const objects[] = {
	&node_object,
	&service_object,
	&backend_object,
	&session_object,
	&stats_object,
	&config_object,
	&sync_object,
	&monitor_object,
};

/* @usage is a line per command; the first line gets @first in front. */
static void print_usage(FILE *f, const char *usage, const char *first,
			const char *rest)
{
	const char *line = usage, *end;

	while (*line) {
		end = line + strcspn(line, "\n");
		fprintf(f, "%s%.*s\n", line == usage ? first : rest,
			(int)(end - line), line);
		line = *end ? end + 1 : end;
	}
}

static void usage_object(const struct object *o)
{
	print_usage(stdout, o->usage, "Usage: ", "       ");
}

static void usage_all(FILE *f)
{
	unsigned int i;

	fputs("Usage: sessha [-j] [-p] OBJECT COMMAND [ARGS...]\n"
	      "       sessha help [OBJECT] | sessha -h | sessha OBJECT help\n"
	      "Options:\n"
	      "  -j, --json    JSON output\n"
	      "  -p, --pretty  indented JSON output (implies -j)\n"
	      "  -h, --help    this help\n"
	      "Commands:\n", f);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		print_usage(f, objects[i]->usage, "  ", "  ");
	fputs("ADDR is an IPv4 or IPv6 address. See sessha(8).\n", f);
}

static const struct object *find_object(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(name, objects[i]->name))
			return objects[i];
	fail("unknown object \"%s\" (try \"sessha help\")", name);
	return NULL;
}

/*
 * Run the command of @cmds that @argv starts with, or @dflt (if not NULL)
 * when @argv is empty. @what names the commands' owner in errors ("node",
 * "sync key"), and "sessha @obj help" is where to look them up.
 */
int run_command(const struct command *cmds, const char *dflt, const char *what,
		const char *obj, int argc, char **argv)
{
	const struct command *c;
	const char *name = argc > 0 ? argv[0] : dflt;

	for (c = cmds; name && c->name; c++)
		if (!strcmp(name, c->name))
			return c->fn(argc > 0 ? argc - 1 : 0, argv + 1);
	if (argc == 0)
		return fail("missing command for \"%s\" (try \"sessha %s help\")",
			    what, obj);
	return fail("unknown command \"%s\" for \"%s\" (try \"sessha %s help\")",
		    name, what, obj);
}

static int run_object(const struct object *o, int argc, char **argv)
{
	if (argc > 0 && !strcmp(argv[0], "help")) {
		if (argc > 1)
			return fail("unknown keyword \"%s\"", argv[1]);
		usage_object(o);
		return 0;
	}
	if (o->run)
		return o->run(argc, argv);
	/* As in iproute2, a bare object means "show", if it has one. */
	return run_command(o->cmds, "show", o->name, o->name, argc, argv);
}

static int run(int argc, char **argv)
{
	bool json_output = false, pretty = false;
	const struct object *o;
	const char *opt;

	for (; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		opt = argv[0];
		if (!strcmp(opt, "--")) {
			argc--, argv++;
			break;
		} else if (!strcmp(opt, "--json")) {
			json_output = true;
		} else if (!strcmp(opt, "--pretty")) {
			pretty = true;
		} else if (!strcmp(opt, "--help")) {
			usage_all(stdout);
			return 0;
		} else if (opt[1] && opt[1] != '-') {
			/* clustered short options: -jp */
			for (opt++; *opt; opt++) {
				if (*opt == 'j') {
					json_output = true;
				} else if (*opt == 'p') {
					pretty = true;
				} else if (*opt == 'h') {
					usage_all(stdout);
					return 0;
				} else {
					return fail("unknown option \"%s\" (try \"sessha help\")",
						    argv[0]);
				}
			}
		} else {
			return fail("unknown option \"%s\" (try \"sessha help\")",
				    opt);
		}
	}
	print_init(json_output || pretty, pretty);

	if (argc == 0)
		return fail("missing object (try \"sessha help\")");
	if (!strcmp(argv[0], "help")) {
		if (argc == 1) {
			usage_all(stdout);
			return 0;
		}
		if (argc > 2)
			return fail("unknown keyword \"%s\"", argv[2]);
		o = find_object(argv[1]);
		if (!o)
			return -1;
		usage_object(o);
		return 0;
	}
	o = find_object(argv[0]);
	if (!o)
		return -1;
	return run_object(o, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	int ret;

	error_start(0);
	ret = run(argc - 1, argv + 1);
	if (fflush(stdout) == EOF && !ret)
		ret = fail_status(EXIT_FAILED, "cannot write output: %s",
				  strerror(errno));
	return ret ? error_status() : EXIT_OK;
}
