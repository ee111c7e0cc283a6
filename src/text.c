/* text — see text.h. */
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

uint32_t text_utf8_next(const char **pp, const char *end)
{
    const unsigned char *p = (const unsigned char *)*pp;
    const unsigned char *e = (const unsigned char *)end;
    if (p >= e) return 0;
    unsigned c = p[0];
    if (c < 0x80) { *pp += 1; return c; }
    /* Most text is CJK: 3-byte sequences led by E1..EC or EE..EF, which can
     * be neither overlong (E0) nor surrogates (ED). */
    if (c >= 0xE1 && c != 0xED && c <= 0xEF && e - p >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        *pp += 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    int n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else { *pp += 1; return TEXT_REPLACEMENT; }
    if (e - p < n + 1) { *pp += 1; return TEXT_REPLACEMENT; }  /* truncated */
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) { *pp += 1; return TEXT_REPLACEMENT; }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *pp += 1;
        return TEXT_REPLACEMENT;
    }
    *pp += n + 1;
    return cp;
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = TEXT_REPLACEMENT;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t text_utf8_count(const char *s, size_t len)
{
    const char *p = s, *e = s + len;
    size_t n = 0;
    while (p < e) { text_utf8_next(&p, e); n++; }
    return n;
}

size_t text_clean_append(sbuf *b, const char *s, size_t len)
{
    const char *p = s, *e = s + len;
    size_t bad = 0;
    sbuf_reserve(b, len);
    while (p < e) {
        const char *q = p;
        uint32_t cp = text_utf8_next(&p, e);
        if (cp == TEXT_REPLACEMENT && !(p - q == 3 && (unsigned char)q[0] == 0xEF)) bad++;
        if (cp == '\r') {
            if (p < e && *p == '\n') p++;
            sbuf_putc(b, '\n');
            continue;
        }
        if (cp == '\t') { sbuf_putc(b, ' '); continue; }
        if (cp == '\n') { sbuf_putc(b, '\n'); continue; }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF) {
            bad++;
            continue;
        }
        char buf[4];
        size_t n = text_utf8_encode(cp, buf);
        sbuf_add(b, buf, n);
    }
    sbuf_add(b, "", 0);   /* NUL-terminated even when nothing was added */
    return bad;
}

/* ---- classes ---- */

static bool in_list(uint32_t cp, const uint32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == cp) return true;
    return false;
}

/* CJK ideographs (Extension A and the URO): most of the text, and in
 * neither list below, so answered before a scan of the lists. */
static bool is_ideograph(uint32_t cp) { return cp >= 0x3400 && cp <= 0x9FFF; }

bool text_formula_like(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    uint32_t cp;
    do cp = p < end ? text_utf8_next(&p, end) : 0;
    while (cp == ' ' || cp == 0x3000);
    switch (cp) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
    case 0xFF1D: case 0xFF0B: case 0xFF0D: case 0xFF20: return true;
    default: return false;
    }
}

