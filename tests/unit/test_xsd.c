/*
 * test_xsd.c — schema compilation and the plain-words translation of
 * validation errors.  Inputs are a real sample with one change each.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/tree.h>

#include "load.h"
#include "xsd.h"

#define SAMPLE "tests/e2e/inputs/v2/yingshang.xml" /* samples/city in vocabulary 2 */

static sd_xsd_set *set;
static char *sample;
static size_t sample_len;

static int setup(void **state)
{
    (void)state;
    sd_error err = {0};
    if (sd_xsd_compile(&set, &err) != SD_OK) {
        fprintf(stderr, "compile: %s\n", err.msg);
        return -1;
    }
    FILE *f = fopen(SAMPLE, "rb");
    if (f == NULL)
        return -1;
    sample = malloc(1 << 20);
    sample_len = fread(sample, 1, (1 << 20) - 1, f);
    sample[sample_len] = '\0';
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sd_xsd_free(set);
    free(sample);
    return 0;
}

/* The sample with the first occurrence of from replaced by to. */
static char *edited(const char *from, const char *to)
{
    const char *at = strstr(sample, from);
    assert_non_null(at);
    size_t n = sample_len - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    size_t pre = (size_t)(at - sample);
    memcpy(out, sample, pre);
    snprintf(out + pre, n - pre, "%s%s", to, at + strlen(from));
    return out;
}

static sd_diags validate(const char *text, sd_lang lang)
{
    sd_diags d;
    sd_diags_init(&d);
    sd_source src = {.path = (char *)"t.xml", .bytes = (unsigned char *)strdup(text),
                     .len = strlen(text)};
    sd_load_options lo = {.lang = lang, .positions = 1};
    sd_error err = {0};
    xmlDocPtr doc = NULL;
    assert_int_equal(sd_load_parse(&src, &lo, &doc, &d, &err), SD_OK);
    assert_non_null(doc);
    assert_int_equal(sd_xsd_validate(set, doc, &src, lang, &d, &err), SD_OK);
    sd_load_doc_free(doc);
    free(src.bytes);
    free(src.line_starts);
    sd_diags_sort(&d);
    return d;
}

/* A thread's kept parser and validation contexts (load.h, xsd.h) give, for
 * each of a run of documents valid and not (identity constraints among
 * them), exactly what a fresh parser and context give. */
static void test_kept_contexts_give_the_same_findings(void **state)
{
    (void)state;
    char *texts[] = {
        edited("<post rank=\"正处级\" role=\"head\"", "<post rank=\"正厅级\" role=\"head\""),
        strdup(sample),
        edited("posts=\"8\" rank", "posts=\"-8\" rank"),
        edited("<post rank=\"副处级\" role=\"deputy\" count=\"2\"/></leadership>",
               "<post rank=\"副处级\" role=\"deputy\" count=\"2\"/><post rank=\"副处级\" role=\"deputy\" count=\"2\"/></leadership>"),
        strdup("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a>&x;</a>"),
        edited("</leadership>", "</leadership><chief/>"),
        strdup(sample),
    };
    size_t n = sizeof texts / sizeof texts[0];
    sd_load_parser *parser = sd_load_parser_new();
    sd_xsd_validators *vals = sd_xsd_validators_new();
    assert_non_null(parser);
    assert_non_null(vals);
    size_t total = 0;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < n; i++) {
            sd_diags d[2];
            for (int kept = 0; kept < 2; kept++) {
                sd_diags_init(&d[kept]);
                sd_source src = {.path = (char *)"t.xml", .bytes = (unsigned char *)strdup(texts[i]),
                                 .len = strlen(texts[i])};
                sd_load_options lo = {.lang = SD_LANG_EN, .positions = 1, .parser = kept ? parser : NULL};
                sd_error err = {0};
                xmlDocPtr doc = NULL;
                assert_int_equal(sd_load_parse(&src, &lo, &doc, &d[kept], &err), SD_OK);
                if (doc != NULL)
                    assert_int_equal(sd_xsd_validate_with(set, kept ? vals : NULL, doc, &src, SD_LANG_EN,
                                                          &d[kept], &err),
                                     SD_OK);
                sd_load_doc_free(doc);
                free(src.bytes);
                free(src.line_starts);
                sd_diags_sort(&d[kept]);
            }
            assert_int_equal(d[0].count, d[1].count);
            for (size_t k = 0; k < d[0].count; k++) {
                assert_string_equal(d[0].items[k].rule_id, d[1].items[k].rule_id);
                assert_string_equal(d[0].items[k].message, d[1].items[k].message);
                assert_int_equal(d[0].items[k].line, d[1].items[k].line);
                assert_int_equal(d[0].items[k].col, d[1].items[k].col);
                assert_int_equal(d[0].items[k].end_col, d[1].items[k].end_col);
            }
            total += d[0].count;
            sd_diags_free(&d[0]);
            sd_diags_free(&d[1]);
        }
    assert_true(total >= 2 * 5); /* the edits did make findings */
    sd_xsd_validators_free(vals);
    sd_load_parser_free(parser);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
}

