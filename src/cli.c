/* cli — see cli.h. */
#include "cli.h"

#include <getopt.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include "sample.h"

typedef struct cli_ctx {
    msg_lang lang;
    char templates[PATH_MAX];
} cli_ctx;

static const char *tr(const cli_ctx *c, const char *zh, const char *en) { return c->lang == LANG_EN ? en : zh; }

static int usage_error(const cli_ctx *c, const char *what)
{
    sbuf m = { 0 };
    msg_format(&m, c->lang, "USAGE", what);
    fprintf(stderr, "kaohe: %s [USAGE]\n%s\n", m.data,
            tr(c, "运行 kaohe --help 查看用法。", "Run kaohe --help for usage."));
    sbuf_free(&m);
    return EXIT_USAGE;
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
        "  kaohe score  INPUT.xml...          打印单位绩效考评排名表\n"
        "  kaohe archive -o DIR --package OUTPUT/<年度> [-j N] SCAN...   签字扫描件按人、按单位归档\n"
        "  kaohe --help | --version | 命令 --help\n\n"
        "build/check/quota 的选项:\n"
        "  -o, --output DIR      输出目录（默认 output）\n"
        "  -j, --jobs N          并行数（默认 CPU 数）\n"
        "  -p, --policy NAME|FILE  考核政策（覆盖输入文件中的 policy）\n"
        "      --formats pdf,xlsx  输出格式\n"
        "      --unit ID         只处理指定单位（可重复）\n"
        "      --shard K/N       只处理第 K 份（共 N 份，按单位编号稳定分配）\n"
        "      --strict          任一单位有错误时不写任何文件\n"
        "      --split           （build）另为每人写一个登记表 PDF：<单位>/registration/<人员编号>.pdf\n"
        "      --pdfa            （build）PDF 写成 PDF/A-2b（长期保存格式）\n"
        "      --progress auto|always|never   进度显示\n"
        "  -q, --quiet           安静模式\n"
        "      --csv             （quota）输出 CSV\n"
        "      --lang zh|en      信息语言（默认中文）\n\n"
        "退出状态: 0 成功（可有警告）；1 有单位存在错误；2 用法错误；3 输入文件无法读取、格式错误或不符合规范；4 输出无法写入。\n",
        "kaohe " KAOHE_VERSION " — annual appraisal forms for public-sector units\n\n"
        "Usage:\n"
        "  kaohe build  [options] INPUT.xml...   check, compute and write every result\n"
        "  kaohe check  [options] INPUT.xml...   validate and apply the rules; print findings; write nothing\n"
        "  kaohe quota  [options] INPUT.xml...   print each unit's quota table (--csv for CSV)\n"
        "  kaohe workdays --from YYYY-MM-DD --days N   date of the N-th working day (start day counts)\n"
        "  kaohe sample --units N --persons M [--seed S] [--year Y] [--policy P]   synthetic input\n"
        "  kaohe merge  -o DIR SHARD_DIR...   combine the outputs of build --shard K/N runs\n"
        "  kaohe score  INPUT.xml...          print the unit appraisal ranking\n"
        "  kaohe archive -o DIR --package OUTPUT/<year> [-j N] SCAN...   file signed scans per person and unit\n"
        "  kaohe --help | --version | COMMAND --help\n\n"
        "Options of build/check/quota:\n"
        "  -o, --output DIR      output directory (default output)\n"
        "  -j, --jobs N          parallel jobs (default: online CPUs)\n"
        "  -p, --policy NAME|FILE  policy (overrides the input's)\n"
        "      --formats pdf,xlsx  output formats\n"
        "      --unit ID         only this unit (repeatable)\n"
        "      --shard K/N       only shard K of N (stable hash of the unit id)\n"
        "      --strict          write nothing if any unit has an error\n"
        "      --split           (build) also one registration PDF per person: <unit>/registration/<person id>.pdf\n"
        "      --pdfa            (build) the PDFs as PDF/A-2b (for long-term archiving)\n"
        "      --progress auto|always|never\n"
        "  -q, --quiet\n"
        "      --csv             (quota) CSV output\n"
        "      --lang zh|en      message language (default Chinese)\n\n"
        "Exit status: 0 ok (warnings allowed); 1 some unit has an error; 2 usage error;\n"
        "3 an input file is unreadable, not well-formed or invalid; 4 output could not be written.\n"));
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

