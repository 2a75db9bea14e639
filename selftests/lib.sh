#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lib.sh - topology and helpers shared by the sessha selftests.
#
# Every host is a network namespace with one veth "eth0" into a bridge that
# lives in its own "switch" namespace; all hosts share 10.77.0.0/24, which
# exists only inside these namespaces. Namespace names carry the test's pid.
#
#                            ┌───────────────────────────┐
#                            │ $sw: br0 (vclient vfwd    │
#                            │ vn1 vn2 vn3 vb1 vb2 vb3)  │
#                            └─┬──┬──┬──┬──┬──┬──┬──┬────┘
#        ┌─────────────────────┘  │  │  │  │  │  │  └──────────────────────┐
#  ┌─────┴──────┐  ┌──────────────┴┐ │  │  │  │  │  ┌──────────────────────┴┐
#  │ $client    │  │ $fwd          │ │  │  │  │  │  │ $b3 .23               │
#  │ .2         │  │ .1            │ │  │  │  │  │  │ tunl0 up (ipip decap) │
#  │ VIP via .1 │  │ sessha hook:  │ │  │  │  │  │  │ lo: VIP/32            │
#  │ traffic.py │  │ VIP -> IPIP   │ │  │  │  │  │  │ traffic.py echo :80   │
#  │ client     │  │ to the owner  │ │  │  │  │  │  └───────────────────────┘
#  └────────────┘  └───────────────┘ │  │  │  │  │     ($b1 .21, $b2 .22 alike)
#            ┌───────────────────────┘  │  │  │  └─────────────┐
#      ┌─────┴────────┐  ┌──────────────┴┐ ┌┴──────────────┐ ┌─┴─────┐
#      │ $n1 .11      │  │ $n2 .12       │ │ $n3 .13       │ │ $b1.. │
#      │ node id 1    │  │ node id 2     │ │ node id 3     │ └───────┘
#      │ local        │  │ local         │ │ local         │
#      └──────────────┘  └───────────────┘ └───────────────┘
#             ◄──── session sync, UDP 7484, between n1 n2 n3 ────►
#
#  client ──TCP──► fwd ──IPIP──► owner node ──IPIP──► backend ──TCP──► client
#                                                     (direct server return)
#
# Each host's eth0 is 10.77.0.<n>/24 (.2 client, .1 fwd, .11-.13 nodes,
# .21-.23 backends); the VIP is 10.77.100.1, TCP port 80. The forwarder and
# the three nodes carry the same sessha nodes, services and backends; on each
# node its own entry is added with "local". A node is crashed by setting its
# port on the bridge down: from then on nothing it sends reaches anyone.

LIB_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
TOP_DIR=$(dirname "$LIB_DIR")
# -I -S: no site, no environment; starting Python costs a second in TCG.
PYTHON="/usr/bin/python3 -I -S"
TRAFFIC="$PYTHON $LIB_DIR/traffic.py"
: "${SESSHA_KO:=$TOP_DIR/kmod/sessha.ko}"
: "${SESSHA:=$TOP_DIR/tools/sessha}"
: "${VERBOSE:=1}"

ksft_pass=0
ksft_fail=1
ksft_skip=4

SUBNET=10.77.0
SUBNET6=fd77:
VPORT=80
SYNC_PORT=7484
HOSTS=(client fwd n1 n2 n3 b1 b2 b3)
NODES=(n1 n2 n3)
BACKENDS=(b1 b2 b3)
declare -A ADDR4=([client]=$SUBNET.2 [fwd]=$SUBNET.1
		  [n1]=$SUBNET.11 [n2]=$SUBNET.12 [n3]=$SUBNET.13
		  [b1]=$SUBNET.21 [b2]=$SUBNET.22 [b3]=$SUBNET.23)
declare -A ADDR6=([client]=$SUBNET6:2 [fwd]=$SUBNET6:1
		  [n1]=$SUBNET6:11 [n2]=$SUBNET6:12 [n3]=$SUBNET6:13
		  [b1]=$SUBNET6:21 [b2]=$SUBNET6:22 [b3]=$SUBNET6:23)
# The family variant (the kselftest harness's FIXTURE_VARIANT, for shell):
#   4       IPv4 everywhere (the default)
#   6       IPv6 everywhere: VIP, clients, node and backend addresses;
#           tunnels are IPv6 in IPv6, backends decapsulate on ip6tnl0
#   6over4  an IPv6 VIP and clients over the IPv4 fabric: nodes and
#           backends keep IPv4 addresses, tunnels are IPv6 in IPv4,
#           backends decapsulate on sit0
#   4over6  an IPv4 VIP and clients over the IPv6 fabric: tunnels are
#           IPv4 in IPv6, backends decapsulate on s46 (ip6tnl, mode any)
# Every host has both families on eth0; ADDR is the fabric's (sessha
# nodes, backends), CLIENT_ADDR and VIP the client side's.
SESSHA_FAMILY=${SESSHA_FAMILY:-4}
declare -A ADDR=()
case $SESSHA_FAMILY in
4)	for h in "${!ADDR4[@]}"; do ADDR[$h]=${ADDR4[$h]}; done
	VIP=10.77.100.1 VIP_PLEN=32 CLIENT_ADDR=${ADDR4[client]}
	FWD_ADDR=${ADDR4[fwd]};;
