/*
 * test_sch_fn.c — the urn:sdlint:functions extension functions (PCRE2 regex,
 * param) and rule parameters: override beats tier beats document tier beats
 * default; declarations exposed to callers.
 */
#include "test_sch_helpers.h"

#include <time.h>

/* Evaluates expr with the root as context and returns the string of the
 * single report's message (the value-of of expr). */
static char *value_of(const char *expr, const char *xml)
{
    char sch[2048];
    snprintf(sch, sizeof sch,
             SCH_OPEN "<sch:pattern><sch:rule context='/'><sch:report id='V' test='true()'>"
                      "[<sch:value-of select=\"%s\"/>]</sch:report></sch:rule></sch:pattern>" SCH_CLOSE,
             expr);
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    sd_status st = run_str(p, xml ? xml : "<d/>", &d, NULL, &err);
    if (st != SD_OK)
        fprintf(stderr, "%s: %s\n", expr, err.msg);
    assert_int_equal(st, SD_OK);
    assert_int_equal(d.count, 1);
    char *s = strdup(d.items[0].message);
    sd_diags_free(&d);
    sd_sch_free(p);
    return s;
}

static void check_value(const char *expr, const char *xml, const char *want)
{
    char *got = value_of(expr, xml);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "%s gave %s, want %s\n", expr, got, want);
    assert_string_equal(got, want);
    free(got);
}

static void test_matches(void **state)
{
    (void)state;
    check_value("sdl:matches('abc', 'b')", NULL, "[true]");
    check_value("sdl:matches('abc', '^b')", NULL, "[false]");
    check_value("sdl:matches('ABC', 'b', 'i')", NULL, "[true]");
    check_value("sdl:matches('a&#10;', 'a$')", NULL, "[false]"); /* $ only at the very end */
    check_value("sdl:matches('a&#10;b', '^b$', 'm')", NULL, "[true]");
    check_value("sdl:matches('办公室', '^\\p{Han}{3}$')", NULL, "[true]");
    check_value("sdl:matches('ｘ', '^\\w$')", NULL, "[true]"); /* UCP: \\w is Unicode */
    check_value("sdl:matches('a.b', '.', 'q')", NULL, "[true]");
    check_value("sdl:matches('ab', '.', 'q')", NULL, "[false]");
    /* dynamic pattern from the document, cached per run */
    check_value("count(//u[sdl:matches(@n, /d/@re)])", "<d re='^[0-9]+$'><u n='12'/><u n='x'/><u n='3'/></d>", "[2]");
}

static void test_replace_and_tokenize(void **state)
{
    (void)state;
    check_value("sdl:replace('2019-01-02', '(\\d+)-(\\d+)-(\\d+)', '$3.$2.$1')", NULL, "[02.01.2019]");
    check_value("sdl:replace('aXbX', 'x', '-', 'i')", NULL, "[a-b-]");
    check_value("sdl:replace('a$b', '\\$', '\\$\\$')", NULL, "[a$$b]");
    check_value("sdl:replace('abc', 'z', 'y')", NULL, "[abc]");
    check_value("count(sdl:tokenize('a, b,c', ',\\s*'))", NULL, "[3]");
    check_value("sdl:tokenize('a, b,c', ',\\s*')[2]", NULL, "[b]");
    check_value("count(sdl:tokenize('', ','))", NULL, "[0]");
    check_value("count(sdl:tokenize(',a', ','))", NULL, "[2]"); /* leading empty token */
    check_value("sdl:tokenize('x y', ' ') = 'y'", NULL, "[true]");
}

static sd_status run_expr_status(const char *expr, sd_error *err)
{
    char sch[2048];
    snprintf(sch, sizeof sch,
             SCH_OPEN "<sch:pattern><sch:rule context='/'>\n<sch:report id='V' test=\"%s\">x</sch:report>"
                      "</sch:rule></sch:pattern>" SCH_CLOSE,
             expr);
    sd_sch_pack *p = NULL;
    sd_status st = compile_str(sch, NULL, &p, err);
    if (st != SD_OK)
        return st;
    sd_diags d;
    st = run_str(p, "<d s='aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab'/>", &d, NULL, err);
    sd_diags_free(&d);
    sd_sch_free(p);
    return st;
}

