//! Chinese-script helpers shared by the normalizers: script tests and
//! traditional-to-simplified conversion.

use std::borrow::Cow;
use std::sync::OnceLock;

use ferrous_opencc::{config::BuiltinConfig, OpenCC};

/// True for Han ideographs (CJK Unified Ideographs and their extensions,
/// compatibility ideographs) and the ideographic number zero 〇.
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF
        | 0x2F800..=0x2FA1F
        | 0x30000..=0x323AF)
}

/// True for characters of the CJK scripts: Han, kana, Hangul, bopomofo.
#[inline]
pub fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x3040..=0x30FF      // hiragana, katakana
            | 0x3100..=0x312F    // bopomofo
            | 0x31A0..=0x31BF
            | 0x31F0..=0x31FF
            | 0xAC00..=0xD7AF    // hangul syllables
            | 0x1100..=0x11FF
            | 0x3130..=0x318F)
}

pub fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
}

/// The converter: OpenCC's HK-to-simplified chain (HK variant folding, then
/// traditional-to-simplified phrases and characters), built once per backend
/// from dictionaries embedded in the library. `None` only if the embedded data
/// failed to load, in which case text is returned unconverted.
fn converter() -> Option<&'static OpenCC> {
    static CC: OnceLock<Option<OpenCC>> = OnceLock::new();
    CC.get_or_init(|| OpenCC::from_config(BuiltinConfig::Hk2s).ok())
        .as_ref()
}

/// The dictionaries of the converter's chain (see data/opencc/README.md).
const DICTIONARIES: [&str; 4] = [
    include_str!("../../data/opencc/HKVariantsRevPhrases.txt"),
    include_str!("../../data/opencc/HKVariantsRev.txt"),
    include_str!("../../data/opencc/TSPhrases.txt"),
    include_str!("../../data/opencc/TSCharacters.txt"),
];

/// The dictionaries' keys, without comments.
fn dictionary_keys() -> impl Iterator<Item = &'static str> {
    DICTIONARIES.iter().flat_map(|d| {
        d.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .filter(|k| !k.is_empty())
    })
}

const TRIGGER_LIMIT: usize = 0x3_0000;

/// A bit for every character that starts a key of the converter's
/// dictionaries. The converter matches keys at each position, so text
/// without any of these characters comes out unchanged.
fn triggers() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = vec![0u64; TRIGGER_LIMIT / 64];
        for key in dictionary_keys() {
            if let Some(c) = key.chars().next() {
                let i = c as usize;
                if i < TRIGGER_LIMIT {
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
        }
        bits
    })
}

/// True when OpenCC's traditional-to-simplified conversion could change `s`.
pub fn may_convert(s: &str) -> bool {
    let bits = triggers();
    s.chars().any(|c| {
        let i = c as usize;
        i >= TRIGGER_LIMIT || bits[i / 64] & (1 << (i % 64)) != 0
    })
}

/// Traditional to simplified Chinese, folding variant characters
/// (張偉 → 张伟, 衞 → 卫, 裡 → 里). Text that is already simplified (no
/// character of it starts a dictionary key) is returned borrowed, untouched,
/// without calling the converter.
pub fn to_simplified(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !may_convert(s) {
        return Cow::Borrowed(s);
    }
    match converter() {
        Some(cc) => Cow::Owned(cc.convert(s)),
        None => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified() {
        for (t, s) in [
            ("張偉", "张伟"),
            ("華為技術有限公司", "华为技术有限公司"),
            ("騰訊科技(深圳)有限公司", "腾讯科技(深圳)有限公司"),
            ("陳靜", "陈静"),
            ("劉洋", "刘洋"),
            ("衞生", "卫生"),
            ("裡面", "里面"),
            ("臺灣", "台湾"),
            ("张伟", "张伟"),
            ("John Smith", "John Smith"),
        ] {
            assert_eq!(to_simplified(t), s, "{t}");
        }
    }

    /// The copies in data/opencc/ are the converter's dictionaries: every key
    /// is converted (or is its own simplified form), and text without a
    /// trigger character is left alone.
    #[test]
    fn trigger_table_matches_the_converter() {
        let cc = converter().expect("embedded OpenCC data loads"); // ok: test code
        let mut keys = 0;
        let mut changed = 0;
        for key in dictionary_keys() {
            keys += 1;
            assert!(may_convert(key), "{key} has no trigger");
            assert!(!key.is_ascii(), "{key} is ASCII");
            if cc.convert(key) != key {
                changed += 1;
            }
        }
        assert!(keys > 4000, "{keys} keys");
        // Nearly every key converts; a few are identity entries.
        assert!(
            changed * 100 > keys * 95,
            "{changed} of {keys} keys convert"
        );
        // Every simplified CJK character the converter leaves alone in all
        // of the BMP's Han blocks is either a trigger or unchanged.
        for c in (0x3400u32..=0x9FFF).filter_map(char::from_u32) {
            let s = c.to_string();
            if !may_convert(&s) {
                assert_eq!(
                    cc.convert(&s),
                    s,
                    "U+{:04X} converts without being a trigger",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn scripts() {
        assert!(is_han('张') && is_han('〇') && !is_han('a') && !is_han('カ'));
        assert!(is_cjk('カ') && is_cjk('한') && !is_cjk('é'));
    }
}
