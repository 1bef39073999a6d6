//! `mdm.normalize_email`, `mdm.email_key` and `mdm.is_valid_email`: e-mail
//! address cleaning and provider-aware deduplication keys.
//!
//! Addresses go through `normalize_text` first (NFKC, so full-width ＠ and ．
//! become `@` and `.`; lower case; whitespace trimmed), then the ideographic
//! full stop 。 is folded to `.`, a surrounding `Display Name <...>` and a
//! leading `mailto:` are stripped, and the syntax is checked: an RFC 5322
//! dot-atom local part (ASCII, 1..=64 characters) and a domain of at least two
//! labels (letters of any script, digits, hyphens). Quoted local parts and IP
//! literals are rejected. Everything is linear-time and never panics.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::normalize::text::normalize_text;

/// Longest local part (RFC 5321 §4.5.3.1.1), in characters.
const MAX_LOCAL_LEN: usize = 64;
/// Longest domain (RFC 1035 presentation form without the root dot), in characters.
const MAX_DOMAIN_LEN: usize = 253;
/// Longest domain label (RFC 1035), in characters.
const MAX_LABEL_LEN: usize = 63;

/// Domains of Google's consumer mail: dots in the local part are ignored, a
/// `+tag` is dropped, and googlemail.com is the same mailbox as gmail.com.
const GMAIL_DOMAINS: &[&str] = &["gmail.com", "googlemail.com"];
/// The domain Google's aliases are folded to.
const GMAIL_CANONICAL: &str = "gmail.com";

/// Consumer providers that deliver `user+tag@domain` to `user@domain`
/// (plus-addressing / sub-addressing) and do not allow `+` in user names, so
/// the tag can be dropped safely. Dots stay significant here.
const PLUS_ADDRESSING_DOMAINS: &[&str] = &[
    // Microsoft Outlook.com consumer domains
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    // Apple iCloud Mail
    "icloud.com",
    "me.com",
    "mac.com",
    // Proton Mail
    "protonmail.com",
    "protonmail.ch",
    "proton.me",
    "pm.me",
    // Fastmail
    "fastmail.com",
    "fastmail.fm",
    // Yandex Mail
    "yandex.ru",
    "yandex.com",
    "ya.ru",
];

/// RFC 5322 `atext`: ASCII letters, digits and ``!#$%&'*+/=?^_`{|}~-``.
#[inline]
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '/'
                | '='
                | '?'
                | '^'
                | '_'
                | '`'
                | '{'
                | '|'
                | '}'
                | '~'
                | '-'
        )
}

/// Local part: 1..=64 characters of dot-atom text, no leading, trailing or
/// doubled dots.
fn is_valid_local(local: &str) -> bool {
    let mut len = 0usize;
    let mut prev_dot = true; // a dot right at the start counts as doubled
    for c in local.chars() {
        len += 1;
        if len > MAX_LOCAL_LEN {
            return false;
        }
        if c == '.' {
            if prev_dot {
                return false;
            }
            prev_dot = true;
        } else if is_atext(c) {
            prev_dot = false;
        } else {
            return false;
        }
    }
    len > 0 && !prev_dot
}

/// Combining marks allowed inside (not at the start of) an internationalized
/// label, e.g. Devanagari vowel signs or the dot left by lower-casing 'İ'.
#[inline]
fn is_combining_mark(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::NonspacingMark | GeneralCategory::SpacingMark
    )
}

/// One domain label: 1..=63 characters of letters (any script), digits and
/// hyphens, with no leading or trailing hyphen and no leading combining mark.
fn is_valid_label(label: &str) -> bool {
    let mut len = 0usize;
    let mut last = '-';
    for c in label.chars() {
        len += 1;
        if len > MAX_LABEL_LEN {
            return false;
        }
        let ok = if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '-'
        } else {
            c.is_alphanumeric() || (len > 1 && is_combining_mark(c))
        };
        if !ok || (len == 1 && c == '-') {
            return false;
        }
        last = c;
    }
    len > 0 && last != '-'
}

