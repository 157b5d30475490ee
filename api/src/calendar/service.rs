//! Calendar rules: loading a commune's calendar, overrides and hours with audit, deadlines.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::engine::{self, Hours, Unit, WorkCalendar};
use super::model::*;
use super::{lunar, repo};
use crate::audit::{self, Actor, Change};
use crate::auth::Caller;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::time::to_local;

/// Days loaded after the start of a computation (covers the longest limits, pauses and
/// extensions).
pub const WINDOW_AHEAD_DAYS: i64 = 900;
/// Largest amounts accepted.
pub const MAX_WORKING_DAYS: i64 = 365;
pub const MAX_WORKING_HOURS: i64 = 2000;
pub const MAX_CALENDAR_DAYS: i64 = 365;
/// Default same-day cut-off (15:00), minutes after midnight.
pub const DEFAULT_CUTOFF: i32 = 15 * 60;

fn override_kind(kind: &str) -> engine::OverrideKind {
    if kind == "working_day" { engine::OverrideKind::WorkingDay } else { engine::OverrideKind::DayOff }
}

/// Whose calendar: a commune (with its province), a province (its oversight staff), or the
/// nation (both `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub commune: Option<i64>,
    pub province: Option<i64>,
}

impl Scope {
    pub const NATIONAL: Scope = Scope { commune: None, province: None };
}

/// The scope of a commune: the commune and its province.
pub fn commune_scope(conn: &mut DbConnection, commune: i64) -> AppResult<Scope> {
    Ok(Scope { commune: Some(commune), province: crate::org::repo::province_of_commune(conn, commune)? })
}

/// The calendar a caller reads: their commune's; for oversight staff of a province, the
/// province's; else (national staff, a historic district) the national one.
pub fn caller_scope(conn: &mut DbConnection, caller: &Caller) -> AppResult<Scope> {
    if let Some(c) = caller.commune_id {
        return commune_scope(conn, c);
    }
    match caller.authority_id {
        Some(a) if crate::org::repo::get_authority(conn, a)?.level == "province" => {
            Ok(Scope { commune: None, province: Some(a) })
        }
        _ => Ok(Scope::NATIONAL),
    }
}

/// The level whose default calendar a caller administers: `Some(province)` for the oversight
/// staff of a province, `None` for the staff of the national authority (the national calendar
/// administrators). Anyone else (a historic district, a commune account) administers none.
pub fn administered_level(conn: &mut DbConnection, caller: &Caller) -> AppResult<Option<i64>> {
    let authority = match (caller.commune_id, caller.authority_id) {
        (None, Some(a)) => crate::org::repo::get_authority(conn, a)?,
        _ => return Err(AppError::Forbidden),
    };
    match authority.level.as_str() {
        "province" => Ok(Some(authority.id)),
        "national" => Ok(None),
        _ => Err(AppError::Forbidden),
    }
}

/// The communes a default override of a level reaches: a province's communes, or `None` for
/// the national level (every commune).
pub fn communes_of_level(conn: &mut DbConnection, province: Option<i64>) -> AppResult<Option<Vec<i64>>> {
    match province {
        None => Ok(None),
        Some(p) => {
            Ok(Some(crate::org::repo::visible_communes(conn, None, Some(p))?.into_iter().map(|c| c.id).collect()))
        }
    }
}

/// The holiday rules and Tết decisions from the database, as the engine takes them. A stored
/// row the engine cannot use (unknown kind, out-of-range numbers) is left out, never guessed.
pub fn rules(conn: &mut DbConnection) -> AppResult<engine::Rules> {
    let holidays = repo::holiday_rules(conn)?
        .into_iter()
        .filter_map(|r| {
            let (month, day) = (u32::try_from(r.month).ok()?, u32::try_from(r.day).ok()?);
            let date = match HolidayRuleKind::parse(&r.kind)? {
                HolidayRuleKind::Solar => engine::RuleDate::Solar { month, day },
                HolidayRuleKind::Lunar => engine::RuleDate::Lunar { month, day },
                HolidayRuleKind::LunarNewYear => engine::RuleDate::LunarNewYear,
                HolidayRuleKind::Adjacent => engine::RuleDate::Adjacent { month, day },
            };
            Some(engine::HolidayRule {
                name: r.name,
                date,
                length: u32::try_from(r.length).ok()?,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
            })
        })
        .collect();
    let tet = repo::tet_decisions(conn)?
        .into_iter()
        .filter_map(|r| Some(engine::TetDecision { year: r.year, days_before: u32::try_from(r.days_before).ok()? }))
        .collect();
    Ok(engine::Rules { holidays, tet })
}

