/* SPDX-License-Identifier: GPL-2.0 */
/* The sync socket (socket.c). */
#ifndef _SESSHA_SOCKET_H
#define _SESSHA_SOCKET_H

#include "node.h"

/* Takes every datagram the socket receives (encap_rcv), and consumes it. */
typedef int (*sessha_socket_rcv_t)(struct sock *sk, struct sk_buff *skb);

int sessha_socket_open(struct sessha_net *sn, sessha_socket_rcv_t rcv);
void sessha_socket_close(struct sessha_net *sn);
int sessha_socket_send(struct sessha_net *sn, const struct sessha_node *peer,
		       void *data, size_t len);

#endif /* _SESSHA_SOCKET_H */
