//! `thanthien gen-demo-dossiers`: demo communes and dossiers for benchmarks and demos.
//!
//! Each generated commune is a copy of the demo commune's set-up (its units with the one-stop
//! unit, a `ubnd-<n>` one-stop officer and a `bdh-<n>` board member with the demo password, the
//! demo procedure catalogue with online-level histories, some levels changing mid-period) under
//! the demo province. Its dossiers (`source = 'demo'`) are stored exactly as the live system
//! would have stored them: received in working time on working days of the commune's calendar,
//! the appointment from the procedure's limit, one event per transition (only legal ones, an
//! apology before every late resolution), and every derived column replayed from those events by
//! [`lifecycle::replay`]. The life of a dossier is planned in full and cut at the end of the
//! period (or now), so the dossiers received last are still open.
//!
//! The generation is pure ([`generate_commune`], deterministic for a seed); the database part
//! writes each commune in one transaction with multi-row inserts (explicit ids, so events need no
//! round trip) and keeps the daily code counters consistent for later intakes.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use diesel::prelude::*;
use serde_json::json;

use super::DEMO_UNITS;
use super::model::{DossierInsert, EventInsert, GenDossier};
use super::repo;
use crate::audit::{self, Actor, Change};
use crate::calendar::engine::WorkCalendar;
use crate::calendar::model::hhmm;
use crate::calendar::service as cal;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult};
use crate::onestop::catalogue::{repo as catalogue_repo, service};
use crate::onestop::dossiers::lifecycle::{self, Step};
use crate::onestop::model::{Action, CreateProcedure, DossierValues, LimitUnit, OnlineLevel, ResultKind};
use crate::org::model::Role;
use crate::org::model::{AuthorityRow, NewCommune, NewUnit, NewUser};
use crate::rng::Rng;
use crate::time::{to_local, to_utc};

/// The demo commune whose catalogue and province the generated communes copy.
const DEMO_COMMUNE: &str = "Bình Lương";
/// Code of the demo one-stop unit (`demo::DEMO_UNITS`); generated communes number it.
const ONE_STOP_UNIT: &str = "UBND";
const BOARD_UNIT: &str = "BDH";
/// Dossiers a unit may number in a day (`NNNN`).
const MAX_PER_DAY: usize = 9999;

// ---------------------------------------------------------------- plausible people

const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 30),
    ("Lê", 10),
    ("Trần", 9),
    ("Phạm", 6),
    ("Hoàng", 4),
    ("Vũ", 3),
    ("Đỗ", 3),
    ("Bùi", 3),
    ("Đặng", 2),
    ("Ngô", 2),
    ("Đinh", 2),
    ("Trịnh", 3),
    ("Mai", 2),
    ("Lò", 2),
    ("Hà", 3),
    ("Lương", 3),
    ("Vi", 2),
    ("Lang", 2),
    ("Quách", 1),
    ("Cầm", 1),
];
const MIDDLE_MALE: &[&str] = &["Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Quang", "Công", "Xuân", "Đình", "Ngọc"];
const MIDDLE_FEMALE: &[&str] = &["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Kim"];
const GIVEN_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Khoa", "Long", "Lực", "Mạnh", "Nam",
    "Nghĩa", "Phong", "Phúc", "Quân", "Quý", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng",
    "Việt", "Vinh", "Vượng",
];
const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Huệ", "Hương", "Lan", "Liên", "Linh",
    "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thủy", "Trang", "Tuyết", "Vân",
    "Yến",
];
const PHONE_PREFIXES: &[&str] = &[
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "091", "094", "088", "081",
    "082", "083", "084", "085", "070", "076", "077", "078", "079", "089", "090", "093",
];
/// Syllables of the generated commune names (20 × 20 distinct pairs).
const NAME_FIRST: &[&str] = &[
    "Xuân", "Thanh", "Yên", "Hải", "Quảng", "Thiệu", "Hoằng", "Đông", "Nga", "Vĩnh", "Cẩm", "Thọ", "Tân", "Minh",
    "Phú", "Định", "Nông", "Triệu", "Hợp", "Quang",
];
const NAME_SECOND: &[&str] = &[
    "Sơn", "Hòa", "Lộc", "Phúc", "Thịnh", "Tiến", "Hưng", "An", "Long", "Thành", "Lâm", "Châu", "Giang", "Khê",
    "Phong", "Trung", "Lợi", "Đức", "Ninh", "Vinh",
];

const SUPPLEMENT_NOTES: &[&str] = &[
    "Bổ sung bản sao Căn cước công dân.",
    "Bổ sung giấy tờ chứng minh nơi cư trú.",
    "Xuất trình bản chính giấy tờ để đối chiếu.",
    "Tờ khai chưa đủ chữ ký, đề nghị ký bổ sung.",
    "Bổ sung giấy xác nhận của trưởng thôn.",
];
const STOP_NOTES: &[&str] = &["Công dân không bổ sung hồ sơ theo yêu cầu.", "Công dân đề nghị dừng giải quyết hồ sơ."];
const WITHDRAW_NOTE: &str = "Công dân đề nghị rút hồ sơ.";
const PAYMENT_NOTE: &str = "Đề nghị nộp lệ phí trước khi trả kết quả.";
const APOLOGY_NOTE: &str = "Xin lỗi vì hồ sơ giải quyết chậm so với thời hạn; hẹn lại ngày trả kết quả.";

/// Name of the `idx`-th generated commune (1-based): two syllables, distinct up to 400.
pub fn commune_name(idx: usize) -> String {
    let i = idx.saturating_sub(1);
    let (a, b) = (i % 20, (i / 20 + i) % 20);
    let base = format!("{} {}", NAME_FIRST[a], NAME_SECOND[b]);
    if i < 400 { base } else { format!("{base} {}", i / 400 + 1) }
}

fn pick_weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.below(u64::from(total)) as u32;
    for (s, w) in items {
        if x < *w {
            return s;
        }
        x -= w;
    }
    items[0].0
}

/// A fake but plausible applicant: name, phone, id number, address.
fn applicant(rng: &mut Rng, commune: &str, province: &str) -> (String, String, String, String) {
    let male = rng.chance(0.5);
    let family = pick_weighted(rng, FAMILY);
    let (middle, given) = if male {
        (rng.pick(MIDDLE_MALE), rng.pick(GIVEN_MALE))
    } else {
        (rng.pick(MIDDLE_FEMALE), rng.pick(GIVEN_FEMALE))
    };
    let name = if rng.chance(0.15) {
        // A two-syllable given name ("Nguyễn Thị Thu Hà").
        let second = if male { rng.pick(GIVEN_MALE) } else { rng.pick(GIVEN_FEMALE) };
        format!("{family} {middle} {given} {second}")
    } else {
        format!("{family} {middle} {given}")
    };
    let phone = format!("{}{:07}", rng.pick(PHONE_PREFIXES), rng.below(10_000_000));
    let born = 1945 + rng.below(62) as i32;
    let id = if rng.chance(0.03) {
        // An old 9-digit identity card of Thanh Hóa.
        format!("17{:07}", rng.below(10_000_000))
    } else {
        let century = match (born >= 2000, male) {
            (false, true) => 0,
            (false, false) => 1,
            (true, true) => 2,
            (true, false) => 3,
        };
        format!("038{century}{:02}{:06}", born % 100, rng.below(1_000_000))
    };
    let address = format!("Thôn {}, xã {commune}, tỉnh {province}", 1 + rng.below(6));
    (name, phone, id, address)
}

