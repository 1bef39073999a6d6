//! `mdm.normalize_name`: a person's or an organisation's name reduced to a
//! form that compares equal across channels.
//!
//! 1. `normalize_text` (NFKC, lower case, whitespace).
//! 2. Traditional to simplified Chinese, variants folded (張偉 → 张伟).
//! 3. Spaces and middle dots between CJK characters removed (张 伟, 张·伟 → 张伟).
//! 4. Honorifics and titles removed: Chinese ones as a suffix (张伟先生, 王总,
//!    李老师) or a word of their own; Latin ones as words (Mr, Dr, Prof, …),
//!    never when nothing else would be left. Generational suffixes (Jr, Sr,
//!    III) stay: they tell father and son apart.
//! 5. Latin script: accents folded (García → garcia, Müller → muller),
//!    punctuation dropped (O'Brien → obrien, "Smith, John" → john smith), and
//!    the words sorted, so that "Wei Zhang" and "ZHANG Wei" agree.

use std::borrow::Cow;

use super::cjk::{is_cjk, to_simplified};
use super::text::{fold_accents, is_close_bracket, is_open_bracket, normalize_text, recompose};

/// Chinese honorifics and job titles that follow a name (张先生, 王总,
/// 李经理). Longest first, so 总经理 goes before 经理 and 总.
const CJK_TITLES: &[&str] = &[
    "副总经理",
    "董事长",
    "总经理",
    "工程师",
    "副总",
    "先生",
    "女士",
    "小姐",
    "太太",
    "夫人",
    "老师",
    "经理",
    "总监",
    "主任",
    "总裁",
    "博士",
    "教授",
    "医生",
    "律师",
    "老板",
    "院长",
    "校长",
    "局长",
    "处长",
    "科长",
    "部长",
    "厂长",
    "主管",
    "同学",
    "师傅",
    "总",
];

/// Latin titles, as whole words after punctuation is dropped.
const LATIN_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "madam",
    "mme",
    "mlle",
    "herr",
    "frau",
    "dame",
    "lady",
    "lord",
    "rev",
    "phd",
    "md",
    "esq",
    "mba",
    "cpa",
];

/// Middle dots used between the parts of a name (张·伟, 约翰·史密斯).
fn is_middle_dot(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}' | '\u{30FB}' | '\u{2022}' | '\u{2027}' | '\u{2219}' | '\u{22C5}' | '\u{FF65}'
    )
}

/// Punctuation that separates words of a Latin name.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            ' ' | '\t'
                ..='\r'
                    | ','
                    | '.'
                    | '-'
                    | '_'
                    | '/'
                    | '\\'
                    | '"'
                    | ';'
                    | ':'
                    | '&'
                    | '|'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '{'
                    | '}'
        );
    }
    c.is_whitespace()
        || is_middle_dot(c)
        || matches!(
            c,
            ',' | '.' | '-' | '_' | '/' | '\\' | '"' | ';' | ':' | '&' | '|' | '、' | '，' | '。'
        )
        || is_open_bracket(c)
        || is_close_bracket(c)
}

/// Accents folded and apostrophes dropped from a non-CJK word.
fn fold_latin(word: &str) -> String {
    let mut out = fold_accents(word);
    out.retain(|c| {
        !matches!(
            c,
            '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}'
        )
    });
    out
}

