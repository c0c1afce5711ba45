/*
 * xsd.c — compile the embedded XSDs once, validate, and say each error plainly.
 *
 * libxml2 words its errors for XML experts ("Element '{urn:…}unit': The
 * attribute 'posts' is required but missing.").  We take the node it points at,
 * recognise the dozen message shapes that libxml2 2.9–2.14 produce for XSD 1.0,
 * and rebuild them from the labels our own schemas document: 内设机构"综合处"
 * 缺少编制数 (posts).  A shape we do not know keeps libxml2's text behind the
 * node's description, so nothing is ever lost.  The follow-up error libxml2
 * emits after a failed facet ("… is not a valid value of the atomic type")
 * repeats the first and is dropped.
 *
 * Cost: each kind's schema compiles once per set, at its first document (about
 * a millisecond: the build left out the documentation and made the label
 * tables, tools/xsdgen.c); validation is libxml2's, plus
 * O(errors × line length) to find columns.
 *
 * Identity constraints cost libxml2 2.9 a third of validating a 三定, so a
 * document is first validated against its schema without them (also built by
 * xsdgen) and, when libxml2 says nothing, idc.c checks them natively; it
 * answers "certainly no error" or "not sure".  Anything libxml2 says, and
 * "not sure", sends the document through the full schema as before, and only
 * that run's errors are reported: the findings are the same either way.
 */
#include "xsd.h"
#include "buf.h"
#include "pos.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "embedded.h"
#include "idc.h"
#include "xpathloc.h"

#define MAX_XSD_FINDINGS 100

struct sd_xsd_set {
    /* Each kind's schema is compiled when the first document of that kind is
     * validated (one small 三定 needs sanding.xsd only); once, under the lock,
     * for every thread.  A failure is kept and given to each later caller. */
    pthread_mutex_t lock;
    int tried[SD_KIND_COUNT];
    sd_error errs[SD_KIND_COUNT];
    xmlDocPtr docs[SD_KIND_COUNT];
    sd_embedded_tree *trees[SD_KIND_COUNT]; /* docs[k]'s owner when it is an image's tree */
    xmlSchemaPtr schemas[SD_KIND_COUNT];
    /* The fast path (idc.h): each kind's schema without its identity
     * constraints and the plan to check those natively, made together at the
     * kind's first document under the lock; lean[k] NULL: no fast path. */
    int lean_tried[SD_KIND_COUNT];
    xmlSchemaPtr lean[SD_KIND_COUNT];
    sd_embedded_tree *lean_trees[SD_KIND_COUNT];
    sd_idc_plan *plans[SD_KIND_COUNT];
    int full_only; /* tests: always the full schema (sd_xsd_set_full_only) */
    /* Generated at build time by tools/xsdgen.c from the full schemas. */
    const sd_embedded_label *labels; /* element and attribute names → zh/en labels */
    size_t nlabels;
    const sd_embedded_label *types;  /* our simple types → their base (in zh), to name a
                                        value's type; en: an enumeration's values and
                                        meanings ("value\037meaning\036…") */
    size_t ntypes;
};

/* ---- labels ------------------------------------------------------------- */

static int find_label(const sd_xsd_set *set, const char *name)
{
    for (size_t i = 0; i < set->nlabels; i++)
        if (strcmp(set->labels[i].name, name) == 0)
            return (int)i;
    return -1;
}

const char *sd_xsd_label(const sd_xsd_set *set, const char *local_name, sd_lang lang)
{
    int i = set ? find_label(set, local_name) : -1;
    if (i < 0)
        return NULL;
    const char *l = lang == SD_LANG_EN ? set->labels[i].en : set->labels[i].zh;
    return l ? l : (lang == SD_LANG_EN ? set->labels[i].zh : set->labels[i].en);
}

/* ---- compile ------------------------------------------------------------ */

/* The kind's schema as tools/xsdgen.c left it: includes inlined, no
 * documentation (the labels it carried are in sd_embedded_labels).  Trusted
 * bytes of our own, so libxml2 parses them directly (no position tables). */
