//! Signed checkpoints of the audit chains: each chain's head (count and hash) at a moment,
//! MAC'd with a key derived from the server's signing key and appended to
//! `<data_dir>/audit-checkpoints.jsonl`. Someone who can rewrite the database alone can cut a
//! chain's tail and reset its head row so that the chain still verifies; they cannot forge a
//! checkpoint, and `verify-audit` compares every chain with the last one: an entry the
//! checkpoint saw must still be there, with the same hash. The file is also what a province
//! keeps: `thanthien audit-checkpoint` prints the newest.
//!
//! Written every `audit.checkpoint_interval_secs` while the server runs, at shutdown, and on
//! demand.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};

use super::{ChainBreak, repo};
use crate::db::DbConnection;

pub const FILE: &str = "audit-checkpoints.jsonl";

/// One chain's head at the checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Head {
    pub chain_id: i64,
    pub seq: i64,
    pub hash: String,
}

/// A signed checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Checkpoint {
    /// UTC, RFC 3339.
    pub at: String,
    /// The signing key it was MAC'd with.
    pub kid: String,
    pub heads: Vec<Head>,
    /// HMAC-SHA256 (hex) of the canonical text of `at`, `kid` and `heads`.
    pub mac: String,
}

fn canonical(at: &str, kid: &str, heads: &[Head]) -> String {
    let mut s = format!("v1\n{at}\n{kid}\n");
    for h in heads {
        s.push_str(&format!("{} {} {}\n", h.chain_id, h.seq, h.hash));
    }
    s
}

