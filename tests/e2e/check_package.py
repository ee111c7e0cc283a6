#!/usr/bin/python3
"""End-to-end check of a kaohe output package (SPEC 4, issue 4).

Run with Debian's python (it has openpyxl):

    /usr/bin/python3 tests/e2e/check_package.py [options] OUTPUT/<year>... INPUT.xml...

Arguments that are directories are output year directories (OUTPUT/2025), the
others input XML files. Expectations are derived here, independently of the
program: names, categories, votes, history, schedule from the input
(urn:kaohe:appraisal:1); grade, code, reward, buckets, status and notice dates
from each year's results.xml (urn:kaohe:results:1); reward money and notice
length from the policy files (templates/policies/*.policy). Every file of
SPEC 4 is then checked for presence and read back: PDFs with poppler
(pdftotext -layout and -tsv, pdffonts) and qpdf --check, XLSX with openpyxl.

Options:
  --formats pdf,xlsx   the --formats the package was built with (default both)
  --policies DIR       policy directory (default: templates/policies of this tree)
  --policy NAME|FILE   the -p/--policy the package was built with (default: each
                       input file's own policy attribute)
  --epoch N            run date for dates derived from it (default $SOURCE_DATE_EPOCH;
                       without one those dates are not checked)
  --split              the package was built with --split: <unit>/registration/<person id>.pdf
  --approve            the package was built with --approve: the quota application's
                       审核意见 is filled in (otherwise it must be blank)
  --no-summary         do not check summary.xlsx/.pdf

Exit status 0 when every check passed, 1 otherwise, 2 on usage errors.
"""
import concurrent.futures
import datetime
import json
import os
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import OrderedDict, defaultdict
from fractions import Fraction

try:
    import openpyxl
    from openpyxl.utils import get_column_letter
except ImportError:  # pragma: no cover
    print("check_package: openpyxl is missing (use /usr/bin/python3)", file=sys.stderr)
    sys.exit(2)

NS_IN = "{urn:kaohe:appraisal:1}"
NS_RES = "{urn:kaohe:results:1}"
HERE = os.path.dirname(os.path.abspath(__file__))
TREE = os.path.dirname(os.path.dirname(HERE))

ADMIN_CATS = ("civil-servant", "managed")
GRADE_KEYS = ("excellent", "competent", "basic", "incompetent")
LABELS_ADMIN = dict(zip(GRADE_KEYS, ("优秀", "称职", "基本称职", "不称职")))
LABELS_INST = dict(zip(GRADE_KEYS, ("优秀", "合格", "基本合格", "不合格")))
CAT_LABELS = {"civil-servant": "公务员", "managed": "参照公务员法管理",
              "institution": "事业单位工作人员", "other": "其他人员"}
REG_TITLES = {"civil-servant": "公务员年度考核登记表",
              "managed": "参照公务员法管理事业单位人员年度考核登记表",
              "institution": "事业单位工作人员年度考核登记表",
              "other": "其他人员年度考核登记表"}
KIND_LABELS = ("公务员及参照公务员法管理人员", "事业单位工作人员及其他人员")
REWARD_LABELS = {"commendation": "嘉奖", "third-class-merit": "记三等功"}
# what the 未确定等次或不参加考核情况说明 / 备注 must say for each code
REASON_WORDS = {"7": "借调", "6A": "不进行年度考核", "5B": "立案调查", "5A": "试用期",
                "5C": "处分期间", "4": "无正当理由不参加年度考核"}
LEAVE_LABELS = {"sick": "病假", "personal": "事假", "study": "脱产学习", "maternity": "产假"}
# the summary's 问题 column names a warning in these words (issue 16)
FINDING_TITLES = {"VOTES_AGAINST": "不称职（不合格）票超过三分之一", "NO_ROUTINE_RECORD": "没有平时考核记录",
                  "FILED_LATE": "备案逾期", "RANK_TIE": "排名相同按编号确定", "NO_CALENDAR": "缺少节假日安排",
                  "SCORE_INVALID": "评分项无法识别", "SCORE_OUT_OF_RANGE": "综合得分超出范围"}
SANCTION_LABELS = {"warning": "警告", "demerit": "记过", "major-demerit": "记大过",
                   "demotion": "降级", "removal": "撤职"}
PER_UNIT = [("quota-application", True, True), ("registration", True, False),
            ("ballot", True, False), ("tally", True, True), ("notice", True, False),
            ("filing", True, True), ("rewards", True, True)]   # name, pdf, xlsx


# ------------------------------------------------------------------ report

class Report:
    def __init__(self):
        self.passed = defaultdict(int)
        self.failed = OrderedDict()
        self.notes = []

    def ok(self, cat, cond, where, msg):
        """Record one check; returns cond."""
        if cond:
            self.passed[cat] += 1
        else:
            self.failed.setdefault(cat, []).append("%s: %s" % (where, msg))
        return cond

    def fail(self, cat, where, msg):
        return self.ok(cat, False, where, msg)

    def eq(self, cat, where, what, got, want):
        return self.ok(cat, got == want, where, "%s is %r, expected %r" % (what, got, want))

    def note(self, msg):
        self.notes.append(msg)

    def finish(self):
        cats = sorted(set(self.passed) | set(self.failed))
        total_fail = sum(len(v) for v in self.failed.values())
        total = sum(self.passed.values()) + total_fail
        for cat in self.failed:
            lines = self.failed[cat]
            print("FAIL %s (%d):" % (cat, len(lines)))
            for line in lines[:25]:
                print("  " + line)
            if len(lines) > 25:
                print("  … and %d more" % (len(lines) - 25))
        for n in self.notes:
            print("NOTE " + n)
        print("%-22s %6s %6s" % ("category", "passed", "failed"))
        for cat in cats:
            print("%-22s %6d %6d" % (cat, self.passed.get(cat, 0), len(self.failed.get(cat, []))))
        print("check_package: %d checks, %d failed" % (total, total_fail))
        return 1 if total_fail else 0


# ------------------------------------------------------------------ helpers

def norm(s):
    """Cell or header text without any whitespace, ASCII parentheses."""
    if s is None:
        return ""
    s = str(s)
    s = re.sub(r"\s+", "", s.replace("\u3000", ""))
    return s.replace("（", "(").replace("）", ")")


def compact(s):
    return re.sub(r"\s+", "", (s or "").replace("\u3000", ""))


def cn_date(iso):
    y, m, d = (int(x) for x in iso.split("-"))
    return "%d年%d月%d日" % (y, m, d)


def cn_month(iso):
    if not iso:
        return ""
    parts = iso.split("-")
    return "%d年%d月" % (int(parts[0]), int(parts[1]))


def round_half_up(fr, digits):
    """Fraction -> Fraction rounded half away from zero to digits decimals."""
    scale = 10 ** digits
    n = fr * scale
    q = (n.numerator * 2 + n.denominator) // (2 * n.denominator) if n >= 0 else \
        -((-n.numerator * 2 + n.denominator) // (2 * n.denominator))
    return Fraction(q, scale)


def pct_text(fr, digits):
    """0.125 -> '12.5%' for digits=1 (fixed digits)."""
    v = round_half_up(fr * 100, digits)
    return ("%." + str(digits) + "f%%") % float(v)


def pct_plain(ratio_str):
    """'0.2' -> '20%', '0.125' -> '12.5%' (trailing zeros dropped)."""
    v = Fraction(ratio_str) * 100
    if v.denominator == 1:
        return "%d%%" % v.numerator
    s = ("%.6f" % float(v)).rstrip("0").rstrip(".")
    return s + "%"


def grade_label(grade, category):
    if grade in (None, "", "none"):
        return "不定等次"
    return (LABELS_ADMIN if category in ADMIN_CATS else LABELS_INST)[grade]


def group_of(category):
    return "admin" if category in ADMIN_CATS else category if category == "institution" else "other"


def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def int_or_none(v):
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)):
        return int(v) if float(v).is_integer() else v
    s = str(v).strip()
    return int(s) if re.fullmatch(r"-?\d+", s) else s


# ------------------------------------------------------------------ inputs

def load_policy(policy_dir, name):
    pol = {"name": name, "notice-days": 5, "merit-streak": 3, "max-ratio": None,
           "split-leaders": False, "money": {"commendation": 0, "third-class-merit": 0}}
    path = name if ("/" in name or name.endswith(".policy")) else os.path.join(policy_dir, name + ".policy")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            key = parts[0]
            if key == "reward" and len(parts) >= 3:
                pol["money"][parts[1]] = int(parts[2])
            elif key in ("notice-days", "merit-streak") and len(parts) >= 2:
                pol[key] = int(parts[1])
            elif key == "max-ratio":
                pol[key] = Fraction(parts[1])
            elif key == "name" and len(parts) >= 2:
                pol["name"] = parts[1]
            elif key == "split-leaders":
                pol[key] = parts[1] == "yes"
    return pol


