// SPDX-License-Identifier: GPL-2.0
/*
 * sessha -V: this program's version, the family version it speaks, and
 * the version of the family the loaded module registered, which is what
 * decides whether the two understand each other. The last comes from the
 * generic netlink controller (CTRL_CMD_GETFAMILY), which answers for any
 * family; without the module it has none, and that is an answer too.
 */
#include <errno.h>
#include <stdio.h>
#include <netlink/genl/ctrl.h>
#include <linux/genetlink.h>

#include "sessha.h"

#ifndef SESSHA_VERSION
#define SESSHA_VERSION "unknown"
#endif

static int family_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	uint32_t *version = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_VERSION] ||
	    nla_len(tb[CTRL_ATTR_VERSION]) < (int)sizeof(uint32_t))
		return NL_SKIP;
	*version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	return NL_OK;
}

/* 0 and @version, or a libnl error: -NLE_OBJ_NOTFOUND without the family. */
static int family_version(struct nl_sock *sk, uint32_t *version)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	if (!msg)
		return -NLE_NOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
			 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, SESSHA_GENL_NAME) < 0) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	*version = 0;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, family_reply,
			    version);
	/* the family, then the ack; or an error in place of both */
	err = nl_recvmsgs_default(sk);
	if (err >= 0)
		err = nl_wait_for_ack(sk);
	if (err >= 0 && !*version)
		err = -NLE_MSG_TRUNC;
	return err < 0 ? err : 0;
}

int print_version(void)
{
	struct nl_sock *sk;
	uint32_t version;
	int err;

	printf("sessha %s (genl family \"%s\" version %u)\n", SESSHA_VERSION,
	       SESSHA_GENL_NAME, SESSHA_GENL_VERSION);
	sk = nl_socket_alloc();
	if (!sk)
		return fail_status(EXIT_FAILED,
				   "cannot allocate netlink socket");
	err = genl_connect(sk);
	if (err >= 0)
		err = family_version(sk, &version);
	nl_socket_free(sk);
	if (err == -NLE_OBJ_NOTFOUND) {
		printf("module not loaded (no genl family \"%s\")\n",
		       SESSHA_GENL_NAME);
		return 0;
	}
	if (err < 0)
		return fail_status(EXIT_FAILED,
				   "cannot ask for genl family \"%s\": %s",
				   SESSHA_GENL_NAME, nl_geterror(err));
	printf("module: genl family \"%s\" version %u\n", SESSHA_GENL_NAME,
	       version);
	return 0;
}
