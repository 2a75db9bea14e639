// SPDX-License-Identifier: GPL-2.0
/*
 * Path MTU for the IPv6 tunnel packets we send. An IPv6 router does not
 * fragment: it drops a packet too big for its next hop and answers
 * ICMPv6 Packet Too Big. The stack hands such an error to the handler of
 * the quoted packet's protocol, and for ours (4 or 41, no tunnel device)
 * there may be none: the route's MTU would never drop, and every
 * full-sized packet of the flow would vanish at that hop. So learn it
 * here; sessha_xmit() then fragments the outer packet at the source
 * (ignore_df), as IPv4 routers do on the way for our IPv4 tunnels.
 */
#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "pmtu.h"

void sessha_pmtu_learn(struct sessha_net *sn, struct sk_buff *skb,
		       unsigned int icmpoff)
{
	unsigned int quoted = icmpoff + sizeof(struct icmp6hdr);
	const struct icmp6hdr *ih;
	const struct ipv6hdr *ip6h;
	__be32 mtu;

	if (!pskb_may_pull(skb, quoted + sizeof(*ip6h)))
		return;
	ih = (const struct icmp6hdr *)(skb->data + icmpoff);
	ip6h = (const struct ipv6hdr *)(skb->data + quoted);
	if (ih->icmp6_type != ICMPV6_PKT_TOOBIG ||
	    (ip6h->nexthdr != IPPROTO_IPIP && ip6h->nexthdr != IPPROTO_IPV6))
		return;
	/* Only for what this host sent: a forged one lowers nobody else's. */
	if (!ipv6_chk_addr(sn->net, &ip6h->saddr, NULL, 0))
		return;
	mtu = ih->icmp6_mtu;
	/* ip6_update_pmtu() reads the quoted header at skb->data. */
	__skb_pull(skb, quoted);
	ip6_update_pmtu(skb, sn->net, mtu, 0, 0, sock_net_uid(sn->net, NULL));
	__skb_push(skb, quoted);
	sessha_count(sn, SESSHA_STAT_PMTU_LEARNED);
}
