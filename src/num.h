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

/* Parses s as  -?(DIGITS(.DIGITS?)?|.DIGITS)  — no sign '+', no exponent, no
 * hex, no inf/nan, no spaces, whatever the locale.  Returns 0 with *out set,
 * or -1 (s is not such a number, or NULL). */
int sd_num_parse_double(const char *s, double *out);

#endif
