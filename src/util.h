/* util — small shared building blocks: checked allocation, a growable byte
 * buffer (sbuf), a bump arena for per-unit data, and exact decimal parsing.
 * Nothing here keeps global state; every object belongs to its caller. */
#ifndef KAOHE_UTIL_H
#define KAOHE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>

/* Allocation that aborts with a message on out-of-memory: kaohe cannot do
 * anything useful without memory, and checking every small malloc would bury
 * the logic. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Growable NUL-terminated byte buffer. Zero-initialise, then append. */
typedef struct sbuf {
    char  *data;
    size_t len;
    size_t cap;
} sbuf;

void sbuf_reserve(sbuf *b, size_t extra);
void sbuf_add(sbuf *b, const char *s, size_t n);
void sbuf_puts(sbuf *b, const char *s);
void sbuf_putc(sbuf *b, char c);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap);
/* Append s with XML escaping of & < > " (attribute-safe). */
void sbuf_xml_escape(sbuf *b, const char *s);
void sbuf_clear(sbuf *b);
void sbuf_free(sbuf *b);
/* Read a whole file (templates, policies, schemes: small files we own) into
 * b. Returns 0, or an errno: the open/read failure, EFBIG when the file holds
 * `max` bytes or more (b is then left empty). */
int sbuf_read_file(sbuf *b, const char *path, size_t max);

/* Bump arena: many small allocations freed at once (one unit's records). */
typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
} arena;

void *arena_alloc(arena *a, size_t n);           /* zeroed, 8-byte aligned */
char *arena_strdup(arena *a, const char *s);     /* NULL stays NULL */
void  arena_free(arena *a);

/* Fixed-point decimal with 6 fractional digits: exact for every value an input
 * or a policy writes (ratios, scores), so quota arithmetic never sees binary
 * floating point (20% of 15 is 3, not 2.999...). */
#define FIX_ONE 1000000LL
typedef int64_t fix6;

/* Parse "[-]digits[.digits]" with at most 6 fraction digits and a magnitude
 * below 10^12. Returns false on anything else (exponents, NaN, junk). */
bool fix6_parse(const char *s, fix6 *out);
/* a / b rounded half up to 6 digits (0 when b <= 0): shares of counts. */
fix6 fix6_share(long a, long b);
/* Format plainly: trailing zeros dropped, "0.2", "0.25", "1", "-0.5". */
void fix6_format_plain(fix6 v, char *buf, size_t n);
/* Format rounded half away from zero to `digits` decimals (0..6): "88.00". */
void fix6_format_fixed(fix6 v, int digits, char *buf, size_t n);

/* Strict decimal integer parse, whole string, within [min,max]. */
bool parse_int_range(const char *s, long long min, long long max, long long *out);

/* Set of strings (ids seen in a run): exact, open addressing. */
/* A set of strings for the run-wide id checks (a province: a million ids):
 * the strings packed in one pool, the table holding 32-bit offsets into it,
 * about 20 B per 10-character id instead of 50 with a pointer and a malloc
 * each. Zero-initialise; at most 4 GB of strings. */
typedef struct strset {
    uint32_t *slots;
    size_t cap, count;
    char *pool;
    size_t pool_len, pool_cap;
} strset;

/* Add s; returns false when it was already present. */
bool strset_add(strset *set, const char *s);
bool strset_contains(const strset *set, const char *s);
/* Empty the set, keeping its memory for the next ids. */
void strset_clear(strset *set);
void strset_free(strset *set);

/* 64-bit FNV-1a over the bytes of s: a stable hash (sharding by unit id
 * must never change). Its offset basis is 1469598103934665603, a digit
 * short of FNV's published one, since the first version: kept, since
 * changing it would move units between the shards of runs already made
 * (values pinned in tests/unit/test_util.c). */
uint64_t hash_fnv1a64(const char *s);

/* True if s is valid UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);

#endif
