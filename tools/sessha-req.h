/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The requests of the commands that build a configuration, and their
 * parsers, apart from the sending: sessha apply reads its file with the
 * very parsers the commands use, and compares what they give with the
 * running configuration read into the same structs.
 */
#ifndef SESSHA_REQ_H
#define SESSHA_REQ_H

#include <stdio.h>

#include "sessha.h"

struct node_req {
	uint32_t id;
	struct sessha_addr addr;	/* len 0: not sent */
	bool local;
	bool has_state;
	uint8_t state;
};

struct service_req {
	uint32_t id;
	struct sessha_addr vip;
	uint8_t proto;
	uint32_t port;
	uint8_t policy;
	bool set_policy;	/* set: policy given */
	struct node_list nodes;	/* set: n == 0 when not given */
};

struct backend_req {
	uint32_t service;
	uint32_t id;
	struct sessha_addr addr;	/* len 0: not sent */
	uint32_t weight;
	bool has_weight;
};

#define CONFIG_KEYS 7	/* the keywords of config set */

struct config_req {
	unsigned int seen;	/* BIT(keyword) of what to send */
	uint32_t val[CONFIG_KEYS];
};

#define KEY_ID_MAX 255		/* SESSHA_A_KEY_ID is a u8, 0 is no key */

/* The parsers: 0 with @r filled in, or -1 after an "Error: " line. */
int node_add_parse(int argc, char **argv, struct node_req *r);
int service_add_parse(int argc, char **argv, struct service_req *r);
int backend_add_parse(int argc, char **argv, struct backend_req *r);
int config_set_parse(int argc, char **argv, struct config_req *r);
int key_add_parse(int argc, char **argv, uint32_t *id, const char **path);
int key_use_parse(int argc, char **argv, uint32_t *id);

/* Whether @path holds a key, read and forgotten at once. */
int key_file_check(const char *path);

/* config: the settings of a CONFIG_GET reply, and back to words. */
void config_from_reply(struct nlattr **tb, struct config_req *r);
void config_print_words(FILE *f, const struct config_req *r,
			unsigned int mask);

#endif /* SESSHA_REQ_H */
