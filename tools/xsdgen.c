/*
 * xsdgen.c — build-time generator: the schemas as sdlint's run time wants them.
 *
 * Why: at start-up sdlint used to parse each embedded XSD with all its
 * xs:documentation (most of their bytes), inline common.xsd by hand and walk
 * the tree for the zh/en labels its messages use — 40 % of checking one small
 * document.  None of it depends on the input, so it is done here, once per
 * build: for each kind's schema (arguments, in the order of sd_kind) this
 * writes into one C file
 *   - the schema with its xs:include inlined and its xs:annotation, comments
 *     and blank text removed (what libxml2 needs to compile it, nothing more);
 *   - the same as an image of the tree libxml2 builds from that text (see
 *     src/embedded.h sd_embedded_tree_new), which the run loads without reading
 *     XML: the text is parsed back here and the image written from that tree;
 *   - the labels table: element/attribute name → the zh/en label before the
 *     first "：" / ": " of its xs:documentation, first declaration wins;
 *   - the types table: simpleType name → restriction base (or first union
 *     member), and its enumeration's values with their zh meanings;
 *   - the schema once more without its identity constraints (xs:key, xs:unique,
 *     xs:keyref), as an image, and the constraints themselves as data
 *     (sd_idc_defs, src/idc.h): owner declaration, name, kind, refer,
 *     selector, fields, the selector's namespaces and the family of each
 *     field's type, for src/idc.c's native check of valid documents.
 * The Makefile runs it on every change under schemas/, so the tables cannot go stale.
 * Output is a pure function of the input files (reproducible builds).
 *
 * Usage: xsdgen OUT.c SCHEMA_DIR NAME.xsd...   (links libxml2 only)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define XS_NS "http://www.w3.org/2001/XMLSchema"

typedef struct entry {
    char *name, *zh, *en;
} entry;

typedef struct table {
    entry *items;
    size_t n, cap;
} table;

static const char *schema_dir;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "xsdgen: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void *xalloc(void *p)
{
    if (p == NULL)
        die("out of memory", NULL);
    return p;
}

static int is_xs(xmlNodePtr n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, XS_NS) == 0 &&
           strcmp((const char *)n->name, local) == 0;
}

static entry *push(table *t)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 128;
        t->items = xalloc(realloc(t->items, t->cap * sizeof *t->items));
    }
    entry *e = &t->items[t->n++];
    memset(e, 0, sizeof *e);
    return e;
}

/* The short label before the first "：" (zh) or ": " (en), leading blanks
 * skipped; none when the separator is missing or the label longer than 80. */
static char *label_of(const char *text, const char *sep)
{
    while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r')
        text++;
    const char *end = strstr(text, sep);
    size_t n = end ? (size_t)(end - text) : strlen(text);
    if (end == NULL || n == 0 || n > 80)
        return NULL;
    return xalloc(strndup(text, n));
}

static int has_name(const table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->items[i].name, name) == 0)
            return 1;
    return 0;
}

static void add_label(table *labels, xmlNodePtr decl)
{
    xmlChar *name = xmlGetProp(decl, (const xmlChar *)"name");
    if (name == NULL || has_name(labels, (const char *)name)) {
        xmlFree(name);
        return;
    }
    char *zh = NULL, *en = NULL;
    for (xmlNodePtr a = decl->children; a; a = a->next) {
        if (!is_xs(a, "annotation"))
            continue;
        for (xmlNodePtr doc = a->children; doc; doc = doc->next) {
            if (!is_xs(doc, "documentation"))
                continue;
            xmlChar *lang = xmlNodeGetLang(doc);
            xmlChar *text = xmlNodeGetContent(doc);
            if (text && lang && strncmp((const char *)lang, "zh", 2) == 0 && !zh)
                zh = label_of((const char *)text, "：");
            else if (text && lang && strncmp((const char *)lang, "en", 2) == 0 && !en)
                en = label_of((const char *)text, ": ");
            xmlFree(lang);
            xmlFree(text);
        }
    }
    if (zh || en) {
        entry *e = push(labels);
        e->name = xalloc(strdup((const char *)name));
        e->zh = zh;
        e->en = en;
    }
    xmlFree(name);
}

