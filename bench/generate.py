#!/usr/bin/env python3
"""Generate synthetic CRM customer records with ground truth for dedupe benchmarks.

Usage::

    python3 bench/generate.py --records N --seed S --out DIR [--dup-rate 0.3]

Standard library only.  Output is fully deterministic: the same ``--records``,
``--seed`` and ``--dup-rate`` give byte-identical files (one ``random.Random``
instance drives everything; no ``hash()``, no set iteration feeds the output).
Runs in O(N) time; N = 2,000,000 takes about a minute and about 600 MB of RAM
(each row is kept as one small UTF-8 ``bytes`` object until the shuffled write).

Files written into DIR (created if missing)
-------------------------------------------
``records.csv`` (UTF-8, header, ``\\n`` line endings, csv module quoting)::

    record_id,kind,name,company,phone,phone2,email,address,id_number,source

* ``record_id``  "r" + zero-padded running number (width max(6, len(str(N)))).
  Ids are assigned after a deterministic shuffle, so records of one entity are
  scattered over the file; no two consecutive rows belong to the same entity.
* ``kind``       ``person`` (about 75 %) or ``organization``.
* ``name``       person full name, or organization name.
* ``company``    a person's employer; for organizations empty or the group name.
* ``phone``, ``phone2``  mobile / landline; ``phone2`` is usually empty.
* ``email``, ``address``.
* ``id_number``  Chinese persons (about 55 % have one): 18-char resident ID
  (身份证) with a correct ISO 7064 MOD 11-2 check character; Chinese
  organizations (about 80 %): 18-char unified social credit code
  (统一社会信用代码) with correct GB 11714 and mod-31 check characters;
  international entities: empty.
* ``source``     web_form, wechat, event, spreadsheet or erp (the channel).
* Missing values are empty strings.

``truth.csv``: ``record_id,entity_id`` for every record (entity ids "e000123",
same width as record ids).  Entity ids never appear in records.csv.

``dataset.json``: name, task, n_records, n_entities, injected_duplicates
(= records - entities), true_pairs (sum over entities of k*(k-1)/2, counted
while generating), duplicates_by_kind, hard_negative_groups, generator, seed.

Population
----------
About 80 % Chinese and 20 % international (US, UK, DE, FR, SG) entities.
Chinese surnames follow a realistic skew (王 李 张 刘 陈 ..., rare compound
surnames 欧阳 司马 诸葛 上官 东方); given names are drawn from very common whole
given names (伟, 芳, 秀英 ...) or composed from 1-2 skewed characters, so names
like 王伟 or 张敏 recur across many different entities.  Mobiles use real
prefixes (130-139, 150-153, 155-159, 170, 176-178, 180-189, 198, 199),
landlines real area codes.  Addresses come from 21 cities with real district
codes; organization names are [city] + core + industry + legal form with cores
built from a syllable table (hundreds of thousands of distinct names).

Duplicates (``duplicates_by_kind``, key = "field:variation")
------------------------------------------------------------
An entity gets one record, or with a probability derived from ``--dup-rate``
(share of records that are duplicates, default 0.3) 2-5 records.  Every extra
record starts from the entity's true values, usually arrives through another
channel (``source``) and gets 1-3 variations on different fields:

* name (Chinese person): traditional characters, space / middle dot inside,
  homophone typo in the given name, pinyin ("Zhang Wei", "Wei Zhang",
  "ZHANG Wei", "zhang wei"), honorific (先生/女士/经理/总监/老师);
  (international person): case change, middle initial, "Smith, John",
  one-letter typo, nickname (Robert -> Bob);
  (organization): legal form changed or dropped, city dropped, region moved
  into brackets (华为技术（北京）有限公司), short name; international: legal form
  spelled differently or dropped, upper case.
* phone: other formats (+86 138 0013 8000, 0086-138-0013-8000, 138-0013-8000,
  (86)13800138000 ...), full-width digits, second phone added, phone moved to
  phone2, one-digit typo, missing.
* email: upper/mixed case, leading/trailing spaces, missing. Each entity's
  mailbox is its own (mail providers guarantee it): an address another entity
  already has gets a number (wanglei@163.com -> wanglei2@163.com).
* company: the organization-name variations above, or missing.
* address: 省/市 dropped, "中国" prefix, Chinese numerals for the house number
  (88号 -> 八十八号), missing; international: Street <-> St, Road <-> Rd ...
* id_number: lower-case x, spaces inserted, missing.

Hard negatives (``hard_negative_groups``; each member is its own entity)
------------------------------------------------------------------------
* ``common_name``: distinct person names carried by 2+ different entities
  (arises from the skewed name distribution).
* ``same_name_same_city``: explicitly created pairs of different persons with
  exactly the same common name living in the same city.
* ``family``: 2-3 persons with the same surname, address and landline
  (``phone``), but different given names, own mobiles (``phone2``) and
  resident IDs.
* ``branch_office``: 2-3 organizations with the same core name, industry and
  legal form in different cities, with different addresses and different valid
  credit codes.
"""

import argparse
import array
import bisect
import csv
import io
import json
import os
import re
import random
import sys
import time

# ---------------------------------------------------------------------------
# Generic helpers
# ---------------------------------------------------------------------------


