/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sessha: session high availability for Linux gateways.
 *
 * Generic Netlink family "sessha", version 1. Every object lives in the
 * network namespace of the socket that talks to it. Requests that change
 * state need CAP_NET_ADMIN in the user namespace owning that network
 * namespace. Attribute validation is strict: an attribute that a command
 * does not list below is rejected.
 *
 * Addresses (SESSHA_A_*_ADDR, SESSHA_A_SERVICE_VIP) are binary, 4 bytes for
 * IPv4 or 16 bytes for IPv6, in network byte order; the length is the family.
 *
 * SESSHA_CMD_NODE_NEW         add a node (a host of the cluster)
 *     SESSHA_A_NODE_ID          u32, required, 1..2^32-1, unique
 *     SESSHA_A_NODE_ADDR        addr, required, unique; sync and tunnel endpoint
 *     SESSHA_A_NODE_LOCAL       flag: this namespace is that node (at most one);
 *                               its address must already be configured here,
 *                               as the sync socket binds to it
 *     SESSHA_A_NODE_STATE       u8, SESSHA_NODE_UP (default) or _DOWN
 * SESSHA_CMD_NODE_DEL         SESSHA_A_NODE_ID
 * SESSHA_CMD_NODE_SET         mark a node up or down (the controller's verb)
 *     SESSHA_A_NODE_ID, SESSHA_A_NODE_STATE, both required
 * SESSHA_CMD_NODE_GET         dump; one message per node with the NODE_NEW
 *                             attributes; the local node also carries
 *     SESSHA_A_SYNC_STATE       u8, enum sessha_sync_state
 *
 * SESSHA_CMD_SERVICE_NEW      add a service
 *     SESSHA_A_SERVICE_ID       u32, required, 1..65535 (carried in sync
 *                               records, so identical on every host)
 *     SESSHA_A_SERVICE_VIP      addr, required
 *     SESSHA_A_SERVICE_PROTO    u8, required, IPPROTO_TCP or IPPROTO_UDP
 *     SESSHA_A_SERVICE_PORT     u16, required, host byte order, non-zero
 *     SESSHA_A_SERVICE_POLICY   u8, SESSHA_POLICY_RING (default) or _PAIRS
 *     SESSHA_A_SERVICE_NODES    nest, required: the servicing nodes, in
 *                               order, as repeated SESSHA_A_NODE_ID (1 to 16)
 *     SESSHA_A_SERVICE_BACKUPS  nest, required for the pairs policy only:
 *                               repeated SESSHA_A_NODE_ID, the i-th is the
 *                               backup of the i-th servicing node
 * SESSHA_CMD_SERVICE_DEL      SESSHA_A_SERVICE_ID; its sessions go with it
 * SESSHA_CMD_SERVICE_GET      dump; one message per service with the
 *                             SERVICE_NEW attributes and
 *     SESSHA_A_SERVICE_BACKENDS nest of repeated SESSHA_A_BACKEND nests, each
 *                               with SESSHA_A_BACKEND_ID and _ADDR
 *
 * SESSHA_CMD_BACKEND_NEW      add a real server to a service's pool
 *     SESSHA_A_SERVICE_ID       u32, required
 *     SESSHA_A_BACKEND_ID       u32, required, 1..65535, unique in the service
 *     SESSHA_A_BACKEND_ADDR     addr, required, same family as the VIP
 * SESSHA_CMD_BACKEND_DEL      SESSHA_A_SERVICE_ID, SESSHA_A_BACKEND_ID;
 *                             existing sessions keep their backend address
 *
 * SESSHA_CMD_SESSION_GET      dump, optionally filtered by
 *                             SESSHA_A_SERVICE_ID; one message per session:
 *     SESSHA_A_SERVICE_ID, SESSHA_A_SESSION_CLIENT_ADDR,
 *     SESSHA_A_SESSION_CLIENT_PORT (u16), SESSHA_A_BACKEND_ID,
 *     SESSHA_A_BACKEND_ADDR, SESSHA_A_SESSION_STATE (u8, enum
 *     sessha_session_state), SESSHA_A_SESSION_ROLE (u8, enum
 *     sessha_session_role), SESSHA_A_SESSION_OWNER (u32 node id, 0 if
 *     unknown), SESSHA_A_SESSION_BACKUP (u32 node id, 0 if none),
 *     SESSHA_A_SESSION_EXPIRES (u32, milliseconds left)
 *
 * SESSHA_CMD_STATS_GET        do; reply carries SESSHA_A_STATS, a nest of
 *                             u64 counters: attribute type N + 1 holds
 *                             counter N of enum sessha_stat; type 0 is
 *                             alignment padding
 *
 * SESSHA_CMD_CONFIG_SET       any subset of:
 *     SESSHA_A_SYNC_PORT        u16, non-zero, UDP port of the sync socket
 *                               (default 7484)
 *     SESSHA_A_SYNC_ENABLED     u8, 0 or 1 (default 1)
 *     SESSHA_A_TIMEOUT_TCP      u32, seconds, established TCP (default 900)
 *     SESSHA_A_TIMEOUT_TCP_FIN  u32, seconds, any other TCP state (default 60)
 *     SESSHA_A_TIMEOUT_UDP      u32, seconds (default 300)
 *     SESSHA_A_MAX_SESSIONS     u32, at least 1 (default 1048576)
 *     SESSHA_A_SYNC_JOIN        u8, 0 or 1 (default 1): with a local node,
 *                               ask the peers for the sessions we should hold
 *                               whenever a node, service or backend is added;
 *                               ready once all peers that are up answered
 *                               Timeouts are 1 to 65535: sync records carry
 *                               them in 16 bits.
 * SESSHA_CMD_CONFIG_GET       do; the reply carries all of the above
 *
 * SESSHA_CMD_KEY_NEW          install a cluster key for sync authentication
 *     SESSHA_A_KEY_ID           u8, required, 1..255
 *     SESSHA_A_KEY              binary, required, exactly 32 bytes; never
 *                               reported back
 *                             At most two keys: both are accepted, the one in
 *                             use signs. The first key is put in use.
 * SESSHA_CMD_KEY_USE          sign with this key from now on: SESSHA_A_KEY_ID
 * SESSHA_CMD_KEY_DEL          SESSHA_A_KEY_ID; the key in use goes last
 * SESSHA_CMD_SYNC_GET         do; the reply carries SESSHA_A_SYNC_STATE,
 *                             SESSHA_A_SYNC_EPOCH (u64) and SESSHA_A_KEYS, a
 *                             nest of SESSHA_A_KEY nests with SESSHA_A_KEY_ID
 *                             and, for the key in use, SESSHA_A_KEY_TX (flag).
 *                             No keys: sync is unauthenticated.
 *
 * Multicast group "events" (CAP_NET_ADMIN to join):
 * SESSHA_CMD_NODE_NTF         a node changed state: NODE_ID, NODE_STATE
 * SESSHA_CMD_PROMOTE_NTF      a replica took over a flow: SERVICE_ID,
 *                             SESSION_CLIENT_ADDR, SESSION_CLIENT_PORT,
 *                             SESSION_OWNER (the node that failed)
 */
#ifndef _UAPI_LINUX_SESSHA_H
#define _UAPI_LINUX_SESSHA_H

#define SESSHA_GENL_NAME	"sessha"
#define SESSHA_GENL_VERSION	1
#define SESSHA_MCGRP_EVENTS	"events"

#define SESSHA_DEFAULT_SYNC_PORT	7484

enum sessha_cmd {
	SESSHA_CMD_UNSPEC,
	SESSHA_CMD_NODE_NEW,
	SESSHA_CMD_NODE_DEL,
	SESSHA_CMD_NODE_SET,
	SESSHA_CMD_NODE_GET,
	SESSHA_CMD_SERVICE_NEW,
	SESSHA_CMD_SERVICE_DEL,
	SESSHA_CMD_SERVICE_GET,
	SESSHA_CMD_BACKEND_NEW,
	SESSHA_CMD_BACKEND_DEL,
	SESSHA_CMD_SESSION_GET,
	SESSHA_CMD_STATS_GET,
	SESSHA_CMD_CONFIG_SET,
	SESSHA_CMD_CONFIG_GET,
	SESSHA_CMD_NODE_NTF,
	SESSHA_CMD_PROMOTE_NTF,
	SESSHA_CMD_KEY_NEW,
	SESSHA_CMD_KEY_USE,
	SESSHA_CMD_KEY_DEL,
	SESSHA_CMD_SYNC_GET,

	__SESSHA_CMD_MAX
};
#define SESSHA_CMD_MAX (__SESSHA_CMD_MAX - 1)

enum sessha_attr {
	SESSHA_A_UNSPEC,
	SESSHA_A_PAD,
	SESSHA_A_NODE_ID,
	SESSHA_A_NODE_ADDR,
	SESSHA_A_NODE_LOCAL,
	SESSHA_A_NODE_STATE,
	SESSHA_A_SERVICE_ID,
	SESSHA_A_SERVICE_VIP,
	SESSHA_A_SERVICE_PROTO,
	SESSHA_A_SERVICE_PORT,
	SESSHA_A_SERVICE_POLICY,
	SESSHA_A_SERVICE_NODES,
	SESSHA_A_SERVICE_BACKUPS,
	SESSHA_A_SERVICE_BACKENDS,
	SESSHA_A_BACKEND,
	SESSHA_A_BACKEND_ID,
	SESSHA_A_BACKEND_ADDR,
	SESSHA_A_SESSION_CLIENT_ADDR,
	SESSHA_A_SESSION_CLIENT_PORT,
	SESSHA_A_SESSION_STATE,
	SESSHA_A_SESSION_ROLE,
	SESSHA_A_SESSION_OWNER,
	SESSHA_A_SESSION_BACKUP,
	SESSHA_A_SESSION_EXPIRES,
	SESSHA_A_STATS,
	SESSHA_A_SYNC_PORT,
	SESSHA_A_SYNC_ENABLED,
	SESSHA_A_TIMEOUT_TCP,
	SESSHA_A_TIMEOUT_TCP_FIN,
	SESSHA_A_TIMEOUT_UDP,
	SESSHA_A_MAX_SESSIONS,
	SESSHA_A_SYNC_JOIN,
	SESSHA_A_SYNC_STATE,
	SESSHA_A_SYNC_EPOCH,
	SESSHA_A_KEYS,
	SESSHA_A_KEY,
	SESSHA_A_KEY_ID,
	SESSHA_A_KEY_TX,

	__SESSHA_A_MAX
};
#define SESSHA_A_MAX (__SESSHA_A_MAX - 1)

enum sessha_node_state {
	SESSHA_NODE_DOWN,
	SESSHA_NODE_UP,
};

enum sessha_sync_state {
	SESSHA_SYNC_READY,	/* holds what it should: may take flows */
	SESSHA_SYNC_JOINING,	/* still receiving its sessions from peers */
};

enum sessha_policy {
	SESSHA_POLICY_RING,	/* rendezvous hash over the nodes that are up */
	SESSHA_POLICY_PAIRS,	/* hashed primary, then its mapped backup */
};

enum sessha_session_state {
	SESSHA_STATE_NONE,	/* UDP */
	SESSHA_STATE_SYN,	/* TCP SYN seen, not yet acknowledged */
	SESSHA_STATE_ESTABLISHED,
	SESSHA_STATE_CLOSING,	/* TCP FIN seen */
	SESSHA_STATE_CLOSED,	/* TCP RST seen */

	__SESSHA_STATE_MAX
};

enum sessha_session_role {
	SESSHA_ROLE_OWNER,	/* this node serves the flow */
	SESSHA_ROLE_REPLICA,	/* a copy kept for the owner's failure */
};

/* Counters in SESSHA_A_STATS; attribute type is the index plus one. */
enum sessha_stat {
	SESSHA_STAT_FWD_PACKETS,	/* tunnelled to the owner */
	SESSHA_STAT_SERVED_PACKETS,	/* sent on to a backend here */
	SESSHA_STAT_SESSIONS_CREATED,
	SESSHA_STAT_SESSIONS_EXPIRED,
	SESSHA_STAT_SESSIONS_PROMOTED,
	SESSHA_STAT_REPLICAS_CREATED,
	SESSHA_STAT_REPLICAS_UPDATED,
	SESSHA_STAT_REPLICAS_DELETED,
	SESSHA_STAT_SYNC_TX_RECORDS,
	SESSHA_STAT_SYNC_TX_DATAGRAMS,
	SESSHA_STAT_SYNC_RX_RECORDS,
	SESSHA_STAT_SYNC_RX_DATAGRAMS,
	SESSHA_STAT_DROP_NO_SESSION,	/* not a flow start, no entry */
	SESSHA_STAT_DROP_NO_BACKEND,	/* empty backend pool */
	SESSHA_STAT_DROP_NO_NODE,	/* every servicing node is down */
	SESSHA_STAT_DROP_TABLE_FULL,
	SESSHA_STAT_DROP_NOMEM,
	SESSHA_STAT_DROP_XMIT,		/* no route, or output failed */
	SESSHA_STAT_DROP_MALFORMED,	/* truncated tunnelled packet */
	SESSHA_STAT_SYNC_TX_ERRORS,	/* not sent: no socket, queue full,
					 * signing failed
					 */
	SESSHA_STAT_SYNC_TX_NO_PEER,	/* no backup is up, or it vanished */
	SESSHA_STAT_SYNC_RX_SHORT,	/* shorter than header, records, MAC */
	SESSHA_STAT_SYNC_RX_VERSION,
	SESSHA_STAT_SYNC_RX_TYPE,
	SESSHA_STAT_SYNC_RX_LENGTH,	/* lengths disagree, reserved not 0 */
	SESSHA_STAT_SYNC_RX_UNKNOWN_PEER, /* sender not a node, or spoofed */
	SESSHA_STAT_SYNC_RX_BAD_RECORD,	/* unknown op, flags, service, backend,
					 * state; zero timeout; wrong family
					 */
	SESSHA_STAT_SYNC_RX_CONFLICT,	/* for a flow served here, not from
					 * its policy owner; delete not from
					 * the replica's owner
					 */
	SESSHA_STAT_SYNC_RX_DISABLED,	/* sync is off in this namespace */
	SESSHA_STAT_SYNC_RX_UNAUTH,	/* no MAC while a key is set */
	SESSHA_STAT_SYNC_RX_BAD_KEY,	/* signed with a key we do not have */
	SESSHA_STAT_SYNC_RX_BAD_MAC,
	SESSHA_STAT_SYNC_RX_REPLAY,	/* old epoch, or seq already seen */
	SESSHA_STAT_SYNC_RX_GAPS,	/* sequence numbers went missing */
	SESSHA_STAT_SYNC_BULK_REQUESTS,	/* bulk transfers we asked for */
	SESSHA_STAT_SYNC_BULK_ANSWERS,	/* bulk transfers we sent */
	SESSHA_STAT_SYNC_BULK_RECORDS,	/* records sent in bulk transfers */
	SESSHA_STAT_SYNC_BULK_INCOMPLETE, /* ended with datagrams missing */
	SESSHA_STAT_SYNC_DIGESTS_TX,
	SESSHA_STAT_SYNC_DIGESTS_RX,
	SESSHA_STAT_SYNC_DIGEST_MISMATCHES, /* buckets found to differ */
	SESSHA_STAT_REPLICAS_STALE,	/* deleted: missing from a bulk answer */
	SESSHA_STAT_SESSIONS_DEMOTED,	/* handed back to their owner */
	SESSHA_STAT_JOIN_TIMEOUTS,	/* ready without every peer's answer */

	__SESSHA_STAT_MAX
};
#define SESSHA_STAT_MAX (__SESSHA_STAT_MAX - 1)

#endif /* _UAPI_LINUX_SESSHA_H */