6)	for h in "${!ADDR6[@]}"; do ADDR[$h]=${ADDR6[$h]}; done
	VIP=fd77:100::1 VIP_PLEN=128 CLIENT_ADDR=${ADDR6[client]}
	FWD_ADDR=${ADDR6[fwd]};;
6over4)	for h in "${!ADDR4[@]}"; do ADDR[$h]=${ADDR4[$h]}; done
	VIP=fd77:100::1 VIP_PLEN=128 CLIENT_ADDR=${ADDR6[client]}
	FWD_ADDR=${ADDR6[fwd]};;
4over6)	for h in "${!ADDR6[@]}"; do ADDR[$h]=${ADDR6[$h]}; done
	VIP=10.77.100.1 VIP_PLEN=32 CLIENT_ADDR=${ADDR4[client]}
	FWD_ADDR=${ADDR4[fwd]};;
*)	echo "SESSHA_FAMILY must be 4, 6, 6over4 or 4over6" >&2; exit 1;;
esac
declare -A NODE_ID=([n1]=1 [n2]=2 [n3]=3)
declare -A BACKEND_ID=([b1]=1 [b2]=2 [b3]=3)
declare -A NS=()
# Services installed by sessha_all: "SID PROTO PORT POLICY-ARGS".
SERVICES=("1 tcp $VPORT policy ring nodes 1,2,3")

TEST_NAME=$(basename "$0" .sh)
NS_PREFIX="sessha-$$"
WORK=""
BG_PIDS=()
nsuccess=0
nfail=0
nskip=0

# ------------------------------------------------------------ output

# Commands are echoed to fd 3, the test's stdout, so $(...) never sees them.
exec 3>&1

pretty() {
	# pretty HOST|"" TEXT: echo a command with the host it runs on
	[[ $VERBOSE == 0 ]] && return 0
	local t

	tick
	t=$((NOW - T_START))
	printf '[+] %3d.%d %s%s\n' $((t / 1000)) $((t % 1000 / 100)) \
		"${1:+$1: }" "$2" >&3
}

log_test() {
	# log_test RC EXPECTED MESSAGE
	local rc=$1 expected=$2 msg=$3

	if [[ $rc -eq $expected ]]; then
		printf "TEST: %-64s [ OK ]\n" "$msg"
		nsuccess=$((nsuccess + 1))
	else
		printf "TEST: %-64s [FAIL]\n" "$msg"
		nfail=$((nfail + 1))
		return 1
	fi
}

expect() {
	# expect A OP B MESSAGE: an integer comparison (test(1) OP) as a test;
	# anything that is not a number fails
	local a=$1 op=$2 b=$3 msg=$4

	if [[ $a =~ ^-?[0-9]+$ && $b =~ ^-?[0-9]+$ ]] && [ "$a" "$op" "$b" ]; then
		log_test 0 0 "$msg"
	else
		log_test 1 0 "$msg"
		log_info "expected $op $b, got '$a'"
		return 1
	fi
}

check() {
	# check MESSAGE COMMAND...: run COMMAND (quietly), log its verdict
	local msg=$1; shift

	"$@" >/dev/null 2>&1
	log_test $? 0 "$msg"
}

run_checks() {
	# run_checks COMMAND...: a checker that prints "PASS msg" or "FAIL
	# msg" per assertion, anything else as information
	local out line

	out=$(mktemp "${WORK:-/tmp}/checks.XXXXXX")
	"$@" > "$out" 2>&1 || echo "FAIL checker exited with $?: $*" >> "$out"
	while IFS= read -r line; do
		case $line in
		"PASS "*) log_test 0 0 "${line#PASS }";;
		"FAIL "*) log_test 1 0 "${line#FAIL }";;
		*) log_info "$line";;
		esac
	done < "$out"
}

log_skip() {
	printf "TEST: %-64s [SKIP]\n" "$1"
	nskip=$((nskip + 1))
}

log_info() {
	printf "      %s\n" "$*"
}

skip_all() {
	echo "SKIP: $TEST_NAME: $*"
	exit $ksft_skip
}

test_exit() {
	# kselftest exit code: any failure 1, nothing but skips 4, else 0
	echo "$TEST_NAME: $nsuccess passed, $nfail failed, $nskip skipped"
	((nfail)) && exit $ksft_fail
	((nsuccess == 0 && nskip)) && exit $ksft_skip
	exit $ksft_pass
}

# ------------------------------------------------------------ time, waiting

# tick sets NOW (ms since the epoch) without forking; now_ms prints it.
tick() { local t=${EPOCHREALTIME/./}; NOW=$((t / 1000)); }
now_ms() { tick; echo $NOW; }
tick; T_START=$NOW

