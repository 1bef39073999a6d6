//! String measures on characters (Unicode scalar values, never bytes: 张伟
//! against 张玮 is one edit): Levenshtein, true Damerau-Levenshtein, optimal
//! string alignment, Jaro, Jaro-Winkler and Jaccard.
//!
//! These are the cores of SQL functions called millions of times on short
//! names. ASCII input runs on its bytes, other input on its decoded `char`s;
//! buffers of up to 64 items live on the stack. The edit distances first drop
//! the common prefix and suffix; Levenshtein and optimal string alignment then
//! use the bit-parallel algorithms of Myers (1999) and Hyyrö (2003), in
//! stripes of 64 characters beyond that length: O(⌈n/64⌉·m) time. Every
//! measure takes memory linear in the input, has no length limit and never
//! panics.

use std::cmp::{max, min};

/// Items a buffer keeps on the stack before it moves to the heap.
const INLINE: usize = 64;

/// Levenshtein distance in characters: the fewest insertions, deletions and
/// substitutions that turn `a` into `b`.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b) = strip_affixes(a, b);
    trivial_str(a, b).unwrap_or_else(|| on_symbols(a, b, levenshtein_syms, levenshtein_syms))
}

/// `1 - levenshtein(a, b) / max(len a, len b)`, lengths in characters; 1.0
/// when both are empty.
pub fn levenshtein_similarity(a: &str, b: &str) -> f64 {
    let longest = max(char_len(a), char_len(b));
    if longest == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f64 / longest as f64
}

/// True (unrestricted) Damerau-Levenshtein distance in characters: the fewest
/// insertions, deletions, substitutions and transpositions of two adjacent
/// characters, where a substring may be edited more than once ("ca" to "abc"
/// is 2: ca → ac → abc). This is the Lowrance-Wagner distance, a metric; see
/// [`osa_distance`] for the restricted variant, which says 3 there.
pub fn damerau_levenshtein(a: &str, b: &str) -> usize {
    let (a, b) = strip_affixes(a, b);
    trivial_str(a, b).unwrap_or_else(|| on_symbols(a, b, damerau_syms, damerau_syms))
}

/// Optimal string alignment distance in characters (restricted
/// Damerau-Levenshtein): like [`damerau_levenshtein`], but no substring is
/// edited more than once, so "ca" to "abc" is 3. Not a metric.
pub fn osa_distance(a: &str, b: &str) -> usize {
    let (a, b) = strip_affixes(a, b);
    trivial_str(a, b).unwrap_or_else(|| on_symbols(a, b, osa_syms, osa_syms))
}

/// Jaro similarity in characters, in [0, 1]; 1.0 when both are empty, 0.0
/// when exactly one is.
pub fn jaro(a: &str, b: &str) -> f64 {
    on_symbols(a, b, jaro_syms, jaro_syms)
}

/// Jaro-Winkler similarity in characters, in [0, 1]: once the Jaro similarity
/// `s` exceeds 0.7 (Winkler's boost threshold, as in strsim 0.11 and
/// pg_similarity), `s + 0.1 · l · (1 - s)` with `l` the common prefix length,
/// at most 4; below that, `s`.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    on_symbols(a, b, jaro_winkler_syms, jaro_winkler_syms)
}

/// Jaccard similarity |A∩B| / |A∪B|, in [0, 1]. When either string has a CJK
/// character (Han, kana, Hangul) the sets hold the characters of each string
/// other than whitespace, as CJK has no word spaces; otherwise they hold the
/// whitespace-separated tokens. Case-sensitive: normalize first. 1.0 when
/// both sets are empty, 0.0 when exactly one is.
pub fn jaccard(a: &str, b: &str) -> f64 {
    let (common, total) = if has_cjk(a) || has_cjk(b) {
        let not_space = |c: &char| !c.is_whitespace();
        let (mut stack_a, mut heap_a) = (['\0'; INLINE], Vec::new());
        let (mut stack_b, mut heap_b) = (['\0'; INLINE], Vec::new());
        set_sizes(
            collect(a.chars().filter(not_space), &mut stack_a, &mut heap_a),
            collect(b.chars().filter(not_space), &mut stack_b, &mut heap_b),
        )
    } else {
        // A string of 64 characters has at most 32 tokens.
        let (mut stack_a, mut heap_a) = ([&[][..]; INLINE / 2], Vec::new());
        let (mut stack_b, mut heap_b) = ([&[][..]; INLINE / 2], Vec::new());
        set_sizes(
            tokens(a, &mut stack_a, &mut heap_a),
            tokens(b, &mut stack_b, &mut heap_b),
        )
    };
    if total == 0 {
        1.0
    } else {
        common as f64 / total as f64
    }
}