bool text_is_ignorable(uint32_t cp)
{
    /* Default_Ignorable_Code_Point of Unicode 15 (DerivedCoreProperties.txt) */
    static const uint32_t r[][2] = {
        {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160},
        {0x17B4, 0x17B5}, {0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E},
        {0x2060, 0x206F}, {0x3164, 0x3164}, {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
        {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
        {0xE0000, 0xE0FFF},
    };
    if (cp < 0xAD || (cp >= 0x3400 && cp < 0xA000)) return false;   /* the common case, quickly */
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (cp >= r[i][0] && cp <= r[i][1]) return true;
    return false;
}

bool text_is_variation_selector(uint32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x180B && cp <= 0x180D);
}

bool text_is_mark(uint32_t cp)
{
    if (cp < 0x300 || (cp >= 0x3400 && cp < 0xA000)) return false;
    hb_unicode_general_category_t gc = hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK;
}

bool text_is_spacing_mark(uint32_t cp)
{
    return text_is_mark(cp) && hb_unicode_general_category(hb_unicode_funcs_get_default(), cp) ==
                                   HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK;
}

bool text_no_line_start(uint32_t cp)
{
    if (is_ideograph(cp)) return false;
    /* a mark or an invisible control belongs to the character before it */
    if (text_is_mark(cp) || text_is_ignorable(cp)) return true;
    static const uint32_t list[] = {
        0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, /* ，。、；：？！） */
        0x300B, 0x300D, 0x300F, 0x201D, 0x2019, 0x3009, 0x3011, 0x3015, /* 》」』”’〉】〕 */
        0x3017, 0x3019, 0x301B, 0xFF3D, 0xFF5D, 0xFF60, 0x2026, 0x2014, /* 〗〙〛］｝｠…— */
        0x00B7, 0x30FB, 0xFF0E, 0x3003, 0x3005, 0x309D, 0x309E, 0x30FD, /* ·・．〃々ゝゞヽ */
        0x30FE, 0x30FC, 0xFF05, 0x2030, 0x2103, 0x00B0, 0x2032, 0x2033, /* ヾー％‰℃°′″ */
        ',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
        0xFE50, 0xFE51, 0xFE52, 0xFE54, 0xFE55, 0xFE56, 0xFE57, 0xFE5A, /* small forms */
        0xFE30, 0xFE31,
    };
    if (cp >= 0x3041 && cp <= 0x30FA) {
        /* small kana */
        static const uint32_t small[] = {0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083,
                                         0x3085, 0x3087, 0x308E, 0x30A1, 0x30A3, 0x30A5, 0x30A7,
                                         0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6};
        return in_list(cp, small, sizeof small / sizeof small[0]);
    }
    return in_list(cp, list, sizeof list / sizeof list[0]);
}

bool text_no_line_end(uint32_t cp)
{
    if (is_ideograph(cp)) return false;
    static const uint32_t list[] = {
        0xFF08, 0x300A, 0x300C, 0x300E, 0x201C, 0x2018, 0x3008, 0x3010, /* （《「『“‘〈【 */
        0x3014, 0x3016, 0x3018, 0x301A, 0xFF3B, 0xFF5B, 0xFF5F, 0xFFE5, /* 〔〖〘〚［｛｟￥ */
        0xFFE1, 0xFF04, '(', '[', '{', 0xFE59, 0xFE5B, 0xFE5D,          /* ￡＄ */
    };
    return in_list(cp, list, sizeof list / sizeof list[0]);
}

bool text_is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) ||   /* radicals, punctuation, kana, ideographs */
           (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* hangul */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
           (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) ||   /* fullwidth forms */
           (cp >= 0x20000 && cp <= 0x3FFFF) ||
           cp == 0x2014 || cp == 0x2026 || cp == 0x201C || cp == 0x201D ||
           cp == 0x2018 || cp == 0x2019 || cp == 0x00B7;
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == 0x3000 || cp == 0xA0;
}

double text_width(const text_metrics *m, const char *s, size_t len, double size)
{
    const char *p = s, *e = s + len;
    double w = 0;
    while (p < e) {
        uint32_t cp = text_utf8_next(&p, e);
        if (cp == '\n') continue;
        w += m->advance(m->ctx, cp);
    }
    return w * size;
}

/* ---- line breaking ---- */

void text_lines_clear(text_lines *l) { l->n = 0; }

void text_lines_free(text_lines *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static void lines_push(text_lines *l, size_t start, size_t end, double width)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n].start = start;
    l->v[l->n].end = end;
    l->v[l->n].width = width;
    l->n++;
}

typedef struct chr {
    uint32_t cp;
    size_t off;   /* byte offset */
    double adv;   /* em */
} chr;

/* Measure words a number keeps on its line: 4 名, never 4 / 名. */
static bool is_measure(uint32_t cp)
{
    /* 名人个张票页项条次年月日元分岁天份位件家所届期%％ */
    static const uint32_t measures[] = {0x540D, 0x4EBA, 0x4E2A, 0x5F20, 0x7968, 0x9875, 0x9879, 0x6761, 0x6B21, 0x5E74, 0x6708, 0x65E5, 0x5143, 0x5206, 0x5C81, 0x5929, 0x4EFD, 0x4F4D, 0x4EF6, 0x5BB6, 0x6240, 0x5C4A, 0x671F, 0x0025, 0xFF05};
    for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++)
        if (measures[i] == cp) return true;
    return false;
}

static bool is_digit(uint32_t cp) { return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19); }

/* Words of the forms' vocabulary a line does not break inside (参加/考核/
 * 人数, never 参加考/核/人数). Text is broken by character otherwise; a word
 * wider than the line still breaks (break_para's fallback). */
