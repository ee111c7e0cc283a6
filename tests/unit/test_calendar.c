/* Unit tests for date (parsing, arithmetic) and calendar (State Council
 * working days, notice periods). Run from tests/, so the shipped calendars are
 * at ../templates/calendars. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "date.h"

#define SHIPPED_CALENDARS "../templates/calendars"

static kh_date D(int y, int m, int d)
{
    kh_date r = { y, m, d };
    return r;
}

/* Compare dates through their text, so a failure prints readable dates. */
#define assert_date(got, want_str)                                        \
    do {                                                                  \
        char got_buf_[11];                                                \
        date_format((got), got_buf_);                                     \
        cr_assert_str_eq(got_buf_, (want_str));                           \
    } while (0)

static calendar *load_shipped(void)
{
    char err[512];
    calendar *cal = calendar_load_dir(SHIPPED_CALENDARS, err, sizeof err);
    cr_assert_not_null(cal, "loading %s: %s", SHIPPED_CALENDARS, err);
    return cal;
}

/* ---------------------------------------------------------------- date */

Test(date, parse_valid_dates)
{
    kh_date d;
    cr_assert(date_parse("2025-01-31", &d));
    cr_assert_eq(d.y, 2025);
    cr_assert_eq(d.m, 1);
    cr_assert_eq(d.d, 31);
    cr_assert(date_parse("2024-02-29", &d), "2024 is a leap year");
    cr_assert(date_parse("2000-02-29", &d), "2000 is a leap year (divisible by 400)");
    cr_assert(date_parse("1900-01-01", &d));
    cr_assert(date_parse("2200-12-31", &d));
    cr_assert(date_parse("2025-12-31", &d));
    cr_assert(date_parse("2025-04-30", &d));
}

Test(date, parse_rejects_invalid)
{
    static const char *bad[] = {
        "2025-13-45", "2025-02-29", "1900-02-29", "2100-02-29", "2025-04-31",
        "2025-00-10", "2025-01-00", "2025-01-32", "2025-1-05",  "2025-01-5",
        " 2025-01-05", "2025-01-05 ", "2025/01/05", "+025-01-05", "-2025-01-05",
        "1899-12-31", "2201-01-01", "",           "2025-01-05x", "20250105",
        "2025-01",    "2025-0a-05", "２０２５-01-05",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kh_date d = { 7, 7, 7 };
        cr_expect_not(date_parse(bad[i], &d), "accepted \"%s\"", bad[i]);
        cr_expect(d.y == 7 && d.m == 7 && d.d == 7, "output written for \"%s\"", bad[i]);
    }
    kh_date d;
    cr_assert_not(date_parse(NULL, &d));
}

Test(date, parse_month)
{
    int y = 0, m = 0;
    cr_assert(date_parse_month("2025-12", &y, &m));
    cr_assert_eq(y, 2025);
    cr_assert_eq(m, 12);
    cr_assert(date_parse_month("1900-01", &y, &m));
    static const char *bad[] = { "2025-13", "2025-00", "2025-1", "2025-12-01", "202512",
                                 "2025-12 ", "1899-12", "2201-01", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        y = m = -1;
        cr_expect_not(date_parse_month(bad[i], &y, &m), "accepted \"%s\"", bad[i]);
        cr_expect(y == -1 && m == -1);
    }
}

Test(date, valid_and_leap_years)
{
    cr_assert(date_valid(2024, 2, 29));
    cr_assert(date_valid(2000, 2, 29));
    cr_assert_not(date_valid(1900, 2, 29));
    cr_assert_not(date_valid(2023, 2, 29));
    cr_assert_not(date_valid(2025, 6, 31));
    cr_assert(date_valid(2025, 7, 31));
    cr_assert_not(date_valid(2025, 0, 1));
}

Test(date, format)
{
    char buf[11];
    date_format(D(2025, 1, 5), buf);
    cr_assert_str_eq(buf, "2025-01-05");
    date_format(D(1900, 12, 31), buf);
    cr_assert_str_eq(buf, "1900-12-31");
}

Test(date, weekday)
{
    cr_assert_eq(date_weekday(D(1970, 1, 1)), 3);   /* Thursday */
    cr_assert_eq(date_weekday(D(1969, 12, 31)), 2); /* Wednesday */
    cr_assert_eq(date_weekday(D(1900, 1, 1)), 0);   /* Monday */
    cr_assert_eq(date_weekday(D(2000, 2, 29)), 1);  /* Tuesday */
    cr_assert_eq(date_weekday(D(2025, 9, 28)), 6);  /* Sunday */
    cr_assert_eq(date_weekday(D(2025, 9, 29)), 0);  /* Monday */
    cr_assert_eq(date_weekday(D(2025, 10, 11)), 5); /* Saturday */
    cr_assert_eq(date_weekday(D(2026, 2, 14)), 5);  /* Saturday */
    cr_assert_eq(date_weekday(D(2200, 12, 31)), 2); /* Wednesday */
}

