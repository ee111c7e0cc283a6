/* forms — see forms.h. A layout_source over one computed unit ("view"), the
 * choice of template variant per person category / policy, and the calls to
 * the layout engine and the two writers. No drawing here: every form is a
 * template in templates/forms/. */
#include "forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "charcheck.h"
#include "font.h"
#include "layout.h"
#include "outfile.h"
#include "pdfw.h"
#include "qr.h"
#include "scheme.h"
#include "template.h"
#include "xlsxw.h"
#include "docxw.h"

/* ---------------------------------------------------------------- context */

enum {
    T_QUOTA, T_QUOTA_SPLIT,
    T_REG_CS, T_REG_MANAGED, T_REG_INST, T_REG_OTHER,
    T_BALLOT, T_TALLY, T_NOTICE, T_FILING, T_REWARDS, T_SUMMARY,
    T_ASSESSMENT, T_RANKING,
    T_RESULT_NOTICE, T_INCOMPETENT,
    T_COUNT
};

static const char *const TPL_FILES[T_COUNT] = {
    "quota-application.xml", "quota-application-split.xml",
    "registration-civil-servant.xml", "registration-managed.xml",
    "registration-institution.xml", "registration-other.xml",
    "ballot.xml", "tally.xml", "notice.xml", "filing.xml", "rewards.xml", "summary.xml",
    "assessment.xml", "ranking.xml",
    "result-notice.xml", "incompetent.xml",
};

struct forms_ctx {
    tpl_form *tpl[T_COUNT];
    font_set *fs;
    scheme_set *schemes;     /* titles and grade notes for the ranking; NULL when unreadable */
    char *policies_dir;      /* templates/policies: the summary shows a policy's title */
};

void forms_ctx_free(forms_ctx *fc)
{
    if (!fc) return;
    for (int i = 0; i < T_COUNT; i++) tpl_free(fc->tpl[i]);
    font_set_free(fc->fs);
    scheme_set_free(fc->schemes);
    free(fc->policies_dir);
    free(fc);
}

forms_ctx *forms_ctx_new(const char *templates_dir, char *err, size_t errlen)
{
    forms_ctx *fc = xcalloc(1, sizeof *fc);
    sbuf e = {0};
    sbuf path = {0};
    for (int i = 0; i < T_COUNT; i++) {
        sbuf_clear(&path);
        sbuf_printf(&path, "%s/%s", templates_dir, TPL_FILES[i]);
        fc->tpl[i] = tpl_load(path.data, &e);
        if (!fc->tpl[i]) goto fail;
    }
    fc->fs = font_set_open(NULL, &e);
    if (!fc->fs) goto fail;
    /* the schemes beside the forms (templates/schemes): optional here, the
       batch reports a scheme that does not load */
    sbuf_clear(&path);
    sbuf_printf(&path, "%s/../schemes", templates_dir);
    char serr[256];
    fc->schemes = scheme_set_load_dir(path.data, serr, sizeof serr);
    sbuf_clear(&path);
    sbuf_printf(&path, "%s/../policies", templates_dir);
    fc->policies_dir = xstrdup(path.data);
    sbuf_free(&path);
    sbuf_free(&e);
    return fc;
fail:
    if (err && errlen) snprintf(err, errlen, "%s", e.data ? e.data : "template error");
    sbuf_free(&path);
    sbuf_free(&e);
    forms_ctx_free(fc);
    return NULL;
}

/* ------------------------------------------------------------------- view */

enum { L_ALL, L_BALLOT0, L_BALLOT1, L_PART, L_EXC, L_REW, L_INC, L_NLISTS };

typedef struct gstat {
    long expected, participants, excellent, competent, basic, incompetent, ungraded, absent;
    long places;
} gstat;

/* The unit's scored sheet (u->assessment.result) as lists: rows of the
 * counted sections (each item, then the section's subtotal), the counted
 * sections, the vetoes that apply. */
typedef struct arow { int sec, line, no; } arow;   /* line -1: the section's subtotal; no: 序号 */

typedef struct assess_view {
    const scheme_result *r;
    arow *rows;
    size_t nrows;
    int *secs, *vetoes;
    size_t nsecs, nvetoes;
} assess_view;

typedef struct view {
    const unit *u;
    const policy *pol;
    const person *p;          /* current person for person.* (registration) */
    int kind;                 /* ballot: 0 admin labels, 1 institution labels */
    char today[16];           /* from the epoch */
    char filed[16];           /* filedOn, else today */
    size_t *list[L_NLISTS];
    size_t nlist[L_NLISTS];
    gstat g[GROUP_COUNT + 1]; /* + total */
    long money_total;
    assess_view a;
    char buf[256];
    sbuf sb;                  /* scratch for composed values */
    bool approve;             /* --approve: the authority fills its 审核意见 ("approve" is "1") */
} view;

static const char *CAT_KEYS[] = {"civil-servant", "managed", "institution", "other"};
static const char *CAT_LABELS[] = {"公务员", "参照公务员法管理", "事业单位工作人员", "其他人员"};
static const char *KIND_LABELS[] = {"机关", "参照公务员法管理单位", "事业单位"};

static int person_kind(const person *p)
{
    return (p->category == CAT_CIVIL_SERVANT || p->category == CAT_MANAGED) ? 0 : 1;
}

static bool not_taking_part(const person *p) { return p->code == CODE_6A || p->code == CODE_7; }
static bool undetermined(const person *p)
{
    return p->code == CODE_5A || p->code == CODE_5B || p->code == CODE_5C;
}

static void assess_view_init(assess_view *a, const scheme_result *r)
{
    memset(a, 0, sizeof *a);
    a->r = r;
    if (!r) return;
    int no = 0;
    size_t n = (size_t)r->n_lines + (size_t)r->n_sections;
    a->rows = xmalloc((n ? n : 1) * sizeof *a->rows);
    a->secs = xmalloc((r->n_sections ? (size_t)r->n_sections : 1) * sizeof *a->secs);
    a->vetoes = xmalloc((r->n_vetoes ? (size_t)r->n_vetoes : 1) * sizeof *a->vetoes);
    for (int i = 0; i < r->n_sections; i++) {
        const scheme_section_result *sr = &r->sections[i];
        if (!sr->counted || !sr->section) continue;
        a->secs[a->nsecs++] = i;
        for (int k = 0; k < sr->section->n_items; k++)
            a->rows[a->nrows++] = (arow){i, sr->section->first_item + k, ++no};
        a->rows[a->nrows++] = (arow){i, -1, 0};
    }
    for (int i = 0; i < r->n_vetoes; i++)
        if (r->vetoes[i].count > 0 && r->vetoes[i].veto) a->vetoes[a->nvetoes++] = i;
}

static void assess_view_free(assess_view *a)
{
    free(a->rows);
    free(a->secs);
    free(a->vetoes);
}

