// SPDX-License-Identifier: GPL-2.0
/*
 * owners.c - the clients whose flows a given node owns, as a sessha
 * forwarder would send them (bench/gen.py --owner).
 *
 *   owners FIRST COUNT SERVICE CPORT NODE RING...
 *
 * writes, as big-endian addresses on stdout (4 bytes each, 16 if FIRST is
 * an IPv6 address), the first COUNT client addresses from FIRST up (an
 * IPv6 address counts up in its last 32 bits) whose flow (SERVICE, the
 * client port CPORT) has NODE first in the ring policy's order over the
 * node ids RING, all nodes up. It is kmod/policy.c's sessha_flow_hash()
 * and sessha_order_ring() with the kernel's siphash (SipHash-2-4,
 * lib/siphash.c): the benchmark writes a node's flows straight into it,
 * and a flow the policy gives to another node would have its records
 * refused by the backups (sync_rx_conflict). Python is far too slow for
 * this in the emulated guest.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* kmod/policy.c: sessha_policy_key */
static const uint64_t K0 = 0x7365737368612d68ULL, K1 = 0x612d706f6c696379ULL;

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define ROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/* SipHash-2-4 of the words m[0..n-1], the last of them b (length byte). */
static uint64_t siphash(const uint64_t *m, int n)
{
	uint64_t v0 = K0 ^ 0x736f6d6570736575ULL, v1 = K1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = K0 ^ 0x6c7967656e657261ULL, v3 = K1 ^ 0x7465646279746573ULL;
	int i;

	for (i = 0; i < n; i++) {
		v3 ^= m[i];
		ROUND(v0, v1, v2, v3);
		ROUND(v0, v1, v2, v3);
		v0 ^= m[i];
	}
	v2 ^= 0xff;
	ROUND(v0, v1, v2, v3);
	ROUND(v0, v1, v2, v3);
	ROUND(v0, v1, v2, v3);
	ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint64_t siphash_3u32(uint32_t a, uint32_t b, uint32_t c)
{
	uint64_t m[2] = { (uint64_t)b << 32 | a, (uint64_t)12 << 56 | c };

	return siphash(m, 2);
}

static uint64_t siphash_2u64(uint64_t a, uint64_t b)
{
	uint64_t m[3] = { a, b, (uint64_t)16 << 56 };

	return siphash(m, 3);
}

int main(int argc, char **argv)
{
	unsigned long count, service, cport, node, found = 0;
	struct in6_addr first6;
	struct in_addr first;
	uint32_t addr, high = 0;
	int i, n, v6;

	v6 = argc >= 2 && inet_pton(AF_INET6, argv[1], &first6) == 1;
	if (v6) {
		/* the first three words are fixed: their XOR, in host order */
		for (i = 0; i < 3; i++)
			high ^= ntohl(first6.s6_addr32[i]);
		first.s_addr = first6.s6_addr32[3];
	}
	if (argc < 7 || (!v6 && inet_pton(AF_INET, argv[1], &first) != 1)) {
		fprintf(stderr, "usage: owners FIRST COUNT SERVICE CPORT NODE RING...\n");
		return 1;
	}
	count = strtoul(argv[2], NULL, 0);
	service = strtoul(argv[3], NULL, 0);
	cport = strtoul(argv[4], NULL, 0);
	node = strtoul(argv[5], NULL, 0);
	n = argc - 6;
	for (addr = ntohl(first.s_addr); found < count; addr++) {
		/* sessha_flow_hash(): the address words XORed, the family
		 * (AF_INET 2, AF_INET6 10) */
		uint64_t flow = siphash_3u32(high ^ addr, service << 16 | cport,
					     v6 ? 10 : 2);
		uint64_t best = 0;
		unsigned long owner = 0;

		for (i = 0; i < n; i++) {
			unsigned long id = strtoul(argv[6 + i], NULL, 0);
			uint64_t s = siphash_2u64(flow, id);

			if (!owner || s > best) {
				best = s;
				owner = id;
			}
		}
		if (owner != node)
			continue;
		uint32_t be = htonl(addr);

		if (v6) {
			first6.s6_addr32[3] = be;
			fwrite(&first6, 16, 1, stdout);
		} else {
			fwrite(&be, 4, 1, stdout);
		}
		found++;
	}
	return 0;
}
