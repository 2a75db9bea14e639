// SPDX-License-Identifier: GPL-2.0
/*
 * The node table: every host of the cluster, its address and whether the
 * controller considers it up. Readers take an RCU snapshot; writers build
 * a new table under sn->lock and publish it whole. What a change means for
 * the sync socket, joins and roles is the caller's business (netlink.c).
 */
#include <linux/slab.h>
#include <net/netlink.h>

#include "node.h"

const struct sessha_node *sessha_node_find(const struct sessha_node_table *t,
					   u32 id)
{
	unsigned int i;

	for (i = 0; t && i < t->count; i++)
		if (t->node[i].id == id)
			return &t->node[i];
	return NULL;
}

const struct sessha_node *sessha_node_local(const struct sessha_node_table *t)
{
	unsigned int i;

	for (i = 0; t && i < t->count; i++)
		if (t->node[i].local)
			return &t->node[i];
	return NULL;
}

/* The local node's id, 0 if this namespace has none. */
u32 sessha_node_local_id(const struct sessha_node_table *t)
{
	const struct sessha_node *local = sessha_node_local(t);

	return local ? local->id : 0;
}

/* A copy of the current table with room for @extra more nodes. */
static struct sessha_node_table *sessha_nodes_copy(struct sessha_net *sn,
						   unsigned int extra)
{
	struct sessha_node_table *old = sessha_nodes_locked(sn);
	unsigned int count = old ? old->count : 0;
	struct sessha_node_table *t;

	t = kzalloc(struct_size(t, node, count + extra), GFP_KERNEL);
	if (!t)
		return NULL;
	t->count = count;
	if (count)
		memcpy(t->node, old->node, count * sizeof(t->node[0]));
	return t;
}

static void sessha_nodes_publish(struct sessha_net *sn,
				 struct sessha_node_table *t)
{
	struct sessha_node_table *old = sessha_nodes_locked(sn);

	rcu_assign_pointer(sn->nodes, t);
	if (old)
		kfree_rcu(old, rcu);
}

static int sessha_node_check_new(struct sessha_node_table *t,
				 const struct sessha_node *node,
				 struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (t && t->count >= SESSHA_MAX_NODES) {
		NL_SET_ERR_MSG(extack, "too many nodes");
		return -ENOSPC;
	}
	for (i = 0; t && i < t->count; i++) {
		const struct sessha_node *n = &t->node[i];

		if (n->id == node->id) {
			NL_SET_ERR_MSG(extack, "node id already exists");
			return -EEXIST;
		}
		if (n->family == node->family &&
		    sessha_addr_equal(n->family, &n->addr, &node->addr)) {
			NL_SET_ERR_MSG(extack, "node address already in use");
			return -EEXIST;
		}
		if (n->local && node->local) {
			NL_SET_ERR_MSG(extack, "a local node already exists");
			return -EEXIST;
		}
	}
	return 0;
}

int sessha_node_add(struct sessha_net *sn, const struct sessha_node *node,
		    struct netlink_ext_ack *extack)
{
	struct sessha_node_table *t;
	int err;

	lockdep_assert_held(&sn->lock);
	err = sessha_node_check_new(sessha_nodes_locked(sn), node, extack);
	if (err)
		return err;
	t = sessha_nodes_copy(sn, 1);
	if (!t)
		return -ENOMEM;
	t->node[t->count++] = *node;
	sessha_nodes_publish(sn, t);
	return 0;
}

/* A copy of the current table to change node @id in, which must exist. */
static struct sessha_node_table *
sessha_nodes_copy_for(struct sessha_net *sn, u32 id,
		      struct netlink_ext_ack *extack)
{
	struct sessha_node_table *t;

	lockdep_assert_held(&sn->lock);
	if (!sessha_node_find(sessha_nodes_locked(sn), id)) {
		NL_SET_ERR_MSG(extack, "no such node");
		return ERR_PTR(-ENOENT);
	}
	t = sessha_nodes_copy(sn, 0);
	return t ?: ERR_PTR(-ENOMEM);
}

int sessha_node_del(struct sessha_net *sn, u32 id,
		    struct netlink_ext_ack *extack)
{
	struct sessha_node_table *t;
	unsigned int i, j;

	t = sessha_nodes_copy_for(sn, id, extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	for (i = 0, j = 0; i < t->count; i++)
		if (t->node[i].id != id)
			t->node[j++] = t->node[i];
	t->count = j;
	sessha_nodes_publish(sn, t);
	return 0;
}

/* 1 if node @id changed state, 0 if it already was @up or down. */
int sessha_node_set_state(struct sessha_net *sn, u32 id, bool up,
			  struct netlink_ext_ack *extack)
{
	struct sessha_node_table *t;
	struct sessha_node *node;

	t = sessha_nodes_copy_for(sn, id, extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	node = (struct sessha_node *)sessha_node_find(t, id);
	if (node->up == up) {
		kfree(t);
		return 0;
	}
	node->up = up;
	sessha_nodes_publish(sn, t);
	return 1;
}

void sessha_node_table_free(struct sessha_net *sn)
{
	kfree(sessha_nodes_locked(sn));
	RCU_INIT_POINTER(sn->nodes, NULL);
}
