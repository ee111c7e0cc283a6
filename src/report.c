/* report — see report.h. Three streaming reads of results.xml: the summary's
 * (the numbers of the totals, chart and table), one for each unit's findings
 * in a word (the table's 问题 column), and one that writes each unit's section
 * as soon as its </unit> is read. The page is Chinese, like the forms. */
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/xmlreader.h>

#include "msg.h"
#include "outfile.h"
#include "summary.h"

#define RESULTS_NS "urn:kaohe:results:1"
/* Above these many units the chart and the unit sections start collapsed:
 * 10,000 open sections make a page nobody scrolls, and a slow one. */
#define REPORT_OPEN_MAX 200
#define MAX_GROUPS 16   /* distinct finding codes kept per unit; the rest go to the last */

static void esc(sbuf *b, const char *s) { sbuf_xml_escape(b, s ? s : ""); }

/* -------------------------------------------------------------- the head */

static const char CSS[] =
    "body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"AR PL UMing CN\",sans-serif;"
    "margin:1.5em auto;max-width:75em;padding:0 1em;color:#222;line-height:1.5}"
    "h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;border-bottom:2px solid #2b5797;margin-top:1.6em}"
    "h3{font-size:1.05em;margin:.2em 0}.meta{color:#555}"
    ".totals{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0}"
    ".totals div{border:1px solid #ccd;border-radius:4px;padding:.4em .8em;min-width:5.5em}"
    ".totals b{display:block;font-size:1.4em}"
    "table{border-collapse:collapse;width:100%;font-size:.92em}"
    "th,td{border:1px solid #bbc;padding:.2em .4em;vertical-align:top}"
    "th{background:#e8edf5}#units td:nth-child(n+4):nth-child(-n+8){text-align:right;white-space:nowrap}"
    "tr.error td{background:#fdecea}.st-error{color:#b00020;font-weight:bold}.st-ok{color:#1b5e20}"
    ".unit{border:1px solid #ccd;border-radius:4px;margin:.6em 0;padding:.3em .8em}"
    ".unit.error{border-color:#b00020}summary{cursor:pointer}"
    ".err{color:#b00020}.fix{color:#333}ul{margin:.2em 0 .4em}"
    ".files a{margin-right:.8em;white-space:nowrap}.bar-over{fill:#c0392b}.bar{fill:#4472c4}"
    ".cap{stroke:#ed7d31;stroke-width:2}#tools{margin:.5em 0}"
    ".unit{content-visibility:auto;contain-intrinsic-size:auto 2.5em}"
    "@media print{#tools{display:none}body{max-width:none;margin:0;font-size:10pt}"
    "a{color:inherit;text-decoration:none}.unit{break-inside:avoid}thead{display:table-header-group}"
    "tr{break-inside:avoid}h2{break-after:avoid}}";

/* Sorting by a column and filtering by status; the page is whole without it
 * (the tools stay hidden), and printing opens every collapsed section. */
static const char SCRIPT[] =
    "(function(){var t=document.getElementById('units'),b=t.tBodies[0],tools=document.getElementById('tools');"
    "tools.hidden=false;document.getElementById('status').onchange=function(){var v=this.value;"
    "for(var r of b.rows)r.hidden=v!=='all'&&r.dataset.status!==v;};"
    "t.tHead.rows[0].querySelectorAll('th').forEach(function(h,i){h.onclick=function(){"
    "var d=h.dataset.dir==='asc'?-1:1;h.dataset.dir=d>0?'asc':'desc';"
    "var rs=Array.from(b.rows),num=h.classList.contains('n');rs.sort(function(x,y){"
    "var a=x.cells[i].textContent,c=y.cells[i].textContent;"
    "return d*(num?parseFloat(a)-parseFloat(c):a.localeCompare(c,'zh'));});"
    "rs.forEach(function(r){b.appendChild(r);});};});"
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(e){e.open=true;});});})();";

static void write_head(sbuf *b, const char *year)
{
    sbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(b, year);
    sbuf_printf(b, "年度考核结果审阅</title>\n<style>%s</style>\n</head>\n<body>\n", CSS);
}

