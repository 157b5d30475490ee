//! Calendar types: stored rows, API types and request bodies.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{calendar_holiday_rules, calendar_hours, calendar_overrides, calendar_tet_decisions};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_overrides)]
pub struct OverrideRow {
    pub id: i64,
    pub commune_id: Option<i64>,
    pub authority_id: Option<i64>,
    pub day: NaiveDate,
    pub kind: String,
    pub name: String,
    pub source: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl OverrideRow {
    /// Which level set the override.
    pub fn level(&self) -> OverrideLevel {
        match (self.commune_id, self.authority_id) {
            (Some(_), _) => OverrideLevel::Commune,
            (None, Some(_)) => OverrideLevel::Provincial,
            (None, None) => OverrideLevel::National,
        }
    }
}

/// A stored holiday rule (`calendar_holiday_rules`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_holiday_rules)]
pub struct HolidayRuleRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub month: i32,
    pub day: i32,
    pub length: i32,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub source: String,
    pub created_at: NaiveDateTime,
}

/// A stored Tết decision (`calendar_tet_decisions`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_tet_decisions)]
pub struct TetDecisionRow {
    pub year: i32,
    pub days_before: i32,
    pub source: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The level an override comes from; a lower level wins (commune > provincial > national).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverrideLevel {
    National,
    Provincial,
    Commune,
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

crate::text_enum! {
    /// `day_off` or `working_day`.
    pub enum OverrideKind {
        DayOff = "day_off",
        WorkingDay = "working_day",
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
    /// A holiday generated from the holiday rules (Labour Code 2019 Art. 112 as seeded) and the
    /// year's Tết decision, or a day in lieu.
    Holiday,
    /// A national override (a decided swap).
    National,
    /// An override of the province.
    Provincial,
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
    /// The decision a national or provincial override comes from.
    pub basis: Option<String>,
    /// A Tết day (or its day in lieu) of a year whose split is not decided yet: computed with
    /// the default (two days before lunar 1/1, three after) until a decision is entered.
    pub provisional: bool,
    pub lunar: LunarDateDto,
}

/// Body of `PUT /calendar/overrides/{date}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideBody {
    pub kind: OverrideKind,
    pub name: String,
}

/// A per-date override, with the level it comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarOverride {
    pub date: NaiveDate,
    pub kind: OverrideKind,
    pub name: String,
    pub level: OverrideLevel,
    /// The decision it comes from (national and provincial overrides).
    pub source: Option<String>,
}

impl From<&OverrideRow> for CalendarOverride {
    fn from(r: &OverrideRow) -> Self {
        CalendarOverride {
            date: r.day,
            kind: OverrideKind::parse(&r.kind).unwrap_or(OverrideKind::DayOff),
            name: r.name.clone(),
            level: r.level(),
            source: r.source.clone(),
        }
    }
}

/// `GET /calendar/overrides?from=&to=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OverridesQuery {
    pub from: NaiveDate,
    /// At most 800 days after `from`.
    pub to: NaiveDate,
}

/// Body of `PUT /calendar/default-overrides/{date}`: a national or provincial override (the
/// level is the caller's).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultOverrideBody {
    pub kind: OverrideKind,
    pub name: String,
    /// The decision (e.g. "Thông báo 6150/TB-BLĐTBXH").
    pub source: String,
}

/// How the Tết days of a year split around lunar 1/1.
#[derive(Debug, Serialize, ToSchema)]
pub struct TetYear {
    pub year: i32,
    /// Lunar 1/1 of the year.
    pub new_year: NaiveDate,
    pub days_before: u32,
    pub days_after: u32,
    /// No decision yet: the default split (two before, three after) applies.
    pub provisional: bool,
    /// The decision, when there is one.
    pub source: Option<String>,
}

/// Body of `PUT /calendar/tet/{year}`: the government's decision for a year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TetDecisionBody {
    /// Tết days before lunar 1/1 (0–5; the rest of the five follow it).
    pub days_before: i32,
    pub source: String,
}

crate::text_enum! {
    /// How a holiday rule places its days.
    pub enum HolidayRuleKind {
        /// A day of the solar calendar.
        Solar = "solar",
        /// A day of the Vietnamese lunar calendar.
        Lunar = "lunar",
        /// The Tết days, split around lunar 1/1 by the year's decision.
        LunarNewYear = "lunar_new_year",
        /// One day next to the solar date, the one that joins the weekend.
        Adjacent = "adjacent",
    }
}

/// A public holiday rule in force from `valid_from` to `valid_to` (open when absent).
#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayRule {
    pub name: String,
    pub kind: HolidayRuleKind,
    pub month: i32,
    pub day: i32,
    /// Consecutive days.
    pub length: i32,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub source: String,
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

crate::text_enum! {
    /// Unit of a time limit.
    pub enum LimitUnit {
        WorkingDays = "working_days",
        WorkingHours = "working_hours",
        SameDay = "same_day",
        /// Every day counts; a last day that is a day off moves to the next working day.
        CalendarDays = "calendar_days",
    }
}

/// Body of `POST /calendar/due`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DueBody {
    /// RFC 3339 with an offset.
    pub start: DateTime<FixedOffset>,
    /// 0–365 working days, 0–2000 working hours, 1–365 calendar days; ignored for `same_day`.
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