static xmlDocPtr parse_embedded(const char *name, sd_embedded_tree **tree, sd_error *err)
{
    const sd_embedded_file *f = sd_embedded_schema(name);
    if (f == NULL) {
        sd_error_set(err, SD_ESCHEMA, name, 0, "schema %s is not built into this sdlint", name);
        return NULL;
    }
    char url[256];
    snprintf(url, sizeof url, "schemas/%s", name);
    /* its image when there is one: the same tree, built without reading XML,
     * read-only (libxml2 only reads a schema's tree; it has no blank text for
     * xmlSchemaParse to remove), owned by *tree */
    const sd_embedded_file *img = sd_embedded_schema_image(name);
    xmlDocPtr idoc = img ? sd_embedded_tree_new(url, img->bytes, img->len, tree) : NULL;
    if (idoc != NULL)
        return idoc;
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (pc == NULL) {
        sd_error_set(err, SD_ENOMEM, name, 0, "out of memory reading %s", name);
        return NULL;
    }
    xmlDocPtr doc = xmlCtxtReadMemory(pc, f->bytes, (int)f->len, url, "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL)
        sd_error_set(err, SD_ESCHEMA, name, 0, "schema %s does not parse", name);
    xmlFreeParserCtxt(pc);
    return doc;
}

typedef struct schema_errors {
    sd_error *err;
    const char *name;
    int seen;
} schema_errors;

static void on_schema_parse_error(void *data, xmlErrorPtr e)
{
    schema_errors *se = data;
    if (se->seen++ || e == NULL)
        return;
    sd_error_set(se->err, SD_ESCHEMA, se->name, e->line, "schema %s does not compile: %s",
                 se->name, e->message ? e->message : "?");
}

/* Compiles kind k's schema into set; on failure err says why. */
static sd_status compile_kind(sd_xsd_set *set, sd_kind k, sd_error *err)
{
    const char *name = sd_kind_schema(k);
    xmlDocPtr doc = parse_embedded(name, &set->trees[k], err);
    if (doc == NULL)
        return err->code ? err->code : SD_ESCHEMA;
    set->docs[k] = doc;
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewDocParserCtxt(doc);
    if (pc == NULL)
        return sd_error_set(err, SD_ENOMEM, name, 0, "out of memory compiling %s", name);
    schema_errors se = {.err = err, .name = name};
    xmlSchemaSetParserStructuredErrors(pc, on_schema_parse_error, &se);
    set->schemas[k] = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (set->schemas[k] == NULL) {
        if (!se.seen)
            sd_error_set(err, SD_ESCHEMA, name, 0, "schema %s does not compile", name);
        return err->code ? err->code : SD_ESCHEMA;
    }
    return SD_OK;
}

/* Kind k's compiled schema, compiling it on first need; NULL with err set
 * when it does not compile (only when out of memory, or a broken build). */
static xmlSchemaPtr schema_of(const sd_xsd_set *cset, sd_kind k, sd_error *err)
{
    sd_xsd_set *set = (sd_xsd_set *)cset; /* only the lazily made schema changes, under the lock */
    pthread_mutex_lock(&set->lock);
    if (!set->tried[k]) {
        set->tried[k] = 1;
        if (compile_kind(set, k, &set->errs[k]) != SD_OK && set->errs[k].code == SD_OK)
            set->errs[k].code = SD_ESCHEMA;
    }
    xmlSchemaPtr schema = set->schemas[k];
    if (schema == NULL && err != NULL)
        *err = set->errs[k];
    pthread_mutex_unlock(&set->lock);
    return schema;
}

/* Kind k's schema without identity constraints, compiled on first need,
 * with *plan the native check of those; NULL when the kind has no usable
 * plan, or anything fails (the full schema then does all the work). */
static xmlSchemaPtr lean_of(const sd_xsd_set *cset, sd_kind k, const sd_idc_plan **plan)
{
    sd_xsd_set *set = (sd_xsd_set *)cset; /* only the lazily made schema changes, under the lock */
    pthread_mutex_lock(&set->lock);
    if (!set->lean_tried[k]) {
        set->lean_tried[k] = 1;
        const char *name = sd_kind_schema(k);
        const sd_embedded_file *img = NULL;
        for (const sd_embedded_file *f = sd_idc_free_images; name && f->name; f++)
            if (strcmp(f->name, name) == 0)
                img = f;
        set->plans[k] = img ? sd_idc_plan_new(sd_idc_defs, name) : NULL;
        if (sd_idc_plan_usable(set->plans[k])) {
            char url[256];
            snprintf(url, sizeof url, "schemas/%s", name);
            xmlDocPtr doc = sd_embedded_tree_new(url, img->bytes, img->len, &set->lean_trees[k]);
            xmlSchemaParserCtxtPtr pc = doc ? xmlSchemaNewDocParserCtxt(doc) : NULL;
            if (pc) {
                sd_error ignored = {0};
                schema_errors se = {.err = &ignored, .name = name};
                xmlSchemaSetParserStructuredErrors(pc, on_schema_parse_error, &se);
                set->lean[k] = xmlSchemaParse(pc);
                xmlSchemaFreeParserCtxt(pc);
            }
        }
    }
    xmlSchemaPtr lean = set->lean[k];
    *plan = set->plans[k];
    pthread_mutex_unlock(&set->lock);
    return lean;
}

void sd_xsd_set_full_only(sd_xsd_set *set, int on)
{
    if (set)
        set->full_only = on != 0;
}

sd_status sd_xsd_compile(sd_xsd_set **out, sd_error *err)
{
    *out = NULL;
    sd_xsd_set *set = calloc(1, sizeof *set);
    if (set == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    if (pthread_mutex_init(&set->lock, NULL) != 0) {
        free(set);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    set->labels = sd_embedded_labels;
    while (set->labels[set->nlabels].name)
        set->nlabels++;
    set->types = sd_embedded_types;
    while (set->types[set->ntypes].name)
        set->ntypes++;
    *out = set;
    return SD_OK;
}

void sd_xsd_free(sd_xsd_set *set)
{
    if (set == NULL)
        return;
    for (int k = 0; k < SD_KIND_COUNT; k++) {
        if (set->schemas[k])
            xmlSchemaFree(set->schemas[k]);
        if (set->lean[k])
            xmlSchemaFree(set->lean[k]);
        if (set->lean_trees[k])
            sd_embedded_tree_free(set->lean_trees[k]);
        sd_idc_plan_free(set->plans[k]);
        if (set->trees[k])
            sd_embedded_tree_free(set->trees[k]);
        else if (set->docs[k])
            xmlFreeDoc(set->docs[k]);
    }
    pthread_mutex_destroy(&set->lock);
    free(set);
}

/* ---- validation and plain words ----------------------------------------- */

typedef struct validation {
    const sd_xsd_set *set;
    xmlDocPtr doc;
    const sd_source *src;
    sd_lang lang;
    sd_diags *d;
    sd_error *err;
    int count;
    int oom;
    xmlNodePtr last_node; /* for dropping libxml2's repeated follow-up error */
    char last_attr[128];
    /* Elements with a reported error, most recent first: an identity-constraint
     * error that follows from one of them is dropped.  libxml2 raises those
     * when the element ends, so a short memory is enough. */
    xmlNodePtr erred[256];
    size_t nerred;
    sd_xpathloc *loc; /* sibling positions, memoised for this document */
} validation;

static int has_erred(const validation *v, xmlNodePtr node)
{
    size_t n = v->nerred < 256 ? v->nerred : 256;
    for (size_t i = 0; node && i < n; i++)
        if (v->erred[i] == node)
            return 1;
    return 0;
}

/* Copies into out the text between the first `open` after `from` and the next
 * `close`; returns a pointer past it, or NULL. */
static const char *between(const char *from, const char *open, const char *close, char *out,
                           size_t outsz)
{
    const char *a = from ? strstr(from, open) : NULL;
    if (a == NULL)
        return NULL;
    a += strlen(open);
    const char *b = strstr(a, close);
    if (b == NULL)
        return NULL;
    size_t n = (size_t)(b - a) < outsz - 1 ? (size_t)(b - a) : outsz - 1;
    memcpy(out, a, n);
    out[n] = '\0';
    sd_utf8_fix_truncated(out, outsz);
    return b + strlen(close);
}

/* "{urn:x}local" → "local" in place. */
static char *local_of(char *qname)
{
    char *rb = strrchr(qname, '}');
    return rb ? rb + 1 : qname;
}

static const char *label_or_name(const validation *v, const char *name)
{
    const char *l = sd_xsd_label(v->set, name, v->lang);
    return l ? l : name;
}

static void describe(const validation *v, xmlNodePtr node, char *out, size_t outsz);

/* "编制数 (posts)", or just "posts" when the label is the name itself. */
static const char *named(const validation *v, const char *name, char *out, size_t outsz)
{
    const char *l = label_or_name(v, name);
    if (strcmp(l, name) == 0)
        snprintf(out, outsz, "%s", name);
    else
        snprintf(out, outsz, "%s (%s)", l, name);
    sd_utf8_fix_truncated(out, outsz);
    return out;
}

static void describe_one(const validation *v, xmlNodePtr node, char *out, size_t outsz)
{
    xmlChar *name = xmlGetProp(node, (const xmlChar *)"name");
    const char *lbl = label_or_name(v, (const char *)node->name);
    if (name)
        snprintf(out, outsz, v->lang == SD_LANG_EN ? "%s \"%s\"" : "%s\"%s\"", lbl,
                 (const char *)name);
    else
        snprintf(out, outsz, "%s", lbl);
    sd_utf8_fix_truncated(out, outsz);
    xmlFree(name);
}

/* 内设机构"综合处", or 机构"X"的人员编制 for an unnamed element inside a named one. */
static void describe(const validation *v, xmlNodePtr node, char *out, size_t outsz)
{
    if (node == NULL || node->type != XML_ELEMENT_NODE) {
        snprintf(out, outsz, "%s", SD_TR(v->lang, "文档", "document"));
        return;
    }
    if (xmlHasProp(node, (const xmlChar *)"name") || node->parent == NULL ||
        node->parent->type != XML_ELEMENT_NODE) {
        describe_one(v, node, out, outsz);
        return;
    }
    xmlNodePtr up = node->parent;
    while (up && up->type == XML_ELEMENT_NODE && !xmlHasProp(up, (const xmlChar *)"name"))
        up = up->parent;
    if (up == NULL || up->type != XML_ELEMENT_NODE)
        up = node->parent;
    char upd[512], me[256];
    describe_one(v, up, upd, sizeof upd);
    describe_one(v, node, me, sizeof me);
    snprintf(out, outsz, SD_TR(v->lang, "%s的%s", "%s of %s"),
             v->lang == SD_LANG_EN ? me : upd, v->lang == SD_LANG_EN ? upd : me);
    sd_utf8_fix_truncated(out, outsz);
}

/* "( {ns}a, {ns}b )" → "编制数 (posts)、职能 (function)" */
static void describe_expected(const validation *v, const char *list, char *out, size_t outsz)
{
    out[0] = '\0';
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    size_t used = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        char *loc = local_of(tok);
        if (*loc == '\0' || strcmp(loc, "##other") == 0)
            continue;
        char nm[256];
        int n = snprintf(out + used, outsz - used, "%s%s",
                         used ? SD_TR(v->lang, "、", ", ") : "", named(v, loc, nm, sizeof nm));
        if (n < 0 || (size_t)n >= outsz - used)
            break;
        used += (size_t)n;
    }
}

static const char *builtin_type_words(const char *type, sd_lang lang)
{
    static const struct {
        const char *type, *zh, *en;
    } T[] = {
        {"xs:nonNegativeInteger", "非负整数", "a non-negative whole number"},
        {"xs:positiveInteger", "正整数", "a positive whole number"},
        {"xs:integer", "整数", "a whole number"},
        {"xs:decimal", "数字", "a number"},
        {"xs:date", "真实存在的日期，格式 YYYY-MM-DD", "a real date, YYYY-MM-DD"},
        {"xs:boolean", "true 或 false", "true or false"},
        {"xs:ID", "标识符（字母开头，全文唯一）", "an identifier (starting with a letter, unique)"},
        {"xs:IDREF", "对某个标识符的引用", "a reference to an identifier"},
        {"xs:NCName", "名称（字母开头，不含空格和冒号）", "a name (starting with a letter, no spaces or colons)"},
        {"xs:token", "文本", "text"},
        {"xs:string", "文本", "text"},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
        if (strcmp(T[i].type, type) == 0)
            return lang == SD_LANG_EN ? T[i].en : T[i].zh;
    return NULL;
}

/* Words for a type named in a libxml2 message: ours ("{ns}CountType") are
 * followed down to the built-in type they restrict. */
static const char *type_words(const sd_xsd_set *set, const char *type, sd_lang lang)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", type);
    const char *t = local_of(buf);
    for (int hop = 0; hop < 8; hop++) {
        const char *w = builtin_type_words(t, lang);
        if (w)
            return w;
        const char *base = NULL;
        for (size_t i = 0; i < set->ntypes && !base; i++)
            if (strcmp(set->types[i].name, t) == 0)
                base = set->types[i].zh;
        if (base == NULL)
            return NULL;
        t = base;
        if (strchr(t, ':') && strncmp(t, "xs:", 3) != 0)
            t = strchr(t, ':') + 1; /* a prefixed name of ours */
    }
    return NULL;
}

/* libxml2 names an enumeration's allowed values only ("{'a', 'b'}"), not its type:
 * the type is the one of ours whose values, in schema order, give exactly that
 * set (two types with the same values have the same meanings).  Writes
 * "a（甲）、b（乙）" (zh) or "a (甲), b (乙)" (en) to out; 0 when no type matches. */
static int enum_with_meanings(const sd_xsd_set *set, const char *libset, sd_lang L, char *out,
                              size_t outsz)
{
    for (size_t i = 0; i < set->ntypes; i++) {
        const char *m = set->types[i].en;
        if (m == NULL)
            continue;
        sd_buf codes, words;
        sd_buf_init(&codes);
        sd_buf_init(&words);
        for (const char *p = m; *p;) {
            const char *us = strchr(p, '\037'), *rs = us ? strchr(us, '\036') : NULL;
            if (rs == NULL)
                break;
            sd_buf_printf(&codes, "%s'%.*s'", codes.len ? ", " : "", (int)(us - p), p);
            /* a meaning that only repeats the value (RankType: 正处级) is left out */
            if (rs > us + 1 && !(rs - us - 1 == us - p && memcmp(p, us + 1, (size_t)(us - p)) == 0))
                sd_buf_printf(&words, L == SD_LANG_EN ? "%s%.*s (%.*s)" : "%s%.*s（%.*s）",
                              words.len ? SD_TR(L, "、", ", ") : "", (int)(us - p), p,
                              (int)(rs - us - 1), us + 1);
            else
                sd_buf_printf(&words, "%s%.*s", words.len ? SD_TR(L, "、", ", ") : "",
                              (int)(us - p), p);
            p = rs + 1;
        }
        int hit = !sd_buf_failed(&codes) && !sd_buf_failed(&words) && codes.len &&
                  strcmp(codes.data, libset) == 0;
        if (hit) {
            snprintf(out, outsz, "%s", words.data);
            sd_utf8_fix_truncated(out, outsz);
        }
        sd_buf_free(&codes);
        sd_buf_free(&words);
        if (hit)
            return 1;
    }
    return 0;
}

/* A key of several fields comes as "a', 'b" out of libxml2's "['a', 'b']":
 * written "a、b" (zh) or "a, b" (en). */
static void join_key_fields(char *key, size_t keysz, sd_lang L)
{
    char out[512];
    size_t o = 0;
    const char *sep = SD_TR(L, "、", ", ");
    for (const char *p = key; *p && o + 4 < sizeof out;) {
        if (strncmp(p, "', '", 4) == 0) {
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", sep);
            p += 4;
        } else {
            out[o++] = *p++;
        }
    }
    out[o < sizeof out ? o : sizeof out - 1] = '\0';
    snprintf(key, keysz, "%s", out);
    sd_utf8_fix_truncated(key, keysz);
}

/* Builds the plain message for libxml2's msg about node (attribute attr or "").
 * Returns 0 when the error is a repeat to drop. */
static int plain_message(validation *v, xmlNodePtr node, const char *attr, const char *msg,
                         char *out, size_t outsz)
{
    sd_lang L = v->lang;
    char desc[768], what[1024], a1[512], a2[512], nm[256];
    describe(v, node, desc, sizeof desc);
    if (attr[0] && L == SD_LANG_EN)
        snprintf(what, sizeof what, "%s of %s", named(v, attr, nm, sizeof nm), desc);
    else if (attr[0])
        snprintf(what, sizeof what, "%s的%s", desc, named(v, attr, nm, sizeof nm));
    else
        snprintf(what, sizeof what, "%s", desc);
    sd_utf8_fix_truncated(what, sizeof what);
    /* Match on what follows "Element '…'(, attribute '…'): " only. */
    const char *head_end = strstr(msg, "': ");
    if (head_end && strncmp(msg, "Element '", 9) == 0)
        msg = head_end + 3;
    int is_facet = strstr(msg, "[facet '") != NULL;
    /* libxml2's follow-ups to an invalid value it has just reported: the
     * value has no typed form, so the key it belongs to has no field. */
    if (strstr(msg, "No precomputed value available") != NULL)
        return 0;
    if (strstr(msg, "evaluate to a node") != NULL && has_erred(v, node))
        return 0;

    if (!is_facet && strstr(msg, "is not a valid value of the") && node == v->last_node &&
        strcmp(attr, v->last_attr) == 0)
        return 0; /* libxml2's follow-up to a facet error just reported */
    v->last_node = node;
    snprintf(v->last_attr, sizeof v->last_attr, "%s", attr);

    if (between(msg, "The attribute '", "' is required but missing", a1, sizeof a1)) {
        snprintf(out, outsz, SD_TR(L, "%s缺少%s", "%s lacks %s"), desc, named(v, a1, nm, sizeof nm));
    } else if (strstr(msg, "Missing child element")) {
        if (between(msg, "Expected is one of (", ")", a1, sizeof a1) ||
            between(msg, "Expected is (", ")", a1, sizeof a1)) {
            describe_expected(v, a1, a2, sizeof a2);
            snprintf(out, outsz, SD_TR(L, "%s缺少%s", "%s lacks %s"), desc, a2);
        } else {
            snprintf(out, outsz, SD_TR(L, "%s缺少必需的子元素", "%s lacks a required child element"),
                     desc);
        }
    } else if (strstr(msg, "This element is not expected")) {
        char pd[768];
        describe(v, node ? node->parent : NULL, pd, sizeof pd);
        const char *el = node ? (const char *)node->name : "?";
        char nmb[256];
        if (between(msg, "Expected is one of (", ")", a1, sizeof a1) ||
            between(msg, "Expected is (", ")", a1, sizeof a1)) {
            describe_expected(v, a1, a2, sizeof a2);
            if (L == SD_LANG_EN)
                snprintf(out, outsz, "%s is not expected here in %s; expected: %s",
                         named(v, el, nmb, sizeof nmb), pd, a2);
            else
                snprintf(out, outsz, "%s中此处不应出现%s，此处应为：%s", pd,
                         named(v, el, nmb, sizeof nmb), a2);
        } else if (L == SD_LANG_EN) {
            snprintf(out, outsz, "%s is not allowed in %s", named(v, el, nmb, sizeof nmb), pd);
        } else {
            snprintf(out, outsz, "%s中不应出现%s", pd, named(v, el, nmb, sizeof nmb));
        }
    } else if (between(msg, "The attribute '", "' is not allowed", a1, sizeof a1)) {
        snprintf(out, outsz, SD_TR(L, "%s不允许有属性 %s", "%s may not have the attribute %s"),
                 desc, a1);
    } else if (strstr(msg, "[facet 'enumeration']") &&
               between(msg, "The value '", "' is not an element of the set {", a1, sizeof a1)) {
        between(msg, "of the set {", "}.", a2, sizeof a2);
        char listed[1024];
        if (enum_with_meanings(v->set, a2, L, listed, sizeof listed))
            snprintf(a2, sizeof a2, "%s", listed);
        snprintf(out, outsz,
                 SD_TR(L, "%s的取值\"%s\"不在允许的取值之中：%s",
                       "%s has the value \"%s\", which is not one of: %s"),
                 what, a1, a2);
    } else if (strstr(msg, "[facet 'pattern']") &&
               between(msg, "The value '", "' is not accepted by the pattern '", a1, sizeof a1)) {
        between(msg, "by the pattern '", "'.", a2, sizeof a2);
        if (strcmp(a2, "[0-9]+") == 0) /* CountType: a sign is what fails */
            snprintf(out, outsz,
                     SD_TR(L, "%s的取值\"%s\"无效：应为只写数字的非负整数，不带正负号",
                           "%s has the invalid value \"%s\": expected a whole number in digits only, without a sign"),
                     what, a1);
        else
            snprintf(out, outsz,
                     SD_TR(L, "%s的取值\"%s\"格式不对（应符合 %s）",
                           "%s has the value \"%s\", which does not match the pattern %s"),
                     what, a1, a2);
    } else if (strstr(msg, "[facet 'minLength']") || strstr(msg, "[facet 'length']")) {
        snprintf(out, outsz, SD_TR(L, "%s不能为空或过短", "%s is empty or too short"), what);
    } else if (strstr(msg, "[facet '")) {
        between(msg, "The value '", "'", a1, sizeof a1);
        snprintf(out, outsz,
                 SD_TR(L, "%s的取值\"%s\"超出允许范围（libxml2：%s）",
                       "%s has the value \"%s\", out of the allowed range (%s)"),
                 what, a1, msg);
    } else if (between(msg, "'", "' is not a valid value of the", a1, sizeof a1)) {
        const char *tw = NULL;
        if (between(msg, "atomic type '", "'", a2, sizeof a2) ||
            between(msg, "union type '", "'", a2, sizeof a2))
            tw = type_words(v->set, a2, L);
        if (tw)
            snprintf(out, outsz,
                     SD_TR(L, "%s的取值\"%s\"无效：应为%s", "%s has the invalid value \"%s\": expected %s"),
                     what, a1, tw);
        else
            snprintf(out, outsz,
                     SD_TR(L, "%s的取值\"%s\"无效", "%s has the invalid value \"%s\""), what, a1);
    } else if (between(msg, "No match found for key-sequence ['", "']", a1, sizeof a1)) {
        join_key_fields(a1, sizeof a1, L);
        snprintf(out, outsz,
                 SD_TR(L, "%s引用的\"%s\"不存在", "%s refers to \"%s\", which does not exist"),
                 what, a1);
    } else if (between(msg, "Duplicate key-sequence ['", "']", a1, sizeof a1)) {
        join_key_fields(a1, sizeof a1, L);
        snprintf(out, outsz, SD_TR(L, "%s的\"%s\"重复出现", "%s: \"%s\" occurs more than once"),
                 what, a1);
    } else if (between(msg, "Not all fields of key identity-constraint '", "'", a1, sizeof a1)) {
        const char *key = strrchr(a1, '}') ? strrchr(a1, '}') + 1 : a1;
        snprintf(out, outsz,
                 SD_TR(L, "%s缺少用作键 %s 的字段", "%s lacks a field of the key %s"), desc, key);
    } else if (strstr(msg, "Character content other than whitespace is not allowed")) {
        snprintf(out, outsz, SD_TR(L, "%s中不应直接写文字", "%s may not contain text directly"),
                 desc);
    } else if (strstr(msg, "Element content is not allowed")) {
        snprintf(out, outsz, SD_TR(L, "%s只能写文字，不能含子元素", "%s may hold text only, no elements"),
                 desc);
    } else {
        snprintf(out, outsz, "%s: %s", what, msg);
    }
    return 1;
}

/* Whether one of el's attributes has the value v once its blanks are collapsed. */
static int has_attr_value(xmlNodePtr el, const char *v)
{
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        xmlChar *raw = xmlNodeListGetString(el->doc, a->children, 1);
        int eq = 0;
        if (raw) {
            const char *p = (const char *)raw, *q = v;
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                p++;
            size_t n = strlen(p);
            while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
                n--;
            eq = strlen(q) == n && strncmp(p, q, n) == 0;
        }
        xmlFree(raw);
        if (eq)
            return 1;
    }
    return 0;
}

/* The first element that starts on line, in document order, or NULL; with a
 * name, the first of that local name, and with a value too, the first of them
 * that has an attribute of that value (the unresolved key of a keyref error,
 * which libxml2 reports by line only). */
static xmlNodePtr element_at_line(xmlNodePtr n, long line, const char *name, const char *value)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        sd_pos pos;
        sd_pos_of(n, &pos);
        if (pos.line == line && (name == NULL || strcmp((const char *)n->name, name) == 0) &&
            (value == NULL || has_attr_value(n, value)))
            return n;
        xmlNodePtr below = element_at_line(n->children, line, name, value);
        if (below)
            return below;
    }
    return NULL;
}

