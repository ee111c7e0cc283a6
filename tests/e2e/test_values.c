/* Issue 22's table through the binary: typed values spelled with blanks
 * mean what the schema collapses them to (results.xml and findings.txt).
 * The property over every spelling is tests/unit/test_values_property.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char outdir[] = "/tmp/kaohe-values-e2e-XXXXXX";

static void setup(void) { cr_assert(mkdtemp(outdir)); }

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(values, .init = setup, .fini = teardown);

/* kaohe build of one input (no PDF: only results matter here); the exit status. */
static int build(const char *input)
{
    const char *k = getenv("KAOHE");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "SOURCE_DATE_EPOCH=1766966400 %s build -q --formats xlsx -o '%s' %s >/dev/null 2>&1",
             k ? k : "../build/kaohe", outdir, input);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/2025/%s", outdir, name);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    static char buf[1 << 16];
    buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
    fclose(f);
    return strdup(buf);
}

#define assert_has(hay, needle) cr_assert(strstr((hay), (needle)), "missing: %s\nin:\n%s", (needle), (hay))

Test(values, blanks_around_typed_values_are_collapsed)
{
    cr_assert_eq(build("data/respelled-values.xml"), 1);   /* U2 and U3 are in error */
    char *x = slurp("results.xml");
    /* category="institution ": bucket institution, ratio 0.2 */
    assert_has(x, "<person id=\"P1\" bucket=\"institution\"");
    assert_has(x, "<bucket name=\"institution\" participants=\"1\" ratio=\"0.2\"");
    /* approvedRatio="0.5 " with 2 of other: 1 place, RATIO_ABOVE_MAX, unit in error */
    assert_has(x, "<unit id=\"U2\" status=\"error\"");
    assert_has(x, "<bucket name=\"other\" participants=\"2\" ratio=\"0.5\" places=\"1\"");
    assert_has(x, "<finding code=\"RATIO_ABOVE_MAX\"");
    /* grade="excellent ": kept, so QUOTA_EXCEEDED (0 places) */
    assert_has(x, "<person id=\"P4\" bucket=\"other\" code=\"1\" grade=\"excellent\"");
    assert_has(x, "<finding code=\"QUOTA_EXCEEDED\" severity=\"error\" person=\"P4\"");
    /* refused=" true": code 4, incompetent */
    assert_has(x, "<person id=\"P5\" bucket=\"other\" code=\"4\" grade=\"incompetent\"");
    /* the schedule's dates: the notice from 2026-09-28, FILED_LATE */
    assert_has(x, "<notice from=\"2026-09-28\"");
    assert_has(x, "<finding code=\"FILED_LATE\"");
    free(x);
}

Test(values, zhangzhou_points_with_a_blank_are_points)
{
    cr_assert_eq(build("data/respelled-zhangzhou.xml"), 0);
    char *x = slurp("results.xml");
    assert_has(x, "<assessment total=\"500.00\"");
    cr_assert_null(strstr(x, "ASSESSMENT_NEEDS_POINTS"), "%s", x);
    free(x);
    char path[512];
    snprintf(path, sizeof path, "%s/2025/Z1/assessment.xlsx", outdir);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "the unit's forms are written: %s", path);
    fclose(f);
}
