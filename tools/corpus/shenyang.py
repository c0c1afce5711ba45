#!/usr/bin/env python3
"""shenyang.py — writes the Shenyang-like city sample: samples/city/plan.xml,
samples/city/catalogue-liaoning.xml and a 三定 for every agency after the
reform that has no hand-written one (samples/city/sanding/gen-*.xml).

Why: issue 10 item 7 asks for a complete city plan whose figures are those of
the 2019 Shenyang report (DOMAIN.md §4: 58 → 53 counted agencies, 12 议事协调机构,
52 transfers carrying 1,946 行政编制 between 42 departments, internal units −53,
正处级 −49) with a 三定 for every agency, passing every rule.  Writing ~50
consistent files by hand is where sums go wrong; here one table (the agency
list — names, kinds, predecessors, dispositions, counterparts, units; the
transfers) drives everything, and every stated figure is computed from what is
listed, so the plan, its 三定 and check_totals.py agree by construction.

The hand-written 三定 (营商、大数据、水务、自然资源、编办、外办) stay the reference for
their agencies: their figures (行政编制, team, levels, units, plates, 合署,
transfers) are read from the files and written into the plan, never the other
way round.

Deterministic: no randomness, no dates from the clock; running it twice gives
byte-identical files (tests: `python3 tools/corpus/shenyang.py --check`).
Cost: linear in the table.  Only the standard library.
Usage: shenyang.py [--out DIR] [--check]   (DIR default: samples/city)
"""
import argparse
import os
import sys
import xml.etree.ElementTree as ET

NS = "{urn:sdlint:schema:1}"
CITY = "沈阳市"
PARTY = "中共沈阳市委"
HAND = {  # after id -> hand-written 三定 (relative to the plan)
    "a-bb": "sanding/bianban.xml",
    "a-swwb": "sanding/waiban.xml",
    "a-zrzy": "sanding/ziranziyuan.xml",
    "a-sw": "sanding/shuiwu.xml",
    "a-ysj": "sanding/yingshang.xml",
    "a-dsj": "sanding/dashuju.xml",
}
# Before figures of the hand-written agencies' predecessors, as their
# beforeReform says (adminPosts, units, 正处级, 副处级).
HAND_BEFORE = {
    "b-bb": (35, 4, 4, 8), "b-wb": (40, 5, 5, 9), "b-ghgt": (78, 12, 14, 15),
    "b-slj": (78, 13, 14, 15), "b-ysj": (78, 12, 13, 16),
}

# ---------------------------------------------------------------- the table
# Agencies before the reform: id, name, kind, disposition.
BEFORE = [
    ("b-swbgt", PARTY + "办公厅", "party-office", "retained"),
    ("b-zzb", PARTY + "组织部", "party-department", "optimized"),
    ("b-xcb", PARTY + "宣传部", "party-department", "optimized"),
    ("b-tzb", PARTY + "统一战线工作部", "party-department", "optimized"),
    ("b-zfw", PARTY + "政法委员会", "party-department", "optimized"),
    ("b-zys", PARTY + "政策研究室", "party-office", "optimized"),
    ("b-wxb", PARTY + "网络安全和信息化领导小组办公室", "party-office", "reorganized"),
    ("b-bb", PARTY + "机构编制委员会办公室", "party-department", "retained"),
    ("b-tb", PARTY + "台湾工作办公室", "party-office", "retained"),
    ("b-lgbj", PARTY + "老干部局", "party-department", "retained"),
    ("b-jggw", "中共沈阳市直属机关工作委员会", "party-department", "retained"),
    ("b-jybm", PARTY + "机要保密局", "party-department", "retained"),
    ("b-610", PARTY + "防范和处理邪教问题领导小组办公室", "party-office", "abolished"),
    ("b-nwb", PARTY + "农村工作委员会", "party-department", "abolished"),
    ("b-zfbgt", CITY + "人民政府办公厅", "government-department", "optimized"),
    ("b-wb", CITY + "人民政府外事侨务办公室", "government-department", "abolished"),
    ("b-fzb", CITY + "人民政府法制办公室", "government-department", "abolished"),
    ("b-fgw", CITY + "发展和改革委员会", "government-department", "optimized"),
    ("b-wjj", CITY + "物价局", "government-department", "abolished"),
    ("b-lsj", CITY + "粮食局", "government-department", "abolished"),
    ("b-jxw", CITY + "经济和信息化委员会", "government-department", "reorganized"),
    ("b-jyj", CITY + "教育局", "government-department", "retained"),
    ("b-kjj", CITY + "科学技术局", "government-department", "optimized"),
    ("b-mzw", CITY + "民族和宗教事务委员会", "government-department", "reorganized"),
    ("b-gaj", CITY + "公安局", "government-department", "retained"),
    ("b-mzj", CITY + "民政局", "government-department", "optimized"),
    ("b-sfj", CITY + "司法局", "government-department", "reorganized"),
    ("b-czj", CITY + "财政局", "government-department", "optimized"),
    ("b-rsj", CITY + "人力资源和社会保障局", "government-department", "optimized"),
    ("b-ghgt", CITY + "规划和国土资源局", "government-department", "abolished"),
    ("b-hbj", CITY + "环境保护局", "government-department", "abolished"),
    ("b-cjw", CITY + "城乡建设委员会", "government-department", "abolished"),
    ("b-rfb", CITY + "人民防空办公室", "government-department", "abolished"),
    ("b-fcj", CITY + "房产局", "government-department", "optimized"),
    ("b-jtj", CITY + "交通运输局", "government-department", "optimized"),
    ("b-slj", CITY + "水利局", "government-department", "abolished"),
    ("b-njw", CITY + "农村经济委员会", "government-department", "abolished"),
    ("b-swj", CITY + "商务局", "government-department", "optimized"),
    ("b-fwy", CITY + "服务业委员会", "government-department", "abolished"),
    ("b-wgx", CITY + "文化广播电视新闻出版局", "government-department", "abolished"),
    ("b-lyw", CITY + "旅游委员会", "government-department", "abolished"),
    ("b-wjw", CITY + "卫生和计划生育委员会", "government-department", "abolished"),
    ("b-zyyj", CITY + "中医药管理局", "department-managed", "retained"),
    ("b-ajj", CITY + "安全生产监督管理局", "government-department", "abolished"),
    ("b-sjs", CITY + "审计局", "government-department", "optimized"),
    ("b-gzw", CITY + "人民政府国有资产监督管理委员会", "government-department", "optimized"),
    ("b-gsj", CITY + "工商行政管理局", "government-department", "abolished"),
    ("b-zjj", CITY + "质量技术监督局", "government-department", "abolished"),
    ("b-spj", CITY + "食品药品监督管理局", "government-department", "abolished"),
    ("b-zscq", CITY + "知识产权局", "department-managed", "reorganized"),
    ("b-tyj", CITY + "体育局", "government-department", "retained"),
    ("b-tjj", CITY + "统计局", "government-department", "retained"),
    ("b-ysj", CITY + "营商环境建设局", "government-department", "reorganized"),
    ("b-cgj", CITY + "城市管理行政执法局", "government-department", "abolished"),
    ("b-xfj", CITY + "信访局", "government-department", "retained"),
    ("b-jrb", CITY + "人民政府金融工作办公室", "government-department", "abolished"),
    ("b-jgsw", CITY + "机关事务管理局", "government-department", "retained"),
    ("b-yjs", CITY + "人民政府研究室", "government-department", "retained"),
]

# Agencies after the reform.  Fields: id, name, kind, disposition, slug (the
# 三定 file: sanding/gen-<slug>.xml), predecessors, counterparts (catalogue
# entry names; empty: a 特色机构 with a local reason), code prefix, domain (the
# field its duties are about), business units [(name, duty phrase)], deputies,
# extras {host, managedBy, relation, plates, coLocated, note, reason, kindword}.
A = []


def ag(id, name, kind, disp, slug, preds, cps, code, domain, units, deputy, **kw):
    A.append(dict(id=id, name=name, kind=kind, disp=disp, slug=slug, preds=preds, cps=cps, code=code,
                  domain=domain, units=units, deputy=deputy, **kw))


P, G, M = "party-department", "government-department", "department-managed"
ag("a-swbgt", PARTY + "办公厅", "party-office", "retained", "swbgt", ["b-swbgt"], ["办公厅"], "SWBGT", "市委日常运转保障",
   [("文稿处", "市委综合文稿起草"), ("会议活动处", "市委会议活动组织"), ("督查处", "市委决策部署督促检查"), ("信息处", "党委信息工作"),
    ("机要处", "机要通信管理"), ("法规处", "党内法规审核备案"), ("档案处", "党委档案和地方志管理"), ("接待处", "市委公务接待")], 4,
   plates=[CITY + "档案局"])
ag("a-zzb", PARTY + "组织部", P, "optimized", "zuzhi", ["b-zzb"], ["组织部"], "ZZB", "党的组织建设和干部人才",
   [("干部一处", "党政领导班子和领导干部考察管理"), ("干部二处", "国有企业领导人员管理"), ("干部监督处", "干部监督和选人用人检查"),
    ("组织处", "基层党组织建设"), ("党员教育处", "党员教育管理"), ("人才工作处", "人才队伍建设统筹"),
    ("公务员管理处", "公务员录用考核和职务职级管理"), ("公务员培训处", "公务员培训和奖励")], 4)
