// SPDX-License-Identifier: GPL-2.0
/* sessha node: the hosts of the cluster. */
#include <stdio.h>

#include "sessha-req.h"

static int node_build(struct nl_msg *msg, const void *arg)
{
	const struct node_req *r = arg;

	if (nla_put_u32(msg, SESSHA_A_NODE_ID, r->id) < 0)
		return -1;
	if (r->addr.len && put_addr(msg, SESSHA_A_NODE_ADDR, &r->addr) < 0)
		return -1;
	if (r->local && nla_put_flag(msg, SESSHA_A_NODE_LOCAL) < 0)
		return -1;
	if (r->has_state && nla_put_u8(msg, SESSHA_A_NODE_STATE, r->state) < 0)
		return -1;
	return 0;
}

static int node_send(uint8_t cmd, const struct node_req *r)
{
	char ctx[32];

	snprintf(ctx, sizeof(ctx), "node %u", r->id);
	return run_request(&(struct request){
		.cmd = cmd,
		.build = node_build,
		.req = r,
		.ctx = ctx,
	});
}

int node_add_parse(int argc, char **argv, struct node_req *r)
{
	enum { K_ID, K_ADDR, K_LOCAL, K_STATE };
	static const char *const kws[] = { "id", "addr", "local", "state", NULL };
	struct args a = { argc, argv };
	unsigned int seen = 0;
	int state;

	*r = (struct node_req){ 0 };
	while (a.argc > 0) {
		switch (arg_keyword(&a, kws, &seen)) {
		case K_ID:
			if (arg_u32(&a, "id", 1, UINT32_MAX, &r->id))
				return -1;
			break;
		case K_ADDR:
			if (arg_addr(&a, "addr", &r->addr))
				return -1;
			break;
		case K_LOCAL:
			r->local = true;
			break;
		case K_STATE:
			state = arg_choice(&a, "state", node_state_names,
					   ARRAY_SIZE(node_state_names));
			if (state < 0)
				return -1;
			r->has_state = true;
			r->state = state;
			break;
		default:
			return -1;
		}
	}
	return arg_require(seen, BIT(K_ID) | BIT(K_ADDR), kws);
}

static int node_add(int argc, char **argv)
{
	struct node_req r;

	if (node_add_parse(argc, argv, &r))
		return -1;
	return node_send(SESSHA_CMD_NODE_NEW, &r);
}

static int node_del(int argc, char **argv)
{
	static const char *const kws[] = { "id", NULL };
	struct args a = { argc, argv };
	struct node_req r = { 0 };
	unsigned int seen = 0;

	while (a.argc > 0) {
		if (arg_keyword(&a, kws, &seen) < 0 ||
		    arg_u32(&a, "id", 1, UINT32_MAX, &r.id))
			return -1;
	}
	if (arg_require(seen, BIT(0), kws))
		return -1;
	return node_send(SESSHA_CMD_NODE_DEL, &r);
}

/*
 * One request per node: the kernel sets one node at a time. Every node
 * of the list is tried, in order, even after one failed: when several
 * nodes fail at once, the survivors must hear of each that can be marked.
 * Without the module, though, the first answer is everyone's.
 */
static int node_set_each(const struct node_list *ids, uint8_t state)
{
	struct node_req r = { .has_state = true, .state = state };
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ids->n; i++) {
		r.id = ids->ids[i];
		if (!node_send(SESSHA_CMD_NODE_SET, &r))
			continue;
		ret = -1;
		if (error_status() == EXIT_NO_MODULE)
			break;
	}
	return ret;
}

static int node_set(int argc, char **argv)
{
	enum { K_ID, K_UP, K_DOWN };
	static const char *const kws[] = { "id", "up", "down", NULL };
	struct args a = { argc, argv };
	struct node_list ids = { 0 };
	uint8_t state = SESSHA_NODE_DOWN;
	unsigned int seen = 0;
	const char *list;

	while (a.argc > 0) {
		switch (arg_keyword(&a, kws, &seen)) {
		case K_ID:
			list = arg_value(&a, "id");
			if (!list || parse_node_list(list, false, &ids))
				return -1;
			break;
		case K_UP:
			state = SESSHA_NODE_UP;
			break;
		case K_DOWN:
			state = SESSHA_NODE_DOWN;
			break;
		default:
			return -1;
		}
	}
	if (arg_require(seen, BIT(K_ID), kws))
		return -1;
	if ((seen & BIT(K_UP)) && (seen & BIT(K_DOWN)))
		return fail("\"up\" and \"down\" are mutually exclusive");
	if (!(seen & (BIT(K_UP) | BIT(K_DOWN))))
		return fail("missing \"up\" or \"down\"");
	return node_set_each(&ids, state);
}

static const char *const config_state_names[] = {
	[SESSHA_CONFIG_MATCH] = "match",
	[SESSHA_CONFIG_MISMATCH] = "mismatch",
};

static int node_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	char buf[ADDR_STRLEN], num[NUM_STRLEN];
	const char *addr;

	(void)cmd;
	(void)arg;
	print_open_object(PRINT_JSON, NULL);
	if (tb[SESSHA_A_NODE_ID])
		print_uint(PRINT_ANY, "id", "node %u",
			   nla_get_u32(tb[SESSHA_A_NODE_ID]));
	addr = format_addr(tb[SESSHA_A_NODE_ADDR], buf, sizeof(buf));
	if (addr)
		print_string(PRINT_ANY, "addr", " addr %s", addr);
	print_bool(PRINT_ANY, "local", " local", tb[SESSHA_A_NODE_LOCAL]);
	if (tb[SESSHA_A_NODE_STATE])
		print_string(PRINT_ANY, "state", " state %s",
			     name_of(node_state_names,
				     ARRAY_SIZE(node_state_names),
				     nla_get_u8(tb[SESSHA_A_NODE_STATE]), num));
	/* the local node only: has it got its sessions from the peers yet? */
	if (tb[SESSHA_A_SYNC_STATE])
		print_string(PRINT_ANY, "sync", " sync %s",
			     name_of(sync_state_names,
				     ARRAY_SIZE(sync_state_names),
				     nla_get_u8(tb[SESSHA_A_SYNC_STATE]), num));
	/* a peer, once heard: does it hold the same configuration as we? */
	if (tb[SESSHA_A_NODE_CONFIG])
		print_string(PRINT_ANY, "config", " config %s",
			     name_of(config_state_names,
				     ARRAY_SIZE(config_state_names),
				     nla_get_u8(tb[SESSHA_A_NODE_CONFIG]), num));
	print_close_object(PRINT_JSON);
	print_nl();
	return 0;
}

static int node_show(int argc, char **argv)
{
	if (arg_none(&(struct args){ argc, argv }))
		return -1;
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_NODE_GET,
		.dump = true,
		.reply = node_print,
		.array = true,
		.ctx = "nodes",
	});
}

static const struct command node_cmds[] = {
	{ "add", node_add },
	{ "del", node_del },
	{ "set", node_set },
	{ "show", node_show },
	{ NULL, NULL },
};

const struct object node_object = {
	.name = "node",
	.cmds = node_cmds,
	.usage =
		"sessha node add id ID addr ADDR [local] [state {up|down}]\n"
		"sessha node del id ID\n"
		"sessha node set id ID[,ID...] {up|down}\n"
		"sessha node show\n",
};
