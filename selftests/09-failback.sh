#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 09-failback: a node dies, its flows fail over, it restarts with nothing,
# joins, and takes its flows back: every connection lives through both
# moves, on its original backend.
#
# Topology: lib.sh. Service 1, tcp/80, ring over nodes 1,2,3. 60
# long-lived connections, a message every 1.5 s each, from one client.
#   1. Every flow replicated (sync_check). n1 crashes (its port on the
#      switch goes down) and the controller marks node 1 down on fwd, n2
#      and n3: every connection answers again.
#   2. n1 restarts: its namespace, with all of sessha's state there, is
#      deleted and created again (same MAC and address, port up) and
#      configured from scratch, as at first. Polled until its local node
#      reports "sync":"ready"; the time is printed, and it must come from
#      the peers' answers (join_timeouts 0). By then n1 holds an entry for
#      every flow it owned before the crash.
#   3. The controller marks node 1 up on fwd, n2 and n3. Every connection
#      answers after that; n1 owns its former flows again and dropped
#      nothing for lack of a session. Over both moves: no reset or error,
#      no backend change, n1's connections answered after each.
#   4. Negative control: the same with n2, but its restarted namespace has
#      "config set join off": it reports ready at once, holding none of
#      its former flows. Its failover works (every connection answers
#      after the mark-down), but once marked up, the forwarder sends n2's
#      flows to n2, which drops their packets (drop_no_session rises
#      there; n1 dropped none), and they do not all survive, while all
#      the others carry on. Not all of them, typically: the first datagram
#      a peer sends the restarted n2 shows a sequence gap, so n2 asks that
#      peer for a bulk transfer, join or not, and a peer that answers
#      before its hand-back to n2 has run still includes n2's flows. How
#      many stalled is printed.
#   5. No kernel warning.
#
# Also in IPv6 (lib.sh SESSHA_FAMILY=6: VIP, clients, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=60
INTERVAL=1.5
READY_BOUND=30		# the kernel's join timeout
STALL_WATCH=6		# seconds n2's flows are watched after the mark-up

require_sessha
dmesg_mark
ha_start $CONNS $INTERVAL || test_exit
wait_for 60 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "every flow has its replica on its backup ($SYNC_SUMMARY)"

restart_and_join() {
	# restart_and_join HOST [CONFIG-LINE]: restart HOST, configure it
	# (CONFIG-LINE first), wait until it is ready; READY_MS from the start
	# of its configuration
	local h=$1 first=${2:-} t0

	restart_host "$h"
	log_test $? 0 "$h restarted: fresh namespace, same MAC and address" ||
		return 1
	tick; t0=$NOW
	{ [[ -n $first ]] && echo "$first"; sessha_config_lines "$h"; } |
		sessha_script "$h"
	log_test $? 0 "$h configured from scratch${first:+ ($first)}" || return 1
	tick; CONFIG_MS=$((NOW - t0))
	wait_for $READY_BOUND local_sync_ready "$h"
	log_test $? 0 "$h reports sync ready"
	tick; READY_MS=$((NOW - t0))
	log_info "$h ready ${READY_MS} ms after its configuration began (${CONFIG_MS} ms to configure)"
}

# ---------------------------------------------------------------- 1.
ha_crash n1
T_CRASH1=$T_CRASH T_DOWN1=$T_DOWN AFFECTED1=$AFFECTED
wait_for 60 client_replied_since "$T_DOWN"
log_test $? 0 "every connection answered after n1 was marked down"
expect "$AFFECTED1" -gt 0 "n1 owned sessions when it crashed"

# ---------------------------------------------------------------- 2.
restart_and_join n1 || test_exit
expect "$(stat_of n1 join_timeouts)" -eq 0 "ready because n2 and n3 answered, not by timeout"
holds_all n1 "$WORK/affected.n1"
log_test $? 0 "n1 holds all $AFFECTED1 flows it owned before ($HELD)"

# ---------------------------------------------------------------- 3.
mark_up n1
T_UP1_START=$T_UP_START T_UP1=$T_UP
wait_for 60 client_replied_since "$T_UP1"
log_test $? 0 "every connection answered after n1 was marked up"
tick
log_info "all answered $((NOW - T_UP1)) ms after the mark-up"
wait_for 20 owns_all n1 "$WORK/affected.n1"
log_test $? 0 "n1 owns its $AFFECTED1 former flows again ($OWNED)"
expect "$(stat_of n1 drop_no_session)" -eq 0 "n1 dropped nothing for lack of a session"
wait_for 30 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "every flow has its replica on its backup ($SYNC_SUMMARY)"

