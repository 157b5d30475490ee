//! The one-stop shop (bộ phận một cửa): the procedure catalogue, dossiers handled against
//! their legal deadlines, the province import, and the statistics (indicators, the 766 index,
//! online levels).

pub mod catalogue;
pub mod dossiers;
pub mod model;
pub mod national_export;
pub mod province_import;
pub mod rollups;
pub mod stats;

/// Registers the routes of every part (each registers its fixed paths before `{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    catalogue::routes::configure(cfg);
    dossiers::routes::configure(cfg);
    stats::routes::configure(cfg);
    province_import::routes::configure(cfg);
    national_export::routes::configure(cfg);
}
