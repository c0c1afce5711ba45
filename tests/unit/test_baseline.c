/*
 * test_baseline.c — fingerprints (baseline.h): the same for a finding moved to
 * another line, or named "./f" instead of "f"; different when a value in the
 * message, the location, the rule or the file changes; save, load, apply with
 * counts, and stale entries only for inputs that were checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "baseline.h"

static sd_finding mk(const char *rule, const char *file, long line, const char *loc, const char *msg)
{
    sd_finding f = {.rule_id = (char *)rule, .severity = SD_SEV_ERROR, .file = (char *)file,
                    .line = line, .col = 5, .location = (char *)loc, .message = (char *)msg};
    return f;
}

static void test_fingerprint(void **state)
{
    (void)state;
    char a[17], b[17];
    sd_finding f = mk("SD101", "d/x.xml", 10, "/a[1]/b[2]", "内设机构\"信用建设处\"编制3名，少于4名");
    sd_baseline_fingerprint(&f, a);
    assert_int_equal(strlen(a), 16);
    sd_finding g = mk("SD101", "./d/x.xml", 99, "/a[1]/b[2]", "内设机构\"信用建设处\"编制3名，少于4名");
    sd_baseline_fingerprint(&g, b);
    assert_string_equal(a, b); /* line and "./" do not count */
    g.message = "内设机构\"信用建设处\"编制2名，少于4名";
    sd_baseline_fingerprint(&g, b);
    assert_string_not_equal(a, b); /* a number in the message does */
    g = f;
    g.message = "内设机构\"信用处\"编制3名，少于4名";
    sd_baseline_fingerprint(&g, b);
    assert_string_not_equal(a, b); /* a quoted value does */
    g = f;
    g.location = "/a[1]/b[3]";
    sd_baseline_fingerprint(&g, b);
    assert_string_not_equal(a, b);
    g = f;
    g.rule_id = "SD102";
    sd_baseline_fingerprint(&g, b);
    assert_string_not_equal(a, b);
    /* FNV-1a 64 of "R\0f\0\0" and no values: documented, so fixed here. */
    g = mk("R", "f", 1, NULL, "no values");
    sd_baseline_fingerprint(&g, b);
    uint64_t h = 0xcbf29ce484222325ULL;
    const char bytes[] = {'R', 0, 'f', 0, 0};
    for (size_t i = 0; i < sizeof bytes; i++) {
        h ^= (unsigned char)bytes[i];
        h *= 0x100000001b3ULL;
    }
    char want[17];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)h);
    assert_string_equal(b, want);
}

static void test_save_load_apply(void **state)
{
    (void)state;
    char path[] = "/tmp/sdlint-baseline-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sd_error err = {0};
    sd_baseline *w = sd_baseline_new(SD_LANG_ZH);
    sd_finding f1 = mk("SD101", "x.xml", 3, "/a", "\"<&>\" 3");
    sd_finding f2 = mk("SD102", "y.xml", 4, "/b", "gone 1");
    sd_finding fatal = mk("SD001", "z.xml", 0, NULL, "unreadable");
    fatal.severity = SD_SEV_FATAL;
    assert_int_equal(sd_baseline_add(w, &f1, &err), SD_OK);
    assert_int_equal(sd_baseline_add(w, &f1, &err), SD_OK); /* twice: count 2 */
    assert_int_equal(sd_baseline_add(w, &f2, &err), SD_OK);
    assert_int_equal(sd_baseline_add(w, &fatal, &err), SD_OK); /* never recorded */
    assert_int_equal(sd_baseline_save(w, path, &err), SD_OK);
    sd_baseline_free(w);

    sd_baseline *b = NULL;
    assert_int_equal(sd_baseline_load(path, &b, &err), SD_OK);
    assert_int_equal(sd_baseline_lang(b), SD_LANG_ZH);
    sd_diags d;
    sd_diags_init(&d);
    f1.line = 30; /* moved */
    for (int i = 0; i < 3; i++)
        assert_int_equal(sd_diags_add(&d, &f1, &err), SD_OK);
    assert_int_equal(sd_baseline_apply(b, "x.xml", &d, &err), SD_OK);
    assert_int_equal(d.items[0].baselined, 1);
    assert_int_equal(d.items[1].baselined, 1);
    assert_int_equal(d.items[2].baselined, 0); /* a third one is new */
    const char *const *lines;
    size_t n;
    assert_int_equal(sd_baseline_stale(b, &lines, &n, &err), SD_OK);
    assert_int_equal(n, 0); /* y.xml was not checked: its entry is not stale */
    sd_diags empty;
    sd_diags_init(&empty);
    assert_int_equal(sd_baseline_apply(b, "./y.xml", &empty, &err), SD_OK);
    assert_int_equal(sd_baseline_stale(b, &lines, &n, &err), SD_OK);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0], "y.xml: SD102 /b: gone 1");
    sd_baseline_free(b);
    sd_diags_free(&d);
    /* Not a baseline. */
    FILE *o = fopen(path, "w");
    fputs("<other/>", o);
    fclose(o);
    assert_int_equal(sd_baseline_load(path, &b, &err), SD_EINVAL);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_save_load_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