static void on_validation_error(void *data, xmlErrorPtr e)
{
    validation *v = data;
    if (e == NULL || e->level < XML_ERR_ERROR || v->oom)
        return;
    if (v->count >= MAX_XSD_FINDINGS) {
        if (v->count++ == MAX_XSD_FINDINGS &&
            sd_diags_addf(v->d, v->err, "SD002", SD_SEV_ERROR, v->src->path, 0, 0, NULL,
                          SD_TR(v->lang, "模式错误过多，其余 %s 省略", "too many schema errors; the rest%s are left out"),
                          "") != SD_OK)
            v->oom = 1;
        return;
    }
    char raw[1024];
    snprintf(raw, sizeof raw, "%s", e->message ? e->message : "");
    sd_utf8_fix_truncated(raw, sizeof raw);
    size_t rl = strlen(raw);
    while (rl && (raw[rl - 1] == '\n' || raw[rl - 1] == ' '))
        raw[--rl] = '\0';
    xmlNodePtr node = e->node;
    if (node && node->type == XML_ATTRIBUTE_NODE)
        node = node->parent;
    if (node && node->type != XML_ELEMENT_NODE)
        node = NULL;
    if (node == NULL && e->line > 0) { /* identity-constraint errors carry only a line */
        /* "Element '{ns}post': No match found for key-sequence ['正科级'] …": that post */
        char el[128] = "", key[256] = "";
        const char *name = NULL;
        if (between(raw, "Element '", "'", el, sizeof el))
            name = strrchr(el, '}') ? strrchr(el, '}') + 1 : el;
        int one_key = between(raw, "key-sequence ['", "']", key, sizeof key) && !strstr(key, "', '");
        xmlNodePtr root = xmlDocGetRootElement(v->doc);
        if (name && one_key)
            node = element_at_line(root, e->line, name, key);
        if (node == NULL && name)
            node = element_at_line(root, e->line, name, NULL);
        if (node == NULL)
            node = element_at_line(root, e->line, NULL, NULL);
    }
    char attr[128] = "";
    between(raw, "', attribute '", "'", attr, sizeof attr);
    char msg[2048];
    if (!plain_message(v, node, attr, raw, msg, sizeof msg))
        return;
    /* The position recorded at parse time: of the attribute when the error
     * is about one, else of the element's start tag. */
    xmlNodePtr at = node;
    if (e->node && ((xmlNodePtr)e->node)->type == XML_ATTRIBUTE_NODE)
        at = e->node;
    else if (node && attr[0])
        for (xmlAttrPtr a = node->properties; a; a = a->next)
            if (a->name && strcmp((const char *)a->name, attr) == 0) {
                at = (xmlNodePtr)a;
                break;
            }
    sd_pos pos = {0};
    if (at)
        sd_pos_of(at, &pos);
    else
        pos.line = e->line > 0 ? e->line : 0;
    /* the same XPath form as rule findings (xpathloc.h), of the same node */
    char *path = NULL;
    if (at != NULL && (path = sd_xpathloc_path(v->loc, at, SD_XPATHLOC_COMPACT)) == NULL) {
        v->oom = 1;
        return;
    }
    v->count++;
    v->erred[v->nerred++ % 256] = node;
    sd_finding f = {.rule_id = "SD002", .severity = SD_SEV_ERROR, .file = v->src->path,
                    .line = pos.line, .col = pos.col, .end_line = pos.end_line,
                    .end_col = pos.end_col, .offset = (long)pos.offset,
                    .location = path, .message = msg};
    if (sd_diags_add(v->d, &f, v->err) != SD_OK)
        v->oom = 1;
    free(path);
}

