//! The national synchronisation record (HoSoDongBoDVC): a commune's dossiers of a period as
//! JSON or CSV with the national field names the province import reads, masked unless the
//! caller may read personal data. See `docs/integration.md`.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