class Weighted:
    """Weighted choice from a fixed table, driven by a given random.Random."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs):
        self.items = []
        self.cum = []
        total = 0.0
        for item, weight in pairs:
            total += weight
            self.items.append(item)
            self.cum.append(total)
        self.total = total

    def pick(self, rng):
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


def rank_weighted(items, offset=6):
    """Zipf-like weights by list position (first item most common)."""
    return Weighted((it, 1.0 / (i + offset)) for i, it in enumerate(items))


def parse_pinyin_table(text):
    """Parse '张zhang 伟wei ...' into {char: pinyin}."""
    table = {}
    for token in text.split():
        m = re.match(r"^([^\x00-\x7f]+)([a-z]+)$", token)
        if not m:
            raise ValueError("bad pinyin token %r" % token)
        table[m.group(1)] = m.group(2)
    return table


# ---------------------------------------------------------------------------
# Chinese names
# ---------------------------------------------------------------------------

# (surname, weight in 1/10000) -- rough real-world frequencies.
SURNAMES = [
    ("王", 710), ("李", 700), ("张", 670), ("刘", 540), ("陈", 450),
    ("杨", 310), ("黄", 220), ("赵", 200), ("吴", 200), ("周", 190),
    ("徐", 130), ("孙", 150), ("马", 120), ("朱", 120), ("胡", 110),
    ("郭", 110), ("何", 100), ("高", 100), ("林", 100), ("罗", 90),
    ("郑", 80), ("梁", 80), ("谢", 70), ("宋", 60), ("唐", 60),
    ("许", 60), ("韩", 60), ("冯", 50), ("邓", 50), ("曹", 50),
    ("彭", 50), ("曾", 50), ("肖", 40), ("田", 40), ("董", 40),
    ("袁", 40), ("潘", 30), ("于", 30), ("蒋", 30), ("蔡", 30),
    ("余", 30), ("杜", 30), ("叶", 30), ("程", 30), ("苏", 30),
    ("魏", 30), ("吕", 30), ("丁", 30), ("任", 30), ("沈", 30),
    ("姚", 20), ("卢", 20), ("姜", 20), ("崔", 20), ("钟", 20),
    ("谭", 20), ("陆", 20), ("汪", 20), ("范", 20), ("金", 20),
    ("石", 20), ("廖", 20), ("贾", 20), ("夏", 20), ("韦", 20),
    ("付", 20), ("方", 20), ("白", 20), ("邹", 20), ("孟", 20),
    ("熊", 20), ("秦", 20), ("邱", 20), ("江", 20), ("尹", 20),
    ("薛", 20), ("闫", 20), ("段", 20), ("雷", 20), ("侯", 20),
    ("龙", 20), ("史", 20), ("陶", 10), ("黎", 10), ("贺", 10),
    ("顾", 10), ("毛", 10), ("郝", 10), ("龚", 10), ("邵", 10),
    ("万", 10), ("钱", 10), ("严", 10), ("覃", 10), ("武", 10),
    ("戴", 10), ("莫", 10), ("孔", 10), ("向", 10), ("汤", 10),
    ("欧阳", 2), ("司马", 1), ("诸葛", 0.5), ("上官", 0.5), ("东方", 0.5),
]
SURNAME_TABLE = Weighted(SURNAMES)
TOP_SURNAMES = [s for s, _ in SURNAMES[:10]]

# Whole given names that are extremely common: (given, gender, weight).
COMMON_GIVEN = [
    ("伟", "M", 30), ("芳", "F", 25), ("娜", "F", 22), ("秀英", "F", 20),
    ("敏", "F", 20), ("静", "F", 20), ("丽", "F", 18), ("强", "M", 18),
    ("磊", "M", 17), ("军", "M", 16), ("洋", "M", 15), ("勇", "M", 15),
    ("艳", "F", 15), ("杰", "M", 15), ("娟", "F", 13), ("涛", "M", 13),
    ("明", "M", 12), ("超", "M", 12), ("秀兰", "F", 11), ("霞", "F", 11),
    ("平", "M", 10), ("刚", "M", 10), ("桂英", "F", 10), ("华", "M", 9),
    ("红", "F", 9), ("建华", "M", 8), ("建国", "M", 7), ("志强", "M", 7),
    ("丽娟", "F", 6), ("海燕", "F", 6), ("晓东", "M", 5), ("小红", "F", 5),
    ("文", "M", 5), ("斌", "M", 5), ("鹏", "M", 5), ("辉", "M", 5),
    ("玲", "F", 5), ("梅", "F", 5), ("燕", "F", 5), ("婷", "F", 5),
    ("鑫", "M", 4), ("浩", "M", 4), ("宇", "M", 4), ("欣怡", "F", 3),
    ("子轩", "M", 3), ("梓涵", "F", 3), ("雨涵", "F", 3), ("浩然", "M", 3),
]
COMMON_GIVEN_BY_GENDER = {
    g: Weighted((n, w) for n, gg, w in COMMON_GIVEN if gg == g) for g in "MF"
}
# The most common full names, used for explicit same-name hard negatives.
VERY_COMMON_GIVEN = {"M": ["伟", "强", "磊", "军", "勇", "杰", "涛"],
                     "F": ["芳", "娜", "敏", "静", "丽", "艳", "秀英"]}

# Characters for composed given names, most common first.
MALE_CHARS = ("伟 强 磊 军 洋 勇 杰 涛 明 超 刚 华 建 国 志 海 东 亮 林 成 辉 鹏 飞 "
              "宇 浩 俊 斌 波 峰 鑫 博 宁 晨 阳 帅 轩 天 振 荣 新 立 永 家 德 忠 "
              "文 龙 云 平 子 嘉 书 晓 小 玮 炜 君 民 然").split()
FEMALE_CHARS = ("芳 娜 敏 静 丽 艳 娟 秀 英 兰 霞 红 玉 金 春 婷 雪 慧 琳 颖 佳 欣 "
                "怡 梅 燕 凤 丹 萍 倩 晨 思 雨 涵 梓 诗 玲 莉 晶 婧 俐 洁 蕾 晓 "
                "小 子 嘉 书 文 云 然").split()
GIVEN_CHARS_BY_GENDER = {"M": rank_weighted(MALE_CHARS, 8),
                         "F": rank_weighted(FEMALE_CHARS, 8)}

PINYIN = parse_pinyin_table("""
王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun
马ma 朱zhu 胡hu 郭guo 何he 高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song
唐tang 许xu 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao 田tian 董dong
袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du 叶ye 程cheng 苏su 魏wei 吕lv 丁ding
任ren 沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin
石shi 廖liao 贾jia 夏xia 韦wei 付fu 方fang 白bai 邹zou 孟meng 熊xiong 秦qin
邱qiu 江jiang 尹yin 薛xue 闫yan 段duan 雷lei 侯hou 龙long 史shi 陶tao 黎li
贺he 顾gu 毛mao 郝hao 龚gong 邵shao 万wan 钱qian 严yan 覃qin 武wu 戴dai
莫mo 孔kong 向xiang 汤tang 欧ou 阳yang 司si 诸zhu 葛ge 上shang 官guan 东dong
伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong 艳yan
杰jie 娟juan 涛tao 明ming 超chao 秀xiu 英ying 兰lan 霞xia 平ping 刚gang 桂gui
华hua 建jian 国guo 文wen 志zhi 海hai 红hong 玉yu 小xiao 晓xiao 春chun 亮liang
成cheng 辉hui 鹏peng 飞fei 宇yu 浩hao 俊jun 婷ting 雪xue 慧hui 琳lin 颖ying
佳jia 欣xin 怡yi 梅mei 燕yan 凤feng 云yun 斌bin 波bo 峰feng 鑫xin 博bo 宁ning
丹dan 萍ping 倩qian 晨chen 帅shuai 子zi 轩xuan 涵han 梓zi 思si 雨yu 嘉jia
诗shi 书shu 天tian 振zhen 荣rong 新xin 立li 永yong 为wei 家jia 德de 忠zhong
玲ling 莉li 晶jing 婧jing 玮wei 炜wei 俐li 洁jie 民min 君jun 蕾lei 然ran
信xin 达da 通tong 联lian 创chuang 科ke 恒heng 瑞rui 泰tai 安an 康kang 盛sheng
元yuan 宏hong 远yuan 诚cheng 汇hui 中zhong 维wei 兴xing 邦bang 锐rui 智zhi
星xing 辰chen 启qi 润run 和he 丰feng 隆long 正zheng 凯kai 富fu 昌chang
腾teng 顺shun 利li 易yi 捷jie 景jing 晟sheng 普pu 惠hui 鼎ding 力li 森sen
美mei 亚ya 光guang 大da 银yin 讯xun 阿a 里li 巴ba 米mi 百bai 度du 京jing
团tuan 比bi 迪di 尔er 浦pu 发fa 展zhan
""")

# Simplified -> traditional for characters that have a distinct form.
TRADITIONAL = dict(zip(
    "张伟刘陈杨黄赵吴孙马华丽静强杰涛国东书军红兰凤龙云飞鹏为郑许韩冯邓叶苏吕"
    "卢钟谭陆贾韦邹闫贺顾龚万钱严汤罗谢蒋艳刚辉颖宁阳帅轩诗荣玮炜洁晓欧",
    "張偉劉陳楊黃趙吳孫馬華麗靜強傑濤國東書軍紅蘭鳳龍雲飛鵬為鄭許韓馮鄧葉蘇呂"
    "盧鍾譚陸賈韋鄒閆賀顧龔萬錢嚴湯羅謝蔣豔剛輝穎寧陽帥軒詩榮瑋煒潔曉歐"))

# Homophone groups for given-name characters (same toneless pinyin).
HOMOPHONE_GROUPS = ["伟玮炜", "静晶婧", "丽莉俐", "杰洁", "敏民", "芳方", "军君", "磊蕾"]
HOMOPHONES = {}
for _group in HOMOPHONE_GROUPS:
    for _c in _group:
        HOMOPHONES[_c] = [x for x in _group if x != _c]

HONORIFIC_BY_GENDER = {"M": "先生", "F": "女士"}
TITLE_HONORIFICS = ["经理", "总监", "老师"]

# ---------------------------------------------------------------------------
# Geography
# ---------------------------------------------------------------------------

# short name, province (None for municipalities), area code, landline digits,
# pinyin, weight, [(district, region code)], [roads]
CITIES = [
    ("北京", None, "010", 8, "beijing", 12,
     [("东城区", "110101"), ("西城区", "110102"), ("朝阳区", "110105"),
      ("丰台区", "110106"), ("海淀区", "110108")],
     ["建国路", "长安街", "中关村大街", "学院路", "三里屯路", "望京街", "知春路"]),
    ("上海", None, "021", 8, "shanghai", 12,
     [("黄浦区", "310101"), ("徐汇区", "310104"), ("长宁区", "310105"),
      ("静安区", "310106"), ("浦东新区", "310115")],
     ["陆家嘴环路", "南京西路", "淮海中路", "世纪大道", "漕溪北路", "张江路"]),
    ("广州", "广东", "020", 8, "guangzhou", 9,
     [("越秀区", "440104"), ("海珠区", "440105"), ("天河区", "440106"),
      ("白云区", "440111")],
     ["天河路", "中山五路", "体育西路", "环市东路", "珠江新城花城大道"]),
    ("深圳", "广东", "0755", 8, "shenzhen", 10,
     [("罗湖区", "440303"), ("福田区", "440304"), ("南山区", "440305"),
      ("宝安区", "440306"), ("龙岗区", "440307")],
     ["科技园南路", "深南大道", "华强北路", "滨海大道", "科苑路"]),
    ("杭州", "浙江", "0571", 8, "hangzhou", 7,
     [("上城区", "330102"), ("西湖区", "330106"), ("滨江区", "330108"),
      ("余杭区", "330110")],
     ["文三路", "延安路", "江南大道", "文一西路", "莫干山路"]),
    ("成都", "四川", "028", 8, "chengdu", 6,
     [("锦江区", "510104"), ("青羊区", "510105"), ("武侯区", "510107"),
      ("成华区", "510108")],
     ["天府大道", "春熙路", "人民南路", "蜀都大道", "科华北路"]),
    ("武汉", "湖北", "027", 8, "wuhan", 5,
     [("江岸区", "420102"), ("江汉区", "420103"), ("武昌区", "420106"),
      ("洪山区", "420111")],
     ["解放大道", "中南路", "珞喻路", "建设大道", "光谷大道"]),
    ("南京", "江苏", "025", 8, "nanjing", 5,
     [("玄武区", "320102"), ("秦淮区", "320104"), ("建邺区", "320105"),
      ("鼓楼区", "320106")],
     ["中山路", "汉中路", "江东中路", "北京东路", "珠江路"]),
    ("天津", None, "022", 8, "tianjin", 4,
     [("和平区", "120101"), ("河西区", "120103"), ("南开区", "120104")],
     ["南京路", "友谊路", "卫津路", "解放北路"]),
    ("重庆", None, "023", 8, "chongqing", 5,
     [("渝中区", "500103"), ("江北区", "500105"), ("渝北区", "500112")],
     ["民族路", "建新北路", "金开大道", "中山三路"]),
    ("西安", "陕西", "029", 8, "xian", 4,
     [("新城区", "610102"), ("碑林区", "610103"), ("雁塔区", "610113")],
     ["长安北路", "高新路", "东大街", "科技路"]),
    ("苏州", "江苏", "0512", 8, "suzhou", 4,
     [("虎丘区", "320505"), ("吴中区", "320506"), ("姑苏区", "320508")],
     ["干将路", "星湖街", "人民路", "金鸡湖大道"]),
    ("郑州", "河南", "0371", 8, "zhengzhou", 3,
     [("中原区", "410102"), ("二七区", "410103"), ("金水区", "410105")],
     ["花园路", "中原路", "金水路", "农业路"]),
    ("长沙", "湖南", "0731", 8, "changsha", 3,
     [("芙蓉区", "430102"), ("天心区", "430103"), ("岳麓区", "430104")],
     ["五一大道", "芙蓉中路", "麓山南路", "韶山北路"]),
    ("青岛", "山东", "0532", 8, "qingdao", 3,
     [("市南区", "370202"), ("市北区", "370203"), ("崂山区", "370212")],
     ["香港中路", "山东路", "海尔路", "东海西路"]),
    ("厦门", "福建", "0592", 7, "xiamen", 2,
     [("思明区", "350203"), ("湖里区", "350206")],
     ["鹭江道", "湖滨南路", "嘉禾路", "厦禾路"]),
    ("福州", "福建", "0591", 8, "fuzhou", 2,
     [("鼓楼区", "350102"), ("台江区", "350103")],
     ["五四路", "八一七北路", "工业路"]),
    ("合肥", "安徽", "0551", 8, "hefei", 2,
     [("蜀山区", "340104"), ("包河区", "340111")],
     ["长江西路", "徽州大道", "黄山路"]),
    ("沈阳", "辽宁", "024", 8, "shenyang", 2,
     [("和平区", "210102"), ("沈河区", "210103")],
     ["青年大街", "中山路", "北京街"]),
    ("哈尔滨", "黑龙江", "0451", 8, "haerbin", 2,
     [("道里区", "230102"), ("南岗区", "230103")],
     ["中央大街", "红军街", "西大直街"]),
    ("昆明", "云南", "0871", 8, "kunming", 2,
     [("五华区", "530102"), ("盘龙区", "530103")],
     ["东风西路", "北京路", "人民中路"]),
]
CITY_TABLE = Weighted((c, c[5]) for c in CITIES)
CITY_BY_SHORT = {c[0]: c for c in CITIES}
ALL_DISTRICT_CODES = [code for c in CITIES for _, code in c[6]]

MOBILE_PREFIXES = (["13%d" % d for d in range(10)] + ["150", "151", "152", "153"]
                   + ["15%d" % d for d in range(5, 10)] + ["170", "176", "177", "178"]
                   + ["18%d" % d for d in range(10)] + ["198", "199"])
TOWER_NAMES = ["华润", "国贸", "环球金融", "世纪", "科技", "创新", "金融", "时代",
               "国际", "中心", "万达", "华贸"]

# ---------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------

ORG_CORE_CHARS = list("华信达通联创科恒瑞泰安康盛元宏远嘉诚汇鑫天中新金海博维兴邦锐"
                      "思智云星辰启明润和德丰隆正浩凯富荣永昌腾飞顺利东方易捷景峰"
                      "晟普惠鼎力江森美亚光大宇佳万银")
CN_INDUSTRIES = ["技术", "科技", "信息技术", "网络科技", "电子", "贸易", "实业", "投资",
                 "物流", "医药", "生物科技", "建设工程", "房地产开发", "餐饮管理",
                 "教育咨询", "文化传媒", "计算机系统", "机械设备", "新能源", "食品"]
CN_FORMS = Weighted([("有限公司", 60), ("股份有限公司", 15), ("有限责任公司", 15),
                     ("集团有限公司", 10)])
CN_FORM_CHANGES = {"有限公司": ["股份有限公司", "有限责任公司"],
                   "股份有限公司": ["有限公司"],
                   "有限责任公司": ["有限公司"],
                   "集团有限公司": ["有限公司", "集团股份有限公司"]}
# Well-known employers: (city short, city style, core, industry, form, domain).
FAMOUS_CN = [
    ("深圳", 1, "华为", "技术", "有限公司", "huawei.com"),
    ("深圳", 2, "腾讯", "计算机系统", "有限公司", "tencent.com"),
    ("上海", 1, "浦东发展", "银行", "股份有限公司", "spdb.com.cn"),
    ("北京", 1, "小米", "科技", "有限责任公司", "xiaomi.com"),
    ("北京", 1, "百度", "网讯科技", "有限公司", "baidu.com"),
    ("北京", 1, "京东", "世纪贸易", "有限公司", "jd.com"),
    ("深圳", 0, "比亚迪", "", "股份有限公司", "byd.com"),
    ("青岛", 1, "海尔", "智家", "股份有限公司", "haier.com"),
    ("杭州", 0, "阿里巴巴", "（中国）", "有限公司", "alibaba-inc.com"),
]

INTL_PREFIXES = ["Nor", "Bright", "Blue", "Green", "Silver", "Quant", "Ver", "Alta",
                 "Nova", "Sun", "Red", "Stone", "River", "Iron", "Gold", "Star",
                 "Cloud", "Peak", "Oak", "Clear", "True", "First", "Prime", "Swift",
                 "Opti", "Inno", "Tera", "Omni", "Apex", "Zen", "Cor", "Lumi",
                 "Vita", "Aero", "Ever", "Sky", "Terra", "North", "West", "Delta"]
INTL_SUFFIXES = ["tex", "ix", "ora", "ium", "corp", "on", "ia", "wave", "point",
                 "line", "field", "bridge", "gate", "works", "logic", "soft",
                 "ware", "vision", "stream", "path", "tech", "cast", "lane",
                 "hub", "core", "nest", "mark", "dale", "ford", "wood"]
INTL_CLASSIC = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay",
                "Soylent", "Cyberdyne", "Wonka", "Stark", "Wayne", "Tyrell"]
INTL_REGION_WORDS = ["Pacific", "Atlantic", "Global", "International", "Euro",
                     "Asia", "Northern", "United"]
INTL_INDUSTRIES = ["Holdings", "Systems", "Logistics", "Software", "Consulting",
                   "Trading", "Capital", "Labs", "Foods", "Energy", "Industries",
                   "Partners", "Solutions", "Media", "Pharma", "Analytics",
                   "Engineering", "Retail", "Networks", "Ventures"]
INTL_FORMS = {"US": Weighted([("Inc.", 50), ("LLC", 30), ("Corp.", 20)]),
              "UK": Weighted([("Ltd.", 70), ("PLC", 15), ("Limited", 15)]),
              "DE": Weighted([("GmbH", 80), ("AG", 20)]),
              "FR": Weighted([("SAS", 50), ("SARL", 30), ("S.A.", 20)]),
              "SG": Weighted([("Pte. Ltd.", 90), ("Ltd.", 10)])}
INTL_FORM_CHANGES = {"Inc.": ["Inc", "Incorporated"], "LLC": ["L.L.C.", "Llc"],
                     "Corp.": ["Corp", "Corporation"], "Ltd.": ["Ltd", "Limited"],
                     "PLC": ["plc", "Public Limited Company"], "Limited": ["Ltd.", "Ltd"],
                     "GmbH": ["G.m.b.H.", "Gmbh"], "AG": ["A.G."],
                     "SAS": ["S.A.S."], "SARL": ["S.A.R.L.", "Sarl"], "S.A.": ["SA"],
                     "Pte. Ltd.": ["Pte Ltd", "Private Limited"]}

# ---------------------------------------------------------------------------
# International people and places
# ---------------------------------------------------------------------------

COUNTRIES = Weighted([("US", 45), ("UK", 20), ("DE", 12), ("FR", 10), ("SG", 13)])
EN_MALE = ["James", "John", "Robert", "Michael", "William", "David", "Richard",
           "Joseph", "Thomas", "Charles", "Daniel", "Matthew", "Andrew", "Mark",
           "Paul", "Steven", "Kevin", "Brian", "George", "Edward"]
EN_FEMALE = ["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara",
             "Susan", "Jessica", "Sarah", "Karen", "Emily", "Emma", "Olivia",
             "Sophie", "Laura", "Rachel", "Hannah", "Amy", "Katherine", "Anna"]
FIRST_NAMES = {
    "US": (EN_MALE, EN_FEMALE), "UK": (EN_MALE, EN_FEMALE),
    "DE": (["Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus",
            "Alexander", "Jan", "Lukas", "Felix", "Jonas", "Tobias", "Sebastian",
            "Matthias", "Jürgen"],
           ["Anna", "Julia", "Laura", "Lena", "Katharina", "Sarah", "Lisa",
            "Sabine", "Claudia", "Petra", "Hannah", "Sophie", "Marie", "Ute"]),
    "FR": (["Jean", "Pierre", "Michel", "Nicolas", "Julien", "Thomas", "Antoine",
            "Louis", "Hugo", "Lucas", "François", "Philippe"],
           ["Marie", "Nathalie", "Isabelle", "Sophie", "Camille", "Léa", "Chloé",
            "Manon", "Julie", "Céline", "Claire", "Élise"]),
    "SG": (["Wei Ming", "Jun Jie", "Kok Leong", "Boon Kiat", "Zhi Hao", "Jason",
            "Daniel", "Ryan", "Raj", "Arun"],
           ["Mei Ling", "Hui Min", "Jia Hui", "Siew Ling", "Li Ting", "Rachel",
            "Michelle", "Priya", "Nur Aisyah", "Grace"]),
}
LAST_NAMES = {
    "US": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
           "Davis", "Rodriguez", "Martinez", "Wilson", "Anderson", "Taylor",
           "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
           "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King",
           "Wright", "Scott", "Green"],
    "UK": ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans",
           "Wilson", "Thomas", "Johnson", "Roberts", "Robinson", "Thompson",
           "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
           "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke"],
    "DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
           "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein",
           "Wolf", "Schröder", "Neumann", "Braun", "Zimmermann"],
    "FR": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
           "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel",
           "Garcia", "David", "Bertrand", "Roux", "Fournier"],
    "SG": ["Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan",
           "Koh", "Teo", "Ang", "Yeo", "Tay", "Ho", "Low", "Toh", "Sim"],
}
FIRST_TABLES = {c: (rank_weighted(m, 4), rank_weighted(f, 4))
                for c, (m, f) in FIRST_NAMES.items()}
LAST_TABLES = {c: rank_weighted(v, 4) for c, v in LAST_NAMES.items()}
NICKNAMES = {"William": "Bill", "Robert": "Bob", "Elizabeth": "Liz",
             "Michael": "Mike", "James": "Jim", "Katherine": "Kate",
             "Thomas": "Tom", "Richard": "Rick", "Joseph": "Joe",
             "Matthew": "Matt", "Andrew": "Andy", "Daniel": "Dan",
             "Jennifer": "Jen", "Patricia": "Pat", "Steven": "Steve",
             "Edward": "Ed", "Alexander": "Alex", "Sebastian": "Basti"}
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ASCII_FOLD = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss", "é": "e",
                            "è": "e", "ê": "e", "ç": "c", "É": "e", "ï": "i",
                            "ô": "o", "à": "a", "Ü": "ue", "Ö": "oe", "Ä": "ae"})

# country -> (cities, streets); cities: (name, extra, postcode maker key)
US_CITIES = [("San Francisco", "CA", "941"), ("New York", "NY", "100"),
             ("Seattle", "WA", "981"), ("Austin", "TX", "787"),
             ("Chicago", "IL", "606"), ("Boston", "MA", "021"),
             ("Los Angeles", "CA", "900")]
US_STREETS = ["Market", "Main", "Oak", "Pine", "Maple", "Elm", "Washington",
              "Lake", "Park", "Cedar", "Mission", "Howard", "Lincoln"]
US_SUFFIX = Weighted([("Street", 35), ("Avenue", 25), ("Road", 15),
                      ("Boulevard", 10), ("Drive", 10), ("Lane", 5)])
UK_CITIES = [("London", ["EC1A", "SW1A", "W1D", "NW1", "SE1", "E14"]),
             ("Manchester", ["M1", "M2", "M4"]), ("Birmingham", ["B1", "B3"]),
             ("Edinburgh", ["EH1", "EH2"])]
UK_STREETS = ["Baker", "High", "Church", "Victoria", "King", "Queen", "Station",
              "Mill", "Park", "Oxford", "Regent", "George"]
UK_SUFFIX = Weighted([("Street", 50), ("Road", 35), ("Lane", 15)])
DE_CITIES = [("Berlin", "10"), ("München", "80"), ("Hamburg", "20"),
             ("Frankfurt am Main", "60"), ("Köln", "50")]
DE_STREETS = ["Haupt", "Bahnhof", "Goethe", "Schiller", "Friedrich", "Berliner",
              "Garten", "Linden", "Kirch", "Schul"]
FR_CITIES = [("Paris", "750"), ("Lyon", "6900"), ("Marseille", "130"),
             ("Toulouse", "310"), ("Bordeaux", "330")]
FR_STREETS = ["de Rivoli", "Victor Hugo", "de la République", "Saint-Honoré",
              "Jean Jaurès", "des Lilas", "Pasteur", "du Général de Gaulle"]
FR_TYPES = Weighted([("Rue", 55), ("Avenue", 25), ("Boulevard", 20)])
SG_STREETS = [("Orchard", "Road"), ("Raffles", "Place"), ("Tanjong Pagar", "Road"),
              ("Bukit Timah", "Road"), ("Ang Mo Kio", "Avenue 3"),
              ("Jurong East", "Street 21"), ("Cecil", "Street"), ("Robinson", "Road"),
              ("Tampines", "Avenue 5"), ("Shenton", "Way")]
ADDRESS_ABBREVIATIONS = [("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"),
                         ("Boulevard", "Blvd"), ("Drive", "Dr"), ("Lane", "Ln"),
                         ("straße", "str.")]
FR_ABBREVIATIONS = [("Avenue", "Av."), ("Boulevard", "Bd"), ("Rue", "R.")]
PHONE_AREAS = {"US": ["212", "415", "206", "512", "312", "617", "310", "646"],
               "UK_LAND": ["20", "161", "121", "131"],
               "DE_LAND": ["30", "89", "40", "69", "221"],
               "FR_LAND": ["1", "4", "5"]}

INTL_EMAIL_DOMAINS = {
    "US": Weighted([("gmail.com", 45), ("yahoo.com", 15), ("outlook.com", 20),
                    ("icloud.com", 10), ("hotmail.com", 10)]),
    "UK": Weighted([("gmail.com", 40), ("hotmail.co.uk", 20), ("btinternet.com", 15),
                    ("outlook.com", 15), ("yahoo.co.uk", 10)]),
    "DE": Weighted([("gmx.de", 30), ("web.de", 30), ("t-online.de", 15),
                    ("gmail.com", 25)]),
    "FR": Weighted([("orange.fr", 30), ("free.fr", 20), ("gmail.com", 35),
                    ("laposte.net", 15)]),
    "SG": Weighted([("gmail.com", 50), ("singnet.com.sg", 15), ("hotmail.com", 20),
                    ("yahoo.com.sg", 15)]),
}
CN_EMAIL_DOMAINS = Weighted([("qq.com", 30), ("163.com", 25), ("126.com", 10),
                             ("gmail.com", 6), ("outlook.com", 5), ("sina.com", 5),
                             ("foxmail.com", 4), ("hotmail.com", 3), ("WORK", 12)])
ORG_MAILBOXES = ["info", "contact", "sales", "service", "hr", "admin", "office", "bd"]

SOURCES = Weighted([("web_form", 30), ("wechat", 25), ("event", 15),
                    ("spreadsheet", 15), ("erp", 15)])
SOURCE_NAMES = ["web_form", "wechat", "event", "spreadsheet", "erp"]

# ---------------------------------------------------------------------------
# Identification numbers
# ---------------------------------------------------------------------------

RID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORGCODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
# Organization-code body characters; 'E' left out so that no record can ever
# contain 'E' followed by digits (looks like an entity id, case-insensitively).
ORGCODE_BODY = USCC_ALPHABET.replace("E", "")
DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def resident_id_check(body17):
    """ISO 7064 MOD 11-2 check character of a 17-digit resident ID body."""
    total = sum(int(c) * w for c, w in zip(body17, RID_WEIGHTS))
    return RID_CHECK[total % 11]


def orgcode_check(body8):
    """GB 11714 check character of an 8-character organization code."""
    total = 0
    for c, w in zip(body8, ORGCODE_WEIGHTS):
        total += (int(c) if c.isdigit() else ord(c) - 55) * w
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def uscc_check(body17):
    """Mod-31 check character of a unified social credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def make_resident_id(rng, region, year, male):
    month = rng.randint(1, 12)
    days = DAYS_IN_MONTH[month - 1] + (1 if month == 2 and is_leap(year) else 0)
    day = rng.randint(1, days)
    seq = rng.randint(1, 999)
    if (seq % 2 == 1) != male:
        seq = seq + 1 if seq < 999 else seq - 1
    body = "%s%04d%02d%02d%03d" % (region, year, month, day, seq)
    return body + resident_id_check(body)


