/* SPDX-License-Identifier: GPL-2.0 */
/* Path MTU for our IPv6 tunnels (pmtu.c). */
#ifndef _SESSHA_PMTU_H
#define _SESSHA_PMTU_H

#include "sessha.h"

void sessha_pmtu_learn(struct sessha_net *sn, struct sk_buff *skb,
		       unsigned int icmpoff);

#endif /* _SESSHA_PMTU_H */
