/* roster — see roster.h.
 * Sheets are read in a fixed order whatever their order in the workbook
 * (考核, 单位, 绩效考评, 人员): units must be known before the persons that
 * name them. Each data row is checked cell by cell against its column's
 * kind (the schema's types, restated here so that a problem is reported
 * at its cell, before any XML exists); a person's row becomes its <person>
 * XML at once, kept in a temp file with an index entry (unit, offset), and
 * the document is written only when the whole roster is clean. */
#include "roster.h"
#include "value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvr.h"
#include "xlsxr.h"

/* --- the columns ---------------------------------------------------------------- */

typedef enum { K_TEXT, K_NAME, K_LONG, K_ID, K_PHONE, K_ENUM, K_BOOL, K_INT, K_DEC, K_RATIO, K_YM, K_DATE,
               K_HISTORY, K_POLICY, K_REF } kind;

typedef struct coldef {
    roster_column pub;
    kind k;
    const char *const *values;   /* XML value of each label */
    long lo, hi;                 /* K_INT range */
    const char *alt;             /* header synonyms, '|'-separated */
} coldef;

static const char *const L_BOOL[] = { "是", "否", NULL };
static const char *const V_BOOL[] = { "true", "false" };
static const char *const L_KIND[] = { "机关", "参公单位", "事业单位", NULL };
static const char *const V_KIND[] = { "organ", "managed", "institution" };
static const char *const L_ROUTINE[] = { "好", "差", "未开展", NULL };
static const char *const V_ROUTINE[] = { "good", "poor", "none" };
static const char *const L_PERF[] = { "优秀", "合格", "不合格", NULL };
static const char *const V_PERF[] = { "excellent", "qualified", "unqualified" };
static const char *const L_GENDER[] = { "男", "女", NULL };
static const char *const L_CAT[] = { "公务员", "参公人员", "事业单位工作人员", "其他人员", NULL };
static const char *const V_CAT[] = { "civil-servant", "managed", "institution", "other" };
static const char *const L_ROLE[] = { "一般工作人员", "领导职务", "主要负责人", NULL };
static const char *const V_ROLE[] = { "staff", "leader", "main-leader" };
static const char *const L_LEAVE[] = { "病假", "事假", "学习", "产假", NULL };
static const char *const V_LEAVE[] = { "sick", "personal", "study", "maternity" };
static const char *const L_SANCTION[] = { "无", "警告", "记过", "记大过", "降级", "撤职", NULL };
static const char *const V_SANCTION[] = { "none", "warning", "demerit", "major-demerit", "demotion", "removal" };
static const char *const L_GRADE[] = { "优秀", "称职", "基本称职", "不称职", "合格", "基本合格", "不合格", NULL };
static const char *const V_GRADE[] = { "excellent", "competent", "basic", "incompetent", "competent", "basic",
                                       "incompetent" };
static const char *const L_POLICY[] = { "national", "jiaozuo-2007", "zhangzhou", "quannan-2011", "lvzhi",
                                        "baoshan-2022", NULL };

#define COL(h, x, req, kd) .pub = { h, x, req, NULL, NULL, 0, NULL }, .k = kd
/* 考核: one row per item (项目/内容); the "columns" are the items. */
enum { A_YEAR, A_POLICY, A_ORG, A_HR, A_NOTICE, A_DEADLINE, A_FILED, A_N };
static const coldef appraisal_cols[A_N] = {
    [A_YEAR] = { .pub = { "考核年度", "appraisal@year", true, NULL, "四位年份，如 2025", 14, "2025" }, .k = K_INT, .lo = 1950, .hi = 2200 },
    [A_POLICY] = { .pub = { "考核政策", "appraisal@policy", false, L_POLICY, "预置政策名称（默认 national）", 14, "national" }, .k = K_POLICY },
    [A_ORG] = { .pub = { "组织部门", "authority@org", false, NULL, "如 中共XX市委组织部", 14, "中共安平市委组织部" }, .k = K_TEXT },
    [A_HR] = { .pub = { "人社部门", "authority@hr", false, NULL, "如 XX市人力资源和社会保障局", 14, "安平市人力资源和社会保障局" }, .k = K_TEXT },
    [A_NOTICE] = { .pub = { "公示开始日期", "schedule@noticeStart", false, NULL, "日期，如 2025-12-29", 14, "2025-12-29" }, .k = K_DATE },
    [A_DEADLINE] = { .pub = { "备案截止日期", "schedule@filingDeadline", false, NULL, "日期", 14, "2026-01-30" }, .k = K_DATE },
    [A_FILED] = { .pub = { "报送日期", "schedule@filedOn", false, NULL, "日期", 14, "2026-01-20" }, .k = K_DATE },
};

enum { U_ID, U_NAME, U_KIND, U_SERIES, U_EST_A, U_EST_I, U_TARGET, U_MINIST, U_CIVIL, U_MERIT, U_ROUTINE,
       U_ACCIDENT, U_PGRADE, U_PSCORE, U_RATIO, U_CONTACT, U_PHONE, U_N };
static const coldef unit_cols[U_N] = {
    [U_ID] = { .pub = { "单位代码", "unit@id", true, NULL, "字母、数字、_ 或 -，最多 64 个字符，全表唯一", 12, "U001" }, .k = K_ID },
    [U_NAME] = { .pub = { "单位名称", "unit@name", true, NULL, "单位全称", 28, "安平市财政局" }, .k = K_NAME },
    [U_KIND] = { .pub = { "单位性质", "unit@kind", false, L_KIND, "默认 机关", 12, "机关" }, .k = K_ENUM, .values = V_KIND },
    [U_SERIES] = { .pub = { "考评系列", "unit@series", false, NULL, "正整数（单位绩效考评的序列）", 10, "2" }, .k = K_INT, .lo = 1, .hi = 1000000 },
    [U_EST_A] = { .pub = { "行政编制数", "establishment@admin", false, NULL, "整数", 12, "45" }, .k = K_INT, .lo = 0, .hi = 1000000 },
    [U_EST_I] = { .pub = { "事业编制数", "establishment@institution", false, NULL, "整数", 12, "12" }, .k = K_INT, .lo = 0, .hi = 1000000 },
    [U_TARGET] = { .pub = { "目标管理先进单位", "factors@targetAdvanced", false, L_BOOL, "是/否（默认 是）", 18, "是" }, .k = K_BOOL, .values = V_BOOL },
    [U_MINIST] = { .pub = { "省部级表彰", "factors@ministerialCommendation", false, L_BOOL, "是/否（默认 否）", 12, "否" }, .k = K_BOOL, .values = V_BOOL },
    [U_CIVIL] = { .pub = { "省级文明单位", "factors@civilizedUnit", false, L_BOOL, "是/否（默认 是）", 14, "是" }, .k = K_BOOL, .values = V_BOOL },
    [U_MERIT] = { .pub = { "集体记功", "factors@collectiveMerit", false, L_BOOL, "是/否（默认 否）", 10, "否" }, .k = K_BOOL, .values = V_BOOL },
    [U_ROUTINE] = { .pub = { "平时考核开展情况", "factors@routineAssessment", false, L_ROUTINE, "好/差/未开展（默认 好）", 18, "好" }, .k = K_ENUM, .values = V_ROUTINE },
    [U_ACCIDENT] = { .pub = { "重大事故", "factors@majorAccident", false, L_BOOL, "是/否（默认 否）", 10, "否" }, .k = K_BOOL, .values = V_BOOL },
    [U_PGRADE] = { .pub = { "绩效考评等次", "performance@grade", false, L_PERF, "优秀/合格/不合格", 14, "" }, .k = K_ENUM, .values = V_PERF },
    [U_PSCORE] = { .pub = { "绩效考评得分", "performance@score", false, NULL, "数字", 14, "" }, .k = K_DEC },
    [U_RATIO] = { .pub = { "核定优秀比例", "quota@approvedRatio", false, NULL, "0.2 或 20%（不填按政策）", 14, "" }, .k = K_RATIO },
    [U_CONTACT] = { .pub = { "联系人", "contact@name", false, NULL, "", 10, "王五" }, .k = K_TEXT },
    [U_PHONE] = { .pub = { "联系电话", "contact@phone", false, NULL, "", 16, "0391-1234567" }, .k = K_PHONE },
};

enum { P_UNIT, P_UNIT_NAME, P_ID, P_NAME, P_GENDER, P_BIRTH, P_ETHNIC, P_POLITICAL, P_EDU, P_CAT, P_ROLE,
       P_POST, P_RANK, P_SINCE, P_DUTY, P_MONTHS, P_SECONDED, P_LEAVE_M, P_LEAVE_T, P_PROBATION, P_INVEST,
       P_SANCTION, P_SANCTION_Y, P_REFUSED, P_ROUTINE, P_V_EXC, P_V_COMP, P_V_BASIC, P_V_INC, P_GRADE,
       P_ADVANCED, P_COMMENT, P_SUMMARY, P_HISTORY, P_N };
