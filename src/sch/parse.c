/*
 * parse.c — reads an ISO Schematron pack into the engine's model (sch_int.h).
 *
 * Place: first step of sd_sch_compile_*.  It loads the .sch safely (no network,
 * no DTD, no entity expansion, DOCTYPE refused), replaces every sch:include by
 * the root element of the file it names (relative to the base URI of the
 * include element itself, so nested includes resolve from their own folder),
 * inlines rule/extends@href the same way and extends@rule from the abstract
 * rules of the same pattern, and turns assert/report/diagnostic/property
 * content into message segments (text, value-of, name).  Every model object
 * keeps its .sch file and line for error messages.
 *
 * An href with a fragment identifier (x.sch#id, or #id in the same file)
 * selects the element whose xml:id or id is id.  xml:lang is inherited from
 * the nearest ancestor, across include and extends (the include element's
 * ancestors count for what it brings in).
 *
 * Left out: XSLT elements (xsl:key, xsl:function, xsl:copy-of) — they need an
 * XSLT processor and are refused with a clear error.  Cost: linear in the size of the pack and its includes;
 * include depth is bounded by SCH_MAX_INCLUDE_DEPTH, loops are errors.
 */
#include "sch/sch_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/uri.h>

#include "embedded.h"
#include "load.h"
#include "quiet.h"

#define SCH_MAX_INCLUDE_DEPTH 32

typedef struct builder {
    sd_sch_pack *pack;
    sd_error *err;
    sd_status st;
    const char *stack[SCH_MAX_INCLUDE_DEPTH];
    int depth;
    sch_pattern *pat; /* pattern being read */
    const char *cur_file; /* file of the message being read */
    const char *inc_lang; /* xml:lang in effect at the innermost include point */
    xmlDocPtr top;        /* the pack's own document, and its URL in the arena: */
    const char *top_url;  /* the model's file names do not point into the tree */
    int kept_nodes;       /* the model points into the tree (element-content lets) */
} builder;

/* Packs, included files and subordinate documents are read by the same safe
 * loader as the documents we check (src/load.c): size limit, FIFOs that cannot
 * block, folders refused, DOCTYPE refused before its subset is read, encodings
 * decoded.  The reason for a failure is the loader's first finding. */
xmlDocPtr sch_load_xml(const char *path, const char *bytes, size_t len, char *why,
                       size_t whylen)
{
    why[0] = '\0';
    if (path != NULL && strstr(path, "://") != NULL && strncmp(path, "file://", 7) != 0) {
        snprintf(why, whylen, "only local files are read, not %s", path);
        return NULL;
    }
    const char *file = path && strncmp(path, "file://", 7) == 0 ? path + 7 : path;
    sd_load_options opt = {.lang = SD_LANG_EN};
    sd_source src = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    sd_status st;
    if (bytes == NULL) {
        st = sd_load_read_file(file, &opt, &src, &d, &err);
    } else {
        src.path = strdup(file ? file : "");
        src.bytes = malloc(len + 1);
        st = (src.path && src.bytes) ? SD_OK : SD_ENOMEM;
        if (st == SD_OK) {
            memcpy(src.bytes, bytes, len);
            src.bytes[len] = '\0';
            src.len = len;
        }
    }
    xmlDocPtr doc = NULL;
    if (st == SD_OK && src.bytes != NULL)
        st = sd_load_parse(&src, &opt, &doc, &d, &err);
    if (st == SD_ENOMEM) {
        snprintf(why, whylen, "out of memory");
    } else if (doc == NULL && d.count > 0) {
        if (d.items[0].line > 0)
            snprintf(why, whylen, "line %ld: %s", d.items[0].line, d.items[0].message);
        else
            snprintf(why, whylen, "%s", d.items[0].message);
    } else if (doc == NULL) {
        snprintf(why, whylen, "%s", err.msg[0] ? err.msg : "cannot be read");
    }
    sd_diags_free(&d);
    sd_source_free(&src);
    return doc;
}

/* A trusted pack in memory (an embedded one, checked whole by make check):
 * straight to libxml2 with the safe loader's settings plus XML_PARSE_COMPACT
 * (a short text is kept inside its node, not allocated: the pack's tree is
 * only read), skipping the loader's checks of untrusted input.  NULL on any
 * problem (not well-formed, a DOCTYPE): the safe loader then says what. */
