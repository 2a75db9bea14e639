// SPDX-License-Identifier: GPL-2.0
/*
 * Services (VIP, protocol, port) and their backend pools. A service is
 * found by VIP on the packet path and by id from netlink and sync records;
 * both hash chains are RCU lists written under sn->lock. A deleted
 * service's sessions are the caller's to flush (session.c is above us).
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "node.h"
#include "service.h"

static u32 sessha_vip_bucket(u8 family, const union sessha_addr *vip,
			     __be16 port, u8 proto)
{
	u32 h = jhash(vip, sessha_addr_len(family),
		      ((u32)proto << 16) | (__force u16)port);

	return h % SESSHA_SERVICE_BUCKETS;
}

struct sessha_service *sessha_service_find_vip(struct sessha_net *sn,
					       u8 family,
					       const union sessha_addr *vip,
					       __be16 port, u8 proto)
{
	u32 b = sessha_vip_bucket(family, vip, port, proto);
	struct sessha_service *svc;

	hlist_for_each_entry_rcu(svc, &sn->svc_by_vip[b], vip_node,
				 lockdep_is_held(&sn->lock))
		if (svc->port == port && svc->proto == proto &&
		    svc->family == family &&
		    sessha_addr_equal(family, &svc->vip, vip))
			return svc;
	return NULL;
}

struct sessha_service *sessha_service_find(struct sessha_net *sn, u16 id)
{
	struct sessha_service *svc;

	hlist_for_each_entry_rcu(svc, &sn->svc_by_id[id % SESSHA_SERVICE_BUCKETS],
				 id_node, lockdep_is_held(&sn->lock))
		if (svc->id == id)
			return svc;
	return NULL;
}

/* Every node a service names, and every backup, must be a known node. */
static int sessha_service_check_nodes(struct sessha_net *sn,
				      const struct sessha_service *svc,
				      struct netlink_ext_ack *extack)
{
	const struct sessha_node_table *t;
	unsigned int i, j;

	t = sessha_nodes_locked(sn);
	for (i = 0; i < svc->nnodes; i++) {
		if (!sessha_node_find(t, svc->nodes[i])) {
			NL_SET_ERR_MSG(extack, "service names an unknown node");
			return -ENOENT;
		}
		for (j = 0; j < i; j++) {
			if (svc->nodes[j] == svc->nodes[i]) {
				NL_SET_ERR_MSG(extack, "service lists a node twice");
				return -EINVAL;
			}
		}
		if (svc->policy != SESSHA_POLICY_PAIRS)
			continue;
		if (!sessha_service_lists(svc, svc->backups[i]) ||
		    svc->backups[i] == svc->nodes[i]) {
			NL_SET_ERR_MSG(extack,
				       "a backup must be another servicing node");
			return -EINVAL;
		}
	}
	return 0;
}

int sessha_service_add(struct sessha_net *sn, struct sessha_service *svc,
		       struct netlink_ext_ack *extack)
{
	u32 b;
	int err;

	lockdep_assert_held(&sn->lock);
	if (sessha_service_find(sn, svc->id)) {
		NL_SET_ERR_MSG(extack, "service id already exists");
		return -EEXIST;
	}
	if (sessha_service_find_vip(sn, svc->family, &svc->vip, svc->port,
				    svc->proto)) {
		NL_SET_ERR_MSG(extack, "a service with this VIP, protocol and port exists");
		return -EEXIST;
	}
	err = sessha_service_check_nodes(sn, svc, extack);
	if (err)
		return err;

	b = sessha_vip_bucket(svc->family, &svc->vip, svc->port, svc->proto);
	hlist_add_head_rcu(&svc->vip_node, &sn->svc_by_vip[b]);
	hlist_add_head_rcu(&svc->id_node,
			   &sn->svc_by_id[svc->id % SESSHA_SERVICE_BUCKETS]);
	WRITE_ONCE(sn->nservices, sn->nservices + 1);
	return 0;
}

static struct sessha_service *sessha_service_get(struct sessha_net *sn,
						 u16 id,
						 struct netlink_ext_ack *extack)
{
	struct sessha_service *svc = sessha_service_find(sn, id);

	if (!svc)
		NL_SET_ERR_MSG(extack, "no such service");
	return svc;
}

/* A copy of service @id to change and put in its place, or an ERR_PTR. */
struct sessha_service *sessha_service_copy(struct sessha_net *sn, u16 id,
					   struct netlink_ext_ack *extack)
{
	struct sessha_service *svc;

	lockdep_assert_held(&sn->lock);
	svc = sessha_service_get(sn, id, extack);
	if (!svc)
		return ERR_PTR(-ENOENT);
	svc = kmemdup(svc, sizeof(*svc), GFP_KERNEL);
	return svc ?: ERR_PTR(-ENOMEM);
}

/* Does @svc name node @id? */
bool sessha_service_lists(const struct sessha_service *svc, u32 id)
{
	unsigned int i;

	for (i = 0; i < svc->nnodes; i++)
		if (svc->nodes[i] == id)
			return true;
	return false;
}