// ---------------------------------------------------------------- rows

// ---------------------------------------------------------------- the pure generator

/// A procedure as the generator sees it (from the stored catalogue).
#[derive(Debug, Clone)]
pub struct GenProcedure {
    pub id: i64,
    pub code: String,
    pub limit_amount: i32,
    pub limit_unit: LimitUnit,
    pub cutoff_minutes: i32,
    pub has_fee: bool,
    pub online_payment: bool,
    /// Can deliver an electronic result (`electronic` or `both`).
    pub electronic: bool,
    /// Online-level history, oldest first.
    pub levels: Vec<(NaiveDate, OnlineLevel)>,
}

impl GenProcedure {
    fn level_at(&self, d: NaiveDate) -> OnlineLevel {
        self.levels.iter().rev().find(|(from, _)| *from <= d).map_or(OnlineLevel::None, |(_, l)| *l)
    }

    /// How often this procedure is asked for (common ones first).
    fn weight(&self) -> f64 {
        match self.code.as_str() {
            "2.000815" => 30.0,
            "2.000884" => 12.0,
            "1.001193" | "1.004873" => 8.0,
            "2.000635" => 6.0,
            "2.001035" | "1.000656" | "1.000894" | "1.004227" | "1.001776" => 3.0,
            "1.004859" => 2.0,
            "2.001019" | "1.004837" | "1.001699" | "1.000489" => 1.0,
            "1.001758" | "2.002206" => 0.8,
            "2.000913" | "1.001022" | "1.003003" => 0.5,
            "1.000689" => 0.3,
            _ => 1.0,
        }
    }
}

/// Everything the generator needs about one commune.
pub struct CommunePlan<'a> {
    pub commune_id: i64,
    pub commune_name: &'a str,
    pub province_name: &'a str,
    /// The one-stop unit (receives and numbers the dossiers).
    pub unit_id: i64,
    pub unit_code: &'a str,
    pub unit_name: &'a str,
    /// The one-stop officer who records every event.
    pub user_id: i64,
    pub user_name: &'a str,
    pub procedures: &'a [GenProcedure],
    /// The commune's calendar, covering the period and 900 days after it.
    pub calendar: &'a WorkCalendar,
    /// Local dates, inclusive.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// UTC: nothing happens after this (the end of `to`, or now).
    pub horizon: NaiveDateTime,
    pub count: usize,
    pub seed: u64,
    /// The commune's number among the generated ones (its random stream: same seed and index,
    /// same dossiers).
    pub index: usize,
}

/// How a commune works, drawn once per commune so communes differ.
struct Traits {
    online: f64,
    late: f64,
    supplement: f64,
    digitised: f64,
}

/// One planned event (local times).
struct Planned {
    action: &'static str,
    to: i32,
    at: NaiveDateTime,
    note: Option<&'static str>,
    new_due: Option<NaiveDateTime>,
}

fn month_factor(m: u32) -> f64 {
    match m {
        1 | 12 => 1.1,
        2 => 0.7,
        7 | 8 => 1.15,
        _ => 1.0,
    }
}

fn weekday_factor(d: Weekday) -> f64 {
    match d {
        Weekday::Mon => 1.2,
        Weekday::Fri => 0.9,
        Weekday::Sat | Weekday::Sun => 0.5,
        _ => 1.0,
    }
}

/// A working day: date, its two periods (seconds after midnight), usable working seconds.
type WorkDay = (NaiveDate, [(u32, u32); 2], u32);

