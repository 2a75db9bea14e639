// SPDX-License-Identifier: GPL-2.0
/*
 * The running configuration of this namespace, read into a struct conf
 * from the dumps: SYNC_GET for the keys, CONFIG_GET, the node and the
 * service dumps (backends come inside their service). Whatever this
 * sessha could not write down as a command (a protocol or policy it has
 * no name for, a service without nodes) fails the read: a configuration
 * with a hole in it would look whole.
 */
#include <string.h>

#include "sessha-conf.h"

struct read_state {
	struct conf *conf;
	const char *who;	/* "save", "apply": the prefix of errors */
	int err;
};

static bool get_addr(const struct nlattr *nla, struct sessha_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!nla || (nla_len(nla) != 4 && nla_len(nla) != 16))
		return false;
	a->len = nla_len(nla);
	a->family = a->len == 4 ? AF_INET : AF_INET6;
	memcpy(a->bytes, nla_data(nla), a->len);
	return true;
}

static bool has_u32(const struct nlattr *nla)
{
	return nla && nla_len(nla) >= (int)sizeof(uint32_t);
}

static int read_keys(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct nlattr *kb[SESSHA_A_MAX + 1];
	struct read_state *st = arg;
	struct nlattr *nla;
	uint8_t id;
	int rem;

	(void)cmd;
	if (!tb[SESSHA_A_KEYS])
		return 0;
	nla_for_each_nested(nla, tb[SESSHA_A_KEYS], rem) {
		if (nla_type(nla) != SESSHA_A_KEY ||
		    nla_parse_nested(kb, SESSHA_A_MAX, nla, NULL) < 0 ||
		    !kb[SESSHA_A_KEY_ID] ||
		    nla_len(kb[SESSHA_A_KEY_ID]) < (int)sizeof(uint8_t))
			continue;
		id = nla_get_u8(kb[SESSHA_A_KEY_ID]);
		if (conf_add_key(st->conf, id, NULL))
			return st->err = -1;
		if (kb[SESSHA_A_KEY_TX])
			st->conf->key_in_use = id;
	}
	return 0;
}

static int read_config(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct read_state *st = arg;

	(void)cmd;
	config_from_reply(tb, &st->conf->config);
	return 0;
}

static int read_node(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct node_req n = { .has_state = true };
	struct read_state *st = arg;

	(void)cmd;
	if (!has_u32(tb[SESSHA_A_NODE_ID]) ||
	    !get_addr(tb[SESSHA_A_NODE_ADDR], &n.addr) ||
	    !tb[SESSHA_A_NODE_STATE]) {
		st->err = fail_status(EXIT_FAILED,
				      "%s: a node without id, address or state",
				      st->who);
		return 0;
	}
	n.id = nla_get_u32(tb[SESSHA_A_NODE_ID]);
	n.state = nla_get_u8(tb[SESSHA_A_NODE_STATE]);
	n.local = tb[SESSHA_A_NODE_LOCAL];
	if (n.state >= ARRAY_SIZE(node_state_names)) {
		st->err = fail_status(EXIT_FAILED,
				      "%s: node %u: unknown state %u",
				      st->who, n.id, n.state);
		return 0;
	}
	if (conf_add_node(st->conf, &n))
		st->err = -1;
	return 0;
}

/* The node ids of a nest, in order, into @ids. */
static unsigned int get_ids(const struct nlattr *nest, uint32_t *ids)
{
	const struct nlattr *nla;
	unsigned int n = 0;
	int rem;

	if (!nest)
		return 0;
	nla_for_each_nested(nla, nest, rem)
		if (nla_type(nla) == SESSHA_A_NODE_ID && has_u32(nla) &&
		    n < MAX_LIST_NODES)
			ids[n++] = nla_get_u32(nla);
	return n;
}

/* Nodes, and after policy pairs as many backups: false if not. */
static bool get_layout(struct nlattr **tb, struct service_req *s)
{
	unsigned int backups;

	s->nodes.n = get_ids(tb[SESSHA_A_SERVICE_NODES], s->nodes.ids);
	backups = get_ids(tb[SESSHA_A_SERVICE_BACKUPS], s->nodes.backups);
	return s->nodes.n &&
	       (s->policy != SESSHA_POLICY_PAIRS || backups == s->nodes.n);
}

