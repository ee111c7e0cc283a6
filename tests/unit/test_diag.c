/* Tests of diag (one diagnostic type, rendered by the catalog in zh or en)
 * and of its use by the template parser, the layout and charcheck. */
#include <criterion/criterion.h>
#include <string.h>

#include "unit_fixture.h"
#include "diag.h"
#include "msg.h"
#include "template.h"

static bool has_han(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (p[0] >= 0xE4 && p[0] <= 0xE9) return true;   /* U+4000..U+9FFF lead bytes */
    return false;
}

Test(diag, renders_in_both_languages_with_location_and_stable_code)
{
    diag_list dl = {0};
    diag_add(&dl, DIAG_ERROR, "TEMPLATE_GRID:uncovered", "forms/x.xml", 12, NULL, 1, "3");
    cr_assert_eq(dl.n, 1);
    sbuf zh = {0}, en = {0};
    diag_render(&dl.v[0], LANG_ZH, &zh);
    diag_render(&dl.v[0], LANG_EN, &en);
    cr_assert_str_eq(zh.data, "forms/x.xml:12: 第 3 列未被单元格覆盖 (TEMPLATE_GRID)");
    cr_assert_str_eq(en.data, "forms/x.xml:12: column 3 is not covered by a cell (TEMPLATE_GRID)");
    sbuf_free(&zh);
    sbuf_free(&en);
    diag_list_free(&dl);
}

Test(diag, keeps_each_distinct_one_once_and_owns_its_strings)
{
    diag_list dl = {0};
    char field[16];
    strcpy(field, "person.birth");
    diag_add(&dl, DIAG_WARNING, "BAD_VALUE", NULL, 0, NULL, 2, field, "1980/05");
    diag_add(&dl, DIAG_WARNING, "BAD_VALUE", NULL, 0, NULL, 2, field, "1980/05");
    diag_add(&dl, DIAG_WARNING, "BAD_VALUE", NULL, 0, "P1", 2, field, "1980/05");
    strcpy(field, "overwritten");
    cr_assert_eq(dl.n, 2, "equal diagnostics are kept once, another person's is another");
    cr_assert_str_eq(dl.v[0].args[0], "person.birth");
    cr_assert_str_eq(dl.v[1].person, "P1");
    diag_list copy = {0};
    for (size_t i = 0; i < dl.n; i++) diag_copy(&copy, &dl.v[i]);
    diag_list_free(&dl);
    sbuf m = {0};
    diag_message(&copy.v[0], LANG_EN, &m);
    cr_assert_str_eq(m.data, "person.birth: the value \"1980/05\" does not fit its format, printed as it is");
    sbuf_free(&m);
    diag_list_free(&copy);
}

Test(diag, an_unknown_code_or_a_missing_argument_still_reads)
{
    diag_list dl = {0};
    diag_add(&dl, DIAG_WARNING, "NO_SUCH_CODE", NULL, 0, NULL, 2, "a", NULL);
    diag_add(&dl, DIAG_WARNING, "BAD_VALUE", NULL, 0, NULL, 1, "x");   /* the text takes two */
    sbuf b = {0};
    diag_render_all(&dl, LANG_ZH, &b);
    cr_assert_str_eq(b.data, "NO_SUCH_CODE: a, - (NO_SUCH_CODE)\nBAD_VALUE: x (BAD_VALUE)\n");
    sbuf_free(&b);
    diag_list_free(&dl);
}

/* Every text a diagnostic can name takes strings only, as many in zh as in
 * en, and the English one is English. */
Test(diag, every_diagnostic_text_of_the_catalog_takes_strings)
{
    static const char *const layout_codes[] = {"INVALID_TEXT", "BAD_VALUE", "PAGE_OVERFLOW", "TEXT_OVERFLOW",
                                               "RESULT_NOTICE_PDF_ONLY", "FONT_MISSING_GLYPH"};
    size_t checked = 0;
    for (size_t i = 0; msg_code_at(i); i++) {
        const char *code = msg_code_at(i);
        bool used = !strncmp(code, "TEMPLATE_", 9) && strcmp(code, "TEMPLATE_INVALID");
        for (size_t k = 0; k < sizeof layout_codes / sizeof *layout_codes; k++)
            used = used || !strcmp(code, layout_codes[k]);
        if (!used) continue;
        int zh = diag_text_slots(msg_fmt(LANG_ZH, code)), en = diag_text_slots(msg_fmt(LANG_EN, code));
        cr_expect(zh >= 0 && zh <= DIAG_MAX_ARGS, "%s: zh text takes non-strings", code);
        cr_expect_eq(zh, en, "%s: zh takes %d strings, en %d", code, zh, en);
        cr_expect(!has_han(msg_fmt(LANG_EN, code)), "%s: en text has Chinese", code);
        checked++;
    }
    cr_assert_geq(checked, 50, "only %zu texts checked", checked);
}

/* A template error names file, line and code, in the language asked. */
Test(diag, template_errors_are_catalog_texts_in_either_language)
{
    static const char *const bad[] = {
        "<form xmlns=\"urn:kaohe:form:1\" name=\"t\"><columns>10 10</columns>\n"
        "<row height=\"5\"><cell>a</cell></row></form>",
        "<form xmlns=\"urn:kaohe:form:1\" name=\"t\"><columns>10</columns>\n"
        "<row height=\"5\"><cell font=\"comic\">a</cell></row></form>",
        "<form xmlns=\"urn:kaohe:form:1\" name=\"t\"><columns>10</columns>\n"
        "<row height=\"5\"><cell>{{x|nosuch}}</cell></row></form>",
        "<form xmlns=\"urn:kaohe:form:1\" name=\"t\"><columns>900</columns></form>",
        "<form",
    };
    static const char *const codes[] = {"(TEMPLATE_GRID)", "(TEMPLATE_BAD_FONT)", "(TEMPLATE_BAD_FORMATTER)",
                                        "(TEMPLATE_GRID)", "(TEMPLATE_XML)"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        diag_list dl = {0};
        cr_assert_null(tpl_parse(bad[i], strlen(bad[i]), "t.xml", &dl));
        cr_assert_eq(dl.n, 1, "one error, not its consequences");
        sbuf zh = {0}, en = {0};
        diag_render(&dl.v[0], LANG_ZH, &zh);
        diag_render(&dl.v[0], LANG_EN, &en);
        cr_expect(!strncmp(en.data, "t.xml:", 6) && strstr(en.data, codes[i]), "%s", en.data);
        cr_expect(strstr(zh.data, codes[i]), "%s", zh.data);
        if (i < 4) {   /* libxml2's own message of a malformed file is English in both */
            cr_expect(has_han(zh.data), "%s", zh.data);
            cr_expect(!has_han(en.data), "%s", en.data);
        }
        if (i < 3) cr_expect(!strncmp(en.data, "t.xml:2:", 8), "line: %s", en.data);
        sbuf_free(&zh);
        sbuf_free(&en);
        diag_list_free(&dl);
    }
}
