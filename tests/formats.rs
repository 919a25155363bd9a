//! Per-line format detection (`format = "auto"`): JSON, logfmt, syslog
//! (RFC 5424 and 3164), XML, HTTP lines, key rules and bad input.
//!
//! Data-driven tables in `tests/data/formats/`, each an array of records
//!
//! ```json
//! {"name": "…", "input": "…", "expected": "…", "config": "…"}
//! ```
//!
//! run through [`Engine::redact`] (`config`, when given, is a TOML
//! config; else `Engine::default()`). Expected outputs follow the feature's
//! issue text and the documented masks, not the program's output. Every
//! input that is valid JSON must give valid JSON, and every well-formed
//! XML input well-formed XML.
//!
//! Also: syslog frames produced by the real `logger` (util-linux), real
//! loghub lines (must come out unchanged), JSON validity over a mixed
//! corpus, and pathological input (deep nesting, invalid UTF-8).

use std::io::Read;
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use logredact::{Engine, Format};

use crate::cases::{is_json, run, Case};

macro_rules! table {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            run($file, include_str!(concat!("data/formats/", $file)));
        }
    };
}

table!(json_lines_values_rewritten_in_place, "json.json");
table!(logfmt_pairs_and_quoted_values, "logfmt.json");
table!(syslog_header_kept_sd_and_msg_redacted, "syslog.json");
table!(http_request_lines_headers_and_urls, "http.json");
table!(key_rules_never_always_and_paths, "keyrules.json");
table!(bad_input_falls_back_to_plain_text, "bad.json");
table!(xml_elements_and_attributes_keyed, "xml.json");

const TABLES: [(&str, &str); 7] = [
    ("json.json", include_str!("data/formats/json.json")),
    ("logfmt.json", include_str!("data/formats/logfmt.json")),
    ("syslog.json", include_str!("data/formats/syslog.json")),
    ("http.json", include_str!("data/formats/http.json")),
    ("keyrules.json", include_str!("data/formats/keyrules.json")),
    ("bad.json", include_str!("data/formats/bad.json")),
    ("xml.json", include_str!("data/formats/xml.json")),
];

// ---------------------------------------------------------------- XML

