//! The commune's clock. Every commune keeps Asia/Ho_Chi_Minh, which is UTC+7 all year (no
//! daylight saving time). Times are stored in UTC; this is the one place that knows the offset.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset as _, Utc};

/// Hours east of UTC.
const OFFSET_HOURS: i64 = 7;

/// The offset every commune keeps.
pub fn tz() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| Utc.fix())
}

/// A stored UTC time as local wall-clock time.
pub fn to_local(utc: NaiveDateTime) -> NaiveDateTime {
    utc + chrono::Duration::hours(OFFSET_HOURS)
}

/// A local wall-clock time as stored UTC.
pub fn to_utc(local: NaiveDateTime) -> NaiveDateTime {
    local - chrono::Duration::hours(OFFSET_HOURS)
}

/// A stored UTC time as RFC 3339 with the +07:00 offset.
pub fn rfc(utc: NaiveDateTime) -> DateTime<FixedOffset> {
    utc.and_utc().with_timezone(&tz())
}

/// The commune-local date of a UTC instant.
pub fn local_date(utc: NaiveDateTime) -> NaiveDate {
    to_local(utc).date()
}

/// Today's date in the commune's time zone.
pub fn today_local() -> NaiveDate {
    local_date(Utc::now().naive_utc())
}

/// The first and last day of year `y` (`None` outside the calendar's range).
/// A date as a paper writes it after its place: "ngày 05 tháng 01 năm 2024" (Nghị định
/// 30/2020/NĐ-CP: a zero before days below 10 and before months 1 and 2).
pub fn date_words(d: NaiveDate) -> String {
    let day = if d.day() < 10 { format!("0{}", d.day()) } else { d.day().to_string() };
    let month = if d.month() < 3 { format!("0{}", d.month()) } else { d.month().to_string() };
    format!("ngày {day} tháng {month} năm {}", d.year())
}

pub fn year_days(y: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn local_date_is_utc_plus_seven() {
        assert_eq!(local_date(at("2023-05-31 17:00:00")).to_string(), "2023-06-01");
        assert_eq!(local_date(at("2023-05-31 16:59:59")).to_string(), "2023-05-31");
    }

    #[test]
    fn round_trips_and_offset() {
        let t = at("2025-07-01 01:30:00");
        assert_eq!(to_utc(to_local(t)), t);
        assert_eq!(rfc(t).to_rfc3339(), "2025-07-01T08:30:00+07:00");
        assert_eq!(tz().local_minus_utc(), 7 * 3600);
    }

    #[test]
    fn dates_as_a_paper_writes_them() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(date_words(d(2024, 1, 5)), "ngày 05 tháng 01 năm 2024");
        assert_eq!(date_words(d(2023, 12, 15)), "ngày 15 tháng 12 năm 2023");
        assert_eq!(date_words(d(2026, 12, 7)), "ngày 07 tháng 12 năm 2026");
        assert_eq!(date_words(d(2026, 3, 10)), "ngày 10 tháng 3 năm 2026");
    }
}

/// Day and time literals for unit tests: `d(2025, 7, 1)`, `t(2025, 7, 1, 8, 30)`.
#[cfg(test)]
pub mod at {
    use chrono::{NaiveDate, NaiveDateTime};

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn t(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }
}
