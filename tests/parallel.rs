//! `--threads`: chunks redacted in parallel come out in input order and
//! equal to the sequential filter's output.

use logredact::{DetectorConfig, Engine, Filter};

fn input(long_line_at: Option<usize>) -> Vec<u8> {
    let shapes = [
        "2026-11-02 09:14:03,118 INFO  [main] c.e.App - started in 4.2 s",
        "card declined: 4242 4242 4242 4242 (cvv=737) for Jane Roe",
        r#"{"msg":"login failed","password":"hunter2","n":17}"#,
        "ts=2026-11-02T09:14:07Z level=info routing=021000021 acct=000123456789",
        "",
        "<13>1 2026-11-02T09:14:12Z h app - - [m@1 card=\"4111111111111111\"] x",
    ];
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < 5 << 20 {
        if Some(i) == long_line_at {
            // Longer than a chunk: the rest goes through the sequential
            // filter.
            out.extend(std::iter::repeat_n(b'x', 3 << 20));
            out.extend_from_slice(b" password=s3cr3t\n");
        }
        out.extend_from_slice(
            format!("{i} {}\n", shapes[i % shapes.len()]).as_bytes(),
        );
        i += 1;
    }
    out.extend_from_slice(b"last line sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ");
    out
}

fn run(engine: &Engine, data: &[u8], threads: usize) -> (Vec<u8>, u64) {
    let mut out = Vec::new();
    let mut f = Filter::new(engine.clone());
    f.run_threads(data, &mut out, threads).unwrap();
    (out, f.stats().lines)
}

#[test]
fn parallel_output_equals_sequential() {
    let engine = Engine::default();
    for long in [None, Some(20_000)] {
        let data = input(long);
        let (seq, seq_lines) = run(&engine, &data, 1);
        for threads in [2, 3, 8] {
            let (par, par_lines) = run(&engine, &data, threads);
            assert_eq!(par_lines, seq_lines, "{threads} threads");
            assert!(par == seq, "{threads} threads: output differs");
        }
        assert!(!seq.windows(7).any(|w| w == b"hunter2"));
        assert!(!seq.windows(6).any(|w| w == b"s3cr3t"));
        assert!(seq.ends_with(b"sk_live_****W3yZ"));
        let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
        assert_eq!(seq_lines as usize, lines);
    }
}

/// Lines longer than `max_line_len` inside a chunk: a worker redacts the
/// chunk where it lies up to such a line, and the rest as the sequential
/// filter reads it, in windows. The output and the counts must not tell
/// the difference.
#[test]
fn over_long_lines_inside_chunks_equal_sequential() {
    let engine = Engine::builder()
        .detector_with_mask(
            "token",
            logredact::detect::token::TokenConfig::default().build().unwrap(),
            logredact::Mask::full("token"),
        )
        .max_line_len(4096)
        .build()
        .unwrap();
    let mut data = Vec::new();
    let mut i = 0usize;
    let mut clean = 0;
    while data.len() < 3 << 20 {
        match i % 5 {
            // Longer than max_line_len, a secret at a varying offset
            // (across a window's edge for some).
            0 => {
                let pad = 3000 + (i * 37) % 6000;
                data.extend(std::iter::repeat_n(b'a', pad));
                data.extend_from_slice(b" password=s3cr3tValue ");
                data.extend(std::iter::repeat_n(b'b', 5000));
                data.extend_from_slice(b"\r\n");
            }
            1 => {
                data.extend_from_slice(b"short clean line\n");
                clean += 1;
            }
            _ => data.extend_from_slice(
                format!("{i} key sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ ok\n")
                    .as_bytes(),
            ),
        }
        i += 1;
    }
    // The last line, over-long and with no newline.
    data.extend(std::iter::repeat_n(b'c', 9000));
    data.extend_from_slice(b" password=s3cr3tValue");
    let stats = |threads: usize| {
        let mut out = Vec::new();
        let mut f = Filter::new(engine.clone());
        f.run_threads(&data[..], &mut out, threads).unwrap();
        let s = f.stats();
        (out, s.lines, s.bytes, s.lines_changed)
    };
    let seq = stats(1);
    assert!(!seq.0.windows(11).any(|w| w == b"s3cr3tValue"));
    assert_eq!(seq.2, data.len() as u64);
    // Every line but the clean ones changed, a long one counted once
    // whether its secret fell in a window or in its last part.
    assert_eq!(seq.1, i as u64 + 1);
    assert_eq!(seq.3, seq.1 - clean);
    for threads in [2, 3] {
        let par = stats(threads);
        assert!(par.0 == seq.0, "{threads} threads: output differs");
        assert_eq!((par.1, par.2, par.3), (seq.1, seq.2, seq.3), "{threads}");
    }
}
