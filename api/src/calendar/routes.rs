//! `/api/v1/calendar/...`: lunar conversion, working days, overrides, hours, deadlines.

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::NaiveDate;

use super::model::*;
use super::{lunar, service};
use crate::auth::{Allowed, AuthUser, can};
use crate::error::{AppError, AppResult, Validator};
use crate::http::{JsonBody, Path, Query};
use crate::time::{rfc, to_local, to_utc};

/// Solar → Vietnamese lunar date (UTC+7).
#[utoipa::path(
    tag = "calendar",
    params(LunarQuery),
    responses(
        (status = 200, description = "The lunar date", body = LunarDateDto),
        (status = 422, description = "Outside 1900–2199", body = crate::error::Problem)
    )
)]
#[get("/calendar/lunar")]
pub async fn lunar_date(_user: AuthUser, q: Query<LunarQuery>) -> AppResult<web::Json<LunarDateDto>> {
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
    )
)]
#[get("/calendar/solar")]
pub async fn solar_date(_user: AuthUser, q: Query<SolarQuery>) -> AppResult<web::Json<SolarDateDto>> {
    let l = lunar::LunarDate { year: q.year, month: q.month, day: q.day, leap_month: q.leap_month.unwrap_or(false) };
    let date = lunar::to_solar(l)
        .ok_or_else(|| AppError::field("day", "invalid_value", "Ngày âm lịch không tồn tại (hoặc ngoài 1900–2199)."))?;
    Ok(web::Json(SolarDateDto { date }))
}

/// Working and non-working days of the caller's commune (for oversight staff of a province,
/// the province's calendar; else the national one). `provisional` marks the Tết days of a
/// year whose split is not decided yet.
#[utoipa::path(
    tag = "calendar",
    params(DaysQuery),
    responses(
        (status = 200, description = "Days in the range", body = Vec<CalendarDay>),
        (status = 422, description = "Bad range", body = crate::error::Problem)
    )
)]
#[get("/calendar/days")]
pub async fn list_days(user: AuthUser, q: Query<DaysQuery>) -> AppResult<web::Json<Vec<CalendarDay>>> {
    let (from, to, caller) = (q.from, q.to, user.caller.clone());
    Ok(web::Json(
        user.run(move |c| {
            let scope = service::caller_scope(c, &caller)?;
            service::days(c, scope, from, to)
        })
        .await?,
    ))
}

/// The overrides that apply to the caller's calendar, each with its level (national,
/// provincial, the commune's); on one date the commune's wins over the province's, which wins
/// over the national one.
#[utoipa::path(
    tag = "calendar",
    params(OverridesQuery),
    responses(
        (status = 200, description = "Overrides by date", body = Vec<CalendarOverride>),
        (status = 422, description = "Bad range", body = crate::error::Problem)
    )
)]
#[get("/calendar/overrides")]
pub async fn list_overrides(user: AuthUser, q: Query<OverridesQuery>) -> AppResult<web::Json<Vec<CalendarOverride>>> {
    let (from, to, caller) = (q.from, q.to, user.caller.clone());
    Ok(web::Json(
        user.run(move |c| {
            let scope = service::caller_scope(c, &caller)?;
            service::overrides(c, scope, from, to)
        })
        .await?,
    ))
}

/// Sets the override of a date at the caller's level: the province's for its oversight staff,
/// the national one for the staff of the national authority (the national calendar
/// administrators). Communes inherit it unless they set their own.
#[utoipa::path(
    tag = "calendar",
    params(("date" = NaiveDate, Path, description = "The date")),
    request_body = DefaultOverrideBody,
    responses(
        (status = 200, description = "Saved", body = CalendarOverride),
        (status = 403, description = "Not an administrator of a province or of the nation", body = crate::error::Problem),
        (status = 422, description = "Invalid body, or `date` is not a date (YYYY-MM-DD)", body = crate::error::Problem)
    )
)]
#[put("/calendar/default-overrides/{date}")]
pub async fn put_default_override(
    user: Allowed<can::ManageCalendarDefaults>,
    date: Path<NaiveDate>,
    body: JsonBody<DefaultOverrideBody>,
) -> AppResult<web::Json<CalendarOverride>> {
    let (actor, day, caller) = (user.actor(), date.into_inner(), user.caller.clone());
    Ok(web::Json(
        user.run(move |c| {
            let province = service::administered_level(c, &caller)?;
            let saved = service::put_default_override(c, &actor, province, day, body.0)?;
            // Open dossiers' legal due times follow the calendar (every commune the level covers).
            let communes = service::communes_of_level(c, province)?;
            crate::onestop::dossiers::service::recompute_open_after_calendar_change(c, communes.as_deref(), day)?;
            Ok(saved)
        })
        .await?,
    ))
}

