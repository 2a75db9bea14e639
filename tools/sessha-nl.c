// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing, after iw: connect, ask for extended acks,
 * resolve the family, and one request path whose error, finish and ack
 * callbacks end the receive loop. Replies are parsed against one policy,
 * generated from the spec (sessha-nl-gen.c), and handed to the caller as
 * an attribute table.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "sessha.h"
#include "sessha-nl-gen.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct request_state {
	int err;		/* 1 while waiting, then 0 or -errno */
	char msg[256];		/* the kernel's extack message, if any */
	reply_fn fn;
	void *arg;
};

static void report(int err, const char *extack, const char *ctx)
{
	if (extack[0])
		fail_status(EXIT_FAILED, "%s", extack);
	else
		fail_status(EXIT_FAILED, "%s: %s", ctx, strerror(-err));
}

int conn_open(struct conn *c)
{
	int one = 1, err;

	c->sk = nl_socket_alloc();
	if (!c->sk)
		return fail_status(EXIT_FAILED,
				   "cannot allocate netlink socket");
	err = genl_connect(c->sk);
	if (err < 0) {
		fail_status(EXIT_FAILED,
			    "cannot open generic netlink socket: %s",
			    nl_geterror(err));
		goto err_free;
	}
	/* Best effort: without them errors still arrive, just terser. */
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	c->family = genl_ctrl_resolve(c->sk, SESSHA_GENL_NAME);
	if (c->family == -NLE_OBJ_NOTFOUND) {
		fail_status(EXIT_NO_MODULE,
			    "sessha module not loaded (generic netlink family \"%s\" not found)",
			    SESSHA_GENL_NAME);
		goto err_free;
	}
	if (c->family < 0) {
		fail_status(EXIT_FAILED,
			    "cannot resolve generic netlink family \"%s\": %s",
			    SESSHA_GENL_NAME, nl_geterror(c->family));
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(c->sk);
	c->sk = NULL;
	return -1;
}

void conn_close(struct conn *c)
{
	nl_socket_free(c->sk);
	c->sk = NULL;
}

struct nl_msg *conn_msg(const struct conn *c, uint8_t cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0,
			 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
			 SESSHA_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int put_addr(struct nl_msg *msg, int type, const struct sessha_addr *addr)
{
	return nla_put(msg, type, addr->len, addr->bytes);
}

/* Copy the extack message that follows an error or a dump's status. */
static void extack_msg(struct nlmsghdr *nlh, size_t offset, char *buf,
		       size_t len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nlattr *attrs;
	int alen;

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= offset)
		return;
	attrs = (struct nlattr *)((unsigned char *)nlh + offset);
	alen = nlh->nlmsg_len - offset;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, alen, NULL) < 0 ||
	    !tb[NLMSGERR_ATTR_MSG])
		return;
	snprintf(buf, len, "%.*s", (int)strnlen(nla_data(tb[NLMSGERR_ATTR_MSG]),
						nla_len(tb[NLMSGERR_ATTR_MSG])),
		 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	/* one line, whatever the kernel sent */
	buf[strcspn(buf, "\n")] = '\0';
}

static int error_handler(struct sockaddr_nl *nla, struct nlmsgerr *e,
			 void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct request_state *st = arg;
	size_t offset = sizeof(*nlh) + sizeof(*e);

	(void)nla;
	st->err = e->error < 0 ? e->error : -EPROTO;
	/* Without NLM_F_CAPPED the whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - sizeof(*nlh);
	extack_msg(nlh, offset, st->msg, sizeof(st->msg));
	return NL_STOP;
}

/* NLMSG_DONE of a dump carries the dump's status, and an extack with it. */
static int finish_handler(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request_state *st = arg;
	int status = 0;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(status)))
		memcpy(&status, nlmsg_data(nlh), sizeof(status));
	st->err = status < 0 ? status : 0;
	if (st->err)
		extack_msg(nlh, NLMSG_LENGTH(sizeof(status)), st->msg,
			   sizeof(st->msg));
	return NL_STOP;
}

static int ack_handler(struct nl_msg *msg, void *arg)
{
	struct request_state *st = arg;

	(void)msg;
	st->err = 0;
	return NL_STOP;
}

