//! API keys: issuing, rotating, revoking, listing, and checking a presented key.
//!
//! A key is `tt_<kind>_<8 hex>_<43 base64url>`: the first 16 characters (`tt_live_1a2b3c4d`)
//! are its visible prefix, used to find the row; the rest is 256 random bits. The server keeps
//! SHA-256 of the whole key, never the key. A slow password hash (argon2) protects *guessable*
//! secrets against a stolen database; a 256-bit random secret cannot be guessed whatever the
//! hash, so one SHA-256 is as safe — and it runs on every request a system makes, where
//! argon2's 19 MiB and tens of milliseconds per call would be the cost of the request itself.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::cidr::{self, Cidr};
use super::model::*;
use super::repo;
use crate::audit::{self, Actor, Change};
use crate::auth::caller::{Caller, KeyGrant};
use crate::auth::permission::{Permission, has_permission};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::org::model::Role;

/// Requests per minute of a key when its creator names none.
pub const DEFAULT_RATE_PER_MINUTE: i32 = 600;
/// The longest overlap a rotation may give the old key.
pub const MAX_OVERLAP_DAYS: i64 = 30;
/// Days of use shown beside a key.
pub const USAGE_DAYS: i64 = 30;

/// The SHA-256 of a whole key, hex.
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A new key of `kind`: (whole key, visible prefix).
pub fn new_secret(kind: KeyKind) -> AppResult<(String, String)> {
    let mut id = [0u8; 4];
    let mut secret = [0u8; 32];
    getrandom::fill(&mut id).map_err(|e| AppError::Internal(e.to_string()))?;
    getrandom::fill(&mut secret).map_err(|e| AppError::Internal(e.to_string()))?;
    let prefix = format!("tt_{}_{}", kind.as_str(), hex::encode(id));
    Ok((format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(secret)), prefix))
}

/// The visible prefix of a presented key, if it has the shape of one.
pub fn prefix_of(key: &str) -> Option<&str> {
    let prefix = key.get(..16)?;
    let ok = (prefix.starts_with("tt_live_") || prefix.starts_with("tt_test_"))
        && prefix[8..].bytes().all(|b| b.is_ascii_hexdigit())
        && key.as_bytes().get(16) == Some(&b'_');
    ok.then_some(prefix)
}

/// Whether a credential is meant as an API key rather than a person's access token.
pub fn looks_like_key(credential: &str) -> bool {
    credential.starts_with("tt_")
}

/// Who manages keys, and which: a commune admin its commune's, an oversight user its
/// province's.
#[derive(Debug, Clone, Copy)]
struct Manager {
    commune: Option<i64>,
    authority: Option<i64>,
}

fn manager(caller: &Caller) -> AppResult<Manager> {
    if caller.role == Role::Oversight {
        Ok(Manager { commune: None, authority: Some(caller.authority_id.ok_or(AppError::Forbidden)?) })
    } else {
        Ok(Manager { commune: Some(caller.commune()?), authority: None })
    }
}

impl Manager {
    fn sees(&self, k: &ApiKeyRow) -> bool {
        match (self.commune, self.authority) {
            (_, Some(a)) => k.authority_id == Some(a),
            (Some(c), None) => k.commune_id == Some(c) && k.authority_id.is_none(),
            (None, None) => false,
        }
    }
}

pub fn scopes_of(text: &str) -> Vec<KeyScope> {
    text.split(',').filter_map(KeyScope::parse).collect()
}

fn networks_of(text: &str) -> Vec<Cidr> {
    text.split(',').filter_map(Cidr::parse).collect()
}

/// The role a key acts with: its creator's, while the creator is active and still allowed to
/// manage keys for the key's commune (a commune's admin) or province (its oversight staff).
pub fn creator_role(key: &ApiKeyRow, creator: &KeyCreator) -> Option<Role> {
    let role = Role::parse(&creator.role)?;
    let allowed = creator.id == key.issued.created_by
        && creator.active
        && has_permission(role, Permission::ManageApiKeys)
        && match key.authority_id {
            Some(a) => role == Role::Oversight && creator.authority_id == Some(a),
            None => creator.commune_id.is_some() && creator.commune_id == key.commune_id,
        };
    allowed.then_some(role)
}

