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
#   lag5k    the same at 5,000 sessions a second, sessha with a cluster key
#   churn    60 s of 5,000 new sessions a second that expire as fast:
#            bulk records, digest mismatches, loss (counters)
#   mem      kernel memory per session with 1,000,000 sessions, and the cost
#            per packet at 1k and at 1M sessions (pktgen, UDP); GC share
#   takeover 300,000 flows through the forwarder; a node fails: time until
#            its flows have owners and replicas again, records dropped
#   join     1,000,000 flows; GC and digest share; a node restarts and
#            joins: time until it is ready
#   failover N long-lived connections (traffic.py), crash a servicing node,
#            survival and stall (sessha; IPVS with and without sync)
#
# setup, lag and lag5k run as paired trials: sessha and IPVS take turns,
# PAIR_TRIALS times, in one topology that carries both (IPVS on a VIP of
# its own), so that every ratio comes from trials next to each other.
#
# Environment: see GUEST_KNOBS below and bench/README.md; BENCH_ONLY picks
# sections (default all), BENCH_PERF=1 (the default on the host: perf
# profiles; BENCH_PERF= turns them off), VM_MEM (default 4G), VM_TIMEOUT
# (default 3000).
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

GUEST_KNOBS=(BENCH_ONLY BENCH_SYSTEMS FAILOVER_CONNS BENCH_TRIALS PAIR_TRIALS
	     SETUP_SESSIONS LAG_RATE LAG_SESSIONS LAG5K_RATE LAG5K_SESSIONS
	     CHURN_RATE CHURN_SECS CHURN_POOL CHURN_TIMEOUT MEM_SESSIONS
	     TAKEOVER_SESSIONS JOIN_SESSIONS FWD_SECS LOOKUP_SECS LOOKUP_TRIALS
	     LOOKUP_RATE_TRIALS
	     LOOKUP_PERF_HZ LOOKUP_PERF_SECS GC_TRIALS V6_TRIALS FAILOVER6_CONNS)

host_perf_reports() {
	# the guest's profiles (perf-*.data) as text (perf-*.txt) for
	# bench/report.py: every symbol with its samples for the lookup and
	# GC profiles, the top 150 by share for the others
	local d txt k n t0 t1

	for d in "$RAW"/perf-*.data; do
		[[ -e $d ]] || continue
		txt=${d%.data}.txt
		case ${d##*/} in
		perf-lookup-*|perf-gc-*)
			# one profile per slice of time, a trial each, between
			# the first sample and the last (perf record -B does not
			# note them, so --time's percentages do not work)
			n=$(cat "${d%.data}.slices")
			read -r t0 t1 < <(perf script -f -i "$d" --kallsyms "$RAW/kallsyms" \
				-F time 2>/dev/null | awk '{ sub(":", "", $1) }
				NR == 1 { a = $1 } { b = $1 } END { printf "%.6f %.6f\n", a, b }')
			for k in $(seq "$n"); do
				perf report -f -n -i "$d" --kallsyms "$RAW/kallsyms" \
					--time "$(awk -v a="$t0" -v b="$t1" -v k="$k" -v n="$n" \
						'BEGIN { printf "%.6f,%.6f", a + (b - a) * (k - 1) / n,
							 a + (b - a) * k / n }')" \
					--no-children --sort sym --stdio 2>/dev/null |
					grep -E '^# (Samples|Event count)|^ +[0-9.]+%' \
					> "${d%.data}-$k.txt"
			done;;
		*)
			perf report -f -q -i "$d" --kallsyms "$RAW/kallsyms" \
				--no-children --sort sym --stdio 2>/dev/null |
				grep -E '^ +[0-9.]+%' | head -150 > "$txt";;
		esac
	done
}

