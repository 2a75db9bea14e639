/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sessha sync wire format, version 2 (Documentation/sync-wire-format.rst).
 *
 * Big-endian on the wire. This header and wire.c depend on nothing but
 * the kernel's integer types, so that the decoder also builds in userspace
 * for fuzzing (tools/fuzz/).
 */
#ifndef _SESSHA_WIRE_H
#define _SESSHA_WIRE_H

#include <linux/types.h>

#define SESSHA_WIRE_VERSION		2

enum sessha_wire_type {
	SESSHA_WIRE_SESSIONS = 1,	/* session records */
	SESSHA_WIRE_BULK_REQUEST,	/* "send me what I should hold" */
	SESSHA_WIRE_BULK_START,		/* a bulk answer begins */
	SESSHA_WIRE_BULK_END,		/* a bulk answer is complete */
	SESSHA_WIRE_DIGEST,		/* what the sender believes we hold */
	__SESSHA_WIRE_TYPE_MAX
};

#define SESSHA_WIRE_OP_UPDATE		1
#define SESSHA_WIRE_OP_DELETE		2

#define SESSHA_WIRE_F_IPV6		0x01

/*
 *  0      version (2)
 *  1      type
 *  2..3   length: the whole datagram, MAC included
 *  4..7   sender node id
 *  8..15  sender epoch: changes on every restart of the sender's state
 * 16..19  sequence number, per (sender, receiver) and epoch, from 1
 * 20      key id, 0 for an unauthenticated datagram
 * 21      reserved (0)
 * 22..23  count of records or digest buckets in the body
 * then the body, then the MAC (32 bytes of HMAC-SHA256) if key id != 0.
 */
#define SESSHA_WIRE_HDR_LEN		24
#define SESSHA_WIRE_MAC_LEN		32

/* Session record: 12 bytes, then the client address (4 or 16 bytes). */
#define SESSHA_WIRE_REC_LEN		12
#define SESSHA_WIRE_REC_MAX		(SESSHA_WIRE_REC_LEN + 16)

/* Bulk request, start and end: bucket mask (2), reserved (2), seq (4). */
#define SESSHA_WIRE_CTL_LEN		8

/* Digest: one entry per bucket: sessions (4), reserved (4), sum (8). */
#define SESSHA_WIRE_BUCKETS		16
#define SESSHA_WIRE_DIGEST_LEN		16
#define SESSHA_WIRE_ALL_BUCKETS		0xffff

/* Largest datagram we build: fits a 1500-byte path over IPv6 and UDP. */
#define SESSHA_WIRE_MAX_LEN		(1500 - 40 - 8)

enum sessha_wire_error {
	SESSHA_WIRE_OK,
	SESSHA_WIRE_ESHORT,	/* shorter than its header, body or MAC */
	SESSHA_WIRE_EVERSION,
	SESSHA_WIRE_ETYPE,
	SESSHA_WIRE_ELENGTH,	/* lengths disagree */
};

struct sessha_wire_msg {
	u8		type;
	u8		key_id;
	u16		count;
	u32		sender;
	u64		epoch;
	u32		seq;
	const u8	*body;
	unsigned int	body_len;
	const u8	*mac;		/* NULL without a key */
	unsigned int	signed_len;	/* header and body */
};

struct sessha_wire_record {
	u8	op;
	u8	flags;
	u8	state;
	u8	reserved;
	u16	service;
	u16	backend;
	u16	cport;		/* host order */
	u16	timeout;	/* seconds */
	u8	addr[16];	/* 4 bytes used without F_IPV6 */
};

struct sessha_wire_ctl {
	u16	buckets;
	u32	seq;		/* BULK_END: the seq of its BULK_START */
};

struct sessha_wire_digest {
	u32	sessions;
	u64	sum;
};

int sessha_wire_parse(const u8 *buf, unsigned int len,
		      struct sessha_wire_msg *msg);
unsigned int sessha_wire_get_record(const u8 *p,
				    struct sessha_wire_record *rec);
void sessha_wire_get_ctl(const struct sessha_wire_msg *msg,
			 struct sessha_wire_ctl *ctl);
void sessha_wire_get_digest(const struct sessha_wire_msg *msg,
			    unsigned int bucket,
			    struct sessha_wire_digest *dig);

void sessha_wire_put_header(u8 *buf, const struct sessha_wire_msg *msg,
			    unsigned int len);
unsigned int sessha_wire_put_record(u8 *p,
				    const struct sessha_wire_record *rec);
unsigned int sessha_wire_put_ctl(u8 *p, const struct sessha_wire_ctl *ctl);
unsigned int sessha_wire_put_digest(u8 *p,
				    const struct sessha_wire_digest *dig);

static inline unsigned int sessha_wire_rec_len(u8 flags)
{
	return SESSHA_WIRE_REC_LEN + (flags & SESSHA_WIRE_F_IPV6 ? 16 : 4);
}

#endif /* _SESSHA_WIRE_H */
