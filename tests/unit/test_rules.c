/* Rules of SPEC 3, one test per rule: codes, buckets, quota arithmetic,
 * presets, proposals, checks, rewards and notice periods. Units are built
 * from XML snippets through the real ingest conversion. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "unit_fixture.h"

static unit_fixture fx;

static void teardown(void) { ufx_free(&fx); }

/* Compute a unit given as XML children of <unit>, under a preset, in a year
 * (notice from 29 December of that year). */
static unit *compute_year(const char *preset, int year, const char *unit_attrs, const char *body)
{
    ufx_begin(&fx, preset, year);
    snprintf(fx.hdr.notice_start, sizeof fx.hdr.notice_start, "%d-12-29", year);
    sbuf x = { 0 };
    sbuf_printf(&x, "<unit xmlns=\"urn:kaohe:appraisal:1\" id=\"U1\" name=\"测试单位\" %s>%s</unit>",
                unit_attrs ? unit_attrs : "", body);
    ufx_ingest(&fx, x.data);
    sbuf_free(&x);
    ufx_compute(&fx);
    return fx.u;
}

static unit *compute(const char *preset, const char *unit_attrs, const char *body)
{
    return compute_year(preset, 2025, unit_attrs, body);
}

/* n plain persons P<start>.. of a category, votes descending by position. */
static void add_persons(sbuf *b, int start, int n, const char *category, const char *role)
{
    for (int i = 0; i < n; i++)
        sbuf_printf(b, "<person id=\"P%03d\" name=\"人%d\" category=\"%s\" role=\"%s\">"
                       "<votes excellent=\"%d\" competent=\"1\"/></person>",
                    start + i, start + i, category, role, 100 - (start + i));
}

static const person *find_person(const unit *u, const char *id)
{
    for (long i = 0; i < u->n_persons; i++)
        if (!strcmp(u->persons[i].id, id)) return &u->persons[i];
    cr_assert_fail("no person %s", id);
    return NULL;
}

static const bucket *find_bucket(const unit *u, const char *name)
{
    for (int i = 0; i < u->n_buckets; i++)
        if (!strcmp(u->buckets[i].name, name)) return &u->buckets[i];
    cr_assert_fail("no bucket %s", name);
    return NULL;
}

static int count_findings(const unit *u, const char *code, const char *person_id)
{
    int n = 0;
    for (const finding *f = u->findings; f; f = f->next)
        if (!strcmp(f->code, code) && (!person_id || (f->person_id && !strcmp(f->person_id, person_id)))) n++;
    return n;
}

static const char *grade_of(const unit *u, const char *id) { return model_grade_key(find_person(u, id)->grade); }
static const char *code_of(const unit *u, const char *id) { return model_code_str(find_person(u, id)); }

static fix6 ratio(const char *s)
{
    fix6 v;
    cr_assert(fix6_parse(s, &v));
    return v;
}

TestSuite(rules, .fini = teardown);

/* --- quota arithmetic ------------------------------------------------------ */

Test(rules, places_are_exact_floors)
{
    cr_assert_eq(rules_quota_places(15, ratio("0.20"), false), 3);   /* not 2.999... */
    cr_assert_eq(rules_quota_places(14, ratio("0.2"), false), 2);
    cr_assert_eq(rules_quota_places(4, ratio("0.2"), false), 0);
    cr_assert_eq(rules_quota_places(5, ratio("0.2"), false), 1);
    cr_assert_eq(rules_quota_places(10, ratio("0.25"), false), 2);
    cr_assert_eq(rules_quota_places(100, ratio("0.08"), false), 8);
    cr_assert_eq(rules_quota_places(7, ratio("0.15"), false), 1);
    cr_assert_eq(rules_quota_places(20, ratio("0.05"), false), 1);
    cr_assert_eq(rules_quota_places(19, ratio("0.05"), false), 0);
    cr_assert_eq(rules_quota_places(3, ratio("0.1"), true), 1);        /* minOne */
    cr_assert_eq(rules_quota_places(0, ratio("0.2"), true), 0);        /* no one, no place */
    cr_assert_eq(rules_quota_places(1000000, ratio("0.333333"), false), 333333);
}

/* --- SPEC 3.1 codes ----------------------------------------------------------- */

