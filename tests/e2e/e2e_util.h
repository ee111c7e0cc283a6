/* e2e_util — what the end-to-end tests share: the kaohe binary under test,
 * running a shell command and capturing what it prints, and private
 * scratch directories. */
#ifndef KAOHE_E2E_UTIL_H
#define KAOHE_E2E_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* The binary under test: $KAOHE, else ../build/kaohe (tests run from tests/). */
const char *e2e_kaohe(void);

/* printf into a new string (malloc'd); aborts the test on failure. */
char *e2e_vformat(const char *fmt, va_list ap);
char *e2e_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run cmd with /bin/sh; what it writes to stdout (the caller redirects
 * stderr as it needs) in *out, malloc'd and NUL-terminated, when out is not
 * NULL. Returns the exit status, or -1 when the shell did not exit. */
int e2e_shell(char **out, const char *cmd);

/* A new private directory "/tmp/PREFIX-XXXXXX" into dir (n bytes). */
void e2e_mkdtemp(char *dir, size_t n, const char *prefix);
/* Remove dir and everything in it. */
void e2e_rmtree(const char *dir);

#endif
