//! Dossiers (hồ sơ) at the one-stop desk: intake with the legal appointment, the lifecycle
//! against the deadline, printable forms, the register (form 07) and the citizen's lookup.

pub mod counter;
pub mod forms;
pub mod lifecycle;
pub mod lookup_guard;
pub mod register;
pub mod repo;
pub mod routes;
pub mod service;
