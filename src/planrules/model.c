/*
 * model.c — the plan model: the arena and hash tables, XML and name helpers, how a finding is
 * made, and the model of one plan built once before the rules run (agencies by id and by name
 * key, catalogue entries by name and alias, each 三定 linked to its entry)
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

void pr_oom(ctx *c)
{
    if (c->st == SD_OK)
        c->st = sd_error_set(c->err, SD_ENOMEM, NULL, 0, "out of memory in the plan rules");
}

void *pr_ar_alloc(ctx *c, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (c->arena == NULL || c->arena->cap - c->arena->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        blk *b = malloc(sizeof *b + cap);
        if (b == NULL) {
            pr_oom(c);
            return NULL;
        }
        b->next = c->arena;
        b->used = 0;
        b->cap = cap;
        c->arena = b;
    }
    void *p = c->arena->data + c->arena->used;
    c->arena->used += n;
    memset(p, 0, n);
    return p;
}

char *pr_ar_strndup(ctx *c, const char *s, size_t n)
{
    char *d = pr_ar_alloc(c, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *pr_ar_cat(ctx *c, const char *a, const char *b, const char *d)
{
    size_t la = strlen(a), lb = strlen(b), ld = d ? strlen(d) : 0;
    char *r = pr_ar_alloc(c, la + lb + ld + 1);
    if (r) {
        memcpy(r, a, la);
        memcpy(r + la, b, lb);
        if (d)
            memcpy(r + la + lb, d, ld);
        r[la + lb + ld] = '\0';
    }
    return r;
}

void pr_ar_free(blk *b)
{
    while (b) {
        blk *n = b->next;
        free(b);
        b = n;
    }
}

/* --------------------------------------------------------------- strmap */

/* Inserts k → v when k is absent (the first one wins); k must outlive m. */
void pr_map_put(ctx *c, strmap *m, const char *k, void *v)
{
    if (k != NULL && c->st == SD_OK && sd_strmap_put(m, k, v) < 0)
        pr_oom(c);
}

/* ------------------------------------------------------------------ xml */

int pr_is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr pr_next_el(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next)
        if (pr_is_el(n, name))
            return n;
    return NULL;
}

xmlNodePtr pr_child(xmlNodePtr p, const char *name)
{
    return p ? pr_next_el(p->children, name) : NULL;
}


/* s with XML whitespace runs collapsed to one space, trimmed (arena). */
const char *pr_collapse(ctx *c, const char *s)
{
    size_t n = strlen(s);
    char *d = pr_ar_alloc(c, n + 1);
    if (d == NULL)
        return NULL;
    size_t k = 0;
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            sp = k > 0;
            continue;
        }
        if (sp)
            d[k++] = ' ';
        sp = 0;
        d[k++] = ch;
    }
    d[k] = '\0';
    return d;
}

const char *pr_attr(ctx *c, xmlNodePtr n, const char *name)
{
    if (n == NULL)
        return NULL;
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    const char *r = pr_collapse(c, (const char *)v);
    xmlFree(v);
    return r;
}

/* The attribute node (for its position), else the element. */
xmlNodePtr pr_attr_node(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = n ? xmlHasNsProp(n, (const xmlChar *)name, NULL) : NULL;
    return a ? (xmlNodePtr)a : n;
}

const char *pr_text(ctx *c, xmlNodePtr n)
{
    if (n == NULL)
        return NULL;
    xmlChar *v = xmlNodeGetContent(n);
    if (v == NULL)
        return NULL;
    const char *r = pr_collapse(c, (const char *)v);
    xmlFree(v);
    return r;
}

/* A non-negative integer as the schema reads it ("+3", "03"); -1 otherwise. */
long pr_num_of(const char *s)
{
    if (s == NULL)
        return -1;
    if (*s == '+')
        s++;
    if (*s < '0' || *s > '9')
        return -1;
    long v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > 100000000000L)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return *s == '\0' ? v : -1;
}

long pr_attr_num(ctx *c, xmlNodePtr n, const char *name)
{
    return pr_num_of(pr_attr(c, n, name));
}

