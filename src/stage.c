/* stage — see stage.h. */
#define _GNU_SOURCE 1   /* renameat2, RENAME_EXCHANGE */
#include "stage.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* Lock the file at path; false with errno set (EWOULDBLOCK: held). The
 * lock counts only if the file is still the one at path once locked: the
 * holder removes it when done, so a waiter may have locked a removed file. */
static int lock_file(const char *path, bool wait, bool *stale)
{
    /* O_NOFOLLOW: a link planted at the lock's name is refused, not followed */
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) return -1;
    while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        if (errno == EINTR) continue;
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    struct stat held, now;
    *stale = fstat(fd, &held) != 0 || stat(path, &now) != 0 || held.st_ino != now.st_ino ||
             held.st_dev != now.st_dev;
    return fd;
}

int stage_lock_take(stage_lock *l, const char *output_dir, bool wait)
{
    l->fd = -1;
    l->path = NULL;
    if (!output_dir[0]) return EINVAL;   /* "-o ''" would write to /<year> */
    if (!outfile_mkdirs(output_dir)) return errno ? errno : EIO;
    sbuf path = { 0 };
    sbuf_printf(&path, "%s/.kaohe.lock", output_dir);
    int fd = -1;
    bool stale = true;
    for (int tries = 0; stale && tries < 1000; tries++) {
        fd = lock_file(path.data, wait, &stale);
        if (fd < 0) {
            int e = errno == EWOULDBLOCK ? EWOULDBLOCK : errno;
            sbuf_free(&path);
            return e;
        }
        if (stale) close(fd);
    }
    if (stale) {
        sbuf_free(&path);
        return EWOULDBLOCK;
    }
    l->fd = fd;
    l->path = path.data;
    return 0;
}

void stage_lock_release(stage_lock *l)
{
    if (l->fd >= 0) {
        unlink(l->path);   /* while still held: nobody can have it in between */
        close(l->fd);      /* closing the descriptor drops the flock */
    }
    free(l->path);
    l->fd = -1;
    l->path = NULL;
}

bool stage_is_staging_name(const char *name)
{
    /* "." YEAR ".staging-" and six characters of outfile_random_name */
    size_t n = strlen(name), digits = strspn(name + 1, "0123456789");
    return name[0] == '.' && digits >= 1 && n == 1 + digits + 15 && !strncmp(name + 1 + digits, ".staging-", 9);
}

long stage_sweep(const char *output_dir)
{
    DIR *d = opendir(output_dir);
    if (!d) return 0;
    long removed = 0;
    sbuf path = { 0 };
    for (struct dirent *de; (de = readdir(d));) {
        if (!stage_is_staging_name(de->d_name)) continue;
        sbuf_clear(&path);
        sbuf_printf(&path, "%s/%s", output_dir, de->d_name);
        struct stat st;
        if (lstat(path.data, &st) == 0 && S_ISDIR(st.st_mode)) removed += stage_remove_tree(path.data);
    }
    closedir(d);
    sbuf_free(&path);
    return removed;
}

bool stage_year_open(const char *output_dir, int year, sbuf *dir)
{
    for (int tries = 0; tries < 100; tries++) {
        char rnd[7];
        outfile_random_name(rnd);
        sbuf_clear(dir);
        sbuf_printf(dir, "%s/.%d.staging-%s", output_dir, year, rnd);
        /* mkdir, not mkdtemp: the mode then follows the umask like every
         * directory the run makes (mkdtemp's is always 0700) */
        if (mkdir(dir->data, 0777) == 0) return true;
        if (errno != EEXIST) return false;
    }
    errno = EEXIST;
    return false;
}

static bool sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    int e = fsync(fd) == 0 ? 0 : errno;
    close(fd);
    errno = e;
    return e == 0;
}

/* Without RENAME_EXCHANGE (a filesystem or kernel that lacks it: EINVAL,
 * ENOSYS): the standing year moves aside to a staging name first, then the
 * new one moves in. Between the two renames OUTPUT/<year> is absent for a
 * moment (never a mix); a crash there leaves the old year at a staging name
 * and no year, which the next run sweeps and rebuilds. */
static bool swap_by_two_renames(const char *output_dir, int year, const char *staged, const char *final)
{
    sbuf aside = { 0 };
    bool ok = stage_year_open(output_dir, year, &aside) && rmdir(aside.data) == 0 &&
              rename(final, aside.data) == 0;
    if (ok && rename(staged, final) != 0) {
        int e = errno;
        rename(aside.data, final);   /* put the standing year back */
        errno = e;
        ok = false;
    }
    if (ok) stage_remove_tree(aside.data);
    sbuf_free(&aside);
    return ok;
}

bool stage_year_commit(const char *output_dir, int year, const char *staged)
{
    sbuf final = { 0 };
    sbuf_printf(&final, "%s/%d", output_dir, year);
    bool ok;
    struct stat st;
    if (lstat(final.data, &st) != 0 && errno == ENOENT) {
        ok = rename(staged, final.data) == 0;
    } else if (renameat2(AT_FDCWD, staged, AT_FDCWD, final.data, RENAME_EXCHANGE) == 0) {
        /* the old year now sits at the staging name */
        stage_remove_tree(staged);
        ok = true;
    } else if (errno == EINVAL || errno == ENOSYS) {
        ok = swap_by_two_renames(output_dir, year, staged, final.data);
    } else {
        ok = false;
    }
    int e = errno;
    if (ok && !sync_dir(output_dir)) {
        e = errno;
        ok = false;
    }
    sbuf_free(&final);
    errno = ok ? 0 : e;
    return ok;
}

void stage_year_discard(const char *staged)
{
    int e = errno;
    stage_remove_tree(staged);
    errno = e;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

bool stage_remove_tree(const char *path)
{
    /* FTW_PHYS: a symbolic link inside is removed, never followed */
    return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS) == 0;
}
