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
    'wire_v4': 24,              # bytes per IPv4 session, HMAC on, 5k/s
    'wire_v6': 40,              # (IPVS v1: 36 B IPv4, no authentication)
    'lag_p99_ms': 2.0,          # at 200 and at 5,000 new sessions/s
    'churn_bulk_records': 0,    # 60 s at 5,000/s, no loss
    'churn_digest_mismatches': 0,
    'gc_digest_share_pct': 2.0,  # of busy CPU at 1M sessions
    'lookup_ratio': 1.2,        # lookup cost at 1M / at 1k
    'takeover_dropped': 0,      # records dropped, 300k takeover
    'survive': 1.0,             # share of connections older than the lag
    'mem_bytes': 128,           # kernel memory per session
}


def spread(vals, n=2):
    """Median, min and max of the trials, the trials themselves."""
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    return {'median': rnd(statistics.median(vals), n), 'min': rnd(min(vals), n),
            'max': rnd(max(vals), n), 'n': len(vals),
            'trials': [rnd(v, n) for v in vals]}


def verdict_spread(res, key, sp, target, higher_is_better, unit=''):
    """A verdict only when every trial lies on one side of the target:
    met, or missed by how much (the median's distance); else undecided.
    Recorded in res['verdicts'][key]."""
    if sp is None:
        v = 'not measured'
    else:
        def ok(x):
            return x >= target if higher_is_better else x <= target
        good = [ok(x) for x in sp['trials']]
        one = ' (one trial)' if sp['n'] == 1 else ''
        if all(good):
            v = 'met' + one
        elif not any(good):
            m = sp['median']
            d = target - m if higher_is_better else m - target
            v = 'missed by %s%s%s%s' % (
                fmt(d), unit, ' (%.0f%% %s)' % (
                    abs(d) / target * 100, 'short' if higher_is_better
                    else 'over') if target else '', one)
        else:
            v = 'undecided (trials %s-%s%s around %s%s)' % (
                fmt(sp['min']), fmt(sp['max']), unit, fmt(target), unit)
    res.setdefault('verdicts', {})[key] = {
        'measured': sp, 'target': ('>= ' if higher_is_better else '<= ') +
        fmt(target) + unit, 'verdict': v}
    return v


def sp_cell(sp, unit=''):
    """"median (min-max, n trials)" for a table cell."""
    if sp is None:
        return 'n/a'
    if sp['n'] == 1:
        return '%s%s (1 trial)' % (fmt(sp['median']), unit)
    return '%s%s (%s-%s, %d trials)' % (fmt(sp['median']), unit,
                                        fmt(sp['min']), fmt(sp['max']), sp['n'])


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


def tcp_syn_client(proto, l3, flags=0x02):
    """Client address of a SYN (plain, or inside IPIP), else None; with
    flags=0x10, of a bare ACK (the handshake's last segment)."""
    if proto == 0x0800 and len(l3) >= 20:
        ihl = (l3[0] & 15) * 4
        if l3[9] == 4:                      # IPIP: the inner packet
            return tcp_syn_client(0x0800, l3[ihl:], flags)
        if l3[9] == 6 and len(l3) >= ihl + 14:
            if l3[ihl + 13] & 0x1a == flags:
                return l3[12:16]
    elif proto == 0x86dd and len(l3) >= 54 and l3[6] == 41:
        return tcp_syn_client(0x86dd, l3[40:], flags)   # IPv6-in-IPv6
    elif proto == 0x86dd and len(l3) >= 54 and l3[6] == 6:
        if l3[40 + 13] & 0x1a == flags:
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


# sessha sync datagram types (kmod/wire.h, Documentation/sync-wire-format.rst):
# byte 0 is the version (2 or 3), byte 1 the type, the same in both. A bulk
# answer is the type-1 datagrams to a peer between a BULK_START and a
# BULK_END to it. IPVS's sync header starts with a 0.
SESSHA_VERSIONS = (2, 3)
SESSHA_RECORDS, SESSHA_BULK_REQUEST, SESSHA_BULK_START, \
    SESSHA_BULK_END, SESSHA_DIGEST = 1, 2, 3, 4, 5
SESSHA_CONFIG = 7       # counted with the digests: periodic, not per session


