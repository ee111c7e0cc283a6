/* cli — see cli.h. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "assess.h"
#include "batch.h"
#include "ingest.h"
#include "calendar.h"
#include "date.h"
#include "merge.h"
#include "msg.h"
#include "outfile.h"
#include "roster.h"
#include "rosterw.h"
#include "sample.h"
#include "suggest.h"

typedef struct cli_ctx {
    msg_lang lang;
    const char *command;   /* the command being run, for "kaohe COMMAND --help" */
    char templates[PATH_MAX];
} cli_ctx;

static const char *tr(const cli_ctx *c, const char *zh, const char *en) { return c->lang == LANG_EN ? en : zh; }

/* A usage error (exit 2): what is wrong, the closest known word when the
 * wrong one looks like a typo of it, and where the usage is. */
static int usage_error_near(const cli_ctx *c, const char *what, const char *closest)
{
    sbuf m = { 0 }, hint = { 0 };
    msg_format(&m, c->lang, "USAGE", what);
    if (closest) msg_format(&hint, c->lang, "DID_YOU_MEAN", closest);
    fprintf(stderr, "kaohe: %s [USAGE]\n%s%s", m.data, hint.len ? hint.data : "", hint.len ? "\n" : "");
    if (c->command) fprintf(stderr, tr(c, "运行 kaohe %s --help 查看用法和示例。\n", "Run kaohe %s --help for usage and an example.\n"), c->command);
    else fputs(tr(c, "运行 kaohe --help 查看用法。\n", "Run kaohe --help for usage.\n"), stderr);
    sbuf_free(&m);
    sbuf_free(&hint);
    return EXIT_USAGE;
}

static int usage_error(const cli_ctx *c, const char *what) { return usage_error_near(c, what, NULL); }

/* A catalog message as the text of a usage error. */
static int usage_error_msg(const cli_ctx *c, const char *closest, const char *code, ...)
{
    sbuf m = { 0 };
    va_list ap;
    va_start(ap, code);
    sbuf_vprintf(&m, msg_fmt(c->lang, code), ap);
    va_end(ap);
    int status = usage_error_near(c, m.data, closest);
    sbuf_free(&m);
    return status;
}

/* An option getopt_long did not take (`tok` as typed): unknown, with the
 * closest of the command's options, or missing its value. */
static int bad_option(const cli_ctx *c, const struct option *longopts, const char *tok, bool needs_value)
{
    if (needs_value) return usage_error_msg(c, NULL, "OPTION_NEEDS_VALUE", tok);
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(tok, "="), tok);
    const char *names[64];
    char spelled[64][40];
    size_t n = 0;
    for (; longopts[n].name && n < 64; n++) {
        snprintf(spelled[n], sizeof spelled[n], "--%s", longopts[n].name);
        names[n] = spelled[n];
    }
    return usage_error_msg(c, suggest_closest(word, names, n), "OPTION_UNKNOWN", tok);
}

static void print_help(const cli_ctx *c)
{
    printf("%s", tr(c,
        "kaohe " KAOHE_VERSION " — 机关事业单位年度考核表格生成\n\n"
        "用法:\n"
        "  kaohe build  [选项] INPUT.xml...   校验、计算并写出全部结果\n"
        "  kaohe check  [选项] INPUT.xml...   只校验并应用规则，打印发现的问题，不写文件\n"
        "  kaohe quota  [选项] INPUT.xml...   打印各单位优秀名额表（--csv 输出 CSV）\n"
        "  kaohe workdays --from YYYY-MM-DD --days N   第 N 个工作日的日期（起始日计入）\n"
        "  kaohe sample --units N --persons M [--seed S] [--year Y] [--policy P]  生成样例输入\n"
        "  kaohe merge  -o DIR SHARD_DIR...   合并各分片（build --shard K/N）的输出\n"
        "  kaohe import [--year Y] 花名册.xlsx|*.csv > input.xml   花名册（Excel/WPS/CSV）转为输入 XML\n"
        "  kaohe roster-template -o 花名册.xlsx [--from INPUT.xml]   空白花名册模板（或由 XML 填好）\n"
        "  kaohe score  INPUT.xml...          打印单位绩效考评排名表\n"
        "  kaohe archive -o DIR --package OUTPUT/<年度> [-j N] SCAN...   签字扫描件按人、按单位归档\n"
        "  kaohe --help | --version | 命令 --help\n\n"
        "build/check/quota 的选项:\n"
        "  -o, --output DIR      输出目录（默认 output）\n"
        "  -j, --jobs N          并行数（默认 CPU 数）\n"
        "  -p, --policy NAME|FILE  考核政策（覆盖输入文件中的 policy）\n"
        "      --formats pdf,xlsx  输出格式（pdf、xlsx、docx 或 all；默认 pdf,xlsx）\n"
        "      --unit ID         只处理指定单位（可重复）\n"
        "      --shard K/N       只处理第 K 份（共 N 份，按单位编号稳定分配）\n"
        "      --strict          任一单位有错误时不写任何文件\n"
        "      --split           （build）另为每人写一个登记表 PDF：<单位>/registration/<人员编号>.pdf\n"
        "      --wait            （build、merge）输出目录正被另一次运行使用时排队等待（默认立即退出，状态 4）\n"
        "      --simplex         （build）单面打印：偶数页不对调装订边，不加“本页无正文”页（默认双面）\n"
        "      --approve         （build）主管部门自用：申报表的组织人事部门审核意见栏填写“同意”\n"
        "      --pdfa            （build）PDF 写成 PDF/A-2b（长期保存格式）\n"
        "      --progress auto|always|never   进度显示\n"
        "  -q, --quiet           安静模式\n"
        "      --csv             （quota）输出 CSV\n"
        "      --lang zh|en      信息语言（可放在命令行任何位置；默认按 LC_ALL、LC_MESSAGES、LANG，否则中文）\n\n"
        "退出状态: 0 成功（可有警告）；1 有单位存在错误；2 用法错误；3 输入文件无法读取、格式错误或不符合规范；4 输出无法写入。\n",
        "kaohe " KAOHE_VERSION " — annual appraisal forms for public-sector units\n\n"
        "Usage:\n"
        "  kaohe build  [options] INPUT.xml...   check, compute and write every result\n"
        "  kaohe check  [options] INPUT.xml...   validate and apply the rules; print findings; write nothing\n"
        "  kaohe quota  [options] INPUT.xml...   print each unit's quota table (--csv for CSV)\n"
        "  kaohe workdays --from YYYY-MM-DD --days N   date of the N-th working day (start day counts)\n"
        "  kaohe sample --units N --persons M [--seed S] [--year Y] [--policy P]   synthetic input\n"
        "  kaohe merge  -o DIR SHARD_DIR...   combine the outputs of build --shard K/N runs\n"
        "  kaohe import [--year Y] ROSTER.xlsx|*.csv > input.xml   a roster workbook (or its CSV) as input XML\n"
        "  kaohe roster-template -o ROSTER.xlsx [--from INPUT.xml]   the empty roster (or one filled from XML)\n"
        "  kaohe score  INPUT.xml...          print the unit appraisal ranking\n"
        "  kaohe archive -o DIR --package OUTPUT/<year> [-j N] SCAN...   file signed scans per person and unit\n"
        "  kaohe --help | --version | COMMAND --help\n\n"
        "Options of build/check/quota:\n"
        "  -o, --output DIR      output directory (default output)\n"
        "  -j, --jobs N          parallel jobs (default: online CPUs)\n"
        "  -p, --policy NAME|FILE  policy (overrides the input's)\n"
        "      --formats pdf,xlsx  output formats (pdf, xlsx, docx or all; default pdf,xlsx)\n"
        "      --unit ID         only this unit (repeatable)\n"
        "      --shard K/N       only shard K of N (stable hash of the unit id)\n"
        "      --strict          write nothing if any unit has an error\n"
        "      --split           (build) also one registration PDF per person: <unit>/registration/<person id>.pdf\n"
        "      --wait            (build, merge) wait while another run uses the output directory (default: exit 4 at once)\n"
        "      --simplex         (build) one-sided printing: no mirrored binding margin, no 本页无正文 pages (default duplex)\n"
        "      --approve         (build) the authority's own run: fill its approval box on the quota application\n"
        "      --pdfa            (build) the PDFs as PDF/A-2b (for long-term archiving)\n"
        "      --progress auto|always|never\n"
        "  -q, --quiet\n"
        "      --csv             (quota) CSV output\n"
        "      --lang zh|en      message language (anywhere on the line; default from LC_ALL, LC_MESSAGES, LANG, else Chinese)\n\n"
        "Exit status: 0 ok (warnings allowed); 1 some unit has an error; 2 usage error;\n"
        "3 an input file is unreadable, not well-formed or invalid; 4 output could not be written.\n"));
}

