/* SPDX-License-Identifier: GPL-2.0 */
/* Services and their backend pools (service.c). */
#ifndef _SESSHA_SERVICE_H
#define _SESSHA_SERVICE_H

#include "sessha.h"

struct sessha_backend {
	u16			id;
	u16			weight;		/* 0: no new flows */
	u8			family;		/* of @addr: the outer header */
	union sessha_addr	addr;
};

#define SESSHA_BACKEND_WEIGHT_DEFAULT	1

/*
 * Immutable snapshot, like the node table. New flows take the backends
 * in the order of @sched, a weighted round robin written once per change
 * of the pool, so that the packet path picks with one atomic increment.
 */
struct sessha_backend_pool {
	struct rcu_head		rcu;
	unsigned int		count;
	unsigned int		nsched;		/* turns in @sched */
	u8			*sched;		/* indexes into @backend */
	struct sessha_backend	backend[];
};

struct sessha_service {
	struct hlist_node	vip_node;	/* sn->svc_by_vip */
	struct hlist_node	id_node;	/* sn->svc_by_id */
	struct rcu_head		rcu;
	u16			id;
	u8			family;
	u8			proto;
	u8			policy;
	__be16			port;
	union sessha_addr	vip;
	struct sessha_backend_pool __rcu *pool;
	atomic_t		rr_next;	/* round-robin cursor */
	unsigned int		nnodes;
	u32			nodes[SESSHA_MAX_SERVICE_NODES];
	u32			backups[SESSHA_MAX_SERVICE_NODES];
};

struct sessha_service *sessha_service_find_vip(struct sessha_net *sn,
					       u8 family,
					       const union sessha_addr *vip,
					       __be16 port, u8 proto);
struct sessha_service *sessha_service_find(struct sessha_net *sn, u16 id);
int sessha_service_add(struct sessha_net *sn, struct sessha_service *svc,
		       struct netlink_ext_ack *extack);
struct sessha_service *sessha_service_copy(struct sessha_net *sn, u16 id,
					   struct netlink_ext_ack *extack);
int sessha_service_replace(struct sessha_net *sn, struct sessha_service *svc,
			   struct netlink_ext_ack *extack);
bool sessha_service_lists(const struct sessha_service *svc, u32 id);
int sessha_service_del(struct sessha_net *sn, u16 id,
		       struct netlink_ext_ack *extack);
void sessha_service_flush_all(struct sessha_net *sn);
int sessha_backend_add(struct sessha_net *sn, u16 service,
		       const struct sessha_backend *be,
		       struct netlink_ext_ack *extack);
int sessha_backend_del(struct sessha_net *sn, u16 service, u16 id,
		       struct netlink_ext_ack *extack);
int sessha_backend_set_weight(struct sessha_net *sn, u16 service, u16 id,
			      u16 weight, struct netlink_ext_ack *extack);
const struct sessha_backend *
sessha_backend_find(const struct sessha_backend_pool *pool, u16 id);
const struct sessha_backend *sessha_backend_pick(struct sessha_service *svc);

#endif /* _SESSHA_SERVICE_H */
