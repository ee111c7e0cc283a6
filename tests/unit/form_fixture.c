/* form_fixture — see form_fixture.h. */
#include "form_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "util.h"

static const char *const SENTENCES[] = {
    "本年度，我认真学习贯彻党的二十大精神，坚持以习近平新时代中国特色社会主义思想为指导，",
    "严格遵守各项规章制度，认真履行岗位职责，较好地完成了领导交办的各项工作任务。",
    "在预算管理工作中，全年审核报销凭证1,286笔，涉及金额3,456.78万元，未出现差错。",
    "积极参加“学习强国”平台学习，累计积分达到12000分以上；参加业务培训5次。",
    "注重提升业务能力，熟练使用Excel、WPS Office和OA系统，工作效率明显提高。",
    "（一）加强政治理论学习，提高思想觉悟；（二）强化业务知识学习，提升履职能力。",
    "同时也存在一些不足：一是理论学习的深度还不够；二是创新意识有待加强……",
    "今后我将继续努力，发扬成绩、克服不足，为单位高质量发展作出新的更大贡献！",
    "《中华人民共和国公务员法》和《事业单位工作人员考核规定》是做好考核工作的依据。",
    "问：如何做好2025年度考核？答：坚持客观公正、注重实绩的原则，做到全面、准确。",
};

char *fixture_long_text(size_t n)
{
    sbuf b = {0};
    size_t count = 0, i = 0;
    while (count < n) {
        const char *s = SENTENCES[i % (sizeof SENTENCES / sizeof SENTENCES[0])];
        sbuf_puts(&b, s);
        /* count code points */
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
            if ((*p & 0xC0) != 0x80) count++;
        i++;
        if (i % 4 == 0 && count < n) sbuf_puts(&b, "\n");
    }
    return b.data;
}

kv_map *fixture_summary_data(size_t nunits, size_t long_issues)
{
    kv_map *m = kv_new();
    kv_set(m, "year", "2025");
    kv_set(m, "policy", "事业单位工作人员考核规定（2023）");
    kv_set(m, "date", "2026-01-20");
    char key[64], val[128];
    snprintf(val, sizeof val, "%zu", nunits);
    kv_set(m, "units", val);
    static const char *const totals[] = {"participants", "places", "excellent", "competent", "basic",
                                         "incompetent", "undetermined", "absent", "errors"};
    for (size_t k = 0; k < sizeof totals / sizeof *totals; k++) {
        snprintf(key, sizeof key, "totals.%s", totals[k]);
        snprintf(val, sizeof val, "%zu", nunits * (k + 1));
        kv_set(m, key, val);
    }
    kv_set(m, "totals.ratio", "0.15");
    kv_set(m, "totals.cap", "0.2");
    for (size_t i = 0; i < nunits; i++) {
        struct { const char *field; long v; } num[] = {
            {"participants", (long)(i % 37) + 3}, {"places", (long)(i % 7)}, {"excellent", (long)(i % 6)},
            {"competent", (long)(i % 29)}, {"basic", (long)(i % 3)}, {"incompetent", (long)(i % 2)},
            {"undetermined", 0}, {"absent", (long)(i % 4)},
        };
        for (size_t k = 0; k < sizeof num / sizeof *num; k++) {
            snprintf(key, sizeof key, "units.%zu.%s", i, num[k].field);
            snprintf(val, sizeof val, "%ld", num[k].v);
            kv_set(m, key, val);
        }
        snprintf(key, sizeof key, "units.%zu.id", i);
        snprintf(val, sizeof val, "U%05zu", i + 1);
        kv_set(m, key, val);
        snprintf(key, sizeof key, "units.%zu.name", i);
        snprintf(val, sizeof val, "XX市第%zu%s", i + 1, i % 5 ? "中学" : "人民医院（含门诊部、住院部）");
        kv_set(m, key, val);
        snprintf(key, sizeof key, "units.%zu.ratio", i);
        snprintf(val, sizeof val, "0.%02zu", i % 30);
        kv_set(m, key, val);
        snprintf(key, sizeof key, "units.%zu.cap", i);
        kv_set(m, key, i % 2 ? "0.2" : "0.15");
        snprintf(key, sizeof key, "units.%zu.status", i);
        kv_set(m, key, i % 11 ? "正常" : "有错误");
        snprintf(key, sizeof key, "units.%zu.issues", i);
        if (i == 3 && long_issues) {
            char *t = fixture_long_text(long_issues);
            kv_set(m, key, t);
            free(t);
        } else {
            kv_set(m, key, i % 4 ? "" : "警告 2 条：SCORE_MISSING×2");
        }
    }
    return m;
}