/// Removes the override of a date at the caller's level.
#[utoipa::path(
    tag = "calendar",
    params(("date" = NaiveDate, Path, description = "The date")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not an administrator of a province or of the nation", body = crate::error::Problem),
        (status = 404, description = "No override on that date at the caller's level", body = crate::error::Problem),
        (status = 422, description = "Invalid input, with field errors: `date` is not a date (YYYY-MM-DD)", body = crate::error::Problem)
    )
)]
#[delete("/calendar/default-overrides/{date}")]
pub async fn delete_default_override(
    user: Allowed<can::ManageCalendarDefaults>,
    date: Path<NaiveDate>,
) -> AppResult<HttpResponse> {
    let (actor, day, caller) = (user.actor(), date.into_inner(), user.caller.clone());
    user.run(move |c| {
        let province = service::administered_level(c, &caller)?;
        service::delete_default_override(c, &actor, province, day)?;
        let communes = service::communes_of_level(c, province)?;
        crate::onestop::dossiers::service::recompute_open_after_calendar_change(c, communes.as_deref(), day).map(|_| ())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// How the five Tết days of a year split around lunar 1/1, the decision it comes from, or
/// that the year is provisional (no decision yet: two days before, three after).
#[utoipa::path(
    tag = "calendar",
    params(("year" = i32, Path, description = "The year")),
    responses(
        (status = 200, description = "The split", body = TetYear),
        (status = 422, description = "Outside 1901–2199, or not a year", body = crate::error::Problem)
    )
)]
#[get("/calendar/tet/{year}")]
pub async fn get_tet_year(user: AuthUser, year: Path<i32>) -> AppResult<web::Json<TetYear>> {
    Ok(web::Json(user.run(move |c| service::tet_year(c, year.into_inner())).await?))
}

/// Enters the government's decision on a year's Tết split (the national calendar
/// administrator only).
#[utoipa::path(
    tag = "calendar",
    params(("year" = i32, Path, description = "The year")),
    request_body = TetDecisionBody,
    responses(
        (status = 200, description = "The split", body = TetYear),
        (status = 403, description = "Not the national calendar administrator", body = crate::error::Problem),
        (status = 422, description = "Invalid body, or `year` is not a year", body = crate::error::Problem)
    )
)]
#[put("/calendar/tet/{year}")]
pub async fn put_tet_decision(
    user: Allowed<can::ManageCalendarDefaults>,
    year: Path<i32>,
    body: JsonBody<TetDecisionBody>,
) -> AppResult<web::Json<TetYear>> {
    let (actor, year, caller) = (user.actor(), year.into_inner(), user.caller.clone());
    Ok(web::Json(
        user.run(move |c| {
            if service::administered_level(c, &caller)?.is_some() {
                return Err(AppError::Forbidden);
            }
            service::put_tet_decision(c, &actor, year, body.0)
        })
        .await?,
    ))
}

/// The public-holiday rules the calendar is generated from, with their validity and source.
#[utoipa::path(
    tag = "calendar",
    responses((status = 200, description = "The rules", body = Vec<HolidayRule>))
)]
#[get("/calendar/rules")]
pub async fn list_rules(user: AuthUser) -> AppResult<web::Json<Vec<HolidayRule>>> {
    Ok(web::Json(user.run(service::holiday_rules).await?))
}