// ---------------------------------------------------------------------------
// Buffers and symbols

/// `on_bytes` on the bytes of `a` and `b` when both are ASCII, else
/// `on_chars` on their chars.
#[inline]
fn on_symbols<R>(
    a: &str,
    b: &str,
    on_bytes: fn(&[u8], &[u8]) -> R,
    on_chars: fn(&[char], &[char]) -> R,
) -> R {
    if a.is_ascii() && b.is_ascii() {
        on_bytes(a.as_bytes(), b.as_bytes())
    } else {
        on_chars_of(a, b, on_chars)
    }
}

/// `f` on the chars of `a` and `b`, on the stack up to 64 each.
#[inline]
fn on_chars_of<R>(a: &str, b: &str, f: fn(&[char], &[char]) -> R) -> R {
    // Names of a few CJK characters: less stack to initialise.
    if a.len() <= 16 && b.len() <= 16 {
        on_chars_in::<16, R>(a, b, f)
    } else {
        on_chars_in::<INLINE, R>(a, b, f)
    }
}

/// `f` on the chars of `a` and `b`, on the stack up to `N` each.
fn on_chars_in<const N: usize, R>(a: &str, b: &str, f: fn(&[char], &[char]) -> R) -> R {
    let (mut stack_a, mut heap_a) = (['\0'; N], Vec::new());
    let (mut stack_b, mut heap_b) = (['\0'; N], Vec::new());
    f(
        collect(a.chars(), &mut stack_a, &mut heap_a),
        collect(b.chars(), &mut stack_b, &mut heap_b),
    )
}

/// The items of `iter`: in `stack` when they fit, else in `heap`.
#[inline]
fn collect<'t, T: Copy, const N: usize>(
    mut iter: impl Iterator<Item = T> + Clone,
    stack: &'t mut [T; N],
    heap: &'t mut Vec<T>,
) -> &'t mut [T] {
    let mut n = 0;
    for (slot, item) in stack.iter_mut().zip(&mut iter) {
        *slot = item;
        n += 1;
    }
    if iter.clone().next().is_none() {
        return stack.get_mut(..n).unwrap_or(&mut []);
    }
    heap.reserve_exact(n + iter.clone().count());
    heap.extend_from_slice(stack);
    heap.extend(iter);
    heap
}

/// `len` copies of `value`: in `stack` when they fit, else in `heap`.
#[inline]
fn scratch<'t, T: Copy, const N: usize>(
    stack: &'t mut [T; N],
    heap: &'t mut Vec<T>,
    len: usize,
    value: T,
) -> &'t mut [T] {
    match stack.get_mut(..len) {
        Some(s) => {
            s.fill(value);
            s
        }
        None => {
            heap.resize(len, value);
            heap
        }
    }
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// `a` and `b` without their common prefix and suffix (whole characters).
/// The edit distances are unchanged by it.
fn strip_affixes<'a, 'b>(a: &'a str, b: &'b str) -> (&'a str, &'b str) {
    let mut p = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    // Equal bytes before `p`, so a char boundary of `a` there is one of `b`.
    while p > 0 && !a.is_char_boundary(p) {
        p -= 1;
    }
    let (Some(a), Some(b)) = (a.get(p..), b.get(p..)) else {
        return (a, b);
    };
    let mut s = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    while s > 0 && !(a.is_char_boundary(a.len() - s) && b.is_char_boundary(b.len() - s)) {
        s -= 1;
    }
    match (a.get(..a.len() - s), b.get(..b.len() - s)) {
        (Some(x), Some(y)) => (x, y),
        _ => (a, b),
    }
}

