// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping replicas whole when datagrams are lost or a node (re)joins.
 *
 * - Bulk transfer: a node asks a peer for every flow the peer serves that
 *   it should hold (BULK_REQUEST, with a mask of flow-hash buckets); the
 *   peer answers with BULK_START, paced SESSIONS datagrams and BULK_END.
 *   A complete answer (no sequence number missing in between) also
 *   deletes the requester's replicas from that peer, in those buckets,
 *   that the answer did not refresh.
 * - Gaps: a receiver that sees sequence numbers lost asks the sender for
 *   them again (resend.c); one that joined a stream midway asks for a
 *   bulk transfer of every bucket.
 * - Anti-entropy: once a second each owner sends each peer a digest, per
 *   bucket, of the sessions it expects the peer to hold (digest.c); the
 *   peer asks for the buckets that differ twice in a row.
 * - Join: a node whose local node is added asks every peer that is up for
 *   a bulk transfer and reports itself ready when all have answered.
 *
 * Everything here runs in one worker, every 250 ms while the namespace
 * has a local node. Only the join's bookkeeping takes sn->lock: bulk
 * answers and stale passes walk the table under RCU and sleep
 * between datagrams, so they never hold up the controller or the sender.
 */
#include <linux/slab.h>

#include "digest.h"
#include "node.h"
#include "peer.h"
#include "policy.h"
#include "record.h"
#include "repair.h"
#include "resend.h"
#include "roles.h"
#include "sync_tx.h"
#include "tally.h"

#define SESSHA_MAINT_PERIOD	(HZ / 4)
#define SESSHA_REPAIR_HOLDOFF	(HZ / 2)
#define SESSHA_JOIN_TIMEOUT	(30 * HZ)
#define SESSHA_BULK_PACE	32	/* datagrams between short pauses */
#define SESSHA_BULK_JOIN	1	/* BULK_REQUEST seq field: a join */

void sessha_repair_kick(struct sessha_net *sn)
{
	mod_delayed_work(sn->repl.wq, &sn->repl.maint_work, 0);
}

/* A number went missing: look again once it can no longer be late. */
void sessha_repair_kick_hole(struct sessha_net *sn)
{
	mod_delayed_work(sn->repl.wq, &sn->repl.maint_work,
			 SESSHA_REORDER_WAIT + 1);
}

/*
 * Join: the local node was added (@id 0), or node @id was added while we
 * have one. Ask each such node that is up for the flows we should hold;
 * we are ready when all have answered. A node being configured from
 * scratch thus joins whatever order its nodes are added in. Adding a
 * service or a backend joins again: records for them were refused until
 * now.
 */
void sessha_repair_join(struct sessha_net *sn, u32 id)
{
	const struct sessha_node_table *nodes;
	struct sessha_peer *p;
	unsigned int i;

	lockdep_assert_held(&sn->lock);
	nodes = sessha_nodes_locked(sn);
	if (!sessha_node_local(nodes))
		return;
	if (READ_ONCE(sn->cfg.sync_join) && READ_ONCE(sn->cfg.sync_enabled)) {
		spin_lock_bh(&sn->sync.peer_lock);
		for (i = 0; i < nodes->count; i++) {
			if (nodes->node[i].local || !nodes->node[i].up ||
			    (id && nodes->node[i].id != id))
				continue;
			p = sessha_peer_get(sn, nodes->node[i].id);
			if (!p)
				continue;
			p->join_pending = true;
			p->repair = SESSHA_WIRE_ALL_BUCKETS;
			/* Let a burst of configuration settle: ask once. */
			p->repair_sent = jiffies;
			/* An answer under way may carry refused records. */
			p->bulk_rx = false;
			sn->repl.state = SESSHA_SYNC_JOINING;
		}
		spin_unlock_bh(&sn->sync.peer_lock);
	}
	sn->repl.join_deadline = jiffies + SESSHA_JOIN_TIMEOUT;
	sessha_repair_kick(sn);
}

