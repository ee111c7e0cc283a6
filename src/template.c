/* template — see template.h. DOM parsing with libxml2 (templates are small);
 * no DOCTYPE, no network, no entity expansion. */
#include "template.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "rfile.h"

#define TPL_NS "urn:kaohe:form:1"
#define TPL_MAX_FILE (4u << 20)   /* a form template is a few KB: anything this big is not one */

typedef struct pctx {
    const char *name;
    diag_list *dl;
    bool failed;
} pctx;

/* The first error of a template, at line of the file: code is a catalog
 * key (msg.c), the arguments its text's strings. Later ones are dropped:
 * they are mostly the first one's consequences. */
static bool fail_args(pctx *c, int line, const char *code, size_t nargs, const char *a0, const char *a1,
                      const char *a2, const char *a3)
{
    if (c->failed) return false;
    c->failed = true;
    diag_add(c->dl, DIAG_ERROR, code, c->name, line, NULL, nargs, a0, a1, a2, a3);
    return false;
}

static int line_of(xmlNode *n) { return n ? (int)xmlGetLineNo(n) : 0; }

static bool fail(pctx *c, xmlNode *n, const char *code) { return fail_args(c, line_of(n), code, 0, 0, 0, 0, 0); }
static bool fail1(pctx *c, xmlNode *n, const char *code, const char *a)
{
    return fail_args(c, line_of(n), code, 1, a, 0, 0, 0);
}
static bool fail_line(pctx *c, int line, const char *code) { return fail_args(c, line, code, 0, 0, 0, 0, 0); }

static bool is_el(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name) &&
           n->ns && !strcmp((const char *)n->ns->href, TPL_NS);
}

