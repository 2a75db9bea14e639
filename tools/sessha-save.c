// SPDX-License-Identifier: GPL-2.0
/*
 * sessha save: the running configuration of this namespace, as the
 * commands that rebuild it, one per line, for sessha -batch: keys, then
 * settings (join and the sync port matter when the local node is added),
 * then nodes, then services, each followed by its backends.
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

#include "sessha.h"

#define DEFAULT_KEYDIR "/etc/sessha"

struct save_state {
	FILE *out;
	const char *keydir;
	int err;	/* -1: something this sessha cannot write down */
};

static int save_keys(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct nlattr *kb[SESSHA_A_MAX + 1];
	struct save_state *st = arg;
	int in_use = -1, rem, id;
	struct nlattr *nla;

	(void)cmd;
	if (tb[SESSHA_A_KEYS]) {
		nla_for_each_nested(nla, tb[SESSHA_A_KEYS], rem) {
			if (nla_type(nla) != SESSHA_A_KEY ||
			    nla_parse_nested(kb, SESSHA_A_MAX, nla, NULL) < 0 ||
			    !kb[SESSHA_A_KEY_ID] ||
			    nla_len(kb[SESSHA_A_KEY_ID]) < (int)sizeof(uint8_t))
				continue;
			id = nla_get_u8(kb[SESSHA_A_KEY_ID]);
			fprintf(st->out,
				"sync key add id %d file \"%s/key-%d\"\n",
				id, st->keydir, id);
			if (kb[SESSHA_A_KEY_TX])
				in_use = id;
		}
	}
	if (in_use >= 0)
		fprintf(st->out, "sync key use id %d\n", in_use);
	else
		fputs("# no cluster key: sync is unauthenticated\n", st->out);
	return 0;
}

static void save_u32(FILE *out, const struct nlattr *nla, const char *kw)
{
	if (nla && nla_len(nla) >= (int)sizeof(uint32_t))
		fprintf(out, " %s %u", kw, nla_get_u32(nla));
}

static void save_on_off(FILE *out, const struct nlattr *nla, const char *kw)
{
	if (nla && nla_len(nla) >= (int)sizeof(uint8_t))
		fprintf(out, " %s %s", kw, on_off_names[!!nla_get_u8(nla)]);
}

/* The keywords are config set's, in the order config show prints them. */
static int save_config(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct save_state *st = arg;

	(void)cmd;
	fputs("config set", st->out);
	save_on_off(st->out, tb[SESSHA_A_SYNC_ENABLED], "sync");
	if (tb[SESSHA_A_SYNC_PORT] &&
	    nla_len(tb[SESSHA_A_SYNC_PORT]) >= (int)sizeof(uint16_t))
		fprintf(st->out, " sync-port %u",
			nla_get_u16(tb[SESSHA_A_SYNC_PORT]));
	save_u32(st->out, tb[SESSHA_A_TIMEOUT_TCP], "timeout-tcp");
	save_u32(st->out, tb[SESSHA_A_TIMEOUT_TCP_FIN], "timeout-tcp-fin");
	save_u32(st->out, tb[SESSHA_A_TIMEOUT_UDP], "timeout-udp");
	save_u32(st->out, tb[SESSHA_A_MAX_SESSIONS], "max-sessions");
	save_on_off(st->out, tb[SESSHA_A_SYNC_JOIN], "join");
	fputc('\n', st->out);
	return 0;
}

static int save_node(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct save_state *st = arg;
	char buf[ADDR_STRLEN];
	const char *addr;
	uint8_t state;

	(void)cmd;
	addr = format_addr(tb[SESSHA_A_NODE_ADDR], buf, sizeof(buf));
	if (!tb[SESSHA_A_NODE_ID] || !addr || !tb[SESSHA_A_NODE_STATE]) {
		st->err = fail_status(EXIT_FAILED,
				      "save: a node without id, address or state");
		return 0;
	}
	state = nla_get_u8(tb[SESSHA_A_NODE_STATE]);
	if (state >= ARRAY_SIZE(node_state_names)) {
		st->err = fail_status(EXIT_FAILED,
				      "save: node %u: unknown state %u",
				      nla_get_u32(tb[SESSHA_A_NODE_ID]), state);
		return 0;
	}
	fprintf(st->out, "node add id %u addr %s%s state %s\n",
		nla_get_u32(tb[SESSHA_A_NODE_ID]), addr,
		tb[SESSHA_A_NODE_LOCAL] ? " local" : "",
		node_state_names[state]);
	return 0;
}

/* The node ids of a nest, in order. */
static void get_ids(const struct nlattr *nest, struct node_list *list)
{
	const struct nlattr *nla;
	int rem;

	list->n = 0;
	if (!nest)
		return;
	nla_for_each_nested(nla, nest, rem)
		if (nla_type(nla) == SESSHA_A_NODE_ID &&
		    nla_len(nla) >= (int)sizeof(uint32_t) &&
		    list->n < MAX_LIST_NODES)
			list->ids[list->n++] = nla_get_u32(nla);
}

