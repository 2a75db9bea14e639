#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh (make demo): sessha keeps live TCP connections through the loss
# of a servicing node.
#
# Builds lib.sh's topology (client, forwarder, nodes n1-n3, backends
# b1-b3), runs 60 long-lived connections through the VIP, pulls n1's
# cable, has the controller mark it down, and shows what happened: a
# timeline, each host's counters and the verdict. Exit 0 if every
# connection survived on its original backend.

VERBOSE=${VERBOSE:-0}
source "$(dirname "$0")/lib.sh"

CONNS=${CONNS:-60}
INTERVAL=1

say() { printf '%s\n' "$*"; }
at() {
	# at TEXT: a timeline line, time since the traffic started
	local t

	tick
	t=$((NOW - T0))
	printf '  t=%3d.%ds  %s\n' $((t / 1000)) $((t % 1000 / 100)) "$*"
}
die() { say "demo: $*"; exit 1; }

cat <<EOF
sessha demo: session high availability for Linux gateways

                       client $CLIENT_ADDR
                           |  TCP to VIP $VIP port $VPORT
                       fwd $FWD_ADDR   (picks the owner node, tunnels)
                 /         |         \\
           n1 ${ADDR[n1]}  n2 ${ADDR[n2]}  n3 ${ADDR[n3]}
                           (own sessions, sync replicas)
                 \\         |         /
           b1 ${ADDR[b1]}  b2 ${ADDR[b2]}  b3 ${ADDR[b3]}
                           (echo servers; reply to the client directly)
  address families: SESSHA_FAMILY=$SESSHA_FAMILY (make demo FAMILY=4|6|6over4|4over6)
EOF
say ""

require_sessha
say "Setting up 9 namespaces, the same sessha config on fwd and n1-n3 ..."
setup_topology >/dev/null || die "topology setup failed"
sessha_all >/dev/null || die "sessha config failed"
start_servers || die "echo servers did not start"
say "Policy: ring (rendezvous hash) over nodes 1,2,3; each session is"
say "owned by one node and replicated to the next one in its hash order."
say ""
say "Timeline:"

tick; T0=$NOW
start_client --target "$VIP:$VPORT" --conns $CONNS --interval $INTERVAL \
	--connect-rate 40
at "traffic starts: $CONNS connections, one message per ${INTERVAL}s each"
wait_for 90 client_all_replied || die "connections did not come up: $STATUS"
at "$CONNS/$CONNS connections established and answering"
wait_for 60 replicas_on $CONNS "${NODES[@]}" || die "replicas missing ($REPLICAS)"
owners=""
for n in "${NODES[@]}"; do
	owners+=" $n:$(session_count "$n" owner)"
done
at "sessions owned:$owners; $REPLICAS replicas synced"

owner_ports n1 > "$WORK/affected.n1"
mapfile -t AFFECTED_PORTS < "$WORK/affected.n1"
AFFECTED=${#AFFECTED_PORTS[@]}
nap 2
tick; T_CRASH=$NOW
crash_node n1 >/dev/null
at "CRASH: n1's cable pulled (it owned $AFFECTED connections)"
mark_down_all n1 >/dev/null
tick; T_DOWN=$NOW
at "controller marked node 1 down on fwd, n2, n3"
if wait_for 60 client_replied_since "$T_DOWN"; then
	at "all connections answering again"
else
	at "some connections did not answer within 60 s"
fi
if wait_for 30 replicas_on $CONNS n2 n3; then
	at "every session replicated again on the survivors ($REPLICAS)"
fi
nap 2
stop_client
analyze_client "crash,$T_CRASH,$T_DOWN,$WORK/affected.n1" ||
	die "cannot analyze the client report"

say ""
say "Stall (time without a reply across the crash):"
printf '  n1'"'"'s %d connections: max %d ms, p50 %d ms\n' "$AFFECTED" \
	"${AN[crash.affected.stall_max]}" "${AN[crash.affected.stall_p50]}"
printf '  the other %d:         max %d ms, p50 %d ms\n' $((CONNS - AFFECTED)) \
	"${AN[crash.other.stall_max]}" "${AN[crash.other.stall_p50]}"
printf '  normal gap before the crash: p50 %d ms, max %d ms\n' \
	"${AN[baseline_p50]}" "${AN[baseline_max]}"

say ""
say "Counters (sessha -j stats show on each host; n1 as it was left):"
cols=(fwd_packets served_packets sessions_created replicas_created
      sessions_promoted sync_tx_records sync_rx_records drop_no_session)
printf '  %-18s' counter
for h in fwd "${NODES[@]}"; do printf '%10s' "$h"; done
printf '\n'
declare -A S=()
for h in fwd "${NODES[@]}"; do
	S[$h]=$(stats_of "$h")
done
for c in "${cols[@]}"; do
	printf '  %-18s' "$c"
	for h in fwd "${NODES[@]}"; do
		printf '%10s' "$(json_num "${S[$h]}" "$c")"
	done
	printf '\n'
done

# survived: no error, never another backend, answered after the mark-down
survived=${AN[survived]}
say ""
if ((survived == CONNS)); then
	say "VERDICT: $survived/$CONNS connections survived on their original backends."
	exit 0
fi
say "VERDICT: only $survived/$CONNS connections survived on their original backends" \
	"(errors: ${AN[errors]} ${AN[error_list]}, backend changes: ${AN[changes]})."
exit 1