/// What a calendar is built from. Building is a pure function of these, so a calendar built
/// from equal inputs is the same calendar.
#[derive(PartialEq)]
struct Inputs {
    first: NaiveDate,
    last: NaiveDate,
    rules: engine::Rules,
    /// National, provincial and the commune's overrides.
    layers: [Vec<engine::Override>; 3],
    schedule: Vec<(NaiveDate, Hours)>,
}

/// The last calendar built for each scope, with its inputs. Each load still reads the rules,
/// overrides and hours, and reuses the calendar only when they and the window are equal:
/// nothing to invalidate, so a change made by any process shows at once. Building (three
/// years of lunar holidays over a 910-day window) was about 15 % of a dossier intake.
type Built = HashMap<Scope, (Inputs, Arc<WorkCalendar>)>;
static BUILT: LazyLock<Mutex<Built>> = LazyLock::new(Mutex::default);
/// Scopes remembered at most; past this the memory starts again.
const BUILT_MAX: usize = 512;

/// The calendar of a commune (or the national default for `None`) over `[first, last]`.
pub fn load(
    conn: &mut DbConnection,
    commune: Option<i64>,
    first: NaiveDate,
    last: NaiveDate,
) -> AppResult<Arc<WorkCalendar>> {
    let scope = match commune {
        Some(c) => commune_scope(conn, c)?,
        None => Scope::NATIONAL,
    };
    load_scope(conn, scope, first, last)
}

/// The calendar of a scope over `[first, last]`.
pub fn load_scope(
    conn: &mut DbConnection,
    scope: Scope,
    first: NaiveDate,
    last: NaiveDate,
) -> AppResult<Arc<WorkCalendar>> {
    let mut inputs = Inputs { first, last, rules: rules(conn)?, layers: Default::default(), schedule: Vec::new() };
    match scope.commune {
        Some(c) => {
            for r in repo::calendar_inputs(conn, c, scope.province, first, last)? {
                if r.is_hours {
                    let (ms, me, as_, ae) = r.minutes;
                    inputs.schedule.extend(Hours::from_minutes(ms, me, as_, ae).map(|h| (r.day, h)));
                } else {
                    let o = engine::Override { day: r.day, kind: override_kind(&r.kind), name: r.name };
                    inputs.layers[r.level.clamp(0, 2) as usize].push(o);
                }
            }
        }
        None => {
            for r in repo::overrides_in_scope(conn, None, scope.province, first, last)? {
                let o = engine::Override { day: r.day, kind: override_kind(&r.kind), name: r.name.clone() };
                inputs.layers[r.level() as usize].push(o);
            }
        }
    }
    for layer in &mut inputs.layers {
        layer.sort_by_key(|o| o.day);
    }
    inputs.schedule.sort_by_key(|(d, _)| *d);
    let built = || BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, cal)) = built().get(&scope).filter(|(from, _)| *from == inputs) {
        return Ok(cal.clone());
    }
    let layers: Vec<&[engine::Override]> = inputs.layers.iter().map(Vec::as_slice).collect();
    let cal = Arc::new(WorkCalendar::build_with(first, last, &inputs.rules, &layers, &inputs.schedule));
    let mut memo = built();
    if memo.len() >= BUILT_MAX && !memo.contains_key(&scope) {
        memo.clear();
    }
    memo.insert(scope, (inputs, cal.clone()));
    Ok(cal)
}

/// A calendar covering local times from `from` on, far enough for any deadline.
pub fn load_from(conn: &mut DbConnection, commune: Option<i64>, from: NaiveDateTime) -> AppResult<Arc<WorkCalendar>> {
    let first = from.date() - Duration::days(10);
    load(conn, commune, first, from.date() + Duration::days(WINDOW_AHEAD_DAYS))
}

