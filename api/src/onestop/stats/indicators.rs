//! One-stop indicators computed from the dossiers and their events (`docs/indicators.md`).
//!
//! Nothing here is typed in: every figure comes from the dossier rows, whose derived columns
//! (`finished_at`, `timeliness`, `processing_minutes`, …) are replayed from the events on every
//! transition or import. The queries aggregate per (commune, procedure) in the database, using
//! the `(commune_id, received_at | finished_at | returned_at)` indexes, and the rest — grouping by
//! field, commune or month, percentiles, ratios — is done here on those small partial sums.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::repo;
use crate::auth::Caller;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, Validator};
use crate::onestop::catalogue::{repo as catalogue_repo, service as catalogue};
use crate::onestop::dossiers::lifecycle::{RESOLVED, RETURNED};
use crate::onestop::model::{OnlineLevel, OnlineLevelEntry, ProcedureRow};
use crate::onestop::rollups::hist::Hist;
use crate::onestop::rollups::model::{self as m, MEASURES, Measures, blocks, epoch};
use crate::onestop::rollups::repo as rollups;
use crate::org::repo as org_repo;
use crate::time::{local_date, to_local, to_utc};

/// Default working day: 07:00–11:30 and 13:30–17:00.
pub const DEFAULT_DAY_MINUTES: i32 = 480;
/// Longest period one request may cover.
const MAX_PERIOD_DAYS: i64 = 3700;

// ---- query and answer types ----

/// How the groups of an indicator report are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Procedure,
    Field,
    Month,
    Commune,
}

/// Query of the indicator endpoints.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IndicatorQuery {
    /// First day of the period (local date, inclusive); default 1 January of this year.
    pub from: Option<NaiveDate>,
    /// Last day of the period (local date, inclusive); default today.
    pub to: Option<NaiveDate>,
    #[param(inline)]
    pub group_by: Option<GroupBy>,
    /// One commune; oversight users may omit it for the sum over every commune they oversee.
    pub commune_id: Option<i64>,
}

/// A commune in the scope of a report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommuneRef {
    pub id: i64,
    pub name: String,
}

/// Processing time of the dossiers resolved in the period, in working days.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ProcessingDays {
    pub count: i64,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// Dossiers received per channel.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Channels {
    pub in_person: i64,
    pub online: i64,
    pub postal: i64,
}

/// The indicators of a period, overall or for one group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorRow {
    /// Group key: procedure code, field name, `YYYY-MM`, commune id; empty for the overall row.
    pub key: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procedure_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procedure_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commune_id: Option<i64>,
    /// The procedure's legal time limit in working days (same-day procedures count 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_days: Option<f64>,
    /// Received in the period (status 1, submitted but not received, excluded).
    pub received: i64,
    /// Processing ended in the period with a result (status 9 or 10).
    pub resolved: i64,
    /// Result returned in the period.
    pub returned: i64,
    /// Still open at the end of the period (or now, for a period not over yet).
    pub in_progress: i64,
    /// Processing ended in the period (resolved, refused, withdrawn or stopped), by timeliness.
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    /// Open at the end of the period and past the deadline (or with a second supplement request).
    pub open_overdue: i64,
    /// Open at the end of the period and not past the deadline.
    pub open_not_due: i64,
    /// (early + on time) / ended in the period; null when none ended.
    pub on_time_rate: Option<f64>,
    pub processing_days: ProcessingDays,
    pub channels: Channels,
    /// Received online / received (0–1).
    pub online_share: f64,
    /// Paid online / received dossiers of fee-bearing procedures (0–1).
    pub paid_online_share: f64,
    /// Digitised / received (0–1).
    pub digitised_share: f64,
    /// With an electronic result / resolved (0–1).
    pub electronic_result_share: f64,
    /// Received with components taken from the national data store.
    pub from_data_store: i64,
    /// Ended late in the period without an apology (form 04) sent in time: a recorded breach.
    pub late_without_apology: i64,
    /// At the counter, not received: guidance given with form 02 (dossier incomplete). Never
    /// counted as received, processed or in any 766 figure.
    pub counter_guidance: i64,
    /// At the counter, not received: refused with form 03. Counted on this line only.
    pub counter_refusals: i64,
}

