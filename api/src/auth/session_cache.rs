//! A short-lived, in-process memory of sessions found live, so that most requests check their
//! session without a database round trip.
//!
//! Every authenticated request must prove that its session is not revoked or expired and that
//! its user is still active. Doing that with a query costs a hop to the blocking pool and a
//! statement per request — at 32 concurrent clients on two cores, about as much as the work
//! the request came for. This cache remembers a positive answer for [`TTL`].
//!
//! Revocation stays immediate in the serving process: every repository function that revokes
//! sessions or changes a user calls [`changed`], which bumps a process-wide generation and asks
//! [`crate::db::run`] to bump it again after its closure (and so after the transaction
//! commits), through [`crate::db::after_work`]; entries from an older generation are ignored.
//! The bump happens once before the commit and once after it, so a request that looked the
//! session up in between cannot leave a stale entry behind. Another process writing to the same database (a second server on
//! PostgreSQL, or the CLI) is seen within [`TTL`]; the session's own expiry is checked on every
//! hit. Only what a request needs is kept — no password hash.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

/// How long a live session is trusted without asking the database again.
pub const TTL: Duration = Duration::from_secs(5);
/// Upper bound on remembered sessions; past it, expired entries go, then everything does.
const CAPACITY: usize = 20_000;

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Marks that this thread's current database work revoked a session or changed a user.
/// Bumps the generation now (before commit) and again once the work is over.
pub fn changed() {
    bump();
    crate::db::after_work(bump);
}

/// Every cached session is forgotten.
fn bump() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// The current generation; read it *before* looking a session up in the database.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

/// What a request needs to know about its signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub commune_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub authority_id: Option<i64>,
    /// When the session itself ends (UTC).
    pub session_expires_at: NaiveDateTime,
}

#[derive(Debug)]
struct Entry {
    user: SessionUser,
    stored: Instant,
    generation: u64,
}

/// Sessions recently found live, by session id.
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl SessionCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The remembered user of session `sid`, if it was found live less than [`TTL`] ago, no
    /// session or user changed since, it belongs to `user_id`, and it has not expired by `now`.
    pub fn get(&self, sid: &str, user_id: i64, now: NaiveDateTime) -> Option<SessionUser> {
        let current = generation();
        let entries = self.entries.lock().ok()?;
        let e = entries.get(sid)?;
        (e.generation == current && e.stored.elapsed() < TTL && e.user.id == user_id && e.user.session_expires_at > now)
            .then(|| e.user.clone())
    }

    /// Remembers a session found live by a lookup that started at `generation`.
    pub fn put(&self, sid: &str, user: SessionUser, generation: u64) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= CAPACITY {
            let current = self::generation();
            entries.retain(|_, e| e.generation == current && e.stored.elapsed() < TTL);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(sid.to_string(), Entry { user, stored: Instant::now(), generation });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, expires: NaiveDateTime) -> SessionUser {
        SessionUser {
            id,
            username: "thon1".into(),
            full_name: "Trưởng thôn 1".into(),
            role: "village".into(),
            commune_id: Some(1),
            unit_id: Some(3),
            authority_id: None,
            session_expires_at: expires,
        }
    }

    fn at(h: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 26).and_then(|d| d.and_hms_opt(h, 0, 0)).unwrap_or_default()
    }

    #[test]
    fn remembers_then_forgets_on_change() {
        let cache = SessionCache::new();
        let g = generation();
        cache.put("s1", user(7, at(12)), g);
        // Other tests in this process may bump the generation; only assert when they did not.
        if generation() == g {
            assert_eq!(cache.get("s1", 7, at(10)).map(|u| u.id), Some(7));
        }
        changed();
        assert_eq!(cache.get("s1", 7, at(10)), None, "a change bumps the generation at once");
        let g2 = generation();
        cache.put("s1", user(7, at(12)), g2);
        crate::db::run_after_work_hooks();
        assert_eq!(cache.get("s1", 7, at(10)), None, "and again once the work is over");
        crate::db::run_after_work_hooks();
    }

    #[test]
    fn checks_owner_and_expiry() {
        let cache = SessionCache::new();
        let g = generation();
        cache.put("s2", user(7, at(12)), g);
        assert_eq!(cache.get("s2", 8, at(10)), None, "another user's token with this session id");
        assert_eq!(cache.get("s2", 7, at(12)), None, "the session has expired");
        assert_eq!(cache.get("nope", 7, at(10)), None);
    }

    #[test]
    fn an_entry_from_before_a_change_is_not_served() {
        let cache = SessionCache::new();
        let before = generation();
        changed(); // a revocation lands while the lookup was running
        cache.put("s3", user(7, at(12)), before);
        assert_eq!(cache.get("s3", 7, at(10)), None);
        crate::db::run_after_work_hooks();
    }
}