/// Checks an amount against its unit.
pub fn check_amount(v: &mut Validator, field: &str, amount: i64, unit: LimitUnit) {
    let (min, max) = match unit {
        LimitUnit::WorkingDays => (0, MAX_WORKING_DAYS),
        LimitUnit::WorkingHours => (0, MAX_WORKING_HOURS),
        LimitUnit::SameDay => (0, i64::MAX),
        LimitUnit::CalendarDays => (1, MAX_CALENDAR_DAYS),
    };
    if amount < min || amount > max {
        v.add(field, "invalid_value", &format!("Thời hạn từ {min} đến {max}."));
    }
}

/// The engine unit for a limit.
pub fn unit_of(unit: LimitUnit, cutoff_minutes: i32) -> Unit {
    match unit {
        LimitUnit::WorkingDays => Unit::WorkingDays,
        LimitUnit::WorkingHours => Unit::WorkingHours,
        LimitUnit::SameDay => Unit::SameDay { cutoff: cutoff_minutes.clamp(0, 1440) as u32 * 60 },
        LimitUnit::CalendarDays => Unit::CalendarDays,
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

/// A `[from, to]` query: both days in supported years, in order, at most `max_days` apart.
fn check_range(from: NaiveDate, to: NaiveDate, max_days: i64) -> AppResult<()> {
    let mut v = Validator::new();
    check_year(&mut v, "from", from);
    check_year(&mut v, "to", to);
    if to < from {
        v.add("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    } else if (to - from).num_days() > max_days {
        v.add("to", "invalid_value", &format!("Tối đa {max_days} ngày mỗi lần."));
    }
    v.finish()
}

/// The days of `[from, to]` of a scope's calendar with their status, name, source and lunar
/// date.
pub fn days(conn: &mut DbConnection, scope: Scope, from: NaiveDate, to: NaiveDate) -> AppResult<Vec<CalendarDay>> {
    check_range(from, to, 400)?;
    let cal = load_scope(conn, scope, from, to)?;
    // The override that decides each date is the last one of the lowest level (rows by date).
    let mut decisive: HashMap<NaiveDate, OverrideRow> = HashMap::new();
    for r in repo::overrides_in_scope(conn, scope.commune, scope.province, from, to)? {
        if decisive.get(&r.day).is_none_or(|d| d.level() <= r.level()) {
            decisive.insert(r.day, r);
        }
    }
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let info = cal.day(d).ok_or_else(|| AppError::Internal("calendar window".into()))?;
        let o = decisive.get(&d);
        let source = match o.map(OverrideRow::level) {
            Some(OverrideLevel::Commune) => DaySource::Commune,
            Some(OverrideLevel::Provincial) => DaySource::Provincial,
            Some(OverrideLevel::National) => DaySource::National,
            None if info.name.is_some() => DaySource::Holiday,
            None => DaySource::Weekly,
        };
        let l = lunar::to_lunar(d).ok_or_else(|| AppError::Internal("lunar range".into()))?;
        out.push(CalendarDay {
            date: d,
            working: info.working,
            name: info.name.clone(),
            source,
            basis: o.and_then(|o| o.source.clone()),
            provisional: info.provisional,
            lunar: LunarDateDto { year: l.year, month: l.month, day: l.day, leap_month: l.leap_month },
        });
        d += Duration::days(1);
    }
    Ok(out)
}

/// The overrides that apply in a scope within `[from, to]`, each with its level (a date can
/// have one of each level; the lowest level decides).
pub fn overrides(
    conn: &mut DbConnection,
    scope: Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<CalendarOverride>> {
    check_range(from, to, 800)?;
    Ok(repo::overrides_in_scope(conn, scope.commune, scope.province, from, to)?
        .iter()
        .map(CalendarOverride::from)
        .collect())
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
            Some(b) => repo::update_override(conn, b.id, body.kind.as_str(), &name, None, now)?,
            None => {
                let owner = repo::OverrideOwner { commune: Some(commune), authority: None };
                repo::insert_override(conn, owner, day, body.kind.as_str(), &name, None, now)?
            }
        }
        audit::repo::record_entity(
            conn,
            actor,
            commune,
            if before.is_some() { "update" } else { "create" },
            "calendar_override",
            day,
            json!({ "date": day, "level": "commune", "kind": body.kind.as_str(), "name": name,
                    "before": before.map(|b| json!({ "kind": b.kind, "name": b.name })) }),
        )?;
        Ok(CalendarOverride {
            date: day,
            kind: body.kind,
            name: name.clone(),
            level: OverrideLevel::Commune,
            source: None,
        })
    })
}

