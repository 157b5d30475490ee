//! The report's annexes as one XLSX workbook (written by `tabular::to_xlsx_book`, the writer
//! every export uses): Phụ lục 1 the tasks, Phụ lục 2 the one-stop figures and the 766 index,
//! Phụ lục 3 the surveys and the criteria. Built from an [`EvaluationResult`] only, like the
//! report.

use super::model::*;
use crate::tabular::{Cell, to_xlsx_book};

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn status_vi(s: &str) -> &'static str {
    match s {
        "done" => "Hoàn thành",
        "in_progress" => "Đang thực hiện",
        "cancelled" => "Hủy",
        _ => "Chưa bắt đầu",
    }
}

pub fn tasks_table(r: &EvaluationResult) -> Vec<Vec<Cell>> {
    let mut rows = vec![
        vec![t(format!("Phụ lục 1. Nhiệm vụ của Kế hoạch {} – {}", r.figures.plan.number, r.period.label))],
        vec![
            t("TT"),
            t("Nội dung"),
            t("Nhiệm vụ"),
            t("Đơn vị chủ trì"),
            t("Hạn hoàn thành"),
            t("Trạng thái"),
            t("Tiến độ (%)"),
            t("Đúng hạn"),
        ],
    ];
    for (i, x) in r.figures.plan.tasks.iter().enumerate() {
        rows.push(vec![
            Cell::from(i as i64 + 1),
            Cell::from(x.area),
            t(x.title.clone()),
            t(x.lead_unit.clone()),
            Cell::day(x.due_date, x.due_date.format("%d/%m/%Y").to_string()),
            t(status_vi(&x.status)),
            Cell::from(x.progress),
            t(match x.on_time {
                Some(true) => "Đúng hạn",
                Some(false) => "Trễ hạn",
                None => "",
            }),
        ]);
    }
    rows
}

pub fn onestop_table(r: &EvaluationResult) -> Vec<Vec<Cell>> {
    let o = &r.figures.onestop;
    let mut rows = vec![
        vec![t(format!("Phụ lục 2. Kết quả giải quyết thủ tục hành chính – {}", r.period.label))],
        vec![
            t("Lĩnh vực"),
            t("Tiếp nhận"),
            t("Trực tuyến"),
            t("Đã giải quyết"),
            t("Trước hạn"),
            t("Đúng hạn"),
            t("Quá hạn"),
            t("Đang giải quyết"),
            t("Tỷ lệ đúng hạn"),
            t("Tỷ lệ trực tuyến"),
        ],
    ];
    for x in o.by_field.iter().chain(std::iter::once(&o.overall)) {
        rows.push(vec![
            t(x.label.clone()),
            Cell::from(x.received),
            Cell::from(x.online),
            Cell::from(x.resolved),
            Cell::from(x.early),
            Cell::from(x.on_time),
            Cell::from(x.late),
            Cell::from(x.in_progress),
            x.on_time_rate.map_or_else(|| t(""), Cell::Rate),
            Cell::Rate(x.online_share),
        ]);
    }
    rows.push(vec![]);
    rows.push(vec![t("Bộ chỉ số 766"), t(o.index_summary.clone())]);
    rows.push(vec![t("Mã"), t("Chỉ số"), t("Điểm"), t("Điểm tối đa"), t("Áp dụng")]);
    for i in &o.index_rows {
        rows.push(vec![
            t(i.code.clone()),
            t(i.name.clone()),
            Cell::from(i.score),
            Cell::from(i.max_score),
            t(if i.applicable { "Có" } else { "Không" }),
        ]);
    }
    rows
}

pub fn survey_table(r: &EvaluationResult) -> Vec<Vec<Cell>> {
    let s = &r.figures.surveys;
    let mut rows = vec![
        vec![t(format!("Phụ lục 3. Khảo sát sự hài lòng và kết quả chấm điểm – {}", r.period.label))],
        vec![t("Phiếu trả lời"), Cell::from(s.responses)],
        vec![t("Câu trả lời thang 5 mức"), Cell::from(s.likert_answers)],
        vec![t("Hài lòng, rất hài lòng"), Cell::from(s.satisfied)],
        vec![t("Chỉ số hài lòng"), s.satisfaction_index.map_or_else(|| t("chưa đủ mẫu"), Cell::Rate)],
        vec![t("Hồ sơ TTHC được đánh giá"), Cell::from(s.dossier_responses)],
        vec![t("Hồ sơ TTHC không hài lòng"), Cell::from(s.dossier_dislikes)],
        vec![],
        vec![
            t("Mã"),
            t("Tiêu chí"),
            t("Điểm tối đa"),
            t("Kết quả, nguồn"),
            t("Điểm đạt"),
            t("Nhận xét"),
            t("Minh chứng"),
        ],
    ];
    for c in &r.criteria {
        rows.push(vec![
            t(c.criterion.code.clone()),
            t(c.criterion.name.clone()),
            Cell::from(c.criterion.points),
            t(c.figure.as_ref().map_or_else(String::new, |f| f.text.clone())),
            match c.score {
                Some(x) if c.applicable => Cell::from(x),
                _ => t(""),
            },
            t(c.comment.clone()),
            t(c.evidence.clone()),
        ]);
    }
    rows.push(vec![t(""), t("Tổng cộng"), Cell::from(r.max), t(""), Cell::from(r.total)]);
    rows
}

/// The workbook.
pub fn xlsx(r: &EvaluationResult) -> Vec<u8> {
    let (a, b, c) = (tasks_table(r), onestop_table(r), survey_table(r));
    to_xlsx_book(&[("Phụ lục 1 - Nhiệm vụ", &a), ("Phụ lục 2 - Một cửa", &b), ("Phụ lục 3 - Khảo sát", &c)])
}
