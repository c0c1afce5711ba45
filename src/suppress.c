/*
 * suppress.c — inline suppressions (see suppress.h).
 *
 * Why processing instructions: they are the XML way to talk to a tool, survive
 * every editor and schema (the XSDs never see them), and sit next to what they
 * silence.  The scope of `disable` is a byte range of the source: from the
 * start of the element that follows the PI to the start of the first node
 * after its subtree (positions from pos.h), so every finding whose node is in
 * the subtree — the element, its attributes, its descendants — falls in it,
 * whatever stage made the finding.
 *
 * Cost: one walk of the tree to find the PIs, then O(directives × findings).
 */
#include "suppress.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pos.h"

#define MAX_RULES 32

typedef struct directive {
    xmlNodePtr pi;
    int file_scope;
    size_t start, end; /* byte range for `disable` */
    char *rules[MAX_RULES];
    size_t uses[MAX_RULES];
    size_t nrules;
    char *reason;
} directive;

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The first node after n's subtree in document order that has a recorded
 * position of its own (element, text, PI); NULL when none. */
static xmlNodePtr after_subtree(xmlNodePtr n)
{
    for (; n != NULL && n->type != XML_DOCUMENT_NODE; n = n->parent)
        for (xmlNodePtr s = n->next; s != NULL; s = s->next)
            if (s->type == XML_ELEMENT_NODE || s->type == XML_TEXT_NODE ||
                s->type == XML_CDATA_SECTION_NODE || s->type == XML_PI_NODE)
                return s;
    return NULL;
}

/* The element a `disable` PI applies to: its next sibling element, past
 * whitespace, comments and other PIs. */
static xmlNodePtr target_of(xmlNodePtr pi)
{
    for (xmlNodePtr s = pi->next; s != NULL; s = s->next) {
        if (s->type == XML_ELEMENT_NODE)
            return s;
        if (s->type == XML_COMMENT_NODE || s->type == XML_PI_NODE)
            continue;
        if (s->type == XML_TEXT_NODE && s->content != NULL) {
            const char *c = (const char *)s->content;
            while (is_ws(*c))
                c++;
            if (*c == '\0')
                continue;
        }
        return NULL;
    }
    return NULL;
}

/* Reads "disable[-file] RULE[, RULE...] -- reason" into d.  Returns NULL on
 * success, else why not (in lang). */
static const char *parse_directive(const char *text, directive *d, sd_lang lang)
{
    const char *p = text ? text : "";
    while (is_ws(*p))
        p++;
    if (strncmp(p, "disable-file", 12) == 0 && (is_ws(p[12]) || p[12] == '\0')) {
        d->file_scope = 1;
        p += 12;
    } else if (strncmp(p, "disable", 7) == 0 && (is_ws(p[7]) || p[7] == '\0')) {
        p += 7;
    } else {
        return SD_TR(lang, "无法识别的 sdlint 指令（应为 disable 或 disable-file）",
                     "unknown sdlint directive (expected disable or disable-file)");
    }
    const char *dash = strstr(p, "--");
    const char *rules_end = dash ? dash : p + strlen(p);
    while (p < rules_end) {
        while (p < rules_end && (is_ws(*p) || *p == ','))
            p++;
        const char *s = p;
        while (p < rules_end && !is_ws(*p) && *p != ',')
            p++;
        if (p == s)
            break;
        if (d->nrules == MAX_RULES)
            return SD_TR(lang, "一条指令最多列出 32 条规则", "at most 32 rules per directive");
        if ((d->rules[d->nrules] = strndup(s, (size_t)(p - s))) == NULL)
            return "out of memory";
        d->nrules++;
    }
    if (d->nrules == 0)
        return SD_TR(lang, "指令没有列出规则编号", "the directive names no rule");
    const char *r = dash ? dash + 2 : "";
    while (is_ws(*r))
        r++;
    size_t n = strlen(r);
    while (n > 0 && is_ws(r[n - 1]))
        n--;
    if (n == 0)
        return SD_TR(lang, "抑制必须在 -- 之后写明理由，例如 <?sdlint disable SD104 -- 经市编委批准?>",
                     "a suppression needs a reason after --, e.g. <?sdlint disable SD104 -- approved by the commission?>");
    if ((d->reason = strndup(r, n)) == NULL)
        return "out of memory";
    return NULL;
}

static void directive_free(directive *d)
{
    for (size_t i = 0; i < d->nrules; i++)
        free(d->rules[i]);
    free(d->reason);
}

static sd_status add_at(sd_diags *out, sd_error *err, const char *rule, sd_severity sev,
                        const char *file, xmlNodePtr pi, const char *msg)
{
    sd_pos pos;
    sd_pos_of(pi, &pos);
    xmlChar *path = xmlGetNodePath(pi);
    sd_finding f = {.rule_id = (char *)rule, .severity = sev, .file = (char *)file,
                    .line = pos.line, .col = pos.col, .end_line = pos.end_line,
                    .end_col = pos.end_col, .offset = (long)pos.offset,
                    .location = (char *)path, .message = (char *)msg};
    sd_status st = sd_diags_add(out, &f, err);
    xmlFree(path);
    return st;
}

