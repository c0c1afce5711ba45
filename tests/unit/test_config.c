/*
 * test_config.c — .sdlint.xml (config.h): the nearest file upward, stopping
 * at the repository root; validation against config.xsd with the line;
 * overrides by glob on the path relative to the file's folder; selection by
 * prefix (most specific wins, ignore wins ties), severities, fail level; a
 * plan's catalogue relative to the configuration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "sdlint.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/sdlint-config-XXXXXX");
    if (mkdtemp(root) == NULL)
        return -1;
    char p[256];
    const char *dirs[] = {"repo", "repo/.git", "repo/a", "repo/a/b", "repo/c"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", root, dirs[i]);
        mkdir(p, 0755);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_find(void **state)
{
    (void)state;
    sd_error err = {0};
    char p[256], *found = NULL;
    /* Above the repository root: never read. */
    put(".sdlint.xml", "<x/>");
    snprintf(p, sizeof p, "%s/repo/a/b/doc.xml", root);
    assert_int_equal(sd_config_find(p, &found, &err), SD_OK);
    assert_null(found);
    put("repo/.sdlint.xml", "<x/>");
    assert_int_equal(sd_config_find(p, &found, &err), SD_OK);
    assert_non_null(found);
    assert_non_null(strstr(found, "/repo/.sdlint.xml"));
    free(found);
    put("repo/a/.sdlint.xml", "<x/>");
    assert_int_equal(sd_config_find(p, &found, &err), SD_OK);
    assert_non_null(strstr(found, "/repo/a/.sdlint.xml")); /* the nearest */
    free(found);
}

static void test_invalid(void **state)
{
    (void)state;
    sd_init();
    sd_error err = {0};
    char p[256];
    put("repo/c/.sdlint.xml", "<?xml version=\"1.0\"?>\n<sdlint xmlns=\"urn:sdlint:config:1\">\n"
                              "  <fail-level>often</fail-level>\n</sdlint>\n");
    snprintf(p, sizeof p, "%s/repo/c/.sdlint.xml", root);
    sd_config *c = NULL;
    assert_int_equal(sd_config_load(p, &c, &err), SD_EINVAL);
    assert_null(c);
    assert_non_null(strstr(err.msg, ".sdlint.xml:3:"));
    put("repo/c/.sdlint.xml", "<sdlint xmlns=\"urn:sdlint:config:1\"><tierr>county</tierr></sdlint>");
    assert_int_equal(sd_config_load(p, &c, &err), SD_EINVAL);
    put("repo/c/.sdlint.xml", "<sdlint xmlns=\"urn:sdlint:config:1\"><tier>county</tier>");
    assert_int_equal(sd_config_load(p, &c, &err), SD_EINVAL); /* not well-formed */
}