/// Dossiers of one commune, received in `[from, to]` before the horizon, sorted by receipt.
pub fn generate_commune(p: &CommunePlan<'_>) -> Result<Vec<GenDossier>, String> {
    let mut rng = Rng::stream(p.seed, p.index as u64);
    let traits = Traits {
        online: rng.between(0.6, 1.4),
        late: rng.between(0.02, 0.10),
        supplement: rng.between(0.6, 1.5),
        digitised: rng.between(0.3, 0.6),
    };
    let c = p.calendar;
    let horizon = to_local(p.horizon);
    let span_days = ((horizon.date() - p.from).num_days().max(1)) as f64;
    // Working days with their opening, usable working seconds and weight.
    // Working days with their periods and usable working seconds (the day of the horizon only
    // up to it). Weights use whole days, so the time of a run changes only that day's dossiers.
    let mut days: Vec<WorkDay> = Vec::new();
    let mut cumulative: Vec<f64> = Vec::new();
    let mut total = 0.0;
    let mut d = p.from;
    while d <= p.to && d <= horizon.date() {
        let info = c.day(d).ok_or("the calendar does not cover the period")?;
        if info.working {
            let periods = info.hours.periods.map(|q| (q.start, q.end));
            let usable = if d == horizon.date() {
                let opening = d.and_time(NaiveTime::MIN) + Duration::seconds(i64::from(periods[0].0));
                c.working_seconds_between(opening, horizon).unwrap_or(0) as u32
            } else {
                info.hours.length()
            };
            let years = (d - p.from).num_days() as f64 / 365.0;
            total += (1.0 + 0.12 * years) * month_factor(d.month()) * weekday_factor(d.weekday());
            days.push((d, periods, usable));
            cumulative.push(total);
        }
        d += Duration::days(1);
    }
    // A horizon before the day's first minute: that day's share goes to the day before.
    if days.last().is_some_and(|l| l.2 < 60) {
        days.pop();
        if let (Some(w), Some(l)) = (cumulative.pop(), cumulative.last_mut()) {
            *l = w;
        }
    }
    if days.is_empty() {
        return if p.count == 0 { Ok(Vec::new()) } else { Err("no working time in the period".into()) };
    }
    total = cumulative.last().copied().unwrap_or(total);
    let weights: Vec<f64> = p.procedures.iter().map(GenProcedure::weight).collect();
    let weight_total: f64 = weights.iter().sum();
    // Receipts: (local time, procedure index). Four draws each, whatever the day.
    let mut receipts: Vec<(NaiveDateTime, usize)> = (0..p.count)
        .map(|_| {
            let (u_day, u_half, u_pos, u_proc) = (rng.unit(), rng.unit(), rng.unit(), rng.unit());
            let i = cumulative.partition_point(|&w| w <= u_day * total).min(days.len() - 1);
            let (day, periods, usable) = days[i];
            // Mornings are busier: an afternoon second weighs 0.55 of a morning one.
            let morning = (periods[0].1 - periods[0].0).min(usable);
            let afternoon = usable - morning;
            let p_morning = f64::from(morning) / (f64::from(morning) + 0.55 * f64::from(afternoon));
            let secs = if u_half < p_morning {
                periods[0].0 + (u_pos * f64::from(morning)) as u32
            } else {
                periods[1].0 + (u_pos * f64::from(afternoon)) as u32
            };
            let at = day.and_time(NaiveTime::MIN) + Duration::seconds(i64::from(secs));
            let mut y = u_proc * weight_total;
            let mut proc = 0;
            for (k, w) in weights.iter().enumerate() {
                if y < *w {
                    proc = k;
                    break;
                }
                y -= w;
            }
            (at, proc)
        })
        .collect();
    receipts.sort();
    let mut out = Vec::with_capacity(receipts.len());
    let mut number = 0usize;
    let mut last_day: Option<NaiveDate> = None;
    for (received, proc) in receipts {
        if last_day != Some(received.date()) {
            number = 0;
            last_day = Some(received.date());
        }
        number += 1;
        if number > MAX_PER_DAY {
            return Err(format!("more than {MAX_PER_DAY} dossiers on {}: use more communes", received.date()));
        }
        let progress = ((received.date() - p.from).num_days() as f64 / span_days).clamp(0.0, 1.0);
        out.push(dossier(p, &traits, &mut rng, &p.procedures[proc], received, number, progress)?);
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn dossier(
    p: &CommunePlan<'_>,
    traits: &Traits,
    rng: &mut Rng,
    proc: &GenProcedure,
    received: NaiveDateTime,
    number: usize,
    progress: f64,
) -> Result<GenDossier, String> {
    let c = p.calendar;
    let window = || format!("the calendar does not cover {received}");
    let appointed =
        cal::due_local(c, received, i64::from(proc.limit_amount), cal::unit_of(proc.limit_unit, proc.cutoff_minutes))
            .map_err(|_| window())?;
    // Channel: online only when the procedure is offered online on that day.
    let p_online = match proc.level_at(received.date()) {
        OnlineLevel::Full => 0.30 + 0.45 * progress,
        OnlineLevel::Partial => 0.08 + 0.27 * progress,
        OnlineLevel::None => 0.0,
    } * traits.online;
    let u = rng.unit();
    let channel = if u < 0.012 {
        3
    } else if u < 0.012 + p_online.min(0.95) {
        2
    } else {
        1
    };
    let paid_online = proc.has_fee
        && proc.online_payment
        && match channel {
            2 => rng.chance(0.55 + 0.35 * progress),
            1 => rng.chance(0.03 + 0.10 * progress),
            _ => false,
        };
    let digitised = rng.chance((traits.digitised + 0.45 * progress).min(0.97));
    let wants_electronic = proc.electronic && rng.chance(if channel == 2 { 0.85 } else { 0.10 + 0.30 * progress });
    let (name, phone, id_number, address) = applicant(rng, p.commune_name, p.province_name);

    let planned = plan_lifecycle(p, traits, rng, proc, received, appointed, channel == 1 && !wants_electronic)?;
    // Cut at the horizon: what has not happened yet is not recorded.
    let horizon = to_local(p.horizon);
    let planned: Vec<Planned> = planned.into_iter().take_while(|e| e.at <= horizon).collect();
    let received_utc = to_utc(received);
    let appointed_utc = to_utc(appointed);
    let steps: Vec<Step<'_>> = planned
        .iter()
        .map(|e| Step { action: e.action, to_status: e.to, at: to_utc(e.at), new_due_at: e.new_due.map(to_utc) })
        .collect();
    let updated = steps.last().map_or(received_utc, |s| s.at);
    let derived = lifecycle::replay(c, received_utc, appointed_utc, &steps, updated);
    let resolved = planned.iter().any(|e| e.action == Action::Resolve.as_str());

    let day = received.date();
    let code = format!("{}-{:02}{:02}{:02}-{:04}", p.unit_code, day.year() % 100, day.month(), day.day(), number);
    let event = |action: &str, from: Option<i32>, to: i32, at: NaiveDateTime, note: Option<&str>, due| EventInsert {
        id: 0,
        dossier_id: 0,
        action: action.to_string(),
        from_status: from,
        to_status: to,
        at,
        user_id: Some(p.user_id),
        user_name: p.user_name.to_string(),
        unit_id: Some(p.unit_id),
        unit_name: Some(p.unit_name.to_string()),
        note: note.map(str::to_string),
        new_due_at: due,
    };
    let mut events = Vec::with_capacity(planned.len() + 1);
    events.push(event(lifecycle::RECEIVE, None, lifecycle::RECEIVED, received_utc, None, None));
    let mut status = lifecycle::RECEIVED;
    for (e, s) in planned.iter().zip(&steps) {
        events.push(event(e.action, Some(status), e.to, s.at, e.note, s.new_due_at));
        status = e.to;
    }
    let phone_digits = phone.clone();
    let row = DossierInsert {
        id: 0,
        commune_id: p.commune_id,
        unit_id: p.unit_id,
        code,
        values: DossierValues {
            procedure_id: proc.id,
            channel,
            status: derived.status,
            applicant_search: fold_search(&name),
            applicant_name: name,
            applicant_phone: phone,
            phone_digits,
            applicant_id_number: id_number,
            applicant_address: address,
            received_at: received_utc,
            appointed_at: appointed_utc,
            deadline_at: derived.deadline_at,
            due_at: derived.due_at,
            paused_since: derived.paused_since,
            finished_at: derived.finished_at,
            returned_at: derived.returned_at,
            supplement_requests: derived.supplement_requests,
            extended: derived.extended,
            timeliness: derived.timeliness,
            paid_online,
            digitised,
            electronic_result: wants_electronic && resolved,
            processing_minutes: derived.processing_minutes,
            from_data_store: digitised && channel == 2,
            apology_by: derived.apology_by,
        },
        created_by: Some(p.user_id),
        created_at: received_utc,
        updated_at: derived.updated_at,
        source: "demo".into(),
        limit_amount: None,
        limit_unit: None,
        cutoff_minutes: None,
        apology_timely: derived.apology_timely,
    };
    Ok(GenDossier { row, events })
}

/// The whole life of a dossier (local times), before cutting at the horizon. Only legal
/// transitions; a resolution past the (paused-adjusted) due time is preceded by an apology
/// with a new appointment, as the live system requires.
fn plan_lifecycle(
    p: &CommunePlan<'_>,
    traits: &Traits,
    rng: &mut Rng,
    proc: &GenProcedure,
    received: NaiveDateTime,
    appointed: NaiveDateTime,
    collects_in_person: bool,
) -> Result<Vec<Planned>, String> {
    use lifecycle::{FINANCIAL, IN_PROGRESS, RESOLVED, RETURNED, STOPPED, SUPPLEMENT, WITHDRAWN};
    let c = p.calendar;
    let err = || format!("the calendar does not cover the life of a dossier received {received}");
    let add = |t: NaiveDateTime, secs: u64| c.add_working_seconds(t, secs).ok_or_else(err);
    const DAY: u64 = 8 * 3600;
    let span = c.working_seconds_between(received, appointed).unwrap_or(0);
    let multi_day = span > DAY;
    let mut ev: Vec<Planned> = Vec::with_capacity(8);
    let plan = |action: Action, to: i32, at: NaiveDateTime, note: Option<&'static str>| Planned {
        action: action.as_str(),
        to,
        at,
        note,
        new_due: None,
    };

    let start_delay = if multi_day { rng.range(300, 4 * 3600) } else { rng.range(60, 1800) };
    let mut t = add(received, start_delay)?;
    ev.push(plan(Action::StartProcessing, IN_PROGRESS, t, None));
    let mut active = start_delay;
    // Working seconds of processing from receipt to resolution, as a share of the limit.
    let u = rng.unit();
    let share = if u < traits.late {
        rng.between(1.02, 1.8)
    } else if u < traits.late + 0.22 {
        rng.between(0.85, 1.0)
    } else {
        rng.between(0.1, 0.85)
    };
    let mut work = ((span as f64 * share) as u64).max(start_delay + 600);

    let withdraw = rng.chance(0.008);
    let stop = !withdraw && rng.chance(0.005);
    let supplement = rng.chance(if multi_day { 0.09 } else { 0.025 } * traits.supplement);
    let second = supplement && rng.chance(0.18);
    let payment = !supplement && proc.has_fee && multi_day && rng.chance(0.05);
    if supplement || payment {
        let pos = ((work as f64 * rng.between(0.1, 0.6)) as u64).max(active + 60);
        work = work.max(pos + 600);
        t = add(t, pos - active)?;
        active = pos;
        if supplement {
            ev.push(plan(Action::RequestSupplement, SUPPLEMENT, t, Some(*rng.pick(SUPPLEMENT_NOTES))));
        } else {
            ev.push(plan(Action::RequestPayment, FINANCIAL, t, Some(PAYMENT_NOTE)));
        }
        if stop && supplement {
            // The citizen never comes back with the papers.
            t = add(t, rng.range(3, 15) * DAY)?;
            ev.push(plan(Action::Stop, STOPPED, t, Some(STOP_NOTES[0])));
            return Ok(ev);
        }
        let pause = if supplement { rng.range(DAY / 2, 5 * DAY) } else { rng.range(3600, 2 * DAY) };
        t = add(t, pause)?;
        ev.push(if supplement {
            plan(Action::ReceiveSupplement, IN_PROGRESS, t, None)
        } else {
            plan(Action::ConfirmPayment, IN_PROGRESS, t, None)
        });
        if second {
            let pos = active + ((work.saturating_sub(active) as f64 * rng.between(0.2, 0.6)) as u64).max(60);
            work = work.max(pos + 600);
            t = add(t, pos - active)?;
            active = pos;
            ev.push(plan(Action::RequestSupplement, SUPPLEMENT, t, Some(*rng.pick(SUPPLEMENT_NOTES))));
            t = add(t, rng.range(DAY / 2, 4 * DAY))?;
            ev.push(plan(Action::ReceiveSupplement, IN_PROGRESS, t, None));
        }
    }
    if withdraw || stop {
        let pos = active + ((work.saturating_sub(active) as f64 * rng.between(0.1, 0.9)) as u64).max(60);
        t = add(t, pos - active)?;
        ev.push(if withdraw {
            plan(Action::Withdraw, WITHDRAWN, t, Some(WITHDRAW_NOTE))
        } else {
            plan(Action::Stop, STOPPED, t, Some(STOP_NOTES[1]))
        });
        return Ok(ev);
    }
    let resolve_at = add(t, work.saturating_sub(active).max(60))?;
    // The due time so far (moved by the pauses): resolving after it needs the apology first.
    let steps: Vec<Step<'_>> =
        ev.iter().map(|e| Step { action: e.action, to_status: e.to, at: to_utc(e.at), new_due_at: None }).collect();
    let so_far = lifecycle::replay(c, to_utc(received), to_utc(appointed), &steps, to_utc(t));
    let due = to_local(so_far.due_at);
    if resolve_at > due {
        // Form 04 is due one working day before the due time: most desks send it in time, the
        // rest late (a recorded breach).
        let by = lifecycle::one_working_day_before(c, due);
        let mut apology = if by > t && rng.chance(0.8) {
            let before = c.working_seconds_between(t, by).unwrap_or(0);
            add(t, before.saturating_sub(rng.range(60, 1800)).max(1))?
        } else {
            add(if due > t { due } else { t }, rng.range(60, 1800))?
        };
        if apology >= resolve_at {
            let gap = c.working_seconds_between(t, resolve_at).unwrap_or(0);
            apology = add(t, (gap / 2).max(1))?;
        }
        let new_due = add(resolve_at, rng.range(0, DAY))?;
        ev.push(Planned {
            action: Action::ApologizeAndExtend.as_str(),
            to: IN_PROGRESS,
            at: apology,
            note: Some(APOLOGY_NOTE),
            new_due: Some(new_due),
        });
    }
    ev.push(plan(Action::Resolve, RESOLVED, resolve_at, None));
    // Handing over the result: right away when delivered online, else when the citizen comes.
    let returned = if !collects_in_person {
        add(resolve_at, rng.range(60, 2 * 3600))?
    } else {
        let u = rng.unit();
        if u < 0.45 {
            add(resolve_at, rng.range(600, 4 * 3600))?
        } else if u < 0.88 {
            add(if appointed > resolve_at { appointed } else { resolve_at }, rng.range(60, DAY))?
        } else {
            add(resolve_at, rng.range(2 * DAY, 12 * DAY))?
        }
    };
    ev.push(plan(Action::ReturnResult, RETURNED, returned, None));
    Ok(ev)
}

/// Splits `total` over `n` communes with log-normal weights (uneven, like real communes).
pub fn allocate(total: usize, n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng::stream(seed, u64::MAX);
    let weights: Vec<f64> = (0..n).map(|_| (0.6 * rng.gauss()).exp()).collect();
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut rest = total.saturating_sub(counts.iter().sum());
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    for &i in order.iter().cycle().take(n.max(1) * 2) {
        if rest == 0 {
            break;
        }
        counts[i] += 1;
        rest -= 1;
    }
    counts
}

// ---------------------------------------------------------------- the database part

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub communes: usize,
    pub dossiers: usize,
    /// Local dates, inclusive.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub seed: u64,
}