/* (code points, 0-terminated: the words are compared with decoded text) */
static const uint32_t WORDS[][4] = {
    {0x53C2, 0x52A0} /* 参加 */,
    {0x8003, 0x6838} /* 考核 */,
    {0x4EBA, 0x6570} /* 人数 */,
    {0x4F18, 0x79C0} /* 优秀 */,
    {0x540D, 0x989D} /* 名额 */,
    {0x6BD4, 0x4F8B} /* 比例 */,
    {0x4E0A, 0x9650} /* 上限 */,
    {0x4E0D, 0x79F0, 0x804C} /* 不称职 */,
    {0x79F0, 0x804C} /* 称职 */,
    {0x57FA, 0x672C} /* 基本 */,
    {0x4E0D, 0x5408, 0x683C} /* 不合格 */,
    {0x5408, 0x683C} /* 合格 */,
    {0x7B49, 0x6B21} /* 等次 */,
    {0x4E0D, 0x5B9A} /* 不定 */,
    {0x6D4B, 0x8BC4} /* 测评 */,
    {0x6C11, 0x4E3B} /* 民主 */,
    {0x5F97, 0x7968} /* 得票 */,
    {0x7968, 0x6570} /* 票数 */,
    {0x5408, 0x8BA1} /* 合计 */,
    {0x5E8F, 0x53F7} /* 序号 */,
    {0x59D3, 0x540D} /* 姓名 */,
    {0x804C, 0x52A1} /* 职务 */,
    {0x804C, 0x7EA7} /* 职级 */,
    {0x5355, 0x4F4D} /* 单位 */,
    {0x540D, 0x79F0} /* 名称 */,
    {0x4EE3, 0x7801} /* 代码 */,
    {0x72B6, 0x6001} /* 状态 */,
    {0x95EE, 0x9898} /* 问题 */,
    {0x5907, 0x6CE8} /* 备注 */,
    {0x51FA, 0x751F} /* 出生 */,
    {0x5E74, 0x6708} /* 年月 */,
    {0x6027, 0x522B} /* 性别 */,
    {0x6C11, 0x65CF} /* 民族 */,
    {0x653F, 0x6CBB} /* 政治 */,
    {0x9762, 0x8C8C} /* 面貌 */,
    {0x6587, 0x5316} /* 文化 */,
    {0x7A0B, 0x5EA6} /* 程度 */,
    {0x65F6, 0x95F4} /* 时间 */,
    {0x4ECE, 0x4E8B} /* 从事 */,
    {0x5206, 0x7BA1} /* 分管 */,
    {0x5DE5, 0x4F5C} /* 工作 */,
    {0x4E2A, 0x4EBA} /* 个人 */,
    {0x603B, 0x7ED3} /* 总结 */,
    {0x4E3B, 0x7BA1} /* 主管 */,
    {0x9886, 0x5BFC} /* 领导 */,
    {0x8BC4, 0x8BED} /* 评语 */,
    {0x5EFA, 0x8BAE} /* 建议 */,
    {0x610F, 0x89C1} /* 意见 */,
    {0x672C, 0x4EBA} /* 本人 */,
    {0x7B7E, 0x540D} /* 签名 */,
    {0x65E5, 0x671F} /* 日期 */,
    {0x76D6, 0x7AE0} /* 盖章 */,
    {0x5BA1, 0x6838} /* 审核 */,
    {0x7EC4, 0x7EC7} /* 组织 */,
    {0x4EBA, 0x4E8B} /* 人事 */,
    {0x90E8, 0x95E8} /* 部门 */,
    {0x7533, 0x8BF7} /* 申请 */,
    {0x6307, 0x6807} /* 指标 */,
    {0x7F16, 0x5236} /* 编制 */,
    {0x5B9E, 0x6709} /* 实有 */,
    {0x5176, 0x4ED6} /* 其他 */,
    {0x4EBA, 0x5458} /* 人员 */,
    {0x884C, 0x653F} /* 行政 */,
    {0x4E8B, 0x4E1A} /* 事业 */,
    {0x5956, 0x52B1} /* 奖励 */,
    {0x5609, 0x5956} /* 嘉奖 */,
    {0x4E09, 0x7B49, 0x529F} /* 三等功 */,
    {0x8FDE, 0x7EED} /* 连续 */,
    {0x5E74, 0x5EA6} /* 年度 */,
    {0x7ED3, 0x679C} /* 结果 */,
    {0x901A, 0x77E5, 0x4E66} /* 通知书 */,
    {0x767B, 0x8BB0, 0x8868} /* 登记表 */,
    {0x6C47, 0x603B, 0x8868} /* 汇总表 */,
    {0x516C, 0x793A} /* 公示 */,
    {0x5907, 0x6848} /* 备案 */,
    {0x82B1, 0x540D, 0x518C} /* 花名册 */,
    {0x60C5, 0x51B5} /* 情况 */,
    {0x8BF4, 0x660E} /* 说明 */,
    {0x5904, 0x7406} /* 处理 */,
    {0x539F, 0x56E0} /* 原因 */,
    {0x786E, 0x5B9A} /* 确定 */,
    {0x62DF, 0x5B9A} /* 拟定 */,
    {0x4E0D, 0x53C2, 0x52A0} /* 不参加 */,
    {0x6C47, 0x603B} /* 汇总 */,
    {0x516C, 0x52A1, 0x5458} /* 公务员 */,
    {0x53C2, 0x7167} /* 参照 */,
    {0x7BA1, 0x7406} /* 管理 */,
    {0x5C97, 0x4F4D} /* 岗位 */,
    {0x7B49, 0x7EA7} /* 等级 */,
    {0x73B0, 0x8058} /* 现聘 */,
    {0x7EE9, 0x6548} /* 绩效 */,
    {0x8003, 0x8BC4} /* 考评 */,
    {0x8BC4, 0x5206} /* 评分 */,
    {0x6392, 0x540D} /* 排名 */,
    {0x5F97, 0x5206} /* 得分 */,
    {0x6263, 0x5206} /* 扣分 */,
    {0x52A0, 0x5206} /* 加分 */,
    {0x8BA1, 0x5206} /* 计分 */,
    {0x6807, 0x51C6} /* 标准 */,
    {0x7CFB, 0x5217} /* 系列 */,
    {0x8D1F, 0x8D23, 0x4EBA} /* 负责人 */,
    {0x8BA1, 0x7968, 0x4EBA} /* 计票人 */,
    {0x76D1, 0x7968, 0x4EBA} /* 监票人 */,
    {0x5236, 0x8868, 0x4EBA} /* 制表人 */,
    {0x5BA1, 0x6838, 0x4EBA} /* 审核人 */,
    {0x586B, 0x8868, 0x4EBA} /* 填表人 */,
    /* posts and bodies that name a person's 职务 in list cells */
    {0x79D1, 0x5458} /* 科员 */,
    {0x79D1, 0x957F} /* 科长 */,
    {0x5C40, 0x957F} /* 局长 */,
    {0x4E3B, 0x4EFB} /* 主任 */,
    {0x59D4, 0x5458, 0x4F1A} /* 委员会 */,
    {0x59D4, 0x5458} /* 委员 */,
    {0x4E66, 0x8BB0} /* 书记 */,
    {0x5E72, 0x90E8} /* 干部 */,
    {0x804C, 0x5458} /* 职员 */,
    {0x529E, 0x4E8B, 0x5458} /* 办事员 */,
    {0x79D1, 0x7EA7} /* 科级 */,
    {0x5904, 0x7EA7} /* 处级 */,
    {0x6709, 0x6548, 0x7968} /* 有效票 */,
    {0x8868, 0x5F70} /* 表彰 */,
    {0x6587, 0x660E} /* 文明 */,
    {0x5148, 0x8FDB} /* 先进 */,
    {0x76EE, 0x6807} /* 目标 */,
    {0x5E73, 0x65F6} /* 平时 */,
    {0x5F00, 0x5C55} /* 开展 */,
    {0x5B8C, 0x6210} /* 完成 */,
    {0x8981, 0x7D20} /* 要素 */,
};

