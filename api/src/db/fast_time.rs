//! Quicker reading of dates and timestamps from SQLite.
//!
//! SQLite keeps them as text, and diesel parses that text with chrono's `parse_from_str`,
//! trying format after format: on the task list and plan overview that parsing was about a
//! tenth of the server's CPU. [`Day`] and [`Stamp`] read the exact shapes diesel writes
//! (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.fraction]`) by hand and hand anything else to diesel's
//! own parser; on PostgreSQL they are diesel's binary decoding unchanged. Use them on hot row
//! types with `#[diesel(deserialize_as = Day)]` / `#[diesel(deserialize_as = Stamp)]`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types::{Date, Timestamp};
use diesel::sqlite::{Sqlite, SqliteValue};

use super::MultiBackend;

/// A `DATE` column read as a [`NaiveDate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::deserialize::FromSqlRow)]
pub struct Day(pub NaiveDate);

/// A `TIMESTAMP` column read as a [`NaiveDateTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::deserialize::FromSqlRow)]
pub struct Stamp(pub NaiveDateTime);

impl From<Day> for NaiveDate {
    fn from(d: Day) -> Self {
        d.0
    }
}

impl From<Stamp> for NaiveDateTime {
    fn from(s: Stamp) -> Self {
        s.0
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

/// `YYYY-MM-DD`, exactly.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = i32::try_from(digits(&b[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(y, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// `YYYY-MM-DD HH:MM:SS` with an optional `.` and 1–9 fraction digits.
pub fn parse_stamp(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() < 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let day = parse_day(s.get(0..10)?)?;
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', frac @ ..] if (1..=9).contains(&frac.len()) => {
            digits(frac)? * 10u32.pow(9 - u32::try_from(frac.len()).ok()?)
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?, nanos)?;
    Some(day.and_time(time))
}

impl FromSql<Date, Sqlite> for Day {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        if let Some(d) = parse_day(value.read_text()) {
            return Ok(Day(d));
        }
        <NaiveDate as FromSql<Date, Sqlite>>::from_sql(value).map(Day)
    }
}

impl FromSql<Timestamp, Sqlite> for Stamp {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        if let Some(t) = parse_stamp(value.read_text()) {
            return Ok(Stamp(t));
        }
        <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(Stamp)
    }
}

impl FromSql<Date, Pg> for Day {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        <NaiveDate as FromSql<Date, Pg>>::from_sql(value).map(Day)
    }
}

impl FromSql<Timestamp, Pg> for Stamp {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Stamp)
    }
}

impl FromSql<Date, MultiBackend> for Day {
    fn from_sql(value: <MultiBackend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Date>()
    }
}

impl FromSql<Timestamp, MultiBackend> for Stamp {
    fn from_sql(value: <MultiBackend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Timestamp>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%F").ok()
    }

    fn chrono_stamp(s: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(s, "%F %T%.f").ok()
    }

    #[test]
    fn days_agree_with_chrono() {
        for s in ["2026-11-26", "2024-02-29", "1900-01-01", "2199-12-31"] {
            assert_eq!(parse_day(s), chrono_day(s), "{s}");
            assert!(parse_day(s).is_some(), "{s}");
        }
        // Not the exact shape, or not a date: left to diesel's parser, which decides.
        for s in ["2023-02-29", "2026-13-01", "2026-1-01", "2026/11/26", "2026-11-26 ", "", "２０２６-11-26"] {
            assert_eq!(parse_day(s), None, "{s}");
        }
    }

    #[test]
    fn stamps_agree_with_chrono() {
        for s in [
            "2026-11-26 07:30:00",
            "2026-11-26 23:59:59.5",
            "2026-11-26 00:00:00.123",
            "2026-11-26 12:34:56.123456",
            "2026-11-26 12:34:56.123456789",
        ] {
            assert_eq!(parse_stamp(s), chrono_stamp(s), "{s}");
            assert!(parse_stamp(s).is_some(), "{s}");
        }
        for s in [
            "2026-11-26T07:30:00",
            "2026-11-26 07:30",
            "2026-11-26 24:00:00",
            "2026-11-26 07:30:00.",
            "2026-11-26 07:30:00.1234567890",
            "2026-11-26 07:30:00Z",
        ] {
            assert_eq!(parse_stamp(s), None, "{s}");
        }
    }
}
