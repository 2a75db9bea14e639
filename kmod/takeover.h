/* SPDX-License-Identifier: GPL-2.0 */
/* A flow changing hands (takeover.c). */
#ifndef _SESSHA_TAKEOVER_H
#define _SESSHA_TAKEOVER_H

#include "node.h"
#include "service.h"
#include "session.h"

void sessha_session_promote(struct sessha_net *sn, struct sessha_session *s,
			    const struct sessha_service *svc);
void sessha_session_demote(struct sessha_net *sn, struct sessha_session *s,
			   const struct sessha_node_table *nodes,
			   const struct sessha_service *svc);

#endif /* _SESSHA_TAKEOVER_H */
