#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh - sessha side by side with IPVS, in one VM boot (make bench).
#
# On the host (what "make bench" runs, after "make all"):
#
#   bench/run.sh [KVER]
#
# installs what the benchmark needs (BENCH_PACKAGES below), boots KVER's
# kernel once in QEMU (tools/vm/run.sh) to run "bench/run.sh --guest",
# then turns the raw measurements (build/bench/raw/) into
# bench/results/DATE.json, DATE.md and DATE.png (bench/report.py).
#
# In the guest (--guest), for each system in turn, it builds the selftests'
# topology (selftests/lib.sh: a client, a forwarder, three servicing nodes
# n1-n3, three backends b1-b3, all in network namespaces on one bridge)
# and measures:
#
#   fwd      packets per second through the forwarder, from pktgen in the
#            client: plain routing to one next hop, ECMP (IPVS's design),
#            sessha's hook (IPIP to the owner)
#   setup    new TCP sessions per second through one servicing node with
#            sync on (gen.py: SYN, ACK, data per session, all built first)
#   lag      a capture on the owner's bridge port at a steady session rate:
#            first packet in -> first sync datagram out naming the session;
#            the same capture gives the sync bytes per session
#   v6wire   IPVS sync bytes per IPv6 session (sessha has no IPv6 data path)
#   mem      kernel memory per session with 1,000,000 sessions, and the cost
#            per packet at 1k and at 1M sessions (pktgen, UDP)
#   failover N long-lived connections (traffic.py), crash a servicing node,
#            survival and stall (sessha; IPVS with and without sync)
#
# Environment: BENCH_ONLY="fwd setup lag v6wire mem failover" (default all),
# BENCH_SYSTEMS="sessha ipvs", FAILOVER_CONNS="200 2000", BENCH_TRIALS=8,
# BENCH_PERF=1 (the default on the host: perf profiles of the forwarder and
# of the servicing node; BENCH_PERF= turns them off),
# VM_MEM (default 4G), VM_TIMEOUT (default 2100).
#
# Every packet stays between namespaces inside the guest. Timings are not
# asserted: bench/report.py prints them next to the targets.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(dirname "$HERE")
RAW=$SRC/build/bench/raw

# What the benchmark adds to tools/deps.sh's list (which has ipvsadm,
# tcpdump, iproute2, python3): the chart, and perf for the profiles.
BENCH_PACKAGES=(gnuplot-nox linux-perf)