/* ---------------------------------------------------- totals, chart, table */

static const char *lookup(const layout_source *s, const char *path)
{
    const char *v = s->lookup(s->ctx, path);
    return v ? v : "";
}

static const char *item(const layout_source *s, size_t i, const char *field)
{
    const char *v = s->item(s->ctx, "units", i, field);
    return v ? v : "";
}

/* A ratio of the summary ("0.25") as a percentage with one decimal. */
static void percent(sbuf *b, const char *ratio)
{
    sbuf_printf(b, "%.1f%%", strtod(ratio, NULL) * 100.0);
}

static void write_totals(sbuf *b, const layout_source *s)
{
    static const struct { const char *path, *key, *label; } boxes[] = {
        {"units", "units", "单位"}, {"totals.ok", "ok", "正常"}, {"totals.errors", "errors", "有错误"},
        {"totals.participants", "participants", "参加考核"}, {"totals.places", "places", "优秀名额"},
        {"totals.excellent", "excellent", "拟定优秀"},
    };
    sbuf_printf(b, "<h1>%s 年度考核结果审阅</h1>\n<p class=\"meta\">考核政策：", lookup(s, "year"));
    esc(b, lookup(s, "policies"));   /* every policy of the run, "；" between */
    sbuf_printf(b, "　生成日期：%s</p>\n<div class=\"totals\" id=\"totals\">", lookup(s, "date"));
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
        sbuf_printf(b, "<div>%s<b data-total=\"%s\">%s</b></div>", boxes[i].label, boxes[i].key,
                    lookup(s, boxes[i].path));
    sbuf_puts(b, "<div>优秀比例<b data-total=\"ratio\">");
    percent(b, lookup(s, "totals.ratio"));
    sbuf_puts(b, "</b></div><div>比例上限<b data-total=\"cap\">");
    percent(b, lookup(s, "totals.cap"));
    sbuf_puts(b, "</b></div></div>\n");
}

/* The scale's end: the largest ratio or cap rounded up to 10%, at least 10%. */
static double chart_max(const layout_source *s, size_t n)
{
    double max = 0.1;
    for (size_t i = 0; i < n; i++) {
        double r = strtod(item(s, i, "ratio"), NULL), c = strtod(item(s, i, "cap"), NULL);
        if (r > max) max = r;
        if (c > max) max = c;
    }
    return ((int)(max * 10.0 - 1e-9) + 1) / 10.0;
}

/* One row per unit: a bar for its ratio (red above its cap), a line at its cap. */
static void write_chart(sbuf *b, const layout_source *s, size_t n)
{
    const int label = 260, width = 520, row = 18, top = 28;
    double max = chart_max(s, n);
    int height = top + row * (int)n + 6;
    sbuf_printf(b, "<h2>优秀等次比例与比例上限</h2>\n<details%s><summary>图表（%zu 个单位；"
                   "蓝条为优秀比例，红条为超过上限，橙线为比例上限）</summary>\n",
                n <= REPORT_OPEN_MAX ? " open" : "", n);
    sbuf_printf(b, "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                   "viewBox=\"0 0 %d %d\" font-size=\"12\" text-anchor=\"end\" role=\"img\" "
                   "aria-label=\"优秀比例与比例上限\">\n",
                label + width + 20, height, label + width + 20, height);
    double step = max <= 0.5 ? 0.05 : 0.1;
    for (double v = 0; v <= max + 1e-9; v += step) {
        double x = label + width * v / max;
        sbuf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                       "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%.0f%%</text>\n",
                    x, top - 6, x, height - 4, x, top - 10, v * 100.0);
    }
    for (size_t i = 0; i < n; i++) {
        char r[64], c[64];   /* the source's numbers live in one buffer until its next call */
        snprintf(r, sizeof r, "%s", item(s, i, "ratio"));
        snprintf(c, sizeof c, "%s", item(s, i, "cap"));
        double ratio = strtod(r, NULL), cap = strtod(c, NULL);
        int y = top + row * (int)i;
        sbuf_printf(b, "<g><text x=\"%d\" y=\"%d\">", label - 6, y + 13);
        esc(b, item(s, i, "name"));
        sbuf_printf(b, "</text><rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" data-ratio=\"%s\"/>"
                       "<line class=\"cap\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/></g>\n",
                    ratio > cap + 1e-9 ? "bar-over" : "bar", label, y + 3, width * ratio / max, row - 6, r,
                    label + width * cap / max, y + 1, label + width * cap / max, y + row - 1);
    }
    sbuf_puts(b, "</svg>\n</details>\n");
}

