/* SPDX-License-Identifier: GPL-2.0 */
/* IPIP output (xmit.c). */
#ifndef _SESSHA_XMIT_H
#define _SESSHA_XMIT_H

#include "sessha.h"

int sessha_xmit_encap(struct net *net, struct sk_buff *skb, __be32 daddr);
int sessha_xmit_retarget(struct net *net, struct sk_buff *skb, __be32 daddr);

#endif /* _SESSHA_XMIT_H */
