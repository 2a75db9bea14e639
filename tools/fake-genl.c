// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the sessha module, for testing sessha(8) where the module
 * cannot be loaded: an LD_PRELOAD shim that takes over the process's
 * netlink sockets and answers generic netlink requests from canned data.
 *
 *	LD_PRELOAD=./fake-genl.so FAKE_GENL_LOG=log ./sessha -j node show
 *
 * Each request is appended to $FAKE_GENL_LOG as "cmd flags attr...", with
 * every attribute as type=hex or type{...} for nests, so the tests can
 * check what the tool encoded. Replies are built to the letter of the
 * UAPI; a few ids provoke errors:
 *	node 7		-ENOENT, no extack message
 *	node 8		-EEXIST with "node 8 already exists" (capped ack)
 *	service 9	-EINVAL with "bad service" (uncapped ack)
 *	session dump of service 404: -ENOENT with "no such service" in DONE
 *	key 3		-ENOENT with "no such key"
 *	key 4		-EBUSY, no extack message
 * With $FAKE_GENL_NOMODULE set, the family is not found, as without the
 * module; $FAKE_GENL_VERSION sets the family version it reports.
 * $FAKE_GENL_SCTP makes service 65535's protocol one sessha has no name
 * for (SCTP).
 * $FAKE_GENL_NETNS names a file that gets, for every netlink socket
 * opened, the network namespace of the process at that moment.
 * SYNC_GET answers with two keys, 1 in use, unless $FAKE_GENL_NOKEYS is
 * set: then with none, while joining.
 * "monitor" gets one event of each kind, then end of file.
 *
 * It is test code: no locking, one socket at a time.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <linux/sessha.h>

#define FAMILY_ID 0x42
#define GROUP_ID 7
#define PORT_ID 4242

static int fake_fd = -1;
static bool joined, events_sent;	/* the events group */

/* Pending datagrams, as the kernel would send them: a dump's messages
 * share one, a reply and its ack come in two. */
static struct {
	size_t len;
	unsigned char buf[1 << 14];
} queue[8];
static unsigned int head, tail;	/* tail: the datagram being filled */

static void log_request(struct nlmsghdr *nlh)
{
	const char *path = getenv("FAKE_GENL_LOG");
	struct nlattr *nla, *inner;
	int rem, rem2, i;
	FILE *f;

	if (!path || nlh->nlmsg_type != FAMILY_ID)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "cmd=%u%s", ((struct genlmsghdr *)nlmsg_data(nlh))->cmd,
		nlh->nlmsg_flags & NLM_F_DUMP ? " dump" : "");
	nlmsg_for_each_attr(nla, nlh, GENL_HDRLEN, rem) {
		if (nla_type(nla) == SESSHA_A_SERVICE_NODES ||
		    nla_type(nla) == SESSHA_A_SERVICE_BACKUPS) {
			fprintf(f, " %d{", nla_type(nla));
			nla_for_each_nested(inner, nla, rem2)
				fprintf(f, "%s%d=%u", inner == nla_data(nla) ? "" : ",",
					nla_type(inner), nla_get_u32(inner));
			fputc('}', f);
			continue;
		}
		fprintf(f, " %d=", nla_type(nla));
		for (i = 0; i < nla_len(nla); i++)
			fprintf(f, "%02x", ((unsigned char *)nla_data(nla))[i]);
	}
	fputc('\n', f);
	fclose(f);
}

/* Append one message to the datagram being filled. */
static void queue_msg(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);

	if (tail < 8 && queue[tail].len + len <= sizeof(queue[tail].buf)) {
		memcpy(queue[tail].buf + queue[tail].len, nlh, nlh->nlmsg_len);
		queue[tail].len += len;
	}
	nlmsg_free(msg);
}

static void end_datagram(void)
{
	if (tail < 8 && queue[tail].len)
		tail++;
}

static struct nl_msg *reply(struct nlmsghdr *req, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, req ? req->nlmsg_pid : 0, req ? req->nlmsg_seq : 0,
		    req ? req->nlmsg_type : FAMILY_ID, 0, flags, cmd, 1);
	return msg;
}

static void put_extack(struct nl_msg *msg, const char *text)
{
	if (text) {
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK_TLVS;
	}
}

static void ack(struct nlmsghdr *req, int error, const char *text, bool capped)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsgerr *e;
	size_t echo = capped ? sizeof(*req) : req->nlmsg_len;
	struct nlmsghdr *nlh;

	end_datagram();
	nlh = nlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq, NLMSG_ERROR,
			sizeof(e->error) + echo, capped ? NLM_F_CAPPED : 0);
	e = nlmsg_data(nlh);
	e->error = error;
	memcpy(&e->msg, req, echo);
	put_extack(msg, text);
	queue_msg(msg);
}

