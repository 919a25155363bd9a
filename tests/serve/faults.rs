//! Bad input and faults: garbage and binary data, a 100 MB frame, wrong
//! octet counts, 10,000 connections opened and dropped, and the
//! sidecar's own log never holding a secret.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::*;

/// Random bytes (NULs, invalid UTF-8, stray CRs) with secrets among them:
/// the secrets are masked, the line count is kept, and another client is
/// served meanwhile and after.
#[test]
fn garbage_and_binary_are_redacted_and_others_served() {
    let sink = Sink::bind();
    let side = sink.sidecar(&[]);
    let mut r = LineReader::new(sink.accept(10));
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut garbage = Vec::new();
    let mut newlines = 0;
    for i in 0..2000 {
        for _ in 0..64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let b = (x >> 24) as u8;
            // Keep newlines rare and digits out, so no accidental card.
            let b = if b.is_ascii_digit() { b'#' } else { b };
            if b == b'\n' {
                newlines += 1;
            }
            garbage.push(b);
        }
        if i % 10 == 0 {
            garbage.extend_from_slice(format!(" card {CARD} ").as_bytes());
            garbage.extend_from_slice(format!("key={TOKEN}\0").as_bytes());
        }
    }
    garbage.push(b'\n');
    newlines += 1;
    let mut bad = side.connect();
    let mut good = side.connect();
    bad.write_all(&garbage[..garbage.len() / 2]).unwrap();
    good.write_all(b"good one\n").unwrap();
    bad.write_all(&garbage[garbage.len() / 2..]).unwrap();
    drop(bad);
    good.write_all(b"good two\n").unwrap();
    drop(good);
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while out.len() < newlines + 2 && Instant::now() < deadline {
        out.extend(r.lines(newlines + 2 - out.len(), 1));
    }
    assert_eq!(out.len(), newlines + 2);
    let all = out.join("\n");
    assert!(!all.contains(CARD), "a card passed");
    assert!(!all.contains(TOKEN), "a token passed");
    assert_eq!(all.matches(CARD_MASKED).count(), 200);
    let good: Vec<_> = out.iter().filter(|l| l.starts_with("good")).collect();
    assert_eq!(good, ["good one", "good two"]);
}

/// One 100 MB frame without a newline: redacted in windows (it leaves as
/// lines of at most 64 KiB), every card in it masked, every byte
/// accounted for, and the sidecar's memory stays far below the frame.
#[test]
fn hundred_megabyte_frame_in_bounded_memory() {
    const SIZE: usize = 100 << 20;
    const BLOCK: usize = 10 * 1024;
    let sink = Sink::bind();
    let side = sink.sidecar(&[]);
    let mut down = sink.accept(10);
    let mut c = side.connect();
    // 10 KiB blocks of text, a card in every third at shifting offsets,
    // so some straddle the window cuts.
    let block = |k: usize| {
        let mut b = Vec::with_capacity(BLOCK + 64);
        while b.len() < BLOCK {
            b.extend_from_slice(b"lorem ipsum dolor sit amet ");
        }
        b.truncate(BLOCK);
        if k % 3 == 0 {
            let at = (k * 977) % (BLOCK - 64);
            let card = format!(" card {CARD} ");
            b[at..at + card.len()].copy_from_slice(card.as_bytes());
        }
        b
    };
    let blocks = SIZE / BLOCK;
    let cards = blocks.div_ceil(3);
    let sender = std::thread::spawn(move || {
        for k in 0..blocks {
            c.write_all(&block(k)).unwrap();
        }
        // Then the connection closes: the frame's last window leaves.
    });
    // Check the output as it streams, holding little: `carry` keeps the
    // last 15 bytes so a card (16) across two reads is still seen.
    let (mut total, mut lines, mut longest, mut cur, mut masked) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut carry: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 256 * 1024];
    down.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    while total < SIZE {
        use std::io::Read;
        let n = down.read(&mut buf).expect("output within 60 s");
        assert!(n > 0, "downstream closed early at {total}");
        carry.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&carry);
        assert!(!text.contains(CARD), "a card passed unmasked");
        masked += text.matches(CARD_MASKED).count();
        carry.drain(..carry.len() - carry.len().min(15));
        for &b in &buf[..n] {
            if b == b'\n' {
                lines += 1;
                longest = longest.max(cur);
                cur = 0;
            } else {
                cur += 1;
                total += 1;
            }
        }
    }
    sender.join().unwrap();
    // Masking keeps a card's length: output bytes = input bytes.
    assert_eq!(total, SIZE);
    assert_eq!(masked, cards);
    let (peak, _) = side.rss_kib();
    assert!(peak < 48 * 1024, "peak RSS {peak} KiB for a 100 MB frame");
    // Windows of at most max_frame bytes, each one line.
    assert!(lines > 1500, "{lines} windows");
    assert!(longest <= 64 * 1024, "window of {longest} bytes");
}

