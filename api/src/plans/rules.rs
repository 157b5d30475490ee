//! The rules of plans and tasks that need no database: who may see and change what, the
//! commune's "today", overdue, roll-up means, reporting periods, status/progress consistency.

use chrono::{Datelike, Duration, NaiveDate};

use super::model::{Cadence, Period, PlanStatus, TaskStatus};
use crate::auth::{Caller, Permission};
use crate::error::{AppError, AppResult};
use crate::org::model::Role;

/// A task is "due soon" when its due date is within this many days from today.
pub const DUE_SOON_DAYS: i64 = 7;

/// Due date passed and the task is still open.
pub fn is_overdue(status: TaskStatus, due: NaiveDate, today: NaiveDate) -> bool {
    matches!(status, TaskStatus::NotStarted | TaskStatus::InProgress) && due < today
}

/// Still open and due within [`DUE_SOON_DAYS`] (today included).
pub fn is_due_soon(status: TaskStatus, due: NaiveDate, today: NaiveDate) -> bool {
    matches!(status, TaskStatus::NotStarted | TaskStatus::InProgress)
        && due >= today
        && due <= today + Duration::days(DUE_SOON_DAYS)
}

/// Weighted mean of `(weight, value)` pairs, rounded to one decimal; `None` when empty.
pub fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    exact_weighted_mean(items).map(one_decimal)
}

/// The weighted mean unrounded: what a mean of means is taken over, so the plan's figure is
/// the same whether its areas are shown rounded or not.
pub fn exact_weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut sum, mut weights) = (0.0, 0.0);
    for (w, v) in items {
        sum += w * v;
        weights += w;
    }
    (weights > 0.0).then(|| sum / weights)
}

