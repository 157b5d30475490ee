//! The Vietnamese lunisolar calendar, computed from the astronomical rules at UTC+7:
//! - a month begins on the local day that contains the astronomical new moon;
//! - month 11 is the month that contains the winter solstice (sun longitude 270°);
//! - a year with 13 new moons between two months 11 has a leap month: the first month after
//!   month 11 that contains no principal solar term (a multiple of 30° of sun longitude) — it
//!   repeats the number of the month before it.
//!
//! New moons use the mean lunation with the principal periodic terms (Meeus, "Astronomical
//! Formulae for Calculators", ch. 32, epoch 1900) and ΔT; the sun's apparent longitude uses
//! the equation of the centre (Meeus, "Astronomical Algorithms", ch. 25, low accuracy).
//! Valid for 1900–2199.

use chrono::{Datelike, NaiveDate};

/// Hours east of UTC used for every date boundary.
const TZ_HOURS: f64 = 7.0;
/// Mean length of a synodic month in days.
const SYNODIC: f64 = 29.530_588_853;
/// Julian day of the new moon of 1900-01-01 used as lunation number 0.
const LUNATION_EPOCH: f64 = 2_415_021.076_998_695;

/// First and last solar year served.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2199;

/// A date of the lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub leap_month: bool,
}

/// Julian day number of a Gregorian date.
pub fn jdn(date: NaiveDate) -> i64 {
    // chrono counts days from 0001-01-01 (day 1), whose JDN is 1_721_426.
    i64::from(date.num_days_from_ce()) + 1_721_425
}

/// The Gregorian date of a Julian day number.
pub fn from_jdn(jd: i64) -> Option<NaiveDate> {
    i32::try_from(jd - 1_721_425).ok().and_then(NaiveDate::from_num_days_from_ce_opt)
}

fn deg(x: f64) -> f64 {
    x.to_radians()
}

/// Julian day (UT, fractional) of the k-th new moon after the 1900 epoch.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let mean = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3
        + 0.000_33 * deg(166.56 + 132.87 * t - 0.009_173 * t2).sin();
    // Sun's mean anomaly, moon's mean anomaly, moon's argument of latitude.
    let m = deg(359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3);
    let mp = deg(306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3);
    let f = deg(21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3);
    let correction = (0.1734 - 0.000_393 * t) * m.sin() + 0.0021 * (2.0 * m).sin() - 0.4068 * mp.sin()
        + 0.0161 * (2.0 * mp).sin()
        - 0.0004 * (3.0 * mp).sin()
        + 0.0104 * (2.0 * f).sin()
        - 0.0051 * (m + mp).sin()
        - 0.0074 * (m - mp).sin()
        + 0.0004 * (2.0 * f + m).sin()
        - 0.0004 * (2.0 * f - m).sin()
        - 0.0006 * (2.0 * f + mp).sin()
        + 0.0010 * (2.0 * f - mp).sin()
        + 0.0005 * (2.0 * mp + m).sin();
    // ΔT (dynamical minus universal time), in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    mean + correction - delta_t
}

/// JDN of the local (UTC+7) day on which the k-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TZ_HOURS / 24.0).floor() as i64
}

/// Apparent longitude of the sun in degrees [0, 360) at a Julian day (UT).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let m = deg(357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2);
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let centre = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * m.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * m).sin()
        + 0.000_290 * (3.0 * m).sin();
    (l0 + centre).rem_euclid(360.0)
}

/// Which 30° sector (0–11) the sun is in at the start of a local day.
fn term_sector(day: i64) -> i64 {
    let start_of_day = day as f64 - 0.5 - TZ_HOURS / 24.0;
    (sun_longitude(start_of_day) / 30.0).floor() as i64
}

/// The lunation number whose new-moon day starts the month containing local day `day`.
fn lunation_of(day: i64) -> i64 {
    let mut k = ((day as f64 - LUNATION_EPOCH) / SYNODIC).floor() as i64;
    while new_moon_day(k + 1) <= day {
        k += 1;
    }
    while new_moon_day(k) > day {
        k -= 1;
    }
    k
}

/// Lunation number starting month 11 of the lunar year that ends in solar year `year`
/// (the month containing the winter solstice of `year`).
fn month11(year: i32) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).map(jdn).unwrap_or(0);
    let k = lunation_of(dec31);
    // Sector 9 = [270°, 300°): the solstice already passed when this month began.
    if term_sector(new_moon_day(k)) >= 9 { k - 1 } else { k }
}

