// SPDX-License-Identifier: GPL-2.0
/*
 * sessha: session high availability for Linux gateways.
 *
 * Forwarding nodes send each flow of a service to the node that owns it;
 * the owner keeps the session and replicates it to a backup, which takes
 * the flow over, with the same backend, when the controller marks the
 * owner down. See Documentation/design.rst.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "netlink.h"
#include "netns.h"
#include "session.h"

struct kmem_cache *sessha_session_cache __read_mostly;

static int __init sessha_init(void)
{
	int err;

	sessha_session_cache = KMEM_CACHE(sessha_session, 0);
	if (!sessha_session_cache)
		return -ENOMEM;
	err = sessha_netns_register();
	if (err)
		goto err_cache;
	err = sessha_genl_register();
	if (err)
		goto err_netns;
	return 0;

err_netns:
	sessha_netns_unregister();
err_cache:
	kmem_cache_destroy(sessha_session_cache);
	return err;
}

static void __exit sessha_exit(void)
{
	sessha_genl_unregister();
	sessha_netns_unregister();
	/* Sessions and snapshots freed by call_rcu() must be gone first. */
	rcu_barrier();
	kmem_cache_destroy(sessha_session_cache);
}

module_init(sessha_init);
module_exit(sessha_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Session high availability for Linux gateways");
MODULE_AUTHOR("The sessha developers");
MODULE_ALIAS_GENL_FAMILY("sessha");
