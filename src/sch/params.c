/*
 * params.c — rule parameters: <sdl:param>, <sdl:tier-select> and sdl:param().
 *
 * Place: in src/sch/'s layers (sch_int.h) above regex.c, which checks
 * regex-typed values, and below everything that reads parameters: parse.c
 * hands every urn:sdlint:functions element under sch:schema to
 * sch_params_parse; compile.c checks literal sdl:param('name') calls against
 * the declarations and binds the caller's overrides; sdl:param() (fn_regex.c)
 * asks sd_sch_param_value with the run's tier.  A value is, in order: the
 * caller's override (sd_sch_options.params), else the entry for the forced tier
 * (sd_sch_options.tier), else the entry for the tier the document's
 * tier-select expression gives, else the default.  A tier entry with value ""
 * means "unset at that tier" and is returned as "" (rules test for it); a tier
 * with no entry falls through to the default.
 *
 * Left out: overriding sch:let values (only sdl:param is a parameter).
 * Cost: declarations are few; lookups are linear in their number.
 */
#include "sch/sch_int.h"
#include "num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpathInternals.h>

static char *attr(sd_sch_pack *pk, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    char *s = sch_strdup(&pk->arena, (const char *)v);
    xmlFree(v);
    return s;
}

/* Text of the first sch:<el> child in the pack's language, else the first. */
static const char *child_text(sd_sch_pack *pk, xmlNodePtr n, const char *el)
{
    xmlNodePtr pick = NULL;
    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        if (!sch_is_sch(c, el))
            continue;
        xmlChar *lang = xmlNodeGetLang(c);
        int ok = sch_lang_match(pk->lang, (const char *)lang);
        xmlFree(lang);
        if (ok) {
            pick = c;
            break;
        }
        if (pick == NULL)
            pick = c;
    }
    if (pick == NULL)
        return "";
    xmlChar *t = xmlNodeGetContent(pick);
    char *s = sch_strdup(&pk->arena, t ? (const char *)t : "");
    xmlFree(t);
    if (s == NULL)
        return "";
    sch_normalize_space(s);
    return s;
}

/* Checks v against the parameter's @type, so that a mistyped value is an error
 * when the pack is compiled, not a silent change in what the rules check.
 * "" always passes: it means "unset".  Returns 0, or -1 with why filled. */
static int check_value(const sch_param_decl *d, const char *v, char *why, size_t whylen)
{
    if (v == NULL || v[0] == '\0' || d->type == NULL || strcmp(d->type, "text") == 0)
        return 0;
    if (strcmp(d->type, "number") == 0) {
        double x; /* the C-locale form XPath reads, whatever setlocale says */
        if (sd_num_parse_double(v, &x) != 0 || x - x != 0) {
            snprintf(why, whylen, "parameter \"%s\" takes a number, not \"%s\"", d->info.name, v);
            return -1;
        }
        /* Out of range, a value would silently turn a rule off (a share of
         * 30 instead of 0.30) or print nonsense ("超过-10%"). */
        if ((d->min && x < d->min_v) || (d->max && x > d->max_v)) {
            if (d->min && d->max)
                snprintf(why, whylen, "parameter \"%s\" takes a number from %s to %s, not \"%s\"",
                         d->info.name, d->min, d->max, v);
            else if (d->min)
                snprintf(why, whylen, "parameter \"%s\" takes a number of at least %s, not \"%s\"",
                         d->info.name, d->min, v);
            else
                snprintf(why, whylen, "parameter \"%s\" takes a number of at most %s, not \"%s\"",
                         d->info.name, d->max, v);
            return -1;
        }
        return 0;
    }
    char re_why[256];
    if (sch_regex_check(v, "", re_why, sizeof re_why) < 0) {
        snprintf(why, whylen, "parameter \"%s\" takes a regular expression; \"%s\": %s",
                 d->info.name, v, re_why);
        return -1;
    }
    return 0;
}

