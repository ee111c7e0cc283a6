/* rosterw — see rosterw.h.
 * Filling from XML reads the input twice: once for the score components
 * (one 评分:NAME column each, known before the header row is written), once
 * writing each unit's rows as it is read. Values are written as an officer
 * types them: Chinese labels, numbers as numbers, year-months as text. */
#include "rosterw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "outfile.h"
#include "roster.h"
#include "xlsxw.h"

#define VALIDATE_ROWS 100000      /* drop-downs cover this many data rows */

typedef struct wctx {
    lxw_workbook *wb;
    lxw_worksheet *ws[ROSTER_SHEET_COUNT];
    lxw_format *head, *head_req;
    lxw_format *quoted;               /* text a spreadsheet would take for a formula (xlsxw_write_text) */
    long row[ROSTER_SHEET_COUNT];     /* next row of each sheet */
    char **scores;                    /* score component names (评分: columns) */
    int n_scores;
    int col_score0;                   /* column of the first 评分: column on 人员 */
    const file_header *hdr;
    sbuf s;
    long need[ROSTER_SHEET_COUNT];    /* data rows each sheet takes (counted by the first pass) */
    lxw_error failed;                 /* the first cell libxlsxwriter refused */
} wctx;

static int cp_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) w += *p >= 0xE0 ? 2 : 1;
    return w;
}

static void header_row(wctx *w, roster_sheet s)
{
    lxw_worksheet *ws = w->ws[s];
    if (s == ROSTER_SHEET_APPRAISAL) {
        worksheet_write_string(ws, 0, 0, "项目", w->head_req);
        worksheet_write_string(ws, 0, 1, "内容", w->head_req);
        worksheet_set_column(ws, 0, 0, 16, NULL);
        worksheet_set_column(ws, 1, 1, 40, NULL);
    } else {
        int n = roster_column_count(s);
        for (int i = 0; i < n; i++) {
            const roster_column *c = roster_column_at(s, i);
            worksheet_write_string(ws, 0, (lxw_col_t)i, c->header, c->required ? w->head_req : w->head);
            double width = c->width;
            if (width < cp_width(c->header) + 3) width = cp_width(c->header) + 3;
            worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, width, NULL);
            if (c->labels) {
                lxw_data_validation dv = { 0 };
                dv.validate = LXW_VALIDATION_TYPE_LIST;
                dv.value_list = (char **)c->labels;
                dv.error_title = "可选值";
                dv.error_message = "请从下拉列表中选择。";
                worksheet_data_validation_range(ws, 1, (lxw_col_t)i, VALIDATE_ROWS, (lxw_col_t)i, &dv);
            }
        }
        if (s == ROSTER_SHEET_PERSONS) {
            w->col_score0 = n;
            for (int k = 0; k < w->n_scores; k++) {
                sbuf_clear(&w->s);
                sbuf_printf(&w->s, "评分:%s", w->scores[k]);
                worksheet_write_string(ws, 0, (lxw_col_t)(n + k), w->s.data, w->head);
                worksheet_set_column(ws, (lxw_col_t)(n + k), (lxw_col_t)(n + k), cp_width(w->s.data) + 3, NULL);
            }
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    w->row[s] = 1;
}

/* The 说明 sheet: what each sheet and column is for. */
static void notes_sheet(wctx *w)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, "说明");
    static const char *const intro[] = {
        "年度考核花名册（kaohe）填写说明",
        "1. 工作表按名称识别：考核、单位、人员、绩效考评；列按第一行的表头文字识别，顺序不限，不要改动表头文字。红色表头为必填列。",
        "2. 每个人员一行；“单位代码”把人员与“单位”表对应。没有“单位”表时，“人员”表须填写“单位名称”。",
        "3. 带下拉箭头的列只能选列表中的值；是/否 列也可填 1/0。日期可填日期，也可填 2025-12-29；年月可填 1980-05。",
        "4. 空白单元格按默认值处理（见下表）。示例行可直接改写或删除。",
        "5. 填好后运行：kaohe build 花名册.xlsx（或 kaohe check 花名册.xlsx 先检查）。有错误时会指出 工作表!单元格，改正后再运行。",
        "6. 也可在 Excel/WPS 中把每张表另存为 CSV（UTF-8 或 GB18030 均可），一表一个文件：kaohe build 单位.csv 人员.csv。",
    };
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, 1, 22, NULL);
    worksheet_set_column(ws, 2, 2, 8, NULL);
    worksheet_set_column(ws, 3, 3, 30, NULL);
    worksheet_set_column(ws, 4, 4, 60, NULL);
    lxw_row_t r = 0;
    for (size_t i = 0; i < sizeof intro / sizeof intro[0]; i++) worksheet_write_string(ws, r++, 0, intro[i], i ? NULL : w->head);
    r++;
    static const char *const heads[] = { "工作表", "列（项目）", "必填", "可选值", "说明" };
    for (int i = 0; i < 5; i++) worksheet_write_string(ws, r, (lxw_col_t)i, heads[i], w->head);
    r++;
    for (int s = 0; s < ROSTER_SHEET_COUNT; s++) {
        int n = roster_column_count((roster_sheet)s);
        for (int i = 0; i < n; i++, r++) {
            const roster_column *c = roster_column_at((roster_sheet)s, i);
            worksheet_write_string(ws, r, 0, roster_sheet_name((roster_sheet)s), NULL);
            worksheet_write_string(ws, r, 1, c->header, NULL);
            worksheet_write_string(ws, r, 2, c->required ? "是" : "", NULL);
            sbuf_clear(&w->s);
            for (int k = 0; c->labels && c->labels[k]; k++) sbuf_printf(&w->s, "%s%s", k ? "/" : "", c->labels[k]);
            worksheet_write_string(ws, r, 3, w->s.data ? w->s.data : "", NULL);
            worksheet_write_string(ws, r, 4, c->note ? c->note : "", NULL);
        }
        if (s == ROSTER_SHEET_PERSONS) {
            worksheet_write_string(ws, r, 0, "人员", NULL);
            worksheet_write_string(ws, r, 1, "评分:名称", NULL);
            worksheet_write_string(ws, r, 4, "每个评分项一列，表头写作“评分:annual”等（名称见考核政策）", NULL);
            r++;
        }
    }
}

