/*
 * agreement.c — SD213: a plan entry and its 三定 agree — name, kind, rank, 行政编制, leadership,
 * plates, 合署 partners
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ---------------------------------------------------------------- SD213 */

/* The names in a set, normalised to local keys, joined for a message. */
typedef struct nameset {
    strmap keys;
    const char *shown[64];
    const char *key[64];
    size_t n;
} nameset;

static void set_add(ctx *c, nameset *s, const char *name, const char *j)
{
    const char *norm = pr_names_normalize(c, name);
    if (norm == NULL || *norm == '\0' || s->n == 64)
        return;
    const char *k = pr_names_key(c, norm, j, 1);
    if (sd_strmap_get(&s->keys, k))
        return;
    pr_map_put(c, &s->keys, k, (void *)name);
    s->shown[s->n] = name;
    s->key[s->n++] = k;
}

static const char *set_join(ctx *c, const nameset *s)
{
    if (s->n == 0)
        return SD_TR(c->lang, "（无）", "(none)");
    const char *r = "";
    for (size_t i = 0; i < s->n; i++)
        r = pr_ar_cat(c, r, i ? SD_TR(c->lang, "、", ", ") : "", s->shown[i]);
    return r ? r : "";
}

static int set_equal(const nameset *a, const nameset *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (sd_strmap_get(&b->keys, a->key[i]) == NULL)
            return 0;
    return 1;
}

