#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 18-apply: a configuration file applied to a live cluster changes only
# what differs and drops no session; a node restarted the way
# sessha.service starts a host joins, and takes its flows back.
#
# Topology: lib.sh. Service 1, tcp/80, ring over nodes 1,2,3. 60
# long-lived connections, a message every 1.5 s each.
#   1. On every host, "sessha save | sessha apply --dry-run -" prints
#      nothing: the saved configuration is the running one.
#   2. The saved file plus a backend 4 and b1 at weight 2: "apply
#      --dry-run" on n1 prints exactly those two commands; "apply" on
#      fwd, n1, n2 and n3 makes "service show" list four backends. Every
#      connection answers afterwards, and every flow still has its
#      replica in order (no session was touched).
#   3. Negative control: a file whose line 3 is bad is refused whole
#      (exit 2, "line 3"), and service show is as before.
#   4. n1 crashes and is marked down; its namespace is created again and
#      configured by the ExecStart lines of tools/sessha.service.in, as
#      the unit runs them (modprobe skipped: the module is loaded; the
#      file at /etc/sessha/sessha.conf replaced by n1's saved file, in
#      n1's namespace), and reports sync ready from its peers' answers.
#      Marked up, it takes its flows back.
#   5. Over it all: no reset or error, no backend change; n1's flows
#      answered after the failover and after the failback.
#
# variants: 4

source "$(dirname "$0")/lib.sh"

CONNS=60
INTERVAL=1.5
UNIT=$TOP_DIR/tools/sessha.service.in

save_all() {
	# save_all: every host's running configuration in $WORK/conf.HOST
	local h

	for h in fwd "${NODES[@]}"; do
		"$SESSHA" -n "${NS[$h]}" save > "$WORK/conf.$h" || return 1
	done
}

dry_run_empty() {
	# dry_run_empty HOST FILE: apply --dry-run of FILE prints nothing
	local out

	out=$("$SESSHA" -n "${NS[$1]}" apply "$2" --dry-run 2>&1) &&
		[[ -z $out ]] || { log_info "$1: $out"; return 1; }
}

backends_of() {
	# backends_of HOST: how many backends service 1 has there
	json_count "$(sessha_json "$1" service show)" '"addr":'
}

unit_start() {
	# unit_start HOST CONF: the unit's ExecStart lines, modprobe skipped,
	# @SBINDIR@/sessha as $SESSHA -n HOST, and CONF for the config file
	local h=$1 conf=$2 line cmd rc=0

	while IFS= read -r line; do
		[[ $line == ExecStart=* ]] || continue
		cmd=${line#ExecStart=}
		[[ $cmd == */modprobe* ]] && continue
		cmd=${cmd//@SBINDIR@\/sessha/$SESSHA -n ${NS[$h]}}
		cmd=${cmd//\/etc\/sessha\/sessha.conf/$conf}
		pretty "$h" "$cmd   # sessha.service"
		$cmd || rc=1
	done < "$UNIT"
	return $rc
}

require_sessha
dmesg_mark
ha_start $CONNS $INTERVAL || test_exit
wait_for 60 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "every flow has its replica on its backup ($SYNC_SUMMARY)"

# ---------------------------------------------------------------- 1.
save_all
log_test $? 0 "sessha save on fwd, n1, n2, n3" || test_exit
ok=0
for h in fwd "${NODES[@]}"; do
	dry_run_empty "$h" "$WORK/conf.$h" || ok=1
done
log_test $ok 0 "save | apply --dry-run: nothing to do on any host"

# ---------------------------------------------------------------- 2.
B4="backend add service 1 id 4 addr ${ADDR[b3]}"
for h in fwd "${NODES[@]}"; do
	sed "s/^\(backend add service 1 id 1 addr [^ ]*\)$/\1 weight 2/" \
		"$WORK/conf.$h" > "$WORK/new.$h"
	echo "$B4" >> "$WORK/new.$h"
done
plan=$("$SESSHA" -n "${NS[n1]}" apply "$WORK/new.n1" --dry-run 2>&1)
log_info "n1's plan: ${plan//$'\n'/; }"
log_test "$([[ $(grep -vc '^#' <<<"$plan") -eq 2 && $plan == *"$B4"* &&
	       $plan == *"backend set service 1 id 1 weight 2"* ]]; echo $?)" 0 \
	"apply --dry-run on n1: the new backend and the new weight, nothing else"
tick; T_APPLY=$NOW
for h in fwd "${NODES[@]}"; do
	par sessha_in "$h" apply "$WORK/new.$h"
done
wait_all
log_test $? 0 "apply on fwd, n1, n2, n3"
expect "$(backends_of n1)" -eq 4 "n1's service 1 has four backends"
ok=0
for h in fwd "${NODES[@]}"; do
	dry_run_empty "$h" "$WORK/new.$h" || ok=1
done
log_test $ok 0 "applied: apply --dry-run of the same file has nothing left to do"
wait_for 30 client_replied_since "$T_APPLY"
log_test $? 0 "every connection answered after the apply"
wait_for 30 sync_check $CONNS "${NODES[@]}"
log_test $? 0 "every flow still has its replica in order ($SYNC_SUMMARY)"

# ---------------------------------------------------------------- 3.
{ head -n 2 "$WORK/new.n2"; echo "backend add service 1 id 5 addr nowhere"
  tail -n +3 "$WORK/new.n2"; } > "$WORK/bad.n2"
out=$("$SESSHA" -n "${NS[n2]}" apply "$WORK/bad.n2" 2>&1)
rc=$?
expect $rc -eq 2 "negative control: a file with a bad line 3 is refused (exit 2)"
log_test "$([[ $out == *"line 3"* ]]; echo $?)" 0 "and says where ($out)"
expect "$(backends_of n2)" -eq 4 "and nothing of it was applied on n2"

# ---------------------------------------------------------------- 4.
ha_crash n1
T_CRASH1=$T_CRASH T_DOWN1=$T_DOWN
wait_for 60 client_replied_since "$T_DOWN"
log_test $? 0 "every connection answered after n1 was marked down"
restart_host n1
log_test $? 0 "n1 restarted: fresh namespace, same MAC and address" || test_exit
unit_start n1 "$WORK/new.n1"
log_test $? 0 "n1 configured by sessha.service's own command lines"
wait_for 30 local_sync_ready n1
log_test $? 0 "n1 reports sync ready"
expect "$(stat_of n1 join_timeouts)" -eq 0 "ready because n2 and n3 answered, not by timeout"
expect "$(backends_of n1)" -eq 4 "n1 has the applied file's four backends"
mark_up n1
wait_for 60 client_replied_since "$T_UP"
log_test $? 0 "every connection answered after n1 was marked up"
wait_for 20 owns_all n1 "$WORK/affected.n1"
log_test $? 0 "n1 owns its $AFFECTED former flows again ($OWNED)"

# ---------------------------------------------------------------- 5.
stop_client
analyze_client "crash1,$T_CRASH1,$T_DOWN1,$WORK/affected.n1" \
	"back1,$T_UP_START,$T_UP,$WORK/affected.n1"
expect "${AN[errors]}" -eq 0 "no reset or error (${AN[error_list]})"
expect "${AN[changes]}" -eq 0 "every connection kept its backend, throughout"
expect "${AN[crash1.affected.recovered]}" -eq "$AFFECTED" \
	"n1's $AFFECTED connections answered after its failover"
expect "${AN[back1.affected.recovered]}" -eq "$AFFECTED" \
	"and after its failback"

check_dmesg
test_exit