/* "value\037meaning\036…" for an enumeration, or NULL without one. */
static char *enum_meanings(xmlNodePtr restriction)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = xalloc(open_memstream(&out, &len));
    int any = 0;
    for (xmlNodePtr e = restriction ? restriction->children : NULL; e; e = e->next) {
        if (!is_xs(e, "enumeration"))
            continue;
        xmlChar *v = xmlGetProp(e, (const xmlChar *)"value");
        xmlChar *zh = NULL;
        for (xmlNodePtr a = e->children; a && !zh; a = a->next)
            for (xmlNodePtr d = is_xs(a, "annotation") ? a->children : NULL; d && !zh; d = d->next) {
                xmlChar *lang = is_xs(d, "documentation") ? xmlNodeGetLang(d) : NULL;
                if (lang && strncmp((const char *)lang, "zh", 2) == 0)
                    zh = xmlNodeGetContent(d);
                xmlFree(lang);
            }
        if (v)
            fprintf(f, "%s\037%s\036", (const char *)v, zh ? (const char *)zh : "");
        any |= v != NULL;
        xmlFree(v);
        xmlFree(zh);
    }
    fclose(f);
    if (!any) {
        free(out);
        return NULL;
    }
    return out;
}

static void add_type(table *types, xmlNodePtr st)
{
    xmlNodePtr restriction = NULL;
    xmlChar *name = xmlGetProp(st, (const xmlChar *)"name");
    xmlChar *base = NULL;
    for (xmlNodePtr r = st->children; r && name && !base; r = r->next) {
        if (is_xs(r, "restriction") && (base = xmlGetProp(r, (const xmlChar *)"base")) != NULL)
            restriction = r;
        /* A union is described by its first member (DateType: xs:date). */
        if (is_xs(r, "union") && (base = xmlGetProp(r, (const xmlChar *)"memberTypes")) != NULL) {
            char *sp = strchr((char *)base, ' ');
            if (sp)
                *sp = '\0';
        }
    }
    if (name && base) {
        entry *e = push(types);
        e->name = xalloc(strdup((const char *)name));
        e->zh = xalloc(strdup((const char *)base));
        e->en = enum_meanings(restriction);
    }
    xmlFree(name);
    xmlFree(base);
}

static void collect(table *labels, table *types, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (is_xs(n, "element") || is_xs(n, "attribute"))
            add_label(labels, n);
        else if (is_xs(n, "simpleType"))
            add_type(types, n);
        if (n->type == XML_ELEMENT_NODE)
            collect(labels, types, n->children);
    }
}

static xmlDocPtr parse(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", schema_dir, name);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOENT);
    if (doc == NULL)
        die("cannot parse", path);
    return doc;
}

/* Each xs:include becomes the top-level children of the included schema. */
static void inline_includes(xmlDocPtr doc, int depth)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (depth > 8)
        die("xs:include nested too deep", (const char *)doc->URL);
    for (xmlNodePtr n = root ? root->children : NULL, next; n; n = next) {
        next = n->next;
        if (!is_xs(n, "include"))
            continue;
        xmlChar *loc = xmlGetProp(n, (const xmlChar *)"schemaLocation");
        if (loc == NULL)
            die("xs:include without schemaLocation", (const char *)doc->URL);
        xmlDocPtr inc = parse((const char *)loc);
        xmlFree(loc);
        inline_includes(inc, depth + 1);
        xmlNodePtr iroot = xmlDocGetRootElement(inc);
        for (xmlNodePtr c = iroot ? iroot->children : NULL; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || is_xs(c, "include"))
                continue;
            xmlNodePtr copy = xalloc(xmlDocCopyNode(c, doc, 1));
            xalloc(xmlAddPrevSibling(n, copy));
            xmlReconciliateNs(doc, copy);
        }
        xmlFreeDoc(inc);
        xmlUnlinkNode(n);
        xmlFreeNode(n);
    }
}

/* Drops what only people read: annotations, comments, blank text. */
static void strip(xmlNodePtr n)
{
    for (xmlNodePtr next; n; n = next) {
        next = n->next;
        if (is_xs(n, "annotation") || n->type == XML_COMMENT_NODE ||
            n->type == XML_PI_NODE || (n->type == XML_TEXT_NODE && xmlIsBlankNode(n))) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        } else if (n->type == XML_ELEMENT_NODE) {
            strip(n->children);
        }
    }
}

