// SPDX-License-Identifier: GPL-2.0
/*
 * The "sessha" generic netlink family (Documentation/netlink/specs/
 * sessha.yaml): the family, nodes, configuration, counters and events.
 * Services, backends and sessions are in nl_service.c and nl_session.c.
 *
 * The policies and the ops table are generated from the spec into
 * sessha-nl-gen.c (make netlink-gen). Every operation has its own strict
 * policy listing exactly the attributes it takes, so anything else is
 * refused. Changes need CAP_NET_ADMIN in the user namespace that owns the
 * network namespace (GENL_UNS_ADMIN_PERM): the module is per namespace, so
 * a container's own admin may drive it.
 */
#include <linux/module.h>

#include "auth.h"
#include "confsum.h"
#include "digest.h"
#include "netlink.h"
#include "node.h"
#include "peer.h"
#include "repair.h"
#include "replica.h"
#include "roles.h"
#include "socket.h"
#include "stats.h"
#include "tally.h"

/*
 * The generated ops of commands without a request (dumps of everything, the
 * "get" of counters, configuration and sync state) carry no policy, so the
 * family's applies: it takes no attributes at all.
 */
static const struct nla_policy sessha_none_policy[SESSHA_A_MAX + 1] = {};

/*
 * What a new node means beyond the table: the local node opens the sync
 * socket and joins; a peer is asked for what we should hold from it.
 */
static int sessha_nl_node_added(struct sessha_net *sn,
				const struct sessha_node *node,
				struct netlink_ext_ack *extack)
{
	int err;

	if (node->local) {
		err = sessha_socket_open(sn, sessha_replica_rcv);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot open the sync socket");
			sessha_node_del(sn, node->id, NULL);
			return err;
		}
	}
	sessha_repair_join(sn, node->local ? 0 : node->id);
	sessha_roles_kick(sn);
	return 0;
}

int sessha_nl_node_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct nlattr **attrs = info->attrs;
	struct sessha_node node = {};
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_NODE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_NODE_ADDR))
		return -EINVAL;
	err = sessha_nla_get_addr(attrs[SESSHA_A_NODE_ADDR], &node.family,
				  &node.addr, info->extack);
	if (err)
		return err;
	node.id = nla_get_u32(attrs[SESSHA_A_NODE_ID]);
	node.local = nla_get_flag(attrs[SESSHA_A_NODE_LOCAL]);
	node.up = !attrs[SESSHA_A_NODE_STATE] ||
		  nla_get_u8(attrs[SESSHA_A_NODE_STATE]) == SESSHA_NODE_UP;

	mutex_lock(&sn->lock);
	err = sessha_node_add(sn, &node, info->extack);
	if (!err)
		err = sessha_nl_node_added(sn, &node, info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

int sessha_nl_node_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	const struct sessha_node *node;
	bool local;
	u32 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_NODE_ID))
		return -EINVAL;
	id = nla_get_u32(info->attrs[SESSHA_A_NODE_ID]);
	mutex_lock(&sn->lock);
	node = sessha_node_find(sessha_nodes_locked(sn), id);
	local = node && node->local;
	err = sessha_node_del(sn, id, info->extack);
	if (!err) {
		if (local)
			sessha_socket_close(sn);
		sessha_peer_forget(sn, id);
		sessha_tally_forget(sn, id);
		sessha_roles_kick(sn);
	}
	mutex_unlock(&sn->lock);
	return err;
}

int sessha_nl_node_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct nlattr **attrs = info->attrs;
	bool up;
	u32 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_NODE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_NODE_STATE))
		return -EINVAL;
	id = nla_get_u32(attrs[SESSHA_A_NODE_ID]);
	up = nla_get_u8(attrs[SESSHA_A_NODE_STATE]) == SESSHA_NODE_UP;
	mutex_lock(&sn->lock);
	err = sessha_node_set_state(sn, id, up, info->extack);
	if (err > 0) {
		sessha_nl_notify_node(sn, id, up);
		sessha_roles_kick(sn);
	}
	mutex_unlock(&sn->lock);
	return err < 0 ? err : 0;
}

