//! Blobs in the local data directory: `<data_dir>/files/ab/abcdef…`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Storage, check_key, content_hash};
use crate::fsutil::{private_dir_all, private_file, sync_dir};
use crate::spool::SpooledFile;

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
        check_key(key)?;
        Ok(self.root.join(&key[..2]).join(key))
    }

    /// Stores the content named `key` unless it is there already (then `false`): `place(dir,
    /// path, key)` puts it at `path` in its (new or existing) folder `dir`, then the folders are
    /// synced, since a rename is durable only once its directory is: the file is acknowledged to
    /// the client after this, so a power cut cannot lose it (nor a new fan-out folder).
    fn store(
        &self,
        key: String,
        place: impl FnOnce(&Path, &Path, &str) -> std::io::Result<()>,
    ) -> std::io::Result<(String, bool)> {
        let path = self.path(&key)?;
        if path.exists() {
            return Ok((key, false));
        }
        let dir = path.parent().ok_or_else(|| std::io::Error::other("no parent directory"))?;
        let new_dir = !dir.exists();
        private_dir_all(dir)?;
        place(dir, &path, &key)?;
        sync_dir(dir)?;
        if new_dir {
            sync_dir(&self.root)?;
        }
        Ok((key, true))
    }
}

impl Storage for LocalStorage {
    fn put(&self, bytes: &[u8]) -> std::io::Result<(String, bool)> {
        self.store(content_hash(bytes), |dir, path, key| {
            // Write to a temporary name, then rename: a reader never sees half a file.
            let tmp = dir.join(format!(".{key}.{}", uuid::Uuid::new_v4().simple()));
            let written = (|| {
                let mut f = private_file(&tmp)?;
                f.write_all(bytes)?;
                f.sync_all()?;
                std::fs::rename(&tmp, path)
            })();
            if written.is_err() {
                // A full disk leaves no half-written temporary behind.
                let _ = std::fs::remove_file(&tmp);
            }
            written
        })
    }

    fn put_file(&self, file: &SpooledFile) -> std::io::Result<(String, bool)> {
        let key = file.sha256().ok_or_else(|| std::io::Error::other("upload not finished"))?.to_string();
        // The spool lives in the data directory, like `files/`: a rename on one file system,
        // atomic — a reader never sees half a file. The content was fsynced when it finished.
        self.store(key, |_, path, _| std::fs::rename(file.path(), path))
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

#[cfg(test)]
mod tests {
    use super::*;

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
