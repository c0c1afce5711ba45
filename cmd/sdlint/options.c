/*
 * options.c — the command line: one sorted table of options (the help is
 * printed from it), their parsing and checking.  Nothing here reads a file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sdlint.h"

typedef struct option_doc {
    const char *name;  /* long name */
    const char *shortname; /* "-f", or NULL */
    const char *arg;   /* NULL for flags */
    const char *zh, *en;
} option_doc;

/* One sorted table; --help is printed from it. */
static const option_doc OPTIONS[] = {
    {"--baseline", NULL, "FILE", "只报告不在该基线文件中的问题，并列出基线中已不再出现的条目",
     "report only findings not in this baseline file, and list its entries that no longer occur"},
    {"--catalogue", NULL, "FILE", "检查机构改革方案时使用该上级机构目录，代替方案的 catalogueRef 和 .sdlint.xml 的 <catalogue>（相对于当前目录）",
     "check reform plans against this higher-level catalogue, instead of the plan's catalogueRef and .sdlint.xml's <catalogue> (relative to the current folder)"},
    {"--color", NULL, "auto|always|never", "彩色输出（默认 auto：终端上彩色；遵守 NO_COLOR）",
     "coloured output (default auto: on a terminal; honours NO_COLOR)"},
    {"--exclude", NULL, "GLOB", "目录检查时跳过匹配的路径（gitignore 写法，可多次使用；另读 .sdlintignore）",
     "leave matching paths out of folder walks (gitignore syntax, repeatable; .sdlintignore too)"},
    {"--extend-select", NULL, "CODES", "在所选规则之外再加上这些规则（编号或前缀，逗号分隔）",
     "select these rules too (ids or prefixes, comma-separated)"},
    {"--fail-level", NULL, "LEVEL", "达到该级别（error、warning 或 info）的问题使退出码为 1（默认 error）",
     "findings at or above LEVEL (error, warning or info) give exit code 1 (default error)"},
    {"--force", NULL, NULL, "install-hook：替换已有的其他钩子（原钩子备份）",
     "install-hook: replace a different existing hook (a backup is kept)"},
    {"--format", "-f", "FORMAT", "输出格式：text、json、sarif、junit、github、svrl（多个输入时合为一份 svrl-set 文档）、html（按辖区汇总的单页报告）；默认 text，在 GITHUB_ACTIONS=true 下为 github",
     "output format: text, json, sarif, junit, github, svrl (several inputs: one svrl-set document), html (one self-contained page by jurisdiction); default text, github when GITHUB_ACTIONS=true"},
    {"--help", "-h", NULL, "显示本帮助", "show this help"},
    {"--ignore", NULL, "CODES", "不报告这些规则（编号或前缀，如 SD1，逗号分隔）",
     "do not report these rules (ids or prefixes such as SD1, comma-separated)"},
    {"--jobs", "-j", "N", "audit：用 N 个线程检查（默认为在线 CPU 数）；报告与 N 无关，逐字节相同",
     "audit: check on N threads (default: the online CPUs); the report is the same bytes for every N"},
    {"--lang", NULL, "zh|en", "消息语言（默认取自 LANG，否则中文）",
     "message language (default from LANG, else Chinese)"},
    {"--max-size", NULL, "BYTES", "单个文件大小上限，可带 K/M/G（默认 64M）",
     "size limit per file, K/M/G suffixes allowed (default 64M)"},
    {"--max-warnings", NULL, "N", "警告超过 N 个时退出码为 1",
     "exit code 1 when there are more than N warnings"},
    {"--output", "-o", "FILE", "把报告写入文件（原子写入），而不是标准输出",
     "write the report to FILE (atomically) instead of standard output"},
    {"--param", NULL, "NAME=VALUE", "覆盖规则参数（可多次使用），见 sdlint explain",
     "override a rule parameter (repeatable); see sdlint explain"},
    {"--parent", NULL, "FILE", "检查机构改革方案时使用该上级方案，代替方案的 parentPlan/@href（相对于当前目录）",
     "check reform plans against this parent plan, instead of the plan's parentPlan/@href (relative to the current folder)"},
    {"--phase", NULL, "NAME", "只运行规则包中该阶段 (phase) 的规则", "run only the rule pack's phase NAME"},
    {"--quiet", "-q", NULL, "只报告错误，不报告警告和提示，不打印汇总",
     "report errors only: no warnings, no info, no summary"},
    {"--rules", NULL, "FILE.sch", "用该 Schematron 规则包代替内置规则（可多次使用），可检查任何 XML",
     "run this Schematron pack instead of the built-in rules (repeatable), on any XML"},
    {"--select", NULL, "CODES", "只报告这些规则（编号或前缀，逗号分隔；ALL 为全部）",
     "report only these rules (ids or prefixes, comma-separated; ALL for every rule)"},
    {"--shard", NULL, "K/N", "audit：只检查第 K 份（共 N 份；每个方案连同其三定按相对路径的哈希归入一份），JSON 报告可用 sdlint merge 合并",
     "audit: check only shard K of N (each plan with its 三定 goes to one shard by a hash of its relative path); merge the JSON reports with sdlint merge"},
    {"--staged", NULL, NULL, "检查 git 暂存区中的文档（而不是工作区），用于提交前钩子",
     "check the staged documents (the git index, not the working tree), for pre-commit hooks"},
    {"--stdin-filename", NULL, "PATH", "标准输入在报告中使用的文件名（不给路径时读取标准输入）",
     "the name standard input gets in findings (reads standard input when no PATH is given)"},
    {"--tier", NULL, "TIER", "按该层级取参数：province、sub-provincial、prefecture、county、sub-provincial-district（默认取文档中的层级）",
     "take parameters for this tier: province, sub-provincial, prefecture, county, sub-provincial-district (default: the document's)"},
    {"--version", "-V", NULL, "显示版本", "show the version"},
    {"--write-baseline", NULL, "FILE", "把本次的问题记录为基线文件（原子写入），之后这些问题不再报告",
     "record this run's findings in a baseline file (atomically); they are not reported again"},
};