/* Every pair of neighbours inside a word (a, b), its word and the offset of
 * b in it, sorted by (a, b): a break position is looked up, not searched
 * for word by word (line breaking runs over every summary at every size). */
typedef struct word_pair { uint32_t a, b; unsigned short word, off; } word_pair;
static const word_pair PAIRS[] = {
    {0x4E09, 0x7B49, 66, 1},
    {0x4E0A, 0x9650, 6, 1},
    {0x4E0D, 0x53C2, 82, 1},
    {0x4E0D, 0x5408, 10, 1},
    {0x4E0D, 0x5B9A, 13, 1},
    {0x4E0D, 0x79F0, 7, 1},
    {0x4E2A, 0x4EBA, 41, 1},
    {0x4E3B, 0x4EFB, 109, 1},
    {0x4E3B, 0x7BA1, 43, 1},
    {0x4E66, 0x8BB0, 112, 1},
    {0x4E8B, 0x4E1A, 63, 1},
    {0x4E8B, 0x5458, 115, 2},
    {0x4EBA, 0x4E8B, 54, 1},
    {0x4EBA, 0x5458, 61, 1},
    {0x4EBA, 0x6570, 2, 1},
    {0x4ECE, 0x4E8B, 38, 1},
    {0x4EE3, 0x7801, 25, 1},
    {0x4F18, 0x79C0, 3, 1},
    {0x5148, 0x8FDB, 121, 1},
    {0x516C, 0x52A1, 84, 1},
    {0x516C, 0x793A, 73, 1},
    {0x5176, 0x4ED6, 60, 1},
    {0x51FA, 0x751F, 29, 1},
    {0x5206, 0x7BA1, 39, 1},
    {0x5236, 0x8868, 103, 1},
    {0x529E, 0x4E8B, 115, 1},
    {0x52A0, 0x5206, 96, 1},
    {0x52A1, 0x5458, 84, 2},
    {0x5355, 0x4F4D, 23, 1},
    {0x539F, 0x56E0, 79, 1},
    {0x53C2, 0x52A0, 0, 1},
    {0x53C2, 0x52A0, 82, 2},
    {0x53C2, 0x7167, 85, 1},
    {0x5408, 0x683C, 10, 2},
    {0x5408, 0x683C, 11, 1},
    {0x5408, 0x8BA1, 18, 1},
    {0x540D, 0x518C, 75, 2},
    {0x540D, 0x79F0, 24, 1},
    {0x540D, 0x989D, 4, 1},
    {0x5458, 0x4F1A, 110, 2},
    {0x5609, 0x5956, 65, 1},
    {0x57FA, 0x672C, 9, 1},
    {0x586B, 0x8868, 105, 1},
    {0x5904, 0x7406, 78, 1},
    {0x5904, 0x7EA7, 117, 1},
    {0x5907, 0x6848, 74, 1},
    {0x5907, 0x6CE8, 28, 1},
    {0x5956, 0x52B1, 64, 1},
    {0x59D3, 0x540D, 20, 1},
    {0x59D4, 0x5458, 110, 1},
    {0x59D4, 0x5458, 111, 1},
    {0x5B8C, 0x6210, 125, 1},
    {0x5B9E, 0x6709, 59, 1},
    {0x5BA1, 0x6838, 52, 1},
    {0x5BA1, 0x6838, 104, 1},
    {0x5C40, 0x957F, 108, 1},
    {0x5C97, 0x4F4D, 87, 1},
    {0x5DE5, 0x4F5C, 40, 1},
    {0x5E72, 0x90E8, 113, 1},
    {0x5E73, 0x65F6, 123, 1},
    {0x5E74, 0x5EA6, 68, 1},
    {0x5E74, 0x6708, 30, 1},
    {0x5E8F, 0x53F7, 19, 1},
    {0x5EFA, 0x8BAE, 46, 1},
    {0x5F00, 0x5C55, 124, 1},
    {0x5F97, 0x5206, 94, 1},
    {0x5F97, 0x7968, 16, 1},
    {0x6027, 0x522B, 31, 1},
    {0x603B, 0x7ED3, 42, 1},
    {0x603B, 0x8868, 72, 2},
    {0x60C5, 0x51B5, 76, 1},
    {0x610F, 0x89C1, 47, 1},
    {0x6263, 0x5206, 95, 1},
    {0x62DF, 0x5B9A, 81, 1},
    {0x6307, 0x6807, 57, 1},
    {0x6392, 0x540D, 93, 1},
    {0x653F, 0x6CBB, 33, 1},
    {0x6548, 0x7968, 118, 2},
    {0x6587, 0x5316, 35, 1},
    {0x6587, 0x660E, 120, 1},
    {0x65E5, 0x671F, 50, 1},
    {0x65F6, 0x95F4, 37, 1},
    {0x6709, 0x6548, 118, 1},
    {0x672C, 0x4EBA, 48, 1},
    {0x6807, 0x51C6, 98, 1},
    {0x6838, 0x4EBA, 104, 2},
    {0x6BD4, 0x4F8B, 5, 1},
    {0x6C11, 0x4E3B, 15, 1},
    {0x6C11, 0x65CF, 32, 1},
    {0x6C47, 0x603B, 72, 1},
    {0x6C47, 0x603B, 83, 1},
    {0x6D4B, 0x8BC4, 14, 1},
    {0x72B6, 0x6001, 26, 1},
    {0x73B0, 0x8058, 89, 1},
    {0x7533, 0x8BF7, 56, 1},
    {0x767B, 0x8BB0, 71, 1},
    {0x76D1, 0x7968, 102, 1},
    {0x76D6, 0x7AE0, 51, 1},
    {0x76EE, 0x6807, 122, 1},
    {0x77E5, 0x4E66, 70, 2},
    {0x786E, 0x5B9A, 80, 1},
    {0x7968, 0x4EBA, 101, 2},
    {0x7968, 0x4EBA, 102, 2},
    {0x7968, 0x6570, 17, 1},
    {0x79D1, 0x5458, 106, 1},
    {0x79D1, 0x7EA7, 116, 1},
    {0x79D1, 0x957F, 107, 1},
    {0x79F0, 0x804C, 7, 2},
    {0x79F0, 0x804C, 8, 1},
    {0x7A0B, 0x5EA6, 36, 1},
    {0x7B49, 0x529F, 66, 2},
    {0x7B49, 0x6B21, 12, 1},
    {0x7B49, 0x7EA7, 88, 1},
    {0x7B7E, 0x540D, 49, 1},
    {0x7BA1, 0x7406, 86, 1},
    {0x7CFB, 0x5217, 99, 1},
    {0x7EC4, 0x7EC7, 53, 1},
    {0x7ED3, 0x679C, 69, 1},
    {0x7EE9, 0x6548, 90, 1},
    {0x7F16, 0x5236, 58, 1},
    {0x8003, 0x6838, 1, 1},
    {0x8003, 0x8BC4, 91, 1},
    {0x804C, 0x52A1, 21, 1},
    {0x804C, 0x5458, 114, 1},
    {0x804C, 0x7EA7, 22, 1},
    {0x82B1, 0x540D, 75, 1},
    {0x884C, 0x653F, 62, 1},
    {0x8868, 0x4EBA, 103, 2},
    {0x8868, 0x4EBA, 105, 2},
    {0x8868, 0x5F70, 119, 1},
    {0x8981, 0x7D20, 126, 1},
    {0x8BA1, 0x5206, 97, 1},
    {0x8BA1, 0x7968, 101, 1},
    {0x8BB0, 0x8868, 71, 2},
    {0x8BC4, 0x5206, 92, 1},
    {0x8BC4, 0x8BED, 45, 1},
    {0x8BF4, 0x660E, 77, 1},
    {0x8D1F, 0x8D23, 100, 1},
    {0x8D23, 0x4EBA, 100, 2},
    {0x8FDE, 0x7EED, 67, 1},
    {0x901A, 0x77E5, 70, 1},
    {0x90E8, 0x95E8, 55, 1},
    {0x95EE, 0x9898, 27, 1},
    {0x9762, 0x8C8C, 34, 1},
    {0x9886, 0x5BFC, 44, 1},
};
#define NPAIRS (sizeof PAIRS / sizeof PAIRS[0])