def load_input(path):
    root = ET.parse(path).getroot()
    if root.tag != NS_IN + "appraisal":
        raise ValueError("%s: root is %s, not appraisal" % (path, root.tag))
    f = {"path": path, "year": int(root.get("year")), "policy": root.get("policy", "national"),
         "units": []}
    sch = root.find(NS_IN + "schedule")
    f["noticeStart"] = sch.get("noticeStart") if sch is not None else None
    f["filedOn"] = sch.get("filedOn") if sch is not None else None
    f["filingDeadline"] = sch.get("filingDeadline") if sch is not None else None
    for u in root.findall(NS_IN + "unit"):
        unit = {"id": u.get("id"), "name": u.get("name"), "kind": u.get("kind", "organ"),
                "file": f, "persons": [], "assessment": u.find(NS_IN + "assessment") is not None}
        est = u.find(NS_IN + "establishment")
        unit["est"] = (int(est.get("admin", "0")), int(est.get("institution", "0"))) if est is not None else (0, 0)
        c = u.find(NS_IN + "contact")
        unit["contact"] = (c.get("name"), c.get("phone")) if c is not None else (None, None)
        for p in u.findall(NS_IN + "person"):
            per = {k: p.get(k) for k in ("id", "name", "gender", "birth", "category", "role", "post",
                                         "postSince")}
            per["role"] = per["role"] or "staff"
            st = p.find(NS_IN + "status")
            per["status"] = dict(st.attrib) if st is not None else {}
            v = p.find(NS_IN + "votes")
            per["votes"] = tuple(int(v.get(k, "0")) if v is not None else 0 for k in GRADE_KEYS)
            s = p.find(NS_IN + "summary")
            per["summary"] = s.text if s is not None and s.text else ""
            h = p.find(NS_IN + "history")
            per["history"] = {int(y.get("value")): y.get("grade")
                              for y in (h.findall(NS_IN + "year") if h is not None else [])}
            unit["persons"].append(per)
        f["units"].append(unit)
    return f


def load_results(path):
    root = ET.parse(path).getroot()
    res = {"year": int(root.get("year")), "policy": root.get("policy"), "units": OrderedDict()}
    for u in root.findall(NS_RES + "unit"):
        unit = {"id": u.get("id"), "status": u.get("status"), "name": u.get("name"), "policy": u.get("policy"),
                "buckets": [], "persons": OrderedDict(),
                "findings": [], "notice": None}
        for b in u.findall(NS_RES + "bucket"):
            unit["buckets"].append({"name": b.get("name"), "participants": int(b.get("participants")),
                                    "ratio": b.get("ratio"), "places": int(b.get("places")),
                                    "excellent": int(b.get("excellent"))})
        for p in u.findall(NS_RES + "person"):
            unit["persons"][p.get("id")] = dict(p.attrib)
        for fd in u.findall(NS_RES + "finding"):
            unit["findings"].append({"code": fd.get("code"), "severity": fd.get("severity"),
                                     "person": fd.get("person"), "text": (fd.text or "").strip()})
        n = u.find(NS_RES + "notice")
        if n is not None:
            unit["notice"] = (n.get("from"), n.get("to"))
        res["units"][unit["id"]] = unit
    t = root.find(NS_RES + "totals")
    res["totals"] = dict(t.attrib) if t is not None else None
    return res


# ------------------------------------------------------------------ PDFs

class Word:
    __slots__ = ("left", "top", "w", "h", "text")

    def __init__(self, left, top, w, h, text):
        self.left, self.top, self.w, self.h, self.text = left, top, w, h, text

    @property
    def xc(self):
        return self.left + self.w / 2

    @property
    def yc(self):
        return self.top + self.h / 2


