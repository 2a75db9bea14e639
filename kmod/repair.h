/* SPDX-License-Identifier: GPL-2.0 */
/* Repair, bulk transfers and joins (repair.c). */
#ifndef _SESSHA_REPAIR_H
#define _SESSHA_REPAIR_H

#include "sessha.h"

void sessha_repair_init(struct sessha_net *sn);
void sessha_repair_stop(struct sessha_net *sn);
void sessha_repair_join(struct sessha_net *sn, u32 id);
void sessha_repair_kick(struct sessha_net *sn);
void sessha_repair_kick_hole(struct sessha_net *sn);
void sessha_repair_rx(struct sessha_net *sn, const struct sessha_wire_msg *msg);

#endif /* _SESSHA_REPAIR_H */