/* attribute value (malloc'd by libxml2) → our copy */
static char *attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static bool parse_num(const char *s, double lo, double hi, double *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ') end++;
    if (errno || *end || !isfinite(v) || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool num_attr(pctx *c, xmlNode *n, const char *name, double lo, double hi, double *out)
{
    char *v = attr(n, name);
    if (!v) return true;
    bool ok = parse_num(v, lo, hi, out);
    if (!ok) {
        char los[32], his[32];
        snprintf(los, sizeof los, "%g", lo);
        snprintf(his, sizeof his, "%g", hi);
        fail_args(c, line_of(n), "TEMPLATE_BAD_NUMBER:range", 4, name, v, los, his);
    }
    free(v);
    return ok;
}

static bool int_attr(pctx *c, xmlNode *n, const char *name, int lo, int hi, int *out)
{
    double d = *out;
    if (!num_attr(c, n, name, lo, hi, &d)) return false;
    if (d != floor(d)) return fail1(c, n, "TEMPLATE_BAD_NUMBER:integer", name);
    *out = (int)d;
    return true;
}

/* ---- bindings ---- */

void tpl_segs_free(tpl_seg *segs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(segs[i].text);
        free(segs[i].arg);
    }
    free(segs);
}

static void seg_push(tpl_seg **v, size_t *n, tpl_seg s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static bool valid_path(const char *p)
{
    if (!*p) return false;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-' || *p == '#'))
            return false;
    return true;
}

bool tpl_parse_text(const char *s, tpl_seg **segs, size_t *nsegs, diag_list *dl, const char *file, int line)
{
    tpl_seg *v = NULL;
    size_t n = 0;
    const char *p = s;
    while (*p) {
        const char *o = strstr(p, "{{");
        if (!o) {
            seg_push(&v, &n, (tpl_seg){false, xstrdup(p), TPL_FMT_NONE, NULL, false});
            break;
        }
        if (o > p) {
            char *lit = xmalloc((size_t)(o - p) + 1);
            memcpy(lit, p, (size_t)(o - p));
            lit[o - p] = 0;
            seg_push(&v, &n, (tpl_seg){false, lit, TPL_FMT_NONE, NULL, false});
        }
        const char *cl = strstr(o + 2, "}}");
        if (!cl) {
            diag_add(dl, DIAG_ERROR, "TEMPLATE_BAD_BINDING:unclosed", file, line, NULL, 1, o);
            goto bad;
        }
        char *inner = trim_dup(o + 2, (size_t)(cl - o - 2));
        char *bar = strchr(inner, '|');
        tpl_seg sg = {true, NULL, TPL_FMT_NONE, NULL, false};
        if (bar) {
            *bar = 0;
            char *fmt = bar + 1;
            char *colon = strchr(fmt, ':');
            if (colon) {
                *colon = 0;
                char *a = colon + 1;
                size_t al = strlen(a);
                if (al >= 2 && a[0] == '\'' && a[al - 1] == '\'') {
                    sg.arg = trim_dup(a + 1, al - 2);
                    sg.arg_literal = true;
                } else {
                    sg.arg = trim_dup(a, al);
                }
            }
            char *f = trim_dup(fmt, strlen(fmt));
            static const struct { const char *n; tpl_fmt f; } fm[] = {
                {"month", TPL_FMT_MONTH}, {"date", TPL_FMT_DATE}, {"percent", TPL_FMT_PERCENT},
                {"number", TPL_FMT_NUMBER}, {"grade", TPL_FMT_GRADE}, {"or", TPL_FMT_OR},
            };
            bool found = false;
            for (size_t i = 0; i < sizeof fm / sizeof fm[0]; i++)
                if (!strcmp(f, fm[i].n)) { sg.fmt = fm[i].f; found = true; }
            if (!found) {
                diag_add(dl, DIAG_ERROR, "TEMPLATE_BAD_FORMATTER:unknown", file, line, NULL, 1, f);
                free(f);
                free(sg.arg);
                free(inner);
                goto bad;
            }
            free(f);
            if ((sg.fmt == TPL_FMT_PERCENT || sg.fmt == TPL_FMT_NUMBER) && sg.arg) {
                double d;
                if (!parse_num(sg.arg, 0, 6, &d) || d != floor(d)) {
                    diag_add(dl, DIAG_ERROR, "TEMPLATE_BAD_FORMATTER:decimals", file, line, NULL, 1,
                             sg.fmt == TPL_FMT_PERCENT ? "percent" : "number");
                    free(sg.arg);
                    free(inner);
                    goto bad;
                }
            }
            if (sg.fmt == TPL_FMT_OR && !sg.arg) sg.arg = xstrdup(""), sg.arg_literal = true;
            if (sg.fmt == TPL_FMT_OR) sg.arg_literal = true;
        }
        sg.text = trim_dup(inner, strlen(inner));
        free(inner);
        if (!valid_path(sg.text)) {
            diag_add(dl, DIAG_ERROR, "TEMPLATE_BAD_BINDING:path", file, line, NULL, 1, sg.text);
            free(sg.text);
            free(sg.arg);
            goto bad;
        }
        if (sg.fmt == TPL_FMT_GRADE && sg.arg && !sg.arg_literal && !valid_path(sg.arg)) {
            diag_add(dl, DIAG_ERROR, "TEMPLATE_BAD_BINDING:path", file, line, NULL, 1, sg.arg);
            free(sg.text);
            free(sg.arg);
            goto bad;
        }
        seg_push(&v, &n, sg);
        p = cl + 2;
    }
    *segs = v;
    *nsegs = n;
    return true;
bad:
    tpl_segs_free(v, n);
    *segs = NULL;
    *nsegs = 0;
    return false;
}

/* ---- styles ---- */

static bool parse_border_word(const char *w, unsigned char *out)
{
    if (!strcmp(w, "none")) *out = TPL_BORDER_NONE;
    else if (!strcmp(w, "thin")) *out = TPL_BORDER_THIN;
    else if (!strcmp(w, "medium")) *out = TPL_BORDER_MEDIUM;
    else if (!strcmp(w, "thick")) *out = TPL_BORDER_THICK;
    else return false;
    return true;
}

/* Read style attributes of n over *st. With size_sets_min, a size below the
 * inherited min-size lowers the min-size with it (a cell that asks for 9 pt
 * under a form style of min-size 10 means 9 pt); without it (page header and
 * footer, whose text never shrinks) the min-size is the size. */
static bool read_style(pctx *c, xmlNode *n, tpl_style *st, bool size_sets_min)
{
    char *v;
    if ((v = attr(n, "font"))) {
        bool ok = font_role_parse(v, &st->font);
        if (!ok) fail1(c, n, "TEMPLATE_BAD_FONT", v);
        free(v);
        if (!ok) return false;
    }
    double old_size = st->size;
    if (!num_attr(c, n, "size", 4, 72, &st->size)) return false;
    if (!size_sets_min) st->min_size = st->size;
    else if (st->size != old_size && st->min_size > st->size) st->min_size = st->size;
    if (!num_attr(c, n, "min-size", 4, 72, &st->min_size)) return false;
    if (st->min_size > st->size) return fail(c, n, "TEMPLATE_BAD_NUMBER:min_size");
    if (!num_attr(c, n, "leading", 1, 3, &st->leading)) return false;
    if (!num_attr(c, n, "padding", 0, 20, &st->pad)) return false;
    if ((v = attr(n, "align"))) {
        if (!strcmp(v, "left")) st->halign = TPL_LEFT;
        else if (!strcmp(v, "center")) st->halign = TPL_CENTER;
        else if (!strcmp(v, "right")) st->halign = TPL_RIGHT;
        else fail1(c, n, "TEMPLATE_BAD_ALIGN:align", v);
        free(v);
        if (c->failed) return false;
    }
    if ((v = attr(n, "valign"))) {
        if (!strcmp(v, "top")) st->valign = TPL_TOP;
        else if (!strcmp(v, "middle")) st->valign = TPL_MIDDLE;
        else if (!strcmp(v, "bottom")) st->valign = TPL_BOTTOM;
        else fail1(c, n, "TEMPLATE_BAD_ALIGN:valign", v);
        free(v);
        if (c->failed) return false;
    }
    if ((v = attr(n, "border"))) {
        /* one word for all sides, or four: top right bottom left */
        unsigned char b[4];
        int nw = 0;
        bool ok = true;
        char *save = NULL;
        for (char *w = strtok_r(v, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
            if (nw >= 4 || !parse_border_word(w, &b[nw])) { ok = false; break; }
            nw++;
        }
        if (ok && nw == 1) b[1] = b[2] = b[3] = b[0];
        else if (ok && nw != 4) ok = false;
        if (ok) memcpy(st->border, b, 4);
        free(v);
        if (!ok) return fail(c, n, "TEMPLATE_BAD_BORDER");
    }
    return true;
}

/* ---- rows ---- */

static void cell_free(tpl_cell *cl)
{
    tpl_segs_free(cl->segs, cl->nsegs);
    free(cl->continue_label);
    free(cl->continue_mark);
    for (size_t i = 0; i < cl->nchoices; i++) free(cl->choices[i]);
    free(cl->choices);
    free(cl->formula);
}

static void rows_free(tpl_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < rows[i].ncells; k++) cell_free(&rows[i].cells[k]);
        free(rows[i].cells);
        free(rows[i].cond);
    }
    free(rows);
}

/* Cell text: element content with <br/> as LF, outer whitespace trimmed. */
static void cell_text(xmlNode *n, sbuf *b)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            sbuf_puts(b, (const char *)k->content);
        } else if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "br")) {
            sbuf_putc(b, '\n');
        }
    }
}

