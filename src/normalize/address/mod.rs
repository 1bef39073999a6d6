//! `mdm.normalize_address`: a comparison key for postal addresses, Chinese first.
//!
//! Steps: `normalize_text` and traditional-to-simplified conversion; country
//! tags removed (中国…, 中华人民共和国…, "China, …", "…, PRC", "…, USA");
//! punctuation to spaces and spaces next to CJK characters removed; Chinese
//! numerals that count house numbers, floors, rooms, buildings and units
//! turned into ASCII digits (八十八号 → 88号, 第三层 → 3层); administrative
//! levels folded (北京市朝阳区 = 北京朝阳区, 浙江省杭州市余杭区 = 杭州余杭区);
//! Latin-script street words expanded (St → street, Apt → apartment,
//! N → north, No. 5 → 5, Hauptstr. → hauptstraße). The result is idempotent,
//! never panics and takes linear time.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::normalize::cjk::{is_cjk, is_common_han, is_han, to_simplified};
use crate::normalize::regions::PROVINCES;
use crate::normalize::text::{is_nfkc, normalize_text};

mod tables;
use tables::*;

/// One entry of the administrative-name index.
struct Place {
    name: Vec<char>,
    /// Suffixes that may follow the name, longest first.
    suffixes: Vec<Vec<char>>,
    /// Index of the province when the name is a province-level name.
    province: Option<usize>,
    /// Provinces in which the name is a prefecture-level division.
    parents: Vec<usize>,
}

struct Places {
    places: Vec<Place>,
    /// First character → indices into `places`, longest name first.
    by_first: HashMap<char, Vec<usize>>,
}

fn places() -> &'static Places {
    static PLACES: OnceLock<Places> = OnceLock::new();
    PLACES.get_or_init(build_places)
}

fn build_places() -> Places {
    let mut places: Vec<Place> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut entry = |places: &mut Vec<Place>, name: &str| -> usize {
        if let Some(&i) = by_name.get(name) {
            return i;
        }
        places.push(Place {
            name: name.chars().collect(),
            suffixes: Vec::new(),
            province: None,
            parents: Vec::new(),
        });
        let i = places.len() - 1;
        by_name.insert(name.to_string(), i);
        i
    };
    fn add_suffix(place: &mut Place, suffix: &str) {
        let s: Vec<char> = suffix.chars().collect();
        if !s.is_empty() && !place.suffixes.contains(&s) {
            place.suffixes.push(s);
        }
    }
    for (pi, (name, suffixes, cities)) in PROVINCES.iter().enumerate() {
        let i = entry(&mut places, name);
        if let Some(p) = places.get_mut(i) {
            p.province = Some(pi);
            for s in suffixes.iter() {
                add_suffix(p, s);
            }
        }
        for city in cities.iter() {
            let (cname, special) = match city.split_once(':') {
                Some((n, s)) => (n, Some(s)),
                None => (*city, None),
            };
            let ci = entry(&mut places, cname);
            if let Some(c) = places.get_mut(ci) {
                if !c.parents.contains(&pi) {
                    c.parents.push(pi);
                }
                if let Some(s) = special {
                    add_suffix(c, s);
                    if s.ends_with("自治州") {
                        add_suffix(c, "自治州");
                        add_suffix(c, "州");
                    }
                }
                add_suffix(c, "市辖区");
                add_suffix(c, "市");
            }
        }
    }
    let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
    for (i, p) in places.iter_mut().enumerate() {
        p.suffixes.sort_by_key(|s| std::cmp::Reverse(s.len()));
        if let Some(&c) = p.name.first() {
            by_first.entry(c).or_default().push(i);
        }
    }
    for list in by_first.values_mut() {
        list.sort_by_key(|&i| std::cmp::Reverse(places.get(i).map_or(0, |p| p.name.len())));
    }
    Places { places, by_first }
}

/// `mdm.normalize_address`: a key for comparing postal addresses. `None` when
/// nothing but whitespace or punctuation is left.
pub fn normalize_address(input: &str) -> Option<String> {
    let text = normalize_text(input)?;
    let mut text = to_simplified(&text).into_owned();
    // Apostrophes go first so that every later look-ahead sees the joined
    // word: O'Connell → oconnell, People's → peoples.
    text.retain(|c| !is_apostrophe(c));
    let text = strip_country_tags(&text);
    let chars = clean_punctuation(text);
    let chars = compose(collapse_spaces(&chars));
    let chars = convert_numerals(&chars);
    let chars = fold_admin_levels(&chars);
    let joined: String = chars.into_iter().collect();
    let out = expand_tokens(&joined);
    if out.is_empty() {
        return None;
    }
    // Removing spaces and characters can bring a base character next to a
    // combining one (e.g. Hangul jamo); compose so that a second pass sees
    // the same text.
    if is_nfkc(out.chars()) {
        Some(out)
    } else {
        Some(out.nfkc().collect())
    }
}