static const coldef person_cols[P_N] = {
    [P_UNIT] = { .pub = { "单位代码", "unit@id", true, NULL, "与“单位”表的单位代码一致", 12, "U001" }, .k = K_ID },
    [P_UNIT_NAME] = { .pub = { "单位名称", "unit@name", false, NULL, "没有“单位”表时必填", 24, "安平市财政局" }, .k = K_NAME },
    [P_ID] = { .pub = { "人员编号", "person@id", true, NULL, "字母、数字、_ 或 -，全表唯一", 12, "P0001" }, .k = K_ID },
    [P_NAME] = { .pub = { "姓名", "person@name", true, NULL, "", 10, "张三" }, .k = K_NAME },
    [P_GENDER] = { .pub = { "性别", "person@gender", false, L_GENDER, "男/女", 6, "男" }, .k = K_ENUM, .values = L_GENDER },
    [P_BIRTH] = { .pub = { "出生年月", "person@birth", false, NULL, "如 1980-05 或日期", 10, "1980-05" }, .k = K_YM },
    [P_ETHNIC] = { .pub = { "民族", "person@ethnicity", false, NULL, "", 8, "汉族" }, .k = K_TEXT },
    [P_POLITICAL] = { .pub = { "政治面貌", "person@political", false, NULL, "", 12, "中共党员" }, .k = K_TEXT },
    [P_EDU] = { .pub = { "文化程度", "person@education", false, NULL, "", 12, "大学本科" }, .k = K_TEXT },
    [P_CAT] = { .pub = { "人员类别", "person@category", true, L_CAT, "公务员/参公人员/事业单位工作人员/其他人员", 18, "公务员" }, .k = K_ENUM, .values = V_CAT },
    [P_ROLE] = { .pub = { "角色", "person@role", false, L_ROLE, "一般工作人员/领导职务/主要负责人（默认 一般工作人员）", 14, "一般工作人员" }, .k = K_ENUM, .values = V_ROLE },
    [P_POST] = { .pub = { "职务", "person@post", false, NULL, "", 14, "科员" }, .k = K_TEXT },
    [P_RANK] = { .pub = { "职级", "person@rank", false, NULL, "", 14, "一级科员" }, .k = K_TEXT },
    [P_SINCE] = { .pub = { "任现职时间", "person@postSince", false, NULL, "如 2019-03 或日期", 12, "2019-03" }, .k = K_YM },
    [P_DUTY] = { .pub = { "从事或分管工作", "person@duty", false, NULL, "登记表“从事或分管工作”栏", 28, "负责预算编制和财政统计" }, .k = K_TEXT },
    [P_MONTHS] = { .pub = { "本单位工作月数", "status@monthsInUnit", false, NULL, "0–12（默认 12）", 14, "12" }, .k = K_INT, .lo = 0, .hi = 12 },
    [P_SECONDED] = { .pub = { "借调挂职", "status@assignment", false, L_BOOL, "是：借调、挂职、援派到本单位；否：本单位人员（含年内调入）", 10, "否" }, .k = K_BOOL, .values = V_BOOL },
    [P_LEAVE_M] = { .pub = { "请假月数", "status@leaveMonths", false, NULL, "0–12", 10, "0" }, .k = K_INT, .lo = 0, .hi = 12 },
    [P_LEAVE_T] = { .pub = { "假别", "status@leaveType", false, L_LEAVE, "病假/事假/学习/产假", 8, "" }, .k = K_ENUM, .values = V_LEAVE },
    [P_PROBATION] = { .pub = { "试用期", "status@probation", false, L_BOOL, "是/否", 8, "否" }, .k = K_BOOL, .values = V_BOOL },
    [P_INVEST] = { .pub = { "立案调查", "status@underInvestigation", false, L_BOOL, "是/否", 10, "否" }, .k = K_BOOL, .values = V_BOOL },
    [P_SANCTION] = { .pub = { "处分", "status@sanction", false, L_SANCTION, "无/警告/记过/记大过/降级/撤职", 8, "无" }, .k = K_ENUM, .values = V_SANCTION },
    [P_SANCTION_Y] = { .pub = { "处分年度", "status@sanctionYear", false, NULL, "受处分的年份", 10, "" }, .k = K_INT, .lo = 1950, .hi = 2200 },
    [P_REFUSED] = { .pub = { "拒绝考核", "status@refused", false, L_BOOL, "是/否", 10, "否" }, .k = K_BOOL, .values = V_BOOL },
    [P_ROUTINE] = { .pub = { "平时考核次数", "status@routineRecords", false, NULL, "整数（默认 4）", 12, "4" }, .k = K_INT, .lo = 0, .hi = 1000000 },
    [P_V_EXC] = { .pub = { "优秀票", "votes@excellent", false, NULL, "民主测评票数", 8, "18" }, .k = K_INT, .lo = 0, .hi = 1000000 },
    [P_V_COMP] = { .pub = { "称职票", "votes@competent", false, NULL, "也可写作“合格票”", 8, "6" }, .k = K_INT, .lo = 0, .hi = 1000000, .alt = "合格票|合格" },
    [P_V_BASIC] = { .pub = { "基本称职票", "votes@basic", false, NULL, "也可写作“基本合格票”", 10, "1" }, .k = K_INT, .lo = 0, .hi = 1000000, .alt = "基本合格票|基本合格" },
    [P_V_INC] = { .pub = { "不称职票", "votes@incompetent", false, NULL, "也可写作“不合格票”", 10, "0" }, .k = K_INT, .lo = 0, .hi = 1000000, .alt = "不合格票|不合格" },
    [P_GRADE] = { .pub = { "拟定等次", "proposal@grade", false, L_GRADE, "不填由程序按名额拟定", 10, "" }, .k = K_ENUM, .values = V_GRADE },
    [P_ADVANCED] = { .pub = { "先进个人", "proposal@advanced", false, L_BOOL, "是/否", 10, "否" }, .k = K_BOOL, .values = V_BOOL },
    [P_COMMENT] = { .pub = { "主管领导评语", "proposal@comment", false, NULL, "", 30, "" }, .k = K_LONG },
    [P_SUMMARY] = { .pub = { "个人总结", "summary", false, NULL, "全文，可换行（Alt+Enter）", 40, "个人总结全文……" }, .k = K_LONG },
    [P_HISTORY] = { .pub = { "历年等次", "history", false, NULL, "如 2024优秀；2023称职", 22, "2024优秀；2023称职" }, .k = K_HISTORY },
};

enum { S_UNIT, S_SCHEME, S_ITEM, S_POINTS, S_COUNT, S_N };
static const coldef assess_cols[S_N] = {
    [S_UNIT] = { .pub = { "单位代码", "unit@id", true, NULL, "", 12, "U001" }, .k = K_ID },
    [S_SCHEME] = { .pub = { "方案", "assessment@scheme", true, NULL, "考评方案名称，如 zhangzhou", 14, "zhangzhou" }, .k = K_REF },
    [S_ITEM] = { .pub = { "项目", "item@ref", true, NULL, "考评项目代码，如 basic", 18, "basic" }, .k = K_REF },
    [S_POINTS] = { .pub = { "得分", "item@points", false, NULL, "评定分值的项目填得分", 10, "421.5" }, .k = K_DEC },
    [S_COUNT] = { .pub = { "次数", "item@count", false, NULL, "按次数计分的项目填次数", 10, "" }, .k = K_INT, .lo = 0, .hi = 1000000 },
};

static const char *const SHEET_NAMES[ROSTER_SHEET_COUNT] = { "考核", "单位", "人员", "绩效考评" };
#define SCORE_PREFIX "评分:"

static const coldef *sheet_defs(roster_sheet s, int *n)
{
    switch (s) {
    case ROSTER_SHEET_APPRAISAL: *n = A_N; return appraisal_cols;
    case ROSTER_SHEET_UNITS: *n = U_N; return unit_cols;
    case ROSTER_SHEET_PERSONS: *n = P_N; return person_cols;
    default: *n = S_N; return assess_cols;
    }
}

const char *roster_sheet_name(roster_sheet s) { return s < ROSTER_SHEET_COUNT ? SHEET_NAMES[s] : ""; }

int roster_column_count(roster_sheet s)
{
    int n;
    sheet_defs(s, &n);
    return n;
}

const roster_column *roster_column_at(roster_sheet s, int i)
{
    int n;
    const coldef *d = sheet_defs(s, &n);
    return i >= 0 && i < n ? &d[i].pub : NULL;
}

bool roster_is_roster_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm") || !strcasecmp(dot, ".csv") ||
                   !strcasecmp(dot, ".xls"));
}

/* --- a small map: string -> long (unit index, first row of a person id) ---------- */

typedef struct idmap { char **keys; long *vals; size_t cap, count; } idmap;

static size_t idmap_slot(const idmap *m, const char *k)
{
    size_t i = (size_t)hash_fnv1a64(k) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], k)) i = (i + 1) & (m->cap - 1);
    return i;
}

static long idmap_get(const idmap *m, const char *k)
{
    if (!m->cap) return -1;
    size_t i = idmap_slot(m, k);
    return m->keys[i] ? m->vals[i] : -1;
}

static void idmap_put(idmap *m, const char *k, long v)
{
    if ((m->count + 1) * 2 > m->cap) {
        idmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 1024;
        m->keys = xcalloc(m->cap, sizeof *m->keys);
        m->vals = xcalloc(m->cap, sizeof *m->vals);
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) {
                size_t j = idmap_slot(m, old.keys[i]);
                m->keys[j] = old.keys[i];
                m->vals[j] = old.vals[i];
            }
        free(old.keys);
        free(old.vals);
    }
    size_t i = idmap_slot(m, k);
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(k);
        m->count++;
    }
    m->vals[i] = v;
}

