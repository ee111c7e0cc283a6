/* calendar — working-day calendar from the State Council holiday notices.
 * See calendar.h for the file format and the query semantics. */
#include "calendar.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rfile.h"
#include "util.h"

#define YEAR_SLOTS (DATE_MAX_YEAR - DATE_MIN_YEAR + 1)
#define CAL_MAX_FILE (1 << 20)         /* a year holds a few dozen lines */

/* One listed day. file/line say where it came from, only so that a date listed
 * twice can be reported with both places. */
typedef struct {
    long day;          /* date_to_days */
    bool off;          /* true: holiday; false: make-up workday (调休) */
    char *name;
    size_t file;       /* index into the loader's file list */
    long line;
} cal_entry;

struct calendar {
    cal_entry *entries; /* sorted by day, no duplicates: binary-searched */
    size_t n;
    bool years[YEAR_SLOTS]; /* years with a loaded YYYY.cal */
};

/* Loader state: lives only during calendar_load_dir. */
typedef struct {
    calendar *cal;
    size_t cap;
    char **paths;       /* sorted "dir/YYYY.cal" */
    size_t npaths;
    char *err;
    size_t errlen;
} cal_loader;

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void calendar_free(calendar *cal)
{
    if (!cal)
        return;
    for (size_t i = 0; i < cal->n; i++)
        free(cal->entries[i].name);
    free(cal->entries);
    free(cal);
}

/* "2025.cal" -> 2025; anything else (README.md, LICENSE, 2025.cal~, 25.cal)
 * -> 0, meaning "not a calendar file, skip it". */
static int cal_file_year(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name[i] < '0' || name[i] > '9')
            return 0;
    if (strcmp(name + 4, ".cal") != 0)
        return 0;
    return (name[0] - '0') * 1000 + (name[1] - '0') * 100 + (name[2] - '0') * 10 +
           (name[3] - '0');
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Order by day, then by load order, so the earlier occurrence of a duplicate
 * comes first and the error message is the same on every machine. */
