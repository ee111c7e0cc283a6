/* charcheck — the characters of a unit's and its persons' text that no font
 * face can print (they print as the placeholder □): one warning per person,
 * field and character, naming all four, for the officer to write by hand. */
#ifndef KAOHE_CHARCHECK_H
#define KAOHE_CHARCHECK_H

#include "diag.h"
#include "font.h"
#include "model.h"
#include "msg.h"
#include "util.h"

/* Check the unit's name and every text field of its persons against every
 * role's chain of faces; add a FONT_MISSING_GLYPH warning to dl for each
 * character some role cannot print, naming the person (none for the unit's
 * own fields). Returns the number of characters. */
size_t charcheck_unit(const font_set *fs, const unit *u, diag_list *dl);

#endif
