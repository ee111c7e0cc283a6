/* charcheck — see charcheck.h. */
#include "charcheck.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

/* The first character of s no role can print, after `from` (bytes); 0 at
 * the end. *at gets the byte offset after it. */
static uint32_t next_missing(const font_set *fs, const char *s, size_t *at)
{
    const char *p = s + *at, *e = s + strlen(s);
    while (p < e) {
        uint32_t cp = text_utf8_next(&p, e);
        if (cp < 0x80 || font_prints(fs, cp) || text_is_ignorable(cp)) continue;
        *at = (size_t)(p - s);
        return cp;
    }
    *at = (size_t)(e - s);
    return 0;
}

static size_t check_field(const font_set *fs, const unit *u, const person *p, const char *field,
                          const char *s, diag_list *dl)
{
    if (!s) return 0;
    size_t at = 0, n = 0;
    uint32_t cp = next_missing(fs, s, &at);
    if (!cp) return 0;   /* the common case: everything prints */
    text_cpset seen = {0};
    for (; cp != 0; cp = next_missing(fs, s, &at)) {
        if (text_cpset_has(&seen, cp)) continue;
        text_cpset_add(&seen, cp);
        char ch[5] = {0};
        text_utf8_encode(cp, ch);
        char hex[16];
        snprintf(hex, sizeof hex, "%04X", (unsigned)cp);
        diag_add(dl, DIAG_WARNING, "FONT_MISSING_GLYPH", NULL, 0, p ? p->id : NULL, 6, u->id, p ? p->name : "-",
                 p ? p->id : "-", field, ch, hex);
        n++;
    }
    text_cpset_free(&seen);
    return n;
}

size_t charcheck_unit(const font_set *fs, const unit *u, diag_list *dl)
{
    size_t n = check_field(fs, u, NULL, "name", u->name, dl);
    for (long i = 0; i < u->n_persons; i++) {
        const person *p = &u->persons[i];
        const struct { const char *field, *text; } f[] = {
            {"name", p->name}, {"gender", p->gender}, {"birth", p->birth}, {"ethnicity", p->ethnicity},
            {"political", p->political}, {"education", p->education}, {"post", p->post},
            {"rank", p->rank}, {"postSince", p->post_since}, {"summary", p->summary},
            {"comment", p->comment},
        };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            n += check_field(fs, u, p, f[k].field, f[k].text, dl);
    }
    return n;
}
