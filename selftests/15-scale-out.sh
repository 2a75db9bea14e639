#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 15-scale-out: a live service grows from three servicing nodes to four
# without losing a session, by the admin guide's procedure; then, as the
# negative control, to five with a node marked up before it holds its
# flows.
#
# Topology: lib.sh, plus n4 and n5 on the switch, not configured. Service
# 1, tcp/80, ring over nodes 1,2,3. 120 long-lived connections, a message
# every 1.5 s each, from one client.
#   1. Every flow replicated (sync_check).
#   2. A node joins a live service only as down: on fwd, "service set"
#      naming node 4 while it is up is refused, and changes nothing.
#   3. Scale-out: fwd, n1, n2 and n3 add node 4, down, and set service 1
#      to nodes 1,2,3,4; n4 is configured with the four-node service and
#      polled until its local node reports "sync":"ready" (from its
#      peers' answers: join_timeouts 0); then the controller marks node 4
#      up everywhere. The flows the ring now gives n4 move to it: their
#      share is printed and must lie between 1/8 and 1/2 (rendezvous
#      hashing over four nodes: about 1/4). n4 dropped no packet for lack
#      of a session, every connection answers after the mark-up, and every
#      flow has its replica on its backup among the four.
#   4. Negative control: node 5 joins the same way, but n5 has "config
#      set join off", so it reports ready at once holding nothing. Once
#      it is marked up, the flows the ring gives it stall (n5 drops their
#      packets, drop_no_session) while the others carry on.
#   5. Over it all: no reset or error, no backend change; n4's flows
#      answered after their move; no kernel warning.
#
# Also in IPv6 (lib.sh SESSHA_FAMILY=6: VIP, clients, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=120
INTERVAL=1.5
READY_BOUND=30		# the kernel's join timeout
STALL_WATCH=6		# seconds n5's flows are watched after the mark-up

HOSTS+=(n4 n5)
ADDR4[n4]=$SUBNET.14 ADDR4[n5]=$SUBNET.15
ADDR6[n4]=$SUBNET6:14 ADDR6[n5]=$SUBNET6:15
for h in n4 n5; do
	if [[ ${ADDR[n1]} == "${ADDR4[n1]}" ]]; then
		ADDR[$h]=${ADDR4[$h]}
	else
		ADDR[$h]=${ADDR6[$h]}
	fi
done
NODE_ID[n4]=4 NODE_ID[n5]=5

grow() {
	# grow HOST [CONFIG-LINE]: the live service takes HOST in, as the
	# admin guide says; READY_MS from the start of HOST's configuration
	local h=$1 first=${2:-} id=${NODE_ID[$1]} ids t0 n

	ids="$(node_ids),$id"
	for n in fwd "${NODES[@]}"; do
		par eval 'printf "%s\n" "node add id $id addr ${ADDR[$h]} state down" \
			"service set id 1 nodes $ids" | sessha_script "$n"'
	done
	wait_all
	log_test $? 0 "fwd and the nodes: node $id added down, service 1 set to nodes $ids" ||
		return 1
	NODES+=("$h")
	SERVICES=("1 tcp $VPORT policy ring nodes $ids")
	tick; t0=$NOW
	{ [[ -n $first ]] && echo "$first"; sessha_config_lines "$h"; } |
		sessha_script "$h"
	log_test $? 0 "$h configured with nodes $ids${first:+ ($first)}" ||
		return 1
	wait_for $READY_BOUND local_sync_ready "$h"
	log_test $? 0 "$h reports sync ready"
	tick; READY_MS=$((NOW - t0))
	log_info "$h ready ${READY_MS} ms after its configuration began"
	wait_for 10 peer_config_is n1 "$id" match
	log_test $? 0 "n1 shows node $id \"config match\" before the mark-up"
}

node_ids() {
	# the ids of NODES, comma-separated
	local n ids=""

	for n in "${NODES[@]}"; do ids+=${ids:+,}${NODE_ID[$n]}; done
	echo "$ids"
}

owns_some() {
	# owns_some HOST: HOST owns a flow; its client ports in $WORK/moved.HOST
	owner_ports "$1" > "$WORK/moved.$1" && [[ -s $WORK/moved.$1 ]]
}

