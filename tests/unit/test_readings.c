/* SPEC 3.4a, the readings the program chose where SPEC 3 was open, one test
 * each where tests elsewhere did not already pin them (national unqualified
 * over collectiveMerit: rules/national_performance_and_merit_ratios; given
 * points of a repeated ref adding up: scheme/zhangzhou_worked_example).
 * Units come from XML through the real ingest, typed spellings included. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "results.h"
#include "unit_fixture.h"

static unit_fixture fx;
static sbuf fx_xml;   /* the computed unit's results.xml element */

static void teardown(void)
{
    ufx_free(&fx);
    sbuf_free(&fx_xml);
}

TestSuite(readings, .fini = teardown);

static unit *parse_unit(const char *body)
{
    sbuf x = { 0 };
    sbuf_printf(&x, "<unit xmlns=\"urn:kaohe:appraisal:1\" id=\"U1\" name=\"测试单位\">%s</unit>", body);
    unit *u = ufx_ingest(&fx, x.data);
    sbuf_free(&x);
    return u;
}

/* The unit computed under a preset in 2025, with its results.xml element. */
static const unit *compute(const char *preset, const char *body)
{
    ufx_begin(&fx, preset, 2025);
    sbuf_clear(&fx_xml);
    parse_unit(body);
    ufx_compute(&fx);
    results_unit_xml(&fx_xml, fx.u, fx.pol);
    return fx.u;
}

static const person *find_person(const unit *u, const char *id)
{
    for (long i = 0; i < u->n_persons; i++)
        if (!strcmp(u->persons[i].id, id)) return &u->persons[i];
    cr_assert_fail("no person %s", id);
    return NULL;
}

static int count_findings(const unit *u, const char *code, const char *person_id)
{
    int n = 0;
    for (const finding *f = u->findings; f; f = f->next)
        if (!strcmp(f->code, code) && (!person_id || (f->person_id && !strcmp(f->person_id, person_id)))) n++;
    return n;
}

/* The <person> line of results.xml for id (in a static buffer). */
static const char *person_line(const char *id)
{
    static __thread char line[512];
    char key[96];
    snprintf(key, sizeof key, "<person id=\"%s\"", id);
    const char *p = strstr(fx_xml.data, key);
    cr_assert(p, "no %s in %s", key, fx_xml.data);
    snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
    return line;
}

/* n plain participants of a category, ids P<start>... */
static void add_persons(sbuf *b, int start, int n, const char *category)
{
    for (int i = 0; i < n; i++)
        sbuf_printf(b, "<person id=\"P%03d\" name=\"人\" category=\"%s\"/>", start + i, category);
}

/* 先进个人 exists only under a policy with an advanced limit. */
Test(readings, advanced_only_under_a_policy_with_a_limit)
{
    const char *body = "<person id=\"A1\" name=\"甲\" category=\"institution\"><proposal advanced=\" 1\"/></person>"
                       "<person id=\"A2\" name=\"乙\" category=\"institution\"><proposal advanced=\"true\"/></person>";
    const unit *u = compute("national", body);
    cr_assert_not(fx.pol->has_advanced);
    cr_assert_not(find_person(u, "A1")->designated_advanced);
    cr_assert_eq(u->advanced_count, 0);
    cr_assert_eq(count_findings(u, "ADVANCED_EXCEEDED", NULL), 0);
    cr_assert_null(strstr(fx_xml.data, "advanced="), "%s", fx_xml.data);
    /* the same unit under baoshan-2022 (limit floor(2 × 10%), minOne: 1) */
    u = compute("baoshan-2022", body);
    cr_assert(find_person(u, "A1")->designated_advanced);
    cr_assert_eq(u->advanced_count, 2);
    cr_assert_eq(count_findings(u, "ADVANCED_EXCEEDED", "A2"), 1);
    cr_assert(strstr(person_line("A1"), " advanced=\"true\""), "%s", person_line("A1"));
}