host_main() {
	local kver=${1:-$("$SRC/tools/vm/kver.sh" 6.1)} rc=0

	host_deps || return 1
	[[ -f $SRC/kmod/sessha.ko && -x $SRC/tools/sessha ]] ||
		{ echo "bench: build first (make all)"; return 1; }
	rm -rf "$RAW"
	mkdir -p "$RAW"
	# the host's load: other VMs share its 2 cores
	echo "before $(cat /proc/loadavg)" > "$RAW/host-load.txt"
	# gen.py --owner's helper
	cc -O2 -Wall -o "$SRC/build/bench/owners" "$HERE/owners.c" || return 1
	# slab_nomerge: the session caches must show in /proc/slabinfo under
	# their own names, not merged into a kmalloc cache of the same size.
	# tools/vm/run.sh turns on slub_debug for sessha's caches (red zones,
	# owner tracking): "-,sessha*" turns it off again, or sessha would be
	# measured with bigger objects and slower allocations than IPVS.
	# the guest's knobs (see the guest part below), those that are set
	local k env=()
	for k in "${GUEST_KNOBS[@]}"; do
		[[ -n ${!k:-} ]] && env+=("$k=${!k}")
	done
	# no_timer_check: on a loaded host the emulated IO-APIC timer can miss
	# the boot's check, which then panics ("IO-APIC + timer doesn't work").
	# (A comment inside the continued command below would end it there.)
	VM_MEM=${VM_MEM:-4G} VM_TIMEOUT=${VM_TIMEOUT:-3000} \
	VM_APPEND="slab_nomerge slub_debug=-,sessha* no_timer_check ${VM_APPEND:-}" \
		"$SRC/tools/vm/run.sh" "$kver" "${env[@]}" \
		BENCH_PERF="${BENCH_PERF-1}" \
		"$HERE/run.sh" --guest || rc=$?
	[[ -s $RAW/measure.jsonl ]] || { echo "bench: no measurements"; return 1; }
	echo "after $(cat /proc/loadavg)" >> "$RAW/host-load.txt"
	host_perf_reports
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

ONLY=${BENCH_ONLY:-fwd setup lag v6wire lag5k churn mem takeover join failover fwd6 wire6 failover6}
SYSTEMS=${BENCH_SYSTEMS:-sessha ipvs}
FAILOVER_CONNS=${FAILOVER_CONNS:-200 2000}
TRIALS=${BENCH_TRIALS:-5}
GEN="$PYTHON $HERE/gen.py"
UPORT=9                 # the UDP service pktgen aims at
IPVS_SYNC_PORT=8848
# Paired trials: sessha and IPVS take turns in one topology, PAIR_TRIALS
# times (the order flips every trial), for setup, lag and lag5k.
PAIR_TRIALS=${PAIR_TRIALS:-5}
PAIR_VIP=10.77.101.1    # IPVS's VIP in the paired topology
IVIP=$VIP               # IPVS's VIP now
SETUP_SESSIONS=${SETUP_SESSIONS:-7000}
LAG_RATE=${LAG_RATE:-200}
LAG_SESSIONS=${LAG_SESSIONS:-1000}
LAG5K_RATE=${LAG5K_RATE:-5000}
LAG5K_SESSIONS=${LAG5K_SESSIONS:-10000}
CHURN_RATE=${CHURN_RATE:-5000}
CHURN_SECS=${CHURN_SECS:-60}
CHURN_POOL=${CHURN_POOL:-100000}
CHURN_TIMEOUT=${CHURN_TIMEOUT:-4}
MEM_SESSIONS=${MEM_SESSIONS:-1000000}
TAKEOVER_SESSIONS=${TAKEOVER_SESSIONS:-300000}
JOIN_SESSIONS=${JOIN_SESSIONS:-1000000}
FWD_SECS=${FWD_SECS:-2}
LOOKUP_SECS=${LOOKUP_SECS:-2}
LOOKUP_TRIALS=${LOOKUP_TRIALS:-5}             # perf slices
LOOKUP_RATE_TRIALS=${LOOKUP_RATE_TRIALS:-3}   # pktgen rate pairs
LOOKUP_PERF_HZ=${LOOKUP_PERF_HZ:-4999}
LOOKUP_PERF_SECS=${LOOKUP_PERF_SECS:-3}
GC_TRIALS=${GC_TRIALS:-5}

# IPv6 rows: a topology of their own with lib.sh's SESSHA_FAMILY=6
# addresses (use_family), fewer trials
V6_TRIALS=${V6_TRIALS:-3}
FAILOVER6_CONNS=${FAILOVER6_CONNS:-200}
TC_PROTO=ip TUN_PROTO=4  # use_family 6 changes them

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

use_family() {
	# use_family 4|6: the addresses of lib.sh's family variant (every
	# host has both families on eth0; this picks the fabric's and the
	# VIP's) for the topologies set up from now on. TC_PROTO is tc's
	# name for the family, TUN_PROTO the tunnels' IP protocol number
	local h

	SESSHA_FAMILY=$1
	ADDR=()
	if [[ $1 == 6 ]]; then
		for h in "${!ADDR6[@]}"; do ADDR[$h]=${ADDR6[$h]}; done
		VIP=fd77:100::1 VIP_PLEN=128 CLIENT_ADDR=${ADDR6[client]}
		FWD_ADDR=${ADDR6[fwd]} TC_PROTO=ipv6 TUN_PROTO=41
	else
		for h in "${!ADDR4[@]}"; do ADDR[$h]=${ADDR4[$h]}; done
		VIP=10.77.100.1 VIP_PLEN=32 CLIENT_ADDR=${ADDR4[client]}
		FWD_ADDR=${ADDR4[fwd]} TC_PROTO=ip TUN_PROTO=4
	fi
	IVIP=$VIP
}

svc_addr() {
	# svc_addr ADDR PORT: ipvsadm's ADDR:PORT, [ADDR]:PORT for IPv6
	if [[ $1 == *:* ]]; then echo "[$1]:$2"; else echo "$1:$2"; fi
}

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
		nsx "$h" tc filter add dev $dev "$dir" protocol "$TC_PROTO" flower "$@" action drop
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
	# PG_HOST's pg0, 60-byte UDP frames to the VIP, in one shell. An IPv6
	# VIP: pktgen has no range of IPv6 sources, so the flows differ in
	# their UDP source port (1024-65535, random), from SRC_MIN; the frames
	# are 78 bytes, the least pktgen sends over IPv6
	local mac=$1 smin=$2 smax=$3 rnd=$4 dport=$5 count=$6 flag
	local src="src_min $smin" srcx="src_max $smax" sport=9 size=60 dst=dst

	PG_ARGS=("$@")

	flag=$( ((rnd)) && echo IPSRC_RND || echo '!IPSRC_RND')
	if [[ $VIP == *:* ]]; then
		src="src6 $smin" srcx="udp_src_max 65535" sport=1024 size=78
		dst=dst6 flag=UDPSRC_RND
	fi
	nsx "$PG_HOST" sh -c '
		set -e
		cd /proc/net/pktgen
		# reset removes every device; a separate rem_device_all would
		# race with the add_device after it
		echo reset > pgctrl
		echo "add_device pg0" > kpktgend_0
		for c in "count $1" "clone_skb 0" "pkt_size $8" "delay 0" \
			 "$9 $2" "dst_mac $3" "udp_src_min ${10}" "udp_src_max ${10}" \
			 "$4" "$5" "udp_dst_min $6" "udp_dst_max $6" "flag $7"; do
			echo "$c" > pg0
		done' sh "$count" "$VIP" "$mac" "$src" "$srcx" "$dport" "$flag" \
			"$size" "$dst" "$sport" ||
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
		script="ip addr add $IVIP/$VIP_PLEN dev lo && ipvsadm --set 900 120 3600"
		script+=" && ipvsadm -A -t $(svc_addr "$IVIP" $VPORT) -s rr"
		script+=" && ipvsadm -A -u $(svc_addr "$IVIP" $UPORT) -s rr"
		for b in "${BACKENDS[@]}"; do
			script+=" && ipvsadm -a -t $(svc_addr "$IVIP" $VPORT) -r $(svc_addr "${ADDR[$b]}" $VPORT) -i"
			script+=" && ipvsadm -a -u $(svc_addr "$IVIP" $UPORT) -r $(svc_addr "${ADDR[$b]}" $UPORT) -i"
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
	nsx fwd ip route replace "$VIP/$VIP_PLEN" "${nh[@]}"
}

