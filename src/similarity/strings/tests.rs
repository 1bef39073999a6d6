//! Tests of the string similarity functions.

use super::*;
use proptest::prelude::*;

fn close(x: f64, y: f64, tol: f64) -> bool {
    (x - y).abs() <= tol
}

/// (a, b, levenshtein, osa, true Damerau).
const DISTANCES: &[(&str, &str, usize, usize, usize)] = &[
    ("kitten", "sitting", 3, 3, 3),
    ("flaw", "lawn", 2, 2, 2),
    ("ca", "abc", 3, 3, 2),
    ("ab", "bca", 3, 3, 2),
    ("ab", "ba", 2, 1, 1),
    ("a cat", "an act", 3, 2, 2),
    ("abcdef", "badcfe", 4, 3, 3),
    ("saturday", "sunday", 3, 3, 3),
    ("MARTHA", "MARHTA", 2, 1, 1),
    ("Catherine", "Kathryn", 4, 4, 4),
    ("Zhang Wei", "Wei Zhang", 8, 8, 8),
    ("", "", 0, 0, 0),
    ("", "abc", 3, 3, 3),
    ("abc", "", 3, 3, 3),
    ("abc", "abc", 0, 0, 0),
    ("a", "b", 1, 1, 1),
    ("naïve", "naive", 1, 1, 1),
    ("🙂a", "a🙂", 2, 1, 1),
    ("张伟", "张玮", 1, 1, 1),
    ("张伟", "張偉", 2, 2, 2),
    ("张伟", "", 2, 2, 2),
    ("欧阳娜娜", "欧阳娜", 1, 1, 1),
    ("王小明", "王明小", 2, 1, 1),
    ("北京华为", "华为北京", 4, 4, 4),
    ("张伟 Zhang", "张玮 Zhang", 1, 1, 1),
];

#[test]
fn known_distances() {
    for &(a, b, lev, osa, dl) in DISTANCES {
        for (x, y) in [(a, b), (b, a)] {
            assert_eq!(levenshtein(x, y), lev, "levenshtein {x:?} {y:?}");
            assert_eq!(osa_distance(x, y), osa, "osa {x:?} {y:?}");
            assert_eq!(damerau_levenshtein(x, y), dl, "damerau {x:?} {y:?}");
        }
    }
}

#[test]
fn beyond_fuzzystrmatch_limit() {
    // fuzzystrmatch's levenshtein refuses more than 255 characters.
    let ab = "ab".repeat(150);
    let ba = "ba".repeat(150);
    assert_eq!(levenshtein(&ab, &ba), 2);
    assert_eq!(osa_distance(&ab, &ba), 2);
    assert_eq!(damerau_levenshtein(&ab, &ba), 2);
    let zhang = "张".repeat(300);
    let wei = format!("{}伟", "张".repeat(299));
    assert_eq!(levenshtein(&zhang, &wei), 1);
    assert_eq!(damerau_levenshtein(&zhang, &wei), 1);
    assert!(close(
        levenshtein_similarity(&zhang, &wei),
        1.0 - 1.0 / 300.0,
        1e-15
    ));
    let (a, b) = ("a".repeat(300), "b".repeat(300));
    assert_eq!(levenshtein(&a, &b), 300);
    assert_eq!(osa_distance(&a, &b), 300);
    assert_eq!(damerau_levenshtein(&a, &b), 300);
    assert_eq!(levenshtein_similarity(&a, &b), 0.0);
    // Stripes of 64 with an edit in each; Chinese and Latin.
    let x = format!("{}京华{}", "北".repeat(7), "北".repeat(41)).repeat(6);
    let y = format!("{}华京{}", "北".repeat(7), "北".repeat(41)).repeat(6);
    assert_eq!(levenshtein(&x, &y), 12);
    assert_eq!(osa_distance(&x, &y), 6);
    assert_eq!(damerau_levenshtein(&x, &y), 6);
}

#[test]
fn ten_thousand_characters() {
    let (a, b) = ("a".repeat(10_000), "b".repeat(10_000));
    assert_eq!(levenshtein(&a, &b), 10_000);
    assert_eq!(osa_distance(&a, &b), 10_000);
    // True Damerau-Levenshtein is O(n·m): ~0.15 s optimised for 10 000
    // characters, ~10 s unoptimised, so debug builds check 2 000.
    let n = if cfg!(debug_assertions) {
        2_000
    } else {
        10_000
    };
    let (a, b) = ("a".repeat(n), "b".repeat(n));
    assert_eq!(damerau_levenshtein(&a, &b), n);
    let zh: String = "张伟李娜王芳".chars().cycle().take(10_000).collect();
    let zh2: String = "张伟李娜王芳"
        .chars()
        .cycle()
        .skip(1)
        .take(10_000)
        .collect();
    assert_eq!(levenshtein(&zh, &zh2), 2);
    assert_eq!(osa_distance(&zh, &zh2), 2);
    assert!(close(jaro(&zh, &zh2), strsim::jaro(&zh, &zh2), 1e-12));
    assert_eq!(jaccard(&zh, &zh2), 1.0);
}

