// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-entropy digests. Once a second we send each peer that is up the
 * tally of the flows we serve that it backs up (tally.c): per flow-hash
 * bucket, their number and a sum of their hashes. The digest travels in
 * the send queue, behind every record it counts, so the peer, comparing
 * it on arrival with its own tally of our replicas, sees the same table
 * unless a record was lost or refused. Neither side walks the table.
 */
#include "digest.h"
#include "node.h"
#include "sync_tx.h"
#include "tally.h"

#define SESSHA_DIGEST_PERIOD	HZ

/* The maintenance worker's: a digest to every peer that is up, when due. */
void sessha_digests_send(struct sessha_net *sn)
{
	const struct sessha_node_table *nodes;
	u32 peers[SESSHA_MAX_NODES];
	unsigned int i, n = 0;

	if (time_before(jiffies, sn->repl.next_digest))
		return;
	sn->repl.next_digest = jiffies + SESSHA_DIGEST_PERIOD;
	rcu_read_lock();
	nodes = rcu_dereference(sn->nodes);
	for (i = 0; nodes && i < nodes->count; i++)
		if (!nodes->node[i].local && nodes->node[i].up)
			peers[n++] = nodes->node[i].id;
	rcu_read_unlock();
	for (i = 0; i < n; i++)
		sessha_sync_queue_digest(sn, peers[i]);
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