/* A formula's placeholders are {row}, {col}, {first}, {last}; everything
 * else is the spreadsheet's own syntax, checked by the spreadsheet. */
static bool valid_formula(const char *f)
{
    static const char *const tokens[] = {"{row}", "{col}", "{first}", "{last}"};
    if (!*f) return false;
    for (const char *p = strchr(f, '{'); p; p = strchr(p + 1, '{')) {
        bool known = false;
        for (size_t i = 0; i < 4 && !known; i++) known = !strncmp(p, tokens[i], strlen(tokens[i]));
        if (!known) return false;
    }
    return true;
}

static bool parse_row(pctx *c, xmlNode *rn, const tpl_style *defst, tpl_row *row)
{
    memset(row, 0, sizeof *row);
    row->line = (int)xmlGetLineNo(rn);
    char *h = attr(rn, "height");
    if (!h) return fail(c, rn, "TEMPLATE_MISSING:row_height");
    if (!strcmp(h, "auto")) {
        row->autoheight = true;
        row->height = 6;
        free(h);
        if (!num_attr(c, rn, "min-height", 1, 1000, &row->height)) return false;
    } else {
        bool ok = parse_num(h, 1, 1000, &row->height);
        if (!ok) fail1(c, rn, "TEMPLATE_BAD_NUMBER:row_height", h);
        free(h);
        if (!ok) return false;
    }
    char *when = attr(rn, "when"), *unless = attr(rn, "unless");
    if (when && unless) {
        free(when);
        free(unless);
        return fail(c, rn, "TEMPLATE_UNEXPECTED:when_unless");
    }
    char *follows = attr(rn, "follows-text");
    row->follows_text = follows && !strcmp(follows, "true");
    free(follows);
    row->cond = when ? when : unless;
    row->cond_negated = unless != NULL;
    if (row->cond && !*row->cond) return fail(c, rn, "TEMPLATE_MISSING:empty_cond");
    tpl_style rst = *defst;
    if (!read_style(c, rn, &rst, true)) return false;
    for (xmlNode *k = rn->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        if (!is_el(k, "cell")) return fail(c, k, "TEMPLATE_UNEXPECTED:row_child");
        row->cells = xrealloc(row->cells, (row->ncells + 1) * sizeof *row->cells);
        tpl_cell *cl = &row->cells[row->ncells++];
        memset(cl, 0, sizeof *cl);
        cl->colspan = cl->rowspan = 1;
        cl->line = (int)xmlGetLineNo(k);
        cl->st = rst;
        if (!read_style(c, k, &cl->st, true)) return false;
        if (!int_attr(c, k, "colspan", 1, 1000, &cl->colspan)) return false;
        if (!int_attr(c, k, "rowspan", 1, 1000, &cl->rowspan)) return false;
        cl->continue_label = attr(k, "continue-label");
        cl->continue_mark = attr(k, "continue-mark");
        cl->formula = attr(k, "formula");
        if (cl->formula && !valid_formula(cl->formula))
            return fail1(c, k, "TEMPLATE_BAD_FORMULA", cl->formula);
        char *ty = attr(k, "type");
        if (ty) {
            if (!strcmp(ty, "text")) cl->force_text = true;
            else if (strcmp(ty, "auto")) fail1(c, k, "TEMPLATE_BAD_TYPE:cell", ty);
            free(ty);
            if (c->failed) return false;
        }
        char *ch = attr(k, "choices");
        if (ch) {
            char *save = NULL;
            for (char *w = strtok_r(ch, ",，", &save); w; w = strtok_r(NULL, ",，", &save)) {
                char *t = trim_dup(w, strlen(w));
                if (!*t) { free(t); continue; }
                cl->choices = xrealloc(cl->choices, (cl->nchoices + 1) * sizeof *cl->choices);
                cl->choices[cl->nchoices++] = t;
            }
            free(ch);
        }
        sbuf t = {0};
        cell_text(k, &t);
        char *tt = trim_dup(t.data ? t.data : "", t.len);
        sbuf_free(&t);
        bool ok = tpl_parse_text(tt, &cl->segs, &cl->nsegs, c->dl, c->name, line_of(k));
        free(tt);
        if (!ok) c->failed = true;
        if (!ok) return false;
    }
    return true;
}

