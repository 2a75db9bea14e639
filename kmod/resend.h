/* SPDX-License-Identifier: GPL-2.0 */
/* Sending again what a peer lost (resend.c). */
#ifndef _SESSHA_RESEND_H
#define _SESSHA_RESEND_H

#include "sessha.h"

void sessha_resend_rx(struct sessha_net *sn, const struct sessha_wire_msg *msg);
void sessha_resend_requests(struct sessha_net *sn);
void sessha_resend_answers(struct sessha_net *sn);

#endif /* _SESSHA_RESEND_H */