/// Whether a key acts now (what a request with it would be let through for, but the secret and
/// the network): not revoked or expired, its creator allowed, a test key still in a sandbox.
/// Events are queued and sent only for such keys.
pub fn acts(conn: &mut DbConnection, key: &ApiKeyRow, now: NaiveDateTime) -> diesel::QueryResult<bool> {
    Ok(which_act(conn, &[key], now)?.first().copied().unwrap_or(false))
}

/// [`acts`] for each of `keys`, in order: their creators read in one query, each sandbox once.
pub fn which_act(conn: &mut DbConnection, keys: &[&ApiKeyRow], now: NaiveDateTime) -> diesel::QueryResult<Vec<bool>> {
    let ids: Vec<i64> = keys.iter().map(|k| k.issued.created_by).collect();
    let creators = repo::creators(conn, &ids)?;
    let mut sandboxes: Vec<(i64, bool)> = Vec::new();
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let creator = creators.iter().find(|c| c.id == key.issued.created_by);
        let live = matches!(state_of(key, creator, now), KeyState::Active | KeyState::Rotating);
        out.push(match (live, key.kind == KeyKind::Test.as_str(), key.commune_id) {
            (false, _, _) | (true, true, None) => false,
            (true, false, _) => true,
            (true, true, Some(c)) => match sandboxes.iter().find(|(id, _)| *id == c) {
                Some(&(_, sandbox)) => sandbox,
                None => {
                    let sandbox = repo::is_sandbox(conn, c)?;
                    sandboxes.push((c, sandbox));
                    sandbox
                }
            },
        });
    }
    Ok(out)
}

/// Where a key stands; `creator` is the key's creator as stored now (`None`: gone).
fn state_of(k: &ApiKeyRow, creator: Option<&KeyCreator>, now: NaiveDateTime) -> KeyState {
    if k.revoked_at.is_some() {
        KeyState::Revoked
    } else if k.expires_at.is_some_and(|e| e <= now) {
        KeyState::Expired
    } else if creator.and_then(|c| creator_role(k, c)).is_none() {
        KeyState::Suspended
    } else if k.replaced_by.is_some() {
        KeyState::Rotating
    } else {
        KeyState::Active
    }
}

fn view(k: ApiKeyRow, state: KeyState, calls_today: i64, calls_30_days: i64) -> ApiKey {
    ApiKey {
        id: k.id,
        kind: KeyKind::parse(&k.kind).unwrap_or(KeyKind::Live),
        scopes: scopes_of(&k.scopes),
        ip_allow: networks_of(&k.ip_allow).iter().map(ToString::to_string).collect(),
        name: k.issued.name,
        owner: k.issued.owner,
        prefix: k.issued.prefix,
        rate_per_minute: k.issued.rate_per_minute,
        commune_id: k.issued.commune_id,
        authority_id: k.issued.authority_id,
        created_by: k.issued.created_by,
        created_at: k.issued.created_at.and_utc(),
        expires_at: k.issued.expires_at.map(|t| t.and_utc()),
        revoked_at: k.revoked_at.map(|t| t.and_utc()),
        replaced_by: k.replaced_by,
        last_used_at: k.last_used_at.map(|t| t.and_utc()),
        state,
        calls_today,
        calls_30_days,
    }
}

fn views(conn: &mut DbConnection, rows: Vec<ApiKeyRow>, now: NaiveDateTime) -> AppResult<Vec<ApiKey>> {
    let today = now.date();
    let since = today - Duration::days(USAGE_DAYS - 1);
    let ids: Vec<i64> = rows.iter().map(|k| k.id).collect();
    let mut counts: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (key, day, calls) in repo::usage_of(conn, &ids, since)? {
        let e = counts.entry(key).or_default();
        e.1 += calls;
        if day == today {
            e.0 += calls;
        }
    }
    let creator_ids: Vec<i64> = rows.iter().map(|k| k.issued.created_by).collect();
    let creators: BTreeMap<i64, KeyCreator> =
        repo::creators(conn, &creator_ids)?.into_iter().map(|c| (c.id, c)).collect();
    Ok(rows
        .into_iter()
        .map(|k| {
            let (t, m) = counts.get(&k.id).copied().unwrap_or_default();
            let state = state_of(&k, creators.get(&k.issued.created_by), now);
            view(k, state, t, m)
        })
        .collect())
}

