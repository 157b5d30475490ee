//! The working calendar as data, and deadline arithmetic on it. Pure: no database, no clock.
//!
//! A [`WorkCalendar`] covers a window of days; each day is working or not and has its working
//! periods (the commune's hours in force that day). Times are local (UTC+7) and counted in
//! seconds after midnight.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

use super::lunar::{self, LunarDate};

/// One working period of a day, seconds after local midnight, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: u32,
    pub end: u32,
}

/// A day's working hours: a morning and an afternoon period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub periods: [Period; 2],
}

impl Hours {
    /// 07:00–11:30 and 13:30–17:00 — the common schedule (8 hours).
    pub const DEFAULT: Hours = Hours {
        periods: [
            Period { start: 7 * 3600, end: 11 * 3600 + 1800 },
            Period { start: 13 * 3600 + 1800, end: 17 * 3600 },
        ],
    };

    /// From minutes after midnight; `None` unless ordered and within the day.
    pub fn from_minutes(ms: i32, me: i32, as_: i32, ae: i32) -> Option<Hours> {
        let ok = 0 <= ms && ms < me && me <= as_ && as_ < ae && ae <= 1440;
        ok.then(|| Hours {
            periods: [
                Period { start: ms as u32 * 60, end: me as u32 * 60 },
                Period { start: as_ as u32 * 60, end: ae as u32 * 60 },
            ],
        })
    }

    /// Working seconds in the day.
    pub fn length(&self) -> u32 {
        self.periods.iter().map(|p| p.end - p.start).sum()
    }

    fn opening(&self) -> u32 {
        self.periods[0].start
    }

    fn closing(&self) -> u32 {
        self.periods[1].end
    }

    /// Working seconds from opening to `t` (`t` inside or between periods).
    fn elapsed(&self, t: u32) -> u32 {
        self.periods.iter().map(|p| t.clamp(p.start, p.end) - p.start).sum()
    }

    /// The clock time after `e` working seconds from opening; exactly at the end of a period
    /// stays at that end.
    fn at_elapsed(&self, mut e: u32) -> u32 {
        for p in &self.periods {
            let len = p.end - p.start;
            if e <= len {
                return p.start + e;
            }
            e -= len;
        }
        self.closing()
    }
}

/// A deadline unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    WorkingDays,
    WorkingHours,
    /// "Trong ngày": due at the end of the receiving day, or of the next working day when
    /// received after the cut-off (seconds after midnight).
    SameDay {
        cutoff: u32,
    },
}

/// Why the calendar is not working or is working on a rest day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    pub working: bool,
    pub hours: Hours,
    pub name: Option<String>,
}

/// Kind of a per-date override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideKind {
    DayOff,
    WorkingDay,
}

/// A per-date override as the calendar applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub day: NaiveDate,
    pub kind: OverrideKind,
    pub name: String,
}

/// A moment as the calendar sees it: day index in the window and seconds after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Moment {
    day: usize,
    secs: u32,
}

/// A window of days with their working status and hours.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    first: NaiveDate,
    days: Vec<DayInfo>,
}