host_deps() {
	local p todo=()

	for p in "${BENCH_PACKAGES[@]}"; do
		dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null |
			grep -qx installed || todo+=("$p")
	done
	((${#todo[@]})) || return 0
	[[ $(id -u) == 0 ]] || { echo "bench: missing ${todo[*]}; install them as root"; return 1; }
	echo "bench: installing ${todo[*]}"
	apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${todo[@]}"
}

host_main() {
	local kver=${1:-$("$SRC/tools/vm/kver.sh" 6.1)} rc=0

	host_deps || return 1
	[[ -f $SRC/kmod/sessha.ko && -x $SRC/tools/sessha ]] ||
		{ echo "bench: build first (make all)"; return 1; }
	rm -rf "$RAW"
	mkdir -p "$RAW"
	# slab_nomerge: the session caches must show in /proc/slabinfo under
	# their own names, not merged into a kmalloc cache of the same size.
	# tools/vm/run.sh turns on slub_debug for sessha's caches (red zones,
	# owner tracking): "-,sessha*" turns it off again, or sessha would be
	# measured with bigger objects and slower allocations than IPVS.
	VM_MEM=${VM_MEM:-4G} VM_TIMEOUT=${VM_TIMEOUT:-2100} \
	VM_APPEND="slab_nomerge slub_debug=-,sessha* ${VM_APPEND:-}" \
		"$SRC/tools/vm/run.sh" "$kver" \
		BENCH_ONLY="${BENCH_ONLY:-}" BENCH_SYSTEMS="${BENCH_SYSTEMS:-}" \
		FAILOVER_CONNS="${FAILOVER_CONNS:-}" BENCH_TRIALS="${BENCH_TRIALS:-}" \
		BENCH_PERF="${BENCH_PERF-1}" \
		"$HERE/run.sh" --guest || rc=$?
	[[ -s $RAW/measure.jsonl ]] || { echo "bench: no measurements"; return 1; }
	/usr/bin/python3 "$HERE/report.py" --raw "$RAW" \
		--out "$HERE/results" --commit "$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null)" \
		--kver "$kver" || rc=1
	return $rc
}

if [[ ${1:-} != --guest ]]; then
	host_main "$@"
	exit
fi

# ====================================================================== guest

VERBOSE=${VERBOSE:-0}
source "$SRC/selftests/lib.sh"
TEST_NAME=bench

ONLY=${BENCH_ONLY:-fwd setup lag v6wire mem failover}
SYSTEMS=${BENCH_SYSTEMS:-sessha ipvs}
FAILOVER_CONNS=${FAILOVER_CONNS:-200 2000}
TRIALS=${BENCH_TRIALS:-8}
GEN="$PYTHON $HERE/gen.py"
UPORT=9                 # the UDP service pktgen aims at
IPVS_SYNC_PORT=8848
SETUP_SESSIONS=${SETUP_SESSIONS:-7000}
SETUP_PAIRS=${SETUP_PAIRS:-3}
LAG_RATE=${LAG_RATE:-200}
LAG_SESSIONS=${LAG_SESSIONS:-1000}
MEM_SESSIONS=${MEM_SESSIONS:-1000000}
FWD_SECS=${FWD_SECS:-2}
LOOKUP_SECS=${LOOKUP_SECS:-3}
LOOKUP_TRIALS=${LOOKUP_TRIALS:-2}

mkdir -p "$RAW"

T_BENCH=$SECONDS
say() {
	printf '[%4ds] %s\n' $((SECONDS - T_BENCH)) "$*"
}

want() { [[ " $ONLY " == *" $1 "* ]]; }

emit() {
	# emit KEY VALUE...: one JSON object as a line of measure.jsonl;
	# values that look like numbers stay numbers
	local out="" k v re='^-?[0-9]+(\.[0-9]+)?$'

	while (($# >= 2)); do
		k=$1 v=$2
		shift 2
		[[ $v =~ $re || $v == true || $v == false || $v == null ||
		   $v == [\{\[]* ]] || v="\"$v\""
		out+="${out:+,}\"$k\":$v"
	done
	echo "{$out}" >> "$RAW/measure.jsonl"
}

# ------------------------------------------------------------ helpers

nsx() {
	# nsx HOST COMMAND...: quietly, in HOST's namespace
	local h=$1; shift
	ip netns exec "${NS[$h]}" "$@"
}

declare -A MAC=()
learn_macs() {
	# every host's eth0 MAC (ip -n: no "ip netns exec" per host)
	local h line f

	for h in "${HOSTS[@]}"; do
		line=$(ip -n "${NS[$h]}" -br link show dev eth0) || return 1
		read -r -a f <<<"$line"
		MAC[$h]=${f[2]}
	done
}

pin_neighbours() {
	# pin_neighbours HOST PEER...: permanent ARP entries, so that traffic
	# dropped at egress never waits for a neighbour
	local h=$1 p batch=""; shift

	for p in "$@"; do
		batch+="neigh replace ${ADDR[$p]} lladdr ${MAC[$p]} dev eth0 nud permanent"$'\n'
	done
	ip -n "${NS[$h]}" -batch - <<<"$batch"
}

declare -A SLEEPER=()
start_sleepers() {
	# an idle process in each measured host: its /proc/PID/net/dev is that
	# host's, readable without forking (see dev_counter)
	local h

	for h in fwd n1; do
		ip netns exec "${NS[$h]}" sleep 100000 &
		SLEEPER[$h]=$!
		BG_PIDS+=($!)
	done
}

dev_counter() {
	# dev_counter HOST DEV rx|tx: a packet counter, read without a fork
	local h=$1 dev=$2 dir=$3 line f

	while read -r line; do
		[[ $line == "$dev:"* ]] || continue
		read -r -a f <<<"${line#"$dev":}"
		if [[ $dir == rx ]]; then echo "${f[1]}"; else echo "${f[9]}"; fi
		return 0
	done < "/proc/${SLEEPER[$h]}/net/dev"
	return 1
}

tc_sink() {
	# tc_sink HOST ingress|egress|off [MATCH...]: drop what matches
	# (default: everything) at the ingress of the generator's link (pg1)
	# or at the egress of eth0; off removes both
	local h=$1 dir=$2 dev=eth0; shift 2

	nsx "$h" tc qdisc del dev eth0 clsact 2>/dev/null
	nsx "$h" tc qdisc del dev pg1 clsact 2>/dev/null
	[[ $dir == off ]] && return 0
	[[ $dir == ingress ]] && dev=pg1
	nsx "$h" tc qdisc add dev $dev clsact || return 1
	if (($#)); then
		nsx "$h" tc filter add dev $dev "$dir" protocol ip flower "$@" action drop
	else
		nsx "$h" tc filter add dev $dev "$dir" matchall action drop
	fi
}

gen_link() {
	# gen_link HOST: a veth pair pg0-pg1 inside HOST; the generators write
	# on pg0, so that HOST receives on pg1 with nothing in between
	ip -n "${NS[$1]}" -batch - <<-EOF || return 1
		link add pg0 type veth peer name pg1
		link set pg0 up
		link set pg1 up
	EOF
	local f
	read -r -a f <<<"$(ip -n "${NS[$1]}" -br link show dev pg1)"
	MAC[$1.pg1]=${f[2]}
}

# ------------------------------------------------------------ pktgen

PG_HOST=
pg_setup() {
	# pg_setup DST_MAC SRC_MIN SRC_MAX RANDOM(0|1) DPORT COUNT: pktgen on
	# PG_HOST's pg0, 60-byte UDP frames to the VIP, in one shell
	local mac=$1 smin=$2 smax=$3 rnd=$4 dport=$5 count=$6 flag

	PG_ARGS=("$@")

	flag=$( ((rnd)) && echo IPSRC_RND || echo '!IPSRC_RND')
	nsx "$PG_HOST" sh -c '
		set -e
		cd /proc/net/pktgen
		# reset removes every device; a separate rem_device_all would
		# race with the add_device after it
		echo reset > pgctrl
		echo "add_device pg0" > kpktgend_0
		for c in "count $1" "clone_skb 0" "pkt_size 60" "delay 0" \
			 "dst $2" "dst_mac $3" "src_min $4" "src_max $5" \
			 "udp_src_min 9" "udp_src_max 9" "udp_dst_min $6" \
			 "udp_dst_max $6" "flag $7"; do
			echo "$c" > pg0
		done' sh "$count" "$VIP" "$mac" "$smin" "$smax" "$dport" "$flag" ||
		{ say "pktgen setup failed"; return 1; }
}

PG_PID=
pg_start() {
	nsx "$PG_HOST" sh -c 'echo start > /proc/net/pktgen/pgctrl' 2>/dev/null &
	PG_PID=$!
}

pg_stop() {
	nsx "$PG_HOST" sh -c 'echo stop > /proc/net/pktgen/pgctrl' 2>/dev/null
	wait "$PG_PID" 2>/dev/null
	PG_PID=
}

pg_result() {
	# pktgen's own account of the last run, and the backlog drops so far
	nsx "$PG_HOST" sed -n 's/^ *Result: //p; s/^ *\([0-9]*pps\)/\1/p' /proc/net/pktgen/pg0 | tr '\n' ' '
	local line f d=0 q=0
	while read -r -a f; do
		d=$((d + 16#${f[1]})) q=$((q + 16#${f[2]}))
	done < /proc/net/softnet_stat
	echo "softnet dropped $d squeezed $q"
}

pg_wait() { wait "$PG_PID" 2>/dev/null; PG_PID=; }

pg_measure() {
	# pg_measure HOST SECS: RATE of a pktgen run as set up; once in a
	# while pktgen sends nothing at all: then set it up again and retry
	local try

	for try in 1 2; do
		pg_start
		measure_rate "$1" "$2"
		pg_stop
		((RATE > 0)) && return 0
		say "pktgen sent nothing ($(pg_result)); again"
		pg_setup "${PG_ARGS[@]}"
	done
}

RATE=0
measure_rate() {
	# measure_rate HOST SECS: pktgen is running; RATE = packets per second
	# HOST's pg1 accepted (rx), over SECS after a second of warm-up
	local h=$1 secs=$2 r0 r1 t0 t1

	nap 1
	tick; t0=$NOW; r0=$(dev_counter "$h" pg1 rx)
	nap "$secs"
	tick; t1=$NOW; r1=$(dev_counter "$h" pg1 rx)
	RATE=$(( (r1 - r0) * 1000 / (t1 - t0) ))
}

# ------------------------------------------------------------ topology

kmods() {
	local m

	# IPVS's connection table has 2^conn_tab_bits chains, 2^12 unless set
	# at load time; a table meant for 1M connections is loaded with 2^20.
	modprobe ip_vs conn_tab_bits=20 || { say "modprobe ip_vs failed"; return 1; }
	for m in pktgen sch_ingress cls_matchall cls_flower act_gact ipip \
		 ip_vs_rr; do
		modprobe "$m" || { say "modprobe $m failed"; return 1; }
	done
	# insmod resolves nothing: udp_tunnel and friends first (lib.sh)
	load_module
}

base_topology() {
	# the selftests' topology, and what every benchmark needs on top
	setup_topology >/dev/null || return 1
	learn_macs
	start_sleepers
	# The bridge floods multicast (IPVS sync) instead of snooping.
	ip -n "${NS[sw]}" link set br0 type bridge mcast_snooping 0
	pin_neighbours fwd n1 n2 n3
	pin_neighbours client fwd
	local n
	for n in "${NODES[@]}"; do
		pin_neighbours "$n" b1 b2 b3 n1 n2 n3
	done
	gen_link fwd && gen_link n1
}

SYSTEM=
ipvs_config() {
	# ipvs_config SYNC(0|1): on every director, the VIP on lo, tcp/80 and
	# udp/9 in tunnel mode to b1-b3, sync daemons in master and backup mode
	local sync=$1 n b script

	for n in "${NODES[@]}"; do
		script="ip addr add $VIP/32 dev lo && ipvsadm --set 900 120 3600"
		script+=" && ipvsadm -A -t $VIP:$VPORT -s rr && ipvsadm -A -u $VIP:$UPORT -s rr"
		for b in "${BACKENDS[@]}"; do
			script+=" && ipvsadm -a -t $VIP:$VPORT -r ${ADDR[$b]}:$VPORT -i"
			script+=" && ipvsadm -a -u $VIP:$UPORT -r ${ADDR[$b]}:$UPORT -i"
		done
		if ((sync)); then
			script+=" && ipvsadm --start-daemon master --syncid 1 --mcast-interface eth0"
			script+=" && ipvsadm --start-daemon backup --syncid 1 --mcast-interface eth0"
		fi
		par nsx "$n" sh -c "$script"
	done
	wait_all
}

ecmp_route() {
	# ecmp_route HOST...: the forwarder spreads the VIP over these
	local h nh=()

	for h in "$@"; do
		nh+=(nexthop via "${ADDR[$h]}")
	done
	nsx fwd ip route replace "$VIP/32" "${nh[@]}"
}

fwd_routing() {
	nsx fwd sh -c '
		for f in ip_forward fib_multipath_hash_policy conf/all/send_redirects \
			 conf/default/send_redirects conf/eth0/send_redirects; do
			case $f in *redirects) v=0;; *) v=1;; esac
			echo $v > /proc/sys/net/ipv4/$f || exit 1
		done'
}

sessha_config() {
	# sessha_all (lib.sh: tcp/80 ring over 1,2,3) plus udp/9 for pktgen;
	# n1's second service owns every flow (pairs 1:2) for the memory run
	SERVICES=("1 tcp $VPORT policy ring nodes 1,2,3"
		  "2 udp $UPORT policy ring nodes 1,2,3")
	sessha_all >/dev/null
}

up_system() {
	# up_system sessha|ipvs|ipvs-nosync: a fresh topology for it
	SYSTEM=$1
	say "$SYSTEM: topology"
	base_topology || { say "topology failed"; return 1; }
	case $SYSTEM in
	sessha)
		sessha_config || { say "sessha config failed"; return 1; };;
	ipvs|ipvs-nosync)
		fwd_routing
		ecmp_route "${NODES[@]}"
		ipvs_config $([[ $SYSTEM == ipvs ]] && echo 1 || echo 0) ||
			{ say "ipvs config failed"; return 1; };;
	esac
}

down_system() {
	teardown
	SLEEPER=()
}

# ------------------------------------------------------------ 1. forwarding

fwd_sessha() {
	# fwd_sessha on|off: the forwarder's sessha configuration (nodes,
	# services, backends) installed or flushed; off, its hooks return at once
	if [[ $1 == on ]]; then
		sessha_config_lines fwd | sessha_script fwd >/dev/null
	else
		nsx fwd sh -c "S=$SESSHA"'; for s in 1 2; do "$S" service del id $s; done
			for n in 1 2 3; do "$S" node del id $n; done' >/dev/null 2>&1
	fi
}

bench_fwd() {
	# Forwarder throughput. pktgen in the forwarder's namespace sends
	# 60-byte UDP frames to the VIP from random sources (10.200/16) on
	# pg0, as fast as it can; the rate is what the forwarder accepted on
	# pg1 per second. The forwarder drops what it forwards at eth0's
	# egress (tc), so nothing downstream competes for the CPUs. "drop"
	# drops at pg1's ingress instead: the cost of generating, subtracted
	# later to get the forwarder's own cost per packet. plain and ecmp run
	# with no sessha configuration on the forwarder.
	local trial mode

	say "fwd: pktgen through the forwarder, $TRIALS trials x 4 modes, ${FWD_SECS}s each"
	fwd_routing
	fwd_sessha off
	PG_HOST=fwd
	pg_setup "${MAC[fwd.pg1]}" 10.200.0.1 10.200.255.254 1 "$UPORT" 0
	for trial in $(seq "$TRIALS"); do
		for mode in drop plain ecmp sessha; do
			case $mode in
			drop) tc_sink fwd ingress;;
			plain) tc_sink fwd egress
			       nsx fwd ip route replace "$VIP/32" via "${ADDR[n1]}";;
			ecmp) ecmp_route n1 n2 n3;;
			sessha) nsx fwd ip route del "$VIP/32"
				fwd_sessha on;;
			esac
			pg_measure fwd "$FWD_SECS"
			emit row fwd mode "$mode" trial "$trial" pps "$RATE"
			say "fwd: $mode trial $trial: $RATE pps; $(pg_result)"
		done
		if [[ -n ${BENCH_PERF:-} && $trial == 1 ]]; then
			perf_profile fwd sessha
		fi
		fwd_sessha off
	done
	tc_sink fwd off
	fwd_sessha on
}

perf_profile() {
	# perf_profile HOST WHAT: 3 s of cpu-clock samples, all CPUs, while
	# pktgen runs; the top symbols (flat) go to the raw directory
	local h=$1 what=$2 out=$RAW/perf-$1-$2.txt

	command -v perf >/dev/null || return 0
	pg_start
	nap 1
	perf record -q -e cpu-clock -F 499 -a -o /tmp/perf.data -- sleep 2 >/dev/null 2>&1
	pg_stop
	perf report -q -i /tmp/perf.data --no-children --sort sym --stdio 2>/dev/null |
		grep -E '^ +[0-9.]+%' | head -150 > "$out"
	say "perf: $out"
}

# ------------------------------------------------------------ 2-4. sessions

NODE_CREATED=0
node_sessions_created() {
	# sessions or connections n1 created so far
	local j

	case $SYSTEM in
	sessha)
		j=$(stats_of n1) && NODE_CREATED=$(json_num "$j" sessions_created);;
	*)
		# /proc/net/ip_vs_stats: the third line's first field, in hex
		j=$(nsx n1 sed -n 3p /proc/net/ip_vs_stats) || return 1
		read -r j _ <<<"$j"
		NODE_CREATED=$((16#$j));;
	esac
}

gen_args() {
	# gen_args: how a session reaches n1: tunnelled from the forwarder
	# (sessha), or routed to it by the ECMP forwarder (IPVS)
	GEN_ARGS=(--netns "${NS[n1]}" --dev pg0 --src-mac 02:00:00:00:00:01
		  --dst-mac "${MAC[n1.pg1]}" --vip "$VIP" --dport "$VPORT")
	[[ $SYSTEM == sessha ]] &&
		GEN_ARGS+=(--encap "${ADDR[fwd]},${ADDR[n1]}")
	return 0
}

sync_port() { [[ $SYSTEM == sessha ]] && echo $SYNC_PORT || echo $IPVS_SYNC_PORT; }

bench_setup() {
	# Session setup rate: SETUP_PAIRS x SETUP_SESSIONS sessions of three
	# frames each, all built before the clock starts, written on n1's pg0
	# (n1 owns them all: they arrive as if from the forwarder). In a
	# "real" phase n1 drops what it sends the backends at its egress (tc
	# flower: IPIP) but sync goes out; in the "drop" phase before it, n1
	# drops the same frames at pg1's ingress: the generator's cost,
	# subtracted later. Sessions are counted on n1.
	local c0 c1 rep=$RAW/setup-$SYSTEM.json phases="" k hook

	gen_args
	for k in $(seq "$SETUP_PAIRS"); do
		phases+="${phases:+,}drop,real"
	done
	hook='tc qdisc del dev eth0 clsact 2>/dev/null
	      tc qdisc del dev pg1 clsact 2>/dev/null
	      if [ "$1" = drop ]; then
		tc qdisc add dev pg1 clsact &&
		tc filter add dev pg1 ingress matchall action drop
	      else
		tc qdisc add dev eth0 clsact &&
		tc filter add dev eth0 egress protocol ip flower ip_proto 4 action drop
	      fi'
	node_sessions_created; c0=$NODE_CREATED
	$GEN "${GEN_ARGS[@]}" --client 10.201.0.0 --sessions "$SETUP_SESSIONS" \
		--phases "$phases" --hook "$hook" --settle 3 --report "$rep" \
		>/dev/null || { say "gen.py failed"; return 1; }
	node_sessions_created; c1=$NODE_CREATED
	emit row setup system "$SYSTEM" sessions $((c1 - c0)) \
		sent $((SETUP_SESSIONS * SETUP_PAIRS)) gen "$(<"$rep")"
	say "setup: $SYSTEM: $((c1 - c0)) of $((SETUP_SESSIONS * SETUP_PAIRS)) sessions created"
	if [[ -n ${BENCH_PERF:-} ]] && command -v perf >/dev/null; then
		# perf starts from the hook: the sending and the sync, not the
		# building of the frames
		tc_sink n1 egress ip_proto 4
		$GEN "${GEN_ARGS[@]}" --client 10.204.0.0 --sessions "$SETUP_SESSIONS" \
			--phases real --settle 3 --hook 'perf record -q -e cpu-clock \
			-F 499 -a -o /tmp/perf.data -- sleep 3 >/dev/null 2>&1 &
			echo $! > /tmp/perf.pid' >/dev/null 2>&1
		# until perf has written its data
		while kill -0 "$(cat /tmp/perf.pid 2>/dev/null)" 2>/dev/null; do
			nap 0.5
		done
		perf report -q -i /tmp/perf.data --sort sym --stdio 2>/dev/null |
			grep -E '^ +[0-9.]+%' | head -150 > "$RAW/perf-n1-setup-$SYSTEM.txt"
		say "perf: $RAW/perf-n1-setup-$SYSTEM.txt"
	fi
	tc_sink n1 off
}

CAP_PID=
capture_start() {
	# capture_start FILE FILTER: tcpdump on every link of n1; "ip netns
	# exec" execs tcpdump, so $! is tcpdump itself (a shell function in
	# the background would leave it running when killed)
	rm -f "$1"
	ip netns exec "${NS[n1]}" tcpdump -i any -s 2048 -w "$1" -U -n "$2" 2>/dev/null &
	CAP_PID=$!
	nap 2
}

capture_stop() {
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=
}

bench_lag() {
	# Replication lag and wire bytes: LAG_SESSIONS sessions at LAG_RATE a
	# second to n1, with tcpdump on all of n1's links (one clock).
	# bench/report.py matches each session's first frame in with the
	# first sync datagram out that carries its client address.
	# bench_lag [LABEL CLIENT]: LABEL names the run (default: the system)
	local label=${1:-$SYSTEM} client=${2:-10.203.0.0}
	local pcap=$RAW/lag-$label.pcap

	gen_args
	tc_sink n1 egress ip_proto 4
	capture_start "$pcap" "(ip proto 4 or tcp port $VPORT or udp port $(sync_port))"
	$GEN "${GEN_ARGS[@]}" --client "$client" --sessions "$LAG_SESSIONS" \
		--rate "$LAG_RATE" --report "$RAW/lag-$label-gen.json" >/dev/null
	# IPVS flushes a partial sync buffer after 2 s at the latest.
	nap 4
	capture_stop
	tc_sink n1 off
	emit row lag system "$label" sessions "$LAG_SESSIONS" rate "$LAG_RATE" \
		pcap "$(basename "$pcap")" sync_port "$(sync_port)" client "$client"
	say "lag: $label: capture $(stat -c %s "$pcap") bytes"
}

sessha_auth() {
	# the same cluster key on n1-n3: sync v2 signs every datagram
	# (HMAC-SHA256); the next lag run sees what that costs
	local n key=$WORK/cluster.key

	od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$key"
	for n in "${NODES[@]}"; do
		nsx "$n" "$SESSHA" sync key add id 1 file "$key" ||
			{ say "sync key add failed"; return 1; }
	done
	nap 2
}

bench_v6wire() {
	# IPVS sync bytes per IPv6 session: the same capture as bench_lag, for
	# an IPv6 VIP on n1 (sessha's data path is IPv4 only: no records).
	local pcap=$RAW/v6wire-$SYSTEM.pcap vip6=fd77:100::1

	[[ $SYSTEM == ipvs ]] || return 0
	nsx n1 sh -c 'for f in all default eth0 lo pg1; do
		echo 0 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done'
	nsx n1 ip addr add fd77::11/64 dev eth0 nodad
	nsx n1 ip addr add $vip6/128 dev lo
	nsx n1 ipvsadm -A -t "[$vip6]:$VPORT" -s rr
	nsx n1 ipvsadm -a -t "[$vip6]:$VPORT" -r "[fd77::21]:$VPORT" -i
	nsx n1 ip -6 neigh replace fd77::21 lladdr "${MAC[b1]}" dev eth0 nud permanent
	tc_sink n1 off
	nsx n1 tc qdisc add dev eth0 clsact
	nsx n1 tc filter add dev eth0 egress protocol ipv6 matchall action drop
	capture_start "$pcap" "(ip6 and tcp port $VPORT) or udp port $IPVS_SYNC_PORT"
	$GEN --netns "${NS[n1]}" --dev pg0 --src-mac 02:00:00:00:00:01 \
		--dst-mac "${MAC[n1.pg1]}" --vip "$vip6" \
		--dport "$VPORT" --client fd78::1:0 --sessions "$LAG_SESSIONS" \
		--rate "$LAG_RATE" >/dev/null
	nap 4
	capture_stop
	tc_sink n1 off
	emit row v6wire system "$SYSTEM" sessions "$LAG_SESSIONS" \
		pcap "$(basename "$pcap")" sync_port $IPVS_SYNC_PORT client fd78::1:0
	say "v6wire: $SYSTEM: capture $(stat -c %s "$pcap") bytes"
}

# ------------------------------------------------------------ 6. memory

slab_line() {
	# slab_line NAME: "active_objs objsize total_bytes" of a slab cache
	awk -v n="$1" '$1 == n { printf "%d %d %d\n", $2, $4, $15 * $6 * 4096 }' /proc/slabinfo
}

vmalloc_bytes() {
	# vmalloc_bytes CALLER: bytes vmalloc'ed by CALLER (e.g. bucket_table_alloc)
	awk -v c="$1" '$0 ~ c { s += $2 } END { print s + 0 }' /proc/vmallocinfo
}

mem_avail_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }

mem_cache() {
	case $SYSTEM in sessha) echo sessha_session;; *) echo ip_vs_conn;; esac
}

