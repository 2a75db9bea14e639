#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 06-lifecycle: namespaces and the module go away under load, cleanly.
#
# Topology: lib.sh, service 1 (tcp/80, ring over nodes 1,2,3).
#   1. With 30 live connections and every session replicated, n1's
#      namespace (owner sessions, replicas, the sync socket, hooks) is
#      deleted; the other nodes keep working.
#   2. rmmod sessha while the client keeps sending: it succeeds and the
#      module is gone.
#   3. insmod again, a fresh (smaller: n1, n2, b1) topology: one connection
#      works end to end and has its session and replica.
#   4. No kernel warning throughout (the runner also checks the log for
#      leaked slab objects at its own final rmmod).
#
# Also in IPv6 everywhere (SESSHA_FAMILY=6: VIP, client, nodes, backends).
# variants: 4 6
# serial: it unloads the module, which a variant beside it would lose

source "$(dirname "$0")/lib.sh"

CONNS=30

require_sessha
dmesg_mark

# ---------------------------------------------------------------- 1.
ha_start $CONNS 1 || test_exit
wait_for 60 replicas_on $CONNS "${NODES[@]}"
log_test $? 0 "every session has an established replica ($REPLICAS)"
owned=$(session_count n1 owner) replicas=$(session_count n1 replica)
[[ $owned -gt 0 && $replicas -gt 0 ]]
log_test $? 0 "n1 holds sessions ($owned) and replicas ($replicas)"

pretty "" "ip netns del ${NS[n1]}"
ip netns del "${NS[n1]}"
log_test $? 0 "delete n1's namespace with its live sessions"
unset 'NS[n1]'
# The namespace is torn down asynchronously; n2 and n3 must keep serving
# their own connections meanwhile.
n2_n3_serving() {
	local served

	served=$(sum_stat served_packets n2 n3) || return 1
	((served > SERVED_BEFORE + CONNS))
}
SERVED_BEFORE=$(sum_stat served_packets n2 n3)
wait_for 30 n2_n3_serving
log_test $? 0 "n2 and n3 keep serving after n1's namespace is gone"

# ---------------------------------------------------------------- 2.
client_status
expect "$(json_num "$STATUS" errors)" -eq 0 "traffic still live before rmmod"
pretty "" "rmmod sessha"
rmmod sessha
log_test $? 0 "rmmod under live traffic"
! module_loaded
log_test $? 0 "the module is gone"
check_dmesg "no kernel warnings after netns deletion and rmmod"
teardown

# ---------------------------------------------------------------- 3.
load_module
module_loaded
log_test $? 0 "insmod again"
# A smaller topology will do: two nodes, one backend.
NODES=(n1 n2) BACKENDS=(b1)
SERVICES=("1 tcp $VPORT policy ring nodes 1,2")
setup_topology client fwd n1 n2 b1 || { log_test 1 0 "fresh topology"; test_exit; }
sessha_all
log_test $? 0 "fresh sessha config on fwd, n1, n2"
start_servers
start_client --target "$VIP:$VPORT" --conns 1 --interval 0.5
wait_for 60 client_all_replied
log_test $? 0 "one connection end to end after the reload"
wait_for 30 replicas_on 1 "${NODES[@]}"
log_test $? 0 "its session is replicated"
stop_client

check_dmesg
test_exit