/// `GET /onestop/indicators`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Length of a working day in minutes (of the first commune in scope).
    pub day_minutes: i32,
    pub communes: Vec<CommuneRef>,
    pub overall: IndicatorRow,
    pub groups: Vec<IndicatorRow>,
}

// ---- scope and period ----

/// Communes a caller may read statistics of: their own, or for oversight those under their
/// authority (one of them with `commune_id`). A commune outside the scope is 404.
pub fn scope(conn: &mut DbConnection, caller: &Caller, commune_id: Option<i64>) -> AppResult<Vec<CommuneRef>> {
    let visible = org_repo::visible_communes(conn, caller.commune_id, caller.authority_id)?;
    let mut out: Vec<CommuneRef> = visible.into_iter().map(|c| CommuneRef { id: c.id, name: c.name }).collect();
    if let Some(id) = commune_id {
        out.retain(|c| c.id == id);
        if out.is_empty() {
            return Err(AppError::NotFound);
        }
    }
    if out.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(out)
}

/// The one commune a list or export reads: staff read their own (asking for another is
/// `not_found`); oversight callers name one they oversee (`commune_id`, required: `missing`
/// says how the field error reads).
pub fn one_commune(
    conn: &mut DbConnection,
    caller: &Caller,
    asked: Option<i64>,
    missing: &'static str,
) -> AppResult<i64> {
    match (caller.commune_id, asked) {
        (Some(own), Some(asked)) if own != asked => Err(AppError::NotFound),
        (Some(own), _) => Ok(own),
        (None, asked) => {
            let asked = asked.ok_or_else(|| AppError::field("commune_id", "required", missing))?;
            scope(conn, caller, Some(asked))?.into_iter().next().map(|x| x.id).ok_or(AppError::NotFound)
        }
    }
}

/// A reporting period: local dates, their UTC bounds, and the moment open dossiers are judged.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// UTC instant of local midnight starting `from`.
    pub start: NaiveDateTime,
    /// UTC instant of local midnight after `to` (exclusive).
    pub end: NaiveDateTime,
    /// `end`, or now when the period is not over yet.
    pub cut: NaiveDateTime,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate, now: NaiveDateTime) -> Period {
        let start = to_utc(from.and_time(NaiveTime::MIN));
        let end = to_utc(to.and_time(NaiveTime::MIN)) + Duration::days(1);
        Period { from, to, start, end, cut: end.min(now).max(start) }
    }

    /// The months the period touches, each cut to the period.
    pub fn months(&self, now: NaiveDateTime) -> Vec<(String, Period)> {
        let mut out = Vec::new();
        let mut first = self.from.with_day(1).unwrap_or(self.from);
        while first <= self.to {
            let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
            let from = first.max(self.from);
            let to = next.pred_opt().unwrap_or(next).min(self.to);
            out.push((format!("{:04}-{:02}", first.year(), first.month()), Period::new(from, to, now)));
            first = next;
        }
        out
    }
}

