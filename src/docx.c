/*
 * docx.c — .docx reading and writing (see docx.h for what is read and written).
 *
 * Place in the pipeline: `sdlint import` (docx -> paragraphs -> importer) and
 * `sdlint render` (XML -> paragraphs -> docx).  The zip layer is src/zip.c
 * (stored and deflated entries over zlib), not libzip: loading libzip and
 * what it pulls in cost every run of sdlint, docx or not, more than checking
 * a small document.
 *
 * Cost bounds: at most three parts are inflated, each refused when its stated
 * size is past SD_DOCX_MAX_PART or when it inflates past its stated size
 * (so at most SD_DOCX_MAX_PART + 1 bytes are allocated for one); the XML tree of a part is about
 * ten times its size; the walk is recursive, bounded by libxml2's depth limit
 * of 256 (XML_PARSE_HUGE is never set), and linear in the number of nodes.
 */
#include "docx.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "quiet.h"
#include "zip.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

void sd_docx_doc_free(sd_docx_doc *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->count; i++)
        free(d->items[i].text);
    free(d->items);
    d->items = NULL;
    d->count = 0;
}

/* Makes room for one more item in *items (count used, *cap allocated),
 * doubling, so n appends cost O(n).  Returns 0 on success. */
static int grow(void **items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    if (nc > SIZE_MAX / size)
        return -1;
    void *n = realloc(*items, nc * size);
    if (n == NULL)
        return -1;
    *items = n;
    *cap = nc;
    return 0;
}

/* ---------------------------------------------------------------- zip */

/* Extracts the part `name` (its name compared without case, as OPC part
 * names are) into a malloc'd NUL-terminated buffer.  Returns SD_OK with
 * *data NULL when the part is absent and !required. */
static sd_status read_part(const sd_zip *za, const char *name, int required, char **data,
                           size_t *len, sd_error *err)
{
    *data = NULL;
    *len = 0;
    const sd_zip_entry *e = sd_zip_find(za, name);
    if (e == NULL) {
        if (!required)
            return SD_OK;
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a Word document: the archive has no %s", name);
    }
    unsigned char *bytes = NULL;
    sd_status st = sd_zip_extract(za, e, SD_DOCX_MAX_PART, &bytes, len, err);
    if (st == SD_EUNSAFE)
        return sd_error_set(err, SD_EUNSAFE, "", 0,
                            "%s is encrypted: save the document without a password", name);
    *data = (char *)bytes;
    return st;
}

/* ---------------------------------------------------------------- XML */

typedef struct parse_capture {
    int refused;
    char msg[512];
    long line;
} parse_capture;

static void on_error(void *data, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = data;
    parse_capture *cap = ctxt ? ctxt->_private : NULL;
    if (cap == NULL || e == NULL || e->level < XML_ERR_ERROR || cap->msg[0])
        return;
    snprintf(cap->msg, sizeof cap->msg, "%s", e->message ? e->message : "parse error");
    sd_utf8_fix_truncated(cap->msg, sizeof cap->msg);
    size_t n = strlen(cap->msg);
    while (n > 0 && (cap->msg[n - 1] == '\n' || cap->msg[n - 1] == ' '))
        cap->msg[--n] = '\0';
    cap->line = e->line;
}

/* A DOCTYPE can declare entities (exponential expansion, external files):
 * stop before any declaration is read, as src/load.c does. */
static void on_internal_subset(void *data, const xmlChar *name, const xmlChar *ext,
                               const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    xmlParserCtxtPtr ctxt = data;
    parse_capture *cap = ctxt->_private;
    cap->refused = 1;
    xmlStopParser(ctxt);
}

static sd_status parse_part(const char *bytes, size_t len, const char *name, xmlDocPtr *doc,
                            sd_error *err)
{
    *doc = NULL;
    if (len > (size_t)INT_MAX)
        return sd_error_set(err, SD_ELIMIT, "", 0, "%s is too large", name);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory creating a parser");
    ctxt->sax->serror = on_error;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->resolveEntity = NULL;
    parse_capture cap = {0};
    ctxt->_private = &cap;
    sd_quiet quiet;
    sd_quiet_begin(&quiet);
    xmlDocPtr d = xmlCtxtReadMemory(ctxt, bytes, (int)len, name, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
    sd_quiet_end(&quiet);
    int ok = d != NULL && ctxt->wellFormed && ctxt->nsWellFormed && !cap.refused;
    xmlFreeParserCtxt(ctxt);
    if (cap.refused) {
        xmlFreeDoc(d);
        return sd_error_set(err, SD_EUNSAFE, "", 0,
                            "%s has a DOCTYPE (it could declare entities); refused for safety",
                            name);
    }
    if (!ok) {
        xmlFreeDoc(d);
        return sd_error_set(err, SD_EPARSE, "", 0, "%s is not well-formed XML (line %ld: %s)",
                            name, cap.line, cap.msg[0] ? cap.msg : "parse error");
    }
    *doc = d;
    return SD_OK;
}

static int is_wns(const xmlNode *n)
{
    return n->ns != NULL && n->ns->href != NULL &&
           (strcmp((const char *)n->ns->href, W_NS) == 0 ||
            strcmp((const char *)n->ns->href, W_NS_STRICT) == 0);
}

static int is_w(const xmlNode *n, const char *local)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && is_wns(n) &&
           strcmp((const char *)n->name, local) == 0;
}

