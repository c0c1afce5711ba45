/*
 * config.h — the configuration file .sdlint.xml (schemas/config.xsd).
 *
 * Where it sits in a run: the command finds, for each checked file, the
 * nearest .sdlint.xml from the file's folder upward (sd_config_find), loads
 * it once (sd_config_load: parsed safely and validated against the embedded
 * config.xsd), and resolves the settings for that file (sd_config_resolve):
 * top-level settings, then each <override path="GLOB"> whose glob matches the
 * file's path relative to the configuration's folder.  The command then lets
 * its own options win, picks a checker for the tier, parameters and extra
 * packs, filters findings by the selection and severities, and takes the
 * fail level.  Every resolved value keeps where it came from ("FILE:LINE",
 * with the override's glob), for `sdlint config FILE`.
 *
 * Rule codes are ids or prefixes ("SD1"; "ALL"), case-insensitive, with the
 * rules of select.h (the most specific entry wins; an ignore wins a tie), and
 * the command line's --select replaces the list, --extend-select and --ignore
 * add to it, --fail-level replaces.
 * Fatal findings are never dropped or changed.
 *
 * Cost: finding stats at most one file per folder level; resolving is
 * linear in the configuration; filtering is O(findings × codes).
 */
#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include <stddef.h>

#include "diag.h"
#include "error.h"

typedef struct sd_config sd_config;

/* One resolved value and where it came from. */
typedef struct sd_config_item {
    char *name;   /* param name, severity's rule code; NULL otherwise */
    char *value;  /* the value (a pack as an absolute path) */
    char *origin; /* "FILE:LINE", "FILE:LINE (override GLOB)", "command line" */
} sd_config_item;

typedef struct sd_config_list {
    sd_config_item *items;
    size_t count, cap;
} sd_config_list;

typedef struct sd_config_resolved {
    char *file;            /* the .sdlint.xml that applies, NULL when none */
    sd_config_list tier;   /* at most one item */
    sd_config_list params; /* name=value, one per name */
    sd_config_list packs;  /* extra packs, besides the built-in or --rules ones */
    sd_config_list select; int select_given;
    sd_config_list extend;
    sd_config_list ignore;
    sd_config_list severity; /* name = rule code, value = error|warning|info */
    sd_config_list fail_level; /* at most one item */
    sd_config_list catalogue;  /* at most one item: a plan's catalogue when the plan names
                                  none and --catalogue is not given (joined to the
                                  configuration's folder) */
} sd_config_resolved;

/* The nearest .sdlint.xml for the file at abs_path (absolute; it need not
 * exist), searching its folder and each parent up to the first one holding
 * .git, or up to /.  *out is NULL when there is none. */
sd_status sd_config_find(const char *abs_path, char **out, sd_error *err);
/* Loads and validates a configuration file; errors name FILE:LINE. */
sd_status sd_config_load(const char *path, sd_config **out, sd_error *err);
/* The settings of cfg (may be NULL) for the file at abs_path. */
sd_status sd_config_resolve(const sd_config *cfg, const char *abs_path, sd_config_resolved *out,
                            sd_error *err);
/* Sets a single-valued list (tier, fail_level) or adds to one; replaces an
 * item of the same name in params. */
sd_status sd_config_set(sd_config_list *l, const char *name, const char *value,
                        const char *origin, int single, sd_error *err);
void sd_config_list_clear(sd_config_list *l);
void sd_config_resolved_free(sd_config_resolved *r);
void sd_config_free(sd_config *cfg);

/* 1 when rule id is reported under r's selection. */
int sd_config_rule_enabled(const sd_config_resolved *r, const char *id);
/* Drops the findings of rules not selected, then gives the others their
 * configured severity (fatal findings are left alone). */
void sd_config_filter(const sd_config_resolved *r, sd_diags *d);
/* The fail level (a severity), SD_SEV_ERROR by default. */
int sd_config_fail_level(const sd_config_resolved *r);

#endif
