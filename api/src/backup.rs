//! `thanthien backup` and `thanthien restore`: one archive (zip) with the database, the
//! uploaded files and the signing keys, and a manifest with the size and SHA-256 of every part.
//!
//! - SQLite: the database is copied with `VACUUM INTO` — a consistent snapshot taken while the
//!   server keeps writing (the stock `.backup` of a busy database may never finish).
//! - PostgreSQL: the database part is `pg_dump --format=custom` (PostgreSQL's client tools must
//!   be on the PATH); restore runs `pg_restore` into the database named by `--database-url`.
//!
//! Files are copied after the database snapshot, so every file a backed-up row refers to is in
//! the archive (files are written before the rows that name them, and never changed).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;

/// The archive's table of contents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Layout version of the archive.
    pub format: u32,
    /// When the backup was taken (UTC, RFC 3339).
    pub created_at: String,
    /// Version of the program that took it.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub engine: String,
    pub entries: Vec<Entry>,
}

/// One part of the archive.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const SQLITE_ENTRY: &str = "database/thanthien.db";
pub const PG_ENTRY: &str = "database/postgres.dump";
pub const KEYS_ENTRY: &str = "signing-keys.json";
/// The key that seals denouncers' identities: without it they cannot be read after a restore.
pub const IDENTITY_ENTRY: &str = crate::petitions::identity::KEY_FILE;

fn err(context: &str, e: impl std::fmt::Display) -> String {
    format!("{context}: {e}")
}

