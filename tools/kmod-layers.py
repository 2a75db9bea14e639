#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""kmod-layers.py [KMOD_DIR]: check that the module's files depend on each
other in one direction, as Documentation/design.rst draws it.

Every kmod/*.c and *.h belongs to one layer (LAYERS below). A file may
name a function defined in another .c file (call it, or pass it as a
value) and include a header only of its own layer or a lower one. Prints
the file-level dependency list, then any violation; exits 1 on a
violation or on a file missing from the table."""
import os
import re
import sys

# Bottom up. A header goes with its .c file; headers without one are listed.
LAYERS = [
    ("wire codec", "wire"),
    ("model", "sessha events stats node service confsum policy"),
    ("session table", "tally session"),
    ("sync transport", "socket peer auth sync_tx sync_rx"),
    ("replication", "record takeover digest roles resend repair replica gc"),
    ("packet path", "xmit pmtu serve hook"),
    ("control", "nl_attr nl_event nl_service nl_session netlink sessha-nl-gen"),
    ("assembly", "netns main"),
]
LEVEL = {name: i for i, (_, names) in enumerate(LAYERS) for name in names.split()}

CALL = re.compile(r"\b([a-z_]\w*)\b")
DEFN = re.compile(r"^(?!static\b)[a-z_][\w \t\*]*?\b([a-z_]\w*)\([^;{]*?\)\s*\{",
                  re.M | re.S)
INCLUDE = re.compile(r'^#include "([\w-]+)\.h"', re.M)


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


def main():
    kmod = sys.argv[1] if len(sys.argv) > 1 else "kmod"
    names = sorted(f for f in os.listdir(kmod)
                   if re.fullmatch(r"[\w-]+\.[ch]", f) and not f.endswith(".mod.c"))
    src = {f: strip_comments(open(os.path.join(kmod, f)).read()) for f in names}
    bad = [f for f in names if f[:-2] not in LEVEL]
    for f in bad:
        print(f"{f}: not in a layer: add it to LAYERS in {sys.argv[0]}")

    defined = {}
    for f, text in src.items():
        if f.endswith(".c"):
            for m in DEFN.finditer(text):
                defined.setdefault(m.group(1), f)

    uses = {}
    for f, text in src.items():
        deps = {defined[n] for n in CALL.findall(text) if defined.get(n, f) != f}
        deps |= {h + ".h" for h in INCLUDE.findall(text) if h + ".h" != f}
        uses[f] = sorted(d for d in deps if d[:-2] != f[:-2])

    up = 0
    for f in names:
        if f.endswith(".c") and uses[f]:
            calls = [d for d in uses[f] if d.endswith(".c")]
            print(f"{f} -> {' '.join(calls) if calls else '(headers only)'}")
    for f in names:
        if f in bad:
            continue
        for d in uses[f]:
            if d[:-2] in LEVEL and LEVEL[d[:-2]] > LEVEL[f[:-2]]:
                up += 1
                print(f"UPWARD: {f} ({LAYERS[LEVEL[f[:-2]]][0]}) uses {d} "
                      f"({LAYERS[LEVEL[d[:-2]]][0]})")
    print(f"kmod-layers: {len(names)} files, {len(LAYERS)} layers, "
          f"{up} upward dependencies, {len(bad)} unplaced")
    return 1 if up or bad else 0


sys.exit(main())
