/* diag — a finding or an error on its way to the officer, kept as data
 * until it is shown: a stable code of the message catalog, a severity,
 * where it is (a file and line of a template or input, the person it
 * concerns) and the catalog text's arguments. Rendered in zh or en by
 * diag_render; lists travel from template and layout through forms to
 * batch, which files them as the unit's findings. */
#ifndef KAOHE_DIAG_H
#define KAOHE_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "msg.h"
#include "util.h"

typedef enum { DIAG_ERROR, DIAG_WARNING } diag_sev;

enum { DIAG_MAX_ARGS = 6 };

typedef struct diag {
    const char *code;                  /* static: a key of the catalog (msg.c), "CODE" or "CODE:variant" */
    diag_sev sev;
    const char *file;                  /* the template or input it is in, or NULL */
    int line;                          /* 1-based line in file, 0: none */
    const char *person;                /* id of the person it concerns, or NULL */
    size_t nargs;
    const char *args[DIAG_MAX_ARGS];   /* the catalog text's %s, in order */
} diag;

/* Diagnostics in the order added, each once (an equal one is not added
 * again); owns the strings. */
typedef struct diag_list {
    diag *v;
    size_t n, cap;
    arena a;
} diag_list;

/* The stable code of a catalog key: the part before ':' ("TEMPLATE_GRID"
 * of "TEMPLATE_GRID:overlap"; a variant only picks the text), as its
 * length in key. */
size_t diag_code_len(const char *key);

/* Add one. The code must be a string literal (kept, not copied); file,
 * person and the nargs (<= DIAG_MAX_ARGS) string arguments are copied;
 * a NULL argument reads "-". */
void diag_add(diag_list *dl, diag_sev sev, const char *code, const char *file, int line,
              const char *person, size_t nargs, ...);

/* Add a copy of d (from another list). */
void diag_copy(diag_list *dl, const diag *d);

/* The text of d in lang, "file:line: " first when it has a file, the code
 * in parentheses last: "forms/notice.xml:12: 未知字体 "x" (TEMPLATE_BAD_FONT)". */
void diag_render(const diag *d, msg_lang lang, sbuf *out);

/* The catalog text alone, without location and code (a finding's message). */
void diag_message(const diag *d, msg_lang lang, sbuf *out);

/* The number of %s of a catalog text when they are its only conversions
 * (%% aside), else -1: only such a text can take a diag's arguments. */
int diag_text_slots(const char *fmt);

/* Every diagnostic of dl rendered, one a line. */
void diag_render_all(const diag_list *dl, msg_lang lang, sbuf *out);

void diag_list_free(diag_list *dl);

#endif
