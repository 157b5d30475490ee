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
    /// Calendar days: every day counts; due at the close of the `n`-th day after the start's
    /// day, or of the next working day when that day is a day off.
    CalendarDays,
}

/// Why the calendar is not working or is working on a rest day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    pub working: bool,
    pub hours: Hours,
    pub name: Option<String>,
    /// A Tết day (or its day in lieu) of a year with no decision yet, and no override on it.
    pub provisional: bool,
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

/// Where a holiday rule puts its days in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleDate {
    /// A day of the solar calendar.
    Solar { month: u32, day: u32 },
    /// A day of the Vietnamese lunar calendar.
    Lunar { month: u32, day: u32 },
    /// The Tết days, split around lunar 1/1 by the year's decision ([`TetDecision`]).
    LunarNewYear,
    /// One day next to a solar date, the one that joins the weekend (Quốc khánh's adjacent
    /// day: after a Monday, Thursday or Sunday, before any other day).
    Adjacent { month: u32, day: u32 },
}

/// A public holiday as the law defines it, in force for the days in `[valid_from, valid_to]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayRule {
    pub name: String,
    pub date: RuleDate,
    /// Consecutive days (5 for Tết).
    pub length: u32,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl HolidayRule {
    fn in_force(&self, d: NaiveDate) -> bool {
        self.valid_from <= d && self.valid_to.is_none_or(|to| d <= to)
    }
}

/// The government's decision for one year: how many Tết days fall before lunar 1/1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TetDecision {
    pub year: i32,
    pub days_before: u32,
}

/// Days before lunar 1/1 in a year with no decision yet (the more common split: 2 + 3).
pub const PROVISIONAL_TET_DAYS_BEFORE: u32 = 2;

/// What the calendar's holidays are computed from: the rules and the yearly Tết decisions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rules {
    pub holidays: Vec<HolidayRule>,
    pub tet: Vec<TetDecision>,
}

impl Rules {
    /// The rules and decisions the migrations seed (`calendar_holiday_rules`,
    /// `calendar_tet_decisions`). The server always reads them from the database; this copy is
    /// for pure tests and benchmarks, and an API test checks that the two are the same.
    pub fn shipped() -> Rules {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN);
        let rule = |name: &str, date, length, from| HolidayRule {
            name: name.to_string(),
            date,
            length,
            valid_from: from,
            valid_to: None,
        };
        let always = d(1900, 1, 1);
        Rules {
            holidays: vec![
                rule("Tết Dương lịch", RuleDate::Solar { month: 1, day: 1 }, 1, always),
                rule("Tết Nguyên đán", RuleDate::LunarNewYear, 5, always),
                rule("Giỗ Tổ Hùng Vương (10/3 âm lịch)", RuleDate::Lunar { month: 3, day: 10 }, 1, always),
                rule("Ngày Chiến thắng (30/4)", RuleDate::Solar { month: 4, day: 30 }, 1, always),
                rule("Ngày Quốc tế Lao động (1/5)", RuleDate::Solar { month: 5, day: 1 }, 1, always),
                rule("Quốc khánh (2/9)", RuleDate::Solar { month: 9, day: 2 }, 1, always),
                rule("Quốc khánh (ngày liền kề)", RuleDate::Adjacent { month: 9, day: 2 }, 1, d(2021, 1, 1)),
                rule("Ngày Văn hóa Việt Nam (24/11)", RuleDate::Solar { month: 11, day: 24 }, 1, d(2026, 1, 1)),
            ],
            tet: [(2019, 1), (2020, 2), (2021, 2), (2022, 1), (2023, 2), (2024, 2), (2025, 2), (2026, 1), (2027, 2)]
                .into_iter()
                .map(|(year, days_before)| TetDecision { year, days_before })
                .collect(),
        }
    }

    /// Days before lunar 1/1 in `year`, and whether that is the provisional default.
    pub fn tet_split(&self, year: i32) -> (u32, bool) {
        match self.tet.iter().find(|t| t.year == year) {
            Some(t) => (t.days_before, false),
            None => (PROVISIONAL_TET_DAYS_BEFORE, true),
        }
    }
}