Test(rules, codes_in_table_order)
{
    const unit *u = compute("national", NULL,
        "<person id=\"A\" name=\"借调\" category=\"civil-servant\"><status monthsInUnit=\"5\" refused=\"true\"/></person>"
        "<person id=\"B\" name=\"满六个月\" category=\"civil-servant\"><status monthsInUnit=\"6\"/></person>"
        "<person id=\"C\" name=\"病假\" category=\"civil-servant\"><status leaveMonths=\"7\" leaveType=\"sick\" probation=\"true\"/></person>"
        "<person id=\"D\" name=\"产假\" category=\"civil-servant\"><status leaveMonths=\"9\" leaveType=\"maternity\"/></person>"
        "<person id=\"E\" name=\"六个月事假\" category=\"civil-servant\"><status leaveMonths=\"6\" leaveType=\"personal\"/></person>"
        "<person id=\"F\" name=\"立案\" category=\"civil-servant\"><status underInvestigation=\"true\" probation=\"true\"/></person>"
        "<person id=\"G\" name=\"试用\" category=\"civil-servant\"><status probation=\"true\" refused=\"true\"/></person>"
        "<person id=\"H\" name=\"记过\" category=\"civil-servant\"><status sanction=\"demerit\" sanctionYear=\"2025\" refused=\"true\"/></person>"
        "<person id=\"I\" name=\"去年记过\" category=\"civil-servant\"><status sanction=\"demerit\" sanctionYear=\"2024\"/></person>"
        "<person id=\"J\" name=\"降级\" category=\"civil-servant\"><status sanction=\"demotion\" sanctionYear=\"2025\"/></person>"
        "<person id=\"K\" name=\"撤职\" category=\"civil-servant\"><status sanction=\"removal\" sanctionYear=\"2025\"/></person>"
        "<person id=\"L\" name=\"记大过\" category=\"civil-servant\"><status sanction=\"major-demerit\" sanctionYear=\"2025\"/></person>"
        "<person id=\"M\" name=\"拒绝\" category=\"civil-servant\"><status refused=\"true\"/></person>"
        "<person id=\"N\" name=\"警告\" category=\"civil-servant\"><status sanction=\"warning\" sanctionYear=\"2025\"/></person>"
        "<person id=\"O\" name=\"学习\" category=\"civil-servant\"><status leaveMonths=\"7\" leaveType=\"study\"/></person>");
    cr_assert_str_eq(code_of(u, "A"), "7");
    cr_assert_eq(find_person(u, "B")->code, CODE_GRADED);
    cr_assert_str_eq(code_of(u, "C"), "6A");
    cr_assert_eq(find_person(u, "D")->code, CODE_GRADED);
    cr_assert_eq(find_person(u, "E")->code, CODE_GRADED);
    cr_assert_str_eq(code_of(u, "F"), "5B");
    cr_assert_str_eq(code_of(u, "G"), "5A");
    cr_assert_str_eq(code_of(u, "H"), "5C");
    cr_assert_eq(find_person(u, "I")->code, CODE_GRADED);
    cr_assert_str_eq(code_of(u, "J"), "5C");
    cr_assert_str_eq(code_of(u, "K"), "5C");
    cr_assert_str_eq(code_of(u, "L"), "5C");
    cr_assert_str_eq(code_of(u, "M"), "4");
    cr_assert_str_eq(grade_of(u, "M"), "incompetent");
    cr_assert_eq(find_person(u, "N")->code, CODE_GRADED);
    cr_assert_str_eq(code_of(u, "O"), "6A");
    cr_assert_str_eq(grade_of(u, "A"), "none");
    cr_assert_str_eq(grade_of(u, "F"), "none");
    /* denominator: everyone but 7 and 6A (A, C, O) */
    cr_assert_eq(find_bucket(u, "admin")->participants, 12);
    cr_assert_eq(find_bucket(u, "admin")->places, 2);
    cr_assert_str_eq(grade_of(u, "B"), "excellent");     /* id order among equals */
    cr_assert_str_eq(grade_of(u, "D"), "excellent");
    cr_assert(!strcmp(grade_of(u, "N"), "competent"));   /* warning: barred */
    cr_assert_eq(count_findings(u, "RANK_TIE", "E"), 1);
    cr_assert_eq(find_person(u, "A")->bucket, -1);
    cr_assert_eq(find_person(u, "C")->bucket, -1);
    cr_assert_geq(find_person(u, "G")->bucket, 0);
    cr_assert_eq(u->n_errors, 0);
}

Test(rules, refused_with_other_grade_is_not_allowed)
{
    const unit *u = compute("national", NULL,
        "<person id=\"R1\" name=\"甲\" category=\"institution\"><status refused=\"true\"/><proposal grade=\"competent\"/></person>"
        "<person id=\"R2\" name=\"乙\" category=\"institution\"><status refused=\"true\"/><proposal grade=\"incompetent\"/></person>");
    cr_assert_str_eq(grade_of(u, "R1"), "incompetent");
    cr_assert_eq(count_findings(u, "GRADE_NOT_ALLOWED", "R1"), 1);
    cr_assert_eq(count_findings(u, "GRADE_NOT_ALLOWED", "R2"), 0);
    cr_assert_eq(u->n_errors, 1);
}

Test(rules, grade_for_ungraded_codes_is_not_allowed)
{
    const unit *u = compute("national", NULL,
        "<person id=\"S1\" name=\"甲\" category=\"civil-servant\"><status probation=\"true\"/><proposal grade=\"competent\"/></person>"
        "<person id=\"S2\" name=\"乙\" category=\"civil-servant\"><status monthsInUnit=\"3\"/><proposal grade=\"excellent\"/></person>"
        "<person id=\"S3\" name=\"丙\" category=\"civil-servant\"><status leaveMonths=\"8\"/><proposal grade=\"basic\"/></person>"
        "<person id=\"S4\" name=\"丁\" category=\"civil-servant\"><status probation=\"true\"/><proposal advanced=\"false\"/></person>");
    cr_assert_eq(count_findings(u, "GRADE_NOT_ALLOWED", "S1"), 1);
    cr_assert_eq(count_findings(u, "GRADE_NOT_ALLOWED", "S2"), 1);
    cr_assert_eq(count_findings(u, "GRADE_NOT_ALLOWED", "S3"), 1);
    cr_assert_eq(count_findings(u, "GRADE_NOT_ALLOWED", "S4"), 0);   /* a proposal without a grade */
    cr_assert_str_eq(grade_of(u, "S1"), "none");
}

