//! Calendar rules: loading a commune's calendar, overrides and hours with audit, deadlines.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::engine::{self, Hours, Unit, WorkCalendar};
use super::model::*;
use super::{lunar, repo};
use crate::audit::{self, Actor, Change};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::time::to_local;

/// Days loaded after the start of a computation (covers the longest limits, pauses and
/// extensions).
const WINDOW_AHEAD_DAYS: i64 = 900;
/// Largest amounts accepted.
pub const MAX_WORKING_DAYS: i64 = 365;
pub const MAX_WORKING_HOURS: i64 = 2000;
/// Default same-day cut-off (15:00), minutes after midnight.
pub const DEFAULT_CUTOFF: i32 = 15 * 60;

fn override_kind(kind: &str) -> engine::OverrideKind {
    if kind == "working_day" { engine::OverrideKind::WorkingDay } else { engine::OverrideKind::DayOff }
}

fn to_engine(rows: &[OverrideRow]) -> Vec<engine::Override> {
    rows.iter().map(|r| engine::Override { day: r.day, kind: override_kind(&r.kind), name: r.name.clone() }).collect()
}

/// What a calendar is built from. Building is a pure function of these, so a calendar built
/// from equal inputs is the same calendar.
#[derive(PartialEq)]
struct Inputs {
    first: NaiveDate,
    last: NaiveDate,
    national: Vec<engine::Override>,
    own: Vec<engine::Override>,
    schedule: Vec<(NaiveDate, Hours)>,
}

/// The last calendar built for each commune (`None`: national), with its inputs. Each load
/// still reads the overrides and hours, and reuses the calendar only when they and the window
/// are equal: nothing to invalidate, so a change made by any process shows at once. Building
/// (three years of lunar holidays over a 910-day window) was about 15 % of a dossier intake.
type Built = HashMap<Option<i64>, (Inputs, Arc<WorkCalendar>)>;
static BUILT: LazyLock<Mutex<Built>> = LazyLock::new(Mutex::default);
/// Communes remembered at most; past this the memory starts again.
const BUILT_MAX: usize = 512;

/// The calendar of a commune (or the national default for `None`) over `[first, last]`.
pub fn load(
    conn: &mut DbConnection,
    commune: Option<i64>,
    first: NaiveDate,
    last: NaiveDate,
) -> AppResult<Arc<WorkCalendar>> {
    let inputs = match commune {
        Some(c) => {
            let mut inputs = Inputs { first, last, national: Vec::new(), own: Vec::new(), schedule: Vec::new() };
            for r in repo::calendar_inputs(conn, c, first, last)? {
                if r.is_hours {
                    let (ms, me, as_, ae) = r.minutes;
                    inputs.schedule.extend(Hours::from_minutes(ms, me, as_, ae).map(|h| (r.day, h)));
                } else {
                    let o = engine::Override { day: r.day, kind: override_kind(&r.kind), name: r.name };
                    if r.national { inputs.national.push(o) } else { inputs.own.push(o) }
                }
            }
            inputs.national.sort_by_key(|o| o.day);
            inputs.own.sort_by_key(|o| o.day);
            inputs.schedule.sort_by_key(|(d, _)| *d);
            inputs
        }
        None => {
            let national = to_engine(&repo::overrides(conn, None, first, last)?);
            Inputs { first, last, national, own: Vec::new(), schedule: Vec::new() }
        }
    };
    let built = || BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, cal)) = built().get(&commune).filter(|(from, _)| *from == inputs) {
        return Ok(cal.clone());
    }
    let cal = Arc::new(WorkCalendar::build(first, last, &inputs.national, &inputs.own, &inputs.schedule));
    let mut memo = built();
    if memo.len() >= BUILT_MAX && !memo.contains_key(&commune) {
        memo.clear();
    }
    memo.insert(commune, (inputs, cal.clone()));
    Ok(cal)
}

/// A calendar covering local times from `from` on, far enough for any deadline.
pub fn load_from(conn: &mut DbConnection, commune: Option<i64>, from: NaiveDateTime) -> AppResult<Arc<WorkCalendar>> {
    let first = from.date() - Duration::days(10);
    load(conn, commune, first, from.date() + Duration::days(WINDOW_AHEAD_DAYS))
}

/// Checks an amount against its unit.
pub fn check_amount(v: &mut Validator, field: &str, amount: i64, unit: LimitUnit) {
    let max = match unit {
        LimitUnit::WorkingDays => MAX_WORKING_DAYS,
        LimitUnit::WorkingHours => MAX_WORKING_HOURS,
        LimitUnit::SameDay => i64::MAX,
    };
    if amount < 0 || amount > max {
        v.add(field, "invalid_value", &format!("Thời hạn từ 0 đến {max}."));
    }
}