/* A cell libxlsxwriter refuses (past its row or column limit, a string
 * too long) fails the whole workbook rather than leaving a hole in it. */
static void put_str(wctx *w, roster_sheet s, int col, const char *v)
{
    if (!v || !*v) return;
    lxw_error le = xlsxw_write_text(w->ws[s], (lxw_row_t)w->row[s], (lxw_col_t)col, v, NULL, w->quoted);
    if (le != LXW_NO_ERROR && w->failed == LXW_NO_ERROR) w->failed = le;
}

static void put_num(wctx *w, roster_sheet s, int col, double v)
{
    lxw_error le = worksheet_write_number(w->ws[s], (lxw_row_t)w->row[s], (lxw_col_t)col, v, NULL);
    if (le != LXW_NO_ERROR && w->failed == LXW_NO_ERROR) w->failed = le;
}

/* The column index of a header on a sheet. */
static int col_of(roster_sheet s, const char *header)
{
    int n = roster_column_count(s);
    for (int i = 0; i < n; i++)
        if (!strcmp(roster_column_at(s, i)->header, header)) return i;
    return -1;
}

/* Value of a labelled column for an XML value index. */
static const char *label(roster_sheet s, const char *header, int index)
{
    return roster_column_at(s, col_of(s, header))->labels[index];
}

static void example_rows(wctx *w)
{
    for (int s = 0; s < ROSTER_SHEET_COUNT; s++) {
        int n = roster_column_count((roster_sheet)s);
        for (int i = 0; i < n; i++) {
            const roster_column *c = roster_column_at((roster_sheet)s, i);
            if (s == ROSTER_SHEET_APPRAISAL) {
                worksheet_write_string(w->ws[s], (lxw_row_t)(1 + i), 0, c->header, NULL);
                if (c->example && *c->example) worksheet_write_string(w->ws[s], (lxw_row_t)(1 + i), 1, c->example, NULL);
                if (c->labels) {
                    lxw_data_validation dv = { 0 };
                    dv.validate = LXW_VALIDATION_TYPE_LIST;
                    dv.value_list = (char **)c->labels;
                    worksheet_data_validation_cell(w->ws[s], (lxw_row_t)(1 + i), 1, &dv);
                }
            } else put_str(w, (roster_sheet)s, i, c->example);
        }
        w->row[s]++;
    }
}