/* `kaohe COMMAND --help`: that command's options only, with an example. */
static const struct cli_help {
    const char *command, *zh, *en;
} HELP[] = {
    { "build",
      "用法：kaohe build [选项] INPUT.xml|花名册.xlsx|*.csv...\n"
      "校验、计算并写出全部结果：各单位的表格、汇总表、results.xml、findings.txt、\n"
      "审阅页 index.html 和 MANIFEST.sha256，写在 输出目录/<年度>/ 下。\n\n"
      "选项：\n"
      "  -o, --output DIR        输出目录（默认 output）\n"
      "  -p, --policy NAME|FILE  考核政策（覆盖输入文件中的 policy）\n"
      "      --formats pdf,xlsx  输出格式：pdf、xlsx、docx 或 all（默认 pdf,xlsx）\n"
      "      --unit ID           只处理指定单位（可重复）\n"
      "      --shard K/N         只处理第 K 份（共 N 份），之后用 kaohe merge 合并\n"
      "      --strict            任一单位有错误时不写任何文件\n"
      "      --split             另为每人写一个登记表 PDF\n"
      "      --simplex           单面打印（默认双面：偶数页对调装订边，每人从奇数页开始）\n"
      "      --approve           主管部门自用：申报表的审核意见栏填写“同意”\n"
      "      --wait              输出目录正被另一次运行使用时排队等待（默认立即退出，状态 4）\n"
      "      --year Y            花名册没有“考核”工作表时的考核年度\n"
      "  -j, --jobs N            并行数（默认 CPU 数）\n"
      "      --progress auto|always|never   进度显示\n"
      "  -q, --quiet             安静模式\n"
      "      --lang zh|en        信息语言\n\n"
      "示例：\n"
      "  kaohe build -o output input/*.xml\n"
      "  kaohe build --unit U00001 --formats pdf -o output input/2025-city.xml\n",
      "Usage: kaohe build [options] INPUT.xml|ROSTER.xlsx|*.csv...\n"
      "Check, compute and write every result: each unit's forms, the summary, results.xml,\n"
      "findings.txt, the review page index.html and MANIFEST.sha256, under OUTPUT/<year>/.\n\n"
      "Options:\n"
      "  -o, --output DIR        output directory (default output)\n"
      "  -p, --policy NAME|FILE  policy (overrides the input's)\n"
      "      --formats pdf,xlsx  output formats: pdf, xlsx, docx or all (default pdf,xlsx)\n"
      "      --unit ID           only this unit (repeatable)\n"
      "      --shard K/N         only shard K of N; combine them with kaohe merge\n"
      "      --strict            write nothing if any unit has an error\n"
      "      --split             also one registration PDF per person\n"
      "      --simplex           one-sided printing (default duplex: mirrored margins, persons on odd pages)\n"
      "      --approve           the authority's own run: fill its approval box\n"
      "      --wait              wait while another run uses the output directory (default: exit 4 at once)\n"
      "      --year Y            the year of a roster without a 考核 sheet\n"
      "  -j, --jobs N            parallel jobs (default: online CPUs)\n"
      "      --progress auto|always|never\n"
      "  -q, --quiet\n"
      "      --lang zh|en        message language\n\n"
      "Examples:\n"
      "  kaohe build -o output input/*.xml\n"
      "  kaohe build --unit U00001 --formats pdf -o output input/2025-city.xml\n" },
    { "check",
      "用法：kaohe check [选项] INPUT.xml...\n"
      "只校验并应用规则，打印发现的问题，不写文件。\n\n"
      "选项：\n"
      "  -p, --policy NAME|FILE  考核政策（覆盖输入文件中的 policy）\n"
      "      --unit ID           只检查指定单位（可重复）\n"
      "      --shard K/N         只检查第 K 份（共 N 份）\n"
      "  -j, --jobs N            并行数\n"
      "      --lang zh|en        信息语言\n\n"
      "示例：\n"
      "  kaohe check input/2025-city.xml\n",
      "Usage: kaohe check [options] INPUT.xml...\n"
      "Validate and apply the rules; print the findings; write nothing.\n\n"
      "Options:\n"
      "  -p, --policy NAME|FILE  policy (overrides the input's)\n"
      "      --unit ID           only this unit (repeatable)\n"
      "      --shard K/N         only shard K of N\n"
      "  -j, --jobs N            parallel jobs\n"
      "      --lang zh|en        message language\n\n"
      "Example:\n"
      "  kaohe check input/2025-city.xml\n" },
    { "quota",
      "用法：kaohe quota [选项] INPUT.xml...\n"
      "打印各单位各类别的参加人数、比例、优秀名额和拟定优秀人数。\n\n"
      "选项：\n"
      "      --csv               输出 CSV（单位,名称,类别,人数,比例,名额,优秀）\n"
      "  -p, --policy NAME|FILE  考核政策（覆盖输入文件中的 policy）\n"
      "      --unit ID           只打印指定单位（可重复）\n"
      "      --lang zh|en        信息语言\n\n"
      "示例：\n"
      "  kaohe quota input/2025-city.xml\n"
      "  kaohe quota --csv input/*.xml > quota.csv\n",
      "Usage: kaohe quota [options] INPUT.xml...\n"
      "Print each unit's participants, ratio, places and proposed excellent per bucket.\n\n"
      "Options:\n"
      "      --csv               CSV output (unit,name,bucket,persons,ratio,places,excellent)\n"
      "  -p, --policy NAME|FILE  policy (overrides the input's)\n"
      "      --unit ID           only this unit (repeatable)\n"
      "      --lang zh|en        message language\n\n"
      "Examples:\n"
      "  kaohe quota input/2025-city.xml\n"
      "  kaohe quota --csv input/*.xml > quota.csv\n" },
    { "workdays",
      "用法：kaohe workdays --from YYYY-MM-DD --days N\n"
      "打印从起始日算起第 N 个工作日的日期（起始日计入，按节假日安排）。\n\n"
      "示例：\n  kaohe workdays --from 2025-12-29 --days 5\n",
      "Usage: kaohe workdays --from YYYY-MM-DD --days N\n"
      "Print the date of the N-th working day from the start day (counted), by the holiday calendars.\n\n"
      "Example:\n  kaohe workdays --from 2025-12-29 --days 5\n" },
    { "sample",
      "用法：kaohe sample --units N --persons M [--seed S] [--year Y] [--policy P] [--format xlsx -o FILE.xlsx]\n"
      "生成一个合成的输入文件（写到标准输出；--format xlsx 写成花名册），用于试用和性能测试。\n\n"
      "示例：\n  kaohe sample --units 20 --persons 500 > sample.xml\n",
      "Usage: kaohe sample --units N --persons M [--seed S] [--year Y] [--policy P] [--format xlsx -o FILE.xlsx]\n"
      "Write a synthetic input file to standard output (--format xlsx: as a roster), for trials and benchmarks.\n\n"
      "Example:\n  kaohe sample --units 20 --persons 500 > sample.xml\n" },
    { "merge",
      "用法：kaohe merge -o DIR SHARD_DIR...\n"
      "合并各分片（kaohe build --shard K/N）的输出，结果与一次完整运行相同。\n\n"
      "选项：\n      --wait              输出目录正被另一次运行使用时排队等待\n\n"
      "示例：\n  kaohe merge -o output part1 part2\n",
      "Usage: kaohe merge -o DIR SHARD_DIR...\n"
      "Combine the outputs of kaohe build --shard K/N runs into what one whole run writes.\n\n"
      "Options:\n      --wait              wait while another run uses the output directory\n\n"
      "Example:\n  kaohe merge -o output part1 part2\n" },
    { "import",
      "用法：kaohe import [--year Y] 花名册.xlsx|*.csv... > input.xml\n"
      "把花名册（Excel/WPS 工作簿，或各工作表的 CSV）转为输入 XML，写到标准输出。\n"
      "有错误时指出文件、工作表和单元格（如 人员!F17），不写任何内容（状态 3）。\n\n"
      "示例：\n  kaohe import 花名册.xlsx > 2025.xml\n",
      "Usage: kaohe import [--year Y] ROSTER.xlsx|*.csv... > input.xml\n"
      "Turn a roster workbook (Excel/WPS, or its sheets as CSV) into input XML on standard output.\n"
      "A problem names the file, sheet and cell (人员!F17); nothing is written (exit 3).\n\n"
      "Example:\n  kaohe import roster.xlsx > 2025.xml\n" },
    { "roster-template",
      "用法：kaohe roster-template -o 花名册.xlsx [--from INPUT.xml]\n"
      "写出空白花名册（下拉列表、说明工作表、每表一行示例），或由输入 XML 填好的花名册。\n\n"
      "示例：\n  kaohe roster-template -o 花名册.xlsx\n",
      "Usage: kaohe roster-template -o ROSTER.xlsx [--from INPUT.xml]\n"
      "Write the empty roster workbook (drop-down lists, an instructions sheet, an example row per sheet),\n"
      "or one filled from an input XML.\n\n"
      "Example:\n  kaohe roster-template -o roster.xlsx\n" },
    { "score",
      "用法：kaohe score INPUT.xml...\n"
      "打印单位绩效考评排名表。\n\n"
      "示例：\n  kaohe score input/*.xml\n",
      "Usage: kaohe score INPUT.xml...\n"
      "Print the unit appraisal ranking.\n\n"
      "Example:\n  kaohe score input/*.xml\n" },
};

