//! Passwords in SQL account statements, as the databases document them:
//!
//! - PostgreSQL `CREATE|ALTER ROLE|USER name [WITH] [ENCRYPTED] PASSWORD
//!   'secret'`; SQL Server `CREATE|ALTER LOGIN name WITH PASSWORD =
//!   'secret' [, OLD_PASSWORD = 'old']`;
//! - MySQL `CREATE|ALTER USER … IDENTIFIED BY 'secret'`, `IDENTIFIED BY
//!   PASSWORD '*hash'`, `IDENTIFIED WITH plugin BY|AS '…'`, `GRANT …
//!   IDENTIFIED BY '…'`; Oracle `IDENTIFIED BY secret` (unquoted) and
//!   `IDENTIFIED BY VALUES '…'`;
//! - MySQL `SET PASSWORD [FOR user] = 'secret'` and `PASSWORD('secret')`
//!   anywhere (the function).
//!
//! A clause counts only inside an account statement (`CREATE USER` …
//! before it, no `;` between), so prose (`password was reset`,
//! `identified by the scanner`) is left alone. A hash given in place of
//! the password is masked too: MySQL's `*…` is an unsalted double SHA-1,
//! PostgreSQL's `md5…` an MD5 salted with the user name, both cheap to
//! attack with a dictionary.

use crate::span::Span;

use super::super::keys::skip_blanks;
use super::shell::find_ci;

/// What wakes the SQL search: every form holds one. `password` is also
/// a token literal, so it adds no state to the prefilter.
pub(super) const LITERALS: [&str; 3] =
    ["password", "identified by", "identified with"];

/// Calls `push` with every SQL password in `hay`.
pub(super) fn find(hay: &[u8], push: &mut impl FnMut(Span)) {
    let mut at = 0;
    while let Some(p) = find_ci(hay, b"password", at) {
        at = p + 8;
        if let Some(v) = password(hay, p) {
            push(v);
        }
    }
    at = 0;
    while let Some(p) = find_ci(hay, b"identified", at) {
        at = p + 10;
        if let Some(v) = identified(hay, p) {
            push(v);
        }
    }
}

/// The secret of the `PASSWORD` word at `p`.
fn password(hay: &[u8], p: usize) -> Option<Span> {
    let e = p + 8;
    // `OLD_PASSWORD` is a word of its own; `passwords`, `dbpassword`,
    // `caching_sha2_password` (a plugin's name) are other words.
    let glued = p > 0
        && (hay[p - 1].is_ascii_alphanumeric() || hay[p - 1] == b'_')
        && !(p >= 4 && hay[p - 4..p].eq_ignore_ascii_case(b"old_"));
    if glued
        || hay.get(e).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return None;
    }
    let mut i = skip_blanks(hay, e);
    // `PASSWORD('secret')`, MySQL's function: a literal argument
    // anywhere is one.
    if hay.get(i) == Some(&b'(') {
        return string(hay, skip_blanks(hay, i + 1));
    }
    if last_word(hay, p).eq_ignore_ascii_case(b"set") {
        // `SET PASSWORD [FOR 'bob'@'%'] = 'secret'`; a `PASSWORD(…)`
        // there is found as the function.
        i = after_equals(hay, i)?;
        return string(hay, i);
    }
    if hay.get(i) == Some(&b'=') {
        i = skip_blanks(hay, i + 1);
    }
    // The statement is read only when a string follows: most lines with
    // the word are prose (`Failed password for root`).
    let v = string(hay, i)?;
    context(hay, p).account.then_some(v)
}

/// The words of the statement before `p` (from the line's start, or past
/// the last `;`): a letter, then letters, digits and `_`.
fn words(hay: &[u8], p: usize) -> impl Iterator<Item = &[u8]> {
    let mut i = memchr::memrchr(b';', &hay[..p]).map_or(0, |s| s + 1);
    std::iter::from_fn(move || {
        while i < p && !hay[i].is_ascii_alphabetic() {
            i += 1;
        }
        if i >= p {
            return None;
        }
        let s = i;
        while i < p && (hay[i].is_ascii_alphanumeric() || hay[i] == b'_') {
            i += 1;
        }
        Some(&hay[s..i])
    })
}

/// The word before `p` in its statement, as [`words`] reads it, or
/// nothing; read backwards, as most lines are long before `PASSWORD`.
fn last_word(hay: &[u8], p: usize) -> &[u8] {
    let start = memchr::memrchr(b';', &hay[..p]).map_or(0, |s| s + 1);
    let in_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut e = p;
    loop {
        while e > start && !in_word(hay[e - 1]) {
            e -= 1;
        }
        let mut s = e;
        while s > start && in_word(hay[s - 1]) {
            s -= 1;
        }
        if s == e {
            return b"";
        }
        // A run of word bytes is a word from its first letter on.
        match hay[s..e].iter().position(u8::is_ascii_alphabetic) {
            Some(a) => return &hay[s + a..e],
            None => e = s,
        }
    }
}

