//! A private key printed over several lines, for the block tests of
//! the filter and the sidecar.

/// A PEM private key of about 4 KiB: 64-character base64 body lines of
/// a fixed pseudo-random sequence, and a short last line.
pub fn pem_key() -> (String, Vec<String>) {
    const B64: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut body = Vec::new();
    for i in 0..64 {
        let len = if i == 63 { 12 } else { 64 };
        let line: String = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                B64[(x % 64) as usize] as char
            })
            .collect();
        body.push(line);
    }
    body[63].push_str("==");
    let mut pem = String::from("-----BEGIN RSA PRIVATE KEY-----\n");
    for l in &body {
        pem.push_str(l);
        pem.push('\n');
    }
    pem.push_str("-----END RSA PRIVATE KEY-----\n");
    (pem, body)
}

/// Panics if any body line, or any 12 bytes of one, is in `out`.
pub fn assert_no_body(out: &str, body: &[String]) {
    for l in body {
        for w in l.as_bytes().chunks(12) {
            let w = std::str::from_utf8(w).unwrap();
            assert!(
                w.len() < 8 || !out.contains(w),
                "{w:?} of {l:?} survived"
            );
        }
    }
}
