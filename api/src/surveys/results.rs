//! Results of a survey: distributions, the satisfaction index, breakdowns with the minimum
//! sample, masked free text, exports; the figures a year-end evaluation reads; the 766 index's
//! row 5.4.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Months, NaiveDate};

use super::model::*;
use super::repo;
use super::service::span_of;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::tabular::Cell;
use crate::time::rfc;

/// Below this many responses a breakdown shows "chưa đủ số phiếu" instead of a percentage, and
/// nothing is ranked.
pub const MIN_SAMPLE: i64 = 10;
/// What a suppressed figure says.
pub const INSUFFICIENT: &str = "chưa đủ số phiếu";
const FREE_TEXT_LIMIT: i64 = 200;

fn share(n: i64, d: i64) -> f64 {
    if d == 0 { 0.0 } else { ((n as f64 / d as f64) * 10_000.0).round() / 10_000.0 }
}

fn mean(sum: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| ((sum as f64 / n as f64) * 100.0).round() / 100.0)
}

/// Masks what looks like a phone number or an identity number (runs of 8 or more digits,
/// spaces, dots or dashes inside) in a free-text answer.
pub fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let mut j = i + 1;
            let mut digits = usize::from(chars[i].is_ascii_digit());
            while j < chars.len() {
                let c = chars[j];
                if c.is_ascii_digit() {
                    digits += 1;
                } else if !(matches!(c, ' ' | '.' | '-') && chars.get(j + 1).is_some_and(char::is_ascii_digit)) {
                    break;
                }
                j += 1;
            }
            if digits >= 8 {
                out.push_str("[đã ẩn số]");
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Sums of a group (responses, likert answers, likert sum, 4–5).
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    responses: i64,
    likert_n: i64,
    likert_sum: i64,
    satisfied: i64,
}

impl Sums {
    fn add(&mut self, o: Sums) {
        self.responses += o.responses;
        self.likert_n += o.likert_n;
        self.likert_sum += o.likert_sum;
        self.satisfied += o.satisfied;
    }
}

fn index_of(s: Sums) -> Option<f64> {
    (s.responses >= MIN_SAMPLE && s.likert_n > 0).then(|| share(s.satisfied, s.likert_n))
}

fn tally_key(t: &TallyRow, by: GroupBy) -> Option<String> {
    match by {
        GroupBy::Channel => Some(Channel::Paper.as_str().to_string()),
        GroupBy::Month => Some(t.collected_on.format("%Y-%m").to_string()),
        GroupBy::Village => t.village_id.map(|v| v.to_string()),
        _ => None,
    }
}

fn tallies_in(
    conn: &mut DbConnection,
    survey_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<Vec<TallyRow>> {
    Ok(repo::list_tallies(conn, survey_id)?
        .into_iter()
        .filter(|t| from.is_none_or(|f| t.collected_on >= f) && to.is_none_or(|x| t.collected_on <= x))
        .collect())
}

/// Where the results are counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The counts kept on every write (`survey_answer_counts`, `survey_group_counts`).
    Counts,
    /// Every response and answer row (the recount the kept counts must equal).
    Rows,
}

/// A period of local dates as the kept counts read it (no bound = every day).
fn days_of(from: Option<NaiveDate>, to: Option<NaiveDate>) -> repo::Days {
    repo::Days {
        from: from.unwrap_or(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()),
        to: to.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default()),
    }
}

