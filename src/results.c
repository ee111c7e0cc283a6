/* results — see results.h. */
#include "results.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void attr(sbuf *b, const char *name, const char *value)
{
    sbuf_printf(b, " %s=\"", name);
    sbuf_xml_escape(b, value);
    sbuf_putc(b, '"');
}

static void attr_long(sbuf *b, const char *name, long v) { sbuf_printf(b, " %s=\"%ld\"", name, v); }

static void person_xml(sbuf *b, const unit *u, const person *p, const policy *pol)
{
    sbuf_puts(b, "    <person");
    attr(b, "id", p->id);
    if (p->bucket >= 0) attr(b, "bucket", u->buckets[p->bucket].name);
    attr(b, "code", model_code_str(p));
    attr(b, "grade", model_grade_key(p->grade));
    attr(b, "reward", model_reward_key(p->reward));
    if (p->has_score) {
        char s[40];
        fix6_format_fixed(p->score, 2, s, sizeof s);
        attr(b, "score", s);
    }
    if (pol->has_advanced && p->designated_advanced) attr(b, "advanced", "true");
    sbuf_puts(b, "/>\n");
}

void results_unit_xml(sbuf *b, const unit *u, const policy *pol)
{
    sbuf_puts(b, "  <unit");
    attr(b, "id", u->id);
    attr(b, "status", u->n_errors ? "error" : "ok");
    attr(b, "name", u->name);
    attr_long(b, "seq", u->seq);
    attr(b, "policy", pol->name);   /* the summary names every policy of the run */
    sbuf_puts(b, ">\n");
    if (u->assessment.computed) {
        char t[40];
        fix6_format_fixed(u->assessment.total, 2, t, sizeof t);
        const char *grade = model_perf_key(u->assessment.grade);
        sbuf_puts(b, "    <assessment");
        attr(b, "total", t);
        attr_long(b, "rank", u->assessment.rank);
        attr(b, "grade", grade[0] ? grade : "none");
        attr(b, "scheme", u->assessment.scheme);
        attr_long(b, "series", u->series);
        attr_long(b, "of", u->assessment.series_size);
        if (u->assessment.label && u->assessment.label[0]) attr(b, "label", u->assessment.label);
        sbuf_puts(b, "/>\n");
    }
    for (int i = 0; i < u->n_buckets; i++) {
        const bucket *k = &u->buckets[i];
        char r[40];
        fix6_format_plain(k->ratio, r, sizeof r);
        sbuf_puts(b, "    <bucket");
        attr(b, "name", k->name);
        attr_long(b, "participants", k->participants);
        attr(b, "ratio", r);
        attr_long(b, "places", k->places);
        attr_long(b, "excellent", k->excellent);
        sbuf_puts(b, "/>\n");
    }
    for (long i = 0; i < u->n_persons; i++) person_xml(b, u, &u->persons[i], pol);
    for (const finding *f = u->findings; f; f = f->next) {
        sbuf_puts(b, "    <finding");
        attr(b, "code", f->code);
        attr(b, "severity", f->severity == SEV_ERROR ? "error" : "warning");
        if (f->person_id) attr(b, "person", f->person_id);
        sbuf_putc(b, '>');
        sbuf_xml_escape(b, f->message);
        sbuf_puts(b, "</finding>\n");
    }
    if (u->notice.present) {
        sbuf_puts(b, "    <notice");
        attr(b, "from", u->notice.from);
        attr(b, "to", u->notice.to);
        sbuf_puts(b, "/>\n");
    }
    sbuf_puts(b, "  </unit>\n");
}

void results_unit_findings(sbuf *b, const unit *u, msg_lang lang)
{
    for (const finding *f = u->findings; f; f = f->next) {
        const char *sev = f->severity == SEV_ERROR ? (lang == LANG_EN ? "error" : "错误")
                                                   : (lang == LANG_EN ? "warning" : "警告");
        sbuf_printf(b, "%s\t%s\t%s\t%s\t%s\n", u->id, f->person_id ? f->person_id : "-", f->code, sev,
                    f->message);
    }
}

void results_count(results_totals *t, const unit *u)
{
    t->units++;
    t->persons += u->n_persons;
    for (long i = 0; i < u->n_persons; i++) {
        const person *p = &u->persons[i];
        if (p->code == CODE_GRADED || p->code == CODE_4_REFUSED) t->graded++;
        if (p->grade == GRADE_EXCELLENT) t->excellent++;
    }
    t->errors += u->n_errors;
    t->warnings += u->n_warnings;
}

bool results_open(results_writer *w, const char *dir, int year, const char *policy_name, const char *shard,
                  msg_lang lang)
{
    memset(w, 0, sizeof *w);
    w->year = year;
    w->lang = lang;
    if (!outfile_mkdirs(dir)) return false;
    sbuf path = { 0 };
    sbuf_printf(&path, "%s/results.xml", dir);
    bool ok = outfile_open(&w->xml, path.data);
    sbuf_clear(&path);
    sbuf_printf(&path, "%s/findings.txt", dir);
    if (ok && !outfile_open(&w->txt, path.data)) {
        int e = errno;
        outfile_abort(&w->xml);
        errno = e;
        ok = false;
    }
    sbuf_free(&path);
    if (!ok) return false;
    sbuf head = { 0 };
    sbuf_printf(&head, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<results xmlns=\"urn:kaohe:results:1\" year=\"%d\"", year);
    attr(&head, "policy", policy_name);
    if (shard) attr(&head, "shard", shard);
    sbuf_puts(&head, ">\n");
    fputs(head.data, w->xml.fp);
    sbuf_free(&head);
    return true;
}

void results_totals_xml(sbuf *b, const results_totals *t)
{
    sbuf_printf(b, "  <totals units=\"%ld\" persons=\"%ld\" graded=\"%ld\" excellent=\"%ld\" errors=\"%ld\" warnings=\"%ld\"/>\n",
                t->units, t->persons, t->graded, t->excellent, t->errors, t->warnings);
}

void results_totals_add(results_totals *t, const results_totals *add)
{
    t->units += add->units;
    t->persons += add->persons;
    t->graded += add->graded;
    t->excellent += add->excellent;
    t->errors += add->errors;
    t->warnings += add->warnings;
}

void results_append(results_writer *w, const sbuf *xml, const sbuf *findings, const results_totals *t)
{
    if (xml->len) fwrite(xml->data, 1, xml->len, w->xml.fp);
    if (findings->len) fwrite(findings->data, 1, findings->len, w->txt.fp);
    results_totals_add(&w->totals, t);
}


bool results_close(results_writer *w, bool commit)
{
    if (!commit) {
        outfile_abort(&w->xml);
        outfile_abort(&w->txt);
        return true;
    }
    sbuf tail = { 0 };
    results_totals_xml(&tail, &w->totals);
    sbuf_puts(&tail, "</results>\n");
    fputs(tail.data, w->xml.fp);
    sbuf_free(&tail);
    bool ok = outfile_commit(&w->xml);
    int e = errno;
    if (ok) {
        ok = outfile_commit(&w->txt);
        e = errno;
    } else outfile_abort(&w->txt);
    errno = e;
    return ok;
}
