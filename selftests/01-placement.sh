#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 01-placement: where sessions and their replicas live.
#
# Topology: lib.sh (client -> fwd -> n1|n2|n3 -> b1|b2|b3, DSR back to the
# client). Two services on the VIP:
#   service 1, tcp/80, policy ring over nodes 1,2,3
#   service 2, tcp/81, policy pairs 1:3,2:1,3:2
# 30 long-lived connections to each. Then, from the nodes' session tables,
# the backends' accept logs and the client's echoes:
#   - every backend served connections, and the backend a session names is
#     the one that answered that connection;
#   - each connection has exactly one owner session, on the node the
#     session calls its owner, and exactly one replica with the same
#     backend, on the session's backup node;
#   - the forwarder keeps no session, tunnels (fwd_packets) and serves
#     nothing itself; nothing is dropped anywhere;
#   - pairs: every replica of a session owned by node k sits on map(k)
#     (the map is not "the next node in the list", so that a policy that
#     ignored it would fail here);
#   - ring: sessions are spread over all three nodes, backup != owner.
#
# Also in IPv6 everywhere (SESSHA_FAMILY=6: VIP, client, nodes, backends).
# variants: 4 6

source "$(dirname "$0")/lib.sh"

CONNS=30
SERVICES=("1 tcp 80 policy ring nodes 1,2,3"
	  "2 tcp 81 policy pairs 1:3,2:1,3:2")

require_sessha
dmesg_mark
setup_topology || { log_test 1 0 "topology"; test_exit; }
sessha_all
log_test $? 0 "same nodes, services and backends on fwd, n1, n2, n3"
start_servers 80,81
log_test $? 0 "echo servers listen on $VIP:80,81 in b1 b2 b3"

start_client --target "$VIP:80" --target "$VIP:81" --conns $CONNS \
	--interval 1 --sport-base 20000
wait_for 60 client_all_replied
log_test $? 0 "$((2 * CONNS)) connections through the forwarder answered"
log_info "client: $STATUS"

