/* ingest — see ingest.h.
 * Two passes per file: a validating pass that reads to the end (an invalid
 * file must produce nothing, and libxml2 only knows validity at the end),
 * then a converting pass that expands one <unit> subtree at a time. */
#include "ingest.h"
#include "value.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "rfile.h"

#define NS "urn:kaohe:appraisal:1"
/* No NOENT (entities stay unexpanded), no DTD loading, no network, and
 * no HUGE: libxml2's own size limits stay in force. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)

struct ingest_schema {
    xmlSchemaPtr schema;
};

static void ignore_errors(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void ignore_structured(void *ctx, xmlErrorPtr e) { (void)ctx; (void)e; }

ingest_schema *ingest_schema_load(const char *xsd_path, char *err, size_t errlen)
{
    /* Read it ourselves (regular file, size cap; libxml2 would also print
     * its own I/O warning), then parse from memory. */
    sbuf xsd = { 0 };
    int e = rfile_read(&xsd, xsd_path, 4u << 20);
    if (e) {
        snprintf(err, errlen, "%s: %s", xsd_path, rfile_strerror(e));
        sbuf_free(&xsd);
        return NULL;
    }
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(xsd.data ? xsd.data : "", (int)xsd.len);
    if (!pc) {
        snprintf(err, errlen, "%s", xsd_path);
        sbuf_free(&xsd);
        return NULL;
    }
    xmlSchemaSetParserErrors(pc, ignore_errors, ignore_errors, NULL);
    xmlSchemaSetParserStructuredErrors(pc, ignore_structured, NULL);
    xmlSchemaPtr s = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    sbuf_free(&xsd);
    if (!s) {
        snprintf(err, errlen, "%s", xsd_path);
        return NULL;
    }
    ingest_schema *is = xcalloc(1, sizeof *is);
    is->schema = s;
    return is;
}

void ingest_schema_free(ingest_schema *s)
{
    if (!s) return;
    xmlSchemaFree(s->schema);
    free(s);
}

/* First error seen while validating; later ones are consequences. */
typedef struct first_error {
    bool set;
    bool schema;             /* validity error rather than well-formedness */
    xmlTextReaderPtr reader; /* for the position of errors that carry none */
    int line, col;
    char text[512];
} first_error;

static void record_error(void *arg, xmlErrorPtr e)
{
    first_error *fe = arg;
    if (fe->set || !e || e->level < XML_ERR_ERROR) return;
    fe->set = true;
    fe->schema = e->domain == XML_FROM_SCHEMASV || e->domain == XML_FROM_SCHEMASP;
    fe->line = e->line;
    fe->col = e->int2;
    if (fe->line <= 0 && fe->reader) {
        /* the input layer's errors (encoding conversion, I/O) have no position */
        fe->line = xmlTextReaderGetParserLineNumber(fe->reader);
        fe->col = xmlTextReaderGetParserColumnNumber(fe->reader);
    }
    const char *m = e->message ? e->message : "?";
    size_t n = strlen(m);
    if (n >= sizeof fe->text) {
        /* a long message (libxml2 quotes whole values) is cut on a character
         * boundary, never inside a UTF-8 sequence, and says so */
        n = sizeof fe->text - sizeof "…";
        while (n && ((unsigned char)m[n] & 0xC0) == 0x80) n--;
        memcpy(fe->text, m, n);
        memcpy(fe->text + n, "…", sizeof "…");
    } else memcpy(fe->text, m, n + 1);
    n = strlen(fe->text);
    while (n && (fe->text[n - 1] == '\n' || fe->text[n - 1] == ' ')) fe->text[--n] = '\0';
    /* one message, one line: libxml2 puts byte dumps on a second line */
    for (char *c = fe->text; *c; c++)
        if (*c == '\n' || *c == '\r') *c = ' ';
}

/* Errors of libxml2's input layer (encoding conversion, I/O) bypass the
 * reader's handler and would be printed on stderr by the default handler:
 * while a file is read they go to this thread's structured handler too. */
typedef struct error_scope {
    xmlStructuredErrorFunc fn;
    void *ctx;
} error_scope;

static error_scope errors_to(first_error *fe)
{
    error_scope s = { xmlStructuredError, xmlStructuredErrorContext };
    xmlSetStructuredErrorFunc(fe, record_error);
    return s;
}