static const char *const COMMANDS[] = { "build", "check", "quota", "workdays", "sample", "merge", "score",
                                        "import", "roster-template", "archive", "help" };

static int print_command_help(const cli_ctx *c)
{
    for (size_t i = 0; i < sizeof HELP / sizeof HELP[0]; i++)
        if (!strcmp(HELP[i].command, c->command)) fputs(tr(c, HELP[i].zh, HELP[i].en), stdout);
    return 0;
}

/* templates/: $KAOHE_TEMPLATES, else beside the binary (build/../templates),
 * else ./templates. */
static bool file_exists(const char *dir, const char *rel)
{
    sbuf p = { 0 };
    sbuf_printf(&p, "%s/%s", dir, rel);
    struct stat st;
    bool ok = stat(p.data, &st) == 0;
    sbuf_free(&p);
    return ok;
}

static void find_templates(cli_ctx *c)
{
    const char *env = getenv("KAOHE_TEMPLATES");
    if (env && *env) {
        snprintf(c->templates, sizeof c->templates, "%s", env);
        return;
    }
    snprintf(c->templates, sizeof c->templates, "templates");
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return;
    *slash = '\0';
    static const char *const rel[] = { "../templates", "../share/kaohe/templates" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        sbuf d = { 0 };
        sbuf_printf(&d, "%s/%s", exe, rel[i]);
        bool found = d.len < sizeof c->templates && file_exists(d.data, "appraisal.xsd");
        if (found) memcpy(c->templates, d.data, d.len + 1);
        sbuf_free(&d);
        if (found) return;
    }
}