/* Assign grid columns (HTML-table style, rowspans occupy later rows) and
 * check that every row is covered exactly by the grid. */
static bool place_rows(pctx *c, xmlNode *where, tpl_row *rows, size_t nrows, size_t ncols)
{
    (void)where;
    int *busy = xcalloc(ncols, sizeof *busy);   /* rows still occupied below */
    bool ok = true;
    for (size_t r = 0; r < nrows && ok; r++) {
        size_t col = 0;
        for (size_t j = 0; j < ncols && rows[r].cond; j++)
            if (busy[j] > 0) {
                ok = fail_line(c, rows[r].line, "TEMPLATE_GRID:cond_first");
                break;
            }
        for (size_t k = 0; k < rows[r].ncells && ok; k++) {
            tpl_cell *cl = &rows[r].cells[k];
            while (col < ncols && busy[col] > 0) col++;
            if (col + (size_t)cl->colspan > ncols) {
                {
                    char nb[32];
                    snprintf(nb, sizeof nb, "%zu", ncols);
                    ok = fail_args(c, rows[r].line, "TEMPLATE_GRID:too_wide", 1, nb, 0, 0, 0);
                }
                break;
            }
            if (r + (size_t)cl->rowspan > nrows) {
                ok = fail_line(c, rows[r].line, "TEMPLATE_GRID:rowspan");
                break;
            }
            for (size_t j = col; j < col + (size_t)cl->colspan; j++) {
                if (busy[j] > 0) { ok = fail_line(c, rows[r].line, "TEMPLATE_GRID:overlap"); break; }
                busy[j] = cl->rowspan;
            }
            if (!ok) break;
            cl->col = (int)col;
            col += (size_t)cl->colspan;
        }
        if (!ok) break;
        for (size_t j = 0; j < ncols; j++) {
            if (busy[j] <= 0) {
                {
                    char nb[32];
                    snprintf(nb, sizeof nb, "%zu", j + 1);
                    ok = fail_args(c, rows[r].line, "TEMPLATE_GRID:uncovered", 1, nb, 0, 0, 0);
                }
                break;
            }
        }
        for (size_t j = 0; j < ncols; j++) busy[j]--;
    }
    free(busy);
    return ok;
}

