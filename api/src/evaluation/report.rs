//! The official report (báo cáo) in the layout of Nghị định 30/2020/NĐ-CP, Appendix I: A4,
//! margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 pt body; the
//! two-column header (issuing body | national motto), number and symbol, place and date, the
//! title, the sections, "Nơi nhận:" and the signature block. Built from an
//! [`EvaluationResult`] only — for a published evaluation that is the frozen snapshot, so the
//! same bytes come out every time.

use super::model::*;
use super::ooxml::{Align, Block, CellBox, Defaults, Page, Para, Run, Table, mm, package};
use crate::error::AppResult;

/// Name of the model, as every document quotes it.
pub const MODEL_NAME: &str = "Chính quyền thân thiện, vì Nhân dân phục vụ";

/// Text width of the page: 210 − 30 − 15 mm.
fn text_width() -> i64 {
    mm(165.0)
}

/// A number as Vietnamese write it: up to two decimals, a decimal comma.
pub fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    s.replace('.', ",")
}

/// A ratio (0–1) as a percent: "87,5%".
pub fn percent(x: f64) -> String {
    format!("{}%", num((x * 1000.0).round() / 10.0))
}

/// The report's title line under "BÁO CÁO".
pub fn title_line(r: &EvaluationResult) -> String {
    match r.period.period {
        ReportPeriod::Year => format!("Kết quả thực hiện mô hình “{MODEL_NAME}” năm {}", r.year),
        _ => format!("Tiến độ thực hiện mô hình “{MODEL_NAME}” {}", r.period.label),
    }
}

/// "về xây dựng …" from a plan title "Kế hoạch xây dựng …" (the document type is not repeated).
pub fn plan_subject(title: &str) -> String {
    let t = title.trim().trim_end_matches('.');
    let rest = t.strip_prefix("Kế hoạch").or_else(|| t.strip_prefix("KẾ HOẠCH")).map_or(t, str::trim_start);
    let rest = rest.strip_prefix("về ").unwrap_or(rest);
    let mut chars = rest.chars();
    let lowered = match chars.next() {
        Some(c) if t.len() != rest.len() => c.to_lowercase().chain(chars).collect::<String>(),
        Some(c) => std::iter::once(c).chain(chars).collect(),
        None => String::new(),
    };
    format!("về {lowered}")
}

fn body(text: impl Into<String>) -> Block {
    Block::Para(Para::new(Align::Both).indent(mm(12.7)).spacing(0, 120).text(text))
}

fn heading(text: impl Into<String>) -> Block {
    Block::Para(Para::new(Align::Both).indent(mm(12.7)).spacing(120, 120).keep_next().run(Run::new(text).bold()))
}

fn sub_heading(text: impl Into<String>) -> Block {
    Block::Para(
        Para::new(Align::Both).indent(mm(12.7)).spacing(60, 120).keep_next().run(Run::new(text).bold().italic()),
    )
}

/// The board's text: one paragraph per line; a placeholder when empty.
fn written(out: &mut Vec<Block>, text: &str) {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() {
        out.push(Block::Para(
            Para::new(Align::Both)
                .indent(mm(12.7))
                .spacing(0, 120)
                .run(Run::new("(Ban điều hành chưa viết nội dung này.)").italic()),
        ));
    }
    for l in lines {
        out.push(body(l));
    }
}

fn cell(width: i64, align: Align, runs: Vec<Run>) -> CellBox {
    let mut p = Para::new(align).spacing(20, 20);
    p.runs = runs;
    CellBox { width, paras: vec![p] }
}