static sd_lang lang_from_env(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "en", 2) == 0 ? SD_LANG_EN : SD_LANG_ZH;
    }
    return SD_LANG_ZH;
}

static void print_help(sd_lang lang)
{
    printf("%s\n%s\n%s\n",
           SD_TR(lang, "用法：sdlint [选项] 路径...", "usage: sdlint [options] PATH..."),
           SD_TR(lang, "      sdlint rules [--rules FILE.sch]      列出规则",
                 "       sdlint rules [--rules FILE.sch]      list the rules"),
           SD_TR(lang, "      sdlint explain 规则编号              说明一条规则：用途、依据、参数、例子",
                 "       sdlint explain RULE-ID              explain a rule: purpose, source, parameters, examples"));
    printf("%s\n",
           SD_TR(lang, "      sdlint audit [-j N] [--shard K/N] 路径...  审计目录：每个方案连同其三定，其余文档单独检查\n"
                       "      sdlint merge 报告.json...            把分片审计的 JSON 报告合并为一份",
                 "       sdlint audit [-j N] [--shard K/N] PATH...  audit folders: each plan with its 三定, other documents alone\n"
                 "       sdlint merge REPORT.json...            join the JSON reports of a sharded audit into one"));
    printf("%s\n\n",
           SD_TR(lang, "      sdlint install-hook [--force]        写入 git 提交前钩子（.git/hooks/pre-commit）\n"
                       "      sdlint config 文件                   显示对该文件生效的配置（.sdlint.xml）及每项的来源",
                 "       sdlint install-hook [--force]        write the git pre-commit hook (.git/hooks/pre-commit)\n"
                 "       sdlint config FILE                   show the configuration in effect for FILE (.sdlint.xml) and where each value comes from"));
    printf("%s\n\n",
           SD_TR(lang,
                 "检查三定规定、机构改革方案和上级机构目录（XML）。路径可以是文件、目录（查找 *.xml）或 -（标准输入）。",
                 "Checks 三定 regulations, reform plans and higher-level catalogues (XML). A PATH is a "
                 "file, a folder (searched for *.xml) or - (standard input)."));
    for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s%s%s", OPTIONS[i].shortname ? OPTIONS[i].shortname : "",
                 OPTIONS[i].shortname ? ", " : "    ", OPTIONS[i].name, OPTIONS[i].arg ? " " : "",
                 OPTIONS[i].arg ? OPTIONS[i].arg : "");
        printf("  %-32s %s\n", left, SD_TR(lang, OPTIONS[i].zh, OPTIONS[i].en));
    }
    printf("\n%s\n", SD_TR(lang, "退出码：0 无错误；1 发现错误（或达到 --fail-level、超过 --max-warnings）；2 用法错误或有文件无法检查。",
                           "Exit codes: 0 no errors; 1 errors found (or --fail-level reached, "
                           "--max-warnings exceeded); 2 usage error or an input could not be checked."));
}

