#!/usr/bin/python3
"""Read kaohe's .docx files back with tools kaohe did not write.

usage: check_docx.py [--lo N] YEAR_DIR

For every X.docx beside an X.pdf under YEAR_DIR:
  - the zip holds [Content_Types].xml, _rels/.rels, word/document.xml,
    word/styles.xml, word/settings.xml, word/fontTable.xml and what the rels name;
  - python-docx (Debian's python3-docx) opens it; each page of the DOCX (a
    table) is a page of the PDF together with the 续页 pages that follow it
    (a continued text is written whole in the cell it starts in, so the
    DOCX has no 续页): the characters of its cells' text (each merged cell
    once), plus the header and footer with their page fields filled in,
    are the characters pdftotext finds on those PDF pages (as multisets,
    whitespace aside; in a section with 续页, less the pages' headers,
    footers, 续页 titles and the continue mark);
  - rows are exact or at least as tall as the PDF's, fonts name East Asian
    families.
With --lo N: the first N of those files (in a fixed order that mixes the
kinds of form) are converted by one LibreOffice call; each must have the
PDF's page count and each page its text (page numbers included), and page
1's long horizontal and vertical rules (found in 150 dpi renders of both)
must lie within 3 pt of each other. A file whose rows may grow (a text the
PDF shrank or continued, written whole at its size) and that LibreOffice
lays out otherwise is held to its own cells instead: at least the DOCX's
pages, the body's text exactly the cells' text (nothing clipped or lost),
and page 1's rules down to the first growing row, and for a file of several
sections as many pages as the sections' stored page counts (SECTIONPAGES,
which LibreOffice shows as they are) add up to; it is named in a note.
Prints one line per problem and exits 1 if there is any.
"""
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile
import zipfile

import docx
import docx.table
from docx.oxml.ns import qn

REQUIRED = ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
            "word/settings.xml", "word/fontTable.xml", "word/_rels/document.xml.rels"]
problems = []
chart_pages = {}   # path -> pages drawn in the PDF only (no table in the docx)
flowing = {}       # path -> what LibreOffice is held to when rows grow (see grown_file)
notes = []


def bad(path, msg):
    problems.append("%s: %s" % (path, msg))


def squeeze(s):
    return [ch for ch in s if not ch.isspace() and ch != "\u3000"]


def pdf_pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return -1


# The archive code printed in the bottom margin of a PDF page ("KH1 2025
# U001 P0001 REG 1/2 3FA9B21C"): it identifies that generated PDF, so the
# editable DOCX does not carry it.
ARCHIVE_CODE = re.compile(r"KH1 \S+ \S+ \S+ \S+ \d+/\d+ [0-9A-F]{8}")


def pdf_page_texts(pdf):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout
    return [ARCHIVE_CODE.sub("", t) for t in out.split("\f")]


def hf_text(part, page, pages):
    """Text of a header/footer part with PAGE and page-count fields filled in."""
    if part is None:
        return ""
    out = []
    for el in part.iter():
        if el.tag == qn("w:fldSimple"):
            instr = el.get(qn("w:instr")).strip()
            out.append(str(page) if instr == "PAGE" else str(pages))
        elif el.tag == qn("w:t"):
            anc = el.getparent()
            while anc is not None and anc.tag != qn("w:fldSimple"):
                anc = anc.getparent()
            if anc is None:
                out.append(el.text or "")
    return "".join(out)


def sections(document):
    """The body's pages grouped by section: [(sectPr, [[tbl, ...], ...]), ...];
    a page starts with its section or with a paragraph that breaks the page."""
    body = document.element.body
    groups, cur = [], [[]]
    for el in body:
        if el.tag == qn("w:tbl"):
            cur[-1].append(el)
        elif el.tag == qn("w:p"):
            if el.find(qn("w:pPr") + "/" + qn("w:pageBreakBefore")) is not None:
                cur.append([])
            sp = el.find(qn("w:pPr") + "/" + qn("w:sectPr"))
            if sp is not None:
                groups.append((sp, cur))
                cur = [[]]
        elif el.tag == qn("w:sectPr"):
            groups.append((el, cur))
            cur = [[]]
    return groups


def hf_parts(document, sect, kind, last):
    ref = sect.find(qn("w:%sReference" % kind))
    if ref is None:
        return last
    rid = ref.get(qn("r:id"))
    return document.part.related_parts[rid].element