static void errors_restore(const error_scope *s)
{
    xmlSetStructuredErrorFunc(s->ctx, s->fn);
}

static void format_first_error(sbuf *err, msg_lang lang, const char *path, const first_error *fe)
{
    msg_format(err, lang, fe->schema ? "SCHEMA_INVALID" : "XML_MALFORMED", path, fe->line > 0 ? fe->line : 1,
               fe->col > 0 ? fe->col : 1, fe->text);
    sbuf_printf(err, " [%s]", fe->schema ? "SCHEMA_INVALID" : "XML_MALFORMED");
}

/* --- the input guard ------------------------------------------------------
 * libxml2 reads the file through guard_read(), which looks at every byte
 * before the parser does and stops the read (the parser sees an I/O error,
 * we report our own message) when
 *  - the prolog holds a DOCTYPE: refused before libxml2 parses any of it, so
 *    its entities (XXE, billion laughs, quadratic blow-up) are never seen;
 *  - a start tag has more than GUARD_MAX_ATTRS attributes: libxml2 2.9 checks
 *    duplicate attributes pairwise, so 200,000 of them (2 MB) take a minute.
 * The guard is the reader's only input (a .gz file is not silently
 * decompressed, as libxml2's own file loader would). UTF-16 and UCS-4 (by
 * BOM or by the bytes of "<") are lexed code unit by code unit. */
#define GUARD_MAX_ATTRS 256

typedef enum {
    G_TEXT, G_LT, G_BANG, G_DECL, G_COMMENT, G_CDATA, G_PI, G_TAG, G_QUOTE, G_END
} guard_state;

typedef struct input_guard {
    FILE *f;
    int err;                 /* errno of a failed read */
    bool detected;
    int width;               /* bytes per code unit: 1, 2 or 4 */
    bool big_endian;
    unsigned char carry[4];  /* a code unit split between two reads */
    int ncarry;
    guard_state state;
    int sub;                 /* progress through a terminator ("-->", "]]>", "?>") */
    char kw[8];              /* after "<!": "--", "[CDATA[" or "DOCTYPE" */
    int nkw;
    char quote;
    bool in_root;            /* a start tag was seen: the prolog is over */
    int attrs;
    long line, col, tag_line, tag_col;
    const char *fail;        /* "DOCTYPE_REFUSED", "INPUT_LIMIT" or "EBCDIC" once stopped */
} input_guard;

static void guard_detect(input_guard *g, const unsigned char *b, size_t n)
{
    g->detected = true;
    g->width = 1;
    /* EBCDIC "<?xm": the guard cannot read it, so it is not accepted */
    if (n >= 4 && !memcmp(b, "\x4C\x6F\xA7\x94", 4)) g->fail = "EBCDIC";
    else if (n >= 4 && (!memcmp(b, "\x00\x00\xFE\xFF", 4) || !memcmp(b, "\x00\x00\x00<", 4))) {
        g->width = 4;
        g->big_endian = true;
    } else if (n >= 4 && (!memcmp(b, "\xFF\xFE\x00\x00", 4) || !memcmp(b, "<\x00\x00\x00", 4))) {
        g->width = 4;
    } else if (n >= 2 && (!memcmp(b, "\xFE\xFF", 2) || !memcmp(b, "\x00<", 2))) {
        g->width = 2;
        g->big_endian = true;
    } else if (n >= 2 && (!memcmp(b, "\xFF\xFE", 2) || !memcmp(b, "<\x00", 2))) {
        g->width = 2;
    }
}

static bool kw_prefix(const char *kw, int n)
{
    return !strncmp(kw, "--", (size_t)n) || !strncmp(kw, "[CDATA[", (size_t)n) ||
           !strncmp(kw, "DOCTYPE", (size_t)n);
}