/* Is the position between c[i-1] and c[i] inside one of WORDS? c[0..n). */
static bool inside_word(const chr *c, size_t n, size_t i)
{
    uint32_t a = c[i - 1].cp, b = c[i].cp;
    size_t lo = 0, hi = NPAIRS;
    while (lo < hi) {   /* the first pair >= (a, b) */
        size_t mid = (lo + hi) / 2;
        if (PAIRS[mid].a < a || (PAIRS[mid].a == a && PAIRS[mid].b < b)) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < NPAIRS && PAIRS[lo].a == a && PAIRS[lo].b == b; lo++) {
        const uint32_t *cps = WORDS[PAIRS[lo].word];
        size_t k = 0, off = PAIRS[lo].off;
        while (k < 4 && cps[k]) k++;
        if (i < off || i - off + k > n) continue;
        size_t j = i - off, m = 0;
        while (m < k && c[j + m].cp == cps[m]) m++;
        if (m == k) return true;
    }
    return false;
}

/* May a line break fall between c[i-1] and c[i] (of c[0..n))? */
static bool break_ok(const chr *c, size_t n, size_t i)
{
    uint32_t a = c[i - 1].cp, b = c[i].cp;
    if (is_space(b)) return false;          /* break after the spaces, not before */
    if (is_measure(b)) {                    /* a number keeps its measure word */
        size_t k = i;
        while (k > 0 && is_space(c[k - 1].cp)) k--;
        if (k > 0 && is_digit(c[k - 1].cp)) return false;
    }
    if (is_space(a)) return true;
    if (text_no_line_start(b)) return false;
    if (text_no_line_end(a)) return false;
    bool ca = text_is_cjk(a), cb = text_is_cjk(b);
    if (!ca && !cb) return false;           /* inside a Latin word or number */
    if (ca && cb && inside_word(c, n, i)) return false;
    return true;
}

