//! `/api/v1/notifications` (+ `/unread`, `/read`, `/preferences`): the signed-in user's own
//! inbox. Every signed-in user has one; nobody reads another's.

use actix_web::{get, post, put, web};

use super::model::*;
use super::service;
use crate::auth::AuthUser;
use crate::error::AppResult;
use crate::http::{JsonBody, Query};

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(
    tag = "notifications",
    params(NotificationFilter),
    responses((status = 200, description = "A page of the caller's notifications", body = NotificationPage))
)]
#[get("/notifications")]
pub async fn notifications_list(
    user: AuthUser,
    q: Query<NotificationFilter>,
) -> AppResult<web::Json<NotificationPage>> {
    let id = user.caller.id;
    let f = q.into_inner();
    Ok(web::Json(user.run(move |c| service::list(c, id, &f)).await?))
}

/// How many of the caller's notifications are unread (the bell).
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, description = "The unread count", body = UnreadCount))
)]
#[get("/notifications/unread")]
pub async fn notifications_unread(user: AuthUser) -> AppResult<web::Json<UnreadCount>> {
    let id = user.caller.id;
    Ok(web::Json(user.run(move |c| service::unread(c, id)).await?))
}

/// Marks notifications read: the listed `ids` (only the caller's count), or `all`.
#[utoipa::path(
    tag = "notifications",
    request_body = MarkRead,
    responses(
        (status = 200, description = "How many were marked, and the unread count left", body = Marked),
        (status = 422, description = "Neither ids nor all", body = crate::error::Problem)
    )
)]
#[post("/notifications/read")]
pub async fn notifications_read(user: AuthUser, body: JsonBody<MarkRead>) -> AppResult<web::Json<Marked>> {
    let (id, commune, actor) = (user.caller.id, user.caller.commune_id, user.actor());
    Ok(web::Json(user.run(move |c| service::mark_read(c, &actor, id, commune, body.0)).await?))
}

/// The caller's preferences: per kind digest (default) / immediate / off, and e-mail.
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, description = "The caller's preferences", body = Preferences))
)]
#[get("/notifications/preferences")]
pub async fn notifications_preferences(user: AuthUser) -> AppResult<web::Json<Preferences>> {
    let available = user.state.config.smtp.configured();
    Ok(web::Json(Preferences { email_available: available, ..user.act(service::preferences).await? }))
}

/// Changes the caller's preferences (kinds not listed keep their mode).
#[utoipa::path(
    tag = "notifications",
    request_body = UpdatePreferences,
    responses(
        (status = 200, description = "The preferences now", body = Preferences),
        (status = 422, description = "An unknown kind, a malformed address, or e-mail on without an address", body = crate::error::Problem)
    )
)]
#[put("/notifications/preferences")]
pub async fn notifications_save_preferences(
    user: AuthUser,
    body: JsonBody<UpdatePreferences>,
) -> AppResult<web::Json<Preferences>> {
    let available = user.state.config.smtp.configured();
    let saved = user.act(move |c, caller| service::save_preferences(c, caller, body.0)).await?;
    Ok(web::Json(Preferences { email_available: available, ..saved }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(notifications_list)
        .service(notifications_unread)
        .service(notifications_read)
        .service(notifications_preferences)
        .service(notifications_save_preferences);
}