/// A generated holiday (or day in lieu).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    /// From a year whose Tết split is not decided yet (the default applies).
    pub provisional: bool,
}

fn holiday(date: NaiveDate, name: String, provisional: bool) -> Holiday {
    Holiday { date, name, provisional }
}

/// Public holidays of a solar year from `rules` (Labour Code 2019 Art. 112 as seeded), with
/// days in lieu for holidays falling on a weekly rest day (Art. 112(3)). Sorted by date.
pub fn holidays(year: i32, rules: &Rules) -> Vec<Holiday> {
    let mut out: Vec<Holiday> = Vec::new();
    for r in &rules.holidays {
        let mut days: Vec<Holiday> = Vec::new();
        let run = |start: NaiveDate, name: &str, days: &mut Vec<Holiday>| {
            for i in 0..r.length {
                let label = if r.length > 1 { format!("{name} (ngày {})", i + 1) } else { name.to_string() };
                days.push(holiday(start + Duration::days(i64::from(i)), label, false));
            }
        };
        match r.date {
            RuleDate::Solar { month, day } => {
                if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                    run(d, &r.name, &mut days);
                }
            }
            RuleDate::Lunar { month, day } => {
                if let Some(d) = lunar::to_solar(LunarDate { year, month, day, leap_month: false }) {
                    run(d, &r.name, &mut days);
                }
            }
            RuleDate::Adjacent { month, day } => {
                if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                    let adjacent = match d.weekday() {
                        Weekday::Mon | Weekday::Thu | Weekday::Sun => d + Duration::days(1),
                        _ => d - Duration::days(1),
                    };
                    days.push(holiday(adjacent, r.name.clone(), false));
                }
            }
            RuleDate::LunarNewYear => {
                let first = LunarDate { year, month: 1, day: 1, leap_month: false };
                if let Some(new_year) = lunar::to_solar(first) {
                    let (before, provisional) = rules.tet_split(year);
                    let before = before.min(r.length);
                    for i in 0..r.length {
                        let d = new_year + Duration::days(i64::from(i) - i64::from(before));
                        let label = if i < before {
                            let ld = lunar::to_lunar(d).map(|l| l.day).unwrap_or(0);
                            format!("{} ({ld} tháng Chạp)", r.name)
                        } else {
                            format!("{} (mùng {})", r.name, i - before + 1)
                        };
                        days.push(holiday(d, label, provisional));
                    }
                }
            }
        }
        out.extend(days.into_iter().filter(|h| r.in_force(h.date) && h.date.year() == year));
    }
    out.sort_by_key(|h| h.date);
    let mut out = merge_same_day(out);
    // Days in lieu: a holiday on Saturday or Sunday gives the next working day off.
    let is_holiday = |d: NaiveDate, list: &[Holiday]| list.iter().any(|h| h.date == d);
    let mut extra: Vec<Holiday> = Vec::new();
    for h in &out {
        if is_weekend(h.date) {
            let mut c = h.date + Duration::days(1);
            while is_weekend(c) || is_holiday(c, &out) || is_holiday(c, &extra) {
                c += Duration::days(1);
            }
            extra.push(holiday(c, format!("Nghỉ bù: {}", h.name), h.provisional));
        }
    }
    out.extend(extra);
    out.sort_by_key(|h| h.date);
    merge_same_day(out)
}

