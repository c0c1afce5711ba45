/*
 * test_plan.c — plan loading (plan.h): each reference resolved relative to the
 * plan and read once (one file named three ways is one document); a 三定 that
 * leaves the plan's folder (.., absolute, symlink), is missing, of the wrong
 * kind or jurisdiction is SD207 at its attribute; a catalogue and a parent
 * plan may lie above; FIFOs, folders and unreadable files refused; --catalogue/--parent/.sdlint.xml precedence; the hash
 * tables (by id, by normalised name, before/after apart) with thousands of
 * entries; the name normaliser; sd_checker_check_plan's members.
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

#include "plan.h"
#include "sdlint.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *sanding(const char *code)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\"?>\n<sanding xmlns=\"urn:sdlint:schema:1\">\n"
             "  <jurisdiction name=\"x\" code=\"%s\" tier=\"sub-provincial\"/>\n</sanding>\n",
             code);
    return buf;
}

static const char CATALOGUE[] = "<?xml version=\"1.0\"?>\n<catalogue xmlns=\"urn:sdlint:schema:1\"/>\n";
static const char PARENT[] = "<?xml version=\"1.0\"?>\n<reformPlan xmlns=\"urn:sdlint:schema:1\"/>\n";

static int setup(void **state)
{
    (void)state;
    sd_init();
    snprintf(root, sizeof root, "/tmp/sdlint-plan-XXXXXX");
    if (mkdtemp(root) == NULL)
        return -1;
    char p[512];
    const char *dirs[] = {"in", "in/s", "out"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", root, dirs[i]);
        mkdir(p, 0755);
    }
    put("in/s/a.xml", sanding("210100"));
    put("in/s/dl.xml", sanding("210200"));
    put("in/s/cat.xml", CATALOGUE);
    put("out/b.xml", sanding("210100"));
    put("cat.xml", CATALOGUE);
    put("parent.xml", PARENT);
    snprintf(p, sizeof p, "%s/in/link.xml", root);
    return symlink("../out/b.xml", p);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* A loaded plan and what it holds. */
typedef struct loaded {
    char path[512];
    sd_source src;
    struct _xmlDoc *doc;
    sd_plan *plan;
    sd_diags d;
} loaded;

static void load(loaded *l, const char *body, const sd_plan_options *opt)
{
    memset(l, 0, sizeof *l);
    put("in/plan.xml", body);
    snprintf(l->path, sizeof l->path, "%s/in/plan.xml", root);
    sd_diags_init(&l->d);
    sd_error err = {0};
    sd_load_options lo = {.lang = SD_LANG_EN, .positions = 1};
    assert_int_equal(sd_load_read_file(l->path, &lo, &l->src, &l->d, &err), SD_OK);
    assert_int_equal(sd_load_parse(&l->src, &lo, &l->doc, &l->d, &err), SD_OK);
    assert_non_null(l->doc);
    assert_int_equal(l->d.count, 0);
    sd_plan_options def = {.lang = SD_LANG_EN};
    assert_int_equal(sd_plan_load(opt ? opt : &def, l->path, l->doc, &l->plan, &l->d, &err), SD_OK);
    assert_non_null(l->plan);
}

static void unload(loaded *l)
{
    sd_plan_free(l->plan);
    sd_load_doc_free(l->doc);
    sd_source_free(&l->src);
    sd_diags_free(&l->d);
}

/* The finding whose message holds needle, or fails. */
static const sd_finding *with(const sd_diags *d, const char *needle)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->items[i].message, needle))
            return &d->items[i];
    fail_msg("no finding says \"%s\"", needle);
    return NULL;
}

#define PLAN_HEAD "<?xml version=\"1.0\"?>\n<reformPlan xmlns=\"urn:sdlint:schema:1\">\n" \
                  "  <jurisdiction name=\"沈阳市\" code=\"210100\" tier=\"sub-provincial\"/>\n"

