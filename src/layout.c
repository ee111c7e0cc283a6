/* layout — see layout.h. */
#include "layout.h"

#include <assert.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT2MM (25.4 / 72.0)
#define MM2PT (72.0 / 25.4)
#define PAGE_SLACK 0.5          /* mm kept free at the page bottom against rounding in viewers */
#define CONT_TITLE_H 10.0       /* mm: title row of a 续页 */

/* ---- formatting ---- */

const unsigned lo_chart_colors[LO_CHART_NCOLORS] = {0x4472C4, 0xED7D31, 0xA5A5A5, 0xFFC000};

static const char *const GRADES_CS[4] = {"优秀", "称职", "基本称职", "不称职"};
static const char *const GRADES_INST[4] = {"优秀", "合格", "基本合格", "不合格"};
static const char *const GRADE_KEYS[4] = {"excellent", "competent", "basic", "incompetent"};

const char *const *layout_grade_labels(const char *category)
{
    if (category && (!strcmp(category, "institution") || !strcmp(category, "other")))
        return GRADES_INST;
    return GRADES_CS;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* "YYYY-MM" or "YYYY-MM-DD" (need_day: only the latter) */
static bool parse_ymd(const char *v, bool need_day, int *y, int *m, int *d)
{
    size_t n = strlen(v);
    if (!(n == 7 || n == 10)) return false;
    if (need_day && n != 10) return false;
    if (!all_digits(v, 4) || v[4] != '-' || !all_digits(v + 5, 2)) return false;
    *y = atoi(v);
    *m = (v[5] - '0') * 10 + (v[6] - '0');
    *d = 1;
    if (n == 10) {
        if (v[7] != '-' || !all_digits(v + 8, 2)) return false;
        *d = (v[8] - '0') * 10 + (v[9] - '0');
    }
    if (*y < 1900 || *y > 9999 || *m < 1 || *m > 12 || *d < 1) return false;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (*d > mdays[*m - 1]) return false;
    if (*m == 2 && *d == 29 && !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0)) return false;
    return true;
}

bool layout_format(tpl_fmt fmt, const char *value, const char *arg, const char *category, sbuf *out)
{
    if (!value) value = "";
    if (!strcmp(value, LAYOUT_NO_VALUE)) {   /* "there is no value": printed as it is under every format */
        sbuf_puts(out, value);
        return true;
    }
    int y, m, d;
    fix6 v;
    char buf[64];
    switch (fmt) {
    case TPL_FMT_NONE:
        sbuf_puts(out, value);
        return true;
    case TPL_FMT_OR:
        sbuf_puts(out, *value ? value : (arg ? arg : ""));
        return true;
    case TPL_FMT_MONTH:
        if (!*value) return true;
        if (!parse_ymd(value, false, &y, &m, &d)) break;
        sbuf_printf(out, "%d年%d月", y, m);
        return true;
    case TPL_FMT_DATE:
        if (!*value) return true;
        if (!parse_ymd(value, true, &y, &m, &d)) break;
        sbuf_printf(out, "%d年%d月%d日", y, m, d);
        return true;
    case TPL_FMT_PERCENT:
        if (!*value) return true;
        if (!fix6_parse(value, &v) || v > 10000000 * FIX_ONE || v < -10000000 * FIX_ONE) break;
        if (arg) fix6_format_fixed(v * 100, atoi(arg), buf, sizeof buf);
        else fix6_format_plain(v * 100, buf, sizeof buf);
        sbuf_printf(out, "%s%%", buf);
        return true;
    case TPL_FMT_NUMBER:
        if (!*value) return true;
        if (!fix6_parse(value, &v)) break;
        if (arg) fix6_format_fixed(v, atoi(arg), buf, sizeof buf);
        else fix6_format_plain(v, buf, sizeof buf);
        sbuf_puts(out, buf);
        return true;
    case TPL_FMT_GRADE: {
        if (!*value) return true;
        const char *const *lab = layout_grade_labels(category);
        for (int i = 0; i < 4; i++)
            if (!strcmp(value, GRADE_KEYS[i])) {
                sbuf_puts(out, lab[i]);
                return true;
            }
        if (!strcmp(value, "none")) {
            sbuf_puts(out, "不定等次");
            return true;
        }
        break;
    }
    }
    sbuf_puts(out, value);
    return false;
}

/* ---- key/value source ---- */

struct kv_map {
    char **k, **v;
    size_t n, cap;
};

kv_map *kv_new(void) { return xcalloc(1, sizeof(kv_map)); }

void kv_set(kv_map *m, const char *key, const char *value)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->k[i], key)) {
            free(m->v[i]);
            m->v[i] = xstrdup(value);
            return;
        }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 32;
        m->k = xrealloc(m->k, m->cap * sizeof *m->k);
        m->v = xrealloc(m->v, m->cap * sizeof *m->v);
    }
    m->k[m->n] = xstrdup(key);
    m->v[m->n] = xstrdup(value);
    m->n++;
}

const char *kv_get(const kv_map *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->k[i], key)) return m->v[i];
    return NULL;
}

void kv_free(kv_map *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->k[i]);
        free(m->v[i]);
    }
    free(m->k);
    free(m->v);
    free(m);
}

static const char *kv_lookup_cb(void *ctx, const char *path) { return kv_get(ctx, path); }

static size_t kv_count_cb(void *ctx, const char *list)
{
    kv_map *m = ctx;
    size_t ll = strlen(list), max = 0;
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->k[i];
        if (strncmp(k, list, ll) || k[ll] != '.') continue;
        const char *p = k + ll + 1;
        char *end;
        if (*p < '0' || *p > '9') continue;
        unsigned long idx = strtoul(p, &end, 10);
        if (*end != '.') continue;
        if (idx + 1 > max) max = idx + 1;
    }
    return max;
}

static const char *kv_item_cb(void *ctx, const char *list, size_t index, const char *field)
{
    kv_map *m = ctx;
    size_t n = strlen(list) + strlen(field) + 32;
    char *key = xmalloc(n);
    snprintf(key, n, "%s.%zu.%s", list, index, field);
    const char *v = kv_get(m, key);
    free(key);
    return v;
}

layout_source kv_source(kv_map *m)
{
    layout_source s = {kv_lookup_cb, kv_count_cb, kv_item_cb, m};
    return s;
}

/* ---- layout state ---- */

typedef struct cont {
    const char *text;        /* arena */
    const char *label;
    font_role font;
    double size, leading, pad;
    /* a follows-text row's text (签名/日期) drawn after the continued text
     * ends, in its style and height; NULL when none */
    const char *tail;
    tpl_style tail_st;
    double tail_h;
} cont;

