//! Reads that assemble plans and tasks (with their computed progress, overdue flags and
//! missing reporting periods), and every write: validation, scope, one transaction with its
//! audit entry.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use bytes::Bytes;

use super::model::*;
use super::repo::{self, TaskSet};
use super::rules;
use super::storage::{self, Storage};
use crate::audit::Actor;
use crate::audit::repo::record_entity;
use crate::auth::{Caller, Permission};
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, FieldError, Validator};
use crate::http::{Page, Paging};
use crate::read_cache::{ReadCache, Scope, View, to_json};
use crate::spool::{FormPart, PartBody, SpooledFile};
use crate::time::{local_date, today_local};

// ---- views ----

fn parse_json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

fn plan_view(r: PlanRow, progress: f64, task_count: i64) -> Plan {
    Plan {
        id: r.id,
        number: r.number,
        title: r.title,
        model_name: r.model_name,
        year: r.year,
        issuing_unit_id: r.issuing_unit_id,
        issued_on: r.issued_on,
        legal_bases: parse_json_list(&r.legal_bases),
        purposes: parse_json_list(&r.purposes),
        status: PlanStatus::parse(&r.status).unwrap_or(PlanStatus::Draft),
        progress,
        task_count,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    }
}

fn status_of(s: &str) -> TaskStatus {
    TaskStatus::parse(s).unwrap_or(TaskStatus::NotStarted)
}

/// Plans with their progress (weighted mean of areas, each the weighted mean of its
/// non-cancelled tasks), computed from the tasks as they are now.
pub fn plans_with_progress(conn: &mut DbConnection, rows: Vec<PlanRow>) -> AppResult<Vec<Plan>> {
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let groups = repo::progress_groups(conn, &ids)?;
    let areas = repo::areas(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let mut count = 0;
            let mut per_area: HashMap<i64, (f64, f64)> = HashMap::new();
            for (plan, area, status, progress, w, n) in &groups {
                if *plan != p.id {
                    continue;
                }
                count += n;
                if status != TaskStatus::Cancelled.as_str() {
                    let e = per_area.entry(*area).or_default();
                    let w = w.unwrap_or(0.0);
                    e.0 += w * f64::from(*progress);
                    e.1 += w;
                }
            }
            let progress = rules::weighted_mean(
                areas
                    .iter()
                    .filter(|a| a.plan_id == p.id)
                    .filter_map(|a| per_area.get(&a.id).filter(|(_, w)| *w > 0.0).map(|(s, w)| (a.weight, s / w))),
            )
            .unwrap_or(0.0);
            plan_view(p, progress, count)
        })
        .collect())
}

/// Earlier than any due date a task can have (and within both engines' date range).
const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Turns task rows into API tasks: supporting units, overdue, missing reporting periods.
pub fn task_views(conn: &mut DbConnection, rows: Vec<TaskRow>, today: NaiveDate) -> AppResult<Vec<Task>> {
    let with_cadence: Vec<i64> = rows.iter().filter(|t| t.reporting_cadence.is_some()).map(|t| t.id).collect();
    let mut reported: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    if !with_cadence.is_empty() {
        for (t, at) in repo::report_times(conn, &with_cadence)? {
            reported.entry(t).or_default().push(local_date(at));
        }
    }
    Ok(rows
        .into_iter()
        .map(|t| {
            let supporting_unit_ids = t.supporting_unit_ids();
            let status = status_of(&t.status);
            let cadence = t.reporting_cadence.as_deref().and_then(Cadence::parse);
            let missing = cadence.map(|c| {
                if status == TaskStatus::Cancelled {
                    Vec::new()
                } else {
                    let dates = reported.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
                    rules::missing_periods(c, t.start_date, t.due_date, today, dates)
                }
            });
            Task {
                id: t.id,
                plan_id: t.plan_id,
                content_area_id: t.content_area_id,
                step_id: t.step_id,
                position: t.position,
                title: t.title,
                description: t.description,
                lead_unit_id: t.lead_unit_id,
                supporting_unit_ids,
                start_date: t.start_date,
                due_date: t.due_date,
                weight: t.weight,
                status,
                progress: t.progress,
                overdue: rules::is_overdue(status, t.due_date, today),
                reporting_cadence: cadence,
                source: TaskSource::parse(&t.source).unwrap_or(TaskSource::Plan),
                missing_periods: missing,
            }
        })
        .collect())
}

/// What a plan's overview shows beyond its header row, as of `today`.
struct OverviewCore {
    content_areas: Vec<ContentArea>,
    steps: Vec<Step>,
    units: Vec<PlanUnit>,
    rollup: Rollup,
    progress: f64,
}

/// A page of the commune's plans with their progress.
pub fn list_plans(conn: &mut DbConnection, commune_id: i64, f: &PlanFilter, paging: Paging) -> AppResult<Page<Plan>> {
    let (rows, total) = repo::list_plans(conn, commune_id, f, paging)?;
    Ok(paging.wrap(plans_with_progress(conn, rows)?, total))
}

/// A plan's overview: areas and steps with progress, unit duties, the roll-up.
pub fn plan_detail(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<PlanDetail> {
    let row = repo::get_plan(conn, caller.commune()?, id)?;
    let core = overview_core(conn, caller, id, today_local())?;
    Ok(PlanDetail {
        plan: plan_view(row, core.progress, core.rollup.total),
        content_areas: core.content_areas,
        steps: core.steps,
        units: core.units,
        rollup: core.rollup,
        can_edit: caller.may(Permission::EditPlans),
    })
}

/// [`plan_detail`] as the JSON sent, built from the read cache while the plan's revision and
/// the commune's date are unchanged (the header row is read fresh every time).
pub fn plan_detail_json(conn: &mut DbConnection, cache: &ReadCache, caller: &Caller, id: i64) -> AppResult<Bytes> {
    #[derive(serde::Serialize)]
    struct Parts<'a> {
        content_areas: &'a [ContentArea],
        steps: &'a [Step],
        units: &'a [PlanUnit],
        rollup: &'a Rollup,
    }
    #[derive(serde::Serialize)]
    struct Head {
        #[serde(flatten)]
        plan: Plan,
        can_edit: bool,
    }
    let row = repo::get_plan(conn, caller.commune()?, id)?;
    let today = today_local();
    let key = format!("overview|{:?}", caller.unit_scope());
    let (plan_id, revision) = (row.id, row.revision);
    let view = match cache.get(Scope::Plan(plan_id), revision, today, &key) {
        Some(view) => view,
        None => {
            let c = overview_core(conn, caller, id, today)?;
            let parts = Parts { content_areas: &c.content_areas, steps: &c.steps, units: &c.units, rollup: &c.rollup };
            let view = View { json: to_json(&parts)?, progress: c.progress, task_count: c.rollup.total };
            cache.put(Scope::Plan(plan_id), revision, today, key, view)
        }
    };
    // `{header…, "can_edit": b}` and `{parts…}` joined into one object.
    let mut out = to_json(&Head {
        plan: plan_view(row, view.progress, view.task_count),
        can_edit: caller.may(Permission::EditPlans),
    })?
    .to_vec();
    out.pop();
    out.push(b',');
    out.extend_from_slice(view.json.get(1..).unwrap_or_default());
    Ok(out.into())
}

