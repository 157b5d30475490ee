//! What one dossier adds to the roll-ups, and how a period splits into day, month and year
//! buckets. Pure: no database.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{dossier_rollup_histograms, dossier_rollups, dossiers};
use crate::onestop::dossiers::lifecycle::{RESOLVED, RETURNED};
use crate::onestop::model::DossierRow;
use crate::time::local_date;

/// Grains of a bucket: a local day, a month (keyed by its first day), a year (1 January).
pub const DAY: i32 = 0;
pub const MONTH: i32 = 1;
pub const YEAR: i32 = 2;

/// Index of each measure in [`Measures`].
pub const RECEIVED: usize = 0;
pub const ONLINE: usize = 1;
pub const POSTAL: usize = 2;
pub const PAID_ONLINE: usize = 3;
pub const DIGITISED: usize = 4;
pub const FROM_DATA_STORE: usize = 5;
pub const ENDED: usize = 6;
pub const EARLY: usize = 7;
pub const ON_TIME: usize = 8;
pub const LATE: usize = 9;
pub const ELECTRONIC_RESULT: usize = 10;
pub const LATE_WITHOUT_APOLOGY: usize = 11;
pub const RETURNED_N: usize = 12;
pub const OPEN_DELTA: usize = 13;
pub const OVERDUE_DELTA: usize = 14;
pub const MEASURES: usize = 15;

/// The counts of one roll-up row, indexed by the constants above.
pub type Measures = [i64; MEASURES];

/// The columns of a dossier the roll-ups read.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = dossiers)]
pub struct RollupInput {
    pub id: i64,
    pub commune_id: i64,
    pub procedure_id: i64,
    pub status: i32,
    pub channel: i32,
    pub received_at: NaiveDateTime,
    pub deadline_at: NaiveDateTime,
    pub paused_since: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub returned_at: Option<NaiveDateTime>,
    pub supplement_requests: i32,
    pub timeliness: Option<String>,
    pub paid_online: bool,
    pub digitised: bool,
    pub electronic_result: bool,
    pub from_data_store: bool,
    pub apology_timely: Option<bool>,
    pub processing_minutes: Option<i32>,
}

impl From<&DossierRow> for RollupInput {
    fn from(d: &DossierRow) -> Self {
        let v = &d.values;
        RollupInput {
            id: d.id,
            commune_id: d.commune_id,
            procedure_id: v.procedure_id,
            status: v.status,
            channel: v.channel,
            received_at: v.received_at,
            deadline_at: v.deadline_at,
            paused_since: v.paused_since,
            finished_at: v.finished_at,
            returned_at: v.returned_at,
            supplement_requests: v.supplement_requests,
            timeliness: v.timeliness.clone(),
            paid_online: v.paid_online,
            digitised: v.digitised,
            electronic_result: v.electronic_result,
            from_data_store: v.from_data_store,
            apology_timely: d.apology_timely,
            processing_minutes: v.processing_minutes,
        }
    }
}

/// One roll-up row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_rollups)]
pub struct RollupRow {
    pub commune_id: i64,
    pub grain: i32,
    pub day: NaiveDate,
    pub procedure_id: i64,
    pub status: i32,
    pub received: i64,
    pub online: i64,
    pub postal: i64,
    pub paid_online: i64,
    pub digitised: i64,
    pub from_data_store: i64,
    pub ended: i64,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    pub electronic_result: i64,
    pub late_without_apology: i64,
    pub returned: i64,
    pub open_delta: i64,
    pub overdue_delta: i64,
}

impl RollupRow {
    pub fn new(k: &RowKey, m: &Measures) -> RollupRow {
        RollupRow {
            commune_id: k.0,
            grain: k.1,
            day: k.2,
            procedure_id: k.3,
            status: k.4,
            received: m[RECEIVED],
            online: m[ONLINE],
            postal: m[POSTAL],
            paid_online: m[PAID_ONLINE],
            digitised: m[DIGITISED],
            from_data_store: m[FROM_DATA_STORE],
            ended: m[ENDED],
            early: m[EARLY],
            on_time: m[ON_TIME],
            late: m[LATE],
            electronic_result: m[ELECTRONIC_RESULT],
            late_without_apology: m[LATE_WITHOUT_APOLOGY],
            returned: m[RETURNED_N],
            open_delta: m[OPEN_DELTA],
            overdue_delta: m[OVERDUE_DELTA],
        }
    }

    pub fn key(&self) -> RowKey {
        (self.commune_id, self.grain, self.day, self.procedure_id, self.status)
    }

    pub fn measures(&self) -> Measures {
        [
            self.received,
            self.online,
            self.postal,
            self.paid_online,
            self.digitised,
            self.from_data_store,
            self.ended,
            self.early,
            self.on_time,
            self.late,
            self.electronic_result,
            self.late_without_apology,
            self.returned,
            self.open_delta,
            self.overdue_delta,
        ]
    }
}