/// A percentage as it is shown: one decimal.
pub fn one_decimal(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Whether the caller may report on (and change status/progress of) a task: the board on
/// every task, other reporting roles on tasks their unit leads or supports.
pub fn can_report(caller: &Caller, lead_unit_id: i64, supporting: &[i64]) -> bool {
    if !caller.may(Permission::ReportTasks) {
        return false;
    }
    if caller.role == Role::Board {
        return true;
    }
    caller.unit_id.is_some_and(|u| u == lead_unit_id || supporting.contains(&u))
}

/// Whether the caller may read a task at all (else it is 404 for them): village heads read
/// the tasks their village leads or supports.
pub fn can_read_task(caller: &Caller, lead_unit_id: i64, supporting: &[i64]) -> bool {
    match caller.unit_scope() {
        Some(u) => u == lead_unit_id || supporting.contains(&u),
        None => true,
    }
}

/// 403 unless the caller may change status and progress of this task.
pub fn require_report(caller: &Caller, lead_unit_id: i64, supporting: &[i64]) -> AppResult<()> {
    if can_report(caller, lead_unit_id, supporting) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A closed plan is read-only: its structure, tasks, reports and comments refuse every write
/// until the board reopens it (a plan rolled over to the next year cannot be reopened).
pub fn require_open_plan(status: &str) -> AppResult<()> {
    if status == PlanStatus::Closed.as_str() {
        return Err(AppError::rule(
            "plan_closed",
            "Kế hoạch đã kết thúc nên chỉ còn để xem; muốn sửa hoặc báo cáo, Ban điều hành phải mở lại kế hoạch.",
        ));
    }
    Ok(())
}

/// Cancelling a task takes it out of every roll-up, so only those who edit the plan (the board,
/// the administrator) cancel a task or reopen a cancelled one; a unit that reports on the task
/// (a village head, the Front, UBND) moves it between the other states only.
pub fn require_cancel_right(caller: &Caller, from: TaskStatus, to: TaskStatus) -> AppResult<()> {
    let touches_cancel = from != to && (from == TaskStatus::Cancelled || to == TaskStatus::Cancelled);
    if touches_cancel && !caller.may(Permission::EditPlans) {
        return Err(AppError::rule(
            "task_cancel_board_only",
            "Chỉ Ban điều hành được hủy nhiệm vụ hoặc mở lại nhiệm vụ đã hủy.",
        ));
    }
    Ok(())
}

/// Brings status and progress into agreement after a change: progress 100 means done, a done
/// task is at 100, any progress starts a task. Cancelled stays cancelled.
pub fn reconcile(status: TaskStatus, progress: i32, status_given: bool, progress_given: bool) -> (TaskStatus, i32) {
    match status {
        TaskStatus::Cancelled => (status, progress),
        TaskStatus::Done if status_given && !progress_given => (TaskStatus::Done, 100),
        TaskStatus::Done if progress < 100 => (TaskStatus::InProgress, progress),
        _ if progress >= 100 => (TaskStatus::Done, 100),
        TaskStatus::NotStarted if progress > 0 => (TaskStatus::InProgress, progress),
        _ => (status, progress),
    }
}

/// The start of the reporting period containing `d`.
fn period_start(cadence: Cadence, d: NaiveDate) -> NaiveDate {
    match cadence {
        Cadence::Weekly => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
        Cadence::Monthly => d.with_day(1).unwrap_or(d),
        Cadence::Quarterly => {
            let m = (d.month0() / 3) * 3 + 1;
            NaiveDate::from_ymd_opt(d.year(), m, 1).unwrap_or(d)
        }
    }
}

fn next_period(cadence: Cadence, start: NaiveDate) -> NaiveDate {
    match cadence {
        Cadence::Weekly => start + Duration::days(7),
        Cadence::Monthly => start.checked_add_months(chrono::Months::new(1)).unwrap_or(start + Duration::days(31)),
        Cadence::Quarterly => start.checked_add_months(chrono::Months::new(3)).unwrap_or(start + Duration::days(92)),
    }
}

fn label(cadence: Cadence, start: NaiveDate) -> String {
    match cadence {
        Cadence::Weekly => {
            let w = start.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Cadence::Monthly => format!("{}-{:02}", start.year(), start.month()),
        Cadence::Quarterly => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
    }
}

/// At most this many periods are listed (the most recent ones).
pub const MAX_PERIODS: usize = 60;

/// Reporting periods of a task that have ended (before `today`, not after its due date's
/// period) without a report dated inside them. `report_dates` are commune-local dates.
pub fn missing_periods(
    cadence: Cadence,
    start: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
    report_dates: &[NaiveDate],
) -> Vec<Period> {
    let mut out = Vec::new();
    let mut p = period_start(cadence, start);
    while p <= due {
        let next = next_period(cadence, p);
        let end = next - Duration::days(1);
        if end >= today {
            break;
        }
        if !report_dates.iter().any(|d| *d >= p && *d <= end) {
            out.push(Period { label: label(cadence, p), start: p, end });
        }
        p = next;
    }
    if out.len() > MAX_PERIODS {
        out.drain(..out.len() - MAX_PERIODS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn overdue_and_due_soon() {
        let today = d("2023-06-10");
        assert!(is_overdue(TaskStatus::InProgress, d("2023-06-09"), today));
        assert!(!is_overdue(TaskStatus::InProgress, d("2023-06-10"), today));
        assert!(!is_overdue(TaskStatus::Done, d("2023-06-01"), today));
        assert!(!is_overdue(TaskStatus::Cancelled, d("2023-06-01"), today));
        assert!(is_due_soon(TaskStatus::NotStarted, d("2023-06-17"), today));
        assert!(!is_due_soon(TaskStatus::NotStarted, d("2023-06-18"), today));
    }

    #[test]
    fn weighted_means() {
        assert_eq!(weighted_mean([(1.0, 100.0), (3.0, 0.0)]), Some(25.0));
        assert_eq!(weighted_mean([(2.0, 50.0)]), Some(50.0));
        assert_eq!(weighted_mean(std::iter::empty()), None);
        assert_eq!(weighted_mean([(1.0, 1.0), (2.0, 0.0)]), Some(0.3));
        // A mean of means is taken over the exact ones: areas at 10.04, 10.04 and 10.08 make
        // 10.05…, shown 10.1; over their rounded figures (10.0, 10.0, 10.1) it would read 10.0.
        let areas = [(1.0, 10.04), (1.0, 10.04), (1.0, 10.08)];
        assert_eq!(weighted_mean(areas), Some(10.1));
        assert_eq!(weighted_mean(areas.map(|(w, v)| (w, one_decimal(v)))), Some(10.0));
        assert!(exact_weighted_mean(areas).is_some_and(|m| (m - 10.053_333).abs() < 1e-5));
    }

    #[test]
    fn status_follows_progress() {
        assert_eq!(reconcile(TaskStatus::NotStarted, 30, false, true), (TaskStatus::InProgress, 30));
        assert_eq!(reconcile(TaskStatus::InProgress, 100, false, true), (TaskStatus::Done, 100));
        assert_eq!(reconcile(TaskStatus::Done, 40, true, false), (TaskStatus::Done, 100));
        assert_eq!(reconcile(TaskStatus::Done, 40, false, true), (TaskStatus::InProgress, 40));
        assert_eq!(reconcile(TaskStatus::Cancelled, 40, true, false), (TaskStatus::Cancelled, 40));
    }

    fn caller(role: Role) -> Caller {
        Caller {
            id: 1,
            username: "u".into(),
            full_name: "U".into(),
            role,
            commune_id: Some(1),
            unit_id: Some(5),
            authority_id: None,
            key: None,
            request_id: "r".into(),
            ip: "127.0.0.1".into(),
        }
    }

    #[test]
    fn only_plan_editors_cancel_or_reopen() {
        use TaskStatus::*;
        for role in [Role::Village, Role::Front, Role::Ubnd] {
            let c = caller(role);
            assert!(require_cancel_right(&c, InProgress, Cancelled).is_err(), "{role:?} cancels");
            assert!(require_cancel_right(&c, Cancelled, InProgress).is_err(), "{role:?} reopens");
            assert!(require_cancel_right(&c, NotStarted, Done).is_ok());
            assert!(require_cancel_right(&c, Cancelled, Cancelled).is_ok());
        }
        for role in [Role::Board, Role::Admin] {
            assert!(require_cancel_right(&caller(role), InProgress, Cancelled).is_ok());
            assert!(require_cancel_right(&caller(role), Cancelled, NotStarted).is_ok());
        }
    }

    #[test]
    fn monthly_periods_without_reports() {
        let missing =
            missing_periods(Cadence::Monthly, d("2023-05-01"), d("2023-12-31"), d("2023-08-15"), &[d("2023-06-03")]);
        let labels: Vec<_> = missing.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2023-05", "2023-07"]);
        assert_eq!(missing[1].end, d("2023-07-31"));
    }

    #[test]
    fn weekly_and_quarterly_periods() {
        let w = missing_periods(Cadence::Weekly, d("2023-05-03"), d("2023-05-31"), d("2023-05-16"), &[]);
        assert_eq!(w.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["2023-W18", "2023-W19"]);
        assert_eq!(w[0].start, d("2023-05-01"));
        let q = missing_periods(Cadence::Quarterly, d("2023-02-01"), d("2023-12-31"), d("2024-01-05"), &[]);
        assert_eq!(q.len(), 4);
        assert_eq!(q[3].label, "2023-Q4");
    }
}
