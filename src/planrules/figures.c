/*
 * figures.c — the plan's figures: SD201 (counted agencies within the cap, 行政编制 within the
 * total), SD206 (行政编制 after ≤ before, stated totals equal the sums), SD211 (stated agency
 * counts equal the listed ones), SD212 (unit leadership per level and internal units after ≤
 * before, stated reductions equal the sums)
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ---------------------------------------------------------------- SD201 */

void pr_sd201(ctx *c)
{
    xmlNodePtr capel = pr_child(c->proot, "agencyCap");
    long cap = pr_count_of(c, capel);
    if (cap < 0 && c->param_cap > 0)
        cap = c->param_cap;
    xmlNodePtr list = pr_child(c->proot, "agenciesAfter");
    long n = 0;
    for (size_t i = 0; i < c->nafter; i++)
        n += pr_counted(&c->after[i]);
    if (cap >= 0 && n > cap)
        REPORT(c, "SD201", SD_SEV_ERROR, c->pfile, list ? list : c->proot, capel ? c->pfile : NULL, capel,
               "机构限额", "the cap",
               "改革后计入机构限额的机构有%ld个，超过限额%ld个，多%ld个（合署办公、加挂牌子的机构和议事协调机构不计入，部门管理机构和归口管理的机构计入）：请撤并机构，或改为合署办公、加挂牌子",
               "%ld agencies count against the cap of %ld after the reform, %ld too many (co-located and plate "
               "bodies and coordination bodies do not count; department-managed and centrally managed ones do): "
               "merge agencies, or make some co-located or carried as plates",
               n, cap, n - cap);

    xmlNodePtr pcap = pr_child(c->proot, "adminPostsCap");
    long acap = pr_count_of(c, pcap);
    if (acap < 0)
        return;
    long sum = 0;
    int listed = 0;
    for (size_t i = 0; i < c->nafter; i++)
        if (c->after[i].admin >= 0) {
            sum += c->after[i].admin;
            listed = 1;
        }
    xmlNodePtr at = list;
    if (!listed) {
        xmlNodePtr ta = pr_child(pr_child(c->proot, "totals"), "after");
        sum = pr_attr_num(c, ta, "adminPosts");
        at = pr_attr_node(ta, "adminPosts");
    }
    if (sum > acap)
        REPORT(c, "SD201", SD_SEV_ERROR, c->pfile, at ? at : c->proot, c->pfile, pcap, "行政编制总额",
               "the total of administrative posts",
               "改革后行政编制合计%ld名，超过行政编制总额%ld名，多%ld名：请在总额内核减编制",
               "%ld administrative posts after the reform exceed the total of %ld by %ld: reduce them to "
               "within the total",
               sum, acap, sum - acap);
}


/* ---------------------------------------------------------------- SD206 */

static long list_sum(const agency *v, size_t n, int *listed)
{
    long s = 0;
    *listed = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].admin >= 0) {
            s += v[i].admin;
            *listed = 1;
        }
    return s;
}

