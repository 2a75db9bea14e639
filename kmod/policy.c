// SPDX-License-Identifier: GPL-2.0
/*
 * HA policies. Both kinds reduce to one idea: for each flow, an order of
 * preference over the service's nodes. The owner is the first node in that
 * order that is up, the backup the next one that is up. Forwarders and
 * servicing nodes evaluate the same pure function of (flow, configuration),
 * so a forwarder always knows where the replica of a flow lives.
 *
 * The hash key is a fixed constant on purpose: every host must agree on it.
 */
#include <linux/siphash.h>

#include "policy.h"

static const siphash_key_t sessha_policy_key = {
	.key = { 0x7365737368612d68ULL, 0x612d706f6c696379ULL }
};

/* Of values in a fixed byte order, so that every host computes the same. */
static u64 sessha_flow_hash(const struct sessha_key *key)
{
	const __be32 *a = key->client.in6.s6_addr32;

	return siphash_3u32(ntohl(a[0]) ^ ntohl(a[1]) ^ ntohl(a[2]) ^
			    ntohl(a[3]),
			    (u32)key->service << 16 | ntohs(key->cport),
			    key->family, &sessha_policy_key);
}

/* Rendezvous hashing: each node's score for this flow, highest first. */
static void sessha_order_ring(const struct sessha_service *svc, u64 flow,
			      u32 *order)
{
	u64 score[SESSHA_MAX_SERVICE_NODES];
	unsigned int i, j;

	for (i = 0; i < svc->nnodes; i++) {
		u64 s = siphash_2u64(flow, svc->nodes[i], &sessha_policy_key);

		for (j = i; j > 0 && score[j - 1] < s; j--) {
			score[j] = score[j - 1];
			order[j] = order[j - 1];
		}
		score[j] = s;
		order[j] = svc->nodes[i];
	}
}

static int sessha_pair_index(const struct sessha_service *svc, u32 node)
{
	unsigned int i;

	for (i = 0; i < svc->nnodes; i++)
		if (svc->nodes[i] == node)
			return i;
	return -1;
}

/*
 * Pairs: the hashed primary, then its mapped backup, then that node's
 * backup, and so on until the chain closes. Returns the chain's length.
 */
static unsigned int sessha_order_pairs(const struct sessha_service *svc,
				       u64 flow, u32 *order)
{
	unsigned int n = 0, k;
	int i = reciprocal_scale((u32)flow, svc->nnodes);

	while (i >= 0 && n < svc->nnodes) {
		for (k = 0; k < n; k++)
			if (order[k] == svc->nodes[i])
				return n;
		order[n++] = svc->nodes[i];
		i = sessha_pair_index(svc, svc->backups[i]);
	}
	return n;
}

/* The anti-entropy bucket of a flow: the same on every host. */
unsigned int sessha_flow_bucket(const struct sessha_key *key)
{
	return (u32)sessha_flow_hash(key) % SESSHA_WIRE_BUCKETS;
}

/* How to read the node table for one evaluation. */
struct sessha_policy_view {
	bool	skip_local;	/* pass over the local node */
	u32	also_up;	/* count this node as up, whatever its state */
	u32	also_down;	/* count this node as down */
};

static bool sessha_policy_counts(const struct sessha_node *node,
				 const struct sessha_policy_view *v)
{
	if (!node || node->id == v->also_down || (v->skip_local && node->local))
		return false;
	return node->up || node->id == v->also_up;
}

/*
 * The flow's owner and backup among the nodes that are up, as @v says.
 * With skip_local, a servicing node looks for the backup of a flow it
 * serves itself, whatever its own rank.
 */
static void sessha_policy_eval(const struct sessha_node_table *nodes,
			       const struct sessha_service *svc,
			       const struct sessha_key *key,
			       const struct sessha_policy_view *v,
			       const struct sessha_node **owner,
			       const struct sessha_node **backup)
{
	u32 order[SESSHA_MAX_SERVICE_NODES];
	u64 flow = sessha_flow_hash(key);
	unsigned int i, n = svc->nnodes;

	*owner = NULL;
	*backup = NULL;
	if (svc->policy == SESSHA_POLICY_PAIRS)
		n = sessha_order_pairs(svc, flow, order);
	else
		sessha_order_ring(svc, flow, order);

	for (i = 0; i < n; i++) {
		const struct sessha_node *node = sessha_node_find(nodes,
								  order[i]);

		if (!sessha_policy_counts(node, v))
			continue;
		if (!*owner && !v->skip_local) {
			*owner = node;
			continue;
		}
		*backup = node;
		return;
	}
}

void sessha_policy_pick(const struct sessha_node_table *nodes,
			const struct sessha_service *svc,
			const struct sessha_key *key, bool skip_local,
			const struct sessha_node **owner,
			const struct sessha_node **backup)
{
	struct sessha_policy_view v = { .skip_local = skip_local };

	sessha_policy_eval(nodes, svc, key, &v, owner, backup);
}

/* Would node @id own or back up this flow, were it up? */
bool sessha_policy_involves(const struct sessha_node_table *nodes,
			    const struct sessha_service *svc,
			    const struct sessha_key *key, u32 id)
{
	struct sessha_policy_view v = { .also_up = id };
	const struct sessha_node *owner, *backup;

	sessha_policy_eval(nodes, svc, key, &v, &owner, &backup);
	return (owner && owner->id == id) || (backup && backup->id == id);
}

/* The flow's owner were node @down down too; 0 if none is up. */
u32 sessha_policy_owner_without(const struct sessha_node_table *nodes,
				const struct sessha_service *svc,
				const struct sessha_key *key, u32 down)
{
	struct sessha_policy_view v = { .also_down = down };
	const struct sessha_node *owner, *backup;

	sessha_policy_eval(nodes, svc, key, &v, &owner, &backup);
	return owner ? owner->id : 0;
}

/* The node that should hold the replica of a flow served here. */
u32 sessha_policy_backup(const struct sessha_node_table *nodes,
			 const struct sessha_service *svc,
			 const struct sessha_key *key)
{
	const struct sessha_node *owner, *backup;

	sessha_policy_pick(nodes, svc, key, true, &owner, &backup);
	return backup ? backup->id : 0;
}