static void test_normalize(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"ＡＢＣ　沈阳市 营商\n环境建设局。", "ABC沈阳市营商环境建设局"},
        {"中共沈阳市委组织部；", "中共沈阳市委组织部"},
        {"a.b.,", "a.b"},
        {"（Ａ１）", "(A1)"}, /* full-width brackets fold too */
        {"", ""},
        {"\xff\xfe局", "\xff\xfe局"}, /* bytes that are not UTF-8 stay as they are */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *n = sd_plan_normalize_name(cases[i][0]);
        assert_non_null(n);
        assert_string_equal(n, cases[i][1]);
        free(n);
    }
}

static void test_resolution(void **state)
{
    (void)state;
    loaded l;
    load(&l,
         PLAN_HEAD
         "  <parentPlan href=\"../parent.xml\"><title>t</title></parentPlan>\n"
         "  <catalogueRef href=\"../cat.xml\"/>\n"
         "  <agenciesAfter>\n"
         "    <agency id=\"a1\" name=\"甲\" sanding=\"s/a.xml\"/>\n"
         "    <agency id=\"a2\" name=\"乙\" sanding=\"./s/a.xml\"/>\n"
         "    <agency id=\" a2b \" name=\"乙乙\" sanding=\"&#10; s/../s/a.xml \"/>\n"
         "    <agency id=\"a3\" name=\"丙\" sanding=\"../out/b.xml\"/>\n"
         "    <agency id=\"a4\" name=\"丁\" sanding=\"/etc/hostname\"/>\n"
         "    <agency id=\"a5\" name=\"戊\" sanding=\"link.xml\"/>\n"
         "    <agency id=\"a6\" name=\"己\" sanding=\"s/none.xml\"/>\n"
         "    <agency id=\"a7\" name=\"庚\" sanding=\"s/dl.xml\"/>\n"
         "    <agency id=\"a8\" name=\"辛\" sanding=\"s/cat.xml\"/>\n"
         "    <agency id=\"a9\" name=\"壬\"/>\n"
         "  </agenciesAfter>\n"
         "</reformPlan>\n",
         NULL);
    /* One finding per bad reference, each at its attribute (line 8 + k). */
    assert_int_equal(l.d.count, 6);
    for (size_t i = 0; i < l.d.count; i++) {
        assert_string_equal(l.d.items[i].rule_id, "SD207");
        assert_int_equal(l.d.items[i].severity, SD_SEV_ERROR);
        assert_string_equal(l.d.items[i].file, l.path);
        assert_true(l.d.items[i].col > 0);
        assert_non_null(strstr(l.d.items[i].location, "/@sanding"));
    }
    assert_int_equal(with(&l.d, "out/b.xml leaves the plan's folder")->line, 10);
    assert_int_equal(with(&l.d, "/etc/hostname is an absolute path")->line, 11);
    assert_int_equal(with(&l.d, "link.xml leaves the plan's folder")->line, 12);
    assert_int_equal(with(&l.d, "s/none.xml does not exist")->line, 13);
    assert_int_equal(with(&l.d, "jurisdiction 210200, not of the plan's 210100")->line, 14);
    assert_int_equal(with(&l.d, "s/cat.xml is not a 三定 but a higher-level catalogue")->line, 15);
    /* Documents: a.xml once (three spellings), dl.xml, s/cat.xml, the
     * catalogue and the parent above the plan's folder. */
    assert_int_equal(sd_plan_doc_count(l.plan), 5);
    const sd_plan_agency *a1 = sd_plan_agency_by_id(l.plan, 1, "a1");
    const sd_plan_agency *a2 = sd_plan_agency_by_id(l.plan, 1, "a2");
    const sd_plan_agency *a2b = sd_plan_agency_by_id(l.plan, 1, "a2b");
    assert_non_null(a1);
    assert_true(a1->doc >= 0);
    assert_int_equal(a2->doc, a1->doc);
    assert_int_equal(a2b->doc, a1->doc);
    assert_int_equal(sd_plan_agency_by_id(l.plan, 1, "a3")->doc, -1);
    assert_int_equal(sd_plan_agency_by_id(l.plan, 1, "a9")->doc, -1);
    sd_plan_doc *d = sd_plan_doc_by_id(l.plan, "a1");
    assert_non_null(d);
    assert_ptr_equal(d, sd_plan_doc_at(l.plan, (size_t)a1->doc));
    assert_int_equal(d->kind, SD_KIND_SANDING);
    assert_non_null(d->doc);
    assert_non_null(strstr(d->src.path, "/in/s/a.xml"));
    assert_null(strstr(d->src.path, "./")); /* the ./ step is not shown */
    assert_null(sd_plan_doc_by_id(l.plan, "a2")); /* by the first referring agency */
    sd_plan_doc *cat = sd_plan_catalogue(l.plan), *parent = sd_plan_parent(l.plan);
    assert_non_null(cat);
    assert_int_equal(cat->kind, SD_KIND_CATALOGUE);
    assert_ptr_equal(cat, sd_plan_doc_by_id(l.plan, "#catalogue"));
    assert_non_null(parent);
    assert_int_equal(parent->kind, SD_KIND_PLAN);
    assert_ptr_equal(parent, sd_plan_doc_by_id(l.plan, "#parent"));
    unload(&l);
}