ag("a-xcb", PARTY + "宣传部", P, "optimized", "xuanchuan", ["b-xcb"], ["宣传部"], "XCB", "宣传思想文化",
   [("理论处", "党的理论学习宣传"), ("宣传处", "形势政策宣传"), ("新闻处", "新闻舆论引导"), ("文艺处", "文艺创作生产规划"),
    ("文明创建处", "精神文明创建"), ("新闻出版处", "新闻出版行政管理"), ("电影处", "电影发行放映管理")], 3,
   note="市委宣传部统一管理新闻出版、电影工作。")
ag("a-tzb", PARTY + "统一战线工作部", P, "optimized", "tongzhan", ["b-tzb"], ["统一战线工作部"], "TZB", "统一战线",
   [("党派处", "民主党派和无党派人士联络"), ("党外干部处", "党外代表人士队伍建设"), ("经济处", "非公有制经济人士统战"),
    ("社会处", "新的社会阶层人士统战"), ("侨务处", "侨务政策落实和海外联谊")], 3,
   note="市委统战部统一领导民族宗教工作、统一管理侨务工作。")
ag("a-zfw", PARTY + "政法委员会", P, "optimized", "zhengfa", ["b-zfw", "b-610"], ["政法委员会"], "ZFW", "政法综治",
   [("执法监督处", "政法执法监督"), ("综合治理处", "社会治安综合治理"), ("维稳处", "矛盾纠纷排查化解"),
    ("反邪教处", "防范和处理邪教问题"), ("队伍建设处", "政法队伍建设指导")], 3)
ag("a-zys", PARTY + "政策研究室", "party-office", "optimized", "zhengyan", ["b-zys"], ["政策研究室"], "ZYS", "市委决策调研",
   [("综合研究处", "全局性战略性问题研究"), ("经济研究处", "经济发展重大问题研究"), ("社会研究处", "社会发展重大问题研究"),
    ("改革协调处", "全面深化改革统筹协调")], 3)
ag("a-wxb", PARTY + "网络安全和信息化委员会办公室", "party-office", "reorganized", "wangxin", ["b-wxb"],
   ["网络安全和信息化委员会办公室"], "WXB", "网络安全和信息化",
   [("网络传播处", "网络内容建设管理"), ("网络安全处", "网络安全协调"), ("信息化发展处", "信息化发展统筹"), ("网络执法处", "网络违法违规查处")], 3)
ag("a-tb", PARTY + "台湾工作办公室", "party-office", "retained", "taiban", ["b-tb"], ["台湾工作办公室"], "TB", "对台工作",
   [("研究处", "对台工作调查研究"), ("联络处", "涉台联络"), ("交流处", "两岸交流"), ("经济处", "台商投资服务")], 2,
   coloc="a-ztb")
ag("a-lgbj", PARTY + "老干部局", P, "retained", "laoganbu", ["b-lgbj"], ["老干部局"], "LGBJ", "离退休干部服务管理",
   [("政策研究处", "老干部政策研究"), ("生活待遇处", "离退休干部生活待遇落实"), ("组织宣传处", "离退休干部党建"),
    ("活动服务处", "老干部活动阵地建设")], 2)
ag("a-jggw", "中共沈阳市直属机关工作委员会", P, "retained", "jiguan", ["b-jggw"], ["直属机关工作委员会"], "JGGW", "市直机关党建",
   [("组织处", "市直机关基层组织建设"), ("宣传处", "市直机关思想政治工作"), ("统战群工处", "市直机关统战和群团工作"),
    ("纪工委办公室", "市直机关纪律作风建设")], 2)
ag("a-jybm", PARTY + "机要保密局", P, "retained", "jiyao", ["b-jybm"], ["机要保密局"], "JYBM", "机要密码和保密",
   [("机要通信处", "机要保密综合协调"), ("密码管理处", "商用密码和党政密码管理"), ("保密监督处", "保密检查和泄密查处"), ("保密技术处", "保密技术防护")], 2,
   plates=[CITY + "国家保密局"])
ag("a-zfbgt", CITY + "人民政府办公厅", G, "optimized", "zfbgt", ["b-zfbgt"], ["人民政府办公厅"], "ZFBGT", "市政府日常运转保障",
   [("秘书一处", "市政府会议组织"), ("秘书二处", "市政府公文审核"), ("文稿处", "市政府综合文稿起草"), ("督查室", "市政府决策督查"),
    ("政务公开处", "政务公开和政府信息发布"), ("建议提案处", "人大代表建议和政协提案办理"), ("值班室", "市政府总值班"),
    ("法规处", "市政府规范性文件合法性审核")], 4)
ag("a-fgw", CITY + "发展和改革委员会", G, "optimized", "fagai", ["b-fgw"], ["发展和改革委员会"], "FGW", "国民经济和社会发展",
   [("经济形势分析处", "宏观经济形势分析"), ("规划处", "国民经济和社会发展规划编制"), ("体改处", "经济体制改革统筹"),
    ("投资处", "固定资产投资管理"), ("重点项目处", "重大项目推进"), ("服务业处", "服务业发展规划"), ("价格处", "价格管理和成本监审"),
    ("收费管理处", "行政事业性收费管理"), ("区域处", "区域协调发展"), ("资源环境处", "节能减排和资源节约")], 4)
ag("a-lsj", CITY + "粮食和物资储备局", M, "new", "liangchu", ["b-lsj"], ["粮食和物资储备局"], "LSJ", "粮食和物资储备",
   [("粮食调控处", "粮食宏观调控"), ("储备管理处", "地方粮食和物资储备管理"), ("流通监督处", "粮食流通监督检查"), ("安全仓储处", "粮库安全仓储")], 3,
   managedBy="a-fgw", relation="managed", note="由市发展和改革委员会管理。")
ag("a-gxj", CITY + "工业和信息化局", G, "reorganized", "gongxin", ["b-jxw"], ["工业和信息化厅"], "GXJ", "工业和信息化",
   [("运行监测处", "工业经济运行监测"), ("产业规划处", "工业产业规划"), ("技术改造处", "工业技术改造投资"), ("装备工业处", "装备制造业发展"),
    ("原材料工业处", "原材料工业发展"), ("消费品工业处", "消费品工业发展"), ("中小企业处", "中小企业服务"), ("军民融合处", "军民融合产业发展"),
    ("节能处", "工业节能和综合利用")], 4)
ag("a-jyj", CITY + "教育局", G, "retained", "jiaoyu", ["b-jyj"], ["教育厅"], "JYJ", "教育事业",
   [("基础教育处", "基础教育管理"), ("职业教育处", "职业教育和成人教育管理"), ("高等教育处", "市属高校管理"), ("学前教育处", "学前教育发展"),
    ("教师工作处", "教师队伍建设"), ("督导处", "教育督导评估"), ("学生资助处", "学生资助管理"), ("体卫艺处", "学校体育卫生和艺术教育")], 4)
ag("a-kjj", CITY + "科学技术局", G, "optimized", "keji", ["b-kjj"], ["科学技术厅"], "KJJ", "科技创新",
   [("规划处", "科技发展规划"), ("高新技术处", "高新技术产业化"), ("农村科技处", "农业农村科技"), ("社会发展科技处", "社会发展领域科技"),
    ("成果转化处", "科技成果转移转化"), ("外国专家处", "引进国外智力")], 3)
ag("a-mzzj", CITY + "民族和宗教事务局", G, "reorganized", "minzong", ["b-mzw"], ["民族和宗教事务委员会"], "MZZJ", "民族宗教事务",
   [("民族工作处", "民族团结进步创建"), ("宗教一处", "佛教道教事务管理"), ("宗教二处", "基督教天主教伊斯兰教事务管理"), ("政策法规处", "民族宗教政策法规宣传")], 3,
   managedBy="a-tzb", relation="centralized", note="作为市政府工作部门，归口市委统战部管理。")
ag("a-gaj", CITY + "公安局", G, "retained", "gongan", ["b-gaj"], ["公安厅"], "GAJ", "公共安全",
   [("指挥调度处", "公安指挥调度"), ("治安管理处", "治安行政管理"), ("刑事侦查处", "刑事案件侦查指导"), ("经济犯罪侦查处", "经济犯罪侦查"),
    ("出入境管理处", "出入境管理"), ("人口管理处", "户籍人口管理"), ("法制处", "公安执法监督"), ("科技信息化处", "公安科技信息化"),
    ("警务督察处", "警务督察"), ("政治处", "公安队伍建设")], 4)
ag("a-mzj", CITY + "民政局", G, "optimized", "minzheng", ["b-mzj"], ["民政厅"], "MZJ", "民政事务",
   [("社会救助处", "城乡社会救助"), ("基层政权处", "城乡社区治理"), ("社会组织管理处", "社会组织登记管理"),
    ("养老服务处", "养老服务体系建设"), ("儿童福利处", "儿童福利和收养登记"), ("区划地名处", "行政区划和地名管理")], 3)
