/* valuegen — see valuegen.h. */
#include "valuegen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#define XS_NS "http://www.w3.org/2001/XMLSchema"

uint64_t vg_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int below(uint64_t *r, int n) { return (int)(vg_next(r) % (uint64_t)n); }
static bool chance(uint64_t *r, int percent) { return below(r, 100) < percent; }
static const char *pick(uint64_t *r, const char *const *v, int n) { return v[below(r, n)]; }
#define PICK(r, arr) pick(r, arr, (int)(sizeof arr / sizeof *arr))

/* --- the schema's attribute types ------------------------------------------ */

typedef struct vg_attr {
    char *element, *attr;
    vg_kind kind;
} vg_attr;

struct vg_types {
    vg_attr *a;
    int n, cap;
};

static bool is_xs(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && !strcmp((const char *)n->ns->href, XS_NS) &&
           !strcmp((const char *)n->name, name);
}

static char *prop(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static xmlNodePtr first_xs_child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_xs(c, name)) return c;
    return NULL;
}

/* A top-level xs:simpleType or xs:complexType by name. */
static xmlNodePtr top_level(xmlNodePtr root, const char *what, const char *name)
{
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!is_xs(c, what)) continue;
        char *n = prop(c, "name");
        bool hit = n && !strcmp(n, name);
        xmlFree(n);
        if (hit) return c;
    }
    return NULL;
}

static bool builtin_kind(const char *local, vg_kind *k)
{
    static const char *const strings[] = { "string", "normalizedString", "anyURI", "ID", "IDREF" };
    static const char *const blanks[] = { "token", "NMTOKEN", "Name", "NCName", "language", "date",
                                          "gYearMonth", "gYear", "gMonth", "gDay", "gMonthDay", "dateTime",
                                          "time", "duration" };
    static const char *const integers[] = { "integer", "positiveInteger", "nonNegativeInteger",
                                            "negativeInteger", "nonPositiveInteger", "long", "int", "short",
                                            "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte" };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        if (!strcmp(local, strings[i])) return *k = VG_STRING, true;
    for (size_t i = 0; i < sizeof blanks / sizeof *blanks; i++)
        if (!strcmp(local, blanks[i])) return *k = VG_BLANKS, true;
    for (size_t i = 0; i < sizeof integers / sizeof *integers; i++)
        if (!strcmp(local, integers[i])) return *k = VG_INTEGER, true;
    if (!strcmp(local, "boolean")) return *k = VG_BOOLEAN, true;
    if (!strcmp(local, "decimal")) return *k = VG_DECIMAL, true;
    return false;
}

static bool simple_kind(xmlDocPtr doc, xmlNodePtr st, vg_kind *k, char *err, size_t errlen, int depth);

/* The kind of a type named by a QName in the context of node `ctx`. */
static bool qname_kind(xmlDocPtr doc, xmlNodePtr ctx, const char *qname, vg_kind *k, char *err, size_t errlen,
                       int depth)
{
    const char *colon = strchr(qname, ':');
    char prefix[64] = "";
    if (colon) snprintf(prefix, sizeof prefix, "%.*s", (int)(colon - qname), qname);
    const char *local = colon ? colon + 1 : qname;
    xmlNsPtr ns = xmlSearchNs(doc, ctx, colon ? (const xmlChar *)prefix : NULL);
    if (ns && !strcmp((const char *)ns->href, XS_NS)) {
        if (builtin_kind(local, k)) return true;
        snprintf(err, errlen, "type %s is not known to the respeller", qname);
        return false;
    }
    xmlNodePtr st = top_level(xmlDocGetRootElement(doc), "simpleType", local);
    if (!st) {
        snprintf(err, errlen, "no simpleType %s", qname);
        return false;
    }
    return simple_kind(doc, st, k, err, errlen, depth + 1);
}

