//! Email addresses: `local@domain` as RFC 5321 shapes them, with a
//! domain of two or more labels that ends in a real top-level domain (any
//! two letters, a country code, or one of `patterns/tlds.txt`).
//!
//! Not addresses: an SSH remote (`git@github.com:org/repo`), a URL's
//! user (`https://user@host.com/`), `user@host` without a top-level
//! domain, a package spec (`left-pad@1.3.0`), a systemd or Kubernetes
//! unit (`getty@tty1.service`), a Java object's printout
//! (`Worker@1a2b3c`).

use std::collections::HashSet;

use serde::Deserialize;

use super::{Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::fxhash::FxBuild;
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::Match;

/// Longest local part (RFC 5321, 4.5.3.1.1).
const MAX_LOCAL: usize = 64;
/// Longest domain (RFC 5321, 4.5.3.1.2).
const MAX_DOMAIN: usize = 255;

/// Config of the `email` detector.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// Top-level domains added to the shipped list (lowercase, no dot).
    #[serde(default)]
    pub extra_tlds: Vec<String>,
}

impl DetectorConfig for EmailConfig {
    const TYPE: &'static str = "email";
    fn default_mask() -> MaskKind {
        MaskKind::Email
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let mut tlds: HashSet<Vec<u8>, FxBuild> =
            patterns::data_lines(patterns::TLDS)
                .map(|t| t.as_bytes().to_vec())
                .collect();
        for t in self.extra_tlds {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Error::config(
                    "extra_tlds",
                    format!("{t:?} is no top-level domain (letters and digits only, no dot)"),
                ));
            }
            tlds.insert(t.to_ascii_lowercase().into_bytes());
        }
        let not_mailboxes =
            patterns::data_lines(patterns::EMAIL_NOT_MAILBOXES)
                .map(|d| d.as_bytes().to_vec())
                .collect();
        Ok(Box::new(Email { tlds, not_mailboxes }))
    }
}

/// The `email` detector.
#[derive(Debug)]
pub struct Email {
    /// Top-level domains of three letters or more (two letters: any).
    tlds: HashSet<Vec<u8>, FxBuild>,
    /// Domains whose `name@domain` names a protocol's algorithm
    /// (`patterns/email-not-mailboxes.txt`).
    not_mailboxes: Vec<Vec<u8>>,
}

impl Detector for Email {
    fn kind(&self) -> &str {
        "email"
    }

    fn triggers(&self) -> Triggers {
        // `Worker@679` and `@scope/pkg` wake nothing.
        Triggers::default().at_sign(true)
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        for at in memchr::memchr_iter(b'@', hay) {
            if let Some(m) = self.at(hay, at) {
                out.push(m);
            }
        }
    }
}

impl Email {
    /// The address around the `@` at `at`, if it is one.
    fn at(&self, hay: &[u8], at: usize) -> Option<Match> {
        // The local part: dot-atom characters back from `@`.
        let start =
            hay[..at].iter().rposition(|&b| !is_local(b)).map_or(0, |p| p + 1);
        let local = &hay[start..at];
        if local.is_empty()
            || local.len() > MAX_LOCAL
            || local[0] == b'.'
            || local[local.len() - 1] == b'.'
            || local.windows(2).any(|w| w == b"..")
        {
            return None;
        }
        // `https://user@host`, `https://user:pw@host`, `ssh://git@host`:
        // a URL's user (the token detector masks a password there).
        let word = hay[..start]
            .iter()
            .rposition(|b| {
                b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<')
            })
            .map_or(0, |p| p + 1);
        if memchr::memmem::find(&hay[word..start], b"://").is_some()
            || (start > 0 && hay[start - 1] == b'@')
        {
            return None;
        }
        // The domain: labels of letters, digits and inner `-`, dot-separated.
        let mut end = at + 1;
        let mut labels = 0;
        let mut last;
        loop {
            let l0 = end;
            while end < hay.len()
                && (hay[end].is_ascii_alphanumeric() || hay[end] == b'-')
            {
                end += 1;
            }
            if end == l0 || hay[l0] == b'-' || hay[end - 1] == b'-' {
                return None;
            }
            labels += 1;
            last = l0;
            let dot_then_label = hay.get(end) == Some(&b'.')
                && hay.get(end + 1).is_some_and(u8::is_ascii_alphanumeric);
            if !dot_then_label {
                break;
            }
            end += 1;
        }
        if labels < 2 || end - at - 1 > MAX_DOMAIN {
            return None;
        }
        if !self.is_tld(&hay[last..end]) || self.not_mailbox(&hay[at + 1..end])
        {
            return None;
        }
        match hay.get(end) {
            // `jane@example.comx`, `a@b.com@c`, `a@b.com_x`: part of
            // something longer.
            Some(&b)
                if b.is_ascii_alphanumeric() || b == b'@' || b == b'_' =>
            {
                return None
            }
            // `git@github.com:org/repo`: an SSH remote; `a@b.com:8080`
            // is an address and a port.
            Some(b':')
                if hay.get(end + 1).is_some_and(|&c| {
                    !c.is_ascii_digit() && !c.is_ascii_whitespace()
                }) =>
            {
                return None
            }
            _ => {}
        }
        Some(Match::new(start..end))
    }

