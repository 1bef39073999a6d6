//! `mdm.normalize_company`: the distinguishing core of an organisation's
//! name, so that 北京华为技术有限公司, 华为技术（北京）有限公司 and
//! 華為技術有限公司 all give 华为技术.
//!
//! 1. `normalize_text` (NFKC folds full-width brackets and punctuation),
//!    traditional to simplified Chinese.
//! 2. Bracketed tags that are a region, 中国 or a legal form are removed
//!    ((北京), （上海）, (中国), (集团)); other bracketed text loses only its
//!    brackets.
//! 3. Punctuation dropped, spaces between CJK characters removed, Latin
//!    accents folded.
//! 4. Legal forms stripped from the end, repeatedly: 有限公司, 有限责任公司,
//!    股份有限公司, 集团, 公司, …; Co., Ltd., Inc., LLC, GmbH, Corp., S.A., ….
//! 5. A province or city tag at the start stripped (北京…, 广东省深圳市…),
//!    unless what is left is only generic industry words (北京银行 stays
//!    北京银行, not 银行).
//!
//! Nothing is stripped that would leave the name empty.

use super::cjk::{is_cjk, to_simplified};
use super::regions::{is_region, leading_region};
use super::text::{fold_accents, is_close_bracket, is_open_bracket, normalize_text, recompose};

/// Chinese legal forms and group designations, longest first.
const CJK_LEGAL: &[&str] = &[
    "集团股份有限公司",
    "集团有限责任公司",
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限合伙企业",
    "股份合作公司",
    "合伙企业",
    "有限合伙",
    "有限公司",
    "集团公司",
    "股份公司",
    "总公司",
    "控股",
    "集团",
    "公司",
];

/// Latin legal forms, as whole words after dots are removed (S.A. → sa).
const LATIN_LEGAL: &[&str] = &[
    "co",
    "company",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "llc",
    "lp",
    "llp",
    "plc",
    "corp",
    "corporation",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "pte",
    "pty",
    "kk",
    "group",
    "holdings",
    "holding",
];

/// Latin region tags, only when they stand in brackets: Acme (China) Ltd.
const LATIN_REGION_TAGS: &[&str] = &[
    "china",
    "prc",
    "beijing",
    "shanghai",
    "shenzhen",
    "guangzhou",
    "hong kong",
    "hk",
    "asia",
    "asia pacific",
    "uk",
    "usa",
    "us",
];

/// Generic industry words: a name that is only these after its region tag
/// is removed keeps the tag (北京银行, 上海汽车, 中山证券).
const INDUSTRY: &[&str] = &[
    "银行",
    "农商银行",
    "商业银行",
    "证券",
    "保险",
    "信托",
    "基金",
    "期货",
    "投资",
    "资本",
    "金融",
    "科技",
    "技术",
    "信息",
    "网络",
    "电子",
    "软件",
    "通信",
    "通讯",
    "电信",
    "移动",
    "联通",
    "数据",
    "智能",
    "汽车",
    "能源",
    "电力",
    "石油",
    "石化",
    "化工",
    "医药",
    "药业",
    "制药",
    "生物",
    "医疗",
    "医院",
    "食品",
    "饮料",
    "酒业",
    "房地产",
    "地产",
    "置业",
    "建设",
    "建筑",
    "工程",
    "交通",
    "运输",
    "物流",
    "航空",
    "机场",
    "铁路",
    "地铁",
    "港口",
    "港务",
    "钢铁",
    "煤业",
    "煤矿",
    "矿业",
    "有色",
    "水务",
    "燃气",
    "热力",
    "实业",
    "贸易",
    "商贸",
    "商业",
    "百货",
    "超市",
    "传媒",
    "文化",
    "旅游",
    "酒店",
    "教育",
    "咨询",
    "管理",
    "服务",
    "发展",
    "国际",
    "农业",
    "环保",
    "新能源",
    "材料",
    "机械",
    "设备",
    "制造",
    "纺织",
    "服装",
    "家具",
    "电器",
    "家电",
    "企业",
    "大学",
    "学院",
    "日报",
    "电视台",
];

/// A bracketed tag to drop: a region, 中国, a legal form.
fn is_droppable_tag(tag: &str) -> bool {
    let t = tag.trim();
    is_region(t)
        || CJK_LEGAL.contains(&t)
        || LATIN_REGION_TAGS.contains(&t)
        || t.split_whitespace()
            .all(|w| LATIN_LEGAL.contains(&w.trim_matches('.')))
            && !t.is_empty()
}