def section_counts(document):
    """The sum of the page counts the sections' footers (or headers) store
    in their SECTIONPAGES fields, which LibreOffice shows as they are; None
    when a section has no such field."""
    total = 0
    hdr = ftr = None
    for sect, _ in sections(document):
        hdr = hf_parts(document, sect, "header", hdr)
        ftr = hf_parts(document, sect, "footer", ftr)
        n = None
        for part in (hdr, ftr):
            for f in (part.iter(qn("w:fldSimple")) if part is not None else ()):
                if f.get(qn("w:instr")).strip() == "SECTIONPAGES":
                    n = int("".join(t.text or "" for t in f.iter(qn("w:t"))))
        if n is None:
            return None
        total += n
    return total


# A 续页 of kaohe's PDF: its title row names the continued field
# "…（续页）…"; the part before it ends with the templates' continue-mark.
# The DOCX has no 续页: the continued text is whole in its first cell.
CONT_TITLE = re.compile(r"[^\n]*（续页）[^\n]*")
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "templates", "forms")


def continue_marks():
    """The continue marks the form templates use (e.g. （转续页）)."""
    marks = set()
    for t in glob.glob(os.path.join(TEMPLATES, "*.xml")):
        with open(t, encoding="utf-8") as f:
            marks.update(re.findall(r'continue-mark="([^"]+)"', f.read()))
    return sorted(marks, key=len, reverse=True) or ["（转续页）"]


CONT_MARKS = continue_marks()


def check_file(path, pdf):
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if z.testzip() is not None:
            bad(path, "zip CRC error")
    for need in REQUIRED:
        if need not in names:
            bad(path, "zip lacks " + need)
    document = docx.Document(path)
    npdf = pdf_pages(pdf)
    texts = pdf_page_texts(pdf)
    conts = [bool(CONT_TITLE.search(t)) for t in texts[:npdf]]
    groups = sections(document)
    pages = sum(len(pg) for _, pg in groups)
    if pages != npdf - sum(conts):
        bad(path, "%d pages for %d PDF pages (%d of them 续页)" % (pages, npdf, sum(conts)))
        return
    # the PDF pages of each DOCX page: its own and the 续页 that follow it
    mapped = []
    for i in range(npdf):
        if conts[i] and mapped:
            mapped[-1].append(i)
        else:
            mapped.append([i])
    page = 0
    hdr = ftr = None
    for sect, pgs in groups:
        hdr = hf_parts(document, sect, "header", hdr)
        ftr = hf_parts(document, sect, "footer", ftr)
        pdf_in_sect = [q for i in range(len(pgs)) for q in mapped[page + i]]
        continued = len(pdf_in_sect) > len(pgs)
        for i, tbls in enumerate(pgs):
            page += 1
            if not tbls:   # a chart page: drawn in the PDF only
                chart_pages.setdefault(path, set()).add(page)
                continue
            text = []
            for tbl in tbls:
                t = docx.table.Table(tbl, document)
                for tc in tbl.iter(qn("w:tc")):
                    if tc.vMerge != "continue":
                        text.append(docx.table._Cell(tc, t).text)
            got = collections.Counter(squeeze("".join(text)))
            if not continued:
                for part in (hdr, ftr):
                    got.update(squeeze(hf_text(part, i + 1, len(pgs))))
                want = collections.Counter(squeeze(texts[mapped[page - 1][0]]))
            else:
                # a section with 续页 in the PDF: its pages are numbered
                # differently there, so the cells' text against the PDF
                # pages' text less their headers, footers, 续页 titles and mark
                want = collections.Counter()
                for q in mapped[page - 1]:
                    body = texts[q]
                    for m in CONT_MARKS:
                        body = body.replace(m, "")
                    if conts[q]:
                        body = CONT_TITLE.sub("", body, count=1)
                    want.update(squeeze(body))
                    j = pdf_in_sect.index(q) + 1
                    for part in (hdr, ftr):
                        want.subtract(squeeze(hf_text(part, j, len(pdf_in_sect))))
                want = +want
            if want != got:
                bad(path, "page %d: text differs from the PDF's: missing %r, extra %r" %
                    (page, "".join((want - got).elements())[:60], "".join((got - want).elements())[:60]))
            for tbl in tbls:
                for tr in tbl.iter(qn("w:trHeight")):
                    if tr.get(qn("w:hRule")) not in ("exact", "atLeast"):
                        bad(path, "page %d: a row height that is neither exact nor atLeast" % page)
                        break
    grown_file(path, document, groups, pages, sum(conts))
    # paragraphs and runs name styles; each names its East Asian family
    styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
    body = document.element.body
    refs = list(body.iter(qn("w:pStyle"))) + list(body.iter(qn("w:rStyle")))
    if not refs:
        bad(path, "no paragraph or run names a style")
    for rs in refs:
        st = styles.get(rs.get(qn("w:val")))
        fonts = st.find(".//" + qn("w:rFonts")) if st is not None else None
        if fonts is None or not fonts.get(qn("w:eastAsia")):
            bad(path, "a run whose style names no East Asian font: %s" % rs.get(qn("w:val")))
            break


