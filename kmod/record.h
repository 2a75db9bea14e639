/* SPDX-License-Identifier: GPL-2.0 */
/* Session records for the backup (record.c). */
#ifndef _SESSHA_RECORD_H
#define _SESSHA_RECORD_H

#include "session.h"

unsigned int sessha_record_build(struct sessha_net *sn,
				 const struct sessha_session *s, u8 op, u8 *buf);
bool sessha_record_due(const struct sessha_session *s);
void sessha_record_key(const struct sessha_wire_record *rec,
		       struct sessha_key *key);
bool sessha_record_resend(struct sessha_net *sn, struct sessha_session *s,
			  u32 peer);
void sessha_record_update(struct sessha_net *sn, struct sessha_session *s);
void sessha_record_delete(struct sessha_net *sn, struct sessha_session *s);

#endif /* _SESSHA_RECORD_H */
