// SPDX-License-Identifier: GPL-2.0
/*
 * Running digests of the table, the anti-entropy check's two sides. Per
 * peer and flow-hash bucket: the flows we serve whose record went to that
 * peer as their backup ("told"), and the replicas we hold whose owner is
 * that peer ("held"); for each, a count and a sum of one hash per flow.
 * An entry is in at most one tally; every change of an entry's role,
 * owner, backup or backend moves it, under s->lock, so that a digest is
 * a copy of 16 numbers and never a walk of the table.
 */
#include <linux/jhash.h>
#include <linux/siphash.h>
#include <linux/slab.h>

#include "policy.h"
#include "tally.h"

struct sessha_tally_peer {
	u32				peer;	/* 0: a free slot */
	struct sessha_wire_digest	told[SESSHA_WIRE_BUCKETS];
	struct sessha_wire_digest	held[SESSHA_WIRE_BUCKETS];
};

struct sessha_tallies {
	spinlock_t			lock;
	struct sessha_tally_peer	t[SESSHA_MAX_NODES];
};

static const siphash_key_t sessha_tally_key = {
	.key = { 0x7365737368612d64ULL, 0x6967657374000000ULL }
};

static u64 sessha_tally_hash(const struct sessha_session *s, u16 backend)
{
	return siphash_3u32(backend << 16 | s->key.service,
			    ntohs(s->key.cport) << 16 | s->key.family,
			    jhash(&s->key.client, sizeof(s->key.client), 0),
			    &sessha_tally_key);
}

/* @peer's slot; with @take, a free one if it has none. Under the lock. */
static struct sessha_tally_peer *sessha_tally_slot(struct sessha_tallies *ts,
						   u32 peer, bool take)
{
	struct sessha_tally_peer *free = NULL;
	unsigned int i;

	for (i = 0; i < SESSHA_MAX_NODES; i++) {
		if (ts->t[i].peer == peer)
			return &ts->t[i];
		if (!ts->t[i].peer && !free)
			free = &ts->t[i];
	}
	if (!take || !free)
		return NULL;
	memset(free, 0, sizeof(*free));
	free->peer = peer;
	return free;
}

static void sessha_tally_add(struct sessha_tallies *ts, u8 kind, u32 peer,
			     unsigned int bucket, u64 hash, int sign)
{
	struct sessha_tally_peer *t;
	struct sessha_wire_digest *d;

	if (kind == SESSHA_TALLY_NONE)
		return;
	t = sessha_tally_slot(ts, peer, sign > 0);
	if (!t)
		return;
	d = kind == SESSHA_TALLY_TOLD ? &t->told[bucket] : &t->held[bucket];
	d->sessions += sign;
	d->sum += sign > 0 ? hash : -hash;
}

/*
 * Moves @s to tally @kind of @peer, with its current backend; idempotent.
 * Under s->lock, any context.
 */
void sessha_tally_set(struct sessha_net *sn, struct sessha_session *s,
		      u8 kind, u32 peer)
{
	struct sessha_tallies *ts = sn->tally;
	unsigned int bucket;

	lockdep_assert_held(&s->lock);
	if (kind == SESSHA_TALLY_NONE)
		peer = 0;
	if (s->tally_kind == kind && s->tally_peer == peer &&
	    (kind == SESSHA_TALLY_NONE || s->tally_backend == s->backend_id))
		return;
	bucket = sessha_flow_bucket(&s->key);
	spin_lock_bh(&ts->lock);
	sessha_tally_add(ts, s->tally_kind, s->tally_peer, bucket,
			 sessha_tally_hash(s, s->tally_backend), -1);
	sessha_tally_add(ts, kind, peer, bucket,
			 sessha_tally_hash(s, s->backend_id), 1);
	spin_unlock_bh(&ts->lock);
	s->tally_kind = kind;
	s->tally_peer = peer;
	s->tally_backend = s->backend_id;
}

/* What @peer should hold of ours, bucket by bucket. */
void sessha_tally_told(struct sessha_net *sn, u32 peer,
		       struct sessha_wire_digest *out)
{
	struct sessha_tallies *ts = sn->tally;
	struct sessha_tally_peer *t;

	spin_lock_bh(&ts->lock);
	t = sessha_tally_slot(ts, peer, false);
	if (t)
		memcpy(out, t->told, sizeof(t->told));
	else
		memset(out, 0, sizeof(t->told));
	spin_unlock_bh(&ts->lock);
}

/* The buckets where @theirs, @peer's digest, and our replicas disagree. */
u16 sessha_tally_held_diff(struct sessha_net *sn, u32 peer,
			   const struct sessha_wire_digest *theirs)
{
	static const struct sessha_wire_digest none;
	struct sessha_tallies *ts = sn->tally;
	const struct sessha_wire_digest *have;
	struct sessha_tally_peer *t;
	unsigned int b;
	u16 diff = 0;

	spin_lock_bh(&ts->lock);
	t = sessha_tally_slot(ts, peer, false);
	for (b = 0; b < SESSHA_WIRE_BUCKETS; b++) {
		have = t ? &t->held[b] : &none;
		if (have->sessions != theirs[b].sessions ||
		    have->sum != theirs[b].sum)
			diff |= BIT(b);
	}
	spin_unlock_bh(&ts->lock);
	return diff;
}

/*
 * Node @peer was deleted: its tallies go. Entries still naming it leave
 * it as roles are reconciled, taking nothing from a slot it no longer has.
 */
void sessha_tally_forget(struct sessha_net *sn, u32 peer)
{
	struct sessha_tallies *ts = sn->tally;
	struct sessha_tally_peer *t;

	spin_lock_bh(&ts->lock);
	t = sessha_tally_slot(ts, peer, false);
	if (t)
		memset(t, 0, sizeof(*t));
	spin_unlock_bh(&ts->lock);
}

int sessha_tally_init(struct sessha_net *sn)
{
	sn->tally = kvzalloc(sizeof(*sn->tally), GFP_KERNEL);
	if (!sn->tally)
		return -ENOMEM;
	spin_lock_init(&sn->tally->lock);
	return 0;
}

void sessha_tally_destroy(struct sessha_net *sn)
{
	kvfree(sn->tally);
	sn->tally = NULL;
}
