// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks: the forwarding node's decision and the servicing node's
 * entry point, for IPv4 and IPv6 alike.
 *
 * PRE_ROUTING sees packets from clients. For a service VIP it asks the HA
 * policy who owns the flow: the local node serves it, any other node gets
 * it through a tunnel whose outer family is the owner's.
 *
 * LOCAL_IN sees those tunnelled packets on the owner (IPv4 or IPv6 inner
 * packets, protocols 4 and 41, in either outer family), after
 * reassembly. A tunnelled packet is always served where it lands, never
 * forwarded again, so two hosts that briefly disagree about which nodes
 * are up cannot bounce a flow between them.
 *
 * Both hooks run after defragmentation (netns.c enables it): the first
 * fragment alone does not carry the whole packet to the backend, and the
 * later ones, without ports, could not be steered at all.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "hook.h"
#include "policy.h"
#include "pmtu.h"
#include "serve.h"
#include "xmit.h"

struct sessha_flow {
	struct sessha_service	*svc;
	struct sessha_key	key;
	unsigned int		thoff;		/* from the network header */
	u8			tcp_flags;
};

static u8 sessha_tcp_flags(const struct tcphdr *th)
{
	return (th->syn ? SESSHA_TCP_SYN : 0) | (th->ack ? SESSHA_TCP_ACK : 0) |
	       (th->fin ? SESSHA_TCP_FIN : 0) | (th->rst ? SESSHA_TCP_RST : 0);
}

/*
 * The L4 part common to both families: finds the service for @vip and
 * the ports at @thoff, fills the rest of the key. Returns as the callers.
 */
static int sessha_classify_l4(struct sessha_net *sn, struct sk_buff *skb,
			      u8 family, const union sessha_addr *vip,
			      u8 proto, unsigned int thoff,
			      struct sessha_flow *flow)
{
	struct tcphdr _th, *th;
	__be16 _ports[2], *ports;

	ports = skb_header_pointer(skb, thoff, sizeof(_ports), &_ports);
	if (!ports)
		return -EINVAL;
	flow->svc = sessha_service_find_vip(sn, family, vip, ports[1], proto);
	if (!flow->svc)
		return 0;

	flow->key.cport = ports[0];
	flow->key.service = flow->svc->id;
	flow->key.family = family;
	flow->thoff = thoff;
	flow->tcp_flags = 0;
	if (proto == IPPROTO_TCP) {
		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th)
			return -EINVAL;
		flow->tcp_flags = sessha_tcp_flags(th);
	}
	return 1;
}

/*
 * Classifies the IPv4 packet at @nhoff. Returns 1 for a packet of a
 * service, 0 for anything else, -EINVAL for one too short to tell.
 */
static int sessha_classify_v4(struct sessha_net *sn, struct sk_buff *skb,
			      unsigned int nhoff, struct sessha_flow *flow)
{
	union sessha_addr vip = {};
	struct iphdr _iph, *iph;

	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EINVAL;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return 0;
	/* Only a first fragment carries the ports. */
	if (iph->frag_off & htons(IP_OFFSET))
		return 0;

	memset(&flow->key, 0, sizeof(flow->key));
	flow->key.client.ip = iph->saddr;
	vip.ip = iph->daddr;
	return sessha_classify_l4(sn, skb, AF_INET, &vip, iph->protocol,
				  nhoff + iph->ihl * 4, flow);
}

/* As sessha_classify_v4(), for the IPv6 packet at @nhoff. */
static int sessha_classify_v6(struct sessha_net *sn, struct sk_buff *skb,
			      unsigned int nhoff, struct sessha_flow *flow)
{
	struct ipv6hdr _ip6h, *ip6h;
	union sessha_addr vip;
	__be16 frag_off;
	u8 proto;
	int thoff;

	ip6h = skb_header_pointer(skb, nhoff, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return -EINVAL;
	proto = ip6h->nexthdr;
	thoff = ipv6_skip_exthdr(skb, nhoff + sizeof(*ip6h), &proto, &frag_off);
	if (thoff < 0)
		return -EINVAL;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return 0;
	if (frag_off & htons(IP6_OFFSET))
		return 0;

	memset(&flow->key, 0, sizeof(flow->key));
	flow->key.client.in6 = ip6h->saddr;
	vip.in6 = ip6h->daddr;
	return sessha_classify_l4(sn, skb, AF_INET6, &vip, proto, thoff, flow);
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
				    flow->tcp_flags);
	if (sessha_xmit(sn->net, skb, owner->family, &owner->addr)) {
		sessha_count(sn, SESSHA_STAT_DROP_XMIT);
		return NF_STOLEN;
	}
	sessha_count(sn, SESSHA_STAT_FWD_PACKETS);
	return NF_STOLEN;
}

