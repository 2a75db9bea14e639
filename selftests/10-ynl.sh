#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 10-ynl: the kernel's own YNL CLI (tools/net/ynl/cli.py) drives sessha
# from Documentation/netlink/specs/sessha.yaml alone: nodes, services and
# sessions come back as JSON with the spec's names.
#
#   ┌────────────────┐        ┌──────────────────────────────┐
#   │ $client .2     │  UDP   │ $n1 .11, node 1 (local)      │
#   │ VIP via .11    ├───────►│ service 7: VIP udp/5000      │
#   │ cport 40123    │  (sw)  │ backend 3 = .21 (not there:  │
#   └────────────────┘        │ the session is all we need)  │
#                             └──────────────────────────────┘
#
#   1. The spec validates against the schema; configured with $SESSHA in $n1, read back with cli.py in $n1:
#      node-get, service-get (with its backend and node list), session-get
#      (the client's port, backend 3), stats-get (sessions-created 1),
#      config-get (the default sync port).
#   2. Negative controls: in a fresh namespace the dumps are empty lists,
#      and a node-new --do without CAP_NET_ADMIN fails.
#   3. No kernel warning.
#
# Also in IPv6 everywhere (SESSHA_FAMILY=6: VIP, client, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

SPEC=$TOP_DIR/Documentation/netlink/specs/sessha.yaml
: "${YNL_DIR:=$TOP_DIR/build/ynl}"
# Not lib.sh's "python3 -I -S": cli.py imports its lib/ from its own
# directory, and PyYAML and jsonschema from dist-packages. The spec is
# checked against the schema once (--list-ops); the requests skip it, as
# validation takes seconds in the guest.
YNL_SCHEMA=(--schema "$YNL_DIR/genetlink-legacy.yaml")
YNL=(/usr/bin/python3 "$YNL_DIR/cli.py" --spec "$SPEC" --no-schema
     --output-json)
SID=7
SPORT=5000
CPORT=40123

require_sessha
[[ -r $YNL_DIR/cli.py ]] || skip_all "no YNL at $YNL_DIR (make ynl)"
command -v socat >/dev/null || skip_all "socat not found"
dmesg_mark
setup_topology client n1 || fail_all "topology"
NS[bare]="$NS_PREFIX-bare"
pretty "" "ip netns add ${NS[bare]}"
ip netns add "${NS[bare]}" || fail_all "scratch namespace"
ipn client route replace $VIP/$VIP_PLEN via "${ADDR[n1]}"

ynl_in() {
	# ynl_in HOST ARGS...: cli.py in HOST's namespace, JSON into $WORK/ynl
	local h=$1; shift

	pretty "$h" "cli.py --spec sessha.yaml $*"
	ip netns exec "${NS[$h]}" "${YNL[@]}" "$@" > "$WORK/ynl" 2> "$WORK/ynl.err"
}

ynl_check() {
	# ynl_check HOST MESSAGE EXPR CLI-ARGS...: EXPR (Python, over d = the
	# JSON reply) is true
	local h=$1 msg=$2 expr=$3; shift 3

	if ! ynl_in "$h" "$@"; then
		log_test 1 0 "$msg"
		log_info "cli.py failed: $(head -c 300 "$WORK/ynl" "$WORK/ynl.err")"
		return 1
	fi
	[[ $(json_py "$WORK/ynl" "bool($expr)" 2>&1) == True ]]
	log_test $? 0 "$msg" || log_info "reply: $(head -c 400 "$WORK/ynl")"
}

# ---------------------------------------------------------------- 1.
pretty "" "cli.py --spec sessha.yaml --schema genetlink-legacy.yaml --list-ops"
/usr/bin/python3 "$YNL_DIR/cli.py" --spec "$SPEC" "${YNL_SCHEMA[@]}" \
	--list-ops > "$WORK/ynl" 2>&1
[[ $? -eq 0 && $(<"$WORK/ynl") == *node-get* ]]
log_test $? 0 "the spec validates against genetlink-legacy.yaml" ||
	log_info "$(head -c 400 "$WORK/ynl")"