static void view_init(view *v, const unit *u, const policy *pol, long long epoch)
{
    memset(v, 0, sizeof *v);
    v->u = u;
    v->pol = pol;
    time_t t = epoch >= 0 ? (time_t)epoch : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(v->today, sizeof v->today, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday % 100);
    const char *fo = u->file && u->file->filed_on[0] ? u->file->filed_on : v->today;
    snprintf(v->filed, sizeof v->filed, "%s", fo);
    size_t n = (size_t)u->n_persons;
    for (int l = 0; l < L_NLISTS; l++) v->list[l] = xmalloc((n ? n : 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        const person *p = &u->persons[i];
        v->list[L_ALL][v->nlist[L_ALL]++] = i;
        bool part = model_participates(p);
        if (part) {
            v->list[L_PART][v->nlist[L_PART]++] = i;
            int k = person_kind(p) ? L_BALLOT1 : L_BALLOT0;
            v->list[k][v->nlist[k]++] = i;
        }
        if (p->grade == GRADE_EXCELLENT) v->list[L_EXC][v->nlist[L_EXC]++] = i;
        if (p->grade == GRADE_INCOMPETENT && !not_taking_part(p)) v->list[L_INC][v->nlist[L_INC]++] = i;
        if (p->reward != REWARD_NONE) {
            v->list[L_REW][v->nlist[L_REW]++] = i;
            if ((int)p->reward < 3) v->money_total += pol->reward_money[p->reward];
        }
        group_t g = model_group_of(p->category);
        for (int k = 0; k < 2; k++) {
            gstat *s = &v->g[k ? GROUP_COUNT : g];
            s->expected++;
            if (part) s->participants++;
            if (not_taking_part(p)) s->absent++;
            else if (undetermined(p)) s->ungraded++;
            else switch (p->grade) {
                case GRADE_EXCELLENT: s->excellent++; break;
                case GRADE_COMPETENT: s->competent++; break;
                case GRADE_BASIC: s->basic++; break;
                case GRADE_INCOMPETENT: s->incompetent++; break;
                default: s->ungraded++; break;
                }
        }
    }
    for (int b = 0; b < u->n_buckets; b++) {
        v->g[u->buckets[b].group].places += u->buckets[b].places;
        v->g[GROUP_COUNT].places += u->buckets[b].places;
    }
    assess_view_init(&v->a, u->assessment.result);
}

static void view_free(view *v)
{
    assess_view_free(&v->a);
    for (int l = 0; l < L_NLISTS; l++) free(v->list[l]);
    sbuf_free(&v->sb);
}

/* Scratch results: valid until the next call on the view. */
static const char *num(view *v, long n)
{
    snprintf(v->buf, sizeof v->buf, "%ld", n);
    return v->buf;
}

static const char *fix(view *v, fix6 x)
{
    fix6_format_plain(x, v->buf, sizeof v->buf);
    return v->buf;
}

/* a / b as an exact-enough decimal (6 digits, rounded) */
static const char *share(view *v, long a, long b)
{
    if (b <= 0) return NULL;
    return fix(v, fix6_share(a, b));
}

static const char *yesno(bool b) { return b ? "是" : "否"; }

static const char *leave_label(leave_t t)
{
    switch (t) {
    case LEAVE_SICK: return "病假";
    case LEAVE_PERSONAL: return "事假";
    case LEAVE_STUDY: return "脱产学习";
    case LEAVE_MATERNITY: return "产假";
    }
    return "请假";
}

static const char *sanction_label(sanction_t s)
{
    switch (s) {
    case SANCTION_WARNING: return "警告";
    case SANCTION_DEMERIT: return "记过";
    case SANCTION_MAJOR_DEMERIT: return "记大过";
    case SANCTION_DEMOTION: return "降级";
    case SANCTION_REMOVAL: return "撤职";
    default: return "";
    }
}

static const char *grade_label(view *v, const person *p)
{
    if (not_taking_part(p)) return "不参加考核";
    sbuf_clear(&v->sb);
    layout_format(TPL_FMT_GRADE, model_grade_key(p->grade), NULL, CAT_KEYS[p->category], &v->sb);
    return v->sb.data ? v->sb.data : "";
}

/* Why a person has no grade (or a forced one): the code's reason. */
static const char *reason(view *v, const person *p)
{
    sbuf_clear(&v->sb);
    sbuf_puts(&v->sb, "");
    switch (p->code) {
    case CODE_7:
        sbuf_printf(&v->sb, "借调（挂职）在本单位工作不满%d个月，由派出单位考核",
                    v->pol->seconded_below_months ? v->pol->seconded_below_months : 6);
        break;
    case CODE_6A:
        sbuf_printf(&v->sb, "%s累计超过半年（%d个月），不进行年度考核", leave_label(p->leave_type),
                    p->leave_months);
        break;
    case CODE_5B: sbuf_puts(&v->sb, "涉嫌违纪违法被立案调查尚未结案，不定等次"); break;
    case CODE_5A: sbuf_puts(&v->sb, "试用期人员，只写评语，不定等次"); break;
    case CODE_5C:
        sbuf_printf(&v->sb, "受%s处分期间，参加考核，不定等次", sanction_label(p->sanction));
        break;
    case CODE_4_REFUSED:
        sbuf_printf(&v->sb, "无正当理由不参加年度考核，确定为%s",
                    model_grade_label(GRADE_INCOMPETENT, p->category));
        break;
    default:
        if (p->sanction == SANCTION_WARNING && p->sanction_year == (v->u->file ? v->u->file->year : 0))
            sbuf_puts(&v->sb, "受警告处分，当年不得确定为优秀等次");
        else if (p->barred)
            sbuf_puts(&v->sb, "单位发生重大责任事故，领导班子成员不得确定为优秀等次");
        break;
    }
    return v->sb.data;
}

static const char *warnings_of(view *v, const person *p)
{
    sbuf_clear(&v->sb);
    sbuf_puts(&v->sb, "");
    for (const finding *f = v->u->findings; f; f = f->next) {
        if (!f->person_id || strcmp(f->person_id, p->id)) continue;
        if (v->sb.len) sbuf_puts(&v->sb, "\n");
        sbuf_printf(&v->sb, "※%s", f->message ? f->message : f->code);
    }
    return v->sb.data;
}

/* A finding's message without the person's "（id）" (the forms name
 * persons, never by their internal ids) and the name before it. */
static void put_message(sbuf *b, const person *p, const char *msg)
{
    char tag[160];
    snprintf(tag, sizeof tag, "%s（%s）：", p->name ? p->name : "", p->id);
    if (!strncmp(msg, tag, strlen(tag))) msg += strlen(tag);
    snprintf(tag, sizeof tag, "（%s）", p->id);
    for (const char *q; (q = strstr(msg, tag)); msg = q + strlen(tag)) sbuf_add(b, msg, (size_t)(q - msg));
    sbuf_puts(b, msg);
}

/* The automatic candidate of p's bucket with p's ranking keys but the other
 * grade: the tie the ranking broke by person id. NULL when none. */
static const person *tied_with(const view *v, const person *p, bool by_score)
{
    if (!p->auto_proposed || p->bucket < 0) return NULL;
    for (long i = 0; i < v->u->n_persons; i++) {
        const person *q = &v->u->persons[i];
        if (q == p || !q->auto_proposed || q->bucket != p->bucket || q->code != CODE_GRADED) continue;
        if ((q->grade == GRADE_EXCELLENT) == (p->grade == GRADE_EXCELLENT)) continue;
        if (q->votes[0] == p->votes[0] && (!by_score || q->score == p->score)) return q;
    }
    return NULL;
}

/* 备注 of the tally: why a grade does not follow the vote order (the
 * leader's proposal, a tie broken by the rule, with the counts the ranking
 * used), why a person has no grade (不定等次, not taking part), and the
 * other findings about the person, each marked ※, without internal ids. */
static const char *tally_note(view *v, const person *p)
{
    sbuf b = {0};
    sbuf_puts(&b, "");
    bool by_score = policy_has_score(v->pol);
    const char *why = reason(v, p);
    if (why && *why) sbuf_printf(&b, "※%s", why);
    if (p->code == CODE_GRADED && !p->auto_proposed && p->proposed != GRADE_NONE) {
        if (b.len) sbuf_puts(&b, "\n");
        sbuf_printf(&b, "※按主管领导建议确定（优秀票%ld票）", p->votes[0]);
    }
    const person *t = tied_with(v, p, by_score);
    if (t) {
        if (b.len) sbuf_puts(&b, "\n");
        sbuf_printf(&b, "※与%s", t->name ? t->name : "");
        if (by_score) {
            char sc[32];
            fix6_format_fixed(p->score, 2, sc, sizeof sc);
            sbuf_printf(&b, "得分同为%s分、", sc);
        }
        sbuf_printf(&b, "优秀票同为%ld票，按人员编号顺序%s", p->votes[0],
                    p->grade == GRADE_EXCELLENT ? "确定为优秀" : "未确定为优秀");
    }
    for (const finding *f = v->u->findings; f; f = f->next) {
        if (!f->person_id || strcmp(f->person_id, p->id) || !strcmp(f->code, "RANK_TIE")) continue;
        if (b.len) sbuf_puts(&b, "\n");
        sbuf_puts(&b, "※");
        put_message(&b, p, f->message ? f->message : f->code);
    }
    sbuf_clear(&v->sb);
    sbuf_puts(&v->sb, b.data);
    sbuf_free(&b);
    return v->sb.data;
}

/* The result as the person's notice says it: 确定为…等次, or 不定等次 /
 * 不参加年度考核 with the reason. */
static const char *result_text(view *v, const person *p)
{
    char why[200];
    snprintf(why, sizeof why, "%s", reason(v, p));
    sbuf_clear(&v->sb);
    if (not_taking_part(p)) sbuf_printf(&v->sb, "不参加年度考核（%s）", why);
    else if (undetermined(p)) sbuf_printf(&v->sb, "不定等次（%s）", why);
    else sbuf_printf(&v->sb, "确定为%s等次", model_grade_label(p->grade, p->category));
    return v->sb.data;
}

/* Why a person is 不称职（不合格）: the rule (refused to take part), the
 * votes against when they are over a third, the leader's proposal. */
static const char *incompetent_reason(view *v, const person *p)
{
    char why[200];
    snprintf(why, sizeof why, "%s", reason(v, p));
    long tot = p->votes[0] + p->votes[1] + p->votes[2] + p->votes[3];
    sbuf_clear(&v->sb);
    sbuf_puts(&v->sb, why);
    if (tot > 0 && p->votes[3] * 3 > tot)
        sbuf_printf(&v->sb, "%s民主测评不称职（不合格）票超过三分之一", v->sb.len ? "；" : "");
    if (p->code == CODE_GRADED && !p->auto_proposed)
        sbuf_printf(&v->sb, "%s主管领导提出考核等次建议", v->sb.len ? "；" : "");
    if (p->comment && *p->comment) sbuf_printf(&v->sb, "%s%s", v->sb.len ? "；" : "", p->comment);
    return v->sb.data ? v->sb.data : "";
}

static const char *person_field(view *v, const person *p, const char *f)
{
    if (!p) return NULL;
    const unit *u = v->u;
    switch (f[0]) {
    case 'a':
        if (!strcmp(f, "absent")) return not_taking_part(p) ? "不参加考核" : NULL;
        break;
    case 'b':
        if (!strcmp(f, "birth")) return p->birth;
        break;
    case 'c':
        if (!strcmp(f, "category")) return CAT_KEYS[p->category];
        if (!strcmp(f, "categoryLabel")) return CAT_LABELS[p->category];
        if (!strcmp(f, "comment")) return p->comment;
        if (!strcmp(f, "code")) return model_code_str(p);
        break;
    case 'd':
        if (!strcmp(f, "duty")) return p->duty;
        break;
    case 'e':
        if (!strcmp(f, "ethnicity")) return p->ethnicity;
        if (!strcmp(f, "education")) return p->education;
        break;
    case 'g':
        if (!strcmp(f, "gender")) return p->gender;
        if (!strcmp(f, "grade")) return not_taking_part(p) ? NULL : model_grade_key(p->grade);
        if (!strcmp(f, "gradeLabel")) return grade_label(v, p);
        if (!strcmp(f, "gradeSuggest"))
            return (p->code == CODE_GRADED || p->code == CODE_4_REFUSED) ? grade_label(v, p) : "";
        break;
    case 'i':
        if (!strcmp(f, "id")) return p->id;
        if (!strcmp(f, "incompetentReason")) return incompetent_reason(v, p);
        break;
    case 'm':
        if (!strcmp(f, "money")) {
            long m = (int)p->reward < 3 ? v->pol->reward_money[p->reward] : 0;
            return m > 0 ? num(v, m) : NULL;
        }
        break;
    case 'n':
        if (!strcmp(f, "name")) return p->name;
        break;
    case 'p':
        if (!strcmp(f, "post")) return p->post;
        if (!strcmp(f, "political")) return p->political;
        if (!strcmp(f, "postSince")) return p->post_since;
        break;
    case 'r':
        if (!strcmp(f, "rank")) return p->rank;
        if (!strcmp(f, "reason")) return reason(v, p);
        if (!strcmp(f, "resultText")) return result_text(v, p);
        if (!strcmp(f, "reward"))
            return p->reward == REWARD_COMMENDATION ? "嘉奖"
                 : p->reward == REWARD_THIRD_CLASS_MERIT ? "记三等功" : NULL;
        if (!strcmp(f, "role"))
            return p->role == ROLE_MAIN_LEADER ? "主要负责人" : p->role == ROLE_LEADER ? "领导职务" : "一般工作人员";
        break;
    case 's':
        if (!strcmp(f, "summary")) return p->summary;
        if (!strcmp(f, "score")) {
            if (!p->has_score) return NULL;
            fix6_format_fixed(p->score, 2, v->buf, sizeof v->buf);
            return v->buf;
        }
        if (!strcmp(f, "streak")) return p->streak > 0 ? num(v, p->streak) : NULL;
        if (!strcmp(f, "streakText")) {
            int y = u->file ? u->file->year : 0;
            if (p->streak <= 1) snprintf(v->buf, sizeof v->buf, "%d年", y);
            else snprintf(v->buf, sizeof v->buf, "%d—%d年（%d年）", y - p->streak + 1, y, p->streak);
            return v->buf;
        }
        break;
    case 't':
        if (!strcmp(f, "tallyNote")) return tally_note(v, p);
        break;
    case 'u':
        if (!strcmp(f, "unitPost")) {
            sbuf_clear(&v->sb);
            sbuf_puts(&v->sb, u->name ? u->name : "");
            if (p->post) sbuf_puts(&v->sb, p->post);
            return v->sb.data;
        }
        break;
    case 'v':
        if (!strncmp(f, "votes.", 6)) {
            const char *k = f + 6;
            long tot = p->votes[0] + p->votes[1] + p->votes[2] + p->votes[3];
            if (!strcmp(k, "excellent")) return num(v, p->votes[0]);
            if (!strcmp(k, "competent")) return num(v, p->votes[1]);
            if (!strcmp(k, "basic")) return num(v, p->votes[2]);
            if (!strcmp(k, "incompetent")) return num(v, p->votes[3]);
            if (!strcmp(k, "total")) return num(v, tot);
            if (!strcmp(k, "share")) return share(v, p->votes[0], tot);
            if (!strcmp(k, "againstText")) {
                if (tot <= 0) return "—";
                snprintf(v->buf, sizeof v->buf, "%ld 票（共 %ld 票）", p->votes[3], tot);
                return v->buf;
            }
        }
        break;
    case 'w':
        if (!strcmp(f, "warnings")) return warnings_of(v, p);
        break;
    }
    return NULL;
}

static const gstat *group_by_name(const view *v, const char *name, size_t *len)
{
    static const char *const names[] = {"admin", "institution", "other", "total"};
    for (int i = 0; i <= GROUP_COUNT; i++) {
        size_t n = strlen(names[i]);
        if (!strncmp(name, names[i], n) && name[n] == '.') {
            *len = n + 1;
            return &v->g[i];
        }
    }
    return NULL;
}

static const char *gstat_field(view *v, const gstat *s, const char *f)
{
    if (!strcmp(f, "expected")) return num(v, s->expected);
    if (!strcmp(f, "participants")) return num(v, s->participants);
    if (!strcmp(f, "excellent")) return num(v, s->excellent);
    if (!strcmp(f, "share")) return s->participants ? share(v, s->excellent, s->participants) : NULL;
    if (!strcmp(f, "competent")) return num(v, s->competent);
    if (!strcmp(f, "basic")) return num(v, s->basic);
    if (!strcmp(f, "incompetent")) return num(v, s->incompetent);
    if (!strcmp(f, "ungraded")) return num(v, s->ungraded);
    if (!strcmp(f, "absent")) return num(v, s->absent);
    if (!strcmp(f, "places")) return num(v, s->places);
    if (!strcmp(f, "used")) return num(v, s->excellent);
    return NULL;
}

/* What the quota application prints where there is no value (templates/
 * forms/README.md, "— and 0"): a count that is zero prints 0; a value that
 * does not exist (the places and ratio of a group nobody of the unit takes
 * part in, a ratio without participants) prints —. */
#define NO_VALUE "—"

/* unit.quota.<group>[.leader|.staff].places|participants|ratio|placesText
 * (placesText: "N 名", or — when nobody of the unit takes part in it) */
static const char *quota_field(view *v, const char *f)
{
    static const char *const gk[] = {"admin", "institution", "other"};
    for (int g = 0; g < GROUP_COUNT; g++) {
        size_t n = strlen(gk[g]);
        if (strncmp(f, gk[g], n) || f[n] != '.') continue;
        const char *rest = f + n + 1;
        int leader = -2;   /* -2: whole group */
        if (!strncmp(rest, "leader.", 7)) { leader = 1; rest += 7; }
        else if (!strncmp(rest, "staff.", 6)) { leader = 0; rest += 6; }
        long places = 0, part = 0;
        bool any = false;
        fix6 ratio = 0;
        for (int b = 0; b < v->u->n_buckets; b++) {
            const bucket *bk = &v->u->buckets[b];
            if ((int)bk->group != g) continue;
            if (leader != -2 && bk->leader != leader) continue;
            if (!any) ratio = bk->ratio;
            any = true;
            places += bk->places;
            part += bk->participants;
        }
        if (!strcmp(rest, "places")) return num(v, places);
        if (!strcmp(rest, "participants")) return num(v, part);
        if (!strcmp(rest, "placesText")) {
            if (part <= 0) return NO_VALUE;
            snprintf(v->buf, sizeof v->buf, "%ld 名", places);
            return v->buf;
        }
        if (!strcmp(rest, "ratio")) return any ? fix(v, ratio) : NULL;
        return NULL;
    }
    return NULL;
}

/* The unit's ratio: one value when every group taking part has the same,
 * else per group ("行政20%、事业20%、其他人员10%"), per bucket when a group's
 * leader and staff ratios differ; — when nobody takes part. */
static const char *ratio_text(view *v)
{
    static const char *const gl[] = {"行政", "事业", "其他人员"};
    const unit *u = v->u;
    bool any_part = false;
    for (int b = 0; b < u->n_buckets; b++)
        if (u->buckets[b].participants > 0) any_part = true;
    if (!any_part) return NO_VALUE;
    bool same = true, seen = false;
    fix6 first = 0;
    for (int b = 0; b < u->n_buckets; b++) {
        if (u->buckets[b].participants == 0) continue;
        if (!seen) first = u->buckets[b].ratio;
        else if (u->buckets[b].ratio != first) same = false;
        seen = true;
    }
    sbuf_clear(&v->sb);
    sbuf_puts(&v->sb, "");
    char buf[64];
    if (same) {
        fix6_format_plain(first * 100, buf, sizeof buf);
        sbuf_printf(&v->sb, "%s%%", buf);
        return v->sb.data;
    }
    int n = 0;
    for (int g = 0; g < GROUP_COUNT; g++) {
        int idx[2], k = 0;
        for (int b = 0; b < u->n_buckets && k < 2; b++)
            if ((int)u->buckets[b].group == g && u->buckets[b].participants > 0) idx[k++] = b;
        if (!k) continue;
        if (k == 1 || u->buckets[idx[0]].ratio == u->buckets[idx[1]].ratio) {
            fix6_format_plain(u->buckets[idx[0]].ratio * 100, buf, sizeof buf);
            sbuf_printf(&v->sb, "%s%s%s%%", n++ ? "、" : "", gl[g], buf);
        } else {
            for (int j = 0; j < 2; j++) {
                const bucket *bk = &u->buckets[idx[j]];
                fix6_format_plain(bk->ratio * 100, buf, sizeof buf);
                sbuf_printf(&v->sb, "%s%s%s%s%%", n++ ? "、" : "", gl[g],
                            bk->leader == 1 ? "领导职务" : "一般工作人员", buf);
            }
        }
    }
    return v->sb.data;
}

/* ---- the unit's assessment sheet (templates/forms/assessment.xml) ------- */

static fix6 abs6(fix6 x) { return x < 0 ? -x : x; }

/* Points as the sheet shows them: deductions negative. */
static fix6 shown(const scheme_section *sec, fix6 x) { return sec->mode == SCHEME_DEDUCT ? -x : x; }

static void put_fix(sbuf *b, fix6 x)
{
    char t[48];
    fix6_format_plain(x, t, sizeof t);
    sbuf_puts(b, t);
}

static const char *perf_label(perf_grade_t g)
{
    static const char *const labels[] = {"", "优秀", "合格", "不合格"};
    return (unsigned)g < 4 ? labels[g] : "";
}

static const char *mode_label(scheme_mode m)
{
    static const char *const labels[] = {"评分", "扣分", "加分", "加减分"};
    return (unsigned)m < 4 ? labels[m] : "";
}

/* "扣" / "加" / "减" / "": which way an item's points go. */
static const char *item_verb(const scheme_section *sec, const scheme_item *it)
{
    switch (sec->mode) {
    case SCHEME_DEDUCT: return "扣";
    case SCHEME_AWARD: return "加";
    case SCHEME_ADJUST: return it->given ? "" : it->per < 0 ? "减" : "加";
    default: return "";
    }
}

/* 计分标准: points per occurrence or the range given, then the caps. */
static const char *item_rule(view *v, const scheme *s, const scheme_item *it)
{
    const scheme_section *sec = &s->sections[it->section];
    const char *verb = item_verb(sec, it);
    const char *most = sec->mode == SCHEME_DEDUCT || sec->mode == SCHEME_ADJUST ? "最多" : "最高";
    sbuf *b = &v->sb;
    sbuf_clear(b);
    sbuf_puts(b, verb);
    if (it->given) {
        put_fix(b, it->min);
        sbuf_puts(b, "–");
        put_fix(b, it->max);
        sbuf_puts(b, "分");
    } else {
        put_fix(b, abs6(it->per));
        sbuf_puts(b, "分/次");
    }
    if (it->full_at) {
        sbuf_printf(b, "，%ld次及以上%s", it->full_at, *verb ? verb : "计");
        put_fix(b, it->cap);
        sbuf_puts(b, "分");
    } else if (it->has_cap && !(it->given && it->cap >= abs6(it->max) && it->cap >= abs6(it->min))) {
        sbuf_printf(b, "，%s%s", most, verb);
        put_fix(b, it->cap);
        sbuf_puts(b, "分");
    }
    if (it->group >= 0) {
        sbuf_printf(b, "，同组合计%s%s", most, verb);
        put_fix(b, s->groups[it->group].cap);
        sbuf_puts(b, "分");
    }
    return b->data;
}

/* 备注 of an item: why it counts less than it scored. */
static const char *line_remark(view *v, const scheme_line *l)
{
    const scheme_item *it = l->item;
    if (it->full_at && l->count >= it->full_at) {
        sbuf_clear(&v->sb);
        sbuf_printf(&v->sb, "达%ld次，计", it->full_at);
        put_fix(&v->sb, it->cap);
        sbuf_puts(&v->sb, "分");
        return v->sb.data;
    }
    fix6 own = it->has_cap && abs6(l->raw) > it->cap ? (l->raw < 0 ? -it->cap : it->cap) : l->raw;
    if (abs6(own) < abs6(l->raw)) return "已达本项上限";
    if (abs6(l->counted) < abs6(own)) return "已达同组上限";
    return "";
}

/* 计分标准 of a section's subtotal row. */
static const char *section_rule(view *v, const scheme_section *sec)
{
    sbuf *b = &v->sb;
    sbuf_clear(b);
    if (sec->mode == SCHEME_ADJUST) {
        sbuf_puts(b, "加减分");
        if (!sec->has_max) {
            sbuf_puts(b, "，不设上限");
            return b->data;
        }
        sbuf_puts(b, "，不超过±");
    } else {
        sbuf_puts(b, "满分");
    }
    put_fix(b, sec->max);
    sbuf_puts(b, "分");
    if (sec->mode == SCHEME_DEDUCT)
        sbuf_puts(b, sec->overflow ? "，扣分超出部分从总分中扣除" : "，扣完为止");
    return b->data;
}

/* 备注 of a section: what its caps did. */
static const char *section_remark(view *v, const scheme_section_result *sr)
{
    const scheme_section *sec = sr->section;
    sbuf *b = &v->sb;
    sbuf_clear(b);
    sbuf_puts(b, "");
    if (sr->overflow > 0) {
        sbuf_puts(b, "超出");
        put_fix(b, sr->overflow);
        sbuf_puts(b, "分从总分中扣除");
    } else if (sec->mode == SCHEME_DEDUCT && sr->items > sec->max) {
        sbuf_puts(b, "扣完为止");
    } else if (sec->mode != SCHEME_DEDUCT && sec->has_max && sr->value != sr->items) {
        sbuf_puts(b, "超过上限，按");
        put_fix(b, sr->value);
        sbuf_puts(b, "分计");
    }
    return b->data;
}

/* Fields of a counted section (the sections list and the subtotal rows). */
static const char *section_field(view *v, int i, const char *f)
{
    const scheme_section_result *sr = &v->a.r->sections[i];
    const scheme_section *sec = sr->section;
    if (!strcmp(f, "id")) return sec->id;
    if (!strcmp(f, "label")) return sec->label;
    if (!strcmp(f, "mode")) return scheme_mode_key(sec->mode);
    if (!strcmp(f, "modeLabel")) return mode_label(sec->mode);
    if (!strcmp(f, "max")) return sec->has_max ? fix(v, sec->max) : "";
    if (!strcmp(f, "items")) return fix(v, shown(sec, sr->items));
    if (!strcmp(f, "value")) return fix(v, sr->value);
    if (!strcmp(f, "overflow")) return sr->overflow ? fix(v, -sr->overflow) : "";
    if (!strcmp(f, "rule")) return section_rule(v, sec);
    if (!strcmp(f, "remark")) return section_remark(v, sr);
    return NULL;
}

static const char *line_field(view *v, const scheme_line *l, const char *f)
{
    const scheme_item *it = l->item;
    const scheme_section *sec = &v->a.r->scheme->sections[it->section];
    bool touched = l->count > 0 || l->given;
    if (!strcmp(f, "ref")) return it->ref;
    if (!strcmp(f, "label")) return it->label;
    if (!strcmp(f, "rule")) return item_rule(v, v->a.r->scheme, it);
    if (!strcmp(f, "count")) return !it->given && l->count ? num(v, l->count) : "";
    if (!strcmp(f, "points")) return l->given ? fix(v, l->points) : "";
    if (!strcmp(f, "raw")) return touched ? fix(v, shown(sec, l->raw)) : "";
    if (!strcmp(f, "counted")) return touched ? fix(v, shown(sec, l->counted)) : "";
    if (!strcmp(f, "remark")) return touched ? line_remark(v, l) : "";
    return NULL;
}

/* A row of assessment.lines: an item, or (line -1) its section's subtotal. */
static const char *arow_field(view *v, size_t index, const char *f)
{
    if (index >= v->a.nrows) return NULL;
    const arow *row = &v->a.rows[index];
    const char *section = v->a.r->sections[row->sec].section->label;
    if (!strcmp(f, "kind")) return row->line < 0 ? "subtotal" : "item";
    if (!strcmp(f, "sectionLabel")) return section;
    if (!strcmp(f, "section")) return index == 0 || v->a.rows[index - 1].sec != row->sec ? section : "";
    if (!strcmp(f, "no")) return row->line < 0 ? "" : num(v, row->no);
    if (row->line >= 0) return line_field(v, &v->a.r->lines[row->line], f);
    if (!strcmp(f, "label")) return "小计";
    if (!strcmp(f, "raw")) return section_field(v, row->sec, "items");
    if (!strcmp(f, "counted")) return section_field(v, row->sec, "value");
    if (!strcmp(f, "count") || !strcmp(f, "points")) return "";
    return section_field(v, row->sec, f);
}

static const char *veto_field(view *v, size_t index, const char *f)
{
    if (index >= v->a.nvetoes) return NULL;
    const scheme_veto_result *vr = &v->a.r->vetoes[v->a.vetoes[index]];
    const scheme_veto *ve = vr->veto;
    static const char *const kinds[] = {"扣分", "取消评优资格", "不予达标"};
    if (!strcmp(f, "no")) return num(v, (long)index + 1);
    if (!strcmp(f, "ref")) return ve->ref;
    if (!strcmp(f, "label")) return ve->label;
    if (!strcmp(f, "kind")) return scheme_veto_key(ve->kind);
    if (!strcmp(f, "kindLabel")) return (unsigned)ve->kind < 3 ? kinds[ve->kind] : "";
    if (!strcmp(f, "count")) return num(v, vr->count);
    if (!strcmp(f, "deduction")) return ve->kind == SCHEME_VETO_DEDUCT ? fix(v, -vr->deduction) : "";
    if (strcmp(f, "effect")) return NULL;
    sbuf_clear(&v->sb);
    if (ve->kind == SCHEME_VETO_DEDUCT) {
        sbuf_puts(&v->sb, "每次扣");
        put_fix(&v->sb, ve->points);
        sbuf_puts(&v->sb, "分，从总分中扣除");
    } else if (ve->kind == SCHEME_VETO_BAR) {
        sbuf_puts(&v->sb, "不得确定为优秀等次");
    } else {
        const scheme *s = v->a.r->scheme;
        sbuf_printf(&v->sb, "确定为“%s”", s->n_grades ? s->grades[s->n_grades - 1].label : "");
    }
    return v->sb.data;
}

static size_t assess_count(const view *v, const char *list)
{
    if (!strcmp(list, "lines")) return v->a.nrows;
    if (!strcmp(list, "sections")) return v->a.nsecs;
    if (!strcmp(list, "vetoes")) return v->a.nvetoes;
    return 0;
}

static const char *assess_item(view *v, const char *list, size_t index, const char *f)
{
    if (!v->a.r) return NULL;
    if (!strcmp(list, "lines")) return arow_field(v, index, f);
    if (!strcmp(list, "vetoes")) return veto_field(v, index, f);
    if (strcmp(list, "sections") || index >= v->a.nsecs) return NULL;
    if (!strcmp(f, "no")) return num(v, (long)index + 1);
    return section_field(v, v->a.secs[index], f);
}

/* assessment.<k>: the sheet's single values. */
static const char *assess_lookup(view *v, const char *k)
{
    const scheme_result *r = v->a.r;
    const unit_assessment *as = &v->u->assessment;
    if (!r) return NULL;
    const scheme *s = r->scheme;
    if (!strcmp(k, "title")) return s->title && *s->title ? s->title : s->name;
    if (!strcmp(k, "scheme")) return s->name;
    if (!strcmp(k, "full")) return fix(v, s->full);
    if (!strcmp(k, "series")) return v->u->series > 0 ? num(v, v->u->series) : "";
    if (!strcmp(k, "overflow")) return fix(v, -r->overflow);
    if (!strcmp(k, "vetoDeduction")) return fix(v, -r->veto_deduction);
    if (!strcmp(k, "sum")) {
        fix6 sum = 0;
        for (size_t i = 0; i < v->a.nsecs; i++) sum += r->sections[v->a.secs[i]].value;
        return fix(v, sum);
    }
    if (!strcmp(k, "total")) return fix(v, as->computed ? as->total : r->total);
    if (!as->computed) return NULL;
    if (!strcmp(k, "rank")) return as->rank > 0 ? num(v, as->rank) : NULL;
    if (!strcmp(k, "of")) return as->series_size > 0 ? num(v, as->series_size) : NULL;
    if (!strcmp(k, "grade")) return as->grade != PERF_NONE ? model_perf_key(as->grade) : "none";
    if (!strcmp(k, "label")) return as->label && *as->label ? as->label : perf_label(as->grade);
    if (!strcmp(k, "note")) return as->note ? as->note : "";
    return NULL;
}

/* The laws a notice cites: 公务员法 and 公务员考核规定 for civil servants
 * and persons managed under it, 事业单位工作人员考核规定 for institution
 * staff; both only when both are present. A unit with neither (only
 * 其他人员, or nobody) cites its own kind's. */
static const char *laws(view *v)
{
    const unit *u = v->u;
    bool cs = false, inst = false;
    for (long i = 0; i < u->n_persons; i++) {
        category_t c = u->persons[i].category;
        cs |= c == CAT_CIVIL_SERVANT || c == CAT_MANAGED;
        inst |= c == CAT_INSTITUTION;
    }
    if (!cs && !inst) {
        cs = u->kind != KIND_INSTITUTION;
        inst = !cs;
    }
    snprintf(v->buf, sizeof v->buf, "%s%s", cs ? "《中华人民共和国公务员法》《公务员考核规定》" : "",
             inst ? "《事业单位工作人员考核规定》" : "");
    return v->buf;
}

static const char *unit_lookup(view *v, const char *path)
{
    const unit *u = v->u;
    const file_header *h = u->file;
    if (!strncmp(path, "person.", 7)) return person_field(v, v->p, path + 7);
    if (!strncmp(path, "assessment.", 11)) return assess_lookup(v, path + 11);
    if (!strcmp(path, "year")) return h ? num(v, h->year) : NULL;
    if (!strcmp(path, "approve")) return v->approve ? "1" : NULL;
    if (!strcmp(path, "today")) return v->today;
    if (!strcmp(path, "filedOn")) return v->filed;
    if (!strcmp(path, "filingDeadline")) return h && h->filing_deadline[0] ? h->filing_deadline : NULL;
    if (!strcmp(path, "filingDeadlineText")) {
        if (!h || !h->filing_deadline[0]) return "规定时间";
        sbuf_clear(&v->sb);
        layout_format(TPL_FMT_DATE, h->filing_deadline, NULL, NULL, &v->sb);
        return v->sb.data;
    }
    if (!strcmp(path, "authority.org")) return h ? h->authority_org : NULL;
    if (!strcmp(path, "authority.hr")) return h ? h->authority_hr : NULL;
    if (!strncmp(path, "notice.", 7)) {
        const char *k = path + 7;
        if (!strcmp(k, "from")) return u->notice.present ? u->notice.from : NULL;
        if (!strcmp(k, "to")) return u->notice.present ? u->notice.to : NULL;
        if (!strcmp(k, "days")) return num(v, v->pol->notice_days);
        if (!strcmp(k, "issued")) return u->notice.present ? u->notice.from : v->today;
        return NULL;
    }
    if (!strncmp(path, "policy.", 7)) {
        const char *k = path + 7;
        if (!strcmp(k, "title")) return v->pol->title;
        if (!strcmp(k, "meritStreak")) return num(v, v->pol->merit_streak ? v->pol->merit_streak : 3);
        if (!strcmp(k, "money.commendation")) return num(v, v->pol->reward_money[REWARD_COMMENDATION]);
        if (!strcmp(k, "money.merit")) return num(v, v->pol->reward_money[REWARD_THIRD_CLASS_MERIT]);
        if (!strcmp(k, "moneyText")) {
            long c = v->pol->reward_money[REWARD_COMMENDATION], m = v->pol->reward_money[REWARD_THIRD_CLASS_MERIT];
            if (c <= 0 && m <= 0) return "奖金按有关规定执行。";
            snprintf(v->buf, sizeof v->buf, "奖金标准：嘉奖每人%ld元，记三等功每人%ld元。", c, m);
            return v->buf;
        }
        return NULL;
    }
    if (!strncmp(path, "ballot.", 7)) {
        const char *k = path + 7;
        const char *const *lab = layout_grade_labels(v->kind ? "institution" : "civil-servant");
        if (!strcmp(k, "kindLabel"))
            return v->kind ? "事业单位工作人员及其他人员" : "公务员及参照公务员法管理人员";
        if (k[0] == 'g' && k[1] >= '1' && k[1] <= '4' && !k[2]) return lab[k[1] - '1'];
        return NULL;
    }
    if (!strncmp(path, "rewards.", 8)) {
        const char *k = path + 8;
        if (!strcmp(k, "count")) return num(v, (long)v->nlist[L_REW]);
        if (!strcmp(k, "money")) return v->money_total > 0 ? num(v, v->money_total) : NULL;
        return NULL;
    }
    if (strncmp(path, "unit.", 5)) return NULL;
    const char *k = path + 5;
    if (!strcmp(k, "id")) return u->id;
    if (!strcmp(k, "name")) return u->name;
    if (!strcmp(k, "kind")) return KIND_LABELS[u->kind];
    if (!strcmp(k, "laws")) return laws(v);
    if (!strcmp(k, "excellentCount")) return num(v, (long)v->nlist[L_EXC]);
    if (!strcmp(k, "establishment.admin")) return num(v, u->est_admin);
    if (!strcmp(k, "establishment.institution")) return num(v, u->est_institution);
    if (!strcmp(k, "factors.targetAdvanced")) return yesno(u->target_advanced);
    if (!strcmp(k, "factors.ministerialCommendation")) return yesno(u->ministerial_commendation);
    if (!strcmp(k, "factors.civilizedUnit")) return u->civilized_unit ? "是" : "不是";
    if (!strcmp(k, "factors.routineAssessment"))
        return u->routine == ROUTINE_GOOD ? "好" : u->routine == ROUTINE_POOR ? "差" : "未开展";
    if (!strcmp(k, "contact.name")) return u->contact_name;
    if (!strcmp(k, "contact.phone")) return u->contact_phone;
    if (!strcmp(k, "quota.ratio")) return ratio_text(v);
    if (!strncmp(k, "quota.", 6)) return quota_field(v, k + 6);
    if (!strncmp(k, "groups.", 7)) {
        size_t n;
        const gstat *s = group_by_name(v, k + 7, &n);
        return s ? gstat_field(v, s, k + 7 + n) : NULL;
    }
    return NULL;
}

static int list_id(const view *v, const char *list)
{
    if (!strcmp(list, "persons")) return L_ALL;
    if (!strcmp(list, "ballot")) return v->kind ? L_BALLOT1 : L_BALLOT0;
    if (!strcmp(list, "participants")) return L_PART;
    if (!strcmp(list, "excellent")) return L_EXC;
    if (!strcmp(list, "rewards")) return L_REW;
    if (!strcmp(list, "incompetent")) return L_INC;
    return -1;
}

static const char *src_lookup(void *ctx, const char *path) { return unit_lookup(ctx, path); }

static size_t src_count(void *ctx, const char *list)
{
    view *v = ctx;
    if (!strcmp(list, "buckets")) return (size_t)v->u->n_buckets;
    if (!strncmp(list, "assessment.", 11)) return assess_count(v, list + 11);
    int l = list_id(v, list);
    return l < 0 ? 0 : v->nlist[l];
}

static const char *src_item(void *ctx, const char *list, size_t index, const char *field)
{
    view *v = ctx;
    if (!strcmp(list, "buckets")) {
        if (index >= (size_t)v->u->n_buckets) return NULL;
        const bucket *b = &v->u->buckets[index];
        if (!strcmp(field, "label")) return msg_bucket_label(LANG_ZH, b->name);
        if (!strcmp(field, "participants")) return num(v, b->participants);
        if (!strcmp(field, "ratio")) return fix(v, b->ratio);
        if (!strcmp(field, "places")) return num(v, b->places);
        if (!strcmp(field, "excellent")) return num(v, b->excellent);
        if (!strcmp(field, "unused")) return num(v, b->places > b->excellent ? b->places - b->excellent : 0);
        return NULL;
    }
    if (!strncmp(list, "assessment.", 11)) return assess_item(v, list + 11, index, field);
    int l = list_id(v, list);
    if (l < 0 || index >= v->nlist[l]) return NULL;
    return person_field(v, &v->u->persons[v->list[l][index]], field);
}

/* ---------------------------------------------------------------- writing */

typedef struct wctx {
    const forms_ctx *fc;
    const char *prefix;          /* of the written paths: "<unit id>/", or "" for the run's files */
    const char *dir;
    bool want_pdf, want_xlsx;
    long long epoch;
    sbuf *written, *err;
    sbuf *diags;                 /* "CODE: message" lines of the layouts, or NULL */
    bool simplex;                /* printed on one side (forms_opts) */
    bool approve;
    bool want_docx;              /* a .docx beside each PDF */
    const unit *u;               /* the unit, NULL for the run's files (archive codes, qr.h) */
    int year;
    bool pdfa;                   /* PDF/A-2b (build --pdfa) */
} wctx;

static char *out_path(const wctx *w, const char *name)
{
    sbuf b = {0};
    sbuf_printf(&b, "%s/%s", w->dir, name);
    return b.data;
}

static void note_written(const wctx *w, const char *name)
{
    if (!w->written) return;
    sbuf_printf(w->written, "%s%s\n", w->prefix, name);
}

/* After a writer: the file's name in `written`, or the writer's message e
 * in w->err. Without a message, a layout failed and has said so. Frees e. */
static int wrote(const wctx *w, const char *name, bool ok, sbuf *e)
{
    if (!ok && e->len) sbuf_printf(w->err, "%s%s: %s", w->prefix, name, e->data);
    sbuf_free(e);
    if (!ok) return -1;
    note_written(w, name);
    return 0;
}

static pdfw_opts pdf_opts(const wctx *w) { return (pdfw_opts){NULL, NULL, w->epoch < 0 ? -1 : w->epoch, false, NULL, w->pdfa}; }

/* The archive code of a PDF's pages (SPEC 6, qr.h): who and what each of
 * its documents is. The registration's documents are its persons; a
 * registration/<person id>.pdf is one of them. */
typedef struct form_mark {
    const wctx *w;
    const char *code;            /* qr_form_code of the file */
    const char *person;          /* the one person of the file, or NULL */
    qr_mark mark;
} form_mark;

static void form_mark_ident(void *ctx, size_t doc, qr_ident *id)
{
    const form_mark *fm = ctx;
    const unit *u = fm->w->u;
    id->year = fm->w->year;
    snprintf(id->unit, sizeof id->unit, "%s", u ? u->id : "-");
    const char *person = fm->person;
    /* the per-person documents: one document per person, in the unit's order */
    bool per_person = !strcmp(fm->code, "REG") || !strcmp(fm->code, "RESULT");
    if (!person && per_person && u && doc < (size_t)u->n_persons) person = u->persons[doc].id;
    snprintf(id->person, sizeof id->person, "%s", person ? person : "-");
    snprintf(id->form, sizeof id->form, "%s", fm->code);
}

/* o->mark for the file `name` ("notice.pdf", "registration/P1.pdf"), when
 * its form carries a code (not the blank ballot). */
static void form_mark_set(const wctx *w, const char *name, form_mark *fm, pdfw_opts *o)
{
    char base[128];
    snprintf(base, sizeof base, "%s", name);
    char *dot = strrchr(base, '.'), *slash = strchr(base, '/');
    if (dot) *dot = 0;
    fm->w = w;
    fm->person = NULL;
    if (slash) {   /* registration/<person id> */
        *slash = 0;
        fm->person = name + (slash - base) + 1;
    }
    fm->code = qr_form_code(base);
    if (!fm->code) return;
    fm->mark = (qr_mark){form_mark_ident, fm};
    o->mark = &fm->mark;
}

static xlsxw_opts xlsx_opts(const wctx *w) { return (xlsxw_opts){w->epoch < 0 ? -1 : w->epoch, NULL, NULL}; }

static int write_pdf(const wctx *w, const lo_doc *const *docs, size_t n, const char *const *outline,
                     const char *name)
{
    char *path = out_path(w, name);
    pdfw_opts o = pdf_opts(w);
    char person[128];
    form_mark fm;
    form_mark_set(w, name, &fm, &o);
    if (fm.person) {   /* the id without ".pdf" */
        snprintf(person, sizeof person, "%s", fm.person);
        person[strcspn(person, ".")] = 0;
        fm.person = person;
    }
    sbuf e = {0};
    bool ok = pdfw_write_docs(docs, n, outline, w->fc->fs, &o, path, &e);
    free(path);
    if (!ok && !e.len) sbuf_puts(&e, "PDF write failed");
    return wrote(w, name, ok, &e);
}

static int write_xlsx(const wctx *w, const lo_doc *const *docs, size_t n, const char *name)
{
    char *path = out_path(w, name);
    xlsxw_opts o = xlsx_opts(w);
    sbuf e = {0};
    bool ok = xlsxw_write_docs(docs, n, NULL, w->fc->fs, &o, path, &e);
    free(path);
    if (!ok && !e.len) sbuf_puts(&e, "XLSX write failed");
    return wrote(w, name, ok, &e);
}

static docxw_opts docx_opts(const wctx *w) { return (docxw_opts){w->epoch < 0 ? -1 : w->epoch, NULL}; }

static int write_docx(const wctx *w, const lo_doc *const *docs, size_t n, const char *name)
{
    char *path = out_path(w, name);
    docxw_opts o = docx_opts(w);
    sbuf e = {0};
    bool ok = docxw_write_docs(docs, n, w->fc->fs, &o, path, &e);
    free(path);
    if (!ok && !e.len) sbuf_puts(&e, "DOCX write failed");
    return wrote(w, name, ok, &e);
}

/* Lay template t out over src, handing each page to sink when it is not
 * NULL (layout_stream); the layout's problems go to w->diags, its failure
 * to w->err. */
static lo_doc *run_stream(const wctx *w, int t, const layout_source *src, const lo_sink *sink)
{
    sbuf e = {0};
    lo_print print = {w->simplex};
    lo_doc *d = layout_stream_print(w->fc->tpl[t], src, w->fc->fs, sink, &print, &e);
    if (!d) sbuf_printf(w->err, "%s%s: %s", w->prefix, TPL_FILES[t], e.data ? e.data : "layout failed");
    sbuf_free(&e);
    for (size_t k = 0; d && w->diags && k < d->ndiags; k++) {
        /* each distinct problem once per unit */
        if (w->diags->data && strstr(w->diags->data, d->diags[k])) continue;
        sbuf_printf(w->diags, "%s\n", d->diags[k]);
    }
    return d;
}

static lo_doc *run_source(const wctx *w, int t, const layout_source *src) { return run_stream(w, t, src, NULL); }

/* One of the run's forms (summary, ranking) as a pager: the writers lay it
 * out page by page, as often as they need, so their memory does not grow
 * with the number of units it lists. */
typedef struct run_pager {
    const wctx *w;
    int t;
    const layout_source *src;
} run_pager;

static lo_doc *run_pager_run(void *ctx, const lo_sink *sink, sbuf *err)
{
    const run_pager *rp = ctx;
    (void)err;   /* a failed layout says why in w->err */
    return run_stream(rp->w, rp->t, rp->src, sink);
}

/* base.pdf or base.xlsx of a pager. */
static int write_paged_as(const wctx *w, const lo_pager *pager, const char *base, bool pdf)
{
    char name[128];
    snprintf(name, sizeof name, "%s.%s", base, pdf ? "pdf" : "xlsx");
    char *path = out_path(w, name);
    sbuf e = {0};
    bool ok;
    if (pdf) {
        pdfw_opts o = pdf_opts(w);
        form_mark fm;
        form_mark_set(w, name, &fm, &o);
        ok = pdfw_write_pager(pager, w->fc->fs, &o, path, &e);
    } else {
        xlsxw_opts o = xlsx_opts(w);
        ok = xlsxw_write_pager(pager, w->fc->fs, &o, path, &e);
    }
    free(path);
    return wrote(w, name, ok, &e);
}

/* The run's form t as base.xlsx and base.pdf, in the wanted formats. */
static int write_paged(const wctx *w, int t, const layout_source *src, const char *base)
{
    run_pager rp = {w, t, src};
    lo_pager pager = {run_pager_run, &rp};
    int rc = w->want_xlsx ? write_paged_as(w, &pager, base, false) : 0;
    if (rc == 0 && w->want_pdf) rc = write_paged_as(w, &pager, base, true);
    if (rc == 0 && w->want_docx) {
        char name[128];
        snprintf(name, sizeof name, "%s.docx", base);
        char *path = out_path(w, name);
        docxw_opts o = docx_opts(w);
        sbuf e = {0};
        bool ok = docxw_write_pager(&pager, w->fc->fs, &o, path, &e);
        free(path);
        rc = wrote(w, name, ok, &e);
    }
    return rc;
}

static lo_doc *run(const wctx *w, int t, view *v)
{
    layout_source src = {src_lookup, src_count, src_item, v};
    return run_source(w, t, &src);
}

/* A laid-out one-document form in the wanted formats: base name. */
static int write_both(const wctx *w, lo_doc *d, const char *base, bool xlsx)
{
    const lo_doc *docs[1] = {d};
    char name[128];
    int rc = 0;
    if (w->want_xlsx && xlsx) {
        snprintf(name, sizeof name, "%s.xlsx", base);
        rc = write_xlsx(w, docs, 1, name);
    }
    if (rc == 0 && w->want_pdf) {
        snprintf(name, sizeof name, "%s.pdf", base);
        rc = write_pdf(w, docs, 1, NULL, name);
    }
    if (rc == 0 && w->want_docx) {
        snprintf(name, sizeof name, "%s.docx", base);
        rc = write_docx(w, docs, 1, name);
    }
    lo_doc_free(d);
    return rc;
}

/* One-document form of the unit: base name, template. */
static int simple_form(const wctx *w, view *v, int t, const char *base, bool xlsx)
{
    lo_doc *d = run(w, t, v);
    return d ? write_both(w, d, base, xlsx) : -1;
}

static int reg_template(category_t c)
{
    switch (c) {
    case CAT_CIVIL_SERVANT: return T_REG_CS;
    case CAT_MANAGED: return T_REG_MANAGED;
    case CAT_INSTITUTION: return T_REG_INST;
    default: return T_REG_OTHER;
    }
}

/* The unit's registration forms as a PDF source: one person's page model at
 * a time, laid out when pdfw asks (twice: for the characters, then to draw)
 * and freed when it is done, so a unit of thousands never holds every
 * person's form at once. A unit without persons gets one blank form of its
 * kind. */
#define REG_KEEP 256  /* persons whose page model the first pass keeps for the second */

/* pdfw lays a source out twice (characters, then drawing). The models of
 * the first REG_KEEP persons are kept between the passes: most units are
 * that small, and their registration is then laid out once (layout was a
 * sixth of a build's instructions), while a big unit still holds only
 * REG_KEEP models plus the one being drawn. */
typedef struct reg_source {
    const wctx *w;
    view *v;
    sbuf outline;
    lo_doc *kept[REG_KEEP];
    bool more;        /* another writer (the DOCX) reads the kept models after the PDF */
} reg_source;

static void reg_source_free(reg_source *r)
{
    for (size_t i = 0; i < REG_KEEP; i++) lo_doc_free(r->kept[i]);
    sbuf_free(&r->outline);
}

static const lo_doc *reg_get(void *ctx, size_t i)
{
    reg_source *r = ctx;
    if (i < REG_KEEP && r->kept[i]) return r->kept[i];
    const unit *u = r->v->u;
    const person *p = u->n_persons > 0 ? &u->persons[i] : NULL;
    int t = p ? reg_template(p->category)
              : u->kind == KIND_ORGAN ? T_REG_CS : u->kind == KIND_MANAGED ? T_REG_MANAGED : T_REG_INST;
    r->v->p = p;
    lo_doc *d = run(r->w, t, r->v);   /* a failure is reported to w->err */
    r->v->p = NULL;
    return d;
}

static void reg_put(void *ctx, size_t i, const lo_doc *d)
{
    reg_source *r = ctx;
    if (i < REG_KEEP && !r->kept[i]) {   /* first pass: keep it for the second */
        r->kept[i] = (lo_doc *)d;
        return;
    }
    if (i < REG_KEEP && r->kept[i] == d) {   /* second pass: done with it, unless the DOCX follows */
        if (r->more) return;
        r->kept[i] = NULL;
    }
    lo_doc_free((lo_doc *)d);
}

static const char *reg_outline(void *ctx, size_t i)
{
    reg_source *r = ctx;
    const unit *u = r->v->u;
    sbuf_clear(&r->outline);
    if (u->n_persons > 0) {
        const person *p = &u->persons[i];
        sbuf_printf(&r->outline, "%zu %s", i + 1, p->name ? p->name : p->id);
    } else {
        sbuf_puts(&r->outline, "空白登记表");
    }
    return r->outline.data;
}

/* A PDF of the source's documents: file name. */
static int write_pdf_source(const wctx *w, const pdfw_source *src, const char *name)
{
    char *path = out_path(w, name);
    pdfw_opts o = pdf_opts(w);
    form_mark fm;
    form_mark_set(w, name, &fm, &o);
    sbuf e = {0};
    bool ok = pdfw_write_source(src, w->fc->fs, &o, path, &e);
    free(path);
    return wrote(w, name, ok, &e);
}

/* registration/<person id>.pdf for each person (ids are schema-restricted
 * to [A-Za-z0-9_-], so the names stay inside the unit's directory), each
 * person's form laid out once more. */
static int registration_split(const wctx *w, reg_source *r)
{
    const unit *u = r->v->u;
    sbuf dir = {0}, name = {0};
    sbuf_printf(&dir, "%s/registration", w->dir);
    int rc = outfile_mkdirs(dir.data) ? 0 : -1;
    if (rc) sbuf_printf(w->err, "%s: 无法创建目录 (OUTPUT_FAILED)", dir.data);
    for (long i = 0; rc == 0 && i < u->n_persons; i++) {
        const lo_doc *d = reg_get(r, (size_t)i);
        if (!d) {
            rc = -1;
            break;
        }
        const char *outline = reg_outline(r, (size_t)i);
        sbuf_clear(&name);
        sbuf_printf(&name, "registration/%s.pdf", u->persons[i].id);
        rc = write_pdf(w, &d, 1, &outline, name.data);
        reg_put(r, (size_t)i, d);
    }
    sbuf_free(&dir);
    sbuf_free(&name);
    return rc;
}

static int registration(const wctx *w, view *v, bool split)
{
    const unit *u = v->u;
    reg_source r = {w, v, {0}, {0}, false};
    pdfw_source src = {u->n_persons > 0 ? (size_t)u->n_persons : 1, reg_get, reg_put, reg_outline, &r};
    r.more = w->want_docx;
    int rc = w->want_pdf ? write_pdf_source(w, &src, "registration.pdf") : 0;
    r.more = false;
    if (rc == 0 && w->want_docx) {
        /* each person a section; the models the PDF kept are used, the others laid out again */
        docxw_source ds = {src.n, reg_get, reg_put, &r};
        char *path = out_path(w, "registration.docx");
        docxw_opts o = docx_opts(w);
        sbuf e = {0};
        bool ok = docxw_write_source(&ds, w->fc->fs, &o, path, &e);
        free(path);
        rc = wrote(w, "registration.docx", ok, &e);
    }
    if (rc == 0 && split && w->want_pdf) rc = registration_split(w, &r);
    reg_source_free(&r);
    return rc;
}

/* result-notice.pdf: each person's 年度考核结果通知书, laid out one person
 * at a time like the registration forms (padded to a sheet each when
 * printed on both sides); result-notice.xlsx: a sheet per person, for
 * units of up to REG_KEEP persons (the workbook holds every sheet's model). */
static const lo_doc *notice_get(void *ctx, size_t i)
{
    reg_source *r = ctx;
    r->v->p = &r->v->u->persons[i];
    lo_doc *d = run(r->w, T_RESULT_NOTICE, r->v);
    r->v->p = NULL;
    return d;
}

static void notice_put(void *ctx, size_t i, const lo_doc *d)
{
    (void)ctx;
    (void)i;
    lo_doc_free((lo_doc *)d);
}

static int result_notices(const wctx *w, view *v)
{
    const unit *u = v->u;
    if (u->n_persons <= 0) return 0;
    size_t n = (size_t)u->n_persons;
    reg_source r = {w, v, {0}, {0}};
    int rc = 0;
    if (w->want_pdf) {
        pdfw_source src = {n, notice_get, notice_put, reg_outline, &r};
        rc = write_pdf_source(w, &src, "result-notice.pdf");
    }
    if (rc == 0 && w->want_docx) {   /* each person a section, like registration.docx */
        docxw_source ds = {n, notice_get, notice_put, &r};
        char *path = out_path(w, "result-notice.docx");
        docxw_opts o = docx_opts(w);
        sbuf e = {0};
        bool ok = docxw_write_source(&ds, w->fc->fs, &o, path, &e);
        free(path);
        rc = wrote(w, "result-notice.docx", ok, &e);
    }
    if (rc == 0 && w->want_xlsx && n > REG_KEEP && w->diags)
        sbuf_printf(w->diags, "RESULT_NOTICE_PDF_ONLY: 单位有 %zu 人（超过 %d 人），年度考核结果通知书只写 PDF，不写每人一个工作表的 XLSX\n",
                    n, REG_KEEP);
    if (rc == 0 && w->want_xlsx && n <= REG_KEEP) {
        /* a sheet per person, every model held at once: units up to
         * REG_KEEP persons (a bigger unit gets the PDF, and is told);
         * the spreadsheet is printed one sheet at a time: no padding */
        wctx one = *w;
        one.simplex = true;
        r.w = &one;
        lo_doc **docs = xcalloc(n, sizeof *docs);
        const char **names = xcalloc(n, sizeof *names);
        char **own = xcalloc(n, sizeof *own);
        for (size_t i = 0; i < n && rc == 0; i++) {
            docs[i] = (lo_doc *)notice_get(&r, i);
            if (!docs[i]) rc = -1;
            own[i] = xstrdup(reg_outline(&r, i));
            names[i] = own[i];
        }
        if (rc == 0) {
            char *path = out_path(w, "result-notice.xlsx");
            xlsxw_opts o = xlsx_opts(w);
            sbuf e = {0};
            bool ok = xlsxw_write_docs((const lo_doc *const *)docs, n, names, w->fc->fs, &o, path, &e);
            free(path);
            if (!ok && !e.len) sbuf_puts(&e, "XLSX write failed");
            rc = wrote(w, "result-notice.xlsx", ok, &e);
        }
        for (size_t i = 0; i < n; i++) {
            lo_doc_free(docs[i]);
            free(own[i]);
        }
        free(docs);
        free(names);
        free(own);
    }
    reg_source_free(&r);
    return rc;
}

static int ballot(const wctx *w, view *v)
{
    lo_doc *docs[2] = {0};
    size_t n = 0;
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        if (!v->nlist[k ? L_BALLOT1 : L_BALLOT0]) continue;
        v->kind = k;
        if (!(docs[n] = run(w, T_BALLOT, v))) { rc = -1; break; }
        n++;
    }
    if (rc == 0 && n == 0) {   /* nobody takes part: one blank ballot of the unit's kind */
        v->kind = v->u->kind == KIND_INSTITUTION ? 1 : 0;
        if (!(docs[n] = run(w, T_BALLOT, v))) rc = -1;
        else n++;
    }
    v->kind = 0;
    if (rc == 0 && w->want_pdf) rc = write_pdf(w, (const lo_doc *const *)docs, n, NULL, "ballot.pdf");
    if (rc == 0 && w->want_docx) rc = write_docx(w, (const lo_doc *const *)docs, n, "ballot.docx");
    for (size_t i = 0; i < 2; i++)
        if (docs[i]) lo_doc_free(docs[i]);
    return rc;
}