static xmlDocPtr trusted_xml(const char *path, const char *bytes, size_t len)
{
    if (len > (size_t)INT_MAX)
        return NULL;
    const char *url = path && strncmp(path, "file://", 7) == 0 ? path + 7 : path;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return NULL;
    sd_quiet quiet;
    sd_quiet_begin(&quiet);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, bytes, (int)len, url ? url : "", NULL,
                                      XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA |
                                          XML_PARSE_COMPACT);
    sd_quiet_end(&quiet);
    if (doc != NULL && (!ctxt->wellFormed || !ctxt->nsWellFormed || doc->intSubset != NULL)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

static const char *node_file(builder *b, xmlNodePtr n)
{
    if (n != NULL && n->doc != NULL && n->doc == b->top && b->top_url != NULL)
        return b->top_url;
    if (n != NULL && n->doc != NULL && n->doc->URL != NULL)
        return (const char *)n->doc->URL;
    return b->pack->path;
}

static long node_line(xmlNodePtr n)
{
    return n ? xmlGetLineNo(n) : 0;
}

static int fail(builder *b, xmlNodePtr n, const char *fmt, const char *a1, const char *a2)
{
    if (b->st == SD_OK) {
        char msg[900];
        snprintf(msg, sizeof msg, fmt, a1 ? a1 : "", a2 ? a2 : "");
        b->st = sd_error_set(b->err, SD_ERULES, node_file(b, n), node_line(n), "%s", msg);
    }
    return -1;
}

static int oom(builder *b)
{
    if (b->st == SD_OK)
        b->st = sd_error_set(b->err, SD_ENOMEM, b->pack->path, 0, "out of memory reading the rule pack");
    return -1;
}

/* Attribute value copied into the arena, NULL when absent. */
static char *attr(builder *b, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    char *s = sch_strdup(&b->pack->arena, (const char *)v);
    xmlFree(v);
    return s;
}

/* xml:lang of n or of its nearest ancestor that has one; inside an included
 * file, the ancestors of the include element count too. */
static char *lang_of(builder *b, xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetLang(n);
    if (v == NULL)
        return b->inc_lang ? sch_strdup(&b->pack->arena, b->inc_lang) : NULL;
    char *s = sch_strdup(&b->pack->arena, (const char *)v);
    xmlFree(v);
    return s;
}

/* The first element of doc, in document order, whose xml:id or id is id. */
static xmlNodePtr by_id(xmlNodePtr n, const char *id)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"id", XML_XML_NAMESPACE);
        if (v == NULL)
            v = xmlGetNoNsProp(n, (const xmlChar *)"id");
        int hit = v != NULL && strcmp((const char *)v, id) == 0;
        xmlFree(v);
        if (hit)
            return n;
        xmlNodePtr below = by_id(n->children, id);
        if (below != NULL)
            return below;
    }
    return NULL;
}

/* Loads what an include or extends names: the root element of the file, or
 * with a fragment identifier (x.sch#id, or #id in the same file) the element
 * whose xml:id or id is id.  *uri_out names it for loop checks. */
