//! The `tracing` integration (feature `tracing`), with the real
//! `tracing-subscriber` fmt layer writing into a captured writer.
//!
//! `cargo test --features tracing --test tracing`. Expected outputs follow
//! the issue and the documented masks: `password` (token mask, under 12
//! characters) → `****`; cards keep their separators and last 4; CVVs
//! become `[REDACTED:cvv]`; Stripe keys keep their prefix and last 4.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use logredact::tracing::{RedactingMakeWriter, Redactor};
use logredact::{Config, Engine};
use tracing::dispatcher::{self, Dispatch};
use tracing::{info, info_span, warn};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const PAN: &str = "4242424242424242";
const PAN_MASKED: &str = "************4242";
const STRIPE: &str = "sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ";
const STRIPE_MASKED: &str = "sk_live_****W3yZ";

/// A `MakeWriter` that keeps every `write` call it gets as one chunk, so
/// tests can check that each event arrived whole, in one write.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Vec<u8>>>>);

struct CaptureWriter(Arc<Mutex<Vec<Vec<u8>>>>);

impl Write for CaptureWriter {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().push(b.to_vec());
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = CaptureWriter;
    fn make_writer(&'a self) -> CaptureWriter {
        CaptureWriter(self.0.clone())
    }
}

impl Capture {
    fn chunks(&self) -> Vec<String> {
        let chunks = self.0.lock().unwrap();
        chunks.iter().map(|c| String::from_utf8(c.clone()).unwrap()).collect()
    }
    fn text(&self) -> String {
        self.chunks().concat()
    }
}

/// Runs `f` with `subscriber` as this thread's default; returns what
/// it wrote.
fn capture<S>(subscriber: S, cap: &Capture, f: impl FnOnce()) -> String
where
    S: tracing::Subscriber + Send + Sync + 'static,
{
    tracing::subscriber::with_default(subscriber, f);
    cap.text()
}

/// Full format, no time, no target, no colours: lines are predictable.
fn full(r: &Redactor, cap: &Capture) -> impl tracing::Subscriber {
    tracing_subscriber::registry().with(
        r.layer_with_writer(cap.clone()).without_time().with_target(false),
    )
}

fn assert_absent(out: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!out.contains(s), "{s:?} survived in:\n{out}");
    }
}

#[test]
fn full_format_masks_event_fields_by_key_and_pattern() {
    let r = Redactor::default();
    let cap = Capture::default();
    let out = capture(full(&r, &cap), &cap, || {
        warn!(password = %"hunter2", card_number = %PAN, cvv = 737, "charge failed");
    });
    assert_eq!(
        out,
        format!(
            " WARN charge failed password=**** card_number={PAN_MASKED} \
             cvv=[REDACTED:cvv]\n"
        )
    );
}

#[test]
fn field_formatter_alone_masks_by_key_and_pattern() {
    // `RedactingFields` with a plain writer: what it writes is already
    // redacted, message and span fields included.
    let r = Redactor::default();
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .without_time()
            .with_target(false)
            .fmt_fields(r.fields())
            .with_writer(cap.clone()),
    );
    let out = capture(sub, &cap, || {
        let span = info_span!("charge", card = %PAN);
        let _g = span.enter();
        warn!(password = %"hunter2", cvv = 737, "declined, key {}", STRIPE);
    });
    assert_eq!(
        out,
        format!(
            " WARN charge{{card={PAN_MASKED}}}: declined, key {STRIPE_MASKED} \
             password=**** cvv=[REDACTED:cvv]\n"
        )
    );
}

#[test]
fn key_rule_masks_a_value_that_matches_no_pattern() {
    // `hunter2` is no token format; only the `password` key says it is
    // a secret. Quoted (`record_str`) and `Display` (`%`) values alike.
    let r = Redactor::default();
    let cap = Capture::default();
    let out = capture(full(&r, &cap), &cap, || {
        info!(password = "hunter2", "login");
        info!(user.password = %"hunter2", "login");
    });
    assert_eq!(
        out,
        " INFO login password=\"****\"\n INFO login user.password=****\n"
    );
}

