#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""sessha stats -o prometheus, read back by a real Prometheus parser.

usage: test-prometheus.py [PATH-TO-SESSHA [PATH-TO-FAKE-GENL.SO [SPEC]]]

Runs sessha against fake-genl.so (the stand-in for the module) and parses
what it prints with python3-prometheus-client's parser for the text format
0.0.4, the one node_exporter's textfile collector reads. Every counter of
plain `sessha stats` must come back as a counter family of the same value,
with the spec's doc as HELP, and nothing else but the sessha_up gauge; a
bad -o, or -o with -j, must be a usage error (exit 2) that prints no
metrics. Exit 0 pass, 1 fail (kselftest).
"""
import os
import subprocess
import sys

import yaml

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit('test-prometheus.py: no prometheus_client: install '
             'python3-prometheus-client (tools/deps.sh)')

HERE = os.path.dirname(os.path.abspath(__file__))
SESSHA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'sessha')
FAKE = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else
                       os.path.join(HERE, 'fake-genl.so'))
SPEC = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
    HERE, '..', 'Documentation', 'netlink', 'specs', 'sessha.yaml')

tests = 0
fails = 0


# the table's fill and limit, as the fake kernel sends them: gauges
GAUGES = {'sessions': 1234, 'max_sessions': 1048576}

def log_test(ok, name, why=''):
    global tests, fails
    tests += 1
    print(f'TEST: {name:<72} [{" OK " if ok else "FAIL"}]')
    if not ok:
        fails += 1
        for line in why.splitlines():
            print(f'    {line}')


def sessha(*args, stdin=None):
    env = dict(os.environ, LD_PRELOAD=FAKE)
    env['ASAN_OPTIONS'] = ':'.join(filter(None, [
        os.environ.get('ASAN_OPTIONS'), 'verify_asan_link_order=0']))
    p = subprocess.run([SESSHA, *args], env=env, input=stdin,
                       capture_output=True, text=True)
    err = '\n'.join(line for line in p.stderr.splitlines()
                    if not line.startswith('fake-genl:'))
    return p.returncode, p.stdout, err


def spec_docs():
    """The counters' docs by name, on one line each, as nl-gen.py puts them."""
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    stats = next(s for s in spec['attribute-sets'] if s['name'] == 'stats')
    return {a['name'].replace('-', '_'): ' '.join(a['doc'].split())
            for a in stats['attributes'] if a['type'] != 'pad'}


def text_counters():
    """Plain `sessha stats`: the names and values that must round-trip."""
    rc, out, err = sessha('stats')
    if rc:
        sys.exit(f'test-prometheus.py: sessha stats failed ({rc}): {err}')
    return {name: int(value) for name, value in
            (line.split() for line in out.splitlines())
            if name not in GAUGES}


def check_families(out, counters, docs):
    """Why the parsed @out is not @counters plus sessha_up, or ''."""
    why = []
    families = {f.name: f for f in text_string_to_metric_families(out)}
    for name, value in counters.items():
        f = families.pop('sessha_' + name, None)
        metric = f'sessha_{name}_total'
        if f is None:
            why.append(f'{metric}: missing')
            continue
        want_doc = docs.get(name, f.documentation)
        got = [(s.name, s.labels, s.value, s.timestamp) for s in f.samples]
        if f.type != 'counter':
            why.append(f'{metric}: type {f.type}')
        if f.documentation != want_doc:
            why.append(f'{metric}: HELP "{f.documentation}", '
                       f'wanted "{want_doc}"')
        if got != [(metric, {}, float(value), None)]:
            why.append(f'{metric}: samples {got}, wanted {value}')
        # the parser gives floats; the text must have every digit
        if f'\n{metric} {value}\n' not in '\n' + out:
            why.append(f'{metric}: not exactly {value} in the text')
    for name, value in GAUGES.items():
        f = families.pop('sessha_' + name, None)
        if f is None or f.type != 'gauge' or \
           [(s.name, s.value) for s in f.samples] != \
           [('sessha_' + name, float(value))]:
            why.append(f'sessha_{name}: {f}')
    up = families.pop('sessha_up', None)
    if up is None or up.type != 'gauge' or \
       [(s.name, s.value) for s in up.samples] != [('sessha_up', 1.0)]:
        why.append(f'sessha_up: {up}')
    why += [f'{name}: not a counter of sessha stats' for name in families]
    return '\n'.join(why)


def check_output(args, counters, docs, stdin=None):
    rc, out, err = sessha(*args, stdin=stdin)
    why = []
    if rc or err:
        why.append(f'exit {rc}, stderr "{err}"')
    if not out.endswith('\n') or '# EOF' in out:
        why.append('not the 0.0.4 text format: no final newline, or "# EOF"')
    try:
        why.append(check_families(out, counters, docs))
    except ValueError as e:
        why.append(f'the parser refused it: {e}')
    why = '\n'.join(filter(None, why))
    log_test(not why, f'sessha {" ".join(args)} (parsed back)', why)


def check_refused(args, want_err):
    rc, out, err = sessha(*args)
    ok = rc == 2 and out == '' and err == want_err
    log_test(ok, f'sessha {" ".join(args)} (refused)',
             f'exit {rc}, stdout "{out}", stderr "{err}", wanted exit 2, '
             f'stderr "{want_err}"')


def main():
    for f in (SESSHA, FAKE):
        if not os.path.exists(f):
            sys.exit(f'{f}: not built')
    docs = spec_docs()
    counters = text_counters()
    # the fake sends one counter more than the spec names: a newer module
    log_test(any(name not in docs for name in counters) and
             all(name in counters for name in docs),
             'the fake sends every counter, and one unknown to the spec')
    check_output(['stats', '-o', 'prometheus'], counters, docs)
    check_output(['stats', 'show', '-o', 'prometheus'], counters, docs)
    check_output(['-batch', '-'], counters, docs,
                 stdin='stats show -o prometheus\n')
    check_refused(['stats', '-o', 'xml'],
                  'Error: unknown output format "xml" for "-o" '
                  '(try "prometheus")')
    check_refused(['stats', 'show', '-o'], 'Error: missing value for "-o"')
    check_refused(['-j', 'stats', '-o', 'prometheus'],
                  'Error: "-o" and "-j" are mutually exclusive')
    check_refused(['-p', 'stats', 'show', '-o', 'prometheus'],
                  'Error: "-o" and "-j" are mutually exclusive')
    check_refused(['stats', '-o', 'prometheus', '-o', 'prometheus'],
                  'Error: duplicate keyword "-o"')
    print(f'{tests - fails}/{tests} passed')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
