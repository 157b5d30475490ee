//! All SQL of plans and tasks. Every query is scoped to the caller's commune (plans and tasks
//! carry `commune_id`; areas and steps are reached through their plan); rows of another
//! commune are `NotFound`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;

use super::model::*;
use crate::db::schema::{
    communes, content_areas, plan_steps, plan_units, plans, progress_reports, task_attachments, task_comments,
    task_units, tasks,
};
use crate::db::{DbConnection, search_pattern};
use crate::http::Paging;

/// Not done and not cancelled, as two fixed comparisons: an `IN` over a list has a variable
/// number of binds, and diesel then prepares the statement again on every call.
fn is_open()
-> diesel::dsl::Or<diesel::dsl::Eq<tasks::status, &'static str>, diesel::dsl::Eq<tasks::status, &'static str>> {
    tasks::status.eq("not_started").or(tasks::status.eq("in_progress"))
}

// ---- plans ----

pub fn get_plan(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<PlanRow> {
    plans::table
        .filter(plans::id.eq(id))
        .filter(plans::commune_id.eq(commune_id))
        .select(PlanRow::as_select())
        .first(conn)
}

/// The revision of plan `id` of this commune (`None`: no such plan in this commune).
pub fn plan_revision(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<Option<i64>> {
    plans::table
        .filter(plans::id.eq(id))
        .filter(plans::commune_id.eq(commune_id))
        .select(plans::revision)
        .first(conn)
        .optional()
}

pub fn list_plans(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &PlanFilter,
    paging: Paging,
) -> QueryResult<(Vec<PlanRow>, i64)> {
    let pattern = search_pattern(f.q.as_deref());
    let filtered = || {
        let mut q = plans::table.filter(plans::commune_id.eq(commune_id)).into_boxed();
        if let Some(y) = f.year {
            q = q.filter(plans::year.eq(y));
        }
        if let Some(s) = f.status {
            q = q.filter(plans::status.eq(s.as_str()));
        }
        if let Some(p) = &pattern {
            q = q.filter(plans::title_search.like(p.clone()).escape('\\'));
        }
        q
    };
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(),
        order = (plans::year.desc(), plans::id.desc()),
        select = PlanRow::as_select()
    ))
}

pub fn insert_plan(conn: &mut DbConnection, new: &NewPlan) -> QueryResult<PlanRow> {
    diesel::insert_into(plans::table).values(new).returning(plans::all_columns).get_result(conn)
}

pub fn update_plan(conn: &mut DbConnection, id: i64, changes: &PlanChanges) -> QueryResult<PlanRow> {
    diesel::update(plans::table.find(id)).set(changes).returning(plans::all_columns).get_result(conn)
}