#[test]
fn key_rules_from_the_config_apply_to_field_names() {
    // `merchant_ref` is no keyword of any detector: only the configured
    // key rule masks it. The writer alone sees plain text and cannot.
    let cfg = Config::from_toml(
        r#"
        [[keys.always]]
        detector = "token"
        paths = ["merchant_ref"]
        "#,
    )
    .unwrap();
    let r = Redactor::builder().config(cfg.clone()).build().unwrap();
    let cap = Capture::default();
    let out = capture(full(&r, &cap), &cap, || {
        info!(merchant_ref = %"MR-7731-QX", "refund");
    });
    assert_eq!(out, " INFO refund merchant_ref=****\n");

    // Without the field formatter: the value stays (this is what the
    // field-aware part adds).
    let cap = Capture::default();
    let engine = cfg.build().unwrap();
    let writer_only = tracing_subscriber::fmt()
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_writer(RedactingMakeWriter::new(cap.clone(), engine))
        .finish();
    let out = capture(writer_only, &cap, || {
        info!(merchant_ref = %"MR-7731-QX", "refund");
    });
    assert_eq!(out, " INFO refund merchant_ref=MR-7731-QX\n");
}

#[test]
fn never_keys_hold_in_the_fields_and_in_json() {
    // A Luhn-valid order number under `order_id` (shipped allow-list).
    let r = Redactor::default();
    let event = || info!(order_id = 4111111111111111u64, "shipped");
    // The field formatter leaves it alone…
    let cap = Capture::default();
    let fields_only = tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .without_time()
            .with_target(false)
            .fmt_fields(r.fields())
            .with_writer(cap.clone()),
    );
    let out = capture(fields_only, &cap, event);
    assert_eq!(out, " INFO shipped order_id=4111111111111111\n");
    // …and so does the writer on a JSON line, parsed key by key.
    let cap = Capture::default();
    let json = tracing_subscriber::registry().with(r.json_layer(cap.clone()));
    let out = capture(json, &cap, event);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["fields"]["order_id"], 4111111111111111u64, "{out}");
    // A text line is scanned as text, where no key rule applies: the
    // writer fails closed and masks it, as the CLI does on the same line.
    let cap = Capture::default();
    let out = capture(full(&r, &cap), &cap, event);
    assert_eq!(out, " INFO shipped order_id=************1111\n");
}

#[test]
fn a_value_masked_by_the_fields_is_not_masked_again_by_the_writer() {
    // The field formatter keeps the key's public prefix; the writer then
    // sees `api_key="sk_live_****W3yZ"` and must leave it as it is.
    let r = Redactor::default();
    let cap = Capture::default();
    let out = capture(full(&r, &cap), &cap, || {
        info!(api_key = STRIPE, "calling");
    });
    assert_eq!(out, format!(" INFO calling api_key=\"{STRIPE_MASKED}\"\n"));
}

#[test]
fn secrets_inside_format_arguments_are_masked() {
    let r = Redactor::default();
    let cap = Capture::default();
    let pan = "4242 4242 4242 4242";
    let out = capture(full(&r, &cap), &cap, || {
        info!("token {}", STRIPE);
        warn!("card {pan} declined, cvv={}", 737);
    });
    assert_eq!(
        out,
        format!(
            " INFO token {STRIPE_MASKED}\n WARN card **** **** **** 4242 \
             declined, cvv=[REDACTED:cvv]\n"
        )
    );
}

#[test]
fn span_fields_are_masked_also_when_recorded_later() {
    let r = Redactor::default();
    let cap = Capture::default();
    let pan = "4242 4242 4242 4242";
    let out = capture(full(&r, &cap), &cap, || {
        let span =
            info_span!("charge", card = %pan, cvv = tracing::field::Empty);
        let _g = span.enter();
        info!("declined");
        span.record("cvv", 737);
        info!(attempt = 2, "retry");
    });
    assert_eq!(
        out,
        " INFO charge{card=**** **** **** 4242}: declined\n INFO \
         charge{card=**** **** **** 4242 cvv=[REDACTED:cvv]}: retry \
         attempt=2\n"
    );
}

#[test]
fn numbers_errors_and_bytes_are_redacted_too() {
    #[derive(Debug)]
    struct Declined;
    impl std::fmt::Display for Declined {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "card 4242424242424242 declined")
        }
    }
    impl std::error::Error for Declined {}
    let r = Redactor::default();
    let cap = Capture::default();
    let out = capture(full(&r, &cap), &cap, || {
        let e: &(dyn std::error::Error + 'static) = &Declined;
        info!(pan = 4242424242424242u64, error = e, "numbers");
        info!(body = b"password=hunter2".as_slice(), "bytes");
    });
    assert_absent(&out, &[PAN, "hunter2"]);
    assert_eq!(
        out,
        format!(
            " INFO numbers pan={PAN_MASKED} error=card {PAN_MASKED} \
             declined\n INFO bytes body=password=****\n"
        )
    );
}

