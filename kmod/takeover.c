// SPDX-License-Identifier: GPL-2.0
/*
 * A flow changing hands: a replica becomes the flow we serve when its
 * owner failed (promotion), and goes back to being a replica when the
 * owner by the policy returns (demotion). The packet path promotes on a
 * flow's first packet here; role reconciliation (roles.c) does both for
 * every flow when a node changes state.
 */
#include "events.h"
#include "policy.h"
#include "takeover.h"
#include "tally.h"

/*
 * A replica whose owner failed becomes ours: a forwarder moved the flow
 * here, or the controller marked the owner down. Its replica moves to our
 * own backup, so that the next failure is survivable too. The caller
 * holds s->lock and syncs afterwards.
 */
void sessha_session_promote(struct sessha_net *sn, struct sessha_session *s,
			    const struct sessha_service *svc)
{
	const struct sessha_node_table *nodes = rcu_dereference(sn->nodes);
	u32 old_owner = s->owner;

	lockdep_assert_held(&s->lock);
	s->role = SESSHA_ROLE_OWNER;
	s->owner = sessha_node_local_id(nodes);
	s->backup = sessha_policy_backup(nodes, svc, &s->key);
	/* Counted for our backup when its record goes. */
	sessha_tally_set(sn, s, SESSHA_TALLY_NONE, 0);
	sessha_count(sn, SESSHA_STAT_SESSIONS_PROMOTED);
	sessha_event_takeover(sn, s, old_owner);
}

/* The reverse of a promotion: the flow's owner by the policy is back. */
void sessha_session_demote(struct sessha_net *sn, struct sessha_session *s,
			   const struct sessha_node_table *nodes,
			   const struct sessha_service *svc)
{
	const struct sessha_node *owner, *backup;

	sessha_policy_pick(nodes, svc, &s->key, false, &owner, &backup);
	if (!owner || owner->local)
		return;
	spin_lock_bh(&s->lock);
	if (s->role == SESSHA_ROLE_OWNER) {
		s->role = SESSHA_ROLE_REPLICA;
		s->owner = owner->id;
		s->backup = 0;
		sessha_tally_set(sn, s, SESSHA_TALLY_HELD, owner->id);
		sessha_count(sn, SESSHA_STAT_SESSIONS_DEMOTED);
	}
	spin_unlock_bh(&s->lock);
}