def analyze_capture(path, port, client, count, sender='10.77.0.11'):
    """Replication lag and sync bytes per session from one capture.

    A session is a client address that sent a SYN. Its lag is the time from
    its first SYN frame to the first sync datagram from the owner
    (sender) that carries its address; its records are the times the
    address occurs in sync payloads. Records are found by address, not by
    parsing them. Only sessha's datagram type is read, to tell the
    incremental records a new session costs from bulk answers and digests
    (which the capture counts apart: they depend on the table, not on the
    new sessions).
    """
    fam = socket.AF_INET6 if ':' in client else socket.AF_INET
    first = socket.inet_pton(fam, client)
    first_addr = int.from_bytes(first, 'big')
    alen = 16 if fam == socket.AF_INET6 else 4
    # the run's /16 (IPv4) or /64 (IPv6): its clients are those the owner
    # owns in it (gen.py --owner), not consecutive addresses
    plen = 2 if fam == socket.AF_INET else 8

    def is_mine(c):
        return c[:plen] == first[:plen]
    me = socket.inet_pton(socket.AF_INET6 if ':' in sender else
                          socket.AF_INET, sender)
    syn = {}
    ack = {}
    dgrams = []
    for ts, proto, l3 in read_pcap(path):
        c = tcp_syn_client(proto, l3)
        if c is not None:
            if is_mine(c) and (c not in syn or ts < syn[c]):
                syn[c] = ts
            continue
        c = tcp_syn_client(proto, l3, 0x10)
        if c is not None:
            if is_mine(c) and c not in ack:
                ack[c] = ts
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
        if len(payload) >= 2 and payload[0] in SESSHA_VERSIONS:
            t = payload[1]
            if t == SESSHA_BULK_START:
                in_bulk.add(dst)
            if t == SESSHA_BULK_END:
                in_bulk.discard(dst)
            if t in (SESSHA_DIGEST, SESSHA_CONFIG):
                kind = 'digest'
            elif t != SESSHA_RECORDS or dst in in_bulk:
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
    # where the lag goes: SYN to ACK is the generator and the owner's
    # input queue; ACK (the record's trigger in sync v3) to the datagram,
    # the owner's packet path, send queue, window and worker
    from_ack = [(first[a] - ack[a]) * 1000.0 for a in syn
                if a in first and a in ack]
    syn_ack = [(ack[a] - syn[a]) * 1000.0 for a in syn if a in ack]
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
        'lag_from_ack_ms': {'p50': rnd(pct(from_ack, 50), 2),
                            'p99': rnd(pct(from_ack, 99), 2),
                            'max': rnd(max(from_ack), 2) if from_ack else None},
        'syn_to_ack_ms': {'p50': rnd(pct(syn_ack, 50), 2),
                          'p99': rnd(pct(syn_ack, 99), 2),
                          'max': rnd(max(syn_ack), 2) if syn_ack else None},
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
    """Per system, the node's CPU per session of each trial (real phase
    minus the drop phase before it); the ratio per trial (sessha and IPVS
    took turns, one trial each), median and spread."""
    out = {}
    by = {}
    for r in rows:
        if 'mode' in r:         # one run per row (older guests)
            continue
        n = r['gen']['sessions']
        pairs = setup_pairs(r['gen'])
        for i, (d, re_) in enumerate(pairs):
            t = r.get('trial', i + 1)
            by.setdefault(r['system'], {})[t] = (
                (re_['busy_s'] - d['busy_s']) / n * 1e6,
                (re_['send_s'] - d['send_s']) / n * 1e6, n / re_['send_s'],
                r['sessions'], r['sent'])
    for system, tr in by.items():
        cpu = [x[0] for _, x in sorted(tr.items())]
        c = med(cpu)
        out[system] = {
            'sessions_per_trial': rows[0]['gen']['sessions'] if rows else None,
            'trials': len(tr),
            'created': sum(x[3] for x in tr.values()),
            'sent': sum(x[4] for x in tr.values()),
            'node_cpu_us_per_session': rnd(c, 1),
            'node_cpu_us_per_session_trials': [rnd(x, 1) for x in cpu],
            'node_wall_us_per_session': rnd(med([x[1] for x in tr.values()]), 1),
            'sessions_per_cpu_s': round(1e6 / c) if c and c > 0 else None,
            'sessions_per_s_end_to_end': round(med([x[2] for x in tr.values()])),
        }
    if 'sessha' in by and 'ipvs' in by:
        ratios = [by['ipvs'][t][0] / by['sessha'][t][0]
                  for t in sorted(by['sessha']) if t in by['ipvs'] and
                  by['sessha'][t][0] > 0 and by['ipvs'][t][0] > 0]
        out['ratio_spread'] = spread(ratios)
        out['ratio'] = out['ratio_spread']['median'] if ratios else None
    return out


def wire_summary(rows, raw, default_client):
    """Per system, the captures of its trials: bytes, records, lag."""
    out = {}
    for r in rows:
        x = analyze_capture(os.path.join(raw, r['pcap']), r['sync_port'],
                            r.get('client', default_client), r['sessions'],
                            r.get('sender', '10.77.0.11'))
        if not x:
            continue
        x['trial'] = r.get('trial', 1)
        x['rate'] = r.get('rate')
        x['capture_dropped'] = r.get('capture_dropped')
        x['capture_unread'] = r.get('capture_unread')
        x['sent'] = r['sessions']
        if r.get('gen'):
            g = r['gen']
            x['sent_rate'] = rnd(g['sessions'] / g['send_s'], 0) if \
                g.get('send_s') else None
            x['tick_max_ms'] = rnd((g.get('phases') or [{}])[0].get(
                'tick_max_s', 0) * 1000, 1)
        out.setdefault(r['system'], []).append(x)
    agg = {}
    for system, xs in out.items():
        lags = sorted(v for x in xs for v in x['_lags'])
        agg[system] = {
            'rate': xs[0]['rate'], 'sessions': xs[0]['sessions'],
            'payload_bytes_per_session': spread(
                [x['payload_bytes_per_session'] for x in xs], 1),
            'records_per_session': spread([x['records_per_session'] for x in xs]),
            'lag_p99_ms': spread([x['lag_ms']['p99'] for x in xs]),
            'lag_p50_ms': spread([x['lag_ms']['p50'] for x in xs]),
            'lag_max_ms': spread([x['lag_ms']['max'] for x in xs]),
            'lag_from_ack_p99_ms': spread([x['lag_from_ack_ms']['p99'] for x in xs]),
            'syn_to_ack_p99_ms': spread([x['syn_to_ack_ms']['p99'] for x in xs]),
            'replicated': sum(x['replicated'] for x in xs),
            'sessions_all': sum(x['sessions'] for x in xs),
            'capture_dropped': [x['capture_dropped'] for x in xs],
            'capture_unread': [x['capture_unread'] for x in xs],
            'trials': [{k: v for k, v in x.items() if not k.startswith('_')}
                       for x in xs],
            '_lags': lags,
        }
    return agg


