/* package — the run-wide files that close a year's output: summary.xlsx/.pdf
 * and (with assessed units) ranking.xlsx/.pdf read back from the committed
 * results.xml, then the manifest's last lines (summary, ranking, results.xml,
 * findings.txt) and its commit, so a manifest at its
 * final path always describes final files. Shared by build and merge, which
 * therefore write the same bytes. */
#ifndef KAOHE_PACKAGE_H
#define KAOHE_PACKAGE_H

#include <stdbool.h>

#include "forms.h"
#include "outfile.h"
#include "util.h"

/* `dir` is OUTPUT/<year>/ with results.xml and findings.txt already in
 * place; `manifest` is open with the lines of every unit's files. Writes the
 * summary when `fc` is not NULL (in the formats of `o`), appends the last
 * lines and commits the manifest. False with a message in err when anything
 * failed; then the manifest is dropped, not committed: a manifest vouches
 * for a complete year only. */
bool package_finish_year(const forms_ctx *fc, const char *dir, const forms_opts *o, outfile *manifest,
                         sbuf *err);

#endif
