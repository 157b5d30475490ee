//! Exports of a plan's tasks (tables for `crate::tabular`'s CSV and XLSX writers) and the board's
//! bulk progress update from CSV: parsed and validated row by row, applied all-or-nothing.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use serde_json::json;

use super::model::*;
use super::repo;
use super::rules;
use super::service::{self};
use crate::audit::{self};
use crate::auth::Caller;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::tabular::{Cell, parse_csv};

const HEADERS_VI: [&str; 14] = [
    "Mã nhiệm vụ",
    "Nội dung",
    "Bước",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Ngày bắt đầu",
    "Hạn hoàn thành",
    "Trọng số",
    "Trạng thái",
    "Tiến độ (%)",
    "Quá hạn",
    "Chu kỳ báo cáo",
    "Nguồn",
];

const HEADERS_EN: [&str; 14] = [
    "Task id",
    "Content area",
    "Step",
    "Task",
    "Lead unit",
    "Supporting units",
    "Start date",
    "Due date",
    "Weight",
    "Status",
    "Progress (%)",
    "Overdue",
    "Reporting cadence",
    "Source",
];

/// The export table of a plan: a header row and one row per task, in plan order, with headers
/// and labels in `lang`.
pub fn task_table(
    conn: &mut DbConnection,
    caller: &Caller,
    plan_id: i64,
    lang: ExportLang,
) -> AppResult<(PlanRow, Vec<Vec<Cell>>)> {
    let en = lang == ExportLang::En;
    let plan = repo::get_plan(conn, caller.commune()?, plan_id)?;
    let today = crate::time::today_local();
    let mut rows = repo::plan_tasks(conn, plan_id)?;
    // A village exports only the tasks it may read.
    if let Some(unit) = caller.unit_scope() {
        rows.retain(|t| t.lead_unit_id == unit || t.supporting_unit_ids().contains(&unit));
    }
    let tasks = service::task_views(conn, rows, today)?;
    let areas: HashMap<i64, AreaRow> = repo::areas(conn, &[plan_id])?.into_iter().map(|a| (a.id, a)).collect();
    let steps: HashMap<i64, StepRow> = repo::steps(conn, plan_id)?.into_iter().map(|s| (s.id, s)).collect();
    let dir = super::import::UnitDirectory::load(conn, caller.commune()?)?;
    let unit_name = |id: i64| dir.name(id).unwrap_or_else(|| id.to_string());
    let headers = if en { HEADERS_EN } else { HEADERS_VI };
    let mut table = vec![headers.iter().map(|h| Cell::Text((*h).to_string())).collect::<Vec<_>>()];
    let mut sorted = tasks;
    sorted.sort_by_key(|t| (areas.get(&t.content_area_id).map(|a| a.position).unwrap_or(i32::MAX), t.position, t.id));
    for t in sorted {
        // Sections III–IV are not a numbered content area of the document.
        let area = areas
            .get(&t.content_area_id)
            .map(|a| match AreaSection::parse(&a.section).unwrap_or(AreaSection::Content) {
                AreaSection::Content => format!("{}. {}", a.position, a.title),
                AreaSection::Implementation => a.title.clone(),
            })
            .unwrap_or_default();
        let step = t
            .step_id
            .and_then(|s| steps.get(&s))
            .map(|s| format!("{} {}", if en { "Step" } else { "Bước" }, s.position))
            .unwrap_or_default();
        table.push(vec![
            Cell::Number(t.id as f64),
            Cell::Text(area),
            Cell::Text(step),
            Cell::Text(t.title),
            Cell::Text(unit_name(t.lead_unit_id)),
            Cell::Text(t.supporting_unit_ids.iter().map(|u| unit_name(*u)).collect::<Vec<_>>().join("; ")),
            Cell::day(t.start_date, t.start_date.to_string()),
            Cell::day(t.due_date, t.due_date.to_string()),
            Cell::Number(t.weight),
            Cell::Text(if en { t.status.label_en() } else { t.status.label_vi() }.to_string()),
            Cell::Number(f64::from(t.progress)),
            Cell::Text(
                match (t.overdue, en) {
                    (true, false) => "Có",
                    (false, false) => "Không",
                    (true, true) => "Yes",
                    (false, true) => "No",
                }
                .to_string(),
            ),
            Cell::Text(
                match (t.reporting_cadence, en) {
                    (Some(Cadence::Weekly), false) => "Hằng tuần",
                    (Some(Cadence::Monthly), false) => "Hằng tháng",
                    (Some(Cadence::Quarterly), false) => "Hằng quý",
                    (Some(Cadence::Weekly), true) => "Weekly",
                    (Some(Cadence::Monthly), true) => "Monthly",
                    (Some(Cadence::Quarterly), true) => "Quarterly",
                    (None, _) => "",
                }
                .to_string(),
            ),
            Cell::Text(
                match (t.source, en) {
                    (TaskSource::Plan, false) => "Kế hoạch",
                    (TaskSource::Demo, false) => "Bổ sung cho bản demo",
                    (TaskSource::Plan, true) => "Plan",
                    (TaskSource::Demo, true) => "Added for the demo",
                }
                .to_string(),
            ),
        ]);
    }
    Ok((plan, table))
}

