//! Other systems' door into the API: API keys for district- and province-level
//! systems. A key is a [`crate::auth::caller::Caller`] with its creator's identity and its own
//! scopes; [`gate`] turns a request's key into that caller, [`routes`] lets admins manage keys.
//! Open311 and signed events (webhooks) are not built yet (see `docs/integration.md`).

pub mod cidr;
pub mod gate;
pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

/// Registers the key management routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    routes::configure(cfg);
}