static void expect_single(const char *from, const char *to, sd_lang lang, const char *message,
                          long line, long col)
{
    char *text = edited(from, to);
    sd_diags d = validate(text, lang);
    if (d.count != 1)
        fail_msg("%zu findings, first: %s", d.count, d.count ? d.items[0].message : "-");
    assert_string_equal(d.items[0].rule_id, "SD002");
    assert_string_equal(d.items[0].message, message);
    assert_int_equal(d.items[0].line, line);
    assert_int_equal(d.items[0].col, col);
    sd_diags_free(&d);
    free(text);
}

static void test_labels_come_from_the_schema(void **state)
{
    (void)state;
    assert_string_equal(sd_xsd_label(set, "posts", SD_LANG_ZH), "编制数");
    assert_string_equal(sd_xsd_label(set, "unit", SD_LANG_ZH), "内设机构");
    assert_string_equal(sd_xsd_label(set, "unit", SD_LANG_EN), "internal unit");
    assert_null(sd_xsd_label(set, "no-such-name", SD_LANG_ZH));
}

static void test_sample_is_valid(void **state)
{
    (void)state;
    sd_diags d = validate(sample, SD_LANG_ZH);
    assert_int_equal(d.count, 0);
    sd_diags_free(&d);
}

static void test_missing_attribute(void **state)
{
    (void)state;
    expect_single("<unit name=\"办公室\" category=\"comprehensive\" posts=\"8\" rank",
                  "<unit name=\"办公室\" category=\"comprehensive\" rank", SD_LANG_ZH,
                  "内设机构\"办公室\"缺少编制数 (posts)", 53, 5);
    expect_single("<unit name=\"办公室\" category=\"comprehensive\" posts=\"8\" rank",
                  "<unit name=\"办公室\" category=\"comprehensive\" rank", SD_LANG_EN,
                  "internal unit \"办公室\" lacks posts", 53, 5);
}

static void test_bad_type_names_the_base_type(void **state)
{
    (void)state;
    expect_single("posts=\"8\" rank", "posts=\"-8\" rank", SD_LANG_ZH,
                  "内设机构\"办公室\"的编制数 (posts)的取值\"-8\"无效：应为非负整数", 53, 47);
}

static void test_enumeration_and_pattern(void **state)
{
    (void)state;
    expect_single("tier=\"sub-provincial\"", "tier=\"city\"", SD_LANG_ZH,
                  "行政区域\"沈阳市\"的层级 (tier)的取值\"city\"不在允许的取值之中："
                  "province（省级）、sub-provincial（副省级城市）、prefecture（地级市）、county（县级）、"
                  "sub-provincial-district（副省级城市的区）",
                  19, 42);
    /* each allowed value with its Chinese meaning, from the enumeration's annotation;
     * in English too, the codes keep their meaning */
    expect_single("type=\"administrative\" posts=\"68\"", "type=\"admin\" posts=\"68\"", SD_LANG_EN,
                  "staffing type (type) of posts allocation of staffing has the value \"admin\", "
                  "which is not one of: administrative (行政编制), political-legal (政法专项编制), "
                  "service (工勤编制), retiree-service (离退休干部工作人员编制), institution (事业编制)",
                  115, 17);
    /* a meaning that only repeats the value (RankType) is not repeated */
    expect_single("kind=\"government-department\" rank=\"正局级\"",
                  "kind=\"government-department\" rank=\"正股级\"", SD_LANG_ZH,
                  "机构\"沈阳市营商环境建设局\"的规格 (rank)的取值\"正股级\"不在允许的取值之中："
                  "正厅级、副厅级、正局级、副局级、正处级、副处级、正县级、副县级、正科级、副科级、股级",
                  22, 75);
    expect_single("code=\"210100\"", "code=\"21010\"", SD_LANG_EN,
                  "code of jurisdiction \"沈阳市\" has the value \"21010\", which does not match "
                  "the pattern [1-8][0-9]{5}",
                  19, 28);
}

static void test_unexpected_element(void **state)
{
    (void)state;
    char *text = edited("</leadership>", "</leadership><chief/>");
    sd_diags d = validate(text, SD_LANG_ZH);
    assert_true(d.count >= 1);
    assert_non_null(strstr(d.items[0].message, "内设机构\"办公室\"中此处不应出现chief"));
    sd_diags_free(&d);
    free(text);
}

static void test_other_root_is_one_finding(void **state)
{
    (void)state;
    sd_diags d = validate("<x:sanding xmlns:x=\"urn:wrong\"/>", SD_LANG_ZH);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].message,
                        "根元素 <sanding> 的命名空间是\"urn:wrong\"，应为\"urn:sdlint:schema:1\"");
    assert_int_equal(d.items[0].col, 1);
    sd_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_come_from_the_schema),
        cmocka_unit_test(test_sample_is_valid),
        cmocka_unit_test(test_missing_attribute),
        cmocka_unit_test(test_bad_type_names_the_base_type),
        cmocka_unit_test(test_enumeration_and_pattern),
        cmocka_unit_test(test_unexpected_element),
        cmocka_unit_test(test_other_root_is_one_finding),
        cmocka_unit_test(test_kept_contexts_give_the_same_findings),
    };
    return cmocka_run_group_tests_name("xsd", tests, setup, teardown);
}
