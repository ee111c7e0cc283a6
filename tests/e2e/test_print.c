/* Print-ready forms (issue 16), read back from the built sample the way an
 * officer's printer and an archivist see them: pages rendered with pdftoppm
 * (the binding zone stays white, mirrored on even pages) and text read with
 * pdftotext (each person starts on an odd page, 本页无正文 padding, every
 * registration page names its person and 第 n 页 共 m 页, the 签名 line
 * after the continued 个人总结). The binary is $KAOHE; tests run in tests/. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define EPOCH "1766966400"
#define DPI 36
#define MM(px) ((px) * 25.4 / DPI)

static char dir[256];

static const char *kaohe(void)
{
    const char *k = getenv("KAOHE");
    return k ? k : "../build/kaohe";
}

/* Run a shell command (SOURCE_DATE_EPOCH fixed); its stdout in *out
 * (malloc'd) when out is given. Returns the exit status. */
static int run(char **out, const char *fmt, ...)
{
    char cmd[2048], full[2200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "export SOURCE_DATE_EPOCH=" EPOCH "; %s", cmd);
    FILE *p = popen(full, "r");
    cr_assert(p);
    size_t cap = 1 << 16, len = 0, n;
    char *b = malloc(cap);
    while ((n = fread(b + len, 1, cap - len - 1, p)) > 0)
        if (cap - (len += n) < 4096) b = realloc(b, cap *= 2);
    b[len] = 0;
    int st = pclose(p);
    if (out) *out = b;
    else free(b);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/print-e2e-XXXXXX");
    cr_assert(mkdtemp(dir));
}

static void teardown(void) { run(NULL, "rm -rf '%s'", dir); }

TestSuite(print, .init = setup, .fini = teardown, .timeout = 600);

static void build(const char *opts)
{
    int rc = run(NULL, "%s build -q %s -o %s/out ../input/*.xml >/dev/null 2>&1", kaohe(), opts, dir);
    cr_assert_eq(rc, 0, "kaohe build %s: exit %d", opts, rc);
}

/* The PDF's pages as text (pdftotext -layout), split at form feeds. */
typedef struct pages {
    char *buf;
    char **v;
    size_t n;
} pages;

static void pages_read(pages *p, const char *pdf)
{
    memset(p, 0, sizeof *p);
    cr_assert_eq(run(&p->buf, "pdftotext -layout '%s' -", pdf), 0, "pdftotext %s", pdf);
    char *s = p->buf;
    for (char *ff; (ff = strchr(s, '\f')); s = ff + 1) {
        *ff = 0;
        p->v = realloc(p->v, (p->n + 1) * sizeof *p->v);
        p->v[p->n++] = s;
    }
}

static void pages_free(pages *p)
{
    free(p->buf);
    free(p->v);
}

/* Units of the built sample (the year's directories). */
static size_t units(char names[][32], size_t max)
{
    char path[300];
    snprintf(path, sizeof path, "%s/out/2025", dir);
    DIR *d = opendir(path);
    cr_assert(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < max;)
        if (e->d_name[0] == 'U') snprintf(names[n++], 32, "%.31s", e->d_name);
    closedir(d);
    cr_assert(n > 0);
    return n;
}

/* A person's first registration page: the one with the form's title. */
static bool is_first(const char *page) { return strstr(page, "考核登记表") && strstr(page, "（2025年度）"); }

Test(print, each_person_starts_on_an_odd_page_and_simplex_drops_the_padding)
{
    build("");
    char u[64][32];
    size_t nu = units(u, 64), padded = 0;
    for (size_t k = 0; k < nu; k++) {
        char pdf[400];
        snprintf(pdf, sizeof pdf, "%s/out/2025/%s/registration.pdf", dir, u[k]);
        pages p;
        pages_read(&p, pdf);
        cr_expect_eq(p.n % 2, 0, "%s: %zu pages, not an even count", u[k], p.n);
        for (size_t i = 0; i < p.n; i++) {
            if (is_first(p.v[i])) cr_expect_eq(i % 2, 0, "%s: a person starts on page %zu", u[k], i + 1);
            if (strstr(p.v[i], "本页无正文")) {
                padded++;
                cr_expect(i + 1 == p.n || is_first(p.v[i + 1]), "%s page %zu: padding not before a person", u[k], i + 1);
                cr_expect(!strstr(p.v[i], "姓") && !strstr(p.v[i], "签名"), "%s page %zu: padding with a form", u[k],
                          i + 1);
            }
        }
        pages_free(&p);
    }
    cr_expect(padded > 0, "the sample has persons with an odd page count");
    /* one-sided: no padding, so some person starts on an even page */
    run(NULL, "rm -rf '%s/out'", dir);
    build("--simplex");
    size_t even_starts = 0;
    for (size_t k = 0; k < nu; k++) {
        char pdf[400];
        snprintf(pdf, sizeof pdf, "%s/out/2025/%s/registration.pdf", dir, u[k]);
        pages p;
        pages_read(&p, pdf);
        for (size_t i = 0; i < p.n; i++) {
            cr_expect(!strstr(p.v[i], "本页无正文"), "--simplex: %s page %zu padded", u[k], i + 1);
            if (is_first(p.v[i]) && i % 2) even_starts++;
        }
        pages_free(&p);
    }
    cr_expect(even_starts > 0);
}