Test(date, known_day_numbers)
{
    cr_assert_eq(date_to_days(D(1970, 1, 1)), 0);
    cr_assert_eq(date_to_days(D(1969, 12, 31)), -1);
    cr_assert_eq(date_to_days(D(2000, 3, 1)), 11017);
    cr_assert_eq(date_to_days(D(1900, 1, 1)), -25567);
    assert_date(date_from_days(-25567), "1900-01-01");
    assert_date(date_from_days(-1), "1969-12-31");
}

/* Every day over ~5500 years, across both signs: each serial number maps to a
 * valid date that maps back, consecutive numbers are consecutive dates, and
 * the weekday advances by one. */
Test(date, day_number_round_trip)
{
    kh_date prev = date_from_days(-1000001);
    for (long n = -1000000; n <= 1000000; n++) {
        kh_date d = date_from_days(n);
        cr_assert(date_valid(d.y, d.m, d.d), "day %ld", n);
        cr_assert_eq(date_to_days(d), n, "day %ld", n);
        bool next_day = d.y == prev.y && d.m == prev.m && d.d == prev.d + 1;
        bool next_month = d.y == prev.y && d.m == prev.m + 1 && d.d == 1;
        bool next_year = d.y == prev.y + 1 && d.m == 1 && d.d == 1 && prev.m == 12 &&
                         prev.d == 31;
        cr_assert(next_day || next_month || next_year, "day %ld", n);
        cr_assert_eq(date_weekday(d), (date_weekday(prev) + 1) % 7, "day %ld", n);
        prev = d;
    }
}

Test(date, from_epoch_is_utc_with_floor)
{
    assert_date(date_from_epoch(0), "1970-01-01");
    assert_date(date_from_epoch(86399), "1970-01-01");
    assert_date(date_from_epoch(86400), "1970-01-02");
    assert_date(date_from_epoch(-1), "1969-12-31");
    assert_date(date_from_epoch(-86400), "1969-12-31");
    assert_date(date_from_epoch(-86401), "1969-12-30");
    assert_date(date_from_epoch(1766966400LL), "2025-12-29"); /* make run's epoch */
    assert_date(date_from_epoch(1766966400LL + 86399), "2025-12-29");
}

Test(date, add_days_and_cmp)
{
    assert_date(date_add_days(D(2024, 2, 28), 1), "2024-02-29");
    assert_date(date_add_days(D(2024, 2, 28), 2), "2024-03-01");
    assert_date(date_add_days(D(2025, 2, 28), 1), "2025-03-01");
    assert_date(date_add_days(D(2025, 1, 1), -1), "2024-12-31");
    assert_date(date_add_days(D(2025, 1, 1), 365), "2026-01-01");
    cr_assert_lt(date_cmp(D(2025, 1, 1), D(2025, 1, 2)), 0);
    cr_assert_gt(date_cmp(D(2025, 2, 1), D(2025, 1, 31)), 0);
    cr_assert_lt(date_cmp(D(2024, 12, 31), D(2025, 1, 1)), 0);
    cr_assert_eq(date_cmp(D(2025, 1, 1), D(2025, 1, 1)), 0);
}

/* ------------------------------------------------------------ calendar */

Test(calendar, shipped_years)
{
    calendar *cal = load_shipped();
    for (int y = 2007; y <= 2026; y++)
        cr_expect(calendar_has_year(cal, y), "no calendar for %d", y);
    cr_expect_not(calendar_has_year(cal, 2006));
    cr_expect_not(calendar_has_year(cal, 2030));
    cr_expect_not(calendar_has_year(cal, 1800));
    cr_expect_not(calendar_has_year(NULL, 2025));
    calendar_free(cal);
}