/// Checks `from`/`to` (defaults: 1 January of this year to today) and builds the period.
pub fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> AppResult<Period> {
    let now = Utc::now().naive_utc();
    let today = to_local(now).date();
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    let mut v = Validator::new();
    if to < from {
        v.add("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    } else if (to - from).num_days() > MAX_PERIOD_DAYS {
        v.add("to", "period_too_long", "Khoảng thời gian tối đa 10 năm.");
    }
    v.finish()?;
    Ok(Period::new(from, to, now))
}

// ---- partial sums ----

/// Partial sums of one (commune, procedure) over a period.
#[derive(Debug, Clone, Default)]
pub struct Acc {
    pub received: i64,
    pub channel: [i64; 3],
    pub paid_online: i64,
    pub fee_received: i64,
    pub digitised: i64,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    pub resolved: i64,
    pub e_result: i64,
    pub returned: i64,
    pub open: i64,
    pub open_overdue: i64,
    pub from_data_store: i64,
    pub late_without_apology: i64,
    pub counter_guidance: i64,
    pub counter_refusals: i64,
    /// Ended in the period by final status: (early or on time, all).
    pub by_end_status: BTreeMap<i32, (i64, i64)>,
    /// Processing time of resolved dossiers: working minutes → count.
    pub minutes: Hist,
}

impl Acc {
    fn add(&mut self, o: &Acc) {
        self.received += o.received;
        for i in 0..3 {
            self.channel[i] += o.channel[i];
        }
        self.paid_online += o.paid_online;
        self.fee_received += o.fee_received;
        self.digitised += o.digitised;
        self.early += o.early;
        self.on_time += o.on_time;
        self.late += o.late;
        self.resolved += o.resolved;
        self.e_result += o.e_result;
        self.returned += o.returned;
        self.open += o.open;
        self.open_overdue += o.open_overdue;
        self.from_data_store += o.from_data_store;
        self.late_without_apology += o.late_without_apology;
        self.counter_guidance += o.counter_guidance;
        self.counter_refusals += o.counter_refusals;
        for (status, (in_time, all)) in &o.by_end_status {
            let e = self.by_end_status.entry(*status).or_default();
            e.0 += in_time;
            e.1 += all;
        }
    }

    pub fn ended(&self) -> i64 {
        self.early + self.on_time + self.late
    }
}

/// A (commune, procedure) pair.
pub type Key = (i64, i64);

/// The partial sums of a period, per (commune, procedure).
#[derive(Debug, Default)]
pub struct Sums {
    pub by_key: HashMap<Key, Acc>,
}

impl Sums {
    pub fn at(&mut self, k: Key) -> &mut Acc {
        self.by_key.entry(k).or_default()
    }
}

/// How dossiers are counted: the named parameters of 766 row 2.1 in force (`index766_params`),
/// so a province that counts differently changes data, not code.
#[derive(Debug, Clone, PartialEq)]
pub struct Counting {
    /// Statuses of dossiers never received (1 submitted, 3 not received): left out of every
    /// figure.
    pub left_out_statuses: Vec<i32>,
    /// Final statuses whose dossiers count in 2.1 (7 withdrawn, 8 stopped, 9 resolved, 10
    /// returned by default).
    pub counted_end_statuses: Vec<i32>,
    /// Open dossiers not yet due count as on time in 2.1.
    pub open_not_due_counts_on_time: bool,
}

impl Default for Counting {
    fn default() -> Self {
        Counting {
            left_out_statuses: vec![1, 3],
            counted_end_statuses: vec![7, 8, 9, 10],
            open_not_due_counts_on_time: true,
        }
    }
}

impl Counting {
    /// From the parameters of row 2.1 (a missing or malformed key keeps the default).
    pub fn from_params(params: &serde_json::Value) -> Counting {
        let d = Counting::default();
        let list = |key: &str, default: Vec<i32>| {
            params
                .get(key)
                .and_then(serde_json::Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_i64()).filter_map(|v| i32::try_from(v).ok()).collect())
                .unwrap_or(default)
        };
        Counting {
            left_out_statuses: list("left_out_statuses", d.left_out_statuses),
            counted_end_statuses: list("counted_end_statuses", d.counted_end_statuses),
            open_not_due_counts_on_time: params
                .get("open_not_due_counts_on_time")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(d.open_not_due_counts_on_time),
        }
    }
}

/// The counting rules in force on `day`.
pub fn counting_on(conn: &mut DbConnection, day: NaiveDate) -> AppResult<Counting> {
    let rows = repo::index766_params_on(conn, day)?;
    let params = rows
        .into_iter()
        .find(|r| r.0 == "2.1")
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.5).ok())
        .unwrap_or(serde_json::Value::Null);
    Ok(Counting::from_params(&params))
}

/// Where the partial sums are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The roll-ups maintained with every dossier change (`docs/rollups.md`): what requests use.
    Rollups,
    /// A scan of the dossier rows: kept to verify the roll-ups against.
    Rows,
}

