/* Hostile input (issue 6): the binary ($KAOHE) on every file of
 * tests/hostile/ and on large inputs generated here at test time. Each run
 * must give the documented exit status and a Chinese message with a stable
 * code and file:line:column, never crash, never hang, never write outside
 * OUTPUT; when an input is processed, every person of it is in results.xml
 * and the run says so. Tests run in tests/; scratch goes to /tmp/hostile-*. */
#include "../hostile/harness.h"

#include <libxml/xmlreader.h>
#include <zlib.h>

/* the time limit of each run is h_run's; this is only the last resort */
TestSuite(hostile, .timeout = 1800, .fini = h_boxes_cleanup);

/* The Chinese text each code's message carries (msg.c). */
static const char *zh_of(const char *code)
{
    static const struct { const char *code, *zh; } t[] = {
        { "XML_MALFORMED", "XML 格式错误" },
        { "SCHEMA_INVALID", "不符合输入格式规范" },
        { "DOCTYPE_REFUSED", "拒绝处理含 DOCTYPE 的文件" },
        { "INPUT_LIMIT", "输入超出处理上限" },
        { "INPUT_UNREADABLE", "无法读取输入文件" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].code, code)) return t[i].zh;
    return code;
}

/* <person> elements of an input file, counted by libxml2 independently of
 * kaohe (only for inputs without a DOCTYPE). */
static long input_persons(const char *path)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    cr_assert(r, "cannot read %s", path);
    long n = 0;
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1)
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
            !strcmp((const char *)xmlTextReaderConstLocalName(r), "person") &&
            xmlTextReaderConstNamespaceUri(r) &&
            !strcmp((const char *)xmlTextReaderConstNamespaceUri(r), "urn:kaohe:appraisal:1"))
            n++;
    xmlFreeTextReader(r);
    cr_assert_eq(ret, 0, "%s is not well-formed", path);
    return n;
}

static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0) return false;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80) return false;
    }
    return true;
}

/* A refused input's message: its code, its Chinese text, file:line[:col]
 * with the path as given, valid UTF-8, one line. */
static void expect_message(const char *err, const char *file, const char *code, const char *loc)
{
    char *tag = h_printf("[%s]", code);
    cr_expect(strstr(err, tag), "%s: no %s in:\n%s", file, tag, err);
    cr_expect(strstr(err, zh_of(code)), "%s: no Chinese text '%s' in:\n%s", file, zh_of(code), err);
    char *where = h_printf("%s%s", file, loc);
    cr_expect(strstr(err, where), "%s: message does not name %s:\n%s", file, where, err);
    cr_expect(utf8_ok(err), "%s: message is not valid UTF-8", file);
    const char *line = strstr(err, where);
    if (line) {
        const char *nl = strchr(line, '\n');
        cr_expect(nl && strstr(line, tag) && strstr(line, tag) < nl, "%s: message is not one line:\n%s", file, err);
    }
    free(tag);
    free(where);
}

/* --- files of the corpus that must be refused (exit 3) ------------------- */

typedef struct refused {
    const char *file, *code, *loc;
} refused;

static const refused corpus_refused[] = {
    { "malformed-mismatched.xml", "XML_MALFORMED", ":5:10" },
    { "malformed-truncated.xml", "XML_MALFORMED", ":4:" },
    { "two-roots.xml", "XML_MALFORMED", ":5:" },
    { "empty-file.xml", "XML_MALFORMED", ":1:" },
    { "bom-only.xml", "XML_MALFORMED", ":1:" },
    { "binary-junk.xml", "XML_MALFORMED", ":1:" },
    { "encoding-unknown.xml", "XML_MALFORMED", ":1:" },
    { "ucs4-bad-encoding.xml", "XML_MALFORMED", ":1:" },      /* fuzz: libxml2 printed to stderr */
    { "iso2022-bad-bytes.xml", "XML_MALFORMED", ":1:" },      /* fuzz: and reported a schema error */
    { "undefined-entity.xml", "XML_MALFORMED", ":3:29" },
    { "invalid-utf8.xml", "XML_MALFORMED", ":4:" },
    { "utf8-overlong.xml", "XML_MALFORMED", ":4:" },
    { "utf8-surrogate.xml", "XML_MALFORMED", ":4:" },
    { "control-char.xml", "XML_MALFORMED", ":4:" },
    { "control-charref.xml", "XML_MALFORMED", ":4:35" },
    { "nul-byte.xml", "XML_MALFORMED", ":4:" },
    { "nul-charref.xml", "XML_MALFORMED", ":4:33" },
    { "wrong-namespace.xml", "SCHEMA_INVALID", ":2:1" },
    { "no-namespace.xml", "SCHEMA_INVALID", ":2:1" },
    { "xxe-file.xml", "DOCTYPE_REFUSED", ":2:1" },
    { "xxe-network.xml", "DOCTYPE_REFUSED", ":4:1" },       /* after a comment and a PI */
    { "xxe-parameter.xml", "DOCTYPE_REFUSED", ":2:1" },
    { "xxe-ucs4.xml", "DOCTYPE_REFUSED", ":2:1" },            /* UCS-4 without a BOM */
    { "billion-laughs.xml", "DOCTYPE_REFUSED", ":2:1" },
    { "ebcdic-laughs.xml", "XML_MALFORMED", ":1:1" },          /* the guard cannot read EBCDIC */
    { "id-dotdot.xml", "SCHEMA_INVALID", ":3:1" },
    { "id-slash.xml", "SCHEMA_INVALID", ":3:1" },
    { "id-absolute.xml", "SCHEMA_INVALID", ":3:1" },
    { "id-dot.xml", "SCHEMA_INVALID", ":3:1" },
    { "id-empty.xml", "SCHEMA_INVALID", ":3:1" },
    { "id-space.xml", "SCHEMA_INVALID", ":3:1" },
    { "id-too-long.xml", "SCHEMA_INVALID", ":3:1" },
    { "id-unicode.xml", "SCHEMA_INVALID", ":3:1" },
    { "id-person-dotdot.xml", "SCHEMA_INVALID", ":3:1" },
    { "policy-path.xml", "SCHEMA_INVALID", ":2:1" },
    { "votes-negative.xml", "SCHEMA_INVALID", ":3:1" },
    { "votes-enormous.xml", "SCHEMA_INVALID", ":3:1" },
    { "count-over-limit.xml", "SCHEMA_INVALID", ":3:1" },
    { "months-negative.xml", "SCHEMA_INVALID", ":3:1" },
    { "months-enormous.xml", "SCHEMA_INVALID", ":3:1" },
    { "score-enormous.xml", "SCHEMA_INVALID", ":3:1" },
    { "score-huge-decimal.xml", "SCHEMA_INVALID", ":3:1" },
    { "year-huge.xml", "SCHEMA_INVALID", ":2:1" },
    { "year-negative.xml", "SCHEMA_INVALID", ":2:1" },
    { "series-zero.xml", "SCHEMA_INVALID", ":3:1" },
    { "series-enormous.xml", "SCHEMA_INVALID", ":3:1" },
    { "date-13-45.xml", "SCHEMA_INVALID", ":3:1" },
    { "date-feb-30.xml", "SCHEMA_INVALID", ":3:1" },
    { "date-with-timezone.xml", "SCHEMA_INVALID", ":3:1" },
    { "birth-month-13.xml", "SCHEMA_INVALID", ":3:1" },
    { "sanction-year-bad.xml", "SCHEMA_INVALID", ":3:1" },
    { "ratio-1e308.xml", "SCHEMA_INVALID", ":3:1" },
    { "ratio-nan.xml", "SCHEMA_INVALID", ":3:1" },
    { "ratio-inf.xml", "SCHEMA_INVALID", ":3:1" },
    { "ratio-negative.xml", "SCHEMA_INVALID", ":3:1" },
    { "ratio-above-one.xml", "SCHEMA_INVALID", ":3:1" },
    { "ratio-too-precise.xml", "SCHEMA_INVALID", ":3:1" },
    { "category-unknown.xml", "SCHEMA_INVALID", ":3:1" },
    { "unknown-element.xml", "SCHEMA_INVALID", ":3:1" },
    { "unknown-attribute.xml", "SCHEMA_INVALID", ":3:1" },
    { "foreign-namespace-attr.xml", "SCHEMA_INVALID", ":3:1" },
    { "name-over-limit.xml", "SCHEMA_INVALID", ":4:1" },
};
#define N_REFUSED (sizeof corpus_refused / sizeof corpus_refused[0])

