/*
 * test_import.c — import.h and render.h: every pattern of rules/import-zh.txt
 * matches its example with the stated groups (issue 13 item 3); a patterns
 * file that is wrong is refused with its line; figures in every form a text
 * writes them; Chinese numerals as the official text writes them; a sentence
 * no pattern reads is kept in place and listed with its line; findings'
 * XPaths map back to source lines; the output is well-formed for any bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "error.h"
#include "import.h"
#include "render.h"

static sd_import_rules *builtin(void)
{
    sd_import_rules *r = NULL;
    sd_error err = {0};
    if (sd_import_rules_builtin(&r, &err) != SD_OK)
        fail_msg("built-in patterns: %s", err.msg);
    return r;
}

static void test_examples_match(void **state)
{
    (void)state;
    sd_import_rules *r = builtin();
    sd_error err = {0};
    char *report = NULL;
    size_t fails = sd_import_rules_selftest(r, &report, &err);
    if (fails)
        fail_msg("%s", report ? report : err.msg);
    free(report);
    sd_import_rules_free(r);
}

static void test_selftest_catches_a_wrong_example(void **state)
{
    (void)state;
    static const char text[] =
        "define NUM [0-9]+\n"
        "pattern count\n"
        "match ^编制(?<n>{NUM})名$\n"
        "example 编制12名\n"
        "expect n=13\n"
        "pattern other\n"
        "match ^甲$\n"
        "example 乙\n";
    sd_import_rules *r = NULL;
    sd_error err = {0};
    assert_int_equal(sd_import_rules_load(text, sizeof text - 1, "t.txt", &r, &err), SD_OK);
    char *report = NULL;
    assert_int_equal(sd_import_rules_selftest(r, &report, &err), 2);
    assert_non_null(strstr(report, "group n is \"12\", expected \"13\""));
    assert_non_null(strstr(report, "does not match its example"));
    free(report);
    sd_import_rules_free(r);
}

static void refused(const char *text, const char *needle)
{
    sd_import_rules *r = NULL;
    sd_error err = {0};
    assert_int_not_equal(sd_import_rules_load(text, strlen(text), "bad.txt", &r, &err), SD_OK);
    assert_null(r);
    if (!strstr(err.msg, needle))
        fail_msg("error \"%s\" does not say \"%s\"", err.msg, needle);
}

static void test_bad_files_refused(void **state)
{
    (void)state;
    refused("pattern a\nmatch ^(unclosed$\n", "bad.txt:2");
    refused("pattern a\nexample x\n", "has no match line");
    refused("match ^x$\n", "outside a pattern");
    refused("pattern a\nmatch ^x$\nfrobnicate 1\n", "unknown statement");
    refused("map kind only-two\n", "map TABLE VALUE REGEX");
}

static void test_numbers(void **state)
{
    (void)state;
    assert_int_equal(sd_import_number("68"), 68);
    assert_int_equal(sd_import_number("６８"), 68);
    assert_int_equal(sd_import_number("一百二十"), 120);
    assert_int_equal(sd_import_number("一百零五"), 105);
    assert_int_equal(sd_import_number("一百一十"), 110);
    assert_int_equal(sd_import_number("十二"), 12);
    assert_int_equal(sd_import_number("二十"), 20);
    assert_int_equal(sd_import_number("两"), 2);
    assert_int_equal(sd_import_number("〇"), 0);
    assert_int_equal(sd_import_number("二〇一九"), 2019);
    assert_int_equal(sd_import_number("捌"), 8);
    assert_int_equal(sd_import_number("壹佰贰拾"), 120);
    assert_int_equal(sd_import_number("一千二百"), 1200);
    assert_int_equal(sd_import_number(""), -1);
    assert_int_equal(sd_import_number("名"), -1);
    assert_int_equal(sd_import_number("1十"), -1);
    assert_int_equal(sd_import_number("99999999999"), -1);
}

static void test_cnum(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(sd_render_cnum(1, b, sizeof b), "一");
    assert_string_equal(sd_render_cnum(10, b, sizeof b), "十");
    assert_string_equal(sd_render_cnum(12, b, sizeof b), "十二");
    assert_string_equal(sd_render_cnum(20, b, sizeof b), "二十");
    assert_string_equal(sd_render_cnum(105, b, sizeof b), "一百零五");
    assert_string_equal(sd_render_cnum(110, b, sizeof b), "一百一十");
    assert_string_equal(sd_render_cnum(0, b, sizeof b), "");
    /* what render writes, import reads */
    for (long n = 1; n <= 1200; n++)
        assert_int_equal(sd_import_number(sd_render_cnum(n, b, sizeof b)), n);
}

static void import_text(const char *text, sd_import_result *res)
{
    sd_import_rules *r = builtin();
    sd_import_para *paras = NULL;
    size_t n = 0;
    sd_error err = {0};
    assert_int_equal(sd_import_split_lines(text, strlen(text), &paras, &n, &err), SD_OK);
    assert_int_equal(sd_import_run(r, paras, n, res, &err), SD_OK);
    /* well-formed, whatever the text */
    xmlDocPtr d = xmlReadMemory(res->xml, (int)res->xml_len, "x.xml", NULL, XML_PARSE_NONET);
    if (!d)
        fail_msg("not well-formed:\n%s", res->xml);
    xmlFreeDoc(d);
    free(paras);
    sd_import_rules_free(r);
}

static const char TEXT[] =
    "\xEF\xBB\xBF甲市乙局职能配置、内设机构和人员编制规定\r\n"
    "甲委办发〔2019〕1号\r\n"
    "\r\n"
    "第一条　根据《甲市机构改革方案》（甲委〔2019〕2号），制定本规定。\r\n"
    "第二条甲市乙局是市政府工作部门，为正处级。这一句没有句式--能读。\r\n"
    "第三条　甲市乙局设下列内设机构：\r\n"
    "（一）办公室。负责机关日常运转。\r\n"
    "第四条　甲市乙局机关行政编制十二名。设局长1名，副局长两名；正科级领导职数１名。\r\n";