ag("a-sfj", CITY + "司法局", G, "reorganized", "sifa", ["b-sfj", "b-fzb"], ["司法厅"], "SFJ", "司法行政和法治政府建设",
   [("法治督察处", "法治政府建设督察"), ("立法一处", "地方性法规草案审查"), ("立法二处", "政府规章起草审查"), ("行政复议处", "行政复议和应诉"),
    ("执法监督处", "行政执法协调监督"), ("律师工作处", "律师公证管理"), ("普法处", "法治宣传教育"), ("人民参与和促进法治处", "人民调解和人民陪审员")], 4)
ag("a-czj", CITY + "财政局", G, "optimized", "caizheng", ["b-czj"], ["财政厅"], "CZJ", "财政收支",
   [("预算处", "预算编制管理"), ("国库处", "国库集中收付"), ("税政处", "税收政策研究"), ("经济建设处", "经济建设资金管理"),
    ("社会保障处", "社会保障资金管理"), ("教科文处", "教科文资金管理"), ("政府采购处", "政府采购监督管理"), ("绩效评价处", "预算绩效管理"),
    ("债务管理处", "政府债务管理"), ("会计处", "会计管理")], 4)
ag("a-rsj", CITY + "人力资源和社会保障局", G, "optimized", "renshe", ["b-rsj"], ["人力资源和社会保障厅"], "RSJ", "人力资源和社会保障",
   [("就业促进处", "就业促进"), ("职业能力建设处", "职业技能培训"), ("养老保险处", "养老保险管理"), ("工伤保险处", "工伤保险管理"),
    ("劳动关系处", "劳动关系协调"), ("专业技术人员管理处", "专业技术人员和职称管理"), ("事业单位人事管理处", "事业单位人事管理")], 3)
ag("a-sthj", CITY + "生态环境局", G, "new", "shengtai", ["b-hbj"], ["生态环境厅"], "STHJ", "生态环境保护",
   [("大气环境处", "大气污染防治"), ("水生态环境处", "水污染防治"), ("土壤生态环境处", "土壤污染防治"), ("环境影响评价处", "环境影响评价审批"),
    ("应对气候变化处", "应对气候变化和减排"), ("生态环境监测处", "生态环境监测"), ("执法监督处", "生态环境执法监督")], 4)
ag("a-zjj", CITY + "住房和城乡建设局", G, "reorganized", "zhujian", ["b-cjw", "b-rfb"], ["住房和城乡建设厅"], "ZJJ", "住房和城乡建设",
   [("住房保障处", "住房保障"), ("建筑市场监管处", "建筑市场监管"), ("工程质量安全处", "工程质量安全监管"), ("城市建设处", "城市基础设施建设指导"),
    ("村镇建设处", "村镇建设指导"), ("建筑节能与科技处", "建筑节能和建设科技"), ("人防工程处", "人民防空工程管理"), ("人防指挥通信处", "人民防空指挥通信"),
    ("勘察设计处", "勘察设计管理")], 4, plates=[CITY + "人民防空办公室"])
ag("a-fcj", CITY + "房产局", G, "optimized", "fangchan", ["b-fcj"], [], "FCJ", "房地产市场管理",
   [("房地产市场处", "房地产市场监管"), ("物业管理处", "物业服务监管"), ("房屋征收处", "国有土地上房屋征收"), ("房屋安全处", "房屋安全鉴定管理"),
    ("产权管理处", "房屋权属交易管理")], 3,
   reason="沈阳市城市规模大、房屋存量多，单设房产局统一管理房地产市场和物业服务，省级无对应机构。")
ag("a-jtj", CITY + "交通运输局", G, "optimized", "jiaotong", ["b-jtj"], ["交通运输厅"], "JTJ", "交通运输",
   [("综合规划处", "交通运输规划"), ("公路管理处", "公路建设养护"), ("道路运输处", "道路运输管理"), ("城市客运处", "城市公共客运管理"),
    ("交通安全处", "交通运输安全监管"), ("物流发展处", "现代物流发展")], 3)
ag("a-nyncj", CITY + "农业农村局", G, "new", "nongye", ["b-njw", "b-nwb"], ["农业农村厅"], "NYNC", "农业农村",
   [("发展规划处", "农业农村发展规划"), ("乡村产业处", "乡村产业发展"), ("种植业处", "种植业管理"), ("畜牧兽医处", "畜牧兽医管理"),
    ("农产品质量安全处", "农产品质量安全监管"), ("农村经营管理处", "农村集体经济和土地承包管理"), ("农田建设处", "高标准农田建设"),
    ("农业机械化处", "农业机械化推广"), ("乡村振兴处", "乡村振兴统筹")], 4)
ag("a-swj", CITY + "商务局", G, "optimized", "shangwu", ["b-swj", "b-fwy"], ["商务厅"], "SWJ", "商务和服务业",
   [("市场体系建设处", "现代市场体系建设"), ("商贸服务处", "商贸服务业管理"), ("对外贸易处", "对外贸易促进"), ("外资管理处", "外商投资管理"),
    ("电子商务处", "电子商务发展"), ("口岸处", "口岸通关协调")], 3)
ag("a-wlgd", CITY + "文化旅游和广播电视局", G, "new", "wenlv", ["b-wgx", "b-lyw"], ["文化和旅游厅", "广播电视局"], "WLGD", "文化旅游和广播电视",
   [("艺术处", "艺术创作和演出"), ("公共服务处", "公共文化服务体系建设"), ("文物处", "文物保护和博物馆管理"), ("非物质文化遗产处", "非物质文化遗产保护"),
    ("产业发展处", "文化和旅游产业发展"), ("市场管理处", "文化和旅游市场管理"), ("旅游推广处", "旅游宣传推广"), ("广播电视处", "广播电视传播管理")], 4)
ag("a-wjw", CITY + "卫生健康委员会", G, "new", "weijian", ["b-wjw"], ["卫生健康委员会"], "WJW", "卫生健康",
   [("规划发展处", "卫生健康规划"), ("体制改革处", "医药卫生体制改革"), ("疾病预防控制处", "疾病预防控制"), ("医政医管处", "医疗机构管理"),
    ("基层卫生处", "基层卫生健康"), ("妇幼健康处", "妇幼健康服务"), ("老龄健康处", "老龄健康和医养结合"), ("综合监督处", "卫生健康综合监督"),
    ("人口监测与家庭发展处", "人口监测和家庭发展")], 4)
ag("a-zyyj", CITY + "中医药管理局", M, "retained", "zhongyiyao", ["b-zyyj"], ["中医药管理局"], "ZYYJ", "中医药",
   [("中医药发展处", "中医药综合管理"), ("医政处", "中医医疗机构管理"), ("科教处", "中医药科研教育"), ("传承处", "中医药传承创新")], 2,
   managedBy="a-wjw", relation="managed", note="由市卫生健康委员会管理。")
ag("a-tyjr", CITY + "退役军人事务局", G, "new", "tuiyi", [], ["退役军人事务厅"], "TYJR", "退役军人服务保障",
   [("思想政治和权益维护处", "退役军人思想政治和权益维护"), ("移交安置处", "退役军人移交安置"), ("就业创业处", "退役军人就业创业"),
    ("优抚褒扬处", "优待抚恤和烈士褒扬"), ("军休服务管理处", "军队离退休干部服务管理")], 3)
ag("a-yjgl", CITY + "应急管理局", G, "new", "yingji", ["b-ajj"], ["应急管理厅"], "YJGL", "应急管理",
   [("应急指挥处", "应急指挥协调"), ("风险监测和综合减灾处", "自然灾害风险监测"), ("救灾和物资保障处", "救灾物资保障"), ("防汛抗旱处", "水旱灾害应急救援"),
    ("危险化学品安全监管处", "危险化学品安全监管"), ("工贸安全监管处", "工贸行业安全监管"), ("防震减灾处", "防震减灾"), ("安全生产执法处", "安全生产执法")], 4)
ag("a-sjs", CITY + "审计局", G, "optimized", "shenji", ["b-sjs"], ["审计厅"], "SJS", "审计监督",
   [("财政审计处", "财政预算执行审计"), ("经济责任审计处", "领导干部经济责任审计"), ("企业审计处", "国有企业审计"), ("固定资产投资审计处", "重大投资项目审计"),
    ("社会保障审计处", "社会保障资金审计"), ("审理处", "审计业务质量控制")], 3)
ag("a-gzw", CITY + "人民政府国有资产监督管理委员会", G, "optimized", "guozi", ["b-gzw"], ["人民政府国有资产监督管理委员会"], "GZW",
   "国有资产监管",
   [("产权管理处", "国有产权管理"), ("企业改革处", "国有企业改革"), ("财务监督处", "国有企业财务监督"), ("考核分配处", "企业负责人业绩考核"),
    ("规划发展处", "国有资本布局")], 3)
ag("a-scjg", CITY + "市场监督管理局", G, "new", "shichang", ["b-gsj", "b-zjj", "b-spj"], ["市场监督管理局"], "SCJG", "市场监督管理",
   [("登记注册处", "市场主体登记注册"), ("信用监管处", "企业信用监管"), ("价格监督检查处", "价格监督检查和反不正当竞争"), ("网络交易监管处", "网络交易监管"),
    ("质量发展处", "质量强市"), ("标准化处", "标准化管理"), ("计量处", "计量管理"), ("特种设备安全监察处", "特种设备安全监察"),
    ("食品生产监管处", "食品生产监管"), ("食品经营监管处", "食品经营监管"), ("药品监管处", "药品医疗器械监管"), ("消费者权益保护处", "消费者权益保护"),
    ("执法稽查处", "市场监管执法稽查"), ("广告监管处", "广告监督管理")], 4)
