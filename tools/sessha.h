/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sessha(8): shared declarations. Each object lives in its own file
 * (sessha-node.c, ...); each parses its arguments completely into a small
 * request struct before anything talks to the kernel, so every usage error
 * is reported the same way whether or not the module is loaded.
 */
#ifndef SESSHA_H
#define SESSHA_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <netlink/genl/genl.h>
#include <linux/sessha.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1U << (n))

/* sessha.c: the dispatcher */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

struct object {
	const char *name;
	const struct command *cmds;	/* NULL-terminated; NULL: run() */
	int (*run)(int argc, char **argv);	/* object without commands */
	const char *usage;
};

extern const struct object node_object, service_object, backend_object,
	session_object, stats_object, config_object, sync_object,
	monitor_object, save_object, apply_object;

int run_command(const struct command *cmds, const char *dflt, const char *what,
		const char *obj, int argc, char **argv);
int run_args(int argc, char **argv);

/* sessha-batch.c: many commands, one per line, in one process */
int run_batch(const char *path, bool force);	/* an exit status */
extern bool batch_reads_stdin;
#define MAX_WORDS 64	/* the longest command, config set, takes 15 */
int batch_split(char *line, char *words[MAX_WORDS]);
int batch_run_line(char *line);

/* sessha-netns.c: run in a named network namespace, as ip -n does */
int netns_enter(const char *name);

/* sessha-version.c: sessha -V */
int print_version(void);

/* sessha-error.c: "Error: " lines, and the exit status they mean */
enum exit_status {
	EXIT_OK = 0,
	EXIT_FAILED = 1,	/* the kernel refused, or a run-time failure */
	EXIT_USAGE = 2,		/* a bad argument: nothing was sent */
	EXIT_NO_MODULE = 3,	/* no "sessha" generic netlink family */
};

int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fail_status(enum exit_status st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum exit_status error_status(void);
void error_start(unsigned int line);
void error_start_cmd(const char *cmd);
void error_end_cmd(void);

/* sessha-parse.c: exact keyword matching and strict value parsing */
struct args {
	int argc;
	char **argv;
};

struct sessha_addr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned int len;	/* 4 or 16, as sent */
	unsigned char bytes[16];
};

#define MAX_LIST_NODES 256

struct node_list {
	unsigned int n;
	uint32_t ids[MAX_LIST_NODES];
	uint32_t backups[MAX_LIST_NODES];	/* pairs only */
};

/* Consume keywords and their values from the head of @a. */
int arg_keyword(struct args *a, const char *const kws[], unsigned int *seen);
const char *arg_value(struct args *a, const char *kw);
int arg_u32(struct args *a, const char *kw, uint32_t min, uint32_t max,
	    uint32_t *out);
int arg_addr(struct args *a, const char *kw, struct sessha_addr *addr);
int arg_choice(struct args *a, const char *kw, const char *const names[],
	       unsigned int n);
int arg_require(unsigned int seen, unsigned int mask, const char *const kws[]);
int arg_none(const struct args *a);

int parse_u32(const char *what, const char *s, uint32_t min, uint32_t max,
	      uint32_t *out);
int parse_u32_unit(const char *what, const char *s, uint32_t min,
		   uint32_t max, const char *unit, uint32_t *out);
int parse_addr(const char *s, struct sessha_addr *addr);
int parse_choice(const char *what, const char *s, const char *const names[],
		 unsigned int n);
int parse_node_list(const char *s, bool pairs, struct node_list *list);

/* And back: attributes to text. */
#define ADDR_STRLEN INET6_ADDRSTRLEN
#define NUM_STRLEN 11
const char *format_addr(const struct nlattr *nla, char *buf, size_t len);
const char *name_of(const char *const names[], unsigned int n, unsigned int v,
		    char buf[NUM_STRLEN]);

extern const char *const node_state_names[2];	/* indexed by value */
extern const char *const sync_state_names[2];	/* indexed by value */
extern const char *const on_off_names[2];
extern const char *const proto_names[IPPROTO_UDP + 1];	/* with holes */
extern const char *const policy_names[SESSHA_POLICY_PAIRS + 1];

/* sessha-nl.c: one generic netlink request path */
struct conn {
	struct nl_sock *sk;
	int family;
};

typedef int (*reply_fn)(struct nlattr **tb, uint8_t cmd, void *arg);

int conn_open(struct conn *c);
void conn_close(struct conn *c);
struct nl_msg *conn_msg(const struct conn *c, uint8_t cmd, bool dump);
int put_addr(struct nl_msg *msg, int type, const struct sessha_addr *addr);
int conn_request(struct conn *c, struct nl_msg *msg, reply_fn fn, void *arg,
		 const char *ctx);
int conn_subscribe(struct conn *c, const char *group);
int conn_listen(struct conn *c, reply_fn fn, void *arg);

/* One request: build it, send it, print the replies. */
struct request {
	uint8_t cmd;
	bool dump;
	int (*build)(struct nl_msg *msg, const void *req);	/* or NULL */
	const void *req;
	reply_fn reply;	/* or NULL */
	void *arg;
	bool array;		/* replies are the elements of a JSON array */
	const char *ctx;	/* names the object in error messages */
};

int run_request(const struct request *r);

/* sessha-print.c: one printer for text and JSON, after iproute2 */
enum output_type {
	PRINT_FP = 1,	/* text only */
	PRINT_JSON = 2,	/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

void print_init(bool json_output, bool pretty);
bool print_is_json(void);
void print_open_object(enum output_type t, const char *key);
void print_close_object(enum output_type t);
void print_open_array(enum output_type t, const char *key, const char *fmt);
void print_close_array(enum output_type t);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int v);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t v);
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *s);
void print_bool(enum output_type t, const char *key, const char *fmt, bool v);
void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool v);
void print_nl(void);

/* sessha-prometheus.c: metrics in the Prometheus text format (0.0.4) */
void prom_counter(const char *name, const char *help, uint64_t value);
void prom_gauge(const char *name, const char *help, uint64_t value);

#endif /* SESSHA_H */