/* A restriction takes its base's kind; a union its first member's. */
static bool simple_kind(xmlDocPtr doc, xmlNodePtr st, vg_kind *k, char *err, size_t errlen, int depth)
{
    if (depth > 20) {
        snprintf(err, errlen, "type definitions nest too deep");
        return false;
    }
    for (xmlNodePtr c = st->children; c; c = c->next) {
        if (is_xs(c, "restriction") || is_xs(c, "union")) {
            char *ref = prop(c, is_xs(c, "restriction") ? "base" : "memberTypes");
            bool ok;
            if (ref) {
                char first[128];
                sscanf(ref, "%127s", first);
                ok = qname_kind(doc, c, first, k, err, errlen, depth);
            } else {
                xmlNodePtr inner = first_xs_child(c, "simpleType");
                ok = inner && simple_kind(doc, inner, k, err, errlen, depth + 1);
                if (!inner) snprintf(err, errlen, "a restriction or union without a type");
            }
            xmlFree(ref);
            return ok;
        }
        if (is_xs(c, "list")) {
            snprintf(err, errlen, "xs:list is not known to the respeller");
            return false;
        }
    }
    snprintf(err, errlen, "an empty simpleType");
    return false;
}

static void add_attr(vg_types *t, const char *element, const char *attr, vg_kind kind)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->a = xrealloc(t->a, (size_t)t->cap * sizeof *t->a);
    }
    t->a[t->n++] = (vg_attr){ xstrdup(element), xstrdup(attr), kind };
}

/* Elements declared with type="k:NAME" (a named complex type's owners). */
static void add_for_typed_elements(vg_types *t, xmlNodePtr n, const char *type_local, const char *attr,
                                   vg_kind kind)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (is_xs(c, "element")) {
            char *type = prop(c, "type"), *name = prop(c, "name");
            const char *colon = type ? strchr(type, ':') : NULL;
            if (name && colon && !strcmp(colon + 1, type_local)) add_attr(t, name, attr, kind);
            xmlFree(type);
            xmlFree(name);
        }
        add_for_typed_elements(t, c, type_local, attr, kind);
    }
}

static bool read_attribute(vg_types *t, xmlDocPtr doc, xmlNodePtr a, char *err, size_t errlen)
{
    char *name = prop(a, "name"), *type = prop(a, "type");
    vg_kind kind = VG_STRING;
    bool ok = name != NULL;
    if (!ok) snprintf(err, errlen, "an attribute without a name (line %ld)", xmlGetLineNo(a));
    xmlNodePtr inner = first_xs_child(a, "simpleType");
    if (ok && type) ok = qname_kind(doc, a, type, &kind, err, errlen, 0);
    else if (ok && inner) ok = simple_kind(doc, inner, &kind, err, errlen, 0);
    /* the owner: the nearest named element, or a named complex type's elements */
    for (xmlNodePtr up = a->parent; ok && up && up->type == XML_ELEMENT_NODE; up = up->parent) {
        char *owner = prop(up, "name");
        bool done = false;
        if (owner && is_xs(up, "element")) {
            add_attr(t, owner, name, kind);
            done = true;
        } else if (owner && is_xs(up, "complexType")) {
            add_for_typed_elements(t, xmlDocGetRootElement(doc), owner, name, kind);
            done = true;
        }
        xmlFree(owner);
        if (done) break;
    }
    xmlFree(name);
    xmlFree(type);
    return ok;
}

static bool walk_attributes(vg_types *t, xmlDocPtr doc, xmlNodePtr n, char *err, size_t errlen)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is_xs(c, "attribute") && !read_attribute(t, doc, c, err, errlen)) return false;
        if (c->type == XML_ELEMENT_NODE && !walk_attributes(t, doc, c, err, errlen)) return false;
    }
    return true;
}

