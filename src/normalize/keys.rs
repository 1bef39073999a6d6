//! Keys for matching names across scripts: `mdm.pinyin` and `mdm.name_keys`.
//!
//! 张伟, 張偉, 'Zhang Wei', 'Wei Zhang' and 'ZHANG Wei' share keys, because
//! every name is reduced to Latin tokens: pinyin syllables for Han
//! characters (every reading of a heteronym such as 曾 zeng/ceng, 单
//! shan/dan), folded Latin words for the rest.

use pinyin::{ToPinyin, ToPinyinMulti};
use rphonetic::DoubleMetaphone;

use super::cjk::{is_han, to_simplified};
use super::name::name_words;
use super::text::{fold_accents, normalize_text};

/// At most this many readings of one name are expanded (a name full of
/// heteronyms would otherwise explode).
const MAX_READINGS: usize = 16;

/// Compound surnames: the surname of 欧阳娜娜 is 欧阳, not 欧.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "宇文", "司徒",
    "夏侯", "公孙", "轩辕", "端木", "西门", "南宫", "独孤", "万俟", "闻人", "澹台", "赫连", "呼延",
    "百里", "申屠", "太史", "司空", "钟离", "公冶",
];

/// `mdm.pinyin`: Han characters as toneless pinyin syllables (most common
/// reading), one space between syllables and words; other text normalized
/// and kept. 张伟 → zhang wei, 華為 → hua wei.
pub fn pinyin(input: &str) -> Option<String> {
    let text = normalize_text(input)?;
    let simplified = to_simplified(&text);
    let mut out = String::with_capacity(simplified.len() * 3);
    let mut prev_word_char = false;
    for c in simplified.chars() {
        if let Some(p) = c.to_pinyin() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(p.plain());
            prev_word_char = false;
            continue;
        }
        if c == ' ' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            if !prev_word_char && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push(c);
        }
        prev_word_char = c != ' ';
    }
    let trimmed = out.trim_end();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Every toneless reading of a Han character, most common first.
fn readings(c: char) -> Vec<&'static str> {
    let mut r: Vec<&'static str> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            if !r.contains(&p.plain()) {
                r.push(p.plain());
            }
        }
    }
    r
}

/// One name part with its alternative Latin spellings (a Han given name
/// 小明 → ["xiaoming"]; with heteronyms, several).
type Part = Vec<String>;

/// Every combination of the readings of `chars`, concatenated, at most
/// `MAX_READINGS` of them.
fn spell(chars: &[char]) -> Part {
    let mut out = vec![String::new()];
    for &c in chars {
        let options = readings(c);
        if options.is_empty() {
            out.iter_mut().for_each(|s| s.push(c));
            continue;
        }
        let mut next = Vec::with_capacity(out.len() * options.len());
        'fill: for prefix in &out {
            for o in &options {
                if next.len() == MAX_READINGS {
                    break 'fill;
                }
                next.push(format!("{prefix}{o}"));
            }
        }
        out = next;
    }
    out
}

/// The parts of one written word: a 2- to 4-character Han name splits into
/// surname and given name (张|伟, 欧阳|娜娜); longer Han text into
/// syllables; other words are one part.
fn parts_of_word(word: &str) -> Vec<Part> {
    let chars: Vec<char> = word.chars().collect();
    if !chars.iter().all(|&c| is_han(c)) {
        return vec![vec![fold_accents(word)]];
    }
    match chars.len() {
        2..=4 => {
            let surname_len =
                if COMPOUND_SURNAMES.iter().any(|s| word.starts_with(s)) && chars.len() > 2 {
                    2
                } else {
                    1
                };
            vec![spell(&chars[..surname_len]), spell(&chars[surname_len..])]
        }
        _ => chars
            .iter()
            .map(|c| spell(std::slice::from_ref(c)))
            .collect(),
    }
}

/// Names have few parts; text with more than this many gets the keys of
/// its first reading only (so that huge input stays linear).
const MAX_PARTS: usize = 12;