    /// Whether `domain` is one whose names are a protocol's identifiers
    /// (`chacha20-poly1305@openssh.com`), or a subdomain of one.
    fn not_mailbox(&self, domain: &[u8]) -> bool {
        self.not_mailboxes.iter().any(|d| {
            domain.len() >= d.len()
                && domain[domain.len() - d.len()..].eq_ignore_ascii_case(d)
                && (domain.len() == d.len()
                    || domain[domain.len() - d.len() - 1] == b'.')
        })
    }

    /// Whether `tld` is a top-level domain: two letters, or a listed one.
    fn is_tld(&self, tld: &[u8]) -> bool {
        if !tld.iter().all(u8::is_ascii_alphabetic) {
            return false;
        }
        // Folded on the stack: a line with `getty@tty1.service` is clean
        // and allocates nothing. A DNS label is at most 63 bytes.
        let mut buf = [0u8; 63];
        tld.len() == 2
            || buf.get_mut(..tld.len()).is_some_and(|b| {
                b.copy_from_slice(tld);
                b.make_ascii_lowercase();
                self.tlds.contains(&b[..])
            })
    }
}

/// A character of an address's local part (RFC 5322 dot-atom, less the
/// rarely used `!#$&*/=?^{|}~` and `'`, which logs put around words).
fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = EmailConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn addresses() {
        for (hay, want) in [
            ("User jane.doe@example.com signed up", "jane.doe@example.com"),
            (
                "to=<john+tag@mail.example.co.uk>",
                "john+tag@mail.example.co.uk",
            ),
            (r#"{"email":"a_b-c%d@sub.domain.io"}"#, "a_b-c%d@sub.domain.io"),
            ("from: X.Y@Example.ORG,", "X.Y@Example.ORG"),
            ("mailto:support@acme.dev", "support@acme.dev"),
            ("customer=o'brien jo@acme.company", "jo@acme.company"),
            ("addr (jane@example.de)", "jane@example.de"),
            ("rcpt jane@example.com:25 ok", "jane@example.com"),
            (
                "sent to ops@payments-eu.example.net.",
                "ops@payments-eu.example.net",
            ),
            ("user=JANE.DOE@EXAMPLE.COM", "JANE.DOE@EXAMPLE.COM"),
        ] {
            assert_eq!(found(hay), vec![want], "{hay}");
        }
        assert_eq!(found("a@b.io, c@d.fr").len(), 2);
    }

    #[test]
    fn not_addresses() {
        for hay in [
            "git clone git@github.com:org/repo.git",
            "https://user@example.com/path",
            "ssh://git@gitlab.com/group/project",
            "fetching https://alice:s3cr3tpw@example.com/x",
            "login user@host ok",
            "npm i left-pad@1.3.0",
            "systemd: Started getty@tty1.service.",
            "Started user@1000.service",
            "RecvWorker@762 closing",
            "java.lang.Object@1a2b3c4d",
            "a@b.c",
            "jane@example.local",
            "jane@localhost",
            "x@@example.com",
            ".jane@example.com",
            "jane.@example.com",
            "ja..ne@example.com",
            "jane@-example.com",
            "jane@example-.com",
            "jane@example.com@evil.com",
            "@example.com",
            "jane@example.c0m",
            "scope: @types/node@20.1.0",
            "kex curve25519-sha256@libssh.org cipher chacha20-poly1305@openssh.com",
        ] {
            assert!(found(hay).is_empty(), "{hay}: {:?}", found(hay));
        }
    }

    #[test]
    fn extra_tlds_and_bad_ones() {
        let d =
            EmailConfig { extra_tlds: vec!["corp".into()] }.build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(b"jane@hq.corp"), &mut out);
        assert_eq!(out.len(), 1);
        assert!(EmailConfig { extra_tlds: vec![".corp".into()] }
            .build()
            .is_err());
    }
}