/* One character: ASCII as is, anything else as 0x80. */
static void guard_char(input_guard *g, int c)
{
    if (c == '\n') { g->line++; g->col = 0; }
    else g->col++;
    switch (g->state) {
    case G_TEXT:
        if (c == '<') {
            g->state = G_LT;
            g->tag_line = g->line;
            g->tag_col = g->col;
        }
        break;
    case G_LT:
        if (c == '!') { g->state = G_BANG; g->nkw = 0; }
        else if (c == '?') { g->state = G_PI; g->sub = 0; }
        else if (c == '/') g->state = G_END;
        else {
            g->state = c == '>' ? G_TEXT : G_TAG;
            g->in_root = true;
            g->attrs = 0;
        }
        break;
    case G_BANG:
        g->kw[g->nkw++] = (char)c;
        g->kw[g->nkw] = '\0';
        if (!strcmp(g->kw, "--")) { g->state = G_COMMENT; g->sub = 0; }
        else if (!strcmp(g->kw, "[CDATA[")) { g->state = G_CDATA; g->sub = 0; }
        else if (!strcmp(g->kw, "DOCTYPE")) {
            if (!g->in_root) {
                g->fail = "DOCTYPE_REFUSED";
                g->line = g->tag_line;
                g->col = g->tag_col;
            }
            g->state = G_DECL;
        } else if (!kw_prefix(g->kw, g->nkw)) g->state = c == '>' ? G_TEXT : G_DECL;
        break;
    case G_DECL:
        if (c == '>') g->state = G_TEXT;
        break;
    case G_COMMENT:
    case G_CDATA: {
        int mark = g->state == G_COMMENT ? '-' : ']';
        if (c == mark) g->sub++;
        else if (c == '>' && g->sub >= 2) g->state = G_TEXT;
        else g->sub = 0;
        break;
    }
    case G_PI:
        if (c == '>' && g->sub) g->state = G_TEXT;
        else g->sub = c == '?';
        break;
    case G_TAG:
        if (c == '"' || c == '\'') { g->quote = (char)c; g->state = G_QUOTE; }
        else if (c == '>') g->state = G_TEXT;
        else if (c == '=' && ++g->attrs > GUARD_MAX_ATTRS) {
            g->fail = "INPUT_LIMIT";
            g->line = g->tag_line;
            g->col = g->tag_col;
        }
        break;
    case G_QUOTE:
        if (c == g->quote) g->state = G_TAG;
        break;
    case G_END:
        if (c == '>') g->state = G_TEXT;
        break;
    }
}

static void guard_scan(input_guard *g, const unsigned char *b, size_t n)
{
    if (!g->detected) guard_detect(g, b, n);
    for (size_t i = 0; i < n && !g->fail; i++) {
        if (g->width == 1) {
            /* columns count characters: UTF-8 continuation bytes are not one */
            if (b[i] >= 0x80 && b[i] < 0xC0) continue;
            guard_char(g, b[i] < 0x80 ? b[i] : 0x80);
            continue;
        }
        g->carry[g->ncarry++] = b[i];
        if (g->ncarry < g->width) continue;
        unsigned long v = 0;
        for (int k = 0; k < g->width; k++)
            v = g->big_endian ? (v << 8) | g->carry[k] : v | ((unsigned long)g->carry[k] << (8 * k));
        g->ncarry = 0;
        /* UTF-16: a surrogate pair is one character */
        if (g->width == 2 && v >= 0xDC00 && v <= 0xDFFF) continue;
        guard_char(g, v < 0x80 ? (int)v : 0x80);
    }
}

static int guard_read(void *ctx, char *buf, int len)
{
    input_guard *g = ctx;
    if (g->fail) return -1;
    if (len <= 0) return 0;
    size_t n = fread(buf, 1, (size_t)len, g->f);
    if (n == 0 && ferror(g->f)) {
        g->err = errno ? errno : EIO;
        return -1;
    }
    guard_scan(g, (const unsigned char *)buf, n);
    return g->fail ? -1 : (int)n;
}

static int guard_close(void *ctx)
{
    input_guard *g = ctx;
    if (g->f) fclose(g->f);
    g->f = NULL;
    return 0;
}