static int read_backends(struct conf_service *cs, const struct nlattr *nest)
{
	struct nlattr *tb[SESSHA_A_MAX + 1];
	const struct nlattr *nla;
	struct backend_req b;
	int rem;

	if (!nest)
		return 0;
	nla_for_each_nested(nla, nest, rem) {
		b = (struct backend_req){ .service = cs->s.id };
		if (nla_type(nla) != SESSHA_A_BACKEND ||
		    nla_parse_nested(tb, SESSHA_A_MAX, (struct nlattr *)nla,
				     NULL) < 0 ||
		    !has_u32(tb[SESSHA_A_BACKEND_ID]) ||
		    !get_addr(tb[SESSHA_A_BACKEND_ADDR], &b.addr))
			continue;
		b.id = nla_get_u32(tb[SESSHA_A_BACKEND_ID]);
		/* a kernel without weights sends none */
		b.has_weight = has_u32(tb[SESSHA_A_BACKEND_WEIGHT]);
		if (b.has_weight)
			b.weight = nla_get_u32(tb[SESSHA_A_BACKEND_WEIGHT]);
		if (conf_add_backend(cs, &b))
			return -1;
	}
	return 0;
}

static int read_service(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct service_req s = { .policy = SESSHA_POLICY_RING };
	struct read_state *st = arg;
	struct conf_service *cs;

	(void)cmd;
	if (!has_u32(tb[SESSHA_A_SERVICE_ID]) ||
	    !get_addr(tb[SESSHA_A_SERVICE_VIP], &s.vip) ||
	    !tb[SESSHA_A_SERVICE_PROTO] || !tb[SESSHA_A_SERVICE_PORT]) {
		st->err = fail_status(EXIT_FAILED,
				      "%s: a service without id, vip, proto or port",
				      st->who);
		return 0;
	}
	s.id = nla_get_u32(tb[SESSHA_A_SERVICE_ID]);
	s.proto = nla_get_u8(tb[SESSHA_A_SERVICE_PROTO]);
	s.port = nla_get_u16(tb[SESSHA_A_SERVICE_PORT]);
	if (tb[SESSHA_A_SERVICE_POLICY])
		s.policy = nla_get_u8(tb[SESSHA_A_SERVICE_POLICY]);
	if (s.proto >= ARRAY_SIZE(proto_names) || !proto_names[s.proto] ||
	    s.policy >= ARRAY_SIZE(policy_names)) {
		st->err = fail_status(EXIT_FAILED,
				      "%s: service %u: protocol %u or policy %u unknown to this sessha",
				      st->who, s.id, s.proto, s.policy);
		return 0;
	}
	if (!get_layout(tb, &s)) {
		st->err = fail_status(EXIT_FAILED,
				      "%s: service %u: no nodes, or nodes and backups that do not pair",
				      st->who, s.id);
		return 0;
	}
	cs = conf_add_service(st->conf, &s);
	if (!cs || read_backends(cs, tb[SESSHA_A_SERVICE_BACKENDS]))
		st->err = -1;
	return 0;
}

static int read_dump(uint8_t cmd, bool dump, reply_fn fn,
		     struct read_state *st, const char *ctx)
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

int conf_read(struct conf *c, const char *who)
{
	struct read_state st = { .conf = c, .who = who };
	int ret;

	memset(c, 0, sizeof(*c));
	ret = read_dump(SESSHA_CMD_SYNC_GET, false, read_keys, &st, "sync") ||
	      read_dump(SESSHA_CMD_CONFIG_GET, false, read_config, &st,
			"config") ||
	      read_dump(SESSHA_CMD_NODE_GET, true, read_node, &st, "nodes") ||
	      read_dump(SESSHA_CMD_SERVICE_GET, true, read_service, &st,
			"services") ? -1 : 0;
	if (ret)
		conf_free(c);
	return ret;
}