/* roff-escaped text: a leading dot or quote and backslashes. */
static void roff(const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", stdout);
    for (; *s; s++)
        fputs(*s == '\\' ? "\\e" : *s == '-' ? "\\-" : (char[2]){*s, 0}, stdout);
}

/* `sdlint --help-man`: the man page, from the same table as --help, so the
 * two cannot drift (make install writes it as sdlint.1; a test compares). */
static void print_man(void)
{
    printf(".TH SDLINT 1 \"\" \"sdlint %s\" \"User Commands\"\n", SDLINT_VERSION);
    printf(".SH NAME\nsdlint \\- compliance linter for 三定 regulations and reform plans\n");
    printf(".SH SYNOPSIS\n.B sdlint\n[\\fIOPTIONS\\fR] \\fIPATH\\fR...\n.br\n"
           ".B sdlint rules\n.br\n.B sdlint explain\n\\fIRULE\\-ID\\fR\n.br\n"
           ".B sdlint install\\-hook\n[\\fB\\-\\-force\\fR]\n.br\n.B sdlint config\n\\fIFILE\\fR\n"
           ".br\n.B sdlint audit\n[\\fB\\-j\\fR \\fIN\\fR] [\\fB\\-\\-shard\\fR \\fIK/N\\fR] \\fIPATH\\fR...\n"
           ".br\n.B sdlint merge\n\\fIREPORT.json\\fR...\n");
    printf(".SH DESCRIPTION\nChecks 三定 regulations, reform plans and higher\\-level catalogues "
           "(XML) against their schemas and rules.  A PATH is a file, a folder (searched for *.xml) "
           "or \\- (standard input).\n.SH OPTIONS\n");
    for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++) {
        printf(".TP\n\\fB");
        roff(OPTIONS[i].name);
        printf("\\fR");
        if (OPTIONS[i].shortname) {
            printf(", \\fB");
            roff(OPTIONS[i].shortname);
            printf("\\fR");
        }
        if (OPTIONS[i].arg) {
            printf(" \\fI");
            roff(OPTIONS[i].arg);
            printf("\\fR");
        }
        printf("\n");
        roff(OPTIONS[i].en);
        printf("\n");
    }
    printf(".SH EXIT STATUS\n0 no errors; 1 errors found; 2 usage error or an input could not be "
           "checked.\n.SH FILES\n.TP\n.I .pre\\-commit\\-hooks.yaml\nthe pre\\-commit framework hook "
           "(id sdlint).\n.SH SEE ALSO\n.BR xmllint (1)\n");
}

