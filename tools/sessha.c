// SPDX-License-Identifier: GPL-2.0
/*
 * sessha(8): configure and inspect the sessha module.
 *
 *	sessha [OPTIONS] OBJECT COMMAND [ARGS...]
 *	sessha [OPTIONS] -batch FILE
 *
 * This file holds the options and the dispatch table; each object lives
 * in its own file and owns its usage text. Options are spelt as in
 * iproute2 (-n, -batch, -force, -V) and as GNU long options (--json).
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
	&save_object,
	&apply_object,
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

	fputs("Usage: sessha [OPTIONS] OBJECT COMMAND [ARGS...]\n"
	      "       sessha [OPTIONS] -batch FILE\n"
	      "       sessha -V\n"
	      "       sessha help [OBJECT] | sessha -h | sessha OBJECT help\n"
	      "Options:\n"
	      "  -j, --json          JSON output\n"
	      "  -p, --pretty        indented JSON output (implies -j)\n"
	      "  -n, -netns NETNS    run in network namespace NETNS (ip netns)\n"
	      "  -b, -batch FILE     run FILE's commands, one a line (-: stdin)\n"
	      "  -force              with -batch: go on after a line that failed\n"
	      "  -V, -Version        versions of sessha and the module's family\n"
	      "  -h, --help          this help\n"
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

/* OBJECT COMMAND [ARGS...], from the command line or a batch line. */
int run_args(int argc, char **argv)
{
	const struct object *o;

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

enum option_id {
	OPT_JSON, OPT_PRETTY, OPT_HELP, OPT_NETNS, OPT_BATCH, OPT_FORCE,
	OPT_VERSION,
};

static const struct {
	const char *names[3];	/* the ways to spell it, NULL for none */
	enum option_id id;
	bool value;		/* takes the next word */
} option_defs[] = {
	{ { "-j", "-json", "--json" }, OPT_JSON, false },
	{ { "-p", "-pretty", "--pretty" }, OPT_PRETTY, false },
	{ { "-h", "-help", "--help" }, OPT_HELP, false },
	{ { "-n", "-netns", "--netns" }, OPT_NETNS, true },
	{ { "-b", "-batch", "--batch" }, OPT_BATCH, true },
	{ { "-force", "--force", NULL }, OPT_FORCE, false },
	{ { "-V", "-Version", "--version" }, OPT_VERSION, false },
};

struct options {
	bool json, pretty, help, force, version;
	const char *netns;	/* NULL: stay where we are */
	const char *batch;	/* NULL: the command is on the command line */
};

static int find_option(const char *word, bool *value)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(option_defs); i++)
		for (j = 0; j < ARRAY_SIZE(option_defs[i].names); j++)
			if (option_defs[i].names[j] &&
			    !strcmp(word, option_defs[i].names[j])) {
				*value = option_defs[i].value;
				return option_defs[i].id;
			}
	return -1;
}

static void set_option(struct options *o, enum option_id id, const char *v)
{
	switch (id) {
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_PRETTY:
		o->pretty = true;
		break;
	case OPT_HELP:
		o->help = true;
		break;
	case OPT_NETNS:
		o->netns = v;
		break;
	case OPT_BATCH:
		o->batch = v;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	case OPT_VERSION:
		o->version = true;
		break;
	}
}

/* Clustered short options without a value: -jp. */
static int set_cluster(struct options *o, const char *word)
{
	static const char flags[] = "jphV";
	static const enum option_id ids[] = {
		OPT_JSON, OPT_PRETTY, OPT_HELP, OPT_VERSION
	};
	const char *p, *c;

	for (p = word + 1; *p; p++) {
		c = strchr(flags, *p);
		if (!c)
			return fail("unknown option \"%s\" (try \"sessha help\")",
				    word);
		set_option(o, ids[c - flags], NULL);
	}
	return 0;
}

/* Consume the options at the head of @a; the first other word ends them. */
static int parse_options(struct args *a, struct options *o)
{
	const char *word;
	bool value;
	int id;

	while (a->argc > 0 && a->argv[0][0] == '-') {
		word = a->argv[0];
		a->argc--, a->argv++;
		if (!strcmp(word, "--"))
			break;
		id = find_option(word, &value);
		if (id < 0 && word[1] && word[1] != '-') {
			if (set_cluster(o, word))
				return -1;
			continue;
		}
		if (id < 0)
			return fail("unknown option \"%s\" (try \"sessha help\")",
				    word);
		if (value && a->argc < 1)
			return fail("missing value for option \"%s\"", word);
		set_option(o, id, value ? a->argv[0] : NULL);
		if (value)
			a->argc--, a->argv++;
	}
	return 0;
}

/* Options that only mean something with others, or not with a command. */
static int check_options(const struct options *o, const struct args *a)
{
	if (o->force && !o->batch)
		return fail("\"-force\" goes with \"-batch\"");
	if (o->batch && a->argc > 0)
		return fail("\"-batch\" takes its commands from the file, not \"%s\"",
			    a->argv[0]);
	if (o->version && a->argc > 0)
		return fail("\"-V\" takes no command, not \"%s\"", a->argv[0]);
	if (o->version && o->batch)
		return fail("\"-V\" and \"-batch\" are mutually exclusive");
	return 0;
}

/* The exit status of the whole run. */
static enum exit_status run(int argc, char **argv)
{
	struct args a = { argc, argv };
	struct options o = { 0 };

	if (parse_options(&a, &o))
		return error_status();
	if (o.help) {
		usage_all(stdout);
		return EXIT_OK;
	}
	if (check_options(&o, &a))
		return error_status();
	print_init(o.json || o.pretty, o.pretty);
	/* first: a socket stays in the namespace it was opened in */
	if (o.netns && netns_enter(o.netns))
		return error_status();
	if (o.version)
		return print_version() ? error_status() : EXIT_OK;
	if (o.batch)
		return run_batch(o.batch, o.force);
	return run_args(a.argc, a.argv) ? error_status() : EXIT_OK;
}

int main(int argc, char **argv)
{
	enum exit_status status;

	error_start(0);
	status = run(argc - 1, argv + 1);
	if (fflush(stdout) == EOF) {
		error_start(0);
		fail_status(EXIT_FAILED, "cannot write output: %s",
			    strerror(errno));
		if (status == EXIT_OK)
			status = EXIT_FAILED;
	}
	return status;
}