/// Octet counts that are wrong: too long (the frame swallows the next
/// one) and too long at disconnect (the short frame is still sent);
/// too short (the rest is read as a line). All bytes are redacted and
/// forwarded; the next client is served.
#[test]
fn wrong_octet_counts() {
    let sink = Sink::bind();
    let side = sink.sidecar(&[]);
    let mut r = LineReader::new(sink.accept(10));
    let msg = format!("<13>1 - h app - - - card {CARD}");
    // Too short: the count ends after the card and its space; the rest
    // is read as a line of its own.
    let mut c = side.connect();
    writeln!(c, "{} {msg} password=hunter2", msg.len() + 1).unwrap();
    drop(c);
    let got = r.lines(2, 10);
    assert_eq!(got[0], format!("<13>1 - h app - - - card {CARD_MASKED} "));
    assert_eq!(got[1], "password=****");
    // Too long, then disconnect.
    let mut c = side.connect();
    write!(c, "9999 {msg}").unwrap();
    drop(c);
    assert_eq!(
        r.lines(1, 10),
        [format!("<13>1 - h app - - - card {CARD_MASKED}")]
    );
    // Too long, swallowing the next frame (an LF inside is `#012`).
    let mut c = side.connect();
    write!(c, "{} {msg}\n{} {msg}", msg.len() + 20, msg.len()).unwrap();
    drop(c);
    let got = r.lines(2, 10);
    assert!(!got.join("\n").contains(CARD), "{got:?}");
    assert_eq!(got.len(), 2, "{got:?}");
    let mut c = side.connect();
    c.write_all(b"next client\n").unwrap();
    assert_eq!(r.lines(1, 10), ["next client"]);
}

/// 10,000 connections opened and dropped (in waves of 500 open at once,
/// a quarter after sending half a line) while one client sends a line
/// every 5 ms: that client's lines all arrive in order, every half line
/// arrives redacted, the open-connection gauge comes back to 1, and
/// memory stays bounded.
#[test]
fn ten_thousand_connections_opened_and_dropped() {
    let sink = Sink::bind();
    let side = sink.sidecar(&[]);
    let lines = read_in_background(sink.accept(10));
    let addr = side.addr;
    let steady = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        let mut n = 0;
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(60) {
            writeln!(s, "steady {n} card {CARD}").unwrap();
            n += 1;
            std::thread::sleep(Duration::from_millis(5));
            if n >= 400 {
                break;
            }
        }
        n
    });
    let t0 = Instant::now();
    let mut opened = 0;
    let mut halves_sent = 0;
    for wave in 0..20 {
        let mut conns = Vec::with_capacity(500);
        for i in 0..500 {
            let Ok(mut s) = TcpStream::connect(addr) else { continue };
            if (wave + i) % 4 == 0
                && s.write_all(format!("half {CARD}").as_bytes()).is_ok()
            {
                halves_sent += 1;
            }
            conns.push(s);
        }
        opened += conns.len();
        drop(conns);
        assert!(t0.elapsed() < Duration::from_secs(90), "too slow");
    }
    assert_eq!(opened, 10_000);
    let sent = steady.join().unwrap();
    let mut steady_got = Vec::new();
    let mut halves = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    // Every line arrives, the half lines too (each redacted, with a
    // newline), in whatever order the connections were served.
    while steady_got.len() < sent || halves < halves_sent {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(l) = lines.recv_timeout(left) else { break };
        assert!(!l.contains(CARD), "unmasked: {l}");
        if l.starts_with("steady") {
            steady_got.push(l);
        } else {
            assert_eq!(l, format!("half {CARD_MASKED}\n"));
            halves += 1;
        }
    }
    assert_eq!(steady_got.len(), sent);
    for (i, l) in steady_got.iter().enumerate() {
        assert_eq!(l, &format!("steady {i} card {CARD_MASKED}\n"));
    }
    assert_eq!(halves, halves_sent);
    let deadline = Instant::now() + Duration::from_secs(20);
    while side.metric("logredact_connections_open") > 1.0 {
        assert!(Instant::now() < deadline, "connections not released");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(side.metric("logredact_connections_total") >= 10_001.0);
    let (peak, _) = side.rss_kib();
    assert!(peak < 128 * 1024, "peak RSS {peak} KiB");
}

