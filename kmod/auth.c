// SPDX-License-Identifier: GPL-2.0
/*
 * Sync authentication: HMAC-SHA256 over header and body, keyed by a
 * cluster key. Two keys may be installed at once so that a key can be
 * rolled over without a gap: install the new key everywhere (both are
 * accepted), switch every node to sign with it, then remove the old one.
 *
 * The key set is an RCU snapshot replaced under sn->lock. Transforms are
 * shared by all CPUs: an HMAC shash keeps its key in the transform and its
 * running state in the on-stack descriptor, so concurrent digests are fine.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/slab.h>

#include "auth.h"

#define SESSHA_KEY_SLOTS	2

struct sessha_key_slot {
	u8			id;
	struct crypto_shash	*tfm;
};

struct sessha_keys {
	u8			tx_id;
	unsigned int		count;
	struct sessha_key_slot	slot[SESSHA_KEY_SLOTS];
};

static struct sessha_keys *sessha_keys_locked(struct sessha_net *sn)
{
	return rcu_dereference_protected(sn->sync.keys,
					 lockdep_is_held(&sn->lock));
}

static struct sessha_key_slot *sessha_key_find(struct sessha_keys *keys,
					       u8 id)
{
	unsigned int i;

	for (i = 0; keys && i < keys->count; i++)
		if (keys->slot[i].id == id)
			return &keys->slot[i];
	return NULL;
}

/*
 * Publishes @new and frees the old set's transforms that @new dropped,
 * once no reader can hold them. Process context only.
 */
static void sessha_keys_replace(struct sessha_net *sn, struct sessha_keys *new)
{
	struct sessha_keys *old = sessha_keys_locked(sn);
	unsigned int i;

	rcu_assign_pointer(sn->sync.keys, new);
	if (!old)
		return;
	synchronize_rcu();
	for (i = 0; i < old->count; i++)
		if (!sessha_key_find(new, old->slot[i].id))
			crypto_free_shash(old->slot[i].tfm);
	kfree_sensitive(old);
}

static struct sessha_keys *sessha_keys_copy(struct sessha_net *sn)
{
	struct sessha_keys *old = sessha_keys_locked(sn);
	struct sessha_keys *new = kzalloc(sizeof(*new), GFP_KERNEL);

	if (new && old)
		*new = *old;
	return new;
}

int sessha_key_add(struct sessha_net *sn, u8 id, const u8 *key,
		   unsigned int len, struct netlink_ext_ack *extack)
{
	struct sessha_keys *keys = sessha_keys_locked(sn);
	struct crypto_shash *tfm;
	int err;

	lockdep_assert_held(&sn->lock);
	if (sessha_key_find(keys, id)) {
		NL_SET_ERR_MSG(extack, "key id already installed");
		return -EEXIST;
	}
	if (keys && keys->count == SESSHA_KEY_SLOTS) {
		NL_SET_ERR_MSG(extack, "two keys installed already: delete one first");
		return -ENOSPC;
	}
	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_setkey(tfm, key, len);
	if (err)
		goto err_tfm;
	keys = sessha_keys_copy(sn);
	if (!keys) {
		err = -ENOMEM;
		goto err_tfm;
	}
	keys->slot[keys->count].id = id;
	keys->slot[keys->count].tfm = tfm;
	if (!keys->count++)
		keys->tx_id = id;
	sessha_keys_replace(sn, keys);
	return 0;

err_tfm:
	crypto_free_shash(tfm);
	return err;
}

int sessha_key_use(struct sessha_net *sn, u8 id,
		   struct netlink_ext_ack *extack)
{
	struct sessha_keys *keys;

	lockdep_assert_held(&sn->lock);
	if (!sessha_key_find(sessha_keys_locked(sn), id)) {
		NL_SET_ERR_MSG(extack, "no such key");
		return -ENOENT;
	}
	keys = sessha_keys_copy(sn);
	if (!keys)
		return -ENOMEM;
	keys->tx_id = id;
	sessha_keys_replace(sn, keys);
	return 0;
}

int sessha_key_del(struct sessha_net *sn, u8 id,
		   struct netlink_ext_ack *extack)
{
	struct sessha_keys *old = sessha_keys_locked(sn);
	struct sessha_keys *keys;
	unsigned int i, j;

