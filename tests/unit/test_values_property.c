/* Values read as the schema means them (SPEC 3.4a, issue 22), as a property:
 * every seeded input, written once plainly and once with every typed
 * attribute respelled in another valid lexical form (blanks, +, leading
 * zeros, .5, 1/true), must give byte-identical results.xml and findings.txt
 * through the real run (validation, reading, ids, assessments, rules,
 * results) in this process. KAOHE_VALUE_CASES and KAOHE_VALUE_SEED choose
 * how many cases and which (`make fuzz-values` runs thousands). */
#define _XOPEN_SOURCE 700   /* nftw */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "rfile.h"
#include "sample.h"
#include "value.h"
#include "valuegen.h"
#include <libxml/parser.h>
#include <libxml/tree.h>

#define RUN_EPOCH 1766966400LL   /* the run date of `make run` */
#define DEFAULT_CASES 320
#define DEFAULT_SEED 22
/* the cases run as this many tests, so `--jobs 2` shares them out */
#define SLICES 4

static long env_long(const char *name, long dflt)
{
    const char *s = getenv(name);
    char *end;
    long v = s && *s ? strtol(s, &end, 10) : dflt;
    return s && *s && *end == '\0' && v >= 0 ? v : dflt;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A private directory on tmpfs when there is one: every run ends with a
 * syncfs of its output, cheap there and slow on a busy disk. */
static char *work_dir(void)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    sbuf p = { 0 };
    sbuf_printf(&p, "%s/kaohe-values-XXXXXX", base);
    cr_assert(mkdtemp(p.data), "mkdtemp %s", p.data);
    return p.data;
}

static void write_file(const char *path, const sbuf *b)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "%s", path);
    cr_assert_eq(fwrite(b->data, 1, b->len, f), b->len);
    cr_assert_eq(fclose(f), 0);
}

static const char *str(const sbuf *b)
{
    return b->data ? b->data : "";
}

typedef struct run_out {
    int status;
    sbuf results, findings, messages;
} run_out;

static void run_out_free(run_out *o)
{
    sbuf_free(&o->results);
    sbuf_free(&o->findings);
    sbuf_free(&o->messages);
}

/* `kaohe build --formats none`, in process: results.xml and findings.txt of
 * the input's one year. */
static void build(const char *input, const char *out_dir, run_out *o)
{
    memset(o, 0, sizeof *o);
    char *msg = NULL;
    size_t mlen = 0;
    FILE *err = open_memstream(&msg, &mlen);
    cr_assert(err);
    batch_opts opts = {
        .command = BATCH_BUILD, .output_dir = out_dir, .templates_dir = "../templates",
        .want_pdf = false, .want_xlsx = false, .quiet = true, .progress = BATCH_PROGRESS_NEVER,
        .jobs = 1, .lang = LANG_EN, .run_epoch = RUN_EPOCH, .out = err, .err = err,
    };
    char *files[] = { (char *)input };
    o->status = batch_run(&opts, files, 1);
    fclose(err);
    sbuf_puts(&o->messages, msg ? msg : "");
    free(msg);
    DIR *d = opendir(out_dir);
    int years = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        years++;
        sbuf p = { 0 };
        sbuf_printf(&p, "%s/%s/results.xml", out_dir, e->d_name);
        cr_assert_eq(rfile_read(&o->results, p.data, 1 << 26), 0, "%s", p.data);
        sbuf_clear(&p);
        sbuf_printf(&p, "%s/%s/findings.txt", out_dir, e->d_name);
        cr_assert_eq(rfile_read(&o->findings, p.data, 1 << 26), 0, "%s", p.data);
        sbuf_free(&p);
    }
    if (d) closedir(d);
    cr_assert_eq(years, 1, "%s: %d years written (status %d): %s", input, years, o->status, str(&o->messages));
}

/* The first line where a and b differ, for the failure message. */
static void first_difference(const char *a, const char *b, sbuf *out)
{
    int line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++;
        b++;
    }
    sbuf_printf(out, "line %d:\n  plain:     %.*s\n  respelled: %.*s", line, (int)strcspn(la, "\n"), la,
                (int)strcspn(lb, "\n"), lb);
}