#[test]
fn levenshtein_similarity_values() {
    assert_eq!(levenshtein_similarity("", ""), 1.0);
    assert_eq!(levenshtein_similarity("", "abc"), 0.0);
    assert_eq!(levenshtein_similarity("张伟", "张伟"), 1.0);
    assert_eq!(levenshtein_similarity("张伟", "张玮"), 0.5);
    assert!(close(
        levenshtein_similarity("kitten", "sitting"),
        4.0 / 7.0,
        1e-15
    ));
    assert!(close(
        levenshtein_similarity("欧阳娜娜", "欧阳娜"),
        0.75,
        1e-15
    ));
}

/// (a, b, jaro, jaro_winkler), to 4 decimals.
const JAROS: &[(&str, &str, f64, f64)] = &[
    ("MARTHA", "MARHTA", 0.9444, 0.9611),
    ("DIXON", "DICKSONX", 0.7667, 0.8133),
    ("DWAYNE", "DUANE", 0.8222, 0.8400),
    ("JELLYFISH", "SMELLYFISH", 0.8963, 0.8963),
    ("CRATE", "TRACE", 0.7333, 0.7333),
    ("abcdefgh", "abcdefgx", 0.9167, 0.9500),
    ("abcd", "dcba", 0.5, 0.5),
    ("Zhang Wei", "Zhang Wie", 0.9630, 0.9778),
    ("张三丰", "张三封", 0.7778, 0.8222),
    ("欧阳娜娜", "欧阳娜", 0.9167, 0.9417),
    ("李小龙", "李晓龙", 0.7778, 0.8000),
    // Jaro 2/3 is below the boost threshold 0.7.
    ("张伟", "张玮", 0.6667, 0.6667),
    ("张伟", "張偉", 0.0, 0.0),
    ("", "", 1.0, 1.0),
    ("", "张伟", 0.0, 0.0),
    ("a", "a", 1.0, 1.0),
    ("ab", "ba", 0.0, 0.0),
    ("abc", "xyz", 0.0, 0.0),
];

#[test]
fn known_jaro_values() {
    for &(a, b, j, jw) in JAROS {
        for (x, y) in [(a, b), (b, a)] {
            assert!(
                close(jaro(x, y), j, 5e-5),
                "jaro {x:?} {y:?} {}",
                jaro(x, y)
            );
            let got = jaro_winkler(x, y);
            assert!(close(got, jw, 5e-5), "jaro_winkler {x:?} {y:?} {got}");
        }
    }
    assert!(close(jaro("MARTHA", "MARHTA"), 17.0 / 18.0, 1e-15));
    assert!(close(
        jaro_winkler("MARTHA", "MARHTA"),
        17.0 / 18.0 + 0.3 / 18.0,
        1e-15
    ));
}

/// (a, b, jaccard).
const JACCARDS: &[(&str, &str, f64)] = &[
    ("北京华为", "华为北京", 1.0),
    ("北京市朝阳区", "北京朝阳区", 5.0 / 6.0),
    ("华为 Huawei", "华为技术", 0.2),
    ("张 伟", "张伟", 1.0),
    ("アイ", "ア イ", 1.0),
    ("한국", "한국어", 2.0 / 3.0),
    ("张伟", "李娜", 0.0),
    ("Acme Corp", "Acme Corporation", 1.0 / 3.0),
    ("John Smith", "Smith John", 1.0),
    ("a a b", "b  a", 1.0),
    ("john smith", "John Smith", 0.0),
    ("", "", 1.0),
    ("  ", "", 1.0),
    ("", "a", 0.0),
    ("张伟", "", 0.0),
];

#[test]
fn known_jaccard_values() {
    for &(a, b, want) in JACCARDS {
        for (x, y) in [(a, b), (b, a)] {
            assert!(
                close(jaccard(x, y), want, 1e-15),
                "{x:?} {y:?} {}",
                jaccard(x, y)
            );
        }
    }
}