/// Traditional to simplified until stable: OpenCC maps a few characters in
/// two steps (薴 → 苧 → 苎).
/// NFKC composition of text whose marks may have moved next to new bases
/// (an apostrophe or space removed between them).
fn compose(chars: Vec<char>) -> Vec<char> {
    if is_nfkc(chars.iter().copied()) {
        chars
    } else {
        chars.into_iter().nfkc().collect()
    }
}

#[inline]
fn is_mark(c: char) -> bool {
    !c.is_ascii() && !is_common_han(c) && c.general_category_group() == GeneralCategoryGroup::Mark
}

/// Letters, digits and combining marks: the characters words are made of.
#[inline]
fn is_word(c: char) -> bool {
    is_common_han(c) || c.is_alphanumeric() || is_mark(c)
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`')
}

/// Removes leading country tags (中国, China, PRC …) and trailing ones
/// (", China", ", PRC", ", USA" …). A tag goes when a separator follows or
/// precedes it, or when it is written in Han, or when it touches a Chinese or
/// pinyin place name; the text never becomes empty.
fn strip_country_tags(text: &str) -> &str {
    let w = Words::of(text);
    let han_tag = |tag: &[&str]| tag.iter().any(|w| w.chars().any(is_han));
    let place_word = |w: &str| PINYIN_PLACES.contains(&w);
    let mut lo = 0usize;
    let mut hi = w.len();
    'lead: loop {
        for tag in CHINA_TAGS {
            let k = tag.len();
            if lo + k < hi && w.matches_at(lo, tag) {
                let next = w.word(lo + k);
                let ok = has_punct(w.gap(lo + k - 1))
                    || han_tag(tag)
                    || next.chars().next().is_some_and(is_han)
                    || place_word(next);
                if ok {
                    lo += k;
                    continue 'lead;
                }
            }
        }
        break;
    }
    'trail: loop {
        for (tags, china) in [(CHINA_TAGS, true), (OTHER_COUNTRY_TAGS, false)] {
            for tag in tags {
                let k = tag.len();
                if hi > lo + k && w.matches_at(hi - k, tag) {
                    let prev = w.word(hi - k - 1);
                    if NAME_LINKS.contains(&prev) && !han_tag(tag) {
                        continue;
                    }
                    let ok = has_punct(w.gap(hi - k - 1))
                        || (china
                            && (han_tag(tag)
                                || prev.chars().last().is_some_and(is_han)
                                || place_word(prev)));
                    if ok {
                        hi -= k;
                        continue 'trail;
                    }
                }
            }
        }
        break;
    }
    w.between(lo, hi)
}

/// A real separator: a comma, a period, a bracket… but not the hyphen of
/// a compound (China-Europe).
fn has_punct(g: &str) -> bool {
    g.chars()
        .any(|c| !c.is_whitespace() && c != '-' && c != '&')
}

/// The words of a text, as byte ranges.
struct Words<'a> {
    text: &'a str,
    words: Vec<(usize, usize)>,
}

impl<'a> Words<'a> {
    fn of(text: &'a str) -> Words<'a> {
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            // A word starts with a letter or digit; combining marks continue it.
            if start.is_some() && is_word(c) {
                continue;
            }
            if is_word(c) && !is_mark(c) {
                start = Some(i);
            } else if let Some(s) = start.take() {
                words.push((s, i));
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        Words { text, words }
    }

    fn len(&self) -> usize {
        self.words.len()
    }

    fn word(&self, i: usize) -> &'a str {
        self.words
            .get(i)
            .and_then(|&(s, e)| self.text.get(s..e))
            .unwrap_or("")
    }

    /// The separator between word i and word i + 1.
    fn gap(&self, i: usize) -> &'a str {
        match (self.words.get(i), self.words.get(i + 1)) {
            (Some(&(_, e)), Some(&(s, _))) => self.text.get(e..s).unwrap_or(""),
            _ => "",
        }
    }

    fn matches_at(&self, first: usize, tag: &[&str]) -> bool {
        tag.iter()
            .enumerate()
            .all(|(k, t)| first + k < self.words.len() && self.word(first + k) == *t)
    }

    /// The text from word `lo` to the end of word `hi - 1` (the whole
    /// text's start or end where nothing was cut there).
    fn between(&self, lo: usize, hi: usize) -> &'a str {
        let s = if lo > 0 {
            self.words.get(lo).map_or(0, |w| w.0)
        } else {
            0
        };
        let e = if hi < self.words.len() {
            hi.checked_sub(1)
                .and_then(|i| self.words.get(i))
                .map_or(self.text.len(), |w| w.1)
        } else {
            self.text.len()
        };
        self.text.get(s..e.max(s)).unwrap_or(self.text)
    }
}

/// Punctuation and symbols to spaces, combining marks with nothing to attach
/// to deleted. `-`, `/` and `&` stay between two words
/// (88-1号, c/o, AT&T). Spanish "C/ Mayor" becomes "calle mayor", French
/// "n°" becomes "no".
fn clean_punctuation(text: &str) -> Vec<char> {
    let s: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(s.len() + 8);
    let at = |i: usize| s.get(i).copied();
    // Whether the previous input character was written out as a word char.
    let mut prev_word = false;
    for (i, &c) in s.iter().enumerate() {
        let next = at(i + 1);
        // The previous character as written out, when it was a word char,
        // and whether a word char was written before that one.
        let prev = if prev_word { out.last().copied() } else { None };
        let word_start_before = out
            .len()
            .checked_sub(2)
            .and_then(|k| out.get(k))
            .is_none_or(|&b| !is_word(b));
        if is_mark(c) {
            if prev_word {
                out.push(c);
            }
            continue;
        }
        if is_word(c) {
            out.push(c);
            prev_word = true;
            continue;
        }
        prev_word = false;
        if c == '/' && prev == Some('c') && word_start_before {
            let care_of = next == Some('o')
                && !at(i + 2).is_some_and(|c| is_mark(c) || (c.is_alphabetic() && !is_cjk(c)));
            if !care_of {
                out.extend("alle ".chars());
                continue;
            }
        }
        if c == '°' && prev == Some('n') && word_start_before {
            out.push('o');
            prev_word = true;
            continue;
        }
        if matches!(c, '-' | '/' | '&')
            && prev.is_some()
            && next.is_some_and(|n| n.is_alphanumeric() && !is_mark(n))
        {
            out.push(c);
            continue;
        }
        out.push(' ');
    }
    out
}

/// Trims, collapses runs of spaces and removes spaces next to CJK characters
/// (北京市 朝阳区 → 北京市朝阳区, 88 号 → 88号).
fn collapse_spaces(s: &[char]) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    let mut pending = false;
    for &c in s {
        if c.is_whitespace() {
            pending = !out.is_empty();
            continue;
        }
        if pending {
            pending = false;
            // Marks (the kana voicing mark is one) count as their base.
            let base_before = out.iter().rev().find(|&&l| !is_mark(l));
            if !is_cjk(c) && !base_before.is_some_and(|&l| is_cjk(l)) {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

#[inline]
fn starts_with_at(s: &[char], i: usize, pat: &[char]) -> bool {
    s.get(i..i + pat.len()).is_some_and(|w| w == pat)
}

#[inline]
fn starts_with_str(s: &[char], i: usize, pat: &str) -> bool {
    (i..).zip(pat.chars()).all(|(k, p)| s.get(k) == Some(&p))
}

/// The longest administrative name starting at `i`.
fn match_place(s: &[char], i: usize) -> Option<usize> {
    let pl = places();
    let first = s.get(i)?;
    pl.by_first.get(first)?.iter().copied().find(|&k| {
        pl.places
            .get(k)
            .is_some_and(|p| starts_with_at(s, i, &p.name))
    })
}

/// Skips the suffixes (市, 省, 自治区, 市辖区 …) after a name ending at `i`.
/// A one-character suffix followed by a protected continuation (市府路,
/// 市场) is part of the next word and stays.
fn skip_suffixes(s: &[char], mut i: usize, place: &Place) -> usize {
    'outer: loop {
        for suf in &place.suffixes {
            if !starts_with_at(s, i, suf) {
                continue;
            }
            if suf.len() == 1
                && PROTECTED_AFTER_SUFFIX
                    .iter()
                    .any(|p| starts_with_str(s, i + 1, p))
            {
                continue;
            }
            i += suf.len();
            continue 'outer;
        }
        return i;
    }
}

fn country_tag_at(s: &[char], i: usize) -> Option<usize> {
    ["中华人民共和国", "中国"]
        .iter()
        .find(|t| starts_with_str(s, i, t))
        .map(|t| t.chars().count())
}

/// At the start of every Han run: drops 中国 / 中华人民共和国 before a known
/// place name, drops a province followed by one of its prefecture-level
/// divisions, and drops the suffix of the remaining province or city
/// (浙江省杭州市余杭区 → 杭州余杭区, 上海市浦东新区 → 上海浦东新区).
fn fold_admin_levels(s: &[char]) -> Vec<char> {
    let pl = places();
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    let mut i = 0usize;
    while let Some(&c) = s.get(i) {
        let run_start = is_han(c) && !out.last().is_some_and(|&l| is_han(l));
        if !run_start {
            out.push(c);
            i += 1;
            continue;
        }
        // Country tags, possibly repeated, go when a place name follows.
        let mut j = i;
        while let Some(len) = country_tag_at(s, j) {
            j += len;
        }
        if j > i && match_place(s, j).is_some() {
            i = j;
        }
        // Province, then city: keep the lowest known level, without suffix.
        let mut folded = false;
        while let Some(place) = match_place(s, i).and_then(|k| pl.places.get(k)) {
            let q = skip_suffixes(s, i + place.name.len(), place);
            if let Some(prov) = place.province {
                if let Some(city) = match_place(s, q).and_then(|k| pl.places.get(k)) {
                    let own_city = city.parents.contains(&prov);
                    // 北京北京市 drops the first 北京; 天津天津大道 keeps it.
                    let same = city.name == place.name;
                    let end = q + city.name.len();
                    if own_city && (!same || skip_suffixes(s, end, city) > end) {
                        i = q;
                        continue;
                    }
                }
            }
            out.extend_from_slice(&place.name);
            i = q;
            folded = true;
            break;
        }
        if !folded {
            if let Some(&c) = s.get(i) {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[inline]
fn han_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

#[inline]
fn han_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

#[inline]
fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || han_digit(c).is_some() || han_unit(c).is_some()
}

/// Chinese numerals to ASCII digits: positional (一零二 → 102) or counted
/// (一百零二 → 102, 十二 → 12, 两百五 → 250). `None` for malformed counts.
fn han_number(run: &[char]) -> Option<String> {
    if !run.iter().any(|&c| han_unit(c).is_some()) {
        return run
            .iter()
            .map(|&c| han_digit(c).and_then(|d| char::from_digit(d as u32, 10)))
            .collect();
    }
    let mut total: u64 = 0;
    let mut pending: Option<u64> = None;
    let mut last_unit: Option<u64> = None;
    let mut zero = false;
    for &c in run {
        if let Some(d) = han_digit(c) {
            if pending.is_some() {
                return None;
            }
            if d == 0 {
                zero = true;
            } else {
                pending = Some(d);
            }
        } else {
            let u = han_unit(c)?;
            if last_unit.is_some_and(|l| u >= l) {
                return None;
            }
            let m = match pending.take() {
                Some(d) => d,
                None if u == 10 => 1,
                None => return None,
            };
            total += m * u;
            last_unit = Some(u);
            zero = false;
        }
    }
    if let Some(d) = pending {
        // 一百一 is 110 and 三千五 is 3500, but 一百零一 is 101.
        total += match last_unit {
            Some(u) if u >= 100 && !zero => d * (u / 10),
            _ => d,
        };
    }
    Some(total.to_string())
}

fn unit_after(s: &[char], j: usize) -> bool {
    s.get(j).is_some_and(|c| UNIT_CHARS.contains(c)) || starts_with_str(s, j, "单元")
}

/// Numbers before a counting unit become ASCII digits and lose an ordinal 第:
/// 八十八号 → 88号, 十二楼 → 12楼, 一零二室 → 102室, 第三层 → 3层. Numerals not
/// followed by a unit (三里屯, 五道口, 二七区) and runs mixing both scripts
/// stay as they are.
fn convert_numerals(s: &[char]) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    let mut i = 0usize;
    while let Some(&c) = s.get(i) {
        if !is_numeral(c) {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while s.get(j).is_some_and(|&c| is_numeral(c)) {
            j += 1;
        }
        let run = s.get(i..j).unwrap_or(&[]);
        let has_ascii = run.iter().any(char::is_ascii_digit);
        let has_han = run.iter().any(|c| !c.is_ascii_digit());
        let digits = if !unit_after(s, j) || (has_ascii && has_han) {
            None
        } else if has_han {
            han_number(run)
        } else {
            Some(run.iter().collect())
        };
        match digits {
            Some(d) => {
                let ordinals = out.iter().rev().take_while(|&&c| c == '第').count();
                let before = out.len() - ordinals;
                let keep = before
                    .checked_sub(1)
                    .and_then(|k| out.get(k))
                    .is_some_and(|&c| is_numeral(c));
                if !keep {
                    out.truncate(before);
                }
                out.extend(d.chars());
            }
            None => out.extend_from_slice(run),
        }
        i = j;
    }
    out
}

#[inline]
fn starts_with_digit(t: &str) -> bool {
    t.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// US ZIP code: 12345 or 12345-6789.
fn is_zip(t: &str) -> bool {
    let b = t.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    match b.len() {
        5 => digits(b),
        10 => {
            b.get(5) == Some(&b'-')
                && b.get(..5).is_some_and(digits)
                && b.get(6..).is_some_and(digits)
        }
        _ => false,
    }
}

fn lookup(table: &[(&'static str, &'static str)], t: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == t).map(|(_, v)| *v)
}

/// Letters (not CJK), combining marks and hyphens: what a German street
/// name before "straße" is made of.
fn is_latin_word_char(c: char) -> bool {
    c == '-' || ((c.is_alphabetic() || is_mark(c)) && !is_cjk(c))
}

/// German street suffix: Hauptstr / Hauptstrasse / Haupt-Straße → hauptstraße.
fn german_street(t: &str) -> Option<String> {
    if t == "str" || t == "strasse" || t == "straße" {
        return Some("straße".to_string());
    }
    let stem = t
        .strip_suffix("strasse")
        .or_else(|| t.strip_suffix("straße"))
        .or_else(|| t.strip_suffix("str"))?;
    if stem.is_empty() || !stem.chars().all(is_latin_word_char) {
        return None;
    }
    let stem = stem.strip_suffix('-').unwrap_or(stem);
    let out = format!("{stem}straße");
    if out == t {
        None
    } else {
        Some(out)
    }
}

/// Token rules for the Latin-script part: number words dropped before a
/// number, abbreviations and compass points expanded, German street names
/// joined.
fn expand_tokens(text: &str) -> String {
    let raw: Vec<&str> = text.split(' ').filter(|t| !t.is_empty()).collect();
    // Right to left: "No. 5" → "5".
    let mut kept: Vec<&str> = Vec::with_capacity(raw.len());
    for &t in raw.iter().rev() {
        let before_number = kept.last().is_some_and(|n| starts_with_digit(n));
        if before_number && NUMBER_WORDS.contains(&t) {
            continue;
        }
        kept.push(t);
    }
    kept.reverse();

    let mut out: Vec<String> = Vec::with_capacity(kept.len());
    for (idx, &t) in kept.iter().enumerate() {
        let next = kept.get(idx + 1).copied();
        let prev = out.last().map(String::as_str);
        let prev_number = prev.is_some_and(starts_with_digit);
        let next_number = next.is_some_and(starts_with_digit);
        let before_zip = next.is_some_and(is_zip);
        let word: Option<String> = match t {
            // "St James", "12 St Mary Rd": saint; "Market St": street.
            "st" | "dr" => {
                let title = next.is_some()
                    && (prev.is_none()
                        || prev_number
                        || prev.is_some_and(|p| STREET_TYPES.contains(&p)));
                Some(
                    match (t, title) {
                        ("st", true) => "saint",
                        ("st", false) => "street",
                        (_, true) => "doctor",
                        _ => "drive",
                    }
                    .to_string(),
                )
            }
            _ if before_zip && STATE_CODES.contains(&t) => None,
            "fl" | "flr" => (prev_number || next_number).then(|| "floor".to_string()),
            "ct" => Some("court".to_string()),
            "mt" => Some("mount".to_string()),
            _ => {
                if let Some(w) = lookup(ABBREVIATIONS, t) {
                    Some(w.to_string())
                } else if let Some(w) = lookup(DIRECTIONS, t) {
                    let unit_label = prev.is_some_and(|p| UNIT_WORDS.contains(&p));
                    (!unit_label).then(|| w.to_string())
                } else {
                    german_street(t)
                }
            }
        };
        let word = word.unwrap_or_else(|| t.to_string());
        if word == "straße" {
            if let Some(p) = out.last_mut() {
                let joinable =
                    p.chars().all(is_latin_word_char) && !GERMAN_LINKS.contains(&p.as_str());
                if joinable {
                    p.push_str("straße");
                    continue;
                }
            }
        }
        out.push(word);
    }
    out.join(" ")
}

#[cfg(test)]
mod tests;
