/*
 * ruledoc.c — collecting rule documentation from a pack's patterns.
 * One pass over the pack's tree; packs are small (kilobytes).
 */
#define _GNU_SOURCE /* memmem */
#include "ruledoc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "load.h"

#define SCH_NS "http://purl.oclc.org/dsdl/schematron"

static int is_sch(xmlNodePtr n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, SCH_NS) == 0 &&
           strcmp((const char *)n->name, local) == 0;
}

/* Text content with runs of whitespace collapsed to one space, trimmed. */
static char *normalized_text(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (t == NULL)
        return strdup("");
    char *out = malloc(strlen((const char *)t) + 1);
    if (out == NULL) {
        xmlFree(t);
        return NULL;
    }
    size_t o = 0;
    int space = 0;
    for (const unsigned char *p = t; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = 0;
        out[o++] = (char)*p;
    }
    out[o] = '\0';
    xmlFree(t);
    return out;
}

static void free_doc(sd_ruledoc *r)
{
    free(r->id);
    for (int l = 0; l < 2; l++) {
        free(r->title[l]);
        free(r->doc[l]);
    }
    free(r->source);
    free(r->see);
    for (size_t i = 0; i < r->nparams; i++)
        free(r->params[i]);
    free(r->params);
}

static int add_param(sd_ruledoc *r, const char *name, size_t n)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strlen(r->params[i]) == n && strncmp(r->params[i], name, n) == 0)
            return 0;
    char **np = realloc(r->params, (r->nparams + 1) * sizeof *np);
    if (np == NULL)
        return -1;
    r->params = np;
    if ((np[r->nparams] = strndup(name, n)) == NULL)
        return -1;
    r->nparams++;
    return 0;
}

/* Finds param('NAME') / param("NAME") in every attribute below n. */
static int scan_params(sd_ruledoc *r, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            for (const char *p = v ? strstr((const char *)v, "param(") : NULL; p;
                 p = strstr(p + 1, "param(")) {
                const char *q = p + 6;
                while (*q == ' ')
                    q++;
                if (*q != '\'' && *q != '"')
                    continue;
                const char *end = strchr(q + 1, *q);
                if (end && add_param(r, q + 1, (size_t)(end - q - 1)) != 0) {
                    xmlFree(v);
                    return -1;
                }
            }
            xmlFree(v);
        }
        if (scan_params(r, n->children) != 0)
            return -1;
    }
    return 0;
}

/* Severity and see of the first assert or report in the pattern. */
static void first_check(xmlNodePtr n, sd_ruledoc *r, int *done)
{
    for (; n && !*done; n = n->next) {
        if (is_sch(n, "assert") || is_sch(n, "report")) {
            xmlChar *sev = xmlGetProp(n, (const xmlChar *)"severity");
            xmlChar *see = xmlGetProp(n, (const xmlChar *)"see");
            int s = sd_severity_parse((const char *)sev);
            r->severity = s < 0 ? SD_SEV_ERROR : (sd_severity)s;
            if (see) {
                free(r->see);
                r->see = strdup((const char *)see);
            }
            xmlFree(sev);
            xmlFree(see);
            *done = 1;
            return;
        }
        first_check(n->children, r, done);
    }
}

static sd_status read_pattern(xmlNodePtr pat, sd_ruledoc *r)
{
    for (xmlNodePtr p = pat->children; p; p = p->next) {
        if (is_sch(p, "title") && r->title[SD_LANG_ZH] == NULL) {
            /* A plain sch:title serves both languages until a class="title" says otherwise. */
            char *t = normalized_text(p);
            char *t2 = t ? strdup(t) : NULL;
            if (t2 == NULL) {
                free(t);
                return SD_ENOMEM;
            }
            r->title[SD_LANG_ZH] = t;
            r->title[SD_LANG_EN] = t2;
            continue;
        }
        if (!is_sch(p, "p"))
            continue;
        xmlChar *cls = xmlGetProp(p, (const xmlChar *)"class");
        xmlChar *lang = xmlNodeGetLang(p);
        int l = (lang && strncmp((const char *)lang, "en", 2) == 0) ? SD_LANG_EN : SD_LANG_ZH;
        char **slot = NULL;
        if (cls && strcmp((const char *)cls, "title") == 0)
            slot = &r->title[l];
        else if (cls && strcmp((const char *)cls, "doc") == 0)
            slot = &r->doc[l];
        else if (cls && strcmp((const char *)cls, "source") == 0)
            slot = &r->source;
        xmlFree(cls);
        xmlFree(lang);
        if (slot) {
            char *t = normalized_text(p);
            if (t == NULL)
                return SD_ENOMEM;
            free(*slot);
            *slot = t;
        }
    }
    int done = 0;
    first_check(pat->children, r, &done);
    if (scan_params(r, pat->children) != 0)
        return SD_ENOMEM;
    const char **slots[] = {(const char **)&r->title[0], (const char **)&r->title[1],
                            (const char **)&r->doc[0], (const char **)&r->doc[1],
                            (const char **)&r->source, (const char **)&r->see};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (*slots[i] == NULL && (*slots[i] = strdup("")) == NULL)
            return SD_ENOMEM;
    return SD_OK;
}

/* A zeroed slot at the end of docs (not yet counted), or NULL when out of memory. */
static sd_ruledoc *new_slot(sd_ruledocs *docs)
{
    if (docs->count == docs->cap) {
        size_t cap = docs->cap ? docs->cap * 2 : 32;
        sd_ruledoc *n = realloc(docs->items, cap * sizeof *n);
        if (n == NULL)
            return NULL;
        docs->items = n;
        docs->cap = cap;
    }
    sd_ruledoc *r = &docs->items[docs->count];
    memset(r, 0, sizeof *r);
    return r;
}

