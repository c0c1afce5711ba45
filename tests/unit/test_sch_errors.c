/*
 * test_sch_errors.c — rule-pack errors: each one is SD_ERULES (or the stated
 * code) naming the .sch file and the line of the offending element, with *out
 * left NULL and nothing printed.
 */
#include "test_sch_helpers.h"

typedef struct err_case {
    const char *name;
    const char *body; /* between SCH_OPEN and SCH_CLOSE; line 3 is its first */
    sd_status code;
    long line;
    const char *msg; /* a substring of the message */
} err_case;

static const err_case cases[] = {
    {"bad xpath in test", "<sch:pattern>\n<sch:rule context='u'>\n<sch:assert test='count(('>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 5, "bad XPath \"count((\""},
    {"bad xpath in context", "<sch:pattern>\n<sch:rule context='u[['>\n<sch:assert test='1'>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "bad XPath"},
    {"undefined variable in test", "<sch:pattern><sch:rule context='u'>\n<sch:assert test='$nope = 1'>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "undefined variable $nope"},
    {"undefined variable in value-of", "<sch:pattern><sch:rule context='u'>\n<sch:assert test='1'>\n"
     "<sch:value-of select='$v'/></sch:assert></sch:rule></sch:pattern>", SD_ERULES, 5, "undefined variable $v"},
    {"variable inside a string is text", "<sch:pattern><sch:rule context='u'>\n<sch:assert test=\"'$x' = '$x'\">x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_OK, 0, NULL},
    {"rule let used before defined", "<sch:pattern><sch:rule context='u'>\n<sch:let name='a' value='$b'/>\n"
     "<sch:let name='b' value='1'/><sch:assert test='$a'>x</sch:assert></sch:rule></sch:pattern>",
     SD_ERULES, 4, "undefined variable $b"},
    {"rule let not visible in another rule", "<sch:pattern><sch:rule context='u'><sch:let name='a' value='1'/>"
     "<sch:assert test='$a'>x</sch:assert></sch:rule>\n<sch:rule context='v'>\n<sch:assert test='$a'>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 5, "undefined variable $a"},
    {"duplicate let in rule", "<sch:pattern><sch:rule context='u'><sch:let name='a' value='1'/>\n"
     "<sch:let name='a' value='2'/><sch:assert test='$a'>x</sch:assert></sch:rule></sch:pattern>",
     SD_ERULES, 4, "$a is defined twice"},
    {"duplicate schema let", "<sch:let name='a' value='1'/>\n<sch:let name='a' value='1'/>",
     SD_ERULES, 4, "$a is defined twice in the same schema"},
    {"schema and pattern let collide", "<sch:let name='a' value='1'/>\n<sch:pattern>\n<sch:let name='a' value='1'/>"
     "<sch:rule context='u'><sch:assert test='1'>x</sch:assert></sch:rule></sch:pattern>",
     SD_ERULES, 5, "already defined globally"},
    {"rule let shadows a schema let", "<sch:let name='a' value='1'/>\n<sch:pattern><sch:rule context='u'>\n"
     "<sch:let name='a' value='1'/><sch:assert test='1'>x</sch:assert></sch:rule></sch:pattern>",
     SD_ERULES, 5, "already defined"},
    {"ambiguous pattern let", "<sch:pattern><sch:let name='a' value='1'/><sch:rule context='u'><sch:assert test='1'>x</sch:assert></sch:rule></sch:pattern>\n"
     "<sch:pattern><sch:let name='a' value='2'/><sch:rule context='u'><sch:assert test='1'>x</sch:assert></sch:rule></sch:pattern>\n"
     "<sch:pattern><sch:rule context='u'>\n<sch:assert test='$a'>x</sch:assert></sch:rule></sch:pattern>",
     SD_ERULES, 6, "ambiguous"},
    {"let cycle", "<sch:let name='a' value='$b'/>\n<sch:let name='b' value='$a'/>", SD_ERULES, 3, "depends on itself"},
    {"bad regex literal", "<sch:pattern><sch:rule context='u'>\n<sch:assert test=\"sdl:matches(@n, '(ab')\">x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "bad regular expression \"(ab\""},
    {"bad regex flag", "<sch:pattern><sch:rule context='u'>\n<sch:assert test=\"sdl:matches(@n, 'a', 'z')\">x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "unknown regex flag 'z'"},
    {"regex in tokenize", "<sch:pattern><sch:rule context='u'>\n\n<sch:assert test=\"count(sdl:tokenize(@n, '[')) = 1\">x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 5, "bad regular expression \"[\""},
    {"unknown function", "<sch:pattern><sch:rule context='u'>\n<sch:assert test='key(\"k\", 1)'>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "unknown function key()"},
    {"unknown function in our namespace", "<sch:pattern><sch:rule context='u'>\n<sch:assert test='sdl:frob(1)'>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "unknown function sdl:frob()"},
    {"undeclared prefix", "<sch:pattern><sch:rule context='u'>\n<sch:assert test='q:u'>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "undeclared namespace prefix \"q\""},
    {"undeclared parameter", "<sch:pattern><sch:rule context='u'>\n<sch:assert test=\"sdl:param('nope') = 1\">x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "undeclared parameter \"nope\""},
    {"unknown diagnostic", "<sch:pattern><sch:rule context='u'>\n<sch:assert test='1' diagnostics='d9'>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "no diagnostic with id \"d9\""},
    {"unknown severity", "<sch:pattern><sch:rule context='u'>\n<sch:assert test='1' severity='bad'>x</sch:assert>"
     "</sch:rule></sch:pattern>", SD_ERULES, 4, "unknown severity \"bad\""},
    {"extends of another pattern's abstract rule", "<sch:pattern><sch:rule abstract='true' id='ab'><sch:assert test='1'>x</sch:assert></sch:rule></sch:pattern>\n"
     "<sch:pattern><sch:rule context='u'>\n<sch:extends rule='ab'/></sch:rule></sch:pattern>",
     SD_ERULES, 5, "no abstract rule with that id in this pattern"},
    {"missing include", "<sch:pattern>\n<sch:include href='does-not-exist.sch'/></sch:pattern>",
     SD_ERULES, 4, "missing include"},
    {"unknown abstract pattern", "<sch:pattern is-a='nope'>\n</sch:pattern>", SD_ERULES, 3, "no abstract pattern"},
    {"xslt element", "<xsl:key xmlns:xsl='http://www.w3.org/1999/XSL/Transform' name='k' match='*' use='1'/>",
     SD_ERULES, 3, "needs an XSLT processor"},
    {"phase activates unknown pattern", "<sch:phase id='ph'>\n<sch:active pattern='nope'/></sch:phase>",
     SD_ERULES, 3, "unknown pattern \"nope\""},
};

static void test_error_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const err_case *c = &cases[i];
        char sch[4096];
        snprintf(sch, sizeof sch, "%s%s\n%s", SCH_OPEN, c->body, SCH_CLOSE);
        sd_sch_pack *p = (sd_sch_pack *)1;
        sd_error err;
        sd_status st = compile_str(sch, NULL, &p, &err);
        if (st != c->code || (c->msg && strstr(err.msg, c->msg) == NULL) ||
            (c->code != SD_OK && err.line != c->line))
            fprintf(stderr, "case \"%s\": status %d, %s:%ld: %s\n", c->name, (int)st, err.file,
                    err.line, err.msg);
        assert_int_equal(st, c->code);
        if (c->code == SD_OK) {
            sd_sch_free(p);
            continue;
        }
        assert_null(p);
        assert_string_equal(err.file, "mem.sch");
        assert_int_equal(err.line, c->line);
        assert_non_null(strstr(err.msg, c->msg));
    }
}

static void test_bindings_and_phase(void **state)
{
    (void)state;
    sd_sch_pack *p = NULL;
    sd_error err;
    const char *xslt2 = "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' queryBinding='xslt2'/>";
    assert_int_equal(compile_str(xslt2, NULL, &p, &err), SD_ERULES);
    assert_non_null(strstr(err.msg, "queryBinding \"xslt2\""));
    const char *ok[] = {"xslt", "xslt1", "xpath"};
    for (int i = 0; i < 3; i++) {
        char sch[300];
        snprintf(sch, sizeof sch, "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' queryBinding='%s'/>", ok[i]);
        assert_int_equal(compile_str(sch, NULL, &p, &err), SD_OK);
        sd_sch_free(p);
    }
    sd_sch_options opt = {0};
    opt.phase = "nope";
    assert_int_equal(compile_str("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'/>", &opt, &p, &err),
                     SD_ERULES);
    assert_non_null(strstr(err.msg, "unknown phase \"nope\""));
    assert_null(p);
    /* not Schematron, not XML, DOCTYPE */
    assert_int_equal(compile_str("<schema/>", NULL, &p, &err), SD_ERULES);
    assert_non_null(strstr(err.msg, "not an ISO Schematron"));
    assert_int_equal(compile_str("<sch:schema", NULL, &p, &err), SD_ERULES);
    assert_non_null(strstr(err.msg, "not usable XML"));
    assert_int_equal(compile_str("<!DOCTYPE s [<!ENTITY e 'x'>]><sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'/>",
                                 NULL, &p, &err), SD_ERULES);
    assert_non_null(strstr(err.msg, "DOCTYPE"));
    assert_int_equal(sd_sch_compile_file("/nonexistent/x.sch", NULL, &p, &err), SD_EIO);
    assert_null(p);
}

static void test_include_loop_in_memory(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-loop-XXXXXX";
    assert_non_null(mkdtemp(dir));
    /* an include whose file is itself an include is followed; a.sch → b.sch → a.sch */
    write_text(dir, "a.sch", "<sch:include xmlns:sch='http://purl.oclc.org/dsdl/schematron' href='b.sch'/>");
    write_text(dir, "b.sch", "<!-- b -->\n\n<sch:include xmlns:sch='http://purl.oclc.org/dsdl/schematron' href='a.sch'/>");
    char base[700];
    snprintf(base, sizeof base, "%s/main.sch", dir);
    const char *sch = "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n<sch:include href='a.sch'/></sch:schema>";
    sd_sch_pack *p = NULL;
    sd_error err;
    assert_int_equal(sd_sch_compile_memory(sch, strlen(sch), base, NULL, &p, &err), SD_ERULES);
    assert_null(p);
    assert_non_null(strstr(err.msg, "include loop"));
    assert_non_null(strstr(err.file, "b.sch"));
    assert_int_equal(err.line, 3);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_runtime_xpath_error(void **state)
{
    (void)state;
    /* a dynamic regex that does not compile fails the run, naming the rule */
    const char *sch = SCH_OPEN "<sch:pattern>\n<sch:rule context='u'>"
        "<sch:assert test='sdl:matches(@n, @re)'>x</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u n='a' re='(('/></d>", &d, NULL, &err), SD_ERULES);
    assert_string_equal(err.file, "mem.sch");
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "bad regular expression \"((\""));
    sd_diags_free(&d);
    sd_sch_free(p);
}

int main(void)
{
    xmlInitParser();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_cases),
        cmocka_unit_test(test_bindings_and_phase),
        cmocka_unit_test(test_include_loop_in_memory),
        cmocka_unit_test(test_runtime_xpath_error),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