Test(calendar, holidays_and_makeup_workdays_2025)
{
    calendar *cal = load_shipped();
    bool fb = false;
    /* Make-up workdays (调休) on a weekend. */
    cr_assert(calendar_is_workday(cal, D(2025, 9, 28), &fb), "Sunday 09-28 is a make-up workday");
    cr_assert(calendar_is_workday(cal, D(2025, 10, 11), &fb), "Saturday 10-11 is a make-up workday");
    /* The National Day / Mid-Autumn holiday, weekdays included. */
    for (int d = 1; d <= 8; d++)
        cr_assert_not(calendar_is_workday(cal, D(2025, 10, d), &fb), "2025-10-%02d is a holiday", d);
    /* Ordinary days around it. */
    cr_assert(calendar_is_workday(cal, D(2025, 9, 30), &fb));
    cr_assert(calendar_is_workday(cal, D(2025, 10, 9), &fb));
    cr_assert_not(calendar_is_workday(cal, D(2025, 10, 12), &fb), "an ordinary Sunday");
    cr_assert_not(calendar_is_workday(cal, D(2025, 9, 27), &fb), "an ordinary Saturday");
    cr_assert_not(fb, "2025 has a calendar: no fallback");

    cr_assert_str_eq(calendar_holiday_name(cal, D(2025, 10, 1)), "国庆节、中秋节");
    cr_assert_str_eq(calendar_holiday_name(cal, D(2025, 10, 11)), "国庆节、中秋节");
    cr_assert_str_eq(calendar_holiday_name(cal, D(2025, 1, 28)), "春节");
    cr_assert_null(calendar_holiday_name(cal, D(2025, 10, 9)));
    cr_assert_null(calendar_holiday_name(cal, D(2030, 10, 1)));
    calendar_free(cal);
}

Test(calendar, nth_workday_national_day_2025)
{
    calendar *cal = load_shipped();
    bool fb = false;
    assert_date(calendar_nth_workday(cal, D(2025, 9, 29), 5, &fb), "2025-10-11");
    assert_date(calendar_nth_workday(cal, D(2025, 9, 29), 1, &fb), "2025-09-29");
    assert_date(calendar_nth_workday(cal, D(2025, 9, 29), 3, &fb), "2025-10-09");
    assert_date(calendar_nth_workday(cal, D(2025, 9, 29), 6, &fb), "2025-10-13");
    /* n < 1 is treated as 1. */
    assert_date(calendar_nth_workday(cal, D(2025, 9, 29), 0, &fb), "2025-09-29");
    cr_assert_not(fb);
    calendar_free(cal);
}

/* SPEC §4's example: <notice from="2025-12-29" to="2026-01-05"/> — New Year
 * 2026-01-01..03 off, Sunday 01-04 a make-up workday. */
Test(calendar, notice_across_new_year_2026)
{
    calendar *cal = load_shipped();
    bool fb = false;
    assert_date(calendar_nth_workday(cal, D(2025, 12, 29), 5, &fb), "2026-01-05");
    assert_date(calendar_next_workday_after(cal, D(2025, 12, 31), &fb), "2026-01-04");
    cr_assert_not(fb);
    calendar_free(cal);
}

/* 2026 Spring Festival: Sat 02-14 make-up workday, 02-15..02-23 off, Sat 02-28
 * make-up workday. */
Test(calendar, notice_across_spring_festival_2026)
{
    calendar *cal = load_shipped();
    bool fb = false;
    /* Thu 02-12, Fri 02-13, Sat 02-14 (调休), holiday, Tue 02-24, Wed 02-25. */
    assert_date(calendar_nth_workday(cal, D(2026, 2, 12), 5, &fb), "2026-02-25");
    /* Starting on the make-up Saturday: it counts. 02-14, 02-24..02-27. */
    assert_date(calendar_nth_workday(cal, D(2026, 2, 14), 5, &fb), "2026-02-27");
    /* ...and the sixth day is the second make-up Saturday. */
    assert_date(calendar_nth_workday(cal, D(2026, 2, 14), 6, &fb), "2026-02-28");
    cr_assert_not(calendar_is_workday(cal, D(2026, 2, 16), &fb), "Monday in the holiday");
    cr_assert_str_eq(calendar_holiday_name(cal, D(2026, 2, 17)), "春节");
    cr_assert_not(fb);
    calendar_free(cal);
}

Test(calendar, start_on_non_working_day_is_not_counted)
{
    calendar *cal = load_shipped();
    bool fb = false;
    /* A holiday weekday: the first working day is after the holiday. */
    assert_date(calendar_nth_workday(cal, D(2025, 10, 1), 1, &fb), "2025-10-09");
    assert_date(calendar_nth_workday(cal, D(2025, 10, 1), 3, &fb), "2025-10-11");
    /* An ordinary Sunday. */
    assert_date(calendar_nth_workday(cal, D(2025, 10, 12), 1, &fb), "2025-10-13");
    assert_date(calendar_nth_workday(cal, D(2025, 10, 12), 5, &fb), "2025-10-17");
    /* First day of the Spring Festival: 02-24..02-27, then Saturday 02-28. */
    assert_date(calendar_nth_workday(cal, D(2026, 2, 15), 5, &fb), "2026-02-28");
    cr_assert_not(fb);
    calendar_free(cal);
}