/* `sdlint --help-completion bash|zsh`: completion scripts from the same table. */
static int print_completion(const char *shell)
{
    size_t n = sizeof OPTIONS / sizeof OPTIONS[0];
    if (strcmp(shell, "bash") == 0) {
        printf("# bash completion for sdlint (generated by sdlint --help-completion bash)\n"
               "_sdlint() {\n  local cur=${COMP_WORDS[COMP_CWORD]}\n"
               "  if [[ $cur == -* ]]; then\n    COMPREPLY=($(compgen -W '");
        for (size_t i = 0; i < n; i++)
            printf("%s%s%s%s", i ? " " : "", OPTIONS[i].name, OPTIONS[i].shortname ? " " : "",
                   OPTIONS[i].shortname ? OPTIONS[i].shortname : "");
        printf("' -- \"$cur\"))\n  elif [[ $COMP_CWORD == 1 ]]; then\n"
               "    COMPREPLY=($(compgen -W 'rules explain install-hook config audit merge' -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
               "  else\n    COMPREPLY=($(compgen -f -- \"$cur\"))\n  fi\n}\n"
               "complete -o filenames -F _sdlint sdlint\n");
        return 0;
    }
    if (strcmp(shell, "zsh") == 0) {
        printf("#compdef sdlint\n# zsh completion for sdlint (generated by sdlint --help-completion zsh)\n"
               "_arguments \\\n");
        for (size_t i = 0; i < n; i++) {
            printf("  '%s%s[", OPTIONS[i].name, OPTIONS[i].arg ? "=" : "");
            for (const char *c = OPTIONS[i].en; *c; c++)
                fputs(*c == '\'' ? "'\\''" : *c == '[' ? "(" : *c == ']' ? ")" : *c == ':' ? "\\:" : (char[2]){*c, 0}, stdout);
            printf("]%s' \\\n", OPTIONS[i].arg ? ":value:_files" : "");
        }
        printf("  '1: :(rules explain install-hook config audit merge)' \\\n  '*:file:_files'\n");
        return 0;
    }
    return -1;
}

int usage_error(sd_lang lang, const char *fmt, const char *arg)
{
    /* The argument is the user's, and may be a hostile file name: escaped. */
    int n = snprintf(NULL, 0, fmt, arg);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    fprintf(stderr, "sdlint: ");
    if (msg) {
        snprintf(msg, (size_t)n + 1, fmt, arg);
        put_term(stderr, msg);
        free(msg);
    }
    fprintf(stderr, "\n%s\n", SD_TR(lang, "运行 sdlint --help 查看用法。",
                                    "Run sdlint --help for usage."));
    return EXIT_USAGE;
}

/* The largest --max-size: a larger number, however large, means this.  It is
 * far above any file the parser takes (2 GB), and far enough below SIZE_MAX
 * that the reader's max + 1 and doubling can never wrap around. */
#define MAX_SIZE_CEILING ((size_t)1 << (sizeof(size_t) * 8 - 4))

int unknown_error(sd_lang lang, const char *what_zh, const char *what_en, const char *word,
                  const char *compared, const char *const *cands, size_t n)
{
    const char *near = sd_suggest(compared, cands, n);
    fprintf(stderr, "sdlint: %s", SD_TR(lang, what_zh, what_en));
    put_term(stderr, word); /* the user's text: escaped */
    fputs("\n", stderr);
    if (near) {
        fputs(SD_TR(lang, "您是不是要用 ", "Did you mean "), stderr);
        put_term(stderr, near); /* may be a --rules pack's id */
        fputs(SD_TR(lang, "？\n", "?\n"), stderr);
    }
    fprintf(stderr, "%s\n", SD_TR(lang, "运行 sdlint --help 查看用法。", "Run sdlint --help for usage."));
    return EXIT_USAGE;
}

/* Adds the comma-separated codes of v to *list. */
static int add_codes(char ***list, size_t *n, const char *v)
{
    while (v && *v) {
        const char *comma = strchr(v, ',');
        size_t len = comma ? (size_t)(comma - v) : strlen(v);
        while (len > 0 && (*v == ' '))
            v++, len--;
        while (len > 0 && v[len - 1] == ' ')
            len--;
        if (len > 0) {
            char **nl = realloc(*list, (*n + 1) * sizeof *nl);
            if (nl == NULL)
                return -1;
            *list = nl;
            if ((nl[*n] = strndup(v, len)) == NULL)
                return -1;
            (*n)++;
        }
        v = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *s == '-' || *s == '+' || *s == ' ' || (errno && errno != ERANGE))
        return -1;
    int huge = errno == ERANGE;
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1024ULL;
    else if (*end == 'M' || *end == 'm')
        mul = 1024ULL * 1024;
    else if (*end == 'G' || *end == 'g')
        mul = 1024ULL * 1024 * 1024;
    else if (*end != '\0')
        return -1;
    if (mul != 1 && end[1] != '\0')
        return -1;
    if (v == 0 && !huge)
        return -1;
    /* Saturate: "no practical limit" written as a huge number stays that. */
    if (huge || v > (unsigned long long)MAX_SIZE_CEILING / mul)
        *out = MAX_SIZE_CEILING;
    else
        *out = (size_t)(v * mul);
    return 0;
}

