// SPDX-License-Identifier: GPL-2.0
/*
 * The least that turns the running configuration into the file's, as
 * command lines, in an order each step of which the kernel takes:
 *
 *	1. keys the kernel lacks, then the use of the file's key
 *	2. config set, of the settings that differ
 *	3. nodes that are new
 *	4. services the file lacks, and those whose vip, proto or port
 *	   changed, deleted (a service is keyed by them: only del and add
 *	   change them, and that drops the service's sessions)
 *	5. services whose nodes or policy changed: service set, which
 *	   keeps their sessions
 *	6. services that are new, or replaced in 4, with their backends
 *	7. the backends of the other services: del, del and add for a new
 *	   address, set for a new weight, add
 *	8. nodes the file lacks, once no service names them; nodes whose
 *	   address (or local flag) changed, del and add
 *
 * Left alone: keys the file lacks (deleting the key a peer still signs
 * with would cut sync off; "sync key del" is the operator's call), and
 * the state of nodes that stay, which is the controller's to set.
 * Comments (# ...) say why a step costs something.
 */
#include <string.h>

#include "sessha-apply.h"

static void plan_keys(FILE *out, const struct conf *cur,
		      const struct conf *want)
{
	unsigned int i;

	for (i = 0; i < want->nkeys; i++)
		if (!conf_find_key(cur, want->keys[i].id))
			conf_print_key_add(out, want->keys[i].id,
					   want->keys[i].path);
	if (want->key_in_use && want->key_in_use != cur->key_in_use)
		fprintf(out, "sync key use id %u\n", want->key_in_use);
	for (i = 0; i < cur->nkeys; i++)
		if (!conf_find_key(want, cur->keys[i].id))
			fprintf(out, "# key %u is not in the file: left as it is\n",
				cur->keys[i].id);
}

static void plan_config(FILE *out, const struct conf *cur,
			const struct conf *want)
{
	unsigned int k, mask = 0;

	for (k = 0; k < CONFIG_KEYS; k++)
		if ((want->config.seen & BIT(k)) &&
		    (!(cur->config.seen & BIT(k)) ||
		     cur->config.val[k] != want->config.val[k]))
			mask |= BIT(k);
	if (!mask)
		return;
	fputs("config set", out);
	config_print_words(out, &want->config, mask);
	fputc('\n', out);
}

static bool node_moved(const struct node_req *a, const struct node_req *b)
{
	return !addr_equal(&a->addr, &b->addr) || a->local != b->local;
}

static void plan_new_nodes(FILE *out, const struct conf *cur,
			   const struct conf *want)
{
	unsigned int i;

	for (i = 0; i < want->nnodes; i++)
		if (!conf_find_node(cur, want->nodes[i].id))
			conf_print_node_add(out, &want->nodes[i]);
}

static void plan_old_nodes(FILE *out, const struct conf *cur,
			   const struct conf *want)
{
	const struct node_req *n, *w;
	unsigned int i;

	for (i = 0; i < cur->nnodes; i++) {
		n = &cur->nodes[i];
		w = conf_find_node(want, n->id);
		if (!w) {
			fprintf(out, "node del id %u\n", n->id);
		} else if (node_moved(n, w)) {
			fprintf(out, "# node %u: new address or local flag: del and add\n",
				n->id);
			fprintf(out, "node del id %u\n", n->id);
			conf_print_node_add(out, w);
		}
	}
}

static bool service_moved(const struct service_req *a,
			  const struct service_req *b)
{
	return !addr_equal(&a->vip, &b->vip) || a->proto != b->proto ||
	       a->port != b->port;
}

static bool layout_equal(const struct service_req *a,
			 const struct service_req *b)
{
	size_t len = a->nodes.n * sizeof(a->nodes.ids[0]);

	if (a->policy != b->policy || a->nodes.n != b->nodes.n ||
	    memcmp(a->nodes.ids, b->nodes.ids, len))
		return false;
	return a->policy != SESSHA_POLICY_PAIRS ||
	       !memcmp(a->nodes.backups, b->nodes.backups, len);
}