/* The guard stopped the read, or the read failed: say why (true if so). */
static bool guard_error(const input_guard *g, msg_lang lang, const char *path, sbuf *err)
{
    int line = g->line > INT_MAX ? INT_MAX : (int)g->line, col = g->col > INT_MAX ? INT_MAX : (int)g->col;
    if (g->fail && !strcmp(g->fail, "DOCTYPE_REFUSED")) {
        msg_format(err, lang, "DOCTYPE_REFUSED", path, line, col);
        sbuf_puts(err, " [DOCTYPE_REFUSED]");
    } else if (g->fail && !strcmp(g->fail, "EBCDIC")) {
        msg_format(err, lang, "XML_MALFORMED", path, 1, 1,
                   lang == LANG_EN ? "EBCDIC is not supported (the input is UTF-8)" : "不支持 EBCDIC 编码（输入应为 UTF-8）");
        sbuf_puts(err, " [XML_MALFORMED]");
    } else if (g->fail) {
        char what[160];
        snprintf(what, sizeof what, lang == LANG_EN ? "an element has more than %d attributes"
                                                     : "一个元素的属性超过 %d 个", GUARD_MAX_ATTRS);
        msg_format(err, lang, "INPUT_LIMIT", path, line, col, what);
        sbuf_puts(err, " [INPUT_LIMIT]");
    } else if (g->err) {
        msg_format(err, lang, "INPUT_UNREADABLE", path, msg_syserr(lang, g->err));
        sbuf_puts(err, " [INPUT_UNREADABLE]");
    } else return false;
    return true;
}

/* The reader stopped on an error (or found the document invalid): report the
 * first problem. With a schema attached, libxml2 2.9 routes well-formedness
 * errors past the reader's handler, so its per-thread last error is the
 * fallback; the reader's position is the last resort. */
static void report_reader_error(xmlTextReaderPtr r, first_error *fe, int ret, msg_lang lang,
                                const char *path, sbuf *err)
{
    if (!fe->set && ret < 0) record_error(fe, xmlGetLastError());
    if (!fe->set) {
        fe->set = true;
        fe->schema = ret >= 0;
        fe->line = xmlTextReaderGetParserLineNumber(r);
        fe->col = xmlTextReaderGetParserColumnNumber(r);
        snprintf(fe->text, sizeof fe->text, "%s", lang == LANG_EN ? "invalid document" : "文档无效");
    }
    format_first_error(err, lang, path, fe);
}

/* `g` is the reader's input: it must outlive the reader. */
static xmlTextReaderPtr open_reader(const char *path, input_guard *g, msg_lang lang, sbuf *err)
{
    memset(g, 0, sizeof *g);
    g->line = 1;
    /* Regular files only: each file is read twice (validate, then convert),
     * and a FIFO, a terminal or /dev/zero would block or never end. The
     * non-blocking open keeps a FIFO without a writer from hanging here. */
    int fd = rfile_open(path, LLONG_MAX, RFILE_FOLLOW);
    struct stat sb;
    const char *why = NULL;
    if (fd < 0 && errno == RFILE_ENOTREG && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) why = msg_syserr(lang, EISDIR);
    else if (fd < 0 && errno == RFILE_ENOTREG) why = lang == LANG_EN ? "not a regular file" : "不是普通文件";
    else if (fd < 0) why = msg_syserr(lang, errno);
    else if (!(g->f = fdopen(fd, "rb"))) why = msg_syserr(lang, errno);
    if (why) {
        if (fd >= 0 && !g->f) close(fd);
        msg_format(err, lang, "INPUT_UNREADABLE", path, why);
        sbuf_puts(err, " [INPUT_UNREADABLE]");
        return NULL;
    }
    /* on failure libxml2 calls guard_close itself */
    xmlTextReaderPtr r = xmlReaderForIO(guard_read, guard_close, g, path, NULL, READER_OPTIONS);
    if (!r) {
        msg_format(err, lang, "INPUT_UNREADABLE", path, "libxml2");
        sbuf_puts(err, " [INPUT_UNREADABLE]");
    }
    return r;
}

static bool is_doctype(xmlTextReaderPtr r)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE;
}

static void doctype_error(sbuf *err, msg_lang lang, const char *path, xmlTextReaderPtr r)
{
    msg_format(err, lang, "DOCTYPE_REFUSED", path, xmlTextReaderGetParserLineNumber(r),
               xmlTextReaderGetParserColumnNumber(r));
    sbuf_puts(err, " [DOCTYPE_REFUSED]");
}

/* s[0..*len) without the white space (ASCII and the ideographic space
 * U+3000) at either end: the start, and the length in *len. */
static const char *name_trim(const char *s, size_t *len)
{
    const char *e = s + *len;
    for (;;) {
        if (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) s++;
        else if (e - s >= 3 && !memcmp(s, "\xE3\x80\x80", 3)) s += 3;
        else break;
    }
    for (;;) {
        if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r')) e--;
        else if (e - s >= 3 && !memcmp(e - 3, "\xE3\x80\x80", 3)) e -= 3;
        else break;
    }
    *len = (size_t)(e - s);
    return s;
}

