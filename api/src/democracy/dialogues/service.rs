//! Dialogues and commitments: recording, progress reports, overdue lists, and turning a
//! commitment into a task of the current plan (through the plans service, linked both ways:
//! the commitment keeps the task's id, the task's description names the dialogue, and
//! `GET /commitments?task_id=` answers the commitment behind a task).

use std::collections::HashMap;

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
use crate::democracy::common::{self, record};
use crate::democracy::disclosures::model::FileOwner;
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::org::model::{UnitFilter, UnitKind};
use crate::org::repo as org_repo;
use crate::time::today_local;

fn unit_names(conn: &mut DbConnection, commune_id: i64, kind: Option<UnitKind>) -> AppResult<HashMap<i64, String>> {
    let f = UnitFilter { q: None, kind, active: None, page: None, per_page: None };
    let (rows, _) = org_repo::list_units(conn, commune_id, &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
    Ok(rows.into_iter().map(|u| (u.id, u.name)).collect())
}

/// Rows → API commitments with their reports, unit names and timeliness.
fn commitments_api(conn: &mut DbConnection, commune_id: i64, rows: Vec<ItemRow>) -> AppResult<Vec<Commitment>> {
    let today = today_local();
    let names = unit_names(conn, commune_id, None)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut reports: HashMap<i64, Vec<CommitmentReport>> = HashMap::new();
    let report_rows = repo::CommitmentTables::reports_of(conn, &ids)?;
    let report_ids: Vec<i64> = report_rows.iter().map(|r| r.id).collect();
    let mut files = common::files_by_owner(conn, FileOwner::CommitmentReport, &report_ids)?;
    for r in report_rows {
        reports.entry(r.item_id).or_default().push(CommitmentReport {
            id: r.id,
            files: files.remove(&r.id).unwrap_or_default(),
            author_name: r.author_name,
            text: r.text,
            status: status_of(&r.status),
            created_at: r.created_at.and_utc(),
        });
    }
    let mut dialogue_ids: Vec<i64> = rows.iter().map(|r| r.sitting_id).collect();
    dialogue_ids.sort_unstable();
    dialogue_ids.dedup();
    let held: HashMap<i64, NaiveDate> =
        repo::CommitmentTables::sittings_held_on(conn, &dialogue_ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = status_of(&r.status);
            Commitment {
                id: r.id,
                dialogue_id: r.sitting_id,
                dialogue_held_on: held.get(&r.sitting_id).copied().unwrap_or(r.due_on),
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
    common::check_year_filter(f.year)?;
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

/// What a dialogue's input stores, stamped now.
fn values(input: &CreateDialogue) -> DialogueValues {
    let topics = input.topics.trim().to_string();
    DialogueValues {
        held_on: input.held_on,
        place: input.place.trim().into(),
        leaders: input.leaders.trim().into(),
        participants: input.participants,
        topics_search: fold_search(&topics),
        topics,
        minutes: input.minutes.as_deref().unwrap_or("").trim().into(),
        issues: input.issues.as_deref().unwrap_or("").trim().into(),
        updated_at: Utc::now().naive_utc(),
    }
}

pub fn create_dialogue(conn: &mut DbConnection, caller: &Caller, input: CreateDialogue) -> AppResult<Dialogue> {
    let commune_id = caller.commune()?;
    let village_ids = check_dialogue(conn, commune_id, &input)?;
    let id = write_tx(conn, |conn| {
        let values = values(&input);
        let new = NewDialogue { commune_id, created_by: caller.id, created_at: values.updated_at, values };
        let row = repo::insert_dialogue(conn, &new)?;
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
        let row = repo::update_dialogue(conn, id, &values(&input))?;
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

/// Commitments as [`tracked`] steps see them: recorded at a dialogue.
pub struct Commitments;

impl Tracked for Commitments {
    type Tables = repo::CommitmentTables;
    type Api = Commitment;
    const ENTITY: &'static str = "commitment";
    const SITTING_KEY: &'static str = "dialogue_id";
    const REPORT_FILES: FileOwner = FileOwner::CommitmentReport;
    const DUE_BEFORE_SITTING: &'static str = "Hạn thực hiện không được trước ngày đối thoại.";
    const NOT_OWNER: &'static str = "Chỉ đơn vị chủ trì thực hiện cam kết mới báo cáo tiến độ.";
    const ALREADY_A_TASK: &'static str = "Cam kết này đã được chuyển thành nhiệm vụ.";

    fn task_description(held_on: NaiveDate, id: i64) -> String {
        format!("Cam kết tại buổi đối thoại ngày {} (cam kết số {id}).", held_on.format("%d/%m/%Y"))
    }

    fn get(conn: &mut DbConnection, commune_id: i64, village: Option<i64>, id: i64) -> QueryResult<ItemRow> {
        repo::get_commitment(conn, commune_id, village, id)
    }

    fn api(conn: &mut DbConnection, commune_id: i64, rows: Vec<ItemRow>) -> AppResult<Vec<Commitment>> {
        commitments_api(conn, commune_id, rows)
    }
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