/* Each alone: exit 3, one message, nothing written anywhere. */
Test(hostile, corpus_refused_each_alone)
{
    for (size_t i = 0; i < N_REFUSED; i++) {
        const refused *t = &corpus_refused[i];
        h_box b;
        h_box_open(&b);
        char *in = h_printf("hostile/%s", t->file);
        char *abs = h_abs(in);
        h_result r;
        h_run_opts o = { .timeout = 30 };
        h_run(&r, &b, &o, (char *[]){ "kaohe", "build", "-q", "-j", "2", "-o", b.out, abs, NULL });
        cr_expect_eq(r.status, 3, "%s: exit %d, want 3\n%s", t->file, r.status, r.err);
        expect_message(r.err, t->file, t->code, t->loc);
        cr_expect_eq(h_count(r.err, "\n"), 1, "%s: want exactly one message:\n%s", t->file, r.err);
        cr_expect_eq(h_count_files(b.out), 0, "%s: files were written for a refused input", t->file);
        h_assert_nothing_outside(&b);
        h_result_free(&r);
        h_box_close(&b);
        free(in);
        free(abs);
    }
}

/* All at once with a valid file: every bad file is named with its code, the
 * valid file completes and is fully accounted for. */
Test(hostile, corpus_refused_together_valid_file_completes)
{
    h_box b;
    h_box_open(&b);
    char *argv[N_REFUSED + 16];
    int n = 0;
    argv[n++] = "kaohe";
    argv[n++] = "build";
    argv[n++] = "-j";
    argv[n++] = "2";
    argv[n++] = "-o";
    argv[n++] = b.out;
    for (size_t i = 0; i < N_REFUSED; i++) {
        char *rel = h_printf("hostile/%s", corpus_refused[i].file);
        argv[n++] = h_abs(rel);
        free(rel);
    }
    char *valid = h_abs("data/valid-small.xml");
    argv[n++] = valid;
    argv[n] = NULL;
    h_result r;
    h_run_opts o = { .timeout = 60 };
    h_run(&r, &b, &o, argv);
    cr_expect_eq(r.status, 3, "exit %d, want 3\n%s", r.status, r.err);
    for (size_t i = 0; i < N_REFUSED; i++)
        expect_message(r.err, corpus_refused[i].file, corpus_refused[i].code, corpus_refused[i].loc);
    char *year = h_printf("%s/2025", b.out);
    long in = input_persons(valid);
    cr_expect_eq(h_results_persons(year), in, "results.xml does not account for the valid file's %ld persons", in);
    long si, so;
    cr_expect(h_stated_persons(r.err, &si, &so), "the run does not state persons in / out:\n%s", r.err);
    cr_expect(si == in && so == in, "stated %ld in, %ld out; want %ld", si, so, in);
    char *x = h_printf("%s/results.xml", year);
    char *res = h_slurp(x, NULL);
    cr_assert(res);
    cr_expect(strstr(res, "<unit id=\"U001\"") && strstr(res, "<unit id=\"U002\""));
    cr_expect_null(strstr(res, "\"H1\""), "a unit of a refused file was processed");
    h_tree t = h_check_tree(b.out);
    cr_expect_eq(t.bad, 0);
    cr_expect_eq(t.temps, 0, "%d temp files left", t.temps);
    h_assert_nothing_outside(&b);
    free(res);
    free(x);
    free(year);
    for (int i = 6; argv[i]; i++) free(argv[i]);
    h_result_free(&r);
    h_box_close(&b);
}