static void test_other_references(void **state)
{
    (void)state;
    loaded l;
    /* Missing, of the wrong kind, the plan itself: never accepted. */
    load(&l,
         PLAN_HEAD
         "  <parentPlan href=\"plan.xml\"/>\n"
         "  <catalogueRef href=\"s/a.xml\"/>\n"
         "  <agenciesAfter><agency id=\"a1\" name=\"甲\" sanding=\"s/a.xml\"/></agenciesAfter>\n"
         "</reformPlan>\n",
         NULL);
    assert_int_equal(l.d.count, 2);
    assert_int_equal(with(&l.d, "catalogue file")->line, 5);
    with(&l.d, "is not a catalogue but a 三定");
    assert_int_equal(with(&l.d, "is this plan itself")->line, 4);
    assert_null(sd_plan_catalogue(l.plan));
    assert_null(sd_plan_parent(l.plan));
    assert_null(sd_plan_doc_by_id(l.plan, "#catalogue"));
    assert_int_equal(sd_plan_doc_count(l.plan), 1); /* a.xml read once for both references */
    unload(&l);

    /* The command line wins over the plan (whose references are not read),
     * and an override's finding is about the whole file. */
    char missing[512], parent[512], cat[512];
    snprintf(missing, sizeof missing, "%s/nowhere.xml", root);
    snprintf(parent, sizeof parent, "%s/cat.xml", root);
    snprintf(cat, sizeof cat, "%s/cat.xml", root);
    sd_plan_options o = {.lang = SD_LANG_EN, .catalogue = missing, .parent = parent,
                         .default_catalogue = cat, .default_catalogue_origin = "x/.sdlint.xml:3"};
    load(&l,
         PLAN_HEAD
         "  <parentPlan href=\"../parent.xml\"/>\n"
         "  <catalogueRef href=\"../cat.xml\"/>\n"
         "  <agenciesAfter><agency id=\"a1\" name=\"甲\"/></agenciesAfter>\n"
         "</reformPlan>\n",
         &o);
    assert_int_equal(l.d.count, 2);
    const sd_finding *f = with(&l.d, "(given by --catalogue) does not exist");
    assert_int_equal(f->line, 0);
    assert_null(f->location);
    with(&l.d, "(given by --parent) is not a parent plan but a higher-level catalogue");
    unload(&l);

    /* The configuration's catalogue only when the plan names none. */
    sd_plan_options c = {.lang = SD_LANG_EN, .default_catalogue = missing,
                         .default_catalogue_origin = "x/.sdlint.xml:3"};
    load(&l, PLAN_HEAD "  <catalogueRef href=\"../cat.xml\"/>\n</reformPlan>\n", &c);
    assert_int_equal(l.d.count, 0);
    assert_non_null(sd_plan_catalogue(l.plan));
    unload(&l);
    load(&l, PLAN_HEAD "</reformPlan>\n", &c);
    assert_int_equal(l.d.count, 1);
    with(&l.d, "(given by x/.sdlint.xml:3) does not exist");
    unload(&l);
    c.default_catalogue = cat;
    load(&l, PLAN_HEAD "</reformPlan>\n", &c);
    assert_int_equal(l.d.count, 0);
    assert_non_null(sd_plan_catalogue(l.plan));
    unload(&l);
}

