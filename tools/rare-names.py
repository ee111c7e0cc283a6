#!/usr/bin/env python3
"""rare-names.py — the rare-name twin of a `kaohe sample` input, for timing
the fallback faces (docs/PERFORMANCE.md, "Rare names").

    tools/rare-names.py POOL < sample.xml > sample-rare.xml

Every person's name keeps its length: its last character is replaced by one
of POOL's, in turn, so the two inputs lay out alike and differ only in the
faces the names need. The pools hold characters no role face has (AR PL
UMing / UKai, WenQuanYi Micro Hei), so each comes from a fallback face:

    b    Extension B: Hanazono Mincho B, the first fallback
    a    Extension A (those UMing lacks): Hanazono Mincho A
    g    Extension G: BabelStone Han
    mix  B, A (U+4DAE, which only the hei role lacks) and G in turn: up to
         three fallback faces a document
"""
import re
import sys

POOLS = {
    "b": [0x20BB7, 0x21236, 0x2000B, 0x2A6A5, 0x2063A, 0x23C98, 0x25174, 0x29E3D, 0x2A8AE, 0x20115],
    "a": [0x3400, 0x3425, 0x346F, 0x3494, 0x34B9, 0x34DE, 0x3503, 0x3528, 0x354D, 0x35BC],
    "g": [0x30000, 0x30025, 0x3004A, 0x3006F, 0x300B9, 0x30103, 0x3014D, 0x30172, 0x30197, 0x301BC],
    "mix": [0x20BB7, 0x4DAE, 0x30EDE, 0x21236, 0x4DAE, 0x2A6A5, 0x30EDE, 0x25174, 0x2B740, 0x29E3D],
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in POOLS:
        sys.exit("usage: rare-names.py b|a|g|mix < sample.xml > rare.xml")
    pool = [chr(c) for c in POOLS[sys.argv[1]]]
    n = 0

    def swap(m):
        nonlocal n
        c = pool[n % len(pool)]
        n += 1
        return m.group(1) + m.group(2)[:-1] + c + '"'

    out = re.sub(r'(<person id="[^"]*" name=")([^"]+)"', swap, sys.stdin.read())
    sys.stdout.write(out)
    print("rare-names: %d names" % n, file=sys.stderr)


if __name__ == "__main__":
    main()
