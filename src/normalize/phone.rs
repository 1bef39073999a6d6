//! Phone numbers on libphonenumber's metadata (the `phonenumber` crate):
//! E.164 normalization, number type and validity.
//!
//! Every common way of writing a number is accepted: `+86 138 0013 8000`,
//! `0086-138…`, `(86)138…`, `86138…`, `138-0013-8000`, full-width digits,
//! landlines with an area code, extensions (`ext. 12`, `转12`, `分机12`,
//! dropped). A number counts only if libphonenumber holds it valid.
//!
//! Speed: libphonenumber's parser costs 5 to 15 µs a call. Chinese numbers,
//! the bulk of Chinese CRM data, take a fast path: a number written with
//! digits and separators only is reduced to its national number by hand, and
//! libphonenumber's verdict for all national numbers of that length and
//! first five digits is asked once (with five probe numbers) and remembered
//! (see `cn_by_prefix`). Prefixes whose probes disagree always go to the
//! library. Unit tests check the fast path against the library on every
//! mobile prefix and on random landlines.

use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicU8, Ordering};

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber, Type};

use crate::error::MdmError;

/// Longer input is no phone number (the longest E.164 number has 15 digits;
/// 64 characters leave room for separators and an extension).
const MAX_INPUT_CHARS: usize = 64;

/// A parsed, valid phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// E.164 form, `+8613800138000`.
    pub e164: String,
    /// libphonenumber's type name: `mobile`, `fixed_line`, …; `None` when unknown.
    pub kind: Option<&'static str>,
}

/// The region a phone number without its country code belongs to when
/// nothing says otherwise: the `default_region` / `phone_region` of every
/// function, table and model. (The SQL signatures repeat it as their
/// parameters' default, which a test compares with this.)
pub const DEFAULT_REGION: &str = "CN";

/// [`DEFAULT_REGION`] as a region.
pub const DEFAULT_REGION_ID: Id = Id::CN;

/// The `default_region` parameter: an ISO 3166 two-letter code such as 'CN'.
pub fn parse_region(code: &str) -> Result<Id, MdmError> {
    let upper = code.trim().to_ascii_uppercase();
    if upper.len() == 2 {
        if let Ok(id) = Id::from_str(&upper) {
            return Ok(id);
        }
    }
    Err(MdmError::invalid_parameter(
        "default_region",
        code,
        "Give an ISO 3166-1 alpha-2 region code that has a telephone numbering plan, such as 'CN', 'HK', 'US' or 'DE'.",
    ))
}

fn type_name(t: Type) -> Option<&'static str> {
    Some(match t {
        Type::FixedLine => "fixed_line",
        Type::Mobile => "mobile",
        Type::FixedLineOrMobile => "fixed_line_or_mobile",
        Type::TollFree => "toll_free",
        Type::PremiumRate => "premium_rate",
        Type::SharedCost => "shared_cost",
        Type::PersonalNumber => "personal_number",
        Type::Voip => "voip",
        Type::Pager => "pager",
        Type::Uan => "uan",
        Type::Emergency => "emergency",
        Type::Voicemail => "voicemail",
        Type::ShortCode => "short_code",
        Type::StandardRate => "standard_rate",
        Type::Carrier => "carrier",
        Type::NoInternational => "no_international",
        Type::Unknown => return None,
    })
}

/// Digit value of an ASCII or full-width digit.
#[inline]
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// What the fast path makes of the input: the digits when the text is only
/// digits, separators and at most one leading plus sign.
struct Digits {
    plus: bool,
    digits: [u8; 20],
    len: usize,
}

fn plain_digits(input: &str) -> Option<Digits> {
    let mut d = Digits {
        plus: false,
        digits: [0; 20],
        len: 0,
    };
    for c in input.chars() {
        if let Some(v) = digit(c) {
            if d.len == d.digits.len() {
                return None;
            }
            d.digits[d.len] = v;
            d.len += 1;
        } else if c == '+' || c == '＋' {
            if d.plus || d.len > 0 {
                return None;
            }
            d.plus = true;
        } else if !matches!(
            c,
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{3000}' | '－' | '（' | '）' | '\t'
        ) {
            return None;
        }
    }
    Some(d)
}