/// Offset (1–12) after month 11 of the leap month, in a year with 13 months after `k11`.
fn leap_offset(k11: i64) -> i64 {
    let mut prev = term_sector(new_moon_day(k11 + 1));
    for i in 1..=13 {
        let next = term_sector(new_moon_day(k11 + i + 1));
        if next == prev {
            return i;
        }
        prev = next;
    }
    13
}

fn in_range(date: NaiveDate) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&date.year())
}

/// Solar → lunar. `None` outside 1900–2199.
pub fn to_lunar(date: NaiveDate) -> Option<LunarDate> {
    if !in_range(date) {
        return None;
    }
    let day = jdn(date);
    let k = lunation_of(day);
    let month_start = new_moon_day(k);
    let mut k11_before = month11(date.year());
    let mut lunar_year = date.year() + 1;
    let k11_after;
    if new_moon_day(k11_before) > month_start {
        // Before this year's month 11: the lunar year is the solar year (or the one before,
        // for January days still in months 11–12).
        lunar_year = date.year();
        k11_after = k11_before;
        k11_before = month11(date.year() - 1);
    } else {
        k11_after = month11(date.year() + 1);
    }
    let diff = k - k11_before; // months since month 11
    let mut month = diff + 11;
    let mut leap = false;
    if k11_after - k11_before == 13 {
        let off = leap_offset(k11_before);
        if diff >= off {
            month = diff + 10;
            leap = diff == off;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    Some(LunarDate {
        year: lunar_year,
        month: u32::try_from(month).ok()?,
        day: u32::try_from(day - month_start + 1).ok()?,
        leap_month: leap,
    })
}

/// Length (29 or 30) of the lunar month starting at lunation `k`.
fn month_len(k: i64) -> i64 {
    new_moon_day(k + 1) - new_moon_day(k)
}

/// Lunar → solar. `None` when the date does not exist (no such leap month, day 30 of a
/// 29-day month) or falls outside 1900–2199.
pub fn to_solar(l: LunarDate) -> Option<NaiveDate> {
    if !(1..=12).contains(&l.month) || !(1..=30).contains(&l.day) {
        return None;
    }
    if !(MIN_YEAR - 1..=MAX_YEAR).contains(&l.year) {
        return None;
    }
    let month = i64::from(l.month);
    let (k11_before, k11_after) =
        if month < 11 { (month11(l.year - 1), month11(l.year)) } else { (month11(l.year), month11(l.year + 1)) };
    let mut off = (month - 11).rem_euclid(12);
    if k11_after - k11_before == 13 {
        let leap_off = leap_offset(k11_before);
        let leap_month = (leap_off + 9).rem_euclid(12) + 1;
        if l.leap_month && month != leap_month {
            return None;
        }
        if l.leap_month || off >= leap_off {
            off += 1;
        }
    } else if l.leap_month {
        return None;
    }
    let k = k11_before + off;
    if i64::from(l.day) > month_len(k) {
        return None;
    }
    let date = from_jdn(new_moon_day(k) + i64::from(l.day) - 1)?;
    in_range(date).then_some(date)
}

/// The leap month (1–12) of lunar year `year`, if it has one.
pub fn leap_month_of(year: i32) -> Option<u32> {
    (1..=12).find(|&m| to_solar(LunarDate { year, month: m, day: 1, leap_month: true }).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::at::d;

    fn lunar(year: i32, month: u32, day: u32) -> LunarDate {
        LunarDate { year, month, day, leap_month: false }
    }

    #[test]
    fn julian_day_numbers() {
        assert_eq!(jdn(d(2000, 1, 1)), 2_451_545);
        assert_eq!(jdn(d(1900, 1, 1)), 2_415_021);
        assert_eq!(from_jdn(2_451_545), Some(d(2000, 1, 1)));
    }

    #[test]
    fn published_new_years() {
        for (y, date) in [
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (1985, d(1985, 1, 21)),
            (2007, d(2007, 2, 17)),
        ] {
            assert_eq!(to_solar(lunar(y, 1, 1)), Some(date), "Tết {y}");
            assert_eq!(to_lunar(date), Some(lunar(y, 1, 1)));
        }
    }

    #[test]
    fn tet_1990_to_2030() {
        let dates = [
            "1990-01-27",
            "1991-02-15",
            "1992-02-04",
            "1993-01-23",
            "1994-02-10",
            "1995-01-31",
            "1996-02-19",
            "1997-02-07",
            "1998-01-28",
            "1999-02-16",
            "2000-02-05",
            "2001-01-24",
            "2002-02-12",
            "2003-02-01",
            "2004-01-22",
            "2005-02-09",
            "2006-01-29",
            "2007-02-17",
            "2008-02-07",
            "2009-01-26",
            "2010-02-14",
            "2011-02-03",
            "2012-01-23",
            "2013-02-10",
            "2014-01-31",
            "2015-02-19",
            "2016-02-08",
            "2017-01-28",
            "2018-02-16",
            "2019-02-05",
            "2020-01-25",
            "2021-02-12",
            "2022-02-01",
            "2023-01-22",
            "2024-02-10",
            "2025-01-29",
            "2026-02-17",
            "2027-02-06",
            "2028-01-26",
            "2029-02-13",
            // New moon 2030-02-02 16:07 UTC: 2 February at UTC+7, 3 February in China (UTC+8).
            "2030-02-02",
        ];
        for (i, s) in dates.iter().enumerate() {
            let year = 1990 + i as i32;
            let date: NaiveDate = s.parse().unwrap();
            assert_eq!(to_solar(lunar(year, 1, 1)), Some(date), "Tết {year}");
        }
    }

    #[test]
    fn vietnamese_new_year_differs_from_chinese_where_the_time_zone_matters() {
        // 1985: Vietnam celebrated Tết on 21 January, China on 20 February (UTC+8 vs UTC+7).
        assert_eq!(to_lunar(d(1985, 2, 20)).map(|l| (l.month, l.day)), Some((2, 1)));
        assert_eq!(to_lunar(d(1985, 1, 21)), Some(lunar(1985, 1, 1)));
    }

    #[test]
    fn published_hung_kings_days() {
        for (y, date) in [(2023, d(2023, 4, 29)), (2024, d(2024, 4, 18)), (2025, d(2025, 4, 7)), (2026, d(2026, 4, 26))]
        {
            assert_eq!(to_solar(lunar(y, 3, 10)), Some(date), "Giỗ Tổ {y}");
        }
    }

    #[test]
    fn leap_months() {
        // 2023 had a leap 2nd month (22/3–19/4/2023); 2025 a leap 6th month; 2020 a leap 4th.
        assert_eq!(leap_month_of(2023), Some(2));
        assert_eq!(leap_month_of(2025), Some(6));
        assert_eq!(leap_month_of(2020), Some(4));
        assert_eq!(leap_month_of(2024), None);
        assert_eq!(to_lunar(d(2023, 3, 22)), Some(LunarDate { year: 2023, month: 2, day: 1, leap_month: true }));
        assert_eq!(to_solar(LunarDate { year: 2023, month: 2, day: 1, leap_month: true }), Some(d(2023, 3, 22)));
        assert_eq!(to_solar(LunarDate { year: 2024, month: 2, day: 1, leap_month: true }), None);
    }

    #[test]
    fn round_trip_every_day_1900_to_2199() {
        let mut date = d(1900, 1, 1);
        let end = d(2199, 12, 31);
        let mut prev: Option<LunarDate> = None;
        let mut days = 0;
        while date <= end {
            let l = to_lunar(date).unwrap_or_else(|| panic!("no lunar date for {date}"));
            assert_eq!(to_solar(l), Some(date), "round trip of {date} via {l:?}");
            assert!((1..=30).contains(&l.day));
            if let Some(p) = prev {
                // Consecutive days: the next day of the month, or day 1 of a new month.
                assert!(l.day == p.day + 1 || (l.day == 1 && (p.day == 29 || p.day == 30)), "{date}: {p:?} → {l:?}");
                if l.day == 1 && l.month == 1 && !l.leap_month {
                    assert_eq!(l.year, p.year + 1, "{date}");
                }
            }
            prev = Some(l);
            days += 1;
            date = date.succ_opt().unwrap();
        }
        assert_eq!(days, (end - d(1900, 1, 1)).num_days() + 1);
    }

    #[test]
    fn out_of_range() {
        assert_eq!(to_lunar(d(1899, 12, 31)), None);
        assert_eq!(to_lunar(d(2200, 1, 1)), None);
        assert_eq!(to_solar(lunar(2024, 13, 1)), None);
        assert_eq!(to_solar(lunar(2024, 1, 31)), None);
    }
}
