/*
 * test_names.c — names.h: the comparable form (full-width folding, blanks,
 * trailing punctuation, bytes that are not UTF-8 kept whole), the local part
 * and party forms of catalogue.xsd, the distance in characters and "did you
 * mean" with aliases, thresholds and deterministic ties.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "names.h"

static void norm_is(const char *in, const char *want)
{
    char *got = sd_names_normalize(in);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("normalize(\"%s\") = \"%s\", want \"%s\"", in, got, want);
    /* In place gives the same. */
    char *copy = strdup(in);
    size_t n = sd_names_normalize_n(copy, strlen(copy), copy);
    assert_int_equal(n, strlen(want));
    assert_string_equal(copy, want);
    /* Normalising twice changes nothing. */
    char *again = sd_names_normalize(got);
    assert_string_equal(again, got);
    free(again);
    free(copy);
    free(got);
}

static void test_fullwidth(void **state)
{
    (void)state;
    norm_is("ＡＢＣ１２３", "ABC123");
    norm_is("自然资源局（试行）", "自然资源局(试行)");
    norm_is("第２条", "第2条");
    norm_is("！～", "!~");                  /* U+FF01 and U+FF5E, the range's ends */
    norm_is("｟", "｟");                    /* U+FF5F: outside, kept */
    norm_is("ｱ", "ｱ");                     /* half-width katakana: not folded */
    norm_is("青委办发〔２０１９〕８号", "青委办发〔2019〕8号");
    norm_is("ａｂｃ", "abc");               /* case kept, only width folded */
    norm_is("ＳＤ１０１", "SD101");
}

static void test_blanks(void **state)
{
    (void)state;
    norm_is("  自然资源局  ", "自然资源局");
    norm_is("自然资源\n      局", "自然资源局");       /* pretty-printed over lines */
    norm_is("自然\t资源\r\n局", "自然资源局");
    norm_is("自然　资源局", "自然资源局");            /* U+3000 */
    norm_is("自然\xC2\xA0资源局", "自然资源局");      /* U+00A0 */
    norm_is("Office   of\n the  Leading Group", "Office of the Leading Group");
    norm_is("Office　of", "Office of");              /* U+3000 between ASCII: one space */
    norm_is("SD 自然", "SD自然");
    norm_is("自然 SD", "自然SD");
    norm_is("   ", "");
    norm_is("", "");
    norm_is("\n\t\r 　", "");
}

static void test_trailing_punctuation(void **state)
{
    (void)state;
    norm_is("负责全市自然资源统一确权登记工作。", "负责全市自然资源统一确权登记工作");
    norm_is("负责全市自然资源统一确权登记工作；", "负责全市自然资源统一确权登记工作");
    norm_is("负责全市自然资源统一确权登记工作;", "负责全市自然资源统一确权登记工作");
    norm_is("负责全市自然资源统一确权登记工作，", "负责全市自然资源统一确权登记工作");
    norm_is("负责登记工作、", "负责登记工作");
    norm_is("负责登记工作：", "负责登记工作");
    norm_is("负责登记工作．", "负责登记工作");
    norm_is("负责登记工作｡", "负责登记工作");
    norm_is("负责登记工作､", "负责登记工作");
    norm_is("负责登记工作。；  ，\n", "负责登记工作");   /* however much, blanks between */
    norm_is("a . ;", "a");
    /* Inside, punctuation stays. */
    norm_is("负责规划、登记，监督。", "负责规划、登记,监督");
    /* Closing quotes and brackets stay. */
    norm_is("负责“三定”", "负责“三定”");
    norm_is("自然资源局（试行）。", "自然资源局(试行)");
    norm_is("完成市委、市政府交办的其他任务。", "完成市委、市政府交办的其他任务");
    norm_is("。", "");
    norm_is("?", "?");
}

