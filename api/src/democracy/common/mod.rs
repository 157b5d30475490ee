//! Helpers the democracy records share: the audit line, the commune's units, attaching files.

pub mod model;
pub mod repo;
pub mod tracked;

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

/// A list's `year` filter, when given, is a year from 1900 to 2100.
pub fn check_year_filter(year: Option<i32>) -> AppResult<()> {
    if year.is_some_and(|y| !(1900..=2100).contains(&y)) {
        return Err(AppError::field("year", "invalid_value", "Năm từ 1900 đến 2100."));
    }
    Ok(())
}

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
/// `entity`; blobs this call created are removed again if the write fails. No upload at all is
/// refused under `files`.
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
        return Err(AppError::field("files", "required", "Chọn ít nhất một tệp."));
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

/// A correction of a commitment or a meeting decision (`PATCH`): the fields given replace the
/// recorded ones, those left out stay. Its status and reports are not touched here (they move
/// through progress reports).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectItem {
    /// What was promised or decided.
    pub text: Option<String>,
    /// The unit that carries it out.
    pub owner_unit_id: Option<i64>,
    /// The due day; not before the dialogue or meeting, and not movable once the item is done.
    pub due_on: Option<chrono::NaiveDate>,
}

/// What a tracked item (commitment, decision) says: its text, owner unit and due day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemContent {
    pub text: String,
    pub owner_unit_id: i64,
    pub due_on: chrono::NaiveDate,
}

/// Checks a correction of a tracked item recorded at a dialogue or meeting held on `held_on`,
/// whose status is `status`. A done item keeps its due day and owner unit: they decide whether it
/// was kept on time and by whom, so moving them afterwards would rewrite the record
/// (`409 item_done`); its wording may still be corrected. Answers the content after the
/// correction and the audit summary (`[before, after]` of each field that changed), or `None`
/// when nothing changes.
pub fn correct_item(
    units: &HashMap<i64, UnitInfo>,
    held_on: chrono::NaiveDate,
    status: crate::democracy::dialogues::model::CommitmentStatus,
    before: &ItemContent,
    input: &CorrectItem,
) -> AppResult<Option<(ItemContent, serde_json::Value)>> {
    use crate::democracy::dialogues::model::CommitmentStatus;
    let mut v = crate::error::Validator::new();
    if let Some(t) = &input.text {
        v.text("text", t, 1, 2000);
    }
    if input.owner_unit_id.is_some_and(|u| !units.contains_key(&u)) {
        v.add("owner_unit_id", "not_found", "Không có đơn vị này.");
    }
    if input.due_on.is_some_and(|d| d < held_on) {
        v.add("due_on", "invalid_value", "Hạn thực hiện không được trước ngày đối thoại hoặc ngày họp.");
    }
    v.finish()?;
    let after = ItemContent {
        text: input.text.as_deref().map(str::trim).unwrap_or(&before.text).to_string(),
        owner_unit_id: input.owner_unit_id.unwrap_or(before.owner_unit_id),
        due_on: input.due_on.unwrap_or(before.due_on),
    };
    if status == CommitmentStatus::Done
        && (after.due_on != before.due_on || after.owner_unit_id != before.owner_unit_id)
    {
        return Err(AppError::rule(
            "item_done",
            "Việc đã hoàn thành: không sửa hạn thực hiện hay đơn vị chủ trì (chỉ sửa nội dung).",
        ));
    }
    let summary = changed_fields(vec![
        ("text", before.text.clone().into(), after.text.clone().into()),
        ("owner_unit_id", before.owner_unit_id.into(), after.owner_unit_id.into()),
        ("due_on", serde_json::json!(before.due_on), serde_json::json!(after.due_on)),
    ]);
    Ok((after != *before).then_some((after, summary)))
}

/// The audit summary of an edit: `{field: [before, after]}` for each field whose value changed.
pub fn changed_fields(fields: Vec<(&str, serde_json::Value, serde_json::Value)>) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for (field, before, after) in fields {
        if before != after {
            out.insert(field.into(), serde_json::json!([before, after]));
        }
    }
    serde_json::Value::Object(out)
}