/// Removes the commune's override of one date (the province's or the national one applies again).
pub fn delete_override(conn: &mut DbConnection, actor: &Actor, commune: i64, day: NaiveDate) -> AppResult<()> {
    write_tx(conn, |conn| {
        let before = repo::find_override(conn, commune, day)?.ok_or(AppError::NotFound)?;
        repo::delete_override(conn, before.id)?;
        audit::repo::record_entity(
            conn,
            actor,
            commune,
            "delete",
            "calendar_override",
            day,
            json!({ "date": day, "level": "commune", "kind": before.kind, "name": before.name }),
        )?;
        Ok(())
    })
}

fn level_name(province: Option<i64>) -> &'static str {
    if province.is_some() { "provincial" } else { "national" }
}

/// Sets the national (`province = None`) or a province's override of one date.
pub fn put_default_override(
    conn: &mut DbConnection,
    actor: &Actor,
    province: Option<i64>,
    day: NaiveDate,
    body: DefaultOverrideBody,
) -> AppResult<CalendarOverride> {
    let mut v = Validator::new();
    v.text("name", &body.name, 1, 200);
    v.text("source", &body.source, 1, 500);
    check_year(&mut v, "date", day);
    v.finish()?;
    let (name, source) = (body.name.trim().to_string(), body.source.trim().to_string());
    write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        let before = repo::find_default_override(conn, province, day)?;
        match &before {
            Some(b) => repo::update_override(conn, b.id, body.kind.as_str(), &name, Some(&source), now)?,
            None => {
                let owner = repo::OverrideOwner { commune: None, authority: province };
                repo::insert_override(conn, owner, day, body.kind.as_str(), &name, Some(&source), now)?
            }
        }
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: None,
                action: if before.is_some() { "update" } else { "create" },
                entity: "calendar_override",
                entity_id: Some(day.to_string()),
                summary: json!({ "date": day, "level": level_name(province), "authority_id": province,
                    "kind": body.kind.as_str(), "name": name, "source": source,
                    "before": before.map(|b| json!({ "kind": b.kind, "name": b.name, "source": b.source })) }),
            },
        )?;
        let level = if province.is_some() { OverrideLevel::Provincial } else { OverrideLevel::National };
        Ok(CalendarOverride { date: day, kind: body.kind, name: name.clone(), level, source: Some(source.clone()) })
    })
}

/// Removes the national or a province's override of one date.
pub fn delete_default_override(
    conn: &mut DbConnection,
    actor: &Actor,
    province: Option<i64>,
    day: NaiveDate,
) -> AppResult<()> {
    write_tx(conn, |conn| {
        let before = repo::find_default_override(conn, province, day)?.ok_or(AppError::NotFound)?;
        repo::delete_override(conn, before.id)?;
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: None,
                action: "delete",
                entity: "calendar_override",
                entity_id: Some(day.to_string()),
                summary: json!({ "date": day, "level": level_name(province), "authority_id": province,
                    "kind": before.kind, "name": before.name, "source": before.source }),
            },
        )?;
        Ok(())
    })
}

fn check_tet_year(year: i32) -> AppResult<NaiveDate> {
    lunar::to_solar(lunar::LunarDate { year, month: 1, day: 1, leap_month: false })
        .filter(|_| (lunar::MIN_YEAR + 1..=lunar::MAX_YEAR).contains(&year))
        .ok_or_else(|| AppError::field("year", "invalid_value", "Chỉ hỗ trợ từ năm 1901 đến 2199."))
}