/* A thread's cache of catalogues and parent plans: the second plan borrows
 * the documents the first loaded (each under its own name), a file changed
 * in between is read again, and what is found is what a load without the
 * cache finds. */
static void test_cache(void **state)
{
    (void)state;
    sd_plan_cache *cache = sd_plan_cache_new();
    assert_non_null(cache);
    sd_plan_options with_cache = {.lang = SD_LANG_EN, .cache = cache}, none = {.lang = SD_LANG_EN};
    loaded a, b, c;
    load(&a, PLAN_HEAD "  <parentPlan href=\"../parent.xml\"/>\n  <catalogueRef href=\"../cat.xml\"/>\n"
                       "</reformPlan>\n", &with_cache);
    assert_int_equal(a.d.count, 0);
    load(&b, PLAN_HEAD "  <parentPlan href=\"../in/../parent.xml\"/>\n  <catalogueRef href=\"../cat.xml\"/>\n"
                       "  <agenciesAfter><agency id=\"a1\" name=\"甲\" sanding=\"../cat.xml\"/></agenciesAfter>\n"
                       "</reformPlan>\n", &with_cache);
    load(&c, PLAN_HEAD "  <parentPlan href=\"../in/../parent.xml\"/>\n  <catalogueRef href=\"../cat.xml\"/>\n"
                       "  <agenciesAfter><agency id=\"a1\" name=\"甲\" sanding=\"../cat.xml\"/></agenciesAfter>\n"
                       "</reformPlan>\n", &none);
    assert_true(sd_plan_parent(b.plan)->shared && sd_plan_catalogue(b.plan)->shared);
    assert_ptr_equal(sd_plan_parent(a.plan)->doc, sd_plan_parent(b.plan)->doc);
    assert_ptr_equal(sd_plan_catalogue(a.plan)->doc, sd_plan_catalogue(b.plan)->doc);
    assert_false(sd_plan_parent(c.plan)->shared);
    assert_string_not_equal(sd_plan_parent(a.plan)->src.path, sd_plan_parent(b.plan)->src.path);
    assert_string_equal(sd_plan_parent(b.plan)->src.path, sd_plan_parent(c.plan)->src.path);
    assert_int_equal(b.d.count, c.d.count); /* the same SD207 for the catalogue named as a 三定 */
    assert_int_equal(b.d.count, 1);
    assert_string_equal(b.d.items[0].message, c.d.items[0].message);
    unload(&a);
    unload(&b);
    unload(&c);
    /* The catalogue's file replaced by a plan: read again, no longer a catalogue. */
    put("cat.xml", PARENT);
    load(&a, PLAN_HEAD "  <catalogueRef href=\"../cat.xml\"/>\n</reformPlan>\n", &with_cache);
    assert_null(sd_plan_catalogue(a.plan));
    with(&a.d, "is not a catalogue but a reform plan");
    unload(&a);
    put("cat.xml", CATALOGUE);
    /* More files than entries: each still loaded right. */
    const char *names[] = {"c1.xml", "c2.xml", "c3.xml", "c4.xml", "c5.xml", "c6.xml"};
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < 6; i++) {
            char rel[64], body[1024];
            snprintf(rel, sizeof rel, "out/%s", names[i]);
            if (round == 0)
                put(rel, CATALOGUE);
            snprintf(body, sizeof body, PLAN_HEAD "  <catalogueRef href=\"../out/%s\"/>\n</reformPlan>\n",
                     names[i]);
            load(&a, body, &with_cache);
            assert_int_equal(a.d.count, 0);
            assert_non_null(sd_plan_catalogue(a.plan));
            assert_non_null(strstr(sd_plan_catalogue(a.plan)->src.path, names[i]));
            unload(&a);
        }
    sd_plan_cache_free(cache);
}