static void test_regex_errors_and_limits(void **state)
{
    (void)state;
    sd_error err;
    /* catastrophic backtracking ends quickly with SD_ELIMIT, naming the rule */
    clock_t t0 = clock();
    assert_int_equal(run_expr_status("sdl:matches(/d/@s, '(a+)+$')", &err), SD_ELIMIT);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 5.0);
    assert_non_null(strstr(err.msg, "match limit"));
    assert_non_null(strstr(err.msg, "(a+)+$"));
    assert_string_equal(err.file, "mem.sch");
    assert_int_equal(err.line, 4);
    /* the same pattern on a short subject is fine */
    assert_int_equal(run_expr_status("sdl:matches('aab', '(a+)+$')", &err), SD_OK);
    /* a pattern matching the empty string is refused by replace and tokenize */
    assert_int_equal(run_expr_status("sdl:replace('abc', 'x*', '-') = ''", &err), SD_ERULES);
    assert_non_null(strstr(err.msg, "matches the empty string"));
    assert_int_equal(run_expr_status("count(sdl:tokenize('abc', 'x?')) = 1", &err), SD_ERULES);
    /* bad replacement string */
    assert_int_equal(run_expr_status("sdl:replace('abc', 'b', '$x') = ''", &err), SD_ERULES);
    assert_non_null(strstr(err.msg, "bad replacement"));
    /* wrong arity is a compile error */
    assert_int_equal(run_expr_status("sdl:matches('a')", &err), SD_ERULES);
    assert_non_null(strstr(err.msg, "wrong number of arguments"));
}

/* A subject of n characters of a and b, as an attribute of <d>. */
static char *ab_doc(size_t n)
{
    char *xml = malloc(n + 16);
    assert_non_null(xml);
    memcpy(xml, "<d s='", 6);
    for (size_t i = 0; i < n; i++)
        xml[6 + i] = "ab"[i % 3 == 0];
    memcpy(xml + 6 + n, "'/>", 4);
    return xml;
}

/* A deep but linear match needs more than PCRE2's default 32 KiB JIT stack
 * (4 MiB here): the run's own stack grows instead of failing with a limit. */
static void test_regex_deep_linear_match(void **state)
{
    (void)state;
    char *xml = ab_doc(100000);
    check_value("sdl:matches(/d/@s, '^(?:a|b)*$')", xml, "[true]");
    check_value("sdl:matches(/d/@s, concat('^(?:a|b)*', '$'))", xml, "[true]"); /* dynamic */
    check_value("sdl:matches(concat(/d/@s, 'c'), '^(?:a|b)*$')", xml, "[false]");
    check_value("count(sdl:tokenize(/d/@s, '^(?:a|b)+$'))", xml, "[2]");
    free(xml);
}

/* The limits hold for a pattern met only at run time, whether or not the pack
 * has literal patterns: this one succeeds after about 4 million steps, past
 * SCH_REGEX_MATCH_LIMIT (PCRE2's own default would let it through). */
static void test_regex_limit_dynamic_pattern(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='/d'>\n"
        "<sch:report id='M' test='sdl:matches(@s, @p)'>m</sch:report>"
        "</sch:rule></sch:pattern>" SCH_CLOSE;
    const char *xml = "<d s='aaaaaaaaaaaaaaaaaaaaaz' p='^(?:(a+)+b|.*z)'/>";
    const char *quick = "<d s='aaaaaaaaaz' p='^(?:(a+)+b|.*z)'/>";
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, quick, &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 1);
    sd_diags_free(&d);
    assert_int_equal(run_str(p, xml, &d, NULL, &err), SD_ELIMIT);
    assert_non_null(strstr(err.msg, "match limit"));
    assert_int_equal(err.line, 4);
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* tokenize() and replace() with n matches cost O(subject + n): 100,000
 * matches take milliseconds (they took tens of seconds when PCRE2 re-checked
 * the rest of the subject's UTF-8 at every match, and each token was checked
 * against all earlier ones). */
static void test_regex_many_matches_linear(void **state)
{
    (void)state;
    const size_t n = 100000;
    sch_buf b = {0};
    sch_buf_adds(&b, "<d s='");
    for (size_t i = 0; i <= n; i++)
        sch_buf_adds(&b, i ? ",数a" : "数a");
    sch_buf_adds(&b, "'/>");
    assert_false(b.oom);
    clock_t t0 = clock();
    check_value("count(sdl:tokenize(/d/@s, ','))", sch_buf_str(&b), "[100001]");
    check_value("sdl:tokenize(/d/@s, ',')[last()]", sch_buf_str(&b), "[数a]");
    check_value("string-length(sdl:replace(/d/@s, ',', ';;'))", sch_buf_str(&b), "[400002]");
    check_value("substring(sdl:replace(/d/@s, '(数)(a)', '$2$1'), 1, 7)", sch_buf_str(&b),
                "[a数,a数,a]");
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 3.0);
    sch_buf_free(&b);
}

/* The run's regex environment: the JIT stack grows on overflow up to its cap,
 * then the interpreter takes over under the depth and heap limits; a
 * catastrophic pattern stops at the match limit either way. */
