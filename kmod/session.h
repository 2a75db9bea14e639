/* SPDX-License-Identifier: GPL-2.0 */
/* The session table (session.c). */
#ifndef _SESSHA_SESSION_H
#define _SESSHA_SESSION_H

#include "sessha.h"

struct sessha_session {
	struct rhash_head	hnode;
	struct sessha_key	key;
	spinlock_t		lock;
	u8			state;		/* enum sessha_session_state */
	u8			role;		/* enum sessha_session_role */
	bool			dead;		/* being removed: ignore it */
	u8			tally_kind;	/* tally.h: where it is counted */
	u16			backend_id;
	u16			tally_backend;	/* backend_id when counted */
	union sessha_addr	backend_addr;
	u8			backend_family;	/* of backend_addr */
	u32			owner;		/* node id serving the flow */
	u32			backup;		/* node id holding our replica */
	u32			tally_peer;	/* the peer it is counted for */
	/* Jiffies' low half: 4 bytes fewer; compared over days, not months. */
	u32			synced;		/* jiffies of the last sync */
	unsigned long		expires;	/* jiffies */
	struct rcu_head		rcu;
};

/* gc.c looks at every entry at least this often. */
#define SESSHA_GC_PASS_MAX	(64 * HZ)

extern struct kmem_cache *sessha_session_cache;

int sessha_sessions_init(struct sessha_net *sn);
void sessha_sessions_destroy(struct sessha_net *sn);
struct sessha_session *sessha_session_lookup(struct sessha_net *sn,
					     const struct sessha_key *key);
struct sessha_session *sessha_session_alloc(struct sessha_net *sn,
					    const struct sessha_key *key);
struct sessha_session *sessha_session_insert(struct sessha_net *sn,
					     struct sessha_session *s);
bool sessha_session_kill(struct sessha_net *sn, struct sessha_session *s);
void sessha_session_remove(struct sessha_net *sn, struct sessha_session *s);
void sessha_session_unlink(struct sessha_net *sn, struct sessha_session *s);
void sessha_session_free(struct sessha_session *s);
unsigned long sessha_session_timeout(struct sessha_net *sn, u8 proto,
				     u8 state);
void sessha_sessions_walk(struct sessha_net *sn,
			  void (*fn)(struct sessha_net *sn,
				     struct sessha_session *s, void *arg),
			  void *arg);
void sessha_sessions_flush_service(struct sessha_net *sn, u16 service);

#endif /* _SESSHA_SESSION_H */
