#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 08-sync-loss: with 20% of sync records lost, replicas still converge,
# every loss is repaired by sending the lost records again (no bucket in
# bulk), and a node that dies afterwards takes no connection with it.
#
# Topology: lib.sh. Service 1, tcp/80, ring over nodes 1,2,3. On each
# node's eth0, egress: a prio qdisc with 4 bands; SESSIONS datagrams (UDP
# to port 7484, type byte 1: UDP payload offset 1, IP offset 29 or 49, no
# IP options or extension headers here) go to band 3, netem "loss 20%";
# everything else (other sync types, tunnelled flows, ARP) to the default
# bands, untouched. Band 4 is netem "loss 100%", used by the negative
# control only.
#   1. 120 long-lived connections (40 a second). From the moment all have
#      answered, poll until every flow owned anywhere has its replica on
#      its backup, naming it as owner, with the same backend and TCP state
#      (sync_check). That must happen within CONVERGE_BOUND (10 s); the
#      time, what the first look found missing, and the repair counters
#      are printed. Receivers saw gaps (the loss was real), asked for the
#      lost numbers again (sync_resend_requests) and got their records
#      (sync_resent_records).
#   2. n1 dies (its port on the switch goes down; the controller marks it
#      down): every connection answers again, without reset or error, from
#      the same backend; the survivors promoted n1's flows and dropped
#      nothing for lack of a session. Then every flow has its replica on
#      the other survivor again, within the same bound (printed), the loss
#      still on. Up to here no record went in bulk (sync_bulk_records 0):
#      resending only what was lost repaired everything.
#   3. Negative control: the repair machinery cut off. SESSIONS datagrams
#      stay at 20% loss, and every other type (BULK_*, DIGEST, RESEND) goes
#      to band 4, where all are lost. 40 more connections open; after the
#      same bound, some of their flows still lack a correct replica. This
#      is the feature's own failure: without repair, each flow whose one
#      datagram carrying its established state was lost stays wrong
#      forever (the owner only re-syncs an established flow after half its
#      900 s timeout), and 40 flows all escaping 20% loss has a probability
#      of 0.8^40 ~ 1e-4. When repair datagrams pass again, those 40
#      converge within the bound too, now through the digests and buckets
#      in bulk (sync_bulk_records > 0): the resend requests of the lost
#      numbers were lost, which is what phase 2's 0 relied on.
#   4. No kernel warning.
#
# Also in IPv6 everywhere (SESSHA_FAMILY=6: VIP, client, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=120
WAVE=40
INTERVAL=1.5
LOSS=20
CONVERGE_BOUND=${CONVERGE_BOUND:-10}

require_sessha
for m in sch_prio sch_netem cls_u32; do
	pretty "" "modprobe $m"
	modprobe "$m" 2>/dev/null || [[ -d /sys/module/$m ]] ||
		skip_all "module $m is needed to lose sync datagrams"
done
dmesg_mark

# sync filters on eth0 of HOST: prio 3 sends SESSIONS (type 1) to the lossy
# band; while repair is blocked, prio 1 (type 1) and prio 2 (the rest, to
# band 4) come first.
# The type is the second byte after the UDP header.
if [[ ${ADDR[n1]} == *:* ]]; then
	TC_PROTO=ipv6 TYPE_AT=49
	SYNC_MATCH="match ip6 protocol 17 0xff match ip6 dport $SYNC_PORT 0xffff"
else
	TC_PROTO=ip TYPE_AT=29
	SYNC_MATCH="match ip protocol 17 0xff match ip dport $SYNC_PORT 0xffff"
fi
lossy_sync() {
	n_exec "$1" sh -c "
		tc qdisc add dev eth0 root handle 1: prio bands 4 &&
		tc qdisc add dev eth0 parent 1:3 handle 30: netem loss $LOSS% &&
		tc qdisc add dev eth0 parent 1:4 handle 40: netem loss 100% &&
		tc filter add dev eth0 parent 1: protocol $TC_PROTO prio 3 u32 \
			$SYNC_MATCH match u8 1 0xff at $TYPE_AT flowid 1:3"
}
block_repair() {
	n_exec "$1" sh -c "
		tc filter add dev eth0 parent 1: protocol $TC_PROTO prio 1 u32 \
			$SYNC_MATCH match u8 1 0xff at $TYPE_AT flowid 1:3 &&
		tc filter add dev eth0 parent 1: protocol $TC_PROTO prio 2 u32 \
			$SYNC_MATCH flowid 1:4"
}
unblock_repair() {
	n_exec "$1" sh -c "
		tc filter del dev eth0 parent 1: protocol $TC_PROTO prio 2 &&
		tc filter del dev eth0 parent 1: protocol $TC_PROTO prio 1"
}
on_nodes() {
	# on_nodes FUNCTION HOST...: in parallel
	local f=$1 h; shift

	for h in "$@"; do par "$f" "$h"; done
	wait_all
}
converge() {
	# converge SINCE MIN HOST...: poll sync_check until CONVERGE_BOUND s
	# after SINCE (ms); sets CONVERGED_MS, when (after SINCE) the dumps
	# that showed every replica in order were taken (-1 if none did), and
	# FIRST_LOOK (the first summary)
	local t0=$1 t min=$2; shift 2

	FIRST_LOOK=""
	CONVERGED_MS=-1
	while :; do
		tick; t=$((NOW - t0))
		((t > CONVERGE_BOUND * 1000)) && return 1
		if sync_check "$min" "$@"; then
			CONVERGED_MS=$t
			[[ -n $FIRST_LOOK ]] || FIRST_LOOK=$SYNC_SUMMARY
			return 0
		fi
		[[ -n $FIRST_LOOK ]] || FIRST_LOOK=$SYNC_SUMMARY
		nap 0.2
	done
}
repair_stats() {
	local c s=""

	for c in sync_rx_gaps sync_resend_requests sync_resent_records \
		 sync_resend_misses sync_bulk_requests sync_bulk_answers \
		 sync_bulk_records sync_bulk_incomplete sync_digest_mismatches \
		 replicas_stale; do
		s+=" $c $(sum_stat $c "$@")"
	done
	echo "${s# }"
}

