/* msg — see msg.h. One table keeps both languages side by side so a new code
 * cannot be added in one language only. */
#define _GNU_SOURCE   /* strerrordesc_np */
#include "msg.h"

#include <errno.h>
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
    { "NAME_BLANK", "%s:%d：人员 %s 的姓名为空（去掉空格和全角空格后）",
      "%s:%d: person %s has a blank name (empty once spaces and ideographic spaces are trimmed)" },
    { "FONT_MISSING_GLYPH", "单位 %s，%s（%s）的“%s”：字符 %s（U+%s）没有可用字体，表中印作 □，请手写补全",
      "unit %s, %s (%s), field '%s': no font has the character %s (U+%s); it prints as a box, write it in by hand" },
    { "DOCTYPE_REFUSED", "%s:%d:%d：拒绝处理含 DOCTYPE 的文件（安全原因）",
      "%s:%d:%d: a DOCTYPE is refused (security)" },
    { "POLICY_INVALID", "考核政策无法加载：%s", "cannot load the policy: %s" },
    { "POLICY_UNKNOWN", "未知的考核政策：%s", "unknown policy: %s" },
    { "CALENDAR_INVALID", "节假日日历无法加载：%s", "cannot load the holiday calendars: %s" },
    { "SCHEMA_UNAVAILABLE", "输入格式规范（XSD）无法加载：%s", "cannot load the input schema (XSD): %s" },
    /* template errors (template.c): the code before ':' is the stable one */
    { "TEMPLATE_BAD_NUMBER:range", "属性 %s=\"%s\" 应为 %s 到 %s 之间的数", "attribute %s=\"%s\" should be a number from %s to %s" },
    { "TEMPLATE_BAD_NUMBER:integer", "属性 %s 应为整数", "attribute %s should be a whole number" },
    { "TEMPLATE_BAD_NUMBER:min_size", "min-size 大于 size", "min-size is larger than size" },
    { "TEMPLATE_BAD_NUMBER:row_height", "row height=\"%s\" 应为毫米数或 auto", "row height=\"%s\" should be millimetres or auto" },
    { "TEMPLATE_BAD_NUMBER:margins", "margins 应为一个或四个毫米数 (上 右 下 左)",
      "margins should be one or four millimetre values (top right bottom left)" },
    { "TEMPLATE_BAD_NUMBER:columns", "columns 应为以空格分隔的毫米数", "columns should be millimetre widths separated by spaces" },
    { "TEMPLATE_BAD_BINDING:unclosed", "绑定缺少 }}：%s", "a binding without its }}: %s" },
    { "TEMPLATE_BAD_BINDING:path", "绑定路径无效 \"%s\"", "invalid binding path \"%s\"" },
    { "TEMPLATE_BAD_FORMATTER:unknown", "未知的格式 \"%s\"", "unknown format \"%s\"" },
    { "TEMPLATE_BAD_FORMATTER:decimals", "格式 %s 的小数位数应为 0 到 6", "format %s: the decimals should be 0 to 6" },
    { "TEMPLATE_BAD_FONT", "未知字体 \"%s\"，应为 song/hei/kai/fang", "unknown font \"%s\": use song, hei, kai or fang" },
    { "TEMPLATE_BAD_ALIGN:align", "align=\"%s\" 应为 left/center/right", "align=\"%s\": use left, center or right" },
    { "TEMPLATE_BAD_ALIGN:valign", "valign=\"%s\" 应为 top/middle/bottom", "valign=\"%s\": use top, middle or bottom" },
    { "TEMPLATE_BAD_BORDER", "border 应为 none/thin/medium/thick，一个或四个 (上 右 下 左)",
      "border: use none, thin, medium or thick, one value or four (top right bottom left)" },
    { "TEMPLATE_BAD_FORMULA", "formula=\"%s\" 只能用 {row} {col} {first} {last} 占位",
      "formula=\"%s\": only the placeholders {row} {col} {first} {last} are allowed" },
    { "TEMPLATE_BAD_TYPE:cell", "type=\"%s\" 应为 text 或 auto", "type=\"%s\": use text or auto" },
    { "TEMPLATE_BAD_TYPE:chart", "chart type 应为 column 或 line", "chart type: use column or line" },
    { "TEMPLATE_MISSING:row_height", "row 缺少 height", "a row without height" },
    { "TEMPLATE_MISSING:empty_cond", "row 的 when/unless 不能为空", "a row's when/unless cannot be empty" },
    { "TEMPLATE_MISSING:chart_source", "chart 的 source 须是前面某个 list 的 source",
      "a chart's source must be the source of a list before it" },
    { "TEMPLATE_MISSING:chart_parts", "chart 缺少 category 或 series", "a chart without category or series" },
    { "TEMPLATE_MISSING:form_name", "form 缺少 name", "form without name" },
    { "TEMPLATE_MISSING:list_source", "list 缺少有效的 source", "a list without a valid source" },
    { "TEMPLATE_MISSING:list_item", "list 缺少 item", "a list without item" },
    { "TEMPLATE_MISSING:item_rows", "item 中没有 row", "an item without rows" },
    { "TEMPLATE_MISSING:columns", "缺少 columns", "no columns" },
    { "TEMPLATE_UNEXPECTED:when_unless", "row 不能同时有 when 和 unless", "a row cannot have both when and unless" },
    { "TEMPLATE_UNEXPECTED:row_child", "row 中只能有 cell", "a row holds cells only" },
    { "TEMPLATE_UNEXPECTED:rows_only", "此处只能有 row", "only rows may be here" },
    { "TEMPLATE_UNEXPECTED:list_cond", "列表中的 row 不能有 when/unless", "a list's rows cannot have when/unless" },
    { "TEMPLATE_UNEXPECTED:chart_child", "chart 中只能有一个 category 和若干 series，各带 field 与列字母 col",
      "a chart holds one category and some series, each with field and a column letter col" },
    { "TEMPLATE_UNEXPECTED:list_child", "list 中只能有一个 head 和一个 item", "a list holds one head and one item" },
    { "TEMPLATE_UNEXPECTED:element", "未知元素 <%s>", "unknown element <%s>" },
    { "TEMPLATE_GRID:cond_first", "when/unless 只能用于行组（rowspan）的第一行",
      "when/unless only on the first row of a row group (rowspan)" },
    { "TEMPLATE_GRID:too_wide", "单元格超出列数 %s", "the cells go beyond the %s columns" },
    { "TEMPLATE_GRID:rowspan", "rowspan 超出所在的行块", "rowspan goes beyond its block of rows" },
    { "TEMPLATE_GRID:overlap", "单元格重叠", "cells overlap" },
    { "TEMPLATE_GRID:uncovered", "第 %s 列未被单元格覆盖", "column %s is not covered by a cell" },
    { "TEMPLATE_GRID:columns_wide", "列宽合计 %s mm 超过版心宽度 %s mm", "the columns add up to %s mm, wider than the %s mm text area" },
    { "TEMPLATE_GRID:row_before_columns", "row 之前须有 columns", "columns must come before the first row" },
    { "TEMPLATE_GRID:list_before_columns", "list 之前须有 columns", "columns must come before the first list" },
    { "TEMPLATE_ROOT", "根元素应为 %s", "the root element should be %s" },
    { "TEMPLATE_PAPER:paper", "paper=\"%s\" 应为 A4 或 A3", "paper=\"%s\": use A4 or A3" },
    { "TEMPLATE_PAPER:orientation", "orientation 应为 portrait 或 landscape", "orientation: use portrait or landscape" },
    { "TEMPLATE_PAPER:duplex", "duplex=\"%s\" 应为 mirror 或 per-person", "duplex=\"%s\": use mirror or per-person" },
    { "TEMPLATE_PAPER:margins", "页边距过大", "the margins leave no room on the paper" },
    { "TEMPLATE_XML", "模板不是良构的 XML：%s", "the template is not well-formed XML: %s" },
    { "TEMPLATE_DOCTYPE", "模板不得含 DOCTYPE", "a template may not have a DOCTYPE" },
    { "TEMPLATE_UNREADABLE", "无法读取模板：%s", "cannot read the template: %s" },
    /* what the layout reports (layout.c, forms.c) */
    { "INVALID_TEXT", "%s 含无效字符，已替换或删除", "%s has invalid characters, replaced or removed" },
    { "BAD_VALUE", "%s 的值 \"%s\" 不符合格式，按原样输出", "%s: the value \"%s\" does not fit its format, printed as it is" },
    { "PAGE_OVERFLOW", "第 %s 页有一组 %s mm 高的行超过版心高度 %s mm",
      "page %s: a group of rows %s mm high is taller than the %s mm text area" },
    { "TEXT_OVERFLOW", "续页放不下一行文字，已截断", "not one line of text fits on a continuation page: the text is cut" },
    { "TEXT_OUTSIDE_CELL", "《%s》第 %s 页第 %s 行第 %s 列的文字超出单元格 %s mm：“%s”",
      "«%s» page %s, row %s, column %s: text outside its cell by %s mm: “%s”" },
    { "RESULT_NOTICE_PDF_ONLY", "单位有 %s 人（超过 %s 人），年度考核结果通知书只写 PDF，不写每人一个工作表的 XLSX",
      "the unit has %s persons (more than %s): the result notices are written as PDF only, not as an XLSX with a sheet each" },
    { "TEMPLATE_INVALID", "表格模板无法加载：%s", "cannot load the form templates: %s" },
    { "OUTPUT_FAILED", "无法写入输出：%s：%s", "cannot write the output: %s: %s" },
    /* one run owns its output (stage.c) */
    { "OUTPUT_LOCKED", "%s 正由另一次运行（build 或 merge）使用：请等它结束后再运行，或加 --wait 排队等待",
      "%s is in use by another run (build or merge): run again when it has finished, or add --wait to wait" },
    { "YEAR_KEPT", "%s 未被替换：本次运行该年度的输出不完整，已丢弃；原有内容（如有）保持不变",
      "%s was not replaced: this run's output of that year is incomplete and was dropped; what stood there (if anything) is unchanged" },
    { "PARTIAL_OWN_OUTPUT", "%s 中有本次未选定的单位 %s 的表格：只处理部分单位（--unit、--shard）的运行须使用自己的输出目录（-o），以免删除其他单位的表格",
      "%s holds the forms of unit %s, which this run does not select: a run restricted with --unit or --shard needs its own output directory (-o), so that no other unit's forms are removed" },
    /* merge of shard outputs */
    { "MERGE_UNREADABLE", "%s：无法读取分片结果：%s", "%s: cannot read the shard's results: %s" },
    { "MERGE_MISMATCH", "%s：与其他分片不一致（%s），这些分片不是同一批输入的分片运行",
      "%s: does not match the other shards (%s); these are not shard runs of the same input" },
    { "MERGE_TAMPERED", "%s：%s 与该分片的 MANIFEST.sha256 不符（内容被改动、缺失，或不是普通文件、是符号链接），拒绝合并",
      "%s: %s does not match the shard's MANIFEST.sha256 (changed or missing, not a regular file, or a symbolic link); merge refused" },
    { "MERGE_INCOMPLETE", "%d 年：分片不完整：共 %d 份，缺少第 %s 份",
      "%d: shards incomplete: %d in all, missing %s" },
    /* run progress and summary line */
    { "RUN_PROGRESS", "已处理 %ld 个单位（共 %ld 个），%ld 人，%.0f 人/秒，预计还需 %s",
      "%ld of %ld units, %ld persons, %.0f persons/s, %s left" },
    { "RUN_DONE", "完成：%ld 个单位，输入 %ld 人，results.xml 中 %ld 人，写出 %ld 个文件（%.1f MB），用时 %.1f 秒",
      "done: %ld units, %ld persons in, %ld persons in results.xml, %ld files written (%.1f MB), %.1f s" },
    { "TEMP_SWEPT", "已删除上次中断的运行在 %s 中留下的 %ld 个暂存目录",
      "removed the staging directories an interrupted run left in %s: %ld" },
    { "RUN_UNIT_ERRORS", "；有错误的单位 %ld 个，没有生成表格（原因见 findings.txt 和 index.html）",
      "; %ld units have errors and got no forms (see findings.txt and index.html)" },
    { "RUN_INCOMPLETE", "未完成：%ld 个单位，输入 %ld 人，results.xml 中 %ld 人；已写出的年度：%s（%ld 个文件，%.1f MB）；未写出的年度：%s（原有内容保持不变）；用时 %.1f 秒",
      "not complete: %ld units, %ld persons in, %ld persons in results.xml; years written: %s (%ld files, %.1f MB); years not written: %s (what stood there is unchanged); %.1f s" },
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
    /* roster workbooks and CSV (roster.c, xlsxr.c, csvr.c): the file, sheet and cell come first */
    { "ROSTER_XLS", "这是旧版 Excel 97-2003 工作簿（.xls）：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再处理（%s）",
      "this is an Excel 97-2003 workbook (.xls): save it as an Excel workbook (.xlsx) and run again (%s)" },
    { "ROSTER_ENCRYPTED", "工作簿设置了打开密码（加密的 OLE2 复合文件，%s）：请在 Excel 或 WPS 中取消密码后另存为 .xlsx",
      "the workbook is password-protected (an encrypted OLE2 compound file, %s): remove the password and save it as .xlsx" },
    { "ROSTER_ZIP_CORRUPT", "文件已损坏，不是完整的 .xlsx 工作簿（%s）", "the file is corrupt, not a complete .xlsx workbook (%s)" },
    { "ROSTER_ZIP_BOMB", "工作簿解压后超出处理上限，拒绝处理（%s）", "the workbook inflates beyond the processing limits; refused (%s)" },
    { "ROSTER_NOT_WORKBOOK", "不是 Excel 工作簿（%s）", "not an Excel workbook (%s)" },
    { "ROSTER_ENCODING", "无法识别文件编码（应为 UTF-8 或 GB18030）：%s", "unknown text encoding (UTF-8 or GB18030 expected): %s" },
    { "ROSTER_CSV_MALFORMED", "CSV 格式错误：%s", "malformed CSV: %s" },
    { "ROSTER_SHEET_UNKNOWN", "工作表“%s”无法识别（应为 考核、单位、人员、绩效考评 或 说明；CSV 按首行表头识别）",
      "sheet '%s' is not one of 考核, 单位, 人员, 绩效考评, 说明 (a CSV is recognised by its header row)" },
    { "ROSTER_SHEET_MISSING", "缺少“%s”工作表", "the sheet '%s' is missing" },
    { "ROSTER_SHEET_TWICE", "“%s”表重复（%s）", "the sheet '%s' is given twice (%s)" },
    { "ROSTER_COLUMN_MISSING", "缺少必填列“%s”（表头应在前 10 行内）", "the required column '%s' is missing (headers within the first 10 rows)" },
    { "ROSTER_COLUMN_UNKNOWN", "无法识别的列或项目“%s”，已忽略", "unknown column or item '%s', ignored" },
    { "ROSTER_COLUMN_TWICE", "列“%s”重复", "the column '%s' appears twice" },
    { "ROSTER_REQUIRED", "“%s”必须填写", "'%s' is required" },
    { "ROSTER_VALUE_NOT_IN_LIST", "“%s”的值“%s”不在可选值中（%s）", "'%s': '%s' is not in the list (%s)" },
    { "ROSTER_NUMBER_FOR_TEXT", "“%s”应填写文字，不能是数字或逻辑值（%s）", "'%s' takes text, not a number or boolean (%s)" },
    { "ROSTER_VALUE_INVALID", "“%s”的值“%s”无效：%s", "'%s': '%s' is not valid: %s" },
    { "ROSTER_CELL_ERROR", "“%s”是公式错误值 %s", "'%s' holds a formula error %s" },
    { "ROSTER_UNIT_UNKNOWN", "单位代码“%s”不在“单位”表中", "unit code '%s' is not on the 单位 sheet" },
    { "ROSTER_UNIT_TWICE", "单位代码“%s”重复（已在 %s）", "unit code '%s' is repeated (already at %s)" },
    { "ROSTER_UNIT_NAME_CONFLICT", "单位代码“%s”的单位名称“%s”与 %s 的“%s”不一致",
      "unit code '%1$s': the name '%2$s' differs from '%4$s' at %3$s" },
    { "ROSTER_UNIT_NAME_MISSING", "单位“%s”没有单位名称：请填写“单位”表或“单位名称”列",
      "unit '%s' has no name: fill in the 单位 sheet or the 单位名称 column" },
    { "ROSTER_DUPLICATE_ID", "人员编号“%s”重复（已在 %s）", "person id '%s' is repeated (already at %s)" },
    { "ROSTER_YEAR_MISSING", "没有“考核”工作表或其中没有考核年度：请用 --year 指定考核年度",
      "no 考核 sheet or no 考核年度 in it: give the year with --year" },
    { "ROSTER_TOO_MANY", "……另有 %d 处问题未列出", "... and %d more problems not listed" },
    { "ROSTER_IMPORTED", "%s：人员 %ld 行，写出 %ld 人（%ld 个单位）", "%s: %ld person rows in, %ld persons out (%ld units)" },
    { "ROSTER_REJECTED", "%s：花名册有 %d 处错误，未作处理", "%s: the roster has %d errors; nothing of it was processed" },
    /* input guard (ingest.c) */
    { "INPUT_LIMIT", "%s:%d:%d：输入超出处理上限：%s", "%s:%d:%d: the input exceeds a processing limit: %s" },
    /* the review page (report.c): a finding's short name (NAME_) and what to do (FIX_) */
    { "NAME_QUOTA_EXCEEDED", "优秀超出名额", "excellent above places" },
    { "FIX_QUOTA_EXCEEDED", "减少拟定优秀人数至名额以内，或按规定申请增加名额后重新生成。",
      "propose no more excellent than the places, or apply for more places, then build again." },
    { "NAME_EXCELLENT_BARRED", "不得评优", "cannot be excellent" },
    { "FIX_EXCELLENT_BARRED", "改定该人员的等次（受处分、新录用等不得评为优秀），或核实输入中的情形。",
      "give this person another grade (a sanction, a new hire…), or check the input." },
    { "NAME_GRADE_NOT_ALLOWED", "等次不允许", "grade not allowed" },
    { "FIX_GRADE_NOT_ALLOWED", "按政策改定该人员的等次，或核实其考核类别与情形。",
      "give this person a grade the policy allows, or check the person's category." },
    { "NAME_DUPLICATE_ID", "编号重复", "duplicate id" },
    { "FIX_DUPLICATE_ID", "同一编号在本次运行中出现两次：更正输入文件中的编号，每人每单位只出现一次。",
      "the id occurs twice in this run: correct the input so each id occurs once." },
    { "NAME_RATIO_ABOVE_MAX", "核定比例超上限", "ratio above maximum" },
    { "FIX_RATIO_ABOVE_MAX", "核定优秀比例不得超过政策上限：更正输入中的核定比例。",
      "the approved ratio may not exceed the policy's maximum: correct it in the input." },
    { "NAME_ADVANCED_EXCEEDED", "先进个人超限", "advanced persons above limit" },
    { "FIX_ADVANCED_EXCEEDED", "减少先进个人人数至上限以内。", "propose no more advanced persons than the limit." },
    { "NAME_VOTES_AGAINST", "民主测评票数偏高", "many votes against" },
    { "FIX_VOTES_AGAINST", "核实民主测评结果，确定等次前由考核委员会研究。",
      "check the ballot; the appraisal committee should review before the grade is fixed." },
    { "NAME_NO_ROUTINE_RECORD", "缺平时考核记录", "no routine record" },
    { "FIX_NO_ROUTINE_RECORD", "补录该人员的平时考核记录，以免备案延迟。",
      "add the person's routine assessment records so filing is not delayed." },
    { "NAME_FILED_LATE", "备案逾期", "filed late" },
    { "FIX_FILED_LATE", "尽快备案，并说明逾期原因。", "file as soon as possible and give the reason for the delay." },
    { "NAME_RANK_TIE", "排名相同", "equal rank" },
    { "FIX_RANK_TIE", "排名相同者按编号顺序确定了优秀人选：如需改变，请调整评分或排序后重新生成。",
      "the id order decided between equals: change the scores or order and build again if needed." },
    { "NAME_NO_CALENDAR", "缺节假日安排", "no holiday calendar" },
    { "FIX_NO_CALENDAR", "公示期按周一至周五计算：核对公示截止日期，或补充该年的节假日安排。",
      "the notice period counts Monday to Friday: check its end, or add that year's calendar." },
    { "NAME_SCORE_INVALID", "评分无法识别", "unreadable score" },
    { "FIX_SCORE_INVALID", "更正输入中该评分项的值（应为数字）。", "correct the score component's value (a number)." },
    { "NAME_SCORE_OUT_OF_RANGE", "得分超出范围", "score out of range" },
    { "FIX_SCORE_OUT_OF_RANGE", "核对该人员的评分项与权重。", "check the person's score components and weights." },
    { "NAME_ASSESSMENT_SCHEME_UNKNOWN", "考评方案未知", "unknown scheme" },
    { "FIX_ASSESSMENT_SCHEME_UNKNOWN", "更正单位考评中的方案名称，使用已有的考评方案。",
      "name an existing assessment scheme in the unit's assessment." },
    { "FIX_OTHER", "核对输入中相关内容后重新生成。", "check the input concerned and build again." },
    /* the command line (cli.c) */
    { "DID_YOU_MEAN", "您是不是要输入 %s？", "did you mean %s?" },
    { "OPTION_UNKNOWN", "无法识别的选项 %s", "unknown option %s" },
    { "OPTION_NEEDS_VALUE", "选项 %s 需要一个值", "option %s needs a value" },
    { "COMMAND_UNKNOWN", "未知命令 %s", "unknown command %s" },
    { "POLICY_CHOICES", "可用的考核政策：%s", "the policies there are: %s" },
    { "FORMAT_UNKNOWN", "--formats 中的“%s”不是输出格式；可用的格式：%s",
      "--formats: '%s' is not an output format; the formats are: %s" },
    { "FORMATS_EMPTY", "--formats 不能为空；可用的格式：%s", "--formats cannot be empty; the formats are: %s" },
    { "UNIT_UNKNOWN", "--unit %s：输入文件中没有这个单位", "--unit %s: no such unit in the input files" },
    { "LANG_UNKNOWN", "--lang 只能是 zh 或 en，不是“%s”", "--lang takes zh or en, not '%s'" },
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

