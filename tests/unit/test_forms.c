/* Tests of the forms package (forms.c and the templates in templates/forms): a computed
 * unit written as every per-unit form of SPEC 4; pdftotext gives back names,
 * grades, counts, dates and money; qpdf --check and poppler are silent;
 * openpyxl reads the expected XLSX cells. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calendar.h"
#include "form_fixture.h"
#include "forms.h"
#include "ingest.h"
#include "policy.h"
#include "rules.h"

#define EPOCH 1766966400LL   /* 2025-12-29 */

typedef struct fixture {
    file_header hdr;
    policy *pol;
    calendar *cal;
    unit *u;
    forms_ctx *fc;
    char *dir;
} fixture;

static fixture fx;

static void teardown(void)
{
    if (fx.u) {
        model_unit_free(fx.u);
        free(fx.u);
    }
    policy_free(fx.pol);
    calendar_free(fx.cal);
    forms_ctx_free(fx.fc);
    if (fx.dir && getenv("KAOHE_FORMS_KEEP")) fprintf(stderr, "kept %s\n", fx.dir);
    else if (fx.dir) fixture_rmdir(fx.dir);
    free(fx.dir);
    memset(&fx, 0, sizeof fx);
}

static const char *UNIT_BODY =
    "<establishment admin=\"45\" institution=\"12\"/>"
    "<factors targetAdvanced=\"true\" ministerialCommendation=\"false\" civilizedUnit=\"true\""
    " routineAssessment=\"good\"/>"
    "<contact name=\"王五联\" phone=\"0391-1234567\"/>"
    "<person id=\"P1\" name=\"张三丰\" gender=\"男\" birth=\"1980-05\" ethnicity=\"汉族\" political=\"中共党员\""
    " education=\"大学本科\" category=\"civil-servant\" role=\"staff\" post=\"一级科员\" postSince=\"2019-03\">"
    "<summary>%s</summary>"
    "<votes excellent=\"18\" competent=\"6\" basic=\"1\" incompetent=\"0\"/>"
    "<proposal grade=\"excellent\" comment=\"该同志工作认真负责，成绩突出。\"/>"
    "<history><year value=\"2024\" grade=\"excellent\"/><year value=\"2023\" grade=\"excellent\"/></history>"
    "</person>"
    "<person id=\"P2\" name=\"李四光\" gender=\"女\" birth=\"1975-01\" category=\"civil-servant\" role=\"leader\" post=\"副局长\">"
    "<votes excellent=\"10\" competent=\"14\" basic=\"1\" incompetent=\"0\"/></person>"
    "<person id=\"P3\" name=\"王小五\" gender=\"男\" birth=\"1990-07\" category=\"institution\" post=\"会计\">"
    "<votes excellent=\"20\" competent=\"5\" basic=\"0\" incompetent=\"0\"/>"
    "<proposal grade=\"excellent\"/></person>"
    "<person id=\"P4\" name=\"赵六六\" gender=\"女\" birth=\"1995-02\" category=\"other\" post=\"办事员\">"
    "<votes excellent=\"3\" competent=\"20\" basic=\"2\" incompetent=\"0\"/></person>"
    "<person id=\"P5\" name=\"钱七七\" gender=\"男\" birth=\"1999-09\" category=\"civil-servant\" post=\"四级主任科员\">"
    "<status probation=\"true\"/></person>"
    "<person id=\"P6\" name=\"孙八八\" gender=\"男\" birth=\"1970-03\" category=\"institution\" post=\"工程师\">"
    "<status leaveMonths=\"8\" leaveType=\"sick\"/></person>"
    "<person id=\"P7\" name=\"周九九\" gender=\"女\" birth=\"1985-11\" category=\"managed\" post=\"科员\">"
    "<votes excellent=\"1\" competent=\"10\" basic=\"4\" incompetent=\"10\"/></person>"
    "<person id=\"P8\" name=\"吴十十\" gender=\"男\" birth=\"1988-04\" category=\"institution\" post=\"干部\">"
    "<status monthsInUnit=\"3\"/></person>";

