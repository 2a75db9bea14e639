/* SPDX-License-Identifier: GPL-2.0 */
/* Anti-entropy digests (digest.c). */
#ifndef _SESSHA_DIGEST_H
#define _SESSHA_DIGEST_H

#include "sessha.h"

bool sessha_digests_run(struct sessha_net *sn);

#endif /* _SESSHA_DIGEST_H */
