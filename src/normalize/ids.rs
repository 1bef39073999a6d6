//! Identity-number normalization and the two Chinese check-character validators.
//!
//! - `normalize_id_number`: NFKC, drop everything that is not an ASCII letter
//!   or digit, upper-case. Idempotent.
//! - `is_valid_cn_resident_id`: 18-character PRC resident identity card number
//!   (GB 11643-1999, ISO 7064 MOD 11-2 check character).
//! - `is_valid_credit_code`: 18-character unified social credit code
//!   (GB 32100-2015, mod 31 check character plus the embedded GB 11714
//!   organization code check character).
//!
//! Everything works on characters, runs in linear time and never panics.

use unicode_normalization::UnicodeNormalization;

/// Normalized length past which the validators give up: both codes are 18
/// characters, so anything longer than this is rejected without normalizing
/// the rest of the input.
const VALIDATOR_MAX_LEN: usize = 64;

/// NFKC, keep ASCII letters and digits only, upper-case them. Stops and
/// returns `None` once more than `limit` characters would be kept; also
/// `None` when nothing is kept.
fn normalize_limited(input: &str, limit: usize) -> Option<String> {
    let mut out = String::with_capacity(input.len().min(limit).min(64));
    let mut push = |c: char| -> bool {
        if c.is_ascii_alphanumeric() {
            if out.len() >= limit {
                return false;
            }
            out.push(c.to_ascii_uppercase());
        }
        true
    };
    // NFKC leaves pure ASCII unchanged, so it can be skipped for ASCII input.
    let complete = if input.is_ascii() {
        input.chars().all(&mut push)
    } else {
        input.nfkc().all(&mut push)
    };
    if !complete || out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// Normalizes an identity/registration number for matching: Unicode NFKC
/// (full-width digits and letters become ASCII), then every character that is
/// not an ASCII letter or digit is removed (whitespace including U+3000,
/// '-', '_', '.', '/', '·', brackets, zero-width characters, ...), then ASCII
/// upper case. Returns `None` when nothing is left. Idempotent.
pub fn normalize_id_number(input: &str) -> Option<String> {
    normalize_limited(input, usize::MAX)
}

/// ISO 7064 MOD 11-2 weights for the first 17 digits (GB 11643-1999).
const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character indexed by (weighted sum mod 11).
const RESIDENT_CHECK: &[u8; 11] = b"10X98765432";

/// Province-level codes (first two digits) accepted in a resident ID.
fn is_province_code(code: u32) -> bool {
    matches!(
        code,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65
            // 71 台湾, 81 香港, 82 澳门.
            | 71 | 81 | 82
            // 83 is not a province: it is the prefix of the 台湾居民居住证
            // (residence permit for Taiwan residents, 18 characters in the
            // same format), accepted on purpose.
            | 83
    )
}

fn is_leap_year(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// A real Gregorian date with the year in 1800..=2100.
fn is_valid_date(year: u32, month: u32, day: u32) -> bool {
    if !(1800..=2100).contains(&year) {
        return false;
    }
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// True for a valid 18-character PRC resident identity card number
/// (居民身份证号码, GB 11643-1999) after `normalize_id_number`: 17 digits, a
/// province-level code, a birth date YYYYMMDD (1800..=2100) and the
/// MOD 11-2 check character ('X' for 10). Old 15-digit numbers are rejected.
pub fn is_valid_cn_resident_id(input: &str) -> bool {
    let Some(id) = normalize_limited(input, VALIDATOR_MAX_LEN) else {
        return false;
    };
    let Ok(bytes) = <[u8; 18]>::try_from(id.as_bytes()) else {
        return false;
    };
    let Some((&check, body)) = bytes.split_last() else {
        return false;
    };

    let mut digits = [0u32; 17];
    for (slot, &b) in digits.iter_mut().zip(body) {
        if !b.is_ascii_digit() {
            return false;
        }
        *slot = u32::from(b - b'0');
    }

    let [p1, p2, _, _, _, _, y1, y2, y3, y4, m1, m2, d1, d2, _, _, _] = digits;
    if !is_province_code(p1 * 10 + p2) {
        return false;
    }
    let year = y1 * 1000 + y2 * 100 + y3 * 10 + y4;
    let month = m1 * 10 + m2;
    let day = d1 * 10 + d2;
    if !is_valid_date(year, month, day) {
        return false;
    }

    let sum: u32 = digits
        .iter()
        .zip(RESIDENT_WEIGHTS)
        .map(|(&d, w)| d * w)
        .sum();
    RESIDENT_CHECK.get((sum % 11) as usize) == Some(&check)
}

/// GB 32100-2015 alphabet: digits and upper-case letters without I, O, S, V, Z.
/// A character's value is its index.
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100-2015 weights for positions 1–17 (3^(i-1) mod 31).
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// GB 11714 weights for the 8 body characters of an organization code.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

fn credit_value(b: u8) -> Option<u32> {
    CREDIT_ALPHABET
        .iter()
        .position(|&c| c == b)
        .and_then(|p| u32::try_from(p).ok())
}

/// GB 11714 value: digit value, or A=10 … Z=35 on the full Latin alphabet.
fn org_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        _ => None,
    }
}

/// True when the 9-character organization code (GB 11714) has the right
/// check character: C9 = 11 − (Σ value·weight mod 11), 10 → 'X', 11 → '0'.
fn is_valid_org_code(code: &[u8]) -> bool {
    let Some((&check, body)) = code.split_last() else {
        return false;
    };
    if body.len() != ORG_WEIGHTS.len() {
        return false;
    }
    let mut sum = 0u32;
    for (&b, w) in body.iter().zip(ORG_WEIGHTS) {
        let Some(v) = org_value(b) else {
            return false;
        };
        sum += v * w;
    }
    let expected = match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        // 1..=9: a single digit.
        c => b'0' + (c as u8),
    };
    check == expected
}