/// Whether `s` is well-formed XML: balanced, matching tags, one or more
/// root elements (a fragment), no text outside them, only the predefined
/// entities and valid character references.
pub(crate) fn well_formed_xml(s: &str) -> Result<(), String> {
    use quick_xml::events::{BytesStart, Event};
    fn attrs(e: &BytesStart<'_>) -> Result<(), String> {
        for a in e.attributes() {
            a.map_err(|e| e.to_string())?
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
    let mut r = quick_xml::Reader::from_str(s);
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                roots += usize::from(depth == 0);
                depth += 1;
                attrs(&e)?;
            }
            Event::Empty(e) => {
                roots += usize::from(depth == 0);
                attrs(&e)?;
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) if depth == 0 && !t.trim().is_empty() => {
                return Err(format!("text outside the root: {:?}", &*t));
            }
            Event::GeneralRef(g) => {
                let ok = match g.resolve_char_ref() {
                    Ok(Some(_)) => true,
                    Ok(None) => {
                        matches!(&*g, "lt" | "gt" | "amp" | "quot" | "apos")
                    }
                    Err(_) => false,
                };
                if !ok || depth == 0 {
                    return Err(format!("bad reference &{};", &*g));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match (depth, roots) {
        (0, 1..) => Ok(()),
        _ => Err(format!("{depth} elements left open, {roots} roots")),
    }
}

#[test]
fn xml_oracle_rejects_broken_xml() {
    assert_eq!(well_formed_xml("<a x='1'>&amp;&#x41;<b/></a><c/>"), Ok(()));
    for s in [
        "<a>",
        "<a></b>",
        "<a>&nbsp;</a>",
        "<a>&#0;</a>",
        "text <a/>",
        "<a x=1/>",
        "<a/>x",
    ] {
        assert!(well_formed_xml(s).is_err(), "{s}");
    }
}

/// Well-formed XML in, well-formed XML out, over the XML table and the
/// same lines inside a SOAP envelope.
#[test]
fn xml_stays_well_formed() {
    let cases: Vec<Case> =
        serde_json::from_str(include_str!("data/formats/xml.json")).unwrap();
    let engine = Engine::default();
    let (mut n, mut bad) = (0, Vec::new());
    for c in &cases {
        let soap = format!(
            "<soap:Envelope xmlns:soap=\"urn:s\"><soap:Body>{}</soap:Body>\
             </soap:Envelope>",
            c.input
        );
        for input in [c.input.as_str(), soap.as_str()] {
            if well_formed_xml(input).is_err() {
                continue;
            }
            n += 1;
            let out = engine.redact(input.as_bytes());
            let out = String::from_utf8_lossy(&out);
            if let Err(e) = well_formed_xml(&out) {
                bad.push(format!("{}: {e}\n  out: {out}", c.name));
            }
        }
    }
    println!("xml.json: {n} well-formed inputs, {} broken", bad.len());
    assert!(n >= 30, "only {n} well-formed inputs");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// ---------------------------------------------------------------- logger

const LOGGER: &str = "/usr/bin/logger";
const MSG: &str = "card 4111 1111 1111 1111 cvv=123 for customer=Jane Roe";
const MSG_REDACTED: &str =
    "card **** **** **** 1111 cvv=[REDACTED:cvv] for customer=Jane R***";

fn have_logger() -> bool {
    if Path::new(LOGGER).exists() {
        true
    } else {
        println!("note: {LOGGER} not found; logger tests skipped");
        false
    }
}

/// Runs `logger` against a TCP listener on 127.0.0.1 and returns the bytes
/// received (at most 5 s).
fn logger_tcp(args: &[&str]) -> Vec<u8> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    listener.set_nonblocking(true).unwrap();
    let mut child = Command::new(LOGGER)
        .args(["--tcp", "-n", "127.0.0.1", "-P", &port])
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("logger runs");
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut stream = loop {
        match listener.accept() {
            Ok((s, _)) => break s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    panic!("logger did not connect within 5 s");
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("accept: {e}"),
        }
    };
    stream.set_nonblocking(false).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(2500))).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => break, // timeout: take what arrived
        }
        if Instant::now() > deadline {
            break;
        }
    }
    let _ = child.wait();
    buf
}

/// Runs `logger` against a UDP socket on 127.0.0.1; one datagram.
fn logger_udp(args: &[&str]) -> Vec<u8> {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port().to_string();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let status = Command::new(LOGGER)
        .args(["--udp", "-n", "127.0.0.1", "-P", &port])
        .args(args)
        .stdin(Stdio::null())
        .status()
        .expect("logger runs");
    assert!(status.success(), "logger failed: {status}");
    let mut buf = [0u8; 65536];
    let n = sock.recv(&mut buf).expect("a datagram within 5 s");
    buf[..n].to_vec()
}

/// One syslog message out of a TCP stream: octet counting (`LEN SP MSG`,
/// RFC 6587) or a trailing newline.
fn unframe(mut b: &[u8]) -> Vec<u8> {
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && b.get(digits) == Some(&b' ') {
        let len: usize =
            std::str::from_utf8(&b[..digits]).unwrap().parse().unwrap();
        b = &b[digits + 1..];
        assert!(b.len() >= len, "short octet-counted frame");
        b = &b[..len];
    }
    while let Some((&last, rest)) = b.split_last() {
        if last == b'\n' || last == b'\r' || last == 0 {
            b = rest;
        } else {
            break;
        }
    }
    assert!(!b.contains(&b'\n'), "more than one frame: {b:?}");
    b.to_vec()
}

