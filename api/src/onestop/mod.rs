//! The one-stop shop (bộ phận một cửa): the procedure catalogue and dossiers handled against
//! their legal deadlines (`shared/domain/onestop.md`).

pub mod demo;
pub mod export;
pub mod generate;
pub mod import;
pub mod import_routes;
pub mod index766;
pub mod indicators;
pub mod levels;
pub mod lifecycle;
pub mod model;
pub mod repo;
pub mod routes;
pub mod service;
pub mod stats_routes;
