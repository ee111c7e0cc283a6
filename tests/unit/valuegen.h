/* valuegen — the property test of SPEC 3.4a (issue 22): seeded generators of
 * schema-valid appraisal inputs, and a respeller that writes an input again
 * with every typed attribute in another valid lexical form. The respeller
 * learns each attribute's type from the XSD itself (not from the program's
 * value module), so a type the program misreads cannot hide in both. */
#ifndef KAOHE_VALUEGEN_H
#define KAOHE_VALUEGEN_H

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

/* How an attribute's XSD type lets it be respelled. */
typedef enum {
    VG_STRING,     /* xs:string and its restrictions: one spelling per value */
    VG_BLANKS,     /* collapsed, no other freedom: tokens, dates, year-months */
    VG_BOOLEAN,    /* collapsed; true/1, false/0 */
    VG_INTEGER,    /* collapsed; sign, leading zeros, -0 */
    VG_DECIMAL     /* collapsed; sign, leading and trailing zeros, .5, 5., -0 */
} vg_kind;

typedef struct vg_types vg_types;

/* Read the typed attributes of the schema at xsd_path: for each attribute,
 * the element it belongs to and its kind (a union takes its first member's
 * kind; an empty value of it stays as written). NULL with a message in err
 * when the schema uses a type the respeller does not know. */
vg_types *vg_types_load(const char *xsd_path, char *err, size_t errlen);
void vg_types_free(vg_types *t);
/* Kind of attribute `attr` of element `element` (VG_STRING when unknown). */
vg_kind vg_types_kind(const vg_types *t, const char *element, const char *attr);
/* Number of (element, attribute) pairs read, and of those not VG_STRING. */
int vg_types_count(const vg_types *t, int *typed);

/* An input of case `seed`: 1-3 units of 0-8 persons in random child order,
 * every element and attribute of the schema present or absent at random,
 * values across their ranges (ratios above a preset's maximum, explicit
 * grades beyond the quota, refusals, leave, sanctions, assessments), under a
 * random preset and year. Every number and boolean is written plainly.
 * Appends the document to b. */
void vg_input(uint64_t seed, sbuf *b);

/* The same document with every typed attribute respelled (seeded): the text
 * as libxml2 serialises it, blanks written as character references where the
 * parser would otherwise normalise them. Appends to out; returns the number
 * of attributes respelled, or -1 when xml does not parse. */
int vg_respell(const vg_types *t, const char *xml, uint64_t seed, sbuf *out);

/* splitmix64: the generators' random stream. */
uint64_t vg_next(uint64_t *state);

#endif
