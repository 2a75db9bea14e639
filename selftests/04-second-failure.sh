#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 04-second-failure: the node that took over dies too.
#
# Topology: lib.sh. Service 1, tcp/80, policy pairs 1:2,2:3,3:1, so the
# node that takes over n1's flows is n2 = map(1). 60 long-lived connections.
#   1. n1 crashes and is marked down: n2 promotes exactly n1's sessions
#      (n3 promotes none), every connection answers again, and every
#      session gets a replica on the other survivor (n2's, promoted ones
#      included, on n3; n3's, whose backup was n1, on n2).
#   2. n2 crashes and is marked down on fwd and n3: n3 promotes n2's
#      sessions, including those n2 had promoted from n1, and every
#      connection answers again.
# Throughout: no reset or error, and every connection keeps its backend.
#
# Also in IPv6 (lib.sh SESSHA_FAMILY=6: VIP, clients, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=${CONNS:-60}
INTERVAL=1.5
SERVICES=("1 tcp $VPORT policy pairs 1:2,2:3,3:1")

require_sessha
dmesg_mark
ha_start $CONNS $INTERVAL || test_exit
wait_for 60 replicas_on $CONNS "${NODES[@]}"
log_test $? 0 "every session has an established replica ($REPLICAS)"

# First failure: n1.
ha_crash n1
T_CRASH1=$T_CRASH T_DOWN1=$T_DOWN AFFECTED1=$AFFECTED
expect "$AFFECTED1" -gt 0 "n1 owned sessions when it crashed"
wait_for 60 client_replied_since "$T_DOWN1"
log_test $? 0 "first failure: every connection answered again"
expect "$(stat_of n2 sessions_promoted)" -eq "$AFFECTED1" \
	"n2 = map(1) promoted n1's $AFFECTED1 sessions"
expect "$(stat_of n3 sessions_promoted)" -eq 0 "n3 promoted none"
wait_for 30 replicas_on $CONNS n2 n3
log_test $? 0 "every session has a replica again on n2/n3 ($REPLICAS)"

# Second failure: n2, which now owns its own sessions and n1's.
ha_crash n2 n3
T_CRASH2=$T_CRASH T_DOWN2=$T_DOWN AFFECTED2=$AFFECTED
expect "$AFFECTED2" -gt "$AFFECTED1" "n2 owned its sessions and n1's when it crashed"
wait_for 60 client_replied_since "$T_DOWN2"
log_test $? 0 "second failure: every connection answered again"
expect "$(stat_of n3 sessions_promoted)" -ge "$AFFECTED2" \
	"n3 promoted n2's $AFFECTED2 sessions"
expect "$(stat_of n3 drop_no_session)" -eq 0 \
	"n3 dropped no packet for lack of a session"

stop_client
analyze_client "first,$T_CRASH1,$T_DOWN1,$WORK/affected.n1" \
	"second,$T_CRASH2,$T_DOWN2,$WORK/affected.n2"
expect "${AN[established_before]}" -eq $CONNS \
	"all $CONNS connections were established before the first crash"
expect "${AN[errors]}" -eq 0 "no reset or error (${AN[error_list]})"
expect "${AN[changes]}" -eq 0 "every connection kept its backend"
expect "${AN[second.affected.recovered]}" -eq "$AFFECTED2" \
	"n2's $AFFECTED2 connections answered after the second mark-down"
expect "${AN[second.other.recovered]}" -eq $((CONNS - AFFECTED2)) \
	"n3's own $((CONNS - AFFECTED2)) connections carried on"
log_info "pre-failure gap between replies: p50 ${AN[baseline_p50]} ms, max ${AN[baseline_max]} ms"
log_info "first failure, n1's connections: stall max ${AN[first.affected.stall_max]} ms, p50 ${AN[first.affected.stall_p50]} ms"
log_info "second failure, n2's connections: stall max ${AN[second.affected.stall_max]} ms, p50 ${AN[second.affected.stall_p50]} ms"

check_dmesg
test_exit
