//! Citizen reception (tiếp công dân): the schedule of sessions (the chairman's weekly session,
//! ad-hoc sessions), the register of visits, and compliance per week (Luật Tiếp công dân 2013,
//! Art. 15; from 01/07/2026 the chairman's session may not be delegated).

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
