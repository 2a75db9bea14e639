/* SPDX-License-Identifier: GPL-2.0 */
/* Sync transport, sending side (sync_tx.c). */
#ifndef _SESSHA_SYNC_TX_H
#define _SESSHA_SYNC_TX_H

#include "session.h"

void sessha_sync_init(struct sessha_net *sn);
void sessha_sync_stop(struct sessha_net *sn);
int sessha_sync_send(struct sessha_net *sn, u32 peer_id, u8 type, u8 *buf,
		     unsigned int len, u16 count);
int sessha_sync_queue(struct sessha_net *sn, struct sessha_session *s,
		      u32 peer, u8 kind, const u8 *rec, unsigned int len);
void sessha_sync_queue_digest(struct sessha_net *sn, u32 peer);

#endif /* _SESSHA_SYNC_TX_H */