/// Bracketed remarks removed (张伟(销售部) → 张伟), unless nothing else is
/// left, in which case only the brackets go. Unbalanced brackets become
/// spaces.
fn strip_brackets(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut removed = vec![false; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if is_open_bracket(c) {
            open.push(i);
        } else if is_close_bracket(c) {
            if let Some(start) = open.pop() {
                if open.is_empty() {
                    removed[start..=i].iter_mut().for_each(|r| *r = true);
                }
            }
        }
    }
    let keep = |(i, &c): (usize, &char)| -> Option<char> {
        if is_open_bracket(c) || is_close_bracket(c) {
            Some(' ')
        } else if removed[i] {
            None
        } else {
            Some(c)
        }
    };
    let out: String = chars.iter().enumerate().filter_map(keep).collect();
    if out.chars().any(|c| !is_separator(c)) {
        out
    } else {
        chars
            .iter()
            .map(|&c| {
                if is_open_bracket(c) || is_close_bracket(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    }
}

/// Removes whitespace and middle dots between two CJK characters, keeps one
/// space elsewhere.
fn join_cjk(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || is_middle_dot(c) {
            let mut j = i;
            while j < chars.len() && (chars[j].is_whitespace() || is_middle_dot(chars[j])) {
                j += 1;
            }
            let prev_cjk = out.chars().last().is_some_and(is_cjk);
            let next_cjk = chars.get(j).copied().is_some_and(is_cjk);
            if !(prev_cjk && next_cjk) {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Strips Chinese titles from the end of a CJK word while something is left.
fn strip_cjk_titles(word: &str) -> &str {
    let mut w = word;
    'outer: loop {
        // Every title ends in one of these; most names end in none.
        if !w.chars().next_back().is_some_and(|c| {
            matches!(
                c,
                '理' | '长'
                    | '师'
                    | '总'
                    | '生'
                    | '士'
                    | '姐'
                    | '太'
                    | '人'
                    | '监'
                    | '任'
                    | '裁'
                    | '授'
                    | '板'
                    | '管'
                    | '学'
                    | '傅'
            )
        }) {
            return w;
        }
        for t in CJK_TITLES {
            if let Some(rest) = w.strip_suffix(t) {
                if !rest.is_empty() {
                    w = rest;
                    continue 'outer;
                }
            }
        }
        return w;
    }
}

fn is_title_word(w: &str) -> bool {
    if w.is_ascii() {
        w.len() <= 9 && LATIN_TITLES.contains(&w)
    } else {
        CJK_TITLES.contains(&w)
    }
}

/// The words of a name in their written order, after steps 1 to 4 and the
/// Latin folding of step 5 (but not sorted); `None` when nothing is left.
pub fn name_words(input: &str) -> Option<Vec<String>> {
    let joined = prepare(input)?;
    let words = split_words(&joined);
    (!words.is_empty()).then(|| words.into_iter().map(Cow::into_owned).collect())
}

/// Steps 1 to 3: the text with brackets removed and CJK joined.
fn prepare(input: &str) -> Option<String> {
    let text = normalize_text(input)?;
    let simplified = match to_simplified(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(converted) => converted,
    };
    // One pass to learn which of the later steps have anything to do.
    let (mut bracket, mut cjk, mut gap, mut compose) = (false, false, false, false);
    for c in simplified.chars() {
        if c.is_ascii() {
            gap |= c == ' ';
            bracket |= is_open_bracket(c) || is_close_bracket(c);
        } else {
            cjk |= is_cjk(c);
            gap |= is_middle_dot(c);
            bracket |= is_open_bracket(c) || is_close_bracket(c);
            compose = true;
        }
    }
    let unbracketed = if bracket {
        strip_brackets(&simplified)
    } else {
        simplified
    };
    let joined = if cjk && gap {
        join_cjk(&unbracketed)
    } else {
        unbracketed
    };
    Some(if compose { recompose(joined) } else { joined })
}

/// Steps 4 and 5 but the sorting: the words, titles removed, Latin folded.
fn split_words(joined: &str) -> Vec<Cow<'_, str>> {
    let mut words: Vec<Cow<'_, str>> = joined
        .split(is_separator)
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.chars().all(is_cjk) {
                Cow::Borrowed(strip_cjk_titles(w))
            } else if w.bytes().all(|b| b.is_ascii_alphanumeric()) {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(fold_latin(w))
            }
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 1 && words.iter().any(|w| !is_title_word(w)) {
        words.retain(|w| !is_title_word(w));
    }
    words
}

/// `mdm.normalize_name`; `None` when nothing is left.
pub fn normalize_name(input: &str) -> Option<String> {
    if let Some(fast) = normalize_han_name(input) {
        return Some(fast);
    }
    normalize_name_general(input)
}

/// The fast path for the most common input, a name written in CJK Unified
/// Ideographs only (张伟, 張偉先生): every other step is the identity on it,
/// so only the simplified conversion and the titles remain.
fn normalize_han_name(input: &str) -> Option<String> {
    if input.is_empty()
        || !input
            .chars()
            .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    {
        return None;
    }
    let simplified = to_simplified(input);
    Some(strip_cjk_titles(&simplified).to_string())
}

fn normalize_name_general(input: &str) -> Option<String> {
    let joined = prepare(input)?;
    if !joined.chars().any(is_separator) {
        // One word, the common case for Chinese names: no list needed.
        let word = if joined.chars().all(is_cjk) {
            Cow::Borrowed(strip_cjk_titles(&joined))
        } else if joined.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Cow::Borrowed(joined.as_str())
        } else {
            Cow::Owned(fold_latin(&joined))
        };
        return match word {
            Cow::Borrowed(w) if w.len() == joined.len() => Some(joined),
            Cow::Borrowed(w) => Some(w.to_string()),
            Cow::Owned(w) => (!w.is_empty()).then_some(w),
        };
    }
    let mut words = split_words(&joined);
    match words.len() {
        0 => return None,
        1 => {
            if matches!(&words[0], Cow::Borrowed(w) if w.len() == joined.len()) {
                drop(words);
                return Some(joined);
            }
            return words.pop().map(Cow::into_owned);
        }
        _ => {}
    }
    words.sort_unstable();
    // Words are separated by one space, except that neighbouring CJK words
    // are written together, as CJK names are (so the result is stable when
    // normalized again, which joins CJK across spaces).
    let mut out = String::with_capacity(joined.len());
    let mut last_cjk = false;
    for w in &words {
        let first_cjk = w.chars().next().is_some_and(is_cjk);
        let glue = last_cjk && first_cjk;
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(w);
        last_cjk = w.chars().next_back().is_some_and(is_cjk);
    }
    Some(recompose(out))
}

#[cfg(test)]
mod tests {
    use super::normalize_name;
    use proptest::prelude::*;

    /// The ASCII shortcut of `is_separator` agrees with the general rule.
    #[test]
    fn ascii_separators() {
        for b in 0u8..128 {
            let c = char::from(b);
            let general = c.is_whitespace()
                || matches!(
                    c,
                    ',' | '.' | '-' | '_' | '/' | '\\' | '"' | ';' | ':' | '&' | '|'
                )
                || super::super::text::is_open_bracket(c)
                || super::super::text::is_close_bracket(c);
            assert_eq!(super::is_separator(c), general, "{c:?}");
        }
    }

    /// The quick check in `strip_cjk_titles` knows every title's last character.
    #[test]
    fn title_last_characters() {
        for t in super::CJK_TITLES {
            let stripped = super::strip_cjk_titles(&format!("张{t}")).to_string();
            assert_eq!(stripped, "张", "{t}");
        }
    }

    #[test]
    fn table() {
        let cases: &[(&str, Option<&str>)] = &[
            // Chinese: traditional, spaces, middle dots, full width
            ("张伟", Some("张伟")),
            ("張偉", Some("张伟")),
            ("张 伟", Some("张伟")),
            ("张·伟", Some("张伟")),
            ("张　伟", Some("张伟")),
            (" 張 偉 ", Some("张伟")),
            ("陳靜", Some("陈静")),
            ("劉洋", Some("刘洋")),
            ("约翰·史密斯", Some("约翰史密斯")),
            ("阿卜杜拉・艾力", Some("阿卜杜拉艾力")),
            ("欧阳 娜娜", Some("欧阳娜娜")),
            // Chinese honorifics and titles
            ("张伟先生", Some("张伟")),
            ("张 伟 先生", Some("张伟")),
            ("李女士", Some("李")),
            ("王总", Some("王")),
            ("王总经理", Some("王")),
            ("李老师", Some("李")),
            ("赵经理", Some("赵")),
            ("陈博士", Some("陈")),
            ("先生", Some("先生")),
            ("张伟 先生", Some("张伟")),
            // Latin names: case, order, titles, accents, punctuation
            ("Zhang Wei", Some("wei zhang")),
            ("Wei Zhang", Some("wei zhang")),
            ("ZHANG Wei", Some("wei zhang")),
            ("SMITH, John", Some("john smith")),
            ("Mr. John  Smith", Some("john smith")),
            ("Dr. María García", Some("garcia maria")),
            ("Maria Garcia", Some("garcia maria")),
            ("Hans Müller", Some("hans muller")),
            ("Prof. Dr. Hans Müller", Some("hans muller")),
            ("Seán O'Brien", Some("obrien sean")),
            ("Seán O’Brien", Some("obrien sean")),
            ("Jean-Pierre Dupont", Some("dupont jean pierre")),
            ("John Smith Jr.", Some("john jr smith")),
            ("Mrs Søren Ørsted", Some("orsted soren")),
            ("Straße", Some("strasse")),
            ("ＪＯＨＮ　ＳＭＩＴＨ", Some("john smith")),
            ("Mr", Some("mr")),
            // mixed script keeps both parts
            ("张伟 David", Some("david 张伟")),
            ("张伟(销售部)", Some("张伟")),
            ("（张伟）", Some("张伟")),
            ("张伟,李娜", Some("张伟李娜")),
            // Japanese and Korean names stay in their script
            ("山田 太郎", Some("山田太郎")),
            ("김 민준", Some("김민준")),
            // nothing left
            ("", None),
            ("   ", None),
            ("·", None),
            ("., -", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                normalize_name(input).as_deref(),
                *want,
                "normalize_name({input:?})"
            );
        }
    }

    proptest! {
        /// The Han fast path gives what the general path gives.
        #[test]
        fn han_fast_path_agrees(s in "[张王李赵陈刘張陳劉偉靜麗先生总经理老师乾隆一-龥]{1,6}") {
            prop_assert_eq!(super::normalize_han_name(&s), super::normalize_name_general(&s));
        }

        #[test]
        fn idempotent(s in any::<String>()) {
            if let Some(once) = normalize_name(&s) {
                prop_assert_eq!(normalize_name(&once), Some(once.clone()));
            }
        }

        #[test]
        fn idempotent_on_names(s in "(Mr\\.? |Dr |)[A-Za-zÀ-ÿ' ,.-]{0,20}|[张王李赵陳劉偉靜先生总经理 ·]{0,8}") {
            if let Some(once) = normalize_name(&s) {
                prop_assert_eq!(normalize_name(&once), Some(once.clone()));
            }
        }

        #[test]
        fn word_order_does_not_matter(a in "[A-Za-z]{1,8}", b in "[A-Za-z]{1,8}") {
            prop_assert_eq!(normalize_name(&format!("{a} {b}")), normalize_name(&format!("{b} {a}")));
        }
    }
}