static void idmap_free(idmap *m)
{
    for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* --- the conversion's state --------------------------------------------------------- */

typedef struct runit {
    char *id, *name;
    char *name_at;           /* "单位!B3": where the name came from */
    char *first_at;          /* where the unit was first named */
    char *fields[U_N];       /* canonical values (NULL: not given) */
    sbuf assess;             /* <assessment> elements */
    char *scheme;            /* scheme of the open <assessment> */
    bool from_sheet;
} runit;

typedef struct pidx { long unit, seq; off_t off; size_t len; } pidx;

/* The cell field f was last converted from (d NULL: none, or it failed).
 * A roster repeats most columns from row to row (the unit's code and name,
 * category, role, the 是/否 columns, counts of 0), and a cell equal to the
 * last one converts to the same value: it is not converted again. */
typedef struct last_cell {
    const coldef *d;
    xlsxr_type type;
    double num;
    bool date;
    sbuf text;
} last_cell;

typedef struct ctx {
    const roster_opts *o;
    const char *file;        /* the file being read */
    const char *sheet;       /* its sheet name as shown */
    int errors, warnings, listed;
    /* 考核 */
    char *appraisal[A_N];
    /* units */
    runit *units;
    long n_units, cap_units;
    idmap unit_ids;
    bool have_unit_sheet;
    /* persons */
    idmap person_ids;
    pidx *persons;
    long n_persons, cap_persons;
    FILE *spill;
    char *spill_buf;         /* its stdio buffer */
    off_t spill_len;
    long person_rows;
    /* the sheet being read */
    roster_sheet kind;
    int ncols;
    const coldef *defs;
    int *col_of;             /* column index of each field, -1 when absent */
    char **score_names;      /* 评分:NAME columns: name per column index (NULL if not) */
    int score_cap;
    long header_row;
    bool header_done, header_failed;
    sbuf val[P_N];           /* canonical values of the row being read */
    last_cell last[P_N];     /* what val[f] and has[f] were converted from */
    const char *person_attr[P_N];   /* the attribute each 人员 column fills ("duty" of "person@duty") */
    bool has[P_N];
    sbuf xml, tmp;
    bool d1904;              /* the workbook's date system */
    char why[96];            /* a range explanation for a message */
} ctx;

static const char *L(const ctx *c, const char *zh, const char *en) { return c->o->lang == LANG_EN ? en : zh; }

/* Print one problem: "kaohe: FILE: 人员!F17：… [CODE]". */
static void problem(ctx *c, bool error, const char *code, const char *cell, ...)
{
    if (error) c->errors++;
    else c->warnings++;
    int cap = c->o->max_errors > 0 ? c->o->max_errors : 50;
    if (error && c->listed >= cap) return;
    if (error) c->listed++;
    sbuf m = { 0 };
    va_list ap;
    va_start(ap, cell);
    sbuf_vprintf(&m, msg_fmt(c->o->lang, code), ap);
    va_end(ap);
    if (cell && cell[0]) fprintf(c->o->err, "kaohe: %s: %s!%s: %s [%s]\n", c->file, c->sheet, cell, m.data, code);
    else fprintf(c->o->err, "kaohe: %s: %s [%s]\n", c->file, m.data, code);
    sbuf_free(&m);
}

static void cellref(const ctx *c, int col, long row, char *buf, size_t n)
{
    (void)c;
    xlsxr_cell_ref(col, row, buf, n);
}

/* --- values ----------------------------------------------------------------------- */

static size_t cp_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* At most `limit` code points: a text of no more bytes than that is short
 * enough without counting (every value of a row is checked). */
static bool cp_within(const char *s, size_t bytes, size_t limit)
{
    return bytes <= limit || cp_count(s) <= limit;
}

/* Append n bytes; sbuf_add's work inline when they fit (hot: every value
 * and every piece of XML of every row goes through here). */
static inline void buf_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) sbuf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void buf_lit(sbuf *b, const char *s) { buf_add(b, s, strlen(s)); }

/* Append a non-negative number in decimal, zero-padded to `width` digits
 * ("%0*d" without printf: it runs for every date and year of every row). */
static void put_uint(sbuf *b, unsigned long long v, int width)
{
    char digits[24];
    int k = 0;
    do { digits[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (k < width && k < (int)sizeof digits) digits[k++] = '0';
    char out[24];
    for (int i = 0; i < k; i++) out[i] = digits[k - 1 - i];
    buf_add(b, out, (size_t)k);
}

/* The index of the first byte below 0x20 in s[from..n), or n. Eight bytes
 * at a time: a byte is below 0x20 when its top three bits are clear (an
 * exact zero-byte test on those bits). */
static size_t next_low_byte(const char *s, size_t from, size_t n)
{
    const uint64_t hi3 = 0xE0E0E0E0E0E0E0E0ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
    size_t i = from;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t x = w & hi3;
        if (~(((x & low7) + low7) | x | low7)) break;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] < 0x20) return i;
    return n;
}

/* Copy s without surrounding white space (ASCII and the ideographic space). */
static bool ideographic_space(const char *s) { return s[0] == '\xE3' && s[1] == '\x80' && s[2] == '\x80'; }

static void put_trimmed(sbuf *b, const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || ideographic_space(s))
        s += *s == '\xE3' ? 3 : 1;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
                 (n >= 3 && s[n - 1] == '\x80' && ideographic_space(s + n - 3))))
        n -= s[n - 1] == '\x80' ? 3 : 1;
    buf_add(b, s, n);
}

/* A number as the schema's decimal lexical form: at most 6 fraction digits. */
static void put_number(sbuf *b, double v)
{
    char buf[64];
    if (fabs(v - nearbyint(v)) < 1e-9 && fabs(v) < 1e15) snprintf(buf, sizeof buf, "%.0f", nearbyint(v));
    else {
        snprintf(buf, sizeof buf, "%.6f", v);
        char *e = buf + strlen(buf);
        while (e > buf && e[-1] == '0') *--e = '\0';
        if (e > buf && e[-1] == '.') e[-1] = '\0';
    }
    sbuf_puts(b, buf);
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return n > 0;
}

/* "1980-05", "1980.5", "1980/05", "1980年5月", "198005", "1980-05-17" -> y, m. */
static bool parse_year_month(const char *s, int *y, int *m, int *d)
{
    int a = 0, b = 0, c = 0, n = 0;
    *d = 0;
    if (strlen(s) == 6 && all_digits(s, 6)) return sscanf(s, "%4d%2d", y, m) == 2 && *m >= 1 && *m <= 12;
    if (strlen(s) == 8 && all_digits(s, 8)) {
        if (sscanf(s, "%4d%2d%2d", y, m, d) != 3) return false;
        return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
    }
    /* numbers separated by one of - . / 年 月 日 */
    const char *p = s;
    int vals[3], k = 0;
    while (*p && k < 3) {
        if (!isdigit((unsigned char)*p)) return false;
        long v = strtol(p, (char **)&p, 10);
        vals[k++] = (int)v;
        if (!*p) break;
        if (*p == '-' || *p == '.' || *p == '/') p++;
        else if (!strncmp(p, "年", 3) || !strncmp(p, "月", 3) || !strncmp(p, "日", 3)) p += 3;
        else return false;
        if (!*p) break;
    }
    if (*p) return false;
    a = vals[0];
    b = k > 1 ? vals[1] : 0;
    c = k > 2 ? vals[2] : 0;
    n = k;
    if (n < 2 || a < 1000 || b < 1 || b > 12) return false;
    *y = a;
    *m = b;
    *d = c;
    return n == 2 || (c >= 1 && c <= 31);
}

static bool valid_date(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1) return false;
    int max = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= max;
}

/* Convert one cell to the column's XML lexical form in `out`. Returns NULL
 * when fine (out empty: the cell is blank), else the message code; `why`
 * may get a short explanation. */