/* A <person> whose name is blank once trimmed: NAME_BLANK at its line. */
static bool blank_name_error(xmlTextReaderPtr r, msg_lang lang, const char *path, sbuf *err)
{
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
        strcmp((const char *)xmlTextReaderConstLocalName(r), "person"))
        return false;
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)"name");
    if (!v) return false;   /* the schema's to say */
    size_t len = strlen((const char *)v);
    name_trim((const char *)v, &len);
    xmlChar *id = xmlTextReaderGetAttribute(r, (const xmlChar *)"id");
    if (len == 0) {
        xmlNodePtr n = xmlTextReaderCurrentNode(r);
        msg_format(err, lang, "NAME_BLANK", path, n ? (int)xmlGetLineNo(n) : xmlTextReaderGetParserLineNumber(r),
                   id ? (const char *)id : "");
        sbuf_puts(err, " [NAME_BLANK]");
    }
    xmlFree(id);
    xmlFree(v);
    return len == 0;
}

int ingest_validate(const char *path, const ingest_schema *schema, msg_lang lang, sbuf *err)
{
    input_guard g;
    first_error fe = { 0 };
    error_scope scope = errors_to(&fe);
    xmlResetLastError();
    xmlTextReaderPtr r = open_reader(path, &g, lang, err);
    if (!r) {
        errors_restore(&scope);
        return -1;
    }
    fe.reader = r;
    xmlTextReaderSetStructuredErrorHandler(r, record_error, &fe);
    int rc = 0;
    if (xmlTextReaderSetSchema(r, schema->schema) != 0) {
        msg_format(err, lang, "SCHEMA_UNAVAILABLE", path);
        rc = -1;
    }
    int ret = 1;
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        if (is_doctype(r)) {
            doctype_error(err, lang, path, r);
            rc = -1;
        }
        if (rc == 0 && blank_name_error(r, lang, path, err)) rc = -1;
        if (fe.set) break;
    }
    if (rc == 0 && guard_error(&g, lang, path, err)) rc = -1;
    else if (rc == 0 && (fe.set || ret < 0 || xmlTextReaderIsValid(r) != 1)) {
        report_reader_error(r, &fe, ret, lang, path, err);
        rc = -1;
    }
    xmlFreeTextReader(r);
    errors_restore(&scope);
    return rc;
}

/* --- conversion of one expanded <unit> ----------------------------------- */

static const char *attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (!strcmp((const char *)a->name, name) && a->children && a->children->content)
            return (const char *)a->children->content;
    /* an attribute present but empty has no text child */
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (!strcmp((const char *)a->name, name)) return "";
    return NULL;
}

