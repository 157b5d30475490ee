//! Online service levels of the catalogue as of any date (from the level history), their
//! month-by-month trend, and the board's yearly target.

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::indicators::{self, CommuneRef, ProcInfo};
use super::repo;
use crate::audit::{self, Actor};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppResult, Validator};
use crate::onestop::model::OnlineLevel;
use crate::time::to_local;

/// Query of `GET /onestop/online-levels`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LevelsQuery {
    /// The year (default: this year, or the year of `as_of`).
    pub year: Option<i32>,
    /// Count the levels as they stood on this day (default: the year's last day, or today for
    /// the current year). The trend runs to it.
    pub as_of: Option<NaiveDate>,
    pub commune_id: Option<i64>,
}

/// The board's target for a year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Target {
    pub year: i32,
    /// Share of active procedures to offer online (partial or full), 0–1.
    pub online_share: f64,
    /// Share to offer fully online, 0–1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Body of `PUT /onestop/targets/{year}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutTarget {
    pub online_share: f64,
    pub full_share: Option<f64>,
    pub note: Option<String>,
}

/// Level counts on one date.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct LevelCounts {
    /// `YYYY-MM` for a trend point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    pub as_of: NaiveDate,
    pub total: i64,
    pub full: i64,
    pub partial: i64,
    pub none: i64,
}

/// A procedure and its level on the report date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcedureLevel {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: OnlineLevel,
}

/// `GET /onestop/online-levels`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OnlineLevels {
    pub year: i32,
    pub as_of: NaiveDate,
    pub total: i64,
    pub full: i64,
    pub partial: i64,
    pub none: i64,
    /// (full + partial) / total.
    pub online_share: f64,
    /// full / total.
    pub full_share: f64,
    /// The board's target for the year (one commune only).
    pub target: Option<Target>,
    pub trend: Vec<LevelCounts>,
    /// Every active procedure with its level (one commune only).
    pub procedures: Vec<ProcedureLevel>,
}

/// Counts the active procedures by their level on `day`.
pub fn counts(procs: &[&ProcInfo], day: NaiveDate, month: Option<String>) -> LevelCounts {
    let mut c = LevelCounts { month, as_of: day, total: 0, full: 0, partial: 0, none: 0 };
    for p in procs.iter().filter(|p| p.row.active) {
        c.total += 1;
        match p.level_on(day) {
            OnlineLevel::Full => c.full += 1,
            OnlineLevel::Partial => c.partial += 1,
            OnlineLevel::None => c.none += 1,
        }
    }
    c
}

fn year_of(year: Option<i32>, today: NaiveDate) -> AppResult<i32> {
    let y = year.unwrap_or(today.year());
    let mut v = Validator::new();
    if !(2000..=2100).contains(&y) {
        v.add("year", "out_of_range", "Năm từ 2000 đến 2100.");
    }
    v.finish()?;
    Ok(y)
}

fn get_target(conn: &mut DbConnection, commune: i64, year: i32) -> AppResult<Option<Target>> {
    let row = repo::target(conn, commune, year)?;
    Ok(row.map(|(year, online_share, full_share, note)| Target { year, online_share, full_share, note }))
}

/// Levels of the communes' catalogue: on the year's last day (or today, for this year), the
/// trend at each month's end, and the target.
pub fn online_levels(
    conn: &mut DbConnection,
    communes: &[CommuneRef],
    year: Option<i32>,
    as_of_day: Option<NaiveDate>,
) -> AppResult<OnlineLevels> {
    let today = to_local(Utc::now().naive_utc()).date();
    let year = year_of(year.or(as_of_day.map(|d| d.year())), today)?;
    if let Some(d) = as_of_day
        && d.year() != year
    {
        let mut v = Validator::new();
        v.add("as_of", "invalid_value", "Ngày phải thuộc năm đã chọn.");
        v.finish()?;
    }
    let ids: Vec<i64> = communes.iter().map(|c| c.id).collect();
    let procs = indicators::procedures(conn, &ids)?;
    let mut list: Vec<&ProcInfo> = procs.values().collect();
    list.sort_by(|a, b| (a.row.commune_id, &a.row.code).cmp(&(b.row.commune_id, &b.row.code)));
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let as_of =
        as_of_day.unwrap_or_else(|| year_end.min(today.max(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today))));
    let now = counts(&list, as_of, None);
    let mut trend = Vec::new();
    for m in 1..=12 {
        let Some(first) = NaiveDate::from_ymd_opt(year, m, 1) else { continue };
        if first > as_of {
            break;
        }
        let end = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
        trend.push(counts(&list, end.min(as_of), Some(format!("{year:04}-{m:02}"))));
    }
    let single = communes.len() == 1;
    let target = match communes.first() {
        Some(c) if single => get_target(conn, c.id, year)?,
        _ => None,
    };
    let procedures = if single {
        list.iter()
            .filter(|p| p.row.active)
            .map(|p| ProcedureLevel {
                id: p.row.id,
                code: p.row.code.clone(),
                name: p.row.name.clone(),
                field: p.row.field.clone(),
                level: p.level_on(as_of),
            })
            .collect()
    } else {
        Vec::new()
    };
    let share = |n: i64| if now.total > 0 { n as f64 / now.total as f64 } else { 0.0 };
    Ok(OnlineLevels {
        year,
        as_of,
        total: now.total,
        full: now.full,
        partial: now.partial,
        none: now.none,
        online_share: share(now.full + now.partial),
        full_share: share(now.full),
        target,
        trend,
        procedures,
    })
}

/// Sets the commune's target for a year.
pub fn put_target(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: i64,
    commune: i64,
    year: i32,
    body: PutTarget,
) -> AppResult<Target> {
    let mut v = Validator::new();
    if !(2000..=2100).contains(&year) {
        v.add("year", "out_of_range", "Năm từ 2000 đến 2100.");
    }
    if !(0.0..=1.0).contains(&body.online_share) {
        v.add("online_share", "out_of_range", "Tỷ lệ từ 0 đến 1.");
    }
    if let Some(f) = body.full_share {
        if !(0.0..=1.0).contains(&f) {
            v.add("full_share", "out_of_range", "Tỷ lệ từ 0 đến 1.");
        } else if f > body.online_share {
            v.add("full_share", "invalid_value", "Tỷ lệ toàn trình không thể lớn hơn tỷ lệ trực tuyến.");
        }
    }
    let note = body.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        v.add("note", "too_long", "Ghi chú tối đa 1000 ký tự.");
    }
    v.finish()?;
    let target = Target { year, online_share: body.online_share, full_share: body.full_share, note };
    write_tx(conn, |conn| {
        let values = repo::TargetValues {
            year,
            online_share: target.online_share,
            full_share: target.full_share,
            note: target.note.as_deref(),
        };
        repo::upsert_target(conn, commune, &values, user_id, Utc::now().naive_utc())?;
        audit::repo::record_entity(
            conn,
            actor,
            commune,
            "update",
            "onestop_target",
            year,
            json!({ "year": year, "online_share": target.online_share, "full_share": target.full_share }),
        )?;
        Ok::<(), crate::error::AppError>(())
    })?;
    Ok(target)
}
