/*
 * duties.c — SD205: one function, one agency — a function code, or the same normalised duty
 * text, claimed by two agencies (boilerplate every 三定 carries is exempt)
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ---------------------------------------------------------------- SD205 */

typedef struct fnrec {
    sdoc *d;
    xmlNodePtr node;
    const char *label;
    size_t last_doc;  /* for counting the 三定 carrying a text */
    size_t ndocs;
} fnrec;

/* Duties every 三定 carries: the closing 交办的其他任务 item, and a duty about
 * the agency's own house (本部门、本系统的安全生产、党的建设…), which each
 * agency holds for itself and so never makes two agencies share a function. */
static int boilerplate_text(const char *norm)
{
    static const char *const B[] = {"交办的其他任务", "交办的其它任务", "交办的其他工作", "交办的其它工作",
                                    "交办的其他事项", "交办的其它事项", "本部门", "本系统", "本机关", "本单位"};
    for (size_t i = 0; i < sizeof B / sizeof B[0]; i++)
        if (strstr(norm, B[i]))
            return 1;
    return 0;
}

/* Leading item numbers like （一） or 1. are not part of the duty. */
static const char *strip_item_number(const char *s)
{
    if (*s == '(') {
        const char *e = strchr(s, ')');
        if (e && e - s <= 16)
            return e + 1;
    }
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p > s && (*p == '.' || pr_starts(p, "、")))
        return *p == '.' ? p + 1 : p + 3;
    return s;
}

static const char *fn_text_key(ctx *c, xmlNodePtr f)
{
    const char *n = pr_names_normalize(c, pr_text(c, f));
    return n ? strip_item_number(n) : NULL;
}

static int moved_out(ctx *c, const strmap *gone, const sdoc *d, const char *code, const char *name)
{
    if (d->ag == NULL || d->ag->id == NULL)
        return 0;
    const char *k1 = code ? pr_ar_cat(c, d->ag->id, "\x1f", pr_fn_key(c, code, NULL)) : NULL;
    const char *n = name ? pr_fn_key(c, NULL, name) : NULL;
    const char *k2 = n ? pr_ar_cat(c, d->ag->id, "\x1f", n) : NULL;
    return (k1 && sd_strmap_get(gone, k1)) || (k2 && sd_strmap_get(gone, k2));
}

