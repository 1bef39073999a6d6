//! OpenRefine's key-collision keys, made CJK-aware.
//!
//! `fingerprint`: OpenRefine's fingerprint keyer (trim, lower case, fold
//! accents, strip punctuation and control characters, split on whitespace,
//! sort the unique tokens, join with a space), after `normalize_text` (NFKC,
//! so full-width text agrees with half-width) and traditional-to-simplified
//! conversion (so 華為 and 华为 collide). ASCII punctuation is removed
//! as OpenRefine's `\p{Punct}` does; so is every other Unicode punctuation
//! character (、。「」…), which OpenRefine keeps.
//!
//! `ngram_fingerprint`: OpenRefine's n-gram keyer (lower case, punctuation,
//! whitespace and control characters removed, accents folded, the sorted
//! unique character n-grams joined with nothing), after the same NFKC and
//! traditional-to-simplified steps. CJK text is split per
//! character: each CJK character is a gram of its own, since a CJK character
//! is already a unit of meaning, and Latin runs give n-grams within the run.
//! Unlike OpenRefine, a run shorter than n gives itself as its one gram
//! rather than nothing.

use std::collections::BTreeSet;

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use super::cjk::{is_cjk, to_simplified};
use super::text::{fold_accents, normalize_text, recompose};
use crate::error::MdmError;

/// OpenRefine's `\p{Punct}` (ASCII punctuation and symbols) plus Unicode
/// punctuation.
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_punctuation()
    } else {
        c.general_category_group() == GeneralCategoryGroup::Punctuation
    }
}

/// `mdm.fingerprint`; `None` when nothing is left.
pub fn fingerprint(input: &str) -> Option<String> {
    let text = normalize_text(input)?;
    let mut folded = fold_accents(&to_simplified(&text));
    folded.retain(|c| !is_punct(c));
    let folded = recompose(folded);
    let tokens: BTreeSet<&str> = folded.split_whitespace().collect();
    if tokens.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(folded.len());
    for t in tokens {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(t);
    }
    Some(out)
}

/// Checks the `n` parameter of `ngram_fingerprint`.
pub fn check_ngram_size(n: i32) -> Result<usize, MdmError> {
    match usize::try_from(n) {
        Ok(size) if size >= 1 => Ok(size),
        _ => Err(MdmError::invalid_parameter(
            "n",
            n.to_string(),
            "n is the n-gram length in characters; it must be 1 or more.",
        )),
    }
}

