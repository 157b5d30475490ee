//! Routes of the one-stop statistics: indicators, online levels, targets, the 766 index, and
//! their CSV/XLSX exports. Readable by every role holding `ReadStatistics`; oversight users
//! read the communes under their authority (summed, or one with `commune_id`).

use actix_web::{HttpResponse, get, put, web};

use super::index766::{self, Index766};
use super::indicators::{self, IndicatorQuery, IndicatorReport, IndicatorRow};
use super::levels::{self, LevelsQuery, OnlineLevels, PutTarget, Target};
use crate::auth::{Allowed, can};
use crate::error::AppResult;
use crate::http::files::{csv_download, xlsx_download};
use crate::http::{JsonBody, Path, Query};
use crate::tabular::Cell;

/// Query of the 766 index.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IndexQuery {
    /// First day of the period (local date, inclusive); default 1 January of this year.
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period (local date, inclusive); default today.
    pub to: Option<chrono::NaiveDate>,
    pub commune_id: Option<i64>,
}

async fn indicator_report(user: Allowed<can::ReadStatistics>, q: IndicatorQuery) -> AppResult<IndicatorReport> {
    let p = indicators::period(q.from, q.to)?;
    user.act(move |c, caller| {
        let communes = indicators::scope(c, caller, q.commune_id)?;
        indicators::report(c, communes, p, q.group_by)
    })
    .await
}

async fn index_report(user: Allowed<can::ReadStatistics>, q: IndexQuery) -> AppResult<Index766> {
    let p = indicators::period(q.from, q.to)?;
    user.act(move |c, caller| {
        let communes = indicators::scope(c, caller, q.commune_id)?;
        index766::index(c, communes, p)
    })
    .await
}

/// One-stop indicators of a period: counts, timeliness, processing time (working days),
/// channels and shares, overall and grouped by procedure, field, month or commune.
#[utoipa::path(
    tag = "onestop",
    params(IndicatorQuery),
    responses((status = 200, description = "The indicators", body = IndicatorReport))
)]
#[get("/onestop/indicators")]
pub async fn get_indicators(
    user: Allowed<can::ReadStatistics>,
    q: Query<IndicatorQuery>,
) -> AppResult<web::Json<IndicatorReport>> {
    Ok(web::Json(indicator_report(user, q.into_inner()).await?))
}

/// The Quyết định 766 service-quality index of a period.
#[utoipa::path(
    tag = "onestop",
    params(IndexQuery),
    responses((status = 200, description = "The index", body = Index766))
)]
#[get("/onestop/index766")]
pub async fn get_index766(user: Allowed<can::ReadStatistics>, q: Query<IndexQuery>) -> AppResult<web::Json<Index766>> {
    Ok(web::Json(index_report(user, q.into_inner()).await?))
}

/// Online service levels of the catalogue in a year: now, month by month, and the target.
#[utoipa::path(
    tag = "onestop",
    params(LevelsQuery),
    responses((status = 200, description = "The levels", body = OnlineLevels))
)]
#[get("/onestop/online-levels")]
pub async fn get_online_levels(
    user: Allowed<can::ReadStatistics>,
    q: Query<LevelsQuery>,
) -> AppResult<web::Json<OnlineLevels>> {
    let levels = levels_report(user, q.into_inner()).await?;
    Ok(web::Json(levels))
}

async fn levels_report(user: Allowed<can::ReadStatistics>, q: LevelsQuery) -> AppResult<OnlineLevels> {
    user.act(move |c, caller| {
        let communes = indicators::scope(c, caller, q.commune_id)?;
        levels::online_levels(c, &communes, q.year, q.as_of)
    })
    .await
}

/// The online levels as a table: the month-by-month trend, then each procedure (one commune).
pub fn levels_table(r: &OnlineLevels) -> Vec<Vec<Cell>> {
    let level = |l: crate::onestop::model::OnlineLevel| l.label_vi();
    let mut t = vec![
        [
            "Tháng",
            "Tính đến ngày",
            "Tổng số TTHC",
            "Toàn trình (trước đây mức độ 4)",
            "Một phần (trước đây mức độ 3)",
            "Chưa trực tuyến",
            "Tỷ lệ trực tuyến",
        ]
        .iter()
        .map(|h| text(h))
        .collect::<Vec<_>>(),
    ];
    for m in &r.trend {
        let share = if m.total > 0 { (m.full + m.partial) as f64 / m.total as f64 } else { 0.0 };
        t.push(vec![
            text(m.month.as_deref().unwrap_or("")),
            Cell::day(m.as_of, m.as_of.format("%d/%m/%Y").to_string()),
            int(m.total),
            int(m.full),
            int(m.partial),
            int(m.none),
            Cell::Rate(share),
        ]);
    }
    if let Some(target) = &r.target {
        let mut row = vec![text(&format!("Mục tiêu năm {}", target.year))];
        row.extend((0..5).map(|_| text("")));
        row.push(Cell::Rate(target.online_share));
        t.push(row);
    }
    if !r.procedures.is_empty() {
        t.push(Vec::new());
        t.push(["Mã TTHC", "Tên thủ tục", "Lĩnh vực", "Mức độ"].iter().map(|h| text(h)).collect());
        for p in &r.procedures {
            t.push(vec![text(&p.code), text(&p.name), text(&p.field), text(level(p.level))]);
        }
    }
    t
}

