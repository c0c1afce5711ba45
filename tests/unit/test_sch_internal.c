/*
 * test_sch_internal.c — the engine's small helpers: match pattern to
 * selection, the XPath lexer, $param substitution, language matching,
 * whitespace normalisation, the pointer set.
 */
#include "test_sch_helpers.h"

static void check_select(const char *pattern, const char *want)
{
    char *got = sch_xp_match_to_select(pattern);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_match_to_select(void **state)
{
    (void)state;
    check_select("/", "/");
    check_select("/a/b", "/a/b");
    check_select("//a", "//a");
    check_select("a", "//a");
    check_select("a/b[@x = 'p|q']", "//a/b[@x = 'p|q']");
    check_select("@id", "//@id");
    check_select("text()", "//text()");
    check_select("a | /b |c[d|e]", "//a | /b | //c[d|e]");
    check_select("s:unit[count(s:x) > 1]", "//s:unit[count(s:x) > 1]");
    check_select("*[local-name() = $n]", "//*[local-name() = $n]");
    check_select("id('a')/b | identity", "id('a')/b | //identity");
}

static void test_lexer(void **state)
{
    (void)state;
    sch_tok *t = NULL;
    const char *e = "a and f(@b, '$x') * $v div 2 or child::*";
    long n = sch_xp_lex(e, &t);
    assert_true(n > 0);
    int kinds[] = {TK_NAME, TK_OP, TK_NAME, TK_LP, TK_AT, TK_NAME, TK_COMMA, TK_STR, TK_RP,
                   TK_OP, TK_VAR, TK_OP, TK_NUM, TK_OP, TK_NAME, TK_AXIS, TK_NAME, TK_EOF};
    assert_int_equal(n, (long)(sizeof kinds / sizeof kinds[0]));
    for (long i = 0; i < n; i++)
        assert_int_equal(t[i].kind, kinds[i]);
    assert_int_equal(t[10].len, 2); /* $v */
    free(t);
}

static void test_subst(void **state)
{
    (void)state;
    sch_arena a = {0};
    sch_param_pair p1 = {"a", "X"}, p2 = {"ab", "Y"};
    sch_param_pair *pp[] = {&p1, &p2};
    assert_string_equal(sch_subst(&a, "$a + $ab + $abc + $a-b", pp, 2), "X + Y + $abc + $a-b");
    assert_string_equal(sch_subst(&a, "no params", pp, 2), "no params");
    sch_arena_free(&a);
}

static void test_lang_and_space(void **state)
{
    (void)state;
    assert_true(sch_lang_match("zh", "zh-CN"));
    assert_true(sch_lang_match("zh-CN", "zh"));
    assert_true(sch_lang_match("EN", "en"));
    assert_false(sch_lang_match("zh", "zha"));
    assert_false(sch_lang_match("zh", NULL));
    assert_false(sch_lang_match("zh", ""));
    char s[] = "  a \n\t b   c  ";
    sch_normalize_space(s);
    assert_string_equal(s, "a b c");
}

static void test_ptrset(void **state)
{
    (void)state;
    sch_ptrset s;
    assert_int_equal(sch_ptrset_init(&s, 2), 0);
    static char v[1000];
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sch_ptrset_add(&s, &v[i]), 1);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sch_ptrset_add(&s, &v[i]), 0);
    assert_int_equal(s.n, 1000);
    sch_ptrset_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_to_select),
        cmocka_unit_test(test_lexer),
        cmocka_unit_test(test_subst),
        cmocka_unit_test(test_lang_and_space),
        cmocka_unit_test(test_ptrset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