/* Break one paragraph (no LF) c[0..n) into lines at size. Returns the
 * number of breaks forced inside an unbreakable run (a word or number
 * wider than the line). */
static size_t break_para(const chr *c, size_t n, size_t para_start, size_t para_end,
                         double size, double width, text_lines *out)
{
    size_t forced = 0;
    if (n == 0) {
        lines_push(out, para_start, para_start, 0);
        return 0;
    }
    const double eps = 1e-6;
    size_t s = 0;
    /* skip leading spaces of the paragraph? keep them: indentation is intentional */
    while (s < n) {
        double w = 0;
        size_t i = s;
        size_t last_ok = 0;          /* last index > s where a break is allowed */
        size_t brk = n;              /* where this line ends */
        while (i < n) {
            double adv = c[i].adv * size;
            if (i > s && break_ok(c, n, i)) last_ok = i;
            if (!is_space(c[i].cp) && w + adv > width + eps && i > s) {
                /* c[i] does not fit */
                if (last_ok > s) brk = last_ok;
                else {
                    brk = i;         /* unbreakable run wider than the line */
                    forced++;
                }
                break;
            }
            w += adv;
            i++;
        }
        if (i >= n) brk = n;
        /* line is c[s..brk) minus trailing spaces */
        size_t e = brk;
        while (e > s && is_space(c[e - 1].cp)) e--;
        double lw = 0;
        for (size_t k = s; k < e; k++) lw += c[k].adv * size;
        size_t bstart = c[s].off;
        size_t bend = e < n ? c[e].off : para_end;
        if (e == s) bend = bstart;
        lines_push(out, bstart, bend, lw);
        s = brk;
        while (s < n && is_space(c[s].cp)) s++;
    }
    return forced;
}

