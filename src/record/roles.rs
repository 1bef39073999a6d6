//! The roles a record can hold and how a value of each role is prepared for
//! comparison (normalized once, however many values it meets). What a
//! comparison of two prepared values establishes is `model::facts`.

use phonenumber::country::Id;

use crate::normalize::{address, date, email, ids, text};
use crate::similarity::fields::{
    prepare_company, prepare_name, prepare_phone, CompanyForm, NameForm, PhoneForm,
};

/// The roles of a record, in the order the output lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Name,
    Company,
    Phone,
    Email,
    Address,
    IdNumber,
    BirthDate,
    Kind,
    UpdatedAt,
}

/// The number of roles.
pub const ROLES: usize = 9;

impl Role {
    pub const ALL: [Role; ROLES] = [
        Role::Name,
        Role::Company,
        Role::Phone,
        Role::Email,
        Role::Address,
        Role::IdNumber,
        Role::BirthDate,
        Role::Kind,
        Role::UpdatedAt,
    ];

    /// The role's key in records and models.
    pub fn key(self) -> &'static str {
        match self {
            Role::Name => "name",
            Role::Company => "company",
            Role::Phone => "phone",
            Role::Email => "email",
            Role::Address => "address",
            Role::IdNumber => "id_number",
            Role::BirthDate => "birth_date",
            Role::Kind => "kind",
            Role::UpdatedAt => "updated_at",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the role tells customers apart (a table must map one):
    /// every role but the birth date, the kind and the update time.
    pub fn identifies(self) -> bool {
        !matches!(self, Role::BirthDate | Role::Kind | Role::UpdatedAt)
    }

    /// Whether a level of this role may test a similarity threshold.
    pub fn has_similarity(self) -> bool {
        !matches!(self, Role::Kind | Role::UpdatedAt)
    }
}

/// The kind of a valid identity number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// 18-character PRC resident identity card number.
    Resident,
    /// 18-character unified social credit code.
    CreditCode,
}

/// One value of a role, prepared for comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Prepared {
    Name(NameForm),
    Company(CompanyForm),
    Phone(PhoneForm),
    Email {
        key: String,
    },
    Address(String),
    Id {
        number: String,
        valid: Option<IdKind>,
    },
    /// A date of birth as its 8 digits YYYYMMDD (kept when the date is
    /// impossible: a typo in a birth date is still evidence).
    Birth(String),
    Kind(String),
    Date {
        text: String,
        days: f64,
    },
}

/// `kind` values that mean the same thing, folded to `person` or `company`.
fn canonical_kind(normalized: String) -> String {
    const PERSON: &[&str] = &[
        "person",
        "individual",
        "private",
        "consumer",
        "个人",
        "自然人",
    ];
    const COMPANY: &[&str] = &[
        "company",
        "organization",
        "organisation",
        "business",
        "corporate",
        "enterprise",
        "企业",
        "公司",
        "单位",
        "机构",
    ];
    if PERSON.contains(&normalized.as_str()) {
        "person".into()
    } else if COMPANY.contains(&normalized.as_str()) {
        "company".into()
    } else {
        normalized
    }
}

/// Digits a phone number needs before it counts as a value.
const MIN_PHONE_DIGITS: usize = 5;

/// Prepares one raw value of `role`; `None` when nothing usable is left
/// after normalization (an empty name, a phone without digits, a date that
/// is not a date), which the comparison treats like a missing value.
pub fn prepare(role: Role, raw: &str, region: Id) -> Option<Prepared> {
    match role {
        Role::Name => prepare_name(raw).map(Prepared::Name),
        Role::Company => prepare_company(raw).map(Prepared::Company),
        Role::Phone => {
            let p = prepare_phone(raw, region);
            (p.digits.len() >= MIN_PHONE_DIGITS).then_some(Prepared::Phone(p))
        }
        Role::Email => email::email_key(raw)
            .or_else(|| text::normalize_text(raw))
            .map(|key| Prepared::Email { key }),
        Role::Address => address::normalize_address(raw).map(Prepared::Address),
        Role::IdNumber => ids::normalize_id_number(raw).map(|number| {
            let valid = if ids::is_valid_cn_resident_id(&number) {
                Some(IdKind::Resident)
            } else if ids::is_valid_credit_code(&number) {
                Some(IdKind::CreditCode)
            } else {
                None
            };
            Prepared::Id { number, valid }
        }),
        Role::BirthDate => birth_digits(raw).map(Prepared::Birth),
        Role::Kind => text::normalize_text(raw).map(|k| Prepared::Kind(canonical_kind(k))),
        Role::UpdatedAt => date::parse_days(raw).map(|days| Prepared::Date {
            text: raw.trim().to_string(),
            days,
        }),
    }
}