int forms_write_unit(const forms_ctx *fc, const unit *u, const policy *pol, const char *dir,
                     const forms_opts *o, sbuf *written, sbuf *err)
{
    /* the forms are the official Chinese forms in every run language */
    if (!fc || !u || !pol || !dir || !o) {
        sbuf_puts(err, "forms_write_unit: missing argument");
        return -1;
    }
    if (!outfile_mkdirs(dir)) {
        sbuf_printf(err, "%s: 无法创建目录 (OUTPUT_FAILED)", dir);
        return -1;
    }
    sbuf prefix = {0};
    sbuf_printf(&prefix, "%s/", u->id);
    wctx w = {fc, prefix.data, dir, o->want_pdf, o->want_xlsx, o->epoch, written, err, o->diags, o->simplex,
              o->approve, o->want_docx, u, u->file ? u->file->year : 0, o->pdfa};
    if (o->diags) charcheck_unit(fc->fs, u, o->lang, o->diags);   /* what prints as □, and whose */
    view v;
    view_init(&v, u, pol, o->epoch);
    v.approve = o->approve;
    int rc = simple_form(&w, &v, pol->split_leaders ? T_QUOTA_SPLIT : T_QUOTA, "quota-application", true);
    if (rc == 0 && (o->want_pdf || o->want_docx)) rc = registration(&w, &v, o->split);
    if (rc == 0 && (o->want_pdf || o->want_docx)) rc = ballot(&w, &v);
    if (rc == 0) rc = simple_form(&w, &v, T_TALLY, "tally", true);
    if (rc == 0 && (o->want_pdf || o->want_docx)) rc = simple_form(&w, &v, T_NOTICE, "notice", false);
    if (rc == 0) rc = simple_form(&w, &v, T_FILING, "filing", true);
    if (rc == 0) rc = simple_form(&w, &v, T_REWARDS, "rewards", true);
    if (rc == 0 && u->assessment.result) rc = simple_form(&w, &v, T_ASSESSMENT, "assessment", true);
    if (rc == 0) rc = result_notices(&w, &v);
    if (rc == 0 && v.nlist[L_INC]) rc = simple_form(&w, &v, T_INCOMPETENT, "incompetent", true);
    view_free(&v);
    sbuf_free(&prefix);
    return rc;
}

