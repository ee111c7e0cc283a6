/* Tests of the text module: UTF-8, cleaning, Chinese line breaking, fitting. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Test metric: CJK and fullwidth characters 1 em, everything else 0.5 em. */
static double fixed_adv(void *ctx, uint32_t cp)
{
    (void)ctx;
    return text_is_cjk(cp) ? 1.0 : 0.5;
}
static const text_metrics M = {fixed_adv, NULL};

/* Lines of s broken at width `chars` em (size 10 pt → width chars*10 pt). */
static char **brk(const char *s, double chars, size_t *n)
{
    text_lines l = {0};
    text_break(s, strlen(s), &M, 10, chars * 10, &l);
    char **v = calloc(l.n + 1, sizeof *v);
    for (size_t i = 0; i < l.n; i++) v[i] = strndup(s + l.v[i].start, l.v[i].end - l.v[i].start);
    *n = l.n;
    text_lines_free(&l);
    return v;
}

static void freev(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static uint32_t first_cp(const char *s)
{
    const char *p = s;
    return text_utf8_next(&p, s + strlen(s));
}

static uint32_t last_cp(const char *s)
{
    const char *p = s, *e = s + strlen(s);
    uint32_t cp = 0;
    while (p < e) cp = text_utf8_next(&p, e);
    return cp;
}

Test(text, utf8_decode_valid_and_invalid)
{
    const char *s = "a中𠀀";
    const char *p = s, *e = s + strlen(s);
    cr_assert_eq(text_utf8_next(&p, e), 'a');
    cr_assert_eq(text_utf8_next(&p, e), 0x4E2D);
    cr_assert_eq(text_utf8_next(&p, e), 0x20000);
    cr_assert_eq(p, e);
    const char bad[] = {(char)0xC0, (char)0xAF, (char)0xED, (char)0xA0, (char)0x80, (char)0xE4, (char)0xB8, 0};
    p = bad;
    e = bad + strlen(bad);
    int n = 0;
    while (p < e) {
        cr_assert_eq(text_utf8_next(&p, e), TEXT_REPLACEMENT);
        n++;
    }
    cr_assert_eq(n, 7, "every bad byte is one replacement");
    char out[4];
    cr_assert_eq(text_utf8_encode(0x4E2D, out), 3);
    cr_assert_eq(memcmp(out, "中", 3), 0);
    cr_assert_eq(text_utf8_encode(0xD800, out), 3, "surrogate becomes U+FFFD");
}

Test(text, clean)
{
    sbuf b = {0};
    const char in[] = "a\r\nb\tc\x01" "d\xff" "e\xef\xbf\xbf";
    size_t bad = text_clean_append(&b, in, strlen(in));
    cr_assert_str_eq(b.data, "a\nb cd\xef\xbf\xbd" "e");
    cr_assert_eq(bad, 3);
    sbuf_free(&b);
    sbuf c = {0};
    cr_assert_eq(text_clean_append(&c, "\x01", 1), 1);
    cr_assert_str_eq(c.data, "", "all dropped still gives a string");
    sbuf_free(&c);
}

Test(text, no_line_starts_with_closing_punctuation)
{
    /* 5 per line: "一二三四五，六" would put ， at the start of line 2 */
    size_t n;
    char **v = brk("一二三四五，六七八九。十", 5, &n);
    for (size_t i = 0; i < n; i++) {
        cr_assert(!text_no_line_start(first_cp(v[i])), "line %zu starts with %s", i, v[i]);
        cr_assert(!text_no_line_end(last_cp(v[i])));
    }
    cr_assert_str_eq(v[0], "一二三四");
    cr_assert_str_eq(v[1], "五，六七八");
    freev(v, n);
}

Test(text, no_line_ends_with_opening_punctuation)
{
    size_t n;
    char **v = brk("一二三四（五六）七八", 5, &n);
    cr_assert_str_eq(v[0], "一二三四");
    cr_assert_str_eq(v[1], "（五六）七");
    for (size_t i = 0; i < n; i++) cr_assert(!text_no_line_end(last_cp(v[i])));
    freev(v, n);
    /* 《 and “ too; and several closers in a row stay with their character */
    v = brk("甲乙丙丁《戊》。”己庚", 5, &n);
    for (size_t i = 0; i < n; i++) {
        cr_assert(!text_no_line_start(first_cp(v[i])), "line starts with %s", v[i]);
        cr_assert(!text_no_line_end(last_cp(v[i])), "line ends with %s", v[i]);
    }
    freev(v, n);
}

Test(text, latin_words_and_numbers_stay_whole)
{
    size_t n;
    /* Latin 0.5 em each: "Excel2016" = 4.5 em */
    char **v = brk("使用Excel2016和3,456.78万元", 6, &n);
    int found_word = 0, found_num = 0;
    for (size_t i = 0; i < n; i++) {
        if (strstr(v[i], "Excel2016")) found_word = 1;
        if (strstr(v[i], "3,456.78")) found_num = 1;
    }
    cr_assert(found_word && found_num, "word and number not split");
    freev(v, n);
    /* words separated by spaces break at the space, the space is dropped */
    v = brk("hello world again", 4, &n);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(v[0], "hello");
    cr_assert_str_eq(v[1], "world");
    cr_assert_str_eq(v[2], "again");
    freev(v, n);
    /* a word longer than the line is broken per character, nothing lost */
    v = brk("abcdefghij", 2, &n);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(v[0], "abcd");
    cr_assert_str_eq(v[2], "ij");
    freev(v, n);
}

Test(text, exact_fit_fits)
{
    size_t n;
    char **v = brk("一二三四五", 5, &n);
    cr_assert_eq(n, 1, "5 em in 5 em is one line");
    freev(v, n);
    v = brk("一二三四五六", 5, &n);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(v[1], "六");
    freev(v, n);
}

Test(text, hard_breaks_and_empty)
{
    size_t n;
    char **v = brk("一\n\n二", 5, &n);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(v[1], "");
    freev(v, n);
    v = brk("", 5, &n);
    cr_assert_eq(n, 0);
    freev(v, n);
}

Test(text, fit_shrinks_then_overflows)
{
    /* 20 CJK chars; box 50 pt wide, 25 pt high */
    const char *s = "一二三四五六七八九十一二三四五六七八九十";
    text_fit_req req = {50, 25, 10, 5, 0.5, 1.0};
    text_fit_result r = {0};
    /* at 10 pt: 5 per line, 4 lines, 40 pt > 25; at 5 pt: 10 per line, 2 lines, 10 pt */
    cr_assert(text_fit(s, strlen(s), &M, &req, &r));
    cr_assert(r.size < 10 && r.size >= 5);
    cr_assert_not(r.overflow);
    cr_assert_eq(r.fit_end, strlen(s));
    text_lines_free(&r.lines);
    /* minimum 10: keeps what fits and reports the rest */
    req.size_min = 10;
    cr_assert_not(text_fit(s, strlen(s), &M, &req, &r));
    cr_assert(r.overflow);
    cr_assert_eq(r.size, 10);
    cr_assert_eq(r.lines.n, 2, "2 lines of 10 pt fit 25 pt (10 + 10*1.0 + ...)");
    cr_assert_eq(r.fit_end, 10 * 3, "overflow starts after 10 characters");
    text_lines_free(&r.lines);
}

/* text_fit decodes the text once for every size it tries: its lines are
 * those text_break gives at the size it chose (paragraphs, a trailing LF,
 * an invalid byte and ideographs next to punctuation included). */
Test(text, fit_lines_are_break_lines_at_the_chosen_size)
{
    const char *s = "一二三，四五六。\n\nab cd 七八（九）\xE4十\n";
    text_fit_req req = {42, 70, 12, 6, 0.5, 1.25};
    text_fit_result r = {0};
    cr_assert(text_fit(s, strlen(s), &M, &req, &r));
    cr_assert_lt(r.size, 12, "shrunk");
    text_lines l = {0};
    text_break(s, strlen(s), &M, r.size, req.width, &l);
    cr_assert_gt(l.n, 3);
    cr_assert_eq(r.lines.n, l.n);
    for (size_t i = 0; i < l.n; i++) {
        cr_assert_eq(r.lines.v[i].start, l.v[i].start, "line %zu", i);
        cr_assert_eq(r.lines.v[i].end, l.v[i].end, "line %zu", i);
        cr_assert_eq(r.lines.v[i].width, l.v[i].width, "line %zu", i);
    }
    cr_assert_eq(l.v[l.n - 1].start, strlen(s), "the trailing LF ends with an empty line");
    text_lines_free(&l);
    text_lines_free(&r.lines);
}

Test(text, width_and_count)
{
    cr_assert_float_eq(text_width(&M, "中a", strlen("中a"), 10), 15.0, 1e-9);
    cr_assert_eq(text_utf8_count("中a𠀀", strlen("中a𠀀")), 3);
}

Test(text, cpset)
{
    text_cpset *s = calloc(1, sizeof *s);
    text_cpset_add_utf8(s, "中文中𠀀a", strlen("中文中𠀀a"));
    cr_assert_eq(s->count, 4);
    cr_assert(text_cpset_has(s, 0x20000));
    size_t n;
    uint32_t *v = text_cpset_list(s, &n);
    cr_assert_eq(n, 4);
    cr_assert_eq(v[0], 'a');
    cr_assert_eq(v[3], 0x20000);
    free(v);
    text_cpset_free(s);
    free(s);
}

/* ---- form typography (issue 16) ---- */

Test(text, form_words_break_between_words)
{
    size_t n;
    /* 3 characters a line: greedy by character gives 参加考/核人数 */
    char **v = brk("参加考核人数", 3, &n);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(v[0], "参加");
    cr_expect_str_eq(v[1], "考核");
    cr_expect_str_eq(v[2], "人数");
    freev(v, n);
    /* a word wider than the line still breaks (nothing is lost) */
    v = brk("不称职", 2, &n);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(v[0], "不称");
    freev(v, n);
}

Test(text, number_keeps_its_measure_word)
{
    size_t n;
    /* "优秀 4 名": the line could end after "4 " (4.5 em of 5) */
    char **v = brk("优秀等次 4 名，共计", 5, &n);
    cr_assert_geq(n, 2);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]);
        cr_expect(!(len && v[i][len - 1] == '4'), "line %zu ends with the number: '%s'", i, v[i]);
    }
    freev(v, n);
    v = brk("指标12名额", 3, &n);   /* 12 + 名 is one unit; 名额 a word */
    for (size_t i = 0; i < n; i++) cr_expect(strcmp(v[i], "名额") != 0 || i == 0 || strstr(v[i - 1], "12") == NULL,
                                             "12 / 名额");
    cr_expect(strstr(v[0], "12名") || strstr(v[1], "12名"), "'%s' '%s'", v[0], n > 1 ? v[1] : "");
    freev(v, n);
}

Test(text, fit_shrinks_rather_than_break_a_word)
{
    /* （合格） is 4 em: at 9 pt it needs 36 pt, the box is 31 pt wide and
     * two lines high; it must come out on one line at 7.5 pt, not as （合/格） */
    text_fit_req req = {31, 40, 9, 7, 0.5, 1.25};
    text_fit_result r = {0};
    cr_assert(text_fit("（合格）", strlen("（合格）"), &M, &req, &r));
    cr_expect_eq(r.lines.n, 1, "%zu lines at %.1f pt", r.lines.n, r.size);
    cr_expect_float_eq(r.size, 7.5, 1e-9);
    text_lines_free(&r.lines);
    /* when no size avoids it, the largest size that fits (as before) */
    text_fit_req narrow = {12, 40, 9, 7, 0.5, 1.25};
    text_fit("（合格）", strlen("（合格）"), &M, &narrow, &r);
    cr_expect_gt(r.lines.n, 1, "nothing avoids the break here");
    cr_expect_geq(r.size, 7);
    text_lines_free(&r.lines);
}
