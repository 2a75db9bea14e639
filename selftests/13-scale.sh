#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 13-scale: 100,000 flows, two failures, nothing lost; and the negative
# control, a send queue too small, whose losses the test sees and repair
# makes up for.
#
#   ┌──────────────────┐      ┌──────────────┐ IPIP ┌────────────┐ IPIP ┌──────────┐
#   │ $client          │ UDP  │ $fwd .1      ├─────►│ n1 n2 n3   ├─────►│ b1 b2 b3 │
#   │ pktgen on eth0:  ├─────►│ VIP -> owner │      │ ring 1,2,3 │      │ a sink:  │
#   │ 10.77.8.1-2,     │ (sw) └──────────────┘      └─────┬──────┘      │ tc drop  │
#   │ ports 10000-59999│                                  └ sync ┘      └──────────┘
#   │ -> VIP udp/53    │
#   └──────────────────┘
#
# Topology: lib.sh (the hosts and the switch), service 1 udp/53, policy
# ring over nodes 1,2,3, timeout-udp 3600 s so that nothing expires during
# the test. Neighbours are permanent (no packet waits for ARP or ND), and the
# backends drop at ingress what the owners tunnel to them. The kernel's
# packet generator (pktgen) in the client sends one packet per flow: 2
# source addresses x 50,000 source ports, in chunks of $CHUNK ports,
# $FILL_DELAY ns apart. A chunk during which the guest
# dropped packets (softnet_stat: its CPU backlog overflowed) is sent again,
# and the rest at half the rate: a flow whose packet got lost has no
# session, and a sync datagram lost there is a sync_tx_error.
#
# "Flow by flow" below: the sessions of the nodes checked are dumped
# ("sessha session show", in parallel), each entry becomes a line
# (client, port, owner, backup, backend, role), the lines are sorted and
# one pass tells, for each flow, whether it has exactly one owner and, on
# the node that owner names as backup, a replica that names the same owner
# and backend (no array over the flows: awk over 200,000 entries would
# take tens of seconds in the guest; a sort takes a few).
#
#   1. Fill: every flow has a session (unless the guest dropped packets:
#      then this count is skipped, logged), and flow by flow an owner and
#      a replica; no sync record was dropped (sync_tx_errors 0 on every
#      node; skipped if the guest dropped packets).
#   2. n1 crashes (its port on the switch goes down) and is marked down on
#      fwd, n2 and n3 (lib.sh's crash_node, mark_down_all). The time from
#      the start of the mark-down until the survivors created the replicas that the
#      takeover needs (n1's flows on their new backups, and the survivors'
#      own flows whose backup was n1) is printed and must stay within
#      $TAKEOVER_BOUND ms; then, flow by flow, every flow has an owner and
#      a replica on n2/n3, none is lost, and sync_tx_errors is still 0 on
#      all nodes (no record dropped: the default queue holds a record of
#      every session) and sync_tx_send_errors too (no datagram of a bulk
#      answer lost: a quiet 6.1 guest's takeover keeps the socket full
#      for more than 0.1 s).
#   3. n3 crashes too: n2, the last survivor, owns every flow (pigeonhole:
#      as many owner entries as flows, each flow at most once per table),
#      and holds no replica.
#   4. Negative control: the module is reloaded with sync_queue_limit=1
#      and sync_window_us=100000 (one batch may wait, so within a 100 ms
#      window a record for a second peer is dropped), the crashed nodes
#      come back, and $CONTROL_FLOWS flows are sent at once. The check of
#      step 1 sees the loss (sync_tx_errors > 0 on the nodes), and repair
#      (digests, bulk answers: sync_bulk_records > 0) completes every
#      replica within $REPAIR_BOUND s, flow by flow; the time is printed.
#   5. No kernel warning.
#
# Also in IPv6 everywhere (SESSHA_FAMILY=6: fd77:8::1-2 -> fd77:100::1,
# IPv6 in IPv6, sync over IPv6), steps 1-3 with 20,000 flows.
# variants: 4 6
# serial: step 4 reloads the module with other parameters

source "$(dirname "$0")/lib.sh"

SPORT=53
# Sources with no route back from the backends.
if [[ $VIP == *:* ]]; then
	SRC_ADDRS=(fd77:8::1 fd77:8::2) SINK_PROTO=ipv6