def table_rows(pdf, first_page=1, last_page=None):
    """Rows of the PDF's tables: (page, 序号, [words on the 序号's line, left to right]).

    A row is found by its 序号: a number centred under the page's 序号 header
    (the head is repeated on every page of a list). Only single-line cells
    share the 序号's line (every cell is vertically centred), so wrapped text
    is left out."""
    rows = []
    hdr = None
    last_page = last_page or (max(pdf.words) if pdf.words else 0)
    for pg in range(first_page, last_page + 1):
        words = pdf.words.get(pg, [])
        heads = [w for w in words if w.text == "序号"]
        if heads:
            hdr = heads[0]
        if hdr is None:
            continue
        top = heads[0].top + heads[0].h if heads else 0
        for w in words:
            if re.fullmatch(r"\d+", w.text) and w.top >= top and abs(w.xc - hdr.xc) <= max(hdr.w / 2, 6):
                line = sorted((x for x in words if x is not w and abs(x.yc - w.yc) < 2.5), key=lambda x: x.left)
                rows.append((pg, w.yc, int(w.text), [x.text for x in line]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [(pg, i, toks) for pg, _, i, toks in rows]


def region_text(pdf, page, x0, x1, y0, y1):
    """Compact text of the words of a page whose top-left lies in the box, line by line."""
    ws = [w for w in pdf.words.get(page, []) if x0 <= w.left < x1 and y0 <= w.top < y1]
    ws.sort(key=lambda w: (round(w.top), w.left))
    return compact("".join(w.text for w in ws))


def find_word(pdf, text, page=None):
    for pg in sorted(pdf.words):
        if page is not None and pg != page:
            continue
        for w in pdf.words[pg]:
            if text in w.text:
                return pg, w
    return None, None


class Pdf:
    """Everything poppler and qpdf say about one PDF (filled in parallel)."""

    def __init__(self, path):
        self.path = path
        self.text = ""
        self.pages = []
        self.problems = []   # (category, message)
        self.outline = None
        self.npages = None
        self.words = defaultdict(list)   # page (1-based) -> [Word]
        self.flowtext = ""

    def probe(self):
        rc, out, err = run(["qpdf", "--check", self.path])
        if rc != 0 or "WARNING" in out or "WARNING" in err or err.strip():
            self.problems.append(("pdf-qpdf", "qpdf --check exit %d: %s" % (rc, (out + err).strip()[-400:])))
        rc, out, err = run(["pdftotext", "-layout", "-enc", "UTF-8", self.path, "-"])
        if rc != 0 or err.strip():
            self.problems.append(("pdf-poppler", "pdftotext exit %d, stderr: %s" % (rc, err.strip()[:400])))
        self.text = out
        self.pages = out.split("\f")
        if self.pages and self.pages[-1].strip() == "":
            self.pages.pop()
        rc, out, err = run(["pdftotext", "-tsv", "-enc", "UTF-8", self.path, "-"])
        if rc != 0 or err.strip():
            self.problems.append(("pdf-poppler", "pdftotext -tsv exit %d, stderr: %s" % (rc, err.strip()[:400])))
        flow = []
        self.npages = 0
        for line in out.splitlines()[1:]:
            f = line.split("\t")
            if f[0] == "1":
                self.npages += 1
            if len(f) >= 12 and f[0] == "5":
                self.words[int(f[1])].append(Word(float(f[6]), float(f[7]), float(f[8]), float(f[9]), f[11]))
                flow.append(f[11])
        # the words in poppler's reading order: a table cell's text stays together
        self.flowtext = compact("".join(flow))
        rc, out, err = run(["pdffonts", self.path])
        if rc != 0 or err.strip():
            self.problems.append(("pdf-poppler", "pdffonts exit %d, stderr: %s" % (rc, err.strip()[:400])))
        lines = out.splitlines()
        fonts = [l for l in lines[2:] if l.strip()]
        if not fonts:
            self.problems.append(("pdf-fonts", "pdffonts lists no font"))
        for l in fonts:
            f = l.split()
            if len(f) < 7 or f[-5] != "yes" or f[-4] != "yes":
                self.problems.append(("pdf-fonts", "font not embedded as a subset: %s" % l.strip()))
        if os.path.basename(self.path) == "registration.pdf":
            rc, out, err = run(["qpdf", "--json", "--json-key=outlines", self.path])
            try:
                self.outline = json.loads(out).get("outlines", [])
            except ValueError:
                self.outline = None
        return self


# ------------------------------------------------------------------ XLSX

class Sheet:
    def __init__(self, ws):
        self.ws = ws
        self.grid = {}
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    self.grid[(r, c)] = v
        self.max_row = max((r for r, _ in self.grid), default=0)
        self.max_col = max((c for _, c in self.grid), default=0)

    def v(self, r, c):
        return self.grid.get((r, c))

    def find(self, text, exact=True, rows=None):
        """All (row, col) whose normalized value equals (or contains) text."""
        t = norm(text)
        out = []
        for (r, c), v in sorted(self.grid.items()):
            if rows and not (rows[0] <= r <= rows[1]):
                continue
            n = norm(v)
            if (n == t) if exact else (t in n):
                out.append((r, c))
        return out

    def row_text(self, r):
        return [self.grid.get((r, c)) for c in range(1, self.max_col + 1)]

    def all_text(self):
        return "".join(compact(str(v)) for _, v in sorted(self.grid.items()))


def open_xlsx(path, rep, where, data_only=False, read_only=False):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            wb = openpyxl.load_workbook(path, data_only=data_only, read_only=read_only)
        except Exception as e:  # noqa: BLE001
            rep.fail("xlsx-open", where, "openpyxl cannot read it: %s" % e)
            return None
    rep.ok("xlsx-open", True, where, "")
    for x in w:
        rep.note("%s: openpyxl warning: %s" % (where, x.message))
    return wb


def header_columns(sh, top, bottom):
    """{normalized header text: [col, …]} over header rows top..bottom."""
    cols = defaultdict(list)
    for r in range(top, bottom + 1):
        for c in range(1, sh.max_col + 1):
            v = sh.v(r, c)
            if v is not None:
                cols[norm(v)].append(c)
    return cols


# ------------------------------------------------------------------ checker

class Checker:
    def __init__(self, args):
        self.rep = Report()
        self.formats = args.formats
        self.policy_dir = args.policies
        self.epoch = args.epoch
        self.summary = args.summary
        self.policy_override = args.policy
        self.split = args.split
        self.approve = args.approve
        self.policies = {}
        self.inputs = [load_input(p) for p in args.inputs]
        self.yeardirs = args.yeardirs

    def policy(self, name):
        name = self.policy_override or name
        if name not in self.policies:
            self.policies[name] = load_policy(self.policy_dir, name)
        return self.policies[name]

    @property
    def today(self):
        if self.epoch is None:
            return None
        return datetime.datetime.fromtimestamp(self.epoch, datetime.timezone.utc).strftime("%Y-%m-%d")

    # ---------------------------------------------------------- one year dir
    def check_year(self, ydir):
        rep = self.rep
        year = int(os.path.basename(os.path.normpath(ydir)))
        units_in = OrderedDict()
        for f in self.inputs:
            if f["year"] != year:
                continue
            for u in f["units"]:
                units_in.setdefault(u["id"], u)   # a repeated unit id: the first one
        rpath = os.path.join(ydir, "results.xml")
        if not rep.ok("files", os.path.isfile(rpath), ydir, "results.xml missing"):
            return
        res = load_results(rpath)
        rep.eq("results", rpath, "year", res["year"], year)
        if units_in:
            first = next(iter(units_in.values()))["file"]["policy"]
            rep.eq("results", rpath, "policy (of the first unit's file)", res["policy"],
                   self.policy(first)["name"])
        # every input unit and person is in results.xml (by unit, since person ids may repeat
        # in an erroneous run)
        by_unit_in = defaultdict(list)
        for f in self.inputs:
            if f["year"] == year:
                for u in f["units"]:
                    by_unit_in[u["id"]].append(u)
        rep.eq("results", rpath, "unit ids", list(res["units"]), list(by_unit_in))
        for uid, ru in res["units"].items():
            ins = by_unit_in.get(uid, [])
            if ru.get("name") is not None and ins:
                rep.eq("results", "%s/%s" % (rpath, uid), "name", ru["name"], ins[0]["name"])
            if ins:   # the policy the unit's forms followed: its file's, or --policy
                rep.eq("results", "%s/%s" % (rpath, uid), "policy", ru["policy"],
                       self.policy(ins[0]["file"]["policy"])["name"])
            want = [p["id"] for u in ins for p in u["persons"]]
            rep.eq("results", "%s/%s" % (rpath, uid), "person ids", list(ru["persons"]), want)

        self.check_tree(ydir, res, units_in)
        pdf_paths = []
        for root, _, files in os.walk(ydir):
            pdf_paths += [os.path.join(root, n) for n in files if n.endswith(".pdf")]
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2) * 2)) as ex:
            pdfs = {p.path: p for p in ex.map(lambda p: Pdf(p).probe(), sorted(pdf_paths))}
        for path, pdf in sorted(pdfs.items()):
            where = os.path.relpath(path, ydir)
            bad = defaultdict(list)
            for cat, msg in pdf.problems:
                bad[cat].append(msg)
            for cat in ("pdf-qpdf", "pdf-poppler", "pdf-fonts"):
                rep.ok(cat, not bad[cat], where, "; ".join(bad[cat]))
        for uid, ru in res["units"].items():
            if ru["status"] != "ok":
                continue
            u = units_in.get(uid)
            if u is None:
                continue
            pol = self.policy(u["file"]["policy"])
            ctx = UnitCtx(self, ydir, u, ru, pol, pdfs)
            ctx.check_all()
        if self.summary:
            self.check_summary(ydir, res, units_in, pdfs)
        if any(u["assessment"] for u in units_in.values()):
            n = sum(1 for u in units_in.values() if u["assessment"])
            rep.note("%s: %d unit(s) carry <assessment>; assessment.* and ranking.* (issue 7) are "
                     "not checked" % (ydir, n))

    # ---------------------------------------------------------- files + manifest
    def expected_unit_files(self):
        names = set()
        for base, pdf, xlsx in PER_UNIT:
            if pdf and "pdf" in self.formats:
                names.add(base + ".pdf")
            if xlsx and "xlsx" in self.formats:
                names.add(base + ".xlsx")
        return names

    def check_tree(self, ydir, res, units_in):
        rep = self.rep
        want_unit = self.expected_unit_files()
        top = set(os.listdir(ydir))
        expect_top = {"results.xml", "findings.txt", "MANIFEST.sha256", "index.html"}
        if self.summary:
            if "xlsx" in self.formats:
                expect_top.add("summary.xlsx")
            if "pdf" in self.formats:
                expect_top.add("summary.pdf")
        for name in sorted(expect_top):
            what = "summary" if name.startswith("summary") else "files"
            msg = "missing" + (" (the roll-up summary.xlsx/.pdf of SPEC 4 is not written yet)"
                               if what == "summary" else "")
            rep.ok(what, name in top, os.path.join(ydir, name), msg)
        ok_units = [uid for uid, ru in res["units"].items() if ru["status"] == "ok"]
        err_units = [uid for uid, ru in res["units"].items() if ru["status"] != "ok"]
        for uid in ok_units:
            d = os.path.join(ydir, uid)
            if not rep.ok("files", os.path.isdir(d), d, "unit directory missing"):
                continue
            have = set(os.listdir(d))
            for name in sorted(want_unit):
                rep.ok("files", name in have and os.path.getsize(os.path.join(d, name)) > 0,
                       "%s/%s" % (uid, name), "missing or empty")
            # the result notices and the 不称职 register (issue 16) are checked by tests/e2e/test_print.c
            tolerated = {"assessment.xlsx", "assessment.pdf", "result-notice.pdf", "result-notice.xlsx",
                         "incompetent.pdf", "incompetent.xlsx"}
            want = set(want_unit)
            if self.split and "pdf" in self.formats:
                want.add("registration")
                rd = os.path.join(d, "registration")
                if rep.ok("files", os.path.isdir(rd), "%s/registration/" % uid, "--split: directory missing"):
                    u = units_in.get(uid)
                    pids = {p["id"] + ".pdf" for p in u["persons"]} if u else set()
                    got = set(os.listdir(rd))
                    rep.eq("files", "%s/registration/" % uid, "files", sorted(got), sorted(pids))
            extra = sorted(have - want - tolerated)
            rep.ok("files", not extra, uid, "unexpected files: %s" % ", ".join(extra))
        for uid in err_units:
            rep.ok("files", not os.path.exists(os.path.join(ydir, uid)), uid,
                   "unit with status error has a directory of forms")
        known = expect_top | set(ok_units) | {"ranking.xlsx", "ranking.pdf", "summary.xlsx", "summary.pdf"}
        extra = sorted(top - known)
        rep.ok("files", not extra, ydir, "unexpected entries: %s" % ", ".join(extra))
        # MANIFEST.sha256: sha256sum -c passes and it lists every file of the tree
        man = os.path.join(ydir, "MANIFEST.sha256")
        if not os.path.isfile(man):
            rep.fail("manifest", man, "missing")
            return
        rc, out, err = run(["sha256sum", "-c", "--quiet", "--strict", "MANIFEST.sha256"], cwd=ydir)
        rep.ok("manifest", rc == 0, man, "sha256sum -c failed: %s" % (out + err).strip()[:400])
        listed = []
        with open(man, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line.rstrip("\n"))
                if rep.ok("manifest", m is not None, man, "bad line %r" % line):
                    listed.append(m.group(2))
        files = []
        for root, _, names in os.walk(ydir):
            for n in names:
                rel = os.path.relpath(os.path.join(root, n), ydir)
                if rel != "MANIFEST.sha256":
                    files.append(rel)
        rep.eq("manifest", man, "duplicate entries", sorted(x for x in set(listed) if listed.count(x) > 1), [])
        missing = sorted(set(files) - set(listed))
        rep.ok("manifest", not missing, man, "files not listed: %s" % ", ".join(missing[:10]))
        ghost = sorted(set(listed) - set(files))
        rep.ok("manifest", not ghost, man, "listed files absent: %s" % ", ".join(ghost[:10]))

    # ---------------------------------------------------------- summary
    def check_summary_pdf(self, pdf, res, units_in):
        """summary.pdf: title, and per unit its code, name and counts on one table row."""
        rep, cat, w = self.rep, "summary", "summary.pdf"
        rep.ok(cat, "年度考核结果汇总表" in compact(pdf.text), w, "title 年度考核结果汇总表 not found")
        for uid, ru in res["units"].items():
            u = units_in.get(uid)
            hit = [(pg, x) for pg in sorted(pdf.words) for x in pdf.words[pg] if x.text == uid]
            if not rep.ok(cat, len(hit) == 1, w, "unit code %s found %d times" % (uid, len(hit))):
                continue
            pg, c = hit[0]
            line = sorted((x for x in pdf.words[pg] if abs(x.yc - c.yc) < 2.5 and x.left > c.left + c.w),
                          key=lambda x: x.left)
            isnum = lambda x: re.fullmatch(r"\d+(\.\d+)?%?", x.text)
            first = next((i for i, x in enumerate(line) if isnum(x)), len(line))
            nums = []
            for x in line[first:]:      # the run of number cells (状态 and 问题 follow)
                if not isnum(x):
                    break
                nums.append(x)
            x1 = nums[0].left if nums else 1e9
            # the name cell: the words between the code and the first number, on the code's
            # line or wrapped around it
            name = "".join(x.text for x in sorted(
                (x for x in pdf.words[pg] if abs(x.yc - c.yc) < 12 and c.left + c.w < x.left < x1),
                key=lambda x: (round(x.top), x.left)))
            if u:
                rep.ok(cat, compact(u["name"]) in compact(name), w, "%s: unit name %s not on its row (%r)"
                       % (uid, u["name"], name))
            exp = unit_counts(ru, u)
            want = sorted(exp[k] for k in ("participants", "places", "excellent_n", "g_competent", "g_basic",
                                           "g_incompetent", "ungraded", "absent"))
            got = sorted(int(x.text) for x in nums if x.text.isdigit())
            rep.eq(cat, "%s %s" % (w, uid), "the row's counts (sorted)", got, want)

    def check_summary(self, ydir, res, units_in, pdfs):
        rep = self.rep
        cat = "summary"
        spath = os.path.join(ydir, "summary.xlsx")
        ppath = os.path.join(ydir, "summary.pdf")
        if "pdf" in self.formats and os.path.isfile(ppath) and ppath in pdfs:
            self.check_summary_pdf(pdfs[ppath], res, units_in)
        if "xlsx" not in self.formats or not os.path.isfile(spath):
            return
        wb = open_xlsx(spath, rep, "summary.xlsx")
        if wb is None:
            return
        if not rep.ok(cat, "汇总表" in wb.sheetnames, "summary.xlsx",
                      "no sheet named 汇总表 (sheets: %s)" % wb.sheetnames):
            return
        ws = wb["汇总表"]
        sh = Sheet(ws)
        rep.ok(cat, any("年度考核结果汇总表" in norm(v) for (r, c), v in sh.grid.items() if r <= 3),
               "summary.xlsx", "no title row with 年度考核结果汇总表 in rows 1-3")
        charts = [(sh_.title, len(getattr(sh_, "_charts", []))) for sh_ in wb._sheets]
        rep.ok(cat, any(n for _, n in charts), "summary.xlsx", "no chart in any sheet: %s" % charts)
        hits = sh.find("序号")
        if not rep.ok(cat, bool(hits), "summary.xlsx", "no header cell 序号"):
            return
        hrow = hits[0][0]
        # header rows: from 序号 down to the row before the first row whose 序号 cell is a number
        c_idx = hits[0][1]
        first = hrow + 1
        while first <= sh.max_row and int_or_none(sh.v(first, c_idx)) != 1:
            first += 1
        hcols = header_columns(sh, hrow, first - 1)

        def col(*names, pred=None):
            for n in names:
                if hcols.get(norm(n)):
                    return hcols[norm(n)][0]
            if pred:
                for k, cs in hcols.items():
                    if pred(k):
                        return cs[0]
            return None
        C = {
            "code": col("单位代码", "代码", "单位编号"),
            "name": col("单位名称"),
            "participants": col("参加考核人数", "参加考核"),
            "places": col("优秀名额"),
            "excellent_n": col("优秀人数"),
            "ratio": col("优秀比例"),
            "cap": col("比例上限"),
            "g_excellent": col("优秀"),
            "g_competent": col(pred=lambda k: k.startswith("称职")),
            "g_basic": col(pred=lambda k: k.startswith("基本称职")),
            "g_incompetent": col(pred=lambda k: k.startswith("不称职")),
            "ungraded": col("不定等次"),
            "absent": col("不参加考核"),
            "status": col("状态"),
            "findings": col("问题", "问题(代码)", "发现的问题"),
        }
        for k, c in C.items():
            if k == "g_excellent" and C["excellent_n"]:
                continue   # 优秀人数 is the grade count 优秀
            rep.ok(cat, c is not None, "summary.xlsx", "no column for %s (headers: %s)" % (k, sorted(hcols)))
        if C["excellent_n"] is None and C["g_excellent"] is not None:
            C["excellent_n"] = C["g_excellent"]
        if C["code"] is None:
            return
        # unit rows
        rows = OrderedDict()
        total_row = None
        for r in range(first, sh.max_row + 1):
            vals = [norm(v) for v in sh.row_text(r)]
            if "合计" in vals:
                total_row = r
                continue
            code = sh.v(r, C["code"])
            if code is not None and str(code).strip():
                rows.setdefault(str(code).strip(), []).append(r)
        rep.eq(cat, "summary.xlsx", "unit codes (in order)", list(rows), list(res["units"]))
        for uid, rs in rows.items():
            rep.ok(cat, len(rs) == 1, "summary.xlsx", "unit %s has %d rows" % (uid, len(rs)))
        unit_rows = [rs[0] for rs in rows.values()]
        for i, r in enumerate(unit_rows):
            rep.eq(cat, "summary.xlsx row %d" % r, "序号", int_or_none(sh.v(r, c_idx)), i + 1)
        for uid, ru in res["units"].items():
            if uid not in rows:
                continue
            r = rows[uid][0]
            w = "summary.xlsx %s (row %d)" % (uid, r)
            u = units_in.get(uid)
            exp = unit_counts(ru, u)
            if C["name"] and u:
                rep.eq(cat, w, "单位名称", sh.v(r, C["name"]), u["name"])
            for key, what in (("participants", "参加考核人数"), ("places", "优秀名额"),
                              ("excellent_n", "优秀人数"), ("g_competent", "称职(合格)"),
                              ("g_basic", "基本称职(基本合格)"), ("g_incompetent", "不称职(不合格)"),
                              ("ungraded", "不定等次"), ("absent", "不参加考核")):
                if C[key]:
                    rep.eq(cat, w, what, int_or_none(sh.v(r, C[key])), exp[key])
            if C["g_excellent"] and C["g_excellent"] != C["excellent_n"]:
                rep.eq(cat, w, "优秀 (grade count)", int_or_none(sh.v(r, C["g_excellent"])), exp["excellent_n"])
            if C["ratio"]:
                got = sh.v(r, C["ratio"])
                if exp["participants"]:
                    want = Fraction(exp["excellent_n"], exp["participants"])
                    rep.ok(cat, ratio_matches(got, want), w,
                           "优秀比例 is %r, expected %.4f" % (got, float(want)))
            if C["cap"]:
                got = sh.v(r, C["cap"])
                pol = self.policy(u["file"]["policy"]) if u else None
                cands = set()
                if pol and pol["max-ratio"] is not None:
                    cands.add(pol["max-ratio"])
                for b in ru["buckets"]:
                    cands.add(Fraction(b["ratio"]))
                if exp["participants"]:
                    cands.add(Fraction(exp["places"], exp["participants"]))
                bp = sum(b["participants"] for b in ru["buckets"])
                if bp:
                    cands.add(sum(b["participants"] * Fraction(b["ratio"]) for b in ru["buckets"]) / bp)
                rep.ok(cat, any(ratio_matches(got, c) for c in cands), w,
                       "比例上限 is %r, expected one of %s (policy max, a bucket ratio, places/participants, "
                       "the participant-weighted bucket ratio)"
                       % (got, sorted(float(c) for c in cands)))
            if C["status"]:
                st = norm(sh.v(r, C["status"]))
                is_err = "错" in st or "error" in st.lower()
                rep.ok(cat, is_err == (ru["status"] != "ok"), w,
                       "状态 %r does not say %s" % (sh.v(r, C["status"]), ru["status"]))
            if C["findings"]:
                txt = str(sh.v(r, C["findings"]) or "")
                codes = sorted({f["code"] for f in ru["findings"] if f.get("severity") != "error"})
                # in Chinese words (issue 16): what each warning is about, never its code
                missing = [c for c in codes if FINDING_TITLES.get(c, "其他问题") not in txt]
                rep.ok(cat, not missing, w, "问题 %r lacks the titles of the findings %s" % (txt, missing))
                rep.ok(cat, not re.search(r"[A-Z]{3,}_[A-Z_]+", txt), w, "问题 %r names a raw code" % txt)
        # the 合计 row: formulas summing the unit rows
        if not rep.ok(cat, total_row is not None, "summary.xlsx", "no 合计 row"):
            return
        rep.ok(cat, total_row > max(unit_rows or [0]), "summary.xlsx", "合计 row is not after the unit rows")
        lo, hi = (min(unit_rows), max(unit_rows)) if unit_rows else (first, first)
        for key in ("participants", "places", "excellent_n", "g_competent", "g_basic", "g_incompetent",
                    "ungraded", "absent"):
            c = C[key]
            if not c:
                continue
            v = sh.v(total_row, c)
            w = "summary.xlsx 合计 %s%d" % (get_column_letter(c), total_row)
            if not rep.ok(cat, isinstance(v, str) and v.startswith("="), w, "not a formula: %r" % (v,)):
                continue
            m = re.fullmatch(r"=SUM\(\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)\)", v.replace(" ", "").upper())
            L = get_column_letter(c)
            rep.ok(cat, m is not None and m.group(1) == L and m.group(3) == L and int(m.group(2)) <= lo
                   and int(m.group(4)) >= hi and int(m.group(4)) < total_row, w,
                   "formula %s does not sum %s%d:%s%d" % (v, L, lo, L, hi))
        for key in ("ratio", "cap"):
            c = C[key]
            if c:
                v = sh.v(total_row, c)
                rep.ok(cat, v is None or (isinstance(v, str) and v.startswith("=")),
                       "summary.xlsx 合计 %s%d" % (get_column_letter(c), total_row), "not a formula: %r" % (v,))
        wb2 = open_xlsx(spath, rep, "summary.xlsx (cached values)", data_only=True)
        if wb2 is not None:
            sh2 = Sheet(wb2["汇总表"])
            for key in ("participants", "excellent_n"):
                c = C[key]
                if c is None:
                    continue
                want = sum(int_or_none(sh.v(r, c)) or 0 for r in unit_rows if isinstance(int_or_none(sh.v(r, c)), int))
                got = sh2.v(total_row, c)
                if str(sh.v(total_row, c)).startswith("=") and got not in (None, 0):
                    rep.eq(cat, "summary.xlsx 合计 %s" % key, "cached formula value", int_or_none(got), want)