typedef struct L {
    const tpl_form *t;
    const layout_source *src;
    const font_set *fs;
    lo_doc *d;
    double content_h;        /* mm usable per page */
    double grid_w;
    size_t page_cap;
    lo_page *cur;            /* current page or NULL */
    size_t row_cap, cell_cap;
    double y;                /* mm used on the current page */
    size_t last_cont;        /* 1 + the continuation the group placed last added, 0: none */
    bool duplex;             /* the template's duplex applies (not a simplex run) */
    double px0;              /* mm: left edge of the grid on the current page (mirrored on even pages) */
    cont *conts;
    size_t nconts, capconts;
    /* list context */
    const char *list;
    size_t index;
    /* page by page (layout_stream): the sink, pages handed to it so far, and
     * the arena of the pages not yet handed over (&d->a when not streaming) */
    const lo_sink *sink;
    size_t emitted;
    arena *pa;
    arena page_arena;
    const char *numfmts[2][11];       /* numfmt_for's strings, made once */
    /* sheet rows of the items of each list laid out so far (for formulas
     * and charts); `last` is the latest */
    struct list_range { const char *source; size_t first, last; bool any; } ranges[8];
    size_t nranges;
    const struct list_range *last;
} L;

/* A warning about the document (each distinct one once): code is a catalog
 * code, the arguments its text's strings. */
static void layout_warn(L *l, const char *code, size_t nargs, const char *a0, const char *a1, const char *a2)
{
    diag_add(&l->d->diags, DIAG_WARNING, code, NULL, 0, NULL, nargs, a0, a1, a2);
}

static const char *get_value(L *l, const char *path)
{
    if (l->list) {
        if (!strcmp(path, "index") || !strcmp(path, "#")) return NULL;   /* handled by caller */
        const char *v = l->src->item ? l->src->item(l->src->ctx, l->list, l->index, path) : NULL;
        if (v) return v;
    }
    return l->src->lookup ? l->src->lookup(l->src->ctx, path) : NULL;
}

typedef struct resolved {
    sbuf text;
    lo_kind kind;
    double number;
    int y, m, d;
    const char *numfmt;
    const char *const *choices;
    size_t nchoices;
} resolved;

static int plain_decimals(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

/* Excel number format with `digits` decimals (0–10): one copy per document,
 * in its arena, since a streamed page's arena is gone before the writer
 * would be done with a format shared by many cells. */
static const char *numfmt_for(L *l, bool percent, int digits)
{
    if (digits < 0) digits = 0;
    if (digits > 10) digits = 10;
    const char **slot = &l->numfmts[percent][digits];
    if (*slot) return *slot;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "0");
    if (digits > 0) {
        n += snprintf(buf + n, sizeof buf - (size_t)n, ".");
        for (int i = 0; i < digits && i < 10; i++) n += snprintf(buf + n, sizeof buf - (size_t)n, "0");
    }
    if (percent) snprintf(buf + n, sizeof buf - (size_t)n, "%%");
    return *slot = arena_strdup(&l->d->a, buf);
}

/* Resolve segments into clean text (+ typed value when a single binding). */
static void resolve(L *l, const tpl_seg *segs, size_t n, bool force_text, bool in_hf, resolved *r)
{
    memset(r, 0, sizeof *r);
    sbuf raw = {0};
    sbuf_puts(&raw, "");
    char ibuf[32];
    for (size_t i = 0; i < n; i++) {
        const tpl_seg *s = &segs[i];
        if (!s->binding) {
            sbuf_puts(&raw, s->text);
            continue;
        }
        if (!strcmp(s->text, "page") || !strcmp(s->text, "pages")) {
            if (in_hf) sbuf_puts(&raw, s->text[4] ? LO_PAGES_TOKEN : LO_PAGE_TOKEN);
            continue;
        }
        const char *v;
        if (l->list && (!strcmp(s->text, "index") || !strcmp(s->text, "#"))) {
            snprintf(ibuf, sizeof ibuf, "%zu", l->index + 1);
            v = ibuf;
        } else {
            v = get_value(l, s->text);
        }
        /* the value is copied (and cleaned) before the next source call */
        sbuf val = {0};
        size_t bad = text_clean_append(&val, v ? v : "", v ? strlen(v) : 0);
        if (bad) layout_warn(l, "INVALID_TEXT", 1, s->text, NULL, NULL);
        const char *cat = NULL;
        sbuf catb = {0};
        if (s->fmt == TPL_FMT_GRADE && s->arg) {
            if (s->arg_literal) cat = s->arg;
            else {
                const char *cv = get_value(l, s->arg);
                sbuf_puts(&catb, cv ? cv : "");
                cat = catb.data;
            }
        }
        size_t before = raw.len;
        bool ok = layout_format(s->fmt, val.data, s->arg, cat, &raw);
        if (!ok && val.len)
            layout_warn(l, "BAD_VALUE", 2, s->text, val.data, NULL);
        if (n == 1 && ok && val.len && !force_text) {
            fix6 fv;
            switch (s->fmt) {
            case TPL_FMT_NUMBER:
                if (fix6_parse(val.data, &fv)) {
                    r->kind = LO_NUMBER;
                    r->number = (double)fv / FIX_ONE;
                    r->numfmt = s->arg ? numfmt_for(l, false, atoi(s->arg)) : "General";
                }
                break;
            case TPL_FMT_PERCENT:
                if (fix6_parse(val.data, &fv)) {
                    r->kind = LO_NUMBER;
                    r->number = (double)fv / FIX_ONE;
                    int dg = s->arg ? atoi(s->arg) : 0;
                    if (!s->arg) {
                        char pb[64];
                        memcpy(pb, raw.data + before, raw.len - before - 1);
                        pb[raw.len - before - 1] = 0;
                        dg = plain_decimals(pb);
                    }
                    r->numfmt = numfmt_for(l, true, dg);
                }
                break;
            case TPL_FMT_MONTH:
            case TPL_FMT_DATE:
                if (parse_ymd(val.data, s->fmt == TPL_FMT_DATE, &r->y, &r->m, &r->d)) {
                    r->kind = LO_DATE;
                    r->numfmt = s->fmt == TPL_FMT_DATE ? "yyyy\"年\"m\"月\"d\"日\"" : "yyyy\"年\"m\"月\"";
                }
                break;
            default:
                break;
            }
        }
        if (s->fmt == TPL_FMT_GRADE && n == 1) {
            r->choices = (const char *const *)layout_grade_labels(cat);
            r->nchoices = 4;
        }
        sbuf_free(&catb);
        sbuf_free(&val);
    }
    text_clean_append(&r->text, raw.data, raw.len);
    sbuf_free(&raw);
}

/* ---- pages ---- */