static void test_not_utf8(void **state)
{
    (void)state;
    /* Kept byte for byte, never folded, never taken for punctuation, never cut. */
    norm_is("\xff", "\xff");
    norm_is("自然\xff资源", "自然\xff资源");
    norm_is("ab \xff", "ab\xff");              /* a blank next to it goes, as next to any non-ASCII */
    norm_is("局\xe3\x80", "局\xe3\x80");         /* a cut 。 (E3 80 82) is not 。 */
    norm_is("局。\xe3", "局。\xe3");             /* the 。 before it is not trailing */
    norm_is("\xef\xbc", "\xef\xbc");             /* a cut full-width character */
    norm_is("\xc0\xae", "\xc0\xae");             /* overlong "." */
    norm_is("\xed\xa0\x80", "\xed\xa0\x80");     /* a surrogate */
    /* Every result is valid UTF-8 where the input was. */
    const char *in = "ＡＢ\xe6\x9c\xac 　。";
    char *got = sd_names_normalize(in);
    assert_string_equal(got, "AB本");
    free(got);
    /* A NUL inside a counted input is kept too. */
    char buf[8];
    size_t n = sd_names_normalize_n("a\0b", 3, buf);
    assert_int_equal(n, 3);
    assert_memory_equal(buf, "a\0b", 3);
    got = sd_names_normalize(NULL);
    assert_string_equal(got, "");
    free(got);
}

static void local_is(const char *name, const char *jur, const char *want, sd_names_form form,
                     int jurisdiction, int committee)
{
    sd_names_split sp;
    char *got = sd_names_local_part(name, jur, &sp);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("local_part(\"%s\", \"%s\") = \"%s\", want \"%s\"", name, jur ? jur : "(null)", got,
                 want);
    assert_int_equal(sp.form, form);
    assert_int_equal(sp.jurisdiction, jurisdiction);
    assert_int_equal(sp.committee, committee);
    assert_int_equal(sd_names_party_form(name, jur), form);
    /* the same split of the forms already normalised, in place */
    char *n = sd_names_normalize(name), *j = jur ? sd_names_normalize(jur) : NULL;
    sd_names_split sp2;
    size_t off = sd_names_local_offset(n, j, &sp2);
    assert_string_equal(n + off, got);
    assert_memory_equal(&sp2, &sp, sizeof sp);
    free(n);
    free(j);
    free(got);
}