// ---- bulk progress ----

/// Largest CSV accepted for a bulk update.
pub const MAX_BULK_BYTES: usize = 2 * 1024 * 1024;
/// Most rows in one bulk update.
pub const MAX_BULK_ROWS: usize = 5000;

/// One validated row of a bulk update.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkRow {
    pub line: usize,
    pub task_id: i64,
    pub status: Option<TaskStatus>,
    pub progress: Option<i32>,
    pub note: String,
}

fn parse_status(s: &str) -> Option<TaskStatus> {
    let f = fold_search(s);
    TaskStatus::ALL.into_iter().find(|t| t.as_str() == f || fold_search(t.label_vi()) == f)
}

/// Parses and checks every row; all errors are reported, with the 1-based line number.
/// Line 1 is a header when its first cell is not a number.
pub fn parse_bulk(text: &str) -> Result<Vec<BulkRow>, Vec<FieldError>> {
    let Ok(records) = parse_csv(text) else {
        return Err(vec![FieldError::new("file", "invalid_format", "Tệp CSV có dấu ngoặc kép chưa đóng.")]);
    };
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    for (i, rec) in records.iter().enumerate() {
        let line = i + 1;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |k: usize| rec.get(k).map(|s| s.trim()).unwrap_or("");
        if i == 0 && cell(0).parse::<i64>().is_err() {
            continue;
        }
        let at = |col: &str| format!("rows[{line}].{col}");
        if rec.len() > 4 {
            errors.push(FieldError::new(
                at("row"),
                "invalid_format",
                "Mỗi dòng gồm 4 cột: mã nhiệm vụ, trạng thái, tiến độ, ghi chú.",
            ));
            continue;
        }
        let task_id = match cell(0).parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => {
                errors.push(FieldError::new(at("task_id"), "invalid_value", "Mã nhiệm vụ phải là số."));
                continue;
            }
        };
        let status = match cell(1) {
            "" => None,
            s => match parse_status(s) {
                Some(st) => Some(st),
                None => {
                    errors.push(FieldError::new(at("status"), "invalid_value", "Trạng thái không hợp lệ."));
                    None
                }
            },
        };
        let progress = match cell(2).trim_end_matches('%') {
            "" => None,
            p => match p.parse::<i32>() {
                Ok(n) if (0..=100).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(at("progress"), "invalid_value", "Tiến độ là số nguyên từ 0 đến 100."));
                    None
                }
            },
        };
        if cell(1).is_empty() && cell(2).is_empty() {
            errors.push(FieldError::new(at("status"), "required", "Cần trạng thái hoặc tiến độ."));
        }
        let note = cell(3).to_string();
        if note.chars().count() > 2000 {
            errors.push(FieldError::new(at("note"), "too_long", "Ghi chú tối đa 2000 ký tự."));
        }
        rows.push(BulkRow { line, task_id, status, progress, note });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("file", "required", "Tệp CSV không có dòng dữ liệu."));
    }
    if rows.len() > MAX_BULK_ROWS {
        errors.push(FieldError::new("file", "too_long", "Tối đa 5000 dòng mỗi lần."));
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// Applies a bulk update to a plan's tasks: every row is checked against the plan first;
/// one bad row and nothing is applied. A row with a note also becomes a progress report.
pub fn apply_bulk(conn: &mut DbConnection, caller: &Caller, plan_id: i64, text: &str) -> AppResult<BulkResult> {
    let actor = &caller.actor();
    let commune_id = caller.commune()?;
    repo::get_plan(conn, commune_id, plan_id)?;
    let rows = parse_bulk(text).map_err(AppError::Validation)?;
    write_tx(conn, |conn| {
        service::require_open(conn, commune_id, plan_id)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.task_id).collect();
        let tasks: HashMap<i64, TaskRow> = repo::tasks_by_ids(conn, commune_id, &ids)?
            .into_iter()
            .filter(|t| t.plan_id == plan_id)
            .map(|t| (t.id, t))
            .collect();
        let mut errors = Vec::new();
        let mut seen = HashSet::new();
        for r in &rows {
            let at = |col: &str| format!("rows[{}].{col}", r.line);
            if !tasks.contains_key(&r.task_id) {
                errors.push(FieldError::new(at("task_id"), "not_found", "Nhiệm vụ không thuộc kế hoạch này."));
            } else if !seen.insert(r.task_id) {
                errors.push(FieldError::new(at("task_id"), "already_exists", "Nhiệm vụ lặp lại trong tệp."));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let now = Utc::now().naive_utc();
        for r in &rows {
            let Some(before) = tasks.get(&r.task_id) else { continue };
            let old_status = TaskStatus::parse(&before.status).unwrap_or(TaskStatus::NotStarted);
            let (status, progress) = rules::reconcile(
                r.status.unwrap_or(old_status),
                r.progress.unwrap_or(before.progress),
                r.status.is_some(),
                r.progress.is_some(),
            );
            repo::update_task(
                conn,
                r.task_id,
                &TaskChanges {
                    status: Some(status.as_str().to_string()),
                    progress: Some(progress),
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            if !r.note.is_empty() {
                repo::insert_report(
                    conn,
                    &NewReport {
                        task_id: r.task_id,
                        author_id: caller.id,
                        author_name: caller.full_name.clone(),
                        unit_id: caller.unit_id,
                        created_at: now,
                        text: r.note.clone(),
                        progress,
                    },
                )?;
            }
            audit::repo::record_entity(
                conn,
                actor,
                commune_id,
                "bulk_update",
                "task",
                r.task_id,
                json!({ "status": [before.status, status.as_str()], "progress": [before.progress, progress], "note": !r.note.is_empty() }),
            )?;
        }
        Ok(BulkResult { applied: rows.len() })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_rows_are_checked_one_by_one() {
        let ok = parse_bulk("task id,status,progress,note\r\n12,in_progress,40,Đã họp\n13,Hoàn thành,,\n").unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].status, Some(TaskStatus::Done));
        assert_eq!(ok[0].line, 2);
        let errs = parse_bulk("12,in_progress,140,\n13,xong,50,\nabc,done,,\n").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["rows[1].progress", "rows[2].status", "rows[3].task_id"]);
        assert!(parse_bulk("12;done;100;ok\n").is_ok());
        assert!(parse_bulk("\"12,done\n").is_err());
        assert!(parse_bulk("").is_err());
    }
}