/* Views over a layout source (the summary's, the ranking's) begin with the
 * source they wrap; these pass a call on to it. */
static const layout_source *view_in(void *ctx) { return *(const layout_source *const *)ctx; }

static const char *view_lookup(void *ctx, const char *path)
{
    const layout_source *in = view_in(ctx);
    return in->lookup ? in->lookup(in->ctx, path) : NULL;
}

static size_t view_count(void *ctx, const char *list)
{
    const layout_source *in = view_in(ctx);
    return in->count ? in->count(in->ctx, list) : 0;
}

static const char *view_item(void *ctx, const char *list, size_t index, const char *field)
{
    const layout_source *in = view_in(ctx);
    return in->item ? in->item(in->ctx, list, index, field) : NULL;
}

/* The run's year as its source has it (0 when absent), for the archive code. */
static int src_year(const layout_source *src)
{
    const char *y = src->lookup ? src->lookup(src->ctx, "year") : NULL;
    return y ? atoi(y) : 0;
}

/* The summary's source with the policies shown by their titles (the policy
 * files' `title`) instead of the keys results.xml carries: the officer
 * reads 考核政策：事业单位工作人员考核规定（2023）…, not "national". A key
 * stays when its policy no longer loads. `policies` lists every policy of
 * the run (summary.h's order), joined by "；". */
