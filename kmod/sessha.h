/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sessha: what every file of the module needs: the per-namespace state,
 * addresses and counters. Each concern declares its own functions in its
 * own header (node.h, session.h, sync_tx.h, ...); the layers they form are
 * drawn at the top of Documentation/design.rst.
 *
 * Locking, per network namespace:
 * - sn->lock (mutex) serialises configuration: node table, services,
 *   backend pools, the sync socket. Readers on the packet path use RCU.
 * - The node table and every backend pool are immutable snapshots, replaced
 *   whole under sn->lock and freed after a grace period, so a reader sees
 *   one consistent version.
 * - Sessions live in an rhashtable; fields that change after insertion are
 *   guarded by the session's own spinlock.
 * - sn->sync.lock guards the send queue, sn->sync.peer_lock the peers,
 *   sn->sync.tx_lock the socket while a datagram is numbered, signed and
 *   sent: senders need neither sn->lock nor a table-wide lock.
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

/* What identifies a flow; the VIP, port and protocol are the service's. */
struct sessha_key {
	union sessha_addr	client;
	__be16			cport;
	u16			service;
	u8			family;
	u8			pad[3];
};

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
	u32		hole_from;	/* first number skipped; 0: none */
	unsigned long	hole_since;	/* jiffies: when it was skipped */
	u16		answer;		/* buckets it asked us for */
	u16		repair;		/* buckets to ask it for */
	u16		mismatch;	/* buckets its last digest disputed */
	bool		join_pending;	/* we join once it has answered */
	bool		bulk_rx;	/* its bulk answer is arriving */
	u16		bulk_buckets;
	u32		bulk_start_seq;
	u32		bulk_rx_count;	/* datagrams seen since its start */
	unsigned long	bulk_started;	/* jiffies */
	u16		stale;		/* buckets whose stale replicas go */
	unsigned long	stale_before;	/* jiffies: replicas older than this */
	unsigned long	repair_sent;	/* jiffies of our last request */
	/* Its numbers we found lost and ask it for again (resend.c). */
	u64		ask_epoch;
	u32		ask_from;	/* 0: nothing to ask */
	u32		ask_to;
	/* Our numbers it asked for again. */
	u64		owe_epoch;
	u32		owe_from;	/* 0: nothing owed */
	u32		owe_to;
	u32		kept_floor;	/* ours below it are no longer kept */
	bool		config_heard;	/* its configuration digest came */
	bool		config_differs;	/* and was not ours */
};

struct sessha_keys;
struct sessha_sync_batch;

/* The sync transport: socket, send queue, peers' streams, keys. */
struct sessha_sync {
	spinlock_t		lock;		/* pending, npending, open */
	struct list_head	pending;	/* struct sessha_sync_batch */
	unsigned int		npending;
	unsigned int		nopen;		/* peers with a batch filling */
	struct sessha_sync_batch *open[SESSHA_MAX_NODES];	/* newest */
	bool			flush_armed;	/* a flush is on its way */
	ktime_t			last_flush;
	struct hrtimer		flush_timer;	/* the window's end */
	struct work_struct	flush_work;	/* on flush_wq */
	struct workqueue_struct	*flush_wq;	/* high priority: the lag */
	struct mutex		tx_lock;	/* sock; a datagram's seq, MAC, send */
	struct socket		*sock;		/* written under sn->lock too */
	u64			epoch;
	struct sessha_keys __rcu *keys;
	spinlock_t		peer_lock;	/* peers[] */
	struct sessha_peer	peers[SESSHA_MAX_NODES];
	struct mutex		kept_lock;	/* kept, nkept */
	struct list_head	kept;		/* sent batches, oldest first */
	unsigned int		nkept;
};

/* Replication: the workers that keep replicas whole and roles right. */
struct sessha_repl {
	struct workqueue_struct	*wq;		/* the table walks: below */
	struct work_struct	roles_work;	/* after a node changed state */
	bool			claim;		/* roles_work after a join */
	struct delayed_work	maint_work;	/* repair, join, digests */
	unsigned long		next_digest;	/* jiffies */
	u64			confsum;	/* ours, as of the last digest */
	u8			state;		/* enum sessha_sync_state */
	unsigned long		join_deadline;	/* jiffies */
	struct delayed_work	gc_work;
	struct rhashtable_iter	gc_iter;	/* where the GC pass stands */
	bool			gc_walking;	/* gc_iter entered */
	unsigned int		gc_runs;	/* a large table's pass, in runs */
	unsigned int		gc_seen;	/* entries looked at this pass */
	unsigned int		gc_expired;	/* of which expired */
};

struct sessha_stats {
	u64	cnt[__SESSHA_STAT_MAX];	/* by enum sessha_stat; 0 (pad) unused */
};

struct sessha_events;
struct sessha_node_table;
struct sessha_tallies;

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
	struct sessha_tallies		*tally;	/* tally.c */
	struct sessha_sync		sync;
	struct sessha_repl		repl;
	const struct sessha_events	*events;	/* events.h */
	struct sessha_stats __percpu	*stats;
};

extern unsigned int sessha_net_id;

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

#endif /* _SESSHA_H */