struct sd_xsd_validators {
    xmlSchemaPtr schema[SD_KIND_COUNT]; /* what vc[k] validates against */
    xmlSchemaValidCtxtPtr vc[SD_KIND_COUNT];
    xmlSchemaPtr lean_schema[SD_KIND_COUNT]; /* the same for the schemas without IDCs */
    xmlSchemaValidCtxtPtr lean_vc[SD_KIND_COUNT];
};

sd_xsd_validators *sd_xsd_validators_new(void)
{
    return calloc(1, sizeof(sd_xsd_validators));
}

void sd_xsd_validators_free(sd_xsd_validators *v)
{
    if (v == NULL)
        return;
    for (int k = 0; k < SD_KIND_COUNT; k++) {
        if (v->vc[k])
            xmlSchemaFreeValidCtxt(v->vc[k]);
        if (v->lean_vc[k])
            xmlSchemaFreeValidCtxt(v->lean_vc[k]);
    }
    free(v);
}

static void count_report(void *data, xmlErrorPtr e)
{
    (void)e;
    (*(int *)data)++;
}

/* 1 when doc certainly validates against kind k's full schema without a
 * word from libxml2: it does against the schema without identity
 * constraints, and idc.c is certain it breaks none of them.  0: not sure. */
static int certainly_valid(const sd_xsd_set *set, sd_xsd_validators *vals, sd_kind k,
                           xmlDocPtr doc)
{
    const sd_idc_plan *plan = NULL;
    xmlSchemaPtr lean = set->full_only ? NULL : lean_of(set, k, &plan);
    if (lean == NULL)
        return 0;
    xmlSchemaValidCtxtPtr vc = vals && vals->lean_schema[k] == lean ? vals->lean_vc[k] : NULL;
    if (vc == NULL && (vc = xmlSchemaNewValidCtxt(lean)) == NULL)
        return 0;
    if (vals && vals->lean_vc[k] != vc) {
        if (vals->lean_vc[k])
            xmlSchemaFreeValidCtxt(vals->lean_vc[k]);
        vals->lean_vc[k] = vc;
        vals->lean_schema[k] = lean;
    }
    int reports = 0;
    xmlSchemaSetValidStructuredErrors(vc, count_report, &reports);
    int rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaSetValidStructuredErrors(vc, NULL, NULL);
    if (vals == NULL)
        xmlSchemaFreeValidCtxt(vc);
    return rc == 0 && reports == 0 && sd_idc_certain(plan, doc);
}

