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

Test(docx, formats_all_is_a_word_and_unknown_formats_are_refused)
{
    char *out;
    int rc = sh(&out, "%s build -q --formats odt -o %s/x " UNIT, kaohe(), dir);
    cr_assert_eq(rc, 2, "--formats odt: exit %d\n%s", rc, out);
    cr_assert(strstr(out, "docx"), "the usage names docx: %s", out);
    free(out);
}