static void close_page(L *l);
static void check_inside(L *l, const lo_page *pg, size_t pno);

/* Streaming: the finished pages to the sink, in order, then freed with
 * their arena. */
static void emit_pages(L *l)
{
    lo_doc *d = l->d;
    for (size_t i = 0; i < d->npages; i++) {
        check_inside(l, &d->pages[i], l->emitted + i + 1);
        l->sink->page(l->sink->ctx, d, &d->pages[i]);
        free(d->pages[i].rows);
        free(d->pages[i].cells);
    }
    l->emitted += d->npages;
    d->npages = 0;
    arena_free(l->pa);
}

static void open_page(L *l, bool continuation)
{
    lo_doc *d = l->d;
    /* A page that is not a 续页 starts once every earlier page and its
     * continuations are complete, and nothing of theirs is still in use:
     * the moment a stream hands them over. */
    if (l->sink && !continuation) emit_pages(l);
    if (d->npages == l->page_cap) {
        l->page_cap = l->page_cap ? l->page_cap * 2 : 4;
        d->pages = xrealloc(d->pages, l->page_cap * sizeof *d->pages);
    }
    l->cur = &d->pages[d->npages++];
    memset(l->cur, 0, sizeof *l->cur);
    l->cur->continuation = continuation;
    /* the page's number in the document decides its side of the sheet */
    size_t index = l->emitted + d->npages - 1;
    l->cur->mirrored = l->duplex && l->t->duplex_mirror && index % 2 == 1;
    l->px0 = l->cur->mirrored ? d->page_w - d->x0 - l->grid_w : d->x0;
    l->row_cap = l->cell_cap = 0;
    l->y = 0;
}

static void page_add_row(L *l, double h, size_t sheet_row, bool repeat)
{
    lo_page *p = l->cur;
    if (p->nrows == l->row_cap) {
        l->row_cap = l->row_cap ? l->row_cap * 2 : 16;
        p->rows = xrealloc(p->rows, l->row_cap * sizeof *p->rows);
    }
    p->rows[p->nrows++] = (lo_row){h, sheet_row, repeat};
    l->y += h;
}

static lo_cell *page_add_cell(L *l)
{
    lo_page *p = l->cur;
    if (p->ncells == l->cell_cap) {
        l->cell_cap = l->cell_cap ? l->cell_cap * 2 : 32;
        p->cells = xrealloc(p->cells, l->cell_cap * sizeof *p->cells);
    }
    lo_cell *c = &p->cells[p->ncells++];
    memset(c, 0, sizeof *c);
    return c;
}

static double col_x(L *l, int col)
{
    double x = l->px0;
    for (int i = 0; i < col; i++) x += l->t->col_w[i];
    return x;
}

static double span_w(L *l, int col, int span)
{
    double w = 0;
    for (int i = col; i < col + span; i++) w += l->t->col_w[i];
    return w;
}

static void add_cont(L *l, const char *text, const char *label, const tpl_style *st)
{
    if (l->nconts == l->capconts) {
        l->capconts = l->capconts ? l->capconts * 2 : 4;
        l->conts = xrealloc(l->conts, l->capconts * sizeof *l->conts);
    }
    cont *c = &l->conts[l->nconts++];
    c->text = arena_strdup(l->pa, text);
    c->label = arena_strdup(l->pa, label ? label : "续页");
    c->font = st->font;
    c->size = st->min_size;
    c->leading = st->leading;
    c->pad = st->pad;
    c->tail = NULL;
}

/* Centred text (titles, column heads) in balanced lines: broken again at
 * the narrowest width that keeps the number of lines, so no line is left
 * with a lone character or word (表, 考核) under a full one. */
static void balance_lines(const char *text, size_t len, const text_metrics *m, double size, double width,
                          text_lines *lines)
{
    size_t n = lines->n;
    if (n < 2) return;
    /* lines that all end at a hard break (a label's <br/>s) are as the template wants them */
    size_t paras = 1;
    for (size_t k = 0; k < len; k++) paras += text[k] == '\n';
    if (paras >= n) return;
    double lo = 0, hi = width;
    for (size_t k = 0; k < n; k++) lo += lines->v[k].width;
    lo /= (double)n;                  /* no width below the average line holds n lines */
    text_lines t = {0};
    for (int it = 0; it < 16 && hi - lo > 0.25; it++) {
        double mid = (lo + hi) / 2;
        text_break(text, len, m, size, mid, &t);
        if (t.n <= n) hi = mid;
        else lo = mid;
    }
    text_break(text, len, m, size, hi, &t);
    if (t.n == n) {
        text_lines tmp = *lines;
        *lines = t;
        t = tmp;
    }
    text_lines_free(&t);
}

/* Fit text[0..len) into a cell box; stores lines and size in c. Returns
 * the byte offset where the overflow starts (len when everything fits). */
static size_t fit_cell_n(L *l, lo_cell *c, const char *text, size_t len, double smax, double smin)
{
    text_metrics m = font_metrics(l->fs, c->font);
    text_fit_req req = {(c->w - 2 * c->pad) * MM2PT, (c->h - c->pad) * MM2PT, smax, smin, 0.5,
                        c->leading};
    if (req.width < 1) req.width = 1;
    if (req.height < 0) req.height = 0;
    text_fit_result fr = {0};
    text_fit(text, len, &m, &req, &fr);
    if (!fr.overflow && c->halign == TPL_CENTER) balance_lines(text, len, &m, fr.size, req.width, &fr.lines);
    c->size = fr.size;
    c->nlines = fr.lines.n;
    c->lines = arena_alloc(l->pa, (fr.lines.n ? fr.lines.n : 1) * sizeof *c->lines);
    if (fr.lines.n) memcpy(c->lines, fr.lines.v, fr.lines.n * sizeof *c->lines);
    text_lines_free(&fr.lines);
    return fr.overflow ? fr.fit_end : len;
}

static size_t fit_cell(L *l, lo_cell *c, const char *text, double smax, double smin)
{
    return fit_cell_n(l, c, text, strlen(text), smax, smin);
}

/* fit_cell at one size for a page of a long text: only a prefix of the
 * text is broken into lines, doubled until the page overflows inside it
 * well before its end (lines are broken greedily, so the page's lines are
 * those of the whole text). Breaking the whole rest on every 续页 made a
 * cell of n pages cost n² (40,000 findings in one 问题 cell: 53 s). */
static size_t fit_page(L *l, lo_cell *c, const char *text, double size)
{
    size_t len = strlen(text), try = 8192;
    for (;;) {
        size_t n = try < len ? try : len;
        while (n < len && (text[n] & 0xC0) == 0x80) n++;   /* whole UTF-8 characters */
        size_t end = fit_cell_n(l, c, text, n, size, size);
        if (n == len) return end;
        if (end + 256 < n) return end;   /* the overflow line and its look-ahead lie inside */
        try *= 2;
    }
}