static bool parse_rows_into(pctx *c, xmlNode *parent, const tpl_style *st, tpl_row **rows,
                            size_t *nrows)
{
    for (xmlNode *k = parent->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        if (!is_el(k, "row")) return fail(c, k, "TEMPLATE_UNEXPECTED:rows_only");
        *rows = xrealloc(*rows, (*nrows + 1) * sizeof **rows);
        (*nrows)++;
        if (!parse_row(c, k, st, &(*rows)[*nrows - 1])) return false;
        if ((*rows)[*nrows - 1].cond)
            return fail(c, k, "TEMPLATE_UNEXPECTED:list_cond");
    }
    return true;
}

static bool parse_hf(pctx *c, xmlNode *n, const tpl_style *st, tpl_hf *hf)
{
    tpl_style s = *st;
    s.size = 9;
    if (!read_style(c, n, &s, false)) return false;
    hf->font = s.font;
    hf->size = s.size;
    static const char *const names[3] = {"left", "center", "right"};
    for (int i = 0; i < 3; i++) {
        char *v = attr(n, names[i]);
        if (!v) continue;
        bool ok = tpl_parse_text(v, &hf->part[i], &hf->npart[i], c->dl, c->name, line_of(n));
        free(v);
        if (!ok) c->failed = true;
        if (!ok) return false;
    }
    return true;
}

static void chart_free(tpl_chart *ch)
{
    if (!ch) return;
    tpl_segs_free(ch->title, ch->ntitle);
    free(ch->sheet);
    free(ch->source);
    free(ch->cat_field);
    free(ch->cat_col);
    for (size_t i = 0; i < ch->nseries; i++) {
        free(ch->series[i].name);
        free(ch->series[i].field);
        free(ch->series[i].col);
    }
    free(ch->series);
    free(ch);
}

static void block_free(tpl_block *b)
{
    rows_free(b->rows, b->nrows);
    free(b->source);
    free(b->empty);
    chart_free(b->chart);
}

/* Spreadsheet column letters, A..XFD. */
static bool valid_col(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 3) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z') return false;
    return true;
}

/* <chart title sheet source type="column|line" per-page percent>
 * <category field col/> <series name field col/>… </chart>, after the list
 * whose rows it plots. */
