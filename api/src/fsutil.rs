//! Files and folders the server creates: private to its user (0600 / 0700) and durable when
//! acknowledged; and the checks that tell a full disk from other failures.

use std::io::Write;
use std::path::Path;

/// Makes every file and folder this process creates from now on private to its user
/// (umask 077): the SQLite database and its WAL, evidence, keys, temporary files. Called first
/// thing at start-up; the explicit modes below hold even where it is not called (tests).
pub fn restrict_umask() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// Creates `dir` and its missing parents readable by the server's user only (0700).
pub fn private_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates a new file readable by the server's user only (0600); fails if it exists.
pub fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Takes group and other permissions away from an existing file or folder (one created by
/// an older version, or by a package manager), keeping the owner's.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path)?;
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    Ok(())
}

/// Flushes a directory's entries (a rename, a new file in it) to the disk.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Bytes the write probe writes: a write needs at least this much free space to succeed.
const PROBE_BYTES: usize = 16 * 1024;

/// Writes (and removes) a small file at `path`: fails, with `StorageFull` on a full disk,
/// when the folder cannot take a write.
pub fn write_probe(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(path).and_then(|mut f| {
        f.write_all(&[0u8; PROBE_BYTES])?;
        f.flush()
    });
    if path.is_file() {
        let _ = std::fs::remove_file(path);
    }
    written
}

/// Whether the data directory can take a write now (see [`write_probe`]).
pub fn probe_dir(dir: &Path) -> std::io::Result<()> {
    write_probe(&dir.join(format!(".write-probe-{}", uuid::Uuid::new_v4().simple())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_device_is_storage_full() {
        // /dev/full answers every write with ENOSPC, as a full disk does.
        let full = Path::new("/dev/full");
        if !full.exists() {
            eprintln!("/dev/full missing: skipped");
            return;
        }
        let err = write_probe(full).unwrap_err();
        assert!(crate::error::is_storage_full(&err), "{err:?}");
        let app = crate::error::AppError::io("storage", err);
        assert_eq!(app.code(), "storage_full");
        assert!(full.exists(), "the probe never removes what is not a file");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_and_folders() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("tt-fsutil-{}", uuid::Uuid::new_v4().simple()));
        private_dir_all(&dir.join("a/b")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.join("a/b")), 0o700);
        private_file(&dir.join("a/f")).unwrap();
        assert_eq!(mode(&dir.join("a/f")), 0o600);
        std::fs::write(dir.join("old"), b"x").unwrap();
        std::fs::set_permissions(dir.join("old"), std::fs::Permissions::from_mode(0o644)).unwrap();
        make_private(&dir.join("old")).unwrap();
        assert_eq!(mode(&dir.join("old")), 0o600);
        probe_dir(&dir).unwrap();
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2, "the probe leaves nothing behind (a/, old)");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
