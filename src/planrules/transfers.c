/*
 * transfers.c — SD204: transfers balance — each function moved with its 行政编制, 领导职数 and 人员 is
 * recorded the same way wherever it is written (the plan's list, the giver's 转出, the taker's
 * 转入), and the list's stated totals equal its sums
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ---------------------------------------------------------------- SD204 */

typedef struct tstmt {
    int src;             /* 0 the plan's list, 1 转出 in the giver's 三定, 2 转入 in the taker's */
    const char *file;
    xmlNodePtr node;
    const char *name;
    agency *from, *to;
    long admin, lead, staff;
} tstmt;

typedef struct tgroup {
    tstmt *s[3];
} tgroup;

agency *pr_resolve_agency(ctx *c, const char *ref, const char *name)
{
    agency *a = ref ? sd_strmap_get(&c->after_id, ref) : NULL;
    if (a == NULL && ref)
        a = sd_strmap_get(&c->before_id, ref);
    if (a == NULL && name)
        a = pr_lookup_name(c, &c->after_name, name, c->jname, NULL);
    if (a == NULL && name)
        a = pr_lookup_name(c, &c->before_name, name, c->jname, NULL);
    return a;
}

/* A transfer names its giving agency by the after id when the agency goes on
 * after the reform, by the before id only when the reform abolishes it, and
 * its taking agency by an after id.  Reports a wrong list at n and returns
 * the entry to identify the agency by (a continuing agency's after entry). */
static agency *check_list(ctx *c, const char *file, xmlNodePtr n, const char *tname, agency *a, int giving)
{
    if (a == NULL || a->after || pr_is_disp(a, "abolished") || a->id == NULL)
        return a;
    agency *succ = sd_strmap_get(&c->successor, a->id);
    if (giving && succ && succ->id)
        REPORT(c, "SD204", SD_SEV_ERROR, file, n, c->pfile, succ->node, "改革后的该机构", "the agency after the reform",
               "职责划转“%s”的转出机构写成改革前的标识“%s”，而该机构改革后仍存在（%s）：请改为改革后清单中的标识“%s”；只有本次改革撤销的机构才用改革前的标识",
               "the transfer “%s” names its giving agency by the before id “%s”, but the agency goes on after "
               "the reform (%s): use the after id “%s”; only an agency the reform abolishes is named by its "
               "before id",
               pr_nz(tname), a->id, pr_ag_name(succ), succ->id);
    else if (giving)
        REPORT(c, "SD204", SD_SEV_ERROR, file, n, c->pfile, a->node, "改革前的该机构", "the agency before",
               "职责划转“%s”的转出机构“%s”（%s）写的是改革前的标识，而方案没有写明撤销该机构（disposition=\"abolished\"）：请改为改革后清单中的标识，或写明撤销%s",
               "the transfer “%s” names its giving agency “%s” (%s) by a before id, but the plan does not "
               "abolish it (disposition=\"abolished\"): use its after id, or abolish it%s",
               pr_nz(tname), a->id, pr_ag_name(a), "");
    else
        REPORT(c, "SD204", SD_SEV_ERROR, file, n, c->pfile, a->node, "改革前的该机构", "the agency before",
               "职责划转“%s”的转入机构“%s”（%s）是改革前的机构：职责只能划入改革后存在的机构，请改为改革后清单中的标识%s",
               "the transfer “%s” moves the function into “%s” (%s), an agency before the reform: a function "
               "moves into an agency that exists after it; use an after id%s",
               pr_nz(tname), a->id, pr_ag_name(a), "");
    return succ ? succ : a;
}

const char *pr_fn_key(ctx *c, const char *code, const char *name)
{
    if (code && *code)
        return pr_ar_cat(c, "c:", code, NULL);
    const char *n = pr_names_normalize(c, name);
    return n ? pr_ar_cat(c, "n:", n, NULL) : NULL;
}

