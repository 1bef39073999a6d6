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
mod tests;