sessha_script n1 <<EOT
node add id 1 addr ${ADDR[n1]} local
service add id $SID vip $VIP proto udp port $SPORT policy ring nodes 1
backend add service $SID id 3 addr ${ADDR[b1]}
EOT
log_test $? 0 "sessha config on n1: node 1, service $SID, backend 3"

pretty client "socat $(vip_udp $SPORT),sourceport=$CPORT"
echo hello | ip netns exec "${NS[client]}" \
	socat -u - "$(vip_udp $SPORT),sourceport=$CPORT"
has_session() { [[ $(sessha_json n1 session show) == *"$CPORT"* ]]; }
wait_for 10 has_session
log_test $? 0 "UDP from the client: a session on n1 (sessha CLI)"

ynl_check n1 "ynl node-get: node 1, ${ADDR[n1]}, local, up" \
	"len(d) == 1 and d[0]['node-id'] == 1 and d[0]['node-addr'] == '${ADDR[n1]}' and d[0]['node-local'] and d[0]['node-state'] == 'up' and d[0]['sync-state'] in ('ready', 'joining')" \
	--dump node-get
ynl_check n1 "ynl service-get: service $SID, udp/$SPORT, ring over node 1" \
	"len(d) == 1 and d[0]['service-id'] == $SID and d[0]['service-vip'] == '$VIP' and d[0]['service-port'] == $SPORT and d[0]['service-proto'] == 17 and d[0]['service-policy'] == 'ring' and d[0]['service-nodes'] == {'node-id': [1]}" \
	--dump service-get
ynl_check n1 "ynl service-get: its backend 3 at ${ADDR[b1]}, weight 1" \
	"d[0]['service-backends'] == {'backend': [{'backend-id': 3, 'backend-addr': '${ADDR[b1]}', 'backend-weight': 1}]}" \
	--dump service-get
ynl_check n1 "ynl session-get: client port $CPORT, backend 3, owner 1" \
	"len(d) == 1 and d[0]['session-client-port'] == $CPORT and d[0]['session-client-addr'] == '${ADDR[client]}' and d[0]['backend-id'] == 3 and d[0]['service-id'] == $SID and d[0]['session-state'] == 'none' and d[0]['session-role'] == 'owner' and d[0]['session-owner'] == 1" \
	--dump session-get
ynl_check n1 "ynl session-get of service $SID only (request attribute)" \
	"len(d) == 1 and d[0]['session-client-port'] == $CPORT" \
	--dump session-get --json "{\"service-id\": $SID}"
ynl_check n1 "ynl stats-get: sessions-created 1, named by the spec" \
	"d['stats']['sessions-created'] == 1 and d['stats']['served-packets'] + d['stats']['drop-xmit'] >= 1 and 'join-timeouts' in d['stats']" \
	--do stats-get
ynl_check n1 "ynl config-get: sync port $SYNC_PORT, UDP timeout 300" \
	"d['sync-port'] == $SYNC_PORT and d['timeout-udp'] == 300 and d['sync-enabled'] == 1" \
	--do config-get

# ---------------------------------------------------------------- 2.
ynl_check bare "ynl in a namespace without config: node-get is []" \
	"d == []" --dump node-get
ynl_check bare "ynl in a namespace without config: session-get is []" \
	"d == []" --dump session-get
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups
	--inh-caps=-all --bounding-set=-all --)
pretty bare "setpriv (nobody) cli.py --do node-new"
ip netns exec "${NS[bare]}" "${nobody[@]}" "${YNL[@]}" --do node-new \
	--json '{"node-id": 42, "node-addr": "0a4d002a"}' > "$WORK/ynl" 2>&1
rc=$?
[[ $rc -ne 0 && $(<"$WORK/ynl") == *"Operation not permitted"* ]]
log_test $? 0 "ynl node-new without CAP_NET_ADMIN: refused (EPERM)"
log_info "$(grep -m1 "Netlink error" "$WORK/ynl")"
ynl_check bare "and no node was created" "d == []" --dump node-get

check_dmesg
test_exit
