/* End-to-end test of the DOCX writer (issue 21): a sample unit built with
 * --formats all, read back by tests/e2e/check_docx.py with tools kaohe did
 * not write (python3-docx opens each file and its cells' text must be the
 * PDF's page by page; the zip has its parts; LibreOffice converts the forms
 * with the PDF's page counts and page 1's rules where the PDF has them);
 * the manifest covers the .docx files; the bytes are the same run to run.
 * The binary is $KAOHE; tests run in tests/. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PY "/usr/bin/python3"
#define CHECKER "e2e/check_docx.py"
#define EPOCH "1766966400"
#define UNIT "--unit U00007 ../input/*.xml"   /* every kind of unit form, a 21-page registration.docx */

static char dir[256];

static const char *kaohe(void)
{
    const char *k = getenv("KAOHE");
    return k ? k : "../build/kaohe";
}

/* Run a shell command with the fixed SOURCE_DATE_EPOCH, stdout+stderr into
 * *out (malloc'd) when out is given; the exit status. */
static int sh(char **out, const char *fmt, ...)
{
    char cmd[4096], full[4300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "export SOURCE_DATE_EPOCH=" EPOCH "; { %s ; } 2>&1", cmd);
    FILE *p = popen(full, "r");
    cr_assert(p, "popen");
    size_t cap = 8192, len = 0, n;
    char *buf = malloc(cap);
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2048) buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    int st = pclose(p);
    if (out) *out = buf;
    else free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/docx-e2e-XXXXXX");
    cr_assert(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(docx, .init = setup, .fini = teardown, .timeout = 1800);

static void need_tools(bool lo)
{
    if (sh(NULL, PY " -c 'import docx, PIL'") != 0)
        cr_skip_test("/usr/bin/python3 cannot import docx and PIL (python3-docx)");
    if (lo && sh(NULL, "command -v soffice") != 0) cr_skip_test("no soffice (libreoffice-writer)");
}

static void build(const char *sub, const char *opts)
{
    char *out;
    int rc = sh(&out, "%s build -q %s -o %s/%s " UNIT, kaohe(), opts, dir, sub);
    cr_assert_eq(rc, 0, "kaohe build %s: exit %d:\n%s", opts, rc, out);
    free(out);
}

Test(docx, every_form_reads_back_and_converts_like_the_pdf)
{
    need_tools(true);
    build("all", "--formats all");
    char *out;
    /* 12: every file, each kind of form (the unit's, summary, ranking) */
    int rc = sh(&out, PY " " CHECKER " --lo 12 %s/all/2025", dir);
    cr_assert_eq(rc, 0, "check_docx.py (exit %d):\n%s", rc, out);
    cr_assert(strstr(out, " 0 problems"), "%s", out);
    free(out);
    /* every form with a PDF has its .docx, and the manifest vouches for them */
    rc = sh(&out, "cd %s/all/2025 && for f in $(find . -name '*.pdf'); do test -f ${f%%.pdf}.docx || echo missing $f; done;"
                  " n=$(grep -c '\\.docx$' MANIFEST.sha256); test $n = $(find . -name '*.docx' | wc -l) || echo manifest $n;"
                  " sha256sum -c --quiet --strict MANIFEST.sha256", dir);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_eq(out[0], '\0', "%s", out);
    free(out);
}

/* The checker is not blind: another form's document in a file's place fails. */
Test(docx, checker_sees_a_document_of_the_wrong_form)
{
    need_tools(false);
    build("all", "--formats all");
    char *out;
    int rc = sh(&out, "cp %s/all/2025/U00007/notice.docx %s/all/2025/U00007/rewards.docx && "
                PY " " CHECKER " %s/all/2025", dir, dir, dir);
    cr_assert_eq(rc, 1, "check_docx.py passed a wrong document (exit %d):\n%s", rc, out);
    cr_assert(strstr(out, "rewards.docx"), "%s", out);
    free(out);
}

Test(docx, same_bytes_each_run_and_only_what_is_asked)
{
    build("a", "--formats docx -j 1");
    build("b", "--formats docx -j 2");
    char *out;
    int rc = sh(&out, "diff -r %s/a %s/b && find %s/a -name '*.pdf' -o -name '*.xlsx' | head -3", dir, dir, dir);
    cr_assert_eq(rc, 0, "two runs differ:\n%s", out);
    cr_assert_eq(out[0], '\0', "--formats docx wrote other formats: %s", out);
    free(out);
    rc = sh(&out, "ls %s/a/2025/U00007/ && unzip -Z -T %s/a/2025/U00007/tally.docx | grep -c 20251229.000000", dir,
            dir);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "registration.docx") && strstr(out, "ballot.docx") && strstr(out, "notice.docx"), "%s", out);
    free(out);
}

/* A 个人总结 of several pages: the PDF continues it on 续页; the DOCX has it
 * whole, once, in its cell (a row that grows), and no 续页. The text is
 * numbered sentence by sentence, so a part missing, repeated or out of
 * order shows. LibreOffice lays the DOCX out with the text running on. */
