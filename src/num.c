/*
 * num.c — locale-independent decimal numbers (see num.h).
 *
 * The form is checked here by hand; the value comes from strtod_l with a C
 * locale made once per process (pthread_once, never freed, read-only after),
 * so it is correctly rounded and the same under every setlocale.  The same
 * locale object is what a check runs under (uselocale, per thread), so that
 * libxml2's number formatting does not follow the host program's locale.
 * Cost: one pass over the text; uselocale is a thread-local store.
 */
#define _GNU_SOURCE /* strtod_l, newlocale */
#include "num.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>

static pthread_once_t c_once = PTHREAD_ONCE_INIT;
static locale_t c_locale = (locale_t)0;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

locale_t sd_num_c_locale_begin(void)
{
    pthread_once(&c_once, make_c_locale);
    return c_locale == (locale_t)0 ? (locale_t)0 : uselocale(c_locale);
}

void sd_num_c_locale_end(locale_t previous)
{
    if (previous != (locale_t)0)
        uselocale(previous);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int sd_num_parse_double(const char *s, double *out)
{
    if (s == NULL)
        return -1;
    const char *p = s;
    if (*p == '-')
        p++;
    size_t before = 0, after = 0;
    while (is_digit(*p))
        p++, before++;
    if (*p == '.') {
        p++;
        while (is_digit(*p))
            p++, after++;
    }
    if (*p != '\0' || before + after == 0)
        return -1;
    pthread_once(&c_once, make_c_locale);
    if (c_locale == (locale_t)0)
        return -1;
    char *end;
    double x = strtod_l(s, &end, c_locale);
    if (*end != '\0')
        return -1;
    if (out)
        *out = x;
    return 0;
}