static long long run_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    long long v;
    if (s && parse_int_range(s, 0, 253402300799LL, &v)) return v;
    /* today in local time, expressed as that day's UTC midnight */
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    kh_date d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
    return (long long)date_to_days(d) * 86400LL;
}

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

enum { OPT_FORMATS = 256, OPT_UNIT, OPT_SHARD, OPT_STRICT, OPT_PROGRESS, OPT_CSV, OPT_LANG, OPT_HELP, OPT_SPLIT,
       OPT_YEAR, OPT_FROM, OPT_FORMAT, OPT_WAIT, OPT_SIMPLEX, OPT_APPROVE, OPT_PDFA };

/* Convert the roster inputs (.xlsx, .csv) to XML, run the batch on the
 * list, and fold the rosters' failures into the exit status. */
static int run_with_rosters(const cli_ctx *c, const batch_opts *o, char *const *files, int n_files, int year)
{
    char policies[PATH_MAX + 16];
    snprintf(policies, sizeof policies, "%s/policies", c->templates);
    roster_opts ro = { .year = year, .policies_dir = o->policy ? NULL : policies, .lang = o->lang, .err = o->err };
    roster_staged rs;
    roster_stage(files, n_files, &ro, o->quiet, &rs);
    int status = rs.n_files ? batch_run(o, rs.files, rs.n_files) : EXIT_OK;
    if (rs.write_failed) status = EXIT_OUTPUT;
    else if (rs.failed && status < EXIT_INPUT) status = EXIT_INPUT;
    roster_staged_free(&rs);
    return status;
}

/* The output formats --formats takes. */
static const char *const FORMATS[] = { "pdf", "xlsx", "docx", "all" };

static void formats_list(sbuf *b)
{
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++) sbuf_printf(b, "%s%s", i ? "," : "", FORMATS[i]);
}

/* --formats pdf,xlsx: every word must be a format; none is no format. */
static int parse_formats(const cli_ctx *c, const char *arg, batch_opts *o)
{
    sbuf valid = { 0 };
    formats_list(&valid);
    int status = -1;
    o->want_pdf = o->want_xlsx = o->want_docx = false;
    if (!*arg) status = usage_error_msg(c, NULL, "FORMATS_EMPTY", valid.data);
    for (const char *f = arg; status < 0 && *f;) {
        size_t n = strcspn(f, ",");
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), f);
        if (!strcmp(word, "pdf")) o->want_pdf = true;
        else if (!strcmp(word, "xlsx")) o->want_xlsx = true;
        else if (!strcmp(word, "docx")) o->want_docx = true;
        else if (!strcmp(word, "all")) o->want_pdf = o->want_xlsx = o->want_docx = true;
        else status = usage_error_msg(c, suggest_closest(word, FORMATS, sizeof FORMATS / sizeof FORMATS[0]),
                                      "FORMAT_UNKNOWN", word, valid.data);
        f += n + (f[n] == ',');
    }
    sbuf_free(&valid);
    return status;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The preset policies in templates/policies/ (NAME.policy), sorted. */
static size_t list_policies(const cli_ctx *c, char ***names)
{
    char dir[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/policies", c->templates);
    DIR *d = opendir(dir);
    size_t n = 0, cap = 0;
    *names = NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len <= 7 || strcmp(e->d_name + len - 7, ".policy") || e->d_name[0] == '.') continue;
        if (n == cap) *names = xrealloc(*names, (cap = cap ? 2 * cap : 16) * sizeof **names);
        (*names)[n] = xstrdup(e->d_name);
        (*names)[n++][len - 7] = '\0';
    }
    if (d) closedir(d);
    if (n) qsort(*names, n, sizeof **names, name_cmp);
    return n;
}

/* -p NAME that is not a preset: a usage error listing the presets there are
 * (by name: where the installation keeps them is no business of the officer's).
 * A FILE (a path, or NAME.policy) is left to the run to load. */
