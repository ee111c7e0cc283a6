/* sample — see sample.h.
 *
 * Design notes (the *why*):
 * - Every random decision comes from splitmix64 streams keyed by (seed, purpose,
 *   index), so a person's data depends only on the options and its global index:
 *   no rand(), no floating point, byte-identical output everywhere.
 * - Streaming: the split of persons over units is a pure function of a unit's
 *   index and a running prefix sum of per-unit weights (one cheap pre-pass sums
 *   the weights), so nothing proportional to the number of units or persons is
 *   ever held in memory. One sbuf is reused for each person's XML.
 * - Quota safety without look-ahead: an explicit excellent proposal is only
 *   written when the persons *already written* in its bucket would give the
 *   place; participants only grow, so the final count of places can only be
 *   larger. The same greedy bound keeps `advanced` within 10%.
 * - Coverage: every status case, the category `other` and the history streaks
 *   are pinned to evenly spaced global person indices, so a 60-person sample
 *   holds each once; beyond that they appear only with a small probability. */
#include "sample.h"

#include <assert.h>
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

/* ---------------------------------------------------------------- PRNG ---- */

typedef struct {
    uint64_t state;
} sample_rng;

static uint64_t sample_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t sample_next(sample_rng *r)
{
    r->state += 0x9E3779B97F4A7C15ULL;
    return sample_mix64(r->state);
}

/* Independent stream for one purpose and one index: data of person 17 must not
 * shift when person 16 draws one more number. */
static sample_rng sample_stream(uint64_t seed, uint64_t purpose, uint64_t index)
{
    sample_rng r;
    r.state = sample_mix64(seed ^ sample_mix64((purpose << 56) ^ index ^ 0x5A17C0DEULL));
    return r;
}