typedef struct summary_view {
    const layout_source *in;          /* first: see view_in */
    char title[512];
    sbuf titles;
} summary_view;

static const char *sv_lookup(void *ctx, const char *path)
{
    const summary_view *v = ctx;
    if (v->title[0] && !strcmp(path, "policy")) return v->title;
    if (v->titles.len && !strcmp(path, "policies")) return v->titles.data;
    return view_lookup(ctx, path);
}

/* The title of the policy named `key` (the key itself when it does not load). */
static void policy_title(const forms_ctx *fc, const char *key, char *out, size_t n)
{
    char perr[256];
    policy *p = policy_load(key, fc->policies_dir, perr, sizeof perr);
    snprintf(out, n, "%s", p && p->title[0] ? p->title : key);
    policy_free(p);
}

int forms_write_summary(const forms_ctx *fc, const layout_source *src, const char *dir,
                        const forms_opts *o, sbuf *written, sbuf *err)
{
    if (!fc || !src || !dir || !o) {
        sbuf_puts(err, "forms_write_summary: missing argument");
        return -1;
    }
    summary_view sv = {src, "", {0}};
    const char *key = src->lookup ? src->lookup(src->ctx, "policy") : NULL;
    if (key && *key) policy_title(fc, key, sv.title, sizeof sv.title);
    size_t n = src->count ? src->count(src->ctx, "policies") : 0;
    for (size_t i = 0; i < n && src->item; i++) {
        const char *name = src->item(src->ctx, "policies", i, "name");
        if (!name || !*name) continue;
        char title[512];
        policy_title(fc, name, title, sizeof title);
        if (sv.titles.len) sbuf_puts(&sv.titles, "；");
        sbuf_puts(&sv.titles, title);
    }
    layout_source ss = {sv_lookup, view_count, view_item, &sv};
    wctx w = {fc, "", dir, o->want_pdf, o->want_xlsx, o->epoch, written, err, o->diags, o->simplex, o->approve,
              o->want_docx, NULL, src_year(src), o->pdfa};
    int rc = write_paged(&w, T_SUMMARY, &ss, "summary");
    sbuf_free(&sv.titles);
    return rc;
}