/// One stored processing-time histogram: a bucket's resolved dossiers of one procedure
/// (`hist` is [`super::hist::Hist::encode`]).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_rollup_histograms)]
pub struct HistRow {
    pub commune_id: i64,
    pub grain: i32,
    pub day: NaiveDate,
    pub procedure_id: i64,
    pub hist: Vec<u8>,
}

impl HistRow {
    pub fn key(&self) -> HistKey {
        (self.commune_id, self.grain, self.day, self.procedure_id)
    }
}

/// (commune, grain, bucket day, procedure, status).
pub type RowKey = (i64, i32, NaiveDate, i64, i32);
/// (commune, grain, bucket day, procedure, working minutes).
pub type MinutesKey = (i64, i32, NaiveDate, i64, i32);
/// (commune, grain, bucket day, procedure): one stored histogram.
pub type HistKey = (i64, i32, NaiveDate, i64);

/// Changes to apply to the roll-ups: added to the stored rows (created at zero when missing).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Deltas {
    pub rows: HashMap<RowKey, Measures>,
    pub minutes: HashMap<MinutesKey, i64>,
}

/// The first day of the bucket of `day` at `grain`.
pub fn bucket(grain: i32, day: NaiveDate) -> NaiveDate {
    match grain {
        MONTH => day.with_day(1).unwrap_or(day),
        YEAR => day.with_ordinal(1).unwrap_or(day),
        _ => day,
    }
}

impl Deltas {
    fn add_measure(&mut self, d: &RollupInput, day: NaiveDate, measure: usize, sign: i64) {
        for grain in [DAY, MONTH, YEAR] {
            let k = (d.commune_id, grain, bucket(grain, day), d.procedure_id, d.status);
            self.rows.entry(k).or_insert([0; MEASURES])[measure] += sign;
        }
    }

    /// Adds (`sign` = 1) or removes (−1) everything a dossier contributes.
    pub fn add(&mut self, d: &RollupInput, sign: i64) {
        let r = local_date(d.received_at);
        let mut put = |day: NaiveDate, m: usize, v: i64| self.add_measure(d, day, m, sign * v);
        // Received, channel and flags: by the day of receipt.
        put(r, RECEIVED, 1);
        if d.channel == 2 {
            put(r, ONLINE, 1);
        }
        if d.channel == 3 {
            put(r, POSTAL, 1);
        }
        if d.paid_online {
            put(r, PAID_ONLINE, 1);
        }
        if d.digitised {
            put(r, DIGITISED, 1);
        }
        if d.from_data_store {
            put(r, FROM_DATA_STORE, 1);
        }
        let resolved = d.status == RESOLVED || d.status == RETURNED;
        let finished = d.finished_at.map(local_date);
        // Ended: by the day processing ended.
        if let Some(f) = finished {
            put(f, ENDED, 1);
            match d.timeliness.as_deref() {
                Some("early") => put(f, EARLY, 1),
                Some("on_time") => put(f, ON_TIME, 1),
                Some("late") => {
                    put(f, LATE, 1);
                    if d.apology_timely != Some(true) {
                        put(f, LATE_WITHOUT_APOLOGY, 1);
                    }
                }
                _ => {}
            }
            if resolved && d.electronic_result {
                put(f, ELECTRONIC_RESULT, 1);
            }
        }
        if let Some(t) = d.returned_at {
            put(local_date(t), RETURNED_N, 1);
        }
        // Open at a cut c (a local midnight): received before c and not ended before c, i.e.
        // [r < c] − [max(r, f) < c]; each term is a step on one day, so the count at c is the sum
        // of the steps of every day before c's day.
        put(r, OPEN_DELTA, 1);
        if let Some(f) = finished {
            put(r.max(f), OPEN_DELTA, -1);
        }
        // Overdue at c, as the dossier list counts it (`stats::repo::open_at`).
        let dd = local_date(d.deadline_at);
        match finished {
            None => {
                let fixed = d.supplement_requests >= 2 || d.paused_since.is_some_and(|p| d.deadline_at < p);
                if fixed {
                    put(r, OVERDUE_DELTA, 1);
                } else if d.paused_since.is_none() {
                    put(r.max(dd), OVERDUE_DELTA, 1);
                }
            }
            Some(f) => {
                // Open at c and (a second supplement request, or past the deadline at c).
                let from = if d.supplement_requests >= 2 { r } else { r.max(dd) };
                put(from, OVERDUE_DELTA, 1);
                put(from.max(f), OVERDUE_DELTA, -1);
            }
        }
        // Processing time of a resolved dossier: by the day processing ended.
        if let (true, Some(f), Some(m)) = (resolved, finished, d.processing_minutes) {
            for grain in [DAY, MONTH, YEAR] {
                *self.minutes.entry((d.commune_id, grain, bucket(grain, f), d.procedure_id, m)).or_default() += sign;
            }
        }
    }

    /// What replacing `old` by `new` changes (either may be absent).
    pub fn change(old: Option<&RollupInput>, new: Option<&RollupInput>) -> Deltas {
        let mut d = Deltas::default();
        if old == new {
            return d;
        }
        if let Some(o) = old {
            d.add(o, -1);
        }
        if let Some(n) = new {
            d.add(n, 1);
        }
        d.drop_zeros();
        d
    }

