/* SPDX-License-Identifier: GPL-2.0 */
/* Tunnel output (xmit.c). */
#ifndef _SESSHA_XMIT_H
#define _SESSHA_XMIT_H

#include "sessha.h"

int sessha_xmit(struct net *net, struct sk_buff *skb, u8 family,
		const union sessha_addr *daddr);

#endif /* _SESSHA_XMIT_H */
