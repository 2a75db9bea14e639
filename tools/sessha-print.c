// SPDX-License-Identifier: GPL-2.0
/*
 * One printer for text and JSON, in the manner of iproute2's json_print:
 * every field is printed once, with a JSON key and a text format, and the
 * output type says which of the two it belongs to. Text mode ignores keys;
 * JSON mode ignores formats.
 *
 * Containers nest on one small stack in either mode. In JSON mode it
 * places commas and, with -p, indentation; in text mode it puts commas
 * between the scalars of an array ("nodes 1,2,3"). A top-level JSON value
 * ends with a newline and a flush, which is what lets `monitor -j` emit
 * one object per line.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>

#include "sessha.h"

#define MAX_DEPTH 8

static bool json, pretty;

static struct {
	bool array;
	bool first;
} stack[MAX_DEPTH];
static int depth;

void print_init(bool json_output, bool pretty_output)
{
	json = json_output;
	pretty = pretty_output;
}

/* For the rare output that is not a field: a warning on stderr. */
bool print_is_json(void)
{
	return json;
}

static bool wanted(enum output_type t)
{
	return t & (json ? PRINT_JSON : PRINT_FP);
}

static void json_string(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

static void indent(void)
{
	int i;

	if (!pretty)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("  ", stdout);
}

/* Start a JSON value: separator, indentation, and the key in an object. */
static void json_member(const char *key)
{
	if (depth > 0) {
		if (!stack[depth - 1].first)
			putchar(',');
		stack[depth - 1].first = false;
		indent();
		if (!stack[depth - 1].array && key) {
			json_string(key);
			fputs(pretty ? ": " : ":", stdout);
		}
	}
}

/* Start a text scalar: a comma between the elements of an array. */
static void text_member(void)
{
	if (depth > 0 && stack[depth - 1].array) {
		if (!stack[depth - 1].first)
			putchar(',');
		stack[depth - 1].first = false;
	}
}

/* Nesting is fixed by the callers, three levels at most. */
static void push(bool array)
{
	assert(depth < MAX_DEPTH);
	stack[depth].array = array;
	stack[depth].first = true;
	depth++;
}

static void pop(char close)
{
	depth--;
	if (!json)
		return;
	if (!stack[depth].first)
		indent();
	putchar(close);
	if (!depth) {
		putchar('\n');
		fflush(stdout);
	}
}

void print_open_object(enum output_type t, const char *key)
{
	if (!wanted(t))
		return;
	if (json) {
		json_member(key);
		putchar('{');
	}
	push(false);
}

void print_close_object(enum output_type t)
{
	if (wanted(t))
		pop('}');
}

void print_open_array(enum output_type t, const char *key, const char *fmt)
{
	if (!wanted(t))
		return;
	if (json) {
		json_member(key);
		putchar('[');
	} else if (fmt) {
		fputs(fmt, stdout);
	}
	push(true);
}

void print_close_array(enum output_type t)
{
	if (wanted(t))
		pop(']');
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t v)
{
	if (!wanted(t))
		return;
	if (json) {
		json_member(key);
		printf("%" PRIu64, v);
	} else {
		text_member();
		printf(fmt, v);
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int v)
{
	if (!wanted(t))
		return;
	if (json) {
		json_member(key);
		printf("%u", v);
	} else {
		text_member();
		printf(fmt, v);
	}
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *s)
{
	if (!wanted(t))
		return;
	if (json) {
		json_member(key);
		json_string(s);
	} else {
		text_member();
		printf(fmt, s);
	}
}

/* Text mode prints @fmt, which takes no argument, only when @v is true. */
void print_bool(enum output_type t, const char *key, const char *fmt, bool v)
{
	if (!wanted(t))
		return;
	if (json) {
		json_member(key);
		fputs(v ? "true" : "false", stdout);
	} else if (v) {
		text_member();
		fputs(fmt, stdout);
	}
}

/* Text mode prints "on" or "off" through @fmt. */
void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool v)
{
	if (!wanted(t))
		return;
	if (json) {
		json_member(key);
		fputs(v ? "true" : "false", stdout);
	} else {
		text_member();
		printf(fmt, on_off_names[v]);
	}
}

void print_nl(void)
{
	if (!json)
		putchar('\n');
}