static void number_cell(sbuf *b, const char *v) { sbuf_printf(b, "<td>%s</td>", v); }

static void ratio_cell(sbuf *b, const char *v)
{
    sbuf_puts(b, "<td>");
    percent(b, v);
    sbuf_puts(b, "</td>");
}

static void write_table(sbuf *b, const layout_source *s, size_t n, char **words)
{
    sbuf_puts(b, "<h2>各单位</h2>\n<div id=\"tools\" hidden><label>状态 <select id=\"status\">"
                 "<option value=\"all\">全部</option><option value=\"error\">有错误</option>"
                 "<option value=\"ok\">正常</option></select></label>　点击表头排序</div>\n"
                 "<table id=\"units\"><thead><tr><th>单位代码</th><th>单位名称</th><th>状态</th>"
                 "<th class=\"n\">参加人数</th><th class=\"n\">名额</th><th class=\"n\">优秀</th>"
                 "<th class=\"n\">优秀比例</th><th class=\"n\">比例上限</th><th>问题</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const char *id = item(s, i, "id");
        bool error = !strcmp(item(s, i, "status"), "有错误");
        sbuf_printf(b, "<tr data-status=\"%s\"%s><td><a href=\"#u-", error ? "error" : "ok",
                    error ? " class=\"error\"" : "");
        esc(b, id);
        sbuf_puts(b, "\">");
        esc(b, id);
        sbuf_puts(b, "</a></td><td>");
        esc(b, item(s, i, "name"));
        sbuf_printf(b, "</td><td class=\"st-%s\">%s</td>", error ? "error" : "ok", item(s, i, "status"));
        number_cell(b, item(s, i, "participants"));
        number_cell(b, item(s, i, "places"));
        number_cell(b, item(s, i, "excellent"));
        ratio_cell(b, item(s, i, "ratio"));
        ratio_cell(b, item(s, i, "cap"));
        sbuf_puts(b, "<td>");
        esc(b, words[i]);
        sbuf_puts(b, "</td></tr>\n");
    }
    sbuf_puts(b, "</tbody></table>\n");
}

/* ---------------------------------------------------- findings in a word */

static xmlTextReaderPtr open_results(const char *dir, sbuf *err)
{
    sbuf path = {0};
    sbuf_printf(&path, "%s/results.xml", dir);
    xmlTextReaderPtr r = xmlReaderForFile(path.data, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!r) sbuf_printf(err, "%s: 无法读取 (RESULTS_INVALID)", path.data);
    sbuf_free(&path);
    return r;
}

static char *get_attr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* A results element of ours: its local name, else NULL. */
static const char *our_element(xmlTextReaderPtr r)
{
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) return NULL;
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
    return ns && !strcmp(ns, RESULTS_NS) ? (const char *)xmlTextReaderConstLocalName(r) : NULL;
}

static bool is_unit_end(xmlTextReaderPtr r)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
           !strcmp((const char *)xmlTextReaderConstLocalName(r), "unit");
}

/* A unit's findings grouped by code, in the order the codes first occur. */
typedef struct fgroup {
    char code[48];
    bool error;
    long n;
    sbuf items;   /* <li> per finding */
} fgroup;

typedef struct fgroups {
    fgroup g[MAX_GROUPS];
    int n;
} fgroups;

