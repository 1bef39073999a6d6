//! The figures behind the quality reports, in plain Rust (no PostgreSQL):
//! what one value of a mapped column counts as (filled, valid, its
//! normalized form) and the counts over many values.
//!
//! - filled: `normalize_text` leaves something (not NULL, not blank);
//! - valid (phone, e-mail and id_number only): filled and accepted by the
//!   validator (`is_valid_phone` in the table's phone region,
//!   `is_valid_email`, `is_valid_cn_resident_id` or `is_valid_credit_code`);
//! - distinct: distinct normalized values (the role's normalizer; for a
//!   phone or an e-mail address that is not valid, its `normalize_text`).
//!   Normalized values are compared by a 128-bit SipHash, so two different
//!   values count once only if their hashes collide (about 1 in 10^26 for a
//!   million values).

use phonenumber::country::Id;
use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::Hasher;

use crate::normalize::{address, company, email, ids, name, phone, text};
use crate::record::roles::Role;

/// Whether a role's values are validated (phone, e-mail, id_number: their
/// `valid` is counted). `None` is a role outside the model (source).
pub fn validated(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Phone | Role::Email | Role::IdNumber))
}

/// What one value counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    pub filled: bool,
    pub valid: bool,
    /// The hash of the normalized value; `None` when the normalizer leaves
    /// nothing.
    pub key: Option<u128>,
}

fn hash(s: &str) -> u128 {
    let mut h = SipHasher13::new_with_keys(0x6d64_6d5f_7175_616c, 0x6974_795f_6b65_7973);
    h.write(s.as_bytes());
    h.finish128().as_u128()
}

/// Measures one (non-NULL) value of a column mapped to `role` (`None`:
/// source); birth_date, kind, updated_at and source have no validator and
/// are normalized by `normalize_text`.
pub fn measure(role: Option<Role>, value: &str, region: Id) -> Measure {
    let plain = text::normalize_text(value);
    let filled = plain.is_some();
    let (valid, normalized) = match role {
        Some(Role::Name) => (false, name::normalize_name(value)),
        Some(Role::Company) => (false, company::normalize_company(value)),
        Some(Role::Address) => (false, address::normalize_address(value)),
        Some(Role::IdNumber) => (
            filled && (ids::is_valid_cn_resident_id(value) || ids::is_valid_credit_code(value)),
            ids::normalize_id_number(value),
        ),
        Some(Role::Phone) => match phone::parse_phone(value, region) {
            Some(p) => (filled, Some(p.e164)),
            None => (false, plain),
        },
        Some(Role::Email) => match email::email_key(value) {
            Some(k) => (filled, Some(k)), // email_key is Some exactly for valid addresses
            None => (false, plain),
        },
        _ => (false, plain),
    };
    Measure {
        filled,
        valid: valid && validated(role),
        key: normalized.as_deref().map(hash),
    }
}

/// One measured value and the group (source) of its row.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    pub key: [u64; 2],
    pub group: u32,
    /// bit 0 filled, bit 1 valid, bit 2 has a key.
    pub flags: u8,
}

impl Item {
    pub fn new(group: u32, m: Measure) -> Item {
        let k = m.key.unwrap_or(0);
        Item {
            key: [(k >> 64) as u64, k as u64],
            group,
            flags: u8::from(m.filled) | (u8::from(m.valid) << 1) | (u8::from(m.key.is_some()) << 2),
        }
    }
    fn filled(&self) -> bool {
        self.flags & 1 != 0
    }
    fn valid(&self) -> bool {
        self.flags & 2 != 0
    }
    fn has_key(&self) -> bool {
        self.flags & 4 != 0
    }
}

/// Counts of one column, in one group or in all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub filled: u64,
    pub valid: u64,
    pub distinct: u64,
}