static unit *compute(const char *preset, size_t summary_chars)
{
    teardown();
    char err[512];
    fx.pol = policy_load(preset, "../templates/policies", err, sizeof err);
    cr_assert(fx.pol, "policy %s: %s", preset, err);
    fx.cal = calendar_load_dir("../templates/calendars", err, sizeof err);
    cr_assert(fx.cal, "calendars: %s", err);
    fx.hdr.year = 2025;
    fx.hdr.path = "test.xml";
    snprintf(fx.hdr.policy, sizeof fx.hdr.policy, "%s", preset);
    snprintf(fx.hdr.notice_start, sizeof fx.hdr.notice_start, "2025-12-29");
    snprintf(fx.hdr.filing_deadline, sizeof fx.hdr.filing_deadline, "2026-01-30");
    snprintf(fx.hdr.filed_on, sizeof fx.hdr.filed_on, "2026-01-20");
    char *summary = fixture_long_text(summary_chars);
    sbuf body = {0};
    sbuf_printf(&body, UNIT_BODY, summary);
    free(summary);
    /* fillers so that every group has places */
    for (int i = 1; i <= 8; i++)
        sbuf_printf(&body, "<person id=\"A%d\" name=\"行政%d\" category=\"civil-servant\" post=\"科员\">"
                    "<votes excellent=\"%d\" competent=\"20\"/></person>", i, i, i);
    for (int i = 1; i <= 5; i++)
        sbuf_printf(&body, "<person id=\"B%d\" name=\"事业%d\" category=\"institution\" post=\"职员\"/>", i, i);
    sbuf x = {0};
    sbuf_printf(&x, "<unit xmlns=\"urn:kaohe:appraisal:1\" id=\"U001\" name=\"XX市财政局\" kind=\"organ\">%s</unit>",
                body.data);
    sbuf_free(&body);
    fx.u = ingest_unit_from_string(x.data, &fx.hdr);
    sbuf_free(&x);
    cr_assert(fx.u, "unit XML did not parse");
    rules_env env = {fx.pol, fx.cal, LANG_ZH, {2025, 12, 1}};
    rules_compute_unit(fx.u, &env);
    for (const finding *f = fx.u->findings; f; f = f->next)
        cr_assert(f->severity != SEV_ERROR, "unit has an error: %s %s", f->code, f->message);
    fx.fc = forms_ctx_new("../templates/forms", err, sizeof err);
    cr_assert(fx.fc, "forms_ctx_new: %s", err);
    fx.dir = fixture_tmpdir();
    cr_assert(fx.dir);
    return fx.u;
}

static void write_all(sbuf *written)
{
    sbuf err = {0};
    sbuf d = {0};
    sbuf_printf(&d, "%s/U001", fx.dir);
    int rc = forms_write_unit(fx.fc, fx.u, fx.pol, d.data, &(forms_opts){true, true, false, EPOCH, LANG_ZH, NULL, false}, written, &err);
    cr_assert_eq(rc, 0, "forms_write_unit: %s", err.data ? err.data : "");
    sbuf_free(&d);
    sbuf_free(&err);
}

/* pdftotext of a written PDF, whitespace removed; asserts poppler is silent
 * and qpdf --check passes. */
static char *pdf_text(const char *name)
{
    sbuf c = {0};
    int st;
    char *e = NULL;
    sbuf_printf(&c, "pdftotext -raw -enc UTF-8 '%s/U001/%s' -", fx.dir, name);
    char *out = fixture_run(c.data, &st, &e);
    cr_assert_eq(st, 0, "pdftotext %s failed", name);
    cr_assert_str_empty(e, "poppler warnings on %s: %s", name, e);
    free(e);
    sbuf_clear(&c);
    sbuf_printf(&c, "qpdf --check '%s/U001/%s'", fx.dir, name);
    char *q = fixture_run(c.data, &st, NULL);
    cr_assert_eq(st, 0, "qpdf --check %s: %s", name, q);
    free(q);
    sbuf_free(&c);
    return fixture_squeeze(out);
}

