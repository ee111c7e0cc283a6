/* package — see package.h. */
#include "package.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "manifest.h"
#include "report.h"
#include "summary.h"

/* summary.xlsx/.pdf, and ranking.xlsx/.pdf when some unit carries an
 * <assessment>, into dir; their names are appended to `written`. */
static bool write_summary(const forms_ctx *fc, const char *dir, const forms_opts *o, sbuf *written,
                          sbuf *err)
{
    sbuf path = {0};
    sbuf_printf(&path, "%s/results.xml", dir);
    summary *s = summary_read(path.data, o->epoch, err);
    sbuf_free(&path);
    if (!s) return false;
    layout_source src = summary_source(s);
    bool ok = forms_write_summary(fc, &src, dir, o, written, err) == 0;
    if (ok && summary_assessed(s) > 0) {
        layout_source rs = summary_ranking_source(s);
        ok = forms_write_ranking(fc, &rs, dir, o, written, err) == 0;
    }
    summary_free(s);
    return ok;
}

bool package_finish_year(const forms_ctx *fc, const char *dir, const forms_opts *o, outfile *manifest,
                         sbuf *err)
{
    sbuf names = {0}, lines = {0};
    bool ok = !fc || write_summary(fc, dir, o, &names, err);
    ok = report_write_year(dir, o->epoch, &names, err) && ok;   /* index.html, the review page */
    sbuf_puts(&names, "results.xml\nfindings.txt\n");
    bool hashed = true;
    for (char *name = names.data, *nl; (nl = strchr(name, '\n')); name = nl + 1) {
        *nl = '\0';
        if (!manifest_add(&lines, dir, name)) {
            sbuf_printf(err, "%s%s/%s: %s", err->len ? "; " : "", dir, name, msg_syserr(o->lang, errno));
            hashed = false;
        }
    }
    if (lines.len) fwrite(lines.data, 1, lines.len, manifest->fp);
    sbuf_free(&names);
    sbuf_free(&lines);
    if (!ok || !hashed) {
        outfile_abort(manifest);   /* a year with a failed output gets no manifest */
        return false;
    }
    /* every file of the year was committed without fsync: one syncfs puts
     * them all on disk before the manifest that lists them, so a manifest
     * that exists after a power loss vouches for files that exist too */
    if (!outfile_sync_tree(dir) || !outfile_commit_durable(manifest)) {
        int e = errno;
        outfile_abort(manifest);   /* no-op when the commit got that far */
        errno = e;
        sbuf_printf(err, "%s%s/MANIFEST.sha256: %s", err->len ? "; " : "", dir, msg_syserr(o->lang, errno));
        return false;
    }
    return true;
}