static void done(struct nlmsghdr *req, int error, const char *text)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq, NLMSG_DONE,
			sizeof(error), NLM_F_MULTI);
	memcpy(nlmsg_data(nlh), &error, sizeof(error));
	put_extack(msg, text);
	queue_msg(msg);
}

static void put_addr(struct nl_msg *msg, int type, const char *s)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, s, buf) == 1)
		nla_put(msg, type, 4, buf);
	else if (inet_pton(AF_INET6, s, buf) == 1)
		nla_put(msg, type, 16, buf);
}

static void put_ids(struct nl_msg *msg, int type, const uint32_t *ids, int n)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	int i;

	for (i = 0; i < n; i++)
		nla_put_u32(msg, SESSHA_A_NODE_ID, ids[i]);
	nla_nest_end(msg, nest);
}

static void ctrl_family(struct nlmsghdr *req)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nlattr *groups, *grp;
	struct nl_msg *msg;

	genlmsg_parse(req, 0, tb, CTRL_ATTR_MAX, NULL);
	if (!tb[CTRL_ATTR_FAMILY_NAME] || getenv("FAKE_GENL_NOMODULE") ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), SESSHA_GENL_NAME)) {
		ack(req, -ENOENT, NULL, true);
		return;
	}
	msg = reply(req, CTRL_CMD_NEWFAMILY, 0);
	nlmsg_hdr(msg)->nlmsg_type = GENL_ID_CTRL;
	nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, FAMILY_ID);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, SESSHA_GENL_NAME);
	nla_put_u32(msg, CTRL_ATTR_VERSION, getenv("FAKE_GENL_VERSION") ?
		    atoi(getenv("FAKE_GENL_VERSION")) : SESSHA_GENL_VERSION);
	nla_put_u32(msg, CTRL_ATTR_HDRSIZE, 0);
	nla_put_u32(msg, CTRL_ATTR_MAXATTR, SESSHA_A_MAX);
	groups = nla_nest_start(msg, CTRL_ATTR_MCAST_GROUPS);
	grp = nla_nest_start(msg, 1);
	nla_put_string(msg, CTRL_ATTR_MCAST_GRP_NAME, SESSHA_MCGRP_EVENTS);
	nla_put_u32(msg, CTRL_ATTR_MCAST_GRP_ID, GROUP_ID);
	nla_nest_end(msg, grp);
	grp = nla_nest_start(msg, 2);
	nla_put_string(msg, CTRL_ATTR_MCAST_GRP_NAME, SESSHA_MCGRP_FLOWS);
	nla_put_u32(msg, CTRL_ATTR_MCAST_GRP_ID, GROUP_ID + 1);
	nla_nest_end(msg, grp);
	nla_nest_end(msg, groups);
	queue_msg(msg);
	if (req->nlmsg_flags & NLM_F_ACK)
		ack(req, 0, NULL, true);
}

static void node_dump(struct nlmsghdr *req)
{
	struct nl_msg *msg;

	msg = reply(req, SESSHA_CMD_NODE_GET, NLM_F_MULTI);
	nla_put_u32(msg, SESSHA_A_NODE_ID, 1);
	put_addr(msg, SESSHA_A_NODE_ADDR, "10.0.0.1");
	nla_put_flag(msg, SESSHA_A_NODE_LOCAL);
	nla_put_u8(msg, SESSHA_A_NODE_STATE, SESSHA_NODE_UP);
	nla_put_u8(msg, SESSHA_A_SYNC_STATE, SESSHA_SYNC_JOINING);
	queue_msg(msg);
	msg = reply(req, SESSHA_CMD_NODE_GET, NLM_F_MULTI);
	nla_put_u32(msg, SESSHA_A_NODE_ID, 4294967295u);
	put_addr(msg, SESSHA_A_NODE_ADDR, "2001:db8::2");
	nla_put_u8(msg, SESSHA_A_NODE_STATE, SESSHA_NODE_DOWN);
	nla_put_u8(msg, SESSHA_A_NODE_CONFIG, SESSHA_CONFIG_MISMATCH);
	queue_msg(msg);
	done(req, 0, NULL);
}