/// Two holidays on one date (10/3 lunar can fall on 30/4) become one entry with both names.
fn merge_same_day(list: Vec<Holiday>) -> Vec<Holiday> {
    let mut out: Vec<Holiday> = Vec::with_capacity(list.len());
    for h in list {
        match out.last_mut() {
            Some(last) if last.date == h.date => {
                last.name.push_str("; ");
                last.name.push_str(&h.name);
                last.provisional |= h.provisional;
            }
            _ => out.push(h),
        }
    }
    out
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl WorkCalendar {
    /// [`WorkCalendar::build_with`] the [`Rules::shipped`] rules and two layers of overrides,
    /// national then the commune's (for tests, benchmarks and the demo generator).
    pub fn build(
        first: NaiveDate,
        last: NaiveDate,
        national: &[Override],
        commune: &[Override],
        schedule: &[(NaiveDate, Hours)],
    ) -> WorkCalendar {
        WorkCalendar::build_with(first, last, &Rules::shipped(), &[national, commune], schedule)
    }

    /// Builds the days `first..=last`: weekly pattern, the holidays of `rules`, then each layer
    /// of overrides in turn (national, provincial, the commune's: a later layer wins); hours
    /// from the schedule entry in force on each day (`schedule` sorted by date; before the
    /// first entry: the default).
    pub fn build_with(
        first: NaiveDate,
        last: NaiveDate,
        rules: &Rules,
        layers: &[&[Override]],
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
            days.push(DayInfo { working: !is_weekend(date), hours, name: None, provisional: false });
        }
        let mut cal = WorkCalendar { first, days };
        for year in first.year()..=last.year() {
            for h in holidays(year, rules) {
                if let Some(day) = cal.index(h.date) {
                    day_set(&mut cal.days[day], false, h.name);
                    cal.days[day].provisional = h.provisional;
                }
            }
        }
        for o in layers.iter().flat_map(|l| l.iter()) {
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

    /// Whether `t` falls in a working period of a working day, its close included: a time a
    /// citizen can be given an appointment at. Outside the window: no.
    pub fn is_working_time(&self, t: NaiveDateTime) -> bool {
        let Some(m) = self.moment(t) else { return false };
        self.days
            .get(m.day)
            .is_some_and(|info| info.working && info.hours.periods.iter().any(|p| p.start <= m.secs && m.secs <= p.end))
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

    /// `n` calendar days from `start`'s day; a last day that is not a working day moves to the
    /// next working day. Due at the close of that day.
    pub fn add_calendar_days(&self, start: NaiveDateTime, n: u32) -> Option<NaiveDateTime> {
        let m = self.moment(start)?;
        let mut day = m.day + n as usize;
        if !self.days.get(day)?.working {
            day = self.next_working(day)?;
        }
        Some(self.time(Moment { day, secs: self.days[day].hours.closing() }))
    }

    /// The close of the working day a due time ends: a time counted in days runs to the end of
    /// its last day. A due time at (or before) a day's opening, or on a day off, is the close of
    /// the working day before — the time ran out there.
    pub fn closing_of(&self, t: NaiveDateTime) -> Option<NaiveDateTime> {
        let m = self.moment(t)?;
        let mut day = m.day;
        let info = self.days.get(day)?;
        if !info.working || m.secs <= info.hours.opening() {
            day = (0..day).rev().find(|d| self.days[*d].working)?;
        }
        Some(self.time(Moment { day, secs: self.days[day].hours.closing() }))
    }

    /// The due time of `amount` of `unit` from `start`. `None` when the window is too short.
    pub fn due(&self, start: NaiveDateTime, amount: u32, unit: Unit) -> Option<NaiveDateTime> {
        match unit {
            Unit::WorkingDays => self.add_working_days(start, amount),
            Unit::WorkingHours => self.add_working_seconds(start, u64::from(amount) * 3600),
            Unit::SameDay { cutoff } => self.same_day(start, cutoff),
            Unit::CalendarDays => self.add_calendar_days(start, amount),
        }
    }
}

fn day_set(info: &mut DayInfo, working: bool, name: String) {
    info.working = working;
    info.name = Some(name);
    info.provisional = false;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::time::at::{d, t};

    fn cal() -> WorkCalendar {
        WorkCalendar::build(d(2023, 1, 1), d(2027, 12, 31), &[], &[], &[])
    }

    fn off_days(c: &WorkCalendar, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|x| *x <= to).filter(|x| !c.day(*x).unwrap().working).collect()
    }

    fn range(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|x| *x <= to).collect()
    }

    #[test]
    fn holidays_follow_article_112() {
        let rules = Rules::shipped();
        let h2025: Vec<NaiveDate> = holidays(2025, &rules).into_iter().map(|h| h.date).collect();
        for day in [
            d(2025, 1, 1),
            d(2025, 1, 27),
            d(2025, 1, 28),
            d(2025, 1, 29),
            d(2025, 1, 31),
            d(2025, 4, 7),
            d(2025, 4, 30),
            d(2025, 5, 1),
            d(2025, 9, 2),
            d(2025, 9, 1),
        ] {
            assert!(h2025.contains(&day), "2025 lacks {day}");
        }
        // Tết 2025 is 27–31/1 (two days before mùng 1): no Tết day on a weekend, no day in lieu.
        assert!(!h2025.contains(&d(2025, 2, 1)) && !h2025.contains(&d(2025, 2, 3)));
        let lieu = |hs: &[Holiday]| hs.iter().filter(|h| h.name.starts_with("Nghỉ bù")).count();
        // 11 holiday days (1 + 5 + 1 + 1 + 1 + 2) before days in lieu until 2025, 12 from 2026
        // (24/11); one fewer when 10/3 lunar falls on 30/4 or 1/5; before 2021 (Labour Code
        // 2012) Quốc khánh was one day.
        assert_eq!(holidays(2025, &rules).len() - lieu(&holidays(2025, &rules)), 11);
        for y in 1990..2100 {
            let hs = holidays(y, &rules);
            let base = hs.len() - lieu(&hs);
            let full = match y {
                ..2021 => 10,
                2021..2026 => 11,
                _ => 12,
            };
            assert!(base == full || base == full - 1, "{y}: {base}");
            let mut dates: Vec<NaiveDate> = hs.iter().map(|h| h.date).collect();
            dates.dedup();
            assert_eq!(dates.len(), hs.len(), "no date twice in {y}");
            assert!(hs.iter().filter(|h| h.name.starts_with("Nghỉ bù")).all(|h| !is_weekend(h.date)));
            assert_eq!(hs.iter().any(|h| h.provisional), !(2019..=2027).contains(&y), "{y}");
        }
    }

    #[test]
    fn working_time_is_a_working_day_within_its_hours() {
        let c = WorkCalendar::build(d(2026, 11, 1), d(2026, 12, 31), &[], &[], &[]);
        let at = |day: NaiveDate, h: u32, m: u32| day.and_hms_opt(h, m, 0).unwrap();
        // Monday 7/12/2026: the morning and afternoon periods, their ends included.
        let monday = d(2026, 12, 7);
        for (h, m) in [(7, 0), (11, 30), (13, 30), (17, 0)] {
            assert!(c.is_working_time(at(monday, h, m)), "{h}:{m}");
        }
        for (h, m) in [(6, 59), (12, 0), (17, 1), (22, 0)] {
            assert!(!c.is_working_time(at(monday, h, m)), "{h}:{m}");
        }
        // A Sunday and the 24/11 holiday are not, at any hour; outside the window, nothing is.
        assert!(!c.is_working_time(at(d(2026, 12, 6), 9, 0)));
        assert!(!c.is_working_time(at(d(2026, 11, 24), 9, 0)));
        assert!(!c.is_working_time(at(d(2027, 3, 1), 9, 0)));
    }

    #[test]
    fn tet_follows_each_years_decision() {
        let c = WorkCalendar::build(d(2019, 1, 1), d(2028, 12, 31), &[], &[], &[]);
        // The decided days off around Tết, weekends and days in lieu included.
        for (from, to) in [
            (d(2019, 2, 2), d(2019, 2, 10)),
            (d(2020, 1, 23), d(2020, 1, 29)),
            (d(2021, 2, 10), d(2021, 2, 16)),
            (d(2022, 1, 29), d(2022, 2, 6)),
            (d(2023, 1, 20), d(2023, 1, 26)),
            (d(2024, 2, 8), d(2024, 2, 14)),
            (d(2025, 1, 25), d(2025, 2, 2)),
            (d(2026, 2, 14), d(2026, 2, 22)),
            (d(2027, 2, 4), d(2027, 2, 10)),
        ] {
            // Off days within a week either side, leaving out the plain weekends outside.
            let around: Vec<NaiveDate> = off_days(&c, from - Duration::days(7), to + Duration::days(7))
                .into_iter()
                .filter(|x| (from..=to).contains(x) || !is_weekend(*x))
                .collect();
            assert_eq!(around, range(from, to), "Tết {}", from.year());
            assert!(!c.day(from).unwrap().provisional, "{} is decided", from.year());
        }
        // 2024: 8/2 is 29 tháng Chạp, 15/2 is a working Thursday (the old generator had it off).
        assert_eq!(c.day(d(2024, 2, 8)).unwrap().name.as_deref(), Some("Tết Nguyên đán (29 tháng Chạp)"));
        assert!(c.day(d(2024, 2, 15)).unwrap().working);
        // 2028 has no decision: two days before 26/1/2028 (mùng 1), marked provisional.
        assert_eq!(
            lunar::to_solar(LunarDate { year: 2028, month: 1, day: 1, leap_month: false }),
            Some(d(2028, 1, 26))
        );
        let tet = c.day(d(2028, 1, 24)).unwrap();
        assert!(!tet.working && tet.provisional);
        assert!(!c.day(d(2028, 1, 23)).unwrap().working && !c.day(d(2028, 1, 23)).unwrap().provisional);
        // 24–28/1 (Monday to Friday): no weekend day in Tết, no day in lieu.
        assert_eq!(off_days(&c, d(2028, 1, 22), d(2028, 1, 30)), range(d(2028, 1, 22), d(2028, 1, 30)));
        assert!(c.day(d(2028, 1, 31)).unwrap().working);
        assert!(!c.day(d(2028, 1, 22)).unwrap().provisional, "a plain Saturday is not provisional");
        // A decision entered for 2028 (one before, four after) replaces the default.
        let mut rules = Rules::shipped();
        rules.tet.push(TetDecision { year: 2028, days_before: 1 });
        let c = WorkCalendar::build_with(d(2028, 1, 1), d(2028, 12, 31), &rules, &[], &[]);
        assert!(c.day(d(2028, 1, 24)).unwrap().working);
        assert!(!c.day(d(2028, 1, 31)).unwrap().working && !c.day(d(2028, 1, 31)).unwrap().provisional);
    }

    #[test]
    fn rules_have_an_effective_date() {
        let c = WorkCalendar::build(d(2020, 1, 1), d(2027, 12, 31), &[], &[], &[]);
        // 24/11 is a day off from 2026 (Tuesday 24/11/2026), a working day before.
        assert!(!c.day(d(2026, 11, 24)).unwrap().working);
        assert_eq!(c.day(d(2026, 11, 24)).unwrap().name.as_deref(), Some("Ngày Văn hóa Việt Nam (24/11)"));
        assert!(c.day(d(2025, 11, 24)).unwrap().working);
        // Quốc khánh: one day under the Labour Code 2012 (2020), 2/9 and an adjacent day from 2021.
        assert!(c.day(d(2020, 9, 1)).unwrap().working && c.day(d(2020, 9, 3)).unwrap().working);
        assert!(!c.day(d(2021, 9, 3)).unwrap().working);
        // A rule ended by a later one: without the 24/11 rule, 24/11/2026 is a working day.
        let mut rules = Rules::shipped();
        rules.holidays.retain(|r| !r.name.starts_with("Ngày Văn hóa"));
        let c = WorkCalendar::build_with(d(2026, 1, 1), d(2026, 12, 31), &rules, &[], &[]);
        assert!(c.day(d(2026, 11, 24)).unwrap().working);
        let mut rules = Rules::shipped();
        for r in &mut rules.holidays {
            if r.name.starts_with("Ngày Văn hóa") {
                r.valid_to = Some(d(2026, 12, 31));
            }
        }
        let c = WorkCalendar::build_with(d(2026, 1, 1), d(2027, 12, 31), &rules, &[], &[]);
        assert!(!c.day(d(2026, 11, 24)).unwrap().working && c.day(d(2027, 11, 24)).unwrap().working);
    }

    #[test]
    fn provincial_overrides_sit_between_national_and_commune() {
        let o = |m, day, kind, name: &str| Override { day: d(2026, m, day), kind, name: name.into() };
        let national = [o(12, 7, OverrideKind::DayOff, "quốc gia"), o(12, 8, OverrideKind::DayOff, "quốc gia")];
        let province = [o(12, 8, OverrideKind::WorkingDay, "tỉnh"), o(12, 9, OverrideKind::DayOff, "tỉnh")];
        let commune = [o(12, 9, OverrideKind::WorkingDay, "xã")];
        let c = WorkCalendar::build_with(
            d(2026, 1, 1),
            d(2026, 12, 31),
            &Rules::shipped(),
            &[&national, &province, &commune],
            &[],
        );
        assert!(!c.day(d(2026, 12, 7)).unwrap().working);
        assert!(c.day(d(2026, 12, 8)).unwrap().working, "the province wins over the nation");
        assert!(c.day(d(2026, 12, 9)).unwrap().working, "the commune wins over the province");
        assert_eq!(c.day(d(2026, 12, 9)).unwrap().name.as_deref(), Some("xã"));
    }

    #[test]
    fn calendar_days_count_every_day_and_end_on_a_working_day() {
        let c = cal();
        // Monday 2/11/2026 10:00 + 10 calendar days = Thursday 12/11 at closing.
        assert_eq!(c.add_calendar_days(t(2026, 11, 2, 10, 0), 10), Some(t(2026, 11, 12, 17, 0)));
        // Received on a Saturday: still counts from that day. 7/11 + 7 = Saturday 14/11 → Monday 16/11.
        assert_eq!(c.due(t(2026, 11, 7, 9, 0), 7, Unit::CalendarDays), Some(t(2026, 11, 16, 17, 0)));
        // Last day on 24/11/2026 (Ngày Văn hóa Việt Nam) moves to Wednesday 25/11.
        assert_eq!(c.add_calendar_days(t(2026, 11, 14, 9, 0), 10), Some(t(2026, 11, 25, 17, 0)));
        // Over Tết 2026: 10/2 + 7 = 17/2 (mùng 1) → the first working day, Monday 23/2.
        assert_eq!(c.add_calendar_days(t(2026, 2, 10, 9, 0), 7), Some(t(2026, 2, 23, 17, 0)));
        // A calendar-day limit is never shorter than the same number of days.
        let mut rng = Rng::new(7);
        for _ in 0..2_000 {
            let start = t(2024, 1, 1, 0, 0) + Duration::minutes(rng.below(2 * 365 * 24 * 60) as i64);
            let n = 1 + rng.below(60) as u32;
            let due = c.add_calendar_days(start, n).unwrap();
            assert!(due.date() >= start.date() + Duration::days(i64::from(n)));
            assert!(c.day(due.date()).unwrap().working);
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
        // Friday 13/2/2026 09:00 + 3 working days: 16–20/2 is Tết (29 tháng Chạp to mùng 4,
        // as decided for 2026), so 23, 24 and 25/2 are the working days → Wednesday 25/2 09:00.
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
        let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
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
        let mut rng = Rng::new(42);
        for _ in 0..5_000 {
            let start = t(2024, 1, 1, 0, 0) + Duration::minutes(rng.below(2 * 365 * 24 * 60) as i64);
            let n = 1 + rng.below(30) as u32;
            assert_eq!(c.add_working_days(start, n), c.add_working_seconds(start, u64::from(n) * 8 * 3600));
        }
    }
}
