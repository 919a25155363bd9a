//! The checks of the national id schemes (`patterns/national_ids.toml`
//! names them): each reads a number at a position and says where it ends
//! if it is a valid one of its scheme, standing alone (no letter or digit
//! against it, no longer run of digit groups around it).

use crate::detect::checks::luhn;

/// A national id scheme's check, as `validator` names it in the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Validator {
    UsSsn,
    UkNino,
    EsDni,
    EsNie,
    ItCodiceFiscale,
    NlBsn,
    InAadhaar,
    CaSin,
}

impl Validator {
    /// The validator named `name`.
    pub(super) fn from_name(name: &str) -> Option<Validator> {
        Some(match name {
            "us_ssn" => Validator::UsSsn,
            "uk_nino" => Validator::UkNino,
            "es_dni" => Validator::EsDni,
            "es_nie" => Validator::EsNie,
            "it_codice_fiscale" => Validator::ItCodiceFiscale,
            "nl_bsn" => Validator::NlBsn,
            "in_aadhaar" => Validator::InAadhaar,
            "ca_sin" => Validator::CaSin,
            _ => return None,
        })
    }

    /// The end of a valid number of this scheme starting at `s`.
    pub(super) fn end_at(self, hay: &[u8], s: usize) -> Option<usize> {
        match self {
            Validator::UsSsn => ssn_at(hay, s),
            Validator::UkNino => nino_at(hay, s),
            Validator::EsDni => dni_at(hay, s),
            Validator::EsNie => nie_at(hay, s),
            Validator::ItCodiceFiscale => codice_fiscale_at(hay, s),
            Validator::NlBsn => bsn_at(hay, s),
            Validator::InAadhaar => aadhaar_at(hay, s),
            Validator::CaSin => sin_at(hay, s),
        }
    }
}

fn is_digit(hay: &[u8], i: usize) -> bool {
    hay.get(i).is_some_and(u8::is_ascii_digit)
}

/// No letter or digit right before `s`.
fn free_before(hay: &[u8], s: usize) -> bool {
    s == 0 || !hay[s - 1].is_ascii_alphanumeric()
}