/// Any of the three edit distances when `a` or `b` has at most one char,
/// without decoding.
fn trivial_str(a: &str, b: &str) -> Option<usize> {
    for (x, y) in [(a, b), (b, a)] {
        let mut chars = x.chars();
        match (chars.next(), chars.next()) {
            (None, _) => return Some(char_len(y)),
            (Some(c), None) if !y.is_empty() => {
                return Some(char_len(y) - usize::from(y.chars().any(|d| d == c)));
            }
            _ => {}
        }
    }
    None
}

/// What the algorithms compare: a byte on the ASCII path, a `char` otherwise.
trait Sym: Copy + Default + Ord {
    fn key(self) -> u32;

    /// [`bit_parallel`] with the match table that suits the pattern.
    fn bit_parallel<const OSA: bool>(pattern: &[Self], text: &[Self]) -> usize;

    /// [`jaro_one_word`] with the match table that suits `b`.
    fn jaro_one_word(a: &[Self], b: &[Self]) -> f64;
}

impl Sym for u8 {
    #[inline]
    fn key(self) -> u32 {
        u32::from(self)
    }

    fn bit_parallel<const OSA: bool>(pattern: &[u8], text: &[u8]) -> usize {
        if pattern.len() <= 16 {
            bit_parallel::<u8, HashPeq<32>, OSA>(pattern, text)
        } else {
            bit_parallel::<u8, AsciiPeq, OSA>(pattern, text)
        }
    }

    fn jaro_one_word(a: &[u8], b: &[u8]) -> f64 {
        if b.len() <= 16 {
            jaro_one_word::<u8, HashPeq<32>, 16>(a, b)
        } else {
            jaro_one_word::<u8, AsciiPeq, INLINE>(a, b)
        }
    }
}

impl Sym for char {
    #[inline]
    fn key(self) -> u32 {
        u32::from(self)
    }

    fn bit_parallel<const OSA: bool>(pattern: &[char], text: &[char]) -> usize {
        if pattern.len() <= 16 {
            bit_parallel::<char, HashPeq<32>, OSA>(pattern, text)
        } else {
            bit_parallel::<char, HashPeq<128>, OSA>(pattern, text)
        }
    }

    fn jaro_one_word(a: &[char], b: &[char]) -> f64 {
        if b.len() <= 16 {
            jaro_one_word::<char, HashPeq<32>, 16>(a, b)
        } else {
            jaro_one_word::<char, HashPeq<128>, INLINE>(a, b)
        }
    }
}

/// Match masks of a pattern of at most 64 symbols: bit r of `get(c)` is set
/// when the pattern's r-th symbol is `c`.
trait Peq<T> {
    fn new() -> Self;
    fn clear(&mut self);
    fn add(&mut self, c: T, bit: u64);
    fn get(&self, c: T) -> u64;

    fn load(&mut self, pattern: &[T])
    where
        T: Copy,
    {
        for (r, &c) in pattern.iter().enumerate() {
            self.add(c, 1u64 << (r & 63));
        }
    }
}

/// Masks indexed by ASCII byte (only ever given bytes below 128).
struct AsciiPeq([u64; 128]);

impl Peq<u8> for AsciiPeq {
    fn new() -> Self {
        Self([0; 128])
    }

    fn clear(&mut self) {
        self.0 = [0; 128];
    }

    #[inline]
    fn add(&mut self, c: u8, bit: u64) {
        self.0[usize::from(c & 0x7f)] |= bit;
    }

    #[inline]
    fn get(&self, c: u8) -> u64 {
        self.0[usize::from(c & 0x7f)]
    }
}

/// No symbol has this key.
const NO_KEY: u32 = u32::MAX;

/// Masks in an open-addressing hash table of `S` slots (a power of two), for
/// patterns of at most `S / 2` symbols, so that a probe always ends.
struct HashPeq<const S: usize> {
    keys: [u32; S],
    masks: [u64; S],
}

impl<const S: usize> HashPeq<S> {
    #[inline]
    fn home(key: u32) -> usize {
        const { assert!(S.is_power_of_two() && S >= 2 && S <= 1 << 16) };
        (key.wrapping_mul(0x9E37_79B1) >> (32 - S.trailing_zeros())) as usize
    }
}

impl<T: Sym, const S: usize> Peq<T> for HashPeq<S> {
    fn new() -> Self {
        Self {
            keys: [NO_KEY; S],
            masks: [0; S],
        }
    }