node_entries() {
	# entries in n1's table now: sessions (or connections) created there
	# since its namespace was made; none expires in these runs
	node_sessions_created && echo "$NODE_CREATED"
}

lookup_cost() {
	# lookup_cost LABEL N: pktgen to n1, random sources among the first N
	# (all have sessions), n1 drops what it serves at its egress; then
	# the same with n1 dropping at ingress (path cost)
	local label=$1 n=$2 smax mode trial

	smax=$($PYTHON -c "import ipaddress,sys; print(ipaddress.ip_address('10.128.0.0') + $n - 1)")
	PG_HOST=n1
	pg_setup "${MAC[n1.pg1]}" 10.128.0.0 "$smax" 1 "$UPORT" 0
	for trial in $(seq "$LOOKUP_TRIALS"); do
		for mode in drop real; do
			if [[ $mode == drop ]]; then tc_sink n1 ingress; else tc_sink n1 egress; fi
			pg_measure n1 "$LOOKUP_SECS"
			emit row lookup system "$SYSTEM" sessions "$label" mode "$mode" \
				trial "$trial" pps "$RATE"
			say "lookup: $SYSTEM $label $mode: $RATE pps"
		done
	done
	[[ -n ${BENCH_PERF:-} ]] && lookup_perf "$label"
	tc_sink n1 off
}