fn overview_core(conn: &mut DbConnection, caller: &Caller, id: i64, today: NaiveDate) -> AppResult<OverviewCore> {
    let soon = today + chrono::Duration::days(rules::DUE_SOON_DAYS);
    let tasks = repo::rollup_rows(conn, id)?;
    let areas = repo::areas(conn, &[id])?;
    let steps = repo::steps(conn, id)?;
    let mut by_status = StatusCounts::default();
    let (mut overdue_count, mut due_soon_count) = (0, 0);
    for &(_, _, s, _, _, due) in &tasks {
        match s {
            TaskStatus::NotStarted => by_status.not_started += 1,
            TaskStatus::InProgress => by_status.in_progress += 1,
            TaskStatus::Done => by_status.done += 1,
            TaskStatus::Cancelled => by_status.cancelled += 1,
        }
        overdue_count += i64::from(rules::is_overdue(s, due, today));
        due_soon_count += i64::from(rules::is_due_soon(s, due, today));
    }
    let counted = |keep: &dyn Fn(i64, Option<i64>) -> bool| {
        let items: Vec<(f64, f64)> = tasks
            .iter()
            .filter(|(a, st, status, ..)| keep(*a, *st) && *status != TaskStatus::Cancelled)
            .map(|(_, _, _, p, w, ..)| (*w, f64::from(*p)))
            .collect();
        let n = items.len() as i64;
        (rules::exact_weighted_mean(items), n)
    };
    // Each area's exact mean, so the plan's mean is not a mean of rounded figures.
    let mut exact_areas: Vec<(f64, f64)> = Vec::new();
    let content_areas: Vec<ContentArea> = areas
        .into_iter()
        .map(|a| {
            let (progress, task_count) = counted(&|area, _| area == a.id);
            if let (Some(p), true) = (progress, task_count > 0) {
                exact_areas.push((a.weight, p));
            }
            ContentArea::from_row(a, progress.map_or(0.0, rules::one_decimal), task_count)
        })
        .collect();
    let progress = rules::weighted_mean(exact_areas).unwrap_or(0.0);
    let steps = steps
        .into_iter()
        .map(|s| {
            let (p, task_count) = counted(&|_, step| step == Some(s.id));
            let status = status_of(&s.status);
            Step {
                id: s.id,
                plan_id: s.plan_id,
                position: s.position,
                title: s.title,
                description: s.description,
                start_date: s.start_date,
                due_date: s.due_date,
                status,
                progress: p.map_or(0.0, rules::one_decimal),
                task_count,
                overdue: s.due_date.is_some_and(|d| rules::is_overdue(status, d, today)),
            }
        })
        .collect();
    let units = repo::plan_units(conn, id)?
        .into_iter()
        .map(|u| PlanUnit {
            unit_id: u.unit_id,
            position: u.position,
            role_in_plan: u.role_in_plan,
            duties: parse_json_list(&u.duties),
        })
        .collect();
    let scope = caller.unit_scope();
    // The counts above are plan-wide, so a zero skips a list's query for every caller; for
    // an unscoped caller with at most 50 overdue tasks one query returns both lists.
    let (overdue_rows, mut soon_rows): (Vec<TaskRow>, Vec<TaskRow>) = if scope.is_none() && overdue_count <= 50 {
        let limit = overdue_count + due_soon_count.min(50);
        if limit == 0 {
            (Vec::new(), Vec::new())
        } else {
            repo::due_tasks(conn, id, None, FIRST_DAY, soon, limit)?.into_iter().partition(|t| t.due_date < today)
        }
    } else {
        let before_today = today.pred_opt().unwrap_or(today);
        let overdue =
            if overdue_count > 0 { repo::due_tasks(conn, id, scope, FIRST_DAY, before_today, 50)? } else { Vec::new() };
        let soon = if due_soon_count > 0 { repo::due_tasks(conn, id, scope, today, soon, 50)? } else { Vec::new() };
        (overdue, soon)
    };
    soon_rows.truncate(50);
    // One pass over both lists (one query for reporting times, if any task has a cadence).
    let n_overdue = overdue_rows.len();
    let mut overdue_tasks = task_views(conn, overdue_rows.into_iter().chain(soon_rows).collect(), today)?;
    let due_soon_tasks = overdue_tasks.split_off(n_overdue);
    Ok(OverviewCore {
        content_areas,
        steps,
        units,
        progress,
        rollup: Rollup {
            total: tasks.len() as i64,
            by_status,
            overdue_count,
            due_soon_count,
            overdue_tasks,
            due_soon_tasks,
            due_soon_days: rules::DUE_SOON_DAYS,
            today,
        },
    })
}

/// A page of the tasks of the commune's active plans that `unit_scope` leads or supports
/// (`tasks/mine`), or of every unit when `unit_scope` is `None` (`tasks`). A plan's own list is
/// [`plan_task_page_json`]. Across plans there is no plan order: by due date unless `sort` says.
pub fn active_task_page(
    conn: &mut DbConnection,
    caller: &Caller,
    unit_scope: Option<i64>,
    mut f: TaskFilter,
) -> AppResult<Page<Task>> {
    let paging = Paging::new(f.page, f.per_page)?;
    f.sort.get_or_insert(TaskSort::DueDate);
    let today = today_local();
    let (rows, total) = repo::list_tasks(conn, caller.commune()?, TaskSet::ActivePlans, unit_scope, &f, today, paging)?;
    Ok(paging.wrap(task_views(conn, rows, today)?, total))
}

/// A page of a plan's tasks as the JSON sent, from the read cache while the plan's revision
/// and the commune's date are unchanged. Reading the revision also proves the plan is the
/// caller's commune's (404 otherwise).
pub fn plan_task_page_json(
    conn: &mut DbConnection,
    cache: &ReadCache,
    caller: &Caller,
    plan: i64,
    unit_scope: Option<i64>,
    f: &TaskFilter,
    paging: Paging,
) -> AppResult<Bytes> {
    let revision = repo::plan_revision(conn, caller.commune()?, plan)?.ok_or(AppError::NotFound)?;
    let today = today_local();
    let q = f.q.as_deref().map(fold_search).unwrap_or_default();
    let key = format!(
        "tasks|{unit_scope:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}|{q}",
        f.unit_id,
        f.status,
        f.overdue,
        f.step_id,
        f.content_area_id,
        f.sort.unwrap_or_default(),
        paging.page,
        paging.per_page
    );
    if let Some(view) = cache.get(Scope::Plan(plan), revision, today, &key) {
        return Ok(view.json.clone());
    }
    let (rows, total) = repo::list_tasks(conn, caller.commune()?, TaskSet::Plan(plan), unit_scope, f, today, paging)?;
    let json = to_json(&paging.wrap(task_views(conn, rows, today)?, total))?;
    let view = View { json, progress: 0.0, task_count: total };
    Ok(cache.put(Scope::Plan(plan), revision, today, key, view).json.clone())
}