static fgroup *group_for(fgroups *gs, const char *raw, bool error)
{
    /* codes are [A-Z_0-9]; anything else in a hand-edited file is dropped */
    char code[48] = "";
    for (size_t i = 0, k = 0; raw[i] && k + 1 < sizeof code; i++)
        if ((raw[i] >= 'A' && raw[i] <= 'Z') || (raw[i] >= '0' && raw[i] <= '9') || raw[i] == '_')
            code[k++] = raw[i];
    for (int i = 0; i < gs->n; i++)
        if (!strcmp(gs->g[i].code, code) && gs->g[i].error == error) return &gs->g[i];
    if (gs->n == MAX_GROUPS) return &gs->g[MAX_GROUPS - 1];
    fgroup *g = &gs->g[gs->n++];
    memcpy(g->code, code, sizeof code);
    g->error = error;
    return g;
}

static void groups_clear(fgroups *gs)
{
    for (int i = 0; i < gs->n; i++) sbuf_free(&gs->g[i].items);
    memset(gs, 0, sizeof *gs);
}

/* NAME_<code> of the catalog, or the code when it has none. */
static const char *finding_name(const char *code)
{
    char key[64];
    snprintf(key, sizeof key, "NAME_%s", code);
    const char *s = msg_fmt(LANG_ZH, key);
    return s == key ? code : s;
}

static const char *finding_fix(const char *code)
{
    char key[64];
    snprintf(key, sizeof key, "FIX_%s", code);
    const char *s = msg_fmt(LANG_ZH, key);
    return s == key ? msg_fmt(LANG_ZH, "FIX_OTHER") : s;
}

/* "错误：名额超出；警告：排名相同×2" */
static char *groups_words(const fgroups *gs)
{
    sbuf b = {0};
    sbuf_puts(&b, "");
    for (int pass = 0; pass < 2; pass++) {
        bool first = true;
        for (int i = 0; i < gs->n; i++) {
            if (gs->g[i].error != (pass == 0)) continue;
            if (first) sbuf_printf(&b, "%s%s：", b.len ? "；" : "", pass == 0 ? "错误" : "警告");
            sbuf_printf(&b, "%s%s", first ? "" : "、", finding_name(gs->g[i].code));
            if (gs->g[i].n > 1) sbuf_printf(&b, "×%ld", gs->g[i].n);
            first = false;
        }
    }
    return b.data;
}

/* Each unit's findings in a word, in results.xml order (as the summary's rows). */
static char **read_words(const char *dir, size_t n, sbuf *err)
{
    xmlTextReaderPtr r = open_results(dir, err);
    if (!r) return NULL;
    char **words = xcalloc(n + 1, sizeof *words);
    fgroups gs = {0};
    size_t i = 0;
    while (xmlTextReaderRead(r) == 1) {
        if (is_unit_end(r) && i < n) {
            words[i++] = groups_words(&gs);
            groups_clear(&gs);
            continue;
        }
        const char *name = our_element(r);
        if (name && !strcmp(name, "unit") && xmlTextReaderIsEmptyElement(r) && i < n) words[i++] = xstrdup("");
        if (!name || strcmp(name, "finding")) continue;
        char *code = get_attr(r, "code"), *sev = get_attr(r, "severity");
        group_for(&gs, code ? code : "", sev && !strcmp(sev, "error"))->n++;
        free(code);
        free(sev);
    }
    groups_clear(&gs);
    xmlFreeTextReader(r);
    for (; i < n; i++) words[i] = xstrdup("");
    return words;
}

static void free_words(char **words, size_t n)
{
    for (size_t i = 0; words && i < n; i++) free(words[i]);
    free(words);
}

/* ------------------------------------------------------ a unit's section */

enum { G_EXC, G_COMP, G_BASIC, G_INCOMP, G_NONE, G_N };
static const char *const GRADE_KEYS[G_N] = {"excellent", "competent", "basic", "incompetent", "none"};
static const char *const GRADE_LABELS[G_N] = {"优秀", "称职（合格）", "基本称职（基本合格）",
                                              "不称职（不合格）", "不定等次或未参加"};
