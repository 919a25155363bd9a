//! Why the JSON scanner is hand-written: the same job (list every scalar
//! value of a line) done by our iterative scanner, by a nom 7 parser, and
//! by a `serde_json::Value` round trip.
//!
//! `cargo bench --bench parse`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nom::{
    branch::alt,
    bytes::complete::{escaped, is_not, tag},
    character::complete::{char, multispace0, one_of},
    combinator::{map, opt, value},
    multi::separated_list0,
    number::complete::recognize_float,
    sequence::{delimited, preceded, separated_pair, terminated},
    IResult,
};

const LINE: &str = r#"{"ts":"2026-11-02T09:14:06.205Z","level":"info","msg":"charge created","charge_id":"ch_3NfR8sLq","card":{"brand":"visa","last4":"4242","exp":"12/28"},"amount":4250,"currency":"eur","tags":["a","b",3],"duration_ms":212,"ok":true}"#;

fn string(i: &[u8]) -> IResult<&[u8], &[u8]> {
    delimited(
        char('"'),
        map(opt(escaped(is_not("\"\\"), '\\', one_of("\"\\/bfnrtu"))), |o| {
            o.unwrap_or(&b""[..])
        }),
        char('"'),
    )(i)
}

/// Counts scalar values (recursive: deep nesting overflows the stack,
/// one more reason the crate's scanner is iterative).
fn value_count(i: &[u8]) -> IResult<&[u8], usize> {
    preceded(
        multispace0,
        alt((
            map(string, |_| 1),
            map(recognize_float, |_| 1),
            value(0, alt((tag("true"), tag("false"), tag("null")))),
            map(
                delimited(
                    char('['),
                    separated_list0(char(','), value_count),
                    preceded(multispace0, char(']')),
                ),
                |v| v.iter().sum(),
            ),
            map(
                delimited(
                    char('{'),
                    separated_list0(
                        char(','),
                        separated_pair(
                            preceded(multispace0, string),
                            preceded(multispace0, char(':')),
                            value_count,
                        ),
                    ),
                    preceded(multispace0, char('}')),
                ),
                |v| v.iter().map(|(_, n)| n).sum(),
            ),
        )),
    )(i)
}

fn parse(c: &mut Criterion) {
    let line = LINE.as_bytes();
    let mut g = c.benchmark_group("json_fields");
    g.throughput(Throughput::Bytes(line.len() as u64));
    let mut scanner = logredact::internals::JsonScanner::default();
    let want = scanner.count(line);
    assert_eq!(want, Some(13));
    assert_eq!(terminated(value_count, multispace0)(line).unwrap().1, 13);
    g.bench_function("hand_written", |b| b.iter(|| scanner.count(line)));
    g.bench_function("nom", |b| b.iter(|| value_count(line).unwrap().1));
    g.bench_function("serde_json_value_round_trip", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_slice(line).unwrap();
            serde_json::to_vec(&v).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
