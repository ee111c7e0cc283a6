/* value: each XSD type's white-space and lexical rules (SPEC 3.4a), the
 * spellings the schema accepts and the ones it refuses. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include "ingest.h"
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
    cr_assert_not(value_integer("1949", 1950, 2200, &v));
    cr_assert(value_integer("999999999999999999", 0, LLONG_MAX, &v) && v == 999999999999999999LL);
    cr_assert_not(value_integer("1000000000000000000", 0, LLONG_MAX, &v));   /* 10^18: beyond */
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
    cr_assert_eq(v, 999999999999999999LL);
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

/* A value no spelling makes valid is still refused by the schema pass, with
 * the file, line and column and SCHEMA_INVALID (exit 3): reading values as
 * the schema means them accepts nothing the schema refuses. */
Test(value, invalid_values_are_refused_with_their_place)
{
    static const struct { const char *element, *needle; } bad[] = {
        { "<person id=\"P1\" name=\"x\" category=\"institutionx\"/>", "category" },
        { "<person id=\"P1\" name=\"x\" category=\"in stitution\"/>", "category" },
        { "<person id=\"P1\" name=\"x\" category=\"other\"><status refused=\"yes\"/></person>", "refused" },
        { "<person id=\"P1\" name=\"x\" category=\"other\"><status refused=\"\"/></person>", "refused" },
        { "<person id=\"P1\" name=\"x\" category=\"other\"><status leaveMonths=\"13\"/></person>", "leaveMonths" },
        { "<person id=\"P1\" name=\"x\" category=\"other\"><status monthsInUnit=\"+-1\"/></person>", "monthsInUnit" },
        { "<person id=\"P1\" name=\"x\" category=\"other\"><status sanctionYear=\" \"/></person>", "sanctionYear" },
        { "<person id=\"P1\" name=\"x\" category=\"other\"><proposal grade=\"Excellent\"/></person>", "grade" },
        { "<person id=\"P1\" name=\"x\" category=\"other\" birth=\"1980-5\"/>", "birth" },
        { "<quota approvedRatio=\"0.1234567\"/>", "approvedRatio" },
        { "<quota approvedRatio=\"1.5\"/>", "approvedRatio" },
        { "<quota approvedRatio=\"1e-1\"/>", "approvedRatio" },
        { "<quota approvedRatio=\".\"/>", "approvedRatio" },
        { "<establishment admin=\"-1\"/>", "admin" },
        { "<assessment scheme=\"zhangzhou\"><item ref=\"basic\" points=\"4 00\"/></assessment>", "points" },
    };
    char err[512];
    ingest_schema *schema = ingest_schema_load("../templates/appraisal.xsd", err, sizeof err);
    cr_assert(schema, "%s", err);
    char path[] = "/tmp/kaohe-value-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = fopen(path, "w");
        cr_assert(f);
        fprintf(f, "<appraisal xmlns=\"urn:kaohe:appraisal:1\" year=\"2025\">\n"
                   "  <unit id=\"U1\" name=\"a\">\n    %s\n  </unit>\n</appraisal>\n", bad[i].element);
        fclose(f);
        sbuf msg = { 0 };
        cr_assert_neq(ingest_validate(path, schema, LANG_EN, &msg), 0, "accepted: %s", bad[i].element);
        char place[64];
        snprintf(place, sizeof place, "%s:3:", path);
        cr_assert(strstr(msg.data, place), "%s: %s", bad[i].element, msg.data);
        const char *col = msg.data + strlen(place);
        cr_assert(*col >= '1' && *col <= '9', "no column: %s", msg.data);
        cr_assert(strstr(msg.data, bad[i].needle), "%s", msg.data);
        cr_assert(strstr(msg.data, "[SCHEMA_INVALID]"), "%s", msg.data);
        sbuf_free(&msg);
    }
    unlink(path);
    ingest_schema_free(schema);
}

/* The same file's values in their other spellings pass the schema pass:
 * the spellings the readers above accept are the schema's own. */
Test(value, respellings_are_valid)
{
    char err[512];
    ingest_schema *schema = ingest_schema_load("../templates/appraisal.xsd", err, sizeof err);
    cr_assert(schema, "%s", err);
    char path[] = "/tmp/kaohe-value-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *doc =
        "<appraisal xmlns=\"urn:kaohe:appraisal:1\" year=\" +02025\">\n"
        "  <schedule noticeStart=\"2026-09-28 \" filedOn=\" 2026-02-02\"/>\n"
        "  <unit id=\"U1\" name=\"a\" series=\"+01\">\n"
        "    <quota approvedRatio=\"&#9;+.5000000 \"/><establishment admin=\"-0\" institution=\"007\"/>\n"
        "    <person id=\"P1\" name=\"x\" category=\"institution \" gender=\" 男\" birth=\"1980-05&#10;\">\n"
        "      <status refused=\" 1\" sanctionYear=\" 2025\"/><proposal grade=\"excellent&#13;\" advanced=\"0 \"/>\n"
        "    </person>\n  </unit>\n</appraisal>\n";
    cr_assert_eq(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
    close(fd);
    sbuf msg = { 0 };
    cr_assert_eq(ingest_validate(path, schema, LANG_EN, &msg), 0, "%s", msg.data);
    sbuf_free(&msg);
    unlink(path);
    ingest_schema_free(schema);
}
