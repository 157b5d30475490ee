//! Rolling a plan over to a later year.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::json;

use super::model::*;
use super::repo;
use crate::audit::{self, Actor};
use crate::calendar::engine::WorkCalendar;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::plans::model::{
    NewArea, NewPlan, NewPlanUnit, NewStep, NewTask, PlanChanges, PlanStatus, TaskPlace, TaskRow, TaskSource,
    TaskStatus,
};
use crate::plans::repo as plans;

/// How far a date moves at most to reach a working day (Tết is the longest run of days off).
const MAX_MOVE_DAYS: i64 = 21;

/// The same day `years` later (29 February becomes 28 February).
pub fn shift_years(d: NaiveDate, years: i32) -> NaiveDate {
    let y = d.year() + years;
    NaiveDate::from_ymd_opt(y, d.month(), d.day()).or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28)).unwrap_or(d)
}

fn is_day_off(cal: &WorkCalendar, d: NaiveDate) -> bool {
    cal.day(d).is_some_and(|i| !i.working)
}

/// `d`, or the first working day after it (a start date on a day off starts on the next
/// working day).
pub fn on_or_after(cal: &WorkCalendar, d: NaiveDate) -> NaiveDate {
    let mut x = d;
    while is_day_off(cal, x) && (x - d).num_days() < MAX_MOVE_DAYS {
        x += Duration::days(1);
    }
    if is_day_off(cal, x) { d } else { x }
}

/// `d`, or the last working day before it (a deadline on a day off falls due on the working
/// day before, so it never slips into the next year).
pub fn on_or_before(cal: &WorkCalendar, d: NaiveDate) -> NaiveDate {
    let mut x = d;
    while is_day_off(cal, x) && (d - x).num_days() < MAX_MOVE_DAYS {
        x -= Duration::days(1);
    }
    if is_day_off(cal, x) { d } else { x }
}

struct Shifter {
    cal: std::sync::Arc<WorkCalendar>,
    years: i32,
    moved: usize,
}

impl Shifter {
    fn start(&mut self, d: NaiveDate) -> NaiveDate {
        let s = shift_years(d, self.years);
        let w = on_or_after(&self.cal, s);
        self.moved += usize::from(w != s);
        w
    }

