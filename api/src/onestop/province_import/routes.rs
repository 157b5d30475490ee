//! HTTP handler of the dossier import (`POST /onestop/import`).

use actix_multipart::Multipart;
use actix_web::{HttpRequest, post, web};
use utoipa::ToSchema;

use super::service::{self, ImportSummary};
use crate::auth::{Allowed, can};
use crate::error::{AppError, AppResult};
use crate::http::files::{PartBody, read_multipart};
use crate::http::media_type;

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
const REQUEST_BUDGET: usize = 2 * service::MAX_IMPORT_BYTES + 1024 * 1024;

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
        (status = 503, description = "`uploads_busy`: the uploads in flight fill the server's budget; retry after `Retry-After` seconds", body = crate::error::Problem),
        (status = 422, description = "Bad rows (`required`, `invalid_date`, `unknown_procedure`, `invalid_status`, `impossible_sequence`, `duplicate_in_file`, `code_taken`, …) or an unreadable file (`invalid_encoding`, `invalid_format`, `unsupported_format`)", body = crate::error::Problem)
    )
)]
#[post("/onestop/import")]
pub async fn import_dossiers(
    user: Allowed<can::ImportDossiers>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<web::Json<ImportSummary>> {
    user.commune()?;
    if media_type(&req) != "multipart/form-data" {
        return Err(AppError::UnsupportedMediaType);
    }
    let form = Multipart::new(req.headers(), payload);
    // The file is streamed to a temporary file (`spool`), never held whole while it arrives.
    let parts = read_multipart(form, &user.state.spool, |_| service::MAX_IMPORT_BYTES, REQUEST_BUDGET).await?;
    let mut file: Option<(String, PartBody)> = None;
    for part in parts {
        match (part.name.as_str(), part.body) {
            ("file", PartBody::TooLarge) => return Err(AppError::PayloadTooLarge),
            ("file", body) if file.is_none() => {
                let name = part.file_name.unwrap_or_default().chars().take(200).collect();
                file = Some((name, body));
            }
            ("file", _) => return Err(AppError::field("file", "already_exists", "Chỉ gửi một tệp mỗi lần.")),
            _ => return Err(AppError::field(&part.name, "unknown_field", "Trường này không được phép gửi.")),
        }
    }
    let (file_name, body) = file.ok_or_else(|| AppError::field("file", "required", "Cần tệp CSV hoặc XLSX."))?;
    // The parser reads the whole file (bounded by `MAX_IMPORT_BYTES`); the temporary file is
    // deleted when `body` is dropped, on every path.
    let bytes = match body {
        PartBody::File(f) => web::block(move || f.read_all()).await?.map_err(|e| AppError::io("upload", e))?,
        PartBody::Bytes(b) => b,
        PartBody::TooLarge => return Err(AppError::PayloadTooLarge),
    };
    Ok(web::Json(user.act(move |c, caller| service::import(c, caller, &file_name, &bytes)).await?))
}

/// Registers the import route.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_dossiers);
}
