//! The Quyết định 766/QĐ-TTg service-quality index of a commune (`docs/indicators.md`).
//!
//! The shape of each formula is here; its weights, caps and saturation points are rows of
//! `index766_params` with an effective date, so a new scoring rule is data. An indicator that
//! needs data the commune does not hold is reported "not applicable" with the reason and left
//! out of both the total and the maximum — never counted as full marks.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::indicators::{self, CommuneRef, Counting, Key, Period, ProcInfo, Source, Sums};
use super::repo;
use crate::db::{DbConnection, fold_search};
use crate::error::AppResult;
use crate::onestop::model::OnlineLevel;

/// One part of a composite indicator (3.x, 3.5).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct IndexPart {
    pub name: String,
    pub numerator: i64,
    pub denominator: i64,
    pub ratio: f64,
    pub score: f64,
}

/// One indicator of the index.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndexIndicator {
    pub code: String,
    /// Vietnamese name.
    pub name: String,
    pub name_en: String,
    pub numerator: i64,
    pub denominator: i64,
    pub ratio: f64,
    pub score: f64,
    pub max_score: f64,
    pub applicable: bool,
    /// Why the indicator does not apply (Vietnamese).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Stable code of the reason, for translation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// The parts of a composite formula.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<IndexPart>,
}

/// Rating band of a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Excellent,
    Good,
    Fair,
    Average,
    Weak,
}

impl Band {
    /// 90–100 excellent, 80–90 good, 70–80 fair, 50–70 average, below 50 weak (percent of the
    /// applicable maximum).
    pub fn of(percent: f64) -> Band {
        if percent >= 90.0 {
            Band::Excellent
        } else if percent >= 80.0 {
            Band::Good
        } else if percent >= 70.0 {
            Band::Fair
        } else if percent >= 50.0 {
            Band::Average
        } else {
            Band::Weak
        }
    }
}

/// The index of one commune, in the oversight list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommuneIndex {
    pub commune_id: i64,
    pub name: String,
    pub total: f64,
    pub max: f64,
    pub percent: Option<f64>,
    pub band: Option<Band>,
    pub summary: String,
}

/// `GET /onestop/index766`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Index766 {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Sum of the scores of the applicable indicators.
    pub total: f64,
    /// Sum of the maximum scores of the applicable indicators.
    pub max: f64,
    /// total / max × 100; null when nothing applies.
    pub percent: Option<f64>,
    /// Only when the measurable maximum is at least `rating_min_measurable` points.
    pub band: Option<Band>,
    /// The whole index is out of this many points (the maxima of every row: 100).
    pub out_of: f64,
    /// A band is given only when `max` (what can be measured) reaches this.
    pub rating_min_measurable: f64,
    /// "x / y điểm đo được (trên 100)" — how the score reads when there is no band.
    pub summary: String,
    pub indicators: Vec<IndexIndicator>,
    /// For several communes: each commune's own index (the sums above are over all of them).
    pub communes: Vec<CommuneIndex>,
}

/// Parameters of one indicator in force on a date.
#[derive(Debug, Clone)]
pub struct Param {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub max_score: f64,
    pub params: Value,
}

impl Param {
    fn num(&self, key: &str, default: f64) -> f64 {
        self.params.get(key).and_then(Value::as_f64).unwrap_or(default)
    }
}

/// The parameters in force on `day`, in code order.
pub fn params_on(conn: &mut DbConnection, day: NaiveDate) -> AppResult<Vec<Param>> {
    let rows = repo::index766_params_on(conn, day)?;
    let mut out: Vec<Param> = Vec::new();
    for (code, _, name_vi, name_en, max_score, params) in rows {
        if out.last().is_some_and(|p| p.code == code) {
            continue; // an older row of the same code
        }
        // A row that is not a JSON object is a data error: say so, and score with the defaults
        // of the formula rather than fail every report.
        let params = serde_json::from_str::<Value>(&params).ok().filter(Value::is_object).unwrap_or_else(|| {
            tracing::warn!(code = %code, "index766_params.params is not a JSON object; using the formula's defaults");
            Value::Null
        });
        out.push(Param { code, name_vi, name_en, max_score, params });
    }
    Ok(out)
}