static const char *convert(ctx *c, const coldef *d, const xlsxr_cell *cell, bool d1904, sbuf *out, const char **why)
{
    sbuf_clear(out);
    *why = "";
    if (!cell) return NULL;
    if (cell->type == XC_ERROR) return "ROSTER_CELL_ERROR";
    bool num = cell->type == XC_NUMBER;
    if (cell->type == XC_BOOL) {
        if (d->k != K_BOOL) return "ROSTER_NUMBER_FOR_TEXT";
        sbuf_puts(out, cell->num ? "true" : "false");
        return NULL;
    }
    bool blanks = false;   /* the text holds a line break or a tab */
    if (!num) {
        put_trimmed(out, cell->text);
        if (!out->len) return NULL;
        for (size_t i = next_low_byte(out->data, 0, out->len); i < out->len; i = next_low_byte(out->data, i + 1, out->len)) {
            char ch = out->data[i];
            if (ch != '\n' && ch != '\t' && ch != '\r') {
                *why = L(c, "含有控制字符", "holds a control character");
                return "ROSTER_VALUE_INVALID";
            }
            blanks = true;
        }
    }
    switch (d->k) {
    case K_TEXT: case K_NAME: case K_LONG: {
        if (num) return "ROSTER_NUMBER_FOR_TEXT";
        size_t limit = d->k == K_LONG ? 20000 : 200;
        if (!cp_within(out->data, out->len, limit)) {
            *why = d->k == K_LONG ? L(c, "超过 20000 字", "longer than 20000 characters")
                                  : L(c, "超过 200 字", "longer than 200 characters");
            return "ROSTER_VALUE_INVALID";
        }
        if (d->k != K_LONG && blanks)
            for (char *p = out->data; *p; p++)
                if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
        return NULL;
    }
    case K_ID: case K_REF: case K_PHONE: case K_POLICY: {
        if (num) {
            if (d->k == K_POLICY || cell->num < 0 || fabs(cell->num - nearbyint(cell->num)) > 1e-9)
                return "ROSTER_NUMBER_FOR_TEXT";
            put_number(out, cell->num);
        }
        if (d->k == K_PHONE) {
            if (!cp_within(out->data, out->len, 200)) { *why = L(c, "超过 200 字", "longer than 200 characters"); return "ROSTER_VALUE_INVALID"; }
            return NULL;
        }
        size_t n = out->len;
        bool ok = n >= 1 && n <= 64;
        for (size_t i = 0; ok && i < n; i++) {
            unsigned char ch = (unsigned char)out->data[i];
            ok = isalnum(ch) || ch == '_' || ch == '-' || (d->k != K_ID && ch == '.');
        }
        if (!ok) {
            *why = L(c, "只能用字母、数字、_ 或 -，最多 64 个字符", "letters, digits, _ or - only, at most 64");
            return "ROSTER_VALUE_INVALID";
        }
        if (d->k == K_POLICY && c->o->policies_dir) {
            char path[4200];
            struct stat sb;
            snprintf(path, sizeof path, "%s/%s.policy", c->o->policies_dir, out->data);
            if (stat(path, &sb) != 0) return "ROSTER_VALUE_NOT_IN_LIST";
        }
        return NULL;
    }
    case K_ENUM: case K_BOOL: {
        const char *v = out->data;
        if (num) {
            if (d->k != K_BOOL || (cell->num != 0 && cell->num != 1)) return "ROSTER_VALUE_NOT_IN_LIST";
            sbuf_clear(out);
            sbuf_puts(out, cell->num ? "true" : "false");
            return NULL;
        }
        const char *hit = NULL;
        for (int i = 0; d->pub.labels[i]; i++)
            if ((v[0] == d->pub.labels[i][0] && !strcmp(v, d->pub.labels[i])) ||
                (v[0] == d->values[i][0] && !strcmp(v, d->values[i])))
                hit = d->values[i];
        bool flag;
        if (!hit && d->k == K_BOOL && value_boolean(v, &flag)) hit = flag ? "true" : "false";   /* 1/0/true/false */
        if (!hit && d->k == K_BOOL) {   /* Excel's CSV writes TRUE/FALSE */
            if (!strcasecmp(v, "true")) hit = "true";
            else if (!strcasecmp(v, "false")) hit = "false";
        }
        if (!hit) return "ROSTER_VALUE_NOT_IN_LIST";
        sbuf_clear(out);
        sbuf_puts(out, hit);
        return NULL;
    }
    case K_INT: {
        long long v;
        if (num) {
            if (fabs(cell->num - nearbyint(cell->num)) > 1e-9) {
                *why = L(c, "应为整数", "must be a whole number");
                return "ROSTER_VALUE_INVALID";
            }
            v = (long long)nearbyint(cell->num);
        } else if (!value_integer(out->data, -1000000000LL, 1000000000LL, &v)) {   /* as the schema reads it */
            *why = L(c, "应为整数", "must be a whole number");
            return "ROSTER_VALUE_INVALID";
        }
        if (v < d->lo || v > d->hi) {
            snprintf(c->why, sizeof c->why, "%s %ld–%ld", L(c, "应在", "must be within"), d->lo, d->hi);
            *why = c->why;
            return "ROSTER_VALUE_INVALID";
        }
        /* formatted by hand: this runs for every count cell of every row */
        sbuf_clear(out);
        if (v < 0) buf_add(out, "-", 1);
        put_uint(out, v < 0 ? (unsigned long long)(-v) : (unsigned long long)v, 1);
        return NULL;
    }
    case K_DEC: case K_RATIO: {
        fix6 f;
        bool pct = false;
        if (num) {
            sbuf_clear(out);
            put_number(out, cell->num);
        } else if (d->k == K_RATIO && out->len > 1 && (out->data[out->len - 1] == '%' ||
                   (out->len > 3 && !strcmp(out->data + out->len - 3, "％")))) {
            out->len -= out->data[out->len - 1] == '%' ? 1 : 3;
            out->data[out->len] = '\0';
            pct = true;
        }
        if (!value_decimal(out->data, &f)) {   /* as the schema reads it: .5, 5., +5 */
            *why = L(c, "应为数字（最多 6 位小数）", "must be a number (at most 6 decimals)");
            return "ROSTER_VALUE_INVALID";
        }
        if (pct) f /= 100;
        if (d->k == K_RATIO && (f < 0 || f > FIX_ONE)) {
            *why = L(c, "应在 0–1 之间（或 0%–100%）", "must be within 0..1 (or 0%..100%)");
            return "ROSTER_VALUE_INVALID";
        }
        if (d->k == K_DEC && (f < -1000000 * FIX_ONE || f > 1000000 * FIX_ONE)) {
            *why = L(c, "超出 ±1000000", "beyond ±1000000");
            return "ROSTER_VALUE_INVALID";
        }
        char buf[64];
        fix6_format_plain(f, buf, sizeof buf);
        sbuf_clear(out);
        sbuf_puts(out, buf);
        return NULL;
    }
    case K_YM: case K_DATE: {
        int y = 0, m = 0, dd = 0;
        bool ok;
        if (num && cell->date) ok = xlsxr_serial_date(cell->num, d1904, &y, &m, &dd);
        else if (num && d->k == K_YM && cell->num >= 1000 && cell->num < 10000) {
            /* 1980.05 typed as a number (shown 1980.05, stored 1980.05; 1980.1 is October) */
            y = (int)cell->num;
            m = (int)nearbyint((cell->num - y) * 100);
            ok = m >= 1 && m <= 12;
        } else if (num && d->k == K_YM && cell->num >= 100001 && cell->num <= 999912) {
            y = (int)(cell->num / 100);
            m = (int)cell->num % 100;
            ok = m >= 1 && m <= 12 && fabs(cell->num - nearbyint(cell->num)) < 1e-9;
        } else if (num) ok = false;
        else ok = parse_year_month(out->data, &y, &m, &dd);
        if (ok && d->k == K_DATE) ok = dd > 0 && valid_date(y, m, dd);
        if (ok && (y < 1950 || y > 2200) && d->k == K_DATE) ok = false;
        if (ok && (y < 1000 || y > 9999)) ok = false;
        if (!ok) {
            *why = d->k == K_DATE ? L(c, "应为日期，如 2025-12-29", "must be a date such as 2025-12-29")
                                  : L(c, "应为年月，如 1980-05", "must be a year and month such as 1980-05");
            return "ROSTER_VALUE_INVALID";
        }
        sbuf_clear(out);   /* "%04d-%02d[-%02d]"; y, m, dd are in range here */
        put_uint(out, (unsigned)y, 4);
        buf_add(out, "-", 1);
        put_uint(out, (unsigned)m, 2);
        if (d->k == K_DATE) {
            buf_add(out, "-", 1);
            put_uint(out, (unsigned)dd, 2);
        }
        return NULL;
    }
    case K_HISTORY: {
        if (num) return "ROSTER_NUMBER_FOR_TEXT";
        /* "2024优秀；2023称职" -> <year value="2024" grade="excellent"/>... */
        sbuf_clear(&c->tmp);
        const char *p = out->data;
        int count = 0;
        while (*p) {
            while (*p == ' ' || *p == ',' || *p == ';' || !strncmp(p, "；", 3) || !strncmp(p, "，", 3) ||
                   !strncmp(p, "、", 3))
                p += (unsigned char)*p >= 0x80 ? 3 : 1;
            if (!*p) break;
            if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]) ||
                !isdigit((unsigned char)p[3])) break;
            int yv = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
            p += 4;
            if (!strncmp(p, "年", 3)) p += 3;
            while (*p == ' ' || *p == ':' || !strncmp(p, "：", 3)) p += *p == ' ' || *p == ':' ? 1 : 3;
            const char *g = NULL;
            size_t best = 0;
            for (int i = 0; L_GRADE[i]; i++) {
                size_t n = strlen(L_GRADE[i]);
                if (n > best && !strncmp(p, L_GRADE[i], n)) { g = V_GRADE[i]; best = n; }
            }
            if (!g || yv < 1950 || yv > 2200 || ++count > 100) { p = NULL; break; }
            buf_lit(&c->tmp, "<year value=\"");
            put_uint(&c->tmp, (unsigned)yv, 1);
            buf_lit(&c->tmp, "\" grade=\"");
            buf_lit(&c->tmp, g);
            buf_lit(&c->tmp, "\"/>");
            p += best;
        }
        if (!p || *p) {
            *why = L(c, "应写作“2024优秀；2023称职”", "must read like '2024优秀；2023称职'");
            return "ROSTER_VALUE_INVALID";
        }
        sbuf_clear(out);
        if (c->tmp.len) sbuf_add(out, c->tmp.data, c->tmp.len);
        return NULL;
    }
    }
    return NULL;
}

/* --- headers ------------------------------------------------------------------------ */

/* Header text as compared: no white space, no "*" or "（必填）" marks. */
static void norm_header(const char *s, sbuf *out)
{
    sbuf_clear(out);
    for (const char *p = s; *p;) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '*') { p++; continue; }
        if (!strncmp(p, "\xE3\x80\x80", 3) || !strncmp(p, "＊", 3)) { p += 3; continue; }
        if (!strncmp(p, "（必填）", strlen("（必填）"))) { p += strlen("（必填）"); continue; }
        if (!strncmp(p, "(必填)", strlen("(必填)"))) { p += strlen("(必填)"); continue; }
        if (!strncmp(p, "：", 3)) { sbuf_putc(out, ':'); p += 3; continue; }
        sbuf_putc(out, *p++);
    }
    if (!out->data) sbuf_puts(out, "");
}

static int match_header(const coldef *defs, int n, const char *h)
{
    for (int i = 0; i < n; i++) {
        if (!strcmp(h, defs[i].pub.header)) return i;
        for (const char *a = defs[i].alt; a && *a;) {
            size_t len = strcspn(a, "|");
            if (strlen(h) == len && !strncmp(h, a, len)) return i;
            a += len + (a[len] == '|');
        }
    }
    return -1;
}

/* Is `row` this sheet's header row? Fills col_of; reports problems only
 * when `report` (the row is taken as the header). Returns the number of
 * known headers. */