/* --- filled from XML -------------------------------------------------------------- */

/* The first pass: the score components, and the rows each sheet will take. */
static int collect_scores(unit *u, void *arg)
{
    wctx *w = arg;
    w->need[ROSTER_SHEET_UNITS]++;
    w->need[ROSTER_SHEET_PERSONS] += u->n_persons;
    if (u->assessment.present) w->need[ROSTER_SHEET_ASSESSMENT] += u->assessment.n_items;
    for (long i = 0; i < u->n_persons; i++)
        for (int k = 0; k < u->persons[i].n_components; k++) {
            const char *name = u->persons[i].components[k].name;
            bool seen = false;
            for (int j = 0; j < w->n_scores && !seen; j++) seen = !strcmp(w->scores[j], name);
            if (!seen && w->n_scores < 1000) {
                w->scores = xrealloc(w->scores, (size_t)(w->n_scores + 1) * sizeof *w->scores);
                w->scores[w->n_scores++] = xstrdup(name);
            }
        }
    model_unit_free(u);
    free(u);
    return 0;
}

static const char *yes_no(bool b) { return b ? "是" : "否"; }

static void unit_rows(wctx *w, const unit *u)
{
    const roster_sheet S = ROSTER_SHEET_UNITS;
    put_str(w, S, col_of(S, "单位代码"), u->id);
    put_str(w, S, col_of(S, "单位名称"), u->name);
    put_str(w, S, col_of(S, "单位性质"), label(S, "单位性质", u->kind));
    if (u->series) put_num(w, S, col_of(S, "考评系列"), u->series);
    put_num(w, S, col_of(S, "行政编制数"), (double)u->est_admin);
    put_num(w, S, col_of(S, "事业编制数"), (double)u->est_institution);
    put_str(w, S, col_of(S, "目标管理先进单位"), yes_no(u->target_advanced));
    put_str(w, S, col_of(S, "省部级表彰"), yes_no(u->ministerial_commendation));
    put_str(w, S, col_of(S, "省级文明单位"), yes_no(u->civilized_unit));
    put_str(w, S, col_of(S, "集体记功"), yes_no(u->collective_merit));
    put_str(w, S, col_of(S, "平时考核开展情况"), label(S, "平时考核开展情况", u->routine));
    put_str(w, S, col_of(S, "重大事故"), yes_no(u->major_accident));
    if (u->perf_grade != PERF_NONE) put_str(w, S, col_of(S, "绩效考评等次"), label(S, "绩效考评等次", u->perf_grade - 1));
    char buf[64];
    if (u->has_perf_score) {
        fix6_format_plain(u->perf_score, buf, sizeof buf);
        put_str(w, S, col_of(S, "绩效考评得分"), buf);   /* exact: as text */
    }
    if (u->has_approved_ratio) {
        fix6_format_plain(u->approved_ratio, buf, sizeof buf);
        put_str(w, S, col_of(S, "核定优秀比例"), buf);
    }
    put_str(w, S, col_of(S, "联系人"), u->contact_name);
    put_str(w, S, col_of(S, "联系电话"), u->contact_phone);
    w->row[S]++;
    if (u->assessment.present) {
        const roster_sheet A = ROSTER_SHEET_ASSESSMENT;
        for (int i = 0; i < u->assessment.n_items; i++) {
            const struct assessment_item *it = &u->assessment.items[i];
            put_str(w, A, col_of(A, "单位代码"), u->id);
            put_str(w, A, col_of(A, "方案"), u->assessment.scheme);
            put_str(w, A, col_of(A, "项目"), it->ref);
            if (it->has_points) {
                fix6_format_plain(it->points, buf, sizeof buf);
                put_str(w, A, col_of(A, "得分"), buf);
            }
            if (it->count) put_num(w, A, col_of(A, "次数"), (double)it->count);
            w->row[A]++;
        }
    }
}