/* --- inputs that are processed (exit 0 or 1) ------------------------------ */

typedef struct processed {
    const char *file;
    int status;
} processed;

static const processed corpus_processed[] = {
    { "duplicate-ids.xml", 1 },
    { "bidi-overrides.xml", 0 },
    { "formula-strings.xml", 0 },
    { "empty-units.xml", 0 },
    { "empty-appraisal.xml", 0 },
    { "markup-in-text.xml", 1 },
    { "whitespace-in-names.xml", 1 },
    { "c1-controls.xml", 1 },
    { "name-at-limit.xml", 0 },
    { "gb18030.xml", 0 },
};

/* Build one processed input; check status, accounting, the tree. Returns
 * the result (caller frees) with the box still open. */
static void build_processed(h_box *b, const char *file, int want, h_result *r)
{
    h_box_open(b);
    char *rel = h_printf("hostile/%s", file);
    char *abs = h_abs(rel);
    h_run_opts o = { .timeout = 60 };
    h_run(r, b, &o, (char *[]){ "kaohe", "build", "-j", "2", "-o", b->out, abs, NULL });
    cr_expect_eq(r->status, want, "%s: exit %d, want %d\n%s", file, r->status, want, r->err);
    long in = input_persons(abs);
    char *year = h_printf("%s/2025", b->out);
    long out = h_results_persons(year);
    /* a run without any unit writes no results.xml (nothing to account for) */
    if (in == 0 && out < 0) out = 0;
    cr_expect_eq(out, in, "%s: %ld persons in, %ld in results.xml", file, in, out);
    long si = -1, so = -1;
    cr_expect(h_stated_persons(r->err, &si, &so), "%s: the run does not state persons in / out:\n%s", file, r->err);
    cr_expect(si == in && so == in, "%s: stated %ld in, %ld out; want %ld", file, si, so, in);
    char *cmd = h_printf("test ! -e '%s/results.xml' || xmllint --noout '%s/results.xml' 2>/dev/null", year, year);
    cr_expect_eq(system(cmd), 0, "%s: results.xml is not well-formed", file);
    h_tree t = h_check_tree(b->out);
    cr_expect_eq(t.bad, 0, "%s: broken files in the output", file);
    cr_expect_eq(t.temps, 0, "%s: %d temp files left", file, t.temps);
    h_assert_nothing_outside(b);
    free(cmd);
    free(year);
    free(rel);
    free(abs);
}

Test(hostile, corpus_processed_accounts_for_everyone)
{
    for (size_t i = 0; i < sizeof corpus_processed / sizeof corpus_processed[0]; i++) {
        h_box b;
        h_result r;
        build_processed(&b, corpus_processed[i].file, corpus_processed[i].status, &r);
        h_result_free(&r);
        h_box_close(&b);
    }
}

/* openpyxl over every XLSX of a year: each string cell a spreadsheet would
 * take for a formula once edited (= + - @ first, after spaces or U+3000, or
 * full-width) has the quote prefix, no other cell has it; prints how many
 * such cells, or the first wrong one (exit 1). */
static const char *PY_QUOTE_PREFIX =
    "import sys, glob, openpyxl\n"
    "def like(v):\n"
    "    v = v.lstrip(' \\u3000')\n"
    "    return v[:1] in ('=', '+', '-', '@', '\\t', '\\r', '\\uff1d', '\\uff0b', '\\uff0d', '\\uff20')\n"
    "n = 0\n"
    "for p in sorted(glob.glob(sys.argv[1] + '/**/*.xlsx', recursive=True)):\n"
    "    for ws in openpyxl.load_workbook(p).worksheets:\n"
    "        for row in ws.iter_rows():\n"
    "            for c in row:\n"
    "                want = c.data_type == 's' and isinstance(c.value, str) and like(c.value)\n"
    "                if bool(c.quotePrefix) != want: print('WRONG', p, ws.title, c.coordinate, repr(c.value)); sys.exit(1)\n"
    "                n += want\n"
    "print('QUOTED', n)\n";

/* Run cmd, which ends in PY_QUOTE_PREFIX: it must succeed and find at
 * least `least` quoted cells in what. */
static void expect_quoted(const char *cmd, int least, const char *what)
{
    FILE *f = popen(cmd, "r");
    cr_assert(f);
    char line[4096] = "";
    size_t got = fread(line, 1, sizeof line - 1, f);
    line[got] = '\0';
    int st = pclose(f);
    cr_expect_eq(st, 0, "%s: quote prefix: %s", what, line);
    cr_expect(strncmp(line, "QUOTED ", 7) == 0 && atoi(line + 7) >= least, "%s: too few quoted cells: %s", what, line);
}

/* Text starting = + - @ stays text in every XLSX: it is a string cell,
 * never inside a formula, with the quote prefix (so it stays text when the
 * cell is edited). */