static int is_mc(const xmlNode *n, const char *local)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
           strcmp((const char *)n->ns->href, MC_NS) == 0 &&
           strcmp((const char *)n->name, local) == 0;
}

/* The w:-namespaced attribute `local` (its text, owned by the tree), or NULL. */
static const char *wattr(const xmlNode *n, const char *local)
{
    if (n == NULL)
        return NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, local) != 0)
            continue;
        if (a->ns == NULL ||
            (strcmp((const char *)a->ns->href, W_NS) != 0 &&
             strcmp((const char *)a->ns->href, W_NS_STRICT) != 0))
            continue;
        if (a->children && a->children->type == XML_TEXT_NODE && a->children->next == NULL)
            return (const char *)a->children->content;
        return "";
    }
    return NULL;
}

static const xmlNode *wchild(const xmlNode *n, const char *local)
{
    if (n == NULL)
        return NULL;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_w(c, local))
            return c;
    return NULL;
}

/* A decimal attribute value; def when absent or not a number. */
static long attr_long(const char *v, long def)
{
    if (v == NULL)
        return def;
    char *end;
    long x = strtol(v, &end, 10);
    if (end == v || *end != '\0')
        return def;
    if (x > 100000000)
        x = 100000000;
    if (x < -100000000)
        x = -100000000;
    return x;
}

/* An on/off property (w:b, w:isLgl): present and not val="0|false|off". */
static int onoff(const xmlNode *n)
{
    if (n == NULL)
        return 0;
    const char *v = wattr(n, "val");
    return v == NULL || !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0);
}

/* ---------------------------------------------------------------- styles */

typedef struct style_def {
    char *id;
    char *based_on;
    int kind; /* -1 none, else sd_docx_style from the name */
    long num_id, ilvl, outline;
} style_def;

typedef struct styles {
    style_def *items;
    size_t count, cap;
} styles;

static void styles_free(styles *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->items[i].id);
        free(s->items[i].based_on);
    }
    free(s->items);
}

static int style_cmp(const void *a, const void *b)
{
    return strcmp(((const style_def *)a)->id, ((const style_def *)b)->id);
}

/* The style a name (or an id) means.  Word's built-in names are English in the
 * file whatever the interface language; a custom style may be named in Chinese. */
static int kind_of_name(const char *name)
{
    if (name == NULL)
        return -1;
    if (strcasecmp(name, "Title") == 0 || strcmp(name, "标题") == 0)
        return SD_DOCX_TITLE;
    if (strncasecmp(name, "heading", 7) == 0)
        return SD_DOCX_HEADING;
    if (strncmp(name, "标题", 6) == 0 && name[6] != '\0')
        return SD_DOCX_HEADING;
    return -1;
}

static sd_status styles_load(xmlDocPtr doc, styles *out, sd_error *err)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root == NULL)
        return SD_OK;
    for (const xmlNode *s = root->children; s; s = s->next) {
        if (!is_w(s, "style"))
            continue;
        const char *type = wattr(s, "type");
        const char *id = wattr(s, "styleId");
        if (id == NULL || (type != NULL && strcmp(type, "paragraph") != 0))
            continue;
        if (grow((void **)&out->items, out->count, &out->cap, sizeof *out->items) != 0)
            return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory reading styles");
        style_def *d = &out->items[out->count];
        memset(d, 0, sizeof *d);
        d->id = strdup(id);
        const char *based = wattr(wchild(s, "basedOn"), "val");
        d->based_on = based ? strdup(based) : NULL;
        out->count++;
        if (d->id == NULL || (based && d->based_on == NULL))
            return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory reading styles");
        d->kind = kind_of_name(wattr(wchild(s, "name"), "val"));
        const xmlNode *ppr = wchild(s, "pPr");
        const xmlNode *num = wchild(ppr, "numPr");
        d->num_id = attr_long(wattr(wchild(num, "numId"), "val"), -1);
        d->ilvl = attr_long(wattr(wchild(num, "ilvl"), "val"), -1);
        d->outline = attr_long(wattr(wchild(ppr, "outlineLvl"), "val"), -1);
    }
    if (out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, style_cmp);
    return SD_OK;
}

/* Styles are sorted by id once (styles_load), so that a large styles.xml and
 * a long document do not multiply. */
static const style_def *style_find(const styles *s, const char *id)
{
    if (id == NULL || s->count == 0)
        return NULL;
    style_def key = {.id = (char *)id};
    return bsearch(&key, s->items, s->count, sizeof key, style_cmp);
}

/* The kind, numbering and outline level a paragraph style gives, following
 * w:basedOn (at most 16 steps: a loop in the file must not hang us). */
