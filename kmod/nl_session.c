// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink: the session dump. The table can be large and changes
 * while it is read, so the dump keeps an rhashtable walker across calls;
 * an entry that did not fit in one message is peeked again in the next.
 */
#include <linux/slab.h>

#include "netlink.h"
#include "session.h"

struct sessha_session_dump {
	struct rhashtable_iter	*iter;
	u32			service;	/* 0: all */
};

static struct sessha_session_dump *sessha_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct sessha_session_dump) > sizeof(cb->ctx));
	return (struct sessha_session_dump *)cb->ctx;
}

int sessha_nl_session_get_start(struct netlink_callback *cb)
{
	struct sessha_net *sn = sessha_pernet(sock_net(cb->skb->sk));
	struct sessha_session_dump *ctx = sessha_dump_ctx(cb);
	struct nlattr **attrs = sessha_dump_attrs(cb);

	ctx->iter = kmalloc(sizeof(*ctx->iter), GFP_KERNEL);
	if (!ctx->iter)
		return -ENOMEM;
	if (attrs && attrs[SESSHA_A_SERVICE_ID])
		ctx->service = nla_get_u32(attrs[SESSHA_A_SERVICE_ID]);
	rhashtable_walk_enter(&sn->sessions, ctx->iter);
	return 0;
}

int sessha_nl_session_get_done(struct netlink_callback *cb)
{
	struct sessha_session_dump *ctx = sessha_dump_ctx(cb);

	if (ctx->iter) {
		rhashtable_walk_exit(ctx->iter);
		kfree(ctx->iter);
	}
	return 0;
}

static int sessha_nl_session_fill(struct sk_buff *skb,
				  struct sessha_session *s)
{
	long left = (long)(READ_ONCE(s->expires) - jiffies);
	u8 family = s->key.family;
	int err;

	spin_lock_bh(&s->lock);
	err = nla_put_u32(skb, SESSHA_A_SERVICE_ID, s->key.service) ||
	      sessha_nla_put_addr(skb, SESSHA_A_SESSION_CLIENT_ADDR, family,
				  &s->key.client) ||
	      nla_put_u16(skb, SESSHA_A_SESSION_CLIENT_PORT,
			  ntohs(s->key.cport)) ||
	      nla_put_u32(skb, SESSHA_A_BACKEND_ID, s->backend_id) ||
	      sessha_nla_put_addr(skb, SESSHA_A_BACKEND_ADDR,
				  s->backend_family, &s->backend_addr) ||
	      nla_put_u8(skb, SESSHA_A_SESSION_STATE, s->state) ||
	      nla_put_u8(skb, SESSHA_A_SESSION_ROLE, s->role) ||
	      nla_put_u32(skb, SESSHA_A_SESSION_OWNER, s->owner) ||
	      nla_put_u32(skb, SESSHA_A_SESSION_BACKUP, s->backup) ||
	      nla_put_u32(skb, SESSHA_A_SESSION_EXPIRES,
			  left > 0 ? jiffies_to_msecs(left) : 0);
	spin_unlock_bh(&s->lock);
	return err ? -EMSGSIZE : 0;
}

int sessha_nl_session_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct sessha_session_dump *ctx = sessha_dump_ctx(cb);
	struct sessha_session *s;
	void *hdr;

	rhashtable_walk_start(ctx->iter);
	for (s = rhashtable_walk_peek(ctx->iter); s;
	     s = rhashtable_walk_next(ctx->iter)) {
		if (IS_ERR(s)) {
			if (PTR_ERR(s) == -EAGAIN)
				continue;
			break;
		}
		if (ctx->service && s->key.service != ctx->service)
			continue;
		hdr = sessha_genlmsg_put_dump(skb, cb, SESSHA_CMD_SESSION_GET);
		if (!hdr)
			break;
		if (sessha_nl_session_fill(skb, s)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rhashtable_walk_stop(ctx->iter);
	return skb->len;
}