/* A FIFO is refused without blocking; a file without read permission is
 * unreadable (not checkable as root, who may read it anyway). */
static void test_special_files(void **state)
{
    (void)state;
    char p[512];
    snprintf(p, sizeof p, "%s/in/s/fifo.xml", root);
    assert_int_equal(mkfifo(p, 0644), 0);
    put("in/s/locked.xml", sanding("210100"));
    snprintf(p, sizeof p, "%s/in/s/locked.xml", root);
    assert_int_equal(chmod(p, 0), 0);
    loaded l;
    load(&l,
         PLAN_HEAD
         "  <catalogueRef href=\"s/fifo.xml\"/>\n"
         "  <agenciesAfter>\n"
         "    <agency id=\"a1\" name=\"甲\" sanding=\"s/fifo.xml\"/>\n"
         "    <agency id=\"a2\" name=\"乙\" sanding=\"s/locked.xml\"/>\n"
         "    <agency id=\"a3\" name=\"丙\" sanding=\"s\"/>\n"
         "  </agenciesAfter>\n</reformPlan>\n",
         NULL);
    assert_int_equal(with(&l.d, "the 三定 file")->line, 6);
    with(&l.d, "s/fifo.xml is not a regular file");
    with(&l.d, "catalogue file");
    with(&l.d, "s is a folder, not a file");
    if (geteuid() != 0) {
        assert_int_equal(l.d.count, 4);
        assert_int_equal(with(&l.d, "s/locked.xml cannot be read: permission denied")->line, 7);
    } else {
        assert_int_equal(l.d.count, 3);
    }
    unload(&l);
    chmod(p, 0644);
}

/* Thousands of agencies: every id and name found (the tables grow), before
 * and after kept apart, names compared normalised. */
static void test_tables(void **state)
{
    (void)state;
    enum { N = 3000 };
    size_t cap = (size_t)N * 2 * 120 + 4096, len = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    len += (size_t)snprintf(body + len, cap - len, "%s  <agenciesBefore>\n", PLAN_HEAD);
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(body + len, cap - len,
                                "    <agency id=\"x%d\" name=\"旧机构%d号\"/>\n", i, i);
    len += (size_t)snprintf(body + len, cap - len, "  </agenciesBefore>\n  <agenciesAfter>\n");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(body + len, cap - len,
                                "    <agency id=\"x%d\" name=\"新机构%d号\"/>\n", i, i);
    snprintf(body + len, cap - len, "  </agenciesAfter>\n</reformPlan>\n");
    loaded l;
    load(&l, body, NULL);
    free(body);
    assert_int_equal(sd_plan_agency_count(l.plan), 2 * N);
    for (int i = 0; i < N; i++) {
        char id[32], name[64];
        snprintf(id, sizeof id, "x%d", i);
        const sd_plan_agency *b = sd_plan_agency_by_id(l.plan, 0, id);
        const sd_plan_agency *a = sd_plan_agency_by_id(l.plan, 1, id);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(a->after, 1);
        assert_int_equal(b->after, 0);
        snprintf(name, sizeof name, "新机构%d号", i);
        assert_string_equal(a->name, name);
        assert_ptr_equal(sd_plan_agency_by_name(l.plan, 1, name), a);
        assert_null(sd_plan_agency_by_name(l.plan, 0, name));
    }
    /* Full-width digits, a space, a trailing 。 : the same name. */
    assert_ptr_equal(sd_plan_agency_by_name(l.plan, 1, "新机构 ４２号。"),
                     sd_plan_agency_by_id(l.plan, 1, "x42"));
    assert_null(sd_plan_agency_by_id(l.plan, 1, "x3000"));
    assert_null(sd_plan_agency_by_name(l.plan, 1, "新机构3000号"));
    assert_null(sd_plan_agency_by_id(l.plan, 1, ""));
    assert_null(sd_plan_doc_by_id(l.plan, "x1"));
    unload(&l);
}