const char *msg_code_at(size_t i)
{
    return i < sizeof catalog / sizeof catalog[0] ? catalog[i].code : NULL;
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

/* Short titles of findings (msg_title), both languages side by side. */
static const msg_entry titles[] = {
    { "QUOTA_EXCEEDED", "优秀人数超过名额", "more excellent than places" },
    { "EXCELLENT_BARRED", "不得评为优秀者被评为优秀", "excellent though barred" },
    { "GRADE_NOT_ALLOWED", "等次不符合规定", "grade not allowed" },
    { "DUPLICATE_ID", "编号重复", "duplicate id" },
    { "RATIO_ABOVE_MAX", "优秀比例超过上限", "ratio above the maximum" },
    { "ADVANCED_EXCEEDED", "先进个人超过上限", "too many advanced persons" },
    { "VOTES_AGAINST", "不称职（不合格）票超过三分之一", "votes against above one third" },
    { "NO_ROUTINE_RECORD", "没有平时考核记录", "no routine assessment record" },
    { "FILED_LATE", "备案逾期", "filed late" },
    { "RANK_TIE", "排名相同按编号确定", "tie decided by id" },
    { "NO_CALENDAR", "缺少节假日安排", "no holiday calendar" },
    { "SCORE_INVALID", "评分项无法识别", "unreadable score component" },
    { "SCORE_OUT_OF_RANGE", "综合得分超出范围", "score out of range" },
    { "TEXT_OUTSIDE_CELL", "文字超出单元格", "text outside its cell" },
};

const char *msg_title(msg_lang lang, const char *code)
{
    for (size_t i = 0; code && i < sizeof titles / sizeof titles[0]; i++)
        if (!strcmp(titles[i].code, code)) return lang == LANG_EN ? titles[i].en : titles[i].zh;
    return lang == LANG_EN ? "other problem" : "其他问题";
}

const char *msg_syserr(msg_lang lang, int errnum)
{
    static const struct { int e; const char *zh, *en; } sys[] = {
        { ENOENT, "文件或目录不存在（ENOENT）", "no such file or directory (ENOENT)" },
        { EACCES, "没有访问权限（EACCES）", "permission denied (EACCES)" },
        { EPERM, "不允许的操作（EPERM）", "operation not permitted (EPERM)" },
        { ENOSPC, "磁盘空间不足（ENOSPC）", "no space left on the disk (ENOSPC)" },
        { EDQUOT, "超出磁盘配额（EDQUOT）", "disk quota exceeded (EDQUOT)" },
        { EFBIG, "文件过大（EFBIG）", "file too large (EFBIG)" },
        { EROFS, "只读文件系统（EROFS）", "read-only file system (EROFS)" },
        { EISDIR, "是一个目录，不是文件（EISDIR）", "is a directory, not a file (EISDIR)" },
        { ENOTDIR, "路径中有一项不是目录（ENOTDIR）", "a part of the path is not a directory (ENOTDIR)" },
        { EEXIST, "文件已存在（EEXIST）", "file exists (EEXIST)" },
        { ENAMETOOLONG, "文件名过长（ENAMETOOLONG）", "file name too long (ENAMETOOLONG)" },
        { ELOOP, "符号链接层数过多（ELOOP）", "too many levels of symbolic links (ELOOP)" },
        { EIO, "输入输出错误，请检查磁盘或网络共享（EIO）", "input/output error: check the disk or share (EIO)" },
        { EMFILE, "打开的文件过多（EMFILE）", "too many open files (EMFILE)" },
        { ENFILE, "系统打开的文件过多（ENFILE）", "too many open files in the system (ENFILE)" },
        { ENOMEM, "内存不足（ENOMEM）", "out of memory (ENOMEM)" },
        { EBUSY, "设备或资源忙（EBUSY）", "device or resource busy (EBUSY)" },
        { EXDEV, "不能跨文件系统移动（EXDEV）", "cannot move across file systems (EXDEV)" },
        { ETXTBSY, "文件正被使用（ETXTBSY）", "file busy (ETXTBSY)" },
        { EINVAL, "参数无效（EINVAL）", "invalid argument (EINVAL)" },
        { ESTALE, "网络共享上的文件已失效（ESTALE）", "stale file handle on a share (ESTALE)" },
    };
    for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++)
        if (sys[i].e == errnum) return lang == LANG_EN ? sys[i].en : sys[i].zh;
    /* strerrordesc_np is thread-safe (a constant string), unlike strerror */
    const char *en = strerrordesc_np(errnum);
    if (lang == LANG_EN) return en ? en : "system error";
    return "系统错误";
}
