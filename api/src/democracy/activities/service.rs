//! Activities: recording (with the plan content area and the task it fulfils checked in the
//! commune), lists, evidence photos, the activities behind a task.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;
use serde_json::json;

use super::model::*;
use super::repo;
use crate::auth::Caller;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::democracy::common::{self, UnitInfo};
use crate::democracy::disclosures::model::{FileOwner, Upload};
use crate::democracy::lists;
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::plans::repo as plans_repo;
use crate::plans::storage::Storage;
use crate::read_cache::ReadCache;
use crate::time::today_local;

fn api(
    conn: &mut DbConnection,
    commune_id: i64,
    rows: Vec<ActivityRow>,
    units: &HashMap<i64, UnitInfo>,
) -> AppResult<Vec<Activity>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut unit_pairs: HashMap<i64, Vec<i64>> = HashMap::new();
    for (a, u) in repo::units_of(conn, &ids)? {
        unit_pairs.entry(a).or_default().push(u);
    }
    let mut photos = common::files_by_owner(conn, FileOwner::Activity, &ids)?;
    let mut areas: HashMap<i64, Option<String>> = HashMap::new();
    for a in rows.iter().filter_map(|r| r.content_area_id) {
        if let std::collections::hash_map::Entry::Vacant(e) = areas.entry(a) {
            e.insert(match plans_repo::get_area(conn, commune_id, a) {
                Ok(row) => Some(row.title),
                Err(diesel::result::Error::NotFound) => None,
                Err(e) => return Err(e.into()),
            });
        }
    }
    let task_ids: Vec<i64> = rows.iter().filter_map(|r| r.values.task_id).collect();
    let task_titles: HashMap<i64, String> =
        plans_repo::tasks_by_ids(conn, commune_id, &task_ids)?.into_iter().map(|t| (t.id, t.title)).collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut unit_ids = unit_pairs.remove(&r.id).unwrap_or_default();
            unit_ids.sort_unstable();
            let village_ids = unit_ids.iter().copied().filter(|u| units.get(u).is_some_and(|i| i.village)).collect();
            Activity {
                id: r.id,
                kind: ActivityKind::parse(&r.kind).unwrap_or(ActivityKind::Other),
                title: r.values.title,
                content_area_title: r.values.content_area_id.and_then(|a| areas.get(&a).cloned().flatten()),
                content_area_id: r.values.content_area_id,
                held_on: r.values.held_on,
                place: r.values.place,
                channel: ActivityChannel::parse(&r.values.channel).unwrap_or(ActivityChannel::Other),
                participants: r.values.participants,
                groups_reached: r.values.groups_reached,
                summary: r.values.summary,
                unit_ids,
                village_ids,
                task_title: r.values.task_id.and_then(|t| task_titles.get(&t).cloned()),
                task_id: r.values.task_id,
                photos: photos.remove(&r.id).unwrap_or_default(),
            }
        })
        .collect())
}

pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    f: &ActivityFilter,
    paging: Paging,
) -> AppResult<(Vec<Activity>, i64)> {
    let commune_id = caller.commune()?;
    if let (Some(a), Some(b)) = (f.from, f.to)
        && b < a
    {
        return Err(AppError::field("to", "invalid_value", "Ngày cuối không được trước ngày đầu."));
    }
    let (rows, total) = repo::list(conn, commune_id, caller.unit_scope(), f, paging)?;
    let units = common::units(conn, commune_id)?;
    Ok((api(conn, commune_id, rows, &units)?, total))
}

/// [`list`] as the JSON page sent, through the read cache.
pub fn list_json(
    conn: &mut DbConnection,
    cache: &ReadCache,
    caller: &Caller,
    f: &ActivityFilter,
    paging: Paging,
) -> AppResult<Bytes> {
    let key = format!("activities|{:?}|{f:?}|{}|{}", caller.unit_scope(), paging.page, paging.per_page);
    lists::cached_list(conn, cache, caller.commune()?, key, |conn| {
        let (items, total) = list(conn, caller, f, paging)?;
        Ok(paging.wrap(items, total))
    })
}