/// The national significant number (no country code, no trunk 0) of a
/// Chinese number in `d`, for the common ways of writing one: +86 / 0086
/// followed by it, a trunk 0 and an area code (010…, 0755…), an 11-digit
/// mobile with or without 86. `None` for anything else (the library decides).
fn cn_national(d: &Digits) -> Option<&[u8]> {
    let all = &d.digits[..d.len];
    let nsn = if d.plus {
        all.strip_prefix(&[8, 6])?
    } else if let Some(rest) = all.strip_prefix(&[0, 0, 8, 6]) {
        rest
    } else if let Some(rest) = all.strip_prefix(&[0]) {
        rest
    } else if all.len() == 13 && all.starts_with(&[8, 6, 1]) {
        &all[2..]
    } else if all.len() == 11 && all[0] == 1 {
        all
    } else {
        return None;
    };
    (matches!(nsn.len(), 9..=11) && nsn[0] != 0).then_some(nsn)
}

/// What libphonenumber says of every Chinese number whose national number
/// has a given length (9, 10 or 11 digits) and starts with given five digits:
/// 0 not asked yet, 1 all valid mobile numbers, 2 all valid fixed-line
/// numbers, 3 all invalid, 4 mixed (the library decides each number).
static CN_PREFIX: [AtomicU8; 3 * 90_000] = [const { AtomicU8::new(0) }; 3 * 90_000];

/// Suffixes tried for each prefix before the answer is trusted for all: in
/// each of the six positions, every digit appears once across the ten
/// probes (digit k of probe i is (i·m + c) mod 10 with m coprime to 10), so
/// a verdict that depends on any one of those digits shows up as mixed.
const PROBE_SUFFIXES: [&str; 10] = [
    "053917", "166600", "279393", "382086", "495779", "508462", "611155", "724848", "837531",
    "940224",
];

/// The memoized answer for a national number: `Some(Some(kind))` valid,
/// `Some(None)` invalid, `None` mixed (ask the library).
fn cn_by_prefix(nsn: &[u8]) -> Option<Option<&'static str>> {
    let prefix = nsn[..5].iter().fold(0usize, |a, &b| a * 10 + b as usize);
    let slot = &CN_PREFIX[(nsn.len() - 9) * 90_000 + prefix - 10_000];
    let state = match slot.load(Ordering::Relaxed) {
        0 => {
            let answers: Vec<Option<Option<&'static str>>> = PROBE_SUFFIXES
                .iter()
                .map(|suffix| {
                    let n = format!("+86{prefix}{}", &suffix[..nsn.len() - 5]);
                    library_parse(&n, Id::CN).map(|p| p.kind)
                })
                .collect();
            let state = match answers[0] {
                _ if answers.iter().any(|a| *a != answers[0]) => 4,
                Some(Some("mobile")) => 1,
                Some(Some("fixed_line")) => 2,
                None => 3,
                Some(_) => 4,
            };
            slot.store(state, Ordering::Relaxed);
            state
        }
        s => s,
    };
    match state {
        1 => Some(Some("mobile")),
        2 => Some(Some("fixed_line")),
        3 => Some(None),
        _ => None,
    }
}

/// libphonenumber's answer; `None` if it cannot parse the text, holds the
/// number invalid, or panics (its parser has internal unwraps).
///
/// A number written with its country code (`+34 …`, or `0034 …` with the
/// common international prefix 00) is parsed without a region: the crate
/// otherwise strips the region's national prefix from it (with region US,
/// `+86 138…` loses the 1 of 138).
fn library_parse(text: &str, region: Id) -> Option<Phone> {
    if text.starts_with('+') {
        return library_parse_with(text, None);
    }
    if let Some(rest) = text.strip_prefix("00") {
        if let Some(p) = library_parse_with(&format!("+{rest}"), None) {
            return Some(p);
        }
    }
    library_parse_with(text, Some(region))
}

