/* progress — see progress.h. */
#include "progress.h"

#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "rfile.h"
#include "util.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Start tags of units in a file ("<unit " or "<prefix:unit "), counted in
 * one sequential read: an estimate for the progress line only. */
static long count_units(const char *path)
{
    FILE *f = rfile_fopen(path, LLONG_MAX, RFILE_FOLLOW);   /* a FIFO would block fopen() */
    if (!f) return 0;
    static const char pat[] = "unit";
    char buf[1 << 16];
    long n = 0;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        for (char *p = buf; (p = memchr(p, '<', (size_t)(buf + got - p))); p++) {
            char *q = p + 1;
            char *colon = memchr(q, ':', (size_t)(buf + got - q) < 16 ? (size_t)(buf + got - q) : 16);
            if (colon && colon < q + 16 && !memchr(q, '>', (size_t)(colon - q))) q = colon + 1;
            if ((size_t)(buf + got - q) > 4 && !memcmp(q, pat, 4) && (q[4] == ' ' || q[4] == '>' || q[4] == '\n'))
                n++;
        }
    }
    fclose(f);
    return n;
}

void progress_start(progress *p, FILE *out, bool live, msg_lang lang, char *const *files, int n_files)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->live = live;
    p->lang = lang;
    p->t0 = now();
    for (int i = 0; live && i < n_files; i++) p->units_total += count_units(files[i]);
}

static void fmt_eta(double s, char *buf, size_t n)
{
    long t = s > 0 && s < 1e7 ? (long)(s + 0.5) : 0;
    if (t >= 3600) snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

void progress_unit(progress *p, long persons)
{
    p->units++;
    p->persons += persons;
    if (!p->live) return;
    double t = now();
    if (t - p->last < 0.25) return;
    p->last = t;
    double el = t - p->t0;
    double rate = el > 0 ? (double)p->persons / el : 0;
    long total = p->units_total > p->units ? p->units_total : p->units;
    char eta[32];
    fmt_eta(p->units ? el / (double)p->units * (double)(total - p->units) : 0, eta, sizeof eta);
    sbuf m = {0};
    msg_format(&m, p->lang, "RUN_PROGRESS", p->units, total, p->persons, rate, eta);
    fprintf(p->out, "\r\033[K%s", m.data);
    fflush(p->out);
    sbuf_free(&m);
    p->drawn = true;
}

void progress_clear(progress *p)
{
    if (!p->drawn) return;
    fputs("\r\033[K", p->out);
    fflush(p->out);
    p->drawn = false;
}

double progress_seconds(const progress *p) { return now() - p->t0; }