/// Events whose output must not change at all, with every kind of field.
fn clean_events() {
    #[derive(Debug)]
    struct Timeout;
    impl std::fmt::Display for Timeout {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "upstream timed out")
        }
    }
    impl std::error::Error for Timeout {}
    let span = info_span!("request", method = "GET", path = %"/v1/charges");
    let _g = span.enter();
    info!(status = 200, latency_ms = 12.5, cached = false, "served");
    info!(order_id = %"ord_8Hq2LmP0", amount = 4250i64, currency = "eur", "charge created");
    let e: &(dyn std::error::Error + 'static) = &Timeout;
    warn!(error = e, attempt = 3u64, big = 1u128 << 70, "retrying");
    info!(r#type = "card", items = ?vec![1, 2, 3], "debug value \"quoted\"");
}

#[test]
fn clean_events_pass_byte_identical_in_every_format() {
    let r = Redactor::default();
    macro_rules! same {
        ($name:literal, $plain:expr, $redacting:expr) => {{
            let (a, b) = (Capture::default(), Capture::default());
            let plain = tracing_subscriber::registry().with($plain(a.clone()));
            let red =
                tracing_subscriber::registry().with($redacting(b.clone()));
            let want = capture(plain, &a, clean_events);
            let got = capture(red, &b, clean_events);
            assert!(want.lines().count() >= 4, "{}: {want}", $name);
            assert_eq!(got, want, "{}", $name);
        }};
    }
    let base = |c: Capture| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .without_time()
            .with_writer(c)
    };
    same!("full", base, |c: Capture| {
        base(c.clone()).fmt_fields(r.fields()).with_writer(r.make_writer(c))
    });
    same!("compact", |c| base(c).compact(), |c: Capture| {
        base(c.clone())
            .compact()
            .fmt_fields(r.fields())
            .with_writer(r.make_writer(c))
    });
    same!("pretty", |c| base(c).pretty(), |c: Capture| {
        base(c.clone())
            .pretty()
            .fmt_fields(r.pretty_fields())
            .with_writer(r.make_writer(c))
    });
    same!("json", |c| base(c).json(), |c: Capture| {
        base(c.clone())
            .json()
            .fmt_fields(r.json_fields())
            .with_writer(r.make_writer(c))
    });
}

#[test]
fn json_stays_valid_json_with_fields_spans_and_message_masked() {
    let r = Redactor::default();
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(r.json_layer(cap.clone()));
    let out = capture(sub, &cap, || {
        let span = info_span!("charge", card = %"4242 4242 4242 4242", cvv = tracing::field::Empty);
        let _g = span.enter();
        span.record("cvv", "737");
        warn!(password = "hunter2", card_number = PAN, "token {}", STRIPE);
        info!(note = r#"{"cvc":"123","ok":true}"#, "nested JSON in a field");
    });
    assert_absent(
        &out,
        &[PAN, "4242 4242 4242 4242", "hunter2", STRIPE, "737"],
    );
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))
        })
        .collect();
    assert_eq!(lines.len(), 2);
    let ev = &lines[0];
    assert_eq!(ev["fields"]["password"], "****");
    assert_eq!(ev["fields"]["card_number"], PAN_MASKED);
    assert_eq!(ev["fields"]["message"], format!("token {STRIPE_MASKED}"));
    assert_eq!(ev["span"]["card"], "**** **** **** 4242");
    assert_eq!(ev["span"]["cvv"], "[REDACTED:cvv]");
    assert_eq!(ev["spans"][0]["cvv"], "[REDACTED:cvv]");
    assert_eq!(
        lines[1]["fields"]["note"],
        r#"{"cvc":"[REDACTED:cvv]","ok":true}"#
    );
}

