// SPDX-License-Identifier: GPL-2.0
/*
 * IPIP output: a forwarder tunnels a flow to its owner, and an owner
 * tunnels it on to the backend (direct server return: the backend
 * decapsulates with an ordinary ipip device and answers the client).
 *
 * Both functions consume the skb, whatever they return.
 */
#include <linux/ip.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/route.h>

#include "xmit.h"

static struct rtable *sessha_route(struct net *net, __be32 daddr,
				   __be32 *saddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_proto = IPPROTO_IPIP,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return rt;
	if (rt->rt_type != RTN_UNICAST && rt->rt_type != RTN_LOCAL) {
		ip_rt_put(rt);
		return ERR_PTR(-EHOSTUNREACH);
	}
	*saddr = fl4.saddr;
	return rt;
}

/* Forget the receive side: no conntrack, no old route, a clean checksum. */
static void sessha_xmit_prepare(struct sk_buff *skb, struct rtable *rt)
{
	skb_scrub_packet(skb, false);
	skb_forward_csum(skb);
	skb_dst_set(skb, &rt->dst);
	skb->ignore_df = 1;
}

int sessha_xmit_encap(struct net *net, struct sk_buff *skb, __be32 daddr)
{
	const struct iphdr *inner = ip_hdr(skb);
	u8 tos = inner->tos;
	struct rtable *rt;
	struct iphdr *iph;
	__be32 saddr;
	int err;

	rt = sessha_route(net, daddr, &saddr);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		goto drop;
	}
	err = skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) + sizeof(*iph));
	if (err)
		goto drop_rt;
	err = iptunnel_handle_offloads(skb, SKB_GSO_IPXIP4);
	if (err)
		goto drop_rt;
	skb_set_inner_ipproto(skb, IPPROTO_IPIP);
	sessha_xmit_prepare(skb, rt);

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = tos;
	iph->frag_off = 0;
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_IPIP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->tot_len = htons(skb->len);
	ip_select_ident(net, skb, NULL);
	ip_send_check(iph);
	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));

	ip_local_out(net, NULL, skb);
	return 0;

drop_rt:
	ip_rt_put(rt);
drop:
	kfree_skb(skb);
	return err;
}

/*
 * The packet arrived tunnelled from a forwarder: point the same outer
 * header at the backend. Offload state for the inner packet stays valid
 * because the inner headers do not move.
 */
int sessha_xmit_retarget(struct net *net, struct sk_buff *skb, __be32 daddr)
{
	struct rtable *rt;
	struct iphdr *iph;
	__be32 saddr;
	int err;

	rt = sessha_route(net, daddr, &saddr);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		goto drop;
	}
	err = skb_ensure_writable(skb, skb_network_offset(skb) + sizeof(*iph));
	if (err)
		goto drop_rt;
	sessha_xmit_prepare(skb, rt);

	iph = ip_hdr(skb);
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	ip_send_check(iph);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));

	ip_local_out(net, NULL, skb);
	return 0;

drop_rt:
	ip_rt_put(rt);
drop:
	kfree_skb(skb);
	return err;
}