/*
 * A node that joins a live service comes in down: were it up, the flows
 * it is to own would go to it before it holds them.
 */
static int sessha_service_check_joiners(struct sessha_net *sn,
					const struct sessha_service *old,
					const struct sessha_service *svc,
					struct netlink_ext_ack *extack)
{
	const struct sessha_node_table *t = sessha_nodes_locked(sn);
	const struct sessha_node *node;
	unsigned int i;

	for (i = 0; i < svc->nnodes; i++) {
		if (sessha_service_lists(old, svc->nodes[i]))
			continue;
		node = sessha_node_find(t, svc->nodes[i]);
		if (node && node->up && !node->local) {
			NL_SET_ERR_MSG(extack,
				       "a node joins a live service marked down");
			return -EBUSY;
		}
	}
	return 0;
}

/*
 * Puts @svc, a changed copy from sessha_service_copy(), in the place of
 * the service of its id. The pool goes with it: a reader still on the
 * old copy uses the same one.
 */
int sessha_service_replace(struct sessha_net *sn, struct sessha_service *svc,
			   struct netlink_ext_ack *extack)
{
	struct sessha_service *old = sessha_service_get(sn, svc->id, extack);
	int err;

	lockdep_assert_held(&sn->lock);
	if (!old)
		return -ENOENT;
	err = sessha_service_check_nodes(sn, svc, extack) ?:
	      sessha_service_check_joiners(sn, old, svc, extack);
	if (err)
		return err;
	hlist_replace_rcu(&old->vip_node, &svc->vip_node);
	hlist_replace_rcu(&old->id_node, &svc->id_node);
	kfree_rcu(old, rcu);
	return 0;
}

static void sessha_service_free_rcu(struct rcu_head *head)
{
	struct sessha_service *svc = container_of(head, struct sessha_service,
						  rcu);

	/* A grace period after the unlink: nobody else sees @svc. */
	kfree(rcu_access_pointer(svc->pool));
	kfree(svc);
}

static void sessha_service_unlink(struct sessha_net *sn,
				  struct sessha_service *svc)
{
	hlist_del_rcu(&svc->vip_node);
	hlist_del_rcu(&svc->id_node);
	WRITE_ONCE(sn->nservices, sn->nservices - 1);
	call_rcu(&svc->rcu, sessha_service_free_rcu);
}

int sessha_service_del(struct sessha_net *sn, u16 id,
		       struct netlink_ext_ack *extack)
{
	struct sessha_service *svc;

	lockdep_assert_held(&sn->lock);
	svc = sessha_service_find(sn, id);
	if (!svc) {
		NL_SET_ERR_MSG(extack, "no such service");
		return -ENOENT;
	}
	sessha_service_unlink(sn, svc);
	return 0;
}

void sessha_service_flush_all(struct sessha_net *sn)
{
	struct sessha_service *svc;
	struct hlist_node *tmp;
	unsigned int b;

	lockdep_assert_held(&sn->lock);
	for (b = 0; b < SESSHA_SERVICE_BUCKETS; b++)
		hlist_for_each_entry_safe(svc, tmp, &sn->svc_by_id[b], id_node)
			sessha_service_unlink(sn, svc);
}

const struct sessha_backend *
sessha_backend_find(const struct sessha_backend_pool *pool, u16 id)
{
	unsigned int i;

	for (i = 0; pool && i < pool->count; i++)
		if (pool->backend[i].id == id)
			return &pool->backend[i];
	return NULL;
}

/*
 * Weighted round robin: a node without the session would pick another
 * backend. NULL when every backend has weight 0.
 */
const struct sessha_backend *sessha_backend_pick(struct sessha_service *svc)
{
	const struct sessha_backend_pool *pool = rcu_dereference(svc->pool);
	unsigned int n;

	if (!pool || !pool->nsched)
		return NULL;
	n = (unsigned int)atomic_inc_return(&svc->rr_next);
	return &pool->backend[pool->sched[n % pool->nsched]];
}

/* Turns of one round at most, for weights up to 65535 each. */
#define SESSHA_SCHED_MAX	1024

/*
 * Each backend's turns in a round, in @share: its weight, scaled down
 * when the round would be longer than SESSHA_SCHED_MAX, but never to 0
 * for a weight that is not. Returns the round's length.
 */
static unsigned int sessha_pool_shares(const struct sessha_backend *be,
				       unsigned int count, u32 *share)
{
	unsigned int i, total = 0, turns = 0;

	for (i = 0; i < count; i++)
		total += be[i].weight;
	for (i = 0; i < count; i++) {
		share[i] = be[i].weight;
		if (total > SESSHA_SCHED_MAX && share[i])
			share[i] = max(1U, share[i] * SESSHA_SCHED_MAX / total);
		turns += share[i];
	}
	return turns;
}

