/*
 * test_sch_lazy.c — what the engine does lazily, keeps between runs, or
 * does without XPath: a rule let evaluated at its first reference (nested
 * inside the evaluation that referenced it, which must go on undisturbed),
 * expressions and patterns of a trusted pack compiled at first use, the
 * per-thread state (regex cache) kept from one document to the next, and
 * rule contexts that are plain paths selected by walking the tree.
 */
#include "test_sch_helpers.h"
#include "load.h"

/* A let that would fail costs nothing, and fails nothing, when unreferenced;
 * referenced, its failure names the let's line. */
static void test_unused_failing_let_is_not_evaluated(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:let name='bad' value=\"count('not a node-set')\"/>\n"
        "<sch:let name='ok' value='number(@n)'/>\n"
        "<sch:assert id='A' test='$ok = 5'>n is <sch:value-of select='$ok'/></sch:assert>\n"
        "</sch:rule></sch:pattern>\n"
        "<sch:pattern><sch:rule context='w'>\n"
        "<sch:let name='bad2' value=\"count('not a node-set')\"/>\n"
        "<sch:assert id='B' test='true()'>never</sch:assert>\n"
        "<sch:report id='C' test='@fire'>uses it: <sch:value-of select='$bad2'/></sch:report>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    sch_stats st;
    assert_int_equal(run_str(p, "<d><u n='5'/><u n='6'/><w/></d>", &d, &st, &err), SD_OK);
    assert_int_equal(d.count, 1);
    assert_string_equal(find_id(&d, "A", 0)->message, "n is 6");
    sd_diags_free(&d);
    /* the message of a firing report references it: the run fails at the let */
    assert_int_equal(run_str(p, "<d><w fire='1'/></d>", &d, NULL, &err), SD_ERULES);
    assert_int_equal(err.line, 9);
    assert_non_null(strstr(err.msg, "count('not a node-set')"));
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* Referenced first inside a predicate: the let is evaluated with the rule's
 * node as context, and the predicate then goes on with its own node,
 * position and size. */
static void test_let_first_used_in_a_predicate(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:let name='k' value='string(@k)'/>\n"
        "<sch:let name='n1' value='number(@n)'/>\n"
        "<sch:let name='n2' value='number(@n)'/>\n"
        "<sch:report id='SAME' test='true()'><sch:value-of "
        "select='count(../v[@k = $k])'/></sch:report>\n"
        "<sch:report id='SIZE' test='true()'><sch:value-of "
        "select='count(../v[position() &gt; 1 and $n1 = 5 and last() = 3 and position() = 2])'/>"
        "</sch:report>\n"
        "<sch:report id='DOT' test='true()'><sch:value-of "
        "select=\"count(../v[$n2 = 5 and @k = 'x'])\"/></sch:report>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u k='z' n='5'/><v k='x'/><v k='z'/><v k='x'/></d>", &d, NULL,
                             &err),
                     SD_OK);
    assert_string_equal(find_id(&d, "SAME", 0)->message, "1");
    /* the predicate's position() and last() survive the nested evaluation */
    assert_string_equal(find_id(&d, "SIZE", 0)->message, "1");
    /* so does its context node: @k is the v's, not the u's */
    assert_string_equal(find_id(&d, "DOT", 0)->message, "2");
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* current() in a let is the rule's node, wherever the let is first used. */
static void test_current_in_a_lazy_let(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:let name='same' value='count(//v[@k = current()/@k])'/>\n"
        "<sch:report id='R' test='//v[$same = 2]'><sch:value-of select='$same'/>"
        "<sch:value-of select='count(//v[@k = $same])'/></sch:report>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u k='a'/><v k='a'/><v k='a'/><v k='2'/><u k='2'/></d>", &d,
                             NULL, &err),
                     SD_OK);
    assert_int_equal(d.count, 1);
    assert_string_equal(find_id(&d, "R", 0)->message, "21");
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* A let referring to other lets evaluates them on demand, in the scope
 * compile.c resolved: a rule let sees only the rule lets before it, so an
 * earlier let's $x is another pattern's let even when a later rule let is
 * also called x. */
