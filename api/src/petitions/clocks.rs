//! The legal clocks of a petition, as pure functions of the rules in force (data with an
//! effective date), the commune's working calendar and the petition's facts. Local times in
//! and out.
//!
//! - calendar-day clocks count every day and a last day that is a day off moves to the next
//!   working day (the calendar's `CalendarDays` unit); a pause adds its calendar days;
//! - working-day clocks count working days (the calendar's `WorkingDays` unit); a pause adds
//!   the working time it lasted; the time runs to the close of the last working day;
//! - only pauses that start inside a clock's window (after its start, before its end) move it.

use chrono::{NaiveDate, NaiveDateTime};

use crate::calendar::engine::{Unit, WorkCalendar};

/// A clock rule as stored (`petition_clock_rules`).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub kind: String,
    pub clock: String,
    pub amount: u32,
    pub unit: Unit,
    pub effective_from: NaiveDate,
    pub source: String,
}

/// The rule of `kind`/`clock` in force on `on`: the latest that took effect on or before it.
pub fn in_force<'a>(rules: &'a [Rule], kind: &str, clock: &str, on: NaiveDate) -> Option<&'a Rule> {
    rules
        .iter()
        .filter(|r| r.kind == kind && r.clock == clock && r.effective_from <= on)
        .max_by_key(|r| r.effective_from)
}

/// The family of rules a petition kind follows: recommendations and feedback share the
/// national portal's clocks; "other" has none.
pub fn rule_kind(kind: &str) -> Option<&'static str> {
    match kind {
        "complaint" => Some("complaint"),
        "denunciation" => Some("denunciation"),
        "feedback" | "recommendation" => Some("feedback"),
        _ => None,
    }
}

/// A time the clock stood still while the petitioner was asked for information.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pause {
    pub from: NaiveDateTime,
    pub to: Option<NaiveDateTime>,
}

/// A written extension decision (denunciations).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extension {
    pub decision_date: NaiveDate,
    pub days: u32,
}

/// What the clocks of one petition depend on (local times).
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub kind: &'a str,
    pub received: NaiveDateTime,
    /// The decision on acceptance: accepted, refused or forwarded.
    pub decided: Option<NaiveDateTime>,
    pub accepted: Option<NaiveDateTime>,
    /// Whether the decision was a refusal (feedback's 2-day refusal clock).
    pub refused: bool,
    /// 0 normal, 1 complex, 2 very complex.
    pub complexity: u8,
    pub remote: bool,
    pub extensions: &'a [Extension],
    pub pauses: &'a [Pause],
    /// First time more information was asked for.
    pub info_asked: Option<NaiveDateTime>,
    pub concluded: Option<NaiveDateTime>,
    pub published: Option<NaiveDateTime>,
    /// The petition left the process otherwise (withdrawn, forwarded, refused): open clocks stop.
    pub stopped: Option<NaiveDateTime>,
    pub now: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    Running,
    Paused,
    Overdue,
    Met,
    Missed,
    /// The petition left the process before this clock ended.
    Stopped,
}

impl ClockState {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::Running => "running",
            ClockState::Paused => "paused",
            ClockState::Overdue => "overdue",
            ClockState::Met => "met",
            ClockState::Missed => "missed",
            ClockState::Stopped => "stopped",
        }
    }
}

/// One computed clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    /// `accept`, `settle`, `refuse`, `ask_info`, `handle`, `publish`.
    pub name: &'static str,
    /// The rule applied (`settle_complex`, …).
    pub rule: String,
    pub start: NaiveDateTime,
    pub due: NaiveDateTime,
    pub amount: u32,
    pub unit: Unit,
    pub source: String,
    pub extended_days: u32,
    /// Calendar days (calendar clocks) or whole working minutes (working clocks) paused.
    pub paused_days: i64,
    pub paused_minutes: i64,
    pub end: Option<NaiveDateTime>,
    pub state: ClockState,
}

/// Why an extension cannot be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionRefusal {
    NotComplex,
    TooMany,
    TooLong,
    OverTotal,
}