static xmlNodePtr load_ref(builder *b, xmlNodePtr at, const char *href, const char **uri_out)
{
    if (href == NULL || href[0] == '\0') {
        fail(b, at, "<%s> without @href", (const char *)at->name, NULL);
        return NULL;
    }
    const char *hash = strchr(href, '#');
    const char *frag = hash ? hash + 1 : NULL;
    if (frag != NULL && frag[0] == '\0')
        frag = NULL;
    char *file_part = sch_strndup(&b->pack->arena, href, hash ? (size_t)(hash - href) : strlen(href));
    if (file_part == NULL) {
        oom(b);
        return NULL;
    }
    xmlDocPtr doc = NULL;
    const char *p = NULL;
    if (file_part[0] == '\0') {
        if (frag == NULL) {
            fail(b, at, "<%s href=\"%s\">: names no file and no element", (const char *)at->name, href);
            return NULL;
        }
        doc = at->doc; /* href="#id": an element of this same file */
        p = node_file(b, at);
    } else {
        xmlChar *base = xmlNodeGetBase(at->doc, at);
        xmlChar *uri = xmlBuildURI((const xmlChar *)file_part, base);
        xmlFree(base);
        if (uri == NULL) {
            fail(b, at, "cannot resolve include href \"%s\"", href, NULL);
            return NULL;
        }
        const char *up = (const char *)uri;
        if (strncmp(up, "file://", 7) == 0)
            up += 7;
        p = sch_strdup(&b->pack->arena, up);
        xmlFree(uri);
        if (p == NULL) {
            oom(b);
            return NULL;
        }
    }
    /* the loop key: the file, plus the fragment when there is one */
    const char *key = p;
    if (frag != NULL) {
        size_t n = strlen(p) + strlen(frag) + 2;
        char *k = sch_alloc(&b->pack->arena, n);
        if (k == NULL) {
            oom(b);
            return NULL;
        }
        snprintf(k, n, "%s#%s", p, frag);
        key = k;
    }
    for (int i = 0; i < b->depth; i++) {
        if (strcmp(b->stack[i], key) == 0) {
            fail(b, at, "include loop: %s includes itself", key, NULL);
            return NULL;
        }
    }
    if (b->depth >= SCH_MAX_INCLUDE_DEPTH) {
        fail(b, at, "includes nested deeper than the limit at %s", key, NULL);
        return NULL;
    }
    if (doc == NULL) {
        /* access(), not fopen(): opening a FIFO nobody writes to would block */
        if (access(p, F_OK) != 0) {
            fail(b, at, "missing include: %s", p, NULL);
            return NULL;
        }
        char why[600];
        doc = sch_load_xml(p, NULL, 0, why, sizeof why);
        if (doc == NULL) {
            char msg[700];
            snprintf(msg, sizeof msg, "included file %s: %s", p, why);
            fail(b, at, "%s", msg, NULL);
            return NULL;
        }
        if (sch_vec_push(&b->pack->arena, &b->pack->docs, doc) < 0) {
            xmlFreeDoc(doc);
            oom(b);
            return NULL;
        }
    }
    xmlNodePtr target = xmlDocGetRootElement(doc);
    if (frag != NULL) {
        target = by_id(target, frag);
        if (target == NULL) {
            fail(b, at, "<%s href=\"%s\">: no element with that xml:id or id", (const char *)at->name,
                 href);
            return NULL;
        }
    }
    *uri_out = key;
    return target;
}

/* Follows an include or extends: the lang in effect at `at` becomes the
 * fallback for what it brings in.  Returns the previous one to restore. */
static const char *enter_ref(builder *b, xmlNodePtr at)
{
    const char *saved = b->inc_lang;
    char *l = lang_of(b, at);
    b->inc_lang = l;
    return saved;
}

typedef int (*visit_fn)(builder *b, xmlNodePtr el, void *ud);

/* Calls fn for each child element of parent, with sch:include replaced by the
 * root element of the included file (recursively). */
static int each_child(builder *b, xmlNodePtr parent, visit_fn fn, void *ud);

static int visit_one(builder *b, xmlNodePtr el, visit_fn fn, void *ud)
{
    if (!sch_is_sch(el, "include"))
        return fn(b, el, ud);
    char *href = attr(b, el, "href");
    const char *uri = NULL;
    xmlNodePtr root = load_ref(b, el, href, &uri);
    if (root == NULL)
        return -1;
    const char *saved = enter_ref(b, el);
    b->stack[b->depth++] = uri;
    int rc = visit_one(b, root, fn, ud);
    b->depth--;
    b->inc_lang = saved;
    return rc;
}

static int each_child(builder *b, xmlNodePtr parent, visit_fn fn, void *ud)
{
    for (xmlNodePtr c = parent->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (visit_one(b, c, fn, ud) < 0)
            return -1;
    }
    return 0;
}

/* ---- messages -------------------------------------------------------- */

typedef struct segs {
    sch_vec v;
} segs;

static int seg_add(builder *b, segs *s, int kind, const char *text)
{
    sch_seg *g = sch_alloc(&b->pack->arena, sizeof *g);
    if (g == NULL)
        return oom(b);
    g->kind = kind;
    g->expr = -1;
    g->file = b->cur_file;
    g->text = sch_strdup(&b->pack->arena, text);
    if (text != NULL && g->text == NULL)
        return oom(b);
    return sch_vec_push(&b->pack->arena, &s->v, g) < 0 ? oom(b) : 0;
}

static int msg_walk(builder *b, xmlNodePtr parent, segs *s)
{
    for (xmlNodePtr c = parent->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (seg_add(b, s, SEG_TEXT, (const char *)c->content) < 0)
                return -1;
        } else if (c->type != XML_ELEMENT_NODE) {
            continue;
        } else if (sch_is_sch(c, "value-of")) {
            char *sel = attr(b, c, "select");
            if (sel == NULL)
                return fail(b, c, "<value-of> without @select", NULL, NULL);
            if (seg_add(b, s, SEG_VALUEOF, sel) < 0)
                return -1;
            ((sch_seg *)s->v.v[s->v.n - 1])->line = node_line(c);
        } else if (sch_is_sch(c, "name")) {
            char *path = attr(b, c, "path");
            if (seg_add(b, s, SEG_NAME, path) < 0)
                return -1;
            ((sch_seg *)s->v.v[s->v.n - 1])->line = node_line(c);
        } else if (sch_is_ns(c, "http://www.w3.org/1999/XSL/Transform", NULL)) {
            return fail(b, c, "<xsl:%s> needs an XSLT processor; sdlint runs the XPath 1.0 binding only",
                        (const char *)c->name, NULL);
        } else {
            /* emph, dir, span and foreign markup: their text */
            if (msg_walk(b, c, s) < 0)
                return -1;
        }
    }
    return 0;
}

