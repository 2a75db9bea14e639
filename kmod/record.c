// SPDX-License-Identifier: GPL-2.0
/*
 * What a backup hears of a session: one wire record with the flow, its
 * backend, state and remaining lifetime, queued for the node the session
 * names as its backup.
 */
#include "peer.h"
#include "policy.h"
#include "record.h"
#include "sync_tx.h"

unsigned int sessha_record_build(const struct sessha_session *s, u8 op,
				 u8 *buf)
{
	long left = (long)(READ_ONCE(s->expires) - jiffies) / HZ;
	struct sessha_wire_record rec = {
		.op		= op,
		.flags		= s->key.family == AF_INET6 ?
				  SESSHA_WIRE_F_IPV6 : 0,
		.state		= s->state,
		.service	= s->key.service,
		.backend	= s->backend_id,
		.cport		= ntohs(s->key.cport),
		.timeout	= clamp_t(long, left, 1, U16_MAX),
	};

	memcpy(rec.addr, &s->key.client, sessha_addr_len(s->key.family));
	return sessha_wire_put_record(buf, &rec);
}

/*
 * Queue @op for @s to the backup it names. Any context. A record the
 * queue cannot take makes us answer its bucket to that backup in bulk,
 * unasked, at the next maintenance run.
 */
void sessha_record_queue(struct sessha_net *sn, struct sessha_session *s,
			 u8 op)
{
	u8 rec[SESSHA_WIRE_REC_MAX];
	u32 peer = READ_ONCE(s->backup);

	if (!READ_ONCE(sn->cfg.sync_enabled))
		return;
	if (!peer) {
		sessha_count(sn, SESSHA_STAT_SYNC_TX_NO_PEER);
		return;
	}
	if (sessha_sync_queue(sn, peer, rec, sessha_record_build(s, op, rec)))
		sessha_peer_owe(sn, peer, sessha_flow_bucket(&s->key));
}
