// SPDX-License-Identifier: GPL-2.0
/* sessha service: a virtual address, its servicing nodes and backends. */
#include <stdio.h>
#include <string.h>

#include "sessha-req.h"

static int put_ids(struct nl_msg *msg, int type, const uint32_t *ids,
		   unsigned int n)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	unsigned int i;

	if (!nest)
		return -1;
	for (i = 0; i < n; i++)
		if (nla_put_u32(msg, SESSHA_A_NODE_ID, ids[i]) < 0)
			return -1;
	return nla_nest_end(msg, nest);
}

/* The node list, and with pairs each node's backup: add and set alike. */
static int put_nodes(struct nl_msg *msg, const struct service_req *r)
{
	if (put_ids(msg, SESSHA_A_SERVICE_NODES, r->nodes.ids, r->nodes.n) < 0)
		return -1;
	if (r->policy == SESSHA_POLICY_PAIRS &&
	    put_ids(msg, SESSHA_A_SERVICE_BACKUPS, r->nodes.backups,
		    r->nodes.n) < 0)
		return -1;
	return 0;
}

static int service_build(struct nl_msg *msg, const void *arg)
{
	const struct service_req *r = arg;

	if (nla_put_u32(msg, SESSHA_A_SERVICE_ID, r->id) < 0)
		return -1;
	if (!r->vip.len)	/* del */
		return 0;
	if (put_addr(msg, SESSHA_A_SERVICE_VIP, &r->vip) < 0 ||
	    nla_put_u8(msg, SESSHA_A_SERVICE_PROTO, r->proto) < 0 ||
	    nla_put_u16(msg, SESSHA_A_SERVICE_PORT, r->port) < 0 ||
	    nla_put_u8(msg, SESSHA_A_SERVICE_POLICY, r->policy) < 0)
		return -1;
	return put_nodes(msg, r);
}

/* set: only what was given, the rest stays as the kernel has it. */
static int service_set_build(struct nl_msg *msg, const void *arg)
{
	const struct service_req *r = arg;

	if (nla_put_u32(msg, SESSHA_A_SERVICE_ID, r->id) < 0)
		return -1;
	if (r->set_policy &&
	    nla_put_u8(msg, SESSHA_A_SERVICE_POLICY, r->policy) < 0)
		return -1;
	return r->nodes.n ? put_nodes(msg, r) : 0;
}

static int service_send(uint8_t cmd, const struct service_req *r)
{
	char ctx[32];

	snprintf(ctx, sizeof(ctx), "service %u", r->id);
	return run_request(&(struct request){
		.cmd = cmd,
		.build = cmd == SESSHA_CMD_SERVICE_SET ? service_set_build :
							 service_build,
		.req = r,
		.ctx = ctx,
	});
}

/*
 * "policy ring", "policy pairs 1:2,2:3,3:1" or "nodes 1,2,3" into @r:
 * the pairs list is the policy's second word, so it cannot be confused
 * with a ring list.
 */
static int service_arg_layout(struct args *a, const char *kw,
			      struct service_req *r)
{
	const char *list;
	int v;

	if (!strcmp(kw, "nodes")) {
		list = arg_value(a, "nodes");
		return !list || parse_node_list(list, false, &r->nodes) ? -1 : 0;
	}
	v = arg_choice(a, "policy", policy_names, ARRAY_SIZE(policy_names));
	if (v < 0)
		return -1;
	r->policy = v;
	r->set_policy = true;
	if (v != SESSHA_POLICY_PAIRS)
		return 0;
	list = arg_value(a, "policy pairs");
	return !list || parse_node_list(list, true, &r->nodes) ? -1 : 0;
}

static int service_check_layout(const struct service_req *r, bool nodes)
{
	if (r->policy == SESSHA_POLICY_PAIRS && nodes)
		return fail("\"nodes\" does not go with policy pairs (use \"policy pairs ID:BACKUP,...\")");
	return 0;
}