#[test]
fn pretty_format_multi_line_events_are_redacted_and_whole() {
    let r = Redactor::default();
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(
        r.layer_with_writer(cap.clone())
            .pretty()
            .fmt_fields(r.pretty_fields()),
    );
    let out = capture(sub, &cap, || {
        let span = info_span!("charge", card = %PAN);
        let _g = span.enter();
        warn!(password = "hunter2", token = STRIPE, "card {} declined", PAN);
        info!("second");
    });
    assert_absent(&out, &[PAN, "hunter2", STRIPE]);
    assert!(out.contains(&format!("card {PAN_MASKED} declined")), "{out}");
    assert!(out.contains("password: \"****\""), "{out}");
    assert!(
        out.contains(&format!("in tracing::charge with card: {PAN_MASKED}")),
        "{out}"
    );
    // Each multi-line event reached the inner writer in one write.
    let chunks = cap.chunks();
    assert_eq!(chunks.len(), 2, "{chunks:?}");
    assert!(chunks[0].lines().count() >= 3, "{:?}", chunks[0]);
    assert!(chunks[0].contains("declined") && !chunks[0].contains("second"));
}

#[test]
fn compact_format_is_redacted() {
    let r = Redactor::default();
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(
        r.layer_with_writer(cap.clone())
            .compact()
            .without_time()
            .with_target(false),
    );
    let out = capture(sub, &cap, || {
        let span = info_span!("charge", cvv = 123);
        let _g = span.enter();
        warn!(password = %"hunter2", "card {} declined", PAN);
    });
    assert_eq!(
        out,
        format!(
            " WARN charge: card {PAN_MASKED} declined password=**** \
             cvv=[REDACTED:cvv]\n"
        )
    );
}

#[test]
fn many_threads_every_event_once_whole_and_not_interleaved() {
    const THREADS: usize = 8;
    const EVENTS: usize = 1000;
    let r = Redactor::default();
    let cap = Capture::default();
    let dispatch = Dispatch::new(
        tracing_subscriber::registry()
            .with(r.layer_with_writer(cap.clone()).without_time()),
    );
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let d = dispatch.clone();
            s.spawn(move || {
                dispatcher::with_default(&d, || {
                    for i in 0..EVENTS {
                        info!(
                            t,
                            i,
                            password = "hunter2",
                            "charge {PAN} failed"
                        );
                    }
                })
            });
        }
    });
    let chunks = cap.chunks();
    assert_eq!(chunks.len(), THREADS * EVENTS);
    let mut seen = BTreeSet::new();
    for c in &chunks {
        // One write = one whole line.
        assert_eq!(c.matches('\n').count(), 1, "{c:?}");
        assert!(c.ends_with('\n'), "{c:?}");
        assert!(c.contains(&format!("charge {PAN_MASKED} failed")), "{c:?}");
        assert!(c.contains("password=\"****\""), "{c:?}");
        assert_absent(c, &[PAN, "hunter2"]);
        let num = |k: &str| -> usize {
            let at = c.find(&format!(" {k}=")).unwrap() + k.len() + 2;
            let end = c[at..].find(' ').map_or(c.len(), |e| at + e);
            c[at..end].trim().parse().unwrap()
        };
        assert!(seen.insert((num("t"), num("i"))), "twice: {c:?}");
    }
    assert_eq!(seen.len(), THREADS * EVENTS);
}

#[path = "support/pem.rs"]
mod pem;

#[test]
fn an_event_that_prints_a_private_key_over_lines_keeps_no_body() {
    let (key, body) = pem::pem_key();
    let cap = Capture::default();
    let writer_only = tracing_subscriber::fmt()
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_writer(RedactingMakeWriter::new(cap.clone(), Engine::default()))
        .finish();
    let out = capture(writer_only, &cap, || {
        warn!("loaded signing key\n{key}");
        info!("next event MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6");
    });
    pem::assert_no_body(&out, &body);
    assert!(out.contains("\n-----END RSA PRIVATE KEY-----\n"), "{out}");
    // The block ended with its event: the next event is its own.
    assert!(out.ends_with(
        " INFO next event MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6\n"
    ), "{out}");
}

#[test]
fn writer_forwards_whole_lines_only_in_one_write() {
    let cap = Capture::default();
    let mw = RedactingMakeWriter::new(cap.clone(), Engine::default());
    let mut w = mw.make_writer();
    // A secret split over two writes is still found.
    w.write_all(b"card 4242 4242 ").unwrap();
    w.write_all(b"4242 4242 ok\nsecond line: cvv=").unwrap();
    assert!(cap.chunks().is_empty(), "nothing before a flush or drop");
    // Flush hands on the complete line only.
    w.flush().unwrap();
    assert_eq!(cap.chunks(), ["card **** **** **** 4242 ok\n"]);
    w.write_all(b"123\n{\"password\":\"hunter2\"}").unwrap();
    drop(w);
    assert_eq!(
        cap.chunks(),
        [
            "card **** **** **** 4242 ok\n",
            "second line: cvv=[REDACTED:cvv]\n{\"password\":\"****\"}",
        ]
    );
}