/* Every registration page: year and unit on the left of the running head,
 * the person's name on its right, 第 n 页 共 m 页 counted per person. */
Test(print, registration_pages_name_their_person_and_number_per_person)
{
    build("");
    char u[64][32];
    size_t nu = units(u, 64), checked = 0;
    for (size_t k = 0; k < nu; k++) {
        char pdf[400];
        snprintf(pdf, sizeof pdf, "%s/out/2025/%s/registration.pdf", dir, u[k]);
        pages p;
        pages_read(&p, pdf);
        size_t start = 0;
        char name[128] = "", unit[256] = "";
        for (size_t i = 0; i < p.n; i++) {
            if (is_first(p.v[i])) {
                start = i;
                size_t m = 1;
                while (start + m < p.n && !is_first(p.v[start + m])) m++;
                const char *nm = strstr(p.v[i], "姓");
                nm = nm ? strstr(nm, "名") : NULL;
                cr_assert(nm && sscanf(nm + strlen("名"), " %127s", name) == 1, "%s page %zu: 姓名", u[k], i + 1);
                /* the page count of this person */
                for (size_t j = start; j < start + m; j++) {
                    char want[64];
                    snprintf(want, sizeof want, "第 %zu 页 共 %zu 页", j - start + 1, m);
                    cr_expect(strstr(p.v[j], want), "%s page %zu: no '%s'", u[k], j + 1, want);
                }
            }
            char y[32] = "", un[256] = "", who[128] = "";
            int got = sscanf(p.v[i], " %31s %255s %127s", y, un, who);
            cr_expect_eq(got, 3, "%s page %zu: running head", u[k], i + 1);
            cr_expect_str_eq(y, "2025年度", "%s page %zu", u[k], i + 1);
            cr_expect_str_eq(who, name, "%s page %zu: the head names another person", u[k], i + 1);
            if (!*unit) snprintf(unit, sizeof unit, "%s", un);
            cr_expect_str_eq(un, unit, "%s page %zu", u[k], i + 1);
            checked++;
        }
        pages_free(&p);
    }
    cr_expect(checked > 100);
}

/* A 个人总结 that continues on a 续页 has its 签名/日期 line after the
 * text's end, on the last 续页; page 1 has none. */
Test(print, signature_line_follows_the_continued_summary)
{
    build("");
    char u[64][32];
    size_t nu = units(u, 64), continued = 0, whole = 0;
    for (size_t k = 0; k < nu; k++) {
        char pdf[400];
        snprintf(pdf, sizeof pdf, "%s/out/2025/%s/registration.pdf", dir, u[k]);
        pages p;
        pages_read(&p, pdf);
        for (size_t i = 0; i < p.n; i++) {
            if (!is_first(p.v[i])) continue;
            bool cont = i + 1 < p.n && strstr(p.v[i + 1], "个人总结（续页）");
            if (!cont) {
                whole++;
                cr_expect(strstr(p.v[i], "签名："), "%s page %zu: summary without 签名", u[k], i + 1);
                continue;
            }
            continued++;
            cr_expect(!strstr(p.v[i], "签名："), "%s page %zu: 签名 before the text ends", u[k], i + 1);
            size_t last = i + 1;
            while (last + 1 < p.n && strstr(p.v[last + 1], "个人总结（续页）")) last++;
            const char *sig = strstr(p.v[last], "签名：");
            cr_assert(sig, "%s page %zu: last 续页 without 签名", u[k], last + 1);
            /* nothing but the page number and the archive code after the 签名 line */
            const char *after = strchr(sig, '\n');
            for (const char *l = after; l && *l; l = strchr(l + 1, '\n')) {
                const char *e = strchr(l + 1, '\n');
                size_t n = e ? (size_t)(e - l - 1) : strlen(l + 1);
                char line[512];
                snprintf(line, sizeof line, "%.*s", (int)(n < 511 ? n : 511), l + 1);
                if (strspn(line, " ") == strlen(line) || strstr(line, "页 共")) continue;
                char *code = strstr(line, "KH1 ");   /* the page's archive code, bottom right */
                if (code) *code = '\0';
                if (strspn(line, " ") == strlen(line)) continue;
                cr_expect(0, "%s page %zu: text after 签名: %s", u[k], last + 1, line);
            }
        }
        pages_free(&p);
    }
    cr_expect(continued > 0 && whole > 0, "continued %zu, whole %zu", continued, whole);
}

/* A grey PGM (P5, 8 bit) of one page. */
typedef struct pgm {
    int w, h;
    unsigned char *px;
} pgm;

