//! Field-aware similarities: names, companies, phones and addresses, each
//! built on the normalizer of its field, so that spelling variants the
//! normalizers already remove (traditional characters, legal forms, +86,
//! full width, word order) cost nothing.

use std::sync::OnceLock;

use crate::normalize::{address, company, keys, name, phone};

use super::strings::{jaccard, jaro_winkler, levenshtein, levenshtein_similarity};

/// What a cross-script or homophone match is worth: high, but below an
/// exact match (张伟 against 张玮 sound the same; 张伟 against 'Zhang Wei'
/// read the same).
const SAME_READING: f64 = 0.95;

/// Readings of each name compared, the most common first: a long name full
/// of heteronyms has up to 16, and 16 × 16 Jaro-Winkler comparisons of long
/// strings cost more than all the rest of a record comparison.
const COMPARED_READINGS: usize = 4;

/// A name prepared for comparison: its normalized form, and its readings,
/// computed on first use (equal names never need them) and once however
/// many names it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct NameForm {
    pub normalized: String,
    input: String,
    readings: OnceLock<Vec<String>>,
}

impl NameForm {
    fn readings(&self) -> &[String] {
        self.readings
            .get_or_init(|| keys::name_readings(&self.input))
    }
}

/// `None` when the name is empty after normalization.
pub fn prepare_name(input: &str) -> Option<NameForm> {
    Some(NameForm {
        normalized: name::normalize_name(input)?,
        input: input.to_string(),
        readings: OnceLock::new(),
    })
}

/// The similarity of two prepared names (see [`name_similarity`]).
pub fn name_form_similarity(a: &NameForm, b: &NameForm) -> f64 {
    if a.normalized == b.normalized {
        return 1.0;
    }
    let mut best = jaro_winkler(&a.normalized, &b.normalized);
    for x in a.readings().iter().take(COMPARED_READINGS) {
        for y in b.readings().iter().take(COMPARED_READINGS) {
            best = best.max(SAME_READING * jaro_winkler(x, y));
        }
    }
    best
}

/// `mdm.name_similarity`: 1 when the normalized names are equal (張偉 and
/// 张伟; 'Wei Zhang' and 'ZHANG, Wei'); otherwise the best of the
/// Jaro-Winkler similarity of the normalized names and, scaled by 0.95, that
/// of their readings (pinyin for Han, the words for Latin script), so that
/// 张伟 against 'Zhang Wei' scores 0.95 and the homophones 张伟 and 张玮 too.
/// `None` when either name is empty after normalization.
pub fn name_similarity(a: &str, b: &str) -> Option<f64> {
    Some(name_form_similarity(&prepare_name(a)?, &prepare_name(b)?))
}

/// A company prepared for comparison: its normalized core, and the core's
/// reading written together (华为技术 → huaweijishu), computed on first use.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyForm {
    pub core: String,
    joined: OnceLock<String>,
}

impl CompanyForm {
    fn joined(&self) -> &str {
        self.joined.get_or_init(|| {
            keys::pinyin(&self.core)
                .map(|p| p.replace(' ', ""))
                .unwrap_or_default()
        })
    }
}

/// `None` when the core is empty.
pub fn prepare_company(input: &str) -> Option<CompanyForm> {
    Some(CompanyForm {
        core: company::normalize_company(input)?,
        joined: OnceLock::new(),
    })
}

/// The similarity of two prepared companies (see [`company_similarity`]).
pub fn company_form_similarity(a: &CompanyForm, b: &CompanyForm) -> f64 {
    if a.core == b.core {
        return 1.0;
    }
    let direct = jaro_winkler(&a.core, &b.core).max(jaccard(&a.core, &b.core));
    let across = 0.9 * jaro_winkler(a.joined(), b.joined());
    direct.max(across)
}

/// `mdm.company_similarity`: 1 when the normalized cores are equal
/// (北京华为技术有限公司 and 華為技術有限公司); otherwise the best of the
/// Jaro-Winkler and Jaccard similarities of the cores (Jaccard over
/// characters for Chinese, over words otherwise), and 0.9 times the
/// Jaro-Winkler similarity of their readings written together (华为技术 →
/// huaweijishu). `None` when either core is empty.
pub fn company_similarity(a: &str, b: &str) -> Option<f64> {
    Some(company_form_similarity(
        &prepare_company(a)?,
        &prepare_company(b)?,
    ))
}

