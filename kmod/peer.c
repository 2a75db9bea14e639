// SPDX-License-Identifier: GPL-2.0
/*
 * Per-peer sync state: the sequence numbers we send each peer, and what
 * we have seen of each peer's stream. Sequence numbers count per
 * (sender, receiver) pair, so a receiver sees every number and can tell
 * a loss from a replay. All of it lives under sync.peer_lock.
 */
#include "peer.h"

#define SESSHA_REPLAY_WINDOW	64

/* The slot of node @id, taken if it has none yet; NULL if all are used. */
struct sessha_peer *sessha_peer_get(struct sessha_net *sn, u32 id)
{
	struct sessha_peer *free = NULL;
	unsigned int i;

	lockdep_assert_held(&sn->sync.peer_lock);
	for (i = 0; i < SESSHA_MAX_NODES; i++) {
		struct sessha_peer *p = &sn->sync.peers[i];

		if (p->id == id)
			return p;
		if (!p->id && !free)
			free = p;
	}
	if (free) {
		memset(free, 0, sizeof(*free));
		free->id = id;
	}
	return free;
}

/* The slot of node @id, or NULL. */
struct sessha_peer *sessha_peer_find(struct sessha_net *sn, u32 id)
{
	unsigned int i;

	lockdep_assert_held(&sn->sync.peer_lock);
	for (i = 0; i < SESSHA_MAX_NODES; i++)
		if (sn->sync.peers[i].id == id)
			return &sn->sync.peers[i];
	return NULL;
}

/* A record for node @id was dropped: answer its bucket in bulk, unasked. */
void sessha_peer_owe(struct sessha_net *sn, u32 id, unsigned int bucket)
{
	struct sessha_peer *p;

	spin_lock_bh(&sn->sync.peer_lock);
	p = sessha_peer_get(sn, id);
	if (p)
		p->answer |= BIT(bucket);
	spin_unlock_bh(&sn->sync.peer_lock);
}

/*
 * Node @id was deleted. Its sequence numbers go with it, so start a new
 * epoch: were it added again, it would take our restarted numbers for
 * replays. Other peers see a gap and ask for a refresh.
 */
void sessha_peer_forget(struct sessha_net *sn, u32 id)
{
	unsigned int i;

	spin_lock_bh(&sn->sync.peer_lock);
	sn->sync.epoch++;
	for (i = 0; i < SESSHA_MAX_NODES; i++)
		if (sn->sync.peers[i].id == id)
			memset(&sn->sync.peers[i], 0, sizeof(sn->sync.peers[i]));
	spin_unlock_bh(&sn->sync.peer_lock);
}

/*
 * Accepts (epoch, seq) once. A newer epoch means the peer restarted: its
 * stream begins again, and @gap is set if it did not begin at 1 (we
 * joined mid-stream). Numbers skipped within an epoch open a hole, which
 * sessha_peer_hole_lost() judges later: a datagram sent on another CPU
 * may arrive after a later one. Call only for authenticated datagrams
 * when a key is set, or a forger could move the window.
 */
bool sessha_peer_rx_fresh(struct sessha_peer *p, u64 epoch, u32 seq,
			  bool *gap)
{
	u32 diff;

	*gap = false;
	if (!seq || epoch < p->rx_epoch)
		return false;
	if (epoch > p->rx_epoch || !p->rx_seq) {
		p->rx_epoch = epoch;
		p->rx_seq = seq;
		p->rx_window = 1;
		p->hole_from = 0;
		*gap = seq != 1;
		return true;
	}
	if (seq > p->rx_seq) {
		diff = seq - p->rx_seq;
		if (diff > 1 && !p->hole_from) {
			p->hole_from = p->rx_seq + 1;
			p->hole_since = jiffies;
		}
		p->rx_window = diff >= SESSHA_REPLAY_WINDOW ? 0 :
			       p->rx_window << diff;
		p->rx_window |= 1;
		p->rx_seq = seq;
		return true;
	}
	diff = p->rx_seq - seq;
	if (diff >= SESSHA_REPLAY_WINDOW || (p->rx_window & BIT_ULL(diff)))
		return false;
	p->rx_window |= BIT_ULL(diff);
	return true;
}

/*
 * True once numbers skipped in @p's stream are still missing
 * SESSHA_REORDER_WAIT after the skip, or fell out of the window: they
 * were lost, and [*@from, *@to] spans them, to be asked for again. It
 * may span numbers that came: past the window we cannot tell, and
 * asking for those again is harmless. Under sync.peer_lock.
 */
bool sessha_peer_hole_lost(struct sessha_peer *p, u32 *from, u32 *to)
{
	u32 span = p->rx_seq - p->hole_from + 1;
	u64 missing;

	if (!p->hole_from)
		return false;
	if (span <= SESSHA_REPLAY_WINDOW) {
		/* Bit i stands for rx_seq - i; rx_seq itself was seen. */
		missing = ~p->rx_window & GENMASK_ULL(span - 1, 0);
		if (!missing) {
			p->hole_from = 0;	/* they were only late */
			return false;
		}
		if (time_before(jiffies, p->hole_since + SESSHA_REORDER_WAIT))
			return false;
		*to = p->rx_seq - __ffs64(missing);
	} else {
		missing = ~p->rx_window;
		*to = p->rx_seq - (missing ? __ffs64(missing) :
					     SESSHA_REPLAY_WINDOW);
	}
	*from = p->hole_from;
	p->hole_from = 0;
	return true;
}