STAT_KEYS = ('sync_bulk_records', 'sync_bulk_requests', 'sync_bulk_answers',
             'sync_bulk_incomplete', 'sync_digest_mismatches',
             'sync_digests_tx', 'sync_digests_rx', 'sync_tx_errors',
             'sync_tx_no_peer', 'sync_rx_gaps', 'sync_rx_replay',
             'sync_rx_bad_record', 'sync_rx_conflict', 'sync_tx_records',
             'sync_tx_datagrams', 'sync_rx_records', 'sessions_created',
             'sessions_expired', 'sessions_promoted', 'replicas_created',
             'replicas_updated', 'replicas_deleted', 'replicas_stale',
             'drop_table_full', 'drop_nomem', 'join_timeouts')


def deltas(before, after):
    """Per host and summed: how much each counter of STAT_KEYS moved."""
    out = {'sum': {}}
    for h, a in after.items():
        b = before.get(h, {})
        d = {k: a.get(k, 0) - b.get(k, 0) for k in STAT_KEYS
             if a.get(k, 0) - b.get(k, 0)}
        out[h] = d
        for k, v in d.items():
            out['sum'][k] = out['sum'].get(k, 0) + v
    return out


def churn_summary(rows):
    if not rows:
        return None
    r = rows[-1]
    d = deltas(r['before'], r['after'])
    ph = r['gen']['phases'][0]
    lost = sum(d['sum'].get(k, 0) for k in (
        'sync_tx_errors', 'sync_rx_gaps', 'drop_table_full', 'drop_nomem'))
    drops = {k: r['drops_after'][k] - r['drops_before'].get(k, 0)
             for k in r.get('drops_after', {})}
    return {'rate': r['rate'], 'seconds': r['seconds'], 'keyed': r['keyed'],
            'guest_drops': drops, 'slipped_s': ph.get('slipped_s'),
            'pool': r['pool'], 'timeout_s': r['timeout'],
            'sent': ph.get('sent'), 'send_s': ph['send_s'],
            'sent_rate': rnd(ph.get('sent', 0) / ph['send_s'], 0),
            'tick_max_ms': rnd(ph.get('tick_max_s', 0) * 1000, 1),
            'bulk_records': d['sum'].get('sync_bulk_records', 0),
            'digest_mismatches': d['sum'].get('sync_digest_mismatches', 0),
            'bulk_requests': d['sum'].get('sync_bulk_requests', 0),
            'lost': lost, 'deltas': d}


def takeover_summary(rows):
    if not rows:
        return None
    r = rows[-1]
    before = {h: v for h, v in r['before'].items() if h in r['after']}
    d = deltas(before, r['after'])
    dropped = sum(d['sum'].get(k, 0) for k in (
        'sync_tx_errors', 'drop_table_full', 'drop_nomem'))
    fill = {}
    for h, v in r['before'].items():
        for k in ('sync_tx_errors', 'sync_bulk_records', 'sync_bulk_requests',
                  'sync_digest_mismatches', 'sync_rx_gaps', 'drop_table_full'):
            fill[k] = fill.get(k, 0) + v.get(k, 0)
    return {'sessions': r['sessions'], 'complete': r['complete'],
            'seconds': rnd(r['takeover_ms'] / 1000.0, 2),
            'fill_counters': fill,
            'owners_s': rnd(r.get('owners_ms', 0) / 1000.0, 2),
            'owned_by_failed': r.get('owned'), 'backed_up_by_failed': r.get('backed_up'),
            'markdown_ms': r['markdown_ms'], 'promoted': r['promoted'],
            'replicas': r['replicas'], 'dropped': dropped,
            'rejected': sum(d['sum'].get(k, 0) for k in (
                'sync_rx_bad_record', 'sync_rx_conflict')),
            'bulk_records': d['sum'].get('sync_bulk_records', 0),
            'deltas': d}


def join_summary(rows):
    if not rows:
        return None
    r = rows[-1]
    a3 = r['after'].get('n3', {})
    d = deltas(r['before'], {h: v for h, v in r['after'].items()
                             if h in r['before']})
    return {'sessions': r['sessions'], 'ready': r['ready'],
            'seconds': rnd(r['ready_ms'] / 1000.0, 2),
            'owned_by_n3_before': r.get('owned_by_n3'),
            'config_ms': r['config_ms'],
            'n3_replicas': a3.get('replicas_created'),
            'n3_join_timeouts': a3.get('join_timeouts'),
            'n3_bulk_incomplete': a3.get('sync_bulk_incomplete'),
            'answerers': d}


