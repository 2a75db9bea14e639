/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sessha: internal types shared by the module's files.
 *
 * Locking, per network namespace:
 * - sn->lock (mutex) serialises configuration: node table, services,
 *   backend pools, the sync socket. Readers on the packet path use RCU.
 * - The node table and every backend pool are immutable snapshots, replaced
 *   whole under sn->lock and freed after a grace period, so a reader sees
 *   one consistent version.
 * - Sessions live in an rhashtable; fields that change after insertion are
 *   guarded by the session's own spinlock.
 */
#ifndef _SESSHA_H
#define _SESSHA_H

#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "uapi/linux/sessha.h"
#include "wire.h"

#define SESSHA_MAX_NODES		64
#define SESSHA_MAX_SERVICE_NODES	16
#define SESSHA_MAX_BACKENDS		256
#define SESSHA_SERVICE_BUCKETS		64

union sessha_addr {
	__be32		ip;
	struct in6_addr	in6;
};

struct sessha_node {
	u32			id;
	u8			family;
	bool			local;
	bool			up;
	union sessha_addr	addr;
};

/* Immutable snapshot: replaced as a whole under sn->lock. */
struct sessha_node_table {
	struct rcu_head		rcu;
	unsigned int		count;
	struct sessha_node	node[];
};

struct sessha_backend {
	u16			id;
	union sessha_addr	addr;
};

