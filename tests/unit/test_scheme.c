/* Assessment schemes: every section mode, the caps, overflow, vetoes, choices,
 * ranking (ties, top N per series, bottom N), parse errors naming file:line,
 * and each shipped scheme on a worked example computed by hand from the
 * seed's rules. Tests run from tests/, so schemes are ../templates/schemes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheme.h"

#define DIR "../templates/schemes"

static fix6 fx(const char *s)
{
    fix6 v;
    cr_assert(fix6_parse(s, &v), "%s", s);
    return v;
}

static scheme *load(const char *name)
{
    char path[256], err[512];
    snprintf(path, sizeof path, DIR "/%s.scheme", name);
    scheme *s = scheme_load(path, err, sizeof err);
    cr_assert(s, "%s: %s", name, err);
    return s;
}

static scheme *parse(const char *text)
{
    char err[512] = "";
    scheme *s = scheme_parse(text, strlen(text), "t.scheme", err, sizeof err);
    cr_assert(s, "%s", err);
    return s;
}

/* An <assessment> written as "ref=points ref*count ref" (bare ref: count 0). */
typedef struct input {
    unit_assessment a;
    struct assessment_item items[64];
    char buf[4096];
} input;

static const unit_assessment *mk(input *in, const char *spec)
{
    memset(in, 0, sizeof *in);
    snprintf(in->buf, sizeof in->buf, "%s", spec);
    in->a.present = true;
    in->a.items = in->items;
    for (char *save = NULL, *t = strtok_r(in->buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        struct assessment_item *it = &in->items[in->a.n_items++];
        char *eq = strchr(t, '='), *star = strchr(t, '*');
        if (eq) {
            *eq = '\0';
            it->has_points = true;
            it->points = fx(eq + 1);
        } else if (star) {
            *star = '\0';
            it->count = atol(star + 1);
        }
        it->ref = t;
    }
    return &in->a;
}

static scheme_result score(const scheme *s, arena *mem, const char *spec)
{
    input in;
    scheme_result r;
    scheme_error e;
    int rc = scheme_score(s, mk(&in, spec), mem, &r, &e);
    sbuf b = { 0 };
    scheme_error_format(&e, LANG_EN, &b);
    cr_assert_eq(rc, 0, "%s: %s", spec, b.data ? b.data : "");
    sbuf_free(&b);
    return r;
}

/* The error text (English) of a spec that must fail. */
static void score_fails(const scheme *s, const char *spec, const char *code, const char *fragment)
{
    input in;
    scheme_result r;
    scheme_error e;
    arena mem = { 0 };
    cr_assert_neq(scheme_score(s, mk(&in, spec), &mem, &r, &e), 0, "accepted: %s", spec);
    cr_assert_str_eq(e.code, code, "%s", spec);
    sbuf b = { 0 };
    scheme_error_format(&e, LANG_EN, &b);
    cr_assert(strstr(b.data, fragment), "'%s' lacks '%s'", b.data, fragment);
    sbuf_free(&b);
    arena_free(&mem);
}

static const scheme_line *line_of(const scheme_result *r, const char *ref)
{
    for (int i = 0; i < r->n_lines; i++)
        if (!strcmp(r->lines[i].item->ref, ref)) return &r->lines[i];
    cr_assert_fail("no line %s", ref);
    return NULL;
}

static const scheme_section_result *section_of(const scheme_result *r, const char *id)
{
    for (int i = 0; i < r->n_sections; i++)
        if (!strcmp(r->sections[i].section->id, id)) return &r->sections[i];
    cr_assert_fail("no section %s", id);
    return NULL;
}

#define assert_fix(v, s) cr_assert_eq((v), fx(s), "%s: %lld, expected %s", #v, (long long)(v), (s))

/* ---- the shipped files ---------------------------------------------------- */

Test(scheme, shipped_set_loads)
{
    char err[512];
    scheme_set *set = scheme_set_load_dir(DIR, err, sizeof err);
    cr_assert(set, "%s", err);
    static const struct { const char *name, *full; } t[] = {
        { "hubei-archives-2011", "100" }, { "jishui-2014", "100" }, { "kaisheng", "100" },
        { "xingan-2006", "100" },         { "zhangzhou", "1000" },
    };
    cr_assert_eq(scheme_set_count(set), 5);
    for (size_t i = 0; i < 5; i++) {
        const scheme *s = scheme_set_find(set, t[i].name);
        cr_assert(s, "%s", t[i].name);
        cr_assert_eq(scheme_set_at(set, i), s);
        cr_assert_str_eq(scheme_name(s), t[i].name);
        assert_fix(s->full, t[i].full);
        cr_assert(s->title[0]);
    }
    cr_assert_null(scheme_set_find(set, "nosuch"));
    cr_assert_null(scheme_set_find(set, NULL));
    scheme_set_free(set);
    cr_assert_null(scheme_set_load_dir("/nonexistent-dir", err, sizeof err));
    cr_assert(strstr(err, "/nonexistent-dir"), "%s", err);
}

Test(scheme, set_requires_name_to_match_file)
{
    char dir[] = "/tmp/kaohe-scheme-XXXXXX", path[128], err[512];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/right.scheme", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("name wrong\nfull 10\nsection a A score 10\nitem b B given 0 10\ngrade qualified Q\n", f);
    fclose(f);
    cr_assert_null(scheme_set_load_dir(dir, err, sizeof err));
    cr_assert(strstr(err, "right.scheme: name 'wrong' does not match"), "%s", err);
    unlink(path);
    rmdir(dir);
}

/* jishui: every sub-item is capped at its points, so the caps of the common
 * items add up to 30 and those of each office to 70 (groups count their cap). */
Test(scheme, jishui_caps_add_up_to_the_section)
{
    scheme *s = load("jishui-2014");
    int offices = 0;
    for (int i = 0; i < s->n_sections; i++) {
        const scheme_section *sec = &s->sections[i];
        if (sec->mode != SCHEME_DEDUCT) continue;
        fix6 sum = 0;
        for (int k = 0; k < sec->n_items; k++) {
            const scheme_item *it = &s->items[sec->first_item + k];
            if (it->group >= 0) continue;
            cr_assert(it->has_cap || it->given, "%s has no cap", it->ref);
            sum += it->has_cap ? it->cap : it->max;
        }
        for (int g = 0; g < s->n_groups; g++)
            if (s->groups[g].section == i) sum += s->groups[g].cap;
        cr_assert_eq(sum, sec->max, "%s: caps add to %lld", sec->id, (long long)sum);
        offices += sec->choice >= 0;
    }
    cr_assert_eq(offices, 14);
    scheme_free(s);
}

/* ---- section modes ---------------------------------------------------------- */

static const char *MODES =
    "name t\nfull 60\n"
    "section s Score score 20\n"
    "item a A given 0 15\n"
    "item b B given 0 15\n"
    "section d Deduct deduct 20\n"
    "item x X 3 cap 6\n"
    "item y Y given 0 10\n"
    "section w Award award 20\n"
    "item p P 4 cap 8\n"
    "group g G 5\n"
    "item q Q 3 group g\n"
    "item r R 2 group g\n"
    "item big Big 25\n"
    "section j Adjust adjust 4\n"
    "item plus Plus 1.5\n"
    "item minus Minus -2 cap 3\n"
    "grade qualified Q\n";

Test(scheme, score_section_capped_at_max)
{
    scheme *s = parse(MODES);
    arena mem = { 0 };
    scheme_result r = score(s, &mem, "a=12.5 b=9");
    const scheme_section_result *sec = section_of(&r, "s");
    assert_fix(sec->items, "21.5");
    assert_fix(sec->value, "20");
    /* untouched deduct section keeps its max, award starts at 0 */
    assert_fix(section_of(&r, "d")->value, "20");
    assert_fix(section_of(&r, "w")->value, "0");
    assert_fix(r.total, "40");
    arena_free(&mem);
    scheme_free(s);
}

Test(scheme, deduct_item_cap_and_floor)
{
    scheme *s = parse(MODES);
    arena mem = { 0 };
    /* x: 5 x 3 = 15, capped at 6; y given 7: 13 off 20 = 7 */
    scheme_result r = score(s, &mem, "x*5 y=7");
    const scheme_line *x = line_of(&r, "x");
    cr_assert_eq(x->count, 5);
    assert_fix(x->raw, "15");
    assert_fix(x->counted, "6");
    assert_fix(section_of(&r, "d")->value, "7");
    /* two given y add up: 6 + 10 + 9 = 25 > 20: the section is 0, nothing overflows */
    r = score(s, &mem, "x*2 y=10 y=9");
    assert_fix(line_of(&r, "y")->points, "19");
    assert_fix(section_of(&r, "d")->items, "25");
    assert_fix(section_of(&r, "d")->value, "0");
    assert_fix(section_of(&r, "d")->overflow, "0");
    assert_fix(r.overflow, "0");
    assert_fix(r.total, "0");
    arena_free(&mem);
    scheme_free(s);
}

Test(scheme, deduct_overflow_comes_off_the_total)
{
    scheme *s = parse("name t\nfull 110\nsection b B score 100\nitem base Base given 0 100\n"
                      "section d D deduct 10 overflow\nitem x X 4\ngrade qualified Q\n");
    arena mem = { 0 };
    /* 4 x 4 = 16 against 10: section 0, overflow 6: total 90 + 0 - 6 = 84 */
    scheme_result r = score(s, &mem, "base=90 x*4");
    assert_fix(section_of(&r, "d")->value, "0");
    assert_fix(section_of(&r, "d")->overflow, "6");
    assert_fix(r.overflow, "6");
    assert_fix(r.total, "84");
    /* exactly at the max: no overflow */
    r = score(s, &mem, "base=90 x*2");
    assert_fix(r.total, "92");
    assert_fix(r.overflow, "0");
    arena_free(&mem);
    scheme_free(s);
}

Test(scheme, award_item_group_and_section_caps)
{
    scheme *s = parse(MODES);
    arena mem = { 0 };
    /* p: 3 x 4 = 12 -> cap 8; group g (5): q 1 x 3 = 3, r 3 x 2 = 6 -> 2 left -> 2 */
    scheme_result r = score(s, &mem, "p*3 q*1 r*3");
    assert_fix(line_of(&r, "p")->counted, "8");
    assert_fix(line_of(&r, "q")->counted, "3");
    assert_fix(line_of(&r, "r")->raw, "6");
    assert_fix(line_of(&r, "r")->counted, "2");
    assert_fix(section_of(&r, "w")->value, "13");
    /* the group is filled in file order: q first */
    r = score(s, &mem, "q*2 r*1");
    assert_fix(line_of(&r, "q")->counted, "5");
    assert_fix(line_of(&r, "r")->counted, "0");
    /* the section cap: 25 + 8 + 5 = 38 -> 20 */
    r = score(s, &mem, "big*1 p*2 q*2");
    assert_fix(section_of(&r, "w")->items, "38");
    assert_fix(section_of(&r, "w")->value, "20");
    arena_free(&mem);
    scheme_free(s);
}

Test(scheme, adjust_signed_with_caps)
{
    scheme *s = parse(MODES);
    arena mem = { 0 };
    /* +1.5 x 1 and -2 x 1 = -0.5 */
    scheme_result r = score(s, &mem, "plus*1 minus*1");
    assert_fix(section_of(&r, "j")->value, "-0.5");
    /* minus: -2 x 5 = -10, cap 3 -> -3; plus 4.5; sum 1.5 */
    r = score(s, &mem, "plus*3 minus*5");
    assert_fix(line_of(&r, "minus")->counted, "-3");
    assert_fix(section_of(&r, "j")->value, "1.5");
    /* the section's limit 4: plus 9 -> 4 */
    r = score(s, &mem, "plus*6");
    assert_fix(section_of(&r, "j")->items, "9");
    assert_fix(section_of(&r, "j")->value, "4");
    arena_free(&mem);
    scheme_free(s);
}

Test(scheme, full_at_takes_the_whole_cap)
{
    scheme *s = parse("name t\nfull 2\nsection d D deduct 2\nitem a A 0.2 cap 2 full-at 3\ngrade qualified Q\n");
    arena mem = { 0 };
    assert_fix(score(s, &mem, "a*2").total, "1.6");
    scheme_result r = score(s, &mem, "a*3");
    assert_fix(r.total, "0");
    assert_fix(line_of(&r, "a")->counted, "2");
    arena_free(&mem);
    scheme_free(s);
}

Test(scheme, huge_counts_saturate_without_overflow)
{
    scheme *s = parse("name t\nfull 10\nsection w W award 10\nitem a A 1000000\ngrade qualified Q\n");
    arena mem = { 0 };
    input in;
    mk(&in, "a*1000000 a*1000000 a*1000000");
    for (int i = 0; i < 40; i++) in.items[in.a.n_items++] = in.items[0];
    scheme_result r;
    scheme_error e;
    cr_assert_eq(scheme_score(s, &in.a, &mem, &r, &e), 0);
    cr_assert_gt(line_of(&r, "a")->raw, 0);
    assert_fix(r.total, "10");
    arena_free(&mem);
    scheme_free(s);
}

/* ---- input errors ------------------------------------------------------------ */

Test(scheme, input_errors_name_the_ref)
{
    scheme *s = parse(MODES);
    score_fails(s, "a=15.5", "ASSESSMENT_POINTS_RANGE", "'a' (A): points 15.5 outside 0..15");
    score_fails(s, "y=-1", "ASSESSMENT_POINTS_RANGE", "'y' (Y): points -1 outside 0..10");
    score_fails(s, "a=1 nosuch*2", "ASSESSMENT_ITEM_UNKNOWN", "scheme 't' has no item 'nosuch'");
    score_fails(s, "g*1", "ASSESSMENT_ITEM_UNKNOWN", "no item 'g'");        /* a group is no item */
    score_fails(s, "s", "ASSESSMENT_ITEM_UNKNOWN", "no item 's'");          /* nor a plain section */
    score_fails(s, "x=3", "ASSESSMENT_NEEDS_COUNT", "'x' (X) counts occurrences");
    score_fails(s, "a*2", "ASSESSMENT_NEEDS_POINTS", "'a' (A) takes the points given");
    score_fails(s, "a", "ASSESSMENT_NEEDS_POINTS", "'a' (A)");
    scheme_free(s);
}

Test(scheme, error_messages_in_both_languages)
{
    scheme *z = load("zhangzhou");
    input in;
    scheme_result r;
    scheme_error e;
    arena mem = { 0 };
    cr_assert_neq(scheme_score(z, mk(&in, "basic=451"), &mem, &r, &e), 0);
    sbuf zh = { 0 }, en = { 0 };
    scheme_error_format(&e, LANG_ZH, &zh);
    scheme_error_format(&e, LANG_EN, &en);
    cr_assert_str_eq(zh.data, "考评项目“basic”（完成基本工作目标）：分值 451 超出 0～450");
    cr_assert_str_eq(en.data, "assessment item 'basic' (完成基本工作目标): points 451 outside 0..450");
    sbuf_free(&zh);
    sbuf_free(&en);
    arena_free(&mem);
    scheme_free(z);
}

/* ---- vetoes -------------------------------------------------------------------- */

static const char *VETOES =
    "name t\nfull 100\nsection s S score 100\nitem base Base given 0 100\n"
    "veto minus Minus deduct 2\nveto nobest NoBest bar\nveto out Out fail\n"
    "grade excellent Best top 1\ngrade qualified Ok min 60\ngrade unqualified Bad\n";

Test(scheme, veto_deduct_bar_fail)
{
    scheme *s = parse(VETOES);
    arena mem = { 0 };
    scheme_result r = score(s, &mem, "base=90 minus*3");
    assert_fix(r.veto_deduction, "6");
    assert_fix(r.vetoes[0].deduction, "6");
    assert_fix(r.total, "84");
    cr_assert_not(r.barred);
    cr_assert_not(r.failed);
    r = score(s, &mem, "base=90 nobest*1 out*0");
    cr_assert(r.barred);
    cr_assert_not(r.failed);
    assert_fix(r.total, "90");
    r = score(s, &mem, "base=90 out*1");
    cr_assert(r.failed);
    score_fails(s, "minus=2", "ASSESSMENT_NEEDS_COUNT", "'minus' (Minus)");

    /* ranking: the barred unit A (best total) loses the top place to B; the
     * failed unit C takes the last rule despite 95 */
    scheme_rank_entry e[] = {
        { .unit_id = "A", .total = fx("99"), .barred = true },
        { .unit_id = "B", .total = fx("80") },
        { .unit_id = "C", .total = fx("95"), .failed = true },
        { .unit_id = "D", .total = fx("50") },
    };
    scheme_rank(s, e, 4);
    cr_assert_eq(e[0].rank, 1);
    cr_assert_eq(e[2].rank, 2);
    cr_assert_eq(e[1].rank, 3);
    cr_assert_eq(e[0].grade, PERF_QUALIFIED);
    cr_assert_str_eq(e[0].label, "Ok");
    cr_assert_eq(e[1].grade, PERF_EXCELLENT);
    cr_assert_eq(e[2].grade, PERF_UNQUALIFIED);
    cr_assert_eq(e[2].rule, 2);
    cr_assert_eq(e[3].grade, PERF_UNQUALIFIED);
    arena_free(&mem);
    scheme_free(s);
}

/* ---- choices ------------------------------------------------------------------------ */

static const char *CHOICE =
    "name t\nfull 30\nchoice who Office\n"
    "section c Common deduct 10\nitem c1 C1 1\n"
    "section o1 One deduct 20 choice who\nitem o1.a A 2\n"
    "section o2 Two deduct 20 choice who\nitem o2.a A 5\n"
    "grade qualified Q\n";

Test(scheme, choice_sections)
{
    scheme *s = parse(CHOICE);
    arena mem = { 0 };
    scheme_result r = score(s, &mem, "o2 c1*1");
    cr_assert(section_of(&r, "o2")->counted);
    cr_assert_not(section_of(&r, "o1")->counted);
    assert_fix(section_of(&r, "o1")->value, "0");
    assert_fix(r.total, "29");
    r = score(s, &mem, "o1.a*2");            /* chosen by its item */
    assert_fix(r.total, "26");
    r = score(s, &mem, "o1 o1.a*1 o1");      /* naming it twice is fine */
    assert_fix(r.total, "28");
    score_fails(s, "c1*1", "ASSESSMENT_CHOICE_MISSING", "choose one Office (o1, o2)");
    score_fails(s, "o1 o2.a*1", "ASSESSMENT_CHOICE_TWICE", "not both 'o1' and 'o2'");
    scheme_free(s);
    arena_free(&mem);
}

/* ---- ranking --------------------------------------------------------------------- */

Test(scheme, ties_broken_by_unit_id)
{
    scheme *s = parse("name t\nfull 10\nsection s S score 10\nitem a A given 0 10\n"
                      "grade excellent Best top 2\ngrade qualified Ok\n");
    scheme_rank_entry e[] = {
        { .unit_id = "U3", .total = fx("8") }, { .unit_id = "U10", .total = fx("8") },
        { .unit_id = "U2", .total = fx("8") }, { .unit_id = "U1", .total = fx("9") },
    };
    scheme_rank(s, e, 4);
    /* U1 9; then 8s by id: "U10" < "U2" < "U3" (byte order) */
    cr_assert_eq(e[3].rank, 1);
    cr_assert_eq(e[1].rank, 2);
    cr_assert_eq(e[2].rank, 3);
    cr_assert_eq(e[0].rank, 4);
    cr_assert_eq(e[1].grade, PERF_EXCELLENT);
    cr_assert_eq(e[2].grade, PERF_QUALIFIED);
    for (int i = 0; i < 4; i++) cr_assert_eq(e[i].series_size, 4);
    qsort(e, 4, sizeof e[0], scheme_rank_cmp);
    cr_assert_str_eq(e[0].unit_id, "U1");
    cr_assert_str_eq(e[3].unit_id, "U3");
    scheme_rank(s, e, 0);    /* nothing to do */
    scheme_free(s);
}

Test(scheme, zhangzhou_top_n_per_series)
{
    scheme *z = load("zhangzhou");
    scheme_rank_entry e[40];
    size_t n = 0;
    char ids[40][16];
    /* series 1: 7 units 900, 890 ... 840; the 7th is 690 -> 6th qualified, 7th unqualified */
    for (int i = 0; i < 7; i++) {
        snprintf(ids[n], sizeof ids[n], "A%02d", i);
        e[n] = (scheme_rank_entry){ .unit_id = ids[n], .series = 1, .total = (900 - 10 * i) * FIX_ONE };
        n++;
    }
    e[6].total = fx("690");
    /* series 2: 12 units, all 800 (ties by id): the first 10 ids excellent */
    for (int i = 0; i < 12; i++) {
        snprintf(ids[n], sizeof ids[n], "B%02d", 11 - i);
        e[n] = (scheme_rank_entry){ .unit_id = ids[n], .series = 2, .total = fx("800") };
        n++;
    }
    /* series 3: 800, 699.99 (rank 3 of 5 places but below 700: unqualified) and
     * exactly 700 (not below 700: excellent at rank 2) */
    e[n++] = (scheme_rank_entry){ .unit_id = "C1", .series = 3, .total = fx("800") };
    e[n++] = (scheme_rank_entry){ .unit_id = "C2", .series = 3, .total = fx("699.99") };
    e[n++] = (scheme_rank_entry){ .unit_id = "C3", .series = 3, .total = fx("700") };
    /* no series: never excellent */
    e[n++] = (scheme_rank_entry){ .unit_id = "D1", .series = 0, .total = fx("990") };
    scheme_rank(z, e, n);
    for (int i = 0; i < 5; i++) cr_assert_eq(e[i].grade, PERF_EXCELLENT, "A%d", i);
    cr_assert_eq(e[5].grade, PERF_QUALIFIED);
    cr_assert_str_eq(e[5].label, "合格单位");
    cr_assert_eq(e[6].grade, PERF_UNQUALIFIED);
    cr_assert_str_eq(e[6].label, "不合格单位");
    cr_assert_eq(e[6].rank, 7);
    for (int i = 7; i < 19; i++) {
        int id = atoi(e[i].unit_id + 1);
        cr_assert_eq(e[i].rank, id + 1, "%s", e[i].unit_id);
        cr_assert_eq(e[i].grade, id < 10 ? PERF_EXCELLENT : PERF_QUALIFIED, "%s", e[i].unit_id);
        cr_assert_eq(e[i].series_size, 12);
    }
    cr_assert_eq(e[19].grade, PERF_EXCELLENT);
    cr_assert_str_eq(e[19].label, "优秀单位");
    cr_assert_eq(e[20].rank, 3);
    cr_assert_eq(e[20].grade, PERF_UNQUALIFIED);
    cr_assert_eq(e[21].rank, 2);
    cr_assert_eq(e[21].grade, PERF_EXCELLENT);
    cr_assert_eq(e[22].rank, 1);
    cr_assert_eq(e[22].series_size, 1);
    cr_assert_eq(e[22].grade, PERF_QUALIFIED);
    scheme_free(z);
}

Test(scheme, bottom_rules)
{
    scheme *k = load("kaisheng");
    /* 第一类 (series 1), six units: top 3 先进, 4th 合格, 5th 倒数第二名, 6th 倒数第一名;
     * 第三类 (series 3), two units: the first is 先进 (top 1 beats bottom 2), the second 倒数第一名 */
    scheme_rank_entry e[] = {
        { .unit_id = "K1", .series = 1, .total = fx("95") }, { .unit_id = "K2", .series = 1, .total = fx("90") },
        { .unit_id = "K3", .series = 1, .total = fx("85") }, { .unit_id = "K4", .series = 1, .total = fx("80") },
        { .unit_id = "K5", .series = 1, .total = fx("75") }, { .unit_id = "K6", .series = 1, .total = fx("70") },
        { .unit_id = "M1", .series = 3, .total = fx("60") }, { .unit_id = "M2", .series = 3, .total = fx("50") },
    };
    scheme_rank(k, e, 8);
    static const char *const want[] = { "效能建设先进单位", "效能建设先进单位", "效能建设先进单位", "合格",
                                         "倒数第二名", "倒数第一名", "效能建设先进单位", "倒数第一名" };
    static const perf_grade_t perf[] = { PERF_EXCELLENT, PERF_EXCELLENT, PERF_EXCELLENT, PERF_QUALIFIED,
                                         PERF_UNQUALIFIED, PERF_UNQUALIFIED, PERF_EXCELLENT, PERF_UNQUALIFIED };
    for (int i = 0; i < 8; i++) {
        cr_assert_str_eq(e[i].label, want[i], "%s: %s", e[i].unit_id, e[i].label);
        cr_assert_eq(e[i].grade, perf[i], "%s", e[i].unit_id);
    }
    cr_assert(strstr(e[5].note, "免职"));
    scheme_free(k);
}

/* ---- parse errors ------------------------------------------------------------------ */

static void expect_error(const char *text, const char *fragment)
{
    char err[512] = "";
    scheme *s = scheme_parse(text, strlen(text), "t.scheme", err, sizeof err);
    cr_assert_null(s, "accepted: %s", text);
    cr_assert(strstr(err, fragment), "error '%s' lacks '%s'", err, fragment);
}

#define HEAD "name t\nfull 10\nsection s S score 10\nitem a A given 0 10\n"
#define TAIL "grade qualified Q\n"

Test(scheme, parse_errors_name_file_and_line)
{
    scheme_free(parse(HEAD TAIL));   /* the base is valid */
    expect_error(HEAD TAIL "frobnicate 1\n", "t.scheme:6: unknown keyword 'frobnicate'");
    expect_error("name t\nfull 10\nitem a A 1\n", "t.scheme:3: an item must follow a section");
    expect_error("name t\nfull 10\ngroup g G 5\n", "t.scheme:3: a group must follow a section");
    expect_error("name t\nfull 10\nsection s S guess 10\n", "t.scheme:3: unknown mode 'guess'");
    expect_error(HEAD "item b B given 0 x\n" TAIL, "t.scheme:5: bad number 'x'");
    expect_error(HEAD "item b B given 5 1\n" TAIL, "t.scheme:5: given range is empty");
    expect_error(HEAD "item a A2 given 0 1\n" TAIL, "t.scheme:5: id 'a' is already used");
    expect_error(HEAD "item s Dup given 0 1\n" TAIL, "t.scheme:5: id 's' is already used");
    expect_error(HEAD "item b! B given 0 1\n" TAIL, "t.scheme:5: bad id 'b!'");
    expect_error(HEAD "item b B 2\n" TAIL, "t.scheme:5: a score section takes points given");
    expect_error(HEAD "item b B given 0 1 group nog\n" TAIL, "t.scheme:5: no group 'nog' in this section");
    expect_error(HEAD "item b B given 0 1 cap 0\n" TAIL, "t.scheme:5: expected a number above 0");
    expect_error(HEAD "item b B given 0 1 frob 2\n" TAIL, "t.scheme:5: unexpected 'frob'");
    expect_error("name t\nfull 20\nsection s S score 10\ngroup g G 5\nitem a A given 0 1\n"
                 "section d D deduct 10\nitem b B 1 group g\n" TAIL, "t.scheme:7: no group 'g' in this section");
    expect_error("name t\nfull 10\nsection d D deduct 10\nitem b B -1\n" TAIL,
                 "t.scheme:4: points per occurrence must be above 0 here");
    expect_error("name t\nfull 10\nsection d D deduct 10\nitem b B 0\n" TAIL, "t.scheme:4: points per occurrence must not be 0");
    expect_error("name t\nfull 10\nsection d D deduct 10\nitem b B given -1 2\n" TAIL,
                 "t.scheme:4: given points must not be negative here");
    expect_error("name t\nfull 10\nsection d D deduct 10\nitem b B 1 full-at 3\n" TAIL,
                 "t.scheme:4: full-at needs a counted item with a cap");
    expect_error("name t\nfull 10\nsection w W award 10 overflow\n", "t.scheme:3: only a deduct section may overflow");
    expect_error("name t\nfull 10\nsection w W award none\n", "t.scheme:3: only an adjust section may have no maximum");
    expect_error("name t\nfull 10\nsection w W deduct 10 choice nope\n", "t.scheme:3: unknown choice 'nope'");
    expect_error("name t\nfull 10\nsection s S score 10\n" TAIL, "t.scheme:3: section 's' has no items");
    expect_error("name t\nfull 12\nsection s S score 10\nitem a A given 0 10\n" TAIL,
                 "'full' does not match the sections, which add up to 10");
    expect_error(HEAD "grade excellent E top 1:x\n" TAIL, "t.scheme:5: bad SERIES:N '1:x'");
    expect_error(HEAD "grade great G\n", "t.scheme:5: unknown grade 'great'");
    expect_error(HEAD "grade qualified Q min\n", "t.scheme:5: 'min' needs a value");
    expect_error(HEAD "grade qualified Q min 5\n", "t.scheme:5: the last grade rule must have no conditions");
    expect_error(HEAD "grade excellent E\n", "t.scheme:5: the last grade rule cannot be excellent");
    expect_error(HEAD, "no grade rules");
    expect_error(HEAD "veto v V deduct\n" TAIL, "t.scheme:5: expected 'veto REF LABEL deduct N|bar|fail'");
    expect_error(HEAD "item b \"B B given 0 1\n" TAIL, "t.scheme:5: unterminated quote");
    expect_error("full 10\nsection s S score 10\nitem a A given 0 10\n" TAIL, "missing 'name'");
    expect_error("name t\nsection s S score 10\nitem a A given 0 10\n" TAIL, "missing 'full'");
    expect_error("name t t\n", "t.scheme:1: expected one value after 'name'");
    expect_error("name \xff\n", "t.scheme:1: not valid UTF-8");
    expect_error("name t\nfull 40\nchoice c C\nsection a A deduct 10 choice c\nitem x X 1\n"
                 "section b B deduct 20 choice c\nitem y Y 1\n" TAIL,
                 "t.scheme:6: alternatives of choice 'c' must have one maximum");
    char err[512];
    cr_assert_null(scheme_load("/nonexistent/x.scheme", err, sizeof err));
    cr_assert(strstr(err, "/nonexistent/x.scheme: "), "%s", err);
}

Test(scheme, quotes_comments_and_notes)
{
    scheme *s = parse("# a comment\nname t   # trailing\ntitle Some  title text\nfull 10\n"
                      "section s \"Section with blanks\" score 10\nitem a \"A #1\" given 0 10\n"
                      "grade qualified \"All fine\" note keeps   the rest #of the line\n");
    cr_assert_str_eq(s->title, "Some title text");
    cr_assert_str_eq(s->sections[0].label, "Section with blanks");
    cr_assert_str_eq(s->items[0].label, "A #1");
    cr_assert_str_eq(s->grades[0].label, "All fine");
    cr_assert_str_eq(s->grades[0].note, "keeps the rest");
    cr_assert_str_eq(scheme_mode_key(s->sections[0].mode), "score");
    cr_assert_str_eq(scheme_veto_key(SCHEME_VETO_BAR), "bar");
    scheme_free(s);
}

/* ---- the shipped schemes on worked examples ------------------------------------------ */

Test(scheme, zhangzhou_worked_example)
{
    scheme *z = load("zhangzhou");
    arena mem = { 0 };
    /* 完成基本工作目标: 421.5.
     * 作风纪律 (deduct 100): late-meeting 3 x 1 = 3, absent-meeting 2 x 2 = 4,
     *   veto 1 x 20 = 20, creation 8 + 6 = 14 (each <= 10), finance 5, training 2:
     *   48 -> 100 - 48 = 52.
     * 突出绩效 (award 100): contribution 30; innovation 7 x 2 = 14 -> cap 10;
     *   service-center 6; research group (cap 10): adopted 2 x 2 = 4, prize-1 8
     *   -> 6 left, publication 3 -> 0; advanced-city 4; funds 12 x 1 -> cap 10;
     *   decisive 3 x 5 = 15 -> cap 10: 30 + 10 + 6 + 10 + 4 + 10 + 10 = 80.
     * 效能评议: 268 + 44 = 312.
     * Total 421.5 + 52 + 80 + 312 = 865.5. */
    scheme_result r = score(z, &mem,
                            "basic=421.5 late-meeting*3 absent-meeting*2 veto*1 creation=8 creation=6 "
                            "finance=5 training=2 contribution*1 innovation*7 service-center=6 "
                            "research-adopted*2 research-prize-1*1 publication*1 advanced-city*1 "
                            "funds*12 decisive*3 public=268 overall=44");
    assert_fix(section_of(&r, "basic-goals")->value, "421.5");
    assert_fix(section_of(&r, "conduct")->items, "48");
    assert_fix(section_of(&r, "conduct")->value, "52");
    assert_fix(line_of(&r, "innovation")->counted, "10");
    assert_fix(line_of(&r, "research-adopted")->counted, "4");
    assert_fix(line_of(&r, "research-prize-1")->raw, "8");
    assert_fix(line_of(&r, "research-prize-1")->counted, "6");
    assert_fix(line_of(&r, "publication")->counted, "0");
    assert_fix(line_of(&r, "funds")->counted, "10");
    assert_fix(line_of(&r, "decisive")->counted, "10");
    assert_fix(section_of(&r, "excellence")->value, "80");
    assert_fix(section_of(&r, "review")->value, "312");
    assert_fix(r.total, "865.5");

    /* Overflow: crime-section 4 x 15 = 60 and task-harm 5 x 10 = 50: 110 against
     * 100 -> 0 and 10 off the total; contribution 4 x 30 = 120 -> 100.
     * 450 + 0 + 100 + 300 + 50 - 10 = 890. */
    r = score(z, &mem, "basic=450 crime-section*4 task-harm*5 contribution*4 public=300 overall=50");
    assert_fix(section_of(&r, "conduct")->overflow, "10");
    assert_fix(section_of(&r, "excellence")->value, "100");
    assert_fix(r.total, "890");

    /* the SPEC 5 example input: 421.5 + (100 - 3) + 30 + 268 + 44 = 860.5 */
    r = score(z, &mem, "basic=421.5 late-meeting*3 contribution*1 public=268 overall=44");
    assert_fix(r.total, "860.5");

    score_fails(z, "finance=4", "ASSESSMENT_POINTS_RANGE", "points 4 outside 5..10");
    score_fails(z, "creation=10.5", "ASSESSMENT_POINTS_RANGE", "'creation'");
    score_fails(z, "public=300.01", "ASSESSMENT_POINTS_RANGE", "outside 0..300");
    arena_free(&mem);
    scheme_free(z);
}

Test(scheme, xingan_worked_example)
{
    scheme *x = load("xingan-2006");
    arena mem = { 0 };
    /* 领导重视 15: no-plan 5, no-mobilization 2 x 3 = 6 -> cap 3: 15 - 8 = 7.
     * 自查自纠 10: catalog-incomplete 5: 5.
     * 公开情况 60: quarter-missed 4 x 10 = 40, content-irregular 3 x 5 = 15,
     *   subordinate-unpublished 4 x 2 = 8: 63 -> 0 (扣完为止, no overflow).
     * 材料报送 15: archives group (cap 10): incomplete 5, missing 10 -> 5: 15 - 10 = 5.
     * 加减分: promoted-city +10, criticized-county -5: +5.
     * Total 7 + 5 + 0 + 5 + 5 = 22. */
    scheme_result r = score(x, &mem,
                            "no-plan*1 no-mobilization*2 catalog-incomplete*1 quarter-missed*4 "
                            "content-irregular*3 subordinate-unpublished*4 archives-incomplete*1 "
                            "archives-missing*1 promoted-city*1 criticized-county*1");
    assert_fix(section_of(&r, "leadership")->value, "7");
    assert_fix(section_of(&r, "self-check")->value, "5");
    assert_fix(section_of(&r, "disclosure")->items, "63");
    assert_fix(section_of(&r, "disclosure")->value, "0");
    assert_fix(r.overflow, "0");
    assert_fix(line_of(&r, "archives-missing")->counted, "5");
    assert_fix(section_of(&r, "materials")->value, "5");
    assert_fix(section_of(&r, "bonus")->value, "5");
    assert_fix(r.total, "22");
    /* nothing wrong, promoted by the province twice: 100 + 30 */
    assert_fix(score(x, &mem, "promoted-province*2").total, "130");
    scheme_rank_entry e[] = { { .unit_id = "X1", .total = r.total } };
    scheme_rank(x, e, 1);
    cr_assert_eq(e[0].grade, PERF_NONE);
    cr_assert_eq(e[0].rank, 1);
    arena_free(&mem);
    scheme_free(x);
}

Test(scheme, jishui_worked_example)
{
    scheme *j = load("jishui-2014");
    arena mem = { 0 };
    /* 共性 30: late-early 3 x 0.5 = 1.5; civilization-absent 3 -> 3次以上不得分 = 2;
     *   volunteer-absent 2 x 0.2 = 0.4; assets group (cap 1): ledger-missing 0.5,
     *   archive-loss 1 -> 0.5; articles-missing 1: 1.5 + 2 + 0.4 + 1 + 1 = 5.9 -> 24.1.
     * 加分: extra articles (cap 3): city 3 x 0.5 = 1.5, province 2 x 1 = 2 -> 1.5;
     *   emergency-volunteer 2 x 0.5 = 1: 4.
     * 测绘股 70: publicity-missing 2 x 1 = 2, marker-error 30 x 1 -> cap 25,
     *   task-late 1: 28 -> 42.
     * Total 24.1 + 4 + 42 = 70.1 -> below 80: 扣发津贴 10%, unqualified. */
    scheme_result r = score(j, &mem,
                            "survey common.late-early*3 common.civilization-absent*3 "
                            "common.volunteer-absent*2 common.ledger-missing*1 common.archive-loss*1 "
                            "common.articles-missing*1 common.extra-city*3 common.extra-province*2 "
                            "common.emergency-volunteer*2 survey.publicity-missing*2 "
                            "survey.marker-error*30 survey.task-late*1");
    assert_fix(line_of(&r, "common.civilization-absent")->counted, "2");
    assert_fix(line_of(&r, "common.archive-loss")->counted, "0.5");
    assert_fix(section_of(&r, "common")->value, "24.1");
    assert_fix(line_of(&r, "common.extra-province")->counted, "1.5");
    assert_fix(section_of(&r, "common-bonus")->value, "4");
    cr_assert(section_of(&r, "survey")->counted);
    cr_assert_not(section_of(&r, "office")->counted);
    assert_fix(section_of(&r, "survey")->value, "42");
    assert_fix(r.total, "70.1");
    cr_assert_not(r.barred);
    /* a perfect 办公室 with a veto: 100, barred */
    r = score(j, &mem, "office veto.eight-rules*1");
    assert_fix(r.total, "100");
    cr_assert(r.barred);
    score_fails(j, "common.late-early*1", "ASSESSMENT_CHOICE_MISSING", "个性考评项目（股室）");
    score_fails(j, "legal.guidance=11", "ASSESSMENT_POINTS_RANGE", "outside 0..10");

    /* the awards among offices at 85 or more; B is vetoed (取消评选资格), so
     * A 一等奖, C and D 二等奖, E F G 三等奖; B keeps its full allowance;
     * H (84.5) and I (exactly 80) lose 5%, J (79.9) 10%. */
    static const struct { const char *id, *total, *label; perf_grade_t perf; bool barred; } t[] = {
        { "A", "95", "综合先进单位一等奖", PERF_EXCELLENT, false },
        { "B", "92", "85分以上", PERF_QUALIFIED, true },
        { "C", "90", "综合先进单位二等奖", PERF_EXCELLENT, false },
        { "D", "88", "综合先进单位二等奖", PERF_EXCELLENT, false },
        { "E", "87", "综合先进单位三等奖", PERF_EXCELLENT, false },
        { "F", "86", "综合先进单位三等奖", PERF_EXCELLENT, false },
        { "G", "85", "综合先进单位三等奖", PERF_EXCELLENT, false },
        { "G2", "85", "85分以上", PERF_QUALIFIED, false },
        { "H", "84.5", "80分至85分", PERF_QUALIFIED, false },
        { "I", "80", "80分至85分", PERF_QUALIFIED, false },
        { "J", "79.9", "低于80分", PERF_UNQUALIFIED, false },
    };
    scheme_rank_entry e[11];
    for (int i = 0; i < 11; i++)
        e[i] = (scheme_rank_entry){ .unit_id = t[i].id, .total = fx(t[i].total), .barred = t[i].barred };
    scheme_rank(j, e, 11);
    for (int i = 0; i < 11; i++) {
        cr_assert_str_eq(e[i].label, t[i].label, "%s: %s", t[i].id, e[i].label);
        cr_assert_eq(e[i].grade, t[i].perf, "%s", t[i].id);
        cr_assert_eq(e[i].rank, i + 1);
    }
    cr_assert(strstr(e[8].note, "5%"));
    cr_assert(strstr(e[10].note, "10%"));
    arena_free(&mem);
    scheme_free(j);
}

Test(scheme, kaisheng_worked_example)
{
    scheme *k = load("kaisheng");
    arena mem = { 0 };
    /* 工作业绩 15 + 16.5 + 4 = 35.5; 作风效率 11 + 16 + 9 = 36; 政令畅通 9.5;
     * 效能监察 8; 专项考评后5名 2 x -1 = -2; 一票否决 1 x 2 off the total:
     * 35.5 + 36 + 9.5 + 8 - 2 - 2 = 85. */
    scheme_result r = score(k, &mem,
                            "plan-completion=15 key-tasks=16.5 work-process=4 eval-leadership=11 "
                            "eval-representatives=16 eval-supervisors=9 orders-kept=9.5 "
                            "supervision-complaints=8 special-bottom*2 special-veto*1");
    assert_fix(section_of(&r, "performance")->value, "35.5");
    assert_fix(section_of(&r, "conduct")->value, "36");
    assert_fix(section_of(&r, "special")->value, "-2");
    assert_fix(r.veto_deduction, "2");
    assert_fix(r.total, "85");
    score_fails(k, "plan-completion=18", "ASSESSMENT_POINTS_RANGE", "outside 0..17");
    arena_free(&mem);
    scheme_free(k);
}

Test(scheme, hubei_archives_worked_example)
{
    scheme *h = load("hubei-archives-2011");
    arena mem = { 0 };
    scheme_result a = score(h, &mem, "sheet-score=92");
    scheme_result b = score(h, &mem, "sheet-score=85");
    scheme_result c = score(h, &mem, "sheet-score=79.5");
    scheme_result d = score(h, &mem, "sheet-score=96 prereq-safety*1");   /* 档案安全事故: no level */
    cr_assert(d.failed);
    scheme_rank_entry e[] = {
        { .unit_id = "H1", .total = a.total }, { .unit_id = "H2", .total = b.total },
        { .unit_id = "H3", .total = c.total }, { .unit_id = "H4", .total = d.total, .failed = d.failed },
        { .unit_id = "H5", .total = fx("90") }, { .unit_id = "H6", .total = fx("80") },
    };
    scheme_rank(h, e, 6);
    static const char *const want[] = { "省一级", "省二级", "未达标", "未达标", "省一级", "省二级" };
    static const perf_grade_t perf[] = { PERF_EXCELLENT, PERF_QUALIFIED, PERF_UNQUALIFIED,
                                         PERF_UNQUALIFIED, PERF_EXCELLENT, PERF_QUALIFIED };
    for (int i = 0; i < 6; i++) {
        cr_assert_str_eq(e[i].label, want[i], "%s", e[i].unit_id);
        cr_assert_eq(e[i].grade, perf[i], "%s", e[i].unit_id);
    }
    cr_assert_eq(e[3].rank, 1);    /* ranked by total all the same */
    score_fails(h, "sheet-score=100.5", "ASSESSMENT_POINTS_RANGE", "outside 0..100");
    arena_free(&mem);
    scheme_free(h);
}