static void style_resolve(const styles *s, const char *id, int *kind, long *num_id, long *ilvl,
                          long *outline)
{
    *kind = -1;
    *num_id = -1;
    *ilvl = -1;
    *outline = -1;
    if (id == NULL)
        return;
    const style_def *d = style_find(s, id);
    if (d == NULL) {
        *kind = kind_of_name(id);
        return;
    }
    for (int step = 0; d != NULL && step < 16; step++) {
        if (*kind < 0)
            *kind = d->kind;
        if (*num_id < 0)
            *num_id = d->num_id;
        if (*ilvl < 0)
            *ilvl = d->ilvl;
        if (*outline < 0)
            *outline = d->outline;
        d = style_find(s, d->based_on);
    }
}

/* ---------------------------------------------------------------- numbering */

enum { MAX_LVL = 9 };

typedef struct lvl_def {
    long start;
    char fmt[40];
    char text[64];
    int is_lgl;
    int suff; /* 0 tab, 1 space, 2 nothing */
    int defined;
} lvl_def;

typedef struct abstract_def {
    long id;
    lvl_def lvl[MAX_LVL];
    long counter[MAX_LVL];
    int started[MAX_LVL];
} abstract_def;

typedef struct num_def {
    long id;
    long abstract_id;
    long start_override[MAX_LVL]; /* -1 none */
    int override_used[MAX_LVL];
    lvl_def lvl_override[MAX_LVL];
} num_def;

typedef struct numbering {
    abstract_def *abs;
    size_t nabs, capabs;
    num_def *nums;
    size_t nnums, capnums;
} numbering;

static void numbering_free(numbering *n)
{
    free(n->abs);
    free(n->nums);
}

static void lvl_read(const xmlNode *l, lvl_def *d)
{
    d->defined = 1;
    d->start = attr_long(wattr(wchild(l, "start"), "val"), 1);
    const xmlNode *nf = wchild(l, "numFmt");
    /* Word 2010+ writes a custom format as mc:AlternateContent whose
     * mc:Fallback holds the plain w:numFmt. */
    for (const xmlNode *c = l->children; c && nf == NULL; c = c->next)
        if (is_mc(c, "AlternateContent"))
            for (const xmlNode *f = c->children; f && nf == NULL; f = f->next)
                if (is_mc(f, "Fallback"))
                    nf = wchild(f, "numFmt");
    const char *fmt = wattr(nf, "val");
    snprintf(d->fmt, sizeof d->fmt, "%s", fmt ? fmt : "decimal");
    const char *text = wattr(wchild(l, "lvlText"), "val");
    snprintf(d->text, sizeof d->text, "%s", text ? text : "");
    sd_utf8_fix_truncated(d->text, sizeof d->text);
    d->is_lgl = onoff(wchild(l, "isLgl"));
    const char *suff = wattr(wchild(l, "suff"), "val");
    d->suff = suff == NULL ? 0 : strcmp(suff, "space") == 0 ? 1 : strcmp(suff, "nothing") == 0 ? 2 : 0;
}

static int abstract_cmp(const void *a, const void *b)
{
    long x = ((const abstract_def *)a)->id, y = ((const abstract_def *)b)->id;
    return (x > y) - (x < y);
}

static int num_cmp(const void *a, const void *b)
{
    long x = ((const num_def *)a)->id, y = ((const num_def *)b)->id;
    return (x > y) - (x < y);
}

static sd_status numbering_load(xmlDocPtr doc, numbering *out, sd_error *err)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root == NULL)
        return SD_OK;
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (is_w(c, "abstractNum")) {
            if (grow((void **)&out->abs, out->nabs, &out->capabs, sizeof *out->abs) != 0)
                return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory reading numbering");
            abstract_def *a = &out->abs[out->nabs++];
            memset(a, 0, sizeof *a);
            a->id = attr_long(wattr(c, "abstractNumId"), -1);
            for (const xmlNode *l = c->children; l; l = l->next) {
                long il = attr_long(wattr(l, "ilvl"), -1);
                if (is_w(l, "lvl") && il >= 0 && il < MAX_LVL)
                    lvl_read(l, &a->lvl[il]);
            }
        } else if (is_w(c, "num")) {
            if (grow((void **)&out->nums, out->nnums, &out->capnums, sizeof *out->nums) != 0)
                return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory reading numbering");
            num_def *n = &out->nums[out->nnums++];
            memset(n, 0, sizeof *n);
            n->id = attr_long(wattr(c, "numId"), -1);
            n->abstract_id = attr_long(wattr(wchild(c, "abstractNumId"), "val"), -1);
            for (int i = 0; i < MAX_LVL; i++)
                n->start_override[i] = -1;
            for (const xmlNode *o = c->children; o; o = o->next) {
                long il = attr_long(wattr(o, "ilvl"), -1);
                if (!is_w(o, "lvlOverride") || il < 0 || il >= MAX_LVL)
                    continue;
                const xmlNode *so = wchild(o, "startOverride");
                if (so)
                    n->start_override[il] = attr_long(wattr(so, "val"), 1);
                const xmlNode *l = wchild(o, "lvl");
                if (l)
                    lvl_read(l, &n->lvl_override[il]);
            }
        }
    }
    if (out->nabs > 1)
        qsort(out->abs, out->nabs, sizeof *out->abs, abstract_cmp);
    if (out->nnums > 1)
        qsort(out->nums, out->nnums, sizeof *out->nums, num_cmp);
    return SD_OK;
}

