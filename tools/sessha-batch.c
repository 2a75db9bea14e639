// SPDX-License-Identifier: GPL-2.0
/*
 * sessha -batch FILE: one command per line, as it would follow "sessha"
 * on the command line, run in this one process (and namespace). Words are
 * split at blanks; double quotes keep blanks in a word ("a b"), and a word
 * that starts with '#' starts a comment that runs to the end of the line.
 * Blank and comment lines are skipped. The first line that fails ends the
 * batch, unless -force is given; its errors name the line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sessha.h"

/* Whether standard input is the batch, and so cannot be a key file. */
bool batch_reads_stdin;

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Cut the word at @*src into @dst (at or before it: the line shrinks as
 * quotes go) and leave @*src after it. -1 on an unterminated quote.
 */
static int cut_word(char **src, char *dst)
{
	char *p = *src;
	bool end;

	while (*p && !blank(*p)) {
		if (*p != '"') {
			*dst++ = *p++;
			continue;
		}
		for (p++; *p && *p != '"'; )
			*dst++ = *p++;
		if (!*p)
			return fail("unterminated quote");
		p++;
	}
	end = !*p;
	*dst = '\0';
	*src = end ? p : p + 1;
	return 0;
}

/* Split @line in place into @words; the number of words, or -1. */
int batch_split(char *line, char *words[MAX_WORDS])
{
	char *p = line;
	int n = 0;

	for (;;) {
		while (blank(*p))
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == MAX_WORDS)
			return fail("too many words (at most %d)", MAX_WORDS);
		words[n] = p;
		if (cut_word(&p, words[n]))
			return -1;
		n++;
	}
}

/* Run the command on @line (split in place); 0 for a blank line. */
int batch_run_line(char *line)
{
	char *words[MAX_WORDS];
	int n = batch_split(line, words);

	if (n <= 0)
		return n;
	return run_args(n, words);
}

static FILE *open_batch(const char *path)
{
	FILE *f;

	if (!strcmp(path, "-")) {
		batch_reads_stdin = true;
		return stdin;
	}
	f = fopen(path, "re");
	if (!f)
		fail("cannot open batch file \"%s\": %s", path,
		     strerror(errno));
	return f;
}

int run_batch(const char *path, bool force)
{
	enum exit_status status = EXIT_OK;
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	f = open_batch(path);
	if (!f)
		return error_status();
	while (getline(&line, &cap, f) >= 0) {
		error_start(++lineno);
		if (!batch_run_line(line))
			continue;
		if (status == EXIT_OK)
			status = error_status();
		if (!force)
			break;
	}
	error_start(0);
	if (ferror(f)) {
		fail("cannot read batch file \"%s\": %s", path,
		     strerror(errno));
		if (status == EXIT_OK)
			status = EXIT_USAGE;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return status;
}