fn one_view(conn: &mut DbConnection, row: ApiKeyRow, now: NaiveDateTime) -> AppResult<ApiKey> {
    views(conn, vec![row], now)?.pop().ok_or_else(|| AppError::Internal("key view".into()))
}

/// Keys the caller manages, newest first, with their use.
pub fn list(conn: &mut DbConnection, caller: &Caller) -> AppResult<Vec<ApiKey>> {
    let m = manager(caller)?;
    let rows = repo::list_keys(conn, m.commune, m.authority)?;
    views(conn, rows, Utc::now().naive_utc())
}

fn load(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<ApiKeyRow> {
    let m = manager(caller)?;
    repo::get_key(conn, id)?.filter(|k| m.sees(k)).ok_or(AppError::NotFound)
}

/// One key with its daily use per endpoint.
pub fn detail(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<ApiKeyDetail> {
    let row = load(conn, caller, id)?;
    let now = Utc::now().naive_utc();
    let usage = repo::usage_rows(conn, id, now.date() - Duration::days(USAGE_DAYS - 1))?;
    Ok(ApiKeyDetail { key: one_view(conn, row, now)?, usage })
}

/// Issues a key; the answer holds the only copy of its secret.
pub fn create(conn: &mut DbConnection, caller: &Caller, body: CreateApiKey) -> AppResult<IssuedKey> {
    let m = manager(caller)?;
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    v.text("name", &body.name, 1, 120);
    v.text("owner", &body.owner, 1, 200);
    let mut scopes = body.scopes.clone();
    scopes.sort_by_key(|s| s.as_str());
    scopes.dedup();
    if scopes.is_empty() {
        v.add("scopes", "required", "Chọn ít nhất một phạm vi.");
    }
    let mut networks = Vec::new();
    for (i, text) in body.ip_allow.iter().enumerate() {
        match Cidr::parse(text) {
            // The same network written twice (or as 10.0.0.1 and 10.0.0.1/32) is kept once.
            Some(c) if networks.contains(&c.to_string()) => {}
            Some(c) => networks.push(c.to_string()),
            None => v.add(
                &format!("ip_allow.{i}"),
                "invalid_format",
                "Địa chỉ hoặc dải mạng không hợp lệ (ví dụ 203.0.113.0/24).",
            ),
        }
    }
    if networks.len() > 50 {
        v.add("ip_allow", "too_long", "Tối đa 50 dải mạng.");
    }
    let expires_at = body.expires_at.map(|t| t.naive_utc());
    if expires_at.is_some_and(|t| t <= now) {
        v.add("expires_at", "invalid_value", "Ngày hết hạn phải ở tương lai.");
    }
    let rate = body.rate_per_minute.unwrap_or(DEFAULT_RATE_PER_MINUTE);
    if !(1..=6000).contains(&rate) {
        v.add("rate_per_minute", "invalid_value", "Từ 1 đến 6000 yêu cầu mỗi phút.");
    }
    v.finish()?;
    let (commune_id, authority_id) = match (m.authority, body.commune_id) {
        (Some(a), Some(c)) => {
            let visible = crate::org::repo::visible_communes(conn, None, Some(a))?;
            if !visible.iter().any(|x| x.id == c) {
                return Err(AppError::NotFound);
            }
            (Some(c), Some(a))
        }
        (Some(a), None) => (None, Some(a)),
        (None, Some(c)) if Some(c) != m.commune => return Err(AppError::NotFound),
        (None, _) => (m.commune, None),
    };
    if body.kind == KeyKind::Test {
        let sandbox = match commune_id {
            Some(c) => repo::is_sandbox(conn, c)?,
            None => false,
        };
        if !sandbox {
            return Err(AppError::rule(
                "test_key_needs_sandbox",
                "Khóa thử nghiệm chỉ dùng được với xã mẫu (dữ liệu demo); hãy chọn xã mẫu hoặc tạo khóa chính thức.",
            ));
        }
    }
    let (secret, prefix) = new_secret(body.kind)?;
    let new = NewApiKey {
        commune_id,
        authority_id,
        created_by: caller.id,
        name: body.name.trim().to_string(),
        owner: body.owner.trim().to_string(),
        kind: body.kind.as_str().to_string(),
        prefix,
        secret_hash: hash_key(&secret),
        scopes: scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","),
        ip_allow: networks.join(","),
        rate_per_minute: rate,
        expires_at,
        created_at: now,
    };
    let row = write_tx(conn, |c| -> AppResult<ApiKeyRow> {
        let row = repo::insert_key(c, &new)?;
        audit::repo::record(c, &caller.actor(), change(&row, "create", json!({})))?;
        Ok(row)
    })?;
    Ok(IssuedKey { key: one_view(conn, row, now)?, secret })
}

/// The audit entry of a change to a key: what identifies it, never its secret or hash.
fn change<'a>(k: &ApiKeyRow, action: &'a str, extra: serde_json::Value) -> Change<'a> {
    let mut summary = json!({
        "prefix": k.prefix, "name": k.name, "owner": k.owner, "kind": k.kind,
        "scopes": k.scopes, "ip_allow": k.ip_allow, "expires_at": k.expires_at,
        "rate_per_minute": k.rate_per_minute, "commune_id": k.commune_id, "authority_id": k.authority_id,
    });
    if let (Some(s), Some(e)) = (summary.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    Change { commune_id: k.commune_id, action, entity: "api_key", entity_id: Some(k.id.to_string()), summary }
}

