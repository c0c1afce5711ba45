/*
 * suppress.h — inline suppressions: <?sdlint disable RULE[,RULE...] -- reason?>
 * before an element silences those rules for the element and its subtree;
 * <?sdlint disable-file RULE... -- reason?> anywhere silences them for the file.
 *
 * Runs in check.c on the parsed document, after every stage has added its
 * findings and before the tree is freed.  Suppressed findings stay in the list
 * (suppressed = 1, suppress_reason set): outputs show them as suppressed and
 * nothing counts them.  A directive without a reason, or one that cannot be
 * read, is a finding itself (SD005, error) and silences nothing; a rule named
 * in a directive that silenced nothing is reported (SD006, warning).
 */
#ifndef SD_SUPPRESS_H
#define SD_SUPPRESS_H

#include <libxml/tree.h>

#include "diag.h"
#include "error.h"
#include "lang.h"

/* Applies doc's directives to d's findings about file (findings about other
 * files, e.g. a subordinate document, are left alone). */
sd_status sd_suppress_apply(xmlDocPtr doc, const char *file, sd_lang lang, sd_diags *d,
                            sd_error *err);

#endif