static int read_msg(builder *b, xmlNodePtr n, sch_msg *m)
{
    segs s = {{0}};
    b->cur_file = node_file(b, n);
    if (msg_walk(b, n, &s) < 0)
        return -1;
    m->n = s.v.n;
    m->seg = sch_alloc(&b->pack->arena, (s.v.n ? s.v.n : 1) * sizeof *m->seg);
    if (m->seg == NULL)
        return oom(b);
    for (size_t i = 0; i < s.v.n; i++)
        m->seg[i] = *(sch_seg *)s.v.v[i];
    return 0;
}

/* ---- elements -------------------------------------------------------- */

static sch_let *read_let(builder *b, xmlNodePtr n, int owner)
{
    sch_let *l = sch_alloc(&b->pack->arena, sizeof *l);
    if (l == NULL) {
        oom(b);
        return NULL;
    }
    l->name = attr(b, n, "name");
    l->value = attr(b, n, "value");
    l->expr = -1;
    l->owner = owner;
    l->file = node_file(b, n);
    l->line = node_line(n);
    if (l->name == NULL || l->name[0] == '\0') {
        fail(b, n, "<let> without @name", NULL, NULL);
        return NULL;
    }
    if (l->value == NULL) {
        l->content = n;
        b->kept_nodes = 1;
    }
    return l;
}

static int read_severity(builder *b, xmlNodePtr n, sch_assert *a)
{
    char *sev = attr(b, n, "severity");
    if (sev != NULL) {
        int s = sd_severity_parse(sev);
        if (s < 0)
            return fail(b, n, "unknown severity \"%s\" (fatal, error, warning or info)", sev, NULL);
        a->sev = (sd_severity)s;
        return 0;
    }
    int s = a->role ? sd_severity_parse(a->role) : -1;
    a->sev = s >= 0 ? (sd_severity)s : SD_SEV_ERROR;
    return 0;
}

static sch_assert *read_assert(builder *b, xmlNodePtr n)
{
    sch_assert *a = sch_alloc(&b->pack->arena, sizeof *a);
    if (a == NULL) {
        oom(b);
        return NULL;
    }
    a->is_report = sch_is_sch(n, "report");
    a->test = attr(b, n, "test");
    a->expr = -1;
    a->id = attr(b, n, "id");
    a->role = attr(b, n, "role");
    a->flag = attr(b, n, "flag");
    a->see = attr(b, n, "see");
    a->icon = attr(b, n, "icon");
    a->fpi = attr(b, n, "fpi");
    a->lang = lang_of(b, n);
    a->diag_ids = attr(b, n, "diagnostics");
    a->prop_ids = attr(b, n, "properties");
    a->file = node_file(b, n);
    a->line = node_line(n);
    if (a->test == NULL) {
        fail(b, n, "<%s> without @test", (const char *)n->name, NULL);
        return NULL;
    }
    if (read_severity(b, n, a) < 0 || read_msg(b, n, &a->msg) < 0)
        return NULL;
    return a;
}

static int add_item(builder *b, sch_rule *r, int kind, void *p, xmlNodePtr n)
{
    sch_item *it = sch_alloc(&b->pack->arena, sizeof *it);
    if (it == NULL)
        return oom(b);
    it->kind = kind;
    it->p = p;
    it->file = node_file(b, n);
    it->line = node_line(n);
    return sch_vec_push(&b->pack->arena, &r->items, it) < 0 ? oom(b) : 0;
}

