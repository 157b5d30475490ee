//! The steps the commitments of dialogues and the decisions of meetings share: both are items
//! recorded at a sitting, owned by a unit, due on a day, reported on by their owner, corrected,
//! and turned into a task of the current plan. Each module says once, in a [`Tracked`]
//! implementation, where its rows live and how it names them; the steps are written here once.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use diesel::{OptionalExtension, QueryResult};
use serde_json::json;

use super::model::{ItemRow, NewItem, Report};
use super::repo::ItemTables;
use super::{CorrectItem, ItemContent, attach, correct_item, record, units};
use crate::auth::{Caller, Permission};
use crate::db::{DbConnection, write_tx};
use crate::democracy::dialogues::model::CommitmentStatus;
use crate::democracy::disclosures::model::{FileOwner, Upload};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::plans::model::{CreateTask, PlanFilter, PlanStatus};
use crate::plans::service as plans;
use crate::plans::storage::Storage;
use crate::time::today_local;

/// A kind of tracked item: where its rows are and how its answers and refusals name it.
pub trait Tracked {
    /// The item as the API answers it.
    type Api;
    /// Its tables' queries.
    type Tables: ItemTables;
    /// The audit entity (`commitment`, `decision`).
    const ENTITY: &'static str;
    /// The audit key of the sitting it was recorded at (`dialogue_id`, `meeting_id`).
    const SITTING_KEY: &'static str;
    /// The owner of the files of its progress reports.
    const REPORT_FILES: FileOwner;
    /// The refusal of a due day before the sitting.
    const DUE_BEFORE_SITTING: &'static str;
    /// The refusal of a report by someone outside the owner unit.
    const NOT_OWNER: &'static str;
    /// The refusal of a second task.
    const ALREADY_A_TASK: &'static str;

    /// The task's description: where and when the item was recorded.
    fn task_description(held_on: NaiveDate, id: i64) -> String;
    /// The item of the commune (a village: within its scope).
    fn get(conn: &mut DbConnection, commune_id: i64, village: Option<i64>, id: i64) -> QueryResult<ItemRow>;
    /// Rows → API items (reports, unit names, timeliness).
    fn api(conn: &mut DbConnection, commune_id: i64, rows: Vec<ItemRow>) -> AppResult<Vec<Self::Api>>;
}

/// A stored status; an unknown one reads as open.
pub fn status_of(s: &str) -> CommitmentStatus {
    CommitmentStatus::parse(s).unwrap_or(CommitmentStatus::Open)
}

fn one<K: Tracked>(conn: &mut DbConnection, commune_id: i64, row: ItemRow) -> AppResult<K::Api> {
    K::api(conn, commune_id, vec![row])?.pop().ok_or(AppError::NotFound)
}

/// Adds an item to sitting `sitting_id`: a unit of the commune owns it, due no earlier than the
/// sitting.
pub fn add<K: Tracked>(
    conn: &mut DbConnection,
    caller: &Caller,
    sitting_id: i64,
    text: &str,
    owner_unit_id: i64,
    due_on: NaiveDate,
) -> AppResult<K::Api> {
    let commune_id = caller.commune()?;
    // Which sitting first (404), then every wrong field at once.
    let held_on = K::Tables::sitting_held_on(conn, commune_id, sitting_id)?;
    let mut v = Validator::new();
    v.text("text", text, 1, 2000);
    if owner_unit_id <= 0 {
        v.add("owner_unit_id", "required", "Chọn đơn vị chủ trì.");
    } else if !units(conn, commune_id)?.contains_key(&owner_unit_id) {
        v.add("owner_unit_id", "not_found", "Không có đơn vị này.");
    }
    if due_on < held_on {
        v.add("due_on", "invalid_value", K::DUE_BEFORE_SITTING);
    }
    v.finish()?;
    let row = write_tx(conn, |conn| {
        let status = CommitmentStatus::Open.as_str();
        let now = Utc::now().naive_utc();
        let row = K::Tables::insert(
            conn,
            &NewItem { commune_id, sitting_id, text: text.trim(), owner_unit_id, due_on, status, now },
        )?;
        let summary = json!({ K::SITTING_KEY: sitting_id, "owner_unit_id": owner_unit_id, "due_on": due_on });
        record(conn, caller, "create", K::ENTITY, row.id, summary)?;
        Ok::<_, AppError>(row)
    })?;
    one::<K>(conn, commune_id, row)
}

/// Corrects an item's text, owner unit or due day ([`correct_item`]: a done item keeps its due
/// day and owner), in one transaction with an audit line of what changed. Nothing changes → the
/// item as it was, and no audit line.
pub fn correct<K: Tracked>(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: &CorrectItem,
) -> AppResult<K::Api> {
    let commune_id = caller.commune()?;
    let units = units(conn, commune_id)?;
    let row = write_tx(conn, |conn| {
        let before = K::get(conn, commune_id, None, id)?;
        let held_on = K::Tables::sitting_held_on(conn, commune_id, before.sitting_id)?;
        let content =
            ItemContent { text: before.text.clone(), owner_unit_id: before.owner_unit_id, due_on: before.due_on };
        let Some((after, summary)) = correct_item(&units, held_on, status_of(&before.status), &content, input)? else {
            return Ok(before);
        };
        let row = K::Tables::update(conn, id, &after, Utc::now().naive_utc())?;
        record(conn, caller, "update", K::ENTITY, id, summary)?;
        Ok::<_, AppError>(row)
    })?;
    one::<K>(conn, commune_id, row)
}