/* "nodes 1,2,3", or after "policy pairs", "1:2,2:3,3:1". */
static int save_nodes(FILE *out, struct nlattr **tb, bool pairs)
{
	struct node_list nodes, backups;
	unsigned int i;

	get_ids(tb[SESSHA_A_SERVICE_NODES], &nodes);
	get_ids(tb[SESSHA_A_SERVICE_BACKUPS], &backups);
	if (!nodes.n || (pairs && backups.n != nodes.n))
		return -1;
	fputs(pairs ? " " : " nodes ", out);
	for (i = 0; i < nodes.n; i++) {
		fprintf(out, "%s%u", i ? "," : "", nodes.ids[i]);
		if (pairs)
			fprintf(out, ":%u", backups.ids[i]);
	}
	return 0;
}

static void save_backends(FILE *out, uint32_t service,
			  const struct nlattr *nest)
{
	struct nlattr *tb[SESSHA_A_MAX + 1];
	char buf[ADDR_STRLEN];
	const struct nlattr *nla;
	const char *addr;
	int rem;

	if (!nest)
		return;
	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != SESSHA_A_BACKEND ||
		    nla_parse_nested(tb, SESSHA_A_MAX, (struct nlattr *)nla,
				     NULL) < 0 ||
		    !tb[SESSHA_A_BACKEND_ID] ||
		    nla_len(tb[SESSHA_A_BACKEND_ID]) < (int)sizeof(uint32_t))
			continue;
		addr = format_addr(tb[SESSHA_A_BACKEND_ADDR], buf, sizeof(buf));
		if (!addr)
			continue;
		fprintf(out, "backend add service %u id %u addr %s", service,
			nla_get_u32(tb[SESSHA_A_BACKEND_ID]), addr);
		/* 1 is add's default: said only when it is not */
		if (tb[SESSHA_A_BACKEND_WEIGHT] &&
		    nla_len(tb[SESSHA_A_BACKEND_WEIGHT]) >= (int)sizeof(uint32_t) &&
		    nla_get_u32(tb[SESSHA_A_BACKEND_WEIGHT]) != 1)
			fprintf(out, " weight %u",
				nla_get_u32(tb[SESSHA_A_BACKEND_WEIGHT]));
		fputc('\n', out);
	}
}

static int save_service(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct save_state *st = arg;
	uint8_t proto, policy = SESSHA_POLICY_RING;
	char buf[ADDR_STRLEN];
	const char *vip;
	uint32_t id;

	(void)cmd;
	vip = format_addr(tb[SESSHA_A_SERVICE_VIP], buf, sizeof(buf));
	if (!tb[SESSHA_A_SERVICE_ID] || !vip || !tb[SESSHA_A_SERVICE_PROTO] ||
	    !tb[SESSHA_A_SERVICE_PORT]) {
		st->err = fail_status(EXIT_FAILED,
				      "save: a service without id, vip, proto or port");
		return 0;
	}
	id = nla_get_u32(tb[SESSHA_A_SERVICE_ID]);
	proto = nla_get_u8(tb[SESSHA_A_SERVICE_PROTO]);
	if (tb[SESSHA_A_SERVICE_POLICY])
		policy = nla_get_u8(tb[SESSHA_A_SERVICE_POLICY]);
	if (proto >= ARRAY_SIZE(proto_names) || !proto_names[proto] ||
	    policy >= ARRAY_SIZE(policy_names)) {
		st->err = fail_status(EXIT_FAILED,
				      "save: service %u: protocol %u or policy %u unknown to this sessha",
				      id, proto, policy);
		return 0;
	}
	fprintf(st->out, "service add id %u vip %s proto %s port %u policy %s",
		id, vip, proto_names[proto],
		nla_get_u16(tb[SESSHA_A_SERVICE_PORT]), policy_names[policy]);
	/* policy pairs takes its list as its second word */
	if (save_nodes(st->out, tb, policy == SESSHA_POLICY_PAIRS)) {
		fputc('\n', st->out);
		st->err = fail_status(EXIT_FAILED,
				      "save: service %u: no nodes, or nodes and backups that do not pair",
				      id);
		return 0;
	}
	fputc('\n', st->out);
	save_backends(st->out, id, tb[SESSHA_A_SERVICE_BACKENDS]);
	return 0;
}

static int save_dump(uint8_t cmd, bool dump, reply_fn fn,
		     struct save_state *st, const char *ctx)
{
	const struct request r = {
		.cmd = cmd,
		.dump = dump,
		.reply = fn,
		.arg = st,
		.ctx = ctx,
	};

	return run_request(&r) ? -1 : st->err;
}

static int save_all(struct save_state *st)
{
	return save_dump(SESSHA_CMD_SYNC_GET, false, save_keys, st, "sync") ||
	       save_dump(SESSHA_CMD_CONFIG_GET, false, save_config, st,
			 "config") ||
	       save_dump(SESSHA_CMD_NODE_GET, true, save_node, st, "nodes") ||
	       save_dump(SESSHA_CMD_SERVICE_GET, true, save_service, st,
			 "services") ? -1 : 0;
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
	struct save_state st = { .keydir = DEFAULT_KEYDIR };
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (save_args(argc, argv, &st.keydir))
		return -1;
	st.out = open_memstream(&buf, &len);
	if (!st.out)
		return fail_status(EXIT_FAILED, "save: %s", strerror(errno));
	fputs("# sessha save: replay with sessha -batch FILE\n", st.out);
	ret = save_all(&st);
	if (fclose(st.out) && !ret)
		ret = fail_status(EXIT_FAILED, "save: %s", strerror(errno));
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