static int rule_child(builder *b, xmlNodePtr c, void *ud)
{
    sch_rule *r = ud;
    if (sch_is_sch(c, "let")) {
        sch_let *l = read_let(b, c, -1);
        return l ? add_item(b, r, ITEM_LET, l, c) : -1;
    }
    if (sch_is_sch(c, "assert") || sch_is_sch(c, "report")) {
        sch_assert *a = read_assert(b, c);
        return a ? add_item(b, r, ITEM_ASSERT, a, c) : -1;
    }
    if (sch_is_sch(c, "extends")) {
        char *rid = attr(b, c, "rule");
        if (rid != NULL)
            return add_item(b, r, ITEM_EXTENDS, rid, c);
        char *href = attr(b, c, "href");
        const char *uri = NULL;
        xmlNodePtr root = load_ref(b, c, href, &uri);
        if (root == NULL)
            return -1;
        if (!sch_is_sch(root, "rule"))
            return fail(b, c, "extends href=\"%s\" must name a <rule> (the file's root, or #id)", href, NULL);
        const char *saved = enter_ref(b, c);
        b->stack[b->depth++] = uri;
        int rc = each_child(b, root, rule_child, r);
        b->depth--;
        b->inc_lang = saved;
        return rc;
    }
    if (sch_is_ns(c, "http://www.w3.org/1999/XSL/Transform", NULL))
        return fail(b, c, "<xsl:%s> needs an XSLT processor; sdlint runs the XPath 1.0 binding only",
                    (const char *)c->name, NULL);
    return 0; /* title, p, foreign elements */
}

static int read_rule(builder *b, xmlNodePtr n)
{
    sch_rule *r = sch_alloc(&b->pack->arena, sizeof *r);
    if (r == NULL)
        return oom(b);
    r->id = attr(b, n, "id");
    r->context = attr(b, n, "context");
    r->role = attr(b, n, "role");
    r->flag = attr(b, n, "flag");
    r->expr = -1;
    r->file = node_file(b, n);
    r->line = node_line(n);
    char *abs = attr(b, n, "abstract");
    r->abstract = abs != NULL && strcmp(abs, "true") == 0;
    if (r->abstract && r->id == NULL)
        return fail(b, n, "an abstract rule needs an @id", NULL, NULL);
    if (!r->abstract && (r->context == NULL || r->context[0] == '\0'))
        return fail(b, n, "<rule> without @context", NULL, NULL);
    if (each_child(b, n, rule_child, r) < 0)
        return -1;
    return sch_vec_push(&b->pack->arena, &b->pat->rules, r) < 0 ? oom(b) : 0;
}

static int lang_eq(const char *x, const char *y)
{
    if (x == NULL || y == NULL)
        return x == y;
    return strcmp(x, y) == 0;
}

/* sdlint documents a rule in its pattern with <sch:p class="title|doc|source">;
 * an sch:p without a class is documentation.  cls NULL keeps every child. */
static int class_fits(xmlNodePtr c, const char *cls)
{
    if (cls == NULL)
        return 1;
    xmlChar *have = xmlGetNoNsProp(c, (const xmlChar *)"class");
    int ok = have ? strcmp((const char *)have, cls) == 0 : strcmp(cls, "doc") == 0;
    xmlFree(have);
    return ok;
}

/* Text of parent's sch:<elname> children (of class cls, see class_fits) in the
 * run language; when none is in that language, those in the language of the
 * first one. */
static void pick_lang_text(builder *b, xmlNodePtr parent, const char *elname, const char *cls,
                           char **first_out, char **all_out)
{
    const char *want = b->pack->lang;
    sch_buf all = {0};
    char *first = NULL;
    for (int pass = 0; pass < 2 && first == NULL; pass++) {
        int have_first_lang = 0;
        char *first_lang = NULL;
        for (xmlNodePtr c = parent->children; c != NULL; c = c->next) {
            if (!sch_is_sch(c, elname) || !class_fits(c, cls))
                continue;
            char *lang = lang_of(b, c);
            int ok;
            if (pass == 0) {
                ok = sch_lang_match(want, lang);
            } else {
                if (!have_first_lang) {
                    first_lang = lang;
                    have_first_lang = 1;
                }
                ok = lang_eq(lang, first_lang);
            }
            if (!ok)
                continue;
            xmlChar *t = xmlNodeGetContent(c);
            char *s = sch_strdup(&b->pack->arena, t ? (const char *)t : "");
            xmlFree(t);
            if (s == NULL)
                continue;
            sch_normalize_space(s);
            if (first == NULL)
                first = s;
            if (all.len)
                sch_buf_adds(&all, "\n\n");
            sch_buf_adds(&all, s);
        }
    }
    if (first_out)
        *first_out = first;
    if (all_out)
        *all_out = sch_strdup(&b->pack->arena, all.p ? all.p : "");
    sch_buf_free(&all);
}

