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
#include "record.h"
#include "repair.h"
#include "replica.h"
#include "service.h"
#include "session.h"
#include "sync_rx.h"
#include "tally.h"

static void sessha_replica_set(struct sessha_session *s,
			       const struct sessha_wire_record *rec,
			       const struct sessha_backend *be, u32 owner)
{
	s->role = SESSHA_ROLE_REPLICA;
	s->state = rec->state;
	s->backend_id = be->id;
	s->backend_addr = be->addr;
	s->backend_family = be->family;
	s->owner = owner;
	s->backup = 0;
	s->synced = (u32)jiffies;
	WRITE_ONCE(s->expires, jiffies + rec->timeout * HZ);
}

/* Under s->lock: @s is now a replica of @owner's, counted as such. */
static void sessha_replica_hold(struct sessha_net *sn, struct sessha_session *s,
				const struct sessha_wire_record *rec,
				const struct sessha_backend *be, u32 owner)
{
	sessha_replica_set(s, rec, be, owner);
	sessha_tally_set(sn, s, SESSHA_TALLY_HELD, owner);
}

/*
 * May @sender update this flow? Only its owner may: the node the entry
 * names (@recorded, 0 for a new entry), or the node the policy makes the
 * owner as this host sees it, or the one that takes over from that owner
 * (or from @recorded) when it fails: the controller tells hosts one after
 * the other, and the new owner's records may arrive first. A flow we
 * serve changes hands only to the policy owner: it came back to it after
 * a failback, and we become its backup.
 */
static bool sessha_replica_sender_owns(struct sessha_net *sn,
				       const struct sessha_service *svc,
				       const struct sessha_key *key,
				       u32 recorded, bool served, u32 sender)
{
	const struct sessha_node_table *nodes = rcu_dereference(sn->nodes);
	const struct sessha_node *owner, *backup;
	u32 first;

	sessha_policy_pick(nodes, svc, key, false, &owner, &backup);
	first = owner ? owner->id : 0;
	if (sender == first)
		return true;
	if (served)
		return false;
	if (recorded && sender == recorded)
		return true;
	return sender == sessha_policy_owner_without(nodes, svc, key,
						     recorded ?: first);
}

/* Under s->lock: the entry is live, and @sender may update it. */
static enum sessha_stat
sessha_replica_refresh(struct sessha_net *sn, struct sessha_session *s,
		       const struct sessha_service *svc,
		       const struct sessha_wire_record *rec,
		       const struct sessha_backend *be, u32 sender)
{
	bool served = s->role == SESSHA_ROLE_OWNER;

	if (!sessha_replica_sender_owns(sn, svc, &s->key, s->owner, served,
					sender))
		return SESSHA_STAT_SYNC_RX_CONFLICT;
	sessha_replica_hold(sn, s, rec, be, sender);
	return served ? SESSHA_STAT_SESSIONS_DEMOTED :
			SESSHA_STAT_REPLICAS_UPDATED;
}

static enum sessha_stat
sessha_replica_update(struct sessha_net *sn, const struct sessha_service *svc,
		      const struct sessha_key *key,
		      const struct sessha_wire_record *rec,
		      const struct sessha_backend *be, u32 sender)
{
	struct sessha_session *s = sessha_session_lookup(sn, key);
	enum sessha_stat ret = __SESSHA_STAT_MAX;
	struct sessha_session *new;

	if (s) {
		spin_lock(&s->lock);
		if (!s->dead)
			ret = sessha_replica_refresh(sn, s, svc, rec, be,
						     sender);
		spin_unlock(&s->lock);
		if (ret != __SESSHA_STAT_MAX)
			return ret;
		/* It expired as the record came: a new one replaces it. */
	}
	if (!sessha_replica_sender_owns(sn, svc, key, 0, false, sender))
		return SESSHA_STAT_SYNC_RX_CONFLICT;
	new = sessha_session_alloc(sn, key);
	if (!new)
		return __SESSHA_STAT_MAX;	/* counted by the allocator */
	sessha_replica_set(new, rec, be, sender);
	s = sessha_session_insert(sn, new);
	if (!s)
		return __SESSHA_STAT_MAX;	/* counted by the insertion */
	if (s != new)
		return SESSHA_STAT_SYNC_RX_CONFLICT;
	/* In the table now: only from here on may it be counted. */
	spin_lock(&s->lock);
	if (!s->dead)
		sessha_tally_set(sn, s, SESSHA_TALLY_HELD, sender);
	spin_unlock(&s->lock);
	return SESSHA_STAT_REPLICAS_CREATED;
}

static enum sessha_stat sessha_replica_delete(struct sessha_net *sn,
					      const struct sessha_key *key,
					      u32 sender)
{
	struct sessha_session *s = sessha_session_lookup(sn, key);
	enum sessha_stat ret = SESSHA_STAT_REPLICAS_DELETED;
	bool killed = false;

	if (!s)
		return ret;	/* already gone */
	spin_lock(&s->lock);
	if (s->role == SESSHA_ROLE_REPLICA && s->owner == sender)
		killed = sessha_session_kill(sn, s);
	else if (!s->dead)
		ret = SESSHA_STAT_SYNC_RX_CONFLICT;
	spin_unlock(&s->lock);
	if (killed)
		sessha_session_remove(sn, s);
	return ret;
}

static enum sessha_stat
sessha_replica_apply(struct sessha_net *sn, const struct sessha_wire_record *rec,
		  u32 owner)
{
	u8 family = rec->ipv6 ? AF_INET6 : AF_INET;
	const struct sessha_backend *be = NULL;
	struct sessha_service *svc;
	struct sessha_key key;

	/* sessha_wire_parse() checked op, flags and the reserved bits. */
	if (rec->state >= __SESSHA_STATE_MAX ||
	    (rec->op == SESSHA_WIRE_OP_UPDATE && !rec->timeout))
		return SESSHA_STAT_SYNC_RX_BAD_RECORD;
	svc = sessha_service_find(sn, rec->service);
	if (!svc || svc->family != family)
		return SESSHA_STAT_SYNC_RX_BAD_RECORD;

	sessha_record_key(rec, &key);
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
	enum sessha_sync_gap gap;
	struct sessha_wire_msg msg;

	if (!sn || !sessha_sync_accept(sn, skb, &msg, &gap))
		goto out;
	if (msg.type == SESSHA_WIRE_SESSIONS)
		sessha_replica_rx_records(sn, msg.body, msg.count, msg.sender);
	else
		sessha_repair_rx(sn, &msg);
	if (gap == SESSHA_GAP_STREAM)
		sessha_repair_kick(sn);
	else if (gap == SESSHA_GAP_HOLE)
		sessha_repair_kick_hole(sn);
out:
	consume_skb(skb);
	return 0;
}