/// Replaces a key by a new one with the same name, owner, scopes and limits; the old one
/// keeps working until `old_valid_until` so the system can switch without a gap.
pub fn rotate(conn: &mut DbConnection, caller: &Caller, id: i64, body: RotateApiKey) -> AppResult<IssuedKey> {
    let old = load(conn, caller, id)?;
    let now = Utc::now().naive_utc();
    let creator = repo::creators(conn, &[old.issued.created_by])?.pop();
    if state_of(&old, creator.as_ref(), now) != KeyState::Active {
        return Err(AppError::rule(
            "key_not_active",
            "Chỉ đổi được khóa đang hoạt động (khóa này đã thu hồi, hết hạn, đã được đổi, hoặc người tạo không còn quyền).",
        ));
    }
    let until = body.old_valid_until.naive_utc().max(now);
    if until > now + Duration::days(MAX_OVERLAP_DAYS) {
        return Err(AppError::field(
            "old_valid_until",
            "invalid_value",
            "Khóa cũ chỉ được dùng song song tối đa 30 ngày.",
        ));
    }
    let kind = KeyKind::parse(&old.kind).unwrap_or(KeyKind::Live);
    let (secret, prefix) = new_secret(kind)?;
    let new = NewApiKey {
        commune_id: old.commune_id,
        authority_id: old.authority_id,
        created_by: caller.id,
        name: old.name.clone(),
        owner: old.owner.clone(),
        kind: old.kind.clone(),
        prefix,
        secret_hash: hash_key(&secret),
        scopes: old.scopes.clone(),
        ip_allow: old.ip_allow.clone(),
        rate_per_minute: old.rate_per_minute,
        expires_at: old.expires_at,
        created_at: now,
    };
    let old_until = old.expires_at.map_or(until, |e| e.min(until));
    let row = write_tx(conn, |c| -> AppResult<ApiKeyRow> {
        let row = repo::insert_key(c, &new)?;
        repo::set_replaced(c, old.id, old_until, row.id)?;
        let moved = repo::move_subscriptions(c, old.id, row.id)?;
        audit::repo::record(
            c,
            &caller.actor(),
            change(
                &old,
                "rotate",
                json!({ "old_valid_until": old_until, "replaced_by": row.prefix, "webhooks_moved": moved }),
            ),
        )?;
        audit::repo::record(c, &caller.actor(), change(&row, "create", json!({ "replaces": old.prefix })))?;
        Ok(row)
    })?;
    Ok(IssuedKey { key: one_view(conn, row, now)?, secret })
}