    fn clear(&mut self) {
        self.keys = [NO_KEY; S];
    }

    #[inline]
    fn add(&mut self, c: T, bit: u64) {
        let key = c.key();
        let mut i = Self::home(key);
        for _ in 0..S {
            i &= S - 1;
            let (Some(k), Some(m)) = (self.keys.get_mut(i), self.masks.get_mut(i)) else {
                return;
            };
            if *k == key {
                *m |= bit;
                return;
            }
            if *k == NO_KEY {
                *k = key;
                *m = bit;
                return;
            }
            i += 1;
        }
    }

    #[inline]
    fn get(&self, c: T) -> u64 {
        let key = c.key();
        let mut i = Self::home(key);
        for _ in 0..S {
            i &= S - 1;
            match self.keys.get(i) {
                Some(&k) if k == key => return self.masks.get(i).copied().unwrap_or(0),
                Some(&k) if k == NO_KEY => return 0,
                Some(_) => i += 1,
                None => return 0,
            }
        }
        0
    }
}

// ---------------------------------------------------------------------------
// Edit distances

/// `(longer, shorter)`.
fn order<'s, T>(a: &'s [T], b: &'s [T]) -> (&'s [T], &'s [T]) {
    if a.len() >= b.len() {
        (a, b)
    } else {
        (b, a)
    }
}

/// Any of the three edit distances when `short` has at most one symbol.
fn trivial<T: Sym>(long: &[T], short: &[T]) -> Option<usize> {
    match short {
        [] => Some(long.len()),
        [c] => Some(long.len() - usize::from(long.contains(c))),
        _ => None,
    }
}

fn levenshtein_syms<T: Sym>(a: &[T], b: &[T]) -> usize {
    let (long, short) = order(a, b);
    trivial(long, short).unwrap_or_else(|| T::bit_parallel::<false>(long, short))
}

fn osa_syms<T: Sym>(a: &[T], b: &[T]) -> usize {
    let (long, short) = order(a, b);
    trivial(long, short).unwrap_or_else(|| T::bit_parallel::<true>(long, short))
}

/// Levenshtein (`OSA == false`, Myers/Hyyrö) or optimal string alignment
/// (`OSA == true`, Hyyrö 2003) distance: a bit per pattern symbol, a step
/// per text symbol, the pattern cut into stripes of 64 beyond that length.
#[inline]
fn bit_parallel<T: Sym, P: Peq<T>, const OSA: bool>(pattern: &[T], text: &[T]) -> usize {
    if pattern.len() <= 64 {
        one_word::<T, P, OSA>(pattern, text)
    } else {
        striped::<T, P, OSA>(pattern, text)
    }
}

/// [`bit_parallel`] for a pattern of 1 to 64 symbols.
fn one_word<T: Sym, P: Peq<T>, const OSA: bool>(pattern: &[T], text: &[T]) -> usize {
    let mut peq = P::new();
    peq.load(pattern);
    let last = 1u64 << (pattern.len().saturating_sub(1) & 63);
    // Vertical deltas +1 (vp) / -1 (vn) down the current column, its
    // zero-difference diagonals d0, and the previous symbol's matches.
    let (mut vp, mut vn, mut d0, mut pm_prev) = (!0u64, 0u64, 0u64, 0u64);
    let mut dist = pattern.len();
    for &c in text {
        let pm = peq.get(c);
        let tr = if OSA { ((!d0 & pm) << 1) & pm_prev } else { 0 };
        d0 = ((pm & vp).wrapping_add(vp) ^ vp) | pm | vn | tr;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        dist = dist
            .wrapping_add(usize::from(hp & last != 0))
            .wrapping_sub(usize::from(hn & last != 0));
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_prev = pm;
    }
    dist
}