def make_credit_code(rng, region):
    if rng.random() < 0.6:
        body = "MA" + "".join(rng.choice(ORGCODE_BODY) for _ in range(6))
    else:
        body = "%08d" % rng.randint(10000000, 99999999)
    org = body + orgcode_check(body)
    first17 = "91" + region + org
    return first17 + uscc_check(first17)


# ---------------------------------------------------------------------------
# Small value types (tuples) and their renderers
# ---------------------------------------------------------------------------
# Phone:   ("m", digits11) | ("l", area, number) | ("i", country, groups tuple)
# Address: ("cn", province, city, district, road, number, extra, with_province)
#          | ("intl", country, text)
# OrgName: ("cn", city_short, city_style, core, industry, form)
#          | ("intl", country, core, industry, form)

FULLWIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")
CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n):
    """1..9999 -> Chinese numerals (88 -> 八十八, 1201 -> 一千二百零一)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    out = []
    started = zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        d = n // value % 10
        if d:
            if zero:
                out.append("零")
            out.append(CN_DIGITS[d] + unit)
            started, zero = True, False
        elif started:
            zero = True
    if n % 10:
        if zero:
            out.append("零")
        out.append(CN_DIGITS[n % 10])
    return "".join(out)


def phone_str(p):
    if p is None:
        return ""
    if p[0] == "m":
        return p[1]
    if p[0] == "l":
        return "%s-%s" % (p[1], p[2])
    country, groups = p[1], p[2]
    if country == "US":
        return "+1 %s-%s-%s" % groups
    return "+%s %s" % (INTL_CC[country], " ".join(groups))


INTL_CC = {"US": "1", "UK": "44", "DE": "49", "FR": "33", "SG": "65"}


def phone_formats(p):
    """Alternative renderings of the same number (never the canonical one)."""
    if p[0] == "m":
        m = p[1]
        a, b, c = m[:3], m[3:7], m[7:]
        return ["+86 %s %s %s" % (a, b, c), "0086-%s-%s-%s" % (a, b, c),
                "%s-%s-%s" % (a, b, c), "(86)" + m, "%s %s %s" % (a, b, c),
                "+86" + m, "+86-" + m]
    if p[0] == "l":
        area, num = p[1], p[2]
        out = ["(%s)%s" % (area, num), "%s %s" % (area, num),
               "+86 %s %s" % (area[1:], num), "0086-%s-%s" % (area[1:], num),
               area + num]
        if len(num) == 8:
            out.append("%s-%s-%s" % (area, num[:4], num[4:]))
        return out
    country, groups = p[1], p[2]
    cc = INTL_CC[country]
    digits = "".join(groups)
    out = ["+" + cc + digits, "00%s %s" % (cc, " ".join(groups))]
    if country == "US":
        out += ["(%s) %s-%s" % groups, "%s.%s.%s" % groups, "+1 %s %s %s" % groups]
    elif country == "SG":
        out += [" ".join(groups), "(65) " + digits]
    else:
        out += ["0" + " ".join(groups), "+%s (0)%s" % (cc, " ".join(groups))]
    return out


def phone_typo(rng, p):
    """Same phone with one digit changed (never the leading digits)."""
    def bump(s, start):
        i = rng.randrange(start, len(s))
        d = str((int(s[i]) + rng.randint(1, 9)) % 10)
        return s[:i] + d + s[i + 1:]
    if p[0] == "m":
        return ("m", bump(p[1], 3))
    if p[0] == "l":
        return ("l", p[1], bump(p[2], 1))
    groups = list(p[2])
    g = rng.randrange(1, len(groups))
    groups[g] = bump(groups[g], 0)
    return ("i", p[1], tuple(groups))


def address_str(a):
    if a is None:
        return ""
    if a[0] == "intl":
        return a[2]
    _, province, city, district, road, number, extra, with_prov = a
    head = (province + "省") if (province and with_prov) else ""
    return "%s%s市%s%s%d号%s" % (head, city, district, road, number, extra)


def org_str(o):
    if o is None:
        return ""
    if o[0] == "cn":
        _, city, style, core, industry, form = o
        prefix = "" if style == 0 else city if style == 1 else city + "市"
        return prefix + core + industry + form
    _, country, core, industry, form = o
    return " ".join(x for x in (core, industry, form) if x)


def org_group_name(o):
    if o[0] == "cn":
        return o[3] + "集团"
    return o[2] + " Group"


# ---------------------------------------------------------------------------
# Entity generation
# ---------------------------------------------------------------------------


class Entity:
    """True values of one real-world customer (plus what variations need)."""

    __slots__ = ("kind", "cn", "country", "gender", "surname", "given",
                 "first", "last", "eastern", "name", "org", "company",
                 "phone", "alt_phone", "show_phone2", "email", "address",
                 "id_number", "city", "domain")

    def __init__(self, kind, cn):
        self.kind = kind
        self.cn = cn
        self.country = "CN" if cn else None
        self.gender = None
        self.surname = self.given = self.first = self.last = None
        self.eastern = False
        self.name = ""
        self.org = None          # OrgName of an organization entity
        self.company = None      # OrgName (employer) or group-name string
        self.phone = None
        self.alt_phone = None
        self.show_phone2 = False
        self.email = ""
        self.address = None
        self.id_number = ""
        self.city = None
        self.domain = None


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.recent_orgs = []          # ring buffer of (OrgName, domain)
        self.recent_pos = 0
        self.used_org_keys = set()     # membership only, never iterated
        self.used_emails = set()       # every entity's mailbox is its own

    # -- small pieces ------------------------------------------------------

    def pinyin(self, han):
        return "".join(PINYIN[c] for c in han)

    def mobile(self):
        rng = self.rng
        return ("m", rng.choice(MOBILE_PREFIXES) + "%08d" % rng.randint(0, 99999999))

    def landline(self, city):
        rng = self.rng
        digits = city[3]
        first = str(rng.randint(2, 8))
        rest = "".join(str(rng.randint(0, 9)) for _ in range(digits - 1))
        return ("l", city[2], first + rest)

    def intl_phone(self, country, mobile=True):
        rng = self.rng
        r = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))
        if country == "US":
            return ("i", "US", (rng.choice(PHONE_AREAS["US"]),
                                str(rng.randint(200, 999)), r(4)))
        if country == "UK":
            if mobile:
                return ("i", "UK", ("7" + str(rng.randint(400, 999)), r(6)))
            area = rng.choice(PHONE_AREAS["UK_LAND"])
            return ("i", "UK", (area, r(4), r(4)) if area == "20" else (area, r(3), r(4)))
        if country == "DE":
            if mobile:
                return ("i", "DE", ("15" + str(rng.randint(1, 9)), r(8)))
            return ("i", "DE", (rng.choice(PHONE_AREAS["DE_LAND"]), r(7)))
        if country == "FR":
            first = rng.choice("67") if mobile else rng.choice(PHONE_AREAS["FR_LAND"])
            return ("i", "FR", (first, r(2), r(2), r(2), r(2)))
        first = rng.choice("89") if mobile else "6"
        return ("i", "SG", (first + r(3), r(4)))

    def cn_address(self, city, home=True):
        rng = self.rng
        district = rng.choice(city[6])[0]
        road = rng.choice(city[7])
        number = rng.randint(1, 200) if rng.random() < 0.7 else rng.randint(201, 2000)
        r = rng.random()
        if home:
            if r < 0.55:
                extra = "%d栋%d%02d室" % (rng.randint(1, 30), rng.randint(1, 33),
                                         rng.randint(1, 8))
            elif r < 0.8:
                extra = "%d号楼%d单元%d%02d室" % (rng.randint(1, 20), rng.randint(1, 6),
                                              rng.randint(1, 18), rng.randint(1, 4))
            else:
                extra = ""
        else:
            if r < 0.45:
                extra = "%s大厦%d层" % (rng.choice(TOWER_NAMES), rng.randint(2, 45))
            elif r < 0.75:
                extra = "%d栋%d%02d室" % (rng.randint(1, 12), rng.randint(1, 25),
                                         rng.randint(1, 20))
            else:
                extra = ""
        return ("cn", city[1], city[0], district, road, number, extra,
                city[1] is not None and rng.random() < 0.7)

    def home_address(self, city):
        """Like cn_address but always with a flat number (families)."""
        rng = self.rng
        a = self.cn_address(city, home=True)
        if a[6]:
            return a
        extra = "%d栋%d%02d室" % (rng.randint(1, 30), rng.randint(1, 33), rng.randint(1, 8))
        return a[:6] + (extra,) + a[7:]

    def intl_address(self, country):
        rng = self.rng
        if country == "US":
            city, state, zip3 = rng.choice(US_CITIES)
            text = "%d %s %s" % (rng.randint(1, 2999), rng.choice(US_STREETS),
                                 US_SUFFIX.pick(rng))
            if rng.random() < 0.3:
                text += ", Suite %d" % rng.randint(100, 2400)
            text += ", %s, %s %s%02d" % (city, state, zip3, rng.randint(1, 99))
        elif country == "UK":
            city, areas = rng.choice(UK_CITIES)
            post = "%s %d%s%s" % (rng.choice(areas), rng.randint(1, 9),
                                  rng.choice("ABDEFGHJLNPQRSTUWXYZ"),
                                  rng.choice("ABDEFGHJLNPQRSTUWXYZ"))
            text = "%d %s %s, %s %s" % (rng.randint(1, 250), rng.choice(UK_STREETS),
                                        UK_SUFFIX.pick(rng), city, post)
        elif country == "DE":
            city, plz2 = rng.choice(DE_CITIES)
            text = "%sstraße %d, %s%03d %s" % (rng.choice(DE_STREETS), rng.randint(1, 180),
                                               plz2, rng.randint(0, 999), city)
        elif country == "FR":
            city, cp = rng.choice(FR_CITIES)
            cp = (cp + "%02d" % rng.randint(1, 20))[:5] if len(cp) == 3 else cp + str(rng.randint(0, 9))
            text = "%d %s %s, %s %s" % (rng.randint(1, 150), FR_TYPES.pick(rng),
                                        rng.choice(FR_STREETS), cp, city)
        else:
            street, kind = rng.choice(SG_STREETS)
            text = "%d %s %s, #%02d-%02d, Singapore %06d" % (
                rng.randint(1, 400), street, kind, rng.randint(2, 40),
                rng.randint(1, 30), rng.randint(18000, 829999))
        return ("intl", country, text)

    def new_cn_org(self, city=None, core=None, industry=None, form=None):
        rng = self.rng
        if city is None:
            city = CITY_TABLE.pick(rng)
        if core is None:
            for _ in range(50):
                n = 2 if rng.random() < 0.6 else 3
                core = "".join(rng.choice(ORG_CORE_CHARS) for _ in range(n))
                industry = rng.choice(CN_INDUSTRIES)
                key = core + industry
                if key not in self.used_org_keys and core[0] != core[1]:
                    break
            self.used_org_keys.add(core + industry)
            form = CN_FORMS.pick(rng)
        style = 1 if rng.random() < 0.55 else 2 if rng.random() < 0.75 else 0
        if city[0] in ("北京", "上海", "天津", "重庆") and style == 2 and rng.random() < 0.7:
            style = 1
        return ("cn", city[0], style, core, industry, form), city

    def cn_domain(self, o):
        rng = self.rng
        base = self.pinyin(o[3]) if all(c in PINYIN for c in o[3]) else "corp"
        return base + rng.choice(["", "", "-tech", "group", "-china", "cn"]) + \
            rng.choice([".com", ".com", ".cn", ".com.cn", ".net"])

    def new_intl_org(self, country, unique=True):
        rng = self.rng
        for _ in range(50):
            r = rng.random()
            if r < 0.5:
                core = rng.choice(INTL_PREFIXES) + rng.choice(INTL_SUFFIXES)
            elif r < 0.7:
                core = "%s %s" % (rng.choice(INTL_PREFIXES) + rng.choice(INTL_SUFFIXES),
                                  rng.choice(INTL_REGION_WORDS))
            elif r < 0.9:
                core = "%s & %s" % (LAST_TABLES[country].pick(rng),
                                    rng.choice(LAST_NAMES[country]))
            else:
                core = rng.choice(INTL_CLASSIC)
            industry = rng.choice(INTL_INDUSTRIES)
            key = core + "|" + industry
            if not unique or key not in self.used_org_keys:
                break
        if unique:
            self.used_org_keys.add(key)
        return ("intl", country, core, industry, INTL_FORMS[country].pick(rng))

    def intl_domain(self, o):
        base = re.sub(r"[^a-z]", "", o[2].lower().translate(ASCII_FOLD)) or "corp"
        tld = {"US": ".com", "UK": ".co.uk", "DE": ".de", "FR": ".fr", "SG": ".com.sg"}
        return base + tld[o[1]]

    def remember_org(self, o, domain):
        item = (o, domain)
        if len(self.recent_orgs) < 2000:
            self.recent_orgs.append(item)
        else:
            self.recent_orgs[self.recent_pos] = item
            self.recent_pos = (self.recent_pos + 1) % 2000

    def employer(self, cn, country):
        """(OrgName, domain) for a person's company."""
        rng = self.rng
        r = rng.random()
        if self.recent_orgs and r < 0.5:
            o, d = rng.choice(self.recent_orgs)
            if (o[0] == "cn") == cn or rng.random() < 0.1:
                return o, d
        if cn:
            if r > 0.96:
                city, style, core, ind, form, dom = rng.choice(FAMOUS_CN)
                return ("cn", city, style, core, ind, form), dom
            o, _ = self.new_cn_org()
            return o, self.cn_domain(o)
        o = self.new_intl_org(country, unique=False)
        return o, self.intl_domain(o)

    # -- persons -----------------------------------------------------------

    def cn_given(self, gender):
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            return COMMON_GIVEN_BY_GENDER[gender].pick(rng)
        table = GIVEN_CHARS_BY_GENDER[gender]
        if r < 0.5:
            return table.pick(rng)
        return table.pick(rng) + table.pick(rng)

    def unique_email(self, email):
        """A mailbox belongs to one customer, as mail providers guarantee:
        an address another entity already has gets a number (wanglei@163.com
        -> wanglei2@163.com)."""
        if email not in self.used_emails:
            self.used_emails.add(email)
            return email
        local, _, domain = email.partition("@")
        n = 2
        while "%s%d@%s" % (local, n, domain) in self.used_emails:
            n += 1
        email = "%s%d@%s" % (local, n, domain)
        self.used_emails.add(email)
        return email

    def cn_email(self, e, year, domain):
        rng = self.rng
        sp, gp = self.pinyin(e.surname), self.pinyin(e.given)
        d = CN_EMAIL_DOMAINS.pick(rng)
        if d == "WORK":
            d = domain or "163.com"
        if d == "qq.com" and rng.random() < 0.4:
            return "%d@qq.com" % rng.randint(100000, 3999999999)
        ini = sp[0] + "".join(PINYIN[c][0] for c in e.given)
        r = rng.random()
        if r < 0.25:
            local = "%s%s%02d" % (sp, gp, rng.randint(0, 99))
        elif r < 0.4:
            local = "%s.%s" % (gp, sp)
        elif r < 0.55:
            local = "%s%d" % (ini, year)
        elif r < 0.62:
            local = sp + gp
        elif r < 0.75:
            local = "%s_%s%d" % (sp, gp, rng.randint(1, 999))
        elif r < 0.88:
            local = "%s%s%d" % (sp, gp, year)
        else:
            local = "%s%s%03d" % (gp, sp, rng.randint(0, 999))
        return "%s@%s" % (local, d)

    def cn_person(self, city=None, surname=None, given=None, gender=None,
                  address=None, phone=None):
        rng = self.rng
        e = Entity("person", True)
        e.gender = gender or ("M" if rng.random() < 0.52 else "F")
        e.surname = surname or SURNAME_TABLE.pick(rng)
        e.given = given or self.cn_given(e.gender)
        e.name = e.surname + e.given
        e.city = city or CITY_TABLE.pick(rng)
        year = min(2005, max(1950, int(rng.triangular(1950, 2005, 1985))))
        region = rng.choice(e.city[6])[1] if rng.random() < 0.65 else rng.choice(ALL_DISTRICT_CODES)
        rid = make_resident_id(rng, region, year, e.gender == "M")
        e.id_number = rid if rng.random() < 0.55 else ""
        domain = None
        if rng.random() < 0.75:
            e.company, domain = self.employer(True, "CN")
        if phone is not None:            # family member: shared landline
            e.phone = phone
            e.alt_phone = self.mobile()
            e.show_phone2 = True
        else:
            e.phone = self.mobile() if rng.random() < 0.98 else None
            e.alt_phone = self.mobile() if rng.random() < 0.6 else self.landline(e.city)
            e.show_phone2 = e.phone is not None and rng.random() < 0.12
        e.email = self.cn_email(e, year, domain) if rng.random() < 0.7 else ""
        if address is not None:
            e.address = address
        elif rng.random() < 0.6:
            e.address = self.cn_address(e.city)
        return e

    def intl_email(self, e, domain):
        rng = self.rng
        f = re.sub(r"[^a-z]", "", e.first.lower().translate(ASCII_FOLD))
        l = re.sub(r"[^a-z]", "", e.last.lower().translate(ASCII_FOLD))
        d = domain if (domain and rng.random() < 0.3) else INTL_EMAIL_DOMAINS[e.country].pick(rng)
        r = rng.random()
        if r < 0.35:
            local = "%s.%s" % (f, l)
        elif r < 0.55:
            local = f[0] + l
        elif r < 0.75:
            local = "%s%s%02d" % (f, l, rng.randint(0, 99))
        elif r < 0.85:
            local = "%s_%s" % (f, l)
        else:
            local = "%s%d" % (f, rng.randint(1955, 2004))
        return "%s@%s" % (local, d)

    def intl_person(self):
        rng = self.rng
        e = Entity("person", False)
        e.country = COUNTRIES.pick(rng)
        e.gender = "M" if rng.random() < 0.5 else "F"
        e.first = FIRST_TABLES[e.country][0 if e.gender == "M" else 1].pick(rng)
        e.last = LAST_TABLES[e.country].pick(rng)
        e.eastern = e.country == "SG" and " " in e.first
        e.name = ("%s %s" % (e.last, e.first)) if e.eastern else ("%s %s" % (e.first, e.last))
        domain = None
        if rng.random() < 0.8:
            e.company, domain = self.employer(False, e.country)
        e.phone = self.intl_phone(e.country, True) if rng.random() < 0.9 else None
        e.alt_phone = self.intl_phone(e.country, False)
        e.show_phone2 = e.phone is not None and rng.random() < 0.1
        e.email = self.intl_email(e, domain) if rng.random() < 0.95 else ""
        if rng.random() < 0.55:
            e.address = self.intl_address(e.country)
        return e

    # -- organizations -----------------------------------------------------

    def cn_org(self, base=None, city=None, base_domain=None):
        rng = self.rng
        e = Entity("organization", True)
        if base is None:
            o, e.city = self.new_cn_org()
        else:
            o, e.city = self.new_cn_org(city, base[3], base[4], base[5])
            if o[2] == 0:
                o = o[:2] + (1,) + o[3:]
        e.org = o
        e.name = org_str(o)
        region = rng.choice(e.city[6])[1]
        e.id_number = make_credit_code(rng, region) if rng.random() < 0.8 else ""
        domain = e.domain = self.cn_domain(o) if base_domain is None else base_domain
        if base is not None:
            e.company = org_group_name(o) if rng.random() < 0.7 else None
            e.email = "%s@%s" % (e.city[4], domain) if rng.random() < 0.65 else ""
        else:
            e.company = org_group_name(o) if rng.random() < 0.2 else None
            e.email = "%s@%s" % (rng.choice(ORG_MAILBOXES), domain) if rng.random() < 0.65 else ""
        r = rng.random()
        e.phone = self.landline(e.city) if r < 0.7 else self.mobile() if r < 0.92 else None
        e.alt_phone = self.mobile() if rng.random() < 0.5 else self.landline(e.city)
        e.show_phone2 = e.phone is not None and rng.random() < 0.15
        if rng.random() < 0.85 or base is not None:
            e.address = self.cn_address(e.city, home=False)
        self.remember_org(o, domain)
        return e

    def intl_org(self):
        rng = self.rng
        e = Entity("organization", False)
        e.country = COUNTRIES.pick(rng)
        o = self.new_intl_org(e.country)
        e.org = o
        e.name = org_str(o)
        domain = self.intl_domain(o)
        e.company = org_group_name(o) if rng.random() < 0.15 else None
        e.email = "%s@%s" % (rng.choice(ORG_MAILBOXES), domain) if rng.random() < 0.65 else ""
        e.phone = self.intl_phone(e.country, False) if rng.random() < 0.9 else None
        e.alt_phone = self.intl_phone(e.country, rng.random() < 0.5)
        e.show_phone2 = e.phone is not None and rng.random() < 0.1
        if rng.random() < 0.85:
            e.address = self.intl_address(e.country)
        self.remember_org(o, domain)
        return e

    # -- groups (one entity, or a hard-negative group) ---------------------

    def next_group(self):
        """Return (list of entities, hard-negative group kind or None)."""
        rng = self.rng
        r = rng.random()
        if r < 0.235:                               # organizations
            if rng.random() < 0.2:
                return [self.intl_org()], None
            if rng.random() < 0.05:
                first = self.cn_org()
                n = 2 if rng.random() < 0.75 else 3
                cities = [c for c in CITIES if c is not first.city]
                members = [first]
                for city in rng.sample(cities, n - 1):
                    members.append(self.cn_org(first.org, city, first.domain))
                return members, "branch_office"
            return [self.cn_org()], None
        if rng.random() < 0.2:
            return [self.intl_person()], None
        r = rng.random()
        if r < 0.03:                                 # family
            city = CITY_TABLE.pick(rng)
            surname = SURNAME_TABLE.pick(rng)
            address = self.home_address(city)
            landline = self.landline(city)
            n = 2 if rng.random() < 0.8 else 3
            members, givens = [], []
            while len(members) < n:
                gender = "M" if rng.random() < 0.5 else "F"
                given = self.cn_given(gender)
                if given in givens:
                    continue
                givens.append(given)
                members.append(self.cn_person(city, surname, given, gender,
                                              address, landline))
            return members, "family"
        if r < 0.05:                                 # same name, same city
            city = CITY_TABLE.pick(rng)
            gender = "M" if rng.random() < 0.5 else "F"
            surname = rng.choice(TOP_SURNAMES)
            given = rng.choice(VERY_COMMON_GIVEN[gender])
            members = []
            for _ in range(2):
                p = self.cn_person(city, surname, given, gender)
                if p.address is None:
                    p.address = self.cn_address(city)
                members.append(p)
            return members, "same_name_same_city"
        return [self.cn_person()], None


