//! The one-stop shop (bộ phận một cửa): the procedure catalogue and dossiers handled against
//! their legal deadlines (`shared/domain/onestop.md`).

pub mod demo;
pub mod lifecycle;
pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
