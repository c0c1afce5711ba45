/*
 * catalogue.c — correspondence with the higher level: SD202 (every mandatory catalogue entry
 * covered — by name, alias, declared counterpart, or a combine/plate the catalogue allows at
 * the plan's tier) and SD203 (every declared counterpart is in the catalogue, with a did-you-
 * mean over characters)
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ---------------------------------------------------------- SD202, SD203 */

catname *pr_cat_lookup(ctx *c, const char *name)
{
    return name ? pr_lookup_name(c, &c->cat_name, name, c->jname, c->cat_jname) : NULL;
}

/* Coverage state of SD202: which agency covers which entry directly (by
 * name, alias or declared counterpart), and the plates that name entries. */
typedef struct cover {
    strmap pairs;        /* "agency id\x1fentry id" → entry */
    struct plate_ref {
        catentry *e;
        const agency *by; /* the agency carrying the plate */
    } *plates;
    size_t nplates, capplates;
} cover;

static void cover_name(ctx *c, cover *cv, const agency *by, const char *name, int plate)
{
    catname *cn = pr_cat_lookup(c, name);
    if (cn == NULL)
        return;
    if (!plate) {
        cn->e->covered = 1;
        if (by && by->id && cn->e->id)
            pr_map_put(c, &cv->pairs, pr_ar_cat(c, by->id, "\x1f", cn->e->id), cn->e);
        return;
    }
    cn->e->as_plate = 1;
    if (by == NULL)
        return;
    if (cv->nplates == cv->capplates) {
        size_t cap = cv->capplates ? cv->capplates * 2 : 16;
        struct plate_ref *v = realloc(cv->plates, cap * sizeof *v);
        if (v == NULL) {
            pr_oom(c);
            return;
        }
        cv->plates = v;
        cv->capplates = cap;
    }
    cv->plates[cv->nplates].e = cn->e;
    cv->plates[cv->nplates++].by = by;
}

static void sd203_one(ctx *c, const char *file, xmlNodePtr cp, const char *owner)
{
    const char *name = pr_attr(c, cp, "name");
    if (name == NULL || *name == '\0' || pr_cat_lookup(c, name))
        return;
    if (c->catkeys == NULL) {
        c->catkeys = pr_ar_alloc(c, (c->ncatnames ? c->ncatnames : 1) * sizeof *c->catkeys);
        c->catalias = pr_ar_alloc(c, (c->ncatnames ? c->ncatnames : 1) * sizeof *c->catalias);
        if (c->catkeys == NULL || c->catalias == NULL)
            return;
        for (size_t i = 0; i < c->ncatnames; i++) {
            const char *nn = pr_names_normalize(c, c->catnames[i]->shown);
            c->catkeys[i] = nn ? pr_names_key(c, nn, c->cat_jname, 0) : NULL;
            c->catalias[i] = c->catnames[i]->alias ? c->catnames[i]->e->name : NULL;
        }
    }
    const char **keys = c->catkeys;
    long k = pr_did_you_mean(c, name, c->jname, keys, c->catalias, c->ncatnames);
    xmlNodePtr at = pr_attr_node(cp, "name");
    if (k < 0)
        REPORT(c, "SD203", SD_SEV_ERROR, file, at, c->in->catalogue.file, xmlDocGetRootElement(c->in->catalogue.doc),
               "上级机构目录", "the catalogue",
               "%s写明的上级对应机构“%s”不在上级机构目录中：请改为目录中的名称或别名，没有对应机构的写明理由（localReason）",
               "%s declares the counterpart “%s”, which is not in the higher-level catalogue: use a name or "
               "alias of the catalogue, or give a reason (localReason) when there is no counterpart",
               owner, name);
    else if (c->catnames[k]->alias)
        REPORT(c, "SD203", SD_SEV_ERROR, file, at, c->in->catalogue.file, c->catnames[k]->e->node,
               "上级机构目录中的该机构", "that catalogue entry",
               "%s写明的上级对应机构“%s”不在上级机构目录中：您是不是要写“%s”（“%s”的别名）？",
               "%s declares the counterpart “%s”, which is not in the higher-level catalogue: did you mean "
               "“%s” (an alias of “%s”)?",
               owner, name, pr_nz(c->catnames[k]->shown), pr_nz(c->catnames[k]->e->name));
    else
        REPORT(c, "SD203", SD_SEV_ERROR, file, at, c->in->catalogue.file, c->catnames[k]->e->node,
               "上级机构目录中的该机构", "that catalogue entry",
               "%s写明的上级对应机构“%s”不在上级机构目录中：您是不是要写“%s”？%s",
               "%s declares the counterpart “%s”, which is not in the higher-level catalogue: did you mean "
               "“%s”?%s",
               owner, name, pr_nz(c->catnames[k]->shown), "");
}

static int entry_covered(const catentry *e)
{
    return e && e->covered;
}