static void test_let_referring_to_lets(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern id='other'><sch:let name='x' value=\"'global'\"/>"
        "<sch:rule context='nothing'><sch:assert test='true()'>-</sch:assert></sch:rule>"
        "</sch:pattern>\n"
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:let name='a' value='number(@n)'/>\n"
        "<sch:let name='early' value='$x'/>\n"
        "<sch:let name='b' value='$a * 2'/>\n"
        "<sch:let name='x' value=\"'local'\"/>\n"
        "<sch:let name='c' value='$b + $a'/>\n"
        "<sch:report id='R' test='$c = 15'><sch:value-of select='$c'/>/"
        "<sch:value-of select='$early'/>/<sch:value-of select='$x'/>/"
        "<sch:value-of select='$b'/></sch:report>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u n='5'/><u n='1'/></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 1);
    assert_string_equal(find_id(&d, "R", 0)->message, "15/global/local/10");
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* A let's operations count against the run's limits as before: one that
 * runs away stops the run with SD_ELIMIT, from inside the test using it. */
static void test_lazy_let_keeps_the_op_limit(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='/d'>\n"
        "<sch:let name='slow' value='count(//x[count(//x[count(//x) &gt; 0]) &gt; 0])'/>\n"
        "<sch:assert id='A' test='$slow &gt;= 0'>-</sch:assert>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, "<d>");
    for (int i = 0; i < 1000; i++)
        sd_buf_puts(&b, "<x/>");
    sd_buf_puts(&b, "</d>");
    assert_false(sd_buf_failed(&b));
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, b.data, &d, NULL, &err), SD_ELIMIT);
    assert_int_equal(err.line, 4);
    sd_diags_free(&d);
    sd_buf_free(&b);
    sd_sch_free(p);
}

/* A trusted pack is not compiled at load: its errors come at the first run
 * that meets them, with the same words and line; a user's pack (the default)
 * still fails at load. */
static void test_trusted_pack_compiles_at_first_use(void **state)
{
    (void)state;
    const char *bad_xpath = SCH_OPEN
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:assert id='A' test='@n = = 1'>-</sch:assert>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    const char *bad_regex = SCH_OPEN
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:assert id='A' test=\"sdl:matches(@n, '(')\">-</sch:assert>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    const char *texts[] = {bad_xpath, bad_regex};
    for (size_t i = 0; i < 2; i++) {
        sd_sch_pack *p = NULL;
        sd_error load_err;
        assert_int_equal(compile_str(texts[i], NULL, &p, &load_err), SD_ERULES);
        assert_null(p);
        sd_sch_options opt = {0};
        opt.trusted = 1;
        p = must_compile(texts[i], &opt);
        sd_diags d;
        sd_error err;
        assert_int_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK); /* never evaluated */
        sd_diags_free(&d);
        assert_int_equal(run_str(p, "<d><u n='1'/></d>", &d, NULL, &err), SD_ERULES);
        assert_int_equal(err.line, 4);
        if (i == 0) /* the words of the load-time error */
            assert_string_equal(err.msg, load_err.msg);
        else
            assert_non_null(strstr(err.msg, "missing closing parenthesis"));
        sd_diags_free(&d);
        sd_sch_free(p);
    }
}

/* The state a run leaves in its compiled-expression set is reused by the
 * next: a pattern met at run time is compiled once, not per document, and
 * tokenize()'s nodes of one document are gone before the next. */