static bool parse_chart(pctx *c, xmlNode *k, const tpl_form *t, tpl_chart *ch)
{
    char *title = attr(k, "title");
    bool title_ok = tpl_parse_text(title ? title : "", &ch->title, &ch->ntitle, c->dl, c->name, line_of(k));
    free(title);
    if (!title_ok) c->failed = true;
    if (!title_ok) return false;
    ch->sheet = attr(k, "sheet");
    ch->source = attr(k, "source");
    ch->per_page = 30;
    if (!int_attr(c, k, "per-page", 1, 200, &ch->per_page)) return false;
    char *pc = attr(k, "percent");
    ch->percent = pc && !strcmp(pc, "true");
    free(pc);
    char *type = attr(k, "type");
    bool type_ok = !type || !strcmp(type, "column") || !strcmp(type, "line");
    ch->line = type && !strcmp(type, "line");
    free(type);
    if (!type_ok) return fail(c, k, "TEMPLATE_BAD_TYPE:chart");
    if (!ch->sheet) ch->sheet = xstrdup("Chart1");
    bool have_list = false;
    for (size_t i = 0; ch->source && i < t->nblocks; i++)
        have_list |= t->blocks[i].kind == TPL_BLOCK_LIST && !strcmp(t->blocks[i].source, ch->source);
    if (!have_list) return fail(c, k, "TEMPLATE_MISSING:chart_source");
    for (xmlNode *q = k->children; q; q = q->next) {
        if (q->type != XML_ELEMENT_NODE) continue;
        char *field = attr(q, "field"), *col = attr(q, "col");
        bool ok = field && valid_path(field) && valid_col(col);
        if (ok && is_el(q, "category") && !ch->cat_field) {
            ch->cat_field = field;
            ch->cat_col = col;
            continue;
        }
        if (ok && is_el(q, "series")) {
            ch->series = xrealloc(ch->series, (ch->nseries + 1) * sizeof *ch->series);
            tpl_series *s = &ch->series[ch->nseries++];
            s->field = field;
            s->col = col;
            s->name = attr(q, "name");
            if (!s->name) s->name = xstrdup(field);
            continue;
        }
        free(field);
        free(col);
        return fail(c, q, "TEMPLATE_UNEXPECTED:chart_child");
    }
    if (!ch->cat_field || !ch->nseries) return fail(c, k, "TEMPLATE_MISSING:chart_parts");
    return true;
}

void tpl_free(tpl_form *t)
{
    if (!t) return;
    free(t->name);
    free(t->title);
    free(t->sheet);
    free(t->col_w);
    for (size_t i = 0; i < t->nblocks; i++) block_free(&t->blocks[i]);
    free(t->blocks);
    tpl_hf *hfs[2] = {&t->header, &t->footer};
    for (int h = 0; h < 2; h++)
        for (int i = 0; i < 3; i++) tpl_segs_free(hfs[h]->part[i], hfs[h]->npart[i]);
    free(t);
}