/* --- buckets and presets ------------------------------------------------------ */

Test(rules, national_groups_never_share)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 10, "civil-servant", "staff");
    add_persons(&b, 11, 5, "managed", "leader");
    add_persons(&b, 21, 9, "institution", "staff");
    add_persons(&b, 31, 12, "other", "staff");
    const unit *u = compute("national", NULL, b.data);
    sbuf_free(&b);
    cr_assert_eq(u->n_buckets, 3);
    const bucket *a = find_bucket(u, "admin"), *i = find_bucket(u, "institution"), *o = find_bucket(u, "other");
    cr_assert_eq(a->participants, 15);
    cr_assert_eq(a->ratio, ratio("0.2"));
    cr_assert_eq(a->places, 3);
    cr_assert_eq(a->excellent, 3);
    cr_assert_eq(i->places, 1);        /* 9 × 20% = 1.8 */
    cr_assert_eq(o->ratio, ratio("0.1"));
    cr_assert_eq(o->places, 1);        /* 12 × 10% */
    /* the admin places go to the three best-voted admin persons */
    cr_assert_str_eq(grade_of(u, "P001"), "excellent");
    cr_assert_str_eq(grade_of(u, "P003"), "excellent");
    cr_assert_str_eq(grade_of(u, "P004"), "competent");
    cr_assert_str_eq(grade_of(u, "P021"), "excellent");
    cr_assert_str_eq(grade_of(u, "P022"), "competent");
    cr_assert_eq(u->n_errors, 0);
}

Test(rules, national_performance_and_merit_ratios)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 20, "civil-servant", "staff");
    add_persons(&b, 21, 20, "other", "staff");
    const unit *u = compute("national", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->places, 4);
    u = compute("national", NULL, (sbuf_puts(&b, "<performance grade=\"excellent\"/>"), b.data));
    cr_assert_eq(find_bucket(u, "admin")->ratio, ratio("0.25"));
    cr_assert_eq(find_bucket(u, "admin")->places, 5);
    cr_assert_eq(find_bucket(u, "other")->ratio, ratio("0.1"));   /* other is not raised */
    sbuf_clear(&b);
    add_persons(&b, 1, 20, "civil-servant", "staff");
    sbuf_puts(&b, "<factors collectiveMerit=\"true\"/>");
    u = compute("national", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->ratio, ratio("0.25"));
    sbuf_puts(&b, "<performance grade=\"unqualified\"/>");
    u = compute("national", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->ratio, ratio("0.15"));
    cr_assert_eq(find_bucket(u, "admin")->places, 3);
    sbuf_free(&b);
}

Test(rules, approved_ratio_wins_and_above_max_is_an_error)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 15, "civil-servant", "staff");
    add_persons(&b, 21, 10, "other", "staff");
    sbuf_puts(&b, "<quota approvedRatio=\"0.30\"/>");
    const unit *u = compute("national", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->ratio, ratio("0.3"));
    cr_assert_eq(find_bucket(u, "admin")->places, 4);     /* still computed from it */
    cr_assert_eq(find_bucket(u, "other")->places, 3);     /* every bucket of the unit */
    cr_assert_eq(count_findings(u, "RATIO_ABOVE_MAX", NULL), 1);
    sbuf_clear(&b);
    add_persons(&b, 1, 15, "civil-servant", "staff");
    sbuf_puts(&b, "<quota approvedRatio=\"0.25\"/>");
    u = compute("national", NULL, b.data);
    cr_assert_eq(count_findings(u, "RATIO_ABOVE_MAX", NULL), 0);   /* equal to max is fine */
    cr_assert_eq(find_bucket(u, "admin")->places, 3);
    sbuf_free(&b);
}

