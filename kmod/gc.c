// SPDX-License-Identifier: GPL-2.0
/*
 * Expiry: idle sessions go. An owner tells its backup, so that the
 * replica goes too; a replica goes quietly, as its owner's GC does the
 * same.
 *
 * The table is scanned in slices, as conntrack's gc_worker does: every
 * 250 ms the worker resumes its walk where it stopped and looks at a
 * thirty-second of the table, at least 256 entries. A pass takes at most
 * 8 s (256 entries or fewer: 250 ms), and a million sessions cost an
 * eighth of what a whole pass every second did. An entry may outlive its
 * timeout by up to a pass.
 */
#include "gc.h"
#include "record.h"
#include "session.h"

#define SESSHA_GC_PERIOD	(HZ / 4)
#define SESSHA_GC_PASS_RUNS	32	/* runs per pass over a large table */
#define SESSHA_GC_MIN_SLICE	256
#define SESSHA_GC_CHUNK		256	/* entries per RCU section */

static_assert(SESSHA_GC_PASS_RUNS * SESSHA_GC_PERIOD <= SESSHA_GC_PASS_MAX);

/* Decided under s->lock, where a packet refreshes the expiry. */
static void sessha_expire_one(struct sessha_net *sn, struct sessha_session *s)
{
	bool expired;

	if (time_before(jiffies, READ_ONCE(s->expires)))
		return;
	spin_lock_bh(&s->lock);
	expired = !s->dead && !time_before(jiffies, s->expires);
	if (expired && s->role == SESSHA_ROLE_OWNER)
		sessha_record_delete(sn, s);
	if (expired)
		sessha_session_kill(sn, s);
	spin_unlock_bh(&s->lock);
	if (!expired)
		return;
	sessha_count(sn, SESSHA_STAT_SESSIONS_EXPIRED);
	sessha_session_remove(sn, s);
}

/* Looks at up to @budget entries of the pass; true when it is complete. */
static bool sessha_gc_step(struct sessha_net *sn, unsigned int budget)
{
	struct rhashtable_iter *iter = &sn->repl.gc_iter;
	struct sessha_session *s;
	unsigned int n = 0;
	bool done = false;

	rhashtable_walk_start(iter);
	while (n < budget) {
		s = rhashtable_walk_next(iter);
		if (!s) {
			done = true;
			break;
		}
		if (IS_ERR(s))
			continue;	/* -EAGAIN: resized, go on */
		sessha_expire_one(sn, s);
		if (++n % SESSHA_GC_CHUNK)
			continue;
		rhashtable_walk_stop(iter);
		cond_resched();
		rhashtable_walk_start(iter);
	}
	rhashtable_walk_stop(iter);
	return done;
}

static void sessha_gc_work(struct work_struct *work)
{
	struct sessha_net *sn = container_of(to_delayed_work(work),
					     struct sessha_net, repl.gc_work);
	unsigned int n = atomic_read(&sn->nsessions);

	if (!sn->repl.gc_walking && n) {
		rhashtable_walk_enter(&sn->sessions, &sn->repl.gc_iter);
		sn->repl.gc_walking = true;
	}
	if (sn->repl.gc_walking &&
	    sessha_gc_step(sn, max_t(unsigned int, SESSHA_GC_MIN_SLICE,
				     n / SESSHA_GC_PASS_RUNS))) {
		rhashtable_walk_exit(&sn->repl.gc_iter);
		sn->repl.gc_walking = false;
	}
	queue_delayed_work(sn->repl.wq, &sn->repl.gc_work,
			   SESSHA_GC_PERIOD);
}

void sessha_gc_init(struct sessha_net *sn)
{
	INIT_DELAYED_WORK(&sn->repl.gc_work, sessha_gc_work);
}

void sessha_gc_start(struct sessha_net *sn)
{
	queue_delayed_work(sn->repl.wq, &sn->repl.gc_work,
			   SESSHA_GC_PERIOD);
}

/* Before the table goes: the walker is registered with it. */
void sessha_gc_stop(struct sessha_net *sn)
{
	cancel_delayed_work_sync(&sn->repl.gc_work);
	if (sn->repl.gc_walking)
		rhashtable_walk_exit(&sn->repl.gc_iter);
	sn->repl.gc_walking = false;
}