/// The partial sums of one period over the communes, from the roll-ups.
pub fn sums(conn: &mut DbConnection, communes: &[i64], procs: &HashMap<i64, ProcInfo>, p: &Period) -> AppResult<Sums> {
    sums_from(conn, communes, procs, p, Source::Rollups, Times::Read)
}

/// Whether the sums read the processing times (the indicators do; the 766 index does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    Read,
    Skip,
}

/// The partial sums of one period over the communes, from `source`.
pub fn sums_from(
    conn: &mut DbConnection,
    communes: &[i64],
    procs: &HashMap<i64, ProcInfo>,
    p: &Period,
    source: Source,
    times: Times,
) -> AppResult<Sums> {
    match source {
        Source::Rollups => sums_rollups(conn, communes, procs, p, times),
        Source::Rows => sums_rows(conn, communes, procs, p, times),
    }
}

/// Runs the aggregate queries of one period over the dossier rows of the communes.
pub fn sums_rows(
    conn: &mut DbConnection,
    communes: &[i64],
    procs: &HashMap<i64, ProcInfo>,
    p: &Period,
    times: Times,
) -> AppResult<Sums> {
    let counting = counting_on(conn, p.to)?;
    let left_out = counting.left_out_statuses.as_slice();
    let mut s = Sums::default();
    // Received in the period: channels and flags.
    let received = repo::received(conn, communes, p.start, p.end, left_out)?;
    for (c, pr, n, online, postal, paid, dig, store) in received {
        let fee_bearing = procs.get(&pr).is_some_and(ProcInfo::fee_bearing);
        let a = s.at((c, pr));
        a.received = n;
        a.channel = [n - online - postal, online, postal];
        a.paid_online = paid;
        a.fee_received = if fee_bearing { n } else { 0 };
        a.digitised = dig;
        a.from_data_store = store;
    }
    // Ended in the period: timeliness, results.
    let ended = repo::ended(conn, communes, p.start, p.end, left_out)?;
    for (c, pr, status, early, on_time, late, resolved, e_result, breach) in ended {
        let a = s.at((c, pr));
        a.early += early;
        a.on_time += on_time;
        a.late += late;
        a.resolved += resolved;
        a.e_result += e_result;
        a.late_without_apology += breach;
        let e = a.by_end_status.entry(status).or_default();
        e.0 += early + on_time;
        e.1 += early + on_time + late;
    }
    // At the counter, never received.
    for (c, pr, guidance, refusals) in repo::counter_counts(conn, communes, p.start, p.end)? {
        let a = s.at((c, pr));
        a.counter_guidance = guidance;
        a.counter_refusals = refusals;
    }
    // Processing time of the resolved ones, as a histogram of working minutes.
    if times == Times::Read {
        let mut pairs: HashMap<Key, Vec<(i32, i64)>> = HashMap::new();
        for (c, pr, m, n) in repo::processing_minutes(conn, communes, p.start, p.end)? {
            if let Some(m) = m {
                pairs.entry((c, pr)).or_default().push((m, n));
            }
        }
        for (k, v) in pairs {
            s.at(k).minutes = Hist::from_pairs(v);
        }
    }
    // Returned in the period.
    let returned = repo::returned(conn, communes, p.start, p.end)?;
    for (c, pr, n) in returned {
        s.at((c, pr)).returned = n;
    }
    // Open at the cut: never ended, or ended after it. Two queries so each uses the
    // (commune_id, finished_at) index. Overdue as the dossier list counts it, at the cut.
    let (still_open, ended_later) = repo::open_at(conn, communes, p.cut, left_out)?;
    for (c, pr, n, od) in still_open.into_iter().chain(ended_later) {
        let a = s.at((c, pr));
        a.open += n;
        a.open_overdue += od;
    }
    Ok(s)
}