static int read_header(ctx *c, long row, const xlsxr_cell *cells, int n, bool report)
{
    sbuf h = { 0 };
    int known = 0;
    for (int i = 0; i < c->ncols; i++) c->col_of[i] = -1;
    for (int i = 0; i < n; i++) {
        if (cells[i].type != XC_STRING) continue;
        norm_header(cells[i].text, &h);
        if (!h.len) continue;
        char ref[32];
        cellref(c, cells[i].col, row, ref, sizeof ref);
        int f = c->kind == ROSTER_SHEET_APPRAISAL ? -1 : match_header(c->defs, c->ncols, h.data);
        if (c->kind == ROSTER_SHEET_APPRAISAL) {
            /* 项目 / 内容 */
            if (!strcmp(h.data, "项目")) { c->col_of[0] = cells[i].col; known++; }
            else if (!strcmp(h.data, "内容")) { c->col_of[1] = cells[i].col; known++; }
            else if (report) problem(c, false, "ROSTER_COLUMN_UNKNOWN", ref, cells[i].text);
            continue;
        }
        if (f >= 0) {
            if (c->col_of[f] >= 0) {
                if (report) problem(c, true, "ROSTER_COLUMN_TWICE", ref, c->defs[f].pub.header);
            } else {
                c->col_of[f] = cells[i].col;
                known++;
            }
        } else if (c->kind == ROSTER_SHEET_PERSONS && !strncmp(h.data, SCORE_PREFIX, strlen(SCORE_PREFIX))) {
            const char *name = h.data + strlen(SCORE_PREFIX);
            bool ok = *name && strlen(name) <= 64;
            for (const char *p = name; ok && *p; p++)
                ok = isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.';
            if (!ok) {
                if (report) problem(c, true, "ROSTER_VALUE_INVALID", ref, L(c, "评分列", "score column"), cells[i].text,
                                    L(c, "应写作“评分:名称”，名称用字母、数字、_ . -", "must read '评分:NAME', NAME of letters, digits, _ . -"));
                continue;
            }
            if (cells[i].col >= c->score_cap) {
                int nc = cells[i].col + 64;
                c->score_names = xrealloc(c->score_names, (size_t)nc * sizeof *c->score_names);
                memset(c->score_names + c->score_cap, 0, (size_t)(nc - c->score_cap) * sizeof *c->score_names);
                c->score_cap = nc;
            }
            if (report) {
                free(c->score_names[cells[i].col]);
                c->score_names[cells[i].col] = xstrdup(name);
            }
            known++;
        } else if (report) problem(c, false, "ROSTER_COLUMN_UNKNOWN", ref, cells[i].text);
    }
    sbuf_free(&h);
    return known;
}

static bool header_complete(const ctx *c)
{
    if (c->kind == ROSTER_SHEET_APPRAISAL) return c->col_of[0] >= 0 && c->col_of[1] >= 0;
    for (int i = 0; i < c->ncols; i++)
        if (c->defs[i].pub.required && c->col_of[i] < 0) return false;
    return true;
}

static void report_missing_columns(ctx *c, long row)
{
    char ref[32];
    cellref(c, 0, row, ref, sizeof ref);
    if (c->kind == ROSTER_SHEET_APPRAISAL) {
        if (c->col_of[0] < 0) problem(c, true, "ROSTER_COLUMN_MISSING", ref, "项目");
        if (c->col_of[1] < 0) problem(c, true, "ROSTER_COLUMN_MISSING", ref, "内容");
        return;
    }
    for (int i = 0; i < c->ncols; i++)
        if (c->defs[i].pub.required && c->col_of[i] < 0) problem(c, true, "ROSTER_COLUMN_MISSING", ref, c->defs[i].pub.header);
}

/* --- XML text ------------------------------------------------------------------------ */

/* Attribute-safe escape; line breaks and tabs as character references so
 * attribute normalisation keeps them. */
static void put_attr(sbuf *b, const char *name, const char *v)
{
    buf_add(b, " ", 1);
    buf_lit(b, name);
    buf_add(b, "=\"", 2);
    for (const char *p = v; *p;) {
        size_t run = strcspn(p, "&<>\"\n\r\t");   /* copy safe runs whole */
        buf_add(b, p, run);
        p += run;
        switch (*p) {
        case '&': buf_add(b, "&amp;", 5); break;
        case '<': buf_add(b, "&lt;", 4); break;
        case '>': buf_add(b, "&gt;", 4); break;
        case '"': buf_add(b, "&quot;", 6); break;
        case '\n': buf_add(b, "&#10;", 5); break;
        case '\r': buf_add(b, "&#13;", 5); break;
        case '\t': buf_add(b, "&#9;", 4); break;
        default: continue;
        }
        p++;
    }
    buf_add(b, "\"", 1);
}

static void put_text(sbuf *b, const char *v)
{
    for (const char *p = v; *p;) {
        size_t run = strcspn(p, "&<>\r");
        buf_add(b, p, run);
        p += run;
        switch (*p) {
        case '&': buf_add(b, "&amp;", 5); break;
        case '<': buf_add(b, "&lt;", 4); break;
        case '>': buf_add(b, "&gt;", 4); break;
        case '\r': buf_add(b, "&#13;", 5); break;
        default: continue;
        }
        p++;
    }
}

/* --- rows ---------------------------------------------------------------------------- */

static const xlsxr_cell *cell_at(const xlsxr_cell *cells, int n, int col)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (cells[mid].col == col) return &cells[mid];
        if (cells[mid].col < col) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

static bool date1904_of(const ctx *c);

/* Convert field f of the row into c->val[f]; report a problem at its cell. */
/* Is `cell` what field f was last converted from? A number or a boolean
 * converts from its value (and date style) alone, text from its text. */
static bool same_as_last(const last_cell *l, const coldef *d, const xlsxr_cell *cell)
{
    if (l->d != d || l->type != cell->type) return false;
    if (cell->type == XC_STRING) return l->text.len ? !strcmp(l->text.data, cell->text) : !cell->text[0];
    return l->num == cell->num && l->date == cell->date;
}

static bool take(ctx *c, int f, const coldef *d, int col, long row, const xlsxr_cell *cells, int n)
{
    const xlsxr_cell *cell = col < 0 ? NULL : cell_at(cells, n, col);
    last_cell *last = &c->last[f];
    if (cell && same_as_last(last, d, cell)) return true;   /* val[f] and has[f] hold its conversion */
    last->d = NULL;
    c->has[f] = false;
    sbuf_clear(&c->val[f]);
    if (col < 0) return true;
    const char *why;
    const char *code = convert(c, d, cell, date1904_of(c), &c->val[f], &why);
    if (code) {
        char ref[32];
        cellref(c, col, row, ref, sizeof ref);
        const char *shown = cell ? cell->text : "";
        if (!strcmp(code, "ROSTER_VALUE_NOT_IN_LIST")) {
            sbuf list = { 0 };
            for (int i = 0; d->pub.labels && d->pub.labels[i]; i++) sbuf_printf(&list, "%s%s", i ? "/" : "", d->pub.labels[i]);
            if (d->k == K_POLICY && !list.len) sbuf_puts(&list, "national");
            problem(c, true, code, ref, d->pub.header, shown, list.data ? list.data : "");
            sbuf_free(&list);
        } else if (!strcmp(code, "ROSTER_VALUE_INVALID")) problem(c, true, code, ref, d->pub.header, shown, why);
        else problem(c, true, code, ref, d->pub.header, shown);
        return false;
    }
    c->has[f] = c->val[f].len > 0 || (d->k == K_HISTORY && cell && cell->text[0]);
    if (cell && cell->type != XC_ERROR && d->k != K_POLICY) {   /* a policy's file is looked for each time */
        last->d = d;
        last->type = cell->type;
        last->num = cell->num;
        last->date = cell->date;
        sbuf_clear(&last->text);
        if (cell->type == XC_STRING) sbuf_puts(&last->text, cell->text);
    }
    return true;
}

static bool take_required(ctx *c, int f, long row)
{
    if (c->has[f]) return true;
    char ref[32];
    cellref(c, c->col_of[f], row, ref, sizeof ref);
    problem(c, true, "ROSTER_REQUIRED", ref, c->defs[f].pub.header);
    return false;
}

static void appraisal_row(ctx *c, long row, const xlsxr_cell *cells, int n)
{
    const xlsxr_cell *k = cell_at(cells, n, c->col_of[0]);
    if (!k || k->type != XC_STRING) return;
    sbuf h = { 0 };
    norm_header(k->text, &h);
    int f = match_header(appraisal_cols, A_N, h.data);
    char ref[32];
    cellref(c, k->col, row, ref, sizeof ref);
    if (f < 0) {
        if (h.len) problem(c, false, "ROSTER_COLUMN_UNKNOWN", ref, k->text);
    } else if (take(c, 0, &appraisal_cols[f], c->col_of[1], row, cells, n) && c->has[0]) {
        free(c->appraisal[f]);
        c->appraisal[f] = xstrdup(c->val[0].data);
    }
    sbuf_free(&h);
}

static runit *unit_new(ctx *c, const char *id)
{
    if (c->n_units == c->cap_units) {
        c->cap_units = c->cap_units ? c->cap_units * 2 : 64;
        c->units = xrealloc(c->units, (size_t)c->cap_units * sizeof *c->units);
    }
    runit *u = &c->units[c->n_units];
    memset(u, 0, sizeof *u);
    u->id = xstrdup(id);
    idmap_put(&c->unit_ids, id, c->n_units++);
    return u;
}

static char *at_str(const ctx *c, int col, long row)
{
    char ref[32];
    sbuf b = { 0 };
    cellref(c, col, row, ref, sizeof ref);
    sbuf_printf(&b, "%s!%s", c->sheet, ref);
    return b.data;
}

static void unit_row(ctx *c, long row, const xlsxr_cell *cells, int n)
{
    bool ok = true;
    for (int f = 0; f < U_N; f++) ok &= take(c, f, &unit_cols[f], c->col_of[f], row, cells, n);
    if (!ok) return;
    if (!take_required(c, U_ID, row) | !take_required(c, U_NAME, row)) return;
    const char *id = c->val[U_ID].data;
    long at = idmap_get(&c->unit_ids, id);
    if (at >= 0) {
        char ref[32];
        cellref(c, c->col_of[U_ID], row, ref, sizeof ref);
        problem(c, true, "ROSTER_UNIT_TWICE", ref, id, c->units[at].first_at);
        return;
    }
    runit *u = unit_new(c, id);
    u->from_sheet = true;
    u->name = xstrdup(c->val[U_NAME].data);
    u->name_at = at_str(c, c->col_of[U_NAME], row);
    u->first_at = at_str(c, c->col_of[U_ID], row);
    for (int f = 2; f < U_N; f++)
        if (c->has[f]) u->fields[f] = xstrdup(c->val[f].data);
}