static void set_text_top(lo_cell *c)
{
    double bh = text_lines_height(c->nlines, c->size, c->leading) * PT2MM;
    switch (c->valign) {
    case TPL_TOP: c->text_top = c->pad / 2; break;
    case TPL_BOTTOM: c->text_top = c->h - c->pad / 2 - bh; break;
    default: c->text_top = (c->h - bh) / 2; break;
    }
}

/* What a 续页 says the field is when the template gives no label. */
static const char *field_label(const char *path)
{
    static const char *const k[][2] = {
        {"name", "姓名"}, {"summary", "个人总结"}, {"comment", "评语"}, {"post", "职务"}, {"rank", "职级"},
        {"education", "文化程度"}, {"political", "政治面貌"}, {"ethnicity", "民族"},
    };
    const char *dot = strrchr(path, '.');
    const char *f = dot ? dot + 1 : path;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (!strcmp(f, k[i][0])) return k[i][1];
    return f;
}

/* Title of the 续页 a cell continues on: its label (else the field it
 * shows) and whose it is — the person of the form, or of the list row. */
static void cont_label(L *l, const tpl_cell *tc, sbuf *out)
{
    const char *field = NULL;
    for (size_t i = 0; i < tc->nsegs && !field; i++)
        if (tc->segs[i].binding) field = tc->segs[i].text;
    if (tc->continue_label) sbuf_puts(out, tc->continue_label);
    else sbuf_printf(out, "%s（续页）", field ? field_label(field) : "");
    const char *name = get_value(l, l->list ? "name" : "person.name");
    const char *id = get_value(l, l->list ? "id" : "person.id");
    if (name && *name) sbuf_printf(out, "——%s", name);
    if (name && *name && id && *id) sbuf_printf(out, "（%s）", id);
}

/* Place cell text, handling overflow by continuation. */
static void fill_cell(L *l, lo_cell *c, const tpl_cell *tc, const char *text)
{
    size_t len = strlen(text);
    size_t end = fit_cell(l, c, text, tc->st.size, tc->st.min_size);
    if (end < len) {
        /* keep the part that fits (plus the mark, if any), continue the rest */
        const char *mark = tc->continue_mark ? tc->continue_mark : "";
        sbuf part = {0};
        for (;;) {
            sbuf_clear(&part);
            size_t e = end;
            while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\n')) e--;
            sbuf_add(&part, text, e);
            sbuf_puts(&part, mark);
            if (!*mark) break;
            size_t pe = fit_cell(l, c, part.data, tc->st.min_size, tc->st.min_size);
            if (pe == part.len || end == 0) break;
            /* drop one more line of the original */
            if (c->nlines == 0) { end = 0; continue; }
            end = c->lines[c->nlines - 1].start < end ? c->lines[c->nlines - 1].start : 0;
        }
        c->text = arena_strdup(l->pa, part.data);
        fit_cell(l, c, c->text, tc->st.min_size, tc->st.min_size);
        sbuf_free(&part);
        size_t rs = end;
        while (rs < len && (text[rs] == ' ' || text[rs] == '\n')) rs++;
        sbuf label = {0};
        cont_label(l, tc, &label);
        add_cont(l, text + rs, label.data, &tc->st);
        sbuf_free(&label);
        c->whole = arena_strdup(l->pa, text);
    } else {
        c->text = arena_strdup(l->pa, text);
    }
    set_text_top(c);
}

/* A group of template rows instantiated: heights and resolved cells. */
typedef struct gcell {
    const tpl_cell *tc;
    int row;                  /* within the group */
    resolved r;
} gcell;

typedef struct group {
    const tpl_row *rows;      /* the template's */
    double *h;
    size_t nrows;
    gcell *cells;
    size_t ncells;
} group;

static void group_free(group *g)
{
    for (size_t i = 0; i < g->ncells; i++) sbuf_free(&g->cells[i].r.text);
    free(g->cells);
    free(g->h);
}

static void group_build(L *l, const tpl_row *rows, size_t n, group *g)
{
    memset(g, 0, sizeof *g);
    g->rows = rows;
    g->nrows = n;
    g->h = xcalloc(n, sizeof *g->h);
    size_t total = 0;
    for (size_t r = 0; r < n; r++) total += rows[r].ncells;
    g->cells = xcalloc(total ? total : 1, sizeof *g->cells);
    for (size_t r = 0; r < n; r++) {
        g->h[r] = rows[r].height;
        for (size_t k = 0; k < rows[r].ncells; k++) {
            gcell *gc = &g->cells[g->ncells++];
            gc->tc = &rows[r].cells[k];
            gc->row = (int)r;
            resolve(l, gc->tc->segs, gc->tc->nsegs, gc->tc->force_text, false, &gc->r);
        }
    }
    /* auto heights: grow to the text at its preferred size (single-row cells) */
    for (size_t r = 0; r < n; r++) {
        if (!rows[r].autoheight) continue;
        for (size_t i = 0; i < g->ncells; i++) {
            gcell *gc = &g->cells[i];
            if (gc->row != (int)r || gc->tc->rowspan != 1) continue;
            const tpl_style *st = &gc->tc->st;
            text_metrics m = font_metrics(l->fs, st->font);
            text_lines tl = {0};
            double w = (span_w(l, gc->tc->col, gc->tc->colspan) - 2 * st->pad) * MM2PT;
            text_break(gc->r.text.data, gc->r.text.len, &m, st->size, w > 1 ? w : 1, &tl);
            double need = text_lines_height(tl.n, st->size, st->leading) * PT2MM + st->pad;
            text_lines_free(&tl);
            need = ceil(need * 10) / 10;   /* 0.1 mm steps */
            if (need > g->h[r]) g->h[r] = need;
        }
        if (g->h[r] > l->content_h) g->h[r] = l->content_h;   /* the rest continues on a 续页 */
    }
}

static double group_height(const group *g)
{
    double h = 0;
    for (size_t r = 0; r < g->nrows; r++) h += g->h[r];
    return h;
}

static void new_page(L *l)
{
    close_page(l);
    open_page(l, false);
}

/* Place a group at the current position; sheet rows from *sheet_row (or the
 * given originals for repeated rows). */
/* A cell of a follows-text row (签名/日期) whose text above went on to a
 * 续页 cn: its text moves with the continuation, to be drawn after the text
 * ends, and the cell here stays empty, its borders closing the box above.
 * Returns the text the cell keeps. */