/// True for a valid 18-character unified social credit code (统一社会信用代码,
/// GB 32100-2015) after `normalize_id_number`: every character from
/// "0123456789ABCDEFGHJKLMNPQRTUWXY", positions 3–8 (region code) digits,
/// the embedded organization code (positions 9–17) with a valid GB 11714
/// check character, and the mod 31 check character at position 18.
pub fn is_valid_credit_code(input: &str) -> bool {
    let Some(code) = normalize_limited(input, VALIDATOR_MAX_LEN) else {
        return false;
    };
    let Ok(bytes) = <[u8; 18]>::try_from(code.as_bytes()) else {
        return false;
    };
    let Some((&check, body)) = bytes.split_last() else {
        return false;
    };
    let Some(check_value) = credit_value(check) else {
        return false;
    };

    let mut sum = 0u32;
    for (i, (&b, w)) in body.iter().zip(CREDIT_WEIGHTS).enumerate() {
        // Positions 3–8 (indices 2..=7): administrative region code.
        if (2..=7).contains(&i) && !b.is_ascii_digit() {
            return false;
        }
        let Some(v) = credit_value(b) else {
            return false;
        };
        sum += v * w;
    }
    let expected = match 31 - sum % 31 {
        31 => 0,
        c => c,
    };
    if expected != check_value {
        return false;
    }

    // Positions 9–17: the organization code.
    body.get(8..).is_some_and(is_valid_org_code)
}

