/* Tests of package_finish_year: the year's manifest is committed only when
 * every run-wide file (summary, review page) was written; a failed output
 * leaves no manifest and no temp file of one. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "form_fixture.h"
#include "forms.h"
#include "outfile.h"
#include "package.h"

static const char *RESULTS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<results xmlns=\"urn:kaohe:results:1\" year=\"2025\" policy=\"national\">\n"
    "  <unit id=\"U1\" status=\"ok\" name=\"甲局\" seq=\"0\">\n"
    "    <bucket name=\"admin\" participants=\"1\" ratio=\"0.2\" places=\"0\" excellent=\"0\"/>\n"
    "    <person id=\"P1\" bucket=\"admin\" code=\"2\" grade=\"competent\" reward=\"none\"/>\n"
    "  </unit>\n"
    "</results>\n";

static void put(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* The names in dir starting with prefix. */
static int count_named(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (!strncmp(e->d_name, prefix, strlen(prefix))) n++;
    closedir(d);
    return n;
}

/* A year's dir with results.xml and findings.txt, finished; *ok: what
 * package_finish_year said. The dir (malloc'd) is the caller's. */
static char *finish(const forms_ctx *fc, bool block_summary, bool *ok, sbuf *err)
{
    char *dir = fixture_tmpdir();
    cr_assert_not_null(dir);
    put(dir, "results.xml", RESULTS);
    put(dir, "findings.txt", "");
    if (block_summary) {   /* a directory where summary.xlsx goes: its rename fails */
        char p[4096];
        snprintf(p, sizeof p, "%s/summary.xlsx", dir);
        cr_assert_eq(mkdir(p, 0755), 0);
    }
    char mpath[4096];
    snprintf(mpath, sizeof mpath, "%s/MANIFEST.sha256", dir);
    outfile man;
    cr_assert(outfile_open(&man, mpath));
    forms_opts o = {true, true, false, 1766966400LL, LANG_ZH, NULL};
    *ok = package_finish_year(fc, dir, &o, &man, err);
    outfile_abort(&man);   /* what the callers do after a failure; a no-op after a commit */
    return dir;
}

Test(package, manifest_only_when_every_output_was_written)
{
    char e[1024];
    forms_ctx *fc = forms_ctx_new("../templates/forms", LANG_ZH, e, sizeof e);
    cr_assert_not_null(fc, "%s", e);
    sbuf err = {0};
    bool ok;
    char *dir = finish(fc, false, &ok, &err);
    cr_assert(ok, "%s", err.data);
    cr_assert_eq(count_named(dir, "MANIFEST.sha256"), 1, "a complete year has its manifest");
    cr_assert_eq(count_named(dir, "summary.pdf"), 1);
    fixture_rmdir(dir);
    free(dir);

    sbuf_clear(&err);
    dir = finish(fc, true, &ok, &err);
    cr_assert_not(ok, "summary.xlsx could not be written");
    cr_assert_not_null(strstr(err.data, "summary.xlsx"), "%s", err.data);
    cr_assert_eq(count_named(dir, "MANIFEST.sha256"), 0, "a year with a failed output has no manifest");
    cr_assert_eq(count_named(dir, ".MANIFEST.sha256.tmp-"), 0, "nor the temp file of one");
    fixture_rmdir(dir);
    free(dir);
    sbuf_free(&err);
    forms_ctx_free(fc);
}
