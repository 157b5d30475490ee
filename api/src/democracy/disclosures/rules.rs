//! The disclosure rules, pure: minimum posting days (Luật 10/2022, Art. 12; drafts put to
//! comment ≥ 30 days; loudspeaker ≥ 3 consecutive days), status, periods of periodic items,
//! when a village relay is due.

use chrono::{Datelike, Duration, NaiveDate};

use super::model::{DisclosureChannel, DisclosureStatus, DisclosureWarning, DueFrom, Periodicity};

/// A draft put to the community for comment stays posted at least this many days.
pub const COMMENT_MIN_DAYS: i32 = 30;
/// Read on the loudspeaker on at least this many consecutive days.
pub const LOUDSPEAKER_MIN_DAYS: i32 = 3;

/// The minimum posting days that apply: the item's, and 30 for a draft put to comment.
pub fn min_days(item_min: Option<i32>, for_comment: bool) -> Option<i32> {
    let comment = for_comment.then_some(COMMENT_MIN_DAYS);
    match (item_min, comment) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The last day it stays posted: its planned end, or the day it was taken down if earlier.
pub fn last_day(to: NaiveDate, taken_down: Option<NaiveDate>) -> NaiveDate {
    taken_down.map_or(to, |d| d.min(to))
}

/// Days from `from` to `to`, both counted.
pub fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

pub fn status(from: NaiveDate, to: NaiveDate, taken_down: Option<NaiveDate>, today: NaiveDate) -> DisclosureStatus {
    if from > today {
        DisclosureStatus::Upcoming
    } else if last_day(to, taken_down) < today {
        DisclosureStatus::Ended
    } else {
        DisclosureStatus::Current
    }
}

/// What a record breaks.
pub struct Posting<'a> {
    pub min_days: Option<i32>,
    pub channels: &'a [DisclosureChannel],
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub taken_down: Option<NaiveDate>,
    pub loudspeaker_days: Option<i32>,
}

pub fn warnings(p: &Posting<'_>) -> Vec<DisclosureWarning> {
    let mut out = Vec::new();
    if let Some(min) = p.min_days {
        let planned = days(p.from, p.to);
        if planned < i64::from(min) {
            out.push(DisclosureWarning {
                code: "posting_shorter_than_minimum".into(),
                days: planned,
                min_days: i64::from(min),
                message: format!("Thời gian công khai {planned} ngày, ít hơn tối thiểu {min} ngày."),
            });
        } else if let Some(down) = p.taken_down.filter(|d| *d < p.to) {
            let kept = days(p.from, down).max(0);
            if kept < i64::from(min) {
                out.push(DisclosureWarning {
                    code: "taken_down_before_minimum".into(),
                    days: kept,
                    min_days: i64::from(min),
                    message: format!("Đã gỡ niêm yết sau {kept} ngày, ít hơn tối thiểu {min} ngày."),
                });
            }
        }
    }
    if p.channels.contains(&DisclosureChannel::Loudspeaker) {
        let n = p.loudspeaker_days.unwrap_or(0);
        if n < LOUDSPEAKER_MIN_DAYS {
            out.push(DisclosureWarning {
                code: "loudspeaker_too_short".into(),
                days: i64::from(n),
                min_days: i64::from(LOUDSPEAKER_MIN_DAYS),
                message: format!(
                    "Phát trên loa truyền thanh {n} ngày liên tiếp, ít hơn tối thiểu {LOUDSPEAKER_MIN_DAYS} ngày."
                ),
            });
        }
    }
    out
}

/// The label of the period of `periodicity` that holds `day`: `2026-Q1`, `2026-H2`, `2026`.
pub fn period_of(periodicity: Periodicity, day: NaiveDate) -> Option<String> {
    let y = day.year();
    match periodicity {
        Periodicity::None => None,
        Periodicity::Quarterly => Some(format!("{y}-Q{}", (day.month() - 1) / 3 + 1)),
        Periodicity::HalfYearly => Some(format!("{y}-H{}", if day.month() <= 6 { 1 } else { 2 })),
        Periodicity::Yearly => Some(y.to_string()),
    }
}

/// A period label in words, as a title writes it: "quý III năm 2026", "6 tháng đầu năm 2026",
/// "năm 2026" (the label itself when it is none of these).
pub fn period_words(label: &str) -> String {
    let roman = ["I", "II", "III", "IV"];
    match label.split_once('-') {
        None => format!("năm {label}"),
        Some((y, "H1")) => format!("6 tháng đầu năm {y}"),
        Some((y, "H2")) => format!("6 tháng cuối năm {y}"),
        Some((y, q)) => match q.strip_prefix('Q').and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=4).contains(n))
        {
            Some(n) => format!("quý {} năm {y}", roman[n - 1]),
            None => label.to_string(),
        },
    }
}

/// First and last day of a period label of `periodicity` (`None` when it is not one).
pub fn period_bounds(periodicity: Periodicity, label: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (year, rest) = match label.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (label, None),
    };
    if year.len() != 4 {
        return None;
    }
    let y: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
    let (first_month, months) = match (periodicity, rest) {
        (Periodicity::Yearly, None) => (1, 12),
        (Periodicity::Quarterly, Some(q)) => {
            let n: u32 = q.strip_prefix('Q')?.parse().ok().filter(|n| (1..=4).contains(n))?;
            ((n - 1) * 3 + 1, 3)
        }
        (Periodicity::HalfYearly, Some(h)) => {
            let n: u32 = h.strip_prefix('H')?.parse().ok().filter(|n| (1..=2).contains(n))?;
            ((n - 1) * 6 + 1, 6)
        }
        _ => return None,
    };
    let start = NaiveDate::from_ymd_opt(y, first_month, 1)?;
    let next = if first_month + months > 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, first_month + months, 1)?
    };
    Some((start, next - Duration::days(1)))
}

