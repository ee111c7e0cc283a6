/* fview — see fview.h. The unit's figures as the templates name them: each
 * lookup answers one binding path ("unit.name", "quota.admin.places",
 * "person.grade", a list's field) with the text the form prints; lists are
 * index arrays built once per unit. */
#include "fview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "policy.h"

enum {   /* the lists, by their public names */
    L_ALL = FVIEW_ALL, L_BALLOT0 = FVIEW_BALLOT0, L_BALLOT1 = FVIEW_BALLOT1, L_PART = FVIEW_PARTICIPANTS,
    L_EXC = FVIEW_EXCELLENT, L_REW = FVIEW_REWARDS, L_INC = FVIEW_INCOMPETENT, L_NLISTS = FVIEW_NLISTS
};

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

struct fview {
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
};

typedef struct fview view;   /* the name used inside this file */

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

/* The summary's source with the policies shown by their titles (the policy
 * files' `title`) instead of the keys results.xml carries: the officer
 * reads 考核政策：事业单位工作人员考核规定（2023）…, not "national". A key
 * stays when its policy no longer loads. `policies` lists every policy of
 * the run (summary.h's order), joined by "；". */

static const char *sv_lookup(void *ctx, const char *path)
{
    const fview_summary *v = ctx;
    if (v->title[0] && !strcmp(path, "policy")) return v->title;
    if (v->titles.len && !strcmp(path, "policies")) return v->titles.data;
    return view_lookup(ctx, path);
}

/* The title of the policy named `key` (the key itself when it does not load). */
static void policy_title(const char *policies_dir, const char *key, char *out, size_t n)
{
    char perr[256];
    policy *p = policy_load(key, policies_dir, perr, sizeof perr);
    snprintf(out, n, "%s", p && p->title[0] ? p->title : key);
    policy_free(p);
}

/* The ranking's source (summary.h) with what results.xml does not carry
 * taken from the scheme files: each scheme's title, shown on the first row
 * of its group (schemeHead), and the grade rule's note when the row has
 * none. */

static const char *rk_inner(fview_ranking *r, size_t index, const char *field)
{
    return view_item(r, "ranking", index, field);
}

/* The row's scheme, copied (the source's strings live until its next call). */
static const scheme *rk_scheme(fview_ranking *r, size_t index)
{
    const char *name = rk_inner(r, index, "scheme");
    snprintf(r->scheme, sizeof r->scheme, "%s", name ? name : "");
    return scheme_set_find(r->schemes, r->scheme);
}

static const char *rk_title(fview_ranking *r, size_t index)
{
    const scheme *s = rk_scheme(r, index);
    return s && s->title && *s->title ? s->title : r->scheme;
}

static const char *rk_note(fview_ranking *r, size_t index)
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
    fview_ranking *r = ctx;
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

/* ---------------------------------------------------------------- public */

fview *fview_new(const unit *u, const policy *pol, long long epoch, bool approve)
{
    fview *v = xmalloc(sizeof *v);
    view_init(v, u, pol, epoch);
    v->approve = approve;
    return v;
}

void fview_free(fview *v)
{
    if (!v) return;
    view_free(v);
    free(v);
}

layout_source fview_source(fview *v)
{
    return (layout_source){src_lookup, src_count, src_item, v};
}

const unit *fview_unit(const fview *v) { return v->u; }

size_t fview_count(const fview *v, fview_list l) { return v->nlist[l]; }

void fview_set_person(fview *v, const person *p) { v->p = p; }

void fview_set_ballot_kind(fview *v, int kind) { v->kind = kind; }

layout_source fview_summary_source(fview_summary *sv, const layout_source *in, const char *policies_dir)
{
    sv->in = in;
    sv->title[0] = '\0';
    sv->titles = (sbuf){0};
    const char *key = in->lookup ? in->lookup(in->ctx, "policy") : NULL;
    if (key && *key) policy_title(policies_dir, key, sv->title, sizeof sv->title);
    size_t n = in->count ? in->count(in->ctx, "policies") : 0;
    for (size_t i = 0; i < n && in->item; i++) {
        const char *name = in->item(in->ctx, "policies", i, "name");
        if (!name || !*name) continue;
        char title[512];
        policy_title(policies_dir, name, title, sizeof title);
        if (sv->titles.len) sbuf_puts(&sv->titles, "；");
        sbuf_puts(&sv->titles, title);
    }
    return (layout_source){sv_lookup, view_count, view_item, sv};
}

void fview_summary_free(fview_summary *sv)
{
    if (sv) sbuf_free(&sv->titles);
}

layout_source fview_ranking_source(fview_ranking *rv, const layout_source *in, const scheme_set *schemes)
{
    rv->in = in;
    rv->schemes = schemes;
    rv->scheme[0] = '\0';
    return (layout_source){view_lookup, view_count, rk_item, rv};
}
