/*
 * test_sch_engine.c — the Schematron engine's semantics: let scoping, first
 * rule wins, abstract patterns and rules, include/extends, phases,
 * diagnostics language, locations and lines, SVRL, linear evaluation, threads.
 */
#include <time.h>

#include "test_sch_helpers.h"
#include "load.h"

#include <pthread.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/* The SVRL report of a run as a document (parsed from the bytes the engine
 * wrote, so the tests also prove them well-formed); frees rep. */
static xmlDocPtr svrl_doc(sd_svrl *rep)
{
    assert_non_null(rep);
    sd_buf b;
    sd_buf_init(&b);
    sd_svrl_write(rep, &b, 0);
    assert_false(sd_buf_failed(&b));
    xmlDocPtr d = xmlReadMemory(b.data, (int)b.len, "svrl.xml", NULL, XML_PARSE_NONET);
    assert_non_null(d);
    sd_buf_free(&b);
    sd_svrl_free(rep);
    return d;
}

static void test_let_scoping(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:let name='g' value='1'/>\n"
        "<sch:phase id='ph'><sch:let name='ph' value='$g + 10'/><sch:active pattern='p1'/>"
        "<sch:active pattern='p2'/></sch:phase>\n"
        "<sch:pattern id='p1'><sch:let name='pv' value='count(//u)'/>\n"
        "  <sch:rule context='u'><sch:let name='r' value='number(@n) + $g'/>\n"
        "    <sch:report id='R1' test='true()'><sch:value-of select='$r'/>/<sch:value-of select='$pv'/></sch:report>\n"
        "  </sch:rule></sch:pattern>\n"
        "<sch:pattern id='p2'><sch:rule context='/'>\n"
        "    <sch:report id='R2' test='true()'><sch:value-of select='$pv + $g'/>/<sch:value-of select='$ph'/></sch:report>\n"
        "  </sch:rule><sch:rule context='u'><sch:let name='r' value='2'/>"
        "<sch:report id='R3' test='true()'><sch:value-of select='$r'/></sch:report></sch:rule></sch:pattern>\n"
        SCH_CLOSE;
    sd_sch_options opt = {0};
    opt.phase = "ph";
    sd_sch_pack *p = must_compile(sch, &opt);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u n='5'/><u n='7'/></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(count_id(&d, "R1"), 2);
    assert_string_equal(find_id(&d, "R1", 0)->message, "6/2");  /* rule let uses schema let */
    assert_string_equal(find_id(&d, "R1", 1)->message, "8/2");
    /* pattern let of p1 seen from p2 (defined by one pattern only); phase let */
    assert_string_equal(find_id(&d, "R2", 0)->message, "3/11");
    /* a rule let of the same name in another rule is that rule's own */
    assert_string_equal(find_id(&d, "R3", 0)->message, "2");
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_phase_let_overrides_schema_let(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:let name='x' value='0'/>\n"
        "<sch:phase id='strict'><sch:let name='x' value='1'/><sch:active pattern='p'/></sch:phase>\n"
        "<sch:pattern id='p'><sch:rule context='/'><sch:report id='X' test='true()'>"
        "<sch:value-of select='$x'/></sch:report></sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_options opt = {0};
    sd_diags d;
    sd_error err;
    sd_sch_pack *p = must_compile(sch, &opt);
    assert_int_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK);
    assert_string_equal(find_id(&d, "X", 0)->message, "0");
    sd_diags_free(&d);
    sd_sch_free(p);
    opt.phase = "strict";
    p = must_compile(sch, &opt);
    assert_int_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK);
    assert_string_equal(find_id(&d, "X", 0)->message, "1");
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_let_element_content(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:ns prefix='h' uri='urn:h'/>"
        "<sch:let name='frag'><h:p xmlns:h='urn:h'>a paragraph</h:p></sch:let>\n"
        "<sch:pattern><sch:rule context='/'><sch:assert id='C' test=\"contains($frag, 'graph') "
        "and count($frag/self::h:p) = 1\">no</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 0);
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_first_rule_wins(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern>\n"
        "<sch:rule context='u[@special]'><sch:report id='SPECIAL' test='true()'>s</sch:report></sch:rule>\n"
        "<sch:rule context='u'><sch:report id='PLAIN' test='true()'>p</sch:report></sch:rule>\n"
        "<sch:rule context='*'><sch:report id='ANY' test='true()'>a</sch:report></sch:rule>\n"
        "</sch:pattern>\n"
        "<sch:pattern><sch:rule context='u'><sch:report id='OTHER' test='true()'>o</sch:report>"
        "</sch:rule></sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><u special='1'/><u/><v/></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(count_id(&d, "SPECIAL"), 1);
    assert_int_equal(count_id(&d, "PLAIN"), 1);
    assert_int_equal(count_id(&d, "ANY"), 2); /* d and v */
    assert_int_equal(count_id(&d, "OTHER"), 2); /* another pattern sees every u */
    assert_int_equal(find_id(&d, "SPECIAL", 0)->line, 1);
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_contexts_of_every_kind(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='/'><sch:report id='ROOT' test='true()'>r</sch:report></sch:rule></sch:pattern>\n"
        "<sch:pattern><sch:rule context='@a'><sch:report id='ATTR' test='true()'>"
        "<sch:name/>=<sch:value-of select='.'/></sch:report></sch:rule></sch:pattern>\n"
        "<sch:pattern><sch:rule context='text()'><sch:report id='TEXT' test='true()'>t</sch:report></sch:rule></sch:pattern>\n"
        "<sch:pattern><sch:rule context='comment()'><sch:report id='COMMENT' test='true()'>c</sch:report></sch:rule></sch:pattern>\n"
        "<sch:pattern><sch:rule context='processing-instruction()'><sch:report id='PI' test='true()'>p</sch:report></sch:rule></sch:pattern>\n"
        "<sch:pattern><sch:rule context='d/u | w'><sch:report id='UNION' test='true()'>u</sch:report></sch:rule></sch:pattern>\n"
        SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    const char *xml = "<d>\n<u a='1'>hi</u>\n<!-- c -->\n<?pi x?>\n<x><u/></x>\n<w/>\n</d>";
    assert_int_equal(run_str(p, xml, &d, NULL, &err), SD_OK);
    const sd_finding *f = find_id(&d, "ROOT", 0);
    assert_non_null(f);
    assert_int_equal(f->line, 0);
    assert_string_equal(f->location, "/");
    f = find_id(&d, "ATTR", 0);
    assert_string_equal(f->message, "a=1");
    assert_int_equal(f->line, 2);
    assert_string_equal(f->location, "/d[1]/u[1]/@a");
    f = find_id(&d, "COMMENT", 0);
    assert_int_equal(f->line, 1); /* the owning element's line */
    assert_string_equal(f->location, "/d[1]/comment()[1]");
    f = find_id(&d, "PI", 0);
    assert_string_equal(f->location, "/d[1]/processing-instruction('pi')[1]");
    assert_true(count_id(&d, "TEXT") >= 2);
    f = find_id(&d, "TEXT", 1);
    assert_string_equal(f->location, "/d[1]/u[1]/text()[1]");
    assert_int_equal(f->line, 2);
    assert_int_equal(count_id(&d, "UNION"), 2); /* d/u and w, not x/u */
    assert_string_equal(find_id(&d, "UNION", 0)->location, "/d[1]/u[1]");
    assert_string_equal(find_id(&d, "UNION", 1)->location, "/d[1]/w[1]");
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_location_and_lines_with_namespace(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:ns prefix='s' uri='urn:sd'/>"
        "<sch:pattern><sch:rule context='s:unit'><sch:assert id='POSTS' "
        "test='@posts &gt; 3'>unit <sch:value-of select='@name'/> has <sch:value-of select='@posts'/></sch:assert>"
        "</sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    const char *xml = "<doc xmlns='urn:sd'>\n  <unit name='A' posts='5'/>\n\n  <unit name='B'\n posts='2'/>\n</doc>";
    assert_int_equal(run_str(p, xml, &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].rule_id, "POSTS");
    assert_int_equal(d.items[0].line, 5); /* libxml2: the line where the start tag ends */
    assert_int_equal(d.items[0].col, 0);
    assert_int_equal(d.items[0].severity, SD_SEV_ERROR);
    assert_string_equal(d.items[0].file, "doc.xml");
    assert_string_equal(d.items[0].message, "unit B has 2");
    assert_string_equal(d.items[0].location,
                        "/*:doc[namespace-uri()='urn:sd'][1]/*:unit[namespace-uri()='urn:sd'][2]");
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_severity(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='/'>"
        "<sch:report id='A' test='true()'>a</sch:report>"
        "<sch:report id='B' severity='warning' test='true()'>b</sch:report>"
        "<sch:assert id='C' severity='fatal' test='false()'>c</sch:assert>"
        "<sch:report id='D' role='info' test='true()'>d</sch:report>"
        "</sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK);
    assert_int_equal(find_id(&d, "A", 0)->severity, SD_SEV_ERROR);
    assert_int_equal(find_id(&d, "B", 0)->severity, SD_SEV_WARNING);
    assert_int_equal(find_id(&d, "C", 0)->severity, SD_SEV_FATAL);
    assert_int_equal(find_id(&d, "D", 0)->severity, SD_SEV_INFO);
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_abstract_pattern_and_rule(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern abstract='true' id='min-count'>\n"
        "  <sch:rule context='$parent'><sch:assert id='MIN' test='count($child) &gt;= $min'>"
        "<sch:name/> needs $min <sch:value-of select='$min'/></sch:assert></sch:rule>\n"
        "</sch:pattern>\n"
        "<sch:pattern is-a='min-count' id='units'><sch:param name='parent' value='dept'/>"
        "<sch:param name='child' value='unit'/><sch:param name='min' value='2'/></sch:pattern>\n"
        "<sch:pattern id='p2'>\n"
        "  <sch:rule abstract='true' id='has-name'><sch:assert id='NAME' test='@name'>no name</sch:assert></sch:rule>\n"
        "  <sch:rule context='unit'><sch:extends rule='has-name'/></sch:rule>\n"
        "</sch:pattern>\n" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<r><dept><unit name='a'/></dept><dept><unit/><unit name='b'/></dept></r>",
                             &d, NULL, &err), SD_OK);
    assert_int_equal(count_id(&d, "MIN"), 1);
    /* message text is not substituted, value-of is */
    assert_string_equal(find_id(&d, "MIN", 0)->message, "dept needs $min 2");
    assert_string_equal(find_id(&d, "MIN", 0)->location, "/r[1]/dept[1]");
    assert_int_equal(count_id(&d, "NAME"), 1);
    assert_string_equal(find_id(&d, "NAME", 0)->location, "/r[1]/dept[2]/unit[1]");
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_include_and_extends(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-sch-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_text(dir, "main.sch", SCH_OPEN
               "<sch:include href='sub/pattern.sch'/>\n"
               "<sch:pattern><sch:rule context='u'><sch:extends href='sub/base-rule.sch'/></sch:rule></sch:pattern>\n"
               SCH_CLOSE);
    /* relative to sub/, not to main.sch: base-URI fix-up */
    write_text(sub, "pattern.sch",
               "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n"
               "<sch:include href='rule.sch'/></sch:pattern>\n");
    write_text(sub, "rule.sch",
               "<sch:rule xmlns:sch='http://purl.oclc.org/dsdl/schematron' context='d'>\n"
               "<sch:report id='INC' test='true()'>included</sch:report></sch:rule>\n");
    write_text(sub, "base-rule.sch",
               "<sch:rule xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n"
               "<sch:report id='EXT' test='true()'>extended</sch:report></sch:rule>\n");
    char path[700];
    snprintf(path, sizeof path, "%s/main.sch", dir);
    sd_sch_pack *p = NULL;
    sd_error err;
    assert_int_equal(sd_sch_compile_file(path, NULL, &p, &err), SD_OK);
    sd_diags d;
    assert_int_equal(run_str(p, "<d><u/><u/></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(count_id(&d, "INC"), 1);
    assert_int_equal(count_id(&d, "EXT"), 2);
    sd_diags_free(&d);
    sd_sch_free(p);

    /* include loop and missing include name the including file and line */
    write_text(sub, "rule.sch",
               "<sch:rule xmlns:sch='http://purl.oclc.org/dsdl/schematron' context='d'>\n"
               "<sch:include href='loop.sch'/></sch:rule>\n");
    write_text(sub, "loop.sch",
               "<sch:assert xmlns:sch='http://purl.oclc.org/dsdl/schematron' test='true()'>\n"
               "<sch:include href='loop.sch'/></sch:assert>\n");
    /* an include inside an assert is not followed (assert content is text), so
     * make the loop through a rule instead */
    write_text(sub, "loop.sch",
               "<sch:rule xmlns:sch='http://purl.oclc.org/dsdl/schematron' context='x'>\n"
               "\n<sch:extends href='loop.sch'/></sch:rule>\n");
    write_text(sub, "rule.sch",
               "<sch:rule xmlns:sch='http://purl.oclc.org/dsdl/schematron' context='d'>\n"
               "<sch:extends href='loop.sch'/></sch:rule>\n");
    p = NULL;
    assert_int_equal(sd_sch_compile_file(path, NULL, &p, &err), SD_ERULES);
    assert_null(p);
    assert_non_null(strstr(err.msg, "include loop"));
    assert_non_null(strstr(err.file, "loop.sch"));
    assert_int_equal(err.line, 3);

    write_text(sub, "rule.sch",
               "<sch:rule xmlns:sch='http://purl.oclc.org/dsdl/schematron' context='d'>\n"
               "\n<sch:extends href='missing.sch'/></sch:rule>\n");
    assert_int_equal(sd_sch_compile_file(path, NULL, &p, &err), SD_ERULES);
    assert_non_null(strstr(err.msg, "missing include"));
    assert_non_null(strstr(err.file, "sub/rule.sch"));
    assert_int_equal(err.line, 3);

    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_diagnostics_language(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:title>Posts</sch:title><sch:title xml:lang='zh'>编制</sch:title>\n"
        "<sch:p xml:lang='en'>Each unit needs posts.</sch:p><sch:p xml:lang='zh'>每个内设机构都要有编制。</sch:p>\n"
        "<sch:rule context='u'>"
        "<sch:assert id='SD101' test='@posts' diagnostics='en zh' see='https://example.org/sd101'>"
        "  own   text\n of <sch:value-of select='@name'/></sch:assert>"
        "<sch:assert id='SD102' test='@name' diagnostics='fr'>only  own</sch:assert>"
        "</sch:rule></sch:pattern>\n"
        "<sch:diagnostics>"
        "<sch:diagnostic id='en' xml:lang='en'>Unit <sch:value-of select='@name'/> has no posts.</sch:diagnostic>"
        "<sch:diagnostic id='zh' xml:lang='zh-CN'>内设机构<sch:value-of select='@name'/>没有编制。</sch:diagnostic>"
        "<sch:diagnostic id='fr' xml:lang='fr'>sans nom</sch:diagnostic>"
        "</sch:diagnostics>" SCH_CLOSE;
    sd_sch_options opt = {0};
    const char *langs[] = {"zh", "en", "de"};
    const char *want[] = {"内设机构办公室没有编制。", "Unit 办公室 has no posts.", "own text of 办公室"};
    const char *title[] = {"编制", "Posts", "Posts"};
    for (int i = 0; i < 3; i++) {
        opt.lang = langs[i];
        sd_sch_pack *p = must_compile(sch, &opt);
        sd_diags d;
        sd_error err;
        assert_int_equal(run_str(p, "<d><u name='办公室'/><u posts='1'/></d>", &d, NULL, &err), SD_OK);
        assert_string_equal(find_id(&d, "SD101", 0)->message, want[i]);
        assert_string_equal(find_id(&d, "SD102", 0)->message, "only own");
        assert_int_equal(sd_sch_rule_count(p), 2);
        const sd_sch_rule_info *ri = sd_sch_rule_at(p, 0);
        assert_string_equal(ri->id, "SD101");
        assert_string_equal(ri->title, title[i]);
        assert_string_equal(ri->see, "https://example.org/sd101");
        assert_int_equal(ri->severity, SD_SEV_ERROR);
        if (i == 0)
            assert_string_equal(ri->doc, "每个内设机构都要有编制。");
        if (i == 1)
            assert_string_equal(ri->doc, "Each unit needs posts.");
        assert_null(sd_sch_rule_at(p, 2));
        sd_diags_free(&d);
        sd_sch_free(p);
    }
}

/* A value-of that is just @name is read from the node without XPath: the
 * same text as string(@name) on every kind of context (an attribute in a
 * namespace with the same local name is not it; character references; no
 * such attribute; a text node, a comment, an attribute, the root), and no
 * XPath operation spent on it. */
static void test_plain_attribute_value_of(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='/ | u | text() | comment() | @*'>"
        "<sch:report id='V' test='true()'>[<sch:value-of select='@id'/>|"
        "<sch:value-of select='string(@id)'/>]</sch:report></sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    const char *xml = "<d xmlns:q='urn:q'><u q:id='no' id='a&amp;b&#x4E2D;'/><u/>t<!--c-->"
                      "<u id=''/><u q:id='only'/></d>";
    sd_diags d;
    sd_error err;
    sch_stats st1;
    assert_int_equal(run_str(p, xml, &d, &st1, &err), SD_OK);
    assert_true(d.count >= 8);
    size_t nonempty = 0;
    for (size_t i = 0; i < d.count; i++) {
        const char *m = d.items[i].message; /* "[x|x]" */
        const char *bar = strchr(m, '|');
        assert_non_null(bar);
        size_t left = (size_t)(bar - m) - 1;
        assert_int_equal(strlen(bar + 1) - 1, left);
        assert_memory_equal(m + 1, bar + 1, left);
        nonempty += left > 0;
    }
    assert_int_equal(nonempty, 1);
    sd_diags_free(&d);
    sd_sch_free(p);
    /* the plain form costs no XPath operation: as many as a message without value-of */
    const char *fast = SCH_OPEN "<sch:pattern><sch:rule context='u'><sch:report id='F' test='true()'>"
        "<sch:value-of select='@id'/></sch:report></sch:rule></sch:pattern>" SCH_CLOSE;
    const char *slow = SCH_OPEN "<sch:pattern><sch:rule context='u'><sch:report id='F' test='true()'>"
        "<sch:value-of select='string(@id)'/></sch:report></sch:rule></sch:pattern>" SCH_CLOSE;
    sch_stats sf, ss;
    p = must_compile(fast, NULL);
    assert_int_equal(run_str(p, xml, &d, &sf, &err), SD_OK);
    assert_int_equal(d.count, 4);
    assert_string_equal(find_id(&d, "F", 0)->message, "a&b\xe4\xb8\xad");
    sd_diags_free(&d);
    sd_sch_free(p);
    p = must_compile(slow, NULL);
    assert_int_equal(run_str(p, xml, &d, &ss, &err), SD_OK);
    assert_string_equal(find_id(&d, "F", 0)->message, "a&b\xe4\xb8\xad");
    sd_diags_free(&d);
    sd_sch_free(p);
    const char *none = SCH_OPEN "<sch:pattern><sch:rule context='u'><sch:report id='F' test='true()'>"
        "x</sch:report></sch:rule></sch:pattern>" SCH_CLOSE;
    sch_stats s0;
    p = must_compile(none, NULL);
    assert_int_equal(run_str(p, xml, &d, &s0, &err), SD_OK);
    sd_diags_free(&d);
    sd_sch_free(p);
    assert_true(sf.ops < ss.ops);
    assert_int_equal(sf.ops, s0.ops);
}

static void test_message_fallbacks(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='/'>"
        "<sch:assert id='E1' test='false()'/>"
        "<sch:report id='E2' test='true()'>  </sch:report>"
        "<sch:assert id='E3' test='1 = 2' diagnostics='fr'></sch:assert>"
        "<sch:report id='E4' test='true()'>a <sch:span class='x'>b</sch:span> <sch:dir value='ltr'>c</sch:dir>\n\t d</sch:report>"
        "</sch:rule></sch:pattern>"
        "<sch:diagnostics><sch:diagnostic id='fr' xml:lang='fr'>en  français</sch:diagnostic></sch:diagnostics>"
        SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK);
    assert_string_equal(find_id(&d, "E1", 0)->message, "assertion failed: false()");
    assert_string_equal(find_id(&d, "E2", 0)->message, "report: true()");
    assert_string_equal(find_id(&d, "E3", 0)->message, "en français"); /* the only diagnostic */
    assert_string_equal(find_id(&d, "E4", 0)->message, "a b c d");
    sd_diags_free(&d);
    sd_sch_free(p);
}

static void test_svrl(void **state)
{
    (void)state;
    const char *sch = "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
        "<sch:title>T</sch:title><sch:ns prefix='s' uri='urn:sd'/>"
        "<sch:pattern id='P'><sch:title>Pattern</sch:title>"
        "<sch:rule context='s:u' id='RU' role='r' flag='f'>"
        "<sch:assert id='A1' role='warning' flag='fl' see='http://x' test='@ok' diagnostics='d1' properties='p1'>"
        "no <sch:emph>ok</sch:emph></sch:assert></sch:rule></sch:pattern>"
        "<sch:diagnostics><sch:diagnostic id='d1' xml:lang='en'>diag <sch:value-of select='name()'/></sch:diagnostic></sch:diagnostics>"
        "<sch:properties><sch:property id='p1' role='owner' scheme='s'>prop</sch:property></sch:properties>"
        "</sch:schema>";
    sd_sch_pack *p = must_compile(sch, NULL);
    xmlDocPtr doc = parse_doc("<d xmlns='urn:sd'><u/><u ok='1'/></d>");
    sd_svrl *rep = NULL;
    sd_error err;
    assert_int_equal(sd_sch_run(p, doc, "doc.xml", NULL, &rep, &err), SD_OK);
    xmlDocPtr svrl = svrl_doc(rep);
    xmlXPathContextPtr x = xmlXPathNewContext(svrl);
    xmlXPathRegisterNs(x, (const xmlChar *)"svrl", (const xmlChar *)"http://purl.oclc.org/dsdl/svrl");
    struct {
        const char *expr;
        const char *want;
    } checks[] = {
        {"string(/svrl:schematron-output/@title)", "T"},
        {"string(//svrl:ns-prefix-in-attribute-values/@uri)", "urn:sd"},
        {"string(//svrl:active-pattern/@id)", "P"},
        {"string(//svrl:active-pattern/@name)", "Pattern"},
        {"string(count(//svrl:fired-rule))", "2"},
        {"string(//svrl:fired-rule[1]/@context)", "s:u"},
        {"string(//svrl:fired-rule[1]/@id)", "RU"},
        {"string(//svrl:fired-rule[1]/@role)", "r"},
        {"string(//svrl:fired-rule[1]/@flag)", "f"},
        {"string(count(//svrl:failed-assert))", "1"},
        {"string(//svrl:failed-assert/@test)", "@ok"},
        {"string(//svrl:failed-assert/@id)", "A1"},
        {"string(//svrl:failed-assert/@role)", "warning"},
        {"string(//svrl:failed-assert/@flag)", "fl"},
        {"string(//svrl:failed-assert/@see)", "http://x"},
        {"string(//svrl:failed-assert/@location)", "/*:d[namespace-uri()='urn:sd'][1]/*:u[namespace-uri()='urn:sd'][1]"},
        {"string(//svrl:failed-assert/svrl:diagnostic-reference/@diagnostic)", "d1"},
        {"string(//svrl:failed-assert/svrl:diagnostic-reference/svrl:text)", "diag u"},
        {"string(//svrl:failed-assert/svrl:diagnostic-reference/svrl:text/@xml:lang)", "en"},
        {"string(//svrl:failed-assert/svrl:property-reference/@property)", "p1"},
        {"string(//svrl:failed-assert/svrl:property-reference/@role)", "owner"},
        {"string(//svrl:failed-assert/svrl:property-reference/svrl:text)", "prop"},
        {"string(//svrl:failed-assert/svrl:text)", "no ok"},
        /* order: active-pattern, fired-rule, failed-assert, fired-rule */
        {"local-name(//svrl:failed-assert/preceding-sibling::*[1])", "fired-rule"},
        {"local-name(//svrl:failed-assert/following-sibling::*[1])", "fired-rule"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)checks[i].expr, x);
        assert_non_null(o);
        xmlChar *s = xmlXPathCastToString(o);
        if (strcmp((char *)s, checks[i].want) != 0)
            fprintf(stderr, "%s gave \"%s\"\n", checks[i].expr, (char *)s);
        assert_string_equal((char *)s, checks[i].want);
        xmlFree(s);
        xmlXPathFreeObject(o);
    }
    xmlXPathFreeContext(x);
    xmlFreeDoc(svrl);
    xmlFreeDoc(doc);
    sd_sch_free(p);
}

/* The rest of Annex D: schemaVersion, pattern role, icon/fpi, xml:lang
 * inherited from the schema, see/icon/fpi/xml:lang on diagnostic and property
 * texts, an abstract pattern's parameter inside the diagnostic an instance
 * uses, and include by #fragment in the same file. */
static void test_svrl_complete(void **state)
{
    (void)state;
    const char *sch = "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' xml:lang='fr' schemaVersion='3.0'>"
        "<sch:pattern id='P' role='prole'><sch:rule context='u'>"
        "<sch:assert id='A' test='@ok' icon='http://i' fpi='+//F' diagnostics='d1' properties='p1'>no</sch:assert>"
        "</sch:rule></sch:pattern>"
        "<sch:pattern abstract='true' id='AB'><sch:rule context='$e'>"
        "<sch:report id='R' test='true()' diagnostics='d2'>r</sch:report></sch:rule></sch:pattern>"
        "<sch:pattern id='I' is-a='AB'><sch:param name='e' value='w'/><sch:param name='v' value='@n'/></sch:pattern>"
        "<sch:include href='#frag'/>"
        "<sch:diagnostics><sch:diagnostic id='d1' xml:lang='en' see='http://s' icon='http://di' fpi='+//D'>d</sch:diagnostic>"
        "<sch:diagnostic id='d2'>n=<sch:value-of select='$v'/></sch:diagnostic></sch:diagnostics>"
        "<sch:properties><sch:property id='p1' icon='http://pi'>p</sch:property></sch:properties>"
        "<sch:library><sch:pattern xml:id='frag' id='F'><sch:rule context='w'>"
        "<sch:report id='FR' test='true()'>f</sch:report></sch:rule></sch:pattern></sch:library>"
        "</sch:schema>";
    sd_sch_pack *p = must_compile(sch, NULL);
    xmlDocPtr doc = parse_doc("<d><u/><w n='7'/></d>");
    sd_svrl *rep = NULL;
    sd_error err;
    assert_int_equal(sd_sch_run(p, doc, "doc.xml", NULL, &rep, &err), SD_OK);
    xmlDocPtr svrl = svrl_doc(rep);
    xmlXPathContextPtr x = xmlXPathNewContext(svrl);
    xmlXPathRegisterNs(x, (const xmlChar *)"svrl", (const xmlChar *)"http://purl.oclc.org/dsdl/svrl");
    struct {
        const char *expr;
        const char *want;
    } checks[] = {
        {"string(/svrl:schematron-output/@schemaVersion)", "3.0"},
        {"string(//svrl:active-pattern[@id='P']/@role)", "prole"},
        {"string(//svrl:failed-assert/@icon)", "http://i"},
        {"string(//svrl:failed-assert/@fpi)", "+//F"},
        {"string(//svrl:failed-assert/@xml:lang)", "fr"},
        {"string(//svrl:diagnostic-reference/svrl:text/@see)", "http://s"},
        {"string(//svrl:diagnostic-reference/svrl:text/@icon)", "http://di"},
        {"string(//svrl:diagnostic-reference/svrl:text/@fpi)", "+//D"},
        {"string(//svrl:diagnostic-reference/svrl:text/@xml:lang)", "en"},
        {"string(//svrl:property-reference/svrl:text/@icon)", "http://pi"},
        {"string(//svrl:property-reference/svrl:text/@xml:lang)", "fr"},
        {"string(//svrl:successful-report[@id='R']/svrl:diagnostic-reference/svrl:text)", "n=7"},
        {"string(count(//svrl:active-pattern[@id='F']))", "1"},
        {"string(//svrl:successful-report[@id='FR']/@location)", "/d[1]/w[1]"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)checks[i].expr, x);
        assert_non_null(o);
        xmlChar *s = xmlXPathCastToString(o);
        if (strcmp((char *)s, checks[i].want) != 0)
            fprintf(stderr, "%s gave \"%s\"\n", checks[i].expr, (char *)s);
        assert_string_equal((char *)s, checks[i].want);
        xmlFree(s);
        xmlXPathFreeObject(o);
    }
    xmlXPathFreeContext(x);
    xmlFreeDoc(svrl);
    xmlFreeDoc(doc);
    sd_sch_free(p);
}

/* The SVRL report written as a stream (sd_svrl): well-formed for any display
 * path (bytes XML cannot carry shown as \xNN), an empty message as an empty
 * svrl:text, the documents attribute of a pattern with subordinate documents
 * put in place after its rules fired; two packs' reports merged with one
 * ns-prefix-in-attribute-values per (uri, prefix); nested in a set, deeper
 * indentation and characters outside ASCII as references in attribute values
 * only (what xmlNodeDump wrote). */
static void test_svrl_stream(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-svrl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_text(dir, "sub.xml", "<s><t/></s>");
    char path[512];
    snprintf(path, sizeof path, "%s/doc.xml", dir);
    const char *sch = SCH_OPEN "<sch:ns prefix='q' uri='urn:q'/>"
        "<sch:pattern id='P' documents=\"'sub.xml'\"><sch:rule context='t'>"
        "<sch:report id='S' test='true()'>sub \xc3\xa9</sch:report></sch:rule></sch:pattern>"
        "<sch:pattern id='\xc3\xa9'><sch:rule context='u'>"
        "<sch:report id='E' test='true()'><sch:value-of select=\"''\"/></sch:report></sch:rule></sch:pattern>"
        SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    xmlDocPtr doc = parse_doc("<d><u/></d>");
    xmlFree((xmlChar *)doc->URL);
    doc->URL = NULL;
    sd_svrl *a = NULL, *b = NULL;
    sd_error err;
    snprintf(path, sizeof path, "%s/d\x01\xff.xml", dir);
    assert_int_equal(sd_sch_run(p, doc, path, NULL, &a, &err), SD_OK);
    assert_int_equal(sd_sch_run(p, doc, path, NULL, &b, &err), SD_OK);
    assert_int_equal(sd_svrl_merge(a, b), 0);
    sd_buf out;
    sd_buf_init(&out);
    sd_svrl_write(a, &out, 0);
    assert_false(sd_buf_failed(&out));
    xmlDocPtr d = xmlReadMemory(out.data, (int)out.len, "svrl.xml", NULL, XML_PARSE_NONET);
    assert_non_null(d); /* well-formed */
    xmlFreeDoc(d);
    const char *o = out.data;
    /* one ns-prefix-in-attribute-values per (uri, prefix) after the merge */
    const char *nsp = "<svrl:ns-prefix-in-attribute-values uri=\"urn:q\" prefix=\"q\"/>";
    assert_non_null(strstr(o, nsp));
    assert_null(strstr(strstr(o, nsp) + 1, nsp));
    /* the documents attribute of the pattern P, written before its rules' output */
    char want[600];
    snprintf(want, sizeof want, "<svrl:active-pattern id=\"P\" documents=\"%s/sub.xml\"/>\n"
             "  <svrl:fired-rule context=\"t\" document=\"%s/sub.xml\"/>", dir, dir);
    assert_non_null(strstr(o, want));
    /* a path with bytes XML cannot carry */
    assert_non_null(strstr(o, "/d\\x01\\xff.xml\"/>"));
    assert_non_null(strstr(o, "<svrl:text/>"));
    assert_non_null(strstr(o, "<svrl:active-pattern id=\"\xc3\xa9\""));
    assert_non_null(strstr(o, "<svrl:text>sub \xc3\xa9</svrl:text>"));
    /* both packs' bodies, in order */
    const char *first = strstr(o, "id=\"E\""), *second = first ? strstr(first + 1, "id=\"E\"") : NULL;
    assert_non_null(second);
    sd_buf_free(&out);
    /* nested in a set */
    sd_buf_init(&out);
    sd_svrl_write(a, &out, 1);
    o = out.data;
    assert_int_equal(strncmp(o, "<svrl:schematron-output ", 24), 0);
    assert_non_null(strstr(o, "\n      <svrl:active-pattern id=\"&#xE9;\""));
    assert_non_null(strstr(o, "<svrl:text>sub \xc3\xa9</svrl:text>"));
    assert_non_null(strstr(o, "\n    </svrl:schematron-output>"));
    assert_int_equal(o[out.len - 1], '>');
    sd_buf_free(&out);
    sd_svrl_free(a);
    xmlFreeDoc(doc);
    sd_sch_free(p);
    char f[600];
    snprintf(f, sizeof f, "%s/sub.xml", dir);
    unlink(f);
    rmdir(dir);
}

static void test_phases(void **state)
{
    (void)state;
    const char *sch = "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' defaultPhase='one'>"
        "<sch:phase id='one'><sch:active pattern='a'/></sch:phase>"
        "<sch:phase id='two'><sch:active pattern='b'/></sch:phase>"
        "<sch:pattern id='a'><sch:rule context='/'><sch:report id='A' test='true()'>a</sch:report></sch:rule></sch:pattern>"
        "<sch:pattern id='b'><sch:rule context='/'><sch:report id='B' test='true()'>b</sch:report></sch:rule></sch:pattern>"
        "</sch:schema>";
    const char *phases[] = {NULL, "#DEFAULT", "two", "#ALL"};
    const size_t na[] = {1, 1, 0, 1}, nb[] = {0, 0, 1, 1};
    for (int i = 0; i < 4; i++) {
        sd_sch_options opt = {0};
        opt.phase = phases[i];
        sd_sch_pack *p = must_compile(sch, &opt);
        sd_diags d;
        sd_error err;
        assert_int_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK);
        assert_int_equal(count_id(&d, "A"), na[i]);
        assert_int_equal(count_id(&d, "B"), nb[i]);
        sd_diags_free(&d);
        sd_sch_free(p);
    }
}

static void test_subordinate_documents(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-sub-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_text(dir, "other.xml", "<other>\n<item/>\n<item/></other>");
    write_text(dir, "evil.xml", "<!DOCTYPE x [<!ENTITY e 'x'>]><x>&e;</x>");
    char path[700];
    snprintf(path, sizeof path, "%s/main.xml", dir);
    const char *sch = SCH_OPEN "<sch:pattern documents='/main/@ref'><sch:rule context='item'>"
        "<sch:report id='SUB' test='true()'>item</sch:report></sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    xmlDocPtr doc = xmlReadMemory("<main ref='other.xml'/>", 23, path, NULL, XML_PARSE_NONET);
    sd_diags d;
    sd_diags_init(&d);
    sd_error err;
    assert_int_equal(sd_sch_run(p, doc, path, &d, NULL, &err), SD_OK);
    assert_int_equal(count_id(&d, "SUB"), 2);
    assert_non_null(strstr(d.items[0].file, "other.xml"));
    assert_int_equal(d.items[1].line, 3);
    sd_diags_free(&d);
    xmlFreeDoc(doc);
    /* a subordinate document with a DOCTYPE is refused */
    doc = xmlReadMemory("<main ref='evil.xml'/>", 22, path, NULL, XML_PARSE_NONET);
    sd_diags_init(&d);
    assert_int_equal(sd_sch_run(p, doc, path, &d, NULL, &err), SD_EIO);
    assert_non_null(strstr(err.msg, "DOCTYPE"));
    sd_diags_free(&d);
    xmlFreeDoc(doc);
    sd_sch_free(p);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Each rule's context is evaluated once per document, however large. */
static void test_linear_context_evaluation(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='u[@bad]'><sch:report id='BAD' test='true()'>b</sch:report></sch:rule>"
        "<sch:rule context='u'><sch:assert id='OK' test='true()'>x</sch:assert></sch:rule>"
        "<sch:rule abstract='true' id='ab'><sch:assert test='true()'>x</sch:assert></sch:rule></sch:pattern>"
        "<sch:pattern><sch:rule context='@bad'><sch:report id='ATTR' test='true()'>a</sch:report></sch:rule></sch:pattern>"
        SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    for (int size = 10; size <= 10000; size *= 10) {
        sch_buf b = {0};
        sch_buf_adds(&b, "<d>");
        for (int i = 0; i < size; i++)
            sch_buf_adds(&b, i % 10 == 0 ? "<u bad='1'/>" : "<u/>");
        sch_buf_adds(&b, "</d>");
        sd_diags d;
        sd_error err;
        sch_stats st;
        assert_int_equal(run_str(p, sch_buf_str(&b), &d, &st, &err), SD_OK);
        sch_buf_free(&b);
        assert_int_equal(st.context_evals, 3); /* 2 + 1 concrete rules, whatever the size */
        assert_int_equal(st.rules_fired, (unsigned long)(size + size / 10));
        assert_int_equal(st.tests, (unsigned long)(size + size / 10));
        assert_int_equal(count_id(&d, "BAD"), (size_t)size / 10);
        assert_int_equal(count_id(&d, "ATTR"), (size_t)size / 10);
        assert_int_equal(count_id(&d, "OK"), 0);
        sd_diags_free(&d);
    }
    sd_sch_free(p);
}

/* sd_svrl_write_moving gives the bytes sd_svrl_write gives: into an empty
 * buffer by moving a large body (the report's body is then empty), else (a
 * small body, a buffer already holding bytes) by copying.  The fixed bytes
 * of rules and asserts, kept after their first firing, come out the same
 * for every firing. */
static void test_svrl_write_moving(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:ns prefix='q' uri='urn:q'/>"
        "<sch:pattern id='P'><sch:rule context='u' role='r&amp;'>"
        "<sch:assert id='A' test='false()' role='w' xml:lang='zh'>u <sch:value-of select='@n'/></sch:assert>"
        "<sch:report id='R' test='@n = 3' flag='f'>three</sch:report></sch:rule></sch:pattern>"
        SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    for (int size = 3; size <= 3000; size *= 1000) {
        sch_buf x = {0};
        sch_buf_adds(&x, "<d>");
        for (int i = 0; i < size; i++) {
            char el[64];
            snprintf(el, sizeof el, "<u n='%d'/>", i);
            sch_buf_adds(&x, el);
        }
        sch_buf_adds(&x, "</d>");
        xmlDocPtr doc = parse_doc(sch_buf_str(&x));
        sch_buf_free(&x);
        sd_svrl *a = NULL;
        sd_error err;
        assert_int_equal(sd_sch_run(p, doc, "d.xml", NULL, &a, &err), SD_OK);
        sd_buf want, got, after;
        sd_buf_init(&want);
        sd_buf_init(&got);
        sd_buf_init(&after);
        sd_svrl_write(a, &want, 0);
        sd_buf_puts(&after, "x");
        sd_svrl_write_moving(a, &after); /* not empty: copied */
        assert_string_equal(after.data + 1, want.data);
        size_t body = a->body.len;
        sd_svrl_write_moving(a, &got);
        assert_string_equal(got.data, want.data);
        assert_int_equal(got.len, want.len);
        if (size > 3) {
            assert_true(body >= 65536);
            assert_int_equal(a->body.len, 0); /* moved */
        } else {
            assert_int_equal(a->body.len, body); /* copied */
        }
        const char *fired = "  <svrl:fired-rule context=\"u\" role=\"r&amp;\"/>\n"
                            "  <svrl:failed-assert test=\"false()\" id=\"A\" role=\"w\" location=\"/d[1]/u[3]\" xml:lang=\"zh\">\n"
                            "    <svrl:text>u 2</svrl:text>\n  </svrl:failed-assert>\n";
        assert_non_null(strstr(got.data, fired));
        if (size > 3)
            assert_non_null(strstr(got.data, "<svrl:successful-report test=\"@n = 3\" id=\"R\" flag=\"f\" location=\"/d[1]/u[4]\">"));
        sd_buf_free(&want);
        sd_buf_free(&got);
        sd_buf_free(&after);
        sd_svrl_free(a);
        xmlFreeDoc(doc);
    }
    sd_sch_free(p);
}

/* Runs p on xml parsed as sdlint parses a checked document (with positions,
 * so with the list of elements); the findings' ids and locations, in the
 * order they were made, go to out. */
static void run_listed(const sd_sch_pack *p, const char *xml, sch_stats *st, sch_buf *out)
{
    sd_source src = {.path = strdup("doc.xml"), .bytes = (unsigned char *)strdup(xml),
                     .len = strlen(xml)};
    sd_load_options lo = {.lang = SD_LANG_EN, .positions = 1};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    xmlDocPtr doc = NULL;
    assert_int_equal(sd_load_parse(&src, &lo, &doc, &d, &err), SD_OK);
    assert_non_null(doc);
    assert_int_equal(sch_run_ex(p, doc, "doc.xml", &d, NULL, st, &err), SD_OK);
    for (size_t i = 0; i < d.count; i++) {
        sch_buf_adds(out, d.items[i].rule_id);
        sch_buf_adds(out, " ");
        sch_buf_adds(out, d.items[i].location ? d.items[i].location : "-");
        sch_buf_adds(out, "\n");
    }
    sd_diags_free(&d);
    sd_load_doc_free(doc);
    sd_source_free(&src);
}

/* A rule context that is only an element name is read from the parse's list
 * of elements, not by libxml2 walking the tree; the nodes and their order
 * are what XPath gives (here the same contexts with a predicate that is
 * always true, which takes the XPath way): names in a namespace and other
 * names are left out, nested and CJK names found, the first rule of a
 * pattern that matches a node keeps it. */
static void test_plain_name_contexts_from_the_element_list(void **state)
{
    (void)state;
    const char *xml = "<d xmlns:q='urn:q'><item n='1'><item n='2'/></item><q:item n='3'/>"
                      "<items/><单位 n='4'><item n='5'/></单位><x><item n='6' bad='1'/></x>"
                      "<it xmlns='urn:d'><item n='7'/></it></d>";
    const char *forms[2][4] = {{"item", " 单位 ", "item[@bad]", "nothing"},
                               {"item[true()]", "单位[true()]", "item[@bad]", "nothing[true()]"}};
    sch_buf got[2] = {{0}, {0}};
    sch_stats st[2][2];
    for (int f = 0; f < 2; f++) {
        char sch1[1024], sch2[1024];
        /* one rule alone in its pattern (fired straight from the list), and
         * behind another rule of its pattern (claimed, then ordered) */
        snprintf(sch1, sizeof sch1, SCH_OPEN
                 "<sch:pattern><sch:rule context='%s'><sch:report id='A' test='true()'>a</sch:report></sch:rule></sch:pattern>"
                 "<sch:pattern><sch:rule context='%s'><sch:report id='B' test='true()'>b</sch:report></sch:rule></sch:pattern>"
                 "<sch:pattern><sch:rule context='%s'><sch:report id='N' test='true()'>n</sch:report></sch:rule></sch:pattern>"
                 SCH_CLOSE, forms[f][0], forms[f][1], forms[f][3]);
        snprintf(sch2, sizeof sch2, SCH_OPEN
                 "<sch:pattern><sch:rule context='%s'><sch:report id='BAD' test='true()'>x</sch:report></sch:rule>"
                 "<sch:rule context='%s'><sch:report id='C' test='true()'>c</sch:report></sch:rule>"
                 "<sch:rule context='%s'><sch:report id='D' test='true()'>d</sch:report></sch:rule></sch:pattern>"
                 SCH_CLOSE, forms[f][2], forms[f][0], forms[f][1]);
        for (int k = 0; k < 2; k++) {
            sd_sch_pack *p = must_compile(k == 0 ? sch1 : sch2, NULL);
            run_listed(p, xml, &st[f][k], &got[f]);
            sd_sch_free(p);
        }
    }
    assert_string_equal(sch_buf_str(&got[0]), sch_buf_str(&got[1]));
    assert_non_null(strstr(sch_buf_str(&got[0]), "A /d[1]/item[1]/item[1]\n"));
    assert_non_null(strstr(sch_buf_str(&got[0]), "B /d[1]/单位[1]\n"));
    assert_non_null(strstr(sch_buf_str(&got[0]), "BAD /d[1]/x[1]/item[1]\n"));
    assert_null(strstr(sch_buf_str(&got[0]), "C /d[1]/x[1]/item[1]\n"));
    /* 4 of item, 1 of 单位 in the first pack; 4 - 1 and 1 in the second */
    size_t a = 0, c = 0;
    for (const char *s = sch_buf_str(&got[0]); (s = strstr(s, "\nA ")) != NULL; s++)
        a++;
    for (const char *s = sch_buf_str(&got[0]); (s = strstr(s, "\nC ")) != NULL; s++)
        c++;
    assert_int_equal(a, 3); /* the first A is at the start, without a newline before */
    assert_int_equal(c, 3);
    assert_int_equal(st[0][0].listed, 3);
    assert_int_equal(st[0][1].listed, 2);
    assert_int_equal(st[1][0].listed, 0);
    assert_int_equal(st[1][1].listed, 0);
    sch_buf_free(&got[0]);
    sch_buf_free(&got[1]);
}

/* Claimed nodes of every kind fire in document order; text contexts in mixed
 * content are ordered in linear time (the old qsort with xmlXPathCmpNodes
 * walked siblings per comparison: 40,000 text nodes took about 8 s). */
static void test_text_contexts_in_document_order(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='b'><sch:report id='N' test='true()'>b</sch:report></sch:rule>"
        "<sch:rule context='text()'><sch:report id='N' test='true()'><sch:value-of select='.'/></sch:report></sch:rule>"
        "<sch:rule context='@k'><sch:report id='N' test='true()'>@<sch:value-of select='.'/></sch:report></sch:rule>"
        "<sch:rule context='comment()'><sch:report id='N' test='true()'>c</sch:report></sch:rule></sch:pattern>"
        SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d>x<b k='1'>y</b><!--z-->w<b/></d>", &d, NULL, &err), SD_OK);
    const char *want[] = {"x", "b", "@1", "y", "c", "w", "b"};
    assert_int_equal(d.count, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(d.items[i].message, want[i]);
    sd_diags_free(&d);
    sd_sch_free(p);

    p = must_compile(SCH_OPEN "<sch:pattern><sch:rule context='text()'>"
                     "<sch:assert id='T' test='true()'>t</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE,
                     NULL);
    sch_buf b = {0};
    sch_buf_adds(&b, "<d><p>");
    for (int i = 0; i < 40000; i++) {
        char t[32];
        snprintf(t, sizeof t, "t%d<b/>", i); /* distinct texts: about 7 s before */
        sch_buf_adds(&b, t);
    }
    sch_buf_adds(&b, "</p></d>");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sch_stats st;
    assert_int_equal(run_str(p, sch_buf_str(&b), &d, &st, &err), SD_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sch_buf_free(&b);
    assert_int_equal(st.rules_fired, 40000);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(s < 3.0); /* about 0.05 s; several seconds when quadratic */
    sd_diags_free(&d);
    sd_sch_free(p);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Runs pack source sch on a document of n copies of unit inside <d>, checks
 * the number of findings and that the run took less than limit seconds. */
static void run_big(const char *sch, const char *unit, int n, size_t want, double limit)
{
    sd_sch_pack *p = must_compile(sch, NULL);
    sch_buf b = {0};
    sch_buf_adds(&b, "<d>");
    for (int i = 0; i < n; i++)
        sch_buf_adds(&b, unit);
    sch_buf_adds(&b, "</d>");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, sch_buf_str(&b), &d, NULL, &err), SD_OK);
    double s = seconds_since(&t0);
    sch_buf_free(&b);
    if (d.count != want || s >= limit)
        fprintf(stderr, "%zu findings (want %zu) in %.2f s (limit %.1f)\n", d.count, want, s, limit);
    assert_int_equal(d.count, want);
    assert_true(s < limit);
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* libxml2 sorts every node-set result (O(preceding non-element siblings) per
 * comparison of two text nodes) and merges unions in O(n·m); rule contexts
 * avoid both.  Before: 30,000 text nodes between comments ≈ 14 s, a union of
 * 2 × 100,000 elements ≈ 11 s. */
static void test_contexts_avoid_libxml2_sort_and_union(void **state)
{
    (void)state;
    run_big(SCH_OPEN "<sch:pattern><sch:rule context='text()'>"
            "<sch:report id='T' test='. = \"x\"'>t</sch:report></sch:rule></sch:pattern>" SCH_CLOSE,
            "t<!--c-->", 30000, 0, 4.0);
    run_big(SCH_OPEN "<sch:pattern><sch:rule context='e | f'>"
            "<sch:report id='U' test='@x'>u</sch:report></sch:rule></sch:pattern>" SCH_CLOSE,
            "<e/><f/>", 100000, 0, 4.0);
    /* unions, predicates with count() inside, first rule wins, document order */
    const char *sch = SCH_OPEN
        "<sch:pattern><sch:rule context='f[count(../e) = 2] | g'><sch:report id='N' test='true()'>1<sch:value-of select='name()'/></sch:report></sch:rule>"
        "<sch:rule context='e | f | text()'><sch:report id='N' test='true()'>2<sch:value-of select='name()'/></sch:report></sch:rule></sch:pattern>"
        SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><f/><e/>x<g/><e/><f/></d>", &d, NULL, &err), SD_OK);
    const char *want[] = {"1f", "2e", "2", "1g", "2e", "1f"};
    assert_int_equal(d.count, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(d.items[i].message, want[i]);
    sd_diags_free(&d);
    sd_sch_free(p);
}

/* count($v), boolean($v), not($v), string($v), number($v) read the stored
 * value instead of a copy per reference (before: a let of 60,000 nodes
 * referenced on each of them ≈ 13 s), with XPath's results for every type
 * and the usual scoping. */
static void test_let_references_not_copied(void **state)
{
    (void)state;
    run_big(SCH_OPEN "<sch:let name='all' value='//e'/><sch:pattern><sch:rule context='e'>"
            "<sch:assert id='L' test='count($all) = 60000 and boolean($all)'>l</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE,
            "<e/>", 60000, 0, 4.0);
    run_big(SCH_OPEN "<sch:let name='all' value='//e'/><sch:pattern><sch:rule context='e'>"
            "<sch:assert id='L' test=' $all '>l</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE,
            "<e/>", 60000, 0, 4.0);
    const char *sch = SCH_OPEN
        "<sch:let name='s' value='//e'/><sch:let name='none' value='//zz'/>"
        "<sch:let name='b' value='1 = 1'/><sch:let name='str' value='\"2.5\"'/><sch:let name='num' value='0'/>"
        "<sch:pattern><sch:rule context='d'><sch:let name='rs' value='e[2]'/>"
        "<sch:report id='R' test='true()'>"
        "<sch:value-of select='count($rs)'/>,<sch:value-of select='count( $none )'/>,"
        "<sch:value-of select='boolean($none)'/>,<sch:value-of select='not($none)'/>,"
        "<sch:value-of select='string($rs)'/>,<sch:value-of select='number($rs) + 1'/>,"
        "<sch:value-of select='string($b)'/>,<sch:value-of select='number($b)'/>,"
        "<sch:value-of select='number($str) * 2'/>,<sch:value-of select='boolean($num)'/>,"
        "<sch:value-of select='not($str)'/>,<sch:value-of select='string($none)'/>|"
        "<sch:value-of select='count(e)'/>|<sch:value-of select='$s'/>,<sch:value-of select=' $b'/>,"
        "<sch:value-of select='$num'/>,<sch:value-of select='$none'/>"
        "</sch:report></sch:rule></sch:pattern>"
        "<sch:pattern><sch:rule context='d'><sch:report id='G' test='true()'>"
        "<sch:value-of select='count($s)'/>,<sch:value-of select='string($s)'/></sch:report></sch:rule></sch:pattern>"
        SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    sd_diags d;
    sd_error err;
    assert_int_equal(run_str(p, "<d><e>7</e><e>8</e><e>9</e></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 2);
    assert_string_equal(find_id(&d, "R", 0)->message,
                        "1,0,false,true,8,9,true,1,5,false,false,|3|7,true,0,");
    assert_string_equal(find_id(&d, "G", 0)->message, "3,7");
    sd_diags_free(&d);
    sd_sch_free(p);
    p = must_compile(SCH_OPEN "<sch:let name='t' value='//e'/><sch:let name='f' value='//zz'/>"
                     "<sch:let name='z' value='0'/><sch:let name='w' value='\"w\"'/>"
                     "<sch:pattern><sch:rule context='d'>"
                     "<sch:report id='T' test='$t'>t</sch:report><sch:report id='F' test='$f'>f</sch:report>"
                     "<sch:report id='Z' test='$z'>z</sch:report><sch:report id='W' test='$w'>w</sch:report>"
                     "</sch:rule></sch:pattern>" SCH_CLOSE, NULL);
    assert_int_equal(run_str(p, "<d><e/></d>", &d, NULL, &err), SD_OK);
    assert_int_equal(d.count, 2);
    assert_int_equal(count_id(&d, "T") + count_id(&d, "W"), 2);
    sd_diags_free(&d);
    sd_sch_free(p);
    /* $v[N]: the N-th node of the stored set, without a copy per reference */
    run_big(SCH_OPEN "<sch:let name='all' value='//e'/><sch:pattern><sch:rule context='e'>"
            "<sch:assert id='L' test='$all[1] and $all[ 60000 ] and not($all[60001])'>l</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE,
            "<e/>", 60000, 0, 4.0);
    p = must_compile(SCH_OPEN "<sch:let name='s' value='//e'/><sch:let name='n' value='3'/>"
                     "<sch:pattern><sch:rule context='d'><sch:report id='I' test='true()'>"
                     "<sch:value-of select='$s[1]'/>,<sch:value-of select='$s[3]'/>,"
                     "<sch:value-of select='count($s[4])'/>,<sch:value-of select='$s[2][1]'/>,"
                     "<sch:value-of select='$n[1]'/>,<sch:value-of select='$s[1.5]'/>,"
                     "<sch:value-of select='count($s[0])'/>"
                     "</sch:report></sch:rule></sch:pattern>" SCH_CLOSE, NULL);
    assert_int_equal(run_str(p, "<d><e>7</e><e>8</e><e>9</e></d>", &d, NULL, &err), SD_OK);
    assert_string_equal(find_id(&d, "I", 0)->message, "7,9,0,8,3,,0");
    sd_diags_free(&d);
    sd_sch_free(p);
    /* as in libxml2, ($n)[2] of a number is a type error */
    p = must_compile(SCH_OPEN "<sch:let name='n' value='3'/><sch:pattern><sch:rule context='d'>"
                     "<sch:assert test='$n[2]'>x</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE,
                     NULL);
    assert_int_not_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK);
    sd_diags_free(&d);
    sd_sch_free(p);
    /* count() of a value that is not a node-set is still an error */
    p = must_compile(SCH_OPEN "<sch:let name='n' value='3'/><sch:pattern><sch:rule context='d'>"
                     "<sch:assert test='count($n) = 1'>x</sch:assert></sch:rule></sch:pattern>" SCH_CLOSE,
                     NULL);
    assert_int_not_equal(run_str(p, "<d/>", &d, NULL, &err), SD_OK);
    assert_non_null(strstr(err.msg, "count($n)"));
    sd_diags_free(&d);
    sd_sch_free(p);
}

typedef struct thread_arg {
    const sd_sch_pack *pack;
    int ok;
} thread_arg;

static void *thread_run(void *v)
{
    thread_arg *a = v;
    a->ok = 1;
    for (int i = 0; i < 20; i++) {
        xmlDocPtr doc = xmlReadMemory("<d><u n='a-b'/><u n='c'/></d>", 29, "t.xml", NULL, XML_PARSE_NONET);
        sd_diags d;
        sd_diags_init(&d);
        sd_error err;
        sd_svrl *svrl = NULL;
        if (sd_sch_run(a->pack, doc, "t.xml", &d, &svrl, &err) != SD_OK || d.count != 1 ||
            strcmp(d.items[0].message, "b|a") != 0)
            a->ok = 0;
        sd_svrl_free(svrl);
        sd_diags_free(&d);
        xmlFreeDoc(doc);
    }
    return NULL;
}

static void test_threads_share_a_pack(void **state)
{
    (void)state;
    const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='u'>"
        "<sch:report id='T' test=\"sdl:matches(@n, concat('-', ''))\">"
        "<sch:value-of select=\"sdl:replace(@n, '(.)-(.)', '$2|$1')\"/></sch:report>"
        "</sch:rule></sch:pattern>" SCH_CLOSE;
    sd_sch_pack *p = must_compile(sch, NULL);
    pthread_t t[4];
    thread_arg a[4];
    for (int i = 0; i < 4; i++) {
        a[i].pack = p;
        assert_int_equal(pthread_create(&t[i], NULL, thread_run, &a[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_true(a[i].ok);
    }
    sd_sch_free(p);
}

int main(void)
{
    xmlInitParser();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_let_scoping),
        cmocka_unit_test(test_phase_let_overrides_schema_let),
        cmocka_unit_test(test_let_element_content),
        cmocka_unit_test(test_first_rule_wins),
        cmocka_unit_test(test_contexts_of_every_kind),
        cmocka_unit_test(test_location_and_lines_with_namespace),
        cmocka_unit_test(test_severity),
        cmocka_unit_test(test_abstract_pattern_and_rule),
        cmocka_unit_test(test_include_and_extends),
        cmocka_unit_test(test_diagnostics_language),
        cmocka_unit_test(test_message_fallbacks),
        cmocka_unit_test(test_plain_attribute_value_of),
        cmocka_unit_test(test_svrl),
        cmocka_unit_test(test_svrl_complete),
        cmocka_unit_test(test_svrl_stream),
        cmocka_unit_test(test_svrl_write_moving),
        cmocka_unit_test(test_phases),
        cmocka_unit_test(test_subordinate_documents),
        cmocka_unit_test(test_linear_context_evaluation),
        cmocka_unit_test(test_text_contexts_in_document_order),
        cmocka_unit_test(test_plain_name_contexts_from_the_element_list),
        cmocka_unit_test(test_contexts_avoid_libxml2_sort_and_union),
        cmocka_unit_test(test_let_references_not_copied),
        cmocka_unit_test(test_threads_share_a_pack),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
