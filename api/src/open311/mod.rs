//! Open311 GeoReport v2 on the petitions module: a commune is a jurisdiction, its
//! feedback categories are the services, a posted request is a petition (feedback or
//! recommendation) with its legal clock. Served under `/open311/v2` (not `/api/v1`), as JSON
//! and XML with the spec's names; reads are public and carry no personal data; posting needs
//! an integration key with the `submit_feedback` scope. See `docs/integration.md`.

pub mod categories;
pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

/// Registers the `/open311/v2` routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    routes::configure(cfg);
}
