#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# traffic.py - traffic generator and checker for the sessha selftests.
#
# Standard library only: it runs inside the QEMU guest on the host's Python.
# Every mode that touches the network enters the namespaces itself (setns on
# /run/netns/NAME), so one process serves all three backends and one process
# drives every client connection: in the TCG guest a process launch costs
# more than a second of CPU.
#
#   server   echo servers for the backends: "MSG\n" -> "NAME MSG\n"; each
#            backend logs the connections it accepted to DIR/NAME.log
#   client   N long-lived TCP connections, one small message every INTERVAL
#            seconds each, one outstanding at a time; a status file is
#            rewritten twice a second; on exit (duration, stop file or
#            SIGTERM) a JSON report: per connection its client port, the
#            backend(s) that answered, backend changes, the error (reset,
#            eof, ...), the longest gap between replies and every reply's
#            time (the timeline)
#   analyze  judge a client report around one or more failure windows
#   rawsync  send crafted sync datagrams (wire format v1)
#
# All times in files are integer milliseconds since the epoch (bash compares
# them with ${EPOCHREALTIME}).

import argparse
import ctypes
import errno
import heapq
import json
import os
import random
import selectors
import signal
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
_libc = None


def now_ms():
    return int(time.time() * 1000)


def netns_path(name):
    return name if name.startswith('/') else '/run/netns/' + name


def setns(path):
    """Move this (single-threaded) process into the network namespace."""
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, 'setns %s: %s' % (path, os.strerror(err)))
    finally:
        os.close(fd)


