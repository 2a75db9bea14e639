// SPDX-License-Identifier: GPL-2.0
/*
 * The servicing node: find or create the flow's session, follow its TCP
 * state, keep the backup's replica current, and send the packet on to the
 * session's backend.
 */
#include <linux/netfilter.h>

#include "policy.h"
#include "record.h"
#include "serve.h"
#include "takeover.h"
#include "xmit.h"

/*
 * The servicing node sees only the client's half of the conversation
 * (the backend answers the client directly), so the states are coarse.
 */
static u8 sessha_next_state(u8 proto, u8 state, u8 flags)
{
	if (proto != IPPROTO_TCP)
		return SESSHA_STATE_NONE;
	if (flags & SESSHA_TCP_RST)
		return SESSHA_STATE_CLOSED;
	/* The client reuses its port for a new connection. */
	if ((flags & SESSHA_TCP_SYN) && !(flags & SESSHA_TCP_ACK))
		return SESSHA_STATE_SYN;
	if (flags & SESSHA_TCP_FIN)
		return SESSHA_STATE_CLOSING;
	if (state == SESSHA_STATE_SYN && (flags & SESSHA_TCP_ACK) &&
	    !(flags & SESSHA_TCP_SYN))
		return SESSHA_STATE_ESTABLISHED;
	return state;
}

static bool sessha_flow_starts(u8 proto, u8 flags)
{
	if (proto != IPPROTO_TCP)
		return true;
	return (flags & (SESSHA_TCP_SYN | SESSHA_TCP_ACK | SESSHA_TCP_RST)) ==
	       SESSHA_TCP_SYN;
}

static struct sessha_session *sessha_session_create(struct sessha_net *sn,
						    struct sessha_service *svc,
						    const struct sessha_key *key)
{
	const struct sessha_node_table *nodes = rcu_dereference(sn->nodes);
	const struct sessha_backend *be;
	struct sessha_session *new, *s;

	be = sessha_backend_pick(svc);
	if (!be) {
		sessha_count(sn, SESSHA_STAT_DROP_NO_BACKEND);
		return NULL;
	}
	new = sessha_session_alloc(sn, key);
	if (!new)
		return NULL;
	s = new;
	s->backend_id = be->id;
	s->backend_addr = be->addr;
	s->backend_family = be->family;
	s->role = SESSHA_ROLE_OWNER;
	s->state = svc->proto == IPPROTO_TCP ? SESSHA_STATE_SYN :
					       SESSHA_STATE_NONE;
	s->owner = sessha_node_local_id(nodes);
	s->backup = sessha_policy_backup(nodes, svc, key);
	s->expires = jiffies + sessha_session_timeout(sn, svc->proto, s->state);
	s->synced = (u32)jiffies;

	s = sessha_session_insert(sn, new);
	if (s == new) {
		sessha_count(sn, SESSHA_STAT_SESSIONS_CREATED);
		sessha_record_update(sn, s);
	}
	return s;
}

/*
 * Updates state and lifetime. 1 if the backup should hear of it, 0 if
 * not, -ENOENT if the entry expired as the packet came.
 */
static int sessha_session_touch(struct sessha_net *sn,
				struct sessha_session *s,
				const struct sessha_service *svc, u8 flags)
{
	unsigned long timeout;
	bool sync = false;
	u8 state;

	spin_lock(&s->lock);
	if (s->dead) {
		spin_unlock(&s->lock);
		return -ENOENT;
	}
	if (s->role == SESSHA_ROLE_REPLICA) {
		sessha_session_promote(sn, s, svc);
		sync = true;
	}
	state = sessha_next_state(svc->proto, s->state, flags);
	/* The handshake completed: now the connection is worth a replica. */
	if (state == SESSHA_STATE_ESTABLISHED && s->state == SESSHA_STATE_SYN)
		sync = true;
	s->state = state;
	timeout = sessha_session_timeout(sn, svc->proto, state);
	WRITE_ONCE(s->expires, jiffies + timeout);
	/* Refresh the replica before it could expire on the backup. */
	if (time_after32((u32)jiffies, s->synced + timeout / 2))
		sync = true;
	if (sync)
		s->synced = (u32)jiffies;
	spin_unlock(&s->lock);
	return sync ? 1 : 0;
}

unsigned int sessha_serve(struct sessha_net *sn, struct sk_buff *skb,
			  struct sessha_service *svc,
			  const struct sessha_key *key, u8 tcp_flags)
{
	struct sessha_session *s;
	int touched, err;

	s = sessha_session_lookup(sn, key);
	if (s) {
		touched = sessha_session_touch(sn, s, svc, tcp_flags);
		if (touched > 0)
			sessha_record_update(sn, s);
		else if (touched < 0)
			s = NULL;
	}
	if (!s) {
		if (!sessha_flow_starts(svc->proto, tcp_flags)) {
			sessha_count(sn, SESSHA_STAT_DROP_NO_SESSION);
			return NF_DROP;
		}
		s = sessha_session_create(sn, svc, key);
		if (!s)
			return NF_DROP;
	}

	err = sessha_xmit(sn->net, skb, s->backend_family, &s->backend_addr);
	sessha_count(sn, err ? SESSHA_STAT_DROP_XMIT :
			       SESSHA_STAT_SERVED_PACKETS);
	return NF_STOLEN;
}