enum { R_COMM, R_MERIT, R_N };
static const char *const REWARD_KEYS[R_N] = {"commendation", "third-class-merit"};
static const char *const REWARD_LABELS[R_N] = {"嘉奖", "记三等功"};

typedef struct unit_acc {
    char *id, *name, *from, *to;
    bool error;
    long grade[G_N], reward[R_N];
    sbuf excellent, rewarded[R_N];   /* person ids, "、" between */
    fgroups findings;
} unit_acc;

static void acc_clear(unit_acc *u)
{
    free(u->id);
    free(u->name);
    free(u->from);
    free(u->to);
    sbuf_free(&u->excellent);
    for (int i = 0; i < R_N; i++) sbuf_free(&u->rewarded[i]);
    groups_clear(&u->findings);
    memset(u, 0, sizeof *u);
}

static void add_id(sbuf *list, const char *id)
{
    if (list->len) sbuf_puts(list, "、");
    esc(list, id);
}

static void acc_person(unit_acc *u, xmlTextReaderPtr r)
{
    char *id = get_attr(r, "id"), *grade = get_attr(r, "grade"), *reward = get_attr(r, "reward");
    int g = G_NONE;
    for (int i = 0; i < G_N; i++)
        if (grade && !strcmp(grade, GRADE_KEYS[i])) g = i;
    u->grade[g]++;
    if (g == G_EXC) add_id(&u->excellent, id);
    for (int i = 0; i < R_N; i++)
        if (reward && !strcmp(reward, REWARD_KEYS[i])) {
            u->reward[i]++;
            add_id(&u->rewarded[i], id);
        }
    free(id);
    free(grade);
    free(reward);
}

static void acc_finding(unit_acc *u, xmlTextReaderPtr r)
{
    char *code = get_attr(r, "code"), *sev = get_attr(r, "severity"), *person = get_attr(r, "person");
    xmlChar *text = xmlTextReaderReadString(r);
    bool error = sev && !strcmp(sev, "error");
    fgroup *g = group_for(&u->findings, code ? code : "", error);
    g->n++;
    sbuf_puts(&g->items, "<li>");
    esc(&g->items, (const char *)text);
    if (person && !(text && strstr((const char *)text, person))) {   /* the message may name the person already */
        sbuf_puts(&g->items, "（人员 ");
        esc(&g->items, person);
        sbuf_puts(&g->items, "）");
    }
    sbuf_puts(&g->items, "</li>");
    xmlFree(text);
    free(code);
    free(sev);
    free(person);
}

static void write_grades(sbuf *b, const unit_acc *u)
{
    sbuf_puts(b, "<h3>拟定等次</h3><ul>");
    for (int i = 0; i < G_N; i++)
        if (u->grade[i]) sbuf_printf(b, "<li>%s：<span data-grade=\"%s\">%ld</span> 人</li>", GRADE_LABELS[i],
                                     GRADE_KEYS[i], u->grade[i]);
    if (u->excellent.len) sbuf_printf(b, "<li>拟定优秀人员：%s</li>", u->excellent.data);
    sbuf_puts(b, "</ul>");
    sbuf_puts(b, "<h3>奖励</h3><ul>");
    for (int i = 0; i < R_N; i++)
        if (u->reward[i]) {
            /* most units reward exactly their excellent persons: say so, not twice the ids */
            bool same = u->excellent.len == u->rewarded[i].len && !strcmp(u->excellent.data, u->rewarded[i].data);
            sbuf_printf(b, "<li>%s <span data-reward=\"%s\">%ld</span> 人：%s</li>", REWARD_LABELS[i],
                        REWARD_KEYS[i], u->reward[i], same ? "即拟定优秀人员" : u->rewarded[i].data);
        }
    if (!u->reward[R_COMM] && !u->reward[R_MERIT]) sbuf_puts(b, "<li>无</li>");
    sbuf_puts(b, "</ul>");
}

