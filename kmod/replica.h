/* SPDX-License-Identifier: GPL-2.0 */
/* Applying peers' records (replica.c). */
#ifndef _SESSHA_REPLICA_H
#define _SESSHA_REPLICA_H

#include "sessha.h"

/* The sync socket's receiver: hand it to sessha_socket_open(). */
int sessha_replica_rcv(struct sock *sk, struct sk_buff *skb);

#endif /* _SESSHA_REPLICA_H */
