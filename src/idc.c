/*
 * idc.c — is a document that libxml2 found valid without the identity
 * constraints certainly free of identity-constraint errors?  (idc.h)
 *
 * Place in the pipeline: second stage, inside sd_xsd_validate_with (xsd.c),
 * after libxml2 validated the document against the schema without its
 * constraints and said nothing.  What libxml2 2.9 checks, and what we must
 * therefore be certain of (xmlschemas.c, xmlSchemaXPathProcessHistory and
 * xmlSchemaCheckCVCIDCKeyRef):
 *   - the scope is each element validated against the declaring element
 *     declaration; we take every element of that local name (a superset:
 *     checking more can only make us less sure), and an owner nested in
 *     another of its name is "not sure" (libxml2 merges their tables upwards);
 *   - a key target lacking a field is an error, a unique or keyref target
 *     lacking one is left out;
 *   - key and unique compare typed values (xmlSchemaAreValuesEqual): strings
 *     after the type's whitespace rule, numbers as numbers; we call two values
 *     "maybe equal" when they are equal once blanks are collapsed (strings) or
 *     as integers (leading zeros, a sign), which covers both;
 *   - a keyref value must equal a value of its key's table; we call it found
 *     only when the texts are byte for byte the same, have no blank any
 *     whitespace rule would change, and both fields are of one type family.
 * Selectors must match exactly what libxml2's matches (a key table with a
 * node too many could let a keyref pass): child steps with a prefix, joined
 * by "/" and "|"; anything else makes the plan unusable.
 *
 * Cost: per owner name, one walk of the tree; per constraint and owner
 * element, its targets' attribute values, joined and sorted.
 */
#include "idc.h"

#include <stdlib.h>
#include <string.h>

typedef struct step {
    char *ns; /* the namespace URI of the step's prefix */
    char *local;
} step;

typedef struct path {
    step *steps;
    size_t n;
} path;

typedef struct idc {
    int owner;
    const char *owner_name;
    char kind;
    int refer; /* keyref: index of its key/unique in the plan */
    path *alts;
    size_t nalts;
    char **fields; /* attribute local names */
    const char *families;
    size_t nfields;
} idc;

struct sd_idc_plan {
    int usable;
    idc *c;
    size_t n;
};