/* s[0..len) decoded once, with each character's advance in em: fitting
 * breaks the same text at several sizes. LFs are kept (they end
 * paragraphs); c must hold len + 1 entries. Returns the count. */
static size_t decode(const char *s, size_t len, const text_metrics *m, chr *c)
{
    const char *p = s, *e = s + len;
    size_t n = 0;
    while (p < e) {
        c[n].off = (size_t)(p - s);
        c[n].cp = text_utf8_next(&p, e);
        c[n].adv = c[n].cp == '\n' ? 0 : m->advance(m->ctx, c[n].cp);
        n++;
    }
    return n;
}

/* Break decoded text c[0..n) of s[0..len) at size, paragraph by paragraph.
 * Returns the number of forced breaks (see break_para). */
static size_t break_chars(const chr *c, size_t n, size_t len, double size, double width,
                          text_lines *out)
{
    size_t forced = 0;
    text_lines_clear(out);
    if (len == 0) return 0;
    size_t first = 0;   /* first character of the paragraph */
    for (size_t i = 0; i <= n; i++) {
        if (i < n && c[i].cp != '\n') continue;
        size_t para_start = first < n ? c[first].off : len;
        size_t para_end = i < n ? c[i].off : len;
        if (first == i) para_start = para_end;
        forced += break_para(c + first, i - first, para_start, para_end, size, width, out);
        first = i + 1;
    }
    return forced;
}

