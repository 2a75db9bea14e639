// SPDX-License-Identifier: GPL-2.0
/*
 * Expiry: once a second, idle sessions go. An owner tells its backup, so
 * that the replica goes too; a replica goes quietly, as its owner's GC
 * does the same.
 */
#include "gc.h"
#include "record.h"
#include "session.h"

#define SESSHA_GC_INTERVAL	HZ

/* Decided under s->lock, where a packet refreshes the expiry. */
static void sessha_expire_one(struct sessha_net *sn, struct sessha_session *s,
			      void *arg)
{
	bool expired;

	if (time_before(jiffies, READ_ONCE(s->expires)))
		return;
	spin_lock_bh(&s->lock);
	expired = !time_before(jiffies, s->expires) && sessha_session_kill(s);
	spin_unlock_bh(&s->lock);
	if (!expired)
		return;
	if (s->role == SESSHA_ROLE_OWNER)
		sessha_record_queue(sn, s, SESSHA_WIRE_OP_DELETE);
	sessha_count(sn, SESSHA_STAT_SESSIONS_EXPIRED);
	sessha_session_remove(sn, s);
}

static void sessha_gc_work(struct work_struct *work)
{
	struct sessha_net *sn = container_of(to_delayed_work(work),
					     struct sessha_net, repl.gc_work);

	if (atomic_read(&sn->nsessions))
		sessha_sessions_walk(sn, sessha_expire_one, NULL);
	queue_delayed_work(system_power_efficient_wq, &sn->repl.gc_work,
			   SESSHA_GC_INTERVAL);
}

void sessha_gc_init(struct sessha_net *sn)
{
	INIT_DELAYED_WORK(&sn->repl.gc_work, sessha_gc_work);
}

void sessha_gc_start(struct sessha_net *sn)
{
	queue_delayed_work(system_power_efficient_wq, &sn->repl.gc_work,
			   SESSHA_GC_INTERVAL);
}

void sessha_gc_stop(struct sessha_net *sn)
{
	cancel_delayed_work_sync(&sn->repl.gc_work);
}
