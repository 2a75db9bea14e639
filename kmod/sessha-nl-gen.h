/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sessha.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SESSHA_GEN_H
#define _LINUX_SESSHA_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/sessha.h>

/* Common nested types */
extern const struct nla_policy sessha_node_list_nl_policy[SESSHA_A_NODES_NODE_ID + 1];

extern const struct nla_policy sessha_node_new_nl_policy[SESSHA_A_NODE_STATE + 1];

extern const struct nla_policy sessha_node_del_nl_policy[SESSHA_A_NODE_ID + 1];

extern const struct nla_policy sessha_node_set_nl_policy[SESSHA_A_NODE_STATE + 1];

extern const struct nla_policy sessha_service_new_nl_policy[SESSHA_A_SERVICE_BACKUPS + 1];

extern const struct nla_policy sessha_service_del_nl_policy[SESSHA_A_SERVICE_ID + 1];

extern const struct nla_policy sessha_backend_new_nl_policy[SESSHA_A_BACKEND_WEIGHT + 1];

extern const struct nla_policy sessha_backend_del_nl_policy[SESSHA_A_BACKEND_ID + 1];

extern const struct nla_policy sessha_session_get_nl_policy[SESSHA_A_SERVICE_ID + 1];

extern const struct nla_policy sessha_config_set_nl_policy[SESSHA_A_SYNC_JOIN + 1];

extern const struct nla_policy sessha_key_new_nl_policy[SESSHA_A_KEY_ID + 1];

extern const struct nla_policy sessha_key_use_nl_policy[SESSHA_A_KEY_ID + 1];

extern const struct nla_policy sessha_key_del_nl_policy[SESSHA_A_KEY_ID + 1];

extern const struct nla_policy sessha_service_set_nl_policy[SESSHA_A_SERVICE_BACKUPS + 1];

extern const struct nla_policy sessha_backend_set_nl_policy[SESSHA_A_BACKEND_WEIGHT + 1];

/* Ops table for sessha */
extern const struct genl_ops sessha_nl_ops[19];

int sessha_nl_session_get_start(struct netlink_callback *cb);
int sessha_nl_session_get_done(struct netlink_callback *cb);

int sessha_nl_node_new_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_node_del_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_node_set_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_node_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int sessha_nl_service_new_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_service_del_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_service_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int sessha_nl_backend_new_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_backend_del_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_session_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int sessha_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_key_use_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_sync_get_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_service_set_doit(struct sk_buff *skb, struct genl_info *info);
int sessha_nl_backend_set_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	SESSHA_NLGRP_EVENTS,
	SESSHA_NLGRP_FLOWS,
};

#endif /* _LINUX_SESSHA_GEN_H */
