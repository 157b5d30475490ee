//! Signed events (webhooks, issue 19): API keys with the `receive_webhooks` scope subscribe a
//! URL to events (dossier received / status changed / finished, petition received /
//! answered); each event is queued in the transaction of the change, delivered by a task in
//! the server signed with HMAC-SHA256, retried with exponential back-off, logged, and a
//! subscription failing repeatedly is turned off. See `docs/integration.md`.

pub mod deliver;
pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

/// Registers the subscription and log routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    routes::configure(cfg);
}