fn ratio(n: i64, d: i64) -> f64 {
    if d > 0 { n as f64 / d as f64 } else { 0.0 }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The data the formulas read, summed over the communes and the period.
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    pub procedures: i64,
    pub posting_complete: i64,
    pub online_procedures: i64,
    pub online_procedures_used: i64,
    pub received: i64,
    pub received_online: i64,
    pub fee_procedures: i64,
    pub fee_procedures_paid: i64,
    pub fee_procedures_integrated: i64,
    pub fee_received: i64,
    pub paid_online: i64,
    pub resolved: i64,
    pub e_result: i64,
    pub digitised: i64,
    pub ended_in_time: i64,
    pub ended: i64,
    pub open_not_due: i64,
    pub open: i64,
    /// Received with components from the national data store.
    pub from_data_store: i64,
    /// Communes with an active procedure (the denominator of 4.1b).
    pub communes: i64,
    /// Of those, communes offering electronic certified copies.
    pub communes_e_cert: i64,
    /// Feedback and recommendations received in the period (`petitions`): all, handled on
    /// time (5.2), and satisfactory — not rated "dislike", not overdue, not a repeat (5.3).
    pub feedback: i64,
    pub feedback_on_time: i64,
    pub feedback_satisfied: i64,
    /// Dossiers answered through their survey QR in the period (row 5.4 applies once > 0).
    pub survey_answered: i64,
    /// Dossiers whose overall survey answer was 1 or 2.
    pub survey_disliked: HashSet<i64>,
    /// Dossiers with a complaint about them (row 5.4), from the petitions module.
    pub complained: HashSet<i64>,
}

/// Adds the survey answers of `communes` and the dossiers with a complaint (`complained`) to
/// `i` (row 5.4).
fn add_satisfaction(
    conn: &mut DbConnection,
    i: &mut Inputs,
    communes: &[i64],
    p: &Period,
    complained: HashSet<i64>,
) -> AppResult<()> {
    let (answered, disliked) = crate::surveys::results::dossier_dislikes(conn, communes, p.from, p.to)?;
    i.survey_answered = answered;
    i.survey_disliked = disliked;
    i.complained = complained;
    Ok(())
}

/// What the inputs are gathered by: the counting of 2.1 and the field that marks a
/// certification procedure (4.1b), both from the parameters in force.
#[derive(Debug, Clone)]
pub struct Rules {
    pub counting: Counting,
    /// Folded (`fold_search`) text a certification procedure's field contains.
    pub e_cert_field: String,
}

impl Rules {
    pub fn from_params(params: &[Param]) -> Rules {
        let get = |code: &str| params.iter().find(|p| p.code == code).map(|p| &p.params);
        Rules {
            counting: get("2.1").map(Counting::from_params).unwrap_or_default(),
            e_cert_field: fold_search(
                get("4.1b").and_then(|p| p.get("field_contains")).and_then(Value::as_str).unwrap_or("chứng thực"),
            ),
        }
    }
}