static void service_dump(struct nlmsghdr *req)
{
	static const uint32_t nodes[] = { 1, 2, 3 }, backups[] = { 2, 3, 1 };
	struct nlattr *backends, *be;
	struct nl_msg *msg;
	int i;

	msg = reply(req, SESSHA_CMD_SERVICE_GET, NLM_F_MULTI);
	nla_put_u32(msg, SESSHA_A_SERVICE_ID, 1);
	put_addr(msg, SESSHA_A_SERVICE_VIP, "10.0.0.100");
	nla_put_u8(msg, SESSHA_A_SERVICE_PROTO, IPPROTO_TCP);
	nla_put_u16(msg, SESSHA_A_SERVICE_PORT, 80);
	nla_put_u8(msg, SESSHA_A_SERVICE_POLICY, SESSHA_POLICY_RING);
	put_ids(msg, SESSHA_A_SERVICE_NODES, nodes, 3);
	backends = nla_nest_start(msg, SESSHA_A_SERVICE_BACKENDS);
	for (i = 1; i <= 2; i++) {
		be = nla_nest_start(msg, SESSHA_A_BACKEND);
		nla_put_u32(msg, SESSHA_A_BACKEND_ID, i);
		put_addr(msg, SESSHA_A_BACKEND_ADDR, i == 1 ? "10.0.1.1" : "10.0.1.2");
		if (i == 2)	/* a kernel without weights sends none */
			nla_put_u32(msg, SESSHA_A_BACKEND_WEIGHT, 0);
		nla_nest_end(msg, be);
	}
	nla_nest_end(msg, backends);
	queue_msg(msg);

	msg = reply(req, SESSHA_CMD_SERVICE_GET, NLM_F_MULTI);
	nla_put_u32(msg, SESSHA_A_SERVICE_ID, 65535);
	put_addr(msg, SESSHA_A_SERVICE_VIP, "2001:db8::100");
	nla_put_u8(msg, SESSHA_A_SERVICE_PROTO,
		   getenv("FAKE_GENL_SCTP") ? IPPROTO_SCTP : IPPROTO_UDP);
	nla_put_u16(msg, SESSHA_A_SERVICE_PORT, 53);
	nla_put_u8(msg, SESSHA_A_SERVICE_POLICY, SESSHA_POLICY_PAIRS);
	put_ids(msg, SESSHA_A_SERVICE_NODES, nodes, 3);
	put_ids(msg, SESSHA_A_SERVICE_BACKUPS, backups, 3);
	queue_msg(msg);
	done(req, 0, NULL);
}

static void session_dump(struct nlmsghdr *req)
{
	struct nlattr *tb[SESSHA_A_MAX + 1];
	struct nl_msg *msg;

	genlmsg_parse(req, 0, tb, SESSHA_A_MAX, NULL);
	if (tb[SESSHA_A_SERVICE_ID] && nla_get_u32(tb[SESSHA_A_SERVICE_ID]) == 404) {
		done(req, -ENOENT, "no such service");
		return;
	}
	msg = reply(req, SESSHA_CMD_SESSION_GET, NLM_F_MULTI);
	nla_put_u32(msg, SESSHA_A_SERVICE_ID, 1);
	put_addr(msg, SESSHA_A_SESSION_CLIENT_ADDR, "10.0.0.2");
	nla_put_u16(msg, SESSHA_A_SESSION_CLIENT_PORT, 40000);
	nla_put_u32(msg, SESSHA_A_BACKEND_ID, 1);
	put_addr(msg, SESSHA_A_BACKEND_ADDR, "10.0.1.1");
	nla_put_u8(msg, SESSHA_A_SESSION_STATE, SESSHA_STATE_ESTABLISHED);
	nla_put_u8(msg, SESSHA_A_SESSION_ROLE, SESSHA_ROLE_OWNER);
	nla_put_u32(msg, SESSHA_A_SESSION_OWNER, 1);
	nla_put_u32(msg, SESSHA_A_SESSION_BACKUP, 2);
	nla_put_u32(msg, SESSHA_A_SESSION_EXPIRES, 899000);
	queue_msg(msg);
	msg = reply(req, SESSHA_CMD_SESSION_GET, NLM_F_MULTI);
	nla_put_u32(msg, SESSHA_A_SERVICE_ID, 65535);
	put_addr(msg, SESSHA_A_SESSION_CLIENT_ADDR, "2001:db8::7");
	nla_put_u16(msg, SESSHA_A_SESSION_CLIENT_PORT, 65535);
	nla_put_u32(msg, SESSHA_A_BACKEND_ID, 2);
	put_addr(msg, SESSHA_A_BACKEND_ADDR, "2001:db8:1::2");
	nla_put_u8(msg, SESSHA_A_SESSION_STATE, 9);	/* unknown */
	nla_put_u8(msg, SESSHA_A_SESSION_ROLE, SESSHA_ROLE_REPLICA);
	nla_put_u32(msg, SESSHA_A_SESSION_OWNER, 3);
	nla_put_u32(msg, SESSHA_A_SESSION_BACKUP, 0);
	nla_put_u32(msg, SESSHA_A_SESSION_EXPIRES, 0);
	queue_msg(msg);
	done(req, 0, NULL);
}