# ---------------------------------------------------------------------------
# Records and variations
# ---------------------------------------------------------------------------

KIND, NAME, COMPANY, PHONE, PHONE2, EMAIL, ADDRESS, ID, SOURCE = range(9)


def base_record(rng, e):
    company = e.company
    if isinstance(company, tuple):
        company = org_str(company)
    return [e.kind, e.name, company or "", phone_str(e.phone),
            phone_str(e.alt_phone) if e.show_phone2 else "", e.email,
            address_str(e.address), e.id_number, SOURCES.pick(rng)]


# Each variation: fn(rng, entity, record) -> True if it changed the record.

def v_name_traditional(rng, e, rec):
    t = "".join(TRADITIONAL.get(c, c) for c in e.name)
    if t == e.name:
        return False
    rec[NAME] = t
    return True


def v_name_spacing(rng, e, rec):
    rec[NAME] = e.surname + ("·" if rng.random() < 0.3 else " ") + e.given
    return True


def v_name_homophone(rng, e, rec):
    pos = [i for i, c in enumerate(e.given) if c in HOMOPHONES]
    if not pos:
        return False
    i = rng.choice(pos)
    g = e.given[:i] + rng.choice(HOMOPHONES[e.given[i]]) + e.given[i + 1:]
    rec[NAME] = e.surname + g
    return True