fn mac_of(key: &[u8; 32], text: &str) -> String {
    match Hmac::<sha2::Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(text.as_bytes());
            hex::encode(m.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Signs the heads (sorted by chain).
pub fn sign(mut heads: Vec<Head>, at: &str, kid: &str, key: &[u8; 32]) -> Checkpoint {
    heads.sort_by_key(|h| h.chain_id);
    let mac = mac_of(key, &canonical(at, kid, &heads));
    Checkpoint { at: at.to_string(), kid: kid.to_string(), heads, mac }
}

/// Whether the checkpoint's MAC is right under `key`.
pub fn authentic(cp: &Checkpoint, key: &[u8; 32]) -> bool {
    let expected = mac_of(key, &canonical(&cp.at, &cp.kid, &cp.heads));
    !expected.is_empty() && expected.len() == cp.mac.len() && {
        // Constant-time enough for hex of equal length.
        expected.bytes().zip(cp.mac.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Appends a checkpoint and syncs it to disk.
pub fn append(data_dir: &Path, cp: &Checkpoint) -> std::io::Result<()> {
    let p = path(data_dir);
    let mut f = OpenOptions::new().create(true).append(true).open(&p)?;
    let line = serde_json::to_string(cp).map_err(std::io::Error::other)?;
    f.write_all(line.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()
}

/// The newest checkpoint in the file (`None` when there is none yet).
pub fn last(data_dir: &Path) -> Result<Option<Checkpoint>, String> {
    let p = path(data_dir);
    let f = match std::fs::File::open(&p) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", p.display())),
    };
    let mut newest = None;
    for line in BufReader::new(f).lines() {
        let line = line.map_err(|e| format!("{}: {e}", p.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        newest = Some(serde_json::from_str::<Checkpoint>(&line).map_err(|e| format!("{}: {e}", p.display()))?);
    }
    Ok(newest)
}

/// Compares the chains (`entry(chain, seq)` gives the hash of an entry, if it exists) with a
/// checkpoint: every entry the checkpoint saw must still be there, unchanged.
pub fn compare(cp: &Checkpoint, entry: impl Fn(i64, i64) -> Option<String>) -> Result<(), ChainBreak> {
    // An empty chain (a lane not used yet: count 0) holds nothing to check.
    for h in cp.heads.iter().filter(|h| h.seq > 0) {
        match entry(h.chain_id, h.seq) {
            None => {
                return Err(ChainBreak {
                    chain_id: h.chain_id,
                    id: None,
                    seq: h.seq,
                    reason: format!(
                        "the signed checkpoint of {} saw {} entries; entry {} is gone (the tail was cut)",
                        cp.at, h.seq, h.seq
                    ),
                });
            }
            Some(hash) if hash != h.hash => {
                return Err(ChainBreak {
                    chain_id: h.chain_id,
                    id: None,
                    seq: h.seq,
                    reason: format!("entry {} differs from the signed checkpoint of {} (rewritten)", h.seq, cp.at),
                });
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Reads every chain's head and appends a signed checkpoint of it.
pub fn write_now(conn: &mut DbConnection, data_dir: &Path, kid: &str, key: &[u8; 32]) -> Result<Checkpoint, String> {
    let heads = repo::heads(conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(chain_id, seq, hash)| Head { chain_id, seq, hash })
        .collect();
    let cp = sign(heads, &chrono::Utc::now().to_rfc3339(), kid, key);
    append(data_dir, &cp).map_err(|e| format!("{}: {e}", path(data_dir).display()))?;
    Ok(cp)
}

/// What `verify-audit` concludes.
#[derive(Debug)]
pub enum Verdict {
    /// Every chain verifies and holds everything the last checkpoint saw (`None`: there is no
    /// checkpoint yet).
    Intact {
        entries: usize,
        checkpoint: Option<String>,
    },
    Broken(ChainBreak),
}

/// Verifies every chain, then compares them with the last signed checkpoint. A checkpoint
/// whose MAC is wrong (or whose key the ring no longer holds) is an error, not a pass.
pub fn verify(
    conn: &mut DbConnection,
    data_dir: &Path,
    key_of: impl Fn(&str) -> Option<[u8; 32]>,
) -> Result<Verdict, String> {
    let entries = match repo::verify_all(conn).map_err(|e| e.to_string())? {
        Ok(n) => n,
        Err(b) => return Ok(Verdict::Broken(b)),
    };
    let Some(cp) = last(data_dir)? else {
        return Ok(Verdict::Intact { entries, checkpoint: None });
    };
    let key = key_of(&cp.kid).ok_or_else(|| {
        format!("the last checkpoint is signed with key {}, which the key ring no longer holds", cp.kid)
    })?;
    if !authentic(&cp, &key) {
        return Err(format!("the checkpoint of {} is not authentic (its signature does not match)", cp.at));
    }
    // The entries the checkpoint names, looked up first (`compare` is pure).
    let mut found = std::collections::HashMap::new();
    for h in cp.heads.iter().filter(|h| h.seq > 0) {
        let hash = repo::entry_hash(conn, h.chain_id, h.seq).map_err(|e| e.to_string())?;
        found.insert((h.chain_id, h.seq), hash);
    }
    match compare(&cp, |c, s| found.get(&(c, s)).cloned().flatten()) {
        Ok(()) => Ok(Verdict::Intact { entries, checkpoint: Some(cp.at) }),
        Err(b) => Ok(Verdict::Broken(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_and_checked() {
        let key = [7u8; 32];
        let heads =
            vec![Head { chain_id: 2, seq: 5, hash: "b".into() }, Head { chain_id: 1, seq: 3, hash: "a".into() }];
        let cp = sign(heads, "2026-12-02T00:00:00Z", "k1", &key);
        assert_eq!(cp.heads[0].chain_id, 1);
        assert!(authentic(&cp, &key));
        assert!(!authentic(&cp, &[8u8; 32]));
        let mut forged = cp.clone();
        forged.heads[0].seq = 2;
        assert!(!authentic(&forged, &key), "a lowered count is not authentic");
        let full = |c: i64, s: i64| match (c, s) {
            (1, 1..=3) => Some(if s == 3 { "a".to_string() } else { "x".into() }),
            (2, 1..=5) => Some(if s == 5 { "b".to_string() } else { "x".into() }),
            _ => None,
        };
        assert!(compare(&cp, full).is_ok());
        let cut = |c: i64, s: i64| if c == 2 && s > 4 { None } else { full(c, s) };
        assert!(compare(&cp, cut).unwrap_err().reason.contains("tail was cut"));
        let rewritten = |c: i64, s: i64| if c == 1 && s == 3 { Some("z".into()) } else { full(c, s) };
        assert!(compare(&cp, rewritten).unwrap_err().reason.contains("rewritten"));
        // An empty lane (count 0, as PostgreSQL's parallel lanes start) holds nothing.
        let empty = sign(vec![Head { chain_id: 9, seq: 0, hash: "genesis".into() }], "t", "k1", &key);
        assert!(compare(&empty, |_, _| None).is_ok());
    }
}