static unsigned int sessha_pre_routing(struct sessha_net *sn,
				       struct sk_buff *skb, bool v6)
{
	struct sessha_flow flow;
	int ret;

	if (!READ_ONCE(sn->nservices))
		return NF_ACCEPT;
	if (v6)
		ret = sessha_classify_v6(sn, skb, 0, &flow);
	else
		ret = sessha_classify_v4(sn, skb, 0, &flow);
	if (ret <= 0)
		return NF_ACCEPT;
	skb_set_transport_header(skb, flow.thoff);
	return sessha_forward(sn, skb, &flow);
}

static unsigned int sessha_pre_routing4(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	return sessha_pre_routing(sessha_pernet(state->net), skb, false);
}

static unsigned int sessha_pre_routing6(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	return sessha_pre_routing(sessha_pernet(state->net), skb, true);
}

/*
 * The owner's side: @inner is the offset of the tunnelled packet, @proto
 * the outer header's protocol for it. The outer header goes: the packet
 * leaves with a new one, towards the backend.
 */
static unsigned int sessha_tunnelled(struct sessha_net *sn,
				     struct sk_buff *skb, unsigned int inner,
				     u8 proto)
{
	struct sessha_flow flow;
	int ret;

	if (proto == IPPROTO_IPIP)
		ret = sessha_classify_v4(sn, skb, inner, &flow);
	else
		ret = sessha_classify_v6(sn, skb, inner, &flow);
	if (ret < 0) {
		sessha_count(sn, SESSHA_STAT_DROP_MALFORMED);
		return NF_DROP;
	}
	if (!ret)
		return NF_ACCEPT;
	if (!pskb_pull(skb, inner)) {
		sessha_count(sn, SESSHA_STAT_DROP_MALFORMED);
		return NF_DROP;
	}
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, flow.thoff - inner);
	return sessha_serve(sn, skb, flow.svc, &flow.key, flow.tcp_flags);
}

static bool sessha_is_tunnel_proto(u8 proto)
{
	return proto == IPPROTO_IPIP || proto == IPPROTO_IPV6;
}

static unsigned int sessha_local_in4(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct sessha_net *sn = sessha_pernet(state->net);
	u8 proto = ip_hdr(skb)->protocol;

	if (!READ_ONCE(sn->nservices) || !sessha_is_tunnel_proto(proto))
		return NF_ACCEPT;
	return sessha_tunnelled(sn, skb, ip_hdrlen(skb), proto);
}

static unsigned int sessha_local_in6(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct sessha_net *sn = sessha_pernet(state->net);
	u8 proto = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off;
	int inner;

	if (!READ_ONCE(sn->nservices))
		return NF_ACCEPT;
	inner = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &proto, &frag_off);
	if (inner < 0)
		return NF_ACCEPT;
	if (proto == IPPROTO_ICMPV6) {
		sessha_pmtu_learn(sn, skb, inner);
		return NF_ACCEPT;
	}
	if (!sessha_is_tunnel_proto(proto))
		return NF_ACCEPT;
	/* Defragmentation comes first: a fragment here is not ours. */
	if (frag_off) {
		sessha_count(sn, SESSHA_STAT_DROP_MALFORMED);
		return NF_DROP;
	}
	return sessha_tunnelled(sn, skb, inner, proto);
}

/* Before conntrack, so that stolen packets leave no conntrack state. */
static const struct nf_hook_ops sessha_nf_ops[] = {
	{
		.hook		= sessha_pre_routing4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_CONNTRACK - 1,
	},
	{
		.hook		= sessha_local_in4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_CONNTRACK - 1,
	},
	{
		.hook		= sessha_pre_routing6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP6_PRI_CONNTRACK - 1,
	},
	{
		.hook		= sessha_local_in6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_CONNTRACK - 1,
	},
};

int sessha_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto err_v4;
	err = nf_register_net_hooks(net, sessha_nf_ops,
				    ARRAY_SIZE(sessha_nf_ops));
	if (err)
		goto err_v6;
	return 0;

err_v6:
	nf_defrag_ipv6_disable(net);
err_v4:
	nf_defrag_ipv4_disable(net);
	return err;
}

void sessha_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, sessha_nf_ops, ARRAY_SIZE(sessha_nf_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