#[test]
fn odd_characters() {
    let odd = [
        "\0",
        "\u{10FFFF}",
        "\u{FFFF}",
        "e\u{301}",
        "\u{3000}",
        "\t\n",
        "𠀀𠀁",
    ];
    for a in odd {
        for b in odd {
            let d = levenshtein(a, b);
            assert_eq!(d, strsim::levenshtein(a, b));
            assert_eq!(damerau_levenshtein(a, b), strsim::damerau_levenshtein(a, b));
            assert!((0.0..=1.0).contains(&jaccard(a, b)));
        }
    }
}

/// Every pair of strings over small alphabets, against strsim.
#[test]
fn exhaustive_small_strings() {
    fn all(alphabet: &[char], max_len: usize) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..max_len {
            level = level
                .iter()
                .flat_map(|s| alphabet.iter().map(move |&c| format!("{s}{c}")))
                .collect();
            out.extend(level.iter().cloned());
        }
        out
    }
    for words in [all(&['a', 'b', 'c'], 5), all(&['张', '伟'], 6)] {
        for a in &words {
            for b in &words {
                assert_eq!(levenshtein(a, b), strsim::levenshtein(a, b), "{a} {b}");
                assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b), "{a} {b}");
                let dl = strsim::damerau_levenshtein(a, b);
                assert_eq!(damerau_levenshtein(a, b), dl, "{a} {b}");
                assert!(close(jaro(a, b), strsim::jaro(a, b), 1e-12), "{a} {b}");
            }
        }
    }
}

/// The char path on ASCII input, bypassing the byte fast path.
fn general(a: &str, b: &str) -> (usize, usize, usize, f64, f64) {
    (
        on_chars_of(a, b, levenshtein_syms),
        on_chars_of(a, b, osa_syms),
        on_chars_of(a, b, damerau_syms),
        on_chars_of(a, b, jaro_syms),
        on_chars_of(a, b, jaro_winkler_syms),
    )
}

/// Strings likely to share characters, over both paths and both the one
/// word and the striped bit-parallel kernels.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "(?s).{0,24}",
        "[abc ]{0,12}",
        "[张伟玮張偉李 a]{0,10}",
        "[ab]{0,150}",
        "[北京华为]{50,140}",
        "[ -~]{0,80}",
    ]
}

fn ascii() -> impl Strategy<Value = String> {
    prop_oneof!["[a-d]{0,10}", "[ab]{0,150}", "[ -~]{0,90}"]
}

fn agree_with_strsim(a: &str, b: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(levenshtein(a, b), strsim::levenshtein(a, b));
    prop_assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b));
    prop_assert_eq!(damerau_levenshtein(a, b), strsim::damerau_levenshtein(a, b));
    prop_assert!(close(jaro(a, b), strsim::jaro(a, b), 1e-12));
    prop_assert!(close(jaro_winkler(a, b), strsim::jaro_winkler(a, b), 1e-12));
    Ok(())
}