kv_map *fixture_demo_data(size_t npersons, size_t summary_chars)
{
    kv_map *m = kv_new();
    kv_set(m, "unit.name", "XX市财政局");
    kv_set(m, "unit.ratio", "0.2");
    kv_set(m, "year", "2025");
    kv_set(m, "filedOn", "2026-01-20");
    kv_set(m, "person.name", "张三");
    kv_set(m, "person.gender", "男");
    kv_set(m, "person.birth", "1980-05");
    kv_set(m, "person.ethnicity", "汉族");
    kv_set(m, "person.political", "中共党员");
    kv_set(m, "person.education", "大学本科");
    kv_set(m, "person.post", "一级科员");
    kv_set(m, "person.postSince", "2019-03");
    kv_set(m, "person.score", "92.5");
    kv_set(m, "person.grade", "excellent");
    kv_set(m, "person.category", "civil-servant");
    kv_set(m, "person.comment", "该同志工作认真负责，成绩突出，同意评为优秀等次。");
    char *summary = fixture_long_text(summary_chars);
    kv_set(m, "person.summary", summary);
    free(summary);
    static const char *const names[] = {"李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑十一"};
    static const char *const cats[] = {"civil-servant", "managed", "institution", "other"};
    static const char *const catl[] = {"公务员", "参公人员", "事业人员", "其他人员"};
    static const char *const grades[] = {"excellent", "competent", "basic", "incompetent"};
    char key[64], val[128];
    for (size_t i = 0; i < npersons; i++) {
        snprintf(key, sizeof key, "persons.%zu.name", i);
        snprintf(val, sizeof val, "%s%zu", names[i % 8], i + 1);
        kv_set(m, key, val);
        snprintf(key, sizeof key, "persons.%zu.category", i);
        kv_set(m, key, cats[i % 4]);
        snprintf(key, sizeof key, "persons.%zu.categoryLabel", i);
        kv_set(m, key, catl[i % 4]);
        snprintf(key, sizeof key, "persons.%zu.post", i);
        kv_set(m, key, i % 5 == 0 ? "办公室副主任（主持工作）兼财务科科长" : "科员");
        snprintf(key, sizeof key, "persons.%zu.score", i);
        snprintf(val, sizeof val, "%zu.%zu", 70 + (i * 7) % 30, (i * 3) % 10);
        kv_set(m, key, val);
        snprintf(key, sizeof key, "persons.%zu.grade", i);
        kv_set(m, key, grades[i % 4]);
        snprintf(key, sizeof key, "persons.%zu.remark", i);
        kv_set(m, key, i % 7 == 3 ? "=SUM(A1:A2) 不是公式" : "");
    }
    return m;
}

char *fixture_run(const char *cmd, int *status, char **err_out)
{
    char errpath[] = "/tmp/kaohe-fixture-errXXXXXX";
    int efd = mkstemp(errpath);
    sbuf full = {0};
    sbuf_printf(&full, "( %s ) 2>%s", cmd, errpath);
    FILE *p = popen(full.data, "r");
    sbuf out = {0};
    sbuf_puts(&out, "");
    if (p) {
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) sbuf_add(&out, buf, n);
        int st = pclose(p);
        *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    } else {
        *status = -1;
    }
    if (err_out) {
        sbuf e = {0};
        sbuf_puts(&e, "");
        FILE *f = fopen(errpath, "r");
        if (f) {
            char buf[4096];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0) sbuf_add(&e, buf, n);
            fclose(f);
        }
        *err_out = e.data;
    }
    if (efd >= 0) close(efd);
    unlink(errpath);
    sbuf_free(&full);
    return out.data;
}

char *fixture_tmpdir(void)
{
    char tmpl[] = "/tmp/kaohe-formtest-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? xstrdup(d) : NULL;
}

void fixture_rmdir(const char *dir)
{
    if (!dir || strncmp(dir, "/tmp/kaohe-formtest-", 20)) return;
    sbuf c = {0};
    sbuf_printf(&c, "rm -rf '%s'", dir);
    int rc = system(c.data);
    (void)rc;
    sbuf_free(&c);
}

char *fixture_squeeze(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        unsigned char c = (unsigned char)*r;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') { r++; continue; }
        if (c == 0xE3 && (unsigned char)r[1] == 0x80 && (unsigned char)r[2] == 0x80) { r += 3; continue; }
        *w++ = *r++;
    }
    *w = 0;
    return s;
}

void wfx_open(writer_fixture *w)
{
    sbuf err = {0};
    w->fs = font_set_open(NULL, &err);
    cr_assert_not_null(w->fs, "%s", err.data);
    sbuf_free(&err);
    w->dir = fixture_tmpdir();
    cr_assert_not_null(w->dir);
}

void wfx_close(writer_fixture *w)
{
    font_set_free(w->fs);
    if (w->dir) fixture_rmdir(w->dir);
    free(w->dir);
    *w = (writer_fixture){0};
}

char *wfx_path(const writer_fixture *w, const char *name)
{
    sbuf b = {0};
    sbuf_printf(&b, "%s/%s", w->dir, name);
    return b.data;
}

lo_doc *kv_pager_run(void *ctx, const lo_sink *sink, sbuf *err)
{
    kv_pager *kp = ctx;
    kp->runs++;
    return layout_stream(kp->t, &kp->src, kp->fs, sink, err);
}