static int pdf_pages(const char *name)
{
    sbuf c = {0};
    int st;
    sbuf_printf(&c, "pdfinfo '%s/U001/%s' | sed -n 's/^Pages: *//p'", fx.dir, name);
    char *out = fixture_run(c.data, &st, NULL);
    int n = atoi(out);
    free(out);
    sbuf_free(&c);
    return n;
}

/* All cells of the first sheet as "A1=value" lines. */
static char *xlsx_cells(const char *name)
{
    sbuf c = {0};
    int st;
    char *e = NULL;
    sbuf_printf(&c,
                "/usr/bin/python3 -c \"import openpyxl,sys\n"
                "wb=openpyxl.load_workbook(sys.argv[1])\n"
                "ws=wb.worksheets[0]\n"
                "for row in ws.iter_rows():\n"
                "  for x in row:\n"
                "    if x.value is not None: print(x.coordinate+'='+repr(x.value))\n\" '%s/U001/%s'",
                fx.dir, name);
    char *out = fixture_run(c.data, &st, &e);
    cr_assert_eq(st, 0, "openpyxl %s: %s", name, e);
    free(e);
    sbuf_free(&c);
    return out;
}

#define HAS(text, s) cr_expect(strstr((text), (s)) != NULL, "missing \"%s\" in %s", (s), #text)

Test(forms, writes_every_file, .fini = teardown, .timeout = 60)
{
    compute("national", 300);
    sbuf written = {0};
    write_all(&written);
    static const char *const files[] = {
        "quota-application.xlsx", "quota-application.pdf", "registration.pdf", "ballot.pdf",
        "tally.xlsx", "tally.pdf", "notice.pdf", "filing.xlsx", "filing.pdf",
        "rewards.xlsx", "rewards.pdf",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        sbuf p = {0};
        sbuf_printf(&p, "%s/U001/%s", fx.dir, files[i]);
        struct stat st;
        cr_expect_eq(stat(p.data, &st), 0, "%s not written", files[i]);
        sbuf_clear(&p);
        sbuf_printf(&p, "U001/%s\n", files[i]);
        cr_expect(strstr(written.data, p.data), "%s not in the written list", files[i]);
        sbuf_free(&p);
    }
    /* no temp files left behind */
    int st;
    sbuf c = {0};
    sbuf_printf(&c, "ls -A '%s/U001' | wc -l", fx.dir);
    char *n = fixture_run(c.data, &st, NULL);
    cr_expect_eq(atoi(n), 11, "files in the unit dir: %s", n);
    free(n);
    sbuf_free(&c);
    sbuf_free(&written);
}

Test(forms, quota_application, .fini = teardown, .timeout = 60)
{
    compute("national", 100);
    write_all(NULL);
    char *t = pdf_text("quota-application.pdf");
    HAS(t, "年度考核优秀等次比例申报表");
    HAS(t, "（2025年度）");
    HAS(t, "XX市财政局");
    HAS(t, "实有编制数");
    HAS(t, "上年度目标管理先进单位");
    HAS(t, "经审核，同意你单位优秀等次比例按行政20%、事业20%、其他人员10%使用");
    HAS(t, "注意按职务层次分配，不得相互占用。");
    HAS(t, "2025年12月29日");          /* the unit's date from the epoch */
    HAS(t, "2026年1月30日");           /* filing deadline */
    free(t);
    char *x = xlsx_cells("quota-application.xlsx");
    HAS(x, "'XX市财政局'");
    HAS(x, "=45\n");                  /* 实有编制数 行政 as a number */
    HAS(x, "=12\n");
    free(x);
}

Test(forms, quota_application_split, .fini = teardown, .timeout = 60)
{
    compute("quannan-2011", 100);
    write_all(NULL);
    char *t = pdf_text("quota-application.pdf");
    HAS(t, "领导职务");
    HAS(t, "一般工作人员");
    HAS(t, "领导职务人员不得占用一般工作人员名额");
    free(t);
}

