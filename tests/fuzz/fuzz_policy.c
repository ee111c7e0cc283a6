/* libFuzzer target: the policy loader (src/policy.h). Any text either
 * parses into a policy or gives a message naming origin:line; a policy that
 * parses is then asked for every bucket's ratio under every unit condition
 * and for component values, as the rules do. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[600];
    err[0] = '\0';
    policy *p = policy_parse((const char *)data, size, "fuzz.policy", err, sizeof err);
    if (!p) {
        if (!strstr(err, "fuzz.policy:")) abort();   /* every failure names origin:line */
        return 0;
    }
    unit u;
    memset(&u, 0, sizeof u);
    for (int perf = 0; perf < 4; perf++)
        for (int routine = 0; routine < 3; routine++)
            for (int flags = 0; flags < 4; flags++) {
                u.routine = (routine_t)routine;
                u.collective_merit = flags & 1;
                u.major_accident = flags & 2;
                for (int g = 0; g < GROUP_COUNT; g++)
                    for (int leader = 0; leader < 2; leader++)
                        (void)policy_bucket_ratio(p, &u, (perf_grade_t)perf, (group_t)g, leader);
            }
    static const char *const values[] = { "优秀", "良好", "一般", "较差", "92.5", "-1", "x", "" };
    fix6 v;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) (void)policy_component_value(p, values[i], &v);
    (void)policy_has_score(p);
    policy_free(p);
    return 0;
}