static int covers(const directive *d, const sd_finding *f)
{
    if (d->file_scope)
        return 1;
    return f->line > 0 && f->offset >= 0 && (size_t)f->offset >= d->start &&
           (size_t)f->offset < d->end;
}

/* Collects the sdlint PIs of the tree, in document order, without recursion. */
static sd_status collect(xmlDocPtr doc, xmlNodePtr **out, size_t *n, sd_error *err)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    xmlNodePtr node = doc->children;
    while (node != NULL) {
        if (node->type == XML_PI_NODE && node->name &&
            strcmp((const char *)node->name, "sdlint") == 0) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 8;
                xmlNodePtr *grown = realloc(*out, cap * sizeof *grown);
                if (grown == NULL) {
                    free(*out);
                    *out = NULL;
                    return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
                }
                *out = grown;
            }
            (*out)[(*n)++] = node;
        }
        if (node->type == XML_ELEMENT_NODE && node->children) {
            node = node->children;
            continue;
        }
        while (node != NULL && node->next == NULL)
            node = node->parent && node->parent->type != XML_DOCUMENT_NODE ? node->parent : NULL;
        if (node != NULL)
            node = node->next;
    }
    return SD_OK;
}

sd_status sd_suppress_apply(xmlDocPtr doc, const char *file, sd_lang lang, sd_diags *d,
                            sd_error *err)
{
    if (doc == NULL)
        return SD_OK;
    xmlNodePtr *pis;
    size_t npis;
    sd_status st = collect(doc, &pis, &npis, err);
    if (st != SD_OK || npis == 0)
        return st;
    directive *dirs = calloc(npis, sizeof *dirs);
    const char **bad = calloc(npis, sizeof *bad);
    if (dirs == NULL || bad == NULL) {
        free(dirs);
        free(bad);
        free(pis);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    size_t nfound = d->count; /* the directives' own findings are not suppressible */
    for (size_t i = 0; i < npis; i++) {
        directive *dir = &dirs[i];
        dir->pi = pis[i];
        bad[i] = parse_directive((const char *)pis[i]->content, dir, lang);
        if (bad[i] || dir->file_scope)
            continue;
        xmlNodePtr target = target_of(pis[i]);
        sd_pos a, b;
        if (target == NULL || !sd_pos_of(target, &a)) {
            bad[i] = SD_TR(lang, "disable 指令之后应紧跟它所针对的元素（文件范围请用 disable-file）",
                           "a disable directive must stand just before the element it applies to "
                           "(use disable-file for the whole file)");
            continue;
        }
        xmlNodePtr next = after_subtree(target);
        dir->start = a.offset;
        dir->end = next != NULL && sd_pos_of(next, &b) && b.offset > a.offset ? b.offset : SIZE_MAX;
    }
    for (size_t k = 0; k < nfound; k++) {
        sd_finding *f = &d->items[k];
        if (f->severity == SD_SEV_FATAL || strcmp(f->file ? f->file : "", file) != 0)
            continue;
        for (size_t i = 0; i < npis; i++) {
            directive *dir = &dirs[i];
            if (bad[i] || !covers(dir, f))
                continue;
            for (size_t r = 0; r < dir->nrules; r++) {
                if (strcmp(dir->rules[r], f->rule_id) != 0)
                    continue;
                dir->uses[r]++;
                if (!f->suppressed) {
                    if ((f->suppress_reason = strdup(dir->reason)) == NULL)
                        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
                    f->suppressed = 1;
                }
            }
        }
    }
    for (size_t i = 0; i < npis && st == SD_OK; i++) {
        char msg[512];
        if (bad[i]) {
            snprintf(msg, sizeof msg, "%s%s", SD_TR(lang, "无效的抑制指令：", "invalid suppression: "),
                     bad[i]);
            st = add_at(d, err, "SD005", SD_SEV_ERROR, file, dirs[i].pi, msg);
            continue;
        }
        for (size_t r = 0; r < dirs[i].nrules && st == SD_OK; r++) {
            if (dirs[i].uses[r])
                continue;
            snprintf(msg, sizeof msg,
                     SD_TR(lang, "抑制指令未抑制任何 %s 问题，应删除", "suppression of %s silences nothing; remove it"),
                     dirs[i].rules[r]);
            st = add_at(d, err, "SD006", SD_SEV_WARNING, file, dirs[i].pi, msg);
        }
    }
    for (size_t i = 0; i < npis; i++)
        directive_free(&dirs[i]);
    free(dirs);
    free(bad);
    free(pis);
    return st;
}