/* The unit a 人员 or 绩效考评 row names; NULL (reported) when unknown. */
static runit *unit_for_row(ctx *c, int id_field, int name_field, long row)
{
    const char *id = c->val[id_field].data;
    long at = idmap_get(&c->unit_ids, id);
    if (at < 0 && c->have_unit_sheet) {
        char ref[32];
        cellref(c, c->col_of[id_field], row, ref, sizeof ref);
        problem(c, true, "ROSTER_UNIT_UNKNOWN", ref, id);
        return NULL;
    }
    runit *u = at >= 0 ? &c->units[at] : unit_new(c, id);
    if (!u->first_at) u->first_at = at_str(c, c->col_of[id_field], row);
    if (name_field >= 0 && c->has[name_field]) {
        const char *name = c->val[name_field].data;
        if (!u->name) {
            u->name = xstrdup(name);
            u->name_at = at_str(c, c->col_of[name_field], row);
        } else if (strcmp(u->name, name)) {
            char nref[32];
            cellref(c, c->col_of[name_field], row, nref, sizeof nref);
            problem(c, true, "ROSTER_UNIT_NAME_CONFLICT", nref, id, name, u->name_at, u->name);
            return NULL;
        }
    }
    return u;
}

static void assess_row(ctx *c, long row, const xlsxr_cell *cells, int n)
{
    bool ok = true;
    for (int f = 0; f < S_N; f++) ok &= take(c, f, &assess_cols[f], c->col_of[f], row, cells, n);
    if (!ok) return;
    if (!take_required(c, S_UNIT, row) | !take_required(c, S_SCHEME, row) | !take_required(c, S_ITEM, row)) return;
    runit *u = unit_for_row(c, S_UNIT, -1, row);
    if (!u) return;
    const char *scheme = c->val[S_SCHEME].data;
    if (!u->scheme || strcmp(u->scheme, scheme)) {
        if (u->scheme) sbuf_puts(&u->assess, "</assessment>");
        free(u->scheme);
        u->scheme = xstrdup(scheme);
        sbuf_puts(&u->assess, "<assessment");
        put_attr(&u->assess, "scheme", scheme);
        sbuf_putc(&u->assess, '>');
    }
    sbuf_puts(&u->assess, "<item");
    put_attr(&u->assess, "ref", c->val[S_ITEM].data);
    if (c->has[S_POINTS]) put_attr(&u->assess, "points", c->val[S_POINTS].data);
    if (c->has[S_COUNT]) put_attr(&u->assess, "count", c->val[S_COUNT].data);
    sbuf_puts(&u->assess, "/>");
}

static void put_field(ctx *c, sbuf *b, int f)
{
    if (!c->has[f]) return;
    put_attr(b, c->person_attr[f], c->val[f].data);
}

/* The <person> element of a checked row. */
static void person_xml(ctx *c, sbuf *b, long row, const xlsxr_cell *cells, int n)
{
    sbuf_puts(b, "<person");
    static const int attrs[] = { P_ID, P_NAME, P_GENDER, P_BIRTH, P_ETHNIC, P_POLITICAL, P_EDU, P_CAT, P_ROLE,
                                 P_POST, P_RANK, P_SINCE, P_DUTY };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) put_field(c, b, attrs[i]);
    sbuf_puts(b, ">");
    static const int status[] = { P_LEAVE_M, P_LEAVE_T, P_PROBATION, P_MONTHS, P_SECONDED, P_INVEST,
                                  P_SANCTION, P_SANCTION_Y, P_REFUSED, P_ROUTINE };
    bool any = false;
    for (size_t i = 0; i < sizeof status / sizeof status[0]; i++) any |= c->has[status[i]];
    if (any) {
        sbuf_puts(b, "<status");
        for (size_t i = 0; i < sizeof status / sizeof status[0]; i++) {
            int f = status[i];
            if (f == P_SECONDED && c->has[f])
                put_attr(b, "assignment", !strcmp(c->val[f].data, "true") ? "seconded" : "regular");
            else put_field(c, b, f);
        }
        sbuf_puts(b, "/>");
    }
    if (c->has[P_SUMMARY]) {
        sbuf_puts(b, "<summary>");
        put_text(b, c->val[P_SUMMARY].data);
        sbuf_puts(b, "</summary>");
    }
    if (c->has[P_V_EXC] || c->has[P_V_COMP] || c->has[P_V_BASIC] || c->has[P_V_INC]) {
        sbuf_puts(b, "<votes");
        for (int f = P_V_EXC; f <= P_V_INC; f++) put_field(c, b, f);
        sbuf_puts(b, "/>");
    }
    bool scores = false;
    for (int i = 0; i < n; i++) {
        int col = cells[i].col;
        if (col >= c->score_cap || !c->score_names[col]) continue;
        sbuf v = { 0 };
        if (cells[i].type == XC_NUMBER) put_number(&v, cells[i].num);
        else put_trimmed(&v, cells[i].text);
        if (v.len) {
            char ref[32];
            cellref(c, col, row, ref, sizeof ref);
            if (cp_count(v.data) > 32) {
                problem(c, true, "ROSTER_VALUE_INVALID", ref, c->score_names[col], v.data,
                        L(c, "最多 32 个字符", "at most 32 characters"));
            } else {
                if (!scores) sbuf_puts(b, "<scores>");
                scores = true;
                sbuf_puts(b, "<component");
                put_attr(b, "name", c->score_names[col]);
                put_attr(b, "value", v.data);
                sbuf_puts(b, "/>");
            }
        }
        sbuf_free(&v);
    }
    if (scores) sbuf_puts(b, "</scores>");
    if (c->has[P_GRADE] || c->has[P_ADVANCED] || c->has[P_COMMENT]) {
        sbuf_puts(b, "<proposal");
        put_field(c, b, P_GRADE);
        put_field(c, b, P_ADVANCED);
        put_field(c, b, P_COMMENT);
        sbuf_puts(b, "/>");
    }
    if (c->has[P_HISTORY]) {
        sbuf_puts(b, "<history>");
        sbuf_add(b, c->val[P_HISTORY].data, c->val[P_HISTORY].len);
        sbuf_puts(b, "</history>");
    }
    sbuf_puts(b, "</person>\n");
}

static void person_row(ctx *c, long row, const xlsxr_cell *cells, int n)
{
    c->person_rows++;
    bool ok = true, got[P_N];
    for (int f = 0; f < P_N; f++) ok &= got[f] = take(c, f, &person_cols[f], c->col_of[f], row, cells, n);
    /* every check that can still be made is made: one pass shows all problems */
    for (int f = 0; f < P_N; f++)
        if (got[f] && c->defs[f].pub.required) ok &= take_required(c, f, row);
    if (!got[P_ID] || !c->has[P_ID]) return;
    const char *pid = c->val[P_ID].data;
    long first = idmap_get(&c->person_ids, pid);
    if (first >= 0) {
        char ref[32], fref[32];
        cellref(c, c->col_of[P_ID], row, ref, sizeof ref);
        cellref(c, c->col_of[P_ID], first, fref, sizeof fref);
        char where[64];
        snprintf(where, sizeof where, "%s!%s", c->sheet, fref);
        problem(c, true, "ROSTER_DUPLICATE_ID", ref, pid, where);
        return;
    }
    idmap_put(&c->person_ids, pid, row);
    if (!got[P_UNIT] || !c->has[P_UNIT] || !got[P_UNIT_NAME]) return;
    runit *u = unit_for_row(c, P_UNIT, P_UNIT_NAME, row);
    if (!u || !ok) return;
    int errors = c->errors;
    sbuf_clear(&c->xml);
    person_xml(c, &c->xml, row, cells, n);
    if (c->errors != errors || c->errors) return;   /* after the first error nothing more is kept */
    if (c->n_persons == c->cap_persons) {
        c->cap_persons = c->cap_persons ? c->cap_persons * 2 : 1024;
        c->persons = xrealloc(c->persons, (size_t)c->cap_persons * sizeof *c->persons);
    }
    pidx *p = &c->persons[c->n_persons];
    p->unit = u - c->units;
    p->seq = c->n_persons++;
    p->off = c->spill_len;
    p->len = c->xml.len;
    if (fwrite(c->xml.data, 1, c->xml.len, c->spill) != c->xml.len) {
        problem(c, true, "INPUT_UNREADABLE", NULL, "(temp)", strerror(errno));
        return;
    }
    c->spill_len += (off_t)c->xml.len;
}

static bool date1904_of(const ctx *c) { return c->d1904; }

/* --- sheets ------------------------------------------------------------------------ */

#define HEADER_SEARCH_ROWS 10   /* a title row or two may sit above the headers */

static void sheet_begin(ctx *c, roster_sheet kind, const char *shown_name)
{
    c->kind = kind;
    c->sheet = shown_name;
    c->defs = sheet_defs(kind, &c->ncols);
    c->col_of = xrealloc(c->col_of, (size_t)(c->ncols > 2 ? c->ncols : 2) * sizeof *c->col_of);
    for (int i = 0; i < c->ncols; i++) c->col_of[i] = -1;
    c->col_of[0] = c->col_of[1] = -1;
    for (int i = 0; i < c->score_cap; i++) {
        free(c->score_names[i]);
        c->score_names[i] = NULL;
    }
    c->header_done = c->header_failed = false;
    c->header_row = 0;
}

static int on_row(void *arg, long row, const xlsxr_cell *cells, int n)
{
    ctx *c = arg;
    if (!c->header_done) {
        int known = read_header(c, row, cells, n, false);
        if (known > 0 && header_complete(c)) {
            read_header(c, row, cells, n, true);
            c->header_done = true;
            c->header_row = row;
            return 0;
        }
        if (known > 0 || row >= HEADER_SEARCH_ROWS) {
            read_header(c, row, cells, n, false);
            report_missing_columns(c, row);
            c->header_failed = true;
            return 1;
        }
        return 0;
    }
    switch (c->kind) {
    case ROSTER_SHEET_APPRAISAL: appraisal_row(c, row, cells, n); break;
    case ROSTER_SHEET_UNITS: unit_row(c, row, cells, n); break;
    case ROSTER_SHEET_PERSONS: person_row(c, row, cells, n); break;
    default: assess_row(c, row, cells, n); break;
    }
    return 0;
}

