// SPDX-License-Identifier: GPL-2.0
/*
 * Sync, receiving side. Every datagram is hostile until proven otherwise:
 * the framing is checked whole before any record is applied, each record
 * is checked against this host's own configuration, and every rejection
 * is counted by reason.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/sock.h>

#include "sessha.h"

/* The sender's address, as the network delivered it. */
static bool sessha_sync_source(const struct sk_buff *skb, u8 *family,
			       union sessha_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (skb->protocol == htons(ETH_P_IP)) {
		*family = AF_INET;
		addr->ip = ip_hdr(skb)->saddr;
		return true;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		*family = AF_INET6;
		addr->in6 = ipv6_hdr(skb)->saddr;
		return true;
	}
	return false;
}

/* The sender must be a known remote node, at the address it claims. */
static const struct sessha_node *sessha_sync_sender(struct sessha_net *sn,
						    const struct sk_buff *skb,
						    u32 id)
{
	const struct sessha_node *node;
	union sessha_addr src;
	u8 family;

	node = sessha_node_find(rcu_dereference(sn->nodes), id);
	if (!node || node->local || !sessha_sync_source(skb, &family, &src))
		return NULL;
	if (node->family != family ||
	    !sessha_addr_equal(family, &node->addr, &src))
		return NULL;
	return node;
}

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
sessha_sync_apply(struct sessha_net *sn, const struct sessha_wire_record *rec,
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
void sessha_sync_rx_records(struct sessha_net *sn, const u8 *body,
			    unsigned int count, u32 sender)
{
	struct sessha_wire_record rec;
	enum sessha_stat verdict;
	unsigned int i;

	for (i = 0; i < count; i++) {
		body += sessha_wire_get_record(body, &rec);
		sessha_count(sn, SESSHA_STAT_SYNC_RX_RECORDS);
		verdict = sessha_sync_apply(sn, &rec, sender);
		if (verdict != __SESSHA_STAT_MAX)
			sessha_count(sn, verdict);
	}
}

static const enum sessha_stat sessha_wire_errors[] = {
	[SESSHA_WIRE_ESHORT]	= SESSHA_STAT_SYNC_RX_SHORT,
	[SESSHA_WIRE_EVERSION]	= SESSHA_STAT_SYNC_RX_VERSION,
	[SESSHA_WIRE_ETYPE]	= SESSHA_STAT_SYNC_RX_TYPE,
	[SESSHA_WIRE_ELENGTH]	= SESSHA_STAT_SYNC_RX_LENGTH,
};

/*
 * Checks, in order: framing, MAC, sender, freshness. Only then does the
 * datagram touch any state. Returns the reason to drop it, if any.
 */
static enum sessha_stat sessha_sync_verify(struct sessha_net *sn,
					   const struct sk_buff *skb,
					   const u8 *buf, unsigned int len,
					   struct sessha_wire_msg *msg)
{
	const struct sessha_node *local;
	enum sessha_stat verdict;
	struct sessha_peer *p;
	bool fresh, gap;
	int err;

	err = sessha_wire_parse(buf, len, msg);
	if (err)
		return sessha_wire_errors[err];
	local = sessha_node_local(rcu_dereference(sn->nodes));
	verdict = sessha_auth_verify(sn, buf, msg->key_id, msg->signed_len,
				     msg->mac, local ? local->id : 0);
	if (verdict != __SESSHA_STAT_MAX)
		return verdict;
	if (!sessha_sync_sender(sn, skb, msg->sender))
		return SESSHA_STAT_SYNC_RX_UNKNOWN_PEER;

	spin_lock(&sn->sync.peer_lock);
	p = sessha_peer_get(sn, msg->sender);
	fresh = p && sessha_peer_rx_fresh(p, msg->epoch, msg->seq, &gap);
	if (fresh && gap)
		p->repair = SESSHA_WIRE_ALL_BUCKETS;
	if (fresh && p->bulk_rx)
		p->bulk_rx_count++;
	spin_unlock(&sn->sync.peer_lock);
	if (!fresh)
		return SESSHA_STAT_SYNC_RX_REPLAY;
	if (gap) {
		sessha_count(sn, SESSHA_STAT_SYNC_RX_GAPS);
		sessha_repair_kick(sn);
	}
	return __SESSHA_STAT_MAX;
}

static void sessha_sync_rx(struct sessha_net *sn, struct sk_buff *skb)
{
	struct sessha_wire_msg msg;
	enum sessha_stat verdict;

	sessha_count(sn, SESSHA_STAT_SYNC_RX_DATAGRAMS);
	if (!READ_ONCE(sn->cfg.sync_enabled)) {
		sessha_count(sn, SESSHA_STAT_SYNC_RX_DISABLED);
		return;
	}
	if (skb->len < sizeof(struct udphdr)) {
		sessha_count(sn, SESSHA_STAT_SYNC_RX_SHORT);
		return;
	}
	if (skb_linearize(skb)) {
		sessha_count(sn, SESSHA_STAT_DROP_NOMEM);
		return;
	}
	verdict = sessha_sync_verify(sn, skb, skb->data + sizeof(struct udphdr),
				     skb->len - sizeof(struct udphdr), &msg);
	if (verdict != __SESSHA_STAT_MAX) {
		sessha_count(sn, verdict);
		return;
	}
	if (msg.type == SESSHA_WIRE_SESSIONS)
		sessha_sync_rx_records(sn, msg.body, msg.count, msg.sender);
	else
		sessha_repair_rx(sn, &msg);
}

/* encap_rcv: called under rcu_read_lock with the UDP header at skb->data. */
int sessha_sync_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct sessha_net *sn = rcu_dereference_sk_user_data(sk);

	if (sn)
		sessha_sync_rx(sn, skb);
	consume_skb(skb);
	return 0;
}