static void put_str(FILE *out, const char *s)
{
    if (s == NULL) {
        fputs("0", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(out, "\\%03o", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_table(FILE *out, const char *cname, const table *t)
{
    fprintf(out, "const sd_embedded_label %s[] = {\n", cname);
    for (size_t i = 0; i < t->n; i++) {
        fputs("    {", out);
        put_str(out, t->items[i].name);
        fputs(", ", out);
        put_str(out, t->items[i].zh);
        fputs(", ", out);
        put_str(out, t->items[i].en);
        fputs("},\n", out);
    }
    fputs("    {0, 0, 0}\n};\n", out);
}

/* Appends to img the records of n and its following siblings (the format is
 * in src/embedded.c). */
typedef struct image {
    char *p;
    size_t len, cap;
} image;

static void img_add(image *img, const char *s, size_t n)
{
    if (img->len + n + 1 > img->cap) {
        img->cap = (img->len + n + 1) * 2;
        img->p = xalloc(realloc(img->p, img->cap));
    }
    memcpy(img->p + img->len, s, n);
    img->len += n;
}

static void img_field(image *img, const char *s)
{
    img_add(img, s, strlen(s) + 1); /* with its NUL */
}

static void img_qname(image *img, xmlNsPtr ns, const xmlChar *name)
{
    if (ns != NULL && ns->prefix != NULL) {
        img_add(img, (const char *)ns->prefix, strlen((const char *)ns->prefix));
        img_add(img, ":", 1);
    }
    img_field(img, (const char *)name);
}

static void img_line(image *img, xmlNodePtr n)
{
    long line = xmlGetLineNo(n);
    char num[32];
    if (line < 0 || line >= 65535)
        die("line out of range for an image", NULL);
    snprintf(num, sizeof num, "%ld", line);
    img_field(img, num);
}

static void img_nodes(image *img, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE) {
            img_add(img, "T", 1);
            img_field(img, (const char *)n->content);
            img_line(img, n);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            die("a node an image cannot carry", (const char *)n->name);
        img_add(img, "E", 1);
        img_qname(img, n->ns, n->name);
        img_line(img, n);
        for (xmlNsPtr d = n->nsDef; d; d = d->next) {
            img_add(img, "N", 1);
            img_field(img, d->prefix ? (const char *)d->prefix : "");
            img_field(img, (const char *)d->href);
        }
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            img_add(img, "A", 1);
            img_qname(img, a->ns, a->name);
            img_field(img, v ? (const char *)v : "");
            xmlFree(v);
        }
        img_nodes(img, n->children);
        img_add(img, "Z", 1);
    }
}


/* ---- identity constraints ------------------------------------------------ */

static int is_idc(xmlNodePtr n)
{
    return is_xs(n, "key") || is_xs(n, "unique") || is_xs(n, "keyref");
}

/* Removes every identity constraint under n (the no-IDC variant). */
static void drop_idcs(xmlNodePtr n)
{
    for (xmlNodePtr next; n; n = next) {
        next = n->next;
        if (is_idc(n)) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        } else if (n->type == XML_ELEMENT_NODE) {
            drop_idcs(n->children);
        }
    }
}

/* A wildcard (elements libxml2 may skip, attributes of any type), or a type
 * of the ID family (validating adds IDs to the document, so a second
 * validation of the same tree would differ): no native check for the schema. */
static int mentions_id(xmlNodePtr n)
{
    static const char *const A[] = {"type", "base", "itemType", "memberTypes"};
    for (int i = 0; i < 4; i++) {
        xmlChar *v = xmlGetProp(n, (const xmlChar *)A[i]);
        int hit = v && (strstr((const char *)v, "ID") || strstr((const char *)v, "ENTIT") ||
                        strstr((const char *)v, "NOTATION"));
        xmlFree(v);
        if (hit)
            return 1;
    }
    return 0;
}

static int has_wildcard(xmlNodePtr n)
{
    for (; n; n = n->next)
        if (is_xs(n, "any") || is_xs(n, "anyAttribute") ||
            (n->type == XML_ELEMENT_NODE && (mentions_id(n) || has_wildcard(n->children))))
            return 1;
    return 0;
}

/* The family of a built-in type by its local name: 's' the string family
 * (primitive xs:string: string, normalizedString, token), 'i' the integer
 * family (primitive xs:decimal, integral types only), '?' any other. */
static char builtin_family(const char *local)
{
    static const char *const S[] = {"string", "normalizedString", "token", NULL};
    static const char *const I[] = {"integer", "nonNegativeInteger", "positiveInteger",
                                    "nonPositiveInteger", "negativeInteger", "long", "int",
                                    "short", "byte", "unsignedLong", "unsignedInt",
                                    "unsignedShort", "unsignedByte", NULL};
    for (int i = 0; S[i]; i++)
        if (strcmp(local, S[i]) == 0)
            return 's';
    for (int i = 0; I[i]; i++)
        if (strcmp(local, I[i]) == 0)
            return 'i';
    return '?';
}

static char simple_type_family(xmlDocPtr doc, xmlNodePtr st, int depth);

/* The family of the type named qname (as written on node). */
static char named_type_family(xmlDocPtr doc, xmlNodePtr node, const char *qname, int depth)
{
    if (depth > 32)
        return '?';
    const char *colon = strchr(qname, ':');
    char prefix[128] = "";
    const char *local = qname;
    if (colon) {
        size_t n = (size_t)(colon - qname);
        if (n >= sizeof prefix)
            return '?';
        memcpy(prefix, qname, n);
        prefix[n] = '\0';
        local = colon + 1;
    }
    xmlNsPtr ns = xmlSearchNs(doc, node, colon ? (const xmlChar *)prefix : NULL);
    if (ns && strcmp((const char *)ns->href, XS_NS) == 0)
        return builtin_family(local);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlChar *tns = xmlGetProp(root, (const xmlChar *)"targetNamespace");
    int ours = (tns == NULL && ns == NULL) ||
               (tns && ns && strcmp((const char *)ns->href, (const char *)tns) == 0);
    xmlFree(tns);
    if (!ours)
        return '?';
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!is_xs(c, "simpleType"))
            continue;
        xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
        int hit = name && strcmp((const char *)name, local) == 0;
        xmlFree(name);
        if (hit)
            return simple_type_family(doc, c, depth + 1);
    }
    return '?'; /* a complex type, or not found */
}

