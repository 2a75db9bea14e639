// SPDX-License-Identifier: GPL-2.0
/*
 * sessha sync: the cluster keys that authenticate sync datagrams, and the
 * state of sync in this namespace.
 *
 * A key is 32 bytes, read as 64 hex digits from a file or from standard
 * input, never from the command line, where any user could read it in
 * /proc. Our copies are wiped once the request has gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sessha-req.h"

#define KEY_LEN 32		/* SESSHA_A_KEY: HMAC-SHA256 */
#define KEY_FILE_MAX 4096	/* more than that is no key file */

#define UNAUTH_WARNING \
	"WARNING: sync is UNAUTHENTICATED: no cluster key set (sessha sync key add)"

struct key_req {
	uint32_t id;
	bool has_key;		/* add */
	unsigned char key[KEY_LEN];
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parse @len bytes of @s: 64 hex digits, blanks around them allowed. */
static int parse_key(const char *s, size_t len, const char *src,
		     unsigned char key[KEY_LEN])
{
	size_t i;

	while (len && blank(s[len - 1]))
		len--;
	while (len && blank(*s))
		s++, len--;
	for (i = 0; i < len; i++)
		if (hex_digit(s[i]) < 0)
			return fail("invalid key in %s: not hex", src);
	if (len != 2 * KEY_LEN)
		return fail("invalid key in %s: want %d hex digits (%d bytes)",
			    src, 2 * KEY_LEN, KEY_LEN);
	for (i = 0; i < KEY_LEN; i++)
		key[i] = hex_digit(s[2 * i]) << 4 | hex_digit(s[2 * i + 1]);
	return 0;
}

/* Read the key in file @path, or on standard input for "-". */
static int read_key(const char *path, unsigned char key[KEY_LEN])
{
	bool std_in = !strcmp(path, "-");
	char buf[KEY_FILE_MAX], src[PATH_MAX + 16];
	size_t len = 0;
	ssize_t n = 1;
	int fd, ret;

	if (std_in && batch_reads_stdin)
		return fail("cannot read the key on standard input: it is the batch");
	if (std_in)
		snprintf(src, sizeof(src), "standard input");
	else
		snprintf(src, sizeof(src), "key file \"%s\"", path);
	fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("cannot read %s: %s", src, strerror(errno));
	while (len < sizeof(buf) && n) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += n;
	}
	if (n < 0)
		ret = fail("cannot read %s: %s", src, strerror(errno));
	else if (len == sizeof(buf))
		ret = fail("invalid key in %s: want %d hex digits (%d bytes)",
			   src, 2 * KEY_LEN, KEY_LEN);
	else
		ret = parse_key(buf, len, src, key);
	if (!std_in)
		close(fd);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

static int key_build(struct nl_msg *msg, const void *arg)
{
	const struct key_req *r = arg;

	if (nla_put_u8(msg, SESSHA_A_KEY_ID, r->id) < 0)
		return -1;
	if (r->has_key && nla_put(msg, SESSHA_A_KEY, KEY_LEN, r->key) < 0)
		return -1;
	return 0;
}

static int key_send(uint8_t cmd, struct key_req *r)
{
	char ctx[16];
	int ret;

	snprintf(ctx, sizeof(ctx), "key %u", r->id);
	ret = run_request(&(struct request){
		.cmd = cmd,
		.build = key_build,
		.req = r,
		.ctx = ctx,
	});
	explicit_bzero(r, sizeof(*r));
	return ret;
}

/* The words of "sync key add", without reading the file they name. */
int key_add_parse(int argc, char **argv, uint32_t *id, const char **path)
{
	enum { K_ID, K_FILE };
	static const char *const kws[] = { "id", "file", NULL };
	struct args a = { argc, argv };
	unsigned int seen = 0;

	while (a.argc > 0) {
		switch (arg_keyword(&a, kws, &seen)) {
		case K_ID:
			if (arg_u32(&a, "id", 1, KEY_ID_MAX, id))
				return -1;
			break;
		case K_FILE:
			*path = arg_value(&a, "file");
			if (!*path)
				return -1;
			break;
		default:
			return -1;
		}
	}
	return arg_require(seen, BIT(K_ID) | BIT(K_FILE), kws);
}

int key_file_check(const char *path)
{
	unsigned char key[KEY_LEN];
	int ret = read_key(path, key);

	explicit_bzero(key, sizeof(key));
	return ret;
}

static int key_add(int argc, char **argv)
{
	struct key_req r = { .has_key = true };
	const char *path = NULL;

	/* the file last: a usage error must not swallow standard input */
	if (key_add_parse(argc, argv, &r.id, &path) || read_key(path, r.key))
		return -1;
	return key_send(SESSHA_CMD_KEY_NEW, &r);
}

/* "use" and "del" take the id alone. */
static int key_id_parse(int argc, char **argv, uint32_t *id)
{
	static const char *const kws[] = { "id", NULL };
	struct args a = { argc, argv };
	unsigned int seen = 0;

	while (a.argc > 0) {
		if (arg_keyword(&a, kws, &seen) < 0 ||
		    arg_u32(&a, "id", 1, KEY_ID_MAX, id))
			return -1;
	}
	return arg_require(seen, BIT(0), kws);
}

int key_use_parse(int argc, char **argv, uint32_t *id)
{
	return key_id_parse(argc, argv, id);
}

static int key_id_cmd(uint8_t cmd, int argc, char **argv)
{
	struct key_req r = { 0 };

	if (key_id_parse(argc, argv, &r.id))
		return -1;
	return key_send(cmd, &r);
}

static int key_use(int argc, char **argv)
{
	return key_id_cmd(SESSHA_CMD_KEY_USE, argc, argv);
}

static int key_del(int argc, char **argv)
{
	return key_id_cmd(SESSHA_CMD_KEY_DEL, argc, argv);
}

static const struct command key_cmds[] = {
	{ "add", key_add },
	{ "use", key_use },
	{ "del", key_del },
	{ NULL, NULL },
};

static int sync_key(int argc, char **argv)
{
	return run_command(key_cmds, NULL, "sync key", "sync", argc, argv);
}

struct key_info {
	uint8_t id;
	bool in_use;
};

/*
 * Text leads with the keys ("auth hmac-sha256 keys 1 (in use) 2"), or
 * warns that there are none, on stdout and stderr alike: the one place
 * nobody reads may be either. JSON ends with them, and carries the
 * warning as a "warning" member instead: a program reads that, and a
 * line on stderr would only be noise in its logs.
 */
static int sync_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	struct key_info keys[KEY_ID_MAX];
	struct nlattr *kb[SESSHA_A_MAX + 1];
	char num[NUM_STRLEN], digest[17];
	unsigned int n = 0, i;
	struct nlattr *nla;
	int rem;

