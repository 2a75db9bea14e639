// SPDX-License-Identifier: GPL-2.0
/*
 * Error reporting: one "Error: " line on stderr per error, and the exit
 * status that says which kind it was (sessha.8, EXIT STATUS), so that a
 * script can tell a typo from a kernel that said no from a module that is
 * not there. A command's first error decides its status; what follows is
 * a consequence of it. In a batch, each line starts afresh and its errors
 * name the line; apply's commands, which no file holds, name themselves.
 */
#include <stdarg.h>
#include <stdio.h>

#include "sessha.h"

static enum exit_status first_status;
static unsigned int batch_line;
static const char *current_cmd;

static int vfail(enum exit_status st, const char *fmt, va_list ap)
{
	fputs("Error: ", stderr);
	if (batch_line)
		fprintf(stderr, "line %u: ", batch_line);
	else if (current_cmd)
		fprintf(stderr, "\"%s\": ", current_cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	if (first_status == EXIT_OK)
		first_status = st;
	return -1;
}

/* A bad argument: usage, a value, a file named on the command line. */
int fail(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(EXIT_USAGE, fmt, ap);
	va_end(ap);
	return ret;
}

int fail_status(enum exit_status st, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(st, fmt, ap);
	va_end(ap);
	return ret;
}

/* The status of a command that returned -1. */
enum exit_status error_status(void)
{
	/* a failure that printed nothing is a bug; never call it success */
	return first_status == EXIT_OK ? EXIT_FAILED : first_status;
}

/* Start a command: forget the last one's error, name its batch line. */
void error_start(unsigned int line)
{
	first_status = EXIT_OK;
	batch_line = line;
	current_cmd = NULL;
}

/* Start command @cmd of a plan: its errors name it. */
void error_start_cmd(const char *cmd)
{
	error_start(0);
	current_cmd = cmd;
}

/* The plan is over: forget its command, keep the status it left. */
void error_end_cmd(void)
{
	current_cmd = NULL;
}