static void sheet_end(ctx *c)
{
    if (!c->header_done && !c->header_failed) {
        for (int i = 0; i < c->ncols; i++) c->col_of[i] = -1;
        c->col_of[0] = c->col_of[1] = -1;
        report_missing_columns(c, 1);
    }
}

static void package_problem(ctx *c, const xlsxr_error *e)
{
    if (!strcmp(e->code, "INPUT_UNREADABLE")) problem(c, true, e->code, NULL, c->file, e->detail);
    else problem(c, true, e->code, NULL, e->detail);
}

/* A sheet of a roster: which one, and where it is. */
typedef struct sheet_src { const char *path; int index; bool csv; } sheet_src;

static int stop_at_first(void *arg, long row, const xlsxr_cell *cells, int n)
{
    (void)row; (void)cells; (void)n;
    *(bool *)arg = true;
    return 1;
}

/* Which sheet a CSV file is, from its first row. */
typedef struct csv_probe { bool any; int kind; } csv_probe;

static int probe_row(void *arg, long row, const xlsxr_cell *cells, int n)
{
    (void)row;
    csv_probe *p = arg;
    p->any = true;
    bool h[8] = { 0 };
    static const char *const keys[] = { "人员编号", "项目", "内容", "方案", "单位代码", "单位名称" };
    sbuf t = { 0 };
    for (int i = 0; i < n; i++) {
        norm_header(cells[i].text, &t);
        for (int k = 0; k < 6; k++) h[k] |= !strcmp(t.data, keys[k]);
    }
    sbuf_free(&t);
    p->kind = h[0] ? ROSTER_SHEET_PERSONS : h[3] && h[1] ? ROSTER_SHEET_ASSESSMENT : h[1] && h[2] ? ROSTER_SHEET_APPRAISAL
            : h[4] && h[5] ? ROSTER_SHEET_UNITS : -1;
    return p->kind >= 0 || row >= HEADER_SEARCH_ROWS;   /* title rows: look further */
}

static void read_sheet(ctx *c, const sheet_src *src, xlsxr *x, roster_sheet kind)
{
    c->file = src->path;
    sheet_begin(c, kind, src->csv ? roster_sheet_name(kind) : xlsxr_sheet_name(x, src->index));
    xlsxr_error e = { 0 };
    int rc = src->csv ? csvr_read(src->path, on_row, c, NULL, &e) : xlsxr_read_sheet(x, src->index, on_row, c, &e);
    if (rc < 0) package_problem(c, &e);
    else sheet_end(c);
}

/* --- output ------------------------------------------------------------------------ */

static void put_unit_open(sbuf *b, const runit *u)
{
    sbuf_puts(b, "  <unit");
    put_attr(b, "id", u->id);
    put_attr(b, "name", u->name);
    if (u->fields[U_KIND]) put_attr(b, "kind", u->fields[U_KIND]);
    if (u->fields[U_SERIES]) put_attr(b, "series", u->fields[U_SERIES]);
    sbuf_puts(b, ">\n");
    if (u->fields[U_EST_A] || u->fields[U_EST_I]) {
        sbuf_puts(b, "    <establishment");
        if (u->fields[U_EST_A]) put_attr(b, "admin", u->fields[U_EST_A]);
        if (u->fields[U_EST_I]) put_attr(b, "institution", u->fields[U_EST_I]);
        sbuf_puts(b, "/>\n");
    }
    static const int factors[] = { U_TARGET, U_MINIST, U_CIVIL, U_MERIT, U_ROUTINE, U_ACCIDENT };
    bool any = false;
    for (int i = 0; i < 6; i++) any |= u->fields[factors[i]] != NULL;
    if (any) {
        sbuf_puts(b, "    <factors");
        for (int i = 0; i < 6; i++)
            if (u->fields[factors[i]]) put_attr(b, strchr(unit_cols[factors[i]].pub.xml, '@') + 1, u->fields[factors[i]]);
        sbuf_puts(b, "/>\n");
    }
    if (u->fields[U_PGRADE] || u->fields[U_PSCORE]) {
        sbuf_puts(b, "    <performance");
        if (u->fields[U_PGRADE]) put_attr(b, "grade", u->fields[U_PGRADE]);
        if (u->fields[U_PSCORE]) put_attr(b, "score", u->fields[U_PSCORE]);
        sbuf_puts(b, "/>\n");
    }
    if (u->fields[U_RATIO]) {
        sbuf_puts(b, "    <quota");
        put_attr(b, "approvedRatio", u->fields[U_RATIO]);
        sbuf_puts(b, "/>\n");
    }
    if (u->fields[U_CONTACT] || u->fields[U_PHONE]) {
        sbuf_puts(b, "    <contact");
        if (u->fields[U_CONTACT]) put_attr(b, "name", u->fields[U_CONTACT]);
        if (u->fields[U_PHONE]) put_attr(b, "phone", u->fields[U_PHONE]);
        sbuf_puts(b, "/>\n");
    }
    if (u->assess.len) {
        sbuf_puts(b, "    ");
        sbuf_add(b, u->assess.data, u->assess.len);
        sbuf_puts(b, "</assessment>\n");
    }
}

/* The persons' XML read back from the spill file: rows of a unit mostly sit
 * one after the other there, so it is read 1 MB at a time and a person is
 * usually in the block already read (one pread per person was 100,000
 * system calls per 100,000 rows). */
typedef struct spill_reader {
    int fd;
    sbuf buf;                /* the bytes of [at, at + buf.len) */
    off_t at;
} spill_reader;

#define SPILL_BLOCK (1u << 20)

static const char *spill_get(spill_reader *r, off_t off, size_t len)
{
    if (off >= r->at && off + (off_t)len <= r->at + (off_t)r->buf.len) return r->buf.data + (off - r->at);
    size_t want = len > SPILL_BLOCK ? len : SPILL_BLOCK;
    sbuf_clear(&r->buf);
    sbuf_reserve(&r->buf, want);
    ssize_t got = pread(r->fd, r->buf.data, want, off);
    if (got < (ssize_t)len) {
        r->buf.len = 0;
        return NULL;
    }
    r->buf.len = (size_t)got;
    r->at = off;
    return r->buf.data;
}

/* Write out what `b` holds once it passes 256 KB (or at the end): the
 * document leaves in a few large writes. */
static bool out_flush(sbuf *b, FILE *out, bool last)
{
    if (!last && b->len < (256u << 10)) return true;
    bool ok = fwrite(b->data, 1, b->len, out) == b->len;
    sbuf_clear(b);
    return ok;
}

static int write_xml(ctx *c, FILE *out, roster_stats *st)
{
    sbuf b = { 0 };
    sbuf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<appraisal xmlns=\"urn:kaohe:appraisal:1\"");
    char year[16];
    snprintf(year, sizeof year, "%d", c->o->year);
    put_attr(&b, "year", c->appraisal[A_YEAR] ? c->appraisal[A_YEAR] : year);
    if (c->appraisal[A_POLICY]) put_attr(&b, "policy", c->appraisal[A_POLICY]);
    sbuf_puts(&b, ">\n");
    if (c->appraisal[A_ORG] || c->appraisal[A_HR]) {
        sbuf_puts(&b, "  <authority");
        if (c->appraisal[A_ORG]) put_attr(&b, "org", c->appraisal[A_ORG]);
        if (c->appraisal[A_HR]) put_attr(&b, "hr", c->appraisal[A_HR]);
        sbuf_puts(&b, "/>\n");
    }
    if (c->appraisal[A_NOTICE] || c->appraisal[A_DEADLINE] || c->appraisal[A_FILED]) {
        sbuf_puts(&b, "  <schedule");
        if (c->appraisal[A_NOTICE]) put_attr(&b, "noticeStart", c->appraisal[A_NOTICE]);
        if (c->appraisal[A_DEADLINE]) put_attr(&b, "filingDeadline", c->appraisal[A_DEADLINE]);
        if (c->appraisal[A_FILED]) put_attr(&b, "filedOn", c->appraisal[A_FILED]);
        sbuf_puts(&b, "/>\n");
    }
    bool ok = true;
    /* persons by unit, in row order: a counting sort of the index */
    long *start = xcalloc((size_t)c->n_units + 1, sizeof *start);
    long *order = xmalloc((size_t)(c->n_persons ? c->n_persons : 1) * sizeof *order);
    for (long i = 0; i < c->n_persons; i++) start[c->persons[i].unit + 1]++;
    for (long u = 0; u < c->n_units; u++) start[u + 1] += start[u];
    long *fill = xmalloc((size_t)(c->n_units ? c->n_units : 1) * sizeof *fill);
    for (long u = 0; u < c->n_units; u++) fill[u] = start[u];
    for (long i = 0; i < c->n_persons; i++) order[fill[c->persons[i].unit]++] = i;
    free(fill);
    ok = fflush(c->spill) == 0;
    spill_reader sr = { .fd = fileno(c->spill) };
    for (long u = 0; ok && u < c->n_units; u++) {
        put_unit_open(&b, &c->units[u]);
        for (long k = start[u]; ok && k < start[u + 1]; k++) {
            const pidx *p = &c->persons[order[k]];
            const char *xml = spill_get(&sr, p->off, p->len);
            ok = xml != NULL;
            if (ok) {
                buf_add(&b, "    ", 4);
                buf_add(&b, xml, p->len);
                ok = out_flush(&b, out, false);
            }
            st->persons_out += ok;
        }
        buf_lit(&b, "  </unit>\n");
        ok = ok && out_flush(&b, out, false);
        st->units_out += ok;
    }
    buf_lit(&b, "</appraisal>\n");
    ok = ok && out_flush(&b, out, true) && fflush(out) == 0 && !ferror(out);
    sbuf_free(&sr.buf);
    sbuf_free(&b);
    free(start);
    free(order);
    return ok ? 0 : -2;
}

