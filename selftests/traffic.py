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
#            seconds each, one outstanding at a time, and optionally a
#            churn of short ones; a status file is rewritten twice a
#            second; on exit (duration, stop file or SIGTERM) a JSON
#            report: per connection its client port, the backend(s) that
#            answered, backend changes, the error (reset, eof, ...), the
#            longest gap between replies and every reply's time
#   analyze  judge a client report around one or more failure windows
#   rawsync  send crafted sync datagrams (wire format v3), signed or not
#   policy   the ring policy's node order for flows, as the module
#            computes it (kmod/policy.c): find a client port whose flow a
#            node owns, backs up, or neither
#
# All times in files are integer milliseconds since the epoch (bash compares
# them with ${EPOCHREALTIME}).

import argparse
import ctypes
import errno
import hashlib
import heapq
import hmac
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



def family(addr):
    """The socket family of a numeric address."""
    return socket.AF_INET6 if ':' in addr else socket.AF_INET

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
                ls = socket.socket(family(args.addr), socket.SOCK_STREAM)
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


class ChurnConn:
    """A short connection: connect, one message, its reply, close."""

    def __init__(self, sock, t_start):
        self.sock = sock
        self.t_start = t_start
        self.state = 'connecting'
        self.inbuf = b''


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
    churn = set()
    churn_stats = {'churn_ok': 0, 'churn_errors': 0}
    churn_port = 0
    next_churn = t0 + 1.0 / args.churn_rate if args.churn_rate else None

    def churn_close(c, ok):
        churn_stats['churn_ok' if ok else 'churn_errors'] += 1
        churn.discard(c)
        try:
            sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()

    def churn_start(now):
        nonlocal churn_port
        addr, port = args.target[0].rsplit(':', 1)
        s = socket.socket(family(addr), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setblocking(False)
        c = ChurnConn(s, now)
        try:
            s.bind(('::' if ':' in addr else '0.0.0.0',
                    args.churn_base + churn_port))
            churn_port = (churn_port + 1) % args.churn_ports
            rc = s.connect_ex((addr, int(port)))
        except OSError as e:
            rc = e.errno
        churn.add(c)
        if rc not in (0, errno.EINPROGRESS):
            churn_close(c, False)
        else:
            sel.register(s, selectors.EVENT_WRITE, c)

    def churn_event(c):
        if c.state == 'connecting':
            if c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                churn_close(c, False)
                return
            c.state = 'waiting'
            try:
                c.sock.send(b'churn 1\n')
            except OSError:
                churn_close(c, False)
                return
            sel.modify(c.sock, selectors.EVENT_READ, c)
            return
        try:
            chunk = c.sock.recv(4096)
        except OSError:
            chunk = b''
        c.inbuf += chunk
        if b'\n' in c.inbuf:
            churn_close(c, c.inbuf.split(b'\n')[0].endswith(b' churn 1'))
        elif not chunk:
            churn_close(c, False)

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
                'last_established': max([c.t_est or 0 for c in conns]),
                'backends': backends, **churn_stats}

    sends = []        # heap of (when, conn id)
    next_check = 0.0
    while True:
        now = time.time()
        if stop_requested or (deadline and now >= deadline) or \
           (args.stop_file and os.path.exists(args.stop_file)):
            break
        # A second wave of connections, once asked for.
        if args.wave and args.wave_file and os.path.exists(args.wave_file):
            addr, port = args.target[0].rsplit(':', 1)
            for _ in range(args.wave):
                conns.append(ClientConn(len(conns), addr, int(port), sport))
                pending.append(conns[-1])
                sport += 1
            args.wave = 0
            next_connect = max(next_connect, now)
        # Staggered connects: a SYN burst would only measure the guest.
        while pending and now >= next_connect:
            c = pending.pop(0)
            s = socket.socket(family(c.addr), socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.bind(('::' if ':' in c.addr else '0.0.0.0', c.sport))
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
        while next_churn and now >= next_churn:
            churn_start(now)
            next_churn += 1.0 / args.churn_rate
        if now >= next_check:
            for c in conns:
                if c.state == 'connecting' and \
                        now - c.t_start > args.connect_timeout:
                    fail(c, 'connect-timeout')
            for c in list(churn):
                if now - c.t_start > args.connect_timeout:
                    churn_close(c, False)
            if args.status:
                write_atomic(args.status, status())
            next_check = now + 0.5
        wake = min([next_check] + ([sends[0][0]] if sends else []) +
                   ([next_connect] if pending else []) +
                   ([next_churn] if next_churn else []))
        timeout = min(max(wake - time.time(), 0.001), 0.5)
        for key, ev in sel.select(timeout=timeout):
            c = key.data
            if isinstance(c, ChurnConn):
                churn_event(c)
                continue
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

# Wire format v3 (kmod/wire.h, Documentation/sync-wire-format.rst): version,
# type, key id, count, sender, epoch, seq; the body; then, iff the key id
# is not 0, HMAC-SHA256 over the receiver's node id (4 bytes, not sent),
# the header and the body, truncated to 16 bytes.
SYNC_HDR = struct.Struct('!BBBBIQI')
SYNC_HDR_V1 = struct.Struct('!BBHIHH')
SYNC_UPDATE = struct.Struct('!BHHHH')   # opts, service, cport, backend, timeout
SYNC_DELETE = struct.Struct('!BHH')     # opts, service, cport
SYNC_MAC_LEN = 16
SYNC_SESSIONS, SYNC_BULK_REQUEST, SYNC_BULK_START, SYNC_BULK_END, \
    SYNC_DIGEST = range(1, 6)


def sync_record(op=1, state=2, service=1, backend=1, cport=40000,
                timeout=60, client='10.77.0.2', reserved=0, v6=None):
    """A v3 record: the first byte packs op (bits 7-6), IPv6 (bit 5),
    reserved (bits 4-3) and state (bits 2-0). v6 defaults to the address's
    family."""
    fam = socket.AF_INET6 if ':' in client else socket.AF_INET
    if v6 is None:
        v6 = fam == socket.AF_INET6
    opts = (op & 3) << 6 | (0x20 if v6 else 0) | (reserved & 3) << 3 | \
        (state & 7)
    if op == 2:
        rec = SYNC_DELETE.pack(opts, service, cport)
    else:
        rec = SYNC_UPDATE.pack(opts, service, cport, backend, timeout)
    return rec + socket.inet_pton(fam, client)


def sync_datagram(sender, body, mtype=SYNC_SESSIONS, count=0, epoch=1, seq=1,
                  key_id=0, key=None, receiver=0, version=3, mac=True):
    """A v3 datagram. With key_id != 0 and mac, the MAC for node receiver
    is appended, made with key (bytes; None: 32 zero bytes)."""
    data = SYNC_HDR.pack(version, mtype, key_id, count, sender, epoch,
                         seq) + body
    if key_id and mac:
        data += hmac.new(key or bytes(32), struct.pack('!I', receiver) + data,
                         hashlib.sha256).digest()[:SYNC_MAC_LEN]
    return data


def read_key(path):
    """A key file as sessha reads it: 64 hex digits."""
    with open(path) as f:
        key = bytes.fromhex(f.read().strip())
    if len(key) != 32:
        raise SystemExit('rawsync: %s: want 64 hex digits' % path)
    return key


# A case's options: NAME,opt=value,...[@NETNS]; integers unless noted.
CASE_OPTS = ('sender', 'receiver', 'epoch', 'seq', 'key_id', 'cport',
             'backend', 'state', 'key')     # key: a key file


def rawsync_case(name, a, o):
    """Datagram for a named case. Each malformed one is wrong in exactly one
    way and names client port CPORT + 1 unless told otherwise (the valid
    cases use CPORT), so that a session it wrongly created would stand
    out. o: the case's options over the defaults."""
    valid = ('add', 'del', 'tampered', 'bulk-request')
    cport = o.get('cport', a.cport if name in valid else a.cport + 1)
    rec = dict(service=a.service, backend=o.get('backend', a.backend),
               client=a.client, cport=cport, state=o.get('state', 2))
    good = sync_record(**rec)
    hdr = dict(sender=o.get('sender', a.sender), epoch=o['epoch'],
               seq=o['seq'], key_id=o['key_id'], key=o['key'],
               receiver=o.get('receiver', a.receiver))

    def dg(records=(good,), **kw):
        args = dict(hdr, body=b''.join(records), count=len(records))
        args.update(kw)
        return sync_datagram(**args)

    def tampered():
        d = bytearray(dg())
        d[SYNC_HDR.size + 6] ^= 1       # backend id, after signing
        return bytes(d)

    def v1():
        body = good
        return SYNC_HDR_V1.pack(1, 1, SYNC_HDR_V1.size + len(body),
                                hdr['sender'], 1, 0) + body

    ctl = struct.pack('!HI', 0xffff, 0)
    cases = {
        'add': lambda: dg(),
        'del': lambda: dg([sync_record(op=2, **dict(rec, state=0))]),
        # signed with the right key, then a byte of the body changed
        'tampered': tampered,
        'bulk-request': lambda: dg(body=ctl, mtype=SYNC_BULK_REQUEST,
                                   count=0),
        'short-header': lambda: dg()[:SYNC_HDR.size - 1],
        'short-records': lambda: dg(count=2),
        # key id set, no room for the MAC after the header
        'short-mac': lambda: dg([], key_id=hdr['key_id'] or 1, mac=False),
        'version': lambda: dg(version=4),
        'version2': lambda: dg(version=2),
        'version1': v1,
        'type': lambda: dg(mtype=9),
        'type0': lambda: dg(mtype=0),
        'trailing': lambda: dg(body=good + b'\0\0\0'),
        'ctl-length': lambda: dg(body=ctl[:4], mtype=SYNC_BULK_REQUEST,
                                 count=0),
        'digest-count': lambda: dg(body=bytes(16 * 12), mtype=SYNC_DIGEST,
                                   count=15),
        'random': lambda: bytes([random.choice([0, 1, 2] +
                                               list(range(4, 256)))])
        + os.urandom(random.randint(19, 80)),
        'bad-op': lambda: dg([sync_record(op=3, **rec)]),
        'bad-flags': lambda: dg([sync_record(reserved=1, **rec)]),
        'bad-reserved': lambda: dg([sync_record(reserved=2, **rec)]),
        'bad-delete-state': lambda: dg([sync_record(op=2, **rec)]),
        'bad-service': lambda: dg([sync_record(**dict(rec, service=999))]),
        'bad-backend': lambda: dg([sync_record(**dict(rec, backend=999))]),
        'bad-state': lambda: dg([sync_record(**dict(rec, state=6))]),
        'bad-timeout': lambda: dg([sync_record(timeout=0, **rec)]),
        'bad-family': lambda: dg([sync_record(**dict(
            rec, client='fd00::2'))]),
        'spoof': lambda: dg(sender=a.spoof_sender),
        'unknown-sender': lambda: dg(sender=99),
        # valid, but sent from an address that is not the sender's
        'stranger': lambda: dg(),
    }
    if name not in cases:
        raise SystemExit('rawsync: unknown case %s (%s)' %
                         (name, ' '.join(sorted(list(cases) + ['again']))))
    return cases[name]()


def parse_case(spec, a):
    """NAME[,opt=value...][@NETNS] -> (name, options, netns)."""
    spec, _, ns = spec.partition('@')
    name, *opts = spec.split(',')
    o = {}
    for kv in opts:
        k, _, v = kv.partition('=')
        if k not in CASE_OPTS:
            raise SystemExit('rawsync: unknown option %s (%s)' %
                             (k, ' '.join(CASE_OPTS)))
        o[k] = v if k == 'key' else int(v, 0)
    if 'key' in o:
        o['key'] = read_key(o['key'])
    else:
        o['key'] = a.key
    o.setdefault('key_id', a.key_id)
    o.setdefault('epoch', a.epoch)
    return name, o, ns or a.netns


def cmd_rawsync(args):
    """Send --case SPEC datagrams to --to ADDR:PORT, in order. Each takes
    the next sequence number (from --seq) unless it names its own; "again"
    sends the previous datagram once more, byte for byte."""
    addr, port = args.to.rsplit(':', 1)
    args.key = read_key(args.key_file) if args.key_file else None
    if args.key_id is None:
        args.key_id = 1 if args.key else 0
    if args.epoch is None:
        args.epoch = time.time_ns()
    seq = args.seq
    data = None
    for spec in args.case:
        name, o, ns = parse_case(spec, args)
        if name != 'again':
            if 'seq' not in o:
                o['seq'] = seq
                seq += 1
            data = rawsync_case(name, args, o)
        elif data is None:
            raise SystemExit('rawsync: "again" needs a datagram before it')
        with NetnsGuard(ns):
            s = socket.socket(family(addr), socket.SOCK_DGRAM)
            s.sendto(data, (addr, int(port)))
            s.close()
        print('rawsync %-24s %4d bytes from %s: %s' %
              (spec.partition('@')[0], len(data), ns or '-', data.hex()))
    return 0


# ---------------------------------------------------------------- policy
# kmod/policy.c: SipHash-2-4 with a fixed key, over values in host order.
POLICY_KEY = (0x7365737368612d68, 0x612d706f6c696379)
U64 = (1 << 64) - 1


def siphash24(key, data):
    k0, k1 = key
    v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d,
         k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]

    def rotl(x, b):
        return ((x << b) | (x >> (64 - b))) & U64

    def rounds(n):
        for _ in range(n):
            v[0] = (v[0] + v[1]) & U64
            v[1] = rotl(v[1], 13) ^ v[0]
            v[0] = rotl(v[0], 32)
            v[2] = (v[2] + v[3]) & U64
            v[3] = rotl(v[3], 16) ^ v[2]
            v[0] = (v[0] + v[3]) & U64
            v[3] = rotl(v[3], 21) ^ v[0]
            v[2] = (v[2] + v[1]) & U64
            v[1] = rotl(v[1], 17) ^ v[2]
            v[2] = rotl(v[2], 32)

    end = len(data) // 8 * 8
    for i in range(0, end, 8):
        m = int.from_bytes(data[i:i + 8], 'little')
        v[3] ^= m
        rounds(2)
        v[0] ^= m
    b = (len(data) & 0xff) << 56 | int.from_bytes(data[end:], 'little')
    v[3] ^= b
    rounds(2)
    v[0] ^= b
    v[2] ^= 0xff
    rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def ring_order(service, nodes, client, cport):
    """Node ids by preference for an IPv4 flow: the ring policy's order."""
    addr = struct.unpack('!I', socket.inet_aton(client))[0]
    flow = siphash24(POLICY_KEY, struct.pack('<III', addr,
                                             (service << 16) | cport,
                                             socket.AF_INET))
    score = {n: siphash24(POLICY_KEY, struct.pack('<QQ', flow, n))
             for n in nodes}
    return sorted(nodes, key=lambda n: -score[n])


