//! Calendar types: stored rows, API types and request bodies.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{calendar_hours, calendar_overrides};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_overrides)]
pub struct OverrideRow {
    pub id: i64,
    pub commune_id: Option<i64>,
    pub day: NaiveDate,
    pub kind: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_hours)]
pub struct HoursRow {
    pub id: i64,
    pub commune_id: i64,
    pub effective_from: NaiveDate,
    pub morning_start: i32,
    pub morning_end: i32,
    pub afternoon_start: i32,
    pub afternoon_end: i32,
    pub created_at: NaiveDateTime,
}

/// `day_off` or `working_day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    DayOff,
    WorkingDay,
}

impl OverrideKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideKind::DayOff => "day_off",
            OverrideKind::WorkingDay => "working_day",
        }
    }

    pub fn parse(s: &str) -> Option<OverrideKind> {
        match s {
            "day_off" => Some(OverrideKind::DayOff),
            "working_day" => Some(OverrideKind::WorkingDay),
            _ => None,
        }
    }
}

/// `GET /calendar/lunar?date=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LunarQuery {
    /// A solar date, 1900-01-01 to 2199-12-31.
    pub date: NaiveDate,
}

/// A date of the Vietnamese lunar calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct LunarDateDto {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// The month is the leap (nhuận) repetition of `month`.
    pub leap_month: bool,
}

/// `GET /calendar/solar?year=&month=&day=&leap_month=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SolarQuery {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// Whether the month is a leap month (default false).
    pub leap_month: Option<bool>,
}

/// A solar date.
#[derive(Debug, Serialize, ToSchema)]
pub struct SolarDateDto {
    pub date: NaiveDate,
}

/// `GET /calendar/days?from=&to=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DaysQuery {
    pub from: NaiveDate,
    /// At most 400 days after `from`.
    pub to: NaiveDate,
}

/// Where a day's status comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DaySource {
    /// Monday–Friday work, Saturday and Sunday rest.
    Weekly,
    /// A holiday generated from Labour Code 2019 Art. 112 (or a day in lieu).
    Holiday,
    /// A national default override.
    National,
    /// The commune's own override.
    Commune,
}

/// One day of the calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub working: bool,
    /// Holiday or override name.
    pub name: Option<String>,
    pub source: DaySource,
    pub lunar: LunarDateDto,
}

/// Body of `PUT /calendar/overrides/{date}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideBody {
    pub kind: OverrideKind,
    pub name: String,
}

/// A per-date override of the commune.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarOverride {
    pub date: NaiveDate,
    pub kind: OverrideKind,
    pub name: String,
}

/// Working hours from a date on; times `HH:MM` local.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    pub effective_from: NaiveDate,
    #[schema(example = "07:00")]
    pub morning_start: String,
    #[schema(example = "11:30")]
    pub morning_end: String,
    #[schema(example = "13:30")]
    pub afternoon_start: String,
    #[schema(example = "17:00")]
    pub afternoon_end: String,
}

/// The commune's schedule: what is in force today and every entry by date.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoursSchedule {
    pub current: WorkingHours,
    /// Entries by effective date (empty: the default 07:00–11:30, 13:30–17:00 applies).
    pub entries: Vec<WorkingHours>,
}

/// Unit of a time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitUnit {
    WorkingDays,
    WorkingHours,
    SameDay,
}

impl LimitUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            LimitUnit::WorkingDays => "working_days",
            LimitUnit::WorkingHours => "working_hours",
            LimitUnit::SameDay => "same_day",
        }
    }

    pub fn parse(s: &str) -> Option<LimitUnit> {
        match s {
            "working_days" => Some(LimitUnit::WorkingDays),
            "working_hours" => Some(LimitUnit::WorkingHours),
            "same_day" => Some(LimitUnit::SameDay),
            _ => None,
        }
    }
}

/// Body of `POST /calendar/due`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DueBody {
    /// RFC 3339 with an offset.
    pub start: DateTime<FixedOffset>,
    /// 0–365 working days, 0–2000 working hours; ignored for `same_day`.
    pub amount: i64,
    pub unit: LimitUnit,
    /// Same-day cut-off `HH:MM` (default 15:00).
    pub cutoff: Option<String>,
}

/// A computed deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueResult {
    pub due_at: DateTime<FixedOffset>,
}

/// `HH:MM` → minutes after midnight (24:00 allowed as the end of the day).
pub fn parse_hhmm(s: &str) -> Option<i32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m) || (h == 24 && m == 0)).then_some(h * 60 + m)
}

/// Minutes after midnight → `HH:MM`.
pub fn hhmm(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl From<&HoursRow> for WorkingHours {
    fn from(r: &HoursRow) -> Self {
        WorkingHours {
            effective_from: r.effective_from,
            morning_start: hhmm(r.morning_start),
            morning_end: hhmm(r.morning_end),
            afternoon_start: hhmm(r.afternoon_start),
            afternoon_end: hhmm(r.afternoon_end),
        }
    }
}