sd_status sd_xsd_validate(const sd_xsd_set *set, xmlDocPtr doc, const sd_source *src,
                          sd_lang lang, sd_diags *d, sd_error *err)
{
    return sd_xsd_validate_with(set, NULL, doc, src, lang, d, err);
}

sd_status sd_xsd_validate_with(const sd_xsd_set *set, sd_xsd_validators *vals, xmlDocPtr doc,
                               const sd_source *src, sd_lang lang, sd_diags *d, sd_error *err)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    sd_kind k = sd_kind_of(doc);
    if (k == SD_KIND_OTHER) {
        const char *ns = root && root->ns ? (const char *)root->ns->href : "";
        const char *name = root ? (const char *)root->name : "";
        sd_pos pos = {.line = 1};
        if (root)
            sd_pos_of(root, &pos);
        long line = pos.line, col = pos.col;
        if (sd_kind_by_root(name) != SD_KIND_OTHER)
            return sd_diags_addf(
                d, err, "SD002", SD_SEV_ERROR, src->path, line, col, NULL,
                SD_TR(lang, "根元素 <%s> 的命名空间是\"%s\"，应为\"%s\"",
                      "the root element <%s> is in the namespace \"%s\"; expected \"%s\""),
                name, ns, SD_NS);
        return sd_diags_addf(
            d, err, "SD002", SD_SEV_ERROR, src->path, line, col, NULL,
            SD_TR(lang,
                  "根元素 <%s> 不是 sdlint 认识的文档：应为 sanding（三定规定）、reformPlan（机构改革方案）或 catalogue（上级机构目录），命名空间 %s；其他 XML 请用 --rules 指定规则包",
                  "the root element <%s> is not a document sdlint knows: expected sanding, reformPlan or catalogue in the namespace %s; for other XML give a rule pack with --rules"),
            name, SD_NS);
    }
    if (certainly_valid(set, vals, k, doc))
        return SD_OK;
    xmlSchemaPtr schema = schema_of(set, k, err);
    if (schema == NULL)
        return err && err->code ? err->code : SD_ESCHEMA;
    xmlSchemaValidCtxtPtr vc = vals && vals->schema[k] == schema ? vals->vc[k] : NULL;
    if (vc == NULL && (vc = xmlSchemaNewValidCtxt(schema)) == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory validating");
    if (vals && vals->vc[k] != vc) {
        if (vals->vc[k])
            xmlSchemaFreeValidCtxt(vals->vc[k]);
        vals->vc[k] = vc;
        vals->schema[k] = schema;
    }
    validation v = {.set = set, .doc = doc, .src = src, .lang = lang, .d = d, .err = err,
                    .loc = sd_xpathloc_new()};
    if (v.loc == NULL) {
        if (vals == NULL)
            xmlSchemaFreeValidCtxt(vc);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory validating");
    }
    xmlSchemaSetValidStructuredErrors(vc, on_validation_error, &v);
    xmlSchemaValidateDoc(vc, doc);
    xmlSchemaSetValidStructuredErrors(vc, NULL, NULL); /* v is about to go */
    if (vals == NULL)
        xmlSchemaFreeValidCtxt(vc);
    sd_xpathloc_free(v.loc);
    if (v.oom)
        return SD_ENOMEM;
    return SD_OK;
}