def cmd_policy(args):
    """Print the first client port from --from whose flow puts --node at
    --rank in the order (0: owner, 1: backup, ...), and the order."""
    nodes = [int(n) for n in args.nodes.split(',')]
    for cport in range(args.from_port, 65536):
        order = ring_order(args.service, nodes, args.client, cport)
        if order.index(args.node) == args.rank:
            print(cport, ','.join(map(str, order)))
            return 0
    return 1


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
    c.add_argument('--wave', type=int, default=0,
                   help='this many more connections to the first target, '
                   'once --wave-file exists')
    c.add_argument('--wave-file')
    c.add_argument('--churn-rate', type=float, default=0,
                   help='also open this many short connections per second '
                   '(one message each, then closed), to the first target')
    c.add_argument('--churn-base', type=int, default=30000,
                   help='first client port of the short connections')
    c.add_argument('--churn-ports', type=int, default=1000)
    c.add_argument('--duration', type=float, default=0)
    c.add_argument('--status')
    c.add_argument('--report')
    c.add_argument('--stop-file')

    a = sub.add_parser('analyze')
    a.add_argument('--report', required=True)
    a.add_argument('--window', action='append', default=[])
    a.add_argument('--flat', action='store_true',
                   help='"key.sub value" lines instead of JSON')

    o = sub.add_parser('policy')
    o.add_argument('--service', type=int, default=1)
    o.add_argument('--nodes', default='1,2,3')
    o.add_argument('--client', default='10.77.0.2')
    o.add_argument('--from', dest='from_port', type=int, default=40000)
    o.add_argument('--node', type=int, required=True)
    o.add_argument('--rank', type=int, required=True)

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
    r.add_argument('--epoch', type=int,
                   help='sender epoch (default: now, in ns)')
    r.add_argument('--seq', type=int, default=1,
                   help='sequence number of the first datagram')
    r.add_argument('--key-file', help='sign with this key (64 hex digits)')
    r.add_argument('--key-id', type=int,
                   help='key id in the header (default 1 with a key, else 0)')
    r.add_argument('--receiver', type=int, default=0,
                   help='node id of the receiver, which the MAC covers')

    args = p.parse_args()
    return {'server': cmd_server, 'client': cmd_client,
            'analyze': cmd_analyze, 'rawsync': cmd_rawsync,
            'policy': cmd_policy}[args.mode](args)


if __name__ == '__main__':
    sys.exit(main())