/// Score of two numbers one edit apart (a mistyped, missing or extra digit).
pub const PHONE_ONE_EDIT: f64 = 0.7;

/// The smallest edit distance between `short` and the last `short.len()`
/// − 1, `short.len()` or + 1 digits of `long`: numbers written with and
/// without a country code or trunk prefix line up at their end.
fn tail_distance(short: &str, long: &str) -> usize {
    let n = short.len();
    [n.saturating_sub(1), n, n + 1]
        .into_iter()
        .filter(|&k| k >= 1 && k <= long.len())
        .map(|k| levenshtein(&long[long.len() - k..], short))
        .min()
        .unwrap_or(usize::MAX)
}

/// A phone number prepared for comparison: its E.164 form when it is a
/// valid number, its type (`mobile`, `fixed_line`, ...) when known, and its
/// digits (those of the E.164 form, or of the text as written).
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneForm {
    pub e164: Option<String>,
    pub kind: Option<&'static str>,
    pub digits: String,
}

/// Never `None` for text; the digits may be empty.
pub fn prepare_phone(input: &str, region: phonenumber::country::Id) -> PhoneForm {
    match phone::parse_phone(input, region) {
        Some(p) => PhoneForm {
            digits: p.e164.chars().filter(char::is_ascii_digit).collect(),
            e164: Some(p.e164),
            kind: p.kind,
        },
        None => PhoneForm {
            e164: None,
            kind: None,
            digits: input.chars().filter(char::is_ascii_digit).collect(),
        },
    }
}

/// The similarity of two prepared numbers (see [`phone_similarity`]).
pub fn phone_form_similarity(a: &PhoneForm, b: &PhoneForm) -> f64 {
    if let (Some(x), Some(y)) = (&a.e164, &b.e164) {
        return match levenshtein(x, y) {
            0 => 1.0,
            1 => PHONE_ONE_EDIT,
            _ => 0.0,
        };
    }
    let (short, long) = if a.digits.len() <= b.digits.len() {
        (&a.digits, &b.digits)
    } else {
        (&b.digits, &a.digits)
    };
    if short.len() < 5 {
        return 0.0;
    }
    match tail_distance(short, long) {
        0 => 1.0,
        1 => PHONE_ONE_EDIT,
        _ => 0.0,
    }
}

/// `mdm.phone_similarity`: 1 for the same number however written
/// (E.164 after `normalize_phone`, default region CN), 0.7 for numbers one
/// digit apart (a typo, a missing or an extra digit), 0 otherwise or when
/// either is not a number. Two valid numbers compare as E.164; when one is
/// not valid, the digits are compared from their end, so that a number
/// with a missing digit still meets its correct form.
pub fn phone_similarity(a: &str, b: &str, region: phonenumber::country::Id) -> f64 {
    phone_form_similarity(&prepare_phone(a, region), &prepare_phone(b, region))
}

/// The similarity of two normalized addresses (see [`address_similarity`]).
pub fn normalized_address_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    levenshtein_similarity(a, b).max(jaccard(a, b))
}

