// SPDX-License-Identifier: GPL-2.0
/*
 * Sync transport, sending side: framing, sequence numbers, signing, and
 * the send queue. Records for each peer accumulate in a batch the size of
 * one datagram. The queue is flushed at once when the last flush is at
 * least a window (sync_window_us) old, else at the window's end: an idle
 * link sends a record without delay, a busy one fills datagrams. The
 * packet path only copies a record under a spinlock; the socket is used
 * from a worker, in process context.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "auth.h"
#include "node.h"
#include "peer.h"
#include "socket.h"
#include "sync_tx.h"
#include "tally.h"

#define SESSHA_SYNC_MIN_BATCHES	256	/* about 370 KiB */
#define SESSHA_SYNC_RETRY_US	1000	/* after the socket was full */
#define SESSHA_SYNC_SEND_WAIT	HZ	/* for a full socket, at most */

/*
 * Sent datagrams of records are kept this long, and at most this many,
 * in case a peer asks for them again (resend.c): long enough for the
 * peer to notice a loss and ask, a takeover's burst included.
 */
#define SESSHA_SYNC_KEEP_AGE	(2 * HZ)
#define SESSHA_SYNC_KEEP_MAX	4096	/* about 8 MiB */

#define SESSHA_BATCH_RECORDS	((SESSHA_BATCH_ROOM - SESSHA_WIRE_HDR_LEN) / \
				 SESSHA_WIRE_REC_MAX)

static unsigned int sync_queue_limit;
module_param(sync_queue_limit, uint, 0444);
MODULE_PARM_DESC(sync_queue_limit,
		 "batches the sync queue holds at most; 0 (default): room for a record of every session");

static unsigned int sync_window_us = 1000;
module_param(sync_window_us, uint, 0444);
MODULE_PARM_DESC(sync_window_us,
		 "microseconds a record may wait for others to share its datagram (default 1000)");

/*
 * How many batches may wait: enough for one record of every session, so
 * that a takeover of all of them at once drops nothing.
 */
static unsigned int sessha_sync_limit(struct sessha_net *sn)
{
	return sync_queue_limit ?: SESSHA_SYNC_MIN_BATCHES +
		(unsigned int)atomic_read(&sn->nsessions) / SESSHA_BATCH_RECORDS;
}

/* The index of @peer's filling batch in sync->open, or nopen. */
static unsigned int sessha_sync_open_index(struct sessha_sync *sync, u32 peer)
{
	unsigned int i;

	for (i = 0; i < sync->nopen; i++)
		if (sync->open[i]->peer == peer)
			break;
	return i;
}

static void sessha_sync_append(struct sessha_sync *sync,
			       struct sessha_sync_batch *b, u32 peer, u8 type)
{
	b->peer = peer;
	b->type = type;
	b->len = SESSHA_WIRE_HDR_LEN;
	b->count = 0;
	list_add_tail(&b->list, &sync->pending);
	sync->npending++;
}

/*
 * The batch for @peer with room for @len more bytes, or a new one. Only
 * a peer's newest batch can have room: it is found in sync->open, not by
 * walking a queue that may hold thousands.
 */
static struct sessha_sync_batch *sessha_sync_batch_get(struct sessha_net *sn,
							u32 peer,
							unsigned int len)
{
	struct sessha_sync *sync = &sn->sync;
	unsigned int i = sessha_sync_open_index(sync, peer);
	struct sessha_sync_batch *b;

	if (i < sync->nopen && sync->open[i]->len + len <= SESSHA_BATCH_ROOM)
		return sync->open[i];
	if (sync->npending >= sessha_sync_limit(sn))
		return NULL;
	b = kmalloc(sizeof(*b), GFP_ATOMIC);
	if (!b)
		return NULL;
	sessha_sync_append(sync, b, peer, SESSHA_WIRE_SESSIONS);
	if (i == sync->nopen && i < ARRAY_SIZE(sync->open))
		sync->nopen++;
	if (i < sync->nopen)
		sync->open[i] = b;
	return b;
}