static void write_findings(sbuf *b, const unit_acc *u)
{
    sbuf_puts(b, "<h3>问题及处理</h3>");
    if (!u->findings.n) sbuf_puts(b, "<p>无</p>");
    for (int i = 0; i < u->findings.n; i++) {
        const fgroup *g = &u->findings.g[i];
        sbuf_printf(b, "<p class=\"%s\" data-code=\"%s\"><b>%s：%s</b>（%ld 条）<br><span class=\"fix\">"
                       "处理：%s</span></p><ul class=\"%s\">%s</ul>",
                    g->error ? "err" : "warn", g->code, g->error ? "错误" : "警告", finding_name(g->code), g->n,
                    finding_fix(g->code), g->error ? "err" : "warn", g->items.data ? g->items.data : "");
    }
}

static int file_first(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

static int listed_name(const struct dirent *e) { return e->d_name[0] != '.'; }   /* temp names start with a dot too */

/* Files in `path` (a subdirectory such as registration/ of --split). */
static int count_files(const char *path)
{
    struct dirent **names = NULL;
    int n = scandir(path, &names, listed_name, file_first);
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
    return n < 0 ? 0 : n;
}

/* One link: "ballot：PDF" starts a form, " XLSX" continues it. */
static void write_link(sbuf *b, const char *id, const char *f, const char *prev)
{
    const char *dot = strrchr(f, '.');
    size_t stem = dot ? (size_t)(dot - f) : strlen(f);
    bool same = prev && !strncmp(prev, f, stem) && prev[stem] == '.';
    if (!same) {
        sbuf_puts(b, prev ? "　" : "");
        sbuf_add(b, f, stem);   /* our own names: [a-z-] */
        sbuf_puts(b, "：");
    }
    sbuf_puts(b, same ? " <a href=\"" : "<a href=\"");
    esc(b, id);
    sbuf_puts(b, "/");
    esc(b, f);
    sbuf_puts(b, "\">");
    for (const char *c = dot ? dot + 1 : f; *c; c++) sbuf_putc(b, (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c));
    sbuf_puts(b, "</a>");
}

/* Links to the unit's files as they are on disk (only error-free units have
 * any); a subdirectory (registration/ of --split, a file per person) is
 * counted, not listed. */
static void write_links(sbuf *b, const char *dir, const char *id)
{
    sbuf path = {0};
    sbuf_printf(&path, "%s/%s", dir, id);
    struct dirent **names = NULL;
    int n = scandir(path.data, &names, listed_name, file_first);
    sbuf_puts(b, "<h3>文件</h3><p class=\"files\">");
    const char *prev = NULL;
    for (int i = 0; i < n; i++) {
        size_t mark = path.len;
        sbuf_printf(&path, "/%s", names[i]->d_name);
        struct stat st;
        if (stat(path.data, &st) == 0 && S_ISDIR(st.st_mode))
            sbuf_printf(b, "%s%s/（%d 个文件）", prev ? "　" : "", names[i]->d_name, count_files(path.data));
        else write_link(b, id, names[i]->d_name, prev);
        path.len = mark;
        path.data[mark] = '\0';
        prev = names[i]->d_name;
    }
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
    sbuf_free(&path);
    sbuf_puts(b, n > 0 ? "</p>" : "无（有错误的单位不生成表格）</p>");
}

static void write_unit(sbuf *b, const char *dir, const unit_acc *u, bool open)
{
    sbuf_puts(b, "<section class=\"unit");
    sbuf_puts(b, u->error ? " error\" id=\"u-" : "\" id=\"u-");
    esc(b, u->id);
    sbuf_printf(b, "\"><details%s><summary><b>", open ? " open" : "");
    esc(b, u->id);
    sbuf_puts(b, " ");
    esc(b, u->name);
    sbuf_printf(b, "</b>　<span class=\"st-%s\">%s</span></summary>", u->error ? "error" : "ok",
                u->error ? "有错误" : "正常");
    write_grades(b, u);
    sbuf_puts(b, "<h3>公示期</h3><p>");
    if (u->from) {
        esc(b, u->from);
        sbuf_puts(b, " 至 ");
        esc(b, u->to);
    } else sbuf_puts(b, "无（未生成公示）");
    sbuf_puts(b, "</p>");
    write_findings(b, u);
    write_links(b, dir, u->id);
    sbuf_puts(b, "</details></section>\n");
}

static void acc_start(unit_acc *u, xmlTextReaderPtr r)
{
    acc_clear(u);
    u->id = get_attr(r, "id");
    u->name = get_attr(r, "name");
    char *st = get_attr(r, "status");
    u->error = st && !strcmp(st, "error");
    free(st);
}

/* Stream results.xml: each unit's section goes to fp when its </unit> is
 * read. False when the file cannot be read or written. */
static bool write_units(FILE *fp, const char *dir, bool open, sbuf *err)
{
    xmlTextReaderPtr r = open_results(dir, err);
    if (!r) return false;
    unit_acc u = {0};
    sbuf b = {0};
    bool in_unit = false;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        const char *name = our_element(r);
        if (in_unit && is_unit_end(r)) {
            write_unit(&b, dir, &u, open);
            in_unit = false;
        } else if (name && !strcmp(name, "unit")) {
            acc_start(&u, r);
            in_unit = !xmlTextReaderIsEmptyElement(r);
            if (!in_unit) write_unit(&b, dir, &u, open);
        } else if (in_unit && name && !strcmp(name, "person")) acc_person(&u, r);
        else if (in_unit && name && !strcmp(name, "finding")) acc_finding(&u, r);
        else if (in_unit && name && !strcmp(name, "notice")) {
            u.from = get_attr(r, "from");
            u.to = get_attr(r, "to");
        }
        if (b.len >= 65536 || (b.len && !in_unit)) {
            fwrite(b.data, 1, b.len, fp);
            sbuf_clear(&b);
        }
    }
    if (b.len) fwrite(b.data, 1, b.len, fp);
    sbuf_free(&b);
    acc_clear(&u);
    xmlFreeTextReader(r);
    if (rc != 0) sbuf_printf(err, "%s/results.xml: 不是有效的 results.xml (RESULTS_INVALID)", dir);
    return rc == 0;
}