static int pattern_child(builder *b, xmlNodePtr c, void *ud)
{
    sch_pattern *p = ud;
    if (sch_is_sch(c, "rule"))
        return read_rule(b, c);
    if (sch_is_sch(c, "let")) {
        sch_let *l = read_let(b, c, -2); /* owner fixed in compile */
        if (l == NULL)
            return -1;
        return sch_vec_push(&b->pack->arena, &p->lets, l) < 0 ? oom(b) : 0;
    }
    if (sch_is_sch(c, "param")) {
        sch_param_pair *pp = sch_alloc(&b->pack->arena, sizeof *pp);
        if (pp == NULL)
            return oom(b);
        pp->name = attr(b, c, "name");
        pp->value = attr(b, c, "value");
        if (pp->name == NULL)
            return fail(b, c, "<param> without @name", NULL, NULL);
        if (pp->value == NULL)
            pp->value = sch_strdup(&b->pack->arena, "");
        return sch_vec_push(&b->pack->arena, &p->params, pp) < 0 ? oom(b) : 0;
    }
    if (sch_is_ns(c, "http://www.w3.org/1999/XSL/Transform", NULL))
        return fail(b, c, "<xsl:%s> needs an XSLT processor; sdlint runs the XPath 1.0 binding only",
                    (const char *)c->name, NULL);
    return 0;
}

/* extends@rule: inline the abstract rule of the same pattern, recursively. */
static int resolve_rule(builder *b, sch_pattern *p, sch_rule *r)
{
    if (r->resolved)
        return 0;
    if (r->resolving) {
        b->st = sd_error_set(b->err, SD_ERULES, r->file, r->line,
                             "rule extends itself (through abstract rule \"%s\")",
                             r->id ? r->id : "");
        return -1;
    }
    r->resolving = 1;
    sch_vec lets = {0}, asserts = {0};
    for (size_t i = 0; i < r->items.n; i++) {
        sch_item *it = r->items.v[i];
        if (it->kind == ITEM_LET) {
            if (sch_vec_push(&b->pack->arena, &lets, it->p) < 0)
                return oom(b);
        } else if (it->kind == ITEM_ASSERT) {
            if (sch_vec_push(&b->pack->arena, &asserts, it->p) < 0)
                return oom(b);
        } else {
            const char *id = it->p;
            sch_rule *ab = NULL;
            for (size_t j = 0; j < p->rules.n; j++) {
                sch_rule *cand = p->rules.v[j];
                if (cand->abstract && cand->id && strcmp(cand->id, id) == 0)
                    ab = cand;
            }
            if (ab == NULL) {
                b->st = sd_error_set(b->err, SD_ERULES, it->file, it->line,
                                     "extends rule=\"%s\": no abstract rule with that id in this pattern",
                                     id);
                return -1;
            }
            if (resolve_rule(b, p, ab) < 0)
                return -1;
            for (size_t j = 0; j < ab->nlets; j++)
                if (sch_vec_push(&b->pack->arena, &lets, ab->lets[j]) < 0)
                    return oom(b);
            for (size_t j = 0; j < ab->nasserts; j++)
                if (sch_vec_push(&b->pack->arena, &asserts, ab->asserts[j]) < 0)
                    return oom(b);
        }
    }
    r->lets = (sch_let **)lets.v;
    r->nlets = lets.n;
    r->asserts = (sch_assert **)asserts.v;
    r->nasserts = asserts.n;
    r->resolving = 0;
    r->resolved = 1;
    return 0;
}

static int read_pattern(builder *b, xmlNodePtr n)
{
    sch_pattern *p = sch_alloc(&b->pack->arena, sizeof *p);
    if (p == NULL)
        return oom(b);
    p->id = attr(b, n, "id");
    p->is_a = attr(b, n, "is-a");
    p->documents = attr(b, n, "documents");
    p->role = attr(b, n, "role");
    p->documents_expr = -1;
    char *abs = attr(b, n, "abstract");
    p->abstract = abs != NULL && strcmp(abs, "true") == 0;
    p->file = node_file(b, n);
    p->line = node_line(n);
    if (p->abstract && p->id == NULL)
        return fail(b, n, "an abstract pattern needs an @id", NULL, NULL);
    char *title = NULL, *doc = NULL, *pfirst = NULL, *ptitle = NULL, *source = NULL;
    pick_lang_text(b, n, "title", NULL, &title, NULL);
    pick_lang_text(b, n, "p", "title", &ptitle, NULL);
    pick_lang_text(b, n, "p", "doc", &pfirst, &doc);
    pick_lang_text(b, n, "p", "source", NULL, &source);
    p->title = ptitle ? ptitle : title ? title : pfirst ? pfirst : sch_strdup(&b->pack->arena, "");
    p->doc = doc;
    p->source = source;
    sch_pattern *saved = b->pat;
    b->pat = p;
    int rc = each_child(b, n, pattern_child, p);
    b->pat = saved;
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < p->rules.n; i++)
        if (resolve_rule(b, p, p->rules.v[i]) < 0)
            return -1;
    p->index = (int)b->pack->patterns.n;
    return sch_vec_push(&b->pack->arena, &b->pack->patterns, p) < 0 ? oom(b) : 0;
}