lookup_perf() {
	# lookup_perf LABEL: pktgen as set up by lookup_cost, n1 serving; perf
	# samples the CPUs (cpu-clock): the samples in the lookup functions
	# against those in per-packet functions whose cost does not depend on
	# the table (bench/report.py), whatever else (GC, the host) takes the
	# CPUs meanwhile
	local label=$1 out=$RAW/perf-lookup-$SYSTEM-$label.txt

	command -v perf >/dev/null || return 0
	tc_sink n1 egress
	pg_start
	nap 1
	perf record -q -a -e cpu-clock -F 499 -o /tmp/perf-lk.data -- sleep 3 \
		>/dev/null 2>&1 || say "perf record failed"
	pg_stop
	tc_sink n1 off
	perf report -n -i /tmp/perf-lk.data --sort sym --stdio 2>/dev/null |
		grep -E '^# (Samples|Event count)|^ +[0-9.]+%' > "$out"
	emit row lookup_perf system "$SYSTEM" sessions "$label" hz 499 \
		file "$(basename "$out")"
	say "lookup: $SYSTEM $label: perf $(grep -c . "$out") lines"
}

fill_sessions() {
	# fill_sessions N E0: pktgen, sequential sources from 10.128.0.0, until
	# n1 holds N entries more than E0 (a few passes: pktgen outruns the
	# backlog at times)
	local n=$1 e0=$2 pass have smax

	smax=$($PYTHON -c "import ipaddress; print(ipaddress.ip_address('10.128.0.0') + $n - 1)")
	tc_sink n1 egress
	PG_HOST=n1
	for pass in 1 2 3; do
		pg_setup "${MAC[n1.pg1]}" 10.128.0.0 "$smax" 0 "$UPORT" "$n"
		pg_start
		pg_wait
		nap 1
		have=$(( $(node_entries) - e0 ))
		say "mem: fill pass $pass: $have entries"
		((have >= n * 99 / 100)) && break
	done
	tc_sink n1 off
}