static int check_policy_name(const cli_ctx *c, const char *name)
{
    size_t len = strlen(name);
    if (strchr(name, '/') || (len > 7 && !strcmp(name + len - 7, ".policy"))) return -1;
    char **names;
    size_t n = list_policies(c, &names);
    bool found = false;
    sbuf list = { 0 }, what = { 0 };
    for (size_t i = 0; i < n; i++) {
        found = found || !strcmp(names[i], name);
        sbuf_printf(&list, "%s%s", i ? tr(c, "、", ", ") : "", names[i]);
    }
    int status = -1;
    if (!found) {
        msg_format(&what, c->lang, "POLICY_UNKNOWN", name);
        sbuf_puts(&what, tr(c, "；", "; "));
        msg_format(&what, c->lang, "POLICY_CHOICES", list.len ? list.data : "—");
        status = usage_error_near(c, what.data, suggest_closest(name, (const char *const *)names, n));
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    sbuf_free(&list);
    sbuf_free(&what);
    return status;
}


static int cmd_batch(cli_ctx *c, batch_command cmd, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, 0, 'o' }, { "jobs", required_argument, 0, 'j' },
        { "policy", required_argument, 0, 'p' }, { "formats", required_argument, 0, OPT_FORMATS },
        { "unit", required_argument, 0, OPT_UNIT }, { "shard", required_argument, 0, OPT_SHARD },
        { "strict", no_argument, 0, OPT_STRICT }, { "progress", required_argument, 0, OPT_PROGRESS },
        { "quiet", no_argument, 0, 'q' }, { "csv", no_argument, 0, OPT_CSV },
        { "lang", required_argument, 0, OPT_LANG }, { "help", no_argument, 0, OPT_HELP },
        { "split", no_argument, 0, OPT_SPLIT }, { "year", required_argument, 0, OPT_YEAR },
        { "wait", no_argument, 0, OPT_WAIT }, { "simplex", no_argument, 0, OPT_SIMPLEX },
        { "approve", no_argument, 0, OPT_APPROVE },
        { "pdfa", no_argument, 0, OPT_PDFA }, { 0, 0, 0, 0 },
    };
    int year = 0;
    batch_opts o = { .command = cmd, .output_dir = "output", .templates_dir = c->templates,
                     .jobs = online_cpus(), .lang = c->lang, .run_epoch = run_epoch(),
                     .want_pdf = true, .want_xlsx = true,
                     .out = stdout, .err = stderr };
    const char **units = xcalloc((size_t)argc + 1, sizeof *units);
    int n_units = 0, opt, status = -1;
    long long v;
    optind = 1;
    opterr = 0;
    while (status < 0 && (opt = getopt_long(argc, argv, ":o:j:p:q", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': o.output_dir = optarg; break;
        case 'j':
            if (!parse_int_range(optarg, 1, 1024, &v)) status = usage_error(c, "--jobs N (1..1024)");
            else o.jobs = (int)v;
            break;
        case 'p': o.policy = optarg; break;
        case OPT_FORMATS: status = parse_formats(c, optarg, &o); break;
        case OPT_UNIT: units[n_units++] = optarg; break;
        case OPT_SHARD: {
            int k = 0, n = 0;
            char tail;
            if (sscanf(optarg, "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n || n > 1000000)
                status = usage_error(c, "--shard K/N (1 <= K <= N)");
            o.shard_k = k;
            o.shard_n = n;
            break;
        }
        case OPT_STRICT: o.strict = true; break;
        case OPT_SPLIT: o.split = true; break;
        case OPT_YEAR:
            if (!parse_int_range(optarg, 1950, 2200, &v)) status = usage_error(c, "--year Y (1950..2200)");
            else year = (int)v;
            break;
        case OPT_WAIT: o.wait = true; break;
        case OPT_SIMPLEX: o.simplex = true; break;
        case OPT_APPROVE: o.approve = true; break;
        case OPT_PDFA: o.pdfa = true; break;
        case OPT_PROGRESS:
            if (!strcmp(optarg, "auto")) o.progress = BATCH_PROGRESS_AUTO;
            else if (!strcmp(optarg, "always")) o.progress = BATCH_PROGRESS_ALWAYS;
            else if (!strcmp(optarg, "never")) o.progress = BATCH_PROGRESS_NEVER;
            else status = usage_error(c, "--progress auto|always|never");
            break;
        case 'q': o.quiet = true; break;
        case OPT_CSV: o.csv = true; break;
        case OPT_LANG:   /* an abbreviation (--lan en): cli_main took --lang itself */
            if (strcmp(optarg, "en") && strcmp(optarg, "zh")) status = usage_error_msg(c, NULL, "LANG_UNKNOWN", optarg);
            else o.lang = c->lang = optarg[0] == 'e' ? LANG_EN : LANG_ZH;
            break;
        case OPT_HELP: status = print_command_help(c); break;
        default:
            status = bad_option(c, longopts, optind > 0 && optind <= argc ? argv[optind - 1] : "?", opt == ':');
        }
    }
    if (status < 0 && optind >= argc)
        status = usage_error(c, tr(c, "缺少输入文件 INPUT.xml", "missing INPUT.xml"));
    if (status < 0 && o.policy) status = check_policy_name(c, o.policy);
    if (status < 0) {
        o.units = n_units ? units : NULL;
        status = run_with_rosters(c, &o, argv + optind, argc - optind, year);
    }
    free(units);
    return status;
}

/* s padded with spaces to `width` terminal columns (CJK characters take two). */
static void print_cell(const char *s, int width)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) cols += *p >= 0xE0 ? 2 : 1;
    fputs(s, stdout);
    for (; cols < width; cols++) putchar(' ');
    putchar(' ');
}

/* The ranking table of a run's unit appraisal (SPEC 5) on the terminal. */
static void print_ranking(const cli_ctx *c, const assess_run *a)
{
    const scheme_rank_entry *e;
    const char *const *schemes, *const *names;
    size_t n = assess_entries(a, &e, &schemes, &names);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(schemes[i], schemes[i - 1])) {
            printf("%s%s %s（%s）\n", i ? "\n" : "", tr(c, "考评方案", "scheme"), schemes[i],
                   assess_scheme_title(a, schemes[i]));
            print_cell(tr(c, "序列", "series"), 6);
            print_cell(tr(c, "名次", "rank"), 6);
            print_cell(tr(c, "单位代码", "unit"), 10);
            print_cell(tr(c, "单位名称", "name"), 28);
            print_cell(tr(c, "总分", "total"), 9);
            printf("%s\n", tr(c, "等次", "grade"));
        }
        char total[40], series[16], rank[32];
        fix6_format_fixed(e[i].total, 2, total, sizeof total);
        snprintf(series, sizeof series, "%d", e[i].series);
        snprintf(rank, sizeof rank, "%d/%d", e[i].rank, e[i].series_size);
        print_cell(e[i].series ? series : "-", 6);
        print_cell(rank, 6);
        print_cell(e[i].unit_id, 10);
        print_cell(names[i], 28);
        printf("%9s ", total);
        fputs(e[i].label ? e[i].label : "", stdout);
        if (e[i].note && e[i].note[0]) printf("（%s）", e[i].note);
        putchar('\n');
    }
    if (n == 0) printf("%s\n", tr(c, "（没有带考评的单位）", "(no unit carries an assessment)"));
}

