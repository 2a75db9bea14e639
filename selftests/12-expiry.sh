#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 12-expiry: idle sessions expire, on their owner and their backup, and
# live ones stay.
#
#   ┌──────────────┐        ┌──────────────────┐     ┌──────────────────┐
#   │ $client .2   │  UDP   │ $n1 .11, node 1  │     │ $n2 .12, node 2  │
#   │ VIP via .11  ├───────►│ service 1 udp/53 ├─────┤ (same config)    │
#   └──────────────┘  (sw)  │ ring over 1,2    │     │                  │
#                           └──────────────────┘     └──────────────────┘
#
#   1. Flow B (client port 40200) starts with the default UDP timeout,
#      300 s; then timeout-udp is set to 5 s on both nodes and flow A
#      (client port 40100) starts. Each has an owner and a replica.
#   2. Within 5 s plus one GC pass (at most 8 s; here one run, 250 ms)
#      and slack, flow A is gone from both nodes, and sessions_expired
#      counts it; flow B, the negative control, is still on both.
#   3. No kernel warning.
#
# Also in IPv6 everywhere (SESSHA_FAMILY=6: VIP, client, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

SPORT=53
CPORT_A=40100
CPORT_B=40200

require_sessha
command -v socat >/dev/null || skip_all "socat not found"
dmesg_mark
NODES=(n1 n2)
setup_topology client n1 n2 || fail_all "topology"
ipn client route replace $VIP/$VIP_PLEN via "${ADDR[n1]}"
SERVICES=("1 udp $SPORT policy ring nodes 1,2")
for h in n1 n2; do
	sessha_config_lines "$h" | sessha_script "$h"
	log_test $? 0 "sessha config on $h: nodes 1 and 2, service 1 udp/$SPORT"
done

send_flow() {
	pretty client "socat $(vip_udp $SPORT),sourceport=$1"
	echo hello | ip netns exec "${NS[client]}" \
		socat -u - "$(vip_udp $SPORT),sourceport=$1"
}
flow_count() {
	# flow_count CPORT: how many of n1 and n2 hold the flow
	local h n=0

	for h in n1 n2; do
		[[ $(sessha_json "$h" session show) == *"\"cport\":$1,"* ]] &&
			n=$((n + 1))
	done
	echo $n
}
flow_on_both() { [[ $(flow_count "$1") == 2 ]]; }
flow_gone() { [[ $(flow_count "$1") == 0 ]]; }

send_flow $CPORT_B
for h in n1 n2; do
	# long enough to see A on both nodes in a busy guest
	sessha_in "$h" config set timeout-udp 5
done
send_flow $CPORT_A
wait_for 10 flow_on_both $CPORT_A && wait_for 10 flow_on_both $CPORT_B
log_test $? 0 "flows A and B each have an owner and a replica"

tick; t0=$NOW
wait_for 20 flow_gone $CPORT_A
log_test $? 0 "flow A (timeout 5 s) is gone from both nodes"
tick
log_info "flow A gone $((NOW - t0)) ms after both held it"
expect "$(sum_stat sessions_expired n1 n2)" -ge 1 "sessions_expired counts it"
expect "$(flow_count $CPORT_B)" -eq 2 "flow B (timeout 300 s) is still on both nodes"

check_dmesg
test_exit
