#!/usr/bin/python3
"""Check a year's review page as the browser built it (issue 20).

usage: check_report.py YEAR_DIR DOM.html CONSOLE.log

YEAR_DIR is OUTPUT/<year> (results.xml, MANIFEST.sha256, index.html); DOM.html
is Chromium's --dump-dom of YEAR_DIR/index.html after its script ran;
CONSOLE.log is Chromium's stderr with --enable-logging=stderr --v=0. Every
expectation is derived here from results.xml and the manifest, never from the
page itself. Prints one line per problem; exit 1 when there is any.
"""
import hashlib
import os
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

NS = "{urn:kaohe:results:1}"
problems = []


def fail(msg):
    problems.append(msg)


class Dom(HTMLParser):
    """Just what the checks need: rows of #units, the totals, the chart's
    bars, per unit section the grade and reward counts, links, ids, tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.srcs, self.tags = set(), [], [], set()
        self.rows, self.totals, self.bars = [], {}, []
        self.sections = {}
        self.section = None
        self.in_units = self.in_row = False
        self.cell = None
        self.capture = None   # (dict, key) the next text goes to
        self.tools_hidden = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if a.get("id") == "tools":
            self.tools_hidden = "hidden" in a
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        for k in ("src", "data", "xlink:href"):
            if k in a:
                self.srcs.append(a[k])
        if tag == "link" and "href" in a:
            self.srcs.append(a["href"])
        if tag == "table" and a.get("id") == "units":
            self.in_units = True
        if self.in_units and tag == "tr" and "data-status" in a:
            self.in_row = True
            self.rows.append({"status": a["data-status"], "cells": []})
        if self.in_row and tag == "td":
            self.cell = ""
        if tag == "section" and a.get("id", "").startswith("u-"):
            self.section = {"grade": {}, "reward": {}, "links": []}
            self.sections[a["id"][2:]] = self.section
        if "data-total" in a:
            self.capture = (self.totals, a["data-total"])
        if self.section is not None and "data-grade" in a:
            self.capture = (self.section["grade"], a["data-grade"])
        if self.section is not None and "data-reward" in a:
            self.capture = (self.section["reward"], a["data-reward"])
        if self.section is not None and tag == "a":
            self.section["links"].append(a.get("href"))
        if tag == "rect" and "data-ratio" in a:
            self.bars.append(a["data-ratio"])

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1]["cells"].append(self.cell.strip())
            self.cell = None
        if tag == "tr":
            self.in_row = False
        if tag == "table":
            self.in_units = False
        if tag == "section":
            self.section = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.capture:
            d, k = self.capture
            d[k] = d.get(k, "") + data
            self.capture = None


def expected_units(results):
    units = []
    for u in ET.parse(results).getroot().iter(NS + "unit"):
        b = u.findall(NS + "bucket")
        part = sum(int(x.get("participants")) for x in b)
        e = {
            "id": u.get("id"), "name": u.get("name"), "status": u.get("status"),
            "participants": part, "places": sum(int(x.get("places")) for x in b),
            "excellent": sum(int(x.get("excellent")) for x in b), "grade": {}, "reward": {},
        }
        weight = sum(float(x.get("ratio")) * int(x.get("participants")) for x in b)
        e["cap"] = weight / part if part else 0.0
        e["ratio"] = e["excellent"] / part if part else 0.0
        for p in u.findall(NS + "person"):
            g = p.get("grade")
            g = g if g in ("excellent", "competent", "basic", "incompetent") else "none"
            e["grade"][g] = e["grade"].get(g, 0) + 1
            r = p.get("reward")
            if r and r != "none":
                e["reward"][r] = e["reward"].get(r, 0) + 1
        units.append(e)
    return units


def pct(text):
    m = re.fullmatch(r"(-?[0-9.]+)%", text)
    return float(m.group(1)) / 100 if m else None


def check_table(dom, units):
    if len(dom.rows) != len(units):
        fail(f"table has {len(dom.rows)} rows, results.xml {len(units)} units")
    for row, e in zip(dom.rows, units):
        c = row["cells"]
        if len(c) != 9:
            fail(f"{e['id']}: row has {len(c)} cells")
            continue
        want = [e["id"], e["name"], "有错误" if e["status"] == "error" else "正常",
                str(e["participants"]), str(e["places"]), str(e["excellent"])]
        if c[:6] != want:
            fail(f"{e['id']}: row {c[:6]} != results.xml {want}")
        if row["status"] != e["status"]:
            fail(f"{e['id']}: data-status {row['status']} != {e['status']}")
        for got, exp, what in ((c[6], e["ratio"], "ratio"), (c[7], e["cap"], "cap")):
            v = pct(got)
            if v is None or abs(v - exp) > 0.00051:
                fail(f"{e['id']}: {what} shown {got}, results.xml gives {exp:.4%}")
        if e["status"] == "error" and "错误" not in c[8]:
            fail(f"{e['id']}: an error unit's 问题 cell does not say 错误: {c[8]!r}")


def check_totals(dom, units):
    want = {
        "units": len(units), "ok": sum(u["status"] != "error" for u in units),
        "errors": sum(u["status"] == "error" for u in units),
        "participants": sum(u["participants"] for u in units),
        "places": sum(u["places"] for u in units), "excellent": sum(u["excellent"] for u in units),
    }
    for k, v in want.items():
        if dom.totals.get(k, "").strip() != str(v):
            fail(f"total {k}: shown {dom.totals.get(k)!r}, results.xml gives {v}")
    part = want["participants"]
    v = pct(dom.totals.get("ratio", "").strip())
    if part and (v is None or abs(v - want["excellent"] / part) > 0.00051):
        fail(f"total ratio shown {dom.totals.get('ratio')!r}")


def check_sections(dom, units):
    for e in units:
        s = dom.sections.get(e["id"])
        if s is None:
            fail(f"{e['id']}: no section")
            continue
        got = {k: int(v) for k, v in s["grade"].items()}
        if got != e["grade"]:
            fail(f"{e['id']}: grades shown {got}, results.xml {e['grade']}")
        got = {k: int(v) for k, v in s["reward"].items()}
        if got != e["reward"]:
            fail(f"{e['id']}: rewards shown {got}, results.xml {e['reward']}")
        if e["status"] != "error" and not any(h and not h.startswith("#") for h in s["links"]):
            fail(f"{e['id']}: an error-free unit without links to its files")


def check_chart(dom, units):
    if len(dom.bars) != len(units):
        fail(f"chart has {len(dom.bars)} bars for {len(units)} units")
    for bar, e in zip(dom.bars, units):
        if abs(float(bar) - e["ratio"]) > 0.0000051:
            fail(f"{e['id']}: chart bar {bar}, results.xml gives {e['ratio']}")


def check_links(dom, year_dir):
    listed = {}
    with open(os.path.join(year_dir, "MANIFEST.sha256"), encoding="utf-8") as f:
        for line in f:
            h, name = line.rstrip("\n").split("  ", 1)
            listed[name] = h
    page = os.path.join(year_dir, "index.html")
    if listed.get("index.html") != hashlib.sha256(open(page, "rb").read()).hexdigest():
        fail("index.html is not in the manifest with its hash")
    for href in dom.links:
        if href.startswith("#"):
            if href[1:] not in dom.ids:
                fail(f"link {href}: no such id on the page")
        elif re.match(r"^[a-z][a-z0-9+.-]*:|^//|^/", href, re.I) or ".." in href.split("/"):
            fail(f"link {href} leaves the package")
        elif href not in listed or not os.path.isfile(os.path.join(year_dir, href)):
            fail(f"link {href}: not a file of the package")
    for src in dom.srcs:
        fail(f"the page loads {src}: it must be self-contained")
    for tag in ("iframe", "img", "link", "object", "embed"):
        if tag in dom.tags:
            fail(f"the page has <{tag}>: it must be self-contained")


def check_console(log):
    for line in open(log, encoding="utf-8", errors="replace"):
        if ":CONSOLE" in line:
            fail(f"console: {line.strip()}")


def main():
    year_dir, dom_path, log = sys.argv[1:4]
    dom = Dom()
    dom.feed(open(dom_path, encoding="utf-8").read())
    units = expected_units(os.path.join(year_dir, "results.xml"))
    check_table(dom, units)
    check_totals(dom, units)
    check_sections(dom, units)
    check_chart(dom, units)
    check_links(dom, year_dir)
    check_console(log)
    if dom.tools_hidden is not False:
        fail("the script did not run: the sort/filter tools are still hidden")
    for p in problems[:50]:
        print(p)
    print(f"check_report: {len(units)} units, {len(dom.links)} links, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