int service_add_parse(int argc, char **argv, struct service_req *r)
{
	enum { K_ID, K_VIP, K_PROTO, K_PORT, K_POLICY, K_NODES };
	static const char *const kws[] = {
		"id", "vip", "proto", "port", "policy", "nodes", NULL
	};
	struct args a = { argc, argv };
	unsigned int seen = 0;
	int v, k;

	*r = (struct service_req){ .policy = SESSHA_POLICY_RING };
	while (a.argc > 0) {
		switch ((k = arg_keyword(&a, kws, &seen))) {
		case K_ID:
			if (arg_u32(&a, "id", 1, UINT16_MAX, &r->id))
				return -1;
			break;
		case K_VIP:
			if (arg_addr(&a, "vip", &r->vip))
				return -1;
			break;
		case K_PROTO:
			v = arg_choice(&a, "proto", proto_names,
				       ARRAY_SIZE(proto_names));
			if (v < 0)
				return -1;
			r->proto = v;
			break;
		case K_PORT:
			if (arg_u32(&a, "port", 1, UINT16_MAX, &r->port))
				return -1;
			break;
		case K_POLICY:
		case K_NODES:
			if (service_arg_layout(&a, kws[k], r))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (service_check_layout(r, seen & BIT(K_NODES)))
		return -1;
	if (r->policy == SESSHA_POLICY_PAIRS)
		seen |= BIT(K_NODES);
	if (arg_require(seen, BIT(K_ID) | BIT(K_VIP) | BIT(K_PROTO) |
			BIT(K_PORT) | BIT(K_NODES), kws))
		return -1;
	return 0;
}

static int service_add(int argc, char **argv)
{
	struct service_req r;

	if (service_add_parse(argc, argv, &r))
		return -1;
	return service_send(SESSHA_CMD_SERVICE_NEW, &r);
}

/*
 * "service set id 1 nodes 1,2,3,4", "... policy pairs 1:2,2:1" or
 * "... policy ring nodes 1,2": the same words as add, on a live service.
 */
static int service_set(int argc, char **argv)
{
	enum { K_ID, K_POLICY, K_NODES };
	static const char *const kws[] = { "id", "policy", "nodes", NULL };
	struct args a = { argc, argv };
	struct service_req r = { 0 };
	unsigned int seen = 0;
	int k;

	while (a.argc > 0) {
		switch ((k = arg_keyword(&a, kws, &seen))) {
		case K_ID:
			if (arg_u32(&a, "id", 1, UINT16_MAX, &r.id))
				return -1;
			break;
		case K_POLICY:
		case K_NODES:
			if (service_arg_layout(&a, kws[k], &r))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (service_check_layout(&r, seen & BIT(K_NODES)))
		return -1;
	if (arg_require(seen, BIT(K_ID), kws))
		return -1;
	if (!(seen & (BIT(K_POLICY) | BIT(K_NODES))))
		return fail("missing \"policy\" or \"nodes\"");
	return service_send(SESSHA_CMD_SERVICE_SET, &r);
}

static int service_del(int argc, char **argv)
{
	static const char *const kws[] = { "id", NULL };
	struct args a = { argc, argv };
	struct service_req r = { 0 };
	unsigned int seen = 0;

	while (a.argc > 0) {
		if (arg_keyword(&a, kws, &seen) < 0 ||
		    arg_u32(&a, "id", 1, UINT16_MAX, &r.id))
			return -1;
	}
	if (arg_require(seen, BIT(0), kws))
		return -1;
	return service_send(SESSHA_CMD_SERVICE_DEL, &r);
}

static void print_ids(const char *key, const char *fmt,
		      const struct nlattr *nest)
{
	const struct nlattr *nla;
	int rem;

	print_open_array(PRINT_ANY, key, fmt);
	nla_for_each_nested(nla, nest, rem)
		if (nla_type(nla) == SESSHA_A_NODE_ID &&
		    nla_len(nla) >= (int)sizeof(uint32_t))
			print_uint(PRINT_ANY, NULL, "%u", nla_get_u32(nla));
	print_close_array(PRINT_ANY);
}

/* Text puts each backend on a line of its own under the service. */
static void print_backends(const struct nlattr *nest)
{
	struct nlattr *tb[SESSHA_A_MAX + 1];
	char buf[ADDR_STRLEN];
	const struct nlattr *nla;
	const char *addr;
	int rem;

	print_open_array(PRINT_JSON, "backends", NULL);
	if (!nest)
		goto out;
	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != SESSHA_A_BACKEND ||
		    nla_parse_nested(tb, SESSHA_A_MAX, (struct nlattr *)nla,
				     NULL) < 0 ||
		    !tb[SESSHA_A_BACKEND_ID] ||
		    nla_len(tb[SESSHA_A_BACKEND_ID]) < (int)sizeof(uint32_t))
			continue;
		print_open_object(PRINT_JSON, NULL);
		print_uint(PRINT_ANY, "id", "\n\tbackend %u",
			   nla_get_u32(tb[SESSHA_A_BACKEND_ID]));
		addr = format_addr(tb[SESSHA_A_BACKEND_ADDR], buf, sizeof(buf));
		if (addr)
			print_string(PRINT_ANY, "addr", " addr %s", addr);
		if (tb[SESSHA_A_BACKEND_WEIGHT] &&
		    nla_len(tb[SESSHA_A_BACKEND_WEIGHT]) >= (int)sizeof(uint32_t))
			print_uint(PRINT_ANY, "weight", " weight %u",
				   nla_get_u32(tb[SESSHA_A_BACKEND_WEIGHT]));
		print_close_object(PRINT_JSON);
	}
out:
	print_close_array(PRINT_JSON);
}

static int service_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	char buf[ADDR_STRLEN], num[NUM_STRLEN];
	uint8_t policy = SESSHA_POLICY_RING;
	const char *addr;

	(void)cmd;
	(void)arg;
	print_open_object(PRINT_JSON, NULL);
	if (tb[SESSHA_A_SERVICE_ID])
		print_uint(PRINT_ANY, "id", "service %u",
			   nla_get_u32(tb[SESSHA_A_SERVICE_ID]));
	addr = format_addr(tb[SESSHA_A_SERVICE_VIP], buf, sizeof(buf));
	if (addr)
		print_string(PRINT_ANY, "vip", " vip %s", addr);
	if (tb[SESSHA_A_SERVICE_PROTO])
		print_string(PRINT_ANY, "proto", " proto %s",
			     name_of(proto_names, ARRAY_SIZE(proto_names),
				     nla_get_u8(tb[SESSHA_A_SERVICE_PROTO]),
				     num));
	if (tb[SESSHA_A_SERVICE_PORT])
		print_uint(PRINT_ANY, "port", " port %u",
			   nla_get_u16(tb[SESSHA_A_SERVICE_PORT]));
	if (tb[SESSHA_A_SERVICE_POLICY])
		policy = nla_get_u8(tb[SESSHA_A_SERVICE_POLICY]);
	print_string(PRINT_ANY, "policy", " policy %s",
		     name_of(policy_names, ARRAY_SIZE(policy_names), policy,
			     num));
	if (tb[SESSHA_A_SERVICE_NODES])
		print_ids("nodes", " nodes ", tb[SESSHA_A_SERVICE_NODES]);
	if (policy == SESSHA_POLICY_PAIRS && tb[SESSHA_A_SERVICE_BACKUPS])
		print_ids("backups", " backups ", tb[SESSHA_A_SERVICE_BACKUPS]);
	print_backends(tb[SESSHA_A_SERVICE_BACKENDS]);
	print_close_object(PRINT_JSON);
	print_nl();
	return 0;
}

static int service_show(int argc, char **argv)
{
	if (arg_none(&(struct args){ argc, argv }))
		return -1;
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_SERVICE_GET,
		.dump = true,
		.reply = service_print,
		.array = true,
		.ctx = "services",
	});
}

static const struct command service_cmds[] = {
	{ "add", service_add },
	{ "set", service_set },
	{ "del", service_del },
	{ "show", service_show },
	{ NULL, NULL },
};

const struct object service_object = {
	.name = "service",
	.cmds = service_cmds,
	.usage =
		"sessha service add id SID vip ADDR proto {tcp|udp} port PORT [policy ring] nodes ID[,ID...]\n"
		"sessha service add id SID vip ADDR proto {tcp|udp} port PORT policy pairs ID:BACKUP[,ID:BACKUP...]\n"
		"sessha service set id SID {nodes ID[,ID...] | policy ring [nodes ID[,ID...]] |\n"
		"                           policy pairs ID:BACKUP[,ID:BACKUP...]}\n"
		"sessha service del id SID\n"
		"sessha service show\n",
};