Test(rules, jiaozuo_splits_leaders_and_lowers_ratios)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 50, "civil-servant", "staff");
    add_persons(&b, 51, 10, "managed", "leader");
    add_persons(&b, 61, 2, "civil-servant", "main-leader");
    add_persons(&b, 71, 25, "institution", "staff");
    const unit *u = compute("jiaozuo-2007", NULL, b.data);
    cr_assert_eq(u->n_buckets, 3);
    cr_assert_eq(u->buckets[0].leader, 1);
    cr_assert_str_eq(u->buckets[0].name, "admin-leader");
    cr_assert_eq(find_bucket(u, "admin-leader")->participants, 12);
    cr_assert_eq(find_bucket(u, "admin-leader")->places, 1);
    cr_assert_eq(find_bucket(u, "admin-staff")->places, 5);
    cr_assert_eq(find_bucket(u, "institution-staff")->ratio, ratio("0.08"));
    cr_assert_eq(find_bucket(u, "institution-staff")->places, 2);
    /* no routine assessment: 2 points less */
    sbuf_puts(&b, "<factors routineAssessment=\"none\"/>");
    u = compute("jiaozuo-2007", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin-staff")->ratio, ratio("0.08"));
    cr_assert_eq(find_bucket(u, "institution-staff")->ratio, ratio("0.06"));
    sbuf_clear(&b);
    add_persons(&b, 1, 50, "civil-servant", "staff");
    add_persons(&b, 51, 10, "managed", "leader");
    sbuf_puts(&b, "<factors routineAssessment=\"poor\" majorAccident=\"true\"/>");
    u = compute("jiaozuo-2007", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin-staff")->ratio, ratio("0.06"));
    cr_assert_eq(find_bucket(u, "admin-staff")->places, 3);
    /* leaders of an accident unit are barred: their place stays empty */
    cr_assert_eq(find_bucket(u, "admin-leader")->excellent, 0);
    cr_assert_str_eq(grade_of(u, "P051"), "competent");
    sbuf_free(&b);
}

Test(rules, jiaozuo_accident_leader_proposed_excellent_is_barred)
{
    const unit *u = compute("jiaozuo-2007", NULL,
        "<factors majorAccident=\"true\"/>"
        "<person id=\"L1\" name=\"局长\" category=\"civil-servant\" role=\"main-leader\"><proposal grade=\"excellent\"/></person>");
    cr_assert_eq(count_findings(u, "EXCELLENT_BARRED", "L1"), 1);
    /* the same under national: leaders of accident units are not barred */
    u = compute("national", NULL,
        "<factors majorAccident=\"true\"/>"
        "<person id=\"L1\" name=\"局长\" category=\"civil-servant\" role=\"main-leader\"><proposal grade=\"excellent\"/></person>"
        "<person id=\"L2\" name=\"甲\" category=\"civil-servant\"/><person id=\"L3\" name=\"乙\" category=\"civil-servant\"/>"
        "<person id=\"L4\" name=\"丙\" category=\"civil-servant\"/><person id=\"L5\" name=\"丁\" category=\"civil-servant\"/>");
    cr_assert_eq(count_findings(u, "EXCELLENT_BARRED", NULL), 0);
    cr_assert_eq(u->n_errors, 0);
}

Test(rules, zhangzhou_performance_sets_every_group)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 20, "civil-servant", "staff");
    add_persons(&b, 21, 20, "other", "staff");
    const unit *u = compute("zhangzhou", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->ratio, ratio("0.15"));
    cr_assert_eq(find_bucket(u, "other")->ratio, ratio("0.15"));
    cr_assert_eq(find_bucket(u, "admin")->places, 3);
    sbuf_puts(&b, "<performance grade=\"excellent\"/>");
    u = compute("zhangzhou", NULL, b.data);
    cr_assert_eq(find_bucket(u, "other")->ratio, ratio("0.2"));
    cr_assert_eq(find_bucket(u, "other")->places, 4);
    sbuf_clear(&b);
    add_persons(&b, 1, 20, "civil-servant", "staff");
    sbuf_puts(&b, "<performance score=\"699.99\"/>");
    u = compute("zhangzhou", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->ratio, ratio("0.05"));
    cr_assert_eq(find_bucket(u, "admin")->places, 1);
    sbuf_clear(&b);
    add_persons(&b, 1, 20, "civil-servant", "staff");
    sbuf_puts(&b, "<performance score=\"700\"/>");
    u = compute("zhangzhou", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->ratio, ratio("0.15"));
    sbuf_free(&b);
}

Test(rules, quannan_scores_weights_and_ranking)
{
    const unit *u = compute("quannan-2011", NULL,
        "<person id=\"M1\" name=\"书记\" category=\"civil-servant\" role=\"main-leader\">"
        "<scores><component name=\"team\" value=\"90\"/><component name=\"duty\" value=\"80\"/><component name=\"poll\" value=\"70\"/></scores></person>"
        "<person id=\"M2\" name=\"副局长\" category=\"civil-servant\" role=\"leader\">"
        "<scores><component name=\"team\" value=\"90\"/><component name=\"duty\" value=\"80\"/><component name=\"poll\" value=\"70\"/></scores></person>"
        "<person id=\"M3\" name=\"副局长二\" category=\"managed\" role=\"leader\">"
        "<scores><component name=\"team\" value=\"95.5\"/><component name=\"poll\" value=\"99\"/></scores></person>"
        "<person id=\"M4\" name=\"副局长三\" category=\"managed\" role=\"leader\"/>"
        "<person id=\"S1\" name=\"科员\" category=\"civil-servant\"><scores><component name=\"poll\" value=\"88.5\"/><component name=\"team\" value=\"100\"/></scores></person>");
    /* main leader 0.6·90 + 0.1·80 + 0.3·70 = 83; leader 0.3·90 + 0.4·80 + 0.3·70 = 80 */
    cr_assert_eq(find_person(u, "M1")->score, ratio("83"));
    cr_assert_eq(find_person(u, "M2")->score, ratio("80"));
    cr_assert_eq(find_person(u, "M3")->score, ratio("58.35"));   /* duty missing counts 0 */
    cr_assert_eq(find_person(u, "M4")->score, 0);
    cr_assert_eq(find_person(u, "S1")->score, ratio("88.5"));   /* staff: poll only */
    /* 4 leaders × 25% = 1 place: the best score */
    cr_assert_eq(find_bucket(u, "admin-leader")->places, 1);
    cr_assert_str_eq(grade_of(u, "M1"), "excellent");
    cr_assert_str_eq(grade_of(u, "M2"), "competent");
    cr_assert_eq(find_bucket(u, "admin-staff")->places, 0);     /* 1 × 20% */
    cr_assert_eq(fx.pol->reward_money[REWARD_COMMENDATION], 800);
    cr_assert_eq(fx.pol->reward_money[REWARD_THIRD_CLASS_MERIT], 1500);
}