def twips(el, name):
    return int(el.get(qn(name))) if el is not None and el.get(qn(name)) else 0


def grown_file(path, document, groups, pages, dropped):
    """Record what LibreOffice may do differently with a file whose rows can
    grow (w:hRule atLeast: text kaohe's PDF shrank or continued on a 续页,
    written whole at its size in the DOCX): its pages, its cells' text, its
    body's box (pt) and where on page 1 the first growing row ends."""
    body = document.element.body
    if dropped == 0 and not any(h.get(qn("w:hRule")) == "atLeast" for h in body.iter(qn("w:trHeight"))):
        return
    sect = groups[0][0]
    size, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    top, bottom = twips(mar, "w:top") / 20.0, twips(mar, "w:bottom") / 20.0
    cut = None   # page 1's rows are as in the PDF down to the bottom of its first growing row
    y = top
    for tbl in groups[0][1][0]:
        for tr in tbl.iter(qn("w:tr")):
            h = tr.find(qn("w:trPr") + "/" + qn("w:trHeight"))
            y += twips(h, "w:val") / 20.0
            if h is not None and h.get(qn("w:hRule")) == "atLeast" and cut is None:
                cut = y
    text = collections.Counter()
    for tc in body.iter(qn("w:tc")):
        if tc.vMerge != "continue":
            text.update(squeeze("".join(t.text or "" for t in tc.iter(qn("w:t")))))
    counted = section_counts(document) if len(groups) > 1 else None
    flowing[path] = {"pages": pages, "text": text, "cut": cut, "dropped": dropped, "counted": counted,
                     "box": (top, twips(size, "w:w") / 20.0, twips(size, "w:h") / 20.0 - top - bottom)}


def body_text(pdf, box):
    """The characters of a PDF's pages inside the body's box (no header,
    footer or archive code)."""
    top, w, h = box
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-x", "0", "-y", str(int(top)), "-W", str(int(w) + 1),
                          "-H", str(int(h)), pdf, "-"], capture_output=True, text=True).stdout
    return collections.Counter(squeeze(out))


def rules(png, horizontal):
    """Positions (pt) of the long dark rules of a rendered page."""
    from PIL import Image
    im = Image.open(png).convert("L")
    if not horizontal:
        im = im.transpose(Image.Transpose.TRANSPOSE)
    w, h = im.size
    dark = bytes(1 if v < 160 else 0 for v in range(256))
    data = im.tobytes().translate(dark)
    scale = 72.0 / 150
    found = []
    for i in range(h):
        line = data[i * w:(i + 1) * w]
        if max(map(len, line.split(b"\0"))) >= 60:   # 29 pt: longer than any glyph
            found.append(i * scale)
    merged = []
    for y in found:      # one position per rule (a rule is 1-3 pixels thick)
        if merged and y - merged[-1][-1] <= 3 * scale:
            merged[-1].append(y)
        else:
            merged.append([y])
    return [sum(g) / len(g) for g in merged]


def unmatched(a, b, tol):
    return [x for x in a if not any(abs(x - y) <= tol for y in b)]


def check_libreoffice(pairs):
    with tempfile.TemporaryDirectory() as tmp:
        files = [d for d, _ in pairs]
        links = []
        for i, d in enumerate(files):   # unique names: forms of different units share one
            link = os.path.join(tmp, "f%02d.docx" % i)
            os.symlink(os.path.abspath(d), link)
            links.append(link)
        out = os.path.join(tmp, "out")
        r = subprocess.run(["soffice", "-env:UserInstallation=file://" + tmp + "/profile", "--headless",
                            "--convert-to", "pdf", "--outdir", out] + links,
                           capture_output=True, text=True, timeout=600)
        for i, (d, pdf) in enumerate(pairs):
            lo = os.path.join(out, "f%02d.pdf" % i)
            if not os.path.exists(lo):
                bad(d, "LibreOffice did not convert it: " + r.stderr.strip()[:200])
                continue
            strict = like_the_pdf(d, pdf, lo, tmp, i, None)
            if strict and d in flowing:
                # rows grew: held to the DOCX's own text rather than the PDF's pages
                f = flowing[d]
                grown = like_the_pdf(d, pdf, lo, tmp, i, f)
                if not grown:
                    notes.append("%s: rows grew (%d 续页 of the PDF written whole): LibreOffice %d pages, "
                                 "kaohe's PDF %d" % (d, f["dropped"], pdf_pages(lo), pdf_pages(pdf)))
                strict = grown
            for p in strict:
                bad(d, p)


