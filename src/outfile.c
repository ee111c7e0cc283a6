/* outfile — see outfile.h. */
#define _GNU_SOURCE 1   /* syncfs */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "rfile.h"
#include "util.h"

void outfile_random_name(char out[7])
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char r[6] = { 0 };
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        /* no entropy source: the clock and the address of r still differ
         * between calls, and O_EXCL settles any collision */
        unsigned long long x = (unsigned long long)(uintptr_t)r ^ (unsigned long long)clock();
        for (int i = 0; i < 6; i++, x >>= 7) r[i] ^= (unsigned char)x;
    }
    for (int i = 0; i < 6; i++) out[i] = alnum[r[i] % 62];
    out[6] = '\0';
}

bool outfile_mkdirs(const char *dir)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) { free(p); return false; }
        *s = '/';
    }
    bool ok = mkdir(p, 0777) == 0 || errno == EEXIST;
    struct stat st;
    ok = ok && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    if (!ok && errno == 0) errno = ENOTDIR;
    free(p);
    return ok;
}

int outfile_mktemp(const char *final_path, char **temp_path)
{
    sbuf t = { 0 };
    /* ".name.tmp-XXXXXX" beside the final file: same filesystem, so rename is atomic */
    const char *base = strrchr(final_path, '/');
    if (base) sbuf_add(&t, final_path, (size_t)(base - final_path + 1));
    sbuf_printf(&t, ".%s.tmp-", base ? base + 1 : final_path);
    size_t stem = t.len;
    /* open(O_EXCL, 0666) rather than mkstemp: the kernel then applies the
     * umask, as for any file a program creates (mkstemp's mode is 0600) */
    for (int tries = 0; tries < 100; tries++) {
        char rnd[7];
        outfile_random_name(rnd);
        t.len = stem;
        sbuf_puts(&t, rnd);
        int fd = open(t.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *temp_path = t.data;
            return fd;
        }
        if (errno != EEXIST) break;
    }
    int e = errno;
    sbuf_free(&t);
    errno = e;
    return -1;
}

bool outfile_open(outfile *o, const char *final_path)
{
    memset(o, 0, sizeof *o);
    char *temp;
    int fd = outfile_mktemp(final_path, &temp);
    if (fd < 0) return false;
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        int e = errno;
        close(fd);
        unlink(temp);
        free(temp);
        errno = e;
        return false;
    }
    o->temp_path = temp;
    o->final_path = xstrdup(final_path);
    return true;
}

/* fsync the directory holding `path`, so a rename into it is on disk */
static bool sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    sbuf dir = { 0 };
    if (!slash) sbuf_puts(&dir, ".");
    else if (slash == path) sbuf_puts(&dir, "/");
    else sbuf_add(&dir, path, (size_t)(slash - path));
    int fd = open(dir.data, O_RDONLY | O_DIRECTORY);
    sbuf_free(&dir);
    if (fd < 0) return false;
    int e = fsync(fd) == 0 ? 0 : errno;
    close(fd);
    errno = e;
    return e == 0;
}

static void outfile_release(outfile *o)
{
    free(o->temp_path);
    free(o->final_path);
    o->temp_path = o->final_path = NULL;
    o->fp = NULL;
}

static bool commit(outfile *o, bool durable)
{
    int e = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp)) e = errno ? errno : EIO;
    if (!e && durable && fsync(fileno(o->fp)) != 0) e = errno;
    if (fclose(o->fp) != 0 && !e) e = errno ? errno : EIO;
    if (!e && rename(o->temp_path, o->final_path) != 0) e = errno;
    if (e) unlink(o->temp_path);
    if (!e && durable && !sync_parent(o->final_path)) e = errno;
    outfile_release(o);
    errno = e;
    return e == 0;
}

bool outfile_commit(outfile *o)
{
    return commit(o, false);
}

bool outfile_commit_durable(outfile *o)
{
    return commit(o, true);
}

bool outfile_sync_tree(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return false;
    int e = syncfs(fd) == 0 ? 0 : errno;
    close(fd);
    errno = e;
    return e == 0;
}

void outfile_abort(outfile *o)
{
    if (o->fp) fclose(o->fp);
    if (o->temp_path) unlink(o->temp_path);
    outfile_release(o);
}

/* Copy the open descriptor `in` into an open outfile. */
static bool copy_into(outfile *o, int in)
{
    char buf[65536];
    ssize_t n;
    bool ok = true;
    while (ok && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0 && fwrite(buf, 1, (size_t)n, o->fp) == (size_t)n;
    }
    return ok;
}

bool outfile_place(const char *src, const char *final_path)
{
    /* only a regular file, never through a link (a shard's notice.pdf
     * linked to /etc/shadow), and a FIFO is refused without blocking */
    int in = rfile_open(src, LLONG_MAX, RFILE_NOFOLLOW);
    if (in < 0) return false;
    outfile o;
    if (!outfile_open(&o, final_path)) {
        int e = errno;
        close(in);
        errno = e;
        return false;
    }
    /* a hard link to a temp name, renamed over the final path: atomic, and
     * no copy when both are on one filesystem */
    fclose(o.fp);
    o.fp = NULL;
    unlink(o.temp_path);
    if (link(src, o.temp_path) == 0) {
        int e = rename(o.temp_path, final_path) == 0 ? 0 : errno;
        if (e) unlink(o.temp_path);
        outfile_release(&o);
        close(in);
        errno = e;
        return e == 0;
    }
    int fd = open(o.temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    o.fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!o.fp) {
        int e = errno;
        if (fd >= 0) close(fd);
        outfile_abort(&o);
        close(in);
        errno = e;
        return false;
    }
    bool copied = copy_into(&o, in);
    int e = errno;
    close(in);
    if (!copied) {
        outfile_abort(&o);
        errno = e;
        return false;
    }
    return outfile_commit(&o);
}
