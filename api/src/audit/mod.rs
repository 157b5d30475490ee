//! The audit log: every write appends an entry to its commune's hash chain, in the same
//! transaction as the write. `hash = SHA-256(prev_hash ‖ canonical entry)`, so editing,
//! deleting or reordering any row breaks the chain, which [`verify`] detects.

pub mod checkpoint;
pub mod repo;
pub mod routes;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppResult, Validator};

/// The audit summary of a correction: `{field: [before, after]}` for each field of `after`
/// whose value differs in `before` (two JSON objects of the same fields); nothing for the rest.
pub fn changes(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let Some(fields) = after.as_object() {
        for (field, now) in fields {
            let was = before.get(field).unwrap_or(&serde_json::Value::Null);
            if was != now {
                out.insert(field.clone(), serde_json::json!([was, now]));
            }
        }
    }
    serde_json::Value::Object(out)
}

/// Hash that precedes the first entry of every chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something, and from where. Built from the authenticated request.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub role: Option<String>,
    pub commune_id: Option<i64>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    /// The command line or start-up code acting without a user.
    pub fn system(what: &str) -> Actor {
        Actor { username: Some(format!("system:{what}")), ..Actor::default() }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// The commune whose chain gets the entry (`None` = the system chain).
    pub commune_id: Option<i64>,
    /// `create`, `update`, `delete`, `login`, `logout`, `password_change`, …
    pub action: &'a str,
    /// `user`, `unit`, `session`, …
    pub entity: &'a str,
    pub entity_id: Option<String>,
    /// What changed; never secrets (no passwords, hashes or tokens).
    pub summary: serde_json::Value,
}

/// Row as stored.
#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub chain_id: i64,
    pub seq: i64,
    pub commune_id: Option<i64>,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub role: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub summary: String,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// An audit entry as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// The lane of the commune's chain (always 0 on SQLite; 0–7 on PostgreSQL, where writers
    /// of one commune append to parallel lanes).
    pub lane: i64,
    /// Position in its lane, from 1.
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub role: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    /// What changed (JSON object).
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            id: r.id,
            lane: r.chain_id.div_euclid(repo::LANE_STRIDE),
            seq: r.seq,
            at: r.at.and_utc(),
            user_id: r.user_id,
            username: r.username,
            role: r.role,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            summary: serde_json::from_str(&r.summary).unwrap_or(serde_json::Value::String(r.summary)),
            request_id: r.request_id,
            ip: r.ip,
            hash: r.hash,
        }
    }
}

/// What a commune's log holds, to filter it by: the actions, the kinds of record and the users
/// that appear in it (`GET /audit/facets`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditFacets {
    /// Action codes (`create`, `update`, `login` …), sorted.
    pub actions: Vec<String>,
    /// Kinds of record (`task`, `dossier`, `user` …), sorted.
    pub entities: Vec<String>,
    /// The users who wrote, by name.
    pub users: Vec<AuditUser>,
}

/// A user as the log recorded them (the name of their latest entry).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditUser {
    pub id: i64,
    pub username: String,
}

/// Filters for `GET /audit`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub user_id: Option<i64>,
    /// From this instant (RFC 3339), inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (RFC 3339), exclusive.
    pub to: Option<DateTime<Utc>>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

impl AuditFilter {
    /// A range that ends where or before it starts is refused, rather than answered "no entries".
    pub fn check(&self) -> AppResult<()> {
        let mut v = Validator::new();
        if let (Some(from), Some(to)) = (self.from, self.to)
            && to <= from
        {
            v.add("to", "before_start", "Thời điểm kết thúc phải sau thời điểm bắt đầu.");
        }
        v.finish()
    }
}

/// Timestamps are kept to the microsecond so both engines give back exactly what was hashed.
pub fn now_micros() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond(now.nanosecond() / 1000 * 1000).unwrap_or(now)
}

/// The canonical bytes of an entry: a JSON array in fixed order.
pub fn canonical(r: &AuditRow) -> String {
    serde_json::json!([
        r.chain_id,
        r.seq,
        r.commune_id,
        r.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        r.user_id,
        r.username,
        r.role,
        r.action,
        r.entity,
        r.entity_id,
        r.summary,
        r.request_id,
        r.ip,
    ])
    .to_string()
}

/// `SHA-256(prev_hash ‖ canonical)`, hex.
pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// The first row where a chain stops being intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub chain_id: i64,
    pub id: Option<i64>,
    pub seq: i64,
    pub reason: String,
}

/// Checks one chain given in `seq` order against its recorded head.
pub fn verify_chain(chain_id: i64, rows: &[AuditRow], head: Option<(i64, &str)>) -> Result<usize, ChainBreak> {
    let mut prev = GENESIS.to_string();
    for (i, r) in rows.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        let fail = |reason: &str| ChainBreak { chain_id, id: Some(r.id), seq: r.seq, reason: reason.to_string() };
        if r.seq != expected_seq {
            return Err(fail(&format!("expected seq {expected_seq}: an entry is missing or out of order")));
        }
        if r.prev_hash != prev {
            return Err(fail("prev_hash does not match the previous entry"));
        }
        if chain_hash(&prev, &canonical(r)) != r.hash {
            return Err(fail("content does not match its hash (edited)"));
        }
        prev = r.hash.clone();
    }
    let last_seq = rows.len() as i64;
    match head {
        Some((seq, hash)) if seq != last_seq || hash != prev => Err(ChainBreak {
            chain_id,
            id: None,
            seq: last_seq + 1,
            reason: format!("chain head says {seq} entries, found {last_seq}: entries at the end were removed"),
        }),
        None if !rows.is_empty() => {
            Err(ChainBreak { chain_id, id: None, seq: 0, reason: "chain head is missing".into() })
        }
        _ => Ok(rows.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, prev: &str, summary: &str) -> AuditRow {
        let mut r = AuditRow {
            id: seq * 10,
            chain_id: 1,
            seq,
            commune_id: Some(1),
            at: now_micros(),
            user_id: Some(1),
            username: Some("admin".into()),
            role: Some("admin".into()),
            action: "update".into(),
            entity: "unit".into(),
            entity_id: Some("3".into()),
            summary: summary.into(),
            request_id: None,
            ip: Some("127.0.0.1".into()),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        r.hash = chain_hash(prev, &canonical(&r));
        r
    }

    fn chain(n: i64) -> Vec<AuditRow> {
        let mut out: Vec<AuditRow> = Vec::new();
        for i in 1..=n {
            let prev = out.last().map(|r| r.hash.clone()).unwrap_or_else(|| GENESIS.into());
            out.push(row(i, &prev, &format!("{{\"n\":{i}}}")));
        }
        out
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(3);
        let head = (3, c[2].hash.as_str());
        assert_eq!(verify_chain(1, &c, Some(head)), Ok(3));
    }

    #[test]
    fn detects_edit_delete_reorder_and_truncation() {
        let c = chain(4);
        let head = Some((4, c[3].hash.as_str()));
        let mut edited = c.clone();
        edited[1].summary = "{\"n\":99}".into();
        assert_eq!(verify_chain(1, &edited, head).unwrap_err().seq, 2);

        let mut deleted = c.clone();
        deleted.remove(2);
        assert_eq!(verify_chain(1, &deleted, head).unwrap_err().seq, 4);

        let mut swapped = c.clone();
        swapped.swap(1, 2);
        assert!(verify_chain(1, &swapped, head).is_err());

        let truncated = &c[..3];
        let e = verify_chain(1, truncated, head).unwrap_err();
        assert!(e.reason.contains("removed"), "{e:?}");
    }
}