/// Domain: at most 253 characters, at least two valid labels, and a last
/// label (the TLD) that is not all digits (which also rules out IPv4).
fn is_valid_domain(domain: &str) -> bool {
    if domain.chars().count() > MAX_DOMAIN_LEN {
        return false;
    }
    let mut labels = 0usize;
    let mut tld = "";
    for label in domain.split('.') {
        if !is_valid_label(label) {
            return false;
        }
        labels += 1;
        tld = label;
    }
    labels >= 2 && !tld.chars().all(char::is_numeric)
}

/// Strips a surrounding `Display Name <...>` (or a bare `<...>`) and a leading
/// `mailto:`, returning the candidate address. The display name may not hold
/// `<`, `>` or `@`, so ambiguous forms such as `a@x.com <b@y.com>` are refused.
fn extract_address(text: &str) -> Option<&str> {
    let mut addr = text;
    if let Some(inner) = addr.strip_suffix('>') {
        let (name, bracketed) = inner.rsplit_once('<')?;
        if name.contains(['<', '>', '@']) {
            return None;
        }
        addr = bracketed.trim();
    }
    if let Some(rest) = addr.strip_prefix("mailto:") {
        addr = rest.trim_start();
    }
    Some(addr)
}

/// `mdm.normalize_email`: the trimmed, lower-cased address, or `None` when the
/// text is not syntactically an e-mail address. Full-width forms and the
/// ideographic full stop 。 are folded, and `mailto:` and `Name <...>` wrappers
/// are removed.
pub fn normalize_email(input: &str) -> Option<String> {
    let text = normalize_text(input)?;
    // NFKC maps ＠ and ． already, but not the ideographic full stop U+3002
    // (nor U+FF61, which NFKC turns into U+3002).
    let text = if text.contains(['\u{3002}', '\u{FF0E}']) {
        text.replace(['\u{3002}', '\u{FF0E}'], ".")
    } else {
        text
    };
    let addr = extract_address(&text)?;
    let (local, domain) = addr.split_once('@')?;
    // `is_valid_domain` rejects a second '@' because '@' is not a label character.
    if is_valid_local(local) && is_valid_domain(domain) {
        Some(addr.to_owned())
    } else {
        None
    }
}

/// The part of a local part before its first `+` (the whole of it without one).
#[inline]
fn strip_plus_tag(local: &str) -> &str {
    local.split_once('+').map_or(local, |(user, _tag)| user)
}

/// `mdm.email_key`: `normalize_email` plus folding of provider aliases, so
/// that one mailbox always gives one key. Gmail/Googlemail: dots removed,
/// `+tag` dropped, domain gmail.com. Providers in `PLUS_ADDRESSING_DOMAINS`:
/// `+tag` dropped. Other domains are left alone (a `+` may be significant). A
/// local part that would become empty (or, for plus-addressing providers, end
/// in a dot and so stop being valid) keeps its original form.
pub fn email_key(input: &str) -> Option<String> {
    let addr = normalize_email(input)?;
    let Some((local, domain)) = addr.split_once('@') else {
        return Some(addr);
    };
    if GMAIL_DOMAINS.contains(&domain) {
        let folded: String = strip_plus_tag(local)
            .chars()
            .filter(|&c| c != '.')
            .collect();
        let local = if folded.is_empty() { local } else { &folded };
        return Some(format!("{local}@{GMAIL_CANONICAL}"));
    }
    if PLUS_ADDRESSING_DOMAINS.contains(&domain) {
        let user = strip_plus_tag(local);
        if user.len() < local.len() && !user.is_empty() && !user.ends_with('.') {
            return Some(format!("{user}@{domain}"));
        }
    }
    Some(addr)
}

/// `mdm.is_valid_email`: true when `normalize_email` accepts the text.
pub fn is_valid_email(input: &str) -> bool {
    normalize_email(input).is_some()
}

#[cfg(test)]
mod tests {
    use super::{email_key, is_valid_email, normalize_email};
    use proptest::prelude::*;