Test(rules, lvzhi_labels_and_formula)
{
    sbuf b = { 0 };
    sbuf_puts(&b,
        "<person id=\"V1\" name=\"甲\" category=\"civil-servant\"><scores>"
        "<component name=\"halfYear\" value=\"优秀\"/><component name=\"annual\" value=\"良好\"/>"
        "<component name=\"internal\" value=\"80\"/></scores></person>"
        "<person id=\"V2\" name=\"乙\" category=\"civil-servant\"><scores>"
        "<component name=\"halfYear\" value=\"一般\"/><component name=\"annual\" value=\"较差\"/>"
        "<component name=\"internal\" value=\"95\"/></scores></person>"
        "<person id=\"V3\" name=\"丙\" category=\"civil-servant\"><scores>"
        "<component name=\"halfYear\" value=\"特优\"/></scores></person>");
    add_persons(&b, 10, 2, "civil-servant", "staff");
    const unit *u = compute("lvzhi", NULL, b.data);
    sbuf_free(&b);
    cr_assert_eq(find_person(u, "V1")->score, ratio("86"));     /* 30 + 40 + 16 */
    cr_assert_eq(find_person(u, "V2")->score, ratio("57"));     /* 18 + 20 + 19 */
    cr_assert_eq(find_person(u, "V3")->score, 0);
    cr_assert_eq(count_findings(u, "SCORE_INVALID", "V3"), 1);
    cr_assert_eq(find_bucket(u, "admin")->places, 1);           /* 5 × 20% */
    cr_assert_str_eq(grade_of(u, "V1"), "excellent");
}

/* Scores beyond the fix6 range saturate at ±RULES_SCORE_LIMIT (they once
 * wrapped: 50 × 999999999999 narrowed from 128 bits came out negative). */
Test(rules, enormous_scores_saturate_and_keep_their_order)
{
    sbuf b = { 0 };
    sbuf_puts(&b,
        "<person id=\"H1\" name=\"甲\" category=\"civil-servant\"><scores>"
        "<component name=\"annual\" value=\"999999999999\"/></scores></person>"
        "<person id=\"H2\" name=\"乙\" category=\"civil-servant\"><scores>"
        "<component name=\"annual\" value=\"-999999999999.999999\"/>"
        "<component name=\"halfYear\" value=\"999999999999.999999\"/></scores></person>"
        "<person id=\"H3\" name=\"丙\" category=\"civil-servant\"><scores>"
        "<component name=\"annual\" value=\"19999999999.99\"/></scores></person>"
        "<person id=\"H4\" name=\"丁\" category=\"civil-servant\"><scores>"
        "<component name=\"annual\" value=\"20000000000\"/></scores></person>"
        "<person id=\"H5\" name=\"戊\" category=\"civil-servant\"><scores>"
        "<component name=\"annual\" value=\"-20000000000.000001\"/></scores></person>");
    add_persons(&b, 10, 5, "civil-servant", "staff");
    const unit *u = compute("lvzhi", NULL, b.data);
    sbuf_free(&b);
    cr_assert_eq(RULES_SCORE_LIMIT, 999999999999999999LL);
    cr_assert_eq(find_person(u, "H1")->score, RULES_SCORE_LIMIT);           /* 49999999999950 */
    cr_assert_eq(find_person(u, "H2")->score, -RULES_SCORE_LIMIT);          /* -20 × 999999999999.999999 */
    cr_assert_eq(find_person(u, "H3")->score, ratio("999999999999.5"));     /* in range: exact */
    cr_assert_eq(find_person(u, "H4")->score, RULES_SCORE_LIMIT);           /* 10^12: just beyond */
    cr_assert_eq(find_person(u, "H5")->score, -RULES_SCORE_LIMIT);
    cr_assert_eq(count_findings(u, "SCORE_INVALID", NULL), 0);
    /* the officer is told which scores were saturated */
    cr_assert_eq(count_findings(u, "SCORE_OUT_OF_RANGE", NULL), 4);
    cr_assert_eq(count_findings(u, "SCORE_OUT_OF_RANGE", "H1"), 1);
    cr_assert_eq(count_findings(u, "SCORE_OUT_OF_RANGE", "H3"), 0);
    /* 10 persons × 20% = 2 places: the two saturated at the top, by id */
    cr_assert_str_eq(grade_of(u, "H1"), "excellent");
    cr_assert_str_eq(grade_of(u, "H4"), "excellent");
    cr_assert_str_neq(grade_of(u, "H3"), "excellent");
    char s[48];
    fix6_format_fixed(find_person(u, "H2")->score, 2, s, sizeof s);
    cr_assert_str_eq(s, "-1000000000000.00");
}

