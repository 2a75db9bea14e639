// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-entropy digests. Once a second we send each peer that is up the
 * tally of the flows we serve that it backs up (tally.c): per flow-hash
 * bucket, their number and a sum of their hashes. The digest travels in
 * the send queue, behind every record it counts, so the peer, comparing
 * it on arrival with its own tally of our replicas, sees the same table
 * unless a record was lost or refused. Neither side walks the table.
 *
 * Each peer also gets our configuration digest (confsum.c), and we show,
 * per peer, whether its digest matches ours.
 */
#include "confsum.h"
#include "digest.h"
#include "node.h"
#include "peer.h"
#include "sync_tx.h"
#include "tally.h"

#define SESSHA_DIGEST_PERIOD	HZ

/* Our configuration digest, apart from the queue: nothing waits on it. */
static void sessha_confsum_send(struct sessha_net *sn, u32 peer, u64 sum)
{
	u8 buf[SESSHA_WIRE_HDR_LEN + SESSHA_WIRE_CONFIG_LEN +
	       SESSHA_WIRE_MAC_LEN];

	sessha_wire_put_config(buf + SESSHA_WIRE_HDR_LEN, sum);
	sessha_sync_send(sn, peer, SESSHA_WIRE_CONFIG, buf,
			 SESSHA_WIRE_HDR_LEN + SESSHA_WIRE_CONFIG_LEN, 0);
}

/*
 * The maintenance worker's, when due: to every peer that is up, a digest
 * and our configuration digest. Not to a peer that is down: a restarted
 * node must see nothing of ours before it is marked up, as a failback
 * expects; a node that joins sends its own to us, which shows it here.
 */
void sessha_digests_send(struct sessha_net *sn)
{
	const struct sessha_node_table *nodes;
	u32 peers[SESSHA_MAX_NODES];
	unsigned int i, n = 0;
	u64 sum;

	if (time_before(jiffies, sn->repl.next_digest))
		return;
	sn->repl.next_digest = jiffies + SESSHA_DIGEST_PERIOD;
	sum = sessha_confsum(sn);
	WRITE_ONCE(sn->repl.confsum, sum);
	rcu_read_lock();
	nodes = rcu_dereference(sn->nodes);
	for (i = 0; nodes && i < nodes->count; i++)
		if (!nodes->node[i].local && nodes->node[i].up)
			peers[n++] = nodes->node[i].id;
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		sessha_sync_queue_digest(sn, peers[i]);
		sessha_confsum_send(sn, peers[i], sum);
	}
}

/* Softirq: @msg, a peer's configuration digest, against ours. */
void sessha_confsum_rx(struct sessha_net *sn, const struct sessha_wire_msg *msg)
{
	bool differs = sessha_wire_get_config(msg) != READ_ONCE(sn->repl.confsum);
	struct sessha_peer *p;
	bool was;

	spin_lock(&sn->sync.peer_lock);
	p = sessha_peer_get(sn, msg->sender);
	if (p) {
		was = p->config_heard && p->config_differs;
		p->config_heard = true;
		p->config_differs = differs;
	}
	spin_unlock(&sn->sync.peer_lock);
	if (p && differs && !was)
		sessha_count(sn, SESSHA_STAT_SYNC_CONFIG_MISMATCHES);
}

/*
 * Whether peer @id's configuration digest, as last heard, matched ours:
 * SESSHA_CONFIG_MATCH or _MISMATCH, or -1 if none was heard yet.
 */
int sessha_confsum_peer(struct sessha_net *sn, u32 id)
{
	struct sessha_peer *p;
	int state = -1;

	spin_lock_bh(&sn->sync.peer_lock);
	p = sessha_peer_find(sn, id);
	if (p && p->config_heard)
		state = p->config_differs ? SESSHA_CONFIG_MISMATCH :
					    SESSHA_CONFIG_MATCH;
	spin_unlock_bh(&sn->sync.peer_lock);
	return state;
}

/* Softirq: the buckets where @msg, a digest, and our replicas disagree. */
u16 sessha_digest_check(struct sessha_net *sn,
			const struct sessha_wire_msg *msg)
{
	struct sessha_wire_digest theirs[SESSHA_WIRE_BUCKETS];
	unsigned int b;

	for (b = 0; b < SESSHA_WIRE_BUCKETS; b++)
		sessha_wire_get_digest(msg, b, &theirs[b]);
	sessha_count(sn, SESSHA_STAT_SYNC_DIGESTS_RX);
	return sessha_tally_held_diff(sn, msg->sender, theirs);
}