def ratio_matches(got, want):
    if got is None:
        return False
    if isinstance(got, (int, float)):
        return abs(float(got) - float(want)) < 5e-4 or abs(float(got) - float(want) * 100) < 0.05
    s = str(got).strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)%", s)
    if m:
        return abs(float(m.group(1)) - float(want) * 100) < 0.051
    try:
        return abs(float(s) - float(want)) < 5e-4
    except ValueError:
        return False


def unit_counts(ru, u):
    """Per-unit counts from results.xml."""
    return group_counts(ru, u, None)


def group_counts(ru, u, group):
    """Counts from results.xml of the unit's persons (of one group: admin, institution, other)."""
    cats = {p["id"]: p["category"] for p in (u["persons"] if u else [])}
    c = dict(expected=0, participants=0, excellent_n=0, g_competent=0, g_basic=0, g_incompetent=0,
             ungraded=0, absent=0)
    for pid, rp in ru["persons"].items():
        if group and group_of(cats.get(pid)) != group:
            continue
        c["expected"] += 1
        code = rp.get("code")
        if "bucket" in rp:
            c["participants"] += 1
        if code in ("6A", "7"):
            c["absent"] += 1
        elif code in ("5A", "5B", "5C") or rp.get("grade") in (None, "none"):
            c["ungraded"] += 1
        else:
            key = {"excellent": "excellent_n", "competent": "g_competent", "basic": "g_basic",
                   "incompetent": "g_incompetent"}[rp["grade"]]
            c[key] += 1
    c["places"] = sum(b["places"] for b in ru["buckets"] if group is None or b["name"].split("-")[0] == group)
    return c


