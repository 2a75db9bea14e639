// SPDX-License-Identifier: GPL-2.0
/*
 * Expiry: idle sessions go. An owner tells its backup, so that the
 * replica goes too; a replica goes quietly, as its owner's GC does the
 * same.
 *
 * The table is scanned in slices, as conntrack's gc_worker does: every
 * 250 ms the worker resumes its walk where it stopped and looks at the
 * next slice, at least 256 entries. How many runs a pass over a large
 * table takes follows what it finds: a run that finds many expired
 * entries halves it (down to 32 runs, 8 s), a pass that finds few
 * doubles it (up to 256 runs, 64 s, conntrack's bound too). Looking at
 * every entry costs the same whether it expired or not, so a million
 * live sessions cost a 256th of a whole pass every run, and a table
 * that churns is still swept every 8 s. An entry may outlive its
 * timeout by up to a pass.
 */
#include "gc.h"
#include "record.h"
#include "session.h"

#define SESSHA_GC_PERIOD	(HZ / 4)
#define SESSHA_GC_RUNS_MIN	32	/* 8 s */
#define SESSHA_GC_RUNS_MAX	256	/* 64 s */
#define SESSHA_GC_MIN_SLICE	256
#define SESSHA_GC_CHUNK		256	/* entries per RCU section */
/* Expired shares (1/n) that make a run busy and a pass quiet. */
#define SESSHA_GC_BUSY		16
#define SESSHA_GC_QUIET		64

static_assert(SESSHA_GC_RUNS_MAX * SESSHA_GC_PERIOD <= SESSHA_GC_PASS_MAX);

/* Decided under s->lock, where a packet refreshes the expiry. */
static bool sessha_expire_one(struct sessha_net *sn, struct sessha_session *s)
{
	bool expired;

	if (time_before(jiffies, READ_ONCE(s->expires)))
		return false;
	spin_lock_bh(&s->lock);
	expired = !s->dead && !time_before(jiffies, s->expires);
	if (expired && s->role == SESSHA_ROLE_OWNER)
		sessha_record_delete(sn, s);
	if (expired)
		sessha_session_kill(sn, s);
	spin_unlock_bh(&s->lock);
	if (!expired)
		return false;
	sessha_count(sn, SESSHA_STAT_SESSIONS_EXPIRED);
	sessha_session_remove(sn, s);
	return true;
}

/*
 * Looks at up to @budget entries of the pass, counting what it saw in
 * @seen and @expired; true when the pass is complete.
 */
static bool sessha_gc_step(struct sessha_net *sn, unsigned int budget,
			   unsigned int *seen, unsigned int *expired)
{
	struct rhashtable_iter *iter = &sn->repl.gc_iter;
	struct sessha_session *s;
	bool done = false;

	rhashtable_walk_start(iter);
	while (*seen < budget) {
		s = rhashtable_walk_next(iter);
		if (!s) {
			done = true;
			break;
		}
		if (IS_ERR(s))
			continue;	/* -EAGAIN: resized, go on */
		*expired += sessha_expire_one(sn, s);
		if (++*seen % SESSHA_GC_CHUNK)
			continue;
		rhashtable_walk_stop(iter);
		cond_resched();
		rhashtable_walk_start(iter);
	}
	rhashtable_walk_stop(iter);
	return done;
}

/* The pace: faster at once when a run is busy, slower after a quiet pass. */
static void sessha_gc_pace(struct sessha_repl *repl, unsigned int seen,
			   unsigned int expired, bool done)
{
	repl->gc_seen += seen;
	repl->gc_expired += expired;
	if (expired * SESSHA_GC_BUSY > seen)
		repl->gc_runs = max(repl->gc_runs / 2, SESSHA_GC_RUNS_MIN);
	if (!done)
		return;
	if (repl->gc_expired * SESSHA_GC_QUIET < repl->gc_seen)
		repl->gc_runs = min(repl->gc_runs * 2, SESSHA_GC_RUNS_MAX);
	repl->gc_seen = 0;
	repl->gc_expired = 0;
}

static void sessha_gc_work(struct work_struct *work)
{
	struct sessha_net *sn = container_of(to_delayed_work(work),
					     struct sessha_net, repl.gc_work);
	struct sessha_repl *repl = &sn->repl;
	unsigned int n = atomic_read(&sn->nsessions);
	unsigned int seen = 0, expired = 0;
	bool done;

	if (!repl->gc_walking && n) {
		rhashtable_walk_enter(&sn->sessions, &repl->gc_iter);
		repl->gc_walking = true;
	}
	if (repl->gc_walking) {
		done = sessha_gc_step(sn, max(SESSHA_GC_MIN_SLICE,
					      n / repl->gc_runs),
				      &seen, &expired);
		sessha_gc_pace(repl, seen, expired, done);
		if (done) {
			rhashtable_walk_exit(&repl->gc_iter);
			repl->gc_walking = false;
		}
	}
	queue_delayed_work(repl->wq, &repl->gc_work, SESSHA_GC_PERIOD);
}

void sessha_gc_init(struct sessha_net *sn)
{
	INIT_DELAYED_WORK(&sn->repl.gc_work, sessha_gc_work);
	/* A table fills before it churns: start slow, a busy run speeds up. */
	sn->repl.gc_runs = SESSHA_GC_RUNS_MAX;
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
