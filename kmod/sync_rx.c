// SPDX-License-Identifier: GPL-2.0
/*
 * Sync transport, receiving side. Every datagram is hostile until proven
 * otherwise: the framing is checked whole, then the MAC, the sender and
 * freshness, before anything above us sees it; every rejection is
 * counted by reason. What the records mean is replica.c's business.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/sock.h>

#include "auth.h"
#include "node.h"
#include "peer.h"
#include "sync_rx.h"

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

static const enum sessha_stat sessha_wire_errors[] = {
	[SESSHA_WIRE_ESHORT]	= SESSHA_STAT_SYNC_RX_SHORT,
	[SESSHA_WIRE_EVERSION]	= SESSHA_STAT_SYNC_RX_VERSION,
	[SESSHA_WIRE_ETYPE]	= SESSHA_STAT_SYNC_RX_TYPE,
	[SESSHA_WIRE_ELENGTH]	= SESSHA_STAT_SYNC_RX_LENGTH,
	[SESSHA_WIRE_ERECORD]	= SESSHA_STAT_SYNC_RX_BAD_RECORD,
};

/*
 * Checks, in order: framing, MAC, sender, freshness. Only then does the
 * datagram touch any state. Returns the reason to drop it, if any.
 */
static enum sessha_stat sessha_sync_verify(struct sessha_net *sn,
					   const struct sk_buff *skb,
					   const u8 *buf, unsigned int len,
					   struct sessha_wire_msg *msg,
					   enum sessha_sync_gap *gap)
{
	const struct sessha_node *local;
	bool fresh, midway = false, had_hole;
	enum sessha_stat verdict;
	struct sessha_peer *p;
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
	had_hole = p && p->hole_from;
	fresh = p && sessha_peer_rx_fresh(p, msg->epoch, msg->seq, &midway);
	if (fresh && midway)
		p->repair = SESSHA_WIRE_ALL_BUCKETS;
	if (fresh && p->bulk_rx)
		p->bulk_rx_count++;
	if (fresh && !had_hole && p->hole_from)
		*gap = SESSHA_GAP_HOLE;
	spin_unlock(&sn->sync.peer_lock);
	if (!fresh)
		return SESSHA_STAT_SYNC_RX_REPLAY;
	if (midway) {
		*gap = SESSHA_GAP_STREAM;
		sessha_count(sn, SESSHA_STAT_SYNC_RX_GAPS);
	}
	return __SESSHA_STAT_MAX;
}

/*
 * Softirq, the UDP header at skb->data. True if the datagram, parsed into
 * @msg, may be acted on; @gap says whether the sender's earlier
 * datagrams may have gone missing (enum sessha_sync_gap).
 */
bool sessha_sync_accept(struct sessha_net *sn, struct sk_buff *skb,
			struct sessha_wire_msg *msg,
			enum sessha_sync_gap *gap)
{
	enum sessha_stat verdict;

	*gap = SESSHA_GAP_NONE;
	sessha_count(sn, SESSHA_STAT_SYNC_RX_DATAGRAMS);
	if (!READ_ONCE(sn->cfg.sync_enabled)) {
		sessha_count(sn, SESSHA_STAT_SYNC_RX_DISABLED);
		return false;
	}
	if (skb->len < sizeof(struct udphdr)) {
		sessha_count(sn, SESSHA_STAT_SYNC_RX_SHORT);
		return false;
	}
	if (skb_linearize(skb)) {
		sessha_count(sn, SESSHA_STAT_DROP_NOMEM);
		return false;
	}
	verdict = sessha_sync_verify(sn, skb, skb->data + sizeof(struct udphdr),
				     skb->len - sizeof(struct udphdr), msg,
				     gap);
	if (verdict == __SESSHA_STAT_MAX)
		return true;
	sessha_count(sn, verdict);
	return false;
}