static int cmd_score(cli_ctx *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help")) return print_command_help(c);
        else if (argv[i][0] == '-') return bad_option(c, (const struct option[]){ { "help", 0, 0, 0 }, { 0 } }, argv[i], false);
    if (argc < 2) return usage_error(c, "kaohe score INPUT.xml...");
    char path[PATH_MAX + 32], e[1024];
    snprintf(path, sizeof path, "%s/appraisal.xsd", c->templates);
    ingest_schema *schema = ingest_schema_load(path, e, sizeof e);
    if (!schema) {
        fprintf(stderr, "kaohe: %s [SCHEMA_UNAVAILABLE]\n", e);
        return EXIT_OUTPUT;
    }
    int status = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        sbuf err = { 0 };
        if (ingest_validate(argv[i], schema, c->lang, &err) != 0) {
            fprintf(stderr, "kaohe: %s\n", err.data);
            status = EXIT_INPUT;
        }
        sbuf_free(&err);
    }
    snprintf(path, sizeof path, "%s/schemes", c->templates);
    sbuf err = { 0 };
    assess_run *a = assess_prepass(path, argv + 1, argc - 1, schema, c->lang, &err);
    if (!a && err.len) {
        fprintf(stderr, "kaohe: %s [SCHEME_INVALID]\n", err.data);
        status = EXIT_OUTPUT;
    } else {
        print_ranking(c, a);
        const char *problems = assess_problems(a);
        if (*problems) {
            fputs(problems, stderr);
            if (status == EXIT_OK) status = EXIT_UNIT_ERRORS;
        }
    }
    sbuf_free(&err);
    assess_free(a);
    ingest_schema_free(schema);
    return status;
}

static int cmd_merge(cli_ctx *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, 0, 'o' }, { "lang", required_argument, 0, OPT_LANG },
        { "help", no_argument, 0, OPT_HELP }, { "wait", no_argument, 0, OPT_WAIT }, { 0, 0, 0, 0 },
    };
    merge_opts o = { .output_dir = NULL, .templates_dir = c->templates, .run_epoch = run_epoch(),
                     .lang = c->lang, .err = stderr };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
        if (opt == 'o') o.output_dir = optarg;
        else if (opt == OPT_WAIT) o.wait = true;
        else if (opt == OPT_LANG) o.lang = c->lang = !strcmp(optarg, "en") ? LANG_EN : LANG_ZH;
        else if (opt == OPT_HELP) return print_command_help(c);
        else return bad_option(c, longopts, argv[optind - 1], opt == ':');
    }
    if (!o.output_dir || optind >= argc) return usage_error(c, "kaohe merge -o DIR SHARD_DIR...");
    return merge_run(&o, argv + optind, argc - optind);
}

static int cmd_archive(cli_ctx *c, int argc, char **argv)
{
    enum { OPT_PACKAGE = 512 };
    static const struct option longopts[] = {
        { "output", required_argument, 0, 'o' }, { "package", required_argument, 0, OPT_PACKAGE },
        { "jobs", required_argument, 0, 'j' },   { "lang", required_argument, 0, OPT_LANG },
        { "help", no_argument, 0, OPT_HELP },    { 0, 0, 0, 0 },
    };
    const char *use = "kaohe archive -o DIR --package OUTPUT/<year> [-j N] SCAN...";
    archive_opts o = { .jobs = online_cpus(), .lang = c->lang, .err = stderr, .templates = c->templates,
                       .epoch = getenv("SOURCE_DATE_EPOCH") ? run_epoch() : -1 };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "o:j:", longopts, NULL)) != -1) {
        if (opt == 'o') o.output = optarg;
        else if (opt == OPT_PACKAGE) o.package = optarg;
        else if (opt == 'j' && atoi(optarg) >= 1) o.jobs = atoi(optarg);
        else if (opt == OPT_LANG) o.lang = c->lang = !strcmp(optarg, "en") ? LANG_EN : LANG_ZH;
        else if (opt == OPT_HELP) {
            printf("%s\n", use);
            return 0;
        } else return usage_error(c, use);
    }
    if (!o.output || !o.package || optind >= argc) return usage_error(c, use);
    return archive_run(&o, argv + optind, argc - optind);
}

static int cmd_workdays(cli_ctx *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "from", required_argument, 0, 'f' }, { "days", required_argument, 0, 'd' },
        { "lang", required_argument, 0, OPT_LANG }, { "help", no_argument, 0, OPT_HELP }, { 0, 0, 0, 0 },
    };
    const char *from = NULL;
    long long days = -1;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (opt == 'f') from = optarg;
        else if (opt == 'd') {
            if (!parse_int_range(optarg, 1, 100000, &days)) return usage_error(c, "--days N (N >= 1)");
        } else if (opt == OPT_LANG) c->lang = !strcmp(optarg, "en") ? LANG_EN : LANG_ZH;
        else if (opt == OPT_HELP) return print_command_help(c);
        else return bad_option(c, longopts, argv[optind - 1], opt == ':');
    }
    kh_date start;
    if (!from || !date_parse(from, &start) || days < 1 || optind != argc)
        return usage_error(c, "kaohe workdays --from YYYY-MM-DD --days N");
    char path[PATH_MAX + 16], err[600];
    snprintf(path, sizeof path, "%s/calendars", c->templates);
    calendar *cal = calendar_load_dir(path, err, sizeof err);
    if (!cal) {
        sbuf m = { 0 };
        msg_format(&m, c->lang, "CALENDAR_INVALID", err);
        fprintf(stderr, "kaohe: %s [CALENDAR_INVALID]\n", m.data);
        sbuf_free(&m);
        return EXIT_OUTPUT;
    }
    bool fallback = false;
    kh_date end = calendar_nth_workday(cal, start, (int)days, &fallback);
    char buf[11];
    date_format(end, buf);
    printf("%s\n", buf);
    if (fallback) {
        /* name the first year the count needed and did not have */
        int year = calendar_has_year(cal, start.y) ? end.y : start.y;
        sbuf m = { 0 };
        msg_format(&m, c->lang, "NO_CALENDAR", year);
        fprintf(stderr, "kaohe: %s [NO_CALENDAR]\n", m.data);
        sbuf_free(&m);
    }
    calendar_free(cal);
    return 0;
}

