//! Coordination meetings and their decisions: recording, progress reports with evidence, overdue
//! lists, and turning a decision into a task of the current plan (linked both ways: the decision
//! keeps the task's id, the task's description names the meeting, `GET /decisions?task_id=`
//! answers the decision behind a task).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use diesel::QueryResult;
use serde_json::json;

use super::model::*;
use super::repo;
use crate::auth::Caller;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::democracy::common::model::ItemRow;
use crate::democracy::common::repo::ItemTables;
use crate::democracy::common::tracked::{Tracked, status_of};
use crate::democracy::common::{self, UnitInfo};
use crate::democracy::dialogues::model::CommitmentStatus;
use crate::democracy::disclosures::model::{FileOwner, Upload};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::plans::storage::Storage;
use crate::time::today_local;

fn decisions_api(
    conn: &mut DbConnection,
    units: &HashMap<i64, UnitInfo>,
    rows: Vec<ItemRow>,
) -> AppResult<Vec<Decision>> {
    let today = today_local();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let report_rows = repo::DecisionTables::reports_of(conn, &ids)?;
    let report_ids: Vec<i64> = report_rows.iter().map(|r| r.id).collect();
    let mut files = common::files_by_owner(conn, FileOwner::DecisionReport, &report_ids)?;
    let mut reports: HashMap<i64, Vec<DecisionReport>> = HashMap::new();
    for r in report_rows {
        reports.entry(r.item_id).or_default().push(DecisionReport {
            id: r.id,
            files: files.remove(&r.id).unwrap_or_default(),
            author_name: r.author_name,
            text: r.text,
            status: status_of(&r.status),
            created_at: r.created_at.and_utc(),
        });
    }
    let mut meeting_ids: Vec<i64> = rows.iter().map(|r| r.sitting_id).collect();
    meeting_ids.sort_unstable();
    meeting_ids.dedup();
    let held: HashMap<i64, NaiveDate> =
        repo::DecisionTables::sittings_held_on(conn, &meeting_ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = status_of(&r.status);
            Decision {
                id: r.id,
                meeting_id: r.sitting_id,
                meeting_held_on: held.get(&r.sitting_id).copied().unwrap_or(r.due_on),
                owner_unit_name: units.get(&r.owner_unit_id).map(|u| u.name.clone()).unwrap_or_default(),
                overdue: status.is_open() && r.due_on < today,
                kept_on_time: (status == CommitmentStatus::Done).then(|| r.done_on.is_some_and(|d| d <= r.due_on)),
                reports: reports.remove(&r.id).unwrap_or_default(),
                text: r.text,
                owner_unit_id: r.owner_unit_id,
                due_on: r.due_on,
                status,
                done_on: r.done_on,
                task_id: r.task_id,
            }
        })
        .collect())
}

fn summaries(
    conn: &mut DbConnection,
    units: &HashMap<i64, UnitInfo>,
    rows: &[MeetingRow],
) -> AppResult<Vec<MeetingSummary>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let present = repo::units_of(conn, &ids)?;
    let counts = repo::decision_counts(conn, &ids)?;
    Ok(rows
        .iter()
        .map(|r| MeetingSummary {
            id: r.id,
            held_on: r.held_on,
            place: r.place.clone(),
            chaired_by: r.chaired_by.clone(),
            agenda: r.agenda.clone(),
            units: present
                .iter()
                .filter(|(m, _, _)| *m == r.id)
                .map(|(_, u, n)| MeetingUnit {
                    unit_id: *u,
                    unit_name: units.get(u).map(|i| i.name.clone()).unwrap_or_default(),
                    attendees: *n,
                })
                .collect(),
            decisions_total: counts.iter().filter(|(m, _, _)| *m == r.id).map(|(_, _, n)| n).sum(),
            decisions_open: counts
                .iter()
                .filter(|(m, s, _)| *m == r.id && status_of(s).is_open())
                .map(|(_, _, n)| n)
                .sum(),
        })
        .collect())
}