/// A progress report with the item's new status: by those who manage the records, or by the
/// owner unit's own staff.
pub fn report<K: Tracked>(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    text: &str,
    status: CommitmentStatus,
) -> AppResult<K::Api> {
    let commune_id = caller.commune()?;
    let mut v = Validator::new();
    v.text("text", text, 1, 5000);
    v.finish()?;
    let row = write_tx(conn, |conn| {
        let before = K::get(conn, commune_id, caller.unit_scope(), id)?;
        if !caller.may(Permission::ManageDisclosures) && caller.unit_id != Some(before.owner_unit_id) {
            return Err(AppError::rule("not_owner", K::NOT_OWNER));
        }
        let now = Utc::now().naive_utc();
        let done_on = match status {
            CommitmentStatus::Done => Some(before.done_on.unwrap_or_else(today_local)),
            _ => None,
        };
        K::Tables::insert_report(
            conn,
            &Report {
                item_id: id,
                author_id: caller.id,
                author_name: &caller.full_name,
                text: text.trim(),
                status: status.as_str(),
                done_on,
                now,
            },
        )?;
        record(conn, caller, "report", K::ENTITY, id, json!({ "status": [before.status, status.as_str()] }))?;
        Ok::<_, AppError>(K::get(conn, commune_id, None, id)?)
    })?;
    one::<K>(conn, commune_id, row)
}

/// Evidence (photo, document) on a progress report: by its author or those who manage.
pub fn report_files<K: Tracked>(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    report_id: i64,
    files: Vec<Upload>,
) -> AppResult<K::Api> {
    let commune_id = caller.commune()?;
    let (report, item) = K::Tables::get_report(conn, commune_id, report_id)?;
    K::get(conn, commune_id, caller.unit_scope(), item.id)?;
    if !caller.may(Permission::ManageDisclosures) && report.author_id != caller.id {
        return Err(AppError::rule("not_author", "Chỉ người viết báo cáo mới đính kèm minh chứng."));
    }
    attach(conn, caller, store, K::REPORT_FILES, report_id, K::ENTITY, &files)?;
    one::<K>(conn, commune_id, item)
}

/// Turns an item into a task of the commune's current plan (the latest active one), led by the
/// item's owner unit and due on its due day. Once per item.
pub fn to_task<K: Tracked>(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    content_area_id: i64,
    start_date: Option<NaiveDate>,
) -> AppResult<K::Api> {
    let commune_id = caller.commune()?;
    let item = K::get(conn, commune_id, None, id)?;
    if item.task_id.is_some() {
        return Err(AppError::rule("already_a_task", K::ALREADY_A_TASK));
    }
    let f = PlanFilter { year: None, status: Some(PlanStatus::Active), q: None, page: None, per_page: None };
    let plans_page = plans::list_plans(conn, commune_id, &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
    let plan = plans_page
        .items
        .iter()
        .max_by_key(|p| (p.year, p.id))
        .ok_or_else(|| AppError::rule("no_current_plan", "Xã chưa có kế hoạch đang thực hiện."))?;
    let held = K::Tables::sitting_held_on(conn, commune_id, item.sitting_id).optional()?.unwrap_or(item.due_on);
    let task = plans::create_task(
        conn,
        &caller.actor(),
        commune_id,
        plan.id,
        CreateTask {
            content_area_id,
            step_id: None,
            title: item.text.chars().take(1000).collect(),
            description: Some(K::task_description(held, id)),
            lead_unit_id: item.owner_unit_id,
            supporting_unit_ids: Vec::new(),
            start_date: start_date.unwrap_or_else(today_local).min(item.due_on),
            due_date: item.due_on,
            weight: None,
            reporting_cadence: None,
            position: None,
        },
    )?;
    let row = write_tx(conn, |conn| {
        if !K::Tables::link_task(conn, id, task.id, Utc::now().naive_utc())? {
            return Err(AppError::rule("already_a_task", K::ALREADY_A_TASK));
        }
        record(conn, caller, "to_task", K::ENTITY, id, json!({ "task_id": task.id, "plan_id": plan.id }))?;
        Ok::<_, AppError>(K::get(conn, commune_id, None, id)?)
    })?;
    one::<K>(conn, commune_id, row)
}

/// The sittings held in `[from, to]`, and of the items due in it, how many have fallen due by
/// today and how many of those were done by their due day.
pub fn figures<K: Tracked>(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(i64, i64, i64)> {
    let held = K::Tables::sittings_held_between(conn, commune_id, from, to)?;
    let due = K::Tables::due_between(conn, commune_id, from, to)?;
    let (fallen_due, kept) = due_and_kept(&due, today_local());
    Ok((held, fallen_due, kept))
}

/// Of the items due in a period, (how many have fallen due by `today`, how many of those were
/// done by their due day). An item still open before its due day is not late yet; one done
/// already counts whatever its due day.
fn due_and_kept(due: &[ItemRow], today: NaiveDate) -> (i64, i64) {
    let done = |c: &ItemRow| status_of(&c.status) == CommitmentStatus::Done;
    let fallen: Vec<&ItemRow> = due.iter().filter(|c| c.due_on < today || done(c)).collect();
    let kept = fallen.iter().filter(|c| done(c) && c.done_on.is_some_and(|d| d <= c.due_on)).count();
    (fallen.len() as i64, kept as i64)
}