/// Online levels (trend and procedures) as CSV (UTF-8 with BOM).
#[utoipa::path(
    tag = "onestop",
    params(LevelsQuery),
    responses((status = 200, description = "CSV file", content_type = "text/csv", body = String))
)]
#[get("/onestop/online-levels.csv")]
pub async fn levels_csv(user: Allowed<can::ReadStatistics>, q: Query<LevelsQuery>) -> AppResult<HttpResponse> {
    let r = levels_report(user, q.into_inner()).await?;
    Ok(csv_download(&format!("muc-do-truc-tuyen-{}.csv", r.as_of.format("%Y%m%d")), &levels_table(&r)))
}

/// Online levels (trend and procedures) as an XLSX workbook.
#[utoipa::path(
    tag = "onestop",
    params(LevelsQuery),
    responses((status = 200, description = "XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>))
)]
#[get("/onestop/online-levels.xlsx")]
pub async fn levels_xlsx(user: Allowed<can::ReadStatistics>, q: Query<LevelsQuery>) -> AppResult<HttpResponse> {
    let r = levels_report(user, q.into_inner()).await?;
    Ok(xlsx_download(
        &format!("muc-do-truc-tuyen-{}.xlsx", r.as_of.format("%Y%m%d")),
        "Mức độ trực tuyến",
        &levels_table(&r),
    ))
}

/// Sets the commune's online-service target for a year (the board's decision).
#[utoipa::path(
    tag = "onestop",
    params(("year" = i32, Path, description = "The year")),
    request_body = PutTarget,
    responses((status = 200, description = "The target", body = Target))
)]
#[put("/onestop/targets/{year}")]
pub async fn put_target(
    user: Allowed<can::SetTargets>,
    year: Path<i32>,
    body: JsonBody<PutTarget>,
) -> AppResult<web::Json<Target>> {
    let actor = user.actor();
    let user_id = user.id;
    Ok(web::Json(
        user.in_commune(move |c, commune| levels::put_target(c, &actor, user_id, commune, year.into_inner(), body.0))
            .await?,
    ))
}

fn num(x: f64) -> Cell {
    Cell::Number(x)
}

fn opt(x: Option<f64>) -> Cell {
    x.map_or_else(|| Cell::Text(String::new()), Cell::Number)
}

/// A ratio shown as a percentage by a spreadsheet; empty when there is none.
fn rate(x: Option<f64>) -> Cell {
    x.map_or_else(|| Cell::Text(String::new()), Cell::Rate)
}