static void plain_input(uint64_t seed, sbuf *b)
{
    if (seed % 5 != 4) {
        vg_input(seed, b);
        return;
    }
    /* one case in five: a small sample of `kaohe sample`, realistic data */
    static const char *const presets[] = { "national", "jiaozuo-2007", "zhangzhou", "quannan-2011", "lvzhi",
                                           "baoshan-2022" };
    sample_opts so = { .units = 1 + (long)(seed / 5 % 3), .persons = (long)(seed / 17 % 30), .seed = seed,
                       .year = seed / 7 % 2 ? 2025 : 2026, .policy = presets[seed / 11 % 6] };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert(f);
    cr_assert_eq(sample_write(f, &so), 0);
    fclose(f);
    sbuf_add(b, text, len);
    free(text);
}

typedef struct tally {
    long cases, respelled, unit_errors;
} tally;

static void one_case(const vg_types *t, uint64_t seed, const char *dir, tally *tl)
{
    sbuf plain = { 0 }, spelled = { 0 }, input = { 0 }, out_a = { 0 }, out_b = { 0 };
    plain_input(seed, &plain);
    int changed = vg_respell(t, plain.data, seed ^ 0x5DEECE66DULL, &spelled);
    cr_assert_geq(changed, 0, "case %llu: the generated input does not parse", (unsigned long long)seed);
    sbuf_printf(&input, "%s/input.xml", dir);
    sbuf_printf(&out_a, "%s/plain", dir);
    sbuf_printf(&out_b, "%s/respelled", dir);
    run_out a, b;
    write_file(input.data, &plain);
    build(input.data, out_a.data, &a);
    write_file(input.data, &spelled);
    build(input.data, out_b.data, &b);
    bool same = a.status == b.status && !strcmp(str(&a.results), str(&b.results)) &&
                !strcmp(str(&a.findings), str(&b.findings));
    if (!same) {
        /* keep both inputs for the report */
        sbuf pa = { 0 }, pb = { 0 }, diff = { 0 };
        sbuf_printf(&pa, "%s/case-%llu-plain.xml", dir, (unsigned long long)seed);
        sbuf_printf(&pb, "%s/case-%llu-respelled.xml", dir, (unsigned long long)seed);
        write_file(pa.data, &plain);
        write_file(pb.data, &spelled);
        if (strcmp(str(&a.results), str(&b.results))) first_difference(str(&a.results), str(&b.results), &diff);
        else first_difference(str(&a.findings), str(&b.findings), &diff);
        cr_assert_fail("case %llu (status %d vs %d): results differ at %s\ninputs: %s %s",
                       (unsigned long long)seed, a.status, b.status, diff.data, pa.data, pb.data);
    }
    /* both spellings must be valid: an invalid one would prove nothing */
    cr_assert_neq(a.status, EXIT_INPUT, "case %llu: the plain input is refused: %s", (unsigned long long)seed,
                  str(&a.messages));
    cr_assert_neq(b.status, EXIT_INPUT, "case %llu: the respelled input is refused: %s", (unsigned long long)seed,
                  str(&b.messages));
    tl->cases++;
    tl->respelled += changed;
    tl->unit_errors += a.status == EXIT_UNIT_ERRORS;
    rm_tree(out_a.data);
    rm_tree(out_b.data);
    run_out_free(&a);
    run_out_free(&b);
    sbuf_free(&plain);
    sbuf_free(&spelled);
    sbuf_free(&input);
    sbuf_free(&out_a);
    sbuf_free(&out_b);
}

static void run_slice(int slice)
{
    long cases = env_long("KAOHE_VALUE_CASES", getenv("KAOHE_TEST_SLOW") ? 8 : DEFAULT_CASES);
    uint64_t base = (uint64_t)env_long("KAOHE_VALUE_SEED", DEFAULT_SEED);
    char err[256];
    vg_types *t = vg_types_load("../templates/appraisal.xsd", err, sizeof err);
    cr_assert(t, "%s", err);
    char *dir = work_dir();
    tally tl = { 0 };
    for (long i = slice; i < cases; i += SLICES) {
        uint64_t s = base * 1000003ULL + (uint64_t)i;
        one_case(t, vg_next(&s), dir, &tl);
    }
    cr_log_info("values slice %d: %ld cases, %ld attributes respelled, %ld with unit errors", slice, tl.cases,
                tl.respelled, tl.unit_errors);
    /* the property says little unless values were respelled in earnest */
    if (tl.cases >= 10) cr_assert_gt(tl.respelled, tl.cases * 5, "respelled only %ld", tl.respelled);
    rm_tree(dir);
    free(dir);
    vg_types_free(t);
}

Test(values_property, respelled_inputs_give_identical_results_0) { run_slice(0); }
Test(values_property, respelled_inputs_give_identical_results_1) { run_slice(1); }
Test(values_property, respelled_inputs_give_identical_results_2) { run_slice(2); }
Test(values_property, respelled_inputs_give_identical_results_3) { run_slice(3); }

