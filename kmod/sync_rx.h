/* SPDX-License-Identifier: GPL-2.0 */
/* Sync transport, receiving side (sync_rx.c). */
#ifndef _SESSHA_SYNC_RX_H
#define _SESSHA_SYNC_RX_H

#include "sessha.h"

bool sessha_sync_accept(struct sessha_net *sn, struct sk_buff *skb,
			struct sessha_wire_msg *msg, bool *gap);

#endif /* _SESSHA_SYNC_RX_H */