static void person_row(wctx *w, const unit *u, const person *p)
{
    const roster_sheet S = ROSTER_SHEET_PERSONS;
    put_str(w, S, col_of(S, "单位代码"), u->id);
    put_str(w, S, col_of(S, "单位名称"), u->name);
    put_str(w, S, col_of(S, "人员编号"), p->id);
    put_str(w, S, col_of(S, "姓名"), p->name);
    put_str(w, S, col_of(S, "性别"), p->gender);
    put_str(w, S, col_of(S, "出生年月"), p->birth);
    put_str(w, S, col_of(S, "民族"), p->ethnicity);
    put_str(w, S, col_of(S, "政治面貌"), p->political);
    put_str(w, S, col_of(S, "文化程度"), p->education);
    put_str(w, S, col_of(S, "人员类别"), label(S, "人员类别", p->category));
    put_str(w, S, col_of(S, "角色"), label(S, "角色", p->role));
    put_str(w, S, col_of(S, "职务"), p->post);
    put_str(w, S, col_of(S, "职级"), p->rank);
    put_str(w, S, col_of(S, "任现职时间"), p->post_since);
    put_str(w, S, col_of(S, "从事或分管工作"), p->duty);
    put_num(w, S, col_of(S, "本单位工作月数"), p->months_in_unit);
    put_str(w, S, col_of(S, "借调挂职"), yes_no(p->seconded));
    put_num(w, S, col_of(S, "请假月数"), p->leave_months);
    put_str(w, S, col_of(S, "假别"), label(S, "假别", p->leave_type));
    put_str(w, S, col_of(S, "试用期"), yes_no(p->probation));
    put_str(w, S, col_of(S, "立案调查"), yes_no(p->under_investigation));
    put_str(w, S, col_of(S, "处分"), label(S, "处分", p->sanction));
    if (p->sanction_year) put_num(w, S, col_of(S, "处分年度"), p->sanction_year);
    put_str(w, S, col_of(S, "拒绝考核"), yes_no(p->refused));
    put_num(w, S, col_of(S, "平时考核次数"), (double)p->routine_records);
    static const char *const votes[] = { "优秀票", "称职票", "基本称职票", "不称职票" };
    for (int k = 0; k < 4; k++) put_num(w, S, col_of(S, votes[k]), (double)p->votes[k]);
    if (p->proposed != GRADE_NONE) put_str(w, S, col_of(S, "拟定等次"), model_grade_label(p->proposed, p->category));
    if (p->advanced) put_str(w, S, col_of(S, "先进个人"), "是");
    put_str(w, S, col_of(S, "主管领导评语"), p->comment);
    put_str(w, S, col_of(S, "个人总结"), p->summary);
    if (p->n_history) {
        sbuf_clear(&w->s);
        for (int k = 0; k < p->n_history; k++)
            if (p->history[k].grade != GRADE_NONE)
                sbuf_printf(&w->s, "%s%d%s", w->s.len ? "；" : "", p->history[k].year,
                            model_grade_label(p->history[k].grade, p->category));
        put_str(w, S, col_of(S, "历年等次"), w->s.data);
    }
    for (int k = 0; k < p->n_components; k++)
        for (int j = 0; j < w->n_scores; j++)
            if (!strcmp(w->scores[j], p->components[k].name))
                put_str(w, S, w->col_score0 + j, p->components[k].value);
    w->row[S]++;
}

static int write_unit(unit *u, void *arg)
{
    wctx *w = arg;
    if (!w->hdr) w->hdr = u->file;
    unit_rows(w, u);
    for (long i = 0; i < u->n_persons; i++) person_row(w, u, &u->persons[i]);
    model_unit_free(u);
    free(u);
    return 0;
}

static void appraisal_rows(wctx *w, const file_header *h)
{
    lxw_worksheet *ws = w->ws[ROSTER_SHEET_APPRAISAL];
    int n = roster_column_count(ROSTER_SHEET_APPRAISAL);
    char year[16];
    snprintf(year, sizeof year, "%d", h->year);
    const char *vals[] = { year, h->policy, h->authority_org, h->authority_hr, h->notice_start,
                           h->filing_deadline, h->filed_on };
    lxw_row_t r = 1;
    for (int i = 0; i < n && i < 7; i++) {
        if (!vals[i] || !*vals[i]) continue;
        worksheet_write_string(ws, r, 0, roster_column_at(ROSTER_SHEET_APPRAISAL, i)->header, NULL);
        if (i == 0) worksheet_write_number(ws, r, 1, h->year, NULL);
        else xlsxw_write_text(ws, r, 1, vals[i], NULL, w->quoted);
        r++;
    }
}

