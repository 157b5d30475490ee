//! Read views already built (the JSON of a page), kept in memory and served again while what
//! they show has not changed. One per server; the modules that use it:
//! - a plan's overview and task-list pages ([`Scope::Plan`]), under the plan's `revision`
//!   (migration `000007_plan_revision`; see `plans::service`);
//! - a commune's disclosure and activity lists ([`Scope::DemocracyLists`]), under the
//!   commune's `democracy_revision` (migration `001001_democracy_revision`; see
//!   `democracy::lists`).
//!
//! Never stale: every read first reads the scope's revision from the database. Triggers bump
//! it in the same transaction as any change to what these views show, whoever makes it: this
//! process, another server on the same database, or the CLI. A view is kept under the revision
//! read *before* its rows were read, so its rows are at least that new; a view is also keyed by
//! the commune's date, which decides overdue flags, posting status and missing periods.
//!
//! What a view depends on beyond its scope is in its key: the viewer's unit scope, filters,
//! sort and page. Permission and scope are checked before the cache is asked, as without it.
//! Bounded by bytes (`server.read_cache_mb`, 0 = off): past the budget, whole scopes are
//! evicted.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use chrono::NaiveDate;
use parking_lot::Mutex;

use crate::error::{AppError, AppResult};

/// What a revision covers: the views of one plan, or the democracy lists of one commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Plan(i64),
    DemocracyLists(i64),
}

/// A built view: the JSON sent for it, and for a plan overview the roll-up figures that the
/// plan's header carries (0 for other views).
#[derive(Debug)]
pub struct View {
    pub json: Bytes,
    pub progress: f64,
    pub task_count: i64,
}

impl View {
    /// A view that is only its JSON.
    pub fn json(json: Bytes) -> View {
        View { json, progress: 0.0, task_count: 0 }
    }
}

struct ScopeViews {
    revision: i64,
    today: NaiveDate,
    views: HashMap<String, Arc<View>>,
    bytes: usize,
}

struct Inner {
    scopes: HashMap<Scope, ScopeViews>,
    bytes: usize,
}

/// The read cache of one server (one per `AppState`, so two databases in one process, as in
/// the tests, never share one).
pub struct ReadCache {
    inner: Mutex<Inner>,
    budget: usize,
}

/// A value as the JSON bytes a view holds.
pub fn to_json<T: serde::Serialize>(value: &T) -> AppResult<Bytes> {
    serde_json::to_vec(value).map(Bytes::from).map_err(|e| AppError::Internal(format!("JSON: {e}")))
}

/// Bookkeeping per stored view, beyond its JSON and key.
const OVERHEAD: usize = 128;

impl ReadCache {
    pub fn new(budget_bytes: usize) -> ReadCache {
        ReadCache { inner: Mutex::new(Inner { scopes: HashMap::new(), bytes: 0 }), budget: budget_bytes }
    }

    /// The view stored under `key` for this scope, revision and date.
    pub fn get(&self, scope: Scope, revision: i64, today: NaiveDate, key: &str) -> Option<Arc<View>> {
        if self.budget == 0 {
            return None;
        }
        let inner = self.inner.lock();
        let p = inner.scopes.get(&scope)?;
        if p.revision != revision || p.today != today {
            return None;
        }
        p.views.get(key).cloned()
    }

    /// Stores a view built from rows read after `revision` was read, and returns it. A view
    /// older than what is stored (a slower reader that began before a change) is returned but
    /// not stored; a newer one replaces every view of the scope.
    pub fn put(&self, scope: Scope, revision: i64, today: NaiveDate, key: String, view: View) -> Arc<View> {
        let view = Arc::new(view);
        let size = view.json.len() + key.len() + OVERHEAD;
        if self.budget == 0 || size > self.budget {
            return view;
        }
        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        if let Some(p) = inner.scopes.get(&scope) {
            if (revision, today) < (p.revision, p.today) {
                return view;
            }
            if (revision, today) != (p.revision, p.today) {
                inner.bytes -= p.bytes;
                inner.scopes.remove(&scope);
            }
        }
        // Make room: other scopes first (in the map's arbitrary order), then this scope's views.
        while inner.bytes + size > self.budget {
            let victim = inner.scopes.keys().copied().find(|k| *k != scope);
            let Some(victim) = victim.or_else(|| inner.scopes.contains_key(&scope).then_some(scope)) else { break };
            if let Some(p) = inner.scopes.remove(&victim) {
                inner.bytes -= p.bytes;
            }
        }
        let p = inner.scopes.entry(scope).or_insert_with(|| ScopeViews {
            revision,
            today,
            views: HashMap::new(),
            bytes: 0,
        });
        if let Some(old) = p.views.insert(key.clone(), view.clone()) {
            let old_size = old.json.len() + key.len() + OVERHEAD;
            p.bytes -= old_size;
            inner.bytes -= old_size;
        }
        p.bytes += size;
        inner.bytes += size;
        view
    }

