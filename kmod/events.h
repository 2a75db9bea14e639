/* SPDX-License-Identifier: GPL-2.0 */
/*
 * News that travels up. Lower layers never call the control layer; they
 * report through these, which the control layer implements (nl_event.c)
 * and netns.c installs in each namespace. Called from any context,
 * softirq and spinlocks included: an implementation must not sleep.
 */
#ifndef _SESSHA_EVENTS_H
#define _SESSHA_EVENTS_H

#include "sessha.h"

struct sessha_session;

struct sessha_events {
	/* This node took over @s from @old_owner. */
	void (*takeover)(struct sessha_net *sn, const struct sessha_session *s,
			 u32 old_owner);
	/* Role reconciliation took over @count flows of @service from @from. */
	void (*takeovers)(struct sessha_net *sn, u32 from, u16 service,
			  u32 count);
};

static inline void sessha_event_takeover(struct sessha_net *sn,
					 const struct sessha_session *s,
					 u32 old_owner)
{
	if (sn->events)
		sn->events->takeover(sn, s, old_owner);
}

static inline void sessha_event_takeovers(struct sessha_net *sn, u32 from,
					  u16 service, u32 count)
{
	if (sn->events)
		sn->events->takeovers(sn, from, service, count);
}

#endif /* _SESSHA_EVENTS_H */
