//! The shipped criteria set of the model and the scoring rules (pure: no database).
//!
//! A computed criterion earns `points × min(value / target, 1)`; one whose source has nothing
//! to measure in the period is "not applicable" and left out of both the total and the
//! maximum (never counted as full marks). A judged criterion earns what the board gives. The
//! rating is the highest threshold whose `min_percent` the total reaches, as a percent of the
//! applicable maximum.

use std::collections::BTreeMap;

use super::model::*;
use crate::error::{AppResult, Validator};

/// Name of the shipped set.
pub const DEFAULT_SET_NAME: &str = "Bộ tiêu chí đánh giá mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ”";

fn computed(code: &str, name: &str, how: &str, points: f64, source: Source, target: f64) -> Criterion {
    Criterion {
        code: code.into(),
        name: name.into(),
        how_measured: how.into(),
        points,
        kind: CriterionKind::Computed,
        source: Some(source),
        target: Some(target),
    }
}

/// The shipped criteria (100 points), second edition: "activities held" (c11) is computed from
/// the activities the democracy module records (the first edition had it judged, before that
/// module existed; sets already stored keep what they were stored with).
pub fn default_criteria() -> Vec<Criterion> {
    vec![
        computed(
            "c1",
            "Tiến độ thực hiện Kế hoạch",
            "Tiến độ chung của kế hoạch (bình quân gia quyền các nội dung); đủ điểm khi đạt 100%.",
            20.0,
            Source::PlanProgress,
            1.0,
        ),
        computed(
            "c2",
            "Nhiệm vụ hoàn thành đúng hạn",
            "Số nhiệm vụ đến hạn trong kỳ hoàn thành đúng hạn / số nhiệm vụ đến hạn; đủ điểm khi đạt 100%.",
            10.0,
            Source::TasksOnTime,
            1.0,
        ),
        computed(
            "c3",
            "Hồ sơ thủ tục hành chính giải quyết đúng hạn",
            "Hồ sơ giải quyết trước và đúng hạn / hồ sơ đã giải quyết trong kỳ; đủ điểm khi đạt 95%.",
            15.0,
            Source::OnestopOnTime,
            0.95,
        ),
        computed(
            "c4",
            "Hồ sơ tiếp nhận trực tuyến",
            "Hồ sơ nộp trực tuyến / hồ sơ tiếp nhận trong kỳ; đủ điểm khi đạt 50%.",
            5.0,
            Source::OnestopOnline,
            0.5,
        ),
        computed(
            "c5",
            "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
            "Điểm Bộ chỉ số 766 / điểm tối đa đo được; đủ điểm khi đạt 90%.",
            10.0,
            Source::Index766,
            0.9,
        ),
        computed(
            "c6",
            "Mức độ hài lòng của Nhân dân",
            "Tỷ lệ câu trả lời hài lòng, rất hài lòng trong các đợt khảo sát; đủ điểm khi đạt 90%.",
            15.0,
            Source::Satisfaction,
            0.9,
        ),
        computed(
            "c7",
            "Tiếp công dân định kỳ của Chủ tịch UBND xã",
            "Số tuần có buổi tiếp công dân định kỳ / số tuần trong kỳ.",
            5.0,
            Source::ReceptionSessions,
            1.0,
        ),
        computed(
            "c8",
            "Giải quyết đơn thư đúng hạn",
            "Đơn thư giải quyết đúng hạn / đơn thư đã giải quyết trong kỳ.",
            5.0,
            Source::PetitionsOnTime,
            1.0,
        ),
        computed(
            "c9",
            "Công khai, thông báo đến Nhân dân đúng hạn",
            "Lượt thôn thông báo nội dung công khai đúng hạn / lượt phải thông báo.",
            5.0,
            Source::DisclosuresRelayed,
            1.0,
        ),
        computed(
            "c10",
            "Thực hiện cam kết sau đối thoại",
            "Cam kết đến hạn trong kỳ thực hiện đúng hạn / cam kết đến hạn.",
            5.0,
            Source::DialogueCommitments,
            1.0,
        ),
        computed(
            "c11",
            "Hoạt động tuyên truyền, sinh hoạt, hội nghị được tổ chức",
            "Số tháng trong kỳ có ít nhất một hoạt động tuyên truyền, sinh hoạt được ghi nhận / số tháng của kỳ; \
             đủ điểm khi tháng nào cũng có hoạt động.",
            5.0,
            Source::ActivitiesHeld,
            1.0,
        ),
    ]
}

