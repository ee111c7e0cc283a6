/* forms — see forms.h. A layout_source over one computed unit ("view"), the
 * choice of template variant per person category / policy, and the calls to
 * the layout engine and the two writers. No drawing here: every form is a
 * template in templates/forms/. */
#include "forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "font.h"
#include "layout.h"
#include "outfile.h"
#include "pdfw.h"
#include "template.h"
#include "xlsxw.h"

/* ---------------------------------------------------------------- context */

enum {
    T_QUOTA, T_QUOTA_SPLIT,
    T_REG_CS, T_REG_MANAGED, T_REG_INST, T_REG_OTHER,
    T_BALLOT, T_TALLY, T_NOTICE, T_FILING, T_REWARDS, T_SUMMARY,
    T_COUNT
};

static const char *const TPL_FILES[T_COUNT] = {
    "quota-application.xml", "quota-application-split.xml",
    "registration-civil-servant.xml", "registration-managed.xml",
    "registration-institution.xml", "registration-other.xml",
    "ballot.xml", "tally.xml", "notice.xml", "filing.xml", "rewards.xml", "summary.xml",
};

struct forms_ctx {
    tpl_form *tpl[T_COUNT];
    font_set *fs;
};

void forms_ctx_free(forms_ctx *fc)
{
    if (!fc) return;
    for (int i = 0; i < T_COUNT; i++) tpl_free(fc->tpl[i]);
    font_set_free(fc->fs);
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

enum { L_ALL, L_BALLOT0, L_BALLOT1, L_PART, L_EXC, L_REW, L_NLISTS };

typedef struct gstat {
    long expected, participants, excellent, competent, basic, incompetent, ungraded, absent;
    long places;
} gstat;

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
    char buf[256];
    sbuf sb;                  /* scratch for composed values */
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
}

static void view_free(view *v)
{
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
    long long q = ((long long)a * FIX_ONE * 2 + b) / (2LL * b);
    return fix(v, (fix6)q);
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

/* unit.quota.<group>[.leader|.staff].places|ratio */
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
        if (!strcmp(rest, "ratio")) return any ? fix(v, ratio) : NULL;
        return NULL;
    }
    return NULL;
}

/* The unit's ratio: one value when every group taking part has the same,
 * else per group ("行政20%、事业20%、其他人员10%"), per bucket when a group's
 * leader and staff ratios differ. */