/// No letter or digit right at `end`.
fn free_after(hay: &[u8], end: usize) -> bool {
    hay.get(end).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// Digits at `s` in groups of the sizes `groups`, unbroken or with the
/// same one byte of `seps` between each two groups, into `out`. Returns
/// the end if the number stands alone: no letter or digit around it,
/// and no digit joined to it by `-`, `.`, `/` or its own separator
/// (`123-456-789-0` is no SIN).
fn grouped(
    hay: &[u8],
    s: usize,
    groups: &[usize],
    seps: &[u8],
    out: &mut [u8],
) -> Option<usize> {
    let joins = |b: u8, sep: Option<u8>| {
        matches!(b, b'-' | b'.' | b'/') || Some(b) == sep
    };
    let mut i = s;
    let mut k = 0;
    let mut sep = None;
    for (g, &n) in groups.iter().enumerate() {
        if g == 1 && hay.get(i).is_some_and(|c| seps.contains(c)) {
            sep = Some(hay[i]);
        }
        if g > 0 {
            if let Some(c) = sep {
                if hay.get(i) != Some(&c) {
                    return None;
                }
                i += 1;
            }
        }
        for _ in 0..n {
            if !is_digit(hay, i) {
                return None;
            }
            out[k] = hay[i] - b'0';
            k += 1;
            i += 1;
        }
    }
    let before = s >= 2 && joins(hay[s - 1], sep) && is_digit(hay, s - 2);
    let after =
        hay.get(i).is_some_and(|&c| joins(c, sep)) && is_digit(hay, i + 1);
    (free_before(hay, s) && free_after(hay, i) && !before && !after)
        .then_some(i)
}

/// The end of a valid SSN starting at `s` (`123-45-6789` or
/// `123456789`), standing alone (no letter, digit or dash around it).
pub(super) fn ssn_at(hay: &[u8], s: usize) -> Option<usize> {
    let digit = |i: usize| is_digit(hay, i);
    let digits = |from: usize, n: usize| (from..from + n).all(digit);
    let alone_before = free_before(hay, s) && (s == 0 || hay[s - 1] != b'-');
    let (end, d) = if digits(s, 3)
        && hay.get(s + 3) == Some(&b'-')
        && digits(s + 4, 2)
        && hay.get(s + 6) == Some(&b'-')
        && digits(s + 7, 4)
    {
        let b = &hay[s..s + 11];
        (s + 11, [&b[0..3], &b[4..6], &b[7..11]])
    } else if digits(s, 9) {
        let b = &hay[s..s + 9];
        (s + 9, [&b[0..3], &b[3..5], &b[5..9]])
    } else {
        return None;
    };
    let alone_after = free_after(hay, end) && hay.get(end) != Some(&b'-');
    (alone_before && alone_after && ssn_valid(d[0], d[1], d[2])).then_some(end)
}

/// The SSA's rules for an SSN's area, group and serial.
fn ssn_valid(area: &[u8], group: &[u8], serial: &[u8]) -> bool {
    // Numbers the SSA voided after they were printed as examples.
    const VOIDED: [[&[u8]; 3]; 2] =
        [[b"078", b"05", b"1120"], [b"219", b"09", b"9999"]];
    area != b"000"
        && area != b"666"
        && area[0] != b'9'
        && group != b"00"
        && serial != b"0000"
        && !VOIDED.contains(&[area, group, serial])
}

/// The end of a valid National Insurance number at `s`: two prefix
/// letters, six digits (optionally in pairs split by spaces), a suffix
/// letter A–D; HMRC never issues the prefixes with D, F, I, Q, U or V,
/// O second, or BG, GB, KN, NK, NT, TN, ZZ.
pub(super) fn nino_at(hay: &[u8], s: usize) -> Option<usize> {
    let up = |i: usize| hay.get(i).map(u8::to_ascii_uppercase);
    let (a, b) = (up(s)?, up(s + 1)?);
    let bad_first = b"DFIQUV";
    let bad_second = b"DFIQUVO";
    if !a.is_ascii_uppercase()
        || !b.is_ascii_uppercase()
        || bad_first.contains(&a)
        || bad_second.contains(&b)
        || [*b"BG", *b"GB", *b"KN", *b"NK", *b"NT", *b"TN", *b"ZZ"]
            .contains(&[a, b])
        || !free_before(hay, s)
    {
        return None;
    }
    let mut i = s + 2;
    let spaced = hay.get(i) == Some(&b' ');
    for _ in 0..3 {
        if spaced {
            if hay.get(i) != Some(&b' ') {
                return None;
            }
            i += 1;
        }
        if !(is_digit(hay, i) && is_digit(hay, i + 1)) {
            return None;
        }
        i += 2;
    }
    if spaced && hay.get(i) == Some(&b' ') {
        i += 1;
    }
    let suffix = up(i)?;
    let end = i + 1;
    (matches!(suffix, b'A'..=b'D') && free_after(hay, end)).then_some(end)
}

/// The control letters of Spanish DNI and NIE numbers, by the number
/// mod 23.
const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// The control letter at `i` (either case), optionally after a `-`, if
/// it is the one of `number`: the end after it.
fn dni_letter(hay: &[u8], mut i: usize, number: u32) -> Option<usize> {
    if hay.get(i) == Some(&b'-') {
        i += 1;
    }
    let c = hay.get(i)?.to_ascii_uppercase();
    (c == DNI_LETTERS[(number % 23) as usize] && free_after(hay, i + 1))
        .then_some(i + 1)
}

/// `n` digits at `i` as a number, if they are digits.
fn number(hay: &[u8], i: usize, n: usize) -> Option<u32> {
    let b = hay.get(i..i + n)?;
    b.iter().try_fold(0u32, |v, &c| {
        c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0'))
    })
}

/// The end of a valid Spanish DNI at `s`: 8 digits and their control
/// letter (`12345678Z`, `12345678-Z`).
pub(super) fn dni_at(hay: &[u8], s: usize) -> Option<usize> {
    if !free_before(hay, s) {
        return None;
    }
    dni_letter(hay, s + 8, number(hay, s, 8)?)
}

/// The end of a valid Spanish NIE at `s`: X, Y or Z (0, 1, 2 in the
/// number), 7 digits and the control letter of the 8-digit number
/// (`X1234567L`, `X-1234567-L`).
pub(super) fn nie_at(hay: &[u8], s: usize) -> Option<usize> {
    let lead = hay.get(s)?.to_ascii_uppercase();
    let lead = b"XYZ".iter().position(|&c| c == lead)? as u32;
    let mut i = s + 1;
    if hay.get(i) == Some(&b'-') {
        i += 1;
    }
    if !free_before(hay, s) {
        return None;
    }
    dni_letter(hay, i + 7, lead * 10_000_000 + number(hay, i, 7)?)
}

/// The end of a valid Italian codice fiscale at `s`: 6 letters (surname,
/// name), year, month letter, day (41–71 for women), place code (a
/// letter and 3 digits), then the check letter. Any digit may be
/// written as a letter of `LMNPQRSTUV` (omocodia, for numbers given
/// twice).
pub(super) fn codice_fiscale_at(hay: &[u8], s: usize) -> Option<usize> {
    const OMOCODE: &[u8; 10] = b"LMNPQRSTUV";
    const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";
    // The check's value of a character at an odd (1st, 3rd, …) position,
    // by its place in A–Z (a digit as the letter in its place: 0 as A);
    // at an even position a character is worth its place.
    const ODD: [u8; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14,
        16, 10, 22, 25, 24, 23,
    ];
    let b = hay.get(s..s + 16)?;
    if !free_before(hay, s) || !free_after(hay, s + 16) {
        return None;
    }
    let mut c = [0u8; 16];
    for (k, &x) in b.iter().enumerate() {
        c[k] = x.to_ascii_uppercase();
    }
    // A digit place's value: the digit, or the omocode letter's.
    let digit = |k: usize| {
        let x = c[k];
        if x.is_ascii_digit() {
            Some(x - b'0')
        } else {
            OMOCODE.iter().position(|&o| o == x).map(|p| p as u8)
        }
    };
    let letters = [0, 1, 2, 3, 4, 5, 8, 11, 15];
    if !letters.iter().all(|&k| c[k].is_ascii_uppercase())
        || !MONTHS.contains(&c[8])
    {
        return None;
    }
    if [6, 7, 12, 13, 14].iter().any(|&k| digit(k).is_none()) {
        return None;
    }
    let day = digit(9)? * 10 + digit(10)?;
    if !matches!(day, 1..=31 | 41..=71) {
        return None;
    }
    // Position k + 1 is odd when k is even.
    let sum: u32 = c[..15]
        .iter()
        .enumerate()
        .map(|(k, &x)| {
            let v = usize::from(if x.is_ascii_digit() {
                x - b'0'
            } else {
                x - b'A'
            });
            u32::from(if k % 2 == 0 { ODD[v] } else { v as u8 })
        })
        .sum();
    (c[15] == b'A' + (sum % 26) as u8).then_some(s + 16)
}

/// The end of a valid Dutch BSN at `s`: 9 digits passing the 11-proof
/// (9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11), not all zeros.
pub(super) fn bsn_at(hay: &[u8], s: usize) -> Option<usize> {
    let mut d = [0u8; 9];
    let end = grouped(hay, s, &[9], b"", &mut d)?;
    let sum: i32 = d
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(&x, w)| i32::from(x) * w)
        .sum();
    (sum % 11 == 0 && d.iter().any(|&x| x != 0)).then_some(end)
}