/// Revokes a key: the next request with it is refused (keys are checked against the
/// database on every request, nothing caches a key).
pub fn revoke(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<ApiKey> {
    let old = load(conn, caller, id)?;
    let now = Utc::now().naive_utc();
    write_tx(conn, |c| -> AppResult<()> {
        if repo::revoke(c, id, now)? > 0 {
            audit::repo::record(c, &caller.actor(), change(&old, "revoke", json!({})))?;
        }
        Ok(())
    })?;
    let row = repo::get_key(conn, id)?.ok_or(AppError::NotFound)?;
    one_view(conn, row, now)
}

/// Why a presented key was refused.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// `unknown`, `bad_secret`, `revoked`, `expired`, `ip_refused`, `creator_not_permitted`,
    /// `not_sandbox`, `endpoint_closed_to_keys`, `scope_denied`.
    pub reason: &'static str,
    pub key: Option<ApiKeyRow>,
    /// What was presented, cut to its prefix (never the secret).
    pub prefix: String,
}

impl Refusal {
    /// The error the client gets: 401 when the key does not authenticate, 403 when it does
    /// but may not do this from here.
    pub fn error(&self) -> AppError {
        match self.reason {
            "ip_refused" | "endpoint_closed_to_keys" | "scope_denied" => AppError::Forbidden,
            _ => AppError::Unauthenticated,
        }
    }
}

/// A key that authenticates, with the caller it stands for.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub key: ApiKeyRow,
    pub caller: Caller,
}