/// The shipped rating bands.
pub fn default_thresholds() -> Vec<Threshold> {
    let t = |code: &str, label: &str, min: f64| Threshold { code: code.into(), label: label.into(), min_percent: min };
    vec![
        t("excellent", "Hoàn thành xuất sắc", 90.0),
        t("good", "Hoàn thành tốt", 75.0),
        t("done", "Hoàn thành", 50.0),
        t("not_done", "Không hoàn thành", 0.0),
    ]
}

/// Checks a set before it is stored.
pub fn check_set(name: &str, year: i32, criteria: &[Criterion], thresholds: &[Threshold]) -> AppResult<()> {
    let mut v = Validator::new();
    if name.trim().is_empty() || name.chars().count() > 300 {
        v.add("name", "invalid_value", "Tên bộ tiêu chí từ 1 đến 300 ký tự.");
    }
    if !(2000..=2100).contains(&year) {
        v.add("year", "invalid_value", "Năm từ 2000 đến 2100.");
    }
    if criteria.is_empty() || criteria.len() > 100 {
        v.add("criteria", "invalid_value", "Bộ tiêu chí có từ 1 đến 100 tiêu chí.");
    }
    let mut codes = std::collections::HashSet::new();
    for (i, c) in criteria.iter().enumerate() {
        let f = |x: &str| format!("criteria[{i}].{x}");
        if c.code.trim().is_empty() || c.code.len() > 40 || !codes.insert(c.code.as_str()) {
            v.add(&f("code"), "invalid_value", "Mã tiêu chí trống, quá dài hoặc trùng.");
        }
        if c.name.trim().is_empty() || c.name.chars().count() > 500 {
            v.add(&f("name"), "invalid_value", "Tên tiêu chí từ 1 đến 500 ký tự.");
        }
        if c.how_measured.chars().count() > 2000 {
            v.add(&f("how_measured"), "too_long", "Cách đo tối đa 2000 ký tự.");
        }
        if !c.points.is_finite() || c.points <= 0.0 || c.points > 1000.0 {
            v.add(&f("points"), "invalid_value", "Điểm lớn hơn 0 và không quá 1000.");
        }
        match c.kind {
            CriterionKind::Computed if c.source.is_none() => {
                v.add(&f("source"), "required", "Tiêu chí tính tự động cần nguồn số liệu.")
            }
            CriterionKind::Judged if c.source.is_some() => {
                v.add(&f("source"), "invalid_value", "Tiêu chí chấm thủ công không có nguồn số liệu.")
            }
            _ => {}
        }
        if let Some(t) = c.target
            && (!t.is_finite() || t <= 0.0 || t > 1.0)
        {
            v.add(&f("target"), "invalid_value", "Mức đạt đủ điểm từ 0 (không kể) đến 1.");
        }
    }
    if thresholds.is_empty() || thresholds.len() > 10 {
        v.add("thresholds", "invalid_value", "Từ 1 đến 10 mức xếp loại.");
    }
    for (i, t) in thresholds.iter().enumerate() {
        if t.code.trim().is_empty() || t.label.trim().is_empty() || !(0.0..=100.0).contains(&t.min_percent) {
            v.add(&format!("thresholds[{i}]"), "invalid_value", "Mức xếp loại cần mã, tên và ngưỡng 0–100%.");
        }
    }
    if !thresholds.iter().any(|t| t.min_percent == 0.0) {
        v.add("thresholds", "no_floor", "Cần một mức xếp loại có ngưỡng 0% (mọi kết quả đều được xếp loại).");
    }
    v.finish()
}

/// Rounds to two decimals.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Points a computed criterion earns for a ratio.
pub fn computed_points(c: &Criterion, value: f64) -> f64 {
    let target = c.target.unwrap_or(1.0).max(f64::EPSILON);
    round2(c.points * (value / target).clamp(0.0, 1.0))
}

/// Scores the criteria: computed ones from their figure (by source), judged ones from the
/// board's judgement. Returns (criteria results, unjudged codes).
pub fn score(
    criteria: &[Criterion],
    figures: &BTreeMap<&'static str, SourceFigure>,
    judged: &BTreeMap<String, Judgement>,
) -> (Vec<CriterionResult>, Vec<String>) {
    let mut unjudged = Vec::new();
    let out = criteria
        .iter()
        .map(|c| {
            let j = judged.get(&c.code).cloned().unwrap_or_default();
            match c.kind {
                CriterionKind::Computed => {
                    let figure = c.source.and_then(|s| figures.get(s.as_str()).cloned());
                    let value = figure.as_ref().and_then(|f| f.value);
                    CriterionResult {
                        criterion: c.clone(),
                        applicable: value.is_some(),
                        score: value.map(|v| computed_points(c, v)),
                        figure,
                        comment: j.comment,
                        evidence: j.evidence,
                    }
                }
                CriterionKind::Judged => {
                    let score = j.score.map(|s| round2(s.clamp(0.0, c.points)));
                    if score.is_none() {
                        unjudged.push(c.code.clone());
                    }
                    CriterionResult {
                        criterion: c.clone(),
                        applicable: true,
                        score,
                        figure: None,
                        comment: j.comment,
                        evidence: j.evidence,
                    }
                }
            }
        })
        .collect();
    (out, unjudged)
}