static const char *const DIGITS_ZH[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
static const char *const DIGITS_LEGAL[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};

/* 1..9999 the way Chinese lists count: 一, 十, 十一, 二十, 一百零一, 一千零二十. */
static void chinese_number(sd_buf *b, long v, int legal)
{
    const char *const *dg = legal ? DIGITS_LEGAL : DIGITS_ZH;
    static const char *const units[] = {"千", "百", "十", ""};
    static const char *const units_legal[] = {"仟", "佰", "拾", ""};
    if (v <= 0 || v > 9999) {
        sd_buf_printf(b, "%ld", v);
        return;
    }
    long d[4] = {v / 1000, v / 100 % 10, v / 10 % 10, v % 10};
    int started = 0, zero = 0;
    for (int i = 0; i < 4; i++) {
        if (d[i] == 0) {
            if (started)
                zero = 1;
            continue;
        }
        if (zero)
            sd_buf_puts(b, dg[0]);
        zero = 0;
        /* 十一 rather than 一十一 when the number starts with its tens. */
        if (!(i == 2 && !started && d[i] == 1 && !legal))
            sd_buf_puts(b, dg[d[i]]);
        sd_buf_puts(b, legal ? units_legal[i] : units[i]);
        started = 1;
    }
}

static void roman(sd_buf *b, long v, int upper)
{
    static const struct { int v; const char *s; } R[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
        {50, "l"},   {40, "xl"},  {10, "x"},  {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"}};
    if (v <= 0 || v > 3999) {
        sd_buf_printf(b, "%ld", v);
        return;
    }
    for (size_t i = 0; i < sizeof R / sizeof R[0]; i++)
        while (v >= R[i].v) {
            for (const char *p = R[i].s; *p; p++) {
                char c = upper ? (char)(*p - 'a' + 'A') : *p;
                sd_buf_add(b, &c, 1);
            }
            v -= R[i].v;
        }
}

/* Appends counter v in format fmt; returns 0 when the format is not supported. */
static int format_counter(sd_buf *b, const char *fmt, long v)
{
    static const char *const TIANGAN[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
    static const char *const DIZHI[] = {"子", "丑", "寅", "卯", "辰", "巳",
                                        "午", "未", "申", "酉", "戌", "亥"};
    if (strcmp(fmt, "decimal") == 0) {
        sd_buf_printf(b, "%ld", v);
    } else if (strcmp(fmt, "decimalZero") == 0) {
        sd_buf_printf(b, "%02ld", v);
    } else if (strcmp(fmt, "decimalFullWidth") == 0 || strcmp(fmt, "decimalFullWidth2") == 0) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%ld", v);
        for (const char *p = tmp; *p; p++) {
            if (*p >= '0' && *p <= '9') {
                char fw[3] = {(char)0xEF, (char)0xBC, (char)(0x90 + (*p - '0'))};
                sd_buf_add(b, fw, 3);
            } else {
                sd_buf_add(b, p, 1);
            }
        }
    } else if (strcmp(fmt, "decimalEnclosedCircle") == 0 ||
               strcmp(fmt, "decimalEnclosedCircleChinese") == 0) {
        if (v >= 1 && v <= 20) {
            /* U+2460 CIRCLED DIGIT ONE onwards: E2 91 A0 + v - 1 */
            char c[3] = {(char)0xE2, (char)0x91, (char)(0xA0 + (v - 1))};
            sd_buf_add(b, c, 3);
        } else {
            sd_buf_printf(b, "%ld", v);
        }
    } else if (strcmp(fmt, "chineseCounting") == 0 || strcmp(fmt, "chineseCountingThousand") == 0 ||
               strcmp(fmt, "japaneseCounting") == 0 || strcmp(fmt, "taiwaneseCounting") == 0 ||
               strcmp(fmt, "taiwaneseCountingThousand") == 0) {
        chinese_number(b, v, 0);
    } else if (strcmp(fmt, "chineseLegalSimplified") == 0) {
        chinese_number(b, v, 1);
    } else if (strcmp(fmt, "ideographTraditional") == 0) {
        sd_buf_puts(b, v >= 1 ? TIANGAN[(v - 1) % 10] : "");
    } else if (strcmp(fmt, "ideographZodiac") == 0) {
        sd_buf_puts(b, v >= 1 ? DIZHI[(v - 1) % 12] : "");
    } else if (strcmp(fmt, "lowerLetter") == 0 || strcmp(fmt, "upperLetter") == 0) {
        /* Word repeats the letter: a..z, aa..zz, aaa.. */
        if (v >= 1) {
            char c = (char)((strcmp(fmt, "lowerLetter") == 0 ? 'a' : 'A') + (v - 1) % 26);
            for (long i = 0; i <= (v - 1) / 26 && i < 100; i++)
                sd_buf_add(b, &c, 1);
        }
    } else if (strcmp(fmt, "lowerRoman") == 0 || strcmp(fmt, "upperRoman") == 0) {
        roman(b, v, strcmp(fmt, "upperRoman") == 0);
    } else if (strcmp(fmt, "none") == 0) {
        /* the level shows no number */
    } else {
        return 0;
    }
    return 1;
}

/* Both lists are sorted by id once (numbering_load). */
static abstract_def *abstract_find(numbering *nb, long id)
{
    abstract_def key = {.id = id};
    return nb->nabs ? bsearch(&key, nb->abs, nb->nabs, sizeof key, abstract_cmp) : NULL;
}

static num_def *num_find(numbering *nb, long id)
{
    num_def key = {.id = id};
    return nb->nnums ? bsearch(&key, nb->nums, nb->nnums, sizeof key, num_cmp) : NULL;
}

/* Advances the list counters for (num_id, ilvl) and appends the label Word
 * shows, with its suffix; appends nothing for bullets and unknown formats. */
static void number_label(numbering *nb, long num_id, long ilvl, sd_buf *out)
{
    if (num_id <= 0) /* numId 0 means "no numbering" */
        return;
    if (ilvl < 0)
        ilvl = 0;
    if (ilvl >= MAX_LVL)
        return;
    num_def *n = num_find(nb, num_id);
    abstract_def *a = n ? abstract_find(nb, n->abstract_id) : NULL;
    if (a == NULL)
        return;
    const lvl_def *lv[MAX_LVL];
    for (int i = 0; i < MAX_LVL; i++)
        lv[i] = n->lvl_override[i].defined ? &n->lvl_override[i] : &a->lvl[i];
    if (!lv[ilvl]->defined)
        return;
    if (n->start_override[ilvl] >= 0 && !n->override_used[ilvl]) {
        n->override_used[ilvl] = 1;
        a->counter[ilvl] = n->start_override[ilvl];
    } else if (a->started[ilvl]) {
        if (a->counter[ilvl] < 100000000)
            a->counter[ilvl]++;
    } else {
        a->counter[ilvl] = lv[ilvl]->start;
    }
    a->started[ilvl] = 1;
    for (int i = (int)ilvl + 1; i < MAX_LVL; i++)
        a->started[i] = 0;
    if (strcmp(lv[ilvl]->fmt, "bullet") == 0)
        return;
    sd_buf label;
    sd_buf_init(&label);
    int ok = 1;
    for (const char *p = lv[ilvl]->text; *p && ok; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            int k = p[1] - '1';
            long v = a->started[k] ? a->counter[k] : lv[k]->start;
            /* w:isLgl: every number of the label in Arabic digits ("1.2.3") */
            const char *fmt = lv[ilvl]->is_lgl ? "decimal" : lv[k]->fmt;
            if (!lv[k]->defined)
                fmt = "decimal";
            ok = format_counter(&label, fmt, v);
            p++;
        } else {
            sd_buf_add(&label, p, 1);
        }
    }
    if (ok && label.len > 0 && !sd_buf_failed(&label)) {
        sd_buf_add(out, label.data, label.len);
        int suff = lv[ilvl]->suff;
        if (suff == 1 || (suff == 0 && (unsigned char)label.data[label.len - 1] < 0x80))
            sd_buf_add(out, " ", 1);
    }
    sd_buf_free(&label);
}

/* ---------------------------------------------------------------- body walk */

enum { FIELD_STACK = 64 };

typedef struct walker {
    sd_docx_doc *out;
    size_t out_cap;
    const styles *st;
    numbering *nb;
    int seen_body; /* a non-empty BODY paragraph came before */
    /* complex fields (w:fldChar) may span paragraphs */
    int field_state[FIELD_STACK]; /* 0 instruction, 1 result */
    int field_depth, field_overflow, instr_levels;
    /* text boxes met in the current paragraph, walked after it */
    const xmlNode **boxes;
    size_t nboxes, capboxes;
    int oom;
} walker;

static void field_char(walker *w, const char *type)
{
    if (type == NULL)
        return;
    if (strcmp(type, "begin") == 0) {
        if (w->field_depth < FIELD_STACK)
            w->field_state[w->field_depth++] = 0;
        else
            w->field_overflow++;
        w->instr_levels++;
    } else if (strcmp(type, "separate") == 0) {
        if (w->field_overflow == 0 && w->field_depth > 0 &&
            w->field_state[w->field_depth - 1] == 0) {
            w->field_state[w->field_depth - 1] = 1;
            w->instr_levels--;
        }
    } else if (strcmp(type, "end") == 0) {
        if (w->field_overflow > 0) {
            w->field_overflow--;
            w->instr_levels--;
        } else if (w->field_depth > 0) {
            if (w->field_state[--w->field_depth] == 0)
                w->instr_levels--;
        }
    }
}

typedef struct para_state {
    sd_buf text;
    int runs_bold, runs_all_bold, runs_big;
} para_state;

static void add_text_children(const xmlNode *t, sd_buf *b)
{
    for (const xmlNode *c = t->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            sd_buf_puts(b, (const char *)c->content);
}

static void walk_inline(walker *w, const xmlNode *n, para_state *ps);

static void walk_run(walker *w, const xmlNode *r, para_state *ps)
{
    const xmlNode *rpr = wchild(r, "rPr");
    /* Hidden text (w:vanish) is not part of the text a reader sees; field
     * characters in it still count. */
    int hidden = onoff(wchild(rpr, "vanish"));
    size_t before = ps->text.len;
    for (const xmlNode *c = r->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c == rpr)
            continue;
        if (is_w(c, "fldChar")) {
            field_char(w, wattr(c, "fldCharType"));
            continue;
        }
        if (w->instr_levels > 0 || hidden)
            continue;
        if (is_w(c, "t"))
            add_text_children(c, &ps->text);
        else if (is_w(c, "tab") || is_w(c, "ptab"))
            sd_buf_add(&ps->text, "\t", 1);
        else if (is_w(c, "br") || is_w(c, "cr"))
            sd_buf_add(&ps->text, "\n", 1);
        else if (is_w(c, "noBreakHyphen"))
            sd_buf_add(&ps->text, "-", 1);
        else if (is_w(c, "instrText") || is_w(c, "delText") || is_w(c, "delInstrText"))
            continue;
        else
            walk_inline(w, c, ps); /* drawings (text boxes), mc:AlternateContent */
    }
    if (ps->text.len > before) {
        int bold = onoff(wchild(rpr, "b"));
        long sz = attr_long(wattr(wchild(rpr, "sz"), "val"), 0);
        ps->runs_bold = 1;
        if (!bold)
            ps->runs_all_bold = 0;
        if (sz < 36)
            ps->runs_big = 0;
    }
}

static void walk_inline(walker *w, const xmlNode *n, para_state *ps)
{
    if (n->type != XML_ELEMENT_NODE)
        return;
    if (is_w(n, "del") || is_w(n, "moveFrom") || is_w(n, "pPr") || is_w(n, "rPr") ||
        is_w(n, "instrText") || is_w(n, "delText") || is_mc(n, "Fallback") ||
        is_w(n, "rt")) /* ruby text (pinyin over the characters) is not the text */
        return;
    if (is_w(n, "txbxContent")) {
        if (w->nboxes == w->capboxes) {
            size_t nc = w->capboxes ? w->capboxes * 2 : 4;
            const xmlNode **nb = realloc(w->boxes, nc * sizeof *nb);
            if (nb == NULL) {
                w->oom = 1;
                return;
            }
            w->boxes = nb;
            w->capboxes = nc;
        }
        w->boxes[w->nboxes++] = n;
        return;
    }
    if (is_w(n, "r")) {
        walk_run(w, n, ps);
        return;
    }
    if (is_mc(n, "AlternateContent")) {
        for (const xmlNode *c = n->children; c; c = c->next)
            if (is_mc(c, "Choice")) {
                walk_inline(w, c, ps);
                return;
            }
        for (const xmlNode *c = n->children; c; c = c->next)
            if (is_mc(c, "Fallback"))
                for (const xmlNode *g = c->children; g; g = g->next)
                    walk_inline(w, g, ps);
        return;
    }
    /* w:ins, w:moveTo, w:hyperlink, w:smartTag, w:sdt, w:fldSimple (its runs
     * are the result), w:customXml, drawings: their runs in order. */
    for (const xmlNode *c = n->children; c; c = c->next)
        walk_inline(w, c, ps);
}

static void walk_block(walker *w, const xmlNode *n);

static void walk_para(walker *w, const xmlNode *p)
{
    para_state ps = {.runs_all_bold = 1, .runs_big = 1};
    sd_buf_init(&ps.text);
    const xmlNode *ppr = wchild(p, "pPr");
    int kind;
    long num_id, ilvl, outline;
    style_resolve(w->st, wattr(wchild(ppr, "pStyle"), "val"), &kind, &num_id, &ilvl, &outline);
    const xmlNode *numpr = wchild(ppr, "numPr");
    if (numpr) {
        long pn = attr_long(wattr(wchild(numpr, "numId"), "val"), -1);
        long pl = attr_long(wattr(wchild(numpr, "ilvl"), "val"), -1);
        if (pn >= 0)
            num_id = pn;
        if (pl >= 0)
            ilvl = pl;
    }
    long pol = attr_long(wattr(wchild(ppr, "outlineLvl"), "val"), -1);
    if (pol >= 0)
        outline = pol;
    if (num_id > 0)
        number_label(w->nb, num_id, ilvl, &ps.text);
    size_t label_len = ps.text.len;

    size_t box_mark = w->nboxes;
    for (const xmlNode *c = p->children; c; c = c->next)
        walk_inline(w, c, &ps);

    sd_docx_style style = SD_DOCX_BODY;
    if (kind == SD_DOCX_TITLE || kind == SD_DOCX_HEADING)
        style = (sd_docx_style)kind;
    else if (outline >= 0 && outline <= 8)
        style = SD_DOCX_HEADING;
    else {
        const char *jc = wattr(wchild(ppr, "jc"), "val");
        int centred = jc && strcmp(jc, "center") == 0;
        if (centred && ps.runs_bold && (ps.runs_all_bold || ps.runs_big))
            style = w->seen_body ? SD_DOCX_HEADING : SD_DOCX_TITLE;
    }
    if (style == SD_DOCX_BODY && ps.text.len > label_len)
        w->seen_body = 1;

    if (sd_buf_failed(&ps.text)) {
        w->oom = 1;
    } else {
        int full = grow((void **)&w->out->items, w->out->count, &w->out_cap,
                        sizeof *w->out->items);
        char *text = full ? NULL : malloc(ps.text.len + 1);
        if (text == NULL) {
            free(text);
            w->oom = 1;
        } else {
            if (ps.text.len)
                memcpy(text, ps.text.data, ps.text.len);
            text[ps.text.len] = '\0';
            w->out->items[w->out->count].text = text;
            w->out->items[w->out->count].style = style;
            w->out->count++;
        }
    }
    sd_buf_free(&ps.text);

    /* Text boxes anchored here come after the paragraph; the list may grow
     * while we walk them (a box in a box), so index, never hold pointers. */
    size_t end = w->nboxes;
    for (size_t i = box_mark; i < end && !w->oom; i++)
        for (const xmlNode *c = w->boxes[i]->children; c; c = c->next)
            walk_block(w, c);
    w->nboxes = box_mark;
}

static void walk_block(walker *w, const xmlNode *n)
{
    if (w->oom || n->type != XML_ELEMENT_NODE)
        return;
    if (is_w(n, "p")) {
        walk_para(w, n);
    } else if (is_w(n, "tbl") || is_w(n, "tr") || is_w(n, "tc") || is_w(n, "sdt") ||
               is_w(n, "sdtContent") || is_w(n, "customXml") || is_w(n, "ins") ||
               is_w(n, "moveTo") || is_w(n, "body") || is_mc(n, "AlternateContent") ||
               is_mc(n, "Choice")) {
        int alt = is_mc(n, "AlternateContent");
        for (const xmlNode *c = n->children; c && !w->oom; c = c->next) {
            walk_block(w, c);
            if (alt && is_mc(c, "Choice"))
                break;
        }
    }
    /* w:sectPr, w:tblPr, w:tcPr, w:del, w:moveFrom, bookmarks: no text */
}

static sd_status load_optional(const sd_zip *za, const char *name, xmlDocPtr *doc, sd_error *err)
{
    char *data;
    size_t len;
    *doc = NULL;
    sd_status st = read_part(za, name, 0, &data, &len, err);
    if (st != SD_OK || data == NULL)
        return st;
    st = parse_part(data, len, name, doc, err);
    free(data);
    return st;
}

sd_status sd_docx_read(const unsigned char *bytes, size_t len, sd_docx_doc *out, sd_error *err)
{
    out->items = NULL;
    out->count = 0;
    if (bytes == NULL || len == 0)
        return sd_error_set(err, SD_EPARSE, "", 0, "not a Word document: the file is empty");
    /* The OLE2 compound file of Word 97-2003 (.doc) and WPS (.wps): say what to do. */
    static const unsigned char OLE2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 8 && memcmp(bytes, OLE2, 8) == 0)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "a Word 97-2003 (.doc) or WPS file, not a .docx: save it as .docx "
                            "(Word document) first");
    sd_zip zip;
    sd_zip *za = &zip;
    sd_status zst = sd_zip_open(za, bytes, len, err);
    if (zst == SD_EPARSE) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return sd_error_set(err, SD_EPARSE, "", 0, "not a Word document (%s)", why);
    }
    if (zst != SD_OK)
        return zst;

    xmlDocPtr doc = NULL, sdoc = NULL, ndoc = NULL;
    styles st_defs = {0};
    numbering nb = {0};
    walker w = {.out = out, .st = &st_defs, .nb = &nb};
    char *data = NULL;
    size_t dlen = 0;
    sd_status st = read_part(za, "word/document.xml", 1, &data, &dlen, err);
    if (st == SD_OK)
        st = parse_part(data, dlen, "word/document.xml", &doc, err);
    free(data);
    if (st == SD_OK)
        st = load_optional(za, "word/styles.xml", &sdoc, err);
    if (st == SD_OK && sdoc)
        st = styles_load(sdoc, &st_defs, err);
    if (st == SD_OK)
        st = load_optional(za, "word/numbering.xml", &ndoc, err);
    if (st == SD_OK && ndoc)
        st = numbering_load(ndoc, &nb, err);
    if (st == SD_OK) {
        const xmlNode *root = xmlDocGetRootElement(doc);
        const xmlNode *body = is_w(root, "document") ? wchild(root, "body") : NULL;
        if (body == NULL)
            st = sd_error_set(err, SD_EPARSE, "", 0,
                              "word/document.xml is not WordprocessingML (no w:document/w:body)");
        else
            walk_block(&w, body);
        if (st == SD_OK && w.oom)
            st = sd_error_set(err, SD_ENOMEM, "", 0, "out of memory reading the document");
    }
    free(w.boxes);
    styles_free(&st_defs);
    numbering_free(&nb);
    xmlFreeDoc(doc);
    xmlFreeDoc(sdoc);
    xmlFreeDoc(ndoc);
    sd_zip_close(za);
    if (st != SD_OK)
        sd_docx_doc_free(out);
    return st;
}