/// Checks a presented key: known, secret right, not revoked or expired, used from an
/// allowed network, its creator still active and still allowed to manage keys for the key's
/// commune or province (so disabling or demoting the creator disables the key), and for a
/// test key, still bound to a sandbox commune. The caller it returns has the creator's role
/// and the key's own grant.
pub fn authenticate(
    conn: &mut DbConnection,
    presented: &str,
    ip: &str,
    request_id: &str,
    now: NaiveDateTime,
) -> AppResult<Result<Authenticated, Refusal>> {
    let refuse = |reason, key: Option<&ApiKeyRow>, prefix: &str| {
        Ok(Err(Refusal { reason, key: key.cloned(), prefix: prefix.to_string() }))
    };
    let Some(prefix) = prefix_of(presented) else {
        return refuse("unknown", None, "(malformed)");
    };
    let Some((key, creator)) = repo::key_with_creator(conn, prefix)? else {
        return refuse("unknown", None, prefix);
    };
    if !constant_time_eq(hash_key(presented).as_bytes(), key.secret_hash.as_bytes()) {
        return refuse("bad_secret", Some(&key), prefix);
    }
    match state_of(&key, Some(&creator), now) {
        KeyState::Revoked => return refuse("revoked", Some(&key), prefix),
        KeyState::Expired => return refuse("expired", Some(&key), prefix),
        KeyState::Suspended | KeyState::Active | KeyState::Rotating => {}
    }
    if !cidr::allowed(&networks_of(&key.ip_allow), ip) {
        return refuse("ip_refused", Some(&key), prefix);
    }
    let Some(role) = creator_role(&key, &creator) else {
        return refuse("creator_not_permitted", Some(&key), prefix);
    };
    if key.kind == KeyKind::Test.as_str() {
        let sandbox = match key.commune_id {
            Some(c) => repo::is_sandbox(conn, c)?,
            None => false,
        };
        if !sandbox {
            return refuse("not_sandbox", Some(&key), prefix);
        }
    }
    let mut permissions: Vec<Permission> =
        scopes_of(&key.scopes).into_iter().flat_map(|s| s.permissions().iter().copied()).collect();
    permissions.sort_by_key(|p| Permission::ALL.iter().position(|x| x == p));
    permissions.dedup();
    let caller = Caller {
        id: creator.id,
        username: creator.username,
        full_name: key.name.clone(),
        role,
        commune_id: key.commune_id,
        unit_id: None,
        authority_id: if key.commune_id.is_none() { key.authority_id } else { None },
        request_id: request_id.to_string(),
        ip: ip.to_string(),
        key: Some(Arc::new(KeyGrant { id: key.id, prefix: key.prefix.clone(), permissions })),
    };
    Ok(Ok(Authenticated { key, caller }))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Counts one use of a key on an endpoint (`METHOD /pattern`), in its own transaction.
pub fn count_use(conn: &mut DbConnection, key: i64, endpoint: &str, now: NaiveDateTime) -> AppResult<()> {
    write_tx(conn, |c| -> AppResult<()> { Ok(repo::count_use(c, key, now.date(), endpoint, now)?) })
}

/// Writes the audit entry of a refused key (its prefix and the reason, never the secret).
pub fn audit_refusal(
    conn: &mut DbConnection,
    refusal: &Refusal,
    endpoint: &str,
    request_id: &str,
    ip: &str,
) -> AppResult<()> {
    let actor = Actor {
        user_id: None,
        username: Some(format!("key:{}", refusal.prefix)),
        role: None,
        commune_id: refusal.key.as_ref().and_then(|k| k.commune_id),
        request_id: Some(request_id.to_string()),
        ip: Some(ip.to_string()),
    };
    let c = Change {
        commune_id: refusal.key.as_ref().and_then(|k| k.commune_id),
        action: "api_key_refused",
        entity: "api_key",
        entity_id: refusal.key.as_ref().map(|k| k.id.to_string()),
        summary: json!({ "prefix": refusal.prefix, "reason": refusal.reason, "endpoint": endpoint }),
    };
    write_tx(conn, |tx| -> AppResult<()> { Ok(audit::repo::record(tx, &actor, c)?) })
}

/// Deletes use counters older than `retention_days` (at least 31: the list shows 30 days);
/// the hourly task of the server calls it (`integration.usage_retention_days`).
pub fn prune_usage(conn: &mut DbConnection, retention_days: i64, now: NaiveDateTime) -> AppResult<usize> {
    let keep = retention_days.max(USAGE_DAYS + 1);
    let before = now.date() - Duration::days(keep);
    write_tx(conn, |c| -> AppResult<usize> { Ok(repo::prune_usage(c, before)?) })
}

/// Marks the demo commune as the sandbox test keys may read (called by the demo seed).
pub fn mark_sandbox(conn: &mut DbConnection, commune: i64) -> AppResult<()> {
    Ok(repo::mark_sandbox(conn, commune, Utc::now().naive_utc())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_a_visible_prefix_and_256_random_bits() {
        let (key, prefix) = new_secret(KeyKind::Live).unwrap();
        assert!(key.starts_with(&prefix) && prefix.starts_with("tt_live_"));
        assert_eq!(prefix_of(&key), Some(prefix.as_str()));
        assert_eq!(key.len(), 16 + 1 + 43);
        let (other, _) = new_secret(KeyKind::Test).unwrap();
        assert!(other.starts_with("tt_test_") && other != key);
        assert_eq!(hash_key(&key).len(), 64);
        assert_ne!(hash_key(&key), hash_key(&other));
        for bad in ["tt_live_", "tt_live_zzzzzzzz_x", "tt_prod_12345678_x", "eyJhbGciOi"] {
            assert_eq!(prefix_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn scopes_grant_reads_only() {
        for s in KeyScope::ALL {
            for p in s.permissions() {
                assert!(matches!(
                    p,
                    Permission::ReadStatistics
                        | Permission::ReadCommunes
                        | Permission::ReadUnits
                        | Permission::ReadDossiers
                        | Permission::ReadPlans
                ));
            }
        }
    }
}
