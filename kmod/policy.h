/* SPDX-License-Identifier: GPL-2.0 */
/* HA policies (policy.c): who owns a flow, and who backs it up. */
#ifndef _SESSHA_POLICY_H
#define _SESSHA_POLICY_H

#include "node.h"
#include "service.h"

void sessha_policy_pick(const struct sessha_node_table *nodes,
			const struct sessha_service *svc,
			const struct sessha_key *key, bool skip_local,
			const struct sessha_node **owner,
			const struct sessha_node **backup);
bool sessha_policy_involves(const struct sessha_node_table *nodes,
			    const struct sessha_service *svc,
			    const struct sessha_key *key, u32 id);
u32 sessha_policy_owner_without(const struct sessha_node_table *nodes,
				const struct sessha_service *svc,
				const struct sessha_key *key, u32 down);
u32 sessha_policy_backup(const struct sessha_node_table *nodes,
			 const struct sessha_service *svc,
			 const struct sessha_key *key);
unsigned int sessha_flow_bucket(const struct sessha_key *key);

#endif /* _SESSHA_POLICY_H */
