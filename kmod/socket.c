// SPDX-License-Identifier: GPL-2.0
/*
 * The sync socket: one kernel UDP socket per namespace, bound to the local
 * node's address and the sync port. Datagrams are taken straight from the
 * UDP receive path (encap_rcv) and always consumed there, by the receiver
 * the opener names: replication is above us, so we never name it.
 */
#include <linux/net.h>
#include <net/sock.h>
#include <net/udp_tunnel.h>

#include "socket.h"

/* Senders hold tx_lock while they use the socket; released after. */
static void sessha_socket_swap(struct sessha_net *sn, struct socket *sock)
{
	struct socket *old;

	mutex_lock(&sn->sync.tx_lock);
	old = sn->sync.sock;
	WRITE_ONCE(sn->sync.sock, sock);
	mutex_unlock(&sn->sync.tx_lock);
	if (old)
		udp_tunnel_sock_release(old);
}

/* (Re)opens the socket, if there is a local node, for the current port. */
int sessha_socket_open(struct sessha_net *sn, sessha_socket_rcv_t rcv)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data	= sn,
		.encap_type	= 1,
		.encap_rcv	= rcv,
	};
	struct udp_port_cfg cfg = {
		.local_udp_port	= htons(READ_ONCE(sn->cfg.sync_port)),
	};
	const struct sessha_node *local;
	struct socket *sock;
	int err;

	lockdep_assert_held(&sn->lock);
	local = sessha_node_local(sessha_nodes_locked(sn));
	if (!local)
		return 0;
	cfg.family = local->family;
	if (local->family == AF_INET) {
		cfg.local_ip = (struct in_addr){ local->addr.ip };
		cfg.use_udp_checksums = 1;
	} else {
		cfg.local_ip6 = local->addr.in6;
		cfg.ipv6_v6only = 1;
		cfg.use_udp6_tx_checksums = 1;
		cfg.use_udp6_rx_checksums = 1;
	}
	err = udp_sock_create(sn->net, &cfg, &sock);
	if (err)
		return err;
	setup_udp_tunnel_sock(sn->net, sock, &tcfg);
	sessha_socket_swap(sn, sock);
	return 0;
}

void sessha_socket_close(struct sessha_net *sn)
{
	lockdep_assert_held(&sn->lock);
	sessha_socket_swap(sn, NULL);
}

/* Process context, under sync.tx_lock, which keeps the socket. */
int sessha_socket_send(struct sessha_net *sn, const struct sessha_node *peer,
		       void *data, size_t len)
{
	struct sockaddr_in6 sin6 = {};
	struct sockaddr_in sin = {};
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec iov = { .iov_base = data, .iov_len = len };
	__be16 port = htons(READ_ONCE(sn->cfg.sync_port));

	lockdep_assert_held(&sn->sync.tx_lock);
	if (!sn->sync.sock)
		return -ENOTCONN;
	if (peer->family == AF_INET) {
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = peer->addr.ip;
		sin.sin_port = port;
		msg.msg_name = &sin;
		msg.msg_namelen = sizeof(sin);
	} else {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_addr = peer->addr.in6;
		sin6.sin6_port = port;
		msg.msg_name = &sin6;
		msg.msg_namelen = sizeof(sin6);
	}
	return kernel_sendmsg(sn->sync.sock, &msg, &iov, 1, len);
}
