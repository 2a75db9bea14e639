// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink events: node state changes, which the NODE_SET handler
 * reports, and takeovers, which lower layers report through struct
 * sessha_events (events.h). "events" hears one takeover per (node,
 * service) and reconciliation; "flows" hears every promoted flow, and
 * those messages are built only while it has listeners. Built with
 * GFP_ATOMIC: a flow's takeover is reported from softirq, under s->lock.
 */
#include "events.h"
#include "netlink.h"
#include "session.h"

static struct sk_buff *sessha_event_new(struct sessha_net *sn,
					unsigned int group, u8 cmd, void **hdr)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&sessha_genl_family, sn->net, group))
		return NULL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &sessha_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void sessha_event_send(struct sessha_net *sn, unsigned int group,
			      struct sk_buff *msg, void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&sessha_genl_family, sn->net, msg, 0, group,
				GFP_ATOMIC);
}

/* Not an event hook: the NODE_SET handler reports what it changed. */
void sessha_nl_notify_node(struct sessha_net *sn, u32 id, bool up)
{
	struct sk_buff *msg;
	void *hdr;

	msg = sessha_event_new(sn, SESSHA_NLGRP_EVENTS, SESSHA_CMD_NODE_NTF,
			       &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, SESSHA_A_NODE_ID, id) ||
	    nla_put_u8(msg, SESSHA_A_NODE_STATE,
		       up ? SESSHA_NODE_UP : SESSHA_NODE_DOWN)) {
		nlmsg_free(msg);
		return;
	}
	sessha_event_send(sn, SESSHA_NLGRP_EVENTS, msg, hdr);
}

static void sessha_nl_takeover(struct sessha_net *sn,
			       const struct sessha_session *s, u32 old_owner)
{
	struct sk_buff *msg;
	void *hdr;

	msg = sessha_event_new(sn, SESSHA_NLGRP_FLOWS, SESSHA_CMD_PROMOTE_NTF,
			       &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, SESSHA_A_SERVICE_ID, s->key.service) ||
	    sessha_nla_put_addr(msg, SESSHA_A_SESSION_CLIENT_ADDR,
				s->key.family, &s->key.client) ||
	    nla_put_u16(msg, SESSHA_A_SESSION_CLIENT_PORT,
			ntohs(s->key.cport)) ||
	    nla_put_u32(msg, SESSHA_A_SESSION_OWNER, old_owner)) {
		nlmsg_free(msg);
		return;
	}
	sessha_event_send(sn, SESSHA_NLGRP_FLOWS, msg, hdr);
}

static void sessha_nl_takeovers(struct sessha_net *sn, u32 from, u16 service,
				u32 count)
{
	struct sk_buff *msg;
	void *hdr;

	msg = sessha_event_new(sn, SESSHA_NLGRP_EVENTS, SESSHA_CMD_TAKEOVER_NTF,
			       &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, SESSHA_A_NODE_ID, from) ||
	    nla_put_u32(msg, SESSHA_A_SERVICE_ID, service) ||
	    nla_put_u32(msg, SESSHA_A_TAKEOVER_COUNT, count)) {
		nlmsg_free(msg);
		return;
	}
	sessha_event_send(sn, SESSHA_NLGRP_EVENTS, msg, hdr);
}

const struct sessha_events sessha_nl_events = {
	.takeover	= sessha_nl_takeover,
	.takeovers	= sessha_nl_takeovers,
};