Test(hostile, formula_like_text_stays_text_in_xlsx)
{
    h_box b;
    h_result r;
    build_processed(&b, "formula-strings.xml", 0, &r);
    char *dir = h_printf("%s/2025/F1", b.out);
    static const char *const xlsx[] = { "filing.xlsx", "tally.xlsx", "quota-application.xlsx", "rewards.xlsx" };
    bool seen_name = false;
    for (size_t i = 0; i < sizeof xlsx / sizeof xlsx[0]; i++) {
        char *p = h_printf("%s/%s", dir, xlsx[i]);
        cr_assert(h_exists(p), "missing %s", p);
        char *cmd = h_printf("unzip -p '%s' 'xl/worksheets/*.xml' 'xl/sharedStrings.xml' 2>/dev/null", p);
        FILE *f = popen(cmd, "r");
        cr_assert(f);
        size_t cap = 1 << 16, len = 0, got;
        char *x = malloc(cap);
        while ((got = fread(x + len, 1, cap - len - 1, f)) > 0) {
            len += got;
            if (cap - len < 1024) x = realloc(x, cap *= 2);
        }
        x[len] = '\0';
        pclose(f);
        /* no formula mentions the hostile text */
        for (const char *fm = x; (fm = strstr(fm, "<f>")); fm += 3) {
            const char *end = strstr(fm, "</f>");
            cr_assert(end);
            char *body = strndup(fm + 3, (size_t)(end - fm - 3));
            cr_expect(!strstr(body, "1+2") && !strstr(body, "cmd") && !strstr(body, "WEBSERVICE") &&
                          !strstr(body, "HYPERLINK") && !strstr(body, "SUM(A1"),
                      "%s: user text became a formula: %s", xlsx[i], body);
            free(body);
        }
        if (strstr(x, ">=1+2<")) seen_name = true;
        free(x);
        free(cmd);
        free(p);
    }
    cr_expect(seen_name, "the name '=1+2' is not a text cell in any XLSX");
    char *year = h_printf("%s/2025", b.out), *py = h_printf("%s/quote.py", b.cap);
    FILE *pf = fopen(py, "w");
    cr_assert(pf);
    fputs(PY_QUOTE_PREFIX, pf);
    fclose(pf);
    /* the forms and the summary: the unit's name, the persons' names,
     * post, rank and comment */
    char *cmd = h_printf("/usr/bin/python3 '%s' '%s' 2>&1", py, year);
    expect_quoted(cmd, 20, "the forms");
    free(cmd);
    /* the archive's report.xlsx: a scan whose file name starts like a
     * formula (the blank ballot, which carries no code: an unrecognised
     * page, listed by its file name) */
    cmd = h_printf("cd '%s' && pdftoppm -r 60 -png -f 1 -l 1 '%s/ballot.pdf' s && mv s-1.png '=1+2.png' && "
                   "'%s' archive -o arch --package '%s' '=1+2.png' >/dev/null 2>&1; "
                   "/usr/bin/python3 '%s' arch 2>&1", b.cap, dir, h_kaohe(), year, py);
    expect_quoted(cmd, 1, "the archive's report");
    free(cmd);
    /* the roster written from the same input (roster-template --from): its
     * names, unit name, posts and comments */
    char *in = h_abs("hostile/formula-strings.xml");
    cmd = h_printf("cd '%s' && mkdir roster && '%s' roster-template --from '%s' -o roster/r.xlsx >/dev/null 2>&1 && "
                   "/usr/bin/python3 '%s' roster 2>&1", b.cap, h_kaohe(), in, py);
    expect_quoted(cmd, 10, "the roster");
    free(cmd);
    free(in);
    free(py);
    free(year);
    free(dir);
    h_result_free(&r);
    h_box_close(&b);
}

/* Names with tabs and line breaks (as character references) and C1
 * controls never break findings.txt's one-finding-per-line format
 * (checked by h_check_tree) nor a message line. */
Test(hostile, control_characters_keep_findings_one_per_line)
{
    static const char *const files[] = { "whitespace-in-names.xml", "c1-controls.xml" };
    for (size_t i = 0; i < 2; i++) {
        h_box b;
        h_result r;
        build_processed(&b, files[i], 1, &r);
        char *p = h_printf("%s/2025/findings.txt", b.out);
        char *x = h_slurp(p, NULL);
        cr_assert(x);
        cr_expect_eq(h_count(x, "\n"), 1, "%s: want one finding line:\n%s", files[i], x);
        cr_expect_null(strstr(x, "\xC2\x9B"), "%s: a C1 control reached findings.txt", files[i]);
        free(x);
        free(p);
        h_result_free(&r);
        h_box_close(&b);
    }
}

/* Characters outside the BMP and outside the role fonts (𠮷, Thai, emoji)
 * print from the fallback faces, unreported; a character no face has
 * (U+10FFFD) is reported with its person and field, never dropped
 * silently. */
Test(hostile, characters_missing_from_fonts_are_reported)
{
    h_box b;
    h_result r;
    build_processed(&b, "missing-glyphs.xml", 0, &r);
    /* they are the unit's warnings: findings.txt (and results.xml) */
    char *p = h_printf("%s/2025/findings.txt", b.out);
    char *x = h_slurp(p, NULL);
    cr_assert(x, "no findings.txt");
    cr_expect(strstr(x, "FONT_MISSING_GLYPH") || strstr(x, "NON_BMP_CHAR"),
              "characters missing from the fonts are not reported:\n%s", x);
    cr_expect(strstr(x, "U+10FFFD") && strstr(x, "GP1") && strstr(x, "post"),
              "the report does not name the character, person and field:\n%s", x);
    cr_expect(!strstr(x, "U+20BB7") && !strstr(x, "U+0E01") && !strstr(x, "NON_BMP_CHAR"),
              "characters a fallback face prints are reported:\n%s", x);
    free(x);
    free(p);
    h_result_free(&r);
    h_box_close(&b);
}

/* --- large inputs generated at test time ------------------------------------ */

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
             "<appraisal xmlns=\"urn:kaohe:appraisal:1\" year=\"2025\" policy=\"national\">\n"

static FILE *gen_open(const h_box *b, const char *name, char **path)
{
    *path = h_printf("%s/%s", b->cap, name);
    FILE *f = fopen(*path, "wb");
    cr_assert(f, "%s: %s", *path, strerror(errno));
    return f;
}

static void gen_close(FILE *f)
{
    cr_assert_eq(ferror(f), 0);
    cr_assert_eq(fclose(f), 0);
}

/* Build `path` alone: exit 3, the message, nothing written, within
 * `limit` seconds and `rss_mb` of memory. */
