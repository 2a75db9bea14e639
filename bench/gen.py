#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# gen.py - synthetic TCP session openings for the sessha benchmarks.
#
# Standard library only, like selftests/traffic.py: it runs in the QEMU
# guest on the host's Python. It writes Ethernet frames straight onto a
# device with an AF_PACKET socket, many per sendmmsg(2) call (through
# ctypes), so that the kernel, not Python, is what gets measured. Every
# frame is built before the clock starts.
#
# A session is three client segments with correct checksums: SYN, then ACK,
# then ACK+PSH with 8 bytes of data (IPVS syncs a TCP connection on its
# third packet, so both systems get the same three). Session i comes from
# client address --client + i, so that every session is a flow of its own
# and its address identifies it in a capture of the sync traffic.
#
#   gen.py --netns NS --dev eth0 --dst-mac MAC --vip 10.77.100.1 \
#          --client 10.200.0.0 --sessions 20000 [--rate 300] \
#          [--encap SRC,DST] [--report FILE]
#
# --encap wraps each frame in IPv4 or IPv6 (SRC's family) from SRC to DST,
# as a sessha forwarder does: IPv4-in-IPv4, IPv6-in-IPv6. --rate R spreads the sessions over time, R a second,
# each session's three frames back to back, in ticks of --tick seconds
# (1 ms: at 5,000 a second, bursts of five sessions); --duration D keeps
# it up for D seconds, going round the set of sessions again when it is
# used up (the caller makes sure that the first round has expired by
# then, so that every session is a new one); without --rate every frame is
# sent as fast as the kernel takes them, SYNs of a chunk of sessions
# first, then their ACKs, then their data. The report (JSON) has the send
# times and busy_s, the CPU time all CPUs spent busy from the first frame
# to --settle seconds after the last (asynchronous work included: sync).
#
# --owner NODE --ring 1,2,3 --service ID: only the clients from --client
# up whose flows the ring policy gives to NODE (bench/owners, built by
# bench/run.sh), in order, as a forwarder would send them to NODE; without
# it session i comes from --client + i.
#
# --phases drop,real,drop,real runs the sends in turn, with --hook HOOK
# (sh -c HOOK sh PHASE, in the namespace) before each: the caller makes the
# node drop everything for "drop" phases. Each real phase gets its own set
# of sessions (clients --client + k * --sessions); a drop phase sends the
# set of the real phase after it, so both send identical frames.

import argparse
import ctypes
import ipaddress
import json
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'selftests'))
from traffic import NetnsGuard  # noqa: E402

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_QDISC_BYPASS = 20
CHUNK = 256         # sessions per flood round; frames per sendmmsg <= 1024

TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


class Iovec(ctypes.Structure):
    _fields_ = [('iov_base', ctypes.c_void_p), ('iov_len', ctypes.c_size_t)]


class Msghdr(ctypes.Structure):
    _fields_ = [('msg_name', ctypes.c_void_p),
                ('msg_namelen', ctypes.c_uint32),
                ('msg_iov', ctypes.POINTER(Iovec)),
                ('msg_iovlen', ctypes.c_size_t),
                ('msg_control', ctypes.c_void_p),
                ('msg_controllen', ctypes.c_size_t),
                ('msg_flags', ctypes.c_int)]


class Mmsghdr(ctypes.Structure):
    _fields_ = [('msg_hdr', Msghdr), ('msg_len', ctypes.c_uint)]


def csum(data, start=0):
    """Internet checksum of data (even length) plus a partial sum."""
    s = start + sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def busy_s():
    """CPU seconds spent busy so far, all CPUs (/proc/stat)."""
    with open('/proc/stat') as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / \
        os.sysconf('SC_CLK_TCK')


