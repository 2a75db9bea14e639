/* SPDX-License-Identifier: GPL-2.0 */
/* Expiry of idle sessions (gc.c). */
#ifndef _SESSHA_GC_H
#define _SESSHA_GC_H

#include "sessha.h"

void sessha_gc_init(struct sessha_net *sn);
void sessha_gc_start(struct sessha_net *sn);
void sessha_gc_stop(struct sessha_net *sn);

#endif /* _SESSHA_GC_H */