/// How the Tết days of `year` split, and whether that is decided.
pub fn tet_year(conn: &mut DbConnection, year: i32) -> AppResult<TetYear> {
    let new_year = check_tet_year(year)?;
    let length =
        rules(conn)?.holidays.iter().find(|r| r.date == engine::RuleDate::LunarNewYear).map(|r| r.length).unwrap_or(5);
    let decision = repo::find_tet_decision(conn, year)?;
    let days_before = decision
        .as_ref()
        .and_then(|d| u32::try_from(d.days_before).ok())
        .unwrap_or(engine::PROVISIONAL_TET_DAYS_BEFORE)
        .min(length);
    Ok(TetYear {
        year,
        new_year,
        days_before,
        days_after: length - days_before,
        provisional: decision.is_none(),
        source: decision.map(|d| d.source),
    })
}

/// Enters the government's decision on a year's Tết split (the national administrator).
pub fn put_tet_decision(
    conn: &mut DbConnection,
    actor: &Actor,
    year: i32,
    body: TetDecisionBody,
) -> AppResult<TetYear> {
    check_tet_year(year)?;
    let mut v = Validator::new();
    if !(0..=5).contains(&body.days_before) {
        v.add("days_before", "invalid_value", "Số ngày nghỉ trước mùng 1 Tết từ 0 đến 5.");
    }
    v.text("source", &body.source, 1, 500);
    v.finish()?;
    let source = body.source.trim().to_string();
    write_tx(conn, |conn| {
        let before = repo::find_tet_decision(conn, year)?;
        repo::put_tet_decision(conn, year, body.days_before, &source, Utc::now().naive_utc())?;
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: None,
                action: if before.is_some() { "update" } else { "create" },
                entity: "calendar_tet_decision",
                entity_id: Some(year.to_string()),
                summary: json!({ "year": year, "days_before": body.days_before, "source": source,
                    "before": before.map(|b| json!({ "days_before": b.days_before, "source": b.source })) }),
            },
        )?;
        AppResult::Ok(())
    })?;
    tet_year(conn, year)
}

/// The holiday rules as stored, with their validity and source.
pub fn holiday_rules(conn: &mut DbConnection) -> AppResult<Vec<HolidayRule>> {
    Ok(repo::holiday_rules(conn)?
        .into_iter()
        .filter_map(|r| {
            Some(HolidayRule {
                kind: HolidayRuleKind::parse(&r.kind)?,
                name: r.name,
                month: r.month,
                day: r.day,
                length: r.length,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                source: r.source,
            })
        })
        .collect())
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
    // Days gone by keep the hours they had: their deadlines and processing times were counted
    // with them (a change dated back would move last year's figures without a new dossier).
    if body.effective_from < crate::time::today_local() {
        v.add(
            "effective_from",
            "in_past",
            "Giờ làm việc mới áp dụng từ hôm nay trở đi; những ngày đã qua giữ giờ làm việc lúc đó.",
        );
    }
    if v.is_empty() && Hours::from_minutes(mins[0], mins[1], mins[2], mins[3]).is_none() {
        // The first time out of order is the one to correct (a morning that ends before it
        // starts is the morning's end, not the afternoon's).
        let field = if mins[0] >= mins[1] {
            "morning_end"
        } else if mins[1] > mins[2] {
            "afternoon_start"
        } else {
            "afternoon_end"
        };
        v.add(
            field,
            "invalid_value",
            "Các mốc giờ phải tăng dần: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu < chiều kết thúc.",
        );
    }
    v.finish()?;
    write_tx(conn, |conn| {
        repo::put_hours(conn, commune, body.effective_from, mins, Utc::now().naive_utc())?;
        audit::repo::record_entity(
            conn,
            actor,
            commune,
            "update",
            "calendar_hours",
            body.effective_from,
            json!({ "effective_from": body.effective_from, "morning": [body.morning_start, body.morning_end],
                    "afternoon": [body.afternoon_start, body.afternoon_end] }),
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
        let owner = repo::OverrideOwner { commune: Some(commune), authority: None };
        repo::insert_override(&mut conn, owner, monday, "day_off", "Nghỉ bù", None, now).unwrap();
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