fwd_routing() {
	nsx fwd sh -c '
		for f in ip_forward fib_multipath_hash_policy conf/all/send_redirects \
			 conf/default/send_redirects conf/eth0/send_redirects; do
			case $f in *redirects) v=0;; *) v=1;; esac
			echo $v > /proc/sys/net/ipv4/$f || exit 1
		done
		echo 1 > /proc/sys/net/ipv6/conf/all/forwarding &&
		echo 1 > /proc/sys/net/ipv6/fib_multipath_hash_policy'
	# IPv6 has no send_redirects: the client must not follow the
	# forwarder's redirects to a director (IPVS over IPv6)
	nsx client sh -c 'for f in all default eth0; do
		echo 0 > /proc/sys/net/ipv6/conf/$f/accept_redirects; done'
}

sessha_config() {
	# sessha_all (lib.sh: tcp/80 ring over 1,2,3) plus udp/9 for pktgen;
	# n1's second service owns every flow (pairs 1:2) for the memory run
	SERVICES=("1 tcp $VPORT policy ring nodes 1,2,3"
		  "2 udp $UPORT policy ring nodes 1,2,3")
	sessha_all >/dev/null
}

up_system() {
	# up_system sessha|ipvs|ipvs-nosync|pair: a fresh topology for it;
	# "pair" carries both: sessha on the VIP, IPVS (with sync) on
	# PAIR_VIP, so that the two can take turns in one boot and topology
	SYSTEM=$1
	IVIP=$VIP
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
	pair)
		IVIP=$PAIR_VIP
		if [[ " $SYSTEMS " == *" sessha "* ]]; then
			sessha_config || { say "sessha config failed"; return 1; }
		fi
		if [[ " $SYSTEMS " == *" ipvs "* ]]; then
			ipvs_config 1 || { say "ipvs config failed"; return 1; }
		fi;;
	esac
}

down_system() {
	teardown
	SLEEPER=()
	IVIP=$VIP
	SESSHA_KEYED=0
}

CLIENT_SLOT=210
next_client() {
	# next_client: CLIENT = the first address of a /16 no other run of
	# the paired topology used (10.210.0.0 on): a session's client
	# address names it in the captures; IPv6: of a /64 (fd78:0:0:210::)
	CLIENT=10.$CLIENT_SLOT.0.0
	[[ $VIP == *:* ]] && CLIENT=fd78:0:0:$CLIENT_SLOT::
	CLIENT_SLOT=$((CLIENT_SLOT + 1))
	((CLIENT_SLOT < 256)) || CLIENT_SLOT=210
}

paired() {
	# paired FUNCTION [ARG...]: FUNCTION ARG... TRIAL once per system in
	# SYSTEMS and trial, SYSTEM set; the first system alternates
	local trial sys order

	for trial in $(seq "$PAIR_TRIALS"); do
		order=$SYSTEMS
		((trial % 2)) || order=$(echo "$SYSTEMS" | tr ' ' '\n' | tac | tr '\n' ' ')
		for sys in $order; do
			SYSTEM=$sys
			"$@" "$trial"
		done
	done
	SYSTEM=pair
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
	# bench_fwd [ROW TRIALS MODES...]: the IPv6 row (fwd6) is the same
	# with fewer trials and without ecmp, from the IPv6 topology
	local row=${1:-fwd} trials=${2:-$TRIALS} trial mode modes
	shift 2 2>/dev/null
	modes=${*:-drop plain ecmp sessha}

	say "$row: pktgen through the forwarder, $trials trials x modes $modes, ${FWD_SECS}s each"
	fwd_routing
	fwd_sessha off
	PG_HOST=fwd
	if [[ $VIP == *:* ]]; then
		pg_setup "${MAC[fwd.pg1]}" fd78:200::1 - 0 "$UPORT" 0
	else
		pg_setup "${MAC[fwd.pg1]}" 10.200.0.1 10.200.255.254 1 "$UPORT" 0
	fi
	for trial in $(seq "$trials"); do
		for mode in $modes; do
			case $mode in
			drop) tc_sink fwd ingress;;
			plain) tc_sink fwd egress
			       nsx fwd ip route replace "$VIP/$VIP_PLEN" via "${ADDR[n1]}";;
			ecmp) ecmp_route n1 n2 n3;;
			sessha) nsx fwd ip route del "$VIP/$VIP_PLEN"
				fwd_sessha on;;
			esac
			pg_measure fwd "$FWD_SECS"
			emit row "$row" mode "$mode" trial "$trial" pps "$RATE"
			say "$row: $mode trial $trial: $RATE pps; $(pg_result)"
		done
		if [[ -n ${BENCH_PERF:-} && $trial == 1 ]]; then
			perf_profile fwd "sessha${row#fwd}"
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
	perf record -q -B -N -e cpu-clock -F 499 -a -o /tmp/perf.data -- sleep 2 >/dev/null 2>&1
	pg_stop
	cp /tmp/perf.data "${out%.txt}.data"
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
		  --dst-mac "${MAC[n1.pg1]}" --dport "$VPORT")
	# sessha: only flows that the policy gives n1 (tcp/80 is service 1,
	# ring over 1,2,3), or the backups would refuse their records
	if [[ $SYSTEM == sessha ]]; then
		GEN_ARGS+=(--vip "$VIP" --encap "${ADDR[fwd]},${ADDR[n1]}"
			   --owner 1 --ring 1,2,3 --service 1)
	else
		GEN_ARGS+=(--vip "$IVIP")
	fi
	return 0
}

sync_port() { [[ $SYSTEM == sessha ]] && echo $SYNC_PORT || echo $IPVS_SYNC_PORT; }