void pr_sd202_203(ctx *c)
{
    if (c->ncat == 0)
        return;
    cover cv = {0};
    for (size_t i = 0; i < c->nafter; i++) {
        agency *a = &c->after[i];
        if (pr_is_disp(a, "abolished"))
            continue;
        if (pr_is_disp(a, "plate"))
            cover_name(c, &cv, a->host ? sd_strmap_get(&c->after_id, a->host) : NULL, a->name, 1);
        else
            cover_name(c, &cv, a, a->name, 0);
        FOR_CHILD(p, a->node, "plate")
        cover_name(c, &cv, a, pr_attr(c, p, "name"), 1);
        FOR_CHILD(cp, a->node, "counterpart")
        {
            cover_name(c, &cv, a, pr_attr(c, cp, "name"), 0);
            sd203_one(c, c->pfile, cp, pr_ag_name(a));
        }
    }
    for (size_t i = 0; i < c->nsd; i++) {
        sdoc *d = &c->sd[i];
        if (d->ag && pr_is_disp(d->ag, "abolished"))
            continue;
        FOR_CHILD(p, d->agency_el, "plate")
        cover_name(c, &cv, d->ag, pr_attr(c, p, "name"), 1);
        FOR_CHILD(cp, d->agency_el, "counterpart")
        {
            cover_name(c, &cv, d->ag, pr_attr(c, cp, "name"), 0);
            sd203_one(c, d->file, cp, d->name);
        }
    }
    /* At the plan's tier, an entry is covered by combining it with a covered
     * entry (the permission, mayCombine, sits on the entry absorbed), or by a
     * plate of its name carried by the agency that covers the entry it may be
     * a plate of (mayBePlate: the permission alone covers nothing). */
    for (size_t k = 0; k < cv.nplates; k++) {
        catentry *e = cv.plates[k].e;
        const agency *by = cv.plates[k].by;
        if (e->covered || by->id == NULL)
            continue;
        FOR_CHILD(mp, e->node, "mayBePlate")
        {
            const char *on = pr_attr(c, mp, "on");
            if (!e->covered && on && pr_word_in(pr_attr(c, mp, "tiers"), c->tier) &&
                sd_strmap_get(&cv.pairs, pr_ar_cat(c, by->id, "\x1f", on)))
                e->covered = 2;
        }
    }
    for (int round = 0, changed = 1; changed && round < 8; round++) {
        changed = 0;
        for (size_t i = 0; i < c->ncat; i++) {
            catentry *e = &c->cat[i];
            if (e->covered)
                continue;
            FOR_CHILD(mc, e->node, "mayCombine")
            if (!e->covered && pr_word_in(pr_attr(c, mc, "tiers"), c->tier) &&
                entry_covered(sd_strmap_get(&c->cat_id, pr_nz(pr_attr(c, mc, "with"))))) {
                e->covered = 2;
                changed = 1;
            }
        }
    }
    xmlNodePtr list = pr_child(c->proot, "agenciesAfter");
    for (size_t i = 0; i < c->ncat; i++) {
        catentry *e = &c->cat[i];
        if (!e->mandatory || e->covered)
            continue;
        if (e->as_plate) {
            /* Name the agency carrying the plate and where the catalogue lets it hang. */
            const char *by = NULL, *on = NULL;
            for (size_t k = 0; k < cv.nplates && by == NULL; k++)
                if (cv.plates[k].e == e)
                    by = pr_ag_name(cv.plates[k].by);
            FOR_CHILD(mp, e->node, "mayBePlate")
            if (on == NULL && pr_word_in(pr_attr(c, mp, "tiers"), c->tier)) {
                catentry *w = sd_strmap_get(&c->cat_id, pr_nz(pr_attr(c, mp, "on")));
                on = w ? w->name : NULL;
            }
            if (on)
                REPORT(c, "SD202", SD_SEV_ERROR, c->pfile, list ? list : c->proot, c->in->catalogue.file, e->node,
                       "上级机构目录中的该机构", "the catalogue entry",
                       "上级机构目录中必设的“%s”在本方案中只作为%s的牌子出现，而目录在%s只允许把它挂在对应“%s”的机构上：请改挂在该机构上，或单独设立对应机构",
                       "the mandatory catalogue entry “%s” appears in this plan only as a plate of %s, while the "
                       "catalogue lets it be a plate at the %s tier only of the agency covering “%s”: move the "
                       "plate there, or set up an agency for it",
                       pr_nz(e->name), by ? by : "?", pr_tier_label(c), on);
            else
                REPORT(c, "SD202", SD_SEV_ERROR, c->pfile, list ? list : c->proot, c->in->catalogue.file, e->node,
                       "上级机构目录中的该机构", "the catalogue entry",
                       "上级机构目录中必设的“%s”在本方案中只作为%s的牌子出现，而目录不允许在%s加挂：请单独设立对应机构",
                       "the mandatory catalogue entry “%s” appears in this plan only as a plate of %s, which the "
                       "catalogue does not allow at the %s tier: set up an agency for it",
                       pr_nz(e->name), by ? by : "?", pr_tier_label(c));
        }
        else
            REPORT(c, "SD202", SD_SEV_ERROR, c->pfile, list ? list : c->proot, c->in->catalogue.file, e->node,
                   "上级机构目录中的该机构", "the catalogue entry",
                   "上级机构目录中必设的“%s”在本方案中没有对应机构：请设立对应机构，或在承担其职能的机构上写明上级对应机构（counterpart name=\"%s\"）",
                   "the mandatory catalogue entry “%s” has no counterpart in this plan: set up an agency for "
                   "it, or declare it on the agency that carries its functions (counterpart name=\"%s\")",
                   pr_nz(e->name), pr_nz(e->name));
    }
    sd_strmap_free(&cv.pairs);
    free(cv.plates);
}
