/*
 * docs.c — the plan rules' documentation (sdlint rules / explain): titles, rationale and
 * sources in both languages
 * Part of the plan rules (see src/planrules.h and pr_int.h).
 */
#include "pr_int.h"

/* ----------------------------------------------------------------- docs */

#define SRC_SY "沈阳市机构改革情况报告"

static const sd_planrules_ruledoc DOCS[] = {
    {"SD201", SD_SEV_ERROR, "机构数超过限额，或行政编制超过总额", "Agencies above the cap, or posts above the total",
     "改革后计入机构限额的机构数不得超过方案写明的限额（agencyCap；方案没有写明时用配置的层级默认值）。合署办公、加挂牌子的机构和议事协调机构不计入；部门管理机构和归口管理的机构（如编办）计入。方案写明行政编制总额（adminPostsCap）的，改革后行政编制合计不得超过它。",
     "The agencies counted against the cap after the reform may not exceed the plan's cap (agencyCap; a "
     "tier default from configuration when the plan states none). Co-located and plate bodies and "
     "coordination bodies are not counted; department-managed agencies and those under centralized "
     "management (编办) are. When the plan states a total of administrative posts (adminPostsCap), the "
     "posts after the reform may not exceed it.",
     "机构限额按层级（县级：七省大县不超过37个，广东不超过35个）", "DOMAIN.md#SD201"},
    {"SD202", SD_SEV_ERROR, "上级必设机构没有对应", "Mandatory catalogue agency without a counterpart",
     "上级机构目录中标为必设（mandatory）的每个机构，本方案都要有对应：名称或别名相同，或某机构写明以它为上级对应机构（counterpart，方案条目或三定规定中）。一个机构可以对应多个目录条目（文化旅游和广播电视局对应文化和旅游厅、广播电视局）；目录允许在本层级合并设置（mayCombine）或加挂牌子（mayBePlate）的条目，按合并或加挂即为有对应。",
     "Every catalogue entry marked mandatory needs a counterpart in the plan: the same name or alias, or an "
     "agency declaring it as its counterpart (in its plan entry or its 三定). One agency may cover several "
     "entries (文化旅游和广播电视局 for 文化和旅游厅 and 广播电视局); an entry the catalogue lets be combined "
     "(mayCombine) or carried as a plate (mayBePlate) at the plan's tier is covered that way.",
     SRC_SY "：“新组建自然资源、卫生健康、退役军人事务、应急管理、医疗保障、市场监督等…与中央及省基本对应”", "DOMAIN.md#SD202"},
    {"SD203", SD_SEV_ERROR, "上级对应机构不在目录中", "Declared counterpart not in the catalogue",
     "方案条目或三定规定写明的每个上级对应机构（counterpart）都必须是上级机构目录中的名称或别名。不认识的名称按字符（不是字节）计算编辑距离，提示最接近的目录名称或别名，并说明它是哪个机构的别名。",
     "Every counterpart declared in a plan entry or a 三定 must be a name or alias of the higher-level "
     "catalogue. An unknown name gets the closest catalogue name or alias by edit distance over characters "
     "(not bytes), saying whose alias it is.",
     SRC_SY "：“实现了市级机构职能与上级机构基本对应”", "DOMAIN.md#SD203"},
    {"SD204", SD_SEV_ERROR, "职责划转不平衡", "Transfers do not balance",
     "一项职责从甲划转到乙，连同行政编制、领导职数和人员（编随事走、人随编走）：无论写在方案的职责划转清单里还是写在两个机构的三定规定里，各处记载的数字必须一致，甲的转出必须有乙的转入（或清单中的一项）。机构按方案中的标识（三定规定所属的方案条目）认定。方案写明的划转项数、编制数和涉及机构数必须等于清单之和。",
     "A function moved from A to B carries its administrative posts, leadership posts and staff: wherever it "
     "is recorded — the plan's transfer list, A's 三定 (transferOut), B's 三定 (transferIn) — the figures "
     "must agree, and A's move out needs B's move in (or an item of the list). Agencies are identified by the "
     "plan's ids (the entry a 三定 belongs to). The list's stated totals of transfers, posts and agencies "
     "equal its sums.",
     SRC_SY "：“编随事走、人随编走”；《地方各级人民政府机构设置和编制管理条例》第十八条", "DOMAIN.md#SD204"},
    {"SD205", SD_SEV_ERROR, "同一职能由两个机构承担", "One function claimed by two agencies",
     "同一职能代码，或规范化后相同的职责表述（全角半角统一，去掉空白和句末标点），出现在两个机构的三定规定中。每个三定规定都有的套话不算：最后一项“完成…交办的其他任务”，讲本机构自身事务的职责（本部门、本系统的安全生产等），以及半数以上（至少3个）三定规定都有的表述。问题报在已把该职能划出的机构处，另一机构作为相关位置。",
     "The same function code, or the same normalised duty text (full and half width folded, blanks and "
     "trailing punctuation dropped), appears in the 三定 of two agencies. Boilerplate every 三定 carries is "
     "exempt: the closing “完成…交办的其他任务”, a duty about the agency's own house (本部门、本系统的安全生产 "
     "and the like), and a text over half of the 三定 (three or more) carry. The finding goes to the agency that moved the "
     "function away, the other one is its related place.",
     "《地方各级人民政府机构设置和编制管理条例》第十条“职责相同或者相近的，原则上由一个行政机构承担”；" SRC_SY "：职责交叉", "DOMAIN.md#SD205"},
    {"SD206", SD_SEV_ERROR, "行政编制增加，或合计数不符", "Administrative posts grow, or totals disagree",
     "改革后行政编制合计不得多于改革前（编制只能在总额内调整）；方案写明的改革前、改革后行政编制合计和精简数必须等于所列机构之和与其差。",
     "The administrative posts after the reform may not exceed those before (posts move within the total); "
     "the plan's stated totals before and after, and its stated cut, equal the sums over the listed agencies "
     "and their difference.",
     "《地方各级人民政府机构设置和编制管理条例》第十八条（在总额内调整）", "DOMAIN.md#SD206"},
    {"SD208", SD_SEV_ERROR, "议事协调机构单设编制或办事机构", "Coordination body with own staff or office",
     "县级以上议事协调机构不单独核定人员编制（ownPosts，或作为方案条目的行政编制），不单设办事机构（separateOffice），具体工作由有关机构承担（officeHost）：违反为错误。临时性议事协调机构（temporary）没有写明撤销时限（endDate）为警告。",
     "Coordination bodies at county level and above get no staffing of their own (ownPosts, or posts as a "
     "plan entry) and no separate office (separateOffice); an agency hosts their work (officeHost): errors. A "
     "temporary body (temporary) without the date it ends (endDate) is a warning.",
     "《地方各级人民政府机构设置和编制管理条例》第十一条、第十二条、第十九条", "DOMAIN.md#SD208"},
    {"SD209", SD_SEV_WARNING, "职责分工写到不存在的机构", "Division of work names an agency that does not exist",
     "三定规定的职责分工（divisions/relatedAgency）只能写改革后存在的机构：本方案、上级方案或上级机构目录中的机构。写到本次改革撤销或更名前的机构，指出方案中的该机构；不认识的名称按字符编辑距离提示最接近的名称或别名。",
     "A 三定's division of work (divisions/relatedAgency) may only name agencies that exist after the reform: "
     "in the plan, its parent plan or the catalogue. Naming one this reform abolishes (or an old name) points "
     "at the plan's entry; an unknown name gets the closest name or alias by edit distance over characters.",
     "机构改革后职责分工须与改革后的机构设置相符", "DOMAIN.md#SD209"},
    {"SD210", SD_SEV_WARNING, "下级方案早于上级方案施行", "County plan takes effect before its city's",
     "县级方案的施行日期不得早于其上级（市）方案。上级方案文件自己的施行日期为准，县级方案中抄录的上级日期（parentPlan/effectiveDate）与之不一致的，也报告。",
     "A county plan may not take effect before its city's plan. The parent plan file's own date wins over "
     "the date copied into the county plan (parentPlan/effectiveDate); a disagreement between the two is "
     "reported too.",
     SRC_SY "：市级机构2019年1月1日、县级2019年2月1日起以新名称运行", "DOMAIN.md#SD210"},
    {"SD211", SD_SEV_ERROR, "写明的机构数与清单不符", "Stated agency counts disagree with the lists",
     "方案写明的改革前、改革后机构数（totals/before、after 的 agencies）等于清单中计入限额的机构数（合署办公、加挂牌子和不计入限额的种类不计），写明的减少数等于两者之差，写明的议事协调机构数等于所列数目。",
     "The stated counts of agencies before and after (totals/before, after @agencies) equal the counted "
     "entries of the lists (co-located, plate and uncounted kinds left out); the stated reduction equals "
     "their difference; the stated number of coordination bodies equals those listed.",
     SRC_SY "：58个→53个", "DOMAIN.md#SD211"},
    {"SD212", SD_SEV_ERROR, "内设机构或其领导职数增加", "Internal units or their leadership posts grow",
     "全方案按级别合计的内设机构领导职数，改革后不得多于改革前（只减不增），内设机构总数也不得增加；写明的合计数与核减数（totals 的 levelTotal、units 和 reduction）必须等于所列机构之和与其差。",
     "Plan-wide, internal-unit leadership posts per level after the reform may not exceed those before "
     "(they only decrease), nor may the number of internal units grow; the stated totals and cuts (totals' "
     "levelTotal, units and reduction) equal the sums over the listed agencies and their differences.",
     SRC_SY "：正处级领导职数减少49名，内设机构减少53个；“只减不增”", "DOMAIN.md#SD212"},
    {"SD213", SD_SEV_ERROR, "方案条目与三定规定不一致", "Plan entry and its 三定 disagree",
     "方案中的机构条目与它的三定规定必须一致：名称、机构类别、规格、行政编制、领导班子和各级内设机构领导职数、加挂的牌子、合署办公的机构。问题报在三定规定处，方案条目作为相关位置。",
     "A plan entry and its 三定 must agree: name, kind, rank, administrative posts, the leadership team and "
     "the internal-unit leadership posts per level, plates, and co-located partners. The finding goes to the "
     "三定, the plan entry is its related place.",
     SRC_SY, "DOMAIN.md#SD213"},
};

size_t sd_planrules_doc_count(void)
{
    return sizeof DOCS / sizeof DOCS[0];
}

const sd_planrules_ruledoc *sd_planrules_doc_at(size_t i)
{
    return i < sd_planrules_doc_count() ? &DOCS[i] : NULL;
}
