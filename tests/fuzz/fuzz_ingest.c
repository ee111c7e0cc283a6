/* libFuzzer target: the XML ingest (src/ingest.h). Each input is written to
 * a private temp file and goes the way of an input file of a run: pass 1
 * (DOCTYPE guard, well-formedness, XSD validation), and when valid pass 2
 * (one <unit> at a time) with the rules and results.xml of the national
 * policy on every unit. The same bytes also go to ingest_unit_from_string
 * (no schema: conversion of any <unit> element must not crash either).
 * Run from the repository root (templates/), or set KAOHE_TEMPLATES. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>

#include "calendar.h"
#include "date.h"
#include "ingest.h"
#include "policy.h"
#include "results.h"
#include "rules.h"

static ingest_schema *schema;
static policy *pol;
static calendar *cal;
static char path[64];
static int fd = -1;

static void cleanup(void)
{
    if (path[0]) unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *t = getenv("KAOHE_TEMPLATES");
    if (!t) t = "templates";
    char p[4096], err[1024];
    xmlInitParser();
    snprintf(p, sizeof p, "%s/appraisal.xsd", t);
    schema = ingest_schema_load(p, err, sizeof err);
    snprintf(p, sizeof p, "%s/policies", t);
    pol = policy_load("national", p, err, sizeof err);
    snprintf(p, sizeof p, "%s/calendars", t);
    cal = calendar_load_dir(p, err, sizeof err);
    if (!schema || !pol || !cal) {
        fprintf(stderr, "fuzz_ingest: cannot load %s: %s\n", t, err);
        exit(1);
    }
    snprintf(path, sizeof path, "/tmp/hostile-fuzz-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    atexit(cleanup);
    return 0;
}

static int on_unit(unit *u, void *arg)
{
    (void)arg;
    rules_env env = { pol, cal, LANG_ZH, date_from_epoch(1766966400) };
    rules_compute_unit(u, &env);
    sbuf x = { 0 }, f = { 0 };
    results_unit_xml(&x, u, pol);
    results_unit_findings(&f, u, LANG_ZH);
    sbuf_free(&x);
    sbuf_free(&f);
    model_unit_free(u);
    free(u);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) abort();
    sbuf err = { 0 };
    if (ingest_validate(path, schema, LANG_ZH, &err) == 0) {
        file_header hdr;
        sbuf_clear(&err);
        ingest_read(path, &hdr, on_unit, NULL, LANG_ZH, &err);
        ingest_header_free(&hdr);
    }
    sbuf_free(&err);

    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    file_header hdr = { .path = "fuzz.xml", .year = 2025, .policy = "national" };
    unit *u = ingest_unit_from_string(s, &hdr);
    if (u) {
        model_unit_free(u);
        free(u);
    }
    free(s);
    return 0;
}