/* ---------------------------------------------------------------- writing */

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "</Types>\n";

static const char ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "</Relationships>\n";

static const char DOC_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>\n";

/* GB/T 9704-2012: body 仿宋 三号 (16 pt = 32 half-points), title 小标宋 二号
 * (22 pt), first-level headings 黑体 三号; 28 pt line pitch. */
static const char STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"" W_NS "\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"Times New Roman\"/>"
    "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>"
    "</w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:spacing w:line=\"560\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault>"
    "</w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
    "<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/></w:pPr>"
    "<w:rPr><w:rFonts w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:next w:val=\"Normal\"/><w:qFormat/>"
    "<w:pPr><w:spacing w:line=\"700\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr>"
    "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"方正小标宋简体\"/>"
    "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:next w:val=\"Normal\"/><w:qFormat/>"
    "<w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr>"
    "<w:rPr><w:rFonts w:eastAsia=\"黑体\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>"
    "</w:styles>\n";

/* A4 (210 x 297 mm) with GB/T 9704 margins: top 37 mm, bottom 35 mm, left
 * 28 mm, right 26 mm (a 156 x 225 mm type area), in twips (1 mm = 56.7). */
static const char SECT[] =
    "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
    "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\" w:header=\"851\""
    " w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>";

/* Appends paragraph text as runs' content; returns the byte offset of the first
 * byte that is not UTF-8, or (size_t)-1 when all is well. */