static int phase_child(builder *b, xmlNodePtr c, void *ud)
{
    sch_phase *ph = ud;
    if (sch_is_sch(c, "let")) {
        sch_let *l = read_let(b, c, -1);
        if (l == NULL)
            return -1;
        return sch_vec_push(&b->pack->arena, &ph->lets, l) < 0 ? oom(b) : 0;
    }
    if (sch_is_sch(c, "active")) {
        char *pat = attr(b, c, "pattern");
        if (pat == NULL)
            return fail(b, c, "<active> without @pattern", NULL, NULL);
        return sch_vec_push(&b->pack->arena, &ph->active, pat) < 0 ? oom(b) : 0;
    }
    return 0;
}

static int read_diag(builder *b, xmlNodePtr n, sch_vec *into, int is_prop)
{
    sch_diag *d = sch_alloc(&b->pack->arena, sizeof *d);
    if (d == NULL)
        return oom(b);
    d->id = attr(b, n, "id");
    d->lang = lang_of(b, n);
    d->see = attr(b, n, "see");
    d->icon = attr(b, n, "icon");
    d->fpi = attr(b, n, "fpi");
    d->file = node_file(b, n);
    d->line = node_line(n);
    if (is_prop) {
        d->role = attr(b, n, "role");
        d->scheme = attr(b, n, "scheme");
    }
    if (d->id == NULL)
        return fail(b, n, "<%s> without @id", (const char *)n->name, NULL);
    if (read_msg(b, n, &d->msg) < 0)
        return -1;
    return sch_vec_push(&b->pack->arena, into, d) < 0 ? oom(b) : 0;
}

static int diags_child(builder *b, xmlNodePtr c, void *ud)
{
    (void)ud;
    if (sch_is_sch(c, "diagnostic"))
        return read_diag(b, c, &b->pack->diags, 0);
    return 0;
}

static int props_child(builder *b, xmlNodePtr c, void *ud)
{
    (void)ud;
    if (sch_is_sch(c, "property"))
        return read_diag(b, c, &b->pack->props, 1);
    return 0;
}

static int schema_child(builder *b, xmlNodePtr c, void *ud)
{
    (void)ud;
    sd_sch_pack *pk = b->pack;
    if (sch_is_sch(c, "pattern"))
        return read_pattern(b, c);
    if (sch_is_sch(c, "ns")) {
        char *prefix = attr(b, c, "prefix"), *uri = attr(b, c, "uri");
        if (prefix == NULL || uri == NULL)
            return fail(b, c, "<ns> needs @prefix and @uri", NULL, NULL);
        for (size_t i = 0; i < pk->ns_prefix.n; i++)
            if (strcmp(pk->ns_prefix.v[i], prefix) == 0 && strcmp(pk->ns_uri.v[i], uri) != 0)
                return fail(b, c, "prefix \"%s\" declared twice with different URIs", prefix, NULL);
        if (sch_vec_push(&pk->arena, &pk->ns_prefix, prefix) < 0 ||
            sch_vec_push(&pk->arena, &pk->ns_uri, uri) < 0)
            return oom(b);
        return 0;
    }
    if (sch_is_sch(c, "let")) {
        sch_let *l = read_let(b, c, -1);
        if (l == NULL)
            return -1;
        return sch_vec_push(&pk->arena, &pk->schema_lets, l) < 0 ? oom(b) : 0;
    }
    if (sch_is_sch(c, "phase")) {
        sch_phase *ph = sch_alloc(&pk->arena, sizeof *ph);
        if (ph == NULL)
            return oom(b);
        ph->id = attr(b, c, "id");
        ph->file = node_file(b, c);
        ph->line = node_line(c);
        if (ph->id == NULL)
            return fail(b, c, "<phase> without @id", NULL, NULL);
        if (each_child(b, c, phase_child, ph) < 0)
            return -1;
        return sch_vec_push(&pk->arena, &pk->phases, ph) < 0 ? oom(b) : 0;
    }
    if (sch_is_sch(c, "diagnostics"))
        return each_child(b, c, diags_child, NULL);
    if (sch_is_sch(c, "properties"))
        return each_child(b, c, props_child, NULL);
    if (sch_is_sch(c, "rule")) /* a rule included directly under schema */
        return fail(b, c, "<rule> outside a <pattern>", NULL, NULL);
    if (sch_is_ns(c, SD_SCH_FN_NS, NULL)) {
        sd_status st = sch_params_parse(pk, c, node_file(b, c), b->err);
        if (st != SD_OK) {
            b->st = st;
            return -1;
        }
        return 0;
    }
    if (sch_is_ns(c, "http://www.w3.org/1999/XSL/Transform", NULL))
        return fail(b, c, "<xsl:%s> needs an XSLT processor; sdlint runs the XPath 1.0 binding only",
                    (const char *)c->name, NULL);
    return 0;
}