static bool is_el(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Typed attributes are read as their schema type means them (value.h):
 * " true", "1", "+05", ".5" and "institution " are valid spellings. The
 * file was validated first, so the default only stands in for an absent
 * attribute (or, reading an unvalidated string, for an invalid one). */
static bool attr_bool(xmlNodePtr n, const char *name, bool dflt)
{
    bool v = dflt;
    value_boolean(attr(n, name), &v);
    return v;
}

static long attr_long(xmlNodePtr n, const char *name, long dflt)
{
    long long x;
    if (!value_integer(attr(n, name), -1000000000LL, 1000000000LL, &x)) return dflt;
    return (long)x;
}

static int attr_enum(xmlNodePtr n, const char *name, const char *const *values, int count, int dflt)
{
    int i = value_enum(attr(n, name), values, count);
    return i < 0 ? dflt : i;
}

/* An xs:decimal attribute: true with *out set when present and valid. */
static bool attr_decimal(xmlNodePtr n, const char *name, fix6 *out)
{
    return value_decimal(attr(n, name), out);
}

/* One-line text (ids, names, posts): tabs and line breaks that arrived as
 * character references (&#9; &#10; &#13;) and C1 controls (U+0080..U+009F,
 * which terminals may obey) become spaces, so a name can never break a line
 * of findings.txt or of a message. */
static const char *attr_dup(unit *u, xmlNodePtr n, const char *name)
{
    char *s = arena_strdup(&u->mem, attr(n, name));
    if (!s) return NULL;
    unsigned char *w = (unsigned char *)s;
    for (const unsigned char *c = w; *c; c++) {
        if (*c == '\t' || *c == '\n' || *c == '\r') *w++ = ' ';
        else if (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F) {
            *w++ = ' ';
            c++;
        } else *w++ = *c;
    }
    *w = '\0';
    return s;
}

/* A token-typed attribute kept as text (gender, a year-month): collapsed as
 * the schema collapses it, so " 1980-05" prints as 1980-05. */
static const char *attr_token_dup(unit *u, xmlNodePtr n, const char *name)
{
    return value_collapse(arena_strdup(&u->mem, attr(n, name)));
}

/* Free text where line breaks are meaningful (comments). */
static const char *attr_dup_text(unit *u, xmlNodePtr n, const char *name)
{
    return arena_strdup(&u->mem, attr(n, name));
}

static const char *const grade_names[] = { "", "excellent", "competent", "basic", "incompetent" };

static char *node_text(unit *u, xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s = arena_strdup(&u->mem, t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

static void read_person_children(unit *u, person *p, xmlNodePtr pn)
{
    static const char *const leave[] = { "sick", "personal", "study", "maternity" };
    static const char *const sanction[] = { "none", "warning", "demerit", "major-demerit", "demotion", "removal" };
    static const char *const assignment[] = { "regular", "seconded" };
    for (xmlNodePtr c = pn->children; c; c = c->next) {
        if (is_el(c, "status")) {
            p->leave_months = (int)attr_long(c, "leaveMonths", 0);
            p->leave_type = (leave_t)attr_enum(c, "leaveType", leave, 4, LEAVE_SICK);
            p->probation = attr_bool(c, "probation", false);
            p->months_in_unit = (int)attr_long(c, "monthsInUnit", 12);
            p->seconded = attr_enum(c, "assignment", assignment, 2, 0) == 1;
            p->under_investigation = attr_bool(c, "underInvestigation", false);
            p->sanction = (sanction_t)attr_enum(c, "sanction", sanction, 6, SANCTION_NONE);
            p->sanction_year = (int)attr_long(c, "sanctionYear", 0);
            p->refused = attr_bool(c, "refused", false);
            p->routine_records = attr_long(c, "routineRecords", 4);
        } else if (is_el(c, "summary")) {
            p->summary = node_text(u, c);
        } else if (is_el(c, "votes")) {
            p->votes[0] = attr_long(c, "excellent", 0);
            p->votes[1] = attr_long(c, "competent", 0);
            p->votes[2] = attr_long(c, "basic", 0);
            p->votes[3] = attr_long(c, "incompetent", 0);
        } else if (is_el(c, "scores")) {
            int n = 0;
            for (xmlNodePtr k = c->children; k; k = k->next) n += is_el(k, "component");
            p->components = arena_alloc(&u->mem, (size_t)(n ? n : 1) * sizeof *p->components);
            p->n_components = 0;
            for (xmlNodePtr k = c->children; k; k = k->next)
                if (is_el(k, "component")) {
                    score_component *sc = &p->components[p->n_components++];
                    sc->name = attr_dup(u, k, "name");
                    sc->value = attr_dup(u, k, "value");
                    if (!sc->name) sc->name = "";
                    if (!sc->value) sc->value = "";
                }
        } else if (is_el(c, "proposal")) {
            p->proposed = (grade_t)attr_enum(c, "grade", grade_names, 5, GRADE_NONE);
            p->advanced = attr_bool(c, "advanced", false);
            p->comment = attr_dup_text(u, c, "comment");
        } else if (is_el(c, "history")) {
            int n = 0;
            for (xmlNodePtr k = c->children; k; k = k->next) n += is_el(k, "year");
            p->history = arena_alloc(&u->mem, (size_t)(n ? n : 1) * sizeof *p->history);
            p->n_history = 0;
            for (xmlNodePtr k = c->children; k; k = k->next)
                if (is_el(k, "year")) {
                    history_year *h = &p->history[p->n_history++];
                    h->year = (int)attr_long(k, "value", 0);
                    h->grade = (grade_t)attr_enum(k, "grade", grade_names, 5, GRADE_NONE);
                }
        }
    }
}

static void read_person(unit *u, person *p, xmlNodePtr pn)
{
    static const char *const cats[] = { "civil-servant", "managed", "institution", "other" };
    static const char *const roles[] = { "staff", "leader", "main-leader" };
    p->line = xmlGetLineNo(pn);
    p->id = attr_dup(u, pn, "id");
    p->name = attr_dup(u, pn, "name");
    if (!p->id) p->id = "";
    if (!p->name) p->name = "";
    if (*p->name) {   /* printed trimmed (attr_dup's copy, trimmed in place) */
        size_t nlen = strlen(p->name);
        const char *nm = name_trim(p->name, &nlen);
        char *w = (char *)p->name;
        memmove(w, nm, nlen);
        w[nlen] = '\0';
    }
    p->gender = attr_token_dup(u, pn, "gender");
    p->birth = attr_token_dup(u, pn, "birth");
    p->ethnicity = attr_dup(u, pn, "ethnicity");
    p->political = attr_dup(u, pn, "political");
    p->education = attr_dup(u, pn, "education");
    p->post = attr_dup(u, pn, "post");
    p->rank = attr_dup(u, pn, "rank");
    p->post_since = attr_token_dup(u, pn, "postSince");
    p->duty = attr_dup(u, pn, "duty");
    p->category = (category_t)attr_enum(pn, "category", cats, 4, CAT_OTHER);
    p->role = (role_t)attr_enum(pn, "role", roles, 3, ROLE_STAFF);
    /* SPEC defaults for an absent <status> */
    p->months_in_unit = 12;
    p->routine_records = 4;
    p->bucket = -1;
    read_person_children(u, p, pn);
}

static void read_unit_children(unit *u, xmlNodePtr un)
{
    static const char *const routine[] = { "good", "poor", "none" };
    static const char *const perf[] = { "", "excellent", "qualified", "unqualified" };
    long n_persons = 0;
    for (xmlNodePtr c = un->children; c; c = c->next) {
        if (is_el(c, "person")) n_persons++;
        else if (is_el(c, "establishment")) {
            u->est_admin = attr_long(c, "admin", 0);
            u->est_institution = attr_long(c, "institution", 0);
        } else if (is_el(c, "factors")) {
            u->target_advanced = attr_bool(c, "targetAdvanced", true);
            u->ministerial_commendation = attr_bool(c, "ministerialCommendation", false);
            u->civilized_unit = attr_bool(c, "civilizedUnit", true);
            u->collective_merit = attr_bool(c, "collectiveMerit", false);
            u->routine = (routine_t)attr_enum(c, "routineAssessment", routine, 3, ROUTINE_GOOD);
            u->major_accident = attr_bool(c, "majorAccident", false);
        } else if (is_el(c, "performance")) {
            u->perf_grade = (perf_grade_t)attr_enum(c, "grade", perf, 4, PERF_NONE);
            u->has_perf_score = attr_decimal(c, "score", &u->perf_score);
        } else if (is_el(c, "quota")) {
            u->has_approved_ratio = attr_decimal(c, "approvedRatio", &u->approved_ratio);
        } else if (is_el(c, "contact")) {
            u->contact_name = attr_dup(u, c, "name");
            u->contact_phone = attr_dup(u, c, "phone");
        } else if (is_el(c, "assessment")) {
            unit_assessment *a = &u->assessment;
            a->present = true;
            a->scheme = attr_dup(u, c, "scheme");
            int n = 0;
            for (xmlNodePtr k = c->children; k; k = k->next) n += is_el(k, "item");
            a->items = arena_alloc(&u->mem, (size_t)(n ? n : 1) * sizeof *a->items);
            a->n_items = 0;
            for (xmlNodePtr k = c->children; k; k = k->next)
                if (is_el(k, "item")) {
                    struct assessment_item *it = &a->items[a->n_items++];
                    it->ref = attr_dup(u, k, "ref");
                    it->has_points = attr_decimal(k, "points", &it->points);
                    it->count = attr_long(k, "count", 0);
                }
        }
    }
    u->persons = arena_alloc(&u->mem, (size_t)(n_persons ? n_persons : 1) * sizeof *u->persons);
    for (xmlNodePtr c = un->children; c; c = c->next)
        if (is_el(c, "person")) read_person(u, &u->persons[u->n_persons++], c);
}

static unit *unit_from_node(xmlNodePtr un, const file_header *hdr)
{
    static const char *const kinds[] = { "organ", "managed", "institution" };
    unit *u = xcalloc(1, sizeof *u);
    u->file = hdr;
    u->line = xmlGetLineNo(un);
    u->id = attr_dup(u, un, "id");
    u->name = attr_dup(u, un, "name");
    if (!u->id) u->id = "";
    if (!u->name) u->name = "";
    u->kind = (unit_kind_t)attr_enum(un, "kind", kinds, 3, KIND_ORGAN);
    u->series = (int)attr_long(un, "series", 0);
    /* SPEC defaults for an absent <factors> */
    u->target_advanced = true;
    u->civilized_unit = true;
    u->routine = ROUTINE_GOOD;
    read_unit_children(u, un);
    return u;
}

unit *ingest_unit_from_string(const char *xml, const file_header *hdr)
{
    first_error ignored = { 0 };
    error_scope scope = errors_to(&ignored);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "unit.xml", NULL,
                                  READER_OPTIONS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    errors_restore(&scope);
    if (!doc) return NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    unit *u = root && is_el(root, "unit") ? unit_from_node(root, hdr) : NULL;
    xmlFreeDoc(doc);
    return u;
}

/* --- pass 2 -------------------------------------------------------------- */

static void copy_date_attr(xmlTextReaderPtr r, const char *name, char out[11])
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    value_date((const char *)v, out);
    xmlFree(v);
}

static char *reader_attr_dup(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static void read_root(xmlTextReaderPtr r, file_header *hdr)
{
    char *year = reader_attr_dup(r, "year");
    char *pol = reader_attr_dup(r, "policy");
    long long y = 2025;
    if (year) value_integer(year, 1950, 2200, &y);
    hdr->year = (int)y;
    snprintf(hdr->policy, sizeof hdr->policy, "%s", pol ? pol : "national");
    free(year);
    free(pol);
}

int ingest_read(const char *path, file_header *hdr, ingest_unit_fn fn, void *arg, msg_lang lang,
                sbuf *err)
{
    memset(hdr, 0, sizeof *hdr);
    hdr->path = path;
    hdr->year = 2025;
    snprintf(hdr->policy, sizeof hdr->policy, "national");
    input_guard g;
    first_error fe = { 0 };
    error_scope scope = errors_to(&fe);
    xmlTextReaderPtr r = open_reader(path, &g, lang, err);
    if (!r) {
        errors_restore(&scope);
        return -1;
    }
    fe.reader = r;
    xmlTextReaderSetStructuredErrorHandler(r, record_error, &fe);
    int rc = 0, ret;
    bool skip = false;   /* after a unit: jump over its subtree so it is freed */
    while ((ret = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r)) == 1) {
        skip = false;
        if (is_doctype(r)) {
            doctype_error(err, lang, path, r);
            rc = -1;
            break;
        }
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) continue;
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        int depth = xmlTextReaderDepth(r);
        if (depth == 0 && !strcmp(name, "appraisal")) read_root(r, hdr);
        else if (depth == 1 && !strcmp(name, "authority")) {
            free(hdr->authority_org);
            free(hdr->authority_hr);
            hdr->authority_org = reader_attr_dup(r, "org");
            hdr->authority_hr = reader_attr_dup(r, "hr");
        } else if (depth == 1 && !strcmp(name, "schedule")) {
            copy_date_attr(r, "noticeStart", hdr->notice_start);
            copy_date_attr(r, "filingDeadline", hdr->filing_deadline);
            copy_date_attr(r, "filedOn", hdr->filed_on);
        } else if (depth == 1 && !strcmp(name, "unit")) {
            xmlNodePtr node = xmlTextReaderExpand(r);
            if (!node) { ret = -1; break; }
            rc = fn(unit_from_node(node, hdr), arg);
            if (rc) break;
            skip = true;
        }
    }
    if (rc == 0 && guard_error(&g, lang, path, err)) rc = -1;
    else if (rc == 0 && (fe.set || ret < 0)) {
        report_reader_error(r, &fe, ret, lang, path, err);
        rc = -1;
    }
    xmlFreeTextReader(r);
    errors_restore(&scope);
    return rc;
}

void ingest_header_free(file_header *hdr)
{
    free(hdr->authority_org);
    free(hdr->authority_hr);
    hdr->authority_org = hdr->authority_hr = NULL;
}
