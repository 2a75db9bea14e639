#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Writes a seed corpus of valid sync v3 datagrams, one of each kind."""
import os
import struct
import sys

HDR, MAC = 20, 16


def datagram(kind, count, body, key_id=0):
    hdr = struct.pack("!BBBBIQI", 3, kind, key_id, count, 7, 1 << 40, 42)
    return hdr + body + (b"\x5a" * MAC if key_id else b"")


def record(op, v6=False, port=40000):
    addr = bytes(range(16)) if v6 else bytes([10, 77, 0, 2])
    opts = op << 6 | (0x20 if v6 else 0) | (2 if op == 1 else 0)
    if op == 1:
        return struct.pack("!BHHHH", opts, 1, port, 2, 900) + addr
    return struct.pack("!BHH", opts, 1, port) + addr


def seeds():
    recs = record(1) + record(2) + record(1, v6=True) + record(2, v6=True)
    yield "sessions", datagram(1, 4, recs)
    yield "sessions-signed", datagram(1, 4, recs, key_id=1)
    yield "sessions-full", datagram(1, 108, record(1) * 108)
    ctl = struct.pack("!HI", 0xffff, 1)
    for kind, name in ((2, "bulk-request"), (3, "bulk-start"), (4, "bulk-end")):
        yield name, datagram(kind, 0, ctl)
    yield "digest", datagram(5, 16, struct.pack("!IQ", 3, 12345) * 16)
    yield "resend", datagram(6, 0, struct.pack("!QII", 1 << 40, 3, 9))
    yield "config", datagram(7, 0, struct.pack("!Q", 0x0123456789abcdef))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
