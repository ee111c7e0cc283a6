#!/usr/bin/python3
"""Line breaking as printed (issue 16), read back with pdftotext -bbox-layout.

usage: check_breaks.py TEXT_C YEAR_DIR...

- Titles (the first page's lines in its biggest type, 15 pt and more) that
  take several lines are balanced: no line of one or two characters (表, 考核
  alone), none narrower than 0.3 of the widest (a template's hard break may
  end a line early).
- Inside a cell (consecutive lines of a block, one under the other, less
  than half a line apart, overlapping horizontally) no line break splits a
  word of the form vocabulary (参加考/核) or a number from its measure word
  (4 / 名). The vocabulary and the measure words are the layout engine's,
  read from TEXT_C (src/text.c: the WORDS table's comments and the
  code points of is_measure).
Exit 1 with the offending lines listed.
"""
import glob
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/1999/xhtml}"


def engine_lists(text_c):
    src = open(text_c, encoding="utf-8").read()
    table = src[src.index("WORDS[][") : src.index("};", src.index("WORDS[]["))]
    words = re.findall(r"/\* (\S+) \*/", table)
    m = re.search(r"measures\[\] = \{([^}]*)\}", src)
    measures = {chr(int(h, 16)) for h in re.findall(r"0x([0-9A-Fa-f]+)", m.group(1))}
    return [w for w in words if len(w) > 1], measures


def lines_of(page):
    for block in page.iter(NS + "block"):
        ls = []
        for line in block.iter(NS + "line"):
            ws = list(line.iter(NS + "word"))
            ls.append({"text": "".join(w.text or "" for w in ws),
                       "x0": float(line.get("xMin")), "x1": float(line.get("xMax")),
                       "y0": float(line.get("yMin")), "y1": float(line.get("yMax"))})
        yield ls


def check_pdf(path, words, measures, bad, counts):
    xml = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(xml)
    for pno, page in enumerate(root.iter(NS + "page"), 1):
        top = max((float(l.get("yMax")) - float(l.get("yMin")) for l in page.iter(NS + "line")), default=0)
        for ls in lines_of(page):
            # titles: the first page's lines in its biggest type (15 pt and more), together
            title = [l for l in ls if l["y1"] - l["y0"] >= max(15, top - 0.5)]
            if pno == 1 and len(title) > 1:
                counts["titles"] += 1
                widths = [l["x1"] - l["x0"] for l in title]
                if min(len(l["text"]) for l in title) <= 2 or min(widths) < 0.3 * max(widths):
                    bad.append("%s: title not balanced: %s" % (path, " / ".join(l["text"] for l in title)))
            for a, b in zip(ls, ls[1:]):
                h = a["y1"] - a["y0"]
                same_cell = 0 <= b["y0"] - a["y1"] < 0.5 * h and a["x0"] < b["x1"] and b["x0"] < a["x1"]
                # (a chart's names are written top to bottom, a character a line)
                if not same_cell or not a["text"] or not b["text"] or len(a["text"]) == len(b["text"]) == 1:
                    continue
                counts["breaks"] += 1
                joint = a["text"][-3:] + "|" + b["text"][:3]
                if a["text"][-1].isdigit() and b["text"][0] in measures:
                    bad.append("%s page %d: number and measure word apart: %s" % (path, pno, joint))
                for w in words:
                    for k in range(1, len(w)):
                        if a["text"].endswith(w[:k]) and b["text"].startswith(w[k:]):
                            bad.append("%s page %d: %s broken as %s" % (path, pno, w, joint))


def main(text_c, dirs):
    words, measures = engine_lists(text_c)
    bad, counts, files = [], {"titles": 0, "breaks": 0}, 0
    for d in dirs:
        for p in sorted(glob.glob(os.path.join(d, "**", "*.pdf"), recursive=True)):
            check_pdf(p, words, measures, bad, counts)
            files += 1
    print("%d PDFs, %d words, %d measure words; %d titles on several lines, %d line breaks inside cells"
          % (files, len(words), len(measures), counts["titles"], counts["breaks"]))
    for b in bad[:30]:
        print(b)
    return 1 if bad or not counts["titles"] or not counts["breaks"] or len(words) < 20 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
