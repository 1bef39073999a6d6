//! Blocking keys: the values two records must share before batch detection
//! or the realtime trigger compares them.
//!
//! Each key is a short prefix naming its kind and a normalized value:
//!
//! | prefix | from | example |
//! |---|---|---|
//! | `p:` | a phone number, E.164 (its digits when not valid) | `p:+8613800138000` |
//! | `e:` | an e-mail's mailbox key | `e:zhangwei@gmail.com` |
//! | `i:` | an ID / credit code, normalized | `i:11010519491231002X` |
//! | `k:` | each half of an ID (a typo leaves one half) | `k:-491231002X` |
//! | `n:` `t:` `j:` `dm:` | a person's name ([`name_keys`]): normalized, readings (pinyin) sorted and joined, Double Metaphone | `t:wei zhang` |
//! | `c:` | an organisation's core name; a person's employer with the person's initials | `c:华为技术`, `c:华为技术|wz` |
//! | `o:` | an organisation's first word (first three characters in Chinese) | `o:德新博`, `o:norcorp` |
//! | `a:` | an address prefix with the name's initials; the address's end (when it holds digits) with the initials | `a:北京市海淀区|wz`, `a:wz|4单元1602室` |
//! | `q:` | each half of a phone number's last 10 digits with the name's initials (a typo leaves one half) | `q:wz|38001-` |
//! | `b:` | a date of birth with one initial of the name | `b:19560409|w` |
//!
//! The same keys are stored per record (`mdm.record_keys`, GIN-indexed) so
//! that one record's candidates are an index lookup away, and computed in
//! memory by batch detection: one function makes both.

pub mod sql;

use crate::error::MdmError;
use crate::gucs;
use crate::normalize::keys::{name_keys, name_readings};
use crate::pg::parallel::map_chunks;
use crate::pg::progress::Progress;
use crate::record::roles::{Prepared, Role};
use crate::record::{prepare_all, PreparedRecord, Record};

/// Keys longer than this many characters are cut (a GIN entry must stay
/// small; a 100-character prefix is as selective as the whole value).
const MAX_KEY_CHARS: usize = 100;
/// Name keys kept per name: a long name full of heteronyms has many
/// reading combinations; the first (most common readings) are enough.
const MAX_NAME_KEYS: usize = 8;
/// Digits a phone number needs to be a key (shorter ones are extensions
/// or junk that would join unrelated records).
const MIN_PHONE_KEY_DIGITS: usize = 7;
/// Characters of the normalized address in the `a:` key.
const ADDRESS_PREFIX_CHARS: usize = 12;

fn push(keys: &mut Vec<String>, prefix: &str, value: &str) {
    let mut k = String::with_capacity(prefix.len() + value.len());
    k.push_str(prefix);
    // Control characters (none survive normalization) never reach a key:
    // register joins keys with one.
    k.extend(
        value
            .chars()
            .take(MAX_KEY_CHARS)
            .map(|c| if c.is_control() { ' ' } else { c }),
    );
    keys.push(k);
}

/// The initials of a name's first reading, sorted: 张伟, 'Zhang Wei' and
/// 'WEI Zhang' all give `wz`.
fn initials(raw_name: &str) -> Option<String> {
    let reading = name_readings(raw_name).into_iter().next()?;
    let words: Vec<&str> = reading.split(' ').filter(|w| !w.is_empty()).collect();
    // A middle initial ('John A. Davies') is often left out: only words of
    // two or more letters count, when there are two of them.
    let long: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.chars().count() > 1)
        .collect();
    let used = if long.len() >= 2 { long } else { words };
    let mut letters: Vec<char> = used.iter().filter_map(|w| w.chars().next()).collect();
    letters.sort_unstable();
    (!letters.is_empty()).then(|| letters.into_iter().collect())
}

/// The first word of an organisation's core name (the first three
/// characters of a Chinese one), when the core has more than that.
fn brand(core: &str) -> Option<String> {
    if crate::normalize::cjk::has_han(core) {
        let chars: Vec<char> = core.chars().filter(|c| !c.is_whitespace()).collect();
        return (chars.len() > 3).then(|| chars[..3].iter().collect());
    }
    let mut words = core.split_whitespace();
    let first = words.next()?;
    (words.next().is_some() && first.chars().count() >= 3).then(|| first.to_string())
}

