//! `GET /api/v1/audit`.

use actix_web::{get, web};

use super::{AuditEntry, AuditFilter, repo};
use crate::auth::{AuthUser, Permission};
use crate::error::AppResult;
use crate::http::{Page, Paging};

/// The commune's audit log, newest first.
#[utoipa::path(
    tag = "audit",
    params(AuditFilter),
    responses((status = 200, description = "A page of audit entries", body = Page<AuditEntry>))
)]
#[get("/audit")]
pub async fn list_audit(user: AuthUser, filter: web::Query<AuditFilter>) -> AppResult<web::Json<Page<AuditEntry>>> {
    user.require(Permission::ReadAudit)?;
    let paging = Paging::new(filter.page, filter.per_page)?;
    let (rows, total) =
        user.in_commune(move |c, commune_id| Ok(repo::list(c, commune_id, &filter.into_inner(), paging)?)).await?;
    Ok(web::Json(paging.wrap(rows.into_iter().map(AuditEntry::from).collect(), total)))
}

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit);
}