/// [`bit_parallel`] for a pattern of any length: stripes of 64 pattern
/// symbols top to bottom, each over the whole text, handing down per column
/// the horizontal delta of its bottom row and (OSA) the transposition carry.
fn striped<T: Sym, P: Peq<T>, const OSA: bool>(pattern: &[T], text: &[T]) -> usize {
    // Per column: bit 0 / bit 1 when the delta is +1 / -1, bit 2 the carry.
    // Row 0 of the matrix grows by 1 per column.
    let (mut stack, mut heap) = ([1u8; INLINE], Vec::new());
    let handoff = scratch(&mut stack, &mut heap, text.len(), 1);
    let mut peq = P::new();
    let mut rows = 0;
    let mut dist = 0;
    for stripe in pattern.chunks(64) {
        peq.clear();
        peq.load(stripe);
        let last = 1u64 << (stripe.len().saturating_sub(1) & 63);
        let (mut vp, mut vn, mut d0, mut pm_prev) = (!0u64, 0u64, 0u64, 0u64);
        rows += stripe.len();
        dist = rows;
        for (&c, h) in text.iter().zip(handoff.iter_mut()) {
            let pm = peq.get(c);
            let hp_in = u64::from(*h & 1);
            let hn_in = u64::from((*h >> 1) & 1);
            let mut out = 0u8;
            let tr = if OSA {
                let t = !d0 & pm;
                out = ((t >> 63) as u8) << 2;
                ((t << 1) | u64::from((*h >> 2) & 1)) & pm_prev
            } else {
                0
            };
            let x = pm | hn_in;
            d0 = ((x & vp).wrapping_add(vp) ^ vp) | x | vn | tr;
            let hp = vn | !(d0 | vp);
            let hn = d0 & vp;
            let (up, down) = (hp & last != 0, hn & last != 0);
            dist = dist
                .wrapping_add(usize::from(up))
                .wrapping_sub(usize::from(down));
            *h = out | u8::from(up) | (u8::from(down) << 1);
            let hp = (hp << 1) | hp_in;
            let hn = (hn << 1) | hn_in;
            vp = hn | !(d0 | hp);
            vn = hp & d0;
            pm_prev = pm;
        }
    }
    dist
}

/// True Damerau-Levenshtein distance in linear memory.
///
/// Lowrance-Wagner: `d[i][j]` may come from `d[k-1][l-1] + (i-k-1) + 1 +
/// (j-l-1)`, with `k` the last row before `i` where `a[k] == b[j]` and `l` the
/// last column before `j` where `b[l] == a[i]`. Substituting instead costs at
/// most `d[k-1][l-1] + max(i-k, j-l) + 1`, so the transposition only wins
/// when `k == i-1` or `l == j-1`. The first needs row `i-2` (kept); the
/// second needs `d[k-1][j-2]`, recorded per column when row `k` is computed.
fn damerau_syms<T: Sym>(a: &[T], b: &[T]) -> usize {
    // Rows over the longer string, columns over the shorter.
    let (a, b) = order(a, b);
    if let Some(d) = trivial(a, b) {
        return d;
    }
    // Smaller stack rows for short strings: less to initialise.
    if b.len() <= 16 {
        damerau_rows::<T, 17>(a, b)
    } else {
        damerau_rows::<T, { INLINE + 1 }>(a, b)
    }
}