#[cfg(test)]
mod tests {
    use super::{is_valid_cn_resident_id, is_valid_credit_code, normalize_id_number};
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    #[test]
    fn normalize_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("11010519491231002X", Some("11010519491231002X")),
            ("11010519491231002x", Some("11010519491231002X")),
            (" 110105 19491231 002x ", Some("11010519491231002X")),
            ("110105-19491231-002X", Some("11010519491231002X")),
            // full-width digits and letter, ideographic spaces
            (
                "１１０１０５　１９４９１２３１　００２ｘ",
                Some("11010519491231002X"),
            ),
            (
                "９１３５０１００Ｍ０００１００Ｙ４３",
                Some("91350100M000100Y43"),
            ),
            ("9135 0100 M000 100Y 43", Some("91350100M000100Y43")),
            ("A-1_2.3/4·5", Some("A12345")),
            // zero-width space, word joiner, BOM, no-break space
            ("12\u{200B}34\u{2060}56\u{FEFF}7\u{00A0}8", Some("12345678")),
            ("身份证号：110105", Some("110105")),
            // passport shapes
            ("e12345678", Some("E12345678")),
            ("G 1234 5678", Some("G12345678")),
            // Hong Kong identity card with bracketed check digit
            ("A123456(7)", Some("A1234567")),
            // US SSN, UK National Insurance number
            ("123-45-6789", Some("123456789")),
            ("qq 12 34 56 c", Some("QQ123456C")),
            // NFKC compatibility forms: circled digits, ligature, roman numeral
            ("①②③", Some("123")),
            ("ﬁ12", Some("FI12")),
            ("Ⅻ", Some("XII")),
            // A + combining acute composes to Á, which is not ASCII: dropped
            ("A\u{301}1", Some("1")),
            ("", None),
            ("   ", None),
            ("\u{3000}\u{3000}", None),
            ("-/._·", None),
            ("张伟", None),
        ];
        for &(input, expected) in cases {
            assert_eq!(
                normalize_id_number(input).as_deref(),
                expected,
                "input {input:?}"
            );
        }
    }

    #[test]
    fn resident_id_table() {
        // Constructed cases were built as: 17 leading digits chosen by hand,
        // check character computed by MOD 11-2 (verified by hand for several
        // and by an independent script), then the described change applied.
        let cases: &[(&str, bool)] = &[
            // GB 11643-1999 examples (Beijing Chaoyang 1949, Guangdong 1880).
            ("11010519491231002X", true),
            ("440524188001010014", true),
            // Same, lower-case x, spaces, dashes, full-width, U+3000.
            ("11010519491231002x", true),
            ("110105 19491231 002X", true),
            ("110105-1949-1231-002x", true),
            ("１１０１０５１９４９１２３１００２Ｘ", true),
            ("１１０１０５　１９４９１２３１　００２ｘ", true),
            // Wrong check characters (correct ones are X and 4).
            ("110105194912310021", false),
            ("110105194912310020", false),
            ("440524188001010015", false),
            ("44052418800101001X", false),
            // Constructed: 29 Feb in leap years 2000 and 1996.
            ("110101200002290018", true),
            ("440300199602290025", true),
            // Constructed: 29 Feb in non-leap 1900, 2023, 2100 (check chars right).
            ("110101190002290011", false),
            ("110101202302290019", false),
            ("110101210002290017", false),
            // Constructed: year range bounds 1800..=2100.
            ("110101180001010015", true),
            ("110101210012310018", true),
            ("110101179912310010", false),
            ("110101210101010017", false),
            // Constructed: month 13, 31 April, month 00, day 00.
            ("110101199013010012", false),
            ("110101199004310013", false),
            ("110101199000010013", false),
            ("11010119900100001X", false),
            // Constructed: province 99 and 10 (check chars right).
            ("990105194912310023", false),
            ("100105194912310028", false),
            // Constructed: the GB example with its first two digits replaced by
            // each code just outside the accepted ranges, check recomputed.
            ("000105194912310024", false),
            ("160105194912310029", false),
            ("200105194912310021", false),
            ("38010519491231002X", false),
            ("470105194912310021", false),
            ("550105194912310021", false),
            ("660105194912310027", false),
            ("70010519491231002X", false),
            ("720105194912310023", false),
            ("800105194912310023", false),
            ("840105194912310020", false),
            ("910105194912310029", false),
            // Constructed: Hong Kong, Macau, Taiwan (71) and residence permit
            // for Taiwan residents (83).
            ("810000199001010019", true),
            ("820000199001010010", true),
            ("710000199001010015", true),
            ("830000199001010012", true),
            // Constructed: Chengdu, Nanjing, Urumqi, Hainan, Tibet.
            ("510102198707162834", true),
            ("320106198808080811", true),
            ("650102201212319997", true),
            ("460000198001010019", true),
            ("540000198001010019", true),
            // Lengths: 17, 19, old 15-digit form of the GB example.
            ("11010519491231002", false),
            ("11010519491231002X0", false),
            ("110105491231002", false),
            // X anywhere but the last position, letter in the body.
            ("X10105194912310020", false),
            ("1101051949123100AX", false),
            // Other shapes: Taiwan ID card, HK ID card, a credit code.
            ("A123456789", false),
            ("A123456(7)", false),
            ("91350100M000100Y43", false),
            ("", false),
        ];
        for &(input, expected) in cases {
            assert_eq!(is_valid_cn_resident_id(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn credit_code_table() {
        let cases: &[(&str, bool)] = &[
            // GB 32100-2015 example.
            ("91350100M000100Y43", true),
            ("91350100m000100y43", true),
            ("9135 0100 M000 100Y 43", true),
            ("91350100-M000100Y4-3", true),
            ("９１３５０１００Ｍ０００１００Ｙ４３", true),
            // Codes of well-known companies, as found in public records:
            // Huawei Technologies, Shenzhen Tencent Computer Systems, Xiaomi,
            // Alibaba (China).
            ("914403001922038216", true),
            ("91440300708461136T", true),
            ("91110108551385082Q", true),
            ("91330100799655058B", true),
            // Wrong check character (correct ones are 3 and 6).
            ("91350100M000100Y44", false),
            ("914403001922038217", false),
            // Forbidden letters I, O, S, V, Z (substituted into the example).
            ("91350100I000100Y43", false),
            ("91350100M0O0100Y43", false),
            ("91350100M000100S43", false),
            ("V1350100M000100Y43", false),
            ("91350100M000100Y4Z", false),
            // Constructed: org code M000100Y4 → M000100Y5 (org check wrong,
            // expected 4), credit check recomputed by mod 31 to 6.
            ("91350100M000100Y56", false),
            // Constructed: region 350100 → 3A0100 with both checks recomputed
            // (credit check P): fails only because positions 3–8 must be digits.
            ("913A0100M000100Y4P", false),
            // Same construction with the letter at positions 3 and 8.
            ("91A50100M000100Y42", false),
            ("9135010AM000100Y4K", false),
            // Constructed: org code check 'X' (MA000004: Σ = 144, mod 11 = 1,
            // 11 − 1 = 10), credit check 8.
            ("91110108MA000004X8", true),
            ("91110108ma000004x8", true),
            // Constructed: org code check '0' (00000000: Σ = 0, 11 → '0'),
            // credit check 7.
            ("911101080000000007", true),
            // Constructed: credit check '0' (MA0000007: Σ = 1116 ≡ 0 mod 31,
            // 31 → 0).
            ("91110108MA00000070", true),
            // Constructed: credit check 'Y' (MA0000197: Σ = 1396 ≡ 1, 31 − 1 = 30).
            ("91110108MA0000197Y", true),
            // Lengths: 17, 19, the 15-character old registration number shape.
            ("91350100M000100Y4", false),
            ("91350100M000100Y430", false),
            ("440301104001819", false),
            // Other shapes: a resident ID (credit check would be B, org check
            // 5), an org code alone.
            ("11010519491231002X", false),
            ("M000100Y4", false),
            ("", false),
        ];
        for &(input, expected) in cases {
            assert_eq!(is_valid_credit_code(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn long_inputs_are_fast_and_rejected() {
        let inputs = [
            "1".repeat(1 << 20),
            "１".repeat(1 << 18),
            "\u{3000}".repeat(1 << 18),
            "-".repeat(1 << 20),
            // combining marks: long canonical-reordering run
            "\u{301}\u{316}".repeat(1 << 18),
            "\u{FDFA}".repeat(1 << 18),
            "a\u{300}".repeat(1 << 18),
        ];
        for input in &inputs {
            let start = Instant::now();
            let _ = normalize_id_number(input);
            assert!(!is_valid_cn_resident_id(input));
            assert!(!is_valid_credit_code(input));
            assert!(start.elapsed() < Duration::from_secs(10));
        }
        // Separators do not count towards the validators' length limit.
        let start = Instant::now();
        let padded = format!(
            "{}11010519491231002X{}",
            "-".repeat(1 << 20),
            "\u{3000}".repeat(99)
        );
        assert!(is_valid_cn_resident_id(&padded));
        let padded = format!("{}91350100M000100Y43", "\u{200B}".repeat(1 << 18));
        assert!(is_valid_credit_code(&padded));
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    // Test-side reference implementations used to build valid codes.

    const DIGITS: &[u8] = b"0123456789";
    const RESIDENT_LAST: &[u8] = b"0123456789X";
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const PROVINCES: &[u32] = &[
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
    ];

    fn days_in(year: u32, month: u32) -> u32 {
        let leap =
            year.is_multiple_of(400) || (year.is_multiple_of(4) && !year.is_multiple_of(100));
        [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month as usize - 1]
    }

    fn resident_check(body: &str) -> char {
        let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let s: u32 = body
            .chars()
            .zip(w)
            .map(|(c, w)| c.to_digit(10).unwrap() * w) // ok: test code
            .sum();
        "10X98765432".chars().nth((s % 11) as usize).unwrap() // ok: test code
    }

    fn org_check(body: &str) -> char {
        let w = [3, 7, 9, 10, 5, 8, 4, 2];
        let s: u32 = body
            .chars()
            .zip(w)
            .map(|(c, w)| c.to_digit(36).unwrap() * w) // ok: test code
            .sum();
        match 11 - s % 11 {
            10 => 'X',
            11 => '0',
            c => char::from_digit(c, 10).unwrap(), // ok: test code
        }
    }

    fn credit_check(body: &str) -> char {
        let w = [
            1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
        ];
        let s: u32 = body
            .bytes()
            .zip(w)
            .map(|(b, w)| ALPHABET.iter().position(|&a| a == b).unwrap() as u32 * w) // ok: test code
            .sum();
        ALPHABET[((31 - s % 31) % 31) as usize] as char
    }

    fn valid_resident_id() -> impl Strategy<Value = String> {
        (
            prop::sample::select(PROVINCES),
            0u32..10_000,
            1800u32..=2100,
            1u32..=12,
            0u32..31,
            0u32..1000,
        )
            .prop_map(|(p, region, y, m, d, seq)| {
                let day = 1 + d % days_in(y, m);
                let body = format!("{p:02}{region:04}{y:04}{m:02}{day:02}{seq:03}");
                let check = resident_check(&body);
                format!("{body}{check}")
            })
    }

    fn valid_credit_code() -> impl Strategy<Value = String> {
        let ch = || prop::sample::select(ALPHABET).prop_map(char::from);
        (ch(), ch(), 0u32..1_000_000, prop::collection::vec(ch(), 8)).prop_map(
            |(a, b, region, org)| {
                let org: String = org.into_iter().collect();
                let org_c = org_check(&org);
                let body = format!("{a}{b}{region:06}{org}{org_c}");
                let check = credit_check(&body);
                format!("{body}{check}")
            },
        )
    }

    /// Replaces the character at `pos` by the one `offset` places further in
    /// `allowed` (cyclically), so it always differs.
    fn mutate(code: &str, pos: usize, offset: usize, allowed: &[u8]) -> String {
        let mut bytes = code.as_bytes().to_vec();
        let i = allowed.iter().position(|&a| a == bytes[pos]).unwrap(); // ok: test code
        bytes[pos] = allowed[(i + offset % (allowed.len() - 1) + 1) % allowed.len()];
        String::from_utf8(bytes).unwrap() // ok: test code
    }

    /// Inserts separators and converts some characters to full width or
    /// lower case, as a user might type them.
    fn decorate(code: &str, seps: &[u8]) -> String {
        let mut out = String::new();
        for (c, s) in code.chars().zip(seps.iter().cycle()) {
            match s % 6 {
                0 => out.push(c),
                1 => out.push(char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()), // ok: test code
                2 => {
                    out.push(c.to_ascii_lowercase());
                    out.push(' ');
                }
                3 => {
                    out.push(c);
                    out.push('-');
                }
                4 => {
                    out.push('\u{3000}');
                    out.push(c);
                }
                _ => {
                    out.push(c);
                    out.push('\u{200B}');
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn no_panic_on_any_string(s in any::<String>()) {
            let _ = normalize_id_number(&s);
            let _ = is_valid_cn_resident_id(&s);
            let _ = is_valid_credit_code(&s);
        }

        #[test]
        fn no_panic_on_id_like_strings(
            s in "[0-9０-９xXｘＸa-zA-Zａ-ｚ \\-\u{3000}\u{200B}\u{301}\u{FDFA}①ﬁ]{0,40}"
        ) {
            let _ = normalize_id_number(&s);
            let _ = is_valid_cn_resident_id(&s);
            let _ = is_valid_credit_code(&s);
        }

        #[test]
        fn normalize_is_idempotent(s in any::<String>()) {
            if let Some(n) = normalize_id_number(&s) {
                prop_assert!(n.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
                prop_assert_eq!(normalize_id_number(&n), Some(n));
            }
        }

        #[test]
        fn normalize_is_idempotent_on_id_like(
            s in "[0-9０-９xXｘＸa-zA-Zａ-ｚ \\-\u{3000}\u{200B}\u{301}①ﬁⅫ]{0,40}"
        ) {
            if let Some(n) = normalize_id_number(&s) {
                prop_assert_eq!(normalize_id_number(&n), Some(n));
            }
        }

        #[test]
        fn generated_resident_ids_are_valid(
            id in valid_resident_id(),
            seps in prop::collection::vec(any::<u8>(), 1..8),
        ) {
            prop_assert!(is_valid_cn_resident_id(&id), "{}", id);
            let decorated = decorate(&id, &seps);
            prop_assert!(is_valid_cn_resident_id(&decorated), "{}", decorated);
        }

        #[test]
        fn resident_id_single_change_is_invalid(
            id in valid_resident_id(),
            pos in 0usize..18,
            offset in 0usize..100,
        ) {
            let allowed = if pos == 17 { RESIDENT_LAST } else { DIGITS };
            let changed = mutate(&id, pos, offset, allowed);
            prop_assert_ne!(&changed, &id);
            prop_assert!(!is_valid_cn_resident_id(&changed), "{} -> {}", id, changed);
        }

        #[test]
        fn generated_credit_codes_are_valid(
            code in valid_credit_code(),
            seps in prop::collection::vec(any::<u8>(), 1..8),
        ) {
            prop_assert!(is_valid_credit_code(&code), "{}", code);
            let decorated = decorate(&code, &seps);
            prop_assert!(is_valid_credit_code(&decorated), "{}", decorated);
        }

        #[test]
        fn credit_code_single_change_is_invalid(
            code in valid_credit_code(),
            pos in 0usize..18,
            offset in 0usize..100,
        ) {
            let changed = mutate(&code, pos, offset, ALPHABET);
            prop_assert_ne!(&changed, &code);
            prop_assert!(!is_valid_credit_code(&changed), "{} -> {}", code, changed);
        }
    }
}
