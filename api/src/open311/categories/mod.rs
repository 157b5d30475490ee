//! The commune's feedback categories (Open311 service codes), managed by its admin: list,
//! create, update, deactivate. A commune offers the defaults until its first change, which
//! copies them into its own rows; a code used by a request never changes.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
