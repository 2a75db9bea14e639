// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks: the forwarding node's decision and the servicing node's
 * entry point.
 *
 * PRE_ROUTING sees packets from clients. For a service VIP it asks the HA
 * policy who owns the flow: the local node serves it, any other node gets
 * it through an IPIP tunnel.
 *
 * LOCAL_IN sees those tunnelled packets on the owner, after the stack has
 * reassembled them. A tunnelled packet is always served where it lands,
 * never forwarded again, so two hosts that briefly disagree about which
 * nodes are up cannot bounce a flow between them.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>

#include "hook.h"
#include "policy.h"
#include "serve.h"
#include "xmit.h"

struct sessha_flow {
	struct sessha_service	*svc;
	struct sessha_key	key;
	u8			tcp_flags;
};

static u8 sessha_tcp_flags(const struct tcphdr *th)
{
	return (th->syn ? SESSHA_TCP_SYN : 0) | (th->ack ? SESSHA_TCP_ACK : 0) |
	       (th->fin ? SESSHA_TCP_FIN : 0) | (th->rst ? SESSHA_TCP_RST : 0);
}

/*
 * Classifies the IPv4 packet at @nhoff. Returns 1 for a packet of a
 * service, 0 for anything else, -EINVAL for one too short to tell.
 */
static int sessha_classify_v4(struct sessha_net *sn, struct sk_buff *skb,
			      unsigned int nhoff, struct sessha_flow *flow)
{
	struct iphdr _iph, *iph;
	struct tcphdr _th, *th;
	union sessha_addr vip = {};
	__be16 _ports[2], *ports;
	unsigned int thoff;

	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EINVAL;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return 0;
	/* Only a first fragment carries the ports. */
	if (iph->frag_off & htons(IP_OFFSET))
		return 0;
	thoff = nhoff + iph->ihl * 4;
	ports = skb_header_pointer(skb, thoff, sizeof(_ports), &_ports);
	if (!ports)
		return -EINVAL;

	vip.ip = iph->daddr;
	flow->svc = sessha_service_find_vip(sn, AF_INET, &vip, ports[1],
					    iph->protocol);
	if (!flow->svc)
		return 0;

	memset(&flow->key, 0, sizeof(flow->key));
	flow->key.client.ip = iph->saddr;
	flow->key.cport = ports[0];
	flow->key.service = flow->svc->id;
	flow->key.family = AF_INET;
	flow->tcp_flags = 0;
	if (iph->protocol == IPPROTO_TCP) {
		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th)
			return -EINVAL;
		flow->tcp_flags = sessha_tcp_flags(th);
	}
	return 1;
}

static unsigned int sessha_forward(struct sessha_net *sn, struct sk_buff *skb,
				   const struct sessha_flow *flow)
{
	const struct sessha_node *owner, *backup;

	sessha_policy_pick(rcu_dereference(sn->nodes), flow->svc, &flow->key,
			   false, &owner, &backup);
	if (!owner) {
		sessha_count(sn, SESSHA_STAT_DROP_NO_NODE);
		return NF_DROP;
	}
	if (owner->local)
		return sessha_serve(sn, skb, flow->svc, &flow->key,
				    flow->tcp_flags, false);
	if (owner->family != AF_INET) {
		/* An IPv6 tunnel to the owner comes with the IPv6 data path. */
		sessha_count(sn, SESSHA_STAT_DROP_XMIT);
		return NF_DROP;
	}
	if (sessha_xmit_encap(sn->net, skb, owner->addr.ip)) {
		sessha_count(sn, SESSHA_STAT_DROP_XMIT);
		return NF_STOLEN;
	}
	sessha_count(sn, SESSHA_STAT_FWD_PACKETS);
	return NF_STOLEN;
}

static unsigned int sessha_pre_routing(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct sessha_net *sn = sessha_pernet(state->net);
	struct sessha_flow flow;
	int ret;

	if (!READ_ONCE(sn->nservices))
		return NF_ACCEPT;
	ret = sessha_classify_v4(sn, skb, skb_network_offset(skb), &flow);
	if (ret <= 0)
		return NF_ACCEPT;
	return sessha_forward(sn, skb, &flow);
}

static unsigned int sessha_local_in(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct sessha_net *sn = sessha_pernet(state->net);
	struct sessha_flow flow;
	int ret;

	if (!READ_ONCE(sn->nservices) || ip_hdr(skb)->protocol != IPPROTO_IPIP)
		return NF_ACCEPT;
	ret = sessha_classify_v4(sn, skb, skb_network_offset(skb) +
				 ip_hdrlen(skb), &flow);
	if (ret < 0) {
		sessha_count(sn, SESSHA_STAT_DROP_MALFORMED);
		return NF_DROP;
	}
	if (!ret)
		return NF_ACCEPT;
	return sessha_serve(sn, skb, flow.svc, &flow.key, flow.tcp_flags, true);
}

/* Before conntrack, so that stolen packets leave no conntrack state. */
static const struct nf_hook_ops sessha_nf_ops[] = {
	{
		.hook		= sessha_pre_routing,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_CONNTRACK - 1,
	},
	{
		.hook		= sessha_local_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_CONNTRACK - 1,
	},
};

int sessha_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, sessha_nf_ops,
				     ARRAY_SIZE(sessha_nf_ops));
}

void sessha_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, sessha_nf_ops, ARRAY_SIZE(sessha_nf_ops));
}