void pr_sd205(ctx *c)
{
    strmap gone = {0}, bycode = {0}, bytext = {0};
    /* What each agency gives away: the plan's list and the 三定's 转出. */
    FOR_CHILD(t, pr_child(c->proot, "transfers"), "transfer")
    {
        agency *a = pr_resolve_agency(c, pr_attr(c, t, "from"), NULL);
        if (a == NULL || a->id == NULL)
            continue;
        const char *code = pr_attr(c, t, "code"), *name = pr_attr(c, t, "name");
        if (code)
            pr_map_put(c, &gone, pr_ar_cat(c, a->id, "\x1f", pr_fn_key(c, code, NULL)), (void *)1);
        if (name)
            pr_map_put(c, &gone, pr_ar_cat(c, a->id, "\x1f", pr_fn_key(c, NULL, name)), (void *)1);
    }
    for (size_t i = 0; i < c->nsd; i++) {
        sdoc *d = &c->sd[i];
        if (d->ag == NULL || d->ag->id == NULL)
            continue;
        FOR_CHILD(t, pr_child(d->root, "transfers"), "transferOut")
        {
            const char *code = pr_attr(c, t, "code"), *name = pr_attr(c, t, "name");
            if (code)
                pr_map_put(c, &gone, pr_ar_cat(c, d->ag->id, "\x1f", pr_fn_key(c, code, NULL)), (void *)1);
            if (name)
                pr_map_put(c, &gone, pr_ar_cat(c, d->ag->id, "\x1f", pr_fn_key(c, NULL, name)), (void *)1);
        }
    }
    /* First pass: how many 三定 carry each duty text (a text most 三定
     * carry is boilerplate, like the closing 交办的其他任务).  Each duty's
     * key is kept for the second pass, which meets the duties in the same
     * order: a duty text is read and normalised once (it was twice, a third
     * of the plan rules). */
    size_t nkeys = 0, capkeys = 0, nextkey = 0;
    const char **keys = NULL;
    for (size_t i = 0; i < c->nsd; i++) {
        FOR_CHILD(f, pr_child(c->sd[i].root, "functions"), "function")
        {
            const char *k = fn_text_key(c, f);
            if (nkeys == capkeys) {
                size_t cap = capkeys ? capkeys * 2 : 64;
                const char **g = pr_ar_alloc(c, cap * sizeof *g);
                if (g == NULL)
                    goto done;
                if (nkeys)
                    memcpy(g, keys, nkeys * sizeof *g);
                keys = g;
                capkeys = cap;
            }
            keys[nkeys++] = k;
            if (k == NULL || *k == '\0')
                continue;
            fnrec *r = sd_strmap_get(&bytext, k);
            if (r == NULL) {
                r = pr_ar_alloc(c, sizeof *r);
                if (r == NULL)
                    goto done;
                r->d = &c->sd[i];
                r->node = f;
                r->last_doc = i;
                r->ndocs = 1;
                pr_map_put(c, &bytext, k, r);
            } else if (r->last_doc != i) {
                r->last_doc = i;
                r->ndocs++;
            }
        }
    }
    for (size_t i = 0; i < c->nsd && c->st == SD_OK; i++) {
        sdoc *d = &c->sd[i];
        FOR_CHILD(f, pr_child(d->root, "functions"), "function")
        {
            const char *code = pr_attr(c, f, "code"), *fname = pr_attr(c, f, "name");
            const char *k = nextkey < nkeys ? keys[nextkey++] : fn_text_key(c, f);
            fnrec *other = NULL;
            int by_code = 0;
            if (code && *code) {
                fnrec *r = sd_strmap_get(&bycode, code);
                if (r == NULL) {
                    r = pr_ar_alloc(c, sizeof *r);
                    if (r == NULL)
                        goto done;
                    r->d = d;
                    r->node = f;
                    pr_map_put(c, &bycode, pr_ar_cat(c, code, "", NULL), r);
                } else if (r->d != d && !(r->d->ag && r->d->ag == d->ag)) {
                    other = r;
                    by_code = 1;
                }
            }
            if (other == NULL && k && *k && !boilerplate_text(k)) {
                fnrec *r = sd_strmap_get(&bytext, k);
                /* A text most 三定 carry (three or more, over half) is boilerplate. */
                int everywhere = r && r->ndocs >= 3 && r->ndocs * 2 > c->nsd;
                if (r && r->d != d && !everywhere && !(r->d->ag && r->d->ag == d->ag))
                    other = r;
            }
            if (other == NULL)
                continue;
            /* The fix belongs with the agency that gave the function away;
             * otherwise with the later claim. */
            sdoc *fix = d, *keep = other->d;
            xmlNodePtr fixn = f, keepn = other->node;
            const char *ocode = pr_attr(c, other->node, "code"), *oname = pr_attr(c, other->node, "name");
            if (!moved_out(c, &gone, d, code, fname) && moved_out(c, &gone, other->d, ocode, oname)) {
                fix = other->d;
                keep = d;
                fixn = other->node;
                keepn = f;
            }
            const char *shown = pr_attr(c, fixn, "name");
            if (shown == NULL)
                shown = pr_text(c, fixn);
            if (by_code)
                REPORT(c, "SD205", SD_SEV_ERROR, fix->file, fixn, keep->file, keepn, "另一机构的同一职能",
                       "the same function of the other agency",
                       "职能“%s”（职能代码%s）同时由%s和%s承担：一项职能只能由一个机构承担，请从%s的三定规定中删去，或写明职责划转",
                       "the function “%s” (code %s) is claimed by both %s and %s: one function, one agency; "
                       "remove it from %s's 三定, or record the transfer",
                       pr_nz(shown), code, fix->name, keep->name, fix->name);
            else
                REPORT(c, "SD205", SD_SEV_ERROR, fix->file, fixn, keep->file, keepn, "另一机构的同一职能",
                       "the same function of the other agency",
                       "职能“%s”的表述与%s的一项职能相同，%s和%s承担同一职能：一项职能只能由一个机构承担，请从%s的三定规定中删去，或写明分工%s",
                       "the function “%s” reads the same as one of %s's; %s and %s would carry the same "
                       "function: one function, one agency; remove it from %s's 三定, or state the division of "
                       "work%s",
                       pr_nz(shown), keep->name, fix->name, keep->name, fix->name, "");
        }
    }
done:
    sd_strmap_free(&gone);
    sd_strmap_free(&bycode);
    sd_strmap_free(&bytext);
}
