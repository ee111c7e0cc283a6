/* value — see value.h.
 * Every typed reader first takes the collapsed span of its text: the types
 * read here (booleans, numbers, dates, enumerations without inner blanks)
 * have no blank inside a valid literal, so collapsing is trimming, and an
 * inner blank simply makes the literal invalid, as it does for the schema. */
#include "value.h"

#include <stdlib.h>
#include <string.h>

/* The four XML white-space characters, the only ones XSD collapses
 * (a form feed or a no-break space is content, not white space). */
static bool is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The text without its leading and trailing XML white space: [*start, len). */
static size_t span_of(const char *text, const char **start)
{
    while (is_xml_space(*text)) text++;
    size_t n = strlen(text);
    while (n && is_xml_space(text[n - 1])) n--;
    *start = text;
    return n;
}

static bool span_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && !memcmp(s, word, n);
}

char *value_collapse(char *s)
{
    if (!s) return s;
    char *w = s;
    bool blank = false;
    for (const char *c = s; *c; c++) {
        if (is_xml_space(*c)) {
            blank = w != s;     /* a run after some content: one space, later */
            continue;
        }
        if (blank) *w++ = ' ';
        blank = false;
        *w++ = *c;
    }
    *w = '\0';
    return s;
}

int value_enum(const char *text, const char *const *names, int count)
{
    if (!text) return -1;
    const char *s;
    size_t n = span_of(text, &s);
    for (int i = 0; i < count; i++)
        if (span_is(s, n, names[i])) return i;
    return -1;
}

bool value_boolean(const char *text, bool *out)
{
    if (!text) return false;
    const char *s;
    size_t n = span_of(text, &s);
    if (span_is(s, n, "true") || span_is(s, n, "1")) *out = true;
    else if (span_is(s, n, "false") || span_is(s, n, "0")) *out = false;
    else return false;
    return true;
}

bool value_integer(const char *text, long long min, long long max, long long *out)
{
    if (!text) return false;
    const char *s;
    size_t n = span_of(text, &s);
    bool neg = false;
    if (n && (*s == '+' || *s == '-')) {
        neg = *s == '-';
        s++;
        n--;
    }
    if (n == 0) return false;
    /* magnitudes of 10^18 and more are out of every range a caller can
     * give: v stops growing there, so it never overflows */
    const long long big = 1000000000000000000LL;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v < big / 10 ? v * 10 + (s[i] - '0') : big;
    }
    if (v >= big) return false;
    if (neg) v = -v;
    if (v < min || v > max) return false;
    *out = v;
    return true;
}

bool value_decimal(const char *text, fix6 *out)
{
    if (!text) return false;
    const char *s;
    size_t n = span_of(text, &s);
    /* fix6_parse reads the decimal lexical form itself; it needs the span
     * as a string of its own (on the stack unless leading zeros are many) */
    char small[64];
    char *copy = n < sizeof small ? small : xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    fix6 v;
    bool ok = n > 0 && fix6_parse(copy, &v);
    if (copy != small) free(copy);
    if (ok) *out = v;
    return ok;
}

bool value_date(const char *text, char out[11])
{
    out[0] = '\0';
    if (!text) return false;
    const char *s;
    size_t n = span_of(text, &s);
    if (n != 10) return false;
    for (size_t i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
    }
    memcpy(out, s, 10);
    out[10] = '\0';
    return true;
}