ag("a-zscq", CITY + "知识产权局", M, "reorganized", "zhishichanquan", ["b-zscq"], ["知识产权局"], "ZSCQ", "知识产权",
   [("知识产权发展处", "知识产权综合管理"), ("保护处", "知识产权保护"), ("运用促进处", "知识产权运用")], 2,
   managedBy="a-scjg", relation="managed", note="由市市场监督管理局管理。")
ag("a-tyj", CITY + "体育局", G, "retained", "tiyu", ["b-tyj"], ["体育局"], "TYJ", "体育事业",
   [("群众体育处", "全民健身"), ("竞技体育处", "竞技体育训练竞赛"), ("体育产业处", "体育产业发展"), ("青少年体育处", "青少年体育")], 3)
ag("a-tjj", CITY + "统计局", G, "retained", "tongji", ["b-tjj"], ["统计局"], "TJJ", "统计调查",
   [("统计分析处", "统计数据综合分析"), ("国民经济核算处", "地区生产总值核算"), ("工业统计处", "工业统计"), ("贸易外经统计处", "贸易外经统计"),
    ("人口和社会科技统计处", "人口和社会科技统计"), ("统计执法监督处", "统计执法监督")], 3)
ag("a-ybj", CITY + "医疗保障局", G, "new", "yibao", [], ["医疗保障局"], "YBJ", "医疗保障",
   [("待遇保障处", "医疗保障待遇"), ("医药服务管理处", "医药服务管理"), ("医药价格和招标采购处", "药品耗材招标采购"), ("基金监管处", "医保基金监管")], 3)
ag("a-szgy", CITY + "市政公用局", G, "new", "shizheng", [], [], "SZGY", "市政公用工程",
   [("计划处", "公用工程建设计划"), ("道路桥梁处", "城市道路桥梁建设"), ("燃气热力处", "燃气和供热管理"), ("园林绿化处", "园林绿化建设"),
    ("工程质量处", "公用工程质量管理"), ("设施管理处", "市政设施运行维护")], 3,
   reason="为实现城市建设“建管分开”，承担政府投资公用工程项目的建设管理，因地制宜设置，省级无对应机构。")
ag("a-cgzf", CITY + "城市管理综合行政执法局", G, "new", "chengguan", ["b-cgj"], [], "CGZF", "城市管理综合执法",
   [("执法监督处", "城市管理执法监督"), ("市容环境处", "市容环境执法"), ("规划建设执法处", "违法建设查处"), ("交通运输执法处", "交通运输执法"),
    ("房产物业执法处", "房产物业执法"), ("环卫管理处", "环境卫生管理")], 3,
   reason="整合城市管理领域执法职责，实现“管罚合一”，因地制宜设置，省级无对应机构。")
ag("a-xfj", CITY + "信访局", G, "retained", "xinfang", ["b-xfj"], ["信访局"], "XFJ", "信访工作",
   [("来访接待处", "群众来访接待"), ("网上信访处", "网上信访受理"), ("督查督办处", "信访事项督查督办"), ("复查复核处", "信访事项复查复核")], 3)
ag("a-jrj", CITY + "金融发展局", G, "reorganized", "jinrong", ["b-jrb"], ["地方金融监督管理局"], "JRJ", "地方金融发展和监管",
   [("金融发展处", "金融业发展规划"), ("资本市场处", "企业上市融资"), ("地方金融监管处", "地方金融组织监管"), ("风险处置处", "金融风险防范处置")], 3)
ag("a-jgsw", CITY + "机关事务管理局", G, "retained", "jiguanshiwu", ["b-jgsw"], ["机关事务管理局"], "JGSW", "机关事务",
   [("经费保障处", "市级机关经费保障"), ("公共机构节能处", "公共机构节能"), ("房产管理处", "机关办公用房管理"), ("公务用车管理处", "公务用车管理")], 3)
ag("a-yjs", CITY + "人民政府研究室", G, "retained", "yanjiushi", ["b-yjs"], ["人民政府研究室"], "YJS", "市政府决策咨询",
   [("综合研究处", "市政府重大决策调研"), ("经济研究处", "经济运行研究"), ("社会研究处", "社会事业研究"), ("文稿处", "市政府重要文稿起草")], 2)

# Hand-written agencies: their figures come from their files; the table gives
# the plan's own fields.
HAND_ROWS = {
    "a-bb": dict(disp="retained", preds=["b-bb"], managedBy="a-zzb", relation="centralized",
                 note="作为市委工作机关，归口市委组织部管理。"),
    "a-swwb": dict(disp="new", preds=["b-wb"], coloc="a-wb"),
    "a-zrzy": dict(disp="new", preds=["b-ghgt"]),
    "a-sw": dict(disp="new", preds=["b-slj"],
                 note="整合市水利局的职责和市城乡建设委员会的城市供水、排水职责组建，实行“五水共治”。"),
    "a-ysj": dict(disp="reorganized", preds=["b-ysj"]),
    "a-dsj": dict(disp="new", preds=[], note="整合市营商环境建设局的政务数据管理职责等组建。"),
}
# The order of the after list (hand-written ids among the generated ones).
ORDER = ["a-swbgt", "a-zzb", "a-xcb", "a-tzb", "a-zfw", "a-zys", "a-wxb", "a-bb", "a-swwb", "a-wb", "a-tb", "a-ztb",
         "a-lgbj", "a-jggw", "a-jybm", "a-zfbgt", "a-fgw", "a-lsj", "a-gxj", "a-jyj", "a-kjj", "a-mzzj", "a-gaj",
         "a-mzj", "a-sfj", "a-czj", "a-rsj", "a-zrzy", "a-sthj", "a-zjj", "a-rfb", "a-fcj", "a-jtj", "a-sw", "a-nyncj",
         "a-swj", "a-wlgd", "a-wjw", "a-zyyj", "a-tyjr", "a-yjgl", "a-sjs", "a-gzw", "a-scjg", "a-zscq", "a-tyj",
         "a-tjj", "a-ybj", "a-ysj", "a-zwfw", "a-dsj", "a-szgy", "a-cgzf", "a-xfj", "a-jrj", "a-jgsw", "a-yjs"]
# Entries without a 三定 of their own: plates and co-located partners.
SHADOWS = {
    "a-wb": dict(name=CITY + "人民政府外事办公室", kind=G, disp="co-located", host="a-swwb", cps=["人民政府外事办公室"],
                 note="与市委外事工作委员会办公室合署办公，列入市政府工作部门序列。"),
    "a-ztb": dict(name=CITY + "人民政府台湾事务办公室", kind=G, disp="co-located", host="a-tb", cps=["人民政府台湾事务办公室"],
                  note="与市委台湾工作办公室合署办公，列入市政府工作部门序列。"),
    "a-rfb": dict(name=CITY + "人民防空办公室", kind=G, disp="plate", host="a-zjj", cps=["人民防空办公室"],
                  note="在市住房和城乡建设局加挂牌子。"),
    "a-zwfw": dict(name=CITY + "政务服务管理办公室", kind=G, disp="plate", host="a-ysj", cps=["政务服务管理办公室"],
                   note="在市营商环境建设局加挂牌子。"),
}