static size_t put_para_text(sd_buf *b, const char *s)
{
    size_t n = strlen(s);
    int in_t = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = sd_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return i;
        const char *elem = NULL;
        if (cp == '\t')
            elem = "<w:tab/>";
        else if (cp == '\n' || cp == '\r')
            elem = "<w:br/>";
        if (elem) {
            if (in_t)
                sd_buf_puts(b, "</w:t>");
            in_t = 0;
            sd_buf_puts(b, elem);
            if (cp == '\r' && i + 1 < n && s[i + 1] == '\n')
                k++;
            i += k;
            continue;
        }
        int drop = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
        if (!drop) {
            if (!in_t)
                sd_buf_puts(b, "<w:t xml:space=\"preserve\">");
            in_t = 1;
            if (cp == '&')
                sd_buf_puts(b, "&amp;");
            else if (cp == '<')
                sd_buf_puts(b, "&lt;");
            else if (cp == '>')
                sd_buf_puts(b, "&gt;");
            else
                sd_buf_add(b, s + i, k);
        }
        i += k;
    }
    if (in_t)
        sd_buf_puts(b, "</w:t>");
    return (size_t)-1;
}

static sd_status build_document(const sd_docx_doc *in, sd_buf *b, sd_error *err)
{
    sd_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<w:document xmlns:w=\"" W_NS "\"><w:body>");
    for (size_t i = 0; i < in->count; i++) {
        const sd_docx_para *p = &in->items[i];
        sd_buf_puts(b, "\n<w:p>");
        if (p->style == SD_DOCX_TITLE)
            sd_buf_puts(b, "<w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>");
        else if (p->style == SD_DOCX_HEADING)
            sd_buf_puts(b, "<w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>");
        sd_buf_puts(b, "<w:r>");
        size_t bad = put_para_text(b, p->text ? p->text : "");
        if (bad != (size_t)-1)
            return sd_error_set(err, SD_EINVAL, "", 0,
                                "paragraph %zu is not UTF-8 (byte %zu); nothing written", i + 1,
                                bad);
        sd_buf_puts(b, "</w:r></w:p>");
    }
    sd_buf_puts(b, "\n");
    sd_buf_puts(b, SECT);
    sd_buf_puts(b, "</w:body></w:document>\n");
    if (sd_buf_failed(b))
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory writing the document");
    return SD_OK;
}

