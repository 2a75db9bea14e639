#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 16-backend-weight: weights share new flows among backends, and weight 0
# drains one: its connections carry on, served and replicated, while new
# connections go to the others.
#
# Topology: lib.sh. Service 1, tcp/80, ring over nodes 1,2,3, backends
# b1, b2, b3 at the default weight 1. One client, a message every 1.5 s
# per connection.
#   1. 60 connections: each backend gets some (the control for step 3:
#      without the drain, b3 takes new flows). Every flow replicated.
#   2. On every host, "backend set": b1 weight 2, b2 weight 1, b3 weight
#      0. "service show" reports the weights.
#   3. A second wave of 60 connections: none goes to b3, and b1 gets twice
#      as many as b2 (40 and 20, give or take one per node: each node
#      keeps its own place in the weighted round robin).
#   4. b3's connections of the first wave still answer after the drain,
#      and every flow, theirs included, has its replica in order on its
#      backup (same backend, state and owner).
#   5. With every weight 0 on the nodes, a new connection finds no
#      backend: refused, and counted as drop_no_backend.
#   6. Over it all: no reset or error, no backend change. Once the client
#      is gone, b3 is deleted on every host.
#
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=60
WAVE=60
INTERVAL=1.5

set_weights() {
	# set_weights "BID:W ...": backend set on fwd and every node
	local h line=""

	for bw in $1; do
		line+="backend set service 1 id ${bw%:*} weight ${bw#*:}"$'\n'
	done
	for h in fwd "${NODES[@]}"; do
		par eval 'printf "%s" "$line" | sessha_script "$h"'
	done
	wait_all
}

wave_backends() {
	# wave_backends FIRST-SPORT: "b1 b2 b3" counts of the connections from
	# that client port on, in the client's report
	json_py "$WORK/client.json" "' '.join(str(sum(1 for c in d['conns'] if c['sport'] >= $1 and c['backend'] == b)) for b in ('b1', 'b2', 'b3'))"
}

require_sessha
dmesg_mark

# ---------------------------------------------------------------- 1.
setup_topology || { log_test 1 0 "topology"; test_exit; }
launch_servers
sessha_all
log_test $? 0 "same sessha config on fwd, n1, n2, n3" || test_exit
servers_ready
log_test $? 0 "echo servers on $VIP:$VPORT in b1 b2 b3" || test_exit
start_client --target "$VIP:$VPORT" --conns $CONNS --interval $INTERVAL \
	--connect-rate 40 --wave $WAVE --wave-file "$WORK/wave"
wait_for 90 client_all_replied
log_test $? 0 "$CONNS connections through the forwarder answered" || test_exit
log_info "client: $STATUS"
B3_FIRST=$(json_num "$STATUS" b3)
expect "${B3_FIRST:-0}" -gt 0 "control: at weight 1, b3 took new flows"
wait_for 60 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "every flow has its replica on its backup ($SYNC_SUMMARY)"

# ---------------------------------------------------------------- 2.
tick; T_DRAIN=$NOW
set_weights "1:2 2:1 3:0"
log_test $? 0 "fwd and the nodes: b1 weight 2, b2 weight 1, b3 weight 0"
svc=$(sessha_json n1 service show)
svc=${svc//[[:space:]]/}
log_test "$([[ $svc == *'"id":1,"addr":"'*'","weight":2}'* &&
	       $svc == *'"id":3,"addr":"'*'","weight":0}'* ]]; echo $?)" 0 \
	"service show on n1 reports the weights"

# ---------------------------------------------------------------- 3.
pretty client "a second wave of $WAVE connections"
touch "$WORK/wave"
wait_for 60 client_all_replied
log_test $? 0 "$WAVE more connections answered" || test_exit

# ---------------------------------------------------------------- 4.
wait_for 30 client_replied_since "$T_DRAIN"
log_test $? 0 "every connection, b3's included, answered after the drain"
wait_for 60 sync_check $((CONNS + WAVE)) "${NODES[@]}"
log_test $? 0 "every flow has its replica in order on its backup ($SYNC_SUMMARY)"

# ---------------------------------------------------------------- 5.
for h in "${NODES[@]}"; do
	par eval 'printf "%s\n" "backend set service 1 id 1 weight 0" \
		"backend set service 1 id 2 weight 0" | sessha_script "$h"'
done
wait_all
log_test $? 0 "the nodes: every weight 0"
NB_BEFORE=$(sum_stat drop_no_backend "${NODES[@]}")
n_exec client timeout 3 socat -u - "TCP:$(
	[[ $VIP == *:* ]] && echo "[$VIP]" || echo "$VIP"):$VPORT,sourceport=29999" \
	</dev/null 2>/dev/null
NB_AFTER=$(sum_stat drop_no_backend "${NODES[@]}")
expect $((NB_AFTER - NB_BEFORE)) -gt 0 \
	"with no weight left, a new connection is dropped and counted (drop_no_backend +$((NB_AFTER - NB_BEFORE)))"

# ---------------------------------------------------------------- 6.
stop_client
read -r W1 W2 W3 <<<"$(wave_backends $((20000 + CONNS)))"
log_info "second wave: b1 $W1, b2 $W2, b3 $W3"
expect "$W3" -eq 0 "drained b3 took none of the second wave"
expect "$W1" -ge 37 "b1 (weight 2) took about 2/3 of it"
expect "$W1" -le 43 "and no more"
expect $((W1 + W2)) -eq $WAVE "b1 and b2 took all of it"
analyze_client
expect "${AN[errors]}" -eq 0 "no reset or error (${AN[error_list]})"
expect "${AN[changes]}" -eq 0 "every connection kept its backend"
for h in fwd "${NODES[@]}"; do
	par sessha_in "$h" backend del service 1 id 3
done
wait_all
log_test $? 0 "b3 deleted on fwd and the nodes once its connections ended"

check_dmesg
test_exit