Test(forms, registration, .fini = teardown, .timeout = 60)
{
    compute("national", 3000);
    write_all(NULL);
    char *t = pdf_text("registration.pdf");
    HAS(t, "公务员年度考核登记表");
    HAS(t, "参照公务员法管理事业单位人员年度考核登记表");
    HAS(t, "事业单位工作人员年度考核登记表");
    HAS(t, "其他人员年度考核登记表");
    HAS(t, "张三丰");
    HAS(t, "1980年5月");
    HAS(t, "XX市财政局一级科员");
    HAS(t, "个人总结（续页）");
    HAS(t, "考核等次建议：优秀");
    HAS(t, "考核等次建议：合格");      /* institution/other category labels */
    HAS(t, "试用期人员，只写评语，不定等次");
    HAS(t, "病假累计超过半年");
    HAS(t, "由派出单位考核");
    HAS(t, "机关负责人或考核委员会意见");
    HAS(t, "单位负责人或考核委员会意见");
    free(t);
    /* 21 persons x 2 pages + at least one 续页 */
    cr_expect_geq(pdf_pages("registration.pdf"), 43);
    /* outline by name */
    int st;
    sbuf c = {0};
    sbuf_printf(&c, "qpdf --json --json-key=outlines '%s/U001/registration.pdf'", fx.dir);
    char *o = fixture_run(c.data, &st, NULL);
    cr_expect(strstr(o, "张三丰") && strstr(o, "吴十十"), "outline: %.400s", o);
    free(o);
    sbuf_free(&c);
}

Test(forms, ballot_and_tally, .fini = teardown, .timeout = 60)
{
    compute("national", 100);
    write_all(NULL);
    char *t = pdf_text("ballot.pdf");
    HAS(t, "XX市财政局2025年度考核民主测评表");
    HAS(t, "公务员及参照公务员法管理人员");
    HAS(t, "事业单位工作人员及其他人员");
    HAS(t, "优秀称职基本称职不称职");
    HAS(t, "优秀合格基本合格不合格");
    HAS(t, "打“√”");
    HAS(t, "第1页共1页");
    HAS(t, "周九九");
    cr_expect(!strstr(t, "孙八八"), "6A person on the ballot");
    free(t);
    t = pdf_text("tally.pdf");
    HAS(t, "民主测评结果汇总表");
    HAS(t, "张三丰");
    HAS(t, "72.0%");                  /* 18 of 25 */
    HAS(t, "※");                      /* P7: VOTES_AGAINST */
    HAS(t, "不定等次");                /* P5 probation */
    free(t);
    char *x = xlsx_cells("tally.xlsx");
    HAS(x, "'张三丰'");
    HAS(x, "=18\n");
    HAS(x, "=0.72\n");
    HAS(x, "'优秀'");
    free(x);
}

Test(forms, notice, .fini = teardown, .timeout = 60)
{
    compute("national", 100);
    write_all(NULL);
    char *t = pdf_text("notice.pdf");
    HAS(t, "关于XX市财政局2025年度考核拟定优秀等次人员的公示");
    HAS(t, "张三丰");
    HAS(t, "王小五");
    cr_expect(!strstr(t, "孙八八"), "6A person in the notice");
    char buf[256];
    snprintf(buf, sizeof buf, "自%d年%d月%d日至", 2025, 12, 29);
    HAS(t, buf);
    HAS(t, fx.u->notice.present ? "（5个工作日）" : "");
    HAS(t, "联系人：王五联");
    HAS(t, "0391-1234567");
    free(t);
}

Test(forms, filing, .fini = teardown, .timeout = 60)
{
    compute("national", 100);
    write_all(NULL);
    char *t = pdf_text("filing.pdf");
    HAS(t, "XX市财政局2025年度考核结果备案表");
    HAS(t, "公务员（含参公）");
    HAS(t, "不参加考核");
    HAS(t, "花名册");
    HAS(t, "吴十十");
    HAS(t, "2026年1月20日");
    HAS(t, "试用期人员，只写评语，不定等次");
    free(t);
    char *x = xlsx_cells("filing.xlsx");
    HAS(x, "'周九九'");
    HAS(x, "'参照公务员法管理'");
    free(x);
}