static const char *ratio_text(view *v)
{
    static const char *const gl[] = {"行政", "事业", "其他人员"};
    const unit *u = v->u;
    if (u->n_buckets == 0) return NULL;
    bool any_part = false;
    for (int b = 0; b < u->n_buckets; b++)
        if (u->buckets[b].participants > 0) any_part = true;
    bool same = true, seen = false;
    fix6 first = 0;
    for (int b = 0; b < u->n_buckets; b++) {
        if (any_part && u->buckets[b].participants == 0) continue;
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
            if ((int)u->buckets[b].group == g && (!any_part || u->buckets[b].participants > 0)) idx[k++] = b;
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

static const char *unit_lookup(view *v, const char *path)
{
    const unit *u = v->u;
    const file_header *h = u->file;
    if (!strncmp(path, "person.", 7)) return person_field(v, v->p, path + 7);
    if (!strcmp(path, "year")) return h ? num(v, h->year) : NULL;
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
    return -1;
}

static const char *src_lookup(void *ctx, const char *path) { return unit_lookup(ctx, path); }

static size_t src_count(void *ctx, const char *list)
{
    view *v = ctx;
    if (!strcmp(list, "buckets")) return (size_t)v->u->n_buckets;
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

static int write_pdf(const wctx *w, const lo_doc *const *docs, size_t n, const char *const *outline,
                     const char *name)
{
    char *path = out_path(w, name);
    pdfw_opts o = {NULL, NULL, w->epoch < 0 ? -1 : w->epoch, false};
    sbuf e = {0};
    bool ok = pdfw_write_docs(docs, n, outline, w->fc->fs, &o, path, &e);
    free(path);
    if (!ok) {
        sbuf_printf(w->err, "%s%s: %s", w->prefix, name, e.data ? e.data : "PDF write failed");
        sbuf_free(&e);
        return -1;
    }
    sbuf_free(&e);
    note_written(w, name);
    return 0;
}

static int write_xlsx(const wctx *w, const lo_doc *const *docs, size_t n, const char *name)
{
    char *path = out_path(w, name);
    xlsxw_opts o = {w->epoch < 0 ? -1 : w->epoch, NULL, NULL};
    sbuf e = {0};
    bool ok = xlsxw_write_docs(docs, n, NULL, w->fc->fs, &o, path, &e);
    free(path);
    if (!ok) {
        sbuf_printf(w->err, "%s%s: %s", w->prefix, name, e.data ? e.data : "XLSX write failed");
        sbuf_free(&e);
        return -1;
    }
    sbuf_free(&e);
    note_written(w, name);
    return 0;
}

static lo_doc *run_source(const wctx *w, int t, const layout_source *src)
{
    sbuf e = {0};
    lo_doc *d = layout_run(w->fc->tpl[t], src, w->fc->fs, &e);
    if (!d) sbuf_printf(w->err, "%s%s: %s", w->prefix, TPL_FILES[t], e.data ? e.data : "layout failed");
    sbuf_free(&e);
    return d;
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

/* registration/<person id>.pdf for each person (ids are schema-restricted
 * to [A-Za-z0-9_-], so the names stay inside the unit's directory). */
static int registration_split(const wctx *w, const unit *u, lo_doc **docs, char **outline)
{
    sbuf dir = {0}, name = {0};
    sbuf_printf(&dir, "%s/registration", w->dir);
    int rc = outfile_mkdirs(dir.data) ? 0 : -1;
    if (rc) sbuf_printf(w->err, "%s: 无法创建目录 (OUTPUT_FAILED)", dir.data);
    for (long i = 0; rc == 0 && i < u->n_persons; i++) {
        sbuf_clear(&name);
        sbuf_printf(&name, "registration/%s.pdf", u->persons[i].id);
        rc = write_pdf(w, (const lo_doc *const *)&docs[i], 1, (const char *const *)&outline[i], name.data);
    }
    sbuf_free(&dir);
    sbuf_free(&name);
    return rc;
}

static int registration(const wctx *w, view *v, bool split)
{
    const unit *u = v->u;
    size_t n = u->n_persons > 0 ? (size_t)u->n_persons : 1;
    lo_doc **docs = xcalloc(n, sizeof *docs);
    char **outline = xcalloc(n, sizeof *outline);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const person *p = u->n_persons > 0 ? &u->persons[i] : NULL;
        v->p = p;
        int t = p ? reg_template(p->category)
                  : u->kind == KIND_ORGAN ? T_REG_CS : u->kind == KIND_MANAGED ? T_REG_MANAGED : T_REG_INST;
        docs[i] = run(w, t, v);
        if (!docs[i]) { rc = -1; break; }
        sbuf o = {0};
        if (p) sbuf_printf(&o, "%zu %s", i + 1, p->name ? p->name : p->id);
        else sbuf_puts(&o, "空白登记表");
        outline[i] = o.data;
    }
    v->p = NULL;
    if (rc == 0) rc = write_pdf(w, (const lo_doc *const *)docs, n, (const char *const *)outline, "registration.pdf");
    if (rc == 0 && split) rc = registration_split(w, u, docs, outline);
    for (size_t i = 0; i < n; i++) {
        if (docs[i]) lo_doc_free(docs[i]);
        free(outline[i]);
    }
    free(docs);
    free(outline);
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
    wctx w = {fc, prefix.data, dir, o->want_pdf, o->want_xlsx, o->epoch, written, err};
    view v;
    view_init(&v, u, pol, o->epoch);
    int rc = simple_form(&w, &v, pol->split_leaders ? T_QUOTA_SPLIT : T_QUOTA, "quota-application", true);
    if (rc == 0 && o->want_pdf) rc = registration(&w, &v, o->split);
    if (rc == 0 && o->want_pdf) rc = ballot(&w, &v);
    if (rc == 0) rc = simple_form(&w, &v, T_TALLY, "tally", true);
    if (rc == 0 && o->want_pdf) rc = simple_form(&w, &v, T_NOTICE, "notice", false);
    if (rc == 0) rc = simple_form(&w, &v, T_FILING, "filing", true);
    if (rc == 0) rc = simple_form(&w, &v, T_REWARDS, "rewards", true);
    view_free(&v);
    sbuf_free(&prefix);
    return rc;
}

int forms_write_summary(const forms_ctx *fc, const layout_source *src, const char *dir,
                        const forms_opts *o, sbuf *written, sbuf *err)
{
    if (!fc || !src || !dir || !o) {
        sbuf_puts(err, "forms_write_summary: missing argument");
        return -1;
    }
    wctx w = {fc, "", dir, o->want_pdf, o->want_xlsx, o->epoch, written, err};
    lo_doc *d = run_source(&w, T_SUMMARY, src);
    return d ? write_both(&w, d, "summary", true) : -1;
}