static const char *follow(L *l, cont *cn, const group *g, const gcell *gc)
{
    if (!cn->tail) {
        cn->tail = arena_strdup(l->pa, gc->r.text.data);
        cn->tail_st = gc->tc->st;
        cn->tail_h = 0;
        for (int r = gc->row; r < gc->row + gc->tc->rowspan; r++) cn->tail_h += g->h[r];
    }
    return "";
}

static void group_place(L *l, group *g, bool repeat, const size_t *orig_sheet_rows,
                        size_t *assigned)
{
    if (!l->cur) open_page(l, false);
    double gh = group_height(g);
    if (l->cur->nrows > 0 && l->y + gh > l->content_h + 1e-9) new_page(l);
    size_t conts0 = l->nconts, prev = l->last_cont <= l->nconts ? l->last_cont : 0;
    if (gh > l->content_h + 1e-9) {
        char pno[32], ghs[32], chs[32];
        snprintf(pno, sizeof pno, "%zu", l->emitted + l->d->npages);
        snprintf(ghs, sizeof ghs, "%.1f", gh);
        snprintf(chs, sizeof chs, "%.1f", l->content_h);
        layout_warn(l, "PAGE_OVERFLOW", 3, pno, ghs, chs);
    }
    size_t first = l->cur->nrows;
    double top = l->t->margin[TPL_SIDE_TOP] + l->y;
    for (size_t r = 0; r < g->nrows; r++) {
        size_t sr = repeat ? orig_sheet_rows[r] : l->d->nsheet_rows++;
        if (assigned) assigned[r] = sr;
        page_add_row(l, g->h[r], sr, repeat);
    }
    for (size_t i = 0; i < g->ncells; i++) {
        gcell *gc = &g->cells[i];
        const tpl_cell *tc = gc->tc;
        lo_cell *c = page_add_cell(l);
        c->row = (int)(first + (size_t)gc->row);
        c->col = tc->col;
        c->rowspan = tc->rowspan;
        c->colspan = tc->colspan;
        /* the template parser keeps spans on the grid; rows were just added */
        assert(tc->col >= 0 && (size_t)(tc->col + tc->colspan) <= l->t->ncols);
        assert(c->row + c->rowspan <= (int)l->cur->nrows);
        c->x = col_x(l, tc->col);
        c->w = span_w(l, tc->col, tc->colspan);
        c->y = top;
        for (int r = 0; r < gc->row; r++) c->y += g->h[r];
        c->h = 0;
        for (int r = gc->row; r < gc->row + tc->rowspan; r++) c->h += g->h[r];
        c->font = tc->st.font;
        c->leading = tc->st.leading;
        c->pad = tc->st.pad;
        c->halign = tc->st.halign;
        c->valign = tc->st.valign;
        memcpy(c->border, tc->st.border, 4);
        c->kind = gc->r.kind;
        c->number = gc->r.number;
        c->year = gc->r.y;
        c->month = gc->r.m;
        c->day = gc->r.d;
        c->numfmt = gc->r.numfmt;
        if (tc->nchoices) {
            c->choices = (const char *const *)tc->choices;
            c->nchoices = tc->nchoices;
        } else {
            c->choices = gc->r.choices;
            c->nchoices = gc->r.nchoices;
        }
        if (tc->formula) {
            c->formula = tc->formula;
            c->has_range = l->last && l->last->any;
            if (c->has_range) {
                c->range_first = l->last->first;
                c->range_last = l->last->last;
            }
        }
        const char *text = gc->r.text.data;
        size_t cn = l->nconts > conts0 ? l->nconts : prev;
        if (g->rows[gc->row].follows_text && cn && gc->r.text.len) text = follow(l, &l->conts[cn - 1], g, gc);
        fill_cell(l, c, tc, text);
        c->want_size = tc->st.size;
        if (text != gc->r.text.data) c->whole = arena_strdup(l->pa, gc->r.text.data);
        if (strlen(c->text) != strlen(text)) {
            /* continued: the spreadsheet value is text now */
            c->kind = LO_TEXT;
            c->numfmt = NULL;
        }
    }
    l->last_cont = l->nconts > conts0 ? l->nconts : 0;
}

/* Height (mm) a 续页's last box needs for its lines: at least 30 mm. */
static double cont_need(const lo_cell *c, const cont *cn)
{
    double need = text_lines_height(c->nlines, c->size, c->leading) * PT2MM + cn->pad;
    need = ceil(need) + 2;
    return need < 30 ? 30 : need;
}

/* The follows-text row of a continuation under its last box (top y mm):
 * as wide as the box, closing it (no top border). */
static void add_tail(L *l, const cont *cn, double y)
{
    page_add_row(l, cn->tail_h, l->d->nsheet_rows++, false);
    lo_cell *c = page_add_cell(l);
    c->row = (int)l->cur->nrows - 1;
    c->col = 0;
    c->rowspan = 1;
    c->colspan = (int)l->t->ncols;
    c->x = l->px0;
    c->y = y;
    c->w = l->grid_w;
    c->h = cn->tail_h;
    c->font = cn->tail_st.font;
    c->leading = cn->tail_st.leading;
    c->pad = cn->tail_st.pad;
    c->halign = cn->tail_st.halign;
    c->valign = cn->tail_st.valign;
    memcpy(c->border, cn->tail_st.border, 4);
    c->border[TPL_SIDE_TOP] = TPL_BORDER_NONE;
    c->border[TPL_SIDE_LEFT] = c->border[TPL_SIDE_RIGHT] = c->border[TPL_SIDE_BOTTOM] = TPL_BORDER_THIN;
    c->text = cn->tail;
    fit_cell(l, c, c->text, cn->tail_st.size, cn->tail_st.min_size);
    set_text_top(c);
}