/* ... and only participants (codes 1-5C) are designated or counted. */
Test(readings, advanced_only_for_participants)
{
    sbuf b = { 0 };
    add_persons(&b, 1, 9, "institution");
    sbuf_puts(&b,
        "<person id=\"A1\" name=\"甲\" category=\"institution\"><proposal advanced=\"true\"/></person>"
        /* 6A: leave above 6 months, not maternity; not a participant */
        "<person id=\"L1\" name=\"乙\" category=\"institution\"><status leaveMonths=\" 08\"/>"
        "<proposal advanced=\"true\"/></person>"
        /* 5A: probation; a participant */
        "<person id=\"T1\" name=\"丙\" category=\"institution\"><status probation=\"1\"/>"
        "<proposal advanced=\"true\"/></person>");
    /* 11 participants: limit floor(1.1) = 1; A1 and T1 count, L1 does not */
    const unit *u = compute("baoshan-2022", b.data);
    sbuf_free(&b);
    cr_assert_str_eq(model_code_str(find_person(u, "L1")), "6A");
    cr_assert_str_eq(model_code_str(find_person(u, "T1")), "5A");
    cr_assert_eq(u->advanced_limit, 1);
    cr_assert_not(find_person(u, "L1")->designated_advanced);
    cr_assert(find_person(u, "T1")->designated_advanced);
    cr_assert_eq(u->advanced_count, 2);
    cr_assert_eq(count_findings(u, "ADVANCED_EXCEEDED", NULL), 1);
    cr_assert_eq(count_findings(u, "ADVANCED_EXCEEDED", "T1"), 1);
    cr_assert_null(strstr(person_line("L1"), "advanced"), "%s", person_line("L1"));
    cr_assert(strstr(person_line("T1"), " advanced=\"true\""), "%s", person_line("T1"));
}

/* NO_ROUTINE_RECORD concerns participants only. */
Test(readings, no_routine_record_for_participants_only)
{
    const unit *u = compute("national",
        "<person id=\"N1\" name=\"甲\" category=\"civil-servant\"><status routineRecords=\" 0\"/></person>"
        "<person id=\"N2\" name=\"乙\" category=\"civil-servant\"><status routineRecords=\"0\" probation=\"true\"/></person>"
        "<person id=\"N3\" name=\"丙\" category=\"civil-servant\"><status routineRecords=\"0\" leaveMonths=\"7\" leaveType=\"sick\"/></person>"
        "<person id=\"N4\" name=\"丁\" category=\"civil-servant\"><status routineRecords=\"+00\" leaveMonths=\"7\" leaveType=\"maternity\"/></person>");
    cr_assert_eq(count_findings(u, "NO_ROUTINE_RECORD", "N1"), 1);
    cr_assert_eq(count_findings(u, "NO_ROUTINE_RECORD", "N2"), 1);   /* 5A takes part */
    cr_assert_str_eq(model_code_str(find_person(u, "N3")), "6A");
    cr_assert_eq(count_findings(u, "NO_ROUTINE_RECORD", "N3"), 0);
    cr_assert_eq(count_findings(u, "NO_ROUTINE_RECORD", "N4"), 1);   /* maternity leave takes part */
}