bench_mem() {
	# Memory per session with MEM_SESSIONS UDP sessions on n1 (sync off:
	# only n1's own table), and the cost per packet at 1k and at 1M.
	local cache slab0 slab1 vm0 vm1 avail0 avail1 n e0

	cache=$(mem_cache)
	if [[ $SYSTEM == sessha ]]; then
		# udp/9 served by n1 alone, no sync: n1's own table only
		nsx n1 "$SESSHA" service del id 2
		nsx n1 "$SESSHA" service add id 2 vip $VIP proto udp port $UPORT nodes 1
		for b in "${BACKENDS[@]}"; do
			nsx n1 "$SESSHA" backend add service 2 id "${BACKEND_ID[$b]}" addr "${ADDR[$b]}"
		done
		nsx n1 "$SESSHA" config set sync off timeout-udp 3600 max-sessions 2000000
	else
		nsx n1 ipvsadm --stop-daemon master 2>/dev/null
	fi
	echo 3 > /proc/sys/vm/drop_caches
	e0=$(node_entries)
	read -r _ _ slab0 <<<"$(slab_line "$cache")"
	vm0=$(vmalloc_bytes bucket_table_alloc)
	avail0=$(mem_avail_kb)

	fill_sessions 1000 "$e0"
	lookup_cost 1k 1000
	fill_sessions "$MEM_SESSIONS" "$e0"
	n=$(( $(node_entries) - e0 ))
	read -r _ objsize slab1 <<<"$(slab_line "$cache")"
	vm1=$(vmalloc_bytes bucket_table_alloc)
	avail1=$(mem_avail_kb)
	emit row mem system "$SYSTEM" cache "$cache" entries "$n" objsize "$objsize" \
		slab_bytes $((slab1 - slab0)) table_bytes $((vm1 - vm0)) \
		avail_kb_used $((avail0 - avail1)) \
		ipvs_conn_tab_bits "$(cat /sys/module/ip_vs/parameters/conn_tab_bits 2>/dev/null || echo null)"
	say "mem: $SYSTEM: $n entries, slab $((slab1 - slab0)) B, tables $((vm1 - vm0)) B, MemAvailable -$((avail0 - avail1)) kB"
	lookup_cost 1M "$MEM_SESSIONS"
	if [[ -n ${BENCH_PERF:-} ]]; then
		tc_sink n1 egress
		PG_HOST=n1
		pg_setup "${MAC[n1.pg1]}" 10.128.0.0 10.143.66.63 1 "$UPORT" 0
		perf_profile n1 "$SYSTEM-1M"
		tc_sink n1 off
	fi
}

