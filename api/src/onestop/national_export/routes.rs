//! HTTP handler of `GET /onestop/national-export`.

use actix_web::{HttpResponse, get};

use super::model::{NationalExport, NationalExportQuery};
use super::service;
use crate::auth::{Allowed, Permission, can};
use crate::error::{AppError, AppResult};
use crate::http::Query;
use crate::http::files::csv_download;
use crate::onestop::stats::indicators;

/// Dossiers received in a period as the national synchronisation record (HoSoDongBoDVC:
/// `MaHoSo`, `MaTTHC`, `TenTTHC`, `MaLinhVuc`, `KenhThucHien`, `ChuHoSo`, `NgayTiepNhan`,
/// `NgayHenTra`, `TrangThaiHoSo`, `NgayKetThucXuLy`, `NgayTra`, the flags, `QuaTrinhXuLy`…),
/// as JSON or CSV. Applicant fields are masked unless the caller may read personal data
/// (keys and oversight: always masked). Reading only; the province import reads it back.
#[utoipa::path(
    tag = "onestop",
    params(NationalExportQuery),
    responses(
        (status = 200, description = "The record: JSON, or CSV (UTF-8 with BOM) with `format=csv`", content(
            (NationalExport = "application/json"),
            (String = "text/csv")
        )),
        (status = 422, description = "Bad period or format", body = crate::error::Problem)
    )
)]
#[get("/onestop/national-export")]
pub async fn national_export(
    user: Allowed<can::ReadDossiers>,
    q: Query<NationalExportQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let csv = match q.format.as_deref().unwrap_or("json") {
        "json" => false,
        "csv" => true,
        _ => return Err(AppError::field("format", "invalid_value", "Định dạng là json hoặc csv.")),
    };
    // Staff export their own commune; oversight users and province keys one they oversee,
    // always masked.
    let personal = user.commune_id.is_some() && user.may(Permission::ReadPersonalData);
    let export = user
        .act(move |c, caller| {
            let commune = indicators::one_commune(c, caller, q.commune_id, "Chọn xã để xuất hồ sơ.")?;
            service::export(c, commune, personal, q.from, q.to)
        })
        .await?;
    if csv {
        let name = format!("HoSoDongBoDVC_{}_{}.csv", export.from.format("%Y%m%d"), export.to.format("%Y%m%d"));
        Ok(csv_download(&name, &service::csv_table(&export)?))
    } else {
        Ok(HttpResponse::Ok().json(export))
    }
}

/// Registers the export route.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(national_export);
}
