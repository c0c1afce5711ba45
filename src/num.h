/*
 * num.h — reading numbers from pack and user text, whatever the process locale.
 *
 * strtod follows LC_NUMERIC: a program that embeds the library and calls
 * setlocale(LC_ALL, "") under de_DE reads "0.30" as 0 with "…30" left over,
 * so a number parameter of the built-in pack would not load.  Numbers in packs
 * and in --param are the C-locale form XPath 1.0 reads, and only that.
 */
#ifndef SD_NUM_H
#define SD_NUM_H

#include <locale.h>

/* Parses s as  -?(DIGITS(.DIGITS?)?|.DIGITS)  — no sign '+', no exponent, no
 * hex, no inf/nan, no spaces, whatever the locale.  Returns 0 with *out set,
 * or -1 (s is not such a number, or NULL). */
int sd_num_parse_double(const char *s, double *out);

/* libxml2 writes XPath numbers with printf, so under a comma locale
 * string(25.5) is "25,5" in a message.  A check runs between these two calls:
 * the calling thread alone uses the C locale (uselocale), and gets its own
 * back after.  begin returns what end needs ((locale_t)0 when nothing changed). */
locale_t sd_num_c_locale_begin(void);
void sd_num_c_locale_end(locale_t previous);

#endif
