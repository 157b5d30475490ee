//! Signed events (webhooks): API keys with the `receive_webhooks` scope subscribe a
//! URL to events (dossier received / status changed / finished / resolved / returned / late,
//! petition received / accepted / concluded / answered / overdue, task overdue, evaluation
//! published); each event is queued in the transaction of the change (the time-based ones by
//! the scheduler's scan, `events`), delivered by a task in
//! the server signed with HMAC-SHA256, retried with exponential back-off, logged, and a
//! subscription failing repeatedly is turned off. See `docs/integration.md`.

pub mod deliver;
pub mod events;
pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
pub mod target;

/// Registers the subscription and log routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    routes::configure(cfg);
}
