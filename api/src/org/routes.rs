//! `/api/v1/units`, `/api/v1/users`, `/api/v1/communes`.

use actix_web::{HttpResponse, get, patch, post, web};

use super::model::*;
use super::{repo, service};
use crate::auth::{Allowed, can, password};
use crate::error::{AppError, AppResult, Validator};
use crate::http::{JsonBody, Page, Paging, Path, Query};

/// Units of the caller's commune.
#[utoipa::path(
    tag = "org",
    params(UnitFilter),
    responses((status = 200, description = "A page of units", body = Page<Unit>))
)]
#[get("/units")]
pub async fn list_units(user: Allowed<can::ReadUnits>, q: Query<UnitFilter>) -> AppResult<web::Json<Page<Unit>>> {
    let paging = Paging::new(q.page, q.per_page)?;
    let f = q.into_inner();
    let (rows, total) = user.in_commune(move |c, commune_id| Ok(repo::list_units(c, commune_id, &f, paging)?)).await?;
    Ok(web::Json(paging.wrap(rows.into_iter().map(Unit::from).collect(), total)))
}

/// One unit of the caller's commune.
#[utoipa::path(
    tag = "org",
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, description = "The unit", body = Unit))
)]
#[get("/units/{id}")]
pub async fn get_unit(user: Allowed<can::ReadUnits>, id: Path<i64>) -> AppResult<web::Json<Unit>> {
    let row = user.in_commune(move |c, commune_id| Ok(repo::get_unit(c, commune_id, id.into_inner())?)).await?;
    Ok(web::Json(row.into()))
}

/// Adds a unit to the caller's commune.
#[utoipa::path(
    tag = "org",
    request_body = CreateUnit,
    responses((status = 201, description = "Created", body = Unit))
)]
#[post("/units")]
pub async fn create_unit(user: Allowed<can::ManageUnits>, body: JsonBody<CreateUnit>) -> AppResult<HttpResponse> {
    let actor = user.actor();
    let row = user.in_commune(move |c, commune_id| service::create_unit(c, &actor, commune_id, body.0)).await?;
    Ok(HttpResponse::Created().json(Unit::from(row)))
}

/// Changes a unit: name, kind, code, or active.
#[utoipa::path(
    tag = "org",
    params(("id" = i64, Path, description = "Unit id")),
    request_body = UpdateUnit,
    responses((status = 200, description = "Updated", body = Unit))
)]
#[patch("/units/{id}")]
pub async fn update_unit(
    user: Allowed<can::ManageUnits>,
    id: Path<i64>,
    body: JsonBody<UpdateUnit>,
) -> AppResult<web::Json<Unit>> {
    let (actor, id) = (user.actor(), id.into_inner());
    let row = user.in_commune(move |c, commune_id| service::update_unit(c, &actor, commune_id, id, body.0)).await?;
    Ok(web::Json(row.into()))
}

/// Accounts of the caller's commune.
#[utoipa::path(
    tag = "org",
    params(UserFilter),
    responses((status = 200, description = "A page of users", body = Page<User>))
)]
#[get("/users")]
pub async fn list_users(user: Allowed<can::ManageUsers>, q: Query<UserFilter>) -> AppResult<web::Json<Page<User>>> {
    let paging = Paging::new(q.page, q.per_page)?;
    let f = q.into_inner();
    let (rows, total) = user.in_commune(move |c, commune_id| Ok(repo::list_users(c, commune_id, &f, paging)?)).await?;
    Ok(web::Json(paging.wrap(rows.into_iter().map(|(r, n)| User::from_row(r, n)).collect(), total)))
}

/// One account of the caller's commune.
#[utoipa::path(
    tag = "org",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, description = "The user", body = User))
)]
#[get("/users/{id}")]
pub async fn get_user(user: Allowed<can::ManageUsers>, id: Path<i64>) -> AppResult<web::Json<User>> {
    let (row, unit) = user.in_commune(move |c, commune_id| Ok(repo::get_user(c, commune_id, id.into_inner())?)).await?;
    Ok(web::Json(User::from_row(row, unit)))
}

