//! Access tokens: short-lived HS256 JWTs with a pinned algorithm and `iss`, `aud`, `typ`,
//! `kid`, `jti`. Keys live in a key ring: the newest signs, every key still in the ring
//! verifies, so a new key can take over while tokens signed by the old one expire.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::{AuthConfig, SigningKeyConfig};

/// The JOSE `typ` of our access tokens (RFC 9068).
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";

/// Claims carried by an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// User id.
    pub sub: String,
    /// Session id; checked against the database on every request.
    pub sid: String,
    pub jti: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

#[derive(Clone)]
struct Key {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// A key for signing audit checkpoints, derived from the secret (never the secret itself).
    checkpoint: [u8; 32],
}

/// The signing keys in force.
#[derive(Clone)]
pub struct KeyRing {
    keys: Vec<Key>,
    issuer: String,
    audience: String,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    keys: Vec<SigningKeyConfig>,
}

/// Why the key ring could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("signing key file {0}: {1}")]
    Io(String, std::io::Error),
    #[error("signing key file {0} is not valid: {1}")]
    Parse(String, String),
    #[error("signing key {0}: secret must be base64url of at least 32 bytes")]
    Weak(String),
}

fn new_secret() -> Result<SigningKeyConfig, KeyError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| KeyError::Io("random".into(), std::io::Error::other(e.to_string())))?;
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let kid = hex::encode(&Sha256::digest(secret.as_bytes())[..6]);
    Ok(SigningKeyConfig { kid, secret })
}

fn write_private(path: &Path, text: &str) -> Result<(), KeyError> {
    let err = |e| KeyError::Io(path.display().to_string(), e);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let tmp = path.with_extension("tmp");
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp).map_err(err)?;
        f.write_all(text.as_bytes()).map_err(err)?;
        f.sync_all().map_err(err)?;
    }
    std::fs::rename(&tmp, path).map_err(err)
}

fn read_file(path: &Path) -> Result<Option<Vec<SigningKeyConfig>>, KeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str::<KeyFile>(&text)
            .map(|f| Some(f.keys))
            .map_err(|e| KeyError::Parse(path.display().to_string(), e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(KeyError::Io(path.display().to_string(), e)),
    }
}

/// Adds a fresh key to the ring file (it signs from the next start on); keeps the two newest
/// older keys so tokens they signed stay valid until they expire.
pub fn rotate_key_file(path: &Path) -> Result<String, KeyError> {
    let mut keys = read_file(path)?.unwrap_or_default();
    let key = new_secret()?;
    let kid = key.kid.clone();
    keys.push(key);
    let keep = keys.len().saturating_sub(3);
    keys.drain(..keep);
    let text = serde_json::to_string_pretty(&KeyFile { keys })
        .map_err(|e| KeyError::Parse(path.display().to_string(), e.to_string()))?;
    write_private(path, &text)?;
    Ok(kid)
}

impl KeyRing {
    /// Configured keys if any, else the ring file in the data directory (created with one new
    /// key, mode 0600, when missing).
    pub fn load(cfg: &AuthConfig, data_dir: &Path) -> Result<KeyRing, KeyError> {
        let configs = if cfg.signing_keys.is_empty() {
            let path = data_dir.join("signing-keys.json");
            match read_file(&path)? {
                Some(keys) if !keys.is_empty() => keys,
                _ => {
                    rotate_key_file(&path)?;
                    read_file(&path)?.unwrap_or_default()
                }
            }
        } else {
            cfg.signing_keys.clone()
        };
        let mut keys = Vec::new();
        for k in configs {
            let secret =
                URL_SAFE_NO_PAD.decode(k.secret.trim_end_matches('=')).map_err(|_| KeyError::Weak(k.kid.clone()))?;
            if secret.len() < 32 {
                return Err(KeyError::Weak(k.kid));
            }
            keys.push(Key {
                kid: k.kid,
                encoding: EncodingKey::from_secret(&secret),
                decoding: DecodingKey::from_secret(&secret),
                checkpoint: derive_checkpoint_key(&secret),
            });
        }
        Ok(KeyRing { keys, issuer: cfg.issuer.clone(), audience: cfg.audience.clone() })
    }

