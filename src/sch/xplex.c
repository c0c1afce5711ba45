/*
 * xplex.c — a small XPath 1.0 lexer for static checks, and the match-pattern
 * to selection rewrite.
 *
 * Why: libxml2 compiles an expression but tells nothing about what it refers
 * to.  compile.c needs the variable references ($name outside string
 * literals), the function calls with their literal arguments (regex patterns,
 * sdl:param names) and the namespace prefixes, to report undefined variables,
 * unknown functions, undeclared prefixes and bad regexes as rule-pack errors
 * at the .sch line instead of failing (or printing) at run time.  The lexer
 * follows the XPath 1.0 disambiguation rules (3.7: `*` and `and/or/mod/div`
 * are operators after an operand).  eval.c evaluates each rule context once
 * from the root, so an XSLT match pattern `a/b` becomes the selection `//a/b`.
 *
 * Left out: XPath 2.0 syntax (for, if, sequences); it is simply not XPath 1.0
 * and libxml2 rejects it first.  Cost: linear in the expression length.
 */
#include "sch/sch_int.h"

#include <stdlib.h>
#include <string.h>

static int name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int name_char(unsigned char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Preceding token makes the next `*` / NCName an operator? (XPath 1.0, 3.7) */
static int operand_before(const sch_tok *t, size_t n)
{
    if (n == 0)
        return 0;
    int k = t[n - 1].kind;
    return !(k == TK_AT || k == TK_AXIS || k == TK_LP || k == TK_LB || k == TK_COMMA ||
             k == TK_OP);
}

static size_t scan_ncname(const char *s, size_t i)
{
    while (s[i] && name_char((unsigned char)s[i]))
        i++;
    return i;
}

long sch_xp_lex(const char *s, sch_tok **out)
{
    size_t cap = 16, n = 0;
    sch_tok *t = malloc(cap * sizeof *t);
    if (t == NULL)
        return -1;
    size_t i = 0;
    for (;;) {
        while (is_space(s[i]))
            i++;
        if (n + 1 >= cap) {
            cap *= 2;
            sch_tok *nt = realloc(t, cap * sizeof *t);
            if (nt == NULL) {
                free(t);
                return -1;
            }
            t = nt;
        }
        sch_tok k = {TK_EOF, i, 0};
        char c = s[i];
        if (c == '\0') {
            t[n++] = k;
            break;
        }
        size_t j = i + 1;
        if (c == '\'' || c == '"') {
            while (s[j] && s[j] != c)
                j++;
            if (s[j])
                j++;
            k.kind = TK_STR;
        } else if ((c >= '0' && c <= '9') || (c == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
            while ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')
                j++;
            k.kind = TK_NUM;
        } else if (c == '.') {
            if (s[j] == '.')
                j++;
            k.kind = TK_DOT;
        } else if (c == '$') {
            while (is_space(s[j]))
                j++;
            j = scan_ncname(s, j);
            if (s[j] == ':' && s[j + 1] != ':' && name_start((unsigned char)s[j + 1]))
                j = scan_ncname(s, j + 1);
            k.kind = TK_VAR;
        } else if (c == '@') {
            k.kind = TK_AT;
        } else if (c == '(') {
            k.kind = TK_LP;
        } else if (c == ')') {
            k.kind = TK_RP;
        } else if (c == '[') {
            k.kind = TK_LB;
        } else if (c == ']') {
            k.kind = TK_RB;
        } else if (c == ',') {
            k.kind = TK_COMMA;
        } else if (c == ':' && s[j] == ':') {
            j++;
            k.kind = TK_AXIS;
        } else if (c == '/') {
            if (s[j] == '/')
                j++;
            k.kind = TK_OP;
        } else if (c == '|' || c == '+' || c == '-' || c == '=') {
            k.kind = TK_OP;
        } else if (c == '!' && s[j] == '=') {
            j++;
            k.kind = TK_OP;
        } else if (c == '<' || c == '>') {
            if (s[j] == '=')
                j++;
            k.kind = TK_OP;
        } else if (c == '*') {
            k.kind = operand_before(t, n) ? TK_OP : TK_NAME;
        } else if (name_start((unsigned char)c)) {
            j = scan_ncname(s, i);
            if (s[j] == ':' && s[j + 1] != ':') {
                if (s[j + 1] == '*')
                    j += 2;
                else if (name_start((unsigned char)s[j + 1]))
                    j = scan_ncname(s, j + 1);
            }
            k.kind = operand_before(t, n) ? TK_OP : TK_NAME;
        } else {
            k.kind = TK_OTHER;
        }
        k.len = j - i;
        t[n++] = k;
        i = j;
    }
    *out = t;
    return (long)n;
}

static char *trimdup(const char *s, size_t a, size_t b)
{
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    char *p = malloc(b - a + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s + a, b - a);
    p[b - a] = '\0';
    return p;
}

/* "id (" / "key(": XSLT's IdKeyPattern, already absolute. */
static int starts_with_call(const char *s, const char *fn)
{
    size_t n = strlen(fn);
    if (strncmp(s, fn, n) != 0)
        return 0;
    s += n;
    while (is_space(*s))
        s++;
    return *s == '(';
}

int sch_xp_branch_end(const char *src, const sch_tok *t, long i, int *depth)
{
    int k = t[i].kind;
    if (k == TK_LP || k == TK_LB)
        ++*depth;
    else if ((k == TK_RP || k == TK_RB) && *depth > 0)
        --*depth;
    return k == TK_EOF || (k == TK_OP && t[i].len == 1 && src[t[i].start] == '|' && *depth == 0);
}

char *sch_xp_match_to_select(const char *pattern)
{
    sch_tok *t = NULL;
    long n = sch_xp_lex(pattern, &t);
    if (n < 0)
        return NULL;
    sch_buf out = {0};
    size_t start = 0;
    int depth = 0;
    for (long i = 0; i < n; i++) {
        if (sch_xp_branch_end(pattern, t, i, &depth)) {
            char *br = trimdup(pattern, start, t[i].start);
            if (br == NULL) {
                out.oom = 1;
                break;
            }
            if (out.len)
                sch_buf_adds(&out, " | ");
            /* Absolute branches (/, /x, //x, id(...), $v...) and parenthesised
             * ones stay; relative ones match at any depth, which is what //
             * selects. */
            if (br[0] != '/' && br[0] != '(' && br[0] != '$' && br[0] != '\0' &&
                !starts_with_call(br, "id") && !starts_with_call(br, "key"))
                sch_buf_adds(&out, "//");
            sch_buf_adds(&out, br);
            free(br);
            start = t[i].start + t[i].len;
        }
    }
    free(t);
    if (out.oom) {
        sch_buf_free(&out);
        return NULL;
    }
    if (out.p == NULL)
        sch_buf_add(&out, "", 0);
    return out.p;
}

/* libxml2 leaves xmlError.message empty when an XPath context has its own
 * error handler, so the words for each xmlXPathError code are ours. */
const char *sch_xpath_error_text(int code)
{
    static const char *const text[] = {
        "ok", "bad number", "unfinished string literal", "expected a string literal",
        "expected $ for a variable reference", "undefined variable", "invalid predicate",
        "invalid expression", "missing closing brace", "unknown function", "invalid operand",
        "wrong type of operand", "wrong number of arguments", "invalid context size",
        "invalid context position", "out of memory", "syntax error", "resource error",
        "sub-resource error", "undeclared namespace prefix", "encoding error",
        "character outside the XML range", "invalid or incomplete context", "stack error",
        "variables are forbidden here", "operation limit exceeded (the expression does too much work)",
        "recursion limit exceeded (the expression nests too deeply)"};
    int code0 = code - XML_XPATH_EXPRESSION_OK;
    if (code0 >= 0 && code0 < (int)(sizeof text / sizeof text[0]))
        return text[code0];
    return "XPath error";
}