static void expect_refused(h_box *b, const char *path, const char *code, const char *loc, double limit,
                           long rss_mb)
{
    h_result r;
    h_run_opts o = { .timeout = limit };
    h_run(&r, b, &o, (char *[]){ "kaohe", "build", "-q", "-o", b->out, (char *)path, NULL });
    const char *base = strrchr(path, '/') + 1;
    cr_expect_eq(r.status, 3, "%s: exit %d, want 3\n%.2000s", base, r.status, r.err);
    expect_message(r.err, base, code, loc);
    cr_expect_lt(strlen(r.err), 2000, "%s: message of %zu bytes", base, strlen(r.err));
    if (h_slow() == 1)
        cr_expect_lt(r.maxrss_kb, rss_mb * 1024, "%s: peak memory %ld MB", base, r.maxrss_kb / 1024);
    cr_expect_eq(h_count_files(b->out), 0, "%s: files were written for a refused input", base);
    h_assert_nothing_outside(b);
    h_result_free(&r);
}

Test(hostile, text_node_of_100_mb)
{
    H_SKIP_IF_HEAVY("100 MB through libxml2; the 40 KB and 100 KB inputs of the other tests cover the paths");
    h_box b;
    h_box_open(&b);
    char *p;
    FILE *f = gen_open(&b, "huge-text.xml", &p);
    fputs(HEAD "  <unit id=\"T1\" name=\"某局\">\n    <person id=\"TP1\" name=\"张三\" category=\"other\"><summary>", f);
    char chunk[1 << 16];
    for (size_t i = 0; i + 3 <= sizeof chunk; i += 3) memcpy(chunk + i, "总", 3);
    size_t cl = sizeof chunk / 3 * 3;
    for (size_t n = 0; n < 100u << 20; n += cl) fwrite(chunk, 1, cl, f);
    fputs("</summary></person>\n  </unit>\n</appraisal>\n", f);
    gen_close(f);
    expect_refused(&b, p, "XML_MALFORMED", ":4:", 60, 256);
    free(p);
    h_box_close(&b);
}

static void laughs(FILE *f)
{
    fputs("<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n", f);
    for (int i = 1; i <= 9; i++) {
        fprintf(f, " <!ENTITY lol%d \"", i);
        for (int k = 0; k < 10; k++) fprintf(f, i == 1 ? "&lol;" : "&lol%d;", i - 1);
        fputs("\">\n", f);
    }
    fputs("]>\n" "<appraisal xmlns=\"urn:kaohe:appraisal:1\">\n"
          "  <unit id=\"H1\" name=\"&lol9;\"><person id=\"HP1\" name=\"&lol9;\" category=\"other\"/></unit>\n"
          "</appraisal>\n", f);
}

/* A DOCTYPE hidden behind a 100 KB comment, in UTF-16, or after a PI is
 * still refused before libxml2 parses it. */
Test(hostile, doctype_behind_long_comment_or_in_utf16)
{
    h_box b;
    h_box_open(&b);
    char *p;
    FILE *f = gen_open(&b, "laughs-after-comment.xml", &p);
    fputs("<?xml version=\"1.0\"?>\n<!--", f);
    for (int i = 0; i < 100000; i++) fputc(i % 80 ? 'x' : '\n', f);
    fputs("-->\n<?pi <!DOCTYPE ?>\n", f);
    laughs(f);
    gen_close(f);
    /* the comment spans lines 2..1252; the DOCTYPE starts the line after the PI */
    expect_refused(&b, p, "DOCTYPE_REFUSED", ":1254:1", 20, 128);
    free(p);

    /* UTF-16LE with a BOM: the guard reads code units */
    char *src = h_printf("%s/laughs8.xml", b.cap);
    f = fopen(src, "wb");
    cr_assert(f);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!-- 注释 -->\n", f);
    laughs(f);
    gen_close(f);
    size_t n;
    char *u8 = h_slurp(src, &n);
    p = h_printf("%s/laughs16.xml", b.cap);
    f = fopen(p, "wb");
    fputs("\xFF\xFE", f);
    for (const unsigned char *c = (unsigned char *)u8; *c;) {
        unsigned cp;
        if (*c < 0x80) cp = *c++;
        else { cp = (unsigned)(c[0] & 0x0F) << 12 | (unsigned)(c[1] & 0x3F) << 6 | (c[2] & 0x3F); c += 3; }
        fputc((int)(cp & 0xFF), f);
        fputc((int)(cp >> 8), f);
    }
    gen_close(f);
    expect_refused(&b, p, "DOCTYPE_REFUSED", ":3:1", 20, 128);
    free(u8);
    free(src);
    free(p);
    h_box_close(&b);
}

/* Quadratic blow-up: one 100 KB entity referenced 20,000 times. */
Test(hostile, quadratic_blowup)
{
    h_box b;
    h_box_open(&b);
    char *p;
    FILE *f = gen_open(&b, "quadratic.xml", &p);
    fputs("<?xml version=\"1.0\"?>\n<!-- x -->\n<!DOCTYPE appraisal [<!ENTITY a \"", f);
    for (int i = 0; i < 100000; i++) fputc('x', f);
    fputs("\">]>\n<appraisal xmlns=\"urn:kaohe:appraisal:1\"><unit id=\"H1\" name=\"x\">"
          "<person id=\"P1\" name=\"x\" category=\"other\"><summary>", f);
    for (int i = 0; i < 20000; i++) fputs("&a;", f);
    fputs("</summary></person></unit></appraisal>\n", f);
    gen_close(f);
    expect_refused(&b, p, "DOCTYPE_REFUSED", ":3:1", 20, 128);
    free(p);
    h_box_close(&b);
}