# ------------------------------------------------------------------ one unit

class UnitCtx:
    def __init__(self, chk, ydir, u, ru, pol, pdfs):
        self.chk = chk
        self.rep = chk.rep
        self.ydir = ydir
        self.u = u
        self.ru = ru
        self.pol = pol
        self.pdfs = pdfs
        self.year = u["file"]["year"]
        self.persons = []
        for p in u["persons"]:
            rp = ru["persons"].get(p["id"], {})
            q = dict(p)
            q["code"] = rp.get("code")
            q["grade"] = rp.get("grade", "none")
            q["reward"] = rp.get("reward", "none")
            q["bucket"] = rp.get("bucket")
            q["participates"] = "bucket" in rp
            q["label"] = grade_label(q["grade"], p["category"])
            self.persons.append(q)

    def path(self, name):
        return os.path.join(self.ydir, self.u["id"], name)

    def where(self, name):
        return "%s/%s" % (self.u["id"], name)

    def pdf(self, name):
        if "pdf" not in self.chk.formats:
            return None
        return self.pdfs.get(self.path(name))

    def xlsx(self, name):
        if "xlsx" not in self.chk.formats or not os.path.isfile(self.path(name)):
            return None
        wb = open_xlsx(self.path(name), self.rep, self.where(name), read_only=True)
        if wb is None:
            return None
        sh = Sheet(wb.worksheets[0])
        wb.close()
        return sh

    def check_all(self):
        for f in (self.check_quota, self.check_registration, self.check_ballot, self.check_tally,
                  self.check_notice, self.check_filing, self.check_rewards):
            try:
                f()
            except Exception as e:  # noqa: BLE001 - a crash in one check is a failure, not the end
                import traceback
                self.rep.fail("checker", self.u["id"], "%s crashed: %s\n%s" % (f.__name__, e, traceback.format_exc()))

    # ------------------------------------------------ quota-application
    def quota_expect(self):
        """Per group (and its leader/staff part): "N名", or "—" when nobody of the unit
        takes part in it (issue 16: a count that is zero prints 0, a value that does
        not exist prints —)."""
        n = {k: {"": [0, 0], "leader": [0, 0], "staff": [0, 0]} for k in ("admin", "institution", "other")}
        for b in self.ru["buckets"]:
            grp, _, part = b["name"].partition("-")
            for k in {"", part}:
                n[grp][k][0] += b["participants"]
                n[grp][k][1] += b["places"]
        return {grp: {k: ("%d名" % pl if pa > 0 else "—") for k, (pa, pl) in parts.items()}
                for grp, parts in n.items()}

    def quota_sentences(self):
        g = self.quota_expect()
        out = []
        if self.pol["split-leaders"]:
            for grp, lab in (("admin", "行政"), ("institution", "事业")):
                out.append("%s优秀等次指标：%s（领导职务%s，一般工作人员%s）"
                           % (lab, g[grp][""], g[grp]["leader"], g[grp]["staff"]))
            out.append("优秀等次指标行政%s（领导职务%s、一般工作人员%s）、事业%s（领导职务%s、一般工作人员%s）、其他人员%s"
                       % (g["admin"][""], g["admin"]["leader"], g["admin"]["staff"],
                          g["institution"][""], g["institution"]["leader"], g["institution"]["staff"],
                          g["other"][""]))
        else:
            for grp, lab in (("admin", "行政"), ("institution", "事业")):
                out.append("%s优秀等次指标：%s" % (lab, g[grp][""]))
            out.append("优秀等次指标行政%s、事业%s、其他人员%s"
                       % (g["admin"][""], g["institution"][""], g["other"][""]))
        out.append("其他人员优秀等次指标：%s" % g["other"][""])
        return out

    def check_quota(self):
        rep, cat = self.rep, "quota-application"
        sentences = self.quota_sentences()
        ratios = {pct_plain(b["ratio"]) for b in self.ru["buckets"] if b["participants"] > 0} or {"—"}
        pdf = self.pdf("quota-application.pdf")
        if pdf:
            w = self.where("quota-application.pdf")
            rep.ok(cat, compact(self.u["name"]) in compact(pdf.text), w, "unit name missing")
            # the two side-by-side cells 申请优秀等次比例 and 审核意见, read from the word boxes
            pg, a = find_word(pdf, "申请比例")
            _, lab = find_word(pdf, "组织人事", pg)
            _, b = find_word(pdf, "经审核", pg)
            if not self.chk.approve:
                # the authority's box stays blank for the authority (issue 16)
                rep.ok(cat, a and lab and not b, w, "申请比例 / 组织人事 not found, or 审核意见 filled in")
                t = region_text(pdf, pg, a.left - 1, lab.left - 1, a.top - 1, a.top + 260) if a and lab else ""
                for s in sentences:
                    if "：" in s:
                        rep.ok(cat, s in t, w, "missing %r in %r" % (s, t))
                for r in ratios:
                    rep.ok(cat, "申请比例" in t and r in t, w, "ratio %s missing" % r)
            elif rep.ok(cat, a and lab and b, w, "cells 申请比例 / 组织人事 / 经审核 not found"):
                t = region_text(pdf, pg, a.left - 1, lab.left - 1, a.top - 1, a.top + 260) + \
                    region_text(pdf, pg, lab.left + lab.w + 1, 1e9, b.top - 1, b.top + 260)
                for s in sentences:
                    rep.ok(cat, s in t, w, "missing %r in %r" % (s, t))
                for r in ratios:
                    rep.ok(cat, "比例按" in t and r in t, w, "ratio %s missing" % r)
        sh = self.xlsx("quota-application.xlsx")
        if sh:
            w = self.where("quota-application.xlsx")
            t = sh.all_text()
            rep.ok(cat, compact(self.u["name"]) in t, w, "unit name missing")
            rep.ok(cat, ("经审核" in t) == self.chk.approve, w, "审核意见 %s" % ("blank" if self.chk.approve else "filled in"))
            for s in sentences:
                if "：" in s or self.chk.approve:
                    rep.ok(cat, s in t, w, "missing %r" % s)
            part = {"admin": 0, "institution": 0, "other": 0}
            for b in self.ru["buckets"]:
                part[b["name"].partition("-")[0]] += b["participants"]
            hit = sh.find("参加考核人数")
            if rep.ok(cat, bool(hit), w, "no cell 参加考核人数"):
                r0, c0 = hit[0]
                got = {}
                for r in range(r0, r0 + 3):
                    got[norm(sh.v(r, c0 + 1))] = int_or_none(sh.v(r, c0 + 2))
                rep.eq(cat, w, "参加考核人数 行政/事业/其他", (got.get("行政"), got.get("事业"), got.get("其他")),
                       (part["admin"], part["institution"], part["other"]))
            hit = sh.find("实有编制数")
            if rep.ok(cat, bool(hit), w, "no cell 实有编制数"):
                r0, c0 = hit[0]
                rep.eq(cat, w, "实有编制数 行政/事业", (int_or_none(sh.v(r0, c0 + 2)), int_or_none(sh.v(r0 + 1, c0 + 2))),
                       self.u["est"])

    # ------------------------------------------------ registration
    def check_registration(self):
        rep, cat = self.rep, "registration"
        pdf = self.pdf("registration.pdf")
        if not pdf:
            return
        w = self.where("registration.pdf")
        persons = self.persons
        outline = pdf.outline
        if not rep.ok(cat, outline is not None, w, "qpdf gives no outline"):
            return
        titles = [o.get("title") for o in outline]
        rep.eq(cat, w, "outline titles", titles, ["%d %s" % (i + 1, p["name"]) for i, p in enumerate(persons)])
        starts = [o.get("destpageposfrom1") for o in outline]
        if not persons or len(starts) != len(persons) or any(not isinstance(s, int) for s in starts):
            return
        rep.ok(cat, starts == sorted(starts) and starts[0] == 1, w, "outline pages not ascending from 1: %s" % starts)
        rep.eq(cat, w, "pages (pdftotext -layout vs -tsv)", len(pdf.pages), pdf.npages)
        for i, p in enumerate(persons):
            pw = "%s [%s %s]" % (w, p["id"], p["name"])
            lo = starts[i] - 1
            hi = (starts[i + 1] - 1) if i + 1 < len(starts) else len(pdf.pages)
            seg = pdf.pages[lo:hi]
            if not rep.ok(cat, bool(seg) and hi - lo >= 2, pw, "fewer than 2 pages (%d..%d)" % (lo + 1, hi)):
                continue
            if self.chk.split:
                sp = self.pdfs.get(self.path(os.path.join("registration", p["id"] + ".pdf")))
                if rep.ok(cat, sp is not None, pw, "--split: registration/%s.pdf missing" % p["id"]):
                    rep.eq(cat, pw, "registration/%s.pdf text (vs its pages in registration.pdf)" % p["id"],
                           [compact(x) for x in sp.pages], [compact(x) for x in seg])
            first = seg[0]
            fc = compact(first)
            want_title = REG_TITLES[p["category"]]
            others = [t for c, t in REG_TITLES.items() if c != p["category"] and t in fc]
            rep.ok(cat, want_title in fc and not others, pw,
                   "title: expected %s for %s, page has %s" % (want_title, p["category"], others))
            rep.ok(cat, "（%d年度）" % self.year in fc, pw, "year missing")
            m = re.search(r"姓\s*名\s+(\S+)", first)
            rep.eq(cat, pw, "姓名", m.group(1) if m else None, p["name"])
            if p.get("birth"):
                m = re.search(r"出生年月\s+(\S+)", first)
                rep.eq(cat, pw, "出生年月", m.group(1) if m else None, cn_month(p["birth"]))
            if p.get("post"):
                rep.ok(cat, compact(self.u["name"] + p["post"]) in fc, pw, "单位及职务 missing")
            whole = compact("".join(seg))
            m = re.search(r"考核等次建议：(.*?)签名", whole)
            want = p["label"] if p["grade"] not in (None, "none") else ""
            rep.eq(cat, pw, "考核等次建议", m.group(1) if m else None, want)
            code = p["code"]
            if code in REASON_WORDS and (code != "4" or p["status"].get("refused") == "true"):
                rep.ok(cat, REASON_WORDS[code] in whole, pw, "code %s: 情况说明 lacks %r" % (code, REASON_WORDS[code]))
                if code == "6A":
                    lab = LEAVE_LABELS.get(p["status"].get("leaveType", "sick"), "")
                    rep.ok(cat, lab in whole, pw, "code 6A: leave type %s missing" % lab)
                if code == "5C":
                    lab = SANCTION_LABELS.get(p["status"].get("sanction", ""), "")
                    rep.ok(cat, lab in whole, pw, "code 5C: sanction %s missing" % lab)
            else:
                rep.ok(cat, not any(v in whole for v in REASON_WORDS.values()), pw,
                       "code %s but a not-graded reason is printed" % code)
            # the 个人总结 comes back whole (续页 included, nothing cut)
            if p["summary"].strip():
                lines = []
                for l in "\n".join(seg).splitlines():
                    if "签名" in l or "个人总结（续页）" in l:
                        continue
                    l = re.sub(r"\s*KH1 \S+ \S+ \S+ \S+ \d+/\d+ [0-9A-F]{8}", "", l)   # the page's archive code
                    # the running head (year, unit, name) and 第 n 页 共 m 页 of every page
                    if re.match(r"^\s*\d+年度\s", l) or re.search(r"第\s*\d+\s*页\s*共\s*\d+\s*页", l):
                        continue
                    l = re.sub(r"^\s*[个人总结]\s*$", "", l)
                    l = re.sub(r"^\s*[个人总结](\s{2,})", r"\1", l)
                    lines.append(l)
                body = compact("\n".join(lines)).replace("（转续页）", "")
                want = compact(p["summary"])
                rep.ok(cat, want in body, pw, "个人总结 not found whole (%d characters; first missing near %r)"
                       % (len(want), first_missing(want, body)))

    # ------------------------------------------------ ballot
    def check_ballot(self):
        rep, cat = self.rep, "ballot"
        pdf = self.pdf("ballot.pdf")
        if not pdf:
            return
        w = self.where("ballot.pdf")
        kinds = [[p for p in self.persons if p["participates"] and (p["category"] in ADMIN_CATS) == (k == 0)]
                 for k in (0, 1)]
        want_sections = [k for k in (0, 1) if kinds[k]]
        if not want_sections:
            want_sections = [1 if self.u["kind"] == "institution" else 0]
        sections = []   # [kind, [page numbers]]
        for no, page in enumerate(pdf.pages, 1):
            c = compact(page)
            k = next((i for i, lab in enumerate(KIND_LABELS) if "（%s）" % lab in c), None)
            if k is not None:
                sections.append([k, []])
            if sections:
                sections[-1][1].append(no)
            else:
                rep.fail(cat, w, "page %d comes before any ballot title" % no)
        rep.eq(cat, w, "ballots (0 admin, 1 institution)", [s[0] for s in sections], want_sections)
        for k, pages in sections:
            labels = LABELS_ADMIN if k == 0 else LABELS_INST
            kw = "%s ballot %d" % (w, k)
            for j, no in enumerate(pages):
                c = compact(pdf.pages[no - 1])
                rep.ok(cat, "".join(labels[g] for g in GRADE_KEYS) in c, "%s page %d" % (kw, j + 1),
                       "grade columns %s missing" % "/".join(labels.values()))
                m = re.search(r"第(\d+)页共(\d+)页", c)
                if rep.ok(cat, m is not None, "%s page %d" % (kw, j + 1), "no 第 X 页 共 Y 页"):
                    x, y = int(m.group(1)), int(m.group(2))
                    rep.ok(cat, (x, y) == (j + 1, len(pages)) or (x, y) == (no, len(pdf.pages)),
                           "%s page %d" % (kw, j + 1), "footer says 第 %d 页 共 %d 页" % (x, y))
            rows = table_rows(pdf, pages[0], pages[-1])
            got = [(i, toks[0] if toks else None) for _, i, toks in rows]
            want = [(i + 1, p["name"]) for i, p in enumerate(kinds[k])]
            rep.eq(cat, kw, "rows (序号, 姓名)", got, want)
            first = compact(pdf.pages[pages[0] - 1])
            rep.ok(cat, "%s%d年度考核民主测评表" % (compact(self.u["name"]), self.year) in first and "√" in first,
                   kw, "title or tick instruction missing")
        listed = {toks[0] for _, _, toks in table_rows(pdf) if toks}
        for p in self.persons:
            if not p["participates"]:
                rep.ok(cat, p["name"] not in listed, w, "%s (code %s) does not take part but is on the ballot"
                       % (p["name"], p["code"]))

    # ------------------------------------------------ tally
    def tally_rows(self):
        rows = []
        for p in self.persons:
            if not p["participates"]:
                continue
            e, c, b, i = p["votes"]
            tot = e + c + b + i
            share = Fraction(e, tot) if tot else None
            rows.append((p, (e, c, b, i, tot), share))
        return rows

    def check_tally(self):
        rep, cat = self.rep, "tally"
        rows = self.tally_rows()
        today = self.chk.today
        pdf = self.pdf("tally.pdf")
        if pdf:
            w = self.where("tally.pdf")
            prow = table_rows(pdf)
            rep.eq(cat, w, "序号", [i for _, i, _ in prow], list(range(1, len(rows) + 1)))
            got = {i: (toks[0] if toks else None, toks[1:]) for _, i, toks in prow}
            for idx, (p, votes, share) in enumerate(rows, 1):
                pw = "%s row %d" % (w, idx)
                if idx not in got:
                    rep.fail(cat, pw, "%s missing" % p["name"])
                    continue
                name, toks = got[idx]
                rep.eq(cat, pw, "name", name, p["name"])
                nums = [t for t in toks if re.fullmatch(r"\d+(\.\d+)?%?", t)]
                want = [str(v) for v in votes] + ([pct_text(round_half_up(share, 6), 1)] if share is not None else [])
                rep.eq(cat, pw, "votes/total/share", nums, want)
                rep.ok(cat, p["label"] in toks, pw, "grade %s not on the row %s" % (p["label"], toks))
            if today:
                rep.ok(cat, "汇总日期：" + cn_date(today) in compact(pdf.text), w, "汇总日期 %s missing" % cn_date(today))
        sh = self.xlsx("tally.xlsx")
        if not sh:
            return
        w = self.where("tally.xlsx")
        hit = sh.find("序号")
        if not rep.ok(cat, bool(hit), w, "no 序号 header"):
            return
        hr, c_idx = hit[0]
        hc = header_columns(sh, hr, hr + 1)
        col = lambda k, pred=None: (hc.get(norm(k)) or [None])[0] if pred is None else \
            next((cs[0] for kk, cs in hc.items() if pred(kk)), None)
        C = dict(name=col("姓名"), e=col("优秀"), c=col("称职(合格)"), b=col("", lambda k: k.startswith("基本称职")),
                 i=col("", lambda k: k.startswith("不称职")), tot=col("合计"),
                 share=col("", lambda k: k.startswith("优秀票")), grade=col("", lambda k: k.startswith("拟定")),
                 note=col("备注"))
        if not rep.ok(cat, all(C.values()), w, "header columns not found: %s" % C):
            return
        r = hr + 2
        data = []
        while r <= sh.max_row and isinstance(int_or_none(sh.v(r, c_idx)), int):
            data.append(r)
            r += 1
        rep.eq(cat, w, "rows", len(data), len(rows))
        for (p, votes, share), r in zip(rows, data):
            pw = "%s row %d (%s)" % (w, r, p["id"])
            rep.eq(cat, pw, "姓名", sh.v(r, C["name"]), p["name"])
            rep.eq(cat, pw, "votes + total", tuple(int_or_none(sh.v(r, C[k])) for k in "ecbi") +
                   (int_or_none(sh.v(r, C["tot"])),), votes)
            got = sh.v(r, C["share"])
            if share is None:
                rep.ok(cat, got in (None, ""), pw, "share %r with no votes" % got)
            else:
                rep.ok(cat, isinstance(got, (int, float)) and abs(got - float(share)) < 1e-6, pw,
                       "优秀票比例 %r, expected %.6f" % (got, float(share)))
            rep.eq(cat, pw, "拟定等次", sh.v(r, C["grade"]), p["label"])
            note = str(sh.v(r, C["note"]) or "")
            mine = [f for f in self.ru["findings"] if f["person"] == p["id"]]
            # issue 16: the findings without the internal id, a tie with the counts the ranking
            # used, and every grade that is not the vote order's or is missing, explained
            rep.ok(cat, p["id"] not in note, pw, "备注 %r shows the internal id" % note)
            for f in mine:
                if f["code"] == "RANK_TIE":
                    want = "票，按人员编号顺序"
                else:
                    want = f["text"].replace("%s（%s）：" % (p["name"], p["id"]), "").replace("（%s）" % p["id"], "")
                rep.ok(cat, "※" in note and want in note, pw, "备注 lacks ※%s (%s)" % (want, f["code"]))
            if p["code"] in REASON_WORDS and (p["code"] != "4" or p["status"].get("refused") == "true"):
                rep.ok(cat, "※" in note and REASON_WORDS[p["code"]] in note, pw,
                       "备注 %r does not explain code %s" % (note, p["code"]))

    # ------------------------------------------------ notice
    def check_notice(self):
        rep, cat = self.rep, "notice"
        pdf = self.pdf("notice.pdf")
        if not pdf:
            return
        w = self.where("notice.pdf")
        exc = [p for p in self.persons if p["grade"] == "excellent"]
        c = compact(pdf.text)
        rep.ok(cat, "关于%s%d年度考核拟定优秀等次人员的公示" % (compact(self.u["name"]), self.year) in c, w, "title missing")
        if exc:
            rep.ok(cat, "拟确定以下%d名同志" % len(exc) in c, w, "count %d missing" % len(exc))
        else:   # templates/forms/notice.xml: no "以下0名同志" for a unit without excellent persons
            rep.ok(cat, "%d年度考核无拟确定为优秀等次的人员" % self.year in c and "以下0名同志" not in c, w,
                   "no-excellent sentence missing")
        rows = [(i, toks[0] if toks else None, " ".join(toks[1:])) for _, i, toks in table_rows(pdf)]
        rep.eq(cat, w, "listed names", sorted(r[1] for r in rows), sorted(p["name"] for p in exc))
        rep.eq(cat, w, "序号", [r[0] for r in rows], list(range(1, len(exc) + 1)))
        posts = {p["name"]: p.get("post") or "" for p in exc}
        for idx, name, post in rows:
            if name in posts and posts[name]:
                rep.ok(cat, compact(post) and compact(posts[name]).startswith(compact(post)), w,
                       "职务 of %s is %r, expected %r" % (name, post, posts[name]))
        if not exc:
            rep.ok(cat, "（无拟定优秀等次人员）" in c, w, "empty list has no （无…） row")
        notice = self.ru["notice"]
        if rep.ok(cat, notice is not None, w, "results.xml has no <notice>"):
            f, t = notice
            want = "公示时间：自%s至%s（%d个工作日）" % (cn_date(f), cn_date(t), self.pol["notice-days"])
            rep.ok(cat, want in c, w, "missing %r" % want)
            if self.u["file"]["noticeStart"]:
                rep.eq(cat, w, "notice from (results.xml) vs schedule@noticeStart", f, self.u["file"]["noticeStart"])
            # issuing unit and date close the notice, on the page of its last paragraph (GB/T 9704)
            last = compact(pdf.pages[-1]) if pdf.pages else ""
            rep.ok("notice-layout", compact(self.u["name"]) + cn_date(f) in last, w,
                   "issuing unit and date (%s) are not together on the last page" % cn_date(f))
            rep.ok("notice-layout", "联系人" in last, w,
                   "the signature block is on a page of its own (%d pages; last page: %r)"
                   % (len(pdf.pages), re.sub(r"\s+", " ", pdf.pages[-1]).strip() if pdf.pages else ""))
        cn, cp = self.u["contact"]
        if cn:
            rep.ok(cat, "联系人：" + cn in c, w, "联系人 %s missing" % cn)
        if cp:
            rep.ok(cat, "联系电话：" + cp in c, w, "联系电话 %s missing" % cp)

    # ------------------------------------------------ filing
    def check_filing(self):
        rep, cat = self.rep, "filing"
        filed = self.u["file"]["filedOn"] or self.chk.today
        pdf = self.pdf("filing.pdf")
        if pdf:
            w = self.where("filing.pdf")
            c = compact(pdf.text)
            rep.ok(cat, "%s%d年度考核结果备案表" % (compact(self.u["name"]), self.year) in c, w, "title missing")
            if filed:
                rep.ok(cat, "填报日期：" + cn_date(filed) in c, w, "填报日期 %s missing" % cn_date(filed))
            prow = table_rows(pdf)
            rep.eq(cat, w, "roster 序号", [i for _, i, _ in prow], list(range(1, len(self.persons) + 1)))
            got = {i: toks for _, i, toks in prow}
            for i, p in enumerate(self.persons, 1):
                pw = "%s roster %d" % (w, i)
                if not rep.ok(cat, i in got and got[i], pw, "row of %s missing" % p["name"]):
                    continue
                rep.eq(cat, pw, "姓名", got[i][0], p["name"])
                lab = "不参加考核" if p["code"] in ("6A", "7") else p["label"]
                rep.ok(cat, lab in got[i][1:], pw, "考核等次 %s not on the row %s" % (lab, got[i]))
        sh = self.xlsx("filing.xlsx")
        if not sh:
            return
        w = self.where("filing.xlsx")
        hit = sh.find("应参加考核人数")
        if not rep.ok(cat, bool(hit), w, "no header 应参加考核人数"):
            return
        hr = hit[0][0]
        hc = header_columns(sh, hr, hr + 1)
        one = lambda k: (hc.get(norm(k)) or [None])[0]
        C = {"expected": one("应参加考核人数"), "participants": one("参加考核人数"),
             "excellent_n": one("人数"), "share": one("比例"), "g_competent": one("称职(合格)"),
             "g_basic": one("基本称职(基本合格)"), "g_incompetent": one("不称职(不合格)"),
             "ungraded": one("不定等次"), "absent": one("不参加考核"), "places": one("核定"), "used": one("使用")}
        if not rep.ok(cat, all(C.values()), w, "header columns not found: %s" % C):
            return
        for lab, grp in (("公务员(含参公)", "admin"), ("事业单位工作人员", "institution"), ("其他人员", "other"),
                         ("合计", None)):
            hits = sh.find(lab, rows=(hr, hr + 8))
            gw = "%s %s" % (w, lab)
            if not rep.ok(cat, bool(hits), gw, "row missing"):
                continue
            r = hits[0][0]
            exp = group_counts(self.ru, self.u, grp)
            exp["used"] = exp["excellent_n"]
            for k in ("expected", "participants", "excellent_n", "g_competent", "g_basic", "g_incompetent",
                      "ungraded", "absent", "places", "used"):
                rep.eq(cat, gw, k, int_or_none(sh.v(r, C[k])), exp[k])
            got = sh.v(r, C["share"])
            if exp["participants"]:
                want = round_half_up(Fraction(exp["excellent_n"], exp["participants"]), 6)
                rep.ok(cat, isinstance(got, (int, float)) and abs(got - float(want)) < 1e-6, gw,
                       "比例 %r, expected %.6f" % (got, float(want)))
            else:
                rep.ok(cat, got in (None, ""), gw, "比例 %r with no participants" % got)
            rep.ok(cat, exp["excellent_n"] <= exp["places"] or self.ru["status"] != "ok", gw,
                   "more excellent (%d) than places (%d) in an ok unit" % (exp["excellent_n"], exp["places"]))
        # the bucket table: one row per bucket of results.xml
        hits = sh.find("优秀名额类别", exact=False)
        if rep.ok(cat, bool(hits), w, "no bucket table"):
            r0 = hits[0][0]
            hb = header_columns(sh, r0, r0)
            cols = [(hb.get(norm(k)) or [None])[0] for k in ("参加考核人数", "核定比例", "核定名额", "已使用", "未使用")]
            for j, b in enumerate(self.ru["buckets"]):
                r = r0 + 1 + j
                got = tuple(sh.v(r, c) if c else None for c in cols)
                want = (b["participants"], float(Fraction(b["ratio"])), b["places"], b["excellent"],
                        max(0, b["places"] - b["excellent"]))
                ok = all(g is not None and abs(float(g) - float(x)) < 1e-9 for g, x in zip(got, want))
                rep.ok(cat, ok, "%s bucket %s" % (w, b["name"]), "row %d is %r, expected %r" % (r, got, want))
        # the roster (花名册)
        hits = [h for h in sh.find("序号") if norm(sh.v(h[0], h[1] + 1)) == "姓名"]
        if not rep.ok(cat, bool(hits), w, "no roster"):
            return
        hr, c0 = hits[0]
        hc = header_columns(sh, hr, hr)
        one = lambda k: (hc.get(norm(k)) or [None])[0]
        C = {"name": one("姓名"), "cat": one("类别"), "grade": one("考核等次"), "note": one("备注")}
        if not rep.ok(cat, all(C.values()), w, "roster columns not found: %s" % C):
            return
        for i, p in enumerate(self.persons):
            r = hr + 1 + i
            pw = "%s roster row %d (%s)" % (w, r, p["id"])
            rep.eq(cat, pw, "序号", int_or_none(sh.v(r, c0)), i + 1)
            rep.eq(cat, pw, "姓名", sh.v(r, C["name"]), p["name"])
            rep.eq(cat, pw, "类别", sh.v(r, C["cat"]), CAT_LABELS[p["category"]])
            lab = "不参加考核" if p["code"] in ("6A", "7") else p["label"]
            rep.eq(cat, pw, "考核等次", sh.v(r, C["grade"]), lab)
            note = str(sh.v(r, C["note"]) or "")
            code = p["code"]
            if code in REASON_WORDS and (code != "4" or p["status"].get("refused") == "true"):
                rep.ok(cat, REASON_WORDS[code] in note, pw, "备注 %r lacks %r (code %s)" % (note, REASON_WORDS[code], code))
        r = hr + 1 + len(self.persons)
        rep.ok(cat, int_or_none(sh.v(r, c0)) is None or not isinstance(int_or_none(sh.v(r, c0)), int), w,
               "roster has more rows than persons")

    # ------------------------------------------------ rewards
    def streak(self, p):
        s = 1
        while p["history"].get(self.year - s) == "excellent":
            s += 1
        return s

    def check_rewards(self):
        rep, cat = self.rep, "rewards"
        rew = [p for p in self.persons if p["reward"] not in (None, "none")]
        money = self.pol["money"]
        total = sum(money.get(p["reward"], 0) for p in rew)
        for p in self.persons:
            if p["grade"] == "excellent":
                s = self.streak(p)
                want = "third-class-merit" if s % self.pol["merit-streak"] == 0 else "commendation"
                rep.eq(cat, "%s %s" % (self.u["id"], p["id"]), "reward for a %d-year streak" % s, p["reward"], want)
            else:
                rep.eq(cat, "%s %s" % (self.u["id"], p["id"]), "reward of a non-excellent", p["reward"], "none")
        mc, mm = money.get("commendation", 0), money.get("third-class-merit", 0)
        money_text = ("奖金标准：嘉奖每人%d元，记三等功每人%d元。" % (mc, mm)) if (mc > 0 or mm > 0) else "奖金按有关规定执行。"
        pdf = self.pdf("rewards.pdf")
        if pdf:
            w = self.where("rewards.pdf")
            c = compact(pdf.text)
            rep.ok(cat, "共%d人" % len(rew) in c, w, "共 %d 人 missing" % len(rew))
            rep.ok(cat, money_text in c, w, "missing %r" % money_text)
            prow = table_rows(pdf)
            rep.eq(cat, w, "序号", [i for _, i, _ in prow], list(range(1, len(rew) + 1)))
            got = {i: (toks[0] if toks else None, toks[1:]) for _, i, toks in prow}
            for i, p in enumerate(rew, 1):
                pw = "%s row %d" % (w, i)
                if i not in got:
                    continue
                rep.eq(cat, pw, "姓名", got[i][0], p["name"])
                toks = got[i][1]
                rep.ok(cat, REWARD_LABELS[p["reward"]] in toks, pw, "%s not on the row %s" % (REWARD_LABELS[p["reward"]], toks))
                m = money.get(p["reward"], 0)
                if m:
                    rep.ok(cat, toks and toks[-1] == str(m), pw, "money %d not at the row's end %s" % (m, toks))
            if total:
                m = re.search(r"共\s*%d\s*人\s+(\d+)\s*$" % len(rew), pdf.text, re.M)
                rep.eq(cat, w, "合计 money", int(m.group(1)) if m else None, total)
        sh = self.xlsx("rewards.xlsx")
        if not sh:
            return
        w = self.where("rewards.xlsx")
        rep.ok(cat, money_text in sh.all_text(), w, "missing %r" % money_text)
        hit = sh.find("奖励种类")
        if not rep.ok(cat, bool(hit), w, "no header 奖励种类"):
            return
        hr = hit[0][0]
        hc = header_columns(sh, hr, hr)
        one = lambda k: (hc.get(norm(k)) or [None])[0]
        C = {"idx": one("序号"), "name": one("姓名"), "cat": one("类别"), "streak": one("连续优秀年度"),
             "kind": one("奖励种类"), "money": one("奖金(元)")}
        if not rep.ok(cat, all(C.values()), w, "columns not found: %s" % C):
            return
        for i, p in enumerate(rew):
            r = hr + 1 + i
            pw = "%s row %d (%s)" % (w, r, p["id"])
            rep.eq(cat, pw, "序号", int_or_none(sh.v(r, C["idx"])), i + 1)
            rep.eq(cat, pw, "姓名", sh.v(r, C["name"]), p["name"])
            rep.eq(cat, pw, "奖励种类", sh.v(r, C["kind"]), REWARD_LABELS[p["reward"]])
            m = money.get(p["reward"], 0)
            rep.eq(cat, pw, "奖金", int_or_none(sh.v(r, C["money"])), m if m else None)
            s = self.streak(p)
            want = "%d年" % self.year if s <= 1 else "%d—%d年（%d年）" % (self.year - s + 1, self.year, s)
            rep.eq(cat, pw, "连续优秀年度", sh.v(r, C["streak"]), want)
        r = hr + 1 + len(rew)
        if not rew:
            r += 1   # the （本年度无奖励人员） row
        row = [norm(v) for v in sh.row_text(r)]
        rep.ok(cat, "合计" in row and "共%d人" % len(rew) in row, w, "合计 row %d is %r" % (r, row))
        rep.eq(cat, w, "合计 money", int_or_none(sh.v(r, C["money"])), total if total else None)


