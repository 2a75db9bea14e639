// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel output: a forwarder tunnels a flow to its owner, and an owner
 * tunnels it on to the backend (direct server return: the backend
 * decapsulates with an ordinary tunnel device and answers the client).
 *
 * The outer header follows the destination's family, the inner packet
 * keeps its own: IPv4 or IPv6 in IPv4 (protocols 4 and 41, as ipip and
 * sit) and IPv4 or IPv6 in IPv6 (as ip6tnl). The caller hands over the
 * packet with its network header at the inner IP header and its
 * transport header at the inner L4 header.
 *
 * sessha_xmit() consumes the skb, whatever it returns.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "xmit.h"

static bool sessha_inner_is_v6(const struct sk_buff *skb)
{
	return ip_hdr(skb)->version == 6;
}

static u8 sessha_inner_dsfield(const struct sk_buff *skb)
{
	if (sessha_inner_is_v6(skb))
		return ipv6_get_dsfield(ipv6_hdr(skb));
	return ip_hdr(skb)->tos;
}

static struct dst_entry *sessha_route4(struct net *net, __be32 daddr,
				       __be32 *saddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_proto = IPPROTO_IPIP,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (rt->rt_type != RTN_UNICAST && rt->rt_type != RTN_LOCAL) {
		ip_rt_put(rt);
		return ERR_PTR(-EHOSTUNREACH);
	}
	*saddr = fl4.saddr;
	return &rt->dst;
}

static struct dst_entry *sessha_route6(struct net *net,
				       const struct in6_addr *daddr,
				       struct flowi6 *fl6)
{
	struct dst_entry *dst;
	int err;

	memset(fl6, 0, sizeof(*fl6));
	fl6->daddr = *daddr;
	fl6->flowi6_proto = IPPROTO_IPV6;
	err = ip6_dst_lookup(net, NULL, &dst, fl6);
	if (err)
		return ERR_PTR(err);
	return dst;
}

/*
 * Forget the receive side: no conntrack, no old route, no old tunnel
 * type, a clean checksum. A packet that arrived tunnelled and was
 * aggregated by GRO keeps its inner offload state: only the outer family
 * may change.
 */
static int sessha_xmit_prepare(struct sk_buff *skb, struct dst_entry *dst,
			       int gso_type)
{
	int err;

	err = skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) +
				sizeof(struct ipv6hdr));
	if (err)
		return err;
	if (skb_is_gso(skb))
		skb_shinfo(skb)->gso_type &= ~(SKB_GSO_IPXIP4 | SKB_GSO_IPXIP6);
	else
		skb->encapsulation = 0;	/* inner headers: the ones set now */
	err = iptunnel_handle_offloads(skb, gso_type);
	if (err)
		return err;
	skb_set_inner_ipproto(skb, sessha_inner_is_v6(skb) ? IPPROTO_IPV6 :
							    IPPROTO_IPIP);
	skb_scrub_packet(skb, false);
	skb_forward_csum(skb);
	skb_dst_set(skb, dst);
	/* Fragment the outer packet rather than drop a full-sized inner one. */
	skb->ignore_df = 1;
	return 0;
}

static int sessha_xmit4(struct net *net, struct sk_buff *skb, __be32 daddr)
{
	u8 proto = sessha_inner_is_v6(skb) ? IPPROTO_IPV6 : IPPROTO_IPIP;
	u8 tos = sessha_inner_dsfield(skb);
	struct dst_entry *dst;
	struct iphdr *iph;
	__be32 saddr;
	int err;

	dst = sessha_route4(net, daddr, &saddr);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	err = sessha_xmit_prepare(skb, dst, SKB_GSO_IPXIP4);
	if (err) {
		dst_release(dst);
		kfree_skb(skb);
		return err;
	}

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = tos;
	iph->frag_off = 0;
	iph->ttl = ip4_dst_hoplimit(dst);
	iph->protocol = proto;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, NULL);
	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));

	/* __ip_local_out() sets tot_len and the checksum. */
	return ip_local_out(net, NULL, skb);
}

static int sessha_xmit6(struct net *net, struct sk_buff *skb,
			const struct in6_addr *daddr)
{
	u8 proto = sessha_inner_is_v6(skb) ? IPPROTO_IPV6 : IPPROTO_IPIP;
	u8 dsfield = sessha_inner_dsfield(skb);
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct flowi6 fl6;
	int err;

	dst = sessha_route6(net, daddr, &fl6);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	err = sessha_xmit_prepare(skb, dst, SKB_GSO_IPXIP6);
	if (err) {
		dst_release(dst);
		kfree_skb(skb);
		return err;
	}

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	/* The label hashes the inner flow, for ECMP on the fabric. */
	ip6_flow_hdr(ip6h, dsfield, ip6_make_flowlabel(net, skb, 0, true,
							&fl6));
	ip6h->nexthdr = proto;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = *daddr;
	skb->protocol = htons(ETH_P_IPV6);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));

	/* __ip6_local_out() sets payload_len. */
	return ip6_local_out(net, NULL, skb);
}

int sessha_xmit(struct net *net, struct sk_buff *skb, u8 family,
		const union sessha_addr *daddr)
{
	int err;

	if (family == AF_INET6)
		err = sessha_xmit6(net, skb, &daddr->in6);
	else
		err = sessha_xmit4(net, skb, daddr->ip);
	/* Only a local refusal counts; congestion (NET_XMIT_CN) does not. */
	return err < 0 ? err : 0;
}