Test(calendar, next_workday_after_crosses_holidays)
{
    calendar *cal = load_shipped();
    bool fb = false;
    assert_date(calendar_next_workday_after(cal, D(2025, 9, 30), &fb), "2025-10-09");
    assert_date(calendar_next_workday_after(cal, D(2025, 10, 3), &fb), "2025-10-09");
    assert_date(calendar_next_workday_after(cal, D(2025, 10, 10), &fb), "2025-10-11");
    assert_date(calendar_next_workday_after(cal, D(2025, 9, 26), &fb), "2025-09-28");
    assert_date(calendar_next_workday_after(cal, D(2026, 2, 13), &fb), "2026-02-14");
    assert_date(calendar_next_workday_after(cal, D(2026, 2, 14), &fb), "2026-02-24");
    /* Strictly after: a working day is not its own successor. */
    assert_date(calendar_next_workday_after(cal, D(2025, 10, 9), &fb), "2025-10-10");
    cr_assert_not(fb);
    calendar_free(cal);
}

Test(calendar, fallback_for_year_without_calendar)
{
    calendar *cal = load_shipped();
    bool fb = false;
    /* 2030-03-01 is a Friday; 2030 has no calendar. */
    cr_assert(calendar_is_workday(cal, D(2030, 3, 1), &fb));
    cr_assert(fb, "2030 must report the Monday-Friday fallback");
    /* Never reset: a later calendared query leaves it set. */
    cr_assert(calendar_is_workday(cal, D(2025, 10, 9), &fb));
    cr_assert(fb);

    fb = false;
    assert_date(calendar_nth_workday(cal, D(2030, 3, 1), 5, &fb), "2030-03-07");
    cr_assert(fb);

    /* A period that runs from a covered year into an uncovered one. */
    fb = false;
    assert_date(calendar_nth_workday(cal, D(2026, 12, 30), 3, &fb), "2027-01-01");
    cr_assert(fb, "2027 has no calendar yet");

    /* fallback may be NULL. */
    cr_assert_not(calendar_is_workday(cal, D(2030, 3, 2), NULL));

    /* A listed day of an uncovered year is known, not guessed: 2007.cal lists
     * Sunday 2006-12-31 as a make-up workday; 2006-12-29 is unlisted. */
    fb = false;
    cr_assert(calendar_is_workday(cal, D(2006, 12, 31), &fb));
    cr_assert_not(fb);
    cr_assert(calendar_is_workday(cal, D(2006, 12, 29), &fb));
    cr_assert(fb);
    calendar_free(cal);
}

Test(calendar, null_calendar_is_plain_weekdays)
{
    bool fb = false;
    cr_assert_not(calendar_is_workday(NULL, D(2025, 9, 28), &fb));
    cr_assert(fb);
    fb = false;
    assert_date(calendar_nth_workday(NULL, D(2025, 9, 29), 5, &fb), "2025-10-03");
    cr_assert(fb);
    cr_assert_null(calendar_holiday_name(NULL, D(2025, 10, 1)));
    calendar_free(NULL);
}

/* ----------------------------------------------- loading own .cal files */

typedef struct {
    char dir[64];
    char files[4][96];
    int nfiles;
} tmp_cal_dir;

static void tmp_init(tmp_cal_dir *t)
{
    memset(t, 0, sizeof *t);
    strcpy(t->dir, "/tmp/kaohe-cal-XXXXXX");
    cr_assert_not_null(mkdtemp(t->dir));
}

