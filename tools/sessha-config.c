// SPDX-License-Identifier: GPL-2.0
/* sessha config: per-namespace settings. */
#include <stdio.h>

#include "sessha-req.h"

/* The keywords of "config set", in the order "config show" prints them. */
enum {
	K_SYNC, K_SYNC_PORT, K_TIMEOUT_TCP, K_TIMEOUT_TCP_FIN, K_TIMEOUT_UDP,
	K_MAX_SESSIONS, K_JOIN, K_COUNT
};

_Static_assert(K_COUNT == CONFIG_KEYS, "sessha-req.h: CONFIG_KEYS");

static const char *const kws[] = {
	[K_SYNC] = "sync",
	[K_SYNC_PORT] = "sync-port",
	[K_TIMEOUT_TCP] = "timeout-tcp",
	[K_TIMEOUT_TCP_FIN] = "timeout-tcp-fin",
	[K_TIMEOUT_UDP] = "timeout-udp",
	[K_MAX_SESSIONS] = "max-sessions",
	[K_JOIN] = "join",
	[K_COUNT] = NULL,
};

/*
 * The module keeps timeouts in 16 bits, as sync records carry them, and
 * its policy refuses more (the spec's timeout-* range); the attributes
 * are u32 all the same. Refusing here says why, before anything is sent.
 */
#define TIMEOUT_MAX 65535

static const int attrs[K_COUNT] = {
	[K_SYNC] = SESSHA_A_SYNC_ENABLED,
	[K_SYNC_PORT] = SESSHA_A_SYNC_PORT,
	[K_TIMEOUT_TCP] = SESSHA_A_TIMEOUT_TCP,
	[K_TIMEOUT_TCP_FIN] = SESSHA_A_TIMEOUT_TCP_FIN,
	[K_TIMEOUT_UDP] = SESSHA_A_TIMEOUT_UDP,
	[K_MAX_SESSIONS] = SESSHA_A_MAX_SESSIONS,
	[K_JOIN] = SESSHA_A_SYNC_JOIN,
};

static int config_build(struct nl_msg *msg, const void *arg)
{
	const struct config_req *r = arg;
	unsigned int k;
	int err = 0;

	for (k = 0; k < K_COUNT && !err; k++) {
		if (!(r->seen & BIT(k)))
			continue;
		if (k == K_SYNC || k == K_JOIN)
			err = nla_put_u8(msg, attrs[k], r->val[k]);
		else if (k == K_SYNC_PORT)
			err = nla_put_u16(msg, attrs[k], r->val[k]);
		else
			err = nla_put_u32(msg, attrs[k], r->val[k]);
	}
	return err;
}

static bool is_timeout(int k)
{
	return k == K_TIMEOUT_TCP || k == K_TIMEOUT_TCP_FIN ||
	       k == K_TIMEOUT_UDP;
}

/* The value of keyword @k, into @r. */
static int config_value(struct args *a, int k, struct config_req *r)
{
	const char *v;
	int choice;

	if (k == K_SYNC || k == K_JOIN) {
		choice = arg_choice(a, kws[k], on_off_names,
				    ARRAY_SIZE(on_off_names));
		if (choice < 0)
			return -1;
		r->val[k] = choice;
		return 0;
	}
	if (is_timeout(k)) {
		v = arg_value(a, kws[k]);
		return v ? parse_u32_unit(kws[k], v, 1, TIMEOUT_MAX, "seconds",
					  &r->val[k]) : -1;
	}
	return arg_u32(a, kws[k], 1,
		       k == K_SYNC_PORT ? UINT16_MAX : UINT32_MAX, &r->val[k]);
}

int config_set_parse(int argc, char **argv, struct config_req *r)
{
	struct args a = { argc, argv };
	int k;

	*r = (struct config_req){ 0 };
	if (a.argc == 0)
		return fail("nothing to set (try \"sessha config help\")");
	while (a.argc > 0) {
		k = arg_keyword(&a, kws, &r->seen);
		if (k < 0 || config_value(&a, k, r))
			return -1;
	}
	return 0;
}

static int config_set(int argc, char **argv)
{
	struct config_req r;

	if (config_set_parse(argc, argv, &r))
		return -1;
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_CONFIG_SET,
		.build = config_build,
		.req = &r,
		.ctx = "config",
	});
}