def v_name_pinyin(rng, e, rec):
    s = "".join(PINYIN[c] for c in e.surname)
    g = "".join(PINYIN[c] for c in e.given)
    r = rng.random()
    if r < 0.4:
        rec[NAME] = "%s %s" % (s.capitalize(), g.capitalize())
    elif r < 0.7:
        rec[NAME] = "%s %s" % (g.capitalize(), s.capitalize())
    elif r < 0.9:
        rec[NAME] = "%s %s" % (s.upper(), g.capitalize())
    else:
        rec[NAME] = "%s %s" % (s, g)
    return True


def v_name_honorific(rng, e, rec):
    if rng.random() < 0.6:
        rec[NAME] = e.name + HONORIFIC_BY_GENDER[e.gender]
    else:
        rec[NAME] = e.name + rng.choice(TITLE_HONORIFICS)
    return True


def v_name_case(rng, e, rec):
    rec[NAME] = e.name.upper() if rng.random() < 0.6 else e.name.lower()
    return True


def v_name_middle_initial(rng, e, rec):
    if e.eastern:
        return False
    rec[NAME] = "%s %s. %s" % (e.first, rng.choice("ABCDEFGHJKLMNPRSTW"), e.last)
    return True


def v_name_swapped(rng, e, rec):
    if e.eastern:
        rec[NAME] = "%s %s" % (e.first, e.last)
    else:
        rec[NAME] = "%s, %s" % (e.last, e.first)
    return True