vg_types *vg_types_load(const char *xsd_path, char *err, size_t errlen)
{
    xmlDocPtr doc = xmlReadFile(xsd_path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        snprintf(err, errlen, "%s: does not parse", xsd_path);
        return NULL;
    }
    vg_types *t = xcalloc(1, sizeof *t);
    if (!walk_attributes(t, doc, xmlDocGetRootElement(doc), err, errlen)) {
        vg_types_free(t);
        t = NULL;
    }
    xmlFreeDoc(doc);
    return t;
}

void vg_types_free(vg_types *t)
{
    if (!t) return;
    for (int i = 0; i < t->n; i++) {
        free(t->a[i].element);
        free(t->a[i].attr);
    }
    free(t->a);
    free(t);
}

vg_kind vg_types_kind(const vg_types *t, const char *element, const char *attr)
{
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->a[i].element, element) && !strcmp(t->a[i].attr, attr)) return t->a[i].kind;
    return VG_STRING;
}

int vg_types_count(const vg_types *t, int *typed)
{
    *typed = 0;
    for (int i = 0; i < t->n; i++) *typed += t->a[i].kind != VG_STRING;
    return t->n;
}

/* --- respelling ------------------------------------------------------------- */

static void blanks(uint64_t *r, sbuf *b, int min)
{
    static const char ws[] = " \t\n\r";
    for (int n = min + below(r, 4 - min); n > 0; n--) sbuf_putc(b, ws[below(r, 4)]);
}

static void zeros(uint64_t *r, sbuf *b, int max)
{
    for (int n = below(r, max + 1); n > 0; n--) sbuf_putc(b, '0');
}

/* The test's own reading of a plain literal: [sign] int [. frac], with the
 * int part's leading zeros and the fraction's trailing zeros dropped. */
typedef struct literal {
    char sign;
    char whole[64], frac[64];
} literal;

static bool literal_read(const char *s, literal *l)
{
    memset(l, 0, sizeof *l);
    if (*s == '+' || *s == '-') l->sign = *s++;
    while (*s == '0' && s[1] >= '0' && s[1] <= '9') s++;
    size_t n = strspn(s, "0123456789");
    if (n >= sizeof l->whole) return false;
    memcpy(l->whole, s, n);
    s += n;
    if (*s == '.') {
        s++;
        n = strspn(s, "0123456789");
        if (n >= sizeof l->frac) return false;
        memcpy(l->frac, s, n);
        s += n;
        while (n && l->frac[n - 1] == '0') l->frac[--n] = '\0';
    }
    if (!strcmp(l->whole, "0")) l->whole[0] = '\0';
    return *s == '\0';
}

static void respell_sign(uint64_t *r, const literal *l, sbuf *b)
{
    bool zero = !l->whole[0] && !l->frac[0];
    if (l->sign == '-' && !zero) sbuf_putc(b, '-');
    else if (zero && chance(r, 30)) sbuf_putc(b, '-');   /* -0 is 0 */
    else if (chance(r, 50)) sbuf_putc(b, '+');
}

static void respell_integer(uint64_t *r, const literal *l, sbuf *b)
{
    respell_sign(r, l, b);
    zeros(r, b, 3);
    sbuf_puts(b, l->whole[0] ? l->whole : "0");
}

static void respell_decimal(uint64_t *r, const literal *l, sbuf *b)
{
    respell_sign(r, l, b);
    size_t before = b->len;
    zeros(r, b, 2);
    sbuf_puts(b, l->whole);
    bool has_int = b->len > before;
    if (l->frac[0]) {
        sbuf_printf(b, ".%s", l->frac);   /* ".5" when no integer digit */
        zeros(r, b, 3);
    } else if (!has_int) {
        sbuf_puts(b, chance(r, 50) ? "0" : ".0");
    } else {
        static const char *const tails[] = { "", ".", ".0", ".000" };
        sbuf_puts(b, PICK(r, tails));   /* 5, 5., 5.0 */
    }
}

/* One value in another valid spelling of the same kind (never the same text
 * when another exists). */
