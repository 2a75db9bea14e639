// SPDX-License-Identifier: GPL-2.0
/*
 * The session table: an rhashtable keyed by flow, read under RCU on the
 * packet path. Entries are freed after a grace period. Expiry is gc.c's.
 */
#include <linux/slab.h>

#include "session.h"
#include "tally.h"

#define SESSHA_WALK_CHUNK	256	/* entries per RCU section of a walk */

static const struct rhashtable_params sessha_session_params = {
	.head_offset		= offsetof(struct sessha_session, hnode),
	.key_offset		= offsetof(struct sessha_session, key),
	.key_len		= sizeof(struct sessha_key),
	.automatic_shrinking	= true,
};

int sessha_sessions_init(struct sessha_net *sn)
{
	int err = sessha_tally_init(sn);

	if (err)
		return err;
	err = rhashtable_init(&sn->sessions, &sessha_session_params);
	if (err)
		sessha_tally_destroy(sn);
	return err;
}

static void sessha_session_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(sessha_session_cache,
			container_of(head, struct sessha_session, rcu));
}

void sessha_session_free(struct sessha_session *s)
{
	call_rcu(&s->rcu, sessha_session_free_rcu);
}

static void sessha_session_destroy_one(void *ptr, void *arg)
{
	kmem_cache_free(sessha_session_cache, ptr);
}

/* Only once nothing can look the table up any more. */
void sessha_sessions_destroy(struct sessha_net *sn)
{
	rhashtable_free_and_destroy(&sn->sessions, sessha_session_destroy_one,
				    NULL);
	atomic_set(&sn->nsessions, 0);
	sessha_tally_destroy(sn);
}

struct sessha_session *sessha_session_lookup(struct sessha_net *sn,
					     const struct sessha_key *key)
{
	return rhashtable_lookup(&sn->sessions, key, sessha_session_params);
}

/* A zeroed entry for @key, or NULL when the table is full or memory is. */
struct sessha_session *sessha_session_alloc(struct sessha_net *sn,
					    const struct sessha_key *key)
{
	struct sessha_session *s;

	if (atomic_inc_return(&sn->nsessions) > READ_ONCE(sn->cfg.max_sessions)) {
		atomic_dec(&sn->nsessions);
		sessha_count(sn, SESSHA_STAT_DROP_TABLE_FULL);
		return NULL;
	}
	s = kmem_cache_zalloc(sessha_session_cache, GFP_ATOMIC);
	if (!s) {
		atomic_dec(&sn->nsessions);
		sessha_count(sn, SESSHA_STAT_DROP_NOMEM);
		return NULL;
	}
	s->key = *key;
	spin_lock_init(&s->lock);
	return s;
}

/*
 * Insert @s. If another CPU inserted the same flow first, @s is freed and
 * the winner returned; NULL if the insertion failed.
 */
struct sessha_session *sessha_session_insert(struct sessha_net *sn,
					     struct sessha_session *s)
{
	struct sessha_session *old;

	old = rhashtable_lookup_get_insert_fast(&sn->sessions, &s->hnode,
						sessha_session_params);
	if (!old)
		return s;
	kmem_cache_free(sessha_session_cache, s);
	atomic_dec(&sn->nsessions);
	if (IS_ERR(old)) {
		sessha_count(sn, SESSHA_STAT_DROP_NOMEM);
		return NULL;
	}
	return old;
}

/*
 * Marks @s dead, under s->lock: whoever finds it afterwards treats it as
 * gone, so that a refresh or an update racing its removal is not applied
 * to an entry about to be freed. False if it already was dead: its killer
 * removes it.
 */
bool sessha_session_kill(struct sessha_net *sn, struct sessha_session *s)
{
	lockdep_assert_held(&s->lock);
	if (s->dead)
		return false;
	s->dead = true;
	sessha_tally_set(sn, s, SESSHA_TALLY_NONE, 0);
	return true;
}

/* Takes a killed @s out of the table; freed after a grace period. */
void sessha_session_remove(struct sessha_net *sn, struct sessha_session *s)
{
	if (rhashtable_remove_fast(&sn->sessions, &s->hnode,
				   sessha_session_params))
		return;
	atomic_dec(&sn->nsessions);
	sessha_session_free(s);
}

void sessha_session_unlink(struct sessha_net *sn, struct sessha_session *s)
{
	bool killed;

	spin_lock_bh(&s->lock);
	killed = sessha_session_kill(sn, s);
	spin_unlock_bh(&s->lock);
	if (killed)
		sessha_session_remove(sn, s);
}

unsigned long sessha_session_timeout(struct sessha_net *sn, u8 proto,
				     u8 state)
{
	u32 secs;

	if (proto == IPPROTO_UDP)
		secs = READ_ONCE(sn->cfg.timeout_udp);
	else if (state == SESSHA_STATE_ESTABLISHED)
		secs = READ_ONCE(sn->cfg.timeout_tcp);
	else
		secs = READ_ONCE(sn->cfg.timeout_tcp_fin);
	return secs * HZ;
}

/*
 * Calls @fn on every entry, under RCU; @fn may unlink it. The walk leaves
 * RCU and yields the CPU every SESSHA_WALK_CHUNK entries, so a million
 * sessions never make one long read-side section: process context only,
 * and @fn keeps no pointer from one entry to the next. A resize in
 * between may show some entries twice.
 */
void sessha_sessions_walk(struct sessha_net *sn,
			  void (*fn)(struct sessha_net *sn,
				     struct sessha_session *s, void *arg),
			  void *arg)
{
	struct rhashtable_iter iter;
	struct sessha_session *s;
	unsigned int n = 0;

	might_sleep();
	rhashtable_walk_enter(&sn->sessions, &iter);
	rhashtable_walk_start(&iter);
	while ((s = rhashtable_walk_next(&iter)) != NULL) {
		if (IS_ERR(s))
			continue;	/* -EAGAIN: resized, go on */
		fn(sn, s, arg);
		if (++n % SESSHA_WALK_CHUNK)
			continue;
		rhashtable_walk_stop(&iter);
		cond_resched();
		rhashtable_walk_start(&iter);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static void sessha_flush_one(struct sessha_net *sn, struct sessha_session *s,
			     void *arg)
{
	if (s->key.service == *(u16 *)arg)
		sessha_session_unlink(sn, s);
}

void sessha_sessions_flush_service(struct sessha_net *sn, u16 service)
{
	sessha_sessions_walk(sn, sessha_flush_one, &service);
}
