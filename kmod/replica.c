// SPDX-License-Identifier: GPL-2.0
/*
 * Replicas: applying the records a peer sends, and the entry point of
 * every sync datagram. The transport (sync_rx.c) has checked framing,
 * MAC, sender and freshness; here each record is checked against this
 * host's own configuration, and every rejection is counted by reason.
 */
#include <net/sock.h>

#include "node.h"
#include "policy.h"
#include "repair.h"
#include "replica.h"
#include "service.h"
#include "session.h"
#include "sync_rx.h"

static void sessha_replica_set(struct sessha_session *s,
			       const struct sessha_wire_record *rec,
			       const struct sessha_backend *be, u32 owner)
{
	s->role = SESSHA_ROLE_REPLICA;
	s->state = rec->state;
	s->backend_id = be->id;
	s->backend_addr = be->addr;
	s->owner = owner;
	s->backup = 0;
	s->synced = jiffies;
	WRITE_ONCE(s->expires, jiffies + rec->timeout * HZ);
}

/*
 * An update for a flow we serve is accepted only from the node the policy
 * now makes its owner: the flow came back to it after a failback, and we
 * become its backup.
 */
static bool sessha_hand_back(struct sessha_net *sn,
			     const struct sessha_service *svc,
			     const struct sessha_key *key, u32 sender)
{
	const struct sessha_node *owner, *backup;

	sessha_policy_pick(rcu_dereference(sn->nodes), svc, key, false,
			   &owner, &backup);
	return owner && owner->id == sender;
}

static enum sessha_stat
sessha_replica_update(struct sessha_net *sn, const struct sessha_service *svc,
		      const struct sessha_key *key,
		      const struct sessha_wire_record *rec,
		      const struct sessha_backend *be, u32 owner)
{
	struct sessha_session *s = sessha_session_lookup(sn, key);
	enum sessha_stat ret = SESSHA_STAT_REPLICAS_UPDATED;
	struct sessha_session *new;

	if (s) {
		bool ours = READ_ONCE(s->role) == SESSHA_ROLE_OWNER;

		if (ours && !sessha_hand_back(sn, svc, key, owner))
			return SESSHA_STAT_SYNC_RX_CONFLICT;
		spin_lock(&s->lock);
		if (s->role == SESSHA_ROLE_OWNER)
			ret = SESSHA_STAT_SESSIONS_DEMOTED;
		sessha_replica_set(s, rec, be, owner);
		spin_unlock(&s->lock);
		return ret;
	}
	new = sessha_session_alloc(sn, key);
	if (!new)
		return __SESSHA_STAT_MAX;	/* counted by the allocator */
	sessha_replica_set(new, rec, be, owner);
	s = sessha_session_insert(sn, new);
	if (!s)
		return __SESSHA_STAT_MAX;	/* counted by the insertion */
	if (s != new)
		return SESSHA_STAT_SYNC_RX_CONFLICT;
	return SESSHA_STAT_REPLICAS_CREATED;
}

static enum sessha_stat sessha_replica_delete(struct sessha_net *sn,
					      const struct sessha_key *key,
					      u32 sender)
{
	struct sessha_session *s = sessha_session_lookup(sn, key);

	if (!s)
		return SESSHA_STAT_REPLICAS_DELETED;	/* already gone */
	if (s->role != SESSHA_ROLE_REPLICA || READ_ONCE(s->owner) != sender)
		return SESSHA_STAT_SYNC_RX_CONFLICT;
	sessha_session_unlink(sn, s);
	return SESSHA_STAT_REPLICAS_DELETED;
}

static enum sessha_stat
sessha_replica_apply(struct sessha_net *sn, const struct sessha_wire_record *rec,
		  u32 owner)
{
	u8 family = rec->flags & SESSHA_WIRE_F_IPV6 ? AF_INET6 : AF_INET;
	const struct sessha_backend *be = NULL;
	struct sessha_service *svc;
	struct sessha_key key = {};

	if ((rec->op != SESSHA_WIRE_OP_UPDATE &&
	     rec->op != SESSHA_WIRE_OP_DELETE) ||
	    (rec->flags & ~SESSHA_WIRE_F_IPV6) || rec->reserved ||
	    rec->state >= __SESSHA_STATE_MAX || !rec->timeout)
		return SESSHA_STAT_SYNC_RX_BAD_RECORD;
	svc = sessha_service_find(sn, rec->service);
	if (!svc || svc->family != family)
		return SESSHA_STAT_SYNC_RX_BAD_RECORD;

	memcpy(&key.client, rec->addr, sessha_addr_len(family));
	key.cport = htons(rec->cport);
	key.service = svc->id;
	key.family = family;
	if (rec->op == SESSHA_WIRE_OP_DELETE)
		return sessha_replica_delete(sn, &key, owner);

	be = sessha_backend_find(rcu_dereference(svc->pool), rec->backend);
	if (!be)
		return SESSHA_STAT_SYNC_RX_BAD_RECORD;
	return sessha_replica_update(sn, svc, &key, rec, be, owner);
}

/* @body holds @count records that sessha_wire_parse() checked. */
static void sessha_replica_rx_records(struct sessha_net *sn, const u8 *body,
				      unsigned int count, u32 sender)
{
	struct sessha_wire_record rec;
	enum sessha_stat verdict;
	unsigned int i;

	for (i = 0; i < count; i++) {
		body += sessha_wire_get_record(body, &rec);
		sessha_count(sn, SESSHA_STAT_SYNC_RX_RECORDS);
		verdict = sessha_replica_apply(sn, &rec, sender);
		if (verdict != __SESSHA_STAT_MAX)
			sessha_count(sn, verdict);
	}
}

/* encap_rcv: called under rcu_read_lock with the UDP header at skb->data. */
int sessha_replica_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct sessha_net *sn = rcu_dereference_sk_user_data(sk);
	struct sessha_wire_msg msg;
	bool gap;

	if (!sn || !sessha_sync_accept(sn, skb, &msg, &gap))
		goto out;
	if (msg.type == SESSHA_WIRE_SESSIONS)
		sessha_replica_rx_records(sn, msg.body, msg.count, msg.sender);
	else
		sessha_repair_rx(sn, &msg);
	if (gap)
		sessha_repair_kick(sn);
out:
	consume_skb(skb);
	return 0;
}
