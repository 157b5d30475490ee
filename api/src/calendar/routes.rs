//! `/api/v1/calendar/...`: lunar conversion, working days, overrides, hours, deadlines.

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::NaiveDate;

use super::model::*;
use super::{lunar, service};
use crate::auth::{AuthUser, Permission};
use crate::db::run;
use crate::error::{AppError, AppResult, Validator};
use crate::http::JsonBody;
use crate::state::AppState;
use crate::time::{rfc, to_local, to_utc};

/// Solar → Vietnamese lunar date (UTC+7).
#[utoipa::path(
    tag = "calendar",
    params(LunarQuery),
    responses(
        (status = 200, description = "The lunar date", body = LunarDateDto),
        (status = 422, description = "Outside 1900–2199", body = crate::error::Problem)
    ),
    security(("bearer" = []))
)]
#[get("/calendar/lunar")]
pub async fn lunar_date(_user: AuthUser, q: web::Query<LunarQuery>) -> AppResult<web::Json<LunarDateDto>> {
    let l = lunar::to_lunar(q.date)
        .ok_or_else(|| AppError::field("date", "invalid_value", "Chỉ hỗ trợ từ năm 1900 đến 2199."))?;
    Ok(web::Json(LunarDateDto { year: l.year, month: l.month, day: l.day, leap_month: l.leap_month }))
}

/// Vietnamese lunar → solar date.
#[utoipa::path(
    tag = "calendar",
    params(SolarQuery),
    responses(
        (status = 200, description = "The solar date", body = SolarDateDto),
        (status = 422, description = "No such lunar date", body = crate::error::Problem)
    ),
    security(("bearer" = []))
)]
#[get("/calendar/solar")]
pub async fn solar_date(_user: AuthUser, q: web::Query<SolarQuery>) -> AppResult<web::Json<SolarDateDto>> {
    let l = lunar::LunarDate { year: q.year, month: q.month, day: q.day, leap_month: q.leap_month.unwrap_or(false) };
    let date = lunar::to_solar(l)
        .ok_or_else(|| AppError::field("day", "invalid_value", "Ngày âm lịch không tồn tại (hoặc ngoài 1900–2199)."))?;
    Ok(web::Json(SolarDateDto { date }))
}

/// Working and non-working days of the caller's commune (the national default for users
/// without a commune).
#[utoipa::path(
    tag = "calendar",
    params(DaysQuery),
    responses((status = 200, description = "Days in the range", body = Vec<CalendarDay>)),
    security(("bearer" = []))
)]
#[get("/calendar/days")]
pub async fn list_days(
    user: AuthUser,
    state: web::Data<AppState>,
    q: web::Query<DaysQuery>,
) -> AppResult<web::Json<Vec<CalendarDay>>> {
    let commune = user.commune_id;
    let (from, to) = (q.from, q.to);
    Ok(web::Json(run(&state.pool, move |c| service::days(c, commune, from, to)).await?))
}

/// Sets the commune's override of a date (`day_off` or `working_day`).
#[utoipa::path(
    tag = "calendar",
    params(("date" = NaiveDate, Path, description = "The date")),
    request_body = OverrideBody,
    responses((status = 200, description = "Saved", body = CalendarOverride)),
    security(("bearer" = []))
)]
#[put("/calendar/overrides/{date}")]
pub async fn put_override(
    user: AuthUser,
    state: web::Data<AppState>,
    date: web::Path<NaiveDate>,
    body: JsonBody<OverrideBody>,
) -> AppResult<web::Json<CalendarOverride>> {
    user.require(Permission::ManageSettings)?;
    let commune = user.commune()?;
    let (actor, day) = (user.actor(), date.into_inner());
    Ok(web::Json(run(&state.pool, move |c| service::put_override(c, &actor, commune, day, body.0)).await?))
}

/// Removes the commune's override of a date; the national default applies again.
#[utoipa::path(
    tag = "calendar",
    params(("date" = NaiveDate, Path, description = "The date")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No override on that date", body = crate::error::Problem)
    ),
    security(("bearer" = []))
)]
#[delete("/calendar/overrides/{date}")]
pub async fn delete_override(
    user: AuthUser,
    state: web::Data<AppState>,
    date: web::Path<NaiveDate>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    let commune = user.commune()?;
    let (actor, day) = (user.actor(), date.into_inner());
    run(&state.pool, move |c| service::delete_override(c, &actor, commune, day)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The commune's working hours: in force today, and every entry by effective date (the
/// default schedule for users without a commune).
#[utoipa::path(
    tag = "calendar",
    responses((status = 200, description = "The schedule", body = HoursSchedule)),
    security(("bearer" = []))
)]
#[get("/calendar/hours")]
pub async fn get_hours(user: AuthUser, state: web::Data<AppState>) -> AppResult<web::Json<HoursSchedule>> {
    let commune = user.commune_id;
    Ok(web::Json(run(&state.pool, move |c| service::hours(c, commune)).await?))
}

/// Sets the working hours in force from `effective_from` on (replacing that date's entry).
#[utoipa::path(
    tag = "calendar",
    request_body = WorkingHours,
    responses((status = 200, description = "The schedule", body = HoursSchedule)),
    security(("bearer" = []))
)]
#[put("/calendar/hours")]
pub async fn put_hours(
    user: AuthUser,
    state: web::Data<AppState>,
    body: JsonBody<WorkingHours>,
) -> AppResult<web::Json<HoursSchedule>> {
    user.require(Permission::ManageSettings)?;
    let commune = user.commune()?;
    let actor = user.actor();
    Ok(web::Json(run(&state.pool, move |c| service::put_hours(c, &actor, commune, body.0)).await?))
}

/// Computes a deadline on the caller's calendar.
#[utoipa::path(
    tag = "calendar",
    request_body = DueBody,
    responses((status = 200, description = "The due time (+07:00)", body = DueResult)),
    security(("bearer" = []))
)]
#[post("/calendar/due")]
pub async fn due(
    user: AuthUser,
    state: web::Data<AppState>,
    body: JsonBody<DueBody>,
) -> AppResult<web::Json<DueResult>> {
    let b = body.0;
    let mut v = Validator::new();
    service::check_amount(&mut v, "amount", b.amount, b.unit);
    let cutoff = match b.cutoff.as_deref() {
        None => service::DEFAULT_CUTOFF,
        Some(s) => parse_hhmm(s).unwrap_or_else(|| {
            v.add("cutoff", "invalid_format", "Giờ theo dạng HH:MM.");
            0
        }),
    };
    let start = to_local(b.start.naive_utc());
    {
        use chrono::Datelike;
        if !(lunar::MIN_YEAR..=lunar::MAX_YEAR - 3).contains(&start.year()) {
            v.add("start", "invalid_value", "Ngoài phạm vi lịch làm việc.");
        }
    }
    v.finish()?;
    let commune = user.commune_id;
    let due = run(&state.pool, move |c| {
        let cal = service::load_from(c, commune, start)?;
        service::due_local(&cal, start, b.amount, service::unit_of(b.unit, cutoff))
    })
    .await?;
    Ok(web::Json(DueResult { due_at: rfc(to_utc(due)) }))
}

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(lunar_date)
        .service(solar_date)
        .service(list_days)
        .service(put_override)
        .service(delete_override)
        .service(get_hours)
        .service(put_hours)
        .service(due);
}