else
	SRC_ADDRS=(10.77.8.1 10.77.8.2) SINK_PROTO=ip
fi
PORT_MIN=10000
# per source address; IPv6 runs the same steps with a fifth of the flows
[[ $VIP == *:* ]] && PORTS=${PORTS:-10000}
PORTS=${PORTS:-50000}
FLOWS=$(( ${#SRC_ADDRS[@]} * PORTS ))
CONTROL_PORTS=${CONTROL_PORTS:-5000}
CONTROL_FLOWS=$(( ${#SRC_ADDRS[@]} * CONTROL_PORTS ))
CHUNK=${CHUNK:-1000}		# ports per pktgen run
FILL_DELAY=${FILL_DELAY:-100000}	# ns between packets
CONTROL_DELAY=${CONTROL_DELAY:-100000}
BACKLOG=10000			# net.core.netdev_max_backlog during the test
TAKEOVER_BOUND=${TAKEOVER_BOUND:-20000}
REPAIR_BOUND=${REPAIR_BOUND:-30}
SERVICES=("1 udp $SPORT policy ring nodes 1,2,3")
SESSHA_EXTRA="config set timeout-udp 3600"

require_sessha
pretty "" "modprobe pktgen"
modprobe pktgen 2>/dev/null || [[ -d /sys/module/pktgen ]] ||
	skip_all "the pktgen module is needed to generate the flows"
command -v sort >/dev/null || skip_all "sort not found"
dmesg_mark

# A longer CPU backlog absorbs the bursts of a guest whose vCPU stalled.
OLD_BACKLOG=$(</proc/sys/net/core/netdev_max_backlog)
pretty "" "sysctl net.core.netdev_max_backlog=$BACKLOG"
echo $BACKLOG > /proc/sys/net/core/netdev_max_backlog
restore_backlog() {
	echo "$OLD_BACKLOG" > /proc/sys/net/core/netdev_max_backlog
}
trap 'restore_backlog; cleanup' EXIT

SOFTNET=0
softnet_drops() {
	# packets the guest's CPU backlogs dropped so far, in SOFTNET
	local -a f
	local d=0

	while read -r -a f; do
		d=$((d + 16#${f[1]}))
	done < /proc/net/softnet_stat
	SOFTNET=$d
}

declare -A MAC=()
learn_macs() {
	local h f

	for h in "${HOSTS[@]}"; do
		read -r -a f <<<"$(ip -n "${NS[$h]}" -br link show dev eth0)" ||
			return 1
		MAC[$h]=${f[2]}
	done
}

pin_neighbours() {
	# pin_neighbours HOST PEER...: permanent ARP entries, so that no
	# packet of the fill waits in (or overflows) a neighbour queue
	local h=$1 p batch=""; shift

	for p in "$@"; do
		batch+="neigh replace ${ADDR[$p]} lladdr ${MAC[$p]} dev eth0 nud permanent"$'\n'
	done
	ip -n "${NS[$h]}" -batch - <<<"$batch"
}

pin_all() {
	local h

	learn_macs || return 1
	pretty "" "ip neigh replace ... nud permanent: fwd -> nodes, nodes -> all"
	par pin_neighbours fwd n1 n2 n3
	for h in n1 n2 n3; do
		par pin_neighbours $h fwd n1 n2 n3 b1 b2 b3
	done
	wait_all
}

sink_backends() {
	# the backends drop every IP packet at ingress: a sink that costs
	# the guest less than decapsulating 100,000 packets for no socket
	local b

	pretty "b1 b2 b3" "tc qdisc add dev eth0 clsact; tc filter add dev eth0 ingress protocol $SINK_PROTO matchall action drop"
	for b in "${BACKENDS[@]}"; do
		par tc -n "${NS[$b]}" -batch - <<-EOF
			qdisc add dev eth0 clsact
			filter add dev eth0 ingress protocol $SINK_PROTO matchall action drop
		EOF
	done
	wait_all
}

lost_where() {
	# where the packets of missing flows may have gone: the counters of
	# the forwarder and the nodes that drop
	local h c out

	stats_all fwd n1 n2 n3 || return 0
	for h in fwd n1 n2 n3; do
		out=""
		for c in fwd_packets served_packets drop_no_node drop_table_full \
			 drop_nomem drop_xmit drop_malformed; do
			out+=" $c $(json_num "${STATS[$h]}" $c)"
		done
		log_info "$h:$out"
	done
	for h in client fwd n1 n2 n3; do
		log_info "$h eth0: $(ip -n "${NS[$h]}" -s -o link show dev eth0 | tr -s ' ' | cut -c1-400)"
	done
}

# ------------------------------------------------------------ the fill

# Runs in the client's namespace (pktgen's control files are per
# namespace): fill ADDRS PORT_MIN PORTS CHUNK DELAY DST_MAC VIP SPORT.
# One pktgen run per chunk of ports of one address; pktgen's upper port is
# exclusive. "start" may return before the run even began (pktgen gives
# its thread 125 ms to pick the run up, not enough in a busy guest): the
# run is over when its start time changed and its result says OK. Prints
# "FILL sent N resent N short N drops N delay N"; short: chunks still
# incomplete after four tries.
FILL_SH='
cd /proc/net/pktgen || exit 1
addrs=$1 pmin=$2 ports=$3 chunk=$4 delay=$5 mac=$6 vip=$7 sport=$8
fifo=$(mktemp -u /tmp/sessha-fill.XXXXXX) && mkfifo "$fifo" &&
	exec {nap}<>"$fifo" && rm -f "$fifo" || exit 1
drops() {
	local -a f
	D=0
	while read -r -a f; do D=$((D + 16#${f[1]})); done < /proc/net/softnet_stat
}
state() {
	# S: packets sent, T: when the last run started, R: its result
	local line
	S=0 T= R=
	while read -r line; do
		case $line in
		pkts-sofar:*) read -r _ S _ <<<"$line";;
		started:*) read -r _ T _ <<<"$line";;
		Result:*) R=${line#Result: };;
		esac
	done < eth0
}
run() {
	# one run, to its end (at most 60 s)
	local t0 w

	state; t0=$T
	echo start > pgctrl || return 1
	for ((w = 0; w < 600; w++)); do
		state
		[[ $T != "$t0" && $R == OK:* ]] && return 0
		read -r -t 0.1 -u $nap _
	done
	return 1
}
# IPv6 frames need room for the pktgen header after the UDP one.
case $vip in
*:*)	dst="dst6 $vip" size=80
	src() { echo "src6 $1" > eth0; };;
*)	dst="dst $vip" size=60
	src() { echo "src_min $1" > eth0 && echo "src_max $1" > eth0; };;
esac
echo reset > pgctrl || exit 1
echo "add_device eth0" > kpktgend_0 || exit 1
for c in "clone_skb 0" "pkt_size $size" "$dst" "dst_mac $mac" \
	 "udp_dst_min $sport" "udp_dst_max $sport" "flag !UDPSRC_RND"; do
	echo "$c" > eth0 || exit 1
done
sent=0 resent=0 short=0 dropped=0
for a in $addrs; do
	src "$a" || exit 1
	for ((p = pmin; p < pmin + ports; p += chunk)); do
		n=$chunk
		((p + n > pmin + ports)) && n=$((pmin + ports - p))
		for try in 1 2 3 4; do
			echo "count $n" > eth0 && echo "delay $delay" > eth0 &&
			echo "udp_src_min $p" > eth0 &&
			echo "udp_src_max $((p + n))" > eth0 || exit 1
			drops; d0=$D
			run || S=0
			drops
			dropped=$((dropped + D - d0))
			# all sent, nothing dropped: next chunk; else again, slower
			((S == n && D == d0)) && break
			((try < 4)) && resent=$((resent + n))
			((delay < 1000000)) && delay=$((delay * 2))
		done
		((S == n)) && sent=$((sent + n)) || short=$((short + 1))
	done
done
echo "FILL sent $sent resent $resent short $short drops $dropped delay $delay"
'

fill() {
	# fill PORTS DELAY: one packet for each of PORTS ports of each source
	# address; FILL_MS, FILL_DROPS (softnet, during the fill), FILL_LINE
	local ports=$1 delay=$2 t0 d0

	softnet_drops; d0=$SOFTNET
	tick; t0=$NOW
	pretty client "pktgen: ${SRC_ADDRS[*]} ports $PORT_MIN-$((PORT_MIN + ports - 1)) -> $VIP:$SPORT, chunks of $CHUNK, delay $delay ns"
	FILL_LINE=$(ip netns exec "${NS[client]}" bash -c "$FILL_SH" bash \
		"${SRC_ADDRS[*]}" $PORT_MIN "$ports" $CHUNK "$delay" \
		"${MAC[fwd]}" $VIP $SPORT)
	local rc=$?
	tick; FILL_MS=$((NOW - t0))
	softnet_drops; FILL_DROPS=$((SOFTNET - d0))
	log_info "${FILL_LINE:-pktgen failed} in $FILL_MS ms; softnet drops $FILL_DROPS"
	local -a f=($FILL_LINE)
	FILL_SENT=${f[2]:-0}
	return $rc
}

SUM=0
sum_of() {
	# sum_of COUNTER HOST...: a counter summed over the hosts, from their
	# counters last read by stats_all, in SUM (no process launched)
	local c=$1 h v; shift

	SUM=0
	for h in "$@"; do
		v=$(json_num "${STATS[$h]}" "$c") || return 1
		SUM=$((SUM + v))
	done
}

sessions_created_at_least() {
	stats_all n1 n2 n3 && sum_of sessions_created n1 n2 n3 &&
		CREATED=$SUM && ((CREATED >= $1))
}

tx_lost() {
	# tx_lost HOST...: records not queued plus datagrams not sent, in
	# TXERR, from the last stats_all
	local q

	sum_of sync_tx_errors "$@" && q=$SUM &&
		sum_of sync_tx_send_errors "$@" && TXERR=$((q + SUM))
}

repair_info() {
	# repair_info HOST...: the repair counters, from the last stats_all
	local c out=""

	for c in sync_tx_errors sync_tx_send_errors sync_rx_gaps \
		 sync_resend_requests sync_resent_records sync_resend_misses \
		 sync_bulk_requests sync_bulk_answers \
		 sync_bulk_records sync_bulk_incomplete sync_digest_mismatches; do
		sum_of $c "$@" && out+=" $c $SUM"
	done
	log_info "$*:$out"
}

# ------------------------------------------------------------ flow by flow

dump_sessions() {
	# dump_sessions HOST...: text dumps into $WORK/sessions.HOST, at once
	local h p rc=0
	local -a pids=()

	pretty "$*" "sessha session show > $WORK/sessions.HOST"
	for h in "$@"; do
		ip netns exec "${NS[$h]}" "$SESSHA" session show \
			> "$WORK/sessions.$h" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || rc=1
	done
	return $rc
}

# One line per entry: client port owner backup backend O|R, where for a
# replica owner is the node it names and backup the node that holds it.
# An owner and its replica thus make the same line but for the role.
# "service 1 client A cport P backend B backend-addr X state S role R
#  owner O backup K expires Tms": the order is the CLI's, fixed.
ENTRY_AWK='
FNR == 1 { h = FILENAME; sub(/.*\.n/, "", h) }
$13 != "role" || $15 != "owner" || $17 != "backup" { bad++; next }
$14 == "owner" { print $4, $6, h, $18, $8, "O"; next }
{ print $4, $6, $16, h, $8, "R" }
END { if (bad) print "BAD", bad > "/dev/stderr" }'

# Over the sorted lines: per flow (client, port), its owners and replicas.
JUDGE_AWK='
function judge() {
	if (key == "")
		return
	if (no == 0) { orphan++; return }
	flows++
	owned[oo]++
	if (no > 1) { dual++; return }
	if (ob == 0) { nobackup++; return }
	if (matched) { ok++; pair[oo "-" ob]++; stray += nr - 1 }
	else if (nr) { wrong++; stray += nr - 1 }
	else missing++
}
{
	k = $1 " " $2
	if (k != key) {
		judge()
		key = k; no = 0; nr = 0; matched = 0
	}
	if ($6 == "O") { no++; oo = $3; ob = $4; last = $3 " " $4 " " $5 }
	else { nr++; if ($3 " " $4 " " $5 == last && no == 1) matched = 1 }
}
END {
	judge()
	printf "flows %d ok %d missing %d wrong %d nobackup %d dual %d orphan %d stray %d\n", \
		flows, ok, missing, wrong, nobackup, dual, orphan, stray
	for (n = 1; n <= 3; n++)
		printf "owned%d %d\n", n, owned[n]
	for (p in pair)
		printf "pair%s %d\n", p, pair[p]
}'

declare -A FC=()
check_flows() {
	# check_flows HOST...: judge every flow held by these hosts; results
	# in FC[flows], FC[ok], ..., FC[ownedN], FC[pairO-B] (owner O,
	# backup B); FC_SUMMARY
	local h i t0 t1 files=()

	tick; t0=$NOW
	dump_sessions "$@" || return 1
	tick; t1=$NOW
	for h in "$@"; do
		files+=("$WORK/sessions.$h")
	done
	awk "$ENTRY_AWK" "${files[@]}" | LC_ALL=C sort -S 64M |
		awk "$JUDGE_AWK" > "$WORK/judged" || return 1
	FC=()
	local -a f
	while read -r -a f; do
		if [[ ${f[0]} == flows ]]; then
			FC_SUMMARY="${f[*]}"
			for ((i = 0; i + 1 < ${#f[@]}; i += 2)); do
				FC[${f[i]}]=${f[i + 1]}
			done
		else
			FC[${f[0]}]=${f[1]}
		fi
	done < "$WORK/judged"
	tick
	log_info "$*: $FC_SUMMARY ($(wc -l < "${files[0]}") entries on $1; dump $((t1 - t0)) ms, judged in $((NOW - t1)) ms)"
}

flows_complete() {
	# every flow owned once, with its replica where its owner says
	check_flows "$@" &&
		((FC[flows] > 0 && FC[ok] == FC[flows] && FC[orphan] == 0 &&
		  FC[stray] == 0))
}

# ------------------------------------------------------------ 1. fill

setup_topology || fail_all "topology"
pin_all
log_test $? 0 "permanent neighbours on fwd and the nodes"
sink_backends
log_test $? 0 "the backends drop what reaches them (tc matchall)"
sessha_all
log_test $? 0 "same sessha config on fwd, n1, n2, n3 (udp/$SPORT, $SESSHA_EXTRA)" ||
	test_exit

fill $PORTS $FILL_DELAY
expect "$FILL_SENT" -eq $FLOWS "pktgen sent one packet for each of $FLOWS flows"
FILL1_DROPS=$FILL_DROPS
wait_for 30 sessions_created_at_least $FLOWS
if ((FILL1_DROPS)); then
	log_skip "every flow has a session: the guest dropped $FILL1_DROPS packets"
	log_info "$CREATED of $FLOWS sessions"
else
	expect "$CREATED" -eq $FLOWS "every flow has a session ($CREATED)" ||
		lost_where
fi
tick; T_FILLED=$NOW

flows_complete n1 n2 n3
log_test $? 0 "flow by flow: every session has an owner and a replica"
FLOWS_HELD=${FC[flows]}
tick
log_info "replicated $((NOW - T_FILLED)) ms after the fill, at the latest"
expect "$FLOWS_HELD" -ge $((FLOWS * 9 / 10)) "at least 90% of the flows to check ($FLOWS_HELD)"
stats_all n1 n2 n3 && tx_lost n1 n2 n3
if ((FILL1_DROPS)); then
	log_skip "no sync record dropped in the fill: the guest dropped $FILL1_DROPS packets"
	log_info "sync_tx_errors + sync_tx_send_errors $TXERR"
else
	expect "$TXERR" -eq 0 "no sync record dropped in the fill (sync_tx_errors + sync_tx_send_errors)"
fi
repair_info n1 n2 n3

# ------------------------------------------------------------ 2. n1 crashes

# What the takeover must create: n1's flows get a replica on the other
# survivor, and the survivors' flows backed up on n1 one on the other.
N1_OWNED=${FC[owned1]}
NEED=$(( N1_OWNED + ${FC[pair2-1]:-0} + ${FC[pair3-1]:-0} ))
log_info "n1 owns $N1_OWNED flows; the takeover needs $NEED new replicas"
sum_of replicas_created n2 n3; CREATED0=$SUM
sum_of sessions_promoted n2 n3; PROMOTED0=$SUM
TXERR0=$TXERR
softnet_drops; D0=$SOFTNET

takeover_done() {
	local c p

	stats_all n2 n3 && sum_of replicas_created n2 n3 && c=$SUM &&
		sum_of sessions_promoted n2 n3 && p=$SUM || return 1
	((p - PROMOTED0 >= N1_OWNED && c - CREATED0 >= NEED))
}

crash_node n1
tick; T_MARK=$NOW
mark_down_all n1
log_test $? 0 "controller marked n1 down on fwd, n2 and n3"
tick; T_DOWN=$NOW
wait_for $((TAKEOVER_BOUND / 1000 + 30)) takeover_done
rc=$?
tick; T_TAKEN=$NOW
log_test $rc 0 "the survivors promoted n1's flows and created $NEED replicas"
log_info "takeover complete $((T_TAKEN - T_MARK)) ms after the mark-down began ($((T_TAKEN - T_DOWN)) ms after the last \"node set\" returned, $((T_DOWN - T_MARK)) ms after it began; polled every ~0.5 s)"
expect $((T_TAKEN - T_MARK)) -le $TAKEOVER_BOUND \
	"takeover of $N1_OWNED flows within $TAKEOVER_BOUND ms of the mark-down"
flows_complete n2 n3
log_test $? 0 "flow by flow: every flow has an owner and a replica on n2/n3"
expect "${FC[flows]}" -eq "$FLOWS_HELD" "no flow lost ($FLOWS_HELD)"
softnet_drops
stats_all n1 n2 n3 && tx_lost n1 n2 n3
if ((SOFTNET > D0 && TXERR > TXERR0)); then
	log_skip "no sync record dropped in the takeover: the guest dropped $((SOFTNET - D0)) packets"
	log_info "sync_tx_errors + sync_tx_send_errors $TXERR (was $TXERR0)"
else
	expect "$TXERR" -eq "$TXERR0" "no sync record dropped in the takeover (sync_tx_errors + sync_tx_send_errors $TXERR)"
fi
repair_info n2 n3

# ------------------------------------------------------------ 3. n3 too

N3_OWNED=${FC[owned3]}
PROMOTED0=$(stat_of n2 sessions_promoted)
n2_took_all() {
	local p

	p=$(stat_of n2 sessions_promoted) && ((p - PROMOTED0 >= N3_OWNED))
}
crash_node n3
mark_down_all n3 n2
log_test $? 0 "controller marked n3 down on fwd and n2"
tick; T_DOWN=$NOW
wait_for 60 n2_took_all
log_test $? 0 "n2 promoted n3's $N3_OWNED flows"
tick
log_info "$((NOW - T_DOWN)) ms after the mark-down"
dump_sessions n2
OWNERS=$(grep -c " role owner " "$WORK/sessions.n2")
expect "$OWNERS" -eq "$FLOWS_HELD" "n2 owns every flow ($OWNERS): none lost"
expect "$(grep -c " role replica " "$WORK/sessions.n2")" -eq 0 "n2 holds no replica"

# ------------------------------------------------------------ 4. control

# The queue bound does not depend on the family: one control is enough.
if [[ $VIP == *:* ]]; then
	log_info "the queue-limit control runs in the IPv4 variant"
	check_dmesg
	test_exit
fi

SESSHA_QUEUE_LIMIT=1
SESSHA_SYNC_WINDOW=100000
load_module
for h in n1 n3; do
	pretty sw "ip link set v$h up   # $h is back"
	ip -n "${NS[sw]}" link set "v$h" up
done
sessha_all
log_test $? 0 "module reloaded (queue limit 1, 100 ms window), config again"

fill $CONTROL_PORTS $CONTROL_DELAY
expect "$FILL_SENT" -eq $CONTROL_FLOWS "pktgen sent one packet for each of $CONTROL_FLOWS flows"
tick; T_FILLED=$NOW
wait_for 30 sessions_created_at_least $CONTROL_FLOWS
stats_all n1 n2 n3 && sum_of sync_tx_errors n1 n2 n3
TXERR=$SUM
expect "$TXERR" -gt 0 "the check sees records dropped (sync_tx_errors $TXERR)"
wait_for $REPAIR_BOUND flows_complete n1 n2 n3
log_test $? 0 "repair completes every replica, flow by flow, within $REPAIR_BOUND s"
tick
log_info "complete $((NOW - T_FILLED)) ms after the fill"
stats_all n1 n2 n3 && sum_of sync_bulk_records n1 n2 n3
expect "$SUM" -gt 0 "the dropped records' buckets went in bulk ($SUM records)"
log_info "softnet drops in this fill: $FILL_DROPS"
repair_info n1 n2 n3

check_dmesg
test_exit