/* The ranking's source (summary.h) with what results.xml does not carry
 * taken from the scheme files: each scheme's title, shown on the first row
 * of its group (schemeHead), and the grade rule's note when the row has
 * none. */
typedef struct ranking_view {
    const layout_source *in;          /* first: see view_in */
    const scheme_set *schemes;
    char scheme[SCHEME_REF_MAX + 1];
} ranking_view;

static const char *rk_inner(ranking_view *r, size_t index, const char *field)
{
    return view_item(r, "ranking", index, field);
}

/* The row's scheme, copied (the source's strings live until its next call). */
static const scheme *rk_scheme(ranking_view *r, size_t index)
{
    const char *name = rk_inner(r, index, "scheme");
    snprintf(r->scheme, sizeof r->scheme, "%s", name ? name : "");
    return scheme_set_find(r->schemes, r->scheme);
}

static const char *rk_title(ranking_view *r, size_t index)
{
    const scheme *s = rk_scheme(r, index);
    return s && s->title && *s->title ? s->title : r->scheme;
}

static const char *rk_note(ranking_view *r, size_t index)
{
    const char *note = rk_inner(r, index, "note");
    if (note && *note) return note;
    const scheme *s = rk_scheme(r, index);
    const char *label = s ? rk_inner(r, index, "label") : NULL;
    for (int g = 0; label && g < s->n_grades; g++)
        if (!strcmp(s->grades[g].label, label)) return s->grades[g].note;
    return "";
}

