// SPDX-License-Identifier: GPL-2.0
/*
 * Sending again what a peer lost, instead of whole buckets in bulk.
 *
 * A receiver that finds numbers of a peer's stream lost (peer.c) asks it
 * for them: RESEND, with the epoch and the first and last lost number.
 * The sender keeps the datagrams of records it sent for a while
 * (sync_tx.c). For each record in those it was asked for, it sends what
 * it holds now: the flow's current UPDATE if the peer is still its
 * backup, else the DELETE again if the record was one. Never the old
 * bytes: a record overtaken by a newer one would undo it. Only if some
 * of the numbers are no longer kept does the peer get whole buckets, in
 * bulk, unasked, as before. A lost RESEND is left to the digests.
 *
 * Both halves run in the maintenance worker (repair.c), process context.
 */
#include <linux/slab.h>

#include "peer.h"
#include "record.h"
#include "resend.h"
#include "sync_tx.h"
#include "tally.h"

/* Softirq, under nothing: @msg->sender asks us for numbers again. */
void sessha_resend_rx(struct sessha_net *sn, const struct sessha_wire_msg *msg)
{
	struct sessha_wire_resend rs;
	struct sessha_peer *p;

	sessha_wire_get_resend(msg, &rs);
	if (!rs.from || rs.from > rs.to)
		return;
	spin_lock(&sn->sync.peer_lock);
	p = sessha_peer_find(sn, msg->sender);
	if (p && p->owe_from && p->owe_epoch == rs.epoch) {
		p->owe_from = min(p->owe_from, rs.from);
		p->owe_to = max(p->owe_to, rs.to);
	} else if (p) {
		p->owe_epoch = rs.epoch;
		p->owe_from = rs.from;
		p->owe_to = rs.to;
	}
	spin_unlock(&sn->sync.peer_lock);
}

struct sessha_resend_ask {
	u32			peer;
	struct sessha_wire_resend rs;
};

/* Asks each peer whose numbers we found lost to send them again. */
void sessha_resend_requests(struct sessha_net *sn)
{
	u8 buf[SESSHA_WIRE_HDR_LEN + SESSHA_WIRE_RESEND_LEN +
	       SESSHA_WIRE_MAC_LEN];
	struct sessha_resend_ask *ask;
	unsigned int i, n = 0;
	u32 from, to;

	ask = kcalloc(SESSHA_MAX_NODES, sizeof(*ask), GFP_KERNEL);
	if (!ask)
		return;		/* the holes wait for the next run */
	spin_lock_bh(&sn->sync.peer_lock);
	for (i = 0; i < SESSHA_MAX_NODES; i++) {
		struct sessha_peer *p = &sn->sync.peers[i];

		if (!p->id || !sessha_peer_hole_lost(p, &from, &to))
			continue;
		sessha_count(sn, SESSHA_STAT_SYNC_RX_GAPS);
		ask[n].peer = p->id;
		ask[n].rs.epoch = p->rx_epoch;
		ask[n].rs.from = from;
		ask[n++].rs.to = to;
	}
	spin_unlock_bh(&sn->sync.peer_lock);

	for (i = 0; i < n; i++) {
		sessha_wire_put_resend(buf + SESSHA_WIRE_HDR_LEN, &ask[i].rs);
		if (sessha_sync_send(sn, ask[i].peer, SESSHA_WIRE_RESEND, buf,
				     SESSHA_WIRE_HDR_LEN +
				     SESSHA_WIRE_RESEND_LEN, 0) > 0)
			sessha_count(sn, SESSHA_STAT_SYNC_RESEND_REQUESTS);
	}
	kfree(ask);
}

/* @peer lost the record @raw, @len bytes, parsed into @rec. */
static void sessha_resend_record(struct sessha_net *sn, u32 peer,
				 const u8 *raw, unsigned int len,
				 const struct sessha_wire_record *rec)
{
	struct sessha_session *s;
	struct sessha_key key;
	bool sent = false;

	sessha_record_key(rec, &key);
	rcu_read_lock();
	s = sessha_session_lookup(sn, &key);
	if (s)
		sent = sessha_record_resend(sn, s, peer);
	rcu_read_unlock();
	if (!sent && rec->op == SESSHA_WIRE_OP_DELETE)
		sent = !sessha_sync_queue(sn, NULL, peer, SESSHA_TALLY_NONE,
					  raw, len);
	if (sent)
		sessha_count(sn, SESSHA_STAT_SYNC_RESENT_RECORDS);
}

/* The records of the kept batches on @batches, sent again; frees them. */
static void sessha_resend_batches(struct sessha_net *sn, u32 peer,
				  struct list_head *batches)
{
	struct sessha_sync_batch *b, *tmp;
	struct sessha_wire_record rec;
	unsigned int i, len;
	const u8 *raw;

	list_for_each_entry_safe(b, tmp, batches, list) {
		raw = b->data + SESSHA_WIRE_HDR_LEN;
		for (i = 0; i < b->count; i++) {
			len = sessha_wire_get_record(raw, &rec);
			sessha_resend_record(sn, peer, raw, len, &rec);
			raw += len;
		}
		list_del(&b->list);
		kfree(b);
		cond_resched();
	}
}

/* Sends each peer again what it asked for; buckets where we cannot. */
void sessha_resend_answers(struct sessha_net *sn)
{
	unsigned int i;

	for (i = 0; i < SESSHA_MAX_NODES; i++) {
		struct sessha_peer *p = &sn->sync.peers[i];
		u32 id, from, to;
		LIST_HEAD(batches);
		u64 epoch;

		spin_lock_bh(&sn->sync.peer_lock);
		id = p->id;
		epoch = p->owe_epoch;
		from = p->owe_from;
		to = p->owe_to;
		p->owe_from = 0;
		spin_unlock_bh(&sn->sync.peer_lock);
		if (!id || !from)
			continue;
		if (!sessha_sync_take_kept(sn, id, epoch, from, to, &batches)) {
			sessha_count(sn, SESSHA_STAT_SYNC_RESEND_MISSES);
			spin_lock_bh(&sn->sync.peer_lock);
			if (p->id == id)
				p->answer = SESSHA_WIRE_ALL_BUCKETS;
			spin_unlock_bh(&sn->sync.peer_lock);
		}
		sessha_resend_batches(sn, id, &batches);
	}
	sessha_sync_trim_kept(sn);
}