# ---------------------------------------------------------------- 4.
ha_crash n2
T_CRASH2=$T_CRASH T_DOWN2=$T_DOWN AFFECTED2=$AFFECTED
wait_for 60 client_replied_since "$T_DOWN"
log_test $? 0 "negative control: every connection answered after n2 was marked down"
expect "$AFFECTED2" -gt 0 "n2 owned sessions when it crashed"
restart_and_join n2 "config set join off" || test_exit
holds_all n2 "$WORK/affected.n2"
expect "$HELD" -eq 0 "negative control: ready at once, n2 holds none of its $AFFECTED2 flows"
mark_up n2
T_UP2_START=$T_UP_START T_UP2=$T_UP
n2_drops() { (( $(stat_of n2 drop_no_session) > 0 )); }
wait_for 20 n2_drops
log_test $? 0 "n2, restarted without join, drops its flows' packets (drop_no_session $(stat_of n2 drop_no_session))"
# Watch: n2's connections must stay silent while the others answer.
tick
left=$(( (T_UP2 + STALL_WATCH * 1000 - NOW) / 1000 + 1 ))
((left > 0)) && nap $left

stop_client
# A reply may still come to a message the forwarder sent on before it
# heard of n2: a second of grace after the mark-up.
analyze_client "crash1,$T_CRASH1,$T_DOWN1,$WORK/affected.n1" \
	"back1,$T_UP1_START,$T_UP1,$WORK/affected.n1" \
	"crash2,$T_CRASH2,$T_DOWN2,$WORK/affected.n2" \
	"back2,$T_UP2_START,$((T_UP2 + 1000)),$WORK/affected.n2"
expect "${AN[established_before]}" -eq $CONNS \
	"all $CONNS connections were established before the first crash"
expect "${AN[errors]}" -eq 0 "no reset or error (${AN[error_list]})"
expect "${AN[changes]}" -eq 0 "every connection kept its backend, throughout"
expect "${AN[crash1.affected.recovered]}" -eq "$AFFECTED1" \
	"n1's $AFFECTED1 connections answered after its failover"
expect "${AN[back1.affected.recovered]}" -eq "$AFFECTED1" \
	"and after its failback, on the same backend"
expect "${AN[back1.other.recovered]}" -eq $((CONNS - AFFECTED1)) \
	"the other $((CONNS - AFFECTED1)) connections carried on"
log_info "stall of n1's connections: failover max ${AN[crash1.affected.stall_max]} ms, failback max ${AN[back1.affected.stall_max]} ms (p50 ${AN[back1.affected.stall_p50]} ms)"
expect "${AN[crash2.affected.recovered]}" -eq "$AFFECTED2" \
	"negative control: n2's $AFFECTED2 connections survived its failover"
stalled=$((AFFECTED2 - ${AN[back2.affected.recovered]}))
log_info "$stalled of n2's $AFFECTED2 connections got no answer in ${STALL_WATCH} s after the mark-up"
if ! expect "$stalled" -gt 0 \
	"negative control: n2's connections did not all survive the join-less failback"; then
	log_info "mark-up of n2: $T_UP2_START..$T_UP2; n2's counters: $(stats_of n2)"
	$PYTHON -c '
import json, sys
rep = json.load(open(sys.argv[1]))
ports = {int(p) for p in open(sys.argv[2]).read().split()}
t = int(sys.argv[3])
for c in rep["conns"]:
    if c["sport"] in ports and any(r > t for r in c["replies"]):
        print("      port %d backend %s replies after the mark-up: %s" % (
            c["sport"], c["backend"], [r - t for r in c["replies"] if r > t - 3000]))
' "$WORK/client.json" "$WORK/affected.n2" "$T_UP2"
	sessha_json n2 session show | tr '}' '\n' | sed 's/^/      n2: /'
fi
expect "${AN[back2.other.recovered]}" -eq $((CONNS - AFFECTED2)) \
	"negative control: the other $((CONNS - AFFECTED2)) connections carried on"

check_dmesg
test_exit