/// One generated commune.
#[derive(Debug, Clone)]
pub struct GeneratedCommune {
    pub id: i64,
    pub name: String,
    /// The one-stop officer (`ubnd`, demo password).
    pub username: String,
    pub dossiers: usize,
    pub events: usize,
}

/// What was generated.
#[derive(Debug, Clone)]
pub struct GenSummary {
    pub communes: Vec<GeneratedCommune>,
    pub dossiers: usize,
    pub events: usize,
}

struct Template {
    values: CreateProcedure,
    final_level: OnlineLevel,
}

/// The demo commune's catalogue (copied into every generated commune).
fn demo_catalogue(conn: &mut DbConnection, demo_commune: i64) -> AppResult<Vec<Template>> {
    let rows: Vec<_> = catalogue_repo::active_procedures(conn, demo_commune)?.into_iter().filter(|r| r.demo).collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut levels: HashMap<i64, OnlineLevel> = HashMap::new();
    for (id, level, _) in catalogue_repo::online_levels(conn, &ids)? {
        levels.insert(id, OnlineLevel::parse(&level).unwrap_or(OnlineLevel::None));
    }
    let mut out: Vec<Template> = rows
        .into_iter()
        .map(|r| Template {
            final_level: levels.get(&r.id).copied().unwrap_or(OnlineLevel::None),
            values: CreateProcedure {
                code: r.code,
                name: r.name,
                field: r.field,
                limit_amount: r.limit_amount,
                limit_unit: LimitUnit::parse(&r.limit_unit).unwrap_or(LimitUnit::WorkingDays),
                cutoff: Some(hhmm(r.cutoff_minutes)),
                fee_vnd: r.fee_vnd,
                fee_note: r.fee_note,
                online_level: OnlineLevel::None,
                online_level_from: None,
                online_payment: r.online_payment,
                result_kind: ResultKind::parse(&r.result_kind),
                posted_on: r.posted_on,
                posting_complete: r.posting_complete,
                active: Some(true),
            },
        })
        .collect();
    out.sort_by(|a, b| a.values.code.cmp(&b.values.code));
    Ok(out)
}

