#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 05-bad-input: hostile or mistaken input is refused and leaves no trace.
#
# Topology: lib.sh's switch with client, n1 and n2 only, sessha configured
# on n1 alone (crafted sync comes from n2's namespace), plus two scratch
# namespaces ($cli, $nl) not connected to anything.
#   1. tools/test-cli-parse.sh passes (in $cli).
#   2. CLI semantic errors in $cli (duplicate node id or address, a second
#      local node, unknown nodes in a service, unknown service,
#      nonexistent node/service/backend deleted): exit 1 (the kernel
#      refused; 2 for a malformed address, refused by the CLI itself),
#      nothing on stdout, exactly one "Error: ..." line on stderr, and the
#      configuration afterwards is exactly what the valid commands built.
#   3. Raw generic netlink (genl.py, in $nl): malformed attributes (wrong
#      address length, unknown or unlisted attribute, missing attribute,
#      out-of-range values, over-long or unflagged nests) all get an error,
#      never success, and leave nothing half-created.
#   4. Permissions: without CAP_NET_ADMIN (setpriv to nobody), or as root
#      of a user namespace that does not own the network namespace
#      (unshare -U), a mutating request gets EPERM while dumps work; as
#      root of a user namespace that owns its network namespace (unshare
#      -U -n) it works.
#   5. Sync datagrams (wire format v3) to n1's port 7484: a valid add
#      from n2 creates a replica and a valid delete removes it (positive
#      controls); truncated (header, records, MAC), wrong version (v4,
#      a v2 and a v1 datagram, random bytes), wrong type, trailing bytes
#      or body sizes, bad records, spoofed or unknown senders and a
#      signed datagram while n1 has no key are each dropped with exactly
#      their counter, and no session appears for them. A record from a
#      node that neither owns the flow nor takes it over from its owner
#      is refused (sync_rx_conflict); one from the node next in the
#      flow's order is taken.
#   6. No kernel warning.

source "$(dirname "$0")/lib.sh"

require_sessha
dmesg_mark
setup_topology client n1 n2 || { log_test 1 0 "topology"; test_exit; }
NS[cli]="$NS_PREFIX-cli"
NS[nl]="$NS_PREFIX-nl"
pretty "" "ip netns add ${NS[cli]} ${NS[nl]}"
ip -batch - <<<"netns add ${NS[cli]}"$'\n'"netns add ${NS[nl]}"

# ---------------------------------------------------------------- 1. parse
# test-cli-parse.sh needs no kernel and takes a second on the host, but it
# starts ~650 small processes: one to four minutes in the TCG guest. It
# runs in the background, in its own process group, while the rest goes
# on, and gets PARSE_BUDGET more seconds at the end; past that it is
# stopped and reported as a skip ("make -C tools check" runs it on a host).
: "${PARSE_BUDGET:=30}"
parse_test=$TOP_DIR/tools/test-cli-parse.sh
if [[ -x $parse_test ]]; then
	pretty cli "tools/test-cli-parse.sh $SESSHA (in the background)"
	setsid ip netns exec "${NS[cli]}" "$parse_test" "$SESSHA" \
		> "$WORK/cli-parse.log" 2>&1 &
	PARSE_PID=$!
fi

# ---------------------------------------------------------------- 2. CLI
# All the commands in one shell in $scratch (a launch costs in the guest);
# each one's exit status, stdout and stderr land in $WORK/cli.N.*.
CLI_CMDS=()
cli_ok() { CLI_CMDS+=("ok|accepted: sessha $*|$*"); }
cli_bad() { local what=$1; shift; CLI_CMDS+=("bad|refused: $what|$*"); }
# refused by the CLI itself, before anything is sent: exit 2
cli_badarg() { local what=$1; shift; CLI_CMDS+=("badarg|refused: $what|$*"); }

cli_ok node add id 1 addr 10.77.0.11 local
cli_ok node add id 2 addr 10.77.0.12
cli_ok node add id 3 addr 10.77.0.13
cli_ok service add id 1 vip $VIP proto tcp port 80 policy ring nodes 1,2,3
cli_ok backend add service 1 id 1 addr 10.77.0.21
cli_bad "duplicate node id" node add id 1 addr 10.77.0.99
cli_bad "duplicate node address" node add id 4 addr 10.77.0.12
cli_bad "a second local node" node add id 5 addr 10.77.0.15 local
cli_bad "unknown node in a ring service" \
	service add id 2 vip $VIP proto tcp port 81 policy ring nodes 1,9
cli_bad "unknown backup node in a pairs service" \
	service add id 2 vip $VIP proto tcp port 81 policy pairs 1:2,2:9
cli_bad "duplicate service id" \
	service add id 1 vip $VIP proto tcp port 82 policy ring nodes 1,2