/// The partial sums of `p` over the communes, from the roll-ups (`docs/rollups.md`): equal to
/// [`sums_rows`] (the API tests check this on random data, `thanthien verify-rollups` checks the
/// stored roll-ups against the dossiers).
///
/// A period of local days is covered by its whole years, whole months and remaining days
/// ([`blocks`]); the open and overdue counts at a cut that is a local midnight are the sums of the
/// steps of every day before it. A cut that is not a midnight — "now", for a period not over yet —
/// is judged on the dossier rows open now, a small indexed set (`repo::open_at`).
pub fn sums_rollups(
    conn: &mut DbConnection,
    communes: &[i64],
    procs: &HashMap<i64, ProcInfo>,
    p: &Period,
    times: Times,
) -> AppResult<Sums> {
    let counting = counting_on(conn, p.to)?;
    let left_out = counting.left_out_statuses.as_slice();
    let mut s = Sums::default();
    // Received, ended and returned in the period, per (commune, procedure, status).
    let mut by: HashMap<(i64, i64, i32), Measures> = HashMap::new();
    for (grain, first, last) in blocks(p.from, p.to) {
        for r in rollups::sums(conn, communes, grain, first, last)? {
            let v = [r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15, r.16, r.17];
            let e = by.entry((r.0, r.1, r.2)).or_insert([0; MEASURES]);
            for i in 0..MEASURES {
                e[i] += v[i];
            }
        }
    }
    for ((c, pr, status), v) in by {
        let counted = !left_out.contains(&status);
        if counted && v[m::RECEIVED] > 0 {
            let n = v[m::RECEIVED];
            let fee_bearing = procs.get(&pr).is_some_and(ProcInfo::fee_bearing);
            let a = s.at((c, pr));
            a.received += n;
            a.channel[0] += n - v[m::ONLINE] - v[m::POSTAL];
            a.channel[1] += v[m::ONLINE];
            a.channel[2] += v[m::POSTAL];
            a.paid_online += v[m::PAID_ONLINE];
            a.fee_received += if fee_bearing { n } else { 0 };
            a.digitised += v[m::DIGITISED];
            a.from_data_store += v[m::FROM_DATA_STORE];
        }
        if counted && v[m::ENDED] > 0 {
            let a = s.at((c, pr));
            let (early, on_time, late) = (v[m::EARLY], v[m::ON_TIME], v[m::LATE]);
            a.early += early;
            a.on_time += on_time;
            a.late += late;
            if status == RESOLVED || status == RETURNED {
                a.resolved += v[m::ENDED];
            }
            a.e_result += v[m::ELECTRONIC_RESULT];
            a.late_without_apology += v[m::LATE_WITHOUT_APOLOGY];
            let e = a.by_end_status.entry(status).or_default();
            e.0 += early + on_time;
            e.1 += early + on_time + late;
        }
        if v[m::RETURNED_N] > 0 {
            s.at((c, pr)).returned += v[m::RETURNED_N];
        }
    }
    // At the counter, never received: not dossiers, read as they are.
    for (c, pr, guidance, refusals) in repo::counter_counts(conn, communes, p.start, p.end)? {
        let a = s.at((c, pr));
        a.counter_guidance = guidance;
        a.counter_refusals = refusals;
    }
    // Processing time of the resolved ones: the exact histogram of working minutes, one stored
    // value per bucket and procedure.
    if times == Times::Read {
        for (grain, first, last) in blocks(p.from, p.to) {
            for (c, pr, hist) in rollups::histograms(conn, communes, grain, first, last)? {
                s.at((c, pr)).minutes.add(hist);
            }
        }
    }
    // Open at the cut.
    let cut_day = local_date(p.cut);
    if to_utc(cut_day.and_time(NaiveTime::MIN)) == p.cut {
        let mut open: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
        if let Some(last) = cut_day.pred_opt() {
            for (grain, first, last) in blocks(epoch(), last) {
                for (c, pr, status, n, od) in rollups::steps(conn, communes, grain, first, last)? {
                    if !left_out.contains(&status) {
                        let e = open.entry((c, pr)).or_default();
                        e.0 += n;
                        e.1 += od;
                    }
                }
            }
        }
        for (k, (n, od)) in open {
            if n > 0 {
                let a = s.at(k);
                a.open += n;
                a.open_overdue += od;
            }
        }
    } else {
        let (still_open, ended_later) = repo::open_at(conn, communes, p.cut, left_out)?;
        for (c, pr, n, od) in still_open.into_iter().chain(ended_later) {
            let a = s.at((c, pr));
            a.open += n;
            a.open_overdue += od;
        }
    }
    Ok(s)
}