/// `mdm.address_similarity`: 1 when the normalized addresses are equal
/// (北京市朝阳区建国路88号 and 中国北京朝阳区建国路八十八号); otherwise the
/// better of their Levenshtein similarity and their Jaccard similarity
/// (characters for Chinese, words otherwise, so word order does not count).
/// `None` when either is empty.
pub fn address_similarity(a: &str, b: &str) -> Option<f64> {
    let na = address::normalize_address(a)?;
    let nb = address::normalize_address(b)?;
    Some(normalized_address_similarity(&na, &nb))
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::country::Id;
    use proptest::prelude::*;

    fn name(a: &str, b: &str) -> f64 {
        name_similarity(a, b).unwrap_or(-1.0)
    }

    #[test]
    fn names() {
        assert_eq!(name("張偉", "张伟"), 1.0);
        assert_eq!(name("Wei Zhang", "Zhang Wei"), 1.0);
        assert_eq!(name("ZHANG, Wei", "zhang wei"), 1.0);
        assert_eq!(name("张伟先生", "张 伟"), 1.0);
        assert!(name("张伟", "Zhang Wei") >= 0.9);
        assert!(name("張偉", "Wei Zhang") >= 0.9);
        let homophone = name("张伟", "张玮");
        assert!((0.9..1.0).contains(&homophone), "{homophone}");
        assert!(name("陈静", "Chen Jing") >= 0.9);
        assert!(name("曾国藩", "Zeng Guofan") >= 0.9);
        assert!(name("John Smith", "Jon Smith") > 0.9);
        assert!(name("María García", "Maria Garcia") == 1.0);
        assert!(name("张伟", "李娜") < 0.7, "{}", name("张伟", "李娜"));
        assert!(
            name("John Smith", "Mary Jones") < 0.7,
            "{}",
            name("John Smith", "Mary Jones")
        );
        assert_eq!(name_similarity("", "张伟"), None);
    }

    #[test]
    fn companies() {
        let c = |a: &str, b: &str| company_similarity(a, b).unwrap_or(-1.0);
        assert_eq!(c("北京华为技术有限公司", "華為技術有限公司"), 1.0);
        assert_eq!(c("华为技术（北京）有限公司", "北京华为技术有限公司"), 1.0);
        assert_eq!(c("Acme Corp.", "ACME Inc"), 1.0);
        assert!(c("腾讯科技（深圳）有限公司", "深圳市腾讯计算机系统有限公司") > 0.5);
        assert!(c("华为技术", "Huawei Technologies") > 0.5);
        assert!(c("北京银行", "上海银行") < 1.0);
        assert!(c("阿里巴巴", "比亚迪") < 0.6, "{}", c("阿里巴巴", "比亚迪"));
    }

    #[test]
    fn phones() {
        let p = |a: &str, b: &str| phone_similarity(a, b, Id::CN);
        assert_eq!(p("+86 138 0013 8000", "13800138000"), 1.0);
        assert_eq!(
            p("＋８６　１３８００１３８０００", "0086-138-0013-8000"),
            1.0
        );
        assert_eq!(p("13800138000", "13800138001"), PHONE_ONE_EDIT);
        assert_eq!(p("13800138000", "1380013800"), PHONE_ONE_EDIT);
        assert_eq!(p("13800138000", "13912345678"), 0.0);
        assert_eq!(p("13800138000", "not a phone"), 0.0);
        assert_eq!(p("010-12345678", "+86 10 1234 5678"), 1.0);
        assert_eq!(p("+1 415 555 0132", "+44 20 7946 0958"), 0.0);
        assert_eq!(p("12345", "12345"), 1.0);
    }

    #[test]
    fn addresses() {
        let s = |a: &str, b: &str| address_similarity(a, b).unwrap_or(-1.0);
        assert_eq!(
            s("北京市朝阳区建国路88号", "中国北京朝阳区建国路八十八号"),
            1.0
        );
        assert!(s("北京市朝阳区建国路88号", "北京市朝阳区建国路89号") > 0.8);
        assert!(s("北京市朝阳区建国路88号", "上海市浦东新区陆家嘴环路1000号") < 0.5);
        assert_eq!(
            s(
                "100 Market St, San Francisco",
                "100 market street san francisco"
            ),
            1.0
        );
    }

    proptest! {
        #[test]
        fn symmetric_and_bounded(a in "\\PC{0,12}", b in "\\PC{0,12}") {
            for (x, y) in [
                (name_similarity(&a, &b), name_similarity(&b, &a)),
                (company_similarity(&a, &b), company_similarity(&b, &a)),
                (address_similarity(&a, &b), address_similarity(&b, &a)),
                (Some(phone_similarity(&a, &b, Id::CN)), Some(phone_similarity(&b, &a, Id::CN))),
            ] {
                prop_assert_eq!(x, y);
                if let Some(v) = x {
                    prop_assert!((0.0..=1.0).contains(&v));
                }
            }
        }

        #[test]
        fn identity(a in "[张王李赵陈伟芳娜 a-zA-Z]{1,10}") {
            if name::normalize_name(&a).is_some() {
                prop_assert_eq!(name_similarity(&a, &a), Some(1.0));
            }
        }
    }
}