/// Byte offset where an RFC 5424 line's SD starts (after 6 header fields).
fn rfc5424_sd_start(line: &[u8]) -> usize {
    let mut spaces = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == b' ' {
            spaces += 1;
            if spaces == 6 {
                return i + 1;
            }
        }
    }
    panic!("not RFC 5424: {}", String::from_utf8_lossy(line));
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn check_rfc5424(line: &[u8], sd_expected: &[u8]) {
    println!("logger sent:   {}", show(line));
    let out = Engine::default().redact(line);
    println!("redacted:      {}", show(&out));
    let sd = rfc5424_sd_start(line);
    assert!(line.starts_with(b"<13>1 "), "{}", show(line));
    assert_eq!(
        show(&out[..sd.min(out.len())]),
        show(&line[..sd]),
        "header altered"
    );
    let mut want = line[..sd].to_vec();
    want.extend_from_slice(sd_expected);
    want.push(b' ');
    want.extend_from_slice(MSG_REDACTED.as_bytes());
    assert_eq!(show(&out), show(&want));
}

/// `[timeQuality …]` as logger wrote it.
fn time_quality(line: &[u8]) -> Vec<u8> {
    let sd = rfc5424_sd_start(line);
    let rest = &line[sd..];
    assert!(rest.starts_with(b"[timeQuality "), "{}", show(line));
    let end = rest.iter().position(|&b| b == b']').unwrap();
    rest[..=end].to_vec()
}

#[test]
fn logger_rfc5424_tcp_octet_counted() {
    if !have_logger() {
        return;
    }
    let raw =
        logger_tcp(&["--octet-count", "--rfc5424", "-t", "payments", MSG]);
    let line = unframe(&raw);
    let tq = time_quality(&line);
    check_rfc5424(&line, &tq);
    assert!(show(&line).contains(" payments "));
}

#[test]
fn logger_rfc5424_tcp_newline_framed() {
    if !have_logger() {
        return;
    }
    let raw = logger_tcp(&["--rfc5424", "-t", "payments", MSG]);
    let line = unframe(&raw);
    let tq = time_quality(&line);
    check_rfc5424(&line, &tq);
}

#[test]
fn logger_rfc5424_structured_data_params() {
    if !have_logger() {
        return;
    }
    let raw = logger_tcp(&[
        "--octet-count",
        "--rfc5424",
        "-t",
        "payments",
        "--sd-id",
        "meta@32473",
        "--sd-param",
        "card=\"4111111111111111\"",
        "--sd-param",
        "cvv=\"123\"",
        "--sd-param",
        "region=\"eu-west-1\"",
        MSG,
    ]);
    let line = unframe(&raw);
    let tq = time_quality(&line);
    let mut sd = tq.clone();
    sd.extend_from_slice(
        b"[meta@32473 card=\"************1111\" cvv=\"[REDACTED:cvv]\" \
          region=\"eu-west-1\"]",
    );
    check_rfc5424(&line, &sd);
}

#[test]
fn logger_rfc5424_sd_order_id_never_touched() {
    if !have_logger() {
        return;
    }
    let raw = logger_udp(&[
        "--rfc5424",
        "-t",
        "payments",
        "--sd-id",
        "meta@32473",
        "--sd-param",
        "order_id=\"4111111111111111\"",
        MSG,
    ]);
    let line = unframe(&raw);
    let tq = time_quality(&line);
    let mut sd = tq.clone();
    sd.extend_from_slice(b"[meta@32473 order_id=\"4111111111111111\"]");
    check_rfc5424(&line, &sd);
}

#[test]
fn logger_rfc5424_json_message() {
    if !have_logger() {
        return;
    }
    let msg =
        r#"{"card_number":"4111111111111111","cvv":"123","order":"A-1"}"#;
    let raw =
        logger_tcp(&["--octet-count", "--rfc5424", "-t", "payments", msg]);
    let line = unframe(&raw);
    println!("logger sent:   {}", show(&line));
    let out = Engine::default().redact(&line);
    println!("redacted:      {}", show(&out));
    let at = line.len() - msg.len();
    assert_eq!(&line[at..], msg.as_bytes());
    assert_eq!(show(&out[..at]), show(&line[..at]), "header/SD altered");
    assert_eq!(
        show(&out[at..]),
        r#"{"card_number":"************1111","cvv":"[REDACTED:cvv]","order":"A-1"}"#
    );
}

