//! Grassroots democracy and coordination (plan sections II.1, II.3, II.5): public disclosure
//! with village relay (Luật 10/2022/QH15), dialogues and their commitments, awareness
//! activities, coordination meetings and their decisions, the community boards' supervisions
//! and recommendations, and the figures the evaluation and oversight read.

pub mod activities;
pub mod boards;
pub mod common;
pub mod dialogues;
pub mod disclosures;
pub mod figures;
pub mod lists;
pub mod meetings;
pub mod routes;

/// Registers every route of the module.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    disclosures::routes::configure(cfg);
    dialogues::routes::configure(cfg);
    activities::routes::configure(cfg);
    meetings::routes::configure(cfg);
    boards::routes::configure(cfg);
    routes::configure(cfg);
}
