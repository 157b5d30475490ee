//! Every query of the reception module.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{communes, petitions, reception_sessions, reception_visits};

/// A commune by its public code, or by its id written as a number; `default` is the first
/// commune (a server that runs one commune, whose citizen pages name none).
pub fn commune_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<i64>> {
    if code == "default" {
        return communes::table.order(communes::id).select(communes::id).first(conn).optional();
    }
    let by_code: Option<i64> =
        communes::table.filter(communes::code.eq(code)).select(communes::id).first(conn).optional()?;
    match (by_code, code.parse::<i64>()) {
        (Some(id), _) => Ok(Some(id)),
        (None, Ok(id)) => communes::table.find(id).select(communes::id).first(conn).optional(),
        (None, Err(_)) => Ok(None),
    }
}

pub fn insert_session(conn: &mut DbConnection, new: &NewSession) -> QueryResult<SessionRow> {
    crate::on_backend!(conn, c => diesel::insert_into(reception_sessions::table)
        .values(new)
        .returning(SessionRow::as_returning())
        .get_result(c))
}

pub fn get_session(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<SessionRow> {
    reception_sessions::table
        .filter(reception_sessions::id.eq(id))
        .filter(reception_sessions::commune_id.eq(commune_id))
        .select(SessionRow::as_select())
        .first(conn)
}

/// Stores a session's corrected values.
pub fn update_session(conn: &mut DbConnection, id: i64, values: &NewSession) -> QueryResult<SessionRow> {
    crate::on_backend!(conn, c => diesel::update(reception_sessions::table.find(id))
        .set(values)
        .returning(SessionRow::as_returning())
        .get_result(c))
}

/// Removes a session (the service has checked its register is empty).
pub fn delete_session(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(reception_sessions::table.find(id)).execute(conn)
}

/// Sessions of communes starting in `[from, to)` (UTC), in time order.
pub fn sessions(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<SessionRow>> {
    reception_sessions::table
        .filter(reception_sessions::commune_id.eq_any(communes))
        .filter(reception_sessions::starts_at.ge(from))
        .filter(reception_sessions::starts_at.lt(to))
        .order((reception_sessions::starts_at, reception_sessions::id))
        .select(SessionRow::as_select())
        .load(conn)
}

/// Visits per session.
pub fn visit_counts(conn: &mut DbConnection, sessions: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    reception_visits::table
        .filter(reception_visits::session_id.eq_any(sessions))
        .group_by(reception_visits::session_id)
        .select((reception_visits::session_id, diesel::dsl::count_star()))
        .load(conn)
}

/// How many visits a session's register holds.
pub fn visits_in_session(conn: &mut DbConnection, session_id: i64) -> QueryResult<i64> {
    reception_visits::table.filter(reception_visits::session_id.eq(session_id)).count().get_result(conn)
}

pub fn insert_visit(conn: &mut DbConnection, new: &NewVisit) -> QueryResult<VisitRow> {
    crate::on_backend!(conn, c => diesel::insert_into(reception_visits::table).values(new).returning(VisitRow::as_returning()).get_result(c))
}

/// Links a visit and the petition it opened, both ways.
pub fn link(conn: &mut DbConnection, visit_id: i64, petition_id: i64) -> QueryResult<()> {
    diesel::update(reception_visits::table.find(visit_id))
        .set(reception_visits::petition_id.eq(petition_id))
        .execute(conn)?;
    diesel::update(petitions::table.find(petition_id)).set(petitions::visit_id.eq(visit_id)).execute(conn)?;
    Ok(())
}

/// The visits of a session with the code of the petition each opened.
pub fn visits(conn: &mut DbConnection, session_id: i64) -> QueryResult<Vec<(VisitRow, Option<String>)>> {
    reception_visits::table
        .left_join(petitions::table.on(petitions::id.nullable().eq(reception_visits::petition_id)))
        .filter(reception_visits::session_id.eq(session_id))
        .order((reception_visits::at, reception_visits::id))
        .select((VisitRow::as_select(), petitions::code.nullable()))
        .load(conn)
}

/// A visit of the commune (`NotFound` for another commune's).
pub fn get_visit(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<VisitRow> {
    reception_visits::table
        .filter(reception_visits::id.eq(id))
        .filter(reception_visits::commune_id.eq(commune_id))
        .select(VisitRow::as_select())
        .first(conn)
}

/// Writes a corrected visit (every field of the register; the petition link is left alone).
pub fn update_visit(conn: &mut DbConnection, id: i64, v: &VisitFields) -> QueryResult<VisitRow> {
    crate::on_backend!(conn, c => diesel::update(reception_visits::table.find(id))
        .set((
            reception_visits::at.eq(v.at),
            reception_visits::receiver_name.eq(&v.receiver_name),
            reception_visits::citizen_names.eq(&v.citizen_names),
            reception_visits::group_size.eq(v.group_size),
            reception_visits::content.eq(&v.content),
            reception_visits::classification.eq(&v.classification),
            reception_visits::handling.eq(&v.handling),
            reception_visits::forwarded_to.eq(&v.forwarded_to),
        ))
        .returning(VisitRow::as_returning())
        .get_result(c))
}

pub fn delete_visit(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(reception_visits::table.find(id)).execute(conn)
}

/// The code of a petition (the one a visit opened).
pub fn petition_code(conn: &mut DbConnection, petition_id: i64) -> QueryResult<Option<String>> {
    petitions::table.find(petition_id).select(petitions::code).first(conn).optional()
}

/// Visits of a commune in `[from, to)` (UTC) across sessions, optionally of one classification,
/// in time order, each with its session and the code of the petition it opened.
pub fn visits_in_period(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
    classification: Option<&str>,
) -> QueryResult<Vec<(VisitRow, SessionRow, Option<String>)>> {
    let mut q = reception_visits::table
        .inner_join(reception_sessions::table)
        .left_join(petitions::table.on(petitions::id.nullable().eq(reception_visits::petition_id)))
        .filter(reception_visits::commune_id.eq(commune_id))
        .filter(reception_visits::at.ge(from))
        .filter(reception_visits::at.lt(to))
        .into_boxed();
    if let Some(c) = classification {
        q = q.filter(reception_visits::classification.eq(c));
    }
    q.order((reception_visits::at, reception_visits::id))
        .select((VisitRow::as_select(), SessionRow::as_select(), petitions::code.nullable()))
        .load(conn)
}
