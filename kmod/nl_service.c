// SPDX-License-Identifier: GPL-2.0
/* Generic netlink: services and their backends. */
#include <linux/slab.h>

#include "netlink.h"
#include "node.h"
#include "repair.h"
#include "roles.h"
#include "service.h"
#include "session.h"

/* Reads a nest of repeated SESSHA_A_NODE_ID into @ids; returns the count. */
static int sessha_nla_get_node_list(const struct nlattr *nest, u32 *ids,
				    struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	int rem, n = 0;

	nla_for_each_nested(nla, nest, rem) {
		if (n == SESSHA_MAX_SERVICE_NODES) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "too many nodes");
			return -E2BIG;
		}
		ids[n++] = nla_get_u32(nla);
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "empty node list");
		return -EINVAL;
	}
	return n;
}

/* The backups of the pairs policy, one per node of @svc; none else. */
static int sessha_service_parse_backups(struct sessha_service *svc,
					struct genl_info *info)
{
	struct nlattr *backups = info->attrs[SESSHA_A_SERVICE_BACKUPS];
	int n;

	if (svc->policy != SESSHA_POLICY_PAIRS) {
		if (backups) {
			NL_SET_ERR_MSG_ATTR(info->extack, backups,
					    "backups go with the pairs policy only");
			return -EINVAL;
		}
		memset(svc->backups, 0, sizeof(svc->backups));
		return 0;
	}
	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_BACKUPS))
		return -EINVAL;
	n = sessha_nla_get_node_list(backups, svc->backups, info->extack);
	if (n < 0)
		return n;
	if (n != svc->nnodes) {
		NL_SET_ERR_MSG_ATTR(info->extack, backups,
				    "need exactly one backup per node");
		return -EINVAL;
	}
	return 0;
}

static int sessha_service_parse_nodes(struct sessha_service *svc,
				      struct genl_info *info)
{
	int n;

	n = sessha_nla_get_node_list(info->attrs[SESSHA_A_SERVICE_NODES],
				     svc->nodes, info->extack);
	if (n < 0)
		return n;
	svc->nnodes = n;
	return sessha_service_parse_backups(svc, info);
}

static int sessha_service_parse(struct sessha_service *svc,
				struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_VIP) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_PROTO) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_PORT) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_NODES))
		return -EINVAL;
	svc->id = nla_get_u32(a[SESSHA_A_SERVICE_ID]);
	svc->proto = nla_get_u8(a[SESSHA_A_SERVICE_PROTO]);
	if (svc->proto != IPPROTO_TCP && svc->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[SESSHA_A_SERVICE_PROTO],
				    "protocol must be TCP or UDP");
		return -EPROTONOSUPPORT;
	}
	svc->port = htons(nla_get_u16(a[SESSHA_A_SERVICE_PORT]));
	if (a[SESSHA_A_SERVICE_POLICY])
		svc->policy = nla_get_u8(a[SESSHA_A_SERVICE_POLICY]);
	err = sessha_nla_get_addr(a[SESSHA_A_SERVICE_VIP], &svc->family,
				  &svc->vip, info->extack);
	if (err)
		return err;
	return sessha_service_parse_nodes(svc, info);
}

int sessha_nl_service_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct sessha_service *svc;
	int err;

	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc)
		return -ENOMEM;
	err = sessha_service_parse(svc, info);
	if (err)
		goto out_free;
	mutex_lock(&sn->lock);
	err = sessha_service_add(sn, svc, info->extack);
	if (!err)
		sessha_repair_join(sn, 0);
	mutex_unlock(&sn->lock);
	if (!err)
		return 0;
out_free:
	kfree(svc);
	return err;
}

/* What service-set changes in @svc: policy, nodes, backups. */
static int sessha_service_parse_layout(struct sessha_service *svc,
				       struct genl_info *info)
{
	struct nlattr **a = info->attrs;

	if (!a[SESSHA_A_SERVICE_POLICY] && !a[SESSHA_A_SERVICE_NODES] &&
	    !a[SESSHA_A_SERVICE_BACKUPS]) {
		NL_SET_ERR_MSG(info->extack,
			       "give a policy, nodes or backups to change");
		return -EINVAL;
	}
	if (a[SESSHA_A_SERVICE_POLICY])
		svc->policy = nla_get_u8(a[SESSHA_A_SERVICE_POLICY]);
	if (a[SESSHA_A_SERVICE_NODES])
		return sessha_service_parse_nodes(svc, info);
	return sessha_service_parse_backups(svc, info);
}

/*
 * A live service's new order: every flow's roles follow it, as they
 * follow a node's state; if it names this node for the first time, this
 * node asks its peers for what it is to hold, as at its start.
 */
int sessha_nl_service_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct sessha_service *svc;
	bool joins;
	u32 local;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_ID))
		return -EINVAL;
	mutex_lock(&sn->lock);
	svc = sessha_service_copy(sn, nla_get_u32(info->attrs[SESSHA_A_SERVICE_ID]),
				  info->extack);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	local = sessha_node_local_id(sessha_nodes_locked(sn));
	joins = local && !sessha_service_lists(svc, local);
	err = sessha_service_parse_layout(svc, info) ?:
	      sessha_service_replace(sn, svc, info->extack);
	if (err) {
		kfree(svc);
		goto out;
	}
	if (joins && sessha_service_lists(svc, local))
		sessha_repair_join(sn, 0);
	sessha_roles_kick(sn);
