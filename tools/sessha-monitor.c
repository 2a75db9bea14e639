// SPDX-License-Identifier: GPL-2.0
/* sessha monitor: print the "events" (and "flows") groups until killed. */
#include <stdio.h>

#include "sessha.h"

/* A u32 attribute, when the event carries it. */
static void print_attr_u32(struct nlattr **tb, int type, const char *key,
			   const char *fmt)
{
	if (tb[type])
		print_uint(PRINT_ANY, key, fmt, nla_get_u32(tb[type]));
}

static void node_print(struct nlattr **tb)
{
	char num[NUM_STRLEN];

	print_attr_u32(tb, SESSHA_A_NODE_ID, "id", " %u");
	if (tb[SESSHA_A_NODE_STATE])
		print_string(PRINT_ANY, "state", " state %s",
			     name_of(node_state_names,
				     ARRAY_SIZE(node_state_names),
				     nla_get_u8(tb[SESSHA_A_NODE_STATE]), num));
}

static void promote_print(struct nlattr **tb)
{
	char buf[ADDR_STRLEN];
	const char *addr;

	print_attr_u32(tb, SESSHA_A_SERVICE_ID, "service", " service %u");
	addr = format_addr(tb[SESSHA_A_SESSION_CLIENT_ADDR], buf, sizeof(buf));
	if (addr)
		print_string(PRINT_ANY, "client", " client %s", addr);
	if (tb[SESSHA_A_SESSION_CLIENT_PORT])
		print_uint(PRINT_ANY, "cport", " cport %u",
			   nla_get_u16(tb[SESSHA_A_SESSION_CLIENT_PORT]));
	print_attr_u32(tb, SESSHA_A_SESSION_OWNER, "owner", " owner %u");
}

static void takeover_print(struct nlattr **tb)
{
	print_attr_u32(tb, SESSHA_A_NODE_ID, "from", " from %u");
	print_attr_u32(tb, SESSHA_A_SERVICE_ID, "service", " service %u");
	print_attr_u32(tb, SESSHA_A_TAKEOVER_COUNT, "count", " count %u");
}

static const struct {
	uint8_t cmd;
	const char *name;
	void (*print)(struct nlattr **tb);
} events[] = {
	{ SESSHA_CMD_NODE_NTF, "node", node_print },
	{ SESSHA_CMD_PROMOTE_NTF, "promote", promote_print },
	{ SESSHA_CMD_TAKEOVER_NTF, "takeover", takeover_print },
};

static int event_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	unsigned int i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(events); i++)
		if (events[i].cmd == cmd)
			break;
	if (i == ARRAY_SIZE(events))
		return 0;	/* an event this tool does not know yet */
	print_open_object(PRINT_JSON, NULL);
	print_string(PRINT_ANY, "event", "%s", events[i].name);
	events[i].print(tb);
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