/* ---- plan --------------------------------------------------------------- */

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A copy of s[0..n) without leading and trailing blanks. */
static char *trimmed(const char *s, size_t n)
{
    while (n && is_blank((unsigned char)*s))
        s++, n--;
    while (n && is_blank((unsigned char)s[n - 1]))
        n--;
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

/* An NCName as far as we accept one: non-empty, no character with a meaning
 * in a path, not starting like a number or "." (self, parent). */
static int is_name(const char *s)
{
    if (*s == '\0' || *s == '.' || *s == '-' || (*s >= '0' && *s <= '9'))
        return 0;
    for (; *s; s++)
        if (strchr(" \t\r\n/|:@*()[]=,'\"$!<>+", *s))
            return 0;
    return 1;
}

/* The URI bound to prefix in "prefix\037uri\036…", or NULL. */
static char *ns_of(const char *map, const char *prefix)
{
    size_t pl = strlen(prefix);
    for (const char *p = map; p && *p;) {
        const char *us = strchr(p, '\037'), *rs = us ? strchr(us, '\036') : NULL;
        if (rs == NULL)
            return NULL;
        if ((size_t)(us - p) == pl && strncmp(p, prefix, pl) == 0)
            return trimmed(us + 1, (size_t)(rs - us - 1));
        p = rs + 1;
    }
    return NULL;
}

/* One alternative of a selector: "p:a/p:b"; 0 when it has another shape. */
static int parse_path(const char *s, size_t len, const char *map, path *out)
{
    out->steps = NULL;
    out->n = 0;
    const char *end = s + len;
    while (s <= end) {
        const char *slash = memchr(s, '/', (size_t)(end - s));
        const char *stop = slash ? slash : end;
        char *tok = trimmed(s, (size_t)(stop - s));
        if (tok == NULL)
            return 0;
        char *colon = strchr(tok, ':');
        step st = {0};
        if (colon) {
            *colon = '\0';
            if (is_name(tok) && is_name(colon + 1) && (st.ns = ns_of(map, tok)) != NULL)
                st.local = strdup(colon + 1);
        }
        /* unprefixed names (no namespace, or a default namespace, depending
         * on whom one asks) are not supported */
        free(tok);
        step *grown = st.local ? realloc(out->steps, (out->n + 1) * sizeof *grown) : NULL;
        if (grown == NULL) {
            free(st.ns);
            free(st.local);
            return 0;
        }
        out->steps = grown;
        out->steps[out->n++] = st;
        if (slash == NULL)
            break;
        s = slash + 1;
    }
    return out->n > 0;
}

static int parse_selector(idc *c, const char *sel, const char *map)
{
    for (const char *p = sel;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        path *grown = realloc(c->alts, (c->nalts + 1) * sizeof *grown);
        if (grown == NULL)
            return 0;
        c->alts = grown;
        int ok = parse_path(p, n, map, &c->alts[c->nalts]);
        c->nalts++;
        if (!ok)
            return 0;
        if (bar == NULL)
            return 1;
        p = bar + 1;
    }
}

/* Fields "@a\036@b\036" → attribute names; 0 for any other shape. */
static int parse_fields(idc *c, const char *fields, const char *families)
{
    size_t n = 0;
    for (const char *p = fields; *p; p++)
        n += *p == '\036';
    if (n == 0 || strlen(families) != n || (c->fields = calloc(n, sizeof *c->fields)) == NULL)
        return 0;
    c->families = families;
    c->nfields = n;
    const char *p = fields;
    for (size_t i = 0; i < n; i++) {
        const char *rs = strchr(p, '\036');
        char *tok = trimmed(p, (size_t)(rs - p));
        if (tok == NULL)
            return 0;
        if (tok[0] == '@' && is_name(tok + 1))
            c->fields[i] = strdup(tok + 1);
        free(tok);
        if (c->fields[i] == NULL || (families[i] != 's' && families[i] != 'i'))
            return 0;
        p = rs + 1;
    }
    return 1;
}

sd_idc_plan *sd_idc_plan_new(const sd_idc_def *defs, const char *schema)
{
    sd_idc_plan *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    size_t n = 0;
    for (const sd_idc_def *d = defs; d->schema; d++)
        n += strcmp(d->schema, schema) == 0;
    if (n && (p->c = calloc(n, sizeof *p->c)) == NULL) {
        free(p);
        return NULL;
    }
    const sd_idc_def **mine = calloc(n ? n : 1, sizeof *mine);
    if (mine == NULL) {
        free(p->c);
        free(p);
        return NULL;
    }
    p->usable = 1;
    for (const sd_idc_def *d = defs; d->schema; d++) {
        if (strcmp(d->schema, schema) != 0)
            continue;
        idc *c = &p->c[p->n];
        mine[p->n++] = d;
        c->owner = d->owner;
        c->owner_name = d->owner_name;
        c->kind = d->kind;
        c->refer = -1;
        if ((d->kind != 'k' && d->kind != 'u' && d->kind != 'r') || d->owner_name == NULL ||
            d->selector == NULL || d->fields == NULL || d->families == NULL || d->ns == NULL ||
            !parse_selector(c, d->selector, d->ns) || !parse_fields(c, d->fields, d->families))
            p->usable = 0;
    }
    /* a keyref's key: declared on the same element (so their tables meet
     * only there), with as many fields, of the same families */
    for (size_t i = 0; p->usable && i < p->n; i++) {
        if (p->c[i].kind != 'r')
            continue;
        for (size_t j = 0; j < p->n; j++)
            if (p->c[j].kind != 'r' && mine[i]->refer && strcmp(mine[j]->name, mine[i]->refer) == 0)
                p->c[i].refer = (int)j;
        int r = p->c[i].refer;
        if (r < 0 || p->c[r].owner != p->c[i].owner || p->c[r].nfields != p->c[i].nfields ||
            strcmp(p->c[r].families, p->c[i].families) != 0)
            p->usable = 0;
    }
    free(mine);
    return p;
}

int sd_idc_plan_usable(const sd_idc_plan *p)
{
    return p && p->usable;
}

void sd_idc_plan_free(sd_idc_plan *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++) {
        idc *c = &p->c[i];
        for (size_t a = 0; a < c->nalts; a++) {
            for (size_t s = 0; s < c->alts[a].n; s++) {
                free(c->alts[a].steps[s].ns);
                free(c->alts[a].steps[s].local);
            }
            free(c->alts[a].steps);
        }
        free(c->alts);
        for (size_t f = 0; f < c->nfields; f++)
            free(c->fields ? c->fields[f] : NULL);
        free(c->fields);
    }
    free(p->c);
    free(p);
}

/* ---- check -------------------------------------------------------------- */

typedef struct nodes {
    xmlNodePtr *v;
    size_t n, cap;
} nodes;

static int nodes_add(nodes *s, xmlNodePtr n)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        xmlNodePtr *v = realloc(s->v, cap * sizeof *v);
        if (v == NULL)
            return 0;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = n;
    return 1;
}

static int is_named(xmlNodePtr n, const step *st)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->name, st->local) == 0 &&
           strcmp((const char *)n->ns->href, st->ns) == 0;
}

/* Appends the elements path selects from n, from step i on. */
static int select_from(xmlNodePtr n, const path *p, size_t i, nodes *out)
{
    if (i == p->n)
        return nodes_add(out, n);
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_named(c, &p->steps[i]) && !select_from(c, p, i + 1, out))
            return 0;
    return 1;
}