# The GC walk and the digest and repair work (maintenance): what the
# issue's "GC and digest work" counts. rhashtable walks also serve bulk
# answers and role reconciliation, which do not run in a steady table.
GC_DIGEST_SYMBOLS = (r'sessha_gc_.*|sessha_expire_one|.*rhashtable_walk.*'
                     r'|sessha_digest.*|sessha_tally.*|sessha_maint_.*'
                     r'|sessha_repair_.*|sessha_bulk_.*|sessha_stale_one')
IDLE_SYMBOLS = ('native_safe_halt', 'default_idle', 'cpu_idle_poll',
                'acpi_safe_halt', 'pv_native_safe_halt')


def perf_counts(path):
    """{symbol: samples} of a perf report -n file."""
    syms = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4 or not parts[1].isdigit():
                continue
            syms[parts[-1]] = syms.get(parts[-1], 0) + int(parts[1])
    return syms


def gc_summary(rows, raw):
    """Share of the busy samples (all CPUs, idle left out) in the GC
    walk and the digest work, per profile; median and spread."""
    out = {}
    for r in rows:
        syms = perf_counts(os.path.join(raw, r['file']))
        busy = sum(v for k, v in syms.items() if k not in IDLE_SYMBOLS)
        gc = {k: v for k, v in syms.items() if re.fullmatch(GC_DIGEST_SYMBOLS, k)}
        o = out.setdefault(r['sessions'], {'trials': [], 'entries': r.get('entries')})
        o['trials'].append({'busy_samples': busy,
                            'all_samples': sum(syms.values()),
                            'gc_digest_samples': sum(gc.values()),
                            'share_pct': rnd(sum(gc.values()) / busy * 100, 2)
                            if busy else None, 'symbols': gc})
    for o in out.values():
        o['share_pct'] = spread([t['share_pct'] for t in o['trials']])
        tot = {}
        for t in o['trials']:
            for k, v in t['symbols'].items():
                tot[k] = tot.get(k, 0) + v
        o['symbols'] = dict(sorted(tot.items(), key=lambda kv: -kv[1]))
        busy = sum(t['busy_samples'] for t in o['trials'])
        o['pooled_share_pct'] = rnd(sum(tot.values()) / busy * 100, 2) if busy else None
    for r in rows:
        o = out[r['sessions']]
        for k, v in perf_counts(os.path.join(raw, r['file'])).items():
            if k not in IDLE_SYMBOLS:
                o.setdefault('_busy', {})[k] = o.setdefault('_busy', {}).get(k, 0) + v
    for o in out.values():
        b = o.pop('_busy', {})
        tot = sum(b.values()) or 1
        o['top_busy_pct'] = [[k, rnd(v / tot * 100, 1)] for k, v in
                             sorted(b.items(), key=lambda kv: -kv[1])[:12]]
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
        per = {}
        for r in lookup_perf:
            if r['system'] != system:
                continue
            x = perf_lookup(os.path.join(raw, r['file']), r['hz'],
                            LOOKUP_SYMBOLS.get(system, 'none'))
            x['trial'] = r.get('trial', 1)
            per.setdefault(r['sessions'], []).append(x)
        for label, xs in per.items():
            tot_l = sum(x['samples'] for x in xs)
            tot_p = sum(x['path_samples'] for x in xs)
            lk.setdefault(label, {})['perf'] = {
                'trials': xs, 'samples': tot_l, 'path_samples': tot_p,
                'lookup_per_path': rnd(tot_l / tot_p, 4) if tot_p else None,
                'lookup_per_path_spread': spread(
                    [x['lookup_per_path'] for x in xs], 4)}
        if '1k' in per and '1M' in per:
            # trial k at 1M against trial k at 1k
            k1 = {x['trial']: x['lookup_per_path'] for x in per['1k']}
            rs = [x['lookup_per_path'] / k1[x['trial']] for x in per['1M']
                  if k1.get(x['trial']) and x['lookup_per_path'] is not None]
            lk['perf_ratio_1M_to_1k_spread'] = spread(rs)
            a_, b_ = lk['1k']['perf']['lookup_per_path'], \
                lk['1M']['perf']['lookup_per_path']
            lk['perf_ratio_1M_to_1k_pooled'] = rnd(b_ / a_, 2) if a_ and b_ is not None else None
            lk['perf_ratio_1M_to_1k'] = lk['perf_ratio_1M_to_1k_spread']['median'] \
                if rs else None
        if '1k' in lk and '1M' in lk and (lk['1k'].get('node_ns_per_packet') or 0) > 0 \
                and lk['1M'].get('node_ns_per_packet'):
            lk['ratio_1M_to_1k'] = rnd(lk['1M']['node_ns_per_packet'] /
                                       lk['1k']['node_ns_per_packet'], 2)
            lk['ratio_1M_to_1k_spread'] = spread([
                b_ / a_ for a_, b_ in zip(lk['1k']['node_ns_per_packet_trials'],
                                         lk['1M']['node_ns_per_packet_trials'])
                if a_ > 0])
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
        sp = spread([x * 100 for x in s.get('ratio_to_plain_trials', [])], 1)
        add('| 1 | Forwarding, flows owned elsewhere: forwarder-only kpps '
            '(share of plain forwarding: %s kpps; per-trial share, median '
            'and spread) | %s kpps (%s) | %s kpps (%s%%, ECMP L4 route) | '
            '>= 90%% of plain | %s |' % (
                fmt(p['forwarder_pps'] / 1000), fmt(s['forwarder_pps'] / 1000),
                sp_cell(sp, '%'), fmt(e.get('forwarder_pps', 0) / 1000),
                fmt(e.get('ratio_to_plain', 0) * 100),
                verdict_spread(res, 'forwarding_share_of_plain_pct', sp, 90,
                               True, ' points')))
    f6 = res.get('forwarding_v6')
    if f6 and 'sessha' in f6:
        s, p = f6['sessha'], f6['plain']
        sp = spread(s.get('ratio_to_plain_trials', []), 3)
        add('| 1 | IPv6 forwarding, flows owned elsewhere: forwarder-only '
            'kpps (share of plain IPv6 forwarding: %s kpps; per-trial ratio) '
            '| %s kpps (%s) | - | >= 0.9 of plain | %s |' % (
                fmt(p['forwarder_pps'] / 1000), fmt(s['forwarder_pps'] / 1000),
                sp_cell(sp, 'x'),
                verdict_spread(res, 'fwd_pps_ratio_v6', sp, 0.9, True, 'x')))
    su = res.get('setup', {})
    if 'sessha' in su and 'ipvs' in su:
        add('| 2 | Session setup with sync: new TCP sessions per CPU-second '
            '(node CPU per session); ratio per paired trial | %s (%s us) | '
            '%s (%s us) | >= 1.5x IPVS | %s: %s |' % (
                fmt(su['sessha']['sessions_per_cpu_s']),
                fmt(su['sessha']['node_cpu_us_per_session']),
                fmt(su['ipvs']['sessions_per_cpu_s']),
                fmt(su['ipvs']['node_cpu_us_per_session']),
                sp_cell(su.get('ratio_spread'), 'x'),
                verdict_spread(res, 'setup_ratio_to_ipvs',
                               su.get('ratio_spread'), 1.5, True, 'x')))
    w = res.get('wire', {})

    def wc(y):
        if not y:
            return None
        return '%s B (%s records)' % (sp_cell(y['payload_bytes_per_session']),
                                      fmt(y['records_per_session']['median']))
    for rate, key, auth in (('200', None, None), ('5k', 'wire_5k', 'sessha-auth')):
        x = w.get(rate, {})
        if not x:
            continue
        s4, sa, i4 = x.get('sessha'), x.get('sessha-auth'), x.get('ipvs')
        r = (s4 or sa or i4)['rate']

        scell = '; '.join(c for c in (
            s4 and 'no key: ' + wc(s4), sa and 'HMAC: ' + wc(sa)) if c)
        if rate == '5k':
            v = verdict_spread(res, 'wire_bytes_per_session_v4_auth_5k',
                               sa and sa['payload_bytes_per_session'], 24,
                               False, ' B')
        else:
            v = '- (the target is for >= 5,000/s)'
        add('| 3 | Sync bytes per new IPv4 session at %s/s (UDP payload of '
            'the records it causes, per session) | %s | %s | %s | %s |' % (
                fmt(r), scell or 'n/a', wc(i4) or 'n/a',
                '<= 24 B, HMAC on' if rate == '5k' else '-', v))
    s6, i6 = w.get('v6', {}).get('sessha'), w.get('v6', {}).get('ipvs')
    r6 = (s6 or i6 or {}).get('rate')
    add('| 3 | Sync bytes per new IPv6 session at %s/s (IPv6 topology for '
        'sessha, no key) | %s | %s | <= 40 B | %s |' % (
            fmt(r6), wc(s6) or 'n/a', wc(i6) or 'n/a',
            verdict_spread(res, 'wire_bytes_per_session_v6',
                           s6 and s6['payload_bytes_per_session'], 40,
                           False, ' B')))
    for rate in ('200', '5k'):
        x = w.get(rate, {})
        if not x:
            continue
        main = x.get('sessha-auth') if rate == '5k' else x.get('sessha')
        main = main or x.get('sessha') or x.get('sessha-auth')
        i4 = x.get('ipvs')

        def lc(y):
            if not y:
                return 'n/a'
            return 'p99 %s; p50 %s ms' % (sp_cell(y['lag_p99_ms'], ' ms'),
                                          fmt(y['lag_p50_ms']['median']))
        cells = []
        for k in ('sessha', 'sessha-auth'):
            if x.get(k):
                cells.append('%s: %s' % ('HMAC' if k == 'sessha-auth' else
                                         'no key', lc(x[k])))
        add('| 4 | Replication lag at %s/s (first packet on the owner to '
            'the sync datagram carrying it) | %s | %s | p99 <= 2 ms | %s |' % (
                fmt((main or i4)['rate']), '<br>'.join(cells) or 'n/a', lc(i4),
                verdict_spread(res, 'replication_lag_p99_ms_' + rate,
                               main and main['lag_p99_ms'], 2.0, False, ' ms')))
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
            pk, pm = lk['1k'].get('perf', {}), lk['1M'].get('perf', {})
            return ('lookup samples per packet-path sample: %s at 1k, %s at 1M '
                    '(%s and %s lookup samples); ratio per trial %s, pooled %s; '
                    'whole node %s ns at 1k, %s ns at 1M (x%s)' % (
                        fmt(pk.get('lookup_per_path')), fmt(pm.get('lookup_per_path')),
                        pk.get('samples'), pm.get('samples'),
                        sp_cell(lk.get('perf_ratio_1M_to_1k_spread'), 'x'),
                        fmt(lk.get('perf_ratio_1M_to_1k_pooled')),
                        fmt(lk['1k'].get('node_ns_per_packet')),
                        fmt(lk['1M'].get('node_ns_per_packet')),
                        fmt(lk.get('ratio_1M_to_1k'))))
        add('| 6 | Cost per packet on the node, 1k vs 1M sessions | %s | %s '
            '| lookup at 1M <= 1.2x 1k | %s |' % (
                lcell(s), lcell(i), verdict_spread(
                    res, 'lookup_cost_ratio_1m_1k',
                    s.get('lookup', {}).get('perf_ratio_1M_to_1k_spread'),
                    1.2, False, 'x')))
    c = res.get('churn')
    if c:
        one = {'median': c['bulk_records'], 'min': c['bulk_records'],
               'max': c['bulk_records'], 'n': 1, 'trials': [c['bulk_records']]}
        mm = dict(one, median=c['digest_mismatches'], min=c['digest_mismatches'],
                  max=c['digest_mismatches'], trials=[c['digest_mismatches']])
        add('| 7 | Steady churn: %s s at %s new sessions/s (sent %s/s; %s): '
            'bulk records, digest mismatches, records lost | %s bulk records, '
            '%s mismatches, %s lost | - | 0 and 0, no loss | %s; %s |' % (
                c['seconds'], c['rate'], fmt(c['sent_rate']),
                'HMAC on' if c['keyed'] else 'no key', c['bulk_records'],
                c['digest_mismatches'], c['lost'],
                verdict_spread(res, 'steady_churn_bulk_records', one, 0, False),
                verdict_spread(res, 'steady_churn_digest_mismatches', mm, 0, False)))
    gcs = res.get('gc', {})
    if gcs:
        g1, gc_ = gcs.get('1M'), gcs.get('cluster-1M')
        g1 = g1 if g1 and g1['share_pct'] else None
        gc_ = gc_ if gc_ and gc_['share_pct'] else None
        both = [t for g in (g1, gc_) if g for t in g['share_pct']['trials']]
        sp = spread(both)
        if sp:
            # the key: the worse of the two medians
            sp['median'] = max(g['share_pct']['median'] for g in (g1, gc_) if g)
        cells = []
        if g1:
            cells.append('one table of %s entries, sync off: %s' % (
                g1['entries'], sp_cell(g1['share_pct'], '%')))
        if gc_:
            cells.append('a cluster of %s flows (each node serves a third and '
                         'backs up a third), sync on, traffic through the '
                         'forwarder: %s' % (gc_['entries'], sp_cell(gc_['share_pct'], '%')))
        add('| 8 | GC and digest work at 1M sessions: share of the busy CPU '
            'samples (all CPUs, pktgen to random sessions) | %s | - | <= 2%% '
            '| %s |' % ('<br>'.join(cells), verdict_spread(
                res, 'gc_digest_busy_share_1m', sp, 2.0, False, ' points')))
    tk = res.get('takeover')
    if tk:
        one = {'median': tk['dropped'], 'min': tk['dropped'], 'max': tk['dropped'],
               'n': 1, 'trials': [tk['dropped']]}
        add('| 9 | Takeover at %s sessions (n1 served %s, backed up %s): '
            'mark-down to every flow of n1 with an owner (promoted) and a '
            'replica again; records dropped | %s s (owners after %s s; %s '
            'promoted, %s replicas%s); %s dropped | - | '
            'printed; 0 dropped | %s |' % (
                tk['sessions'], tk['owned_by_failed'], tk['backed_up_by_failed'],
                fmt(tk['seconds']), fmt(tk['owners_s']), tk['promoted'],
                tk['replicas'], '' if tk['complete'] else ', INCOMPLETE',
                tk['dropped'], verdict_spread(res, 'takeover_300k_dropped',
                                              one, 0, False)))
    j = res.get('join')
    if j:
        add('| 10 | Join: a node restarts into a cluster holding %s sessions; '
            'its configuration to "ready" | %s s (%s replicas received; %s)'
            ' | - | bounded, printed | %s |' % (
                j['sessions'], fmt(j['seconds']), j['n3_replicas'],
                'every bulk answer complete' if not j['n3_join_timeouts']
                else 'ready by the join timeout',
                'ready in %s s' % fmt(j['seconds']) if j['ready'] else
                'not ready within the wait'))
    fo = res.get('failover', {})

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
    for n in sorted({v['conns'] for v in fo.values()}):
        s = fo.get('sessha/%d' % n)
        i = fo.get('ipvs/%d' % n)
        ins = fo.get('ipvs-nosync/%d' % n)

        add('| 5 | Failover, N=%d (a message every %s s): share surviving; '
            "stall p50 / p99 / max, every survivor's gap across the crash | "
            '%s | with sync: '
            '%s<br>without sync: %s | 100%% survive | %s |' % (
                n, fmt((s or i or {}).get('interval_s')), cell(s), cell(i),
                cell(ins), vd(res, 'failover_survival_pct_N%d' % n,
                                 s and s['survived_share'] * 100, 100, True,
                                 ' points')))
    fo6 = res.get('failover_v6') or {}
    for k, n in enumerate(sorted({v['conns'] for v in fo6.values()})):
        s, i = fo6.get('sessha/%d' % n), fo6.get('ipvs/%d' % n)
        sp = spread([s['survived_share'] * 100] if s else [], 1)
        add('| 5 | IPv6 failover, N=%d (a message every %s s), as above | '
            '%s | with sync: %s | 100%% survive | %s |' % (
                n, fmt((s or i or {}).get('interval_s')), cell(s), cell(i),
                verdict_spread(res, 'failover_v6_survived_pct' if not k else
                               'failover_v6_survived_pct_N%d' % n, sp, 100,
                               True, ' points')))
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
    n.append('- Verdicts: a target is met or missed only when every trial '
             'lies on its side; otherwise "undecided" with the spread. '
             'Ratios and spreads are medians and min-max over trials in which '
             'sessha and IPVS took turns in one topology of this boot.')
    for rate, x in sorted(res.get('wire', {}).items()):
        for k, y in sorted(x.items()):
            tr = y['trials']
            kinds = {}
            for z in tr:
                for kk, v in z['by_kind'].items():
                    if kk == 'incremental':
                        continue
                    e = kinds.setdefault(kk, [0, 0])
                    e[0] += v['datagrams']
                    e[1] += v['payload_bytes']
            n.append('- Wire %s %s: %d trials of %s sessions at %s/s (sent '
                     'at %s/s; SYNs captured %s), %d of %d replicated; '
                     'records per session %s; '
                     'lag max %s ms; where the p99 goes: SYN to ACK (the '
                     'generator, the input queue) %s ms, ACK to the sync '
                     'datagram %s ms; longest generator tick %s ms; capture '
                     'drops %s, unread %s%s.' % (
                         rate, k, len(tr), tr[0].get('sent'), fmt(y['rate']),
                         '/'.join(fmt(z.get('sent_rate')) for z in tr),
                         '/'.join(fmt(z.get('sessions')) for z in tr),
                         y['replicated'], y['sessions_all'],
                         sp_cell(y['records_per_session']),
                         sp_cell(y['lag_max_ms']),
                         sp_cell(y['syn_to_ack_p99_ms']),
                         sp_cell(y['lag_from_ack_p99_ms']),
                         '/'.join(fmt(z.get('tick_max_ms')) for z in tr),
                         y['capture_dropped'], y['capture_unread'],
                         '; besides the records: ' + ', '.join(
                             '%s %d datagrams / %d B' % (kk, v[0], v[1])
                             for kk, v in sorted(kinds.items()))
                         if kinds else ''))
    c = res.get('churn')
    if c:
        n.append('- Churn: %s sessions sent in %s s (pool %s, TCP timeout %s s; '
                 'longest gap between generator ticks %s ms, schedule slipped '
                 '%s s); packets lost inside the guest (backlog drops, UDP '
                 'receive buffer errors per node): %s; counters moved (sum of '
                 'n1-n3): %s.' % (
                     c['sent'], c['send_s'], c['pool'], c['timeout_s'],
                     c['tick_max_ms'], c['slipped_s'], c['guest_drops'], ', '.join(
                         '%s %s' % kv for kv in sorted(c['deltas']['sum'].items()))))
    tk = res.get('takeover')
    if tk:
        n.append('- Takeover: the fill (pktgen through the forwarder) left, '
                 'summed over n1-n3: %s. The controller\'s mark-down (three '
                 '"sessha node set" in parallel) took %s ms of the %s s; '
                 'counters on n2+n3: %s.' % (
                     ', '.join('%s %s' % kv for kv in sorted(tk['fill_counters'].items())),
                     tk['markdown_ms'], fmt(tk['seconds']), ', '.join(
                     '%s %s' % kv for kv in sorted(tk['deltas']['sum'].items()))))
    j = res.get('join')
    if j:
        n.append('- Join: n3 configured in %s ms; n3 join timeouts %s, '
                 'incomplete bulk answers %s; the answerers\' counters: %s.' % (
                     j['config_ms'], j['n3_join_timeouts'],
                     j['n3_bulk_incomplete'], ', '.join(
                         '%s %s' % kv for kv in sorted(j['answerers']['sum'].items()))))
    for label, g in sorted(res.get('gc', {}).items()):
        n.append('- GC and digest at %s (%s entries, sync on): pooled %s%% of '
                 '%d busy samples; by symbol %s; the busy CPU went to: %s.' % (
                     label, g.get('entries'), fmt(g['pooled_share_pct']),
                     sum(t['busy_samples'] for t in g['trials']),
                     ', '.join('%s %d' % kv for kv in list(g['symbols'].items())[:8])
                     or 'none', ', '.join('%s %s%%' % (k, v) for k, v in
                                         g['top_busy_pct'])))
    sec = res.get('section_seconds')
    if sec:
        n.append('- Seconds per section: %s; whole guest run %s s.' % (
            ', '.join('%s %s' % kv for kv in sec.items()),
            res.get('meta', {}).get('seconds')))
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