# ------------------------------------------------------------ 5. failover

owner_ports_fast() {
	# client ports of the sessions HOST owns (lib.sh's owner_ports, for
	# thousands of sessions)
	sessha_json "$1" session show | tr '{' '\n' |
		grep '"state":"established","role":"owner"' |
		grep -o '"cport":[0-9]*' | cut -d: -f2
}

backups_hold() {
	# backups_hold N: every connection has a copy on another node
	local n total=0 c

	if [[ $SYSTEM == sessha ]]; then
		for n in "${NODES[@]}"; do
			c=$(sessha_json "$n" session show |
				grep -o '"state":"established","role":"replica"' | wc -l)
			total=$((total + c))
		done
		REPLICAS=$total
		((total >= $1))
	else
		# every director lists its own connections and the synced ones
		for n in "${NODES[@]}"; do
			c=$(nsx "$n" ipvsadm -Lnc | grep -c '^TCP .* ESTABLISHED ')
			total=$((total + c))
		done
		REPLICAS=$total
		((total >= 3 * $1))
	fi
}

uncrash_n1() {
	# n1 back on the wire and back in service, for the next population
	ip -n "${NS[sw]}" link set vn1 up
	if [[ $SYSTEM == sessha ]]; then
		local h
		for h in fwd n2 n3; do
			par nsx "$h" "$SESSHA" node set id 1 up
		done
		wait_all
	else
		ecmp_route n1 n2 n3
	fi
	nap 3
}