/* The value libxml2 reads of el's attribute `name` in no namespace (as
 * xmlSchemaVDocWalk does), or NULL when el has none; *owned says to free it. */
static const char *attr_value(xmlNodePtr el, const char *name, int *owned)
{
    *owned = 0;
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (a->ns != NULL || strcmp((const char *)a->name, name) != 0)
            continue;
        xmlNodePtr t = a->children;
        if (t == NULL)
            return "";
        if (t->type == XML_TEXT_NODE && t->next == NULL && t->content)
            return (const char *)t->content;
        xmlChar *v = xmlNodeListGetString(el->doc, t, 1);
        *owned = v != NULL;
        return v ? (const char *)v : "";
    }
    return NULL;
}

/* Appends s (blanks collapsed) to buf at *len; 0 when out of room. */
static int put_collapsed(char *buf, size_t cap, size_t *len, const char *s)
{
    while (is_blank((unsigned char)*s))
        s++;
    int space = 0;
    for (; *s; s++) {
        if (is_blank((unsigned char)*s)) {
            space = 1;
            continue;
        }
        if (*len + 3 > cap)
            return 0;
        if (space)
            buf[(*len)++] = ' ';
        space = 0;
        buf[(*len)++] = *s;
    }
    return 1;
}

/* Appends the integer s as its canonical digits; 0 when s is none. */
static int put_integer(char *buf, size_t cap, size_t *len, const char *s)
{
    while (is_blank((unsigned char)*s))
        s++;
    int neg = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    const char *d = s;
    while (*s >= '0' && *s <= '9')
        s++;
    const char *e = s;
    while (is_blank((unsigned char)*s))
        s++;
    if (e == d || *s)
        return 0;
    while (d + 1 < e && *d == '0')
        d++;
    if (e - d == 1 && *d == '0')
        neg = 0;
    if (*len + (size_t)(e - d) + 3 > cap)
        return 0;
    if (neg)
        buf[(*len)++] = '-';
    memcpy(buf + *len, d, (size_t)(e - d));
    *len += (size_t)(e - d);
    return 1;
}

/* No blank that a whitespace rule (replace, collapse) would change. */
static int is_stable(const char *s)
{
    if (*s == ' ')
        return 0;
    for (; *s; s++)
        if (*s == '\t' || *s == '\n' || *s == '\r' || (*s == ' ' && (s[1] == ' ' || s[1] == '\0')))
            return 0;
    return 1;
}

typedef struct table {
    char **raw;  /* per target: the fields' texts joined by \037, sorted */
    size_t n;
} table;

static void table_clear(table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->raw[i]);
    free(t->raw);
    t->raw = NULL;
    t->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The joined raw and normalised key of target el for c, into freshly
 * allocated *raw, *norm.  Returns 1 with both set, 0 when a field is
 * missing (both NULL), -1 when not sure (a \037 in a value, no integer
 * where one is due, a keyref value with blanks; or out of memory). */
static int key_of(const idc *c, xmlNodePtr el, int want_norm, char **raw, char **norm)
{
    *raw = *norm = NULL;
    size_t rcap = 64, ncap = 64, rl = 0, nl = 0;
    char *r = malloc(rcap), *nm = want_norm ? malloc(ncap) : NULL;
    int ret = r && (nm || !want_norm) ? 1 : -1;
    for (size_t f = 0; ret == 1 && f < c->nfields; f++) {
        int owned;
        const char *v = attr_value(el, c->fields[f], &owned);
        if (v == NULL) {
            ret = 0;
            break;
        }
        size_t vl = strlen(v);
        if (strchr(v, '\037') || (!want_norm && c->families[f] == 's' && !is_stable(v)))
            ret = -1;
        if (ret == 1 && rl + vl + 2 > rcap) {
            rcap = (rl + vl + 2) * 2;
            char *g = realloc(r, rcap);
            ret = g ? 1 : -1;
            if (g)
                r = g;
        }
        if (ret == 1) {
            if (f)
                r[rl++] = '\037';
            memcpy(r + rl, v, vl);
            rl += vl;
            r[rl] = '\0';
        }
        if (ret == 1 && want_norm) {
            if (nl + vl + 4 > ncap) {
                ncap = (nl + vl + 4) * 2;
                char *g = realloc(nm, ncap);
                ret = g ? 1 : -1;
                if (g)
                    nm = g;
            }
            if (ret == 1 && f)
                nm[nl++] = '\037';
            if (ret == 1 && !(c->families[f] == 'i' ? put_integer(nm, ncap, &nl, v)
                                                    : put_collapsed(nm, ncap, &nl, v)))
                ret = -1;
            if (ret == 1)
                nm[nl] = '\0';
        }
        if (owned)
            xmlFree((xmlChar *)v);
    }
    if (ret != 1) {
        free(r);
        free(nm);
        return ret;
    }
    *raw = r;
    *norm = nm;
    return 1;
}