/// [`damerau_syms`] for `a` at least as long as `b`, with rows of `N` cells
/// on the stack when `b` is shorter than `N`.
fn damerau_rows<T: Sym, const N: usize>(a: &[T], b: &[T]) -> usize {
    let cols = b.len() + 1;
    let (mut s0, mut h0) = ([0usize; N], Vec::new());
    let (mut s1, mut h1) = ([0usize; N], Vec::new());
    let (mut s2, mut h2) = ([0usize; N], Vec::new());
    let (mut s3, mut h3) = ([0usize; N], Vec::new());
    let (mut s4, mut h4) = ([0usize; N], Vec::new());
    // Rows i-2, i-1 and i.
    let mut pp = scratch(&mut s0, &mut h0, cols, 0);
    let mut prev = scratch(&mut s1, &mut h1, cols, 0);
    let mut cur = scratch(&mut s2, &mut h2, cols, 0);
    // Per column j: the last row k with a[k] == b[j] (0: none), d[k-1][j-2].
    let last_row = scratch(&mut s3, &mut h3, cols, 0);
    let last_val = scratch(&mut s4, &mut h4, cols, 0);
    for (j, v) in prev.iter_mut().enumerate() {
        *v = j;
    }
    let mut a_prev: Option<T> = None;
    for (i, &ai) in (1..).zip(a) {
        let Some((first, rest)) = cur.split_first_mut() else {
            break;
        };
        *first = i;
        let mut left = i; // d[i][j-1]
        let mut diag = i - 1; // d[i-1][j-1]
        let mut diag2 = 0; // d[i-1][j-2]
        let mut pp_diag = pp.first().copied().unwrap_or(0); // d[i-2][j-1]
        let mut last_col: Option<(usize, usize)> = None; // (l, d[i-2][l-1])
        let mut b_prev: Option<T> = None;
        let cells = rest
            .iter_mut()
            .zip(prev.iter().skip(1))
            .zip(pp.iter().skip(1))
            .zip(last_row.iter_mut().skip(1))
            .zip(last_val.iter_mut().skip(1))
            .zip(b);
        for (j, (((((cell, &up), &pp_up), k), k_val), &bj)) in (1..).zip(cells) {
            let mut v = min(min(up, left) + 1, diag + usize::from(ai != bj));
            if a_prev == Some(bj) {
                if let Some((l, base)) = last_col {
                    v = min(v, base + (j - l));
                }
            }
            if b_prev == Some(ai) && *k != 0 {
                v = min(v, *k_val + (i - *k));
            }
            if ai == bj {
                last_col = Some((j, pp_diag));
                *k = i;
                *k_val = diag2;
            }
            *cell = v;
            diag2 = diag;
            diag = up;
            pp_diag = pp_up;
            left = v;
            b_prev = Some(bj);
        }
        a_prev = Some(ai);
        (pp, prev, cur) = (prev, cur, pp);
    }
    prev.last().copied().unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Jaro, Jaro-Winkler

/// Jaro similarity, matching and counting as strsim and pg_similarity do:
/// each symbol of `a` in turn takes the first unmatched equal symbol of `b`
/// within `max(len) / 2 - 1` positions.
fn jaro_syms<T: Sym>(a: &[T], b: &[T]) -> f64 {
    match (a.len(), b.len()) {
        (0, 0) => 1.0,
        (0, _) | (_, 0) => 0.0,
        (_, lb) if lb <= 64 => T::jaro_one_word(a, b),
        _ => jaro_long(a, b),
    }
}

/// [`jaro_syms`] for `b` of at most 64 symbols: a mask of `b`'s positions
/// per symbol finds each match in one step.
fn jaro_one_word<T: Sym, P: Peq<T>, const M: usize>(a: &[T], b: &[T]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    let range = (max(la, lb) / 2).saturating_sub(1);
    let mut peq = P::new();
    peq.load(b);
    let mut b_used = 0u64;
    // At most `lb <= M` matches.
    let mut a_matched = [T::default(); M];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let (lo, hi) = (i.saturating_sub(range), min(lb, i + range + 1));
        if lo >= hi {
            break;
        }
        // Bits lo..hi.
        let window = u64::MAX.checked_shr((64 - hi) as u32).unwrap_or(0)
            & u64::MAX.checked_shl(lo as u32).unwrap_or(0);
        let free = peq.get(ca) & !b_used & window;
        if free != 0 {
            b_used |= free & free.wrapping_neg();
            if let Some(slot) = a_matched.get_mut(matches) {
                *slot = ca;
            }
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut half_transpositions = 0usize;
    let mut rest = b_used;
    for &ca in a_matched.iter().take(matches) {
        let j = rest.trailing_zeros() as usize;
        rest &= rest.wrapping_sub(1);
        half_transpositions += usize::from(b.get(j) != Some(&ca));
    }
    jaro_value(matches, half_transpositions / 2, la, lb)
}

/// [`jaro_syms`] for any lengths, with bit sets of the matched positions.
fn jaro_long<T: Sym>(a: &[T], b: &[T]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    let range = (max(la, lb) / 2).saturating_sub(1);
    // The matched positions of `a` and of `b`, as bit sets.
    let (mut stack_a, mut heap_a) = ([0u64; 1], Vec::new());
    let (mut stack_b, mut heap_b) = ([0u64; 1], Vec::new());
    let a_used = scratch(&mut stack_a, &mut heap_a, la.div_ceil(64), 0);
    let b_used = scratch(&mut stack_b, &mut heap_b, lb.div_ceil(64), 0);
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let Some(window) = b.get(lo..min(lb, i + range + 1)) else {
            break;
        };
        for (j, &cb) in (lo..).zip(window) {
            if cb == ca && !is_set(b_used, j) {
                set(b_used, j);
                set(a_used, i);
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // The k-th matched symbols of `a` and `b` differ: half a transposition.
    let matched_a = (0..).zip(a).filter(|&(i, _)| is_set(a_used, i));
    let matched_b = (0..).zip(b).filter(|&(j, _)| is_set(b_used, j));
    let half_transpositions = matched_a
        .zip(matched_b)
        .filter(|((_, x), (_, y))| x != y)
        .count();
    jaro_value(matches, half_transpositions / 2, la, lb)
}

/// Jaro from `m > 0` matches and `t` transpositions: strsim's expression,
/// for the same rounding.
fn jaro_value(m: usize, t: usize, la: usize, lb: usize) -> f64 {
    let mf = m as f64;
    ((mf / la as f64) + (mf / lb as f64) + ((m - t) as f64 / mf)) / 3.0
}

#[inline]
fn is_set(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| (w >> (i % 64)) & 1 != 0)
}

#[inline]
fn set(bits: &mut [u64], i: usize) {
    if let Some(w) = bits.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

fn jaro_winkler_syms<T: Sym>(a: &[T], b: &[T]) -> f64 {
    let sim = jaro_syms(a, b);
    if sim > 0.7 {
        let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
        (sim + 0.1 * prefix as f64 * (1.0 - sim)).min(1.0)
    } else {
        sim
    }
}

// ---------------------------------------------------------------------------
// Jaccard

/// Han (U+3400–U+9FFF, U+F900–U+FAFF, U+20000–U+323AF), kana and Hangul.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x323AF
        | 0x3040..=0x30FF     // hiragana, katakana
        | 0x31F0..=0x31FF     // katakana phonetic extensions
        | 0xFF66..=0xFF9F     // halfwidth katakana
        | 0x1B000..=0x1B16F   // kana supplement and extensions
        | 0x1100..=0x11FF     // hangul jamo
        | 0x3130..=0x318F     // hangul compatibility jamo
        | 0xA960..=0xA97F     // hangul jamo extended-A
        | 0xAC00..=0xD7FF     // hangul syllables, jamo extended-B
        | 0xFFA0..=0xFFDC) // halfwidth hangul
}

fn has_cjk(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(is_cjk)
}

/// The whitespace-separated tokens of `s`, as bytes.
fn tokens<'s, 't, const N: usize>(
    s: &'s str,
    stack: &'t mut [&'s [u8]; N],
    heap: &'t mut Vec<&'s [u8]>,
) -> &'t mut [&'s [u8]] {
    if s.is_ascii() {
        // The ASCII characters with Unicode's White_Space property.
        let split = s.as_bytes().split(|b| matches!(b, b' ' | b'\t'..=b'\r'));
        collect(split.filter(|t| !t.is_empty()), stack, heap)
    } else {
        collect(s.split_whitespace().map(str::as_bytes), stack, heap)
    }
}