/// Every combination of one spelling per part, at most `MAX_READINGS`.
fn combinations(parts: &[Part]) -> Vec<Vec<&str>> {
    if parts.len() > MAX_PARTS {
        return vec![parts
            .iter()
            .filter_map(|p| p.first().map(String::as_str))
            .collect()];
    }
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for part in parts {
        let mut next = Vec::new();
        'fill: for prefix in &out {
            for spelling in part {
                if next.len() == MAX_READINGS {
                    break 'fill;
                }
                let mut v = prefix.clone();
                v.push(spelling.as_str());
                next.push(v);
            }
        }
        out = next;
    }
    out
}

/// `mdm.name_keys`: blocking keys for a person's or an organisation's name,
/// sorted and without duplicates. Each is prefixed with its kind:
/// - `n:` the normalized name (`mdm.normalize_name`);
/// - `t:` the Latin tokens sorted (张伟, Zhang Wei, Wei Zhang → `t:wei zhang`);
/// - `j:` the tokens written together in the given order, and for a
///   two-part name also the other way round (张伟 and 'Wei Zhang' →
///   `j:zhangwei`, `j:weizhang`; 'Zhangwei' → `j:zhangwei`);
/// - `dm:` for names written in Latin script, the double metaphone codes of
///   the words, sorted (`dm:A JNK`), which catch spelling variants such as
///   'Jang Wei' for 'Zhang Wei' or 'Jon Smyth' for 'John Smith'.
///
/// Heteronyms give every reading: 曾伟 has keys for both zeng and ceng.
pub fn name_keys(input: &str) -> Option<Vec<String>> {
    let words = name_words(input)?;
    let mut keys: Vec<String> = Vec::new();
    if let Some(n) = super::name::normalize_name(input) {
        keys.push(format!("n:{n}"));
    }
    let parts: Vec<Part> = words.iter().flat_map(|w| parts_of_word(w)).collect();
    for tokens in combinations(&parts) {
        let mut sorted = tokens.clone();
        sorted.sort_unstable();
        keys.push(format!("t:{}", sorted.join(" ")));
        keys.push(format!("j:{}", tokens.concat()));
        if tokens.len() == 2 {
            keys.push(format!("j:{}{}", tokens[1], tokens[0]));
        }
    }
    // Phonetic codes only for names written in Latin script: on pinyin they
    // would merge unrelated Chinese names (wu jiang and zhang wei both give
    // A JNK).
    if words
        .iter()
        .all(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        let dm = DoubleMetaphone::default();
        let mut codes: Vec<String> = words
            .iter()
            .map(|w| dm.double_metaphone(w).primary())
            .filter(|code| !code.is_empty())
            .collect();
        if !codes.is_empty() {
            codes.sort_unstable();
            keys.push(format!("dm:{}", codes.join(" ")));
        }
    }
    keys.sort_unstable();
    keys.dedup();
    Some(keys)
}