pub fn get(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<Activity> {
    let commune_id = caller.commune()?;
    let row = repo::get(conn, commune_id, caller.unit_scope(), id)?;
    let units = common::units(conn, commune_id)?;
    api(conn, commune_id, vec![row], &units)?.pop().ok_or(AppError::NotFound)
}

/// The activities behind a plan task of the caller's commune (404 for a task elsewhere).
pub fn of_task(conn: &mut DbConnection, caller: &Caller, task_id: i64) -> AppResult<Vec<Activity>> {
    let commune_id = caller.commune()?;
    plans_repo::get_task(conn, commune_id, task_id)?;
    let f = ActivityFilter { task_id: Some(task_id), ..Default::default() };
    let (rows, _) =
        repo::list(conn, commune_id, caller.unit_scope(), &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
    let units = common::units(conn, commune_id)?;
    api(conn, commune_id, rows, &units)
}

/// Checks an input; the values to store and the unit ids (deduplicated).
fn check(conn: &mut DbConnection, commune_id: i64, input: &ActivityInput) -> AppResult<(ActivityValues, Vec<i64>)> {
    let mut v = Validator::new();
    v.text("title", &input.title, 1, 500);
    v.text("place", &input.place, 1, 300);
    v.text("groups_reached", input.groups_reached.as_deref().unwrap_or(""), 0, 1000);
    v.text("summary", input.summary.as_deref().unwrap_or(""), 0, 20_000);
    if !(0..=1_000_000).contains(&input.participants) {
        v.add("participants", "invalid_value", "Số người từ 0 đến 1.000.000.");
    }
    if input.held_on > today_local() {
        v.add("held_on", "invalid_value", "Chỉ ghi nhận hoạt động đã diễn ra.");
    }
    let units = common::units(conn, commune_id)?;
    let mut unit_ids = input.unit_ids.clone();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    if unit_ids.is_empty() {
        v.add("unit_ids", "required", "Chọn ít nhất một đơn vị hoặc thôn.");
    }
    if unit_ids.len() > 100 {
        v.add("unit_ids", "too_long", "Tối đa 100 đơn vị.");
    }
    for (i, u) in unit_ids.iter().enumerate() {
        if !units.contains_key(u) {
            v.add(&format!("unit_ids[{i}]"), "not_found", "Không phải đơn vị của xã.");
        }
    }
    let mut area = input.content_area_id;
    if let Some(t) = input.task_id {
        match plans_repo::get_task(conn, commune_id, t) {
            Ok(task) => {
                if area.is_some_and(|a| a != task.content_area_id) {
                    v.add("content_area_id", "invalid_value", "Nhiệm vụ thuộc một nội dung khác của kế hoạch.");
                }
                area = Some(task.content_area_id);
            }
            Err(diesel::result::Error::NotFound) => v.add("task_id", "not_found", "Không có nhiệm vụ này."),
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(a) = input.content_area_id {
        match plans_repo::get_area(conn, commune_id, a) {
            Ok(_) => {}
            Err(diesel::result::Error::NotFound) => {
                v.add("content_area_id", "not_found", "Không có nội dung này trong kế hoạch của xã.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    v.finish()?;
    let title = input.title.trim().to_string();
    Ok((
        ActivityValues {
            kind: input.kind.as_str().into(),
            content_area_id: area,
            held_on: input.held_on,
            place: input.place.trim().into(),
            channel: input.channel.as_str().into(),
            participants: input.participants,
            groups_reached: input.groups_reached.as_deref().unwrap_or("").trim().into(),
            title_search: fold_search(&title),
            title,
            summary: input.summary.as_deref().unwrap_or("").trim().into(),
            task_id: input.task_id,
            updated_at: Utc::now().naive_utc(),
        },
        unit_ids,
    ))
}

pub fn create(conn: &mut DbConnection, caller: &Caller, input: ActivityInput) -> AppResult<Activity> {
    let commune_id = caller.commune()?;
    let (values, unit_ids) = check(conn, commune_id, &input)?;
    let id = write_tx(conn, |conn| {
        let row = repo::insert(
            conn,
            &NewActivity { commune_id, created_by: caller.id, created_at: values.updated_at, values: values.clone() },
        )?;
        repo::set_units(conn, row.id, &unit_ids)?;
        common::record(
            conn,
            caller,
            "create",
            "activity",
            row.id,
            json!({ "held_on": row.held_on, "kind": row.kind, "participants": row.participants, "task_id": row.task_id, "units": unit_ids }),
        )?;
        Ok::<_, AppError>(row.id)
    })?;
    get(conn, caller, id)
}

/// What the audit log says of an activity (its summary only as changed or not: a long text).
fn activity_audit(a: &ActivityValues, mut unit_ids: Vec<i64>) -> serde_json::Value {
    unit_ids.sort_unstable();
    json!({ "kind": a.kind, "title": a.title, "content_area_id": a.content_area_id, "held_on": a.held_on,
            "place": a.place, "channel": a.channel, "participants": a.participants,
            "groups_reached": a.groups_reached, "task_id": a.task_id, "unit_ids": unit_ids })
}

pub fn update(conn: &mut DbConnection, caller: &Caller, id: i64, input: ActivityInput) -> AppResult<Activity> {
    let commune_id = caller.commune()?;
    repo::get(conn, commune_id, None, id)?;
    let (values, unit_ids) = check(conn, commune_id, &input)?;
    write_tx(conn, |conn| {
        let before = repo::get(conn, commune_id, None, id)?;
        let units_before: Vec<i64> = repo::units_of(conn, &[id])?.into_iter().map(|(_, u)| u).collect();
        let row = repo::update(conn, id, &values)?;
        repo::set_units(conn, id, &unit_ids)?;
        let mut changed = crate::audit::changes(
            &activity_audit(&before.values, units_before),
            &activity_audit(&row.values, unit_ids.clone()),
        );
        if before.summary != row.summary {
            changed["summary_changed"] = json!(true);
        }
        common::record(conn, caller, "update", "activity", id, changed)?;
        Ok::<_, AppError>(())
    })?;
    get(conn, caller, id)
}

/// Adds evidence photos to an activity.
pub fn add_photos(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    id: i64,
    files: Vec<Upload>,
) -> AppResult<Activity> {
    let commune_id = caller.commune()?;
    repo::get(conn, commune_id, None, id)?;
    common::attach(conn, caller, store, FileOwner::Activity, id, "activity", &files)?;
    get(conn, caller, id)
}
