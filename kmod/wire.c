// SPDX-License-Identifier: GPL-2.0
/*
 * The sync wire codec. Parsing checks the whole framing of a datagram
 * before the caller looks at any field: afterwards every record, control
 * body and digest the message claims lies inside the buffer. Nothing here
 * trusts a length it has not checked against the bytes it was given.
 *
 * Pure byte manipulation, no kernel services: the same file is built into
 * a libFuzzer target in userspace (tools/fuzz/).
 */
#include "wire.h"

static u16 get16(const u8 *p)
{
	return (u16)p[0] << 8 | p[1];
}

static u32 get32(const u8 *p)
{
	return (u32)get16(p) << 16 | get16(p + 2);
}

static u64 get64(const u8 *p)
{
	return (u64)get32(p) << 32 | get32(p + 4);
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void put64(u8 *p, u64 v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

/* Session records must fill the body exactly. */
static int sessha_wire_check_records(const struct sessha_wire_msg *msg)
{
	unsigned int off = 0, len, i;

	for (i = 0; i < msg->count; i++) {
		if (off == msg->body_len)
			return SESSHA_WIRE_ESHORT;
		len = sessha_wire_rec_len(msg->body[off]);
		if (!len)
			return SESSHA_WIRE_ERECORD;
		if (msg->body_len - off < len)
			return SESSHA_WIRE_ESHORT;
		off += len;
	}
	return off == msg->body_len ? SESSHA_WIRE_OK : SESSHA_WIRE_ELENGTH;
}

static int sessha_wire_check_body(const struct sessha_wire_msg *msg)
{
	switch (msg->type) {
	case SESSHA_WIRE_SESSIONS:
		return sessha_wire_check_records(msg);
	case SESSHA_WIRE_BULK_REQUEST:
	case SESSHA_WIRE_BULK_START:
	case SESSHA_WIRE_BULK_END:
		if (msg->count || msg->body_len != SESSHA_WIRE_CTL_LEN)
			return SESSHA_WIRE_ELENGTH;
		return SESSHA_WIRE_OK;
	case SESSHA_WIRE_RESEND:
		if (msg->count || msg->body_len != SESSHA_WIRE_RESEND_LEN)
			return SESSHA_WIRE_ELENGTH;
		return SESSHA_WIRE_OK;
	case SESSHA_WIRE_CONFIG:
		if (msg->count || msg->body_len != SESSHA_WIRE_CONFIG_LEN)
			return SESSHA_WIRE_ELENGTH;
		return SESSHA_WIRE_OK;
	case SESSHA_WIRE_DIGEST:
		if (msg->count != SESSHA_WIRE_BUCKETS ||
		    msg->body_len != SESSHA_WIRE_BUCKETS * SESSHA_WIRE_DIGEST_LEN)
			return SESSHA_WIRE_ELENGTH;
		return SESSHA_WIRE_OK;
	}
	return SESSHA_WIRE_ETYPE;
}

int sessha_wire_parse(const u8 *buf, unsigned int len,
		      struct sessha_wire_msg *msg)
{
	unsigned int mac_len;

	if (len < SESSHA_WIRE_HDR_LEN)
		return SESSHA_WIRE_ESHORT;
	if (buf[0] != SESSHA_WIRE_VERSION)
		return SESSHA_WIRE_EVERSION;
	msg->type = buf[1];
	if (msg->type < SESSHA_WIRE_SESSIONS ||
	    msg->type >= __SESSHA_WIRE_TYPE_MAX)
		return SESSHA_WIRE_ETYPE;

	msg->key_id = buf[2];
	msg->count = buf[3];
	msg->sender = get32(buf + 4);
	msg->epoch = get64(buf + 8);
	msg->seq = get32(buf + 16);

	mac_len = msg->key_id ? SESSHA_WIRE_MAC_LEN : 0;
	if (len - SESSHA_WIRE_HDR_LEN < mac_len)
		return SESSHA_WIRE_ESHORT;
	msg->signed_len = len - mac_len;
	msg->mac = mac_len ? buf + msg->signed_len : NULL;
	msg->body = buf + SESSHA_WIRE_HDR_LEN;
	msg->body_len = msg->signed_len - SESSHA_WIRE_HDR_LEN;
	return sessha_wire_check_body(msg);
}

/* @p: a record inside a parsed SESSIONS body. Returns its length. */
unsigned int sessha_wire_get_record(const u8 *p,
				    struct sessha_wire_record *rec)
{
	unsigned int i, off, alen;

	rec->op = p[0] >> SESSHA_WIRE_OP_SHIFT;
	rec->ipv6 = !!(p[0] & SESSHA_WIRE_F_IPV6);
	rec->state = p[0] & SESSHA_WIRE_STATE_MASK;
	rec->service = get16(p + 1);
	rec->cport = get16(p + 3);
	if (rec->op == SESSHA_WIRE_OP_UPDATE) {
		rec->backend = get16(p + 5);
		rec->timeout = get16(p + 7);
		off = SESSHA_WIRE_UPDATE_LEN;
	} else {
		rec->backend = 0;
		rec->timeout = 0;
		off = SESSHA_WIRE_DELETE_LEN;
	}
	alen = rec->ipv6 ? 16 : 4;
	for (i = 0; i < sizeof(rec->addr); i++)
		rec->addr[i] = i < alen ? p[off + i] : 0;
	return off + alen;
}

void sessha_wire_get_ctl(const struct sessha_wire_msg *msg,
			 struct sessha_wire_ctl *ctl)
{
	ctl->buckets = get16(msg->body);
	ctl->seq = get32(msg->body + 2);
}

void sessha_wire_get_resend(const struct sessha_wire_msg *msg,
			    struct sessha_wire_resend *rs)
{
	rs->epoch = get64(msg->body);
	rs->from = get32(msg->body + 8);
	rs->to = get32(msg->body + 12);
}

u64 sessha_wire_get_config(const struct sessha_wire_msg *msg)
{
	return get64(msg->body);
}

void sessha_wire_get_digest(const struct sessha_wire_msg *msg,
			    unsigned int bucket,
			    struct sessha_wire_digest *dig)
{
	const u8 *p = msg->body + bucket * SESSHA_WIRE_DIGEST_LEN;

	dig->sessions = get32(p);
	dig->sum = get64(p + 4);
}

void sessha_wire_put_header(u8 *buf, const struct sessha_wire_msg *msg)
{
	buf[0] = SESSHA_WIRE_VERSION;
	buf[1] = msg->type;
	buf[2] = msg->key_id;
	buf[3] = msg->count;
	put32(buf + 4, msg->sender);
	put64(buf + 8, msg->epoch);
	put32(buf + 16, msg->seq);
}

unsigned int sessha_wire_put_record(u8 *p,
				    const struct sessha_wire_record *rec)
{
	unsigned int i, off, alen = rec->ipv6 ? 16 : 4;

	p[0] = rec->op << SESSHA_WIRE_OP_SHIFT |
	       (rec->ipv6 ? SESSHA_WIRE_F_IPV6 : 0) |
	       (rec->op == SESSHA_WIRE_OP_UPDATE ?
		rec->state & SESSHA_WIRE_STATE_MASK : 0);
	put16(p + 1, rec->service);
	put16(p + 3, rec->cport);
	off = SESSHA_WIRE_DELETE_LEN;
	if (rec->op == SESSHA_WIRE_OP_UPDATE) {
		put16(p + 5, rec->backend);
		put16(p + 7, rec->timeout);
		off = SESSHA_WIRE_UPDATE_LEN;
	}
	for (i = 0; i < alen; i++)
		p[off + i] = rec->addr[i];
	return off + alen;
}

unsigned int sessha_wire_put_ctl(u8 *p, const struct sessha_wire_ctl *ctl)
{
	put16(p, ctl->buckets);
	put32(p + 2, ctl->seq);
	return SESSHA_WIRE_CTL_LEN;
}

unsigned int sessha_wire_put_resend(u8 *p,
				    const struct sessha_wire_resend *rs)
{
	put64(p, rs->epoch);
	put32(p + 8, rs->from);
	put32(p + 12, rs->to);
	return SESSHA_WIRE_RESEND_LEN;
}

unsigned int sessha_wire_put_digest(u8 *p,
				    const struct sessha_wire_digest *dig)
{
	put32(p, dig->sessions);
	put64(p + 4, dig->sum);
	return SESSHA_WIRE_DIGEST_LEN;
}

unsigned int sessha_wire_put_config(u8 *p, u64 sum)
{
	put64(p, sum);
	return SESSHA_WIRE_CONFIG_LEN;
}