bench_setup() {
	# bench_setup TRIAL: one pair of phases of SETUP_SESSIONS sessions of
	# three frames each, all built before the clock starts, written on
	# n1's pg0 (n1 owns them all: they arrive as if from the forwarder).
	# In the "real" phase n1 drops what it sends the backends at its
	# egress (tc flower: IPIP) but sync goes out; in the "drop" phase
	# before it, n1 drops the same frames at pg1's ingress: the
	# generator's cost, subtracted later. Sessions are counted on n1.
	local trial=$1 c0 c1 rep hook

	rep=$RAW/setup-$SYSTEM-$trial.json
	gen_args
	next_client
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
	$GEN "${GEN_ARGS[@]}" --client "$CLIENT" --sessions "$SETUP_SESSIONS" \
		--phases drop,real --hook "$hook" --settle 3 --report "$rep" \
		>/dev/null || { say "gen.py failed"; return 1; }
	node_sessions_created; c1=$NODE_CREATED
	emit row setup system "$SYSTEM" trial "$trial" sessions $((c1 - c0)) \
		sent "$SETUP_SESSIONS" gen "$(<"$rep")"
	say "setup: $SYSTEM trial $trial: $((c1 - c0)) of $SETUP_SESSIONS sessions created"
	tc_sink n1 off
}

CAP_PID=
capture_start() {
	# capture_start FILE FILTER: tcpdump on every link of n1; "ip netns
	# exec" execs tcpdump, so $! is tcpdump itself (a shell function in
	# the background would leave it running when killed); what tcpdump
	# says at its end (packets the kernel dropped) goes to FILE.log
	rm -f "$1"
	ip netns exec "${NS[n1]}" tcpdump -i any -s 2048 -B 16384 -w "$1" -U -n "$2" \
		2>"$1.log" &
	CAP_PID=$!
	# tcpdump writes the file's header once its filter is in place: it
	# takes a second or more to start in the guest
	wait_for 20 test -s "$1"
	nap 0.5
}

CAP_DROPPED=0 CAP_UNREAD=0
capture_stop() {
	# CAP_DROPPED: packets the capture lost. tcpdump -U writes each packet
	# as it reads it, and in a loaded guest it reads seconds behind what
	# the kernel's filter has taken; killed then, it leaves the rest
	# unread: wait until the file has not grown for a second (at most
	# 30 s). CAP_UNREAD: what the filter took and tcpdump never wrote.
	local s0=-1 s1 i rx cap

	for i in $(seq 30); do
		s1=$(stat -c %s "$1")
		[[ $s1 == "$s0" ]] && break
		s0=$s1
		nap 1
	done
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=
	CAP_DROPPED=$(sed -n 's/^\([0-9]*\) packets dropped by kernel/\1/p' "$1.log" 2>/dev/null)
	CAP_DROPPED=${CAP_DROPPED:-null}
	rx=$(sed -n 's/^\([0-9]*\) packets received by filter/\1/p' "$1.log" 2>/dev/null)
	cap=$(sed -n 's/^\([0-9]*\) packets captured/\1/p' "$1.log" 2>/dev/null)
	CAP_UNREAD=null
	[[ -n $rx && -n $cap ]] && CAP_UNREAD=$((rx - cap))
}

sync_sender() {
	# n1's address on its sync datagrams: IPVS multicasts over IPv4
	if [[ $SYSTEM == sessha ]]; then echo "${ADDR[n1]}"; else echo "${ADDR4[n1]}"; fi
}

lag_filter() {
	# the SYNs and bare ACKs into n1 (plain, or inside IPIP from the
	# forwarder) and n1's sync traffic: not the data, which would only
	# load the capture; IPv6: the SYNs and ACKs inside IPv6-in-IPv6
	if [[ $VIP == *:* ]]; then
		echo "(ip6 proto 41 and (ip6[93] = 2 or ip6[93] = 16)) or udp port $(sync_port)"
		return
	fi
	echo "(ip proto 4 and (ip[53] = 2 or ip[53] = 16)) or (tcp dst port $VPORT and" \
	     "(tcp[13] = 2 or tcp[13] = 16)) or udp port $(sync_port)"
}

bench_lag() {
	# Replication lag and wire bytes: SESSIONS sessions at RATE a second
	# to n1, with tcpdump on all of n1's links (one clock). bench/report.py
	# matches each session's first frame in with the first sync datagram
	# out that carries its client address.
	# bench_lag ROW RATE SESSIONS TRIAL: ROW is lag (at LAG_RATE) or
	# lag5k; the run is named after the system, sessha-auth once sessha
	# has a cluster key
	local row=$1 rate=$2 sessions=$3 trial=$4 label=$SYSTEM pcap

	[[ $SYSTEM == sessha ]] && ((SESSHA_KEYED)) && label=sessha-auth
	pcap=$RAW/$row-$label-$trial.pcap
	gen_args
	next_client
	tc_sink n1 egress ip_proto "$TUN_PROTO"
	capture_start "$pcap" "$(lag_filter)"
	$GEN "${GEN_ARGS[@]}" --client "$CLIENT" --sessions "$sessions" \
		--rate "$rate" --report "$pcap.gen.json" >/dev/null
	# IPVS flushes a partial sync buffer after 2 s at the latest; sessha
	# within its 1 ms window (digests then show up, once a second)
	if [[ $SYSTEM == ipvs ]]; then nap 3; else nap 1.5; fi
	capture_stop "$pcap"
	tc_sink n1 off
	emit row "$row" system "$label" trial "$trial" sessions "$sessions" \
		rate "$rate" pcap "$(basename "$pcap")" sync_port "$(sync_port)" \
		client "$CLIENT" sender "$(sync_sender)" capture_dropped "$CAP_DROPPED" \
		capture_unread "$CAP_UNREAD" \
		gen "$(<"$pcap.gen.json")"
	say "$row: $label trial $trial: capture $(stat -c %s "$pcap") bytes, $CAP_DROPPED dropped, $CAP_UNREAD unread"
}

