//! `GET /api/v1/audit` and what it can be filtered by.

use actix_web::{get, web};

use super::{AuditEntry, AuditFacets, AuditFilter, repo};
use crate::auth::{Allowed, can};
use crate::error::AppResult;
use crate::http::{Page, Paging, Query};

/// The commune's audit log, newest first.
#[utoipa::path(
    tag = "audit",
    params(AuditFilter),
    responses(
        (status = 200, description = "A page of audit entries", body = Page<AuditEntry>),
        (status = 422, description = "`to` is not after `from` (`before_start`)", body = crate::error::Problem),
    )
)]
#[get("/audit")]
pub async fn list_audit(
    user: Allowed<can::ReadAudit>,
    filter: Query<AuditFilter>,
) -> AppResult<web::Json<Page<AuditEntry>>> {
    let paging = Paging::new(filter.page, filter.per_page)?;
    filter.check()?;
    let (rows, total) =
        user.in_commune(move |c, commune_id| Ok(repo::list(c, commune_id, &filter.into_inner(), paging)?)).await?;
    Ok(web::Json(paging.wrap(rows.into_iter().map(AuditEntry::from).collect(), total)))
}

/// The actions, kinds of record and users the commune's log holds (the filters' choices).
#[utoipa::path(
    tag = "audit",
    responses((status = 200, description = "What the log can be filtered by", body = AuditFacets))
)]
#[get("/audit/facets")]
pub async fn audit_facets(user: Allowed<can::ReadAudit>) -> AppResult<web::Json<AuditFacets>> {
    Ok(web::Json(user.in_commune(move |c, commune_id| Ok(repo::facets(c, commune_id)?)).await?))
}

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(audit_facets).service(list_audit);
}
