/* SPDX-License-Identifier: GPL-2.0 */
/* Running digests of the table, per peer and bucket (tally.c). */
#ifndef _SESSHA_TALLY_H
#define _SESSHA_TALLY_H

#include "session.h"

enum sessha_tally_kind {
	SESSHA_TALLY_NONE,
	SESSHA_TALLY_TOLD,	/* we serve it; the peer backs it up */
	SESSHA_TALLY_HELD,	/* the peer serves it; we hold its replica */
};

int sessha_tally_init(struct sessha_net *sn);
void sessha_tally_destroy(struct sessha_net *sn);
void sessha_tally_set(struct sessha_net *sn, struct sessha_session *s,
		      u8 kind, u32 peer);
void sessha_tally_told(struct sessha_net *sn, u32 peer,
		       struct sessha_wire_digest *out);
u16 sessha_tally_held_diff(struct sessha_net *sn, u32 peer,
			   const struct sessha_wire_digest *theirs);
void sessha_tally_forget(struct sessha_net *sn, u32 peer);

#endif /* _SESSHA_TALLY_H */
