// SPDX-License-Identifier: GPL-2.0
/*
 * Sync, sending side. Records for each backup node accumulate in a batch
 * the size of one datagram; a batch goes out when it is full or when the
 * flush deadline (one jiffy after its first record) passes, whichever
 * comes first. The packet path only copies a record under a spinlock;
 * the socket is used from a worker, in process context.
 */
#include <linux/slab.h>

#include "sessha.h"
#include "wire.h"

#define SESSHA_SYNC_DELAY	1	/* jiffies: 4 ms at HZ=250 */
#define SESSHA_SYNC_MAX_BATCHES	256	/* about 370 KiB queued at most */

struct sessha_sync_batch {
	struct list_head	list;
	u32			peer;
	unsigned int		len;
	unsigned int		count;
	u8			data[SESSHA_WIRE_MAX_PAYLOAD];
};

void sessha_sync_init(struct sessha_net *sn)
{
	spin_lock_init(&sn->sync.lock);
	INIT_LIST_HEAD(&sn->sync.pending);
	INIT_DELAYED_WORK(&sn->sync.flush_work, sessha_sync_flush_work);
	INIT_WORK(&sn->sync.rebackup_work, sessha_rebackup_work);
}

static unsigned int sessha_sync_build(const struct sessha_session *s, u8 op,
				      u8 *buf)
{
	struct sessha_wire_rec *rec = (struct sessha_wire_rec *)buf;
	long left = (long)(READ_ONCE(s->expires) - jiffies) / HZ;
	u8 flags = s->key.family == AF_INET6 ? SESSHA_WIRE_F_IPV6 : 0;

	rec->op = op;
	rec->flags = flags;
	rec->state = s->state;
	rec->reserved = 0;
	rec->service = htons(s->key.service);
	rec->backend = htons(s->backend_id);
	rec->cport = s->key.cport;
	rec->timeout = htons(clamp_t(long, left, 1, U16_MAX));
	memcpy(rec + 1, &s->key.client, sessha_addr_len(s->key.family));
	return sessha_wire_rec_len(flags);
}

/* A batch for @peer with room for @len more bytes, or a new one. */
static struct sessha_sync_batch *sessha_sync_batch_get(struct sessha_sync *sync,
							u32 peer,
							unsigned int len)
{
	struct sessha_sync_batch *b;

	list_for_each_entry(b, &sync->pending, list)
		if (b->peer == peer && b->len + len <= sizeof(b->data))
			return b;
	if (sync->npending >= SESSHA_SYNC_MAX_BATCHES)
		return NULL;
	b = kmalloc(sizeof(*b), GFP_ATOMIC);
	if (!b)
		return NULL;
	b->peer = peer;
	b->len = sizeof(struct sessha_wire_hdr);
	b->count = 0;
	list_add_tail(&b->list, &sync->pending);
	sync->npending++;
	return b;
}

/* Queue @op for @s to the backup it names. Any context. */
void sessha_sync_session(struct sessha_net *sn, struct sessha_session *s,
			 u8 op)
{
	u8 rec[sizeof(struct sessha_wire_rec) + sizeof(struct in6_addr)];
	struct sessha_sync *sync = &sn->sync;
	struct sessha_sync_batch *b;
	unsigned int len;
	u32 peer = READ_ONCE(s->backup);
	bool full = false;

	if (!READ_ONCE(sn->cfg.sync_enabled))
		return;
	if (!peer) {
		sessha_count(sn, SESSHA_STAT_SYNC_TX_NO_PEER);
		return;
	}
	len = sessha_sync_build(s, op, rec);

	spin_lock_bh(&sync->lock);
	b = sessha_sync_batch_get(sync, peer, len);
	if (b) {
		memcpy(b->data + b->len, rec, len);
		b->len += len;
		b->count++;
		full = b->len + sizeof(rec) > sizeof(b->data);
	}
	spin_unlock_bh(&sync->lock);

	if (!b)
		sessha_count(sn, SESSHA_STAT_SYNC_TX_ERRORS);
	else if (full)
		mod_delayed_work(system_wq, &sync->flush_work, 0);
	else
		queue_delayed_work(system_wq, &sync->flush_work,
				   SESSHA_SYNC_DELAY);
}

