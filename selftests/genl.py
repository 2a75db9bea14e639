#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# genl.py - raw generic netlink probes of the sessha family, for
# 05-bad-input. Standard library only. Prints one "PASS msg" or "FAIL msg"
# line per assertion (lib.sh's run_checks turns them into TEST: lines).
#
#   genl.py malformed   malformed requests all fail, valid ones succeed,
#                       and nothing half-done is left behind
#   genl.py unpriv      (run without CAP_NET_ADMIN) a mutating request gets
#                       EPERM, a dump still works
#   genl.py userns-admin  (run as root of a new user namespace that owns a
#                       new network namespace) a mutating request works

import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 1, 2, 4
NLM_F_DUMP = 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG = 1
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 0x8000

# include/uapi/linux/sessha.h
(CMD_NODE_NEW, CMD_NODE_DEL, CMD_NODE_SET, CMD_NODE_GET, CMD_SERVICE_NEW,
 CMD_SERVICE_DEL, CMD_SERVICE_GET, CMD_BACKEND_NEW, CMD_BACKEND_DEL,
 CMD_SESSION_GET, CMD_STATS_GET, CMD_CONFIG_SET, CMD_CONFIG_GET) = range(1, 14)
(A_PAD, A_NODE_ID, A_NODE_ADDR, A_NODE_LOCAL, A_NODE_STATE, A_SERVICE_ID,
 A_SERVICE_VIP, A_SERVICE_PROTO, A_SERVICE_PORT, A_SERVICE_POLICY,
 A_SERVICE_NODES, A_SERVICE_BACKUPS, A_SERVICE_BACKENDS, A_BACKEND,
 A_BACKEND_ID, A_BACKEND_ADDR, A_SESSION_CLIENT_ADDR, A_SESSION_CLIENT_PORT,
 A_SESSION_STATE, A_SESSION_ROLE, A_SESSION_OWNER, A_SESSION_BACKUP,
 A_SESSION_EXPIRES, A_STATS, A_SYNC_PORT, A_SYNC_ENABLED, A_TIMEOUT_TCP,
 A_TIMEOUT_TCP_FIN, A_TIMEOUT_UDP, A_MAX_SESSIONS) = range(1, 31)
A_MAX = A_MAX_SESSIONS
POLICY_RING, POLICY_PAIRS = 0, 1


def nla(atype, payload):
    hdr = struct.pack('=HH', 4 + len(payload), atype)
    return hdr + payload + b'\0' * (-len(payload) % 4)


def u8(t, v): return nla(t, struct.pack('=B', v))
def u16(t, v): return nla(t, struct.pack('=H', v))
def u32(t, v): return nla(t, struct.pack('=I', v))
def flag(t): return nla(t, b'')
def ip4(t, a): return nla(t, socket.inet_aton(a))
def nest(t, *attrs): return nla(t | NLA_F_NESTED, b''.join(attrs))


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(270, NETLINK_EXT_ACK, 1)   # SOL_NETLINK
        self.seq = 0
        err, msgs = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                 nla(CTRL_ATTR_FAMILY_NAME, b'sessha\0'),
                                 ack=False)
        if err:
            raise OSError(err, 'resolving the sessha family')
        self.family = None
        for attrs in msgs:
            for t, v in attrs:
                if t == CTRL_ATTR_FAMILY_ID:
                    self.family = struct.unpack('=H', v[:2])[0]

    def request(self, family, cmd, payload=b'', flags=0, ack=True):
        """Returns (errno or 0, [list of attrs per reply], extack msg)."""
        self.seq += 1
        flags |= NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        body = struct.pack('=BBH', cmd, 1, 0) + payload
        msg = struct.pack('=IHHII', 16 + len(body), family, flags, self.seq,
                          0) + body
        self.sock.send(msg)
        replies = []
        self.extack = ''
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off + 16 <= len(data):
                ln, typ, fl, seq, _ = struct.unpack_from('=IHHII', data, off)
                if ln < 16:
                    return -1, replies
                if seq == self.seq:
                    if typ == NLMSG_ERROR:
                        err = -struct.unpack_from('=i', data, off + 16)[0]
                        if fl & NLM_F_ACK_TLVS:
                            self.extack = self._extack(data, off, ln, fl)
                        return err, replies
                    if typ == NLMSG_DONE:
                        return 0, replies
                    replies.append(list(self._attrs(data, off + 20,
                                                    off + ln)))
                    if not (fl & NLM_F_MULTI) and not ack:
                        return 0, replies
                off += (ln + 3) & ~3

    def _attrs(self, data, off, end):
        while off + 4 <= end:
            ln, t = struct.unpack_from('=HH', data, off)
            if ln < 4:
                return
            yield t & 0x3fff, data[off + 4:off + ln]
            off += (ln + 3) & ~3

    def _extack(self, data, off, ln, fl):
        # After the error code comes the request: its header only if
        # NLM_F_CAPPED, else all of it; then the extack attributes.
        inner = struct.unpack_from('=I', data, off + 20)[0]
        start = off + 20 + (16 if fl & NLM_F_CAPPED else (inner + 3) & ~3)
        for t, v in self._attrs(data, start, off + ln):
            if t == NLMSGERR_ATTR_MSG:
                return v.rstrip(b'\0').decode(errors='replace')
        return ''

    def do(self, cmd, *attrs, raw=None):
        err, _ = self.request(self.family, cmd,
                              raw if raw is not None else b''.join(attrs))
        return err

    def dump(self, cmd, *attrs):
        return self.request(self.family, cmd, b''.join(attrs),
                            flags=NLM_F_DUMP)