/* A flush is due: now, or at the end of the window since the last one. */
static void sessha_sync_arm(struct sessha_sync *sync, bool now)
{
	s64 wait;

	lockdep_assert_held(&sync->lock);
	if (now) {
		queue_work(sync->flush_wq, &sync->flush_work);
		return;
	}
	if (sync->flush_armed)
		return;
	sync->flush_armed = true;
	wait = ktime_us_delta(ktime_add_us(sync->last_flush, sync_window_us),
			      ktime_get());
	if (wait <= 0)
		queue_work(sync->flush_wq, &sync->flush_work);
	else
		hrtimer_start(&sync->flush_timer, ns_to_ktime(wait * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
}

/*
 * Queues the record @rec, @len bytes, of @s for @peer, and counts @s in
 * the tally @kind of @peer: the same lock orders both against a digest
 * (sessha_sync_queue_digest()). Any context, under s->lock; @s NULL for
 * a record of no entry, counted nowhere (a DELETE sent again). -ENOBUFS,
 * counted, when the queue is full or memory short: the caller repairs.
 */
int sessha_sync_queue(struct sessha_net *sn, struct sessha_session *s,
		      u32 peer, u8 kind, const u8 *rec, unsigned int len)
{
	struct sessha_sync *sync = &sn->sync;
	struct sessha_sync_batch *b;

	spin_lock_bh(&sync->lock);
	if (s)
		sessha_tally_set(sn, s, kind, peer);
	b = sessha_sync_batch_get(sn, peer, len);
	if (b) {
		memcpy(b->data + b->len, rec, len);
		b->len += len;
		b->count++;
		sessha_sync_arm(sync, b->len + SESSHA_WIRE_REC_MAX >
				      SESSHA_BATCH_ROOM);
	}
	spin_unlock_bh(&sync->lock);

	if (!b) {
		sessha_count(sn, SESSHA_STAT_SYNC_TX_ERRORS);
		return -ENOBUFS;
	}
	return 0;
}

/*
 * Queues a digest of what @peer should hold of ours. It leaves after
 * every record counted in it and before any record counted later, so
 * that the peer, applying them in order, compares like with like.
 */
void sessha_sync_queue_digest(struct sessha_net *sn, u32 peer)
{
	struct sessha_wire_digest told[SESSHA_WIRE_BUCKETS];
	struct sessha_sync *sync = &sn->sync;
	struct sessha_sync_batch *b;
	unsigned int i;

	b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (!b) {
		sessha_count(sn, SESSHA_STAT_SYNC_TX_ERRORS);
		return;
	}
	spin_lock_bh(&sync->lock);
	sessha_tally_told(sn, peer, told);
	sessha_sync_append(sync, b, peer, SESSHA_WIRE_DIGEST);
	for (i = 0; i < SESSHA_WIRE_BUCKETS; i++)
		b->len += sessha_wire_put_digest(b->data + b->len, &told[i]);
	b->count = SESSHA_WIRE_BUCKETS;
	/* Later records go in a batch behind this one. */
	i = sessha_sync_open_index(sync, peer);
	if (i < sync->nopen)
		sync->open[i] = sync->open[--sync->nopen];
	sessha_sync_arm(sync, false);
	spin_unlock_bh(&sync->lock);
}

static u32 sessha_sync_next_seq(struct sessha_net *sn, u32 peer_id)
{
	struct sessha_peer *p;
	u32 seq = 0;

	spin_lock_bh(&sn->sync.peer_lock);
	p = sessha_peer_get(sn, peer_id);
	if (p) {
		/* On wrap-around, start a new epoch rather than reuse numbers. */
		if (!++p->tx_seq) {
			sn->sync.epoch++;
			p->tx_seq = 1;
		}
		seq = p->tx_seq;
	}
	spin_unlock_bh(&sn->sync.peer_lock);
	return seq;
}

/*
 * A datagram that did not leave gives its number back, so that the peer
 * sees no gap for a local failure: sends are serialised by tx_lock, so
 * it is still the last number taken.
 */
static void sessha_sync_unget_seq(struct sessha_net *sn, u32 peer_id, u32 seq)
{
	struct sessha_peer *p;

	spin_lock_bh(&sn->sync.peer_lock);
	p = sessha_peer_get(sn, peer_id);
	if (p && p->tx_seq == seq)
		p->tx_seq--;
	spin_unlock_bh(&sn->sync.peer_lock);
}

static int sessha_sync_sign_send(struct sessha_net *sn,
				 const struct sessha_node *peer,
				 struct sessha_wire_msg *msg, u8 *buf,
				 unsigned int len)
{
	sessha_wire_put_header(buf, msg);
	if (msg->key_id) {
		if (sessha_auth_sign(sn, msg->key_id, peer->id, buf, len))
			return -EIO;
		len += SESSHA_WIRE_MAC_LEN;
	}
	return sessha_socket_send(sn, peer, buf, len);
}

/* Our id and @peer_id's node, as the table is now; false if either is gone. */
static bool sessha_sync_endpoints(struct sessha_net *sn, u32 peer_id,
				  u32 *local_id, struct sessha_node *peer)
{
	const struct sessha_node_table *nodes;
	const struct sessha_node *node;

	rcu_read_lock();
	nodes = rcu_dereference(sn->nodes);
	*local_id = sessha_node_local_id(nodes);
	node = sessha_node_find(nodes, peer_id);
	if (node)
		*peer = *node;
	rcu_read_unlock();
	return *local_id && node;
}

/*
 * Sends the datagram in @buf: the caller wrote the body after the header;
 * this writes the header, signs and sends. @buf has room for the MAC
 * after @len. Returns the sequence number used, or a negative error,
 * -EAGAIN when the socket is full; counts nothing. Process context.
 */
static int sessha_sync_send_epoch(struct sessha_net *sn, u32 peer_id, u8 type,
				  u8 *buf, unsigned int len, u16 count,
				  u64 *epoch)
{
	struct sessha_wire_msg msg = { .type = type, .count = count };
	struct sessha_node peer;
	int err;

	if (!sessha_sync_endpoints(sn, peer_id, &msg.sender, &peer))
		return -ENOENT;
	mutex_lock(&sn->sync.tx_lock);
	msg.seq = sessha_sync_next_seq(sn, peer_id);
	msg.epoch = READ_ONCE(sn->sync.epoch);
	*epoch = msg.epoch;
	msg.key_id = sessha_auth_key_id(sn);
	err = msg.seq ? sessha_sync_sign_send(sn, &peer, &msg, buf, len) :
			-ENOSPC;
	if (err < 0 && msg.seq)
		sessha_sync_unget_seq(sn, peer_id, msg.seq);
	mutex_unlock(&sn->sync.tx_lock);
	if (err < 0)
		return err;
	sessha_count(sn, SESSHA_STAT_SYNC_TX_DATAGRAMS);
	return msg.seq;
}

/* As sessha_sync_send_epoch(), for a datagram kept by nobody. */
static int __sessha_sync_send(struct sessha_net *sn, u32 peer_id, u8 type,
			      u8 *buf, unsigned int len, u16 count)
{
	u64 epoch;

	return sessha_sync_send_epoch(sn, peer_id, type, buf, len, count,
				      &epoch);
}

static void sessha_sync_count_error(struct sessha_net *sn, int err)
{
	sessha_count(sn, err == -ENOENT ? SESSHA_STAT_SYNC_TX_NO_PEER :
					  SESSHA_STAT_SYNC_TX_SEND_ERRORS);
}

/*
 * As __sessha_sync_send(), for the repair's senders, which may sleep: a
 * full socket is waited for, up to a second, rather than a datagram of a
 * bulk answer lost. In a takeover the socket can stay full for a tenth
 * of a second and more: the flush's burst is charged to it until the
 * peers, busy creating replicas, have taken it in. What still did not
 * leave is counted.
 */
int sessha_sync_send(struct sessha_net *sn, u32 peer_id, u8 type, u8 *buf,
		     unsigned int len, u16 count)
{
	unsigned long deadline = jiffies + SESSHA_SYNC_SEND_WAIT;
	int ret;

	might_sleep();
	while ((ret = __sessha_sync_send(sn, peer_id, type, buf, len,
					 count)) == -EAGAIN &&
	       time_before(jiffies, deadline))
		usleep_range(SESSHA_SYNC_RETRY_US, 2 * SESSHA_SYNC_RETRY_US);
	if (ret < 0)
		sessha_sync_count_error(sn, ret);
	return ret;
}

/*
 * Raises @b->peer's floor past @b, which is about to go: a request for
 * numbers below the floor can no longer be answered from what is kept.
 */
static void sessha_sync_drop_kept(struct sessha_net *sn,
				  struct sessha_sync_batch *b)
{
	struct sessha_peer *p;

	spin_lock_bh(&sn->sync.peer_lock);
	p = sessha_peer_find(sn, b->peer);
	if (p && b->epoch == sn->sync.epoch && b->seq >= p->kept_floor)
		p->kept_floor = b->seq + 1;
	spin_unlock_bh(&sn->sync.peer_lock);
	list_del(&b->list);
	sn->sync.nkept--;
	kfree(b);
}

/* Lets go of what is kept past its age or beyond the cap. */
void sessha_sync_trim_kept(struct sessha_net *sn)
{
	struct sessha_sync_batch *b, *tmp;

	mutex_lock(&sn->sync.kept_lock);
	list_for_each_entry_safe(b, tmp, &sn->sync.kept, list) {
		if (sn->sync.nkept <= SESSHA_SYNC_KEEP_MAX &&
		    time_before(jiffies, b->sent + SESSHA_SYNC_KEEP_AGE))
			break;
		sessha_sync_drop_kept(sn, b);
	}
	mutex_unlock(&sn->sync.kept_lock);
}

/* A datagram of records that left is kept, for a peer that lost it. */
static void sessha_sync_keep(struct sessha_net *sn, struct sessha_sync_batch *b)
{
	b->sent = jiffies;
	mutex_lock(&sn->sync.kept_lock);
	list_add_tail(&b->list, &sn->sync.kept);
	sn->sync.nkept++;
	mutex_unlock(&sn->sync.kept_lock);
	sessha_sync_trim_kept(sn);
}

/*
 * Moves what is kept of the numbers @from..@to sent to @peer in @epoch
 * onto @out, for the caller to free. False if some of them may have been
 * let go: their records are to be repaired otherwise. Process context.
 */
bool sessha_sync_take_kept(struct sessha_net *sn, u32 peer, u64 epoch,
			   u32 from, u32 to, struct list_head *out)
{
	struct sessha_sync_batch *b, *tmp;
	struct sessha_peer *p;
	bool whole;

	mutex_lock(&sn->sync.kept_lock);
	spin_lock_bh(&sn->sync.peer_lock);
	p = sessha_peer_find(sn, peer);
	whole = p && epoch == sn->sync.epoch && from >= p->kept_floor &&
		to <= p->tx_seq;
	spin_unlock_bh(&sn->sync.peer_lock);
	list_for_each_entry_safe(b, tmp, &sn->sync.kept, list) {
		if (b->peer != peer || b->epoch != epoch ||
		    b->seq < from || b->seq > to)
			continue;
		list_move_tail(&b->list, out);
		sn->sync.nkept--;
	}
	mutex_unlock(&sn->sync.kept_lock);
	return whole;
}

/* Batches the socket could not take yet go back to the queue's head. */
static void sessha_sync_requeue(struct sessha_net *sn, struct list_head *batches,
				unsigned int n)
{
	spin_lock_bh(&sn->sync.lock);
	list_splice(batches, &sn->sync.pending);
	sn->sync.npending += n;
	if (!sn->sync.flush_armed) {
		sn->sync.flush_armed = true;
		hrtimer_start(&sn->sync.flush_timer,
			      ns_to_ktime(SESSHA_SYNC_RETRY_US * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
	}
	spin_unlock_bh(&sn->sync.lock);
}

static void sessha_sync_flush_work(struct work_struct *work)
{
	struct sessha_net *sn = container_of(work, struct sessha_net,
					     sync.flush_work);
	struct sessha_sync_batch *b, *tmp;
	LIST_HEAD(batches);
	unsigned int left;
	int ret;

	spin_lock_bh(&sn->sync.lock);
	list_splice_init(&sn->sync.pending, &batches);
	left = sn->sync.npending;
	sn->sync.npending = 0;
	sn->sync.nopen = 0;
	sn->sync.flush_armed = false;
	sn->sync.last_flush = ktime_get();
	spin_unlock_bh(&sn->sync.lock);

	list_for_each_entry_safe(b, tmp, &batches, list) {
		ret = sessha_sync_send_epoch(sn, b->peer, b->type, b->data,
					     b->len, b->count, &b->epoch);
		if (ret == -EAGAIN)
			break;		/* full: this one and the rest wait */
		list_del(&b->list);
		left--;
		if (ret > 0 && b->type == SESSHA_WIRE_SESSIONS) {
			sessha_count_add(sn, SESSHA_STAT_SYNC_TX_RECORDS,
					 b->count);
			b->seq = ret;
			sessha_sync_keep(sn, b);
			continue;
		}
		if (ret > 0)
			sessha_count(sn, SESSHA_STAT_SYNC_DIGESTS_TX);
		else
			sessha_sync_count_error(sn, ret);
		kfree(b);
	}
	if (left)
		sessha_sync_requeue(sn, &batches, left);
}

static enum hrtimer_restart sessha_sync_flush_timer(struct hrtimer *timer)
{
	struct sessha_sync *sync = container_of(timer, struct sessha_sync,
						flush_timer);

	queue_work(sync->flush_wq, &sync->flush_work);
	return HRTIMER_NORESTART;
}

/*
 * Drops whatever is queued; the caller made sure nothing queues more (the
 * hooks, the socket and replication's workers are gone).
 */
void sessha_sync_stop(struct sessha_net *sn)
{
	struct sessha_sync_batch *b, *tmp;

	/* The timer queues the work, and a requeue arms the timer. */
	hrtimer_cancel(&sn->sync.flush_timer);
	cancel_work_sync(&sn->sync.flush_work);
	hrtimer_cancel(&sn->sync.flush_timer);
	list_for_each_entry_safe(b, tmp, &sn->sync.pending, list)
		kfree(b);
	INIT_LIST_HEAD(&sn->sync.pending);
	list_for_each_entry_safe(b, tmp, &sn->sync.kept, list)
		kfree(b);
	INIT_LIST_HEAD(&sn->sync.kept);
	sn->sync.nkept = 0;
	mutex_destroy(&sn->sync.kept_lock);
	sn->sync.npending = 0;
	sn->sync.nopen = 0;
	mutex_destroy(&sn->sync.tx_lock);
}

void sessha_sync_init(struct sessha_net *sn)
{
	spin_lock_init(&sn->sync.lock);
	INIT_LIST_HEAD(&sn->sync.pending);
	INIT_WORK(&sn->sync.flush_work, sessha_sync_flush_work);
	hrtimer_init(&sn->sync.flush_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	sn->sync.flush_timer.function = sessha_sync_flush_timer;
	mutex_init(&sn->sync.tx_lock);
	INIT_LIST_HEAD(&sn->sync.kept);
	mutex_init(&sn->sync.kept_lock);
	spin_lock_init(&sn->sync.peer_lock);
	/* Later than any earlier instance's, so peers accept us again. */
	sn->sync.epoch = ktime_get_real_ns();
}