static void respell_value(uint64_t *r, vg_kind kind, const char *plain, sbuf *out)
{
    char body[160];
    sbuf_clear(out);
    const char *s = plain;
    while (*s && strchr(" \t\n\r", *s)) s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\n\r", s[n - 1])) n--;
    if (kind == VG_STRING || n == 0 || n >= sizeof body) {
        sbuf_puts(out, plain);   /* strings, and an empty member of a union */
        return;
    }
    memcpy(body, s, n);
    body[n] = '\0';
    literal l;
    if ((kind == VG_INTEGER || kind == VG_DECIMAL) && !literal_read(body, &l)) kind = VG_BLANKS;
    for (int attempt = 0; attempt < 8; attempt++) {
        sbuf_clear(out);
        blanks(r, out, 0);
        size_t mark = out->len;
        if (kind == VG_BOOLEAN) {
            static const char *const t[] = { "true", "1" }, *const f[] = { "false", "0" };
            bool yes = !strcmp(body, "true") || !strcmp(body, "1");
            sbuf_puts(out, yes ? PICK(r, t) : PICK(r, f));
        } else if (kind == VG_INTEGER) respell_integer(r, &l, out);
        else if (kind == VG_DECIMAL) respell_decimal(r, &l, out);
        else sbuf_puts(out, body);
        bool body_same = out->len - mark == n && !memcmp(out->data + mark, body, n);
        blanks(r, out, body_same && mark == 0 ? 1 : 0);
        if (strcmp(out->data, plain)) return;
    }
}

static int respell_tree(const vg_types *t, xmlNodePtr n, uint64_t *r, sbuf *tmp)
{
    int changed = 0;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            vg_kind kind = vg_types_kind(t, (const char *)n->name, (const char *)a->name);
            if (kind == VG_STRING) continue;
            xmlChar *v = xmlGetProp(n, a->name);
            respell_value(r, kind, v ? (const char *)v : "", tmp);
            if (v && strcmp((const char *)v, tmp->data)) {
                xmlSetProp(n, a->name, (const xmlChar *)tmp->data);
                changed++;
            }
            xmlFree(v);
        }
        changed += respell_tree(t, n->children, r, tmp);
    }
    return changed;
}

int vg_respell(const vg_types *t, const char *xml, uint64_t seed, sbuf *out)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "input.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) return -1;
    uint64_t r = seed;
    sbuf tmp = { 0 };
    int changed = respell_tree(t, xmlDocGetRootElement(doc), &r, &tmp);
    sbuf_free(&tmp);
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &len, "UTF-8");
    sbuf_add(out, (const char *)mem, (size_t)len);
    xmlFree(mem);
    xmlFreeDoc(doc);
    return changed;
}

/* --- plain inputs ----------------------------------------------------------- */

static const char *const presets[] = { "national", "jiaozuo-2007", "zhangzhou", "quannan-2011", "lvzhi",
                                       "baoshan-2022" };
static const char *const grades[] = { "excellent", "excellent", "competent", "basic", "incompetent" };

static void plain_bool(uint64_t *r, sbuf *b, const char *name, int true_percent)
{
    bool v = chance(r, true_percent);
    /* the plain form of a boolean is either of its spellings */
    sbuf_printf(b, " %s=\"%s\"", name, chance(r, 80) ? (v ? "true" : "false") : (v ? "1" : "0"));
}

static void plain_decimal(sbuf *b, const char *name, fix6 v)
{
    char s[48];
    fix6_format_plain(v, s, sizeof s);
    sbuf_printf(b, " %s=\"%s\"", name, s);
}

/* A ratio as an authority writes it: round steps mostly, 6 digits sometimes. */
static fix6 some_ratio(uint64_t *r)
{
    static const int steps[] = { 0, 5, 8, 10, 15, 20, 25, 30, 50, 100 };
    if (chance(r, 15)) return below(r, (int)FIX_ONE + 1);
    return steps[below(r, (int)(sizeof steps / sizeof *steps))] * (FIX_ONE / 100);
}