def report(ok, msg, detail=''):
    print('%s %s' % ('PASS' if ok else 'FAIL', msg))
    if detail and not ok:
        print('  ' + detail)


def ename(err):
    return errno.errorcode.get(err, str(err)) if err else 'success'


def expect_error(g, msg, cmd, *attrs, raw=None):
    """The request must fail, and not for want of memory or permission."""
    err = g.do(cmd, *attrs, raw=raw)
    ok = err > 0 and err not in (errno.EPERM, errno.ENOMEM, errno.EBUSY)
    report(ok, '%s -> %s' % (msg, ename(err)),
           'expected a validation error; extack "%s"' % g.extack)
    if g.extack:
        print('  extack: ' + g.extack)


def node_ids(g):
    err, msgs = g.dump(CMD_NODE_GET)
    ids = set()
    for attrs in msgs:
        for t, v in attrs:
            if t == A_NODE_ID:
                ids.add(struct.unpack('=I', v[:4])[0])
    return err, ids


def cmd_malformed():
    g = Genl()
    report(g.family is not None, 'family "sessha" resolved (id %s)' % g.family)

    # Positive control: the well-formed version of what follows works.
    err = g.do(CMD_NODE_NEW, u32(A_NODE_ID, 1), ip4(A_NODE_ADDR, '10.77.0.11'))
    report(err == 0, 'valid NODE_NEW id 1 succeeds (%s)' % ename(err),
           g.extack)
    err = g.do(CMD_NODE_NEW, u32(A_NODE_ID, 2), ip4(A_NODE_ADDR, '10.77.0.12'))
    report(err == 0, 'valid NODE_NEW id 2 succeeds (%s)' % ename(err),
           g.extack)

    expect_error(g, 'node address of 5 bytes', CMD_NODE_NEW,
                 u32(A_NODE_ID, 10), nla(A_NODE_ADDR, b'\x0a\x4d\x00\x0b\x00'))
    expect_error(g, 'node address of 0 bytes', CMD_NODE_NEW,
                 u32(A_NODE_ID, 10), nla(A_NODE_ADDR, b''))
    expect_error(g, 'unknown attribute type %d' % (A_MAX + 5), CMD_NODE_NEW,
                 u32(A_NODE_ID, 10), ip4(A_NODE_ADDR, '10.77.0.50'),
                 u32(A_MAX + 5, 1))
    expect_error(g, 'attribute the command does not take (SERVICE_PORT)',
                 CMD_NODE_NEW, u32(A_NODE_ID, 10),
                 ip4(A_NODE_ADDR, '10.77.0.50'), u16(A_SERVICE_PORT, 80))
    expect_error(g, 'missing NODE_ADDR', CMD_NODE_NEW, u32(A_NODE_ID, 10))
    expect_error(g, 'missing NODE_ID', CMD_NODE_NEW,
                 ip4(A_NODE_ADDR, '10.77.0.50'))
    expect_error(g, 'node id 0', CMD_NODE_NEW, u32(A_NODE_ID, 0),
                 ip4(A_NODE_ADDR, '10.77.0.50'))
    expect_error(g, 'node id as u16', CMD_NODE_NEW, u16(A_NODE_ID, 10),
                 ip4(A_NODE_ADDR, '10.77.0.50'))
    expect_error(g, 'node state 7', CMD_NODE_SET, u32(A_NODE_ID, 1),
                 u8(A_NODE_STATE, 7))
    expect_error(g, 'NODE_SET without a state', CMD_NODE_SET,
                 u32(A_NODE_ID, 1))
    expect_error(g, 'multicast node address', CMD_NODE_NEW,
                 u32(A_NODE_ID, 10), ip4(A_NODE_ADDR, '224.0.0.1'))

    svc = [u32(A_SERVICE_ID, 1), ip4(A_SERVICE_VIP, '10.77.100.1'),
           u8(A_SERVICE_PROTO, socket.IPPROTO_TCP), u16(A_SERVICE_PORT, 80),
           u8(A_SERVICE_POLICY, POLICY_RING)]
    nodes = nest(A_SERVICE_NODES, u32(A_NODE_ID, 1), u32(A_NODE_ID, 2))
    # A nest whose length runs past the end of the message.
    overlong = bytearray(nodes)
    struct.pack_into('=H', overlong, 0, len(nodes) + 64)
    expect_error(g, 'nest length past the end of the message',
                 CMD_SERVICE_NEW, raw=b''.join(svc) + bytes(overlong))
    # A nest holding an attribute longer than the nest.
    inner = bytearray(u32(A_NODE_ID, 1))
    struct.pack_into('=H', inner, 0, 40)
    expect_error(g, 'attribute longer than its nest', CMD_SERVICE_NEW,
                 *svc, nest(A_SERVICE_NODES, bytes(inner)))
    expect_error(g, 'nest without NLA_F_NESTED', CMD_SERVICE_NEW, *svc,
                 nla(A_SERVICE_NODES, u32(A_NODE_ID, 1)))
    expect_error(g, 'nest of 2000 node ids', CMD_SERVICE_NEW, *svc,
                 nest(A_SERVICE_NODES, *[u32(A_NODE_ID, 1 + i % 2)
                                         for i in range(2000)]))
    expect_error(g, 'unknown node 9 in a service', CMD_SERVICE_NEW, *svc,
                 nest(A_SERVICE_NODES, u32(A_NODE_ID, 1), u32(A_NODE_ID, 9)))
    expect_error(g, 'unknown attribute inside the nest', CMD_SERVICE_NEW,
                 *svc, nest(A_SERVICE_NODES, u32(A_NODE_ID, 1),
                            u32(A_SERVICE_PORT, 80)))
    expect_error(g, 'service id 70000', CMD_SERVICE_NEW,
                 u32(A_SERVICE_ID, 70000), *svc[1:], nodes)
    expect_error(g, 'protocol 47', CMD_SERVICE_NEW, svc[0], svc[1],
                 u8(A_SERVICE_PROTO, 47), *svc[3:], nodes)
    expect_error(g, 'port 0', CMD_SERVICE_NEW, *svc[:3],
                 u16(A_SERVICE_PORT, 0), svc[4], nodes)
    expect_error(g, 'pairs without backups', CMD_SERVICE_NEW, *svc[:4],
                 u8(A_SERVICE_POLICY, POLICY_PAIRS), nodes)
    expect_error(g, 'sync port 0', CMD_CONFIG_SET, u16(A_SYNC_PORT, 0))
    expect_error(g, 'timeout 0', CMD_CONFIG_SET, u32(A_TIMEOUT_TCP, 0))
    expect_error(g, 'trailing garbage after the attributes', CMD_NODE_NEW,
                 raw=u32(A_NODE_ID, 11) + ip4(A_NODE_ADDR, '10.77.0.51') +
                 b'\x07\x00')

    # Nothing half-done: only the two valid nodes exist, no service.
    err, ids = node_ids(g)
    report(err == 0 and ids == {1, 2},
           'only the valid nodes exist afterwards (%s)' % sorted(ids))
    err, msgs = g.dump(CMD_SERVICE_GET)
    report(err == 0 and not msgs, 'no service exists afterwards (%d)' %
           len(msgs))

    # The well-formed service works, then everything is removed again.
    err = g.do(CMD_SERVICE_NEW, *svc, nodes)
    report(err == 0, 'valid SERVICE_NEW succeeds (%s)' % ename(err), g.extack)
    for cmd, attrs in ((CMD_SERVICE_DEL, svc[:1]),
                       (CMD_NODE_DEL, [u32(A_NODE_ID, 1)]),
                       (CMD_NODE_DEL, [u32(A_NODE_ID, 2)])):
        err = g.do(cmd, *attrs)
        report(err == 0, 'cleanup request %d succeeds (%s)' %
               (cmd, ename(err)), g.extack)
    return 0


