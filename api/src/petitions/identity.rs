//! The denouncer's identity (Luật Tố cáo 2018, Art. 47–48): sealed with ChaCha20-Poly1305
//! under a key from the configuration (`security.identity_key`) or, when none is configured, a
//! key file generated in the data directory (mode 0600) — never in the database. The sealed
//! text is bound to its petition (the petition id is the associated data), so a sealed identity
//! copied onto another petition does not open.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

/// Name of the generated key file in the data directory.
pub const KEY_FILE: &str = "identity-key";

/// The key that seals identities. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct IdentityKey {
    id: String,
    key: [u8; 32],
}

impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityKey").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Why a sealed identity could not be opened or made (never says what is inside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    Random,
    Sealing,
    /// Wrong key, altered text, or text moved from another petition.
    Opening,
}

fn decode_key(text: &str) -> Result<[u8; 32], String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim().trim_end_matches('='))
        .map_err(|_| "security.identity_key must be base64url of 32 bytes".to_string())?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| "security.identity_key must be base64url of 32 bytes".to_string())
}

impl IdentityKey {
    /// A key from its bytes (tests, tools).
    pub fn from_bytes(key: [u8; 32]) -> IdentityKey {
        let id = hex::encode(&Sha256::digest(Sha256::digest(key))[..6]);
        IdentityKey { id, key }
    }

    /// The configured key, else the key file of the data directory (created, mode 0600, when
    /// missing).
    pub fn load(configured: Option<&str>, data_dir: &Path) -> Result<IdentityKey, String> {
        if let Some(text) = configured.filter(|t| !t.trim().is_empty()) {
            return decode_key(text).map(IdentityKey::from_bytes);
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => decode_key(&text).map(IdentityKey::from_bytes).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).map_err(|e| format!("random: {e}"))?;
                write_private(&path, &URL_SAFE_NO_PAD.encode(key)).map_err(|e| format!("{}: {e}", path.display()))?;
                Ok(IdentityKey::from_bytes(key))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Which key sealed a text (a fingerprint, not the key).
    pub fn id(&self) -> &str {
        &self.id
    }

    fn aad(petition_id: i64) -> Vec<u8> {
        format!("thanthien/petition-identity/{petition_id}").into_bytes()
    }

    /// Seals `plain` for petition `petition_id`: base64url of nonce ‖ ciphertext.
    pub fn seal(&self, petition_id: i64, plain: &[u8]) -> Result<String, SealError> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|_| SealError::Random)?;
        let cipher = ChaCha20Poly1305::new(&Key::from(self.key));
        let aad = Self::aad(petition_id);
        let ct =
            cipher.encrypt(&Nonce::from(nonce), Payload { msg: plain, aad: &aad }).map_err(|_| SealError::Sealing)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(URL_SAFE_NO_PAD.encode(out))
    }

    /// Opens a sealed text of petition `petition_id`.
    pub fn open(&self, petition_id: i64, sealed: &str) -> Result<Vec<u8>, SealError> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| SealError::Opening)?;
        if bytes.len() < 12 + 16 {
            return Err(SealError::Opening);
        }
        let (nonce, ct) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| SealError::Opening)?;
        let cipher = ChaCha20Poly1305::new(&Key::from(self.key));
        let aad = Self::aad(petition_id);
        cipher.decrypt(&Nonce::from(nonce), Payload { msg: ct, aad: &aad }).map_err(|_| SealError::Opening)
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    // A leftover of an interrupted start; `private_file` creates only new files.
    let _ = std::fs::remove_file(&tmp);
    {
        use std::io::Write;
        let mut f = crate::fsutil::private_file(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_bound_to_the_petition() {
        let k = IdentityKey::from_bytes([7u8; 32]);
        let sealed = k.seal(42, "Nguyễn Văn Tố".as_bytes()).unwrap();
        assert!(!sealed.contains("Nguy"));
        assert_eq!(k.open(42, &sealed).unwrap(), "Nguyễn Văn Tố".as_bytes());
        assert_eq!(k.open(43, &sealed), Err(SealError::Opening), "moved to another petition");
        assert_eq!(IdentityKey::from_bytes([8u8; 32]).open(42, &sealed), Err(SealError::Opening), "another key");
        // A fresh nonce each time.
        assert_ne!(k.seal(42, b"x").unwrap(), k.seal(42, b"x").unwrap());
        assert!(!format!("{k:?}").contains("7, 7"));
    }

    #[test]
    fn a_key_file_is_generated_private_and_reused() {
        let dir = std::env::temp_dir().join(format!("tt-identity-{}", uuid::Uuid::new_v4().simple()));
        let a = IdentityKey::load(None, &dir).unwrap();
        let b = IdentityKey::load(Some("  "), &dir).unwrap();
        assert_eq!(a.id(), b.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let configured = IdentityKey::load(Some(&URL_SAFE_NO_PAD.encode([1u8; 32])), &dir).unwrap();
        assert_ne!(configured.id(), a.id());
        assert!(IdentityKey::load(Some("short"), &dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