SESSHA_KEYED=0
sessha_auth() {
	# the same cluster key on n1-n3: sync v2 signs every datagram
	# (HMAC-SHA256); the next lag run sees what that costs
	local n key=$WORK/cluster.key

	od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$key"
	for n in "${NODES[@]}"; do
		nsx "$n" "$SESSHA" sync key add id 1 file "$key" ||
			{ say "sync key add failed"; return 1; }
	done
	SESSHA_KEYED=1
	nap 2
}

bench_v6wire() {
	# IPVS sync bytes per IPv6 session: the same capture as bench_lag, for
	# an IPv6 VIP on n1, in the paired topology (sessha's are measured in
	# the IPv6 topology: bench_v6, row wire6).
	local pcap=$RAW/v6wire-$SYSTEM.pcap vip6=fd77:100::1

	[[ $SYSTEM == ipvs ]] || return 0
	nsx n1 sh -c 'for f in all default eth0 lo pg1; do
		echo 0 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done'
	nsx n1 ip addr add fd77::11/64 dev eth0 nodad 2>/dev/null  # lib.sh has it
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
	nap 3
	capture_stop "$pcap"
	tc_sink n1 off
	emit row v6wire system "$SYSTEM" sessions "$LAG_SESSIONS" \
		pcap "$(basename "$pcap")" sync_port $IPVS_SYNC_PORT client fd78::1:0 \
		sender "${ADDR4[n1]}" rate "$LAG_RATE" capture_dropped "$CAP_DROPPED" \
		capture_unread "$CAP_UNREAD"
	say "v6wire: $SYSTEM: capture $(stat -c %s "$pcap") bytes"
}

stats_json() {
	# stats_json HOST...: {"HOST": {counters}, ...} for sessha's nodes
	local h out=""

	stats_all "$@" || return 1
	for h in "$@"; do
		out+="${out:+,}\"$h\":${STATS[$h]}"
	done
	echo "{$out}"
}

