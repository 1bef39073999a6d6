//! What the comparison of two prepared values establishes: equality after
//! normalization, a similarity in [0, 1], and the role's special facts (a
//! valid ID on both sides, a mobile number, days apart). The model's
//! levels test these facts.

use crate::record::roles::Prepared;
use crate::similarity::fields::{
    company_form_similarity, name_form_similarity, normalized_address_similarity,
    phone_form_similarity,
};
use crate::similarity::strings::{jaro_winkler, levenshtein_similarity};

/// What the comparison of two prepared values establishes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Facts {
    /// Equal after normalization (for dates: the same instant).
    pub exact: bool,
    /// Similarity in [0, 1] (1 when `exact`).
    pub similarity: f64,
    /// Both are valid IDs (check character verified) of the same kind.
    pub both_valid: bool,
    /// Both are valid mobile numbers.
    pub both_mobile: bool,
    /// Days between two dates (`f64::INFINITY` for other roles).
    pub days: f64,
}

/// Similarity of two birth dates (YYYYMMDD): 1 when equal, 0.9 for day and
/// month swapped, else the share of digits in place (one typo: 0.875).
fn birth_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() == 8 && b.len() == 8 && a[..4] == b[..4] && a[4..6] == b[6..] && a[6..] == b[4..6] {
        return 0.9;
    }
    let same = a.bytes().zip(b.bytes()).filter(|(x, y)| x == y).count();
    same as f64 / a.len().max(b.len()).max(1) as f64
}

/// Compares two prepared values of the same role.
pub fn facts(a: &Prepared, b: &Prepared) -> Facts {
    let mut f = Facts {
        exact: false,
        similarity: 0.0,
        both_valid: false,
        both_mobile: false,
        days: f64::INFINITY,
    };
    f.similarity = match (a, b) {
        (Prepared::Name(x), Prepared::Name(y)) => name_form_similarity(x, y),
        (Prepared::Company(x), Prepared::Company(y)) => company_form_similarity(x, y),
        (Prepared::Phone(x), Prepared::Phone(y)) => {
            f.both_mobile = x.e164.is_some()
                && y.e164.is_some()
                && x.kind == Some("mobile")
                && y.kind == Some("mobile");
            phone_form_similarity(x, y)
        }
        (Prepared::Email { key: x }, Prepared::Email { key: y }) => jaro_winkler(x, y),
        (Prepared::Address(x), Prepared::Address(y)) => normalized_address_similarity(x, y),
        (
            Prepared::Id {
                number: x,
                valid: vx,
            },
            Prepared::Id {
                number: y,
                valid: vy,
            },
        ) => {
            f.both_valid = vx.is_some() && vx == vy;
            levenshtein_similarity(x, y)
        }
        (Prepared::Birth(x), Prepared::Birth(y)) => birth_similarity(x, y),
        (Prepared::Kind(x), Prepared::Kind(y)) => f64::from(u8::from(x == y)),
        (Prepared::Date { days: x, .. }, Prepared::Date { days: y, .. }) => {
            f.days = (x - y).abs();
            f64::from(u8::from(f.days == 0.0))
        }
        _ => 0.0,
    };
    f.exact = match (a, b) {
        // A phone number written with and without its country code is the
        // same number: similarity 1 is equality.
        (Prepared::Phone(_), Prepared::Phone(_)) => f.similarity >= 1.0,
        (Prepared::Date { .. }, Prepared::Date { .. }) => f.days == 0.0,
        _ => a.key() == b.key(),
    };
    if f.exact {
        f.similarity = 1.0;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::roles::{prepared as p, IdKind, Role};

    #[test]
    fn phone_facts() {
        let f = facts(
            &p(Role::Phone, "+86 138 0013 8000"),
            &p(Role::Phone, "13800138000"),
        );
        assert!(f.exact && f.both_mobile);
        let f = facts(
            &p(Role::Phone, "010-12345678"),
            &p(Role::Phone, "+86 10 1234 5678"),
        );
        assert!(f.exact && !f.both_mobile);
        let f = facts(
            &p(Role::Phone, "13800138000"),
            &p(Role::Phone, "13800138001"),
        );
        assert!(!f.exact && f.similarity == 0.7);
    }

    #[test]
    fn id_facts() {
        let a = p(Role::IdNumber, "11010519491231002X");
        let b = p(Role::IdNumber, "110105 19491231 002x");
        let f = facts(&a, &b);
        assert!(f.exact && f.both_valid);
        let c = p(Role::IdNumber, "110101199003074477");
        let f = facts(&a, &c);
        assert!(!f.exact && f.both_valid, "{f:?}");
        let credit = p(Role::IdNumber, "914403001922038216");
        assert!(
            matches!(
                credit,
                Prepared::Id {
                    valid: Some(IdKind::CreditCode),
                    ..
                }
            ),
            "{credit:?}"
        );
        assert!(!facts(&a, &credit).both_valid);
    }

    #[test]
    fn kind_synonyms() {
        assert!(facts(&p(Role::Kind, "企业"), &p(Role::Kind, "company")).exact);
    }

    #[test]
    fn names_and_emails() {
        assert!(facts(&p(Role::Name, "張偉"), &p(Role::Name, "张伟")).exact);
        let f = facts(&p(Role::Name, "张伟"), &p(Role::Name, "Zhang Wei"));
        assert!(!f.exact && f.similarity >= 0.95, "{f:?}");
        assert!(
            facts(
                &p(Role::Email, "Zhang.Wei+crm@gmail.com"),
                &p(Role::Email, "zhangwei@googlemail.com")
            )
            .exact
        );
    }

    #[test]
    fn birth_dates() {
        let f = facts(
            &p(Role::BirthDate, "1956-04-09"),
            &p(Role::BirthDate, "19560904"),
        );
        assert!(!f.exact && f.similarity == 0.9);
        let f = facts(
            &p(Role::BirthDate, "19560409"),
            &p(Role::BirthDate, "19560419"),
        );
        assert!(f.similarity == 0.875);
    }

    #[test]
    fn dates() {
        let f = facts(
            &p(Role::UpdatedAt, "2026-11-22T10:00:00+08:00"),
            &p(Role::UpdatedAt, "2026-11-22 02:00:00Z"),
        );
        assert!(f.exact && f.days == 0.0);
        let f = facts(
            &p(Role::UpdatedAt, "2026-11-22"),
            &p(Role::UpdatedAt, "2026-11-20T12:00:00"),
        );
        assert!((f.days - 1.5).abs() < 1e-9);
    }
}
