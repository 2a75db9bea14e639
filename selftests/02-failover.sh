#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 02-failover: a servicing node dies; its connections carry on.
#
# Topology: lib.sh. Service 1, tcp/80, policy ring over nodes 1,2,3.
# 120 long-lived connections from one traffic process, each sending a small
# message every ~1.5 s that its backend echoes with its name. Once every
# session has a replica, n1's port on the bridge goes down (it can no longer
# send anything) and the controller marks node 1 down on the forwarder, n2
# and n3. Then:
#   - every connection established before the crash answers again, without
#     reset or error, and always from the same backend;
#   - the survivors promoted n1's sessions (sessions_promoted) and dropped
#     nothing for lack of a session;
#   - before the crash: one sync record per connection, no digest
#     mismatch and no bulk record while the connections opened (steady
#     churn is free);
#   - every session has a replica again, on the other survivor;
#   - the stall of n1's connections (max and p50 time without a reply) is
#     printed next to the pre-failure gap between replies;
#   - events: n2's "sessha monitor" hears at most one takeover event (from
#     node 1, service 1, with a count), and no per-flow promote event,
#     although n2 promoted flows; n3's "sessha monitor flows" hears one
#     promote event per flow n3 promoted.
# 03-nosync is the negative control: the same crash without sync loses
# exactly n1's connections. Before the crash, no sync record was dropped;
# 11-sync-queue shows the same run with a send queue too small.
#
# Also in IPv6 (SESSHA_FAMILY=6: IPv6 in IPv6 everywhere) and mixed
# (6over4: an IPv6 VIP and clients over the IPv4 fabric, IPv6 in IPv4).
# variants: 4 6 6over4

source "$(dirname "$0")/lib.sh"

CONNS=${CONNS:-120}
INTERVAL=1.5

require_sessha
dmesg_mark
ha_start $CONNS $INTERVAL || test_exit

wait_for 60 replicas_on $CONNS "${NODES[@]}"
log_test $? 0 "every session has an established replica ($REPLICAS)"
expect "$(sum_stat sync_tx_errors n1 n2 n3)" -eq 0 \
	"no record dropped on the way (11-sync-queue is the negative control)"
expect "$(sum_stat sync_tx_records n1 n2 n3)" -eq $CONNS \
	"one record per connection, sent when its handshake completed"
# Digests went out while the connections opened, and two more periods
# pass: each agreed with what its receiver held, so nothing went in bulk.
DIGESTS0=$(sum_stat sync_digests_rx n1 n2 n3)
digests_since() { (($(sum_stat sync_digests_rx n1 n2 n3) >= $1)); }
wait_for 10 digests_since $((DIGESTS0 + 12))
log_test $? 0 "two more rounds of digests arrived"
expect "$(sum_stat sync_digest_mismatches n1 n2 n3)" -eq 0 \
	"no digest disagreed with its receiver's replicas"
BULK=$(sum_stat sync_bulk_records n1 n2 n3)
log_info "sync_bulk_records $BULK, sync_rx_gaps $(sum_stat sync_rx_gaps n1 n2 n3), sync_bulk_requests $(sum_stat sync_bulk_requests n1 n2 n3)"
if [[ $SESSHA_FAMILY == 6 ]]; then
	# Known, open (issue 9): over an IPv6 fabric one run in two sent a
	# single record in bulk at start-up; shown above, not yet asserted.
	log_info "IPv6 fabric: the bulk count is reported, not asserted"
else
	expect "$BULK" -eq 0 \
		"no record went in bulk: steady churn costs no repair"
fi

monitor_start() {
	# monitor_start HOST [flows]: sessha -j monitor into $WORK/monitor.HOST
	local h=$1; shift

	pretty "$h" "sessha -j monitor $*"
	ip netns exec "${NS[$h]}" "$SESSHA" -j monitor "$@" \
		> "$WORK/monitor.$h" 2>&1 &
	MON_PID[$h]=$!
	BG_PIDS+=($!)
}
monitor_listening() { ls -l "/proc/${MON_PID[$1]}/fd" 2>/dev/null | grep -q socket; }
declare -A MON_PID=()
monitor_start n2
monitor_start n3 flows
wait_for 10 monitor_listening n2 && wait_for 10 monitor_listening n3
log_test $? 0 "monitors listening on n2 (events) and n3 (events, flows)"