# Transfers: code, name, from, to, 行政编制, 领导职数, 人员 (None: derived).
# The hand-written 三定's transfers are read from their files and added.
T = [
    ("SY-GSGL-01", "市场主体登记注册", "b-gsj", "a-scjg", 135),
    ("SY-GSGL-02", "市场秩序监督管理", "b-gsj", "a-scjg", 113),
    ("SY-ZJGL-01", "质量和标准化管理", "b-zjj", "a-scjg", 73),
    ("SY-ZJGL-02", "特种设备安全监察", "b-zjj", "a-scjg", 56),
    ("SY-SPYP-01", "食品安全监督管理", "b-spj", "a-scjg", 79),
    ("SY-SPYP-02", "药品和医疗器械监督管理", "b-spj", "a-scjg", 48),
    ("SY-JGJC-01", "价格监督检查", "b-wjj", "a-scjg", 17),
    ("SY-JGGL-01", "价格管理", "b-wjj", "a-fgw", 39),
    ("SY-WSJK-01", "医疗卫生管理", "b-wjw", "a-wjw", 115),
    ("SY-WSJK-02", "计划生育管理", "b-wjw", "a-wjw", 56),
    ("SY-HJBH-01", "污染防治", "b-hbj", "a-sthj", 68),
    ("SY-HJBH-02", "环境影响评价和环境执法", "b-hbj", "a-sthj", 51),
    ("SY-NCJJ-01", "农业生产管理", "b-njw", "a-nyncj", 93),
    ("SY-NCJJ-02", "农村经营管理", "b-njw", "a-nyncj", 62),
    ("SY-NCGZ-01", "农村工作综合协调", "b-nwb", "a-nyncj", 23),
    ("SY-WHGD-01", "文化艺术和文物管理", "b-wgx", "a-wlgd", 65),
    ("SY-WHGD-02", "广播电视管理", "b-wgx", "a-wlgd", 34),
    ("SY-XWCB-01", "新闻出版和电影管理", "b-wgx", "a-xcb", 20),
    ("SY-LY-01", "旅游产业发展", "b-lyw", "a-wlgd", 53),
    ("SY-AQSC-01", "安全生产综合监督管理", "b-ajj", "a-yjgl", 73),
    ("SY-AQSC-02", "危险化学品安全监督管理", "b-ajj", "a-yjgl", 39),
    ("SY-CGXZ-01", "城市管理行政执法", "b-cgj", "a-cgzf", 90),
    ("SY-SRHW-01", "市容环境卫生管理", "b-cgj", "a-cgzf", 51),
    ("SY-GYGC-01", "公用工程建设管理", "b-cjw", "a-szgy", 35),
    ("SY-RQRL-01", "燃气热力管理", "b-cjw", "a-szgy", 25),
    ("SY-CXJS-01", "城乡建设管理", "b-cjw", "a-zjj", 82),
    ("SY-CXJS-02", "建筑市场监督管理", "b-cjw", "a-zjj", 59),
    ("SY-CJZF-01", "建设领域执法", "b-cjw", "a-cgzf", 17),
    ("SY-RFGL-01", "人民防空", "b-rfb", "a-zjj", 45),
    ("SY-XZFY-01", "行政复议和政府法制", "b-fzb", "a-sfj", 42),
    ("SY-FWY-01", "服务业发展规划", "b-fwy", "a-fgw", 17),
    ("SY-FWY-02", "服务业行业管理", "b-fwy", "a-swj", 48),
    ("SY-HZGL-01", "会展业管理", "b-fwy", "a-swj", 11),
    ("SY-YFAZ-01", "优抚安置", "a-mzj", "a-tyjr", 8, 3, 7),
    ("SY-JZ-01", "救灾", "a-mzj", "a-yjgl", 5, 2, 5),
    ("SY-LLGZ-01", "老龄工作", "a-mzj", "a-wjw", 4),
    ("SY-YPJG-01", "药品和医疗服务价格管理", "a-fgw", "a-ybj", 4, 1, 4),
    ("SY-YBGL-01", "城镇职工和城镇居民基本医疗保险", "a-rsj", "a-ybj", 12),
    ("SY-SYBX-01", "生育保险", "a-wjw", "a-ybj", 3),
    ("SY-JZAZ-01", "军官转业安置", "a-rsj", "a-tyjr", 6),
    ("SY-YJZB-01", "应急值守和突发事件信息报告", "a-zfbgt", "a-yjgl", 8),
    ("SY-QHBH-01", "应对气候变化和减排", "a-fgw", "a-sthj", 5),
    ("SY-NYTZ-01", "农业投资项目管理", "a-fgw", "a-nyncj", 4),
    ("SY-NYKF-01", "农业综合开发", "a-czj", "a-nyncj", 8),
    ("SY-KYZF-01", "城市客运执法", "a-jtj", "a-cgzf", 8),
    ("SY-DLQL-01", "城市道路桥梁建设", "a-jtj", "a-szgy", 15),
    ("SY-SMWL-01", "商贸物流规划", "a-fgw", "a-swj", 3),
    ("SY-XWFB-01", "政府新闻发布", "a-zfbgt", "a-xcb", 3),
]
TARGET = dict(transfers=52, posts=1946, agencies=42, before=58, after=53, units_cut=53, zc_cut=49, bodies=12)

# 议事协调机构: name, kind, lead, office host, disposition, temporary end date.
BODIES = [
    (PARTY + "全面深化改革委员会", "committee", "市委书记", "a-zys", "reorganized", None),
    (PARTY + "全面依法治市委员会", "committee", "市委书记", "a-sfj", "new", None),
    (PARTY + "审计委员会", "committee", "市委书记", "a-sjs", "new", None),
    (PARTY + "财经委员会", "committee", "市委书记", "a-fgw", "new", None),
    (PARTY + "外事工作委员会", "committee", "市委书记", "a-swwb", "new", None),
    (PARTY + "网络安全和信息化委员会", "committee", "市委书记", "a-wxb", "reorganized", None),
    (PARTY + "教育工作领导小组", "leading-group", "市委书记", "a-jyj", "new", None),
    (PARTY + "机构编制委员会", "committee", "市委书记", "a-bb", "reorganized", None),
    (CITY + "优化营商环境建设领导小组", "leading-group", "市长", "a-ysj", "reorganized", None),
    (CITY + "安全生产委员会", "committee", "市长", "a-yjgl", "reorganized", None),
    (CITY + "防汛抗旱指挥部", "headquarters", "市长", "a-sw", "reorganized", None),
    (CITY + "第四次全国经济普查领导小组", "leading-group", "副市长", "a-tjj", "new", "2020-12-31"),
]


# ---------------------------------------------------------------- helpers

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def local(name):
    """The name without the jurisdiction (市委办公厅 → 办公厅)."""
    for p in (PARTY, "中共沈阳市", CITY):
        if name.startswith(p):
            return name[len(p):]
    return name


def short(name):
    """市大数据局-style short name used in the texts."""
    if name.startswith(PARTY):
        return "市委" + name[len(PARTY):]
    if name.startswith("中共沈阳市"):
        return "市" + name[len("中共沈阳市"):]
    return "市" + name[len(CITY):]


def titles(name):
    n = local(name)
    if n.endswith("部"):
        return "部长", "副部长"
    if n.endswith("局"):
        return "局长", "副局长"
    if n.endswith("工作委员会"):
        return "书记", "副书记"
    return "主任", "副主任"


def hand_figures(path):
    """The figures a hand-written 三定 gives its plan entry."""
    r = ET.parse(path).getroot()
    a = r.find(NS + "agency")
    st = r.find(NS + "staffing")
    admin = sum(int(x.get("posts")) for x in st.findall(NS + "allocation") if x.get("type") == "administrative")
    lt = st.find(NS + "leadershipTeam")
    levels = [(l.get("rank"), int(l.get("count"))) for l in st.find(NS + "unitLeadership").findall(NS + "level")]
    iu = r.find(NS + "internalUnits")
    f = dict(name=a.get("name"), kind=a.get("kind"), rank=a.get("rank"), admin=admin, head=int(lt.get("head")),
             deputy=int(lt.get("deputy")), levels=levels, units=len(iu.findall(NS + "unit")),
             plates=[p.get("name") for p in a.findall(NS + "plate")],
             cps=[c.get("name") for c in a.findall(NS + "counterpart")],
             reason=(a.findtext(NS + "localReason") or None), transfers=[], codes=set())
    for fn in r.find(NS + "functions").findall(NS + "function"):
        if fn.get("code"):
            f["codes"].add(fn.get("code"))
    tr = r.find(NS + "transfers")
    if tr is not None:
        for t in tr:
            out = t.tag == NS + "transferOut"
            f["transfers"].append(dict(code=t.get("code"), name=t.get("name"), out=out,
                                       other=t.get("toRef" if out else "fromRef"), admin=int(t.get("adminPosts")),
                                       lead=int(t.get("leadershipPosts")), staff=int(t.get("staff")),
                                       text=(t.text or "").strip()))
    return f


def fit(vals, keys, target, floor):
    """Adds or takes 1 round-robin over keys until sum(vals) == target."""
    diff = target - sum(vals.values())
    i = 0
    guard = 0
    while diff != 0:
        k = keys[i % len(keys)]
        step = 1 if diff > 0 else -1
        if vals[k] + step >= floor.get(k, 1):
            vals[k] += step
            diff -= step
        i += 1
        guard += 1
        if guard > 100000:
            sys.exit("shenyang.py: cannot fit %d" % target)


