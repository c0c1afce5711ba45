/*
 * ruledoc.c — the rule list of `sdlint rules` and `sdlint explain`, taken from
 * the compiled packs of a checker (sd_sch_rule_at), plus the input and schema
 * rules SD001–SD006 that no pack implements and, with the built-in packs, the
 * built-in plan rules SD2xx (src/planrules/).  No parsing here: the engine read
 * the packs once, includes and all.  Cost: linear in the number of rules.
 */
#define _GNU_SOURCE /* memmem */
#include "ruledoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embedded.h"
#include "planrules.h"
#include "sch.h"

static const struct {
    const char *id;
    sd_severity sev;
    const char *title_zh, *title_en, *doc_zh, *doc_en;
} INPUT_RULES[] = {
    {"SD001", SD_SEV_FATAL, "不是格式正确的 XML，或无法读取", "Not well-formed XML, or unreadable",
     "文件必须存在、可读，并且是格式正确的 XML：标签成对闭合，只用预定义实体。目录中找不到 .xml 文件、二进制文件、被截断的文件也在此报告。这样的文件无法检查，退出码为 2。",
     "The file must exist, be readable and be well-formed XML: tags closed in pairs, only the predefined entities. Folders without .xml files, binary and truncated files are reported here too. Such a file cannot be checked; the exit code is 2."},
    {"SD002", SD_SEV_ERROR, "不符合 XSD 模式", "Not valid against its XSD",
     "按根元素识别文档种类（三定规定 sanding、机构改革方案 reformPlan、上级机构目录 catalogue），用对应的 XSD 校验：缺少的元素和属性、取值类型、格式、引用。",
     "The root element tells the kind of document (sanding, reformPlan, catalogue); the matching XSD checks missing elements and attributes, value types, patterns and references."},
    {"SD003", SD_SEV_FATAL, "编码错误", "Encoding problem",
     "没有编码声明的文件必须是 UTF-8；GBK/GB18030 文件要在 XML 声明中写明 encoding。无效字节的位置精确到行列。",
     "A file without an encoding declaration must be UTF-8; GBK/GB18030 files must say so in the XML declaration. Invalid bytes are located by line and column."},
    {"SD004", SD_SEV_FATAL, "不安全或过大的输入被拒绝", "Unsafe or oversized input refused",
     "出于安全原因拒绝：任何 DOCTYPE（因而没有 DTD、外部实体或实体膨胀）、超过 --max-size 的文件、超过 256 层的嵌套、超过 10 MB 的文本或属性值。",
     "Refused for safety: any DOCTYPE (so no DTD, external entity or entity expansion), files over --max-size, nesting deeper than 256, text or attribute values over 10 MB."},
    {"SD005", SD_SEV_ERROR, "无效的抑制指令", "Invalid suppression",
     "<?sdlint disable 规则编号 -- 理由?> 写在元素之前，抑制该元素及其子树上的这些规则；<?sdlint disable-file 规则编号 -- 理由?> 抑制整个文件。理由必不可少：没有理由、无法识别或后面没有元素的指令本身就是错误，且不抑制任何问题。",
     "<?sdlint disable RULE-ID -- reason?> before an element silences those rules for the element and its subtree; <?sdlint disable-file RULE-ID -- reason?> for the whole file. The reason is required: a directive without one, one that cannot be read, or a disable with no element after it is itself an error and silences nothing."},
    {"SD006", SD_SEV_WARNING, "未起作用的抑制指令", "Unused suppression",
     "抑制指令中列出的规则在其范围内没有任何问题可抑制：问题已修正或规则编号有误，应删除该指令。",
     "A rule named in a suppression has no finding to silence in its scope: the problem was fixed or the rule id is wrong; remove it."},
};

/* Cross-document rules built into the plan stage (plan.c), not into a pack;
 * listed after the packs' rules so that ids run in order.  Their examples are
 * rules/examples/ID-fail.xml and ID-pass.xml like a pack rule's.  pack is
 * NULL for them, as for SD001–SD006. */