def chart(res, path):
    """CDFs of the replication lag and of the failover stall."""
    tmp = tempfile.mkdtemp(prefix='bench-chart.')
    plots1, plots2 = [], []
    for rate, key, label in (
            ('200', 'sessha', 'sessha 200/s'), ('200', 'ipvs', 'IPVS 200/s'),
            ('5k', 'sessha-auth', 'sessha, HMAC, 5k/s'),
            ('5k', 'ipvs', 'IPVS 5k/s')):
        x = res.get('wire', {}).get(rate, {}).get(key)
        if x and x['_lags']:
            fn = os.path.join(tmp, rate + key)
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


KEYS = (
    # key, verdict it comes from, unit
    ('wire_bytes_per_session_v4_auth_5k', 'wire_bytes_per_session_v4_auth_5k', 'B'),
    ('replication_lag_p99_ms_5k', 'replication_lag_p99_ms_5k', 'ms'),
    ('steady_churn_bulk_records', 'steady_churn_bulk_records', 'records'),
    ('gc_digest_busy_share_1m', 'gc_digest_busy_share_1m', '% of busy CPU'),
    ('lookup_cost_ratio_1m_1k', 'lookup_cost_ratio_1m_1k', 'x'),
    ('takeover_300k_s', None, 's'),
    ('takeover_300k_dropped', 'takeover_300k_dropped', 'records'),
    ('wire_bytes_per_session_v6', 'wire_bytes_per_session_v6', 'B'),
    ('fwd_pps_ratio_v6', 'fwd_pps_ratio_v6', 'x plain'),
    ('failover_v6_survived_pct', 'failover_v6_survived_pct', '%'),
)


