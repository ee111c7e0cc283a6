/* form_fixture — shared test data for the form engine tests: the demo
 * template's data as a key/value source, and helpers to run tools. */
#ifndef KAOHE_FORM_FIXTURE_H
#define KAOHE_FORM_FIXTURE_H

#include <stddef.h>
#include "font.h"
#include "layout.h"

/* Demo data: a unit, one person with a summary of about `summary_chars`
 * characters, and `npersons` roster rows. */
kv_map *fixture_demo_data(size_t npersons, size_t summary_chars);

/* The run's summary (templates/forms/summary.xml) over nunits units; unit
 * 3's issues are a text of about long_issues characters (0: none), so its
 * row is as tall as a page and continues on a 续页. */
kv_map *fixture_summary_data(size_t nunits, size_t long_issues);

/* A long Chinese text of about n characters (punctuation, Latin words and
 * numbers mixed in), malloc'd. */
char *fixture_long_text(size_t n);

/* Run a shell command, capture stdout (malloc'd, NUL-terminated) and the
 * exit status; stderr goes to *err_out when not NULL. */
char *fixture_run(const char *cmd, int *status, char **err_out);

/* A new private temp directory (malloc'd path). */
char *fixture_tmpdir(void);
/* Remove a directory made by fixture_tmpdir and its files. */
void fixture_rmdir(const char *dir);

/* Remove all whitespace (ASCII and U+3000) from s in place; returns s. */
char *fixture_squeeze(char *s);

/* A writer test's state: the default fonts and a private temp directory,
 * opened by wfx_open (a test's .init; asserts) and released by wfx_close. */
typedef struct writer_fixture {
    font_set *fs;
    char *dir;
} writer_fixture;

void wfx_open(writer_fixture *w);
void wfx_close(writer_fixture *w);
/* dir/name (malloc'd). */
char *wfx_path(const writer_fixture *w, const char *name);

/* A template over a source laid out page by page, as often as a writer
 * asks (the ctx of an lo_pager whose run is kv_pager_run); runs counts
 * the layouts. */
typedef struct kv_pager {
    const tpl_form *t;
    layout_source src;
    const font_set *fs;
    int runs;
} kv_pager;

lo_doc *kv_pager_run(void *ctx, const lo_sink *sink, sbuf *err);

#endif
