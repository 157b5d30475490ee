//! Helpers the democracy records share: the audit line, the commune's units, attaching files.

use std::collections::HashMap;
use std::sync::Arc;

use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::db::{DbConnection, write_tx};
use crate::democracy::disclosures::model::{DemocracyFile, FileOwner, Upload};
use crate::democracy::disclosures::service as files;
use crate::error::{AppError, AppResult};
use crate::http::Paging;
use crate::org::model::{UnitFilter, UnitKind};
use crate::org::repo as org_repo;
use crate::plans::storage::Storage;

/// One audit line of the caller's commune.
pub fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    action: &str,
    entity: &str,
    id: i64,
    summary: serde_json::Value,
) -> AppResult<()> {
    audit::repo::record(
        conn,
        &caller.actor(),
        Change { commune_id: caller.commune_id, action, entity, entity_id: Some(id.to_string()), summary },
    )?;
    Ok(())
}

/// A unit's name and whether it is a village.
#[derive(Debug, Clone)]
pub struct UnitInfo {
    pub name: String,
    pub village: bool,
}

/// The commune's units by id.
pub fn units(conn: &mut DbConnection, commune_id: i64) -> AppResult<HashMap<i64, UnitInfo>> {
    let f = UnitFilter { q: None, kind: None, active: None, page: None, per_page: None };
    let (rows, _) = org_repo::list_units(conn, commune_id, &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
    Ok(rows
        .into_iter()
        .map(|u| (u.id, UnitInfo { village: u.kind == UnitKind::Village.as_str(), name: u.name }))
        .collect())
}

/// Stores uploads and records them as files of `owner` `owner_id`, with an audit line on
/// `entity`; blobs this call created are removed again if the write fails.
pub fn attach(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    owner: FileOwner,
    owner_id: i64,
    entity: &str,
    uploads: &[Upload],
) -> AppResult<Vec<DemocracyFile>> {
    let commune_id = caller.commune()?;
    if uploads.is_empty() {
        return Ok(Vec::new());
    }
    let (keys, created) = files::put_all(store.as_ref(), uploads)?;
    let result = write_tx(conn, |conn| {
        let out = files::insert_files(conn, commune_id, owner, owner_id, uploads, &keys)?;
        record(
            conn,
            caller,
            "attach",
            entity,
            owner_id,
            serde_json::json!({ "kind": owner.as_str(), "files": out.len() }),
        )?;
        Ok::<_, AppError>(out)
    });
    if result.is_err() {
        files::undo_blobs(conn, store.as_ref(), &created);
    }
    result
}

/// The files of some owners, by owner id.
pub fn files_by_owner(
    conn: &mut DbConnection,
    owner: FileOwner,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<DemocracyFile>>> {
    let mut out: HashMap<i64, Vec<DemocracyFile>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for f in crate::democracy::disclosures::repo::files_of(conn, owner, ids)? {
        out.entry(f.owner_id).or_default().push(files::file_api(f));
    }
    Ok(out)
}
