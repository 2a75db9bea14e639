/* SPDX-License-Identifier: GPL-2.0 */
/* The cluster configuration's digest (confsum.c). */
#ifndef _SESSHA_CONFSUM_H
#define _SESSHA_CONFSUM_H

#include "sessha.h"

u64 sessha_confsum(struct sessha_net *sn);

#endif /* _SESSHA_CONFSUM_H */
