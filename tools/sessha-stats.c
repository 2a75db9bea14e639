// SPDX-License-Identifier: GPL-2.0
/* sessha stats: the namespace's counters, "name value" per line. */
#include <inttypes.h>
#include <stdio.h>

#include "sessha.h"

/* enum sessha_stat, lower case, without the SESSHA_STAT_ prefix */
static const char *const stat_names[] = {
	[SESSHA_STAT_FWD_PACKETS] = "fwd_packets",
	[SESSHA_STAT_SERVED_PACKETS] = "served_packets",
	[SESSHA_STAT_SESSIONS_CREATED] = "sessions_created",
	[SESSHA_STAT_SESSIONS_EXPIRED] = "sessions_expired",
	[SESSHA_STAT_SESSIONS_PROMOTED] = "sessions_promoted",
	[SESSHA_STAT_REPLICAS_CREATED] = "replicas_created",
	[SESSHA_STAT_REPLICAS_UPDATED] = "replicas_updated",
	[SESSHA_STAT_REPLICAS_DELETED] = "replicas_deleted",
	[SESSHA_STAT_SYNC_TX_RECORDS] = "sync_tx_records",
	[SESSHA_STAT_SYNC_TX_DATAGRAMS] = "sync_tx_datagrams",
	[SESSHA_STAT_SYNC_RX_RECORDS] = "sync_rx_records",
	[SESSHA_STAT_SYNC_RX_DATAGRAMS] = "sync_rx_datagrams",
	[SESSHA_STAT_DROP_NO_SESSION] = "drop_no_session",
	[SESSHA_STAT_DROP_NO_BACKEND] = "drop_no_backend",
	[SESSHA_STAT_DROP_NO_NODE] = "drop_no_node",
	[SESSHA_STAT_DROP_TABLE_FULL] = "drop_table_full",
	[SESSHA_STAT_DROP_NOMEM] = "drop_nomem",
	[SESSHA_STAT_DROP_XMIT] = "drop_xmit",
	[SESSHA_STAT_DROP_MALFORMED] = "drop_malformed",
	[SESSHA_STAT_SYNC_TX_ERRORS] = "sync_tx_errors",
	[SESSHA_STAT_SYNC_TX_NO_PEER] = "sync_tx_no_peer",
	[SESSHA_STAT_SYNC_RX_SHORT] = "sync_rx_short",
	[SESSHA_STAT_SYNC_RX_VERSION] = "sync_rx_version",
	[SESSHA_STAT_SYNC_RX_TYPE] = "sync_rx_type",
	[SESSHA_STAT_SYNC_RX_LENGTH] = "sync_rx_length",
	[SESSHA_STAT_SYNC_RX_UNKNOWN_PEER] = "sync_rx_unknown_peer",
	[SESSHA_STAT_SYNC_RX_BAD_RECORD] = "sync_rx_bad_record",
	[SESSHA_STAT_SYNC_RX_CONFLICT] = "sync_rx_conflict",
	[SESSHA_STAT_SYNC_RX_DISABLED] = "sync_rx_disabled",
	[SESSHA_STAT_SYNC_RX_UNAUTH] = "sync_rx_unauth",
	[SESSHA_STAT_SYNC_RX_BAD_KEY] = "sync_rx_bad_key",
	[SESSHA_STAT_SYNC_RX_BAD_MAC] = "sync_rx_bad_mac",
	[SESSHA_STAT_SYNC_RX_REPLAY] = "sync_rx_replay",
	[SESSHA_STAT_SYNC_RX_GAPS] = "sync_rx_gaps",
	[SESSHA_STAT_SYNC_BULK_REQUESTS] = "sync_bulk_requests",
	[SESSHA_STAT_SYNC_BULK_ANSWERS] = "sync_bulk_answers",
	[SESSHA_STAT_SYNC_BULK_RECORDS] = "sync_bulk_records",
	[SESSHA_STAT_SYNC_BULK_INCOMPLETE] = "sync_bulk_incomplete",
	[SESSHA_STAT_SYNC_DIGESTS_TX] = "sync_digests_tx",
	[SESSHA_STAT_SYNC_DIGESTS_RX] = "sync_digests_rx",
	[SESSHA_STAT_SYNC_DIGEST_MISMATCHES] = "sync_digest_mismatches",
	[SESSHA_STAT_REPLICAS_STALE] = "replicas_stale",
	[SESSHA_STAT_SESSIONS_DEMOTED] = "sessions_demoted",
	[SESSHA_STAT_JOIN_TIMEOUTS] = "join_timeouts",
};

_Static_assert(ARRAY_SIZE(stat_names) == __SESSHA_STAT_MAX,
	       "a counter without a name");

/* Attribute type N in the nest is counter N - 1; a newer kernel may send more. */
static int stats_print(struct nlattr **tb, uint8_t cmd, void *arg)
{
	const struct nlattr *nla;
	char name[32];
	unsigned int i;
	int rem;

	(void)cmd;
	(void)arg;
	print_open_object(PRINT_JSON, NULL);
	if (tb[SESSHA_A_STATS]) {
		nla_for_each_nested(nla, tb[SESSHA_A_STATS], rem) {
			if (!nla_type(nla) ||
			    nla_len(nla) != (int)sizeof(uint64_t))
				continue;
			i = nla_type(nla) - 1;
			if (i < ARRAY_SIZE(stat_names))
				snprintf(name, sizeof(name), "%s", stat_names[i]);
			else
				snprintf(name, sizeof(name), "stat_%u", i);
			print_string(PRINT_FP, NULL, "%s", name);
			print_u64(PRINT_ANY, name, " %" PRIu64 "\n",
				  nla_get_u64(nla));
		}
	}
	print_close_object(PRINT_JSON);
	return 0;
}

static int stats_show(int argc, char **argv)
{
	if (arg_none(&(struct args){ argc, argv }))
		return -1;
	return run_request(&(struct request){
		.cmd = SESSHA_CMD_STATS_GET,
		.reply = stats_print,
		.ctx = "stats",
	});
}

static const struct command stats_cmds[] = {
	{ "show", stats_show },
	{ NULL, NULL },
};

const struct object stats_object = {
	.name = "stats",
	.cmds = stats_cmds,
	.usage = "sessha stats [show]\n",
};
