//! Routes of the one-stop statistics: indicators, online levels, targets, the 766 index.

/// Registers the statistics routes.
pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