Test(rules, baoshan_min_one_and_advanced_limit)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 3, "civil-servant", "staff");
    add_persons(&b, 11, 4, "other", "staff");
    const unit *u = compute("baoshan-2022", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->places, 1);   /* 3 × 20% = 0.6, minOne */
    cr_assert_eq(find_bucket(u, "other")->places, 1);
    cr_assert_eq(u->advanced_limit, 1);                  /* 7 × 10%, minOne */
    sbuf_clear(&b);
    for (int i = 0; i < 12; i++)
        sbuf_printf(&b, "<person id=\"A%02d\" name=\"人\" category=\"institution\"><proposal advanced=\"%s\"/></person>",
                    i, i < 2 ? "true" : "false");
    u = compute("baoshan-2022", NULL, b.data);
    cr_assert_eq(u->advanced_limit, 1);
    cr_assert_eq(u->advanced_count, 2);
    cr_assert_eq(count_findings(u, "ADVANCED_EXCEEDED", "A01"), 1);
    cr_assert(find_person(u, "A00")->designated_advanced);
    sbuf_free(&b);
}

/* --- proposals -------------------------------------------------------------- */

Test(rules, explicit_excellent_take_places_first)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 10, "institution", "staff");   /* 2 places */
    sbuf_puts(&b, "<person id=\"X\" name=\"指定\" category=\"institution\"><votes excellent=\"0\"/><proposal grade=\"excellent\"/></person>");
    const unit *u = compute("national", NULL, b.data);
    cr_assert_eq(find_bucket(u, "institution")->places, 2);
    cr_assert_str_eq(grade_of(u, "X"), "excellent");
    cr_assert_str_eq(grade_of(u, "P001"), "excellent");
    cr_assert_str_eq(grade_of(u, "P002"), "competent");
    cr_assert(find_person(u, "P001")->auto_proposed);
    cr_assert_eq(u->n_errors, 0);
    sbuf_free(&b);
}

Test(rules, too_many_explicit_excellent_is_quota_exceeded)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 7, "civil-servant", "staff");     /* 10 persons: 2 places */
    for (int i = 0; i < 3; i++)
        sbuf_printf(&b, "<person id=\"E%d\" name=\"优\" category=\"civil-servant\"><proposal grade=\"excellent\"/></person>", i);
    const unit *u = compute("national", NULL, b.data);
    cr_assert_eq(find_bucket(u, "admin")->excellent, 3);
    cr_assert_eq(count_findings(u, "QUOTA_EXCEEDED", "E2"), 1);
    cr_assert_str_eq(grade_of(u, "P001"), "competent");   /* no automatic place left */
    cr_assert_eq(u->n_errors, 1);
    sbuf_free(&b);
}

Test(rules, explicit_lower_grades_are_kept)
{
    const unit *u = compute("national", NULL,
        "<person id=\"B1\" name=\"甲\" category=\"other\"><proposal grade=\"basic\"/></person>"
        "<person id=\"B2\" name=\"乙\" category=\"other\"><proposal grade=\"incompetent\"/></person>");
    cr_assert_str_eq(code_of(u, "B1"), "3");
    cr_assert_str_eq(code_of(u, "B2"), "4");
    cr_assert_str_eq(grade_of(u, "B2"), "incompetent");
}

Test(rules, ties_are_broken_by_id_with_a_warning)
{
    const unit *u = compute("national", NULL,
        "<person id=\"T3\" name=\"丙\" category=\"civil-servant\"><votes excellent=\"9\"/></person>"
        "<person id=\"T1\" name=\"甲\" category=\"civil-servant\"><votes excellent=\"9\"/></person>"
        "<person id=\"T2\" name=\"乙\" category=\"civil-servant\"><votes excellent=\"9\"/></person>"
        "<person id=\"T4\" name=\"丁\" category=\"civil-servant\"><votes excellent=\"3\"/></person>"
        "<person id=\"T5\" name=\"戊\" category=\"civil-servant\"><votes excellent=\"2\"/></person>");
    cr_assert_str_eq(grade_of(u, "T1"), "excellent");
    cr_assert_str_eq(grade_of(u, "T2"), "competent");
    cr_assert_eq(count_findings(u, "RANK_TIE", "T2"), 1);
    /* no tie when the next one differs */
    u = compute("national", NULL,
        "<person id=\"T1\" name=\"甲\" category=\"civil-servant\"><votes excellent=\"9\"/></person>"
        "<person id=\"T2\" name=\"乙\" category=\"civil-servant\"><votes excellent=\"8\"/></person>"
        "<person id=\"T3\" name=\"丙\" category=\"civil-servant\"><votes excellent=\"8\"/></person>"
        "<person id=\"T4\" name=\"丁\" category=\"civil-servant\"/><person id=\"T5\" name=\"戊\" category=\"civil-servant\"/>");
    cr_assert_eq(count_findings(u, "RANK_TIE", NULL), 0);
}

