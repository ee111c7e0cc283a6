/* util — see util.h. */
#include "util.h"

#include <assert.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(size_t n)
{
    fprintf(stderr, "kaohe: 内存不足 (OUT_OF_MEMORY), %zu bytes\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) die_oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) die_oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) die_oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n);
    memcpy(d, s, n);
    return d;
}

void sbuf_reserve(sbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void sbuf_add(sbuf *b, const char *s, size_t n)
{
    assert(n == 0 || s != NULL);
    sbuf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sbuf_puts(sbuf *b, const char *s) { sbuf_add(b, s, strlen(s)); }

void sbuf_putc(sbuf *b, char c) { sbuf_add(b, &c, 1); }

void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap)
{
    if (!fmt) return;   /* (gcc -O1 otherwise warns of a null format on some inlined path) */
    va_list ap2;
    va_copy(ap2, ap);
    char probe[1];
    int n = vsnprintf(probe, sizeof probe, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    sbuf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sbuf_xml_escape(sbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\n': rep = "&#10;"; break;
        case '\r': rep = "&#13;"; break;
        case '\t': rep = "&#9;"; break;
        default: break;
        }
        if (rep) {
            sbuf_add(b, run, (size_t)(s - run));
            sbuf_puts(b, rep);
            run = s + 1;
        }
    }
    sbuf_add(b, run, (size_t)(s - run));
}

void sbuf_clear(sbuf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void sbuf_free(sbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

struct arena_block {
    arena_block *next;
    size_t used, cap;
    max_align_t align[];  /* payload */
};

void *arena_alloc(arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    arena_block *b = a->head;
    if (!b || b->used + n > b->cap) {
        size_t cap = n > 16384 ? n : 16384;
        b = xmalloc(sizeof *b + cap);
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    char *p = (char *)b->align + b->used;
    assert(((uintptr_t)p & 7) == 0 && b->used + n <= b->cap);
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = arena_alloc(a, n);
    memcpy(d, s, n);
    return d;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

bool fix6_parse(const char *s, fix6 *out)
{
    if (!s) return false;
    bool neg = false;
    if (*s == '-') { neg = true; s++; }
    else if (*s == '+') s++;
    int64_t whole = 0, frac = 0;
    int wdigits = 0, fdigits = 0;
    while (*s >= '0' && *s <= '9') {
        if (wdigits >= 12 && !(whole == 0)) return false;
        whole = whole * 10 + (*s - '0');
        if (whole >= 1000000000000LL) return false;
        wdigits++;
        s++;
    }
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9') {
            if (fdigits < 6) frac = frac * 10 + (*s - '0');
            else if (*s != '0') return false;   /* more precision than we keep */
            fdigits++;
            s++;
        }
    }
    if (*s != '\0' || (wdigits == 0 && fdigits == 0)) return false;
    for (int i = fdigits < 6 ? fdigits : 6; i < 6; i++) frac *= 10;
    int64_t v = whole * FIX_ONE + frac;
    *out = neg ? -v : v;
    return true;
}

fix6 fix6_share(long a, long b)
{
    if (b <= 0) return 0;
    return (fix6)(((__int128)a * FIX_ONE * 2 + b) / (2 * (__int128)b));
}

void fix6_format_plain(fix6 v, char *buf, size_t n)
{
    const char *sign = v < 0 ? "-" : "";
    uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    uint64_t whole = a / FIX_ONE, frac = a % FIX_ONE;
    if (frac == 0) {
        snprintf(buf, n, "%s%llu", sign, (unsigned long long)whole);
        return;
    }
    char f[8];
    snprintf(f, sizeof f, "%06llu", (unsigned long long)frac);
    for (int i = 5; i > 0 && f[i] == '0'; i--) f[i] = '\0';
    snprintf(buf, n, "%s%llu.%s", sign, (unsigned long long)whole, f);
}

void fix6_format_fixed(fix6 v, int digits, char *buf, size_t n)
{
    if (digits < 0) digits = 0;
    if (digits > 6) digits = 6;
    int64_t unit = 1;
    for (int i = digits; i < 6; i++) unit *= 10;
    bool neg = v < 0;
    uint64_t a = neg ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    a = (a + (uint64_t)unit / 2) / (uint64_t)unit;   /* half away from zero */
    uint64_t scale = 1;
    for (int i = 0; i < digits; i++) scale *= 10;
    uint64_t whole = a / scale, frac = a % scale;
    const char *sign = (neg && a != 0) ? "-" : "";
    if (digits == 0)
        snprintf(buf, n, "%s%llu", sign, (unsigned long long)whole);
    else
        snprintf(buf, n, "%s%llu.%0*llu", sign, (unsigned long long)whole, digits,
                 (unsigned long long)frac);
}

bool parse_int_range(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end != '\0' || v < min || v > max) return false;
    *out = v;
    return true;
}

bool utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > n) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

uint64_t hash_fnv1a64(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* Slot value: 1 + the string's offset in the pool; 0 marks a free slot. */
static size_t strset_find(const strset *set, const uint32_t *slots, size_t cap, const char *s)
{
    size_t i = (size_t)hash_fnv1a64(s) & (cap - 1);
    while (slots[i] && strcmp(set->pool + slots[i] - 1, s)) i = (i + 1) & (cap - 1);
    return i;
}

bool strset_contains(const strset *set, const char *s)
{
    if (!set->cap) return false;
    return set->slots[strset_find(set, set->slots, set->cap, s)] != 0;
}

static void strset_grow(strset *set)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    uint32_t *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i]) slots[strset_find(set, slots, cap, set->pool + set->slots[i] - 1)] = set->slots[i];
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
}

bool strset_add(strset *set, const char *s)
{
    /* load at most 3/4: linear probing stays short, slots cost 5-11 B an id */
    if ((set->count + 1) * 4 > set->cap * 3) strset_grow(set);
    size_t i = strset_find(set, set->slots, set->cap, s);
    if (set->slots[i]) return false;
    size_t len = strlen(s) + 1;
    if (set->pool_len + len >= UINT32_MAX) die_oom(set->pool_len + len);   /* offsets are 32-bit */
    if (set->pool_len + len > set->pool_cap) {
        size_t pcap = set->pool_cap ? set->pool_cap : 4096;
        while (pcap < set->pool_len + len) pcap *= 2;
        set->pool = xrealloc(set->pool, pcap);
        set->pool_cap = pcap;
    }
    memcpy(set->pool + set->pool_len, s, len);
    set->slots[i] = (uint32_t)set->pool_len + 1;
    set->pool_len += len;
    set->count++;
    return true;
}

void strset_clear(strset *set)
{
    if (set->slots) memset(set->slots, 0, set->cap * sizeof *set->slots);
    set->count = 0;
    set->pool_len = 0;
}

void strset_free(strset *set)
{
    free(set->slots);
    free(set->pool);
    memset(set, 0, sizeof *set);
}