enum { OPT_FORMATS = 256, OPT_UNIT, OPT_SHARD, OPT_STRICT, OPT_PROGRESS, OPT_CSV, OPT_LANG, OPT_HELP, OPT_SPLIT, OPT_PDFA };

static int cmd_batch(cli_ctx *c, batch_command cmd, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, 0, 'o' }, { "jobs", required_argument, 0, 'j' },
        { "policy", required_argument, 0, 'p' }, { "formats", required_argument, 0, OPT_FORMATS },
        { "unit", required_argument, 0, OPT_UNIT }, { "shard", required_argument, 0, OPT_SHARD },
        { "strict", no_argument, 0, OPT_STRICT }, { "progress", required_argument, 0, OPT_PROGRESS },
        { "quiet", no_argument, 0, 'q' }, { "csv", no_argument, 0, OPT_CSV },
        { "lang", required_argument, 0, OPT_LANG }, { "help", no_argument, 0, OPT_HELP },
        { "split", no_argument, 0, OPT_SPLIT }, { "pdfa", no_argument, 0, OPT_PDFA }, { 0, 0, 0, 0 },
    };
    batch_opts o = { .command = cmd, .output_dir = "output", .templates_dir = c->templates,
                     .jobs = online_cpus(), .lang = c->lang, .run_epoch = run_epoch(),
                     .want_pdf = true, .want_xlsx = true,
                     .out = stdout, .err = stderr };
    const char **units = xcalloc((size_t)argc + 1, sizeof *units);
    int n_units = 0, opt, status = -1;
    long long v;
    optind = 1;
    opterr = 0;
    while (status < 0 && (opt = getopt_long(argc, argv, "o:j:p:q", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': o.output_dir = optarg; break;
        case 'j':
            if (!parse_int_range(optarg, 1, 1024, &v)) status = usage_error(c, "--jobs N (1..1024)");
            else o.jobs = (int)v;
            break;
        case 'p': o.policy = optarg; break;
        case OPT_FORMATS:
            o.want_pdf = o.want_xlsx = false;
            for (char *f = optarg; *f;) {
                size_t n = strcspn(f, ",");
                if (n == 3 && !strncmp(f, "pdf", 3)) o.want_pdf = true;
                else if (n == 4 && !strncmp(f, "xlsx", 4)) o.want_xlsx = true;
                else {
                    status = usage_error(c, "--formats pdf,xlsx");
                    break;
                }
                f += n + (f[n] == ',');
            }
            break;
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
        case OPT_PDFA: o.pdfa = true; break;
        case OPT_PROGRESS:
            if (!strcmp(optarg, "auto")) o.progress = BATCH_PROGRESS_AUTO;
            else if (!strcmp(optarg, "always")) o.progress = BATCH_PROGRESS_ALWAYS;
            else if (!strcmp(optarg, "never")) o.progress = BATCH_PROGRESS_NEVER;
            else status = usage_error(c, "--progress auto|always|never");
            break;
        case 'q': o.quiet = true; break;
        case OPT_CSV: o.csv = true; break;
        case OPT_LANG:
            if (!strcmp(optarg, "en")) o.lang = c->lang = LANG_EN;
            else if (!strcmp(optarg, "zh")) o.lang = c->lang = LANG_ZH;
            else status = usage_error(c, "--lang zh|en");
            break;
        case OPT_HELP: print_help(c); status = 0; break;
        default: {
            char what[160];
            snprintf(what, sizeof what, "%s %s", tr(c, "无法识别的选项", "unknown option"),
                     optind > 0 && optind <= argc ? argv[optind - 1] : "?");
            status = usage_error(c, what);
        }
        }
    }
    if (status < 0 && optind >= argc)
        status = usage_error(c, tr(c, "缺少输入文件 INPUT.xml", "missing INPUT.xml"));
    if (status < 0) {
        o.units = n_units ? units : NULL;
        status = batch_run(&o, argv + optind, argc - optind);
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
        if (!strcmp(argv[i], "--help")) {
            printf("kaohe score INPUT.xml...   %s\n", tr(c, "打印单位绩效考评排名表", "print the unit appraisal ranking"));
            return 0;
        } else if (argv[i][0] == '-') return usage_error(c, "kaohe score INPUT.xml...");
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
        { "help", no_argument, 0, OPT_HELP }, { 0, 0, 0, 0 },
    };
    merge_opts o = { .output_dir = NULL, .templates_dir = c->templates, .run_epoch = run_epoch(),
                     .lang = c->lang, .err = stderr };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        if (opt == 'o') o.output_dir = optarg;
        else if (opt == OPT_LANG) o.lang = c->lang = !strcmp(optarg, "en") ? LANG_EN : LANG_ZH;
        else if (opt == OPT_HELP) {
            printf("%s", tr(c, "kaohe merge -o DIR SHARD_DIR...   合并各分片（build --shard K/N）的输出\n",
                               "kaohe merge -o DIR SHARD_DIR...   combine the outputs of build --shard K/N runs\n"));
            return 0;
        } else return usage_error(c, "kaohe merge -o DIR SHARD_DIR...");
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
    archive_opts o = { .jobs = online_cpus(), .lang = c->lang, .err = stderr,
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
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'f') from = optarg;
        else if (opt == 'd') {
            if (!parse_int_range(optarg, 1, 100000, &days)) return usage_error(c, "--days N (N >= 1)");
        } else if (opt == OPT_LANG) c->lang = !strcmp(optarg, "en") ? LANG_EN : LANG_ZH;
        else if (opt == OPT_HELP) {
            printf("kaohe workdays --from YYYY-MM-DD --days N\n");
            return 0;
        } else return usage_error(c, "kaohe workdays --from YYYY-MM-DD --days N");
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

static int cmd_sample(cli_ctx *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "units", required_argument, 0, 'u' }, { "persons", required_argument, 0, 'p' },
        { "seed", required_argument, 0, 's' }, { "year", required_argument, 0, 'y' },
        { "policy", required_argument, 0, 'P' }, { "help", no_argument, 0, OPT_HELP }, { 0, 0, 0, 0 },
    };
    sample_opts so = { .units = -1, .persons = -1, .seed = 1, .year = 2025, .policy = "national" };
    long long v;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
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
        case OPT_HELP:
            printf("kaohe sample --units N --persons M [--seed S] [--year Y] [--policy P]\n");
            return 0;
        default: return usage_error(c, "kaohe sample --units N --persons M [--seed S] [--year Y]");
        }
    }
    if (so.units < 1 || so.persons < 0 || optind != argc)
        return usage_error(c, "kaohe sample --units N --persons M [--seed S] [--year Y]");
    if (sample_write(stdout, &so) != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "kaohe: %s [OUTPUT_FAILED]\n", tr(c, "无法写出样例数据", "cannot write the sample"));
        return EXIT_OUTPUT;
    }
    return 0;
}