static const char *LONG_PY =
    "import re, sys\n"
    "src, out, txt = sys.argv[1:]\n"
    "words = '思想政治业务学习纪律作风廉洁服务群众基层调研统筹协调创新'\n"
    "paras = []\n"
    "for p in range(1, 13):\n"
    "    s = ''.join('第%d段第%d句，' % (p, k) + words[(p * 7 + k) % 20:] + words[:(p + k) % 20] + '。'\n"
    "                for k in range(1, 13))\n"
    "    paras.append(s)\n"
    "text = '&#10;'.join(paras)\n"
    "x = open(src, encoding='utf-8').read()\n"
    "u = x.index('id=\"U00007\"')\n"
    "a = x.index('<summary>', u) + len('<summary>')\n"
    "b = x.index('</summary>', a)\n"
    "open(out, 'w', encoding='utf-8').write(x[:a] + text + x[b:])\n"
    "open(txt, 'w', encoding='utf-8').write(text.replace('&#10;', '\\n'))\n";

static const char *ONCE_PY =
    "import sys, docx\n"
    "from docx.oxml.ns import qn\n"
    "path, txt = sys.argv[1:]\n"
    "sq = lambda s: ''.join(ch for ch in s if not ch.isspace())\n"
    "want = sq(open(txt, encoding='utf-8').read())\n"
    "d = docx.Document(path)\n"
    "cells = [sq(''.join(t.text or '' for t in tc.iter(qn('w:t')))) for tc in d.element.body.iter(qn('w:tc'))]\n"
    "whole = [c for c in cells if c == want]\n"
    "print('WHOLE', len(whole), 'IN', sum(c.count(want) for c in cells))\n"
    "print('PIECES', sum(c.count('第5段第3句') for c in cells))\n"
    "print('CONT', sum(('续页' in c) for c in cells))\n"
    "rows = [tr for tr in d.element.body.iter(qn('w:tr')) if any(sq(''.join(t.text or '' for t in tc.iter(qn('w:t')))) == want for tc in tr.iter(qn('w:tc')))]\n"
    "print('RULE', [tr.find('.//' + qn('w:trHeight')).get(qn('w:hRule')) for tr in rows])\n";

Test(docx, a_summary_continued_in_the_pdf_is_whole_once_in_the_docx)
{
    need_tools(true);
    char *out;
    FILE *f;
    char py[300], py2[300];
    snprintf(py, sizeof py, "%s/long.py", dir);
    snprintf(py2, sizeof py2, "%s/once.py", dir);
    cr_assert((f = fopen(py, "w")));
    fputs(LONG_PY, f);
    fclose(f);
    cr_assert((f = fopen(py2, "w")));
    fputs(ONCE_PY, f);
    fclose(f);
    int rc = sh(&out, PY " %s ../input/2025-city.xml %s/long.xml %s/long.txt", py, dir, dir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    rc = sh(&out, "%s build -q --formats pdf,docx -o %s/long --unit U00007 %s/long.xml", kaohe(), dir, dir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    /* the PDF continues it over several 续页 */
    rc = sh(&out, "pdftotext %s/long/2025/U00007/registration.pdf - | grep -c '个人总结（续页）'", dir);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_geq(atoi(out), 3, "the summary takes several 续页 in the PDF: %s", out);
    free(out);
    rc = sh(&out, PY " %s %s/long/2025/U00007/registration.docx %s/long.txt", py2, dir, dir);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "WHOLE 1 IN 1\n"), "the whole text once, in one cell: %s", out);
    cr_assert(strstr(out, "PIECES 1\n"), "no part of it twice: %s", out);
    cr_assert(strstr(out, "CONT 0\n"), "no 续页 in the DOCX: %s", out);
    cr_assert(strstr(out, "RULE ['atLeast']"), "its row grows: %s", out);
    free(out);
    /* the checker on that registration alone: its pages and text against
     * the PDF's less the 续页, and LibreOffice's against the DOCX's */
    rc = sh(&out, "mkdir -p %s/reg/2025 && cp %s/long/2025/U00007/registration.* %s/reg/2025/ && "
                  PY " " CHECKER " --lo 1 %s/reg/2025", dir, dir, dir, dir);
    cr_assert_eq(rc, 0, "check_docx.py (exit %d):\n%s", rc, out);
    cr_assert(strstr(out, "1 docx files checked, 0 problems"), "%s", out);
    cr_assert(strstr(out, "note:") && strstr(out, "rows grew"), "%s", out);
    free(out);
}

Test(docx, formats_all_is_a_word_and_unknown_formats_are_refused)
{
    char *out;
    int rc = sh(&out, "%s build -q --formats odt -o %s/x " UNIT, kaohe(), dir);
    cr_assert_eq(rc, 2, "--formats odt: exit %d\n%s", rc, out);
    cr_assert(strstr(out, "docx"), "the usage names docx: %s", out);
    free(out);
}
