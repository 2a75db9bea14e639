// SPDX-License-Identifier: GPL-2.0
/*
 * The digest of the configuration that must be the same on every host
 * for replicas to be where forwarders and backups look for them: nodes
 * (id, address), services (id, VIP, protocol, port, policy, nodes, the
 * pairs' backups) and their backends (id, address). Not node states, the
 * local flag, weights or settings: those differ between hosts, or for a
 * while, by design. Each item is hashed on its own and the hashes are
 * summed, so the order in which a host installed them does not matter;
 * a ring's node list is a set, the pairs' list an order.
 */
#include <linux/siphash.h>

#include "confsum.h"
#include "node.h"
#include "service.h"

/* Not a secret: it only has to be the same everywhere. */
static const siphash_key_t sessha_confsum_key = {
	.key = { 0x7365737368612d63ULL, 0x6f6e6669672d7631ULL }
};

enum { CONFSUM_NODE = 1, CONFSUM_SERVICE, CONFSUM_MEMBER, CONFSUM_BACKEND };

/* One item, zeroed first: padding and unused address bytes hash as 0. */
struct sessha_confsum_item {
	u8	kind;
	u8	family;
	u8	proto;
	u8	policy;
	__be16	port;
	u16	service;
	u32	id;
	u32	slot;		/* a pairs member: its place in the list */
	u32	backup;		/* a pairs member: its backup */
	u8	addr[16];
};

static u64 sessha_confsum_item(struct sessha_confsum_item *it, u8 family,
			       const union sessha_addr *addr)
{
	it->family = family;
	if (addr)
		memcpy(it->addr, addr, sessha_addr_len(family));
	return siphash(it, sizeof(*it), &sessha_confsum_key);
}

static u64 sessha_confsum_members(const struct sessha_service *svc)
{
	struct sessha_confsum_item it;
	bool pairs = svc->policy == SESSHA_POLICY_PAIRS;
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < svc->nnodes; i++) {
		memset(&it, 0, sizeof(it));
		it.kind = CONFSUM_MEMBER;
		it.service = svc->id;
		it.id = svc->nodes[i];
		it.slot = pairs ? i : 0;
		it.backup = pairs ? svc->backups[i] : 0;
		sum += sessha_confsum_item(&it, 0, NULL);
	}
	return sum;
}

static u64 sessha_confsum_service(const struct sessha_service *svc)
{
	const struct sessha_backend_pool *pool = rcu_dereference(svc->pool);
	struct sessha_confsum_item it;
	unsigned int i;
	u64 sum;

	memset(&it, 0, sizeof(it));
	it.kind = CONFSUM_SERVICE;
	it.proto = svc->proto;
	it.policy = svc->policy;
	it.port = svc->port;
	it.service = svc->id;
	sum = sessha_confsum_item(&it, svc->family, &svc->vip);

	for (i = 0; pool && i < pool->count; i++) {
		memset(&it, 0, sizeof(it));
		it.kind = CONFSUM_BACKEND;
		it.service = svc->id;
		it.id = pool->backend[i].id;
		sum += sessha_confsum_item(&it, pool->backend[i].family,
					   &pool->backend[i].addr);
	}
	return sum + sessha_confsum_members(svc);
}

/* Process context; walks the node table and every service, under RCU. */
u64 sessha_confsum(struct sessha_net *sn)
{
	const struct sessha_node_table *nodes;
	struct sessha_confsum_item it;
	struct sessha_service *svc;
	unsigned int i;
	u64 sum = 0;

	rcu_read_lock();
	nodes = rcu_dereference(sn->nodes);
	for (i = 0; nodes && i < nodes->count; i++) {
		memset(&it, 0, sizeof(it));
		it.kind = CONFSUM_NODE;
		it.id = nodes->node[i].id;
		sum += sessha_confsum_item(&it, nodes->node[i].family,
					   &nodes->node[i].addr);
	}
	for (i = 0; i < SESSHA_SERVICE_BUCKETS; i++)
		hlist_for_each_entry_rcu(svc, &sn->svc_by_id[i], id_node)
			sum += sessha_confsum_service(svc);
	rcu_read_unlock();
	return sum;
}
