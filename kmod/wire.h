/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sessha sync wire format, version 3 (Documentation/sync-wire-format.rst).
 *
 * Big-endian on the wire. This header and wire.c depend on nothing but
 * the kernel's integer types, so that the decoder also builds in userspace
 * for fuzzing (tools/fuzz/).
 */
#ifndef _SESSHA_WIRE_H
#define _SESSHA_WIRE_H

#include <linux/types.h>

#define SESSHA_WIRE_VERSION		3

enum sessha_wire_type {
	SESSHA_WIRE_SESSIONS = 1,	/* session records */
	SESSHA_WIRE_BULK_REQUEST,	/* "send me what I should hold" */
	SESSHA_WIRE_BULK_START,		/* a bulk answer begins */
	SESSHA_WIRE_BULK_END,		/* a bulk answer is complete */
	SESSHA_WIRE_DIGEST,		/* what the sender believes we hold */
	SESSHA_WIRE_RESEND,		/* "these numbers of yours were lost" */
	SESSHA_WIRE_CONFIG,		/* the sender's configuration digest */
	__SESSHA_WIRE_TYPE_MAX
};

/*
 *  0      version (3)
 *  1      type
 *  2      key id, 0 for an unauthenticated datagram
 *  3      count of records or digest buckets in the body
 *  4..7   sender node id
 *  8..15  sender epoch: changes on every restart of the sender's state
 * 16..19  sequence number, per (sender, receiver) and epoch, from 1
 * then the body, then the MAC (HMAC-SHA256, first 16 bytes) if key id != 0.
 * The datagram's length is the UDP payload's.
 */
#define SESSHA_WIRE_HDR_LEN		20
#define SESSHA_WIRE_MAC_LEN		16

/*
 * Session record. One byte of op (bits 7-6), family (bit 5: IPv6) and
 * state (bits 2-0); then service and client port; an UPDATE also has the
 * backend and the replica's lifetime; then the client address, 4 or 16
 * bytes. IPv4: 13 bytes an UPDATE, 9 a DELETE.
 */
#define SESSHA_WIRE_OP_UPDATE		1
#define SESSHA_WIRE_OP_DELETE		2
#define SESSHA_WIRE_OP_SHIFT		6
#define SESSHA_WIRE_F_IPV6		0x20
#define SESSHA_WIRE_RESERVED		0x18
#define SESSHA_WIRE_STATE_MASK		0x07
#define SESSHA_WIRE_UPDATE_LEN		9	/* then the address */
#define SESSHA_WIRE_DELETE_LEN		5
#define SESSHA_WIRE_REC_MAX		(SESSHA_WIRE_UPDATE_LEN + 16)

/* Bulk request, start and end: bucket mask (2), seq (4). */
#define SESSHA_WIRE_CTL_LEN		6

/* Resend request: the epoch (8), first and last lost number (4 each). */
#define SESSHA_WIRE_RESEND_LEN		16

/* Configuration digest: 8 bytes (confsum.c). */
#define SESSHA_WIRE_CONFIG_LEN		8

/* Digest: one entry per bucket: sessions (4), sum (8). */
#define SESSHA_WIRE_BUCKETS		16
#define SESSHA_WIRE_DIGEST_LEN		12
#define SESSHA_WIRE_ALL_BUCKETS		0xffff

/* Largest datagram we build: fits a 1500-byte path over IPv6 and UDP. */
#define SESSHA_WIRE_MAX_LEN		(1500 - 40 - 8)

enum sessha_wire_error {
	SESSHA_WIRE_OK,
	SESSHA_WIRE_ESHORT,	/* shorter than its header, body or MAC */
	SESSHA_WIRE_EVERSION,
	SESSHA_WIRE_ETYPE,
	SESSHA_WIRE_ELENGTH,	/* lengths disagree */
	SESSHA_WIRE_ERECORD,	/* a record's first byte is malformed */
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
	u8	ipv6;		/* 1: a 16-byte address */
	u8	state;
	u16	service;
	u16	backend;	/* UPDATE only */
	u16	cport;		/* host order */
	u16	timeout;	/* seconds; UPDATE only */
	u8	addr[16];	/* 4 bytes used for IPv4 */
};

struct sessha_wire_ctl {
	u16	buckets;
	u32	seq;		/* BULK_END: the seq of its BULK_START */
};

struct sessha_wire_resend {
	u64	epoch;		/* of the stream the numbers belong to */
	u32	from;
	u32	to;
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
void sessha_wire_get_resend(const struct sessha_wire_msg *msg,
			    struct sessha_wire_resend *rs);
u64 sessha_wire_get_config(const struct sessha_wire_msg *msg);
void sessha_wire_get_digest(const struct sessha_wire_msg *msg,
			    unsigned int bucket,
			    struct sessha_wire_digest *dig);

void sessha_wire_put_header(u8 *buf, const struct sessha_wire_msg *msg);
unsigned int sessha_wire_put_record(u8 *p,
				    const struct sessha_wire_record *rec);
unsigned int sessha_wire_put_ctl(u8 *p, const struct sessha_wire_ctl *ctl);
unsigned int sessha_wire_put_resend(u8 *p,
				    const struct sessha_wire_resend *rs);
unsigned int sessha_wire_put_config(u8 *p, u64 sum);
unsigned int sessha_wire_put_digest(u8 *p,
				    const struct sessha_wire_digest *dig);

/* The length of a record from its first byte; 0 if malformed. */
static inline unsigned int sessha_wire_rec_len(u8 opts)
{
	unsigned int alen = opts & SESSHA_WIRE_F_IPV6 ? 16 : 4;

	if (opts & SESSHA_WIRE_RESERVED)
		return 0;
	switch (opts >> SESSHA_WIRE_OP_SHIFT) {
	case SESSHA_WIRE_OP_UPDATE:
		return SESSHA_WIRE_UPDATE_LEN + alen;
	case SESSHA_WIRE_OP_DELETE:
		if (opts & SESSHA_WIRE_STATE_MASK)
			return 0;
		return SESSHA_WIRE_DELETE_LEN + alen;
	}
	return 0;
}

#endif /* _SESSHA_WIRE_H */
