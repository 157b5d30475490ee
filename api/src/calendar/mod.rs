//! The working calendar: the Vietnamese lunar calendar, public holidays, per-commune
//! overrides and working hours, and deadline arithmetic.

pub mod engine;
pub mod lunar;
pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