static void test_local_part(void **state)
{
    (void)state;
    /* catalogue.xsd's examples */
    local_is("中共沈阳市委组织部", "沈阳市", "组织部", SD_NAMES_ZHONGGONG, 1, 1);
    local_is("沈阳市自然资源局", "沈阳市", "自然资源局", SD_NAMES_PLAIN, 1, 0);
    local_is("沈阳市人民政府办公厅", "沈阳市", "人民政府办公厅", SD_NAMES_PLAIN, 1, 0);
    local_is("中共康平县委办公室", "康平县", "办公室", SD_NAMES_ZHONGGONG, 1, 1);
    /* the full form */
    local_is("中国共产党沈阳市委员会组织部", "沈阳市", "组织部", SD_NAMES_FULL, 1, 1);
    local_is("中国共产党沈阳市委员会", "沈阳市", "", SD_NAMES_FULL, 1, 1);
    local_is("中国共产党沈阳市委员会宣传部", "沈阳市", "宣传部", SD_NAMES_FULL, 1, 1);
    local_is("中国共产党沈阳市纪律检查委员会", "沈阳市", "纪律检查委员会", SD_NAMES_FULL, 1, 0);
    /* the committee itself */
    local_is("中共沈阳市委", "沈阳市", "", SD_NAMES_ZHONGGONG, 1, 1);
    local_is("中共沈阳市委员会", "沈阳市", "", SD_NAMES_ZHONGGONG, 1, 1);
    /* no prefix, 委 after the jurisdiction */
    local_is("沈阳市委组织部", "沈阳市", "组织部", SD_NAMES_COMMITTEE, 1, 1);
    local_is("沈阳市委党校", "沈阳市", "党校", SD_NAMES_COMMITTEE, 1, 1);
    local_is("沈阳市委员会办公室", "沈阳市", "办公室", SD_NAMES_COMMITTEE, 1, 1);
    /* 委 not right after the jurisdiction stays */
    local_is("沈阳市发展和改革委员会", "沈阳市", "发展和改革委员会", SD_NAMES_PLAIN, 1, 0);
    local_is("沈阳市卫生健康委员会", "沈阳市", "卫生健康委员会", SD_NAMES_PLAIN, 1, 0);
    local_is("中共沈阳市纪委", "沈阳市", "纪委", SD_NAMES_ZHONGGONG, 1, 0);
    /* another jurisdiction: only the prefix goes */
    local_is("中共康平县委办公室", "沈阳市", "康平县委办公室", SD_NAMES_ZHONGGONG, 0, 0);
    local_is("法库县自然资源局", "康平县", "法库县自然资源局", SD_NAMES_PLAIN, 0, 0);
    /* already a local part, as the catalogue writes it */
    local_is("组织部", "沈阳市", "组织部", SD_NAMES_PLAIN, 0, 0);
    local_is("自然资源厅", "辽宁省", "自然资源厅", SD_NAMES_PLAIN, 0, 0);
    /* no jurisdiction given */
    local_is("中共沈阳市委组织部", NULL, "沈阳市委组织部", SD_NAMES_ZHONGGONG, 0, 0);
    local_is("中国共产党沈阳市委员会组织部", "", "沈阳市委员会组织部", SD_NAMES_FULL, 0, 0);
    local_is("沈阳市自然资源局", NULL, "沈阳市自然资源局", SD_NAMES_PLAIN, 0, 0);
    /* normalised first: blanks, widths, a trailing 。 — in name and jurisdiction */
    local_is("中共 沈阳市委\n    组织部。", "沈阳市", "组织部", SD_NAMES_ZHONGGONG, 1, 1);
    local_is("中国共产党\n沈阳市委员会　组织部", " 沈阳市 ", "组织部", SD_NAMES_FULL, 1, 1);
    local_is("沈阳市自然资源局（林业局）", "沈阳市", "自然资源局(林业局)", SD_NAMES_PLAIN, 1, 0);
    /* a province and a county */
    local_is("中共辽宁省委组织部", "辽宁省", "组织部", SD_NAMES_ZHONGGONG, 1, 1);
    local_is("康平县人民政府办公室", "康平县", "人民政府办公室", SD_NAMES_PLAIN, 1, 0);
    local_is("中共沈北新区委员会办公室", "沈北新区", "办公室", SD_NAMES_ZHONGGONG, 1, 1);
    /* the name is the jurisdiction */
    local_is("沈阳市", "沈阳市", "", SD_NAMES_PLAIN, 1, 0);
    /* a prefix alone, or half of one */
    local_is("中共", "沈阳市", "", SD_NAMES_ZHONGGONG, 0, 0);
    local_is("中国共产", "沈阳市", "中国共产", SD_NAMES_PLAIN, 0, 0);
    local_is("中", "沈阳市", "中", SD_NAMES_PLAIN, 0, 0);
    local_is("", "沈阳市", "", SD_NAMES_PLAIN, 0, 0);
    /* bytes that are not UTF-8 never make a match, nor a crash */
    local_is("中共\xff沈阳市委组织部", "沈阳市", "\xff沈阳市委组织部", SD_NAMES_ZHONGGONG, 0, 0);
    local_is("中\xe5\x85", "沈阳市", "中\xe5\x85", SD_NAMES_PLAIN, 0, 0);
    local_is("沈阳市\xe5\xa7组织部", "沈阳市", "\xe5\xa7组织部", SD_NAMES_PLAIN, 1, 0); /* a cut 委 */
    assert_string_equal(sd_names_form_name(SD_NAMES_FULL), "full");
    assert_string_equal(sd_names_form_name(SD_NAMES_COMMITTEE), "committee");
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(sd_names_distance("自然资源厅", "自然资源部"), 1);
    assert_int_equal(sd_names_distance("自然资源局", "自然资源和规划局"), 3);
    assert_int_equal(sd_names_distance("卫生健康委", "卫生健康委员会"), 2);
    assert_int_equal(sd_names_distance("", "组织部"), 3);
    assert_int_equal(sd_names_distance("组织部", ""), 3);
    assert_int_equal(sd_names_distance("组织部", "组织部"), 0);
    assert_int_equal(sd_names_distance("应急管理局", "管理应急局"), 4);
    assert_int_equal(sd_names_distance("SD101", "sd101"), 0); /* ASCII case */
    assert_int_equal(sd_names_distance("ab", "ba"), 2);
    /* Bytes would say 3 for one character. */
    assert_int_equal(sd_names_distance("厅", "部"), 1);
    /* A byte that is not UTF-8 is one character, equal only to itself. */
    assert_int_equal(sd_names_distance("局\xff", "局\xfe"), 1);
    assert_int_equal(sd_names_distance("局\xff", "局\xff"), 0);
    assert_int_equal(sd_names_distance("\xe5\xb1", "局"), 2); /* a cut 局 is two bytes */
    assert_int_equal(sd_names_distance(NULL, "a"), 1);
    assert_int_equal(sd_names_length("自然资源厅"), 5);
    assert_int_equal(sd_names_length("ab\xff局"), 4);
    assert_int_equal(sd_names_length(NULL), 0);
}