/* A count stated as element text (<agencyCap>53</agencyCap>) or @count. */
long pr_count_of(ctx *c, xmlNodePtr n)
{
    if (n == NULL)
        return -1;
    long v = pr_attr_num(c, n, "count");
    return v >= 0 ? v : pr_num_of(pr_text(c, n));
}

int pr_truthy(const char *s)
{
    return s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

int pr_word_in(const char *list, const char *w)
{
    if (list == NULL || w == NULL)
        return 0;
    size_t n = strlen(w);
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) == n && strncmp(p, w, n) == 0)
            return 1;
        p = e;
    }
    return 0;
}

/* ---------------------------------------------------------------- names */

int pr_starts(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

const char *pr_ar_take(ctx *c, char *m)
{
    if (m == NULL) {
        pr_oom(c);
        return NULL;
    }
    const char *r = pr_ar_strndup(c, m, strlen(m));
    free(m);
    return r;
}

/* The comparison form of a name or a duty text: sd_names_normalize (full
 * width folded, blanks and trailing punctuation dropped), then
 * 中国共产党X委员会… (X a place ending in 省市县区州盟旗) read as 中共X委…, so
 * the two party forms of one name are equal. */
const char *pr_names_normalize(ctx *c, const char *s)
{
    if (s == NULL)
        return NULL;
    /* straight into the arena: the form is never longer than s */
    size_t len = strlen(s);
    char *d = pr_ar_alloc(c, len + 1);
    if (d == NULL)
        return NULL;
    sd_names_normalize_n(s, len, d);
    static const char cpc[] = "中国共产党", wyh[] = "委员会";
    if (pr_starts(d, cpc)) {
        const char *x = d + strlen(cpc), *w = strstr(x, wyh);
        if (w && w - x >= 3) {
            static const char *const ends[] = {"省", "市", "县", "区", "州", "盟", "旗"};
            int place = 0;
            for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
                place |= strncmp(w - 3, ends[i], 3) == 0;
            if (place) {
                size_t n = strlen(d) + 1;
                char *r = pr_ar_alloc(c, n);
                if (r == NULL)
                    return NULL;
                snprintf(r, n, "中共%.*s委%s", (int)(w - x), x, w + strlen(wyh));
                return r;
            }
        }
    }
    return d;
}

/* The local part of a normalised name (sd_names_local_part: 中共/中国共产党,
 * the jurisdiction j and a 委 after it taken off) and, when shortform is set
 * and j was not there, the short forms 市委/县委/…, 市/县/区/省 of a text
 * that names its own jurisdiction so (县财政局); then 人民政府… is read as
 * 政府… (县政府办公室). */
/* j in sd_names_normalize form, normalised on its first use in this check. */
static const char *norm_jurisdiction(ctx *c, const char *j)
{
    for (size_t i = 0; i < c->njnorm; i++)
        if (strcmp(c->jnorm[i].raw, j) == 0)
            return c->jnorm[i].norm;
    size_t len = strlen(j);
    char *n = pr_ar_alloc(c, len + 1);
    if (n == NULL)
        return NULL;
    sd_names_normalize_n(j, len, n);
    if (c->njnorm < sizeof c->jnorm / sizeof c->jnorm[0]) {
        const char *raw = pr_ar_strndup(c, j, len);
        if (raw == NULL)
            return NULL;
        c->jnorm[c->njnorm].raw = raw;
        c->jnorm[c->njnorm++].norm = n;
    }
    return n;
}

/* norm is pr_names_normalize's (a text of a parsed tree, so UTF-8, in its
 * normal form already): split where it stands, not normalised and copied
 * again; the key points into norm, which lives as long as the check. */
const char *pr_names_key(ctx *c, const char *norm, const char *j, int shortform)
{
    sd_names_split split = {0};
    const char *jn = j != NULL ? norm_jurisdiction(c, j) : NULL;
    if (j != NULL && jn == NULL)
        return "";
    const char *s = norm + sd_names_local_offset(norm, jn, &split);
    if (!split.jurisdiction && shortform && split.form != SD_NAMES_FULL) {
        static const char *const P[] = {"市委", "县委", "区委", "省委", "州委", "旗委", "市", "县", "区", "省"};
        size_t np = split.form == SD_NAMES_ZHONGGONG ? 6 : sizeof P / sizeof P[0];
        for (size_t i = 0; i < np; i++)
            if (pr_starts(s, P[i]) && s[strlen(P[i])]) {
                s += strlen(P[i]);
                break;
            }
    }
    if (*s == '\0')
        return norm; /* 中共沈阳市委 itself: the name is its own key */
    if (pr_starts(s, "人民政府") && s[12])
        s += 6;
    return s;
}

/* Looks raw up in a table keyed by pr_names_key(…, the table's jurisdiction, 0)
 * and by the full normalised name: the full form, then the local part taken
 * with j1 (the name's own jurisdiction) and with j2 (the table's), then the
 * short form. */
void *pr_lookup_name(ctx *c, const strmap *m, const char *raw, const char *j1, const char *j2)
{
    const char *norm = pr_names_normalize(c, raw);
    if (norm == NULL || *norm == '\0')
        return NULL;
    void *v = sd_strmap_get(m, norm);
    if (v == NULL)
        v = sd_strmap_get(m, pr_names_key(c, norm, j1, 0));
    if (v == NULL && j2)
        v = sd_strmap_get(m, pr_names_key(c, norm, j2, 0));
    if (v == NULL)
        v = sd_strmap_get(m, pr_names_key(c, norm, j1, 1));
    return v;
}

void pr_put_name(ctx *c, strmap *m, const char *raw, const char *j, void *v)
{
    const char *norm = pr_names_normalize(c, raw);
    if (norm == NULL || *norm == '\0')
        return;
    pr_map_put(c, m, norm, v);
    pr_map_put(c, m, pr_names_key(c, norm, j, 0), v);
    pr_map_put(c, m, pr_names_key(c, norm, j, 1), v); /* a table written in short forms (市委办公室) */
}

/* The closest of keys[0..n) (local parts; alias_of[i] the name of the entry
 * a key is an alias of, or NULL) to q by characters (sd_names_suggest), or -1. */
long pr_did_you_mean(ctx *c, const char *q, const char *j, const char *const *keys,
                         const char *const *alias_of, size_t n)
{
    const char *norm = pr_names_normalize(c, q);
    if (norm == NULL || n == 0)
        return -1;
    sd_names_candidate *cands = malloc(n * sizeof *cands);
    if (cands == NULL) {
        pr_oom(c);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        cands[i].name = keys[i] ? keys[i] : "";
        cands[i].alias_of = alias_of ? alias_of[i] : NULL;
    }
    /* The query as written, and in its short form (县应急管理所 → 应急管理所);
     * the closer of the two suggestions wins. */
    long found = -1;
    size_t bestd = (size_t)-1;
    for (int shortform = 0; shortform < 2; shortform++) {
        sd_names_suggestion best;
        size_t k = sd_names_suggest(pr_names_key(c, norm, j, shortform), cands, n, &best, 1);
        if (k == (size_t)-1) {
            pr_oom(c);
            break;
        }
        if (k == 1 && best.distance > 0 && best.distance < bestd) {
            bestd = best.distance;
            found = (long)best.index;
        }
    }
    free(cands);
    return found;
}

/* ------------------------------------------------------------- findings */

void pr_add_finding(ctx *c, const char *rule, sd_severity sev, const char *file, xmlNodePtr n,
                        const char *rfile, xmlNodePtr rn, const char *rmsg, const char *msg)
{
    if (c->st != SD_OK)
        return;
    sd_pos p = {0}, rp = {0};
    if (n)
        sd_pos_of(n, &p);
    char *loc = n ? sd_xpathloc_path(c->xl, n, SD_XPATHLOC_COMPACT) : NULL;
    char *rloc = rn ? sd_xpathloc_path(c->xl, rn, SD_XPATHLOC_COMPACT) : NULL;
    sd_related rel = {0};
    sd_finding f = {
        .rule_id = (char *)rule, .severity = sev, .file = (char *)file,
        .line = p.line, .col = p.col, .end_line = p.end_line, .end_col = p.end_col,
        .offset = (long)p.offset, .location = loc, .message = (char *)msg,
    };
    if (rfile) {
        if (rn)
            sd_pos_of(rn, &rp);
        rel.file = (char *)rfile;
        rel.line = rp.line;
        rel.col = rp.col;
        rel.location = rloc;
        rel.message = (char *)rmsg;
        f.related = &rel;
        f.nrelated = 1;
    }
    sd_diags *to = sd_strmap_get(&c->route, file);
    sd_status st = sd_diags_add(to ? to : c->out, &f, c->err);
    if (st != SD_OK && c->st == SD_OK)
        c->st = st;
    free(loc);
    free(rloc);
}

void pr_report_(ctx *c, const char *rule, sd_severity sev, const char *file, xmlNodePtr n,
                    const char *rfile, xmlNodePtr rn, const char *rmsg_zh, const char *rmsg_en,
                    const char *fmt_zh, const char *fmt_en, ...)
{
    if (c->st != SD_OK)
        return;
    va_list ap;
    va_start(ap, fmt_en);
    const char *fmt = SD_TR(c->lang, fmt_zh, fmt_en);
    va_list aq;
    va_copy(aq, ap);
    int len = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    char *m = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (m)
        vsnprintf(m, (size_t)len + 1, fmt, ap);
    va_end(ap);
    if (m == NULL) {
        pr_oom(c);
        return;
    }
    pr_add_finding(c, rule, sev, file, n, rfile, rn, rfile ? SD_TR(c->lang, rmsg_zh, rmsg_en) : NULL, m);
    free(m);
}


const char *pr_nz(const char *s)
{
    return s ? s : "";
}

/* ---------------------------------------------------------------- model */

int pr_counted_kind(const char *k)
{
    static const char *const K[] = {"party-department",    "party-office",       "government-department",
                                    "constituent-department", "special-affiliated", "directly-affiliated",
                                    "department-managed"};
    for (size_t i = 0; k && i < sizeof K / sizeof K[0]; i++)
        if (strcmp(k, K[i]) == 0)
            return 1;
    return 0;
}

int pr_counted(const agency *a)
{
    return pr_counted_kind(a->kind) && !(a->disp && (strcmp(a->disp, "plate") == 0 ||
                                                  strcmp(a->disp, "co-located") == 0));
}

int pr_is_disp(const agency *a, const char *d)
{
    return a->disp && strcmp(a->disp, d) == 0;
}

agency *pr_read_agencies(ctx *c, xmlNodePtr list, int after, size_t *n)
{
    size_t k = 0;
    FOR_CHILD(a, list, "agency")
    k++;
    agency *v = pr_ar_alloc(c, (k ? k : 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    k = 0;
    FOR_CHILD(a, list, "agency")
    {
        agency *g = &v[k++];
        g->node = a;
        g->after = after;
        g->id = pr_attr(c, a, "id");
        g->name = pr_attr(c, a, "name");
        g->kind = pr_attr(c, a, "kind");
        g->rank = pr_attr(c, a, "rank");
        g->disp = pr_attr(c, a, "disposition");
        g->host = pr_attr(c, a, "host");
        g->admin = pr_attr_num(c, a, "adminPosts");
        g->units = pr_attr_num(c, a, "units");
    }
    *n = k;
    return v;
}

const char *pr_jur_name(ctx *c, xmlNodePtr root)
{
    return pr_names_normalize(c, pr_attr(c, pr_child(root, "jurisdiction"), "name"));
}

void pr_build_model(ctx *c)
{
    c->proot = xmlDocGetRootElement(c->in->plan.doc);
    c->pfile = pr_nz(c->in->plan.file);
    if (c->in->plan.diags)
        pr_map_put(c, &c->route, c->pfile, c->in->plan.diags);
    xmlNodePtr jur = pr_child(c->proot, "jurisdiction");
    c->tier = pr_attr(c, jur, "tier");
    c->jname = pr_jur_name(c, c->proot);
    c->before = pr_read_agencies(c, pr_child(c->proot, "agenciesBefore"), 0, &c->nbefore);
    c->after = pr_read_agencies(c, pr_child(c->proot, "agenciesAfter"), 1, &c->nafter);
    for (size_t i = 0; i < c->nbefore; i++) {
        pr_map_put(c, &c->before_id, c->before[i].id, &c->before[i]);
        pr_put_name(c, &c->before_name, c->before[i].name, c->jname, &c->before[i]);
    }
    for (size_t i = 0; i < c->nafter; i++) {
        agency *a = &c->after[i];
        pr_map_put(c, &c->after_id, a->id, a);
        if (pr_is_disp(a, "abolished"))
            continue;
        pr_put_name(c, &c->after_name, a->name, c->jname, a);
        FOR_CHILD(pr, a->node, "predecessor")
        {
            const char *ref = pr_attr(c, pr, "ref");
            if (ref)
                pr_map_put(c, &c->successor, ref, a);
        }
        FOR_CHILD(p, a->node, "plate")
        pr_put_name(c, &c->after_name, pr_attr(c, p, "name"), c->jname, a);
    }

    /* Entries hosted by each entry (plates, 合署 partners), in document order. */
    for (size_t i = c->nafter; i-- > 0;) {
        agency *a = &c->after[i];
        agency *h = a->host ? sd_strmap_get(&c->after_id, a->host) : NULL;
        if (h && h != a) {
            a->next_hosted = h->hosted;
            h->hosted = a;
        }
    }
    /* Coordination bodies exist after the reform too (SD209). */
    FOR_CHILD(cb, pr_child(c->proot, "coordinationBodies"), "coordinationBody")
    {
        agency *g = pr_ar_alloc(c, sizeof *g);
        if (g == NULL)
            return;
        g->node = cb;
        g->after = 1;
        g->name = pr_attr(c, cb, "name");
        g->admin = g->units = -1;
        pr_put_name(c, &c->after_name, g->name, c->jname, g);
    }

    xmlNodePtr proot = c->in->parent.doc ? xmlDocGetRootElement(c->in->parent.doc) : NULL;
    if (pr_is_el(proot, "reformPlan")) {
        c->parent_jname = pr_jur_name(c, proot);
        FOR_CHILD(a, pr_child(proot, "agenciesAfter"), "agency")
        {
            const char *disp = pr_attr(c, a, "disposition");
            if (disp && strcmp(disp, "abolished") == 0)
                continue;
            pr_put_name(c, &c->parent_name, pr_attr(c, a, "name"), c->parent_jname, a);
        }
        FOR_CHILD(cb, pr_child(proot, "coordinationBodies"), "coordinationBody")
        pr_put_name(c, &c->parent_name, pr_attr(c, cb, "name"), c->parent_jname, cb);
    }

    xmlNodePtr croot = c->in->catalogue.doc ? xmlDocGetRootElement(c->in->catalogue.doc) : NULL;
    if (pr_is_el(croot, "catalogue")) {
        c->cat_jname = pr_jur_name(c, croot);
        size_t k = 0, names = 0;
        FOR_CHILD(a, croot, "agency")
        {
            k++;
            names++;
            FOR_CHILD(al, a, "alias")
            names++;
        }
        c->cat = pr_ar_alloc(c, (k ? k : 1) * sizeof *c->cat);
        c->catnames = pr_ar_alloc(c, (names ? names : 1) * sizeof *c->catnames);
        if (c->cat == NULL || c->catnames == NULL)
            return;
        FOR_CHILD(a, croot, "agency")
        {
            catentry *e = &c->cat[c->ncat++];
            e->node = a;
            e->id = pr_attr(c, a, "id");
            e->name = pr_attr(c, a, "name");
            e->mandatory = pr_truthy(pr_attr(c, a, "mandatory"));
            pr_map_put(c, &c->cat_id, e->id, e);
            catname *cn = pr_ar_alloc(c, sizeof *cn);
            if (cn == NULL)
                return;
            cn->e = e;
            cn->shown = e->name;
            c->catnames[c->ncatnames++] = cn;
            pr_put_name(c, &c->cat_name, e->name, c->cat_jname, cn);
            FOR_CHILD(al, a, "alias")
            {
                catname *an = pr_ar_alloc(c, sizeof *an);
                if (an == NULL)
                    return;
                an->e = e;
                an->shown = pr_attr(c, al, "name");
                an->alias = 1;
                c->catnames[c->ncatnames++] = an;
                pr_put_name(c, &c->cat_name, an->shown, c->cat_jname, an);
            }
        }
    }

    c->sd = pr_ar_alloc(c, (c->in->nsandings ? c->in->nsandings : 1) * sizeof *c->sd);
    if (c->sd == NULL)
        return;
    for (size_t i = 0; i < c->in->nsandings; i++) {
        const sd_planrules_sanding *s = &c->in->sandings[i];
        xmlNodePtr r = s->sanding.doc ? xmlDocGetRootElement(s->sanding.doc) : NULL;
        if (!pr_is_el(r, "sanding"))
            continue; /* missing or not a 三定: SD207's business */
        sdoc *d = &c->sd[c->nsd];
        d->index = c->nsd++;
        d->file = pr_nz(s->sanding.file);
        d->doc = s->sanding.doc;
        if (s->sanding.diags)
            pr_map_put(c, &c->route, d->file, s->sanding.diags);
        d->root = r;
        d->agency_el = pr_child(r, "agency");
        d->name = pr_attr(c, d->agency_el, "name");
        if (d->name == NULL)
            d->name = d->file;
        d->ag = s->agency_id ? sd_strmap_get(&c->after_id, s->agency_id) : NULL;
        if (d->ag && d->ag->sd == NULL)
            d->ag->sd = d;
    }
}

const char *pr_tier_label(ctx *c)
{
    static const struct { const char *id, *zh; } T[] = {
        {"province", "省级"}, {"sub-provincial", "副省级城市"}, {"prefecture", "地级市"},
        {"county", "县级"}, {"sub-provincial-district", "副省级城市的区"}};
    for (size_t i = 0; c->tier && i < sizeof T / sizeof T[0]; i++)
        if (strcmp(c->tier, T[i].id) == 0)
            return SD_TR(c->lang, T[i].zh, T[i].id);
    return pr_nz(c->tier);
}

/* An agency kind with its Chinese meaning in zh: government-department（政府工作部门）. */
const char *pr_kind_label(ctx *c, const char *k)
{
    static const struct { const char *id, *zh; } K[] = {
        {"party-department", "党委工作机关"}, {"party-office", "党委办事机构"},
        {"government-department", "政府工作部门"}, {"constituent-department", "政府组成部门"},
        {"special-affiliated", "直属特设机构"}, {"directly-affiliated", "直属机构"},
        {"department-managed", "部门管理机构"}, {"coordination-body", "议事协调机构"},
        {"congress-office", "人大机关"}, {"cppcc-office", "政协机关"}, {"court", "人民法院"},
        {"procuratorate", "人民检察院"}, {"mass-organization", "群团机关"}, {"dispatched", "派出机构"},
        {"development-zone", "开发区管理委员会"}};
    for (size_t i = 0; k && i < sizeof K / sizeof K[0]; i++)
        if (strcmp(k, K[i].id) == 0)
            return pr_ar_cat(c, k, SD_TR(c->lang, "（", " ("), pr_ar_cat(c, K[i].zh, SD_TR(c->lang, "）", ")"), NULL));
    return pr_nz(k);
}

const char *pr_ag_name(const agency *a)
{
    return a->name ? a->name : pr_nz(a->id);
}