def bench_keys(res):
    """The issue's keys: one number each (a median where there are
    trials), and what it rests on."""
    keys, det = {}, {}
    v = res.get('verdicts', {})
    for key, vkey, unit in KEYS:
        if vkey and vkey in v and v[vkey]['measured']:
            m = v[vkey]['measured']
            keys[key] = m['median']
            det[key] = {'unit': unit, 'target': v[vkey]['target'],
                        'verdict': v[vkey]['verdict'], 'min': m['min'],
                        'max': m['max'], 'trials': m['trials']}
        else:
            keys[key] = None
            det[key] = {'unit': unit, 'verdict': 'not measured'}
    tk = res.get('takeover')
    if tk:
        keys['takeover_300k_s'] = tk['seconds']
        det['takeover_300k_s'] = {
            'unit': 's', 'target': 'printed (no bound set)', 'trials': [tk['seconds']],
            'verdict': 'measured' + ('' if tk['complete'] else
                                     ': incomplete when the wait ended'),
            'sessions': tk['sessions'], 'markdown_ms': tk['markdown_ms']}
    det['steady_churn_bulk_records']['digest_mismatches'] = \
        (res.get('churn') or {}).get('digest_mismatches')
    return keys, det


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
    try:
        with open(os.path.join(a.raw, 'host-load.txt')) as f:
            meta['host_loadavg'] = [x.strip() for x in f if x.strip()]
    except OSError:
        pass
    res = {'title': 'sessha vs IPVS, %s, %s (%s)' % (
        a.date, meta.get('kernel', a.kver), a.commit),
        'date': a.date, 'commit': a.commit, 'meta': meta, 'targets': TARGETS}
    res['forwarding'] = fwd_summary(sel('fwd'))
    res['setup'] = setup_summary(sel('setup'))
    res['wire'] = {k: v for k, v in (
        ('200', wire_summary(sel('lag'), a.raw, '10.203.0.0')),
        ('5k', wire_summary(sel('lag5k'), a.raw, '10.203.0.0')),
        ('v6', wire_summary(sel('v6wire') + sel('wire6'), a.raw,
                            'fd78::1:0'))) if v}
    res['forwarding_v6'] = fwd_summary(sel('fwd6'))
    res['memory'] = mem_summary(sel('mem'), sel('lookup'), sel('lookup_perf'),
                                a.raw)
    res['churn'] = churn_summary(sel('churn'))
    res['takeover'] = takeover_summary(sel('takeover'))
    res['join'] = join_summary(sel('join'))
    res['gc'] = gc_summary(sel('gc_perf'), a.raw)
    res['section_seconds'] = {r['name']: r['seconds'] for r in sel('section')}
    res['failover'] = failover_summary(sel('failover'), a.raw)
    res['failover_v6'] = failover_summary(sel('failover6'), a.raw)
    md = table(res)
    res['keys'], res['key_details'] = bench_keys(res)

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
                'measurements; host load average %s. Method: '
                'bench/README.md.\n\n' % (
                    meta.get('cpus'), (meta.get('mem_kb') or 0) // 1024,
                    meta.get('hz'), meta.get('seconds'),
                    '; '.join(meta.get('host_loadavg', [])) or 'n/a'))
        f.write(md + '\n')
        f.write(notes_md(res))
        for name in sorted(os.listdir(a.raw)):
            if not (name.startswith('perf-') and name.endswith('.txt')) or \
                    name.startswith(('perf-lookup-', 'perf-gc-')):
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