/// Gathers the inputs of the procedures in `procs` (the active ones count for the catalogue
/// indicators, with their online level on the period's last day) and the period's sums.
pub fn inputs(procs: &[&ProcInfo], keys: &[&Key], s: &Sums, last_day: NaiveDate, rules: &Rules) -> Inputs {
    let mut i = Inputs::default();
    let mut used_online: HashSet<i64> = HashSet::new();
    let mut paid_once: HashSet<i64> = HashSet::new();
    for k in keys {
        if let Some(a) = s.by_key.get(k) {
            i.received += a.received;
            i.received_online += a.channel[1];
            i.fee_received += a.fee_received;
            i.paid_online += a.paid_online;
            i.resolved += a.resolved;
            i.e_result += a.e_result;
            i.digitised += a.digitised;
            i.from_data_store += a.from_data_store;
            for (status, (in_time, all)) in &a.by_end_status {
                if rules.counting.counted_end_statuses.contains(status) {
                    i.ended_in_time += in_time;
                    i.ended += all;
                }
            }
            if rules.counting.open_not_due_counts_on_time {
                i.open_not_due += a.open - a.open_overdue;
            }
            i.open += a.open;
            if a.channel[1] > 0 {
                used_online.insert(k.1);
            }
            if a.paid_online > 0 {
                paid_once.insert(k.1);
            }
        }
    }
    let mut with_procs: HashSet<i64> = HashSet::new();
    let mut e_cert: HashSet<i64> = HashSet::new();
    for p in procs.iter().filter(|p| p.row.active) {
        with_procs.insert(p.row.commune_id);
        if p.row.result_kind != "paper" && fold_search(&p.row.field).contains(&rules.e_cert_field) {
            e_cert.insert(p.row.commune_id);
        }
        i.procedures += 1;
        i.posting_complete += i64::from(p.row.posting_complete);
        if p.level_on(last_day) != OnlineLevel::None {
            i.online_procedures += 1;
            i.online_procedures_used += i64::from(used_online.contains(&p.row.id));
        }
        if p.fee_bearing() {
            i.fee_procedures += 1;
            i.fee_procedures_paid += i64::from(paid_once.contains(&p.row.id));
            i.fee_procedures_integrated += i64::from(p.row.online_payment);
        }
    }
    i.communes = with_procs.len() as i64;
    i.communes_e_cert = e_cert.len() as i64;
    i
}

fn not_applicable(p: &Param, code: &str, reason: &str) -> IndexIndicator {
    IndexIndicator {
        code: p.code.clone(),
        name: p.name_vi.clone(),
        name_en: p.name_en.clone(),
        numerator: 0,
        denominator: 0,
        ratio: 0.0,
        score: 0.0,
        max_score: p.max_score,
        applicable: false,
        reason: Some(reason.to_string()),
        reason_code: Some(code.to_string()),
        parts: Vec::new(),
    }
}

fn simple(p: &Param, n: i64, d: i64, score: f64) -> IndexIndicator {
    IndexIndicator {
        code: p.code.clone(),
        name: p.name_vi.clone(),
        name_en: p.name_en.clone(),
        numerator: n,
        denominator: d,
        ratio: round2(ratio(n, d) * 100.0) / 100.0,
        score: round2(score.clamp(0.0, p.max_score)),
        max_score: p.max_score,
        applicable: true,
        reason: None,
        reason_code: None,
        parts: Vec::new(),
    }
}

fn part(name: &str, n: i64, d: i64, score: f64) -> IndexPart {
    IndexPart { name: name.to_string(), numerator: n, denominator: d, ratio: ratio(n, d), score: round2(score) }
}

