//! HTTP handlers of the dossiers: `/api/v1/dossiers`, the register downloads and the citizen's
//! lookup `/api/v1/public/dossiers/{code}`.

use actix_web::{HttpResponse, get, patch, post, web};

use super::service;
use crate::auth::{Allowed, Permission, can, has_permission};
use crate::error::{AppError, AppResult};
use crate::http::files::{csv_download, xlsx_download};
use crate::http::{JsonBody, Page, Paging, Path, Query};
use crate::onestop::model::*;
use crate::onestop::stats::indicators;
use crate::tabular;

/// Receives a dossier: code `{unit}-{yyMMdd}-{NNNN}` and the appointment from the calendar.
#[utoipa::path(
    tag = "onestop",
    request_body = CreateDossier,
    responses((status = 201, description = "Received", body = Dossier))
)]
#[post("/dossiers")]
pub async fn create_dossier(
    user: Allowed<can::ProcessDossiers>,
    body: JsonBody<CreateDossier>,
) -> AppResult<HttpResponse> {
    user.commune()?;
    let personal = has_permission(user.role, Permission::ReadPersonalData);
    // At most `AppState::intake_turns` intakes at once; the others wait here, in order.
    let _turn = user.state.intake_turns.acquire().await.map_err(|_| AppError::Unavailable("intake closed".into()))?;
    // The dossier as its transaction returned it: reading it back would cost two statements.
    let (row, procedure) = user.act(move |c, caller| service::intake(c, caller, body.0)).await?;
    Ok(HttpResponse::Created().json(service::dossier_api(row, &procedure, personal, chrono::Utc::now().naive_utc())))
}

/// The appointment a dossier would get (live preview of the intake form).
#[utoipa::path(
    tag = "onestop",
    request_body = PreviewDue,
    responses((status = 200, description = "The appointment", body = crate::calendar::model::DueResult))
)]
#[post("/dossiers/preview-due")]
pub async fn preview_due(
    user: Allowed<can::ProcessDossiers>,
    body: JsonBody<PreviewDue>,
) -> AppResult<web::Json<crate::calendar::model::DueResult>> {
    let due_at = user.in_commune(move |c, commune| service::preview_due(c, commune, body.0)).await?;
    Ok(web::Json(crate::calendar::model::DueResult { due_at }))
}

/// Dossiers of the commune: filters, search, and the `today`, `due_soon`, `overdue` views.
/// Applicant data is masked unless the caller may read personal data.
#[utoipa::path(
    tag = "onestop",
    params(DossierFilter),
    responses((status = 200, description = "A page of dossiers", body = Page<Dossier>))
)]
#[get("/dossiers")]
pub async fn list_dossiers(
    user: Allowed<can::ReadDossiers>,
    q: Query<DossierFilter>,
) -> AppResult<web::Json<Page<Dossier>>> {
    // Staff list their own commune; oversight users list one commune they oversee
    // (`commune_id`), always without personal data, to see the dossiers behind a figure.
    let personal = user.commune_id.is_some() && has_permission(user.role, Permission::ReadPersonalData);
    let paging = Paging::new(q.page, q.per_page)?;
    let f = q.into_inner();
    let (items, total) = user
        .act(move |c, caller| {
            let commune = indicators::one_commune(c, caller, f.commune_id, "Chọn xã để xem danh sách hồ sơ.")?;
            service::list_dossiers(c, commune, personal, &f, paging)
        })
        .await?;
    Ok(web::Json(paging.wrap(items, total)))
}

/// Form 07: the dossier register of a period (local dates, inclusive).
#[utoipa::path(
    tag = "onestop",
    params(RegisterQuery),
    responses((status = 200, description = "The register", body = RegisterData))
)]
#[get("/dossiers/register")]
pub async fn register(
    user: Allowed<can::ReadPersonalData>,
    q: Query<RegisterQuery>,
) -> AppResult<web::Json<RegisterData>> {
    let (from, to) = (q.from, q.to);
    Ok(web::Json(user.in_commune(move |c, commune| service::register(c, commune, from, to)).await?))
}