/// Compiled regexes the library keeps. Its metadata holds a few thousand
/// patterns but the library keeps only the last 100 it used, so numbers of
/// a dozen countries make it compile the same patterns again and again
/// (most of the time parsing took at 1M records). The regions a table
/// really meets fit in this many.
const LIBRARY_REGEXES: usize = 4096;

static LIBRARY_CACHE_SIZED: std::sync::Once = std::sync::Once::new();

fn library_parse_with(text: &str, region: Option<Id>) -> Option<Phone> {
    LIBRARY_CACHE_SIZED.call_once(|| {
        if let Ok(mut cache) = phonenumber::metadata::DATABASE.cache().lock() {
            cache.set_capacity(LIBRARY_REGEXES);
        }
    });
    let parsed: Option<PhoneNumber> =
        std::panic::catch_unwind(|| phonenumber::parse(region, text).ok())
            .ok()
            .flatten();
    let number = parsed?;
    // A known type means a valid number; only an unknown type needs the
    // separate validity check (each runs the metadata's regexes).
    let kind = type_name(number.number_type(&phonenumber::metadata::DATABASE));
    if kind.is_none() && !phonenumber::is_valid(&number) {
        return None;
    }
    Some(Phone {
        e164: number.format().mode(Mode::E164).to_string(),
        kind,
    })
}

/// Extension markers libphonenumber does not know, rewritten to `ext`.
fn prepare_for_library(input: &str) -> String {
    let mut s: String = input
        .chars()
        .map(|c| match digit(c) {
            Some(v) if !c.is_ascii_digit() => char::from(b'0' + v),
            _ => match c {
                '＋' => '+',
                '（' => '(',
                '）' => ')',
                '－' => '-',
                '\u{3000}' => ' ',
                _ => c,
            },
        })
        .collect();
    for marker in ["分机号", "分机", "转"] {
        s = s.replace(marker, " ext ");
    }
    s
}

/// Parses a phone number written in any common way; `None` when the text
/// cannot be a valid phone number of `region` (or an international one).
pub fn parse_phone(input: &str, region: Id) -> Option<Phone> {
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.chars().nth(MAX_INPUT_CHARS).is_some() {
        return None;
    }
    if region == Id::CN {
        if let Some(nsn) = plain_digits(trimmed).as_ref().and_then(cn_national) {
            if let Some(answer) = cn_by_prefix(nsn) {
                return answer.map(|kind| {
                    let mut e164 = String::with_capacity(3 + nsn.len());
                    e164.push_str("+86");
                    e164.extend(nsn.iter().map(|&b| char::from(b'0' + b)));
                    Phone {
                        e164,
                        kind: Some(kind),
                    }
                });
            }
        }
    }
    library_parse_cached(trimmed, region)
}

/// Library results kept per backend: the library runs its metadata's
/// regexes (tens of µs a number), and a batch meets the same number again
/// and again (every pair a record is part of). Emptied when full.
const LIBRARY_CACHE_SIZE: usize = 65_536;

thread_local! {
    static LIBRARY_CACHE: RefCell<HashMap<(Id, String), Option<Phone>>> =
        RefCell::new(HashMap::new());
}

fn library_parse_cached(trimmed: &str, region: Id) -> Option<Phone> {
    let key = (region, trimmed.to_string());
    if let Some(hit) = LIBRARY_CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let parsed = library_parse(&prepare_for_library(trimmed), region);
    LIBRARY_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= LIBRARY_CACHE_SIZE {
            c.clear();
        }
        c.insert(key, parsed.clone());
    });
    parsed
}

/// `mdm.normalize_phone`: the E.164 form, or `None`.
pub fn normalize_phone(input: &str, region: Id) -> Option<String> {
    parse_phone(input, region).map(|p| p.e164)
}