/* The value of attribute @k in a reply, by its size in config_build. */
static bool config_attr(struct nlattr **tb, unsigned int k, uint32_t *v)
{
	const struct nlattr *nla = tb[attrs[k]];

	if (!nla)
		return false;
	if (k == K_SYNC || k == K_JOIN) {
		if (nla_len(nla) < (int)sizeof(uint8_t))
			return false;
		*v = !!nla_get_u8(nla);
	} else if (k == K_SYNC_PORT) {
		if (nla_len(nla) < (int)sizeof(uint16_t))
			return false;
		*v = nla_get_u16(nla);
	} else {
		if (nla_len(nla) < (int)sizeof(uint32_t))
			return false;
		*v = nla_get_u32(nla);
	}
	return true;
}

/* The settings a CONFIG_GET reply holds, as config set would send them. */
void config_from_reply(struct nlattr **tb, struct config_req *r)
{
	unsigned int k;

	*r = (struct config_req){ 0 };
	for (k = 0; k < K_COUNT; k++)
		if (config_attr(tb, k, &r->val[k]))
			r->seen |= BIT(k);
}

/* " keyword value" for each setting of @r in @mask, in config show's order. */
void config_print_words(FILE *f, const struct config_req *r,
			unsigned int mask)
{
	unsigned int k;

	for (k = 0; k < K_COUNT; k++) {
		if (!(r->seen & mask & BIT(k)))
			continue;
		if (k == K_SYNC || k == K_JOIN)
			fprintf(f, " %s %s", kws[k], on_off_names[!!r->val[k]]);
		else
			fprintf(f, " %s %u", kws[k], r->val[k]);
	}
}

static int config_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	print_open_object(PRINT_JSON, NULL);
	if (tb[SESSHA_A_SYNC_ENABLED])
		print_on_off(PRINT_ANY, "sync", "sync %s",
			     nla_get_u8(tb[SESSHA_A_SYNC_ENABLED]));
	if (tb[SESSHA_A_SYNC_PORT])
		print_uint(PRINT_ANY, "sync_port", " sync-port %u",
			   nla_get_u16(tb[SESSHA_A_SYNC_PORT]));
	if (tb[SESSHA_A_TIMEOUT_TCP])
		print_uint(PRINT_ANY, "timeout_tcp", " timeout-tcp %u",
			   nla_get_u32(tb[SESSHA_A_TIMEOUT_TCP]));
	if (tb[SESSHA_A_TIMEOUT_TCP_FIN])
		print_uint(PRINT_ANY, "timeout_tcp_fin", " timeout-tcp-fin %u",
			   nla_get_u32(tb[SESSHA_A_TIMEOUT_TCP_FIN]));
	if (tb[SESSHA_A_TIMEOUT_UDP])
		print_uint(PRINT_ANY, "timeout_udp", " timeout-udp %u",
			   nla_get_u32(tb[SESSHA_A_TIMEOUT_UDP]));
	if (tb[SESSHA_A_MAX_SESSIONS])
		print_uint(PRINT_ANY, "max_sessions", " max-sessions %u",
			   nla_get_u32(tb[SESSHA_A_MAX_SESSIONS]));
	if (tb[SESSHA_A_SYNC_JOIN])
		print_on_off(PRINT_ANY, "join", " join %s",
			     nla_get_u8(tb[SESSHA_A_SYNC_JOIN]));
	print_close_object(PRINT_JSON);
	print_nl();
	return 0;
}

static int config_show(int argc, char **argv)
{
	if (arg_none(&(struct args){ argc, argv }))
		return -1;
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_CONFIG_GET,
		.reply = config_print,
		.ctx = "config",
	});
}

static const struct command config_cmds[] = {
	{ "set", config_set },
	{ "show", config_show },
	{ NULL, NULL },
};

const struct object config_object = {
	.name = "config",
	.cmds = config_cmds,
	.usage =
		"sessha config set [sync {on|off}] [sync-port PORT] [timeout-tcp SECS] [timeout-tcp-fin SECS]\n"
		"                  [timeout-udp SECS] [max-sessions N] [join {on|off}]\n"
		"sessha config show\n",
};
