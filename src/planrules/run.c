/*
 * run.c — sd_planrules_check: builds the model, runs each rule once, frees the arena and tables
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ------------------------------------------------------------------ run */

sd_status sd_planrules_check(const sd_planrules_input *in, const sd_planrules_params *params, sd_lang lang,
                             sd_diags *out, sd_error *err)
{
    if (in == NULL || in->plan.doc == NULL)
        return SD_OK;
    xmlNodePtr root = xmlDocGetRootElement(in->plan.doc);
    if (!pr_is_el(root, "reformPlan"))
        return SD_OK;
    ctx c = {0};
    c.lang = lang;
    c.out = out;
    c.err = err;
    c.in = in;
    c.param_cap = params ? params->agency_cap : 0;
    c.xl = sd_xpathloc_new();
    if (c.xl == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory in the plan rules");
    pr_build_model(&c);
    void (*const rules[])(ctx *) = {pr_sd201, pr_sd202_203, pr_sd204, pr_sd205, pr_sd206, pr_sd208,
                                    pr_sd209, pr_sd210, pr_sd211, pr_sd212, pr_sd213};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0] && c.st == SD_OK; i++)
        rules[i](&c);
    sd_strmap_free(&c.before_id);
    sd_strmap_free(&c.after_id);
    sd_strmap_free(&c.before_name);
    sd_strmap_free(&c.after_name);
    sd_strmap_free(&c.parent_name);
    sd_strmap_free(&c.successor);
    sd_strmap_free(&c.route);
    sd_strmap_free(&c.cat_id);
    sd_strmap_free(&c.cat_name);
    sd_xpathloc_free(c.xl);
    pr_ar_free(c.arena);
    return c.st;
}