def v_name_typo(rng, e, rec):
    name = e.name
    idx = [i for i, c in enumerate(name) if c.isalpha() and c.isascii() and i > 0]
    if not idx:
        return False
    i = rng.choice(idx)
    r = rng.random()
    if r < 0.5:
        c = rng.choice(LETTERS)
        if c == name[i].lower():
            c = "e" if c != "e" else "a"
        new = name[:i] + c + name[i + 1:]
    elif r < 0.75:
        new = name[:i] + name[i + 1:]
    else:
        if i + 1 >= len(name) or not name[i + 1].isalpha() or name[i] == name[i + 1]:
            new = name[:i] + name[i] + name[i:]
        else:
            new = name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if new == name:
        return False
    rec[NAME] = new
    return True


def v_name_nickname(rng, e, rec):
    if e.first not in NICKNAMES:
        return False
    rec[NAME] = "%s %s" % (NICKNAMES[e.first], e.last)
    return True


# --- organization names (org entity name, or a person's company) -----------

def org_variant(rng, o, how):
    """Return a varied organization name, or None if not applicable."""
    if o[0] == "cn":
        _, city, style, core, industry, form = o
        prefix = "" if style == 0 else city if style == 1 else city + "市"
        if how == "legal_form_changed":
            alts = CN_FORM_CHANGES.get(form)
            return prefix + core + industry + rng.choice(alts) if alts else None
        if how == "legal_form_dropped":
            return prefix + core + industry + ("公司" if rng.random() < 0.3 else "")
        if how == "city_dropped":
            return core + industry + form if style else None
        if how == "region_bracketed":
            if not style or industry.startswith("（"):
                return None
            br = "（%s）" % city if rng.random() < 0.8 else "(%s)" % city
            return core + industry + br + form
        if how == "short_name":
            return core
        return None
    _, country, core, industry, form = o
    if how == "legal_form_changed":
        alts = INTL_FORM_CHANGES.get(form)
        return " ".join((core, industry, rng.choice(alts))) if alts else None
    if how == "legal_form_dropped":
        return "%s %s" % (core, industry)
    if how == "case":
        return org_str(o).upper()
    if how == "short_name":
        return core
    return None