static void gen_date(uint64_t *r, sbuf *b, const char *name, int year, int month)
{
    sbuf_printf(b, " %s=\"%04d-%02d-%02d\"", name, year, month, 1 + below(r, 28));
}

static void gen_header(uint64_t *r, sbuf *b, int year)
{
    int n = below(r, 3);
    for (int i = 0; i < n; i++) {
        if (chance(r, 50)) {
            sbuf_puts(b, "  <authority");
            if (chance(r, 70)) sbuf_puts(b, " org=\"中共某市委组织部\"");
            if (chance(r, 70)) sbuf_puts(b, " hr=\"某市人力资源和社会保障局\"");
            sbuf_puts(b, "/>\n");
        } else {
            sbuf_puts(b, "  <schedule");
            if (chance(r, 60)) gen_date(r, b, "noticeStart", chance(r, 70) ? year : year + 1, chance(r, 50) ? 12 : 9);
            if (chance(r, 60)) gen_date(r, b, "filingDeadline", year + 1, 1);
            if (chance(r, 60)) gen_date(r, b, "filedOn", year + 1, 1 + below(r, 2));
            sbuf_puts(b, "/>\n");
        }
    }
}

static void gen_status(uint64_t *r, sbuf *b, int year)
{
    static const char *const leave[] = { "sick", "personal", "study", "maternity" };
    static const char *const sanction[] = { "none", "warning", "demerit", "major-demerit", "demotion", "removal" };
    sbuf_puts(b, "<status");
    if (chance(r, 30)) sbuf_printf(b, " leaveMonths=\"%d\"", below(r, 13));
    if (chance(r, 25)) sbuf_printf(b, " leaveType=\"%s\"", PICK(r, leave));
    if (chance(r, 20)) plain_bool(r, b, "probation", 40);
    if (chance(r, 25)) sbuf_printf(b, " monthsInUnit=\"%d\"", below(r, 13));
    if (chance(r, 25)) sbuf_printf(b, " assignment=\"%s\"", chance(r, 50) ? "seconded" : "regular");
    if (chance(r, 20)) plain_bool(r, b, "underInvestigation", 40);
    if (chance(r, 25)) sbuf_printf(b, " sanction=\"%s\"", PICK(r, sanction));
    if (chance(r, 10)) sbuf_puts(b, " sanctionYear=\"\"");
    else if (chance(r, 20)) sbuf_printf(b, " sanctionYear=\"%d\"", year - below(r, 2));
    if (chance(r, 20)) plain_bool(r, b, "refused", 40);
    if (chance(r, 30)) sbuf_printf(b, " routineRecords=\"%d\"", below(r, 6));
    sbuf_puts(b, "/>");
}

static void gen_scores(uint64_t *r, sbuf *b)
{
    static const char *const names[] = { "halfYear", "annual", "internal", "team", "duty", "poll" };
    static const char *const labels[] = { "优秀", "良好", "一般", "较差" };
    sbuf_puts(b, "<scores>");
    for (int i = below(r, 5); i > 0; i--) {
        const char *name = PICK(r, names);
        if (chance(r, 30) && (name == names[0] || name == names[1]))
            sbuf_printf(b, "<component name=\"%s\" value=\"%s\"/>", name, PICK(r, labels));
        else {
            char v[48];
            fix6_format_plain(below(r, 101) * FIX_ONE + (chance(r, 40) ? below(r, 100) * 10000 : 0), v, sizeof v);
            sbuf_printf(b, "<component name=\"%s\" value=\"%s\"/>", name, v);
        }
    }
    sbuf_puts(b, "</scores>");
}