static bool pgm_read(const char *path, pgm *g)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    int maxv;
    bool ok = fscanf(f, "P5 %d %d %d", &g->w, &g->h, &maxv) == 3 && maxv == 255 && fgetc(f) != EOF;
    if (ok) {
        g->px = malloc((size_t)g->w * g->h);
        ok = fread(g->px, 1, (size_t)g->w * g->h, f) == (size_t)g->w * g->h;
    }
    fclose(f);
    return ok;
}

/* Leftmost and rightmost columns with ink (grey < 160), -1 when blank. */
static void ink_span(const pgm *g, int *lo, int *hi)
{
    *lo = *hi = -1;
    for (int x = 0; x < g->w; x++)
        for (int y = 0; y < g->h; y++)
            if (g->px[(size_t)y * g->w + x] < 160) {
                if (*lo < 0) *lo = x;
                *hi = x;
                break;
            }
}

/* Every portrait form of every unit, rendered: nothing within 25 mm of the
 * binding edge (left on odd pages, right on even pages of a document meant
 * for duplex), and the even pages really mirrored (ink from ~15 mm). */
Test(print, binding_zone_stays_clear_and_mirrors_on_even_pages)
{
    build("");
    const char *forms[] = {"registration", "quota-application", "ballot", "tally", "rewards", "assessment", "notice",
                           "result-notice", "incompetent"};
    char u[64][32];
    size_t nu = units(u, 64), pages_seen = 0, mirrored = 0, incompetent = 0;
    for (size_t k = 0; k < nu; k++)
        for (size_t f = 0; f < sizeof forms / sizeof *forms; f++) {
            /* four units' forms, and the 不称职 register of every unit that has one */
            if (k >= 4 && strcmp(forms[f], "incompetent")) continue;
            char pdf[400];
            snprintf(pdf, sizeof pdf, "%s/out/2025/%s/%s.pdf", dir, u[k], forms[f]);
            FILE *probe = fopen(pdf, "rb");
            if (!probe) continue;
            fclose(probe);
            incompetent += !strcmp(forms[f], "incompetent");
            run(NULL, "rm -f %s/pg-*.pgm", dir);
            cr_assert_eq(run(NULL, "pdftoppm -r %d -gray '%s' %s/pg", DPI, pdf, dir), 0);
            char *list;
            run(&list, "ls %s/pg-*.pgm | sort", dir);
            size_t pno = 0;
            for (char *l = strtok(list, "\n"); l; l = strtok(NULL, "\n")) {
                pno++;
                pgm g = {0};
                cr_assert(pgm_read(l, &g), "%s", l);
                cr_assert_lt(g.w, g.h, "%s: portrait", pdf);
                int lo, hi;
                ink_span(&g, &lo, &hi);
                free(g.px);
                if (lo < 0) continue;
                pages_seen++;
                double left = MM(lo), right = MM(g.w - 1 - hi);
                bool even = pno % 2 == 0 && strcmp(forms[f], "notice");
                if (even) {
                    cr_expect_geq(right, 24.5, "%s page %zu: ink %.1f mm from the right (binding) edge", pdf, pno,
                                  right);
                    if (left < 24) mirrored++;
                } else {
                    cr_expect_geq(left, 24.5, "%s page %zu: ink %.1f mm from the left (binding) edge", pdf, pno, left);
                }
                /* and nothing off the other side either */
                cr_expect_geq(even ? left : right, 9.5, "%s page %zu: ink near the outer edge", pdf, pno);
            }
            free(list);
        }
    cr_expect(pages_seen > 50, "%zu pages", pages_seen);
    cr_expect(mirrored > 10, "even pages shifted to the left: %zu", mirrored);
    cr_expect(incompetent > 0, "no 不称职 register in the sample");
}

/* A python check over a built package (Debian's python3, standard library
 * and pdftotext only): exit 0 when it holds, its output says why not. */
