/* SPDX-License-Identifier: GPL-2.0 */
/* Anti-entropy digests (digest.c). */
#ifndef _SESSHA_DIGEST_H
#define _SESSHA_DIGEST_H

#include "sessha.h"

void sessha_digests_send(struct sessha_net *sn);
void sessha_confsum_rx(struct sessha_net *sn, const struct sessha_wire_msg *msg);
int sessha_confsum_peer(struct sessha_net *sn, u32 id);
u16 sessha_digest_check(struct sessha_net *sn,
			const struct sessha_wire_msg *msg);

#endif /* _SESSHA_DIGEST_H */