ha_crash n1
wait_for 60 client_replied_since "$T_DOWN"
log_test $? 0 "every connection answered after n1 was marked down"
tick
log_info "all answered $((NOW - T_DOWN)) ms after the mark-down"

expect "$AFFECTED" -gt 0 "n1 owned sessions when it crashed"
expect "$(sum_stat sessions_promoted n2 n3)" -ge "$AFFECTED" \
	"survivors promoted n1's $AFFECTED sessions"
expect "$(sum_stat drop_no_session n2 n3)" -eq 0 \
	"survivors dropped no packet for lack of a session"

# The promoted sessions are synced on, and n2's and n3's own sessions whose
# backup was n1 are re-synced: a second failure would be survivable.
wait_for 30 replicas_on $CONNS n2 n3
log_test $? 0 "every session has a replica again on n2/n3 ($REPLICAS)"
expect "$(sum_stat sync_tx_errors n2 n3)" -eq 0 \
	"the takeover dropped no record either"

# One takeover event per (failed node, service); per-flow events only to
# the "flows" group's listeners.
takeovers() { json_count "$(<"$WORK/monitor.$1")" '"event":"takeover","from":1,'; }
promotes() { json_count "$(<"$WORK/monitor.$1")" '"event":"promote"'; }
took() {
	# took HOST: the sum of the takeover events' counts
	local line n=0

	while read -r line; do
		[[ $line =~ \"event\":\"takeover\".*\"count\":([0-9]+) ]] &&
			n=$((n + BASH_REMATCH[1]))
	done < "$WORK/monitor.$1"
	echo $n
}
promoted_n2=$(stat_of n2 sessions_promoted)
promoted_n3=$(stat_of n3 sessions_promoted)
log_info "n2 promoted $promoted_n2 and heard: $(tr '\n' ' ' < "$WORK/monitor.n2")"
expect "$promoted_n2" -gt 0 "n2 promoted some of n1's sessions"
expect "$(takeovers n2)" -le 1 "n2: at most one takeover event from node 1"
expect "$(promotes n2)" -eq 0 "n2: no per-flow promote event without \"flows\""
expect "$(took n2)" -le "$promoted_n2" "n2: its takeover count is within what it promoted"
expect "$(takeovers n3)" -le 1 "n3: at most one takeover event from node 1"
expect "$(promotes n3)" -eq "$promoted_n3" \
	"n3 (monitor flows): one promote event for each of its $promoted_n3 promotions"
expect $(( $(took n2) + $(took n3) )) -ge 1 \
	"the survivors' takeover events count the flows reconciliation moved"

stop_client
analyze_client "crash,$T_CRASH,$T_DOWN,$WORK/affected.n1"
expect "${AN[established_before]}" -eq $CONNS \
	"all $CONNS connections were established before the crash"
expect "${AN[errors]}" -eq 0 "no reset or error (${AN[error_list]})"
expect "${AN[changes]}" -eq 0 "every connection kept its backend"
expect "${AN[crash.affected.recovered]}" -eq "$AFFECTED" \
	"n1's $AFFECTED connections answered again"
expect "${AN[crash.other.recovered]}" -eq $((CONNS - AFFECTED)) \
	"the other $((CONNS - AFFECTED)) connections carried on"
# The others must not notice: their gap across the crash stays within what
# the guest's own jitter produced before it.
bound=$(( ${AN[baseline_max]} * 3 > ${AN[baseline_max]} + 5000 ?
	  ${AN[baseline_max]} * 3 : ${AN[baseline_max]} + 5000 ))
expect "${AN[crash.other.stall_max]}" -le $bound \
	"the others' gap across the crash stays under $bound ms"
log_info "pre-failure gap between replies: p50 ${AN[baseline_p50]} ms, max ${AN[baseline_max]} ms"
log_info "stall of n1's connections: max ${AN[crash.affected.stall_max]} ms, p50 ${AN[crash.affected.stall_p50]} ms"
log_info "gap of the others across the crash: max ${AN[crash.other.stall_max]} ms, p50 ${AN[crash.other.stall_p50]} ms"

check_dmesg
test_exit
