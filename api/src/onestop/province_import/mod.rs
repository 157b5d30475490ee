//! The province import: dossiers exported by the province's one-stop system (CSV or XLSX with
//! the national field names), validated row by row and stored idempotently.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