class NetnsGuard:
    """with NetnsGuard(path): ... runs the block in that namespace."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        self.home = os.open('/proc/self/ns/net', os.O_RDONLY)
        if self.path:
            setns(netns_path(self.path))

    def __exit__(self, *exc):
        if _libc is not None and _libc.setns(self.home, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), 'setns back')
        os.close(self.home)


def write_atomic(path, obj):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
        f.write('\n')
    os.replace(tmp, path)


def err_name(exc):
    if isinstance(exc, ConnectionResetError):
        return 'reset'
    if isinstance(exc, OSError) and exc.errno:
        return errno.errorcode.get(exc.errno, str(exc.errno)).lower()
    return type(exc).__name__


stop_requested = False


def on_signal(signum, frame):
    global stop_requested
    stop_requested = True


# ---------------------------------------------------------------- server

class ServerConn:
    def __init__(self, sock, name, log):
        self.sock = sock
        self.name = name.encode()
        self.log = log
        self.inbuf = b''
        self.outbuf = b''


def cmd_server(args):
    sel = selectors.DefaultSelector()
    os.makedirs(args.log_dir, exist_ok=True)
    ports = [int(p) for p in args.port.split(',')]
    for spec in args.backend:
        name, ns = spec.split('=', 1)
        log = open(os.path.join(args.log_dir, name + '.log'), 'a', buffering=1)
        with NetnsGuard(ns):
            for port in ports:
                ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                ls.bind((args.addr, port))
                ls.listen(1024)
                ls.setblocking(False)
                sel.register(ls, selectors.EVENT_READ, ('listen', name, log))
                log.write('listen %s %d\n' % (args.addr, port))
    if args.ready:
        with open(args.ready, 'w') as f:
            f.write('%d\n' % os.getpid())
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def close(c, why):
        try:
            peer = c.sock.getpeername()
            c.log.write('close %s %d %s\n' % (peer[0], peer[1], why))
        except OSError:
            c.log.write('close ? ? %s\n' % why)
        sel.unregister(c.sock)
        c.sock.close()

    while not stop_requested:
        for key, ev in sel.select(timeout=0.5):
            data = key.data
            if isinstance(data, tuple):
                _, name, log = data
                try:
                    s, peer = key.fileobj.accept()
                except OSError:
                    continue
                s.setblocking(False)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                lport = s.getsockname()[1]
                log.write('accept %d %s %d\n' % (lport, peer[0], peer[1]))
                sel.register(s, selectors.EVENT_READ, ServerConn(s, name, log))
                continue
            c = data
            if ev & selectors.EVENT_READ:
                try:
                    chunk = c.sock.recv(65536)
                except OSError as e:
                    close(c, err_name(e))
                    continue
                if not chunk:
                    close(c, 'eof')
                    continue
                c.inbuf += chunk
                while b'\n' in c.inbuf:
                    line, c.inbuf = c.inbuf.split(b'\n', 1)
                    c.outbuf += c.name + b' ' + line + b'\n'
            if c.outbuf:
                try:
                    n = c.sock.send(c.outbuf)
                    c.outbuf = c.outbuf[n:]
                except BlockingIOError:
                    pass
                except OSError as e:
                    close(c, err_name(e))
                    continue
                sel.modify(c.sock, selectors.EVENT_READ |
                           (selectors.EVENT_WRITE if c.outbuf else 0), c)
    return 0


# ---------------------------------------------------------------- client

class ClientConn:
    def __init__(self, cid, addr, port, sport):
        self.id = cid
        self.addr = addr
        self.port = port
        self.sport = sport
        self.sock = None
        self.state = 'idle'        # idle connecting established closed
        self.t_start = None
        self.t_est = None
        self.backend = None
        self.backends = []
        self.changes = 0
        self.error = None
        self.t_error = None
        self.replies = []
        self.seq = 0
        self.t_sent = None         # outstanding message, None if none
        self.inbuf = b''

    def report(self):
        return {'id': self.id, 'addr': self.addr, 'port': self.port,
                'sport': self.sport, 'state': self.state,
                'established': self.t_est, 'backend': self.backend,
                'backends': self.backends, 'changes': self.changes,
                'error': self.error, 'error_t': self.t_error,
                'max_gap': max([b - a for a, b in
                                zip(self.replies, self.replies[1:])] or [0]),
                'replies': self.replies}


def cmd_client(args):
    if args.netns:
        setns(netns_path(args.netns))
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sel = selectors.DefaultSelector()
    conns = []
    sport = args.sport_base
    for tgt in args.target:
        addr, port = tgt.rsplit(':', 1)
        for _ in range(args.conns):
            conns.append(ClientConn(len(conns), addr, int(port), sport))
            sport += 1
    interval = args.interval
    t0 = time.time()
    deadline = t0 + args.duration if args.duration else None
    connect_gap = 1.0 / args.connect_rate
    next_connect = t0
    pending = list(conns)

    def fail(c, why):
        if c.state == 'closed':
            return
        c.error = why
        c.t_error = now_ms()
        c.state = 'closed'
        try:
            sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()

    def status():
        est = [c for c in conns if c.state == 'established']
        last = [c.replies[-1] if c.replies else 0 for c in est]
        backends = {}
        for c in conns:
            if c.backend:
                backends[c.backend] = backends.get(c.backend, 0) + 1
        return {'t': now_ms(), 'pid': os.getpid(), 'conns': len(conns),
                'connecting': sum(c.state in ('idle', 'connecting')
                                  for c in conns),
                'established': len(est),
                'replied': sum(1 for c in est if c.replies),
                'errors': sum(1 for c in conns if c.error),
                'changes': sum(c.changes for c in conns),
                'min_last_reply': min(last) if last else 0,
                'backends': backends}

    sends = []        # heap of (when, conn id)
    next_check = 0.0
    while True:
        now = time.time()
        if stop_requested or (deadline and now >= deadline) or \
           (args.stop_file and os.path.exists(args.stop_file)):
            break
        # Staggered connects: a SYN burst would only measure the guest.
        while pending and now >= next_connect:
            c = pending.pop(0)
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.bind(('0.0.0.0', c.sport))
            s.setblocking(False)
            c.sock = s
            c.state = 'connecting'
            c.t_start = now
            rc = s.connect_ex((c.addr, c.port))
            if rc not in (0, errno.EINPROGRESS):
                fail(c, errno.errorcode.get(rc, str(rc)).lower())
            else:
                sel.register(s, selectors.EVENT_WRITE, c)
            next_connect += connect_gap
        while sends and sends[0][0] <= now:
            _, cid = heapq.heappop(sends)
            c = conns[cid]
            if c.state != 'established' or c.t_sent is not None:
                continue
            c.seq += 1
            try:
                c.sock.send(b'%d %d\n' % (c.id, c.seq))
                c.t_sent = now
            except OSError as e:
                fail(c, err_name(e))
        if now >= next_check:
            for c in conns:
                if c.state == 'connecting' and \
                        now - c.t_start > args.connect_timeout:
                    fail(c, 'connect-timeout')
            if args.status:
                write_atomic(args.status, status())
            next_check = now + 0.5
        wake = min([next_check] + ([sends[0][0]] if sends else []) +
                   ([next_connect] if pending else []))
        timeout = min(max(wake - time.time(), 0.001), 0.5)
        for key, ev in sel.select(timeout=timeout):
            c = key.data
            if c.state == 'connecting':
                err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    fail(c, errno.errorcode.get(err, str(err)).lower())
                    continue
                c.state = 'established'
                c.t_est = now_ms()
                # Spread the messages over the interval.
                heapq.heappush(sends, (time.time() +
                                       random.uniform(0, interval), c.id))
                sel.modify(c.sock, selectors.EVENT_READ, c)
                continue
            try:
                chunk = c.sock.recv(65536)
            except OSError as e:
                fail(c, err_name(e))
                continue
            if not chunk:
                fail(c, 'eof')
                continue
            c.inbuf += chunk
            while b'\n' in c.inbuf:
                line, c.inbuf = c.inbuf.split(b'\n', 1)
                parts = line.decode(errors='replace').split()
                if len(parts) != 3 or parts[1] != str(c.id) or \
                        parts[2] != str(c.seq) or c.t_sent is None:
                    fail(c, 'bad-reply:' + line.decode(errors='replace'))
                    break
                t = time.time()
                c.replies.append(int(t * 1000))
                if c.backend is None:
                    c.backend = parts[0]
                elif parts[0] != c.backend:
                    c.changes += 1
                    c.backend = parts[0]
                if parts[0] not in c.backends:
                    c.backends.append(parts[0])
                c.t_sent = None
                heapq.heappush(sends, (t + interval * random.uniform(0.8, 1.2),
                                       c.id))

    if args.status:
        write_atomic(args.status, status())
    rep = {'started': int(t0 * 1000), 'stopped': now_ms(),
           'interval': interval, 'conns': [c.report() for c in conns]}
    if args.report:
        write_atomic(args.report, rep)
    for c in conns:
        if c.sock:
            c.sock.close()
    return 0


# ---------------------------------------------------------------- analyze

def pct(vals, p):
    if not vals:
        return None
    vals = sorted(vals)
    return vals[min(len(vals) - 1, int(p / 100.0 * len(vals)))]


def read_ports(spec):
    if not spec:
        return set()
    if os.path.exists(spec):
        with open(spec) as f:
            spec = f.read()
    return {int(x) for x in spec.replace(',', ' ').split()}


def cmd_analyze(args):
    """Judge a client report.

    --window NAME,CRASH_MS,RECOVER_MS[,PORTS]: a node crashed at CRASH_MS and
    the controller had marked it down by RECOVER_MS; PORTS (a list or a file
    of client ports) are the connections it owned. For each window and each
    group (affected, other) of the connections established before the first
    crash: how many saw an error or a backend change, how many got a reply
    after RECOVER_MS (recovered), and the stall: the gap between the last
    reply before CRASH_MS and the first one after it.  The baseline is the
    gap between consecutive replies before the first crash.
    """
    with open(args.report) as f:
        rep = json.load(f)
    windows = []
    for w in args.window:
        parts = w.split(',', 3)
        windows.append((parts[0], int(parts[1]), int(parts[2]),
                        read_ports(parts[3] if len(parts) > 3 else '')))
    first = min(w[1] for w in windows) if windows else rep['stopped']
    conns = [c for c in rep['conns']
             if c['established'] and c['established'] < first]
    base = []
    for c in conns:
        r = [t for t in c['replies'] if t < first]
        base += [b - a for a, b in zip(r, r[1:])]
    last = max([w[2] for w in windows] or [0])
    out = {'conns': len(rep['conns']), 'established_before': len(conns),
           'survived': sum(1 for c in conns
                           if not c['error'] and not c['changes'] and
                           c['replies'] and c['replies'][-1] > last),
           'errors': sum(1 for c in conns if c['error']),
           'changes': sum(1 for c in conns if c['changes']),
           'error_list': sorted({c['error'] for c in conns if c['error']}),
           'baseline_p50': pct(base, 50), 'baseline_max': max(base or [0]),
           'windows': {}}
    for name, crash, recover, ports in windows:
        wout = {}
        for group in ('affected', 'other'):
            sel = [c for c in conns
                   if (c['sport'] in ports) == (group == 'affected')]
            stalls = []
            lost = 0
            for c in sel:
                before = [t for t in c['replies'] if t <= crash]
                after = [t for t in c['replies'] if t > crash]
                if not after:
                    lost += 1
                    continue
                stalls.append(after[0] - (before[-1] if before else crash))
            wout[group] = {
                'n': len(sel),
                'errors': sum(1 for c in sel if c['error']),
                'changes': sum(1 for c in sel if c['changes']),
                'recovered': sum(1 for c in sel
                                 if any(t > recover for t in c['replies'])
                                 and not c['error']),
                'no_reply_after_crash': lost,
                'stall_max': max(stalls) if stalls else None,
                'stall_p50': pct(stalls, 50)}
        out['windows'][name] = wout
    if args.flat:
        def flat(prefix, obj):
            for k, v in obj.items():
                if isinstance(v, dict):
                    flat(prefix + k + '.', v)
                elif isinstance(v, list):
                    print(prefix + k, ','.join(map(str, v)) or '-')
                else:
                    print(prefix + k, -1 if v is None else v)
        windows = out.pop('windows')
        flat('', out)
        flat('', windows)
    else:
        print(json.dumps(out, separators=(',', ':')))
    return 0


# ---------------------------------------------------------------- rawsync

SYNC_HDR = struct.Struct('!BBHIHH')
SYNC_REC = struct.Struct('!BBBBHHHH')


def sync_record(op=1, flags=0, state=2, service=1, backend=1, cport=40000,
                timeout=60, client='10.77.0.2'):
    fam = socket.AF_INET6 if ':' in client else socket.AF_INET
    return SYNC_REC.pack(op, flags, state, 0, service, backend, cport,
                         timeout) + socket.inet_pton(fam, client)


def sync_datagram(sender, records, version=1, mtype=1, length=None,
                  count=None):
    body = b''.join(records)
    if length is None:
        length = SYNC_HDR.size + len(body)
    if count is None:
        count = len(records)
    return SYNC_HDR.pack(version, mtype, length, sender, count, 0) + body


def rawsync_case(name, a):
    """Datagram for a named case; each malformed one is wrong in exactly
    one way, and names client port CPORT + 1 (the valid add and del use
    CPORT), so that a session it wrongly created would stand out."""
    cport = a.cport if name in ('add', 'del') else a.cport + 1
    rec = dict(service=a.service, backend=a.backend, client=a.client,
               cport=cport)
    good = sync_record(**rec)
    s = a.sender
    cases = {
        'add': lambda: sync_datagram(s, [good]),
        'del': lambda: sync_datagram(s, [sync_record(op=2, **rec)]),
        'short-header': lambda: sync_datagram(s, [good])[:7],
        'short-records': lambda: sync_datagram(s, [good], count=2),
        'version': lambda: sync_datagram(s, [good], version=2),
        'type': lambda: sync_datagram(s, [good], mtype=9),
        'length': lambda: sync_datagram(s, [good], length=12 + len(good) + 8),
        'random': lambda: bytes([random.randrange(2, 256)]) +
        os.urandom(random.randint(11, 60)),
        'bad-op': lambda: sync_datagram(s, [sync_record(op=7, **rec)]),
        'bad-service': lambda: sync_datagram(
            s, [sync_record(**dict(rec, service=999))]),
        'bad-backend': lambda: sync_datagram(
            s, [sync_record(**dict(rec, backend=999))]),
        'bad-state': lambda: sync_datagram(s, [sync_record(state=9, **rec)]),
        'bad-timeout': lambda: sync_datagram(s, [sync_record(timeout=0, **rec)]),
        'bad-family': lambda: sync_datagram(
            s, [sync_record(flags=1, **dict(rec, client='fd00::2'))]),
        'spoof': lambda: sync_datagram(a.spoof_sender, [good]),
        'unknown-sender': lambda: sync_datagram(99, [good]),
        # valid, but sent from an address that is not the sender's
        'stranger': lambda: sync_datagram(s, [good]),
    }
    if name not in cases:
        raise SystemExit('rawsync: unknown case %s (%s)' %
                         (name, ' '.join(sorted(cases))))
    return cases[name]()


def cmd_rawsync(args):
    """Send --case NAME[@NETNS] datagrams to --to ADDR:PORT."""
    addr, port = args.to.rsplit(':', 1)
    for spec in args.case:
        name, _, ns = spec.partition('@')
        data = rawsync_case(name, args)
        with NetnsGuard(ns or args.netns):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.sendto(data, (addr, int(port)))
            s.close()
        print('rawsync %-14s %3d bytes from %s: %s' %
              (name, len(data), ns or args.netns or '-', data.hex()))
    return 0


def main():
    p = argparse.ArgumentParser(description='traffic for the sessha selftests')
    sub = p.add_subparsers(dest='mode', required=True)

    s = sub.add_parser('server')
    s.add_argument('--backend', action='append', required=True,
                   help='NAME=NETNS, repeatable')
    s.add_argument('--addr', required=True)
    s.add_argument('--port', default='80', help='PORT[,PORT...]')
    s.add_argument('--log-dir', required=True)
    s.add_argument('--ready', help='file written once listening')

    c = sub.add_parser('client')
    c.add_argument('--netns')
    c.add_argument('--target', action='append', required=True,
                   help='ADDR:PORT, repeatable; --conns each')
    c.add_argument('--conns', type=int, default=10)
    c.add_argument('--interval', type=float, default=1.0)
    c.add_argument('--sport-base', type=int, default=20000)
    c.add_argument('--connect-rate', type=float, default=50.0,
                   help='connections started per second')
    c.add_argument('--connect-timeout', type=float, default=20.0)
    c.add_argument('--duration', type=float, default=0)
    c.add_argument('--status')
    c.add_argument('--report')
    c.add_argument('--stop-file')

    a = sub.add_parser('analyze')
    a.add_argument('--report', required=True)
    a.add_argument('--window', action='append', default=[])
    a.add_argument('--flat', action='store_true',
                   help='"key.sub value" lines instead of JSON')

    r = sub.add_parser('rawsync')
    r.add_argument('--netns', help='default namespace to send from')
    r.add_argument('--to', required=True, help='ADDR:PORT')
    r.add_argument('--case', action='append', required=True,
                   help='NAME[@NETNS], repeatable')
    r.add_argument('--sender', type=int, default=2)
    r.add_argument('--spoof-sender', type=int, default=3)
    r.add_argument('--service', type=int, default=1)
    r.add_argument('--backend', type=int, default=1)
    r.add_argument('--client', default='10.77.0.2')
    r.add_argument('--cport', type=int, default=40000)

    args = p.parse_args()
    return {'server': cmd_server, 'client': cmd_client,
            'analyze': cmd_analyze, 'rawsync': cmd_rawsync}[args.mode](args)


if __name__ == '__main__':
    sys.exit(main())
