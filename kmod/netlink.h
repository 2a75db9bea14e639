/* SPDX-License-Identifier: GPL-2.0 */
/* The control layer: the generic netlink files' shared declarations. */
#ifndef _SESSHA_NETLINK_H
#define _SESSHA_NETLINK_H

#include <net/genetlink.h>

#include "sessha.h"
#include "sessha-nl-gen.h"

extern struct genl_family sessha_genl_family;
extern const struct sessha_events sessha_nl_events;

/* nl_attr.c */
int sessha_nla_get_addr(const struct nlattr *nla, u8 *family,
			union sessha_addr *addr,
			struct netlink_ext_ack *extack);
int sessha_nla_put_addr(struct sk_buff *skb, int type, u8 family,
			const union sessha_addr *addr);
void *sessha_genlmsg_put_dump(struct sk_buff *skb,
			      struct netlink_callback *cb, u8 cmd);

static inline struct sessha_net *sessha_info_net(struct genl_info *info)
{
	return sessha_pernet(genl_info_net(info));
}

/*
 * The parsed request attributes of a dump. Kbuild detects the kernel's
 * API: genl_info_dump() replaced genl_dumpit_info()->attrs in 6.2.
 */
static inline struct nlattr **sessha_dump_attrs(struct netlink_callback *cb)
{
#ifdef SESSHA_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

int sessha_genl_register(void);
void sessha_genl_unregister(void);

/* nl_event.c */
void sessha_nl_notify_node(struct sessha_net *sn, u32 id, bool up);

#endif /* _SESSHA_NETLINK_H */
