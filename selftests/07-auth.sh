#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 07-auth: sync takes only authentic, fresh datagrams from members, and the
# cluster key rolls over under live traffic without losing one.
#
# Topology: lib.sh. Service 1, tcp/80, ring over nodes 1,2,3.
#
# Part 1, crafted datagrams. Only n1 runs sessha, with cluster key 1 (from
# a file, before anything else). n3's namespace exists but runs no sessha:
# the "node 3" datagrams that traffic.py sends from its address are the
# only node-3 stream n1 sees. Their epoch is tiny, so that n3's real stream
# later (part 2) supersedes it. Each names its own client port.
#   f. "sessha sync show" on n2, which has no key: the UNAUTHENTICATED
#      warning on stdout and stderr, and in JSON auth false, no keys. On
#      n1: auth true, key 1 in use.
#   a. Forged: MAC made with another key; signed right, then a byte of the
#      body changed; signed right but for node 2 (a datagram recorded on
#      its way to another node): sync_rx_bad_mac, 3. Key id 7, which n1
#      does not have: sync_rx_bad_key.
#   b. Unsigned: sync_rx_unauth.
#   d. Correctly signed as node 3, sent from the client's address:
#      sync_rx_unknown_peer.
#   e. Positive control: correctly signed, fresh, from n3's address: a
#      replica (owner 3).
#   c. Replays: the same datagram again; after seq 100 (accepted: a
#      replica), seq 30, below the 64-wide window; an older epoch:
#      sync_rx_replay, 3.
#   Every counter moves by exactly that, and n1 holds exactly the two
#   replicas of the accepted datagrams.
#
# Part 2, g. key roll-over under live traffic. n2, n3 and the forwarder are
# configured (key 1 on the nodes); one client holds 60 long-lived
# connections and also opens 2 short ones a second (one message, then
# closed), so that sessions, and their sync, keep coming throughout. The
# roll, each step followed by a wait until replicas were created or
# updated again and every node took a digest from a peer: key 2 added on
# every node; "sync key use id 2" on n1, n2, n3 in turn; key 1 deleted
# everywhere. Then every long-lived flow has its replica on its backup
# (same backend and state), every node reports only key 2, in use, and
# sync_rx_bad_mac, _bad_key and _unauth did not move on any node.
#   Negative control: n1 alone switches to a key 3 the others lack; n2 and
#   n3 count sync_rx_bad_key for its datagrams (digests go out every
#   second). Without authentication, or with a MAC that ignored the key,
#   this would stay 0.
#   No kernel warning.
#
# Also in IPv6 everywhere (SESSHA_FAMILY=6: VIP, client, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=60
CHURN=2
# Flows of the long-lived connections only: the churn's (30000+) come and
# go, part 1's crafted ones (40000+) are not flows.
SYNC_CPORT_MAX=29999

require_sessha
dmesg_mark
setup_topology || { log_test 1 0 "topology"; test_exit; }
launch_servers
make_keys "$WORK"/{key1,key2,key3,wrong} || fail_all "make the keys"
SESSHA_NODE_FIRST="sync key add id 1 file $WORK/key1"

# ---------------------------------------------------------------- f.
sessha_in n2 sync show > "$WORK/out" 2> "$WORK/err"
rc=$?
[[ $rc -eq 0 && $(<"$WORK/out") == *"WARNING: sync is UNAUTHENTICATED"* &&
   $(<"$WORK/err") == *"WARNING: sync is UNAUTHENTICATED"* ]]
