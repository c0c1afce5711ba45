/*
 * dates.c — SD210: a county plan takes effect no earlier than its city's; the parent plan
 * file's own date wins over a date copied into the county plan, and a disagreeing copy is
 * reported
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ---------------------------------------------------------------- SD210 */

static const char *date_of(ctx *c, xmlNodePtr n)
{
    const char *t = pr_text(c, n);
    if (t == NULL || strlen(t) < 10)
        return NULL;
    return pr_ar_strndup(c, t, 10);
}

void pr_sd210(ctx *c)
{
    xmlNodePtr pp = pr_child(c->proot, "parentPlan");
    xmlNodePtr proot = c->in->parent.doc ? xmlDocGetRootElement(c->in->parent.doc) : NULL;
    if (!pr_is_el(proot, "reformPlan"))
        proot = NULL;
    if (pp == NULL && proot == NULL)
        return;
    xmlNodePtr own = pr_child(pr_child(c->proot, "meta"), "effectiveDate");
    xmlNodePtr copy = pr_child(pp, "effectiveDate");
    xmlNodePtr real = proot ? pr_child(pr_child(proot, "meta"), "effectiveDate") : NULL;
    const char *dcopy = date_of(c, copy), *dreal = date_of(c, real), *down = date_of(c, own);
    if (dcopy && dreal && strcmp(dcopy, dreal) != 0)
        REPORT(c, "SD210", SD_SEV_WARNING, c->pfile, copy, c->in->parent.file, real, "上级方案的施行日期",
               "the parent plan's effective date",
               "本方案抄录的上级方案施行日期%s与上级方案文件中的%s不一致：以上级方案文件为准，请改为%s",
               "the parent plan's effective date copied here, %s, differs from %s in the parent plan file: "
               "the file wins; write %s",
               dcopy, dreal, dreal);
    const char *city = dreal ? dreal : dcopy;
    xmlNodePtr cityn = dreal ? real : copy;
    const char *cityf = dreal ? c->in->parent.file : c->pfile;
    if (city && down && strcmp(down, city) < 0)
        REPORT(c, "SD210", SD_SEV_WARNING, c->pfile, own, cityf, cityn, "上级方案的施行日期",
               "the parent plan's effective date",
               "本方案自%s起施行，早于上级方案的%s：下级机构改革不能早于上级，请改为%s或以后",
               "this plan takes effect on %s, before its parent plan's %s: a county's reform cannot take "
               "effect before its city's; use %s or later",
               down, city, city);
}
