// SPDX-License-Identifier: GPL-2.0
/* sessha session: the flow table, owned entries and replicas alike. */
#include <stdio.h>

#include "sessha.h"

static const char *const state_names[] = {
	[SESSHA_STATE_NONE] = "none",
	[SESSHA_STATE_SYN] = "syn",
	[SESSHA_STATE_ESTABLISHED] = "established",
	[SESSHA_STATE_CLOSING] = "closing",
	[SESSHA_STATE_CLOSED] = "closed",
};

static const char *const role_names[] = {
	[SESSHA_ROLE_OWNER] = "owner",
	[SESSHA_ROLE_REPLICA] = "replica",
};

_Static_assert(ARRAY_SIZE(state_names) == __SESSHA_STATE_MAX,
	       "a session state without a name");

static int session_build(struct nl_msg *msg, const void *arg)
{
	const uint32_t *service = arg;

	if (*service && nla_put_u32(msg, SESSHA_A_SERVICE_ID, *service) < 0)
		return -1;
	return 0;
}

static void print_u32_attr(const struct nlattr *nla, const char *key,
			   const char *fmt)
{
	if (nla)
		print_uint(PRINT_ANY, key, fmt, nla_get_u32(nla));
}

static void print_u16_attr(const struct nlattr *nla, const char *key,
			   const char *fmt)
{
	if (nla)
		print_uint(PRINT_ANY, key, fmt, nla_get_u16(nla));
}

static void print_addr_attr(const struct nlattr *nla, const char *key,
			    const char *fmt)
{
	char buf[ADDR_STRLEN];
	const char *addr = format_addr(nla, buf, sizeof(buf));

	if (addr)
		print_string(PRINT_ANY, key, fmt, addr);
}

static void print_enum_attr(const struct nlattr *nla, const char *key,
			    const char *fmt, const char *const names[],
			    unsigned int n)
{
	char num[NUM_STRLEN];

	if (nla)
		print_string(PRINT_ANY, key, fmt,
			     name_of(names, n, nla_get_u8(nla), num));
}

static int session_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	print_open_object(PRINT_JSON, NULL);
	print_u32_attr(tb[SESSHA_A_SERVICE_ID], "service", "service %u");
	print_addr_attr(tb[SESSHA_A_SESSION_CLIENT_ADDR], "client",
			" client %s");
	print_u16_attr(tb[SESSHA_A_SESSION_CLIENT_PORT], "cport", " cport %u");
	print_u32_attr(tb[SESSHA_A_BACKEND_ID], "backend", " backend %u");
	print_addr_attr(tb[SESSHA_A_BACKEND_ADDR], "backend_addr",
			" backend-addr %s");
	print_enum_attr(tb[SESSHA_A_SESSION_STATE], "state", " state %s",
			state_names, ARRAY_SIZE(state_names));
	print_enum_attr(tb[SESSHA_A_SESSION_ROLE], "role", " role %s",
			role_names, ARRAY_SIZE(role_names));
	print_u32_attr(tb[SESSHA_A_SESSION_OWNER], "owner", " owner %u");
	print_u32_attr(tb[SESSHA_A_SESSION_BACKUP], "backup", " backup %u");
	print_u32_attr(tb[SESSHA_A_SESSION_EXPIRES], "expires_ms",
		       " expires %ums");
	print_close_object(PRINT_JSON);
	print_nl();
	return 0;
}

static int session_show(int argc, char **argv)
{
	static const char *const kws[] = { "service", NULL };
	struct args a = { argc, argv };
	unsigned int seen = 0;
	uint32_t service = 0;

	while (a.argc > 0) {
		if (arg_keyword(&a, kws, &seen) < 0 ||
		    arg_u32(&a, "service", 1, UINT16_MAX, &service))
			return -1;
	}
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_SESSION_GET,
		.dump = true,
		.build = session_build,
		.req = &service,
		.reply = session_print,
		.array = true,
		.ctx = "sessions",
	});
}

static const struct command session_cmds[] = {
	{ "show", session_show },
	{ NULL, NULL },
};

const struct object session_object = {
	.name = "session",
	.cmds = session_cmds,
	.usage = "sessha session show [service SID]\n",
};