void pr_sd206(ctx *c)
{
    xmlNodePtr totals = pr_child(c->proot, "totals");
    xmlNodePtr tb = pr_child(totals, "before"), ta = pr_child(totals, "after"), tr = pr_child(totals, "reduction");
    int lb, la;
    long sb = list_sum(c->before, c->nbefore, &lb), sa = list_sum(c->after, c->nafter, &la);
    long stb = pr_attr_num(c, tb, "adminPosts"), sta = pr_attr_num(c, ta, "adminPosts");
    if (lb && stb >= 0 && stb != sb)
        REPORT(c, "SD206", SD_SEV_ERROR, c->pfile, pr_attr_node(tb, "adminPosts"), NULL, NULL, "", "",
               "写明的改革前行政编制合计%ld名，与所列改革前机构的行政编制之和%ld名不符：请改正合计数或所列编制",
               "the stated total of %ld administrative posts before the reform differs from the sum over "
               "the agencies listed before, %ld: correct the total or the listed posts",
               stb, sb);
    if (la && sta >= 0 && sta != sa)
        REPORT(c, "SD206", SD_SEV_ERROR, c->pfile, pr_attr_node(ta, "adminPosts"), NULL, NULL, "", "",
               "写明的改革后行政编制合计%ld名，与所列改革后机构的行政编制之和%ld名不符：请改正合计数或所列编制",
               "the stated total of %ld administrative posts after the reform differs from the sum over "
               "the agencies listed after, %ld: correct the total or the listed posts",
               sta, sa);
    long b = lb ? sb : stb, a = la ? sa : sta;
    if (b >= 0 && a >= 0 && a > b) {
        xmlNodePtr at = la ? pr_child(c->proot, "agenciesAfter") : pr_attr_node(ta, "adminPosts");
        xmlNodePtr rb = lb ? pr_child(c->proot, "agenciesBefore") : pr_attr_node(tb, "adminPosts");
        REPORT(c, "SD206", SD_SEV_ERROR, c->pfile, at, c->pfile, rb, "改革前的行政编制", "the posts before the reform",
               "改革后行政编制合计%ld名，多于改革前的%ld名，增加%ld名：行政编制只能在总额内调整，请核减%ld名",
               "%ld administrative posts after the reform, more than the %ld before (%ld more): posts move "
               "within the total; reduce them by %ld",
               a, b, a - b, a - b);
    }
    long red = pr_attr_num(c, tr, "adminPosts");
    if (red >= 0 && b >= 0 && a >= 0 && red != b - a)
        REPORT(c, "SD206", SD_SEV_ERROR, c->pfile, pr_attr_node(tr, "adminPosts"), NULL, NULL, "", "",
               "写明精简行政编制%ld名，而改革前%ld名、改革后%ld名，相差%ld名：请改正写明的精简数",
               "the stated cut of %ld administrative posts differs from %ld before less %ld after, %ld: "
               "correct the stated cut",
               red, b, a, b - a);
}


/* ---------------------------------------------------------------- SD211 */

void pr_sd211(ctx *c)
{
    xmlNodePtr totals = pr_child(c->proot, "totals");
    long nb = 0, na = 0;
    for (size_t i = 0; i < c->nbefore; i++)
        nb += pr_counted(&c->before[i]);
    for (size_t i = 0; i < c->nafter; i++)
        na += pr_counted(&c->after[i]);
    xmlNodePtr tb = pr_child(totals, "before"), ta = pr_child(totals, "after"), tr = pr_child(totals, "reduction");
    long sb = pr_attr_num(c, tb, "agencies"), sa = pr_attr_num(c, ta, "agencies"), sr = pr_attr_num(c, tr, "agencies");
    if (sb >= 0 && c->nbefore && sb != nb)
        REPORT(c, "SD211", SD_SEV_ERROR, c->pfile, pr_attr_node(tb, "agencies"), c->pfile, pr_child(c->proot, "agenciesBefore"),
               "改革前机构清单", "the list of agencies before",
               "写明改革前机构%ld个，所列改革前计入限额的机构%ld个（合署办公、加挂牌子和不计入限额的机构不计）：请改正写明的数目或清单",
               "%ld agencies stated before the reform, %ld counted in the list before (co-located, plate and "
               "uncounted kinds left out): correct the stated number or the list",
               sb, nb);
    if (sa >= 0 && c->nafter && sa != na)
        REPORT(c, "SD211", SD_SEV_ERROR, c->pfile, pr_attr_node(ta, "agencies"), c->pfile, pr_child(c->proot, "agenciesAfter"),
               "改革后机构清单", "the list of agencies after",
               "写明改革后机构%ld个，所列改革后计入限额的机构%ld个（合署办公、加挂牌子和不计入限额的机构不计）：请改正写明的数目或清单",
               "%ld agencies stated after the reform, %ld counted in the list after (co-located, plate and "
               "uncounted kinds left out): correct the stated number or the list",
               sa, na);
    if (sr >= 0 && c->nbefore && c->nafter && sr != nb - na)
        REPORT(c, "SD211", SD_SEV_ERROR, c->pfile, pr_attr_node(tr, "agencies"), NULL, NULL, "", "",
               "写明减少机构%ld个，而所列改革前%ld个、改革后%ld个，相差%ld个：请改正写明的数目",
               "%ld fewer agencies stated, while the lists count %ld before and %ld after, %ld fewer: correct "
               "the stated number",
               sr, nb, na, nb - na);
    xmlNodePtr cbs = pr_child(c->proot, "coordinationBodies");
    long scb = pr_attr_num(c, cbs, "count"), ncb = 0;
    FOR_CHILD(cb, cbs, "coordinationBody")
    ncb++;
    if (scb >= 0 && scb != ncb)
        REPORT(c, "SD211", SD_SEV_ERROR, c->pfile, pr_attr_node(cbs, "count"), NULL, NULL, "", "",
               "写明议事协调机构%ld个，所列%ld个：请改正写明的数目或清单",
               "%ld coordination bodies stated, %ld listed: correct the stated number or the list", scb, ncb);
}


