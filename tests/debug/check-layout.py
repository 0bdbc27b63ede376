#!/usr/bin/env python3
"""check-layout.py: the picture of `uexec --layout` against the plan.

  check-layout.py json PICTURE PLAN.json   its regions are the JSON plan's
  check-layout.py maps PICTURE MAPS        ... and the program's /proc/self/maps
                                           (the output of tests/core/maps)
  check-layout.py svg FILE                 well-formed SVG, one box a region

Prints what differs and exits 1, or exits 0.
"""
import json
import re
import sys
import xml.dom.minidom

REGION = re.compile(r'^(  )?0x([0-9a-f]+)-0x([0-9a-f]+)  0x[0-9a-f]+ \([^)]*\)  (...)  (\S+)')
POINT = re.compile(r'^0x([0-9a-f]+)  (\S+)')


def picture(path):
    """[(segment?, lo, hi, prot, name)], {point name: address}"""
    regions, points = [], {}
    for line in open(path):
        m = REGION.match(line)
        if m:
            regions.append((bool(m.group(1)), int(m.group(2), 16), int(m.group(3), 16),
                            m.group(4), m.group(5)))
            continue
        m = POINT.match(line)
        if m:
            points[m.group(2)] = int(m.group(1), 16)
    return regions, points


def check_json(pic, plan_path):
    regions, points = pic
    plan = json.load(open(plan_path))
    want = set()
    for m in plan['mappings']:
        lo, hi = int(m['start'], 16), int(m['end'], 16)
        if m['kind'] in ('reserve', 'stack'):
            want.add((False, lo, hi, m['prot'] if m['kind'] == 'stack' else '   '))
        elif m['kind'] in ('file', 'anon'):
            want.add((True, lo, hi, m['prot']))
    got = set((s, lo, hi, p) for s, lo, hi, p, n in regions
              if n not in ('[vdso]', '[vvar]', 'stack'))
    bad = []
    if got != want:
        bad.append('picture only: %s; plan only: %s' % (
            sorted((hex(a), hex(b)) for _, a, b, _ in got - want),
            sorted((hex(a), hex(b)) for _, a, b, _ in want - got)))
    if points.get('[heap]') != int(plan['brk']['start_brk'], 16):
        bad.append('heap %s, plan start_brk %s' % (points.get('[heap]'), plan['brk']['start_brk']))
    if not any(n == '[stack]' and hi == int(plan['stack']['top'], 16)
               for _, lo, hi, _, n in regions):
        bad.append('no [stack] ending at the plan\'s top %s' % plan['stack']['top'])
    return bad


def read_maps(path):
    maps = []
    for line in open(path):
        m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) (....) \S+ \S+ \S+\s*(.*)$', line)
        if m:
            maps.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4)))
    return maps


def tiled(maps, lo, hi, merged=False):
    """Do lines of MAPS tile [lo, hi) exactly (a segment ld.so split with
    mprotect for RELRO is still one segment)?  MERGED: the last may be an
    anonymous line that goes on past HI (README, aarch64: uexec's bss
    mapping merges with the next anonymous mapping where the kernel's
    does not)."""
    at = lo
    for a, b, _, n in sorted(maps):
        if a == at and b <= hi:
            at = b
        elif merged and a == at and b > hi and n in ('', '[heap]'):
            at = hi
    return at == hi


def check_maps(pic, maps_path, merged=False):
    regions, points = pic
    maps = read_maps(maps_path)
    bad = []
    for seg, lo, hi, prot, name in regions:
        if name == 'stack':
            continue
        # An image's whole extent: its segments are checked one by one, and
        # a hole between them may hold other mappings (the arm64 kernel puts
        # the vDSO in ld.so's), as it may under the kernel.
        if not seg and any(s and lo <= a and b <= hi for s, a, b, _, _ in regions):
            continue
        if name == '[stack]':
            ok = any(n == '[stack]' and b == hi and a <= lo for a, b, _, n in maps)
        elif name in ('[vdso]', '[vvar]'):
            ok = any(a == lo and b == hi and n.startswith(name[:5]) for a, b, _, n in maps)
        else:
            ok = tiled(maps, lo, hi, merged)
        if not ok:
            bad.append('%s %#x-%#x is not in the maps' % (name, lo, hi))
    heap = [(a, b) for a, b, _, n in maps if n == '[heap]']
    start_brk = points.get('[heap]')
    if heap and heap[0][0] != start_brk and \
            not (merged and start_brk is not None and heap[0][0] < start_brk <= heap[0][1]):
        bad.append('[heap] at %#x, the picture says %s' % (heap[0][0], start_brk))
    return bad


def check_svg(path):
    doc = xml.dom.minidom.parse(path)
    svg = doc.documentElement
    if svg.tagName != 'svg' or svg.getAttribute('xmlns') != 'http://www.w3.org/2000/svg':
        return ['not an SVG document']
    if len(svg.getElementsByTagName('rect')) < 5:
        return ['too few boxes']
    return []


def main():
    mode = sys.argv[1]
    if mode == 'svg':
        bad = check_svg(sys.argv[2])
    else:
        pic = picture(sys.argv[2])
        if not pic[0]:
            bad = ['no regions in the picture']
        else:
            if mode == 'json':
                bad = check_json(pic, sys.argv[3])
            else:
                bad = check_maps(pic, sys.argv[3], mode == 'maps-merged')
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
