/* date — civil date parsing, formatting and arithmetic. See date.h. */
#include "date.h"

#include <stdio.h>

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return (m == 2 && is_leap(y)) ? 29 : len[m - 1];
}

bool date_valid(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Read exactly n ASCII digits starting at s. Done by hand rather than with
 * sscanf/strtol because those accept signs, blanks and short fields, and the
 * input format is strict ISO 8601. */
static bool read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool date_parse_month(const char *s, int *y, int *m)
{
    int yy, mm;
    if (!s || !read_digits(s, 4, &yy) || s[4] != '-' || !read_digits(s + 5, 2, &mm) ||
        s[7] != '\0')
        return false;
    if (yy < DATE_MIN_YEAR || yy > DATE_MAX_YEAR || mm < 1 || mm > 12)
        return false;
    *y = yy;
    *m = mm;
    return true;
}

bool date_parse(const char *s, kh_date *out)
{
    int y, m, d;
    /* read_digits stops at the first non-digit, and the separators are
     * checked in order, so a short string fails before reading past its NUL. */
    if (!s || !read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) ||
        s[7] != '-' || !read_digits(s + 8, 2, &d) || s[10] != '\0')
        return false;
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || !date_valid(y, m, d))
        return false;
    out->y = y;
    out->m = m;
    out->d = d;
    return true;
}

void date_format(kh_date d, char buf[11])
{
    snprintf(buf, 11, "%04d-%02d-%02d", d.y, d.m, d.d);
}

/* Serial day numbers after Howard Hinnant's days_from_civil/civil_from_days:
 * the year is shifted to start on March 1 so the leap day is the last day of
 * the shifted year, and 400-year eras make the arithmetic exact for negative
 * values without floating point or loops. */
long date_to_days(kh_date dt)
{
    long y = (long)dt.y - (dt.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;                                   /* [0, 399] */
    long mp = (dt.m + 9) % 12;                                  /* March = 0 */
    long doy = (153 * mp + 2) / 5 + dt.d - 1;                   /* [0, 365] */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

kh_date date_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;                                /* [0, 146096] */
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);         /* [0, 365] */
    long mp = (5 * doy + 2) / 153;                              /* [0, 11] */
    kh_date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(y + (r.m <= 2));
    return r;
}

int date_weekday(kh_date d)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0); C's % truncates toward
     * zero, so fold negative remainders back into 0..6. */
    long r = (date_to_days(d) + 3) % 7;
    return (int)(r < 0 ? r + 7 : r);
}

kh_date date_from_epoch(long long seconds)
{
    /* Floor division: one second before the epoch is still 1969-12-31. */
    long long days = seconds / 86400;
    if (seconds % 86400 < 0)
        days--;
    return date_from_days((long)days);
}

kh_date date_add_days(kh_date d, long n)
{
    return date_from_days(date_to_days(d) + n);
}

int date_cmp(kh_date a, kh_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}
