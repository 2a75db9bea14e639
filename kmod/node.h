/* SPDX-License-Identifier: GPL-2.0 */
/* The node table (node.c): the model's hosts of the cluster. */
#ifndef _SESSHA_NODE_H
#define _SESSHA_NODE_H

#include "sessha.h"

struct sessha_node {
	u32			id;
	u8			family;
	bool			local;
	bool			up;
	union sessha_addr	addr;
};

/* Immutable snapshot: replaced as a whole under sn->lock. */
struct sessha_node_table {
	struct rcu_head		rcu;
	unsigned int		count;
	struct sessha_node	node[];
};

/* The current table, for a writer holding sn->lock. */
static inline struct sessha_node_table *
sessha_nodes_locked(struct sessha_net *sn)
{
	return rcu_dereference_protected(sn->nodes, lockdep_is_held(&sn->lock));
}

const struct sessha_node *sessha_node_find(const struct sessha_node_table *t,
					   u32 id);
const struct sessha_node *sessha_node_local(const struct sessha_node_table *t);
u32 sessha_node_local_id(const struct sessha_node_table *t);
int sessha_node_add(struct sessha_net *sn, const struct sessha_node *node,
		    struct netlink_ext_ack *extack);
int sessha_node_del(struct sessha_net *sn, u32 id,
		    struct netlink_ext_ack *extack);
int sessha_node_set_state(struct sessha_net *sn, u32 id, bool up,
			  struct netlink_ext_ack *extack);
void sessha_node_table_free(struct sessha_net *sn);

#endif /* _SESSHA_NODE_H */