    /// The key that signs audit checkpoints now: (key id, key). Derived from the signing
    /// secret with its own purpose, so a checkpoint MAC says nothing about the token key.
    pub fn checkpoint_key(&self) -> Option<(&str, &[u8; 32])> {
        self.keys.last().map(|k| (k.kid.as_str(), &k.checkpoint))
    }

    /// The checkpoint key of key id `kid`, if the ring still holds it.
    pub fn checkpoint_key_of(&self, kid: &str) -> Option<&[u8; 32]> {
        self.keys.iter().find(|k| k.kid == kid).map(|k| &k.checkpoint)
    }

    /// The key id that signs new tokens.
    pub fn current_kid(&self) -> &str {
        self.keys.last().map(|k| k.kid.as_str()).unwrap_or("")
    }

    /// Signs an access token for a session.
    pub fn sign(
        &self,
        user_id: i64,
        session_id: &str,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let key = self.keys.last().ok_or(jsonwebtoken::errors::ErrorKind::InvalidKeyFormat)?;
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(ACCESS_TOKEN_TYP.into());
        header.kid = Some(key.kid.clone());
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user_id.to_string(),
            sid: session_id.to_string(),
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now,
            nbf: now,
            exp: now + ttl_secs,
        };
        jsonwebtoken::encode(&header, &claims, &key.encoding)
    }

    /// Verifies signature, algorithm, `typ`, `kid`, issuer, audience and expiry. Any failure is
    /// `None`: the caller answers 401 without saying why.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::HS256 || header.typ.as_deref() != Some(ACCESS_TOKEN_TYP) {
            return None;
        }
        let kid = header.kid?;
        let key = self.keys.iter().find(|k| k.kid == kid)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation).ok().map(|d| d.claims)
    }
}

/// HMAC-SHA256(secret, "thanthien audit checkpoint v1").
fn derive_checkpoint_key(secret: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    let mut out = [0u8; 32];
    if let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret) {
        mac.update(b"thanthien audit checkpoint v1");
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// A random opaque token (refresh tokens) and the SHA-256 hex we store instead of it.
pub fn new_opaque_token() -> Result<(String, String), getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_opaque(&token);
    Ok((token, hash))
}

/// SHA-256 hex of an opaque token.
pub fn hash_opaque(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(dir: &Path) -> KeyRing {
        KeyRing::load(&AuthConfig::default(), dir).unwrap()
    }

    fn tmp() -> std::path::PathBuf {
        std::env::temp_dir().join(format!("tt-keys-{}", uuid::Uuid::new_v4()))
    }

    #[test]
    fn sign_and_verify() {
        let r = ring(&tmp());
        let now = chrono::Utc::now().timestamp();
        let t = r.sign(7, "sess", now, 600).unwrap();
        let c = r.verify(&t).unwrap();
        assert_eq!(c.sub, "7");
        assert_eq!(c.sid, "sess");
    }

    #[test]
    fn key_file_is_private_and_reused() {
        let dir = tmp();
        let a = ring(&dir);
        let b = ring(&dir);
        assert_eq!(a.current_kid(), b.current_kid());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("signing-keys.json")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn rotation_keeps_old_tokens_valid() {
        let dir = tmp();
        let old = ring(&dir);
        let now = chrono::Utc::now().timestamp();
        let t = old.sign(1, "s", now, 600).unwrap();
        rotate_key_file(&dir.join("signing-keys.json")).unwrap();
        let new = ring(&dir);
        assert_ne!(new.current_kid(), old.current_kid());
        assert!(new.verify(&t).is_some(), "a token of the previous key must still verify");
    }

    #[test]
    fn rejects_tampering_expiry_and_foreign_audience() {
        let dir = tmp();
        let r = ring(&dir);
        let now = chrono::Utc::now().timestamp();
        assert!(r.verify(&r.sign(1, "s", now - 1000, 600).unwrap()).is_none(), "expired");
        let mut t = r.sign(1, "s", now, 600).unwrap();
        t.push('x');
        assert!(r.verify(&t).is_none(), "bad signature");
        let cfg = AuthConfig { audience: "other".into(), ..Default::default() };
        let other = KeyRing::load(&cfg, &dir).unwrap();
        assert!(r.verify(&other.sign(1, "s", now, 600).unwrap()).is_none(), "wrong aud");
        assert!(r.verify("not.a.jwt").is_none());
    }
}