proptest! {
    #[test]
    fn symmetric(a in text(), b in text()) {
        prop_assert_eq!(levenshtein(&a, &b), levenshtein(&b, &a));
        prop_assert_eq!(osa_distance(&a, &b), osa_distance(&b, &a));
        prop_assert_eq!(damerau_levenshtein(&a, &b), damerau_levenshtein(&b, &a));
        prop_assert_eq!(levenshtein_similarity(&a, &b), levenshtein_similarity(&b, &a));
        prop_assert_eq!(jaro(&a, &b), jaro(&b, &a));
        prop_assert_eq!(jaro_winkler(&a, &b), jaro_winkler(&b, &a));
        prop_assert_eq!(jaccard(&a, &b), jaccard(&b, &a));
    }

    #[test]
    fn bounded(a in text(), b in text()) {
        let longest = max(a.chars().count(), b.chars().count());
        let shortest = min(a.chars().count(), b.chars().count());
        for d in [levenshtein(&a, &b), osa_distance(&a, &b), damerau_levenshtein(&a, &b)] {
            prop_assert!(d <= longest && d >= longest - shortest);
        }
        for s in [levenshtein_similarity(&a, &b), jaro(&a, &b), jaro_winkler(&a, &b), jaccard(&a, &b)] {
            prop_assert!((0.0..=1.0).contains(&s), "{}", s);
        }
        prop_assert!(jaro_winkler(&a, &b) >= jaro(&a, &b));
    }

    #[test]
    fn identity(a in text()) {
        prop_assert_eq!(levenshtein(&a, &a), 0);
        prop_assert_eq!(osa_distance(&a, &a), 0);
        prop_assert_eq!(damerau_levenshtein(&a, &a), 0);
        prop_assert_eq!(levenshtein_similarity(&a, &a), 1.0);
        prop_assert_eq!(jaro(&a, &a), 1.0);
        prop_assert_eq!(jaro_winkler(&a, &a), 1.0);
        prop_assert_eq!(jaccard(&a, &a), 1.0);
    }

    #[test]
    fn triangle_inequality(a in text(), b in text(), c in text()) {
        prop_assert!(levenshtein(&a, &c) <= levenshtein(&a, &b) + levenshtein(&b, &c));
        prop_assert!(
            damerau_levenshtein(&a, &c) <= damerau_levenshtein(&a, &b) + damerau_levenshtein(&b, &c)
        );
    }

    #[test]
    fn damerau_is_the_least(a in text(), b in text()) {
        let dl = damerau_levenshtein(&a, &b);
        prop_assert!(osa_distance(&a, &b) >= dl);
        prop_assert!(levenshtein(&a, &b) >= osa_distance(&a, &b));
    }

    #[test]
    fn agrees_with_strsim(a in text(), b in text()) {
        agree_with_strsim(&a, &b)?;
    }

    #[test]
    fn agrees_with_strsim_on_ascii(a in ascii(), b in ascii()) {
        agree_with_strsim(&a, &b)?;
    }

    #[test]
    fn ascii_fast_path_equals_general_path(a in ascii(), b in ascii()) {
        let (lev, osa, dl, j, jw) = general(&a, &b);
        prop_assert_eq!(levenshtein(&a, &b), lev);
        prop_assert_eq!(osa_distance(&a, &b), osa);
        prop_assert_eq!(damerau_levenshtein(&a, &b), dl);
        prop_assert_eq!(jaro(&a, &b), j);
        prop_assert_eq!(jaro_winkler(&a, &b), jw);
    }

    #[test]
    fn jaccard_agrees_with_hash_sets(a in text(), b in text()) {
        use std::collections::HashSet;
        let cjk = a.chars().chain(b.chars()).any(is_cjk);
        let set = |s: &str| -> HashSet<String> {
            if cjk {
                s.chars().filter(|c| !c.is_whitespace()).map(String::from).collect()
            } else {
                s.split_whitespace().map(String::from).collect()
            }
        };
        let (sa, sb) = (set(&a), set(&b));
        let union = sa.union(&sb).count();
        let want = if union == 0 { 1.0 } else { sa.intersection(&sb).count() as f64 / union as f64 };
        prop_assert_eq!(jaccard(&a, &b), want);
    }
}

/// Rough timings: `cargo test --release -- --ignored --nocapture timings`.
#[test]
#[ignore]
fn timings() {
    use std::hint::black_box;
    use std::time::Instant;
    let pairs = [
        ("张伟", "张玮"),
        ("欧阳娜娜", "欧阳娜"),
        ("北京华为技术有限公司", "华为技术有限公司北京"),
        ("MARTHA", "MARHTA"),
        ("Jonathan Smith", "Jonathon Smyth"),
        ("Catherine Zeta-Jones", "Katherine Zeta Jones"),
    ];
    type F = fn(&str, &str) -> f64;
    let funcs: [(&str, F); 9] = [
        ("levenshtein", |a, b| levenshtein(a, b) as f64),
        ("damerau", |a, b| damerau_levenshtein(a, b) as f64),
        ("osa", |a, b| osa_distance(a, b) as f64),
        ("jaro", jaro),
        ("jaro_winkler", jaro_winkler),
        ("jaccard", jaccard),
        ("strsim lev", |a, b| strsim::levenshtein(a, b) as f64),
        ("strsim dl", |a, b| strsim::damerau_levenshtein(a, b) as f64),
        ("strsim jw", strsim::jaro_winkler),
    ];
    let n = 1_000_000;
    for (a, b) in pairs {
        print!("{a} / {b}:");
        for (name, f) in funcs {
            let t = Instant::now();
            for _ in 0..n {
                black_box(f(black_box(a), black_box(b)));
            }
            print!("  {name} {:.0}", t.elapsed().as_nanos() as f64 / n as f64);
        }
        println!(" ns");
    }
    let (x, y) = ("a".repeat(10_000), "b".repeat(10_000));
    for (name, f) in funcs.iter().take(5) {
        let t = Instant::now();
        black_box(f(&x, &y));
        println!("10k pair {name}: {:?}", t.elapsed());
    }
}