/// One dossier with its events, timeliness, flags and the actions allowed now.
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Dossier id")),
    responses((status = 200, description = "The dossier", body = DossierDetail))
)]
#[get("/dossiers/{id}")]
pub async fn get_dossier(user: Allowed<can::ReadDossiers>, id: Path<i64>) -> AppResult<web::Json<DossierDetail>> {
    let personal = has_permission(user.role, Permission::ReadPersonalData);
    Ok(web::Json(user.in_commune(move |c, commune| service::get_dossier(c, commune, id.into_inner(), personal)).await?))
}

/// Sets the flags: paid online, digitised, electronic result.
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Dossier id")),
    request_body = UpdateFlags,
    responses((status = 200, description = "Updated", body = DossierDetail))
)]
#[patch("/dossiers/{id}")]
pub async fn update_dossier(
    user: Allowed<can::ProcessDossiers>,
    id: Path<i64>,
    body: JsonBody<UpdateFlags>,
) -> AppResult<web::Json<DossierDetail>> {
    let s = user.caller.clone();
    let id = id.into_inner();
    Ok(web::Json(
        user.in_commune(move |c, commune| {
            service::update_flags(c, &s, id, body.0)?;
            service::get_dossier(c, commune, id, true)
        })
        .await?,
    ))
}

/// Applies a lifecycle action. Illegal transitions answer 409 `invalid_transition`;
/// resolving an overdue dossier before an apology answers 409 `apology_required`.
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Dossier id")),
    request_body = ActionBody,
    responses(
        (status = 200, description = "Applied", body = DossierDetail),
        (status = 409, description = "`invalid_transition`, `apology_required` or `invalid_new_due`", body = crate::error::Problem)
    )
)]
#[post("/dossiers/{id}/actions")]
pub async fn act(
    user: Allowed<can::ProcessDossiers>,
    id: Path<i64>,
    body: JsonBody<ActionBody>,
) -> AppResult<web::Json<DossierDetail>> {
    let s = user.caller.clone();
    let id = id.into_inner();
    let out = user
        .in_commune(move |c, commune| {
            service::act(c, &s, id, body.0)?;
            service::get_dossier(c, commune, id, true)
        })
        .await?;
    Ok(web::Json(out))
}

/// Data of printable form 01, 02, 03, 04 or 06 (`form_not_applicable` when the dossier has
/// no matching event).
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Dossier id"), ("form" = String, Path, description = "01–06, by the Thông tư 03/2025 numbering")),
    responses(
        (status = 200, description = "The form's data", body = FormData),
        (status = 409, description = "`form_not_applicable`", body = crate::error::Problem)
    )
)]
#[get("/dossiers/{id}/forms/{form}")]
pub async fn form(user: Allowed<can::ReadPersonalData>, path: Path<(i64, String)>) -> AppResult<web::Json<FormData>> {
    let (id, form) = path.into_inner();
    Ok(web::Json(
        user.in_commune(move |c, commune| {
            let mut data = service::form(c, commune, id, &form)?;
            // The receipt's QR carries the link's random token (see `lookup_guard`).
            data.lookup_path = super::lookup_guard::public_path(c, id, &data.dossier.code)?;
            Ok(data)
        })
        .await?,
    ))
}

async fn register_table(user: &Allowed<can::ReadDossiers>, q: RegisterQuery) -> AppResult<Vec<Vec<tabular::Cell>>> {
    let personal = has_permission(user.role, Permission::ReadPersonalData);
    user.in_commune(move |c, commune| super::register::register_table(c, commune, personal, q.from, q.to)).await
}

