/* idset — see idset.h.
 *
 * Why not one big hash set: at ~16 B an id, a province's million ids were
 * the only part of a run's memory that grew with the input (+15 MB at 1M
 * persons). Here memory holds at most `spill_at` ids plus 1.5 B for each id
 * on disk, and the disk is read only when a Bloom filter says "maybe":
 * for an id that is new, about once in 300 lookups per run. */
#define _GNU_SOURCE
#include "idset.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    IDSET_BLOCK = 4096,       /* ids of a run are read a block at a time */
    IDSET_BLOOM_BITS = 12,    /* per id: with 8 probes, ~0.3% false "maybe" */
    IDSET_BLOOM_K = 8,
};

/* One sorted run on disk: ids NUL-terminated, packed in blocks that never
 * split an id; in memory its Bloom filter and each block's first id. */
typedef struct idrun {
    uint64_t *bloom;
    uint64_t bloom_bits;
    off_t base;               /* the run's first byte in the file */
    size_t n_blocks;
    uint32_t *block_end;      /* end of each block, from base */
    uint32_t *first;          /* offset in `keys` of each block's first id */
    char *keys;
} idrun;

struct idset {
    strset mem;               /* the newest ids */
    size_t spill_at, count;
    char *tmpdir;
    int fd;                   /* spill file; -1 none yet, -2 cannot spill */
    off_t end;
    idrun *runs;
    size_t n_runs;
    char *block;              /* read buffer of block_cap bytes */
    size_t block_cap;
};

idset *idset_new(const char *tmpdir, size_t spill_at)
{
    idset *s = xcalloc(1, sizeof *s);
    if (!tmpdir || !*tmpdir) tmpdir = getenv("TMPDIR");
    s->tmpdir = xstrdup(tmpdir && *tmpdir ? tmpdir : "/tmp");
    s->spill_at = spill_at ? spill_at : IDSET_SPILL_DEFAULT;
    s->fd = -1;
    return s;
}

size_t idset_count(const idset *s) { return s->count; }
bool idset_spilled(const idset *s) { return s->n_runs > 0; }

/* FNV-1a spread by a 64-bit finalizer: ids like P000123 / P000124 differ in
 * few bits, and the Bloom probes need all 64 to vary. */
static uint64_t idset_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

typedef struct probe {
    uint64_t h1, h2;
} probe;

static probe idset_probe(const char *id)
{
    probe p;
    p.h1 = idset_mix(hash_fnv1a64(id));
    p.h2 = idset_mix(p.h1) | 1;
    return p;
}

/* Bit i of the filter for probe p (Kirsch–Mitzenmacher double hashing,
 * mapped onto [0, bits) by a multiply instead of a modulo). */
static uint64_t bloom_bit(probe p, int i, uint64_t bits)
{
    uint64_t g = p.h1 + (uint64_t)i * p.h2;
    return (uint64_t)(((unsigned __int128)g * bits) >> 64);
}

static bool bloom_maybe(const idrun *r, probe p)
{
    for (int i = 0; i < IDSET_BLOOM_K; i++) {
        uint64_t b = bloom_bit(p, i, r->bloom_bits);
        if (!(r->bloom[b >> 6] & (1ULL << (b & 63)))) return false;
    }
    return true;
}

static void bloom_set(idrun *r, probe p)
{
    for (int i = 0; i < IDSET_BLOOM_K; i++) {
        uint64_t b = bloom_bit(p, i, r->bloom_bits);
        r->bloom[b >> 6] |= 1ULL << (b & 63);
    }
}

/* A run's file must still read back; failing that, the duplicate check
 * cannot answer at all, and a wrong "new" would lose a DUPLICATE_ID. */
static void idset_die_io(int err)
{
    fprintf(stderr, "kaohe: 无法读取编号查重的临时文件 (ID_SPILL_IO): %s\n", strerror(err));
    abort();
}

/* The block of r that would hold id (the last whose first id <= id), read
 * into s->block; returns its length, 0 when id sorts before the run. */
static size_t run_read_block(idset *s, const idrun *r, const char *id)
{
    size_t lo = 0, hi = r->n_blocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->keys + r->first[mid], id) <= 0) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return 0;
    size_t b = lo - 1;
    size_t start = b ? r->block_end[b - 1] : 0, len = r->block_end[b] - start;
    if (len > s->block_cap) {
        s->block = xrealloc(s->block, len);
        s->block_cap = len;
    }
    for (size_t got = 0; got < len;) {
        ssize_t n = pread(s->fd, s->block + got, len - got, r->base + (off_t)(start + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) idset_die_io(n < 0 ? errno : EIO);
        got += (size_t)n;
    }
    return len;
}