    /// Removes the entries that change nothing.
    pub fn drop_zeros(&mut self) {
        self.rows.retain(|_, m| m.iter().any(|v| *v != 0));
        self.minutes.retain(|_, n| *n != 0);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.minutes.is_empty()
    }

    /// The histogram changes grouped by stored histogram, in key order: (minutes, change)
    /// ascending by minutes.
    pub fn histograms(&self) -> BTreeMap<HistKey, Vec<(i32, i64)>> {
        let mut out: BTreeMap<HistKey, Vec<(i32, i64)>> = BTreeMap::new();
        for (k, n) in &self.minutes {
            out.entry((k.0, k.1, k.2, k.3)).or_default().push((k.4, *n));
        }
        for v in out.values_mut() {
            v.sort_unstable_by_key(|p| p.0);
        }
        out
    }
}

/// A run of buckets of one grain: `grain`, first and last bucket day (inclusive).
pub type Block = (i32, NaiveDate, NaiveDate);

fn add_block(out: &mut Vec<Block>, grain: i32, day: NaiveDate) {
    match out.last_mut() {
        Some(b) if b.0 == grain => b.2 = day,
        _ => out.push((grain, day, day)),
    }
}

/// The fewest buckets that cover the local days `from..=to` exactly: whole years as year
/// buckets, whole months as month buckets, the rest as days (at most five runs).
pub fn blocks(from: NaiveDate, to: NaiveDate) -> Vec<Block> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let next_year = NaiveDate::from_ymd_opt(d.year() + 1, 1, 1);
        let next_month = d.checked_add_months(chrono::Months::new(1)).map(|x| bucket(MONTH, x));
        let (grain, next) = if d.ordinal() == 1 && next_year.is_some_and(|n| n.pred_opt().is_some_and(|l| l <= to)) {
            (YEAR, next_year)
        } else if d.day() == 1 && next_month.is_some_and(|n| n.pred_opt().is_some_and(|l| l <= to)) {
            (MONTH, next_month)
        } else {
            (DAY, d.succ_opt())
        };
        add_block(&mut out, grain, d);
        match next {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// The first day any prefix sum starts from.
pub fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_split_into_years_months_and_days() {
        assert_eq!(blocks(day(2025, 1, 1), day(2025, 12, 31)), vec![(YEAR, day(2025, 1, 1), day(2025, 1, 1))]);
        assert_eq!(
            blocks(day(2024, 12, 30), day(2026, 3, 2)),
            vec![
                (DAY, day(2024, 12, 30), day(2024, 12, 31)),
                (YEAR, day(2025, 1, 1), day(2025, 1, 1)),
                (MONTH, day(2026, 1, 1), day(2026, 2, 1)),
                (DAY, day(2026, 3, 1), day(2026, 3, 2)),
            ]
        );
        assert_eq!(blocks(day(2025, 3, 5), day(2025, 3, 5)), vec![(DAY, day(2025, 3, 5), day(2025, 3, 5))]);
        assert_eq!(blocks(day(2025, 3, 5), day(2025, 3, 4)), vec![]);
        // Every day of a long range is covered exactly once.
        let (from, to) = (day(2023, 2, 17), day(2026, 11, 3));
        let mut covered = 0;
        for (g, a, b) in blocks(from, to) {
            let mut x = a;
            while x <= b {
                let end = match g {
                    YEAR => day(x.year(), 12, 31),
                    MONTH => x.checked_add_months(chrono::Months::new(1)).unwrap().pred_opt().unwrap(),
                    _ => x,
                };
                covered += (end - x).num_days() + 1;
                x = end.succ_opt().unwrap();
                if g == MONTH && x > b {
                    break;
                }
            }
        }
        assert_eq!(covered, (to - from).num_days() + 1);
    }

    #[test]
    fn a_change_that_moves_nothing_is_empty() {
        let t = day(2025, 3, 3).and_hms_opt(2, 0, 0).unwrap();
        let d = RollupInput {
            id: 1,
            commune_id: 1,
            procedure_id: 2,
            status: 2,
            channel: 1,
            received_at: t,
            deadline_at: t,
            paused_since: None,
            finished_at: None,
            returned_at: None,
            supplement_requests: 0,
            timeliness: None,
            paid_online: false,
            digitised: false,
            electronic_result: false,
            from_data_store: false,
            apology_timely: None,
            processing_minutes: None,
        };
        assert!(Deltas::change(Some(&d), Some(&d)).is_empty());
        let added = Deltas::change(None, Some(&d));
        // received + open + overdue (deadline already passed at the end of that day) × 3 grains.
        assert_eq!(added.rows.len(), 3);
        let k = (1, DAY, day(2025, 3, 3), 2, 2);
        assert_eq!(added.rows[&k][RECEIVED], 1);
        assert_eq!(added.rows[&k][OPEN_DELTA], 1);
        let removed = Deltas::change(Some(&d), None);
        assert_eq!(removed.rows[&k][RECEIVED], -1);
    }
}