Test(hostile, deep_nesting)
{
    h_box b;
    h_box_open(&b);
    char *p;
    FILE *f = gen_open(&b, "deep.xml", &p);
    fputs(HEAD "  <unit id=\"D1\" name=\"x\">\n    <person id=\"DP1\" name=\"x\" category=\"other\">\n      <summary>", f);
    for (int i = 0; i < 200000; i++) fputs("<a>", f);
    for (int i = 0; i < 200000; i++) fputs("</a>", f);
    fputs("</summary></person></unit>\n</appraisal>\n", f);
    gen_close(f);
    h_result r;
    h_run_opts o = { .timeout = 20 };
    h_run(&r, &b, &o, (char *[]){ "kaohe", "build", "-q", "-o", b.out, p, NULL });
    cr_expect_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
    cr_expect(strstr(r.err, "deep.xml:5:"), "no file:line in:\n%s", r.err);
    cr_expect(strstr(r.err, "[SCHEMA_INVALID]") || strstr(r.err, "[XML_MALFORMED]"), "%s", r.err);
    cr_expect_eq(h_count_files(b.out), 0);
    h_result_free(&r);

    /* nesting of elements the schema knows nothing of, outside any unit */
    f = fopen(p, "wb");
    fputs(HEAD, f);
    for (int i = 0; i < 100000; i++) fputs("<unit>", f);
    fputs("\n</appraisal>\n", f);
    gen_close(f);
    h_run(&r, &b, &o, (char *[]){ "kaohe", "build", "-q", "-o", b.out, p, NULL });
    cr_expect_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
    cr_expect(strstr(r.err, "deep.xml:3:"), "no file:line in:\n%s", r.err);
    h_result_free(&r);
    h_assert_nothing_outside(&b);
    free(p);
    h_box_close(&b);
}

Test(hostile, name_of_5000_characters)
{
    h_box b;
    h_box_open(&b);
    char *p;
    FILE *f = gen_open(&b, "long-name.xml", &p);
    fputs(HEAD "  <unit id=\"L1\" name=\"某局\">\n    <person id=\"LP1\" category=\"civil-servant\" name=\"", f);
    for (int i = 0; i < 5000; i++) fputs("长", f);
    fputs("\"/>\n  </unit>\n</appraisal>\n", f);
    gen_close(f);
    expect_refused(&b, p, "SCHEMA_INVALID", ":4:1", 20, 128);
    free(p);
    h_box_close(&b);
}

/* libxml2 checks duplicate attributes pairwise: 200,000 attributes (or
 * namespace declarations) on one element would take a minute. */
Test(hostile, too_many_attributes)
{
    h_box b;
    h_box_open(&b);
    char *p;
    FILE *f = gen_open(&b, "many-attrs.xml", &p);
    fputs(HEAD "  <unit id=\"A1\" name=\"x\"", f);
    for (int i = 0; i < 200000; i++) fprintf(f, " a%d=\"1\"", i);
    fputs("/>\n</appraisal>\n", f);
    gen_close(f);
    expect_refused(&b, p, "INPUT_LIMIT", ":3:3", 10, 128);
    free(p);
    f = gen_open(&b, "many-ns.xml", &p);
    fputs(HEAD "  <unit id=\"A1\" name=\"x\"", f);
    for (int i = 0; i < 200000; i++) fprintf(f, "\n    xmlns:n%d='urn:%d'", i, i);
    fputs("/>\n</appraisal>\n", f);
    gen_close(f);
    expect_refused(&b, p, "INPUT_LIMIT", ":3:3", 10, 128);
    free(p);
    h_box_close(&b);
}

/* A gzip file is not silently decompressed (libxml2's file loader would, and
 * a DOCTYPE inside would pass unseen). */
Test(hostile, gzip_input_is_not_decompressed)
{
    h_box b;
    h_box_open(&b);
    static const char *const src[] = { "hostile/xxe-file.xml", "data/valid-small.xml" };
    for (int i = 0; i < 2; i++) {
        size_t n;
        char *x = h_slurp(src[i], &n);
        cr_assert(x);
        char *p = h_printf("%s/input%d.xml", b.cap, i);
        gzFile g = gzopen(p, "wb");
        cr_assert(g);
        cr_assert_eq(gzwrite(g, x, (unsigned)n), (int)n);
        gzclose(g);
        expect_refused(&b, p, "XML_MALFORMED", ":1:", 20, 128);
        free(p);
        free(x);
    }
    h_box_close(&b);
}

/* Not a regular file: refused at once, never a hang (a FIFO without a
 * writer, /dev/zero, a directory). */
Test(hostile, not_a_regular_file)
{
    h_box b;
    h_box_open(&b);
    char *fifo = h_printf("%s/fifo.xml", b.cap);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    const char *paths[] = { fifo, "/dev/zero", b.cap };
    for (int i = 0; i < 3; i++) {
        h_result r;
        h_run_opts o = { .timeout = 10 };
        h_run(&r, &b, &o, (char *[]){ "kaohe", "build", "-q", "-o", b.out, (char *)paths[i], NULL });
        cr_expect_eq(r.status, 3, "%s: exit %d\n%s", paths[i], r.status, r.err);
        cr_expect(strstr(r.err, "[INPUT_UNREADABLE]") && strstr(r.err, paths[i]), "%s:\n%s", paths[i], r.err);
        cr_expect_eq(h_count_files(b.out), 0);
        h_result_free(&r);
    }
    h_assert_nothing_outside(&b);
    free(fifo);
    h_box_close(&b);
}

