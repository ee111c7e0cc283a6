/* model — see model.h. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

const char *model_code_str(const person *p)
{
    switch (p->code) {
    case CODE_GRADED:
        switch (p->grade) {
        case GRADE_EXCELLENT: return "1";
        case GRADE_COMPETENT: return "2";
        case GRADE_BASIC: return "3";
        case GRADE_INCOMPETENT: return "4";
        default: return "2";
        }
    case CODE_4_REFUSED: return "4";
    case CODE_5A: return "5A";
    case CODE_5B: return "5B";
    case CODE_5C: return "5C";
    case CODE_6A: return "6A";
    case CODE_7: return "7";
    }
    return "?";
}

const char *model_grade_key(grade_t g)
{
    static const char *const keys[] = { "none", "excellent", "competent", "basic", "incompetent" };
    return keys[g];
}

const char *model_reward_key(reward_t r)
{
    static const char *const keys[] = { "none", "commendation", "third-class-merit" };
    return keys[r];
}

const char *model_group_key(group_t g)
{
    static const char *const keys[] = { "admin", "institution", "other" };
    return keys[g];
}

const char *model_perf_key(perf_grade_t g)
{
    static const char *const keys[] = { "", "excellent", "qualified", "unqualified" };
    return keys[g];
}

const char *model_grade_label(grade_t g, category_t c)
{
    static const char *const admin[] = { "", "优秀", "称职", "基本称职", "不称职" };
    static const char *const inst[] = { "", "优秀", "合格", "基本合格", "不合格" };
    return (c == CAT_CIVIL_SERVANT || c == CAT_MANAGED) ? admin[g] : inst[g];
}

group_t model_group_of(category_t c)
{
    switch (c) {
    case CAT_CIVIL_SERVANT:
    case CAT_MANAGED: return GROUP_ADMIN;
    case CAT_INSTITUTION: return GROUP_INSTITUTION;
    default: return GROUP_OTHER;
    }
}

bool model_is_leader(role_t r) { return r == ROLE_LEADER || r == ROLE_MAIN_LEADER; }

bool model_participates(const person *p) { return p->code != CODE_6A && p->code != CODE_7; }

void model_add_finding(unit *u, const char *code, severity_t sev, const char *person_id,
                       const char *message)
{
    finding *f = xcalloc(1, sizeof *f);
    f->code = code;
    f->severity = sev;
    f->person_id = person_id;
    f->message = xstrdup(message ? message : "");
    if (u->findings_tail) u->findings_tail->next = f;
    else u->findings = f;
    u->findings_tail = f;
    if (sev == SEV_ERROR) u->n_errors++;
    else u->n_warnings++;
}

void model_unit_free(unit *u)
{
    finding *f = u->findings;
    while (f) {
        finding *next = f->next;
        free(f->message);
        free(f);
        f = next;
    }
    u->findings = u->findings_tail = NULL;
    arena_free(&u->mem);
}
