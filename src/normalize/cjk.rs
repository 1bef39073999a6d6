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

/// Traditional to simplified Chinese, folding variant characters
/// (張偉 → 张伟, 衞 → 卫, 裡 → 里). Text without Han characters is returned
/// borrowed, untouched.
pub fn to_simplified(s: &str) -> Cow<'_, str> {
    if !has_han(s) {
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

    #[test]
    fn scripts() {
        assert!(is_han('张') && is_han('〇') && !is_han('a') && !is_han('カ'));
        assert!(is_cjk('カ') && is_cjk('한') && !is_cjk('é'));
    }
}
