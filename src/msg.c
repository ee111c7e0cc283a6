/* msg — see msg.h. One table keeps both languages side by side so a new code
 * cannot be added in one language only. */
#include "msg.h"

#include <string.h>

typedef struct msg_entry {
    const char *code, *zh, *en;
} msg_entry;

static const msg_entry catalog[] = {
    /* rule findings: errors */
    { "QUOTA_EXCEEDED", "%s：优秀 %ld 人，超过优秀名额 %ld 名",
      "%s: %ld excellent, more than the %ld places" },
    { "EXCELLENT_BARRED", "%s（%s）：%s，不得确定为优秀等次",
      "%s (%s): %s, cannot be excellent" },
    { "GRADE_NOT_ALLOWED", "%s（%s）：%s，不能确定为“%s”等次",
      "%s (%s): %s, the grade '%s' is not allowed" },
    { "DUPLICATE_ID", "编号 %s 在本次运行中已经使用（%s）",
      "id %s is already used earlier in this run (%s)" },
    { "RATIO_ABOVE_MAX", "核定优秀比例 %s 超过政策上限 %s",
      "approved ratio %s is above the policy maximum %s" },
    { "ADVANCED_EXCEEDED", "先进个人 %ld 人，超过上限 %ld 人",
      "%ld advanced persons, more than the limit of %ld" },
    /* rule findings: warnings */
    { "VOTES_AGAINST", "%s（%s）：民主测评“%s”票 %ld 张，超过总票数 %ld 的三分之一",
      "%s (%s): '%s' votes %ld of %ld cast, more than one third" },
    { "NO_ROUTINE_RECORD", "%s（%s）：没有平时考核记录，备案可能延迟",
      "%s (%s): no routine assessment record, filing may be delayed" },
    { "FILED_LATE", "备案日期 %s 晚于备案截止日期 %s",
      "filed on %s, after the filing deadline %s" },
    { "RANK_TIE", "%s：%s 与 %s 排名相同，按编号顺序确定优秀人选",
      "%s: %s and %s rank equal; the id order decided the place" },
    { "NO_CALENDAR", "%d 年没有节假日安排数据，公示期按周一至周五计算工作日",
      "no holiday calendar for %d: working days counted as Monday to Friday" },
    { "SCORE_INVALID", "%s（%s）：评分项“%s”的值“%s”无法识别，按 0 分计算",
      "%s (%s): score component '%s' has unreadable value '%s', counted as 0" },
    { "SCORE_OUT_OF_RANGE", "%s（%s）：加权综合得分超出可计算范围，按 %s 计算",
      "%s (%s): the weighted score is out of range and counts as %s" },
    /* run errors */
    { "USAGE", "用法错误：%s", "usage error: %s" },
    { "INPUT_UNREADABLE", "%s：无法读取输入文件：%s", "%s: cannot read the input file: %s" },
    { "XML_MALFORMED", "%s:%d:%d：XML 格式错误：%s", "%s:%d:%d: XML not well-formed: %s" },
    { "SCHEMA_INVALID", "%s:%d:%d：不符合输入格式规范：%s", "%s:%d:%d: not valid against the schema: %s" },
    { "DOCTYPE_REFUSED", "%s:%d:%d：拒绝处理含 DOCTYPE 的文件（安全原因）",
      "%s:%d:%d: a DOCTYPE is refused (security)" },
    { "POLICY_INVALID", "考核政策无法加载：%s", "cannot load the policy: %s" },
    { "POLICY_UNKNOWN", "未知的考核政策：%s", "unknown policy: %s" },
    { "CALENDAR_INVALID", "节假日日历无法加载：%s", "cannot load the holiday calendars: %s" },
    { "SCHEMA_UNAVAILABLE", "输入格式规范（XSD）无法加载：%s", "cannot load the input schema (XSD): %s" },
    { "TEMPLATE_INVALID", "表格模板无法加载：%s", "cannot load the form templates: %s" },
    { "OUTPUT_FAILED", "无法写入输出：%s：%s", "cannot write the output: %s: %s" },
    /* merge of shard outputs */
    { "MERGE_UNREADABLE", "%s：无法读取分片结果：%s", "%s: cannot read the shard's results: %s" },
    { "MERGE_MISMATCH", "%s：与其他分片不一致（%s），这些分片不是同一批输入的分片运行",
      "%s: does not match the other shards (%s); these are not shard runs of the same input" },
    { "MERGE_INCOMPLETE", "%d 年：分片不完整：共 %d 份，缺少第 %s 份",
      "%d: shards incomplete: %d in all, missing %s" },
    /* run progress and summary line */
    { "RUN_PROGRESS", "已处理 %ld 个单位（共 %ld 个），%ld 人，%.0f 人/秒，预计还需 %s",
      "%ld of %ld units, %ld persons, %.0f persons/s, %s left" },
    { "RUN_DONE", "完成：%ld 个单位，输入 %ld 人，results.xml 中 %ld 人，写出 %ld 个文件（%.1f MB），用时 %.1f 秒",
      "done: %ld units, %ld persons in, %ld persons in results.xml, %ld files written (%.1f MB), %.1f s" },
    { "TEMP_SWEPT", "已删除上次中断的运行在 %s 中留下的 %ld 个临时文件",
      "removed the temp files an interrupted run left in %s: %ld" },
    /* unit performance appraisal (scheme.c) */
    { "SCHEME_INVALID", "考评方案无法加载：%s", "cannot load the assessment schemes: %s" },
    { "ASSESSMENT_SCHEME_UNKNOWN", "未知的考评方案：%s", "unknown assessment scheme: %s" },
    { "ASSESSMENT_ITEM_UNKNOWN", "考评方案“%s”中没有考评项目“%s”",
      "assessment scheme '%s' has no item '%s'" },
    { "ASSESSMENT_POINTS_RANGE", "考评项目“%s”（%s）：分值 %s 超出 %s～%s",
      "assessment item '%s' (%s): points %s outside %s..%s" },
    { "ASSESSMENT_NEEDS_COUNT", "考评项目“%s”（%s）按次数计分：应填写次数 count，不填分值 points",
      "assessment item '%s' (%s) counts occurrences: give count, not points" },
    { "ASSESSMENT_NEEDS_POINTS", "考评项目“%s”（%s）由考评组评定分值：应填写分值 points，不填次数 count",
      "assessment item '%s' (%s) takes the points given: give points, not count" },
    { "ASSESSMENT_CHOICE_MISSING", "考评方案“%s”：须选定一项%s（%s）",
      "assessment scheme '%s': choose one %s (%s)" },
    { "ASSESSMENT_CHOICE_TWICE", "考评方案“%s”：%s只能选定一项，不能同时选“%s”和“%s”",
      "assessment scheme '%s': only one %s may be chosen, not both '%s' and '%s'" },
    /* input guard (ingest.c) */
    { "INPUT_LIMIT", "%s:%d:%d：输入超出处理上限：%s", "%s:%d:%d: the input exceeds a processing limit: %s" },
    /* archive of signed scans (SPEC 6) */
    { "ARCHIVE_SCAN_UNREADABLE", "无法读取扫描件：%s", "cannot read the scan: %s" },
    { "ARCHIVE_PACKAGE_UNREADABLE", "%s：无法读取考核结果目录（应为 kaohe build 的 OUTPUT/<年度>）：%s",
      "%s: cannot read the package (the OUTPUT/<year> of kaohe build): %s" },
    { "ARCHIVE_NO_CODE", "%s 第 %d 页：没有找到可识别的页码二维码，放入 unrecognised.pdf",
      "%s page %d: no readable page code, kept in unrecognised.pdf" },
    { "ARCHIVE_STALE_PAGE", "%s 第 %d 页：是 %s 较早一次生成的打印页（校验值 %s，当前为 %s），未归档，放入 unrecognised.pdf",
      "%s page %d: printed from an earlier run of %s (check %s, current %s): not filed, kept in unrecognised.pdf" },
    { "ARCHIVE_NOT_IN_PACKAGE", "%s 第 %d 页：%s 不在本次考核结果中，放入 unrecognised.pdf",
      "%s page %d: %s is not in this package, kept in unrecognised.pdf" },
    { "ARCHIVE_INCOMPLETE", "%s：缺第 %s 页", "%s: page(s) %s missing" },
    { "ARCHIVE_SUMMARY", "归档完成：%zu 个文件 %zu 页扫描件，%zu 份文件齐全，%zu 份不全，%zu 页未识别，写入 %s",
      "archived: %zu files, %zu scanned pages; %zu documents complete, %zu incomplete, %zu pages unrecognised; written to %s" },
};

