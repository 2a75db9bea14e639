// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: each namespace is an independent host with
 * its own nodes, services, sessions, sync socket and hooks. This file and
 * main.c sit above every layer: they put the namespace together, bottom
 * up, and take it apart, top down.
 */
#include <linux/percpu.h>
#include <linux/workqueue.h>

#include "auth.h"
#include "gc.h"
#include "hook.h"
#include "netlink.h"
#include "netns.h"
#include "node.h"
#include "repair.h"
#include "roles.h"
#include "service.h"
#include "session.h"
#include "socket.h"
#include "sync_tx.h"

unsigned int sessha_net_id __read_mostly;

static void sessha_config_defaults(struct sessha_config *cfg)
{
	cfg->sync_port = SESSHA_DEFAULT_SYNC_PORT;
	cfg->sync_enabled = true;
	cfg->sync_join = true;
	cfg->timeout_tcp = 900;
	cfg->timeout_tcp_fin = 60;
	cfg->timeout_udp = 300;
	cfg->max_sessions = 1 << 20;
}

/*
 * Our own queues, not the system's: a table walk (GC, digests, bulk
 * answers, takeover) never waits behind other users' work or delays
 * theirs, the sync flush keeps its latency, and teardown drains them.
 * The flush is queued from the packet path: unbound, it runs on
 * whichever CPU is free instead of waiting for that softirq to end.
 */
static int sessha_wq_alloc(struct sessha_net *sn)
{
	unsigned int id = sn->net->ns.inum;

	sn->sync.flush_wq = alloc_workqueue("sessha_flush/%u",
					   WQ_HIGHPRI | WQ_UNBOUND, 0, id);
	if (!sn->sync.flush_wq)
		return -ENOMEM;
	sn->repl.wq = alloc_workqueue("sessha_walk/%u", WQ_UNBOUND, 0, id);
	if (!sn->repl.wq) {
		destroy_workqueue(sn->sync.flush_wq);
		return -ENOMEM;
	}
	return 0;
}

static void sessha_wq_free(struct sessha_net *sn)
{
	destroy_workqueue(sn->repl.wq);
	destroy_workqueue(sn->sync.flush_wq);
}

static int __net_init sessha_net_init(struct net *net)
{
	struct sessha_net *sn = sessha_pernet(net);
	unsigned int b;
	int err;

	sn->net = net;
	mutex_init(&sn->lock);
	sessha_config_defaults(&sn->cfg);
	for (b = 0; b < SESSHA_SERVICE_BUCKETS; b++) {
		INIT_HLIST_HEAD(&sn->svc_by_vip[b]);
		INIT_HLIST_HEAD(&sn->svc_by_id[b]);
	}
	sessha_sync_init(sn);
	sessha_repair_init(sn);
	sessha_roles_init(sn);
	sessha_gc_init(sn);
	sn->events = &sessha_nl_events;

	sn->stats = alloc_percpu(struct sessha_stats);
	if (!sn->stats)
		return -ENOMEM;
	err = sessha_wq_alloc(sn);
	if (err)
		goto err_stats;
	err = sessha_sessions_init(sn);
	if (err)
		goto err_wq;
	err = sessha_hooks_register(net);
	if (err)
		goto err_sessions;
	sessha_gc_start(sn);
	return 0;

err_sessions:
	sessha_sessions_destroy(sn);
err_wq:
	sessha_wq_free(sn);
err_stats:
	free_percpu(sn->stats);
	return err;
}

/*
 * Teardown order matters: first stop new packets (hooks) and new sync
 * datagrams (socket), then the workers that could requeue each other,
 * then free what is left once no reader can remain.
 */
static void __net_exit sessha_net_exit(struct net *net)
{
	struct sessha_net *sn = sessha_pernet(net);

	sessha_hooks_unregister(net);
	mutex_lock(&sn->lock);
	sessha_socket_close(sn);
	mutex_unlock(&sn->lock);
	/*
	 * nf_unregister_net_hooks() does not wait for hooks still running on
	 * other CPUs, and without a local node there was no socket release
	 * to wait either: after this, no packet reads the node table or
	 * queues work.
	 */
	synchronize_net();
	sessha_gc_stop(sn);
	/* Each of these may queue work for the next: this order. */
	sessha_roles_stop(sn);
	sessha_repair_stop(sn);
	sessha_sync_stop(sn);
	sessha_wq_free(sn);

	mutex_lock(&sn->lock);
	sessha_service_flush_all(sn);
	sessha_node_table_free(sn);
	sessha_keys_free(sn);
	mutex_unlock(&sn->lock);
	sessha_sessions_destroy(sn);
	free_percpu(sn->stats);
	mutex_destroy(&sn->lock);
}

static struct pernet_operations sessha_net_ops = {
	.init	= sessha_net_init,
	.exit	= sessha_net_exit,
	.id	= &sessha_net_id,
	.size	= sizeof(struct sessha_net),
};

int sessha_netns_register(void)
{
	return register_pernet_subsys(&sessha_net_ops);
}

void sessha_netns_unregister(void)
{
	unregister_pernet_subsys(&sessha_net_ops);
}
