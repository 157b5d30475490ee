//! Public disclosure (Luật 10/2022/QH15, Art. 11–12): items, records, village relays, alerts,
//! the public page.

pub mod model;
pub mod repo;
pub mod routes;
pub mod rules;
pub mod service;