static void stats_get(struct nlmsghdr *req)
{
	struct nl_msg *msg = reply(req, SESSHA_CMD_STATS_GET, 0);
	struct nlattr *nest = nla_nest_start(msg, SESSHA_A_STATS);
	int i;

	/* one counter more than the tool knows; type 0 is the pad */
	for (i = 1; i <= __SESSHA_STAT_MAX; i++)
		nla_put_u64(msg, i, i == 1 ? 18446744073709551615ull : (uint64_t)(i - 1));
	nla_nest_end(msg, nest);
	nla_put_u32(msg, SESSHA_A_SESSION_COUNT, 1234);
	nla_put_u32(msg, SESSHA_A_MAX_SESSIONS, 1048576);
	queue_msg(msg);
	ack(req, 0, NULL, true);
}

static void config_get(struct nlmsghdr *req)
{
	struct nl_msg *msg = reply(req, SESSHA_CMD_CONFIG_GET, 0);

	nla_put_u16(msg, SESSHA_A_SYNC_PORT, SESSHA_DEFAULT_SYNC_PORT);
	nla_put_u8(msg, SESSHA_A_SYNC_ENABLED, 1);
	nla_put_u32(msg, SESSHA_A_TIMEOUT_TCP, 900);
	nla_put_u32(msg, SESSHA_A_TIMEOUT_TCP_FIN, 60);
	nla_put_u32(msg, SESSHA_A_TIMEOUT_UDP, 300);
	nla_put_u32(msg, SESSHA_A_MAX_SESSIONS, 1048576);
	nla_put_u8(msg, SESSHA_A_SYNC_JOIN, 0);
	queue_msg(msg);
	ack(req, 0, NULL, true);
}

static void sync_get(struct nlmsghdr *req)
{
	struct nl_msg *msg = reply(req, SESSHA_CMD_SYNC_GET, 0);
	bool keys = !getenv("FAKE_GENL_NOKEYS");
	struct nlattr *nest, *key;
	int id;

	nla_put_u8(msg, SESSHA_A_SYNC_STATE,
		   keys ? SESSHA_SYNC_READY : SESSHA_SYNC_JOINING);
	/* nla_put_u64_64bit pads with an empty attribute where it must */
	nla_put(msg, SESSHA_A_PAD, 0, NULL);
	nla_put_u64(msg, SESSHA_A_SYNC_EPOCH,
		    keys ? 1764152831123456789ull : 0);
	nest = nla_nest_start(msg, SESSHA_A_KEYS);
	for (id = 1; keys && id <= 2; id++) {
		key = nla_nest_start(msg, SESSHA_A_KEY);
		nla_put_u8(msg, SESSHA_A_KEY_ID, id);
		if (id == 1)
			nla_put_flag(msg, SESSHA_A_KEY_TX);
		nla_nest_end(msg, key);
	}
	nla_nest_end(msg, nest);
	queue_msg(msg);
	ack(req, 0, NULL, true);
}

static void sessha_request(struct nlmsghdr *req)
{
	struct genlmsghdr *g = nlmsg_data(req);
	struct nlattr *tb[SESSHA_A_MAX + 1];
	uint32_t node = 0, service = 0, key = 0;

	log_request(req);
	genlmsg_parse(req, 0, tb, SESSHA_A_MAX, NULL);
	if (tb[SESSHA_A_NODE_ID])
		node = nla_get_u32(tb[SESSHA_A_NODE_ID]);
	if (tb[SESSHA_A_SERVICE_ID])
		service = nla_get_u32(tb[SESSHA_A_SERVICE_ID]);
	if (tb[SESSHA_A_KEY_ID])
		key = nla_get_u8(tb[SESSHA_A_KEY_ID]);

	switch (g->cmd) {
	case SESSHA_CMD_NODE_GET:
		return node_dump(req);
	case SESSHA_CMD_SERVICE_GET:
		return service_dump(req);
	case SESSHA_CMD_SESSION_GET:
		return session_dump(req);
	case SESSHA_CMD_STATS_GET:
		return stats_get(req);
	case SESSHA_CMD_CONFIG_GET:
		return config_get(req);
	case SESSHA_CMD_SYNC_GET:
		return sync_get(req);
	}
	if (node == 7)
		ack(req, -ENOENT, NULL, true);
	else if (node == 8)
		ack(req, -EEXIST, "node 8 already exists", true);
	else if (service == 9)
		ack(req, -EINVAL, "bad service", false);
	else if (key == 3)
		ack(req, -ENOENT, "no such key", true);
	else if (key == 4)
		ack(req, -EBUSY, NULL, true);
	else
		ack(req, 0, NULL, true);
}

