#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# report.py - turn one bench/run.sh guest run into results.
#
#   report.py --raw build/bench/raw --out bench/results [--commit ID]
#             [--kver KVER] [--date YYYY-MM-DD]
#
# Reads raw/measure.jsonl (one object per measurement, written by the
# guest), the captures (raw/*.pcap) and the failover client reports
# (raw/failover-*.json), and writes OUT/DATE.json (everything derived, and
# the inputs that matter), OUT/DATE.md (the table) and OUT/DATE.png
# (latency distributions, drawn by gnuplot). The Markdown table is also
# printed. Standard library only.

import argparse
import datetime
import json
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile

TARGETS = {
    'fwd_ratio': 0.90,          # of plain IP forwarding
    'setup_ratio': 1.5,         # x IPVS with sync
    'wire_v4': 24,              # bytes per IPv4 session (IPVS v1: 36)
    'lag_p99_ms': 2.0,
    'survive': 1.0,             # share of connections older than the lag
    'mem_bytes': 128,           # kernel memory per session
}


def pct(vals, p):
    if not vals:
        return None
    vals = sorted(vals)
    k = (len(vals) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (k - lo)


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def rnd(x, n=1):
    return None if x is None else round(x, n)


# ---------------------------------------------------------------- pcap

def read_pcap(path):
    """Yields (ts, l3proto, l3 bytes) for each frame; Ethernet or SLL."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack('<I', data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = '<'
    else:
        e = '>'
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    linktype = struct.unpack(e + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(e + 'IIII', data[off:off + 16])
        off += 16
        pkt = data[off:off + incl]
        off += incl
        ts = sec + frac / (1e9 if nano else 1e6)
        if linktype == 1:           # Ethernet
            proto, l3 = struct.unpack('!H', pkt[12:14])[0], pkt[14:]
        elif linktype == 113:       # Linux cooked (SLL)
            proto, l3 = struct.unpack('!H', pkt[14:16])[0], pkt[16:]
        elif linktype == 276:       # SLL2
            proto, l3 = struct.unpack('!H', pkt[0:2])[0], pkt[20:]
        else:
            raise SystemExit('%s: link type %d' % (path, linktype))
        yield ts, proto, l3


def tcp_syn_client(proto, l3):
    """Client address of a SYN (plain, or inside IPIP), else None."""
    if proto == 0x0800 and len(l3) >= 20:
        ihl = (l3[0] & 15) * 4
        if l3[9] == 4:                      # IPIP: the inner packet
            return tcp_syn_client(0x0800, l3[ihl:])
        if l3[9] == 6 and len(l3) >= ihl + 14:
            if l3[ihl + 13] & 0x12 == 0x02:
                return l3[12:16]
    elif proto == 0x86dd and len(l3) >= 54 and l3[6] == 6:
        if l3[40 + 13] & 0x12 == 0x02:
            return l3[8:24]
    return None


def udp_payload(proto, l3, port):
    """(src, payload) of a UDP datagram to port, over IPv4 or IPv6."""
    if proto == 0x0800 and len(l3) >= 28 and l3[9] == 17:
        ihl = (l3[0] & 15) * 4
        if struct.unpack('!H', l3[ihl + 2:ihl + 4])[0] == port:
            return l3[12:16], l3[ihl + 8:]
    elif proto == 0x86dd and len(l3) >= 48 and l3[6] == 17:
        if struct.unpack('!H', l3[42:44])[0] == port:
            return l3[8:24], l3[48:]
    return None, None


# sessha sync v2 datagram types (kmod/wire.h): byte 0 is the version, byte
# 1 the type. A bulk answer is the type-1 datagrams to a peer between a
# BULK_START and a BULK_END to it. IPVS's sync header starts with a 0.
SESSHA_V2_RECORDS, SESSHA_V2_BULK_REQUEST, SESSHA_V2_BULK_START, \
    SESSHA_V2_BULK_END, SESSHA_V2_DIGEST = 1, 2, 3, 4, 5


def analyze_capture(path, port, client, count, sender='10.77.0.11'):
    """Replication lag and sync bytes per session from one capture.

    A session is a client address that sent a SYN. Its lag is the time from
    its first SYN frame to the first sync datagram from the owner
    (sender) that carries its address; its records are the times the
    address occurs in sync payloads. Records are found by address, not by
    parsing them. Only sessha v2's datagram type is read, to tell the
    incremental records a new session costs from bulk answers and digests
    (which the capture counts apart: they depend on the table, not on the
    new sessions).
    """
    fam = socket.AF_INET6 if ':' in client else socket.AF_INET
    first_addr = int.from_bytes(socket.inet_pton(fam, client), 'big')
    alen = 16 if fam == socket.AF_INET6 else 4
    mine = {(first_addr + i).to_bytes(alen, 'big') for i in range(count)}
    me = socket.inet_aton(sender)
    syn = {}
    dgrams = []
    for ts, proto, l3 in read_pcap(path):
        c = tcp_syn_client(proto, l3)
        if c is not None:
            if c in mine and (c not in syn or ts < syn[c]):
                syn[c] = ts
            continue
        src, payload = udp_payload(proto, l3, port)
        if payload is not None and src == me:
            dst = l3[16:20] if proto == 0x0800 else l3[24:40]
            dgrams.append((ts, proto, dst, payload))
    if not syn:
        return None
    prefix = next(iter(syn))[:2]
    first = {}
    kinds = {}
    in_bulk = set()
    occ = {'incremental': 0, 'bulk': 0}
    total_bytes = 0
    inc_frames = 0
    for ts, proto, dst, payload in dgrams:
        total_bytes += len(payload)
        kind = 'incremental'
        if len(payload) >= 2 and payload[0] == 2:
            t = payload[1]
            if t == SESSHA_V2_BULK_START:
                in_bulk.add(dst)
            if t == SESSHA_V2_BULK_END:
                in_bulk.discard(dst)
            if t == SESSHA_V2_DIGEST:
                kind = 'digest'
            elif t != SESSHA_V2_RECORDS or dst in in_bulk:
                kind = 'bulk'
        k = kinds.setdefault(kind, {'datagrams': 0, 'payload_bytes': 0})
        k['datagrams'] += 1
        k['payload_bytes'] += len(payload)
        if kind == 'digest':
            continue
        i = payload.find(prefix)
        while i >= 0:
            a = payload[i:i + alen]
            if a in syn:
                occ[kind] += 1
                if a not in first:
                    first[a] = ts
            i = payload.find(prefix, i + 1)
        if kind == 'incremental':
            inc_frames += len(payload) + 8 + \
                (20 if proto == 0x0800 else 40) + 14
    lags = [(first[a] - syn[a]) * 1000.0 for a in syn if a in first]
    n = len(syn)
    inc = kinds.get('incremental', {'datagrams': 0, 'payload_bytes': 0})
    return {
        'sessions': n, 'replicated': len(lags),
        'datagrams': inc['datagrams'],
        'records_per_session': rnd(occ['incremental'] / n, 2),
        'payload_bytes_per_session': rnd(inc['payload_bytes'] / n, 1),
        'frame_bytes_per_session': rnd(inc_frames / n, 1),
        'all_sync_payload_bytes_per_session': rnd(total_bytes / n, 1),
        'bulk_records_per_session': rnd(occ['bulk'] / n, 2),
        'by_kind': kinds,
        'capture_s': rnd(dgrams[-1][0] - min(syn.values()), 1) if dgrams else None,
        'lag_ms': {'p50': rnd(pct(lags, 50), 2), 'p99': rnd(pct(lags, 99), 2),
                   'max': rnd(max(lags), 2) if lags else None},
        '_lags': sorted(lags),
    }


# ---------------------------------------------------------------- sections

def fwd_summary(rows):
    """Per trial: the forwarder's cost per packet is the cost of a mode
    minus that of the drop run of the same trial; ratios are taken per
    trial, then the median over trials (the guest's speed drifts with the
    host's load, trial to trial)."""
    trials = {}
    for r in rows:
        trials.setdefault(r['trial'], {})[r['mode']] = r['pps']
    by = {}
    for r in rows:
        by.setdefault(r['mode'], []).append(r['pps'])
    cost = {}
    ratios = {}
    for t, m in sorted(trials.items()):
        if not m.get('drop') or not m.get('plain'):
            continue
        base = 1e6 / m['drop']
        c = {k: 1e6 / v - base for k, v in m.items() if k != 'drop' and v}
        for k, v in c.items():
            cost.setdefault(k, []).append(v)
        for k in ('ecmp', 'sessha'):
            if k in c and c[k] > 0 and c['plain'] > 0:
                ratios.setdefault(k, []).append(c['plain'] / c[k])
    if 'plain' not in cost:
        return None
    out = {'trials': by, 'generator_us_per_packet': rnd(med(
        [1e6 / v for v in by['drop'] if v]), 2)}
    for mode in ('plain', 'ecmp', 'sessha'):
        if mode not in cost:
            continue
        c = med(cost[mode])
        out[mode] = {'pps_end_to_end': round(med(by[mode])),
                     'forwarder_us_per_packet': rnd(c, 2),
                     'forwarder_pps': round(1e6 / c) if c > 0 else None}
        if mode in ratios:
            out[mode]['ratio_to_plain'] = rnd(med(ratios[mode]), 3)
            out[mode]['ratio_to_plain_trials'] = [rnd(x, 3) for x in
                                                  ratios[mode]]
            out[mode]['ratio_to_plain_end_to_end'] = rnd(
                med(by[mode]) / med(by['plain']), 3)
    return out


def setup_pairs(gen):
    """(drop, real) phase pairs of one gen.py report."""
    ph = gen.get('phases')
    if not ph:
        return []
    pairs = []
    for i, x in enumerate(ph):
        if x['phase'] == 'real' and i and ph[i - 1]['phase'] == 'drop':
            pairs.append((ph[i - 1], x))
    return pairs


def setup_summary(rows):
    out = {}
    for r in rows:
        if 'mode' in r:         # one run per row (older guests)
            continue
        n = r['gen']['sessions']
        pairs = setup_pairs(r['gen'])
        if not pairs:
            continue
        cpu = [(re['busy_s'] - d['busy_s']) / n * 1e6 for d, re in pairs]
        wall = [(re['send_s'] - d['send_s']) / n * 1e6 for d, re in pairs]
        c = med(cpu)
        out[r['system']] = {
            'sessions_per_pair': n, 'pairs': len(pairs),
            'created': r['sessions'], 'sent': r['sent'],
            'node_cpu_us_per_session': rnd(c, 1),
            'node_cpu_us_per_session_trials': [rnd(x, 1) for x in cpu],
            'node_wall_us_per_session': rnd(med(wall), 1),
            'sessions_per_cpu_s': round(1e6 / c) if c > 0 else None,
            'sessions_per_s_end_to_end': round(med(
                [n / re['send_s'] for _, re in pairs])),
        }
    if 'sessha' in out and 'ipvs' in out and \
            out['sessha']['sessions_per_cpu_s'] and out['ipvs']['sessions_per_cpu_s']:
        out['ratio'] = rnd(out['sessha']['sessions_per_cpu_s'] /
                           out['ipvs']['sessions_per_cpu_s'], 2)
    return out


LOOKUP_SYMBOLS = {
    # the functions that find a flow's entry: sessha's rhashtable lookup
    # (inlined into sessha_session_lookup), IPVS's connection hash walk
    'sessha': r'sessha_session_lookup',
    'ipvs': r'ip_vs_conn_in_get|__ip_vs_conn_in_get|ip_vs_conn_hashkey',
}


# Per-packet work on the node whose cost does not depend on the table:
# the yardstick the lookup's samples are measured against.
PATH_SYMBOLS = (r'ip_rcv_core|ip_rcv|ip_rcv_finish_core.*|__netif_receive_skb_core.*'
                r'|ip_route_input_noref|ip_route_input_slow|fib_table_lookup'
                r'|ip_finish_output2|ip_output|ip_local_out|__ip_local_out'
                r'|__dev_queue_xmit|veth_xmit|pktgen_xmit|__alloc_skb'
                r'|kmem_cache_alloc_node|kmem_cache_free|ip_local_deliver.*'
                r'|nf_hook_slow|eth_type_trans')


def perf_lookup(path, hz, pattern):
    """Samples in the lookup functions against samples in the packet path
    (PATH_SYMBOLS), from one cpu-clock profile: a ratio that the host's
    noise and other work (the GC) cancel out of."""
    samples = 0
    ref = 0
    total = 0
    syms = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4 or not parts[1].isdigit():
                continue
            n = int(parts[1])
            total += n
            sym = parts[-1]
            if re.fullmatch(pattern, sym):
                samples += n
                syms[sym] = n
            elif re.fullmatch(PATH_SYMBOLS, sym):
                ref += n
    return {'samples': samples, 'path_samples': ref, 'all_samples': total,
            'symbols': syms,
            'lookup_per_path': rnd(samples / ref, 3) if ref else None}


def mem_summary(rows, lookups, lookup_perf, raw):
    out = {}
    for r in rows:
        n = r['entries']
        if not n:
            out[r['system']] = {'entries': 0, 'error': 'no sessions created'}
            continue
        table = r['table_bytes']
        if r['system'] != 'sessha' and r.get('ipvs_conn_tab_bits') is not None:
            table = (1 << int(r['ipvs_conn_tab_bits'])) * 8
        out[r['system']] = {
            'entries': n, 'cache': r['cache'], 'objsize': r['objsize'],
            'slab_bytes_per_session': rnd(r['slab_bytes'] / n, 1),
            'table_bytes_per_session': rnd(table / n, 1),
            'bytes_per_session': rnd((r['slab_bytes'] + table) / n, 1),
            'memavailable_bytes_per_session': rnd(r['avail_kb_used'] * 1024 / n, 1),
        }
        if r['system'] != 'sessha':
            out[r['system']]['conn_tab_bits'] = r.get('ipvs_conn_tab_bits')
    for system in {r['system'] for r in lookups}:
        lk = {}
        for label in ('1k', '1M'):
            m = {}
            for r in lookups:
                if r['system'] == system and r['sessions'] == label:
                    m.setdefault(r.get('trial', 1), {})[r['mode']] = r['pps']
            ns = [1e9 / x['real'] - 1e9 / x['drop'] for x in m.values()
                  if x.get('real') and x.get('drop')]
            if ns:
                lk[label] = {'trials': m, 'node_ns_per_packet': round(med(ns)),
                             'node_ns_per_packet_trials': [round(x) for x in ns]}
            elif m:
                lk[label] = {'trials': m, 'node_ns_per_packet': None,
                             'error': 'no packet got through'}
        for r in lookup_perf:
            if r['system'] != system:
                continue
            x = perf_lookup(os.path.join(raw, r['file']), r['hz'],
                            LOOKUP_SYMBOLS.get(system, 'none'))
            lk.setdefault(r['sessions'], {})['perf'] = x
        if all('perf' in lk.get(k, {}) for k in ('1k', '1M')) and \
                lk['1k']['perf']['lookup_per_path'] and \
                lk['1M']['perf']['lookup_per_path'] is not None:
            lk['perf_ratio_1M_to_1k'] = rnd(
                lk['1M']['perf']['lookup_per_path'] /
                lk['1k']['perf']['lookup_per_path'], 2)
        if '1k' in lk and '1M' in lk and (lk['1k'].get('node_ns_per_packet') or 0) > 0 \
                and lk['1M'].get('node_ns_per_packet'):
            lk['ratio_1M_to_1k'] = rnd(lk['1M']['node_ns_per_packet'] /
                                       lk['1k']['node_ns_per_packet'], 2)
        out.setdefault(system, {})['lookup'] = lk
    return out


def stall_of(c, crash):
    """The gap across the crash: last reply before it to first after."""
    before = [t for t in c['replies'] if t <= crash]
    after = [t for t in c['replies'] if t > crash]
    if not after:
        return None
    return after[0] - (before[-1] if before else crash)


def failover_summary(rows, raw):
    """Survival and stall as the client saw them.

    Population: connections established before the crash. Survived: no
    error, no backend change, a reply after the controller acted. Stall:
    the gap across the crash, for every connection that answered after
    it (unaffected ones see about one message interval). "Disrupted":
    connections whose gap exceeds every gap seen before the crash. For
    sessha, the connections n1 owned are known and reported apart.
    """
    out = {}
    for r in rows:
        with open(os.path.join(raw, r['report'])) as f:
            rep = json.load(f)
        with open(os.path.join(raw, r['ports'])) as f:
            owned = {int(x) for x in f.read().split()}
        # n1 may still own earlier runs' flows: only this run's count
        owned &= {c['sport'] for c in rep['conns']}
        crash, down = r['crash_ms'], r['down_ms']
        conns = [c for c in rep['conns']
                 if c['established'] and c['established'] < crash]
        surv = [c for c in conns if not c['error'] and not c['changes'] and
                c['replies'] and c['replies'][-1] > down]
        gaps = []
        for c in conns:
            rr = [t for t in c['replies'] if t < crash]
            gaps += [b - a for a, b in zip(rr, rr[1:])]
        base_max = max(gaps or [0])
        stalls = [x for x in (stall_of(c, crash) for c in surv)
                  if x is not None]
        own = [stall_of(c, crash) for c in surv if c['sport'] in owned]
        own = [x for x in own if x is not None]
        key = '%s/%d' % (r['system'], r['conns'])
        out[key] = {
            'system': r['system'], 'conns': r['conns'],
            'interval_s': r['interval'], 'established': len(conns),
            'all_up': r['all_up'],
            'survived': len(surv),
            'survived_share': rnd(len(surv) / len(conns), 4) if conns else None,
            'lost': len(conns) - len(surv),
            'errors': sorted({c['error'] for c in conns if c['error']}),
            'disrupted_survivors': sum(1 for x in stalls if x > base_max),
            'stall_ms': {'p50': pct(stalls, 50), 'p99': pct(stalls, 99),
                         'max': max(stalls) if stalls else None},
            'reply_gap_ms_before': {'p50': pct(gaps, 50), 'max': base_max},
            'controller_ms': down - crash,
            '_stalls': sorted(stalls),
        }
        if r['on_crashed'] is not None:
            out[key]['on_crashed_node'] = len(owned)
            out[key]['on_crashed_node_survived'] = sum(
                1 for c in surv if c['sport'] in owned)
            out[key]['stall_ms_on_crashed_node'] = {
                'p50': pct(own, 50), 'p99': pct(own, 99),
                'max': max(own) if own else None}
    return out


# ---------------------------------------------------------------- output

def verdict(value, target, higher_is_better, unit=''):
    if value is None:
        return 'not measured'
    if (value >= target) if higher_is_better else (value <= target):
        return 'met'
    if higher_is_better:
        return 'missed by %s%s (%.0f%% short)' % (
            fmt(target - value), unit, (target - value) / target * 100)
    return 'missed by %s%s (%.0f%% over)' % (
        fmt(value - target), unit, (value - target) / target * 100)


def vd(res, key, value, target, higher_is_better, unit=''):
    """verdict(), also recorded in res['verdicts']."""
    v = verdict(value, target, higher_is_better, unit)
    res.setdefault('verdicts', {})[key] = {
        'measured': rnd(value, 2) if isinstance(value, float) else value,
        'target': ('>= ' if higher_is_better else '<= ') + fmt(target),
        'verdict': v}
    return v


def fmt(x):
    if x is None:
        return 'n/a'
    if isinstance(x, float):
        if abs(x) >= 100:
            return '%.0f' % x
        return ('%.2f' % x).rstrip('0').rstrip('.')
    return str(x)


def ms(d):
    return '%s / %s / %s ms' % (fmt(d['p50']), fmt(d['p99']), fmt(d['max']))


def table(res):
    t = []
    add = t.append
    add('| # | Metric | sessha | IPVS | Target | Verdict |')
    add('|---|--------|--------|------|--------|---------|')
    f = res.get('forwarding')
    if f and 'sessha' in f:
        s, e, p = f['sessha'], f.get('ecmp', {}), f['plain']
        add('| 1 | Forwarding, flows owned elsewhere: forwarder-only kpps '
            '(share of plain forwarding: %s kpps) | %s kpps (%s%%) | %s kpps '
            '(%s%%, ECMP L4 route) | >= 90%% of plain | %s |' % (
                fmt(p['forwarder_pps'] / 1000), fmt(s['forwarder_pps'] / 1000),
                fmt(s['ratio_to_plain'] * 100),
                fmt(e.get('forwarder_pps', 0) / 1000),
                fmt(e.get('ratio_to_plain', 0) * 100),
                vd(res, 'forwarding_share_of_plain_pct', s['ratio_to_plain'] * 100, 90, True, ' points')))
    su = res.get('setup', {})
    if 'sessha' in su and 'ipvs' in su:
        add('| 2 | Session setup with sync: new TCP sessions per CPU-second '
            '(node CPU per session) | %s (%s us) | %s (%s us) | >= 1.5x IPVS '
            '| %s (%sx) |' % (
                fmt(su['sessha']['sessions_per_cpu_s']),
                fmt(su['sessha']['node_cpu_us_per_session']),
                fmt(su['ipvs']['sessions_per_cpu_s']),
                fmt(su['ipvs']['node_cpu_us_per_session']),
                vd(res, 'setup_ratio_to_ipvs', su.get('ratio'), 1.5, True, 'x'), fmt(su.get('ratio'))))
    w = res.get('wire', {})
    if w:
        s4, i4 = w.get('sessha_v4'), w.get('ipvs_v4')
        sa = w.get('sessha-auth_v4')
        add('| 3 | Sync bytes per new IPv4 session (UDP payload of the '
            'records it causes; records per session) | %s B (%s)%s | %s B '
            '(%s) | <= 24 B | %s |' % (
                fmt(s4 and s4['payload_bytes_per_session']),
                fmt(s4 and s4['records_per_session']),
                '; with HMAC: %s B' % fmt(sa['payload_bytes_per_session'])
                if sa else '',
                fmt(i4 and i4['payload_bytes_per_session']),
                fmt(i4 and i4['records_per_session']),
                vd(res, 'sync_bytes_per_ipv4_session', s4 and s4['payload_bytes_per_session'], 24, False, ' B')))
        i6 = w.get('ipvs_v6')
        add('| 3 | Sync bytes per new IPv6 session | n/a (no IPv6 data path) '
            '| %s B (%s) | - | - |' % (
                fmt(i6 and i6['payload_bytes_per_session']),
                fmt(i6 and i6['records_per_session'])))
    if w.get('sessha_v4') or w.get('ipvs_v4'):
        s4, i4 = w.get('sessha_v4'), w.get('ipvs_v4')
        add('| 4 | Replication lag p50 / p99 / max (first packet on the owner '
            'to the sync datagram carrying it; at %s sessions/s) | %s | %s | '
            'p99 <= 2 ms | %s |' % (
                fmt(res.get('lag_rate')),
                ms(s4['lag_ms']) if s4 else 'n/a',
                ms(i4['lag_ms']) if i4 else 'n/a',
                vd(res, 'replication_lag_p99_ms', s4 and s4['lag_ms']['p99'], 2.0, False, ' ms')))
    fo = res.get('failover', {})
    for n in sorted({v['conns'] for v in fo.values()}):
        s = fo.get('sessha/%d' % n)
        i = fo.get('ipvs/%d' % n)
        ins = fo.get('ipvs-nosync/%d' % n)

        def cell(x):
            if not x:
                return 'n/a'
            c = '%s%% survive (%d/%d); stall %s' % (
                fmt(x['survived_share'] * 100), x['survived'],
                x['established'], ms(x['stall_ms']))
            if 'on_crashed_node' in x:
                c += '; the %d n1 owned: %d survive, stall %s' % (
                    x['on_crashed_node'], x['on_crashed_node_survived'],
                    ms(x['stall_ms_on_crashed_node']))
            else:
                c += '; %d survivors stalled beyond every pre-crash gap' % \
                    x['disrupted_survivors']
            return c
        add('| 5 | Failover, N=%d (a message every %s s): share surviving; '
            "stall p50 / p99 / max, every survivor's gap across the crash | "
            '%s | with sync: '
            '%s<br>without sync: %s | 100%% survive | %s |' % (
                n, fmt((s or i or {}).get('interval_s')), cell(s), cell(i),
                cell(ins), vd(res, 'failover_survival_pct_N%d' % n,
                                 s and s['survived_share'] * 100, 100, True,
                                 ' points')))
    m = res.get('memory', {})
    if 'sessha' in m or 'ipvs' in m:
        s, i = m.get('sessha', {}), m.get('ipvs', {})

        def mcell(x):
            if 'bytes_per_session' not in x:
                return 'n/a'
            return '%s B (slab %s + table %s; %s entries)' % (
                fmt(x['bytes_per_session']), fmt(x['slab_bytes_per_session']),
                fmt(x['table_bytes_per_session']), x['entries'])
        add('| 6 | Kernel memory per session at 1M sessions | %s | %s | '
            '<= 128 B | %s |' % (mcell(s), mcell(i), vd(
                res, 'memory_bytes_per_session', s.get('bytes_per_session'),
                128, False, ' B')))

        def lcell(x):
            lk = x.get('lookup', {})
            if '1k' not in lk or '1M' not in lk:
                return 'n/a'
            c = 'lookup %s at 1k, %s at 1M (x%s; perf samples in the ' \
                'lookup per sample in the packet path); ' \
                'whole node %s ns at 1k, %s ns at 1M (x%s)' % (
                    fmt(lk['1k'].get('perf', {}).get('lookup_per_path')),
                    fmt(lk['1M'].get('perf', {}).get('lookup_per_path')),
                    fmt(lk.get('perf_ratio_1M_to_1k')),
                    fmt(lk['1k'].get('node_ns_per_packet')),
                    fmt(lk['1M'].get('node_ns_per_packet')),
                    fmt(lk.get('ratio_1M_to_1k')))
            return c
        add('| 6 | Cost per packet on the node, 1k vs 1M sessions | %s | %s '
            '| flat | %s |' % (lcell(s), lcell(i), flat_verdict(
                res, s.get('lookup', {}))))
    return '\n'.join(t)


def notes_md(res):
    """What the reader needs to read the table right."""
    m = res.get('meta', {})
    n = ['', 'Notes:', '']
    n.append('- Absolute rates are those of an emulated (TCG) guest on a '
             'shared 2-core host: compare systems, not numbers with '
             'hardware. "Forwarder-only" and "node" costs are the '
             'measured cost per packet or session minus that of a twin '
             'run in which the node drops everything at ingress.')
    if m.get('slub_debug_sessha') not in (None, 'off'):
        n.append('- slub_debug was on for sessha_session (%s): its memory '
                 'and setup numbers are inflated.' % m['slub_debug_sessha'])
    f = res.get('forwarding') or {}
    if f:
        n.append('- Forwarding trials (pps end to end, forwarder + '
                 'generator): %s.' % ', '.join(
                     '%s %s' % (k, v) for k, v in sorted(f['trials'].items())))
    mem = res.get('memory', {})
    if mem.get('ipvs', {}).get('conn_tab_bits'):
        n.append('- IPVS ran with conn_tab_bits=%s (2^%s chains, fixed); '
                 'with the default 12, 1M connections make chains of ~244 '
                 'entries.' % (mem['ipvs']['conn_tab_bits'],
                               mem['ipvs']['conn_tab_bits']))
    w = res.get('wire', {})
    for k, x in sorted(w.items()):
        other = ', '.join('%s %d datagrams / %d B' % (
            kk, v['datagrams'], v['payload_bytes'])
            for kk, v in sorted(x['by_kind'].items()) if kk != 'incremental')
        n.append('- Wire %s: %d sessions, %d replicated; incremental: %s '
                 'datagrams, %s records and %s B per session (%s B with '
                 'Ethernet/IP/UDP headers). Everything the owner sent on the '
                 'sync port over %s s: %s B per session%s.' % (
                     k, x['sessions'], x['replicated'], x['datagrams'],
                     x['records_per_session'], x['payload_bytes_per_session'],
                     x['frame_bytes_per_session'], fmt(x['capture_s']),
                     x['all_sync_payload_bytes_per_session'],
                     ' (%s; the bulk answers carried each new session %s '
                     'times more)' % (other, x['bulk_records_per_session'])
                     if other else ''))
    for k, x in sorted(res.get('failover', {}).items()):
        n.append('- Failover %s: controller reacted %s ms after the crash; '
                 'reply gap before the crash p50 %s ms; errors: %s.' % (
                     k, x['controller_ms'], fmt(x['reply_gap_ms_before']['p50']),
                     ', '.join(x['errors']) or 'none'))
    return '\n'.join(n) + '\n'


PROFILE_GROUPS = (
    ('sessha (packet path, sync)', r'sessha_(?!gc_work).*'),
    ('ipvs', r'ip_vs_.*|__ip_vs_.*'),
    ('sessha GC walk', r'sessha_gc_work|.*rhashtable_walk.*'),
    ('pktgen', r'pktgen_.*'),
    ('python (gen.py)', r'_Py.*|Py.*'),
)


def profile_shares(lines):
    """Percent of the non-idle samples per group of symbols."""
    busy = 0.0
    groups = dict((g, 0.0) for g, _ in PROFILE_GROUPS)
    for line in lines:
        parts = line.split()
        if not parts or not parts[0].endswith('%'):
            continue
        v = float(parts[0][:-1])
        sym = parts[-1]
        if sym in ('native_safe_halt', 'default_idle', 'cpu_idle_poll'):
            continue
        busy += v
        for g, pat in PROFILE_GROUPS:
            if re.fullmatch(pat, sym):
                groups[g] += v
    return {g: round(v / busy * 100, 1) for g, v in groups.items()
            if v and busy}


def flat_verdict(res, lk):
    """Flat: the lookup's own time per packet at 1M within 25% of 1k."""
    r = lk.get('perf_ratio_1M_to_1k')
    if r is None:
        r = lk.get('ratio_1M_to_1k')
    v = 'not measured' if r is None else \
        'flat (x%s)' % fmt(r) if r <= 1.25 else 'grows x%s' % fmt(r)
    res.setdefault('verdicts', {})['lookup_1M_vs_1k'] = {
        'measured': r, 'target': 'flat (<= 1.25x)', 'verdict': v}
    return v


def chart(res, path):
    """CDFs of the replication lag and of the failover stall."""
    tmp = tempfile.mkdtemp(prefix='bench-chart.')
    plots1, plots2 = [], []
    for key, label in (('sessha_v4', 'sessha'), ('sessha-auth_v4', 'sessha, HMAC'),
                       ('ipvs_v4', 'IPVS')):
        x = res.get('wire', {}).get(key)
        if x and x['_lags']:
            fn = os.path.join(tmp, key)
            with open(fn, 'w') as f:
                n = len(x['_lags'])
                for k, v in enumerate(x['_lags']):
                    f.write('%f %f\n' % (max(v, 0.01), (k + 1) / n))
            plots1.append("'%s' using 1:2 with steps lw 2 title '%s'" % (fn, label))
    for key, x in sorted(res.get('failover', {}).items()):
        if x['_stalls']:
            fn = os.path.join(tmp, key.replace('/', '-'))
            with open(fn, 'w') as f:
                n = len(x['_stalls'])
                for k, v in enumerate(x['_stalls']):
                    f.write('%f %f\n' % (max(v, 1), (k + 1) / n))
            plots2.append("'%s' using 1:2 with steps lw 2 title '%s N=%d'" % (
                fn, x['system'], x['conns']))
    gp = ['set terminal pngcairo size 1200,520 font ",10"',
          "set output '%s'" % path,
          'set multiplot layout 1,2 title "%s"' % res['title'],
          'set logscale x', 'set grid', 'set key bottom right',
          'set yrange [0:1]', 'set ylabel "share of sessions"']
    gp += ['set title "Replication lag: first packet to sync datagram '
           '(CDF)"', 'set xlabel "ms (log)"']
    gp += ['plot ' + ', '.join(plots1) if plots1 else
           'plot 2 notitle']
    gp += ['set title "Failover: each connection\'s gap across the crash (CDF)"',
           'set xlabel "ms (log)"']
    gp += ['plot ' + ', '.join(plots2) if plots2 else 'plot 2 notitle']
    gp += ['unset multiplot']
    try:
        subprocess.run(['gnuplot'], input='\n'.join(gp) + '\n', text=True,
                       check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print('report: no chart: %s' % e, file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--raw', required=True)
    p.add_argument('--out', required=True)
    p.add_argument('--commit', default='')
    p.add_argument('--kver', default='')
    p.add_argument('--date', default=datetime.date.today().isoformat())
    a = p.parse_args()

    rows = []
    with open(os.path.join(a.raw, 'measure.jsonl')) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))

    def sel(name):
        return [r for r in rows if r['row'] == name]

    meta = {}
    for r in sel('meta'):
        meta.update({k: v for k, v in r.items() if k != 'row'})
    res = {'title': 'sessha vs IPVS, %s, %s (%s)' % (
        a.date, meta.get('kernel', a.kver), a.commit),
        'date': a.date, 'commit': a.commit, 'meta': meta, 'targets': TARGETS}
    res['forwarding'] = fwd_summary(sel('fwd'))
    res['setup'] = setup_summary(sel('setup'))
    wire = {}
    for r in sel('lag'):
        x = analyze_capture(os.path.join(a.raw, r['pcap']), r['sync_port'],
                            r.get('client', '10.203.0.0'), r['sessions'])
        if x:
            wire['%s_v4' % r['system']] = x
        res['lag_rate'] = r['rate']
    for r in sel('v6wire'):
        x = analyze_capture(os.path.join(a.raw, r['pcap']), r['sync_port'],
                            r.get('client', 'fd78::1:0'), r['sessions'])
        if x:
            wire['%s_v6' % r['system']] = x
    res['wire'] = wire
    res['memory'] = mem_summary(sel('mem'), sel('lookup'), sel('lookup_perf'),
                                a.raw)
    res['failover'] = failover_summary(sel('failover'), a.raw)
    md = table(res)

    os.makedirs(a.out, exist_ok=True)
    base = os.path.join(a.out, a.date)
    chart(res, base + '.png')

    def strip(o):
        if isinstance(o, dict):
            return {k: strip(v) for k, v in o.items() if not str(k).startswith('_')}
        return o
    with open(base + '.md', 'w') as f:
        f.write('# %s\n\n' % res['title'])
        f.write('QEMU TCG guest, %s vCPUs, %s MiB, HZ=%s; %s s of '
                'measurements. Method: bench/README.md.\n\n' % (
                    meta.get('cpus'), (meta.get('mem_kb') or 0) // 1024,
                    meta.get('hz'), meta.get('seconds')))
        f.write(md + '\n')
        f.write(notes_md(res))
        for name in sorted(os.listdir(a.raw)):
            if not (name.startswith('perf-') and name.endswith('.txt')) or \
                    name.startswith('perf-lookup-'):
                continue
            with open(os.path.join(a.raw, name)) as p_:
                lines = [x.rstrip() for x in p_]
            share = profile_shares(lines)
            top = lines[:14]
            res.setdefault('profiles', {})[name[5:-4]] = {
                'top': top, 'shares_of_busy': share}
            f.write('\nProfile %s (perf, cpu-clock, all CPUs; share of the '
                    'busy samples among the symbols kept: %s):\n\n```\n%s'
                    '\n```\n' % (
                        name[5:-4], ', '.join('%s %s%%' % (k, v) for k, v in
                                              share.items()),
                        '\n'.join(top)))
    with open(base + '.json', 'w') as f:
        json.dump(strip(res), f, indent=1, sort_keys=True)
        f.write('\n')
    print(md)
    print('report: %s.{json,md,png}' % base)
    return 0


if __name__ == '__main__':
    sys.exit(main())
