/* msg — the catalog of messages for HR officers: every finding and run error
 * has a stable code and a text in Chinese (default) and English (--lang en).
 * Texts are printf formats; both languages take the same arguments. */
#ifndef KAOHE_MSG_H
#define KAOHE_MSG_H

#include "util.h"

typedef enum { LANG_ZH, LANG_EN } msg_lang;

/* printf format for `code` in `lang`; the code itself if unknown. */
const char *msg_fmt(msg_lang lang, const char *code);
/* The i-th code of the catalog (0-based), NULL past the last: for tests
 * that check every text. */
const char *msg_code_at(size_t i);
/* Append the formatted message for `code` to b. */
void msg_format(sbuf *b, msg_lang lang, const char *code, ...);
/* A few words naming what a finding `code` is about, for a form's column
 * (the run's summary: 问题), never the code itself: "其他问题" for a code
 * without a title. */
const char *msg_title(msg_lang lang, const char *code);

/* A system error (errno) in `lang` with its name, "磁盘空间不足（ENOSPC）",
 * not glibc's English; a constant string, safe from any thread. */
const char *msg_syserr(msg_lang lang, int errnum);
/* Label of a bucket ("admin-leader" -> "行政领导职务"). */
const char *msg_bucket_label(msg_lang lang, const char *bucket_name);

#endif
