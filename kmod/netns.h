/* SPDX-License-Identifier: GPL-2.0 */
/* Per network namespace set-up and teardown (netns.c). */
#ifndef _SESSHA_NETNS_H
#define _SESSHA_NETNS_H

int sessha_netns_register(void);
void sessha_netns_unregister(void);

#endif /* _SESSHA_NETNS_H */
