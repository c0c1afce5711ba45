/*
 * sdlint.h — the public interface of the sdlint library: what a program needs
 * to embed the checker, and all that cmd/sdlint uses.
 *
 *   sd_init();                                   once, from any thread
 *   sd_checker_options o = {.lang = SD_LANG_EN};
 *   sd_checker *c;  sd_error e;
 *   sd_checker_new(&o, &c, &e);                  schemas and rule packs, compiled once
 *   sd_result r;
 *   sd_checker_check(c, "a.xml", &r, &e);        or sd_checker_check_memory(…bytes…)
 *   … r.diags.items[i] (sd_finding) …, or a formatter: sd_out_find("json")
 *   sd_result_free(&r);  sd_checker_free(c);
 *
 * Public: this header and those it includes for their declarations — error.h
 * (sd_status, sd_error), lang.h, diag.h (sd_finding, sd_diags), buf.h,
 * check.h (sd_checker, sd_result), out.h (formatters), walk.h (folders),
 * write.h (atomic report file), ruledoc.h (rule documentation), select.h
 * (rule selection, "did you mean"), baseline.h (accepted findings), config.h
 * (.sdlint.xml).  check.h
 * pulls the types it needs from load.h, kind.h and sch.h; the functions
 * declared there, and every other header under src/, are internal and may
 * change.  No public header includes libxml2's (its document type is named
 * as struct _xmlDoc), so an embedding program needs only -Isrc and the
 * library's link flags.
 *
 * Contract: a checker is immutable once made, so threads may check different
 * inputs with one checker; the library keeps no global mutable state, never
 * prints, exits, reads the environment or standard input (pass the bytes to
 * sd_checker_check_memory), and reads numbers in packs in the C-locale form
 * whatever setlocale says.
 */
#ifndef SDLINT_H
#define SDLINT_H

#include "baseline.h"
#include "buf.h"
#include "config.h"
#include "check.h"
#include "diag.h"
#include "error.h"
#include "lang.h"
#include "out.h"
#include "ruledoc.h"
#include "select.h"
#include "walk.h"
#include "write.h"

/* libxml2's initialisation, done once per process however many threads call
 * it (pthread_once).  Call before the first checker. */
void sd_init(void);
/* Frees libxml2's global state.  Only at process exit, after every thread is
 * done with the library: nothing may be used afterwards. */
void sd_cleanup(void);
/* The libxml2 version the library runs on, for --version. */
const char *sd_libxml_version(void);

#endif
