//! Evidence files: checked by content, stored by SHA-256 content hash behind a small
//! [`Storage`] interface (the local data directory today; an S3-compatible bucket can
//! implement the same three calls).

use std::io::Write;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::fsutil::{private_dir_all, private_file, sync_dir};
use crate::spool::SpooledFile;

/// Files per progress report (the per-file cap is `server.max_upload_bytes`).
pub const MAX_FILES_PER_REPORT: usize = 10;

/// Where evidence bytes live, addressed by their SHA-256 (lower-case hex).
pub trait Storage: Send + Sync {
    /// Stores `bytes` under their hash; returns the hash and whether the blob is new.
    fn put(&self, bytes: &[u8]) -> std::io::Result<(String, bool)>;
    /// Stores an upload already written (and fsynced) to a temporary file, by moving it into
    /// place; returns the hash and whether the blob is new. The temporary file is gone after
    /// (moved, or deleted when the spooled file is dropped).
    fn put_file(&self, file: &SpooledFile) -> std::io::Result<(String, bool)>;
    /// The bytes stored under `key`.
    fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
    /// Removes a blob (used to undo a `put` whose database transaction failed).
    fn delete(&self, key: &str) -> std::io::Result<()>;
}

/// Files under `<data_dir>/files/ab/abcdef…` (the first two hex digits fan out directories).
#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    pub fn new(data_dir: &std::path::Path) -> Self {
        LocalStorage { root: data_dir.join("files") }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        // Keys are our own hex hashes; anything else never reaches the file system.
        if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad storage key"));
        }
        Ok(self.root.join(&key[..2]).join(key))
    }
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Storage for LocalStorage {
    fn put(&self, bytes: &[u8]) -> std::io::Result<(String, bool)> {
        let key = content_hash(bytes);
        let path = self.path(&key)?;
        if path.exists() {
            return Ok((key, false));
        }
        let dir = path.parent().ok_or_else(|| std::io::Error::other("no parent directory"))?;
        let new_dir = !dir.exists();
        private_dir_all(dir)?;
        // Write to a temporary name, then rename: a reader never sees half a file.
        let tmp = dir.join(format!(".{key}.{}", uuid::Uuid::new_v4().simple()));
        let written = (|| {
            let mut f = private_file(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if let Err(e) = written {
            // A full disk leaves no half-written temporary behind.
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        // The rename is durable only once the directory is: the file is acknowledged to the
        // client after this, so a power cut cannot lose it (nor a new fan-out folder).
        sync_dir(dir)?;
        if new_dir {
            sync_dir(&self.root)?;
        }
        Ok((key, true))
    }

    fn put_file(&self, file: &SpooledFile) -> std::io::Result<(String, bool)> {
        let key = file.sha256().ok_or_else(|| std::io::Error::other("upload not finished"))?.to_string();
        let path = self.path(&key)?;
        if path.exists() {
            return Ok((key, false));
        }
        let dir = path.parent().ok_or_else(|| std::io::Error::other("no parent directory"))?;
        let new_dir = !dir.exists();
        private_dir_all(dir)?;
        // The spool lives in the data directory, like `files/`: a rename on one file system,
        // atomic — a reader never sees half a file. The content was fsynced when it finished.
        std::fs::rename(file.path(), &path)?;
        // The rename is durable once its folders are.
        sync_dir(dir)?;
        if new_dir {
            sync_dir(&self.root)?;
        }
        Ok((key, true))
    }

    fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(key)?)
    }

    fn delete(&self, key: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// The media type of an evidence file, decided by its first bytes; `None` = not accepted.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "pdf",
    }
}

/// A display name for an upload: the client's base name without path, control or quote
/// characters, at most 120 characters, with the extension of the real type. Never a path.
pub fn display_name(client_name: Option<&str>, content_type: &str) -> String {
    let base = client_name.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>')).take(120).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    let ext = extension(content_type);
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ if cleaned.is_empty() => "minh-chung".to_string(),
        _ => cleaned,
    };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b"<svg xmlns="), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_never_carry_paths() {
        assert_eq!(display_name(Some("../../etc/passwd"), "image/png"), "passwd.png");
        assert_eq!(display_name(Some("C:\\Users\\a\\ảnh thôn 1.JPG"), "image/jpeg"), "ảnh thôn 1.jpg");
        assert_eq!(display_name(None, "application/pdf"), "minh-chung.pdf");
        assert_eq!(display_name(Some(".htaccess"), "image/png"), "htaccess.png");
    }

    #[test]
    fn stores_by_hash_once() {
        let dir = std::env::temp_dir().join(format!("tt-storage-{}", uuid::Uuid::new_v4()));
        let s = LocalStorage::new(&dir);
        let (k1, new1) = s.put(b"%PDF-1.4 hello").unwrap();
        let (k2, new2) = s.put(b"%PDF-1.4 hello").unwrap();
        assert_eq!(k1, k2);
        assert!(new1 && !new2);
        assert_eq!(s.get(&k1).unwrap(), b"%PDF-1.4 hello");
        assert!(dir.join("files").join(&k1[..2]).join(&k1).exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir.join("files").join(&k1[..2]).join(&k1)), 0o600, "evidence is private");
            assert_eq!(mode(&dir.join("files").join(&k1[..2])), 0o700);
            assert_eq!(mode(&dir.join("files")), 0o700);
        }
        assert!(s.get("../x").is_err());
        // An upload streamed to the spool moves into place; the same content again is not new.
        let spool = crate::spool::Spool::new(&dir, 1 << 20);
        let mut up = spool.create().unwrap();
        up.write(b"%PDF-1.4 streamed").unwrap();
        up.finish().unwrap();
        let (k3, new3) = s.put_file(&up).unwrap();
        assert!(new3 && !up.path().exists(), "moved, not copied");
        assert_eq!(s.get(&k3).unwrap(), b"%PDF-1.4 streamed");
        let mut again = spool.create().unwrap();
        again.write(b"%PDF-1.4 hello").unwrap();
        again.finish().unwrap();
        assert_eq!(s.put_file(&again).unwrap(), (k1.clone(), false));
        let tmp = again.path().to_path_buf();
        drop(again);
        assert!(!tmp.exists(), "a duplicate's temporary file is deleted");
        s.delete(&k1).unwrap();
        assert!(s.get(&k1).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
