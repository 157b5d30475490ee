//! Petitions (đơn thư): recommendations, feedback, complaints, denunciations — their lifecycle,
//! the legal clocks (data with effective dates, on the commune's working calendar), the
//! denouncer's sealed identity, printed documents, the citizen's side and the figures.

pub mod clocks;
pub mod documents;
pub mod identity;
pub mod lifecycle;
pub mod model;
pub mod public;
pub mod repo;
pub mod routes;
pub mod service;

/// Complaints linked to a one-stop dossier in `[from, to]` (local dates): the dossiers with a
/// complaint that the 766 row 5.4 reads.
pub fn dossiers_with_complaint(
    conn: &mut crate::db::DbConnection,
    commune_id: i64,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> crate::error::AppResult<i64> {
    service::dossiers_with_complaint(conn, commune_id, from, to)
}
