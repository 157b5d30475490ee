//! Routes of the dossier import (`POST /onestop/import`) and the register export
//! (`GET /onestop/register.csv|.xlsx`).

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt as _;
use utoipa::ToSchema;

use super::export;
use super::import::{self, ImportSummary};
use super::model::RegisterQuery;
use super::service::Staff;
use crate::AppState;
use crate::auth::{AuthUser, Permission, has_permission};
use crate::db::run;
use crate::error::{AppError, AppResult};
use crate::tabular;

/// Multipart form of `POST /onestop/import` (documentation only).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct DossierImportForm {
    /// The province one-stop export: CSV (UTF-8, with or without BOM; `,` or `;`) or XLSX,
    /// header row with the national field names. At most 64 MiB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Beyond this the request is cut off instead of drained (the file cap plus the form's
/// overhead and one more file's worth).
const REQUEST_BUDGET: usize = 2 * import::MAX_IMPORT_BYTES + 1024 * 1024;

/// Reads one multipart field, up to `limit` bytes; `Ok(None)` when it was larger (the rest is
/// read and dropped so the client gets the answer).
async fn read_field(
    field: &mut actix_multipart::Field,
    limit: usize,
    budget: &mut usize,
) -> AppResult<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::MalformedBody(e.to_string()))?;
        *budget = budget.checked_sub(chunk.len()).ok_or(AppError::PayloadTooLarge)?;
        if over || buf.len() + chunk.len() > limit {
            over = true;
            buf = Vec::new();
            continue;
        }
        buf.extend_from_slice(&chunk);
    }
    Ok((!over).then_some(buf))
}

/// Imports dossiers exported by the province's one-stop system (multipart `file`, CSV or
/// XLSX by content). Columns by national field name: `MaHoSo`, `MaTTHC`, `NgayTiepNhan`,
/// `NgayHenTra`, `TrangThaiHoSo` required; `TenTTHC`, `KenhThucHien`, `NgayKetThucXuLy`,
/// `NgayTra`, `DuocThanhToanTrucTuyen`, `HoSoCoThanhPhanSoHoa`, `ChuHoSo`, `SoDienThoai`,
/// `SoDinhDanh`, `DiaChi`, `KetQuaDienTu`, `SoLanYeuCauBoSung` optional. Idempotent on
/// `MaHoSo`. Any bad row: 422 listing every bad row as `rows[<line>].<Column>` and nothing is
/// written.
#[utoipa::path(
    tag = "onestop",
    request_body(content = inline(DossierImportForm), content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Imported", body = ImportSummary),
        (status = 413, description = "Larger than 64 MiB", body = crate::error::Problem),
        (status = 422, description = "Bad rows (`required`, `invalid_date`, `unknown_procedure`, `invalid_status`, `impossible_sequence`, `duplicate_in_file`, `code_taken`, …) or an unreadable file (`invalid_encoding`, `invalid_format`, `unsupported_format`)", body = crate::error::Problem)
    ),
    security(("bearer" = []))
)]
#[post("/onestop/import")]
pub async fn import_dossiers(
    user: AuthUser,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<web::Json<ImportSummary>> {
    user.require(Permission::ImportDossiers)?;
    let staff = Staff {
        actor: user.actor(),
        user_id: user.id,
        full_name: user.full_name.clone(),
        unit_id: user.unit_id,
        commune_id: user.commune()?,
    };
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    if ct != "multipart/form-data" {
        return Err(AppError::UnsupportedMediaType);
    }
    let mut budget = REQUEST_BUDGET;
    let mut form = Multipart::new(req.headers(), payload);
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::MalformedBody(e.to_string()))?;
        let name = field.name().unwrap_or("").to_string();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(|n| n.chars().take(200).collect::<String>())
            .unwrap_or_default();
        let data = read_field(&mut field, import::MAX_IMPORT_BYTES, &mut budget).await?;
        match (name.as_str(), data) {
            ("file", Some(bytes)) if file.is_none() => file = Some((file_name, bytes)),
            ("file", None) => too_large = true,
            ("file", Some(_)) => return Err(AppError::field("file", "already_exists", "Chỉ gửi một tệp mỗi lần.")),
            _ => return Err(AppError::field(&name, "unknown_field", "Trường này không được phép gửi.")),
        }
    }
    if too_large {
        return Err(AppError::PayloadTooLarge);
    }
    let (file_name, bytes) = file.ok_or_else(|| AppError::field("file", "required", "Cần tệp CSV hoặc XLSX."))?;
    Ok(web::Json(run(&state.pool, move |c| import::import(c, &staff, &file_name, &bytes)).await?))
}

async fn register_table(user: &AuthUser, state: &AppState, q: RegisterQuery) -> AppResult<Vec<Vec<tabular::Cell>>> {
    user.require(Permission::ReadStatistics)?;
    let commune = user.commune()?;
    let personal = has_permission(user.role, Permission::ReadPersonalData);
    run(&state.pool, move |c| export::register_table(c, commune, personal, q.from, q.to)).await
}

fn download(content_type: &str, file_name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// The dossier register (form 07) of dossiers received in a period, as CSV (UTF-8 with BOM).
/// Applicant name, phone and address are masked unless the caller may read personal data.
#[utoipa::path(
    tag = "onestop",
    params(RegisterQuery),
    responses((status = 200, description = "CSV file", content_type = "text/csv", body = String)),
    security(("bearer" = []))
)]
#[get("/onestop/register.csv")]
pub async fn register_csv(
    user: AuthUser,
    state: web::Data<AppState>,
    q: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let name = export::register_file_name(q.from, q.to, "csv");
    let table = register_table(&user, &state, q).await?;
    Ok(download(tabular::CSV_CONTENT_TYPE, &name, tabular::to_csv(&table).into_bytes()))
}

/// The dossier register (form 07) of dossiers received in a period, as an XLSX workbook.
/// Applicant name, phone and address are masked unless the caller may read personal data.
#[utoipa::path(
    tag = "onestop",
    params(RegisterQuery),
    responses((status = 200, description = "XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)),
    security(("bearer" = []))
)]
#[get("/onestop/register.xlsx")]
pub async fn register_xlsx(
    user: AuthUser,
    state: web::Data<AppState>,
    q: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let name = export::register_file_name(q.from, q.to, "xlsx");
    let table = register_table(&user, &state, q).await?;
    Ok(download(tabular::XLSX_CONTENT_TYPE, &name, tabular::to_xlsx("Sổ theo dõi hồ sơ", &table)))
}

/// Registers the import and export routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_dossiers).service(register_csv).service(register_xlsx);
}
