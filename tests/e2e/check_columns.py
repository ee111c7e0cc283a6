#!/usr/bin/python3
"""One number format per column (issue 16): every number of a table column
prints with the same number of decimals (390.10 and 857.10, not 390.1).

usage: check_columns.py YEAR_DIR...

For every PDF under the year directories: pdftotext -bbox-layout, and on
each page the text lines that are one number alone (a table cell holding a
number; 12, -120.00, 20.0%) grouped by their horizontal centre (cells are
centred, so a column's numbers share it within a point): each group must
have one count of decimals and be all percentages or none.
For every XLSX: per sheet and column (a cell's columns: merged cells span
several, as a table below another may divide the sheet's columns
differently), the cells holding a number or a formula share one
number_format, and a column in General holds integers only (General would
print 390.1). Exit 1 with the offending columns listed.
Needs pdftotext (poppler-utils) and openpyxl.
"""
import glob
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import openpyxl

NUM = re.compile(r"^-?\d+(?:\.(\d+))?(%?)$")
NS = "{http://www.w3.org/1999/xhtml}"
TOL = 1.0   # points


def pdf_columns(path, bad):
    """Numbers of one PDF by page and column centre; returns how many were seen."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(xml)
    seen = 0
    for pno, page in enumerate(root.iter(NS + "page"), 1):
        cells = []
        for line in page.iter(NS + "line"):
            words = list(line.iter(NS + "word"))
            if len(words) != 1:
                continue
            m = NUM.match(words[0].text or "")
            if not m:
                continue
            x = (float(words[0].get("xMin")) + float(words[0].get("xMax"))) / 2
            cells.append((x, words[0].text, len(m.group(1) or ""), m.group(2)))
        cells.sort()
        groups, cur = [], []
        for c in cells:
            if cur and c[0] - cur[-1][0] > TOL:
                groups.append(cur)
                cur = []
            cur.append(c)
        if cur:
            groups.append(cur)
        for g in groups:
            seen += len(g)
            if len({(c[2], c[3]) for c in g}) > 1:
                bad.append("%s page %d, column at x=%.0fpt: %s" % (path, pno, g[0][0],
                                                                 " ".join(sorted({c[1] for c in g}))))
    return seen


def xlsx_columns(path, bad):
    wb = openpyxl.load_workbook(path)
    seen = 0
    for ws in wb.worksheets:
        span = {(r.min_row, r.min_col): (r.min_col, r.max_col) for r in ws.merged_cells.ranges}
        cols = {}
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                formula = isinstance(v, str) and v.startswith("=")
                if isinstance(v, bool) or not (isinstance(v, (int, float)) or formula):
                    continue
                seen += 1
                col = cols.setdefault(span.get((c.row, c.column), (c.column, c.column)), {"fmt": set(), "frac": []})
                col["fmt"].add(c.number_format)
                if not formula and float(v) != int(v):
                    col["frac"].append(v)
        for k, col in sorted(cols.items()):
            letters = [openpyxl.utils.get_column_letter(i) for i in k]
            where = "%s [%s] column %s" % (path, ws.title, letters[0] if k[0] == k[1] else ":".join(letters))
            if len(col["fmt"]) > 1:
                bad.append("%s: formats %s" % (where, sorted(col["fmt"])))
            elif col["fmt"] == {"General"} and col["frac"]:
                bad.append("%s: General with decimals %s" % (where, col["frac"][:5]))
    return seen


def main(dirs):
    bad, pdf_n, xlsx_n, files = [], 0, 0, 0
    for d in dirs:
        for p in sorted(glob.glob(os.path.join(d, "**", "*.pdf"), recursive=True)):
            pdf_n += pdf_columns(p, bad)
            files += 1
        for p in sorted(glob.glob(os.path.join(d, "**", "*.xlsx"), recursive=True)):
            xlsx_n += xlsx_columns(p, bad)
            files += 1
    print("%d files, %d numbers in PDF columns, %d numeric XLSX cells" % (files, pdf_n, xlsx_n))
    for b in bad[:30]:
        print(b)
    return 1 if bad or not pdf_n or not xlsx_n else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