static const char *rk_item(void *ctx, const char *list, size_t index, const char *field)
{
    ranking_view *r = ctx;
    if (strcmp(list, "ranking")) return r->in->item ? r->in->item(r->in->ctx, list, index, field) : NULL;
    if (!strcmp(field, "schemeTitle")) return rk_title(r, index);
    if (!strcmp(field, "note")) return rk_note(r, index);
    if (strcmp(field, "schemeHead")) return rk_inner(r, index, field);
    if (index > 0) {
        const char *prev = rk_inner(r, index - 1, "scheme");
        char p[SCHEME_REF_MAX + 1];
        snprintf(p, sizeof p, "%s", prev ? prev : "");
        const char *cur = rk_inner(r, index, "scheme");
        if (!strcmp(p, cur ? cur : "")) return "";
    }
    return rk_title(r, index);
}

int forms_write_ranking(const forms_ctx *fc, const layout_source *src, const char *dir,
                        const forms_opts *o, sbuf *written, sbuf *err)
{
    if (!fc || !src || !dir || !o) {
        sbuf_puts(err, "forms_write_ranking: missing argument");
        return -1;
    }
    ranking_view rv = {src, fc->schemes, ""};
    layout_source rs = {view_lookup, view_count, rk_item, &rv};
    wctx w = {fc, "", dir, o->want_pdf, o->want_xlsx, o->epoch, written, err, o->diags, o->simplex, o->approve,
              o->want_docx, NULL, src_year(src), o->pdfa};
    return write_paged(&w, T_RANKING, &rs, "ranking");
}