require_sessha
dmesg_mark
ha_start $CONNS $INTERVAL || test_exit
wait_for 60 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "every flow has its replica on its backup ($SYNC_SUMMARY)"

# ---------------------------------------------------------------- 2.
printf '%s\n' "node add id 4 addr ${ADDR[n4]}" | sessha_script fwd
out=$(sessha_in fwd service set id 1 nodes 1,2,3,4 2>&1)
expect $? -ne 0 "fwd refuses a live service's new node while it is up"
log_test "$([[ $out == *"a node joins a live service marked down"* ]]; echo $?)" 0 \
	"and says why ($out)"
svc=$(sessha_json fwd service show)
log_test "$([[ ${svc//[[:space:]]/} == *'"nodes":[1,2,3]'* ]]; echo $?)" 0 \
	"service 1 still has nodes 1,2,3 on fwd"
sessha_in fwd node del id 4
log_test $? 0 "node 4 deleted again on fwd"

# ---------------------------------------------------------------- 3.
grow n4 || test_exit
expect "$(stat_of n4 join_timeouts)" -eq 0 "ready because n1, n2 and n3 answered, not by timeout"
mark_up n4
T_UP4_START=$T_UP_START T_UP4=$T_UP
wait_for 60 client_replied_since "$T_UP4"
log_test $? 0 "every connection answered after n4 was marked up"
tick
log_info "all answered $((NOW - T_UP4)) ms after the mark-up"
wait_for 20 owns_some n4
log_test $? 0 "n4 owns flows after its mark-up"
MOVED=$(wc -l < "$WORK/moved.n4")
log_info "moved to n4: $MOVED of $CONNS flows ($((MOVED * 100 / CONNS))%; about 25% expected)"
expect $((MOVED * 8)) -ge $CONNS "at least 1/8 of the flows moved to n4"
expect $((MOVED * 2)) -le $CONNS "at most 1/2 of the flows moved to n4"
expect "$(stat_of n4 drop_no_session)" -eq 0 "n4 dropped nothing for lack of a session"
wait_for 30 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "every flow has its replica on its backup among four ($SYNC_SUMMARY)"

# ---------------------------------------------------------------- 4.
grow n5 "config set join off" || test_exit
mark_up n5
T_UP5_START=$T_UP_START T_UP5=$T_UP
n5_drops() { (( $(stat_of n5 drop_no_session) > 0 )); }
wait_for 20 n5_drops
log_test $? 0 "negative control: n5, joined without its flows, drops their packets (drop_no_session $(stat_of n5 drop_no_session))"
tick
left=$(( (T_UP5 + STALL_WATCH * 1000 - NOW) / 1000 + 1 ))
((left > 0)) && nap $left

# ---------------------------------------------------------------- 5.
stop_client
# A reply may still come to a message the forwarder sent on before it
# heard of n5: a second of grace after the mark-up.
: > "$WORK/none"
analyze_client "out4,$T_UP4_START,$T_UP4,$WORK/moved.n4" \
	"out5,$T_UP5_START,$((T_UP5 + 1000)),$WORK/none"
expect "${AN[established_before]}" -eq $CONNS \
	"all $CONNS connections were established before the scale-out"
expect "${AN[errors]}" -eq 0 "no reset or error (${AN[error_list]})"
expect "${AN[changes]}" -eq 0 "every connection kept its backend, throughout"
expect "${AN[out4.affected.recovered]}" -eq "$MOVED" \
	"the $MOVED flows that moved to n4 answered after the move"
expect "${AN[out4.other.recovered]}" -eq $((CONNS - MOVED)) \
	"the other $((CONNS - MOVED)) carried on"
log_info "stall of the moved flows: max ${AN[out4.affected.stall_max]} ms, p50 ${AN[out4.affected.stall_p50]} ms"
stalled=$((CONNS - ${AN[out5.other.recovered]}))
log_info "negative control: $stalled of $CONNS connections got no answer in ${STALL_WATCH} s after n5's mark-up"
expect "$stalled" -gt 0 "negative control: the flows moved to a node without them stalled"
expect $((stalled * 2)) -le $CONNS "negative control: the others carried on (at most half stalled)"

check_dmesg
test_exit