/* The respeller reads the types from the XSD: the ones the issue names. */
Test(values_property, respeller_reads_the_schema_s_types)
{
    char err[256];
    vg_types *t = vg_types_load("../templates/appraisal.xsd", err, sizeof err);
    cr_assert(t, "%s", err);
    cr_assert_eq(vg_types_kind(t, "person", "category"), VG_BLANKS);
    cr_assert_eq(vg_types_kind(t, "person", "gender"), VG_BLANKS);
    cr_assert_eq(vg_types_kind(t, "person", "birth"), VG_BLANKS);
    cr_assert_eq(vg_types_kind(t, "status", "refused"), VG_BOOLEAN);
    cr_assert_eq(vg_types_kind(t, "status", "sanctionYear"), VG_INTEGER);   /* a union: year or "" */
    cr_assert_eq(vg_types_kind(t, "quota", "approvedRatio"), VG_DECIMAL);
    cr_assert_eq(vg_types_kind(t, "item", "points"), VG_DECIMAL);
    cr_assert_eq(vg_types_kind(t, "item", "count"), VG_INTEGER);
    cr_assert_eq(vg_types_kind(t, "unit", "series"), VG_INTEGER);
    cr_assert_eq(vg_types_kind(t, "appraisal", "year"), VG_INTEGER);
    cr_assert_eq(vg_types_kind(t, "year", "value"), VG_INTEGER);
    cr_assert_eq(vg_types_kind(t, "schedule", "filedOn"), VG_BLANKS);
    cr_assert_eq(vg_types_kind(t, "factors", "routineAssessment"), VG_BLANKS);
    cr_assert_eq(vg_types_kind(t, "person", "name"), VG_STRING);
    cr_assert_eq(vg_types_kind(t, "component", "value"), VG_STRING);
    cr_assert_eq(vg_types_kind(t, "appraisal", "policy"), VG_STRING);
    int typed, all = vg_types_count(t, &typed);
    cr_assert_geq(typed, 40, "%d typed of %d", typed, all);
    vg_types_free(t);
}

/* The value of attribute `name` of the first element `el` (document order). */
static const char *attr_of(xmlDocPtr d, const char *el, const char *name)
{
    static __thread char v[128];
    xmlNodePtr n = xmlDocGetRootElement(d);
    while (n && strcmp((const char *)n->name, el)) {
        if (n->children) n = n->children;
        else {
            while (n && !n->next) n = n->parent;
            if (n) n = n->next;
        }
    }
    cr_assert(n, "no <%s>", el);
    xmlChar *x = xmlGetProp(n, (const xmlChar *)name);
    snprintf(v, sizeof v, "%s", x ? (const char *)x : "");
    xmlFree(x);
    return v;
}

/* Each kind's respellings: other text, the same value. */
Test(values_property, respellings_keep_the_value)
{
    char err[256];
    vg_types *t = vg_types_load("../templates/appraisal.xsd", err, sizeof err);
    cr_assert(t, "%s", err);
    const char *doc = "<appraisal xmlns=\"urn:kaohe:appraisal:1\" year=\"2025\"><unit id=\"U1\" name=\"n\">"
                      "<quota approvedRatio=\"0.5\"/><performance score=\"-12\"/>"
                      "<person id=\"P1\" name=\"a b\" category=\"other\"><status refused=\"false\" sanctionYear=\"\"/>"
                      "</person></unit></appraisal>";
    for (uint64_t seed = 1; seed < 200; seed++) {
        sbuf out = { 0 };
        cr_assert_eq(vg_respell(t, doc, seed, &out), 5, "%s", out.data);
        cr_assert(strstr(out.data, "name=\"a b\""));
        cr_assert(strstr(out.data, "sanctionYear=\"\""));
        /* no literal blank survives the serialiser: they are character references */
        cr_assert_null(strstr(out.data, "=\"\n"));
        xmlDocPtr d = xmlReadMemory(out.data, (int)out.len, "r.xml", NULL, XML_PARSE_NONET);
        cr_assert(d);
        fix6 v;
        bool no = true;
        cr_assert(value_decimal(attr_of(d, "quota", "approvedRatio"), &v) && v == FIX_ONE / 2);
        cr_assert(value_decimal(attr_of(d, "performance", "score"), &v) && v == -12 * FIX_ONE);
        cr_assert(value_boolean(attr_of(d, "status", "refused"), &no) && !no);
        xmlFreeDoc(d);
        sbuf_free(&out);
    }
    vg_types_free(t);
}