# Replicas are synced asynchronously: wait until every connection has one
# and it is established, like its owner.
replicas_established() {
	local n c total=0

	for n in "${NODES[@]}"; do
		c=$(sessha_json "$n" session show) || return 1
		c=${c//[[:space:]]/}
		total=$((total + $(json_count "$c" '"state":"established","role":"replica"')))
	done
	REPLICAS=$total
	((total >= 2 * CONNS))
}
wait_for 30 replicas_established
log_test $? 0 "every connection has an established replica ($REPLICAS)"

for h in fwd "${NODES[@]}"; do
	par eval 'sessha_json $h session show > "$WORK/sessions.$h.json"'
done
wait_all
log_test $? 0 "session dumps"

stop_client
# Stats after the traffic stopped; the nodes first, so that anything they
# served was counted by the forwarder already.
for h in "${NODES[@]}"; do
	stats_of "$h" > "$WORK/stats.$h.json"
done
stats_of fwd > "$WORK/stats.fwd.json"

cat > "$WORK/check.py" <<'EOF'
import json, os, sys

work = sys.argv[1]
conns_per_svc = int(sys.argv[2])
addr = dict(a.split('=') for a in sys.argv[3].split(','))
nodes = {1: 'n1', 2: 'n2', 3: 'n3'}
pairs = {1: 3, 2: 1, 3: 2}
svc_port = {1: 80, 2: 81}


def load(name):
    with open(os.path.join(work, name)) as f:
        return json.load(f)


def check(ok, msg, detail=''):
    print('%s %s' % ('PASS' if ok else 'FAIL', msg))
    if not ok and detail:
        print('  ' + str(detail)[:600])


rep = load('client.json')
sess = {k: load('sessions.%s.json' % n) for k, n in nodes.items()}
fwd_sess = load('sessions.fwd.json')
stats = {n: load('stats.%s.json' % n) for n in ['fwd'] + list(nodes.values())}
by_addr = {addr[b]: b for b in ('b1', 'b2', 'b3')}

# What the backends saw: (local port, client port) -> backend.
accepted = {}
for b in ('b1', 'b2', 'b3'):
    with open(os.path.join(work, 'servers', b + '.log')) as f:
        for line in f:
            w = line.split()
            if w[0] == 'accept' and w[2] == addr['client']:
                accepted[(int(w[1]), int(w[3]))] = b

conns = rep['conns']
echo = {(c['port'], c['sport']): c['backend'] for c in conns}
check(all(c['error'] is None and c['changes'] == 0 and c['replies']
          for c in conns), 'no connection failed or changed backend',
      [c for c in conns if c['error'] or c['changes']][:3])
for port in (80, 81):
    seen = {b for (p, _), b in echo.items() if p == port}
    check(seen == {'b1', 'b2', 'b3'},
          'port %d: connections reached all three backends' % port, seen)
check(all(accepted.get(k) == b for k, b in echo.items()),
      'each backend logged the connections it echoed',
      [(k, b, accepted.get(k)) for k, b in echo.items()
       if accepted.get(k) != b][:5])

check(fwd_sess == [], 'the forwarder holds no session', fwd_sess[:2])
check(stats['fwd']['fwd_packets'] > 0 and
      stats['fwd']['served_packets'] == 0 and
      stats['fwd']['sessions_created'] == 0,
      'the forwarder tunnels (fwd_packets %d) and serves nothing' %
      stats['fwd']['fwd_packets'], stats['fwd'])
served = sum(stats[n]['served_packets'] for n in nodes.values())
check(0 < served <= stats['fwd']['fwd_packets'] and
      served >= 0.99 * stats['fwd']['fwd_packets'],
      'the nodes served what the forwarder tunnelled (%d of %d)' %
      (served, stats['fwd']['fwd_packets']))
drops = {n: {k: v for k, v in s.items() if k.startswith('drop_') and v}
         for n, s in stats.items()}
check(not any(drops.values()), 'no drop counted anywhere', drops)

for sid, port in svc_port.items():
    owners, replicas = {}, {}
    for k, lst in sess.items():
        for s in lst:
            if s['service'] != sid or s['client'] != addr['client']:
                continue
            key = s['cport']
            (owners if s['role'] == 'owner' else replicas) \
                .setdefault(key, []).append((k, s))
    sports = {c['sport'] for c in conns if c['port'] == port}
    check(set(owners) == sports and
          all(len(v) == 1 for v in owners.values()),
          'svc %d: one owner session per connection' % sid,
          (len(owners), len(sports),
           [v for v in owners.values() if len(v) != 1][:2]))
    check(all(k == s['owner'] for v in owners.values() for k, s in v),
          'svc %d: owner sessions sit on the node named as owner' % sid)
    check(all(by_addr.get(s['backend_addr']) == echo.get((port, cp))
              and s['backend'] == int(echo[(port, cp)][1])
              for cp, v in owners.items() for _, s in v),
          'svc %d: the session\'s backend is the one that answered' % sid,
          [(cp, s['backend_addr'], echo.get((port, cp)))
           for cp, v in owners.items() for _, s in v
           if by_addr.get(s['backend_addr']) != echo.get((port, cp))][:3])
    check(set(replicas) == sports and
          all(len(v) == 1 for v in replicas.values()),
          'svc %d: exactly one replica per connection' % sid,
          [(cp, [(k, s['owner']) for k, s in v])
           for cp, v in replicas.items() if len(v) != 1][:3])
    bad = []
    for cp, v in owners.items():
        k, o = v[0]
        r = replicas.get(cp, [])
        if not (o['backup'] in nodes and o['backup'] != k and
                len(r) == 1 and r[0][0] == o['backup'] and
                r[0][1]['backend'] == o['backend'] and
                r[0][1]['backend_addr'] == o['backend_addr'] and
                r[0][1]['owner'] == k):
            bad.append((cp, k, o['backup'], [(x, y['owner'], y['backend'])
                                             for x, y in r]))
    check(not bad, 'svc %d: the replica sits on the backup node, same backend,'
          ' backup != owner' % sid, bad[:3])
    spread = {k: len([1 for v in owners.values() if v[0][0] == k])
              for k in nodes}
    print('svc %d: owners per node %s' % (sid, spread))
    check(all(spread.values()),
          'svc %d: sessions are spread over all three nodes' % sid, spread)
    if sid == 2:
        check(all(v[0][1]['backup'] == pairs[v[0][0]] and
                  replicas[cp][0][0] == pairs[v[0][0]]
                  for cp, v in owners.items() if cp in replicas),
              'svc 2 (pairs): replicas of node k are on map(k)',
              [(cp, v[0][0], v[0][1]['backup'])
               for cp, v in owners.items()
               if v[0][1]['backup'] != pairs[v[0][0]]][:3])
EOF
addrs=$(for h in client b1 b2 b3; do printf '%s=%s,' $h "${ADDR[$h]}"; done)
run_checks $PYTHON "$WORK/check.py" "$WORK" $CONNS "${addrs%,}"
check_dmesg
test_exit