impl Prepared {
    /// The form shown in explanations and looked up in term-frequency
    /// tables: the normalized value (E.164 for a valid phone number, its
    /// digits otherwise; the mailbox key for an e-mail).
    pub fn key(&self) -> &str {
        match self {
            Prepared::Name(n) => &n.normalized,
            Prepared::Company(c) => &c.core,
            Prepared::Phone(p) => p.e164.as_deref().unwrap_or(&p.digits),
            Prepared::Email { key } => key,
            Prepared::Address(a) => a,
            Prepared::Id { number, .. } => number,
            Prepared::Birth(d) => d,
            Prepared::Kind(k) => k,
            Prepared::Date { text, .. } => text,
        }
    }
}

/// A date of birth as YYYYMMDD: `19560409`, `1956-04-09`, `1956/4/9`,
/// `1956年4月9日`, `1956-04-09T00:00:00`, and day-first `09.04.1956` or
/// `09/04/1956` (the year last). `None` when no such date is there.
pub fn birth_digits(raw: &str) -> Option<String> {
    let t = text::normalize_text(raw)?;
    let t = t.split(['t', ' ']).next().unwrap_or("");
    let groups: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let (y, m, d) = match groups.as_slice() {
        [one] if one.len() == 8 => (&one[..4], &one[4..6], &one[6..]),
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => (*y, *m, *d),
        [d, m, y] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => (*y, *m, *d),
        _ => return None,
    };
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    if m > 99 || d > 99 || y.starts_with('0') {
        return None;
    }
    Some(format!("{y}{m:02}{d:02}"))
}

/// A value prepared for tests (the default region); panics when it does
/// not prepare.
#[cfg(test)]
pub fn prepared(role: Role, s: &str) -> Prepared {
    match prepare(role, s, Id::CN) {
        Some(v) => v,
        None => panic!("{s} did not prepare"), // ok: test code
    }
}

#[cfg(test)]
mod tests {
    use super::prepared as p;
    use super::*;

    #[test]
    fn role_keys_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_key(r.key()), Some(r));
        }
        assert_eq!(Role::from_key("fax"), None);
    }

    #[test]
    fn unusable_values_are_missing() {
        assert_eq!(prepare(Role::Name, " ·、 ", Id::CN), None);
        assert_eq!(prepare(Role::Phone, "n/a", Id::CN), None);
        assert_eq!(prepare(Role::Phone, "1234", Id::CN), None);
        assert_eq!(prepare(Role::UpdatedAt, "yesterday", Id::CN), None);
        assert_eq!(prepare(Role::IdNumber, "--", Id::CN), None);
    }

    #[test]
    fn kind_synonyms() {
        assert_eq!(p(Role::Kind, "个人").key(), "person");
        assert_eq!(p(Role::Kind, " Organisation ").key(), "company");
    }

    #[test]
    fn birth_dates() {
        for (raw, want) in [
            ("19560409", Some("19560409")),
            ("1956-04-09", Some("19560409")),
            ("1956/4/9", Some("19560409")),
            ("1956年4月9日", Some("19560409")),
            ("09.04.1956", Some("19560409")),
            ("1956-04-09T00:00:00Z", Some("19560409")),
            ("April 1956", None),
            ("", None),
        ] {
            assert_eq!(birth_digits(raw).as_deref(), want, "{raw}");
        }
    }
}
