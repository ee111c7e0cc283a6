#!/usr/bin/python3
"""check_pdfa.py FILE.pdf... — the structural PDF/A-2b checks that can be
made here (no veraPDF on Debian): from `qpdf --json` and `pdfinfo -meta`.
Checked: XMP metadata stream (/Type /Metadata /Subtype /XML) saying
pdfaid:part 2 and pdfaid:conformance B; an output intent /GTS_PDFA1 with an
embedded 3-component (RGB) ICC profile; a trailer /ID; no encryption; no
JavaScript or additional actions (/JS, /JavaScript, /AA); no transparency
(/SMask, transparency groups, constant alpha below 1); every font embedded
(/FontFile, /FontFile2 or /FontFile3 in every descriptor). Not checked:
colour spaces against the intent beyond that, XMP schema validity, and the
rest of ISO 19005-2 a real validator checks. Exit 1 and one line per
problem on failure."""
import json, subprocess, sys

def objects(path):
    j = json.loads(subprocess.run(["qpdf", "--json", path], check=True, capture_output=True).stdout)
    objs = j["qpdf"][1]
    return j, objs

def value(o):
    return o.get("value", o.get("stream", {}).get("dict")) if isinstance(o, dict) else o

def walk(v, fn):
    fn(v)
    if isinstance(v, dict):
        for x in v.values(): walk(x, fn)
    elif isinstance(v, list):
        for x in v: walk(x, fn)

def check(path):
    bad = []
    j, objs = objects(path)
    deref = lambda r: value(objs.get("obj:" + r, {})) if isinstance(r, str) and r.endswith(" R") else r
    if j["encrypt"]["encrypted"]: bad.append("encrypted")
    trailer = objs["trailer"]["value"]
    if "/ID" not in trailer: bad.append("no /ID in the trailer")
    root = deref(trailer["/Root"])
    meta = deref(root.get("/Metadata"))
    if not meta or meta.get("/Type") != "/Metadata" or meta.get("/Subtype") != "/XML":
        bad.append("no XMP metadata stream in the catalog")
    xmp = subprocess.run(["pdfinfo", "-meta", path], capture_output=True, text=True).stdout
    if "<pdfaid:part>2</pdfaid:part>" not in xmp or "<pdfaid:conformance>B</pdfaid:conformance>" not in xmp:
        bad.append("XMP does not say pdfaid:part 2, conformance B")
    intents = [deref(i) for i in deref(root.get("/OutputIntents", [])) or []]
    ok = [i for i in intents if i.get("/S") == "/GTS_PDFA1" and deref(i.get("/DestOutputProfile"))
          and deref(i["/DestOutputProfile"]).get("/N") == 3]
    if not ok: bad.append("no /GTS_PDFA1 output intent with an RGB ICC profile")
    found = set()
    def look(v):
        if isinstance(v, dict):
            for k in ("/JS", "/JavaScript", "/AA", "/SMask"):
                if k in v and v[k] != "/None": found.add(k)
            if v.get("/S") == "/Transparency": found.add("transparency group")
            for k in ("/CA", "/ca"):
                if k in v and isinstance(v[k], (int, float)) and v[k] < 1: found.add(k + " < 1")
            if v.get("/Type") == "/FontDescriptor" and not any(k in v for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.add("a font not embedded")
    for k, o in objs.items():
        if k.startswith("obj:"): walk(value(o), look)
    bad += sorted(found)
    with open(path, "rb") as f:
        if not f.read(8).startswith(b"%PDF-1."): bad.append("header")
    return bad

rc = 0
for p in sys.argv[1:]:
    for b in check(p):
        print(f"{p}: {b}"); rc = 1
sys.exit(rc)