	(void)cmd;
	(void)arg;
	if (tb[SESSHA_A_KEYS]) {
		nla_for_each_nested(nla, tb[SESSHA_A_KEYS], rem) {
			if (nla_type(nla) != SESSHA_A_KEY ||
			    nla_parse_nested(kb, SESSHA_A_MAX, nla, NULL) < 0 ||
			    !kb[SESSHA_A_KEY_ID] ||
			    nla_len(kb[SESSHA_A_KEY_ID]) < (int)sizeof(uint8_t) ||
			    n == ARRAY_SIZE(keys))
				continue;
			keys[n].id = nla_get_u8(kb[SESSHA_A_KEY_ID]);
			keys[n].in_use = kb[SESSHA_A_KEY_TX];
			n++;
		}
	}

	print_open_object(PRINT_JSON, NULL);
	print_bool(PRINT_JSON, "auth", NULL, n > 0);
	if (n) {
		print_string(PRINT_FP, NULL, "%s", "auth hmac-sha256 keys");
		for (i = 0; i < n; i++) {
			print_uint(PRINT_FP, NULL, " %u", keys[i].id);
			print_bool(PRINT_FP, NULL, " (in use)", keys[i].in_use);
		}
		print_nl();
	} else {
		if (!print_is_json())
			fputs(UNAUTH_WARNING "\n", stderr);
		print_string(PRINT_FP, NULL, "%s\n", UNAUTH_WARNING);
		print_string(PRINT_JSON, "warning", NULL, UNAUTH_WARNING);
	}
	if (tb[SESSHA_A_SYNC_STATE])
		print_string(PRINT_ANY, "state", "state %s",
			     name_of(sync_state_names,
				     ARRAY_SIZE(sync_state_names),
				     nla_get_u8(tb[SESSHA_A_SYNC_STATE]), num));
	if (tb[SESSHA_A_SYNC_EPOCH])
		print_u64(PRINT_ANY, "epoch", " epoch %" PRIu64,
			  nla_get_u64(tb[SESSHA_A_SYNC_EPOCH]));
	if (tb[SESSHA_A_CONFIG_DIGEST]) {
		snprintf(digest, sizeof(digest), "%016" PRIx64,
			 nla_get_u64(tb[SESSHA_A_CONFIG_DIGEST]));
		print_string(PRINT_ANY, "config_digest", " config-digest %s",
			     digest);
	}
	print_open_array(PRINT_JSON, "keys", NULL);
	for (i = 0; i < n; i++) {
		print_open_object(PRINT_JSON, NULL);
		print_uint(PRINT_JSON, "id", NULL, keys[i].id);
		print_bool(PRINT_JSON, "in_use", NULL, keys[i].in_use);
		print_close_object(PRINT_JSON);
	}
	print_close_array(PRINT_JSON);
	print_close_object(PRINT_JSON);
	print_nl();
	return 0;
}

static int sync_show(int argc, char **argv)
{
	if (arg_none(&(struct args){ argc, argv }))
		return -1;
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_SYNC_GET,
		.reply = sync_print,
		.ctx = "sync",
	});
}

static const struct command sync_cmds[] = {
	{ "key", sync_key },
	{ "show", sync_show },
	{ NULL, NULL },
};

const struct object sync_object = {
	.name = "sync",
	.cmds = sync_cmds,
	.usage =
		"sessha sync key add id KEYID file {PATH|-}\n"
		"sessha sync key use id KEYID\n"
		"sessha sync key del id KEYID\n"
		"sessha sync show\n",
};
