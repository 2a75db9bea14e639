// SPDX-License-Identifier: GPL-2.0
/*
 * Role reconciliation. Whenever a node changes state (and once more when
 * this node has joined), every flow's role here is made to match the HA
 * policy: replicas of flows that are now ours are promoted at once, not
 * at their next packet, so that an idle flow survives a second failure
 * too; flows that went back to a recovered owner become replicas; and
 * every flow served here whose replica should now live elsewhere is sent
 * to its new backup.
 */
#include "events.h"
#include "policy.h"
#include "record.h"
#include "roles.h"
#include "takeover.h"

/* Flows taken over from one node, for one service: one event for all. */
struct sessha_took {
	u32	from;
	u16	service;
	u32	count;
};

struct sessha_roles {
	bool				claim;	/* just joined */
	unsigned int			ntook;
	struct sessha_took		took[16];
};

static void sessha_roles_report(struct sessha_net *sn, struct sessha_roles *r)
{
	unsigned int i;

	for (i = 0; i < r->ntook; i++)
		sessha_event_takeovers(sn, r->took[i].from, r->took[i].service,
				       r->took[i].count);
	r->ntook = 0;
}

/* More (node, service) pairs than fit are reported early, and again. */
static void sessha_roles_took(struct sessha_net *sn, struct sessha_roles *r,
			      u32 from, u16 service)
{
	unsigned int i;

	for (i = 0; i < r->ntook; i++) {
		if (r->took[i].from == from && r->took[i].service == service) {
			r->took[i].count++;
			return;
		}
	}
	if (r->ntook == ARRAY_SIZE(r->took))
		sessha_roles_report(sn, r);
	r->took[r->ntook++] = (struct sessha_took){ from, service, 1 };
}

/*
 * A replica of a flow the policy gives us, whose recorded owner is down;
 * or, right after we joined, whose recorded owner is anyone: we are the
 * node it comes back to, and the owner that took it over while we were
 * away hands it back when it sees us up.
 */
static bool sessha_takeover_due(const struct sessha_node_table *nodes,
				bool claim, const struct sessha_service *svc,
				const struct sessha_session *s)
{
	const struct sessha_node *owner, *backup;

	owner = sessha_node_find(nodes, READ_ONCE(s->owner));
	if (owner && owner->up && !claim)
		return false;
	sessha_policy_pick(nodes, svc, &s->key, false, &owner, &backup);
	return owner && owner->local;
}

/*
 * A flow we serve whose owner, by the policy, is now another node that is
 * up: it came back after a failback. We keep a replica; the owner takes
 * the flow at its next packet, from the replica the join gave it.
 */
static bool sessha_handback_due(const struct sessha_node_table *nodes,
				const struct sessha_service *svc,
				const struct sessha_session *s)
{
	const struct sessha_node *owner, *backup;

	sessha_policy_pick(nodes, svc, &s->key, false, &owner, &backup);
	return owner && !owner->local;
}

/*
 * A node changed state: make each flow's role here match the policy.
 * Replicas of flows that are now ours are promoted at once, not at their
 * next packet, so that an idle flow survives a second failure too; flows
 * that went back to a recovered owner become replicas; and every flow
 * served here whose replica should now live elsewhere is sent to its new
 * backup.
 */
static void sessha_rebackup_one(struct sessha_net *sn,
				struct sessha_session *s, void *arg)
{
	const struct sessha_node_table *nodes = rcu_dereference(sn->nodes);
	struct sessha_roles *r = arg;
	struct sessha_service *svc;
	u32 backup, from;

	svc = sessha_service_find(sn, s->key.service);
	if (!svc)
		return;
	if (s->role == SESSHA_ROLE_REPLICA &&
	    !sessha_takeover_due(nodes, r->claim, svc, s))
		return;
	if (s->role == SESSHA_ROLE_OWNER && sessha_handback_due(nodes, svc, s)) {
		sessha_session_demote(sn, s, nodes, svc);
		return;
	}
	backup = sessha_policy_backup(nodes, svc, &s->key);

	spin_lock_bh(&s->lock);
	if (s->dead) {
		spin_unlock_bh(&s->lock);
		return;
	}
	if (s->role == SESSHA_ROLE_REPLICA) {
		from = s->owner;
		sessha_session_promote(sn, s, svc);
		sessha_roles_took(sn, r, from, s->key.service);
	} else if (backup != s->backup) {
		s->backup = backup;
	} else {
		spin_unlock_bh(&s->lock);
		return;
	}
	s->synced = (u32)jiffies;
	spin_unlock_bh(&s->lock);
	sessha_record_update(sn, s);
}

static void sessha_roles_work(struct work_struct *work)
{
	struct sessha_net *sn = container_of(work, struct sessha_net,
					     repl.roles_work);
	struct sessha_roles r = { .claim = xchg(&sn->repl.claim, false) };

	sessha_sessions_walk(sn, sessha_rebackup_one, &r);
	sessha_roles_report(sn, &r);
}

void sessha_roles_init(struct sessha_net *sn)
{
	INIT_WORK(&sn->repl.roles_work, sessha_roles_work);
}

/* A node was added, removed or changed state: reconcile soon. */
void sessha_roles_kick(struct sessha_net *sn)
{
	queue_work(sn->repl.wq, &sn->repl.roles_work);
}

/* We just joined: take back the flows the policy gives us. */
void sessha_roles_claim(struct sessha_net *sn)
{
	WRITE_ONCE(sn->repl.claim, true);
	queue_work(sn->repl.wq, &sn->repl.roles_work);
}

void sessha_roles_stop(struct sessha_net *sn)
{
	cancel_work_sync(&sn->repl.roles_work);
}