def make_org_name_variation(how):
    def fn(rng, e, rec):
        v = org_variant(rng, e.org, how)
        if not v or v == rec[NAME]:
            return False
        rec[NAME] = v
        return True
    return fn


def make_company_variation(how):
    def fn(rng, e, rec):
        if not isinstance(e.company, tuple):
            return False
        v = org_variant(rng, e.company, how)
        if not v or v == rec[COMPANY]:
            return False
        rec[COMPANY] = v
        return True
    return fn


def make_missing(field):
    def fn(rng, e, rec):
        if not rec[field]:
            return False
        rec[field] = ""
        return True
    return fn


# --- phones ------------------------------------------------------------------

def v_phone_format(rng, e, rec):
    if e.phone is None:
        return False
    rec[PHONE] = rng.choice(phone_formats(e.phone))
    return True


def v_phone_fullwidth(rng, e, rec):
    if e.phone is None or e.phone[0] == "i":
        return False
    s = phone_str(e.phone) if rng.random() < 0.6 else rng.choice(phone_formats(e.phone))
    rec[PHONE] = s.translate(FULLWIDTH)
    return True


def v_phone2_added(rng, e, rec):
    if rec[PHONE2] or e.alt_phone is None or not rec[PHONE]:
        return False
    rec[PHONE2] = phone_str(e.alt_phone)
    return True


def v_phone_moved(rng, e, rec):
    if not rec[PHONE]:
        return False
    rec[PHONE], rec[PHONE2] = rec[PHONE2], rec[PHONE]
    return True


def v_phone_typo(rng, e, rec):
    if e.phone is None:
        return False
    rec[PHONE] = phone_str(phone_typo(rng, e.phone))
    return True


# --- email -------------------------------------------------------------------

def v_email_case(rng, e, rec):
    if not e.email:
        return False
    if rng.random() < 0.4:
        v = e.email.upper()
    else:
        local, _, dom = e.email.partition("@")
        parts = re.split(r"([._])", local)
        v = "".join(p.capitalize() for p in parts) + "@" + (
            dom.upper() if rng.random() < 0.3 else dom)
    if v == e.email:
        return False
    rec[EMAIL] = v
    return True


def v_email_spaces(rng, e, rec):
    if not e.email:
        return False
    r = rng.random()
    rec[EMAIL] = (" " + e.email) if r < 0.35 else (e.email + " ") if r < 0.7 else (" %s " % e.email)
    return True


# --- address -----------------------------------------------------------------

def v_address_level_dropped(rng, e, rec):
    a = e.address
    if a is None or a[0] != "cn":
        return False
    _, province, city, district, road, number, extra, with_prov = a
    tail = "%s%s%d号%s" % (district, road, number, extra)
    options = [city + tail]                                  # 市 dropped
    if province and with_prov:
        options.append(city + "市" + tail)                   # province dropped
        options.append(province + city + tail)               # 省 and 市 dropped
    elif province:
        options.append(province + "省" + city + "市" + tail)  # province added
    rec[ADDRESS] = rng.choice(options)
    return True


def v_address_country(rng, e, rec):
    a = e.address
    if a is None:
        return False
    if a[0] == "cn":
        rec[ADDRESS] = ("中国" if rng.random() < 0.8 else "中国 ") + address_str(a)
    else:
        names = {"US": "USA", "UK": "United Kingdom", "DE": "Germany",
                 "FR": "France", "SG": "Singapore"}
        if a[1] == "SG":
            return False
        rec[ADDRESS] = address_str(a) + ", " + names[a[1]]
    return True


def v_address_numerals(rng, e, rec):
    a = e.address
    if a is None or a[0] != "cn":
        return False
    rec[ADDRESS] = re.sub(r"(\d+)号", lambda m: chinese_numeral(int(m.group(1))) + "号",
                          address_str(a), count=1)
    return True


def v_address_abbrev(rng, e, rec):
    a = e.address
    if a is None or a[0] != "intl":
        return False
    text = a[2]
    options = []
    pairs = FR_ABBREVIATIONS if a[1] == "FR" else ADDRESS_ABBREVIATIONS
    for full, short in pairs:
        if re.search(r"\b%s\b" % re.escape(full), text) or full == "straße" and full in text:
            options.append((full, short))
        elif re.search(r"\b%s\b" % re.escape(short), text):
            options.append((short, full))
    if not options:
        return False
    old, new = rng.choice(options)
    rec[ADDRESS] = text.replace(old, new, 1)
    return rec[ADDRESS] != text


# --- id_number ---------------------------------------------------------------

def v_id_lower_x(rng, e, rec):
    if not e.id_number.endswith("X") or e.kind != "person":
        return False
    rec[ID] = e.id_number[:-1] + "x"
    return True


def v_id_spaces(rng, e, rec):
    s = e.id_number
    if not s:
        return False
    if e.kind == "person" and rng.random() < 0.7:
        rec[ID] = "%s %s %s" % (s[:6], s[6:14], s[14:])
    elif rng.random() < 0.5:
        rec[ID] = " ".join(s[i:i + 4] for i in range(0, 18, 4))
    else:
        i = rng.randint(1, 17)
        rec[ID] = s[:i] + " " + s[i:]
    return True


NAME_CN_PERSON = [("traditional", 20, v_name_traditional), ("spacing", 20, v_name_spacing),
                  ("homophone", 15, v_name_homophone), ("pinyin", 30, v_name_pinyin),
                  ("honorific", 15, v_name_honorific)]
NAME_INTL_PERSON = [("case", 25, v_name_case), ("middle_initial", 20, v_name_middle_initial),
                    ("swapped", 20, v_name_swapped), ("typo", 25, v_name_typo),
                    ("nickname", 10, v_name_nickname)]
ORG_VARIATIONS = [("legal_form_changed", 30), ("legal_form_dropped", 20),
                  ("city_dropped", 20), ("region_bracketed", 15), ("short_name", 5),
                  ("case", 10)]
NAME_ORG = [(h, w, make_org_name_variation(h)) for h, w in ORG_VARIATIONS]
COMPANY_ALL = ([(h, w, make_company_variation(h)) for h, w in ORG_VARIATIONS]
               + [("missing", 15, make_missing(COMPANY))])
PHONE_ALL = [("format", 35, v_phone_format), ("fullwidth", 10, v_phone_fullwidth),
             ("phone2_added", 15, v_phone2_added), ("moved_to_phone2", 10, v_phone_moved),
             ("typo", 15, v_phone_typo), ("missing", 15, make_missing(PHONE))]
