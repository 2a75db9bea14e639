#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 14-pmtu: a tunnelled flow over an IPv6 fabric does not black-hole when
# a link on the way is smaller than the tunnel packet.
#
#   ┌──────────────┐  UDP   ┌──────────────────┐ IPv6 tunnel ┌──────────────┐
#   │ $client .2   ├───────►│ $n1 ::11, node 1 ├────────────►│ $b1 ::21     │
#   │ VIP via n1   │  (sw)  │ service 1 udp/53 │   (sw, b1's │ eth0 mtu 1280│
#   └──────────────┘        │ backend b1       │  port 1280) │ socat on VIP │
#                           └──────────────────┘             └──────────────┘
#
# b1's link has an MTU of 1280; there is no router to say so, so each
# step plays the router's part with a Packet Too Big sent from b1.
#   1. A 1000-byte datagram reaches b1 through the tunnel.
#   2. Negative control: a 1400-byte datagram makes a tunnel packet too
#      big for b1's link; it never arrives (the black hole).
#   3. A forged Packet Too Big, quoting a tunnel packet from an address n1
#      does not have, changes nothing: pmtu_learned stays 0, n1's route
#      to b1 learned no MTU.
#   4. A Packet Too Big (MTU 1280) quoting n1's tunnel packet to b1:
#      pmtu_learned counts it, n1's route to b1 has MTU 1280, and the
#      next 1400-byte datagram arrives whole (n1 fragments the outer
#      packet, b1 reassembles it).
#   5. One quoting plain UDP from n1 is not sessha's: pmtu_learned stays
#      1. (6.12's own UDP error handler applies it to the route, 6.1's
#      does not: the route is not checked.)
#   6. No kernel warning.
#
# IPv6 in IPv6 (SESSHA_FAMILY=6) and IPv4 in IPv6 (4over6: an IPv4 VIP
# and client, b1 decapsulating on an ip6tnl device in mode any).
# variants: 6 4over6

source "$(dirname "$0")/lib.sh"

SPORT=53
MTU=1280

require_sessha
command -v socat >/dev/null || skip_all "socat not found"
dmesg_mark
NODES=(n1)
BACKENDS=(b1)
setup_topology client n1 b1 || fail_all "topology"
# The inner packet is the client's family, the outer the fabric's (IPv6).
if [[ $VIP == *:* ]]; then
	INNER_PROTO=41 GW=${ADDR6[n1]}
else
	INNER_PROTO=4 GW=${ADDR4[n1]}
fi
ipn client route replace $VIP/$VIP_PLEN via "$GW"
SERVICES=("1 udp $SPORT policy ring nodes 1")
sessha_config_lines n1 | sessha_script n1
log_test $? 0 "sessha config on n1: node 1, service 1 udp/$SPORT, backend b1"
ipn b1 link set eth0 mtu $MTU
ipn sw link set vb1 mtu $MTU

pretty b1 "socat -u UDP-RECV:$SPORT,bind=$VIP > received"
case $VIP in
*:*) recv="UDP6-RECV:$SPORT,bind=[$VIP]" ;;
*) recv="UDP4-RECV:$SPORT,bind=$VIP" ;;
esac
ip netns exec "${NS[b1]}" socat -u "$recv" - > "$WORK/received" 2>&1 &
BG_PIDS+=($!)
listening() { ip netns exec "${NS[b1]}" ss -Hlun "sport = :$SPORT" | grep -q .; }
wait_for 10 listening
log_test $? 0 "b1 listens on $VIP udp/$SPORT"

send() {
	# send SIZE TAG: one datagram of SIZE bytes, TAG then dots, no newline
	local size=$1 tag=$2 body

	printf -v body '%*s' $((size - ${#tag})) ''
	pretty client "socat: $size bytes ($tag) to $VIP:$SPORT"
	printf '%s%s' "$tag" "${body// /.}" |
		ip netns exec "${NS[client]}" socat -u - "$(vip_udp $SPORT),sourceport=40300"
}
arrived() { grep -q "$1" "$WORK/received"; }
route_mtu() {
	# the path MTU n1 learned for b1, 0 if none (the device's then)
	local m

	m=$(ip netns exec "${NS[n1]}" ip -6 route get "${ADDR[b1]}" |
		sed -n 's/.* mtu \([0-9]*\).*/\1/p')
	echo "${m:-0}"
}

# ---------------------------------------------------------------- 1.
send 1000 SMALL
wait_for 10 arrived SMALL
log_test $? 0 "1000 bytes through the tunnel arrive at b1"

# ---------------------------------------------------------------- 2.
send 1400 BLACKHOLE
wait_for 3 arrived BLACKHOLE
log_test $? 1 "negative control: 1400 bytes, a tunnel packet over b1's MTU, never arrive"

# ---------------------------------------------------------------- 3.
ptb() {
	# ptb SRC PROTO: from b1 to n1, a Packet Too Big ($MTU) quoting a
	# packet from SRC to b1 of protocol PROTO
	pretty b1 "ICMPv6 Packet Too Big, mtu $MTU, quoting $1 -> ${ADDR[b1]} proto $2"
	ip netns exec "${NS[b1]}" $PYTHON - "${ADDR[n1]}" "$1" "${ADDR[b1]}" "$2" $MTU <<'EOF'
import socket, struct, sys

to, src, dst, proto, mtu = sys.argv[1:]
quoted = struct.pack('!IHBB', 6 << 28, 1408, int(proto), 64)
quoted += socket.inet_pton(socket.AF_INET6, src)
quoted += socket.inet_pton(socket.AF_INET6, dst) + bytes(48)
# The kernel fills in an ICMPv6 raw socket's checksum.
msg = struct.pack('!BBHI', 2, 0, 0, int(mtu)) + quoted
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.sendto(msg, (to, 0))
EOF
}
ptb fd77::99 $INNER_PROTO
log_test $? 0 "forged: quoting a tunnel packet from fd77::99"
nap 1
expect "$(sum_stat pmtu_learned n1)" -eq 0 "n1 learned nothing from it"
expect "$(route_mtu)" -eq 0 "n1's route to b1 has no path MTU of its own"

# ---------------------------------------------------------------- 4.
ptb "${ADDR[n1]}" $INNER_PROTO
learned() { (($(sum_stat pmtu_learned n1) == 1)); }
wait_for 5 learned
log_test $? 0 "n1 learned from the one quoting its own tunnel packet (pmtu_learned 1)"
expect "$(route_mtu)" -eq $MTU "n1's route to b1 now has MTU $MTU"
send 1400 WHOLE
wait_for 10 arrived WHOLE
log_test $? 0 "the next 1400 bytes arrive whole, fragmented on the way"

# ---------------------------------------------------------------- 5.
ptb "${ADDR[n1]}" 17
log_test $? 0 "quoting UDP from n1"
nap 1
expect "$(sum_stat pmtu_learned n1)" -eq 1 "not a tunnel packet: pmtu_learned stays 1"

check_dmesg
test_exit
