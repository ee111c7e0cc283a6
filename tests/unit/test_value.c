/* value: each XSD type's white-space and lexical rules (SPEC 3.4a), the
 * spellings the schema accepts and the ones it refuses. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "value.h"

static const char *collapsed(const char *s)
{
    static __thread char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    return value_collapse(buf);
}

Test(value, collapse_is_the_schema_s)
{
    cr_assert_str_eq(collapsed("institution "), "institution");
    cr_assert_str_eq(collapsed(" \t\r\n男\n"), "男");
    cr_assert_str_eq(collapsed("a \t\n b  c"), "a b c");
    cr_assert_str_eq(collapsed("   "), "");
    cr_assert_str_eq(collapsed(""), "");
    /* only the four XML blanks: a form feed or a no-break space is content */
    cr_assert_str_eq(collapsed("\fx"), "\fx");
    cr_assert_str_eq(collapsed("\xC2\xA0x"), "\xC2\xA0x");
    cr_assert_null(value_collapse(NULL));
}

Test(value, enumerations_ignore_surrounding_blanks)
{
    static const char *const cats[] = { "civil-servant", "managed", "institution", "other" };
    cr_assert_eq(value_enum("institution", cats, 4), 2);
    cr_assert_eq(value_enum("institution ", cats, 4), 2);
    cr_assert_eq(value_enum("\t\n other\r", cats, 4), 3);
    cr_assert_eq(value_enum("Institution", cats, 4), -1);   /* case matters */
    cr_assert_eq(value_enum("institu tion", cats, 4), -1);
    cr_assert_eq(value_enum("", cats, 4), -1);
    cr_assert_eq(value_enum(NULL, cats, 4), -1);
}

Test(value, booleans_take_four_spellings)
{
    bool b = false;
    cr_assert(value_boolean(" true", &b) && b);
    cr_assert(value_boolean("1", &b) && b);
    cr_assert(value_boolean("\tfalse\n", &b) && !b);
    b = true;
    cr_assert(value_boolean(" 0 ", &b) && !b);
    b = true;
    cr_assert_not(value_boolean("yes", &b));
    cr_assert_not(value_boolean("TRUE", &b));
    cr_assert_not(value_boolean("01", &b));
    cr_assert_not(value_boolean("", &b));
    cr_assert_not(value_boolean(NULL, &b));
    cr_assert(b, "a refused spelling leaves the value alone");
}

Test(value, integers_take_signs_and_leading_zeros)
{
    long long v = -1;
    cr_assert(value_integer(" 400", 0, 1000, &v) && v == 400);
    cr_assert(value_integer("+5", 0, 10, &v) && v == 5);
    cr_assert(value_integer("05", 0, 10, &v) && v == 5);
    cr_assert(value_integer("-0", 0, 10, &v) && v == 0);
    cr_assert(value_integer("+000000000000000000000000000000000002025\n", 1950, 2200, &v) && v == 2025);
    cr_assert(value_integer("-12", -20, 0, &v) && v == -12);
    v = 7;
    cr_assert_not(value_integer("1949", 1950, 2200, &v));
    cr_assert_not(value_integer("99999999999999999999999", 0, 1000000, &v));
    cr_assert_not(value_integer("-99999999999999999999999", -1000000, 0, &v));
    cr_assert_not(value_integer("1.0", 0, 10, &v));
    cr_assert_not(value_integer("1 2", 0, 100, &v));
    cr_assert_not(value_integer("+", 0, 10, &v));
    cr_assert_not(value_integer("--1", -10, 10, &v));
    cr_assert_not(value_integer("0x10", 0, 100, &v));
    cr_assert_not(value_integer("", 0, 10, &v));
    cr_assert_not(value_integer(" ", 0, 10, &v));
    cr_assert_not(value_integer(NULL, 0, 10, &v));
    cr_assert_eq(v, 7);
}

Test(value, decimals_take_every_lexical_form)
{
    fix6 v = -1;
    cr_assert(value_decimal("0.5 ", &v) && v == 500000);
    cr_assert(value_decimal(".5", &v) && v == 500000);
    cr_assert(value_decimal("+.5", &v) && v == 500000);
    cr_assert(value_decimal("00.500000000", &v) && v == 500000);  /* trailing zeros are no precision */
    cr_assert(value_decimal("5.", &v) && v == 5 * FIX_ONE);
    cr_assert(value_decimal("\t-0\n", &v) && v == 0);
    cr_assert(value_decimal("-86.715", &v) && v == -86715000);
    char zeros[200];
    memset(zeros, '0', sizeof zeros - 3);
    memcpy(zeros + sizeof zeros - 3, "1", 2);   /* 196 leading zeros, then 1 */
    cr_assert(value_decimal(zeros, &v) && v == FIX_ONE);
    v = 9;
    cr_assert_not(value_decimal("0.1234567", &v));   /* a seventh significant digit */
    cr_assert_not(value_decimal(".", &v));
    cr_assert_not(value_decimal("-", &v));
    cr_assert_not(value_decimal("1e3", &v));
    cr_assert_not(value_decimal("NaN", &v));
    cr_assert_not(value_decimal("0. 5", &v));
    cr_assert_not(value_decimal("1000000000000", &v));
    cr_assert_not(value_decimal("", &v));
    cr_assert_not(value_decimal(NULL, &v));
    cr_assert_eq(v, 9);
}

Test(value, dates_are_collapsed_and_shaped)
{
    char d[11] = "x";
    cr_assert(value_date("2026-09-28 ", d));
    cr_assert_str_eq(d, "2026-09-28");
    cr_assert(value_date("\n 2026-02-02\t", d));
    cr_assert_str_eq(d, "2026-02-02");
    cr_assert_not(value_date("2026-2-02", d));
    cr_assert_str_eq(d, "");
    cr_assert_not(value_date("2026-02-02Z", d));
    cr_assert_not(value_date("2026 02 02", d));
    cr_assert_not(value_date("", d));
    cr_assert_not(value_date(NULL, d));
}