/// Public holidays of a solar year per Labour Code 2019 Art. 112, with days in lieu for
/// holidays falling on a weekly rest day (Art. 112(3)). Sorted by date.
pub fn holidays(year: i32) -> Vec<(NaiveDate, String)> {
    let mut out: Vec<(NaiveDate, String)> = Vec::new();
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    if let Some(d) = ymd(1, 1) {
        out.push((d, "Tết Dương lịch".into()));
    }
    // Tết Nguyên đán: the last day of the old year and the first four days of the new one
    // (the exact five days are set each year by the government: adjust with overrides).
    if let Some(new_year) = lunar::to_solar(LunarDate { year, month: 1, day: 1, leap_month: false }) {
        out.push((new_year - Duration::days(1), "Tết Nguyên đán (ngày cuối năm)".into()));
        for i in 0..4 {
            out.push((new_year + Duration::days(i), format!("Tết Nguyên đán (mùng {})", i + 1)));
        }
    }
    if let Some(d) = lunar::to_solar(LunarDate { year, month: 3, day: 10, leap_month: false }) {
        out.push((d, "Giỗ Tổ Hùng Vương (10/3 âm lịch)".into()));
    }
    if let Some(d) = ymd(4, 30) {
        out.push((d, "Ngày Chiến thắng (30/4)".into()));
    }
    if let Some(d) = ymd(5, 1) {
        out.push((d, "Ngày Quốc tế Lao động (1/5)".into()));
    }
    if let Some(d) = ymd(9, 2) {
        out.push((d, "Quốc khánh (2/9)".into()));
        // The adjacent day that makes the longest break with the weekend.
        let adjacent = match d.weekday() {
            Weekday::Mon | Weekday::Thu | Weekday::Sun => d + Duration::days(1),
            _ => d - Duration::days(1),
        };
        out.push((adjacent, "Quốc khánh (ngày liền kề)".into()));
    }
    out.sort_by_key(|(d, _)| *d);
    let mut out = merge_same_day(out);
    // Days in lieu: a holiday on Saturday or Sunday gives the next working day off.
    let is_holiday = |d: NaiveDate, list: &[(NaiveDate, String)]| list.iter().any(|(h, _)| *h == d);
    let mut extra: Vec<(NaiveDate, String)> = Vec::new();
    for (d, name) in &out {
        if is_weekend(*d) {
            let mut c = *d + Duration::days(1);
            while is_weekend(c) || is_holiday(c, &out) || is_holiday(c, &extra) {
                c += Duration::days(1);
            }
            extra.push((c, format!("Nghỉ bù: {name}")));
        }
    }
    out.extend(extra);
    out.sort_by_key(|(d, _)| *d);
    merge_same_day(out)
}