/* @config: the peer's configuration digest against ours, -1 unknown. */
static int sessha_nl_node_fill(struct sk_buff *skb,
			       const struct sessha_node *node, u8 sync_state,
			       int config)
{
	if (config >= 0 && nla_put_u8(skb, SESSHA_A_NODE_CONFIG, config))
		return -EMSGSIZE;
	if (nla_put_u32(skb, SESSHA_A_NODE_ID, node->id) ||
	    sessha_nla_put_addr(skb, SESSHA_A_NODE_ADDR, node->family,
				&node->addr) ||
	    (node->local && nla_put_flag(skb, SESSHA_A_NODE_LOCAL)) ||
	    (node->local && nla_put_u8(skb, SESSHA_A_SYNC_STATE, sync_state)) ||
	    nla_put_u8(skb, SESSHA_A_NODE_STATE,
		       node->up ? SESSHA_NODE_UP : SESSHA_NODE_DOWN))
		return -EMSGSIZE;
	return 0;
}

/* The cursor is the index in the table snapshot of the next node. */
int sessha_nl_node_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sessha_net *sn = sessha_pernet(sock_net(skb->sk));
	const struct sessha_node_table *t;
	unsigned long *next = (unsigned long *)cb->ctx;
	const struct sessha_node *node;
	void *hdr;

	rcu_read_lock();
	t = rcu_dereference(sn->nodes);
	for (; t && *next < t->count; (*next)++) {
		hdr = sessha_genlmsg_put_dump(skb, cb, SESSHA_CMD_NODE_GET);
		if (!hdr)
			break;
		node = &t->node[*next];
		if (sessha_nl_node_fill(skb, node, READ_ONCE(sn->repl.state),
					node->local ? -1 :
					sessha_confsum_peer(sn, node->id))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	return skb->len;
}

int sessha_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sessha_genl_family, 0,
				SESSHA_CMD_STATS_GET);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, SESSHA_A_STATS);
	if (!nest)
		goto nospace;
	/* attribute type == counter; 0 is the pad */
	for (i = SESSHA_STAT_PAD + 1; i < __SESSHA_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i, sessha_stat_sum(sn, i),
				      SESSHA_STAT_PAD))
			goto nospace;
	nla_nest_end(msg, nest);
	if (nla_put_u32(msg, SESSHA_A_SESSION_COUNT,
			(u32)atomic_read(&sn->nsessions)) ||
	    nla_put_u32(msg, SESSHA_A_MAX_SESSIONS,
			READ_ONCE(sn->cfg.max_sessions)))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int sessha_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct sessha_config *cfg = &sn->cfg;
	struct nlattr **a = info->attrs;
	int err = 0;

	mutex_lock(&sn->lock);
	if (a[SESSHA_A_SYNC_ENABLED])
		WRITE_ONCE(cfg->sync_enabled, nla_get_u8(a[SESSHA_A_SYNC_ENABLED]));
	if (a[SESSHA_A_SYNC_JOIN])
		WRITE_ONCE(cfg->sync_join, nla_get_u8(a[SESSHA_A_SYNC_JOIN]));
	if (a[SESSHA_A_TIMEOUT_TCP])
		WRITE_ONCE(cfg->timeout_tcp, nla_get_u32(a[SESSHA_A_TIMEOUT_TCP]));
	if (a[SESSHA_A_TIMEOUT_TCP_FIN])
		WRITE_ONCE(cfg->timeout_tcp_fin,
			   nla_get_u32(a[SESSHA_A_TIMEOUT_TCP_FIN]));
	if (a[SESSHA_A_TIMEOUT_UDP])
		WRITE_ONCE(cfg->timeout_udp, nla_get_u32(a[SESSHA_A_TIMEOUT_UDP]));
	if (a[SESSHA_A_MAX_SESSIONS])
		WRITE_ONCE(cfg->max_sessions,
			   nla_get_u32(a[SESSHA_A_MAX_SESSIONS]));
	if (a[SESSHA_A_SYNC_PORT] &&
	    nla_get_u16(a[SESSHA_A_SYNC_PORT]) != cfg->sync_port) {
		u16 old = cfg->sync_port;

		WRITE_ONCE(cfg->sync_port, nla_get_u16(a[SESSHA_A_SYNC_PORT]));
		err = sessha_socket_open(sn, sessha_replica_rcv);
		if (err) {
			WRITE_ONCE(cfg->sync_port, old);
			NL_SET_ERR_MSG_ATTR(info->extack, a[SESSHA_A_SYNC_PORT],
					    "cannot bind the sync socket to this port");
		}
	}
	mutex_unlock(&sn->lock);
	sessha_repair_kick(sn);
	return err;
}

