/* SPDX-License-Identifier: GPL-2.0 */
/* The servicing node (serve.c). */
#ifndef _SESSHA_SERVE_H
#define _SESSHA_SERVE_H

#include "service.h"
#include "session.h"

/* The TCP flags the servicing node follows, as passed to sessha_serve(). */
#define SESSHA_TCP_SYN	0x01
#define SESSHA_TCP_ACK	0x02
#define SESSHA_TCP_FIN	0x04
#define SESSHA_TCP_RST	0x08

unsigned int sessha_serve(struct sessha_net *sn, struct sk_buff *skb,
			  struct sessha_service *svc,
			  const struct sessha_key *key, u8 tcp_flags);

#endif /* _SESSHA_SERVE_H */