/* One unit of 20,000 persons: built completely, everyone accounted for. */
Test(hostile, unit_with_20000_persons)
{
    H_SKIP_IF_HEAVY("40,000 PDF pages");
    h_box b;
    h_box_open(&b);
    char *p;
    FILE *f = gen_open(&b, "big-unit.xml", &p);
    fputs(HEAD "  <unit id=\"BIG\" name=\"某市大单位\" kind=\"institution\">\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "    <person id=\"B%05d\" name=\"人员%d\" category=\"%s\"><votes excellent=\"%d\"/></person>\n", i, i,
                i % 3 ? "institution" : "other", i % 47);
    fputs("  </unit>\n</appraisal>\n", f);
    gen_close(f);
    h_result r;
    h_run_opts o = { .timeout = 200 };
    h_run(&r, &b, &o, (char *[]){ "kaohe", "build", "-j", "2", "-o", b.out, p, NULL });
    cr_expect_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
    char *year = h_printf("%s/2025", b.out);
    cr_expect_eq(h_results_persons(year), 20000);
    long si = -1, so = -1;
    cr_expect(h_stated_persons(r.err, &si, &so) && si == 20000 && so == 20000, "stated %ld / %ld:\n%s", si, so, r.err);
    h_tree t = h_check_tree(b.out);
    cr_expect_eq(t.bad, 0);
    cr_expect_eq(t.temps, 0);
    char *reg = h_printf("%s/BIG/registration.pdf", year);
    cr_expect(h_exists(reg), "no registration.pdf for the big unit");
    h_assert_nothing_outside(&b);
    free(reg);
    free(year);
    free(p);
    h_result_free(&r);
    h_box_close(&b);
}

/* --- inputs that once crashed a fuzz target (tests/fuzz/regress/) -------- */

/* Calls fn on every file of dir; the number of files. A missing directory
 * fails the test: the regression sets must never be skipped silently. */
static int each_file(const char *dir, void (*fn)(const char *path, void *arg), void *arg)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s is missing", dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *p = h_printf("%s/%s", dir, e->d_name);
        char *abs = h_abs(p);
        fn(abs, arg);
        free(abs);
        free(p);
        n++;
    }
    closedir(d);
    return n;
}

static void regress_input(const char *path, void *arg)
{
    h_box *b = arg;
    h_result r;
    h_run_opts o = { .timeout = 30 };
    h_run(&r, b, &o, (char *[]){ "kaohe", "build", "-q", "-j", "2", "-o", b->out, (char *)path, NULL });
    cr_expect(r.status == 0 || r.status == 1 || r.status == 3, "%s: exit %d\n%s", path, r.status, r.err);
    h_tree t = h_check_tree(b->out);
    cr_expect_eq(t.bad, 0, "%s", path);
    h_assert_nothing_outside(b);
    h_result_free(&r);
    h_rmtree(b->out);
}

static void regress_policy(const char *path, void *arg)
{
    h_box *b = arg;
    char *valid = h_abs("data/valid-small.xml");
    h_result r;
    h_run_opts o = { .timeout = 30 };
    h_run(&r, b, &o, (char *[]){ "kaohe", "check", "--policy", (char *)path, valid, NULL });
    cr_expect(r.status >= 0 && r.status <= 2, "%s: exit %d\n%s", path, r.status, r.err);
    if (r.status == 2) cr_expect(strstr(r.err, "[POLICY_INVALID]"), "%s:\n%s", path, r.err);
    h_result_free(&r);
    free(valid);
}

Test(hostile, fuzz_regressions)
{
    h_box b;
    h_box_open(&b);
    cr_expect_gt(each_file("fuzz/regress/ingest", regress_input, &b), 0, "no ingest regressions replayed");
    cr_expect_gt(each_file("fuzz/regress/policy", regress_policy, &b), 0, "no policy regressions replayed");
    h_box_close(&b);
}

/* --- merge trusts nothing of a shard; every file read is checked (issue 14) - */

/* Two shard runs of valid-small.xml (one unit each) in cap/s1, cap/s2. */
static void make_shards(const h_box *b, char **s1, char **s2)
{
    char *in = h_abs("data/valid-small.xml");
    *s1 = h_printf("%s/s1", b->cap);
    *s2 = h_printf("%s/s2", b->cap);
    h_run_opts o = { .timeout = 60 };
    for (int k = 1; k <= 2; k++) {
        h_result r;
        h_run(&r, b, &o, (char *[]){ "kaohe", "build", "-q", "--shard", k == 1 ? "1/2" : "2/2", "-o",
                                     k == 1 ? *s1 : *s2, in, NULL });
        cr_assert(r.status == 0 || r.status == 1, "shard %d: exit %d\n%s", k, r.status, r.err);
        h_result_free(&r);
    }
    free(in);
}

/* The first unit file a shard's manifest lists ("<unit>/<file>"). */
static char *first_unit_file(const char *shard)
{
    char *man = h_printf("%s/2025/MANIFEST.sha256", shard);
    char *m = h_slurp(man, NULL);
    cr_assert(m && strlen(m) > 66);
    char *rel = strndup(m + 66, strcspn(m + 66, "\n"));
    cr_assert(strchr(rel, '/'), "the manifest's first line is not a unit file: %s", rel);
    free(m);
    free(man);
    return rel;
}

typedef enum { T_SYMLINK, T_BYTES, T_MANIFEST_JUNK, T_MANIFEST_MISSING, T_RESULTS_FIFO, T_RESULTS_EDITED } tamper;

/* Merge refuses a tampered shard with exit 3 and a code naming the shard
 * and the file, never hangs, and writes no year. */
