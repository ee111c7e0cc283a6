/* rfile — see rfile.h. */
#include "rfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rfile_open(const char *path, long long max, int flags)
{
    /* O_NONBLOCK: opening a FIFO without a writer would block here */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (flags & RFILE_NOFOLLOW ? O_NOFOLLOW : 0));
    if (fd < 0) {
        if (errno == ELOOP && (flags & RFILE_NOFOLLOW)) errno = RFILE_ELINK;
        return -1;
    }
    struct stat st;
    int e = 0;
    if (fstat(fd, &st) != 0) e = errno;
    else if (!S_ISREG(st.st_mode)) e = RFILE_ENOTREG;
    else if (st.st_size > max) e = EFBIG;
    else if (fcntl(fd, F_SETFL, 0) != 0) e = errno;
    if (e) {
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

FILE *rfile_fopen(const char *path, long long max, int flags)
{
    int fd = rfile_open(path, max, flags);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

int rfile_read(sbuf *b, const char *path, size_t max)
{
    FILE *f = rfile_fopen(path, (long long)max, RFILE_FOLLOW);
    if (!f) return errno ? errno : EIO;
    size_t start = b->len;
    char chunk[8192];
    size_t n;
    while (b->len - start <= max && (n = fread(chunk, 1, sizeof chunk, f)) > 0) sbuf_add(b, chunk, n);
    int e = ferror(f) ? (errno ? errno : EIO) : b->len - start > max ? EFBIG : 0;
    fclose(f);
    if (e) sbuf_clear(b);
    return e;
}

const char *rfile_strerror(int e)
{
    if (e == RFILE_ENOTREG) return "not a regular file";
    if (e == RFILE_ELINK) return "a symbolic link (refused)";
    if (e == EFBIG) return "file too large";
    return strerror(e);
}