/* ---------------------------------------------------------------- SD212 */

typedef struct rankrow {
    const char *rank;
    long before, after;       /* listed sums */
    int has_b, has_a;
} rankrow;

enum { MAXRANKS = 32 };

static rankrow *rank_row(rankrow *rows, size_t *n, const char *rank)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(rows[i].rank, rank) == 0)
            return &rows[i];
    if (*n == MAXRANKS)
        return NULL;
    rankrow *r = &rows[(*n)++];
    memset(r, 0, sizeof *r);
    r->rank = rank;
    return r;
}

static xmlNodePtr level_total(ctx *c, xmlNodePtr parent, const char *rank)
{
    FOR_CHILD(lt, parent, "levelTotal")
    {
        const char *r = pr_attr(c, lt, "rank");
        if (r && strcmp(r, rank) == 0)
            return lt;
    }
    return NULL;
}

void pr_sd212(ctx *c)
{
    rankrow rows[MAXRANKS];
    size_t nr = 0;
    int listed_b = 0, listed_a = 0;
    for (int after = 0; after < 2; after++) {
        agency *v = after ? c->after : c->before;
        size_t n = after ? c->nafter : c->nbefore;
        for (size_t i = 0; i < n; i++)
            FOR_CHILD(lp, v[i].node, "levelPosts")
            {
                const char *rank = pr_attr(c, lp, "rank");
                long cnt = pr_attr_num(c, lp, "count");
                rankrow *r = rank ? rank_row(rows, &nr, rank) : NULL;
                if (r == NULL || cnt < 0)
                    continue;
                if (after) {
                    r->after += cnt;
                    r->has_a = 1;
                    listed_a = 1;
                } else {
                    r->before += cnt;
                    r->has_b = 1;
                    listed_b = 1;
                }
            }
    }
    xmlNodePtr totals = pr_child(c->proot, "totals");
    xmlNodePtr tb = pr_child(totals, "before"), ta = pr_child(totals, "after"), tr = pr_child(totals, "reduction");
    /* Ranks stated only in the totals join the table too. */
    xmlNodePtr tots[3] = {tb, ta, tr};
    for (int k = 0; k < 3; k++)
        FOR_CHILD(lt, tots[k], "levelTotal")
        {
            const char *rank = pr_attr(c, lt, "rank");
            if (rank)
                rank_row(rows, &nr, rank);
        }
    for (size_t i = 0; i < nr && c->st == SD_OK; i++) {
        rankrow *r = &rows[i];
        xmlNodePtr lb = level_total(c, tb, r->rank), la = level_total(c, ta, r->rank),
                   lr = level_total(c, tr, r->rank);
        long stb = pr_attr_num(c, lb, "count"), sta = pr_attr_num(c, la, "count"), str = pr_attr_num(c, lr, "count");
        if (listed_b && stb >= 0 && stb != r->before)
            REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, pr_attr_node(lb, "count"), NULL, NULL, "", "",
                   "写明改革前%s领导职数合计%ld名，所列改革前机构之和为%ld名：请改正合计数或所列职数",
                   "the stated total of %s leadership posts before the reform is %ld, the agencies listed "
                   "before add up to %ld: correct the total or the listed posts",
                   r->rank, stb, r->before);
        if (listed_a && sta >= 0 && sta != r->after)
            REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, pr_attr_node(la, "count"), NULL, NULL, "", "",
                   "写明改革后%s领导职数合计%ld名，所列改革后机构之和为%ld名：请改正合计数或所列职数",
                   "the stated total of %s leadership posts after the reform is %ld, the agencies listed after "
                   "add up to %ld: correct the total or the listed posts",
                   r->rank, sta, r->after);
        long b = listed_b ? r->before : stb, a = listed_a ? r->after : sta;
        if (b >= 0 && a >= 0 && a > b)
            REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, listed_a ? pr_child(c->proot, "agenciesAfter") : la,
                   c->pfile, listed_b ? pr_child(c->proot, "agenciesBefore") : lb, "改革前的职数", "the posts before",
                   "改革后%s内设机构领导职数合计%ld名，多于改革前的%ld名：内设机构领导职数只减不增，请核减%ld名",
                   "%s internal-unit leadership posts after the reform total %ld, more than the %ld before: they "
                   "may only decrease; cut %ld",
                   r->rank, a, b, a - b);
        if (str >= 0 && b >= 0 && a >= 0 && str != b - a)
            REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, pr_attr_node(lr, "count"), NULL, NULL, "", "",
                   "写明核减%s领导职数%ld名，而改革前%ld名、改革后%ld名，相差%ld名：请改正写明的核减数",
                   "the stated cut of %s leadership posts, %ld, differs from %ld before less %ld after, %ld: "
                   "correct the stated cut",
                   r->rank, str, b, a, b - a);
    }
    /* Internal units. */
    long ub = 0, ua = 0;
    int hub = 0, hua = 0;
    for (size_t i = 0; i < c->nbefore; i++)
        if (c->before[i].units >= 0) {
            ub += c->before[i].units;
            hub = 1;
        }
    for (size_t i = 0; i < c->nafter; i++)
        if (c->after[i].units >= 0) {
            ua += c->after[i].units;
            hua = 1;
        }
    long sub = pr_attr_num(c, tb, "units"), sua = pr_attr_num(c, ta, "units"), sur = pr_attr_num(c, tr, "units");
    if (hub && sub >= 0 && sub != ub)
        REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, pr_attr_node(tb, "units"), NULL, NULL, "", "",
               "写明改革前内设机构%ld个，所列改革前机构之和为%ld个：请改正合计数或所列数目",
               "%ld internal units stated before the reform, the agencies listed before add up to %ld: correct "
               "the total or the listed numbers",
               sub, ub);
    if (hua && sua >= 0 && sua != ua)
        REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, pr_attr_node(ta, "units"), NULL, NULL, "", "",
               "写明改革后内设机构%ld个，所列改革后机构之和为%ld个：请改正合计数或所列数目",
               "%ld internal units stated after the reform, the agencies listed after add up to %ld: correct "
               "the total or the listed numbers",
               sua, ua);
    long b = hub ? ub : sub, a = hua ? ua : sua;
    if (b >= 0 && a >= 0 && a > b)
        REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, hua ? pr_child(c->proot, "agenciesAfter") : pr_attr_node(ta, "units"),
               c->pfile, hub ? pr_child(c->proot, "agenciesBefore") : pr_attr_node(tb, "units"), "改革前的内设机构",
               "the units before",
               "改革后内设机构合计%ld个，多于改革前的%ld个：内设机构只减不增，请精简%ld个",
               "%ld internal units after the reform, more than the %ld before: they may only decrease; cut %ld",
               a, b, a - b);
    if (sur >= 0 && b >= 0 && a >= 0 && sur != b - a)
        REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, pr_attr_node(tr, "units"), NULL, NULL, "", "",
               "写明精简内设机构%ld个，而改革前%ld个、改革后%ld个，相差%ld个：请改正写明的精简数",
               "the stated cut of %ld internal units differs from %ld before less %ld after, %ld: correct the "
               "stated cut",
               sur, b, a, b - a);
}