def cmd_unpriv():
    g = Genl()
    err = g.do(CMD_NODE_NEW, u32(A_NODE_ID, 42), ip4(A_NODE_ADDR, '10.77.0.42'))
    report(err == errno.EPERM, 'without CAP_NET_ADMIN: NODE_NEW -> %s' %
           ename(err), 'expected EPERM')
    err = g.do(CMD_CONFIG_SET, u8(A_SYNC_ENABLED, 0))
    report(err == errno.EPERM, 'without CAP_NET_ADMIN: CONFIG_SET -> %s' %
           ename(err), 'expected EPERM')
    err, ids = node_ids(g)
    report(err == 0, 'without CAP_NET_ADMIN: NODE_GET dump works (%s, '
           'nodes %s)' % (ename(err), sorted(ids)))
    report(42 not in ids, 'the refused node does not exist')
    err, _ = g.request(g.family, CMD_STATS_GET, b'')
    report(err == 0, 'without CAP_NET_ADMIN: STATS_GET works (%s)' %
           ename(err))
    return 0


def cmd_userns_admin():
    g = Genl()
    err = g.do(CMD_NODE_NEW, u32(A_NODE_ID, 42), ip4(A_NODE_ADDR, '10.77.0.42'))
    report(err == 0, 'admin of its own user+network namespace: NODE_NEW -> '
           '%s' % ename(err), g.extack)
    err, ids = node_ids(g)
    report(err == 0 and ids == {42}, 'and sees only its own node (%s)' %
           sorted(ids))
    return 0


if __name__ == '__main__':
    modes = {'malformed': cmd_malformed, 'unpriv': cmd_unpriv,
             'userns-admin': cmd_userns_admin}
    if len(sys.argv) != 2 or sys.argv[1] not in modes:
        sys.exit('usage: genl.py %s' % '|'.join(modes))
    sys.exit(modes[sys.argv[1]]())
