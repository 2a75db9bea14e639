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
#include "wire.h"

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

/* Checks lengths only: the records exactly fill the datagram. */
static enum sessha_stat sessha_sync_check_framing(const u8 *data,
						  unsigned int len)
{
	const struct sessha_wire_hdr *hdr = (const void *)data;
	unsigned int off = sizeof(*hdr), i, count;

	if (len < sizeof(*hdr))
		return SESSHA_STAT_SYNC_RX_SHORT;
	if (hdr->version != SESSHA_WIRE_VERSION)
		return SESSHA_STAT_SYNC_RX_VERSION;
	if (hdr->type != SESSHA_WIRE_TYPE_SESSIONS)
		return SESSHA_STAT_SYNC_RX_TYPE;
	if (ntohs(hdr->length) != len)
		return SESSHA_STAT_SYNC_RX_LENGTH;

	count = ntohs(hdr->count);
	for (i = 0; i < count; i++) {
		const struct sessha_wire_rec *rec = (const void *)(data + off);

		if (len - off < sizeof(*rec) ||
		    len - off < sessha_wire_rec_len(rec->flags))
			return SESSHA_STAT_SYNC_RX_SHORT;
		off += sessha_wire_rec_len(rec->flags);
	}
	return off == len ? __SESSHA_STAT_MAX : SESSHA_STAT_SYNC_RX_LENGTH;
}

static void sessha_replica_set(struct sessha_session *s,
			       const struct sessha_wire_rec *rec,
			       const struct sessha_backend *be, u32 owner)
{
	s->state = rec->state;
	s->backend_id = be->id;
	s->backend_addr = be->addr;
	s->owner = owner;
	s->backup = 0;
	WRITE_ONCE(s->expires, jiffies + ntohs(rec->timeout) * HZ);
}

static enum sessha_stat sessha_replica_update(struct sessha_net *sn,
					      const struct sessha_key *key,
					      const struct sessha_wire_rec *rec,
					      const struct sessha_backend *be,
					      u32 owner)
{
	struct sessha_session *s = sessha_session_lookup(sn, key);
	enum sessha_stat ret = SESSHA_STAT_REPLICAS_UPDATED;
	struct sessha_session *new;

	if (s) {
		spin_lock(&s->lock);
		if (s->role == SESSHA_ROLE_REPLICA)
			sessha_replica_set(s, rec, be, owner);
		else
			ret = SESSHA_STAT_SYNC_RX_CONFLICT;
		spin_unlock(&s->lock);
		return ret;
	}
	new = sessha_session_alloc(sn, key);
	if (!new)
		return __SESSHA_STAT_MAX;	/* counted by the allocator */
	new->role = SESSHA_ROLE_REPLICA;
	sessha_replica_set(new, rec, be, owner);
	s = sessha_session_insert(sn, new);
	if (!s)
		return __SESSHA_STAT_MAX;	/* counted by the insertion */
	if (s != new)
		return SESSHA_STAT_SYNC_RX_CONFLICT;
	return SESSHA_STAT_REPLICAS_CREATED;
}

static enum sessha_stat sessha_replica_delete(struct sessha_net *sn,
					      const struct sessha_key *key)
{
	struct sessha_session *s = sessha_session_lookup(sn, key);

	if (!s)
		return SESSHA_STAT_REPLICAS_DELETED;	/* already gone */
	if (s->role != SESSHA_ROLE_REPLICA)
		return SESSHA_STAT_SYNC_RX_CONFLICT;
	sessha_session_unlink(sn, s);
	return SESSHA_STAT_REPLICAS_DELETED;
}

static enum sessha_stat sessha_sync_apply(struct sessha_net *sn,
					  const struct sessha_wire_rec *rec,
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
	svc = sessha_service_find(sn, ntohs(rec->service));
	if (!svc || svc->family != family)
		return SESSHA_STAT_SYNC_RX_BAD_RECORD;

	memcpy(&key.client, rec + 1, sessha_addr_len(family));
	key.cport = rec->cport;
	key.service = svc->id;
	key.family = family;
	if (rec->op == SESSHA_WIRE_OP_DELETE)
		return sessha_replica_delete(sn, &key);

	be = sessha_backend_find(rcu_dereference(svc->pool),
				 ntohs(rec->backend));
	if (!be)
		return SESSHA_STAT_SYNC_RX_BAD_RECORD;
	return sessha_replica_update(sn, &key, rec, be, owner);
}

static void sessha_sync_rx(struct sessha_net *sn, struct sk_buff *skb)
{
	const struct sessha_wire_hdr *hdr;
	const struct sessha_node *sender;
	enum sessha_stat verdict;
	unsigned int len, off, i;

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
	len = skb->len - sizeof(struct udphdr);
	hdr = (const void *)(skb->data + sizeof(struct udphdr));
	verdict = sessha_sync_check_framing((const u8 *)hdr, len);
	if (verdict != __SESSHA_STAT_MAX) {
		sessha_count(sn, verdict);
		return;
	}
	sender = sessha_sync_sender(sn, skb, ntohl(hdr->sender));
	if (!sender) {
		sessha_count(sn, SESSHA_STAT_SYNC_RX_UNKNOWN_PEER);
		return;
	}

	for (i = 0, off = sizeof(*hdr); i < ntohs(hdr->count); i++) {
		const struct sessha_wire_rec *rec = (const void *)hdr + off;

		sessha_count(sn, SESSHA_STAT_SYNC_RX_RECORDS);
		verdict = sessha_sync_apply(sn, rec, sender->id);
		if (verdict != __SESSHA_STAT_MAX)
			sessha_count(sn, verdict);
		off += sessha_wire_rec_len(rec->flags);
	}
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