# A sleep that forks nothing: read from a FIFO that never gets data.
# (No process substitution: the guest has no /dev/fd.)
nap_init() {
	local fifo

	fifo=$(mktemp -u /tmp/sessha-nap.XXXXXX) && mkfifo "$fifo" &&
		exec {SLEEP_FD}<>"$fifo" && rm -f "$fifo"
}
nap_init
nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }

wait_for() {
	# wait_for TIMEOUT_S COMMAND...: poll COMMAND every 0.2 s until it
	# succeeds; returns its last status
	local timeout=$1; shift
	local end

	tick
	end=$((NOW + timeout * 1000))
	while ! "$@"; do
		tick
		((NOW > end)) && return 1
		nap 0.2
	done
	return 0
}

# ------------------------------------------------------------ JSON

json_num() {
	# json_num JSON KEY: the first number under "KEY" (flat objects)
	local re="\"$2\"[[:space:]]*:[[:space:]]*(-?[0-9]+)"

	[[ $1 =~ $re ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

json_count() {
	# json_count JSON '"key":"value"': occurrences, whitespace-tolerant
	local s=${1//[[:space:]]/} n=0
	local pat=${2//[[:space:]]/}

	while [[ $s == *"$pat"* ]]; do
		s=${s#*"$pat"}
		n=$((n + 1))
	done
	echo $n
}

json_py() {
	# json_py FILE EXPR: print a Python expression over d = json(FILE)
	$PYTHON -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ------------------------------------------------------------ namespaces

n_exec() {
	# n_exec HOST COMMAND...: run COMMAND in HOST's namespace
	local h=$1; shift

	pretty "$h" "$*"
	ip netns exec "${NS[$h]}" "$@"
}

ipn() {
	local h=$1; shift

	pretty "$h" "ip $*"
	ip -n "${NS[$h]}" "$@"
}

# The CLI enters a namespace itself (-n, as ip -n): one process launch
# instead of two, which is what a guest command costs most.
sessha_in() {
	# sessha_in HOST ARGS...: the CLI in HOST's namespace
	local h=$1; shift

	pretty "$h" "sessha $*"
	"$SESSHA" -n "${NS[$h]}" "$@"
}

sessha_json() {
	# sessha_json HOST ARGS...: JSON output of the CLI, quietly
	local h=$1; shift

	"$SESSHA" -n "${NS[$h]}" -j "$@"
}

sessha_script() {
	# sessha_script HOST: run the sessha commands on stdin (one per line)
	# in HOST's namespace, in one process (-batch); stop at the first
	# failure
	local h=$1 line script=""

	while read -r line; do
		[[ -z $line ]] && continue
		pretty "$h" "sessha $line"
		script+="$line"$'\n'
	done
	printf '%s' "$script" | "$SESSHA" -n "${NS[$h]}" -batch -
}

in_parallel() {
	# in_parallel WHAT HOST...: "sessha -j WHAT show" on the hosts at once,
	# into $WORK/WHAT.HOST (a process launch is the guest's big cost)
	local what=$1 h p rc=0
	local -a pids=()

	shift
	for h in "$@"; do
		sessha_json "$h" "$what" show > "$WORK/$what.$h" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || rc=1
	done
	return $rc
}

declare -A STATS=()
stats_all() {
	# stats_all HOST...: each one's counters, as one line of JSON, in
	# STATS[HOST]
	local h j

	in_parallel stats "$@" || return 1
	for h in "$@"; do
		j=$(<"$WORK/stats.$h")
		STATS[$h]=${j//[[:space:]]/}
	done
}

stats_of() {
	# stats_of HOST: sessha stats as one line of JSON
	local j

	j=$(sessha_json "$1" stats show) || return 1
	echo "${j//[[:space:]]/}"
}

stat_of() {
	# stat_of HOST COUNTER
	local j

	j=$(stats_of "$1") && json_num "$j" "$2"
}

# ------------------------------------------------------------ prerequisites

require_root() {
	[[ $(id -u) -eq 0 ]] || skip_all "must run as root"
	for t in ip /usr/bin/python3; do
		command -v "$t" >/dev/null || skip_all "$t not found"
	done
}

module_loaded() { grep -q '^sessha ' /proc/modules; }

fail_all() {
	log_test 1 0 "$*"
	test_exit
}

load_module_unlocked() {
	# insmod the module if it is not loaded yet, or loaded with other
	# parameters than $SESSHA_QUEUE_LIMIT (sync_queue_limit, default 0)
	# and $SESSHA_SYNC_WINDOW (sync_window_us, default 1000): skip the
	# test without a module, fail it if the module does not load
	local dep params p v
	local dir=/sys/module/sessha/parameters

	params="sync_queue_limit=${SESSHA_QUEUE_LIMIT:-0} sync_window_us=${SESSHA_SYNC_WINDOW:-1000}"
	if module_loaded; then
		for p in $params; do
			v=$(cat "$dir/${p%%=*}" 2>/dev/null)
			[[ $v == "${p#*=}" ]] || break
		done
		[[ $v == "${p#*=}" ]] && return 0
		pretty "" "rmmod sessha   # for $params"
		rmmod sessha || fail_all "rmmod sessha"
	fi
	[[ -f $SESSHA_KO ]] || skip_all "no module at $SESSHA_KO"
	# insmod does not resolve dependencies (udp_tunnel, ...)
	for dep in $(modinfo -F depends "$SESSHA_KO" 2>/dev/null | tr , ' '); do
		pretty "" "modprobe $dep"
		modprobe "$dep" || skip_all "modprobe $dep failed"
	done
	pretty "" "insmod $SESSHA_KO $params"
	# shellcheck disable=SC2086 # one word per parameter
	if ! insmod "$SESSHA_KO" $params; then
		dmesg 2>/dev/null | tail -n 5 | sed 's/^/      dmesg: /'
		fail_all "insmod $SESSHA_KO"
	fi
}

load_module() {
	# A test's variants start side by side (run.sh): one loads, the
	# others find it loaded with the same parameters.
	local lock

	exec {lock}>/tmp/sessha-selftest-module.lock
	flock "$lock"
	load_module_unlocked
	exec {lock}>&-
}

require_cli() {
	[[ -x $SESSHA ]] || skip_all "no CLI at $SESSHA"
}

require_sessha() {
	require_root
	require_cli
	load_module
	pretty "" "modprobe ipip sit ip6_tunnel"
	for m in ipip sit ip6_tunnel; do
		modprobe $m 2>/dev/null || [[ -d /sys/module/$m ]] ||
			skip_all "the $m module is needed for the backends' decapsulation"
	done
}

# Kernel log: a marker at the start, warnings after it fail the test.
dmesg_mark() {
	DMESG_MARK="sessha-selftest: $TEST_NAME $$ start"
	echo "$DMESG_MARK" > /dev/kmsg 2>/dev/null || DMESG_MARK=""
}

dmesg_warnings() {
	# print kernel warnings logged since dmesg_mark
	[[ -n ${DMESG_MARK:-} ]] || return 0
	dmesg 2>/dev/null | sed -n "/$DMESG_MARK/,\$p" |
		grep -E 'WARNING:|BUG:|Oops|Call Trace|UBSAN|KASAN|kmemleak|refcount_t|list_(add|del) corruption|RCU stall|sleeping function|possible recursive locking|lockdep'
}

check_dmesg() {
	local w

	w=$(dmesg_warnings)
	if [[ -n $w ]]; then
		log_test 1 0 "${1:-no kernel warnings}"
		echo "$w" | head -20 | sed 's/^/      dmesg: /'
	else
		log_test 0 0 "${1:-no kernel warnings}"
	fi
}

# ------------------------------------------------------------ topology

setup_topology() {
	# setup_topology [HOST...]: the switch plus the given hosts (all by
	# default); backends get tunl0 and the VIP, the client a VIP route
	local hosts=("$@") h batch

	((${#hosts[@]})) || hosts=("${HOSTS[@]}")
	WORK=$(mktemp -d "/tmp/sessha-$TEST_NAME.XXXXXX")
	NS[sw]="$NS_PREFIX-sw"
	batch="netns add ${NS[sw]}"$'\n'
	for h in "${hosts[@]}"; do
		NS[$h]="$NS_PREFIX-$h"
		batch+="netns add ${NS[$h]}"$'\n'
	done
	pretty "" "ip netns add ${NS[sw]} ${hosts[*]/#/$NS_PREFIX-}"
	ip -batch - <<<"$batch" || return 1

	batch="link set lo up"$'\n'"link add br0 type bridge forward_delay 0"$'\n'
	batch+="link set br0 up"$'\n'
	for h in "${hosts[@]}"; do
		batch+="link add v$h type veth peer name eth0 netns ${NS[$h]}"$'\n'
		batch+="link set v$h master br0 up"$'\n'
	done
	pretty sw "disable_ipv6=1; ip -batch: br0, a veth per host into it"
	ip netns exec "${NS[sw]}" sh -c '
		echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 &&
		echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 &&
		exec ip -batch -' <<<"$batch" || return 1

	# One shell per host: sysctls (no python, it costs a second to start
	# in the guest), then its addresses and routes in one ip -batch.
	for h in "${hosts[@]}"; do
		par host_setup "$h"
	done
	wait_all || return 1
	return 0
}

host_setup() {
	# host_setup HOST: sysctls, addresses and routes inside HOST, whose
	# eth0 already exists; eth0 goes up last, its address in place, so
	# that a host that comes back announces itself (arp_notify)
	local h=$1 batch sysctls

	batch="link set lo up"$'\n'"addr add ${ADDR4[$h]}/24 dev eth0"$'\n'
	batch+="addr add ${ADDR6[$h]}/64 dev eth0 nodad"$'\n'
	batch+="link set eth0 up"$'\n'
	sysctls="net/ipv4/conf/all/rp_filter net/ipv4/conf/default/rp_filter"
	sysctls+=" net/ipv4/conf/eth0/rp_filter net/ipv4/conf/eth0/arp_notify"
	sysctls+=" net/ipv6/conf/eth0/ndisc_notify"
	case $h in
	client)
		batch+="route add $VIP/$VIP_PLEN via $FWD_ADDR"$'\n';;
	b*)
		batch+="addr add $VIP/$VIP_PLEN dev lo"$'\n'
		if [[ -z ${NO_TUNL0:-} ]]; then
			# every decapsulation the variants use
			batch+="link set tunl0 up"$'\n'
			batch+="link set sit0 up"$'\n'
			batch+="link set ip6tnl0 up"$'\n'
			# ip6tnl0 takes IPv6 in IPv6 only (admin guide)
			[[ $SESSHA_FAMILY == 4over6 ]] &&
				batch+="link add s46 type ip6tnl mode any local ${ADDR6[$h]} remote ::"$'\n'"link set s46 up"$'\n'
			sysctls+=" net/ipv4/conf/tunl0/rp_filter"
		fi;;
	esac
	pretty "$h" "rp_filter=0 arp_notify=1 ndisc_notify=1; ip -batch: ${batch//$'\n'/; }"
	ip netns exec "${NS[$h]}" sh -c '
		for f in $1; do
			case $f in *_notify) v=1;; *) v=0;; esac
			echo $v > /proc/sys/$f || exit 1
		done
		exec ip -batch -' sh "$sysctls" <<<"$batch"
}

PAR_PIDS=()
par() {
	# par COMMAND...: start COMMAND in the background for wait_all
	"$@" <&0 &
	PAR_PIDS+=($!)
}

wait_all() {
	# wait for the commands started with par; fail if any failed
	local rc=0 p

	for p in "${PAR_PIDS[@]}"; do
		wait "$p" || rc=1
	done
	PAR_PIDS=()
	return $rc
}

teardown() {
	# kill what we started, delete our namespaces and work directory
	local h p pids

	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for h in "${!NS[@]}"; do
		pids=$(ip netns pids "${NS[$h]}" 2>/dev/null)
		[[ -n $pids ]] && kill $pids 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	for h in "${!NS[@]}"; do
		[[ $h == sw ]] && continue
		ip netns del "${NS[$h]}" 2>/dev/null
	done
	[[ -n ${NS[sw]:-} ]] && ip netns del "${NS[sw]}" 2>/dev/null
	if [[ -n $WORK && -d $WORK ]]; then
		if [[ -n ${KEEP:-} ]]; then
			echo "kept $WORK"
		else
			rm -rf "$WORK"
		fi
	fi
	BG_PIDS=()
	NS=()
	WORK=""
}

cleanup() {
	set +e
	teardown
}

# ------------------------------------------------------------ sessha config

sessha_config_lines() {
	# the controller's configuration as seen from HOST: on the nodes,
	# $SESSHA_NODE_FIRST (lines) before anything else, e.g. a sync key
	local h=$1 n s sid rest b

	[[ -n ${SESSHA_NODE_FIRST:-} && -n ${NODE_ID[$h]:-} ]] &&
		echo "$SESSHA_NODE_FIRST"
	for n in "${NODES[@]}"; do
		echo "node add id ${NODE_ID[$n]} addr ${ADDR[$n]}$([[ $n == "$h" ]] && echo ' local')"
	done
	for s in "${SERVICES[@]}"; do
		read -r sid proto port rest <<<"$s"
		echo "service add id $sid vip $VIP proto $proto port $port $rest"
		for b in "${BACKENDS[@]}"; do
			echo "backend add service $sid id ${BACKEND_ID[$b]} addr ${ADDR[$b]}"
		done
	done
	[[ -n ${SESSHA_EXTRA:-} ]] && echo "$SESSHA_EXTRA"
	return 0
}

sessha_all() {
	# install the same nodes, services and backends on fwd and the nodes
	local h

	for h in fwd "${NODES[@]}"; do
		par eval 'sessha_config_lines "$h" | sessha_script "$h"' 
	done
	wait_all
}

crash_node() {
	# crash_node HOST: pull its cable; it can no longer send or receive
	pretty sw "ip link set v$1 down   # crash $1"
	ip -n "${NS[sw]}" link set "v$1" down
}

mark_down_all() {
	# mark_down_all HOST [ALIVE...]: the controller marks HOST down on the
	# forwarder and on the given surviving nodes (default: all but HOST)
	local dead=$1 h; shift
	local alive=("$@")

	((${#alive[@]})) || for h in "${NODES[@]}"; do
		[[ $h != "$dead" ]] && alive+=("$h")
	done
	for h in fwd "${alive[@]}"; do
		par sessha_in "$h" node set id "${NODE_ID[$dead]}" down
	done
	wait_all
}

mark_up_all() {
	# mark_up_all HOST: the controller marks HOST up on the forwarder and
	# on the other nodes
	local back=$1 h

	for h in fwd "${NODES[@]}"; do
		[[ $h == "$back" ]] && continue
		par sessha_in "$h" node set id "${NODE_ID[$back]}" up
	done
	wait_all
}

mark_up() {
	# mark_up HOST: mark_up_all, logged; T_UP_START and T_UP around it
	tick; T_UP_START=$NOW
	mark_up_all "$1"
	log_test $? 0 "controller marked $1 up on fwd and the other nodes"
	tick; T_UP=$NOW
}

link_gone() { ! ip -n "${NS[sw]}" link show "v$1" >/dev/null 2>&1; }

restart_host() {
	# restart_host HOST: HOST reboots: its namespace, with all the state
	# sessha kept there, is deleted and created again, with the same MAC
	# and address on eth0 and its port on the switch back up; sessha is
	# not configured there yet
	local h=$1 mac

	mac=$(ip -n "${NS[$h]}" -br link show dev eth0 | awk '{print $3}')
	pretty "" "ip netns del ${NS[$h]}   # restart $h"
	ip netns del "${NS[$h]}" || return 1
	# the old veth goes with the namespace, asynchronously
	wait_for 20 link_gone "$h" || return 1
	pretty "" "ip netns add ${NS[$h]}; veth v$h (br0) - eth0 ($mac)"
	ip netns add "${NS[$h]}" &&
		ip -n "${NS[sw]}" link add "v$h" type veth peer name eth0 \
			address "$mac" netns "${NS[$h]}" &&
		ip -n "${NS[sw]}" link set "v$h" master br0 up &&
		host_setup "$h"
}

make_keys() {
	# make_keys FILE...: a random cluster key (64 hex digits) in each
	local hex f

	pretty "" "od -An -tx1 -N$((32 * $#)) /dev/urandom > $*"
	hex=$(od -An -tx1 -N$((32 * $#)) /dev/urandom) || return 1
	hex=${hex//[[:space:]]/}
	for f in "$@"; do
		(umask 077; echo "${hex:0:64}" > "$f") || return 1
		[[ ${#hex} -ge 64 ]] || return 1
		hex=${hex:64}
	done
}

# ------------------------------------------------------------ traffic

vip_udp() {
	# vip_udp PORT: socat's address for UDP to VIP:PORT in VIP's family
	case $VIP in
	*:*) echo "UDP6-SENDTO:[$VIP]:$1" ;;
	*) echo "UDP4-SENDTO:$VIP:$1" ;;
	esac
}

launch_servers() {
	# launch_servers [PORT[,PORT...]]: one echo process for all backends,
	# in the background; servers_ready waits for it
	local args=() b

	for b in "${BACKENDS[@]}"; do
		args+=(--backend "$b=${NS[$b]}")
	done
	pretty "b1 b2 b3" "traffic.py server --addr $VIP --port ${1:-$VPORT}"
	$TRAFFIC server "${args[@]}" --addr "$VIP" --port "${1:-$VPORT}" \
		--log-dir "$WORK/servers" --ready "$WORK/servers.ready" &
	BG_PIDS+=($!)
}

servers_ready() { wait_for 20 test -s "$WORK/servers.ready"; }

start_servers() {
	# start_servers [PORT[,PORT...]]: launch_servers and wait until ready
	launch_servers "$@" && servers_ready
}

start_client() {
	# start_client ARGS...: the one traffic process, in the client's ns;
	# status in $WORK/client.status, report in $WORK/client.json
	rm -f "$WORK/client.stop" "$WORK/client.json" "$WORK/client.status"
	pretty client "traffic.py client $*"
	$TRAFFIC client --netns "${NS[client]}" --status "$WORK/client.status" \
		--report "$WORK/client.json" --stop-file "$WORK/client.stop" "$@" &
	CLIENT_PID=$!
	BG_PIDS+=($CLIENT_PID)
}

client_status() { STATUS=$(<"$WORK/client.status"); } 2>/dev/null

client_all_replied() {
	# every connection established and answered at least once
	local n

	client_status || return 1
	n=$(json_num "$STATUS" conns)
	[[ $(json_num "$STATUS" replied) -eq $n ]]
}

client_replied_since() {
	# client_replied_since MS: every live connection answered after MS
	client_status || return 1
	(( $(json_num "$STATUS" min_last_reply) > $1 ))
}

analyze_client() {
	# analyze_client WINDOW...: judge $WORK/client.json (traffic.py
	# analyze); results in the associative array AN, e.g.
	# ${AN[crash.affected.errors]}
	local k v

	AN=()
	if ! $TRAFFIC analyze --flat --report "$WORK/client.json" \
		"${@/#/--window=}" > "$WORK/analysis.txt"; then
		log_test 1 0 "traffic.py analyze $WORK/client.json"
		return 1
	fi
	while read -r k v; do
		AN[$k]=$v
	done < "$WORK/analysis.txt"
}
declare -A AN=()

stop_client() {
	touch "$WORK/client.stop"
	wait "$CLIENT_PID"
}

# ------------------------------------------------------------ sessions

owner_ports() {
	# owner_ports HOST: client ports of the sessions HOST owns
	local j obj re='"cport"[[:space:]]*:[[:space:]]*([0-9]+)'

	j=$(sessha_json "$1" session show) || return 1
	j=${j//[[:space:]]/}
	j=${j//'},{'/$'\n'}
	while IFS= read -r obj; do
		[[ $obj == *'"role":"owner"'* && $obj =~ $re ]] &&
			echo "${BASH_REMATCH[1]}"
	done <<<"$j"
	return 0
}

session_count() {
	# session_count HOST ROLE: how many sessions of that role HOST holds
	local j

	j=$(sessha_json "$1" session show) || return 1
	json_count "$j" "\"role\":\"$2\""
}

replicas_at_least() {
	# replicas_at_least N: the nodes together hold N replicas
	local n total=0 c

	for n in "${NODES[@]}"; do
		c=$(session_count "$n" replica) || return 1
		total=$((total + c))
	done
	REPLICAS=$total
	((total >= $1))
}

# Replication check: every flow a node owns has, on its backup, a replica
# that names it as owner, with the same backend and TCP state. Sessions
# are keyed "service/client/cport"; only client ports from $SYNC_CPORT_MIN
# to $SYNC_CPORT_MAX count (the traffic client's, not crafted records').
SYNC_CPORT_MIN=0
SYNC_CPORT_MAX=39999
declare -A SESSION_TABLE=()

load_sessions() {
	# load_sessions HOST...: their sessions into SESSION_TABLE["host|key"]
	# = "role backend state owner backup". Word splitting and substitutions
	# with few matches only (bash takes time quadratic in the matches): in
	# the guest, a table of a few hundred sessions must not take seconds.
	local h j line IFS
	local -a lines f

	SESSION_TABLE=()
	in_parallel session "$@" || return 1
	for h in "$@"; do
		j=$(<"$WORK/session.$h")
		# {"service":1,"client":"10.77.0.2","cport":20001,"backend":2,
		#  "backend_addr":"...","state":"established","role":"owner",
		#  "owner":1,"backup":2,"expires_ms":899000}: the order is fixed
		j=${j//[[:space:]]/}
		j=${j//'},{'/$'\n'}
		j=${j#'[{'}
		j=${j%'}]'}
		IFS=$'\n'
		lines=($j)
		IFS=,
		for line in "${lines[@]}"; do
			f=($line)
			[[ ${f[0]} == '"service":'* && ${f[6]} == '"role":'* &&
			   ${f[8]} == '"backup":'* ]] || continue
			f=("${f[@]#*:}")
			f[1]=${f[1]//'"'/} f[5]=${f[5]//'"'/} f[6]=${f[6]//'"'/}
			((f[2] <= SYNC_CPORT_MAX && f[2] >= SYNC_CPORT_MIN)) ||
				continue
			SESSION_TABLE["$h|${f[0]}/${f[1]}/${f[2]}"]="${f[6]} ${f[3]} ${f[5]} ${f[7]} ${f[8]}"
		done
		unset IFS
	done
}

sync_check() {
	# sync_check MIN HOST...: true if these hosts own at least MIN flows
	# and each has its replica in order on its backup (one of HOST...).
	# Sets SYNC_OWNED, SYNC_OK, SYNC_MISSING (no replica), SYNC_WRONG
	# (other backend, state or owner), SYNC_NOBACKUP, SYNC_DUAL (flows
	# owned on two hosts) and SYNC_SUMMARY.
	local min=$1 e h k role be st own bk b r rrole rbe rst rown; shift
	local -a v
	local -A owned=() name=()

	load_sessions "$@" || return 1
	for h in "${NODES[@]}"; do name[${NODE_ID[$h]}]=$h; done
	SYNC_OWNED=0 SYNC_OK=0 SYNC_MISSING=0 SYNC_WRONG=0 SYNC_NOBACKUP=0 SYNC_DUAL=0
	for e in "${!SESSION_TABLE[@]}"; do
		v=(${SESSION_TABLE[$e]})
		role=${v[0]} be=${v[1]} st=${v[2]} own=${v[3]} bk=${v[4]}
		[[ $role == owner ]] || continue
		h=${e%%|*} k=${e#*|}
		SYNC_OWNED=$((SYNC_OWNED + 1))
		[[ -n ${owned[$k]:-} ]] && SYNC_DUAL=$((SYNC_DUAL + 1))
		owned[$k]=$h
		if [[ -z $bk || $bk == 0 ]]; then
			SYNC_NOBACKUP=$((SYNC_NOBACKUP + 1))
			continue
		fi
		b=${name[$bk]:-}
		r=${SESSION_TABLE["$b|$k"]:-}
		if [[ -z $r ]]; then
			SYNC_MISSING=$((SYNC_MISSING + 1))
			continue
		fi
		v=($r)
		rrole=${v[0]} rbe=${v[1]} rst=${v[2]} rown=${v[3]}
		if [[ $rrole == replica && $rbe == "$be" && $rst == "$st" &&
		      $rown == "${NODE_ID[$h]}" ]]; then
			SYNC_OK=$((SYNC_OK + 1))
		else
			SYNC_WRONG=$((SYNC_WRONG + 1))
		fi
	done
	SYNC_SUMMARY="owned $SYNC_OWNED, replicated $SYNC_OK, missing $SYNC_MISSING, wrong $SYNC_WRONG, no backup $SYNC_NOBACKUP, owned twice $SYNC_DUAL"
	((SYNC_OWNED >= min && SYNC_OK == SYNC_OWNED && SYNC_DUAL == 0))
}

# ------------------------------------------------------------ HA scenarios

local_sync_ready() {
	# the local node of HOST reports "sync":"ready"
	local j

	j=$(sessha_json "$1" node show) || return 1
	j=${j//[[:space:]]/}
	[[ $j == *'"sync":"ready"'* ]]
}

peer_config() {
	# peer_config HOST ID: "match", "mismatch" or "" for node ID on HOST
	local j re

	j=$(sessha_json "$1" node show) || return 1
	j=${j//[[:space:]]/}
	re="\"id\":$2,[^}]*\"config\":\"([a-z]+)\""
	[[ $j =~ $re ]] && echo "${BASH_REMATCH[1]}"
}

peer_config_is() {
	# peer_config_is HOST ID WORD: node ID's config on HOST is WORD
	[[ $(peer_config "$1" "$2") == "$3" ]]
}

holds_all() {
	# holds_all HOST FILE: HOST has an entry for each client port in FILE
	local p n=0 j

	j=$(sessha_json "$1" session show) || return 1
	j=${j//[[:space:]]/}
	while read -r p; do
		[[ $j == *"\"cport\":$p,"* ]] && n=$((n + 1))
	done < "$2"
	HELD=$n
	((n == $(wc -l < "$2")))
}

owns_all() {
	# owns_all HOST FILE: HOST owns each client port in FILE
	local n=0 p
	local -A own=()

	for p in $(owner_ports "$1"); do own[$p]=1; done
	while read -r p; do
		[[ -n ${own[$p]:-} ]] && n=$((n + 1))
	done < "$2"
	OWNED=$n
	((n == $(wc -l < "$2")))
}


count_replicas() {
	# count_replicas HOST...: established replicas held by these hosts,
	# in REPLICAS
	local h j total=0

	for h in "$@"; do
		j=$(sessha_json "$h" session show) || return 1
		j=${j//[[:space:]]/}
		total=$((total + $(json_count "$j" '"state":"established","role":"replica"')))
	done
	REPLICAS=$total
}

replicas_on() {
	# replicas_on N HOST...: the hosts hold at least N established replicas
	local n=$1; shift

	count_replicas "$@" && ((REPLICAS >= n))
}

ha_start() {
	# ha_start CONNS INTERVAL: the whole topology, the same sessha config
	# everywhere (plus $SESSHA_EXTRA), echo servers, and CONNS client
	# connections all answered once
	local conns=$1 interval=$2

	setup_topology || { log_test 1 0 "topology"; return 1; }
	launch_servers
	sessha_all
	log_test $? 0 "same sessha config on fwd, n1, n2, n3${SESSHA_EXTRA:+ ($SESSHA_EXTRA)}" || return 1
	servers_ready
	log_test $? 0 "echo servers on $VIP:$VPORT in b1 b2 b3" || return 1
	start_client --target "$VIP:$VPORT" --conns "$conns" \
		--interval "$interval" --connect-rate "${CONNECT_RATE:-40}"
	wait_for 90 client_all_replied
	log_test $? 0 "$conns connections through the forwarder answered" || return 1
	log_info "client: $STATUS"
}

ha_crash() {
	# ha_crash VICTIM [ALIVE...]: note the client ports VICTIM owns (in
	# $WORK/affected.VICTIM), crash it, then have the controller mark it
	# down on the forwarder and the survivors; sets T_CRASH and T_DOWN
	local victim=$1; shift

	owner_ports "$victim" > "$WORK/affected.$victim"
	mapfile -t AFFECTED_PORTS < "$WORK/affected.$victim"
	AFFECTED=${#AFFECTED_PORTS[@]}
	log_info "$victim owns $AFFECTED sessions"
	tick; T_CRASH=$NOW
	crash_node "$victim"
	mark_down_all "$victim" "$@"
	log_test $? 0 "controller marked $victim down on fwd and the survivors"
	tick; T_DOWN=$NOW
	log_info "$victim marked down $((T_DOWN - T_CRASH)) ms after the crash"
}

sum_stat() {
	# sum_stat COUNTER HOST...: a counter summed over hosts
	local c=$1 h v total=0; shift

	stats_all "$@" || return 1
	for h in "$@"; do
		v=$(json_num "${STATS[$h]}" "$c") || return 1
		total=$((total + v))
	done
	echo $total
}

trap cleanup EXIT