/// Whether one more extension of `days` may be decided: once for a complex case, twice for a
/// very complex one, each at most the rule's amount, the whole at most `max_total` days.
pub fn check_extension(
    complexity: u8,
    existing: &[Extension],
    days: u32,
    base: u32,
    per_extension: u32,
    max_total: u32,
) -> Result<(), ExtensionRefusal> {
    if complexity == 0 {
        return Err(ExtensionRefusal::NotComplex);
    }
    if existing.len() >= usize::from(complexity) {
        return Err(ExtensionRefusal::TooMany);
    }
    if days == 0 || days > per_extension {
        return Err(ExtensionRefusal::TooLong);
    }
    let total: u32 = base + existing.iter().map(|e| e.days).sum::<u32>() + days;
    if total > max_total {
        return Err(ExtensionRefusal::OverTotal);
    }
    Ok(())
}

fn paused_in(pauses: &[Pause], start: NaiveDateTime, end: Option<NaiveDateTime>, now: NaiveDateTime) -> Vec<Pause> {
    pauses
        .iter()
        .filter(|p| p.from >= start && end.is_none_or(|e| p.from < e))
        .map(|p| {
            let stop = match (p.to, end) {
                (Some(t), Some(e)) => Some(t.min(e)),
                (Some(t), None) => Some(t),
                (None, e) => Some(e.unwrap_or(now)),
            };
            Pause { from: p.from, to: stop }
        })
        .collect()
}

/// One clock of `amount` `unit` from `start`, moved by the pauses inside it and extended by
/// `extended` calendar days. `None` when the calendar's window is too short.
#[allow(clippy::too_many_arguments)]
pub fn clock(
    cal: &WorkCalendar,
    name: &'static str,
    rule: &Rule,
    start: NaiveDateTime,
    extended: u32,
    pauses: &[Pause],
    end: Option<NaiveDateTime>,
    stopped: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Option<Clock> {
    let window_end = end.or(stopped);
    let inside = paused_in(pauses, start, window_end, now);
    let open_pause = window_end.is_none() && pauses.iter().any(|p| p.from >= start && p.to.is_none());
    let (due, paused_days, paused_minutes) = match rule.unit {
        Unit::CalendarDays => {
            let days: i64 = inside.iter().map(|p| (p.to.unwrap_or(now).date() - p.from.date()).num_days().max(0)).sum();
            let total = rule.amount + extended + u32::try_from(days).unwrap_or(0);
            (cal.add_calendar_days(start, total)?, days, 0)
        }
        _ => {
            let base = cal.due(start, rule.amount + extended, rule.unit)?;
            // Whole minutes of working time paused (seconds are no pause).
            let secs: u64 = inside
                .iter()
                .map(|p| cal.working_seconds_between(p.from, p.to.unwrap_or(now)).unwrap_or(0) / 60 * 60)
                .sum();
            let due = if secs > 0 { cal.add_working_seconds(base, secs)? } else { base };
            // Counted in days, the time runs to the close of its last working day (as the
            // calendar-day clocks do): acting at 10:00 on the seventh day is on time.
            (cal.closing_of(due)?, 0, i64::try_from(secs / 60).unwrap_or(i64::MAX))
        }
    };
    let state = match (end, stopped) {
        (Some(e), _) if e <= due => ClockState::Met,
        (Some(_), _) => ClockState::Missed,
        (None, Some(_)) => ClockState::Stopped,
        (None, None) if open_pause => ClockState::Paused,
        (None, None) if now > due => ClockState::Overdue,
        _ => ClockState::Running,
    };
    Some(Clock {
        name,
        rule: rule.clock.clone(),
        start,
        due,
        amount: rule.amount + extended,
        unit: rule.unit,
        source: rule.source.clone(),
        extended_days: extended,
        paused_days,
        paused_minutes,
        end,
        state,
    })
}

/// Every clock of a petition, in the order the law runs them.
pub fn clocks(cal: &WorkCalendar, rules: &[Rule], f: &Facts<'_>) -> Vec<Clock> {
    let Some(family) = rule_kind(f.kind) else { return Vec::new() };
    let mut out = Vec::new();
    let mut push = |name: &'static str, rule_name: &str, start: NaiveDateTime, ext: u32, end, stopped| {
        if let Some(rule) = in_force(rules, family, rule_name, start.date())
            && let Some(c) = clock(cal, name, rule, start, ext, f.pauses, end, stopped, f.now)
        {
            out.push(c);
        }
    };
    match family {
        "complaint" | "denunciation" => {
            push("accept", "accept", f.received, 0, f.decided, f.stopped);
            if let Some(accepted) = f.accepted {
                let settle = match (family, f.remote, f.complexity > 0) {
                    ("complaint", false, false) => "settle",
                    ("complaint", false, true) => "settle_complex",
                    ("complaint", true, false) => "settle_remote",
                    ("complaint", true, true) => "settle_remote_complex",
                    _ => "settle",
                };
                let ext = if family == "denunciation" { f.extensions.iter().map(|e| e.days).sum() } else { 0 };
                push("settle", settle, accepted, ext, f.concluded, f.stopped);
            }
        }
        _ => {
            if f.refused {
                push("refuse", "refuse", f.received, 0, f.decided, None);
            } else if f.decided.is_none() {
                push("refuse", "refuse", f.received, 0, None, f.stopped);
            }
            if let Some(asked) = f.info_asked {
                push("ask_info", "ask_info", f.received, 0, Some(asked), None);
            }
            if !f.refused {
                push("handle", "handle", f.received, 0, f.concluded, f.stopped);
            }
            if let Some(concluded) = f.concluded {
                push("publish", "publish", concluded, 0, f.published, f.stopped.filter(|s| *s >= concluded));
            }
        }
    }
    out
}

