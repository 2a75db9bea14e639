/* SPDX-License-Identifier: GPL-2.0 */
/* Sync transport, receiving side (sync_rx.c). */
#ifndef _SESSHA_SYNC_RX_H
#define _SESSHA_SYNC_RX_H

#include "sessha.h"

enum sessha_sync_gap {
	SESSHA_GAP_NONE,
	SESSHA_GAP_HOLE,	/* numbers skipped: lost, or only late */
	SESSHA_GAP_STREAM,	/* we joined its stream midway */
};

bool sessha_sync_accept(struct sessha_net *sn, struct sk_buff *skb,
			struct sessha_wire_msg *msg,
			enum sessha_sync_gap *gap);

#endif /* _SESSHA_SYNC_RX_H */
