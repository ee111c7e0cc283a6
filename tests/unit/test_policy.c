/* Policy files: every shipped preset loads with the SPEC's numbers; the
 * parser rejects what it does not understand, naming file:line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"

static fix6 fx6(const char *s)
{
    fix6 v;
    cr_assert(fix6_parse(s, &v), "%s", s);
    return v;
}

static policy *load(const char *name)
{
    char err[512];
    policy *p = policy_load(name, "../templates/policies", err, sizeof err);
    cr_assert(p, "%s: %s", name, err);
    return p;
}

Test(policy, presets_carry_the_spec_settings)
{
    static const struct { const char *name; const char *max; bool split, min_one; int notice; } t[] = {
        { "national", "0.25", false, false, 5 },   { "jiaozuo-2007", "0.10", true, false, 5 },
        { "zhangzhou", "0.20", false, false, 5 },  { "quannan-2011", "0.25", true, false, 5 },
        { "lvzhi", "0.20", false, false, 5 },      { "baoshan-2022", "0.20", false, true, 5 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        policy *p = load(t[i].name);
        cr_assert_str_eq(p->name, t[i].name);
        cr_assert_eq(p->max_ratio, fx6(t[i].max), "%s", t[i].name);
        cr_assert_eq(p->split_leaders, t[i].split, "%s", t[i].name);
        cr_assert_eq(p->min_one, t[i].min_one, "%s", t[i].name);
        cr_assert_eq(p->notice_days, t[i].notice, "%s", t[i].name);
        cr_assert_eq(p->seconded_below_months, 6);
        cr_assert_eq(p->leave_above_months, 6);
        cr_assert(p->bar_warning);
        cr_assert_eq(p->bar_accident_leaders, !strcmp(t[i].name, "jiaozuo-2007"));
        cr_assert_eq(policy_has_score(p), !strcmp(t[i].name, "lvzhi") || !strcmp(t[i].name, "quannan-2011"));
        cr_assert_eq(p->has_advanced, !strcmp(t[i].name, "baoshan-2022"));
        policy_free(p);
    }
    policy *p = load("jiaozuo-2007");
    cr_assert_eq(p->posting_days, 7);
    policy_free(p);
}

Test(policy, labels_and_numbers)
{
    policy *p = load("lvzhi");
    fix6 v;
    cr_assert(policy_component_value(p, "良好", &v));
    cr_assert_eq(v, fx6("0.8"));
    cr_assert(policy_component_value(p, "较差", &v));
    cr_assert_eq(v, fx6("0.4"));
    cr_assert(policy_component_value(p, "88.25", &v));
    cr_assert_eq(v, fx6("88.25"));
    cr_assert_not(policy_component_value(p, "很好", &v));
    cr_assert_not(policy_component_value(p, "1e3", &v));
    policy_free(p);
}

Test(policy, load_by_path)
{
    char err[512];
    policy *p = policy_load("../templates/policies/zhangzhou.policy", "/nonexistent", err, sizeof err);
    cr_assert(p, "%s", err);
    cr_assert(p->has_unqualified_below);
    cr_assert_eq(p->unqualified_below, fx6("700"));
    policy_free(p);
    cr_assert_null(policy_load("nosuch", "../templates/policies", err, sizeof err));
    cr_assert(strstr(err, "nosuch.policy"), "%s", err);
}

static void expect_error(const char *text, const char *fragment)
{
    char err[512] = "";
    policy *p = policy_parse(text, strlen(text), "t.policy", err, sizeof err);
    cr_assert_null(p, "accepted: %s", text);
    cr_assert(strstr(err, fragment), "error '%s' lacks '%s'", err, fragment);
}

Test(policy, parser_rejects_with_line_numbers)
{
    expect_error("name x\nratio all 0.2\n\nfrobnicate yes\n", "t.policy:4: unknown setting 'frobnicate'");
    expect_error("name x\nratio everyone 0.2\n", "t.policy:2: unknown bucket 'everyone'");
    expect_error("name x\nratio all 1.5\n", "t.policy:2: ratio out of 0..1");
    expect_error("name x\nratio all 0.2 if sunshine\n", "unknown condition 'sunshine'");
    expect_error("name x\nratio all 0.2 if performance=great\n", "unknown value 'great'");
    expect_error("name x\nratio all abc\n", "bad number 'abc'");
    expect_error("name x\nratio all 0.2\nmin-one maybe\n", "t.policy:3: expected yes or no");
    expect_error("ratio all 0.2\n", "missing 'name'");
    expect_error("name x\n", "no 'ratio' rules");
    expect_error("name x\nratio all 0.2\nnotice-days 0\n", "bad integer");
    expect_error("name x\nratio all 0.2\nscore all team\n", "expected 'score ROLES");
    expect_error("name \xff\nratio all 0.2\n", "not valid UTF-8");
}

Test(policy, later_lines_override_and_adjust)
{
    const char *text = "name t\nsplit-leaders yes\nratio all 0.2\nratio admin-leader 0.3\n"
                       "adjust institution -0.05 if routine=poor|none\nadjust other -0.5\n";
    char err[256];
    policy *p = policy_parse(text, strlen(text), "t", err, sizeof err);
    cr_assert(p, "%s", err);
    unit u = { 0 };
    u.routine = ROUTINE_POOR;
    cr_assert_eq(policy_bucket_ratio(p, &u, PERF_NONE, GROUP_ADMIN, 1), fx6("0.3"));
    cr_assert_eq(policy_bucket_ratio(p, &u, PERF_NONE, GROUP_ADMIN, 0), fx6("0.2"));
    cr_assert_eq(policy_bucket_ratio(p, &u, PERF_NONE, GROUP_INSTITUTION, 0), fx6("0.15"));
    cr_assert_eq(policy_bucket_ratio(p, &u, PERF_NONE, GROUP_OTHER, 1), 0);   /* never negative */
    u.routine = ROUTINE_GOOD;
    cr_assert_eq(policy_bucket_ratio(p, &u, PERF_NONE, GROUP_INSTITUTION, 1), fx6("0.2"));
    policy_free(p);
}