/// The number after the last generated commune (`ubnd-<n>` users), so a second run adds more.
fn next_index(conn: &mut DbConnection) -> QueryResult<usize> {
    let names = repo::usernames_like(conn, "ubnd-%")?;
    Ok(names.iter().filter_map(|u| u.strip_prefix("ubnd-")?.parse::<usize>().ok()).max().unwrap_or(0) + 1)
}

/// A generated commune's set-up.
struct Setup {
    commune_id: i64,
    name: String,
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    user_id: i64,
    user_name: String,
    username: String,
    procedures: Vec<GenProcedure>,
}

#[allow(clippy::too_many_arguments)]
fn setup_commune(
    conn: &mut DbConnection,
    actor: &Actor,
    province: &AuthorityRow,
    idx: usize,
    catalogue: &[Template],
    password_hash: &str,
    opts: &GenOptions,
    now: NaiveDateTime,
) -> AppResult<Setup> {
    use crate::org::repo as org;
    let mut rng = Rng::stream(opts.seed, 1_000_000 + idx as u64);
    let mut name = commune_name(idx);
    if org::find_commune(conn, province.id, &name)?.is_some() {
        name = format!("{name} {idx}");
    }
    let commune = org::insert_commune(
        conn,
        &NewCommune {
            authority_id: province.id,
            name: &name,
            code: None,
            timezone: "Asia/Ho_Chi_Minh",
            created_at: now,
        },
    )?;
    audit::repo::record_entity(
        conn,
        actor,
        commune.id,
        "create",
        "commune",
        commune.id,
        json!({ "name": name, "authority": province.name, "demo": true }),
    )?;
    let unit_code = format!("{ONE_STOP_UNIT}{idx:03}");
    let mut one_stop = None;
    let mut board = None;
    for (unit_name, kind, code) in DEMO_UNITS {
        let (unit_name, code) = if *code == ONE_STOP_UNIT {
            (format!("UBND xã {name}"), unit_code.clone())
        } else {
            ((*unit_name).to_string(), (*code).to_string())
        };
        let u =
            crate::org::service::add_unit(conn, actor, &NewUnit::new(commune.id, &unit_name, *kind, Some(&code), now))?;
        if code == unit_code {
            one_stop = Some((u.id, unit_name));
        } else if code == BOARD_UNIT {
            board = Some(u.id);
        }
    }
    let (unit_id, unit_name) = one_stop.ok_or_else(|| AppError::Internal("demo units without UBND".into()))?;
    let username = format!("ubnd-{idx}");
    let mut user = None;
    for (login, full_name, role, unit) in [
        (username.clone(), format!("Cán bộ Một cửa xã {name} (demo)"), Role::Ubnd, Some(unit_id)),
        (format!("bdh-{idx}"), format!("Trưởng Ban điều hành xã {name} (demo)"), Role::Board, board),
    ] {
        if crate::auth::repo::find_user_by_username(conn, &login)?.is_some() {
            return Err(AppError::Conflict(format!("user {login} already exists")));
        }
        let u = org::insert_user(
            conn,
            &NewUser {
                commune_id: Some(commune.id),
                unit_id: unit,
                ..NewUser::new(&login, &full_name, password_hash, role, now)
            },
        )?;
        audit::repo::record_entity(
            conn,
            actor,
            commune.id,
            "create",
            "user",
            u.id,
            json!({ "username": login, "role": role.as_str() }),
        )?;
        if role == Role::Ubnd {
            user = Some((u.id, full_name));
        }
    }
    let (user_id, user_name) = user.ok_or_else(|| AppError::Internal("no one-stop officer".into()))?;
    // The catalogue, with level histories: some procedures moved up a level during the period.
    let base = NaiveDate::from_ymd_opt(opts.from.year() - 2, 1, 1).unwrap_or(opts.from);
    let months = ((opts.to.year() - opts.from.year()) * 12 + opts.to.month() as i32 - opts.from.month() as i32).max(0);
    for t in catalogue {
        let u = rng.unit();
        let (first, later) = match t.final_level {
            OnlineLevel::Full if u < 0.45 => (OnlineLevel::Partial, Some(OnlineLevel::Full)),
            OnlineLevel::Full if u < 0.55 => (OnlineLevel::None, Some(OnlineLevel::Full)),
            OnlineLevel::Partial if u < 0.40 => (OnlineLevel::None, Some(OnlineLevel::Partial)),
            OnlineLevel::None if u < 0.12 => (OnlineLevel::None, Some(OnlineLevel::Partial)),
            level => (level, None),
        };
        let mut input = clone_procedure(&t.values);
        input.online_level = first;
        input.online_level_from = Some(base);
        let code = input.code.clone();
        service::seed_procedure(conn, actor, commune.id, input)?;
        if let Some(level) = later {
            let m = if months >= 4 { 2 + rng.below(months as u64 - 2) as i32 } else { months / 2 };
            let month0 = opts.from.month0() as i32 + m;
            let change = NaiveDate::from_ymd_opt(opts.from.year() + month0 / 12, (month0 % 12) as u32 + 1, 1)
                .unwrap_or(opts.from);
            if let Some(row) = catalogue_repo::find_procedure_by_code(conn, commune.id, &code)? {
                catalogue_repo::set_online_level(conn, row.id, level.as_str(), change, now)?;
            }
        }
    }
    // Generate from what is stored.
    let procedures = stored_procedures(conn, commune.id)?;
    Ok(Setup { commune_id: commune.id, name, unit_id, unit_code, unit_name, user_id, user_name, username, procedures })
}