/// The dossier register (form 07) of dossiers received in a period, as CSV (UTF-8 with BOM).
/// Applicant name, phone and address are masked unless the caller may read personal data.
#[utoipa::path(
    tag = "onestop",
    params(RegisterQuery),
    responses((status = 200, description = "CSV file", content_type = "text/csv", body = String))
)]
#[get("/onestop/register.csv")]
pub async fn register_csv(user: Allowed<can::ReadDossiers>, q: Query<RegisterQuery>) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let name = super::register::register_file_name(q.from, q.to, "csv");
    let table = register_table(&user, q).await?;
    Ok(csv_download(&name, &table))
}

/// The dossier register (form 07) of dossiers received in a period, as an XLSX workbook.
/// Applicant name, phone and address are masked unless the caller may read personal data.
#[utoipa::path(
    tag = "onestop",
    params(RegisterQuery),
    responses((status = 200, description = "XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>))
)]
#[get("/onestop/register.xlsx")]
pub async fn register_xlsx(user: Allowed<can::ReadDossiers>, q: Query<RegisterQuery>) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let name = super::register::register_file_name(q.from, q.to, "xlsx");
    let table = register_table(&user, q).await?;
    Ok(xlsx_download(&name, "Sổ theo dõi hồ sơ", &table))
}

/// Records a counter guidance (form 02, the dossier is incomplete) or a counter refusal (form
/// 03): not a dossier — no number, not counted as received or in any 766 figure.
#[utoipa::path(
    tag = "onestop",
    request_body = CreateCounterRecord,
    responses((status = 201, description = "Recorded", body = CounterRecord))
)]
#[post("/onestop/counter-records")]
pub async fn create_counter_record(
    user: Allowed<can::ProcessDossiers>,
    body: JsonBody<CreateCounterRecord>,
) -> AppResult<HttpResponse> {
    user.commune()?;
    let personal = has_permission(user.role, Permission::ReadPersonalData);
    let (row, p) = user.act(move |c, caller| super::counter::create(c, caller, body.0)).await?;
    Ok(HttpResponse::Created().json(super::counter::record_api(row, &p, personal)))
}

/// Counter guidance and refusals of a period, newest first (masked without personal data).
#[utoipa::path(
    tag = "onestop",
    params(CounterFilter),
    responses((status = 200, description = "A page of counter records", body = Page<CounterRecord>))
)]
#[get("/onestop/counter-records")]
pub async fn list_counter_records(
    user: Allowed<can::ReadDossiers>,
    q: Query<CounterFilter>,
) -> AppResult<web::Json<Page<CounterRecord>>> {
    let personal = has_permission(user.role, Permission::ReadPersonalData);
    let paging = Paging::new(q.page, q.per_page)?;
    let f = q.into_inner();
    let (items, total) =
        user.in_commune(move |c, commune| super::counter::list(c, commune, personal, &f, paging)).await?;
    Ok(web::Json(paging.wrap(items, total)))
}

/// The printed form of a counter record: 02 (guidance) or 03 (refusal).
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Counter record id")),
    responses((status = 200, description = "The form's data", body = CounterFormData))
)]
#[get("/onestop/counter-records/{id}/form")]
pub async fn counter_record_form(
    user: Allowed<can::ReadPersonalData>,
    id: Path<i64>,
) -> AppResult<web::Json<CounterFormData>> {
    Ok(web::Json(user.in_commune(move |c, commune| super::counter::form(c, commune, id.into_inner())).await?))
}

/// Registers the routes (fixed paths before `{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_dossier)
        .service(preview_due)
        .service(list_dossiers)
        .service(register)
        .service(get_dossier)
        .service(update_dossier)
        .service(act)
        .service(form)
        .service(super::lookup_guard::routes::public_lookup)
        .service(super::lookup_guard::routes::get_lookup_lock)
        .service(super::lookup_guard::routes::delete_lookup_lock)
        .service(register_csv)
        .service(register_xlsx)
        .service(create_counter_record)
        .service(list_counter_records)
        .service(counter_record_form);
}