static const struct {
    const char *id;
    sd_severity sev;
    const char *title_zh, *title_en, *doc_zh, *doc_en, *see;
} PLAN_RULES[] = {
    {"SD207", SD_SEV_ERROR, "方案引用的文件缺失、不安全或种类不对",
     "A file the plan references is missing, unsafe or of the wrong kind",
     "机构改革方案引用的每个文件都相对于方案文件解析，只读取一次：每个机构的三定规定（agenciesAfter/agency/@sanding）、上级机构目录（catalogueRef/@href）和上级方案（parentPlan/@href）。"
     "三定规定必须位于方案所在目录之内：经由 ..、绝对路径或符号链接离开该目录的引用不予读取；它必须存在、可读、是格式正确的 XML，根元素是 sanding，且与方案属于同一行政区划（jurisdiction/@code 相同）。"
     "上级机构目录和上级方案可以位于方案目录之上（如县级方案引用 ../city/plan.xml），但必须存在，且分别是 catalogue 和 reformPlan。"
     "每个有问题的引用报告一次，位置是方案中的引用属性；方案的其余部分照常检查。"
     "--catalogue 文件 和 --parent 文件 代替方案自己的引用；方案没有 catalogueRef 且未给 --catalogue 时，使用 .sdlint.xml 的 <catalogue>（优先级：命令行 > 方案 > 配置）。",
     "Every file a reform plan references is resolved relative to the plan's file and read once: "
     "each agency's 三定 (agenciesAfter/agency/@sanding), the higher-level catalogue "
     "(catalogueRef/@href) and the parent plan (parentPlan/@href). A 三定 must lie inside the "
     "plan's folder: a reference that leaves it through .., an absolute path or a symbolic link is "
     "not read; it must exist, be readable, be well-formed XML with the root element sanding, and be "
     "of the plan's jurisdiction (the same jurisdiction/@code). The catalogue and the parent plan "
     "may lie above the plan's folder (a county plan names ../city/plan.xml) but must exist and be "
     "a catalogue and a reformPlan. Each bad reference is reported once, at the referring "
     "attribute of the plan, and the rest of the plan is still checked. --catalogue FILE and "
     "--parent FILE replace the plan's own references; when the plan has no catalogueRef and no "
     "--catalogue is given, .sdlint.xml's <catalogue> is used (precedence: command line > plan > "
     "configuration).",
     "DOMAIN.md#SD207"},
    /* Not a plan rule: `sdlint import` (import.c) reports it about the source
     * text; listed here, after the plan rules, so that ids run in order. */
    {"SD301", SD_SEV_WARNING, "导入时未能识别的句子", "Sentence not understood on import",
     "sdlint import 读取三定规定文本时，每个句子都按 rules/import-zh.txt 中的句式（PCRE2 命名分组）识别；没有任何句式能识别的句子不会丢失："
     "它按原文作为注释（<!-- SD301 第N行 未识别: … -->）保留在生成的 XML 中原来的位置，并在此报告它在源文本中的行号，以便手工编码。"
     "句中的数字无法读出时也这样报告，该数字不写入 XML（导入从不编造数字：缺少的数据保持缺少，由 XSD 和其他规则报告）。"
     "若本地的措辞不同，可在句式文件中增加一个句式（--patterns 文件），无需修改程序。",
     "When sdlint import reads the text of a 三定, each sentence is matched against the wording of "
     "rules/import-zh.txt (PCRE2 with named groups); a sentence no pattern reads is not lost: it is kept "
     "as a comment (<!-- SD301 第N行 未识别: … -->) in its place in the XML written, and reported here "
     "with its line in the source text, so that it can be encoded by hand. A sentence with a figure that "
     "cannot be read is reported the same way and the figure left out (an import never makes up a "
     "figure: missing data stay missing, and the XSD and the other rules report them). Where a local "
     "wording differs, add a pattern to the patterns file (--patterns FILE) instead of changing the program.",
     "README.md#import-and-render"},
};

const sd_ruledoc *sd_ruledoc_find(const sd_ruledocs *docs, const char *id)
{
    for (size_t i = 0; i < docs->count; i++)
        if (strcasecmp(docs->items[i].id, id) == 0)
            return &docs->items[i];
    return NULL;
}

