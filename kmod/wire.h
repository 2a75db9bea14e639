/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sessha sync wire format, version 1 (Documentation/sync-wire-format.rst).
 * Everything is in network byte order; structures carry no implicit padding.
 */
#ifndef _SESSHA_WIRE_H
#define _SESSHA_WIRE_H

#include <linux/types.h>

#define SESSHA_WIRE_VERSION		1
#define SESSHA_WIRE_TYPE_SESSIONS	1

#define SESSHA_WIRE_OP_UPDATE		1
#define SESSHA_WIRE_OP_DELETE		2

#define SESSHA_WIRE_F_IPV6		0x01

struct sessha_wire_hdr {
	u8	version;
	u8	type;
	__be16	length;		/* whole payload, this header included */
	__be32	sender;		/* node id of the sender */
	__be16	count;		/* records that follow */
	__be16	reserved;
};

struct sessha_wire_rec {
	u8	op;
	u8	flags;
	u8	state;
	u8	reserved;
	__be16	service;
	__be16	backend;
	__be16	cport;
	__be16	timeout;	/* seconds left, at least 1 */
	/* followed by the client address: 4 bytes, or 16 with F_IPV6 */
};

/* Largest payload we build: fits a 1500-byte path over IPv6 and UDP. */
#define SESSHA_WIRE_MAX_PAYLOAD		(1500 - 40 - 8)

static inline unsigned int sessha_wire_rec_len(u8 flags)
{
	return sizeof(struct sessha_wire_rec) +
	       (flags & SESSHA_WIRE_F_IPV6 ? 16 : 4);
}

#endif /* _SESSHA_WIRE_H */