#[test]
fn logger_rfc3164_tcp() {
    if !have_logger() {
        return;
    }
    let raw = logger_tcp(&["--rfc3164", "-t", "payments", MSG]);
    let line = unframe(&raw);
    println!("logger sent:   {}", show(&line));
    let out = Engine::default().redact(&line);
    println!("redacted:      {}", show(&out));
    assert!(line.starts_with(b"<13>"), "{}", show(&line));
    let s = show(&line);
    let tag = s.find(" payments: ").expect("tag") + " payments: ".len();
    assert_eq!(&s[tag..], MSG);
    assert_eq!(show(&out[..tag]), &s[..tag], "header altered");
    assert_eq!(show(&out[tag..]), MSG_REDACTED);
}

#[test]
fn logger_rfc3164_logfmt_message_octet_counted() {
    if !have_logger() {
        return;
    }
    let msg = "level=error card=5555555555554444 cvv=999 password=hunter22";
    let raw = logger_tcp(&[
        "--octet-count",
        "--rfc3164",
        "-t",
        "payments",
        "--id=4242",
        msg,
    ]);
    let line = unframe(&raw);
    println!("logger sent:   {}", show(&line));
    let out = Engine::default().redact(&line);
    println!("redacted:      {}", show(&out));
    let s = show(&line);
    let tag = s.find(": ").expect("tag") + 2;
    assert_eq!(&s[tag..], msg);
    assert_eq!(show(&out[..tag]), &s[..tag], "header altered");
    assert_eq!(
        show(&out[tag..]),
        "level=error card=************4444 cvv=[REDACTED:cvv] password=****"
    );
}

// ---------------------------------------------------------------- corpora

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(rel)
}

fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.is_empty())
}

fn loghub_unchanged(file: &str) {
    let path = corpus(&format!("loghub/{file}"));
    let Ok(data) = std::fs::read(&path) else {
        println!("note: {} missing; skipped", path.display());
        return;
    };
    let engine = Engine::default();
    assert_eq!(engine.format(), Format::Auto);
    let (mut total, mut changed) = (0usize, 0usize);
    for l in lines(&data) {
        total += 1;
        let out = engine.redact(l);
        if out[..] != l[..] {
            changed += 1;
            println!(
                "{file} changed:\n  in:  {}\n  out: {}",
                show(l),
                show(&out)
            );
        }
    }
    println!("{file}: {total} lines, {changed} changed");
    assert!(total > 0);
    assert!(
        changed * 1000 <= total,
        "{file}: {changed} of {total} lines changed (> 0.1%)"
    );
}

#[test]
fn loghub_apache_lines_unchanged() {
    loghub_unchanged("Apache_2k.log");
}

#[test]
fn loghub_openssh_lines_unchanged() {
    loghub_unchanged("OpenSSH_2k.log");
}

/// Redacts every valid-JSON line; returns (count, failures).
fn json_stays_json<'a>(
    engine: &Engine,
    input: impl Iterator<Item = &'a [u8]>,
) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut bad = Vec::new();
    for l in input {
        if !is_json(l) {
            continue;
        }
        n += 1;
        let out = engine.redact(l);
        if !is_json(&out) || out.contains(&b'\n') {
            bad.push(format!("in:  {}\n  out: {}", show(l), show(&out)));
        }
    }
    (n, bad)
}