static tpl_block *new_block(tpl_form *t, tpl_block_kind k)
{
    t->blocks = xrealloc(t->blocks, (t->nblocks + 1) * sizeof *t->blocks);
    tpl_block *b = &t->blocks[t->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = k;
    return b;
}

static bool parse_form(pctx *c, xmlNode *root, tpl_form *t)
{
    if (!is_el(root, "form")) return fail1(c, root, "TEMPLATE_ROOT", "{" TPL_NS "}form");
    t->name = attr(root, "name");
    t->title = attr(root, "title");
    t->sheet = attr(root, "sheet");
    if (!t->name) return fail(c, root, "TEMPLATE_MISSING:form_name");
    if (!t->title) t->title = xstrdup(t->name);
    if (!t->sheet) t->sheet = xstrdup("Sheet1");
    char *paper = attr(root, "paper");
    double w = 210, h = 297;
    t->paper = 9;
    if (paper) {
        if (!strcmp(paper, "A3")) { w = 297; h = 420; t->paper = 8; }
        else if (strcmp(paper, "A4")) fail1(c, root, "TEMPLATE_PAPER:paper", paper);
        free(paper);
        if (c->failed) return false;
    }
    char *ori = attr(root, "orientation");
    if (ori) {
        if (!strcmp(ori, "landscape")) t->landscape = true;
        else if (strcmp(ori, "portrait")) fail(c, root, "TEMPLATE_PAPER:orientation");
        free(ori);
        if (c->failed) return false;
    }
    t->page_w = t->landscape ? h : w;
    t->page_h = t->landscape ? w : h;
    for (int i = 0; i < 4; i++) t->margin[i] = 15;
    char *m = attr(root, "margins");
    if (m) {
        double v[4];
        int nv = 0;
        char *save = NULL;
        bool ok = true;
        for (char *wd = strtok_r(m, " \t", &save); wd; wd = strtok_r(NULL, " \t", &save)) {
            if (nv >= 4 || !parse_num(wd, 0, 100, &v[nv])) { ok = false; break; }
            nv++;
        }
        free(m);
        if (!ok || (nv != 1 && nv != 4))
            return fail(c, root, "TEMPLATE_BAD_NUMBER:margins");
        for (int i = 0; i < 4; i++) t->margin[i] = nv == 1 ? v[0] : v[i];
    }
    char *duplex = attr(root, "duplex");
    if (duplex) {
        t->duplex_pad = !strcmp(duplex, "per-person");
        t->duplex_mirror = t->duplex_pad || !strcmp(duplex, "mirror");
        if (!t->duplex_mirror) fail1(c, root, "TEMPLATE_PAPER:duplex", duplex);
        free(duplex);
        if (c->failed) return false;
    }
    t->header_margin = t->margin[TPL_SIDE_TOP] / 2;
    t->footer_margin = t->margin[TPL_SIDE_BOTTOM] / 2;
    if (!num_attr(c, root, "header-margin", 0, 100, &t->header_margin)) return false;
    if (!num_attr(c, root, "footer-margin", 0, 100, &t->footer_margin)) return false;
    if (t->margin[1] + t->margin[3] >= t->page_w - 20 || t->margin[0] + t->margin[2] >= t->page_h - 20)
        return fail(c, root, "TEMPLATE_PAPER:margins");

    tpl_style st = {FONT_SONG, 11, 11, 1.25, 1.0, TPL_CENTER, TPL_MIDDLE,
                    {TPL_BORDER_THIN, TPL_BORDER_THIN, TPL_BORDER_THIN, TPL_BORDER_THIN}};
    t->header.font = t->footer.font = FONT_SONG;
    t->header.size = t->footer.size = 9;
    bool have_cols = false;
    for (xmlNode *k = root->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        if (is_el(k, "style")) {
            if (!read_style(c, k, &st, true)) return false;
        } else if (is_el(k, "header")) {
            if (!parse_hf(c, k, &st, &t->header)) return false;
        } else if (is_el(k, "footer")) {
            if (!parse_hf(c, k, &st, &t->footer)) return false;
        } else if (is_el(k, "columns")) {
            xmlChar *txt = xmlNodeGetContent(k);
            char *s = xstrdup((const char *)txt);
            xmlFree(txt);
            char *save = NULL;
            bool ok = true;
            for (char *wd = strtok_r(s, " \t\r\n", &save); wd; wd = strtok_r(NULL, " \t\r\n", &save)) {
                double v;
                if (!parse_num(wd, 1, 1000, &v)) { ok = false; break; }
                t->col_w = xrealloc(t->col_w, (t->ncols + 1) * sizeof *t->col_w);
                t->col_w[t->ncols++] = v;
            }
            free(s);
            if (!ok || !t->ncols) return fail(c, k, "TEMPLATE_BAD_NUMBER:columns");
            double sum = 0;
            for (size_t i = 0; i < t->ncols; i++) sum += t->col_w[i];
            double avail = t->page_w - t->margin[1] - t->margin[3];
            if (sum > avail + 0.01) {
                char sb[32], ab[32];
                snprintf(sb, sizeof sb, "%.1f", sum);
                snprintf(ab, sizeof ab, "%.1f", avail);
                return fail_args(c, line_of(k), "TEMPLATE_GRID:columns_wide", 2, sb, ab, 0, 0);
            }
            have_cols = true;
        } else if (is_el(k, "row")) {
            if (!have_cols) return fail(c, k, "TEMPLATE_GRID:row_before_columns");
            tpl_block *b = t->nblocks && t->blocks[t->nblocks - 1].kind == TPL_BLOCK_ROWS
                               ? &t->blocks[t->nblocks - 1]
                               : new_block(t, TPL_BLOCK_ROWS);
            b->rows = xrealloc(b->rows, (b->nrows + 1) * sizeof *b->rows);
            b->nrows++;
            if (!parse_row(c, k, &st, &b->rows[b->nrows - 1])) return false;
        } else if (is_el(k, "page-break")) {
            new_block(t, TPL_BLOCK_BREAK);
        } else if (is_el(k, "chart")) {
            tpl_block *b = new_block(t, TPL_BLOCK_CHART);
            b->chart = xcalloc(1, sizeof *b->chart);
            if (!parse_chart(c, k, t, b->chart)) return false;
        } else if (is_el(k, "list")) {
            if (!have_cols) return fail(c, k, "TEMPLATE_GRID:list_before_columns");
            tpl_block *b = new_block(t, TPL_BLOCK_LIST);
            b->source = attr(k, "source");
            b->empty = attr(k, "empty");
            if (!b->source || !valid_path(b->source)) return fail(c, k, "TEMPLATE_MISSING:list_source");
            tpl_style lst = st;
            if (!read_style(c, k, &lst, true)) return false;
            xmlNode *head = NULL, *item = NULL;
            for (xmlNode *q = k->children; q; q = q->next) {
                if (q->type != XML_ELEMENT_NODE) continue;
                if (is_el(q, "head") && !head) head = q;
                else if (is_el(q, "item") && !item) item = q;
                else return fail(c, q, "TEMPLATE_UNEXPECTED:list_child");
            }
            if (!item) return fail(c, k, "TEMPLATE_MISSING:list_item");
            if (head) {
                if (!parse_rows_into(c, head, &lst, &b->rows, &b->nrows)) return false;
                b->nhead = b->nrows;
                if (!place_rows(c, head, b->rows, b->nhead, t->ncols)) return false;
            }
            size_t before = b->nrows;
            if (!parse_rows_into(c, item, &lst, &b->rows, &b->nrows)) return false;
            if (b->nrows == before) return fail(c, item, "TEMPLATE_MISSING:item_rows");
            if (!place_rows(c, item, b->rows + before, b->nrows - before, t->ncols)) return false;
        } else {
            return fail1(c, k, "TEMPLATE_UNEXPECTED:element", (const char *)k->name);
        }
    }
    if (!have_cols) return fail(c, root, "TEMPLATE_MISSING:columns");
    for (size_t i = 0; i < t->nblocks; i++)
        if (t->blocks[i].kind == TPL_BLOCK_ROWS &&
            !place_rows(c, root, t->blocks[i].rows, t->blocks[i].nrows, t->ncols))
            return false;
    return true;
}

tpl_form *tpl_parse(const char *xml, size_t len, const char *name, diag_list *dl)
{
    pctx c = {name, dl, false};
    xmlDoc *doc = xmlReadMemory(xml, (int)len, name, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR |
                                XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        sbuf m = {0};
        sbuf_puts(&m, e && e->message ? e->message : "");
        while (m.len && m.data[m.len - 1] == '\n') m.data[--m.len] = 0;
        diag_add(dl, DIAG_ERROR, "TEMPLATE_XML", name, e ? e->line : 0, NULL, 1, m.data);
        sbuf_free(&m);
        return NULL;
    }
    if (doc->intSubset || doc->extSubset) {
        diag_add(dl, DIAG_ERROR, "TEMPLATE_DOCTYPE", name, 0, NULL, 0);
        xmlFreeDoc(doc);
        return NULL;
    }
    tpl_form *t = xcalloc(1, sizeof *t);
    bool ok = parse_form(&c, xmlDocGetRootElement(doc), t);
    xmlFreeDoc(doc);
    if (!ok) {
        tpl_free(t);
        return NULL;
    }
    return t;
}

tpl_form *tpl_load(const char *path, diag_list *dl)
{
    sbuf b = {0};
    int e = rfile_read(&b, path, TPL_MAX_FILE);
    if (e) {
        diag_add(dl, DIAG_ERROR, "TEMPLATE_UNREADABLE", path, 0, NULL, 1, rfile_strerror(e));
        sbuf_free(&b);
        return NULL;
    }
    tpl_form *t = tpl_parse(b.data ? b.data : "", b.len, path, dl);
    sbuf_free(&b);
    return t;
}