static void test_resolve_and_filter(void **state)
{
    (void)state;
    sd_init();
    sd_error err = {0};
    char p[256], doc[256];
    put("repo/c/.sdlint.xml",
        "<?xml version=\"1.0\"?>\n<sdlint xmlns=\"urn:sdlint:config:1\">\n"
        "  <tier>county</tier>\n"
        "  <param name=\"a\" value=\"1\"/>\n"
        "  <rules>packs/x.sch</rules>\n"
        "  <select>SD1</select>\n"
        "  <ignore>SD10</ignore>\n"
        "  <extend-select>SD002</extend-select>\n"
        "  <severity rule=\"SD1\" level=\"info\"/>\n"
        "  <severity rule=\"SD110\" level=\"error\"/>\n"
        "  <override path=\"old/*.xml\">\n"
        "    <tier>province</tier>\n"
        "    <param name=\"a\" value=\"2\"/>\n"
        "    <fail-level>warning</fail-level>\n"
        "  </override>\n"
        "</sdlint>\n");
    snprintf(p, sizeof p, "%s/repo/c/.sdlint.xml", root);
    sd_config *c = NULL;
    assert_int_equal(sd_config_load(p, &c, &err), SD_OK);
    sd_config_resolved r;
    snprintf(doc, sizeof doc, "%s/repo/c/new/d.xml", root);
    assert_int_equal(sd_config_resolve(c, doc, &r, &err), SD_OK);
    assert_string_equal(r.tier.items[0].value, "county");
    assert_non_null(strstr(r.tier.items[0].origin, ".sdlint.xml:3"));
    assert_non_null(strstr(r.packs.items[0].value, "/repo/c/packs/x.sch"));
    assert_int_equal(sd_config_fail_level(&r), SD_SEV_ERROR);
    assert_int_equal(sd_config_rule_enabled(&r, "SD110"), 1);  /* SD1 select, SD10 does not cover SD110 */
    assert_int_equal(sd_config_rule_enabled(&r, "SD101"), 0);  /* SD10 ignore is more specific */
    assert_int_equal(sd_config_rule_enabled(&r, "SD002"), 1);  /* extend-select */
    assert_int_equal(sd_config_rule_enabled(&r, "SD003"), 0);  /* not selected */
    sd_diags d;
    sd_diags_init(&d);
    sd_diags_addf(&d, &err, "SD101", SD_SEV_ERROR, "f", 1, 1, NULL, "dropped");
    sd_diags_addf(&d, &err, "SD111", SD_SEV_ERROR, "f", 1, 1, NULL, "to info");
    sd_diags_addf(&d, &err, "SD110", SD_SEV_WARNING, "f", 1, 1, NULL, "to error");
    sd_diags_addf(&d, &err, "SD001", SD_SEV_FATAL, "f", 0, 0, NULL, "fatal stays");
    sd_config_filter(&r, &d);
    assert_int_equal(d.count, 3);
    assert_string_equal(d.items[0].rule_id, "SD111");
    assert_int_equal(d.items[0].severity, SD_SEV_INFO);
    assert_int_equal(d.items[1].severity, SD_SEV_ERROR);
    assert_int_equal(d.items[2].severity, SD_SEV_FATAL);
    sd_diags_free(&d);
    sd_config_resolved_free(&r);
    /* The override: its glob on the path relative to the file's folder. */
    snprintf(doc, sizeof doc, "%s/repo/c/old/e.xml", root);
    assert_int_equal(sd_config_resolve(c, doc, &r, &err), SD_OK);
    assert_string_equal(r.tier.items[0].value, "province");
    assert_int_equal(r.params.count, 1);
    assert_string_equal(r.params.items[0].value, "2");
    assert_non_null(strstr(r.params.items[0].origin, "(override old/*.xml)"));
    assert_int_equal(sd_config_fail_level(&r), SD_SEV_WARNING);
    sd_config_resolved_free(&r);
    sd_config_free(c);
}

/* <catalogue>: one value (the last wins, an override's over the top level's),
 * joined to the configuration's folder unless absolute. */
static void test_catalogue(void **state)
{
    (void)state;
    sd_init();
    sd_error err = {0};
    char p[256], doc[256];
    put("repo/c/.sdlint.xml",
        "<?xml version=\"1.0\"?>\n<sdlint xmlns=\"urn:sdlint:config:1\">\n"
        "  <catalogue>../cat/liaoning.xml</catalogue>\n"
        "  <override path=\"abs/*\">\n"
        "    <catalogue>/srv/catalogue.xml</catalogue>\n"
        "  </override>\n"
        "</sdlint>\n");
    snprintf(p, sizeof p, "%s/repo/c/.sdlint.xml", root);
    sd_config *c = NULL;
    assert_int_equal(sd_config_load(p, &c, &err), SD_OK);
    sd_config_resolved r;
    snprintf(doc, sizeof doc, "%s/repo/c/plan.xml", root);
    assert_int_equal(sd_config_resolve(c, doc, &r, &err), SD_OK);
    assert_int_equal(r.catalogue.count, 1);
    char want[300];
    snprintf(want, sizeof want, "%s/repo/c/../cat/liaoning.xml", root);
    assert_string_equal(r.catalogue.items[0].value, want);
    assert_non_null(strstr(r.catalogue.items[0].origin, ".sdlint.xml:3"));
    sd_config_resolved_free(&r);
    snprintf(doc, sizeof doc, "%s/repo/c/abs/plan.xml", root);
    assert_int_equal(sd_config_resolve(c, doc, &r, &err), SD_OK);
    assert_int_equal(r.catalogue.count, 1);
    assert_string_equal(r.catalogue.items[0].value, "/srv/catalogue.xml");
    sd_config_resolved_free(&r);
    sd_config_free(c);
    /* Empty is refused by the schema, with its line. */
    put("repo/c/.sdlint.xml", "<?xml version=\"1.0\"?>\n<sdlint xmlns=\"urn:sdlint:config:1\">\n"
                              "  <catalogue></catalogue>\n</sdlint>\n");
    assert_int_equal(sd_config_load(p, &c, &err), SD_EINVAL);
    assert_non_null(strstr(err.msg, ".sdlint.xml:3:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_resolve_and_filter),
        cmocka_unit_test(test_catalogue),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    sd_cleanup();
    return rc;
}