/// A plan of this commune with this exact title and year, if any (demo seeding).
pub fn find_plan(conn: &mut DbConnection, commune_id: i64, title: &str, year: i32) -> QueryResult<Option<PlanRow>> {
    plans::table
        .filter(plans::commune_id.eq(commune_id))
        .filter(plans::title.eq(title))
        .filter(plans::year.eq(year))
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

/// `(id, name)` of every commune (the import command picks one).
pub fn communes(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    communes::table.order(communes::id).select((communes::id, communes::name)).load(conn)
}

pub fn plan_units(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<PlanUnitRow>> {
    plan_units::table
        .filter(plan_units::plan_id.eq(plan_id))
        .order(plan_units::position)
        .select(PlanUnitRow::as_select())
        .load(conn)
}

pub fn insert_plan_unit(conn: &mut DbConnection, new: &NewPlanUnit) -> QueryResult<usize> {
    diesel::insert_into(plan_units::table).values(new).execute(conn)
}

/// Per plan, per area, per status and progress: (plan, area, status, progress, Σweight, n).
pub type ProgressGroup = (i64, i64, String, i32, Option<f64>, i64);

/// Grouped task weights of some plans, for their progress.
pub fn progress_groups(conn: &mut DbConnection, plan_ids: &[i64]) -> QueryResult<Vec<ProgressGroup>> {
    tasks::table
        .filter(tasks::plan_id.eq_any(plan_ids))
        .group_by((tasks::plan_id, tasks::content_area_id, tasks::status, tasks::progress))
        .select((
            tasks::plan_id,
            tasks::content_area_id,
            tasks::status,
            tasks::progress,
            sum(tasks::weight),
            count_star(),
        ))
        .load(conn)
}

/// The light columns of every task of a plan, for the overview's roll-up:
/// (area, step, status, progress, weight, due date).
pub type RollupRow = (i64, Option<i64>, TaskStatus, i32, f64, NaiveDate);

pub fn rollup_rows(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<RollupRow>> {
    // The status comes back as three comparisons rather than as text: no string per task.
    type Raw = (i64, Option<i64>, bool, bool, bool, i32, f64, crate::db::fast_time::Day);
    let rows: Vec<Raw> = tasks::table
        .filter(tasks::plan_id.eq(plan_id))
        .select((
            tasks::content_area_id,
            tasks::step_id,
            tasks::status.eq(TaskStatus::NotStarted.as_str()),
            tasks::status.eq(TaskStatus::InProgress.as_str()),
            tasks::status.eq(TaskStatus::Done.as_str()),
            tasks::progress,
            tasks::weight,
            tasks::due_date,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, s, not_started, in_progress, done, p, w, d)| {
            let status = match (not_started, in_progress, done) {
                (true, _, _) => TaskStatus::NotStarted,
                (_, true, _) => TaskStatus::InProgress,
                (_, _, true) => TaskStatus::Done,
                _ => TaskStatus::Cancelled,
            };
            (a, s, status, p, w, d.0)
        })
        .collect())
}

// ---- areas and steps ----

pub fn areas(conn: &mut DbConnection, plan_ids: &[i64]) -> QueryResult<Vec<AreaRow>> {
    // One plan (most callers) with a fixed statement; `IN (…)` is prepared on every call.
    if let [plan_id] = plan_ids {
        return content_areas::table
            .filter(content_areas::plan_id.eq(*plan_id))
            .order((content_areas::plan_id, content_areas::position, content_areas::id))
            .select(AreaRow::as_select())
            .load(conn);
    }
    content_areas::table
        .filter(content_areas::plan_id.eq_any(plan_ids))
        .order((content_areas::plan_id, content_areas::position, content_areas::id))
        .select(AreaRow::as_select())
        .load(conn)
}

/// An area whose plan belongs to this commune.
pub fn get_area(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<AreaRow> {
    content_areas::table
        .inner_join(plans::table)
        .filter(content_areas::id.eq(id))
        .filter(plans::commune_id.eq(commune_id))
        .select(AreaRow::as_select())
        .first(conn)
}

pub fn insert_area(conn: &mut DbConnection, new: &NewArea) -> QueryResult<AreaRow> {
    diesel::insert_into(content_areas::table).values(new).returning(content_areas::all_columns).get_result(conn)
}

pub fn update_area(conn: &mut DbConnection, id: i64, changes: &AreaChanges) -> QueryResult<AreaRow> {
    diesel::update(content_areas::table.find(id)).set(changes).returning(content_areas::all_columns).get_result(conn)
}

pub fn set_area_position(conn: &mut DbConnection, id: i64, position: i32) -> QueryResult<usize> {
    diesel::update(content_areas::table.find(id)).set(content_areas::position.eq(position)).execute(conn)
}

pub fn steps(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<StepRow>> {
    plan_steps::table
        .filter(plan_steps::plan_id.eq(plan_id))
        .order((plan_steps::position, plan_steps::id))
        .select(StepRow::as_select())
        .load(conn)
}

/// A step whose plan belongs to this commune.
pub fn get_step(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<StepRow> {
    plan_steps::table
        .inner_join(plans::table)
        .filter(plan_steps::id.eq(id))
        .filter(plans::commune_id.eq(commune_id))
        .select(StepRow::as_select())
        .first(conn)
}

pub fn insert_step(conn: &mut DbConnection, new: &NewStep) -> QueryResult<StepRow> {
    diesel::insert_into(plan_steps::table).values(new).returning(plan_steps::all_columns).get_result(conn)
}

pub fn update_step(conn: &mut DbConnection, id: i64, changes: &StepChanges) -> QueryResult<StepRow> {
    diesel::update(plan_steps::table.find(id)).set(changes).returning(plan_steps::all_columns).get_result(conn)
}

pub fn set_step_position(conn: &mut DbConnection, id: i64, position: i32) -> QueryResult<usize> {
    diesel::update(plan_steps::table.find(id)).set(plan_steps::position.eq(position)).execute(conn)
}

// ---- tasks ----

/// Where a task list looks.
#[derive(Debug, Clone, Copy)]
pub enum TaskSet {
    /// The tasks of one plan.
    Plan(i64),
    /// Tasks of the commune's active plans.
    ActivePlans,
}

/// Lists tasks; for [`TaskSet::Plan`] the caller has checked that the plan is the commune's.
/// `unit_scope` restricts to tasks that unit leads or supports (village users,
/// `tasks/mine`); `today` is the commune's date for the overdue filter.
pub fn list_tasks(
    conn: &mut DbConnection,
    commune_id: i64,
    set: TaskSet,
    unit_scope: Option<i64>,
    f: &TaskFilter,
    today: NaiveDate,
    paging: Paging,
) -> QueryResult<(Vec<TaskRow>, i64)> {
    let pattern = search_pattern(f.q.as_deref());
    let filtered = || {
        // Scope comes from the plan (checked to be the commune's by the caller, or chosen from
        // the commune's plans here); no `commune_id` filter, or SQLite would pick that index
        // and walk every task of the commune.
        let mut q = tasks::table.into_boxed();
        match set {
            TaskSet::Plan(p) => q = q.filter(tasks::plan_id.eq(p)),
            TaskSet::ActivePlans => {
                q = q.filter(
                    tasks::plan_id.eq_any(
                        plans::table
                            .filter(plans::commune_id.eq(commune_id))
                            .filter(plans::status.eq(PlanStatus::Active.as_str()))
                            .select(plans::id),
                    ),
                )
            }
        }
        for u in [unit_scope, f.unit_id].into_iter().flatten() {
            q =
                q.filter(tasks::lead_unit_id.eq(u).or(
                    tasks::id.eq_any(task_units::table.filter(task_units::unit_id.eq(u)).select(task_units::task_id)),
                ));
        }
        if let Some(s) = f.status {
            q = q.filter(tasks::status.eq(s.as_str()));
        }
        match f.overdue {
            Some(true) => q = q.filter(is_open()).filter(tasks::due_date.lt(today)),
            Some(false) => q = q.filter(is_open().eq(false).or(tasks::due_date.ge(today))),
            None => {}
        }
        if f.due_soon == Some(true) {
            q = q
                .filter(is_open())
                .filter(tasks::due_date.between(today, today + chrono::Duration::days(super::rules::DUE_SOON_DAYS)));
        }
        if let Some(s) = f.step_id {
            q = q.filter(tasks::step_id.eq(s));
        }
        if let Some(a) = f.content_area_id {
            q = q.filter(tasks::content_area_id.eq(a));
        }
        if let Some(p) = &pattern {
            q = q.filter(tasks::search.like(p.clone()).escape('\\'));
        }
        q
    };
    let q = filtered();
    let q = match f.sort.unwrap_or_default() {
        TaskSort::Position => q.order((tasks::plan_id, tasks::content_area_id, tasks::position, tasks::id)),
        TaskSort::DueDate => q.order((tasks::due_date, tasks::id)),
        TaskSort::DueDateDesc => q.order((tasks::due_date.desc(), tasks::id)),
        TaskSort::Progress => q.order((tasks::progress, tasks::id)),
        TaskSort::ProgressDesc => q.order((tasks::progress.desc(), tasks::id)),
        TaskSort::Title => q.order((tasks::search, tasks::id)),
        TaskSort::UpdatedDesc => q.order((tasks::updated_at.desc(), tasks::id)),
    };
    // The page and the count of every matching row in one statement: the count is an
    // uncorrelated subquery, which both engines run once (a `COUNT(*) OVER ()` window would
    // read every matching row in full before LIMIT).
    let total_column = filtered().count().single_value();
    let rows: Vec<(TaskRow, Option<i64>)> =
        q.limit(paging.per_page).offset(paging.offset()).select((TaskRow::as_select(), total_column)).load(conn)?;
    let total = match rows.first() {
        Some((_, n)) => n.unwrap_or(0),
        // Past the last page there is no row to carry the count.
        None if paging.offset() > 0 => filtered().count().get_result(conn)?,
        None => 0,
    };
    Ok((rows.into_iter().map(|(t, _)| t).collect(), total))
}

/// Open tasks of a plan due within [`from`, `to`], by due date (the overview's overdue list
/// passes the first representable day as `from`). Two fixed query shapes, with and without
/// the unit scope, so both statements stay prepared.
pub fn due_tasks(
    conn: &mut DbConnection,
    plan_id: i64,
    unit_scope: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<TaskRow>> {
    let base =
        tasks::table.filter(tasks::plan_id.eq(plan_id)).filter(is_open()).filter(tasks::due_date.between(from, to));
    match unit_scope {
        None => base.order((tasks::due_date, tasks::id)).limit(limit).select(TaskRow::as_select()).load(conn),
        Some(u) => base
            .filter(
                tasks::lead_unit_id
                    .eq(u)
                    .or(tasks::id
                        .eq_any(task_units::table.filter(task_units::unit_id.eq(u)).select(task_units::task_id))),
            )
            .order((tasks::due_date, tasks::id))
            .limit(limit)
            .select(TaskRow::as_select())
            .load(conn),
    }
}

/// A task of this commune (scope by unit is decided by the caller with its supporting units).
pub fn get_task(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<TaskRow> {
    tasks::table
        .filter(tasks::id.eq(id))
        .filter(tasks::commune_id.eq(commune_id))
        .select(TaskRow::as_select())
        .first(conn)
}

/// Tasks of the given ids in this commune (a bulk update; the titles of tasks other records name).
pub fn tasks_by_ids(conn: &mut DbConnection, commune_id: i64, ids: &[i64]) -> QueryResult<Vec<TaskRow>> {
    tasks::table
        .filter(tasks::commune_id.eq(commune_id))
        .filter(tasks::id.eq_any(ids))
        .select(TaskRow::as_select())
        .load(conn)
}

/// Every task of a plan in plan order (exports).
pub fn plan_tasks(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<TaskRow>> {
    tasks::table
        .filter(tasks::plan_id.eq(plan_id))
        .order((tasks::content_area_id, tasks::position, tasks::id))
        .select(TaskRow::as_select())
        .load(conn)
}

/// The columns of [`TaskRow`], in its order, for `RETURNING` (the multi-engine connection
/// takes a column tuple there, not `as_returning()`): the tuple's type and its value from one
/// list.
macro_rules! task_row_columns {
    ($($column:ident),+ $(,)?) => {
        type TaskRowColumns = ($(tasks::$column,)+);
        const TASK_ROW_COLUMNS: TaskRowColumns = ($(tasks::$column,)+);
    };
}
task_row_columns!(
    id,
    commune_id,
    plan_id,
    content_area_id,
    step_id,
    position,
    title,
    description,
    lead_unit_id,
    start_date,
    due_date,
    weight,
    status,
    progress,
    reporting_cadence,
    supporting_units,
    source,
);

pub fn insert_task(conn: &mut DbConnection, new: &NewTask) -> QueryResult<TaskRow> {
    diesel::insert_into(tasks::table).values(new).returning(TASK_ROW_COLUMNS).get_result(conn)
}

pub fn update_task(conn: &mut DbConnection, id: i64, changes: &TaskChanges) -> QueryResult<TaskRow> {
    diesel::update(tasks::table.find(id)).set(changes).returning(TASK_ROW_COLUMNS).get_result(conn)
}

/// Next free position at the end of an area.
pub fn next_task_position(conn: &mut DbConnection, area_id: i64) -> QueryResult<i32> {
    let max: Option<i32> = tasks::table
        .filter(tasks::content_area_id.eq(area_id))
        .select(diesel::dsl::max(tasks::position))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Replaces a task's supporting units (triggers copy them into `tasks.supporting_units`).
pub fn set_supporting_units(conn: &mut DbConnection, task_id: i64, unit_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(task_units::table.filter(task_units::task_id.eq(task_id))).execute(conn)?;
    for u in unit_ids {
        diesel::insert_into(task_units::table)
            .values((task_units::task_id.eq(task_id), task_units::unit_id.eq(*u)))
            .execute(conn)?;
    }
    Ok(())
}

/// When each task was reported on: (task, created_at UTC).
pub fn report_times(conn: &mut DbConnection, task_ids: &[i64]) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    progress_reports::table
        .filter(progress_reports::task_id.eq_any(task_ids))
        .select((progress_reports::task_id, progress_reports::created_at))
        .load(conn)
}

// ---- reports, attachments, comments ----

pub fn reports(conn: &mut DbConnection, task_id: i64) -> QueryResult<Vec<(ReportRow, Vec<AttachmentRow>)>> {
    let rows: Vec<ReportRow> = progress_reports::table
        .filter(progress_reports::task_id.eq(task_id))
        .order((progress_reports::created_at.desc(), progress_reports::id.desc()))
        .select(ReportRow::as_select())
        .load(conn)?;
    let files: Vec<AttachmentRow> = task_attachments::table
        .filter(task_attachments::task_id.eq(task_id))
        .order(task_attachments::id)
        .select(AttachmentRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = files.iter().filter(|f| f.report_id == r.id).cloned().collect();
            (r, mine)
        })
        .collect())
}

/// When a task was last changed.
pub fn task_updated_at(conn: &mut DbConnection, id: i64) -> QueryResult<NaiveDateTime> {
    tasks::table.find(id).select(tasks::updated_at).first(conn)
}

pub fn insert_report(conn: &mut DbConnection, new: &NewReport) -> QueryResult<ReportRow> {
    diesel::insert_into(progress_reports::table).values(new).returning(progress_reports::all_columns).get_result(conn)
}

pub fn insert_attachment(conn: &mut DbConnection, new: &NewAttachment) -> QueryResult<AttachmentRow> {
    diesel::insert_into(task_attachments::table).values(new).returning(task_attachments::all_columns).get_result(conn)
}

/// An attachment with its task, when the task belongs to this commune.
pub fn get_attachment(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<(AttachmentRow, TaskRow)> {
    let a: AttachmentRow =
        task_attachments::table.filter(task_attachments::id.eq(id)).select(AttachmentRow::as_select()).first(conn)?;
    let t = get_task(conn, commune_id, a.task_id)?;
    Ok((a, t))
}

/// How many attachments point at a stored blob (before deleting an orphan).
pub fn blob_uses(conn: &mut DbConnection, sha256: &str) -> QueryResult<i64> {
    task_attachments::table.filter(task_attachments::sha256.eq(sha256)).count().get_result(conn)
}

pub fn comments(conn: &mut DbConnection, task_id: i64) -> QueryResult<Vec<CommentRow>> {
    task_comments::table
        .filter(task_comments::task_id.eq(task_id))
        .order((task_comments::created_at, task_comments::id))
        .select(CommentRow::as_select())
        .load(conn)
}

pub fn insert_comment(conn: &mut DbConnection, new: &NewComment) -> QueryResult<CommentRow> {
    diesel::insert_into(task_comments::table).values(new).returning(task_comments::all_columns).get_result(conn)
}

/// The tasks of a content area as (id, position), in order.
pub fn task_positions(conn: &mut DbConnection, area_id: i64) -> QueryResult<Vec<(i64, i32)>> {
    tasks::table
        .filter(tasks::content_area_id.eq(area_id))
        .order((tasks::position, tasks::id))
        .select((tasks::id, tasks::position))
        .load(conn)
}

/// Moves a task to a position within its area.
pub fn set_task_position(conn: &mut DbConnection, id: i64, position: i32) -> QueryResult<()> {
    diesel::update(tasks::table.find(id)).set(tasks::position.eq(position)).execute(conn).map(|_| ())
}