/* lvzhi: a number given for halfYear/annual is the coefficient itself. */
Test(readings, lvzhi_numbers_are_coefficients)
{
    const unit *u = compute("lvzhi",
        "<person id=\"V1\" name=\"甲\" category=\"civil-servant\"><scores>"
        "<component name=\"halfYear\" value=\"0.9\"/><component name=\"annual\" value=\"1\"/>"
        "<component name=\"internal\" value=\"50\"/></scores></person>"
        "<person id=\"V2\" name=\"乙\" category=\"civil-servant\"><scores>"
        "<component name=\"halfYear\" value=\"0.8\"/><component name=\"annual\" value=\"0.6\"/></scores></person>"
        "<person id=\"V3\" name=\"丙\" category=\"civil-servant\"><scores>"
        "<component name=\"halfYear\" value=\"良好\"/><component name=\"annual\" value=\"一般\"/></scores></person>");
    fix6 v;
    cr_assert(fix6_parse("87", &v));              /* 30 × 0.9 + 50 × 1 + 0.2 × 50 */
    cr_assert_eq(find_person(u, "V1")->score, v);
    cr_assert(fix6_parse("54", &v));              /* 30 × 0.8 + 50 × 0.6 */
    cr_assert_eq(find_person(u, "V2")->score, v);
    cr_assert_eq(find_person(u, "V3")->score, v);  /* the labels' coefficients: the same */
    cr_assert_eq(count_findings(u, "SCORE_INVALID", NULL), 0);
}

/* Scores are rounded to two decimals half away from zero: −86.715 → −86.72. */
Test(readings, scores_round_half_away_from_zero)
{
    /* quannan-2011: a staff member's score is the poll */
    compute("quannan-2011",
        "<person id=\"R1\" name=\"甲\" category=\"civil-servant\"><scores><component name=\"poll\" value=\"-86.715\"/></scores></person>"
        "<person id=\"R2\" name=\"乙\" category=\"civil-servant\"><scores><component name=\"poll\" value=\"86.715\"/></scores></person>"
        "<person id=\"R3\" name=\"丙\" category=\"civil-servant\"><scores><component name=\"poll\" value=\"-86.714999\"/></scores></person>"
        "<person id=\"R4\" name=\"丁\" category=\"civil-servant\"><scores><component name=\"poll\" value=\"-0.004\"/></scores></person>");
    cr_assert(strstr(person_line("R1"), " score=\"-86.72\""), "%s", person_line("R1"));
    cr_assert(strstr(person_line("R2"), " score=\"86.72\""), "%s", person_line("R2"));
    cr_assert(strstr(person_line("R3"), " score=\"-86.71\""), "%s", person_line("R3"));
    cr_assert(strstr(person_line("R4"), " score=\"0.00\""), "%s", person_line("R4"));   /* never "-0.00" */
}

/* SPEC 5: an item ref repeated in one <assessment> is added up, then capped
 * (innovation: 2 points each, cap 10): 3 + 4 = 7 occurrences, 14 → 10, not
 * 6 + 8 capped one by one. */
Test(readings, repeated_assessment_refs_add_up_then_cap)
{
    ufx_begin(&fx, "zhangzhou", 2025);
    ufx_load_schemes(&fx);
    const scheme *z = scheme_set_find(fx.schemes, "zhangzhou");
    cr_assert(z);
    parse_unit("<assessment scheme=\"zhangzhou\"><item ref=\"basic\" points=\" 400\"/>"
               "<item ref=\"innovation\" count=\"3\"/><item ref=\"innovation\" count=\"+04\"/>"
               "<item ref=\"creation\" points=\"4.5\"/><item ref=\"creation\" points=\".5\"/></assessment>");
    scheme_result r;
    scheme_error e;
    cr_assert_eq(scheme_score(z, &fx.u->assessment, &fx.u->mem, &r, &e), 0, "%s", e.code);
    const scheme_line *inn = NULL, *cre = NULL;
    for (int i = 0; i < r.n_lines; i++) {
        if (!strcmp(r.lines[i].item->ref, "innovation")) inn = &r.lines[i];
        if (!strcmp(r.lines[i].item->ref, "creation")) cre = &r.lines[i];
    }
    cr_assert(inn && cre);
    cr_assert_eq(inn->count, 7);
    cr_assert_eq(inn->raw, 14 * FIX_ONE);
    cr_assert_eq(inn->counted, 10 * FIX_ONE);
    cr_assert_eq(cre->points, 5 * FIX_ONE);
    /* 400 + (100 - 5) + 10 = 505 */
    cr_assert_eq(r.total, 505 * FIX_ONE, "%lld", (long long)r.total);
}