/* A catalogue: entries and their aliases. */
static const sd_names_candidate CAT[] = {
    {"自然资源厅", NULL},                /* 0 */
    {"自然资源和规划局", "自然资源厅"},  /* 1 */
    {"卫生健康委员会", NULL},            /* 2 */
    {"应急管理厅", NULL},                /* 3 */
    {"文化和旅游厅", NULL},              /* 4 */
    {"文化旅游和广播电视局", "文化和旅游厅"}, /* 5 */
    {"广播电视局", NULL},                /* 6 */
    {"民政厅", NULL},                    /* 7 */
    {"财政厅", NULL},                    /* 8 */
    {"生态环境厅", NULL},                /* 9 */
    {"自然资源局", "自然资源厅"},        /* 10 */
};
#define NCAT (sizeof CAT / sizeof CAT[0])

static size_t suggest(const char *name, sd_names_suggestion *out, size_t max)
{
    size_t n = sd_names_suggest(name, CAT, NCAT, out, max);
    assert_int_not_equal(n, (size_t)-1);
    return n;
}

static void test_suggest(void **state)
{
    (void)state;
    sd_names_suggestion s[4];
    /* A province's name used at a city: one character off. */
    size_t n = suggest("自然资源部", s, 4);
    assert_true(n >= 1);
    /* 自然资源厅 (entry, 1) and 自然资源局 (alias of it, 1): one entry, its own name first. */
    assert_int_equal(s[0].index, 0);
    assert_int_equal(s[0].distance, 1);
    for (size_t i = 1; i < n; i++)
        assert_true(s[i].index != 10 && s[i].index != 1);
    /* Through an alias: 自然资源和规划处 is one off the alias, far from the entry. */
    n = suggest("自然资源和规划处", s, 4);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].index, 1);
    assert_string_equal(CAT[s[0].index].alias_of, "自然资源厅");
    /* Short form of a longer name: 2 of 7. */
    n = suggest("卫生健康委", s, 4);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].index, 2);
    assert_int_equal(s[0].distance, 2);
    /* Normalised first: blanks, widths, a trailing 。. */
    n = suggest(" 应急管理\n 局。", s, 4);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].index, 3);
    /* Nothing close: nothing. */
    assert_int_equal(suggest("审计局", s, 4), 0);
    assert_int_equal(suggest("", s, 4), 0);
    assert_int_equal(suggest("市场监督管理局", s, 4), 0);
    /* Ties: by distance, then candidate order — 民政厅 before 财政厅 for 某政厅. */
    n = suggest("税政厅", s, 4);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].index, 7);
    assert_int_equal(s[1].index, 8);
    /* max bounds the answer. */
    assert_int_equal(suggest("税政厅", s, 1), 1);
    assert_int_equal(s[0].index, 7);
    assert_int_equal(suggest("税政厅", s, 0), 0);
    /* An exact name is distance 0. */
    n = suggest("广播电视局", s, 4);
    assert_true(n >= 1);
    assert_int_equal(s[0].index, 6);
    assert_int_equal(s[0].distance, 0);
    /* An exact alias: the alias, and not its entry again. */
    n = suggest("文化旅游和广播电视局", s, 4);
    assert_int_equal(s[0].index, 5);
    assert_int_equal(s[0].distance, 0);
    for (size_t i = 1; i < n; i++)
        assert_true(s[i].index != 4);
    /* Invalid bytes: no crash, compared as characters. */
    n = suggest("自然资源\xff", s, 4);
    assert_true(n >= 1);
    assert_int_equal(s[0].index, 0);
    assert_int_equal(sd_names_suggest("x", NULL, 0, s, 4), 0);
}

static void test_suggest_order_is_the_same_every_time(void **state)
{
    (void)state;
    /* Same distance from every candidate: candidate order decides. */
    const sd_names_candidate c[] = {{"乙局", NULL}, {"甲局", NULL}, {"丙局", "甲局"}, {"丁局", NULL}};
    sd_names_suggestion s[4];
    size_t n = sd_names_suggest("戊局", c, 4, s, 4);
    assert_int_equal(n, 3);
    assert_int_equal(s[0].index, 0);
    assert_int_equal(s[1].index, 1); /* 甲局 itself; its alias 丙局 is not repeated */
    assert_int_equal(s[2].index, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fullwidth),
        cmocka_unit_test(test_blanks),
        cmocka_unit_test(test_trailing_punctuation),
        cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_local_part),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_suggest_order_is_the_same_every_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