Test(rules, score_ties_fall_back_to_votes)
{
    const unit *u = compute("lvzhi", NULL,
        "<person id=\"Q1\" name=\"甲\" category=\"civil-servant\"><votes excellent=\"5\"/><scores><component name=\"internal\" value=\"90\"/></scores></person>"
        "<person id=\"Q2\" name=\"乙\" category=\"civil-servant\"><votes excellent=\"7\"/><scores><component name=\"internal\" value=\"90\"/></scores></person>"
        "<person id=\"Q3\" name=\"丙\" category=\"civil-servant\"><votes excellent=\"99\"/><scores><component name=\"internal\" value=\"89.99\"/></scores></person>"
        "<person id=\"Q4\" name=\"丁\" category=\"civil-servant\"/><person id=\"Q5\" name=\"戊\" category=\"civil-servant\"/>");
    cr_assert_str_eq(grade_of(u, "Q2"), "excellent");
    cr_assert_str_eq(grade_of(u, "Q1"), "competent");
    cr_assert_str_eq(grade_of(u, "Q3"), "competent");
    cr_assert_eq(count_findings(u, "RANK_TIE", NULL), 0);
}

Test(rules, warning_sanction_is_skipped_by_proposals_and_barred_explicitly)
{
    const unit *u = compute("national", NULL,
        "<person id=\"W1\" name=\"警告\" category=\"civil-servant\"><status sanction=\"warning\" sanctionYear=\"2025\"/><votes excellent=\"50\"/></person>"
        "<person id=\"W2\" name=\"乙\" category=\"civil-servant\"><votes excellent=\"10\"/></person>"
        "<person id=\"W3\" name=\"丙\" category=\"civil-servant\"/><person id=\"W4\" name=\"丁\" category=\"civil-servant\"/>"
        "<person id=\"W5\" name=\"戊\" category=\"civil-servant\"/>"
        "<person id=\"W6\" name=\"去年警告\" category=\"civil-servant\"><status sanction=\"warning\" sanctionYear=\"2024\"/></person>");
    cr_assert_str_eq(grade_of(u, "W1"), "competent");
    cr_assert_str_eq(grade_of(u, "W2"), "excellent");
    cr_assert_eq(u->n_errors, 0);
    u = compute("national", NULL,
        "<person id=\"W1\" name=\"警告\" category=\"civil-servant\"><status sanction=\"warning\" sanctionYear=\"2025\"/><proposal grade=\"excellent\"/></person>"
        "<person id=\"W2\" name=\"乙\" category=\"civil-servant\"/><person id=\"W3\" name=\"丙\" category=\"civil-servant\"/>"
        "<person id=\"W4\" name=\"丁\" category=\"civil-servant\"/><person id=\"W5\" name=\"戊\" category=\"civil-servant\"/>");
    cr_assert_eq(count_findings(u, "EXCELLENT_BARRED", "W1"), 1);
}

/* --- warnings ------------------------------------------------------------------ */

Test(rules, votes_against_more_than_a_third)
{
    const unit *u = compute("national", NULL,
        "<person id=\"V1\" name=\"甲\" category=\"civil-servant\"><votes excellent=\"4\" competent=\"4\" incompetent=\"4\"/></person>"
        "<person id=\"V2\" name=\"乙\" category=\"civil-servant\"><votes excellent=\"4\" competent=\"3\" incompetent=\"5\"/></person>"
        "<person id=\"V3\" name=\"丙\" category=\"civil-servant\"/>");
    cr_assert_eq(count_findings(u, "VOTES_AGAINST", "V1"), 0);   /* exactly a third */
    cr_assert_eq(count_findings(u, "VOTES_AGAINST", "V2"), 1);
    cr_assert_eq(count_findings(u, "VOTES_AGAINST", "V3"), 0);
    cr_assert_eq(u->n_warnings, 1);
}

Test(rules, no_routine_record_and_filed_late)
{
    teardown();
    const unit *u = compute("national", NULL,
        "<person id=\"N1\" name=\"甲\" category=\"civil-servant\"><status routineRecords=\"0\"/></person>"
        "<person id=\"N2\" name=\"乙\" category=\"civil-servant\"><status routineRecords=\"1\"/></person>");
    cr_assert_eq(count_findings(u, "NO_ROUTINE_RECORD", "N1"), 1);
    cr_assert_eq(count_findings(u, "NO_ROUTINE_RECORD", "N2"), 0);
    cr_assert_eq(count_findings(u, "FILED_LATE", NULL), 0);
    /* filedOn after the deadline */
    policy *pol = fx.pol;
    fx.pol = NULL;
    calendar *cal = fx.cal;
    fx.cal = NULL;
    file_header h = fx.hdr;
    strcpy(h.filing_deadline, "2026-01-30");
    strcpy(h.filed_on, "2026-02-02");
    unit *v = ingest_unit_from_string("<unit xmlns=\"urn:kaohe:appraisal:1\" id=\"U2\" name=\"x\"/>", &h);
    rules_env env = { pol, cal, LANG_ZH, { 2025, 12, 1 } };
    rules_compute_unit(v, &env);
    cr_assert_eq(count_findings(v, "FILED_LATE", NULL), 1);
    model_unit_free(v);
    free(v);
    policy_free(pol);
    calendar_free(cal);
}

/* --- rewards ------------------------------------------------------------------- */