/* --- the whole roster ------------------------------------------------------------------ */

static void ctx_free(ctx *c)
{
    for (int i = 0; i < A_N; i++) free(c->appraisal[i]);
    for (long u = 0; u < c->n_units; u++) {
        runit *r = &c->units[u];
        free(r->id);
        free(r->name);
        free(r->name_at);
        free(r->first_at);
        free(r->scheme);
        sbuf_free(&r->assess);
        for (int f = 0; f < U_N; f++) free(r->fields[f]);
    }
    free(c->units);
    idmap_free(&c->unit_ids);
    idmap_free(&c->person_ids);
    free(c->persons);
    if (c->spill) fclose(c->spill);
    free(c->spill_buf);
    free(c->col_of);
    for (int i = 0; i < c->score_cap; i++) free(c->score_names[i]);
    free(c->score_names);
    for (int f = 0; f < P_N; f++) {
        sbuf_free(&c->val[f]);
        sbuf_free(&c->last[f].text);
    }
    sbuf_free(&c->xml);
    sbuf_free(&c->tmp);
}

static bool is_csv(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && !strcasecmp(dot, ".csv");
}

/* Find the sheets: by name in a workbook, by header row in CSV files. */
static bool locate(ctx *c, char *const *paths, int n_paths, xlsxr **x, sheet_src found[ROSTER_SHEET_COUNT])
{
    for (int k = 0; k < ROSTER_SHEET_COUNT; k++) found[k].path = NULL;
    for (int i = 0; i < n_paths; i++) {
        c->file = paths[i];
        c->sheet = "";
        if (is_csv(paths[i])) {
            csv_probe pr = { false, -1 };
            xlsxr_error e = { 0 };
            if (csvr_read(paths[i], probe_row, &pr, NULL, &e) < 0) { package_problem(c, &e); continue; }
            if (!pr.any) continue;   /* an empty file says nothing */
            if (pr.kind < 0) { problem(c, true, "ROSTER_SHEET_UNKNOWN", NULL, L(c, "（CSV 首行）", "(CSV header row)")); continue; }
            if (found[pr.kind].path) {
                problem(c, true, "ROSTER_SHEET_TWICE", NULL, roster_sheet_name((roster_sheet)pr.kind), found[pr.kind].path);
                continue;
            }
            found[pr.kind] = (sheet_src){ paths[i], 0, true };
            continue;
        }
        xlsxr_error e = { 0 };
        *x = xlsxr_open(paths[i], &e);
        if (!*x) { package_problem(c, &e); return false; }
        c->d1904 = xlsxr_date1904(*x);
        for (int s = 0; s < xlsxr_sheet_count(*x); s++) {
            sbuf nm = { 0 };
            norm_header(xlsxr_sheet_name(*x, s), &nm);
            int kind = -1;
            for (int k = 0; k < ROSTER_SHEET_COUNT; k++)
                if (!strcmp(nm.data, SHEET_NAMES[k])) kind = k;
            bool notes = !strcmp(nm.data, "说明");
            sbuf_free(&nm);
            if (notes) continue;
            if (kind < 0) {
                bool any = false;
                if (xlsxr_read_sheet(*x, s, stop_at_first, &any, &e) < 0) { package_problem(c, &e); return false; }
                if (any) problem(c, true, "ROSTER_SHEET_UNKNOWN", NULL, xlsxr_sheet_name(*x, s));
                continue;
            }
            if (found[kind].path) { problem(c, true, "ROSTER_SHEET_TWICE", NULL, SHEET_NAMES[kind], paths[i]); continue; }
            found[kind] = (sheet_src){ paths[i], s, false };
        }
    }
    if (!found[ROSTER_SHEET_PERSONS].path && !c->errors) {
        c->file = n_paths ? paths[0] : "";
        problem(c, true, "ROSTER_SHEET_MISSING", NULL, SHEET_NAMES[ROSTER_SHEET_PERSONS]);
    }
    return c->errors == 0;
}

int roster_convert(char *const *paths, int n_paths, FILE *out, const roster_opts *o, roster_stats *st)
{
    memset(st, 0, sizeof *st);
    ctx c = { .o = o };
    for (int f = 0; f < P_N; f++) {
        const char *at = strchr(person_cols[f].pub.xml, '@');
        c.person_attr[f] = at ? at + 1 : person_cols[f].pub.xml;
    }
    xlsxr *x = NULL;
    sheet_src found[ROSTER_SHEET_COUNT];
    int rc = -1;
    if (locate(&c, paths, n_paths, &x, found)) {
        c.spill = tmpfile();
        /* a person's XML is ~0.5-3.5 KB: write the spill in 1 MB pieces
         * (glibc sizes the buffer itself, 4 KB, unless given one) */
        if (c.spill) {
            c.spill_buf = xmalloc(SPILL_BLOCK);
            setvbuf(c.spill, c.spill_buf, _IOFBF, SPILL_BLOCK);
        }
        if (!c.spill) {
            c.file = paths[0];
            problem(&c, true, "INPUT_UNREADABLE", NULL, "tmpfile", strerror(errno));
        }
        static const roster_sheet order[] = { ROSTER_SHEET_APPRAISAL, ROSTER_SHEET_UNITS, ROSTER_SHEET_ASSESSMENT,
                                              ROSTER_SHEET_PERSONS };
        for (int k = 0; k < 4 && c.spill; k++) {
            if (!found[order[k]].path) continue;
            if (order[k] == ROSTER_SHEET_UNITS) c.have_unit_sheet = true;
            read_sheet(&c, &found[order[k]], x, order[k]);
        }
        c.file = found[ROSTER_SHEET_PERSONS].path ? found[ROSTER_SHEET_PERSONS].path : paths[0];
        if (c.errors == 0 && !c.appraisal[A_YEAR] && !o->year) {
            c.sheet = "";
            problem(&c, true, "ROSTER_YEAR_MISSING", NULL);
        }
        for (long u = 0; c.errors == 0 && u < c.n_units; u++)
            if (!c.units[u].name) {
                /* first_at is "人员!A5" */
                const char *bang = strchr(c.units[u].first_at, '!');
                c.sheet = SHEET_NAMES[ROSTER_SHEET_PERSONS];
                problem(&c, true, "ROSTER_UNIT_NAME_MISSING", bang ? bang + 1 : "", c.units[u].id);
            }
        if (c.errors == 0) rc = write_xml(&c, out, st);
    }
    if (c.errors > c.listed) {
        sbuf m = { 0 };
        msg_format(&m, o->lang, "ROSTER_TOO_MANY", c.errors - c.listed);
        fprintf(o->err, "kaohe: %s\n", m.data);
        sbuf_free(&m);
    }
    st->person_rows = c.person_rows;
    st->errors = c.errors;
    st->warnings = c.warnings;
    xlsxr_close(x);
    ctx_free(&c);
    return rc;
}

/* --- staging for build/check/quota -------------------------------------------------- */

static void stage_one(roster_staged *s, char *const *paths, int n, const roster_opts *o, bool quiet)
{
    if (!s->dir) {
        const char *tmp = getenv("TMPDIR");
        sbuf d = { 0 };
        sbuf_printf(&d, "%s/kaohe-roster-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(d.data)) {
            sbuf_free(&d);
            s->write_failed = true;
            return;
        }
        s->dir = d.data;
    }
    const char *base = strrchr(paths[0], '/');
    base = base ? base + 1 : paths[0];
    sbuf path = { 0 };
    sbuf_printf(&path, "%s/%d-%s.xml", s->dir, s->n_temps, base);
    FILE *f = fopen(path.data, "wb");
    if (!f) {
        s->write_failed = true;
        sbuf_free(&path);
        return;
    }
    roster_stats st;
    int rc = roster_convert(paths, n, f, o, &st);
    if (fclose(f) != 0 && rc == 0) rc = -2;
    s->temps[s->n_temps++] = path.data;
    sbuf m = { 0 };
    if (rc == 0) {
        s->files[s->n_files++] = path.data;
        if (!quiet) msg_format(&m, o->lang, "ROSTER_IMPORTED", paths[0], st.person_rows, st.persons_out, st.units_out);
    } else if (rc == -1) {
        s->failed++;
        msg_format(&m, o->lang, "ROSTER_REJECTED", paths[0], st.errors);
    } else s->write_failed = true;
    if (m.len) fprintf(o->err, "kaohe: %s\n", m.data);
    sbuf_free(&m);
}

void roster_stage(char *const *files, int n_files, const roster_opts *o, bool quiet, roster_staged *s)
{
    memset(s, 0, sizeof *s);
    s->files = xcalloc((size_t)n_files + 1, sizeof *s->files);
    s->temps = xcalloc((size_t)n_files + 1, sizeof *s->temps);
    char **csv = xcalloc((size_t)n_files + 1, sizeof *csv);
    int n_csv = 0, csv_at = -1;
    for (int i = 0; i < n_files; i++)
        if (is_csv(files[i])) {
            if (csv_at < 0) csv_at = i;
            csv[n_csv++] = files[i];
        }
    for (int i = 0; i < n_files; i++) {
        if (i == csv_at) stage_one(s, csv, n_csv, o, quiet);
        else if (is_csv(files[i])) continue;
        else if (roster_is_roster_path(files[i])) stage_one(s, &files[i], 1, o, quiet);
        else s->files[s->n_files++] = files[i];
    }
    free(csv);
}

void roster_staged_free(roster_staged *s)
{
    for (int i = 0; i < s->n_temps; i++) {
        unlink(s->temps[i]);
        free(s->temps[i]);
    }
    if (s->dir) rmdir(s->dir);
    free(s->dir);
    free(s->temps);
    free(s->files);
    memset(s, 0, sizeof *s);
}