/// Periods of `periodicity` whose disclosure was due (`grace` days after the period's end, or
/// after its start for an item disclosed as its period begins) within the last year and before
/// `today`: (label, due day), oldest first.
pub fn periods_due(periodicity: Periodicity, from: DueFrom, today: NaiveDate, grace: i32) -> Vec<(String, NaiveDate)> {
    if periodicity == Periodicity::None {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut day = today - Duration::days(365 + i64::from(grace));
    while day <= today {
        if let Some(label) = period_of(periodicity, day)
            && let Some((start, end)) = period_bounds(periodicity, &label)
        {
            let counted_from = if from == DueFrom::PeriodStart { start } else { end };
            let due = counted_from + Duration::days(i64::from(grace));
            let recent = due >= today - Duration::days(365);
            if recent && due < today && !out.iter().any(|(l, _): &(String, NaiveDate)| *l == label) {
                out.push((label, due));
            }
            day = end + Duration::days(1);
        } else {
            break;
        }
    }
    out
}

/// The day by which a village must relay a posting that begins on `from`.
pub fn relay_due(from: NaiveDate, within_days: i32) -> NaiveDate {
    from + Duration::days(i64::from(within_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::at::d;

    #[test]
    fn periods_in_words() {
        assert_eq!(period_words("2026-Q3"), "quý III năm 2026");
        assert_eq!(period_words("2026-H1"), "6 tháng đầu năm 2026");
        assert_eq!(period_words("2026-H2"), "6 tháng cuối năm 2026");
        assert_eq!(period_words("2026"), "năm 2026");
        assert_eq!(period_words("2026-Q9"), "2026-Q9");
    }

    #[test]
    fn minimums_and_warnings() {
        assert_eq!(min_days(None, true), Some(30));
        assert_eq!(min_days(Some(45), true), Some(45));
        assert_eq!(min_days(None, false), None);
        let ok = Posting {
            min_days: Some(30),
            channels: &[DisclosureChannel::Office],
            from: d(2026, 3, 1),
            to: d(2026, 3, 30),
            taken_down: None,
            loudspeaker_days: None,
        };
        assert!(warnings(&ok).is_empty(), "1–30 March is 30 days");
        let short = Posting { to: d(2026, 3, 29), ..ok };
        assert_eq!(warnings(&short)[0].code, "posting_shorter_than_minimum");
        let down = Posting { taken_down: Some(d(2026, 3, 10)), ..ok };
        assert_eq!(warnings(&down)[0].code, "taken_down_before_minimum");
        let loud = Posting { channels: &[DisclosureChannel::Loudspeaker], loudspeaker_days: Some(2), ..ok };
        assert_eq!(warnings(&loud)[0].code, "loudspeaker_too_short");
        let loud3 = Posting { loudspeaker_days: Some(3), ..loud };
        assert!(warnings(&loud3).is_empty());
    }

    #[test]
    fn status_follows_the_last_day() {
        let (f, t) = (d(2026, 3, 1), d(2026, 3, 31));
        assert_eq!(status(f, t, None, d(2026, 2, 28)), DisclosureStatus::Upcoming);
        assert_eq!(status(f, t, None, d(2026, 3, 31)), DisclosureStatus::Current);
        assert_eq!(status(f, t, Some(d(2026, 3, 5)), d(2026, 3, 6)), DisclosureStatus::Ended);
    }

    #[test]
    fn periods() {
        assert_eq!(period_of(Periodicity::Quarterly, d(2026, 5, 2)).as_deref(), Some("2026-Q2"));
        assert_eq!(period_bounds(Periodicity::Quarterly, "2026-Q4"), Some((d(2026, 10, 1), d(2026, 12, 31))));
        assert_eq!(period_bounds(Periodicity::HalfYearly, "2026-H1"), Some((d(2026, 1, 1), d(2026, 6, 30))));
        assert_eq!(period_bounds(Periodicity::Yearly, "2026"), Some((d(2026, 1, 1), d(2026, 12, 31))));
        assert_eq!(period_bounds(Periodicity::Quarterly, "2026"), None);
        assert_eq!(period_bounds(Periodicity::Quarterly, "2026-Q5"), None);
        let due = periods_due(Periodicity::Quarterly, DueFrom::PeriodEnd, d(2026, 5, 15), 30);
        let labels: Vec<&str> = due.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]);
        assert_eq!(due[3].1, d(2026, 4, 30));
        assert!(periods_due(Periodicity::None, DueFrom::PeriodEnd, d(2026, 5, 15), 30).is_empty());
        // The year's final accounts are due after the year; its budget estimate as it begins.
        assert_eq!(
            periods_due(Periodicity::Yearly, DueFrom::PeriodEnd, d(2026, 12, 7), 30),
            [("2025".to_string(), d(2026, 1, 30))]
        );
        assert_eq!(
            periods_due(Periodicity::Yearly, DueFrom::PeriodStart, d(2026, 12, 7), 30),
            [("2026".to_string(), d(2026, 1, 31))]
        );
        // Before its deadline, this year's estimate is not yet missing; last year's is past.
        assert_eq!(
            periods_due(Periodicity::Yearly, DueFrom::PeriodStart, d(2026, 1, 20), 30),
            [("2025".to_string(), d(2025, 1, 31))]
        );
        assert_eq!(
            periods_due(Periodicity::Quarterly, DueFrom::PeriodStart, d(2026, 5, 15), 30)
                .last()
                .map(|(l, _)| l.as_str()),
            Some("2026-Q2")
        );
    }
}
