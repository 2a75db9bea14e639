// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsing. Keywords match exactly (no prefixes), each at most
 * once; numbers are decimal, whole-string, range-checked; addresses go
 * through inet_pton. Every failure prints one "Error: " line and
 * returns -1.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sessha.h"

const char *const node_state_names[2] = {
	[SESSHA_NODE_DOWN] = "down",
	[SESSHA_NODE_UP] = "up",
};

const char *const sync_state_names[2] = {
	[SESSHA_SYNC_READY] = "ready",
	[SESSHA_SYNC_JOINING] = "joining",
};

const char *const on_off_names[2] = { "off", "on" };

const char *const proto_names[IPPROTO_UDP + 1] = {
	[IPPROTO_TCP] = "tcp",
	[IPPROTO_UDP] = "udp",
};

const char *const policy_names[SESSHA_POLICY_PAIRS + 1] = {
	[SESSHA_POLICY_RING] = "ring",
	[SESSHA_POLICY_PAIRS] = "pairs",
};

/*
 * Consume the keyword at the head of @a and return its index in the
 * NULL-terminated @kws; @seen collects the indexes to catch repeats.
 */
int arg_keyword(struct args *a, const char *const kws[], unsigned int *seen)
{
	const char *kw = a->argv[0];
	unsigned int i;

	for (i = 0; kws[i]; i++)
		if (!strcmp(kw, kws[i]))
			break;
	if (!kws[i])
		return fail("unknown keyword \"%s\"", kw);
	if (*seen & BIT(i))
		return fail("duplicate keyword \"%s\"", kw);
	*seen |= BIT(i);
	a->argc--;
	a->argv++;
	return i;
}

/* Consume the value that follows keyword @kw. */
const char *arg_value(struct args *a, const char *kw)
{
	const char *v;

	if (a->argc < 1) {
		fail("missing value for \"%s\"", kw);
		return NULL;
	}
	v = a->argv[0];
	a->argc--;
	a->argv++;
	return v;
}

/* Report the first keyword of @mask (in table order) not in @seen. */
int arg_require(unsigned int seen, unsigned int mask, const char *const kws[])
{
	unsigned int i;

	for (i = 0; kws[i]; i++)
		if ((mask & BIT(i)) && !(seen & BIT(i)))
			return fail("missing \"%s\"", kws[i]);
	return 0;
}

/* For commands that take no arguments. */
int arg_none(const struct args *a)
{
	if (a->argc > 0)
		return fail("unknown keyword \"%s\"", a->argv[0]);
	return 0;
}

/* A decimal number, whole-string; too large for 64 bits reads as the most. */
static int parse_number(const char *what, const char *s,
			unsigned long long *v)
{
	char *end;

	/* strtoull would accept leading blanks, a sign and an empty string */
	if (!isdigit((unsigned char)s[0]))
		return fail("invalid %s \"%s\"", what, s);
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (*end)
		return fail("invalid %s \"%s\"", what, s);
	if (errno == ERANGE)
		*v = ULLONG_MAX;
	return 0;
}

int parse_u32(const char *what, const char *s, uint32_t min, uint32_t max,
	      uint32_t *out)
{
	unsigned long long v;

	if (parse_number(what, s, &v))
		return -1;
	if (v < min || v > max)
		return fail("%s out of range", what);
	*out = v;
	return 0;
}

/* As parse_u32, for a limit worth stating: "1 to 65535 seconds". */
int parse_u32_unit(const char *what, const char *s, uint32_t min,
		   uint32_t max, const char *unit, uint32_t *out)
{
	unsigned long long v;

	if (parse_number(what, s, &v))
		return -1;
	if (v < min || v > max)
		return fail("%s out of range: %u to %u %s", what, min, max,
			    unit);
	*out = v;
	return 0;
}

int parse_addr(const char *s, struct sessha_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, s, addr->bytes) == 1) {
		addr->family = AF_INET;
		addr->len = 4;
	} else if (inet_pton(AF_INET6, s, addr->bytes) == 1) {
		addr->family = AF_INET6;
		addr->len = 16;
	} else {
		return fail("invalid address \"%s\"", s);
	}
	return 0;
}

/* The index of @s in @names[0..n), which may have holes. */
int parse_choice(const char *what, const char *s, const char *const names[],
		 unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return fail("invalid %s \"%s\"", what, s);
}

/*
 * "1,2,3" or, for pairs, "1:2,2:3,3:1". Node ids are checked for syntax
 * and range only; whether they exist and repeat is the kernel's call.
 */
int parse_node_list(const char *s, bool pairs, struct node_list *list)
{
	const char *what = pairs ? "node pair list" : "node list";
	char *copy, *rest, *id, *backup;
	int ret = -1;

	copy = strdup(s);
	if (!copy)
		return fail("%s", strerror(errno));
	list->n = 0;
	rest = copy;
	while ((id = strsep(&rest, ","))) {
		backup = strchr(id, ':');
		if (!*id || !pairs != !backup) {
			fail("invalid %s \"%s\"", what, s);
			goto out;
		}
		if (list->n == MAX_LIST_NODES) {
			fail("too many nodes (at most %d)", MAX_LIST_NODES);
			goto out;
		}
		if (backup)
			*backup++ = '\0';
		if (parse_u32("node id", id, 1, UINT32_MAX,
			      &list->ids[list->n]) ||
		    (backup && parse_u32("node id", backup, 1, UINT32_MAX,
					 &list->backups[list->n])))
			goto out;
		list->n++;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

/* Render a binary address attribute; NULL if its length is no family. */
const char *format_addr(const struct nlattr *nla, char *buf, size_t len)
{
	int family;

	if (!nla)
		return NULL;
	switch (nla_len(nla)) {
	case 4:
		family = AF_INET;
		break;
	case 16:
		family = AF_INET6;
		break;
	default:
		return NULL;
	}
	return inet_ntop(family, nla_data(nla), buf, len);
}

/* The name of value @v, or its number when the table has none. */
const char *name_of(const char *const names[], unsigned int n, unsigned int v,
		    char buf[NUM_STRLEN])
{
	if (v < n && names[v])
		return names[v];
	snprintf(buf, NUM_STRLEN, "%u", v);
	return buf;
}

/* The value after keyword @kw, parsed as a number in [min, max]. */
int arg_u32(struct args *a, const char *kw, uint32_t min, uint32_t max,
	    uint32_t *out)
{
	const char *v = arg_value(a, kw);

	return v ? parse_u32(kw, v, min, max, out) : -1;
}

int arg_addr(struct args *a, const char *kw, struct sessha_addr *addr)
{
	const char *v = arg_value(a, kw);

	return v ? parse_addr(v, addr) : -1;
}

/* The value after keyword @kw, as an index in @names. */
int arg_choice(struct args *a, const char *kw, const char *const names[],
	       unsigned int n)
{
	const char *v = arg_value(a, kw);

	return v ? parse_choice(kw, v, names, n) : -1;
}
