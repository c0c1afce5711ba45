/*
 * cmd.h — what the command's files share: the parsed options and the
 * subcommands.  Not part of the library.
 */
#ifndef SDLINT_CMD_H
#define SDLINT_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "sdlint.h"

#define SDLINT_VERSION "0.1.0"
/* The tool's home page, for SARIF's informationUri and each rule's helpUri. */
#define SDLINT_HOMEPAGE "https://github.com/sdlint/sdlint"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

typedef struct options {
    const char *subcommand; /* "rules", "explain", "install-hook", "config", "audit", "merge" or NULL */
    const char *format;
    int format_given;      /* --format or -f on the command line */
    const char *color;
    const char *output;
    int quiet;
    sd_lang lang;
    size_t max_bytes;
    const char **paths;
    size_t npaths;
    const char **rules;
    size_t nrules;
    const char *phase;
    const char *tier;
    sd_sch_param *params; /* names owned (strndup), values point into argv */
    size_t nparams;
    /* Rule selection: codes split at commas (owned, strdup). */
    char **select, **extend, **ignore;
    size_t nselect, nextend, nignore;
    int select_given;
    int fail_level;        /* findings at or above it give exit 1; -1: not given (.sdlint.xml's, else error) */
    long max_warnings;     /* -1: no limit */
    const char **excludes; /* --exclude GLOB, pointing into argv */
    size_t nexcludes;
    const char *stdin_filename; /* --stdin-filename: standard input's name in findings */
    int staged;                 /* --staged: the index's documents, not the working tree */
    int force;                  /* install-hook --force */
    const char *baseline;       /* --baseline FILE */
    const char *write_baseline; /* --write-baseline FILE */
    const char *catalogue;      /* --catalogue FILE: a plan's catalogue (wins over the plan's and .sdlint.xml's) */
    const char *parent;         /* --parent FILE: a plan's parent plan (wins over the plan's) */
    long jobs;                  /* audit -j N: worker threads; 0: the online CPUs */
    long shard_k, shard_n;      /* audit --shard K/N; 0/0: no sharding */
} options;

/* A staged document: its path in the repository and its index blob. */
typedef struct staged_file {
    char *path; /* relative to the top of the work tree, as git holds it */
    char *abs;  /* the same below the work tree's absolute path (for .sdlint.xml) */
    char blob[65];
} staged_file;

/* Lists the staged documents (*.xml, added, copied or modified); returns -1
 * (after saying why) outside a repository. */
int staged_list(sd_lang lang, staged_file **files, size_t *count);
/* Reads f's blob from the index into *bytes (NUL-terminated; free it). */
int staged_read(const staged_file *f, char **bytes, size_t *len);
void staged_free(staged_file *files, size_t count);
/* .sdlint.xml for each input (settings.c). */
typedef struct settings settings;
settings *settings_new(const options *o, const sd_checker_options *base_co, sd_checker *base);
void settings_free(settings *s);
/* The configuration for the input called name, with the command line on top;
 * -1 to go on, else an exit code (the error is printed). */
int settings_resolve(settings *s, const char *name, sd_config_resolved *r);
/* The checker for r: the base one, or one compiled for r's tier, parameters
 * and packs (cached); NULL when it does not compile (the error is printed). */
sd_checker *settings_checker(settings *s, const sd_config_resolved *r);
/* `sdlint config FILE`: the configuration in effect and where each value came from. */
int cmd_config(settings *s, const char *name);
/* `sdlint install-hook [--force]`. */
int cmd_install_hook(const options *o);

/* Parses argv into o; returns -1 to go on, or the exit code (help, version,
 * usage error — already printed).  free_options releases what it allocated. */
int parse_args(int argc, char **argv, options *o);
void free_options(options *o);
int usage_error(sd_lang lang, const char *fmt, const char *arg);
/* A usage error naming an unknown word, with "did you mean" when one of the
 * candidates is close. */
int unknown_error(sd_lang lang, const char *what_zh, const char *what_en, const char *word,
                  const char *compared, const char *const *cands, size_t n);
void print_error(const sd_error *err);
/* `sdlint import FILE …` and `sdlint render FILE.xml …` (textcmd.c): argv[1]
 * is the subcommand; they parse their own options. */
int cmd_import(int argc, char **argv);
int cmd_render(int argc, char **argv);
/* Writes s to f escaped for a terminal: control, C1 and bidi characters and
 * bytes that are not UTF-8 become visible escapes. */
void put_term(FILE *f, const char *s);
/* What printing the results of a run needs (main.c). */
typedef struct run {
    const options *o;
    const struct sd_formatter *fmt;
    sd_out_options *oo;
    sd_buf *b;
    sd_summary *sum;
    sd_baseline *baseline, *recorded;
    size_t index;
    int exit_code;
    size_t warnings;
    sd_error *err;
    int keep_results; /* run_emit leaves r to its caller (audit.c frees it on
                         the thread that made it) */
} run;

/* One checked input through selection, baseline, report, summary and exit
 * code (main.c); frees r's contents unless R->keep_results.  -1 on an
 * internal error (R->err). */
int run_emit(run *R, sd_result *r, const sd_config_resolved *conf);

/* `sdlint audit PATH...` (audit.c): walks, checks plans with their 三定 and
 * the other documents on R->o->jobs threads, and reports through R in input
 * order.  Returns 0, 1 on an internal error (R->err says which) or 2 on a
 * configuration problem found before the report began (already printed).
 * *out keeps what a sharded JSON report appends (audit_trailer). */
typedef struct audit_state audit_state;
int cmd_audit(run *R, settings *cfg, audit_state **out);
/* Appends the shard's part of a JSON report (what `merge` needs) before its
 * closing brace; exit_code is the run's before --max-warnings, warnings
 * the warnings it counted. */
void audit_trailer(const audit_state *a, sd_buf *b, int exit_code, size_t warnings,
                   const struct sd_audit_summary *jurisdictions);
void audit_free(audit_state *a);
/* The progress line for done of total files after secs seconds. */
void audit_progress_format(char *buf, size_t n, size_t done, size_t total, double secs);
/* `sdlint merge REPORT.json...` (merge.c). */
int cmd_merge(const options *o);

/* `sdlint rules`: id, severity and title of every rule. */
int cmd_rules(const options *o, const sd_checker *c);
/* `sdlint explain ID`: purpose, source, parameters per tier, examples. */
int cmd_explain(const options *o, const sd_checker *c, const char *id);

#endif