    /// (input, expected `normalize_email`, expected `email_key`).
    type Case = (&'static str, Option<&'static str>, Option<&'static str>);

    const LOCAL_64: &str = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl";
    const LOCAL_65: &str = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm";

    #[test]
    fn table() {
        let cases: &[Case] = &[
            // case and surrounding whitespace
            (
                "Zhang.Wei@Example.COM",
                Some("zhang.wei@example.com"),
                Some("zhang.wei@example.com"),
            ),
            (
                "  zhang.wei@example.com \t",
                Some("zhang.wei@example.com"),
                Some("zhang.wei@example.com"),
            ),
            (
                "\u{3000}LI.NA@163.COM\u{3000}",
                Some("li.na@163.com"),
                Some("li.na@163.com"),
            ),
            // full-width and ideographic punctuation
            (
                "ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ",
                Some("zhang@example.com"),
                Some("zhang@example.com"),
            ),
            (
                "Zhang＠Example．Com",
                Some("zhang@example.com"),
                Some("zhang@example.com"),
            ),
            (
                "zhang@example。com",
                Some("zhang@example.com"),
                Some("zhang@example.com"),
            ),
            (
                "wang.fang@126。com。cn",
                Some("wang.fang@126.com.cn"),
                Some("wang.fang@126.com.cn"),
            ),
            (
                "zhang@example｡com",
                Some("zhang@example.com"),
                Some("zhang@example.com"),
            ),
            (
                "zhang\u{200B}@example.com",
                Some("zhang@example.com"),
                Some("zhang@example.com"),
            ),
            // Chinese consumer mail
            (
                "12345678@qq.com",
                Some("12345678@qq.com"),
                Some("12345678@qq.com"),
            ),
            (
                "１２３４５６７８＠ＱＱ．ＣＯＭ",
                Some("12345678@qq.com"),
                Some("12345678@qq.com"),
            ),
            (
                "WangFang_88@126.com",
                Some("wangfang_88@126.com"),
                Some("wangfang_88@126.com"),
            ),
            (
                "li.na+vip@163.com",
                Some("li.na+vip@163.com"),
                Some("li.na+vip@163.com"),
            ),
            // Gmail: dots, plus tags, googlemail
            (
                "Zhang.Wei+CRM@Gmail.com",
                Some("zhang.wei+crm@gmail.com"),
                Some("zhangwei@gmail.com"),
            ),
            (
                "z.h.a.n.g.wei@googlemail.com",
                Some("z.h.a.n.g.wei@googlemail.com"),
                Some("zhangwei@gmail.com"),
            ),
            (
                "zhangwei@gmail.com",
                Some("zhangwei@gmail.com"),
                Some("zhangwei@gmail.com"),
            ),
            (
                "zhang.wei+a+b@googlemail.com",
                Some("zhang.wei+a+b@googlemail.com"),
                Some("zhangwei@gmail.com"),
            ),
            (
                "+promo@gmail.com",
                Some("+promo@gmail.com"),
                Some("+promo@gmail.com"),
            ),
            (
                "+promo@googlemail.com",
                Some("+promo@googlemail.com"),
                Some("+promo@gmail.com"),
            ),
            // plus-addressing providers: tag dropped, dots kept
            (
                "Li.Na+Newsletter@Outlook.com",
                Some("li.na+newsletter@outlook.com"),
                Some("li.na@outlook.com"),
            ),
            (
                "wei+shop@hotmail.com",
                Some("wei+shop@hotmail.com"),
                Some("wei@hotmail.com"),
            ),
            (
                "wei+a+b@icloud.com",
                Some("wei+a+b@icloud.com"),
                Some("wei@icloud.com"),
            ),
            (
                "anna+crm@proton.me",
                Some("anna+crm@proton.me"),
                Some("anna@proton.me"),
            ),
            (
                "ivan.petrov+shop@yandex.ru",
                Some("ivan.petrov+shop@yandex.ru"),
                Some("ivan.petrov@yandex.ru"),
            ),
            (
                "+tag@live.com",
                Some("+tag@live.com"),
                Some("+tag@live.com"),
            ),
            (
                "a.+tag@outlook.com",
                Some("a.+tag@outlook.com"),
                Some("a.+tag@outlook.com"),
            ),
            // corporate domains keep their '+' and dots
            (
                "Sales+CN@Huawei.com",
                Some("sales+cn@huawei.com"),
                Some("sales+cn@huawei.com"),
            ),
            (
                "zhang.wei@corp.example.com.cn",
                Some("zhang.wei@corp.example.com.cn"),
                Some("zhang.wei@corp.example.com.cn"),
            ),
            (
                "o'brien@example.ie",
                Some("o'brien@example.ie"),
                Some("o'brien@example.ie"),
            ),
            (
                "a!#$%&'*/=?^_`{|}~-b@example.com",
                Some("a!#$%&'*/=?^_`{|}~-b@example.com"),
                Some("a!#$%&'*/=?^_`{|}~-b@example.com"),
            ),
            // internationalized domains
            (
                "zhang@例子.中国",
                Some("zhang@例子.中国"),
                Some("zhang@例子.中国"),
            ),
            (
                "zhang@例子。中国",
                Some("zhang@例子.中国"),
                Some("zhang@例子.中国"),
            ),
            (
                "info@MÜLLER.DE",
                Some("info@müller.de"),
                Some("info@müller.de"),
            ),
            (
                "info@xn--mller-kva.de",
                Some("info@xn--mller-kva.de"),
                Some("info@xn--mller-kva.de"),
            ),
            (
                "sales@ex--ample.com",
                Some("sales@ex--ample.com"),
                Some("sales@ex--ample.com"),
            ),
            // mailto: and angle brackets
            (
                "mailto:Zhang@Example.com",
                Some("zhang@example.com"),
                Some("zhang@example.com"),
            ),
            (
                "<zhang@example.com>",
                Some("zhang@example.com"),
                Some("zhang@example.com"),
            ),
            (
                "Zhang Wei <Zhang.Wei@Example.com>",
                Some("zhang.wei@example.com"),
                Some("zhang.wei@example.com"),
            ),
            (
                "\"Wei, Zhang\" < zhang.wei@example.com >",
                Some("zhang.wei@example.com"),
                Some("zhang.wei@example.com"),
            ),
            (
                "张伟 <zhang.wei+crm@gmail.com>",
                Some("zhang.wei+crm@gmail.com"),
                Some("zhangwei@gmail.com"),
            ),
            (
                "<mailto:zhang@example.com>",
                Some("zhang@example.com"),
                Some("zhang@example.com"),
            ),
            ("zhang@example.com <li@example.com>", None, None),
            ("<<zhang@example.com>>", None, None),
            ("<zhang@example.com", None, None),
            ("zhang@example.com>", None, None),
            // missing or extra '@'
            ("zhang.example.com", None, None),
            ("zhang@@example.com", None, None),
            ("zhang@wei@example.com", None, None),
            ("@example.com", None, None),
            ("zhang@", None, None),
            // local-part dots and characters
            ("zhang.@example.com", None, None),
            (".zhang@example.com", None, None),
            ("zhang..wei@example.com", None, None),
            ("\"zhang wei\"@example.com", None, None),
            ("zhang(wei)@example.com", None, None),
            ("张伟@163.com", None, None),
            // domain dots, labels and TLD
            ("zhang@example.com.", None, None),
            ("zhang@.example.com", None, None),
            ("zhang@example..com", None, None),
            ("zhang@-example.com", None, None),
            ("zhang@example-.com", None, None),
            ("zhang@exam_ple.com", None, None),
            ("zhang@localhost", None, None),
            ("zhang@example.123", None, None),
            ("zhang@192.168.0.1", None, None),
            ("zhang@[192.168.0.1]", None, None),
            ("zhang@例子.中国.", None, None),
            // spaces inside the address
            ("zhang wei@example.com", None, None),
            ("zhang@exa mple.com", None, None),
            ("zhang @ example.com", None, None),
            // local-part length
            (
                "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl@example.com",
                Some(
                    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl@example.com",
                ),
                Some(
                    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl@example.com",
                ),
            ),
            (
                "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm@example.com",
                None,
                None,
            ),
            // empty and whitespace
            ("", None, None),
            ("   ", None, None),
            ("\u{3000}\u{3000}", None, None),
            ("\u{200B}", None, None),
            ("mailto:", None, None),
            ("<>", None, None),
        ];
        for &(input, want_norm, want_key) in cases {
            assert_eq!(
                normalize_email(input).as_deref(),
                want_norm,
                "normalize_email({input:?})"
            );
            assert_eq!(
                email_key(input).as_deref(),
                want_key,
                "email_key({input:?})"
            );
            assert_eq!(
                is_valid_email(input),
                want_norm.is_some(),
                "is_valid_email({input:?})"
            );
        }
    }

    #[test]
    fn length_limits() {
        assert_eq!(LOCAL_64.len(), 64);
        assert_eq!(LOCAL_65.len(), 65);
        assert!(is_valid_email(&format!("{LOCAL_64}@example.com")));
        assert!(!is_valid_email(&format!("{LOCAL_65}@example.com")));

        let label63 = "a".repeat(63);
        let label64 = "a".repeat(64);
        assert!(is_valid_email(&format!("x@{label63}.com")));
        assert!(!is_valid_email(&format!("x@{label64}.com")));
        // 3 * 63 + 3 dots + 61 = 253 characters
        let ok = format!("x@{label63}.{label63}.{label63}.{}", "c".repeat(61));
        let long = format!("x@{label63}.{label63}.{label63}.{}", "c".repeat(62));
        assert!(is_valid_email(&ok));
        assert!(!is_valid_email(&long));
        // characters, not bytes: 63 Han characters are 189 bytes
        let han63 = "中".repeat(63);
        assert!(is_valid_email(&format!("x@{han63}.中国")));
    }

    #[test]
    fn large_inputs_are_fast() {
        let mb = 1 << 20;
        let inputs = [
            format!("{}@example.com", "a".repeat(mb)),
            format!("zhang@{}com", "a.".repeat(mb / 2)),
            "@".repeat(mb),
            format!("{}zhang@example.com>", "<".repeat(mb)),
            format!("{}>", "<a".repeat(mb / 2)),
            "。".repeat(mb / 3),
            format!("x@{}", "中".repeat(mb / 3)),
        ];
        let start = std::time::Instant::now();
        for input in &inputs {
            assert_eq!(normalize_email(input), None);
            assert_eq!(email_key(input), None);
        }
        assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    }

    /// Address-shaped strings, so the properties exercise the accepting paths.
    fn emailish() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["", " ", "Zhang Wei <", "<", "mailto:", "<mailto:"]),
            "[a-zA-Z0-9.+_'-]{0,12}",
            prop::sample::select(vec!["@", "＠", "@@", ""]),
            prop::sample::select(vec![
                "gmail.com",
                "googlemail.com",
                "outlook.com",
                "proton.me",
                "qq.com",
                "163.com",
                "例子.中国",
                "例子。中国",
                "müller.de",
                "example.com.",
                "-x.org",
                "ex．com",
            ]),
            prop::sample::select(vec!["", " ", ">", "> ", "\u{200B}"]),
        )
            .prop_map(|(pre, local, at, domain, post)| format!("{pre}{local}{at}{domain}{post}"))
    }

    fn check_properties(s: &str) -> Result<(), TestCaseError> {
        let norm = normalize_email(s);
        let key = email_key(s);
        prop_assert_eq!(norm.is_some(), key.is_some());
        prop_assert_eq!(is_valid_email(s), norm.is_some());
        if let Some(n) = &norm {
            prop_assert_eq!(normalize_email(n), Some(n.clone()));
        }
        if let Some(k) = &key {
            prop_assert_eq!(email_key(k), Some(k.clone()));
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn arbitrary_strings(s in any::<String>()) {
            check_properties(&s)?;
        }

        #[test]
        fn email_shaped_strings(s in emailish()) {
            check_properties(&s)?;
        }

        #[test]
        fn unicode_domains(s in "[a-zA-Z0-9.+]{1,6}[@＠](\\PC{1,6}[.。．]){1,3}\\PC{1,4}") {
            check_properties(&s)?;
        }

        #[test]
        fn key_of_normalized_equals_key(s in emailish()) {
            if let Some(n) = normalize_email(&s) {
                prop_assert_eq!(email_key(&n), email_key(&s));
            }
        }
    }
}