/* Softirq: a control datagram from @msg->sender, verified. */
void sessha_repair_rx(struct sessha_net *sn, const struct sessha_wire_msg *msg)
{
	struct sessha_wire_ctl ctl = {};
	struct sessha_peer *p;
	u16 diff = 0;

	if (msg->type == SESSHA_WIRE_CONFIG) {
		sessha_confsum_rx(sn, msg);
		return;
	}
	if (msg->type == SESSHA_WIRE_RESEND) {
		sessha_resend_rx(sn, msg);
		sessha_repair_kick(sn);
		return;
	}
	if (msg->type == SESSHA_WIRE_DIGEST)
		diff = sessha_digest_check(sn, msg);
	else
		sessha_wire_get_ctl(msg, &ctl);
	spin_lock(&sn->sync.peer_lock);
	p = sessha_peer_get(sn, msg->sender);
	if (!p)
		goto out;
	switch (msg->type) {
	case SESSHA_WIRE_BULK_REQUEST:
		p->answer |= ctl.buckets;
		break;
	case SESSHA_WIRE_BULK_START:
		p->bulk_rx = true;
		p->bulk_buckets = ctl.buckets;
		p->bulk_start_seq = msg->seq;
		p->bulk_rx_count = 0;
		p->bulk_started = jiffies;
		break;
	case SESSHA_WIRE_BULK_END:
		if (!p->bulk_rx || ctl.seq != p->bulk_start_seq)
			break;
		p->bulk_rx = false;
		if (p->bulk_rx_count != msg->seq - p->bulk_start_seq) {
			sessha_count(sn, SESSHA_STAT_SYNC_BULK_INCOMPLETE);
			break;	/* p->repair still asks again */
		}
		p->repair &= ~p->bulk_buckets;
		/* A partial answer, sent unasked after a drop, is no join's. */
		if (p->bulk_buckets == SESSHA_WIRE_ALL_BUCKETS)
			p->join_pending = false;
		p->stale |= p->bulk_buckets;
		p->stale_before = p->bulk_started;
		break;
	case SESSHA_WIRE_DIGEST:
		/*
		 * Numbers before it are missing: they explain the
		 * difference, and are asked for again (resend.c).
		 */
		if (p->hole_from)
			break;
		/* Twice in a row: once may be a datagram overtaken. */
		if (diff & p->mismatch) {
			p->repair |= diff & p->mismatch;
			sessha_count_add(sn, SESSHA_STAT_SYNC_DIGEST_MISMATCHES,
					 hweight16(diff & p->mismatch));
		}
		p->mismatch = diff;
		break;
	}
out:
	spin_unlock(&sn->sync.peer_lock);
	if (msg->type != SESSHA_WIRE_DIGEST || diff)
		sessha_repair_kick(sn);
}

static int sessha_send_ctl(struct sessha_net *sn, u32 peer, u8 type,
			   u16 buckets, u32 seq)
{
	u8 buf[SESSHA_WIRE_HDR_LEN + SESSHA_WIRE_CTL_LEN + SESSHA_WIRE_MAC_LEN];
	struct sessha_wire_ctl ctl = { .buckets = buckets, .seq = seq };

	sessha_wire_put_ctl(buf + SESSHA_WIRE_HDR_LEN, &ctl);
	return sessha_sync_send(sn, peer, type, buf,
				SESSHA_WIRE_HDR_LEN + SESSHA_WIRE_CTL_LEN, 0);
}

/* Asks peers for the buckets we miss, at most every holdoff per peer. */
static void sessha_maint_requests(struct sessha_net *sn)
{
	u32 ids[SESSHA_MAX_NODES], join[SESSHA_MAX_NODES];
	const struct sessha_node_table *nodes;
	u16 buckets[SESSHA_MAX_NODES];
	const struct sessha_node *node;
	unsigned int i, n = 0;

	rcu_read_lock();
	nodes = rcu_dereference(sn->nodes);
	spin_lock_bh(&sn->sync.peer_lock);
	for (i = 0; i < SESSHA_MAX_NODES; i++) {
		struct sessha_peer *p = &sn->sync.peers[i];

		if (!p->id || !p->repair ||
		    time_before(jiffies, p->repair_sent + SESSHA_REPAIR_HOLDOFF))
			continue;
		node = sessha_node_find(nodes, p->id);
		if (!node || !node->up)
			continue;	/* asked again once it is back */
		p->repair_sent = jiffies;
		ids[n] = p->id;
		join[n] = p->join_pending ? SESSHA_BULK_JOIN : 0;
		buckets[n++] = p->repair;
	}
	spin_unlock_bh(&sn->sync.peer_lock);
	rcu_read_unlock();

	for (i = 0; i < n; i++)
		if (sessha_send_ctl(sn, ids[i], SESSHA_WIRE_BULK_REQUEST,
				    buckets[i], join[i]) > 0)
			sessha_count(sn, SESSHA_STAT_SYNC_BULK_REQUESTS);
}