/* Step 4: services to delete, for good or to add again. */
static void plan_service_dels(FILE *out, const struct conf *cur,
			      const struct conf *want)
{
	const struct conf_service *w;
	unsigned int i;
	uint32_t id;

	for (i = 0; i < cur->nservices; i++) {
		id = cur->services[i].s.id;
		w = conf_find_service(want, id);
		if (w && !service_moved(&cur->services[i].s, &w->s))
			continue;
		if (w)
			fprintf(out, "# service %u: new vip, proto or port: del and add drops its sessions\n",
				id);
		fprintf(out, "service del id %u\n", id);
	}
}

/* Step 5: only the node list, when that is all that changed. */
static void plan_service_sets(FILE *out, const struct conf *cur,
			      const struct conf *want)
{
	const struct service_req *w, *c;
	const struct conf_service *cs;
	unsigned int i, j;

	for (i = 0; i < want->nservices; i++) {
		w = &want->services[i].s;
		cs = conf_find_service(cur, w->id);
		if (!cs || service_moved(&cs->s, w) || layout_equal(&cs->s, w))
			continue;
		c = &cs->s;
		fprintf(out, "service set id %u", w->id);
		if (c->policy == w->policy && w->policy == SESSHA_POLICY_RING) {
			fputs(" nodes ", out);
			for (j = 0; j < w->nodes.n; j++)
				fprintf(out, "%s%u", j ? "," : "",
					w->nodes.ids[j]);
		} else {
			conf_print_layout(out, w);
		}
		fputc('\n', out);
	}
}

/* Step 6: services that are not there (any more), with their backends. */
static void plan_service_adds(FILE *out, const struct conf *cur,
			      const struct conf *want)
{
	const struct conf_service *w, *cs;
	unsigned int i, j;

	for (i = 0; i < want->nservices; i++) {
		w = &want->services[i];
		cs = conf_find_service(cur, w->s.id);
		if (cs && !service_moved(&cs->s, &w->s))
			continue;
		conf_print_service_add(out, &w->s);
		for (j = 0; j < w->nbackends; j++)
			conf_print_backend_add(out, &w->backends[j]);
	}
}

static uint32_t weight_of(const struct backend_req *b)
{
	return b->has_weight ? b->weight : 1;	/* add's default */
}

static void plan_backends_of(FILE *out, const struct conf_service *cs,
			     const struct conf_service *w)
{
	const struct backend_req *b, *old;
	unsigned int i;

	for (i = 0; i < cs->nbackends; i++)
		if (!conf_find_backend(w, cs->backends[i].id))
			fprintf(out, "backend del service %u id %u\n",
				cs->s.id, cs->backends[i].id);
	for (i = 0; i < w->nbackends; i++) {
		b = &w->backends[i];
		old = conf_find_backend(cs, b->id);
		if (old && !addr_equal(&old->addr, &b->addr)) {
			fprintf(out, "backend del service %u id %u\n",
				b->service, b->id);
			old = NULL;
		}
		if (!old)
			conf_print_backend_add(out, b);
		else if (weight_of(old) != weight_of(b))
			fprintf(out, "backend set service %u id %u weight %u\n",
				b->service, b->id, weight_of(b));
	}
}

/* Step 7: the backends of services that stay. */
static void plan_backends(FILE *out, const struct conf *cur,
			  const struct conf *want)
{
	const struct conf_service *w, *cs;
	unsigned int i;

	for (i = 0; i < want->nservices; i++) {
		w = &want->services[i];
		cs = conf_find_service(cur, w->s.id);
		if (cs && !service_moved(&cs->s, &w->s))
			plan_backends_of(out, cs, w);
	}
}

void apply_plan(FILE *out, const struct conf *cur, const struct conf *want)
{
	plan_keys(out, cur, want);
	plan_config(out, cur, want);
	plan_new_nodes(out, cur, want);
	plan_service_dels(out, cur, want);
	plan_service_sets(out, cur, want);
	plan_service_adds(out, cur, want);
	plan_backends(out, cur, want);
	plan_old_nodes(out, cur, want);
}
