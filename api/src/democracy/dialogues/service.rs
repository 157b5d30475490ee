//! Dialogues and commitments: recording, progress reports, overdue lists, and turning a
//! commitment into a task of the current plan (through the plans service, linked both ways:
//! the commitment keeps the task's id, the task's description names the dialogue, and
//! `GET /commitments?task_id=` answers the commitment behind a task).

use std::collections::HashMap;

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use serde_json::json;

use super::model::*;
use super::repo;
use crate::auth::{Caller, Permission};
use crate::db::{DbConnection, fold_search, write_tx};
use crate::democracy::common::{self, CorrectItem, ItemContent, TrackedBefore, record};
use crate::democracy::disclosures::model::{FileOwner, Upload};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::org::model::{UnitFilter, UnitKind};
use crate::org::repo as org_repo;
use crate::plans::model::{CreateTask, PlanFilter, PlanStatus};
use crate::plans::service as plans;
use crate::plans::storage::Storage;
use crate::time::today_local;

fn unit_names(conn: &mut DbConnection, commune_id: i64, kind: Option<UnitKind>) -> AppResult<HashMap<i64, String>> {
    let f = UnitFilter { q: None, kind, active: None, page: None, per_page: None };
    let (rows, _) = org_repo::list_units(conn, commune_id, &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
    Ok(rows.into_iter().map(|u| (u.id, u.name)).collect())
}

fn status_of(s: &str) -> CommitmentStatus {
    CommitmentStatus::parse(s).unwrap_or(CommitmentStatus::Open)
}

/// Rows → API commitments with their reports, unit names and timeliness.
fn commitments_api(conn: &mut DbConnection, commune_id: i64, rows: Vec<CommitmentRow>) -> AppResult<Vec<Commitment>> {
    let today = today_local();
    let names = unit_names(conn, commune_id, None)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut reports: HashMap<i64, Vec<CommitmentReport>> = HashMap::new();
    let report_rows = repo::reports_of(conn, &ids)?;
    let report_ids: Vec<i64> = report_rows.iter().map(|r| r.id).collect();
    let mut files = common::files_by_owner(conn, FileOwner::CommitmentReport, &report_ids)?;
    for r in report_rows {
        reports.entry(r.commitment_id).or_default().push(CommitmentReport {
            id: r.id,
            files: files.remove(&r.id).unwrap_or_default(),
            author_name: r.author_name,
            text: r.text,
            status: status_of(&r.status),
            created_at: r.created_at.and_utc(),
        });
    }
    let mut dialogue_ids: Vec<i64> = rows.iter().map(|r| r.dialogue_id).collect();
    dialogue_ids.sort_unstable();
    dialogue_ids.dedup();
    let held: HashMap<i64, NaiveDate> = repo::held_on(conn, &dialogue_ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = status_of(&r.status);
            Commitment {
                id: r.id,
                dialogue_id: r.dialogue_id,
                dialogue_held_on: held.get(&r.dialogue_id).copied().unwrap_or(r.due_on),
                owner_unit_name: names.get(&r.owner_unit_id).cloned().unwrap_or_default(),
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

fn summaries(conn: &mut DbConnection, rows: &[DialogueRow]) -> AppResult<Vec<DialogueSummary>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let villages = repo::villages_of(conn, &ids)?;
    let counts = repo::commitment_counts(conn, &ids)?;
    Ok(rows
        .iter()
        .map(|r| DialogueSummary {
            id: r.id,
            held_on: r.held_on,
            place: r.place.clone(),
            topics: r.topics.clone(),
            participants: r.participants,
            village_ids: villages.iter().filter(|(d, _)| *d == r.id).map(|(_, u)| *u).collect(),
            commitments_total: counts.iter().filter(|(d, _, _)| *d == r.id).map(|(_, _, n)| n).sum(),
            commitments_open: counts
                .iter()
                .filter(|(d, s, _)| *d == r.id && status_of(s).is_open())
                .map(|(_, _, n)| n)
                .sum(),
        })
        .collect())
}

pub fn list_dialogues(
    conn: &mut DbConnection,
    caller: &Caller,
    f: &DialogueFilter,
    paging: Paging,
) -> AppResult<(Vec<DialogueSummary>, i64)> {
    if f.year.is_some_and(|y| !(1900..=2100).contains(&y)) {
        return Err(AppError::field("year", "invalid_value", "Năm từ 1900 đến 2100."));
    }
    let (rows, total) = repo::list_dialogues(conn, caller.commune()?, caller.unit_scope(), f, paging)?;
    Ok((summaries(conn, &rows)?, total))
}

/// A dialogue with its commitments and the open commitments of earlier dialogues.
pub fn get_dialogue(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<Dialogue> {
    let commune_id = caller.commune()?;
    let row = repo::get_dialogue(conn, commune_id, caller.unit_scope(), id)?;
    let summary = summaries(conn, std::slice::from_ref(&row))?.pop().ok_or(AppError::NotFound)?;
    let own = repo::commitments_of_dialogue(conn, id)?;
    let earlier = repo::open_before(conn, commune_id, row.held_on, id)?;
    let previous = match repo::previous_dialogue(conn, commune_id, row.held_on, id)? {
        Some(p) => repo::commitments_of_dialogue(conn, p)?,
        None => Vec::new(),
    };
    let (earlier, previous) = match caller.unit_scope() {
        // A village sees the earlier commitments it may read.
        Some(v) => {
            let f = CommitmentFilter::default();
            let visible: Vec<i64> = repo::list_commitments(
                conn,
                commune_id,
                Some(v),
                &f,
                today_local(),
                Paging { page: 1, per_page: Paging::MAX_PER_PAGE },
            )?
            .0
            .into_iter()
            .map(|c| c.id)
            .collect();
            (
                earlier.into_iter().filter(|c| visible.contains(&c.id)).collect(),
                previous.into_iter().filter(|c| visible.contains(&c.id)).collect(),
            )
        }
        None => (earlier, previous),
    };
    Ok(Dialogue {
        summary,
        leaders: row.leaders,
        minutes: row.minutes,
        issues: row.issues,
        commitments: commitments_api(conn, commune_id, own)?,
        open_from_earlier: commitments_api(conn, commune_id, earlier)?,
        from_previous: commitments_api(conn, commune_id, previous)?,
    })
}

/// Checks a dialogue's content; answers its villages, sorted and without repeats.
fn check_dialogue(conn: &mut DbConnection, commune_id: i64, input: &CreateDialogue) -> AppResult<Vec<i64>> {
    let mut v = Validator::new();
    v.text("place", &input.place, 1, 300);
    v.text("leaders", &input.leaders, 1, 1000);
    v.text("topics", &input.topics, 1, 2000);
    v.text("minutes", input.minutes.as_deref().unwrap_or(""), 0, 50_000);
    v.text("issues", input.issues.as_deref().unwrap_or(""), 0, 20_000);
    if !(0..=100_000).contains(&input.participants) {
        v.add("participants", "invalid_value", "Số người dự từ 0 đến 100.000.");
    }
    if input.held_on > today_local() {
        v.add("held_on", "invalid_value", "Chỉ ghi nhận buổi đối thoại đã diễn ra.");
    }
    let villages = unit_names(conn, commune_id, Some(UnitKind::Village))?;
    let mut village_ids = input.village_ids.clone();
    village_ids.sort_unstable();
    village_ids.dedup();
    for (i, u) in village_ids.iter().enumerate() {
        if !villages.contains_key(u) {
            v.add(&format!("village_ids[{i}]"), "not_found", "Không phải thôn của xã.");
        }
    }
    v.finish()?;
    Ok(village_ids)
}

pub fn create_dialogue(conn: &mut DbConnection, caller: &Caller, input: CreateDialogue) -> AppResult<Dialogue> {
    let commune_id = caller.commune()?;
    let village_ids = check_dialogue(conn, commune_id, &input)?;
    let id = write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        let topics = input.topics.trim().to_string();
        let row = repo::insert_dialogue(
            conn,
            &NewDialogue {
                commune_id,
                held_on: input.held_on,
                place: input.place.trim().into(),
                leaders: input.leaders.trim().into(),
                participants: input.participants,
                topics_search: fold_search(&topics),
                topics,
                minutes: input.minutes.as_deref().unwrap_or("").trim().into(),
                issues: input.issues.as_deref().unwrap_or("").trim().into(),
                created_by: caller.id,
                created_at: now,
                updated_at: now,
            },
        )?;
        repo::set_villages(conn, row.id, &village_ids)?;
        record(
            conn,
            caller,
            "create",
            "dialogue",
            row.id,
            json!({ "held_on": row.held_on, "participants": row.participants, "villages": village_ids }),
        )?;
        Ok::<_, AppError>(row.id)
    })?;
    get_dialogue(conn, caller, id)
}

/// Replaces a dialogue's content and villages (its commitments stay). The day may not move
/// past a commitment's due day (a commitment is never due before its dialogue).
pub fn update_dialogue(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: CreateDialogue,
) -> AppResult<Dialogue> {
    let commune_id = caller.commune()?;
    repo::get_dialogue(conn, commune_id, None, id)?;
    let village_ids = check_dialogue(conn, commune_id, &input)?;
    write_tx(conn, |conn| {
        let before = repo::get_dialogue(conn, commune_id, None, id)?;
        if repo::earliest_due(conn, id)?.is_some_and(|d| input.held_on > d) {
            return Err(AppError::field(
                "held_on",
                "invalid_value",
                "Ngày đối thoại không được sau hạn thực hiện của một cam kết đã ghi.",
            ));
        }
        let villages_before = repo::villages_of(conn, &[id])?.into_iter().map(|(_, u)| u).collect::<Vec<_>>();
        let topics = input.topics.trim().to_string();
        let row = repo::update_dialogue(
            conn,
            id,
            &DialogueChanges {
                held_on: input.held_on,
                place: input.place.trim().into(),
                leaders: input.leaders.trim().into(),
                participants: input.participants,
                topics_search: fold_search(&topics),
                topics,
                minutes: input.minutes.as_deref().unwrap_or("").trim().into(),
                issues: input.issues.as_deref().unwrap_or("").trim().into(),
                updated_at: Utc::now().naive_utc(),
            },
        )?;
        repo::set_villages(conn, id, &village_ids)?;
        let changed = common::changed_fields(vec![
            ("held_on", json!(before.held_on), json!(row.held_on)),
            ("place", json!(before.place), json!(row.place)),
            ("leaders", json!(before.leaders), json!(row.leaders)),
            ("participants", json!(before.participants), json!(row.participants)),
            ("topics", json!(before.topics), json!(row.topics)),
            ("minutes", json!(before.minutes), json!(row.minutes)),
            ("issues", json!(before.issues), json!(row.issues)),
            ("village_ids", json!(villages_before), json!(village_ids)),
        ]);
        record(conn, caller, "update", "dialogue", id, changed)?;
        Ok::<_, AppError>(())
    })?;
    get_dialogue(conn, caller, id)
}

/// Corrects a commitment's text, owner unit or due day (`common::correct_item`: a done
/// commitment keeps its due day and owner).
pub fn correct_commitment(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: CorrectItem,
) -> AppResult<Commitment> {
    let commune_id = caller.commune()?;
    let row = common::correct_tracked(
        conn,
        caller,
        "commitment",
        id,
        &input,
        |conn| {
            let row = repo::get_commitment(conn, commune_id, None, id)?;
            let held_on = repo::get_dialogue(conn, commune_id, None, row.dialogue_id)?.held_on;
            let content = ItemContent { text: row.text.clone(), owner_unit_id: row.owner_unit_id, due_on: row.due_on };
            Ok(TrackedBefore { status: status_of(&row.status), row, content, held_on })
        },
        |conn, after| repo::update_commitment(conn, id, after, Utc::now().naive_utc()),
    )?;
    commitments_api(conn, commune_id, vec![row])?.pop().ok_or(AppError::NotFound)
}

pub fn add_commitment(
    conn: &mut DbConnection,
    caller: &Caller,
    dialogue_id: i64,
    input: CreateCommitment,
) -> AppResult<Commitment> {
    let commune_id = caller.commune()?;
    let mut v = Validator::new();
    v.text("text", &input.text, 1, 2000);
    if !unit_names(conn, commune_id, None)?.contains_key(&input.owner_unit_id) {
        v.add("owner_unit_id", "not_found", "Không có đơn vị này.");
    }
    v.finish()?;
    let row = write_tx(conn, |conn| {
        let d = repo::get_dialogue(conn, commune_id, None, dialogue_id)?;
        if input.due_on < d.held_on {
            return Err(AppError::field("due_on", "invalid_value", "Hạn thực hiện không được trước ngày đối thoại."));
        }
        let now = Utc::now().naive_utc();
        let row = repo::insert_commitment(
            conn,
            &NewCommitment {
                commune_id,
                dialogue_id,
                text: input.text.trim().into(),
                owner_unit_id: input.owner_unit_id,
                due_on: input.due_on,
                status: CommitmentStatus::Open.as_str().into(),
                created_at: now,
                updated_at: now,
            },
        )?;
        record(
            conn,
            caller,
            "create",
            "commitment",
            row.id,
            json!({ "dialogue_id": dialogue_id, "owner_unit_id": row.owner_unit_id, "due_on": row.due_on }),
        )?;
        Ok::<_, AppError>(row)
    })?;
    commitments_api(conn, commune_id, vec![row])?.pop().ok_or(AppError::NotFound)
}

pub fn list_commitments(
    conn: &mut DbConnection,
    caller: &Caller,
    f: &CommitmentFilter,
    paging: Paging,
) -> AppResult<(Vec<Commitment>, i64)> {
    let commune_id = caller.commune()?;
    let (rows, total) = repo::list_commitments(conn, commune_id, caller.unit_scope(), f, today_local(), paging)?;
    Ok((commitments_api(conn, commune_id, rows)?, total))
}

/// A progress report: by those who manage dialogues, or by the owner unit's own staff.
pub fn add_report(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: CreateCommitmentReport,
) -> AppResult<Commitment> {
    let commune_id = caller.commune()?;
    let mut v = Validator::new();
    v.text("text", &input.text, 1, 5000);
    v.finish()?;
    let row = write_tx(conn, |conn| {
        let before = repo::get_commitment(conn, commune_id, caller.unit_scope(), id)?;
        if !caller.may(Permission::ManageDisclosures) && caller.unit_id != Some(before.owner_unit_id) {
            return Err(AppError::rule("not_owner", "Chỉ đơn vị chủ trì thực hiện cam kết mới báo cáo tiến độ."));
        }
        let now = Utc::now().naive_utc();
        repo::insert_report(
            conn,
            &NewCommitmentReport {
                commitment_id: id,
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
        record(conn, caller, "report", "commitment", id, json!({ "status": [before.status, input.status.as_str()] }))?;
        Ok::<_, AppError>(repo::get_commitment(conn, commune_id, None, id)?)
    })?;
    commitments_api(conn, commune_id, vec![row])?.pop().ok_or(AppError::NotFound)
}

/// Evidence (photo, document) on a commitment's progress report: by its author or those who
/// manage dialogues.
pub fn add_report_files(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    report_id: i64,
    files: Vec<Upload>,
) -> AppResult<Commitment> {
    let commune_id = caller.commune()?;
    let (report, commitment) = repo::get_report(conn, commune_id, report_id)?;
    repo::get_commitment(conn, commune_id, caller.unit_scope(), commitment.id)?;
    if !caller.may(Permission::ManageDisclosures) && report.author_id != caller.id {
        return Err(AppError::rule("not_author", "Chỉ người viết báo cáo mới đính kèm minh chứng."));
    }
    if files.is_empty() {
        return Err(AppError::field("files", "required", "Chọn ít nhất một tệp."));
    }
    common::attach(conn, caller, store, FileOwner::CommitmentReport, report_id, "commitment", &files)?;
    commitments_api(conn, commune_id, vec![commitment])?.pop().ok_or(AppError::NotFound)
}

/// Turns a commitment into a task of the commune's current plan (the latest active one), led by
/// the commitment's owner unit and due on its due day. Once per commitment.
pub fn to_task(conn: &mut DbConnection, caller: &Caller, id: i64, input: CommitmentToTask) -> AppResult<Commitment> {
    let commune_id = caller.commune()?;
    let c = repo::get_commitment(conn, commune_id, None, id)?;
    if c.task_id.is_some() {
        return Err(AppError::rule("already_a_task", "Cam kết này đã được chuyển thành nhiệm vụ."));
    }
    let f = PlanFilter { year: None, status: Some(PlanStatus::Active), q: None, page: None, per_page: None };
    let plans_page = plans::list_plans(conn, commune_id, &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
    let plan = plans_page
        .items
        .iter()
        .max_by_key(|p| (p.year, p.id))
        .ok_or_else(|| AppError::rule("no_current_plan", "Xã chưa có kế hoạch đang thực hiện."))?;
    let held = repo::held_on(conn, &[c.dialogue_id])?.first().map(|(_, d)| *d).unwrap_or(c.due_on);
    let title: String = c.text.chars().take(1000).collect();
    let start = input.start_date.unwrap_or_else(today_local).min(c.due_on);
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
                "Cam kết tại buổi đối thoại ngày {} (cam kết số {}).",
                held.format("%d/%m/%Y"),
                c.id
            )),
            lead_unit_id: c.owner_unit_id,
            supporting_unit_ids: Vec::new(),
            start_date: start,
            due_date: c.due_on,
            weight: None,
            reporting_cadence: None,
            position: None,
        },
    )?;
    let row = write_tx(conn, |conn| {
        if !repo::link_task(conn, id, task.id, Utc::now().naive_utc())? {
            return Err(AppError::rule("already_a_task", "Cam kết này đã được chuyển thành nhiệm vụ."));
        }
        record(conn, caller, "to_task", "commitment", id, json!({ "task_id": task.id, "plan_id": plan.id }))?;
        Ok::<_, AppError>(repo::get_commitment(conn, commune_id, None, id)?)
    })?;
    commitments_api(conn, commune_id, vec![row])?.pop().ok_or(AppError::NotFound)
}

/// Dialogues held in [from, to], commitments due in it and how many were kept on time.
pub fn figures(conn: &mut DbConnection, commune_id: i64, from: NaiveDate, to: NaiveDate) -> AppResult<(i64, i64, i64)> {
    let (held, due) = repo::figures(conn, commune_id, from, to)?;
    let kept = due
        .iter()
        .filter(|c| status_of(&c.status) == CommitmentStatus::Done && c.done_on.is_some_and(|d| d <= c.due_on))
        .count() as i64;
    Ok((held, due.len() as i64, kept))
}