/* A simpleType's family: that of its restriction's base; lists, unions: '?'. */
static char simple_type_family(xmlDocPtr doc, xmlNodePtr st, int depth)
{
    for (xmlNodePtr r = st->children; r; r = r->next) {
        if (!is_xs(r, "restriction"))
            continue;
        xmlChar *base = xmlGetProp(r, (const xmlChar *)"base");
        char f = '?';
        if (base)
            f = named_type_family(doc, r, (const char *)base, depth + 1);
        else
            for (xmlNodePtr in = r->children; in; in = in->next)
                if (is_xs(in, "simpleType"))
                    f = simple_type_family(doc, in, depth + 1);
        xmlFree(base);
        return f;
    }
    return '?';
}

/* The family of every attribute declared anywhere in the schema under the
 * local name `name` (whichever element a field meets, its type is one of
 * them): one family when all agree and none has a default or fixed value
 * (libxml2 would supply a value the document does not show), else '?'. */
static char attr_family(xmlDocPtr doc, xmlNodePtr n, const char *name, char acc)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_xs(n, "attribute")) {
            xmlChar *an = xmlGetProp(n, (const xmlChar *)"name");
            if (an && strcmp((const char *)an, name) == 0) {
                char f = '?';
                xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
                if (xmlHasProp(n, (const xmlChar *)"default") || xmlHasProp(n, (const xmlChar *)"fixed"))
                    f = '?';
                else if (type)
                    f = named_type_family(doc, n, (const char *)type, 0);
                else
                    for (xmlNodePtr c = n->children; c; c = c->next)
                        if (is_xs(c, "simpleType"))
                            f = simple_type_family(doc, c, 0);
                xmlFree(type);
                acc = acc == 0 || acc == f ? f : '?';
            }
            xmlFree(an);
        }
        acc = attr_family(doc, n->children, name, acc);
    }
    return acc;
}

/* "prefix\037uri\036" for each namespace in scope at n ("" for the default). */
static char *ns_scope(xmlDocPtr doc, xmlNodePtr n)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = xalloc(open_memstream(&out, &len));
    xmlNsPtr *all = xmlGetNsList(doc, n);
    for (int i = 0; all && all[i]; i++)
        fprintf(f, "%s\037%s\036", all[i]->prefix ? (const char *)all[i]->prefix : "",
                (const char *)all[i]->href);
    xmlFree(all);
    fclose(f);
    return out;
}