/// The end of a valid Aadhaar number at `s`: 12 digits, the first 2–9,
/// the last a Verhoeff check digit; unbroken or in groups of four split
/// by spaces or dashes (`2345 6789 0128`).
pub(super) fn aadhaar_at(hay: &[u8], s: usize) -> Option<usize> {
    let mut d = [0u8; 12];
    let end = grouped(hay, s, &[4, 4, 4], b" -", &mut d)?;
    (d[0] >= 2 && verhoeff(&d)).then_some(end)
}

/// The end of a valid Canadian SIN at `s`: 9 digits passing the Luhn
/// check, not starting with 0 (never issued); unbroken or in groups of
/// three split by dashes or spaces (`130-692-544`).
pub(super) fn sin_at(hay: &[u8], s: usize) -> Option<usize> {
    let mut d = [0u8; 9];
    let end = grouped(hay, s, &[3, 3, 3], b" -", &mut d)?;
    (d[0] != 0 && luhn(&d)).then_some(end)
}

/// The Verhoeff check over digits `d`, the last being the check digit:
/// the dihedral group D5's multiplication and the position permutation.
fn verhoeff(d: &[u8]) -> bool {
    const MUL: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const PERM: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 8, 7, 0, 6],
        [4, 2, 8, 6, 5, 7, 3, 9, 1, 0],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    let c = d.iter().rev().enumerate().fold(0u8, |c, (i, &x)| {
        MUL[usize::from(c)][usize::from(PERM[i % 8][usize::from(x)])]
    });
    c == 0
}