/*
 * Smooth weighted round robin: each turn goes to the backend furthest
 * behind its share, so that a heavy backend's turns are spread over the
 * round instead of coming in a row.
 */
static void sessha_pool_schedule(struct sessha_backend_pool *pool,
				 const u32 *share, s32 *behind)
{
	unsigned int t, i, best;

	for (t = 0; t < pool->nsched; t++) {
		best = 0;
		for (i = 0; i < pool->count; i++) {
			behind[i] += share[i];
			if (behind[i] > behind[best])
				best = i;
		}
		behind[best] -= pool->nsched;
		pool->sched[t] = best;
	}
}

/* A pool of the @count backends at @be, with its schedule; or NULL. */
static struct sessha_backend_pool *
sessha_pool_build(const struct sessha_backend *be, unsigned int count)
{
	struct sessha_backend_pool *pool = NULL;
	unsigned int nsched;
	u32 *share;

	share = kcalloc(2 * count + 1, sizeof(*share), GFP_KERNEL);
	if (!share)
		return NULL;
	nsched = sessha_pool_shares(be, count, share);
	pool = kzalloc(struct_size(pool, backend, count) + nsched, GFP_KERNEL);
	if (pool) {
		pool->count = count;
		memcpy(pool->backend, be, count * sizeof(*be));
		pool->nsched = nsched;
		pool->sched = (u8 *)&pool->backend[count];
		sessha_pool_schedule(pool, share, (s32 *)&share[count]);
	}
	kfree(share);
	return pool;
}

/*
 * Replace @svc's pool by a copy without @drop_id and with @put, if
 * given, in the place of the backend of its id or at the end.
 */
static int sessha_pool_replace(struct sessha_net *sn,
			       struct sessha_service *svc, u16 drop_id,
			       const struct sessha_backend *put)
{
	struct sessha_backend_pool *old, *pool;
	struct sessha_backend *list;
	unsigned int i, count, n = 0;
	bool placed = false;

	old = rcu_dereference_protected(svc->pool, lockdep_is_held(&sn->lock));
	count = old ? old->count : 0;
	list = kmalloc_array(count + 1, sizeof(*list), GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		if (old->backend[i].id == drop_id)
			continue;
		if (put && old->backend[i].id == put->id) {
			list[n++] = *put;
			placed = true;
		} else {
			list[n++] = old->backend[i];
		}
	}
	if (put && !placed)
		list[n++] = *put;
	pool = sessha_pool_build(list, n);
	kfree(list);
	if (!pool)
		return -ENOMEM;
	rcu_assign_pointer(svc->pool, pool);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

int sessha_backend_add(struct sessha_net *sn, u16 service,
		       const struct sessha_backend *be,
		       struct netlink_ext_ack *extack)
{
	const struct sessha_backend_pool *pool;
	struct sessha_service *svc;

	lockdep_assert_held(&sn->lock);
	svc = sessha_service_get(sn, service, extack);
	if (!svc)
		return -ENOENT;
	pool = rcu_dereference_protected(svc->pool, lockdep_is_held(&sn->lock));
	if (sessha_backend_find(pool, be->id)) {
		NL_SET_ERR_MSG(extack, "backend id already exists in this service");
		return -EEXIST;
	}
	if (pool && pool->count >= SESSHA_MAX_BACKENDS) {
		NL_SET_ERR_MSG(extack, "too many backends");
		return -ENOSPC;
	}
	return sessha_pool_replace(sn, svc, 0, be);
}

int sessha_backend_del(struct sessha_net *sn, u16 service, u16 id,
		       struct netlink_ext_ack *extack)
{
	const struct sessha_backend_pool *pool;
	struct sessha_service *svc;

	lockdep_assert_held(&sn->lock);
	svc = sessha_service_get(sn, service, extack);
	if (!svc)
		return -ENOENT;
	pool = rcu_dereference_protected(svc->pool, lockdep_is_held(&sn->lock));
	if (!sessha_backend_find(pool, id)) {
		NL_SET_ERR_MSG(extack, "no such backend");
		return -ENOENT;
	}
	return sessha_pool_replace(sn, svc, id, NULL);
}

int sessha_backend_set_weight(struct sessha_net *sn, u16 service, u16 id,
			      u16 weight, struct netlink_ext_ack *extack)
{
	const struct sessha_backend_pool *pool;
	const struct sessha_backend *old;
	struct sessha_service *svc;
	struct sessha_backend be;

	lockdep_assert_held(&sn->lock);
	svc = sessha_service_get(sn, service, extack);
	if (!svc)
		return -ENOENT;
	pool = rcu_dereference_protected(svc->pool, lockdep_is_held(&sn->lock));
	old = sessha_backend_find(pool, id);
	if (!old) {
		NL_SET_ERR_MSG(extack, "no such backend");
		return -ENOENT;
	}
	be = *old;
	be.weight = weight;
	return sessha_pool_replace(sn, svc, 0, &be);
}