def first_missing(want, body):
    """The first 12 characters of want where it stops matching body (for messages)."""
    lo, hi = 0, len(want)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if want[:mid] in body:
            lo = mid
        else:
            hi = mid - 1
    return want[lo:lo + 12]


# ------------------------------------------------------------------ main

class Args:
    pass


def parse_args(argv):
    a = Args()
    a.formats = {"pdf", "xlsx"}
    a.policies = os.path.join(TREE, "templates", "policies")
    env = os.environ.get("SOURCE_DATE_EPOCH")
    a.epoch = int(env) if env and env.isdigit() else None
    a.summary = True
    a.policy = None
    a.split = False
    a.approve = False
    a.yeardirs, a.inputs = [], []
    it = iter(argv)
    for x in it:
        if x == "--formats":
            a.formats = set(next(it).split(","))
        elif x == "--policies":
            a.policies = next(it)
        elif x == "--policy":
            a.policy = next(it)
        elif x == "--epoch":
            a.epoch = int(next(it))
        elif x == "--split":
            a.split = True
        elif x == "--approve":
            a.approve = True
        elif x == "--no-summary":
            a.summary = False
        elif x in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        elif os.path.isdir(x):
            a.yeardirs.append(os.path.normpath(x))
        elif os.path.isfile(x):
            a.inputs.append(x)
        else:
            print("check_package: no such file or directory: %s" % x, file=sys.stderr)
            sys.exit(2)
    if not a.yeardirs or not a.inputs or not a.formats <= {"pdf", "xlsx"}:
        print("usage: check_package.py [--formats pdf,xlsx] YEAR_DIR... INPUT.xml...", file=sys.stderr)
        sys.exit(2)
    return a


def main(argv):
    args = parse_args(argv)
    chk = Checker(args)
    for d in args.yeardirs:
        chk.check_year(d)
    return chk.rep.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
