// SPDX-License-Identifier: GPL-2.0
/*
 * A configuration in memory (sessha-conf.h). Objects keep the order they
 * were added in, the kernel's dump order or the file's, so that what is
 * printed from one follows it; lookups are linear, which is plenty for
 * the few hundred objects a gateway holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sessha-conf.h"

void conf_free(struct conf *c)
{
	unsigned int i;

	for (i = 0; i < c->nkeys; i++)
		free(c->keys[i].path);
	for (i = 0; i < c->nservices; i++)
		free(c->services[i].backends);
	free(c->services);
	free(c->nodes);
	memset(c, 0, sizeof(*c));
}

/* Room for one more of @size bytes after @n in @*array, doubling it. */
static void *grow(void *array, unsigned int n, size_t size)
{
	void *p;

	/* full at 0, 1, 2, 4, 8, ... */
	if (n && (n & (n - 1)))
		return array;
	p = realloc(array, (n ? 2 * n : 1) * size);
	if (!p)
		fail_status(EXIT_FAILED, "%s", strerror(ENOMEM));
	return p;
}

int conf_add_key(struct conf *c, uint32_t id, const char *path)
{
	struct conf_key *k;

	if (c->nkeys == ARRAY_SIZE(c->keys))
		return fail_status(EXIT_FAILED, "more than %d keys",
				   KEY_ID_MAX);
	k = &c->keys[c->nkeys];
	k->id = id;
	k->path = NULL;
	if (path && !(k->path = strdup(path)))
		return fail_status(EXIT_FAILED, "%s", strerror(ENOMEM));
	c->nkeys++;
	return 0;
}

int conf_add_node(struct conf *c, const struct node_req *n)
{
	struct node_req *p = grow(c->nodes, c->nnodes, sizeof(*p));

	if (!p)
		return -1;
	c->nodes = p;
	c->nodes[c->nnodes++] = *n;
	return 0;
}

struct conf_service *conf_add_service(struct conf *c,
				      const struct service_req *s)
{
	struct conf_service *p = grow(c->services, c->nservices, sizeof(*p));

	if (!p)
		return NULL;
	c->services = p;
	p = &c->services[c->nservices++];
	p->s = *s;
	p->nbackends = 0;
	p->backends = NULL;
	return p;
}

int conf_add_backend(struct conf_service *cs, const struct backend_req *b)
{
	struct backend_req *p = grow(cs->backends, cs->nbackends, sizeof(*p));

	if (!p)
		return -1;
	cs->backends = p;
	cs->backends[cs->nbackends++] = *b;
	return 0;
}

struct conf_key *conf_find_key(const struct conf *c, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < c->nkeys; i++)
		if (c->keys[i].id == id)
			return (struct conf_key *)&c->keys[i];
	return NULL;
}

struct node_req *conf_find_node(const struct conf *c, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < c->nnodes; i++)
		if (c->nodes[i].id == id)
			return &c->nodes[i];
	return NULL;
}

struct conf_service *conf_find_service(const struct conf *c, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < c->nservices; i++)
		if (c->services[i].s.id == id)
			return &c->services[i];
	return NULL;
}

struct backend_req *conf_find_backend(const struct conf_service *cs,
				      uint32_t id)
{
	unsigned int i;

	for (i = 0; i < cs->nbackends; i++)
		if (cs->backends[i].id == id)
			return &cs->backends[i];
	return NULL;
}

bool addr_equal(const struct sessha_addr *a, const struct sessha_addr *b)
{
	return a->len == b->len && !memcmp(a->bytes, b->bytes, a->len);
}
