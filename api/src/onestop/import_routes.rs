//! Routes of the dossier import and the register export.

/// Registers the import and export routes.
pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
