/* SPDX-License-Identifier: GPL-2.0 */
/* Session records for the backup (record.c). */
#ifndef _SESSHA_RECORD_H
#define _SESSHA_RECORD_H

#include "session.h"

unsigned int sessha_record_build(const struct sessha_session *s, u8 op,
				 u8 *buf);
void sessha_record_queue(struct sessha_net *sn, struct sessha_session *s,
			 u8 op);

#endif /* _SESSHA_RECORD_H */
