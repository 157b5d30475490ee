//! Health, readiness and public system information.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// Public facts the sign-in page needs.
#[derive(Debug, Serialize, ToSchema)]
pub struct SystemInfo {
    /// Product name.
    pub name: String,
    pub version: String,
    /// The server runs on demo data (the web app shows a badge).
    pub demo: bool,
}

/// Name, version and whether this is a demo.
#[utoipa::path(tag = "system", responses((status = 200, description = "System information", body = SystemInfo)))]
#[get("/system/info")]
pub async fn system_info(state: web::Data<AppState>) -> web::Json<SystemInfo> {
    web::Json(SystemInfo {
        name: "Thân Thiện".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        demo: state.config.demo.enabled,
    })
}

/// Liveness: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(r#"{"status":"ok"}"#)
}

/// Readiness: the database answers a query.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let ok = web::block(move || -> Result<(), String> {
        let mut c = pool.get().map_err(|e| e.to_string())?;
        crate::db::ping(&mut c).map_err(|e| e.to_string())
    })
    .await;
    match ok {
        Ok(Ok(())) => HttpResponse::Ok().content_type("application/json").body(r#"{"status":"ready"}"#),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("application/json")
                .body(r#"{"status":"database unavailable"}"#)
        }
        Err(_) => {
            HttpResponse::ServiceUnavailable().content_type("application/json").body(r#"{"status":"unavailable"}"#)
        }
    }
}

/// Registers the API routes of this module.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(system_info);
}
