// SPDX-License-Identifier: GPL-2.0
/*
 * The file sessha apply reads: the lines sessha save prints, split as
 * -batch splits them and parsed by the commands' own parsers. A file
 * describes a state, so only the verbs that add something are taken;
 * del, set and show are actions. Each object comes once, and after what
 * it names (a backend after its service, a key's use after the key), as
 * a batch would need them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sessha-apply.h"

static int file_key_add(struct conf *want, int argc, char **argv)
{
	const char *path = NULL;
	uint32_t id;

	if (key_add_parse(argc, argv, &id, &path))
		return -1;
	if (!strcmp(path, "-"))
		return fail("a key file, not \"-\": standard input holds no key here");
	if (conf_find_key(want, id))
		return fail("key %u twice", id);
	return conf_add_key(want, id, path);
}

static int file_key_use(struct conf *want, int argc, char **argv)
{
	uint32_t id;

	if (key_use_parse(argc, argv, &id))
		return -1;
	if (want->key_in_use)
		return fail("a second \"sync key use\"");
	if (!conf_find_key(want, id))
		return fail("key %u is used before a line adds it", id);
	want->key_in_use = id;
	return 0;
}

/* Several config set lines add up; a later setting wins. */
static int file_config_set(struct conf *want, int argc, char **argv)
{
	struct config_req r;
	unsigned int k;

	if (config_set_parse(argc, argv, &r))
		return -1;
	for (k = 0; k < CONFIG_KEYS; k++)
		if (r.seen & BIT(k))
			want->config.val[k] = r.val[k];
	want->config.seen |= r.seen;
	return 0;
}

static int file_node_add(struct conf *want, int argc, char **argv)
{
	struct node_req n;

	if (node_add_parse(argc, argv, &n))
		return -1;
	if (conf_find_node(want, n.id))
		return fail("node %u twice", n.id);
	return conf_add_node(want, &n);
}

static int file_service_add(struct conf *want, int argc, char **argv)
{
	struct service_req s;

	if (service_add_parse(argc, argv, &s))
		return -1;
	/* whether its nodes exist is the kernel's call, as for add */
	if (conf_find_service(want, s.id))
		return fail("service %u twice", s.id);
	return conf_add_service(want, &s) ? 0 : -1;
}

static int file_backend_add(struct conf *want, int argc, char **argv)
{
	struct conf_service *cs;
	struct backend_req b;

	if (backend_add_parse(argc, argv, &b))
		return -1;
	cs = conf_find_service(want, b.service);
	if (!cs)
		return fail("backend %u of service %u, before a line adds the service",
			    b.id, b.service);
	if (conf_find_backend(cs, b.id))
		return fail("service %u backend %u twice", b.service, b.id);
	return conf_add_backend(cs, &b);
}

static const struct {
	const char *words[3];	/* NULL after the last */
	int (*parse)(struct conf *want, int argc, char **argv);
} verbs[] = {
	{ { "sync", "key", "add" }, file_key_add },
	{ { "sync", "key", "use" }, file_key_use },
	{ { "config", "set" }, file_config_set },
	{ { "node", "add" }, file_node_add },
	{ { "service", "add" }, file_service_add },
	{ { "backend", "add" }, file_backend_add },
};

/* How many words verb @v has, if @words start with it; else 0. */
static int verb_words(unsigned int v, int n, char **words)
{
	int i;

	for (i = 0; i < 3 && verbs[v].words[i]; i++)
		if (i >= n || strcmp(words[i], verbs[v].words[i]))
			return 0;
	return i;
}

static int file_line(struct conf *want, int n, char **words)
{
	unsigned int v;
	int skip;

	for (v = 0; v < ARRAY_SIZE(verbs); v++) {
		skip = verb_words(v, n, words);
		if (skip)
			return verbs[v].parse(want, n - skip, words + skip);
	}
	return fail("\"%s%s%s\" is not part of a configuration (apply takes sync key add, sync key use, config set, node add, service add and backend add)",
		    words[0], n > 1 ? " " : "", n > 1 ? words[1] : "");
}

int apply_read_file(FILE *f, struct conf *want)
{
	char *words[MAX_WORDS], *line = NULL;
	unsigned int lineno = 0;
	size_t cap = 0;
	int n, ret = 0;

	memset(want, 0, sizeof(*want));
	while (!ret && getline(&line, &cap, f) >= 0) {
		error_start(++lineno);
		n = batch_split(line, words);
		ret = n < 0 ? -1 : n ? file_line(want, n, words) : 0;
	}
	free(line);
	if (ret) {
		conf_free(want);
		return ret;	/* and the failed line's status stands */
	}
	error_start(0);
	if (!ferror(f))
		return 0;
	conf_free(want);
	return fail("cannot read the file: %s", strerror(errno));
}
