// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-entropy digests. Per peer and per flow-hash bucket: how many of
 * our flows the peer should hold as replicas, and a sum of their hashes.
 * The peer computes the same over the replicas it holds from us and asks
 * for the buckets that differ. One walk of the table serves both sides.
 */
#include <linux/jhash.h>
#include <linux/siphash.h>
#include <linux/slab.h>

#include "digest.h"
#include "node.h"
#include "peer.h"
#include "policy.h"
#include "session.h"
#include "sync_tx.h"

#define SESSHA_DIGEST_PERIOD	HZ

static const siphash_key_t sessha_digest_key = {
	.key = { 0x7365737368612d64ULL, 0x6967657374000000ULL }
};

struct sessha_digests {
	unsigned int			n;
	u32				peer[SESSHA_MAX_NODES];
	struct sessha_wire_digest	ours[SESSHA_MAX_NODES][SESSHA_WIRE_BUCKETS];
	struct sessha_wire_digest	theirs[SESSHA_MAX_NODES][SESSHA_WIRE_BUCKETS];
};

static int sessha_digests_index(const struct sessha_digests *d, u32 peer)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (d->peer[i] == peer)
			return i;
	return -1;
}

static void sessha_digest_add(struct sessha_wire_digest *d,
			      const struct sessha_session *s)
{
	d->sessions++;
	d->sum += siphash_3u32(s->backend_id << 16 | s->key.service,
			       ntohs(s->key.cport) << 16 | s->key.family,
			       jhash(&s->key.client, sizeof(s->key.client), 0),
			       &sessha_digest_key);
}

/* Flows we serve count for their backup; replicas count for their owner. */
static void sessha_digest_one(struct sessha_net *sn, struct sessha_session *s,
			      void *arg)
{
	struct sessha_digests *d = arg;
	unsigned int bucket = sessha_flow_bucket(&s->key);
	int i;

	if (READ_ONCE(s->role) == SESSHA_ROLE_OWNER) {
		i = sessha_digests_index(d, READ_ONCE(s->backup));
		if (i >= 0)
			sessha_digest_add(&d->ours[i][bucket], s);
	} else {
		i = sessha_digests_index(d, READ_ONCE(s->owner));
		if (i >= 0)
			sessha_digest_add(&d->theirs[i][bucket], s);
	}
}

static void sessha_digest_send(struct sessha_net *sn,
			       const struct sessha_digests *d, unsigned int i)
{
	u8 buf[SESSHA_WIRE_HDR_LEN + SESSHA_WIRE_BUCKETS * SESSHA_WIRE_DIGEST_LEN +
	       SESSHA_WIRE_MAC_LEN];
	unsigned int b, len = SESSHA_WIRE_HDR_LEN;

	for (b = 0; b < SESSHA_WIRE_BUCKETS; b++)
		len += sessha_wire_put_digest(buf + len, &d->ours[i][b]);
	if (sessha_sync_send(sn, d->peer[i], SESSHA_WIRE_DIGEST, buf, len,
			     SESSHA_WIRE_BUCKETS) > 0)
		sessha_count(sn, SESSHA_STAT_SYNC_DIGESTS_TX);
}

/* Buckets where the peer's digest and our replicas disagree. */
static u16 sessha_digest_diff(const struct sessha_wire_digest *want,
			      const struct sessha_wire_digest *have)
{
	unsigned int b;
	u16 diff = 0;

	for (b = 0; b < SESSHA_WIRE_BUCKETS; b++)
		if (want[b].sessions != have[b].sessions ||
		    want[b].sum != have[b].sum)
			diff |= BIT(b);
	return diff;
}

/*
 * Acts on the digests peers sent; a bucket must differ twice in a row.
 * True if that found buckets to repair.
 */
static bool sessha_digest_compare(struct sessha_net *sn,
				  const struct sessha_digests *d)
{
	unsigned int i;
	bool repair = false;

	spin_lock_bh(&sn->sync.peer_lock);
	for (i = 0; i < d->n; i++) {
		struct sessha_peer *p = sessha_peer_get(sn, d->peer[i]);
		u16 diff;

		if (!p || !p->digest_pending)
			continue;
		p->digest_pending = false;
		diff = sessha_digest_diff(p->digest, d->theirs[i]);
		if (diff & p->mismatch) {
			p->repair |= diff & p->mismatch;
			sessha_count_add(sn, SESSHA_STAT_SYNC_DIGEST_MISMATCHES,
					 hweight16(diff & p->mismatch));
			repair = true;
		}
		p->mismatch = diff;
	}
	spin_unlock_bh(&sn->sync.peer_lock);
	return repair;
}

static bool sessha_digest_pending(struct sessha_net *sn)
{
	bool pending = false;
	unsigned int i;

	spin_lock_bh(&sn->sync.peer_lock);
	for (i = 0; i < SESSHA_MAX_NODES; i++)
		pending |= sn->sync.peers[i].id && sn->sync.peers[i].digest_pending;
	spin_unlock_bh(&sn->sync.peer_lock);
	return pending;
}

/*
 * The maintenance worker's: send ours when due, compare theirs when they
 * came. True if buckets are now due for repair.
 */
bool sessha_digests_run(struct sessha_net *sn)
{
	const struct sessha_node_table *nodes;
	bool due = time_after_eq(jiffies, sn->repl.next_digest);
	struct sessha_digests *d;
	unsigned int i;
	bool repair;

	if (!due && !sessha_digest_pending(sn))
		return false;
	d = kvzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return false;
	rcu_read_lock();
	nodes = rcu_dereference(sn->nodes);
	for (i = 0; nodes && i < nodes->count; i++)
		if (!nodes->node[i].local && nodes->node[i].up)
			d->peer[d->n++] = nodes->node[i].id;
	rcu_read_unlock();
	sessha_sessions_walk(sn, sessha_digest_one, d);

	repair = sessha_digest_compare(sn, d);
	if (due) {
		sn->repl.next_digest = jiffies + SESSHA_DIGEST_PERIOD;
		for (i = 0; i < d->n; i++)
			sessha_digest_send(sn, d, i);
	}
	kvfree(d);
	return repair;
}