/* kaohe import ROSTER... : one roster (one .xlsx, or its CSV files) as XML. */
static int cmd_import(cli_ctx *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "year", required_argument, 0, OPT_YEAR }, { "output", required_argument, 0, 'o' },
        { "lang", required_argument, 0, OPT_LANG }, { "quiet", no_argument, 0, 'q' },
        { "help", no_argument, 0, OPT_HELP }, { 0, 0, 0, 0 },
    };
    static const char usage[] = "kaohe import [--year Y] [-o FILE.xml] ROSTER.xlsx | ROSTER.csv...";
    int year = 0, opt;
    bool quiet = false;
    const char *out_path = NULL;
    long long v;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "o:q", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_YEAR:
            if (!parse_int_range(optarg, 1950, 2200, &v)) return usage_error(c, "--year Y (1950..2200)");
            year = (int)v;
            break;
        case 'o': out_path = optarg; break;
        case 'q': quiet = true; break;
        case OPT_LANG: c->lang = !strcmp(optarg, "en") ? LANG_EN : LANG_ZH; break;
        case OPT_HELP: printf("%s\n", usage); return 0;
        default: return usage_error(c, usage);
        }
    }
    int n = argc - optind, n_csv = 0;
    for (int i = optind; i < argc; i++) n_csv += strlen(argv[i]) > 4 && !strcasecmp(argv[i] + strlen(argv[i]) - 4, ".csv");
    if (n < 1 || (n > 1 && n_csv != n)) return usage_error(c, usage);
    char policies[PATH_MAX + 16];
    snprintf(policies, sizeof policies, "%s/policies", c->templates);
    roster_opts ro = { .year = year, .policies_dir = policies, .lang = c->lang, .err = stderr };
    roster_stats st;
    FILE *out = stdout;
    char *tmp = NULL;
    if (out_path) {
        int fd = outfile_mktemp(out_path, &tmp);
        out = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!out) {
            fprintf(stderr, "kaohe: %s: %s [OUTPUT_FAILED]\n", out_path, strerror(errno));
            free(tmp);
            return EXIT_OUTPUT;
        }
    }
    int rc = roster_convert(argv + optind, n, out, &ro, &st);
    if (out_path) {
        if (fclose(out) != 0 && rc == 0) rc = -2;
        if (rc == 0 && rename(tmp, out_path) != 0) rc = -2;
        if (rc != 0) unlink(tmp);
        free(tmp);
    }
    sbuf m = { 0 };
    if (rc == 0 && !quiet) msg_format(&m, c->lang, "ROSTER_IMPORTED", argv[optind], st.person_rows, st.persons_out, st.units_out);
    else if (rc == -1) msg_format(&m, c->lang, "ROSTER_REJECTED", argv[optind], st.errors);
    else if (rc == -2) sbuf_printf(&m, "%s [OUTPUT_FAILED]", out_path ? out_path : "stdout");
    if (m.len) fprintf(stderr, "kaohe: %s\n", m.data);
    sbuf_free(&m);
    return rc == 0 ? 0 : rc == -1 ? EXIT_INPUT : EXIT_OUTPUT;
}

/* kaohe roster-template -o FILE.xlsx [--from INPUT.xml] */
static int cmd_roster_template(cli_ctx *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, 0, 'o' }, { "from", required_argument, 0, OPT_FROM },
        { "lang", required_argument, 0, OPT_LANG }, { "help", no_argument, 0, OPT_HELP }, { 0, 0, 0, 0 },
    };
    static const char usage[] = "kaohe roster-template -o FILE.xlsx [--from INPUT.xml]";
    const char *out = NULL, *from = NULL;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': out = optarg; break;
        case OPT_FROM: from = optarg; break;
        case OPT_LANG: c->lang = !strcmp(optarg, "en") ? LANG_EN : LANG_ZH; break;
        case OPT_HELP: printf("%s\n", usage); return 0;
        default: return usage_error(c, usage);
        }
    }
    if (!out || optind != argc) return usage_error(c, usage);
    char path[PATH_MAX + 32], e[1024];
    snprintf(path, sizeof path, "%s/appraisal.xsd", c->templates);
    ingest_schema *schema = from ? ingest_schema_load(path, e, sizeof e) : NULL;
    if (from && !schema) {
        sbuf m = { 0 };
        msg_format(&m, c->lang, "SCHEMA_UNAVAILABLE", e);
        fprintf(stderr, "kaohe: %s [SCHEMA_UNAVAILABLE]\n", m.data);
        sbuf_free(&m);
        return EXIT_OUTPUT;
    }
    sbuf err = { 0 };
    int rc = rosterw_write(out, from, schema, run_epoch(), 0, c->lang, &err);
    if (rc == EXIT_INPUT) fprintf(stderr, "kaohe: %s\n", err.data ? err.data : from);
    else if (rc) fprintf(stderr, "kaohe: %s [OUTPUT_FAILED]\n", err.data ? err.data : out);
    sbuf_free(&err);
    ingest_schema_free(schema);
    return rc;
}

/* kaohe sample --format xlsx -o FILE: the sample as a roster, through the
 * same writer as roster-template --from (the XML in a temp file first). */
static int sample_roster(cli_ctx *c, const sample_opts *so, const char *out_path)
{
    const char *tmpdir = getenv("TMPDIR");
    char xml[PATH_MAX];
    snprintf(xml, sizeof xml, "%s/kaohe-sample-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(xml);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f || sample_write(f, so) != 0 || fclose(f) != 0) {
        if (fd >= 0) unlink(xml);
        fprintf(stderr, "kaohe: %s [OUTPUT_FAILED]\n", tr(c, "无法写出样例数据", "cannot write the sample"));
        return EXIT_OUTPUT;
    }
    char path[PATH_MAX + 32], e[1024];
    snprintf(path, sizeof path, "%s/appraisal.xsd", c->templates);
    ingest_schema *schema = ingest_schema_load(path, e, sizeof e);
    sbuf err = { 0 };
    /* without -o the workbook goes to stdout (not a terminal) through a temp file */
    char book[PATH_MAX + 8];
    snprintf(book, sizeof book, "%s.xlsx", xml);
    int rc = schema ? rosterw_write(out_path ? out_path : book, xml, schema, run_epoch(), 0, c->lang, &err) : EXIT_OUTPUT;
    if (rc == 0 && !out_path) {
        FILE *in = fopen(book, "rb");
        char buf[65536];
        size_t n;
        rc = in ? 0 : EXIT_OUTPUT;
        while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, stdout) != n) rc = EXIT_OUTPUT;
        if (in) fclose(in);
        if (fflush(stdout) != 0) rc = EXIT_OUTPUT;
        unlink(book);
    }
    if (rc == EXIT_INPUT && err.data) fprintf(stderr, "kaohe: %s\n", err.data);   /* its code in the text */
    else if (rc) fprintf(stderr, "kaohe: %s [OUTPUT_FAILED]\n", err.data ? err.data : e);
    sbuf_free(&err);
    ingest_schema_free(schema);
    unlink(xml);
    return rc == EXIT_INPUT ? EXIT_INPUT : rc ? EXIT_OUTPUT : 0;
}

