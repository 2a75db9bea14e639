// SPDX-License-Identifier: GPL-2.0
/*
 * The objects of a configuration as the command lines that add them, in
 * the words the commands' parsers read back (sessha-req.h): what save
 * prints and what apply plans are one text, so replaying either gives
 * the same requests.
 */
#include <arpa/inet.h>

#include "sessha-conf.h"

static const char *addr_text(const struct sessha_addr *a,
			     char buf[ADDR_STRLEN])
{
	return inet_ntop(a->family, a->bytes, buf, ADDR_STRLEN) ?: "?";
}

/* A batch word is quoted, without escapes: paths cannot hold a quote. */
void conf_print_key_add(FILE *f, uint32_t id, const char *path)
{
	fprintf(f, "sync key add id %u file \"%s\"\n", id, path);
}

void conf_print_node_add(FILE *f, const struct node_req *n)
{
	char buf[ADDR_STRLEN];

	fprintf(f, "node add id %u addr %s%s", n->id,
		addr_text(&n->addr, buf), n->local ? " local" : "");
	if (n->has_state)
		fprintf(f, " state %s", node_state_names[n->state]);
	fputc('\n', f);
}

/* " policy ring nodes 1,2,3", or " policy pairs 1:2,2:3,3:1". */
void conf_print_layout(FILE *f, const struct service_req *s)
{
	bool pairs = s->policy == SESSHA_POLICY_PAIRS;
	unsigned int i;

	fprintf(f, " policy %s%s", policy_names[s->policy],
		pairs ? " " : " nodes ");
	for (i = 0; i < s->nodes.n; i++) {
		fprintf(f, "%s%u", i ? "," : "", s->nodes.ids[i]);
		if (pairs)
			fprintf(f, ":%u", s->nodes.backups[i]);
	}
}

void conf_print_service_add(FILE *f, const struct service_req *s)
{
	char buf[ADDR_STRLEN];

	fprintf(f, "service add id %u vip %s proto %s port %u", s->id,
		addr_text(&s->vip, buf), proto_names[s->proto], s->port);
	conf_print_layout(f, s);
	fputc('\n', f);
}

void conf_print_backend_add(FILE *f, const struct backend_req *b)
{
	char buf[ADDR_STRLEN];

	fprintf(f, "backend add service %u id %u addr %s", b->service, b->id,
		addr_text(&b->addr, buf));
	/* 1 is add's default: said only when it is not */
	if (b->has_weight && b->weight != 1)
		fprintf(f, " weight %u", b->weight);
	fputc('\n', f);
}
