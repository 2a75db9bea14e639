/* SPDX-License-Identifier: GPL-2.0 */
/* Role reconciliation (roles.c). */
#ifndef _SESSHA_ROLES_H
#define _SESSHA_ROLES_H

#include "sessha.h"

void sessha_roles_init(struct sessha_net *sn);
void sessha_roles_kick(struct sessha_net *sn);
void sessha_roles_claim(struct sessha_net *sn);
void sessha_roles_stop(struct sessha_net *sn);

#endif /* _SESSHA_ROLES_H */
