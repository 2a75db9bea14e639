// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sessha.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "sessha-nl-gen.h"

#include <uapi/linux/sessha.h>

/* Integer value ranges */
static struct netlink_range_validation sessha_a_service_id_range = {
	.min	= 1ULL,
	.max	= 65535ULL,
};

static struct netlink_range_validation sessha_a_backend_id_range = {
	.min	= 1ULL,
	.max	= 65535ULL,
};

static struct netlink_range_validation sessha_a_timeout_tcp_range = {
	.min	= 1ULL,
	.max	= 65535ULL,
};

static struct netlink_range_validation sessha_a_timeout_tcp_fin_range = {
	.min	= 1ULL,
	.max	= 65535ULL,
};

static struct netlink_range_validation sessha_a_timeout_udp_range = {
	.min	= 1ULL,
	.max	= 65535ULL,
};

static struct netlink_range_validation sessha_a_backend_weight_range = {
	.max	= 65535ULL,
};

/* Common nested types */
const struct nla_policy sessha_node_list_nl_policy[SESSHA_A_NODES_NODE_ID + 1] = {
	[SESSHA_A_NODES_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* SESSHA_CMD_NODE_NEW - do */
const struct nla_policy sessha_node_new_nl_policy[SESSHA_A_NODE_STATE + 1] = {
	[SESSHA_A_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SESSHA_A_NODE_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[SESSHA_A_NODE_LOCAL] = { .type = NLA_FLAG, },
	[SESSHA_A_NODE_STATE] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* SESSHA_CMD_NODE_DEL - do */
const struct nla_policy sessha_node_del_nl_policy[SESSHA_A_NODE_ID + 1] = {
	[SESSHA_A_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* SESSHA_CMD_NODE_SET - do */
const struct nla_policy sessha_node_set_nl_policy[SESSHA_A_NODE_STATE + 1] = {
	[SESSHA_A_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SESSHA_A_NODE_STATE] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* SESSHA_CMD_SERVICE_NEW - do */
const struct nla_policy sessha_service_new_nl_policy[SESSHA_A_SERVICE_BACKUPS + 1] = {
	[SESSHA_A_SERVICE_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_service_id_range),
	[SESSHA_A_SERVICE_VIP] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[SESSHA_A_SERVICE_PROTO] = { .type = NLA_U8, },
	[SESSHA_A_SERVICE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[SESSHA_A_SERVICE_POLICY] = NLA_POLICY_MAX(NLA_U8, 1),
	[SESSHA_A_SERVICE_NODES] = NLA_POLICY_NESTED(sessha_node_list_nl_policy),
	[SESSHA_A_SERVICE_BACKUPS] = NLA_POLICY_NESTED(sessha_node_list_nl_policy),
};

/* SESSHA_CMD_SERVICE_DEL - do */
const struct nla_policy sessha_service_del_nl_policy[SESSHA_A_SERVICE_ID + 1] = {
	[SESSHA_A_SERVICE_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_service_id_range),
};

/* SESSHA_CMD_BACKEND_NEW - do */
const struct nla_policy sessha_backend_new_nl_policy[SESSHA_A_BACKEND_WEIGHT + 1] = {
	[SESSHA_A_SERVICE_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_service_id_range),
	[SESSHA_A_BACKEND_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_backend_id_range),
	[SESSHA_A_BACKEND_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[SESSHA_A_BACKEND_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_backend_weight_range),
};

/* SESSHA_CMD_BACKEND_DEL - do */
const struct nla_policy sessha_backend_del_nl_policy[SESSHA_A_BACKEND_ID + 1] = {
	[SESSHA_A_SERVICE_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_service_id_range),
	[SESSHA_A_BACKEND_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_backend_id_range),
};

/* SESSHA_CMD_SESSION_GET - dump */
const struct nla_policy sessha_session_get_nl_policy[SESSHA_A_SERVICE_ID + 1] = {
	[SESSHA_A_SERVICE_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_service_id_range),
};

/* SESSHA_CMD_CONFIG_SET - do */
const struct nla_policy sessha_config_set_nl_policy[SESSHA_A_SYNC_JOIN + 1] = {
	[SESSHA_A_SYNC_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[SESSHA_A_SYNC_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[SESSHA_A_TIMEOUT_TCP] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_timeout_tcp_range),
	[SESSHA_A_TIMEOUT_TCP_FIN] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_timeout_tcp_fin_range),
	[SESSHA_A_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_timeout_udp_range),
	[SESSHA_A_MAX_SESSIONS] = NLA_POLICY_MIN(NLA_U32, 1),
	[SESSHA_A_SYNC_JOIN] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* SESSHA_CMD_KEY_NEW - do */
const struct nla_policy sessha_key_new_nl_policy[SESSHA_A_KEY_ID + 1] = {
	[SESSHA_A_KEY_ID] = NLA_POLICY_MIN(NLA_U8, 1),
	[SESSHA_A_KEY] = NLA_POLICY_EXACT_LEN(32),
};

/* SESSHA_CMD_KEY_USE - do */
const struct nla_policy sessha_key_use_nl_policy[SESSHA_A_KEY_ID + 1] = {
	[SESSHA_A_KEY_ID] = NLA_POLICY_MIN(NLA_U8, 1),
};

/* SESSHA_CMD_KEY_DEL - do */
const struct nla_policy sessha_key_del_nl_policy[SESSHA_A_KEY_ID + 1] = {
	[SESSHA_A_KEY_ID] = NLA_POLICY_MIN(NLA_U8, 1),
};

/* SESSHA_CMD_SERVICE_SET - do */
const struct nla_policy sessha_service_set_nl_policy[SESSHA_A_SERVICE_BACKUPS + 1] = {
	[SESSHA_A_SERVICE_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_service_id_range),
	[SESSHA_A_SERVICE_POLICY] = NLA_POLICY_MAX(NLA_U8, 1),
	[SESSHA_A_SERVICE_NODES] = NLA_POLICY_NESTED(sessha_node_list_nl_policy),
	[SESSHA_A_SERVICE_BACKUPS] = NLA_POLICY_NESTED(sessha_node_list_nl_policy),
};

/* SESSHA_CMD_BACKEND_SET - do */
const struct nla_policy sessha_backend_set_nl_policy[SESSHA_A_BACKEND_WEIGHT + 1] = {
	[SESSHA_A_SERVICE_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_service_id_range),
	[SESSHA_A_BACKEND_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_backend_id_range),
	[SESSHA_A_BACKEND_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &sessha_a_backend_weight_range),
};

/* Ops table for sessha */
const struct genl_ops sessha_nl_ops[19] = {
	{
		.cmd		= SESSHA_CMD_NODE_NEW,
		.doit		= sessha_nl_node_new_doit,
		.policy		= sessha_node_new_nl_policy,
		.maxattr	= SESSHA_A_NODE_STATE,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SESSHA_CMD_NODE_DEL,
		.doit		= sessha_nl_node_del_doit,
		.policy		= sessha_node_del_nl_policy,
		.maxattr	= SESSHA_A_NODE_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SESSHA_CMD_NODE_SET,
		.doit		= sessha_nl_node_set_doit,
		.policy		= sessha_node_set_nl_policy,
		.maxattr	= SESSHA_A_NODE_STATE,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SESSHA_CMD_NODE_GET,
		.dumpit	= sessha_nl_node_get_dumpit,
	},
	{
		.cmd		= SESSHA_CMD_SERVICE_NEW,
		.doit		= sessha_nl_service_new_doit,
		.policy		= sessha_service_new_nl_policy,
		.maxattr	= SESSHA_A_SERVICE_BACKUPS,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SESSHA_CMD_SERVICE_DEL,
		.doit		= sessha_nl_service_del_doit,
		.policy		= sessha_service_del_nl_policy,
		.maxattr	= SESSHA_A_SERVICE_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SESSHA_CMD_SERVICE_GET,
		.dumpit	= sessha_nl_service_get_dumpit,
	},
	{
		.cmd		= SESSHA_CMD_BACKEND_NEW,
		.doit		= sessha_nl_backend_new_doit,
		.policy		= sessha_backend_new_nl_policy,
		.maxattr	= SESSHA_A_BACKEND_WEIGHT,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SESSHA_CMD_BACKEND_DEL,
		.doit		= sessha_nl_backend_del_doit,
		.policy		= sessha_backend_del_nl_policy,
		.maxattr	= SESSHA_A_BACKEND_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SESSHA_CMD_SESSION_GET,
		.start		= sessha_nl_session_get_start,
		.dumpit		= sessha_nl_session_get_dumpit,
		.done		= sessha_nl_session_get_done,
		.policy		= sessha_session_get_nl_policy,
		.maxattr	= SESSHA_A_SERVICE_ID,
	},
	{
		.cmd	= SESSHA_CMD_STATS_GET,
		.doit	= sessha_nl_stats_get_doit,
	},
	{
		.cmd		= SESSHA_CMD_CONFIG_SET,
		.doit		= sessha_nl_config_set_doit,
		.policy		= sessha_config_set_nl_policy,
		.maxattr	= SESSHA_A_SYNC_JOIN,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SESSHA_CMD_CONFIG_GET,
		.doit	= sessha_nl_config_get_doit,
	},
	{
		.cmd		= SESSHA_CMD_KEY_NEW,
		.doit		= sessha_nl_key_new_doit,
		.policy		= sessha_key_new_nl_policy,
		.maxattr	= SESSHA_A_KEY_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SESSHA_CMD_KEY_USE,
		.doit		= sessha_nl_key_use_doit,
		.policy		= sessha_key_use_nl_policy,
		.maxattr	= SESSHA_A_KEY_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SESSHA_CMD_KEY_DEL,
		.doit		= sessha_nl_key_del_doit,
		.policy		= sessha_key_del_nl_policy,
		.maxattr	= SESSHA_A_KEY_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SESSHA_CMD_SYNC_GET,
		.doit	= sessha_nl_sync_get_doit,
	},
	{
		.cmd		= SESSHA_CMD_SERVICE_SET,
		.doit		= sessha_nl_service_set_doit,
		.policy		= sessha_service_set_nl_policy,
		.maxattr	= SESSHA_A_SERVICE_BACKUPS,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SESSHA_CMD_BACKEND_SET,
		.doit		= sessha_nl_backend_set_doit,
		.policy		= sessha_backend_set_nl_policy,
		.maxattr	= SESSHA_A_BACKEND_WEIGHT,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};