#[test]
fn json_validity_over_mixed_corpus() {
    let path = corpus("pii-dev.log");
    let Ok(data) = std::fs::read(&path) else {
        println!("note: {} missing; skipped", path.display());
        return;
    };
    let total = lines(&data).count();
    let (n, bad) = json_stays_json(&Engine::default(), lines(&data));
    println!(
        "pii-dev.log: {total} lines, {n} valid JSON, {} invalid after \
         redaction",
        bad.len()
    );
    assert!(n > 0, "no JSON lines in {}", path.display());
    assert!(
        bad.is_empty(),
        "{} lines broke:\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}

#[test]
fn json_validity_over_fixture_lines() {
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for (_, data) in TABLES {
        let cases: Vec<Case> = serde_json::from_str(data).unwrap();
        inputs.extend(cases.into_iter().map(|c| c.input.into_bytes()));
    }
    // Also each JSON fixture inside a Vector event and a syslog MSG.
    let mut extra = Vec::new();
    for i in &inputs {
        if is_json(i) {
            let s = show(i);
            extra.push(
                serde_json::json!({"message": s, "host": "h", "timestamp": "t"})
                    .to_string()
                    .into_bytes(),
            );
            extra.push(
                serde_json::json!({"nested": {"body": s}})
                    .to_string()
                    .into_bytes(),
            );
        }
    }
    inputs.extend(extra);
    let (n, bad) =
        json_stays_json(&Engine::default(), inputs.iter().map(Vec::as_slice));
    println!(
        "fixtures: {n} valid-JSON lines, {} invalid after redaction",
        bad.len()
    );
    assert!(n >= 40);
    assert!(
        bad.is_empty(),
        "{} lines broke:\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}

// ---------------------------------------------------------------- bad input

/// Runs `f` on a thread with a small stack: recursion over nesting depth
/// would overflow it.
fn small_stack<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no panic, no stack overflow")
}

/// XML nesting costs the scanner's stack, not the thread's, and deep
/// elements keep their own name as key.
#[test]
fn deep_xml_nesting_secret_at_bottom() {
    let n = 10_000;
    let wrap = |inner: &str| "<a>".repeat(n) + inner + &"</a>".repeat(n);
    let line = wrap("<CVV>123</CVV><Password>hunter22</Password>");
    let want = wrap("<CVV>[REDACTED:cvv]</CVV><Password>****</Password>");
    let out = small_stack(move || {
        Engine::default().redact(line.as_bytes()).into_owned()
    });
    assert!(out == want.as_bytes(), "deep XML not redacted as expected");
}

#[test]
fn deep_nesting_arrays_secret_at_bottom() {
    let n = 10_000;
    let line = "[".repeat(n)
        + r#"{"card":"4111111111111111","cvv":"123"}"#
        + &"]".repeat(n);
    let want = "[".repeat(n)
        + r#"{"card":"************1111","cvv":"[REDACTED:cvv]"}"#
        + &"]".repeat(n);
    let out = small_stack(move || {
        Engine::default().redact(line.as_bytes()).into_owned()
    });
    assert!(!out.contains(&b'\n'));
    assert!(
        out == want.as_bytes(),
        "deep arrays: secret not masked as expected"
    );
}

#[test]
fn deep_nesting_objects_secret_at_bottom() {
    let n = 10_000;
    let line = r#"{"a":"#.repeat(n)
        + r#"{"cvv":"123","pan":"5555555555554444"}"#
        + &"}".repeat(n);
    let want = r#"{"a":"#.repeat(n)
        + r#"{"cvv":"[REDACTED:cvv]","pan":"************4444"}"#
        + &"}".repeat(n);
    let out = small_stack(move || {
        Engine::default().redact(line.as_bytes()).into_owned()
    });
    assert!(
        out == want.as_bytes(),
        "deep objects: secret not masked as expected"
    );
}

#[test]
fn deep_nesting_mixed_unclosed_falls_back_to_plain() {
    let n = 10_000;
    let line = r#"{"a":["#.repeat(n) + r#""card 4111 1111 1111 1111""#;
    let want = r#"{"a":["#.repeat(n) + r#""card **** **** **** 1111""#;
    let out = small_stack(move || {
        Engine::default().redact(line.as_bytes()).into_owned()
    });
    assert!(out == want.as_bytes(), "unclosed deep nesting: not masked");
}

#[test]
fn deep_nesting_inside_a_string_value() {
    // JSON text in a string, itself deeply nested (`"body":"[[[…"`).
    let n = 10_000;
    let inner = "[".repeat(n) + r#"{\"cvv\":\"123\"}"# + &"]".repeat(n);
    let line = format!(r#"{{"body":"{inner}","card":"4111111111111111"}}"#);
    let out = small_stack(move || {
        Engine::default().redact(line.as_bytes()).into_owned()
    });
    let s = show(&out);
    assert!(!s.contains(r#"\"cvv\":\"123\""#), "cvv in nested text escaped");
    assert!(
        s.ends_with(r#","card":"************1111"}"#),
        "{}",
        &s[s.len() - 60..]
    );
}

#[test]
fn invalid_utf8_in_json_string_with_card() {
    let engine = Engine::default();
    let cases: [(&[u8], &[u8]); 4] = [
        (
            b"{\"msg\":\"caf\xe9 card 4111111111111111\",\"k\":\"\xff\"}",
            b"{\"msg\":\"caf\xe9 card ************1111\",\"k\":\"\xff\"}",
        ),
        (
            b"{\"note\":\"\xc3\x28 4111 1111 1111 1111 \xed\xa0\x80\"}",
            b"{\"note\":\"\xc3\x28 **** **** **** 1111 \xed\xa0\x80\"}",
        ),
        (
            b"{\"\xfe\xffkey\":\"x\",\"cvv\":\"123\"}",
            b"{\"\xfe\xffkey\":\"x\",\"cvv\":\"[REDACTED:cvv]\"}",
        ),
        (
            b"level=info msg=\"\xff\xfe card=4111111111111111\" cvv=123",
            b"level=info msg=\"\xff\xfe card=************1111\" cvv=[REDACTED:cvv]",
        ),
    ];
    let mut failures = Vec::new();
    for (input, want) in cases {
        let out = engine.redact(input);
        if out[..] != want[..] {
            failures.push(format!(
                "\n  input:    {:?}\n  expected: {:?}\n  actual:   {:?}",
                show(input),
                show(want),
                show(&out)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join(""));
}

#[test]
fn every_bad_line_gives_one_line_without_panic() {
    let engine = Engine::default();
    let mut bad: Vec<Vec<u8>> = vec![
        b"{\"card\":\"4111111111111111\"".to_vec(),
        b"{\"a\":\"\\".to_vec(),
        b"{\"a\":\"\\u".to_vec(),
        b"{\"a\":\"\\ud800\\u\"}".to_vec(),
        b"{\"a\":-}".to_vec(),
        b"{\"a\":1e}".to_vec(),
        b"{\"a\":1.}".to_vec(),
        b"\"".to_vec(),
        b"<".to_vec(),
        b"<1".to_vec(),
        b"<13>".to_vec(),
        b"<13>1".to_vec(),
        b"<13>1 ".to_vec(),
        b"<13>1 - - - - - [".to_vec(),
        b"<13>1 - - - - - [a b=\"".to_vec(),
        b"<13>1 - - - - - [a b=\"\\".to_vec(),
        b"<13>Mar".to_vec(),
        b"a=\"\\".to_vec(),
        b"a=1 b=\"\\\"".to_vec(),
        b"=".to_vec(),
        b"a==b c=4111111111111111".to_vec(),
        b"\xff\xfe\x00{".to_vec(),
        b"{\"cvv\":\"123\",\"cvv\":\"456\",\"cvv\":\"789\"}".to_vec(),
    ];
    bad.push([b"[".repeat(10_000), b"4111111111111111".to_vec()].concat());
    bad.push(b"{\"a\":".repeat(10_000));
    bad.push(b"]".repeat(10_000));
    let outs = small_stack(move || {
        bad.iter()
            .map(|l| (l.clone(), engine.redact(l).into_owned()))
            .collect::<Vec<_>>()
    });
    for (l, out) in outs {
        assert!(!out.contains(&b'\n'), "{}", show(&l));
        for secret in
            ["4111111111111111", "\"cvv\":\"123\"", "\"456\"", "\"789\""]
        {
            assert!(
                !show(&out).contains(secret),
                "{secret} left in {}",
                show(&out)
            );
        }
    }
}