/// Creates an account in the caller's commune.
#[utoipa::path(
    tag = "org",
    request_body = CreateUser,
    responses((status = 201, description = "Created", body = User))
)]
#[post("/users")]
pub async fn create_user(user: Allowed<can::ManageUsers>, body: JsonBody<CreateUser>) -> AppResult<HttpResponse> {
    let commune_id = user.commune()?;
    let input = body.0;
    let commune_name = user.run(move |c| Ok(repo::commune_name(c, commune_id)?)).await?;
    let username = service::validate_new_user(&input, &commune_name)?;
    let pw = input.password.clone();
    let hash = crate::auth::throttle::hash_password(pw).await?;
    let actor = user.actor();
    let row = user.run(move |c| service::create_user(c, &actor, commune_id, input, &username, &hash)).await?;
    let id = row.id;
    let (row, unit) = user.run(move |c| Ok(repo::get_user(c, commune_id, id)?)).await?;
    Ok(HttpResponse::Created().json(User::from_row(row, unit)))
}

/// Changes an account: name, phone, role, unit, or active. Disabling ends its sessions.
#[utoipa::path(
    tag = "org",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUser,
    responses((status = 200, description = "Updated", body = User))
)]
#[patch("/users/{id}")]
pub async fn update_user(
    user: Allowed<can::ManageUsers>,
    id: Path<i64>,
    body: JsonBody<UpdateUser>,
) -> AppResult<web::Json<User>> {
    let (actor, id) = (user.actor(), id.into_inner());
    let (row, unit) = user
        .in_commune(move |c, commune_id| {
            service::update_user(c, &actor, commune_id, id, body.0)?;
            Ok(repo::get_user(c, commune_id, id)?)
        })
        .await?;
    Ok(web::Json(User::from_row(row, unit)))
}

/// Sets a new password for an account (an admin's reset); all its sessions end.
#[utoipa::path(
    tag = "org",
    params(("id" = i64, Path, description = "User id")),
    request_body = ResetPassword,
    responses((status = 204, description = "Password set"))
)]
#[post("/users/{id}/password")]
pub async fn reset_password(
    user: Allowed<can::ManageUsers>,
    id: Path<i64>,
    body: JsonBody<ResetPassword>,
) -> AppResult<HttpResponse> {
    let commune_id = user.commune()?;
    let id = id.into_inner();
    // Scope first, so an id outside the commune is 404 whatever the body says.
    let (target, commune_name) =
        user.run(move |c| Ok((repo::get_user(c, commune_id, id)?.0, repo::commune_name(c, commune_id)?))).await?;
    let mut v = Validator::new();
    let ctx = password::PasswordContext { username: &target.username, commune_name: Some(&commune_name) };
    password::check_new_password(&mut v, "new_password", &body.0.new_password, ctx);
    v.finish()?;
    let hash = crate::auth::throttle::hash_password(body.0.new_password).await?;
    let actor = user.actor();
    user.run(move |c| service::reset_password(c, &actor, commune_id, id, &hash)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Communes the caller can see: their own, or those under their oversight authority.
#[utoipa::path(
    tag = "org",
    responses((status = 200, description = "Communes in scope", body = Vec<Commune>))
)]
#[get("/communes")]
pub async fn list_communes(user: Allowed<can::ReadCommunes>) -> AppResult<web::Json<Vec<Commune>>> {
    let (c, a) = (user.commune_id, user.authority_id);
    if c.is_none() && a.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(web::Json(user.run(move |conn| Ok(repo::visible_communes(conn, c, a)?)).await?))
}

/// Sets what printed forms say of the caller's commune: its kind (xã, phường, đặc khu) and its
/// one-stop unit's name. Another commune is 404.
#[utoipa::path(
    tag = "org",
    params(("id" = i64, Path, description = "Commune id (the caller's own)")),
    request_body = UpdateCommune,
    responses(
        (status = 200, description = "Saved", body = Commune),
        (status = 404, description = "Not the caller's commune", body = crate::error::Problem),
        (status = 422, description = "Invalid body", body = crate::error::Problem)
    )
)]
#[patch("/communes/{id}")]
pub async fn update_commune(
    user: Allowed<can::ManageSettings>,
    id: Path<i64>,
    body: JsonBody<UpdateCommune>,
) -> AppResult<web::Json<Commune>> {
    let commune = user.commune()?;
    if id.into_inner() != commune {
        return Err(AppError::NotFound);
    }
    let actor = user.actor();
    Ok(web::Json(user.run(move |c| service::update_commune(c, &actor, commune, body.0)).await?))
}

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_units)
        .service(create_unit)
        .service(get_unit)
        .service(update_unit)
        .service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(reset_password)
        .service(list_communes)
        .service(update_commune);
}
