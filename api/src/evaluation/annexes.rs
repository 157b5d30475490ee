//! The report's annexes as one XLSX workbook (written by `tabular::to_xlsx_book`, the writer
//! every export uses): Phụ lục 1 the tasks, Phụ lục 2 the one-stop figures and the 766 index,
//! Phụ lục 3 the surveys and the criteria. Built from an [`EvaluationResult`] only, like the
//! report.

use super::model::*;
use crate::tabular::{Cell, Worksheet, to_xlsx_book};

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// An annex's rows as they are written, each caption (a title, a section's heading) and each
/// column header marked as such.
#[derive(Default)]
pub struct Annex {
    rows: Vec<Vec<Cell>>,
    captions: Vec<usize>,
    headers: Vec<usize>,
}

impl Annex {
    fn caption(&mut self, text: String) {
        self.captions.push(self.rows.len());
        self.rows.push(vec![t(text)]);
    }

    fn header(&mut self, names: &[&str]) {
        self.headers.push(self.rows.len());
        self.rows.push(names.iter().map(|n| t(*n)).collect());
    }

    fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    fn sheet<'a>(&'a self, name: &'a str) -> Worksheet<'a> {
        Worksheet::new(name, &self.rows).captions(&self.captions).headers(&self.headers)
    }
}

fn status_vi(s: &str) -> &'static str {
    match s {
        "done" => "Hoàn thành",
        "in_progress" => "Đang thực hiện",
        "cancelled" => "Hủy",
        _ => "Chưa bắt đầu",
    }
}

pub fn tasks_table(r: &EvaluationResult) -> Annex {
    let mut a = Annex::default();
    a.caption(format!("Phụ lục 1. Nhiệm vụ của Kế hoạch {} – {}", r.figures.plan.number, r.period.label));
    a.header(&[
        "TT",
        "Nội dung",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Hạn hoàn thành",
        "Trạng thái",
        "Tiến độ (%)",
        "Đúng hạn",
    ]);
    for (i, x) in r.figures.plan.tasks.iter().enumerate() {
        a.row(vec![
            Cell::from(i as i64 + 1),
            Cell::from(x.area),
            t(x.title.clone()),
            t(x.lead_unit.clone()),
            Cell::day(x.due_date, x.due_date.format("%d/%m/%Y").to_string()),
            t(status_vi(&x.status)),
            Cell::from(x.progress),
            t(match x.on_time {
                Some(true) => "Đúng hạn",
                Some(false) if x.status == "done" => "Trễ hạn",
                Some(false) => "Quá hạn, chưa hoàn thành",
                None => "",
            }),
        ]);
    }
    a
}

pub fn onestop_table(r: &EvaluationResult) -> Annex {
    let o = &r.figures.onestop;
    let mut a = Annex::default();
    a.caption(format!("Phụ lục 2. Kết quả giải quyết thủ tục hành chính – {}", r.period.label));
    a.header(&[
        "Lĩnh vực",
        "Tiếp nhận",
        "Trực tuyến",
        "Đã giải quyết",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Đang giải quyết",
        "Tỷ lệ đúng hạn",
        "Tỷ lệ trực tuyến",
    ]);
    for x in o.by_field.iter().chain(std::iter::once(&o.overall)) {
        a.row(vec![
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
    a.row(vec![]);
    a.caption(format!("Bộ chỉ số 766: {}", o.index_summary));
    a.header(&["Mã", "Chỉ số", "Điểm", "Điểm tối đa", "Áp dụng"]);
    for i in &o.index_rows {
        a.row(vec![
            t(i.code.clone()),
            t(i.name.clone()),
            Cell::from(i.score),
            Cell::from(i.max_score),
            t(if i.applicable { "Có" } else { "Không" }),
        ]);
    }
    a
}

pub fn survey_table(r: &EvaluationResult) -> Annex {
    let s = &r.figures.surveys;
    let mut a = Annex::default();
    a.caption(format!("Phụ lục 3. Khảo sát sự hài lòng và kết quả chấm điểm – {}", r.period.label));
    a.row(vec![t("Phiếu trả lời"), Cell::from(s.responses)]);
    a.row(vec![t("Câu trả lời thang 5 mức"), Cell::from(s.likert_answers)]);
    a.row(vec![t("Hài lòng, rất hài lòng"), Cell::from(s.satisfied)]);
    a.row(vec![t("Chỉ số hài lòng"), s.satisfaction_index.map_or_else(|| t("chưa đủ mẫu"), Cell::Rate)]);
    a.row(vec![t("Hồ sơ TTHC được đánh giá"), Cell::from(s.dossier_responses)]);
    a.row(vec![t("Hồ sơ TTHC không hài lòng"), Cell::from(s.dossier_dislikes)]);
    a.row(vec![]);
    a.header(&["Mã", "Tiêu chí", "Điểm tối đa", "Kết quả, nguồn", "Điểm đạt", "Nhận xét", "Minh chứng"]);
    for c in &r.criteria {
        a.row(vec![
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
    a.row(vec![t(""), t("Tổng cộng"), Cell::from(r.max), t(""), Cell::from(r.total)]);
    a
}

/// The workbook, each annex's title and headings bold above its columns.
pub fn xlsx(r: &EvaluationResult) -> Vec<u8> {
    let (a, b, c) = (tasks_table(r), onestop_table(r), survey_table(r));
    to_xlsx_book(&[a.sheet("Phụ lục 1 - Nhiệm vụ"), b.sheet("Phụ lục 2 - Một cửa"), c.sheet("Phụ lục 3 - Khảo sát")])
}
