//! The commune's disclosure and activity list pages through the read cache (`read_cache`),
//! under the commune's democracy revision.

use bytes::Bytes;

use crate::db::DbConnection;
use crate::error::AppResult;
use crate::org::repo as org_repo;
use crate::read_cache::{ReadCache, Scope, View, to_json};
use crate::time::today_local;

/// A page of one of the commune's democracy lists as the JSON sent, from the read cache while
/// the commune's democracy revision and date are unchanged (`read_cache`). `key` names the
/// list and everything the page depends on beyond the commune (caller's role and unit scope,
/// filters, page); `build` reads it when the cache has no view.
pub fn cached_list<T: serde::Serialize>(
    conn: &mut DbConnection,
    cache: &ReadCache,
    commune_id: i64,
    key: String,
    build: impl FnOnce(&mut DbConnection) -> AppResult<T>,
) -> AppResult<Bytes> {
    let revision = org_repo::democracy_revision(conn, commune_id)?;
    let today = today_local();
    let scope = Scope::DemocracyLists(commune_id);
    if let Some(view) = cache.get(scope, revision, today, &key) {
        return Ok(view.json.clone());
    }
    let json = to_json(&build(conn)?)?;
    Ok(cache.put(scope, revision, today, key, View::json(json)).json.clone())
}