typedef struct idc_out {
    FILE *out;
    const char *schema;
    int owner_id;
} idc_out;

/* Writes the sd_idc_defs rows of the constraints of each element declaration
 * under n; a constraint we cannot describe becomes a '!' row (no native
 * check for that schema). */
static void put_idcs(idc_out *o, xmlDocPtr doc, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_xs(n, "element")) {
            int owner = ++o->owner_id;
            xmlChar *oname = xmlGetProp(n, (const xmlChar *)"name");
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (!is_idc(c))
                    continue;
                xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
                xmlChar *refer = xmlGetProp(c, (const xmlChar *)"refer");
                char kind = is_xs(c, "key") ? 'k' : is_xs(c, "unique") ? 'u' : 'r';
                xmlChar *sel = NULL;
                char *ns = NULL;
                char fields[1024] = "", types[64] = "";
                size_t fl = 0, tl = 0;
                for (xmlNodePtr p = c->children; p; p = p->next) {
                    xmlChar *xp = xmlGetProp(p, (const xmlChar *)"xpath");
                    if (is_xs(p, "selector") && xp && sel == NULL) {
                        sel = xp;
                        xp = NULL;
                        ns = ns_scope(doc, p);
                    } else if (is_xs(p, "field") && xp) {
                        /* a field "@name": the family of that attribute's type */
                        const char *a = (const char *)xp;
                        while (*a == ' ')
                            a++;
                        char at[256] = "";
                        if (*a == '@' && strlen(a + 1) < sizeof at) {
                            snprintf(at, sizeof at, "%s", a + 1);
                            for (size_t k = strlen(at); k && at[k - 1] == ' '; k--)
                                at[k - 1] = '\0';
                        }
                        char fam = at[0] && !strchr(at, ':') ? attr_family(doc, xmlDocGetRootElement(doc), at, 0) : '?';
                        int w = snprintf(fields + fl, sizeof fields - fl, "%s\036", (const char *)xp);
                        if (w < 0 || (size_t)w >= sizeof fields - fl || tl + 1 >= sizeof types)
                            die("identity constraint too large", (const char *)name);
                        fl += (size_t)w;
                        types[tl++] = fam ? fam : '?';
                        types[tl] = '\0';
                    }
                    xmlFree(xp);
                }
                if (oname == NULL || name == NULL || sel == NULL || fl == 0 ||
                    (kind == 'r') != (refer != NULL))
                    kind = '!';
                /* refer is a QName in the target namespace: keep its local part */
                const char *rl = refer ? (strchr((const char *)refer, ':') ? strchr((const char *)refer, ':') + 1
                                                                          : (const char *)refer)
                                       : NULL;
                fputs("    {", o->out);
                put_str(o->out, o->schema);
                fprintf(o->out, ", %d, ", owner);
                put_str(o->out, (const char *)oname);
                fputs(", ", o->out);
                put_str(o->out, (const char *)name);
                fprintf(o->out, ", '%c', ", kind);
                put_str(o->out, rl);
                fputs(", ", o->out);
                put_str(o->out, (const char *)sel);
                fputs(", ", o->out);
                put_str(o->out, fields);
                fputs(", ", o->out);
                put_str(o->out, types);
                fputs(", ", o->out);
                put_str(o->out, ns);
                fputs("},\n", o->out);
                free(ns);
                xmlFree(sel);
                xmlFree(name);
                xmlFree(refer);
            }
            xmlFree(oname);
        }
        put_idcs(o, doc, n->children);
    }
}

static void put_bytes(FILE *out, const char *cname, const char *bytes, size_t len)
{
    fprintf(out, "static const char %s[] = ", cname);
    for (size_t k = 0; k < len; k += 64) {
        size_t m = len - k < 64 ? len - k : 64;
        fputs("\n    \"", out);
        for (size_t j = 0; j < m; j++) {
            unsigned char c = (unsigned char)bytes[k + j];
            if (c == '"' || c == '\\')
                fprintf(out, "\\%c", c);
            else if (c < 0x20 || c >= 0x7f)
                fprintf(out, "\\%03o", c);
            else
                fputc(c, out);
        }
        fputc('"', out);
    }
    fputs(";\n", out);
}

