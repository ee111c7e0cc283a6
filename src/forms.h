/* forms — the per-unit filing package of SPEC 4 (年度考核优秀等次比例申报表,
 * 登记表, 民主测评表, 测评结果汇总, 公示, 备案表 + 花名册, 奖励审批表, and the
 * 单位绩效考评评分表 of SPEC 5) and the run's summary and ranking, written
 * as PDF and XLSX from the templates in templates/forms/ through the layout
 * engine. The C side is only a data source over the computed unit; every form
 * is a template file. A forms_ctx (parsed templates, open fonts) is read-only
 * after creation and may be shared by any number of threads. */
#ifndef KAOHE_FORMS_H
#define KAOHE_FORMS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "layout.h"
#include "model.h"
#include "msg.h"
#include "policy.h"
#include "util.h"

/* Parsed templates and open fonts: read-only after forms_ctx_new, shared by
 * the worker threads. */
typedef struct forms_ctx forms_ctx;

/* What to write and how. */
typedef struct forms_opts {
    bool want_pdf, want_xlsx;
    bool split;            /* also one registration PDF per person: registration/<person id>.pdf */
    long long epoch;       /* fixes every date inside the files (SOURCE_DATE_EPOCH); -1: now */
    msg_lang lang;
    diag_list *diags;      /* if not NULL: gets the layouts' warnings (missing glyphs, ...), each once */
    bool simplex;          /* printed on one side: no mirrored even pages, no 本页无正文 padding */
    bool approve;          /* the authority's own run: its 审核意见 box on the quota application filled in */
    bool want_docx;        /* also .docx of every form written as PDF (--formats docx) */
    bool pdfa;             /* PDFs as PDF/A-2b (build --pdfa) */
} forms_opts;

/* Parse every template of templates_dir and open the default fonts.
 * NULL with a message in lang in err on failure. */
forms_ctx *forms_ctx_new(const char *templates_dir, msg_lang lang, char *err, size_t errlen);
void forms_ctx_free(forms_ctx *);

/* Write every per-unit form of SPEC 4 for unit u into dir (OUTPUT/<year>/<unit id>/):
   quota-application.xlsx/.pdf, registration.pdf (+ registration/<person id>.pdf with split),
   ballot.pdf, tally.xlsx/.pdf, notice.pdf, filing.xlsx/.pdf, rewards.xlsx/.pdf, and
   assessment.xlsx/.pdf (单位绩效考评评分表) when u->assessment.result is set, in the formats
   of `o`. Appends the relative paths of the files written to `written` (one per line,
   "<unit id>/<file>", i.e. relative to OUTPUT/<year>/) for the manifest.
   Returns 0, or -1 with a message in err (files already written stay; every file is written via
   temp name + rename, so no half file at a final path). */
int forms_write_unit(const forms_ctx *fc, const unit *u, const policy *pol, const char *dir,
                     const forms_opts *o, sbuf *written, sbuf *err);

/* Write the run's roll-up summary.xlsx/.pdf (templates/forms/summary.xml) into dir
   (OUTPUT/<year>/) from the data source `src` (see summary.h). Appends "summary.xlsx\n" /
   "summary.pdf\n" to `written`. Returns 0, or -1 with a message in err. */
int forms_write_summary(const forms_ctx *fc, const layout_source *src, const char *dir,
                        const forms_opts *o, sbuf *written, sbuf *err);

/* Write the run's 单位绩效考评结果排名表 ranking.xlsx/.pdf (templates/forms/ranking.xml)
   into dir (OUTPUT/<year>/) from `src` (summary_ranking_source in summary.h). The rows'
   scheme titles (field schemeTitle, and schemeHead on the first row of each scheme) and
   the grade notes a row lacks come from templates/schemes beside the forms. Appends
   "ranking.xlsx\n" / "ranking.pdf\n" to `written`. Returns 0, or -1 with a message in err. */
int forms_write_ranking(const forms_ctx *fc, const layout_source *src, const char *dir,
                        const forms_opts *o, sbuf *written, sbuf *err);

#endif