sd_status sch_params_parse(sd_sch_pack *pk, xmlNodePtr el, const char *file, sd_error *err)
{
    long line = xmlGetLineNo(el);
    if (sch_is_ns(el, SD_SCH_FN_NS, "tier-select")) {
        if (pk->tier_select != NULL)
            return sd_error_set(err, SD_ERULES, file, line, "<sdl:tier-select> given twice");
        pk->tier_select = attr(pk, el, "value");
        if (pk->tier_select == NULL)
            return sd_error_set(err, SD_ERULES, file, line, "<sdl:tier-select> without @value");
        return SD_OK;
    }
    if (!sch_is_ns(el, SD_SCH_FN_NS, "param"))
        return sd_error_set(err, SD_ERULES, file, line, "unknown element <%s> in %s",
                            (const char *)el->name, SD_SCH_FN_NS);
    sch_param_decl *d = sch_alloc(&pk->arena, sizeof *d);
    if (d == NULL)
        return sd_error_set(err, SD_ENOMEM, file, line, "out of memory");
    d->file = file;
    d->line = line;
    d->info.name = attr(pk, el, "name");
    if (d->info.name == NULL || d->info.name[0] == '\0')
        return sd_error_set(err, SD_ERULES, file, line, "<sdl:param> without @name");
    if (sch_param_find(pk, d->info.name) != NULL)
        return sd_error_set(err, SD_ERULES, file, line, "parameter \"%s\" declared twice",
                            d->info.name);
    const char *def = attr(pk, el, "default");
    d->info.default_value = def ? def : "";
    d->type = attr(pk, el, "type");
    if (d->type && strcmp(d->type, "number") && strcmp(d->type, "regex") && strcmp(d->type, "text"))
        return sd_error_set(err, SD_ERULES, file, line,
                            "parameter \"%s\": @type must be number, regex or text, not \"%s\"",
                            d->info.name, d->type);
    d->min = attr(pk, el, "min");
    d->max = attr(pk, el, "max");
    if ((d->min || d->max) && (d->type == NULL || strcmp(d->type, "number") != 0))
        return sd_error_set(err, SD_ERULES, file, line,
                            "parameter \"%s\": @min and @max apply to type=\"number\" only",
                            d->info.name);
    if (d->min && sd_num_parse_double(d->min, &d->min_v) != 0)
        return sd_error_set(err, SD_ERULES, file, line, "parameter \"%s\": @min is not a number: \"%s\"",
                            d->info.name, d->min);
    if (d->max && sd_num_parse_double(d->max, &d->max_v) != 0)
        return sd_error_set(err, SD_ERULES, file, line, "parameter \"%s\": @max is not a number: \"%s\"",
                            d->info.name, d->max);
    if (d->min && d->max && d->min_v > d->max_v)
        return sd_error_set(err, SD_ERULES, file, line, "parameter \"%s\": @min is above @max",
                            d->info.name);
    char why[512];
    /* a trusted pack's own values were checked when it was built */
    if (!pk->trusted && check_value(d, d->info.default_value, why, sizeof why) != 0)
        return sd_error_set(err, SD_ERULES, file, line, "%s (its default)", why);
    size_t n = 0;
    for (xmlNodePtr c = el->children; c != NULL; c = c->next)
        if (sch_is_ns(c, SD_SCH_FN_NS, "tier"))
            n++;
    d->tiers = sch_alloc(&pk->arena, (n + 1) * sizeof *d->tiers);
    if (d->tiers == NULL)
        return sd_error_set(err, SD_ENOMEM, file, line, "out of memory");
    for (xmlNodePtr c = el->children; c != NULL; c = c->next) {
        if (!sch_is_ns(c, SD_SCH_FN_NS, "tier"))
            continue;
        sd_sch_param_tier *t = &d->tiers[d->info.tier_count];
        t->tier = attr(pk, c, "name");
        const char *v = attr(pk, c, "value");
        t->value = v ? v : "";
        if (t->tier == NULL)
            return sd_error_set(err, SD_ERULES, file, xmlGetLineNo(c),
                                "<sdl:tier> without @name in parameter \"%s\"", d->info.name);
        if (!pk->trusted && check_value(d, t->value, why, sizeof why) != 0)
            return sd_error_set(err, SD_ERULES, file, xmlGetLineNo(c), "%s (tier %s)", why,
                                t->tier);
        d->info.tier_count++;
    }
    d->info.tiers = d->tiers;
    d->info.title = child_text(pk, el, "title");
    d->info.doc = child_text(pk, el, "p");
    if (sch_vec_push(&pk->arena, &pk->param_decls, d) < 0)
        return sd_error_set(err, SD_ENOMEM, file, line, "out of memory");
    return SD_OK;
}

const sch_param_decl *sch_param_find(const sd_sch_pack *pk, const char *name)
{
    for (size_t i = 0; i < pk->param_decls.n; i++) {
        const sch_param_decl *d = pk->param_decls.v[i];
        if (strcmp(d->info.name, name) == 0)
            return d;
    }
    return NULL;
}

sd_status sch_params_bind(sd_sch_pack *pk, const sd_sch_options *opt, sd_error *err)
{
    if (opt == NULL || opt->param_count == 0)
        return SD_OK;
    pk->overrides = sch_alloc(&pk->arena, opt->param_count * sizeof *pk->overrides);
    if (pk->overrides == NULL)
        return sd_error_set(err, SD_ENOMEM, pk->path, 0, "out of memory");
    for (size_t i = 0; i < opt->param_count; i++) {
        const sd_sch_param *p = &opt->params[i];
        if (p->name == NULL)
            return sd_error_set(err, SD_EINVAL, pk->path, 0, "parameter override without a name");
        sch_param_decl *d = (sch_param_decl *)sch_param_find(pk, p->name);
        if (d == NULL)
            return sd_error_set(err, SD_EINVAL, pk->path, 0,
                                "unknown parameter \"%s\" (the rule pack does not declare it)",
                                p->name);
        char why[512];
        if (check_value(d, p->value, why, sizeof why) != 0)
            return sd_error_set(err, SD_EINVAL, pk->path, 0, "--param: %s", why);
        sd_sch_param *o = &pk->overrides[pk->noverrides++];
        o->name = d->info.name;
        o->value = sch_strdup(&pk->arena, p->value ? p->value : "");
        if (o->value == NULL)
            return sd_error_set(err, SD_ENOMEM, pk->path, 0, "out of memory");
        d->info.override_value = o->value; /* last one wins */
    }
    return SD_OK;
}

size_t sd_sch_param_count(const sd_sch_pack *pack)
{
    return pack ? pack->param_decls.n : 0;
}

const sd_sch_param_info *sd_sch_param_at(const sd_sch_pack *pack, size_t i)
{
    if (pack == NULL || i >= pack->param_decls.n)
        return NULL;
    return &((const sch_param_decl *)pack->param_decls.v[i])->info;
}

const char *sd_sch_param_value(const sd_sch_pack *pack, const char *name, const char *tier)
{
    if (pack == NULL || name == NULL)
        return NULL;
    const sch_param_decl *d = sch_param_find(pack, name);
    if (d == NULL)
        return NULL;
    if (d->info.override_value != NULL)
        return d->info.override_value;
    if (tier != NULL)
        for (size_t i = 0; i < d->info.tier_count; i++)
            if (strcmp(d->tiers[i].tier, tier) == 0)
                return d->tiers[i].value;
    return d->info.default_value;
}