static void gen_person(uint64_t *r, sbuf *b, int unit_no, int k, int year)
{
    static const char *const cats[] = { "civil-servant", "managed", "institution", "other" };
    static const char *const roles[] = { "staff", "leader", "main-leader" };
    sbuf_printf(b, "    <person id=\"P%d-%d\" name=\"人员%d\" category=\"%s\"", unit_no, k, k, PICK(r, cats));
    if (chance(r, 50)) sbuf_printf(b, " role=\"%s\"", PICK(r, roles));
    if (chance(r, 50)) sbuf_printf(b, " gender=\"%s\"", chance(r, 50) ? "男" : "女");
    if (chance(r, 40)) sbuf_printf(b, " birth=\"%d-%02d\"", 1960 + below(r, 40), 1 + below(r, 12));
    if (chance(r, 30)) sbuf_printf(b, " postSince=\"%d-%02d\"", 2000 + below(r, 25), 1 + below(r, 12));
    if (chance(r, 30)) sbuf_puts(b, " ethnicity=\"汉族\" political=\"中共党员\" education=\"大学本科\"");
    if (chance(r, 30)) sbuf_puts(b, " post=\"科员\" rank=\"一级科员\"");
    sbuf_puts(b, ">");
    int children = below(r, 7);
    for (int i = 0; i < children; i++) {
        switch (below(r, 6)) {
        case 0: gen_status(r, b, year); break;
        case 1: sbuf_puts(b, "<summary>个人总结。</summary>"); break;
        case 2:
            sbuf_puts(b, "<votes");
            if (chance(r, 80)) sbuf_printf(b, " excellent=\"%d\"", below(r, 30));
            if (chance(r, 80)) sbuf_printf(b, " competent=\"%d\"", below(r, 30));
            if (chance(r, 50)) sbuf_printf(b, " basic=\"%d\"", below(r, 10));
            if (chance(r, 50)) sbuf_printf(b, " incompetent=\"%d\"", below(r, 10));
            sbuf_puts(b, "/>");
            break;
        case 3: gen_scores(r, b); break;
        case 4:
            sbuf_puts(b, "<proposal");
            if (chance(r, 70)) sbuf_printf(b, " grade=\"%s\"", PICK(r, grades));
            if (chance(r, 40)) plain_bool(r, b, "advanced", 60);
            if (chance(r, 20)) sbuf_puts(b, " comment=\"表现良好\"");
            sbuf_puts(b, "/>");
            break;
        default:
            sbuf_puts(b, "<history>");
            for (int y = below(r, 5); y > 0; y--)
                sbuf_printf(b, "<year value=\"%d\" grade=\"%s\"/>", year - below(r, 5) - 1, PICK(r, grades));
            sbuf_puts(b, "</history>");
        }
    }
    sbuf_puts(b, "</person>\n");
}

/* zhangzhou items: given points (some beyond the item's range) and counts. */
static void gen_assessment(uint64_t *r, sbuf *b)
{
    static const char *const counted[] = { "late-meeting", "contribution", "innovation", "veto", "late-early",
                                           "research-adopted", "advanced-city" };
    static const char *const given[] = { "creation", "finance", "training", "service-center" };
    sbuf_puts(b, "    <assessment scheme=\"zhangzhou\">");
    if (chance(r, 90)) {
        sbuf_puts(b, "<item ref=\"basic\"");
        plain_decimal(b, "points", below(r, 451) * FIX_ONE + (chance(r, 30) ? below(r, 10) * 100000 : 0));
        sbuf_puts(b, "/>");
    }
    for (int i = below(r, 5); i > 0; i--) {
        if (chance(r, 60)) sbuf_printf(b, "<item ref=\"%s\" count=\"%d\"/>", PICK(r, counted), below(r, 6));
        else {
            sbuf_printf(b, "<item ref=\"%s\"", PICK(r, given));
            plain_decimal(b, "points", below(r, 11) * FIX_ONE / (chance(r, 50) ? 1 : 2));
            sbuf_puts(b, "/>");
        }
    }
    sbuf_puts(b, "</assessment>\n");
}

