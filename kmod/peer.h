/* SPDX-License-Identifier: GPL-2.0 */
/* Per-peer sync state (peer.c); struct sessha_peer is in sessha.h. */
#ifndef _SESSHA_PEER_H
#define _SESSHA_PEER_H

#include "sessha.h"

/* How long a skipped sequence number may be late before it is lost. */
#define SESSHA_REORDER_WAIT	(HZ / 50)

struct sessha_peer *sessha_peer_get(struct sessha_net *sn, u32 id);
struct sessha_peer *sessha_peer_find(struct sessha_net *sn, u32 id);
void sessha_peer_forget(struct sessha_net *sn, u32 id);
void sessha_peer_owe(struct sessha_net *sn, u32 id, unsigned int bucket);
bool sessha_peer_hole_lost(struct sessha_peer *p, u32 *from, u32 *to);
bool sessha_peer_rx_fresh(struct sessha_peer *p, u64 epoch, u32 seq,
			  bool *gap);

#endif /* _SESSHA_PEER_H */