    /// Bytes held (views, keys and bookkeeping).
    pub fn bytes(&self) -> usize {
        self.inner.lock().bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(n: usize) -> View {
        View::json(Bytes::from(vec![b'x'; n]))
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn a_view_is_served_only_for_its_revision_and_date() {
        let c = ReadCache::new(1 << 20);
        c.put(Scope::Plan(1), 5, day(26), "k".into(), view(10));
        assert!(c.get(Scope::Plan(1), 5, day(26), "k").is_some());
        assert!(c.get(Scope::Plan(1), 6, day(26), "k").is_none(), "a newer revision misses");
        assert!(c.get(Scope::Plan(1), 4, day(26), "k").is_none(), "an older revision misses");
        assert!(c.get(Scope::Plan(1), 5, day(27), "k").is_none(), "another day misses");
        assert!(c.get(Scope::Plan(1), 5, day(26), "other").is_none());
        assert!(c.get(Scope::Plan(2), 5, day(26), "k").is_none(), "another plan misses");
        assert!(c.get(Scope::DemocracyLists(1), 5, day(26), "k").is_none(), "another kind of scope misses");
    }

    #[test]
    fn a_newer_revision_drops_the_plans_older_views_and_an_older_one_is_not_stored() {
        let c = ReadCache::new(1 << 20);
        c.put(Scope::Plan(1), 5, day(26), "a".into(), view(10));
        c.put(Scope::Plan(1), 5, day(26), "b".into(), view(10));
        c.put(Scope::Plan(1), 6, day(26), "a".into(), view(20));
        assert!(c.get(Scope::Plan(1), 6, day(26), "b").is_none());
        assert_eq!(c.get(Scope::Plan(1), 6, day(26), "a").map(|v| v.json.len()), Some(20));
        assert_eq!(c.bytes(), 20 + 1 + OVERHEAD, "the old views' bytes are released");
        // A reader that read revision 5 before the change finishes late: served, not kept.
        let late = c.put(Scope::Plan(1), 5, day(26), "b".into(), view(30));
        assert_eq!(late.json.len(), 30);
        assert!(c.get(Scope::Plan(1), 5, day(26), "b").is_none());
        assert!(c.get(Scope::Plan(1), 6, day(26), "a").is_some(), "the newer views stay");
    }

    #[test]
    fn the_budget_bounds_the_bytes_held() {
        let size = 1000 + 1 + OVERHEAD;
        let c = ReadCache::new(3 * size);
        for plan in 0..10 {
            c.put(Scope::Plan(plan), 1, day(26), "k".into(), view(1000));
            assert!(c.bytes() <= 3 * size);
            assert!(c.get(Scope::Plan(plan), 1, day(26), "k").is_some(), "the newest view is kept");
        }
        // Replacing a key does not count it twice.
        c.put(Scope::Plan(9), 1, day(26), "k".into(), view(1000));
        assert!(c.bytes() <= 3 * size);
        // Views of one plan alone past the budget: the plan's older views go.
        let c = ReadCache::new(2 * size);
        for k in ["a", "b", "c"] {
            c.put(Scope::Plan(1), 1, day(26), k.into(), view(1000));
        }
        assert!(c.bytes() <= 2 * size);
        assert!(c.get(Scope::Plan(1), 1, day(26), "c").is_some());
    }

    #[test]
    fn a_zero_budget_stores_nothing() {
        let c = ReadCache::new(0);
        let v = c.put(Scope::Plan(1), 1, day(26), "k".into(), view(10));
        assert_eq!(v.json.len(), 10);
        assert!(c.get(Scope::Plan(1), 1, day(26), "k").is_none());
        assert_eq!(c.bytes(), 0);
    }
}