static void merge_refuses(tamper t, const char *what, const char *code, const char *names)
{
    h_box b;
    h_box_open(&b);
    char *s1, *s2;
    make_shards(&b, &s1, &s2);
    char *shard = s1;
    char *rel = first_unit_file(shard);
    char *file = h_printf("%s/2025/%s", shard, rel);
    char *man = h_printf("%s/2025/MANIFEST.sha256", shard);
    char *res = h_printf("%s/2025/results.xml", shard);
    switch (t) {
    case T_SYMLINK:
        cr_assert_eq(unlink(file), 0);
        cr_assert_eq(symlink("/etc/passwd", file), 0);
        break;
    case T_BYTES: {
        FILE *f = fopen(file, "r+b");
        cr_assert(f);
        fseek(f, 100, SEEK_SET);
        fputc('#', f);
        fclose(f);
        break;
    }
    case T_MANIFEST_JUNK: {
        FILE *f = fopen(man, "ab");
        fputs("not a manifest line\n", f);
        fclose(f);
        break;
    }
    case T_MANIFEST_MISSING: cr_assert_eq(unlink(man), 0); break;
    case T_RESULTS_FIFO:
        cr_assert_eq(unlink(res), 0);
        cr_assert_eq(mkfifo(res, 0600), 0);
        break;
    case T_RESULTS_EDITED: {
        char *x = h_slurp(res, NULL);
        char *g = strstr(x, "grade=\"excellent\"");
        if (g) memcpy(g, "grade=\"competent\"", 17);
        else x[strlen(x) - 3] = ' ';
        h_write(res, x, strlen(x));
        free(x);
        break;
    }
    }
    h_result r;
    h_run_opts o = { .timeout = 20 };
    h_run(&r, &b, &o, (char *[]){ "kaohe", "merge", "-o", b.out, s1, s2, NULL });
    cr_expect_eq(r.status, 3, "%s: exit %d\n%s", what, r.status, r.err);
    char *tag = h_printf("[%s]", code);
    cr_expect(strstr(r.err, tag), "%s: no %s:\n%s", what, tag, r.err);
    cr_expect(strstr(r.err, shard), "%s: the message does not name the shard:\n%s", what, r.err);
    if (names) cr_expect(strstr(r.err, names), "%s: the message does not name %s:\n%s", what, names, r.err);
    char *year = h_printf("%s/2025", b.out);
    cr_expect(!h_exists(year), "%s: a year was written from a tampered shard", what);
    cr_expect(h_count_files(b.out) == 0, "%s: files were left in OUTPUT", what);
    h_result_free(&r);
    free(tag);
    free(year);
    free(res);
    free(man);
    free(file);
    free(rel);
    free(s1);
    free(s2);
    h_box_close(&b);
}

Test(hostile, merge_refuses_tampered_shards)
{
    merge_refuses(T_SYMLINK, "a unit file is a symbolic link to /etc/passwd", "MERGE_TAMPERED", NULL);
    merge_refuses(T_BYTES, "a unit file's bytes changed", "MERGE_TAMPERED", NULL);
    merge_refuses(T_MANIFEST_JUNK, "an unparsable manifest line", "MERGE_UNREADABLE", "MANIFEST.sha256");
    merge_refuses(T_MANIFEST_MISSING, "no manifest", "MERGE_UNREADABLE", "MANIFEST.sha256");
    merge_refuses(T_RESULTS_FIFO, "results.xml is a FIFO", "MERGE_TAMPERED", "results.xml");
    merge_refuses(T_RESULTS_EDITED, "results.xml edited after the run", "MERGE_TAMPERED", "results.xml");
}

/* Policy files go through the same reader as inputs: a FIFO and /dev/zero
 * are refused at once, and a file that is not a policy is never quoted. */
Test(hostile, policy_files_are_read_safely)
{
    h_box b;
    h_box_open(&b);
    char *fifo = h_printf("%s/fifo.policy", b.cap), *shadow = h_printf("%s/shadow", b.cap);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    h_write(shadow, "root:$6$secret$hash:19000:0:99999:7:::\n", 39);
    char *valid = h_abs("data/valid-small.xml");
    const char *paths[] = { fifo, "/dev/zero", shadow };
    for (int i = 0; i < 3; i++) {
        h_result r;
        h_run_opts o = { .timeout = 10 };
        h_run(&r, &b, &o, (char *[]){ "kaohe", "check", "-p", (char *)paths[i], valid, NULL });
        cr_expect_eq(r.status, 2, "%s: exit %d\n%s", paths[i], r.status, r.err);
        cr_expect(strstr(r.err, "[POLICY_INVALID]"), "%s:\n%s", paths[i], r.err);
        cr_expect(!strstr(r.err, "secret"), "the message quotes the file:\n%s", r.err);
        cr_expect_lt(r.maxrss_kb, 200 * 1024, "%s: %ld KB read", paths[i], r.maxrss_kb);
        h_result_free(&r);
    }
    free(valid);
    free(fifo);
    free(shadow);
    h_box_close(&b);
}

/* quota --csv: a name a spreadsheet would run as a formula is text. */
Test(hostile, quota_csv_names_are_not_formulas)
{
    h_box b;
    h_box_open(&b);
    char *in = h_printf("%s/names.xml", b.cap);
    char *v = h_slurp("data/valid-small.xml", NULL);
    cr_assert(v);
    const char *from[] = { "某市财政局", "某市第一中学" };
    const char *to[] = { "=HYPERLINK(&quot;http://x&quot;)", " ＋cmd|' /C calc'!A0" };
    char *x = v;
    for (int i = 0; i < 2; i++) {
        char *at = strstr(x, from[i]);
        cr_assert(at);
        char *n = h_printf("%.*s%s%s", (int)(at - x), x, to[i], at + strlen(from[i]));
        if (x != v) free(x);
        x = n;
    }
    h_write(in, x, strlen(x));
    h_result r;
    h_run_opts o = { .timeout = 20 };
    h_run(&r, &b, &o, (char *[]){ "kaohe", "quota", "--csv", in, NULL });
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "U001,\"'=HYPERLINK(\"\"http://x\"\")\","), "%s", r.out);
    cr_expect(strstr(r.out, "U002,\"' ＋cmd|' /C calc'!A0\","), "%s", r.out);
    for (const char *l = r.out; *l; l = strchr(l, '\n') + 1) {
        const char *f = strchr(l, ',');
        cr_expect(f && f[1] == '"' && f[2] == '\'', "a name field without its quote: %.*s", (int)strcspn(l, "\n"), l);
        if (!strchr(l, '\n')) break;
    }
    h_result_free(&r);
    if (x != v) free(x);
    free(v);
    free(in);
    h_box_close(&b);
}
