//! `mdm.normalize_text`: the base normalization every other normalizer starts from.
//!
//! Everything here is plain Rust with no PostgreSQL dependency, so it is unit-
//! and property-tested by `cargo test` and wrapped by thin `#[pg_extern]`s in
//! `lib.rs`. All functions work on characters, never on bytes.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::cjk::is_common_han;

/// True for characters that `normalize_text` deletes outright: control
/// characters that are not whitespace (C0/C1 controls, DEL) and format
/// characters (general category Cf: zero-width space/joiners, word joiner,
/// BOM, soft hyphen, bidi marks).
#[inline]
fn is_removed(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control() && !c.is_ascii_whitespace();
    }
    if is_common_han(c) || c.is_whitespace() {
        return false;
    }
    c.is_control() || c.general_category() == GeneralCategory::Format
}

/// True when the characters are certainly in NFKC: all ASCII or core Han
/// (neither decomposes nor combines, so no table look-up is needed), or
/// Unicode's quick check says yes.
#[inline]
pub fn is_nfkc<I: Iterator<Item = char> + Clone>(chars: I) -> bool {
    chars.clone().all(|c| c.is_ascii() || is_common_han(c))
        || is_nfkc_quick(chars) == IsNormalized::Yes
}

/// Collapses whitespace, drops removable characters and lower-cases a string
/// that is already NFKC; returns `None` when nothing is left.
fn clean_nfkc<I: Iterator<Item = char>>(chars: I, capacity: usize) -> Option<String> {
    let mut out = String::with_capacity(capacity);
    // `pending_space` is set after a run of whitespace once something has been
    // written, so leading whitespace is trimmed, inner runs become one space
    // and trailing whitespace is never written.
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_removed(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_common_han(c) {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// `normalize_text` of ASCII text.
fn normalize_ascii(input: &[u8]) -> Option<String> {
    let mut out: Vec<u8> = Vec::with_capacity(input.len());
    let mut pending_space = false;
    for &b in input {
        match b {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => pending_space = !out.is_empty(),
            0x00..=0x1F | 0x7F => {}
            _ => {
                if pending_space {
                    out.push(b' ');
                    pending_space = false;
                }
                out.push(b.to_ascii_lowercase());
            }
        }
    }
    if out.is_empty() {
        None
    } else {
        // Only ASCII bytes were pushed.
        String::from_utf8(out).ok()
    }
}

/// The fast path for text made only of characters that NFKC leaves alone and
/// whose lower case is trivial: printable ASCII and Latin-1 letters, kana,
/// Hangul syllables, CJK ideographs, and the usual whitespace. Most CRM text,
/// Chinese names included, is like that. `None` when the text has any other
/// character, for the general path to handle.
fn normalize_simple(input: &str) -> Option<Option<String>> {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.chars() {
        let lower = match c as u32 {
            0x20 | 0x09..=0x0D | 0x3000 => {
                pending_space = !out.is_empty();
                continue;
            }
            0x21..=0x7E => c.to_ascii_lowercase(),
            // À..Þ but ×: their lower case is 0x20 above
            0xC0..=0xD6 | 0xD8..=0xDE => char::from_u32(c as u32 + 0x20)?,
            0xD7..=0xFF
            | 0x3041..=0x3096
            | 0x30A1..=0x30FA
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7A3 => c,
            _ => return None,
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(lower);
    }
    Some(if out.is_empty() { None } else { Some(out) })
}

/// `mdm.normalize_text`: Unicode NFKC (full-width to half-width, compatibility
/// forms unfolded), lower case, whitespace trimmed and collapsed to single
/// spaces (the ideographic space U+3000 included), zero-width, format and
/// control characters removed. Returns `None` when nothing is left.
pub fn normalize_text(input: &str) -> Option<String> {
    if input.is_ascii() {
        // ASCII is NFKC already and lower-casing keeps it ASCII: one pass
        // over the bytes.
        return normalize_ascii(input.as_bytes());
    }
    if let Some(simple) = normalize_simple(input) {
        return simple;
    }
    let once = if is_nfkc(input.chars()) {
        clean_nfkc(input.chars(), input.len())
    } else {
        clean_nfkc(input.nfkc(), input.len())
    }?;
    // Lower-casing can leave text that is not NFKC (e.g. U+0130 'İ' becomes
    // 'i' + U+0307); normalizing once more makes the function idempotent.
    if is_nfkc(once.chars()) {
        Some(once)
    } else {
        let len = once.len();
        clean_nfkc(once.nfkc(), len)
    }
}

/// Opening brackets of every width and style: ( [ { 【 〔 〖 〈 《 「 『
/// (full-width ones are NFKC-folded to ASCII before this is asked).
pub fn is_open_bracket(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '【' | '〔' | '〖' | '〈' | '《' | '「' | '『'
    )
}

/// The closing brackets matching `is_open_bracket`.
pub fn is_close_bracket(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '】' | '〕' | '〗' | '〉' | '》' | '」' | '』'
    )
}

/// Canonical composition again after characters were removed: taking out
/// punctuation can bring together a base and a combining mark, or Hangul
/// jamo ("(ᄀ)ᅳ" → "그", which composes to 그). Text with neither is
/// returned as it is, without a scan of the composition tables.
pub fn recompose(s: String) -> String {
    let needs = s
        .chars()
        .any(|c| !c.is_ascii() && (is_combining_mark(c) || ('\u{1100}'..='\u{11FF}').contains(&c)));
    if needs {
        s.nfc().collect()
    } else {
        s
    }
}

/// Letters with no base letter under canonical decomposition, spelled out.
fn fold_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ø' => "o",
        'Ø' => "O",
        'đ' | 'ð' => "d",
        'Đ' | 'Ð' => "D",
        'ł' => "l",
        'Ł' => "L",
        'þ' => "th",
        'Þ' => "TH",
        'ı' => "i",
        'ħ' => "h",
        _ => return None,
    })
}