Test(fix6, parse_and_format)
{
    char b[40];
    cr_assert_eq(fx6("0.20"), 200000);
    cr_assert_eq(fx6("-0.1"), -100000);
    cr_assert_eq(fx6("15"), 15000000);
    cr_assert_eq(fx6(".5"), 500000);
    fix6 v;
    cr_assert_not(fix6_parse("1e308", &v));
    cr_assert_not(fix6_parse("NaN", &v));
    cr_assert_not(fix6_parse("0.1234567", &v));
    cr_assert(fix6_parse("0.1234560", &v));
    cr_assert_not(fix6_parse("", &v));
    cr_assert_not(fix6_parse("-", &v));
    cr_assert_not(fix6_parse("1.2.3", &v));
    cr_assert_not(fix6_parse("99999999999999", &v));
    fix6_format_plain(fx6("0.20"), b, sizeof b);
    cr_assert_str_eq(b, "0.2");
    fix6_format_plain(fx6("0.25"), b, sizeof b);
    cr_assert_str_eq(b, "0.25");
    fix6_format_plain(fx6("1"), b, sizeof b);
    cr_assert_str_eq(b, "1");
    fix6_format_plain(fx6("-0.05"), b, sizeof b);
    cr_assert_str_eq(b, "-0.05");
    fix6_format_fixed(fx6("88"), 2, b, sizeof b);
    cr_assert_str_eq(b, "88.00");
    fix6_format_fixed(fx6("58.345"), 2, b, sizeof b);
    cr_assert_str_eq(b, "58.35");
    fix6_format_fixed(fx6("-0.004"), 2, b, sizeof b);
    cr_assert_str_eq(b, "0.00");
    fix6_format_fixed(fx6("-1.005"), 2, b, sizeof b);
    cr_assert_str_eq(b, "-1.01");
}

Test(strset, exact_membership)
{
    strset s = { 0 };
    char id[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "P%07d", i);
        cr_assert(strset_add(&s, id));
    }
    cr_assert_not(strset_add(&s, "P0000042"));
    cr_assert(strset_contains(&s, "P0004999"));
    cr_assert_not(strset_contains(&s, "P0005000"));
    cr_assert_eq(s.count, 5000);
    strset_free(&s);
}

/* The pool moves as it grows: every id added before and after each growth
 * is still found, prefixes and the empty string are ids of their own, and
 * the set is usable again after strset_free. */
Test(strset, survives_growth_of_table_and_pool)
{
    strset s = { 0 };
    char id[64];
    for (int round = 0; round < 2; round++) {
        cr_assert(strset_add(&s, ""));
        cr_assert_not(strset_add(&s, ""));
        for (int i = 0; i < 70000; i++) {
            snprintf(id, sizeof id, "%d-%0*d", round, 1 + i % 40, i);
            cr_assert(strset_add(&s, id), "%s", id);
        }
        for (int i = 0; i < 70000; i++) {
            snprintf(id, sizeof id, "%d-%0*d", round, 1 + i % 40, i);
            cr_assert(strset_contains(&s, id), "%s lost", id);
            cr_assert_not(strset_add(&s, id), "%s added twice", id);
            id[strlen(id) - 1] = 'x';
            cr_assert_not(strset_contains(&s, id), "%s never added", id);
        }
        cr_assert_eq(s.count, 70001);
        cr_assert_leq(s.count * 4, s.cap * 3, "load above 3/4");
        strset_free(&s);
        cr_assert_eq(s.count, 0);
        cr_assert_not(strset_contains(&s, "0-1"));
    }
}