static void test_state_kept_between_runs(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:report id='R' test='sdl:matches(@s, @re)'><sch:value-of "
        "select=\"count(sdl:tokenize(@s, ','))\"/></sch:report>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    for (int run = 0; run < 3; run++) {
        sd_diags d;
        sd_error err;
        sch_stats st;
        assert_int_equal(run_str(p, "<d><u s='a,b' re='^a'/><u s='b,c,d' re='^b'/></d>", &d, &st,
                                 &err),
                         SD_OK);
        assert_int_equal(d.count, 2);
        assert_string_equal(find_id(&d, "R", 0)->message, "2");
        assert_string_equal(find_id(&d, "R", 1)->message, "3");
        sd_diags_free(&d);
        /* ^a, ^b and "," by the first run, none by the next */
        assert_int_equal(st.regex_compiled, run == 0 ? 3 : 0);
        assert_non_null(p->pool);
        assert_null(p->pool->next);
    }
    sd_sch_free(p);
}

/* The findings of a pack on xml as "ID location" lines; listed: parsed by
 * the loader (with its list of elements), else by plain libxml2. */
static void run_lines(const sd_sch_pack *p, const char *xml, int listed, sch_buf *out)
{
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    xmlDocPtr doc = NULL;
    sd_source src = {.path = strdup("doc.xml"), .bytes = (unsigned char *)strdup(xml),
                     .len = strlen(xml)};
    if (listed) {
        sd_load_options lo = {.lang = SD_LANG_EN, .positions = 1};
        assert_int_equal(sd_load_parse(&src, &lo, &doc, &d, &err), SD_OK);
    } else {
        doc = parse_doc(xml);
    }
    assert_non_null(doc);
    assert_int_equal(sch_run_ex(p, doc, "doc.xml", &d, NULL, NULL, &err), SD_OK);
    for (size_t i = 0; i < d.count; i++) {
        sch_buf_adds(out, d.items[i].rule_id);
        sch_buf_adds(out, " ");
        sch_buf_adds(out, d.items[i].location);
        sch_buf_adds(out, "\n");
    }
    sd_diags_free(&d);
    if (listed)
        sd_load_doc_free(doc);
    else
        xmlFreeDoc(doc);
    sd_source_free(&src);
}

/* A rule context that is a plain path of names (relative, from the root, a
 * union of them) selects without XPath exactly the nodes, in the order, that
 * XPath does (the same contexts with a predicate always true take XPath's
 * way), whether the document has the parse's list of elements or not; the
 * first rule of a pattern keeps a node claimed by several. */
