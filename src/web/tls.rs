//! HTTPS without a proxy: `serve --tls-cert FILE --tls-key FILE` (a certificate the household
//! already has), or `serve --tls-self-signed`, which makes one for the machine's LAN names and
//! addresses and keeps it beside the database, so phones that trusted it once keep trusting it.
//! rustls with the ring provider: no system OpenSSL to install.

use std::path::{Path, PathBuf};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// Where the certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsSource {
    Files {
        cert: PathBuf,
        key: PathBuf,
    },
    /// Made (once) for these names and addresses, kept beside the database.
    SelfSigned,
}

/// What the server listens with, and what to tell the person starting it.
pub struct Tls {
    pub config: rustls::ServerConfig,
    pub presented: Presented,
}

/// The certificate as the start message describes it.
#[derive(Debug, Clone)]
pub struct Presented {
    /// SHA-256 of the certificate, as a phone's "certificate details" show it.
    pub fingerprint: String,
    /// For a self-signed certificate: the names it covers, and whether it was made just now.
    pub self_signed: Option<(Vec<String>, bool)>,
}

pub fn load(source: &TlsSource, db_path: &Path) -> AppResult<Tls> {
    let (certs, key, self_signed) = match source {
        TlsSource::Files { cert, key } => (read_certs(cert)?, read_key(key)?, None),
        TlsSource::SelfSigned => {
            let names = lan_names();
            let (cert, key, made) = self_signed(db_path, &names)?;
            (read_certs(&cert)?, read_key(&key)?, Some((names, made)))
        }
    };
    let fingerprint = certs.first().map(fingerprint).unwrap_or_default();
    // The provider the crate's features choose (ring: no C toolchain beyond the one SQLite
    // needs, no cmake).
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            AppError::Config(format!(
                "the TLS certificate and key do not go together ({e}): pass the key that was \
                 made with this certificate"
            ))
        })?;
    Ok(Tls {
        config,
        presented: Presented {
            fingerprint,
            self_signed,
        },
    })
}

fn read_certs(path: &Path) -> AppResult<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            AppError::Config(format!(
                "cannot read the TLS certificate {} ({e}): pass a PEM file (-----BEGIN \
                 CERTIFICATE-----)",
                path.display()
            ))
        })?;
    if certs.is_empty() {
        return Err(AppError::Config(format!(
            "{} holds no certificate: pass a PEM file (-----BEGIN CERTIFICATE-----)",
            path.display()
        )));
    }
    Ok(certs)
}

fn read_key(path: &Path) -> AppResult<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_file(path).map_err(|e| {
        AppError::Config(format!(
            "cannot read the TLS key {} ({e}): pass the private key as a PEM file (-----BEGIN \
             PRIVATE KEY-----)",
            path.display()
        ))
    })
}

fn fingerprint(cert: &CertificateDer<'_>) -> String {
    Sha256::digest(cert.as_ref())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The names a phone on the LAN may use for this machine: localhost, the host name (and its
/// `.local` mDNS form), and every IPv4 address of its interfaces.
pub fn lan_names() -> Vec<String> {
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    if let Some(host) = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
    {
        names.push(format!("{host}.local"));
        names.push(host);
    }
    for interface in if_addrs::get_if_addrs().unwrap_or_default() {
        if !interface.is_loopback() && interface.ip().is_ipv4() {
            names.push(interface.ip().to_string());
        }
    }
    names.sort();
    names.dedup();
    names
}

/// `<db>.tls-cert.pem`, `<db>.tls-key.pem`, and the names the certificate covers
/// (`<db>.tls-names`): made again only when a name or address is new, so a phone that accepted
/// the certificate is not asked again at every start.
fn self_signed(db_path: &Path, names: &[String]) -> AppResult<(PathBuf, PathBuf, bool)> {
    let beside = |suffix: &str| {
        let mut name = db_path.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        db_path.with_file_name(name)
    };
    let (cert, key, covered) = (
        beside(".tls-cert.pem"),
        beside(".tls-key.pem"),
        beside(".tls-names"),
    );
    let kept: Vec<String> = std::fs::read_to_string(&covered)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    if cert.is_file() && key.is_file() && names.iter().all(|n| kept.contains(n)) {
        return Ok((cert, key, false));
    }
    let made = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| AppError::Config(format!("cannot make a TLS certificate: {e}")))?;
    write_private(&key, made.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(&cert, made.cert.pem())
        .map_err(|e| AppError::io("cannot write the TLS certificate", &cert, e))?;
    std::fs::write(&covered, names.join("\n"))
        .map_err(|e| AppError::io("cannot write the TLS names", &covered, e))?;
    Ok((cert, key, true))
}

/// The key readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> AppResult<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(|e| AppError::io("cannot write the TLS key", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_signed_certificate_is_kept_until_a_new_address_appears() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("metadata.db");
        let names = vec!["localhost".to_owned(), "192.168.1.20".to_owned()];
        let (cert, _, made) = self_signed(&db, &names).unwrap();
        assert!(made);
        let first = std::fs::read(&cert).unwrap();
        let (_, _, made) = self_signed(&db, &names[..1]).unwrap();
        assert!(!made, "a name already covered keeps the certificate");
        assert_eq!(std::fs::read(&cert).unwrap(), first);
        let moved = vec!["localhost".to_owned(), "192.168.1.21".to_owned()];
        let (_, key, made) = self_signed(&db, &moved).unwrap();
        assert!(made, "a new address makes a new certificate");
        let mode = std::fs::metadata(key).unwrap().permissions();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(mode.mode() & 0o777, 0o600);
    }

    #[test]
    fn a_key_that_is_not_a_key_is_named_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("metadata.db");
        let (cert, _, _) = self_signed(&db, &["localhost".to_owned()]).unwrap();
        let error = load(
            &TlsSource::Files {
                cert: cert.clone(),
                key: cert,
            },
            &db,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(error.contains("cannot read the TLS key"), "{error}");
        assert!(error.contains("PRIVATE KEY"), "{error}");
    }
}