log_test $? 0 "sync show without a key: UNAUTHENTICATED, on stdout and stderr"
log_info "$(head -n 1 "$WORK/out")"
j=$(sessha_json n2 sync show 2>/dev/null)
j=${j//[[:space:]]/}
[[ $j == *'"auth":false'* && $j == *'"keys":[]'* ]]
log_test $? 0 "sync show -j without a key: auth false, no keys"
log_info "$j"

sessha_config_lines n1 | sessha_script n1
log_test $? 0 "n1: key 1 from a file, then nodes, service, backends"
out=$(sessha_in n1 sync show 2>&1)
j=$(sessha_json n1 sync show)
j=${j//[[:space:]]/}
[[ $j == *'"auth":true'* && $j == *'"keys":[{"id":1,"in_use":true}]'* &&
   $out == "auth hmac-sha256 keys 1 (in use)"* && $out != *WARNING* ]]
log_test $? 0 "sync show with key 1: auth true, key 1 in use, no warning"
log_info "$j"

# ---------------------------------------------------------------- a-e.
AUTH_STATS=(sync_rx_bad_mac sync_rx_bad_key sync_rx_unauth
	    sync_rx_unknown_peer sync_rx_replay replicas_created)
declare -A before=() after=()
snap() {
	# snap ARRAY HOST: HOST's counters in AUTH_STATS
	local -n arr=$1
	local j k

	j=$(stats_of "$2")
	for k in "${AUTH_STATS[@]}"; do
		arr[$k]=$(json_num "$j" "$k")
	done
}
delta() { echo $(( ${after[$1]} - ${before[$1]} )); }

snap before n1
# Client ports: 40010 and 40012 are the ones that may exist afterwards.
CASES=(add,cport=40001,key="$WORK/wrong"	# a: bad MAC, other key
       tampered,cport=40002			# a: bad MAC, body changed
       add,cport=40003,receiver=2		# a: bad MAC, meant for node 2
       add,cport=40004,key_id=7			# a: bad key
       add,cport=40005,key_id=0			# b: unsigned
       add,cport=40006@"${NS[client]}"		# d: not from node 3's address
       add,cport=40010,seq=1			# e: fresh: a replica
       again					# c: replay of that
       add,cport=40012,seq=100			# fresh again (a gap, no matter)
       add,cport=40013,seq=30			# c: below the window
       add,cport=40014,seq=101,epoch=999)	# c: an older epoch
pretty n3 "traffic.py rawsync (as node 3, key 1, epoch 1000) ${CASES[*]}"
$TRAFFIC rawsync --netns "${NS[n3]}" --to "${ADDR[n1]}:$SYNC_PORT" \
	--sender 3 --receiver 1 --epoch 1000 --key-file "$WORK/key1" \
	--client "${ADDR[client]}" "${CASES[@]/#/--case=}" > "$WORK/rawsync.log"
log_test $? 0 "sent ${#CASES[@]} crafted datagrams as node 3"

all_counted() {
	snap after n1
	(( $(delta sync_rx_bad_mac) + $(delta sync_rx_bad_key) +
	   $(delta sync_rx_unauth) + $(delta sync_rx_unknown_peer) +
	   $(delta sync_rx_replay) + $(delta replicas_created) >= 11 ))
}
wait_for 10 all_counted
expect "$(delta sync_rx_bad_mac)" -eq 3 \
	"a: other key, body changed, meant for node 2: sync_rx_bad_mac"
expect "$(delta sync_rx_bad_key)" -eq 1 "a: key id 7, not installed: sync_rx_bad_key"
expect "$(delta sync_rx_unauth)" -eq 1 "b: unsigned: sync_rx_unauth"
expect "$(delta sync_rx_unknown_peer)" -eq 1 \
	"d: signed as node 3 from the client's address: sync_rx_unknown_peer"
expect "$(delta sync_rx_replay)" -eq 3 \
	"c: same datagram twice, below the window, old epoch: sync_rx_replay"
expect "$(delta replicas_created)" -eq 2 \
	"e: the fresh, signed ones from node 3 created replicas (2)"
j=$(sessha_json n1 session show)
j=${j//[[:space:]]/}
[[ $j == *'"cport":40010,'*'"role":"replica","owner":3'* &&
   $j == *'"cport":40012,'*'"role":"replica","owner":3'* &&
   $(json_count "$j" '"cport":') -eq 2 ]]
log_test $? 0 "n1 holds exactly those two replicas, none of the rejected"

# ---------------------------------------------------------------- g.
for h in fwd n2 n3; do
	par eval 'sessha_config_lines "$h" | sessha_script "$h"'
done
wait_all
log_test $? 0 "n2, n3 (key 1 first) and fwd configured"
servers_ready
log_test $? 0 "echo servers on $VIP:$VPORT in b1 b2 b3" || test_exit
start_client --target "$VIP:$VPORT" --conns $CONNS --interval 1 \
	--connect-rate 20 --churn-rate $CHURN
wait_for 60 client_all_replied
log_test $? 0 "$CONNS connections answered, $CHURN short ones a second" || test_exit
wait_for 20 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "every flow has its replica on its backup ($SYNC_SUMMARY)"

ROLL_STATS=(sync_rx_bad_mac sync_rx_bad_key sync_rx_unauth)
declare -A rb=()
stats_all "${NODES[@]}"
for h in "${NODES[@]}"; do
	for k in "${ROLL_STATS[@]}"; do
		rb[$h.$k]=$(json_num "${STATS[$h]}" "$k")
	done
done
sync_snap() {
	# replicas created or updated, all nodes together, in CHANGES; each
	# node's digests taken in DIGESTS[node]
	local h j

	CHANGES=0
	stats_all "${NODES[@]}" || return 1
	for h in "${NODES[@]}"; do
		j=${STATS[$h]}
		CHANGES=$((CHANGES + $(json_num "$j" replicas_created) +
			  $(json_num "$j" replicas_updated)))
		DIGESTS[$h]=$(json_num "$j" sync_digests_rx)
	done
}
declare -A DIGESTS=() BASE_DIGESTS=()
progress() {
	# since the baseline: replicas changed, every node took a digest
	local h

	sync_snap || return 1
	((CHANGES > BASE_CHANGES)) || return 1
	for h in "${NODES[@]}"; do
		((DIGESTS[$h] > BASE_DIGESTS[$h])) || return 1
	done
}
roll_step() {
	# roll_step WHAT HOST COMMAND...: COMMAND on HOST (or on every node
	# for "all"), then replicas must keep being created or updated
	local what=$1 hosts=$2 h; shift 2

	[[ $hosts == all ]] && hosts="${NODES[*]}"
	for h in $hosts; do
		par sessha_in "$h" "$@"
	done
	wait_all
	log_test $? 0 "$what" || return 1
	sync_snap
	BASE_CHANGES=$CHANGES
	for h in "${NODES[@]}"; do BASE_DIGESTS[$h]=${DIGESTS[$h]}; done
	wait_for 15 progress
	log_test $? 0 "  then replicas changed, every node took a digest"
}
roll_step "key 2 added on n1, n2, n3" all sync key add id 2 file "$WORK/key2"
roll_step "n1 signs with key 2" n1 sync key use id 2
roll_step "n2 signs with key 2" n2 sync key use id 2
roll_step "n3 signs with key 2" n3 sync key use id 2
roll_step "key 1 deleted on n1, n2, n3" all sync key del id 1

wait_for 20 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "after the roll: every flow has its replica ($SYNC_SUMMARY)"

stats_all "${NODES[@]}"
for h in "${NODES[@]}"; do
	j=${STATS[$h]}
	bad=""
	for k in "${ROLL_STATS[@]}"; do
		d=$(( $(json_num "$j" "$k") - ${rb[$h.$k]} ))
		((d)) && bad+=" $k +$d"
	done
	[[ -z $bad ]]
	log_test $? 0 "$h: no bad MAC, unknown key or unsigned datagram during the roll"
	[[ -n $bad ]] && log_info "$h:$bad"
done
keys_ok=0
in_parallel sync "${NODES[@]}"
for h in "${NODES[@]}"; do
	j=$(<"$WORK/sync.$h")
	j=${j//[[:space:]]/}
	[[ $j == *'"auth":true'* && $j == *'"keys":[{"id":2,"in_use":true}]'* ]] ||
		{ keys_ok=1; log_info "$h: $j"; }
done
log_test $keys_ok 0 "every node: key 2 alone, in use"

# Negative control: a key the others lack.
sessha_in n1 sync key add id 3 file "$WORK/key3" &&
	sessha_in n1 sync key use id 3
log_test $? 0 "n1 alone switches to key 3"
bad_key_seen() {
	local h v

	stats_all n2 n3 || return 1
	for h in n2 n3; do
		v=$(json_num "${STATS[$h]}" sync_rx_bad_key) || return 1
		((v > ${rb[$h.sync_rx_bad_key]})) || return 1
	done
}
wait_for 15 bad_key_seen
log_test $? 0 "n2 and n3 reject n1's datagrams: sync_rx_bad_key rises"
log_info "sync_rx_bad_key: n2 $(json_num "${STATS[n2]}" sync_rx_bad_key), n3 $(json_num "${STATS[n3]}" sync_rx_bad_key)"

stop_client
client_status
expect "$(json_num "$STATUS" errors)" -eq 0 "no long-lived connection saw an error"
expect "$(json_num "$STATUS" churn_errors)" -eq 0 \
	"every short connection worked ($(json_num "$STATUS" churn_ok))"
check_dmesg
test_exit