static int cmp_entry(const void *a, const void *b)
{
    const cal_entry *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Split off the next blank-separated token of *p, NUL-terminating it. */
static char *next_token(char **p)
{
    char *s = *p;
    while (is_blank(*s))
        s++;
    if (*s == '\0')
        return NULL;
    char *tok = s;
    while (*s && !is_blank(*s))
        s++;
    if (*s)
        *s++ = '\0';
    *p = s;
    return tok;
}

/* Parse one line (already stripped of its end-of-line) of file `fi`. *prev is
 * the previous listed day of this file (valid once *have_prev), used to
 * enforce sorting: the files are generated sorted, so disorder means a hand
 * edit went wrong. */
static bool load_line(cal_loader *L, size_t fi, int year, long lineno, char *line,
                      size_t len, bool *have_prev, long *prev)
{
    const char *path = L->paths[fi];

    if (strlen(line) != len) {
        set_err(L->err, L->errlen, "%s:%ld: 含有 NUL 字符", path, lineno);
        return false;
    }
    if (!utf8_valid(line, len)) {
        set_err(L->err, L->errlen, "%s:%ld: 不是有效的 UTF-8 文本", path, lineno);
        return false;
    }
    /* Trailing blanks are invisible in an editor; ignore them. */
    while (len > 0 && is_blank(line[len - 1]))
        line[--len] = '\0';

    char *p = line;
    while (is_blank(*p))
        p++;
    if (*p == '\0' || *p == '#')
        return true;

    char *date_tok = next_token(&p);
    char *kind_tok = next_token(&p);
    while (is_blank(*p))
        p++;
    char *name = p;     /* the rest of the line: names may contain blanks */

    kh_date d;
    if (!date_parse(date_tok, &d)) {
        set_err(L->err, L->errlen, "%s:%ld: 日期“%s”无效，应为 YYYY-MM-DD 格式的真实日期",
                path, lineno, date_tok);
        return false;
    }
    /* A notice for YYYY may move days in late YYYY-1 (the 2007 notice lists
     * 2006-12-30); anything further away is a typo. */
    if (d.y < year - 1 || d.y > year + 1) {
        set_err(L->err, L->errlen, "%s:%ld: 日期 %s 不属于 %d 年及其相邻年份", path,
                lineno, date_tok, year);
        return false;
    }
    bool off;
    if (kind_tok && strcmp(kind_tok, "off") == 0) {
        off = true;
    } else if (kind_tok && strcmp(kind_tok, "work") == 0) {
        off = false;
    } else {
        set_err(L->err, L->errlen, "%s:%ld: 第二列应为 off（放假）或 work（调休上班）", path,
                lineno);
        return false;
    }
    if (*name == '\0') {
        set_err(L->err, L->errlen, "%s:%ld: 缺少节日名称", path, lineno);
        return false;
    }
    long day = date_to_days(d);
    if (*have_prev && day <= *prev) {
        set_err(L->err, L->errlen, "%s:%ld: 日期 %s 未按顺序排列（应晚于上一行的日期）",
                path, lineno, date_tok);
        return false;
    }
    *have_prev = true;
    *prev = day;

    calendar *cal = L->cal;
    if (cal->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 512;
        cal->entries = xrealloc(cal->entries, L->cap * sizeof *cal->entries);
    }
    cal_entry *e = &cal->entries[cal->n++];
    e->day = day;
    e->off = off;
    e->name = xstrdup(name);
    e->file = fi;
    e->line = lineno;
    return true;
}

static bool load_file(cal_loader *L, size_t fi)
{
    const char *path = L->paths[fi];
    const char *base = strrchr(path, '/');
    int year = cal_file_year(base ? base + 1 : path);

    if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR) {
        set_err(L->err, L->errlen, "%s: 年份超出 %d–%d 的范围", path, DATE_MIN_YEAR,
                DATE_MAX_YEAR);
        return false;
    }
    FILE *f = rfile_fopen(path, CAL_MAX_FILE, RFILE_FOLLOW);
    if (!f) {
        set_err(L->err, L->errlen, "%s: 无法打开：%s", path, rfile_strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long lineno = 0;
    bool ok = true, have_prev = false;
    long prev = 0;
    errno = 0;
    while (ok && (got = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)got;
        lineno++;
        /* Accept files saved with CRLF line ends on Windows. */
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        ok = load_line(L, fi, year, lineno, line, len, &have_prev, &prev);
    }
    if (ok && ferror(f)) {
        set_err(L->err, L->errlen, "%s: 读取失败：%s", path, strerror(errno ? errno : EIO));
        ok = false;
    }
    free(line);
    fclose(f);
    if (ok)
        L->cal->years[year - DATE_MIN_YEAR] = true;
    return ok;
}

calendar *calendar_load_dir(const char *dir, char *err, size_t errlen)
{
    if (err && errlen > 0)
        err[0] = '\0';
    DIR *dh = opendir(dir);
    if (!dh) {
        set_err(err, errlen, "%s: 无法打开日历目录：%s", dir, strerror(errno));
        return NULL;
    }

    cal_loader L = { 0 };
    L.err = err;
    L.errlen = errlen;
    L.cal = xcalloc(1, sizeof *L.cal);

    /* Collect and sort the names first: readdir order is filesystem-specific,
     * and sorting makes both the load and any error message reproducible. */
    size_t pcap = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (cal_file_year(de->d_name) == 0)
            continue;
        if (L.npaths == pcap) {
            pcap = pcap ? pcap * 2 : 32;
            L.paths = xrealloc(L.paths, pcap * sizeof *L.paths);
        }
        sbuf b = { 0 };
        sbuf_printf(&b, "%s/%s", dir, de->d_name);
        L.paths[L.npaths++] = b.data;
    }
    closedir(dh);
    if (L.npaths > 1)
        qsort(L.paths, L.npaths, sizeof *L.paths, cmp_str);

    bool ok = true;
    for (size_t i = 0; ok && i < L.npaths; i++)
        ok = load_file(&L, i);

    calendar *cal = L.cal;
    if (ok && cal->n > 1) {
        qsort(cal->entries, cal->n, sizeof *cal->entries, cmp_entry);
        /* The same day in two files would make the answer depend on which
         * notice wins; refuse rather than guess. */
        for (size_t i = 1; i < cal->n; i++) {
            const cal_entry *a = &cal->entries[i - 1], *b = &cal->entries[i];
            if (a->day == b->day) {
                char ds[11];
                date_format(date_from_days(b->day), ds);
                set_err(err, errlen, "%s:%ld: 日期 %s 重复（已见于 %s:%ld）",
                        L.paths[b->file], b->line, ds, L.paths[a->file], a->line);
                ok = false;
                break;
            }
        }
    }
    for (size_t i = 0; i < L.npaths; i++)
        free(L.paths[i]);
    free(L.paths);
    if (!ok) {
        calendar_free(cal);
        return NULL;
    }
    return cal;
}

bool calendar_has_year(const calendar *cal, int year)
{
    return cal && year >= DATE_MIN_YEAR && year <= DATE_MAX_YEAR &&
           cal->years[year - DATE_MIN_YEAR];
}

static const cal_entry *find_entry(const calendar *cal, kh_date d)
{
    if (!cal || cal->n == 0)
        return NULL;
    long day = date_to_days(d);
    size_t lo = 0, hi = cal->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        long v = cal->entries[mid].day;
        if (v == day)
            return &cal->entries[mid];
        if (v < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool calendar_is_workday(const calendar *cal, kh_date d, bool *fallback)
{
    const cal_entry *e = find_entry(cal, d);
    if (e)
        return !e->off;
    /* An unlisted day of a covered year is an ordinary day; of an uncovered
     * year it may be an unknown holiday, so the caller must warn. */
    if (!calendar_has_year(cal, d.y) && fallback)
        *fallback = true;
    return date_weekday(d) < 5;
}

kh_date calendar_nth_workday(const calendar *cal, kh_date from, int n, bool *fallback)
{
    if (n < 1)
        n = 1;
    /* Terminates: the listed days are finite, and beyond them every week has
     * five working days. */
    kh_date d = from;
    for (;;) {
        if (calendar_is_workday(cal, d, fallback) && --n == 0)
            return d;
        d = date_add_days(d, 1);
    }
}

kh_date calendar_next_workday_after(const calendar *cal, kh_date d, bool *fallback)
{
    return calendar_nth_workday(cal, date_add_days(d, 1), 1, fallback);
}

const char *calendar_holiday_name(const calendar *cal, kh_date d)
{
    const cal_entry *e = find_entry(cal, d);
    return e ? e->name : NULL;
}
