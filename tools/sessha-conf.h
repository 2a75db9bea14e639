/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A configuration in memory: keys, settings, nodes, services and their
 * backends, as the requests that would add them. sessha save reads the
 * running one from the kernel and prints it; sessha apply also reads one
 * from a file, with the commands' own parsers, and compares the two.
 */
#ifndef SESSHA_CONF_H
#define SESSHA_CONF_H

#include <stdio.h>

#include "sessha-req.h"

struct conf_key {
	uint32_t id;
	char *path;	/* the file it is read from; NULL from the kernel */
};

struct conf_service {
	struct service_req s;
	unsigned int nbackends;
	struct backend_req *backends;
};

struct conf {
	unsigned int nkeys;
	struct conf_key keys[KEY_ID_MAX];
	uint32_t key_in_use;	/* 0: none */
	struct config_req config;
	unsigned int nnodes;
	struct node_req *nodes;
	unsigned int nservices;
	struct conf_service *services;
};

/* sessha-conf.c: building and searching one */
void conf_free(struct conf *c);
int conf_add_key(struct conf *c, uint32_t id, const char *path);
int conf_add_node(struct conf *c, const struct node_req *n);
struct conf_service *conf_add_service(struct conf *c,
				      const struct service_req *s);
int conf_add_backend(struct conf_service *cs, const struct backend_req *b);
struct conf_key *conf_find_key(const struct conf *c, uint32_t id);
struct node_req *conf_find_node(const struct conf *c, uint32_t id);
struct conf_service *conf_find_service(const struct conf *c, uint32_t id);
struct backend_req *conf_find_backend(const struct conf_service *cs,
				      uint32_t id);
bool addr_equal(const struct sessha_addr *a, const struct sessha_addr *b);

/* sessha-conf-read.c: the running configuration; @who names the command */
int conf_read(struct conf *c, const char *who);

/* sessha-conf-print.c: each object as the command line that adds it */
void conf_print_key_add(FILE *f, uint32_t id, const char *path);
void conf_print_node_add(FILE *f, const struct node_req *n);
void conf_print_layout(FILE *f, const struct service_req *s);
void conf_print_service_add(FILE *f, const struct service_req *s);
void conf_print_backend_add(FILE *f, const struct backend_req *b);

#endif /* SESSHA_CONF_H */