/* Would @peer, asking for @buckets, want to hold this flow we serve? */
static bool sessha_bulk_wants(struct sessha_net *sn, struct sessha_session *s,
			      u32 peer, u16 buckets)
{
	struct sessha_service *svc;

	if (READ_ONCE(s->role) != SESSHA_ROLE_OWNER ||
	    !(buckets & BIT(sessha_flow_bucket(&s->key))) ||
	    !sessha_record_due(s))
		return false;
	if (READ_ONCE(s->backup) == peer)
		return true;
	svc = sessha_service_find(sn, s->key.service);
	return svc && sessha_policy_involves(rcu_dereference(sn->nodes), svc,
					     &s->key, peer);
}

/*
 * The peer, our flow's backup, will hold what the answer sends: count it
 * there, whatever the tally said before (a record dropped, sync off).
 */
static void sessha_bulk_tally(struct sessha_net *sn, struct sessha_session *s,
			      u32 peer)
{
	spin_lock_bh(&s->lock);
	if (!s->dead && s->role == SESSHA_ROLE_OWNER && s->backup == peer)
		sessha_tally_set(sn, s, SESSHA_TALLY_TOLD, peer);
	spin_unlock_bh(&s->lock);
}

struct sessha_bulk {
	u32		peer;
	u16		buckets;
	unsigned int	len;
	unsigned int	count;
	unsigned int	sent;
	u8		buf[SESSHA_WIRE_MAX_LEN];
};

static void sessha_bulk_flush(struct sessha_net *sn, struct sessha_bulk *b)
{
	if (!b->count)
		return;
	if (sessha_sync_send(sn, b->peer, SESSHA_WIRE_SESSIONS, b->buf, b->len,
			     b->count) > 0)
		sessha_count_add(sn, SESSHA_STAT_SYNC_BULK_RECORDS, b->count);
	b->len = SESSHA_WIRE_HDR_LEN;
	b->count = 0;
	/* Pace: let the receiver's backlog drain now and then. */
	if (!(++b->sent % SESSHA_BULK_PACE))
		usleep_range(500, 1000);
}