static const person *excellent_with_history(const char *history)
{
    char body[1024];
    snprintf(body, sizeof body,
             "<person id=\"H1\" name=\"甲\" category=\"civil-servant\"><proposal grade=\"excellent\"/><history>%s</history></person>"
             "<person id=\"H2\" name=\"乙\" category=\"civil-servant\"/><person id=\"H3\" name=\"丙\" category=\"civil-servant\"/>"
             "<person id=\"H4\" name=\"丁\" category=\"civil-servant\"/><person id=\"H5\" name=\"戊\" category=\"civil-servant\"/>",
             history);
    return find_person(compute("national", NULL, body), "H1");
}

Test(rules, reward_streaks)
{
    const person *p = excellent_with_history("");
    cr_assert_eq(p->reward, REWARD_COMMENDATION);
    cr_assert_eq(p->streak, 1);
    p = excellent_with_history("<year value=\"2024\" grade=\"excellent\"/>");
    cr_assert_eq(p->streak, 2);
    cr_assert_eq(p->reward, REWARD_COMMENDATION);
    p = excellent_with_history("<year value=\"2023\" grade=\"excellent\"/><year value=\"2024\" grade=\"excellent\"/>");
    cr_assert_eq(p->streak, 3);
    cr_assert_eq(p->reward, REWARD_THIRD_CLASS_MERIT);
    p = excellent_with_history("<year value=\"2024\" grade=\"excellent\"/><year value=\"2023\" grade=\"excellent\"/>"
                               "<year value=\"2022\" grade=\"excellent\"/>");
    cr_assert_eq(p->streak, 4);
    cr_assert_eq(p->reward, REWARD_COMMENDATION);
    p = excellent_with_history("<year value=\"2024\" grade=\"excellent\"/><year value=\"2023\" grade=\"excellent\"/>"
                               "<year value=\"2022\" grade=\"excellent\"/><year value=\"2021\" grade=\"excellent\"/>"
                               "<year value=\"2020\" grade=\"excellent\"/><year value=\"2018\" grade=\"excellent\"/>");
    cr_assert_eq(p->streak, 6);
    cr_assert_eq(p->reward, REWARD_THIRD_CLASS_MERIT);
    /* a gap breaks the streak */
    p = excellent_with_history("<year value=\"2024\" grade=\"competent\"/><year value=\"2023\" grade=\"excellent\"/>"
                               "<year value=\"2022\" grade=\"excellent\"/>");
    cr_assert_eq(p->streak, 1);
    cr_assert_eq(p->reward, REWARD_COMMENDATION);
}

Test(rules, no_reward_without_excellent)
{
    const unit *u = compute("national", NULL,
        "<person id=\"H1\" name=\"甲\" category=\"civil-servant\"><proposal grade=\"competent\"/>"
        "<history><year value=\"2024\" grade=\"excellent\"/><year value=\"2023\" grade=\"excellent\"/></history></person>");
    cr_assert_eq(find_person(u, "H1")->reward, REWARD_NONE);
}

/* --- notice period ------------------------------------------------------------------ */

static const notice_period *notice_from(const char *start, int year)
{
    teardown();
    char err[512];
    fx.pol = policy_load("national", "../templates/policies", err, sizeof err);
    fx.cal = calendar_load_dir("../templates/calendars", err, sizeof err);
    fx.hdr.year = year;
    snprintf(fx.hdr.notice_start, sizeof fx.hdr.notice_start, "%s", start);
    fx.u = ingest_unit_from_string("<unit xmlns=\"urn:kaohe:appraisal:1\" id=\"U1\" name=\"x\"/>", &fx.hdr);
    rules_env env = { fx.pol, fx.cal, LANG_ZH, { 2025, 12, 26 } };
    rules_compute_unit(fx.u, &env);
    return &fx.u->notice;
}

Test(rules, notice_across_national_day_2025)
{
    const notice_period *n = notice_from("2025-09-29", 2025);
    cr_assert_str_eq(n->from, "2025-09-29");
    cr_assert_str_eq(n->to, "2025-10-11");   /* 09-29, 09-30, 10-09, 10-10, make-up Saturday 10-11 */
    n = notice_from("2025-09-26", 2025);
    cr_assert_str_eq(n->to, "2025-10-09");   /* 09-26, make-up Sunday 09-28, 09-29, 09-30, 10-09 */
}

Test(rules, notice_across_spring_festival_2026)
{
    const notice_period *n = notice_from("2026-02-12", 2025);
    cr_assert_str_eq(n->to, "2026-02-25");
    n = notice_from("2025-12-29", 2025);
    cr_assert_str_eq(n->to, "2026-01-05");   /* New Year's Day holiday 2026-01-01..03 */
    cr_assert_eq(count_findings(fx.u, "NO_CALENDAR", NULL), 0);
}

Test(rules, notice_default_start_is_next_workday_after_run_date)
{
    const notice_period *n = notice_from("", 2025);   /* run date 2025-12-26, a Friday */
    cr_assert_str_eq(n->from, "2025-12-29");
    cr_assert_str_eq(n->to, "2026-01-05");
}

Test(rules, notice_without_calendar_warns)
{
    const notice_period *n = notice_from("2030-12-27", 2030);   /* a Friday */
    cr_assert_str_eq(n->to, "2031-01-02");
    cr_assert_eq(count_findings(fx.u, "NO_CALENDAR", NULL), 1);
}
