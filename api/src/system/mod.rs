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

/// Why the server is not ready.
#[derive(Debug, PartialEq, Eq)]
pub enum NotReady {
    /// The database does not answer.
    Database(String),
    /// The data directory (or the SQLite database's folder) is on a full disk.
    StorageFull(String),
    /// The data directory cannot take a write for another reason.
    Storage(String),
}

/// The readiness checks, blocking: the database answers (dead pooled connections are
/// replaced on the way), and the data directory — and the SQLite database's folder — take a
/// small write (so a full disk is "not ready").
pub fn check_ready(state: &AppState) -> Result<(), NotReady> {
    crate::db::check_ready(&state.pool).map_err(NotReady::Database)?;
    let url = state.config.database_url();
    let mut dirs = vec![state.config.server.data_dir.clone()];
    let sqlite_file = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"));
    if let Some(dir) = sqlite_file.and_then(|f| std::path::Path::new(f).parent()).filter(|d| !d.as_os_str().is_empty())
        && !dirs.iter().any(|d| d == dir)
    {
        dirs.push(dir.to_path_buf());
    }
    for dir in &dirs {
        if let Err(e) = crate::fsutil::probe_dir(dir) {
            return Err(if crate::error::is_storage_full(&e) {
                NotReady::StorageFull(format!("{}: {e}", dir.display()))
            } else {
                NotReady::Storage(format!("{}: {e}", dir.display()))
            });
        }
    }
    // PostgreSQL's own disk is not visible from here: a write it refuses for lack of space is
    // answered 507 `storage_full`, and its server reports the disk in its own health.
    Ok(())
}

/// Readiness: see [`check_ready`]. 503 (with `Retry-After`) names what is wrong.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let st = state.clone();
    let checked = web::block(move || check_ready(&st)).await;
    let status = match checked {
        Ok(Ok(())) => return HttpResponse::Ok().content_type("application/json").body(r#"{"status":"ready"}"#),
        Ok(Err(NotReady::Database(e))) => {
            tracing::warn!(error = %e, "readiness: database unavailable");
            "database unavailable"
        }
        Ok(Err(NotReady::StorageFull(e))) => {
            tracing::error!(error = %e, "readiness: the disk is full");
            "storage_full"
        }
        Ok(Err(NotReady::Storage(e))) => {
            tracing::error!(error = %e, "readiness: the data directory cannot be written");
            "storage unavailable"
        }
        Err(_) => "unavailable",
    };
    HttpResponse::ServiceUnavailable()
        .content_type("application/json")
        .insert_header(("retry-after", crate::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string()))
        .body(format!(r#"{{"status":"{status}"}}"#))
}

/// Registers the API routes of this module.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(system_info);
}
