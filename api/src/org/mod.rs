//! Organisation: authorities (province, historic districts), communes (the tenant), units
//! and user accounts.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