def build(out):
    hand = {i: hand_figures(os.path.join(out, p)) for i, p in HAND.items()}
    gen = {a["id"]: a for a in A}
    before = {b[0]: dict(id=b[0], name=b[1], kind=b[2], disp=b[3]) for b in BEFORE}
    after = {}
    for i in ORDER:
        if i in gen:
            g = dict(gen[i])
            g["hand"] = None
        elif i in hand:
            h = hand[i]
            g = dict(id=i, name=h["name"], kind=h["kind"], cps=h["cps"], reason=h["reason"], plates=h["plates"],
                     hand=h, **HAND_ROWS[i])
        else:
            g = dict(id=i, preds=[], plates=[], hand=None, **SHADOWS[i])
        after[i] = g
    # transfers: the table's and the hand-written 三定's
    trs = []
    for t in T:
        code, name, fr, to, admin = t[:5]
        lead = t[5] if len(t) > 5 else (admin // 3 if fr in before else max(1, admin // 4))
        staff = t[6] if len(t) > 6 else admin - admin // 10
        trs.append(dict(code=code, name=name, fr=fr, to=to, admin=admin, lead=lead, staff=staff, text=None))
    seen = {t["code"] for t in trs}
    for i, h in hand.items():
        for x in h["transfers"]:
            if x["code"] in seen:
                continue
            seen.add(x["code"])
            fr, to = (i, x["other"]) if x["out"] else (x["other"], i)
            trs.append(dict(code=x["code"], name=x["name"], fr=fr, to=to, admin=x["admin"], lead=x["lead"],
                            staff=x["staff"], text=None))
    for t in trs:
        if t["fr"] not in before and t["fr"] not in after or t["to"] not in after:
            sys.exit("shenyang.py: transfer %s names an unknown agency" % t["code"])
    # figures of every after entry with its own 三定
    for i, g in after.items():
        g["in"] = [t for t in trs if t["to"] == i]
        g["out"] = [t for t in trs if t["fr"] == i]
        if g["hand"]:
            h = g["hand"]
            g.update(admin=h["admin"], head=h["head"], deputy=h["deputy"], levels=h["levels"], nunits=h["units"])
            continue
        if "units" not in g:
            continue
        biz = g["units"]
        units = []
        two = len(biz) >= 5
        units.append(dict(name="办公室", cat="comprehensive", posts=8, dep=2, plate=None if two else "机关党委办公室",
                          duty="负责机关日常运转，承担文电、会务、机要、档案、信息、安全保密、政务公开和财务等工作。"))
        if two:
            units.append(dict(name="人事处", cat="comprehensive", posts=5, dep=1, plate="机关党委办公室",
                              duty="承担机关和所属单位的干部人事、机构编制和教育培训工作；承担机关党委的日常工作。"))
        for k, (un, ph) in enumerate(biz):
            units.append(dict(name=un, cat="business", posts=5 + k % 3, dep=1, plate=None,
                              duty="承担%s的具体工作，研究提出相关政策建议并组织实施。" % ph))
        g["unitlist"] = units
        g["nunits"] = len(units)
        g["head"] = 1
        base = sum(u["posts"] for u in units) + 1 + g["deputy"] + 3
        tin = sum(t["admin"] for t in g["in"])
        g["admin"] = max(base, tin - tin // 10)
        g["levels"] = [("正处级", len(units) + 1), ("副处级", sum(u["dep"] for u in units))]
    counted = [g for g in after.values() if g["disp"] not in ("plate", "co-located")]
    # before figures: continuing entries follow their successor, abolished ones
    # hold what they hand over; then the totals are fitted to the report's cuts.
    succ = {}
    for g in counted:
        for p in g["preds"]:
            succ[p] = g
    fixed = set(HAND_BEFORE)
    adj = []
    for n, (bid, b) in enumerate(before.items()):
        if bid in HAND_BEFORE:
            b["admin"], b["units"], zc, fc = HAND_BEFORE[bid]
            b["levels"] = {"正处级": zc, "副处级": fc}
            continue
        adj.append(bid)
        s = succ.get(bid)
        if b["disp"] == "abolished":
            b["admin"] = sum(t["admin"] for t in trs if t["fr"] == bid) or 30
            b["units"] = max(2, b["admin"] // 8)
        else:
            if s is None:
                sys.exit("shenyang.py: %s continues but has no successor" % bid)
            cut = 2 + n % 3
            b["admin"] = max(s["admin"] + sum(t["admin"] for t in s["out"])
                             - sum(t["admin"] for t in s["in"]) + cut, s["nunits"] * 6)
            b["units"] = s["nunits"] + (1 if n % 2 else 0)
        b["levels"] = {"正处级": b["units"] + 1, "副处级": b["units"] + 1}
    a_units = sum(g["nunits"] for g in counted)
    a_lv = {}
    for g in counted:
        for r, c in g["levels"]:
            a_lv[r] = a_lv.get(r, 0) + c
    u = {k: before[k]["units"] for k in adj}
    fit(u, adj, a_units + TARGET["units_cut"] - sum(before[k]["units"] for k in fixed), {})
    for k in adj:
        before[k]["units"] = u[k]
    z = {k: before[k]["levels"]["正处级"] for k in adj}
    fit(z, adj, a_lv["正处级"] + TARGET["zc_cut"] - sum(before[k]["levels"]["正处级"] for k in fixed), {})
    for k in adj:
        before[k]["levels"]["正处级"] = z[k]
    fb = sum(b["levels"]["副处级"] for b in before.values())
    if fb <= a_lv["副处级"]:
        f = {k: before[k]["levels"]["副处级"] for k in adj}
        fit(f, adj, a_lv["副处级"] + 40 - sum(before[k]["levels"]["副处级"] for k in fixed), {})
        for k in adj:
            before[k]["levels"]["副处级"] = f[k]
    return dict(hand=hand, before=before, after=after, trs=trs, counted=counted)


# ---------------------------------------------------------------- writers
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!-- 示例文件，依据公开资料虚构编写，仅供测试，不是正式文件。Illustrative sample, not an official text. -->\n')
GENERATED = "<!-- 由 tools/corpus/shenyang.py 生成，请改表后重新生成，勿手工编辑。Generated by tools/corpus/shenyang.py: edit the table and rerun. -->\n"
TX = "将%s的%s职责划入%s，相应划转行政编制%d名、处级领导职数%d名和在编人员%d名。"


def aname(m, i):
    return (m["after"].get(i) or m["before"][i])["name"]


def levels_xml(levels):
    return "".join('<levelPosts rank="%s" count="%d"/>' % (r, c) for r, c in levels)


def write_plan(m):
    o = [HEAD, GENERATED,
         "<!-- 沈阳市机构改革方案：改革前58个、改革后53个计入限额的市直党政机构，52项职责划转涉及42个部门、行政编制1946名，\n"
         "     内设机构精简53个、正处级领导职数精简49名，新组建和重新组建议事协调机构12个（DOMAIN.md §4）。 -->\n",
         '<reformPlan xmlns="urn:sdlint:schema:1">\n  <meta>\n    <title>沈阳市机构改革方案</title>\n'
         "    <docNumber>辽委〔2018〕78号</docNumber>\n    <issuer>中共辽宁省委</issuer>\n    <issuer>辽宁省人民政府</issuer>\n"
         "    <approvalDate>2018-12-20</approvalDate>\n    <effectiveDate>2019-01-01</effectiveDate>\n  </meta>\n\n"
         '  <jurisdiction name="沈阳市" code="210100" tier="sub-provincial"/>\n\n'
         '  <catalogueRef href="catalogue-liaoning.xml"/>\n\n']
    after_admin = sum(g.get("admin", 0) for g in m["counted"])
    cap = (after_admin // 100 + 1) * 100
    o.append("  <!-- 市直党政机构限额；行政编制总额 -->\n  <agencyCap>%d</agencyCap>\n  <adminPostsCap>%d</adminPostsCap>\n\n"
             % (TARGET["after"], cap))
    o.append("  <!-- 一、改革前机构 -->\n  <agenciesBefore>\n")
    for b in m["before"].values():
        lv = [(r, b["levels"][r]) for r in ("正处级", "副处级")]
        o.append('    <agency id="%s" name="%s" kind="%s" rank="正局级" disposition="%s" adminPosts="%d" units="%d">\n'
                 "      %s\n    </agency>\n" % (b["id"], esc(b["name"]), b["kind"], b["disp"], b["admin"], b["units"],
                                             levels_xml(lv)))
    o.append("  </agenciesBefore>\n\n  <!-- 二、改革后机构 -->\n  <agenciesAfter>\n")
    for i in ORDER:
        g = m["after"][i]
        attrs = 'id="%s" name="%s" kind="%s" rank="正局级" disposition="%s"' % (i, esc(g["name"]), g["kind"], g["disp"])
        if g.get("host"):
            attrs += ' host="%s"' % g["host"]
        if "admin" in g:
            sd = HAND.get(i) or "sanding/gen-%s.xml" % g["slug"]
            attrs += ' sanding="%s"' % sd
            if g.get("managedBy"):
                attrs += ' managedBy="%s" relation="%s"' % (g["managedBy"], g["relation"])
            attrs += ' adminPosts="%d" units="%d"' % (g["admin"], g["nunits"])
        o.append("    <agency %s>\n" % attrs)
        for p in g.get("preds", []):
            o.append('      <predecessor ref="%s"/>\n' % p)
        if g.get("cps"):
            for c in g["cps"]:
                o.append('      <counterpart name="%s"/>\n' % esc(c))
        elif g.get("reason"):
            o.append("      <localReason>%s</localReason>\n" % esc(g["reason"]))
        for p in g.get("plates", []):
            o.append('      <plate name="%s"/>\n' % esc(p))
        if g.get("coloc"):
            o.append('      <coLocatedWith ref="%s"/>\n' % g["coloc"])
        if "admin" in g:
            o.append('      <leadershipTeam head="%d" deputy="%d"/>\n' % (g["head"], g["deputy"]))
            o.append("      %s\n" % levels_xml(g["levels"]))
        if g.get("note"):
            o.append("      <note>%s</note>\n" % esc(g["note"]))
        o.append("    </agency>\n")
    o.append("  </agenciesAfter>\n\n")
    trs = m["trs"]
    ids = set()
    for t in trs:
        ids.update((t["fr"], t["to"]))
    o.append("  <!-- 三、职责划转：编随事走、人随编走 -->\n")
    o.append('  <transfers count="%d" adminPosts="%d" agencies="%d">\n'
             % (len(trs), sum(t["admin"] for t in trs), len(ids)))
    for t in trs:
        o.append('    <transfer code="%s" name="%s" from="%s" to="%s" adminPosts="%d" leadershipPosts="%d" staff="%d">%s</transfer>\n'
                 % (t["code"], esc(t["name"]), t["fr"], t["to"], t["admin"], t["lead"], t["staff"],
                    esc("将%s的%s职责划入%s。" % (short(aname(m, t["fr"])), t["name"], short(aname(m, t["to"]))))))
    o.append("  </transfers>\n\n  <!-- 四、议事协调机构（新组建和重新组建） -->\n")
    o.append('  <coordinationBodies count="%d">\n' % len(BODIES))
    for name, kind, lead, host, disp, end in BODIES:
        extra = ' temporary="true" endDate="%s"' % end if end else ""
        o.append('    <coordinationBody name="%s" kind="%s" lead="%s" officeHost="%s" disposition="%s"%s/>\n'
                 % (esc(name), kind, lead, host, disp, extra))
    o.append("  </coordinationBodies>\n\n  <!-- 五、总量 -->\n  <totals>\n")

    def tot(entries, counted, ukey):
        lv = {}
        for e in entries:
            for r, c in (e["levels"].items() if isinstance(e["levels"], dict) else e["levels"]):
                lv[r] = lv.get(r, 0) + c
        return dict(agencies=counted, admin=sum(e["admin"] for e in entries),
                    units=sum(e[ukey] for e in entries), lv=lv)
    tb = tot(list(m["before"].values()), len(m["before"]), "units")
    ta = tot(m["counted"], len(m["counted"]), "nunits")
    for tag, t in (("before", tb), ("after", ta)):
        o.append('    <%s agencies="%d" adminPosts="%d" units="%d">\n' % (tag, t["agencies"], t["admin"], t["units"]))
        for r in ("正处级", "副处级"):
            o.append('      <levelTotal rank="%s" count="%d"/>\n' % (r, t["lv"][r]))
        o.append("    </%s>\n" % tag)
    o.append('    <reduction agencies="%d" adminPosts="%d" units="%d">\n'
             % (tb["agencies"] - ta["agencies"], tb["admin"] - ta["admin"], tb["units"] - ta["units"]))
    for r in ("正处级", "副处级"):
        o.append('      <levelTotal rank="%s" count="%d"/>\n' % (r, tb["lv"][r] - ta["lv"][r]))
    o.append("    </reduction>\n  </totals>\n</reformPlan>\n")
    got = (len(m["before"]), len(m["counted"]), tb["units"] - ta["units"], tb["lv"]["正处级"] - ta["lv"]["正处级"],
           len(trs), sum(t["admin"] for t in trs), len(ids), len(BODIES))
    want = tuple(TARGET[k] for k in ("before", "after", "units_cut", "zc_cut", "transfers", "posts", "agencies", "bodies"))
    if got != want or tb["admin"] < ta["admin"] or tb["lv"]["副处级"] < ta["lv"]["副处级"]:
        sys.exit("shenyang.py: figures %s, want %s" % (got, want))
    return "".join(o)


def write_sanding(m, g, serial, owners):
    name, sh = g["name"], short(g["name"])
    party = g["kind"] in ("party-department", "party-office") or name.startswith("中共")
    hd, dp = titles(name)
    o = [HEAD, GENERATED, '<sanding xmlns="urn:sdlint:schema:1">\n  <meta>\n',
         "    <title>%s职能配置、内设机构和人员编制规定</title>\n" % esc(name),
         "    <docNumber>沈委办发〔2018〕%d号</docNumber>\n" % serial,
         "    <issuer>中共沈阳市委办公厅</issuer>\n    <issuer>沈阳市人民政府办公厅</issuer>\n"
         "    <approvalDate>2018-12-29</approvalDate>\n    <effectiveDate>2019-01-01</effectiveDate>\n  </meta>\n\n"
         "  <legalBasis>\n    <title>沈阳市机构改革方案</title>\n    <docNumber>辽委〔2018〕78号</docNumber>\n  </legalBasis>\n\n"
         '  <jurisdiction name="沈阳市" code="210100" tier="sub-provincial"/>\n\n',
         '  <agency name="%s" shortName="%s" kind="%s" rank="正局级">\n' % (esc(name), esc(sh), g["kind"])]
    for p in g.get("plates", []):
        o.append('    <plate name="%s"/>\n' % esc(p))
    if g.get("coloc"):
        o.append('    <coLocatedWith name="%s"/>\n' % esc(m["after"][g["coloc"]]["name"]))
    if g.get("managedBy"):
        o.append('    <managedBy name="%s" relation="%s"/>\n' % (esc(m["after"][g["managedBy"]]["name"]), g["relation"]))
    if g.get("cps"):
        for c in g["cps"]:
            o.append('    <counterpart name="%s"/>\n' % esc(c))
    else:
        o.append("    <localReason>%s</localReason>\n" % esc(g["reason"]))
    for bn, kind, lead, host, disp, end in BODIES:
        if host == g["id"]:
            o.append('    <hostedOffice name="%s办公室" body="%s"/>\n' % (esc(bn), esc(bn)))
    o.append("  </agency>\n\n  <!-- 主要职责 -->\n  <functions>\n")
    code = "SY-%s-" % g["code"]
    higher = "党中央和省委、市委" if party else "党中央、国务院和省委、省政府"
    fns = [("贯彻%s方针政策" % g["domain"], code + "01",
            "贯彻落实%s关于%s工作的方针政策和决策部署，拟订全市%s工作的规划和政策措施并组织实施。" % (higher, g["domain"], g["domain"]))]
    for k, (un, ph) in enumerate(g["units"]):
        fns.append((ph, "%s%02d" % (code, k + 2), "负责全市%s工作，拟订有关制度措施，组织实施并监督检查。" % ph))
    for t in g["in"]:
        fns.append((t["name"], t["code"], "承担全市%s工作（由%s划入）。" % (t["name"], short(aname(m, t["fr"])))))
    for n, (fn, fc, ft) in enumerate(fns, 1):
        if fc in owners:
            sys.exit("shenyang.py: function code %s twice" % fc)
        owners[fc] = g["id"]
        if ft in owners:
            sys.exit("shenyang.py: duty text twice: %s" % ft)
        owners[ft] = g["id"]
        o.append('    <function number="%d" name="%s" code="%s">%s</function>\n' % (n, esc(fn), fc, esc(ft)))
    o.append('    <function number="%d" name="交办任务">完成%s交办的其他任务。</function>\n'
             % (len(fns) + 1, "市委" if party else "市委、市政府"))
    o.append('    <transformation name="职能转变">%s要围绕%s工作转变职能，精简事务性工作，加强统筹协调和监督检查。</transformation>\n'
             % (esc(sh), esc(g["domain"])))
    o.append("  </functions>\n\n")
    if g["in"] or g["out"]:
        o.append("  <!-- 职责划转：编随事走、人随编走 -->\n  <transfers>\n")
        for t in g["in"]:
            fn = aname(m, t["fr"])
            o.append('    <transferIn name="%s" from="%s" fromRef="%s" code="%s" adminPosts="%d" leadershipPosts="%d" staff="%d">%s</transferIn>\n'
                     % (esc(t["name"]), esc(fn), t["fr"], t["code"], t["admin"], t["lead"], t["staff"],
                        esc(TX % (short(fn), t["name"], sh, t["admin"], t["lead"], t["staff"]))))
        for t in g["out"]:
            tn = aname(m, t["to"])
            o.append('    <transferOut name="%s" to="%s" toRef="%s" code="%s" adminPosts="%d" leadershipPosts="%d" staff="%d">%s</transferOut>\n'
                     % (esc(t["name"]), esc(tn), t["to"], t["code"], t["admin"], t["lead"], t["staff"],
                        esc(TX % (sh, t["name"], short(tn), t["admin"], t["lead"], t["staff"]))))
        o.append("  </transfers>\n\n")
    o.append('  <!-- 内设机构（均为正处级） -->\n  <internalUnits count="%d">\n' % len(g["unitlist"]))
    for u in g["unitlist"]:
        o.append('    <unit name="%s" category="%s" rank="正处级" posts="%d">\n' % (esc(u["name"]), u["cat"], u["posts"]))
        if u["plate"]:
            o.append('      <plate name="%s"/>\n' % u["plate"])
        o.append("      <duties>%s</duties>\n      <leadership>\n" % esc(u["duty"]))
        o.append('        <post rank="正处级" role="head" count="1"/>\n')
        o.append('        <post rank="副处级" role="deputy" count="%d"/>\n' % u["dep"])
        o.append("      </leadership>\n    </unit>\n")
    o.append("  </internalUnits>\n\n")
    zc, fc = dict(g["levels"])["正处级"], dict(g["levels"])["副处级"]
    o.append("  <!-- %s机关行政编制%d名。设%s1名，%s%d名；正处级领导职数%d名（含机关党委专职副书记1名），副处级领导职数%d名。 -->\n"
             % (esc(sh), g["admin"], hd, dp, g["deputy"], zc, fc))
    o.append('  <staffing>\n    <allocation type="administrative" posts="%d"/>\n    <allocation type="service" posts="2"/>\n'
             % g["admin"])
    o.append('    <leadershipTeam head="1" deputy="%d" headTitle="%s" deputyTitle="%s"/>\n' % (g["deputy"], hd, dp))
    o.append('    <unitLeadership>\n      <level rank="正处级" count="%d">\n'
             '        <included name="机关党委专职副书记" count="1"/>\n      </level>\n'
             '      <level rank="副处级" count="%d"/>\n    </unitLeadership>\n  </staffing>\n\n' % (zc, fc))
    partners = []
    for t in g["in"] + g["out"]:
        other = t["fr"] if t["to"] == g["id"] else t["to"]
        if other in m["after"] and other not in [p for p, _ in partners]:
            partners.append((other, t))
    if g.get("managedBy") and g["managedBy"] not in [p for p, _ in partners]:
        partners.append((g["managedBy"], None))
    if partners:
        o.append("  <divisions>\n")
        for other, t in partners:
            on = m["after"][other]["name"]
            if t is None:
                text = "%s负责%s的具体工作，%s负责统筹指导和监督管理。" % (sh, g["domain"], short(on))
            elif t["to"] == g["id"]:
                text = "%s职责划入后，%s负责组织实施，%s按照职责分工予以配合。" % (t["name"], sh, short(on))
            else:
                text = "%s职责划出后，由%s负责组织实施，%s按照职责分工予以配合。" % (t["name"], short(on), sh)
            o.append('    <division name="与%s的职责分工">\n      <relatedAgency name="%s" ref="%s"/>\n      <text>%s</text>\n    </division>\n'
                     % (esc(short(on)), esc(on), other, esc(text)))
        o.append("  </divisions>\n\n")
    o.append("  <supplementary>\n    <interpreter name=\"中共沈阳市委机构编制委员会办公室\"/>\n"
             "    <clause>本规定的调整由中共沈阳市委机构编制委员会办公室按规定程序办理。</clause>\n"
             "    <effectiveClause>本规定自2019年1月1日起施行。</effectiveClause>\n  </supplementary>\n</sanding>\n")
    return "".join(o)


def write_catalogue(m):
    """The province's catalogue: every counterpart the plan declares, with the
    aliases a city may use; mandatory where the report says 基本对应."""
    rows = [("bgt", "办公厅", "party-office", True, ["办公室"]), ("zzb", "组织部", "party-department", True, []),
            ("xcb", "宣传部", "party-department", True, []), ("tzb", "统一战线工作部", "party-department", True, []),
            ("zfw", "政法委员会", "party-department", True, []), ("zys", "政策研究室", "party-office", True, []),
            ("wxb", "网络安全和信息化委员会办公室", "party-office", True, []),
            ("bb", "机构编制委员会办公室", "party-department", True, []),
            ("wb", "外事工作委员会办公室", "party-office", True, []), ("tb", "台湾工作办公室", "party-office", True, []),
            ("lgbj", "老干部局", "party-department", True, []), ("jggw", "直属机关工作委员会", "party-department", True, []),
            ("jybm", "机要保密局", "party-department", False, []),
            ("zfbgt", "人民政府办公厅", "constituent-department", True, ["人民政府办公室"]),
            ("fgw", "发展和改革委员会", "constituent-department", True, ["发展和改革局"]),
            ("gxt", "工业和信息化厅", "constituent-department", True, ["工业和信息化局"]),
            ("jyt", "教育厅", "constituent-department", True, ["教育局"]),
            ("kjt", "科学技术厅", "constituent-department", True, ["科学技术局", "科技局"]),
            ("mzw", "民族和宗教事务委员会", "constituent-department", False, ["民族和宗教事务局", "民族宗教事务局"]),
            ("gat", "公安厅", "constituent-department", True, ["公安局"]),
            ("mzt", "民政厅", "constituent-department", True, ["民政局"]),
            ("sft", "司法厅", "constituent-department", True, ["司法局"]),
            ("czt", "财政厅", "constituent-department", True, ["财政局"]),
            ("rst", "人力资源和社会保障厅", "constituent-department", True, ["人力资源和社会保障局"]),
            ("zrzyt", "自然资源厅", "constituent-department", True, ["自然资源局", "自然资源和规划局"]),
            ("sthjt", "生态环境厅", "constituent-department", True, ["生态环境局"]),
            ("zjt", "住房和城乡建设厅", "constituent-department", True, ["住房和城乡建设局"]),
            ("jtt", "交通运输厅", "constituent-department", True, ["交通运输局"]),
            ("slt", "水利厅", "constituent-department", False, ["水利局", "水务局"]),
            ("nynct", "农业农村厅", "constituent-department", True, ["农业农村局"]),
            ("swt", "商务厅", "constituent-department", True, ["商务局"]),
            ("whlyt", "文化和旅游厅", "constituent-department", True, ["文化和旅游局"]),
            ("wjw", "卫生健康委员会", "constituent-department", True, ["卫生健康局"]),
            ("tyjrt", "退役军人事务厅", "constituent-department", True, ["退役军人事务局"]),
            ("yjglt", "应急管理厅", "constituent-department", True, ["应急管理局"]),
            ("sjt", "审计厅", "constituent-department", True, ["审计局"]),
            ("zfwb", "人民政府外事办公室", "constituent-department", False, []),
            ("gzw", "人民政府国有资产监督管理委员会", "special-affiliated", True, []),
            ("scjg", "市场监督管理局", "directly-affiliated", True, []),
            ("gdj", "广播电视局", "directly-affiliated", True, []),
            ("tyj", "体育局", "directly-affiliated", True, []),
            ("tjj", "统计局", "directly-affiliated", True, []),
            ("ybj", "医疗保障局", "directly-affiliated", True, []),
            ("ysj", "营商环境建设局", "directly-affiliated", True, []),
            ("zwfw", "政务服务管理办公室", "directly-affiliated", True, []),
            ("xfj", "信访局", "directly-affiliated", True, []),
            ("jrj", "地方金融监督管理局", "directly-affiliated", True, ["金融发展局"]),
            ("jgsw", "机关事务管理局", "directly-affiliated", True, []),
            ("yjs", "人民政府研究室", "directly-affiliated", False, []),
            ("ztb", "人民政府台湾事务办公室", "directly-affiliated", False, []),
            ("rfb", "人民防空办公室", "directly-affiliated", False, []),
            ("lsj", "粮食和物资储备局", "department-managed", False, []),
            ("zyyj", "中医药管理局", "department-managed", False, []),
            ("zscq", "知识产权局", "department-managed", False, [])]
    extra = {"gdj": '    <mayCombine with="whlyt" tiers="sub-provincial prefecture"/>\n',
             "zwfw": '    <mayBePlate on="ysj" tiers="sub-provincial prefecture"/>\n',
             "lsj": '    <mayBePlate on="fgw" tiers="prefecture"/>\n',
             "rfb": '    <mayBePlate on="zjt" tiers="sub-provincial prefecture"/>\n'}
    declared = set()
    for g in m["after"].values():
        declared.update(g.get("cps") or [])
    names = {r[1] for r in rows}
    if declared - names:
        sys.exit("shenyang.py: counterparts not in the catalogue: %s" % sorted(declared - names))
    o = [HEAD, GENERATED,
         "<!-- 省级机构目录：名称不含“辽宁省”“中共辽宁省委”，别名为市级对应机构可用的名称。 -->\n"
         '<catalogue xmlns="urn:sdlint:schema:1">\n  <meta>\n    <title>辽宁省市级党政机构设置对应目录</title>\n'
         "    <issuer>中共辽宁省委机构编制委员会办公室</issuer>\n    <approvalDate>2018-11-30</approvalDate>\n  </meta>\n\n"
         '  <jurisdiction name="辽宁省" code="210000" tier="province"/>\n  <appliesTo tiers="sub-provincial prefecture"/>\n\n']
    for i, n, k, mand, al in rows:
        o.append('  <agency id="%s" name="%s" kind="%s"%s' % (i, n, k, ' mandatory="true"' if mand else ""))
        body = "".join('    <alias name="%s"/>\n' % a for a in al) + extra.get(i, "")
        o.append(">\n%s  </agency>\n" % body if body else "/>\n")
    o.append("</catalogue>\n")
    return "".join(o)


def render(out):
    m = build(out)
    files = {"plan.xml": write_plan(m), "catalogue-liaoning.xml": write_catalogue(m)}
    owners = {}
    for h in m["hand"].values():
        for c in h["codes"]:
            owners[c] = "hand"
    serial = 30
    for i in ORDER:
        g = m["after"][i]
        if g["hand"] or "unitlist" not in g:
            continue
        files["sanding/gen-%s.xml" % g["slug"]] = write_sanding(m, g, serial, owners)
        serial += 1
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples", "city"))
    ap.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    a = ap.parse_args()
    files = render(a.out)
    bad = 0
    for rel, text in sorted(files.items()):
        path = os.path.join(a.out, rel)
        if a.check:
            try:
                with open(path, encoding="utf-8") as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                print("shenyang.py: %s differs from the table" % rel, file=sys.stderr)
                bad = 1
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    if not a.check:
        print("shenyang.py: wrote %d files under %s" % (len(files), os.path.normpath(a.out)))
    return bad


if __name__ == "__main__":
    sys.exit(main())