cli_bad "backend of an unknown service" backend add service 7 id 1 addr 10.77.0.21
cli_bad "duplicate backend id" backend add service 1 id 1 addr 10.77.0.22
cli_bad "deleting a nonexistent node" node del id 77
cli_bad "setting a nonexistent node down" node set id 77 down
cli_bad "deleting a nonexistent service" service del id 9
cli_bad "deleting a nonexistent backend" backend del service 1 id 9
# IPv6: the same rules, and what only IPv6 can get wrong.
cli_ok node add id 4 addr fd77::14
cli_bad "duplicate IPv6 node address, written differently" \
	node add id 6 addr fd77:0:0::0:14
cli_bad "an IPv4-mapped node address" node add id 6 addr ::ffff:10.77.0.16
cli_bad "a multicast IPv6 node address" node add id 6 addr ff02::1
cli_badarg "a malformed IPv6 address" node add id 6 addr fd77:::16
cli_ok service add id 3 vip fd77:100::1 proto tcp port 80 policy ring nodes 1,2,4
cli_ok backend add service 3 id 1 addr fd77::21
cli_ok backend add service 3 id 2 addr 10.77.0.22
cli_bad "an unspecified IPv6 backend" backend add service 3 id 3 addr ::
cli_bad "a multicast IPv6 VIP" \
	service add id 4 vip ff05::1 proto tcp port 80 policy ring nodes 1,2
cli_ok -j node show
cli_ok -j service show

script=""
for i in "${!CLI_CMDS[@]}"; do
	IFS='|' read -r kind what args <<<"${CLI_CMDS[$i]}"
	pretty cli "sessha $args"
	script+="\"\$SESSHA\" $args >$WORK/cli.$i.out 2>$WORK/cli.$i.err; echo \$? >$WORK/cli.$i.rc"$'\n'