/* One child element of a unit other than <person> (those are added apart). */
static void gen_unit_child(uint64_t *r, sbuf *b)
{
    static const char *const routine[] = { "good", "poor", "none" };
    static const char *const perf[] = { "excellent", "qualified", "unqualified" };
    switch (below(r, 6)) {
    case 0:
        sbuf_puts(b, "    <establishment");
        if (chance(r, 70)) sbuf_printf(b, " admin=\"%d\"", below(r, 100));
        if (chance(r, 70)) sbuf_printf(b, " institution=\"%d\"", below(r, 100));
        sbuf_puts(b, "/>\n");
        break;
    case 1:
        sbuf_puts(b, "    <factors");
        if (chance(r, 50)) plain_bool(r, b, "targetAdvanced", 60);
        if (chance(r, 50)) plain_bool(r, b, "ministerialCommendation", 40);
        if (chance(r, 50)) plain_bool(r, b, "civilizedUnit", 60);
        if (chance(r, 50)) plain_bool(r, b, "collectiveMerit", 40);
        if (chance(r, 50)) sbuf_printf(b, " routineAssessment=\"%s\"", PICK(r, routine));
        if (chance(r, 40)) plain_bool(r, b, "majorAccident", 40);
        sbuf_puts(b, "/>\n");
        break;
    case 2:
        sbuf_puts(b, "    <performance");
        if (chance(r, 60)) sbuf_printf(b, " grade=\"%s\"", PICK(r, perf));
        if (chance(r, 50)) {
            fix6 v = chance(r, 10) ? (fix6)(below(r, 2000001) - 1000000) * FIX_ONE
                                   : below(r, 1001) * FIX_ONE + below(r, 100) * 10000;
            if (chance(r, 10)) v = -v;
            plain_decimal(b, "score", v);
        }
        sbuf_puts(b, "/>\n");
        break;
    case 3:
        sbuf_puts(b, "    <quota");
        if (chance(r, 80)) plain_decimal(b, "approvedRatio", some_ratio(r));
        sbuf_puts(b, "/>\n");
        break;
    case 4: sbuf_puts(b, "    <contact name=\"王五\" phone=\"0391-1234567\"/>\n"); break;
    default: gen_assessment(r, b);
    }
}

static void gen_unit(uint64_t *r, sbuf *b, int unit_no, int year)
{
    static const char *const kinds[] = { "organ", "managed", "institution" };
    sbuf_printf(b, "  <unit id=\"U%d\" name=\"单位%d\"", unit_no, unit_no);
    if (chance(r, 50)) sbuf_printf(b, " kind=\"%s\"", PICK(r, kinds));
    if (chance(r, 50)) sbuf_printf(b, " series=\"%d\"", 1 + below(r, 3));
    sbuf_puts(b, ">\n");
    /* children in a random order: singletons (a repeated one: the last wins)
     * and persons shuffled together */
    int n_other = below(r, 5), n_persons = below(r, 9), n = n_other + n_persons;
    int order[16];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = below(r, i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int i = 0; i < n; i++) {
        if (order[i] < n_other) gen_unit_child(r, b);
        else gen_person(r, b, unit_no, order[i] - n_other, year);
    }
    sbuf_puts(b, "  </unit>\n");
}

void vg_input(uint64_t seed, sbuf *b)
{
    static const int years[] = { 2024, 2025, 2025, 2026, 2031 };   /* 2031: no calendar */
    uint64_t r = seed;
    int year = years[below(&r, 5)];
    bool year_given = chance(&r, 80) || year != 2025;
    sbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<appraisal xmlns=\"urn:kaohe:appraisal:1\"");
    if (year_given) sbuf_printf(b, " year=\"%d\"", year);
    if (chance(&r, 85)) sbuf_printf(b, " policy=\"%s\"", PICK(&r, presets));
    sbuf_puts(b, ">\n");
    gen_header(&r, b, year);
    for (int u = 1, n = 1 + below(&r, 3); u <= n; u++) gen_unit(&r, b, u, year);
    sbuf_puts(b, "</appraisal>\n");
}