static void queue_events(void)
{
	struct nl_msg *msg;

	msg = reply(NULL, SESSHA_CMD_NODE_NTF, 0);
	nla_put_u32(msg, SESSHA_A_NODE_ID, 2);
	nla_put_u8(msg, SESSHA_A_NODE_STATE, SESSHA_NODE_DOWN);
	queue_msg(msg);
	end_datagram();
	msg = reply(NULL, SESSHA_CMD_TAKEOVER_NTF, 0);
	nla_put_u32(msg, SESSHA_A_NODE_ID, 2);
	nla_put_u32(msg, SESSHA_A_SERVICE_ID, 1);
	nla_put_u32(msg, SESSHA_A_TAKEOVER_COUNT, 41);
	queue_msg(msg);
	end_datagram();
	msg = reply(NULL, SESSHA_CMD_PROMOTE_NTF, 0);
	nla_put_u32(msg, SESSHA_A_SERVICE_ID, 1);
	put_addr(msg, SESSHA_A_SESSION_CLIENT_ADDR, "10.0.0.2");
	nla_put_u16(msg, SESSHA_A_SESSION_CLIENT_PORT, 40000);
	nla_put_u32(msg, SESSHA_A_SESSION_OWNER, 2);
	queue_msg(msg);
	end_datagram();
}

/* The libc calls libnl makes on its socket. */

static void log_netns(void)
{
	const char *path = getenv("FAKE_GENL_NETNS");
	char ns[64];
	ssize_t n;
	FILE *f;

	if (!path)
		return;
	n = readlink("/proc/self/ns/net", ns, sizeof(ns) - 1);
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%.*s\n", n < 0 ? 0 : (int)n, ns);
	fclose(f);
}

int socket(int domain, int type, int protocol)
{
	if (domain != AF_NETLINK)
		return syscall(SYS_socket, domain, type, protocol);
	log_netns();
	fake_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	return fake_fd;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (fd != fake_fd)
		return syscall(SYS_bind, fd, addr, len);
	return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = PORT_ID };

	if (fd != fake_fd)
		return syscall(SYS_getsockname, fd, addr, len);
	memcpy(addr, &nl, sizeof(nl));
	*len = sizeof(nl);
	return 0;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	if (fd != fake_fd)
		return syscall(SYS_setsockopt, fd, level, name, val, len);
	if (level == SOL_NETLINK && name == NETLINK_ADD_MEMBERSHIP &&
	    *(const int *)val == GROUP_ID)
		joined = true;
	return 0;
}

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	struct nlmsghdr *nlh = m->msg_iov[0].iov_base;

	if (fd != fake_fd)
		return syscall(SYS_sendmsg, fd, m, flags);
	head = tail = 0;
	memset(queue, 0, sizeof(queue));
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		ctrl_family(nlh);
	else if (nlh->nlmsg_type == FAMILY_ID)
		sessha_request(nlh);
	else
		ack(nlh, -EOPNOTSUPP, NULL, true);
	end_datagram();
	return nlh->nlmsg_len;
}

ssize_t recvmsg(int fd, struct msghdr *m, int flags)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	size_t n, len;

	if (fd != fake_fd)
		return syscall(SYS_recvmsg, fd, m, flags);
	if (head == tail && joined && !events_sent) {
		events_sent = true;
		head = tail = 0;
		memset(queue, 0, sizeof(queue));
		queue_events();
	}
	if (head == tail) {
		/* nothing will ever come: the end of a monitor, or a bug */
		fprintf(stderr, "fake-genl: nothing to receive\n");
		exit(joined ? 0 : 99);
	}
	len = queue[head].len;
	n = len < m->msg_iov[0].iov_len ? len : m->msg_iov[0].iov_len;
	memcpy(m->msg_iov[0].iov_base, queue[head].buf, n);
	m->msg_flags = n < len ? MSG_TRUNC : 0;
	m->msg_controllen = 0;
	if (m->msg_name) {
		memcpy(m->msg_name, &kernel, sizeof(kernel));
		m->msg_namelen = sizeof(kernel);
	}
	if (!(flags & MSG_PEEK))
		head++;
	return len;
}