/// Sets the commune's override of a date (`day_off` or `working_day`).
#[utoipa::path(
    tag = "calendar",
    params(("date" = NaiveDate, Path, description = "The date")),
    request_body = OverrideBody,
    responses(
        (status = 200, description = "Saved", body = CalendarOverride),
        (status = 422, description = "Invalid body, or `date` is not a date (YYYY-MM-DD)", body = crate::error::Problem)
    )
)]
#[put("/calendar/overrides/{date}")]
pub async fn put_override(
    user: Allowed<can::ManageSettings>,
    date: Path<NaiveDate>,
    body: JsonBody<OverrideBody>,
) -> AppResult<web::Json<CalendarOverride>> {
    let (actor, day) = (user.actor(), date.into_inner());
    Ok(web::Json(
        user.in_commune(move |c, commune| {
            let saved = service::put_override(c, &actor, commune, day, body.0)?;
            // Open dossiers' legal due times follow the calendar; printed appointments stay.
            crate::onestop::dossiers::service::recompute_open_after_calendar_change(c, Some(&[commune]), day)?;
            Ok(saved)
        })
        .await?,
    ))
}

/// Removes the commune's override of a date; the province's or the national one applies again.
#[utoipa::path(
    tag = "calendar",
    params(("date" = NaiveDate, Path, description = "The date")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No override on that date", body = crate::error::Problem),
        (status = 422, description = "Invalid input, with field errors: `date` is not a date (YYYY-MM-DD)", body = crate::error::Problem)
    )
)]
#[delete("/calendar/overrides/{date}")]
pub async fn delete_override(user: Allowed<can::ManageSettings>, date: Path<NaiveDate>) -> AppResult<HttpResponse> {
    let (actor, day) = (user.actor(), date.into_inner());
    user.in_commune(move |c, commune| {
        service::delete_override(c, &actor, commune, day)?;
        crate::onestop::dossiers::service::recompute_open_after_calendar_change(c, Some(&[commune]), day).map(|_| ())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The commune's working hours: in force today, and every entry by effective date (the
/// default schedule for users without a commune).
#[utoipa::path(
    tag = "calendar",
    responses((status = 200, description = "The schedule", body = HoursSchedule))
)]
#[get("/calendar/hours")]
pub async fn get_hours(user: AuthUser) -> AppResult<web::Json<HoursSchedule>> {
    let commune = user.commune_id;
    Ok(web::Json(user.run(move |c| service::hours(c, commune)).await?))
}

/// Sets the working hours in force from `effective_from` on (replacing that date's entry).
#[utoipa::path(
    tag = "calendar",
    request_body = WorkingHours,
    responses((status = 200, description = "The schedule", body = HoursSchedule))
)]
#[put("/calendar/hours")]
pub async fn put_hours(
    user: Allowed<can::ManageSettings>,
    body: JsonBody<WorkingHours>,
) -> AppResult<web::Json<HoursSchedule>> {
    let actor = user.actor();
    Ok(web::Json(user.in_commune(move |c, commune| service::put_hours(c, &actor, commune, body.0)).await?))
}

/// Computes a deadline on the caller's calendar.
#[utoipa::path(
    tag = "calendar",
    request_body = DueBody,
    responses((status = 200, description = "The due time (+07:00)", body = DueResult))
)]
#[post("/calendar/due")]
pub async fn due(user: AuthUser, body: JsonBody<DueBody>) -> AppResult<web::Json<DueResult>> {
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
    let due = user
        .act(move |c, caller| {
            let scope = service::caller_scope(c, caller)?;
            let first = start.date() - chrono::Duration::days(10);
            let cal = service::load_scope(
                c,
                scope,
                first,
                start.date() + chrono::Duration::days(service::WINDOW_AHEAD_DAYS),
            )?;
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
        .service(list_overrides)
        .service(put_override)
        .service(put_default_override)
        .service(delete_default_override)
        .service(get_tet_year)
        .service(put_tet_decision)
        .service(list_rules)
        .service(delete_override)
        .service(get_hours)
        .service(put_hours)
        .service(due);
}