static void test_import_reads_and_keeps(void **state)
{
    (void)state;
    sd_import_result res;
    import_text(TEXT, &res);
    assert_non_null(strstr(res.xml, "<title>甲市乙局职能配置、内设机构和人员编制规定</title>"));
    assert_non_null(strstr(res.xml, "<docNumber>甲委〔2019〕2号</docNumber>"));
    assert_non_null(strstr(res.xml, "kind=\"government-department\""));
    assert_non_null(strstr(res.xml, "<allocation type=\"administrative\" posts=\"12\"/>"));
    assert_non_null(strstr(res.xml, "deputy=\"2\""));
    assert_non_null(strstr(res.xml, "<level rank=\"正科级\" count=\"1\"/>"));
    /* the sentence no pattern reads: kept in place, listed with its line */
    assert_int_equal(res.nunparsed, 1);
    assert_int_equal(res.unparsed[0].line, 5);
    assert_string_equal(res.unparsed[0].text, "这一句没有句式--能读。");
    assert_non_null(strstr(res.xml, "<!-- SD301 第5行 未识别: 这一句没有句式- -能读。 -->"));
    /* no figure is made up: the unit's posts and rank were not stated */
    assert_null(strstr(res.xml, "posts=\"0\""));
    assert_null(strstr(res.xml, "<unit name=\"办公室\" category"));
    /* positions back to the text */
    assert_int_equal(sd_import_source_line(&res, "/sd:sanding[1]/sd:internalUnits[1]/sd:unit[1]/@posts"), 7);
    assert_int_equal(sd_import_source_line(&res, "/sd:sanding[1]/sd:staffing[1]/sd:leadershipTeam[1]"), 8);
    assert_int_equal(sd_import_source_line(&res, "/sd:sanding[1]/sd:agency[1]"), 5);
    assert_int_equal(sd_import_source_line(&res, "/sd:sanding[1]/sd:nothing[3]"), 1);
    assert_int_equal(sd_import_source_line(&res, ""), 0);
    sd_import_result_free(&res);
}

static void test_any_bytes_give_well_formed_xml(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "第一条", "（一）", "(二)", "。", "；", "，", "加挂", "牌子", "编制", "名", "1", "一百",
        "\x01", "\xff", "\xe3\x80", "--", "-", "]]>", "<&>", "\"'", "\n", "\r\n", "附：机构编制数据",
        "内设机构（一）：业务类，正处级，编制", "设局长", "根据《", "》（", "）", "本规定自", "\t", "\xEF\xBF\xBE"};
    uint32_t seed = 13;
    for (int round = 0; round < 300; round++) {
        char text[2048];
        size_t len = 0;
        int parts = (int)(seed % 60);
        for (int k = 0; k < parts; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            size_t pl = strlen(p);
            if (len + pl >= sizeof text)
                break;
            memcpy(text + len, p, pl);
            len += pl;
        }
        text[len] = 0;
        seed = seed * 1103515245u + 12345u;
        sd_import_result res;
        import_text(text, &res);
        sd_import_result_free(&res);
    }
}

static void test_render_round_trips_in_memory(void **state)
{
    (void)state;
    static const char xml[] =
        "<sanding xmlns=\"urn:sdlint:schema:1\"><meta><title>甲市乙局职能配置、内设机构和人员编制规定</title>"
        "<docNumber>甲委办发〔2019〕1号</docNumber><issuer>中共甲市委办公室</issuer>"
        "<approvalDate>2019-01-02</approvalDate></meta>"
        "<agency name=\"甲市乙局\" kind=\"department-managed\" rank=\"副处级\">"
        "<managedBy name=\"甲市丙局\" relation=\"managed\"/></agency></sanding>";
    xmlDocPtr d = xmlReadMemory(xml, sizeof xml - 1, "x.xml", NULL, 0);
    assert_non_null(d);
    sd_render_doc rd;
    sd_error err = {0};
    assert_int_equal(sd_render_sanding(d, &rd, &err), SD_OK);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(sd_render_text(&rd, &text, &len, &err), SD_OK);
    assert_int_equal(rd.items[0].style, SD_RENDER_TITLE);
    assert_non_null(strstr(text, "（2019年1月2日批准，中共甲市委办公室印发）\n"));
    assert_non_null(strstr(text, "第一条　甲市乙局是部门管理机构，为副处级。甲市乙局由甲市丙局管理。\n"));
    sd_import_result res;
    import_text(text, &res);
    assert_int_equal(res.nunparsed, 0);
    assert_non_null(strstr(res.xml, "<managedBy name=\"甲市丙局\" relation=\"managed\"/>"));
    assert_non_null(strstr(res.xml, "<approvalDate>2019-01-02</approvalDate>"));
    sd_import_result_free(&res);
    free(text);
    sd_render_doc_free(&rd);
    xmlFreeDoc(d);
    /* not a 三定 */
    d = xmlReadMemory("<reformPlan xmlns=\"urn:sdlint:schema:1\"/>", 41, "p.xml", NULL, 0);
    assert_int_equal(sd_render_sanding(d, &rd, &err), SD_EINVAL);
    xmlFreeDoc(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_match),
        cmocka_unit_test(test_selftest_catches_a_wrong_example),
        cmocka_unit_test(test_bad_files_refused),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_cnum),
        cmocka_unit_test(test_import_reads_and_keeps),
        cmocka_unit_test(test_any_bytes_give_well_formed_xml),
        cmocka_unit_test(test_render_round_trips_in_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