static const char *src_name(ctx *c, const tstmt *s)
{
    if (s->src == 0)
        return SD_TR(c->lang, "方案的职责划转清单", "the plan's transfer list");
    const agency *a = s->src == 1 ? s->from : s->to;
    return pr_ar_cat(c, pr_ag_name(a), SD_TR(c->lang, "的三定规定", "'s 三定"), NULL);
}

static const char *verb(ctx *c, const tstmt *s)
{
    if (s->src == 0)
        return SD_TR(c->lang, "划转", "moves");
    return s->src == 1 ? SD_TR(c->lang, "转出", "moves out") : SD_TR(c->lang, "转入", "moves in");
}

/* Compares two statements of one transfer; reports at a (where the fix
 * belongs) with b as the related place. */
static void compare_tstmt(ctx *c, tstmt *a, tstmt *b)
{
    static const char *const fz[] = {"行政编制", "领导职数", "人员"};
    static const char *const fe[] = {"administrative posts", "leadership posts", "staff"};
    long va[3] = {a->admin, a->lead, a->staff}, vb[3] = {b->admin, b->lead, b->staff};
    sd_buf d;
    sd_buf_init(&d);
    for (int k = 0; k < 3; k++) {
        if (va[k] < 0 || vb[k] < 0 || va[k] == vb[k])
            continue;
        if (d.len)
            sd_buf_puts(&d, SD_TR(c->lang, "；", "; "));
        if (c->lang == SD_LANG_EN)
            sd_buf_printf(&d, "%s: %s %ld, %s %ld", fe[k], verb(c, b), vb[k], verb(c, a), va[k]);
        else
            sd_buf_printf(&d, "%s%s%ld名，%s%ld名", fz[k], verb(c, b), vb[k], verb(c, a), va[k]);
    }
    if (d.len && !sd_buf_failed(&d))
        REPORT(c, "SD204", SD_SEV_ERROR, a->file, a->node, b->file, b->node, "另一处记载", "the other record",
               "职责划转“%s”（%s→%s）两处记载不一致：%s写的与%s不同（%s）：编随事走、人随编走，请改为一致",
               "the transfer “%s” (%s → %s) is recorded with different figures: %s differs from %s (%s): "
               "posts and staff move with the function, make them agree",
               pr_nz(a->name), pr_ag_name(a->from), pr_ag_name(a->to), src_name(c, a), src_name(c, b), d.data);
    else if (sd_buf_failed(&d))
        pr_oom(c);
    sd_buf_free(&d);
}

static tstmt *new_stmt(ctx *c, int src, const char *file, xmlNodePtr n)
{
    tstmt *s = pr_ar_alloc(c, sizeof *s);
    if (s == NULL)
        return NULL;
    s->src = src;
    s->file = file;
    s->node = n;
    s->name = pr_attr(c, n, "name");
    s->admin = pr_attr_num(c, n, "adminPosts");
    s->lead = pr_attr_num(c, n, "leadershipPosts");
    s->staff = pr_attr_num(c, n, "staff");
    return s;
}

static xmlNodePtr sd_anchor(const sdoc *d)
{
    xmlNodePtr t = pr_child(d->root, "transfers");
    return t ? t : d->agency_el ? d->agency_el : d->root;
}

static void add_group(ctx *c, strmap *groups, tgroup ***order, size_t *norder, size_t *capo, tstmt *s,
                      const char *code)
{
    if (s->from == NULL || s->to == NULL)
        return;
    const char *fk = pr_fn_key(c, code, s->name);
    const char *key = fk ? pr_ar_cat(c, s->from->id ? s->from->id : "?", "\x1f", pr_ar_cat(c, s->to->id ? s->to->id : "?", "\x1f", fk)) : NULL;
    if (key == NULL)
        return;
    tgroup *g = sd_strmap_get(groups, key);
    if (g == NULL) {
        g = pr_ar_alloc(c, sizeof *g);
        if (g == NULL)
            return;
        pr_map_put(c, groups, key, g);
        if (*norder == *capo) {
            size_t cap = *capo ? *capo * 2 : 64;
            tgroup **o = realloc(*order, cap * sizeof *o);
            if (o == NULL) {
                pr_oom(c);
                return;
            }
            *order = o;
            *capo = cap;
        }
        (*order)[(*norder)++] = g;
    }
    if (g->s[s->src] == NULL)
        g->s[s->src] = s;
}