/// `mdm.phone_type`: 'mobile', 'fixed_line', … or `None`.
pub fn phone_type(input: &str, region: Id) -> Option<&'static str> {
    parse_phone(input, region).and_then(|p| p.kind)
}

/// `mdm.is_valid_phone`.
pub fn is_valid_phone(input: &str, region: Id) -> bool {
    parse_phone(input, region).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cn(s: &str) -> Option<String> {
        normalize_phone(s, Id::CN)
    }

    #[test]
    fn table() {
        let cases: &[(&str, Id, Option<&str>, Option<&str>)] = &[
            // Chinese mobiles, every common shape
            (
                "+86 138 0013 8000",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "0086-138-0013-8000",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "(86)138 0013 8000",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "8613800138000",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "138-0013-8000",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "13800138000",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "１３８００１３８０００",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "＋８６　１３８　００１３　８０００",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "+86 (138) 0013-8000",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            (
                "  139 1234 5678 ",
                Id::CN,
                Some("+8613912345678"),
                Some("mobile"),
            ),
            (
                "186.1000.2000",
                Id::CN,
                Some("+8618610002000"),
                Some("mobile"),
            ),
            (
                "Tel: 13800138000",
                Id::CN,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            // a Chinese mobile written from elsewhere
            (
                "+86 138 0013 8000",
                Id::US,
                Some("+8613800138000"),
                Some("mobile"),
            ),
            // landlines with area codes
            (
                "010-12345678",
                Id::CN,
                Some("+861012345678"),
                Some("fixed_line"),
            ),
            (
                "(010) 1234 5678",
                Id::CN,
                Some("+861012345678"),
                Some("fixed_line"),
            ),
            (
                "+86 10 1234 5678",
                Id::CN,
                Some("+861012345678"),
                Some("fixed_line"),
            ),
            (
                "0755-86013388",
                Id::CN,
                Some("+8675586013388"),
                Some("fixed_line"),
            ),
            (
                "021 5088 8888",
                Id::CN,
                Some("+862150888888"),
                Some("fixed_line"),
            ),
            // extensions are dropped
            (
                "+86 755 8601 3388 ext. 12",
                Id::CN,
                Some("+8675586013388"),
                Some("fixed_line"),
            ),
            (
                "0755-86013388转12",
                Id::CN,
                Some("+8675586013388"),
                Some("fixed_line"),
            ),
            (
                "0755-86013388 分机 305",
                Id::CN,
                Some("+8675586013388"),
                Some("fixed_line"),
            ),
            // service numbers
            (
                "400-810-8888",
                Id::CN,
                Some("+864008108888"),
                Some("shared_cost"),
            ),
            (
                "800-820-8820",
                Id::CN,
                Some("+868008208820"),
                Some("toll_free"),
            ),
            // international
            (
                "+1 (415) 555-0132",
                Id::CN,
                Some("+14155550132"),
                Some("fixed_line_or_mobile"),
            ),
            (
                "415.555.0132",
                Id::US,
                Some("+14155550132"),
                Some("fixed_line_or_mobile"),
            ),
            (
                "+34 912 345 678",
                Id::CN,
                Some("+34912345678"),
                Some("fixed_line"),
            ),
            (
                "0034 912345678",
                Id::CN,
                Some("+34912345678"),
                Some("fixed_line"),
            ),
            (
                "089 1234567",
                Id::DE,
                Some("+49891234567"),
                Some("fixed_line"),
            ),
            (
                "+44 20 7946 0958",
                Id::CN,
                Some("+442079460958"),
                Some("fixed_line"),
            ),
            (
                "020 7946 0958",
                Id::GB,
                Some("+442079460958"),
                Some("fixed_line"),
            ),
            (
                "+852 2123 4567",
                Id::CN,
                Some("+85221234567"),
                Some("fixed_line"),
            ),
            ("9123 4567", Id::HK, Some("+85291234567"), Some("mobile")),
            // not phone numbers
            ("1380013800", Id::CN, None, None),
            ("12345", Id::CN, None, None),
            ("abc", Id::CN, None, None),
            ("089 1234567", Id::CN, None, None),
            ("", Id::CN, None, None),
            ("zhang.wei@example.com", Id::CN, None, None),
            ("138 0013 8000 138 0013 8000", Id::CN, None, None),
        ];
        for &(input, region, e164, kind) in cases {
            let got = parse_phone(input, region);
            assert_eq!(
                got.as_ref().map(|p| p.e164.as_str()),
                e164,
                "{input:?} in {region:?}"
            );
            assert_eq!(got.as_ref().and_then(|p| p.kind), kind, "type of {input:?}");
            assert_eq!(is_valid_phone(input, region), e164.is_some());
        }
    }

    #[test]
    fn regions() {
        assert_eq!(parse_region("CN"), Ok(Id::CN));
        assert_eq!(parse_region(" cn "), Ok(Id::CN));
        assert_eq!(parse_region("de"), Ok(Id::DE));
        for bad in ["", "C", "CHN", "XX", "china", "中国"] {
            let err = parse_region(bad).unwrap_err();
            assert_eq!(err.sqlstate(), "22023", "{bad:?}");
        }
    }

    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    fn fast_and_library(nsn: &str) -> (Option<Phone>, Option<Phone>) {
        (
            parse_phone(&format!("0{nsn}"), Id::CN),
            library_parse(&format!("+86{nsn}"), Id::CN),
        )
    }

    /// The fast path agrees with libphonenumber on every five-digit mobile
    /// prefix, for three random numbers each.
    #[test]
    fn fast_path_matches_library_on_mobiles() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut trusted = 0;
        for prefix in 10_000..20_000u64 {
            let nsn: Vec<u8> = format!("{prefix}000000")
                .bytes()
                .map(|b| b - b'0')
                .collect();
            if cn_by_prefix(&nsn).is_some() {
                trusted += 1;
            }
            for _ in 0..3 {
                let n = format!("{prefix}{:06}", xorshift(&mut seed) % 1_000_000);
                let plain = parse_phone(&n, Id::CN);
                assert_eq!(plain, library_parse(&format!("+86{n}"), Id::CN), "{n}");
            }
        }
        assert!(
            trusted > 9000,
            "only {trusted} prefixes answered from memory"
        );
    }

    /// And on random landlines of every length.
    #[test]
    fn fast_path_matches_library_on_landlines() {
        let mut seed: u64 = 0xD1B5_4A32_D192_ED03;
        for _ in 0..4000 {
            let len = 9 + (xorshift(&mut seed) % 3) as u32;
            let first = 2 + xorshift(&mut seed) % 8;
            let rest = xorshift(&mut seed) % 10u64.pow(len - 1);
            let nsn = format!("{first}{rest:0width$}", width = (len - 1) as usize);
            let (fast, lib) = fast_and_library(&nsn);
            assert_eq!(fast, lib, "{nsn}");
            let beijing = format!("10{:08}", xorshift(&mut seed) % 100_000_000);
            let (fast, lib) = fast_and_library(&beijing);
            assert_eq!(fast, lib, "{beijing}");
        }
    }

    proptest! {
        #[test]
        fn no_panic(s in any::<String>()) {
            let _ = cn(&s);
            let _ = phone_type(&s, Id::US);
        }

        #[test]
        fn idempotent(s in "[+]?[0-9 ()-]{5,20}") {
            if let Some(once) = cn(&s) {
                prop_assert_eq!(cn(&once), Some(once.clone()));
            }
        }

        #[test]
        fn mobile_shapes_agree(n in 13_000_000_000u64..19_999_999_999u64) {
            let plain = n.to_string();
            let want = cn(&plain);
            let spaced = format!("+86 {} {} {}", &plain[..3], &plain[3..7], &plain[7..]);
            prop_assert_eq!(cn(&spaced), want.clone());
            prop_assert_eq!(cn(&format!("0086-{plain}")), want.clone());
            prop_assert_eq!(library_parse(&format!("+86{plain}"), Id::CN).map(|p| p.e164), want);
        }
    }
}