void text_break(const char *s, size_t len, const text_metrics *m,
                double size, double width, text_lines *out)
{
    chr *c = xmalloc((len + 1) * sizeof *c);
    size_t n = decode(s, len, m, c);
    break_chars(c, n, len, size, width, out);
    free(c);
}

double text_lines_height(size_t n, double size, double leading)
{
    if (n == 0) return 0;
    return (double)(n - 1) * size * leading + size;
}

bool text_fit(const char *s, size_t len, const text_metrics *m,
              const text_fit_req *req, text_fit_result *out)
{
    double step = req->step > 0 ? req->step : 0.5;
    double leading = req->leading > 0 ? req->leading : 1.25;
    double smin = req->size_min > 0 ? req->size_min : req->size_max;
    if (smin > req->size_max) smin = req->size_max;
    out->overflow = false;
    out->fit_end = len;
    const double eps = 1e-6;
    chr *c = xmalloc((len + 1) * sizeof *c);
    size_t n = decode(s, len, m, c);
    /* the largest size at which the text fits without breaking a word or
     * number (参加考/核, 4/名); failing that, the largest at which it fits */
    bool fits = false;
    double first_fit = 0;
    for (double size = req->size_max;; size -= step) {
        if (size < smin + eps) size = smin;
        size_t forced = break_chars(c, n, len, size, req->width, &out->lines);
        if (text_lines_height(out->lines.n, size, leading) <= req->height + eps) {
            if (!fits) first_fit = size;
            fits = true;
            if (!forced) {
                out->size = size;
                free(c);
                return true;
            }
        }
        if (size <= smin) break;
    }
    if (fits) {
        out->size = first_fit;
        break_chars(c, n, len, first_fit, req->width, &out->lines);
    }
    free(c);
    if (fits) return true;
    /* does not fit at the minimum size: keep what fits */
    out->size = smin;
    size_t keep = 0;
    while (keep < out->lines.n &&
           text_lines_height(keep + 1, smin, leading) <= req->height + eps)
        keep++;
    if (keep < out->lines.n) {
        out->fit_end = out->lines.v[keep].start;
        out->lines.n = keep;
        out->overflow = true;
    }
    return !out->overflow;
}

/* ---- code point sets ---- */

void text_cpset_add(text_cpset *s, uint32_t cp)
{
    if (cp < 65536) {
        uint64_t bit = (uint64_t)1 << (cp & 63);
        if (!(s->bmp[cp >> 6] & bit)) {
            s->bmp[cp >> 6] |= bit;
            s->count++;
        }
        return;
    }
    size_t lo = 0, hi = s->nastral;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->astral[mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    if (lo < s->nastral && s->astral[lo] == cp) return;
    if (s->nastral == s->capastral) {
        s->capastral = s->capastral ? s->capastral * 2 : 8;
        s->astral = xrealloc(s->astral, s->capastral * sizeof *s->astral);
    }
    memmove(s->astral + lo + 1, s->astral + lo, (s->nastral - lo) * sizeof *s->astral);
    s->astral[lo] = cp;
    s->nastral++;
    s->count++;
}

bool text_cpset_has(const text_cpset *s, uint32_t cp)
{
    if (cp < 65536) return (s->bmp[cp >> 6] >> (cp & 63)) & 1;
    for (size_t i = 0; i < s->nastral; i++)
        if (s->astral[i] == cp) return true;
    return false;
}

void text_cpset_add_utf8(text_cpset *s, const char *str, size_t len)
{
    const char *p = str, *e = str + len;
    while (p < e) text_cpset_add(s, text_utf8_next(&p, e));
}

uint32_t *text_cpset_list(const text_cpset *s, size_t *n)
{
    uint32_t *v = xmalloc((s->count + 1) * sizeof *v);
    size_t k = 0;
    for (uint32_t w = 0; w < 65536 / 64; w++) {
        uint64_t bits = s->bmp[w];
        while (bits) {
            int b = __builtin_ctzll(bits);
            v[k++] = w * 64 + (uint32_t)b;
            bits &= bits - 1;
        }
    }
    for (size_t i = 0; i < s->nastral; i++) v[k++] = s->astral[i];
    *n = k;
    return v;
}

void text_cpset_free(text_cpset *s)
{
    free(s->astral);
    s->astral = NULL;
    s->nastral = s->capastral = 0;
}