sd_status sd_ruledoc_list(const sd_checker *c, sd_lang lang, sd_ruledocs *docs, sd_error *err)
{
    memset(docs, 0, sizeof *docs);
    size_t n = sizeof INPUT_RULES / sizeof INPUT_RULES[0];
    n += sizeof PLAN_RULES / sizeof PLAN_RULES[0];
    for (size_t p = 0; p < sd_checker_pack_count(c); p++)
        n += sd_sch_rule_count(sd_checker_pack_at(c, p));
    n += sd_planrules_doc_count();
    docs->items = calloc(n ? n : 1, sizeof *docs->items);
    if (docs->items == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < sizeof INPUT_RULES / sizeof INPUT_RULES[0]; i++) {
        sd_ruledoc *r = &docs->items[docs->count++];
        r->id = INPUT_RULES[i].id;
        r->severity = INPUT_RULES[i].sev;
        r->title = SD_TR(lang, INPUT_RULES[i].title_zh, INPUT_RULES[i].title_en);
        r->doc = SD_TR(lang, INPUT_RULES[i].doc_zh, INPUT_RULES[i].doc_en);
        r->source = "";
        r->see = "";
    }
    for (size_t p = 0; p < sd_checker_pack_count(c); p++) {
        const sd_sch_pack *pack = sd_checker_pack_at(c, p);
        for (size_t i = 0; i < sd_sch_rule_count(pack); i++) {
            const sd_sch_rule_info *ri = sd_sch_rule_at(pack, i);
            if (sd_ruledoc_find(docs, ri->id) != NULL)
                continue;
            sd_ruledoc *r = &docs->items[docs->count++];
            r->id = ri->id;
            r->severity = ri->severity;
            r->title = ri->title ? ri->title : "";
            r->doc = ri->doc ? ri->doc : "";
            r->source = ri->source ? ri->source : "";
            r->see = ri->see ? ri->see : "";
            r->params = ri->params;
            r->nparams = ri->param_count;
            r->pack = pack;
            r->builtin = sd_checker_builtin_packs(c);
        }
    }
    /* The plan rules in id order: SD207 (plan loading, plan.c: plans are
     * loaded whatever packs run) among the built-in plan rules (src/planrules/,
     * which run with the built-in packs). */
    size_t nplan = sd_checker_builtin_packs(c) ? sd_planrules_doc_count() : 0, k = 0;
    for (size_t i = 0; i <= nplan; i++) {
        const sd_planrules_ruledoc *pd = i < nplan ? sd_planrules_doc_at(i) : NULL;
        for (; k < sizeof PLAN_RULES / sizeof PLAN_RULES[0] &&
               (pd == NULL || strcmp(PLAN_RULES[k].id, pd->id) < 0);
             k++) {
            if (sd_ruledoc_find(docs, PLAN_RULES[k].id) != NULL)
                continue; /* a --rules pack with the same id documents its own */
            sd_ruledoc *r = &docs->items[docs->count++];
            r->id = PLAN_RULES[k].id;
            r->severity = PLAN_RULES[k].sev;
            r->title = SD_TR(lang, PLAN_RULES[k].title_zh, PLAN_RULES[k].title_en);
            r->doc = SD_TR(lang, PLAN_RULES[k].doc_zh, PLAN_RULES[k].doc_en);
            r->source = "";
            r->see = PLAN_RULES[k].see;
            r->builtin = 1; /* examples in rules/examples/, whatever packs run */
        }
        if (pd == NULL || sd_ruledoc_find(docs, pd->id) != NULL)
            continue;
        sd_ruledoc *r = &docs->items[docs->count++];
        r->id = pd->id;
        r->severity = pd->severity;
        r->title = SD_TR(lang, pd->title_zh, pd->title_en);
        r->doc = SD_TR(lang, pd->doc_zh, pd->doc_en);
        r->source = pd->source;
        r->see = pd->see;
        r->builtin = 1;
    }
    return SD_OK;
}

static const char *const TIERS[] = {"province", "sub-provincial", "prefecture", "county",
                                     "sub-provincial-district"};