/// The clock that runs now (the first one neither ended nor stopped), for the lists.
pub fn running(clocks: &[Clock]) -> Option<&Clock> {
    clocks.iter().find(|c| matches!(c.state, ClockState::Running | ClockState::Overdue | ClockState::Paused))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::time::at::{d, t};
    use chrono::Duration;

    fn cal() -> WorkCalendar {
        WorkCalendar::build(d(2025, 1, 1), d(2028, 12, 31), &[], &[], &[])
    }

    fn rule(kind: &str, clock: &str, amount: u32, unit: Unit) -> Rule {
        Rule {
            kind: kind.into(),
            clock: clock.into(),
            amount,
            unit,
            effective_from: d(2012, 7, 1),
            source: "test".into(),
        }
    }

    /// The rules the migration ships.
    fn rules() -> Vec<Rule> {
        use Unit::*;
        vec![
            rule("complaint", "accept", 10, CalendarDays),
            rule("complaint", "settle", 30, CalendarDays),
            rule("complaint", "settle_complex", 45, CalendarDays),
            rule("complaint", "settle_remote", 45, CalendarDays),
            rule("complaint", "settle_remote_complex", 60, CalendarDays),
            rule("denunciation", "accept", 7, WorkingDays),
            rule("denunciation", "settle", 30, CalendarDays),
            rule("feedback", "handle", 15, WorkingDays),
            rule("feedback", "refuse", 2, WorkingDays),
            rule("feedback", "ask_info", 5, WorkingDays),
            rule("feedback", "publish", 2, WorkingDays),
        ]
    }

    fn facts<'a>(kind: &'a str, received: NaiveDateTime, now: NaiveDateTime) -> Facts<'a> {
        Facts {
            kind,
            received,
            decided: None,
            accepted: None,
            refused: false,
            complexity: 0,
            remote: false,
            extensions: &[],
            pauses: &[],
            info_asked: None,
            concluded: None,
            published: None,
            stopped: None,
            now,
        }
    }

    fn due_of(cs: &[Clock], name: &str) -> NaiveDateTime {
        cs.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no clock {name}")).due
    }

    #[test]
    fn complaint_clocks_normal_complex_remote() {
        let c = cal();
        let r = rules();
        // Received Mon 2/11/2026 10:00: accept within 10 calendar days → Thu 12/11 at 17:00.
        let mut f = facts("complaint", t(2026, 11, 2, 10, 0), t(2026, 11, 3, 9, 0));
        assert_eq!(due_of(&clocks(&c, &r, &f), "accept"), t(2026, 11, 12, 17, 0));
        // Accepted Thu 5/11: 30 days → Sat 5/12 → Mon 7/12.
        f.decided = Some(t(2026, 11, 5, 9, 0));
        f.accepted = f.decided;
        let cs = clocks(&c, &r, &f);
        assert_eq!(cs[0].state, ClockState::Met);
        assert_eq!(due_of(&cs, "settle"), t(2026, 12, 7, 17, 0));
        assert_eq!(cs[1].rule, "settle");
        // Complex: 45 days → Sun 20/12 → Mon 21/12. Remote: 45 as well.
        f.complexity = 1;
        assert_eq!(due_of(&clocks(&c, &r, &f), "settle"), t(2026, 12, 21, 17, 0));
        f.complexity = 0;
        f.remote = true;
        let cs = clocks(&c, &r, &f);
        assert_eq!((due_of(&cs, "settle"), cs[1].rule.as_str()), (t(2026, 12, 21, 17, 0), "settle_remote"));
        // Remote and complex: 60 days → Mon 4/1/2027 (30/11 is day 25, 31/12 day 56).
        f.complexity = 1;
        assert_eq!(due_of(&clocks(&c, &r, &f), "settle"), t(2027, 1, 4, 17, 0));
    }

    #[test]
    fn a_last_day_on_a_holiday_moves_to_the_next_working_day() {
        let c = cal();
        let r = rules();
        // Accepted Sun 25/10/2026: day 30 is Tue 24/11, Ngày Văn hóa Việt Nam → Wed 25/11.
        let mut f = facts("complaint", t(2026, 10, 20, 9, 0), t(2026, 10, 26, 9, 0));
        f.decided = Some(t(2026, 10, 25, 9, 0));
        f.accepted = f.decided;
        assert_eq!(due_of(&clocks(&c, &r, &f), "settle"), t(2026, 11, 25, 17, 0));
        // Received Fri 6/2/2026: day 10 is Mon 16/2, the first day of Tết (16–20/2), then a
        // weekend → Mon 23/2.
        let f = facts("complaint", t(2026, 2, 6, 9, 0), t(2026, 2, 7, 9, 0));
        assert_eq!(due_of(&clocks(&c, &r, &f), "accept"), t(2026, 2, 23, 17, 0));
    }

    #[test]
    fn denunciation_acceptance_counts_working_days() {
        let c = cal();
        let r = rules();
        // Mon 9/11/2026 09:00 + 7 working days: 10, 11, 12, 13, 16, 17, 18 → to the close of
        // Wed 18/11 (a time counted in days runs to the end of its last day).
        let f = facts("denunciation", t(2026, 11, 9, 9, 0), t(2026, 11, 9, 10, 0));
        assert_eq!(due_of(&clocks(&c, &r, &f), "accept"), t(2026, 11, 18, 17, 0));
        // Mon 16/11 09:00: 17, 18, 19, 20, 23, (24 off), 25, 26 → Thu 26/11 17:00.
        let mut f = facts("denunciation", t(2026, 11, 16, 9, 0), t(2026, 11, 16, 10, 0));
        assert_eq!(due_of(&clocks(&c, &r, &f), "accept"), t(2026, 11, 26, 17, 0));
        // Decided at 10:00 on the seventh day: on time.
        f.decided = Some(t(2026, 11, 26, 10, 0));
        f.accepted = f.decided;
        f.now = t(2026, 11, 27, 9, 0);
        assert_eq!(clocks(&c, &r, &f)[0].state, ClockState::Met);
        // Overdue the minute after the close, while undecided.
        let f = facts("denunciation", t(2026, 11, 16, 9, 0), t(2026, 11, 26, 17, 1));
        assert_eq!(clocks(&c, &r, &f)[0].state, ClockState::Overdue);
        // Received on Saturday 14/11 (or after hours on Friday): counted from Monday's opening,
        // its seven days are 16 … 20, 23, 25 → Wed 25/11 17:00, never a day's opening.
        let f = facts("denunciation", t(2026, 11, 14, 10, 0), t(2026, 11, 14, 11, 0));
        assert_eq!(due_of(&clocks(&c, &r, &f), "accept"), t(2026, 11, 25, 17, 0));
    }

    #[test]
    fn denunciation_extensions() {
        let c = cal();
        let r = rules();
        // Accepted Mon 2/11/2026: 30 days → Wed 2/12.
        let mut f = facts("denunciation", t(2026, 10, 28, 9, 0), t(2026, 11, 3, 9, 0));
        f.decided = Some(t(2026, 11, 2, 9, 0));
        f.accepted = f.decided;
        f.complexity = 2;
        assert_eq!(due_of(&clocks(&c, &r, &f), "settle"), t(2026, 12, 2, 17, 0));
        // One extension of 30: day 60 is Fri 1/1/2027 (Tết Dương lịch) → Mon 4/1/2027.
        let one = [Extension { decision_date: d(2026, 11, 30), days: 30 }];
        f.extensions = &one;
        let cs = clocks(&c, &r, &f);
        assert_eq!(due_of(&cs, "settle"), t(2027, 1, 4, 17, 0));
        assert_eq!(cs[1].extended_days, 30);
        // Two: day 90 is Sun 31/1/2027 → Mon 1/2/2027.
        let two = [one[0], Extension { decision_date: d(2026, 12, 28), days: 30 }];
        f.extensions = &two;
        assert_eq!(due_of(&clocks(&c, &r, &f), "settle"), t(2027, 2, 1, 17, 0));
        // The rules of extension.
        assert_eq!(check_extension(0, &[], 30, 30, 30, 90), Err(ExtensionRefusal::NotComplex));
        assert_eq!(check_extension(1, &[], 30, 30, 30, 90), Ok(()));
        assert_eq!(check_extension(1, &one, 30, 30, 30, 90), Err(ExtensionRefusal::TooMany));
        assert_eq!(check_extension(2, &one, 30, 30, 30, 90), Ok(()));
        assert_eq!(check_extension(2, &two, 10, 30, 30, 90), Err(ExtensionRefusal::TooMany));
        assert_eq!(check_extension(2, &[], 31, 30, 30, 90), Err(ExtensionRefusal::TooLong));
        assert_eq!(check_extension(2, &one, 30, 40, 30, 90), Err(ExtensionRefusal::OverTotal));
    }

    #[test]
    fn pauses_move_calendar_and_working_clocks() {
        let c = cal();
        let r = rules();
        // Complaint accepted Thu 5/11/2026, paused Mon 9/11 → Mon 16/11 (7 days):
        // 37 days → Sat 12/12 → Mon 14/12.
        let pause = [Pause { from: t(2026, 11, 9, 9, 0), to: Some(t(2026, 11, 16, 9, 0)) }];
        let mut f = facts("complaint", t(2026, 11, 2, 10, 0), t(2026, 11, 17, 9, 0));
        f.decided = Some(t(2026, 11, 5, 9, 0));
        f.accepted = f.decided;
        f.pauses = &pause;
        let cs = clocks(&c, &r, &f);
        assert_eq!(due_of(&cs, "settle"), t(2026, 12, 14, 17, 0));
        assert_eq!(cs[1].paused_days, 7);
        // The pause came after the decision: the acceptance clock did not move.
        assert_eq!(cs[0].paused_days, 0);
        // Still paused on 12/11: shown paused, moved by the days so far (3): 33 → Tue 8/12.
        let open = [Pause { from: t(2026, 11, 9, 9, 0), to: None }];
        f.pauses = &open;
        f.now = t(2026, 11, 12, 9, 0);
        let cs = clocks(&c, &r, &f);
        assert_eq!(cs[1].state, ClockState::Paused);
        assert_eq!(due_of(&cs, "settle"), t(2026, 12, 8, 17, 0));

        // Feedback received Mon 2/11 09:00: 15 working days → to the close of Mon 23/11.
        let mut f = facts("feedback", t(2026, 11, 2, 9, 0), t(2026, 11, 3, 8, 0));
        assert_eq!(due_of(&clocks(&c, &r, &f), "handle"), t(2026, 11, 23, 17, 0));
        // Paused Tue 3/11 09:00 → Thu 5/11 09:00: 16 working hours, then 24/11 is off:
        // 23/11 09:00 + 8 h → 25/11 09:00, + 8 h → 26/11 09:00, to its close.
        let pause = [Pause { from: t(2026, 11, 3, 9, 0), to: Some(t(2026, 11, 5, 9, 0)) }];
        f.pauses = &pause;
        f.info_asked = Some(t(2026, 11, 3, 9, 0));
        let cs = clocks(&c, &r, &f);
        assert_eq!(due_of(&cs, "handle"), t(2026, 11, 26, 17, 0));
        assert_eq!(cs.iter().find(|c| c.name == "handle").unwrap().paused_minutes, 16 * 60);
        // Asking for information within 5 working days: met.
        assert_eq!(cs.iter().find(|c| c.name == "ask_info").unwrap().state, ClockState::Met);
    }

    #[test]
    fn feedback_refusal_handle_and_publish() {
        let c = cal();
        let r = rules();
        // Received Mon 9/11 09:00: 15 working days skip 24/11 → Tue 1/12, to its close.
        let mut f = facts("recommendation", t(2026, 11, 9, 9, 0), t(2026, 11, 9, 10, 0));
        let cs = clocks(&c, &r, &f);
        assert_eq!(due_of(&cs, "refuse"), t(2026, 11, 11, 17, 0));
        assert_eq!(due_of(&cs, "handle"), t(2026, 12, 1, 17, 0));
        // Accepted: the refusal clock is gone; concluded Fri 20/11 15:00 → publish by the close
        // of Wed 25/11 (23/11, then 24/11 off, 25/11).
        f.decided = Some(t(2026, 11, 10, 9, 0));
        f.accepted = f.decided;
        f.concluded = Some(t(2026, 11, 20, 15, 0));
        f.now = t(2026, 11, 26, 9, 0);
        let cs = clocks(&c, &r, &f);
        assert!(cs.iter().all(|c| c.name != "refuse"));
        assert_eq!(cs.iter().find(|c| c.name == "handle").unwrap().state, ClockState::Met);
        assert_eq!(due_of(&cs, "publish"), t(2026, 11, 25, 17, 0));
        assert_eq!(cs.iter().find(|c| c.name == "publish").unwrap().state, ClockState::Overdue);
        // Refused on day 3: the refusal clock is missed, no handling clock.
        let mut f = facts("feedback", t(2026, 11, 9, 9, 0), t(2026, 11, 13, 9, 0));
        f.decided = Some(t(2026, 11, 12, 9, 0));
        f.refused = true;
        let cs = clocks(&c, &r, &f);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].state, ClockState::Missed);
        // "Other" has no legal clock.
        assert!(clocks(&c, &r, &facts("other", t(2026, 11, 9, 9, 0), t(2026, 11, 9, 9, 0))).is_empty());
    }

    #[test]
    fn the_rule_in_force_on_the_start_day_applies() {
        let mut r = rules();
        r.push(Rule {
            effective_from: d(2026, 7, 1),
            amount: 20,
            ..rule("complaint", "settle", 0, Unit::CalendarDays)
        });
        assert_eq!(in_force(&r, "complaint", "settle", d(2026, 6, 30)).unwrap().amount, 30);
        assert_eq!(in_force(&r, "complaint", "settle", d(2026, 7, 1)).unwrap().amount, 20);
        assert!(in_force(&r, "complaint", "settle", d(2010, 1, 1)).is_none());
    }

    #[test]
    fn property_pauses_and_extensions_never_shorten_a_clock() {
        let c = cal();
        let r = rules();
        let mut rng = Rng::new(15);
        for _ in 0..1_500 {
            let start = t(2025, 6, 1, 0, 0) + Duration::minutes(rng.below(2 * 365 * 24 * 60) as i64);
            let kind = ["complaint", "denunciation", "feedback"][rng.below(3) as usize];
            let mut f = facts(kind, start, start + Duration::days(1));
            f.decided = Some(start + Duration::hours(2));
            f.accepted = f.decided;
            let plain = clocks(&c, &r, &f);
            let from = start + Duration::hours(3 + rng.below(200) as i64);
            let pause = [Pause { from, to: Some(from + Duration::hours(1 + rng.below(400) as i64)) }];
            f.pauses = &pause;
            let ext = [Extension { decision_date: start.date(), days: 1 + rng.below(30) as u32 }];
            if kind == "denunciation" {
                f.extensions = &ext;
            }
            let moved = clocks(&c, &r, &f);
            assert_eq!(plain.len(), moved.len());
            for (a, b) in plain.iter().zip(&moved) {
                assert!(b.due >= a.due, "{kind} {} from {start}: {} < {}", a.name, b.due, a.due);
                if a.unit == Unit::CalendarDays {
                    assert!(c.day(b.due.date()).unwrap().working, "a calendar clock ends on a working day");
                    assert!(b.due.date() >= b.start.date() + Duration::days(i64::from(b.amount)));
                }
            }
        }
    }
}