bench_failover() {
	# bench_failover N: N long-lived connections, one message each per
	# FO_INTERVAL; once each has a copy elsewhere (sessha, IPVS with sync)
	# n1 is crashed (cable pulled) and the controller reacts: sessha marks
	# node 1 down everywhere, IPVS drops n1 from the forwarder's ECMP route
	local n=$1 conns_ok affected
	FO_N=$n
	FO_INTERVAL=$(( n > 500 ? 3 : 1 ))

	start_client --target "$VIP:$VPORT" --conns "$n" --interval "$FO_INTERVAL" \
		--connect-rate 100 --sport-base $FO_SPORT >/dev/null
	wait_for $((n / 20 + 60)) client_all_replied
	conns_ok=$?
	say "failover: $SYSTEM N=$n: $(json_num "$STATUS" replied)/$n answered"
	if [[ $SYSTEM != ipvs-nosync ]]; then
		wait_for 60 backups_hold "$n"
		say "failover: copies elsewhere: $REPLICAS"
	fi
	nap 3
	# Which connections n1 serves is known for sessha (its owner entries).
	# For IPVS it is not: the forwarder's ECMP hash is the skb's L4 hash
	# when it has one, here the client socket's random txhash, not one
	# that "ip route get" can predict.
	: > "$WORK/affected"
	[[ $SYSTEM == sessha ]] && owner_ports_fast n1 > "$WORK/affected"
	tick; T_CRASH=$NOW
	crash_node n1 >/dev/null
	if [[ $SYSTEM == sessha ]]; then
		mark_down_all n1 >/dev/null
	else
		ecmp_route n2 n3
	fi
	tick; T_DOWN=$NOW
	affected=$(wc -l < "$WORK/affected")
	wait_for $((FO_INTERVAL * 3 + 20)) client_replied_since "$T_DOWN"
	nap $((FO_INTERVAL * 2 + 2))
	stop_client
	cp "$WORK/client.json" "$RAW/failover-$SYSTEM-$n.json"
	cp "$WORK/affected" "$RAW/failover-$SYSTEM-$n.ports"
	if [[ $SYSTEM == sessha ]]; then
		local h
		for h in fwd n2 n3; do
			stats_of "$h" > "$RAW/failover-$SYSTEM-$n-stats-$h.json"
		done
	fi
	emit row failover system "$SYSTEM" conns "$n" interval "$FO_INTERVAL" \
		all_up "$([[ $conns_ok == 0 ]] && echo true || echo false)" \
		crash_ms "$T_CRASH" down_ms "$T_DOWN" \
		on_crashed "$([[ $SYSTEM == sessha ]] && echo "$affected" || echo null)" \
		report "failover-$SYSTEM-$n.json" ports "failover-$SYSTEM-$n.ports"
	say "failover: $SYSTEM N=$n: crashed n1${affected:+ (it owned $affected)}"
}