EMAIL_ALL = [("case", 40, v_email_case), ("spaces", 30, v_email_spaces),
             ("missing", 30, make_missing(EMAIL))]
ADDRESS_ALL = [("level_dropped", 35, v_address_level_dropped),
               ("country_prefix", 20, v_address_country),
               ("chinese_numerals", 20, v_address_numerals),
               ("abbreviation", 35, v_address_abbrev),
               ("missing", 25, make_missing(ADDRESS))]
ID_ALL = [("lowercase_x", 20, v_id_lower_x), ("spaces", 40, v_id_spaces),
          ("missing", 40, make_missing(ID))]
FIELD_GROUPS = [("name", 30), ("phone", 25), ("email", 15), ("company", 10),
                ("address", 12), ("id_number", 8)]
N_VARIATIONS = Weighted([(1, 50), (2, 35), (3, 15)])
N_EXTRA_RECORDS = Weighted([(1, 55), (2, 25), (3, 12), (4, 8)])
MEAN_EXTRA = sum(k * w for k, w in [(1, 55), (2, 25), (3, 12), (4, 8)]) / 100.0


def variations_for(e, group):
    if group == "name":
        if e.kind == "organization":
            return NAME_ORG
        return NAME_CN_PERSON if e.cn else NAME_INTL_PERSON
    return {"phone": PHONE_ALL, "email": EMAIL_ALL, "company": COMPANY_ALL,
            "address": ADDRESS_ALL, "id_number": ID_ALL}[group]


def weighted_order(rng, items):
    """Weighted random permutation of (key, weight, ...) tuples."""
    items = list(items)
    out = []
    while items:
        total = sum(it[1] for it in items)
        x = rng.random() * total
        for i, it in enumerate(items):
            x -= it[1]
            if x < 0 or i == len(items) - 1:
                out.append(items.pop(i))
                break
    return out


def duplicate_record(rng, e, base, counts):
    """A varied copy of the entity's record; counts variation kinds."""
    rec = list(base)
    src = SOURCES.pick(rng)
    if src == base[SOURCE] and rng.random() < 0.8:
        src = rng.choice([s for s in SOURCE_NAMES if s != base[SOURCE]])
    rec[SOURCE] = src
    want = N_VARIATIONS.pick(rng)
    done = 0
    for group, _w in weighted_order(rng, FIELD_GROUPS):
        if done >= want:
            break
        for how, _w2, fn in weighted_order(rng, variations_for(e, group)):
            if fn(rng, e, rec):
                field = "org_name" if (group == "name" and e.kind == "organization") else group
                key = "%s:%s" % (field, how)
                counts[key] = counts.get(key, 0) + 1
                done += 1
                break
    return rec


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------

HEADER = ["record_id", "kind", "name", "company", "phone", "phone2", "email",
          "address", "id_number", "source"]


def fix_adjacent(rng, order, ent):
    """Swap records so that no two consecutive rows share an entity."""
    n = len(order)
    for _round in range(1000):
        bad = [i for i in range(n - 1) if ent[order[i]] == ent[order[i + 1]]]
        if not bad:
            return
        for i in bad:
            if ent[order[i]] != ent[order[i + 1]]:
                continue
            for _try in range(1000):
                j = rng.randrange(n)
                order[i + 1], order[j] = order[j], order[i + 1]
                ok = True
                for p in (i + 1, j):
                    v = ent[order[p]]
                    if (p > 0 and ent[order[p - 1]] == v) or \
                            (p + 1 < n and ent[order[p + 1]] == v):
                        ok = False
                if ok:
                    break
                order[i + 1], order[j] = order[j], order[i + 1]
    raise RuntimeError("could not separate records of the same entity")


def generate(n_records, seed, out_dir, dup_rate=0.3, verbose=True):
    t0 = time.time()
    rng = random.Random(seed)
    gen = Generator(rng)
    # P(entity has duplicates): dup share r = p*m / (1 + p*m), m = mean extras.
    p_dup = dup_rate / ((1.0 - dup_rate) * MEAN_EXTRA)

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    rows = []                          # csv line (bytes, without record_id)
    ent_of = array.array("i")          # entity index per generated row
    counts = {}
    hard = {"common_name": 0, "same_name_same_city": 0, "family": 0,
            "branch_office": 0}
    name_count = {}
    n_entities = 0
    true_pairs = 0

    def emit(rec, ent_index):
        writer.writerow(rec)
        rows.append(buf.getvalue().encode("utf-8"))
        buf.seek(0)
        buf.truncate()
        ent_of.append(ent_index)

    while len(rows) < n_records:
        members, group_kind = gen.next_group()
        emitted_members = 0
        for e in members:
            remaining = n_records - len(rows)
            if remaining <= 0:
                break
            k = 1 + N_EXTRA_RECORDS.pick(rng) if rng.random() < p_dup else 1
            k = min(k, remaining)
            ent_index = n_entities
            n_entities += 1
            emitted_members += 1
            true_pairs += k * (k - 1) // 2
            if e.kind == "person":
                name_count[e.name] = name_count.get(e.name, 0) + 1
            if e.email:
                e.email = gen.unique_email(e.email)
            base = base_record(rng, e)
            emit(base, ent_index)
            for _ in range(k - 1):
                emit(duplicate_record(rng, e, base, counts), ent_index)
        if group_kind and emitted_members >= 2:
            hard[group_kind] += 1
    hard["common_name"] = sum(1 for c in name_count.values() if c >= 2)
    del name_count
    t_gen = time.time()

    order = list(range(n_records))
    rng.shuffle(order)
    fix_adjacent(rng, order, ent_of)

    width = max(6, len(str(n_records)))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "records.csv"), "wb") as f_rec, \
            open(os.path.join(out_dir, "truth.csv"), "wb") as f_truth:
        f_rec.write((",".join(HEADER) + "\n").encode())
        f_truth.write(b"record_id,entity_id\n")
        chunk_r, chunk_t = [], []
        for slot, g in enumerate(order):
            rid = "r%0*d" % (width, slot + 1)
            chunk_r.append(rid.encode() + b"," + rows[g])
            chunk_t.append(("%s,e%0*d\n" % (rid, width, ent_of[g] + 1)).encode())
            if len(chunk_r) >= 20000:
                f_rec.write(b"".join(chunk_r))
                f_truth.write(b"".join(chunk_t))
                chunk_r, chunk_t = [], []
        f_rec.write(b"".join(chunk_r))
        f_truth.write(b"".join(chunk_t))

    meta = {
        "name": "crm-%d-seed%d" % (n_records, seed),
        "task": "dedupe",
        "n_records": n_records,
        "n_entities": n_entities,
        "injected_duplicates": n_records - n_entities,
        "true_pairs": true_pairs,
        "duplicates_by_kind": dict(sorted(counts.items())),
        "hard_negative_groups": hard,
        "generator": "bench/generate.py",
        "seed": seed,
    }
    with open(os.path.join(out_dir, "dataset.json"), "w", encoding="utf-8",
              newline="\n") as f:
        json.dump(meta, f, ensure_ascii=False, indent=2)
        f.write("\n")
    if verbose:
        print("wrote %d records of %d entities (%d duplicates, %d true pairs) to %s "
              "in %.1fs (generate %.1fs)" % (n_records, n_entities, n_records - n_entities,
                                             true_pairs, out_dir, time.time() - t0,
                                             t_gen - t0), file=sys.stderr)
    return meta


def self_test():
    """Check tables and check-digit code against known-valid numbers."""
    for code in ("91350100M000100Y43", "914403001922038216"):
        assert uscc_check(code[:17]) == code[17], code
        assert orgcode_check(code[8:16]) == code[16], code
    assert resident_id_check("11010519491231002") == "X"
    used = set(c for s, _ in SURNAMES for c in s)
    used.update(c for g, _, _ in COMMON_GIVEN for c in g)
    used.update(MALE_CHARS + FEMALE_CHARS + ORG_CORE_CHARS + list("".join(HOMOPHONE_GROUPS)))
    missing = sorted(c for c in used if c not in PINYIN)
    assert not missing, "no pinyin for %s" % "".join(missing)
    assert chinese_numeral(88) == "八十八" and chinese_numeral(1201) == "一千二百零一"
    assert chinese_numeral(1000) == "一千" and chinese_numeral(15) == "十五"
    assert chinese_numeral(105) == "一百零五" and chinese_numeral(110) == "一百一十"
    rng = random.Random(0)
    for _ in range(1000):
        c = make_credit_code(rng, "110105")
        assert uscc_check(c[:17]) == c[17] and orgcode_check(c[8:16]) == c[16]
    print("self-test ok", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Generate synthetic CRM customer records (Chinese-first, some "
                    "international) with ground truth for duplicate-detection "
                    "benchmarks. Writes records.csv, truth.csv and dataset.json.",
        epilog="Example: python3 bench/generate.py --records 100000 --seed 1 "
               "--out /tmp/crm-100k. Same arguments give byte-identical files.")
    ap.add_argument("--records", type=int,
                    help="number of records N (1000 .. 2000000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", help="output directory (created if missing)")
    ap.add_argument("--dup-rate", type=float, default=0.3,
                    help="share of records that duplicate another record of the "
                         "same entity (0 .. 0.6, default 0.3)")
    ap.add_argument("--quiet", action="store_true", help="no summary on stderr")
    ap.add_argument("--self-test", action="store_true",
                    help="check the built-in tables and check-digit code, then exit")
    args = ap.parse_args(argv)
    if args.self_test:
        self_test()
        return 0
    if args.records is None:
        ap.error("--records is required")
    if not 1000 <= args.records <= 2000000:
        ap.error("--records must be between 1000 and 2000000")
    if not 0.0 <= args.dup_rate <= 0.6:
        ap.error("--dup-rate must be between 0 and 0.6")
    if not args.out:
        ap.error("--out is required")
    generate(args.records, args.seed, args.out, args.dup_rate, verbose=not args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