done
SESSHA=$SESSHA ip netns exec "${NS[cli]}" sh -c "$script"
for i in "${!CLI_CMDS[@]}"; do
	IFS='|' read -r kind what args <<<"${CLI_CMDS[$i]}"
	rc=$(<"$WORK/cli.$i.rc") out=$(<"$WORK/cli.$i.out") err=$(<"$WORK/cli.$i.err")
	if [[ $kind == ok ]]; then
		log_test "$rc" 0 "$what" || log_info "stderr: $err"
		continue
	fi
	mapfile -t lines < "$WORK/cli.$i.err"
	want=1
	[[ $kind == badarg ]] && want=2
	if [[ $rc -eq $want && -z $out && ${#lines[@]} -eq 1 && $err == "Error: "* ]]; then
		log_test 0 0 "$what"
		log_info "$err"
	else
		log_test 1 0 "$what"
		log_info "sessha $args: exit $rc, stdout '$out', stderr '$err'"
	fi
done
nodes=$(json_count "$(<"$WORK/cli.$((i - 1)).out")" '"id":')
expect "$nodes" -eq 4 "afterwards: exactly the 4 valid nodes"
out=$(<"$WORK/cli.$((i - 1)).out")
[[ ${out//[[:space:]]/} == *'"addr":"fd77::14"'* ]]
log_test $? 0 "afterwards: the IPv6 node, its address in canonical form"
out=$(<"$WORK/cli.$i.out") out=${out//[[:space:]]/}
[[ $(json_count "$out" '"vip":') -eq 2 && $(json_count "$out" '"addr":') -eq 3 &&
   $out == *'"vip":"fd77:100::1"'* ]]
log_test $? 0 "afterwards: exactly the 2 valid services and their 3 backends"

# ---------------------------------------------------------------- 3. netlink
pretty nl "genl.py malformed"
run_checks ip netns exec "${NS[nl]}" $PYTHON "$LIB_DIR/genl.py" malformed

# ---------------------------------------------------------------- 4. perms
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups
	--inh-caps=-all --bounding-set=-all --)
pretty nl "setpriv (nobody, no capabilities) sessha node add ..."
ip netns exec "${NS[nl]}" "${nobody[@]}" "$SESSHA" node add id 42 addr 10.77.0.42 \
	> "$WORK/out" 2> "$WORK/err"
rc=$?
[[ $rc -eq 1 && $(<"$WORK/err") == "Error: "*ermitted* ]]
log_test $? 0 "CLI without CAP_NET_ADMIN: node add refused with EPERM"
log_info "$(<"$WORK/err")"
pretty nl "setpriv (nobody, no capabilities) sessha -j node show"
ip netns exec "${NS[nl]}" "${nobody[@]}" "$SESSHA" -j node show > "$WORK/out" 2>&1
log_test $? 0 "CLI without CAP_NET_ADMIN: node show works"
pretty nl "setpriv (nobody, no capabilities) genl.py unpriv"
run_checks ip netns exec "${NS[nl]}" "${nobody[@]}" $PYTHON "$LIB_DIR/genl.py" unpriv
pretty nl "unshare -U -r sessha node add id 43 ..."
ip netns exec "${NS[nl]}" unshare -U -r "$SESSHA" node add id 43 addr 10.77.0.43 \
	> "$WORK/out" 2> "$WORK/err"
rc=$?
[[ $rc -eq 1 && $(<"$WORK/err") == "Error: "*ermitted* ]]
log_test $? 0 "root of a user namespace not owning the netns: EPERM"
log_info "$(<"$WORK/err")"
pretty "" "unshare -U -r -n genl.py userns-admin"
run_checks unshare -U -r -n $PYTHON "$LIB_DIR/genl.py" userns-admin

# ---------------------------------------------------------------- 5. sync
# n1 knows nodes 1 (itself), 2 and 3; service 1 with backends 1-3. Nothing
# runs sessha in n2's namespace: the datagrams "from node 2" are ours
# alone, one stream (epoch $EPOCH, seq 1, 2, ...), unsigned, as n1 has no
# key.
sessha_config_lines n1 | sessha_script n1
log_test $? 0 "sessha config on n1"

SYNC_STATS=(sync_rx_short sync_rx_version sync_rx_type sync_rx_length
	    sync_rx_unknown_peer sync_rx_bad_record sync_rx_bad_key
	    sync_rx_unauth sync_rx_bad_mac sync_rx_replay sync_rx_conflict
	    sync_rx_disabled replicas_created replicas_deleted sync_rx_records)
DROP_STATS=(sync_rx_short sync_rx_version sync_rx_type sync_rx_length
	    sync_rx_unknown_peer sync_rx_bad_record sync_rx_bad_key)
declare -A before=() after=()
snap() {
	# snap ARRAY: n1's sync counters into the associative array
	local -n arr=$1
	local j k

	j=$(stats_of n1)
	for k in "${SYNC_STATS[@]}"; do
		arr[$k]=$(json_num "$j" "$k")
	done
}
delta() { echo $(( ${after[$1]} - ${before[$1]} )); }
sessions_n1() { local j; j=$(sessha_json n1 session show); echo "${j//[[:space:]]/}"; }

snap before
# Each wrong in one way; grouped by the counter that must take it.
M_SHORT=(short-header short-records short-mac)
M_VERSION=(version version2 version1 random random random)
M_TYPE=(type type0)
M_LENGTH=(trailing ctl-length digest-count)
M_RECORD=(bad-op bad-flags bad-reserved bad-delete-state bad-service bad-backend bad-state
	  bad-timeout bad-family)
M_PEER=(spoof unknown-sender stranger@"${NS[client]}")
M_KEY=(add,key_id=1,cport=40001)	# signed, but n1 has no key
MALFORMED=("${M_SHORT[@]}" "${M_VERSION[@]}" "${M_TYPE[@]}" "${M_LENGTH[@]}"
	   "${M_RECORD[@]}" "${M_PEER[@]}" "${M_KEY[@]}")
tick; EPOCH=${NOW}000000
pretty n2 "traffic.py rawsync add ${MALFORMED[*]}"
$TRAFFIC rawsync --netns "${NS[n2]}" --to "${ADDR[n1]}:$SYNC_PORT" \
	--sender 2 --spoof-sender 3 --cport 40000 --client "${ADDR[client]}" \
	--epoch "$EPOCH" --case add "${MALFORMED[@]/#/--case=}" \
	> "$WORK/rawsync.log"
log_test $? 0 "sent 1 valid and ${#MALFORMED[@]} malformed v3 sync datagrams"

# The valid one is the last to be processed only if nothing reorders
# them; wait for it, then for the counters to account for all the others.
n1_has_replica() {
	SESS=$(sessions_n1)
	[[ $SESS == *'"cport":40000'*'"role":"replica","owner":2'* ]]
}
wait_for 10 n1_has_replica
log_test $? 0 "valid add from node 2: a replica on n1 (owner 2)"
all_counted() {
	local k total=0

	snap after
	for k in "${DROP_STATS[@]}"; do
		total=$((total + $(delta $k)))
	done
	DROPPED=$total
	((total >= ${#MALFORMED[@]}))
}
wait_for 10 all_counted
expect "$DROPPED" -eq ${#MALFORMED[@]} "every malformed datagram dropped and counted once"
expect "$(delta sync_rx_short)" -eq ${#M_SHORT[@]} \
	"truncated header, records, MAC: sync_rx_short"
expect "$(delta sync_rx_version)" -eq ${#M_VERSION[@]} \
	"version 4, a v2 and a v1 datagram, random bytes: sync_rx_version"
expect "$(delta sync_rx_type)" -eq ${#M_TYPE[@]} "type 9 and 0: sync_rx_type"
expect "$(delta sync_rx_length)" -eq ${#M_LENGTH[@]} \
	"trailing bytes, control/digest size: sync_rx_length"
expect "$(delta sync_rx_bad_record)" -eq ${#M_RECORD[@]} \
	"bad op/reserved bits/delete state/service/backend/state/timeout/family: bad_record"
expect "$(delta sync_rx_unknown_peer)" -eq ${#M_PEER[@]} \
	"spoofed id, unknown id, non-node address: sync_rx_unknown_peer"
expect "$(delta sync_rx_bad_key)" -eq ${#M_KEY[@]} \
	"signed while n1 has no key: sync_rx_bad_key"
expect "$(( $(delta sync_rx_replay) + $(delta sync_rx_unauth) + $(delta sync_rx_bad_mac) ))" -eq 0 \
	"nothing taken for a replay, unauthenticated or a bad MAC"
expect "$(delta replicas_created)" -eq 1 "only the valid record created a replica"
SESS=$(sessions_n1)
expect "$(json_count "$SESS" '"cport":')" -eq 1 "no session for any malformed record"

pretty n2 "traffic.py rawsync del"
$TRAFFIC rawsync --netns "${NS[n2]}" --to "${ADDR[n1]}:$SYNC_PORT" \
	--sender 2 --cport 40000 --client "${ADDR[client]}" --case del \
	--epoch "$EPOCH" --seq 100 > "$WORK/rawsync.log"
n1_empty() { [[ $(sessions_n1) == '[]' ]]; }
wait_for 10 n1_empty
log_test $? 0 "valid delete from node 2 removes the replica"
snap after
expect "$(delta replicas_deleted)" -eq 1 "replicas_deleted counts it"

# Only a flow's owner may write its replica: the policy's owner, or the
# node that takes over from it. traffic.py policy computes the ring order
# as kmod/policy.c does.
NOT_OWNED=$($TRAFFIC policy --client "${ADDR[client]}" --node 2 --rank 2)
TAKES_OVER=$($TRAFFIC policy --client "${ADDR[client]}" --node 2 --rank 1)
log_info "ring order: $NOT_OWNED (2 last), $TAKES_OVER (2 next after the owner)"
NOT_OWNED=${NOT_OWNED%% *} TAKES_OVER=${TAKES_OVER%% *}
snap before
pretty n2 "traffic.py rawsync add,cport=$NOT_OWNED add,cport=$TAKES_OVER"
$TRAFFIC rawsync --netns "${NS[n2]}" --to "${ADDR[n1]}:$SYNC_PORT" \
	--sender 2 --client "${ADDR[client]}" --epoch "$EPOCH" --seq 200 \
	--case add,cport="$NOT_OWNED" --case add,cport="$TAKES_OVER" \
	> "$WORK/rawsync.log"
n1_has_takeover() { [[ $(sessions_n1) == *"\"cport\":$TAKES_OVER"* ]]; }
wait_for 10 n1_has_takeover
log_test $? 0 "an add from the node next after the flow's owner is taken"
snap after
expect "$(delta sync_rx_conflict)" -eq 1 \
	"an add from a node last in the flow's order: sync_rx_conflict"
SESS=$(sessions_n1)
expect "$(json_count "$SESS" "\"cport\":$NOT_OWNED,")" -eq 0 "and no session for it"

parse_running() { kill -0 "$PARSE_PID" 2>/dev/null; }
if [[ -n ${PARSE_PID:-} ]]; then
	pretty cli "wait up to ${PARSE_BUDGET}s for test-cli-parse.sh"
	if wait_for "$PARSE_BUDGET" eval '! parse_running'; then
		wait "$PARSE_PID"
		rc=$?
		log_test $rc 0 "tools/test-cli-parse.sh: $(tail -n 1 "$WORK/cli-parse.log")"
		((rc)) && grep -A4 'FAIL' "$WORK/cli-parse.log" | head -40 | sed 's/^/      /'
	else
		kill -- -"$PARSE_PID" 2>/dev/null || kill "$PARSE_PID"
		wait "$PARSE_PID" 2>/dev/null
		ran=$(grep -c '^TEST:' "$WORK/cli-parse.log")
		failed=$(grep -c '\[FAIL\]' "$WORK/cli-parse.log")
		if ((failed)); then
			log_test 1 0 "tools/test-cli-parse.sh: $failed of the first $ran vectors failed"
			grep -A4 'FAIL' "$WORK/cli-parse.log" | head -40 | sed 's/^/      /'
		else
			log_skip "tools/test-cli-parse.sh: too slow here, stopped after $ran vectors (all passed)"
		fi
	fi
else
	log_skip "tools/test-cli-parse.sh not found"
fi

check_dmesg
test_exit