/* ------------------------------------------------------------ the page */

static void write_top(FILE *fp, summary *sm, char **words)
{
    layout_source s = summary_source(sm);
    size_t n = summary_units(sm);
    sbuf b = {0};
    write_head(&b, lookup(&s, "year"));
    write_totals(&b, &s);
    if (n) write_chart(&b, &s, n);
    write_table(&b, &s, n, words);
    sbuf_printf(&b, "<h2>各单位详情</h2>\n<p class=\"meta\">人员以编号列出，姓名见各单位的登记表和公示。%s</p>\n",
                n > REPORT_OPEN_MAX ? "单位较多，各单位详情已折叠：点击单位名称展开；打印时全部展开。" : "");
    fwrite(b.data, 1, b.len, fp);
    sbuf_free(&b);
}

bool report_write_year(const char *dir, long long epoch, sbuf *written, sbuf *err)
{
    sbuf path = {0};
    sbuf_printf(&path, "%s/results.xml", dir);
    summary *sm = summary_read(path.data, epoch, err);
    sbuf_free(&path);
    if (!sm) return false;
    size_t n = summary_units(sm);
    char **words = read_words(dir, n, err);
    outfile out;
    sbuf_printf(&path, "%s/index.html", dir);
    bool ok = words && outfile_open(&out, path.data);
    if (words && !ok) sbuf_printf(err, "%s: %s", path.data, strerror(errno));
    if (ok) {
        write_top(out.fp, sm, words);
        ok = write_units(out.fp, dir, n <= REPORT_OPEN_MAX, err);
        fprintf(out.fp, "<script>%s</script>\n</body>\n</html>\n", SCRIPT);
        if (!ok) outfile_abort(&out);
        else if (!(ok = outfile_commit(&out))) sbuf_printf(err, "%s: %s", path.data, strerror(errno));
    }
    if (ok) sbuf_puts(written, "index.html\n");
    sbuf_free(&path);
    free_words(words, n);
    summary_free(sm);
    return ok;
}