static int targets(const idc *c, xmlNodePtr scope, nodes *out)
{
    out->n = 0;
    for (size_t a = 0; a < c->nalts; a++)
        if (!select_from(scope, &c->alts[a], 0, out))
            return 0;
    return 1;
}

/* The key/unique c at scope: its table into t; 0 when not sure. */
static int check_key(const idc *c, xmlNodePtr scope, nodes *tg, table *t)
{
    if (!targets(c, scope, tg))
        return 0;
    t->raw = tg->n ? calloc(tg->n, sizeof *t->raw) : NULL;
    char **norms = tg->n ? calloc(tg->n, sizeof *norms) : NULL;
    int ok = tg->n == 0 || (t->raw && norms);
    size_t nn = 0;
    for (size_t i = 0; ok && i < tg->n; i++) {
        char *raw, *norm;
        int k = key_of(c, tg->v[i], 1, &raw, &norm);
        if (k < 0 || (k == 0 && c->kind == 'k'))
            ok = 0; /* a key target without its field: libxml2 says so */
        else if (k == 1) {
            t->raw[t->n++] = raw;
            norms[nn++] = norm;
        }
    }
    if (ok && nn > 1) {
        qsort(norms, nn, sizeof *norms, cmp_str);
        for (size_t i = 1; ok && i < nn; i++)
            ok = strcmp(norms[i - 1], norms[i]) != 0; /* maybe equal: not sure */
    }
    for (size_t i = 0; i < nn; i++)
        free(norms[i]);
    free(norms);
    if (ok && t->n > 1)
        qsort(t->raw, t->n, sizeof *t->raw, cmp_str);
    return ok;
}

/* The keyref c at scope against its key's table t; 0 when not sure. */
static int check_keyref(const idc *c, xmlNodePtr scope, nodes *tg, const table *t)
{
    if (!targets(c, scope, tg))
        return 0;
    for (size_t i = 0; i < tg->n; i++) {
        char *raw, *norm;
        int k = key_of(c, tg->v[i], 0, &raw, &norm);
        if (k < 0)
            return 0;
        if (k == 0)
            continue; /* a keyref target without all its fields is left out */
        int found = t->n && bsearch(&raw, t->raw, t->n, sizeof *t->raw, cmp_str) != NULL;
        free(raw);
        if (!found)
            return 0;
    }
    return 1;
}

/* The constraints declared by owner at one of its elements. */
static int check_scope(const sd_idc_plan *p, int owner, xmlNodePtr scope, nodes *tg, table *tabs)
{
    int ok = 1;
    for (size_t i = 0; ok && i < p->n; i++)
        if (p->c[i].owner == owner && p->c[i].kind != 'r')
            ok = check_key(&p->c[i], scope, tg, &tabs[i]);
    for (size_t i = 0; ok && i < p->n; i++)
        if (p->c[i].owner == owner && p->c[i].kind == 'r')
            ok = check_keyref(&p->c[i], scope, tg, &tabs[p->c[i].refer]);
    for (size_t i = 0; i < p->n; i++)
        if (p->c[i].owner == owner)
            table_clear(&tabs[i]);
    return ok;
}

static int has_ancestor_named(xmlNodePtr n, const char *name)
{
    for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (strcmp((const char *)n->name, name) == 0)
            return 1;
    return 0;
}

/* Every element of owner's name, in document order, without recursion. */
static int check_owner(const sd_idc_plan *p, int owner, const char *name, xmlNodePtr root,
                       nodes *tg, table *tabs)
{
    for (xmlNodePtr n = root; n;) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
            (has_ancestor_named(n, name) || !check_scope(p, owner, n, tg, tabs)))
            return 0;
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != root && n->next == NULL)
            n = n->parent;
        if (n == NULL || n == root)
            break;
        n = n->next;
    }
    return 1;
}

int sd_idc_certain(const sd_idc_plan *p, xmlDocPtr doc)
{
    if (p == NULL || !p->usable || doc == NULL)
        return 0;
    if (p->n == 0)
        return 1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root == NULL)
        return 0;
    table *tabs = calloc(p->n, sizeof *tabs);
    nodes tg = {0};
    int ok = tabs != NULL;
    for (size_t i = 0; ok && i < p->n; i++) {
        int seen = 0; /* one walk per owner */
        for (size_t j = 0; j < i && !seen; j++)
            seen = p->c[j].owner == p->c[i].owner;
        if (!seen)
            ok = check_owner(p, p->c[i].owner, p->c[i].owner_name, root, &tg, tabs);
    }
    free(tg.v);
    free(tabs);
    return ok;
}
