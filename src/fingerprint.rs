//! Fingerprints: a short keyed hash of a secret, so that findings and
//! audit events can be grouped, and a compromised value found again,
//! without the value itself ever being written.
//!
//! With the config's HMAC key ([`crate::mask::HmacKey`]) a fingerprint
//! is HMAC-SHA256 of the value, which cannot be reversed without the
//! key; without one, plain SHA-256, which can be for values with few
//! unknown digits (a card number): configure a key where fingerprints
//! leave the machine.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::mask::HmacKey;

/// Bytes of the hash kept: 64 bits tell findings apart, and a truncated
/// hash gives a brute force of a short secret many candidates.
const LEN: usize = 8;

/// A secret's fingerprint; displayed as `hmac:<16 hex>` (keyed) or
/// `sha256:<16 hex>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    keyed: bool,
    hash: [u8; LEN],
}

impl Fingerprint {
    /// The fingerprint of `value`, keyed by `key` when given.
    pub fn of(value: &[u8], key: Option<&HmacKey>) -> Fingerprint {
        let full: [u8; 32] = match key {
            Some(k) => {
                let mut mac = Hmac::<Sha256>::new_from_slice(k.bytes())
                    .expect("HMAC takes keys of any length");
                mac.update(value);
                mac.finalize().into_bytes().into()
            }
            None => Sha256::digest(value).into(),
        };
        let mut hash = [0; LEN];
        hash.copy_from_slice(&full[..LEN]);
        Fingerprint { keyed: key.is_some(), hash }
    }

    /// True when made with the HMAC key.
    pub fn is_keyed(&self) -> bool {
        self.keyed
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.keyed { "hmac:" } else { "sha256:" })?;
        // Hex by hand: one `write_str`, not a formatted write per byte
        // (an audit writes one fingerprint per event).
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 2 * LEN];
        for (i, b) in self.hash.iter().enumerate() {
            hex[2 * i] = HEX[(b >> 4) as usize];
            hex[2 * i + 1] = HEX[(b & 15) as usize];
        }
        f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_keyed() {
        let v = b"tok_1JkLmNoPqRsT1234";
        let plain = Fingerprint::of(v, None);
        // SHA-256 of the value, first 8 bytes.
        let want: String = Sha256::digest(v)[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(plain.to_string(), format!("sha256:{want}"));
        let key = HmacKey::new(vec![7; 32]).unwrap();
        let keyed = Fingerprint::of(v, Some(&key));
        assert!(keyed.to_string().starts_with("hmac:"));
        assert_eq!(keyed.to_string().len(), "hmac:".len() + 16);
        assert_ne!(
            keyed,
            Fingerprint::of(v, Some(&HmacKey::new(vec![8; 32]).unwrap()))
        );
        assert_ne!(plain, Fingerprint::of(b"tok_1JkLmNoPqRsT1235", None));
    }
}