static bool run_contains(idset *s, const idrun *r, const char *id, probe p)
{
    if (!bloom_maybe(r, p)) return false;
    size_t len = run_read_block(s, r, id);
    for (size_t off = 0; off < len; off += strlen(s->block + off) + 1)
        if (!strcmp(s->block + off, id)) return true;
    return false;
}

static int idset_open_tmp(const char *dir)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
#endif
    sbuf path = { 0 };
    sbuf_printf(&path, "%s/.kaohe-ids-XXXXXX", dir);
    int tfd = mkostemp(path.data, O_CLOEXEC);
    if (tfd >= 0) unlink(path.data);
    sbuf_free(&path);
    return tfd;
}

static bool write_all(int fd, const char *p, size_t n, off_t at)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w, n -= (size_t)w, at += w;
    }
    return true;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void run_free(idrun *r)
{
    free(r->bloom);
    free(r->block_end);
    free(r->first);
    free(r->keys);
}

/* Write ids[0..n) (sorted) as run r at s->end; false on a write error. */
static bool run_write(idset *s, idrun *r, const char **ids, size_t n)
{
    sbuf blk = { 0 }, keys = { 0 };
    size_t cap = 0, pos = 0;
    bool ok = true;
    for (size_t i = 0; i <= n && ok; i++) {
        size_t len = i < n ? strlen(ids[i]) + 1 : 0;
        bool flush = blk.len && (i == n || blk.len + len > IDSET_BLOCK);
        if (flush) {
            ok = write_all(s->fd, blk.data, blk.len, r->base + (off_t)pos);
            pos += blk.len;
            if (pos > UINT32_MAX) ok = false;          /* block_end is 32-bit */
            r->block_end[r->n_blocks - 1] = (uint32_t)pos;
            sbuf_clear(&blk);
        }
        if (i == n || !ok) break;
        if (!blk.len) {                                 /* a new block starts */
            if (r->n_blocks == cap) {
                cap = cap ? cap * 2 : 64;
                r->block_end = xrealloc(r->block_end, cap * sizeof *r->block_end);
                r->first = xrealloc(r->first, cap * sizeof *r->first);
            }
            r->first[r->n_blocks++] = (uint32_t)keys.len;
            sbuf_add(&keys, ids[i], len);
        }
        sbuf_add(&blk, ids[i], len);
    }
    sbuf_free(&blk);
    r->keys = keys.data;
    if (ok) s->end += (off_t)pos;
    return ok;
}

/* Move the ids in memory to a new run on disk. On any failure the ids stay
 * in memory and the set stops spilling. */
static void idset_spill(idset *s)
{
    if (s->fd == -1) s->fd = idset_open_tmp(s->tmpdir);
    if (s->fd < 0) {
        s->fd = -2;
        return;
    }
    size_t n = s->mem.count, k = 0;
    const char **ids = xmalloc(n * sizeof *ids);
    for (size_t off = 0; off < s->mem.pool_len; off += strlen(s->mem.pool + off) + 1)
        ids[k++] = s->mem.pool + off;
    qsort(ids, n, sizeof *ids, cmp_id);

    idrun r = { .base = s->end };
    r.bloom_bits = ((uint64_t)n * IDSET_BLOOM_BITS + 63) & ~(uint64_t)63;
    r.bloom = xcalloc(r.bloom_bits / 64, sizeof *r.bloom);
    for (size_t i = 0; i < n; i++) bloom_set(&r, idset_probe(ids[i]));
    bool ok = run_write(s, &r, ids, n);
    free(ids);
    if (!ok) {
        run_free(&r);
        close(s->fd);
        s->fd = -2;
        return;
    }
    s->runs = xrealloc(s->runs, (s->n_runs + 1) * sizeof *s->runs);
    s->runs[s->n_runs++] = r;
    strset_clear(&s->mem);
}

bool idset_add(idset *s, const char *id)
{
    if (s->n_runs) {
        probe p = idset_probe(id);
        for (size_t i = 0; i < s->n_runs; i++)
            if (run_contains(s, &s->runs[i], id, p)) return false;
    }
    if (!strset_add(&s->mem, id)) return false;
    s->count++;
    if (s->mem.count >= s->spill_at && s->fd != -2) idset_spill(s);
    return true;
}

void idset_free(idset *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_runs; i++) run_free(&s->runs[i]);
    free(s->runs);
    if (s->fd >= 0) close(s->fd);
    strset_free(&s->mem);
    free(s->block);
    free(s->tmpdir);
    free(s);
}
