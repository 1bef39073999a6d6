//! SQL wrappers of the similarity layer: IMMUTABLE STRICT PARALLEL SAFE, no
//! SET clause, on characters (never bytes), with no length limit.

use pgrx::prelude::*;

use super::{fields, strings};
use crate::error::OrRaise;
use crate::normalize::phone;

fn to_int(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn levenshtein(a: &str, b: &str) -> i32 {
    to_int(strings::levenshtein(a, b))
}

#[pg_extern(immutable, strict, parallel_safe)]
fn levenshtein_similarity(a: &str, b: &str) -> f64 {
    strings::levenshtein_similarity(a, b)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn damerau_levenshtein(a: &str, b: &str) -> i32 {
    to_int(strings::damerau_levenshtein(a, b))
}

#[pg_extern(immutable, strict, parallel_safe)]
fn jaro(a: &str, b: &str) -> f64 {
    strings::jaro(a, b)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn jaro_winkler(a: &str, b: &str) -> f64 {
    strings::jaro_winkler(a, b)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn jaccard(a: &str, b: &str) -> f64 {
    strings::jaccard(a, b)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn name_similarity(a: &str, b: &str) -> Option<f64> {
    fields::name_similarity(a, b)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn company_similarity(a: &str, b: &str) -> Option<f64> {
    fields::company_similarity(a, b)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn phone_similarity(a: &str, b: &str, default_region: default!(&str, "'CN'")) -> f64 {
    let region = phone::parse_region(default_region).or_raise();
    fields::phone_similarity(a, b, region)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn address_similarity(a: &str, b: &str) -> Option<f64> {
    fields::address_similarity(a, b)
}

extension_sql_file!(
    "../../sql/similarity.sql",
    name = "similarity_comments",
    requires = [
        levenshtein,
        levenshtein_similarity,
        damerau_levenshtein,
        jaro,
        jaro_winkler,
        jaccard,
        name_similarity,
        company_similarity,
        phone_similarity,
        address_similarity
    ]
);