/// (responses, duplicates flagged) in a period.
fn totals(
    conn: &mut DbConnection,
    src: Source,
    survey_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<(i64, i64)> {
    Ok(match src {
        Source::Rows => repo::response_totals(conn, survey_id, span_of(from, to))?,
        Source::Counts => repo::counted_days(conn, survey_id, days_of(from, to))?
            .into_iter()
            .fold((0, 0), |(n, d), r| (n + r.1, d + r.2)),
    })
}

/// Answer counts per question: question → answer → count.
fn distribution(
    conn: &mut DbConnection,
    src: Source,
    survey_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<BTreeMap<String, BTreeMap<String, i64>>> {
    let mut dist: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    match src {
        Source::Rows => {
            for (qid, n, o, c) in repo::distribution(conn, survey_id, span_of(from, to))? {
                let key = n.map(|n| n.to_string()).or(o).unwrap_or_default();
                *dist.entry(qid).or_default().entry(key).or_default() += c;
            }
        }
        Source::Counts => {
            for (qid, key, c) in repo::counted_answers(conn, survey_id, days_of(from, to))? {
                *dist.entry(qid).or_default().entry(key).or_default() += c;
            }
        }
    }
    Ok(dist)
}

/// Response sums by a breakdown: key (None = unknown) → sums.
fn group_sums(
    conn: &mut DbConnection,
    src: Source,
    survey_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    by: GroupBy,
) -> AppResult<Vec<(Option<String>, Sums)>> {
    let sums = |n, ln, ls, sat| Sums { responses: n, likert_n: ln, likert_sum: ls, satisfied: sat };
    Ok(match (src, by) {
        (Source::Rows, _) => repo::group_sums(conn, survey_id, span_of(from, to), by)?
            .into_iter()
            .map(|(k, n, ln, ls, sat)| (k, sums(n, ln, ls, sat)))
            .collect(),
        (Source::Counts, GroupBy::Month) => {
            let mut out: BTreeMap<String, Sums> = BTreeMap::new();
            for (day, n, _, ln, ls, sat) in repo::counted_days(conn, survey_id, days_of(from, to))? {
                out.entry(day.format("%Y-%m").to_string()).or_default().add(sums(n, ln, ls, sat));
            }
            out.into_iter().map(|(k, s)| (Some(k), s)).collect()
        }
        (Source::Counts, _) => {
            let dim = match by {
                GroupBy::Procedure => "procedure",
                GroupBy::Field => "field",
                GroupBy::Unit => "unit",
                GroupBy::Channel => "channel",
                GroupBy::Timeliness => "timeliness",
                GroupBy::Month | GroupBy::Village => "village",
            };
            repo::counted_groups(conn, survey_id, days_of(from, to), dim)?
                .into_iter()
                .map(|(k, n, _, ln, ls, sat)| ((!k.is_empty()).then_some(k), sums(n, ln, ls, sat)))
                .collect()
        }
    })
}

/// `GET /surveys/{id}/results`, read from the counts kept on every write.
pub fn results(conn: &mut DbConnection, commune_id: i64, survey_id: i64, q: &ResultsQuery) -> AppResult<Results> {
    compute(conn, commune_id, survey_id, q, Source::Counts)
}

/// The same results recounted from every response and answer row: what the kept counts must
/// always equal (checked by the API tests on random data).
pub fn results_from_rows(
    conn: &mut DbConnection,
    commune_id: i64,
    survey_id: i64,
    q: &ResultsQuery,
) -> AppResult<Results> {
    compute(conn, commune_id, survey_id, q, Source::Rows)
}

fn compute(
    conn: &mut DbConnection,
    commune_id: i64,
    survey_id: i64,
    q: &ResultsQuery,
    src: Source,
) -> AppResult<Results> {
    let s = repo::get_survey(conn, commune_id, survey_id)?;
    let form = repo::get_form(conn, commune_id, s.form_id)?;
    let current = repo::version(conn, form.id, form.current_version)?;
    let questions = current.questions();
    let span = span_of(q.from, q.to);
    let (responses, duplicates) = totals(conn, src, s.id, q.from, q.to)?;
    let tallies = tallies_in(conn, s.id, q.from, q.to)?;

    // Per question: answers of every version, by question id (a question keeps its id across
    // versions), plus the tallies.
    let mut dist = distribution(conn, src, s.id, q.from, q.to)?;
    for t in &tallies {
        for (qid, counts) in t.count_map() {
            for (k, c) in counts {
                *dist.entry(qid.clone()).or_default().entry(k).or_default() += c;
            }
        }
    }
    let mut total = Sums { responses, ..Sums::default() };
    let mut out_q = Vec::new();
    for qu in questions.iter().filter(|q| q.kind != QuestionKind::Text) {
        let d = dist.remove(&qu.id).unwrap_or_default();
        let mut r = QuestionResult {
            id: qu.id.clone(),
            kind: qu.kind,
            text: qu.text.clone(),
            n: 0,
            distribution: d.clone(),
            mean: None,
            satisfaction_index: None,
            option_texts: qu.options.iter().map(|o| (o.id.clone(), o.text.clone())).collect(),
        };
        if qu.kind == QuestionKind::Likert5 {
            let mut full: BTreeMap<String, i64> = (1..=5).map(|k| (k.to_string(), 0)).collect();
            let (mut n, mut sum, mut sat) = (0, 0, 0);
            for (k, c) in d {
                if let Ok(x) = k.parse::<i64>() {
                    n += c;
                    sum += x * c;
                    if x >= 4 {
                        sat += c;
                    }
                    full.insert(k, c);
                }
            }
            r.distribution = full;
            r.n = n;
            r.mean = mean(sum, n);
            r.satisfaction_index = (n >= MIN_SAMPLE).then(|| share(sat, n));
            total.likert_n += n;
            total.likert_sum += sum;
            total.satisfied += sat;
        } else if qu.kind == QuestionKind::Single {
            r.n = r.distribution.values().sum();
        } else {
            // multi: n is the number of forms that picked at least one option — unknown for
            // tallies, so the largest option count is the honest lower bound; individual
            // answers are counted exactly below.
            r.n = r.distribution.values().copied().max().unwrap_or(0);
        }
        out_q.push(r);
    }
    for t in &tallies {
        total.responses += i64::from(t.forms);
    }
    let enough = total.responses >= MIN_SAMPLE;

    let groups = match q.group_by {
        Some(by) => Some(groups(conn, src, commune_id, s.id, (q.from, q.to), by, &tallies)?),
        None => None,
    };
    let previous_satisfaction_index = match (q.from, q.to) {
        (Some(f), Some(t)) if t >= f => {
            let len = (t - f).num_days() + 1;
            let pt = f.pred_opt().unwrap_or(f);
            let pf = pt - chrono::Duration::days(len - 1);
            previous_index(conn, src, s.id, pf, pt)?
        }
        (Some(f), None) => {
            let pf = f.checked_sub_months(Months::new(12)).unwrap_or(f);
            previous_index(conn, src, s.id, pf, f.pred_opt().unwrap_or(f))?
        }
        _ => None,
    };
    let free_text = repo::free_texts(conn, s.id, span, FREE_TEXT_LIMIT)?
        .into_iter()
        .map(|(question_id, text, at)| FreeText { question_id, text: mask_numbers(&text), answered_at: rfc(at) })
        .collect();
    Ok(Results {
        responses: total.responses,
        satisfaction_index: if enough && total.likert_n > 0 {
            Some(share(total.satisfied, total.likert_n))
        } else {
            None
        },
        minimum_sample: MIN_SAMPLE,
        note: (!enough).then(|| INSUFFICIENT.to_string()),
        board_target: s.board_target,
        previous_satisfaction_index,
        duplicates_flagged: duplicates,
        questions: out_q,
        groups,
        free_text,
    })
}

fn previous_index(
    conn: &mut DbConnection,
    src: Source,
    survey_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Option<f64>> {
    let mut s = Sums::default();
    for (_, g) in group_sums(conn, src, survey_id, Some(from), Some(to), GroupBy::Channel)? {
        s.add(g);
    }
    for t in tallies_in(conn, survey_id, Some(from), Some(to))? {
        s.add(Sums {
            responses: i64::from(t.forms),
            likert_n: i64::from(t.likert_n),
            likert_sum: i64::from(t.likert_sum),
            satisfied: i64::from(t.likert_satisfied),
        });
    }
    Ok(index_of(s))
}

fn groups(
    conn: &mut DbConnection,
    src: Source,
    commune_id: i64,
    survey_id: i64,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    by: GroupBy,
    tallies: &[TallyRow],
) -> AppResult<Vec<GroupResult>> {
    let mut sums: BTreeMap<Option<String>, Sums> = BTreeMap::new();
    for (k, g) in group_sums(conn, src, survey_id, from, to, by)? {
        sums.entry(k).or_default().add(g);
    }
    for t in tallies {
        sums.entry(tally_key(t, by)).or_default().add(Sums {
            responses: i64::from(t.forms),
            likert_n: i64::from(t.likert_n),
            likert_sum: i64::from(t.likert_sum),
            satisfied: i64::from(t.likert_satisfied),
        });
    }
    let ids: Vec<i64> = sums.keys().flatten().filter_map(|k| k.parse().ok()).collect();
    let names: HashMap<i64, String> = match by {
        GroupBy::Procedure => repo::procedure_names(conn, &ids)?,
        GroupBy::Unit | GroupBy::Village => repo::unit_names(conn, commune_id, &ids)?,
        _ => HashMap::new(),
    };
    let mut out: Vec<GroupResult> = sums
        .into_iter()
        .map(|(key, s)| {
            let label = match (&key, by) {
                (None, _) => "Không rõ".to_string(),
                (Some(k), GroupBy::Procedure | GroupBy::Unit | GroupBy::Village) => {
                    k.parse::<i64>().ok().and_then(|i| names.get(&i).cloned()).unwrap_or_else(|| k.clone())
                }
                (Some(k), GroupBy::Channel) => Channel::parse(k).map_or_else(|| k.clone(), |c| c.label(false).into()),
                (Some(k), GroupBy::Timeliness) => timeliness_label(k).to_string(),
                (Some(k), GroupBy::Month) => month_label(k),
                (Some(k), GroupBy::Field) => k.clone(),
            };
            let idx = index_of(s);
            GroupResult {
                key,
                label,
                responses: s.responses,
                satisfaction_index: idx,
                mean: if s.responses >= MIN_SAMPLE { mean(s.likert_sum, s.likert_n) } else { None },
                note: idx.is_none().then(|| INSUFFICIENT.to_string()),
                rank: None,
            }
        })
        .collect();
    // Rank only units, procedures, fields and villages, only among groups with enough answers.
    if !matches!(by, GroupBy::Month | GroupBy::Channel | GroupBy::Timeliness) {
        let mut ranked: Vec<(usize, f64)> =
            out.iter().enumerate().filter_map(|(i, g)| g.satisfaction_index.map(|x| (i, x))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (pos, (i, _)) in ranked.into_iter().enumerate() {
            out[i].rank = Some(pos as i64 + 1);
        }
    }
    Ok(out)
}

fn timeliness_label(k: &str) -> &'static str {
    match k {
        "early" => "Trước hạn",
        "on_time" => "Đúng hạn",
        "late" => "Quá hạn",
        "open_not_due" => "Đang giải quyết, trong hạn",
        "open_overdue" => "Đang giải quyết, quá hạn",
        _ => "Đang giải quyết",
    }
}

fn month_label(k: &str) -> String {
    match k.split_once('-') {
        Some((y, m)) => format!("Tháng {}/{y}", m.trim_start_matches('0')),
        None => k.to_string(),
    }
}

/// The results as a table for CSV/XLSX: one row per question and answer, then the groups.
pub fn results_table(r: &Results, en: bool) -> Vec<Vec<Cell>> {
    let t = |vi: &str, e: &str| Cell::Text(if en { e } else { vi }.to_string());
    let mut rows = vec![vec![
        t("Câu hỏi", "Question"),
        t("Nội dung", "Text"),
        t("Phương án", "Answer"),
        t("Số phiếu", "Count"),
        t("Tỷ lệ hài lòng", "Satisfaction index"),
        t("Điểm trung bình", "Mean"),
    ]];
    let note = || Cell::Text(if en { "insufficient sample".into() } else { INSUFFICIENT.into() });
    rows.push(vec![
        t("Tổng", "Total"),
        Cell::Text(String::new()),
        Cell::Text(String::new()),
        Cell::Number(r.responses as f64),
        r.satisfaction_index.map_or_else(note, Cell::Rate),
        Cell::Text(String::new()),
    ]);
    for q in &r.questions {
        for (k, c) in &q.distribution {
            // An answer in words: the scale's for a five-point one (in the export's language),
            // the option's own (as the form wrote it) for a choice.
            let answer = match (q.kind, k.parse::<usize>()) {
                (QuestionKind::Likert5, Ok(n @ 1..=5)) => {
                    format!("{n} – {}", if en { LIKERT_LABELS_EN[n - 1] } else { LIKERT_LABELS[n - 1] })
                }
                _ => q.option_texts.get(k).cloned().unwrap_or_else(|| k.clone()),
            };
            rows.push(vec![
                Cell::Text(q.id.clone()),
                Cell::Text(q.text.clone()),
                Cell::Text(answer),
                Cell::Number(*c as f64),
                q.satisfaction_index.map_or(Cell::Text(String::new()), Cell::Rate),
                q.mean.map_or(Cell::Text(String::new()), Cell::Number),
            ]);
        }
    }
    if let Some(gs) = &r.groups {
        rows.push(vec![
            t("Nhóm", "Group"),
            t("Tên", "Name"),
            t("Xếp hạng", "Rank"),
            t("Số phiếu", "Count"),
            t("Tỷ lệ hài lòng", "Satisfaction index"),
            t("Điểm trung bình", "Mean"),
        ]);
        for g in gs {
            rows.push(vec![
                Cell::Text(g.key.clone().unwrap_or_default()),
                Cell::Text(g.label.clone()),
                g.rank.map_or(Cell::Text(String::new()), |x| Cell::Number(x as f64)),
                Cell::Number(g.responses as f64),
                g.satisfaction_index.map_or_else(note, Cell::Rate),
                g.mean.map_or(Cell::Text(String::new()), Cell::Number),
            ]);
        }
    }
    rows
}

/// The numbers a year-end evaluation reads: every survey answer of a commune in a period
/// (responses and tallied paper forms), the satisfaction index with the minimum sample, and
/// the dossiers' answers.
pub fn figures(conn: &mut DbConnection, commune_id: i64, from: NaiveDate, to: NaiveDate) -> AppResult<Figures> {
    let span = span_of(Some(from), Some(to));
    let (n, ln, sat) = repo::commune_sums(conn, &[commune_id], span)?;
    let (tn, tln, tsat) = repo::commune_tally_sums(conn, &[commune_id], from, to)?;
    let dossier = repo::dossier_answers(conn, &[commune_id], span)?;
    let s = Sums { responses: n + tn, likert_n: ln + tln, likert_sum: 0, satisfied: sat + tsat };
    Ok(Figures {
        responses: s.responses,
        satisfied: s.satisfied,
        likert_answers: s.likert_n,
        satisfaction_index: index_of(s),
        dossier_responses: dossier.len() as i64,
        dossier_dislikes: dossier.iter().filter(|(_, o)| o.is_some_and(|o| o <= 2)).count() as i64,
    })
}

/// Survey aggregates of some communes in a period: per commune, answered forms and the
/// satisfaction index (with the minimum sample), ranked only among communes with enough
/// answers; never an individual answer.
pub fn aggregates(
    conn: &mut DbConnection,
    communes: &[(i64, String)],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<SurveyAggregates> {
    let mut out = Vec::with_capacity(communes.len());
    let mut all = Sums::default();
    let mut all_duplicates = 0;
    for (id, name) in communes {
        let f = figures(conn, *id, from, to)?;
        let duplicates = repo::commune_duplicates(conn, &[*id], span_of(Some(from), Some(to)))?;
        all.add(Sums { responses: f.responses, likert_n: f.likert_answers, likert_sum: 0, satisfied: f.satisfied });
        all_duplicates += duplicates;
        out.push(CommuneSatisfaction {
            commune_id: Some(*id),
            name: name.clone(),
            responses: f.responses,
            duplicates_flagged: duplicates,
            satisfaction_index: f.satisfaction_index,
            note: f.satisfaction_index.is_none().then(|| INSUFFICIENT.to_string()),
            rank: None,
        });
    }
    let mut ranked: Vec<(usize, f64)> =
        out.iter().enumerate().filter_map(|(i, c)| c.satisfaction_index.map(|x| (i, x))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (pos, (i, _)) in ranked.into_iter().enumerate() {
        out[i].rank = Some(pos as i64 + 1);
    }
    let idx = index_of(all);
    Ok(SurveyAggregates {
        from,
        to,
        minimum_sample: MIN_SAMPLE,
        communes: out,
        total: CommuneSatisfaction {
            commune_id: None,
            name: "Tổng".into(),
            responses: all.responses,
            duplicates_flagged: all_duplicates,
            satisfaction_index: idx,
            note: idx.is_none().then(|| INSUFFICIENT.to_string()),
            rank: None,
        },
    })
}

// ---------- 766, row 5.4 ----------

/// Inputs of the 766 index's row 5.4 (satisfaction with procedures), as the national portal
/// counts it: `ratio = 1 − (late rate + share of dossiers with a complaint or a dislike)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Satisfaction54 {
    /// Dossiers counted (the base of the late rate: processed in the period, as row 2.1).
    pub dossiers: i64,
    /// Of them, late.
    pub late: i64,
    /// Dossiers with an answer through their QR in the period (5.4 applies once there is one).
    pub answered: i64,
    /// Dossiers whose overall answer was 1 or 2 ("dislike").
    pub disliked: HashSet<i64>,
    /// Dossiers with a complaint about them. **Fed by the petitions module**: until it is
    /// merged this is the empty set; the lead wires `petitions`' dossier-linked complaint ids
    /// here (see `onestop::stats::index766::satisfaction_inputs`).
    pub complained: HashSet<i64>,
}

impl Satisfaction54 {
    /// Applies once there are answers.
    pub fn applicable(&self) -> bool {
        self.answered > 0 && self.dossiers > 0
    }

    /// Dossiers with a complaint or a dislike (each counted once).
    pub fn unhappy(&self) -> i64 {
        self.disliked.union(&self.complained).count() as i64
    }

    /// `1 − (late / dossiers + unhappy / dossiers)`, floored at 0.
    pub fn ratio(&self) -> f64 {
        if self.dossiers == 0 {
            return 0.0;
        }
        let d = self.dossiers as f64;
        (1.0 - (self.late as f64 / d + self.unhappy() as f64 / d)).max(0.0)
    }
}

/// The dossier answers of the given communes in a period: (answered dossiers, disliked ids).
/// The late rate comes from the one-stop statistics and complaints from petitions; the caller
/// puts the three together in [`Satisfaction54`].
pub fn dossier_dislikes(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(i64, HashSet<i64>)> {
    let rows = repo::dossier_answers(conn, communes, span_of(Some(from), Some(to)))?;
    let disliked = rows.iter().filter(|(_, o)| o.is_some_and(|o| o <= 2)).map(|(d, _)| *d).collect();
    Ok((rows.len() as i64, disliked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_phone_and_id_numbers_but_not_short_numbers() {
        assert_eq!(mask_numbers("gọi 0987 654 321 nhé"), "gọi [đã ẩn số] nhé");
        assert_eq!(mask_numbers("CCCD 038190004321."), "CCCD [đã ẩn số].");
        assert_eq!(mask_numbers("+84987654321"), "[đã ẩn số]");
        assert_eq!(mask_numbers("chờ 3 ngày, thôn 5, năm 2026"), "chờ 3 ngày, thôn 5, năm 2026");
    }

    #[test]
    fn row_5_4_by_hand() {
        // 20 dossiers, 2 late; 4 answered, 1 disliked (id 7); complaints on 7 and 9:
        // unhappy = {7, 9} = 2 → 1 − (2/20 + 2/20) = 0.8.
        let s = Satisfaction54 { dossiers: 20, late: 2, answered: 4, disliked: [7].into(), complained: [7, 9].into() };
        assert!(s.applicable());
        assert_eq!(s.unhappy(), 2);
        assert!((s.ratio() - 0.8).abs() < 1e-9);
        assert!(!Satisfaction54 { dossiers: 20, late: 2, ..Default::default() }.applicable());
    }
}