/* What a caller claims before checking a folder: the 三定 files a plan names
 * that open beneath it, by identity; nothing for what is not a plan. */
static void test_sanding_files(void **state)
{
    (void)state;
    put("in/plan.xml", PLAN_HEAD
                       "  <agenciesAfter>\n"
                       "    <agency id=\"a1\" name=\"甲\" sanding=\" s/a.xml \"/>\n"
                       "    <agency id=\"a2\" name=\"乙\" sanding=\"s/none.xml\"/>\n"
                       "    <agency id=\"a3\" name=\"丙\" sanding=\"../out/b.xml\"/>\n"
                       "    <agency id=\"a4\" name=\"丁\" sanding=\"s/cat.xml\"/>\n"
                       "  </agenciesAfter>\n</reformPlan>\n");
    char path[512], a[512], cat[512];
    snprintf(path, sizeof path, "%s/in/plan.xml", root);
    snprintf(a, sizeof a, "%s/in/s/a.xml", root);
    snprintf(cat, sizeof cat, "%s/in/s/cat.xml", root);
    sd_plan_fileid *ids = NULL;
    size_t n = 0;
    sd_error err = {0};
    assert_int_equal(sd_plan_sanding_files(path, 0, &ids, &n, &err), SD_OK);
    assert_int_equal(n, 2); /* a.xml and cat.xml: missing and outside are not claimed */
    struct stat sa, sc;
    assert_int_equal(stat(a, &sa), 0);
    assert_int_equal(stat(cat, &sc), 0);
    assert_true(ids[0].dev == (unsigned long long)sa.st_dev && ids[0].ino == (unsigned long long)sa.st_ino);
    assert_true(ids[1].dev == (unsigned long long)sc.st_dev && ids[1].ino == (unsigned long long)sc.st_ino);
    free(ids);
    assert_int_equal(sd_plan_sanding_files(a, 0, &ids, &n, &err), SD_OK);
    assert_int_equal(n, 0);
    free(ids);
    snprintf(path, sizeof path, "%s/in/nothing.xml", root);
    assert_int_equal(sd_plan_sanding_files(path, 0, &ids, &n, &err), SD_OK);
    assert_int_equal(n, 0);
    free(ids);
    /* Read by a scan without a tree: an '&' decoded, other elements and
     * another namespace's agency ignored; an xml:id (which only the tree
     * builder judges) sends it through the parse, with the same answer; a
     * plan that is not well-formed claims nothing. */
    put("in/s/a&b.xml", sanding("210100"));
    static const char *const bodies[] = {
        PLAN_HEAD "  <agenciesBefore><agency id=\"b\" sanding=\"s/dl.xml\"/></agenciesBefore>\n"
                  "  <agenciesAfter><x:agency xmlns:x=\"urn:x\" sanding=\"s/dl.xml\"/>\n"
                  "    <agency id=\"a1\" name=\"甲\" sanding=\"&#x9;s/a&amp;b.xml\"><agency sanding=\"s/dl.xml\"/></agency>\n"
                  "  </agenciesAfter>\n</reformPlan>\n",
        PLAN_HEAD "  <agenciesAfter xml:id=\"z\">\n"
                  "    <agency id=\"a1\" name=\"甲\" sanding=\"s/a&#38;b.xml\"/>\n"
                  "  </agenciesAfter>\n</reformPlan>\n",
    };
    char ab[512];
    snprintf(ab, sizeof ab, "%s/in/s/a&b.xml", root);
    struct stat sab;
    assert_int_equal(stat(ab, &sab), 0);
    snprintf(path, sizeof path, "%s/in/plan.xml", root);
    for (size_t i = 0; i < 2; i++) {
        put("in/plan.xml", bodies[i]);
        assert_int_equal(sd_plan_sanding_files(path, 0, &ids, &n, &err), SD_OK);
        assert_int_equal(n, 1);
        assert_true(ids[0].dev == (unsigned long long)sab.st_dev && ids[0].ino == (unsigned long long)sab.st_ino);
        free(ids);
    }
    put("in/plan.xml", PLAN_HEAD "  <agenciesAfter>\n    <agency id=\"a1\" sanding=\"s/a.xml\"/>\n"
                       "  </agenciesAfter>\n<broken></reformPlan>\n");
    assert_int_equal(sd_plan_sanding_files(path, 0, &ids, &n, &err), SD_OK);
    assert_int_equal(n, 0);
    free(ids);
}

