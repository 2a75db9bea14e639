#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 17-config-mismatch: a host whose cluster configuration differs from its
# peers' is reported by them, and by itself, within a bound; and only
# while it differs.
#
# Topology: lib.sh, no traffic. The same nodes, service and backends on
# fwd, n1, n2 and n3.
#   1. Negative control: with identical configurations, every node shows
#      each peer "config match" within BOUND s, and still 3 s later, with
#      no sync_config_mismatches counted in those 3 s (the hosts differ
#      for a moment while they are configured one command at a time);
#      "sync show" prints the same config_digest on all four hosts, the
#      forwarder's included.
#   2. n3 alone gets a node 4 (down): within BOUND s n1 and n2 show node 3
#      "config mismatch", n3 shows nodes 1 and 2 so, and n1 and n2 count
#      sync_config_mismatches; n3's config_digest differs from n1's. The
#      time to the last report is printed.
#   3. n3 deletes node 4 again: within BOUND s every node shows every
#      peer "config match" again, and the digests agree.
#   4. No kernel warning.
#
# variants: 4 6

source "$(dirname "$0")/lib.sh"

BOUND=10
# an address of the fabric's family that no host has
[[ ${ADDR[n1]} == *:* ]] && ADDR_N4=$SUBNET6:14 || ADDR_N4=$SUBNET.14

all_peers_are() {
	# all_peers_are WORD: every node shows every other node's config so
	local h n

	for h in "${NODES[@]}"; do
		for n in "${NODES[@]}"; do
			[[ $h == "$n" ]] && continue
			[[ $(peer_config "$h" "${NODE_ID[$n]}") == "$1" ]] ||
				return 1
		done
	done
}

n3_differs() {
	# n1 and n2 see n3 differ, and n3 sees both of them differ
	[[ $(peer_config n1 3) == mismatch && $(peer_config n2 3) == mismatch &&
	   $(peer_config n3 1) == mismatch && $(peer_config n3 2) == mismatch ]]
}

digest_of() {
	local j

	j=$(sessha_json "$1" sync show) || return 1
	[[ $j =~ \"config_digest\":\"([0-9a-f]+)\" ]] && echo "${BASH_REMATCH[1]}"
}

require_sessha
dmesg_mark
setup_topology || { log_test 1 0 "topology"; test_exit; }
sessha_all
log_test $? 0 "same sessha config on fwd, n1, n2, n3" || test_exit

# ---------------------------------------------------------------- 1.
wait_for $BOUND all_peers_are match
log_test $? 0 "negative control: identical configurations, every peer shown \"config match\""
# While sessha_all configured the hosts one command at a time, they did
# differ for a moment: what counts is that nothing is counted afterwards.
M0=$(sum_stat sync_config_mismatches "${NODES[@]}")
nap 3
all_peers_are match
log_test $? 0 "negative control: still \"config match\" three digests later"
expect "$(sum_stat sync_config_mismatches "${NODES[@]}")" -eq "$M0" \
	"negative control: no mismatch counted since ($M0 while they were being configured)"
D1=$(digest_of n1)
ok=0
for h in fwd n2 n3; do
	[[ -n $D1 && $(digest_of "$h") == "$D1" ]] || ok=1
done
log_test $ok 0 "config_digest $D1 on fwd, n1, n2 and n3 alike"

# ---------------------------------------------------------------- 2.
C1=$(stat_of n1 sync_config_mismatches) C2=$(stat_of n2 sync_config_mismatches)
tick; t0=$NOW
sessha_in n3 node add id 4 addr "$ADDR_N4" state down
log_test $? 0 "n3 alone gets a node 4"
wait_for $BOUND n3_differs
log_test $? 0 "n1 and n2 show node 3, and n3 shows nodes 1 and 2, \"config mismatch\" within $BOUND s"
tick
log_info "reported $((NOW - t0)) ms after the change"
expect "$(stat_of n1 sync_config_mismatches)" -gt "$C1" "n1 counted it (sync_config_mismatches)"
expect "$(stat_of n2 sync_config_mismatches)" -gt "$C2" "n2 counted it"
log_test "$([[ $(digest_of n3) != "$D1" ]]; echo $?)" 0 \
	"n3's config_digest differs ($(digest_of n3))"
check "n1 and n2 still agree with each other" test "$(peer_config n1 2)" = match

# ---------------------------------------------------------------- 3.
sessha_in n3 node del id 4
log_test $? 0 "n3 deletes node 4 again"
wait_for $BOUND all_peers_are match
log_test $? 0 "every peer shown \"config match\" again within $BOUND s"
log_test "$([[ $(digest_of n3) == "$D1" ]]; echo $?)" 0 "n3's config_digest is $D1 again"

check_dmesg
test_exit