static int env_match(sch_regex_env *e, const char *pattern, const char *s)
{
    sd_status st = SD_OK;
    char why[256];
    const pcre2_code *code = sch_regex_get(e, pattern, "", &st, why, sizeof why);
    assert_non_null(code);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    assert_non_null(md);
    int rc = sch_regex_match(e, code, s, strlen(s), 0, 0, md);
    pcre2_match_data_free(md);
    return rc;
}

static void test_regex_env_jit_stack_and_fallback(void **state)
{
    (void)state;
    uint32_t jit = 0;
    pcre2_config(PCRE2_CONFIG_JIT, &jit);
    char *xml = ab_doc(100000);
    xml[6 + 100000] = '\0';
    const char *s = xml + 6;
    const char *deep = "^(?:a|b)*$";
    sch_regex_env e;

    assert_int_equal(sch_regex_env_init(&e), 0); /* default cap */
    assert_int_equal(env_match(&e, deep, s), 1);
    if (jit)
        assert_int_equal(e.jit_size, (size_t)4 << 20); /* 1 MiB, then 4 MiB */
    assert_int_equal(env_match(&e, deep, s), 1);      /* the grown stack is kept */
    sch_regex_env_free(&e);

    assert_int_equal(sch_regex_env_init(&e), 0); /* cap below the need */
    e.jit_max = (size_t)1 << 20;
    assert_int_equal(env_match(&e, deep, s), 1); /* the interpreter finished it */
    if (jit)
        assert_int_equal(e.jit_size, (size_t)1 << 20);
    sch_regex_env_free(&e);

    assert_int_equal(sch_regex_env_init(&e), 0); /* interpreter only */
    e.jit_max = 0;
    assert_int_equal(env_match(&e, deep, s), 1);
    assert_null(e.jit);
    assert_int_equal(env_match(&e, "(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"),
                     PCRE2_ERROR_MATCHLIMIT);
    /* the heap limit bounds the interpreter's memory (PCRE2's default: 20 GB) */
    size_t big = (size_t)3 << 20;
    char *t = malloc(big + 1);
    assert_non_null(t);
    memset(t, 'a', big);
    t[big] = '\0';
    int rc = env_match(&e, deep, t);
    assert_true(rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT);
    free(t);
    sch_regex_env_free(&e);
    free(xml);
}

static const char *param_pack =
    SCH_OPEN
    "<sch:ns prefix='s' uri='urn:sd'/>\n"
    "<sdl:tier-select value='string(/s:doc/@tier)'/>\n"
    "<sdl:param name='min-unit-posts' default='4'>\n"
    "  <sch:title>Minimum posts</sch:title><sch:title xml:lang='zh'>最少编制</sch:title>\n"
    "  <sch:p>Units with fewer posts must be merged.</sch:p>\n"
    "  <sdl:tier name='province' value='5'/><sdl:tier name='county' value=''/>\n"
    "</sdl:param>\n"
    "<sdl:param name='other'/>\n"
    "<sch:pattern><sch:rule context='/'><sch:report id='P' test='true()'>"
    "[<sch:value-of select=\"sdl:param('min-unit-posts')\"/>]"
    "</sch:report></sch:rule></sch:pattern>" SCH_CLOSE;

static char *param_for(const char *tier_attr, const char *forced, const char *override)
{
    sd_sch_options opt = {0};
    sd_sch_param ov = {"min-unit-posts", override};
    opt.tier = forced;
    if (override != NULL) {
        opt.params = &ov;
        opt.param_count = 1;
    }
    sd_sch_pack *p = must_compile(param_pack, &opt);
    char xml[200];
    snprintf(xml, sizeof xml, "<doc xmlns='urn:sd' tier='%s'/>", tier_attr);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, xml, &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 1);
    char *s = strdup(d.items[0].message);
    sd_diags_free(&d);
    sd_sch_free(p);
    return s;
}

static void check_param(const char *tier_attr, const char *forced, const char *override,
                         const char *want)
{
    char *got = param_for(tier_attr, forced, override);
    assert_string_equal(got, want);
    free(got);
}

static void test_param_precedence(void **state)
{
    (void)state;
    check_param("prefecture", NULL, NULL, "[4]"); /* no entry for the tier: default */
    check_param("province", NULL, NULL, "[5]");   /* the document's tier */
    check_param("county", NULL, NULL, "[]");      /* unset at that tier */
    check_param("county", "province", NULL, "[5]"); /* forced tier beats the document's */
    check_param("province", "county", NULL, "[]");
    check_param("province", "province", "7", "[7]"); /* override beats everything */
    check_param("county", NULL, "", "[]");
}

