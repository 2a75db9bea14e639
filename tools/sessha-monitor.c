// SPDX-License-Identifier: GPL-2.0
/* sessha monitor: print the "events" multicast group until killed. */
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
	default:
		return 0;	/* an event this tool does not know yet */
	}
	print_close_object(PRINT_JSON);
	print_nl();
	fflush(stdout);
	return 0;
}

static int monitor_run(int argc, char **argv)
{
	struct conn c;
	int ret;

	if (arg_none(&(struct args){ argc, argv }))
		return -1;
	if (conn_open(&c))
		return -1;
	ret = conn_subscribe(&c, SESSHA_MCGRP_EVENTS);
	if (!ret)
		ret = conn_listen(&c, event_print, NULL);
	conn_close(&c);
	return ret;
}

const struct object monitor_object = {
	.name = "monitor",
	.run = monitor_run,
	.usage = "sessha monitor\n",
};