/// The two-column header: issuing body and number | motto and place, date.
fn header(r: &EvaluationResult) -> Block {
    let w = text_width();
    let left = mm(62.0);
    let right = w - left;
    let commune_upper = format!("XÃ {}", r.commune_name.to_uppercase());
    let number = if r.number.trim().is_empty() { "       /BC-UBND".to_string() } else { r.number.trim().to_string() };
    let issuer = CellBox {
        width: left,
        paras: vec![
            Para::new(Align::Center).run(Run::new("ỦY BAN NHÂN DÂN").bold().size(13.0)),
            Para::new(Align::Center).run(Run::new(commune_upper).bold().size(13.0)),
            Para::rule(mm(18.0), mm(18.0)),
        ],
    };
    let motto = CellBox {
        width: right,
        paras: vec![
            Para::new(Align::Center).run(Run::new("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold().size(12.5)),
            Para::new(Align::Center).run(Run::new("Độc lập - Tự do - Hạnh phúc").bold().size(13.5)),
            Para::rule(mm(22.0), mm(22.0)),
        ],
    };
    let num_cell = CellBox {
        width: left,
        paras: vec![Para::new(Align::Center).spacing(60, 0).run(Run::new(format!("Số: {number}")).size(13.0))],
    };
    let date_cell = CellBox {
        width: right,
        paras: vec![
            Para::new(Align::Center)
                .spacing(60, 0)
                .run(Run::new(format!("{}, {}", r.commune_name, crate::time::date_words(r.report_date))).italic()),
        ],
    };
    Block::Table(Table {
        rows: vec![vec![issuer, motto], vec![num_cell, date_cell]],
        borders: false,
        header_row: false,
    })
}

fn criteria_table(r: &EvaluationResult) -> Block {
    let widths = [mm(10.0), mm(56.0), mm(17.0), mm(64.0), mm(18.0)];
    let head = |i: usize, t: &str| cell(widths[i], Align::Center, vec![Run::new(t).bold().size(12.0)]);
    let mut rows = vec![vec![
        head(0, "TT"),
        head(1, "Tiêu chí"),
        head(2, "Điểm tối đa"),
        head(3, "Kết quả, nguồn số liệu"),
        head(4, "Điểm đạt"),
    ]];
    for (i, c) in r.criteria.iter().enumerate() {
        let result = match (&c.figure, c.criterion.kind) {
            (Some(f), _) if c.applicable => f.text.clone(),
            (Some(f), _) => format!("Không áp dụng: {}", f.text),
            (None, CriterionKind::Judged) => {
                let mut t = "Ban điều hành chấm".to_string();
                if !c.comment.trim().is_empty() {
                    t = format!("{t}: {}", c.comment.trim());
                }
                t
            }
            (None, _) => "Không có số liệu".into(),
        };
        let score = match c.score {
            Some(s) if c.applicable => num(s),
            Some(_) | None if !c.applicable => "–".into(),
            _ => "chưa chấm".into(),
        };
        let small = |t: String| Run::new(t).size(12.0);
        rows.push(vec![
            cell(widths[0], Align::Center, vec![small((i + 1).to_string())]),
            cell(widths[1], Align::Left, vec![small(c.criterion.name.clone())]),
            cell(widths[2], Align::Center, vec![small(num(c.criterion.points))]),
            cell(widths[3], Align::Left, vec![small(result)]),
            cell(widths[4], Align::Center, vec![small(score)]),
        ]);
    }
    let bold = |t: String| Run::new(t).bold().size(12.0);
    rows.push(vec![
        cell(widths[0], Align::Center, vec![]),
        cell(widths[1], Align::Left, vec![bold("Tổng cộng".into())]),
        cell(widths[2], Align::Center, vec![bold(num(r.max))]),
        cell(
            widths[3],
            Align::Left,
            vec![bold(match r.percent {
                Some(p) => format!("Đạt {}% số điểm đo được", num(p)),
                None => "Không có tiêu chí đo được".into(),
            })],
        ),
        cell(widths[4], Align::Center, vec![bold(num(r.total))]),
    ]);
    Block::Table(Table { rows, borders: true, header_row: true })
}

fn signature(r: &EvaluationResult) -> Block {
    let w = text_width();
    let left = mm(80.0);
    let right = w - left;
    let mut recipients =
        vec![Para::new(Align::Left).spacing(120, 0).run(Run::new("Nơi nhận:").bold().italic().size(12.0))];
    let lines: Vec<&str> = r.sections.recipients.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    for l in lines {
        let l = l.trim_start_matches('-').trim();
        recipients.push(Para::new(Align::Left).run(Run::new(format!("- {l}")).size(11.0)));
    }
    let title = if r.sections.signer_title.trim().is_empty() { "CHỦ TỊCH" } else { r.sections.signer_title.trim() };
    let signer = vec![
        Para::new(Align::Center).spacing(120, 0).run(Run::new("TM. ỦY BAN NHÂN DÂN").bold()),
        Para::new(Align::Center).run(Run::new(title.to_uppercase()).bold()),
        Para::new(Align::Center).spacing(1440, 0).run(Run::new(r.sections.signer_name.trim()).bold()),
    ];
    Block::Table(Table {
        rows: vec![vec![CellBox { width: left, paras: recipients }, CellBox { width: right, paras: signer }]],
        borders: false,
        header_row: false,
    })
}

/// The document's blocks.
pub fn blocks(r: &EvaluationResult) -> Vec<Block> {
    let f = &r.figures;
    let year_report = r.period.period == ReportPeriod::Year;
    let mut out = vec![header(r)];
    out.push(Block::Para(Para::new(Align::Center).spacing(360, 0).run(Run::new("BÁO CÁO").bold())));
    out.push(Block::Para(Para::new(Align::Center).run(Run::new(title_line(r)).bold())));
    out.push(Block::Para(Para::rule(mm(55.0), mm(55.0))));
    out.push(Block::Para(Para::new(Align::Center).spacing(0, 240).text("")));

    let plan_ref = match f.plan.issued_on {
        Some(d) => format!("Kế hoạch số {} ngày {}", f.plan.number, d.format("%d/%m/%Y")),
        None => format!("Kế hoạch số {}", f.plan.number),
    };
    out.push(body(format!(
        "Thực hiện {plan_ref} {}, Ủy ban nhân dân xã {} báo cáo kết quả thực hiện {} ({} đến {}) như sau:",
        plan_subject(&f.plan.title),
        r.commune_name,
        r.period.label,
        r.period.from.format("%d/%m/%Y"),
        r.period.to.format("%d/%m/%Y"),
    )));

    out.push(heading("I. KẾT QUẢ THỰC HIỆN"));
    out.push(heading("1. Kết quả thực hiện các nội dung của Kế hoạch"));
    for a in &f.plan.areas {
        out.push(body(format!(
            "1.{}. {}: tiến độ {}%; {}/{} nhiệm vụ đã hoàn thành.",
            a.position,
            a.title.trim_end_matches('.'),
            num(a.progress),
            a.done,
            a.tasks
        )));
    }
    out.push(body(format!(
        "Tiến độ chung của Kế hoạch đạt {}%. Trong kỳ có {} nhiệm vụ đến hạn, {} nhiệm vụ hoàn thành đúng hạn{}.",
        num(f.plan.progress),
        f.plan.tasks_due,
        f.plan.tasks_on_time,
        if f.plan.tasks_due > 0 {
            format!(" (đạt {})", percent(f.plan.tasks_on_time as f64 / f.plan.tasks_due as f64))
        } else {
            String::new()
        }
    )));
    written(&mut out, &r.sections.results);

    let o = &f.onestop;
    out.push(heading("2. Cải cách thủ tục hành chính, Bộ phận Một cửa và Bộ chỉ số 766"));
    out.push(body(format!(
        "Bộ phận Một cửa tiếp nhận {} hồ sơ, trong đó {} hồ sơ trực tuyến (tỷ lệ {}); đã giải quyết {} hồ sơ; \
         {} hồ sơ giải quyết trước hạn, {} đúng hạn, {} quá hạn{}; {} hồ sơ đang giải quyết.",
        o.overall.received,
        o.overall.online,
        percent(o.overall.online_share),
        o.overall.resolved,
        o.overall.early,
        o.overall.on_time,
        o.overall.late,
        match o.overall.on_time_rate {
            Some(x) => format!(" (tỷ lệ đúng hạn {})", percent(x)),
            None => String::new(),
        },
        o.overall.in_progress,
    )));
    out.push(body(match o.index_percent {
        Some(p) => format!(
            "Bộ chỉ số phục vụ người dân, doanh nghiệp theo Quyết định số 766/QĐ-TTg: {} ({}% số điểm đo được). \
             Chi tiết tại Phụ lục kèm theo.",
            o.index_summary,
            num(p)
        ),
        None => {
            "Bộ chỉ số phục vụ người dân, doanh nghiệp theo Quyết định số 766/QĐ-TTg: chưa có chỉ số đo được trong kỳ."
                .to_string()
        }
    }));

    let s = &f.surveys;
    out.push(heading("3. Mức độ hài lòng của Nhân dân"));
    out.push(body(match s.satisfaction_index {
        Some(x) => format!(
            "Qua khảo sát, thu về {} phiếu trả lời với {} câu trả lời theo thang 5 mức; {} câu trả lời hài lòng, rất hài lòng, \
             chỉ số hài lòng đạt {}.",
            s.responses,
            s.likert_answers,
            s.satisfied,
            percent(x)
        ),
        None => format!(
            "Trong kỳ thu về {} phiếu trả lời ({} câu trả lời theo thang 5 mức), chưa đủ mẫu để tính chỉ số hài lòng.",
            s.responses, s.likert_answers
        ),
    }));
    if s.dossier_responses > 0 {
        out.push(body(format!(
            "Đánh giá sau khi nhận kết quả thủ tục hành chính: {} hồ sơ được đánh giá, {} hồ sơ không hài lòng.",
            s.dossier_responses, s.dossier_dislikes
        )));
    }

    let rc = &f.reception;
    out.push(heading("4. Tiếp công dân, giải quyết kiến nghị, phản ánh, khiếu nại, tố cáo"));
    out.push(body(format!(
        "Chủ tịch UBND xã tổ chức tiếp công dân định kỳ {}/{} tuần trong kỳ.",
        rc.sessions_held, rc.sessions_required
    )));
    let received: i64 = rc.petitions.iter().map(|k| k.received).sum();
    let parts: Vec<String> = rc
        .petitions
        .iter()
        .filter(|k| k.received > 0)
        .map(|k| format!("{} {}", k.received, k.label.to_lowercase()))
        .collect();
    let settled: i64 = rc.petitions.iter().map(|k| k.settled).sum();
    let on_time: i64 = rc.petitions.iter().map(|k| k.settled_on_time).sum();
    let overdue: i64 = rc.petitions.iter().map(|k| k.overdue_open).sum();
    // Results stored before petitions without a time limit were told apart keep their sentence.
    let with_limit: Option<i64> = rc.petitions.iter().map(|k| k.settled_with_time_limit).sum();
    let settled_words = match with_limit {
        Some(n) => format!(" ({n} đơn có thời hạn giải quyết, trong đó {on_time} đơn đúng hạn)"),
        None => format!(", trong đó {on_time} đơn đúng hạn"),
    };
    out.push(body(if received == 0 {
        "Trong kỳ không tiếp nhận đơn thư.".to_string()
    } else {
        format!(
            "Tiếp nhận {received} đơn thư ({}); đã giải quyết {settled} đơn{settled_words}; {overdue} đơn quá hạn chưa giải quyết xong.",
            parts.join(", ")
        )
    }));

    let d = &f.democracy;
    out.push(heading("5. Thực hiện dân chủ ở cơ sở"));
    out.push(body(format!(
        "Thực hiện công khai {} nội dung theo Luật Thực hiện dân chủ ở cơ sở; các thôn thông báo đúng hạn {}/{} lượt. \
         Tổ chức {} cuộc đối thoại với Nhân dân; {}/{} cam kết đến hạn được thực hiện đúng hạn.",
        d.disclosures, d.relays_on_time, d.relays_asked, d.dialogues_held, d.commitments_kept, d.commitments_due
    )));

    out.push(heading("6. Kết quả tự đánh giá theo Bộ tiêu chí"));
    out.push(body(format!(
        "Áp dụng {} (phiên bản {}), gồm {} tiêu chí, tổng {} điểm:",
        r.criteria_set_name,
        r.criteria_set_version,
        r.criteria.len(),
        num(r.out_of)
    )));
    out.push(criteria_table(r));
    out.push(Block::Para(Para::new(Align::Both).spacing(120, 0).text("")));
    out.push(body(match (&r.rating, r.percent) {
        (Some(rt), Some(p)) => format!(
            "Tổng điểm đạt {}/{} điểm đo được ({}%). Tự xếp loại: {}.",
            num(r.total),
            num(r.max),
            num(p),
            rt.label
        ),
        (_, Some(p)) => format!(
            "Tổng điểm tạm tính {}/{} điểm đo được ({}%); còn tiêu chí chưa chấm nên chưa xếp loại.",
            num(r.total),
            num(r.max),
            num(p)
        ),
        _ => "Chưa có tiêu chí đo được nên chưa xếp loại.".into(),
    }));

    out.push(heading("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"));
    out.push(sub_heading("1. Tồn tại, hạn chế"));
    written(&mut out, &r.sections.shortcomings);
    out.push(sub_heading("2. Nguyên nhân"));
    written(&mut out, &r.sections.causes);
    out.push(heading("III. BÀI HỌC KINH NGHIỆM"));
    written(&mut out, &r.sections.lessons);
    out.push(heading(if year_report {
        format!("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {}", r.year + 1)
    } else {
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI".to_string()
    }));
    written(&mut out, &r.sections.directions);
    // The closing line stays with the signature block (a signature never stands alone on a page).
    out.push(Block::Para(Para::new(Align::Both).indent(mm(12.7)).spacing(0, 120).keep_next().text(format!(
        "Trên đây là báo cáo {} thực hiện mô hình “{MODEL_NAME}” {} của Ủy ban nhân dân xã {}./.",
        if year_report { "kết quả" } else { "tiến độ" },
        r.period.label,
        r.commune_name
    ))));
    out.push(signature(r));
    if r.version > 1 && !r.reason.trim().is_empty() {
        out.push(Block::Para(
            Para::new(Align::Left).spacing(240, 0).run(
                Run::new(format!(
                    "Ghi chú: báo cáo đánh giá lại (phiên bản {}), lý do: {}",
                    r.version,
                    r.reason.trim()
                ))
                .italic()
                .size(11.0),
            ),
        ));
    }
    out
}

/// The report as a `.docx` (watermarked "DỰ THẢO" for a draft).
pub fn docx(r: &EvaluationResult, draft: bool) -> AppResult<Vec<u8>> {
    let page = Page { width: 11906, height: 16838, top: mm(20.0), bottom: mm(20.0), left: mm(30.0), right: mm(15.0) };
    let defaults = Defaults { font: "Times New Roman".into(), size: 28, line: 264 };
    package(&blocks(r), page, &defaults, draft.then_some("DỰ THẢO"), "vi-VN")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_as_written_in_vietnamese() {
        assert_eq!(num(87.5), "87,5");
        assert_eq!(num(20.0), "20");
        assert_eq!(num(12.346), "12,35");
        assert_eq!(percent(0.875), "87,5%");
        assert_eq!(plan_subject("Kế hoạch xây dựng mô hình."), "về xây dựng mô hình");
        assert_eq!(plan_subject("Triển khai mô hình"), "về Triển khai mô hình");
    }
}
