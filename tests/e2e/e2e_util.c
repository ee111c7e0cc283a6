/* e2e_util — see e2e_util.h. */
#define _GNU_SOURCE
#include "e2e_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

const char *e2e_kaohe(void)
{
    const char *k = getenv("KAOHE");
    return k ? k : "../build/kaohe";
}

char *e2e_vformat(const char *fmt, va_list ap)
{
    char *s = NULL;
    cr_assert(vasprintf(&s, fmt, ap) >= 0, "vasprintf");
    return s;
}

char *e2e_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = e2e_vformat(fmt, ap);
    va_end(ap);
    return s;
}

int e2e_shell(char **out, const char *cmd)
{
    FILE *p = popen(cmd, "r");
    cr_assert(p, "popen");
    size_t cap = 8192, len = 0, n;
    char *buf = malloc(cap);
    cr_assert(buf);
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2048) {
            buf = realloc(buf, cap *= 2);
            cr_assert(buf);
        }
    }
    buf[len] = '\0';
    int st = pclose(p);
    if (out) *out = buf;
    else free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void e2e_mkdtemp(char *dir, size_t n, const char *prefix)
{
    snprintf(dir, n, "/tmp/%s-XXXXXX", prefix);
    cr_assert(mkdtemp(dir), "mkdtemp %s", dir);
}

void e2e_rmtree(const char *dir)
{
    char *cmd = e2e_format("rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    free(cmd);
}
