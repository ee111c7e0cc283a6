#!/usr/bin/python3
"""sign.py PDF PAGE DPI IMAGE WHICH TRUTH — a pen's scribble in signature
places of IMAGE, page PAGE (1-based) of PDF rendered upright at DPI (before
it is turned, skewed or compressed like a scan): make_scans.sh's signed
pages. A place is where a form leaves room to sign: after a word ending in
签名：or 签名（盖章）：, up to the next word on its line (the date's 年).
WHICH: "all", "none", or place numbers "1,3" (1-based, top to bottom).
Appends one line per place to TRUTH: unit, person, form, page, place,
"signed" or "empty" (what kaohe archive should find), from the page's code
text. The scribble: a zigzag ~0.5 mm wide across the place's first part,
drawn with ImageMagick."""
import re, subprocess, sys

FORMS = {"REG": "registration", "RESULT": "result-notice"}

def words(pdf, page):
    out = subprocess.run(["pdftotext", "-bbox", "-f", page, "-l", page, pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    pat = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in re.findall(pat, out)]

def places(ws):
    """(x0, y0, x1, y1) in points of each blank after a 签名…： word."""
    found = []
    for (x0, y0, x1, y1, t) in ws:
        if "签名" not in t or not t.endswith("："):
            continue
        right = [w for w in ws if abs(w[1] - y0) < 2 and w[0] > x1]
        end = min(w[0] for w in right) if right else x1 + 6 * (y1 - y0)
        found.append((x1, y0, end, y1))
    return sorted(found, key=lambda p: (p[1], p[0]))

def main():
    pdf, page, dpi, image, which, truth = sys.argv[1:7]
    ws = words(pdf, page)
    code = next((t for t in ws if t[4] == "KH1"), None)
    text = subprocess.run(["pdftotext", "-f", page, "-l", page, pdf, "-"], check=True, capture_output=True,
                          text=True).stdout
    m = re.search(r"KH1 \d+ (\S+) (\S+) (\S+) (\d+)/\d+ \S+", text)
    if not m or code is None:
        sys.exit("sign.py: no page code on %s page %s" % (pdf, page))
    unit, person, form, pno = m.groups()
    k = float(dpi) / 72
    ps = places(ws)
    want = set(range(1, len(ps) + 1)) if which == "all" else set() if which == "none" else \
        {int(n) for n in which.split(",")}
    draw = []
    with open(truth, "a") as t:
        for n, (x0, y0, x1, y1) in enumerate(ps, 1):
            signed = n in want
            t.write("%s\t%s\t%s\t%s\t%d\t%s\n" % (unit, person, FORMS.get(form, form), pno, n,
                                                  "signed" if signed else "empty"))
            if not signed:
                continue
            em = y1 - y0
            left, right = x0 + 0.3 * em, x0 + 0.3 * em + 3.2 * em
            top, bottom = y0 - 0.6 * em, y1 - 0.1 * em
            pts = []
            for i in range(9):   # a zigzag, the way a hurried name looks from afar
                x = left + (right - left) * i / 8
                y = top if i % 2 else bottom
                pts.append("%d,%d" % (x * k, y * k))
            draw += ["-draw", "polyline " + " ".join(pts)]
    if draw:
        width = max(2, round(0.5 / 25.4 * float(dpi)))
        subprocess.run(["convert", image, "-fill", "none", "-stroke", "black", "-strokewidth", str(width)] + draw +
                       [image], check=True)

main()