/// The blocking keys of a prepared record, sorted and without duplicates.
/// `raw_names` are the record's (person) name values as written: name keys
/// are built from them.
pub fn record_keys(r: &PreparedRecord, raw_names: &[String]) -> Vec<String> {
    let mut keys = Vec::new();
    let mut name_initials: Vec<String> = Vec::new();
    for raw in raw_names {
        if let Some(ks) = name_keys(raw) {
            for k in ks.into_iter().take(MAX_NAME_KEYS) {
                push(&mut keys, "", &k);
            }
        }
        name_initials.extend(initials(raw));
    }
    name_initials.sort_unstable();
    name_initials.dedup();
    let mut letters: Vec<char> = name_initials.iter().flat_map(|i| i.chars()).collect();
    letters.sort_unstable();
    letters.dedup();
    for p in &r.values[Role::Phone.index()] {
        phone_keys(&mut keys, p, &name_initials);
    }
    for p in &r.values[Role::Email.index()] {
        if let Prepared::Email { key } = p {
            if key.contains('@') {
                push(&mut keys, KeyKind::Email.prefix(), key);
            }
        }
    }
    for p in &r.values[Role::IdNumber.index()] {
        id_keys(&mut keys, p);
    }
    for p in &r.values[Role::Company.index()] {
        company_keys(&mut keys, p, &name_initials);
    }
    for p in &r.values[Role::Address.index()] {
        address_keys(&mut keys, p, &name_initials);
    }
    for p in &r.values[Role::BirthDate.index()] {
        if let Prepared::Birth(d) = p {
            // Each initial on its own: a typo in one name keeps the other.
            for l in &letters {
                push(&mut keys, KeyKind::Birth.prefix(), &format!("{d}|{l}"));
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// A phone number's key, and each half of its last 10 digits (a national
/// number without its country code) with the name's initials: a mistyped
/// digit leaves one half intact.
fn phone_keys(keys: &mut Vec<String>, p: &Prepared, name_initials: &[String]) {
    let Prepared::Phone(f) = p else { return };
    if f.digits.len() < MIN_PHONE_KEY_DIGITS {
        return;
    }
    push(
        keys,
        KeyKind::Phone.prefix(),
        f.e164.as_deref().unwrap_or(&f.digits),
    );
    let d = &f.digits[f.digits.len().saturating_sub(10)..];
    let (head, tail) = d.split_at(d.len() / 2);
    for ini in name_initials {
        push(keys, KeyKind::PhoneHalf.prefix(), &format!("{ini}|{head}-"));
        push(keys, KeyKind::PhoneHalf.prefix(), &format!("{ini}|-{tail}"));
    }
}

/// An ID's key and its halves: a mistyped or swapped character leaves one
/// half intact; the halves overlap in the middle of an odd length. The
/// head of a long ID (a resident ID, a credit code) is a region and a date
/// that many share: only its tail counts.
fn id_keys(keys: &mut Vec<String>, p: &Prepared) {
    let Prepared::Id { number, .. } = p else {
        return;
    };
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 6 {
        return;
    }
    push(keys, KeyKind::Id.prefix(), number);
    let half = chars.len().div_ceil(2);
    let head: String = chars[..half].iter().collect();
    let tail: String = chars[chars.len() - half..].iter().collect();
    push(keys, KeyKind::IdHalf.prefix(), &format!("-{tail}"));
    if chars.len() < 15 {
        push(keys, KeyKind::IdHalf.prefix(), &format!("{head}-"));
    }
}

/// An organisation's keys: its own name, and its first word (its first
/// three characters in Chinese), which short names (德新博 for 德新博文化传媒,
/// Norcorp for Norcorp Labs) keep. A person's employer: colleagues share
/// it, so it blocks with the person's initials.
fn company_keys(keys: &mut Vec<String>, p: &Prepared, name_initials: &[String]) {
    let Prepared::Company(c) = p else { return };
    if name_initials.is_empty() {
        push(keys, KeyKind::Company.prefix(), &c.core);
        if let Some(brand) = brand(&c.core) {
            push(keys, KeyKind::OrgWord.prefix(), &brand);
        }
    } else {
        for ini in name_initials {
            push(
                keys,
                KeyKind::Company.prefix(),
                &format!("{}|{ini}", c.core),
            );
        }
    }
}

/// An address prefix with the name's initials, and the end of the address
/// (a postcode and state, a building and room) with the initials: a typo
/// early in the address keeps this one. Only an end with digits: a city
/// name alone ("münchen") is shared by too many.
fn address_keys(keys: &mut Vec<String>, p: &Prepared, name_initials: &[String]) {
    let Prepared::Address(a) = p else { return };
    let chars: Vec<char> = a.chars().collect();
    let prefix: String = chars.iter().take(ADDRESS_PREFIX_CHARS).collect();
    for ini in name_initials {
        push(keys, KeyKind::Address.prefix(), &format!("{prefix}|{ini}"));
    }
    if chars.len() > ADDRESS_PREFIX_CHARS {
        let suffix: String = chars[chars.len() - ADDRESS_PREFIX_CHARS..].iter().collect();
        let digits = suffix.chars().filter(char::is_ascii_digit).count();
        for ini in name_initials.iter().filter(|_| digits >= 2) {
            push(keys, KeyKind::Address.prefix(), &format!("{ini}|{suffix}"));
        }
    }
}

/// The blocking keys of a record (prepared with every role).
pub fn keys_of(r: &Record, region: phonenumber::country::Id) -> Vec<String> {
    record_keys(&prepare_all(r, region), &r.values[Role::Name.index()])
}

/// The blocking keys of many records, on the worker threads (each prepared
/// record is dropped as soon as its keys are made).
pub fn all_record_keys(
    records: &[Record],
    region: phonenumber::country::Id,
    progress: &mut Progress,
) -> Result<Vec<Vec<String>>, MdmError> {
    progress.phase("making blocking keys", records.len());
    map_chunks(
        records.len(),
        gucs::workers(),
        |range| range.map(|i| keys_of(&records[i], region)).collect(),
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)
}

/// The kinds of blocking key, each with its prefix and its strength. This
/// is the one list of them: batch detection, training, the realtime
/// trigger and the view `mdm.blocking_stats` (through `mdm._key_cap`) ask
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `p:` a phone number.
    Phone,
    /// `e:` an e-mail's mailbox key.
    Email,
    /// `i:` an ID or credit code.
    Id,
    /// `k:` a half of an ID.
    IdHalf,
    /// `n:` a normalized person's name.
    Name,
    /// `t:` a name's readings, sorted and joined.
    NameReading,
    /// `j:` a name's readings joined in order.
    NameJoined,
    /// `dm:` a name's Double Metaphone code.
    NameMetaphone,
    /// `c:` an organisation's core name, or an employer with initials.
    Company,
    /// `o:` an organisation's first word.
    OrgWord,
    /// `a:` an address prefix or end with initials.
    Address,
    /// `q:` a half of a phone number with initials.
    PhoneHalf,
    /// `b:` a birth date with an initial.
    Birth,
}

impl KeyKind {
    pub const ALL: [KeyKind; 13] = [
        KeyKind::Phone,
        KeyKind::Email,
        KeyKind::Id,
        KeyKind::IdHalf,
        KeyKind::Name,
        KeyKind::NameReading,
        KeyKind::NameJoined,
        KeyKind::NameMetaphone,
        KeyKind::Company,
        KeyKind::OrgWord,
        KeyKind::Address,
        KeyKind::PhoneHalf,
        KeyKind::Birth,
    ];

    /// The kind's tag: its keys start with the tag and a colon.
    pub const fn tag(self) -> &'static str {
        match self {
            KeyKind::Phone => "p",
            KeyKind::Email => "e",
            KeyKind::Id => "i",
            KeyKind::IdHalf => "k",
            KeyKind::Name => "n",
            KeyKind::NameReading => "t",
            KeyKind::NameJoined => "j",
            KeyKind::NameMetaphone => "dm",
            KeyKind::Company => "c",
            KeyKind::OrgWord => "o",
            KeyKind::Address => "a",
            KeyKind::PhoneHalf => "q",
            KeyKind::Birth => "b",
        }
    }

    /// The prefix of the kind's keys (`p:`).
    pub const fn prefix(self) -> &'static str {
        match self {
            KeyKind::Phone => "p:",
            KeyKind::Email => "e:",
            KeyKind::Id => "i:",
            KeyKind::IdHalf => "k:",
            KeyKind::Name => "n:",
            KeyKind::NameReading => "t:",
            KeyKind::NameJoined => "j:",
            KeyKind::NameMetaphone => "dm:",
            KeyKind::Company => "c:",
            KeyKind::OrgWord => "o:",
            KeyKind::Address => "a:",
            KeyKind::PhoneHalf => "q:",
            KeyKind::Birth => "b:",
        }
    }

    /// The kind of a tag (`p`), if it is one.
    pub fn from_tag(tag: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    /// The kind of a key, from its prefix.
    pub fn of(key: &str) -> Option<KeyKind> {
        KeyKind::from_tag(key_kind(key))
    }

    /// A name alone: weak evidence in a big block (namesakes).
    pub fn is_name(self) -> bool {
        matches!(
            self,
            KeyKind::Name | KeyKind::NameReading | KeyKind::NameJoined | KeyKind::NameMetaphone
        )
    }

    /// Weak on its own in a big block: a name alone, an address or a phone
    /// half with initials (families and offices share them), an
    /// organisation's first word. Their blocks are capped lower.
    pub fn is_weak(self) -> bool {
        self.is_name()
            || matches!(
                self,
                KeyKind::Address | KeyKind::PhoneHalf | KeyKind::OrgWord
            )
    }

    /// The same phone, e-mail or ID: training estimates the other roles on
    /// pairs that share one.
    pub fn is_contact(self) -> bool {
        matches!(self, KeyKind::Phone | KeyKind::Email | KeyKind::Id)
    }

    /// The cap of a block of this kind: `max_block` records, and for a weak
    /// kind a tenth of it (at least 3), shrinking with the fourth root of
    /// the table's size above 100,000 rows (6 at 1M rows): such a block of
    /// k records makes k(k-1)/2 pairs that are mostly namesakes,
    /// neighbours or colleagues, and a bigger table has more of them.
    pub fn cap(self, max_block: usize, table_rows: usize) -> usize {
        if self.is_weak() {
            let scale = (100_000.0 / table_rows.max(1) as f64).powf(0.25).min(1.0);
            ((max_block as f64 / 10.0 * scale).round() as usize).max(3)
        } else {
            max_block
        }
    }
}

/// The cap of a key's block (see [`KeyKind::cap`]); a key of no known kind
/// is capped at `max_block`.
pub fn cap(key: &str, max_block: usize, table_rows: usize) -> usize {
    KeyKind::of(key).map_or(max_block, |k| k.cap(max_block, table_rows))
}

/// Whether a key is a name alone (`n:`, `t:`, `j:`, `dm:`).
pub fn is_name_key(key: &str) -> bool {
    KeyKind::of(key).is_some_and(KeyKind::is_name)
}

/// Whether a key is weak on its own in a big block (see [`KeyKind::is_weak`]).
pub fn is_weak_key(key: &str) -> bool {
    KeyKind::of(key).is_some_and(KeyKind::is_weak)
}

/// The tag of a key: its prefix without the colon (`p`, `e`, `i`, `n`,
/// `t`, `j`, `dm`, `c`, `a`).
pub fn key_kind(key: &str) -> &str {
    key.split_once(':').map_or("", |(k, _)| k)
}

/// Whether a key is a contact key (see [`KeyKind::is_contact`]).
pub fn is_contact_key(key: &str) -> bool {
    KeyKind::of(key).is_some_and(KeyKind::is_contact)
}

/// What kinds of key two records' sorted key lists share: (a contact key,
/// a name key, another key). Training sorts candidate pairs into its
/// sessions by them.
pub fn shared_kinds(a: &[String], b: &[String]) -> (bool, bool, bool) {
    let (mut i, mut j) = (0, 0);
    let (mut contact, mut name, mut other) = (false, false, false);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if is_contact_key(&a[i]) {
                    contact = true;
                } else if is_name_key(&a[i]) {
                    name = true;
                } else {
                    other = true;
                }
                i += 1;
                j += 1;
            }
        }
    }
    (contact, name, other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(v: serde_json::Value) -> Vec<String> {
        let r = Record::from_json("a", &v).unwrap_or_default();
        let p = prepare_all(&r, phonenumber::country::Id::CN);
        record_keys(&p, &r.values[Role::Name.index()])
    }

    #[test]
    fn spellings_of_one_customer_share_keys() {
        let a = keys(json!({"name": "張偉", "phone": "+86 138 0013 8000",
                            "email": "Zhang.Wei+crm@Gmail.com", "address": "北京市海淀区中关村大街1号"}));
        let b = keys(json!({"name": "Zhang Wei", "phone": "13800138000",
                            "email": "zhangwei@gmail.com", "address": "北京海淀区中关村大街1号"}));
        assert!(a.contains(&"p:+8613800138000".to_string()), "{a:?}");
        assert!(a.iter().any(|k| k.starts_with("e:")), "{a:?}");
        for shared in ["p:+8613800138000", "t:wei zhang"] {
            assert!(
                a.contains(&shared.to_string()) && b.contains(&shared.to_string()),
                "{shared}: {a:?} {b:?}"
            );
        }
        assert!(
            a.iter().any(|k| k.starts_with("a:") && k.ends_with("|wz")),
            "{a:?}"
        );
    }

    #[test]
    fn typo_employer_organisation_and_birth_keys() {
        let a = keys(json!({"name": "张伟", "phone": "13800138000"}));
        // A mistyped phone digit keeps one half: the q: keys still meet.
        let c = keys(json!({"name": "张伟", "phone": "13800138001"}));
        assert!(
            c.iter().any(|k| k.starts_with("q:") && a.contains(k)),
            "{c:?} {a:?}"
        );
        // Employers block with the initials; a birth date with each initial.
        let d = keys(
            json!({"name": "张伟", "company": "北京华为技术有限公司", "birth_date": "1990-01-02"}),
        );
        assert!(d.contains(&"c:华为技术|wz".to_string()), "{d:?}");
        assert!(d.contains(&"b:19900102|w".to_string()), "{d:?}");
        // An organisation blocks by its core name and its first characters.
        let org = |name: &str| {
            let mut r = Record::from_json("a", &json!({ "name": name })).unwrap_or_default();
            r.organise();
            record_keys(&prepare_all(&r, phonenumber::country::Id::CN), &r.values[0])
        };
        assert_eq!(
            org("北京华为技术有限公司"),
            vec!["c:华为技术".to_string(), "o:华为技".to_string()]
        );
        assert!(org("杭州市德新博文化传媒有限公司").contains(&"o:德新博".to_string()));
        assert_eq!(brand("norcorp labs"), Some("norcorp".to_string()));
        assert_eq!(brand("norcorp"), None);
    }

    #[test]
    fn middle_initials_do_not_change_the_initials() {
        assert_eq!(initials("John A. Davies").as_deref(), Some("dj"));
        assert_eq!(initials("John Davies").as_deref(), Some("dj"));
        assert_eq!(initials("张伟").as_deref(), Some("wz"));
    }

    #[test]
    fn short_and_empty_values_make_no_keys() {
        assert!(keys(json!({"phone": "123", "email": "nobody", "id_number": "12"})).is_empty());
        assert!(keys(json!({})).is_empty());
    }

    #[test]
    fn keys_are_sorted_unique_and_short() {
        let long = "王".repeat(500);
        let k = keys(json!({"name": long.clone(), "company": format!("{long}有限公司")}));
        assert!(k.windows(2).all(|w| w[0] < w[1]), "{k:?}");
        assert!(k.iter().all(|k| k.chars().count() <= MAX_KEY_CHARS + 3));
        assert_eq!(key_kind("p:+86"), "p");
        assert!(is_contact_key("e:x@y") && !is_contact_key("t:wei zhang"));
        assert!(is_name_key("t:wei zhang") && !is_name_key("a:x|wz"));
        assert!(is_weak_key("a:x|wz") && is_weak_key("o:norcorp") && !is_weak_key("p:+86"));
    }

    #[test]
    fn key_kinds_round_trip_and_caps() {
        for k in KeyKind::ALL {
            assert_eq!(KeyKind::from_tag(k.tag()), Some(k));
            assert_eq!(k.prefix(), format!("{}:", k.tag()));
        }
        assert!(is_weak_key("n:张伟") && is_weak_key("q:wz|38001-") && !is_weak_key("p:+86"));
        assert!(is_contact_key("e:a@b.cn") && !is_contact_key("c:华为"));
        assert_eq!(cap("p:+8613800138000", 100, 1_000_000), 100);
        assert_eq!(cap("n:张伟", 100, 50_000), 10);
        assert_eq!(cap("n:张伟", 100, 1_000_000), 6);
        assert_eq!(cap("a:x|wz", 20, 10_000_000), 3);
        assert_eq!(cap("zz:unknown", 100, 10), 100);
    }

    #[test]
    fn shared_kinds_of_sorted_keys() {
        let a: Vec<String> = ["a:x|wz", "n:张伟", "p:+86138"].map(String::from).to_vec();
        let b: Vec<String> = ["n:张伟", "p:+86138"].map(String::from).to_vec();
        assert_eq!(shared_kinds(&a, &b), (true, true, false));
        let c: Vec<String> = ["a:x|wz"].map(String::from).to_vec();
        assert_eq!(shared_kinds(&a, &c), (false, false, true));
    }
}
