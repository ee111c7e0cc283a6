/* manifest — see manifest.h. */
#include "manifest.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/evp.h>

#include "rfile.h"

bool manifest_hash_file(const char *path, char hex[65])
{
    /* a manifest lists regular files only: a link or a FIFO is an error */
    FILE *f = rfile_fopen(path, LLONG_MAX, RFILE_NOFOLLOW);
    if (!f) return false;
    bool ok = manifest_hash_stream(f, hex);
    int e = errno;
    fclose(f);
    errno = e;
    return ok;
}

bool manifest_hash_stream(FILE *f, char hex[65])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    unsigned char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) ok = EVP_DigestUpdate(ctx, buf, n) == 1;
    ok = ok && !ferror(f);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok) return false;
    for (unsigned i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return true;
}

bool manifest_add(sbuf *b, const char *dir, const char *rel)
{
    sbuf path = { 0 };
    sbuf_printf(&path, "%s/%s", dir, rel);
    char hex[65];
    bool ok = manifest_hash_file(path.data, hex);
    sbuf_free(&path);
    if (ok) sbuf_printf(b, "%s  %s\n", hex, rel);
    return ok;
}

bool manifest_tally(const char *dir, long *files, long long *bytes)
{
    sbuf path = { 0 };
    sbuf_printf(&path, "%s/MANIFEST.sha256", dir);
    FILE *f = fopen(path.data, "rb");
    struct stat st;
    bool ok = f != NULL;
    if (ok && stat(path.data, &st) == 0) {   /* the manifest itself */
        (*files)++;
        *bytes += st.st_size;
    }
    char *line = NULL;
    size_t cap = 0;
    while (ok && getline(&line, &cap, f) > 66) {
        line[strcspn(line, "\n")] = '\0';
        sbuf_clear(&path);
        sbuf_printf(&path, "%s/%s", dir, line + 66);
        if (stat(path.data, &st) != 0) continue;
        (*files)++;
        *bytes += st.st_size;
    }
    free(line);
    if (f) fclose(f);
    sbuf_free(&path);
    return ok;
}