pub fn list_meetings(
    conn: &mut DbConnection,
    caller: &Caller,
    f: &MeetingFilter,
    paging: Paging,
) -> AppResult<(Vec<MeetingSummary>, i64)> {
    common::check_year_filter(f.year)?;
    let commune_id = caller.commune()?;
    let (rows, total) = repo::list_meetings(conn, commune_id, caller.unit_scope(), f, paging)?;
    let units = common::units(conn, commune_id)?;
    Ok((summaries(conn, &units, &rows)?, total))
}

/// A meeting with its decisions and the open decisions of earlier meetings.
pub fn get_meeting(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<Meeting> {
    let commune_id = caller.commune()?;
    let row = repo::get_meeting(conn, commune_id, caller.unit_scope(), id)?;
    let units = common::units(conn, commune_id)?;
    let summary = summaries(conn, &units, std::slice::from_ref(&row))?.pop().ok_or(AppError::NotFound)?;
    let own = repo::decisions_of_meeting(conn, id)?;
    let mut earlier = repo::open_before(conn, commune_id, row.held_on, id)?;
    if let Some(v) = caller.unit_scope() {
        let mut visible = Vec::with_capacity(earlier.len());
        for d in earlier {
            match repo::get_decision(conn, commune_id, Some(v), d.id) {
                Ok(_) => visible.push(d),
                Err(diesel::result::Error::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        earlier = visible;
    }
    let files = common::files_by_owner(conn, FileOwner::MeetingMinutes, &[id])?.remove(&id).unwrap_or_default();
    Ok(Meeting {
        summary,
        minutes: row.minutes,
        files,
        decisions: decisions_api(conn, &units, own)?,
        open_from_earlier: decisions_api(conn, &units, earlier)?,
    })
}

fn check_meeting(conn: &mut DbConnection, commune_id: i64, input: &MeetingInput) -> AppResult<Vec<(i64, i32)>> {
    let mut v = Validator::new();
    v.text("place", &input.place, 1, 300);
    v.text("chaired_by", &input.chaired_by, 1, 300);
    v.text("agenda", &input.agenda, 1, 5000);
    v.text("minutes", input.minutes.as_deref().unwrap_or(""), 0, 50_000);
    if input.held_on > today_local() {
        v.add("held_on", "invalid_value", "Chỉ ghi nhận cuộc họp đã diễn ra.");
    }
    let units = common::units(conn, commune_id)?;
    let mut out: Vec<(i64, i32)> = Vec::new();
    if input.units.is_empty() {
        v.add("units", "required", "Chọn ít nhất một đơn vị dự họp.");
    }
    if input.units.len() > 100 {
        v.add("units", "too_long", "Tối đa 100 đơn vị.");
    }
    for (i, u) in input.units.iter().enumerate() {
        if !units.contains_key(&u.unit_id) {
            v.add(&format!("units[{i}].unit_id"), "not_found", "Không phải đơn vị của xã.");
        } else if out.iter().any(|(x, _)| *x == u.unit_id) {
            v.add(&format!("units[{i}].unit_id"), "duplicate", "Đơn vị đã có trong danh sách.");
        }
        if !(0..=1000).contains(&u.attendees) {
            v.add(&format!("units[{i}].attendees"), "invalid_value", "Số người từ 0 đến 1.000.");
        }
        out.push((u.unit_id, u.attendees));
    }
    v.finish()?;
    Ok(out)
}

/// What a meeting's input stores, stamped now.
fn values(input: &MeetingInput) -> MeetingValues {
    let agenda = input.agenda.trim().to_string();
    MeetingValues {
        held_on: input.held_on,
        place: input.place.trim().into(),
        chaired_by: input.chaired_by.trim().into(),
        agenda_search: fold_search(&agenda),
        agenda,
        minutes: input.minutes.as_deref().unwrap_or("").trim().into(),
        updated_at: Utc::now().naive_utc(),
    }
}

pub fn create_meeting(conn: &mut DbConnection, caller: &Caller, input: MeetingInput) -> AppResult<Meeting> {
    let commune_id = caller.commune()?;
    let present = check_meeting(conn, commune_id, &input)?;
    let id = write_tx(conn, |conn| {
        let values = values(&input);
        let new = NewMeeting { commune_id, created_by: caller.id, created_at: values.updated_at, values };
        let row = repo::insert_meeting(conn, &new)?;
        repo::set_units(conn, row.id, &present)?;
        common::record(
            conn,
            caller,
            "create",
            "meeting",
            row.id,
            json!({ "held_on": row.held_on, "units": present.len() }),
        )?;
        Ok::<_, AppError>(row.id)
    })?;
    get_meeting(conn, caller, id)
}

/// What the audit log says of a meeting (the minutes only as changed or not: a long text).
fn meeting_audit(m: &MeetingRow, mut unit_ids: Vec<i64>) -> serde_json::Value {
    unit_ids.sort_unstable();
    json!({ "held_on": m.held_on, "place": m.place, "chaired_by": m.chaired_by, "agenda": m.agenda, "unit_ids": unit_ids })
}

pub fn update_meeting(conn: &mut DbConnection, caller: &Caller, id: i64, input: MeetingInput) -> AppResult<Meeting> {
    let commune_id = caller.commune()?;
    repo::get_meeting(conn, commune_id, None, id)?;
    let present = check_meeting(conn, commune_id, &input)?;
    write_tx(conn, |conn| {
        let before = repo::get_meeting(conn, commune_id, None, id)?;
        let units_before: Vec<i64> = repo::units_of(conn, &[id])?.into_iter().map(|(_, u, _)| u).collect();
        let row = repo::update_meeting(conn, id, &values(&input))?;
        repo::set_units(conn, id, &present)?;
        let mut changed = crate::audit::changes(
            &meeting_audit(&before, units_before),
            &meeting_audit(&row, present.iter().map(|(u, _)| *u).collect()),
        );
        if before.minutes != row.minutes {
            changed["minutes_changed"] = json!(true);
        }
        common::record(conn, caller, "update", "meeting", id, changed)?;
        Ok::<_, AppError>(())
    })?;
    get_meeting(conn, caller, id)
}

/// Attaches the scanned minutes.
pub fn add_files(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    id: i64,
    files: Vec<Upload>,
) -> AppResult<Meeting> {
    let commune_id = caller.commune()?;
    repo::get_meeting(conn, commune_id, None, id)?;
    common::attach(conn, caller, store, FileOwner::MeetingMinutes, id, "meeting", &files)?;
    get_meeting(conn, caller, id)
}

/// Decisions as [`tracked`] steps see them: taken at a meeting.
pub struct Decisions;

impl Tracked for Decisions {
    type Tables = repo::DecisionTables;
    type Api = Decision;
    const ENTITY: &'static str = "decision";
    const SITTING_KEY: &'static str = "meeting_id";
    const REPORT_FILES: FileOwner = FileOwner::DecisionReport;
    const DUE_BEFORE_SITTING: &'static str = "Hạn thực hiện không được trước ngày họp.";
    const NOT_OWNER: &'static str = "Chỉ đơn vị chủ trì thực hiện kết luận mới báo cáo tiến độ.";
    const ALREADY_A_TASK: &'static str = "Kết luận này đã được chuyển thành nhiệm vụ.";

    fn task_description(held_on: NaiveDate, id: i64) -> String {
        format!("Kết luận tại cuộc họp giao ban ngày {} (kết luận số {id}).", held_on.format("%d/%m/%Y"))
    }

    fn get(conn: &mut DbConnection, commune_id: i64, village: Option<i64>, id: i64) -> QueryResult<ItemRow> {
        repo::get_decision(conn, commune_id, village, id)
    }

    fn api(conn: &mut DbConnection, commune_id: i64, rows: Vec<ItemRow>) -> AppResult<Vec<Decision>> {
        let units = common::units(conn, commune_id)?;
        decisions_api(conn, &units, rows)
    }
}

pub fn list_decisions(
    conn: &mut DbConnection,
    caller: &Caller,
    f: &DecisionFilter,
    paging: Paging,
) -> AppResult<(Vec<Decision>, i64)> {
    let commune_id = caller.commune()?;
    let (rows, total) = repo::list_decisions(conn, commune_id, caller.unit_scope(), f, today_local(), paging)?;
    let units = common::units(conn, commune_id)?;
    Ok((decisions_api(conn, &units, rows)?, total))
}