/* A sheet that would need more rows than a worksheet holds: the roster
 * cannot be written whole, and is not written at all (an officer would
 * otherwise get a workbook short of persons, with nothing said). */
static bool rows_fit(const wctx *w, long max_rows, msg_lang lang, sbuf *err)
{
    for (int s = 0; s < ROSTER_SHEET_COUNT; s++)
        if (w->need[s] + 1 > max_rows) {   /* + the header row */
            msg_format(err, lang, "ROSTER_TOO_MANY_ROWS", roster_sheet_name((roster_sheet)s), w->need[s] + 1, max_rows);
            sbuf_puts(err, " [ROSTER_TOO_MANY_ROWS]");
            return false;
        }
    return true;
}

static void scores_free(wctx *w)
{
    for (int i = 0; i < w->n_scores; i++) free(w->scores[i]);
    free(w->scores);
    w->scores = NULL;
    w->n_scores = 0;
}

int rosterw_write(const char *path, const char *from, const ingest_schema *schema, long long epoch,
                  long max_rows, msg_lang lang, sbuf *err)
{
    wctx w = { 0 };
    if (max_rows <= 0 || max_rows > LXW_ROW_MAX) max_rows = LXW_ROW_MAX;
    if (from && ingest_validate(from, schema, lang, err) != 0) return 3;
    if (from) {
        file_header h;
        sbuf e = { 0 };
        int rc = ingest_read(from, &h, collect_scores, &w, lang, &e);
        ingest_header_free(&h);
        sbuf_free(&e);
        if (rc == 0 && !rows_fit(&w, max_rows, lang, err)) rc = 3;
        if (rc != 0) {
            scores_free(&w);
            return 3;
        }
    }
    char *tmp = NULL;
    int fd = outfile_mktemp(path, &tmp);
    if (fd < 0) {
        sbuf_printf(err, "%s: %s", path, strerror(errno));
        return 4;
    }
    close(fd);
    lxw_workbook_options wo = { 0 };
    wo.constant_memory = from ? LXW_TRUE : LXW_FALSE;   /* a big roster streams to disk */
    w.wb = workbook_new_opt(tmp, &wo);
    if (!w.wb) {
        sbuf_printf(err, "%s", path);
        unlink(tmp);
        free(tmp);
        return 4;
    }
    lxw_doc_properties props = { 0 };
    props.title = "年度考核花名册";
    props.created = (time_t)(epoch >= 0 ? epoch : 946684800);
    workbook_set_properties(w.wb, &props);
    w.head = workbook_add_format(w.wb);
    format_set_bold(w.head);
    format_set_bg_color(w.head, 0xDDEBF7);
    format_set_border(w.head, LXW_BORDER_THIN);
    w.quoted = xlsxw_quoted_format(w.wb);
    w.head_req = workbook_add_format(w.wb);
    format_set_bold(w.head_req);
    format_set_bg_color(w.head_req, 0xDDEBF7);
    format_set_border(w.head_req, LXW_BORDER_THIN);
    format_set_font_color(w.head_req, 0xC00000);
    for (int s = 0; s < ROSTER_SHEET_COUNT; s++) {
        w.ws[s] = workbook_add_worksheet(w.wb, roster_sheet_name((roster_sheet)s));
        header_row(&w, (roster_sheet)s);
    }
    int rc = 0;
    if (from) {
        file_header h;
        sbuf e = { 0 };
        if (ingest_read(from, &h, write_unit, &w, lang, &e) != 0) rc = 3;
        else appraisal_rows(&w, &h);
        ingest_header_free(&h);
        sbuf_free(&e);
    } else example_rows(&w);
    notes_sheet(&w);
    lxw_error le = workbook_close(w.wb);
    if (le == LXW_NO_ERROR) le = w.failed;
    if (rc == 0 && le != LXW_NO_ERROR) {
        sbuf_printf(err, "%s: %s", path, lxw_strerror(le));
        rc = 4;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        sbuf_printf(err, "%s: %s", path, strerror(errno));
        rc = 4;
    }
    if (rc) unlink(tmp);
    free(tmp);
    scores_free(&w);
    sbuf_free(&w.s);
    return rc;
}
