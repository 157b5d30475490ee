//! The working calendar: the Vietnamese lunar calendar, public holidays, per-commune
//! overrides and working hours, and deadline arithmetic (`shared/domain/calendar.md`).

pub mod engine;
pub mod lunar;
pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset as _};

/// The offset every commune keeps (Asia/Ho_Chi_Minh has no daylight saving).
pub fn tz() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

/// A stored UTC time as local wall-clock time.
pub fn to_local(utc: NaiveDateTime) -> NaiveDateTime {
    utc + chrono::Duration::hours(7)
}

/// A local wall-clock time as stored UTC.
pub fn to_utc(local: NaiveDateTime) -> NaiveDateTime {
    local - chrono::Duration::hours(7)
}

/// A stored UTC time as RFC 3339 with the +07:00 offset.
pub fn rfc(utc: NaiveDateTime) -> DateTime<FixedOffset> {
    utc.and_utc().with_timezone(&tz())
}
