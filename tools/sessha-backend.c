// SPDX-License-Identifier: GPL-2.0
/* sessha backend: the real servers of a service. */
#include <stdio.h>

#include "sessha.h"

struct backend_req {
	uint32_t service;
	uint32_t id;
	struct sessha_addr addr;	/* len 0: not sent */
};

static int backend_build(struct nl_msg *msg, const void *arg)
{
	const struct backend_req *r = arg;

	if (nla_put_u32(msg, SESSHA_A_SERVICE_ID, r->service) < 0 ||
	    nla_put_u32(msg, SESSHA_A_BACKEND_ID, r->id) < 0)
		return -1;
	if (r->addr.len &&
	    put_addr(msg, SESSHA_A_BACKEND_ADDR, &r->addr) < 0)
		return -1;
	return 0;
}

/* "add" takes an address, "del" must not. */
static int backend_cmd(int argc, char **argv, uint8_t cmd)
{
	enum { K_SERVICE, K_ID, K_ADDR };
	static const char *const add_kws[] = { "service", "id", "addr", NULL };
	static const char *const del_kws[] = { "service", "id", NULL };
	const char *const *kws = cmd == SESSHA_CMD_BACKEND_NEW ? add_kws : del_kws;
	unsigned int seen = 0, required = BIT(K_SERVICE) | BIT(K_ID);
	struct args a = { argc, argv };
	struct backend_req r = { 0 };
	char ctx[48];

	while (a.argc > 0) {
		switch (arg_keyword(&a, kws, &seen)) {
		case K_SERVICE:
			if (arg_u32(&a, "service", 1, UINT16_MAX, &r.service))
				return -1;
			break;
		case K_ID:
			if (arg_u32(&a, "id", 1, UINT16_MAX, &r.id))
				return -1;
			break;
		case K_ADDR:
			if (arg_addr(&a, "addr", &r.addr))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (cmd == SESSHA_CMD_BACKEND_NEW)
		required |= BIT(K_ADDR);
	if (arg_require(seen, required, kws))
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

static int backend_del(int argc, char **argv)
{
	return backend_cmd(argc, argv, SESSHA_CMD_BACKEND_DEL);
}

static const struct command backend_cmds[] = {
	{ "add", backend_add },
	{ "del", backend_del },
	{ NULL, NULL },
};

const struct object backend_object = {
	.name = "backend",
	.cmds = backend_cmds,
	.usage =
		"sessha backend add service SID id BID addr ADDR\n"
		"sessha backend del service SID id BID\n",
};
