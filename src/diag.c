/* diag — see diag.h. */
#include "diag.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *keep(diag_list *dl, const char *s)
{
    return arena_strdup(&dl->a, s ? s : "-");
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same(const diag *a, const diag *b)
{
    if (strcmp(a->code, b->code) || a->sev != b->sev || a->line != b->line || a->nargs != b->nargs ||
        !same_str(a->file, b->file) || !same_str(a->person, b->person))
        return false;
    for (size_t i = 0; i < a->nargs; i++)
        if (strcmp(a->args[i], b->args[i])) return false;
    return true;
}

/* Lists are short (a unit's layout problems, a template's first error): a
 * linear look for an equal one is cheaper than keeping an index. */
static void push(diag_list *dl, const diag *d)
{
    for (size_t i = 0; i < dl->n; i++)
        if (same(&dl->v[i], d)) return;
    if (dl->n == dl->cap) {
        dl->cap = dl->cap ? 2 * dl->cap : 8;
        dl->v = xrealloc(dl->v, dl->cap * sizeof *dl->v);
    }
    diag *o = &dl->v[dl->n++];
    *o = *d;
    o->file = d->file ? keep(dl, d->file) : NULL;
    o->person = d->person ? keep(dl, d->person) : NULL;
    for (size_t i = 0; i < d->nargs; i++) o->args[i] = keep(dl, d->args[i]);
}

void diag_add(diag_list *dl, diag_sev sev, const char *code, const char *file, int line,
              const char *person, size_t nargs, ...)
{
    assert(nargs <= DIAG_MAX_ARGS);
    diag d = {code, sev, file, line, person, nargs, {0}};
    va_list ap;
    va_start(ap, nargs);
    for (size_t i = 0; i < nargs; i++) {
        const char *s = va_arg(ap, const char *);
        d.args[i] = s ? s : "-";
    }
    va_end(ap);
    push(dl, &d);
}

void diag_copy(diag_list *dl, const diag *d)
{
    push(dl, d);
}

int diag_text_slots(const char *fmt)
{
    int n = 0;
    for (const char *p = fmt; (p = strchr(p, '%')); p += 2) {
        if (p[1] == '%') continue;
        if (p[1] != 's') return -1;
        n++;
    }
    return n;
}

void diag_message(const diag *d, msg_lang lang, sbuf *out)
{
    const char *fmt = msg_fmt(lang, d->code);
    const char *a[DIAG_MAX_ARGS];
    for (size_t i = 0; i < DIAG_MAX_ARGS; i++) a[i] = i < d->nargs ? d->args[i] : "-";
    int slots = fmt == d->code ? -1 : diag_text_slots(fmt);
    if (slots < 0 || (size_t)slots > d->nargs) {
        /* not in the catalog, or a text that takes other arguments (a
         * programming error the tests catch): the arguments as they are */
        sbuf_puts(out, d->code);
        for (size_t i = 0; i < d->nargs; i++) sbuf_printf(out, "%s%s", i ? ", " : ": ", a[i]);
        return;
    }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
    sbuf_printf(out, fmt, a[0], a[1], a[2], a[3], a[4], a[5]);
#pragma GCC diagnostic pop
}

size_t diag_code_len(const char *key)
{
    return strcspn(key, ":");
}

void diag_render(const diag *d, msg_lang lang, sbuf *out)
{
    if (d->file) {
        if (d->line > 0) sbuf_printf(out, "%s:%d: ", d->file, d->line);
        else sbuf_printf(out, "%s: ", d->file);
    }
    diag_message(d, lang, out);
    sbuf_printf(out, " (%.*s)", (int)diag_code_len(d->code), d->code);
}

void diag_render_all(const diag_list *dl, msg_lang lang, sbuf *out)
{
    for (size_t i = 0; i < dl->n; i++) {
        diag_render(&dl->v[i], lang, out);
        sbuf_putc(out, '\n');
    }
}

void diag_list_free(diag_list *dl)
{
    free(dl->v);
    arena_free(&dl->a);
    memset(dl, 0, sizeof *dl);
}