/* Emit 续页 pages for pending continuations. */
static void flush_conts(L *l)
{
    size_t i = 0;
    while (i < l->nconts) {
        cont cn = l->conts[i++];
        const char *text = cn.text;
        int part = 0;
        while (*text) {
            open_page(l, true);
            part++;
            /* title row */
            page_add_row(l, CONT_TITLE_H, l->d->nsheet_rows++, false);
            lo_cell *tc = page_add_cell(l);
            tc->row = 0;
            tc->col = 0;
            tc->rowspan = 1;
            tc->colspan = (int)l->t->ncols;
            tc->x = l->px0;
            tc->y = l->t->margin[TPL_SIDE_TOP];
            tc->w = l->grid_w;
            tc->h = CONT_TITLE_H;
            tc->font = FONT_HEI;
            tc->leading = 1.25;
            tc->pad = 1;
            tc->halign = TPL_LEFT;
            tc->valign = TPL_MIDDLE;
            sbuf title = {0};
            sbuf_puts(&title, cn.label);
            if (part > 1) sbuf_printf(&title, "（%d）", part);
            tc->text = arena_strdup(l->pa, title.data);
            sbuf_free(&title);
            fit_cell(l, tc, tc->text, 12, 8);
            set_text_top(tc);
            /* box row */
            double box_h = l->content_h - CONT_TITLE_H;
            lo_cell tmp = {0};
            tmp.font = cn.font;
            tmp.leading = cn.leading;
            tmp.pad = cn.pad;
            tmp.w = l->grid_w;
            tmp.h = box_h;
            size_t len = strlen(text);
            size_t end = fit_page(l, &tmp, text, cn.size);
            bool last = end >= len;
            if (last && cn.tail && cont_need(&tmp, &cn) + cn.tail_h > box_h) {
                /* the closing row must follow the text on its page: less
                 * text here, the rest and the row on one more 续页 */
                tmp.h = box_h - cn.tail_h;
                end = fit_page(l, &tmp, text, cn.size);
                tmp.h = box_h;
                last = end >= len;
            }
            if (last) {
                /* last part: shrink the box to the text */
                double need = cont_need(&tmp, &cn);
                if (need < box_h) box_h = need;
            }
            page_add_row(l, box_h, l->d->nsheet_rows++, false);
            lo_cell *c = page_add_cell(l);
            *c = tmp;
            c->row = 1;
            c->col = 0;
            c->rowspan = 1;
            c->colspan = (int)l->t->ncols;
            c->x = l->px0;
            c->y = l->t->margin[TPL_SIDE_TOP] + CONT_TITLE_H;
            c->w = l->grid_w;
            c->h = box_h;
            c->halign = TPL_LEFT;
            c->valign = TPL_TOP;
            for (int s = 0; s < 4; s++) c->border[s] = TPL_BORDER_THIN;
            if (last && cn.tail) c->border[TPL_SIDE_BOTTOM] = TPL_BORDER_NONE;
            size_t e = end;
            while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\n')) e--;
            char *piece = arena_alloc(l->pa, e + 1);
            memcpy(piece, text, e);
            piece[e] = 0;
            c->text = piece;
            fit_cell(l, c, piece, cn.size, cn.size);
            set_text_top(c);
            if (last && cn.tail) add_tail(l, &cn, c->y + box_h);
            text += end;
            while (*text == ' ' || *text == '\n') text++;
            if (end == 0 && *text) {
                /* not even one line fits: give up loudly rather than loop */
                layout_warn(l, "TEXT_OVERFLOW", 0, NULL, NULL, NULL);
                break;
            }
        }
    }
    l->nconts = 0;
}

static void close_page(L *l)
{
    if (!l->cur) return;
    l->cur = NULL;
    if (l->nconts) flush_conts(l);
    l->cur = NULL;
}

static void do_list(L *l, const tpl_block *b)
{
    size_t n = l->src->count ? l->src->count(l->src->ctx, b->source) : 0;
    const tpl_row *head = b->rows;
    const tpl_row *item = b->rows + b->nhead;
    size_t nitem = b->nrows - b->nhead;
    size_t *head_sheet = xcalloc(b->nhead ? b->nhead : 1, sizeof *head_sheet);
    group hg = {0};
    if (b->nhead) group_build(l, head, b->nhead, &hg);
    double hh = group_height(&hg);
    if (n == 0) {
        if (b->nhead) group_place(l, &hg, false, NULL, head_sheet);
        if (b->empty) {
            tpl_cell ec = {0};
            ec.col = 0;
            ec.colspan = (int)l->t->ncols;
            ec.rowspan = 1;
            ec.st = item[0].ncells ? item[0].cells[0].st : hg.ncells ? hg.cells[0].tc->st : (tpl_style){0};
            if (ec.st.size == 0) ec.st = (tpl_style){FONT_SONG, 11, 11, 1.25, 1, TPL_CENTER, TPL_MIDDLE, {1, 1, 1, 1}};
            tpl_seg seg = {false, b->empty, TPL_FMT_NONE, NULL, false};
            ec.segs = &seg;
            ec.nsegs = 1;
            tpl_row er = {.height = item[0].height, .cells = &ec, .ncells = 1};
            group eg;
            group_build(l, &er, 1, &eg);
            group_place(l, &eg, false, NULL, NULL);
            group_free(&eg);
        }
        group_free(&hg);
        free(head_sheet);
        return;
    }
    struct list_range *range = l->nranges < 8 ? &l->ranges[l->nranges++] : &l->ranges[7];
    *range = (struct list_range){b->source, 0, 0, false};
    bool head_placed = false;
    const char *saved_list = l->list;
    size_t saved_index = l->index;
    for (size_t i = 0; i < n; i++) {
        l->list = b->source;
        l->index = i;
        group ig;
        group_build(l, item, nitem, &ig);
        l->list = saved_list;
        l->index = saved_index;
        double ih = group_height(&ig);
        if (!l->cur) open_page(l, false);
        if (!head_placed) {
            if (l->cur->nrows > 0 && l->y + hh + ih > l->content_h + 1e-9) new_page(l);
            if (b->nhead) group_place(l, &hg, false, NULL, head_sheet);
            head_placed = true;
        } else if (l->y + ih > l->content_h + 1e-9) {
            new_page(l);
            if (b->nhead) {
                group rg;
                group_build(l, head, b->nhead, &rg);
                group_place(l, &rg, true, head_sheet, NULL);
                group_free(&rg);
            }
        }
        l->list = b->source;
        l->index = i;
        if (!range->any) range->first = l->d->nsheet_rows;
        group_place(l, &ig, false, NULL, NULL);
        range->last = l->d->nsheet_rows - 1;
        range->any = true;
        l->list = saved_list;
        l->index = saved_index;
        group_free(&ig);
    }
    l->last = range;
    group_free(&hg);
    free(head_sheet);
}

/* A chart of an earlier list's rows: the values, and pages of at most
 * per_page categories each (the spreadsheet shows it on a chart sheet). */
