// SPDX-License-Identifier: GPL-2.0
/*
 * What a backup hears of a session, and when (the reasoning is in
 * Documentation/sync-wire-format.rst, "What is sent, and when"):
 *
 * - an UPDATE once the flow is worth keeping: a UDP flow at once, a TCP
 *   connection when its handshake completes, not at the SYN;
 * - an UPDATE again when it changes hands (takeover, a new backup), and
 *   to refresh the replica's lifetime while it lives;
 * - a DELETE when the owner's entry expires, to the peer that holds it.
 *
 * State changes after the handshake are not sent: the replica lives
 * until the owner's DELETE, and a flow taken over in its closing state
 * closes on the new owner as it would have on the old one.
 */
#include "peer.h"
#include "policy.h"
#include "record.h"
#include "service.h"
#include "sync_tx.h"
#include "tally.h"

/*
 * The replica must outlive the owner's entry until the DELETE comes: the
 * entry lives up to half a timeout past its last refresh before the next
 * one is due, and up to a GC pass past its expiry.
 */
static u16 sessha_record_lifetime(struct sessha_net *sn,
				  const struct sessha_session *s)
{
	struct sessha_service *svc = sessha_service_find(sn, s->key.service);
	long left = (long)(READ_ONCE(s->expires) - jiffies);
	unsigned long full = svc ? sessha_session_timeout(sn, svc->proto,
							  s->state) : 0;

	left += full / 2 + SESSHA_GC_PASS_MAX;
	return clamp_t(long, left / HZ, 1, U16_MAX);
}

/* The record of @s, as it stands, into @buf; returns its length. */
unsigned int sessha_record_build(struct sessha_net *sn,
				 const struct sessha_session *s, u8 op, u8 *buf)
{
	struct sessha_wire_record rec = {
		.op		= op,
		.ipv6		= s->key.family == AF_INET6,
		.state		= op == SESSHA_WIRE_OP_UPDATE ? s->state : 0,
		.service	= s->key.service,
		.backend	= s->backend_id,
		.cport		= ntohs(s->key.cport),
	};

	if (op == SESSHA_WIRE_OP_UPDATE)
		rec.timeout = sessha_record_lifetime(sn, s);
	memcpy(rec.addr, &s->key.client, sessha_addr_len(s->key.family));
	return sessha_wire_put_record(buf, &rec);
}

/* The flow a record @rec names. */
void sessha_record_key(const struct sessha_wire_record *rec,
		       struct sessha_key *key)
{
	memset(key, 0, sizeof(*key));
	key->family = rec->ipv6 ? AF_INET6 : AF_INET;
	memcpy(&key->client, rec->addr, sessha_addr_len(key->family));
	key->cport = htons(rec->cport);
	key->service = rec->service;
}

/* A TCP connection is worth a replica once its handshake completed. */
bool sessha_record_due(const struct sessha_session *s)
{
	return s->state != SESSHA_STATE_SYN;
}

/*
 * Under s->lock: queues @op for @s to @peer and counts @s in @peer's
 * tally. Returns the peer whose bucket must go in bulk because the queue
 * could not take the record, else 0.
 */
static u32 __sessha_record_send(struct sessha_net *sn, struct sessha_session *s,
				u8 op, u32 peer)
{
	u8 kind = op == SESSHA_WIRE_OP_UPDATE ? SESSHA_TALLY_TOLD :
						SESSHA_TALLY_NONE;
	u8 rec[SESSHA_WIRE_REC_MAX];

	if (!READ_ONCE(sn->cfg.sync_enabled) || !peer) {
		if (!peer && op == SESSHA_WIRE_OP_UPDATE)
			sessha_count(sn, SESSHA_STAT_SYNC_TX_NO_PEER);
		sessha_tally_set(sn, s, SESSHA_TALLY_NONE, 0);
		return 0;
	}
	if (sessha_sync_queue(sn, s, peer, kind, rec,
			      sessha_record_build(sn, s, op, rec)))
		return peer;
	return 0;
}

/*
 * Sends the backup an UPDATE of @s, served here, if it is due. Any
 * context, without s->lock. A record the queue cannot take makes us
 * answer its bucket to that backup in bulk, unasked, at the next
 * maintenance run.
 */
void sessha_record_update(struct sessha_net *sn, struct sessha_session *s)
{
	u32 owed = 0;

	spin_lock_bh(&s->lock);
	if (!s->dead && s->role == SESSHA_ROLE_OWNER && sessha_record_due(s))
		owed = __sessha_record_send(sn, s, SESSHA_WIRE_OP_UPDATE,
					    READ_ONCE(s->backup));
	spin_unlock_bh(&s->lock);
	if (owed)
		sessha_peer_owe(sn, owed, sessha_flow_bucket(&s->key));
}

/*
 * @peer lost a record of @s: if @s, served here, is still due to @peer,
 * it hears the UPDATE of @s as it stands now, and true is returned.
 * False if @peer is not, or no longer, to hold @s. Without s->lock.
 */
bool sessha_record_resend(struct sessha_net *sn, struct sessha_session *s,
			  u32 peer)
{
	bool due;
	u32 owed = 0;

	spin_lock_bh(&s->lock);
	due = !s->dead && s->role == SESSHA_ROLE_OWNER && s->backup == peer &&
	      sessha_record_due(s);
	if (due)
		owed = __sessha_record_send(sn, s, SESSHA_WIRE_OP_UPDATE, peer);
	spin_unlock_bh(&s->lock);
	if (owed)
		sessha_peer_owe(sn, owed, sessha_flow_bucket(&s->key));
	return due;
}

/*
 * Under s->lock, as @s, served here, expires: the peer that holds its
 * replica hears a DELETE. A connection that never completed its
 * handshake has none.
 */
void sessha_record_delete(struct sessha_net *sn, struct sessha_session *s)
{
	u32 holder = s->tally_kind == SESSHA_TALLY_TOLD ? s->tally_peer : 0;

	lockdep_assert_held(&s->lock);
	if (holder)
		__sessha_record_send(sn, s, SESSHA_WIRE_OP_DELETE, holder);
}
