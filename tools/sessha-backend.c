// SPDX-License-Identifier: GPL-2.0
/* sessha backend: the real servers of a service. */
#include <stdio.h>
#include <string.h>

#include "sessha-req.h"

static int backend_build(struct nl_msg *msg, const void *arg)
{
	const struct backend_req *r = arg;

	if (nla_put_u32(msg, SESSHA_A_SERVICE_ID, r->service) < 0 ||
	    nla_put_u32(msg, SESSHA_A_BACKEND_ID, r->id) < 0)
		return -1;
	if (r->addr.len &&
	    put_addr(msg, SESSHA_A_BACKEND_ADDR, &r->addr) < 0)
		return -1;
	if (r->has_weight &&
	    nla_put_u32(msg, SESSHA_A_BACKEND_WEIGHT, r->weight) < 0)
		return -1;
	return 0;
}

/*
 * "add" takes an address and maybe a weight, "set" a weight, "del"
 * neither. Each command's first words are the required ones: three, or
 * two for "del".
 */
static const char *const *backend_keywords(uint8_t cmd, unsigned int *required)
{
	static const char *const add_kws[] = {
		"service", "id", "addr", "weight", NULL
	};
	static const char *const set_kws[] = { "service", "id", "weight", NULL };
	static const char *const del_kws[] = { "service", "id", NULL };

	*required = cmd == SESSHA_CMD_BACKEND_DEL ? 0x3 : 0x7;
	if (cmd == SESSHA_CMD_BACKEND_NEW)
		return add_kws;
	return cmd == SESSHA_CMD_BACKEND_SET ? set_kws : del_kws;
}

/* One keyword and its value into @r; -1 after an error. */
static int backend_arg(struct args *a, const char *kw, struct backend_req *r)
{
	if (!strcmp(kw, "service"))
		return arg_u32(a, "service", 1, UINT16_MAX, &r->service);
	if (!strcmp(kw, "id"))
		return arg_u32(a, "id", 1, UINT16_MAX, &r->id);
	if (!strcmp(kw, "addr"))
		return arg_addr(a, "addr", &r->addr);
	r->has_weight = true;
	return arg_u32(a, "weight", 0, UINT16_MAX, &r->weight);
}

static int backend_parse(int argc, char **argv, uint8_t cmd,
			 struct backend_req *r)
{
	unsigned int seen = 0, required;
	const char *const *kws = backend_keywords(cmd, &required);
	struct args a = { argc, argv };
	int k;

	*r = (struct backend_req){ 0 };
	while (a.argc > 0) {
		k = arg_keyword(&a, kws, &seen);
		if (k < 0 || backend_arg(&a, kws[k], r))
			return -1;
	}
	return arg_require(seen, required, kws);
}

int backend_add_parse(int argc, char **argv, struct backend_req *r)
{
	return backend_parse(argc, argv, SESSHA_CMD_BACKEND_NEW, r);
}

static int backend_cmd(int argc, char **argv, uint8_t cmd)
{
	struct backend_req r;
	char ctx[48];

	if (backend_parse(argc, argv, cmd, &r))
		return -1;
	snprintf(ctx, sizeof(ctx), "service %u backend %u", r.service, r.id);
	return run_request(&(struct request){
		.cmd = cmd,
		.build = backend_build,
		.req = &r,
		.ctx = ctx,
	});
}

static int backend_add(int argc, char **argv)
{
	return backend_cmd(argc, argv, SESSHA_CMD_BACKEND_NEW);
}

static int backend_set(int argc, char **argv)
{
	return backend_cmd(argc, argv, SESSHA_CMD_BACKEND_SET);
}

static int backend_del(int argc, char **argv)
{
	return backend_cmd(argc, argv, SESSHA_CMD_BACKEND_DEL);
}

static const struct command backend_cmds[] = {
	{ "add", backend_add },
	{ "set", backend_set },
	{ "del", backend_del },
	{ NULL, NULL },
};

const struct object backend_object = {
	.name = "backend",
	.cmds = backend_cmds,
	.usage =
		"sessha backend add service SID id BID addr ADDR [weight W]\n"
		"sessha backend set service SID id BID weight W\n"
		"sessha backend del service SID id BID\n",
};
