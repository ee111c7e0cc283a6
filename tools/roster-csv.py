#!/usr/bin/env python3
"""roster-csv.py — a roster workbook's sheets as CSV files, for the bench.

    tools/roster-csv.py ROSTER.xlsx DIR

Writes DIR/<sheet>.csv (UTF-8, CRLF, as Excel's "CSV UTF-8" without the BOM)
for the sheets 考核, 单位 and 人员: what an officer gets saving each sheet as
CSV. Reads the workbook as `roster-template --from` writes it (inline
strings, numbers; shared strings too), streaming, with the standard library
only (the bench must not need openpyxl). Dates stay serial numbers; the
roster writer writes year-months as text anyway.
"""
import csv
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
REL = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'
WANTED = ('考核', '单位', '人员')


def col_index(ref):
    n = 0
    for ch in re.match(r'[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def shared_strings(z):
    if 'xl/sharedStrings.xml' not in z.namelist():
        return []
    out = []
    with z.open('xl/sharedStrings.xml') as f:
        for _, el in ET.iterparse(f):
            if el.tag == NS + 'si':
                out.append(''.join(t.text or '' for t in el.iter(NS + 't')))
                el.clear()
    return out


def sheet_parts(z):
    rels = ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))
    target = {r.get('Id'): r.get('Target') for r in rels}
    book = ET.fromstring(z.read('xl/workbook.xml'))
    for s in book.iter(NS + 'sheet'):
        t = target[s.get(REL + 'id')]
        yield s.get('name'), t.lstrip('/') if t.startswith('/') else 'xl/' + t


def write_sheet(z, part, sst, path):
    with z.open(part) as f, open(path, 'w', encoding='utf-8', newline='') as out:
        w = csv.writer(out, lineterminator='\r\n')
        for _, el in ET.iterparse(f):
            if el.tag != NS + 'row':
                continue
            row = []
            for c in el.iter(NS + 'c'):
                i = col_index(c.get('r'))
                t = c.get('t')
                if t == 'inlineStr':
                    v = ''.join(x.text or '' for x in c.iter(NS + 't'))
                else:
                    v = c.findtext(NS + 'v') or ''
                    if t == 's':
                        v = sst[int(v)]
                    elif v.endswith('.0'):
                        v = v[:-2]
                row.extend([''] * (i + 1 - len(row)))
                row[i] = v
            w.writerow(row)
            el.clear()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    book, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with zipfile.ZipFile(book) as z:
        sst = shared_strings(z)
        for name, part in sheet_parts(z):
            if name in WANTED:
                write_sheet(z, part, sst, os.path.join(out, name + '.csv'))


if __name__ == '__main__':
    main()
