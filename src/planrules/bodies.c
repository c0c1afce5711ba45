/*
 * bodies.c — SD208: 议事协调机构 have no own staffing or separate office at 县级以上, and temporary ones
 * state when they end
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ---------------------------------------------------------------- SD208 */

void pr_sd208(ctx *c)
{
    FOR_CHILD(cb, pr_child(c->proot, "coordinationBodies"), "coordinationBody")
    {
        const char *name = pr_nz(pr_attr(c, cb, "name"));
        long own = pr_attr_num(c, cb, "ownPosts");
        if (own > 0)
            REPORT(c, "SD208", SD_SEV_ERROR, c->pfile, pr_attr_node(cb, "ownPosts"), NULL, NULL, "", "",
                   "议事协调机构“%s”核定了%ld名编制：县级以上议事协调机构不单独核定人员编制，其具体工作由承担办公室职能的机构承担，请删去",
                   "the coordination body “%s” has %ld posts of its own: coordination bodies at county level "
                   "and above get no staffing of their own; their work is done by the agency hosting their "
                   "office; remove them",
                   name, own);
        if (pr_truthy(pr_attr(c, cb, "separateOffice")))
            REPORT(c, "SD208", SD_SEV_ERROR, c->pfile, pr_attr_node(cb, "separateOffice"), NULL, NULL, "", "",
                   "议事协调机构“%s”设立了单独的办事机构：县级以上议事协调机构不单设办事机构，请设在相关机构（officeHost）",
                   "the coordination body “%s” has an office of its own: coordination bodies at county level "
                   "and above have no separate office; host it in an agency (officeHost)",
                   name);
        const char *end = pr_attr(c, cb, "endDate");
        if (pr_truthy(pr_attr(c, cb, "temporary")) && (end == NULL || *end == '\0'))
            REPORT(c, "SD208", SD_SEV_WARNING, c->pfile, pr_attr_node(cb, "temporary"), NULL, NULL, "", "",
                   "临时性议事协调机构“%s”没有写明撤销时限：请写明完成任务后撤销的日期（endDate）",
                   "the temporary coordination body “%s” does not state when it ends: give the date it is "
                   "wound up (endDate)",
                   name);
    }
    for (size_t i = 0; i < c->nafter; i++) {
        agency *a = &c->after[i];
        if (a->kind && strcmp(a->kind, "coordination-body") == 0 && a->admin > 0)
            REPORT(c, "SD208", SD_SEV_ERROR, c->pfile, pr_attr_node(a->node, "adminPosts"), NULL, NULL, "", "",
                   "议事协调机构“%s”核定了%ld名行政编制：县级以上议事协调机构不单独核定人员编制，请删去",
                   "the coordination body “%s” has %ld administrative posts: coordination bodies at county "
                   "level and above get no staffing of their own; remove them",
                   pr_ag_name(a), a->admin);
    }
}