// ---- the catalogue side ----

/// What the indicators need to know of a procedure.
#[derive(Debug, Clone)]
pub struct ProcInfo {
    pub row: ProcedureRow,
    pub history: Vec<OnlineLevelEntry>,
    pub day_minutes: i32,
}

impl ProcInfo {
    pub fn level_on(&self, d: NaiveDate) -> OnlineLevel {
        catalogue::level_on(&self.history, d)
    }

    pub fn fee_bearing(&self) -> bool {
        self.row.fee_vnd.is_some_and(|f| f > 0)
    }

    /// The legal limit in working days.
    pub fn limit_days(&self) -> f64 {
        match self.row.limit_unit.as_str() {
            "working_days" => f64::from(self.row.limit_amount),
            "working_hours" => f64::from(self.row.limit_amount) * 60.0 / f64::from(self.day_minutes.max(1)),
            // Five working days in a week of seven (an average: holidays are not subtracted).
            "calendar_days" => f64::from(self.row.limit_amount) * 5.0 / 7.0,
            _ => 1.0,
        }
    }
}

/// Minutes of the working day in force today for each commune (one query for all of them).
pub fn day_minutes(conn: &mut DbConnection, communes: &[i64]) -> AppResult<HashMap<i64, i32>> {
    let today = to_local(Utc::now().naive_utc()).date();
    let rows = crate::calendar::repo::hours_in_force(conn, communes, today)?;
    let mut out: HashMap<i64, i32> = communes.iter().map(|c| (*c, DEFAULT_DAY_MINUTES)).collect();
    // Ordered by date: the last row of each commune is the one in force.
    for r in rows {
        let m = (r.morning_end - r.morning_start) + (r.afternoon_end - r.afternoon_start);
        out.insert(r.commune_id, m.max(1));
    }
    Ok(out)
}

/// Every procedure of the communes (active or not: old dossiers may belong to retired ones).
pub fn procedures(conn: &mut DbConnection, communes: &[i64]) -> AppResult<HashMap<i64, ProcInfo>> {
    let days = day_minutes(conn, communes)?;
    let rows = catalogue_repo::procedures_of(conn, communes)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut history = catalogue::level_history(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let h = history.remove(&row.id).unwrap_or_default();
            let dm = days.get(&row.commune_id).copied().unwrap_or(DEFAULT_DAY_MINUTES);
            (row.id, ProcInfo { row, history: h, day_minutes: dm })
        })
        .collect())
}

// ---- rows ----

fn share(n: i64, d: i64) -> f64 {
    if d > 0 { n as f64 / d as f64 } else { 0.0 }
}