sd_status sd_docx_write(const sd_docx_doc *in, unsigned char **bytes, size_t *len, sd_error *err)
{
    *bytes = NULL;
    *len = 0;
    sd_buf doc;
    sd_buf_init(&doc);
    sd_status st = build_document(in, &doc, err);
    if (st != SD_OK) {
        sd_buf_free(&doc);
        return st;
    }
    sd_zip_writer zw;
    sd_zip_writer_init(&zw);
    st = sd_zip_writer_add(&zw, "[Content_Types].xml", CONTENT_TYPES, sizeof CONTENT_TYPES - 1, 1,
                           err);
    if (st == SD_OK)
        st = sd_zip_writer_add(&zw, "_rels/.rels", ROOT_RELS, sizeof ROOT_RELS - 1, 1, err);
    if (st == SD_OK)
        st = sd_zip_writer_add(&zw, "word/document.xml", doc.data, doc.len, 1, err);
    if (st == SD_OK)
        st = sd_zip_writer_add(&zw, "word/_rels/document.xml.rels", DOC_RELS,
                               sizeof DOC_RELS - 1, 1, err);
    if (st == SD_OK)
        st = sd_zip_writer_add(&zw, "word/styles.xml", STYLES, sizeof STYLES - 1, 1, err);
    if (st == SD_OK)
        st = sd_zip_writer_finish(&zw, bytes, len, err);
    sd_zip_writer_free(&zw);
    sd_buf_free(&doc);
    return st;
}