static void sessha_sync_send(struct sessha_net *sn,
			     const struct sessha_node_table *nodes,
			     struct sessha_sync_batch *b)
{
	const struct sessha_node *local = sessha_node_local(nodes);
	const struct sessha_node *peer = sessha_node_find(nodes, b->peer);
	struct sessha_wire_hdr *hdr = (struct sessha_wire_hdr *)b->data;

	if (!local || !peer) {
		sessha_count(sn, SESSHA_STAT_SYNC_TX_NO_PEER);
		return;
	}
	hdr->version = SESSHA_WIRE_VERSION;
	hdr->type = SESSHA_WIRE_TYPE_SESSIONS;
	hdr->length = htons(b->len);
	hdr->sender = htonl(local->id);
	hdr->count = htons(b->count);
	hdr->reserved = 0;
	if (sessha_socket_send(sn, peer, b->data, b->len) < 0) {
		sessha_count(sn, SESSHA_STAT_SYNC_TX_ERRORS);
		return;
	}
	sessha_count(sn, SESSHA_STAT_SYNC_TX_DATAGRAMS);
	sessha_count_add(sn, SESSHA_STAT_SYNC_TX_RECORDS, b->count);
}

void sessha_sync_flush_work(struct work_struct *work)
{
	struct sessha_net *sn = container_of(to_delayed_work(work),
					     struct sessha_net,
					     sync.flush_work);
	struct sessha_sync_batch *b, *tmp;
	LIST_HEAD(batches);

	spin_lock_bh(&sn->sync.lock);
	list_splice_init(&sn->sync.pending, &batches);
	sn->sync.npending = 0;
	spin_unlock_bh(&sn->sync.lock);

	mutex_lock(&sn->lock);
	list_for_each_entry_safe(b, tmp, &batches, list) {
		sessha_sync_send(sn, rcu_dereference_protected(sn->nodes,
				 lockdep_is_held(&sn->lock)), b);
		kfree(b);
	}
	mutex_unlock(&sn->lock);
}

/* Drops whatever is queued; the caller made sure nothing queues more. */
void sessha_sync_stop(struct sessha_net *sn)
{
	struct sessha_sync_batch *b, *tmp;

	cancel_work_sync(&sn->sync.rebackup_work);
	cancel_delayed_work_sync(&sn->sync.flush_work);
	list_for_each_entry_safe(b, tmp, &sn->sync.pending, list)
		kfree(b);
	INIT_LIST_HEAD(&sn->sync.pending);
	sn->sync.npending = 0;
}

/* A replica whose owner is down, of a flow the policy now gives us. */
static bool sessha_takeover_due(const struct sessha_node_table *nodes,
				const struct sessha_service *svc,
				const struct sessha_session *s)
{
	const struct sessha_node *owner, *backup;

	owner = sessha_node_find(nodes, READ_ONCE(s->owner));
	if (owner && owner->up)
		return false;
	sessha_policy_pick(nodes, svc, &s->key, false, &owner, &backup);
	return owner && owner->local;
}

/*
 * A node changed state. Replicas of flows that are now ours are promoted
 * at once, not at their next packet, so that an idle flow survives a
 * second failure too; and every flow served here whose replica should now
 * live elsewhere is sent to its new backup.
 */
static void sessha_rebackup_one(struct sessha_net *sn,
				struct sessha_session *s, void *arg)
{
	const struct sessha_node_table *nodes = arg;
	struct sessha_service *svc;
	u32 backup;

	svc = sessha_service_find(sn, s->key.service);
	if (!svc)
		return;
	if (s->role == SESSHA_ROLE_REPLICA &&
	    !sessha_takeover_due(nodes, svc, s))
		return;
	backup = sessha_policy_backup(nodes, svc, &s->key);

	spin_lock_bh(&s->lock);
	if (s->role == SESSHA_ROLE_REPLICA) {
		sessha_session_promote(sn, s, svc);
	} else if (backup != s->backup) {
		s->backup = backup;
	} else {
		spin_unlock_bh(&s->lock);
		return;
	}
	s->synced = jiffies;
	spin_unlock_bh(&s->lock);
	sessha_sync_session(sn, s, SESSHA_WIRE_OP_UPDATE);
}

void sessha_rebackup_work(struct work_struct *work)
{
	struct sessha_net *sn = container_of(work, struct sessha_net,
					     sync.rebackup_work);

	rcu_read_lock();
	sessha_sessions_walk(sn, sessha_rebackup_one,
			     (void *)rcu_dereference(sn->nodes));
	rcu_read_unlock();
}
