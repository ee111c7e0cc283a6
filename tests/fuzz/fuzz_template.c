/* libFuzzer target: the form template parser (src/template.h). Any bytes
 * either parse into a tpl_form or give a message; a form that parses is laid
 * out (src/layout.h) with the default fonts over a small data source, the way
 * every form of a run is. The bytes also go to tpl_parse_text, the parser of
 * cell text with {{bindings|formatters}}. Run from the repository root. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "font.h"
#include "layout.h"
#include "template.h"

static font_set *fs;
static kv_map *kv;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xmlInitParser();
    sbuf err = { 0 };
    fs = font_set_open(NULL, &err);
    if (!fs) {
        fprintf(stderr, "fuzz_template: fonts: %s\n", err.data ? err.data : "?");
        exit(1);
    }
    sbuf_free(&err);
    kv = kv_new();
    kv_set(kv, "unit.name", "某市财政局（=1+2）");
    kv_set(kv, "unit.id", "U001");
    kv_set(kv, "person.name", "张三");
    kv_set(kv, "person.summary", "个人总结：认真履行岗位职责，遵守纪律。「注意」《法》，（括号）……");
    kv_set(kv, "date", "2025-12-29");
    kv_set(kv, "month", "2025-12");
    kv_set(kv, "ratio", "0.2");
    kv_set(kv, "score", "92.5");
    kv_set(kv, "grade", "excellent");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_list err = { 0 };
    tpl_form *t = tpl_parse((const char *)data, size, "fuzz.xml", &err);
    if (t) {
        layout_source src = kv_source(kv);
        sbuf e = { 0 };
        lo_doc *d = layout_run(t, &src, fs, &e);
        if (d) lo_doc_free(d);
        sbuf_free(&e);
        tpl_free(t);
    }
    diag_list_free(&err);

    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    tpl_seg *segs = NULL;
    size_t n = 0;
    diag_list e2 = { 0 };
    if (tpl_parse_text(s, &segs, &n, &e2, "fuzz.xml", 1)) tpl_segs_free(segs, n);
    diag_list_free(&e2);
    free(s);
    return 0;
}