/* The same, with each file's kind and the path a walk of the plan's folder
 * reaches it by (audit.c's first pass then opens it no more): the kind as
 * its first bytes show it — a 三定, a catalogue, a plan, an empty file — and
 * the identity of the file itself. */
static void test_sanding_files_sniffed(void **state)
{
    (void)state;
    char fifo[512], path[512];
    snprintf(fifo, sizeof fifo, "%s/in/s/fifo.xml", root);
    struct stat fs;
    if (stat(fifo, &fs) != 0) /* test_special_files may have made it */
        assert_int_equal(mkfifo(fifo, 0644), 0);
    put("in/s/empty.xml", "");
    put("in/s/plan2.xml", PARENT);
    put("in/plan.xml", PLAN_HEAD
                       "  <agenciesAfter>\n"
                       "    <agency id=\"a1\" name=\"甲\" sanding=\" s/a.xml \"/>\n"
                       "    <agency id=\"a2\" name=\"乙\" sanding=\"s/none.xml\"/>\n"
                       "    <agency id=\"a3\" name=\"丙\" sanding=\"link.xml\"/>\n"
                       "    <agency id=\"a4\" name=\"丁\" sanding=\"s/cat.xml\"/>\n"
                       "    <agency id=\"a5\" name=\"戊\" sanding=\"s/empty.xml\"/>\n"
                       "    <agency id=\"a6\" name=\"己\" sanding=\"s/plan2.xml\"/>\n"
                       "    <agency id=\"a7\" name=\"庚\" sanding=\"s/fifo.xml\"/>\n"
                       "  </agenciesAfter>\n</reformPlan>\n");
    snprintf(path, sizeof path, "%s/in/plan.xml", root);
    sd_plan_file *files = NULL;
    size_t n = 0;
    sd_error err = {0};
    assert_int_equal(sd_plan_sanding_files_sniffed(path, 0, &files, &n, &err), SD_OK);
    static const struct {
        const char *rel;
        int kind;
    } want[] = {{"s/a.xml", SD_KIND_SANDING},   {"s/cat.xml", SD_KIND_CATALOGUE},
                {"s/empty.xml", SD_KIND_OTHER}, {"s/plan2.xml", SD_KIND_PLAN}};
    /* missing, outside and not a regular file: not claimed (nor waited on) */
    assert_int_equal(n, sizeof want / sizeof *want);
    for (size_t i = 0; i < n; i++) {
        char full[512];
        struct stat sb;
        snprintf(full, sizeof full, "%s/in/%s", root, want[i].rel);
        assert_string_equal(files[i].path, full);
        assert_int_equal(files[i].kind, want[i].kind);
        assert_int_equal(stat(full, &sb), 0);
        assert_true(files[i].dev == (unsigned long long)sb.st_dev &&
                    files[i].ino == (unsigned long long)sb.st_ino);
    }
    sd_plan_files_free(files, n);
    /* a plan at a path without a folder: the references as they are */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/in", root);
    assert_int_equal(chdir(path), 0);
    assert_int_equal(sd_plan_sanding_files_sniffed("plan.xml", 0, &files, &n, &err), SD_OK);
    assert_int_equal(n, sizeof want / sizeof *want);
    assert_string_equal(files[0].path, "s/a.xml");
    sd_plan_files_free(files, n);
    assert_int_equal(chdir(cwd), 0);
    snprintf(path, sizeof path, "%s/in/s/empty.xml", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/in/s/plan2.xml", root);
    unlink(path);
}

/* The checker's side: the plan's findings, then each 三定 it loaded once, as
 * a result of its own (a wrong-kind file is not a member). */
static void test_check_members(void **state)
{
    (void)state;
    put("in/plan.xml", PLAN_HEAD
                       "  <agenciesAfter>\n"
                       "    <agency id=\"a1\" name=\"甲\" sanding=\"s/a.xml\"/>\n"
                       "    <agency id=\"a2\" name=\"乙\" sanding=\"./s/a.xml\"/>\n"
                       "    <agency id=\"a7\" name=\"庚\" sanding=\"s/dl.xml\"/>\n"
                       "    <agency id=\"a8\" name=\"辛\" sanding=\"s/cat.xml\"/>\n"
                       "  </agenciesAfter>\n</reformPlan>\n");
    sd_checker_options co = {.lang = SD_LANG_EN};
    sd_checker *c = NULL;
    sd_error err = {0};
    assert_int_equal(sd_checker_new(&co, &c, &err), SD_OK);
    char path[512];
    snprintf(path, sizeof path, "%s/in/plan.xml", root);
    sd_result r;
    sd_plan_member *m = NULL;
    size_t n = 0;
    sd_plan_options po = {0};
    assert_int_equal(sd_checker_check_plan(c, path, &po, &r, &m, &n, &err), SD_OK);
    assert_int_equal(r.kind, SD_KIND_PLAN);
    size_t sd207 = 0;
    for (size_t i = 0; i < r.diags.count; i++)
        sd207 += strcmp(r.diags.items[i].rule_id, "SD207") == 0;
    assert_int_equal(sd207, 2); /* dl.xml's jurisdiction, cat.xml's kind */
    assert_int_equal(n, 2);
    assert_non_null(strstr(m[0].res.src.path, "/in/s/a.xml"));
    assert_non_null(strstr(m[1].res.src.path, "/in/s/dl.xml"));
    assert_int_equal(m[0].res.kind, SD_KIND_SANDING);
    assert_int_equal(m[0].res.parsed, 1);
    assert_true(m[0].dev != m[1].dev || m[0].ino != m[1].ino);
    for (size_t i = 0; i < m[0].res.diags.count; i++) /* its findings are about itself */
        assert_string_equal(m[0].res.diags.items[i].file, m[0].res.src.path);
    sd_plan_members_free(m, n);
    sd_result_free(&r);
    /* Not a plan: no members. */
    snprintf(path, sizeof path, "%s/in/s/a.xml", root);
    assert_int_equal(sd_checker_check_plan(c, path, &po, &r, &m, &n, &err), SD_OK);
    assert_int_equal(n, 0);
    sd_plan_members_free(m, n);
    sd_result_free(&r);
    sd_checker_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_resolution),
        cmocka_unit_test(test_other_references),
        cmocka_unit_test(test_special_files),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_sanding_files),
        cmocka_unit_test(test_sanding_files_sniffed),
        cmocka_unit_test(test_cache),
        cmocka_unit_test(test_check_members),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    sd_cleanup();
    return rc;
}
