//! A private key printed over several lines, through the sidecar: the
//! block state is the connection's, whatever the TCP segments or frames.

use std::io::Write;
use std::thread::sleep;
use std::time::Duration;

use crate::common::*;

#[path = "../support/pem.rs"]
mod pem;
use pem::{assert_no_body, pem_key};

/// Writes `data` in two segments cut at `cut`, with a pause between so
/// the sidecar reads them apart.
fn send_in_two(side: &Sidecar, data: &[u8], cut: usize) {
    let mut c = side.connect();
    c.write_all(&data[..cut]).unwrap();
    c.flush().unwrap();
    sleep(Duration::from_millis(150));
    c.write_all(&data[cut..]).unwrap();
}

#[test]
fn a_key_split_across_two_segments_keeps_no_body_line() {
    let (pem, body) = pem_key();
    let input = format!("key follows:\n{pem}after the key\n");
    let sink = Sink::bind();
    let side = sink.sidecar(&[]);
    // Cut inside a body line, halfway through the key.
    let cut = input.find(&body[30]).unwrap() + 20;
    send_in_two(&side, input.as_bytes(), cut);
    let n = input.lines().count();
    let (lines, _d) = sink.lines(n, 10);
    assert_no_body(&lines.join("\n"), &body);
    assert_eq!(lines[1], "-----BEGIN RSA PRIVATE KEY-----");
    assert_eq!(lines[n - 2], "-----END RSA PRIVATE KEY-----");
    assert_eq!(lines[n - 1], "after the key");
    side.wait_metric("logredact_private_key_block_lines_total", 64.0, 10);
}

#[test]
fn a_key_in_octet_counted_frames_split_across_segments() {
    let (pem, body) = pem_key();
    // One syslog frame a line, as a shipper sends a multi-line message
    // line by line; no newlines, the frames cut across two segments.
    let mut data = Vec::new();
    for l in pem.lines() {
        let frame = format!("<13>1 - host app - - - {l}");
        data.extend_from_slice(format!("{} {frame}", frame.len()).as_bytes());
    }
    let sink = Sink::bind();
    let side = sink.sidecar(&[]);
    send_in_two(&side, &data, data.len() / 2 + 7);
    let (lines, _d) = sink.lines(pem.lines().count(), 10);
    assert_no_body(&lines.join("\n"), &body);
    assert_eq!(
        lines[0],
        "<13>1 - host app - - - -----BEGIN RSA PRIVATE KEY-----"
    );
    assert!(lines[5].ends_with("[REDACTED:private_key]"), "{}", lines[5]);
}
