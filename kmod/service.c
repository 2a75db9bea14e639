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
		for (j = 0; j < svc->nnodes; j++)
			if (svc->backups[i] == svc->nodes[j])
				break;
		if (j == svc->nnodes || svc->backups[i] == svc->nodes[i]) {
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

/* Round robin: a node without the session would pick another backend. */
const struct sessha_backend *sessha_backend_pick(struct sessha_service *svc)
{
	const struct sessha_backend_pool *pool = rcu_dereference(svc->pool);
	unsigned int n;

	if (!pool || !pool->count)
		return NULL;
	n = (unsigned int)atomic_inc_return(&svc->rr_next);
	return &pool->backend[n % pool->count];
}

/* Replace @svc's pool by a copy without @drop_id and with @add, if given. */
static int sessha_pool_replace(struct sessha_net *sn,
			       struct sessha_service *svc, u16 drop_id,
			       const struct sessha_backend *add)
{
	struct sessha_backend_pool *old, *pool;
	unsigned int i, count;

	old = rcu_dereference_protected(svc->pool, lockdep_is_held(&sn->lock));
	count = old ? old->count : 0;
	pool = kzalloc(struct_size(pool, backend, count + 1), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	for (i = 0; i < count; i++)
		if (old->backend[i].id != drop_id)
			pool->backend[pool->count++] = old->backend[i];
	if (add)
		pool->backend[pool->count++] = *add;
	rcu_assign_pointer(svc->pool, pool);
	if (old)
		kfree_rcu(old, rcu);
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