/// The engine unit for a limit.
pub fn unit_of(unit: LimitUnit, cutoff_minutes: i32) -> Unit {
    match unit {
        LimitUnit::WorkingDays => Unit::WorkingDays,
        LimitUnit::WorkingHours => Unit::WorkingHours,
        LimitUnit::SameDay => Unit::SameDay { cutoff: cutoff_minutes.clamp(0, 1440) as u32 * 60 },
    }
}

/// Due time (local) of a limit from a local start.
pub fn due_local(cal: &WorkCalendar, start: NaiveDateTime, amount: i64, unit: Unit) -> AppResult<NaiveDateTime> {
    let amount =
        u32::try_from(amount).map_err(|_| AppError::field("amount", "invalid_value", "Thời hạn không hợp lệ."))?;
    cal.due(start, amount, unit)
        .ok_or_else(|| AppError::field("start", "invalid_value", "Ngoài phạm vi lịch làm việc."))
}

fn check_year(v: &mut Validator, field: &str, d: NaiveDate) {
    use chrono::Datelike;
    if !(lunar::MIN_YEAR..=lunar::MAX_YEAR).contains(&d.year()) {
        v.add(field, "invalid_value", "Chỉ hỗ trợ từ năm 1900 đến 2199.");
    }
}

/// The days of `[from, to]` with their status, name, source and lunar date.
pub fn days(
    conn: &mut DbConnection,
    commune: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<CalendarDay>> {
    let mut v = Validator::new();
    check_year(&mut v, "from", from);
    check_year(&mut v, "to", to);
    if to < from {
        v.add("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    } else if (to - from).num_days() > 400 {
        v.add("to", "invalid_value", "Tối đa 400 ngày mỗi lần.");
    }
    v.finish()?;
    let cal = load(conn, commune, from, to)?;
    let national = repo::overrides(conn, None, from, to)?;
    let own = match commune {
        Some(c) => repo::overrides(conn, Some(c), from, to)?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let info = cal.day(d).ok_or_else(|| AppError::Internal("calendar window".into()))?;
        let source = if own.iter().any(|o| o.day == d) {
            DaySource::Commune
        } else if national.iter().any(|o| o.day == d) {
            DaySource::National
        } else if info.name.is_some() {
            DaySource::Holiday
        } else {
            DaySource::Weekly
        };
        let l = lunar::to_lunar(d).ok_or_else(|| AppError::Internal("lunar range".into()))?;
        out.push(CalendarDay {
            date: d,
            working: info.working,
            name: info.name.clone(),
            source,
            lunar: LunarDateDto { year: l.year, month: l.month, day: l.day, leap_month: l.leap_month },
        });
        d += Duration::days(1);
    }
    Ok(out)
}

/// Sets the commune's override of one date.
pub fn put_override(
    conn: &mut DbConnection,
    actor: &Actor,
    commune: i64,
    day: NaiveDate,
    body: OverrideBody,
) -> AppResult<CalendarOverride> {
    let mut v = Validator::new();
    v.text("name", &body.name, 1, 200);
    check_year(&mut v, "date", day);
    v.finish()?;
    let name = body.name.trim().to_string();
    write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        let before = repo::find_override(conn, commune, day)?;
        match &before {
            Some(b) => repo::update_override(conn, b.id, body.kind.as_str(), &name, now)?,
            None => repo::insert_override(conn, commune, day, body.kind.as_str(), &name, now)?,
        }
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: Some(commune),
                action: if before.is_some() { "update" } else { "create" },
                entity: "calendar_override",
                entity_id: Some(day.to_string()),
                summary: json!({ "date": day, "kind": body.kind.as_str(), "name": name,
                    "before": before.map(|b| json!({ "kind": b.kind, "name": b.name })) }),
            },
        )?;
        Ok(CalendarOverride { date: day, kind: body.kind, name: name.clone() })
    })
}

/// Removes the commune's override of one date (the national default applies again).
pub fn delete_override(conn: &mut DbConnection, actor: &Actor, commune: i64, day: NaiveDate) -> AppResult<()> {
    write_tx(conn, |conn| {
        let before = repo::find_override(conn, commune, day)?.ok_or(AppError::NotFound)?;
        repo::delete_override(conn, before.id)?;
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: Some(commune),
                action: "delete",
                entity: "calendar_override",
                entity_id: Some(day.to_string()),
                summary: json!({ "date": day, "kind": before.kind, "name": before.name }),
            },
        )?;
        Ok(())
    })
}