    fn due(&mut self, d: NaiveDate) -> NaiveDate {
        let s = shift_years(d, self.years);
        let w = on_or_before(&self.cal, s);
        self.moved += usize::from(w != s);
        w
    }
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// Copies plan `plan_id` into a draft plan for `input.year` (default: the next year) and
/// closes it. Refused when the plan was already rolled over.
pub fn roll_over(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    plan_id: i64,
    input: RollOverPlan,
) -> AppResult<RollOverResult> {
    write_tx(conn, |conn| {
        let old = plans::get_plan(conn, commune_id, plan_id)?;
        let year = input.year.unwrap_or(old.year + 1);
        let mut v = Validator::new();
        if year <= old.year || year > 2100 {
            v.add("year", "invalid_value", "Năm của kế hoạch mới phải sau năm của kế hoạch cũ (đến 2100).");
        }
        let tasks = plans::plan_tasks(conn, plan_id)?;
        let by_id: HashMap<i64, &TaskRow> = tasks.iter().map(|t| (t.id, t)).collect();
        let mut carry = BTreeSet::new();
        for (i, id) in input.carry_over_task_ids.iter().enumerate() {
            match by_id.get(id).map(|t| TaskStatus::parse(&t.status)) {
                Some(Some(TaskStatus::NotStarted | TaskStatus::InProgress)) => {
                    carry.insert(*id);
                }
                Some(_) => v.add(
                    &format!("carry_over_task_ids[{i}]"),
                    "task_finished",
                    "Chỉ chuyển tiếp được nhiệm vụ chưa hoàn thành.",
                ),
                None => {
                    v.add(&format!("carry_over_task_ids[{i}]"), "not_in_plan", "Nhiệm vụ không thuộc kế hoạch này.")
                }
            }
        }
        v.finish()?;
        if let Some(r) = repo::rolled_into(conn, plan_id)? {
            return Err(AppError::rule(
                "plan_already_rolled_over",
                format!("Kế hoạch này đã được chuyển sang năm sau (kế hoạch số {}).", r.plan_id),
            ));
        }
        let years = year - old.year;
        let first = NaiveDate::from_ymd_opt(old.year.min(year) - 1, 1, 1).unwrap_or_default();
        let last = NaiveDate::from_ymd_opt(year + 2, 12, 31).unwrap_or_default();
        // Dates of the old plan span its year and sometimes the next: the window covers both.
        let earliest = tasks.iter().map(|t| shift_years(t.start_date, years)).min().unwrap_or(first).min(first);
        let latest = tasks.iter().map(|t| shift_years(t.due_date, years)).max().unwrap_or(last).max(last);
        let cal = crate::calendar::service::load(
            conn,
            Some(commune_id),
            earliest - Duration::days(MAX_MOVE_DAYS),
            latest + Duration::days(MAX_MOVE_DAYS),
        )?;
        let mut shift = Shifter { cal, years, moved: 0 };
        let now = Utc::now().naive_utc();
        let (from_year, to_year) = (old.year.to_string(), year.to_string());
        let new_plan = plans::insert_plan(
            conn,
            &NewPlan {
                commune_id,
                number: old.number.replace(&from_year, &to_year),
                title: old.title.replace(&from_year, &to_year),
                title_search: old.title_search.replace(&from_year, &to_year),
                model_name: old.model_name.clone(),
                year,
                issuing_unit_id: old.issuing_unit_id,
                issued_on: None,
                legal_bases: old.legal_bases.clone(),
                purposes: old.purposes.clone(),
                status: PlanStatus::Draft.as_str().to_string(),
                created_at: now,
                updated_at: now,
            },
        )?;
        for u in plans::plan_units(conn, plan_id)? {
            plans::insert_plan_unit(
                conn,
                &NewPlanUnit {
                    plan_id: new_plan.id,
                    unit_id: u.unit_id,
                    position: u.position,
                    role_in_plan: u.role_in_plan,
                    duties: u.duties,
                },
            )?;
        }
        let mut areas = HashMap::new();
        for a in plans::areas(conn, &[plan_id])? {
            let n = plans::insert_area(
                conn,
                &NewArea {
                    plan_id: new_plan.id,
                    position: a.position,
                    title: a.title,
                    expected_outcome: a.expected_outcome,
                    weight: a.weight,
                    created_at: now,
                    updated_at: now,
                    section: a.section,
                },
            )?;
            areas.insert(a.id, n.id);
        }
        let mut steps = HashMap::new();
        for s in plans::steps(conn, plan_id)? {
            // Like a task's: a one-day step on a day off (26/4 on a Sunday) starts on the next
            // working day, and its deadline is not left before its start.
            let start = s.start_date.map(|d| shift.start(d));
            let due = s.due_date.map(|d| shift.due(d)).map(|d| start.map_or(d, |st| d.max(st)));
            let n = plans::insert_step(
                conn,
                &NewStep {
                    plan_id: new_plan.id,
                    position: s.position,
                    title: s.title.replace(&from_year, &to_year),
                    description: s.description,
                    start_date: start,
                    due_date: due,
                    status: TaskStatus::NotStarted.as_str().to_string(),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            steps.insert(s.id, n.id);
        }
        let mut copied = 0;
        let mut carried_over = Vec::new();
        for t in &tasks {
            if t.status == TaskStatus::Cancelled.as_str() {
                continue;
            }
            let Some(&area) = areas.get(&t.content_area_id) else { continue };
            let continues = carry.contains(&t.id);
            let start = shift.start(t.start_date);
            let due = shift.due(t.due_date).max(start);
            let description = if continues {
                let note =
                    format!("Tiếp tục nhiệm vụ chưa hoàn thành của kế hoạch năm {} (đạt {} %).", old.year, t.progress);
                if t.description.trim().is_empty() { note } else { format!("{}\n\n{note}", t.description) }
            } else {
                t.description.clone()
            };
            let n = plans::insert_task(
                conn,
                &NewTask {
                    weight: t.weight,
                    reporting_cadence: t.reporting_cadence.clone(),
                    source: t.source.clone(),
                    ..NewTask::not_started(
                        TaskPlace {
                            commune_id,
                            plan_id: new_plan.id,
                            content_area_id: area,
                            step_id: t.step_id.and_then(|s| steps.get(&s).copied()),
                            position: t.position,
                            start_date: start,
                            due_date: due,
                        },
                        t.title.clone(),
                        description,
                        t.lead_unit_id,
                        now,
                        TaskSource::Plan,
                    )
                },
            )?;
            let supporting = t.supporting_unit_ids();
            if !supporting.is_empty() {
                plans::set_supporting_units(conn, n.id, &supporting)?;
            }
            if continues {
                repo::insert_continuation(conn, &ContinuationRow { task_id: n.id, continues_task_id: t.id })?;
                carried_over.push(Continuation { task_id: n.id, continues_task_id: t.id });
            }
            copied += 1;
        }
        let by = actor.username.clone().unwrap_or_else(|| "system".into());
        let carried = i32::try_from(carried_over.len()).map_err(internal)?;
        repo::insert_rollover(
            conn,
            &RolloverRow {
                plan_id: new_plan.id,
                from_plan_id: plan_id,
                carried_over: carried,
                created_by: by,
                created_at: now,
            },
        )?;
        if old.status != PlanStatus::Closed.as_str() {
            plans::update_plan(
                conn,
                plan_id,
                &PlanChanges {
                    status: Some(PlanStatus::Closed.as_str().to_string()),
                    updated_at: Some(now),
                    ..PlanChanges::default()
                },
            )?;
            audit::repo::record_entity(
                conn,
                actor,
                commune_id,
                "update",
                "plan",
                plan_id,
                json!({ "status": [old.status, "closed"], "rolled_into": new_plan.id }),
            )?;
        }
        let result = RollOverResult {
            plan_id: new_plan.id,
            from_plan_id: plan_id,
            year,
            areas: areas.len(),
            steps: steps.len(),
            tasks: copied,
            dates_moved: shift.moved,
            carried_over,
        };
        audit::repo::record_entity(
            conn,
            actor,
            commune_id,
            "roll_over",
            "plan",
            new_plan.id,
            json!({
                "from_plan_id": plan_id,
                "year": year,
                "tasks": copied,
                "carried_over": result.carried_over.iter().map(|c| c.continues_task_id).collect::<Vec<_>>(),
            }),
        )?;
        Ok(result)
    })
}

/// Where plan `plan_id` comes from and went.
pub fn lineage(conn: &mut DbConnection, commune_id: i64, plan_id: i64) -> AppResult<PlanLineage> {
    plans::get_plan(conn, commune_id, plan_id)?;
    let from = repo::rolled_from(conn, plan_id)?;
    let into = repo::rolled_into(conn, plan_id)?;
    let ids: Vec<i64> = plans::plan_tasks(conn, plan_id)?.iter().map(|t| t.id).collect();
    let continuations = repo::continuations(conn, &ids)?
        .into_iter()
        .map(|c| Continuation { task_id: c.task_id, continues_task_id: c.continues_task_id })
        .collect();
    Ok(PlanLineage {
        plan_id,
        rolled_from: from.map(|r| r.from_plan_id),
        rolled_into: into.map(|r| r.plan_id),
        continuations,
    })
}

/// Whether plan `plan_id` was rolled over into a later plan (then it is read-only).
pub fn is_rolled_over(conn: &mut DbConnection, plan_id: i64) -> AppResult<bool> {
    Ok(repo::rolled_into(conn, plan_id)?.is_some())
}
