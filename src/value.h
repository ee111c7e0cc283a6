/* value — the one place where the text of an input value becomes the typed
 * value its XML Schema type means: white space collapsed as the schema does
 * (token, boolean, integer, decimal, date), then the type's lexical rules
 * (1/0/true/false, +5, 05, .5, 5., -0). Pure functions on strings, no state. */
#ifndef KAOHE_VALUE_H
#define KAOHE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

/* XSD whiteSpace="collapse" in place: tabs, line feeds and carriage returns
 * become spaces, runs of spaces become one, leading and trailing ones go.
 * Returns s. For token-typed text that is kept as text (gender, birth). */
char *value_collapse(char *s);

/* The collapsed form of `text` is one of names[0..count-1] (an XSD token
 * enumeration): its index, or -1 (also for NULL text). */
int value_enum(const char *text, const char *const *names, int count);

/* xs:boolean: "true"/"1" and "false"/"0" once collapsed. False when the text
 * is none of them (*out untouched). */
bool value_boolean(const char *text, bool *out);

/* xs:integer within [min, max]: an optional sign, then digits, leading zeros
 * of any length ("+05", "-0", "0007"). False when the text is no integer or
 * out of range, a magnitude of 10^18 or more included (*out untouched). */
bool value_integer(const char *text, long long min, long long max, long long *out);

/* xs:decimal as an exact fix6: optional sign, digits with an optional point
 * ("5", "5.", ".5", "+0.50", "-0"), at most 6 fraction digits once trailing
 * zeros are dropped, magnitude below 10^12 (fix6_parse's range). False
 * otherwise (*out untouched); no exponents, no NaN. */
bool value_decimal(const char *text, fix6 *out);

/* A date typed "\d{4}-\d{2}-\d{2}" (xs:date restricted to that pattern):
 * its collapsed form copied to out when it has that shape. False otherwise
 * (out is then ""). The calendar check is the caller's (date_parse). */
bool value_date(const char *text, char out[11]);

#endif