drops_json() {
	# {"softnet": backlog drops (all CPUs), "HOST": UDP receive buffer
	# errors in HOST, ...}: where datagrams can be lost inside the guest
	local h line f d=0 out

	while read -r -a f; do
		d=$((d + 16#${f[1]}))
	done < /proc/net/softnet_stat
	out="\"softnet\":$d"
	for h in "$@"; do
		line=$(nsx "$h" awk '/^Udp:/ { if (!n++) { for (i = 2; i <= NF; i++) k[i] = $i }
			else for (i = 2; i <= NF; i++) if (k[i] == "RcvbufErrors") print $i }' /proc/net/snmp)
		out+=",\"$h\":${line:-0}"
	done
	echo "{$out}"
}

bench_churn() {
	# Steady churn: CHURN_SECS seconds of CHURN_RATE new TCP sessions a
	# second to n1, each established and then idle, so that it expires
	# CHURN_TIMEOUT seconds later (plus up to a GC pass): as many come as
	# go. The counters of all three nodes before and after tell whether
	# anything was lost, repaired in bulk or seen differently by digests.
	# gen.py goes round a pool of CHURN_POOL sessions, whose first round
	# has expired before the second begins (pool / rate > timeout + 8 s).
	local before after rep=$RAW/churn-gen.json t0 t1 n d0 d1

	[[ $SYSTEM == sessha ]] || return 0
	for n in "${NODES[@]}"; do
		par nsx "$n" "$SESSHA" config set timeout-tcp "$CHURN_TIMEOUT"
	done
	wait_all
	gen_args
	CLIENT=10.160.0.0       # a /12 of its own (the captures use 10.210+)
	# what the earlier runs left expires first
	nap $((CHURN_TIMEOUT + 9))
	tc_sink n1 egress ip_proto 4
	before=$(stats_json "${NODES[@]}")
	d0=$(drops_json "${NODES[@]}")
	tick; t0=$NOW
	$GEN "${GEN_ARGS[@]}" --client "$CLIENT" --sessions "$CHURN_POOL" \
		--rate "$CHURN_RATE" --duration "$CHURN_SECS" --settle 2 \
		--report "$rep" >/dev/null || { say "gen.py failed"; return 1; }
	tick; t1=$NOW
	after=$(stats_json "${NODES[@]}")
	d1=$(drops_json "${NODES[@]}")
	tc_sink n1 off
	emit row churn system "$SYSTEM" keyed "$SESSHA_KEYED" \
		drops_before "$d0" drops_after "$d1" \
		rate "$CHURN_RATE" seconds "$CHURN_SECS" pool "$CHURN_POOL" \
		timeout "$CHURN_TIMEOUT" wall_ms $((t1 - t0)) \
		before "$before" after "$after" gen "$(<"$rep")"
	say "churn: $CHURN_SECS s at $CHURN_RATE/s done in $((t1 - t0)) ms"
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
	for trial in $(seq "$LOOKUP_RATE_TRIALS"); do
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
	# samples the CPUs (cpu-clock, LOOKUP_PERF_HZ: thousands of samples
	# a trial) for LOOKUP_TRIALS trials: the samples in the lookup
	# functions against those in per-packet functions whose cost does not
	# depend on the table (bench/report.py), whatever else (GC, the host)
	# takes the CPUs meanwhile
	local label=$1 out=$RAW/perf-lookup-$SYSTEM-$1 trial

	command -v perf >/dev/null || return 0
	tc_sink n1 egress
	perf_sample "$out" "$LOOKUP_PERF_HZ" "$LOOKUP_PERF_SECS" "$LOOKUP_TRIALS"
	for trial in $(seq "$LOOKUP_TRIALS"); do
		emit row lookup_perf system "$SYSTEM" sessions "$label" \
			trial "$trial" hz "$LOOKUP_PERF_HZ" file "$(basename "$out")-$trial.txt"
	done
	say "lookup: $SYSTEM $label: $LOOKUP_TRIALS perf profiles"
	tc_sink n1 off
}

perf_sample() {
	# perf_sample OUT HZ SECS TRIALS: pktgen as set up, one cpu-clock
	# profile of all CPUs while it runs, TRIALS x SECS long, to OUT.data;
	# the host cuts it into TRIALS slices of time, OUT-1.txt and on (perf
	# takes half a minute to start and to report in the guest)
	pg_start
	nap 1
	perf record -q -B -N -a -e cpu-clock -F "$2" -o /tmp/perf-s.data -- \
		sleep $(($3 * $4)) >/dev/null 2>&1 || say "perf record failed"
	pg_stop
	cp /tmp/perf-s.data "$1.data"
	echo "$4" > "$1.slices"
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
	# the profiles at 1M: lookup_perf's, and for sessha bench_gc's
	[[ $SYSTEM == sessha ]] && bench_gc 1M n1 "$MEM_SESSIONS"
}

# ------------------------------------------------------------ 7-9. scale

scale_config() {
	# udp/9 keeps its ring over 1,2,3 with sync on, for many sessions
	local n

	for n in "${NODES[@]}"; do
		par nsx "$n" "$SESSHA" config set timeout-udp 3600 max-sessions 3000000
	done
	wait_all
}

sum_of() {
	# sum_of COUNTER HOST...: the sum over HOSTs of a counter in STATS
	local c=$1 h v t=0; shift

	for h in "$@"; do
		v=$(json_num "${STATS[$h]}" "$c") || v=0
		t=$((t + v))
	done
	echo "$t"
}

src_max() {
	# src_max N: the last of N sequential sources from 10.128.0.0
	$PYTHON -c "import ipaddress; print(ipaddress.ip_address('10.128.0.0') + $1 - 1)"
}

nodes_sink() {
	# nodes_sink on|off: n1-n3 drop what they send the backends (IPIP)
	local h

	for h in "${NODES[@]}"; do
		if [[ $1 == on ]]; then tc_sink "$h" egress ip_proto 4; else tc_sink "$h" off; fi
	done
}

fill_cluster() {
	# fill_cluster N: pktgen in the forwarder, N UDP flows to the VIP from
	# sequential sources (10.128.0.0 on); the forwarder's hook tunnels
	# each to its owner by the policy, as in service; a few passes, until
	# the nodes serve 99% of N; then until each has its replica. Sets
	# FILLED (flows served), OWN1 and BACK1 (flows n1 serves, replicas
	# it holds)
	local n=$1 pass s0 r0 t0 smax

	fwd_routing
	smax=$(src_max "$n")
	stats_all "${NODES[@]}"
	s0=$(sum_of sessions_created "${NODES[@]}")
	r0=$(sum_of replicas_created "${NODES[@]}")
	local o0 b0 o3
	o0=$(json_num "${STATS[n1]}" sessions_created)
	b0=$(json_num "${STATS[n1]}" replicas_created)
	o3=$(json_num "${STATS[n3]}" sessions_created)
	tick; t0=$NOW
	nodes_sink on
	PG_HOST=fwd
	for pass in 1 2 3 4; do
		pg_setup "${MAC[fwd.pg1]}" 10.128.0.0 "$smax" 0 "$UPORT" "$n"
		pg_start
		pg_wait
		nap 1
		stats_all "${NODES[@]}"
		FILLED=$(( $(sum_of sessions_created "${NODES[@]}") - s0 ))
		say "fill: pass $pass: $FILLED flows served"
		((FILLED >= n * 99 / 100)) && break
	done
	wait_for 300 replicas_since "$r0" "$FILLED"
	# a fill this fast may leave repair to do (its counters are in the
	# next row's "before"): measure from a quiet cluster
	wait_for 90 repair_quiet
	nodes_sink off
	OWN1=$(( $(json_num "${STATS[n1]}" sessions_created) - o0 ))
	OWN3=$(( $(json_num "${STATS[n3]}" sessions_created) - o3 ))
	BACK1=$(( $(json_num "${STATS[n1]}" replicas_created) - b0 ))
	tick
	say "fill: $FILLED flows, $REPL replicas, n1 serves $OWN1 and backs up $BACK1, after $((NOW - t0)) ms"
}

REPAIR_SUM=-1
repair_quiet() {
	# repair_quiet: no bulk request or answer since the last call
	local now

	stats_all "${NODES[@]}" || return 1
	now=$(( $(sum_of sync_bulk_requests "${NODES[@]}") +
		$(sum_of sync_bulk_answers "${NODES[@]}") ))
	[[ $now == "$REPAIR_SUM" ]] && return 0
	REPAIR_SUM=$now
	nap 1.5
	return 1
}

REPL=0
replicas_since() {
	# replicas_since R0 N: the nodes created N replicas since R0
	stats_all "${NODES[@]}" || return 1
	REPL=$(( $(sum_of replicas_created "${NODES[@]}") - $1 ))
	((REPL >= $2 * 999 / 1000))
}

TK_PROMOTED=0 TK_REPLICAS=0
taken_over() {
	# taken_over P0 R0 N: the survivors promoted N flows since P0 (and
	# TK_REPLICAS: created that many replicas since R0)
	stats_all n2 n3 || return 1
	TK_PROMOTED=$(( $(sum_of sessions_promoted n2 n3) - $1 ))
	TK_REPLICAS=$(( $(sum_of replicas_created n2 n3) - $2 ))
	((TK_PROMOTED >= $3))
}

bench_takeover() {
	# Takeover at scale: TAKEOVER_SESSIONS UDP flows through the forwarder,
	# each served by its owner by the policy and replicated to its backup.
	# Then n1's cable is pulled and the controller marks it down on the
	# forwarder and the survivors; the time from the mark-down until the
	# survivors' counters say that every flow n1 served has an owner
	# again (sessions_promoted) and every flow n1 served or backed up has
	# a replica again (replicas_created), polled. Records dropped:
	# sync_tx_errors (and table or memory drops) on the survivors.
	local before after t0 t1 t2 t3=0 p0 r0 ok=true

	[[ $SYSTEM == sessha ]] || return 0
	scale_config
	fill_cluster "$TAKEOVER_SESSIONS"
	nap 2
	before=$(stats_json n1 n2 n3)
	stats_all n2 n3
	p0=$(sum_of sessions_promoted n2 n3)
	r0=$(sum_of replicas_created n2 n3)
	crash_node n1 >/dev/null
	tick; t0=$NOW
	mark_down_all n1 >/dev/null
	tick; t1=$NOW
	TK_REPLICAS=0
	while :; do
		taken_over "$p0" "$r0" "$OWN1" && ((TK_REPLICAS >= OWN1 + BACK1)) && break
		((t3 == 0 && TK_PROMOTED >= OWN1)) && { tick; t3=$NOW; }
		tick
		((NOW - t0 > 600000)) && { ok=false; break; }
		nap 0.2
	done
	tick; t2=$NOW
	((t3)) || t3=$t2
	nap 2
	after=$(stats_json n2 n3)
	emit row takeover system "$SYSTEM" sessions "$FILLED" owned "$OWN1" \
		backed_up "$BACK1" complete "$ok" \
		markdown_ms $((t1 - t0)) owners_ms $((t3 - t0)) takeover_ms $((t2 - t0)) \
		promoted "$TK_PROMOTED" replicas "$TK_REPLICAS" \
		before "$before" after "$after"
	say "takeover: n1 served $OWN1 and backed up $BACK1 of $FILLED: promoted $TK_PROMOTED, replicas $TK_REPLICAS, $((t2 - t0)) ms after the mark-down (complete: $ok)"
}

sync_state() {
	# sync_state HOST: joining or ready
	local j re='"state"[[:space:]]*:[[:space:]]*"([a-z]+)"'

	j=$(sessha_json "$1" sync show) || return 1
	[[ $j =~ $re ]] && echo "${BASH_REMATCH[1]}"
}

joined() { [[ $(sync_state n3) == ready ]]; }

bench_gc() {
	# bench_gc LABEL HOST N: GC_TRIALS cpu-clock profiles of all CPUs
	# while pktgen sends to random flows among the first N, from HOST's
	# pg0: n1 (which serves them all, sync off; it drops what it serves)
	# or the forwarder (to each flow's owner; the nodes drop what they
	# serve). bench/report.py takes the share of the busy samples in the
	# GC walk and the digest work
	local label=$1 host=$2 n=$3 trial out=$RAW/perf-gc-$SYSTEM-$1

	command -v perf >/dev/null || return 0
	PG_HOST=$host
	pg_setup "${MAC[$host.pg1]}" 10.128.0.0 "$(src_max "$n")" 1 "$UPORT" 0
	if [[ $host == n1 ]]; then tc_sink n1 egress; else nodes_sink on; fi
	perf_sample "$out" 999 3 "$GC_TRIALS"
	for trial in $(seq "$GC_TRIALS"); do
		emit row gc_perf system "$SYSTEM" sessions "$label" \
			sync "$([[ $host == n1 ]] && echo false || echo true)" \
			entries "$n" trial "$trial" file "$(basename "$out")-$trial.txt"
	done
	if [[ $host == n1 ]]; then tc_sink n1 off; else nodes_sink off; fi
	say "gc: $GC_TRIALS profiles, $label"
}

bench_join() {
	# Join at scale: JOIN_SESSIONS flows through the forwarder, each
	# served by its owner and replicated. First the GC and digest work
	# (bench_gc). Then n3 restarts (its namespace goes, with all of
	# sessha's state there) and the controller marks it down on the
	# others, which take its flows over; then n3 is configured again and
	# marked up on the others. The time from the start of its
	# configuration to "sessha sync show" saying ready there (every
	# peer's bulk answer complete, or the join timeout), polled.
	local t0 t1 t2 ok=true before after p0

	[[ $SYSTEM == sessha ]] || return 0
	scale_config
	fill_cluster "$JOIN_SESSIONS"
	nap 2
	bench_gc cluster-1M fwd "$FILLED"
	stats_all n1 n2
	p0=$(sum_of sessions_promoted n1 n2)
	restart_host n3 >/dev/null || { say "restart n3 failed"; return 1; }
	pin_neighbours n3 b1 b2 b3 n1 n2
	mark_down_all n3 n1 n2 >/dev/null
	# n3's flows have owners again before it comes back
	wait_for 300 promoted_since "$p0" "$OWN3"
	before=$(stats_json n1 n2)
	tick; t0=$NOW
	SESSHA_NODE_FIRST="config set timeout-udp 3600 max-sessions 3000000" \
		sessha_config_lines n3 | sessha_script n3 >/dev/null ||
		{ say "n3 config failed"; return 1; }
	mark_up_all n3 >/dev/null
	tick; t1=$NOW
	wait_for 120 joined || ok=false
	tick; t2=$NOW
	nap 1
	after=$(stats_json n1 n2 n3)
	emit row join system "$SYSTEM" sessions "$FILLED" ready "$ok" \
		config_ms $((t1 - t0)) ready_ms $((t2 - t0)) owned_by_n3 "$OWN3" \
		before "$before" after "$after"
	say "join: n3 ready $((t2 - t0)) ms after its configuration began (ready: $ok)"
}

promoted_since() {
	# promoted_since P0 N: n1 and n2 promoted N flows since P0
	stats_all n1 n2 || return 1
	(( $(sum_of sessions_promoted n1 n2) - $1 >= $2 ))
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
	local n=$1 conns_ok affected row=${FO_ROW:-failover}
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
	cp "$WORK/client.json" "$RAW/$row-$SYSTEM-$n.json"
	cp "$WORK/affected" "$RAW/$row-$SYSTEM-$n.ports"
	if [[ $SYSTEM == sessha ]]; then
		local h
		for h in fwd n2 n3; do
			stats_of "$h" > "$RAW/$row-$SYSTEM-$n-stats-$h.json"
		done
	fi
	emit row "$row" system "$SYSTEM" conns "$n" interval "$FO_INTERVAL" \
		all_up "$([[ $conns_ok == 0 ]] && echo true || echo false)" \
		crash_ms "$T_CRASH" down_ms "$T_DOWN" \
		on_crashed "$([[ $SYSTEM == sessha ]] && echo "$affected" || echo null)" \
		report "$row-$SYSTEM-$n.json" ports "$row-$SYSTEM-$n.ports"
	say "$row: $SYSTEM N=$n: crashed n1${affected:+ (it owned $affected)}"
}

# ------------------------------------------------------------ main

failovers() {
	# failovers ROW N...: servers on the backends, then bench_failover
	# for each population N, n1 back in service after each
	local row=$1 n; shift

	start_servers >/dev/null || { say "servers did not start"; return 1; }
	FO_SPORT=20000 FO_ROW=$row
	for n in "$@"; do
		bench_failover "$n"
		uncrash_n1
		FO_SPORT=$((FO_SPORT + n + 1000))
	done
}

declare -A SECTION_T0=()
section_begin() { SECTION_T0[$1]=$SECONDS; }
section_end() {
	emit row section name "$1" seconds $((SECONDS - ${SECTION_T0[$1]}))
	say "section $1: $((SECONDS - ${SECTION_T0[$1]})) s"
}

section() {
	# section NAME COMMAND...: COMMAND, timed (a "section" row)
	local name=$1 rc=0; shift

	section_begin "$name"
	"$@" || rc=$?
	section_end "$name"
	return $rc
}

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
	# the host reads the profiles with the guest's symbols (sessha's too)
	cat /proc/kallsyms > "$RAW/kallsyms" &
	# one traffic.py process holds every connection (2,000 and more)
	ulimit -n 65536
	# Every namespace's packets pass through the same per-CPU backlog of
	# this one guest (1,000 by default): a generator's burst would drop
	# sync datagrams between namespaces, which separate machines' NICs
	# would not.
	sysctl -qw net.core.netdev_max_backlog=10000
	local f dbg=""
	for f in sanity_checks red_zone poison store_user; do
		[[ $(cat /sys/kernel/slab/sessha_session/$f 2>/dev/null) == 1 ]] && dbg+="$f "
	done
	emit row meta slub_debug_sessha "${dbg:-off}" \
		cmdline "$(tr -d '"\\' < /proc/cmdline | cut -c1-400)"
	[[ -n $dbg ]] && say "warning: slub_debug on sessha_session: $dbg"

	# One topology with both systems: forwarding (sessha's forwarder
	# against plain and ECMP routing), then sessha and IPVS in turns.
	if want fwd || want setup || want lag || want v6wire || want lag5k ||
	   want churn; then
		section_begin pair
		up_system pair || return 1
		if [[ " $SYSTEMS " == *" sessha "* ]] && want fwd; then
			section fwd bench_fwd
		fi
		want setup && section setup paired bench_setup
		want lag && section lag paired bench_lag lag "$LAG_RATE" "$LAG_SESSIONS"
		if [[ " $SYSTEMS " == *" ipvs "* ]] && want v6wire; then
			SYSTEM=ipvs section v6wire bench_v6wire
		fi
		if [[ " $SYSTEMS " == *" sessha "* ]]; then
			SYSTEM=sessha sessha_auth
			# the keyed run at 200/s: one trial (the key's cost is
			# its 16 bytes per datagram; lag5k runs keyed, paired)
			want lag && SYSTEM=sessha section lag-auth \
				bench_lag lag "$LAG_RATE" "$LAG_SESSIONS" 1
		fi
		want lag5k && section lag5k paired bench_lag lag5k "$LAG5K_RATE" "$LAG5K_SESSIONS"
		want churn && SYSTEM=sessha section churn bench_churn
		down_system
		section_end pair
	fi
	for sys in $SYSTEMS; do
		want mem || continue
		up_system "$sys" || return 1
		section "mem-$sys" bench_mem
		down_system
	done
	for sys in takeover join; do
		want $sys && [[ " $SYSTEMS " == *" sessha "* ]] || continue
		up_system sessha || return 1
		section "$sys" "bench_$sys"
		down_system
	done
	if want failover; then
		for sys in $SYSTEMS $([[ " $SYSTEMS " == *" ipvs "* ]] && echo ipvs-nosync); do
			section_begin "failover-$sys"
			up_system "$sys" || return 1
			failovers failover $FAILOVER_CONNS || return 1
			down_system
			section_end "failover-$sys"
		done
	fi
	# IPv6: lib.sh's SESSHA_FAMILY=6 addresses. sessha's IPv6 topology
	# serves fwd6 and wire6; then, like the IPv4 failover, a fresh one
	# per system for failover6 (wire6's sessions would count as copies)
	use_family 6
	if [[ " $SYSTEMS " == *" sessha "* ]] && { want fwd6 || want wire6; }; then
		section_begin v6-sessha
		up_system sessha || return 1
		want fwd6 && section fwd6 bench_fwd fwd6 "$V6_TRIALS" drop plain sessha
		if want wire6; then
			section_begin wire6
			for n in $(seq "$V6_TRIALS"); do
				bench_lag wire6 "$LAG_RATE" "$LAG_SESSIONS" "$n"
			done
			section_end wire6
		fi
		down_system
		section_end v6-sessha
	fi
	for sys in $SYSTEMS; do
		want failover6 || break
		section_begin "failover6-$sys"
		up_system "$sys" || return 1
		failovers failover6 $FAILOVER6_CONNS || return 1
		down_system
		section_end "failover6-$sys"
	done
	use_family 4
	emit row meta stopped "$(date -u +%FT%TZ)" seconds $((SECONDS - T_BENCH))
	say "done"
}

# One line: nothing after it is read, even if this file changes meanwhile.
guest_main; exit