/// Accents folded from Latin (and Greek, Cyrillic) letters: canonical
/// decomposition without its combining marks, plus ß → ss, æ → ae, ø → o,
/// ł → l, …. Characters of the CJK scripts are kept as they are (Hangul
/// syllables must not decompose into jamo).
pub fn fold_accents(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() || super::cjk::is_cjk(c) {
            out.push(c);
            continue;
        }
        decompose_canonical(c, |d| {
            if let Some(f) = fold_special(d) {
                out.push_str(f);
            } else if !is_combining_mark(d) {
                out.push(d);
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{clean_nfkc, fold_accents, normalize_simple, normalize_text};
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn accents() {
        for (a, b) in [
            ("García", "Garcia"),
            ("Müller", "Muller"),
            ("Straße", "Strasse"),
            ("Søren Ørsted", "Soren Orsted"),
            ("Łódź", "Lodz"),
            ("Ελλάδα", "Ελλαδα"),
            ("张伟 한국", "张伟 한국"),
            ("e\u{301}", "e"),
            ("ǣ", "ae"),
        ] {
            assert_eq!(fold_accents(a), b, "{a}");
        }
    }

    #[test]
    fn table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("Hello World", Some("hello world")),
            ("  Hello   World  ", Some("hello world")),
            ("\tTab\tand\nnewline\r\n", Some("tab and newline")),
            // full-width Latin letters, digits and punctuation
            ("ＨＥＬＬＯ　Ｗｏｒｌｄ", Some("hello world")),
            ("１３８００１３８０００", Some("13800138000")),
            (
                "ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ",
                Some("zhang@example.com"),
            ),
            ("（北京）", Some("(北京)")),
            // ideographic space U+3000 between and around CJK
            ("　张　伟　", Some("张 伟")),
            ("北京华为技术有限公司", Some("北京华为技术有限公司")),
            // zero-width and format characters
            ("张\u{200B}伟", Some("张伟")),
            ("Zh\u{200D}ang\u{FEFF}", Some("zhang")),
            ("\u{FEFF}ACME Corp", Some("acme corp")),
            ("co\u{00AD}operate", Some("cooperate")),
            ("\u{200E}Wei\u{200F}", Some("wei")),
            // control characters
            ("a\u{0000}b\u{0007}c\u{007F}d", Some("abcd")),
            ("a\u{0085}b", Some("a b")),
            // non-breaking and other Unicode spaces
            ("Zhang\u{00A0}Wei", Some("zhang wei")),
            ("Zhang\u{2003}\u{2009}Wei", Some("zhang wei")),
            // compatibility forms
            ("ﬁle", Some("file")),
            ("Ⅻ", Some("xii")),
            ("㈱", Some("(株)")),
            ("ｶﾀｶﾅ", Some("カタカナ")),
            // case folding beyond ASCII
            ("ÉCOLE", Some("école")),
            ("ΣΊΣΥΦΟΣ", Some("σίσυφοσ")),
            ("MÜLLER GmbH", Some("müller gmbh")),
            ("İstanbul", Some("i̇stanbul")),
            // nothing left
            ("", None),
            ("   ", None),
            ("\u{3000}\u{3000}", None),
            ("\u{200B}\u{FEFF}", None),
            (" \t\r\n ", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                normalize_text(input).as_deref(),
                *want,
                "normalize_text({input:?})"
            );
        }
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>()) {
            if let Some(once) = normalize_text(&s) {
                prop_assert_eq!(normalize_text(&once), Some(once.clone()));
            }
        }

        #[test]
        fn output_is_clean(s in any::<String>()) {
            if let Some(out) = normalize_text(&s) {
                prop_assert!(!out.starts_with(' ') && !out.ends_with(' '));
                prop_assert!(!out.contains("  "));
                prop_assert!(out.chars().all(|c| c == ' ' || !c.is_whitespace()));
                prop_assert!(!out.chars().any(|c| c.is_control()));
                let lowered: String = out.chars().flat_map(char::to_lowercase).collect();
                prop_assert_eq!(lowered, out.clone());
            }
        }

        /// The fast path gives what the general path gives.
        #[test]
        fn fast_path_agrees(s in "[ \t\u{3000}a-zA-Z0-9,.@À-ÿぁ-ゖァ-ヺ㐀-䶿一-鿿가-힣]{0,24}") {
            let general = {
                let once = clean_nfkc(s.nfkc(), s.len());
                once.and_then(|o| { let l = o.len(); clean_nfkc(o.nfkc(), l) })
            };
            prop_assert_eq!(normalize_simple(&s), Some(general));
        }

        #[test]
        fn ascii_matches_naive(s in "[ -~\t\n]{0,64}") {
            let naive: Vec<String> = s.split_whitespace().map(|w| w.to_ascii_lowercase()).collect();
            let naive = if naive.is_empty() { None } else { Some(naive.join(" ")) };
            prop_assert_eq!(normalize_text(&s), naive);
        }
    }
}