/// (total, applicable maximum, every criterion's points, percent, rating). No rating while a
/// judged criterion is unscored.
pub fn totals(
    results: &[CriterionResult],
    thresholds: &[Threshold],
    unjudged: &[String],
) -> (f64, f64, f64, Option<f64>, Option<Rating>) {
    let total = round2(results.iter().filter(|r| r.applicable).filter_map(|r| r.score).sum());
    let max = round2(results.iter().filter(|r| r.applicable).map(|r| r.criterion.points).sum());
    let out_of = round2(results.iter().map(|r| r.criterion.points).sum());
    let percent = (max > 0.0).then(|| round2(total / max * 100.0));
    let rating = percent.filter(|_| unjudged.is_empty()).and_then(|p| rating_of(thresholds, p));
    (total, max, out_of, percent, rating)
}

/// The highest band `percent` reaches.
pub fn rating_of(thresholds: &[Threshold], percent: f64) -> Option<Rating> {
    let mut sorted: Vec<&Threshold> = thresholds.iter().collect();
    sorted.sort_by(|a, b| b.min_percent.total_cmp(&a.min_percent));
    sorted
        .into_iter()
        .find(|t| percent >= t.min_percent)
        .map(|t| Rating { code: t.code.clone(), label: t.label.clone() })
}

/// Checks the board's judgements against the set: known codes, scores only on judged
/// criteria, within 0..points; bounded texts.
pub fn check_judgements(criteria: &[Criterion], judged: &BTreeMap<String, Judgement>) -> AppResult<()> {
    let mut v = Validator::new();
    if judged.len() > 200 {
        v.add("judged", "invalid_value", "Quá nhiều tiêu chí.");
    }
    for (code, j) in judged {
        let f = |x: &str| format!("judged.{code}.{x}");
        let Some(c) = criteria.iter().find(|c| &c.code == code) else {
            v.add(&format!("judged.{code}"), "unknown_criterion", "Không có tiêu chí này trong bộ tiêu chí.");
            continue;
        };
        if let Some(s) = j.score {
            if c.kind != CriterionKind::Judged {
                v.add(&f("score"), "computed_criterion", "Tiêu chí tính tự động không chấm tay.");
            } else if !s.is_finite() || s < 0.0 || s > c.points {
                v.add(&f("score"), "out_of_range", &format!("Điểm từ 0 đến {}.", c.points));
            }
        }
        if j.comment.chars().count() > 4000 {
            v.add(&f("comment"), "too_long", "Nhận xét tối đa 4000 ký tự.");
        }
        if j.evidence.chars().count() > 4000 {
            v.add(&f("evidence"), "too_long", "Minh chứng tối đa 4000 ký tự.");
        }
    }
    v.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_set_is_worth_100_points_and_valid() {
        let c = default_criteria();
        assert_eq!(c.iter().map(|c| c.points).sum::<f64>(), 100.0);
        check_set(DEFAULT_SET_NAME, 2023, &c, &default_thresholds()).unwrap();
        // Every criterion of the shipped set is computed; activities held (c11) since edition 2.
        assert!(c.iter().all(|c| c.kind == CriterionKind::Computed && c.source.is_some()));
        assert_eq!(c[10].source, Some(Source::ActivitiesHeld));
    }

    #[test]
    fn points_are_proportional_below_the_target() {
        let c = &default_criteria()[2]; // 15 points, full at 95 %
        assert_eq!(computed_points(c, 0.95), 15.0);
        assert_eq!(computed_points(c, 1.0), 15.0);
        assert_eq!(computed_points(c, 0.76), 12.0);
        assert_eq!(computed_points(c, 0.0), 0.0);
    }

    #[test]
    fn ratings_by_threshold() {
        let t = default_thresholds();
        assert_eq!(rating_of(&t, 90.0).unwrap().code, "excellent");
        assert_eq!(rating_of(&t, 89.99).unwrap().code, "good");
        assert_eq!(rating_of(&t, 50.0).unwrap().code, "done");
        assert_eq!(rating_of(&t, 10.0).unwrap().label, "Không hoàn thành");
    }
}
