//! Private keys printed over several lines (`stream/block.rs`): no body
//! line survives, whatever the reads, the chunks of `--threads` or the
//! stats say.

use logredact::{Engine, Filter, MAX_BLOCK_LINES};

#[path = "support/pem.rs"]
mod pem;
use pem::{assert_no_body, pem_key};

#[test]
fn a_key_split_across_two_reads_at_every_point() {
    let (pem, body) = pem_key();
    assert!(pem.len() > 4096, "{}", pem.len());
    let input =
        format!("before the key\nkey follows:\n{pem}after the key 42\n");
    let engine = Engine::default();
    let mut f = Filter::with_block_size(engine, 4096);
    // Every split point across the first lines and the body's end, and
    // a few in between.
    let splits: Vec<usize> = (0..200)
        .chain((200..input.len()).step_by(61))
        .chain(input.len() - 120..input.len())
        .collect();
    for cut in splits {
        let mut out = Vec::new();
        f.feed(&input.as_bytes()[..cut], &mut out).unwrap();
        f.feed(&input.as_bytes()[cut..], &mut out).unwrap();
        f.end_line(&mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_no_body(&out, &body);
        assert_eq!(out.lines().count(), input.lines().count(), "cut {cut}");
        assert!(out.contains("-----BEGIN RSA PRIVATE KEY-----\n"));
        assert!(out.contains("\n-----END RSA PRIVATE KEY-----\n"));
        assert!(out.ends_with("after the key 42\n"), "cut {cut}");
        assert!(out.starts_with("before the key\nkey follows:\n"));
    }
}

#[test]
fn stats_count_block_lines_and_blocks_without_an_end() {
    let (pem, _) = pem_key();
    let mut f = Filter::new(Engine::default());
    let mut out = Vec::new();
    f.run(pem.as_bytes(), &mut out).unwrap();
    assert_eq!(f.stats().block_lines, 64);
    assert_eq!(f.stats().blocks_unterminated, 0);

    // No END: masking stops after the limit, and the stats say so.
    let mut open = String::from("-----BEGIN PRIVATE KEY-----\n");
    for _ in 0..MAX_BLOCK_LINES + 5 {
        open.push_str(
            "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6\n",
        );
    }
    let mut f = Filter::new(Engine::default());
    let mut out = Vec::new();
    f.run(open.as_bytes(), &mut out).unwrap();
    assert_eq!(f.stats().blocks_unterminated, 1);
    assert_eq!(f.stats().block_lines, u64::from(MAX_BLOCK_LINES));
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("MIIEowIBAAKCAQEA").count(), 5);
}

#[test]
fn clean_lines_around_a_block_and_certificates_stay() {
    let cert = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n";
    let out = Engine::default();
    let mut f = Filter::new(out);
    let mut got = Vec::new();
    f.run(cert.as_bytes(), &mut got).unwrap();
    assert_eq!(String::from_utf8(got).unwrap(), cert);
}

#[test]
fn threads_keep_a_block_whole_across_chunks() {
    let (pem, body) = pem_key();
    let filler =
        "2026-11-02 09:14:03,118 INFO  [main] c.e.App - started in 4.2 s\n";
    // Keys at and around the 1 MiB chunk cut.
    for before in [(1 << 20) - 200, (1 << 20) - 3000, (1 << 20) + 10] {
        let mut input = String::new();
        while input.len() < before {
            input.push_str(filler);
        }
        input.push_str(&pem);
        for _ in 0..20_000 {
            input.push_str(filler);
        }
        let mut seq = Vec::new();
        Filter::new(Engine::default())
            .run(input.as_bytes(), &mut seq)
            .unwrap();
        let mut par = Vec::new();
        Filter::new(Engine::default())
            .run_threads(input.as_bytes(), &mut par, 3)
            .unwrap();
        assert!(par == seq, "at {before}: parallel output differs");
        assert_no_body(&String::from_utf8(par).unwrap(), &body);
    }
}

#[test]
fn threads_agree_on_a_block_that_never_ends_across_a_chunk_cut() {
    // The reader looks for an open block only in a chunk's last
    // MAX_BLOCK_LINES lines: a block that began earlier has stopped being
    // masked by the cut. Blocks begun at and around that distance before
    // the 1 MiB cut must come out as the sequential filter writes them.
    let body =
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n";
    let filler =
        "2026-11-02 09:14:03,118 INFO  [main] c.e.App - started in 4.2 s\n";
    let max = MAX_BLOCK_LINES as usize;
    for n in [5, max - 2, max - 1, max, max + 1, max + 2, max + 3, max + 40] {
        let mut input = String::new();
        while input.len() + n * body.len() < (1 << 20) {
            input.push_str(filler);
        }
        input.push_str("-----BEGIN PRIVATE KEY-----\n");
        for _ in 0..n + 700 {
            input.push_str(body);
        }
        for _ in 0..20_000 {
            input.push_str(filler);
        }
        let mut seq = Vec::new();
        let mut f = Filter::new(Engine::default());
        f.run(input.as_bytes(), &mut seq).unwrap();
        assert_eq!(f.stats().blocks_unterminated, 1, "{n} lines before");
        let mut par = Vec::new();
        Filter::new(Engine::default())
            .run_threads(input.as_bytes(), &mut par, 2)
            .unwrap();
        assert!(par == seq, "{n} lines before the cut: parallel differs");
    }
}