/// `(|A∩B|, |A∪B|)` of the sets of items of `a` and `b` (reordered).
fn set_sizes<T: Ord + Copy>(a: &mut [T], b: &mut [T]) -> (usize, usize) {
    let (a, b) = (sorted_set(a), sorted_set(b));
    let (mut ia, mut ib) = (a.iter(), b.iter());
    let (mut x, mut y) = (ia.next(), ib.next());
    let mut common = 0;
    while let (Some(p), Some(q)) = (x, y) {
        match p.cmp(q) {
            std::cmp::Ordering::Less => x = ia.next(),
            std::cmp::Ordering::Greater => y = ib.next(),
            std::cmp::Ordering::Equal => {
                common += 1;
                x = ia.next();
                y = ib.next();
            }
        }
    }
    (common, a.len() + b.len() - common)
}

/// The distinct items of `items`, sorted, as a prefix of it.
fn sorted_set<T: Ord + Copy>(items: &mut [T]) -> &[T] {
    items.sort_unstable();
    let mut n = 0;
    let mut last = None;
    for k in 0..items.len() {
        let Some(&item) = items.get(k) else {
            break;
        };
        if last != Some(item) {
            if let Some(slot) = items.get_mut(n) {
                *slot = item;
            }
            n += 1;
            last = Some(item);
        }
    }
    items.get(..n).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
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
}