/// A task the caller may read, with its supporting units; otherwise `NotFound`.
pub fn readable_task(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<(TaskRow, Vec<i64>)> {
    let t = repo::get_task(conn, caller.commune()?, id)?;
    let sup = t.supporting_unit_ids();
    if !rules::can_read_task(caller, t.lead_unit_id, &sup) {
        return Err(AppError::NotFound);
    }
    Ok((t, sup))
}

/// The plan is open (a closed plan is read-only), else `409 plan_closed`.
pub(super) fn require_open(conn: &mut DbConnection, commune_id: i64, plan_id: i64) -> AppResult<()> {
    rules::require_open_plan(&repo::get_plan(conn, commune_id, plan_id)?.status)
}

fn report_views(conn: &mut DbConnection, task_id: i64) -> AppResult<Vec<ProgressReport>> {
    Ok(repo::reports(conn, task_id)?
        .into_iter()
        .map(|(r, files)| ProgressReport {
            id: r.id,
            task_id: r.task_id,
            author_id: r.author_id,
            author_name: r.author_name,
            unit_id: r.unit_id,
            created_at: r.created_at.and_utc(),
            text: r.text,
            progress: r.progress,
            attachments: files.into_iter().map(Attachment::from).collect(),
        })
        .collect())
}

/// Progress reports of a readable task, newest first.
pub fn list_reports(conn: &mut DbConnection, caller: &Caller, task_id: i64) -> AppResult<Vec<ProgressReport>> {
    readable_task(conn, caller, task_id)?;
    report_views(conn, task_id)
}

/// Comments of a readable task, oldest first.
pub fn list_comments(conn: &mut DbConnection, caller: &Caller, task_id: i64) -> AppResult<Vec<Comment>> {
    readable_task(conn, caller, task_id)?;
    Ok(repo::comments(conn, task_id)?.into_iter().map(Comment::from).collect())
}

/// A task with reports, comments and its audit history.
pub fn task_detail(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<TaskDetail> {
    let (row, sup) = readable_task(conn, caller, id)?;
    let plan = repo::get_plan(conn, caller.commune()?, row.plan_id)?;
    let today = today_local();
    let plan_closed = rules::require_open_plan(&plan.status).is_err();
    let can_report = !plan_closed && rules::can_report(caller, row.lead_unit_id, &sup);
    let task = task_views(conn, vec![row], today)?.into_iter().next().ok_or(AppError::NotFound)?;
    let reports = report_views(conn, id)?;
    let comments = repo::comments(conn, id)?.into_iter().map(Comment::from).collect();
    let entries = crate::audit::repo::history(conn, caller.commune()?, "task", &id.to_string(), Paging::MAX_PER_PAGE)?;
    let ids: Vec<i64> = entries.iter().filter_map(|e| e.user_id).collect();
    let names: HashMap<i64, String> = crate::org::repo::full_names(conn, &ids)?.into_iter().collect();
    let history = entries
        .into_iter()
        .map(|e| HistoryEntry {
            at: e.at.and_utc(),
            who: e.user_id.and_then(|u| names.get(&u).cloned()).unwrap_or_else(|| "Hệ thống".to_string()),
            username: e.username,
            action: e.action,
            summary: serde_json::from_str(&e.summary).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    Ok(TaskDetail {
        task,
        plan_title: plan.title,
        reports,
        comments,
        history,
        can_report,
        can_edit: !plan_closed && caller.may(Permission::EditPlans),
        plan_closed,
    })
}

// ---- validation helpers ----

fn check_unit(conn: &mut DbConnection, v: &mut Validator, commune_id: i64, field: &str, id: i64) -> AppResult<()> {
    match crate::org::repo::get_unit(conn, commune_id, id) {
        Ok(u) if !u.active => v.add(field, "invalid_value", "Đơn vị đã ngừng hoạt động."),
        Ok(_) => {}
        Err(diesel::result::Error::NotFound) => v.add(field, "not_found", "Không có đơn vị này."),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

fn check_weight(v: &mut Validator, field: &str, w: f64) {
    if !w.is_finite() || w <= 0.0 || w > 1000.0 {
        v.add(field, "invalid_value", "Trọng số phải lớn hơn 0 và không quá 1000.");
    }
}

fn check_progress(v: &mut Validator, field: &str, p: i32) {
    if !(0..=100).contains(&p) {
        v.add(field, "invalid_value", "Tiến độ từ 0 đến 100.");
    }
}

fn check_dates(v: &mut Validator, start: Option<NaiveDate>, due: Option<NaiveDate>) {
    if let (Some(s), Some(d)) = (start, due)
        && d < s
    {
        v.add("due_date", "invalid_value", "Hạn hoàn thành không được trước ngày bắt đầu.");
    }
}

fn check_year(v: &mut Validator, year: i32) {
    if !(2000..=2100).contains(&year) {
        v.add("year", "invalid_value", "Năm từ 2000 đến 2100.");
    }
}

fn check_bases(v: &mut Validator, bases: &[LegalBasis], purposes: &[String]) {
    for (i, b) in bases.iter().enumerate() {
        v.text(&format!("legal_bases[{i}].kind"), &b.kind, 1, 100);
        v.text(&format!("legal_bases[{i}].issuer"), &b.issuer, 1, 300);
        if let Some(n) = &b.number {
            v.text(&format!("legal_bases[{i}].number"), n, 1, 100);
        }
        if let Some(s) = &b.subject {
            v.text(&format!("legal_bases[{i}].subject"), s, 1, 1000);
        }
    }
    for (i, p) in purposes.iter().enumerate() {
        v.text(&format!("purposes[{i}]"), p, 1, 3000);
    }
}

/// Moves `moved` to 1-based `pos` (clamped) in `ids`; returns (id, new position) for every
/// id whose position changes given their current positions.
pub fn reorder(current: &[(i64, i32)], moved: i64, pos: i32) -> Vec<(i64, i32)> {
    let mut ids: Vec<i64> = current.iter().map(|(id, _)| *id).filter(|id| *id != moved).collect();
    let at = usize::try_from(pos.max(1) - 1).unwrap_or(0).min(ids.len());
    ids.insert(at, moved);
    ids.iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let p = i32::try_from(i + 1).unwrap_or(i32::MAX);
            let old = current.iter().find(|(c, _)| c == id).map(|(_, p)| *p);
            (old != Some(p)).then_some((*id, p))
        })
        .collect()
}

// ---- plans ----

/// Creates a plan in the caller's commune.
pub fn create_plan(conn: &mut DbConnection, actor: &Actor, commune_id: i64, input: CreatePlan) -> AppResult<PlanRow> {
    let mut v = Validator::new();
    v.text("number", &input.number, 1, 100);
    v.text("title", &input.title, 1, 500);
    if let Some(m) = &input.model_name {
        v.text("model_name", m, 1, 300);
    }
    check_year(&mut v, input.year);
    check_bases(&mut v, &input.legal_bases, &input.purposes);
    write_tx(conn, |conn| {
        if let Some(u) = input.issuing_unit_id {
            check_unit(conn, &mut v, commune_id, "issuing_unit_id", u)?;
        }
        v.finish()?;
        let now = Utc::now().naive_utc();
        let title = input.title.trim().to_string();
        let row = repo::insert_plan(
            conn,
            &NewPlan {
                commune_id,
                number: input.number.trim().to_string(),
                title_search: fold_search(&format!("{} {}", title, input.number)),
                title,
                model_name: input.model_name.as_deref().map(str::trim).unwrap_or("").to_string(),
                year: input.year,
                issuing_unit_id: input.issuing_unit_id,
                issued_on: input.issued_on,
                legal_bases: serde_json::to_string(&input.legal_bases)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
                purposes: serde_json::to_string(&input.purposes).map_err(|e| AppError::Internal(e.to_string()))?,
                status: input.status.unwrap_or(PlanStatus::Draft).as_str().to_string(),
                created_at: now,
                updated_at: now,
            },
        )?;
        record_entity(
            conn,
            actor,
            commune_id,
            "create",
            "plan",
            row.id,
            json!({ "number": row.number, "title": row.title, "year": row.year }),
        )?;
        Ok(row)
    })
}

/// Changes a plan's header or status.
pub fn update_plan(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    id: i64,
    input: UpdatePlan,
) -> AppResult<PlanRow> {
    let mut v = Validator::new();
    if let Some(n) = &input.number {
        v.text("number", n, 1, 100);
    }
    if let Some(t) = &input.title {
        v.text("title", t, 1, 500);
    }
    if let Some(m) = &input.model_name {
        v.text("model_name", m, 0, 300);
    }
    if let Some(y) = input.year {
        check_year(&mut v, y);
    }
    check_bases(&mut v, input.legal_bases.as_deref().unwrap_or(&[]), input.purposes.as_deref().unwrap_or(&[]));
    write_tx(conn, |conn| {
        let before = repo::get_plan(conn, commune_id, id)?;
        if let Some(Some(u)) = input.issuing_unit_id {
            check_unit(conn, &mut v, commune_id, "issuing_unit_id", u)?;
        }
        v.finish()?;
        let from = PlanStatus::parse(&before.status).unwrap_or(PlanStatus::Draft);
        if let Some(to) = input.status {
            let allowed = from == to
                || matches!(
                    (from, to),
                    (PlanStatus::Draft, PlanStatus::Active)
                        | (PlanStatus::Active, PlanStatus::Closed)
                        | (PlanStatus::Closed, PlanStatus::Active)
                );
            if from == PlanStatus::Closed
                && to != PlanStatus::Closed
                && super::rollover::service::is_rolled_over(conn, id)?
            {
                return Err(AppError::rule(
                    "plan_rolled_over",
                    "Kế hoạch đã được chuyển sang năm sau nên chỉ còn để xem; không mở lại được.",
                ));
            }
            if !allowed {
                return Err(AppError::rule(
                    "invalid_plan_status",
                    "Trạng thái kế hoạch chỉ chuyển: dự thảo → đang thực hiện → kết thúc (có thể mở lại).",
                ));
            }
        }
        let mut c = PlanChanges::default();
        let mut diff = serde_json::Map::new();
        let number = input.number.as_deref().map(str::trim).unwrap_or(&before.number).to_string();
        let title = input.title.as_deref().map(str::trim).unwrap_or(&before.title).to_string();
        if number != before.number {
            diff.insert("number".into(), json!([before.number, number]));
            c.number = Some(number.clone());
        }
        if title != before.title {
            diff.insert("title".into(), json!([before.title, title]));
            c.title = Some(title.clone());
        }
        if c.number.is_some() || c.title.is_some() {
            c.title_search = Some(fold_search(&format!("{title} {number}")));
        }
        if let Some(m) = input.model_name.map(|m| m.trim().to_string()).filter(|m| *m != before.model_name) {
            diff.insert("model_name".into(), json!([before.model_name, m]));
            c.model_name = Some(m);
        }
        if let Some(y) = input.year.filter(|y| *y != before.year) {
            diff.insert("year".into(), json!([before.year, y]));
            c.year = Some(y);
        }
        if let Some(u) = input.issuing_unit_id.filter(|u| *u != before.issuing_unit_id) {
            diff.insert("issuing_unit_id".into(), json!([before.issuing_unit_id, u]));
            c.issuing_unit_id = Some(u);
        }
        if let Some(d) = input.issued_on.filter(|d| *d != before.issued_on) {
            diff.insert("issued_on".into(), json!([before.issued_on, d]));
            c.issued_on = Some(d);
        }
        if let Some(b) = input.legal_bases {
            let text = serde_json::to_string(&b).map_err(|e| AppError::Internal(e.to_string()))?;
            if text != before.legal_bases {
                diff.insert("legal_bases".into(), json!(b.len()));
                c.legal_bases = Some(text);
            }
        }
        if let Some(p) = input.purposes {
            let text = serde_json::to_string(&p).map_err(|e| AppError::Internal(e.to_string()))?;
            if text != before.purposes {
                diff.insert("purposes".into(), json!(p.len()));
                c.purposes = Some(text);
            }
        }
        // A closed plan takes no header change unless the same request reopens it.
        if !diff.is_empty() && input.status.unwrap_or(from) == PlanStatus::Closed {
            rules::require_open_plan(&before.status)?;
        }
        if let Some(s) = input.status.filter(|s| *s != from) {
            diff.insert("status".into(), json!([from.as_str(), s.as_str()]));
            c.status = Some(s.as_str().to_string());
        }
        if diff.is_empty() {
            return Ok(before);
        }
        c.updated_at = Some(Utc::now().naive_utc());
        let row = repo::update_plan(conn, id, &c)?;
        record_entity(conn, actor, commune_id, "update", "plan", id, diff.into())?;
        Ok(row)
    })
}

// ---- areas ----

/// Adds a content area to a plan (at `position`, default last).
pub fn create_area(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    plan_id: i64,
    input: CreateArea,
) -> AppResult<AreaRow> {
    let mut v = Validator::new();
    v.text("title", &input.title, 1, 500);
    if let Some(o) = &input.expected_outcome {
        v.text("expected_outcome", o, 0, 3000);
    }
    let weight = input.weight.unwrap_or(1.0);
    check_weight(&mut v, "weight", weight);
    v.finish()?;
    write_tx(conn, |conn| {
        require_open(conn, commune_id, plan_id)?;
        let current: Vec<(i64, i32)> = repo::areas(conn, &[plan_id])?.iter().map(|a| (a.id, a.position)).collect();
        let now = Utc::now().naive_utc();
        let end = i32::try_from(current.len() + 1).unwrap_or(i32::MAX);
        let row = repo::insert_area(
            conn,
            &NewArea {
                plan_id,
                position: end,
                title: input.title.trim().to_string(),
                expected_outcome: input.expected_outcome.map(|o| o.trim().to_string()).filter(|o| !o.is_empty()),
                weight,
                created_at: now,
                updated_at: now,
                section: AreaSection::Content.as_str().to_string(),
            },
        )?;
        let mut all = current;
        all.push((row.id, end));
        for (id, p) in reorder(&all, row.id, input.position.unwrap_or(end)) {
            repo::set_area_position(conn, id, p)?;
        }
        let row = repo::get_area(conn, commune_id, row.id)?;
        record_entity(
            conn,
            actor,
            commune_id,
            "create",
            "content_area",
            row.id,
            json!({ "plan_id": plan_id, "title": row.title, "position": row.position }),
        )?;
        Ok(row)
    })
}

/// Changes or moves a content area.
pub fn update_area(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    id: i64,
    input: UpdateArea,
) -> AppResult<AreaRow> {
    let mut v = Validator::new();
    if let Some(t) = &input.title {
        v.text("title", t, 1, 500);
    }
    if let Some(Some(o)) = &input.expected_outcome {
        v.text("expected_outcome", o, 0, 3000);
    }
    if let Some(w) = input.weight {
        check_weight(&mut v, "weight", w);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let before = repo::get_area(conn, commune_id, id)?;
        require_open(conn, commune_id, before.plan_id)?;
        let mut c = AreaChanges::default();
        let mut diff = serde_json::Map::new();
        if let Some(t) = input.title.map(|t| t.trim().to_string()).filter(|t| *t != before.title) {
            diff.insert("title".into(), json!([before.title, t]));
            c.title = Some(t);
        }
        if let Some(o) = input.expected_outcome {
            let o = o.map(|o| o.trim().to_string()).filter(|o| !o.is_empty());
            if o != before.expected_outcome {
                diff.insert("expected_outcome".into(), json!("changed"));
                c.expected_outcome = Some(o);
            }
        }
        if let Some(w) = input.weight.filter(|w| *w != before.weight) {
            diff.insert("weight".into(), json!([before.weight, w]));
            c.weight = Some(w);
        }
        if let Some(p) = input.position.filter(|p| *p != before.position) {
            let current: Vec<(i64, i32)> =
                repo::areas(conn, &[before.plan_id])?.iter().map(|a| (a.id, a.position)).collect();
            for (aid, np) in reorder(&current, id, p) {
                repo::set_area_position(conn, aid, np)?;
            }
            diff.insert("position".into(), json!([before.position, p]));
        }
        if diff.is_empty() {
            return Ok(before);
        }
        c.updated_at = Some(Utc::now().naive_utc());
        let row = repo::update_area(conn, id, &c)?;
        record_entity(conn, actor, commune_id, "update", "content_area", id, diff.into())?;
        Ok(row)
    })
}

// ---- steps ----

/// Adds a step to a plan's timeline.
pub fn create_step(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    plan_id: i64,
    input: CreateStep,
) -> AppResult<StepRow> {
    let mut v = Validator::new();
    v.text("title", &input.title, 1, 500);
    if let Some(d) = &input.description {
        v.text("description", d, 0, 3000);
    }
    check_dates(&mut v, input.start_date, input.due_date);
    v.finish()?;
    write_tx(conn, |conn| {
        require_open(conn, commune_id, plan_id)?;
        let current: Vec<(i64, i32)> = repo::steps(conn, plan_id)?.iter().map(|s| (s.id, s.position)).collect();
        let now = Utc::now().naive_utc();
        let end = i32::try_from(current.len() + 1).unwrap_or(i32::MAX);
        let row = repo::insert_step(
            conn,
            &NewStep {
                plan_id,
                position: end,
                title: input.title.trim().to_string(),
                description: input.description.as_deref().map(str::trim).unwrap_or("").to_string(),
                start_date: input.start_date,
                due_date: input.due_date,
                status: input.status.unwrap_or(TaskStatus::NotStarted).as_str().to_string(),
                created_at: now,
                updated_at: now,
            },
        )?;
        let mut all = current;
        all.push((row.id, end));
        for (id, p) in reorder(&all, row.id, input.position.unwrap_or(end)) {
            repo::set_step_position(conn, id, p)?;
        }
        let row = repo::get_step(conn, commune_id, row.id)?;
        record_entity(
            conn,
            actor,
            commune_id,
            "create",
            "plan_step",
            row.id,
            json!({ "plan_id": plan_id, "title": row.title, "start_date": row.start_date, "due_date": row.due_date }),
        )?;
        Ok(row)
    })
}

/// Changes, moves or re-dates a step.
pub fn update_step(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    id: i64,
    input: UpdateStep,
) -> AppResult<StepRow> {
    let mut v = Validator::new();
    if let Some(t) = &input.title {
        v.text("title", t, 1, 500);
    }
    if let Some(d) = &input.description {
        v.text("description", d, 0, 3000);
    }
    write_tx(conn, |conn| {
        let before = repo::get_step(conn, commune_id, id)?;
        require_open(conn, commune_id, before.plan_id)?;
        let start = input.start_date.unwrap_or(before.start_date);
        let due = input.due_date.unwrap_or(before.due_date);
        check_dates(&mut v, start, due);
        v.finish()?;
        let mut c = StepChanges::default();
        let mut diff = serde_json::Map::new();
        if let Some(t) = input.title.map(|t| t.trim().to_string()).filter(|t| *t != before.title) {
            diff.insert("title".into(), json!([before.title, t]));
            c.title = Some(t);
        }
        if let Some(d) = input.description.map(|d| d.trim().to_string()).filter(|d| *d != before.description) {
            diff.insert("description".into(), json!("changed"));
            c.description = Some(d);
        }
        if start != before.start_date {
            diff.insert("start_date".into(), json!([before.start_date, start]));
            c.start_date = Some(start);
        }
        if due != before.due_date {
            diff.insert("due_date".into(), json!([before.due_date, due]));
            c.due_date = Some(due);
        }
        if let Some(s) = input.status.filter(|s| s.as_str() != before.status) {
            diff.insert("status".into(), json!([before.status, s.as_str()]));
            c.status = Some(s.as_str().to_string());
        }
        if let Some(p) = input.position.filter(|p| *p != before.position) {
            let current: Vec<(i64, i32)> =
                repo::steps(conn, before.plan_id)?.iter().map(|s| (s.id, s.position)).collect();
            for (sid, np) in reorder(&current, id, p) {
                repo::set_step_position(conn, sid, np)?;
            }
            diff.insert("position".into(), json!([before.position, p]));
        }
        if diff.is_empty() {
            return Ok(before);
        }
        c.updated_at = Some(Utc::now().naive_utc());
        let row = repo::update_step(conn, id, &c)?;
        record_entity(conn, actor, commune_id, "update", "plan_step", id, diff.into())?;
        Ok(row)
    })
}

// ---- tasks ----

fn check_task_links(
    conn: &mut DbConnection,
    v: &mut Validator,
    commune_id: i64,
    plan_id: i64,
    area: Option<i64>,
    step: Option<i64>,
) -> AppResult<()> {
    if let Some(a) = area {
        match repo::get_area(conn, commune_id, a) {
            Ok(r) if r.plan_id == plan_id => {}
            Ok(_) | Err(diesel::result::Error::NotFound) => {
                v.add("content_area_id", "not_found", "Nội dung này không thuộc kế hoạch.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(s) = step {
        match repo::get_step(conn, commune_id, s) {
            Ok(r) if r.plan_id == plan_id => {}
            Ok(_) | Err(diesel::result::Error::NotFound) => {
                v.add("step_id", "not_found", "Bước này không thuộc kế hoạch.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn check_units(
    conn: &mut DbConnection,
    v: &mut Validator,
    commune_id: i64,
    lead: Option<i64>,
    supporting: Option<&[i64]>,
) -> AppResult<()> {
    if let Some(l) = lead {
        check_unit(conn, v, commune_id, "lead_unit_id", l)?;
    }
    if let Some(s) = supporting {
        if s.len() > 50 {
            v.add("supporting_unit_ids", "too_long", "Tối đa 50 đơn vị phối hợp.");
        }
        for (i, u) in s.iter().enumerate() {
            check_unit(conn, v, commune_id, &format!("supporting_unit_ids[{i}]"), *u)?;
        }
    }
    Ok(())
}

fn clean_supporting(lead: i64, s: &[i64]) -> Vec<i64> {
    let mut out: Vec<i64> = s.iter().copied().filter(|u| *u != lead).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Adds a task to a plan.
pub fn create_task(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    plan_id: i64,
    input: CreateTask,
) -> AppResult<TaskRow> {
    let mut v = Validator::new();
    v.text("title", &input.title, 1, 1000);
    if let Some(d) = &input.description {
        v.text("description", d, 0, 5000);
    }
    let weight = input.weight.unwrap_or(1.0);
    check_weight(&mut v, "weight", weight);
    check_dates(&mut v, Some(input.start_date), Some(input.due_date));
    write_tx(conn, |conn| {
        require_open(conn, commune_id, plan_id)?;
        check_task_links(conn, &mut v, commune_id, plan_id, Some(input.content_area_id), input.step_id)?;
        check_units(conn, &mut v, commune_id, Some(input.lead_unit_id), Some(&input.supporting_unit_ids))?;
        v.finish()?;
        let now = Utc::now().naive_utc();
        let title = input.title.trim().to_string();
        let description = input.description.as_deref().map(str::trim).unwrap_or("").to_string();
        let end = repo::next_task_position(conn, input.content_area_id)?;
        let row = repo::insert_task(
            conn,
            &NewTask {
                weight,
                reporting_cadence: input.reporting_cadence.map(|c| c.as_str().to_string()),
                ..NewTask::not_started(
                    TaskPlace {
                        commune_id,
                        plan_id,
                        content_area_id: input.content_area_id,
                        step_id: input.step_id,
                        position: end,
                        start_date: input.start_date,
                        due_date: input.due_date,
                    },
                    title,
                    description,
                    input.lead_unit_id,
                    now,
                    TaskSource::Plan,
                )
            },
        )?;
        let supporting = clean_supporting(row.lead_unit_id, &input.supporting_unit_ids);
        repo::set_supporting_units(conn, row.id, &supporting)?;
        if let Some(p) = input.position.filter(|p| *p != end) {
            move_task(conn, row.content_area_id, row.id, p)?;
        }
        record_entity(
            conn,
            actor,
            commune_id,
            "create",
            "task",
            row.id,
            json!({ "plan_id": plan_id, "title": row.title, "lead_unit_id": row.lead_unit_id, "supporting_unit_ids": supporting, "due_date": row.due_date }),
        )?;
        Ok(repo::get_task(conn, commune_id, row.id)?)
    })
}

fn move_task(conn: &mut DbConnection, area_id: i64, id: i64, pos: i32) -> AppResult<()> {
    let current = repo::task_positions(conn, area_id)?;
    for (tid, p) in reorder(&current, id, pos) {
        repo::set_task_position(conn, tid, p)?;
    }
    Ok(())
}

/// Changes a task. Structure (title, dates, units, area, step, weight, cadence, order) needs
/// the edit permission; status and progress need edit or report rights on this task.
pub fn update_task(conn: &mut DbConnection, caller: &Caller, id: i64, input: UpdateTask) -> AppResult<TaskRow> {
    let actor = &caller.actor();
    let mut v = Validator::new();
    if let Some(t) = &input.title {
        v.text("title", t, 1, 1000);
    }
    if let Some(d) = &input.description {
        v.text("description", d, 0, 5000);
    }
    if let Some(w) = input.weight {
        check_weight(&mut v, "weight", w);
    }
    if let Some(p) = input.progress {
        check_progress(&mut v, "progress", p);
    }
    // The permission is checked before the row, so a lacking permission is 403 everywhere.
    if input.edits_structure() && !caller.may(Permission::EditPlans) {
        return Err(AppError::Forbidden);
    }
    let commune_id = caller.commune()?;
    write_tx(conn, |conn| {
        let (before, sup) = readable_task(conn, caller, id)?;
        if (input.status.is_some() || input.progress.is_some()) && !caller.may(Permission::EditPlans) {
            rules::require_report(caller, before.lead_unit_id, &sup)?;
        }
        require_open(conn, commune_id, before.plan_id)?;
        let area = input.content_area_id.unwrap_or(before.content_area_id);
        let step = input.step_id.unwrap_or(before.step_id);
        check_task_links(conn, &mut v, commune_id, before.plan_id, input.content_area_id, input.step_id.flatten())?;
        check_units(conn, &mut v, commune_id, input.lead_unit_id, input.supporting_unit_ids.as_deref())?;
        let start = input.start_date.unwrap_or(before.start_date);
        let due = input.due_date.unwrap_or(before.due_date);
        check_dates(&mut v, Some(start), Some(due));
        v.finish()?;
        let mut c = TaskChanges::default();
        let mut diff = serde_json::Map::new();
        let title = input.title.as_deref().map(str::trim).unwrap_or(&before.title).to_string();
        let description = input.description.as_deref().map(str::trim).unwrap_or(&before.description).to_string();
        if title != before.title {
            diff.insert("title".into(), json!([before.title, title]));
            c.title = Some(title.clone());
        }
        if description != before.description {
            diff.insert("description".into(), json!("changed"));
            c.description = Some(description.clone());
        }
        if c.title.is_some() || c.description.is_some() {
            c.search = Some(fold_search(&format!("{title} {description}")));
        }
        if area != before.content_area_id {
            diff.insert("content_area_id".into(), json!([before.content_area_id, area]));
            c.content_area_id = Some(area);
            c.position = Some(repo::next_task_position(conn, area)?);
        }
        if step != before.step_id {
            diff.insert("step_id".into(), json!([before.step_id, step]));
            c.step_id = Some(step);
        }
        let lead = input.lead_unit_id.unwrap_or(before.lead_unit_id);
        if lead != before.lead_unit_id {
            diff.insert("lead_unit_id".into(), json!([before.lead_unit_id, lead]));
            c.lead_unit_id = Some(lead);
        }
        let new_sup = input.supporting_unit_ids.as_deref().map(|s| clean_supporting(lead, s));
        let new_sup = match new_sup {
            Some(s) => Some(s),
            // A new lead stops being one of its own supporting units.
            None if lead != before.lead_unit_id && sup.contains(&lead) => Some(clean_supporting(lead, &sup)),
            None => None,
        };
        if let Some(s) = new_sup.as_ref().filter(|s| **s != sup) {
            diff.insert("supporting_unit_ids".into(), json!([sup, s]));
        }
        if start != before.start_date {
            diff.insert("start_date".into(), json!([before.start_date, start]));
            c.start_date = Some(start);
        }
        if due != before.due_date {
            diff.insert("due_date".into(), json!([before.due_date, due]));
            c.due_date = Some(due);
        }
        if let Some(w) = input.weight.filter(|w| *w != before.weight) {
            diff.insert("weight".into(), json!([before.weight, w]));
            c.weight = Some(w);
        }
        if let Some(cad) = input.reporting_cadence {
            let cad = cad.map(|x| x.as_str().to_string());
            if cad != before.reporting_cadence {
                diff.insert("reporting_cadence".into(), json!([before.reporting_cadence, cad]));
                c.reporting_cadence = Some(cad);
            }
        }
        let old_status = status_of(&before.status);
        if let Some(to) = input.status {
            rules::require_cancel_right(caller, old_status, to)?;
        }
        let (status, progress) = rules::reconcile(
            input.status.unwrap_or(old_status),
            input.progress.unwrap_or(before.progress),
            input.status.is_some(),
            input.progress.is_some(),
        );
        if status != old_status {
            diff.insert("status".into(), json!([before.status, status.as_str()]));
            c.status = Some(status.as_str().to_string());
        }
        if progress != before.progress {
            diff.insert("progress".into(), json!([before.progress, progress]));
            c.progress = Some(progress);
        }
        let moved = input.position.filter(|p| *p != before.position && area == before.content_area_id);
        if let Some(p) = moved {
            diff.insert("position".into(), json!([before.position, p]));
        }
        if diff.is_empty() {
            return Ok(before);
        }
        c.updated_at = Some(Utc::now().naive_utc());
        let row = repo::update_task(conn, id, &c)?;
        if let Some(s) = new_sup.filter(|s| *s != sup) {
            repo::set_supporting_units(conn, id, &s)?;
        }
        if let Some(p) = moved {
            move_task(conn, area, id, p)?;
        }
        record_entity(conn, actor, commune_id, "update", "task", id, diff.into())?;
        Ok(repo::get_task(conn, commune_id, row.id)?)
    })
}

/// A validated evidence file waiting to be stored (in its temporary file).
pub struct Upload {
    pub file: SpooledFile,
    pub content_type: &'static str,
    pub file_name: String,
}

/// A parsed progress report form.
pub struct ReportInput {
    pub text: String,
    pub progress: i32,
    pub files: Vec<Upload>,
    /// When it was written on the phone (UTC), if it says.
    pub written_at: Option<NaiveDateTime>,
}

/// How far back a report queued on a phone may be dated.
const WRITTEN_REACH_DAYS: i64 = 30;
/// Clock difference allowed between a phone and the server.
const CLOCK_SKEW_MINUTES: i64 = 5;

/// The most bytes kept of a report form's part: text fields 20,000, files `upload_cap`, any
/// other field nothing (it is refused).
pub fn report_part_limit(name: &str, upload_cap: usize) -> usize {
    match name {
        "text" | "progress" => 20_000,
        "written_at" => 100,
        "files" | "files[]" => upload_cap,
        "client_id" => 200,
        _ => 0,
    }
}

/// Checks a progress report form (`text`, `progress` 0–100, zero or more `files` — JPEG, PNG,
/// WebP or PDF by content). A file over the upload limit is 413, a file of another type 415,
/// everything else is listed as field errors.
pub fn check_report_form(parts: Vec<FormPart>) -> AppResult<ReportInput> {
    let (mut text, mut progress, mut files, mut written) = (None, None, Vec::new(), None);
    let (mut too_big, mut bad_type) = (false, false);
    let mut errors: Vec<FieldError> = Vec::new();
    let as_text = |bytes: Vec<u8>, field: &str| {
        String::from_utf8(bytes).map_err(|_| AppError::field(field, "invalid_format", "Không phải văn bản UTF-8."))
    };
    for part in parts {
        match (part.name.as_str(), part.body) {
            ("text" | "progress" | "written_at", PartBody::TooLarge | PartBody::File(_)) => {
                errors.push(FieldError::new(&part.name, "too_long", "Nội dung quá dài."));
            }
            ("written_at", PartBody::Bytes(bytes)) => written = Some(as_text(bytes, "written_at")?),
            ("text", PartBody::Bytes(bytes)) => text = Some(as_text(bytes, "text")?),
            ("progress", PartBody::Bytes(bytes)) => progress = Some(as_text(bytes, "progress")?),
            ("files" | "files[]", body) => {
                let index = files.len();
                match body {
                    PartBody::TooLarge => too_big = true,
                    PartBody::Bytes(_) => {
                        errors.push(FieldError::new(format!("files[{index}]"), "invalid_format", "Không phải tệp."))
                    }
                    PartBody::File(file) if file.size() == 0 => {
                        errors.push(FieldError::new(format!("files[{index}]"), "required", "Tệp rỗng."))
                    }
                    PartBody::File(file) => match storage::sniff(file.head()) {
                        Some(ct) => files.push(Upload {
                            file_name: storage::display_name(part.file_name.as_deref(), ct),
                            content_type: ct,
                            file,
                        }),
                        None => bad_type = true,
                    },
                }
                if files.len() > storage::MAX_FILES_PER_REPORT {
                    errors.push(FieldError::new("files", "too_long", "Tối đa 10 tệp mỗi báo cáo."));
                }
            }
            (other, _) => errors.push(FieldError::new(other, "unknown_field", "Trường này không được phép gửi.")),
        }
    }
    if too_big {
        return Err(AppError::PayloadTooLarge);
    }
    if bad_type {
        return Err(AppError::UnsupportedMediaType);
    }
    let text = text.unwrap_or_default();
    if text.trim().is_empty() && files.is_empty() {
        errors.push(FieldError::new("text", "required", "Cần nội dung báo cáo hoặc ảnh minh chứng."));
    }
    if text.chars().count() > 5000 {
        errors.push(FieldError::new("text", "too_long", "Tối đa 5000 ký tự."));
    }
    let progress = match progress.as_deref().map(str::trim).map(str::parse::<i32>) {
        Some(Ok(p)) if (0..=100).contains(&p) => p,
        None => {
            errors.push(FieldError::new("progress", "required", "Cần nhập tiến độ (0–100)."));
            0
        }
        Some(_) => {
            errors.push(FieldError::new("progress", "invalid_value", "Tiến độ là số nguyên từ 0 đến 100."));
            0
        }
    };
    let now = Utc::now().naive_utc();
    let written_at = match written.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => None,
        Some(w) => match chrono::DateTime::parse_from_rfc3339(w).map(|t| t.naive_utc()) {
            Ok(t) if t > now + Duration::minutes(CLOCK_SKEW_MINUTES) => {
                errors.push(FieldError::new(
                    "written_at",
                    "invalid_value",
                    "Thời điểm viết báo cáo không được ở tương lai.",
                ));
                None
            }
            Ok(t) if t < now - Duration::days(WRITTEN_REACH_DAYS) => {
                errors.push(FieldError::new(
                    "written_at",
                    "invalid_value",
                    "Báo cáo viết quá 30 ngày trước: hãy viết lại báo cáo mới.",
                ));
                None
            }
            Ok(t) => Some(t.min(now)),
            Err(_) => {
                errors.push(FieldError::new("written_at", "invalid_format", "Thời điểm theo dạng RFC 3339."));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(ReportInput { text, progress, files, written_at })
}

/// When and by whom a task was last marked done: the newest entry of its audit that moved its
/// status to `done` (none for a task seeded done).
fn last_done(
    conn: &mut DbConnection,
    commune_id: i64,
    task_id: i64,
) -> AppResult<Option<(NaiveDateTime, Option<i64>)>> {
    for e in crate::audit::repo::history(conn, commune_id, "task", &task_id.to_string(), 50)? {
        let summary: serde_json::Value = serde_json::from_str(&e.summary).unwrap_or_default();
        let status = |i: usize| summary["status"].get(i).and_then(serde_json::Value::as_str);
        let done = Some(TaskStatus::Done.as_str());
        if status(1) == done && status(0) != done {
            return Ok(Some((e.at, e.user_id)));
        }
    }
    Ok(None)
}

/// Posts a progress report with evidence: files are stored first (by content hash), then the
/// report, its attachments and the task's new progress are written in one transaction with the
/// audit entry; when that fails, blobs this call created are removed again.
pub fn add_report(
    conn: &mut DbConnection,
    caller: &Caller,
    storage: Arc<dyn Storage>,
    task_id: i64,
    input: ReportInput,
) -> AppResult<ProgressReport> {
    let actor = &caller.actor();
    let ReportInput { text, progress, files, written_at } = input;
    // Scope and rights first, so an out-of-scope caller stores nothing.
    {
        let (t, sup) = readable_task(conn, caller, task_id)?;
        rules::require_report(caller, t.lead_unit_id, &sup)?;
        require_open(conn, caller.commune()?, t.plan_id)?;
        if t.status == TaskStatus::Cancelled.as_str() {
            return Err(AppError::rule("task_cancelled", "Nhiệm vụ đã hủy, không nhận báo cáo."));
        }
    }
    let mut created = Vec::new();
    let mut stored = Vec::new();
    for f in &files {
        match storage.put_file(&f.file) {
            Ok((key, new)) => {
                if new {
                    created.push(key.clone());
                }
                stored.push(key);
            }
            Err(e) => {
                for k in &created {
                    let _ = storage.delete(k);
                }
                return Err(AppError::io("storage", e));
            }
        }
    }
    let commune_id = caller.commune()?;
    let result = write_tx(conn, |conn| {
        let (before, sup) = readable_task(conn, caller, task_id)?;
        rules::require_report(caller, before.lead_unit_id, &sup)?;
        require_open(conn, commune_id, before.plan_id)?;
        let now = Utc::now().naive_utc();
        let report = repo::insert_report(
            conn,
            &NewReport {
                task_id,
                author_id: caller.id,
                author_name: caller.full_name.clone(),
                unit_id: caller.unit_id,
                created_at: written_at.unwrap_or(now),
                text: text.trim().to_string(),
                progress,
            },
        )?;
        let mut attachments = Vec::new();
        for (f, key) in files.iter().zip(&stored) {
            let a = repo::insert_attachment(
                conn,
                &NewAttachment {
                    report_id: report.id,
                    task_id,
                    sha256: key.clone(),
                    file_name: f.file_name.clone(),
                    content_type: f.content_type.to_string(),
                    size: i64::try_from(f.file.size()).unwrap_or(i64::MAX),
                    created_at: now,
                },
            )?;
            attachments.push(Attachment::from(a));
        }
        let old_status = status_of(&before.status);
        // A report written before someone else marked the task done (it waited on a phone
        // meanwhile) is kept as written, and the task stays done: the newer decision wins. The
        // reporter's own later report still moves it (two reports queued in a row).
        let stale = match written_at {
            Some(w) if old_status == TaskStatus::Done => match last_done(conn, commune_id, task_id)? {
                Some((at, by)) => by != Some(caller.id) && w < at,
                None => w < repo::task_updated_at(conn, task_id)?,
            },
            _ => false,
        };
        let (status, new_progress) =
            if stale { (old_status, before.progress) } else { rules::reconcile(old_status, progress, false, true) };
        repo::update_task(
            conn,
            task_id,
            &TaskChanges {
                status: Some(status.as_str().to_string()),
                progress: Some(new_progress),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        record_entity(
            conn,
            actor,
            commune_id,
            "report",
            "task",
            task_id,
            json!({ "report_id": report.id, "progress": [before.progress, new_progress], "status": [before.status, status.as_str()], "files": attachments.len(), "written_before_done": stale }),
        )?;
        Ok(ProgressReport {
            id: report.id,
            task_id,
            author_id: report.author_id,
            author_name: report.author_name,
            unit_id: report.unit_id,
            created_at: report.created_at.and_utc(),
            text: report.text,
            progress: report.progress,
            attachments,
        })
    });
    if result.is_err() {
        for k in &created {
            // Only blobs no committed row points at.
            if matches!(repo::blob_uses(conn, k), Ok(0)) {
                let _ = storage.delete(k);
            }
        }
    }
    result
}

/// Adds a comment to a readable task (anyone who may read the task may comment).
pub fn add_comment(conn: &mut DbConnection, caller: &Caller, task_id: i64, input: CreateComment) -> AppResult<Comment> {
    let actor = &caller.actor();
    let mut v = Validator::new();
    v.text("text", &input.text, 1, 3000);
    v.finish()?;
    let commune_id = caller.commune()?;
    write_tx(conn, |conn| {
        let (task, _) = readable_task(conn, caller, task_id)?;
        require_open(conn, commune_id, task.plan_id)?;
        let row = repo::insert_comment(
            conn,
            &NewComment {
                task_id,
                author_id: caller.id,
                author_name: caller.full_name.clone(),
                created_at: Utc::now().naive_utc(),
                text: input.text.trim().to_string(),
            },
        )?;
        record_entity(conn, actor, commune_id, "comment", "task", task_id, json!({ "comment_id": row.id }))?;
        Ok(Comment::from(row))
    })
}

/// Reads an attachment for a caller who may read its task (else `NotFound`).
pub fn attachment(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<AttachmentRow> {
    let (a, t) = repo::get_attachment(conn, caller.commune()?, id)?;
    readable_task(conn, caller, t.id)?;
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorder_moves_and_renumbers() {
        let cur = [(10, 1), (11, 2), (12, 3)];
        assert_eq!(reorder(&cur, 12, 1), vec![(12, 1), (10, 2), (11, 3)]);
        assert_eq!(reorder(&cur, 10, 99), vec![(11, 1), (12, 2), (10, 3)]);
        assert!(reorder(&cur, 11, 2).is_empty());
    }
}