static void explain_params(const sd_ruledoc *r, sd_lang lang, sd_buf *b)
{
    if (r->nparams == 0 || r->pack == NULL)
        return;
    sd_buf_printf(b, "\n%s\n", SD_TR(lang, "参数（可用 --param 名称=值 覆盖）：",
                                     "Parameters (override with --param NAME=VALUE):"));
    const sd_sch_pack *pack = r->pack;
    for (size_t k = 0; k < r->nparams; k++) {
        const sd_sch_param_info *info = NULL;
        for (size_t i = 0; i < sd_sch_param_count(pack) && !info; i++)
            if (strcmp(sd_sch_param_at(pack, i)->name, r->params[k]) == 0)
                info = sd_sch_param_at(pack, i);
        sd_buf_printf(b, "  %s", r->params[k]);
        if (info && info->title && info->title[0])
            sd_buf_printf(b, "  %s", info->title);
        sd_buf_puts(b, "\n");
        if (info == NULL)
            continue;
        if (info->doc && info->doc[0])
            sd_buf_printf(b, "    %s\n", info->doc);
        sd_buf_puts(b, "   ");
        for (size_t t = 0; t < sizeof TIERS / sizeof TIERS[0]; t++) {
            const char *v = sd_sch_param_value(pack, r->params[k], TIERS[t]);
            sd_buf_printf(b, " %s=%s", TIERS[t], v && v[0] ? v : SD_TR(lang, "（不设）", "(unset)"));
        }
        sd_buf_puts(b, "\n");
        if (info->override_value)
            sd_buf_printf(b, "    %s%s\n", SD_TR(lang, "本次运行覆盖为：", "overridden in this run: "),
                          info->override_value);
    }
}

static void explain_example(const sd_ruledoc *r, const char *which, const char *heading, sd_buf *b)
{
    if (!r->builtin)
        return;
    sd_buf ex;
    sd_buf_init(&ex);
    if (sd_ruledoc_builtin_example(r->id, which, &ex) && ex.len) {
        sd_buf_printf(b, "\n%s (rules/examples/%s-%s.xml)\n", heading, r->id, which);
        sd_buf_add(b, ex.data, ex.len);
    }
    if (sd_buf_failed(&ex))
        b->failed = 1;
    sd_buf_free(&ex);
}

void sd_ruledoc_explain(const sd_ruledoc *r, sd_lang lang, sd_buf *b)
{
    sd_buf_printf(b, "%s  %s  %s\n", r->id, sd_severity_name(r->severity), r->title);
    if (r->doc[0])
        sd_buf_printf(b, "\n%s\n", r->doc);
    if (r->source[0])
        sd_buf_printf(b, "\n%s%s\n", SD_TR(lang, "依据：", "Source: "), r->source);
    explain_params(r, lang, b);
    explain_example(r, "fail", SD_TR(lang, "违反规则的例子", "Failing example"), b);
    explain_example(r, "pass", SD_TR(lang, "符合规则的例子", "Passing example"), b);
}

int sd_ruledoc_builtin_example(const char *id, const char *which, sd_buf *b)
{
    char name[128];
    if (snprintf(name, sizeof name, "%s-%s.xml", id, which) >= (int)sizeof name)
        return 0;
    const sd_embedded_file *f = sd_embedded_find(name);
    return f ? sd_ruledoc_example(f->bytes, f->len, b) : 0;
}

int sd_ruledoc_example(const char *bytes, size_t len, sd_buf *b)
{
    static const char open[] = "<!-- sdlint:example -->", close[] = "<!-- /sdlint:example -->";
    const char *end = bytes + len;
    const char *s = memmem(bytes, len, open, sizeof open - 1);
    if (s == NULL)
        return 0;
    s = memchr(s, '\n', (size_t)(end - s));
    const char *e = s ? memmem(s, (size_t)(end - s), close, sizeof close - 1) : NULL;
    if (e == NULL)
        return 0;
    while (e > s && e[-1] != '\n')
        e--;
    sd_buf_add(b, s + 1, (size_t)(e - s - 1));
    return 1;
}

void sd_ruledocs_free(sd_ruledocs *docs)
{
    free(docs->items);
    memset(docs, 0, sizeof *docs);
}
