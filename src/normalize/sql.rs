//! SQL wrappers of the normalization layer. Every function is IMMUTABLE,
//! STRICT and PARALLEL SAFE with no SET clause, so it can back expression
//! indexes and generated columns. Bad data gives NULL (or false); only a bad
//! parameter (a region code, an n-gram size) raises an error, SQLSTATE 22023.

use pgrx::prelude::*;

use super::{address, company, email, fingerprint, ids, keys, name, phone, text};
use crate::error::OrRaise;

#[pg_extern(immutable, strict, parallel_safe)]
fn normalize_text(input: &str) -> Option<String> {
    text::normalize_text(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn normalize_name(input: &str) -> Option<String> {
    name::normalize_name(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn normalize_company(input: &str) -> Option<String> {
    company::normalize_company(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn normalize_address(input: &str) -> Option<String> {
    address::normalize_address(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn normalize_phone(input: &str, default_region: default!(&str, "'CN'")) -> Option<String> {
    let region = phone::parse_region(default_region).or_raise();
    phone::normalize_phone(input, region)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn phone_type(input: &str, default_region: default!(&str, "'CN'")) -> Option<&'static str> {
    let region = phone::parse_region(default_region).or_raise();
    phone::phone_type(input, region)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn is_valid_phone(input: &str, default_region: default!(&str, "'CN'")) -> bool {
    let region = phone::parse_region(default_region).or_raise();
    phone::is_valid_phone(input, region)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn normalize_email(input: &str) -> Option<String> {
    email::normalize_email(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn email_key(input: &str) -> Option<String> {
    email::email_key(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn is_valid_email(input: &str) -> bool {
    email::is_valid_email(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn fingerprint(input: &str) -> Option<String> {
    fingerprint::fingerprint(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn ngram_fingerprint(input: &str, n: default!(i32, 2)) -> Option<String> {
    let size = fingerprint::check_ngram_size(n).or_raise();
    fingerprint::ngram_fingerprint(input, size)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn pinyin(input: &str) -> Option<String> {
    keys::pinyin(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn name_keys(input: &str) -> Option<Vec<String>> {
    keys::name_keys(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn normalize_id_number(input: &str) -> Option<String> {
    ids::normalize_id_number(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn is_valid_cn_resident_id(input: &str) -> bool {
    ids::is_valid_cn_resident_id(input)
}

#[pg_extern(immutable, strict, parallel_safe)]
fn is_valid_credit_code(input: &str) -> bool {
    ids::is_valid_credit_code(input)
}

extension_sql_file!(
    "../../sql/normalize.sql",
    name = "normalize_comments",
    requires = [
        normalize_text,
        normalize_name,
        normalize_company,
        normalize_address,
        normalize_phone,
        phone_type,
        is_valid_phone,
        normalize_email,
        email_key,
        is_valid_email,
        fingerprint,
        ngram_fingerprint,
        pinyin,
        name_keys,
        normalize_id_number,
        is_valid_cn_resident_id,
        is_valid_credit_code
    ]
);
