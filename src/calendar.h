/* calendar — China's official working-day calendar: the State Council holiday
 * notices (节假日安排) loaded from templates/calendars/YYYY.cal, answering "is
 * this a working day" and counting working days for the notice period (公示). */
#ifndef KAOHE_CALENDAR_H
#define KAOHE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

/* Opaque and immutable once calendar_load_dir returns: every query takes a
 * const pointer and touches no other state, so one calendar can be shared by
 * all worker threads without locking. */
typedef struct calendar calendar;

/* Load every file named exactly "YYYY.cal" in dir (other files, such as the
 * README and LICENSE shipped beside them, are ignored). Each file lists one
 * day per line, sorted by date:
 *     2025-10-01 off 国庆节、中秋节     a holiday (even if it is a weekday)
 *     2025-10-11 work 国庆节、中秋节    a make-up workday (调休), even on a weekend
 * '#' starts a comment line; blank lines are ignored. A file may list days of
 * the neighbouring years (a notice for YYYY often moves days in late YYYY-1),
 * and loading YYYY.cal marks year YYYY as covered. A directory without any
 * .cal file gives an empty calendar (every year falls back).
 * Returns NULL and writes a message to err (naming file:line for a malformed
 * line, or the directory if it cannot be read) on failure; err may be NULL. */
calendar *calendar_load_dir(const char *dir, char *err, size_t errlen);

/* Release a calendar; NULL is ignored. */
void calendar_free(calendar *cal);

/* True if a YYYY.cal file for year was loaded. cal may be NULL (no calendar). */
bool calendar_has_year(const calendar *cal, int year);

/* Is d a working day? A listed day decides (off = holiday, work = make-up
 * workday); otherwise Monday to Friday are working days. When d is not listed
 * and its year has no calendar, the answer is only the Monday–Friday guess:
 * then *fallback is set to true (it is never reset to false, so a caller can
 * initialise it once and learn whether any day of a whole computation was
 * guessed, for warning NO_CALENDAR). fallback may be NULL. cal may be NULL,
 * in which case every day falls back. */
bool calendar_is_workday(const calendar *cal, kh_date d, bool *fallback);

/* The date of the n-th working day counting from `from`, where `from` itself
 * counts as the first if it is a working day (the notice period's last day
 * for a period of n working days starting on `from`). n < 1 is treated as 1.
 * Example: from 2025-09-29 (Monday), n = 5 gives 2025-10-11 (09-29, 09-30,
 * then the National Day holiday, then 10-09, 10-10, and the make-up Saturday
 * 10-11). *fallback as in calendar_is_workday. */
kh_date calendar_nth_workday(const calendar *cal, kh_date from, int n, bool *fallback);

/* The first working day strictly after d (the default notice start after the
 * run date). *fallback as in calendar_is_workday. */
kh_date calendar_next_workday_after(const calendar *cal, kh_date d, bool *fallback);

/* The name of the holiday arrangement d belongs to ("国庆节、中秋节") if d is
 * a listed day (holiday or make-up workday), else NULL. The string is owned by
 * cal and lives as long as it. */
const char *calendar_holiday_name(const calendar *cal, kh_date d);

#endif