/// `mdm.ngram_fingerprint`; `None` when nothing is left.
pub fn ngram_fingerprint(input: &str, n: usize) -> Option<String> {
    let text = normalize_text(input)?;
    let mut folded = fold_accents(&to_simplified(&text));
    folded.retain(|c| !is_punct(c) && !c.is_whitespace());
    let chars: Vec<char> = recompose(folded).chars().collect();
    let mut grams: BTreeSet<&[char]> = BTreeSet::new();
    let mut start = 0;
    while start < chars.len() {
        if is_cjk(chars[start]) {
            grams.insert(&chars[start..start + 1]);
            start += 1;
            continue;
        }
        let end = chars[start..]
            .iter()
            .position(|&c| is_cjk(c))
            .map_or(chars.len(), |p| start + p);
        let run = &chars[start..end];
        if run.len() <= n {
            grams.insert(run);
        } else {
            grams.extend(run.windows(n));
        }
        start = end;
    }
    if grams.is_empty() {
        return None;
    }
    Some(grams.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fingerprint_table() {
        let cases: &[(&str, Option<&str>)] = &[
            // OpenRefine's own examples and behaviour
            ("Tom Cruise", Some("cruise tom")),
            ("Cruise, Tom", Some("cruise tom")),
            ("tom cruise", Some("cruise tom")),
            ("  Tom  Cruise ", Some("cruise tom")),
            ("Cruise Tom Tom", Some("cruise tom")),
            ("Tóm Crüise", Some("cruise tom")),
            ("A.B.C. Co.", Some("abc co")),
            ("Acme, Inc.", Some("acme inc")),
            ("ACME INC", Some("acme inc")),
            ("Müller GmbH", Some("gmbh muller")),
            ("Mueller GmbH", Some("gmbh mueller")),
            ("San José", Some("jose san")),
            ("O'Reilly Media", Some("media oreilly")),
            ("AT&T", Some("att")),
            ("100% Pure", Some("100 pure")),
            // CJK: NFKC, full-width punctuation, CJK punctuation
            ("ＡＣＭＥ，ＩＮＣ．", Some("acmeinc")),
            ("ＡＣＭＥ　ＩＮＣ", Some("acme inc")),
            ("华为技术有限公司", Some("华为技术有限公司")),
            ("華為技術有限公司", Some("华为技术有限公司")),
            ("华为技术（北京）有限公司", Some("华为技术北京有限公司")),
            ("华为 技术", Some("华为 技术")),
            ("技术 华为", Some("华为 技术")),
            ("北京、上海", Some("北京上海")),
            ("「小米」科技", Some("小米科技")),
            ("张伟 Zhang Wei", Some("wei zhang 张伟")),
            ("Zhang·Wei", Some("zhangwei")),
            // nothing left
            ("", None),
            ("   ", None),
            ("...", None),
            ("，。、", None),
            ("Straße 1", Some("1 strasse")),
        ];
        for (input, want) in cases {
            assert_eq!(
                fingerprint(input).as_deref(),
                *want,
                "fingerprint({input:?})"
            );
        }
    }

    #[test]
    fn ngram_table() {
        let cases: &[(&str, usize, Option<&str>)] = &[
            // OpenRefine: sorted unique bigrams, joined
            ("Paris", 2, Some("arispari")),
            ("paris", 2, Some("arispari")),
            ("PARIS!", 2, Some("arispari")),
            ("Pa ris", 2, Some("arispari")),
            ("banana", 2, Some("anbana")),
            ("banana", 1, Some("abn")),
            ("banana", 3, Some("anabannan")),
            ("Krzysztof", 2, Some("krofrzsztoysztzy")),
            ("Gómez", 2, Some("ezgomeom")),
            // a run shorter than n is its own gram
            ("ab", 3, Some("ab")),
            ("a", 2, Some("a")),
            // CJK: one gram per character, whatever n
            ("华为技术", 2, Some("为华技术")),
            ("技术华为", 2, Some("为华技术")),
            ("華為技術", 2, Some("为华技术")),
            ("华为 Huawei", 2, Some("aweihuuawe为华")),
            ("ＨＵＡＷＥＩ", 2, Some("aweihuuawe")),
            ("", 2, None),
            ("!!", 2, None),
        ];
        for &(input, n, want) in cases {
            assert_eq!(
                ngram_fingerprint(input, n).as_deref(),
                want,
                "ngram_fingerprint({input:?}, {n})"
            );
        }
    }

    #[test]
    fn ngram_size() {
        assert_eq!(check_ngram_size(2), Ok(2));
        assert_eq!(check_ngram_size(0).unwrap_err().sqlstate(), "22023");
        assert_eq!(check_ngram_size(-1).unwrap_err().sqlstate(), "22023");
    }

    proptest! {
        #[test]
        fn fingerprint_idempotent(s in any::<String>()) {
            if let Some(once) = fingerprint(&s) {
                prop_assert_eq!(fingerprint(&once), Some(once.clone()));
            }
        }

        #[test]
        fn fingerprint_ignores_order(a in "[a-zA-Z]{1,6}", b in "[a-zA-Z]{1,6}") {
            prop_assert_eq!(fingerprint(&format!("{a} {b}")), fingerprint(&format!("{b}, {a}")));
        }

        #[test]
        fn ngram_no_panic(s in any::<String>(), n in 1usize..5) {
            let _ = ngram_fingerprint(&s, n);
        }
    }
}
