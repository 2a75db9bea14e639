#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 11-sync-queue: a send queue too small drops records, and repair makes
# up for every one of them.
#
# Topology and traffic: as 02-failover (lib.sh: service 1, tcp/80, ring
# over nodes 1,2,3), 240 connections opened at 200 a second, with the
# module loaded with sync_queue_limit=1 and sync_window_us=100000: one
# batch may wait, so a record for a second peer, or past 108 for one,
# within the 100 ms flush window is dropped. n1 crashes and is marked
# down: each survivor promotes its share of n1's flows and moves its own
# flows' replicas off n1 at once.
# Then:
#   - every session had a replica before the crash, and has one again on
#     the survivors after it;
#   - records were dropped, and counted (sync_tx_errors): the negative
#     control of 02-failover's "no record dropped" with the default
#     limit, which holds a record of every session;
#   - the dropped records' buckets went in bulk (sync_bulk_records), as
#     nobody asked for them before sessions existed;
#   - every connection answers again from its backend, without reset.
#
# Also in IPv6 everywhere (SESSHA_FAMILY=6: VIP, client, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=${CONNS:-240}
INTERVAL=1.5
SESSHA_QUEUE_LIMIT=1
# A 100 ms flush window: records for both backups pile up in it. With
# the default 1 ms, each record leaves before the next comes.
SESSHA_SYNC_WINDOW=100000
CONNECT_RATE=200

require_sessha
dmesg_mark
ha_start $CONNS $INTERVAL || test_exit

wait_for 60 replicas_on $CONNS "${NODES[@]}"
log_test $? 0 "every session has an established replica ($REPLICAS)"

ha_crash n1
wait_for 60 client_replied_since "$T_DOWN"
log_test $? 0 "every connection answered after n1 was marked down"
wait_for 30 replicas_on $CONNS n2 n3
log_test $? 0 "every session has a replica again on n2/n3 ($REPLICAS)"
expect "$(sum_stat sync_tx_errors n1 n2 n3)" -gt 0 \
	"the one-batch queue dropped records, counted as sync_tx_errors"
expect "$(sum_stat sync_bulk_records n1 n2 n3)" -gt 0 \
	"the dropped records' buckets went in bulk"
log_info "sync_tx_errors $(sum_stat sync_tx_errors n1 n2 n3), sync_bulk_records $(sum_stat sync_bulk_records n1 n2 n3)"

stop_client
analyze_client "crash,$T_CRASH,$T_DOWN,$WORK/affected.n1"
expect "${AN[errors]}" -eq 0 "no reset or error (${AN[error_list]})"
expect "${AN[changes]}" -eq 0 "every connection kept its backend"
expect "${AN[crash.affected.recovered]}" -eq "$AFFECTED" \
	"n1's $AFFECTED connections answered again"

check_dmesg
test_exit
