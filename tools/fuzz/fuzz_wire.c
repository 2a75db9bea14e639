// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the sync wire decoder (kmod/wire.c). Beyond "no
 * crash, no out-of-bounds read" (ASan and UBSan watch for those), it
 * checks what the kernel relies on: a datagram that parses is exactly
 * covered by its header, body and MAC, and every record read from it
 * encodes back to the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static void check(int cond)
{
	if (!cond)
		abort();
}

static void check_records(const struct sessha_wire_msg *msg)
{
	u8 again[SESSHA_WIRE_REC_MAX];
	struct sessha_wire_record rec;
	unsigned int off = 0, len, i;

	for (i = 0; i < msg->count; i++) {
		check(off < msg->body_len);
		len = sessha_wire_get_record(msg->body + off, &rec);
		check(len == sessha_wire_rec_len(msg->body[off]));
		check(off + len <= msg->body_len);
		/* Every bit of a record that parsed means something. */
		check(sessha_wire_put_record(again, &rec) == len);
		check(!memcmp(again, msg->body + off, len));
		off += len;
	}
	check(off == msg->body_len);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sessha_wire_resend rs;
	struct sessha_wire_digest dig;
	struct sessha_wire_msg msg;
	struct sessha_wire_ctl ctl;
	unsigned int i;

	if (size > 65535)
		return 0;
	if (sessha_wire_parse(data, size, &msg) != SESSHA_WIRE_OK)
		return 0;

	check(msg.body == data + SESSHA_WIRE_HDR_LEN);
	check(msg.signed_len == SESSHA_WIRE_HDR_LEN + msg.body_len);
	check(msg.signed_len + (msg.mac ? SESSHA_WIRE_MAC_LEN : 0) == size);
	switch (msg.type) {
	case SESSHA_WIRE_SESSIONS:
		check_records(&msg);
		break;
	case SESSHA_WIRE_DIGEST:
		for (i = 0; i < msg.count; i++)
			sessha_wire_get_digest(&msg, i, &dig);
		break;
	case SESSHA_WIRE_RESEND:
		check(msg.body_len == SESSHA_WIRE_RESEND_LEN);
		sessha_wire_get_resend(&msg, &rs);
		break;
	case SESSHA_WIRE_CONFIG:
		check(msg.body_len == SESSHA_WIRE_CONFIG_LEN);
		(void)sessha_wire_get_config(&msg);
		break;
	default:
		check(msg.body_len == SESSHA_WIRE_CTL_LEN);
		sessha_wire_get_ctl(&msg, &ctl);
		break;
	}
	return 0;
}