static void do_chart(L *l, const tpl_chart *tc)
{
    const struct list_range *range = NULL;
    for (size_t i = 0; i < l->nranges; i++)
        if (!strcmp(l->ranges[i].source, tc->source)) range = &l->ranges[i];
    size_t n = l->src->count ? l->src->count(l->src->ctx, tc->source) : 0;
    if (!range || !range->any || n == 0 || l->d->chart) return;   /* nothing to plot */
    lo_doc *d = l->d;
    lo_chart *ch = arena_alloc(&d->a, sizeof *ch);
    memset(ch, 0, sizeof *ch);
    resolved title;
    resolve(l, tc->title, tc->ntitle, true, false, &title);
    ch->title = arena_strdup(&d->a, title.text.data);
    sbuf_free(&title.text);
    ch->sheet = arena_strdup(&d->a, tc->sheet);
    ch->cat_col = arena_strdup(&d->a, tc->cat_col);
    ch->percent = tc->percent;
    ch->line = tc->line;
    ch->first_row = range->first;
    ch->last_row = range->last;
    ch->ncats = n;
    ch->cats = arena_alloc(&d->a, n * sizeof *ch->cats);
    ch->nseries = tc->nseries;
    ch->series = arena_alloc(&d->a, tc->nseries * sizeof *ch->series);
    sbuf clean = {0};
    for (size_t i = 0; i < n; i++) {
        const char *v = l->src->item ? l->src->item(l->src->ctx, tc->source, i, tc->cat_field) : NULL;
        sbuf_clear(&clean);
        sbuf_puts(&clean, "");
        if (v) text_clean_append(&clean, v, strlen(v));
        ch->cats[i] = arena_strdup(&d->a, clean.data);
    }
    sbuf_free(&clean);
    for (size_t k = 0; k < tc->nseries; k++) {
        lo_series *s = &ch->series[k];
        s->name = arena_strdup(&d->a, tc->series[k].name);
        s->col = arena_strdup(&d->a, tc->series[k].col);
        s->values = arena_alloc(&d->a, n * sizeof *s->values);
        for (size_t i = 0; i < n; i++) {
            const char *v = l->src->item ? l->src->item(l->src->ctx, tc->source, i, tc->series[k].field) : NULL;
            char *end = NULL;
            double x = v ? strtod(v, &end) : 0;
            s->values[i] = end && end != v && isfinite(x) ? x : 0;
        }
    }
    d->chart = ch;
    close_page(l);
    for (size_t from = 0; from < n; from += (size_t)tc->per_page) {
        open_page(l, false);
        l->cur->chart = true;
        l->cur->chart_from = from;
        l->cur->chart_to = from + (size_t)tc->per_page < n ? from + (size_t)tc->per_page : n;
        close_page(l);
    }
}

/* A row's when/unless: set, not empty and not "0" is true. */
static bool row_shown(L *l, const tpl_row *row)
{
    if (!row->cond) return true;
    const char *v = get_value(l, row->cond);
    bool truthy = v && *v && strcmp(v, "0") != 0;
    return truthy != row->cond_negated;
}

static void do_rows(L *l, const tpl_block *b)
{
    size_t i = 0;
    while (i < b->nrows) {
        size_t end = i + 1;
        for (size_t r = i; r < end; r++)
            for (size_t k = 0; k < b->rows[r].ncells; k++) {
                size_t e = r + (size_t)b->rows[r].cells[k].rowspan;
                if (e > end) end = e;
            }
        if (row_shown(l, &b->rows[i])) {
            group g;
            group_build(l, b->rows + i, end - i, &g);
            group_place(l, &g, false, NULL, NULL);
            group_free(&g);
        }
        i = end;
    }
}

static void resolve_hf(L *l, const tpl_hf *src, lo_hf *dst)
{
    dst->font = src->font;
    dst->size = src->size;
    for (int i = 0; i < 3; i++) {
        /* page tokens are added after cleaning (cleaning drops \x01) */
        sbuf raw = {0};
        sbuf_puts(&raw, "");
        for (size_t k = 0; k < src->npart[i]; k++) {
            const tpl_seg *s = &src->part[i][k];
            if (!s->binding) { text_clean_append(&raw, s->text, strlen(s->text)); continue; }
            if (!strcmp(s->text, "page")) { sbuf_puts(&raw, LO_PAGE_TOKEN); continue; }
            if (!strcmp(s->text, "pages")) { sbuf_puts(&raw, LO_PAGES_TOKEN); continue; }
            resolved one;
            resolve(l, s, 1, true, true, &one);
            sbuf_add(&raw, one.text.data, one.text.len);
            sbuf_free(&one.text);
        }
        /* header text is one line */
        for (size_t k = 0; k < raw.len; k++)
            if (raw.data[k] == '\n') raw.data[k] = ' ';
        dst->part[i] = arena_strdup(&l->d->a, raw.data);
        sbuf_free(&raw);
    }
}

void layout_page_margins(const lo_doc *d, const lo_page *pg, double *left, double *right)
{
    bool swap = pg && pg->mirrored;
    *left = d->margin[swap ? TPL_SIDE_RIGHT : TPL_SIDE_LEFT];
    *right = d->margin[swap ? TPL_SIDE_LEFT : TPL_SIDE_RIGHT];
}

/* The 本页无正文 page that makes a per-person document's page count even. */
static void pad_page(L *l)
{
    open_page(l, false);
    l->cur->blank = true;
    double h = l->content_h;
    page_add_row(l, h, l->d->nsheet_rows++, false);
    lo_cell *c = page_add_cell(l);
    c->rowspan = 1;
    c->colspan = (int)l->t->ncols;
    c->x = l->px0;
    c->y = l->t->margin[TPL_SIDE_TOP];
    c->w = l->grid_w;
    c->h = h;
    c->font = FONT_SONG;
    c->leading = 1.25;
    c->pad = 1;
    c->halign = TPL_CENTER;
    c->valign = TPL_MIDDLE;
    c->text = "本页无正文";
    fit_cell(l, c, c->text, 14, 14);
    set_text_top(c);
    close_page(l);
}

lo_doc *layout_stream(const tpl_form *t, const layout_source *src, const font_set *fs, const lo_sink *sink,
                      sbuf *err)
{
    return layout_stream_print(t, src, fs, sink, NULL, err);
}