def like_the_pdf(d, pdf, lo, tmp, i, grown):
    """What differs between kaohe's PDF and LibreOffice's of the DOCX. Held
    to the PDF page by page (grown None), or, for a file whose rows grew:
    every page of the DOCX there, the body's text that of the DOCX's cells
    (nothing clipped or lost), and page 1's rules as the PDF's down to the
    first row that may grow (its vertical rules wherever they end)."""
    found = []
    a, b = pdf_pages(pdf), pdf_pages(lo)
    if grown is None and a != b:
        found.append("LibreOffice: %d pages, kaohe's PDF %d" % (b, a))
    if grown is not None and b < grown["pages"]:
        found.append("LibreOffice: %d pages, the DOCX has %d" % (b, grown["pages"]))
    if grown is not None and grown["counted"] is not None and b != grown["counted"]:
        found.append("LibreOffice: %d pages, the sections' page counts add up to %d" % (b, grown["counted"]))
    if grown is None:
        # the same text on each page, page numbers included (none clipped)
        for k, (x, y) in enumerate(zip(pdf_page_texts(pdf), pdf_page_texts(lo))):
            cx, cy = collections.Counter(squeeze(x)), collections.Counter(squeeze(y))
            if cx != cy and k + 1 not in chart_pages.get(d, ()):
                found.append("LibreOffice page %d: text differs from kaohe's PDF: missing %r, extra %r" %
                             (k + 1, "".join((cx - cy).elements())[:40], "".join((cy - cx).elements())[:40]))
    else:
        got, want = body_text(lo, grown["box"]), grown["text"]
        if got != want:
            found.append("LibreOffice: the body's text is not the cells': missing %r, extra %r" %
                         ("".join((want - got).elements())[:40], "".join((got - want).elements())[:40]))
    for name, src in (("k", pdf), ("l", lo)):
        png = os.path.join(tmp, "%s%02d.png" % (name, i))
        if not os.path.exists(png):
            subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile",
                            src, png[:-4]], check=True)
    cut = grown["cut"] if grown is not None else None
    for horizontal in (True, False):
        ka = rules(os.path.join(tmp, "k%02d.png" % i), horizontal)
        la = rules(os.path.join(tmp, "l%02d.png" % i), horizontal)
        if horizontal and cut is not None:   # below the growing row's bottom, the rules may move
            ka = [y for y in ka if y < cut - 3]
            la = [y for y in la if y < cut - 3]
        miss = unmatched(ka, la, 3.0) + unmatched(la, ka, 3.0)
        if not ka or miss:
            found.append("page 1: %s rules at %s pt are not within 3 pt in both renders (%d in kaohe's, %d)"
                         % ("horizontal" if horizontal else "vertical", [round(x, 1) for x in miss][:6],
                            len(ka), len(la)))
    return found


def main(argv):
    lo = 0
    if len(argv) > 2 and argv[1] == "--lo":
        lo = int(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    year = argv[1]
    pairs = []
    for d in sorted(glob.glob(os.path.join(year, "**", "*.docx"), recursive=True)):
        pdf = d[:-5] + ".pdf"
        if not os.path.exists(pdf):
            bad(d, "no PDF beside it")
            continue
        pairs.append((d, pdf))
        check_file(d, pdf)
    if not pairs:
        bad(year, "no .docx files")
    if lo:
        # one of each form first (by file name), then the rest
        kinds, first, rest = set(), [], []
        for p in pairs:
            base = os.path.basename(p[0])
            (rest if base in kinds else first).append(p)
            kinds.add(base)
        check_libreoffice((first + rest)[:lo])
    for p in notes:
        print("note: " + p)
    for p in problems:
        print(p)
    print("%d docx files checked, %d problems" % (len(pairs), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