static void tmp_write(tmp_cal_dir *t, const char *name, const char *text)
{
    cr_assert_lt(t->nfiles, 4);
    /* Built in a local buffer: t->dir and t->files share one object, which
     * gcc's -Wrestrict cannot tell apart. */
    char path[sizeof t->files[0]];
    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    memcpy(t->files[t->nfiles++], path, sizeof path);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void tmp_cleanup(tmp_cal_dir *t)
{
    for (int i = 0; i < t->nfiles; i++)
        unlink(t->files[i]);
    rmdir(t->dir);
}

/* Load a directory holding one file 2031.cal with the given text; expect
 * failure with an error containing `want`. */
static void expect_bad_file(const char *text, const char *want)
{
    tmp_cal_dir t;
    tmp_init(&t);
    tmp_write(&t, "2031.cal", text);
    char err[512] = "";
    calendar *cal = calendar_load_dir(t.dir, err, sizeof err);
    tmp_cleanup(&t);
    cr_assert_null(cal, "accepted:\n%s", text);
    cr_assert_not_null(strstr(err, want), "error \"%s\" lacks \"%s\"", err, want);
}

Test(calendar, malformed_file_names_the_line)
{
    /* An impossible date on line 3. */
    expect_bad_file("# test\n2031-01-01 off 元旦\n2031-02-30 off 春节\n", "2031.cal:3:");
    /* Unknown kind. */
    expect_bad_file("2031-01-01 holiday 元旦\n", "2031.cal:1:");
    /* Missing kind and name. */
    expect_bad_file("\n\n2031-01-01\n", "2031.cal:3:");
    /* Missing name. */
    expect_bad_file("2031-01-01 off   \n", "2031.cal:1:");
    /* Out of order. */
    expect_bad_file("2031-01-02 off 元旦\n2031-01-01 off 元旦\n", "2031.cal:2:");
    /* Listed twice in one file. */
    expect_bad_file("2031-01-01 off 元旦\n2031-01-01 off 元旦\n", "2031.cal:2:");
    /* Far outside the file's year. */
    expect_bad_file("2013-01-01 off 元旦\n", "2031.cal:1:");
    /* Not UTF-8. */
    expect_bad_file("2031-01-01 off \xd4\xaa\xb5\xa9\n", "2031.cal:1:");
}

Test(calendar, date_in_two_files_is_rejected)
{
    tmp_cal_dir t;
    tmp_init(&t);
    tmp_write(&t, "2031.cal", "2031-12-31 off 元旦\n");
    tmp_write(&t, "2032.cal", "# moved days\n2031-12-31 work 元旦\n2032-01-01 off 元旦\n");
    char err[512] = "";
    calendar *cal = calendar_load_dir(t.dir, err, sizeof err);
    tmp_cleanup(&t);
    cr_assert_null(cal);
    cr_assert_not_null(strstr(err, "2032.cal:2:"), "%s", err);
    cr_assert_not_null(strstr(err, "2031.cal:1"), "%s", err);
}

Test(calendar, missing_directory)
{
    char err[512] = "";
    cr_assert_null(calendar_load_dir("/nonexistent/kaohe-calendars", err, sizeof err));
    cr_assert_not_null(strstr(err, "/nonexistent/kaohe-calendars"), "%s", err);
    /* err may be NULL. */
    cr_assert_null(calendar_load_dir("/nonexistent/kaohe-calendars", NULL, 0));
}

Test(calendar, tolerant_of_comments_blanks_crlf_and_other_files)
{
    tmp_cal_dir t;
    tmp_init(&t);
    tmp_write(&t, "2031.cal",
              "# header\r\n"
              "\r\n"
              "   # indented comment\n"
              "2030-12-29\twork\t元旦 \r\n"        /* Sunday, previous year */
              "2031-01-01  off  元旦\n"
              "2031-01-02 off 元 旦\n");          /* blanks inside a name are kept */
    tmp_write(&t, "README.md", "not a calendar\n");
    tmp_write(&t, "2031.cal.bak", "garbage\n");
    char err[512] = "";
    calendar *cal = calendar_load_dir(t.dir, err, sizeof err);
    tmp_cleanup(&t);
    cr_assert_not_null(cal, "%s", err);
    cr_assert(calendar_has_year(cal, 2031));
    cr_assert_not(calendar_has_year(cal, 2030));
    bool fb = false;
    cr_assert(calendar_is_workday(cal, D(2030, 12, 29), &fb));
    cr_assert_not(fb);
    cr_assert_str_eq(calendar_holiday_name(cal, D(2030, 12, 29)), "元旦");
    cr_assert_str_eq(calendar_holiday_name(cal, D(2031, 1, 2)), "元 旦");
    cr_assert_not(calendar_is_workday(cal, D(2031, 1, 1), &fb));
    /* Friday 2031-01-03 is an ordinary working day of a covered year. */
    cr_assert(calendar_is_workday(cal, D(2031, 1, 3), &fb));
    cr_assert_not(fb);
    calendar_free(cal);
}

Test(calendar, empty_directory_gives_empty_calendar)
{
    tmp_cal_dir t;
    tmp_init(&t);
    char err[512] = "";
    calendar *cal = calendar_load_dir(t.dir, err, sizeof err);
    tmp_cleanup(&t);
    cr_assert_not_null(cal, "%s", err);
    cr_assert_not(calendar_has_year(cal, 2025));
    bool fb = false;
    cr_assert(calendar_is_workday(cal, D(2025, 10, 1), &fb));
    cr_assert(fb);
    calendar_free(cal);
}
