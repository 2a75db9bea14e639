/* SPDX-License-Identifier: GPL-2.0 */
/* Netfilter hooks (hook.c). */
#ifndef _SESSHA_HOOK_H
#define _SESSHA_HOOK_H

#include "sessha.h"

int sessha_hooks_register(struct net *net);
void sessha_hooks_unregister(struct net *net);

#endif /* _SESSHA_HOOK_H */