/// Median (mean of the two middle values for an even count) and p90 (nearest rank:
/// the ⌈0.9·n⌉-th smallest value) of a sorted (value, count) list.
pub fn percentiles(sorted: &[(f64, i64)]) -> ProcessingDays {
    let n: i64 = sorted.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return ProcessingDays { count: 0, mean: None, median: None, p90: None };
    }
    let nth = |k: i64| -> f64 {
        // k is 1-based.
        let mut seen = 0;
        for (v, c) in sorted {
            seen += c;
            if seen >= k {
                return *v;
            }
        }
        sorted.last().map_or(0.0, |(v, _)| *v)
    };
    let median = if n % 2 == 1 { nth(n / 2 + 1) } else { (nth(n / 2) + nth(n / 2 + 1)) / 2.0 };
    let p90 = nth((n * 9 + 9) / 10);
    let total: f64 = sorted.iter().map(|(v, c)| v * *c as f64).sum();
    ProcessingDays {
        count: n,
        mean: Some(round4(total / n as f64)),
        median: Some(round4(median)),
        p90: Some(round4(p90)),
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The processing days of the keys' resolved dossiers, ascending: working minutes over the day
/// length of each one's commune. Within one day length the order of minutes is the order of
/// days, so the histograms of each length are summed first (a province's year: hundreds of
/// thousands of entries into a few thousand distinct values) and only those values are sorted.
fn processing_days(keys: &[&Key], sums: &Sums, procs: &HashMap<i64, ProcInfo>) -> Vec<(f64, i64)> {
    let mut by_length: BTreeMap<i32, Vec<(i32, i64)>> = BTreeMap::new();
    for k in keys {
        if let Some(x) = sums.by_key.get(k).filter(|x| !x.minutes.is_empty()) {
            let dm = procs.get(&k.1).map_or(DEFAULT_DAY_MINUTES, |p| p.day_minutes);
            by_length.entry(dm).or_default().extend_from_slice(x.minutes.entries());
        }
    }
    let mut values: Vec<(f64, i64)> = Vec::new();
    for (dm, pairs) in by_length {
        let hist = Hist::from_pairs(pairs);
        values.extend(hist.entries().iter().map(|(m, c)| (f64::from(*m) / f64::from(dm), *c)));
    }
    values.sort_by(|x, y| x.0.total_cmp(&y.0));
    values
}

/// Builds one row from the partial sums of the keys it covers.
fn row(key: String, label: String, keys: &[&Key], sums: &Sums, procs: &HashMap<i64, ProcInfo>) -> IndicatorRow {
    let mut a = Acc::default();
    for k in keys {
        if let Some(x) = sums.by_key.get(k) {
            a.add(x);
        }
    }
    let values = processing_days(keys, sums, procs);
    let ended = a.ended();
    IndicatorRow {
        key,
        label,
        procedure_id: None,
        procedure_code: None,
        field: None,
        commune_id: None,
        limit_days: None,
        received: a.received,
        resolved: a.resolved,
        returned: a.returned,
        in_progress: a.open,
        early: a.early,
        on_time: a.on_time,
        late: a.late,
        open_overdue: a.open_overdue,
        open_not_due: a.open - a.open_overdue,
        on_time_rate: (ended > 0).then(|| share(a.early + a.on_time, ended)),
        processing_days: percentiles(&values),
        channels: Channels { in_person: a.channel[0], online: a.channel[1], postal: a.channel[2] },
        online_share: share(a.channel[1], a.received),
        paid_online_share: share(a.paid_online, a.fee_received),
        digitised_share: share(a.digitised, a.received),
        electronic_result_share: share(a.e_result, a.resolved),
        from_data_store: a.from_data_store,
        late_without_apology: a.late_without_apology,
        counter_guidance: a.counter_guidance,
        counter_refusals: a.counter_refusals,
    }
}

/// The indicator report of a period for the communes in scope (from the roll-ups).
pub fn report(
    conn: &mut DbConnection,
    communes: Vec<CommuneRef>,
    p: Period,
    group_by: Option<GroupBy>,
) -> AppResult<IndicatorReport> {
    report_from(conn, communes, p, group_by, Source::Rollups)
}

/// The indicator report of a period for the communes in scope, its sums read from `source`.
pub fn report_from(
    conn: &mut DbConnection,
    communes: Vec<CommuneRef>,
    p: Period,
    group_by: Option<GroupBy>,
    source: Source,
) -> AppResult<IndicatorReport> {
    let ids: Vec<i64> = communes.iter().map(|c| c.id).collect();
    let procs = procedures(conn, &ids)?;
    let s = sums_from(conn, &ids, &procs, &p, source, Times::Read)?;
    let all: Vec<&Key> = s.by_key.keys().collect();
    let overall = row(String::new(), "Tổng".to_string(), &all, &s, &procs);
    let mut groups = Vec::new();
    match group_by {
        None => {}
        Some(GroupBy::Procedure) => {
            // By national code, so the same procedure in several communes is one group.
            let mut by_code: BTreeMap<String, Vec<&Key>> = BTreeMap::new();
            for k in &all {
                let code = procs.get(&k.1).map_or_else(|| k.1.to_string(), |p| p.row.code.clone());
                by_code.entry(code).or_default().push(k);
            }
            for (code, keys) in by_code {
                let info = keys.first().and_then(|k| procs.get(&k.1));
                let label = info.map_or_else(|| code.clone(), |p| p.row.name.clone());
                let mut r = row(code.clone(), label, &keys, &s, &procs);
                r.procedure_code = Some(code);
                r.procedure_id = if ids.len() == 1 { info.map(|p| p.row.id) } else { None };
                r.field = info.map(|p| p.row.field.clone());
                r.limit_days = info.map(ProcInfo::limit_days);
                groups.push(r);
            }
        }
        Some(GroupBy::Field) => {
            let mut by_field: BTreeMap<String, Vec<&Key>> = BTreeMap::new();
            for k in &all {
                let f = procs.get(&k.1).map_or_else(String::new, |p| p.row.field.clone());
                by_field.entry(f).or_default().push(k);
            }
            for (f, keys) in by_field {
                let mut r = row(f.clone(), f.clone(), &keys, &s, &procs);
                r.field = Some(f);
                groups.push(r);
            }
        }
        Some(GroupBy::Commune) => {
            for c in &communes {
                let keys: Vec<&Key> = all.iter().copied().filter(|k| k.0 == c.id).collect();
                let mut r = row(c.id.to_string(), c.name.clone(), &keys, &s, &procs);
                r.commune_id = Some(c.id);
                groups.push(r);
            }
        }
        Some(GroupBy::Month) => {
            let now = Utc::now().naive_utc();
            for (month, mp) in p.months(now) {
                let ms = sums_from(conn, &ids, &procs, &mp, source, Times::Read)?;
                let keys: Vec<&Key> = ms.by_key.keys().collect();
                groups.push(row(month.clone(), month, &keys, &ms, &procs));
            }
        }
    }
    let day = ids.first().and_then(|c| procs.values().find(|p| p.row.commune_id == *c)).map(|p| p.day_minutes);
    Ok(IndicatorReport {
        from: p.from,
        to: p.to,
        day_minutes: day.unwrap_or(DEFAULT_DAY_MINUTES),
        communes,
        overall,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_hand() {
        // 1, 2, 2, 3, 10 → mean 3.6, median 2, p90 = 5th value = 10.
        let v = [(1.0, 1), (2.0, 2), (3.0, 1), (10.0, 1)];
        assert_eq!(percentiles(&v), ProcessingDays { count: 5, mean: Some(3.6), median: Some(2.0), p90: Some(10.0) });
        // Even count: median is the mean of the 2nd and 3rd values; p90 = ⌈3.6⌉ = 4th value.
        let v = [(0.5, 1), (1.0, 1), (2.0, 1), (4.0, 1)];
        let p = percentiles(&v);
        assert_eq!((p.median, p.p90, p.mean), (Some(1.5), Some(4.0), Some(1.875)));
        assert_eq!(percentiles(&[]).mean, None);
    }

    #[test]
    fn months_are_cut_to_the_period() {
        let now = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap().and_time(NaiveTime::MIN);
        let p = Period::new(
            NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
            now,
        );
        let m = p.months(now);
        let names: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(m[0].1.from, NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        assert_eq!(m[1].1.to, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(m[2].1.to, NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
        // Local midnight 15/1 is 17:00 UTC on 14/1.
        assert_eq!(m[0].1.start, NaiveDate::from_ymd_opt(2026, 1, 14).unwrap().and_hms_opt(17, 0, 0).unwrap());
    }

    #[test]
    fn an_unfinished_period_is_judged_now() {
        let now = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap().and_hms_opt(3, 0, 0).unwrap();
        let p = Period::new(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            now,
        );
        assert_eq!(p.cut, now);
    }
}