static void test_plain_path_contexts(void **state)
{
    (void)state;
    const char *xml = "<d xmlns:q='urn:q'><a><b/><q:b/><a><b/><c><b/></c></a></a><b/>"
                      "<q:a><q:b/><b/></q:a><x xmlns='urn:q'><b/><a><b/></a></x>"
                      "<单位><b/></单位></d>";
    const char *forms[][2] = {
        {"b", "b[true()]"},
        {"a/b", "a/b[true()]"},
        {" /d/a/b ", "/d/a/b[true()]"},
        {"/d / a/a/b", "/d/a/a/b[true()]"},
        {"p:a/b", "p:a/b[true()]"},
        {"a/p:b", "a/p:b[true()]"},
        {"p:b | b", "p:b[true()] | b[true()]"},
        {"/d/a | a/a | a", "/d/a[true()] | a/a[true()] | a[true()]"},
        {"p:x/p:a/p:b", "p:x/p:a/p:b[true()]"},
        {"x/b", "x/b[true()]"},
        {"/a", "/a[true()]"},
        {"/d", "/d[true()]"},
        {"单位/b | d/单位", "单位/b[true()] | d/单位[true()]"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        sch_buf got[2][2] = {{{0}, {0}}, {{0}, {0}}};
        for (int f = 0; f < 2; f++) {
            char sch[1024];
            /* alone in its pattern (fired straight away), and behind another rule */
            snprintf(sch, sizeof sch, SCH_OPEN "<sch:ns prefix='p' uri='urn:q'/>"
                     "<sch:pattern><sch:rule context='%s'><sch:report id='A' test='true()'>a"
                     "</sch:report></sch:rule></sch:pattern>"
                     "<sch:pattern><sch:rule context='c/b'><sch:report id='C' test='true()'>c"
                     "</sch:report></sch:rule><sch:rule context='%s'><sch:report id='B' "
                     "test='true()'>b</sch:report></sch:rule></sch:pattern>" SCH_CLOSE,
                     forms[i][f], forms[i][f]);
            sd_sch_pack *p = must_compile(sch, NULL);
            assert_int_equal(p->concrete[0]->rules.n, 1);
            const sch_rule *ru = p->concrete[0]->rules.v[0];
            assert_true(f == 0 ? ru->npaths > 0 : ru->npaths == 0);
            for (int listed = 0; listed < 2; listed++)
                run_lines(p, xml, listed, &got[f][listed]);
            sd_sch_free(p);
        }
        for (int listed = 0; listed < 2; listed++) {
            if (strcmp(sch_buf_str(&got[0][listed]), sch_buf_str(&got[1][listed])) != 0)
                fprintf(stderr, "%s (listed %d):\n%s---\n%s", forms[i][0], listed,
                        sch_buf_str(&got[0][listed]), sch_buf_str(&got[1][listed]));
            assert_string_equal(sch_buf_str(&got[0][listed]), sch_buf_str(&got[1][listed]));
            sch_buf_free(&got[0][listed]);
            sch_buf_free(&got[1][listed]);
        }
    }
    /* what is not a plain path goes to XPath */
    const char *not_plain[] = {"a//b", "//b", "/", ".", "a/..", "*", "p:*", "a/@b", "b[1]",
                               "text()", "a/node()", "child::b", "q:b", "a |", "$v"};
    for (size_t i = 0; i < sizeof not_plain / sizeof not_plain[0]; i++) {
        char sch[512];
        snprintf(sch, sizeof sch, SCH_OPEN "<sch:ns prefix='p' uri='urn:q'/><sch:let name='v' "
                 "value='/d'/><sch:pattern><sch:rule context='%s'><sch:report test='true()'>a"
                 "</sch:report></sch:rule></sch:pattern>" SCH_CLOSE, not_plain[i]);
        sd_sch_options opt = {0};
        opt.trusted = 1; /* loads whatever the XPath: only the form is looked at */
        sd_sch_pack *p = must_compile(sch, &opt);
        const sch_rule *ru = p->concrete[0]->rules.v[0];
        assert_int_equal(ru->npaths, 0);
        sd_sch_free(p);
    }
}

/* A test that is only $v is read from v's value without XPath: its truth is
 * XPath's boolean() of every kind of value; a name no let defines (a trusted
 * pack is not checked) still fails the run as XPath says. */
static void test_bare_variable_tests(void **state)
{
    (void)state;
    const char *lets[][2] = {
        {"//u", "1"}, {"//nothing", "0"}, {"'x'", "1"}, {"''", "0"}, {"0", "0"},
        {"-0.5", "1"}, {"number('a')", "0"}, {"1 = 1", "1"}, {"1 = 2", "0"}};
    for (size_t i = 0; i < sizeof lets / sizeof lets[0]; i++) {
        char sch[700];
        snprintf(sch, sizeof sch, SCH_OPEN "<sch:let name='g' value=\"%s\"/>"
                 "<sch:pattern><sch:rule context='u'><sch:let name='v' value=\"%s\"/>"
                 "<sch:report id='R' test='$v'>r</sch:report><sch:assert id='A' test=' $v '>a"
                 "</sch:assert><sch:report id='G' test='$g'>g</sch:report>"
                 "</sch:rule></sch:pattern>" SCH_CLOSE, lets[i][0], lets[i][0]);
        sd_sch_pack *p = must_compile(sch, NULL);
        const sch_rule *ru = p->concrete[0]->rules.v[0];
        assert_string_equal(ru->asserts[0]->bare, "v");
        assert_string_equal(ru->asserts[1]->bare, "v");
        sd_diags d;
        sd_error err;
        assert_int_equal(run_str(p, "<d><u/></d>", &d, NULL, &err), SD_OK);
        int truth = lets[i][1][0] == '1';
        assert_int_equal(count_id(&d, "R"), truth);
        assert_int_equal(count_id(&d, "A"), !truth);
        assert_int_equal(count_id(&d, "G"), truth);
        sd_diags_free(&d);
        sd_sch_free(p);
    }
    const char *undefined = SCH_OPEN "<sch:pattern><sch:rule context='u'>\n"
                            "<sch:report id='R' test='$nowhere'>r</sch:report>\n"
                            "</sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_options opt = {0};
    opt.trusted = 1;
    sd_sch_pack *p = must_compile(undefined, &opt);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u/></d>", &d, NULL, &err), SD_ERULES);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "$nowhere"));
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* Rule lets whose value cannot depend on the rule's node are evaluated once
 * per document, and lets of the same text without variables once per node
 * for every rule that has them (compile.c let_memo); lets that read the node,
 * current(), or a let that does, are evaluated per node as before. */
static void test_memoised_lets(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern id='P1'><sch:rule context='u'>\n"
        "<sch:let name='t' value='string(/d/@tier)'/>\n"             /* per document */
        "<sch:let name='tt' value=\"concat($t, '-', $t)\"/>\n"       /* per document */
        "<sch:let name='s' value='sum(p/@n)'/>\n"                    /* per node, shared */
        "<sch:let name='n' value='string(@n)'/>\n"                   /* per node */
        "<sch:let name='c' value='count(/d/u[@n = current()/@n])'/>\n" /* current(): per node */
        "<sch:let name='nn' value=\"concat($n, $t)\"/>\n"            /* reads $n: per node */
        "<sch:let name='rel' value='count(/d/u[p])'/>\n"             /* relative in a predicate */
        "<sch:report id='A' test='true()'><sch:value-of select=\"concat($tt, ' ', $s, ' ', "
        "$c, ' ', $nn, ' ', $rel)\"/></sch:report>\n"
        "</sch:rule></sch:pattern>\n"
        "<sch:pattern id='P2'><sch:rule context='u'>\n"
        "<sch:let name='s2' value='sum(p/@n)'/>\n"
        "<sch:let name='t2' value='string(/d/@tier)'/>\n"
        "<sch:report id='B' test='true()'><sch:value-of select=\"concat($s2, $t2)\"/>"
        "</sch:report>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    const sch_rule *r1 = p->concrete[0]->rules.v[0], *r2 = p->concrete[1]->rules.v[0];
    assert_true(r1->lets[0]->inv && r1->lets[1]->inv);
    assert_false(r1->lets[2]->inv || r1->lets[3]->inv || r1->lets[4]->inv ||
                 r1->lets[5]->inv);
    assert_true(r1->lets[6]->inv);
    assert_int_equal(r1->lets[2]->memo, r2->lets[0]->memo);
    assert_int_equal(r1->lets[0]->memo, r2->lets[1]->memo);
    assert_int_equal(r1->lets[3]->memo, -1);
    sd_diags d;
    sd_error err;
    sch_stats st;
    const char *xml = "<d tier='x'><u n='1'><p n='2'/><p n='3'/></u><u n='1'/>"
                      "<u n='7'><p n='1'/></u></d>";
    assert_int_equal(run_str(p, xml, &d, &st, &err), SD_OK);
    assert_int_equal(d.count, 6);
    assert_string_equal(find_id(&d, "A", 0)->message, "x-x 5 2 1x 2");
    assert_string_equal(find_id(&d, "A", 1)->message, "x-x 0 2 1x 2");
    assert_string_equal(find_id(&d, "A", 2)->message, "x-x 1 1 7x 2");
    assert_string_equal(find_id(&d, "B", 0)->message, "5x");
    assert_string_equal(find_id(&d, "B", 2)->message, "1x");
    /* t, tt, rel once; s, n, c three times; nn twice (the second u's n and t are the
     * first's: test_value_keyed_lets); s2 and t2 not at all */
    assert_int_equal(st.let_evals, 3 + 3 * 3 + 2);
    sd_diags_free(&d);
    /* a second document gets its own values */
    assert_int_equal(run_str(p, "<d tier='y'><u n='2'><p n='4'/></u></d>", &d, &st, &err), SD_OK);
    assert_string_equal(find_id(&d, "A", 0)->message, "y-y 4 1 2y 1");
    assert_string_equal(find_id(&d, "B", 0)->message, "4y");
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* Lets of the shapes compile.c recognises are computed without XPath
 * (eval.c shape_value) and give what XPath gives: each is printed next to the
 * same expression evaluated by libxml2 (a value-of), on elements with and
 * without the attribute, blanks of every kind, entity-free multi-part
 * content, a namespaced attribute of the same name, and text nodes. */
static void test_let_shapes(void **state)
{
    (void)state;
    static const char *const exprs[] = {
        "string(@a)", "normalize-space(@a)", "translate(normalize-space(@a), ' ', '')",
        "number(@a)", "normalize-space(.)", "translate(normalize-space(.), ' ', '')",
        "  number(@b-c.d)  "};
    sch_buf sch = {0};
    sch_buf_adds(&sch, SCH_OPEN "<sch:ns prefix='q' uri='urn:q'/><sch:pattern>"
                              "<sch:rule context='*|text()'>");
    char buf[300];
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        snprintf(buf, sizeof buf, "<sch:let name='v%zu' value=\"%s\"/>", i, exprs[i]);
        sch_buf_adds(&sch, buf);
    }
    sch_buf_adds(&sch, "<sch:report id='R' test='true()'>");
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        snprintf(buf, sizeof buf,
                 "[<sch:value-of select='$v%zu'/>|<sch:value-of select=\"(%s)\"/>]", i,
                 exprs[i]);
        sch_buf_adds(&sch, buf);
    }
    sch_buf_adds(&sch, "</sch:report></sch:rule></sch:pattern>" SCH_CLOSE);
    sd_sch_pack *p = must_compile(sch_buf_str(&sch), NULL);
    const sch_rule *ru = p->concrete[0]->rules.v[0];
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
        assert_int_not_equal(ru->lets[i]->shape, LET_SHAPE_NONE);
    sd_diags d;
    sd_error err;
    const char *xml = "<d xmlns:q='urn:q'><u a=' x  y&#9;z&#10; '> t  <b>u</b>&#13;v </u>"
                      "<u/><u a='' b-c.d=' 12 '/><u q:a='ns' b-c.d='1e3'/><u a='03' b-c.d='-0'/>"
                      "<u a='&#160;x &#160;'>&#160; </u>text  here </d>";
    assert_int_equal(run_str(p, xml, &d, NULL, &err), SD_OK);
    assert_true(d.count >= 8);
    for (size_t k = 0; k < d.count; k++) {
        /* messages are whitespace-normalised as a whole; the pairs still differ if a value does */
        const char *m = d.items[k].message;
        for (const char *o = strchr(m, '['); o != NULL; o = strchr(o + 1, '[')) {
            const char *bar = strchr(o, '|'), *end = strchr(o, ']');
            assert_non_null(bar);
            assert_non_null(end);
            size_t a = (size_t)(bar - o - 1), b = (size_t)(end - bar - 1);
            if (a != b || strncmp(o + 1, bar + 1, a) != 0)
                fail_msg("native and XPath differ in \"%s\"", m);
        }
    }
    sd_diags_free(&d);
    sd_sch_free(p);
    sch_buf_free(&sch);
    /* not a shape: a prefix, a predicate, another argument */
    const char *others = SCH_OPEN "<sch:ns prefix='q' uri='urn:q'/><sch:pattern><sch:rule context='u'>"
                         "<sch:let name='a' value='normalize-space(@q:a)'/>"
                         "<sch:let name='b' value='number(@a[1])'/>"
                         "<sch:let name='c' value=\"translate(normalize-space(.), ' ', '-')\"/>"
                         "<sch:report id='R' test='true()'><sch:value-of select='concat($a, $b, $c)'/>"
                         "</sch:report></sch:rule></sch:pattern>" SCH_CLOSE;
    p = must_compile(others, NULL);
    ru = p->concrete[0]->rules.v[0];
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(ru->lets[i]->shape, LET_SHAPE_NONE);
    assert_int_equal(run_str(p, "<d xmlns:q='urn:q'><u q:a=' n ' a='4'> a b </u></d>", &d, NULL,
                             &err),
                     SD_OK);
    assert_string_equal(find_id(&d, "R", 0)->message, "n4a-b");
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* A let that is a function of the strings, numbers or booleans it reads is
 * kept per thread by those values, across documents (eval.c vmemo); one that
 * reads a node-set, the context or the document is evaluated as always. */
static void test_value_keyed_lets(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:let name='g' value='string(@r)'/>\n"
        "<sch:let name='v' value=\"concat($g, '!', string-length($g))\"/>\n"
        "<sch:let name='n' value='p'/>\n"
        "<sch:let name='w' value='count($n)'/>\n"
        "<sch:let name='x' value='concat($g, @r)'/>\n"
        "<sch:let name='y' value='concat($g, /d/@k)'/>\n"
        "<sch:report id='R' test='true()'><sch:value-of select=\"concat($v, ' ', $w)\"/></sch:report>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    const sch_rule *ru = p->concrete[0]->rules.v[0];
    assert_true(ru->lets[1]->vmemo >= 0);
    assert_true(ru->lets[3]->vmemo >= 0); /* but its variable is a node-set: not kept */
    assert_int_equal(ru->lets[4]->vmemo, -1);
    assert_int_equal(ru->lets[5]->vmemo, -1);
    sd_diags d;
    sd_error err;
    sch_stats st;
    assert_int_equal(run_str(p, "<d><u r='ab'><p/></u><u r='ab'/><u r='c'><p/><p/></u></d>", &d,
                             &st, &err),
                     SD_OK);
    assert_string_equal(find_id(&d, "R", 0)->message, "ab!2 1");
    assert_string_equal(find_id(&d, "R", 1)->message, "ab!2 0");
    assert_string_equal(find_id(&d, "R", 2)->message, "c!1 2");
    assert_int_equal(st.let_evals, 3 /* g */ + 2 /* v: ab, c */ + 3 + 3 /* n, w */);
    sd_diags_free(&d);
    assert_int_equal(run_str(p, "<d><u r='ab'/></d>", &d, &st, &err), SD_OK);
    assert_string_equal(find_id(&d, "R", 0)->message, "ab!2 0");
    assert_int_equal(st.let_evals, 1 + 0 + 1 + 1);
    sd_diags_free(&d);
    sd_sch_free(p);

    /* a chain: m reads k reads h reads g.  Kept values are found through the
     * chain (h, only string functions, is evaluated ahead when not kept: it
     * cannot fail); a let that could fail (bad: a regex) is never evaluated
     * ahead, so a test that does not need it does not fail on it */
    const char *chain = SCH_OPEN
        "<sch:pattern><sch:rule context='u'>\n"
        "<sch:let name='g' value='string(@r)'/>\n"
        "<sch:let name='h' value=\"concat($g, 'x')\"/>\n"
        "<sch:let name='k' value=\"sdl:replace($h, 'x', 'y')\"/>\n"
        "<sch:let name='m' value='string-length($k)'/>\n"
        "<sch:let name='bad' value=\"sdl:matches('x', concat($g, '('))\"/>\n"
        "<sch:let name='top' value=\"$g = 'z' or $bad\"/>\n"
        "<sch:report id='R' test='$top'><sch:value-of select='concat($k, $m)'/></sch:report>\n"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    p = must_compile(chain, NULL);
    ru = p->concrete[0]->rules.v[0];
    assert_true(ru->lets[1]->vsafe);
    assert_false(ru->lets[2]->vsafe);
    assert_false(ru->lets[4]->vsafe);
    assert_int_equal(run_str(p, "<d><u r='z'/></d>", &d, &st, &err), SD_OK);
    assert_string_equal(find_id(&d, "R", 0)->message, "zy2");
    assert_int_equal(st.let_evals, 5); /* g, top, k, h, m */
    sd_diags_free(&d);
    assert_int_equal(run_str(p, "<d><u r='z'/><u r='z'/></d>", &d, &st, &err), SD_OK);
    assert_string_equal(find_id(&d, "R", 1)->message, "zy2");
    /* g and top on each u (top's bad is never at hand: top is evaluated); h, k and m kept */
    assert_int_equal(st.let_evals, 4);
    sd_diags_free(&d);
    /* top needs bad here: the regex error is the run's, as without keeping */
    assert_int_equal(run_str(p, "<d><u r='q'/></d>", &d, &st, &err), SD_ERULES);
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* A trusted pack is parsed straight by libxml2 (compact text nodes); one that
 * is not well-formed, or has a DOCTYPE, gets the safe loader's words, as an
 * untrusted one does. */
static void test_trusted_pack_parse(void **state)
{
    (void)state;
    const char *bad[] = {
        SCH_OPEN "<sch:pattern><sch:rule context='u'></sch:pattern>" SCH_CLOSE,
        "<!DOCTYPE sch:schema [<!ENTITY e 'x'>]>\n" SCH_OPEN SCH_CLOSE,
        SCH_OPEN "<p:x/>" SCH_CLOSE,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sd_sch_options opt = {0};
        sd_sch_pack *p = NULL;
        sd_error e1, e2;
        sd_status s1 = compile_str(bad[i], &opt, &p, &e1);
        assert_null(p);
        opt.trusted = 1;
        sd_status s2 = compile_str(bad[i], &opt, &p, &e2);
        assert_null(p);
        assert_int_equal(s1, SD_ERULES);
        assert_int_equal(s2, s1);
        assert_int_equal(e2.line, e1.line);
        assert_string_equal(e2.msg, e1.msg);
    }
    /* a good one: lines and texts as the safe loader gives them */
    const char *good = SCH_OPEN "<sch:pattern><sch:rule context='u'>\n"
                       "<sch:report id='R' test='true()'>a <sch:value-of select='@n'/> b"
                       "</sch:report>\n</sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_options opt = {0};
    opt.trusted = 1;
    sd_sch_pack *p = must_compile(good, &opt);
    assert_int_equal(p->concrete[0]->rules.v[0] != NULL, 1);
    const sch_rule *ru = p->concrete[0]->rules.v[0];
    assert_int_equal(ru->asserts[0]->line, 4);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u n='1'/></d>", &d, NULL, &err), SD_OK);
    assert_string_equal(find_id(&d, "R", 0)->message, "a 1 b");
    sd_diags_free(&d);
    sd_sch_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unused_failing_let_is_not_evaluated),
        cmocka_unit_test(test_let_first_used_in_a_predicate),
        cmocka_unit_test(test_current_in_a_lazy_let),
        cmocka_unit_test(test_let_referring_to_lets),
        cmocka_unit_test(test_lazy_let_keeps_the_op_limit),
        cmocka_unit_test(test_trusted_pack_compiles_at_first_use),
        cmocka_unit_test(test_state_kept_between_runs),
        cmocka_unit_test(test_plain_path_contexts),
        cmocka_unit_test(test_bare_variable_tests),
        cmocka_unit_test(test_trusted_pack_parse),
        cmocka_unit_test(test_memoised_lets),
        cmocka_unit_test(test_let_shapes),
        cmocka_unit_test(test_value_keyed_lets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
