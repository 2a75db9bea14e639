// SPDX-License-Identifier: GPL-2.0
/* Attribute and message helpers that every generic netlink file uses. */
#include "netlink.h"

int sessha_nla_get_addr(const struct nlattr *nla, u8 *family,
			union sessha_addr *addr,
			struct netlink_ext_ack *extack)
{
	memset(addr, 0, sizeof(*addr));
	switch (nla_len(nla)) {
	case sizeof(__be32):
		*family = AF_INET;
		addr->ip = nla_get_in_addr(nla);
		if (ipv4_is_zeronet(addr->ip) || ipv4_is_multicast(addr->ip) ||
		    ipv4_is_lbcast(addr->ip))
			goto bad;
		return 0;
	case sizeof(struct in6_addr):
		*family = AF_INET6;
		addr->in6 = nla_get_in6_addr(nla);
		if (ipv6_addr_any(&addr->in6) ||
		    ipv6_addr_is_multicast(&addr->in6))
			goto bad;
		/* Else one host could be configured twice, once per family. */
		if (ipv6_addr_v4mapped(&addr->in6)) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "IPv4-mapped address: use the IPv4 address");
			return -EINVAL;
		}
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, nla, "address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
bad:
	NL_SET_ERR_MSG_ATTR(extack, nla, "address must be a unicast address");
	return -EINVAL;
}

int sessha_nla_put_addr(struct sk_buff *skb, int type, u8 family,
			const union sessha_addr *addr)
{
	return nla_put(skb, type, sessha_addr_len(family), addr);
}

void *sessha_genlmsg_put_dump(struct sk_buff *skb,
			      struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &sessha_genl_family, NLM_F_MULTI, cmd);
}