static void test_param_declarations(void **state)
{
    (void)state;
    sd_sch_options opt = {0};
    opt.lang = "zh";
    sd_sch_pack *p = must_compile(param_pack, &opt);
    assert_int_equal(sd_sch_param_count(p), 2);
    const sd_sch_param_info *pi = sd_sch_param_at(p, 0);
    assert_string_equal(pi->name, "min-unit-posts");
    assert_string_equal(pi->default_value, "4");
    assert_int_equal(pi->tier_count, 2);
    assert_string_equal(pi->tiers[0].tier, "province");
    assert_string_equal(pi->tiers[0].value, "5");
    assert_string_equal(pi->tiers[1].tier, "county");
    assert_string_equal(pi->tiers[1].value, "");
    assert_string_equal(pi->title, "最少编制");
    assert_string_equal(pi->doc, "Units with fewer posts must be merged.");
    assert_null(pi->override_value);
    pi = sd_sch_param_at(p, 1);
    assert_string_equal(pi->name, "other");
    assert_string_equal(pi->default_value, "");
    assert_int_equal(pi->tier_count, 0);
    assert_string_equal(pi->title, "");
    assert_null(sd_sch_param_at(p, 2));
    assert_string_equal(sd_sch_param_value(p, "min-unit-posts", "county"), "");
    assert_string_equal(sd_sch_param_value(p, "min-unit-posts", "prefecture"), "4");
    assert_string_equal(sd_sch_param_value(p, "min-unit-posts", NULL), "4");
    assert_null(sd_sch_param_value(p, "nope", NULL));
    sd_sch_free(p);

    /* an override naming an unknown parameter is a usage error */
    sd_sch_param ov = {"nope", "1"};
    opt.params = &ov;
    opt.param_count = 1;
    sd_error err;
    p = NULL;
    assert_int_equal(compile_str(param_pack, &opt, &p, &err), SD_EINVAL);
    assert_null(p);
    assert_non_null(strstr(err.msg, "unknown parameter \"nope\""));
    sd_sch_param ov2 = {"min-unit-posts", "9"};
    opt.params = &ov2;
    p = must_compile(param_pack, &opt);
    assert_string_equal(sd_sch_param_at(p, 0)->override_value, "9");
    assert_string_equal(sd_sch_param_value(p, "min-unit-posts", "county"), "9");
    sd_sch_free(p);
}

static void test_param_numbers_in_xpath(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sdl:param name='min' default='4'><sdl:tier name='county' value=''/></sdl:param>"
        "<sdl:tier-select value='string(/d/@tier)'/>"
        "<sch:pattern><sch:rule context='u'>"
        "<sch:assert id='MIN' test=\"sdl:param('min') = '' or @posts &gt;= number(sdl:param('min'))\">"
        "<sch:value-of select='@posts'/> &lt; <sch:value-of select=\"sdl:param('min')\"/></sch:assert>"
        "</sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d tier='city'><u posts='3'/><u posts='4'/></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].message, "3 < 4");
    sd_diags_free(&d);
    assert_int_equal(run_str(p, "<d tier='county'><u posts='3'/></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 0);
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* More distinct dynamic patterns than the run's cache holds still all work. */
static void test_many_dynamic_patterns(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='u'>"
        "<sch:assert id='M' test='sdl:matches(@n, @re)'>no</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sch_buf b = {0};
    sch_buf_adds(&b, "<d>");
    for (int i = 0; i < 600; i++) {
        char u[100];
        snprintf(u, sizeof u, "<u n='a%d' re='^a%d$'/>", i, i % 599 == 598 ? i + 1 : i);
        sch_buf_adds(&b, u);
    }
    sch_buf_adds(&b, "</d>");
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, sch_buf_str(&b), &d, NULL, &err), SD_OK);
    sch_buf_free(&b);
    assert_int_equal(d.count, 1); /* only u 598, whose pattern wants a599 */
    assert_string_equal(d.items[0].location, "/d[1]/u[599]");
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_current(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='u'>"
        "<sch:assert id='UNIQ' test='count(//u[@id = current()/@id]) = 1'>dup <sch:value-of select='@id'/></sch:assert>"
        "</sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u id='a'/><u id='b'/><u id='a'/></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 2);
    assert_string_equal(d.items[0].message, "dup a");
    assert_string_equal(d.items[1].location, "/d[1]/u[3]");
    sd_diags_free(&d);
    sd_sch_free(p);
}

int main(void)
{
    xmlInitParser();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches),
        cmocka_unit_test(test_replace_and_tokenize),
        cmocka_unit_test(test_regex_errors_and_limits),
        cmocka_unit_test(test_regex_deep_linear_match),
        cmocka_unit_test(test_regex_limit_dynamic_pattern),
        cmocka_unit_test(test_regex_many_matches_linear),
        cmocka_unit_test(test_regex_env_jit_stack_and_fallback),
        cmocka_unit_test(test_param_precedence),
        cmocka_unit_test(test_param_declarations),
        cmocka_unit_test(test_param_numbers_in_xpath),
        cmocka_unit_test(test_many_dynamic_patterns),
        cmocka_unit_test(test_current),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