/// The commune's active procedures as the generator needs them, by code.
fn stored_procedures(conn: &mut DbConnection, commune_id: i64) -> AppResult<Vec<GenProcedure>> {
    let rows = catalogue_repo::active_procedures(conn, commune_id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut levels: HashMap<i64, Vec<(NaiveDate, OnlineLevel)>> = HashMap::new();
    for (id, level, from) in catalogue_repo::online_levels(conn, &ids)? {
        levels.entry(id).or_default().push((from, OnlineLevel::parse(&level).unwrap_or(OnlineLevel::None)));
    }
    let mut procedures: Vec<GenProcedure> = rows
        .into_iter()
        .map(|r| GenProcedure {
            id: r.id,
            limit_amount: r.limit_amount,
            limit_unit: LimitUnit::parse(&r.limit_unit).unwrap_or(LimitUnit::WorkingDays),
            cutoff_minutes: r.cutoff_minutes,
            has_fee: r.fee_vnd.is_some_and(|f| f > 0),
            online_payment: r.online_payment,
            electronic: r.result_kind != ResultKind::Paper.as_str(),
            levels: levels.remove(&r.id).unwrap_or_default(),
            code: r.code,
        })
        .collect();
    procedures.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(procedures)
}

fn clone_procedure(p: &CreateProcedure) -> CreateProcedure {
    CreateProcedure {
        code: p.code.clone(),
        name: p.name.clone(),
        field: p.field.clone(),
        limit_amount: p.limit_amount,
        limit_unit: p.limit_unit,
        cutoff: p.cutoff.clone(),
        fee_vnd: p.fee_vnd,
        fee_note: p.fee_note.clone(),
        online_level: p.online_level,
        online_level_from: p.online_level_from,
        online_payment: p.online_payment,
        result_kind: p.result_kind,
        posted_on: p.posted_on,
        posting_complete: p.posting_complete,
        active: p.active,
    }
}

/// Creates `opts.communes` demo communes under the demo province and `opts.dossiers` dossiers
/// spread over them, one transaction per commune. Needs the demo commune (seeded by
/// `serve --demo`). `now` (UTC) bounds every time written. `progress(dossiers, events)` is
/// called with running totals after each batch.
pub fn generate(
    conn: &mut DbConnection,
    password_hash: &str,
    opts: &GenOptions,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<GenSummary> {
    if opts.communes == 0 || opts.communes > 10_000 {
        return Err(AppError::field("communes", "invalid_value", "Số xã từ 1 đến 10 000."));
    }
    if opts.to < opts.from {
        return Err(AppError::field("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu."));
    }
    if opts.from.year() < 2000 || opts.to.year() > 2150 {
        return Err(AppError::field("from", "invalid_value", "Khoảng thời gian từ năm 2000 đến 2150."));
    }
    let horizon = opts.to.succ_opt().map(|d| to_utc(d.and_time(NaiveTime::MIN))).unwrap_or(now).min(now);
    if to_local(horizon).date() < opts.from {
        return Err(AppError::field("from", "invalid_value", "Khoảng thời gian nằm trong tương lai."));
    }
    repo::enlarge_sqlite_cache(conn)?;
    let demo = repo::commune_and_authority(conn, DEMO_COMMUNE)?;
    let Some((demo_id, province_id)) = demo else {
        return Err(AppError::Conflict(format!(
            "the demo commune ({DEMO_COMMUNE}) is missing: generate into a database seeded by `serve --demo`"
        )));
    };
    let province = repo::authority(conn, province_id)?;
    let catalogue = demo_catalogue(conn, demo_id)?;
    if catalogue.is_empty() {
        return Err(AppError::Conflict("the demo commune has no demo procedure catalogue".into()));
    }
    let first = next_index(conn)?;
    let counts = allocate(opts.dossiers, opts.communes, opts.seed);
    let actor = Actor::system("gen-demo-dossiers");
    let (mut dossiers_done, mut events_done) = (0usize, 0usize);
    let mut out = Vec::with_capacity(opts.communes);
    for (k, &count) in counts.iter().enumerate() {
        let idx = first + k;
        let generated = write_tx(conn, |conn| {
            let s = setup_commune(conn, &actor, &province, idx, &catalogue, password_hash, opts, now)?;
            let calendar = cal::load(
                conn,
                Some(s.commune_id),
                opts.from - Duration::days(10),
                to_local(horizon).date() + Duration::days(900),
            )?;
            let plan = CommunePlan {
                commune_id: s.commune_id,
                commune_name: &s.name,
                province_name: &province.name,
                unit_id: s.unit_id,
                unit_code: &s.unit_code,
                unit_name: &s.unit_name,
                user_id: s.user_id,
                user_name: &s.user_name,
                procedures: &s.procedures,
                calendar: &calendar,
                from: opts.from,
                to: opts.to,
                horizon,
                count,
                seed: opts.seed,
                index: idx,
            };
            let dossiers = generate_commune(&plan).map_err(AppError::Internal)?;
            let n = dossiers.len();
            let events = repo::insert_dossiers(conn, s.unit_id, dossiers, &mut |d, e| {
                dossiers_done += d;
                events_done += e;
                progress(dossiers_done, events_done);
            })?;
            audit::repo::record(
                conn,
                &actor,
                Change {
                    commune_id: Some(s.commune_id),
                    action: "generate",
                    entity: "dossier",
                    entity_id: None,
                    summary: json!({ "source": "demo", "dossiers": n, "events": events, "from": opts.from,
                        "to": opts.to, "seed": opts.seed }),
                },
            )?;
            Ok::<_, AppError>(GeneratedCommune {
                id: s.commune_id,
                name: s.name.clone(),
                username: s.username.clone(),
                dossiers: n,
                events,
            })
        })?;
        out.push(generated);
    }
    repo::vacuum_after_load(conn)?;
    let dossiers = out.iter().map(|c| c.dossiers).sum();
    let events = out.iter().map(|c| c.events).sum();
    Ok(GenSummary { communes: out, dossiers, events })
}

/// A year of dossiers up to `now` for the demo commune itself (the living demo of
/// `serve --demo`), received by its one-stop unit and officer: every state, some late, some
/// online, the last ones still open. Once: a demo commune with dossiers gets none. Returns how
/// many it made.
pub fn seed_demo_commune_dossiers(conn: &mut DbConnection, now: NaiveDateTime, count: usize) -> AppResult<usize> {
    let Some((commune_id, province_id)) = repo::commune_and_authority(conn, DEMO_COMMUNE)? else { return Ok(0) };
    if repo::dossier_count(conn, commune_id)? > 0 {
        return Ok(0);
    }
    let Some((unit_id, unit_name)) = repo::unit_by_code(conn, commune_id, ONE_STOP_UNIT)? else { return Ok(0) };
    let Some((user_id, user_name)) = repo::user_by_username(conn, "ubnd")? else { return Ok(0) };
    let province = repo::authority(conn, province_id)?;
    let procedures: Vec<GenProcedure> = stored_procedures(conn, commune_id)?;
    if procedures.is_empty() {
        return Ok(0);
    }
    let today = to_local(now).date();
    let from = today - Duration::days(365);
    let actor = Actor::system("seed-demo");
    write_tx(conn, |conn| {
        let calendar = cal::load(conn, Some(commune_id), from - Duration::days(10), today + Duration::days(900))?;
        let plan = CommunePlan {
            commune_id,
            commune_name: DEMO_COMMUNE,
            province_name: &province.name,
            unit_id,
            unit_code: ONE_STOP_UNIT,
            unit_name: &unit_name,
            user_id,
            user_name: &user_name,
            procedures: &procedures,
            calendar: &calendar,
            from,
            to: today,
            horizon: now,
            count,
            seed: 2024,
            index: 0,
        };
        let dossiers = generate_commune(&plan).map_err(AppError::Internal)?;
        let n = dossiers.len();
        let events = repo::insert_dossiers(conn, unit_id, dossiers, &mut |_, _| {})?;
        audit::repo::record(
            conn,
            &actor,
            Change {
                commune_id: Some(commune_id),
                action: "generate",
                entity: "dossier",
                entity_id: None,
                summary: json!({ "source": "demo", "dossiers": n, "events": events, "from": from, "to": today }),
            },
        )?;
        Ok(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::{dossier_counters, dossier_events, dossiers, users};
    use chrono::Timelike;
    use std::collections::HashSet;

    fn step(x: &EventInsert) -> Step<'_> {
        Step { action: &x.action, to_status: x.to_status, at: x.at, new_due_at: x.new_due_at }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn procedures() -> Vec<GenProcedure> {
        let p = |id, code: &str, amount, unit, fee, levels: Vec<(NaiveDate, OnlineLevel)>| GenProcedure {
            id,
            code: code.into(),
            limit_amount: amount,
            limit_unit: unit,
            cutoff_minutes: 900,
            has_fee: fee,
            online_payment: fee,
            electronic: levels.last().is_some_and(|l| l.1 == OnlineLevel::Full),
            levels,
        };
        vec![
            p(1, "2.000815", 0, LimitUnit::SameDay, true, vec![(date(2023, 1, 1), OnlineLevel::Partial)]),
            p(
                2,
                "1.004873",
                3,
                LimitUnit::WorkingDays,
                true,
                vec![(date(2023, 1, 1), OnlineLevel::Partial), (date(2025, 7, 1), OnlineLevel::Full)],
            ),
            p(3, "1.001699", 20, LimitUnit::WorkingDays, false, vec![(date(2023, 1, 1), OnlineLevel::None)]),
            p(4, "X.HOURS", 16, LimitUnit::WorkingHours, false, vec![]),
        ]
    }

    fn generate_pure(cal: &WorkCalendar, procs: &[GenProcedure], seed: u64, count: usize) -> Vec<GenDossier> {
        generate_until(cal, procs, seed, count, to_utc(date(2026, 11, 26).and_hms_opt(10, 0, 0).unwrap()))
    }

    fn generate_until(
        cal: &WorkCalendar,
        procs: &[GenProcedure],
        seed: u64,
        count: usize,
        horizon: NaiveDateTime,
    ) -> Vec<GenDossier> {
        let plan = CommunePlan {
            commune_id: 7,
            commune_name: "Xuân Sơn",
            province_name: "Thanh Hóa",
            unit_id: 70,
            unit_code: "UBND001",
            unit_name: "UBND xã Xuân Sơn",
            user_id: 700,
            user_name: "Cán bộ Một cửa (demo)",
            procedures: procs,
            calendar: cal,
            from: date(2025, 1, 1),
            to: date(2026, 11, 26),
            horizon,
            count,
            seed,
            index: 1,
        };
        generate_commune(&plan).unwrap()
    }

    /// Checks one dossier against the live system's rules and its columns against a replay.
    fn check_dossier(cal: &WorkCalendar, d: &DossierInsert, events: &[EventInsert], horizon: NaiveDateTime) {
        let received = to_local(d.values.received_at);
        let day = cal.day(received.date()).unwrap();
        assert!(day.working, "{} received on a day off", d.code);
        let secs = received.time().num_seconds_from_midnight();
        assert!(day.hours.periods.iter().any(|p| p.start <= secs && secs < p.end), "{} received at {received}", d.code);
        assert_eq!(events[0].action, lifecycle::RECEIVE);
        assert_eq!(events[0].at, d.values.received_at);
        let mut status = lifecycle::RECEIVED;
        let mut last = d.values.received_at;
        for (i, e) in events.iter().enumerate().skip(1) {
            let action = Action::parse(&e.action).unwrap();
            assert_eq!(e.from_status, Some(status), "{}: {}", d.code, e.action);
            assert_eq!(lifecycle::transition(status, action), Some(e.to_status), "{}: {}", d.code, e.action);
            assert!(e.at >= last && e.at <= horizon, "{}: {} at {}", d.code, e.action, e.at);
            if action == Action::Resolve {
                // The live system refuses a late resolution without the apology first.
                let before: Vec<Step<'_>> = events[1..i].iter().map(step).collect();
                let due = lifecycle::replay(cal, d.values.received_at, d.values.appointed_at, &before, e.at).due_at;
                assert!(e.at <= due, "{}: resolved after the due time without an apology", d.code);
            }
            if action == Action::ApologizeAndExtend {
                assert!(e.new_due_at.unwrap() > e.at && e.note.is_some());
            }
            status = e.to_status;
            last = e.at;
        }
        let steps: Vec<Step<'_>> = events[1..].iter().map(step).collect();
        let r = lifecycle::replay(cal, d.values.received_at, d.values.appointed_at, &steps, last);
        assert_eq!(
            (
                r.status,
                r.deadline_at,
                r.due_at,
                r.paused_since,
                r.finished_at,
                r.returned_at,
                r.supplement_requests,
                r.extended,
                r.timeliness.clone(),
                r.processing_minutes,
                r.updated_at
            ),
            (
                d.values.status,
                d.values.deadline_at,
                d.values.due_at,
                d.values.paused_since,
                d.values.finished_at,
                d.values.returned_at,
                d.values.supplement_requests,
                d.values.extended,
                d.values.timeliness.clone(),
                d.values.processing_minutes,
                d.updated_at
            ),
            "{}",
            d.code
        );
        assert_eq!(d.source, "demo");
    }

    #[test]
    fn the_pure_generator_is_deterministic_consistent_and_realistic() {
        let cal = WorkCalendar::build(date(2024, 12, 1), date(2029, 6, 30), &[], &[], &[]);
        let procs = procedures();
        let a = generate_pure(&cal, &procs, 42, 3000);
        let b = generate_pure(&cal, &procs, 42, 3000);
        assert_eq!(a, b, "same seed, same dossiers");
        let c = generate_pure(&cal, &procs, 43, 3000);
        assert_ne!(a, c, "another seed, other dossiers");
        // The time of day of a run changes only the dossiers of that day.
        let later = generate_until(&cal, &procs, 42, 3000, to_utc(date(2026, 11, 26).and_hms_opt(15, 0, 0).unwrap()));
        let before = |v: &[GenDossier]| -> Vec<(String, NaiveDateTime, i64)> {
            v.iter()
                .filter(|g| to_local(g.row.values.received_at).date() < date(2026, 11, 26))
                .map(|g| (g.row.code.clone(), g.row.values.received_at, g.row.values.procedure_id))
                .collect()
        };
        assert_eq!(before(&a), before(&later));
        assert!(before(&a).len() < a.len(), "some dossiers received on the last day");
        assert_eq!(a.len(), 3000);
        let horizon = to_utc(date(2026, 11, 26).and_hms_opt(10, 0, 0).unwrap());
        let mut codes = HashSet::new();
        let mut by_status: HashMap<i32, usize> = HashMap::new();
        let mut timeliness: HashMap<String, usize> = HashMap::new();
        let (mut online_2025, mut all_2025, mut online_2026, mut all_2026) = (0, 0, 0, 0);
        let (mut paused, mut second, mut apologies) = (0, 0, 0);
        for g in &a {
            let d = &g.row;
            assert!(codes.insert(d.code.clone()), "duplicate code {}", d.code);
            assert!(d.values.received_at < horizon);
            check_dossier(&cal, d, &g.events, horizon);
            // The appointment is the procedure's limit from the receipt.
            let p = procs.iter().find(|p| p.id == d.values.procedure_id).unwrap();
            let expected = cal::due_local(
                &cal,
                to_local(d.values.received_at),
                i64::from(p.limit_amount),
                cal::unit_of(p.limit_unit, p.cutoff_minutes),
            )
            .unwrap();
            assert_eq!(d.values.appointed_at, to_utc(expected), "{}", d.code);
            if d.values.channel == 2 {
                assert_ne!(
                    p.level_at(to_local(d.values.received_at).date()),
                    OnlineLevel::None,
                    "online when not offered"
                );
            }
            *by_status.entry(d.values.status).or_default() += 1;
            *timeliness.entry(d.values.timeliness.clone().unwrap_or_default()).or_default() += 1;
            let year = to_local(d.values.received_at).year();
            if year == 2025 {
                all_2025 += 1;
                online_2025 += usize::from(d.values.channel == 2);
            } else {
                all_2026 += 1;
                online_2026 += usize::from(d.values.channel == 2);
            }
            paused += usize::from(d.values.supplement_requests > 0);
            second += usize::from(d.values.supplement_requests > 1);
            apologies += usize::from(d.values.extended);
        }
        // Codes number each day from 0001 in the order of receipt.
        let mut per_day: HashMap<&str, Vec<u32>> = HashMap::new();
        for g in &a {
            let (day, n) = g.row.code.rsplit_once('-').unwrap();
            per_day.entry(day).or_default().push(n.parse().unwrap());
        }
        for numbers in per_day.values() {
            assert_eq!(*numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
        }
        let share = |s: i32| by_status.get(&s).copied().unwrap_or(0) as f64 / a.len() as f64;
        assert!(share(10) > 0.8, "{by_status:?}");
        assert!(share(9) > 0.0 && share(4) > 0.0, "{by_status:?}");
        assert!(share(3) + share(7) + share(8) > 0.0 && share(3) + share(7) + share(8) < 0.05, "{by_status:?}");
        let late = timeliness.get("late").copied().unwrap_or(0) as f64 / a.len() as f64;
        let early = timeliness.get("early").copied().unwrap_or(0) as f64 / a.len() as f64;
        assert!(late > 0.01 && late < 0.15, "{timeliness:?}");
        let on_time = timeliness.get("on_time").copied().unwrap_or(0) as f64 / a.len() as f64;
        // Same-day procedures dominate: resolved that day is on time, not early.
        assert!(early > 0.1 && early + on_time > 0.85, "{timeliness:?}");
        assert!(online_2026 as f64 / all_2026 as f64 > online_2025 as f64 / all_2025 as f64, "online share grows");
        assert!(paused > 0 && second > 0 && apologies > 0, "{paused} {second} {apologies}");
    }

    #[test]
    fn allocation_is_uneven_and_exact() {
        let counts = allocate(1_000_000, 100, 1);
        assert_eq!(counts.iter().sum::<usize>(), 1_000_000);
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(*max > 2 * *min, "{min} {max}");
        assert_eq!(allocate(5, 3, 9).iter().sum::<usize>(), 5);
        assert_eq!(allocate(0, 2, 9), vec![0, 0]);
    }

    #[test]
    fn commune_names_are_distinct() {
        let names: HashSet<String> = (1..=1000).map(commune_name).collect();
        assert_eq!(names.len(), 1000);
        assert_eq!(commune_name(1), "Xuân Sơn");
    }

    /// A fresh database (SQLite file, or PostgreSQL when `TEST_DATABASE_URL` is set) with the
    /// demo commune; returns the connection and a clean-up.
    fn fresh(pg: bool) -> Option<(DbConnection, Box<dyn FnOnce()>)> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let (url, cleanup): (String, Box<dyn FnOnce()>) = if pg {
            let base = std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty())?;
            let name = format!("tt_gen_{id}");
            let mut admin = diesel::PgConnection::establish(&base).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
            let (head, _) = base.split('?').next().unwrap().rsplit_once('/').unwrap();
            let url = format!("{head}/{name}");
            let drop_db = move || {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
            };
            (url, Box::new(drop_db))
        } else {
            let dir = std::env::temp_dir().join(format!("tt-gen-{id}"));
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite://{}", dir.join("gen.db").display());
            (url, Box::new(move || drop(std::fs::remove_dir_all(dir))))
        };
        let manager = crate::db::DbManager::new(&url, std::time::Duration::from_secs(5)).unwrap();
        let mut conn = r2d2::ManageConnection::connect(&manager).unwrap();
        crate::db::run_migrations(&mut conn).unwrap();
        let seeded = crate::demo::seed(&mut conn, "not-a-real-hash").unwrap();
        assert!(seeded.commune && seeded.procedures);
        Some((conn, cleanup))
    }

    fn generate_db(pg: bool) {
        let Some((mut conn, cleanup)) = fresh(pg) else { return };
        let opts = GenOptions { communes: 2, dossiers: 500, from: date(2025, 1, 1), to: date(2026, 6, 30), seed: 7 };
        let now = to_utc(date(2026, 11, 26).and_hms_opt(9, 0, 0).unwrap());
        let mut calls = 0;
        let summary = generate(&mut conn, "not-a-real-hash", &opts, now, &mut |_, _| calls += 1).unwrap();
        assert_eq!(summary.dossiers, 500);
        assert_eq!(summary.communes.len(), 2);
        assert!(calls >= 2);
        assert_eq!(summary.communes[0].username, "ubnd-1");
        let rows: Vec<DossierInsert> = dossiers::table
            .filter(dossiers::source.eq("demo"))
            .order(dossiers::id)
            .select(DossierInsert::as_select())
            .load(&mut conn)
            .unwrap();
        assert_eq!(rows.len(), 500);
        let codes: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), 500);
        let horizon = to_utc(date(2026, 7, 1).and_time(NaiveTime::MIN));
        let mut counts: HashMap<(i64, NaiveDate), i32> = HashMap::new();
        for row in &rows {
            // Replayed exactly as `service::recompute` does after every action.
            let events: Vec<EventInsert> = dossier_events::table
                .filter(dossier_events::dossier_id.eq(row.id))
                .order(dossier_events::id)
                .select(EventInsert::as_select())
                .load(&mut conn)
                .unwrap();
            let cal = cal::load_from(&mut conn, Some(row.commune_id), to_local(row.values.received_at)).unwrap();
            check_dossier(&cal, row, &events, horizon);
            *counts.entry((row.unit_id, to_local(row.values.received_at).date())).or_default() += 1;
        }
        // The daily counters continue where the generated codes stop.
        let stored: Vec<(i64, NaiveDate, i32)> = dossier_counters::table
            .select((dossier_counters::unit_id, dossier_counters::day, dossier_counters::last_value))
            .load(&mut conn)
            .unwrap();
        assert_eq!(stored.len(), counts.len());
        for (unit, day, last) in stored {
            assert_eq!(counts.get(&(unit, day)), Some(&last));
        }
        let unit = rows[0].unit_id;
        let day = to_local(rows[0].values.received_at).date();
        assert_eq!(
            crate::onestop::dossiers::repo::next_counter(&mut conn, unit, day).unwrap(),
            counts[&(unit, day)] + 1
        );
        // Every generated commune has a one-stop officer and a catalogue with level changes.
        let officers: i64 = users::table.filter(users::username.like("ubnd-%")).count().get_result(&mut conn).unwrap();
        assert_eq!(officers, 2);
        // A second run adds communes after the first ones, and is deterministic per index.
        let again = generate(
            &mut conn,
            "not-a-real-hash",
            &GenOptions { communes: 1, dossiers: 10, ..opts },
            now,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(again.communes[0].username, "ubnd-3");
        let ids: Vec<i64> = dossiers::table.select(dossiers::id).load(&mut conn).unwrap();
        assert_eq!(ids.len(), 510);
        cleanup();
    }

    #[test]
    fn generated_dossiers_in_sqlite_replay_to_their_stored_columns() {
        generate_db(false);
    }

    #[test]
    fn generated_dossiers_in_postgres_replay_to_their_stored_columns() {
        generate_db(true);
    }
}