/// The counts of one column's items over all groups and (with `groups >
/// 0`) per group `0..groups`. Sorts `items`.
pub fn count(items: &mut [Item], groups: usize) -> (Counts, Vec<Counts>) {
    let mut total = Counts::default();
    let mut per = vec![Counts::default(); groups];
    items.sort_unstable_by_key(|i| (!i.has_key(), i.key, i.group));
    let mut prev: Option<([u64; 2], u32)> = None;
    for i in items.iter() {
        let g = per.get_mut(i.group as usize);
        total.filled += u64::from(i.filled());
        total.valid += u64::from(i.valid());
        if let Some(g) = g {
            g.filled += u64::from(i.filled());
            g.valid += u64::from(i.valid());
        }
        if !i.has_key() {
            continue;
        }
        match prev {
            Some((k, grp)) if k == i.key => {
                if grp != i.group {
                    if let Some(g) = per.get_mut(i.group as usize) {
                        g.distinct += 1;
                    }
                }
            }
            _ => {
                total.distinct += 1;
                if let Some(g) = per.get_mut(i.group as usize) {
                    g.distinct += 1;
                }
            }
        }
        prev = Some((i.key, i.group));
    }
    (total, per)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn m(role: Role, v: &str) -> Measure {
        measure(Some(role), v, Id::CN)
    }

    #[test]
    fn a_phone_written_four_ways_is_one_value() {
        let keys: HashSet<_> = [
            "+86 138 0013 8000",
            "13800138000",
            "0086-138-0013-8000",
            "１３８００１３８０００",
        ]
        .iter()
        .map(|v| m(Role::Phone, v).key)
        .collect();
        assert_eq!(keys.len(), 1);
        assert!(m(Role::Phone, "13800138000").valid);
    }

    #[test]
    fn blanks_are_not_filled_and_invalid_values_are_filled() {
        assert_eq!(
            m(Role::Email, "   "),
            Measure {
                filled: false,
                valid: false,
                key: None
            }
        );
        let bad = m(Role::Email, "not an address");
        assert!(bad.filled && !bad.valid && bad.key.is_some());
        let bad_phone = m(Role::Phone, "12345");
        assert!(bad_phone.filled && !bad_phone.valid);
        assert!(m(Role::IdNumber, "11010519491231002X").valid);
        assert!(m(Role::IdNumber, "91350100M000100Y43").valid);
        assert!(!m(Role::IdNumber, "110105194912310021").valid);
    }

    #[test]
    fn roles_without_a_validator_never_count_valid() {
        for r in [
            Role::Name,
            Role::Company,
            Role::Address,
            Role::Kind,
            Role::BirthDate,
            Role::UpdatedAt,
        ] {
            assert!(!m(r, "张伟").valid);
            assert!(!validated(Some(r)));
        }
        assert!(!measure(None, "web", Id::CN).valid);
        assert_eq!(m(Role::Name, "張偉").key, m(Role::Name, "张伟 先生").key);
    }

    #[test]
    fn counts_per_group_and_in_total() {
        let v = |g: u32, s: &str| Item::new(g, m(Role::Phone, s));
        let mut items = vec![
            v(0, "13800138000"),
            v(1, "+86 138 0013 8000"),
            v(1, "13800138000"),
            v(0, "bad"),
            v(2, " "),
        ];
        let (total, per) = count(&mut items, 3);
        assert_eq!(
            total,
            Counts {
                filled: 4,
                valid: 3,
                distinct: 2
            }
        );
        assert_eq!(
            per,
            vec![
                Counts {
                    filled: 2,
                    valid: 1,
                    distinct: 2
                },
                Counts {
                    filled: 2,
                    valid: 2,
                    distinct: 1
                },
                Counts::default()
            ]
        );
    }

    proptest! {
        #[test]
        fn count_agrees_with_sets(vals in proptest::collection::vec((0u32..4, 0u8..6, any::<bool>()), 0..200)) {
            let mut items: Vec<Item> = vals.iter().map(|&(g, k, filled)| Item::new(g, Measure {
                filled, valid: filled && k % 2 == 0, key: (k < 5).then_some(u128::from(k) << 70 | u128::from(k)) })).collect();
            let (total, per) = count(&mut items, 4);
            let all: HashSet<u8> = vals.iter().filter(|v| v.1 < 5).map(|v| v.1).collect();
            prop_assert_eq!(total.distinct, all.len() as u64);
            prop_assert_eq!(total.filled, vals.iter().filter(|v| v.2).count() as u64);
            for (g, c) in per.iter().enumerate() {
                let set: HashSet<u8> = vals.iter().filter(|v| v.0 == g as u32 && v.1 < 5).map(|v| v.1).collect();
                prop_assert_eq!(c.distinct, set.len() as u64);
                prop_assert_eq!(c.valid, vals.iter().filter(|v| v.0 == g as u32 && v.2 && v.1 % 2 == 0).count() as u64);
            }
        }
    }
}