/* Uniform in [0, n) by multiply-shift (no modulo bias worth caring about). */
static uint32_t sample_below(sample_rng *r, uint32_t n)
{
    if (n <= 1) return 0;
    return (uint32_t)(((sample_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int sample_range(sample_rng *r, int lo, int hi)
{
    return lo + (int)sample_below(r, (uint32_t)(hi - lo + 1));
}

/* True with probability permille/1000. */
static bool sample_chance(sample_rng *r, int permille)
{
    return (int)sample_below(r, 1000) < permille;
}

/* Index into a weight table. */
static int sample_weighted(sample_rng *r, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) total += w[i];
    int x = (int)sample_below(r, (uint32_t)total);
    for (int i = 0; i < n; i++) {
        if (x < w[i]) return i;
        x -= w[i];
    }
    return n - 1;
}

#define SAMPLE_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SAMPLE_PICK(r, a) ((a)[sample_below((r), (uint32_t)SAMPLE_COUNT(a))])

/* ------------------------------------------------------------- tables ---- */

enum { SAMPLE_KIND_ORGAN, SAMPLE_KIND_MANAGED, SAMPLE_KIND_INSTITUTION };
static const char *const sample_kind_names[] = { "organ", "managed", "institution" };

enum { SAMPLE_CAT_CIVIL, SAMPLE_CAT_MANAGED, SAMPLE_CAT_INSTITUTION, SAMPLE_CAT_OTHER };
static const char *const sample_cat_names[] = { "civil-servant", "managed", "institution", "other" };

enum { SAMPLE_ROLE_STAFF, SAMPLE_ROLE_LEADER, SAMPLE_ROLE_MAIN };
static const char *const sample_role_names[] = { "staff", "leader", "main-leader" };

/* Work domains pick the 业务工作 sentences of a summary. */
enum { SAMPLE_DOM_ORGAN, SAMPLE_DOM_MANAGED, SAMPLE_DOM_SCHOOL, SAMPLE_DOM_HOSPITAL, SAMPLE_DOM_SERVICE };

typedef struct {
    const char *pattern;  /* printf pattern with one %s: the city/county prefix */
    int kind;
    int domain;
    int series;           /* 1 党群, 2 政府工作部门, 3 其他 (zhangzhou ranking) */
    const char *head;     /* title of the main leader */
    const char *deputy;   /* title of the other leaders */
} sample_unit_tpl;

static const sample_unit_tpl sample_unit_tpls[] = {
    { "%s财政局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s教育局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s民政局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s司法局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s人力资源和社会保障局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s自然资源和规划局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s生态环境局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s住房和城乡建设局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s交通运输局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s水利局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s农业农村局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s商务局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s文化广电和旅游局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s卫生健康委员会", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "主任", "副主任" },
    { "%s发展和改革委员会", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "主任", "副主任" },
    { "%s审计局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s统计局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s市场监督管理局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s应急管理局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s退役军人事务局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s医疗保障局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s工业和信息化局", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "局长", "副局长" },
    { "%s人民政府办公室", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 2, "主任", "副主任" },
    { "中共%s委组织部", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 1, "部长", "副部长" },
    { "中共%s委宣传部", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 1, "部长", "副部长" },
    { "中共%s委统战部", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 1, "部长", "副部长" },
    { "中共%s委政法委员会", SAMPLE_KIND_ORGAN, SAMPLE_DOM_ORGAN, 1, "书记", "副书记" },
    { "%s档案馆", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 3, "馆长", "副馆长" },
    { "%s机关事务服务中心", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 3, "主任", "副主任" },
    { "%s总工会", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 1, "主席", "副主席" },
    { "%s妇女联合会", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 1, "主席", "副主席" },
    { "%s科学技术协会", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 1, "主席", "副主席" },
    { "%s供销合作社联合社", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 3, "主任", "副主任" },
    { "%s住房公积金管理中心", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 3, "主任", "副主任" },
    { "%s社会保险事业管理局", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 3, "局长", "副局长" },
    { "%s地方志编纂中心", SAMPLE_KIND_MANAGED, SAMPLE_DOM_MANAGED, 3, "主任", "副主任" },
    { "%s第一中学", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SCHOOL, 3, "校长", "副校长" },
    { "%s第二中学", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SCHOOL, 3, "校长", "副校长" },
    { "%s实验中学", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SCHOOL, 3, "校长", "副校长" },
    { "%s实验小学", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SCHOOL, 3, "校长", "副校长" },
    { "%s第三小学", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SCHOOL, 3, "校长", "副校长" },
    { "%s职业技术学校", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SCHOOL, 3, "校长", "副校长" },
    { "%s第一幼儿园", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SCHOOL, 3, "园长", "副园长" },
    { "%s人民医院", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_HOSPITAL, 3, "院长", "副院长" },
    { "%s中医院", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_HOSPITAL, 3, "院长", "副院长" },
    { "%s妇幼保健院", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_HOSPITAL, 3, "院长", "副院长" },
    { "%s疾病预防控制中心", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_HOSPITAL, 3, "主任", "副主任" },
    { "%s图书馆", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "馆长", "副馆长" },
    { "%s博物馆", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "馆长", "副馆长" },
    { "%s文化馆", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "馆长", "副馆长" },
    { "%s融媒体中心", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "主任", "副主任" },
    { "%s农业技术推广中心", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "主任", "副主任" },
    { "%s公共资源交易中心", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "主任", "副主任" },
    { "%s不动产登记中心", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "主任", "副主任" },
    { "%s社会福利院", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "院长", "副院长" },
    { "%s林业科学研究所", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "所长", "副所长" },
    { "%s政务服务中心", SAMPLE_KIND_INSTITUTION, SAMPLE_DOM_SERVICE, 3, "主任", "副主任" },
};

/* One fictional city per sample, with its districts and counties. */
typedef struct {
    const char *city;
    const char *area;        /* telephone area code */
    const char *sub[4];      /* districts/counties */
} sample_city;

static const sample_city sample_cities[] = {
    { "安平", "0391", { "安平市城东区", "安平市河西区", "临水县", "青山县" } },
    { "云川", "0872", { "云川市五华区", "云川市盘龙区", "白石县", "长乐县" } },
    { "泽阳", "0734", { "泽阳市雁峰区", "泽阳市石鼓区", "衡东县", "祁水县" } },
    { "澄江", "0517", { "澄江市清江区", "澄江市淮安区", "涟水县", "金湖县" } },
    { "丰宁", "0314", { "丰宁市双桥区", "丰宁市鹰手营区", "隆化县", "滦平县" } },
    { "汉川", "0712", { "汉川市孝南区", "汉川市东山区", "云梦县", "应城县" } },
};

static const char *const sample_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
    "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
    "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟",
    "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
    "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔",
    "欧阳", "司马", "上官",
};

static const char *const sample_given_male[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏",
    "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林",
    "洋", "亮", "建", "国", "志", "文", "海", "峰", "东", "晨", "博", "振", "家", "成",
    "毅", "锋", "彬", "立", "晓", "春", "永", "新", "德", "兵", "卫", "锐", "子", "昊",
};

static const char *const sample_given_female[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "桂", "英", "慧", "颖",
    "婷", "雪", "琳", "晶", "倩", "洁", "燕", "萍", "红", "梅", "莉", "兰", "欣", "悦",
    "佳", "蕾", "璐", "怡", "瑶", "雯", "琴", "丹", "蓉", "薇", "晓", "春", "秋", "文",
    "思", "雨", "梦", "月", "媛", "婕", "玉", "凤",
};

static const char *const sample_ethnic_minor[] = {
    "回族", "满族", "壮族", "土家族", "苗族", "蒙古族", "彝族", "侗族", "瑶族", "白族",
    "布依族", "朝鲜族", "畲族",
};

static const char *const sample_parties[] = {
    "民盟盟员", "民进会员", "九三学社社员", "农工党党员", "致公党党员", "民建会员",
};

static const char *const sample_org_sections[] = {
    "办公室", "综合科", "政策法规科", "财务科", "人事科", "规划科", "督查科", "行政审批科",
    "业务一科", "业务二科", "监督检查科", "信息科",
};

/* ------------------------------------------------------ summary text ---- */
/* '@' expands to the appraisal year, '#1'..'#4' to a number of 1..4 digits.
 * A leading '*' marks a sentence only a party member would write. */

static const char *const sample_openings[] = {
    "@年，本人在单位党组的正确领导和同事们的关心支持下，认真履行岗位职责，较好地完成了各项工作任务。现将一年来的思想和工作情况总结如下。",
    "一年来，本人坚持以习近平新时代中国特色社会主义思想为指导，围绕单位中心工作，勤勉敬业，扎实工作。现将@年度个人工作情况报告如下。",
    "根据年度考核工作安排，现将本人@年度在思想政治、业务工作、廉洁自律等方面的情况总结如下。",
    "@年，在领导的关心指导和同事们的大力支持下，本人立足岗位、恪尽职守，圆满完成了年初确定的各项目标任务，现将主要情况汇报如下。",
};

static const char *const sample_head_politics[] = {
    "一、加强政治理论学习，不断提高思想政治素质。",
    "一、思想政治方面。",
    "一、坚持学习不放松，筑牢思想根基。",
};
static const char *const sample_head_work[] = {
    "二、立足本职岗位，认真完成各项工作任务。",
    "二、业务工作方面。",
    "二、履职尽责，扎实推进各项工作。",
};
static const char *const sample_head_integrity[] = {
    "三、严守纪律规矩，坚持廉洁自律。",
    "三、廉洁自律方面。",
    "三、严于律己，保持清正廉洁。",
};
static const char *const sample_head_future[] = {
    "四、存在的不足和今后努力方向。",
    "四、存在问题及下一步打算。",
    "四、不足之处和改进措施。",
};

static const char *const sample_politics[] = {
    "坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务，认真参加单位组织的集中学习和专题研讨，坚持个人自学不放松。",
    "*积极参加“三会一课”、主题党日等组织生活，按时足额交纳党费，认真开展批评与自我批评。",
    "认真学习党的二十大精神，深刻领悟“两个确立”的决定性意义，不断增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
    "通过“学习强国”平台和干部网络学院坚持每日学习，全年完成网络学习课程#2学时。",
    "注重把理论学习同本职工作结合起来，学以致用，用科学理论指导工作实践，努力提高运用政策解决实际问题的能力。",
    "认真学习宪法和与本职工作相关的法律法规，依法履职意识进一步增强。",
    "在思想上、政治上、行动上同党中央保持高度一致，坚决贯彻执行上级各项决策部署。",
    "积极参加单位组织的主题教育和警示教育活动，撰写学习心得体会#1篇，思想认识得到进一步提升。",
    "坚持读原著、学原文、悟原理，努力做到学思用贯通、知信行统一。",
    "平时注意关心国内外大事，主动学习经济、法律、科技、管理等方面的新知识，不断拓宽知识面。",
    "积极参加单位组织的业务培训和岗位练兵，全年参加各类培训#2学时，业务素质有了新的提高。",
    "自觉践行社会主义核心价值观，恪守社会公德、职业道德、家庭美德和个人品德。",
    "*严格遵守党章党规，认真落实组织生活制度，主动向党组织汇报思想和工作情况。",
    "*积极参加党支部组织的志愿服务活动，在社区报到和结对帮扶中发挥了党员先锋模范作用。",
    "树立正确的世界观、人生观、价值观，不断增强政治判断力、政治领悟力、政治执行力。",
};

static const char *const sample_work_organ[] = {
    "认真履行岗位职责，全年共起草各类文稿#2篇，办理公文#3件，做到件件有着落、事事有回音。",
    "围绕单位年度重点工作任务，主动谋划，积极作为，较好地完成了领导交办的各项工作任务。",
    "协助做好年度预算编制和执行分析工作，严格按照规定程序办理各项资金拨付，全年未出现差错。",
    "积极参与重点项目的跟踪服务工作，多次深入基层调研，形成调研报告#1篇，多篇得到领导批示肯定。",
    "认真做好政务信息报送工作，全年报送信息#2条，被上级部门采用#1条。",
    "严格落实首问负责制、限时办结制，全年接待群众来访来电#3人次，群众满意率明显提升。",
    "认真做好人大代表建议和政协委员提案的办理工作，按时办结率达到百分之百。",
    "积极参与“放管服”改革，梳理优化办事流程，推动更多事项实现“一网通办”“最多跑一次”。",
    "认真做好档案管理和保密工作，做到资料归档及时、保管规范、查阅方便。",
    "按照统一部署参加乡村振兴驻村帮扶工作，协助村“两委”解决群众急难愁盼问题#2件。",
    "积极参加安全生产大检查和防汛抗旱等急难险重任务，圆满完成了各项保障工作。",
    "坚持依法行政，严格执行行政执法公示、执法全过程记录和重大执法决定法制审核制度。",
    "认真完成各类统计报表和数据填报工作，确保数据真实、准确、及时。",
    "牵头起草本单位年度工作总结和下一年度工作要点，按时报送市委、市政府。",
};

static const char *const sample_work_managed[] = {
    "认真做好档案接收、整理、数字化加工和利用服务工作，全年接待查档利用#3人次。",
    "积极参与单位年度工作计划的制定和落实，按时完成各类业务台账的整理归档。",
    "认真落实各项服务承诺，窗口服务规范化、标准化水平进一步提高。",
    "配合做好机关后勤保障、会务服务和公务用车管理等工作，全年保障各类会议#2场次。",
    "积极参与职工权益维护和困难职工帮扶工作，协调解决实际困难#2件。",
    "围绕单位中心工作，认真开展调查研究，形成的意见建议得到领导肯定。",
    "认真做好业务审核工作，做到依规办理、高效便民，全年经办业务#4笔，无一差错。",
    "积极配合做好上级部门的检查考核和审计工作，及时整改发现的问题。",
    "认真做好网站和新媒体平台的信息发布与维护工作，全年发布信息#3条。",
};

static const char *const sample_work_school[] = {
    "担任#1个班的教学工作，认真备课、上课、批改作业，所教班级成绩在全市同类学校中名列前茅。",
    "担任班主任工作，关心每一名学生的成长，经常与家长沟通交流，班级管理井然有序。",
    "积极参加校本教研和集体备课活动，执教的公开课受到听课教师的一致好评。",
    "认真落实“双减”政策，精心设计分层作业，切实减轻学生过重的课业负担。",
    "积极参与课题研究，撰写的教学论文在市级评比中获奖。",
    "坚持立德树人，注重培养学生良好的学习习惯和行为习惯，关注学困生的转化工作。",
    "认真做好学生安全教育和校园安全管理工作，全年未发生安全责任事故。",
    "积极指导青年教师开展教学工作，做好传帮带，促进青年教师快速成长。",
    "认真组织学生参加各类竞赛活动，指导的学生有#1人次在市级以上比赛中获奖。",
};

static const char *const sample_work_hospital[] = {
    "坚守临床一线，全年完成门诊接诊#4人次，参与危重病人抢救#2例。",
    "严格执行医疗核心制度和诊疗规范，认真书写病历，全年无医疗差错和医疗纠纷。",
    "积极参加科室业务学习和疑难病例讨论，不断提高临床诊疗水平。",
    "认真落实院感防控各项措施，规范开展手卫生和医疗废物管理。",
    "积极参加送医下乡和义诊活动，为基层群众提供健康咨询和诊疗服务。",
    "注重医患沟通，耐心解答患者疑问，多次收到患者送来的感谢信和锦旗。",
    "参与完成基本公共卫生服务项目，按时完成传染病报告、慢病随访和健康档案管理等工作。",
    "积极开展新技术、新项目，参与完成的#1项新技术在科室推广应用。",
};

static const char *const sample_work_service[] = {
    "认真做好本岗位各项业务工作，按时完成年度目标任务。",
    "积极参与公共文化服务活动的策划和组织，全年参与组织各类活动#2场次。",
    "认真做好技术推广和服务指导工作，多次深入乡镇开展现场指导。",
    "积极参与项目申报和资料整理工作，为单位争取上级资金支持作出了贡献。",
    "认真做好数据采集、统计分析和信息报送工作，确保数据准确可靠。",
    "热情接待服务对象，认真解答咨询，服务态度和服务质量得到群众认可。",
    "认真做好窗口受理和业务办理工作，全年办理各类事项#4件，按时办结率百分之百。",
    "积极参与单位规章制度的修订完善工作，推动内部管理更加规范。",
};

static const char *const sample_work_generic[] = {
    "工作中坚持高标准、严要求，不推诿、不拖延，努力做到当日事当日毕。",
    "主动学习新业务、新知识，不断提高业务能力和工作效率。",
    "服从组织安排，积极完成临时性、突击性工作任务，做到随叫随到。",
    "团结同事，尊重领导，与同事之间相互配合，共同营造了和谐融洽的工作氛围。",
    "坚持按制度办事、按程序操作，认真做好各项工作的记录和归档。",
    "在做好本职工作的同时，积极参加单位组织的文明创建和志愿服务活动。",
};

static const char *const sample_work_leader[] = {
    "作为班子成员，认真履行“一岗双责”，抓好分管领域的业务工作和党风廉政建设。",
    "坚持民主集中制原则，在重大事项决策中积极建言献策，自觉维护班子团结。",
    "加强对分管科室的指导和督促，定期听取工作汇报，及时协调解决工作中遇到的困难和问题。",
    "注重干部队伍建设，关心干部职工的思想和生活，带领分管科室圆满完成年度目标任务。",
    "带头深入基层开展调查研究，全年走访基层单位#2次，推动解决了一批实际问题。",
};

static const char *const sample_work_main[] = {
    "作为单位主要负责人，切实履行全面从严治党第一责任人职责，对班子成员和干部职工严格要求、严格管理。",
    "坚持把抓好班子、带好队伍作为首要任务，带领全体干部职工全面完成年度各项目标任务。",
    "认真落实意识形态工作责任制，定期研究部署意识形态工作，牢牢掌握意识形态工作主动权。",
    "严格执行“三重一大”集体决策制度，重大事项均经领导班子集体研究决定。",
};

static const char *const sample_integrity[] = {
    "严格遵守中央八项规定及其实施细则精神，坚决反对“四风”，自觉做到廉洁从政、干净做事。",
    "*认真学习《中国共产党廉洁自律准则》和《中国共产党纪律处分条例》，筑牢拒腐防变的思想防线。",
    "严格执行廉洁自律各项规定，不利用职务之便谋取私利，从未收受任何单位和个人的礼品礼金。",
    "坚持勤俭节约，严格执行公务接待、公务用车和差旅费管理等规定。",
    "生活上严格要求自己，慎独慎微，自觉净化社交圈、生活圈、朋友圈。",
    "自觉接受组织和群众的监督，如实报告个人有关事项。",
    "严格遵守工作纪律和作息制度，全年无迟到早退现象。",
    "注重家庭家教家风建设，教育家属子女遵纪守法、廉洁自律。",
    "认真参加警示教育，以身边的反面典型为镜鉴，时刻做到警钟长鸣。",
};

static const char *const sample_shortcomings[] = {
    "回顾一年来的工作，虽然取得了一定成绩，但也存在一些不足。",
    "理论学习的系统性和深度还不够，学用结合还有差距。",
    "工作中有时存在重业务、轻学习的现象，对新政策、新规定的研究不够深入。",
    "创新意识还不够强，有时习惯于按老办法、老经验办事。",
    "深入基层调查研究不够，对一些问题的思考还停留在表面。",
    "工作方法有时比较简单，在统筹协调方面还有待加强。",
    "面对繁重的工作任务，有时存在急躁情绪。",
    "业务知识更新不够及时，运用信息化手段开展工作的能力有待提高。",
    "服务意识还需进一步增强，在主动服务方面做得还不够。",
};

static const char *const sample_plans[] = {
    "在今后的工作中，本人将进一步加强理论学习，不断提高政治素质和业务能力。",
    "坚持问题导向，虚心向领导和同事学习，努力克服自身不足。",
    "进一步增强责任意识和服务意识，以更加饱满的热情投入到工作中。",
    "牢记初心使命，恪尽职守，奋发有为，努力创造出无愧于时代的新业绩。",
    "积极探索新的工作方法，不断提高工作质量和效率。",
    "严守纪律规矩，始终保持廉洁本色。",
    "在新的一年里，力争各项工作再上新台阶，为全市经济社会高质量发展贡献自己的力量。",
};

static const char *const sample_closings[] = {
    "以上是本人@年度的个人总结，不妥之处，恳请领导和同志们批评指正。",
    "总之，一年来本人在各方面都取得了一定进步，但与组织的要求相比还有差距，今后将继续努力，争取更大的进步。",
    "以上总结如有不当之处，敬请各位领导和同事批评指正。",
};

/* ------------------------------------------------------------ policies ---- */

enum {
    SAMPLE_POL_NATIONAL, SAMPLE_POL_JIAOZUO, SAMPLE_POL_ZHANGZHOU,
    SAMPLE_POL_QUANNAN, SAMPLE_POL_LVZHI, SAMPLE_POL_BAOSHAN, SAMPLE_POL_OTHER
};

static int sample_policy_id(const char *name)
{
    static const char *const names[] = { "national", "jiaozuo-2007", "zhangzhou",
                                         "quannan-2011", "lvzhi", "baoshan-2022" };
    for (int i = 0; i < SAMPLE_COUNT(names); i++)
        if (!strcmp(name, names[i])) return i;
    return SAMPLE_POL_OTHER;
}

/* Highest approved ratio (permille) a preset accepts without RATIO_ABOVE_MAX. */
static int sample_policy_max_pm(int pol)
{
    switch (pol) {
    case SAMPLE_POL_JIAOZUO: return 100;
    case SAMPLE_POL_NATIONAL: case SAMPLE_POL_QUANNAN: return 250;
    default: return 200;
    }
}

/* ------------------------------------------------------------- status ---- */

/* Special cases pinned to evenly spaced persons (see the file comment). */
enum {
    SAMPLE_CASE_SECONDED,           /* monthsInUnit < 6 → 7 */
    SAMPLE_CASE_LEAVE_SICK,         /* leaveMonths > 6 → 6A */
    SAMPLE_CASE_LEAVE_PERSONAL,
    SAMPLE_CASE_LEAVE_STUDY,
    SAMPLE_CASE_LEAVE_MATERNITY,    /* graded all the same */
    SAMPLE_CASE_INVESTIGATION,      /* 5B */
    SAMPLE_CASE_PROBATION,          /* 5A */
    SAMPLE_CASE_SANCTION_NOW,       /* +0..4: warning..removal imposed this year */
    SAMPLE_CASE_SANCTION_PAST = SAMPLE_CASE_SANCTION_NOW + 5,  /* +0..4, earlier year */
    SAMPLE_CASE_REFUSED = SAMPLE_CASE_SANCTION_PAST + 5,       /* 4 */
    SAMPLE_CASE_NO_RECORDS,         /* routineRecords = 0 */
    SAMPLE_N_STATUS,
    SAMPLE_CASE_OTHER_CATEGORY = SAMPLE_N_STATUS,
    SAMPLE_CASE_STREAK2,
    SAMPLE_CASE_STREAK3,
    SAMPLE_CASE_STREAK5,
    SAMPLE_N_CASES
};

static const char *const sample_sanctions[] = { "warning", "demerit", "major-demerit", "demotion", "removal" };
static const char *const sample_leave_types[] = { "sick", "personal", "study", "maternity" };

/* The case pinned to global person index g of `total`, or -1. Slot k sits at
 * floor((2k+1)·total / (2·N)): spaced at least one apart once total ≥ N. */
static int sample_pinned_case(long g, long total)
{
    if (total < SAMPLE_N_CASES) return g < total ? (int)g : -1;
    long k0 = (long)(((uint64_t)g * SAMPLE_N_CASES) / (uint64_t)total);
    for (long k = k0 - 1; k <= k0 + 1; k++) {
        if (k < 0 || k >= SAMPLE_N_CASES) continue;
        long pos = (long)(((uint64_t)(2 * k + 1) * (uint64_t)total) / (2 * SAMPLE_N_CASES));
        if (pos == g) return (int)k;
    }
    return -1;
}

/* -------------------------------------------------------------- units ---- */

/* Heavy-tailed unit weight: most units small, some medium, a few large. Kept
 * below 2^11 so prefix sums × persons stay inside 64 bits (see sample.h). */
static uint64_t sample_unit_weight(uint64_t seed, long u)
{
    sample_rng r = sample_stream(seed, 1, (uint64_t)u);
    uint32_t x = sample_below(&r, 100);
    if (x < 4) return 300 + sample_below(&r, 900);
    if (x < 22) return 40 + sample_below(&r, 100);
    return 6 + sample_below(&r, 20);
}

typedef struct {
    long index;
    long size;
    int kind;
    const sample_unit_tpl *tpl;
    bool county;                 /* county-level unit: lower ranks */
    bool collective_merit, major_accident;
    int routine;                 /* 0 good, 1 poor, 2 none */
    int perf;                    /* -1 none, 0 excellent, 1 qualified, 2 unqualified */
    int approved_pm;             /* 0: none */
    int ratio_pm[3][2];          /* conservative places ratio per [group][leader] */
    long part[3][2], exc[3][2];  /* participants / explicit excellent written so far */
    long unit_part, unit_exc, unit_adv;
    long nleaders;
} sample_unit;

typedef struct {
    const sample_opts *o;
    int year;
    int pol;
    const sample_city *city;
    sbuf buf;               /* one person's (or unit head's) XML */
    sbuf text;              /* expanded summary sentences, NUL-separated */
    char tmp[1024];
} sample_ctx;

static void sample_put_attr(sbuf *b, const char *name, const char *value)
{
    sbuf_printf(b, " %s=\"", name);
    sbuf_xml_escape(b, value);
    sbuf_putc(b, '"');
}

static int sample_group_of(int cat)
{
    return cat == SAMPLE_CAT_INSTITUTION ? 1 : cat == SAMPLE_CAT_OTHER ? 2 : 0;
}

/* The smallest ratio the unit's buckets could end up with under the preset:
 * explicit excellent proposals are capped by it so that checks stay clean even
 * where the unit's grade is only computed later (zhangzhou assessment). */
static void sample_unit_ratios(sample_ctx *c, sample_unit *u)
{
    for (int g = 0; g < 3; g++)
        for (int l = 0; l < 2; l++) {
            int pm;
            switch (c->pol) {
            case SAMPLE_POL_JIAOZUO:
                pm = g == 0 ? 100 : 80;
                if (u->routine != 0) pm -= 20;
                if (u->major_accident) pm -= 20;
                break;
            case SAMPLE_POL_ZHANGZHOU:
                pm = u->perf == 0 ? 200 : u->perf == 1 ? 150 : 50;
                break;
            case SAMPLE_POL_QUANNAN:
                pm = g == 2 ? 100 : l ? 250 : 200;
                break;
            case SAMPLE_POL_LVZHI:
                pm = 200;
                break;
            case SAMPLE_POL_BAOSHAN:
                pm = g == 2 ? 100 : 200;
                break;
            case SAMPLE_POL_NATIONAL:
                pm = g == 2 ? 100 : 200;
                if (g != 2 && (u->perf == 0 || u->collective_merit)) pm = 250;
                if (g != 2 && u->perf == 2) pm = 150;
                break;
            default:
                pm = 50;  /* unknown preset: stay well inside any sane ratio */
                break;
            }
            if (u->approved_pm) pm = u->approved_pm;
            if (pm < 0) pm = 0;
            u->ratio_pm[g][l] = pm;
        }
}

static void sample_fmt_decimal1(char *out, size_t n, int tenths)
{
    snprintf(out, n, "%d.%d", tenths / 10, tenths % 10);
}

static void sample_unit_begin(sample_ctx *c, sample_unit *u, long index, long size)
{
    sbuf *b = &c->buf;
    sample_rng r = sample_stream(c->o->seed, 3, (uint64_t)index);
    memset(u, 0, sizeof *u);
    u->index = index;
    u->size = size;

    /* The first three units are one of each kind so tiny samples cover every
     * category; the rest follow a city's usual mix. */
    if (index < 3) {
        u->kind = (int)index;
    } else {
        static const int w[] = { 40, 15, 45 };
        u->kind = sample_weighted(&r, w, 3);
    }
    int ntpl = 0;
    for (int i = 0; i < SAMPLE_COUNT(sample_unit_tpls); i++) ntpl += sample_unit_tpls[i].kind == u->kind;
    assert(ntpl > 0);   /* the name table has a template for every unit kind */
    int pick = (int)sample_below(&r, (uint32_t)ntpl);
    for (int i = 0; i < SAMPLE_COUNT(sample_unit_tpls); i++)
        if (sample_unit_tpls[i].kind == u->kind && pick-- == 0) { u->tpl = &sample_unit_tpls[i]; break; }
    assert(u->tpl != NULL);

    char prefix[64];
    u->county = index >= 3 && sample_chance(&r, 350);
    if (u->county) snprintf(prefix, sizeof prefix, "%s", c->city->sub[sample_below(&r, 4)]);
    else snprintf(prefix, sizeof prefix, "%s市", c->city->city);
    char name[160];
    snprintf(name, sizeof name, u->tpl->pattern, prefix);

    u->collective_merit = sample_chance(&r, 80);
    u->major_accident = sample_chance(&r, 20);
    {
        static const int w[] = { 900, 70, 30 };
        u->routine = sample_weighted(&r, w, 3);
    }
    bool want_perf = c->pol == SAMPLE_POL_ZHANGZHOU ? sample_chance(&r, 700) : sample_chance(&r, 150);
    u->perf = -1;
    if (want_perf) {
        static const int w[] = { 25, 65, 10 };
        u->perf = sample_weighted(&r, w, 3);
    }
    if (sample_chance(&r, 60)) {
        static const int choices[] = { 100, 150, 200 };
        int pm = choices[sample_below(&r, 3)];
        int max = sample_policy_max_pm(c->pol);
        u->approved_pm = pm > max ? max : pm;
    }
    sample_unit_ratios(c, u);

    u->nleaders = size <= 1 ? 0 : size < 8 ? 1 : size < 20 ? 2 : size < 60 ? 3 : size < 200 ? 4 : 5;
    if (u->nleaders > size - 1) u->nleaders = size - 1;
    if (u->nleaders < 0) u->nleaders = 0;

    sbuf_printf(b, "  <unit id=\"U%05ld\"", index + 1);
    sample_put_attr(b, "name", name);
    sbuf_printf(b, " kind=\"%s\" series=\"%d\">\n", sample_kind_names[u->kind], u->tpl->series);

    long adm = 0, inst = 0;
    if (u->kind == SAMPLE_KIND_INSTITUTION) inst = size + sample_range(&r, 0, 6);
    else { adm = size + sample_range(&r, 0, 5); inst = sample_chance(&r, 400) ? sample_range(&r, 1, 12) : 0; }
    sbuf_printf(b, "    <establishment admin=\"%ld\" institution=\"%ld\"/>\n", adm, inst);

    static const char *const routine_names[] = { "good", "poor", "none" };
    sbuf_printf(b, "    <factors targetAdvanced=\"%s\" ministerialCommendation=\"%s\" civilizedUnit=\"%s\""
                   " collectiveMerit=\"%s\" routineAssessment=\"%s\" majorAccident=\"%s\"/>\n",
                sample_chance(&r, 750) ? "true" : "false", sample_chance(&r, 40) ? "true" : "false",
                sample_chance(&r, 800) ? "true" : "false", u->collective_merit ? "true" : "false",
                routine_names[u->routine], u->major_accident ? "true" : "false");

    if (u->approved_pm)
        sbuf_printf(b, "    <quota approvedRatio=\"0.%02d\"/>\n", u->approved_pm / 10);

    {
        char cname[32];
        snprintf(cname, sizeof cname, "%s%s%s", SAMPLE_PICK(&r, sample_surnames),
                 sample_chance(&r, 500) ? SAMPLE_PICK(&r, sample_given_female) : SAMPLE_PICK(&r, sample_given_male),
                 sample_chance(&r, 600) ? SAMPLE_PICK(&r, sample_given_male) : "");
        char phone[48];
        snprintf(phone, sizeof phone, "%s-%d", c->city->area, sample_range(&r, 2000000, 8999999));
        sbuf_puts(b, "    <contact");
        sample_put_attr(b, "name", cname);
        sample_put_attr(b, "phone", phone);
        sbuf_puts(b, "/>\n");
    }

    /* zhangzhou units carry their 绩效考评 inputs (SPEC 5). The items are drawn
     * first so that an explicit performance score is their exact total and an
     * unqualified unit really scores below 700; without an explicit grade the
     * computed one depends on the rank in the run, hence the 5% ratio above. */
    bool zz = c->pol == SAMPLE_POL_ZHANGZHOU;
    bool low = u->perf == 2;
    int basic = 0, late = 0, absent = 0, contribution = 0, innovation = 0, adv_city = 0, pub = 0, overall = 0;
    if (zz) {
        /* tenths of a point; low units stay below 700 whatever else happens */
        basic = low ? sample_range(&r, 2800, 3300) : sample_range(&r, 3900, 4500);
        if (sample_chance(&r, 500)) late = sample_range(&r, 1, 4);
        if (sample_chance(&r, 200)) absent = sample_range(&r, 1, 2);
        if (!low && sample_chance(&r, 300)) contribution = 1;
        if (!low && sample_chance(&r, 400)) innovation = sample_range(&r, 1, 4);
        if (!low && sample_chance(&r, 300)) adv_city = 1;
        pub = low ? sample_range(&r, 1900, 2300) : sample_range(&r, 2400, 2950);
        overall = low ? sample_range(&r, 30, 38) : sample_range(&r, 35, 50);
    }
    if (u->perf >= 0) {
        static const char *const perf_names[] = { "excellent", "qualified", "unqualified" };
        int score;
        if (zz) {
            int innov = innovation * 2 > 10 ? 10 : innovation * 2;
            score = basic + (1000 - 10 * (late + 2 * absent)) + 10 * (30 * contribution + innov + 4 * adv_city)
                  + pub + 10 * overall;
        } else {
            score = u->perf == 0 ? sample_range(&r, 9000, 9800) : u->perf == 1 ? sample_range(&r, 7200, 8990)
                                                                               : sample_range(&r, 6000, 6980);
        }
        char sc[32];
        sample_fmt_decimal1(sc, sizeof sc, score);
        sbuf_printf(b, "    <performance grade=\"%s\" score=\"%s\"/>\n", perf_names[u->perf], sc);
    }
    if (zz) {
        char v[32];
        sbuf_puts(b, "    <assessment scheme=\"zhangzhou\">\n");
        sample_fmt_decimal1(v, sizeof v, basic);
        sbuf_printf(b, "      <item ref=\"basic\" points=\"%s\"/>\n", v);
        if (late) sbuf_printf(b, "      <item ref=\"late-meeting\" count=\"%d\"/>\n", late);
        if (absent) sbuf_printf(b, "      <item ref=\"absent-meeting\" count=\"%d\"/>\n", absent);
        if (contribution) sbuf_puts(b, "      <item ref=\"contribution\" count=\"1\"/>\n");
        if (innovation) sbuf_printf(b, "      <item ref=\"innovation\" count=\"%d\"/>\n", innovation);
        if (adv_city) sbuf_puts(b, "      <item ref=\"advanced-city\" count=\"1\"/>\n");
        sample_fmt_decimal1(v, sizeof v, pub);
        sbuf_printf(b, "      <item ref=\"public\" points=\"%s\"/>\n", v);
        sbuf_printf(b, "      <item ref=\"overall\" points=\"%d\"/>\n", overall);
        sbuf_puts(b, "    </assessment>\n");
    }
}

/* ------------------------------------------------------------ summary ---- */

static size_t sample_cp_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Expand '@' and '#k' of one sentence into out; returns its code points. */
static size_t sample_expand(sample_rng *r, int year, const char *s, char *out, size_t cap)
{
    size_t o = 0;
    if (*s == '*') s++;
    for (; *s && o + 16 < cap; s++) {
        if (*s == '@') {
            o += (size_t)snprintf(out + o, cap - o, "%d", year);
        } else if (*s == '#' && s[1] >= '1' && s[1] <= '4') {
            static const int lo[] = { 2, 10, 100, 1000 }, hi[] = { 9, 99, 999, 9999 };
            int k = s[1] - '1';
            o += (size_t)snprintf(out + o, cap - o, "%d", sample_range(r, lo[k], hi[k]));
            s++;
        } else {
            out[o++] = *s;
        }
    }
    out[o] = '\0';
    return sample_cp_len(out);
}

#define SAMPLE_SUMMARY_MIN 300
#define SAMPLE_SUMMARY_MAX 1500
#define SAMPLE_MAX_PICKS 24

typedef struct {
    const char *const *pool;
    int n;
    int picks[SAMPLE_MAX_PICKS];      /* pool indices, to avoid repeats */
    size_t text[SAMPLE_MAX_PICKS];    /* offsets of the expanded sentences in ctx->text */
    int npicks;
} sample_section;

/* A sentence of the pool not used yet in this summary (party-only ones skipped
 * for non-members), or -1. */
static int sample_fresh(sample_rng *r, const sample_section *s, bool party)
{
    int start = (int)sample_below(r, (uint32_t)s->n);
    for (int t = 0; t < s->n; t++) {
        int i = (start + t) % s->n;
        if (!party && s->pool[i][0] == '*') continue;
        bool used = false;
        for (int k = 0; k < s->npicks; k++) used |= s->picks[k] == i;
        if (!used) return i;
    }
    return -1;
}

/* Expand sentence i of s into text (NUL-separated); returns its code points. */
static size_t sample_take(sample_ctx *c, sample_rng *r, sample_section *s, int i)
{
    size_t n = sample_expand(r, c->year, s->pool[i], c->tmp, sizeof c->tmp);
    s->picks[s->npicks] = i;
    s->text[s->npicks] = c->text.len;
    s->npicks++;
    sbuf_add(&c->text, c->tmp, strlen(c->tmp) + 1);
    return n;
}

/* Drop the last sentence taken from s (it did not fit). */
static void sample_untake(sample_ctx *c, sample_section *s)
{
    s->npicks--;
    c->text.len = s->text[s->npicks];
}

/* 个人总结: an opening, four headed parts and a closing, sized to a target
 * length drawn from 300–1,500 code points (most short, some long, as offices
 * write them). Sentences are expanded and measured as they are chosen (numbers
 * included), then written in part order, so the bounds are exact. */
static void sample_summary(sample_ctx *c, sample_rng *r, int domain, int role, bool party, int cat)
{
    sbuf *b = &c->buf;
    const char *const *work;
    int nwork;
    switch (cat == SAMPLE_CAT_OTHER ? SAMPLE_DOM_SERVICE : domain) {
    case SAMPLE_DOM_ORGAN: work = sample_work_organ; nwork = SAMPLE_COUNT(sample_work_organ); break;
    case SAMPLE_DOM_MANAGED: work = sample_work_managed; nwork = SAMPLE_COUNT(sample_work_managed); break;
    case SAMPLE_DOM_SCHOOL: work = sample_work_school; nwork = SAMPLE_COUNT(sample_work_school); break;
    case SAMPLE_DOM_HOSPITAL: work = sample_work_hospital; nwork = SAMPLE_COUNT(sample_work_hospital); break;
    default: work = sample_work_service; nwork = SAMPLE_COUNT(sample_work_service); break;
    }
    /* Sections: 0 politics, 1 role-specific work, 2 domain work, 3 generic work,
     * 4 integrity, 5 shortcomings, 6 plans. */
    sample_section sec[7];
    memset(sec, 0, sizeof sec);
    sec[0].pool = sample_politics; sec[0].n = SAMPLE_COUNT(sample_politics);
    sec[1].pool = role == SAMPLE_ROLE_MAIN ? sample_work_main : sample_work_leader;
    sec[1].n = role == SAMPLE_ROLE_MAIN ? SAMPLE_COUNT(sample_work_main) : SAMPLE_COUNT(sample_work_leader);
    sec[2].pool = work; sec[2].n = nwork;
    sec[3].pool = sample_work_generic; sec[3].n = SAMPLE_COUNT(sample_work_generic);
    sec[4].pool = sample_integrity; sec[4].n = SAMPLE_COUNT(sample_integrity);
    sec[5].pool = sample_shortcomings; sec[5].n = SAMPLE_COUNT(sample_shortcomings);
    sec[6].pool = sample_plans; sec[6].n = SAMPLE_COUNT(sample_plans);

    sbuf_clear(&c->text);
    sample_section fixed;   /* opening, heads, closing, as pieces too */
    memset(&fixed, 0, sizeof fixed);
    const char *const *fixed_pools[6] = { sample_openings, sample_head_politics, sample_head_work,
                                          sample_head_integrity, sample_head_future, sample_closings };
    const int fixed_n[6] = { SAMPLE_COUNT(sample_openings), SAMPLE_COUNT(sample_head_politics),
                             SAMPLE_COUNT(sample_head_work), SAMPLE_COUNT(sample_head_integrity),
                             SAMPLE_COUNT(sample_head_future), SAMPLE_COUNT(sample_closings) };
    size_t len = 5;  /* the five paragraph breaks */
    for (int k = 0; k < 6; k++) {
        fixed.pool = fixed_pools[k];
        fixed.n = fixed_n[k];
        len += sample_take(c, r, &fixed, (int)sample_below(r, (uint32_t)fixed_n[k]));
    }

    size_t target;
    {
        uint32_t x = sample_below(r, 100);
        target = x < 55 ? (size_t)sample_range(r, 300, 600)
               : x < 88 ? (size_t)sample_range(r, 600, 1000) : (size_t)sample_range(r, 1000, 1500);
    }
    /* One sentence per part is mandatory; leaders always speak to their role. */
    static const int mandatory[] = { 1, 0, 2, 4, 5, 6 };
    for (int m = 0; m < SAMPLE_COUNT(mandatory); m++) {
        sample_section *s = &sec[mandatory[m]];
        if (mandatory[m] == 1 && role == SAMPLE_ROLE_STAFF) continue;
        int i = sample_fresh(r, s, party);
        if (i >= 0) len += sample_take(c, r, s, i);
    }
    static const int weights[] = { 20, 8, 30, 10, 15, 8, 9 };
    for (int guard = 0; guard < 200 && (len < target || len < SAMPLE_SUMMARY_MIN); guard++) {
        int si = sample_weighted(r, weights, 7);
        if (si == 1 && role == SAMPLE_ROLE_STAFF) si = 3;
        sample_section *s = &sec[si];
        if (s->npicks >= SAMPLE_MAX_PICKS) continue;
        int i = sample_fresh(r, s, party);
        if (i < 0) continue;
        size_t add = sample_take(c, r, s, i);
        if (len + add > SAMPLE_SUMMARY_MAX) {
            sample_untake(c, s);
            if (len >= SAMPLE_SUMMARY_MIN) break;
            continue;
        }
        len += add;
    }

    /* Write. Paragraphs are separated by newlines (escaped as &#10;). */
    const char *t = c->text.data;
    sbuf_puts(b, "      <summary>");
    sbuf_xml_escape(b, t + fixed.text[0]);
    static const int parts[4][3] = { { 0, -1, -1 }, { 1, 2, 3 }, { 4, -1, -1 }, { 5, 6, -1 } };
    for (int p = 0; p < 4; p++) {
        sbuf_puts(b, "&#10;");
        sbuf_xml_escape(b, t + fixed.text[1 + p]);
        for (int k = 0; k < 3; k++) {
            int si = parts[p][k];
            if (si < 0) continue;
            /* In pool order: the pools are written so that order reads well
             * (“回顾一年来……” before the shortcomings, plans last). */
            for (int i = 0; i < sec[si].n; i++)
                for (int j = 0; j < sec[si].npicks; j++)
                    if (sec[si].picks[j] == i) sbuf_xml_escape(b, t + sec[si].text[j]);
        }
    }
    sbuf_puts(b, "&#10;");
    sbuf_xml_escape(b, t + fixed.text[5]);
    sbuf_puts(b, "</summary>\n");
}

/* ------------------------------------------------------------- person ---- */

static const char *sample_grade_word(int cat, int grade)
{
    static const char *const admin[] = { "优秀", "称职", "基本称职", "不称职" };
    static const char *const inst[] = { "优秀", "合格", "基本合格", "不合格" };
    return (cat == SAMPLE_CAT_CIVIL || cat == SAMPLE_CAT_MANAGED ? admin : inst)[grade];
}

/* Post (岗位/职务) and rank (职级/岗位等级) matching category, role and age. */
static void sample_post_rank(sample_rng *r, const sample_unit *u, int cat, int role, int age,
                             char *post, size_t np, char *rank, size_t nr)
{
    rank[0] = '\0';
    if (cat == SAMPLE_CAT_OTHER) {
        static const char *const posts[] = { "编外聘用人员", "劳务派遣人员", "公益性岗位人员", "合同制工作人员" };
        snprintf(post, np, "%s", SAMPLE_PICK(r, posts));
        return;
    }
    if (cat == SAMPLE_CAT_INSTITUTION) {
        if (role == SAMPLE_ROLE_MAIN) {
            snprintf(post, np, "%s", u->tpl->head);
            snprintf(rank, nr, "%s", u->county ? "管理六级职员" : "管理五级职员");
        } else if (role == SAMPLE_ROLE_LEADER) {
            snprintf(post, np, "%s", u->tpl->deputy);
            snprintf(rank, nr, "%s", u->county ? "管理七级职员" : "管理六级职员");
        } else {
            static const char *const pro[] = { "专业技术十二级", "专业技术十一级", "专业技术十级",
                                               "专业技术九级", "专业技术八级", "专业技术七级",
                                               "专业技术六级", "专业技术五级" };
            static const char *const mgmt[] = { "管理十级职员", "管理九级职员", "管理八级职员", "管理七级职员" };
            static const char *const work[] = { "技术工五级", "技术工四级", "技术工三级", "技术工二级" };
            int seniority = (age - 22) / 5;
            if (seniority < 0) seniority = 0;
            uint32_t x = sample_below(r, 100);
            if (x < 75) {
                int k = seniority + sample_range(r, -1, 1);
                if (k < 0) k = 0;
                if (k > 7) k = 7;
                snprintf(post, np, "专业技术岗位");
                snprintf(rank, nr, "%s", pro[k]);
            } else if (x < 92) {
                int k = seniority / 2;
                if (k > 3) k = 3;
                snprintf(post, np, "管理岗位");
                snprintf(rank, nr, "%s", mgmt[k]);
            } else {
                int k = seniority / 2;
                if (k > 3) k = 3;
                snprintf(post, np, "工勤技能岗位");
                snprintf(rank, nr, "%s", work[k]);
            }
        }
        return;
    }
    /* civil-servant and managed: 领导职务 and 职级 (职务职级并行). */
    if (role == SAMPLE_ROLE_MAIN) {
        snprintf(post, np, "%s", u->tpl->head);
        snprintf(rank, nr, "%s", u->county ? "正科级" : "正处级");
    } else if (role == SAMPLE_ROLE_LEADER) {
        /* County bureaus have 股, not 科: their only leading posts are the
         * deputies; city bureaus also count their 科长 as 领导职务. */
        if (u->county || sample_chance(r, 650)) {
            snprintf(post, np, "%s", u->tpl->deputy);
            snprintf(rank, nr, "%s", u->county ? "副科级" : "副处级");
        } else {
            const char *sec = SAMPLE_PICK(r, sample_org_sections);
            bool office = !strcmp(sec, "办公室");
            bool deputy = sample_chance(r, 400);
            snprintf(post, np, "%s%s", sec, office ? (deputy ? "副主任" : "主任") : (deputy ? "副科长" : "科长"));
            snprintf(rank, nr, "%s", deputy ? "副科级" : "正科级");
        }
    } else {
        static const char *const ranks[] = { "二级科员", "一级科员", "四级主任科员", "三级主任科员",
                                             "二级主任科员", "一级主任科员", "四级调研员" };
        int k = (age - 23) / 5 + sample_range(r, -1, 0);
        if (k < 0) k = 0;
        if (k > 6) k = 6;
        if (u->county && k > 5) k = 5;
        const char *sec = SAMPLE_PICK(r, sample_org_sections);
        size_t n = strlen(sec);
        static const char ke[] = "科";
        if (u->county && n >= sizeof ke - 1 && !strcmp(sec + n - (sizeof ke - 1), ke))
            snprintf(post, np, "%.*s股科员", (int)(n - (sizeof ke - 1)), sec);
        else
            snprintf(post, np, "%s科员", sec);
        snprintf(rank, nr, "%s", ranks[k]);
    }
}

static void sample_person(sample_ctx *c, sample_unit *u, long g, long i)
{
    sbuf *b = &c->buf;
    const int year = c->year;
    sample_rng r = sample_stream(c->o->seed, 2, (uint64_t)g);

    int role = i == 0 ? SAMPLE_ROLE_MAIN : i <= u->nleaders ? SAMPLE_ROLE_LEADER : SAMPLE_ROLE_STAFF;
    int cat = u->kind == SAMPLE_KIND_ORGAN ? SAMPLE_CAT_CIVIL
            : u->kind == SAMPLE_KIND_MANAGED ? SAMPLE_CAT_MANAGED : SAMPLE_CAT_INSTITUTION;

    int pinned = sample_pinned_case(g, c->o->persons);
    int status = -1;
    if (pinned >= 0 && pinned < SAMPLE_N_STATUS) status = pinned;
    else if (sample_chance(&r, 25)) status = (int)sample_below(&r, SAMPLE_N_STATUS);
    int streak = pinned == SAMPLE_CASE_STREAK2 ? 2 : pinned == SAMPLE_CASE_STREAK3 ? 3
               : pinned == SAMPLE_CASE_STREAK5 ? 5 : 0;
    if (!streak && sample_chance(&r, 40)) {
        static const int lens[] = { 2, 3, 4, 5, 6 };
        streak = SAMPLE_PICK(&r, lens);
    }
    if (pinned == SAMPLE_CASE_OTHER_CATEGORY || (role == SAMPLE_ROLE_STAFF && sample_chance(&r, 45))) {
        cat = SAMPLE_CAT_OTHER;
        role = SAMPLE_ROLE_STAFF;   /* 编外人员 hold no leading post */
    }
    if (status == SAMPLE_CASE_PROBATION) role = SAMPLE_ROLE_STAFF;  /* new recruits */

    bool female = status == SAMPLE_CASE_LEAVE_MATERNITY ? true : sample_chance(&r, 460);

    /* Age by role; probation means a recent graduate, maternity a young mother. */
    int age;
    if (status == SAMPLE_CASE_PROBATION) age = sample_range(&r, 22, 28);
    else if (status == SAMPLE_CASE_LEAVE_MATERNITY)
        age = role == SAMPLE_ROLE_STAFF ? sample_range(&r, 25, 38) : sample_range(&r, 35, 41);
    else if (role == SAMPLE_ROLE_MAIN) age = sample_range(&r, 40, 58);
    else if (role == SAMPLE_ROLE_LEADER) age = sample_range(&r, 32, 57);
    else age = sample_range(&r, 23, 59);
    int birth_month = sample_range(&r, 1, 12);

    /* quality: drives votes, scores and history (0 weak .. 99 strong). */
    int q = (int)sample_below(&r, 100);
    if (streak) q = 80 + (int)sample_below(&r, 20);
    if (status == SAMPLE_CASE_REFUSED) q = (int)sample_below(&r, 10);

    char name[40];
    {
        const char *g1 = female ? SAMPLE_PICK(&r, sample_given_female) : SAMPLE_PICK(&r, sample_given_male);
        const char *g2 = sample_chance(&r, 620) ? (female ? SAMPLE_PICK(&r, sample_given_female)
                                                          : SAMPLE_PICK(&r, sample_given_male)) : "";
        if (!strcmp(g1, g2)) g2 = "";   /* 玉玉-style doubles read as nicknames */
        snprintf(name, sizeof name, "%s%s%s", SAMPLE_PICK(&r, sample_surnames), g1, g2);
    }

    const char *ethnicity = sample_chance(&r, 920) ? "汉族" : SAMPLE_PICK(&r, sample_ethnic_minor);

    const char *political;
    {
        int party_pm = role != SAMPLE_ROLE_STAFF ? 960 : cat == SAMPLE_CAT_CIVIL || cat == SAMPLE_CAT_MANAGED ? 700
                     : cat == SAMPLE_CAT_INSTITUTION ? 420 : 200;
        uint32_t x = sample_below(&r, 1000);
        if ((int)x < party_pm) political = sample_chance(&r, 30) && role == SAMPLE_ROLE_STAFF ? "中共预备党员" : "中共党员";
        else if (age < 28 && sample_chance(&r, 500)) political = "共青团员";
        else if (sample_chance(&r, 100)) political = SAMPLE_PICK(&r, sample_parties);
        else if (sample_chance(&r, 40)) political = "无党派人士";
        else political = "群众";
    }
    bool party = !strncmp(political, "中共", strlen("中共"));

    const char *education;
    {
        static const char *const eds[] = { "博士研究生", "硕士研究生", "大学本科", "大学专科", "中专", "高中" };
        static const int w_admin[] = { 10, 180, 680, 110, 15, 5 };
        static const int w_hosp[] = { 30, 300, 560, 100, 10, 0 };
        static const int w_other[] = { 0, 20, 330, 420, 150, 80 };
        const int *w = cat == SAMPLE_CAT_OTHER ? w_other : u->tpl->domain == SAMPLE_DOM_HOSPITAL ? w_hosp : w_admin;
        education = eds[sample_weighted(&r, w, 6)];
        if (age < 25 && (education == eds[0])) education = eds[2];
    }

    char post[96], rank[64];
    sample_post_rank(&r, u, cat, role, age, post, sizeof post, rank, sizeof rank);

    /* postSince: within the career, recent for leaders and new recruits. */
    int since_y, since_m = sample_range(&r, 1, 12);
    if (status == SAMPLE_CASE_PROBATION) { since_y = year - 1; since_m = sample_range(&r, 7, 12); }
    else {
        int span = role == SAMPLE_ROLE_STAFF ? age - 22 : 8;
        if (span < 1) span = 1;
        if (span > 15) span = 15;
        since_y = year - (int)sample_below(&r, (uint32_t)span) - (role == SAMPLE_ROLE_STAFF ? 0 : 1);
        if (since_y == year && since_m > 6) since_m = sample_range(&r, 1, 6);
    }

    /* ---- status ---- */
    int months_in_unit = 12, leave_months = 0, leave_type = 0, records = 4;
    bool investigation = false, probation = false, refused = false;
    int sanction = -1, sanction_year = 0;
    if (u->routine == 1) records = sample_range(&r, 1, 3);
    else if (u->routine == 2) records = sample_chance(&r, 300) ? 0 : sample_range(&r, 1, 2);
    else if (sample_chance(&r, 30)) records = 3;
    if (sample_chance(&r, 40)) { leave_months = sample_range(&r, 1, 3); leave_type = sample_chance(&r, 700) ? 0 : 1; }
    if (status >= 0) {
        switch (status) {
        case SAMPLE_CASE_SECONDED: months_in_unit = sample_range(&r, 1, 5); break;
        case SAMPLE_CASE_LEAVE_SICK: case SAMPLE_CASE_LEAVE_PERSONAL:
        case SAMPLE_CASE_LEAVE_STUDY: case SAMPLE_CASE_LEAVE_MATERNITY:
            leave_type = status - SAMPLE_CASE_LEAVE_SICK;
            leave_months = sample_range(&r, 7, leave_type == 3 ? 8 : 12);
            break;
        case SAMPLE_CASE_INVESTIGATION: investigation = true; break;
        case SAMPLE_CASE_PROBATION: probation = true; break;
        case SAMPLE_CASE_REFUSED: refused = true; break;
        case SAMPLE_CASE_NO_RECORDS: records = 0; break;
        default:
            if (status >= SAMPLE_CASE_SANCTION_NOW && status < SAMPLE_CASE_SANCTION_NOW + 5) {
                sanction = status - SAMPLE_CASE_SANCTION_NOW;
                sanction_year = year;
            } else {
                sanction = status - SAMPLE_CASE_SANCTION_PAST;
                /* An earlier year; none exists before the schema's 1950, where
                 * the year is left empty (imposed at some unknown earlier time). */
                sanction_year = year - sample_range(&r, 1, 3);
                if (sanction_year < 1950) sanction_year = year > 1950 ? 1950 : 0;
            }
            break;
        }
    }
    /* ZB18 code, as the rules will see it (SPEC 3.1). */
    bool out7 = months_in_unit < 6;
    bool out6a = !out7 && leave_months > 6 && leave_type != 3;
    bool ungraded5 = !out7 && !out6a && (investigation || probation ||
                     (sanction >= 1 && sanction_year == year));
    bool participates = !out7 && !out6a;
    bool graded = participates && !ungraded5 && !refused;
    bool barred = sanction == 0 || (role != SAMPLE_ROLE_STAFF && u->major_accident);
    int grp = sample_group_of(cat), lead = role != SAMPLE_ROLE_STAFF;
    if (participates) { u->part[grp][lead]++; u->unit_part++; }

    /* ---- write ---- */
    sbuf_printf(b, "    <person id=\"P%07ld\"", g + 1);
    sample_put_attr(b, "name", name);
    sbuf_printf(b, " gender=\"%s\" birth=\"%04d-%02d\"", female ? "女" : "男", year - age, birth_month);
    sample_put_attr(b, "ethnicity", ethnicity);
    sample_put_attr(b, "political", political);
    sample_put_attr(b, "education", education);
    sbuf_printf(b, " category=\"%s\" role=\"%s\"", sample_cat_names[cat], sample_role_names[role]);
    sample_put_attr(b, "post", post);
    if (rank[0]) sample_put_attr(b, "rank", rank);
    sbuf_printf(b, " postSince=\"%04d-%02d\">\n", since_y, since_m);

    sbuf_printf(b, "      <status monthsInUnit=\"%d\"", months_in_unit);
    if (leave_months) sbuf_printf(b, " leaveMonths=\"%d\" leaveType=\"%s\"", leave_months, sample_leave_types[leave_type]);
    if (probation) sbuf_puts(b, " probation=\"true\"");
    if (investigation) sbuf_puts(b, " underInvestigation=\"true\"");
    if (sanction >= 0) {
        sbuf_printf(b, " sanction=\"%s\"", sample_sanctions[sanction]);
        if (sanction_year) sbuf_printf(b, " sanctionYear=\"%d\"", sanction_year);
        else sbuf_puts(b, " sanctionYear=\"\"");
    }
    if (refused) sbuf_puts(b, " refused=\"true\"");
    sbuf_printf(b, " routineRecords=\"%d\"/>\n", records);

    sample_summary(c, &r, u->tpl->domain, role, party, cat);

    /* 民主测评 votes: roughly the unit's size (at least a small panel). */
    if (participates) {
        long voters = u->size < 8 ? 8 + (long)sample_below(&r, 5) : u->size > 60 ? 40 + (long)sample_below(&r, 30)
                                                                                : u->size + (long)sample_below(&r, 5);
        long exc = voters * (q < 30 ? sample_range(&r, 0, 20) : q < 80 ? sample_range(&r, 15, 55)
                                                               : sample_range(&r, 50, 95)) / 100;
        long inc = refused ? voters * sample_range(&r, 20, 50) / 100 : q < 5 ? sample_range(&r, 0, 2) : 0;
        long bas = q < 20 ? voters * sample_range(&r, 5, 20) / 100 : sample_chance(&r, 200) ? 1 : 0;
        if (exc + inc + bas > voters) bas = inc = 0;
        long comp = voters - exc - inc - bas;
        if (comp < 0) comp = 0;
        sbuf_printf(b, "      <votes excellent=\"%ld\" competent=\"%ld\" basic=\"%ld\" incompetent=\"%ld\"/>\n",
                    exc, comp, bas, inc);
    }

    /* Policy-specific score components. */
    if (participates) {
        if (c->pol == SAMPLE_POL_LVZHI) {
            static const char *const labels[] = { "优秀", "良好", "一般", "较差" };
            int lh = q >= 80 ? (int)sample_below(&r, 2) : q >= 30 ? 1 + (int)sample_below(&r, 2) : 2 + (int)sample_below(&r, 2);
            int la = q >= 85 ? 0 : q >= 40 ? (int)sample_below(&r, 2) + (q < 60) : 2 + (int)sample_below(&r, 2);
            if (la > 3) la = 3;
            int internal = 55 + q * 44 / 99 + (int)sample_below(&r, 3) - 1;
            if (internal > 100) internal = 100;
            sbuf_printf(b, "      <scores><component name=\"halfYear\" value=\"%s\"/>"
                           "<component name=\"annual\" value=\"%s\"/><component name=\"internal\" value=\"%d\"/></scores>\n",
                        labels[lh], labels[la], internal);
        } else if (c->pol == SAMPLE_POL_QUANNAN) {
            char t[16], d[16], p[16];
            int poll = 700 + q * 3 + sample_range(&r, -20, 20);
            sample_fmt_decimal1(p, sizeof p, poll > 1000 ? 1000 : poll);   /* 0–100 */
            if (role != SAMPLE_ROLE_STAFF) {
                sample_fmt_decimal1(t, sizeof t, 750 + q * 2 + sample_range(&r, -30, 30));
                sample_fmt_decimal1(d, sizeof d, 720 + q * 2 + sample_range(&r, -40, 40));
                sbuf_printf(b, "      <scores><component name=\"team\" value=\"%s\"/><component name=\"duty\" value=\"%s\"/>"
                               "<component name=\"poll\" value=\"%s\"/></scores>\n", t, d, p);
            } else {
                sbuf_printf(b, "      <scores><component name=\"poll\" value=\"%s\"/></scores>\n", p);
            }
        } else if (sample_chance(&r, 120)) {
            char a[16];
            sample_fmt_decimal1(a, sizeof a, 700 + q * 29 / 10 + sample_range(&r, -10, 10));
            sbuf_printf(b, "      <scores><component name=\"annual\" value=\"%s\"/></scores>\n", a);
        }
    }

    /* Explicit proposals: rare, never for codes 4/5x/6A/7, excellent only where
     * the bucket already has the place and the unit stays within 10%. */
    int grade = -1;
    bool advanced = false;
    if (graded) {
        int want = streak ? 350 : q >= 85 ? 120 : 40;
        if (sample_chance(&r, want)) {
            bool room = (u->exc[grp][lead] + 1) * 1000 <= u->part[grp][lead] * u->ratio_pm[grp][lead]
                     && (u->unit_exc + 1) * 10 <= u->unit_part;
            if (q >= 80 && !barred && room) {
                grade = 0;
                u->exc[grp][lead]++;
                u->unit_exc++;
            } else if (q < 8 && sample_chance(&r, 400)) {
                grade = 2;
            } else {
                grade = 1;
            }
        }
        if (c->pol == SAMPLE_POL_BAOSHAN && q >= 70 && sample_chance(&r, 200) &&
            (u->unit_adv + 1) * 10 <= u->unit_part) {
            advanced = true;
            u->unit_adv++;
        }
    }
    static const char *const grade_names[] = { "excellent", "competent", "basic", "incompetent" };
    if (grade >= 0 || advanced) {
        sbuf_puts(b, "      <proposal");
        if (grade >= 0) sbuf_printf(b, " grade=\"%s\"", grade_names[grade]);
        if (advanced) sbuf_puts(b, " advanced=\"true\"");
        if (grade >= 0 && sample_chance(&r, 700)) {
            static const char *const good[] = {
                "该同志政治立场坚定，工作积极主动、成效突出，群众认可度高，建议确定为%s等次。",
                "该同志业务精湛，勇于担当，全年出色完成各项工作任务，同意确定为%s等次。",
            };
            static const char *const mid[] = {
                "该同志能够认真履行岗位职责，较好地完成了年度工作任务，建议确定为%s等次。",
                "该同志工作踏实，遵守纪律，团结同事，同意确定为%s等次。",
            };
            static const char *const low[] = {
                "该同志工作责任心有待加强，年度工作任务完成质量不高，建议确定为%s等次。",
            };
            const char *fmt = grade == 0 ? SAMPLE_PICK(&r, good) : grade == 1 ? SAMPLE_PICK(&r, mid) : SAMPLE_PICK(&r, low);
            snprintf(c->tmp, sizeof c->tmp, fmt, sample_grade_word(cat, grade));
            sample_put_attr(b, "comment", c->tmp);
        }
        sbuf_puts(b, "/>\n");
    } else if (probation && sample_chance(&r, 600)) {
        /* 5A: 只写评语 — a comment without a grade. */
        sbuf_puts(b, "      <proposal comment=\"该同志为新录用人员，尚在试用期内，工作态度端正，学习积极主动，只写评语，不定等次。\"/>\n");
    }

    /* History: the last few years; a streak is that many excellent years right
     * before this one (and a non-excellent year before it). */
    int nhist = streak ? streak + 1 : sample_chance(&r, 650) ? sample_range(&r, 1, 5) : 0;
    if (nhist > year - since_y + 3) nhist = streak ? streak + 1 : 0;
    if (nhist > 0) {
        sbuf_puts(b, "      <history>");
        for (int k = 1; k <= nhist; k++) {
            int y = year - k;
            if (y < 1950) break;
            int gr;
            if (streak) gr = k <= streak ? 0 : 1;
            else {
                uint32_t x = sample_below(&r, 100);
                gr = (int)x < (q >= 85 ? 30 : 6) ? 0 : x > 98 && q < 20 ? 2 : 1;
                if (k == 1 && gr == 0 && q >= 85) gr = 1;  /* leave streaks to the pinned ones */
            }
            sbuf_printf(b, "<year value=\"%d\" grade=\"%s\"/>", y, grade_names[gr]);
        }
        sbuf_puts(b, "</history>\n");
    }
    sbuf_puts(b, "    </person>\n");
}

/* -------------------------------------------------------------- write ---- */

static bool sample_policy_name_ok(const char *p)
{
    size_t n = strlen(p);
    if (n < 1 || n > 64) return false;
    for (; *p; p++) {
        char ch = *p;
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                  ch == '_' || ch == '.' || ch == '-';
        if (!ok) return false;
    }
    return true;
}

static int sample_flush(FILE *out, sbuf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len) return -1;
    sbuf_clear(b);
    return ferror(out) ? -1 : 0;
}

int sample_write(FILE *out, const sample_opts *o)
{
    if (!out || !o || o->units < 1 || o->units > SAMPLE_MAX_UNITS || o->persons < 0 ||
        o->persons > SAMPLE_MAX_PERSONS || (o->year != 0 && (o->year < 1950 || o->year > 2200)) ||
        (o->policy && !sample_policy_name_ok(o->policy))) {
        errno = EINVAL;
        return -1;
    }
    sample_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.year = o->year ? o->year : 2025;
    const char *policy = o->policy ? o->policy : "national";
    c.pol = sample_policy_id(policy);
    sample_rng hr = sample_stream(o->seed, 0, 0);
    c.city = &sample_cities[sample_below(&hr, (uint32_t)SAMPLE_COUNT(sample_cities))];

    /* Pre-pass: total weight, for the exact proportional split. */
    uint64_t total_w = 0;
    for (long u = 0; u < o->units; u++) total_w += sample_unit_weight(o->seed, u);
    long base = o->persons >= o->units ? 1 : 0;
    uint64_t extra = (uint64_t)(o->persons - base * o->units);

    sbuf *b = &c.buf;
    int rc = 0;
    sbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sbuf_puts(b, "<appraisal xmlns=\"urn:kaohe:appraisal:1\"");
    sbuf_printf(b, " year=\"%d\"", c.year);
    sample_put_attr(b, "policy", policy);
    sbuf_puts(b, ">\n");
    {
        char org[96], hr_name[96];
        snprintf(org, sizeof org, "中共%s市委组织部", c.city->city);
        snprintf(hr_name, sizeof hr_name, "%s市人力资源和社会保障局", c.city->city);
        sbuf_puts(b, "  <authority");
        sample_put_attr(b, "org", org);
        sample_put_attr(b, "hr", hr_name);
        sbuf_puts(b, "/>\n");
        sbuf_printf(b, "  <schedule noticeStart=\"%04d-12-29\" filingDeadline=\"%04d-01-30\" filedOn=\"%04d-01-%02d\"/>\n",
                    c.year, c.year + 1, c.year + 1, sample_range(&hr, 8, 28));
    }
    if (sample_flush(out, b)) rc = -1;

    uint64_t cum = 0;
    long g = 0;
    for (long u = 0; u < o->units && rc == 0; u++) {
        uint64_t w = sample_unit_weight(o->seed, u);
        long size = base + (long)(extra * (cum + w) / total_w - extra * cum / total_w);
        cum += w;
        sample_unit unit;
        sample_unit_begin(&c, &unit, u, size);
        for (long i = 0; i < size; i++, g++) {
            sample_person(&c, &unit, g, i);
            if (b->len >= 1 << 16 && sample_flush(out, b)) { rc = -1; break; }
        }
        sbuf_puts(b, "  </unit>\n");
        if (sample_flush(out, b)) rc = -1;
    }
    if (rc == 0) {
        sbuf_puts(b, "</appraisal>\n");
        if (sample_flush(out, b)) rc = -1;
    }
    sbuf_free(b);
    sbuf_free(&c.text);
    return rc;
}