static sd_status parse_root(builder *b, const char *path, xmlDocPtr doc);

sd_status sch_parse(sd_sch_pack *pack, const char *path, const char *bytes, size_t len,
                    sd_error *err)
{
    builder b = {0};
    b.pack = pack;
    b.err = err;
    /* An embedded lean pack's image: a tree read here and dropped at once,
     * nothing in the model points into it (its file names come from an arena
     * copy of its URL); what the run allocates next (the schema, the
     * document) reuses its memory instead of new pages, and a page first
     * touched costs about as much as reading 5 KB of the pack. */
    sd_embedded_tree *tree = NULL;
    if (pack->trusted && bytes != NULL) {
        xmlDocPtr doc = sd_embedded_tree_new(
            path && strncmp(path, "file://", 7) == 0 ? path + 7 : path, bytes, len, &tree);
        if (doc != NULL) {
            sd_status st = parse_root(&b, path, doc);
            if (st == SD_OK && b.kept_nodes) /* tools/leanpack.py refuses them */
                st = sd_error_set(err, SD_ERULES, path, 0,
                                  "an element-content let in an embedded pack image");
            sd_embedded_tree_free(tree);
            return st;
        }
    }
    char why[700] = "";
    xmlDocPtr doc = NULL;
    if (pack->trusted && bytes != NULL)
        doc = trusted_xml(path, bytes, len);
    if (doc == NULL)
        doc = sch_load_xml(path, bytes, len, why, sizeof why);
    /* A reason without a line is about the file (missing, a folder, too big). */
    if (doc == NULL && bytes == NULL && strncmp(why, "line ", 5) != 0)
        return sd_error_set(err, SD_EIO, path, 0, "cannot read rule pack: %s", why);
    if (doc == NULL)
        return sd_error_set(err, SD_ERULES, path, 0, "rule pack is not usable XML: %s", why);
    if (sch_vec_push(&pack->arena, &pack->docs, doc) < 0) {
        xmlFreeDoc(doc);
        return sd_error_set(err, SD_ENOMEM, path, 0, "out of memory");
    }
    return parse_root(&b, path, doc);
}

static sd_status parse_root(builder *b, const char *path, xmlDocPtr doc)
{
    sd_sch_pack *pack = b->pack;
    sd_error *err = b->err;
    b->top = doc;
    b->top_url = doc->URL ? sch_strdup(&pack->arena, (const char *)doc->URL) : NULL;
    if (doc->URL != NULL && b->top_url == NULL)
        return sd_error_set(err, SD_ENOMEM, path, 0, "out of memory");
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!sch_is_sch(root, "schema"))
        return sd_error_set(err, SD_ERULES, path, xmlGetLineNo(root),
                            "root element is not an ISO Schematron <schema> (namespace %s)", SCH_NS);
    pack->query_binding = attr(b, root, "queryBinding");
    pack->default_phase = attr(b, root, "defaultPhase");
    pack->schema_version = attr(b, root, "schemaVersion");
    const char *qb = pack->query_binding;
    if (qb != NULL && strcmp(qb, "xslt") != 0 && strcmp(qb, "xslt1") != 0 &&
        strcmp(qb, "xpath") != 0)
        return sd_error_set(err, SD_ERULES, path, xmlGetLineNo(root),
                            "queryBinding \"%s\" is not supported (xslt, xslt1 or xpath: XPath 1.0)",
                            qb);
    pick_lang_text(b, root, "title", NULL, &pack->title, NULL);
    b->stack[b->depth++] = path;
    if (each_child(b, root, schema_child, NULL) < 0)
        return b->st != SD_OK ? b->st : sd_error_set(err, SD_ERULES, path, 0, "rule pack error");
    return SD_OK;
}