#[test]
fn builder_reads_the_cli_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redact.toml");
    std::fs::write(
        &path,
        "[detectors.card]\ntype = \"card\"\nmask = { type = \"card\", keep_first6 = true }\n",
    )
    .unwrap();
    let r = Redactor::builder().config_file(&path).build().unwrap();
    let cap = Capture::default();
    let out = capture(full(&r, &cap), &cap, || info!("card {PAN}"));
    assert_eq!(out, " INFO card 424242******4242\n");

    std::fs::write(
        &path,
        "[detectors.card]\ntype = \"card\"\nmask = \"nope\"\n",
    )
    .unwrap();
    let e = Redactor::builder().config_file(&path).build().unwrap_err();
    assert_eq!(e.path(), Some("detectors.card.mask"));
    let e = Redactor::builder()
        .config_file(dir.path().join("missing.toml"))
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("missing.toml"), "{e}");
}

#[test]
fn default_layer_is_a_full_format_layer_without_colours() {
    // `layer()` writes to stdout; the same layer with a captured writer
    // shows what it prints.
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(
        logredact::tracing::layer().with_writer(RedactingMakeWriter::new(
            cap.clone(),
            Engine::default(),
        )),
    );
    let out = capture(sub, &cap, || warn!(cvv = 737, "declined"));
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(
        out.ends_with(" WARN tracing: declined cvv=[REDACTED:cvv]\n"),
        "{out:?}"
    );
}

#[test]
fn readme_example_line() {
    // The line shown in the README's "Use with `tracing`" section.
    let r = Redactor::default();
    let cap = Capture::default();
    let sub = tracing_subscriber::registry()
        .with(r.layer_with_writer(cap.clone()).without_time());
    let out = capture(sub, &cap, || {
        warn!(password = %"hunter2", cvv = 737, "card {} declined", "4242 4242 4242 4242");
    });
    assert_eq!(
        out,
        " WARN tracing: card **** **** **** 4242 declined password=**** \
         cvv=[REDACTED:cvv]\n"
    );
}

#[test]
fn json_options_set_on_the_event_format_keep_redaction() {
    // `flatten_event` puts event fields at the top level; the writer
    // still judges them by key.
    let r = Redactor::default();
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(
        r.json_layer(cap.clone()).event_format(
            tracing_subscriber::fmt::format().json().flatten_event(true),
        ),
    );
    let out = capture(sub, &cap, || {
        info!(password = "hunter2", merchant = "acme", "login");
    });
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["password"], "****", "{out}");
    assert_eq!(v["merchant"], "acme", "{out}");
    assert_eq!(v["message"], "login", "{out}");
}

#[test]
fn a_clean_event_allocates_no_more_than_without_redaction() {
    fn allocs_per_1000(d: &Dispatch) -> u64 {
        dispatcher::with_default(d, || {
            let span = info_span!("request", path = "/v1/charges");
            let _g = span.enter();
            let event = || {
                info!(
                    order_id = "ord_8Hq2LmP0",
                    amount = 4250,
                    "charge created in {} ms",
                    212
                )
            };
            for _ in 0..100 {
                event(); // buffers reach their working size
            }
            let before = counting::allocs();
            for _ in 0..1000 {
                event();
            }
            counting::allocs() - before
        })
    }
    let r = Redactor::default();
    let plain = Dispatch::new(
        tracing_subscriber::registry().with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(io::sink),
        ),
    );
    let redacting = Dispatch::new(
        tracing_subscriber::registry().with(r.layer_with_writer(io::sink)),
    );
    let (a, b) = (allocs_per_1000(&plain), allocs_per_1000(&redacting));
    assert_eq!(b, a, "redacting: {b} allocations per 1000 events, plain: {a}");
    // The counter does count.
    let before = counting::allocs();
    let v = std::hint::black_box(vec![1u8; 10]);
    assert!(counting::allocs() > before && v.len() == 10);
}
