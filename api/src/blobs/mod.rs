//! The blob store: evidence photos and documents, addressed by the SHA-256 of their content.
//!
//! One installation has one store, chosen by `[storage]` in the configuration and held in
//! `AppState::blobs`: the local data directory (default, one app server), or an S3-compatible
//! bucket (`backend = "s3"`) so that several app servers behind a balancer see the same files.
//! Content addressing makes every backend simple: a blob never changes once written, a second
//! upload of the same bytes is not stored twice, and the hash is a perfect HTTP validator.

mod local;
mod s3;

use std::sync::Arc;

use sha2::{Digest, Sha256};

pub use local::LocalStorage;
pub use s3::{S3Settings, S3Storage};

use crate::config::Config;
use crate::spool::SpooledFile;

/// Where evidence bytes live, addressed by their SHA-256 (lower-case hex).
pub trait Storage: Send + Sync {
    /// Stores `bytes` under their hash; returns the hash and whether the blob is new.
    fn put(&self, bytes: &[u8]) -> std::io::Result<(String, bool)>;
    /// Stores an upload already written (and fsynced) to a temporary file; returns the hash and
    /// whether the blob is new. The temporary file is gone after (moved into place, or deleted
    /// when the spooled file is dropped).
    fn put_file(&self, file: &SpooledFile) -> std::io::Result<(String, bool)>;
    /// The bytes stored under `key`.
    fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
    /// Removes a blob (used to undo a `put` whose database transaction failed).
    fn delete(&self, key: &str) -> std::io::Result<()>;
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Keys are our own lower-case hex hashes; anything else never reaches a disk or a bucket.
pub(crate) fn check_key(key: &str) -> std::io::Result<()> {
    if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad storage key"));
    }
    Ok(())
}

/// The store the configuration asks for.
pub fn from_config(config: &Config) -> Result<Arc<dyn Storage>, String> {
    let s = &config.storage;
    match s.backend.as_str() {
        "" | "local" => Ok(Arc::new(LocalStorage::new(&config.server.data_dir))),
        "s3" => {
            let settings = S3Settings {
                endpoint: s.endpoint.clone(),
                bucket: s.bucket.clone(),
                region: s.region.clone(),
                access_key_id: s.access_key_id.clone(),
                secret_access_key: s.secret_access_key.clone(),
                prefix: s.prefix.clone(),
            };
            Ok(Arc::new(S3Storage::new(settings)?))
        }
        other => Err(format!("storage.backend must be \"local\" or \"s3\", not {other:?}")),
    }
}