fn sha256_file(path: &Path) -> Result<(u64, String), String> {
    let mut f = File::open(path).map_err(|e| err(&path.display().to_string(), e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(|e| err(&path.display().to_string(), e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok((size, hex::encode(h.finalize())))
}

/// Every regular file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).map_err(|e| err(&d.display().to_string(), e))? {
            let p = e.map_err(|e| err(&d.display().to_string(), e))?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.is_file()
                && let Ok(rel) = p.strip_prefix(dir)
            {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Takes a backup of the installation `config` describes into the new archive `dest`.
pub fn create(config: &Config, dest: &Path) -> Result<Manifest, String> {
    if dest.exists() {
        return Err(format!("{} already exists: choose a new file name", dest.display()));
    }
    let url = config.database_url();
    let work = tempdir_near(dest)?;
    let result = (|| {
        let (engine, db_path, db_entry) = if url.starts_with("postgres") {
            let out = work.join("postgres.dump");
            let status = Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(&out)
                .arg(&url)
                .status()
                .map_err(|e| err("pg_dump (install PostgreSQL's client tools)", e))?;
            if !status.success() {
                return Err(format!("pg_dump failed ({status})"));
            }
            ("postgres", out, PG_ENTRY)
        } else {
            let out = work.join("thanthien.db");
            let pool =
                crate::db::connect(&url, 1, std::time::Duration::from_secs(config.database.connect_timeout_secs))?;
            let mut conn = pool.get().map_err(|e| err("database", e))?;
            crate::db::snapshot::vacuum_into(&mut conn, &out.display().to_string())
                .map_err(|e| err("VACUUM INTO", e))?;
            ("sqlite", out, SQLITE_ENTRY)
        };
        // Files after the snapshot: every file a row of the snapshot names is already there.
        // With `storage.backend = "s3"` the files are in the bucket, which has its own
        // versioning and replication: the archive holds the database and the keys only.
        if config.storage.backend == "s3" {
            eprintln!("backup: evidence files are in the S3 bucket and not in this archive (docs/scaling.md)");
        }
        let files_root = config.server.data_dir.join("files");
        let mut parts: Vec<(String, PathBuf)> = vec![(db_entry.to_string(), db_path)];
        for rel in files_under(&files_root)? {
            let name = format!("files/{}", rel.to_string_lossy().replace('\\', "/"));
            parts.push((name, files_root.join(rel)));
        }
        let keys = config.server.data_dir.join("signing-keys.json");
        if keys.is_file() {
            parts.push((KEYS_ENTRY.to_string(), keys));
        }
        let identity = config.server.data_dir.join(IDENTITY_ENTRY);
        if identity.is_file() {
            parts.push((IDENTITY_ENTRY.to_string(), identity));
        }
        let mut entries = Vec::with_capacity(parts.len());
        for (name, path) in &parts {
            let (size, sha256) = sha256_file(path)?;
            entries.push(Entry { path: name.clone(), size, sha256 });
        }
        let manifest = Manifest {
            format: FORMAT,
            created_at: chrono::Utc::now().to_rfc3339(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            engine: engine.to_string(),
            entries,
        };
        let partial = dest.with_extension("partial");
        write_zip(&partial, &manifest, &parts)?;
        fs::rename(&partial, dest).map_err(|e| err(&dest.display().to_string(), e))?;
        Ok(manifest)
    })();
    let _ = fs::remove_dir_all(&work);
    result
}

fn tempdir_near(dest: &Path) -> Result<PathBuf, String> {
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = parent.join(format!(".thanthien-backup-{}", uuid::Uuid::new_v4().simple()));
    fs::create_dir_all(&dir).map_err(|e| err(&dir.display().to_string(), e))?;
    Ok(dir)
}

fn write_zip(path: &Path, manifest: &Manifest, parts: &[(String, PathBuf)]) -> Result<(), String> {
    let file = File::create(path).map_err(|e| err(&path.display().to_string(), e))?;
    let mut zip = zip::ZipWriter::new(file);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    let json = serde_json::to_vec_pretty(manifest).map_err(|e| err("manifest", e))?;
    zip.start_file(MANIFEST, opts).map_err(|e| err("archive", e))?;
    zip.write_all(&json).map_err(|e| err("archive", e))?;
    for (name, p) in parts {
        zip.start_file(name.as_str(), opts).map_err(|e| err("archive", e))?;
        let mut f = File::open(p).map_err(|e| err(&p.display().to_string(), e))?;
        io::copy(&mut f, &mut zip).map_err(|e| err("archive", e))?;
    }
    let file = zip.finish().map_err(|e| err("archive", e))?;
    file.sync_all().map_err(|e| err("archive", e))?;
    Ok(())
}

/// Reads and checks an archive: the manifest, and every part's size and SHA-256.
pub fn verify(archive: &Path) -> Result<Manifest, String> {
    let mut zip = open(archive)?;
    let manifest = read_manifest(&mut zip)?;
    for e in &manifest.entries {
        let mut part = zip.by_name(&e.path).map_err(|x| err(&e.path, x))?;
        let mut h = Sha256::new();
        let size = io::copy(&mut part, &mut HashWriter(&mut h)).map_err(|x| err(&e.path, x))?;
        if size != e.size || hex::encode(h.finalize()) != e.sha256 {
            return Err(format!("{}: checksum does not match the manifest (damaged archive)", e.path));
        }
    }
    Ok(manifest)
}

struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn open(archive: &Path) -> Result<zip::ZipArchive<File>, String> {
    let f = File::open(archive).map_err(|e| err(&archive.display().to_string(), e))?;
    zip::ZipArchive::new(f).map_err(|e| err(&archive.display().to_string(), e))
}

fn read_manifest(zip: &mut zip::ZipArchive<File>) -> Result<Manifest, String> {
    let mut text = String::new();
    zip.by_name(MANIFEST)
        .map_err(|e| err("manifest.json", e))?
        .take(16 << 20)
        .read_to_string(&mut text)
        .map_err(|e| err("manifest.json", e))?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| err("manifest.json", e))?;
    if m.format != FORMAT {
        return Err(format!("archive format {} is not supported (expected {FORMAT})", m.format));
    }
    for e in &m.entries {
        let ok = (e.path == SQLITE_ENTRY
            || e.path == PG_ENTRY
            || e.path == KEYS_ENTRY
            || e.path == IDENTITY_ENTRY
            || e.path.starts_with("files/"))
            && !e.path.split('/').any(|c| c == ".." || c.is_empty());
        if !ok {
            return Err(format!("{}: not a part this program writes", e.path));
        }
    }
    Ok(m)
}

/// Restores an archive into a new data directory `data_dir` (which must not exist or be empty).
/// A PostgreSQL backup is restored into `database_url` with `pg_restore` (the database must
/// exist and be empty); a SQLite backup becomes `<data_dir>/thanthien.db`.
pub fn restore(archive: &Path, data_dir: &Path, database_url: Option<&str>) -> Result<Manifest, String> {
    let manifest = verify(archive)?;
    if data_dir.exists()
        && fs::read_dir(data_dir).map_err(|e| err(&data_dir.display().to_string(), e))?.next().is_some()
    {
        return Err(format!("{} is not empty: restore into a new data directory", data_dir.display()));
    }
    fs::create_dir_all(data_dir).map_err(|e| err(&data_dir.display().to_string(), e))?;
    let mut zip = open(archive)?;
    for e in &manifest.entries {
        let target = match e.path.as_str() {
            SQLITE_ENTRY => data_dir.join("thanthien.db"),
            PG_ENTRY => data_dir.join(".postgres.dump"),
            other => data_dir.join(other),
        };
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|x| err(&parent.display().to_string(), x))?;
        }
        let mut out = File::create(&target).map_err(|x| err(&target.display().to_string(), x))?;
        if e.path == KEYS_ENTRY || e.path == IDENTITY_ENTRY {
            // Keys are readable by the server's user only, as when the server made them.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                out.set_permissions(fs::Permissions::from_mode(0o600))
                    .map_err(|x| err(&target.display().to_string(), x))?;
            }
        }
        let mut part = zip.by_name(&e.path).map_err(|x| err(&e.path, x))?;
        io::copy(&mut part, &mut out).map_err(|x| err(&e.path, x))?;
        out.sync_all().map_err(|x| err(&target.display().to_string(), x))?;
        if e.path == PG_ENTRY {
            let url = database_url
                .ok_or("a PostgreSQL backup needs --database-url of the (empty) database to restore into")?;
            let status = Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "--dbname"])
                .arg(url)
                .arg(&target)
                .status()
                .map_err(|x| err("pg_restore (install PostgreSQL's client tools)", x))?;
            let _ = fs::remove_file(&target);
            if !status.success() {
                return Err(format!("pg_restore failed ({status})"));
            }
        }
    }
    Ok(manifest)
}
