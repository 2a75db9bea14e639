// SPDX-License-Identifier: GPL-2.0
/*
 * sessha apply FILE [--dry-run]: make the running configuration the one
 * FILE describes, as wg syncconf does, by the fewest commands: FILE is
 * read whole first (sessha-apply-file.c), and a bad line refuses it all
 * before anything is sent; then the running configuration is read, as
 * save reads it, and the difference planned (sessha-apply-plan.c). The
 * plan is printed (--dry-run) or run, a command at a time through
 * -batch's code, up to the first the kernel refuses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sessha-apply.h"

struct apply_args {
	const char *path;
	bool dry_run;
};

static int apply_args(int argc, char **argv, struct apply_args *o)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run") && o->dry_run)
			return fail("duplicate keyword \"--dry-run\"");
		if (!strcmp(argv[i], "--dry-run"))
			o->dry_run = true;
		else if (!o->path && (argv[i][0] != '-' || !argv[i][1]))
			o->path = argv[i];
		else
			return fail("unknown keyword \"%s\"", argv[i]);
	}
	if (!o->path)
		return fail("missing FILE (sessha apply {FILE|-} [--dry-run])");
	if (print_is_json())
		return fail("\"apply\" prints commands, not JSON");
	return 0;
}

static int read_want(const char *path, struct conf *want)
{
	FILE *f = stdin;
	int ret;

	if (strcmp(path, "-")) {
		f = fopen(path, "re");
		if (!f)
			return fail("cannot open \"%s\": %s", path,
				    strerror(errno));
	}
	ret = apply_read_file(f, want);
	if (f != stdin)
		fclose(f);
	return ret;
}

/*
 * A key the plan adds must be readable now: finding out at its turn
 * would leave the configuration half applied.
 */
static int check_key_files(const struct conf *cur, const struct conf *want)
{
	unsigned int i;

	for (i = 0; i < want->nkeys; i++)
		if (!conf_find_key(cur, want->keys[i].id) &&
		    key_file_check(want->keys[i].path))
			return -1;
	return 0;
}

/* Each command of @plan in turn; the first that fails ends the run. */
static int run_plan(char *plan)
{
	char *line, *next, *words;
	int ret = 0;

	for (line = plan; !ret && *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		/* split in place: the line itself stays whole for errors */
		words = strdup(line);
		if (!words)
			return fail_status(EXIT_FAILED, "%s", strerror(ENOMEM));
		error_start_cmd(line);
		ret = batch_run_line(words);
		free(words);
	}
	error_end_cmd();	/* @plan goes; the status stays */
	return ret;
}

static int plan_and_go(const struct conf *cur, const struct conf *want,
		       bool dry_run)
{
	char *plan = NULL;
	size_t len = 0;
	FILE *out;
	int ret;

	out = open_memstream(&plan, &len);
	if (!out)
		return fail_status(EXIT_FAILED, "apply: %s", strerror(errno));
	apply_plan(out, cur, want);
	if (fclose(out)) {
		free(plan);
		return fail_status(EXIT_FAILED, "apply: %s", strerror(errno));
	}
	ret = check_key_files(cur, want);
	if (!ret && dry_run)
		fwrite(plan, 1, len, stdout);
	else if (!ret)
		ret = run_plan(plan);
	free(plan);
	return ret;
}

static int apply_run(int argc, char **argv)
{
	struct apply_args o = { 0 };
	struct conf want, cur;
	int ret;

	if (apply_args(argc, argv, &o) || read_want(o.path, &want))
		return -1;
	if (conf_read(&cur, "apply")) {
		conf_free(&want);
		return -1;
	}
	ret = plan_and_go(&cur, &want, o.dry_run);
	conf_free(&cur);
	conf_free(&want);
	return ret;
}

const struct object apply_object = {
	.name = "apply",
	.run = apply_run,
	.usage = "sessha apply {FILE|-} [--dry-run]\n",
};
