//! Petition and reception figures over communes (the Front's summary, the evaluation, the
//! province's oversight): counts only, never a name. Petitions are counted by
//! [`service::figures`], reception sessions by [`reception::service`]; this file joins them.

use chrono::NaiveDate;

use super::model::{CommunePetitionFigures, PeriodQuery, PetitionFigures};
use super::service;
use crate::auth::Caller;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::reception;

/// `GET /petitions/figures`: the figures of the period asked (a year to today by default) over
/// the communes the caller covers, summed.
pub fn asked(conn: &mut DbConnection, caller: &Caller, q: &PeriodQuery) -> AppResult<PetitionFigures> {
    let (from, to) = q.period(365)?;
    let communes = covered(conn, caller, q.commune_id)?;
    over(conn, &communes, from, to)
}

/// `GET /petitions/figures/by-commune`: the same, each commune apart.
pub fn asked_apart(
    conn: &mut DbConnection,
    caller: &Caller,
    q: &PeriodQuery,
) -> AppResult<Vec<CommunePetitionFigures>> {
    let (from, to) = q.period(365)?;
    let communes = covered(conn, caller, q.commune_id)?;
    apart(conn, &communes, from, to)
}

/// The communes a caller's figures cover: those it oversees (its own, for a commune's staff), or
/// the one asked for among them.
fn covered(conn: &mut DbConnection, caller: &Caller, asked: Option<i64>) -> AppResult<Vec<i64>> {
    Ok(crate::onestop::stats::indicators::scope(conn, caller, asked)?.into_iter().map(|x| x.id).collect())
}

/// The figures over `communes`, summed.
pub fn over(conn: &mut DbConnection, communes: &[i64], from: NaiveDate, to: NaiveDate) -> AppResult<PetitionFigures> {
    let by_kind = service::figures(conn, communes, from, to)?;
    let (required, held) = reception::service::sessions_held(conn, communes, from, to)?;
    let communes = communes.len() as i64;
    Ok(PetitionFigures { from, to, communes, by_kind, sessions_required: required, sessions_held: held })
}

/// [`over`] for each of `communes` apart, in their order: the petitions and the sessions each
/// read once for all of them.
pub fn apart(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<CommunePetitionFigures>> {
    let petitions = service::figures_by_commune(conn, communes, from, to)?;
    let sessions = reception::service::sessions_held_by_commune(conn, communes, from, to)?;
    Ok(petitions
        .into_iter()
        .zip(sessions)
        .map(|((commune_id, by_kind), (_, (required, held)))| {
            let figures =
                PetitionFigures { from, to, communes: 1, by_kind, sessions_required: required, sessions_held: held };
            CommunePetitionFigures { commune_id, figures }
        })
        .collect())
}
