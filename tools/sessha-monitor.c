// SPDX-License-Identifier: GPL-2.0
/* sessha monitor: print the "events" (and "flows") groups until killed. */
#include <stdio.h>

#include "sessha.h"

static int event_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	char buf[ADDR_STRLEN], num[NUM_STRLEN];
	const char *addr;

	(void)arg;
	switch (cmd) {
	case SESSHA_CMD_NODE_NTF:
		print_open_object(PRINT_JSON, NULL);
		print_string(PRINT_ANY, "event", "%s", "node");
		if (tb[SESSHA_A_NODE_ID])
			print_uint(PRINT_ANY, "id", " %u",
				   nla_get_u32(tb[SESSHA_A_NODE_ID]));
		if (tb[SESSHA_A_NODE_STATE])
			print_string(PRINT_ANY, "state", " state %s",
				     name_of(node_state_names,
					     ARRAY_SIZE(node_state_names),
					     nla_get_u8(tb[SESSHA_A_NODE_STATE]),
					     num));
		break;
	case SESSHA_CMD_PROMOTE_NTF:
		print_open_object(PRINT_JSON, NULL);
		print_string(PRINT_ANY, "event", "%s", "promote");
		if (tb[SESSHA_A_SERVICE_ID])
			print_uint(PRINT_ANY, "service", " service %u",
				   nla_get_u32(tb[SESSHA_A_SERVICE_ID]));
		addr = format_addr(tb[SESSHA_A_SESSION_CLIENT_ADDR], buf,
				   sizeof(buf));
		if (addr)
			print_string(PRINT_ANY, "client", " client %s", addr);
		if (tb[SESSHA_A_SESSION_CLIENT_PORT])
			print_uint(PRINT_ANY, "cport", " cport %u",
				   nla_get_u16(tb[SESSHA_A_SESSION_CLIENT_PORT]));
		if (tb[SESSHA_A_SESSION_OWNER])
			print_uint(PRINT_ANY, "owner", " owner %u",
				   nla_get_u32(tb[SESSHA_A_SESSION_OWNER]));
		break;
	case SESSHA_CMD_TAKEOVER_NTF:
		print_open_object(PRINT_JSON, NULL);
		print_string(PRINT_ANY, "event", "%s", "takeover");
		if (tb[SESSHA_A_NODE_ID])
			print_uint(PRINT_ANY, "from", " from %u",
				   nla_get_u32(tb[SESSHA_A_NODE_ID]));
		if (tb[SESSHA_A_SERVICE_ID])
			print_uint(PRINT_ANY, "service", " service %u",
				   nla_get_u32(tb[SESSHA_A_SERVICE_ID]));
		if (tb[SESSHA_A_TAKEOVER_COUNT])
			print_uint(PRINT_ANY, "count", " count %u",
				   nla_get_u32(tb[SESSHA_A_TAKEOVER_COUNT]));
		break;
	default:
		return 0;	/* an event this tool does not know yet */
	}
	print_close_object(PRINT_JSON);
	print_nl();
	fflush(stdout);
	return 0;
}

static const char *const monitor_kws[] = { "flows", NULL };

/* "flows" also joins the per-flow group: one promote event per flow. */
static int monitor_run(int argc, char **argv)
{
	struct args a = { argc, argv };
	unsigned int seen = 0;
	struct conn c;
	int ret;

	while (a.argc)
		if (arg_keyword(&a, monitor_kws, &seen) < 0)
			return -1;
	if (conn_open(&c))
		return -1;
	ret = conn_subscribe(&c, SESSHA_MCGRP_EVENTS);
	if (!ret && seen)
		ret = conn_subscribe(&c, SESSHA_MCGRP_FLOWS);
	if (!ret)
		ret = conn_listen(&c, event_print, NULL);
	conn_close(&c);
	return ret;
}

const struct object monitor_object = {
	.name = "monitor",
	.run = monitor_run,
	.usage = "sessha monitor [flows]\n",
};