fn int(x: i64) -> Cell {
    Cell::Number(x as f64)
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// The indicator report as a table: a header, the overall row, then the groups.
pub fn indicator_table(r: &IndicatorReport) -> Vec<Vec<Cell>> {
    let header = [
        "Nhóm",
        "Mã TTHC",
        "Lĩnh vực",
        "Thời hạn (ngày làm việc)",
        "Tiếp nhận",
        "Đã giải quyết",
        "Đã trả kết quả",
        "Đang giải quyết cuối kỳ",
        "Trước hạn",
        "Đúng hạn",
        // As the dashboard names them: resolved late is "quá hạn"; still open, by its deadline.
        "Quá hạn",
        "Đang giải quyết, quá hạn",
        "Đang giải quyết, chưa đến hạn",
        "Tỷ lệ đúng hạn",
        "Thời gian TB (ngày)",
        "Trung vị (ngày)",
        "P90 (ngày)",
        "Trực tiếp",
        "Trực tuyến",
        "Bưu chính",
        "Tỷ lệ trực tuyến",
        "Tỷ lệ thanh toán trực tuyến",
        "Tỷ lệ số hóa",
        "Tỷ lệ kết quả điện tử",
        "Lấy từ kho dữ liệu quốc gia",
        "Quá hạn không xin lỗi đúng hạn",
        "Hướng dẫn tại quầy (không tiếp nhận)",
        "Từ chối tại quầy (không tiếp nhận)",
    ];
    let line = |g: &IndicatorRow| {
        vec![
            text(&g.label),
            text(g.procedure_code.as_deref().unwrap_or("")),
            text(g.field.as_deref().unwrap_or("")),
            opt(g.limit_days),
            int(g.received),
            int(g.resolved),
            int(g.returned),
            int(g.in_progress),
            int(g.early),
            int(g.on_time),
            int(g.late),
            int(g.open_overdue),
            int(g.open_not_due),
            rate(g.on_time_rate),
            opt(g.processing_days.mean),
            opt(g.processing_days.median),
            opt(g.processing_days.p90),
            int(g.channels.in_person),
            int(g.channels.online),
            int(g.channels.postal),
            Cell::Rate(g.online_share),
            Cell::Rate(g.paid_online_share),
            Cell::Rate(g.digitised_share),
            Cell::Rate(g.electronic_result_share),
            int(g.from_data_store),
            int(g.late_without_apology),
            int(g.counter_guidance),
            int(g.counter_refusals),
        ]
    };
    let mut t = vec![header.iter().map(|h| text(h)).collect::<Vec<_>>()];
    t.push(line(&r.overall));
    t.extend(r.groups.iter().map(line));
    t
}

/// The 766 index as a table.
pub fn index_table(r: &Index766) -> Vec<Vec<Cell>> {
    let mut t = vec![
        ["Mã", "Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Điểm tối đa", "Áp dụng", "Lý do"]
            .iter()
            .map(|h| text(h))
            .collect::<Vec<_>>(),
    ];
    for i in &r.indicators {
        t.push(vec![
            text(&i.code),
            text(&i.name),
            int(i.numerator),
            int(i.denominator),
            Cell::Rate(i.ratio),
            num(i.score),
            num(i.max_score),
            text(if i.applicable { "Có" } else { "Không" }),
            text(i.reason.as_deref().unwrap_or("")),
        ]);
    }
    t.push(vec![
        text(""),
        text("Tổng"),
        text(""),
        text(""),
        rate(r.percent.map(|p| p / 100.0)),
        num(r.total),
        num(r.max),
        text(""),
        text(""),
    ]);
    // The reading of the score: with its band, or "x / y điểm đo được (trên 100)" and no band
    // when less than the rating minimum can be measured.
    let band = match r.band {
        Some(index766::Band::Excellent) => "Xuất sắc",
        Some(index766::Band::Good) => "Tốt",
        Some(index766::Band::Fair) => "Khá",
        Some(index766::Band::Average) => "Trung bình",
        Some(index766::Band::Weak) => "Yếu",
        None => "Không xếp loại: các chỉ số đo được chưa đủ 80 điểm",
    };
    t.push(vec![
        text(""),
        text("Kết quả"),
        text(&r.summary),
        text(""),
        text(""),
        text(""),
        text(""),
        text(""),
        text(band),
    ]);
    t
}

fn file_name(stem: &str, from: chrono::NaiveDate, to: chrono::NaiveDate, ext: &str) -> String {
    format!("{stem}-{}-{}.{ext}", from.format("%Y%m%d"), to.format("%Y%m%d"))
}

/// The indicator table as CSV (UTF-8 with BOM).
#[utoipa::path(
    tag = "onestop",
    params(IndicatorQuery),
    responses((status = 200, description = "CSV file", content_type = "text/csv", body = String))
)]
#[get("/onestop/indicators.csv")]
pub async fn indicators_csv(user: Allowed<can::ReadStatistics>, q: Query<IndicatorQuery>) -> AppResult<HttpResponse> {
    let r = indicator_report(user, q.into_inner()).await?;
    Ok(csv_download(&file_name("chi-so-mot-cua", r.from, r.to, "csv"), &indicator_table(&r)))
}

/// The indicator table as an XLSX workbook.
#[utoipa::path(
    tag = "onestop",
    params(IndicatorQuery),
    responses((status = 200, description = "XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>))
)]
#[get("/onestop/indicators.xlsx")]
pub async fn indicators_xlsx(user: Allowed<can::ReadStatistics>, q: Query<IndicatorQuery>) -> AppResult<HttpResponse> {
    let r = indicator_report(user, q.into_inner()).await?;
    Ok(xlsx_download(&file_name("chi-so-mot-cua", r.from, r.to, "xlsx"), "Chỉ số", &indicator_table(&r)))
}

/// The 766 index as CSV (UTF-8 with BOM).
#[utoipa::path(
    tag = "onestop",
    params(IndexQuery),
    responses((status = 200, description = "CSV file", content_type = "text/csv", body = String))
)]
#[get("/onestop/index766.csv")]
pub async fn index766_csv(user: Allowed<can::ReadStatistics>, q: Query<IndexQuery>) -> AppResult<HttpResponse> {
    let r = index_report(user, q.into_inner()).await?;
    Ok(csv_download(&file_name("chi-so-766", r.from, r.to, "csv"), &index_table(&r)))
}

/// The 766 index as an XLSX workbook.
#[utoipa::path(
    tag = "onestop",
    params(IndexQuery),
    responses((status = 200, description = "XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>))
)]
#[get("/onestop/index766.xlsx")]
pub async fn index766_xlsx(user: Allowed<can::ReadStatistics>, q: Query<IndexQuery>) -> AppResult<HttpResponse> {
    let r = index_report(user, q.into_inner()).await?;
    Ok(xlsx_download(&file_name("chi-so-766", r.from, r.to, "xlsx"), "Chỉ số 766", &index_table(&r)))
}

/// Registers the statistics routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_indicators)
        .service(indicators_csv)
        .service(indicators_xlsx)
        .service(get_index766)
        .service(index766_csv)
        .service(index766_xlsx)
        .service(get_online_levels)
        .service(levels_csv)
        .service(levels_xlsx)
        .service(put_target);
}
