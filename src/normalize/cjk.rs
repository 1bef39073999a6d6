//! Chinese-script helpers shared by the normalizers: script tests and
//! traditional-to-simplified conversion.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
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

/// True for the two core blocks of Han ideographs (CJK Unified Ideographs
/// and Extension A). Both are fully assigned letters (category Lo): no case,
/// never a mark, a control or a format character, always alphanumeric. The
/// normalizers test this first to skip Unicode table look-ups for the
/// characters Chinese text is made of.
#[inline]
pub fn is_common_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
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

/// Every character that starts a key of the converter's dictionaries. The
/// converter matches keys at each position, so text without any of these
/// characters comes out unchanged.
fn triggers() -> &'static CharSet {
    static SET: OnceLock<CharSet> = OnceLock::new();
    SET.get_or_init(|| CharSet::new(dictionary_keys().filter_map(|k| k.chars().next())))
}

/// True when OpenCC's traditional-to-simplified conversion could change `s`.
pub fn may_convert(s: &str) -> bool {
    let set = triggers();
    s.chars().any(|c| set.contains(c))
}

/// Traditional to simplified Chinese, folding variant characters
/// (張偉 → 张伟, 衞 → 卫, 裡 → 里). Text that is already simplified (no
/// character of it starts a dictionary key) is returned borrowed, untouched,
/// without calling the converter.
pub fn to_simplified(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !may_convert(s) {
        return Cow::Borrowed(s);
    }
    if let Some(fast) = per_char().and_then(|t| t.convert(s)) {
        return Cow::Owned(fast);
    }
    convert_with_library(s).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// The converter on `s`, repeated until nothing changes: a few conversions
/// chain (薴 → 苧 → 苎), and the result must be stable.
fn convert_with_library(s: &str) -> Option<String> {
    let cc = converter()?;
    let mut text = cc.convert(s);
    for _ in 0..3 {
        if !may_convert(&text) {
            break;
        }
        let again = cc.convert(&text);
        if again == text {
            break;
        }
        text = again;
    }
    Some(text)
}

/// A hasher for `char` keys: one multiplication instead of SipHash, which
/// the per-character path would otherwise spend most of its time in. The
/// keys are dictionary characters, not attacker-chosen.
#[derive(Default)]
struct CharHasher(u64);

impl Hasher for CharHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type CharMap<V> = HashMap<char, V, BuildHasherDefault<CharHasher>>;

/// Character-by-character conversion, for the common text in which no
/// dictionary phrase occurs: the converter then matches single characters
/// only, so each character converts on its own. The converter's chain has
/// two steps: HK variants (HKVariantsRev*), then traditional to simplified
/// (TSPhrases, TSCharacters).
struct PerChar {
    /// The HK variant step on single characters (為 → 爲).
    hk: CharMap<char>,
    /// Multi-character keys of the HK step, by first character.
    hk_phrases: CharMap<Vec<&'static str>>,
    /// Multi-character keys of the traditional-to-simplified step.
    ts_phrases: CharMap<Vec<&'static str>>,
    /// First characters of the keys above, and the characters of `hk`.
    hk_starts: CharSet,
    ts_starts: CharSet,
    hk_chars: CharSet,
    /// What each dictionary character converts to, chain and repeats included.
    map: CharMap<String>,
}

fn phrase_table(dicts: &[&'static str]) -> CharMap<Vec<&'static str>> {
    let mut table: CharMap<Vec<&'static str>> = CharMap::default();
    for key in dicts
        .iter()
        .flat_map(|d| d.lines())
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
    {
        let mut chars = key.chars();
        if let (Some(first), Some(_)) = (chars.next(), chars.next()) {
            table.entry(first).or_default().push(key);
        }
    }
    table
}

fn has_phrase(table: &CharMap<Vec<&'static str>>, starts: &CharSet, s: &str) -> bool {
    s.char_indices().any(|(i, c)| {
        starts.contains(c)
            && table
                .get(&c)
                .is_some_and(|keys| keys.iter().any(|k| s[i..].starts_with(k)))
    })
}

/// A set of characters below U+30000 as a bitmap: a test costs one load.
struct CharSet(Vec<u64>);

impl CharSet {
    fn new<I: IntoIterator<Item = char>>(chars: I) -> CharSet {
        let mut bits = vec![0u64; TRIGGER_LIMIT / 64];
        for c in chars {
            let i = c as usize;
            if i < TRIGGER_LIMIT {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        CharSet(bits)
    }

    /// True for members, and (conservatively) for every character above
    /// the bitmap's range.
    #[inline]
    fn contains(&self, c: char) -> bool {
        let i = c as usize;
        i >= TRIGGER_LIMIT || self.0[i / 64] & (1 << (i % 64)) != 0
    }
}

impl PerChar {
    fn build() -> Option<PerChar> {
        let [hk_phrases_dict, hk_dict, ts_phrases_dict, ts_dict] = DICTIONARIES;
        let mut hk = CharMap::default();
        for line in hk_dict.lines().filter(|l| !l.starts_with('#')) {
            let mut parts = line.split('\t');
            if let (Some(k), Some(v)) = (parts.next(), parts.next()) {
                let mut kc = k.chars();
                let mut vc = v.split(' ').next().unwrap_or("").chars();
                if let (Some(k), None, Some(v), None) = (kc.next(), kc.next(), vc.next(), vc.next())
                {
                    hk.insert(k, v);
                }
            }
        }
        let mut map = CharMap::default();
        for key in dictionary_keys() {
            let mut chars = key.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                map.insert(c, convert_with_library(key)?);
            }
        }
        let hk_phrases = phrase_table(&[hk_phrases_dict]);
        let ts_phrases = phrase_table(&[ts_phrases_dict, ts_dict]);
        let table = PerChar {
            hk_starts: CharSet::new(hk_phrases.keys().copied()),
            ts_starts: CharSet::new(ts_phrases.keys().copied()),
            hk_chars: CharSet::new(hk.keys().copied()),
            hk,
            hk_phrases,
            ts_phrases,
            map,
        };
        Some(table)
    }

    /// True when a phrase of either step occurs in `s` as the converter
    /// would see it.
    fn phrase_in(&self, s: &str) -> bool {
        if has_phrase(&self.hk_phrases, &self.hk_starts, s) {
            return true;
        }
        if s.chars().any(|c| self.hk_chars.contains(c)) {
            let after_hk: String = s.chars().map(|c| *self.hk.get(&c).unwrap_or(&c)).collect();
            has_phrase(&self.ts_phrases, &self.ts_starts, &after_hk)
        } else {
            has_phrase(&self.ts_phrases, &self.ts_starts, s)
        }
    }

    fn convert(&self, s: &str) -> Option<String> {
        if self.phrase_in(s) {
            return None;
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match self.map.get(&c) {
                Some(v) => out.push_str(v),
                None => out.push(c),
            }
        }
        // The converter runs again on its own output until it is stable;
        // character by character that changes nothing (the map holds final
        // forms), unless a phrase now occurs.
        if self.phrase_in(&out) {
            return None;
        }
        Some(out)
    }
}

fn per_char() -> Option<&'static PerChar> {
    static TABLE: OnceLock<Option<PerChar>> = OnceLock::new();
    TABLE.get_or_init(PerChar::build).as_ref()
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
            ("薴", "苎"),
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

    proptest::proptest! {
        /// The character-by-character path gives what the converter gives.
        #[test]
        fn per_char_matches_converter(s in "[張偉華為技術陳靜劉洋乾隆後來臺灣峯衞裡面著名瞭解一目然薴苧苎长发髮頭张伟法口胄abc ]{0,12}") {
            let fast = per_char().and_then(|t| t.convert(&s));
            if let Some(fast) = fast {
                proptest::prop_assert_eq!(Some(fast), convert_with_library(&s));
            }
        }
    }

    #[test]
    fn per_char_matches_converter_on_every_dictionary_character() {
        let table = per_char().expect("tables build"); // ok: test code
        assert!(table.map.len() > 4000, "{} characters", table.map.len());
        assert!(table.convert("張偉").is_some() && table.convert("華為").is_some());
        for key in dictionary_keys() {
            for c in key.chars() {
                let s = format!("{c}伟{c}");
                if let Some(fast) = table.convert(&s) {
                    assert_eq!(Some(fast), convert_with_library(&s), "{s}");
                }
            }
        }
    }

    #[test]
    fn scripts() {
        assert!(is_han('张') && is_han('〇') && !is_han('a') && !is_han('カ'));
        assert!(is_cjk('カ') && is_cjk('한') && !is_cjk('é'));
    }
}
