#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Writes a seed corpus of valid sync v2 datagrams, one of each kind."""
import os
import struct
import sys

HDR, MAC = 24, 32


def datagram(kind, count, body, key_id=0):
    length = HDR + len(body) + (MAC if key_id else 0)
    hdr = struct.pack("!BBHIQIBBH", 2, kind, length, 7, 1 << 40, 42,
                      key_id, 0, count)
    return hdr + body + (b"\x5a" * MAC if key_id else b"")


def record(op, v6=False, port=40000):
    addr = bytes(range(16)) if v6 else bytes([10, 77, 0, 2])
    return struct.pack("!BBBBHHHH", op, 1 if v6 else 0, 2, 0, 1, 2, port,
                       900) + addr


def seeds():
    recs = record(1) + record(2) + record(1, v6=True)
    yield "sessions", datagram(1, 3, recs)
    yield "sessions-signed", datagram(1, 3, recs, key_id=1)
    yield "sessions-full", datagram(1, 90, record(1) * 90)
    ctl = struct.pack("!HHI", 0xffff, 0, 1)
    for kind, name in ((2, "bulk-request"), (3, "bulk-start"), (4, "bulk-end")):
        yield name, datagram(kind, 0, ctl)
    yield "digest", datagram(5, 16, struct.pack("!IIQ", 3, 0, 12345) * 16)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