# ---------------------------------------------------------------- 1.
setup_topology || { log_test 1 0 "topology"; test_exit; }
on_nodes lossy_sync "${NODES[@]}"
log_test $? 0 "netem: ${LOSS}% loss of SESSIONS datagrams leaving n1, n2, n3" ||
	test_exit
launch_servers
sessha_all
log_test $? 0 "same sessha config on fwd, n1, n2, n3" || test_exit
servers_ready
log_test $? 0 "echo servers on $VIP:$VPORT in b1 b2 b3" || test_exit
start_client --target "$VIP:$VPORT" --conns $CONNS --interval $INTERVAL \
	--connect-rate 40 --wave $WAVE --wave-file "$WORK/wave"
wait_for 90 client_all_replied
log_test $? 0 "$CONNS connections through the forwarder answered" || test_exit

client_status
T_EST=$(json_num "$STATUS" last_established)
converge "$T_EST" $CONNS "${NODES[@]}"
log_test $? 0 "under ${LOSS}% loss, every flow's replica in order within ${CONVERGE_BOUND} s"
log_info "converged ${CONVERGED_MS} ms after the last connection was established, at the latest (the dumps that showed it were taken then)"
log_info "first look: $FIRST_LOOK"
log_info "now: $SYNC_SUMMARY"
log_info "repair: $(repair_stats "${NODES[@]}")"
expect "$(sum_stat sync_rx_gaps "${NODES[@]}")" -gt 0 \
	"receivers saw sequence gaps: datagrams were lost"
expect "$(sum_stat sync_resend_requests "${NODES[@]}")" -gt 0 \
	"receivers asked for the lost numbers again"
expect "$(sum_stat sync_resent_records "${NODES[@]}")" -gt 0 \
	"senders sent the lost records again"
expect "$(sum_stat sync_bulk_records "${NODES[@]}")" -eq 0 \
	"no record went in bulk: only the lost ones were sent again"

# ---------------------------------------------------------------- 2.
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
converge "$T_DOWN" $CONNS n2 n3
log_test $? 0 "every flow has its replica again on n2/n3 within ${CONVERGE_BOUND} s"
log_info "re-protected ${CONVERGED_MS} ms after the mark-down at the latest ($SYNC_SUMMARY)"
log_info "repair: $(repair_stats n2 n3)"
expect "$(sum_stat sync_bulk_records n2 n3)" -eq 0 \
	"no record went in bulk in the takeover either"

# ---------------------------------------------------------------- 3.
BULK_BEFORE=$(sum_stat sync_bulk_records n2 n3)
on_nodes block_repair n2 n3
log_test $? 0 "negative control: sync types 2-6 (bulk, digest, resend) all lost" || test_exit
pretty client "a second wave of $WAVE connections"
touch "$WORK/wave"
wait_for 60 client_all_replied
log_test $? 0 "$WAVE more connections answered" || test_exit
SYNC_CPORT_MIN=$((20000 + CONNS))
client_status
T_EST=$(json_num "$STATUS" last_established)
! converge "$T_EST" $WAVE n2 n3
log_test $? 0 "without repair, some of them lack a correct replica after ${CONVERGE_BOUND} s"
log_info "$SYNC_SUMMARY"
tick; T_UNBLOCK=$NOW
on_nodes unblock_repair n2 n3
log_test $? 0 "repair datagrams pass again"
converge "$T_UNBLOCK" $WAVE n2 n3
log_test $? 0 "then they converge within ${CONVERGE_BOUND} s too"
log_info "converged ${CONVERGED_MS} ms after the unblocking at the latest ($SYNC_SUMMARY)"
log_info "repair: $(repair_stats n2 n3)"
expect "$(($(sum_stat sync_bulk_records n2 n3) - BULK_BEFORE))" -gt 0 \
	"with the resend requests lost, the repair took buckets in bulk"
SYNC_CPORT_MIN=0

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
log_info "stall of n1's connections: max ${AN[crash.affected.stall_max]} ms, p50 ${AN[crash.affected.stall_p50]} ms"
client_status
expect "$(json_num "$STATUS" errors)" -eq 0 "no connection of either wave saw an error"

check_dmesg
test_exit