/* Writes as cname the image of the tree the schema text bytes gives, read as
 * src/xsd.c reads it (dies with why, naming file, when it does not parse). */
static void put_image(FILE *out, const char *cname, const xmlChar *bytes, int len,
                      const char *file, const char *why)
{
    xmlDocPtr back =
        bytes ? xmlReadMemory((const char *)bytes, len, file, "UTF-8", XML_PARSE_NONET) : NULL;
    if (back == NULL)
        die(why, file);
    image img = {0};
    img_add(&img, "SDIMG1\n", 7);
    img_nodes(&img, back->children);
    put_bytes(out, cname, img.p, img.len);
    free(img.p);
    xmlFreeDoc(back);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        die("usage: xsdgen OUT.c SCHEMA_DIR NAME.xsd...", NULL);
    schema_dir = argv[2];
    xmlInitParser();
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *out = fopen(tmp, "w");
    if (out == NULL)
        die("cannot write", tmp);
    fputs("/* Generated by tools/xsdgen.c from schemas/; do not edit. */\n"
          "#include \"embedded.h\"\n"
          "#include \"idc.h\"\n",
          out);
    table labels = {0}, types = {0};
    int nschemas = argc - 3;
    char *idc_rows = NULL;
    size_t idc_len = 0;
    idc_out io = {.out = xalloc(open_memstream(&idc_rows, &idc_len))};
    for (int i = 0; i < nschemas; i++) {
        xmlDocPtr doc = parse(argv[3 + i]);
        inline_includes(doc, 0);
        collect(&labels, &types, xmlDocGetRootElement(doc));
        strip(doc->children);
        xmlChar *bytes = NULL;
        int len = 0;
        xmlDocDumpMemoryEnc(doc, &bytes, &len, "UTF-8");
        if (bytes == NULL)
            die("cannot serialise", argv[3 + i]);
        char cname[32];
        snprintf(cname, sizeof cname, "s%d", i);
        put_bytes(out, cname, (const char *)bytes, (size_t)len);
        snprintf(cname, sizeof cname, "i%d", i);
        put_image(out, cname, bytes, len, argv[3 + i], "cannot parse back");
        xmlFree(bytes);
        /* the constraints as data, then the schema without them */
        io.schema = argv[3 + i];
        if (has_wildcard(doc->children)) {
            fputs("    {", io.out);
            put_str(io.out, io.schema);
            fputs(", 0, 0, 0, '!', 0, 0, 0, 0, 0},\n", io.out);
        }
        put_idcs(&io, doc, doc->children);
        drop_idcs(doc->children);
        xmlDocDumpMemoryEnc(doc, &bytes, &len, "UTF-8");
        snprintf(cname, sizeof cname, "n%d", i);
        put_image(out, cname, bytes, len, argv[3 + i], "cannot parse back without identity constraints");
        xmlFree(bytes);
        xmlFreeDoc(doc);
    }
    fclose(io.out);
    fputs("const sd_embedded_file sd_idc_free_images[] = {\n", out);
    for (int i = 0; i < nschemas; i++)
        fprintf(out, "    {\"%s\", n%d, sizeof n%d - 1},\n", argv[3 + i], i, i);
    fputs("    {0, 0, 0}\n};\n", out);
    fputs("const sd_idc_def sd_idc_defs[] = {\n", out);
    fwrite(idc_rows, 1, idc_len, out);
    fputs("    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}\n};\n", out);
    free(idc_rows);
    fputs("const sd_embedded_file sd_embedded_schemas[] = {\n", out);
    for (int i = 0; i < nschemas; i++)
        fprintf(out, "    {\"%s\", s%d, sizeof s%d - 1},\n", argv[3 + i], i, i);
    fputs("    {0, 0, 0}\n};\n", out);
    fputs("const sd_embedded_file sd_embedded_schema_images[] = {\n", out);
    for (int i = 0; i < nschemas; i++)
        fprintf(out, "    {\"%s\", i%d, sizeof i%d - 1},\n", argv[3 + i], i, i);
    fputs("    {0, 0, 0}\n};\n", out);
    put_table(out, "sd_embedded_labels", &labels);
    put_table(out, "sd_embedded_types", &types);
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0)
        die("cannot write", argv[1]);
    return 0;
}
