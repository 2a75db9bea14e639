#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 03-nosync: negative control for 02-failover.
#
# Topology: lib.sh. The same service and crash as 02-failover, with
# "sessha config set sync off" on every node: no replica exists, so when
# n1 dies the node that now owns its flows has no session for them and
# drops their packets (drop_no_session). Asserted:
#   - no replica anywhere, nothing synced (sync_tx_records 0);
#   - after n1 is marked down, none of n1's connections gets another reply
#     within DEADLINE seconds (they stall, or are reset), while every other
#     connection carries on, on its backend;
#   - the survivors count drop_no_session for n1's flows.
# If 02 passed because of something other than the session sync (the
# survivors creating sessions for mid-flow packets, say), this test fails.
#
# Also in IPv6 (lib.sh SESSHA_FAMILY=6: VIP, clients, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=${CONNS:-60}
INTERVAL=1.5
DEADLINE=15
SESSHA_EXTRA="config set sync off"

require_sessha
dmesg_mark
ha_start $CONNS $INTERVAL || test_exit

# Every owner session is established; with sync on, its replica would be
# on its way within milliseconds (the sync delay is one jiffy). Give it a
# second, then look.
owners_established() {
	local h j total=0

	for h in "${NODES[@]}"; do
		j=$(sessha_json "$h" session show) || return 1
		j=${j//[[:space:]]/}
		total=$((total + $(json_count "$j" '"state":"established","role":"owner"')))
	done
	((total == CONNS))
}
wait_for 30 owners_established
log_test $? 0 "all $CONNS owner sessions established"
nap 1
count_replicas "${NODES[@]}"
expect "$REPLICAS" -eq 0 "sync off: no replica on any node"
expect "$(sum_stat sync_tx_records "${NODES[@]}")" -eq 0 \
	"sync off: no sync record sent"

ha_crash n1
expect "$AFFECTED" -gt 0 "n1 owned sessions when it crashed"

# 02-failover sees n1's connections answer a few seconds after the
# mark-down; in DEADLINE seconds TCP retransmits each of them at least twice.
nap $DEADLINE
stop_client
analyze_client "crash,$T_CRASH,$T_DOWN,$WORK/affected.n1"
log_info "n1's connections: ${AN[crash.affected.n]}, answered after the mark-down: ${AN[crash.affected.recovered]}, reset/error: ${AN[crash.affected.errors]}"
expect "${AN[crash.affected.recovered]}" -eq 0 \
	"n1's $AFFECTED connections are lost (${DEADLINE}s without a reply)"
expect "${AN[crash.other.recovered]}" -eq $((CONNS - AFFECTED)) \
	"the other $((CONNS - AFFECTED)) connections carried on"
expect "${AN[crash.other.errors]}" -eq 0 "no error on the other connections"
expect "${AN[changes]}" -eq 0 "no connection changed backend"
expect "$(sum_stat drop_no_session n2 n3)" -gt 0 \
	"survivors dropped n1's flows for lack of a session"
expect "$(sum_stat sessions_promoted n2 n3)" -eq 0 "nothing to promote"

check_dmesg
test_exit
