/* csvr — see csvr.h. Two passes: the first decides the encoding (a file
 * that is valid UTF-8 throughout is UTF-8; otherwise it must convert as
 * GB18030), the second converts chunk by chunk and parses. */
#include "csvr.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSVR_MAX_FIELD (1 << 20)   /* one field: far beyond any 个人总结 */

static void set_err(xlsxr_error *e, const char *code, const char *detail)
{
    if (e->code) return;
    e->code = code;
    snprintf(e->detail, sizeof e->detail, "%s", detail);
}

/* Streaming UTF-8 check: true when every byte sequence is valid (a sequence
 * split across reads is carried over). */
static bool file_is_utf8(FILE *f, bool *bom)
{
    unsigned char buf[65536 + 4];
    size_t carry = 0, n;
    bool first = true;
    *bom = false;
    while ((n = fread(buf + carry, 1, 65536, f)) > 0) {
        size_t len = carry + n, start = 0;
        if (first && len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) { *bom = true; start = 3; }
        first = false;
        /* keep an incomplete trailing sequence for the next read */
        size_t end = len;
        for (size_t k = 1; k <= 4 && k <= len - start; k++) {
            unsigned char c = buf[len - k];
            if ((c & 0xC0) == 0x80) continue;
            size_t need = c < 0xC0 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (need > k) end = len - k;
            break;
        }
        if (!utf8_valid((const char *)buf + start, end - start)) return false;
        carry = len - end;
        memmove(buf, buf + end, carry);
    }
    return carry == 0 || utf8_valid((const char *)buf, carry);
}

typedef struct csv_state {
    xlsxr_row_fn fn;
    void *arg;
    long record;
    xlsxr_cell *cells;
    int n, cap, col;
    sbuf text;
    size_t *at;
    int rc;
} csv_state;

static void on_field(void *s, size_t len, void *arg)
{
    csv_state *st = arg;
    int col = st->col++;
    if (!len) return;
    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 64;
        st->cells = xrealloc(st->cells, (size_t)st->cap * sizeof *st->cells);
        st->at = xrealloc(st->at, (size_t)st->cap * sizeof *st->at);
    }
    xlsxr_cell *c = &st->cells[st->n];
    memset(c, 0, sizeof *c);
    c->col = col;
    c->type = XC_STRING;
    st->at[st->n++] = st->text.len;
    /* Excel's CSV has CRLF inside quoted fields too: one line break is LF.
     * Runs without a CR are copied whole (a call per byte was most of a
     * CSV import). */
    const char *p = s, *end = p + len;
    while (p < end) {
        const char *cr = memchr(p, '\r', (size_t)(end - p));
        if (!cr) {
            sbuf_add(&st->text, p, (size_t)(end - p));
            break;
        }
        sbuf_add(&st->text, p, (size_t)(cr - p));
        if (!(cr + 1 < end && cr[1] == '\n')) sbuf_putc(&st->text, '\r');
        p = cr + 1;
    }
    sbuf_putc(&st->text, '\0');
}

static void on_record(int term, void *arg)
{
    (void)term;
    csv_state *st = arg;
    st->record++;
    bool any = false;
    for (int i = 0; i < st->n; i++) {
        st->cells[i].text = st->text.data + st->at[i];
        for (const char *c = st->cells[i].text; *c && !any; c++) any = *c != ' ' && *c != '\t';
    }
    if (any && st->rc == 0) st->rc = st->fn(st->arg, st->record, st->cells, st->n);
    st->n = 0;
    st->col = 0;
    sbuf_clear(&st->text);
}

int csvr_read(const char *path, xlsxr_row_fn fn, void *arg, const char **encoding, xlsxr_error *e)
{
    memset(e, 0, sizeof *e);
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(e, "INPUT_UNREADABLE", strerror(errno));
        return -1;
    }
    bool bom;
    bool utf8 = file_is_utf8(f, &bom);
    if (encoding) *encoding = utf8 ? "UTF-8" : "GB18030";
    rewind(f);
    iconv_t cd = (iconv_t)-1;
    if (!utf8 && (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
        fclose(f);
        set_err(e, "ROSTER_ENCODING", "iconv GB18030");
        return -1;
    }
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    csv_set_blk_size(&p, 4096);
    csv_state st = { .fn = fn, .arg = arg };
    char in[65536 + 8], out[4 * 65536 + 64];
    size_t carry = 0, n;
    bool first = true, failed = false;
    while (!failed && st.rc == 0 && (n = fread(in + carry, 1, 65536, f)) > 0) {
        char *src = in;
        size_t len = carry + n;
        if (first && bom) { src += 3; len -= 3; }
        first = false;
        const char *chunk = src;
        size_t clen = len;
        carry = 0;
        if (!utf8) {
            char *ip = src, *op = out;
            size_t il = len, ol = sizeof out;
            if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != EINVAL) {
                set_err(e, "ROSTER_ENCODING", "GB18030");
                failed = true;
                break;
            }
            carry = il;                 /* an incomplete multibyte character */
            memmove(in, ip, carry);
            chunk = out;
            clen = (size_t)(op - out);
        }
        if (csv_parse(&p, chunk, clen, on_field, on_record, &st) != clen) {
            set_err(e, "ROSTER_CSV_MALFORMED", csv_strerror(csv_error(&p)));
            failed = true;
        }
        if (csv_get_buffer_size(&p) > CSVR_MAX_FIELD) {
            set_err(e, "ROSTER_CSV_MALFORMED", "field too long (unbalanced quote?)");
            failed = true;
        }
    }
    if (!failed && ferror(f)) {
        set_err(e, "INPUT_UNREADABLE", strerror(errno ? errno : EIO));
        failed = true;
    }
    if (!failed && st.rc == 0 && carry) {
        set_err(e, "ROSTER_ENCODING", "GB18030 (truncated character)");
        failed = true;
    }
    if (!failed && st.rc == 0) {
        /* strict end: an open quote at the end of the file is an error */
        csv_set_opts(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
        if (csv_fini(&p, on_field, on_record, &st) != 0) {
            set_err(e, "ROSTER_CSV_MALFORMED", "unterminated quoted field");
            failed = true;
        }
    }
    csv_free(&p);
    if (cd != (iconv_t)-1) iconv_close(cd);
    fclose(f);
    free(st.cells);
    free(st.at);
    sbuf_free(&st.text);
    if (failed) return -1;
    return st.rc;
}
