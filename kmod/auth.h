/* SPDX-License-Identifier: GPL-2.0 */
/* Sync authentication: cluster keys and HMAC (auth.c). */
#ifndef _SESSHA_AUTH_H
#define _SESSHA_AUTH_H

#include "sessha.h"

int sessha_key_add(struct sessha_net *sn, u8 id, const u8 *key,
		   unsigned int len, struct netlink_ext_ack *extack);
int sessha_key_use(struct sessha_net *sn, u8 id,
		   struct netlink_ext_ack *extack);
int sessha_key_del(struct sessha_net *sn, u8 id,
		   struct netlink_ext_ack *extack);
void sessha_keys_free(struct sessha_net *sn);
int sessha_keys_fill(struct sessha_net *sn, struct sk_buff *skb);
u8 sessha_auth_key_id(struct sessha_net *sn);
int sessha_auth_sign(struct sessha_net *sn, u8 key_id, u32 receiver, u8 *buf,
		     unsigned int len);
enum sessha_stat sessha_auth_verify(struct sessha_net *sn, const u8 *buf,
				    u8 key_id, unsigned int signed_len,
				    const u8 *mac, u32 receiver);

#endif /* _SESSHA_AUTH_H */