/// The sidecar's own log, on error paths that see secrets: a downstream
/// that is down (forward errors while a line with a card and a token is
/// buffered, and the shutdown deadline passing with it undelivered), a
/// plaintext line with secrets sent to its TLS listener, a 1 MB frame.
/// Its stderr names none of them.
#[test]
fn own_log_never_holds_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let pki = crate::tls::Pki::new(dir.path());
    // Nothing listens on the forward port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut side = Sidecar::start(&[
        "--forward",
        &format!("127.0.0.1:{port}"),
        "--tls-cert",
        pki.server_cert.to_str().unwrap(),
        "--tls-key",
        pki.server_key.to_str().unwrap(),
        "--shutdown-deadline",
        "1",
        "--reconnect-max",
        "0.1",
    ]);
    let secret_line =
        format!("card {CARD} token {TOKEN} password=hunter2xyz\n");
    // Over TLS: read, redacted, buffered, never delivered.
    let mut tls = pki.client(side.addr, false);
    tls.write_all(secret_line.as_bytes()).unwrap();
    tls.write_all(&vec![b'A'; 1 << 20]).unwrap();
    tls.flush().unwrap();
    // In plaintext to the TLS listener: the handshake fails.
    for _ in 0..3 {
        let mut c = side.connect();
        let _ = c.write_all(secret_line.as_bytes());
    }
    std::thread::sleep(Duration::from_millis(800));
    drop(tls);
    let status = side.terminate(10);
    let err = side.stderr();
    // The deadline passed with lines undelivered: exit status 1.
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("TLS handshake from 127.0.0.1"), "{err}");
    assert!(err.contains("forward to 127.0.0.1"), "{err}");
    assert!(err.contains("not written to the output"), "{err}");
    for secret in [CARD, "4111", TOKEN, "hunter2", "AAAAAAAA", "****"] {
        assert!(!err.contains(secret), "stderr holds {secret}: {err}");
    }
}

/// 1,000 connections that send nothing cost little: no buffers are held
/// until a connection's first byte (the RSS grows by less than 8 MiB, about
/// 2.5 KiB each when measured).
#[test]
fn idle_connections_hold_no_buffers() {
    let side = Sidecar::start(&["--output", "/dev/null"]);
    std::thread::sleep(Duration::from_millis(300));
    let (_, before) = side.rss_kib();
    let conns: Vec<_> = (0..1000).map(|_| side.connect()).collect();
    std::thread::sleep(Duration::from_millis(1500));
    let (_, idle) = side.rss_kib();
    assert!(
        idle.saturating_sub(before) < 8 * 1024,
        "1000 idle connections: RSS {before} -> {idle} KiB"
    );
    drop(conns);
}
