/* SPDX-License-Identifier: GPL-2.0 */
/* Sync transport, sending side (sync_tx.c). */
#ifndef _SESSHA_SYNC_TX_H
#define _SESSHA_SYNC_TX_H

#include "session.h"

/* Records fill a datagram up to where its MAC goes. */
#define SESSHA_BATCH_ROOM	(SESSHA_WIRE_MAX_LEN - SESSHA_WIRE_MAC_LEN)

/* One datagram, queued to @peer, then kept a while once sent. */
struct sessha_sync_batch {
	struct list_head	list;
	u32			peer;
	u8			type;
	unsigned int		len;
	unsigned int		count;
	u32			seq;		/* once sent */
	u64			epoch;
	unsigned long		sent;		/* jiffies */
	u8			data[SESSHA_WIRE_MAX_LEN];
};

void sessha_sync_init(struct sessha_net *sn);
void sessha_sync_stop(struct sessha_net *sn);
int sessha_sync_send(struct sessha_net *sn, u32 peer_id, u8 type, u8 *buf,
		     unsigned int len, u16 count);
int sessha_sync_queue(struct sessha_net *sn, struct sessha_session *s,
		      u32 peer, u8 kind, const u8 *rec, unsigned int len);
void sessha_sync_queue_digest(struct sessha_net *sn, u32 peer);
bool sessha_sync_take_kept(struct sessha_net *sn, u32 peer, u64 epoch,
			   u32 from, u32 to, struct list_head *out);
void sessha_sync_trim_kept(struct sessha_net *sn);

#endif /* _SESSHA_SYNC_TX_H */