sd_status sd_ruledoc_read(const char *bytes, size_t len, const char *name, sd_ruledocs *docs,
                          sd_error *err)
{
    xmlDocPtr doc = sd_load_parse_trusted_memory(bytes, len, name, err);
    if (doc == NULL)
        return SD_ERULES;
    sd_status st = SD_OK;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr p = root ? root->children : NULL; p && st == SD_OK; p = p->next) {
        xmlChar *id = is_sch(p, "pattern") ? xmlGetProp(p, (const xmlChar *)"id") : NULL;
        if (id == NULL)
            continue;
        sd_ruledoc *r = new_slot(docs);
        if (r == NULL) {
            xmlFree(id);
            st = SD_ENOMEM;
            break;
        }
        r->id = strdup((const char *)id);
        xmlFree(id);
        st = r->id ? read_pattern(p, r) : SD_ENOMEM;
        if (st != SD_OK)
            free_doc(r);
        else
            docs->count++;
    }
    xmlFreeDoc(doc);
    if (st == SD_ENOMEM)
        return sd_error_set(err, SD_ENOMEM, name, 0, "out of memory reading rule docs");
    return st;
}

static const struct {
    const char *id;
    sd_severity sev;
    const char *title_zh, *title_en, *doc_zh, *doc_en;
} INPUT_RULES[] = {
    {"SD001", SD_SEV_FATAL, "不是格式正确的 XML，或无法读取", "Not well-formed XML, or unreadable",
     "文件必须存在、可读，并且是格式正确的 XML：标签成对闭合，只用预定义实体。目录中找不到 .xml 文件、二进制文件、被截断的文件也在此报告。这样的文件无法检查，退出码为 2。",
     "The file must exist, be readable and be well-formed XML: tags closed in pairs, only the predefined entities. Folders without .xml files, binary and truncated files are reported here too. Such a file cannot be checked; the exit code is 2."},
    {"SD002", SD_SEV_ERROR, "不符合 XSD 模式", "Not valid against its XSD",
     "按根元素识别文档种类（三定规定 sanding、机构改革方案 reformPlan、上级机构目录 catalogue），用对应的 XSD 校验：缺少的元素和属性、取值类型、格式、引用。",
     "The root element tells the kind of document (sanding, reformPlan, catalogue); the matching XSD checks missing elements and attributes, value types, patterns and references."},
    {"SD003", SD_SEV_FATAL, "编码错误", "Encoding problem",
     "没有编码声明的文件必须是 UTF-8；GBK/GB18030 文件要在 XML 声明中写明 encoding。无效字节的位置精确到行列。",
     "A file without an encoding declaration must be UTF-8; GBK/GB18030 files must say so in the XML declaration. Invalid bytes are located by line and column."},
    {"SD004", SD_SEV_FATAL, "不安全或过大的输入被拒绝", "Unsafe or oversized input refused",
     "出于安全原因拒绝：任何 DOCTYPE（因而没有 DTD、外部实体或实体膨胀）、超过 --max-size 的文件、超过 256 层的嵌套、超过 10 MB 的文本或属性值。",
     "Refused for safety: any DOCTYPE (so no DTD, external entity or entity expansion), files over --max-size, nesting deeper than 256, text or attribute values over 10 MB."},
};

sd_status sd_ruledoc_add_input_rules(sd_ruledocs *docs, sd_error *err)
{
    for (size_t i = 0; i < sizeof INPUT_RULES / sizeof INPUT_RULES[0]; i++) {
        sd_ruledoc *r = new_slot(docs);
        if (r == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        r->id = strdup(INPUT_RULES[i].id);
        r->severity = INPUT_RULES[i].sev;
        r->title[SD_LANG_ZH] = strdup(INPUT_RULES[i].title_zh);
        r->title[SD_LANG_EN] = strdup(INPUT_RULES[i].title_en);
        r->doc[SD_LANG_ZH] = strdup(INPUT_RULES[i].doc_zh);
        r->doc[SD_LANG_EN] = strdup(INPUT_RULES[i].doc_en);
        r->source = strdup("");
        r->see = strdup("");
        docs->count++;
        if (!r->id || !r->title[0] || !r->title[1] || !r->doc[0] || !r->doc[1] || !r->source ||
            !r->see)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    return SD_OK;
}

const sd_ruledoc *sd_ruledoc_find(const sd_ruledocs *docs, const char *id)
{
    for (size_t i = 0; i < docs->count; i++)
        if (strcasecmp(docs->items[i].id, id) == 0)
            return &docs->items[i];
    return NULL;
}

int sd_ruledoc_example(const char *bytes, size_t len, sd_buf *b)
{
    static const char open[] = "<!-- sdlint:example -->", close[] = "<!-- /sdlint:example -->";
    const char *end = bytes + len;
    const char *s = memmem(bytes, len, open, sizeof open - 1);
    if (s == NULL)
        return 0;
    s = memchr(s, '\n', (size_t)(end - s));
    const char *e = s ? memmem(s, (size_t)(end - s), close, sizeof close - 1) : NULL;
    if (e == NULL)
        return 0;
    while (e > s && e[-1] != '\n')
        e--;
    sd_buf_add(b, s + 1, (size_t)(e - s - 1));
    return 1;
}

void sd_ruledocs_free(sd_ruledocs *docs)
{
    for (size_t i = 0; i < docs->count; i++)
        free_doc(&docs->items[i]);
    free(docs->items);
    memset(docs, 0, sizeof *docs);
}
