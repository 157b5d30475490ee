//! Coordination meetings and their decisions: recording, progress reports with evidence, overdue
//! lists, and turning a decision into a task of the current plan (linked both ways: the decision
//! keeps the task's id, the task's description names the meeting, `GET /decisions?task_id=`
//! answers the decision behind a task).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use serde_json::json;

use super::model::*;
use super::repo;
use crate::auth::{Caller, Permission};
use crate::db::{DbConnection, fold_search, write_tx};
use crate::democracy::common::{self, CorrectItem, ItemContent, TrackedBefore, UnitInfo};
use crate::democracy::dialogues::model::CommitmentStatus;
use crate::democracy::disclosures::model::{FileOwner, Upload};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::plans::model::{CreateTask, PlanFilter, PlanStatus};
use crate::plans::service as plans;
use crate::plans::storage::Storage;
use crate::time::today_local;

fn status_of(s: &str) -> CommitmentStatus {
    CommitmentStatus::parse(s).unwrap_or(CommitmentStatus::Open)
}

fn decisions_api(
    conn: &mut DbConnection,
    units: &HashMap<i64, UnitInfo>,
    rows: Vec<DecisionRow>,
) -> AppResult<Vec<Decision>> {
    let today = today_local();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let report_rows = repo::reports_of(conn, &ids)?;
    let report_ids: Vec<i64> = report_rows.iter().map(|r| r.id).collect();
    let mut files = common::files_by_owner(conn, FileOwner::DecisionReport, &report_ids)?;
    let mut reports: HashMap<i64, Vec<DecisionReport>> = HashMap::new();
    for r in report_rows {
        reports.entry(r.decision_id).or_default().push(DecisionReport {
            id: r.id,
            files: files.remove(&r.id).unwrap_or_default(),
            author_name: r.author_name,
            text: r.text,
            status: status_of(&r.status),
            created_at: r.created_at.and_utc(),
        });
    }
    let mut meeting_ids: Vec<i64> = rows.iter().map(|r| r.meeting_id).collect();
    meeting_ids.sort_unstable();
    meeting_ids.dedup();
    let held: HashMap<i64, NaiveDate> = repo::held_on(conn, &meeting_ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = status_of(&r.status);
            Decision {
                id: r.id,
                meeting_id: r.meeting_id,
                meeting_held_on: held.get(&r.meeting_id).copied().unwrap_or(r.due_on),
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
    if f.year.is_some_and(|y| !(1900..=2100).contains(&y)) {
        return Err(AppError::field("year", "invalid_value", "Năm từ 1900 đến 2100."));
    }
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

pub fn create_meeting(conn: &mut DbConnection, caller: &Caller, input: MeetingInput) -> AppResult<Meeting> {
    let commune_id = caller.commune()?;
    let present = check_meeting(conn, commune_id, &input)?;
    let id = write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        let agenda = input.agenda.trim().to_string();
        let row = repo::insert_meeting(
            conn,
            &NewMeeting {
                commune_id,
                held_on: input.held_on,
                place: input.place.trim().into(),
                chaired_by: input.chaired_by.trim().into(),
                agenda_search: fold_search(&agenda),
                agenda,
                minutes: input.minutes.as_deref().unwrap_or("").trim().into(),
                created_by: caller.id,
                created_at: now,
                updated_at: now,
            },
        )?;
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

pub fn update_meeting(conn: &mut DbConnection, caller: &Caller, id: i64, input: MeetingInput) -> AppResult<Meeting> {
    let commune_id = caller.commune()?;
    repo::get_meeting(conn, commune_id, None, id)?;
    let present = check_meeting(conn, commune_id, &input)?;
    write_tx(conn, |conn| {
        let before = repo::get_meeting(conn, commune_id, None, id)?;
        let agenda = input.agenda.trim().to_string();
        let row = repo::update_meeting(
            conn,
            id,
            &MeetingChanges {
                held_on: input.held_on,
                place: input.place.trim().into(),
                chaired_by: input.chaired_by.trim().into(),
                agenda_search: fold_search(&agenda),
                agenda,
                minutes: input.minutes.as_deref().unwrap_or("").trim().into(),
                updated_at: Utc::now().naive_utc(),
            },
        )?;
        repo::set_units(conn, id, &present)?;
        common::record(conn, caller, "update", "meeting", id, json!({ "held_on": [before.held_on, row.held_on] }))?;
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
    if files.is_empty() {
        return Err(AppError::field("files", "required", "Chọn ít nhất một tệp."));
    }
    common::attach(conn, caller, store, FileOwner::MeetingMinutes, id, "meeting", &files)?;
    get_meeting(conn, caller, id)
}

pub fn add_decision(
    conn: &mut DbConnection,
    caller: &Caller,
    meeting_id: i64,
    input: CreateDecision,
) -> AppResult<Decision> {
    let commune_id = caller.commune()?;
    let units = common::units(conn, commune_id)?;
    let mut v = Validator::new();
    v.text("text", &input.text, 1, 2000);
    if !units.contains_key(&input.owner_unit_id) {
        v.add("owner_unit_id", "not_found", "Không có đơn vị này.");
    }
    v.finish()?;
    let row = write_tx(conn, |conn| {
        let mtg = repo::get_meeting(conn, commune_id, None, meeting_id)?;
        if input.due_on < mtg.held_on {
            return Err(AppError::field("due_on", "invalid_value", "Hạn thực hiện không được trước ngày họp."));
        }
        let now = Utc::now().naive_utc();
        let row = repo::insert_decision(
            conn,
            &NewDecision {
                commune_id,
                meeting_id,
                text: input.text.trim().into(),
                owner_unit_id: input.owner_unit_id,
                due_on: input.due_on,
                status: CommitmentStatus::Open.as_str().into(),
                created_at: now,
                updated_at: now,
            },
        )?;
        common::record(
            conn,
            caller,
            "create",
            "decision",
            row.id,
            json!({ "meeting_id": meeting_id, "owner_unit_id": row.owner_unit_id, "due_on": row.due_on }),
        )?;
        Ok::<_, AppError>(row)
    })?;
    decisions_api(conn, &units, vec![row])?.pop().ok_or(AppError::NotFound)
}

/// Corrects a decision's text, owner unit or due day (`common::correct_item`: a done decision
/// keeps its due day and owner).
pub fn correct_decision(conn: &mut DbConnection, caller: &Caller, id: i64, input: CorrectItem) -> AppResult<Decision> {
    let commune_id = caller.commune()?;
    let row = common::correct_tracked(
        conn,
        caller,
        "decision",
        id,
        &input,
        |conn| {
            let row = repo::get_decision(conn, commune_id, None, id)?;
            let held_on = repo::get_meeting(conn, commune_id, None, row.meeting_id)?.held_on;
            let content = ItemContent { text: row.text.clone(), owner_unit_id: row.owner_unit_id, due_on: row.due_on };
            Ok(TrackedBefore { status: status_of(&row.status), row, content, held_on })
        },
        |conn, after| repo::update_decision(conn, id, after, Utc::now().naive_utc()),
    )?;
    let units = common::units(conn, commune_id)?;
    decisions_api(conn, &units, vec![row])?.pop().ok_or(AppError::NotFound)
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

/// A progress report: by those who manage the records, or by the owner unit's own staff.
pub fn add_report(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: CreateDecisionReport,
) -> AppResult<Decision> {
    let commune_id = caller.commune()?;
    let mut v = Validator::new();
    v.text("text", &input.text, 1, 5000);
    v.finish()?;
    let row = write_tx(conn, |conn| {
        let before = repo::get_decision(conn, commune_id, caller.unit_scope(), id)?;
        if !caller.may(Permission::ManageDisclosures) && caller.unit_id != Some(before.owner_unit_id) {
            return Err(AppError::rule("not_owner", "Chỉ đơn vị chủ trì thực hiện kết luận mới báo cáo tiến độ."));
        }
        let now = Utc::now().naive_utc();
        repo::insert_report(
            conn,
            &NewDecisionReport {
                decision_id: id,
                author_id: caller.id,
                author_name: caller.full_name.clone(),
                text: input.text.trim().into(),
                status: input.status.as_str().into(),
                created_at: now,
            },
        )?;
        let done_on = match input.status {
            CommitmentStatus::Done => Some(before.done_on.unwrap_or_else(today_local)),
            _ => None,
        };
        repo::set_status(conn, id, input.status.as_str(), done_on, now)?;
        common::record(
            conn,
            caller,
            "report",
            "decision",
            id,
            json!({ "status": [before.status, input.status.as_str()] }),
        )?;
        Ok::<_, AppError>(repo::get_decision(conn, commune_id, None, id)?)
    })?;
    let units = common::units(conn, commune_id)?;
    decisions_api(conn, &units, vec![row])?.pop().ok_or(AppError::NotFound)
}

/// Evidence (photo, document) on a progress report: by its author or those who manage.
pub fn add_report_files(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    report_id: i64,
    files: Vec<Upload>,
) -> AppResult<Decision> {
    let commune_id = caller.commune()?;
    let (report, decision) = repo::get_report(conn, commune_id, report_id)?;
    repo::get_decision(conn, commune_id, caller.unit_scope(), decision.id)?;
    if !caller.may(Permission::ManageDisclosures) && report.author_id != caller.id {
        return Err(AppError::rule("not_author", "Chỉ người viết báo cáo mới đính kèm minh chứng."));
    }
    if files.is_empty() {
        return Err(AppError::field("files", "required", "Chọn ít nhất một tệp."));
    }
    common::attach(conn, caller, store, FileOwner::DecisionReport, report_id, "decision", &files)?;
    let units = common::units(conn, commune_id)?;
    decisions_api(conn, &units, vec![decision])?.pop().ok_or(AppError::NotFound)
}

/// Turns a decision into a task of the commune's current plan (the latest active one), led by
/// the decision's owner unit and due on its due day. Once per decision.
pub fn to_task(conn: &mut DbConnection, caller: &Caller, id: i64, input: DecisionToTask) -> AppResult<Decision> {
    let commune_id = caller.commune()?;
    let dec = repo::get_decision(conn, commune_id, None, id)?;
    if dec.task_id.is_some() {
        return Err(AppError::rule("already_a_task", "Kết luận này đã được chuyển thành nhiệm vụ."));
    }
    let f = PlanFilter { year: None, status: Some(PlanStatus::Active), q: None, page: None, per_page: None };
    let plans_page = plans::list_plans(conn, commune_id, &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
    let plan = plans_page
        .items
        .iter()
        .max_by_key(|p| (p.year, p.id))
        .ok_or_else(|| AppError::rule("no_current_plan", "Xã chưa có kế hoạch đang thực hiện."))?;
    let held = repo::held_on(conn, &[dec.meeting_id])?.first().map(|(_, d)| *d).unwrap_or(dec.due_on);
    let title: String = dec.text.chars().take(1000).collect();
    let start = input.start_date.unwrap_or_else(today_local).min(dec.due_on);
    let task = plans::create_task(
        conn,
        &caller.actor(),
        commune_id,
        plan.id,
        CreateTask {
            content_area_id: input.content_area_id,
            step_id: None,
            title,
            description: Some(format!(
                "Kết luận tại cuộc họp giao ban ngày {} (kết luận số {}).",
                held.format("%d/%m/%Y"),
                dec.id
            )),
            lead_unit_id: dec.owner_unit_id,
            supporting_unit_ids: Vec::new(),
            start_date: start,
            due_date: dec.due_on,
            weight: None,
            reporting_cadence: None,
            position: None,
        },
    )?;
    let row = write_tx(conn, |conn| {
        if !repo::link_task(conn, id, task.id, Utc::now().naive_utc())? {
            return Err(AppError::rule("already_a_task", "Kết luận này đã được chuyển thành nhiệm vụ."));
        }
        common::record(conn, caller, "to_task", "decision", id, json!({ "task_id": task.id, "plan_id": plan.id }))?;
        Ok::<_, AppError>(repo::get_decision(conn, commune_id, None, id)?)
    })?;
    let units = common::units(conn, commune_id)?;
    decisions_api(conn, &units, vec![row])?.pop().ok_or(AppError::NotFound)
}

/// Meetings held in [from, to], decisions due in it and how many were done on time.
pub fn figures(conn: &mut DbConnection, commune_id: i64, from: NaiveDate, to: NaiveDate) -> AppResult<(i64, i64, i64)> {
    let (held, due) = repo::figures(conn, commune_id, from, to)?;
    let kept = due
        .iter()
        .filter(|c| status_of(&c.status) == CommitmentStatus::Done && c.done_on.is_some_and(|d| d <= c.due_on))
        .count() as i64;
    Ok((held, due.len() as i64, kept))
}
