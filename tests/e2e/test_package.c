/* End-to-end test of the whole forms package (SPEC 4, issue 4): build the
 * sample input (../input/ *.xml) and let e2e/check_package.py read every file
 * back (pdftotext/pdffonts/qpdf for the PDFs, openpyxl for the XLSX) against
 * expectations it derives itself from the input, results.xml and the policy
 * files. Also: -j1 and -j2 give byte-identical packages; error units get no
 * forms; --formats writes only the formats asked for, --split one
 * registration PDF per person. The binary is $KAOHE;
 * tests run in tests/. Skipped when Debian's python has no openpyxl. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_util.h"

#define PY "/usr/bin/python3"
#define CHECKER "e2e/check_package.py"
#define EPOCH "1766966400" /* 2025-12-29, as `make run` */

static char pkgdir[256];

static const char *kaohe(void) { return e2e_kaohe(); }

/* Run a shell command with the fixed SOURCE_DATE_EPOCH; capture stdout+stderr
 * into *out (malloc'd) when out is given. Returns the exit status. */
static int sh(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = e2e_vformat(fmt, ap);
    va_end(ap);
    char *full = e2e_format("export SOURCE_DATE_EPOCH=" EPOCH "; { %s ; } 2>&1", cmd);
    int st = e2e_shell(out, full);
    free(full);
    free(cmd);
    return st;
}

static void need_checker_tools(void)
{
    if (sh(NULL, PY " -c 'import openpyxl'") != 0)
        cr_skip_test("/usr/bin/python3 cannot import openpyxl (Debian package python3-openpyxl)");
}

static void setup(void) { e2e_mkdtemp(pkgdir, sizeof pkgdir, "pkg-e2e"); }

static void teardown(void) { e2e_rmtree(pkgdir); }

/* A build of the sample takes seconds; the limit allows for valgrind (make
 * check-valgrind: about 30 times slower, -j 2 on one core), like the
 * hostile and faults suites' limits. */
TestSuite(package, .init = setup, .fini = teardown, .timeout = 1800);

/* Build into pkgdir/sub with the extra options; expect exit status want. */
static void build(const char *sub, const char *opts, const char *inputs, int want)
{
    char *out;
    int rc = sh(&out, "%s build -q %s -o %s/%s %s", kaohe(), opts, pkgdir, sub, inputs);
    cr_assert_eq(rc, want, "kaohe build %s %s: exit %d, expected %d:\n%s", opts, inputs, rc, want, out);
    free(out);
}

/* Run the checker on pkgdir/sub/<year>; fail with its whole report. */
static void check(const char *sub, const char *year, const char *opts, const char *inputs)
{
    char *out;
    int rc = sh(&out, PY " " CHECKER " %s %s/%s/%s %s", opts, pkgdir, sub, year, inputs);
    cr_assert_eq(rc, 0, "check_package.py %s on %s/%s/%s (exit %d):\n%s", opts, pkgdir, sub, year, rc, out);
    free(out);
}

Test(package, sample_package_reads_back_as_expected)
{
    need_checker_tools();
    build("out", "-j 2", "../input/*.xml", 0);
    check("out", "2025", "", "../input/*.xml");
}

Test(package, same_package_with_one_or_two_jobs)
{
    build("j1", "-j 1", "../input/*.xml", 0);
    build("j2", "-j 2", "../input/*.xml", 0);
    char *out;
    int rc = sh(&out, "cmp %s/j1/2025/MANIFEST.sha256 %s/j2/2025/MANIFEST.sha256 && diff -r %s/j1 %s/j2",
                pkgdir, pkgdir, pkgdir, pkgdir);
    cr_assert_eq(rc, 0, "-j1 and -j2 differ:\n%s", out);
    free(out);
    rc = sh(&out, "cd %s/j1/2025 && sha256sum -c --quiet --strict MANIFEST.sha256", pkgdir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
}

/* Units with an error finding: in results.xml (and the summary), no forms. */
Test(package, error_units_get_no_forms)
{
    need_checker_tools();
    build("out", "", "data/valid-small.xml data/errors.xml", 1);
    check("out", "2025", "", "data/valid-small.xml data/errors.xml");
}

Test(package, formats_and_split_write_only_what_is_asked)
{
    need_checker_tools();
    build("pdf", "--formats pdf --split", "data/valid-small.xml", 0);
    check("pdf", "2025", "--formats pdf --split", "data/valid-small.xml");
    build("xlsx", "--formats xlsx", "data/valid-small.xml", 0);
    check("xlsx", "2025", "--formats xlsx", "data/valid-small.xml");
}
