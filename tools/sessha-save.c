// SPDX-License-Identifier: GPL-2.0
/*
 * sessha save: the running configuration of this namespace, as the
 * commands that rebuild it, one per line, for sessha apply or -batch:
 * keys, then settings (join and the sync port matter when the local node
 * is added), then nodes, then services, each followed by its backends.
 *
 * The kernel never gives a key back, nor the file it came from: a key is
 * saved as the path its file should have, KEYDIR/key-ID, and that file
 * must hold the key when the output is replayed. Sessions, counters and
 * sync state are not configuration and are not saved.
 *
 * The output is built in memory and printed only once every dump has
 * succeeded: half a configuration, redirected into a file, would look
 * whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sessha-conf.h"

#define DEFAULT_KEYDIR "/etc/sessha"

static void save_keys(FILE *out, const struct conf *c, const char *keydir)
{
	char path[4096];
	unsigned int i;

	for (i = 0; i < c->nkeys; i++) {
		snprintf(path, sizeof(path), "%s/key-%u", keydir,
			 c->keys[i].id);
		conf_print_key_add(out, c->keys[i].id, path);
	}
	if (c->key_in_use)
		fprintf(out, "sync key use id %u\n", c->key_in_use);
	else
		fputs("# no cluster key: sync is unauthenticated\n", out);
}

static void save_conf(FILE *out, const struct conf *c, const char *keydir)
{
	unsigned int i, j;

	save_keys(out, c, keydir);
	fputs("config set", out);
	config_print_words(out, &c->config, ~0U);
	fputc('\n', out);
	for (i = 0; i < c->nnodes; i++)
		conf_print_node_add(out, &c->nodes[i]);
	for (i = 0; i < c->nservices; i++) {
		conf_print_service_add(out, &c->services[i].s);
		for (j = 0; j < c->services[i].nbackends; j++)
			conf_print_backend_add(out,
					       &c->services[i].backends[j]);
	}
}

static int save_args(int argc, char **argv, const char **keydir)
{
	static const char *const kws[] = { "keydir", NULL };
	struct args a = { argc, argv };
	unsigned int seen = 0;

	while (a.argc > 0) {
		if (arg_keyword(&a, kws, &seen) < 0)
			return -1;
		*keydir = arg_value(&a, "keydir");
		if (!*keydir)
			return -1;
		/* a batch word is quoted, without escapes */
		if (!**keydir || strpbrk(*keydir, "\"\n"))
			return fail("invalid keydir \"%s\"", *keydir);
	}
	if (print_is_json())
		return fail("\"save\" prints commands, not JSON");
	return 0;
}

static int save_run(int argc, char **argv)
{
	const char *keydir = DEFAULT_KEYDIR;
	struct conf conf;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int ret;

	if (save_args(argc, argv, &keydir) || conf_read(&conf, "save"))
		return -1;
	out = open_memstream(&buf, &len);
	if (!out) {
		conf_free(&conf);
		return fail_status(EXIT_FAILED, "save: %s", strerror(errno));
	}
	fputs("# sessha save: for sessha apply FILE, or sessha -batch FILE\n",
	      out);
	save_conf(out, &conf, keydir);
	conf_free(&conf);
	ret = fclose(out) ? fail_status(EXIT_FAILED, "save: %s",
					strerror(errno)) : 0;
	if (!ret)
		fwrite(buf, 1, len, stdout);
	free(buf);
	return ret;
}

const struct object save_object = {
	.name = "save",
	.run = save_run,
	.usage = "sessha save [keydir DIR]\n",
};