/// Scores one indicator.
pub fn score(p: &Param, i: &Inputs) -> IndexIndicator {
    let max = p.max_score;
    match p.code.as_str() {
        "1.1" => not_applicable(
            p,
            "needs_announcement_dates",
            "Cần ngày quyết định công bố của từng thủ tục để biết công khai có đúng hạn không; danh mục chưa lưu ngày này.",
        ),
        "1.2" => not_applicable(
            p,
            "needs_announcement_dates",
            "Cần ngày quyết định công bố sửa đổi của từng thủ tục; danh mục chưa lưu ngày này.",
        ),
        "1.3" if i.procedures == 0 => not_applicable(p, "no_procedures", "Xã chưa có thủ tục nào đang áp dụng."),
        "1.3" => simple(p, i.posting_complete, i.procedures, ratio(i.posting_complete, i.procedures) * max),
        "1.4" => not_applicable(
            p,
            "no_portal_sync",
            "Thân Thiện không đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia; chỉ số này do hệ thống một cửa của tỉnh tính.",
        ),
        "2.1" => {
            let d = i.ended + i.open;
            if d == 0 {
                return not_applicable(p, "nothing_processed", "Không có hồ sơ nào được giải quyết trong kỳ.");
            }
            let n = i.ended_in_time + i.open_not_due;
            simple(p, n, d, ratio(n, d) * max)
        }
        "3.x" => {
            if i.procedures == 0 {
                return not_applicable(p, "no_procedures", "Xã chưa có thủ tục nào đang áp dụng.");
            }
            let (a_max, a_full) = (p.num("a_max", 2.0), p.num("a_full_at", 0.8).max(1e-9));
            let b_max = p.num("b_max", 4.0);
            let (c_max, c_full) = (p.num("c_max", 6.0), p.num("c_full_at", 0.5).max(1e-9));
            let a = ratio(i.online_procedures, i.procedures);
            let b = ratio(i.online_procedures_used, i.online_procedures);
            let c = ratio(i.received_online, i.received);
            let parts = vec![
                part("A", i.online_procedures, i.procedures, (a_max * a / a_full).min(a_max)),
                part("B", i.online_procedures_used, i.online_procedures, b_max * b),
                part("C", i.received_online, i.received, (c_max * c / c_full).min(c_max)),
            ];
            let total: f64 = parts.iter().map(|x| x.score).sum();
            let mut r = simple(p, i.received_online, i.received, total);
            r.parts = parts;
            r
        }
        "3.5" => {
            if i.fee_procedures == 0 {
                return not_applicable(p, "no_fee_procedures", "Xã không có thủ tục nào thu phí, lệ phí.");
            }
            let a_max = p.num("a_max", 6.0);
            let (b_max, b_slope) = (p.num("b_max", 2.0), p.num("b_slope", 2.5));
            let c_max = p.num("c_max", 2.5);
            let a = ratio(i.paid_online, i.fee_received);
            let b = ratio(i.fee_procedures_paid, i.fee_procedures);
            let c = ratio(i.fee_procedures_integrated, i.fee_procedures);
            let parts = vec![
                part("A", i.paid_online, i.fee_received, a_max * a),
                part("B", i.fee_procedures_paid, i.fee_procedures, (b_slope * b).min(b_max)),
                part("C", i.fee_procedures_integrated, i.fee_procedures, c_max * c),
            ];
            let total: f64 = parts.iter().map(|x| x.score).sum();
            let mut r = simple(p, i.paid_online, i.fee_received, total);
            r.parts = parts;
            r
        }
        "4.1" if i.resolved == 0 => {
            not_applicable(p, "nothing_resolved", "Không có hồ sơ nào giải quyết xong trong kỳ.")
        }
        "4.1" => simple(p, i.e_result, i.resolved, ratio(i.e_result, i.resolved) * max),
        "4.2" if i.received == 0 => not_applicable(p, "nothing_received", "Không có hồ sơ nào tiếp nhận trong kỳ."),
        "4.2" => {
            let full = p.num("full_at", 1.0).max(1e-9);
            simple(p, i.digitised, i.received, (max * ratio(i.digitised, i.received) / full).min(max))
        }
        "4.1b" if i.communes == 0 => not_applicable(p, "no_procedures", "Xã chưa có thủ tục nào đang áp dụng."),
        "4.1b" => simple(p, i.communes_e_cert, i.communes, ratio(i.communes_e_cert, i.communes) * max),
        "4.4" if i.received == 0 => not_applicable(p, "nothing_received", "Không có hồ sơ nào tiếp nhận trong kỳ."),
        "4.4" => simple(p, i.from_data_store, i.received, ratio(i.from_data_store, i.received) * max),
        "4.5a" | "4.5b" => not_applicable(
            p,
            "province_only",
            "Chỉ số kết nối, khai thác dữ liệu dân cư chấm cho cấp tỉnh; không áp dụng cho cấp xã.",
        ),
        "4.3" => not_applicable(
            p,
            "no_reuse_tracking",
            "Chưa theo dõi việc tái sử dụng dữ liệu, giấy tờ đã số hóa khi giải quyết hồ sơ.",
        ),
        "5.2" | "5.3" if i.feedback == 0 => not_applicable(
            p,
            "no_feedback_data",
            "Chưa có dữ liệu phản ánh, kiến nghị (PAKN) về thủ tục hành chính trong hệ thống.",
        ),
        "5.2" => simple(p, i.feedback_on_time, i.feedback, ratio(i.feedback_on_time, i.feedback) * max),
        "5.3" => simple(p, i.feedback_satisfied, i.feedback, ratio(i.feedback_satisfied, i.feedback) * max),
        "5.4" => {
            // ratio = 1 − (late rate + share of dossiers with a complaint or a dislike), over
            // the dossiers counted by 2.1; applies once a dossier has been answered.
            let d = i.ended + i.open;
            let s = crate::surveys::results::Satisfaction54 {
                dossiers: d,
                late: d - (i.ended_in_time + i.open_not_due),
                answered: i.survey_answered,
                disliked: i.survey_disliked.clone(),
                complained: i.complained.clone(),
            };
            if !s.applicable() {
                return not_applicable(
                    p,
                    "no_satisfaction_data",
                    "Chưa có hồ sơ nào được người dân đánh giá trong kỳ (mã QR trên phiếu hẹn).",
                );
            }
            let full = p.num("full_at", 0.9).max(1e-9);
            let r = s.ratio();
            let mut out = simple(p, (d - s.late - s.unhappy()).max(0), d, (max * r / full).min(max));
            out.ratio = round2(r * 100.0) / 100.0;
            out
        }
        _ => not_applicable(p, "unknown_indicator", "Chỉ số chưa được hệ thống hỗ trợ."),
    }
}