static void sd213_one(ctx *c, sdoc *d)
{
    agency *a = d->ag;
    xmlNodePtr ae = d->agency_el;
    const char *file = d->file;
    xmlNodePtr pn = a->node;
    const char *nm = pr_attr(c, ae, "name");
    if (nm && a->name) {
        const char *x = pr_names_normalize(c, nm), *y = pr_names_normalize(c, a->name);
        if (x && y && strcmp(x, y) != 0)
            REPORT(c, "SD213", SD_SEV_ERROR, file, pr_attr_node(ae, "name"), c->pfile, pr_attr_node(pn, "name"),
                   "方案中的该机构", "the plan's entry",
                   "三定规定的机构名称“%s”与方案中的“%s”不一致：请按方案改为“%s”",
                   "the 三定 names the agency “%s”, the plan “%s”: use the plan's name “%s”", nm, a->name, a->name);
    }
    struct { const char *attr, *zh, *en; } pairs[] = {{"kind", "机构类别", "kind"}, {"rank", "机构规格", "rank"}};
    for (size_t k = 0; k < 2; k++) {
        const char *x = pr_attr(c, ae, pairs[k].attr), *y = pr_attr(c, pn, pairs[k].attr);
        if (x && y && strcmp(x, y) != 0)
            REPORT(c, "SD213", SD_SEV_ERROR, file, pr_attr_node(ae, pairs[k].attr), c->pfile, pr_attr_node(pn, pairs[k].attr),
                   "方案中的该机构", "the plan's entry",
                   "%s的三定规定写明%s为“%s”，方案中为“%s”：请改为一致",
                   "%s's 三定 states the %s “%s”, the plan “%s”: make them agree", d->name,
                   SD_TR(c->lang, pairs[k].zh, pairs[k].en), k == 0 ? pr_kind_label(c, x) : x,
                   k == 0 ? pr_kind_label(c, y) : y);
    }
    xmlNodePtr staffing = pr_child(d->root, "staffing");
    long admin = -1;
    xmlNodePtr admin_el = NULL;
    FOR_CHILD(al, staffing, "allocation")
    {
        const char *t = pr_attr(c, al, "type");
        long p = pr_attr_num(c, al, "posts");
        if (t && strcmp(t, "administrative") == 0 && p >= 0) {
            admin = (admin < 0 ? 0 : admin) + p;
            if (admin_el == NULL)
                admin_el = al;
        }
    }
    if (admin >= 0 && a->admin >= 0 && admin != a->admin)
        REPORT(c, "SD213", SD_SEV_ERROR, file, pr_attr_node(admin_el, "posts"), c->pfile, pr_attr_node(pn, "adminPosts"),
               "方案中的该机构", "the plan's entry",
               "%s的三定规定核定行政编制%ld名，方案中为%ld名：请改为一致",
               "%s's 三定 allocates %ld administrative posts, the plan %ld: make them agree", d->name, admin, a->admin);
    xmlNodePtr lt3 = pr_child(staffing, "leadershipTeam"), ltp = pr_child(pn, "leadershipTeam");
    static const char *const roles[] = {"head", "deputy"};
    static const char *const rzh[] = {"正职", "副职"};
    for (int k = 0; k < 2 && lt3 && ltp; k++) {
        long x = pr_attr_num(c, lt3, roles[k]), y = pr_attr_num(c, ltp, roles[k]);
        if (x >= 0 && y >= 0 && x != y)
            REPORT(c, "SD213", SD_SEV_ERROR, file, pr_attr_node(lt3, roles[k]), c->pfile, pr_attr_node(ltp, roles[k]),
                   "方案中的该机构", "the plan's entry",
                   "%s的三定规定核定领导班子%s%ld名，方案中为%ld名：请改为一致",
                   "%s's 三定 sets the leadership team's %s at %ld, the plan at %ld: make them agree", d->name,
                   SD_TR(c->lang, rzh[k], k ? "deputies" : "heads"), x, y);
    }
    xmlNodePtr ul = pr_child(staffing, "unitLeadership");
    if (ul && pr_child(pn, "levelPosts")) {
        FOR_CHILD(lp, pn, "levelPosts")
        {
            const char *rank = pr_attr(c, lp, "rank");
            long y = pr_attr_num(c, lp, "count"), x = -1;
            xmlNodePtr lv = NULL;
            FOR_CHILD(l, ul, "level")
            {
                const char *r = pr_attr(c, l, "rank");
                if (rank && r && strcmp(r, rank) == 0) {
                    lv = l;
                    x = pr_attr_num(c, l, "count");
                    break;
                }
            }
            if (rank && y >= 0 && (x < 0 ? 0 : x) != y)
                REPORT(c, "SD213", SD_SEV_ERROR, file, lv ? pr_attr_node(lv, "count") : ul, c->pfile, pr_attr_node(lp, "count"),
                       "方案中的该机构", "the plan's entry",
                       "%s的三定规定核定%s内设机构领导职数%ld名，方案中为%ld名：请改为一致",
                       "%s's 三定 sets %s internal-unit leadership posts at %ld, the plan at %ld: make them agree",
                       d->name, rank, x < 0 ? 0 : x, y);
        }
        FOR_CHILD(l, ul, "level")
        {
            const char *r = pr_attr(c, l, "rank");
            long x = pr_attr_num(c, l, "count");
            int found = 0;
            FOR_CHILD(lp, pn, "levelPosts")
            {
                const char *rank = pr_attr(c, lp, "rank");
                found |= rank && r && strcmp(rank, r) == 0;
            }
            if (r && !found && x > 0)
                REPORT(c, "SD213", SD_SEV_ERROR, file, pr_attr_node(l, "count"), c->pfile, pn, "方案中的该机构",
                       "the plan's entry",
                       "%s的三定规定核定%s内设机构领导职数%ld名，方案中为%ld名：请改为一致",
                       "%s's 三定 sets %s internal-unit leadership posts at %ld, the plan at %ld: make them agree",
                       d->name, r, x, 0L);
        }
    }
    /* Plates and 合署 partners, as sets of names. */
    nameset p3 = {0}, pp = {0}, c3 = {0}, cp = {0};
    FOR_CHILD(p, ae, "plate")
    set_add(c, &p3, pr_attr(c, p, "name"), c->jname);
    FOR_CHILD(p, pn, "plate")
    set_add(c, &pp, pr_attr(c, p, "name"), c->jname);
    FOR_CHILD(p, ae, "coLocatedWith")
    set_add(c, &c3, pr_attr(c, p, "name"), c->jname);
    FOR_CHILD(p, pn, "coLocatedWith")
    {
        agency *o = sd_strmap_get(&c->after_id, pr_nz(pr_attr(c, p, "ref")));
        if (o)
            set_add(c, &cp, o->name, c->jname);
    }
    if (a->host && pr_is_disp(a, "co-located")) {
        agency *o = sd_strmap_get(&c->after_id, a->host);
        if (o)
            set_add(c, &cp, o->name, c->jname);
    }
    for (agency *o = a->hosted; o; o = o->next_hosted) {
        if (pr_is_disp(o, "plate"))
            set_add(c, &pp, o->name, c->jname);
        else if (pr_is_disp(o, "co-located"))
            set_add(c, &cp, o->name, c->jname);
    }
    if (!set_equal(&p3, &pp))
        REPORT(c, "SD213", SD_SEV_ERROR, file, ae, c->pfile, pn, "方案中的该机构", "the plan's entry",
               "%s的三定规定加挂的牌子为%s，方案中为%s：请改为一致",
               "%s's 三定 lists the plates %s, the plan %s: make them agree", d->name, set_join(c, &p3),
               set_join(c, &pp));
    if (!set_equal(&c3, &cp))
        REPORT(c, "SD213", SD_SEV_ERROR, file, ae, c->pfile, pn, "方案中的该机构", "the plan's entry",
               "%s的三定规定写明的合署办公机构为%s，方案中为%s：请改为一致",
               "%s's 三定 lists the co-located partners %s, the plan %s: make them agree", d->name,
               set_join(c, &c3), set_join(c, &cp));
    sd_strmap_free(&p3.keys);
    sd_strmap_free(&pp.keys);
    sd_strmap_free(&c3.keys);
    sd_strmap_free(&cp.keys);
}

void pr_sd213(ctx *c)
{
    for (size_t i = 0; i < c->nsd && c->st == SD_OK; i++)
        if (c->sd[i].ag && c->sd[i].ag->sd == &c->sd[i] && c->sd[i].agency_el)
            sd213_one(c, &c->sd[i]);
}