out:
	mutex_unlock(&sn->lock);
	return err;
}

int sessha_nl_service_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	u16 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_ID))
		return -EINVAL;
	id = nla_get_u32(info->attrs[SESSHA_A_SERVICE_ID]);
	mutex_lock(&sn->lock);
	err = sessha_service_del(sn, id, info->extack);
	if (!err)
		sessha_sessions_flush_service(sn, id);	/* they go with it */
	mutex_unlock(&sn->lock);
	return err;
}

static int sessha_nla_put_node_list(struct sk_buff *skb, int type,
				    const u32 *ids, unsigned int n)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u32(skb, SESSHA_A_NODE_ID, ids[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int sessha_nla_put_backends(struct sk_buff *skb,
				   const struct sessha_service *svc)
{
	const struct sessha_backend_pool *pool = rcu_dereference(svc->pool);
	struct nlattr *nest, *be;
	unsigned int i;

	nest = nla_nest_start(skb, SESSHA_A_SERVICE_BACKENDS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; pool && i < pool->count; i++) {
		be = nla_nest_start(skb, SESSHA_A_BACKEND);
		if (!be ||
		    nla_put_u32(skb, SESSHA_A_BACKEND_ID, pool->backend[i].id) ||
		    sessha_nla_put_addr(skb, SESSHA_A_BACKEND_ADDR,
					pool->backend[i].family,
					&pool->backend[i].addr) ||
		    nla_put_u32(skb, SESSHA_A_BACKEND_WEIGHT,
				pool->backend[i].weight))
			return -EMSGSIZE;
		nla_nest_end(skb, be);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int sessha_nl_service_fill(struct sk_buff *skb,
				  const struct sessha_service *svc)
{
	if (nla_put_u32(skb, SESSHA_A_SERVICE_ID, svc->id) ||
	    sessha_nla_put_addr(skb, SESSHA_A_SERVICE_VIP, svc->family,
				&svc->vip) ||
	    nla_put_u8(skb, SESSHA_A_SERVICE_PROTO, svc->proto) ||
	    nla_put_u16(skb, SESSHA_A_SERVICE_PORT, ntohs(svc->port)) ||
	    nla_put_u8(skb, SESSHA_A_SERVICE_POLICY, svc->policy) ||
	    sessha_nla_put_node_list(skb, SESSHA_A_SERVICE_NODES, svc->nodes,
				     svc->nnodes))
		return -EMSGSIZE;
	if (svc->policy == SESSHA_POLICY_PAIRS &&
	    sessha_nla_put_node_list(skb, SESSHA_A_SERVICE_BACKUPS,
				     svc->backups, svc->nnodes))
		return -EMSGSIZE;
	return sessha_nla_put_backends(skb, svc);
}

/* The cursor is the id of the next service to report, in id order. */
int sessha_nl_service_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct sessha_net *sn = sessha_pernet(sock_net(skb->sk));
	unsigned long *next_id = (unsigned long *)cb->ctx;
	struct sessha_service *svc;
	void *hdr;

	rcu_read_lock();
	for (; *next_id <= U16_MAX; (*next_id)++) {
		svc = sessha_service_find(sn, *next_id);
		if (!svc)
			continue;
		hdr = sessha_genlmsg_put_dump(skb, cb, SESSHA_CMD_SERVICE_GET);
		if (!hdr)
			break;
		if (sessha_nl_service_fill(skb, svc)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	return skb->len;
}

int sessha_nl_backend_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct nlattr **a = info->attrs;
	struct sessha_backend be = {};
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_BACKEND_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_BACKEND_ADDR))
		return -EINVAL;
	err = sessha_nla_get_addr(a[SESSHA_A_BACKEND_ADDR], &be.family, &be.addr,
				  info->extack);
	if (err)
		return err;
	be.id = nla_get_u32(a[SESSHA_A_BACKEND_ID]);
	be.weight = a[SESSHA_A_BACKEND_WEIGHT] ?
		    nla_get_u32(a[SESSHA_A_BACKEND_WEIGHT]) :
		    SESSHA_BACKEND_WEIGHT_DEFAULT;

	mutex_lock(&sn->lock);
	err = sessha_backend_add(sn, nla_get_u32(a[SESSHA_A_SERVICE_ID]), &be,
				 info->extack);
	if (!err)
		sessha_repair_join(sn, 0);
	mutex_unlock(&sn->lock);
	return err;
}

int sessha_nl_backend_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct nlattr **a = info->attrs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_BACKEND_ID))
		return -EINVAL;
	mutex_lock(&sn->lock);
	err = sessha_backend_del(sn, nla_get_u32(a[SESSHA_A_SERVICE_ID]),
				 nla_get_u32(a[SESSHA_A_BACKEND_ID]),
				 info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

/* Weight 0 drains a backend: its sessions stay, new flows go elsewhere. */
int sessha_nl_backend_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct nlattr **a = info->attrs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_SERVICE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_BACKEND_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_BACKEND_WEIGHT))
		return -EINVAL;
	mutex_lock(&sn->lock);
	err = sessha_backend_set_weight(sn, nla_get_u32(a[SESSHA_A_SERVICE_ID]),
					nla_get_u32(a[SESSHA_A_BACKEND_ID]),
					nla_get_u32(a[SESSHA_A_BACKEND_WEIGHT]),
					info->extack);
	mutex_unlock(&sn->lock);
	return err;
}