Test(forms, rewards_money, .fini = teardown, .timeout = 60)
{
    compute("quannan-2011", 100);
    write_all(NULL);
    char *t = pdf_text("rewards.pdf");
    HAS(t, "年度考核奖励审批表");
    HAS(t, "张三丰");
    HAS(t, "记三等功");
    HAS(t, "1500");
    HAS(t, "2023—2025年（3年）");
    HAS(t, "审批机关");
    free(t);
    char *x = xlsx_cells("rewards.xlsx");
    HAS(x, "=1500\n");
    free(x);
}

Test(forms, deterministic, .fini = teardown, .timeout = 60)
{
    compute("national", 500);
    write_all(NULL);
    sbuf c = {0};
    int st;
    sbuf_printf(&c, "cd '%s/U001' && sha256sum * && mkdir -p ../again", fx.dir);
    char *a = fixture_run(c.data, &st, NULL);
    sbuf err = {0}, d = {0};
    sbuf_printf(&d, "%s/again", fx.dir);
    cr_assert_eq(forms_write_unit(fx.fc, fx.u, fx.pol, d.data, &(forms_opts){true, true, false, EPOCH, LANG_ZH, NULL, false}, NULL, &err), 0);
    sbuf_clear(&c);
    sbuf_printf(&c, "cd '%s/again' && sha256sum *", fx.dir);
    char *b = fixture_run(c.data, &st, NULL);
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
    sbuf_free(&c);
    sbuf_free(&d);
    sbuf_free(&err);
}

Test(forms, empty_unit_and_formats, .fini = teardown, .timeout = 60)
{
    compute("national", 10);
    /* a unit without persons still gets every form (blank registration and ballot) */
    file_header h = fx.hdr;
    unit *e = ingest_unit_from_string("<unit xmlns=\"urn:kaohe:appraisal:1\" id=\"U9\" name=\"空单位\"/>", &h);
    cr_assert(e);
    rules_env env = {fx.pol, fx.cal, LANG_ZH, {2025, 12, 1}};
    rules_compute_unit(e, &env);
    sbuf err = {0}, d = {0}, w = {0};
    sbuf_printf(&d, "%s/U9", fx.dir);
    cr_assert_eq(forms_write_unit(fx.fc, e, fx.pol, d.data, &(forms_opts){true, false, false, EPOCH, LANG_ZH, NULL, false}, &w, &err), 0,
                 "%s", err.data);
    cr_expect(strstr(w.data, "U9/registration.pdf\n") && strstr(w.data, "U9/ballot.pdf\n"));
    cr_expect(!strstr(w.data, ".xlsx"), "xlsx written without want_xlsx");
    int st;
    sbuf c = {0};
    sbuf_printf(&c, "for f in '%s'/U9/*.pdf; do qpdf --check \"$f\" >/dev/null || echo BAD $f; done", fx.dir);
    char *o = fixture_run(c.data, &st, NULL);
    cr_expect_str_empty(o, "%s", o);
    free(o);
    /* xlsx only */
    sbuf_clear(&w);
    sbuf_clear(&d);
    sbuf_printf(&d, "%s/X", fx.dir);
    cr_assert_eq(forms_write_unit(fx.fc, fx.u, fx.pol, d.data, &(forms_opts){false, true, false, EPOCH, LANG_ZH, NULL, false}, &w, &err), 0);
    cr_expect_str_eq(w.data, "U001/quota-application.xlsx\nU001/tally.xlsx\nU001/filing.xlsx\nU001/rewards.xlsx\n");
    model_unit_free(e);
    free(e);
    sbuf_free(&c);
    sbuf_free(&err);
    sbuf_free(&d);
    sbuf_free(&w);
}