void pr_sd204(ctx *c)
{
    strmap groups = {0};
    tgroup **order = NULL;
    size_t norder = 0, capo = 0;
    xmlNodePtr plist = pr_child(c->proot, "transfers");
    strmap involved = {0};
    long count = 0, posts = 0, nag = 0;
    FOR_CHILD(t, plist, "transfer")
    {
        tstmt *s = new_stmt(c, 0, c->pfile, t);
        if (s == NULL)
            break;
        count++;
        if (s->admin > 0)
            posts += s->admin;
        const char *from = pr_attr(c, t, "from"), *to = pr_attr(c, t, "to");
        s->from = from ? pr_resolve_agency(c, from, NULL) : NULL;
        s->to = to ? pr_resolve_agency(c, to, NULL) : NULL;
        for (int k = 0; k < 2; k++) {
            const char *id = k ? to : from;
            agency *a = k ? s->to : s->from;
            if (id && a == NULL)
                REPORT(c, "SD204", SD_SEV_ERROR, c->pfile, pr_attr_node(t, k ? "to" : "from"), NULL, NULL, "", "",
                       "职责划转“%s”的%s“%s”不是方案中任何机构的标识：请改为改革前后机构清单中的 id",
                       "the transfer “%s” names %s “%s”, which is no agency id of the plan: use an id of "
                       "agenciesBefore or agenciesAfter",
                       pr_nz(s->name), k ? SD_TR(c->lang, "转入机构", "the taking agency")
                                      : SD_TR(c->lang, "转出机构", "the giving agency"), id);
            if (id && sd_strmap_get(&involved, id) == NULL) {
                pr_map_put(c, &involved, id, (void *)1);
                nag++;
            }
        }
        s->from = check_list(c, c->pfile, pr_attr_node(t, "from"), s->name, s->from, 1);
        s->to = check_list(c, c->pfile, pr_attr_node(t, "to"), s->name, s->to, 0);
        add_group(c, &groups, &order, &norder, &capo, s, pr_attr(c, t, "code"));
    }
    if (plist) {
        struct { const char *a; long v; const char *zh, *en; } stated[] = {
            {"count", count, "项", "transfers"},
            {"adminPosts", posts, "名行政编制", "administrative posts"},
            {"agencies", nag, "个机构", "agencies"},
        };
        for (size_t k = 0; k < 3; k++) {
            long v = pr_attr_num(c, plist, stated[k].a);
            if (v >= 0 && v != stated[k].v)
                REPORT(c, "SD204", SD_SEV_ERROR, c->pfile, pr_attr_node(plist, stated[k].a), NULL, NULL, "", "",
                       "职责划转清单写明共%ld%s，所列划转合计%ld%s：请改正写明的合计数或清单",
                       "the transfer list states %ld %s, the listed transfers add up to %ld %s: correct the "
                       "stated total or the list",
                       v, SD_TR(c->lang, stated[k].zh, stated[k].en), stated[k].v,
                       SD_TR(c->lang, stated[k].zh, stated[k].en));
        }
    }
    for (size_t i = 0; i < c->nsd && c->st == SD_OK; i++) {
        sdoc *d = &c->sd[i];
        if (d->ag == NULL)
            continue;
        xmlNodePtr tr = pr_child(d->root, "transfers");
        for (int out = 0; out < 2; out++) {
            const char *el = out ? "transferOut" : "transferIn";
            FOR_CHILD(t, tr, el)
            {
                tstmt *s = new_stmt(c, out ? 1 : 2, d->file, t);
                if (s == NULL)
                    break;
                const char *ref = pr_attr(c, t, out ? "toRef" : "fromRef");
                const char *nm = pr_attr(c, t, out ? "to" : "from");
                agency *other = pr_resolve_agency(c, ref, nm);
                if (other == NULL) {
                    REPORT(c, "SD204", SD_SEV_ERROR, d->file, pr_attr_node(t, ref ? (out ? "toRef" : "fromRef") : (out ? "to" : "from")),
                           NULL, NULL, "", "",
                           "%s写明的职责划转“%s”%s“%s”，方案中没有这个机构：无法核对划转是否平衡，请写明方案中的机构（%s）",
                           "%s records the transfer “%s” %s “%s”, an agency the plan does not have: the "
                           "balance cannot be checked; name an agency of the plan (%s)",
                           d->name, pr_nz(s->name), out ? SD_TR(c->lang, "转至", "to") : SD_TR(c->lang, "来自", "from"),
                           pr_nz(ref ? ref : nm), out ? "toRef" : "fromRef");
                    continue;
                }
                if (ref)
                    other = check_list(c, d->file, pr_attr_node(t, out ? "toRef" : "fromRef"), s->name, other, !out);
                else if (!other->after && !pr_is_disp(other, "abolished") && other->id &&
                         sd_strmap_get(&c->successor, other->id))
                    other = sd_strmap_get(&c->successor, other->id); /* an old name of a continuing agency */
                s->from = out ? d->ag : other;
                s->to = out ? other : d->ag;
                add_group(c, &groups, &order, &norder, &capo, s, pr_attr(c, t, "code"));
            }
        }
    }
    for (size_t i = 0; i < norder && c->st == SD_OK; i++) {
        tgroup *g = order[i];
        tstmt *p = g->s[0], *o = g->s[1], *n = g->s[2];
        if (p) {
            if (o)
                compare_tstmt(c, o, p);
            if (n)
                compare_tstmt(c, n, p);
            continue;
        }
        if (o && n)
            compare_tstmt(c, n, o);
        tstmt *s = o ? o : n;
        if (plist) {
            REPORT(c, "SD204", SD_SEV_ERROR, c->pfile, plist, s->file, s->node, "三定规定中的记载", "the 三定's record",
                   "%s写明职责“%s”从%s划转至%s（行政编制%ld名），方案的职责划转清单中没有这一项：请在清单中补列，或改正三定规定",
                   "%s records the function “%s” moving from %s to %s (%ld administrative posts), which the "
                   "plan's transfer list does not have: add it to the list, or correct the 三定",
                   src_name(c, s), pr_nz(s->name), pr_ag_name(s->from), pr_ag_name(s->to), s->admin < 0 ? 0 : s->admin);
            continue;
        }
        if (o && n)
            continue;
        agency *other = o ? s->to : s->from;
        if (other->sd == NULL)
            continue; /* the other end has no 三定 here: nothing to balance against */
        REPORT(c, "SD204", SD_SEV_ERROR, other->sd->file, sd_anchor(other->sd), s->file, s->node,
               o ? "转出的记载" : "转入的记载", o ? "the record moving it out" : "the record moving it in",
               "职责划转不平衡：%s写明职责“%s”%s%s（行政编制%ld名），%s的三定规定中没有对应的%s：请补写 %s",
               "a transfer does not balance: %s records the function “%s” %s %s (%ld administrative posts), "
               "and %s's 三定 has no matching record (%s): add a %s",
               src_name(c, s), pr_nz(s->name), o ? SD_TR(c->lang, "转至", "moving to") : SD_TR(c->lang, "来自", "coming from"),
               pr_ag_name(other), s->admin < 0 ? 0 : s->admin, pr_ag_name(other),
               o ? SD_TR(c->lang, "转入", "transferIn") : SD_TR(c->lang, "转出", "transferOut"),
               o ? "transferIn" : "transferOut");
    }
    free(order);
    sd_strmap_free(&groups);
    sd_strmap_free(&involved);
}