lo_doc *layout_stream_print(const tpl_form *t, const layout_source *src, const font_set *fs, const lo_sink *sink,
                            const lo_print *print, sbuf *err)
{
    L *l = xcalloc(1, sizeof *l);
    l->duplex = !(print && print->simplex);
    lo_doc *d = xcalloc(1, sizeof *d);
    l->t = t;
    l->src = src;
    l->fs = fs;
    l->d = d;
    l->sink = sink;
    l->pa = sink ? &l->page_arena : &d->a;
    d->title = arena_strdup(&d->a, t->title);
    d->sheet = arena_strdup(&d->a, t->sheet);
    d->page_w = t->page_w;
    d->page_h = t->page_h;
    d->landscape = t->landscape;
    d->paper = t->paper;
    memcpy(d->margin, t->margin, sizeof d->margin);
    d->header_margin = t->header_margin;
    d->footer_margin = t->footer_margin;
    d->ncols = t->ncols;
    d->col_w = arena_alloc(&d->a, t->ncols * sizeof *d->col_w);
    memcpy(d->col_w, t->col_w, t->ncols * sizeof *d->col_w);
    for (size_t i = 0; i < t->ncols; i++) l->grid_w += t->col_w[i];
    double avail_w = t->page_w - t->margin[TPL_SIDE_LEFT] - t->margin[TPL_SIDE_RIGHT];
    d->x0 = t->margin[TPL_SIDE_LEFT] + (avail_w - l->grid_w) / 2;
    l->content_h = t->page_h - t->margin[TPL_SIDE_TOP] - t->margin[TPL_SIDE_BOTTOM] - PAGE_SLACK;
    if (l->content_h < CONT_TITLE_H + 20) {
        sbuf_puts(err, "版心高度不足 (TEMPLATE_PAPER)");
        free(l);
        lo_doc_free(d);
        return NULL;
    }
    /* before the body: a stream's pages leave with their header and footer */
    resolve_hf(l, &t->header, &d->header);
    resolve_hf(l, &t->footer, &d->footer);
    for (size_t i = 0; i < t->nblocks; i++) {
        const tpl_block *b = &t->blocks[i];
        switch (b->kind) {
        case TPL_BLOCK_ROWS: do_rows(l, b); break;
        case TPL_BLOCK_LIST: do_list(l, b); break;
        case TPL_BLOCK_BREAK:
            if (l->cur && l->cur->nrows) new_page(l);
            break;
        case TPL_BLOCK_CHART: do_chart(l, b->chart); break;
        }
    }
    close_page(l);
    if (l->emitted + d->npages == 0) open_page(l, false);
    close_page(l);
    if (l->duplex && t->duplex_pad && (l->emitted + d->npages) % 2 == 1) pad_page(l);
    if (sink) {
        emit_pages(l);
        free(d->pages);
        d->pages = NULL;
    } else {
        for (size_t i = 0; i < d->npages; i++) check_inside(l, &d->pages[i], i + 1);
    }
    free(l->conts);
    free(l);
    return d;
}

lo_doc *layout_run(const tpl_form *t, const layout_source *src, const font_set *fs, sbuf *err)
{
    return layout_stream(t, src, fs, NULL, err);
}

void lo_doc_free(lo_doc *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->npages; i++) {
        free(d->pages[i].rows);
        free(d->pages[i].cells);
    }
    free(d->pages);
    diag_list_free(&d->diags);
    arena_free(&d->a);
    free(d);
}

/* ---- check: text inside its cell (issue 16) ---- */

/* How far (mm) the line box [x0,x1]×[y0,y1] reaches beyond the box
 * [l,r]×[t,b]; 0 when inside. */
static double beyond(double x0, double x1, double y0, double y1, double l, double r, double t, double b)
{
    double d = 0;
    if (l - x0 > d) d = l - x0;
    if (x1 - r > d) d = x1 - r;
    if (t - y0 > d) d = t - y0;
    if (y1 - b > d) d = y1 - b;
    return d;
}

/* One line of text outside its cell: where, how far (mm), its first
 * characters (whole UTF-8 sequences, at most ~30 bytes). */
typedef struct outside_line {
    size_t page;
    int row, col;
    double mm;
    const char *text;
    int len;
} outside_line;

typedef void (*outside_fn)(void *ctx, const outside_line *o);

/* Calls fn (when not NULL) for every text line of pg outside its cell;
 * returns how many there are. */
static size_t scan_outside(const lo_page *pg, size_t pno, outside_fn fn, void *ctx)
{
    const double eps = 0.01;   /* mm: rounding of the fitting arithmetic */
    size_t n = 0;
    for (size_t i = 0; pg && i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        double l = c->x + c->pad, r = c->x + c->w - c->pad;
        double t = c->y + c->pad / 2, b = c->y + c->h - c->pad / 2;
        double pitch = c->size * c->leading * PT2MM, em = c->size * PT2MM;
        for (size_t k = 0; k < c->nlines; k++) {
            const text_line *ln = &c->lines[k];
            if (ln->end <= ln->start) continue;   /* an empty line draws nothing */
            double w = ln->width * PT2MM, x0;
            switch (c->halign) {
            case TPL_CENTER: x0 = l + (r - l - w) / 2; break;
            case TPL_RIGHT: x0 = r - w; break;
            default: x0 = l; break;
            }
            double y0 = c->y + c->text_top + (double)k * pitch;
            double d = beyond(x0, x0 + w, y0, y0 + em, l, r, t, b);
            if (d <= eps) continue;
            n++;
            if (!fn) continue;
            size_t len = ln->end - ln->start, cut = len < 30 ? len : 30;
            while (cut < len && (c->text[ln->start + cut] & 0xC0) == 0x80) cut++;   /* whole characters */
            outside_line o = {pno, c->row + 1, c->col + 1, d, c->text + ln->start, (int)cut};
            fn(ctx, &o);
        }
    }
    return n;
}

static void outside_text(void *ctx, const outside_line *o)
{
    sbuf_printf(ctx, "TEXT_OUTSIDE_CELL: 第 %zu 页第 %d 行第 %d 列的文字超出单元格 %.2f mm：“%.*s”\n",
                o->page, o->row, o->col, o->mm, o->len, o->text);
}

size_t layout_text_inside(const lo_page *pg, size_t pno, sbuf *problems)
{
    return scan_outside(pg, pno, problems ? outside_text : NULL, problems);
}

/* Every finished page is checked: a line outside its cell becomes the
 * document's TEXT_OUTSIDE_CELL warning, naming the form (the officer sees
 * it among the unit's warnings), so no form goes out with text over a
 * border unseen. A broken template would say it on every row: the first
 * OUTSIDE_MAX lines of a document are enough to find it. */
#define OUTSIDE_MAX 20

static void outside_warn(void *ctx, const outside_line *o)
{
    L *l = ctx;
    size_t told = 0;
    for (size_t i = 0; i < l->d->diags.n; i++) told += !strcmp(l->d->diags.v[i].code, "TEXT_OUTSIDE_CELL");
    if (told >= OUTSIDE_MAX) return;
    char page[24], row[16], col[16], mm[32], text[128];
    snprintf(page, sizeof page, "%zu", o->page);
    snprintf(row, sizeof row, "%d", o->row);
    snprintf(col, sizeof col, "%d", o->col);
    snprintf(mm, sizeof mm, "%.2f", o->mm);
    snprintf(text, sizeof text, "%.*s", o->len, o->text);
    diag_add(&l->d->diags, DIAG_WARNING, "TEXT_OUTSIDE_CELL", NULL, 0, NULL, 6,
             l->d->title ? l->d->title : "", page, row, col, mm, text);
}

static void check_inside(L *l, const lo_page *pg, size_t pno)
{
    scan_outside(pg, pno, outside_warn, l);
}
