/* date — civil dates of the proleptic Gregorian calendar: strict parsing of
 * ISO 8601 "YYYY-MM-DD" / "YYYY-MM", formatting, and day arithmetic through a
 * serial day number. Pure functions, no time zones except UTC, no global state. */
#ifndef KAOHE_DATE_H
#define KAOHE_DATE_H

#include <stdbool.h>

/* A calendar date; m is 1..12, d is 1..31. Plain value type, compare with
 * date_cmp or through date_to_days. */
typedef struct {
    int y, m, d;
} kh_date;

/* Years accepted by the parsers. Wide enough for every appraisal year and for
 * birth dates, narrow enough that a typo such as "20255-..." or "0025-..." is
 * caught at input time rather than producing an absurd notice period. */
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2200

/* True if y/m/d names a real day (any year; leap years per Gregorian rules). */
bool date_valid(int y, int m, int d);

/* Parse exactly "YYYY-MM-DD" (ten characters, ASCII digits, no sign, no
 * surrounding blanks) naming a real date with a year in
 * DATE_MIN_YEAR..DATE_MAX_YEAR. Returns false otherwise ("2025-13-45",
 * "2025-02-29", "2025-1-5" are rejected); *out is written only on success. */
bool date_parse(const char *s, kh_date *out);

/* Parse exactly "YYYY-MM" with month 1..12 and a year in range. *y and *m are
 * written only on success. */
bool date_parse_month(const char *s, int *y, int *m);

/* Write d as "YYYY-MM-DD" plus NUL. Years outside 0..9999 do not fit the
 * field and are truncated (never overflowing buf). */
void date_format(kh_date d, char buf[11]);

/* Days since 1970-01-01 (which is day 0); negative before it. Exact for the
 * whole proleptic Gregorian calendar, so subtraction of two results gives the
 * distance in days. d must be a valid date. */
long date_to_days(kh_date d);

/* Inverse of date_to_days, for any serial day number, negative included. */
kh_date date_from_days(long days);

/* Day of the week: 0 = Monday ... 5 = Saturday, 6 = Sunday (ISO order, so
 * "weekend" is simply weekday >= 5). */
int date_weekday(kh_date d);

/* The UTC calendar date of a Unix timestamp (seconds since the epoch; negative
 * values are before 1970). Used for SOURCE_DATE_EPOCH, which is UTC by
 * definition, so the run date never depends on the machine's time zone. */
kh_date date_from_epoch(long long seconds);

/* d shifted by n days (n may be negative). */
kh_date date_add_days(kh_date d, long n);

/* <0, 0, >0 as a is before, equal to, after b. */
int date_cmp(kh_date a, kh_date b);

#endif