/// A band is given only when the indicators that can be measured are worth at least this many
/// points: a score on a thin base says too little to be rated.
pub const RATING_MIN_MEASURABLE: f64 = 80.0;

/// Sums the scores of the applicable indicators: (total, measurable maximum, percent, band,
/// out of). No band when the measurable maximum is below [`RATING_MIN_MEASURABLE`].
pub fn totals(list: &[IndexIndicator]) -> (f64, f64, Option<f64>, Option<Band>, f64) {
    let total = round2(list.iter().filter(|x| x.applicable).map(|x| x.score).sum());
    let max = round2(list.iter().filter(|x| x.applicable).map(|x| x.max_score).sum());
    let out_of = round2(list.iter().map(|x| x.max_score).sum());
    let percent = (max > 0.0).then(|| round2(total / max * 100.0));
    let band = percent.filter(|_| max >= RATING_MIN_MEASURABLE).map(Band::of);
    (total, max, percent, band, out_of)
}

/// How a score reads: "72.5 / 80 điểm" with a band, "30 / 42 điểm đo được (trên 100)" without.
pub fn summary(total: f64, max: f64, out_of: f64) -> String {
    let n = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').replace('.', ",")
    };
    if max >= RATING_MIN_MEASURABLE {
        format!("{} / {} điểm", n(total), n(max))
    } else {
        format!("{} / {} điểm đo được (trên {})", n(total), n(max), n(out_of))
    }
}

/// The index of the communes in scope over the period (from the roll-ups).
pub fn index(conn: &mut DbConnection, communes: Vec<CommuneRef>, p: Period) -> AppResult<Index766> {
    index_from(conn, communes, p, Source::Rollups)
}