/// Step 2: bracketed tags removed, other bracketed text kept without its
/// brackets. Unbalanced brackets become spaces. One pass: each closing
/// bracket looks back to the latest opening one.
fn strip_bracket_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut open_at: Option<usize> = None;
    for c in s.chars() {
        if is_open_bracket(c) {
            out.push(' ');
            open_at = Some(out.len());
        } else if is_close_bracket(c) {
            if let Some(start) = open_at.take() {
                if is_droppable_tag(&out[start..]) {
                    out.truncate(start);
                }
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Step 3: punctuation dropped (dots and apostrophes vanish, so S.A. → sa;
/// other punctuation separates words), spaces between CJK characters
/// removed, single spaces elsewhere.
fn clean_words(s: &str) -> String {
    let folded = fold_accents(s);
    let mut spaced = String::with_capacity(folded.len());
    for c in folded.chars() {
        if matches!(c, '.' | '\'' | '\u{2019}' | '·' | '・') {
            continue;
        }
        if c.is_alphanumeric() {
            spaced.push(c);
        } else {
            spaced.push(' ');
        }
    }
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out = String::with_capacity(spaced.len());
    for w in words {
        let glue = out.chars().last().is_some_and(is_cjk) && w.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Step 4 once: a legal form removed from the end, if one is there and
/// something is left.
fn strip_legal_once(s: &str) -> Option<&str> {
    if CJK_LEGAL.contains(&s) {
        return None;
    }
    for form in CJK_LEGAL {
        if let Some(rest) = s.strip_suffix(form) {
            let rest = rest.trim_end();
            if !rest.is_empty() {
                return Some(rest);
            }
        }
    }
    // The last word, looked for among the last few characters only (legal
    // forms are short), so that huge input stays linear.
    let (space, _) = s.char_indices().rev().take(16).find(|&(_, c)| c == ' ')?;
    let (rest, last) = (&s[..space], &s[space + 1..]);
    (LATIN_LEGAL.contains(&last) && !rest.trim().is_empty()).then(|| rest.trim_end())
}

/// True when `s` is only generic industry words (or empty).
fn only_industry(s: &str) -> bool {
    let mut rest = s.trim();
    'outer: while !rest.is_empty() {
        for word in INDUSTRY {
            if let Some(r) = rest.strip_suffix(word) {
                rest = r.trim_end();
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// Step 5 once: a leading region tag removed, if one is there and what is
/// left is more than generic industry words.
fn strip_region_once(s: &str) -> Option<&str> {
    let len = leading_region(s)?;
    let rest = s[len..].trim_start();
    let mut core = rest;
    while let Some(shorter) = strip_legal_once(core) {
        core = shorter;
    }
    (!rest.is_empty() && !only_industry(core)).then_some(rest)
}

/// Whether a name ends in a legal form (有限公司, GmbH, Ltd, ...): what tells
/// an organisation from a person when a record has no `kind`.
pub fn has_legal_form(input: &str) -> bool {
    let Some(text) = normalize_text(input) else {
        return false;
    };
    let simplified = to_simplified(&text);
    let cleaned = clean_words(&strip_bracket_tags(&simplified));
    CJK_LEGAL.contains(&cleaned.as_str()) || strip_legal_once(&cleaned).is_some()
}

/// `mdm.normalize_company`; `None` when nothing is left.
pub fn normalize_company(input: &str) -> Option<String> {
    let text = normalize_text(input)?;
    let simplified = to_simplified(&text);
    let cleaned = clean_words(&strip_bracket_tags(&simplified));
    let mut s = cleaned.as_str();
    // Legal forms and region tags can hide each other (北京华为技术有限公司):
    // strip both until neither is left.
    loop {
        if let Some(shorter) = strip_legal_once(s) {
            s = shorter;
        } else if let Some(shorter) = strip_region_once(s) {
            s = shorter;
        } else {
            break;
        }
    }
    let s = s.trim();
    (!s.is_empty()).then(|| recompose(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::normalize_company;
    use proptest::prelude::*;

    #[test]
    fn legal_forms_tell_organisations() {
        use super::has_legal_form;
        for org in [
            "北京华为技术有限公司",
            "华为技术（北京）有限公司",
            "Acme GmbH",
            "ACME Ltd.",
        ] {
            assert!(has_legal_form(org), "{org}");
        }
        for person in ["张伟", "Wei Zhang", "", "Ltd"] {
            assert!(!has_legal_form(person), "{person}");
        }
    }

    #[test]
    fn table() {
        let cases: &[(&str, Option<&str>)] = &[
            // the three spellings of one company
            ("北京华为技术有限公司", Some("华为技术")),
            ("华为技术（北京）有限公司", Some("华为技术")),
            ("華為技術有限公司", Some("华为技术")),
            ("华为技术有限公司", Some("华为技术")),
            // region tags at the start and in brackets
            ("腾讯科技（深圳）有限公司", Some("腾讯科技")),
            ("騰訊科技(深圳)有限公司", Some("腾讯科技")),
            ("深圳市腾讯计算机系统有限公司", Some("腾讯计算机系统")),
            ("阿里巴巴（中国）有限公司", Some("阿里巴巴")),
            ("阿里巴巴(中國)有限公司", Some("阿里巴巴")),
            ("网易（杭州）网络有限公司", Some("网易网络")),
            ("广东省深圳市比亚迪汽车有限公司", Some("比亚迪汽车")),
            ("上海浦东发展银行股份有限公司", Some("浦东发展银行")),
            ("广州立白企业集团有限公司", Some("立白企业")),
            ("北京字节跳动科技有限公司", Some("字节跳动科技")),
            // legal forms
            ("比亚迪股份有限公司", Some("比亚迪")),
            ("小米科技有限责任公司", Some("小米科技")),
            ("小米科技有限責任公司", Some("小米科技")),
            ("中国平安保险（集团）股份有限公司", Some("中国平安保险")),
            ("腾讯控股有限公司", Some("腾讯")),
            ("联想集团", Some("联想")),
            // a region that is the name keeps it
            ("北京银行股份有限公司", Some("北京银行")),
            ("上海汽车集团股份有限公司", Some("上海汽车")),
            ("中山证券有限责任公司", Some("中山证券")),
            ("中国银行", Some("中国银行")),
            ("北京", Some("北京")),
            ("有限公司", Some("有限公司")),
            // Latin
            ("Huawei Technologies Co., Ltd.", Some("huawei technologies")),
            ("HUAWEI TECHNOLOGIES CO.,LTD", Some("huawei technologies")),
            ("Acme Corp.", Some("acme")),
            ("ACME Corporation", Some("acme")),
            ("Acme Inc", Some("acme")),
            ("Acme, Inc.", Some("acme")),
            ("Telefónica S.A.", Some("telefonica")),
            ("TELEFONICA SA", Some("telefonica")),
            ("Müller Maschinenbau GmbH", Some("muller maschinenbau")),
            ("Chen & Partners LLC", Some("chen partners")),
            ("Zhang Consulting Ltd.", Some("zhang consulting")),
            ("Alibaba Group Holding Limited", Some("alibaba")),
            ("Lenovo (Beijing) Co., Ltd.", Some("lenovo")),
            ("Siemens AG", Some("siemens")),
            ("The Coca-Cola Company", Some("the coca cola")),
            // full-width
            ("ＡＣＭＥ　ＣＯ．，ＬＴＤ．", Some("acme")),
            // nothing left
            ("", None),
            ("   ", None),
            ("（）", None),
            ("华为技术(北京", Some("华为技术北京")),
            ("（北京）华为技术有限公司（深圳）", Some("华为技术")),
        ];
        for (input, want) in cases {
            assert_eq!(
                normalize_company(input).as_deref(),
                *want,
                "normalize_company({input:?})"
            );
        }
    }

    #[test]
    fn unbalanced_brackets_stay_linear() {
        let s = "(((北京".repeat(100_000);
        assert!(normalize_company(&s).is_some());
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>()) {
            if let Some(once) = normalize_company(&s) {
                prop_assert_eq!(normalize_company(&once), Some(once.clone()));
            }
        }

        #[test]
        fn idempotent_on_company_shapes(
            s in "(北京|深圳市|广东省|)[华为腾讯小米银行科技技术]{1,6}(（北京）|\\(中国\\)|)(有限公司|股份有限公司|集团|)"
        ) {
            if let Some(once) = normalize_company(&s) {
                prop_assert_eq!(normalize_company(&once), Some(once.clone()));
            }
        }
    }
}
