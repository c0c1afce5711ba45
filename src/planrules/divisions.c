/*
 * divisions.c — SD209: 职责分工 names only agencies that exist after the reform (in the plan, its
 * parent plan, or the catalogue); naming an abolished one is reported with its successor
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ---------------------------------------------------------------- SD209 */

void pr_sd209(ctx *c)
{
    const char **keys = NULL;
    const char **shown = NULL, **aliasof = NULL;
    size_t nk = 0;
    for (size_t i = 0; i < c->nsd && c->st == SD_OK; i++) {
        sdoc *d = &c->sd[i];
        FOR_CHILD(dv, pr_child(d->root, "divisions"), "division")
        FOR_CHILD(ra, dv, "relatedAgency")
        {
            const char *ref = pr_attr(c, ra, "ref"), *name = pr_attr(c, ra, "name");
            agency *a = ref ? sd_strmap_get(&c->after_id, ref) : NULL;
            agency *gone = NULL;
            if (a && pr_is_disp(a, "abolished")) {
                gone = a;
                a = NULL;
            }
            if (a == NULL && ref && gone == NULL) {
                agency *b = sd_strmap_get(&c->before_id, ref);
                if (b && pr_is_disp(b, "abolished"))
                    gone = b;
            }
            if (a)
                continue;
            /* After the reform in this plan; else gone in this reform (even
             * when the catalogue knows the name); else the parent plan's or
             * the catalogue's. */
            if (gone == NULL && name) {
                if (pr_lookup_name(c, &c->after_name, name, c->jname, NULL))
                    continue;
                gone = pr_lookup_name(c, &c->before_name, name, c->jname, NULL);
                if (gone == NULL && (pr_lookup_name(c, &c->parent_name, name, c->jname, c->parent_jname) ||
                                     pr_cat_lookup(c, name)))
                    continue;
            }
            const char *shownname = name ? name : pr_nz(ref);
            if (gone) {
                /* The entry that took it over, when the plan says (predecessor). */
                agency *succ = gone->id ? sd_strmap_get(&c->successor, gone->id) : NULL;
                const char *verb_zh = pr_is_disp(gone, "abolished") ? "撤销" : "调整";
                const char *verb_en = pr_is_disp(gone, "abolished") ? "abolishes" : "reorganises";
                if (succ)
                    REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, c->pfile, gone->node, "方案中的该机构",
                           "the plan's entry",
                           "%s的职责分工写到“%s”，该机构在本次改革中已%s，改革后不存在：请改为承接其职责的“%s”",
                           "%s's division of work names “%s”, which this reform %s, so it does not exist after "
                           "it: name “%s”, which took over its duties",
                           d->name, shownname, SD_TR(c->lang, verb_zh, verb_en), pr_ag_name(succ));
                else
                    REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, c->pfile, gone->node, "方案中的该机构",
                           "the plan's entry",
                           "%s的职责分工写到“%s”，该机构在本次改革中已%s，改革后不存在：请改为承接其职责的机构%s",
                           "%s's division of work names “%s”, which this reform %s, so it does not exist after "
                           "it: name the agency that took over its duties%s",
                           d->name, shownname, SD_TR(c->lang, verb_zh, verb_en), "");
                continue;
            }
            if (keys == NULL) {
                size_t cap = c->nafter + c->ncatnames + 1;
                keys = calloc(cap, sizeof *keys);
                shown = calloc(cap, sizeof *shown);
                aliasof = calloc(cap, sizeof *aliasof);
                if (keys == NULL || shown == NULL || aliasof == NULL) {
                    pr_oom(c);
                    break;
                }
                for (size_t k = 0; k < c->nafter; k++) {
                    if (pr_is_disp(&c->after[k], "abolished") || c->after[k].name == NULL)
                        continue;
                    const char *nn = pr_names_normalize(c, c->after[k].name);
                    keys[nk] = nn ? pr_names_key(c, nn, c->jname, 0) : NULL;
                    shown[nk++] = c->after[k].name;
                }
                for (size_t k = 0; k < c->ncatnames; k++) {
                    const char *nn = pr_names_normalize(c, c->catnames[k]->shown);
                    keys[nk] = nn ? pr_names_key(c, nn, c->cat_jname, 0) : NULL;
                    aliasof[nk] = c->catnames[k]->alias ? c->catnames[k]->e->name : NULL;
                    shown[nk++] = c->catnames[k]->shown;
                }
            }
            long k = pr_did_you_mean(c, shownname, c->jname, keys, aliasof, nk);
            if (k >= 0 && (size_t)k >= nk - c->ncatnames && c->catnames[(size_t)k - (nk - c->ncatnames)]->alias) {
                const catname *cn = c->catnames[(size_t)k - (nk - c->ncatnames)];
                REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, NULL, NULL, "", "",
                       "%s的职责分工写到“%s”，改革后没有这个机构（方案、上级方案和上级机构目录中都没有）：您是不是要写“%s”（“%s”的别名）？",
                       "%s's division of work names “%s”, an agency that does not exist after the reform (not in "
                       "the plan, its parent plan or the catalogue): did you mean “%s” (an alias of “%s”)?",
                       d->name, shownname, pr_nz(cn->shown), pr_nz(cn->e->name));
            } else if (k >= 0)
                REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, NULL, NULL, "", "",
                       "%s的职责分工写到“%s”，改革后没有这个机构（方案、上级方案和上级机构目录中都没有）：您是不是要写“%s”？",
                       "%s's division of work names “%s”, an agency that does not exist after the reform (not in "
                       "the plan, its parent plan or the catalogue): did you mean “%s”?",
                       d->name, shownname, pr_nz(shown[k]));
            else
                REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, NULL, NULL, "", "",
                       "%s的职责分工写到“%s”，改革后没有这个机构（方案、上级方案和上级机构目录中都没有）：请改为改革后存在的机构%s",
                       "%s's division of work names “%s”, an agency that does not exist after the reform (not in "
                       "the plan, its parent plan or the catalogue): name an agency that exists after it%s",
                       d->name, shownname, "");
        }
    }
    free(keys);
    free(shown);
    free(aliasof);
}
