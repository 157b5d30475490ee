//! Petitions (đơn thư): recommendations, feedback, complaints, denunciations — their lifecycle,
//! the legal clocks (data with effective dates, on the commune's working calendar), the
//! denouncer's sealed identity, printed documents, the citizen's side and the figures.

pub mod clocks;
pub mod documents;
pub mod figures;
pub mod identity;
pub mod lifecycle;
pub mod model;
pub mod public;
pub mod repo;
pub mod routes;
pub mod service;

/// The dossiers of `communes` with a complaint about them in `[from, to]` (local dates), each
/// once: what the 766 row 5.4 reads.
pub fn dossiers_with_complaint(
    conn: &mut crate::db::DbConnection,
    communes: &[i64],
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> crate::error::AppResult<std::collections::HashSet<i64>> {
    service::dossiers_with_complaint(conn, communes, from, to)
}