static int cmd_sample(cli_ctx *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "units", required_argument, 0, 'u' }, { "persons", required_argument, 0, 'p' },
        { "seed", required_argument, 0, 's' }, { "year", required_argument, 0, 'y' },
        { "policy", required_argument, 0, 'P' }, { "help", no_argument, 0, OPT_HELP },
        { "format", required_argument, 0, OPT_FORMAT }, { "output", required_argument, 0, 'o' }, { 0, 0, 0, 0 },
    };
    bool xlsx = false;
    const char *out_path = NULL;
    sample_opts so = { .units = -1, .persons = -1, .seed = 1, .year = 2025, .policy = "national" };
    long long v;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_FORMAT:
            if (!strcmp(optarg, "xlsx")) xlsx = true;
            else if (strcmp(optarg, "xml")) return usage_error(c, "--format xml|xlsx");
            break;
        case 'o': out_path = optarg; break;
        case 'u':
            if (!parse_int_range(optarg, 1, 10000000, &v)) return usage_error(c, "--units N (N >= 1)");
            so.units = v;
            break;
        case 'p':
            if (!parse_int_range(optarg, 0, 100000000, &v)) return usage_error(c, "--persons M (M >= 0)");
            so.persons = v;
            break;
        case 's':
            if (!parse_int_range(optarg, 0, LLONG_MAX, &v)) return usage_error(c, "--seed S");
            so.seed = (uint64_t)v;
            break;
        case 'y':
            if (!parse_int_range(optarg, 1950, 2200, &v)) return usage_error(c, "--year Y (1950..2200)");
            so.year = (int)v;
            break;
        case 'P': so.policy = optarg; break;
        case OPT_HELP: return print_command_help(c);
        default: return bad_option(c, longopts, argv[optind - 1], opt == ':');
        }
    }
    if (so.units < 1 || so.persons < 0 || optind != argc || (xlsx && !out_path && isatty(STDOUT_FILENO)))
        return usage_error(c, "kaohe sample --units N --persons M [--seed S] [--year Y] [--format xlsx [-o FILE.xlsx]]");
    if (xlsx) return sample_roster(c, &so, out_path);
    errno = 0;
    if (sample_write(stdout, &so) != 0 || fflush(stdout) != 0) {
        int e = errno ? errno : EIO;
        fprintf(stderr, "kaohe: %s：%s [OUTPUT_FAILED]\n", tr(c, "无法写出样例数据", "cannot write the sample"),
                msg_syserr(c->lang, e));
        return EXIT_OUTPUT;
    }
    return 0;
}

/* The language: --lang anywhere on the line, else the environment as
 * setlocale reads it (LC_ALL, then LC_MESSAGES, then LANG: the first set);
 * en* is English, anything else Chinese. */
static msg_lang env_lang(void)
{
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return !strncmp(v, "en", 2) ? LANG_EN : LANG_ZH;
    }
    return LANG_ZH;
}

/* Take every --lang X / --lang=X out of argv (so it may stand before the
 * command too); the last one wins. -1, or the exit status of a bad value. */
static int take_lang(cli_ctx *c, int *argc, char **argv)
{
    const char *bad = NULL;
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *v = NULL;
        if (!strncmp(argv[i], "--lang=", 7)) v = argv[i] + 7;
        else if (!strcmp(argv[i], "--lang") && i + 1 < *argc) v = argv[++i];
        if (!v) {
            argv[out++] = argv[i];
            continue;
        }
        if (!strcmp(v, "en") || !strcmp(v, "zh")) c->lang = v[0] == 'e' ? LANG_EN : LANG_ZH;
        else bad = v;
    }
    argv[out] = NULL;
    *argc = out;
    return bad ? usage_error_msg(c, NULL, "LANG_UNKNOWN", bad) : -1;
}

static int run_command(cli_ctx *c, int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    if (!cmd) return usage_error(c, tr(c, "缺少命令", "missing command"));
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        if (argc > 2 && cmd[0] != '-') {   /* kaohe help build */
            c->command = argv[2];
            for (size_t i = 0; i < sizeof HELP / sizeof HELP[0]; i++)
                if (!strcmp(HELP[i].command, argv[2])) return print_command_help(c);
            c->command = NULL;
        }
        print_help(c);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("kaohe %s\n", KAOHE_VERSION);
        return 0;
    }
    c->command = cmd;
    if (!strcmp(cmd, "build")) return cmd_batch(c, BATCH_BUILD, argc - 1, argv + 1);
    if (!strcmp(cmd, "check")) return cmd_batch(c, BATCH_CHECK, argc - 1, argv + 1);
    if (!strcmp(cmd, "quota")) return cmd_batch(c, BATCH_QUOTA, argc - 1, argv + 1);
    if (!strcmp(cmd, "workdays")) return cmd_workdays(c, argc - 1, argv + 1);
    if (!strcmp(cmd, "sample")) return cmd_sample(c, argc - 1, argv + 1);
    if (!strcmp(cmd, "import")) return cmd_import(c, argc - 1, argv + 1);
    if (!strcmp(cmd, "roster-template")) return cmd_roster_template(c, argc - 1, argv + 1);
    if (!strcmp(cmd, "merge")) return cmd_merge(c, argc - 1, argv + 1);
    if (!strcmp(cmd, "archive")) return cmd_archive(c, argc - 1, argv + 1);
    if (!strcmp(cmd, "score")) return cmd_score(c, argc - 1, argv + 1);
    c->command = NULL;
    return usage_error_msg(c, suggest_closest(cmd, COMMANDS, sizeof COMMANDS / sizeof COMMANDS[0]), "COMMAND_UNKNOWN",
                           cmd);
}

int cli_main(int argc, char **argv)
{
    cli_ctx c = { .lang = env_lang() };
    xmlInitParser();
    find_templates(&c);
    int status = take_lang(&c, &argc, argv);
    if (status < 0) status = run_command(&c, argc, argv);
    xmlCleanupParser();
    return status;
}