int cli_main(int argc, char **argv)
{
    cli_ctx c = { .lang = LANG_ZH };
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--lang=en") || (!strcmp(argv[i], "--lang") && i + 1 < argc && !strcmp(argv[i + 1], "en")))
            c.lang = LANG_EN;
    xmlInitParser();
    find_templates(&c);
    int status;
    const char *cmd = argc > 1 ? argv[1] : NULL;
    if (!cmd) status = usage_error(&c, tr(&c, "缺少命令", "missing command"));
    else if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_help(&c);
        status = 0;
    } else if (!strcmp(cmd, "--version")) {
        printf("kaohe %s\n", KAOHE_VERSION);
        status = 0;
    } else if (!strcmp(cmd, "build")) status = cmd_batch(&c, BATCH_BUILD, argc - 1, argv + 1);
    else if (!strcmp(cmd, "check")) status = cmd_batch(&c, BATCH_CHECK, argc - 1, argv + 1);
    else if (!strcmp(cmd, "quota")) status = cmd_batch(&c, BATCH_QUOTA, argc - 1, argv + 1);
    else if (!strcmp(cmd, "workdays")) status = cmd_workdays(&c, argc - 1, argv + 1);
    else if (!strcmp(cmd, "sample")) status = cmd_sample(&c, argc - 1, argv + 1);
    else if (!strcmp(cmd, "merge")) status = cmd_merge(&c, argc - 1, argv + 1);
    else if (!strcmp(cmd, "score")) status = cmd_score(&c, argc - 1, argv + 1);
    else if (!strcmp(cmd, "archive")) status = cmd_archive(&c, argc - 1, argv + 1);
    else {
        char what[200];
        snprintf(what, sizeof what, "%s %.100s", tr(&c, "未知命令", "unknown command"), cmd);
        status = usage_error(&c, what);
    }
    xmlCleanupParser();
    return status;
}