/* Sends @b->peer every flow it should hold, paced, between markers. */
static void sessha_bulk_answer(struct sessha_net *sn, struct sessha_bulk *b)
{
	u8 rec[SESSHA_WIRE_REC_MAX];
	struct rhashtable_iter iter;
	struct sessha_session *s;
	unsigned int len;
	int start;

	start = sessha_send_ctl(sn, b->peer, SESSHA_WIRE_BULK_START,
				b->buckets, 0);
	if (start <= 0)
		return;
	b->len = SESSHA_WIRE_HDR_LEN;
	b->count = 0;

	rhashtable_walk_enter(&sn->sessions, &iter);
	rhashtable_walk_start(&iter);
	while ((s = rhashtable_walk_next(&iter)) != NULL) {
		if (IS_ERR(s) || !sessha_bulk_wants(sn, s, b->peer, b->buckets))
			continue;
		/* Copied now: @s may be freed once we leave RCU below. */
		len = sessha_record_build(sn, s, SESSHA_WIRE_OP_UPDATE, rec);
		sessha_bulk_tally(sn, s, b->peer);
		if (b->len + len + SESSHA_WIRE_MAC_LEN > sizeof(b->buf)) {
			/* Sending may sleep: leave RCU, resume afterwards. */
			rhashtable_walk_stop(&iter);
			sessha_bulk_flush(sn, b);
			rhashtable_walk_start(&iter);
		}
		memcpy(b->buf + b->len, rec, len);
		b->len += len;
		b->count++;
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	sessha_bulk_flush(sn, b);
	sessha_send_ctl(sn, b->peer, SESSHA_WIRE_BULK_END, b->buckets, start);
	sessha_count(sn, SESSHA_STAT_SYNC_BULK_ANSWERS);
}

static void sessha_maint_answers(struct sessha_net *sn)
{
	struct sessha_bulk *b = NULL;
	unsigned int i;

	for (i = 0; i < SESSHA_MAX_NODES; i++) {
		struct sessha_peer *p = &sn->sync.peers[i];
		u16 buckets;
		u32 id;

		spin_lock_bh(&sn->sync.peer_lock);
		id = p->id;
		buckets = p->answer;
		p->answer = 0;
		spin_unlock_bh(&sn->sync.peer_lock);
		if (!id || !buckets)
			continue;
		if (!b)
			b = kzalloc(sizeof(*b), GFP_KERNEL);	/* b->sent: 0 */
		if (!b)
			return;
		b->peer = id;
		b->buckets = buckets;
		sessha_bulk_answer(sn, b);
	}
	kfree(b);
}

struct sessha_stale {
	u32		peer[SESSHA_MAX_NODES];
	u16		buckets[SESSHA_MAX_NODES];
	u32		before[SESSHA_MAX_NODES];	/* jiffies' low half */
	unsigned int	n;
};

static void sessha_stale_one(struct sessha_net *sn, struct sessha_session *s,
			     void *arg)
{
	struct sessha_stale *st = arg;
	unsigned int i;

	if (READ_ONCE(s->role) != SESSHA_ROLE_REPLICA)
		return;
	for (i = 0; i < st->n; i++) {
		if (s->owner != st->peer[i] ||
		    !(st->buckets[i] & BIT(sessha_flow_bucket(&s->key))) ||
		    !time_before32(READ_ONCE(s->synced), st->before[i]))
			continue;
		sessha_count(sn, SESSHA_STAT_REPLICAS_STALE);
		sessha_session_unlink(sn, s);
		return;
	}
}

/* After a complete bulk answer: replicas it did not refresh are gone. */
static void sessha_maint_stale(struct sessha_net *sn)
{
	struct sessha_stale *st = kzalloc(sizeof(*st), GFP_KERNEL);
	unsigned int i;

	if (!st)
		return;
	spin_lock_bh(&sn->sync.peer_lock);
	for (i = 0; i < SESSHA_MAX_NODES; i++) {
		struct sessha_peer *p = &sn->sync.peers[i];

		if (!p->id || !p->stale)
			continue;
		st->peer[st->n] = p->id;
		st->buckets[st->n] = p->stale;
		st->before[st->n++] = (u32)p->stale_before;
		p->stale = 0;
	}
	spin_unlock_bh(&sn->sync.peer_lock);
	if (st->n)
		sessha_sessions_walk(sn, sessha_stale_one, st);
	kfree(st);
}

/* Ready once every peer that is still up has answered, or at the deadline. */
static void sessha_maint_join(struct sessha_net *sn)
{
	const struct sessha_node_table *nodes;
	const struct sessha_node *node;
	bool waiting = false;
	unsigned int i;

	lockdep_assert_held(&sn->lock);
	if (sn->repl.state != SESSHA_SYNC_JOINING)
		return;
	nodes = sessha_nodes_locked(sn);
	spin_lock_bh(&sn->sync.peer_lock);
	for (i = 0; i < SESSHA_MAX_NODES; i++) {
		struct sessha_peer *p = &sn->sync.peers[i];

		if (!p->id || !p->join_pending)
			continue;
		node = sessha_node_find(nodes, p->id);
		if (!node || !node->up)
			p->join_pending = false;
		else
			waiting = true;
	}
	spin_unlock_bh(&sn->sync.peer_lock);

	if (waiting && time_before(jiffies, sn->repl.join_deadline))
		return;
	if (waiting)
		sessha_count(sn, SESSHA_STAT_JOIN_TIMEOUTS);
	sn->repl.state = SESSHA_SYNC_READY;
	sessha_roles_claim(sn);
}

static void sessha_maint_work(struct work_struct *work)
{
	struct sessha_net *sn = container_of(to_delayed_work(work),
					     struct sessha_net, repl.maint_work);
	unsigned long next = SESSHA_MAINT_PERIOD;
	bool on;

	rcu_read_lock();
	on = sessha_node_local(rcu_dereference(sn->nodes)) &&
	     READ_ONCE(sn->sync.sock) && READ_ONCE(sn->cfg.sync_enabled);
	rcu_read_unlock();
	if (!on)
		return;		/* kicked again when that changes */
	sessha_resend_requests(sn);
	sessha_maint_requests(sn);
	sessha_resend_answers(sn);
	sessha_maint_answers(sn);
	sessha_maint_stale(sn);
	sessha_digests_send(sn);
	mutex_lock(&sn->lock);
	sessha_maint_join(sn);
	mutex_unlock(&sn->lock);
	queue_delayed_work(sn->repl.wq, &sn->repl.maint_work, next);
}

void sessha_repair_init(struct sessha_net *sn)
{
	INIT_DELAYED_WORK(&sn->repl.maint_work, sessha_maint_work);
	sn->repl.state = SESSHA_SYNC_READY;
}

void sessha_repair_stop(struct sessha_net *sn)
{
	cancel_delayed_work_sync(&sn->repl.maint_work);
}