def owned_clients(a):
    """The clients whose flows NODE owns, enough for every set (bench/owners)."""
    sets = max(1, sum(1 for ph in a.phases.split(',') if ph == 'real'))
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                        'build', 'bench', 'owners')
    out = subprocess.run([tool, a.client, str(a.sessions * sets),
                          str(a.service), str(a.sport), str(a.owner)] +
                         a.ring.split(','), check=True,
                         stdout=subprocess.PIPE).stdout
    alen = 16 if ':' in a.client else 4
    return [out[k:k + alen] for k in range(0, len(out), alen)]


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(':'))


class Builder:
    def __init__(self, a):
        self.v6 = ':' in a.vip
        self.fam = socket.AF_INET6 if self.v6 else socket.AF_INET
        self.vip = socket.inet_pton(self.fam, a.vip)
        self.base = int(ipaddress.ip_address(a.client))
        self.clients = None
        if getattr(a, 'owner', None):
            self.clients = owned_clients(a)
        self.dport = a.dport
        self.sport = a.sport
        self.encap = None
        if a.encap:
            src, dst = a.encap.split(',')
            efam = socket.AF_INET6 if ':' in src else socket.AF_INET
            self.encap = (socket.inet_pton(efam, src),
                          socket.inet_pton(efam, dst))
        outer6 = len(self.encap[0]) == 16 if self.encap else self.v6
        self.eth = (mac_bytes(a.dst_mac) + mac_bytes(a.src_mac) +
                    struct.pack('!H', 0x86dd if outer6 else 0x0800))

    def client(self, i):
        if self.clients is not None:
            return self.clients[i]
        n = self.base + i
        return n.to_bytes(16 if self.v6 else 4, 'big')

    def ip4(self, src, dst, proto, payload_len):
        h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + payload_len, 0,
                        0x4000, 64, proto, 0, src, dst)
        return h[:10] + struct.pack('!H', csum(h)) + h[12:]

    def frame(self, i, kind):
        """kind 0 SYN, 1 ACK, 2 ACK+PSH with data."""
        caddr = self.client(i)
        data = b'GET /\r\n\n' if kind == 2 else b''
        flags = (TCP_SYN, TCP_ACK, TCP_ACK | TCP_PSH)[kind]
        seq = 1000 + (1 if kind else 0)
        ack = 5001 if kind else 0
        tcp = struct.pack('!HHIIBBHHH', self.sport, self.dport, seq, ack,
                          5 << 4, flags, 64240, 0, 0) + data
        tlen = len(tcp)
        if self.v6:
            pseudo = caddr + self.vip + struct.pack('!IxxxB', tlen, 6)
        else:
            pseudo = caddr + self.vip + struct.pack('!xBH', 6, tlen)
        tcp = tcp[:16] + struct.pack('!H', csum(pseudo + tcp)) + tcp[18:]
        if self.v6:
            ip = struct.pack('!IHBB16s16s', 6 << 28, tlen, 6, 64, caddr,
                             self.vip) + tcp
        else:
            ip = self.ip4(caddr, self.vip, 6, tlen) + tcp
        if self.encap and len(self.encap[0]) == 16:
            nh = 41 if self.v6 else 4
            ip = struct.pack('!IHBB16s16s', 6 << 28, len(ip), nh, 64,
                             self.encap[0], self.encap[1]) + ip
        elif self.encap:
            ip = self.ip4(self.encap[0], self.encap[1],
                          41 if self.v6 else 4, len(ip)) + ip
        return self.eth + ip

    def frames_fast(self, ids, kind):
        """frame() for many sessions of one kind: the template of session
        0 with the client address and both checksums patched."""
        t = bytearray(self.frame(0, kind))
        alen = 16 if self.v6 else 4
        l3 = len(self.eth) + ((40 if len(self.encap[0]) == 16 else 20)
                              if self.encap else 0)
        if self.v6:
            a_off, ipc_off, tc_off = l3 + 8, None, l3 + 40 + 16
        else:
            a_off, ipc_off, tc_off = l3 + 12, l3 + 10, l3 + 20 + 16
        a0 = self.client(0)
        w0 = sum(struct.unpack('!%dH' % (alen // 2), a0))
        ipc0 = None if ipc_off is None else \
            ~struct.unpack('!H', t[ipc_off:ipc_off + 2])[0] & 0xffff
        tc0 = ~struct.unpack('!H', t[tc_off:tc_off + 2])[0] & 0xffff

        def fix(c, delta):
            # one's complement sum c plus delta (0 <= delta < 0xffff)
            c += delta
            while c >> 16:
                c = (c & 0xffff) + (c >> 16)
            return ~c & 0xffff
        out = []
        pk = struct.Struct('!H')
        for i in ids:
            a = self.client(i)
            d = (sum(struct.unpack('!%dH' % (alen // 2), a)) - w0) % 0xffff
            t[a_off:a_off + alen] = a
            if ipc0 is not None:
                t[ipc_off:ipc_off + 2] = pk.pack(fix(ipc0, d))
            t[tc_off:tc_off + 2] = pk.pack(fix(tc0, d))
            out.append(bytes(t))
        return out


class Sender:
    """Frames in one buffer, sent with sendmmsg in batches."""

    def __init__(self, dev):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_ALL))
        self.sock.setsockopt(SOL_PACKET, PACKET_QDISC_BYPASS, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 24)
        self.sock.bind((dev, 0))

    def prepare(self, frames):
        total = sum(len(f) for f in frames)
        self.buf = ctypes.create_string_buffer(b''.join(frames), total)
        self.n = len(frames)
        self.iov = (Iovec * self.n)()
        self.msgs = (Mmsghdr * self.n)()
        base = ctypes.addressof(self.buf)
        off = 0
        for k, f in enumerate(frames):
            self.iov[k].iov_base = base + off
            self.iov[k].iov_len = len(f)
            m = self.msgs[k].msg_hdr
            m.msg_iov = ctypes.pointer(self.iov[k])
            m.msg_iovlen = 1
            off += len(f)

    def send(self, first, count):
        """Send frames [first, first + count); returns how many went."""
        sent = 0
        fd = self.sock.fileno()
        size = ctypes.sizeof(Mmsghdr)
        base = ctypes.addressof(self.msgs)
        while sent < count:
            n = min(count - sent, 1024)
            r = self.libc.sendmmsg(fd, ctypes.c_void_p(base + (first + sent) *
                                                       size), n, 0)
            if r < 0:
                err = ctypes.get_errno()
                if err in (105, 11):        # ENOBUFS, EAGAIN: retry
                    time.sleep(0.001)
                    continue
                raise OSError(err, os.strerror(err))
            sent += r
        return sent


def main():
    p = argparse.ArgumentParser(description='synthetic TCP session openings')
    p.add_argument('--netns')
    p.add_argument('--dev', default='eth0')
    p.add_argument('--dst-mac', required=True)
    p.add_argument('--src-mac')
    p.add_argument('--vip', required=True)
    p.add_argument('--dport', type=int, default=80)
    p.add_argument('--sport', type=int, default=40000)
    p.add_argument('--client', required=True, help='first client address')
    p.add_argument('--sessions', type=int, required=True)
    p.add_argument('--rate', type=float, default=0,
                   help='sessions per second; 0: as fast as possible')
    p.add_argument('--encap', help='SRC,DST: an outer IPv4 or IPv6 header')
    p.add_argument('--tick', type=float, default=0.001,
                   help='with --rate: seconds between sends (1 ms)')
    p.add_argument('--duration', type=float, default=0,
                   help='with --rate: send for this long, round the set')
    p.add_argument('--settle', type=float, default=0,
                   help='seconds to wait after sending, counted in busy_s')
    p.add_argument('--phases', default='run',
                   help='comma-separated: drop, real or run; one set of '
                   'sessions per real phase, a drop phase sends the next set')
    p.add_argument('--hook', help='shell command run before each phase, '
                   'with the phase name as $1, in the namespace')
    p.add_argument('--owner', type=int, help='only flows this node owns')
    p.add_argument('--ring', default='1,2,3', help='the ring policy\'s nodes')
    p.add_argument('--service', type=int, default=1, help='the service id')
    p.add_argument('--report')
    p.add_argument('--selftest', action='store_true',
                   help='check the fast builder against the slow one')
    a = p.parse_args()
    if a.selftest:
        b = Builder(a)
        for k in range(3):
            fast = b.frames_fast(range(70000), k)
            for i in (0, 1, 255, 256, 65535, 65536, 69999):
                assert fast[i] == b.frame(i, k), (i, k)
        print('ok')
        return 0

    phases = a.phases.split(',')
    sets = max(1, sum(1 for ph in phases if ph == 'real'))
    with NetnsGuard(a.netns):
        if not a.src_mac:
            with open('/sys/class/net/%s/address' % a.dev) as f:
                a.src_mac = f.read().strip()
        b = Builder(a)
        t_build = time.time()
        n = a.sessions
        # One set of sessions per "real" phase; a "drop" phase sends the
        # set of the next "real" one (nothing is created while dropping).
        frames = []
        for k in range(sets):
            ids = range(k * n, (k + 1) * n)
            per = [b.frames_fast(ids, t) for t in range(3)]
            if a.rate:
                frames += [per[t][i] for i in range(n) for t in range(3)]
            else:
                for c in range(0, n, CHUNK):
                    for t in range(3):
                        frames += per[t][c:c + CHUNK]
        s = Sender(a.dev)
        s.prepare(frames)
        t_built = time.time()
        out = []
        k = 0
        for ph in phases:
            if a.hook:
                subprocess.run(['sh', '-c', a.hook, 'sh', ph], check=True)
            first = k * 3 * n
            b0 = busy_s()
            t0 = time.time()
            sent = n
            late = 0.0
            slipped = 0.0
            if a.rate:
                # Every tick sends the sessions due by then; with
                # --duration, round and round the set until it is over.
                total = int(a.rate * a.duration) if a.duration else n
                done = 0
                # A stall of the (emulated) machine is not made up for
                # with a burst beyond 20 ms worth: the schedule slips,
                # and the report's send_s shows it.
                catch_up = max(1, int(a.rate * 0.02))
                slipped = 0.0
                prev = t0
                while done < total:
                    now = time.time()
                    # the longest gap between two ticks (a stall)
                    late = max(late, now - prev)
                    prev = now
                    due = min(total, int((now - t0 - slipped) * a.rate) + 1)
                    if due - done > catch_up:
                        slipped += (due - done - catch_up) / a.rate
                        due = done + catch_up
                    while done < due:
                        i = done % n
                        k_ = min(due - done, n - i)
                        s.send(first + i * 3, k_ * 3)
                        done += k_
                    time.sleep(a.tick)
                sent = total
            else:
                s.send(first, 3 * n)
            t1 = time.time()
            if a.settle:
                time.sleep(a.settle)
            b1 = busy_s()
            out.append({'phase': ph, 'set': k, 'start': t0, 'stop': t1,
                        'send_s': round(t1 - t0, 4),
                        'busy_s': round(b1 - b0, 2), 'sent': sent,
                        'tick_max_s': round(late, 4),
                        'slipped_s': round(slipped, 3) if a.rate else 0})
            if ph == 'real':
                k = min(k + 1, sets - 1)
    rep = {'sessions': n, 'frames': len(frames) // sets,
           'bytes': sum(len(f) for f in frames) // sets,
           'build_s': round(t_built - t_build, 3), 'settle_s': a.settle,
           'phases': out}
    # the first phase, flat, for a single-phase run
    rep.update({x: out[0][x] for x in ('start', 'stop', 'send_s', 'busy_s')})
    if a.report:
        with open(a.report, 'w') as f:
            json.dump(rep, f)
    print(json.dumps(rep))
    return 0


if __name__ == '__main__':
    sys.exit(main())