/// The readings of a name: its `t:` keys without the prefix (Latin tokens
/// sorted, one string per combination of readings), without duplicates, the
/// most common reading first (the order `combinations` makes them in); empty
/// when the name has no words. Cheaper than filtering [`name_keys`].
pub fn name_readings(input: &str) -> Vec<String> {
    let Some(words) = name_words(input) else {
        return Vec::new();
    };
    let parts: Vec<Part> = words.iter().flat_map(|w| parts_of_word(w)).collect();
    let mut out: Vec<String> = Vec::new();
    for mut tokens in combinations(&parts) {
        tokens.sort_unstable();
        let reading = tokens.join(" ");
        if !out.contains(&reading) {
            out.push(reading);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn readings_are_the_t_keys() {
        for name in [
            "张伟",
            "曾伟",
            "Wei Zhang",
            "欧阳娜娜",
            "María García",
            "单 小明",
            "",
            "·",
        ] {
            let t: Vec<String> = name_keys(name)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|k| k.strip_prefix("t:").map(str::to_string))
                .collect();
            let mut readings = name_readings(name);
            readings.sort_unstable();
            assert_eq!(readings, t, "{name}");
        }
    }

    #[test]
    fn pinyin_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("张伟", Some("zhang wei")),
            ("張偉", Some("zhang wei")),
            ("张 伟", Some("zhang wei")),
            ("华为技术有限公司", Some("hua wei ji shu you xian gong si")),
            ("華為", Some("hua wei")),
            ("李娜 Li Na", Some("li na li na")),
            ("陈静", Some("chen jing")),
            ("刘洋", Some("liu yang")),
            ("北京", Some("bei jing")),
            ("重庆", Some("zhong qing")),
            ("Zhang Wei", Some("zhang wei")),
            ("张伟2024", Some("zhang wei 2024")),
            ("ＡＢＣ公司", Some("abc gong si")),
            ("", None),
            ("   ", None),
        ];
        for (input, want) in cases {
            assert_eq!(pinyin(input).as_deref(), *want, "pinyin({input:?})");
        }
    }

    fn keys(s: &str) -> Vec<String> {
        name_keys(s).unwrap_or_default()
    }

    fn share_key(a: &str, b: &str) -> bool {
        let kb = keys(b);
        keys(a).iter().any(|k| kb.contains(k))
    }

    #[test]
    fn cross_script_names_share_keys() {
        let same = [
            "张伟",
            "張偉",
            "Zhang Wei",
            "Wei Zhang",
            "ZHANG Wei",
            "zhang wei",
            "Zhangwei",
            "张 伟 先生",
        ];
        for a in same {
            for b in same {
                assert!(
                    share_key(a, b),
                    "{a} and {b} share no key: {:?} / {:?}",
                    keys(a),
                    keys(b)
                );
            }
        }
        for (a, b) in [
            ("陈静", "Chen Jing"),
            ("陳靜", "Jing Chen"),
            ("刘洋", "Liu Yang"),
            ("欧阳娜娜", "Nana Ouyang"),
            ("欧阳娜娜", "Ouyang Nana"),
            ("张小明", "Xiaoming Zhang"),
            ("张小明", "Zhang Xiaoming"),
            ("曾国藩", "Zeng Guofan"),
            ("单雄信", "Shan Xiongxin"),
            ("解缙", "Xie Jin"),
            ("Jang Wei", "Zhang Wei"),
            ("Schmidt Hans", "Hans Schmitt"),
            ("John Smith", "Jon Smyth"),
            ("Catherine Zeta", "Katherine Zeta"),
            ("María García", "Maria Garcia"),
        ] {
            assert!(
                share_key(a, b),
                "{a} and {b} share no key: {:?} / {:?}",
                keys(a),
                keys(b)
            );
        }
    }

    #[test]
    fn different_names_do_not_share_keys() {
        for (a, b) in [
            ("张伟", "李娜"),
            ("张伟", "张小明"),
            ("John Smith", "Mary Jones"),
            ("王芳", "王方圆"),
        ] {
            assert!(
                !share_key(a, b),
                "{a} and {b} share a key: {:?} / {:?}",
                keys(a),
                keys(b)
            );
        }
    }

    #[test]
    fn heteronyms_give_every_reading() {
        let k = keys("曾伟");
        assert!(k.contains(&"t:wei zeng".to_string()), "{k:?}");
        assert!(k.contains(&"t:ceng wei".to_string()), "{k:?}");
        let k = keys("单伟");
        assert!(
            k.contains(&"t:shan wei".to_string()) && k.contains(&"t:dan wei".to_string()),
            "{k:?}"
        );
        let k = keys("重阳");
        assert!(
            k.contains(&"t:chong yang".to_string()) && k.contains(&"t:yang zhong".to_string()),
            "{k:?}"
        );
    }

    #[test]
    fn keys_are_sorted_unique_and_bounded() {
        let k = keys("單單單單");
        let mut sorted = k.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(k, sorted);
        assert!(k.len() <= 1 + 4 * MAX_READINGS);
        assert_eq!(name_keys(""), None);
        // long text: one reading, linear time
        let long = "曾单解重".repeat(50_000);
        let k = name_keys(&long).unwrap_or_default();
        assert_eq!(k.len(), 3, "n:, t: and j: keys");
        assert_eq!(name_keys("  "), None);
    }

    proptest! {
        #[test]
        fn no_panic(s in any::<String>()) {
            let _ = pinyin(&s);
            if let Some(k) = name_keys(&s) {
                prop_assert!(k.len() <= 1 + 4 * MAX_READINGS);
            }
        }

        #[test]
        fn pinyin_idempotent_on_han(s in "[张王李赵陈刘伟静娜洋 ]{1,8}") {
            if let Some(once) = pinyin(&s) {
                prop_assert_eq!(pinyin(&once), Some(once.clone()));
            }
        }
    }
}