/// Two holidays on one date (10/3 lunar can fall on 30/4) become one entry with both names.
fn merge_same_day(list: Vec<(NaiveDate, String)>) -> Vec<(NaiveDate, String)> {
    let mut out: Vec<(NaiveDate, String)> = Vec::with_capacity(list.len());
    for (d, name) in list {
        match out.last_mut() {
            Some((last, names)) if *last == d => {
                names.push_str("; ");
                names.push_str(&name);
            }
            _ => out.push((d, name)),
        }
    }
    out
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl WorkCalendar {
    /// Builds the days `first..=last`: weekly pattern, generated holidays, then national
    /// overrides, then the commune's overrides (which win); hours from the schedule entry in
    /// force on each day (`schedule` sorted by date; before the first entry: the default).
    pub fn build(
        first: NaiveDate,
        last: NaiveDate,
        national: &[Override],
        commune: &[Override],
        schedule: &[(NaiveDate, Hours)],
    ) -> WorkCalendar {
        let n = usize::try_from((last - first).num_days() + 1).unwrap_or(0);
        let mut days = Vec::with_capacity(n);
        let mut sched = 0usize;
        let mut hours = Hours::DEFAULT;
        for i in 0..n {
            let date = first + Duration::days(i as i64);
            while sched < schedule.len() && schedule[sched].0 <= date {
                hours = schedule[sched].1;
                sched += 1;
            }
            days.push(DayInfo { working: !is_weekend(date), hours, name: None });
        }
        let mut cal = WorkCalendar { first, days };
        for year in first.year()..=last.year() {
            for (d, name) in holidays(year) {
                if let Some(day) = cal.index(d) {
                    day_set(&mut cal.days[day], false, name);
                }
            }
        }
        for o in national.iter().chain(commune) {
            if let Some(day) = cal.index(o.day) {
                day_set(&mut cal.days[day], o.kind == OverrideKind::WorkingDay, o.name.clone());
            }
        }
        cal
    }

    pub fn first(&self) -> NaiveDate {
        self.first
    }

    pub fn last(&self) -> NaiveDate {
        self.first + Duration::days(self.days.len() as i64 - 1)
    }

    fn index(&self, d: NaiveDate) -> Option<usize> {
        usize::try_from((d - self.first).num_days()).ok().filter(|&i| i < self.days.len())
    }

    /// The day's status, if inside the window.
    pub fn day(&self, d: NaiveDate) -> Option<&DayInfo> {
        self.index(d).map(|i| &self.days[i])
    }

    fn moment(&self, t: NaiveDateTime) -> Option<Moment> {
        Some(Moment { day: self.index(t.date())?, secs: t.time().num_seconds_from_midnight() })
    }

    fn time(&self, m: Moment) -> NaiveDateTime {
        let date = self.first + Duration::days(m.day as i64);
        let time = if m.secs >= 86_400 {
            NaiveTime::from_hms_opt(23, 59, 59)
        } else {
            NaiveTime::from_num_seconds_from_midnight_opt(m.secs, 0)
        };
        date.and_time(time.unwrap_or(NaiveTime::MIN))
    }

    fn next_working(&self, mut day: usize) -> Option<usize> {
        loop {
            day += 1;
            let info = self.days.get(day)?;
            if info.working {
                return Some(day);
            }
        }
    }

    /// The working day `n` working days after `day` (`n = 0`: `day` itself).
    fn nth_working(&self, mut day: usize, n: u32) -> Option<usize> {
        for _ in 0..n {
            day = self.next_working(day)?;
        }
        Some(day)
    }

    /// The first working moment at or after `m`. The end of a period moves on to the next.
    fn normalise(&self, m: Moment) -> Option<Moment> {
        let info = self.days.get(m.day)?;
        if info.working {
            for p in &info.hours.periods {
                if m.secs < p.start {
                    return Some(Moment { day: m.day, secs: p.start });
                }
                if m.secs < p.end {
                    return Some(m);
                }
            }
        }
        let day = self.next_working(m.day)?;
        Some(Moment { day, secs: self.days[day].hours.opening() })
    }

    /// The first working moment at or after `t`.
    pub fn next_working_moment(&self, t: NaiveDateTime) -> Option<NaiveDateTime> {
        Some(self.time(self.normalise(self.moment(t)?)?))
    }

    /// Adds `n` working days: the same working position `n` working days later; a start at
    /// opening ends at the close of the `n`-th working day (17:00, not the next morning).
    pub fn add_working_days(&self, start: NaiveDateTime, n: u32) -> Option<NaiveDateTime> {
        let s = self.normalise(self.moment(start)?)?;
        if n == 0 {
            return Some(self.time(s));
        }
        let e = self.days[s.day].hours.elapsed(s.secs);
        if e == 0 {
            let day = self.nth_working(s.day, n - 1)?;
            return Some(self.time(Moment { day, secs: self.days[day].hours.closing() }));
        }
        let day = self.nth_working(s.day, n)?;
        let hours = &self.days[day].hours;
        Some(self.time(Moment { day, secs: hours.at_elapsed(e.min(hours.length())) }))
    }

    /// Adds `secs` seconds of working time; landing exactly on a period end stays there.
    pub fn add_working_seconds(&self, start: NaiveDateTime, secs: u64) -> Option<NaiveDateTime> {
        let mut m = self.normalise(self.moment(start)?)?;
        let mut left = secs;
        if left == 0 {
            return Some(self.time(m));
        }
        loop {
            let info = &self.days[m.day];
            for p in &info.hours.periods {
                if m.secs >= p.end {
                    continue;
                }
                let from = m.secs.max(p.start);
                let avail = u64::from(p.end - from);
                if left <= avail {
                    return Some(self.time(Moment { day: m.day, secs: from + left as u32 }));
                }
                left -= avail;
            }
            let day = self.next_working(m.day)?;
            m = Moment { day, secs: self.days[day].hours.opening() };
        }
    }

    /// Working seconds in `[a, b)` (0 when `b ≤ a`).
    pub fn working_seconds_between(&self, a: NaiveDateTime, b: NaiveDateTime) -> Option<u64> {
        if b <= a {
            return Some(0);
        }
        let (ma, mb) = (self.moment(a)?, self.moment(b)?);
        let mut total = 0u64;
        for day in ma.day..=mb.day {
            let info = &self.days[day];
            if !info.working {
                continue;
            }
            let lo = if day == ma.day { ma.secs } else { 0 };
            let hi = if day == mb.day { mb.secs } else { 86_400 };
            for p in &info.hours.periods {
                let (s, e) = (p.start.max(lo), p.end.min(hi));
                if e > s {
                    total += u64::from(e - s);
                }
            }
        }
        Some(total)
    }

    /// Same-day deadline: the close of the receiving working day when received at or before
    /// the cut-off, else the close of the next working day.
    pub fn same_day(&self, start: NaiveDateTime, cutoff: u32) -> Option<NaiveDateTime> {
        let m = self.moment(start)?;
        let info = &self.days[m.day];
        let day = if info.working && m.secs <= cutoff && m.secs < info.hours.closing() {
            m.day
        } else {
            self.next_working(m.day)?
        };
        Some(self.time(Moment { day, secs: self.days[day].hours.closing() }))
    }

    /// The due time of `amount` of `unit` from `start`. `None` when the window is too short.
    pub fn due(&self, start: NaiveDateTime, amount: u32, unit: Unit) -> Option<NaiveDateTime> {
        match unit {
            Unit::WorkingDays => self.add_working_days(start, amount),
            Unit::WorkingHours => self.add_working_seconds(start, u64::from(amount) * 3600),
            Unit::SameDay { cutoff } => self.same_day(start, cutoff),
        }
    }
}

fn day_set(info: &mut DayInfo, working: bool, name: String) {
    info.working = working;
    info.name = Some(name);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::build(d(2023, 1, 1), d(2027, 12, 31), &[], &[], &[])
    }

    /// A small deterministic generator (xorshift64*), so property tests need no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    #[test]
    fn holidays_follow_article_112() {
        let h2025: Vec<NaiveDate> = holidays(2025).into_iter().map(|(d, _)| d).collect();
        for day in [
            d(2025, 1, 1),
            d(2025, 1, 28),
            d(2025, 1, 29),
            d(2025, 2, 1),
            d(2025, 4, 7),
            d(2025, 4, 30),
            d(2025, 5, 1),
            d(2025, 9, 2),
            d(2025, 9, 1),
        ] {
            assert!(h2025.contains(&day), "2025 lacks {day}");
        }
        // Tết 2025: mùng 4 (1/2) is a Saturday → a day in lieu on Monday 3/2.
        assert!(h2025.contains(&d(2025, 2, 3)));
        let h2024: Vec<NaiveDate> = holidays(2024).into_iter().map(|(d, _)| d).collect();
        for day in [d(2024, 2, 9), d(2024, 2, 10), d(2024, 2, 13), d(2024, 4, 18), d(2024, 9, 2), d(2024, 9, 3)] {
            assert!(h2024.contains(&day), "2024 lacks {day}");
        }
        // 10 and 11/2/2024 (Sat, Sun) give days in lieu on 14 and 15/2.
        assert!(h2024.contains(&d(2024, 2, 14)) && h2024.contains(&d(2024, 2, 15)));
        let h2026: Vec<NaiveDate> = holidays(2026).into_iter().map(|(d, _)| d).collect();
        for day in [d(2026, 2, 16), d(2026, 2, 17), d(2026, 2, 20), d(2026, 4, 26), d(2026, 4, 27)] {
            assert!(h2026.contains(&day), "2026 lacks {day}");
        }
        // 11 holiday days (1 + 5 + 1 + 1 + 1 + 2) before days in lieu, 10 when 10/3 lunar
        // falls on 30/4 or 1/5.
        assert_eq!(holidays(2025).iter().filter(|(_, n)| !n.starts_with("Nghỉ bù")).count(), 11);
        for y in 1990..2100 {
            let hs = holidays(y);
            let base = hs.iter().filter(|(_, n)| !n.starts_with("Nghỉ bù")).count();
            assert!(base == 11 || base == 10, "{y}: {base}");
            let mut dates: Vec<NaiveDate> = hs.iter().map(|(d, _)| *d).collect();
            dates.dedup();
            assert_eq!(dates.len(), hs.len(), "no date twice in {y}");
            assert!(hs.iter().filter(|(_, n)| n.starts_with("Nghỉ bù")).all(|(d, _)| !is_weekend(*d)));
        }
    }

    #[test]
    fn monday_nine_plus_three_working_days_is_thursday_nine() {
        let c = cal();
        assert_eq!(c.add_working_days(t(2026, 11, 2, 9, 0), 3), Some(t(2026, 11, 5, 9, 0)));
    }

    #[test]
    fn boundaries() {
        let c = cal();
        // Before opening snaps to 07:00: + 1 working day ends at 17:00 the same day.
        assert_eq!(c.add_working_days(t(2026, 11, 2, 6, 0), 1), Some(t(2026, 11, 2, 17, 0)));
        assert_eq!(c.add_working_days(t(2026, 11, 2, 7, 0), 2), Some(t(2026, 11, 3, 17, 0)));
        // Lunch snaps to 13:30; 11:30 itself is the end of the morning.
        assert_eq!(c.add_working_days(t(2026, 11, 2, 12, 0), 1), Some(t(2026, 11, 3, 11, 30)));
        assert_eq!(c.add_working_days(t(2026, 11, 2, 11, 30), 1), Some(t(2026, 11, 3, 11, 30)));
        // After 17:00 counts from the next morning.
        assert_eq!(c.add_working_days(t(2026, 11, 2, 17, 0), 1), Some(t(2026, 11, 3, 17, 0)));
        assert_eq!(c.add_working_days(t(2026, 11, 2, 18, 30), 3), Some(t(2026, 11, 5, 17, 0)));
        // Over a weekend: Friday 10:00 + 1 = Monday 10:00; Saturday counts from Monday.
        assert_eq!(c.add_working_days(t(2026, 11, 6, 10, 0), 1), Some(t(2026, 11, 9, 10, 0)));
        assert_eq!(c.add_working_days(t(2026, 11, 7, 10, 0), 1), Some(t(2026, 11, 9, 17, 0)));
        // Working hours: 16:00 + 2 h = next day 08:00; 09:30 + 2 h = 11:30 (not 13:30).
        assert_eq!(c.add_working_seconds(t(2026, 11, 2, 16, 0), 7200), Some(t(2026, 11, 3, 8, 0)));
        assert_eq!(c.add_working_seconds(t(2026, 11, 2, 9, 30), 7200), Some(t(2026, 11, 2, 11, 30)));
        assert_eq!(c.add_working_seconds(t(2026, 11, 2, 10, 0), 7200), Some(t(2026, 11, 2, 14, 0)));
        // Same day with the 15:00 cut-off.
        assert_eq!(c.same_day(t(2026, 11, 2, 15, 0), 900 * 60), Some(t(2026, 11, 2, 17, 0)));
        assert_eq!(c.same_day(t(2026, 11, 2, 15, 1), 900 * 60), Some(t(2026, 11, 3, 17, 0)));
        assert_eq!(c.same_day(t(2026, 11, 6, 16, 0), 900 * 60), Some(t(2026, 11, 9, 17, 0)));
        assert_eq!(c.same_day(t(2026, 11, 8, 9, 0), 900 * 60), Some(t(2026, 11, 9, 17, 0)));
    }

    #[test]
    fn over_tet_and_overrides() {
        // Friday 13/2/2026 09:00 + 3 working days: 16–20/2 is Tết (eve 16/2 to mùng 4 20/2),
        // so 23, 24 and 25/2 are the working days → Wednesday 25/2 09:00.
        let c = cal();
        assert_eq!(c.add_working_days(t(2026, 2, 13, 9, 0), 3), Some(t(2026, 2, 25, 9, 0)));
        // An override: Tuesday 3/11/2026 off, Saturday 7/11/2026 worked.
        let overrides = [
            Override { day: d(2026, 11, 3), kind: OverrideKind::DayOff, name: "Nghỉ".into() },
            Override { day: d(2026, 11, 7), kind: OverrideKind::WorkingDay, name: "Làm bù".into() },
        ];
        let c = WorkCalendar::build(d(2026, 1, 1), d(2026, 12, 31), &[], &overrides, &[]);
        assert_eq!(c.add_working_days(t(2026, 11, 2, 9, 0), 3), Some(t(2026, 11, 6, 9, 0)));
        assert_eq!(c.add_working_days(t(2026, 11, 6, 9, 0), 1), Some(t(2026, 11, 7, 9, 0)));
        // A commune override wins over the national one for the same date.
        let national = [Override { day: d(2026, 11, 3), kind: OverrideKind::DayOff, name: "Nghỉ".into() }];
        let commune = [Override { day: d(2026, 11, 3), kind: OverrideKind::WorkingDay, name: "Làm".into() }];
        let c = WorkCalendar::build(d(2026, 1, 1), d(2026, 12, 31), &national, &commune, &[]);
        assert!(c.day(d(2026, 11, 3)).unwrap().working);
    }

    #[test]
    fn hours_with_an_effective_date() {
        let summer = Hours::from_minutes(7 * 60, 11 * 60, 13 * 60 + 30, 17 * 60 + 30).unwrap();
        let c = WorkCalendar::build(d(2026, 1, 1), d(2026, 12, 31), &[], &[], &[(d(2026, 11, 4), summer)]);
        assert_eq!(c.add_working_days(t(2026, 11, 3, 6, 0), 1), Some(t(2026, 11, 3, 17, 0)));
        assert_eq!(c.add_working_days(t(2026, 11, 4, 6, 0), 1), Some(t(2026, 11, 4, 17, 30)));
        assert!(Hours::from_minutes(8 * 60, 7 * 60, 13 * 60, 17 * 60).is_none());
    }

    #[test]
    fn paused_time_is_counted_in_working_seconds() {
        let c = cal();
        // Friday 16:00 → Monday 08:00: one hour on Friday and one on Monday.
        assert_eq!(c.working_seconds_between(t(2026, 11, 6, 16, 0), t(2026, 11, 9, 8, 0)), Some(7200));
        assert_eq!(c.working_seconds_between(t(2026, 11, 2, 11, 0), t(2026, 11, 2, 14, 0)), Some(3600));
    }

    #[test]
    fn property_n_then_m_equals_n_plus_m_and_never_on_a_day_off() {
        let overrides = [
            Override { day: d(2026, 6, 3), kind: OverrideKind::DayOff, name: "Nghỉ".into() },
            Override { day: d(2026, 6, 6), kind: OverrideKind::WorkingDay, name: "Làm bù".into() },
        ];
        let c = WorkCalendar::build(d(2023, 1, 1), d(2029, 12, 31), &[], &overrides, &[]);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let base = t(2024, 1, 1, 0, 0);
        for _ in 0..20_000 {
            let start = base + Duration::minutes(rng.below(3 * 365 * 24 * 60) as i64);
            let n = 1 + rng.below(40) as u32;
            let m = 1 + rng.below(40) as u32;
            let a = c.add_working_days(start, n).unwrap();
            let ab = c.add_working_days(a, m).unwrap();
            let direct = c.add_working_days(start, n + m).unwrap();
            assert_eq!(ab, direct, "{start} + {n} + {m}");
            assert!(a >= start, "due before start: {start} + {n} = {a}");
            assert!(c.day(a.date()).unwrap().working, "{start} + {n} = {a} falls on a day off");
            // Working hours obey the same laws.
            let h1 = 900 + rng.below(60) * 3600 + rng.below(4) * 900;
            let h2 = 3600 + rng.below(60) * 3600;
            let x = c.add_working_seconds(start, h1).unwrap();
            assert_eq!(c.add_working_seconds(x, h2).unwrap(), c.add_working_seconds(start, h1 + h2).unwrap());
            assert!(x >= start);
            assert!(c.day(x.date()).unwrap().working);
            // The working time between start and the result is exactly what was added.
            let s = c.next_working_moment(start).unwrap();
            assert_eq!(c.working_seconds_between(s, x), Some(h1));
            let sd = c.same_day(start, 900 * 60).unwrap();
            assert!(sd >= start && c.day(sd.date()).unwrap().working);
        }
    }

    #[test]
    fn property_one_working_day_is_the_days_hours() {
        let c = cal();
        let mut rng = Rng(42);
        for _ in 0..5_000 {
            let start = t(2024, 1, 1, 0, 0) + Duration::minutes(rng.below(2 * 365 * 24 * 60) as i64);
            let n = 1 + rng.below(30) as u32;
            assert_eq!(c.add_working_days(start, n), c.add_working_seconds(start, u64::from(n) * 8 * 3600));
        }
    }
}