/// The secret of the `IDENTIFIED` word at `p`.
fn identified(hay: &[u8], p: usize) -> Option<Span> {
    let e = p + 10;
    if (p > 0 && hay[p - 1].is_ascii_alphanumeric())
        || hay.get(e).is_some_and(|&b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let ctx = context(hay, p);
    if !(ctx.account || ctx.grant) {
        return None;
    }
    let mut i = skip_blanks(hay, e);
    if let Some(n) = keyword(hay, i, b"with") {
        // `IDENTIFIED WITH plugin [BY|AS '…']`: skip the plugin's name.
        i = skip_blanks(hay, n);
        i = match string(hay, i) {
            Some(s) => s.end + 1,
            None => word(hay, i)?.end,
        };
        i = skip_blanks(hay, i);
        if let Some(n) = keyword(hay, i, b"as") {
            return string(hay, skip_blanks(hay, n));
        }
    }
    i = skip_blanks(hay, keyword(hay, i, b"by")?);
    // `BY PASSWORD '*hash'` (MySQL 5), `BY VALUES 'hash'` (Oracle).
    for k in [&b"password"[..], b"values"] {
        if let Some(n) = keyword(hay, i, k) {
            return string(hay, skip_blanks(hay, n));
        }
    }
    // Oracle takes the password unquoted: an identifier.
    string(hay, i).or_else(|| word(hay, i))
}

/// The statement that holds the word at `p`, as far as it matters.
#[derive(Default)]
struct Context {
    /// `CREATE|ALTER USER|ROLE|LOGIN` before it.
    account: bool,
    /// `GRANT` before it.
    grant: bool,
}

/// The context of the word at `p`, read from its statement's start (the
/// line's, or past the last `;`).
fn context(hay: &[u8], p: usize) -> Context {
    let mut c = Context::default();
    let mut prev: &[u8] = b"";
    for w in words(hay, p) {
        let is = |k: &[u8]| w.eq_ignore_ascii_case(k);
        let was = |k: &[u8]| prev.eq_ignore_ascii_case(k);
        if (was(b"create") || was(b"alter"))
            && (is(b"user") || is(b"role") || is(b"login"))
        {
            c.account = true;
        }
        c.grant |= is(b"grant");
        prev = w;
    }
    c
}

/// Past the `=` that follows, within the statement, skipping quoted
/// names (`FOR 'bob'@'%' =`).
fn after_equals(hay: &[u8], mut i: usize) -> Option<usize> {
    while i < hay.len() {
        match hay[i] {
            b'=' => return Some(skip_blanks(hay, i + 1)),
            b';' => return None,
            q @ (b'\'' | b'"' | b'`') => {
                i += 2 + memchr::memchr(q, &hay[i + 1..])?;
            }
            _ => i += 1,
        }
    }
    None
}

/// The end of keyword `k` (lower case) when it is the word at `i`.
fn keyword(hay: &[u8], i: usize, k: &[u8]) -> Option<usize> {
    let e = i + k.len();
    let w = hay.get(i..e)?;
    (w.eq_ignore_ascii_case(k)
        && !hay.get(e).is_some_and(|&b| b.is_ascii_alphanumeric()))
    .then_some(e)
}

/// An SQL string literal at `i` ('…', or "…" as MySQL allows; `''` and
/// `\'` inside), its content; `None` if there is none, or it is empty.
fn string(hay: &[u8], i: usize) -> Option<Span> {
    let q = *hay.get(i)?;
    if q != b'\'' && q != b'"' {
        return None;
    }
    let mut j = i + 1;
    loop {
        match *hay.get(j)? {
            b'\\' => j += 2,
            b if b == q && hay.get(j + 1) == Some(&q) => j += 2,
            b if b == q => break,
            _ => j += 1,
        }
    }
    (j > i + 1).then(|| Span::new(i + 1, j))
}

/// An unquoted password at `i` as Oracle takes it: a letter, then
/// letters, digits, `_`, `$`, `#`.
fn word(hay: &[u8], i: usize) -> Option<Span> {
    if !hay.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    let e = hay[i..]
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b"_$#".contains(&b)))
        .map_or(hay.len(), |n| i + n);
    Some(Span::new(i, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last word before `p` as `context` reads the statement forward.
    fn last_word_forward(hay: &[u8], p: usize) -> &[u8] {
        words(hay, p).last().unwrap_or_default()
    }

    #[test]
    fn last_word_reads_as_the_statement_does() {
        let pieces =
            ["SET", " ", "9", "_", "x1", ";", "'", "a_b", "  ", "7set"];
        // Every string of up to four pieces, then `PASSWORD`.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let more: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(more);
        }
        for t in texts {
            let hay = format!("{t} PASSWORD = 'x'");
            let p = t.len() + 1;
            assert_eq!(
                last_word(hay.as_bytes(), p),
                last_word_forward(hay.as_bytes(), p),
                "{hay}"
            );
        }
    }
}
