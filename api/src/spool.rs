//! Uploads on their way in: each file part of a request is written to a temporary file in
//! `<data_dir>/uploads/` while it arrives (hashed with SHA-256 as it is written), never held
//! whole in memory. A [`Spool`] also bounds the bytes all requests have in flight at once:
//! every byte read counts against a shared budget until its request is done, and a request
//! that would go past it is refused with 503 `uploads_busy` (with `Retry-After`).
//!
//! A [`SpooledFile`] deletes its temporary file when dropped unless storage has taken it (by
//! renaming it into place), so every error path — a part too large, a client gone, a full
//! disk, a refused form — leaves nothing behind. Left-overs of a crash are removed at start-up.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::fsutil::{private_dir_all, private_file};

/// Bytes a spooled file keeps of its beginning, to tell its type by content.
pub const HEAD_BYTES: usize = 16;

/// The shared upload budget and the folder of temporary files.
#[derive(Debug)]
pub struct Spool {
    dir: PathBuf,
    limit: usize,
    used: AtomicUsize,
}

impl Spool {
    /// A spool in `<data_dir>/uploads/` allowing `limit` bytes in flight across all requests.
    pub fn new(data_dir: &Path, limit: usize) -> Arc<Spool> {
        Arc::new(Spool { dir: data_dir.join("uploads"), limit, used: AtomicUsize::new(0) })
    }

    /// Creates the folder (0700) and removes what a crashed server left in it.
    pub fn prepare(&self) -> std::io::Result<usize> {
        private_dir_all(&self.dir)?;
        let mut removed = 0;
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The folder of temporary files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Bytes in flight now.
    pub fn in_flight(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }

    /// The budget, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// An empty reservation to grow as bytes arrive.
    pub fn reservation(self: &Arc<Self>) -> Reservation {
        Reservation { spool: Arc::clone(self), bytes: 0 }
    }

    /// A new temporary file (0600), deleted when dropped unless taken by storage.
    pub fn create(&self) -> std::io::Result<SpooledFile> {
        private_dir_all(&self.dir)?;
        let path = self.dir.join(format!("{}.part", uuid::Uuid::new_v4().simple()));
        let file = private_file(&path)?;
        Ok(SpooledFile {
            path,
            file: Some(file),
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
            sha256: None,
            held: None,
        })
    }
}

/// Bytes of one request counted against the shared budget; given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    spool: Arc<Spool>,
    bytes: usize,
}

impl Reservation {
    /// Counts `n` more bytes, or `false` (nothing counted) when the budget has no room.
    pub fn grow(&mut self, n: usize) -> bool {
        let limit = self.spool.limit;
        let ok = self
            .spool
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| used.checked_add(n).filter(|&u| u <= limit))
            .is_ok();
        if ok {
            self.bytes += n;
        }
        ok
    }

    /// Bytes this reservation holds.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.spool.used.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

/// What arrived for one part of a multipart form.
#[derive(Debug)]
pub enum PartBody {
    /// A small part, in memory.
    Bytes(Vec<u8>),
    /// A part that may be large, in a temporary file (deleted when dropped).
    File(SpooledFile),
    /// The part was larger than its limit: its bytes were read and dropped, so the client
    /// still gets an answer.
    TooLarge,
}

/// One part of a multipart form as a service sees it: its field name, the file name the client
/// sent, and its content ([`PartBody::TooLarge`] when larger than the part's limit; files
/// arrive in temporary files).
#[derive(Debug)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub body: PartBody,
}

/// An uploaded file on its way into storage: a temporary file, its size, its SHA-256 (once
/// finished) and its first [`HEAD_BYTES`] bytes.
#[derive(Debug)]
pub struct SpooledFile {
    path: PathBuf,
    file: Option<std::fs::File>,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    sha256: Option<String>,
    /// The budget its bytes hold until it is dropped.
    held: Option<Reservation>,
}

impl SpooledFile {
    /// The file keeps `held` (its bytes' share of the shared budget) until it is dropped.
    pub fn holding(mut self, held: Reservation) -> Self {
        self.held = Some(held);
        self
    }

    /// Appends bytes (blocking: call it off the async workers), hashing them on the way.
    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let file = self.file.as_mut().ok_or_else(|| std::io::Error::other("spooled file already finished"))?;
        file.write_all(bytes)?;
        self.hasher.update(bytes);
        if self.head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
        }
        self.size += bytes.len() as u64;
        Ok(())
    }

    /// Flushes the file to the disk (fsync) and fixes its hash; nothing can be written after.
    pub fn finish(&mut self) -> std::io::Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all()?;
            self.sha256 = Some(hex::encode(std::mem::take(&mut self.hasher).finalize()));
        }
        Ok(())
    }

    /// The SHA-256 of the content (lower-case hex), once finished.
    pub fn sha256(&self) -> Option<&str> {
        self.sha256.as_deref()
    }

    /// Size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The first bytes, for telling the type by content.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Where the temporary file is (storage renames it from here).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole content (blocking), for a parser that needs it at once (imports).
    pub fn read_all(&self) -> std::io::Result<Vec<u8>> {
        std::fs::read(&self.path)
    }
}

impl Drop for SpooledFile {
    fn drop(&mut self) {
        // Taken by storage (renamed away) or never fully created: NotFound is fine.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spooled_files_hash_and_vanish_when_dropped() {
        let data = std::env::temp_dir().join(format!("tt-spool-{}", uuid::Uuid::new_v4()));
        let spool = Spool::new(&data, 100);
        std::fs::create_dir_all(spool.dir()).unwrap();
        std::fs::write(spool.dir().join("left-over.part"), b"x").unwrap();
        assert_eq!(spool.prepare().unwrap(), 1, "a crash's left-over is removed");
        let mut f = spool.create().unwrap();
        f.write(b"%PDF-1.4 ").unwrap();
        f.write(b"hello").unwrap();
        f.finish().unwrap();
        assert_eq!(f.sha256(), Some(crate::plans::storage::content_hash(b"%PDF-1.4 hello").as_str()));
        assert_eq!(f.size(), 14);
        assert_eq!(f.head(), b"%PDF-1.4 hello");
        assert_eq!(f.read_all().unwrap(), b"%PDF-1.4 hello");
        let path = f.path().to_path_buf();
        assert!(path.exists());
        drop(f);
        assert!(!path.exists(), "dropping a spooled file deletes it");
        std::fs::remove_dir_all(data).unwrap();
    }

    #[test]
    fn the_budget_is_shared_and_given_back() {
        let spool = Spool::new(Path::new("/nonexistent"), 100);
        let mut a = spool.reservation();
        let mut b = spool.reservation();
        assert!(a.grow(60));
        assert!(!b.grow(41), "past the shared budget");
        assert!(b.grow(40));
        assert_eq!(spool.in_flight(), 100);
        drop(a);
        assert_eq!(spool.in_flight(), 40);
        assert!(b.grow(60));
        drop(b);
        assert_eq!(spool.in_flight(), 0);
    }
}