static int valid_handler(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[SESSHA_A_MAX + 1];
	struct request_state *st = arg;

	if (!st->fn)
		return NL_OK;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SESSHA_A_MAX,
			  sessha_reply_policy) < 0) {
		st->err = -EBADMSG;
		return NL_STOP;
	}
	if (st->fn(tb, gnlh->cmd, st->arg) < 0) {
		st->err = -EBADMSG;
		return NL_STOP;
	}
	return NL_OK;
}

/* Send @msg (consumed) and feed each reply to @fn. */
int conn_request(struct conn *c, struct nl_msg *msg, reply_fn fn, void *arg,
		 const char *ctx)
{
	struct request_state st = { .err = 1, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return fail_status(EXIT_FAILED, "cannot allocate netlink callbacks");
	}
	nl_cb_err(cb, NL_CB_CUSTOM, error_handler, &st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_handler, &st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_handler, &st);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_handler, &st);

	err = nl_send_auto(c->sk, msg);
	/* a request may carry a key: leave no copy in freed memory */
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	if (err < 0) {
		fail_status(EXIT_FAILED, "%s: %s", ctx, nl_geterror(err));
		goto out;
	}
	while (st.err > 0) {
		err = nl_recvmsgs(c->sk, cb);
		if (err < 0 && st.err > 0) {
			fail_status(EXIT_FAILED, "%s: %s", ctx, nl_geterror(err));
			goto out;
		}
	}
	err = st.err;
	if (err == -EBADMSG && !st.msg[0])
		fail_status(EXIT_FAILED, "%s: malformed reply from the kernel",
			    ctx);
	else if (err)
		report(err, st.msg, ctx);
out:
	nl_cb_put(cb);
	return err ? -1 : 0;
}

/*
 * A dump's JSON array opens with its first reply, so a dump that fails
 * before any reply prints nothing on stdout; one that fails later still
 * leaves a well-formed document.
 */
struct array_state {
	const struct request *r;
	bool opened;
};

static int array_reply(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct array_state *as = arg;

	if (!as->opened) {
		print_open_array(PRINT_JSON, NULL, NULL);
		as->opened = true;
	}
	return as->r->reply(tb, cmd, as->r->arg);
}

int run_request(const struct request *r)
{
	struct array_state as = { .r = r };
	struct nl_msg *msg;
	struct conn c;
	int ret;

	if (conn_open(&c))
		return -1;
	msg = conn_msg(&c, r->cmd, r->dump);
	if (!msg) {
		ret = fail_status(EXIT_FAILED, "cannot allocate netlink message");
		goto out;
	}
	if (r->build && r->build(msg, r->req) < 0) {
		nlmsg_free(msg);
		ret = fail_status(EXIT_FAILED, "%s: request too large", r->ctx);
		goto out;
	}
	if (r->array) {
		ret = conn_request(&c, msg, array_reply, &as, r->ctx);
		if (!as.opened && !ret)
			print_open_array(PRINT_JSON, NULL, NULL);
		if (as.opened || !ret)
			print_close_array(PRINT_JSON);
	} else {
		ret = conn_request(&c, msg, r->reply, r->arg, r->ctx);
	}
out:
	conn_close(&c);
	return ret;
}

int conn_subscribe(struct conn *c, const char *group)
{
	int grp, err;

	grp = genl_ctrl_resolve_grp(c->sk, SESSHA_GENL_NAME, group);
	if (grp < 0)
		return fail_status(EXIT_FAILED,
				   "cannot resolve multicast group \"%s\": %s",
				   group, nl_geterror(grp));
	err = nl_socket_add_membership(c->sk, grp);
	if (err < 0)
		return fail_status(EXIT_FAILED,
				   "cannot join multicast group \"%s\": %s",
				   group, nl_geterror(err));
	return 0;
}

/* Feed notifications to @fn until an error; -1 when it stops. */
int conn_listen(struct conn *c, reply_fn fn, void *arg)
{
	struct request_state st = { .err = 1, .fn = fn, .arg = arg };
	int err;

	nl_socket_disable_seq_check(c->sk);
	nl_socket_modify_cb(c->sk, NL_CB_VALID, NL_CB_CUSTOM, valid_handler,
			    &st);
	for (;;) {
		err = nl_recvmsgs_default(c->sk);
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the socket overran; say so, go on */
			fprintf(stderr, "Warning: events lost\n");
			continue;
		}
		if (err < 0)
			return fail_status(EXIT_FAILED, "monitor: %s", nl_geterror(err));
		if (st.err == -EBADMSG)
			return fail_status(EXIT_FAILED,
					   "monitor: malformed event from the kernel");
	}
}