/// The index of the communes in scope over the period, its sums read from `source`.
pub fn index_from(
    conn: &mut DbConnection,
    communes: Vec<CommuneRef>,
    p: Period,
    source: Source,
) -> AppResult<Index766> {
    let ids: Vec<i64> = communes.iter().map(|c| c.id).collect();
    let procs = indicators::procedures(conn, &ids)?;
    // The index reads no processing times.
    let s = indicators::sums_from(conn, &ids, &procs, &p, source, indicators::Times::Skip)?;
    let params = params_on(conn, p.to)?;
    let rules = Rules::from_params(&params);
    let all_procs: Vec<&ProcInfo> = procs.values().collect();
    let all_keys: Vec<&Key> = s.by_key.keys().collect();
    let mut feedback: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    let now = chrono::Utc::now().naive_utc();
    for c in &ids {
        feedback.insert(*c, crate::petitions::service::feedback_figures(conn, *c, p.from, p.to, now)?);
    }
    let with_feedback = |mut i: Inputs, communes: &[i64]| {
        for c in communes {
            if let Some((on_time, satisfied, all)) = feedback.get(c) {
                i.feedback += all;
                i.feedback_on_time += on_time;
                i.feedback_satisfied += satisfied;
            }
        }
        i
    };
    let mut overall = with_feedback(inputs(&all_procs, &all_keys, &s, p.to, &rules), &ids);
    let complained = crate::petitions::dossiers_with_complaint(conn, &ids, p.from, p.to)?;
    add_satisfaction(conn, &mut overall, &ids, &p, complained)?;
    let indicators: Vec<IndexIndicator> = params.iter().map(|x| score(x, &overall)).collect();
    let (total, max, percent, band, out_of) = totals(&indicators);
    let mut per_commune = Vec::new();
    if communes.len() > 1 {
        let mut by_commune: HashMap<i64, Vec<&ProcInfo>> = HashMap::new();
        for pr in &all_procs {
            by_commune.entry(pr.row.commune_id).or_default().push(pr);
        }
        for c in &communes {
            let keys: Vec<&Key> = all_keys.iter().copied().filter(|k| k.0 == c.id).collect();
            let cp = by_commune.get(&c.id).cloned().unwrap_or_default();
            let mut ci = with_feedback(inputs(&cp, &keys, &s, p.to, &rules), &[c.id]);
            let complained = crate::petitions::dossiers_with_complaint(conn, &[c.id], p.from, p.to)?;
            add_satisfaction(conn, &mut ci, &[c.id], &p, complained)?;
            let list: Vec<IndexIndicator> = params.iter().map(|x| score(x, &ci)).collect();
            let (total, max, percent, band, out_of) = totals(&list);
            let summary = summary(total, max, out_of);
            per_commune.push(CommuneIndex {
                commune_id: c.id,
                name: c.name.clone(),
                total,
                max,
                percent,
                band,
                summary,
            });
        }
    }
    Ok(Index766 {
        from: p.from,
        to: p.to,
        total,
        max,
        percent,
        band,
        out_of,
        rating_min_measurable: RATING_MIN_MEASURABLE,
        summary: summary(total, max, out_of),
        indicators,
        communes: per_commune,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(code: &str, max: f64, params: &str) -> Param {
        Param {
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
            max_score: max,
            params: serde_json::from_str(params).unwrap(),
        }
    }

    #[test]
    fn online_services_formula_by_hand() {
        // 10 procedures, 6 online (A = 0.6 → 2·0.6/0.8 = 1.5), 3 of them used online
        // (B = 0.5 → 2), 20 of 100 dossiers online (C = 0.2 → 6·0.2/0.5 = 2.4): 5.9 of 12.
        let i = Inputs {
            procedures: 10,
            online_procedures: 6,
            online_procedures_used: 3,
            received: 100,
            received_online: 20,
            ..Inputs::default()
        };
        let p = param("3.x", 12.0, r#"{"a_max":2,"a_full_at":0.8,"b_max":4,"c_max":6,"c_full_at":0.5}"#);
        let r = score(&p, &i);
        assert_eq!(r.score, 5.9);
        assert_eq!(r.parts.iter().map(|x| x.score).collect::<Vec<_>>(), vec![1.5, 2.0, 2.4]);
        // Saturation: A ≥ 0.8 and C ≥ 0.5 give their full parts.
        let i = Inputs { online_procedures: 9, received_online: 70, ..i };
        assert_eq!(score(&p, &i).parts[0].score, 2.0);
        assert_eq!(score(&p, &i).parts[2].score, 6.0);
    }

    #[test]
    fn feedback_rows_apply_once_there_is_feedback() {
        // 10 feedback items: 8 handled on time → 5.2 = 0.8 · 4 = 3.2; 6 neither disliked,
        // overdue nor repeated → 5.3 = 0.6 · 4 = 2.4.
        let i = Inputs { feedback: 10, feedback_on_time: 8, feedback_satisfied: 6, ..Inputs::default() };
        let r = score(&param("5.2", 4.0, "{}"), &i);
        assert_eq!((r.applicable, r.numerator, r.denominator, r.score), (true, 8, 10, 3.2));
        assert_eq!(score(&param("5.3", 4.0, "{}"), &i).score, 2.4);
        let none = score(&param("5.2", 4.0, "{}"), &Inputs::default());
        assert_eq!((none.applicable, none.reason_code.as_deref()), (false, Some("no_feedback_data")));
    }

    #[test]
    fn payment_formula_is_capped_at_its_maximum() {
        let p = param("3.5", 10.0, r#"{"a_max":6,"b_max":2,"b_slope":2.5,"c_max":2.5}"#);
        let all = Inputs {
            fee_procedures: 4,
            fee_procedures_paid: 4,
            fee_procedures_integrated: 4,
            fee_received: 10,
            paid_online: 10,
            ..Inputs::default()
        };
        // 6 + min(2, 2.5) + 2.5 = 10.5 → 10.
        assert_eq!(score(&p, &all).score, 10.0);
        let none = Inputs { fee_procedures: 0, ..Inputs::default() };
        assert!(!score(&p, &none).applicable);
    }

    #[test]
    fn bands_and_totals_leave_out_what_does_not_apply() {
        assert_eq!(Band::of(90.0), Band::Excellent);
        assert_eq!(Band::of(89.99), Band::Good);
        assert_eq!(Band::of(70.0), Band::Fair);
        assert_eq!(Band::of(50.0), Band::Average);
        assert_eq!(Band::of(49.9), Band::Weak);
        let p = param("2.1", 20.0, "{}");
        let i = Inputs { ended: 8, ended_in_time: 6, open: 2, open_not_due: 2, ..Inputs::default() };
        let on_time = score(&p, &i);
        assert_eq!((on_time.numerator, on_time.denominator, on_time.score), (8, 10, 16.0));
        let na = score(&param("5.4", 6.0, "{}"), &i);
        assert!(!na.applicable && na.reason.is_some());
        // 20 measurable points of 26: a percent, but no band on so thin a base.
        let (total, max, percent, band, out_of) = totals(&[on_time.clone(), na.clone()]);
        assert_eq!((total, max, percent, band, out_of), (16.0, 20.0, Some(80.0), None, 26.0));
        assert_eq!(summary(total, max, out_of), "16 / 20 điểm đo được (trên 26)");
        // With 80 measurable points the band is given.
        let big = IndexIndicator { max_score: 60.0, score: 48.0, ..on_time.clone() };
        let (total, max, percent, band, _) = totals(&[on_time, big, na]);
        assert_eq!((total, max, percent, band), (64.0, 80.0, Some(80.0), Some(Band::Good)));
        assert_eq!(summary(total, max, 100.0), "64 / 80 điểm");
        assert_eq!(summary(30.5, 42.0, 100.0), "30,5 / 42 điểm đo được (trên 100)");
    }

    #[test]
    fn the_counting_of_2_1_is_data() {
        let p = param("2.1", 20.0, "{}");
        // 6 resolved on time, 2 withdrawn late, 2 open not due.
        let mut sums = Sums::default();
        let a = sums.by_key.entry((1, 1)).or_default();
        a.by_end_status.insert(9, (6, 6));
        a.by_end_status.insert(7, (0, 2));
        a.open = 2;
        let keys: Vec<&Key> = sums.by_key.keys().collect();
        let d = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let rules = Rules::from_params(&[param("2.1", 20.0, r#"{"counted_end_statuses":[7,8,9,10]}"#)]);
        let r = score(&p, &inputs(&[], &keys, &sums, d, &rules));
        assert_eq!((r.numerator, r.denominator), (8, 10));
        // A province that leaves withdrawn dossiers out changes the parameter, not the code.
        let rules = Rules::from_params(&[param("2.1", 20.0, r#"{"counted_end_statuses":[8,9,10]}"#)]);
        let r = score(&p, &inputs(&[], &keys, &sums, d, &rules));
        assert_eq!((r.numerator, r.denominator), (8, 8));
        let rules = Rules::from_params(&[param("2.1", 20.0, r#"{"open_not_due_counts_on_time":false}"#)]);
        let r = score(&p, &inputs(&[], &keys, &sums, d, &rules));
        assert_eq!((r.numerator, r.denominator), (6, 10));
    }

    #[test]
    fn group_4_rows_score_or_say_why_not() {
        let i = Inputs { received: 10, from_data_store: 5, communes: 2, communes_e_cert: 1, ..Inputs::default() };
        assert_eq!(score(&param("4.4", 4.0, "{}"), &i).score, 2.0);
        assert_eq!(score(&param("4.1b", 2.0, "{}"), &i).score, 1.0);
        let pop = score(&param("4.5a", 2.0, "{}"), &i);
        assert_eq!((pop.applicable, pop.reason_code.as_deref()), (false, Some("province_only")));
    }
}
