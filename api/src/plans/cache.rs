//! Plan overviews and task-list pages already built, kept in memory and served again while the
//! plan has not changed.
//!
//! Never stale: every read first reads the plan's `revision` from the database (the overview
//! reads the plan row anyway; a task list reads that one column instead of proving the plan is
//! the commune's). Triggers bump the revision in the same transaction as any change to what
//! these views show (migration `000007_plan_revision`), whoever makes it: this process, another
//! server on the same database, or the CLI. A view is kept under the revision read *before* its
//! rows were read, so its rows are at least that new; a view is also keyed by the commune's
//! date, which decides the overdue flags and missing reporting periods.
//!
//! What a view depends on beyond the plan is in its key: the viewer's unit scope, filters,
//! sort and page. Permission and scope are checked before the cache is asked, as without it.
//! Bounded by bytes (`server.read_cache_mb`, 0 = off): past the budget, whole plans are evicted.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use chrono::NaiveDate;
use parking_lot::Mutex;

/// A built view: the JSON sent for it, and for an overview the roll-up figures that the
/// plan's header carries.
#[derive(Debug)]
pub struct View {
    pub json: Bytes,
    pub progress: f64,
    pub task_count: i64,
}

struct PlanViews {
    revision: i64,
    today: NaiveDate,
    views: HashMap<String, Arc<View>>,
    bytes: usize,
}

struct Inner {
    plans: HashMap<i64, PlanViews>,
    bytes: usize,
}

/// The read cache of one server (one per `AppState`, so two databases in one process, as in
/// the tests, never share one).
pub struct ReadCache {
    inner: Mutex<Inner>,
    budget: usize,
}

/// Bookkeeping per stored view, beyond its JSON and key.
const OVERHEAD: usize = 128;

impl ReadCache {
    pub fn new(budget_bytes: usize) -> ReadCache {
        ReadCache { inner: Mutex::new(Inner { plans: HashMap::new(), bytes: 0 }), budget: budget_bytes }
    }

    /// The view stored under `key` for this plan, revision and date.
    pub fn get(&self, plan: i64, revision: i64, today: NaiveDate, key: &str) -> Option<Arc<View>> {
        if self.budget == 0 {
            return None;
        }
        let inner = self.inner.lock();
        let p = inner.plans.get(&plan)?;
        if p.revision != revision || p.today != today {
            return None;
        }
        p.views.get(key).cloned()
    }

    /// Stores a view built from rows read after `revision` was read, and returns it. A view
    /// older than what is stored (a slower reader that began before a change) is returned but
    /// not stored; a newer one replaces every view of the plan.
    pub fn put(&self, plan: i64, revision: i64, today: NaiveDate, key: String, view: View) -> Arc<View> {
        let view = Arc::new(view);
        let size = view.json.len() + key.len() + OVERHEAD;
        if self.budget == 0 || size > self.budget {
            return view;
        }
        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        if let Some(p) = inner.plans.get(&plan) {
            if (revision, today) < (p.revision, p.today) {
                return view;
            }
            if (revision, today) != (p.revision, p.today) {
                inner.bytes -= p.bytes;
                inner.plans.remove(&plan);
            }
        }
        // Make room: other plans first (in the map's arbitrary order), then this plan's views.
        while inner.bytes + size > self.budget {
            let victim = inner.plans.keys().copied().find(|k| *k != plan);
            let Some(victim) = victim.or_else(|| inner.plans.contains_key(&plan).then_some(plan)) else { break };
            if let Some(p) = inner.plans.remove(&victim) {
                inner.bytes -= p.bytes;
            }
        }
        let p =
            inner.plans.entry(plan).or_insert_with(|| PlanViews { revision, today, views: HashMap::new(), bytes: 0 });
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
        View { json: Bytes::from(vec![b'x'; n]), progress: 0.0, task_count: 0 }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn a_view_is_served_only_for_its_revision_and_date() {
        let c = ReadCache::new(1 << 20);
        c.put(1, 5, day(26), "k".into(), view(10));
        assert!(c.get(1, 5, day(26), "k").is_some());
        assert!(c.get(1, 6, day(26), "k").is_none(), "a newer revision misses");
        assert!(c.get(1, 4, day(26), "k").is_none(), "an older revision misses");
        assert!(c.get(1, 5, day(27), "k").is_none(), "another day misses");
        assert!(c.get(1, 5, day(26), "other").is_none());
        assert!(c.get(2, 5, day(26), "k").is_none(), "another plan misses");
    }

    #[test]
    fn a_newer_revision_drops_the_plans_older_views_and_an_older_one_is_not_stored() {
        let c = ReadCache::new(1 << 20);
        c.put(1, 5, day(26), "a".into(), view(10));
        c.put(1, 5, day(26), "b".into(), view(10));
        c.put(1, 6, day(26), "a".into(), view(20));
        assert!(c.get(1, 6, day(26), "b").is_none());
        assert_eq!(c.get(1, 6, day(26), "a").map(|v| v.json.len()), Some(20));
        assert_eq!(c.bytes(), 20 + 1 + OVERHEAD, "the old views' bytes are released");
        // A reader that read revision 5 before the change finishes late: served, not kept.
        let late = c.put(1, 5, day(26), "b".into(), view(30));
        assert_eq!(late.json.len(), 30);
        assert!(c.get(1, 5, day(26), "b").is_none());
        assert!(c.get(1, 6, day(26), "a").is_some(), "the newer views stay");
    }

    #[test]
    fn the_budget_bounds_the_bytes_held() {
        let size = 1000 + 1 + OVERHEAD;
        let c = ReadCache::new(3 * size);
        for plan in 0..10 {
            c.put(plan, 1, day(26), "k".into(), view(1000));
            assert!(c.bytes() <= 3 * size);
            assert!(c.get(plan, 1, day(26), "k").is_some(), "the newest view is kept");
        }
        // Replacing a key does not count it twice.
        c.put(9, 1, day(26), "k".into(), view(1000));
        assert!(c.bytes() <= 3 * size);
        // Views of one plan alone past the budget: the plan's older views go.
        let c = ReadCache::new(2 * size);
        for k in ["a", "b", "c"] {
            c.put(1, 1, day(26), k.into(), view(1000));
        }
        assert!(c.bytes() <= 2 * size);
        assert!(c.get(1, 1, day(26), "c").is_some());
    }

    #[test]
    fn a_zero_budget_stores_nothing() {
        let c = ReadCache::new(0);
        let v = c.put(1, 1, day(26), "k".into(), view(10));
        assert_eq!(v.json.len(), 10);
        assert!(c.get(1, 1, day(26), "k").is_none());
        assert_eq!(c.bytes(), 0);
    }
}
