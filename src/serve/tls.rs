//! TLS with rustls (ring provider): the listener's acceptor, with client
//! certificates checked against a CA for mutual TLS, and the forward
//! connection's connector. TLS 1.2 is the lowest version offered (rustls
//! has no older one); 1.3 is preferred.

use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio_rustls::rustls::{self, crypto, server::WebPkiClientVerifier};
use tokio_rustls::{TlsAcceptor, TlsConnector};

use super::config::{ForwardTls, ListenTls};
use crate::error::Error;

fn provider() -> Arc<crypto::CryptoProvider> {
    Arc::new(crypto::ring::default_provider())
}

fn certs(
    path: &Path,
    key: &str,
) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| pem_error(e, path, key))?;
    if certs.is_empty() {
        return Err(Error::config(
            key,
            format!("{}: no certificate in the file", path.display()),
        ));
    }
    Ok(certs)
}

fn private_key(
    path: &Path,
    key: &str,
) -> Result<PrivateKeyDer<'static>, Error> {
    // The error names the file, never its contents.
    PrivateKeyDer::from_pem_file(path).map_err(|e| pem_error(e, path, key))
}

/// A file that cannot be read is an I/O error (its cause kept as the
/// source); one that does not parse is a bad value of `key`.
fn pem_error(e: pem::Error, path: &Path, key: &str) -> Error {
    match e {
        pem::Error::Io(e) => {
            Error::io(format!("cannot read {}", path.display()), e).within(key)
        }
        e => Error::config(key, format!("{}: {e}", path.display())),
    }
}

fn roots(path: &Path, key: &str) -> Result<rustls::RootCertStore, Error> {
    let mut roots = rustls::RootCertStore::empty();
    for c in certs(path, key)? {
        roots.add(c).map_err(|e| {
            Error::config(key, format!("{}: {e}", path.display()))
        })?;
    }
    Ok(roots)
}

/// The listener's TLS acceptor.
///
/// # Errors
/// An unreadable or invalid certificate, key or CA file, naming it.
pub(crate) fn acceptor(t: &ListenTls) -> Result<TlsAcceptor, Error> {
    let certs = certs(&t.cert, "serve.tls.cert")?;
    let key = private_key(&t.key, "serve.tls.key")?;
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config("serve.tls", e))?;
    let builder = match &t.client_ca {
        Some(ca) => {
            let roots = roots(ca, "serve.tls.client_ca")?;
            let verifier = WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider(),
            )
            .build()
            .map_err(|e| Error::config("serve.tls.client_ca", e))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(certs, key)
        .map_err(|e| Error::config("serve.tls", e))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The forward connection's TLS connector and the name it checks.
///
/// # Errors
/// An unreadable or invalid CA, certificate or key file, or a server
/// name that is not a DNS name or IP address.
pub(crate) fn connector(
    t: &ForwardTls,
    host: &str,
) -> Result<(TlsConnector, ServerName<'static>), Error> {
    let roots = roots(&t.ca, "serve.forward_tls.ca")?;
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config("serve.forward_tls", e))?
        .with_root_certificates(roots);
    let config = match (&t.cert, &t.key) {
        (Some(c), Some(k)) => builder
            .with_client_auth_cert(
                certs(c, "serve.forward_tls.cert")?,
                private_key(k, "serve.forward_tls.key")?,
            )
            .map_err(|e| Error::config("serve.forward_tls", e))?,
        _ => builder.with_no_client_auth(),
    };
    let name = t.server_name.as_deref().unwrap_or(host).to_string();
    let name = ServerName::try_from(name)
        .map_err(|e| Error::config("serve.forward_tls.server_name", e))?;
    Ok((TlsConnector::from(Arc::new(config)), name))
}