/* Immutable snapshot, like the node table. */
struct sessha_backend_pool {
	struct rcu_head		rcu;
	unsigned int		count;
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

/* What identifies a flow; the VIP, port and protocol are the service's. */
struct sessha_key {
	union sessha_addr	client;
	__be16			cport;
	u16			service;
	u8			family;
	u8			pad[3];
};

struct sessha_session {
	struct rhash_head	hnode;
	struct sessha_key	key;
	spinlock_t		lock;
	u8			state;		/* enum sessha_session_state */
	u8			role;		/* enum sessha_session_role */
	u16			backend_id;
	union sessha_addr	backend_addr;
	u32			owner;		/* node id serving the flow */
	u32			backup;		/* node id holding our replica */
	unsigned long		expires;	/* jiffies */
	unsigned long		synced;		/* jiffies of the last sync */
	struct rcu_head		rcu;
};

/* The TCP flags the servicing node follows, as passed to sessha_serve(). */
#define SESSHA_TCP_SYN	0x01
#define SESSHA_TCP_ACK	0x02
#define SESSHA_TCP_FIN	0x04
#define SESSHA_TCP_RST	0x08

struct sessha_config {
	u16		sync_port;
	bool		sync_enabled;
	bool		sync_join;
	u32		timeout_tcp;
	u32		timeout_tcp_fin;
	u32		timeout_udp;
	u32		max_sessions;
};

/* What we know of one remote node's sync stream, and owe it. */
struct sessha_peer {
	u32		id;		/* 0: a free slot */
	u32		tx_seq;		/* last sequence number sent to it */
	u64		rx_epoch;	/* its epoch, as last seen */
	u32		rx_seq;		/* highest sequence number seen */
	u64		rx_window;	/* bit i: rx_seq - i was seen */
	u16		answer;		/* buckets it asked us for */
	u16		repair;		/* buckets to ask it for */
	u16		mismatch;	/* buckets its last digest disputed */
	bool		digest_pending;
	bool		join_pending;	/* we join once it has answered */
	bool		bulk_rx;	/* its bulk answer is arriving */
	u16		bulk_buckets;
	u32		bulk_start_seq;
	u32		bulk_rx_count;	/* datagrams seen since its start */
	unsigned long	bulk_started;	/* jiffies */
	u16		stale;		/* buckets whose stale replicas go */
	unsigned long	stale_before;	/* jiffies: replicas older than this */
	unsigned long	repair_sent;	/* jiffies of our last request */
	struct sessha_wire_digest digest[SESSHA_WIRE_BUCKETS];	/* its last */
};

struct sessha_keys;

struct sessha_sync {
	spinlock_t		lock;		/* pending, npending */
	struct list_head	pending;	/* struct sessha_sync_batch */
	unsigned int		npending;
	struct delayed_work	flush_work;
	struct socket		*sock;		/* under sn->lock */
	struct work_struct	rebackup_work;	/* after a node changed state */
	bool			claim;		/* rebackup_work after a join */
	struct delayed_work	maint_work;	/* repair, join, digests */
	unsigned long		next_digest;	/* jiffies */
	u64			epoch;
	u8			state;		/* enum sessha_sync_state */
	unsigned long		join_deadline;	/* jiffies */
	struct sessha_keys __rcu *keys;
	spinlock_t		peer_lock;	/* peers[] */
	struct sessha_peer	peers[SESSHA_MAX_NODES];
};

struct sessha_stats {
	u64	cnt[__SESSHA_STAT_MAX];	/* by enum sessha_stat; 0 (pad) unused */
};

struct sessha_net {
	struct net			*net;
	struct mutex			lock;
	struct sessha_config		cfg;	/* writes under lock, READ_ONCE */
	struct sessha_node_table __rcu	*nodes;
	struct hlist_head		svc_by_vip[SESSHA_SERVICE_BUCKETS];
	struct hlist_head		svc_by_id[SESSHA_SERVICE_BUCKETS];
	unsigned int			nservices;
	struct rhashtable		sessions;
	atomic_t			nsessions;
	struct delayed_work		gc_work;
	struct sessha_sync		sync;
	struct sessha_stats __percpu	*stats;
};

extern unsigned int sessha_net_id;
extern struct kmem_cache *sessha_session_cache;

static inline struct sessha_net *sessha_pernet(const struct net *net)
{
	return net_generic(net, sessha_net_id);
}

/*
 * Plain per-CPU increments: exact on 64-bit, where reads cannot tear, and
 * cheap on the packet path.
 */
static inline void sessha_count(struct sessha_net *sn, enum sessha_stat stat)
{
	this_cpu_inc(sn->stats->cnt[stat]);
}

static inline void sessha_count_add(struct sessha_net *sn,
				    enum sessha_stat stat, u64 n)
{
	this_cpu_add(sn->stats->cnt[stat], n);
}

static inline unsigned int sessha_addr_len(u8 family)
{
	return family == AF_INET ? sizeof(__be32) : sizeof(struct in6_addr);
}

static inline bool sessha_addr_equal(u8 family, const union sessha_addr *a,
				     const union sessha_addr *b)
{
	if (family == AF_INET)
		return a->ip == b->ip;
	return ipv6_addr_equal(&a->in6, &b->in6);
}

/* netns.c */
int sessha_netns_register(void);
void sessha_netns_unregister(void);

/* stats.c */
u64 sessha_stat_sum(struct sessha_net *sn, enum sessha_stat stat);

/* node.c */
const struct sessha_node *sessha_node_find(const struct sessha_node_table *t,
					   u32 id);
const struct sessha_node *sessha_node_local(const struct sessha_node_table *t);
int sessha_node_add(struct sessha_net *sn, const struct sessha_node *node,
		    struct netlink_ext_ack *extack);
int sessha_node_del(struct sessha_net *sn, u32 id,
		    struct netlink_ext_ack *extack);
int sessha_node_set_state(struct sessha_net *sn, u32 id, bool up,
			  struct netlink_ext_ack *extack);
void sessha_node_table_free(struct sessha_net *sn);

/* service.c */
struct sessha_service *sessha_service_find_vip(struct sessha_net *sn,
					       u8 family,
					       const union sessha_addr *vip,
					       __be16 port, u8 proto);
struct sessha_service *sessha_service_find(struct sessha_net *sn, u16 id);
int sessha_service_add(struct sessha_net *sn, struct sessha_service *svc,
		       struct netlink_ext_ack *extack);
int sessha_service_del(struct sessha_net *sn, u16 id,
		       struct netlink_ext_ack *extack);
void sessha_service_flush_all(struct sessha_net *sn);
int sessha_backend_add(struct sessha_net *sn, u16 service,
		       const struct sessha_backend *be, u8 family,
		       struct netlink_ext_ack *extack);
int sessha_backend_del(struct sessha_net *sn, u16 service, u16 id,
		       struct netlink_ext_ack *extack);
const struct sessha_backend *
sessha_backend_find(const struct sessha_backend_pool *pool, u16 id);
const struct sessha_backend *sessha_backend_pick(struct sessha_service *svc);

/* policy.c */
void sessha_policy_pick(const struct sessha_node_table *nodes,
			const struct sessha_service *svc,
			const struct sessha_key *key, bool skip_local,
			const struct sessha_node **owner,
			const struct sessha_node **backup);
bool sessha_policy_involves(const struct sessha_node_table *nodes,
			    const struct sessha_service *svc,
			    const struct sessha_key *key, u32 id);
u32 sessha_policy_backup(const struct sessha_node_table *nodes,
			 const struct sessha_service *svc,
			 const struct sessha_key *key);

/* session.c */
int sessha_sessions_init(struct sessha_net *sn);
void sessha_sessions_destroy(struct sessha_net *sn);
struct sessha_session *sessha_session_lookup(struct sessha_net *sn,
					     const struct sessha_key *key);
struct sessha_session *sessha_session_alloc(struct sessha_net *sn,
					    const struct sessha_key *key);
struct sessha_session *sessha_session_insert(struct sessha_net *sn,
					     struct sessha_session *s);
void sessha_session_unlink(struct sessha_net *sn, struct sessha_session *s);
void sessha_session_free(struct sessha_session *s);
unsigned long sessha_session_timeout(struct sessha_net *sn, u8 proto,
				     u8 state);
void sessha_sessions_walk(struct sessha_net *sn,
			  void (*fn)(struct sessha_net *sn,
				     struct sessha_session *s, void *arg),
			  void *arg);
void sessha_sessions_flush_service(struct sessha_net *sn, u16 service);
void sessha_gc_work(struct work_struct *work);

/* hook.c */
int sessha_hooks_register(struct net *net);
void sessha_hooks_unregister(struct net *net);

/* serve.c */
unsigned int sessha_serve(struct sessha_net *sn, struct sk_buff *skb,
			  struct sessha_service *svc,
			  const struct sessha_key *key, u8 tcp_flags,
			  bool tunnelled);

void sessha_session_promote(struct sessha_net *sn, struct sessha_session *s,
			    const struct sessha_service *svc);

void sessha_session_demote(struct sessha_net *sn, struct sessha_session *s,
			   const struct sessha_node_table *nodes,
			   const struct sessha_service *svc);

/* xmit.c */
int sessha_xmit_encap(struct net *net, struct sk_buff *skb, __be32 daddr);
int sessha_xmit_retarget(struct net *net, struct sk_buff *skb, __be32 daddr);

/* socket.c */
int sessha_socket_open(struct sessha_net *sn);
void sessha_socket_close(struct sessha_net *sn);
int sessha_socket_send(struct sessha_net *sn, const struct sessha_node *peer,
		       void *data, size_t len);

/* sync_tx.c */
void sessha_sync_init(struct sessha_net *sn);
void sessha_sync_stop(struct sessha_net *sn);
void sessha_sync_session(struct sessha_net *sn, struct sessha_session *s,
			 u8 op);
void sessha_sync_flush_work(struct work_struct *work);
unsigned int sessha_sync_build(const struct sessha_session *s, u8 op, u8 *buf);
void sessha_rebackup_work(struct work_struct *work);

int sessha_sync_send(struct sessha_net *sn, u32 peer_id, u8 type, u8 *buf,
		     unsigned int len, u16 count);

/* sync_rx.c */
int sessha_sync_rcv(struct sock *sk, struct sk_buff *skb);
void sessha_sync_rx_records(struct sessha_net *sn, const u8 *body,
			    unsigned int count, u32 sender);

/* peer.c */
struct sessha_peer *sessha_peer_get(struct sessha_net *sn, u32 id);
void sessha_peer_forget(struct sessha_net *sn, u32 id);
bool sessha_peer_rx_fresh(struct sessha_peer *p, u64 epoch, u32 seq,
			  bool *gap);

/* auth.c */
int sessha_key_add(struct sessha_net *sn, u8 id, const u8 *key,
		   unsigned int len, struct netlink_ext_ack *extack);
int sessha_key_use(struct sessha_net *sn, u8 id,
		   struct netlink_ext_ack *extack);
int sessha_key_del(struct sessha_net *sn, u8 id,
		   struct netlink_ext_ack *extack);
void sessha_keys_free(struct sessha_net *sn);
int sessha_keys_fill(struct sessha_net *sn, struct sk_buff *skb);
u8 sessha_auth_key_id(struct sessha_net *sn);
int sessha_auth_sign(struct sessha_net *sn, u8 key_id, u32 receiver, u8 *buf,
		     unsigned int len);
enum sessha_stat sessha_auth_verify(struct sessha_net *sn, const u8 *buf,
				    u8 key_id, unsigned int signed_len,
				    const u8 *mac, u32 receiver);

/* repair.c */
void sessha_repair_init(struct sessha_net *sn);
void sessha_repair_join(struct sessha_net *sn, u32 id);
void sessha_repair_kick(struct sessha_net *sn);
void sessha_repair_rx(struct sessha_net *sn, const struct sessha_wire_msg *msg);
void sessha_maint_work(struct work_struct *work);

/* digest.c */
void sessha_maint_digests(struct sessha_net *sn);
unsigned int sessha_flow_bucket(const struct sessha_key *key);

/* netlink.c */
int sessha_genl_register(void);
void sessha_genl_unregister(void);
void sessha_notify_node(struct sessha_net *sn, u32 id, bool up);
void sessha_notify_promote(struct sessha_net *sn,
			   const struct sessha_session *s, u32 old_owner);

#endif /* _SESSHA_H */