int sessha_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	const struct sessha_config *cfg = &sn->cfg;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sessha_genl_family, 0,
				SESSHA_CMD_CONFIG_GET);
	if (!hdr ||
	    nla_put_u16(msg, SESSHA_A_SYNC_PORT, READ_ONCE(cfg->sync_port)) ||
	    nla_put_u8(msg, SESSHA_A_SYNC_ENABLED, READ_ONCE(cfg->sync_enabled)) ||
	    nla_put_u32(msg, SESSHA_A_TIMEOUT_TCP, READ_ONCE(cfg->timeout_tcp)) ||
	    nla_put_u32(msg, SESSHA_A_TIMEOUT_TCP_FIN,
			READ_ONCE(cfg->timeout_tcp_fin)) ||
	    nla_put_u32(msg, SESSHA_A_TIMEOUT_UDP, READ_ONCE(cfg->timeout_udp)) ||
	    nla_put_u32(msg, SESSHA_A_MAX_SESSIONS,
			READ_ONCE(cfg->max_sessions)) ||
	    nla_put_u8(msg, SESSHA_A_SYNC_JOIN, READ_ONCE(cfg->sync_join))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int sessha_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct nlattr **a = info->attrs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_KEY_ID) ||
	    GENL_REQ_ATTR_CHECK(info, SESSHA_A_KEY))
		return -EINVAL;
	mutex_lock(&sn->lock);
	err = sessha_key_add(sn, nla_get_u8(a[SESSHA_A_KEY_ID]),
			     nla_data(a[SESSHA_A_KEY]), nla_len(a[SESSHA_A_KEY]),
			     info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

int sessha_nl_key_use_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_KEY_ID))
		return -EINVAL;
	mutex_lock(&sn->lock);
	err = sessha_key_use(sn, nla_get_u8(info->attrs[SESSHA_A_KEY_ID]),
			     info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

int sessha_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SESSHA_A_KEY_ID))
		return -EINVAL;
	mutex_lock(&sn->lock);
	err = sessha_key_del(sn, nla_get_u8(info->attrs[SESSHA_A_KEY_ID]),
			     info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

int sessha_nl_sync_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sessha_net *sn = sessha_info_net(info);
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sessha_genl_family, 0,
				SESSHA_CMD_SYNC_GET);
	mutex_lock(&sn->lock);
	if (hdr &&
	    !nla_put_u8(msg, SESSHA_A_SYNC_STATE, sn->repl.state) &&
	    !nla_put_u64_64bit(msg, SESSHA_A_SYNC_EPOCH, sn->sync.epoch,
			       SESSHA_A_PAD) &&
	    !nla_put_u64_64bit(msg, SESSHA_A_CONFIG_DIGEST, sessha_confsum(sn),
			       SESSHA_A_PAD) &&
	    !sessha_keys_fill(sn, msg))
		err = 0;
	mutex_unlock(&sn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * The spec cannot carry GENL_MCAST_CAP_NET_ADMIN (its schema allows a
 * group only the command flags), so the groups are listed here, indexed by
 * the generated SESSHA_NLGRP_*: events tell of nodes and takeovers, flows
 * of every flow taken over; only the namespace's admin may listen.
 */
static const struct genl_multicast_group sessha_mcgrps[] = {
	[SESSHA_NLGRP_EVENTS] = {
		.name	= SESSHA_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
	[SESSHA_NLGRP_FLOWS] = {
		.name	= SESSHA_MCGRP_FLOWS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* Hand-written: a genetlink-legacy family's struct is not generated. */
struct genl_family sessha_genl_family __ro_after_init = {
	.name		= SESSHA_GENL_NAME,
	.version	= SESSHA_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= sessha_nl_ops,
	.n_ops		= ARRAY_SIZE(sessha_nl_ops),
	.policy		= sessha_none_policy,
	.maxattr	= ARRAY_SIZE(sessha_none_policy) - 1,
	.mcgrps		= sessha_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sessha_mcgrps),
};

int sessha_genl_register(void)
{
	return genl_register_family(&sessha_genl_family);
}

void sessha_genl_unregister(void)
{
	genl_unregister_family(&sessha_genl_family);
}