/* Splits "--name=value" or takes the next argument; returns NULL when missing. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int matches(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Returns -1 to go on, or an exit code. */
int parse_args(int argc, char **argv, options *o)
{
    o->format = "text";
    o->color = "auto";
    o->fail_level = -1; /* not given: .sdlint.xml's, else error */
    o->max_warnings = -1;
    o->lang = lang_from_env();
    /* --lang first, so every later message is in the chosen language. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (matches(argv[i], "--lang")) {
            int j = i;
            const char *v = option_value(argc, argv, &j, "--lang");
            if (v && strcmp(v, "en") == 0)
                o->lang = SD_LANG_EN;
            else if (v && strcmp(v, "zh") == 0)
                o->lang = SD_LANG_ZH;
        }
    }
    o->paths = calloc((size_t)argc, sizeof *o->paths);
    o->rules = calloc((size_t)argc, sizeof *o->rules);
    o->params = calloc((size_t)argc, sizeof *o->params);
    o->excludes = calloc((size_t)argc, sizeof *o->excludes);
    if (o->paths == NULL || o->rules == NULL || o->params == NULL || o->excludes == NULL)
        return usage_error(o->lang, "%s", "out of memory");

    int only_paths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        /* The first word may name a subcommand; a folder called rules is rules/. */
        if (!only_paths && o->npaths == 0 && o->subcommand == NULL &&
            (strcmp(a, "rules") == 0 || strcmp(a, "explain") == 0 ||
             strcmp(a, "install-hook") == 0 || strcmp(a, "config") == 0 ||
             strcmp(a, "audit") == 0 || strcmp(a, "merge") == 0)) {
            o->subcommand = a;
        } else if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
            o->paths[o->npaths++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_paths = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help(o->lang);
            return EXIT_CLEAN;
        } else if (strcmp(a, "--help-man") == 0) { /* hidden: make install's man page */
            print_man();
            return EXIT_CLEAN;
        } else if (matches(a, "--help-completion")) { /* hidden: make install's completions */
            v = option_value(argc, argv, &i, "--help-completion");
            if (v == NULL || print_completion(v) != 0)
                return usage_error(o->lang, "--help-completion takes bash or zsh: %s", v ? v : "");
            return EXIT_CLEAN;
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("sdlint %s (libxml2 %s)\n", SDLINT_VERSION, sd_libxml_version());
            return EXIT_CLEAN;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = 1;
        } else if (matches(a, "--format") || strcmp(a, "-f") == 0) {
            v = strcmp(a, "-f") == 0 ? (i + 1 < argc ? argv[++i] : NULL)
                                     : option_value(argc, argv, &i, "--format");
            if (v == NULL || sd_out_find(v) == NULL)
                return usage_error(o->lang, SD_TR(o->lang, "--format 的取值应为 text、json、sarif、junit、github、svrl 或 html：%s",
                                                  "--format takes text, json, sarif, junit, github, svrl or html: %s"),
                                   v ? v : "");
            o->format = v;
            o->format_given = 1;
        } else if (matches(a, "--select") || matches(a, "--extend-select") || matches(a, "--ignore")) {
            const char *name = matches(a, "--select") ? "--select"
                               : matches(a, "--ignore") ? "--ignore" : "--extend-select";
            if ((v = option_value(argc, argv, &i, name)) == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "%s 需要规则编号或前缀（逗号分隔）",
                                                  "%s needs rule ids or prefixes (comma-separated)"), name);
            int rc = name[2] == 's' ? add_codes(&o->select, &o->nselect, v)
                     : name[2] == 'i' ? add_codes(&o->ignore, &o->nignore, v)
                                      : add_codes(&o->extend, &o->nextend, v);
            if (rc != 0)
                return usage_error(o->lang, "%s", "out of memory");
            if (name[2] == 's')
                o->select_given = 1;
        } else if (matches(a, "--fail-level")) {
            v = option_value(argc, argv, &i, "--fail-level");
            if (v == NULL || (strcmp(v, "error") && strcmp(v, "warning") && strcmp(v, "info")))
                return usage_error(o->lang, SD_TR(o->lang, "--fail-level 的取值应为 error、warning 或 info：%s",
                                                  "--fail-level takes error, warning or info: %s"),
                                   v ? v : "");
            o->fail_level = sd_severity_parse(v);
        } else if (matches(a, "--max-warnings")) {
            v = option_value(argc, argv, &i, "--max-warnings");
            char *end = NULL;
            errno = 0;
            long n = v ? strtol(v, &end, 10) : -1;
            if (v == NULL || *v == '\0' || *v == '-' || *end != '\0' || errno || n < 0)
                return usage_error(o->lang, SD_TR(o->lang, "--max-warnings 应为非负整数：%s",
                                                  "--max-warnings takes a number of warnings (0 or more): %s"),
                                   v ? v : "");
            o->max_warnings = n;
        } else if (matches(a, "--exclude")) {
            if ((v = option_value(argc, argv, &i, "--exclude")) == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "--exclude 需要一个路径模式%s",
                                                  "--exclude needs a path pattern%s"), "");
            o->excludes[o->nexcludes++] = v;
        } else if (matches(a, "--rules")) {
            if ((v = option_value(argc, argv, &i, "--rules")) == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "--rules 需要一个规则包文件%s",
                                                  "--rules needs a rule pack file%s"), "");
            o->rules[o->nrules++] = v;
        } else if (matches(a, "--catalogue") || matches(a, "--parent")) {
            const char *name = matches(a, "--catalogue") ? "--catalogue" : "--parent";
            if ((v = option_value(argc, argv, &i, name)) == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "%s 需要一个文件名", "%s needs a file name"), name);
            if (name[2] == 'c')
                o->catalogue = v;
            else
                o->parent = v;
        } else if (matches(a, "--phase")) {
            if ((v = option_value(argc, argv, &i, "--phase")) == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "--phase 需要一个阶段名%s",
                                                  "--phase needs a phase name%s"), "");
            o->phase = v;
        } else if (strcmp(a, "--staged") == 0) {
            o->staged = 1;
        } else if (strcmp(a, "--force") == 0) {
            o->force = 1;
        } else if (matches(a, "--stdin-filename")) {
            if ((v = option_value(argc, argv, &i, "--stdin-filename")) == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "--stdin-filename 需要一个文件名%s",
                                                  "--stdin-filename needs a file name%s"), "");
            o->stdin_filename = v;
        } else if (matches(a, "--baseline")) {
            if ((v = option_value(argc, argv, &i, "--baseline")) == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "--baseline 需要一个文件名%s",
                                                  "--baseline needs a file name%s"), "");
            o->baseline = v;
        } else if (matches(a, "--write-baseline")) {
            if ((v = option_value(argc, argv, &i, "--write-baseline")) == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "--write-baseline 需要一个文件名%s",
                                                  "--write-baseline needs a file name%s"), "");
            o->write_baseline = v;
        } else if (matches(a, "--tier")) {
            v = option_value(argc, argv, &i, "--tier");
            if (v == NULL || (strcmp(v, "province") && strcmp(v, "sub-provincial") &&
                              strcmp(v, "prefecture") && strcmp(v, "county") &&
                              strcmp(v, "sub-provincial-district")))
                return usage_error(o->lang, SD_TR(o->lang, "--tier 的取值应为 province、sub-provincial、prefecture、county 或 sub-provincial-district：%s",
                                                  "--tier takes province, sub-provincial, prefecture, county or sub-provincial-district: %s"),
                                   v ? v : "");
            o->tier = v;
        } else if (matches(a, "--param")) {
            v = option_value(argc, argv, &i, "--param");
            const char *eq = v ? strchr(v, '=') : NULL;
            if (eq == NULL || eq == v)
                return usage_error(o->lang, SD_TR(o->lang, "--param 的写法是 NAME=VALUE：%s",
                                                  "--param takes NAME=VALUE: %s"), v ? v : "");
            char *name = strndup(v, (size_t)(eq - v));
            if (name == NULL)
                return usage_error(o->lang, "%s", "out of memory");
            o->params[o->nparams].name = name;
            o->params[o->nparams].value = eq + 1;
            o->nparams++;
        } else if (matches(a, "--color")) {
            v = option_value(argc, argv, &i, "--color");
            if (v == NULL || (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")))
                return usage_error(o->lang, SD_TR(o->lang, "--color 的取值应为 auto、always 或 never：%s",
                                                  "--color takes auto, always or never: %s"),
                                   v ? v : "");
            o->color = v;
        } else if (matches(a, "--lang")) {
            v = option_value(argc, argv, &i, "--lang");
            if (v == NULL || (strcmp(v, "zh") && strcmp(v, "en")))
                return usage_error(o->lang, "--lang takes zh or en: %s", v ? v : "");
        } else if (matches(a, "--max-size")) {
            v = option_value(argc, argv, &i, "--max-size");
            if (v == NULL || parse_size(v, &o->max_bytes) != 0)
                return usage_error(o->lang, SD_TR(o->lang, "--max-size 应为正整数字节数，可带 K/M/G：%s",
                                                  "--max-size takes a positive byte count, K/M/G allowed: %s"),
                                   v ? v : "");
        } else if (matches(a, "--jobs") || strncmp(a, "-j", 2) == 0) {
            v = strncmp(a, "-j", 2) == 0 ? (a[2] ? a + 2 : i + 1 < argc ? argv[++i] : NULL)
                                         : option_value(argc, argv, &i, "--jobs");
            char *end = NULL;
            errno = 0;
            long n = v ? strtol(v, &end, 10) : 0;
            if (v == NULL || *v == '\0' || *v == '-' || *end != '\0' || errno || n < 1 || n > 1024)
                return usage_error(o->lang, SD_TR(o->lang, "-j/--jobs 应为 1 到 1024 的线程数：%s",
                                                  "-j/--jobs takes a number of threads from 1 to 1024: %s"),
                                   v ? v : "");
            o->jobs = n;
        } else if (matches(a, "--shard")) {
            v = option_value(argc, argv, &i, "--shard");
            char *end = NULL, *end2 = NULL;
            errno = 0;
            long k = v && *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : 0;
            long n = end && *end == '/' && end[1] >= '0' && end[1] <= '9' ? strtol(end + 1, &end2, 10) : 0;
            if (v == NULL || end2 == NULL || *end2 != '\0' || errno || n < 1 || n > 100000 || k < 1 || k > n)
                return usage_error(o->lang, SD_TR(o->lang, "--shard 的写法是 K/N（1 ≤ K ≤ N）：%s",
                                                  "--shard takes K/N with 1 <= K <= N: %s"),
                                   v ? v : "");
            o->shard_k = k;
            o->shard_n = n;
        } else if (matches(a, "--output") || strcmp(a, "-o") == 0) {
            v = strcmp(a, "-o") == 0 ? (i + 1 < argc ? argv[++i] : NULL)
                                     : option_value(argc, argv, &i, "--output");
            if (v == NULL || *v == '\0')
                return usage_error(o->lang, SD_TR(o->lang, "--output 需要一个文件名%s",
                                                  "--output needs a file name%s"), "");
            o->output = v;
        } else {
            const char *names[sizeof OPTIONS / sizeof OPTIONS[0]];
            for (size_t k = 0; k < sizeof OPTIONS / sizeof OPTIONS[0]; k++)
                names[k] = OPTIONS[k].name;
            char word[128];
            const char *eq = strchr(a, '=');
            snprintf(word, sizeof word, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
            /* "-select" for "--select": compare as a long option. */
            char dashed[130];
            snprintf(dashed, sizeof dashed, "%s%s", word[1] == '-' ? "" : "-", word);
            return unknown_error(o->lang, "未知选项：", "unknown option: ", a, dashed,
                                 names, sizeof names / sizeof names[0]);
        }
    }
    if (o->subcommand && strcmp(o->subcommand, "explain") == 0 && o->npaths != 1)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "用法：sdlint explain 规则编号（例如 SD101）",
                                                "usage: sdlint explain RULE-ID (e.g. SD101)"));
    if (o->subcommand && strcmp(o->subcommand, "rules") == 0 && o->npaths != 0)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "用法：sdlint rules [--rules FILE.sch]",
                                                "usage: sdlint rules [--rules FILE.sch]"));
    if (o->subcommand && strcmp(o->subcommand, "config") == 0 && o->npaths != 1)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "用法：sdlint config 文件",
                                                "usage: sdlint config FILE"));
    if (o->subcommand && strcmp(o->subcommand, "install-hook") == 0 && o->npaths != 0)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "用法：sdlint install-hook [--force]",
                                                "usage: sdlint install-hook [--force]"));
    int audit = o->subcommand && strcmp(o->subcommand, "audit") == 0;
    if ((o->jobs || o->shard_n) && !audit)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "-j/--jobs 和 --shard 只用于 sdlint audit",
                                                "-j/--jobs and --shard apply to sdlint audit only"));
    if (audit && (o->staged || o->stdin_filename))
        return usage_error(o->lang, "%s", SD_TR(o->lang, "sdlint audit 检查目录：不能与 --staged 或 --stdin-filename 同用",
                                                "sdlint audit checks folders: not with --staged or --stdin-filename"));
    if (audit && o->shard_n && (o->baseline || o->write_baseline))
        return usage_error(o->lang, "%s", SD_TR(o->lang, "--shard 不能与 --baseline 或 --write-baseline 同用（每一份只见到部分文件）",
                                                "--shard does not go with --baseline or --write-baseline (a shard sees part of the files)"));
    for (size_t k = 0; audit && k < o->npaths; k++)
        if (strcmp(o->paths[k], "-") == 0)
            return usage_error(o->lang, "%s", SD_TR(o->lang, "sdlint audit 不读标准输入：请给出文件或目录",
                                                    "sdlint audit does not read standard input: give files or folders"));
    if (audit && o->npaths == 0)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "用法：sdlint audit [-j N] [--shard K/N] 路径...",
                                                "usage: sdlint audit [-j N] [--shard K/N] PATH..."));
    if (o->subcommand && strcmp(o->subcommand, "merge") == 0 && o->npaths == 0)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "用法：sdlint merge 报告.json...",
                                                "usage: sdlint merge REPORT.json..."));
    if (o->staged && o->npaths != 0)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "--staged 检查暂存区，不能再给路径",
                                                "--staged checks the index: give no PATH"));
    /* --stdin-filename alone: the document comes on standard input. */
    if (o->stdin_filename && o->npaths == 0 && !o->staged && o->subcommand == NULL)
        o->paths[o->npaths++] = "-";
    if (o->npaths == 0 && o->subcommand == NULL && !o->staged)
        return usage_error(o->lang, "%s", SD_TR(o->lang, "请指定要检查的文件或目录",
                                                "no input: give files or folders to check"));
    return -1;
}


void free_options(options *o)
{
    for (size_t i = 0; i < o->nselect; i++)
        free(o->select[i]);
    for (size_t i = 0; i < o->nextend; i++)
        free(o->extend[i]);
    for (size_t i = 0; i < o->nignore; i++)
        free(o->ignore[i]);
    free(o->select);
    free(o->extend);
    free(o->ignore);
    free(o->excludes);
    for (size_t i = 0; i < o->nparams; i++)
        free((char *)o->params[i].name);
    free(o->params);
    free(o->rules);
    free(o->paths);
}