# ------------------------------------------------------------ main

guest_main() {
	local sys n

	say "bench on $(uname -r), $(nproc) CPUs; only: $ONLY; systems: $SYSTEMS"
	: > "$RAW/measure.jsonl"
	emit row meta kernel "$(uname -r)" cpus "$(nproc)" \
		mem_kb "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" \
		hz "$(sed -n 's/^CONFIG_HZ=//p' "/boot/config-$(uname -r)")" started "$(date -u +%FT%TZ)"
	require_root
	require_cli
	kmods || return 1
	# one traffic.py process holds every connection (2,000 and more)
	ulimit -n 65536
	local f dbg=""
	for f in sanity_checks red_zone poison store_user; do
		[[ $(cat /sys/kernel/slab/sessha_session/$f 2>/dev/null) == 1 ]] && dbg+="$f "
	done
	emit row meta slub_debug_sessha "${dbg:-off}" \
		cmdline "$(tr -d '"\\' < /proc/cmdline | cut -c1-400)"
	[[ -n $dbg ]] && say "warning: slub_debug on sessha_session: $dbg"

	for sys in $SYSTEMS; do
		want fwd || want setup || want lag || want v6wire || want mem ||
			continue
		up_system "$sys" || return 1
		if [[ $sys == sessha ]] && want fwd; then bench_fwd; fi
		want setup && bench_setup
		if want lag; then
			bench_lag
			[[ $sys == sessha ]] && sessha_auth && bench_lag sessha-auth 10.205.0.0
		fi
		want v6wire && bench_v6wire
		want mem && bench_mem
		down_system
	done
	if want failover; then
		for sys in $SYSTEMS $([[ " $SYSTEMS " == *" ipvs "* ]] && echo ipvs-nosync); do
			up_system "$sys" || return 1
			start_servers >/dev/null || { say "servers did not start"; return 1; }
			FO_SPORT=20000
			for n in $FAILOVER_CONNS; do
				bench_failover "$n"
				uncrash_n1
				FO_SPORT=$((FO_SPORT + n + 1000))
			done
			down_system
		done
	fi
	emit row meta stopped "$(date -u +%FT%TZ)" seconds $((SECONDS - T_BENCH))
	say "done"
}

# One line: nothing after it is read, even if this file changes meanwhile.
guest_main; exit