fn default_hours(from: NaiveDate) -> WorkingHours {
    WorkingHours {
        effective_from: from,
        morning_start: "07:00".into(),
        morning_end: "11:30".into(),
        afternoon_start: "13:30".into(),
        afternoon_end: "17:00".into(),
    }
}

/// The commune's working-hours schedule (the default for users without a commune).
pub fn hours(conn: &mut DbConnection, commune: Option<i64>) -> AppResult<HoursSchedule> {
    let rows = match commune {
        Some(c) => repo::hours(conn, c)?,
        None => Vec::new(),
    };
    let today = to_local(Utc::now().naive_utc()).date();
    let current = rows
        .iter()
        .rev()
        .find(|r| r.effective_from <= today)
        .map(WorkingHours::from)
        .unwrap_or_else(|| default_hours(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)));
    Ok(HoursSchedule { current, entries: rows.iter().map(WorkingHours::from).collect() })
}

/// Sets the hours in force from a date on.
pub fn put_hours(conn: &mut DbConnection, actor: &Actor, commune: i64, body: WorkingHours) -> AppResult<HoursSchedule> {
    let mut v = Validator::new();
    let mut mins = [0i32; 4];
    for (i, (field, value)) in [
        ("morning_start", &body.morning_start),
        ("morning_end", &body.morning_end),
        ("afternoon_start", &body.afternoon_start),
        ("afternoon_end", &body.afternoon_end),
    ]
    .into_iter()
    .enumerate()
    {
        match parse_hhmm(value) {
            Some(m) => mins[i] = m,
            None => v.add(field, "invalid_format", "Giờ theo dạng HH:MM."),
        }
    }
    check_year(&mut v, "effective_from", body.effective_from);
    if v.is_empty() && Hours::from_minutes(mins[0], mins[1], mins[2], mins[3]).is_none() {
        v.add(
            "afternoon_end",
            "invalid_value",
            "Các mốc giờ phải tăng dần: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu < chiều kết thúc.",
        );
    }
    v.finish()?;
    write_tx(conn, |conn| {
        repo::put_hours(conn, commune, body.effective_from, mins, Utc::now().naive_utc())?;
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: Some(commune),
                action: "update",
                entity: "calendar_hours",
                entity_id: Some(body.effective_from.to_string()),
                summary: json!({ "effective_from": body.effective_from, "morning": [body.morning_start, body.morning_end],
                    "afternoon": [body.afternoon_start, body.afternoon_end] }),
            },
        )?;
        AppResult::Ok(())
    })?;
    hours(conn, Some(commune))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;

    use super::{load, repo};

    #[test]
    fn a_built_calendar_is_reused_only_while_its_inputs_are_equal() {
        let dir = std::env::temp_dir().join(format!("tt-cal-memo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("cal.db").display());
        let manager = crate::db::DbManager::new(&url, std::time::Duration::from_secs(5)).unwrap();
        let mut conn = r2d2::ManageConnection::connect(&manager).unwrap();
        crate::db::run_migrations(&mut conn).unwrap();
        assert!(crate::demo::commune::seed_demo(&mut conn, "not-a-real-hash").unwrap());
        let commune: i64 = {
            use diesel::prelude::*;
            crate::db::schema::communes::table.select(crate::db::schema::communes::id).first(&mut conn).unwrap()
        };
        let (first, last) =
            (NaiveDate::from_ymd_opt(2031, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2031, 9, 1).unwrap());
        let monday = NaiveDate::from_ymd_opt(2031, 3, 10).unwrap();

        let a = load(&mut conn, Some(commune), first, last).unwrap();
        let b = load(&mut conn, Some(commune), first, last).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "same inputs: the same calendar, not a rebuild");
        assert!(a.day(monday).unwrap().working);

        let now = chrono::Utc::now().naive_utc();
        repo::insert_override(&mut conn, commune, monday, "day_off", "Nghỉ bù", now).unwrap();
        let c = load(&mut conn, Some(commune), first, last).unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(!c.day(monday).unwrap().working, "an override written by anyone shows at the next load");
        assert!(a.day(monday).unwrap().working, "a calendar already handed out does not change");

        let id = repo::find_override(&mut conn, commune, monday).unwrap().unwrap().id;
        repo::delete_override(&mut conn, id).unwrap();
        assert!(load(&mut conn, Some(commune), first, last).unwrap().day(monday).unwrap().working);
        let wider = load(&mut conn, Some(commune), first, last.succ_opt().unwrap()).unwrap();
        assert_eq!(wider.last(), last.succ_opt().unwrap(), "another window is another calendar");
        drop(conn);
        let _ = std::fs::remove_dir_all(dir);
    }
}