	lockdep_assert_held(&sn->lock);
	if (!sessha_key_find(old, id)) {
		NL_SET_ERR_MSG(extack, "no such key");
		return -ENOENT;
	}
	if (old->tx_id == id && old->count > 1) {
		NL_SET_ERR_MSG(extack, "key in use: switch to the other key first");
		return -EBUSY;
	}
	if (old->count == 1) {
		sessha_keys_replace(sn, NULL);
		return 0;
	}
	keys = sessha_keys_copy(sn);
	if (!keys)
		return -ENOMEM;
	for (i = 0, j = 0; i < keys->count; i++)
		if (keys->slot[i].id != id)
			keys->slot[j++] = keys->slot[i];
	keys->count = j;
	sessha_keys_replace(sn, keys);
	return 0;
}

void sessha_keys_free(struct sessha_net *sn)
{
	sessha_keys_replace(sn, NULL);
}

/* The ids of the installed keys, for SESSHA_CMD_SYNC_GET. */
int sessha_keys_fill(struct sessha_net *sn, struct sk_buff *skb)
{
	struct sessha_keys *keys = sessha_keys_locked(sn);
	struct nlattr *nest, *key;
	unsigned int i;

	nest = nla_nest_start(skb, SESSHA_A_KEYS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; keys && i < keys->count; i++) {
		key = nla_nest_start(skb, SESSHA_A_KEY);
		if (!key || nla_put_u8(skb, SESSHA_A_KEY_ID, keys->slot[i].id) ||
		    (keys->slot[i].id == keys->tx_id &&
		     nla_put_flag(skb, SESSHA_A_KEY_TX)))
			return -EMSGSIZE;
		nla_nest_end(skb, key);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The key id to sign with now, 0 if sync is unauthenticated. */
u8 sessha_auth_key_id(struct sessha_net *sn)
{
	struct sessha_keys *keys;
	u8 id;

	rcu_read_lock();
	keys = rcu_dereference(sn->sync.keys);
	id = keys ? keys->tx_id : 0;
	rcu_read_unlock();
	return id;
}

/*
 * The MAC covers the receiver's node id too, which the datagram does not
 * carry: a datagram recorded on its way to one node is worthless at any
 * other.
 */
static int sessha_auth_mac(struct sessha_net *sn, u8 key_id, u32 receiver,
			   const u8 *buf, unsigned int len, u8 *mac)
{
	u8 full[SHA256_DIGEST_SIZE];
	__be32 to = htonl(receiver);
	struct sessha_key_slot *slot;
	int err = -ENOKEY;

	rcu_read_lock();
	slot = sessha_key_find(rcu_dereference(sn->sync.keys), key_id);
	if (slot) {
		SHASH_DESC_ON_STACK(desc, slot->tfm);

		desc->tfm = slot->tfm;
		err = crypto_shash_init(desc) ?:
		      crypto_shash_update(desc, (u8 *)&to, sizeof(to)) ?:
		      crypto_shash_finup(desc, buf, len, full);
		shash_desc_zero(desc);
	}
	rcu_read_unlock();
	/* Truncated to 128 bits, as IPsec does (RFC 4868). */
	if (!err)
		memcpy(mac, full, SESSHA_WIRE_MAC_LEN);
	memzero_explicit(full, sizeof(full));
	return err;
}

/* Appends the MAC of @len bytes at @buf, which has room for it. */
int sessha_auth_sign(struct sessha_net *sn, u8 key_id, u32 receiver, u8 *buf,
		     unsigned int len)
{
	return sessha_auth_mac(sn, key_id, receiver, buf, len, buf + len);
}

/*
 * __SESSHA_STAT_MAX if the datagram may be used, else the counter that
 * says why not. Without any key installed, only unsigned datagrams pass.
 */
enum sessha_stat sessha_auth_verify(struct sessha_net *sn, const u8 *buf,
				    u8 key_id, unsigned int signed_len,
				    const u8 *mac, u32 receiver)
{
	u8 expect[SESSHA_WIRE_MAC_LEN];
	bool keyed;

	rcu_read_lock();
	keyed = rcu_access_pointer(sn->sync.keys);
	rcu_read_unlock();
	if (!key_id)
		return keyed ? SESSHA_STAT_SYNC_RX_UNAUTH : __SESSHA_STAT_MAX;
	if (sessha_auth_mac(sn, key_id, receiver, buf, signed_len, expect))
		return SESSHA_STAT_SYNC_RX_BAD_KEY;
	if (crypto_memneq(expect, mac, sizeof(expect)))
		return SESSHA_STAT_SYNC_RX_BAD_MAC;
	return __SESSHA_STAT_MAX;
}