static const msg_entry *find(const char *code)
{
    for (size_t i = 0; i < sizeof catalog / sizeof catalog[0]; i++)
        if (!strcmp(catalog[i].code, code)) return &catalog[i];
    return NULL;
}

const char *msg_fmt(msg_lang lang, const char *code)
{
    const msg_entry *e = find(code);
    if (!e) return code;
    return lang == LANG_EN ? e->en : e->zh;
}

void msg_format(sbuf *b, msg_lang lang, const char *code, ...)
{
    va_list ap;
    va_start(ap, code);
    sbuf_vprintf(b, msg_fmt(lang, code), ap);
    va_end(ap);
}

const char *msg_bucket_label(msg_lang lang, const char *name)
{
    static const struct { const char *name, *zh, *en; } labels[] = {
        { "admin", "行政（公务员、参公）", "admin (civil servants, managed)" },
        { "institution", "事业", "institution" },
        { "other", "其他人员", "other personnel" },
        { "admin-leader", "行政领导职务", "admin leaders" },
        { "admin-staff", "行政一般工作人员", "admin staff" },
        { "institution-leader", "事业领导职务", "institution leaders" },
        { "institution-staff", "事业一般工作人员", "institution staff" },
        { "other-leader", "其他人员领导职务", "other leaders" },
        { "other-staff", "其他人员一般工作人员", "other staff" },
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(labels[i].name, name)) return lang == LANG_EN ? labels[i].en : labels[i].zh;
    return name;
}