static void py_check(const char *what, const char *script)
{
    char path[300];
    snprintf(path, sizeof path, "%s/check.py", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(script, f);
    fclose(f);
    char *out;
    int rc = run(&out, "cd %s && /usr/bin/python3 check.py 2>&1", dir);
    cr_expect_eq(rc, 0, "%s:\n%s", what, out);
    free(out);
}

/* The registration form prints each person's rank (职务职级 / 岗位等级) and
 * duty (从事或分管工作), on a generated input, under the official labels:
 * 单位及职务职级 and 任现职务职级时间 (公务员 and the like), 现聘岗位（职务）及等级
 * (事业单位). */
Test(print, registration_prints_rank_and_duty)
{
    cr_assert_eq(run(NULL, "%s sample --units 3 --persons 40 --seed 7 > %s/in.xml", kaohe(), dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/out %s/in.xml >/dev/null 2>&1", kaohe(), dir, dir), 0);
    py_check("rank and duty",
             "import glob, re, subprocess, xml.etree.ElementTree as ET\n"
             "NS = '{urn:kaohe:appraisal:1}'\n"
             "bad, seen = [], 0\n"
             "for u in ET.parse('in.xml').getroot().iter(NS + 'unit'):\n"
             "    pdf = glob.glob('out/*/%s/registration.pdf' % u.get('id'))[0]\n"
             "    text = re.sub(r'\\s', '', subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True).stdout)\n"
             "    cats = {p.get('category') for p in u.iter(NS + 'person')}\n"
             "    labels = (['单位及职务职级', '任现职务职级时间'] if cats & {'civil-servant', 'managed'} else []) + \\\n"
             "             (['现聘岗位（职务）及等级'] if 'institution' in cats else [])\n"
             "    raw = re.sub(r'\\s', '', subprocess.run(['pdftotext', '-raw', pdf, '-'], capture_output=True, text=True).stdout)\n"
             "    bad += [(u.get('id'), l) for l in labels if l not in raw]   # a label's lines in drawing order\n"
             "    for p in u.iter(NS + 'person'):\n"
             "        for k in ('rank', 'duty'):\n"
             "            v = p.get(k)\n"
             "            if v:\n"
             "                seen += 1\n"
             "                if re.sub(r'\\s', '', v) not in text: bad.append((p.get('id'), k, v))\n"
             "print(seen, bad[:5]); raise SystemExit(1 if bad or seen < 40 else 0)\n");
}

/* The notice cites 公务员法/公务员考核规定 exactly when the unit has civil
 * servants or persons managed under it, 事业单位工作人员考核规定 exactly
 * when it has institution staff. */
Test(print, notice_cites_the_laws_of_its_persons)
{
    cr_assert_eq(run(NULL, "%s sample --units 8 --persons 120 --seed 3 > %s/in.xml", kaohe(), dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/out %s/in.xml >/dev/null 2>&1", kaohe(), dir, dir), 0);
    py_check("laws",
             "import glob, re, subprocess, xml.etree.ElementTree as ET\n"
             "NS = '{urn:kaohe:appraisal:1}'\n"
             "bad, kinds = [], set()\n"
             "for u in ET.parse('in.xml').getroot().iter(NS + 'unit'):\n"
             "    cats = {p.get('category') for p in u.iter(NS + 'person')}\n"
             "    pdf = glob.glob('out/*/%s/notice.pdf' % u.get('id'))\n"
             "    if not pdf: continue\n"
             "    t = re.sub(r'\\s', '', subprocess.run(['pdftotext', pdf[0], '-'], capture_output=True, text=True).stdout)\n"
             "    cs, inst = bool(cats & {'civil-servant', 'managed'}), 'institution' in cats\n"
             "    if not cs and not inst: continue\n"
             "    kinds.add((cs, inst))\n"
             "    if ('公务员法' in t) != cs or ('公务员考核规定' in t) != cs or ('事业单位工作人员考核规定' in t) != inst:\n"
             "        bad.append((u.get('id'), sorted(cats)))\n"
             "print(kinds, bad); raise SystemExit(1 if bad or len(kinds) < 2 else 0)\n");
}

/* The quota application's 组织人事部门审核意见 is the authority's: blank in
 * a unit's run, filled in only with --approve. The run's summary says its
 * problems in Chinese words and has 制表人 and 审核人 lines. */
Test(print, approval_box_blank_unless_approve_and_summary_in_words)
{
    build("");
    py_check("blank approval, summary",
             "import glob, re, subprocess\n"
             "def text(p): return re.sub(r'\\s', '', subprocess.run(['pdftotext', p, '-'], capture_output=True, text=True).stdout)\n"
             "q = glob.glob('out/2025/*/quota-application.pdf')\n"
             "bad = [p for p in q if '经审核' in text(p) or '申请比例' not in text(p)]\n"
             "s = text('out/2025/summary.pdf')\n"
             "codes = re.findall(r'[A-Z]{3,}_[A-Z_]+', s)\n"
             "print(len(q), bad, codes)\n"
             "raise SystemExit(1 if bad or not q or codes or '制表人' not in s or '审核人' not in s\n"
             "                 or '没有平时考核记录' not in s else 0)\n");
    run(NULL, "rm -rf '%s/out'", dir);
    build("--approve");
    py_check("--approve fills the approval",
             "import glob, re, subprocess\n"
             "q = glob.glob('out/2025/*/quota-application.pdf')\n"
             "bad = [p for p in q if '经审核，同意' not in re.sub(r'\\s', '', subprocess.run(['pdftotext', p, '-'],"
             " capture_output=True, text=True).stdout)]\n"
             "print(bad); raise SystemExit(1 if bad or not q else 0)\n");
}

/* New forms of the filing package: 年度考核结果通知书, one per person on a
 * sheet of its own (odd page, 本人意见 and signature), in PDF and as one
 * XLSX sheet per person; 不称职（不合格）人员情况登记表 exactly for the units
 * with such persons, naming them. Expectations from the input and
 * results.xml. */
Test(print, result_notices_and_incompetent_register)
{
    cr_assert_eq(run(NULL, "%s sample --units 6 --persons 150 --seed 11 > %s/in.xml", kaohe(), dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/out %s/in.xml >/dev/null 2>&1", kaohe(), dir, dir), 0);
    py_check("result notices",
             "import glob, re, subprocess, zipfile, xml.etree.ElementTree as ET\n"
             "A, R = '{urn:kaohe:appraisal:1}', '{urn:kaohe:results:1}'\n"
             "names = {p.get('id'): p.get('name') for p in ET.parse('in.xml').getroot().iter(A + 'person')}\n"
             "res = glob.glob('out/*/results.xml')[0]\n"
             "ydir = res.rsplit('/', 1)[0]\n"
             "bad, units, inc_units = [], 0, 0\n"
             "for u in ET.parse(res).getroot().iter(R + 'unit'):\n"
             "    if u.get('status') != 'ok': continue\n"
             "    units += 1\n"
             "    ps = list(u.iter(R + 'person'))\n"
             "    d = '%s/%s/' % (ydir, u.get('id'))\n"
             "    pages = subprocess.run(['pdftotext', '-layout', d + 'result-notice.pdf', '-'], capture_output=True, text=True).stdout.split('\\f')[:-1]\n"
             "    starts = [i for i, t in enumerate(pages) if '年度考核结果通知书' in t]\n"
             "    if len(starts) != len(ps) or any(i % 2 for i in starts) or len(pages) % 2: bad.append((u.get('id'), 'pages', starts, len(pages)))\n"
             "    for i, p in zip(starts, ps):\n"
             "        t = re.sub(r'\\s', '', pages[i])\n"
             "        want = {'excellent': '确定为优秀等次', 'none': '不定等次'}.get(p.get('grade'), '确定为')\n"
             "        if p.get('code') in ('6A', '7'): want = '不参加年度考核'\n"
             "        if names[p.get('id')] + '同志' not in t or '本人意见' not in t or '本人签名' not in t or want not in t:\n"
             "            bad.append((p.get('id'), want))\n"
             "    z = zipfile.ZipFile(d + 'result-notice.xlsx')\n"
             "    sheets = [n for n in z.namelist() if n.startswith('xl/worksheets/sheet')]\n"
             "    if len(sheets) != len(ps): bad.append((u.get('id'), 'sheets', len(sheets)))\n"
             "    inc = [names[p.get('id')] for p in ps if p.get('grade') == 'incompetent' and p.get('code') not in ('6A', '7')]\n"
             "    have = glob.glob(d + 'incompetent.pdf') and glob.glob(d + 'incompetent.xlsx')\n"
             "    if bool(inc) != bool(have): bad.append((u.get('id'), 'incompetent', inc))\n"
             "    if inc:\n"
             "        inc_units += 1\n"
             "        t = re.sub(r'\\s', '', subprocess.run(['pdftotext', d + 'incompetent.pdf', '-'], capture_output=True, text=True).stdout)\n"
             "        if '不称职（不合格）人员情况登记表' not in t or any(n not in t for n in inc): bad.append((u.get('id'), 'register'))\n"
             "print(units, inc_units, bad[:5]); raise SystemExit(1 if bad or not units or not inc_units else 0)\n");
}

/* Every spreadsheet prints one page wide, with the page breaks of its PDF:
 * LibreOffice's print of the XLSX has as many pages as kaohe's PDF of the
 * same form (ranking.xlsx used to spill its last column onto a page of its
 * own). Skipped without LibreOffice. */
Test(print, xlsx_print_one_page_wide_like_the_pdf, .timeout = 600)
{
    if (run(NULL, "command -v soffice >/dev/null") != 0) cr_skip_test("no LibreOffice (soffice)");
    build("");
    char u[64][32];
    size_t nu = units(u, 64);
    const char *files[] = {"ranking", "summary", "U/tally", "U/filing", "U/quota-application", "U/rewards",
                           "U/result-notice"};
    run(NULL, "mkdir -p %s/lo", dir);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char base[128];
        if (files[i][0] == 'U') snprintf(base, sizeof base, "%s/%s", u[nu - 1], files[i] + 2);
        else snprintf(base, sizeof base, "%s", files[i]);
        const char *name = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
        char *pdf_pages, *lo_pages;
        run(&pdf_pages, "pdfinfo %s/out/2025/%s.pdf | awk '/^Pages/ {print $2}'", dir, base);
        cr_assert_eq(run(NULL, "cd %s/lo && HOME=%s/lo timeout 300 soffice --headless --convert-to pdf "
                               "../out/2025/%s.xlsx >/dev/null 2>&1", dir, dir, base), 0, "soffice %s", base);
        run(&lo_pages, "pdfinfo %s/lo/%s.pdf | awk '/^Pages/ {print $2}'", dir, name);
        /* result-notice: a sheet per person, no 本页无正文 backs in the spreadsheet */
        if (!strcmp(name, "result-notice")) cr_expect_eq(atoi(pdf_pages), 2 * atoi(lo_pages), "%s", base);
        else cr_expect_eq(atoi(lo_pages), atoi(pdf_pages), "%s: LibreOffice prints %s pages, the PDF has %s", base,
                          lo_pages, pdf_pages);
        free(pdf_pages);
        free(lo_pages);
    }
}

/* The summary's header names every policy of the run, by title, in the
 * order the units first use them: two input files under national and
 * jiaozuo-2007 (the second's ids renamed so they do not repeat), built at
 * once and as two shards merged; each unit of results.xml carries the
 * policy its forms followed. With -p every unit follows the one given. */
Test(print, summary_names_every_policy_of_the_run)
{
    const char *k = kaohe();
    cr_assert_eq(run(NULL, "%s sample --units 3 --persons 30 --seed 5 --policy national > %s/a.xml && "
                           "%s sample --units 3 --persons 30 --seed 6 --policy jiaozuo-2007 | "
                           "sed 's/id=\"U0/id=\"V0/g; s/id=\"P0/id=\"Q0/g' > %s/b.xml", k, dir, k, dir), 0);
    const char *opts[] = {"-o %s/whole", "--shard 1/2 -o %s/s1", "--shard 2/2 -o %s/s2", "-p zhangzhou -o %s/forced"};
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
        char o[300];
        snprintf(o, sizeof o, opts[i], dir);
        cr_assert_eq(run(NULL, "%s build -q %s %s/a.xml %s/b.xml >/dev/null 2>&1", k, o, dir, dir), 0, "%s", o);
    }
    cr_assert_eq(run(NULL, "%s merge -o %s/merged %s/s1 %s/s2 >/dev/null 2>&1", k, dir, dir, dir), 0);
    cr_assert_eq(run(NULL, "cp -r ../templates/policies %s/policies", dir), 0);   /* the titles */
    py_check("policies",
             "import glob, re, subprocess, xml.etree.ElementTree as ET\n"
             "A, R = '{urn:kaohe:appraisal:1}', '{urn:kaohe:results:1}'\n"
             "def title(name):\n"
             "    for l in open('policies/%s.policy' % name, encoding='utf-8'):\n"
             "        if l.startswith('title'): return l.split(None, 1)[1].strip()\n"
             "want = {}\n"
             "for f in ('a.xml', 'b.xml'):\n"
             "    r = ET.parse(f).getroot()\n"
             "    for u in r.iter(A + 'unit'): want[u.get('id')] = r.get('policy')\n"
             "bad = []\n"
             "def check(out, force=None):\n"
             "    res = ET.parse(out + '/2025/results.xml').getroot()\n"
             "    order = []\n"
             "    for u in res.iter(R + 'unit'):\n"
             "        p = force or want[u.get('id')]\n"
             "        if u.get('policy') != p: bad.append((out, u.get('id'), u.get('policy'), p))\n"
             "        if p not in order: order.append(p)\n"
             "    t = re.sub(r'\\s', '', subprocess.run(['pdftotext', out + '/2025/summary.pdf', '-'], capture_output=True, text=True).stdout)\n"
             "    head = '考核政策：' + '；'.join(re.sub(r'\\s', '', title(p)) for p in order)\n"
             "    if head + '单位数' not in t: bad.append((out, head, t[:200]))\n"
             "    return order\n"
             "o = check('whole')\n"
             "if len(o) != 2: bad.append(('whole', o))\n"
             "if check('merged') != o: bad.append('merged order')\n"
             "if check('forced', 'zhangzhou') != ['zhangzhou']: bad.append('forced')\n"
             "print(bad[:5]); raise SystemExit(1 if bad else 0)\n");
}

/* The quota application (both variants, PDF and XLSX) prints "0" for a
 * count that is zero and "—" where there is no value: 实有编制数 and
 * 参加考核人数 are numbers (0 included) and 其他's 编制数 is —; a group's
 * 优秀等次指标 (and its 领导职务 / 一般工作人员 parts) is "N 名" when someone
 * of the unit takes part in it, 0 名 included, else —; 申请比例 is — when
 * nobody takes part. Never a blank, never "— 名". Expectations from
 * results.xml's buckets; inputs with zero places, absent groups, a unit
 * where nobody takes part, a policy that counts leaders apart, and the
 * sample; also the --approve text. */
Test(print, quota_application_zero_and_dash)
{
    const char *in = "../input/*.xml data/quota-zeros.xml data/quota-zeros-split.xml";
    cr_assert_eq(run(NULL, "%s build -q -o %s/out %s >/dev/null 2>&1", kaohe(), dir, in), 0);
    cr_assert_eq(run(NULL, "%s build -q --approve -o %s/approved %s >/dev/null 2>&1", kaohe(), dir, in), 0);
    py_check("quota application 0 and —",
             "import re, subprocess, xml.etree.ElementTree as ET, openpyxl\n"
             "R = '{urn:kaohe:results:1}'\n"
             "GROUPS = [('admin', '行政'), ('institution', '事业'), ('other', '其他人员')]\n"
             "def sq(s): return re.sub(r'\\s', '', s)\n"
             "bad, seen = [], set()\n"
             "for out in ('out', 'approved'):\n"
             "    for u in ET.parse(out + '/2025/results.xml').getroot().iter(R + 'unit'):\n"
             "        if u.get('status') != 'ok': continue\n"
             "        uid = u.get('id')\n"
             "        b = {k.get('name'): (int(k.get('participants')), int(k.get('places'))) for k in u.iter(R + 'bucket')}\n"
             "        def places(names):\n"
             "            p = sum(b[n][0] for n in names if n in b)\n"
             "            seen.add('dash' if p == 0 else 'zero' if sum(b[n][1] for n in names if n in b) == 0 else 'n')\n"
             "            return '—' if p == 0 else '%d名' % sum(b[n][1] for n in names if n in b)\n"
             "        d = '%s/2025/%s/quota-application.' % (out, uid)\n"
             "        t = sq(subprocess.run(['pdftotext', d + 'pdf', '-'], capture_output=True, text=True).stdout)\n"
             "        ws = openpyxl.load_workbook(d + 'xlsx').active\n"
             "        x = sq(''.join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None))\n"
             "        split = any('-' in n for n in b)\n"
             "        for g, label in GROUPS:\n"
             "            names = [n for n in b if n == g or n.startswith(g + '-')]\n"
             "            want = [label + '优秀等次指标：' + places(names)]\n"
             "            if split and g != 'other':\n"
             "                want.append('（领导职务%s，一般工作人员%s）' % (places([g + '-leader']), places([g + '-staff'])))\n"
             "            if out == 'approved': want.append(('、' if g != 'admin' else '优秀等次指标') + label + places(names))\n"
             "            for w in want:   # the approved PDF's two boxes interleave in pdftotext: the XLSX has them whole\n"
             "                if w not in x or (out == 'out' and w not in t): bad.append((out, uid, w))\n"
             "        nobody = not any(p for p, _ in b.values())\n"
             "        seen.add('nobody' if nobody else 'some')\n"
             "        for s in (t, x):\n"
             "            if ('申请比例：—' in s) != nobody: bad.append((out, uid, 'ratio', nobody))\n"
             "            for wrong in ('—名', '：名', '名名', '：<', '：）', '：，'):\n"
             "                if wrong in s: bad.append((out, uid, wrong))\n"
             "        # 实有编制数 (B label, C value) and 参加考核人数 (E label, F value): numbers; 其他's 编制数 —\n"
             "        cells = 0\n"
             "        for r in ws.iter_rows():\n"
             "            v = {openpyxl.utils.get_column_letter(c.column): c.value for c in r}\n"
             "            for lab, val in (('B', 'C'), ('E', 'F')):\n"
             "                if v.get(lab) in ('行政', '事业', '其他'):\n"
             "                    cells += 1\n"
             "                    ok = v.get(val) == '—' if (lab, v[lab]) == ('B', '其他') else isinstance(v.get(val), int)\n"
             "                    if not ok: bad.append((out, uid, lab + v[lab], v.get(val)))\n"
             "        if cells != 6: bad.append((out, uid, 'cells', cells))\n"
             "print(sorted(seen), bad[:8])\n"
             "raise SystemExit(1 if bad or seen != {'dash', 'zero', 'n', 'nobody', 'some'} else 0)\n");
}

/* One number format per column: in every PDF and XLSX of the sample, of an
 * input scored under each of the five schemes and of a generated input,
 * the numbers of a table column all have the same decimals (390.10 and
 * 857.10, not 390.1), and an XLSX column has one number format
 * (e2e/check_columns.py says how it finds the columns). */
Test(print, one_number_format_per_column)
{
    const char *k = kaohe();
    cr_assert_eq(run(NULL, "%s sample --units 12 --persons 240 --seed 21 > %s/gen.xml", k, dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/sample ../input/*.xml >/dev/null 2>&1", k, dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/schemes data/five-schemes.xml >/dev/null 2>&1", k, dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/gen %s/gen.xml >/dev/null 2>&1", k, dir, dir), 0);
    char *out;
    int rc = run(&out, "/usr/bin/python3 e2e/check_columns.py %s/sample/2025 %s/schemes/2025 %s/gen/2025 2>&1", dir,
                 dir, dir);
    cr_expect_eq(rc, 0, "%s", out);
    /* every scheme's sheet was there to check */
    for (int u = 1; u <= 5; u++) {
        char pdf[300];
        snprintf(pdf, sizeof pdf, "%s/schemes/2025/F0%d/assessment.pdf", dir, u);
        FILE *f = fopen(pdf, "rb");
        cr_expect(f, "%s", pdf);
        if (f) fclose(f);
    }
    free(out);
}

/* No text touches a cell border: the layout checks every page it makes
 * (layout_text_inside) and reports a line outside its cell less the padding
 * as the unit's TEXT_OUTSIDE_CELL warning. None in the sample, none in an
 * input whose every name, unit name, post, rank, duty, education and
 * contact is long (up to the schema's 200 characters, Latin words and
 * numbers mixed in), none in the names corpus. */
Test(print, no_text_outside_its_cell)
{
    const char *k = kaohe();
    cr_assert_eq(run(NULL, "%s sample --units 4 --persons 50 --seed 13 > %s/gen.xml", k, dir), 0);
    py_check("long values",
             "import re\n"
             "s = open('gen.xml', encoding='utf-8').read()\n"
             "def long(m):\n"
             "    v = m.group(2)\n"
             "    v = (v + 'Excellent-Grade-2025 第12345678号') * 8\n"
             "    return '%s=\"%s\"' % (m.group(1), v[:200])\n"
             "pat = re.compile(r'\\b(name|post|rank|duty|education|political|ethnicity)=\"([^\"]*)\"')\n"
             "n = 0\n"
             "def tag(m):   # the attributes of units, persons and contacts (not score components)\n"
             "    global n\n"
             "    t, k = pat.subn(long, m.group(0))\n"
             "    n += k\n"
             "    return t\n"
             "s = re.sub(r'<(unit|person|contact) [^>]*>', tag, s)\n"
             "open('long.xml', 'w', encoding='utf-8').write(s)\n"
             "raise SystemExit(0 if n > 300 else 1)\n");
    const char *inputs[] = {"../input/*.xml", "%s/long.xml", "data/names-corpus.xml"};
    size_t units = 0;
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        char in[300], *out;
        snprintf(in, sizeof in, inputs[i], dir);
        run(NULL, "rm -rf %s/out", dir);
        int rc = run(NULL, "%s build -q -o %s/out %s >/dev/null 2>&1", k, dir, in);
        cr_assert(rc == 0 || rc == 1, "%s: exit %d", in, rc);
        run(&out, "cat %s/out/*/findings.txt | grep TEXT_OUTSIDE_CELL | head -5", dir);
        cr_expect_str_empty(out, "%s:\n%s", in, out);
        free(out);
        run(&out, "ls -d %s/out/*/*/ | wc -l", dir);
        units += (size_t)atol(out);
        free(out);
    }
    cr_expect_gt(units, 18, "unit directories written: %zu", units);
    /* and it does report: the tally's 序号 column made 2 mm wide (the rest
     * to the next column), too narrow for "10" between its paddings */
    cr_assert_eq(run(NULL, "cp -r ../templates %s/tpl && sed -i 's|<columns>10 19 |<columns>2 27 |' "
                           "%s/tpl/forms/tally.xml && grep -q '<columns>2 27 ' %s/tpl/forms/tally.xml", dir, dir, dir),
                 0);
    run(NULL, "rm -rf %s/out", dir);
    int rc = run(NULL, "KAOHE_TEMPLATES=%s/tpl %s build -q -o %s/out ../input/*.xml >/dev/null 2>&1", dir, k, dir);
    cr_assert(rc == 0 || rc == 1, "exit %d", rc);
    char *out;
    run(&out, "grep -h TEXT_OUTSIDE_CELL %s/out/2025/findings.txt | grep -c '第 1 列'", dir);
    cr_expect_gt(atol(out), 0, "no TEXT_OUTSIDE_CELL for the narrow column");
    free(out);
    run(&out, "pdftotext %s/out/2025/summary.pdf - | grep -c 文字超出单元格", dir);
    cr_expect_gt(atol(out), 0, "the summary's 问题 does not say it");
    free(out);
}

/* CJK line breaking as printed: titles that take several lines are
 * balanced (no 表 or 考核 alone), and no line inside a cell breaks a word
 * of the engine's form vocabulary (参加考/核) or a number from its measure
 * word (4 / 名): the sample, the five schemes' input and a generated input
 * with long unit names (titles of several lines), read back with
 * pdftotext -bbox-layout by e2e/check_breaks.py. */
Test(print, titles_balanced_and_words_kept_whole)
{
    const char *k = kaohe();
    cr_assert_eq(run(NULL, "%s sample --units 3 --persons 30 --seed 17 | sed 's/\\(<unit [^>]*name=\"\\)/\\1中共某某省某某市某某区委员会办公室机关事务服务中心/' "
                           "> %s/long.xml", k, dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/sample ../input/*.xml >/dev/null 2>&1", k, dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/schemes data/five-schemes.xml >/dev/null 2>&1", k, dir), 0);
    cr_assert_eq(run(NULL, "%s build -q -o %s/long %s/long.xml >/dev/null 2>&1", k, dir, dir), 0);
    char *out;
    int rc = run(&out, "/usr/bin/python3 e2e/check_breaks.py ../src/text.c %s/sample/2025 %s/schemes/2025 %s/long/2025 2>&1",
                 dir, dir, dir);
    cr_expect_eq(rc, 0, "%s", out);
    free(out);
}
