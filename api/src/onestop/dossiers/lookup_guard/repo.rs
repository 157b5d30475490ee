//! SQL of the lookup guard: wrong tries per dossier code, and the random token of each
//! dossier's public link.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{dossier_lookup_tokens, dossiers, lookup_failures};

/// Wrong tries at a code since `since`: how many, and the oldest of them.
pub fn failures_since(
    conn: &mut DbConnection,
    code: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    lookup_failures::table
        .filter(lookup_failures::code.eq(code))
        .filter(lookup_failures::at.ge(since))
        .select((diesel::dsl::count_star(), diesel::dsl::min(lookup_failures::at)))
        .first(conn)
}

/// Records a try at a code as wrong until [`forget_failure`] takes it back; returns its id.
/// Forgets tries older than `forget_before` on the way.
pub fn reserve_failure(
    conn: &mut DbConnection,
    code: &str,
    client: &str,
    at: NaiveDateTime,
    forget_before: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::delete(lookup_failures::table.filter(lookup_failures::at.lt(forget_before))).execute(conn)?;
    diesel::insert_into(lookup_failures::table)
        .values((lookup_failures::code.eq(code), lookup_failures::client.eq(client), lookup_failures::at.eq(at)))
        .returning(lookup_failures::id)
        .get_result(conn)
}

/// Takes back a try that was not wrong.
pub fn forget_failure(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(lookup_failures::table.find(id)).execute(conn).map(|_| ())
}

/// Forgets every wrong try at a code (the desk lifted the lock); returns how many.
pub fn clear_failures(conn: &mut DbConnection, code: &str) -> QueryResult<usize> {
    diesel::delete(lookup_failures::table.filter(lookup_failures::code.eq(code))).execute(conn)
}

/// Serialises decisions about one code until the transaction ends (PostgreSQL: an advisory
/// lock on a hash of the code; SQLite: `write_tx` already holds the only write lock).
pub fn lock_code(conn: &mut DbConnection, code: &str) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(c) => diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))")
            .bind::<diesel::sql_types::Text, _>(code)
            .execute(c)
            .map(|_| ()),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// The code and the applicant's phone digits of the dossier whose public link carries `token`.
pub fn dossier_by_token(conn: &mut DbConnection, token: &str) -> QueryResult<Option<(String, String)>> {
    let id: Option<i64> = dossier_lookup_tokens::table
        .filter(dossier_lookup_tokens::token.eq(token))
        .select(dossier_lookup_tokens::dossier_id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => dossiers::table.find(id).select((dossiers::code, dossiers::phone_digits)).first(conn).optional(),
        None => Ok(None),
    }
}

/// The token of a dossier's public link.
pub fn token_of(conn: &mut DbConnection, dossier_id: i64) -> QueryResult<Option<String>> {
    dossier_lookup_tokens::table.find(dossier_id).select(dossier_lookup_tokens::token).first(conn).optional()
}
